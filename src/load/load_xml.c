/*
 * load_xml: secure parsing, schema validation and plain-words diagnostics.
 *
 * The rules come from ../shared/notes/libxml2-untrusted-input.md, measured on
 * libxml2 2.9.14: we read the bytes ourselves with a size cap, pre-scan them
 * in one linear pass (prescan: UTF-8 only, no DOCTYPE, at most
 * HD_MAX_ATTRIBUTES attributes on an element, which libxml2 handles in
 * quadratic time) and parse them from memory (no gunzip), with
 * XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC and nothing
 * else (never NOENT, DTDLOAD, DTDATTR, DTDVALID, HUGE, XINCLUDE). A SAX
 * internalSubset hook stops the parser at any DOCTYPE the pre-scan let by,
 * so no entity, DTD or external reference is ever declared, let alone
 * expanded. The default depth limit (256) stays on.
 *
 * libxml2's messages are rewritten into plain words. RELAX NG errors are
 * buffered while validating, then explained: cascades ("Element x failed to
 * validate content" above an error already shown) are dropped, and an error
 * inside a library <entry> is replaced by a precise account of what that
 * entry lacks, because the schema's choice over kinds only says "failed".
 */
#include "load_xml.h"
#include "check.h"

#include "drawing.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

/* RELAX NG errors are explained in batches of this many, so that memory
 * stays bounded however many there are and every one is counted (the cap
 * on what is shown is the diagnostics list's, HD_DIAGS_MAX_ERRORS). */
#define HD_RNG_BATCH 1000

/* The most attributes one element may have. libxml2 checks each attribute
 * of an element against all the earlier ones (and builds the list the same
 * way), so 100,000 on one element cost over 10 s; no element of any handout
 * vocabulary has more than a handful. */
#define HD_MAX_ATTRIBUTES 64

/* ----- vocabularies ---------------------------------------------------------- */

static const struct vocab_info {
	const char *root;
	const char *ns;
	const char *schema;
	const char *order_hint; /* children of the root, in order ([x]: optional) */
	size_t max;             /* size cap of such a file, bytes */
	const char *noun;       /* "a session record", for messages */
	const char *version;    /* the version attribute this program reads */
} vocabs[] = {
	[HD_VOCAB_UNKNOWN] = { NULL, NULL, NULL, NULL, HD_MAX_XML_FILE, "a handout file", NULL },
	[HD_VOCAB_LIBRARY] = { "library", "urn:handout:library:1", "library.rng", NULL,
	                       HD_MAX_XML_FILE, "a library file", "1" },
	[HD_VOCAB_TEMPLATE] = { "template", "urn:handout:template:2", "template.rng", NULL,
	                        HD_MAX_XML_FILE, "a template", "2" },
	[HD_VOCAB_CLINIC] = { "clinic", "urn:handout:clinic:1", "clinic.rng", NULL,
	                      HD_MAX_RECORD_FILE, "a clinic profile", "1" },
	[HD_VOCAB_SESSION] = { "session", "urn:handout:session:1", "session.rng", NULL,
	                       HD_MAX_RECORD_FILE, "a session record", "1" },
	[HD_VOCAB_FONTS] = { "fonts", "urn:handout:fonts:1", "fonts.rng", NULL,
	                     HD_MAX_RECORD_FILE, "a font configuration", "1" },
	[HD_VOCAB_PRESETS] = { "presets", "urn:handout:presets:1", "presets.rng", NULL,
	                       HD_MAX_RECORD_FILE, "a programmes file", "1" },
};

/* The children of a container, in schema order, for "is missing <date>"
 * and "out of order" messages. '?' optional, '+' repeatable, '*' both. */
static const struct order_rule {
	enum hd_vocab vocab;
	const char *parent;
	const char *children[13];
} order_rules[] = {
	{ HD_VOCAB_SESSION, "session",
	  { "client", "date", "therapist", "language?", "print?", "techniques", "areas",
	    "pressure?", "pain?", "notes?", "selfcare?", "next-visit?", NULL } },
	{ HD_VOCAB_SESSION, "client", { "name", "email?", NULL } },
	{ HD_VOCAB_SESSION, "techniques", { "technique+", NULL } },
	{ HD_VOCAB_SESSION, "areas", { "area+", NULL } },
	{ HD_VOCAB_SESSION, "selfcare", { "tip+", NULL } },
	{ HD_VOCAB_PRESETS, "preset",
	  { "title+", "techniques?", "areas?", "pressure?", "selfcare?", NULL } },
	{ HD_VOCAB_CLINIC, "clinic",
	  { "name", "address", "phone", "email?", "website?", "booking?", "logo?", "colour?", NULL } },
	{ HD_VOCAB_CLINIC, "address", { "line+", NULL } },
	{ HD_VOCAB_TEMPLATE, "template",
	  { "type", "fonts?", "page", "styles", "parts", "labels+", NULL } },
	{ HD_VOCAB_TEMPLATE, "page", { "master+", "pages", NULL } },
	{ HD_VOCAB_TEMPLATE, "master", { "header?", "footer?", "frame+", NULL } },
	{ HD_VOCAB_TEMPLATE, "labels", { "label+", NULL } },
	{ HD_VOCAB_LIBRARY, "library", { "entry+", NULL } },
	{ HD_VOCAB_FONTS, "fonts", { "family+", "fallback*", NULL } },
	{ HD_VOCAB_FONTS, "family", { "face+", NULL } },
};

/* What a container must hold at least one of, for "needs at least one"
 * messages: where the schema has a choice or oneOrMore, libxml2 names no
 * element ("Expecting an element , got nothing"). Library sections, texts
 * and entries are explained by explain_entry. */
static const struct container_rule {
	enum hd_vocab vocab;
	const char *parent;
	const char *needs;  /* what it needs one of, as written in the message */
	const char *hint;
} container_rules[] = {
	{ HD_VOCAB_SESSION, "techniques", "<technique>",
	  "add <technique ref=\"...\"/> for each technique used ('handout list -k technique' lists them)" },
	{ HD_VOCAB_SESSION, "areas", "<area>",
	  "add <area>...</area> for each area worked, e.g. <area>neck</area>" },
	{ HD_VOCAB_SESSION, "selfcare", "<tip>",
	  "add <tip ref=\"...\"/> for each tip, or remove the empty <selfcare>" },
	{ HD_VOCAB_SESSION, "notes", "<p>, <ul> or <ol>",
	  "write the notes as <p>...</p>, or remove the empty <notes>" },
	{ HD_VOCAB_SESSION, "ul", "<li>", "write each item as <li>...</li>, or remove the empty list" },
	{ HD_VOCAB_SESSION, "ol", "<li>", "write each item as <li>...</li>, or remove the empty list" },
	{ HD_VOCAB_CLINIC, "address", "<line>", "write each line of the address as <line>...</line>" },
	{ HD_VOCAB_TEMPLATE, "parts", "part",
	  "list the parts in the order they are printed, e.g. <title/>, <summary/>, <warning-signs/>" },
	{ HD_VOCAB_TEMPLATE, "labels", "<label>", "write each label as <label key=\"...\">...</label>" },
	{ HD_VOCAB_TEMPLATE, "styles", "<style>", "define each style as <style name=\"...\" .../>" },
	{ HD_VOCAB_TEMPLATE, "pages", "<page>", "list the pages as <page master=\"...\"/>" },
	{ HD_VOCAB_LIBRARY, "library", "<entry> or <drawing>",
	  "a library file holds <entry> elements and <drawing> elements" },
};

/* ----- value rules: what a value must look like, for errors -------------- */


/* Value checks for the rules below: 1 when s is acceptable. */
/* An id: lower-case letters, digits and '-'. */
int hd_xml_is_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return 0;
	}
	return 1;
}

