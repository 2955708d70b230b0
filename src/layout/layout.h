/*
 * layout: from a merged document (named flows of blocks) and a template's
 * page master and styles to positioned pages (a display list). No PDF and
 * no XML here: text is measured through a small metrics interface, so the
 * tests run it with fixed-width metrics.
 *
 * The model (after MuPDF's story layout):
 *  - a block's text becomes a flat list of flow items (inline.h) that one
 *    line-breaking function breaks, for paragraphs, list items, table cells,
 *    contents lines, headers and footers alike;
 *  - a flow is placed into a rectangle (a frame: a column, a panel, a page's
 *    body) and returns what it filled plus a restart point, from which it
 *    continues in the next frame, at that frame's width;
 *  - pages come from the template's masters in its order, each with its
 *    frames and its running header and footer ("Page X of Y" once the pages
 *    are known); the last master repeats while a flow has content, or, for
 *    a fixed set of pages (a brochure), content that is left over is an error
 *    naming the frame and how much is over;
 *  - in every frame: keep-with-next, no lone first or last line of a
 *    paragraph, boxes (callouts, table rows, figures) never split, the
 *    header rows of a table repeated after a break;
 *  - a document with a page limit shrinks its body type in steps before
 *    flowing on; when it must run over anyway it goes back up to the largest
 *    size that needs no more pages, and never leaves a nearly empty last page
 *    when moving a break can fill it.
 */
#ifndef HD_LAYOUT_H
#define HD_LAYOUT_H

#include "block.h"
#include "display.h"
#include "inline.h"
#include "style.h"
#include "util.h"

/* A named flow of blocks: "main", "cover", "back"... */
typedef struct hd_flow_src {
	const char *name;
	const hd_block *blocks;
} hd_flow_src;

/* What a field of the running header and footer is, for a message when it
 * cannot fit: "the clinic name", the file it comes from, what to do. */
typedef struct hd_field_info {
	const char *what;
	const char *file;
	const char *hint;
} hd_field_info;

/* A field of the running header and footer ({clinic}, {client}, {date}...):
 * its value, and what it is in *info. Returns NULL for an unknown key (the
 * braces are then printed as written). */
typedef const char *(*hd_field_fn)(const void *ctx, const char *key, hd_field_info *info);

typedef struct hd_layout_in {
	const hd_flow_src *flows;
	size_t nflows;
	const hd_style *styles;     /* blocks' style indexes point here */
	size_t nstyles;
	const hd_page_spec *page;
	double width, height;       /* the paper, portrait, points */
	double body_size;           /* preferred body size, points */
	double min_body_size;       /* floor when shrinking to page->max_pages */
	double min_text_size;       /* no text smaller than this (large print); 0: none */
	hd_rgb accent;              /* the clinic's colour */
	double logo_aspect;         /* width / height of image 0, the logo; 0: none */
	hd_field_fn field;
	const void *field_ctx;
	const hd_hyphenator *hyph;  /* how justified text breaks words; NULL: at spaces and
	                               soft hyphens only */
	const char *file;           /* what messages about the content name */
	const char *template_file;  /* what messages about the template name */
	int drop_optional;          /* leave out the figures marked HD_BF_OPTIONAL */
} hd_layout_in;

/* Where an anchored block (hd_block.anchor > 0) landed. */
typedef struct hd_anchor_pos {
	int page;   /* 1-based; 0 if the anchor is not in the document */
	double y;   /* top of its first line, PDF coordinates */
} hd_anchor_pos;

typedef struct hd_layout {
	hd_display display;
	hd_anchor_pos *anchors;     /* indexed by anchor number; [0] unused */
	size_t nanchors;
	double body_size;           /* the size finally used */
	int shrunk;                 /* 1 if smaller than the preferred size */
	int forced_breaks;          /* breaks that had to violate a keep rule */
	double last_fill;           /* share of the last page's frames filled, 0..1 */
	int optional_figures;       /* figures that may be left out, laid out */
	int dropped_figures;        /* ... left out to keep to the page limit */
} hd_layout;

/* Lays the document out. On success *out is the caller's (hd_layout_free).
 * A document with a page limit shrinks its type towards the floor to keep
 * to it; when even that is not enough and it has optional figures, it is
 * laid out again without them (l->dropped_figures), and if that keeps to
 * the limit, that is the result; else the figures stay and it runs over.
 * Never clips or drops text; these are HD_EINPUT errors instead: a
 * character without a glyph or of a right-to-left script (named, with its
 * context), a header or footer text too long for the page even at its
 * smallest size, a box (the warning signs) taller than its frame, content
 * left over after the last frame of a fixed set of pages (naming the frame
 * and how much is over). */
int hd_layout_run(hd_layout **out, const hd_layout_in *in, const hd_metrics *m, hd_diags *d);
void hd_layout_free(hd_layout *l);

/* The display dump (display.h) followed by one line per anchor. */
int hd_layout_dump(const hd_layout *l, hd_buf *out);

#endif
