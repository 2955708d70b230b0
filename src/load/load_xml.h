/*
 * load_xml: the libxml2 side of loading, shared by the load_*.c converters.
 *
 * hd_xml_open reads a file with a size cap, refuses what is not XML (PNG,
 * gzip...), pre-scans the bytes (UTF-8 only, no DOCTYPE, at most 64
 * attributes per element), parses them from memory with XML_PARSE_NONET |
 * XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC only, refuses any DOCTYPE, checks the root element and version, validates
 * it against the compiled RELAX NG schema and reports every problem with
 * file, line and (where libxml2 knows it) column. The converters then walk
 * the tree with the small helpers below; they never call libxml2's text
 * getters that allocate, and they report through hd_xml_error so that the
 * count of problems per file is known even when diags is NULL.
 */
#ifndef HD_LOAD_XML_H
#define HD_LOAD_XML_H

#include <libxml/relaxng.h>
#include <libxml/tree.h>

#include "check.h"
#include "load.h"

struct hd_loader {
	xmlRelaxNGPtr rng[HD_VOCAB_LAST + 1]; /* indexed by enum hd_vocab; [0] unused */
};

/* One open, valid document. */
typedef struct hd_xml {
	xmlDocPtr doc;
	xmlNodePtr root;
	enum hd_vocab vocab;
	const char *path;  /* borrowed from the caller; "<stdin>" for "-" */
	hd_diags *d;
	int errors;        /* problems reported through hd_xml_error */
	int oom;           /* an allocation failed while converting */
	int valid;         /* the document passed its schema */
	char *buf;         /* the file's bytes (for columns inside attributes) */
	size_t len;
	const char *field; /* the session field being read, given to its errors; or NULL */
} hd_xml;

/* hd_xml_open flag: keep a document that failed its schema (see there). */
#define HD_XML_KEEP_INVALID 1u

/* Opens path as a handout file of vocabulary want (HD_VOCAB_UNKNOWN: any).
 * Returns HD_OK with x filled in (release with hd_xml_close), or HD_EIO /
 * HD_EINPUT / HD_ENOMEM after reporting every problem to d; x->vocab tells
 * the vocabulary when the root element was recognised. With
 * HD_XML_KEEP_INVALID in flags, a document that parsed, has the right root
 * and version but fails its schema is kept in x (x->valid 0; HD_EINPUT) so
 * that the caller can look for more problems in it; otherwise, on failure,
 * x holds no document. hd_xml_close is right after any return. max is the
 * size cap in bytes. */
int hd_xml_open(hd_xml *x, hd_loader *l, const char *path, size_t max,
                enum hd_vocab want, unsigned flags, hd_diags *d);
/* hd_xml_open on bytes in memory instead of a file: name is what
 * diagnostics call it; buf is copied. len over max is refused like a file
 * over its cap. */
int hd_xml_open_mem(hd_xml *x, hd_loader *l, const char *name, const void *buf, size_t len,
                    size_t max, enum hd_vocab want, unsigned flags, hd_diags *d);
/* Frees the document. Accepts a zeroed x. */
void hd_xml_close(hd_xml *x);

/* The status a converter returns once it has walked the whole tree:
 * HD_ENOMEM, HD_EINPUT when any problem was reported, else HD_OK. */
int hd_xml_status(const hd_xml *x);

/* 1 when s has the shape of a library id: lower-case letters, digits, '-'. */
int hd_xml_is_id(const char *s);

/* Reports an error at n's line (column 0: libxml2 keeps no column for
 * nodes), with code HD_DIAG_INVALID and x->field. */
