/*
 * merge: resolves a session record's references against the library and
 * builds the personalized document (a block tree) in the template's part
 * order, in the session's language, plus what the page frame needs (header,
 * footer, sizes). Applies the template's rules: warning signs are always
 * included on an aftercare sheet.
 */
#ifndef HD_MERGE_H
#define HD_MERGE_H

#include "block.h"
#include "model.h"

typedef struct hd_merged {
	hd_arena arena;
	hd_block *doc;
	const char *lang;
	/* document information */
	const char *title;        /* "Aftercare for Zoë Łukasiewicz" */
	const char *subject;
	const char *author;       /* the clinic */
	const char *keywords;
	/* page frame */
	double width, height;     /* points */
	double body_size, min_body_size;
	int max_pages;
	int justify;
	const char *header_line;  /* address · phone */
	const char *doc_kind;     /* "Aftercare sheet" */
	const char *footer_left;  /* phone · email · web */
	const char *page_label;   /* "Page {page} of {pages}" */
} hd_merged;

/* Builds the aftercare document. Every unresolved reference (technique, tip)
 * is reported with the session file, line and a "did you mean" suggestion;
 * then HD_EINPUT is returned and *out is NULL. On success *out is the
 * caller's (hd_merged_free). */
int hd_merge_aftercare(hd_merged **out, const hd_session_rec *s, const hd_template *t,
                       const hd_clinic *c, const hd_library *lib, hd_diags *d);
void hd_merged_free(hd_merged *m);

/* Builds the proofreading catalogue: every entry of the library in lang (or
 * in every language of the library when lang is NULL), grouped by language
 * and kind, with a table of contents whose page numbers are "000" until
 * hd_catalogue_set_pages fills them in from a layout. Returns HD_EINPUT for
 * a language the library does not have. */
int hd_merge_catalogue(hd_merged **out, const hd_template *t, const hd_clinic *c,
                       const hd_library *lib, const char *lang, hd_diags *d);

/* Sets the page numbers of the contents lines from anchor pages (1-based,
 * indexed by anchor). Returns 1 if any number changed, 0 if none did. */
int hd_catalogue_set_pages(hd_merged *m, const int *pages, size_t npages);

/* The header's second line: the clinic's address lines and phone,
 * "12 Mill Lane, Springfield  ·  +1 555 0100". An arena string, or NULL when
 * out of memory. */
const char *hd_header_line(hd_arena *a, const hd_clinic *c);

/* Fills {name} placeholders from a NULL-terminated key/value list. Returns
 * an arena string, or NULL when out of memory. */
const char *hd_fill(hd_arena *a, const char *fmt, const char *const *kv);

/* Formats a date with the template's labels for lang (months, date-format,
 * time-format, date-time). Returns an arena string or NULL. */
const char *hd_format_date(hd_arena *a, const hd_template *t, const char *lang,
                           const hd_date *date);

#endif
