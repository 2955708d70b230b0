/*
 * inline: text as a flat list of flow items, and line breaking.
 *
 * A paragraph's spans become items: words (text in one face that never
 * breaks inside, except in an emergency), breakable spaces, soft hyphens
 * (U+00AD: a place to break with a hyphen), forced breaks, anchors and
 * inline boxes. Items are measured once, at one size; breaking them into
 * lines is a pure function of (items, start position, width, metrics) that
 * paragraphs, list items, table cells, headers and footers all use. A line
 * can start in the middle of an item (after an emergency break inside a
 * word too wide for any line), so positions are (item, byte offset).
 */
#ifndef HD_INLINE_H
#define HD_INLINE_H

#include <stddef.h>
#include <stdint.h>

#include "block.h"
#include "hyphenate.h"
#include "util.h"

/* Text measurement. width() returns the advance of cp in 1/1000 em, or -1
 * when the face has no glyph for it. Ascent and descent per face, 1/1000 em
 * (descent negative). */
typedef struct hd_metrics {
	const void *ctx;
	int (*width)(const void *ctx, unsigned face, uint32_t cp);
	int ascent[HD_NSTYLES];
	int descent[HD_NSTYLES];
} hd_metrics;

enum hd_fi_kind {
	HD_FI_WORD,   /* text without a breakable space (no-break spaces may be inside) */
	HD_FI_SPACE,  /* one or more breakable U+0020; text points at them */
	HD_FI_SHY,    /* a soft hyphen: a break shows a hyphen, no break shows nothing */
	HD_FI_BREAK,  /* a forced line break */
	HD_FI_ANCHOR, /* marks a place (anchor number) without width */
	HD_FI_BOX     /* an inline box of fixed width (a marker, a small drawing) */
};

typedef struct hd_fi {
	enum hd_fi_kind kind;
	unsigned face;       /* WORD, SPACE, SHY: the face */
	const char *text;    /* WORD, SPACE: the bytes (not NUL-terminated) */
	size_t len;
	int nspaces;         /* WORD: U+0020 inside (no-break); SPACE: how many spaces */
	double width;        /* points at the size the items were made for */
	int anchor;          /* ANCHOR: its number */
	double ascent;       /* BOX: height above the baseline, points */
	double descent;      /* BOX: depth below it, points (positive) */
	const void *payload; /* BOX: what the caller draws there */
	int line;            /* source line of the text, 0 if unknown (for messages) */
} hd_fi;

/* A growable list of items. */
typedef struct hd_fi_list {
	hd_fi *items;
	size_t count, cap;
} hd_fi_list;

/* Appends a zeroed item; NULL when out of memory. */
hd_fi *hd_fi_push(hd_fi_list *l);
void hd_fi_list_free(hd_fi_list *l);

/* Width of len bytes of text in face at size, points. A character without a
 * glyph counts 0 (check text with hd_text_check first). */
double hd_text_width(const hd_metrics *m, unsigned face, double size, const char *text,
                     size_t len);

/* Appends the items of spans, every face OR-ed with add_face, measured at
 * size: a span's text is cut at breakable spaces (a span marked nobreak
 * keeps its spaces inside its words), soft hyphens and line feeds (which
 * the loader never leaves in text, but merge may put in). Returns HD_OK or
 * HD_ENOMEM. */
int hd_itemize(hd_fi_list *out, const hd_span *spans, unsigned add_face, double size,
               const hd_metrics *m);

/* Items made by hd_itemize at size HD_FI_UNITS have widths in 1/1000 em,
 * exact integers. hd_fi_at_size copies n of them to dst with the widths
 * hd_itemize gives at size, bit for bit (the same expressions on the same
 * integers), so a text is itemized once and reused at every size. */
#define HD_FI_UNITS 1000.0
void hd_fi_at_size(hd_fi *dst, const hd_fi *units, size_t n, double size);

