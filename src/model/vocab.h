/*
 * vocab: the one table of the XML vocabulary that C code needs to know: the
 * kinds of document, the parts a template may list (which kinds take them,
 * which labels and styles they print), the kinds of library entries and the
 * roles of their sections, the body areas and the pressures of a session.
 *
 * The loader checks files against it and builds its messages from it, merge
 * and the catalogue walk it, and tests/unit/test_vocab.c checks it against
 * the RELAX NG schemas, so the C code and the schemas cannot drift apart.
 */
#ifndef HD_VOCAB_H
#define HD_VOCAB_H

#include <stddef.h>

#include "handout.h"

/* Kinds of document (a template's kind="..."): enum hd_doc_kind, public. */
#define HD_KIND_BIT(k) (1u << (k))

extern const char *const hd_kind_names[HD_KIND_COUNT];
/* The kind named name, or -1. */
int hd_kind_find(const char *name);

/* Parts a template lists. */
enum hd_part_type {
	HD_PT_TITLE,       /* "Aftercare for {client}" */
	HD_PT_SUMMARY,     /* date, therapist, pressure */
	HD_PT_TECHNIQUES,  /* the session's techniques */
	HD_PT_AREAS,       /* the areas worked */
	HD_PT_NOTES,       /* the therapist's notes */
	HD_PT_SELFCARE,    /* the session's tips and exercises, with doses */
	HD_PT_WARNINGS,    /* every warning sign, in a box never split */
	HD_PT_NEXT_VISIT,
	HD_PT_DISCLAIMER,
	HD_PT_COVER,       /* logo, clinic, title, "for <client>", date */
	HD_PT_CONTACT,     /* the clinic's address, phone, email, website */
	HD_PT_CONTENTS,    /* table of contents with page numbers */
	HD_PT_ENTRIES,     /* catalogue: every entry, by language and kind */
	HD_PT_LIBRARY,     /* library entries of the kinds listed */
	HD_PT_TEXT,        /* a paragraph: the label given */
	HD_PT_BREAK,       /* the next part starts in a new frame */
	HD_PT_ROW,         /* parts side by side, in cells of set widths */
	HD_PT_BODY_DIAGRAM,/* the body seen from the back, the areas worked shaded */
	HD_PT_QR,          /* the clinic's booking address as a QR code */
	HD_PT_VISITS,      /* report: a table of the visits, its header repeated */
	HD_PT_PAIN_CHART,  /* report: pain before and after each visit over time */
	HD_PT_HEAT_MAP,    /* report: the body diagram shaded by how often each area was worked */
	HD_PT_REPORT_SUMMARY, /* report: how many visits, from when to when */
	HD_PT_COUNT
};

enum hd_detail { HD_DETAIL_DEFAULT = -1, HD_DETAIL_TITLES, HD_DETAIL_SUMMARY, HD_DETAIL_FULL };

/* Where a part that lists entries shows their drawings (an exercise's
 * start and end position): not at all, in a column beside the text,
 * floating at the right with the text wrapping around it, or below it. */
enum hd_figures { HD_FIGURES_NONE, HD_FIGURES_BESIDE, HD_FIGURES_FLOAT, HD_FIGURES_BELOW };

typedef struct hd_part_info {
	const char *name;            /* element name in <parts> */
	unsigned kinds;              /* HD_KIND_BIT of the kinds that take it */
	const char *heading;         /* label key of its default heading, or NULL */
	const char *const *labels;   /* label keys it prints, NULL-terminated */
	const char *const *styles;   /* style names it uses, NULL-terminated */
	int session;                 /* 1: shows the session (needs one) */
} hd_part_info;

extern const hd_part_info hd_parts[HD_PT_COUNT];
/* The part named name, or -1. */
int hd_part_find(const char *name);

/* Label keys and styles every document prints (page label, title, dates in
 * the header, the footer's contact line). */
extern const char *const hd_document_labels[];
extern const char *const hd_document_styles[];

/* Kinds of library entries (library.rng), in the catalogue's order. */
extern const char *const hd_entry_kinds[];
extern const size_t hd_entry_kind_count;
/* Section roles (library.rng); all but "body" get a heading. */
extern const char *const hd_section_roles[];
extern const size_t hd_section_role_count;
/* Body areas of a session (session.rng), head to toe; labels "area.<code>". */
extern const char *const hd_area_codes[];
extern const size_t hd_area_count;
/* Pressures of a session (session.rng); labels "pressure.<code>". */
extern const char *const hd_pressures[];
extern const size_t hd_pressure_count;

/* The index of s in the list (n entries), or -1. */
int hd_vocab_index(const char *const *list, size_t n, const char *s);

#endif