void hd_xml_error(hd_xml *x, xmlNodePtr n, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same with a code (hd_diag_code). */
void hd_xml_error_c(hd_xml *x, xmlNodePtr n, int code, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Where n is, for the shared value checks (check.h). */
hd_where hd_xml_where(hd_xml *x, xmlNodePtr n);

/* Reports an error inside the value of attribute name of element n, at byte
 * off of its (normalised) value: "file:line:col" of that very character,
 * found in the file's bytes (a value written over several lines, or with
 * character references, is followed). Falls back to the element's line. */
void hd_xml_error_in_attr(hd_xml *x, xmlNodePtr n, const char *name, size_t off,
                          const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* ----- tree walking (the tree is schema-valid when these run) ----------- */

/* n if it is an element, else the next element sibling after n; NULL at the end. */
xmlNodePtr hd_xml_elem(xmlNodePtr n);
#define HD_XML_EACH(c, parent) \
	for ((c) = hd_xml_elem((parent)->children); (c); (c) = hd_xml_elem((c)->next))
/* 1 when n is an element with local name name. */
int hd_xml_is(xmlNodePtr n, const char *name);
/* The first child element named name, or NULL. */
xmlNodePtr hd_xml_child(xmlNodePtr parent, const char *name);
/* The value of an attribute without namespace, borrowed from the tree; NULL
 * when absent. */
const char *hd_xml_attr(xmlNodePtr n, const char *name);
/* The value of xml:lang on n itself (not inherited), borrowed; NULL if absent. */
const char *hd_xml_lang(xmlNodePtr n);
/* n's line number (beyond 65535 too); 0 when unknown. */
int hd_xml_line(xmlNodePtr n);

/* Copies s into a with XML white space (space, tab, CR, LF) trimmed and each
 * run collapsed to one space. Returns NULL when out of memory (x->oom set). */
char *hd_xml_collapse(hd_xml *x, hd_arena *a, const char *s);
/* The text content of a text-only element, collapsed. When it is empty and
 * required, reports "<name> is empty" and returns NULL; when it is empty and
 * not required, returns "". NULL also on out of memory (x->oom set). */
const char *hd_xml_text(hd_xml *x, hd_arena *a, xmlNodePtr n, int required);
/* Trims Unicode blanks (hd_unicode_blank: no-break and other invisible
 * spaces) from both ends of s (already XML-collapsed) into a copy in a,
 * then checks its length against f: over f->max characters it reports
 * "the client's name is 500 characters long; the limit is 100" at n and
 * returns NULL. Returns "" when nothing is left (the caller words that),
 * NULL also on out of memory (x->oom set). what may be NULL to use f's. */
const char *hd_xml_limit(hd_xml *x, hd_arena *a, xmlNodePtr n, const char *s,
                         const hd_text_field *f, const char *what);
/* The text of a required element, collapsed and checked with hd_xml_limit.
 * Reports "<name> is empty", or "<name> holds only white space" when only
 * Unicode blanks are left. Returns NULL on any problem. */
const char *hd_xml_field(hd_xml *x, hd_arena *a, xmlNodePtr n, const hd_text_field *f);
/* Converts the <p>, <ul> and <ol> children of parent into a block list in a
 * (inline <em>/<strong> become styles). Reports empty paragraphs and items.
 * Returns the list (NULL when there is nothing or on error; see x). */
hd_block *hd_xml_blocks(hd_xml *x, hd_arena *a, xmlNodePtr parent);
/* Parses s (already collapsed) as YYYY-MM-DD, or YYYY-MM-DDTHH:MM when
 * allow_time, and checks that the day exists. On failure reports at n and
 * returns HD_EINPUT; *out is then zeroed (hour/minute -1). */
int hd_xml_date(hd_xml *x, xmlNodePtr n, const char *s, int allow_time, hd_date *out);

/* Reads the refs of a <techniques> or <selfcare> list (list may be NULL)
 * into an array in a, with their doses (limited and checked); reports an
 * id listed twice ("technique 'x' is listed twice", what naming the kind).
 * Returns HD_OK or HD_ENOMEM. */
int hd_xml_refs(hd_xml *x, hd_arena *a, xmlNodePtr list, const char *what, hd_ref **out,
                size_t *count);

/* ----- converters (one per vocabulary; each in its load_*.c) ------------- */

/* Each converts an open document into a new model object. On failure *out is
 * NULL and every problem has been reported through x. */
int hd_convert_template(hd_template **out, hd_xml *x);
int hd_convert_clinic(hd_clinic **out, hd_xml *x);
int hd_convert_fonts(hd_font_config **out, hd_xml *x);
int hd_convert_presets(hd_presets_rec **out, hd_xml *x);
int hd_convert_session(hd_session_rec **out, hd_xml *x);
/* Checks every <technique ref> and <tip ref> anywhere in the session
 * document x (valid or not) against lib, reporting unknown ids. Refs that
 * are not id-shaped are left to the schema's message. Returns HD_OK,
 * HD_EINPUT or HD_ENOMEM. */
int hd_session_check_refs(hd_xml *x, const hd_library *lib);
/* Adds the entries of one library file to lib (languages are checked against
 * lib's, or set from this file when lib has none yet). */
int hd_library_add(hd_library *lib, hd_xml *x);
/* Reads one <drawing> of a library file into lib's arena: shapes into
 * Bezier paths (drawing.h), colour names, regions, a text alternative per
 * language. Returns the drawing, or NULL when it is unusable (every problem
 * reported, with the column inside path data) or out of memory (x->oom). */
hd_drawing *hd_read_drawing(hd_library *lib, hd_xml *x, xmlNodePtr n, const char *file);
/* Sorts lib's entries and drawings by id, reports duplicate ids (naming both
 * places) and resolves each entry's drawing, in lib or else in context (the
 * whole library, when one file is checked on its own; may be NULL).
 * Returns HD_OK or HD_EINPUT. */
int hd_library_finish(hd_library *lib, const hd_library *context, hd_diags *d);

#endif
