/*
 * template: a loaded template (urn:handout:template:2): how one kind of
 * document looks and what it shows, as data (see style.h for the page master
 * and the styles, vocab.h for the parts).
 */
#ifndef HD_TEMPLATE_H
#define HD_TEMPLATE_H

#include "style.h"
#include "util.h"
#include "vocab.h"

/* A part of the document, as the template lists it. */
typedef struct hd_part {
	enum hd_part_type type;
	const char *flow;        /* the flow it goes to ("main" unless given) */
	const char *heading;     /* label key of its heading; "" none; NULL the part's default */
	int chapter;             /* a chapter: an anchored heading for contents and bookmarks */
	const char **kinds;      /* HD_PT_LIBRARY: the entry kinds, in order */
	size_t nkinds;
	enum hd_detail detail;
	const char *label;       /* HD_PT_TEXT: the label key it prints */
	const char *style;       /* HD_PT_TEXT: the style it is set in ("body" unless given) */
	int columns;             /* HD_PT_WARNINGS: 1 or 2 (standard print only) */
	enum hd_figures figures; /* parts that list entries: where their drawings go */
	double figure_width;     /* ... as a fraction of the text's width */
	int figures_optional;    /* ... left out when the page limit needs it */
	const char *drawing;     /* HD_PT_BODY_DIAGRAM: the library drawing it shows */
	double width;            /* HD_PT_BODY_DIAGRAM: fraction of its frame (or cell) */
	int floating;            /* HD_PT_BODY_DIAGRAM: float="right" */
	double height;           /* HD_PT_PAIN_CHART: height as a fraction of its width */
	const double *widths;    /* HD_PT_ROW: each cell's width, fractions summing to 1 */
	int ncells;              /* HD_PT_ROW */
	int row;                 /* > 0: the part sits in the <row> that is part row - 1 */
	int cell;                /* ... in this cell (0-based) */
	int line;                /* in the template file, for messages */
} hd_part;

typedef struct hd_label {
	const char *key;
	const char *value;
} hd_label;

typedef struct hd_labels {
	struct hd_labels *next;
	const char *lang;
	int quotes;              /* quotes="angle": 1 («…» with “…” inside); "curly" or none: 0 */
	hd_label *items;
	size_t count;
} hd_labels;

typedef struct hd_template {
	hd_arena arena;
	const char *file;
	const char *id;
	enum hd_doc_kind kind;
	double body_size;        /* points */
	double large_body_size;
	double min_body_size;    /* floor when shrinking, standard print */
	double min_large_size;   /* floor when shrinking, large print */
	double large_minimum;    /* no text smaller in large print, points */
	const char *font_family; /* <fonts family="...">, or NULL: the configuration's default */
	const char *font_headings; /* <fonts headings="...">: the bold faces' family, or NULL */
	int font_line;
	hd_page_spec page;
	hd_style *styles;
	size_t nstyles;
	hd_part *parts;
	size_t nparts;
	hd_labels *labels;       /* one set per language */
} hd_template;

/* The label for key in lang, falling back to English. NULL when neither has
 * it (the loader makes sure every key a part prints is there). */
const char *hd_template_label(const hd_template *t, const char *lang, const char *key);
/* The index of the style named name, or -1. */
int hd_template_style(const hd_template *t, const char *name);
/* The quotation marks of lang: 1 for «…» (quotes="angle" on its labels), 0
 * for “…” (the default). */
int hd_template_quotes(const hd_template *t, const char *lang);
/* 1 if the template has labels for lang. */
int hd_template_has_lang(const hd_template *t, const char *lang);
void hd_template_free(hd_template *t);

#endif