/* A language code: two or three lower-case letters. */
static int is_lang(const char *s)
{
	size_t n = strlen(s), i;
	if (n < 2 || n > 3)
		return 0;
	for (i = 0; i < n; i++) {
		if (!islower((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

/* A date shape, YYYY-MM-DD. */
static int is_date(const char *s)
{
	return hd_check_date_shape(s, 0);
}

/* A type size in points, 6 to 72. */
static int is_size(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	return end != s && *end == '\0' && v >= 6 && v <= 72;
}

/* A plain decimal number (a drawing's coordinates and sizes). */
static int is_decimal(const char *s)
{
	size_t at;
	double v;
	return hd_parse_numbers(s, &v, 1, &at) == HD_OK;
}

/* Four numbers: a drawing's viewBox. */
static int is_viewbox(const char *s)
{
	size_t at;
	double v[4];
	return hd_parse_numbers(s, v, 4, &at) == HD_OK;
}

/* A page count, 1 to 20. */
static int is_pages(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return end != s && *end == '\0' && v >= 1 && v <= 20;
}

/* A value rule: element (and attribute, or NULL for the element's text),
 * either a list of allowed values ("a|b|c") or a check function. */
static const struct value_rule {
	enum hd_vocab vocab;
	const char *elem;
	const char *attr;
	int required;
	const char *choices;
	int (*check)(const char *);
	const char *what;  /* noun for messages */
	const char *hint;
} value_rules[] = {
	{ HD_VOCAB_SESSION, "area", NULL, 0, NULL, NULL, "an area", NULL }, /* hint computed */
	{ HD_VOCAB_SESSION, "pressure", NULL, 0, "light|medium|firm|deep", NULL, "a pressure", NULL },
	{ HD_VOCAB_SESSION, "language", NULL, 0, "en|es", NULL, "a supported language", NULL },
	{ HD_VOCAB_SESSION, "date", NULL, 0, NULL, NULL, "a date",
	  "write the date as YYYY-MM-DD, e.g. 2026-11-20" },
	{ HD_VOCAB_SESSION, "next-visit", NULL, 0, NULL, NULL, "a date or a date and time",
	  "write YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2026-12-04T10:30" },
	{ HD_VOCAB_SESSION, "email", NULL, 0, NULL, NULL, "an email address",
	  "write it as name@example.org" },
	{ HD_VOCAB_SESSION, "client", "id", 0, NULL, hd_check_client_id, "a client id",
	  "use up to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. c-0042" },
	{ HD_VOCAB_SESSION, "date", "time", 0, NULL, hd_check_time, "a time",
	  "write a 24-hour time as HH:MM, e.g. 09:30" },
	{ HD_VOCAB_SESSION, "pain", "before", 0, "0|1|2|3|4|5|6|7|8|9|10", NULL, "a pain score",
	  "use a whole number from 0 (no pain) to 10 (the worst pain imaginable)" },
	{ HD_VOCAB_SESSION, "pain", "after", 0, "0|1|2|3|4|5|6|7|8|9|10", NULL, "a pain score",
	  "use a whole number from 0 (no pain) to 10 (the worst pain imaginable)" },
	{ HD_VOCAB_SESSION, "print", "size", 0, "standard|large", NULL, "a print size", NULL },
	{ HD_VOCAB_SESSION, "print", "paper", 0, "a4|letter", NULL, "a paper size", NULL },
	{ HD_VOCAB_SESSION, "technique", "ref", 1, NULL, hd_xml_is_id, "a library id",
	  "ids use lower-case letters, digits and '-', e.g. deep-tissue" },
	{ HD_VOCAB_SESSION, "tip", "ref", 1, NULL, hd_xml_is_id, "a library id",
	  "ids use lower-case letters, digits and '-', e.g. knee-to-chest" },
	{ HD_VOCAB_CLINIC, "email", NULL, 0, NULL, NULL, "an email address",
	  "write it as name@example.org" },
	{ HD_VOCAB_CLINIC, "colour", NULL, 0, NULL, NULL, "a colour",
	  "write it as #RRGGBB, e.g. #1F4E79" },
	{ HD_VOCAB_LIBRARY, "library", "languages", 1, NULL, NULL, "a list of language codes",
	  "write two- or three-letter codes separated by spaces, e.g. \"en es\"" },
	{ HD_VOCAB_LIBRARY, "entry", "id", 1, NULL, hd_xml_is_id, "an id",
	  "ids use lower-case letters, digits and '-', e.g. deep-tissue" },
	{ HD_VOCAB_LIBRARY, "entry", "kind", 1,
	  "technique|cause|anatomy|benefit|before|selfcare|exercise|precaution|warning-sign|disclaimer",
	  NULL, "an entry kind", NULL },
	{ HD_VOCAB_LIBRARY, "entry", "reviewed", 1, NULL, is_date, "a date",
	  "write the date as YYYY-MM-DD, e.g. 2026-01-15" },
	{ HD_VOCAB_LIBRARY, "text", "xml:lang", 1, NULL, is_lang, "a language code",
	  "use a two- or three-letter code such as en or es" },
	{ HD_VOCAB_LIBRARY, "section", "role", 1,
	  "what|feel|suits|expect|body|helps|steps|safety", NULL, "a section role", NULL },
	{ HD_VOCAB_LIBRARY, "path", "stroke", 0, "ink|muted|shade|paper|accent|none", NULL, "a colour name", NULL },
	{ HD_VOCAB_LIBRARY, "path", "fill", 0, "ink|muted|shade|paper|accent|none", NULL, "a colour name", NULL },
	{ HD_VOCAB_LIBRARY, "path", "stroke-width", 0, NULL, is_decimal, "a number", "write a plain number such as 2 or 3.5" },
	{ HD_VOCAB_LIBRARY, "path", "dash", 0, NULL, is_decimal, "a number", "write a plain number such as 2 or 3.5" },
	{ HD_VOCAB_LIBRARY, "circle", "stroke", 0, "ink|muted|shade|paper|accent|none", NULL, "a colour name", NULL },
	{ HD_VOCAB_LIBRARY, "circle", "fill", 0, "ink|muted|shade|paper|accent|none", NULL, "a colour name", NULL },
	{ HD_VOCAB_LIBRARY, "circle", "stroke-width", 0, NULL, is_decimal, "a number", "write a plain number such as 2 or 3.5" },
	{ HD_VOCAB_LIBRARY, "circle", "dash", 0, NULL, is_decimal, "a number", "write a plain number such as 2 or 3.5" },
	{ HD_VOCAB_LIBRARY, "ellipse", "stroke", 0, "ink|muted|shade|paper|accent|none", NULL, "a colour name", NULL },
	{ HD_VOCAB_LIBRARY, "ellipse", "fill", 0, "ink|muted|shade|paper|accent|none", NULL, "a colour name", NULL },
	{ HD_VOCAB_LIBRARY, "ellipse", "stroke-width", 0, NULL, is_decimal, "a number", "write a plain number such as 2 or 3.5" },
	{ HD_VOCAB_LIBRARY, "ellipse", "dash", 0, NULL, is_decimal, "a number", "write a plain number such as 2 or 3.5" },
	{ HD_VOCAB_LIBRARY, "rect", "stroke", 0, "ink|muted|shade|paper|accent|none", NULL, "a colour name", NULL },
	{ HD_VOCAB_LIBRARY, "rect", "fill", 0, "ink|muted|shade|paper|accent|none", NULL, "a colour name", NULL },
	{ HD_VOCAB_LIBRARY, "rect", "stroke-width", 0, NULL, is_decimal, "a number", "write a plain number such as 2 or 3.5" },
	{ HD_VOCAB_LIBRARY, "rect", "dash", 0, NULL, is_decimal, "a number", "write a plain number such as 2 or 3.5" },
	{ HD_VOCAB_LIBRARY, "line", "stroke", 0, "ink|muted|shade|paper|accent|none", NULL, "a colour name", NULL },
	{ HD_VOCAB_LIBRARY, "line", "fill", 0, "ink|muted|shade|paper|accent|none", NULL, "a colour name", NULL },
	{ HD_VOCAB_LIBRARY, "line", "stroke-width", 0, NULL, is_decimal, "a number", "write a plain number such as 2 or 3.5" },
	{ HD_VOCAB_LIBRARY, "line", "dash", 0, NULL, is_decimal, "a number", "write a plain number such as 2 or 3.5" },
	{ HD_VOCAB_LIBRARY, "circle", "cx", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "circle", "cy", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "circle", "r", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "ellipse", "cx", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "ellipse", "cy", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "ellipse", "rx", 0, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "ellipse", "ry", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "rect", "x", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "rect", "y", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "rect", "width", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "rect", "height", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "rect", "rx", 0, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "line", "x1", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "line", "y1", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "line", "x2", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "line", "y2", 1, NULL, is_decimal, "a number", "write a plain number such as 12 or -3.5" },
	{ HD_VOCAB_LIBRARY, "path", "region", 0, "neck|shoulder-left|shoulder-right|upper-back|mid-back|lumbar-left|lumbar-right|sacrum|"
	  "glute-left|glute-right|hip-left|hip-right|hamstring-left|hamstring-right", NULL, "a body area", NULL },
	{ HD_VOCAB_LIBRARY, "drawing", "id", 1, NULL, hd_xml_is_id, "an id", "ids use lower-case letters, digits and '-', e.g. body-back" },
	{ HD_VOCAB_LIBRARY, "drawing", "viewBox", 1, NULL, is_viewbox, "four numbers", "write x y width height, e.g. \"0 0 320 120\"" },
	{ HD_VOCAB_LIBRARY, "alt", "xml:lang", 1, NULL, is_lang, "a language code", "use a two- or three-letter code such as en or es" },
	{ HD_VOCAB_LIBRARY, "entry", "drawing", 0, NULL, hd_xml_is_id, "a drawing id", "ids use lower-case letters, digits and '-', e.g. cat-cow" },
	{ HD_VOCAB_TEMPLATE, "template", "id", 1, NULL, hd_xml_is_id, "a template id",
	  "ids use lower-case letters, digits and '-'" },
	{ HD_VOCAB_TEMPLATE, "template", "kind", 1, "aftercare|brochure|guide|catalogue", NULL,
	  "a template kind", NULL },
	{ HD_VOCAB_TEMPLATE, "page", "max-pages", 0, NULL, is_pages, "a page count",
	  "use a whole number from 1 to 20" },
	{ HD_VOCAB_TEMPLATE, "type", "body", 1, NULL, is_size, "a type size",
	  "use a size in points from 6 to 72, e.g. 11 or 10.5" },
	{ HD_VOCAB_TEMPLATE, "type", "large-body", 1, NULL, is_size, "a type size",
	  "use a size in points from 6 to 72, e.g. 15" },
	{ HD_VOCAB_TEMPLATE, "type", "min-body", 1, NULL, is_size, "a type size",
	  "use a size in points from 6 to 72, e.g. 10" },
	{ HD_VOCAB_TEMPLATE, "type", "min-large-body", 1, NULL, is_size, "a type size",
	  "use a size in points from 6 to 72, e.g. 14" },
	{ HD_VOCAB_TEMPLATE, "labels", "xml:lang", 1, NULL, is_lang, "a language code",
	  "use a two- or three-letter code such as en or es" },
	{ HD_VOCAB_TEMPLATE, "label", "key", 1, NULL, NULL, "a label key",
	  "keys use lower-case letters, digits, '.' and '-'" },
};

/* ----- the error collector --------------------------------------------------- */

typedef struct rng_err {
	xmlNodePtr node;
	int code;
	int line;
	char *msg;  /* libxml2's message, trimmed */
	char *s1;
	char *s2;
	int handled;
} rng_err;

typedef struct collector {
	const char *path;
	hd_diags *d;
	const char *buf;   /* the raw bytes: the pre-scan's, and to place a DOCTYPE */
	size_t len;
	int errors;        /* reported for this file */
	int doctype;       /* the parser was stopped at a DOCTYPE */
	int dt_line;
	int validating;
	enum hd_vocab vocab;   /* being validated */
	rng_err *rng;          /* RELAX NG errors not yet explained */
	size_t nrng, caprng;
	xmlNodePtr last;       /* node of the last RELAX NG error explained */
	xmlNodePtr last_entry; /* library: the last <entry> explained whole */
	int oom;
} collector;

/* Adds a diagnostic for the file being read and counts errors (the
 * diagnostics list caps what it stores). */
static void report(collector *c, hd_severity sev, int line, int col, const char *hint,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void report(collector *c, hd_severity sev, int line, int col, const char *hint,
                   const char *fmt, ...)
{
	va_list ap;

	size_t before = c->d ? c->d->count : 0;

	if (sev == HD_ERROR)
		c->errors++;
	va_start(ap, fmt);
	hd_diag_vadd(c->d, sev, c->path, line, col, hint, fmt, ap);
	va_end(ap);
	hd_diags_tag(c->d, before, HD_DIAG_XML, NULL);
}

/* Copies libxml2's message without trailing white space, with inner
 * newlines turned into "; ". Returns a malloc'd string or NULL. */
static char *clean_message(const char *m)
{
	size_t n, i, o = 0;
	char *out;

	if (!m)
		m = "unknown error";
	n = strlen(m);
	while (n && isspace((unsigned char)m[n - 1]))
		n--;
	out = malloc(n * 2 + 1);
	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (m[i] == '\n') {
			if (o && out[o - 1] == ' ')
				o--;
			if (o && out[o - 1] == '!')
				o--;
			if (o && out[o - 1] == ' ')
				o--;
			out[o++] = ';';
			out[o++] = ' ';
		} else {
			out[o++] = m[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* Rewrites a well-formedness error into plain words and reports it. */
static void report_parse_error(collector *c, const xmlError *e)
{
	char *m = clean_message(e->message);
	const char *msg = m ? m : "out of memory";
	const char *hint = NULL;
	char tmp[400];
	hd_severity sev = e->level == XML_ERR_WARNING ? HD_WARNING : HD_ERROR;

	switch (e->code) {
	case XML_ERR_TAG_NAME_MISMATCH:
		snprintf(tmp, sizeof(tmp), "the end tag </%s> does not match the start tag <%s> on line %d",
		         e->str2 ? e->str2 : "?", e->str1 ? e->str1 : "?", e->int1);
		msg = tmp;
		hint = "every <tag> needs a matching </tag>, closed in the reverse order of opening";
		break;
	case XML_ERR_TAG_NOT_FINISHED:
		snprintf(tmp, sizeof(tmp), "the file ends before <%s> (line %d) is closed",
		         e->str1 ? e->str1 : "?", e->int1);
		msg = tmp;
		hint = "add the missing end tag";
		break;
	case XML_ERR_DOCUMENT_EMPTY:
		msg = "this is not XML: it does not start with a tag";
		hint = "a handout file starts with <?xml version=\"1.0\" encoding=\"UTF-8\"?>";
		break;
	case XML_ERR_DOCUMENT_END:
		msg = "there is more after the end of the root element";
		hint = "a file holds exactly one root element; remove what follows its end tag";
		break;
	case XML_ERR_INVALID_ENCODING:
		if (m && strstr(m, "Bytes:")) {
			snprintf(tmp, sizeof(tmp), "the file is not valid UTF-8 text (%s)", strstr(m, "Bytes:") + 7);
			msg = tmp;
		} else {
			msg = "the file is not valid UTF-8 text";
		}
		hint = "save the file with the UTF-8 encoding";
		break;
	case XML_ERR_INVALID_CHAR:
		if (m && strncmp(m, "Input is not proper UTF-8", 25) == 0) {
			const char *bytes = strstr(m, "Bytes:");
			if (bytes)
				snprintf(tmp, sizeof(tmp), "the file is not valid UTF-8 text (%s)", bytes + 7);
			else
				snprintf(tmp, sizeof(tmp), "the file is not valid UTF-8 text");
			msg = tmp;
			hint = "save the file with the UTF-8 encoding";
		} else if (m && strstr(m, "Char 0x0 ")) {
			msg = "the file contains a NUL (zero) byte, which XML does not allow";
			hint = "is this a binary file, or text saved as UTF-16? Save it as UTF-8 text";
		} else if (m && strncmp(m, "Char 0x", 7) == 0) {
			snprintf(tmp, sizeof(tmp), "the character U+%04lX is not allowed in XML",
			         strtoul(m + 7, NULL, 16));
			msg = tmp;
			hint = "remove the control character";
		}
		break;
	case XML_ERR_UNDECLARED_ENTITY:
	case XML_WAR_UNDECLARED_ENTITY:
		snprintf(tmp, sizeof(tmp), "unknown entity &%s;", e->str1 ? e->str1 : "?");
		msg = tmp;
		sev = HD_ERROR;
		hint = "only &amp; &lt; &gt; &quot; &apos; and numeric ones such as &#233; are allowed; "
		       "write a plain & as &amp;";
		break;
	case XML_ERR_ENTITYREF_SEMICOL_MISSING:
	case XML_ERR_NAME_REQUIRED:
		if (m && strstr(m, "EntityRef")) {
			msg = "a '&' that does not start an entity reference";
			hint = "write a plain & as &amp;";
		}
		break;
	default:
		if (m && strncmp(m, "Excessive depth in document", 27) == 0) {
			msg = "elements are nested too deeply (more than 256 levels)";
			hint = "handout files never need such deep nesting; check the file";
		} else if (m && strncmp(m, "StartTag: invalid element name", 30) == 0) {
			msg = "a '<' that does not start a tag";
			hint = "write a plain < as &lt;";
		}
		break;
	}
	report(c, sev, e->line, e->int2, hint, "%s", msg);
	free(m);
}

static void explain_rng_errors(collector *c);
static void free_rng_errors(collector *c);

/* Buffers a RELAX NG error for explanation; a full batch is explained
 * (the tree is intact while the validator runs) and freed first. */
static void keep_rng_error(collector *c, const xmlError *e)
{
	rng_err *r;

	if (c->nrng == HD_RNG_BATCH) {
		explain_rng_errors(c);
		free_rng_errors(c);
	}
	if (c->nrng == c->caprng) {
		size_t cap = c->caprng ? c->caprng * 2 : 16;
		rng_err *p;
		p = realloc(c->rng, cap * sizeof(*p));
		if (!p) {
			c->oom = 1;
			return;
		}
		c->rng = p;
		c->caprng = cap;
	}
	r = &c->rng[c->nrng++];
	memset(r, 0, sizeof(*r));
	r->node = e->node;
	r->code = e->code;
	r->line = e->node ? hd_xml_line(e->node) : e->line;
	if (r->line <= 0)
		r->line = e->line;
	r->msg = clean_message(e->message);
	r->s1 = e->str1 ? strdup(e->str1) : NULL;
	r->s2 = e->str2 ? strdup(e->str2) : NULL;
	if (!r->msg)
		c->oom = 1;
}

/* Routes one libxml2 error: RELAX NG validity errors are buffered for
 * explain_rng_errors, the rest reported at once. The DOCTYPE refusal and
 * anything after it is reported by parse_buffer only. */
static void collect_error(collector *c, const xmlError *e)
{
	if (!e || e->level == XML_ERR_NONE)
		return;
	if (e->code == XML_ERR_USER_STOP || c->doctype)
		return; /* the DOCTYPE refusal is reported once, by us */
	if (e->domain == XML_FROM_RELAXNGV && c->validating) {
		keep_rng_error(c, e);
		return;
	}
	if (e->domain == XML_FROM_RELAXNGP) {
		report(c, HD_ERROR, e->line, e->int2, NULL, "schema: %s",
		       e->message ? e->message : "cannot be compiled");
		return;
	}
	report_parse_error(c, e);
}

/* The parser context's handler: data is the context, our state in _private. */
static void on_ctxt_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = data;
	collect_error(ctxt->_private, e);
}

/* The global handler (I/O errors and validation bypass the context's). */
static void on_global_error(void *data, xmlErrorPtr e)
{
	collect_error(data, e);
}

/* Line and column of the DOCTYPE that stopped the parser: the last
 * "<!DOCTYPE" at or before the parser's line, found in the raw bytes. The
 * column counts characters, like libxml2's. */
static void doctype_position(const collector *c, int *line, int *col)
{
	const char *p = c->buf, *end = c->buf + c->len, *bol = c->buf;
	int ln = 1, best_line = 0, best_col = 0;

	for (; p < end; p++) {
		if (*p == '\n') {
			ln++;
			bol = p + 1;
			if (c->dt_line > 0 && ln > c->dt_line)
				break;
		} else if (*p == '<' && (size_t)(end - p) >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0) {
			const char *q;
			int n = 1;
			for (q = bol; q < p; q++)
				n += ((unsigned char)*q & 0xC0) != 0x80;
			best_line = ln;
			best_col = n;
		}
	}
	*line = best_line ? best_line : c->dt_line;
	*col = best_line ? best_col : 0;
}

/* SAX internalSubset hook: any DOCTYPE stops the parser. Nothing of it
 * (internal subset, external id) is read. */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext_id,
                           const xmlChar *sys_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	collector *c = ctxt->_private;

	c->doctype = 1;
	c->dt_line = ctxt->input ? ctxt->input->line : 0;
	xmlStopParser(ctxt);
}

/* What the first bytes say the file is, when it is clearly not XML. */
static const char *sniff_binary(const unsigned char *b, size_t n, const char **hint)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
		const char *hint;
	} magics[] = {
		{ "\x89PNG\r\n\x1a\n", 8, "a PNG image", NULL },
		{ "\x1f\x8b", 2, "gzip-compressed data",
		  "decompress it first (gunzip), then give the .xml file" },
		{ "PK\x03\x04", 4, "a ZIP archive or an office document",
		  "export or extract the XML file first" },
		{ "%PDF-", 5, "a PDF document", NULL },
		{ "\xff\xd8\xff", 3, "a JPEG image", NULL },
		{ "GIF8", 4, "a GIF image", NULL },
		{ "BZh", 3, "bzip2-compressed data", "decompress it first, then give the .xml file" },
		{ "\xfd" "7zXZ\0", 6, "xz-compressed data", "decompress it first, then give the .xml file" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd-compressed data",
		  "decompress it first, then give the .xml file" },
		{ "\x7f" "ELF", 4, "a program", NULL },
	};
	size_t i;

	for (i = 0; i < HD_ARRAY_LEN(magics); i++) {
		if (n >= magics[i].len && memcmp(b, magics[i].magic, magics[i].len) == 0) {
			*hint = magics[i].hint ? magics[i].hint : "give the path of a handout .xml file";
			return magics[i].what;
		}
	}
	return NULL;
}

/* ----- the pre-scan ------------------------------------------------------------ */

/* Line and column of byte off of the file, both 1-based; the column counts
 * characters (UTF-8 sequences), like libxml2's. */
static void offset_position(const collector *c, size_t off, int *line, int *col)
{
	size_t i, bol = 0;
	int ln = 1, n = 1;

	for (i = 0; i < off && i < c->len; i++) {
		if (c->buf[i] == '\n') {
			ln++;
			bol = i + 1;
		}
	}
	for (i = bol; i < off && i < c->len; i++)
		n += ((unsigned char)c->buf[i] & 0xC0) != 0x80;
	*line = ln;
	*col = n;
}

/* The one message for a DOCTYPE, wherever it is found. */
static void report_doctype(collector *c, int line, int col)
{
	report(c, HD_ERROR, line, col,
	       "remove the <!DOCTYPE ...> declaration: handout files use no DTD and no entities",
	       "DOCTYPE is not allowed in handout files");
}

/* 1 when the bytes at b[i..n) start with s. */
static int at(const unsigned char *b, size_t n, size_t i, const char *s)
{
	size_t k = strlen(s);
	return i <= n && n - i >= k && memcmp(b + i, s, k) == 0;
}

/* XML white space. */
static int is_blank(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* The length of the character at b[i] when libxml2 reads it as one it
 * accepts inside a comment, CDATA section or processing instruction
 * (XML's Char production), else 0: a control character, invalid UTF-8,
 * U+FFFE or U+FFFF. libxml2 ends the construct early at such a character
 * (or, for invalid UTF-8, carries on as Latin-1); ending ours there too
 * can only make the pre-scan look at more, never at less. */
static size_t char_len(const unsigned char *b, size_t n, size_t i)
{
	uint32_t cp;
	size_t k;

	if (b[i] < 0x80)
		return b[i] >= 0x20 || b[i] == '\t' || b[i] == '\n' || b[i] == '\r';
	k = hd_utf8_decode((const char *)b + i, n - i, &cp);
	return k && cp != 0xFFFE && cp != 0xFFFF ? k : 0;
}

/* Skips a comment, CDATA section or processing instruction whose body
 * starts at b[i]: returns the offset after the terminator term, or the
 * offset of the first character libxml2 would stop at, or n. */
static size_t skip_to(const unsigned char *b, size_t n, size_t i, const char *term)
{
	while (i < n) {
		size_t k;
		if (b[i] == (unsigned char)term[0] && at(b, n, i, term))
			return i + strlen(term);
		k = char_len(b, n, i);
		if (!k)
			return i;
		i += k;
	}
	return n;
}

/* Checks the encoding an XML declaration (decl[0..len), from "<?xml" to
 * its first '>') names, if any: the pre-scan reads bytes, so only UTF-8
 * (or its subset ASCII) will do. libxml2 is told to ignore the declaration
 * anyway (XML_PARSE_IGNORE_ENC); this is for a clear message. Returns
 * HD_OK, or HD_EINPUT after reporting. */
static int check_declared_encoding(collector *c, size_t off, size_t len)
{
	static const char *const ok[] = { "UTF-8", "UTF8", "US-ASCII", "ASCII" };
	const char *d = c->buf + off, *e = d + len, *p, *v;
	char quote, name[64];
	size_t i, vlen;
	int line, col;

	for (p = d; p + 8 <= e && memcmp(p, "encoding", 8) != 0; p++)
		;
	if (p + 8 > e)
		return HD_OK;
	for (v = p + 8; v < e && is_blank((unsigned char)*v); v++)
		;
	if (v >= e || *v++ != '=')
		return HD_OK;
	while (v < e && is_blank((unsigned char)*v))
		v++;
	if (v >= e || (*v != '"' && *v != '\''))
		return HD_OK;
	quote = *v++;
	for (vlen = 0; v + vlen < e && v[vlen] != quote; vlen++)
		;
	for (i = 0; i < HD_ARRAY_LEN(ok); i++) {
		if (strlen(ok[i]) == vlen && strncasecmp(v, ok[i], vlen) == 0)
			return HD_OK;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(vlen < 60 ? vlen : 60), v);
	offset_position(c, (size_t)(p - c->buf), &line, &col);
	report(c, HD_ERROR, line, col,
	       "save the file with the UTF-8 encoding and write encoding=\"UTF-8\"",
	       "the file declares the encoding \"%s\"; handout files are UTF-8", name);
	return HD_EINPUT;
}

/* Scans a start tag from its '<' at b[i]: counts its attributes (one '='
 * outside quotes each) up to the '>' that ends it, or up to the next '<',
 * where libxml2 ends it too (a '<' ends even a quoted value). Refuses an
 * element with more than HD_MAX_ATTRIBUTES. Returns the offset after the
 * tag; *rc is HD_EINPUT when it was refused (reported). */
static size_t scan_start_tag(collector *c, const unsigned char *b, size_t n, size_t i, int *rc)
{
	size_t j = i + 1, count = 0, namelen = 0;
	unsigned char quote = 0;
	int line, col;

	/* The element's name, for the message: up to 60 bytes, cut at a
	 * character boundary. */
	while (i + 1 + namelen < n && namelen < 60) {
		unsigned char ch = b[i + 1 + namelen];
		if (ch <= ' ' || ch == '/' || ch == '>' || ch == '<' || ch == '=' || ch == '"' ||
		    ch == '\'')
			break;
		namelen++;
	}
	while (namelen && i + 1 + namelen < n && (b[i + 1 + namelen] & 0xC0) == 0x80)
		namelen--;
	for (; j < n && b[j] != '<'; j++) {
		if (quote) {
			if (b[j] == quote)
				quote = 0;
		} else if (b[j] == '"' || b[j] == '\'') {
			quote = b[j];
		} else if (b[j] == '=') {
			count++;
		} else if (b[j] == '>') {
			j++;
			break;
		}
	}
	if (count > HD_MAX_ATTRIBUTES) {
		offset_position(c, i, &line, &col);
		report(c, HD_ERROR, line, col,
		       "no element of a handout file has more than a few; is this the right file?",
		       "<%.*s> has %zu attributes; the limit is %d", (int)namelen, (const char *)b + i + 1,
		       count, HD_MAX_ATTRIBUTES);
		*rc = HD_EINPUT;
	}
	return j;
}

/* One linear pass over the bytes before libxml2 sees them, refusing what
 * would make libxml2 slow or is refused anyway: another encoding than
 * UTF-8, a DOCTYPE, an element with more than HD_MAX_ATTRIBUTES
 * attributes (reported at its file:line:col).
 *
 * It follows libxml2's reading closely enough to be exact on well-formed
 * XML: comments, CDATA sections, processing instructions and the XML
 * declaration are skipped, quoted values may hold '>' and '='. On
 * malformed input, where libxml2 reports an error and reads on, it errs on
 * the side of looking at more: it never skips what libxml2 parses as
 * markup. A '<' always starts markup for it, even inside a quoted value or
 * an end tag (libxml2 ends those there); a comment, CDATA section or
 * processing instruction ends at the first character libxml2 stops at; a
 * processing instruction must start with an ASCII name (else libxml2 reads
 * "<?" as text); an XML declaration ends at its first '>' (where libxml2
 * resumes after a malformed one). Returns HD_OK or HD_EINPUT (reported). */
static int prescan(collector *c)
{
	const unsigned char *b = (const unsigned char *)c->buf;
	size_t n = c->len, i = 0, start;
	int rc = HD_OK, line, col;

	if (n >= 4) {
		/* What libxml2 would switch to from the first four bytes. */
		xmlCharEncoding enc = xmlDetectCharEncoding(b, 4);
		const char *what = enc == XML_CHAR_ENCODING_UTF16LE || enc == XML_CHAR_ENCODING_UTF16BE
		                           ? "UTF-16"
		                   : enc == XML_CHAR_ENCODING_UCS4LE || enc == XML_CHAR_ENCODING_UCS4BE ||
		                           enc == XML_CHAR_ENCODING_UCS4_2143 ||
		                           enc == XML_CHAR_ENCODING_UCS4_3412
		                           ? "UTF-32"
		                   : enc == XML_CHAR_ENCODING_EBCDIC ? "EBCDIC"
		                                                     : "another encoding's";
		if (enc != XML_CHAR_ENCODING_NONE && enc != XML_CHAR_ENCODING_UTF8) {
			report(c, HD_ERROR, 0, 0, "save the file with the UTF-8 encoding",
			       "the file is %s text, not UTF-8", what);
			return HD_EINPUT;
		}
	}
	if (at(b, n, 0, "\xEF\xBB\xBF"))
		i = 3; /* the UTF-8 byte order mark */
	start = i;
	while (i < n && rc == HD_OK) {
		const unsigned char *lt = memchr(b + i, '<', n - i);
		if (!lt)
			break;
		i = (size_t)(lt - b);
		if (at(b, n, i, "<!--")) {
			i = skip_to(b, n, i + 4, "-->");
		} else if (at(b, n, i, "<![CDATA[")) {
			i = skip_to(b, n, i + 9, "]]>");
		} else if (at(b, n, i, "<!DOCTYPE")) {
			offset_position(c, i, &line, &col);
			report_doctype(c, line, col);
			rc = HD_EINPUT;
		} else if (at(b, n, i, "<?xml") && i + 5 < n && is_blank(b[i + 5])) {
			const unsigned char *gt = memchr(b + i, '>', n - i);
			size_t end = gt ? (size_t)(gt - b) : n;
			if (i == start)
				rc = check_declared_encoding(c, i, end - i);
			i = gt ? end + 1 : n;
		} else if (at(b, n, i, "<?")) {
			unsigned char ch = i + 2 < n ? b[i + 2] : 0;
			if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == ':')
				i = skip_to(b, n, i + 2, "?>");
			else
				i += 2;
		} else if (at(b, n, i, "</")) {
			for (i += 2; i < n && b[i] != '>' && b[i] != '<'; i++)
				;
		} else {
			i = scan_start_tag(c, b, n, i, &rc);
		}
	}
	return rc;
}

/* Parses buf into *out. Returns HD_OK, or HD_EINPUT / HD_ENOMEM with every
 * problem reported through c; *out is then NULL. */
static int parse_buffer(xmlDocPtr *out, collector *c)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	int rc = HD_OK, before = c->errors;

	*out = NULL;
	rc = prescan(c);
	if (rc)
		goto cleanup;
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		rc = HD_ENOMEM;
		goto cleanup;
	}
	ctxt->sax->internalSubset = refuse_doctype;
	ctxt->sax->serror = on_ctxt_error;
	ctxt->_private = c;
	xmlSetStructuredErrorFunc(c, on_global_error);
	/* IGNORE_ENC: the bytes are read as UTF-8 whatever the declaration
	 * says, as the pre-scan read them (it refuses other declarations). */
	doc = xmlCtxtReadMemory(ctxt, c->buf, (int)c->len, c->path, NULL,
	                        XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC);
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	if (c->doctype || ctxt->errNo == XML_ERR_USER_STOP) {
		int line, col;
		doctype_position(c, &line, &col);
		report_doctype(c, line, col);
		rc = HD_EINPUT;
		goto cleanup;
	}
	if (!doc || !ctxt->wellFormed || c->errors > before) {
		if (c->errors == before)
			report(c, HD_ERROR, 0, 0, NULL, "the file is not well-formed XML");
		rc = HD_EINPUT;
		goto cleanup;
	}
	*out = doc;
	doc = NULL;
cleanup:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

/* ----- explaining RELAX NG errors -------------------------------------------- */

static const struct value_rule *find_rule(enum hd_vocab v, const char *elem, const char *attr)
{
	size_t i;
	for (i = 0; i < HD_ARRAY_LEN(value_rules); i++) {
		const struct value_rule *r = &value_rules[i];
		if (r->vocab == v && strcmp(r->elem, elem) == 0 &&
		    ((!attr && !r->attr) || (attr && r->attr && strcmp(r->attr, attr) == 0)))
			return r;
	}
	return NULL;
}

/* 1 when v is one of the '|'-separated choices. */
static int in_choices(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;

	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0)
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

/* Writes "use one of: a, b or c" for a choices string into buf. */
static void choices_hint(char *buf, size_t size, const char *choices)
{
	size_t o = 0;
	const char *p = choices;

	o += (size_t)snprintf(buf, size, "use ");
	while (*p && o < size) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		const char *sep = !bar ? "" : strchr(bar + 1, '|') ? ", " : " or ";
		o += (size_t)snprintf(buf + o, size - o, "%.*s%s", (int)len, p, sep);
		p = bar ? bar + 1 : p + len;
	}
}

/* The closest area code to v, or NULL. */
static const char *suggest_area(const char *v)
{
	size_t i, best = 4;
	const char *s = NULL;
	for (i = 0; i < hd_area_count; i++) {
		size_t dist = hd_edit_distance(v, hd_area_codes[i]);
		if (dist < best) {
			best = dist;
			s = hd_area_codes[i];
		}
	}
	return s;
}

/* The text of a text-only element, collapsed, into buf. */
static void node_text(xmlNodePtr n, char *buf, size_t size)
{
	xmlNodePtr t;
	size_t o = 0;
	int sp = 1;

	for (t = n ? n->children : NULL; t && o + 1 < size; t = t->next) {
		const char *s;
		if (t->type != XML_TEXT_NODE && t->type != XML_CDATA_SECTION_NODE)
			continue;
		for (s = (const char *)t->content; s && *s && o + 1 < size; s++) {
			if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
				if (!sp)
					buf[o++] = ' ';
				sp = 1;
			} else {
				buf[o++] = *s;
				sp = 0;
			}
		}
	}
	while (o && buf[o - 1] == ' ')
		o--;
	buf[o] = '\0';
}

/* Attribute by qualified name as written in value_rules ("xml:lang"). */
static const char *rule_attr(xmlNodePtr n, const char *attr)
{
	if (strcmp(attr, "xml:lang") == 0)
		return hd_xml_lang(n);
	return hd_xml_attr(n, attr);
}

/* Explains a bad value of an element's text or attribute. Returns 1 when it
 * reported something. */
static int explain_value(collector *c, enum hd_vocab v, xmlNodePtr n, const char *attr,
                         int line, int force)
{
	const struct value_rule *r = find_rule(v, (const char *)n->name, attr);
	char val[200], hint[256];
	const char *value;

	if (!r)
		return 0;
	if (attr) {
		value = rule_attr(n, attr);
		if (!value) {
			if (!r->required)
				return 0;
			report(c, HD_ERROR, line, 0, NULL, "<%s> needs a %s=\"...\" attribute",
			       (const char *)n->name, attr);
			return 1;
		}
		snprintf(val, sizeof(val), "%s", value);
	} else {
		node_text(n, val, sizeof(val));
	}
	if (!force) {
		if (r->choices && in_choices(r->choices, val))
			return 0;
		if (r->check && r->check(val))
			return 0;
		if (!r->choices && !r->check)
			return 0; /* only libxml2 knows; keep its message */
	}
	if (r->hint)
		snprintf(hint, sizeof(hint), "%s", r->hint);
	else if (r->choices)
		choices_hint(hint, sizeof(hint), r->choices);
	else if (strcmp(r->elem, "area") == 0 && suggest_area(val))
		snprintf(hint, sizeof(hint), "did you mean '%s'?", suggest_area(val));
	else if (strcmp(r->elem, "area") == 0)
		snprintf(hint, sizeof(hint), "the areas are listed in xml/schema/session.rng");
	else
		hint[0] = '\0';
	if (attr)
		report(c, HD_ERROR, line, 0, hint[0] ? hint : NULL, "%s=\"%s\" on <%s> is not %s",
		       attr, val, (const char *)n->name, r->what);
	else
		report(c, HD_ERROR, line, 0, hint[0] ? hint : NULL, "'%s' is not %s", val, r->what);
	return 1;
}

/* 1 when some value rule checks an attribute of n. */
static int has_attr_rules(enum hd_vocab v, xmlNodePtr n)
{
	size_t i;
	for (i = 0; i < HD_ARRAY_LEN(value_rules); i++) {
		if (value_rules[i].vocab == v && value_rules[i].attr &&
		    strcmp(value_rules[i].elem, (const char *)n->name) == 0)
			return 1;
	}
	return 0;
}

/* Explains "failed to validate attributes" with the value rules. */
static int explain_attributes(collector *c, enum hd_vocab v, xmlNodePtr n, int line)
{
	size_t i;
	int said = 0;

	for (i = 0; i < HD_ARRAY_LEN(value_rules); i++) {
		const struct value_rule *r = &value_rules[i];
		if (r->vocab == v && r->attr && strcmp(r->elem, (const char *)n->name) == 0)
			said |= explain_value(c, v, n, r->attr, line, 0);
	}
	return said;
}

static const struct order_rule *find_order(enum hd_vocab v, const char *parent)
{
	size_t i;
	for (i = 0; i < HD_ARRAY_LEN(order_rules); i++) {
		if (order_rules[i].vocab == v && strcmp(order_rules[i].parent, parent) == 0)
			return &order_rules[i];
	}
	return NULL;
}

/* Writes "<a>, <b>, [<c>]" for an order rule. */
static void order_list(char *buf, size_t size, const struct order_rule *o)
{
	size_t i, w = 0;
	buf[0] = '\0';
	for (i = 0; o->children[i] && w < size; i++) {
		const char *ch = o->children[i];
		size_t len = strcspn(ch, "?+*");
		int opt = ch[len] == '?' || ch[len] == '*';
		w += (size_t)snprintf(buf + w, size - w, "%s%s<%.*s>%s%s", i ? ", " : "",
		                      opt ? "[" : "", (int)len, ch, opt ? "]" : "",
		                      ch[len] == '+' || ch[len] == '*' ? "..." : "");
	}
}

/* Number of child elements of parent named name[0..len). */
static int child_count(xmlNodePtr parent, const char *name, size_t len)
{
	xmlNodePtr ch;
	int n = 0;
	HD_XML_EACH(ch, parent) {
		if (strlen((const char *)ch->name) == len && strncmp((const char *)ch->name, name, len) == 0)
			n++;
	}
	return n;
}

/* Explains an element that is not expected where it is, using the order
 * rules of its parent: unknown element, a missing required sibling, a
 * repeated one, or the wrong order. Returns 1 when it reported something. */
static int explain_placement(collector *c, enum hd_vocab v, xmlNodePtr n, int line)
{
	xmlNodePtr parent = n->parent;
	const struct order_rule *o;
	char order[256];
	size_t i;
	int known = 0;

	if (!parent || parent->type != XML_ELEMENT_NODE)
		return 0;
	o = find_order(v, (const char *)parent->name);
	if (!o) {
		/* Rich text and the like: say what the container holds. */
		const char *pn = (const char *)parent->name, *hint = NULL;
		if (hd_xml_is(parent, "notes") || hd_xml_is(parent, "section"))
			hint = "use <p>, <ul> or <ol>";
		else if (hd_xml_is(parent, "p") || hd_xml_is(parent, "li") ||
		         hd_xml_is(parent, "em") || hd_xml_is(parent, "strong"))
			hint = "inside text use only <em> (italic) and <strong> (bold)";
		else if (hd_xml_is(parent, "ul") || hd_xml_is(parent, "ol"))
			hint = "a list holds only <li> items";
		else if (hd_xml_is(parent, "drawing") && !hd_xml_child(parent, "alt")) {
			report(c, HD_ERROR, line, 0, "write what the picture shows in words, one <alt "
			       "xml:lang=\"...\"> per language, before the shapes",
			       "<drawing> needs its <alt> text first");
			return 1;
		} else if (hd_xml_is(parent, "drawing"))
			hint = "a drawing holds its <alt> texts, then <path>, <circle>, <ellipse>, <rect> "
			       "and <line> shapes";
		report(c, HD_ERROR, line, 0, hint, "<%s%s%s> is not allowed inside <%s>",
		       n->ns && n->ns->prefix ? (const char *)n->ns->prefix : "",
		       n->ns && n->ns->prefix ? ":" : "", n->name, pn);
		return 1;
	}
	order_list(order, sizeof(order), o);
	for (i = 0; o->children[i]; i++) {
		const char *ch = o->children[i];
		size_t len = strcspn(ch, "?+*");
		if (strlen((const char *)n->name) == len && strncmp(ch, (const char *)n->name, len) == 0)
			known = 1;
	}
	if (!known) {
		char hint[300];
		snprintf(hint, sizeof(hint), "inside <%s> the order is: %s", parent->name, order);
		report(c, HD_ERROR, line, 0, hint, "<%s> is not allowed inside <%s>", n->name,
		       parent->name);
		return 1;
	}
	for (i = 0; o->children[i]; i++) {
		const char *ch = o->children[i];
		size_t len = strcspn(ch, "?+*");
		if (ch[len] == '\0' || ch[len] == '+') {
			if (!child_count(parent, ch, len)) {
				char hint[300];
				snprintf(hint, sizeof(hint), "inside <%s> the order is: %s", parent->name, order);
				report(c, HD_ERROR, line, 0, hint, "<%s> is missing <%.*s>", parent->name,
				       (int)len, ch);
				return 1;
			}
		}
	}
	for (i = 0; o->children[i]; i++) {
		const char *ch = o->children[i];
		size_t len = strcspn(ch, "?+*");
		if (ch[len] != '+' && ch[len] != '*' && child_count(parent, ch, len) > 1 &&
		    strlen((const char *)n->name) == len && strncmp(ch, (const char *)n->name, len) == 0) {
			report(c, HD_ERROR, line, 0, "give it once", "<%s> appears more than once in <%s>",
			       n->name, parent->name);
			return 1;
		}
	}
	{
		char hint[300];
		snprintf(hint, sizeof(hint), "inside <%s> the order is: %s", parent->name, order);
		report(c, HD_ERROR, line, 0, hint, "<%s> is out of order in <%s>", n->name, parent->name);
	}
	return 1;
}

/* Explains "expecting an element, got nothing": n ends before a child it
 * needs. libxml2 names that child (s1) only where the schema expects one
 * element; for a choice or oneOrMore it names none, so the name comes from
 * the vocabulary: what the container must hold (container_rules), or the
 * first required child its order rule lacks. Returns 1 when it reported. */
static int explain_missing(collector *c, enum hd_vocab v, xmlNodePtr n, int line, const char *s1)
{
	const struct order_rule *o = find_order(v, (const char *)n->name);
	char order[256], hint[300];
	size_t i;

	for (i = 0; i < HD_ARRAY_LEN(container_rules); i++) {
		const struct container_rule *r = &container_rules[i];
		if (r->vocab == v && hd_xml_is(n, r->parent) && !hd_xml_elem(n->children)) {
			report(c, HD_ERROR, line, 0, r->hint, "<%s> needs at least one %s", n->name, r->needs);
			return 1;
		}
	}
	if (o) {
		order_list(order, sizeof(order), o);
		snprintf(hint, sizeof(hint), "inside <%s> the order is: %s", n->name, order);
		for (i = 0; o->children[i]; i++) {
			const char *ch = o->children[i];
			size_t len = strcspn(ch, "?+*");
			if ((ch[len] == '\0' || ch[len] == '+') && !child_count(n, ch, len)) {
				report(c, HD_ERROR, line, 0, hint, "<%s> %s <%.*s>", n->name,
				       ch[len] == '+' ? "needs at least one" : "is missing", (int)len, ch);
				return 1;
			}
		}
	}
	if (s1 && *s1) {
		report(c, HD_ERROR, line, 0, NULL, "<%s> is missing <%s>", n->name, s1);
		return 1;
	}
	return 0;
}

/* ----- library entries: what each kind needs ---------------------------------- */

static const struct kind_rule {
	const char *kind;
	const char *roles[5];
	int dose;      /* 0 none, 1 optional, 2 required */
} kind_rules[] = {
	{ "technique", { "what", "feel", "suits", "expect", NULL }, 0 },
	{ "cause", { "body", "feel", "helps", NULL }, 0 },
	{ "anatomy", { "body", NULL }, 0 },
	{ "benefit", { "body", NULL }, 0 },
	{ "before", { "body", NULL }, 0 },
	{ "selfcare", { "body", NULL }, 1 },
	{ "exercise", { "steps", "safety", NULL }, 2 },
	{ "precaution", { "body", NULL }, 0 },
	{ "warning-sign", { "body", NULL }, 0 },
	{ "disclaimer", { "body", NULL }, 0 },
};

/* Reports an element other than <em>/<strong> inside text. Returns 1 if it did. */
static int explain_inline(collector *c, xmlNodePtr n)
{
	xmlNodePtr ch;
	HD_XML_EACH(ch, n) {
		if (!hd_xml_is(ch, "em") && !hd_xml_is(ch, "strong")) {
			report(c, HD_ERROR, hd_xml_line(ch), 0,
			       "inside text use only <em> (italic) and <strong> (bold)",
			       "<%s> is not allowed inside <%s>", ch->name, n->name);
			return 1;
		}
		if (explain_inline(c, ch))
			return 1;
	}
	return 0;
}

/* 1 when n has a text child that is not only white space. */
static int has_text(xmlNodePtr n)
{
	xmlNodePtr t;
	for (t = n->children; t; t = t->next) {
		const char *s;
		if (t->type != XML_TEXT_NODE && t->type != XML_CDATA_SECTION_NODE)
			continue;
		for (s = (const char *)t->content; s && *s; s++) {
			if (!(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
				return 1;
		}
	}
	return 0;
}

/* Checks the blocks of a section (or notes). need_ol: steps need an <ol>. */
static int explain_blocks(collector *c, xmlNodePtr sec, int need_ol)
{
	xmlNodePtr b, li;
	int nblocks = 0, ol = 0;

	if (has_text(sec)) {
		report(c, HD_ERROR, hd_xml_line(sec), 0, "put the text inside <p>...</p>",
		       "text directly inside <%s> is not allowed", sec->name);
		return 1;
	}
	HD_XML_EACH(b, sec) {
		nblocks++;
		if (hd_xml_is(b, "p")) {
			if (explain_inline(c, b))
				return 1;
		} else if (hd_xml_is(b, "ul") || hd_xml_is(b, "ol")) {
			int items = 0;
			ol |= hd_xml_is(b, "ol");
			if (has_text(b)) {
				report(c, HD_ERROR, hd_xml_line(b), 0, "put the text inside <li>...</li>",
				       "text directly inside <%s> is not allowed", b->name);
				return 1;
			}
			HD_XML_EACH(li, b) {
				items++;
				if (!hd_xml_is(li, "li")) {
					report(c, HD_ERROR, hd_xml_line(li), 0, "a list holds only <li> items",
					       "<%s> is not allowed inside <%s>", li->name, b->name);
					return 1;
				}
				if (explain_inline(c, li))
					return 1;
			}
			if (!items) {
				report(c, HD_ERROR, hd_xml_line(b), 0, "add at least one <li>",
				       "the list <%s> is empty", b->name);
				return 1;
			}
		} else {
			report(c, HD_ERROR, hd_xml_line(b), 0, "use <p>, <ul> or <ol>",
			       "<%s> is not allowed inside <%s>", b->name, sec->name);
			return 1;
		}
	}
	if (!nblocks) {
		report(c, HD_ERROR, hd_xml_line(sec), 0, "add at least one <p>, <ul> or <ol>",
		       "<%s> is empty", sec->name);
		return 1;
	}
	if (need_ol && !ol) {
		report(c, HD_ERROR, hd_xml_line(sec), 0, "number the steps with <ol><li>...</li></ol>",
		       "the steps section needs a numbered list <ol>");
		return 1;
	}
	return 0;
}

/* Explains why one <text> of an entry of kind k does not match. */
static int explain_text(collector *c, const struct kind_rule *k, xmlNodePtr text, const char *id)
{
	xmlNodePtr ch = hd_xml_elem(text->children);
	const char *lang = hd_xml_lang(text);
	size_t i;
	int said = 0;

	if (!hd_xml_is(text, "text")) {
		report(c, HD_ERROR, hd_xml_line(text), 0, "an <entry> holds only <text xml:lang=\"..\"> elements",
		       "<%s> is not allowed inside <entry>", text->name);
		return 1;
	}
	if (!lang) {
		report(c, HD_ERROR, hd_xml_line(text), 0, "write <text xml:lang=\"en\">",
		       "<text> in entry '%s' needs an xml:lang attribute", id);
		said = 1;
	} else if (!is_lang(lang)) {
		said |= explain_value(c, HD_VOCAB_LIBRARY, text, "xml:lang", hd_xml_line(text), 1);
	}
	if (has_text(text)) {
		report(c, HD_ERROR, hd_xml_line(text), 0, "put the text inside <title>, <summary> or a <section>",
		       "text directly inside <text> is not allowed");
		return 1;
	}
	if (!ch || !hd_xml_is(ch, "title")) {
		report(c, HD_ERROR, ch ? hd_xml_line(ch) : hd_xml_line(text), 0,
		       "a <text> starts with <title>, then <summary>",
		       "entry '%s' needs a <title> first in its text", id);
		return 1;
	}
	ch = hd_xml_elem(ch->next);
	if (!ch || !hd_xml_is(ch, "summary")) {
		report(c, HD_ERROR, ch ? hd_xml_line(ch) : hd_xml_line(text), 0,
		       "a <text> starts with <title>, then <summary>",
		       "entry '%s' needs a <summary> after its <title>", id);
		return 1;
	}
	ch = hd_xml_elem(ch->next);
	if (ch && hd_xml_is(ch, "dose")) {
		if (k->dose == 0) {
			report(c, HD_ERROR, hd_xml_line(ch), 0,
			       "only selfcare and exercise entries have a dose",
			       "entry '%s' of kind %s cannot have a <dose>", id, k->kind);
			return 1;
		}
		ch = hd_xml_elem(ch->next);
	} else if (k->dose == 2) {
		report(c, HD_ERROR, ch ? hd_xml_line(ch) : hd_xml_line(text), 0,
		       "add <dose>...</dose> right after <summary>",
		       "entry '%s' of kind %s needs a <dose>", id, k->kind);
		return 1;
	}
	for (i = 0; k->roles[i]; i++) {
		const char *role;
		char hint[200];
		size_t j, w = 0;

		w += (size_t)snprintf(hint, sizeof(hint), "a %s has the sections ", k->kind);
		for (j = 0; k->roles[j] && w < sizeof(hint); j++)
			w += (size_t)snprintf(hint + w, sizeof(hint) - w, "%s%s", j ? ", " : "", k->roles[j]);
		if (w < sizeof(hint))
			snprintf(hint + w, sizeof(hint) - w, ", in this order");
		if (!ch) {
			report(c, HD_ERROR, hd_xml_line(text), 0, hint,
			       "entry '%s' is missing its '%s' section%s%s%s", id, k->roles[i],
			       lang ? " in '" : "", lang ? lang : "", lang ? "'" : "");
			return 1;
		}
		role = hd_xml_is(ch, "section") ? hd_xml_attr(ch, "role") : NULL;
		if (!hd_xml_is(ch, "section")) {
			report(c, HD_ERROR, hd_xml_line(ch), 0, hint, "<%s> is not allowed here in entry '%s'",
			       ch->name, id);
			return 1;
		}
		if (!role || strcmp(role, k->roles[i]) != 0) {
			report(c, HD_ERROR, hd_xml_line(ch), 0, hint,
			       "entry '%s' needs a '%s' section here, found %s%s%s", id, k->roles[i],
			       role ? "'" : "a section without role", role ? role : "", role ? "'" : "");
			return 1;
		}
		if (explain_blocks(c, ch, strcmp(role, "steps") == 0))
			return 1;
		ch = hd_xml_elem(ch->next);
	}
	if (ch) {
		report(c, HD_ERROR, hd_xml_line(ch), 0, NULL,
		       "entry '%s' of kind %s has an extra <%s>%s%s%s", id, k->kind, ch->name,
		       hd_xml_attr(ch, "role") ? " (role '" : "",
		       hd_xml_attr(ch, "role") ? hd_xml_attr(ch, "role") : "",
		       hd_xml_attr(ch, "role") ? "')" : "");
		return 1;
	}
	return said;
}

/* Explains what a library <entry> lacks. Returns 1 when it found something. */
static int explain_entry(collector *c, xmlNodePtr e)
{
	const char *id = hd_xml_attr(e, "id");
	const char *kind = hd_xml_attr(e, "kind");
	const struct kind_rule *k = NULL;
	int line = hd_xml_line(e), said = 0;
	xmlNodePtr ch;
	xmlAttrPtr a;
	size_t i;

	if (!id)
		id = "?";
	said |= explain_attributes(c, HD_VOCAB_LIBRARY, e, line);
	for (a = e->properties; a; a = a->next) {
		const char *an = (const char *)a->name;
		if (a->ns || !(strcmp(an, "id") == 0 || strcmp(an, "kind") == 0 ||
		               strcmp(an, "reviewed") == 0 || strcmp(an, "urgency") == 0 ||
		               strcmp(an, "mandatory") == 0)) {
			report(c, HD_ERROR, line, 0, NULL, "<entry> does not allow the attribute %s", an);
			said = 1;
		}
	}
	for (i = 0; kind && i < HD_ARRAY_LEN(kind_rules); i++) {
		if (strcmp(kind_rules[i].kind, kind) == 0)
			k = &kind_rules[i];
	}
	if (!k)
		return said;
	if (strcmp(k->kind, "warning-sign") == 0) {
		const char *u = hd_xml_attr(e, "urgency"), *m = hd_xml_attr(e, "mandatory");
		if (!u || !(strcmp(u, "urgent") == 0 || strcmp(u, "soon") == 0)) {
			report(c, HD_ERROR, line, 0, "use urgency=\"urgent\" or urgency=\"soon\"",
			       "warning sign '%s' needs urgency=\"urgent\" or \"soon\"%s%s%s", id,
			       u ? ", not \"" : "", u ? u : "", u ? "\"" : "");
			said = 1;
		}
		if (!m || !(strcmp(m, "true") == 0 || strcmp(m, "false") == 0)) {
			report(c, HD_ERROR, line, 0, "use mandatory=\"true\" or mandatory=\"false\"",
			       "warning sign '%s' needs mandatory=\"true\" or \"false\"", id);
			said = 1;
		}
	} else if (hd_xml_attr(e, "urgency") || hd_xml_attr(e, "mandatory")) {
		report(c, HD_ERROR, line, 0, "urgency and mandatory belong to warning signs only",
		       "entry '%s' of kind %s cannot have urgency or mandatory", id, k->kind);
		said = 1;
	}
	if (has_text(e)) {
		report(c, HD_ERROR, line, 0, "put the words inside <text xml:lang=\"..\">",
		       "text directly inside <entry> is not allowed");
		return 1;
	}
	if (!hd_xml_elem(e->children)) {
		report(c, HD_ERROR, line, 0, "add a <text xml:lang=\"..\"> for each language",
		       "entry '%s' has no <text>", id);
		return 1;
	}
	HD_XML_EACH(ch, e)
		said |= explain_text(c, k, ch, id);
	return said;
}

/* The library <entry> that holds n (or is n), or NULL. */
static xmlNodePtr entry_of(xmlNodePtr n)
{
	for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
		if (hd_xml_is(n, "entry"))
			return n;
	}
	return NULL;
}

/* 1 when anc is n or one of its ancestors. */
static int is_ancestor_or_self(xmlNodePtr anc, xmlNodePtr n)
{
	for (; n; n = n->parent) {
		if (n == anc)
			return 1;
	}
	return 0;
}

/* Turns the buffered RELAX NG errors into diagnostics. Called once per
 * batch; c->last and c->last_entry carry what the previous batch showed, so
 * that its cascades are still dropped. */
static void explain_rng_errors(collector *c)
{
	enum hd_vocab v = c->vocab;
	size_t i, j;
	xmlNodePtr last = c->last;

	if (v == HD_VOCAB_LIBRARY) {
		for (i = 0; i < c->nrng; i++) {
			xmlNodePtr e = entry_of(c->rng[i].node);
			if (!e || c->rng[i].handled)
				continue;
			if (e == c->last_entry || explain_entry(c, e)) {
				for (j = i; j < c->nrng; j++) {
					if (entry_of(c->rng[j].node) == e)
						c->rng[j].handled = 1;
				}
				c->last_entry = e;
			}
		}
	}
	for (i = 0; i < c->nrng; i++) {
		rng_err *r = &c->rng[i];
		xmlNodePtr n = r->node;
		int said = 0;

		if (r->handled) {
			last = n;
			continue;
		}
		if ((r->code == XML_RELAXNG_ERR_CONTENTVALID || r->code == XML_RELAXNG_ERR_ATTRVALID ||
		     r->code == XML_RELAXNG_ERR_NOELEM || r->code == XML_RELAXNG_ERR_INTERSEQ) &&
		    last && n && is_ancestor_or_self(n, last))
			continue; /* a cascade of an error already shown */
		if (r->code == XML_RELAXNG_ERR_CONTENTVALID && last && n && n->parent == last->parent)
			continue;
		if (r->code == XML_RELAXNG_ERR_ATTRVALID && !n && i + 1 < c->nrng &&
		    c->rng[i + 1].code == XML_RELAXNG_ERR_INVALIDATTR)
			continue; /* the next error names the attribute */
		if (n && n->type == XML_ELEMENT_NODE) {
			switch (r->code) {
			case XML_RELAXNG_ERR_ELEMWRONG:
			case XML_RELAXNG_ERR_ELEMEXTRANS:
			case XML_RELAXNG_ERR_ELEMNAME:
				said = explain_placement(c, v, n, r->line);
				break;
			case XML_RELAXNG_ERR_VALUE:
			case XML_RELAXNG_ERR_DATATYPE:
			case XML_RELAXNG_ERR_TYPEVAL:
			case XML_RELAXNG_ERR_LIST:
				said = explain_value(c, v, n, NULL, r->line, 1);
				if (said) {
					/* the "failed to validate content" that follows is ours */
					last = n;
					continue;
				}
				if (has_attr_rules(v, n))
					continue; /* an attribute's value: explained by what follows */
				break;
			case XML_RELAXNG_ERR_INVALIDATTR:
				if (r->s1 && rule_attr(n, r->s1) && find_rule(v, (const char *)n->name, r->s1))
					said = explain_value(c, v, n, r->s1, r->line, 1);
				else if (r->s1) {
					report(c, HD_ERROR, r->line, 0, NULL, "<%s> does not allow the attribute %s",
					       n->name, r->s1);
					said = 1;
				}
				break;
			case XML_RELAXNG_ERR_ATTRVALID:
				said = explain_attributes(c, v, n, r->line);
				break;
			case XML_RELAXNG_ERR_NOELEM:
				said = explain_missing(c, v, n, r->line, r->s1);
				break;
			case XML_RELAXNG_ERR_EXTRACONTENT:
			case XML_RELAXNG_ERR_TEXTWRONG:
				report(c, HD_ERROR, r->line, 0, NULL, "<%s> cannot contain text here", n->name);
				said = 1;
				break;
			case XML_RELAXNG_ERR_ELEMNOTEMPTY:
				report(c, HD_ERROR, r->line, 0, "write it as <%s/>", "<%s> must be empty",
				       n->name);
				said = 1;
				break;
			case XML_RELAXNG_ERR_CONTENTVALID:
				said = explain_placement(c, v, hd_xml_elem(n->children) ? hd_xml_elem(n->children) : n,
				                         r->line);
				break;
			default:
				break;
			}
		}
		if (!said) {
			char m[400];
			snprintf(m, sizeof(m), "%s", r->msg ? r->msg : "does not match the schema");
			report(c, HD_ERROR, r->line, 0, NULL, "%s", m);
		}
		last = n;
	}
	c->last = last;
}

/* Frees the buffered RELAX NG errors; the collector can be reused. */
static void free_rng_errors(collector *c)
{
	size_t i;
	for (i = 0; i < c->nrng; i++) {
		free(c->rng[i].msg);
		free(c->rng[i].s1);
		free(c->rng[i].s2);
	}
	free(c->rng);
	c->rng = NULL;
	c->nrng = c->caprng = 0;
}

/* ----- root checks and validation --------------------------------------------- */

static enum hd_vocab root_vocab(collector *c, xmlNodePtr root, enum hd_vocab want)
{
	const char *name = (const char *)root->name;
	const char *ns = root->ns && root->ns->href ? (const char *)root->ns->href : NULL;
	enum hd_vocab v;
	char hint[256];

	for (v = HD_VOCAB_LIBRARY; v <= HD_VOCAB_LAST; v++) {
		if (strcmp(name, vocabs[v].root) != 0)
			continue;
		if (ns && strcmp(ns, vocabs[v].ns) == 0)
			break;
		if (ns && v == HD_VOCAB_TEMPLATE && !strcmp(ns, "urn:handout:template:1")) {
			report(c, HD_ERROR, hd_xml_line(root), 0,
			       "templates are version 2 now: see 'Templates' in xml/README.md, or start "
			       "from the templates in xml/templates/",
			       "this is a version 1 template, which this program no longer reads");
			return HD_VOCAB_UNKNOWN;
		}
		snprintf(hint, sizeof(hint), "write the root element as <%s xmlns=\"%s\" version=\"%s\">",
		         vocabs[v].root, vocabs[v].ns, vocabs[v].version);
		if (ns)
			report(c, HD_ERROR, hd_xml_line(root), 0, hint,
			       "<%s> is in the namespace '%s', expected %s", name, ns, vocabs[v].ns);
		else
			report(c, HD_ERROR, hd_xml_line(root), 0, hint,
			       "<%s> has no namespace, expected %s", name, vocabs[v].ns);
		return HD_VOCAB_UNKNOWN;
	}
	if (v > HD_VOCAB_LAST) {
		report(c, HD_ERROR, hd_xml_line(root), 0, "is this the right file?",
		       "expected a handout file (<library>, <template>, <clinic>, <session>, <fonts> or <presets> in "
		       "a namespace urn:handout:...), found <%s>", name);
		return HD_VOCAB_UNKNOWN;
	}
	if (want != HD_VOCAB_UNKNOWN && v != want) {
		report(c, HD_ERROR, hd_xml_line(root), 0, "is this the right file?",
		       "expected a <%s> file, found <%s>", vocabs[want].root, name);
		return HD_VOCAB_UNKNOWN;
	}
	return v;
}

/* Requires version="1" on the root: a file of another version would only
 * produce confusing schema errors. Returns HD_OK or HD_EINPUT (reported). */
static int check_version(collector *c, xmlNodePtr root, enum hd_vocab v)
{
	const char *ver = hd_xml_attr(root, "version"), *want = vocabs[v].version;
	char hint[96];
	if (!ver) {
		snprintf(hint, sizeof(hint), "add version=\"%s\" to the root element", want);
		report(c, HD_ERROR, hd_xml_line(root), 0, hint, "<%s> has no version attribute",
		       root->name);
		return HD_EINPUT;
	}
	if (strcmp(ver, want) != 0) {
		snprintf(hint, sizeof(hint), "this program reads version %s; use a newer program for newer files", want);
		report(c, HD_ERROR, hd_xml_line(root), 0, hint,
		       "this is version \"%s\" of the <%s> format; only version \"%s\" is supported",
		       ver, root->name, want);
		return HD_EINPUT;
	}
	return HD_OK;
}

/* Validates doc against rng and reports every problem in plain words.
 * Returns HD_OK, HD_EINPUT or HD_ENOMEM. */
static int validate(collector *c, xmlRelaxNGPtr rng, xmlDocPtr doc, enum hd_vocab v)
{
	xmlRelaxNGValidCtxtPtr vc;
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	int ret, before = c->errors;

	vc = xmlRelaxNGNewValidCtxt(rng);
	if (!vc)
		return HD_ENOMEM;
	xmlRelaxNGSetValidStructuredErrors(vc, on_global_error, c);
	xmlSetStructuredErrorFunc(c, on_global_error);
	c->vocab = v;
	c->last = c->last_entry = NULL;
	c->validating = 1;
	ret = xmlRelaxNGValidateDoc(vc, doc);
	c->validating = 0;
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	xmlRelaxNGFreeValidCtxt(vc);
	explain_rng_errors(c);
	free_rng_errors(c);
	if (c->oom)
		return HD_ENOMEM;
	if (ret != 0 && c->errors == before)
		report(c, HD_ERROR, 0, 0, NULL, "the file does not match its schema (%s)", vocabs[v].schema);
	return ret == 0 && c->errors == before ? HD_OK : HD_EINPUT;
}

/* Frees what the collector holds. */
static void finish_collector(collector *c)
{
	free_rng_errors(c);
}

/* The offset of the first s in b[i..n), or n. */
static size_t find(const unsigned char *b, size_t n, size_t i, const char *s)
{
	for (; i < n; i++) {
		if (b[i] == (unsigned char)s[0] && at(b, n, i, s))
			return i;
	}
	return n;
}

/* The vocabulary the root element's name (its local part) says, read from
 * the bytes before any parsing: past a byte order mark, white space, the
 * XML declaration, comments and processing instructions. HD_VOCAB_UNKNOWN
 * when there is no such element first (a DOCTYPE, text, another name); the
 * parser then says what is wrong. */
static enum hd_vocab sniff_root(const char *buf, size_t len)
{
	const unsigned char *b = (const unsigned char *)buf;
	size_t i = at(b, len, 0, "\xEF\xBB\xBF") ? 3 : 0, start, colon;
	enum hd_vocab v;

	for (;;) {
		while (i < len && is_blank(b[i]))
			i++;
		if (at(b, len, i, "<?"))
			i = find(b, len, i + 2, "?>") + 2;
		else if (at(b, len, i, "<!--"))
			i = find(b, len, i + 4, "-->") + 3;
		else
			break;
	}
	if (i >= len || b[i] != '<')
		return HD_VOCAB_UNKNOWN;
	start = colon = ++i;
	while (i < len && !is_blank(b[i]) && b[i] != '/' && b[i] != '>') {
		if (b[i] == ':')
			colon = i + 1;
		i++;
	}
	for (v = HD_VOCAB_LIBRARY; v <= HD_VOCAB_LAST; v++) {
		if (i - colon == strlen(vocabs[v].root) && memcmp(b + colon, vocabs[v].root, i - colon) == 0)
			return start < i ? v : HD_VOCAB_UNKNOWN;
	}
	return HD_VOCAB_UNKNOWN;
}

/* Refuses a file larger than the cap of its vocabulary v. Returns HD_OK or
 * HD_EINPUT (reported). */
static int check_size(collector *c, enum hd_vocab v)
{
	if (c->len <= vocabs[v].max)
		return HD_OK;
	report(c, HD_ERROR, 0, 0, "split the file or check that it is the right one",
	       "file is too large for %s (%zu bytes; the limit is %zu bytes)", vocabs[v].noun,
	       c->len, vocabs[v].max);
	return HD_EINPUT;
}

static int open_bytes(hd_xml *x, hd_loader *l, const char *name, char *buf, size_t len,
                      enum hd_vocab want, unsigned flags, hd_diags *d);

/* Reads, sniffs, parses, identifies and validates one file; see load_xml.h. */
int hd_xml_open(hd_xml *x, hd_loader *l, const char *path, size_t max, enum hd_vocab want,
                unsigned flags, hd_diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(x, 0, sizeof(*x));
	if (!l || !path)
		return HD_EINVAL;
	rc = hd_read_file(&buf, &len, path, max, d);
	if (rc)
		return rc;
	/* "-" is standard input */
	return open_bytes(x, l, hd_path_display(path), buf, len, want, flags, d);
}

int hd_xml_open_mem(hd_xml *x, hd_loader *l, const char *name, const void *data, size_t len,
                    size_t max, enum hd_vocab want, unsigned flags, hd_diags *d)
{
	char *buf;

	memset(x, 0, sizeof(*x));
	if (!l || !name || (!data && len))
		return HD_EINVAL;
	if (len > max) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_TOO_BIG, NULL, name, 0, 0,
		              "check that it is the right text",
		              "too large (%zu bytes; the limit is %zu bytes)", len, max);
		return HD_EINPUT;
	}
	buf = malloc(len + 1);
	if (!buf)
		return HD_ENOMEM;
	if (len)
		memcpy(buf, data, len);
	buf[len] = '\0';
	return open_bytes(x, l, name, buf, len, want, flags, d);
}

/* The work of hd_xml_open on bytes read: takes buf (malloc'd, NUL after
 * len) whatever happens. */
static int open_bytes(hd_xml *x, hd_loader *l, const char *name, char *buf, size_t len,
                      enum hd_vocab want, unsigned flags, hd_diags *d)
{
	collector c;
	size_t i;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	enum hd_vocab v;
	const char *what, *hint = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	c.path = name;
	c.d = d;
	c.buf = buf;
	c.len = len;
	what = sniff_binary((const unsigned char *)buf, len, &hint);
	if (what) {
		report(&c, HD_ERROR, 0, 0, hint, "this is not an XML file (it looks like %s)", what);
		rc = HD_EINPUT;
		goto cleanup;
	}
	for (i = 0; i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'); i++)
		;
	if (i == len) {
		report(&c, HD_ERROR, 0, 0,
		       "a handout file starts with <?xml version=\"1.0\" encoding=\"UTF-8\"?>",
		       len ? "the file is empty (it holds only white space)" : "the file is empty");
		rc = HD_EINPUT;
		goto cleanup;
	}
	/* Each vocabulary has its own cap (a session record 1 MB, a library
	 * file 4 MB); validate reads up to the largest, so the root's name
	 * decides before anything is parsed, and again once it is known. */
	rc = check_size(&c, sniff_root(buf, len));
	if (rc)
		goto cleanup;
	rc = parse_buffer(&doc, &c);
	if (rc)
		goto cleanup;
	root = xmlDocGetRootElement(doc);
	if (!root) {
		report(&c, HD_ERROR, 0, 0, NULL, "the file has no root element");
		rc = HD_EINPUT;
		goto cleanup;
	}
	v = root_vocab(&c, root, want);
	if (v == HD_VOCAB_UNKNOWN) {
		rc = HD_EINPUT;
		goto cleanup;
	}
	x->vocab = v; /* known even when validation fails below */
	rc = check_size(&c, v);
	if (rc)
		goto cleanup;
	rc = check_version(&c, root, v);
	if (rc)
		goto cleanup;
	rc = validate(&c, l->rng[v], doc, v);
	if (rc && !(rc == HD_EINPUT && (flags & HD_XML_KEEP_INVALID)))
		goto cleanup;
	x->doc = doc;
	x->root = root;
	x->vocab = v;
	x->path = c.path;
	x->d = d;
	x->valid = rc == HD_OK;
	x->buf = buf;
	x->len = len;
	buf = NULL;
	doc = NULL;
cleanup:
	finish_collector(&c);
	xmlFreeDoc(doc);
	free(buf);
	return rc;
}

/* Frees the document of x and zeroes it. Accepts a zeroed x. */
void hd_xml_close(hd_xml *x)
{
	if (!x)
		return;
	xmlFreeDoc(x->doc);
	free(x->buf);
	memset(x, 0, sizeof(*x));
}

/* HD_ENOMEM, HD_EINPUT when a problem was reported, else HD_OK. */
int hd_xml_status(const hd_xml *x)
{
	if (x->oom)
		return HD_ENOMEM;
	return x->errors ? HD_EINPUT : HD_OK;
}

/* Reports an error at n's line and counts it in x->errors. */
void hd_xml_error(hd_xml *x, xmlNodePtr n, const char *hint, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hd_xml_error_c(x, n, HD_DIAG_INVALID, hint, "%s", msg);
}

void hd_xml_error_c(hd_xml *x, xmlNodePtr n, int code, const char *hint, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	x->errors++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hd_diag_coded(x->d, HD_ERROR, code, x->field, x->path, n ? hd_xml_line(n) : 0, 0, hint,
	              "%s", msg);
}

hd_where hd_xml_where(hd_xml *x, xmlNodePtr n)
{
	hd_where w;
	memset(&w, 0, sizeof(w));
	w.d = x->d;
	w.file = x->path;
	w.line = n ? hd_xml_line(n) : 0;
	w.field = x->field;
	w.errors = &x->errors;
	return w;
}

/* The raw value of attribute name in the start tag at p (just after "<"),
 * or NULL: [*vs, *ve) is the text between the quotes. Stops at the end of
 * the tag. */
static const char *find_attr(const char *p, const char *end, const char *name, const char **ve)
{
	size_t nlen = strlen(name);
	while (p < end && *p != '>') {
		const char *a;
		char q;
		while (p < end && *p != '>' && *p != '"' && *p != '\'' &&
		       !(p[0] == name[0] && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' ||
		                             p[-1] == '\r')))
			p++;
		if (p >= end || *p == '>')
			return NULL;
		if (*p == '"' || *p == '\'') { /* another attribute's value: skip it */
			q = *p++;
			while (p < end && *p != q)
				p++;
			p++;
			continue;
		}
		a = p;
		if ((size_t)(end - p) > nlen && !memcmp(p, name, nlen)) {
			p += nlen;
			while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
				p++;
			if (p < end && *p == '=') {
				p++;
				while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
					p++;
				if (p < end && (*p == '"' || *p == '\'')) {
					const char *vs;
					q = *p++;
					vs = p;
					while (p < end && *p != q)
						p++;
					*ve = p;
					return vs;
				}
			}
		}
		p = a + 1;
	}
	return NULL;
}

/* Steps over one character of a raw attribute value: a character reference
 * or entity is one character of the value. Returns the next raw byte. */
static const char *raw_step(const char *p, const char *end)
{
	if (*p == '&') {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		if (semi)
			return semi + 1;
	}
	return p + 1;
}

/* 1 when the raw value [vs, ve) is value once normalised (white space
 * characters become spaces; a reference stands for one byte we cannot
 * check, so it matches anything). */
static int raw_matches(const char *vs, const char *ve, const char *value)
{
	const char *p = vs;
	while (p < ve && *value) {
		if (*p == '&') {
			p = raw_step(p, ve);
			value++;
			continue;
		}
		if (*p != *value && !((*p == '\n' || *p == '\t' || *p == '\r') && *value == ' '))
			return 0;
		p++;
		value++;
	}
	return p == ve && !*value;
}

void hd_xml_error_in_attr(hd_xml *x, xmlNodePtr n, const char *name, size_t off,
                          const char *hint, const char *fmt, ...)
{
	const char *value = hd_xml_attr(n, name), *p, *end, *vs = NULL, *ve = NULL;
	int line = n ? hd_xml_line(n) : 0, col = 0, l = 1;
	size_t nlen;
	va_list ap;

	if (x->buf && value && line > 0 && n->name) {
		end = x->buf + x->len;
		nlen = strlen((const char *)n->name);
		const char *limit;
		/* libxml2 gives the line where the start tag ends; the tag may
		 * begin lines before. The last start tag of this name that begins
		 * by the end of that line and holds this value is the one. */
		for (p = x->buf; p < end && l < line - 200; p++)
			l += *p == '\n';
		for (limit = p; limit < end && l <= line; limit++)
			l += *limit == '\n';
		for (; p < limit; p++) {
			const char *q, *s, *e;
			if (*p != '<')
				continue;
			q = p + 1;
			if ((size_t)(end - q) > nlen && !memcmp(q, n->name, nlen) &&
			    (q[nlen] == ' ' || q[nlen] == '\t' || q[nlen] == '\n' || q[nlen] == '\r')) {
				s = find_attr(q + nlen, end, name, &e);
				if (s && raw_matches(s, e, value)) {
					vs = s;
					ve = e;
				}
			}
		}
		if (vs) {
			/* walk to the offending character, counting lines and columns */
			const char *ls;
			size_t i;
			for (ls = vs; ls > x->buf && ls[-1] != '\n'; ls--)
				;
			for (l = 1, p = x->buf; p < vs; p++)
				l += *p == '\n';
			line = l;
			col = (int)(vs - ls) + 1;
			for (p = vs, i = 0; p < ve && i < off; i++) {
				const char *nx = raw_step(p, ve);
				if (*p == '\n') {
					line++;
					col = 1;
				} else {
					col += (int)(nx - p);
				}
				p = nx;
			}
		}
	}
	x->errors++;
	va_start(ap, fmt);
	hd_diag_vadd(x->d, HD_ERROR, x->path, line, col, hint, fmt, ap);
	va_end(ap);
}

/* ----- loader: the compiled schemas ---------------------------------------------- */

/* Compiles one schema file. Returns HD_OK or an error with diagnostics. */
static int compile_schema(xmlRelaxNGPtr *out, const char *path, hd_diags *d)
{
	collector c;
	xmlDocPtr doc = NULL;
	xmlRelaxNGParserCtxtPtr pc = NULL;
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	char *buf = NULL;
	size_t len;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.path = path;
	c.d = d;
	rc = hd_read_file(&buf, &len, path, HD_MAX_XML_FILE, d);
	if (rc)
		goto cleanup;
	c.buf = buf;
	c.len = len;
	rc = parse_buffer(&doc, &c);
	if (rc)
		goto cleanup;
	pc = xmlRelaxNGNewDocParserCtxt(doc);
	if (!pc) {
		rc = HD_ENOMEM;
		goto cleanup;
	}
	xmlRelaxNGSetParserStructuredErrors(pc, on_global_error, &c);
	xmlSetStructuredErrorFunc(&c, on_global_error);
	*out = xmlRelaxNGParse(pc);
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	if (!*out) {
		if (!c.errors)
			report(&c, HD_ERROR, 0, 0, NULL, "the schema cannot be compiled");
		rc = HD_EINPUT;
	}
cleanup:
	finish_collector(&c);
	xmlRelaxNGFreeParserCtxt(pc);
	xmlFreeDoc(doc);
	free(buf);
	return rc;
}

/* Compiles the four schemas of schema_dir once, parsed with the same secure
 * reader as any input. Every broken schema is reported. On success *out is
 * the caller's (hd_loader_free); on failure NULL. */
int hd_loader_new(hd_loader **out, const char *schema_dir, hd_diags *d)
{
	hd_loader *l = NULL;
	enum hd_vocab v;
	int rc = HD_OK;

	*out = NULL;
	if (!schema_dir)
		return HD_EINVAL;
	xmlInitParser();
	l = calloc(1, sizeof(*l));
	if (!l)
		return HD_ENOMEM;
	for (v = HD_VOCAB_LIBRARY; v <= HD_VOCAB_LAST; v++) {
		char *path = hd_path_join(schema_dir, vocabs[v].schema);
		int r;
		if (!path) {
			rc = HD_ENOMEM;
			goto cleanup;
		}
		r = compile_schema(&l->rng[v], path, d);
		free(path);
		if (r && !rc)
			rc = r; /* keep going: report every broken schema */
	}
	if (rc)
		goto cleanup;
	*out = l;
	l = NULL;
cleanup:
	hd_loader_free(l);
	return rc;
}

/* Frees the compiled schemas. Accepts NULL. */
void hd_loader_free(hd_loader *l)
{
	size_t i;
	if (!l)
		return;
	for (i = 0; i < HD_ARRAY_LEN(l->rng); i++)
		xmlRelaxNGFree(l->rng[i]);
	free(l);
}

/* ----- tree helpers ---------------------------------------------------------------- */

xmlNodePtr hd_xml_elem(xmlNodePtr n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

/* 1 when n is an element named name. */
int hd_xml_is(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The first child element of parent named name, or NULL. */
xmlNodePtr hd_xml_child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr c;
	HD_XML_EACH(c, parent) {
		if (hd_xml_is(c, name))
			return c;
	}
	return NULL;
}

/* The value of an attribute node: one text child, since there are no
 * entities (character references are already decoded by then). */
static const char *attr_value(xmlAttrPtr a)
{
	if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
		return a->children->content ? (const char *)a->children->content : "";
	return a->children ? (const char *)a->children->content : "";
}

/* An attribute without namespace, borrowed from the tree, or NULL. */
const char *hd_xml_attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;
	for (a = n->properties; a; a = a->next) {
		if (!a->ns && strcmp((const char *)a->name, name) == 0)
			return attr_value(a);
	}
	return NULL;
}

/* xml:lang on n itself, borrowed from the tree, or NULL. */
const char *hd_xml_lang(xmlNodePtr n)
{
	xmlAttrPtr a;
	for (a = n->properties; a; a = a->next) {
		if (a->ns && a->ns->href && strcmp((const char *)a->ns->href,
		                                   (const char *)XML_XML_NAMESPACE) == 0 &&
		    strcmp((const char *)a->name, "lang") == 0)
			return attr_value(a);
	}
	return NULL;
}

/* The line of n (BIG_LINES: beyond 65535 too), or 0. */
int hd_xml_line(xmlNodePtr n)
{
	long line = n ? xmlGetLineNo(n) : 0;
	return line > 0 && line < 0x7fffffff ? (int)line : 0;
}

/* XML white space. */
static int is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Trims and collapses XML white space into a copy in a; NULL on out of memory. */
char *hd_xml_collapse(hd_xml *x, hd_arena *a, const char *s)
{
	size_t n = strlen(s), o = 0, i;
	char *out = hd_arena_alloc(a, n + 1);
	int sp = 1;

	if (!out) {
		x->oom = 1;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (is_ws(s[i])) {
			if (!sp)
				out[o++] = ' ';
			sp = 1;
		} else {
			out[o++] = s[i];
			sp = 0;
		}
	}
	if (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

/* The collapsed text of n; see load_xml.h for the empty and failure cases. */
const char *hd_xml_text(hd_xml *x, hd_arena *a, xmlNodePtr n, int required)
{
	hd_buf b = HD_BUF_INIT;
	xmlNodePtr t;
	const char *res;

	for (t = n->children; t; t = t->next) {
		if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content)
			hd_buf_puts(&b, (const char *)t->content);
	}
	if (b.oom) {
		hd_buf_free(&b);
		x->oom = 1;
		return NULL;
	}
	res = hd_xml_collapse(x, a, b.data ? b.data : "");
	hd_buf_free(&b);
	if (res && !*res && required) {
		hd_xml_error_c(x, n, HD_DIAG_EMPTY, "write the text between the tags",
		               "<%s> is empty", n->name);
		return NULL;
	}
	return res;
}

/* Trims Unicode blanks and checks the length; see load_xml.h. */
const char *hd_xml_limit(hd_xml *x, hd_arena *a, xmlNodePtr n, const char *s,
                         const hd_text_field *f, const char *what)
{
	hd_where w = hd_xml_where(x, n);
	return hd_check_limit(a, &w, s, f, what, &x->oom);
}

/* A required element's text, trimmed and checked; see load_xml.h. */
const char *hd_xml_field(hd_xml *x, hd_arena *a, xmlNodePtr n, const hd_text_field *f)
{
	const char *s = hd_xml_text(x, a, n, 1);

	if (!s)
		return NULL;
	s = hd_xml_limit(x, a, n, s, f, NULL);
	if (s && !*s) {
		hd_xml_error_c(x, n, HD_DIAG_EMPTY, "write the text between the tags; no-break and "
		               "other invisible spaces do not count", "<%s> holds only white space",
		               n->name);
		return NULL;
	}
	return s;
}

/* Appends the inline content of n to block b in style. */
static int add_inline(hd_xml *x, hd_arena *a, hd_block *b, xmlNodePtr n, unsigned style,
                      int *last_space)
{
	xmlNodePtr t;

	for (t = n->children; t; t = t->next) {
		if (t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) {
			const char *s = t->content ? (const char *)t->content : "";
			if (hd_block_add_text_collapse(a, b, style, s, strlen(s), last_space) < 0)
				return HD_ENOMEM;
		} else if (hd_xml_is(t, "em")) {
			if (add_inline(x, a, b, t, style | HD_ITALIC, last_space))
				return HD_ENOMEM;
		} else if (hd_xml_is(t, "strong")) {
			if (add_inline(x, a, b, t, style | HD_BOLD, last_space))
				return HD_ENOMEM;
		}
	}
	return HD_OK;
}

/* A paragraph or list item from element n; NULL on error (reported). */
static hd_block *inline_block(hd_xml *x, hd_arena *a, xmlNodePtr n, enum hd_block_kind kind)
{
	hd_block *b = hd_block_new(a, kind);
	int sp = 1;

	if (!b || add_inline(x, a, b, n, HD_REGULAR, &sp)) {
		x->oom = 1;
		return NULL;
	}
	hd_block_trim(b);
	if (!b->spans) {
		hd_xml_error(x, n, "write the text, or remove the element", "<%s> is empty", n->name);
		return NULL;
	}
	return b;
}

/* Paragraphs and lists of parent as blocks in a; see load_xml.h. */
hd_block *hd_xml_blocks(hd_xml *x, hd_arena *a, xmlNodePtr parent)
{
	hd_block *head = NULL, **tail = &head; /* a tail: appends stay O(1) */
	xmlNodePtr n, li;

	HD_XML_EACH(n, parent) {
		hd_block *b = NULL;
		if (hd_xml_is(n, "p")) {
			b = inline_block(x, a, n, HD_BLK_PARA);
		} else if (hd_xml_is(n, "ul") || hd_xml_is(n, "ol")) {
			b = hd_block_new(a, HD_BLK_LIST);
			if (!b) {
				x->oom = 1;
				return NULL;
			}
			if (hd_xml_is(n, "ol"))
				b->flags |= HD_BF_ORDERED;
			HD_XML_EACH(li, n) {
				hd_block *item = inline_block(x, a, li, HD_BLK_ITEM);
				if (item)
					hd_block_add_child(b, item);
			}
		}
		if (b) {
			*tail = b;
			tail = &b->next;
		}
	}
	return head;
}

/* Parses and checks a date (and time); see load_xml.h. */
int hd_xml_date(hd_xml *x, xmlNodePtr n, const char *s, int allow_time, hd_date *out)
{
	hd_where w = hd_xml_where(x, n);
	return hd_check_date(&w, s, allow_time, out);
}

/* ----- checking any file ------------------------------------------------------------ */

/* Parses, validates and converts path (of any vocabulary), so that every
 * check a real load would make is made; the model is then dropped. A
 * library file is checked on its own (its languages and ids within the
 * file). Returns HD_OK, HD_EIO, HD_EINPUT or HD_ENOMEM; *vocab is the
 * vocabulary found (HD_VOCAB_UNKNOWN when the root was not recognised). */
int hd_load_check(hd_loader *l, const char *path, const hd_library *lib, enum hd_vocab *vocab,
                  hd_diags *d)
{
	hd_xml x;
	int rc;

	if (vocab)
		*vocab = HD_VOCAB_UNKNOWN;
	rc = hd_xml_open(&x, l, path, HD_MAX_XML_FILE, HD_VOCAB_UNKNOWN,
	                 lib ? HD_XML_KEEP_INVALID : 0, d);
	if (vocab)
		*vocab = x.vocab;
	if (rc) {
		/* Kept only for a session that failed its schema: its
		 * references can still be checked. */
		if (rc == HD_EINPUT && x.doc && x.vocab == HD_VOCAB_SESSION &&
		    hd_session_check_refs(&x, lib) == HD_ENOMEM)
			rc = HD_ENOMEM;
		hd_xml_close(&x);
		return rc;
	}
	switch (x.vocab) {
	case HD_VOCAB_LIBRARY: {
		hd_library *one = calloc(1, sizeof(*one));
		rc = one ? hd_library_add(one, &x) : HD_ENOMEM;
		if (!rc)
			rc = hd_library_finish(one, lib, d);
		hd_library_free(one);
		break;
	}
	case HD_VOCAB_TEMPLATE: {
		hd_template *t;
		rc = hd_convert_template(&t, &x);
		hd_template_free(t);
		break;
	}
	case HD_VOCAB_CLINIC: {
		hd_clinic *c;
		rc = hd_convert_clinic(&c, &x);
		hd_clinic_free(c);
		break;
	}
	case HD_VOCAB_PRESETS: {
		hd_presets_rec *p;
		int r = HD_OK;
		rc = hd_convert_presets(&p, &x);
		hd_presets_rec_free(p);
		if (lib && rc != HD_ENOMEM)
			r = hd_session_check_refs(&x, lib);
		if (r == HD_ENOMEM || (r && !rc))
			rc = r;
		break;
	}
	case HD_VOCAB_FONTS: {
		hd_font_config *f;
		rc = hd_convert_fonts(&f, &x);
		hd_font_config_free(f);
		break;
	}
	case HD_VOCAB_SESSION: {
		hd_session_rec *s;
		int r = HD_OK;
		rc = hd_convert_session(&s, &x);
		hd_session_rec_free(s);
		if (lib && rc != HD_ENOMEM)
			r = hd_session_check_refs(&x, lib);
		if (r == HD_ENOMEM || (r && !rc))
			rc = r;
		break;
	}
	default:
		rc = HD_EINVAL;
		break;
	}
	hd_xml_close(&x);
	return rc;
}
