/*
 * style: how a template says a document looks, as plain data the layout
 * reads: named text styles, drawings, and the page master (paper margins,
 * masters with their frames and running header and footer, the order of the
 * pages). The loader fills these from the template's XML; merge points
 * blocks at styles; layout never needs to know which template it lays out.
 *
 * Sizes of text are relative to the body size, so that shrinking a sheet to
 * fit or printing it large changes everything in proportion; lengths on the
 * page (margins, gutters, frame widths) are points.
 */
#ifndef HD_STYLE_H
#define HD_STYLE_H

#include <stddef.h>

#include "util.h"

/* A colour on the page. */
typedef struct hd_rgb {
	unsigned char r, g, b;
} hd_rgb;

/* Vector paths: layout's display list and the drawings of the library share
 * these. */
enum hd_path_op {
	HD_PATH_MOVE,  /* p[0], p[1] */
	HD_PATH_LINE,  /* p[0], p[1] */
	HD_PATH_CURVE, /* cubic Bezier: control points p[0..3], end point p[4], p[5] */
	HD_PATH_RECT,  /* x p[0], y p[1] (bottom-left), width p[2], height p[3] */
	HD_PATH_CLOSE
};

typedef struct hd_path_seg {
	enum hd_path_op op;
	double p[6];
} hd_path_seg;

/* How a path is painted. */
#define HD_PAINT_FILL    1u
#define HD_PAINT_STROKE  2u
#define HD_PAINT_EVENODD 4u /* fill with the even-odd rule (default: nonzero) */
#define HD_PAINT_ROUND   8u /* round line caps and joins (drawings); default butt, miter */


/* A colour of a style: a fixed RGB value, the clinic's brand colour, or none
 * (no fill, no frame). */
typedef struct hd_color {
	unsigned char rgb[3];
	unsigned char accent; /* 1: the clinic's colour */
	unsigned char none;   /* 1: not painted */
} hd_color;

enum hd_align { HD_ALIGN_LEFT, HD_ALIGN_JUSTIFY, HD_ALIGN_CENTER, HD_ALIGN_RIGHT };

typedef struct hd_style {
	const char *name;
	unsigned face;        /* enum hd_face: regular, bold, italic, bold italic */
	double size;          /* times the body size */
	double leading;       /* line height, times the style's own size */
	double space_before;  /* times the body size; dropped at the top of a frame */
	double space_after;   /* times the body size */
	double indent;        /* left indent, times the body size */
	enum hd_align align;
	hd_color color;
	int keep_with_next;   /* never the last thing in a frame */
	/* boxes: callouts, and table cells */
	hd_color fill;
	hd_color frame;
	double frame_width;   /* points */
	double padding;       /* times the body size */
} hd_style;

/* ----- drawings ------------------------------------------------------------ */

/* One path of a drawing, in the drawing's own coordinates (viewBox units,
 * y downwards as in SVG). */
typedef struct hd_draw_path {
	hd_path_seg *segs;
	size_t nsegs;
	unsigned paint;       /* HD_PAINT_* */
	hd_color fill, stroke;
	double line_width;    /* viewBox units */
	double dash;          /* viewBox units; 0: solid */
	const char *region;   /* a named region (a body area), or NULL */
	int line;             /* in the library file, for messages */
} hd_draw_path;

/* A text on a drawing at (x, y) in viewBox units, centred on y: the number
 * of a shaded region on the body diagram, a chart's labels. Its size follows the body text (like a
 * style's), whatever the drawing's scale, so that it stays readable. */
typedef struct hd_draw_text {
	double x, y;
	const char *text;
	double size;          /* times the body size */
	unsigned face;        /* enum hd_face */
	hd_color color;
	int align;            /* 0: centred on x; 1: starts at x; -1: ends at x */
} hd_draw_text;

/* A drawing's description for someone who cannot see it, in one language. */
typedef struct hd_draw_alt {
	const char *lang;
	const char *text;
} hd_draw_alt;

typedef struct hd_drawing {
	const char *id;
	double vb_x, vb_y, vb_w, vb_h; /* the viewBox */
	hd_draw_path *paths;
	size_t npaths;
	hd_draw_text *texts;  /* drawn over the paths */
	size_t ntexts;
	hd_draw_alt *alts;    /* in the library's language order */
	size_t nalts;
	const char *file;     /* where it was defined, for messages */
	int line;
} hd_drawing;

/* ----- page master ------------------------------------------------------------ */

enum hd_valign { HD_VALIGN_TOP, HD_VALIGN_CENTER, HD_VALIGN_BOTTOM };

/* One text of a header or footer line: a format with {fields} ({page} and
 * {pages} among them) in a style, set at the left, centre or right. */
typedef struct hd_slot {
	const char *text;     /* NULL: empty */
	int style;            /* index in the template's styles */
} hd_slot;

typedef struct hd_band_line {
	hd_slot left, center, right;
} hd_band_line;

/* A running header or footer: lines of text, with the clinic's logo at the
 * left of the header when asked, and a rule below the header or above the
 * footer. Its height comes from its content. */
typedef struct hd_band {
	hd_band_line *lines;
	size_t nlines;
	int logo;             /* header: draw the logo (when the clinic has one) */
	double logo_height;   /* points */
	int rule;             /* draw the rule */
	int rule_style;       /* style whose colour and frame width the rule takes */
	double gap;           /* points between the band and the body */
} hd_band;

/* A frame: column `column` (1-based) of `columns` equal columns of the
 * body area, with gutter points between columns; the flow it shows. */
typedef struct hd_frame_spec {
	const char *name;     /* for messages ("inside, right panel"), or NULL */
	const char *flow;
	int column, columns;
	double gutter;
	enum hd_valign valign;
} hd_frame_spec;

typedef struct hd_master {
	const char *name;
	int has_header, has_footer;
	hd_band header, footer;
	hd_frame_spec *frames; /* in the order flows visit them */
	size_t nframes;
	int fold_marks;       /* short marks at the folds between columns */
} hd_master;

typedef struct hd_page_spec {
	double margin_top, margin_right, margin_bottom, margin_left; /* points */
	int landscape;
	hd_master *masters;
	size_t nmasters;
	size_t *sequence;     /* master index of each page, in order */
	size_t nsequence;
	int repeat_last;      /* the last master repeats while a flow has content */
	int max_pages;        /* > 0: shrink the body type to fit before flowing on */
} hd_page_spec;

#endif
