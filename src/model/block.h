/*
 * The rich-text tree shared by the model (library entry bodies, session
 * notes), merge (the personalized document) and layout.
 *
 * A document is a singly linked list of blocks; a block holds inline spans
 * (text in one style) and, for lists and callouts, child blocks. All memory
 * comes from an arena owned by whoever built the tree. Text is valid UTF-8
 * (checked by the loader) with whitespace already collapsed to single spaces.
 */
#ifndef HD_BLOCK_H
#define HD_BLOCK_H

#include <stddef.h>

#include "util.h"

/* Font faces; the index of the face in hd_fonts. */
enum hd_face {
	HD_REGULAR = 0,
	HD_BOLD = 1,
	HD_ITALIC = 2,
	HD_BOLD_ITALIC = 3,
	HD_NSTYLES = 4
};

typedef struct hd_span {
	struct hd_span *next;
	const char *text; /* UTF-8, not NUL-terminated necessarily: use len */
	size_t len;
	unsigned style;   /* enum hd_face */
	unsigned nobreak; /* 1: no line break inside (names, dates) except emergency */
	unsigned verbatim; /* 1: printed exactly as written, no typography (phone, e-mail, web) */
	int line;         /* source line of the text, 0 if unknown (for messages) */
} hd_span;

enum hd_block_kind {
	HD_BLK_PARA,      /* spans */
	HD_BLK_HEADING,   /* spans; level 1 (title) .. 3 */
	HD_BLK_LIST,      /* children are HD_BLK_ITEM; ordered or bulleted */
	HD_BLK_ITEM,      /* spans, then optional children (nested blocks) */
	HD_BLK_CALLOUT,   /* spans = title; children; drawn in a box, never split */
	HD_BLK_TOC,       /* a contents line: spans, then `right` (the page number)
	                     flush right; level 1 or 2 (indented) */
	HD_BLK_PAGEBREAK, /* the next block starts a new frame (column, panel, page) */
	HD_BLK_TABLE,     /* children are HD_BLK_ROW; `cols` gives column widths */
	HD_BLK_ROW,       /* children are HD_BLK_CELL; never split */
	HD_BLK_CELL,      /* children are any blocks */
	HD_BLK_FIGURE,    /* a drawing or an image, `fig_width` wide */
	HD_BLK_SPACER     /* vertical space: `fig_height` times the body size */
};

/* Block flags. */
#define HD_BF_KEEP_NEXT  1u  /* keep on the same page as the next block */
#define HD_BF_ORDERED    2u  /* HD_BLK_LIST: numbered */
#define HD_BF_NOJUSTIFY 16u  /* never justified (short labelled lines) */
#define HD_BF_FLOAT     32u  /* HD_BLK_FIGURE: floats at the right; text beside it
                                is narrowed, anything else goes below it */
#define HD_BF_OPTIONAL  64u  /* HD_BLK_FIGURE: left out when a document with a page
                                limit cannot keep to it otherwise */

typedef struct hd_block {
	struct hd_block *next;
	enum hd_block_kind kind;
	int level;                 /* headings: 1 title, 2 part, 3 entry, 4 section */
	unsigned flags;
	hd_span *spans;
	struct hd_block *children;
	hd_span *spans_tail;       /* cache of the last span (appends stay O(1)) */
	struct hd_block *children_tail; /* cache of the last child */
	int anchor;                /* > 0: layout records the page this block starts on */
	int target;                /* HD_BLK_TOC: the anchor whose page it shows */
	const char *right;         /* HD_BLK_TOC: the text set flush right */
	int style;                 /* index in the document's styles; -1: the kind's default */
	/* tables */
	const double *cols;        /* HD_BLK_TABLE: column widths as fractions (sum 1) */
	size_t ncols;
	int header_rows;           /* HD_BLK_TABLE: rows repeated after a break */
	/* figures */
	const struct hd_drawing *drawing; /* HD_BLK_FIGURE: vector art, or NULL */
	int image;                 /* HD_BLK_FIGURE without drawing: resource index */
	double fig_width;          /* HD_BLK_FIGURE: fraction of the frame's width (0..1] */
	double fig_height;         /* HD_BLK_FIGURE: height / width (0: from the art);
	                              HD_BLK_SPACER: times the body size */
} hd_block;

/* Tree building helpers. All return NULL when the arena is out of memory. */
hd_block *hd_block_new(hd_arena *a, enum hd_block_kind kind);
/* Appends a span (text is copied into the arena) and returns it; empty text
 * gives an empty span, which layout skips. NULL only when out of memory.
 * O(1): the block caches its last span. */
hd_span *hd_block_add_text(hd_arena *a, hd_block *b, unsigned style, const char *text,
                           size_t len);
/* Appends text, collapsing runs of XML whitespace into one space. *last_space
 * says whether the text so far ends in a space (a leading space of this text
 * is then dropped) and is updated. Returns HD_OK or HD_ENOMEM. */
int hd_block_add_text_collapse(hd_arena *a, hd_block *b, unsigned style, const char *text,
                               size_t len, int *last_space);
/* Appends a block at the end of a list whose head is *head. */
void hd_block_append(hd_block **head, hd_block *b);
/* Appends a child block. O(1): the parent caches its last child. */
void hd_block_add_child(hd_block *parent, hd_block *child);
/* Deep-copies a tree into another arena (for merging library text into a
 * document). Returns NULL when out of memory. */
hd_block *hd_block_copy_list(hd_arena *a, const hd_block *src);
/* Removes trailing spaces of the last span (after whitespace collapsing). */
void hd_block_trim(hd_block *b);
/* Appends every character of the tree's text to buf as plain text, one block
 * per line (for tests and "nothing lost" checks). */
int hd_block_plain_text(const hd_block *list, hd_buf *buf);

#endif
