/*
 * display: what layout produces and render draws. A document is a list of
 * pages; a page is a list of items drawn in order (later items over earlier
 * ones): runs of text, vector paths and images. Nothing here knows about
 * PDF: render turns each item into drawing operators, and hd_display_dump
 * prints every item as one line of text for golden tests.
 *
 * Units: points (1/72 inch). Coordinates are PDF coordinates: origin at the
 * bottom-left corner of the page, y upwards; a text item's y is its baseline.
 */
#ifndef HD_DISPLAY_H
#define HD_DISPLAY_H

#include <stddef.h>

#include "style.h"
#include "util.h"

enum hd_item_kind {
	HD_ITEM_TEXT,  /* a run of text in one face and size */
	HD_ITEM_PATH,  /* a vector path, filled and/or stroked */
	HD_ITEM_IMAGE  /* an image of the document's resource table */
};

typedef struct hd_item {
	enum hd_item_kind kind;
	double x, y;          /* text: start of the baseline; image: bottom-left */
	/* text */
	unsigned face;        /* enum hd_face: regular, bold, italic, bold italic */
	double size;          /* points */
	double word_space;    /* extra space per U+0020, points (justification) */
	const char *text;     /* UTF-8, NUL-terminated, owned by the display's arena */
	size_t len;
	hd_rgb color;         /* text fill; path fill */
	/* path */
	const hd_path_seg *segs; /* owned by the display's arena */
	size_t nsegs;
	unsigned paint;       /* HD_PAINT_* */
	hd_rgb stroke_color;
	double line_width;
	double dash;          /* dash and gap length, points; 0: solid */
	/* image */
	int image;            /* index in the document's resource table */
	double w, h;          /* image size on the page */
} hd_item;

typedef struct hd_page {
	hd_item *items;
	size_t count;
	size_t cap;
} hd_page;

typedef struct hd_display {
	hd_arena arena;       /* texts and path segments */
	double width, height; /* page size, points */
	hd_page *pages;
	size_t npages;
	size_t cap;
} hd_display;

/* Appends an empty page. Returns it, or NULL when out of memory. The pointer
 * is valid until the next call (pages may move). */
hd_page *hd_display_add_page(hd_display *d);

/* Appends a zeroed item to page p. NULL when out of memory. */
hd_item *hd_page_add(hd_page *p);

/* Appends a text item; text is copied into the display's arena. Returns
 * HD_OK or HD_ENOMEM. */
int hd_page_text(hd_display *d, hd_page *p, double x, double y, unsigned face, double size,
                 hd_rgb color, double word_space, const char *text, size_t len);

/* Appends a path item with a copy of segs. Returns HD_OK or HD_ENOMEM. */
int hd_page_path(hd_display *d, hd_page *p, const hd_path_seg *segs, size_t nsegs,
                 unsigned paint, hd_rgb fill, hd_rgb stroke, double line_width, double dash);

/* Shorthands: a rectangle; a straight line from (x1, y1) to (x2, y2). */
int hd_page_rect(hd_display *d, hd_page *p, double x, double y, double w, double h,
                 unsigned paint, hd_rgb fill, hd_rgb stroke, double line_width);
int hd_page_line(hd_display *d, hd_page *p, double x1, double y1, double x2, double y2,
                 hd_rgb color, double line_width, double dash);

/* Appends an image item. Returns HD_OK or HD_ENOMEM. */
int hd_page_image(hd_page *p, int image, double x, double y, double w, double h);

/* Frees the pages and the arena; the struct itself is the caller's. */
void hd_display_clear(hd_display *d);

/* Rounds every position to a grid of 1/8 pt and word spacing to 1/256 pt:
 * binary fractions a float holds exactly, so the PDF's numbers stay short
 * ("63.625", not "63.65002"), far below what a printer shows. Sizes are not
 * touched: widths were measured with them. */
void hd_display_snap(hd_display *d);

/* Appends a text dump of every page and item to out, one line per item:
 *   page N
 *     text x=.. y=.. font=R size=.. ws=.. color=rrggbb "..."
 *     path fill=rrggbb stroke=rrggbb/width dash=.. M x y L x y C .. R x y w h Z
 *     image #N x=.. y=.. w=.. h=..
 * Stable: golden tests compare it byte for byte. */
int hd_display_dump(const hd_display *d, hd_buf *out);

#endif