/* A place in a list of items: item index and byte offset inside it. */
typedef struct hd_pos {
	size_t item;
	size_t off;
} hd_pos;

typedef struct hd_line {
	hd_pos start;      /* first item of the line (its text starts at off) */
	hd_pos end;        /* where the visible text ends (exclusive) */
	hd_pos next;       /* where the next line starts */
	double width;      /* natural width of the visible text (with the hyphen), points */
	int nspaces;       /* U+0020 in the visible text (justification stretches them) */
	int hyphen;        /* enum hd_hyph_kind: HD_HY_SOFT, broken at a soft hyphen or a
	                      dictionary point (a hyphen is drawn at the end); HD_HY_HARD,
	                      right after the word's own hyphen */
	int last;          /* ends the paragraph or at a forced break: never justified */
	unsigned faces;    /* bit mask of the faces used (for ascent and descent) */
	int emergency;     /* broken inside a word: nothing else fitted */
} hd_line;

/* Breaks one line from start in width points, greedily (first fit): the
 * line takes items up to the last break opportunity (space, soft hyphen)
 * that fits; a word wider than the whole line is broken between characters
 * (at its last no-break space that fits, if it has one), never overflowing
 * except by its first character. Leading spaces are skipped. Returns 0 when
 * start is at the end of the items (no line), else 1 with *line filled in.
 * The same as hd_break_line_opts without options. */
int hd_break_line(const hd_fi *items, size_t n, hd_pos start, double width,
                  const hd_metrics *m, double size, hd_line *line);

/* Hyphenation, for justified text. */
typedef struct hd_break_opts {
	const hd_hyphenator *hy; /* NULL: no hyphenation (soft hyphens still break) */
	double loose;            /* points: hyphenate the word that did not fit only when
	                            the line without it would add more than this to each
	                            of its spaces */
	int no_hyphen;           /* 1: the lines before ended with hyphens often enough:
	                            end this one at a space, unless none fits */
} hd_break_opts;

/* hd_break_line, and with o->hy: when the greedy line is loose (its spaces
 * would each stretch by more than o->loose; a line without a space, when
 * its gap at the end is wider than that), the word that did not fit is
 * broken at the last of its hyphenation points (hyphenate.h) that fits, and
 * a word wider than the line breaks at a hyphenation point before it is cut
 * between characters. With o->no_hyphen a line ends at a soft hyphen or a
 * hyphenation point only when nothing else but a cut would do. Pure: a
 * function of its arguments (the dictionary included). */
int hd_break_line_opts(const hd_fi *items, size_t n, hd_pos start, double width,
                       const hd_metrics *m, double size, const hd_break_opts *o, hd_line *line);

/* The character drawn for a line's soft hyphen in face: U+00AD (which
 * DejaVu draws as a hyphen and text extraction keeps as a soft hyphen, so
 * pdftotext shows where the layout broke a word), or "-" when the metrics
 * have no glyph for it. */
uint32_t hd_soft_hyphen_cp(const hd_metrics *m, unsigned face);

/* Visits the visible text of a line as runs of one face: cb(ctx, face, text,
 * len, nspaces, width). Spaces between words are in the runs (as " " * the
 * space count), so a run is drawn as one string. A line broken at a soft
 * hyphen or a hyphenation point ends with U+00AD (hd_soft_hyphen_cp); one
 * broken after a word's own hyphen ends with U+2010 HYPHEN instead of
 * U+002D (same glyph): pdftotext joins a line ending in U+002D to the next
 * and drops the hyphen ("self-care" would come out "selfcare"); it keeps
 * U+2010 and U+00AD, and the "nothing lost" checks join them (README). Returns the first non-zero cb result, or HD_OK /
 * HD_ENOMEM. */
typedef int (*hd_run_cb)(void *ctx, unsigned face, const char *text, size_t len, int nspaces,
                         double width);
int hd_line_runs(const hd_fi *items, const hd_line *line, const hd_metrics *m, double size,
                 hd_run_cb cb, void *ctx);

#endif
