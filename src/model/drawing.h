/*
 * drawing: vector paths built from the library's drawing vocabulary (a
 * documented subset of SVG: path data, circles, ellipses, rectangles,
 * lines), as plain segments (style.h: hd_path_seg) the layout places and
 * render draws. Pure functions over strings and numbers: the loader calls
 * them on untrusted attribute values, so every input is bounded, every
 * number checked, and a problem comes back as a message and the byte offset
 * where it was found.
 */
#ifndef HD_DRAWING_H
#define HD_DRAWING_H

#include <stddef.h>

#include "style.h"

/* The most segments one drawing may have, and the largest coordinate: far
 * beyond any picture on a handout, small enough that a hostile file cannot
 * make a page that takes seconds to draw. */
#define HD_DRAWING_MAX_SEGS 20000
#define HD_DRAWING_MAX_COORD 100000.0

/* A growing list of segments with the state path data needs: the current
 * point, the start of the subpath (for Z), and the last control point (for
 * the S and T shorthands). Zero-initialise; max 0 means HD_DRAWING_MAX_SEGS. */
typedef struct hd_path_build {
	hd_path_seg *segs;   /* malloc'd; hd_path_build_free */
	size_t count, cap;
	size_t max;
	double x, y;         /* current point */
	double sx, sy;       /* start of the current subpath */
	double cx, cy;       /* last cubic control point (after C or S) */
	double qx, qy;       /* last quadratic control point (after Q or T) */
	char prev;           /* the previous command, upper case; 0 at the start */
} hd_path_build;

void hd_path_build_free(hd_path_build *b);

/* Appends the segments of SVG path data d (commands M m L l H h V v C c S s
 * Q q T t A a Z z; numbers with an optional sign and fraction, no exponent;
 * separated by white space and/or commas; a command's arguments may repeat).
 * Quadratic curves and elliptical arcs become cubic Beziers. Returns HD_OK;
 * HD_EINPUT with *err (a static message, e.g. "expected a number after 'L'")
 * and *err_at (the byte offset in d) set; or HD_ENOMEM. */
int hd_path_parse(hd_path_build *b, const char *d, size_t *err_at, const char **err);

/* Shapes: an ellipse (a circle when rx == ry) as four Beziers; a rectangle
 * with corners rounded by r (0: square); a straight line. Each starts its
 * own subpath. Return HD_OK, HD_EINPUT (*err set: a negative size, too many
 * segments, a number out of range) or HD_ENOMEM. */
int hd_path_ellipse(hd_path_build *b, double cx, double cy, double rx, double ry,
                    const char **err);
int hd_path_rect(hd_path_build *b, double x, double y, double w, double h, double r,
                 const char **err);
int hd_path_line(hd_path_build *b, double x1, double y1, double x2, double y2,
                 const char **err);

/* Reads exactly n numbers (path data's syntax: no exponent, white space
 * and/or commas between) from s, whatever the C locale. Returns HD_OK, or
 * HD_EINPUT with *err_at at the first byte that is wrong (or the end). */
int hd_parse_numbers(const char *s, double *out, int n, size_t *err_at);

/* The box around the segments (curves followed, not just their control
 * points): box[0..3] = min x, min y, max x, max y. Zeroes for no segments. */
void hd_path_bbox(const hd_path_seg *segs, size_t n, double box[4]);

/* The drawing with the given id in an array sorted by id (binary search),
 * or NULL. */
const hd_drawing *hd_drawing_find(const hd_drawing *const *sorted, size_t n, const char *id);

/* The text alternative of a drawing in lang, falling back to its first
 * language; NULL when it has none. */
const char *hd_drawing_alt(const hd_drawing *dr, const char *lang);

#endif
