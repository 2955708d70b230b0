/*
 * flow: the inside of the layout stage (layout.h is its face). A flow's
 * blocks are flattened once per attempt into "flow blocks" with their style
 * resolved and their text itemized; placing a flow into a frame breaks the
 * lines of what it needs at that frame's width, chooses where the frame
 * ends (keep rules), draws that part and returns a restart point.
 */
#ifndef HD_FLOW_H
#define HD_FLOW_H

#include "layout.h"

/* A growable array of fixed-size elements. */
typedef struct hd_vec {
	void *data;
	size_t count, cap, size;
} hd_vec;
#define HD_VEC_INIT(type) { NULL, 0, 0, sizeof(type) }
#define HD_VEC_AT(v, type, i) (((type *)(v).data)[i])
void *hd_vec_push(hd_vec *v);
void hd_vec_free(hd_vec *v);

enum fb_kind {
	FB_TEXT,      /* a paragraph, heading or list item */
	FB_TOC,       /* a contents line: text, dot leaders, a number at the right */
	FB_BOX_OPEN,  /* a callout starts: padding, fill, frame; never split */
	FB_BOX_CLOSE,
	FB_TABLE,
	FB_FIGURE,
	FB_SPACER,
	FB_BREAK      /* the next block starts in a new frame */
};

typedef struct fblock {
	enum fb_kind kind;
	const hd_block *src;
	const hd_style *st;
	double size;          /* text size, points */
	double lead;          /* line height, points */
	double ascent, descent; /* of the regular face at size, points (descent > 0) */
	double left, right;   /* indents from the frame's edges, points */
	double space_before, space_after;
	enum hd_align align;
	hd_rgb color;
	size_t first, count;  /* items in the flow's item list */
	const char *marker;   /* list marker ("•", "3."), or NULL */
	double marker_x;      /* from the frame's left edge */
	unsigned marker_face;
	int keep_next;
	int box;              /* the callout it is in (1-based), 0: none */
	int anchor;           /* > 0: record where it lands */
	int box_end;          /* FB_BOX_OPEN: index of its FB_BOX_CLOSE */
} fblock;

/* Where a flow continues. */
typedef struct hd_restart {
	size_t fb;            /* flow block */
	hd_pos pos;           /* FB_TEXT, FB_TOC: the first line's start */
	size_t row;           /* FB_TABLE: the first row */
	int cont;             /* 1: inside fb (no space before, no orphan rule) */
	int hyrun;            /* FB_TEXT: hyphenated lines right before pos (at most 2 in a row) */
} hd_restart;

/* The items of every text the layout itemized, at HD_FI_UNITS, kept for
 * all its attempts: a text is checked and itemized once, in the first
 * attempt that reaches it, and copied at each attempt's size after that.
 * Keyed by the spans and the face added to them (a block's style); only
 * for spans that live as long as the layout input. */
typedef struct hd_icache hd_icache;
hd_icache *hd_icache_new(void);
void hd_icache_free(hd_icache *ic);

/* The layout state of one attempt at one body size. */
typedef struct lctx {
	const hd_layout_in *in;
	const hd_metrics *m;
	hd_diags *d;
	hd_icache *icache;    /* NULL: every text is checked and itemized each time */
	hd_display *disp;     /* texts and paths are allocated in its arena */
	double size;          /* body size of this attempt */
	int missing;          /* a character could not be shown (reported) */
	int split_boxes;      /* boxes taller than their frame */
	int forced;           /* breaks that broke a keep rule */
	int oom;
	uint32_t reported[16];
	size_t nreported;
	hd_anchor_pos *anchors;
	size_t nanchors;
	int optional;         /* optional figures laid out */
} lctx;

typedef struct flowst {
	const hd_flow_src *src;
	hd_vec blocks;        /* fblock */
	hd_fi_list items;
	int nboxes;
	hd_restart at;
	int done;
	/* the last frame the flow was placed in, for messages */
	int last_page;
	int last_frame;
	double last_width;
} flowst;

/* Flattens src's blocks into f (styles resolved, text itemized and checked).
 * Returns HD_OK, HD_ENOMEM, or HD_EINPUT after reporting characters that
 * cannot be shown. */
int hd_flow_prepare(lctx *c, flowst *f, const hd_flow_src *src);
void hd_flow_free(flowst *f);

/* The rectangle of a frame. */
typedef struct hd_rect {
	double x, top, w, h; /* top: y of the upper edge (PDF coordinates) */
} hd_rect;

/* Places f from f->at into rect on page pg (page number pageno, 1-based),
 * aligned vertically as valign asks; advances f->at (f->done when the flow
 * is finished) and stores the height used in *used. Returns HD_OK or
 * HD_ENOMEM. */
int hd_flow_place(lctx *c, flowst *f, hd_rect rect, enum hd_valign valign, hd_page *pg,
                  int pageno, double *used);

/* The height the rest of f would need at width w, points (for "how much is
 * over" in messages). */
double hd_flow_rest_height(lctx *c, flowst *f, double w);

/* Resolves a style colour. */
hd_rgb hd_color_rgb(const lctx *c, hd_color col);
/* The style at index i, or the fallback for kind when i is out of range. */
const hd_style *hd_style_at(const lctx *c, int i);

/* Checks that every character of text can be shown in face and is not of a
 * right-to-left script; reports problems (file, line of the source text) and
 * sets c->missing. */
void hd_check_text(lctx *c, const char *file, int line, unsigned face, const char *s, size_t len);

#endif
