/*
 * layout: from a block tree to positioned pages. Measures text with a small
 * metrics interface (so tests can use fixed widths), breaks lines, places
 * blocks, paginates (keep-with-next, no orphan or widow lines, callouts never
 * split), adds the header and footer with "Page X of Y", and for one-page
 * documents shrinks the body type in steps before flowing onto a second page.
 *
 * It knows nothing about PDF drawing calls: the result is a list of pages of
 * items (text runs, rectangles, lines, an image) that the renderer only draws
 * and that hd_layout_dump prints for golden tests.
 *
 * Units: points (1/72 inch). Item coordinates are PDF coordinates: origin at
 * the bottom-left corner of the page, y upwards; text y is the baseline.
 */
#ifndef HD_LAYOUT_H
#define HD_LAYOUT_H

#include <stdint.h>

#include "block.h"
#include "util.h"

/* Text measurement. width() returns the advance of cp in 1/1000 em, or -1
 * when the face has no glyph for it. */
typedef struct hd_metrics {
	const void *ctx;
	int (*width)(const void *ctx, unsigned style, uint32_t cp);
	int ascent[HD_NSTYLES];  /* 1/1000 em, positive */
	int descent[HD_NSTYLES]; /* 1/1000 em, negative */
} hd_metrics;

enum hd_item_kind {
	HD_ITEM_TEXT,
	HD_ITEM_RECT,  /* x, y = bottom-left; w, h */
	HD_ITEM_LINE,  /* from (x, y) to (x + w, y + h) */
	HD_ITEM_IMAGE  /* the logo: x, y = bottom-left; w, h */
};

typedef struct hd_rgb {
	unsigned char r, g, b;
} hd_rgb;

typedef struct hd_item {
	enum hd_item_kind kind;
	double x, y, w, h;
	/* text */
	unsigned style;
	double size;
	double word_space;   /* extra space per U+0020, points (justification) */
	const char *text;    /* UTF-8, NUL-terminated, in the layout's arena */
	size_t len;
	/* colour: text fill, rect fill, line stroke */
	hd_rgb color;
	int fill;            /* rect: filled */
	int stroke;          /* rect: framed with stroke_color, line_width */
	hd_rgb stroke_color;
	double line_width;
} hd_item;

typedef struct hd_page {
	hd_item *items;
	size_t count;
	size_t cap;
} hd_page;

/* Page geometry and the running header and footer. Strings are borrowed for
 * the duration of hd_layout_run and copied into the layout. */
typedef struct hd_frame {
	double width, height;          /* page size, points */
	double margin_left, margin_right, margin_top, margin_bottom;
	double body_size;              /* preferred body type size, points */
	double min_body_size;          /* floor when shrinking to fit max_pages */
	int max_pages;                 /* 0: no limit; 1: the aftercare rule */
	int justify;                   /* justify body paragraphs */
	hd_rgb accent;                 /* brand colour for rules and headings */
	/* header */
	const char *header_name;       /* clinic name */
	const char *header_line;       /* address and phone, one line */
	const char *header_right;      /* document kind, e.g. "Aftercare sheet" */
	double logo_aspect;            /* width / height of the logo; 0: no logo */
	/* footer */
	const char *footer_left;       /* contact line */
	const char *page_label;        /* "Page {page} of {pages}" */
	/* where the header and footer texts come from, for diagnostics */
	const char *clinic_file;       /* header_name, header_line, footer_left */
	const char *template_file;     /* header_right, page_label */
} hd_frame;

/* Where an anchored block (hd_block.anchor > 0) landed. */
typedef struct hd_anchor_pos {
	int page;   /* 1-based; 0 if the anchor is not in the document */
	double y;   /* top of its first line, PDF coordinates */
} hd_anchor_pos;

typedef struct hd_layout {
	hd_arena arena;
	hd_anchor_pos *anchors; /* indexed by anchor number; [0] unused */
	size_t nanchors;        /* highest anchor number + 1 */
	hd_page *pages;
	size_t npages;
	size_t cap;
	double width, height;
	double body_size;      /* the size finally used */
	int shrunk;            /* 1 if body_size < the preferred size */
	int forced_breaks;     /* breaks that had to violate a keep rule */
	int split_boxes;       /* callouts that could not stay whole (an error) */
} hd_layout;

/* Limits of the running header, points. */
#define HD_LOGO_HEIGHT 40.0
#define HD_LOGO_MAX_WIDTH 120.0

/* Lays out doc in frame. On success *out is the caller's (hd_layout_free).
 * Never clips or drops text; instead these are HD_EINPUT errors: a character
 * without a glyph (named, with its context), a header or footer text that is
 * too long for the page even at its smallest size, and a boxed block (the
 * warning signs) taller than a page, which would have to be split. */
int hd_layout_run(hd_layout **out, const hd_block *doc, const hd_frame *frame,
                  const hd_metrics *m, hd_diags *d);
void hd_layout_free(hd_layout *l);

/* Appends a text dump of the pages to out: one line per item with position,
 * font, size and text. Stable: golden tests compare it byte for byte. */
int hd_layout_dump(const hd_layout *l, hd_buf *out);

#endif
