/*
 * merge: a template, a session record (or none), the clinic and the content
 * library become one personalized document: named flows of blocks, in the
 * template's part order and the document's language, with the fields of the
 * running header and footer and the document's information. The template's
 * rules hold whatever it says: every client document shows every warning
 * sign of the library, in a box that is never split.
 *
 * No libxml2 and no libharu here: the document is plain data for layout.
 */
#ifndef HD_MERGE_H
#define HD_MERGE_H

#include "block.h"
#include "layout.h"
#include "model.h"
#include "chart.h"
#include "template.h"

/* A bookmark: the text of an anchored heading and its level (1 = top). */
typedef struct hd_outline_item {
	int level;
	int anchor;
	const char *title;
} hd_outline_item;

typedef struct hd_doc {
	hd_arena arena;
	enum hd_doc_kind kind;
	const hd_template *tmpl;
	const char *lang;
	/* the flows, named as the template's frames name them */
	hd_flow_src *flows;
	size_t nflows;
	/* fields of the running header and footer */
	const char *clinic;         /* {clinic} */
	const char *clinic_line;    /* {clinic-line}: address and phone */
	const char *contact;        /* {contact}: phone, email, website */
	const char *doc_title;      /* {doc-title} */
	const char *client;         /* {client}, or NULL */
	const char *date;           /* {date}: the session's, formatted */
	const char *therapist;      /* {therapist} */
	const char *page_label;     /* {page-label}: "Page {page} of {pages}" */
	const char *clinic_file, *template_file, *session_file;
	/* document information */
	const char *title, *subject, *author, *keywords;
	/* anchored headings (contents lines point at them; bookmarks) */
	hd_outline_item *outline;
	size_t noutline, outline_cap;
	hd_block **toc;             /* contents lines, whose page numbers layout decides */
	size_t ntoc, toc_cap;
	/* how to lay it out */
	double width, height;       /* paper, portrait, points */
	double body_size, min_body_size, min_text_size;
	int large_print;
} hd_doc;

typedef struct hd_merge_opts {
	const char *lang;     /* without a session: the language (NULL: the library's first) */
	int paper;            /* without a session: enum hd_paper */
	int large_print;      /* without a session */
	int64_t date_days;    /* without a session: the date shown (days since 1970); < 0: none */
	/* a progress report: every visit of the client, oldest first (the
	 * session given to hd_merge is the last of them) */
	const hd_session_rec *const *history;
	size_t nhistory;
} hd_merge_opts;

/* Builds the document. s may be NULL for kinds that do not need a session
 * (a brochure, the catalogue). Every unresolved reference is reported with
 * the session file, line and a "did you mean"; a language the template or
 * the library lacks is an error. On success *out is the caller's
 * (hd_doc_free); on failure *out is NULL and diags says why. */
int hd_merge(hd_doc **out, const hd_template *t, const hd_session_rec *s, const hd_clinic *c,
             const hd_library *lib, const hd_merge_opts *o, hd_diags *d);
void hd_doc_free(hd_doc *doc);

/* The field function layout calls for {clinic}, {client}...; ctx is the
 * hd_doc. */
const char *hd_doc_field(const void *ctx, const char *key, hd_field_info *info);

/* Sets the page numbers of the contents lines from where their anchors
 * landed. Returns 1 if any number changed (lay out again), 0 if none did,
 * or HD_ENOMEM (negative). */
int hd_doc_set_pages(hd_doc *doc, const hd_anchor_pos *anchors, size_t nanchors);

/* {name} placeholders from a NULL-terminated key/value list. An arena
 * string, or NULL when out of memory. */
const char *hd_fill(hd_arena *a, const char *fmt, const char *const *kv);

/* A date with the template's labels for lang (months, date-format,
 * time-format, date-time). An arena string, or NULL. */
const char *hd_format_date(hd_arena *a, const hd_template *t, const char *lang,
                           const hd_date *date);

#endif
