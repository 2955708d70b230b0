/*
 * typography: the printer's characters for what content, notes and names
 * write in ASCII, applied at merge time so that layout, the dump and the
 * PDF all see the same text.
 *
 *  - apostrophes: don't -> don’t, ’90s (U+2019); a quote mark opening a
 *    single-quoted phrase becomes ‘ (U+2018);
 *  - double quotes: “…” (U+201C, U+201D) in English; in Spanish «…» with
 *    “…” inside, or “…” with ‘…’ inside, as the template's labels say
 *    (quotes="angle" or "curly"); which mark opens and which closes is told
 *    by what comes before it;
 *  - ranges of numbers: 3-5, 20-30 -> 3–5, 20–30 (U+2013), only for one to
 *    three digits on each side, rising, and not inside a longer chain of
 *    digits and signs (dates like 2026-11-20, phone numbers, times and
 *    versions stay as written);
 *  - a spaced hyphen used as a dash (" - ") becomes an en dash; the spaces
 *    before a spaced dash (– —) or a separating dot or bullet (· •)
 *    become no-break spaces, so that no line starts with one;
 *  - a number and its unit are joined by a no-break space: 30 s, 15 min,
 *    2 cm, 3 times, 20 minutos, 3 veces (the units are listed in
 *    typography.c);
 *  - words with "://", "www." or "@" (URLs, e-mail addresses) or with a
 *    character of code (_ = < > { } \ ` |) are copied as they are, and so
 *    is a span marked verbatim (the clinic's phone, e-mail and website).
 *    Typographic characters already in the text are kept.
 */
#ifndef HD_TYPOGRAPHY_H
#define HD_TYPOGRAPHY_H

#include <stddef.h>

#include "block.h"
#include "util.h"

/* Quotation marks: the outer pair and the pair used inside it. */
typedef enum hd_quotes {
	HD_QUOTES_CURLY = 0, /* “…” with ‘…’ inside (English; Spanish if the template says) */
	HD_QUOTES_ANGLE = 1  /* «…» with “…” inside (Spanish) */
} hd_quotes;

/* What carries over from one span to the next within a paragraph: the last
 * character written and how deep in quotation marks the text is. */
typedef struct hd_typo_state {
	uint32_t prev;   /* 0 at the start of a paragraph */
	int depth;       /* open double quotes */
} hd_typo_state;
#define HD_TYPO_STATE_INIT { 0, 0 }

/* The typographic form of text (len bytes of UTF-8). Returns text itself
 * when nothing changes, else a new NUL-terminated string in a (its length
 * in *out_len); NULL when out of memory. st is updated either way. */
const char *hd_typo_text(hd_arena *a, hd_quotes q, hd_typo_state *st, const char *text,
                         size_t len, size_t *out_len);

/* Applies hd_typo_text to every span of blocks and their children, one
 * state per block (a paragraph, heading, list item or cell), skipping the
 * text of spans marked verbatim (they still advance the state). Returns
 * HD_OK or HD_ENOMEM. */
int hd_typo_blocks(hd_arena *a, hd_quotes q, hd_block *blocks);

/* hd_typo_text on a NUL-terminated string from a fresh state; NULL stays
 * NULL. Returns the string to use, or NULL when out of memory (*oom set). */
const char *hd_typo_str(hd_arena *a, hd_quotes q, const char *s, int *oom);

#endif
