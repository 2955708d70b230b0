/*
 * The content library (every .xml file in xml/library) is complete and well formed:
 *
 *  - every file parses, and validates against xml/schema/library.rng
 *    (libxml2's RELAX NG API); a missing schema is a failure;
 *  - ids are unique across all files;
 *  - every entry has exactly one <text> per language its file declares, no
 *    other, and every file declares the same languages;
 *  - every id the engine's sample sessions and templates rely on exists,
 *    with the right kind;
 *  - there are at least five exercises;
 *  - every warning sign is mandatory and says how urgent it is;
 *  - every entry carries a real reviewed date;
 *  - titles are short (2-6 words), summaries are one sentence, doses are
 *    short.
 *
 * Every check lists all offenders before failing, so one run shows a content
 * author everything to fix. The files are the project's own, so they are
 * read with libxml2 directly (no network); the handout library is not used.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlversion.h>

#ifndef HD_SOURCE_DIR
#error "compile with -DHD_SOURCE_DIR=\"<repository>\""
#endif

/* The data folder checked: $HANDOUT_DATA when set (the README's worked
 * example runs these tests on a copy of the tree), else the repository's. */
static char LIBRARY_DIR[4096], SCHEMA_PATH[4096];

static void choose_data_dir(void)
{
	const char *d = getenv("HANDOUT_DATA");
	if (!d || !*d)
		d = HD_SOURCE_DIR "/xml";
	snprintf(LIBRARY_DIR, sizeof LIBRARY_DIR, "%s/library", d);
	snprintf(SCHEMA_PATH, sizeof SCHEMA_PATH, "%s/schema/library.rng", d);
}
#define LIBRARY_NS "urn:handout:library:1"

#define MAX_LANGS 8

/* One entry as this test sees it. Strings are copies owned by the table. */
typedef struct entry {
	char *id;
	char *kind;
	char *reviewed;  /* NULL if absent */
	char *urgency;   /* NULL if absent */
	char *mandatory; /* NULL if absent */
	const char *file;
	int line;
	const char *declared[MAX_LANGS]; /* the file's languages (borrowed) */
	size_t ndeclared;
	char *langs[MAX_LANGS];          /* xml:lang of each <text>, in order */
	size_t nlangs;
	xmlNode *node;                   /* in the file's document, for text checks */
} entry;

typedef struct library {
	char **files;
	size_t nfiles;
	xmlDoc **docs;
	char **declared;  /* per file: the languages attribute, split in place */
	entry *entries;
	size_t count;
} library;

static library lib;

/* ----- loading ------------------------------------------------------------------ */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *dup_prop(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	if (!v)
		return NULL;
	char *s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

static int is_lib(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns &&
	       strcmp((const char *)n->ns->href, LIBRARY_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

static int setup(void **state)
{
	(void)state;
	DIR *d = opendir(LIBRARY_DIR);
	if (!d) {
		fprintf(stderr, "cannot open %s\n", LIBRARY_DIR);
		return -1;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".xml") != 0)
			continue;
		lib.files = realloc(lib.files, (lib.nfiles + 1) * sizeof *lib.files);
		lib.files[lib.nfiles] = malloc(strlen(LIBRARY_DIR) + 2 + len);
		sprintf(lib.files[lib.nfiles], "%s/%s", LIBRARY_DIR, de->d_name);
		lib.nfiles++;
	}
	closedir(d);
	if (lib.nfiles == 0) { /* every test below would pass on nothing */
		fprintf(stderr, "no .xml files in %s\n", LIBRARY_DIR);
		return -1;
	}
	qsort(lib.files, lib.nfiles, sizeof *lib.files, cmp_name);

	lib.docs = calloc(lib.nfiles ? lib.nfiles : 1, sizeof *lib.docs);
	lib.declared = calloc(lib.nfiles ? lib.nfiles : 1, sizeof *lib.declared);
	for (size_t f = 0; f < lib.nfiles; f++) {
		/* Keep going on a parse error: test_files_parse_and_validate reports it. */
		xmlDoc *doc = xmlReadFile(lib.files[f], NULL, XML_PARSE_NONET);
		lib.docs[f] = doc;
		xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
		if (!root || !is_lib(root, "library"))
			continue;
		lib.declared[f] = dup_prop(root, "languages");

		const char *declared[MAX_LANGS];
		size_t ndeclared = 0;
		for (char *tok = lib.declared[f] ? strtok(lib.declared[f], " \t\n") : NULL;
		     tok && ndeclared < MAX_LANGS; tok = strtok(NULL, " \t\n"))
			declared[ndeclared++] = tok;

		for (xmlNode *n = root->children; n; n = n->next) {
			if (!is_lib(n, "entry"))
				continue;
			lib.entries = realloc(lib.entries, (lib.count + 1) * sizeof *lib.entries);
			entry *e = &lib.entries[lib.count++];
			memset(e, 0, sizeof *e);
			e->id = dup_prop(n, "id");
			e->kind = dup_prop(n, "kind");
			e->reviewed = dup_prop(n, "reviewed");
			e->urgency = dup_prop(n, "urgency");
			e->mandatory = dup_prop(n, "mandatory");
			e->file = strrchr(lib.files[f], '/') + 1;
			e->line = (int)xmlGetLineNo(n);
			e->node = n;
			memcpy(e->declared, declared, sizeof declared);
			e->ndeclared = ndeclared;
			for (xmlNode *t = n->children; t; t = t->next) {
				if (!is_lib(t, "text") || e->nlangs == MAX_LANGS)
					continue;
				xmlChar *lang = xmlNodeGetLang(t);
				e->langs[e->nlangs++] = strdup(lang ? (const char *)lang : "");
				xmlFree(lang);
			}
		}
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < lib.count; i++) {
		entry *e = &lib.entries[i];
		free(e->id);
		free(e->kind);
		free(e->reviewed);
		free(e->urgency);
		free(e->mandatory);
		for (size_t k = 0; k < e->nlangs; k++)
			free(e->langs[k]);
	}
	free(lib.entries);
	for (size_t f = 0; f < lib.nfiles; f++) {
		xmlFreeDoc(lib.docs[f]);
		free(lib.declared[f]);
		free(lib.files[f]);
	}
	free(lib.docs);
	free(lib.declared);
	free(lib.files);
	xmlCleanupParser();
	return 0;
}

static const entry *find(const char *id)
{
	for (size_t i = 0; i < lib.count; i++)
		if (lib.entries[i].id && strcmp(lib.entries[i].id, id) == 0)
			return &lib.entries[i];
	return NULL;
}

/* ----- tests ------------------------------------------------------------------------ */

/* libxml2 2.12 made the structured error argument const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_arg;
#else
typedef xmlErrorPtr xml_error_arg;
#endif

/* Prints one schema message as file:line: message. */
static void rng_error(void *ctx, xml_error_arg err)
{
	printf("%s:%d: %s", err->file ? err->file : (const char *)ctx, err->line,
	       err->message ? err->message : "schema error\n");
}

static void test_files_parse_and_validate(void **state)
{
	(void)state;
	assert_true(lib.nfiles > 0);
	int bad = 0;
	for (size_t f = 0; f < lib.nfiles; f++) {
		if (!lib.docs[f]) {
			printf("%s: not well-formed XML\n", lib.files[f]);
			bad++;
		} else if (!is_lib(xmlDocGetRootElement(lib.docs[f]), "library")) {
			printf("%s: root element is not <library xmlns=\"%s\">\n", lib.files[f], LIBRARY_NS);
			bad++;
		}
	}

	/* The schema is part of the project: without it nothing is validated,
	 * and that must fail, not pass quietly. */
	if (access(SCHEMA_PATH, R_OK) != 0) {
		fail_msg("%s not found: the library cannot be validated", SCHEMA_PATH);
	} else {
		xmlRelaxNGParserCtxtPtr pctx = xmlRelaxNGNewParserCtxt(SCHEMA_PATH);
		assert_non_null(pctx);
		xmlRelaxNGSetParserStructuredErrors(pctx, rng_error, (void *)SCHEMA_PATH);
		xmlRelaxNGPtr schema = xmlRelaxNGParse(pctx);
		xmlRelaxNGFreeParserCtxt(pctx);
		if (!schema)
			fail_msg("%s: the schema itself does not parse", SCHEMA_PATH);
		for (size_t f = 0; f < lib.nfiles; f++) {
			if (!lib.docs[f])
				continue;
			xmlRelaxNGValidCtxtPtr vctx = xmlRelaxNGNewValidCtxt(schema);
			assert_non_null(vctx);
			xmlRelaxNGSetValidStructuredErrors(vctx, rng_error, lib.files[f]);
			int rc = xmlRelaxNGValidateDoc(vctx, lib.docs[f]);
			xmlRelaxNGFreeValidCtxt(vctx);
			if (rc != 0) {
				printf("%s: does not validate against %s\n", lib.files[f], SCHEMA_PATH);
				bad++;
			}
		}
		xmlRelaxNGFree(schema);
	}
	if (bad)
		fail_msg("%d library file(s) are malformed or invalid (see above)", bad);
}

static void test_ids_unique(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < lib.count; i++) {
		const entry *a = &lib.entries[i];
		if (!a->id) {
			printf("%s:%d: entry without an id\n", a->file, a->line);
			bad++;
			continue;
		}
		for (size_t j = i + 1; j < lib.count; j++) {
			const entry *b = &lib.entries[j];
			if (b->id && strcmp(a->id, b->id) == 0) {
				printf("%s:%d: id \"%s\" is already used at %s:%d\n", b->file, b->line, b->id,
				       a->file, a->line);
				bad++;
			}
		}
	}
	if (bad)
		fail_msg("%d duplicate or missing id(s)", bad);
}

static int has(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

static void test_languages_complete(void **state)
{
	(void)state;
	int bad = 0;

	/* Every file declares the same languages, in the same order: the first is
	 * the library's default, so files must agree on it. */
	const char *first = NULL, *first_file = NULL;
	for (size_t f = 0; f < lib.nfiles; f++) {
		xmlNode *root = lib.docs[f] ? xmlDocGetRootElement(lib.docs[f]) : NULL;
		char *langs = root ? dup_prop(root, "languages") : NULL;
		if (!langs)
			continue;
		if (!first) {
			first = strdup(langs);
			first_file = lib.files[f];
		} else if (strcmp(first, langs) != 0) {
			printf("%s: languages=\"%s\", but %s declares \"%s\"\n", lib.files[f], langs,
			       first_file, first);
			bad++;
		}
		free(langs);
	}
	free((char *)first);

	for (size_t i = 0; i < lib.count; i++) {
		const entry *e = &lib.entries[i];
		const char *id = e->id ? e->id : "(no id)";
		if (e->ndeclared == 0) {
			printf("%s:%d: entry %s: its file declares no languages\n", e->file, e->line, id);
			bad++;
		}
		for (size_t k = 0; k < e->ndeclared; k++) {
			if (!has((const char *const *)e->langs, e->nlangs, e->declared[k])) {
				printf("%s:%d: entry %s has no text in language \"%s\"\n", e->file, e->line, id,
				       e->declared[k]);
				bad++;
			}
		}
		for (size_t k = 0; k < e->nlangs; k++) {
			if (!has(e->declared, e->ndeclared, e->langs[k])) {
				printf("%s:%d: entry %s has text in \"%s\", which the library does not declare\n",
				       e->file, e->line, id, e->langs[k]);
				bad++;
			} else if (has((const char *const *)e->langs, k, e->langs[k])) {
				printf("%s:%d: entry %s has more than one text in \"%s\"\n", e->file, e->line, id,
				       e->langs[k]);
				bad++;
			}
		}
	}
	if (bad)
		fail_msg("%d language problem(s) (see above)", bad);
}

/* The ids the engine's sample sessions, templates and docs use. Adding an
 * entry is free; removing or renaming one of these breaks sessions. */
static const struct {
	const char *id;
	const char *kind;
} required[] = {
	/* techniques */
	{"swedish", "technique"},
	{"deep-tissue", "technique"},
	{"trigger-point", "technique"},
	{"myofascial-release", "technique"},
	{"sports", "technique"},
	/* self-care */
	{"drink-water", "selfcare"},
	{"rest", "selfcare"},
	{"follow-instructions", "selfcare"},
	{"stretch-and-strengthen", "selfcare"},
	{"regular-sessions", "selfcare"},
	{"posture-ergonomics", "selfcare"},
	{"heat-or-ice", "selfcare"},
	/* exercises */
	{"knee-to-chest", "exercise"},
	{"pelvic-tilt", "exercise"},
	{"cat-cow", "exercise"},
	{"childs-pose", "exercise"},
	{"figure-four", "exercise"},
	/* disclaimer */
	{"disclaimer", "disclaimer"},
	/* warning signs */
	{"severe-pain", "warning-sign"},
	{"worsening-pain", "warning-sign"},
	{"pain-after-injury", "warning-sign"},
	{"numbness-weakness", "warning-sign"},
	{"bladder-bowel", "warning-sign"},
	{"fever-weight-loss", "warning-sign"},
	/* causes */
	{"strain-sprain", "cause"},
	{"posture-sitting", "cause"},
	{"herniated-disc", "cause"},
	{"degenerative-disc", "cause"},
	{"sciatica", "cause"},
	{"other-causes", "cause"},
	/* anatomy */
	{"lumbar-region", "anatomy"},
	{"erector-spinae", "anatomy"},
	{"multifidus", "anatomy"},
	{"ligaments", "anatomy"},
	{"discs", "anatomy"},
	{"nerves", "anatomy"},
	/* benefits */
	{"muscles-relax", "benefit"},
	{"blood-flow", "benefit"},
	{"endorphins-serotonin", "benefit"},
	{"lymph-flow", "benefit"},
	{"flexibility", "benefit"},
	{"stress-pain-cycle", "benefit"},
	/* before a session */
	{"no-heavy-meal", "before"},
	{"arrive-on-time", "before"},
	{"share-health-info", "before"},
	{"speak-up", "before"},
	{"choosing-technique", "before"},
	/* precautions */
	{"acute-inflammation", "precaution"},
	{"infectious-illness", "precaution"},
	{"cancer", "precaution"},
	{"ask-your-doctor", "precaution"},
};

static void test_required_ids(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
		const entry *e = find(required[i].id);
		if (!e) {
			printf("missing required entry \"%s\" (kind %s)\n", required[i].id, required[i].kind);
			bad++;
		} else if (!e->kind || strcmp(e->kind, required[i].kind) != 0) {
			printf("%s:%d: entry \"%s\" has kind \"%s\", expected \"%s\"\n", e->file, e->line,
			       e->id, e->kind ? e->kind : "(none)", required[i].kind);
			bad++;
		}
	}
	if (bad)
		fail_msg("%d required entr%s missing or of the wrong kind", bad, bad == 1 ? "y is" : "ies are");
}

static size_t count_kind(const char *kind)
{
	size_t n = 0;
	for (size_t i = 0; i < lib.count; i++)
		if (lib.entries[i].kind && strcmp(lib.entries[i].kind, kind) == 0)
			n++;
	return n;
}

static void test_enough_exercises(void **state)
{
	(void)state;
	size_t n = count_kind("exercise");
	if (n < 5)
		fail_msg("only %zu exercise entries; a guide needs at least 5", n);
}

/* Every exercise shows a drawing that is in the library, with a text
 * alternative in every language of its file; the body diagram has a region
 * for each of the 14 areas of a session. */
static void test_drawings(void **state)
{
	static const char *const areas[] = {
		"neck", "shoulder-left", "shoulder-right", "upper-back", "mid-back", "lumbar-left",
		"lumbar-right", "sacrum", "glute-left", "glute-right", "hip-left", "hip-right",
		"hamstring-left", "hamstring-right",
	};
	int bad = 0, regions[14] = { 0 }, body = 0;
	size_t ndrawings = 0;
	(void)state;

	for (size_t i = 0; i < lib.count; i++) {
		const entry *e = &lib.entries[i];
		char *want;
		int found = 0;
		if (!e->kind || strcmp(e->kind, "exercise"))
			continue;
		want = dup_prop(e->node, "drawing");
		if (!want) {
			printf("%s:%d: exercise '%s' has no drawing\n", e->file, e->line, e->id);
			bad++;
			continue;
		}
		for (size_t f = 0; f < lib.nfiles && !found; f++) {
			xmlNode *root = lib.docs[f] ? xmlDocGetRootElement(lib.docs[f]) : NULL;
			for (xmlNode *n = root ? root->children : NULL; n && !found; n = n->next) {
				char *id = is_lib(n, "drawing") ? dup_prop(n, "id") : NULL;
				found = id && !strcmp(id, want);
				free(id);
			}
		}
		if (!found) {
			printf("%s:%d: exercise '%s' shows drawing '%s', which is not in the library\n",
			       e->file, e->line, e->id, want);
			bad++;
		}
		free(want);
	}
	for (size_t f = 0; f < lib.nfiles; f++) {
		xmlNode *root = lib.docs[f] ? xmlDocGetRootElement(lib.docs[f]) : NULL;
		for (xmlNode *n = root ? root->children : NULL; n; n = n->next) {
			char *id = is_lib(n, "drawing") ? dup_prop(n, "id") : NULL;
			int nalts = 0;
			if (!id)
				continue;
			ndrawings++;
			for (xmlNode *c = n->children; c; c = c->next) {
				char *region = is_lib(c, "path") ? dup_prop(c, "region") : NULL;
				nalts += is_lib(c, "alt");
				for (size_t k = 0; region && !strcmp(id, "body-back") && k < 14; k++)
					regions[k] += !strcmp(region, areas[k]);
				free(region);
			}
			if (nalts < 2) {
				printf("%s:%ld: drawing '%s' has %d text alternatives; en and es are needed\n",
				       lib.files[f], xmlGetLineNo(n), id, nalts);
				bad++;
			}
			body += !strcmp(id, "body-back");
			free(id);
		}
	}
	if (body != 1) {
		printf("the library has %d drawings 'body-back' (the aftercare sheet needs one)\n", body);
		bad++;
	}
	for (size_t k = 0; k < 14; k++) {
		if (regions[k] != 1) {
			printf("body-back has %d regions '%s'; it needs exactly one\n", regions[k], areas[k]);
			bad++;
		}
	}
	if (ndrawings < 6)
		fail_msg("only %zu drawings (the body diagram and five exercises at least)", ndrawings);
	if (bad)
		fail_msg("%d problems with the drawings", bad);
}

static void test_warning_signs(void **state)
{
	(void)state;
	int bad = 0;
	size_t n = 0;
	for (size_t i = 0; i < lib.count; i++) {
		const entry *e = &lib.entries[i];
		if (!e->kind || strcmp(e->kind, "warning-sign") != 0)
			continue;
		n++;
		if (!e->mandatory || strcmp(e->mandatory, "true") != 0) {
			printf("%s:%d: warning sign %s must have mandatory=\"true\": an aftercare sheet "
			       "never leaves a warning sign out\n", e->file, e->line, e->id);
			bad++;
		}
		if (!e->urgency || (strcmp(e->urgency, "urgent") != 0 && strcmp(e->urgency, "soon") != 0)) {
			printf("%s:%d: warning sign %s needs urgency=\"urgent\" or \"soon\"\n", e->file,
			       e->line, e->id);
			bad++;
		}
	}
	/* Losing bladder or bowel control and new weakness are emergencies. */
	static const char *const urgent[] = {"bladder-bowel", "numbness-weakness"};
	for (size_t i = 0; i < sizeof urgent / sizeof *urgent; i++) {
		const entry *e = find(urgent[i]);
		if (e && (!e->urgency || strcmp(e->urgency, "urgent") != 0)) {
			printf("%s:%d: warning sign %s must be urgent\n", e->file, e->line, e->id);
			bad++;
		}
	}
	if (n == 0)
		fail_msg("the library has no warning signs");
	if (bad)
		fail_msg("%d warning-sign problem(s) (see above)", bad);
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 1 if s is a real calendar date written YYYY-MM-DD. */
static int valid_date(const char *s)
{
	int y, m, d;
	char tail;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return 0;
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 2000 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days[m - 1] + (m == 2 && leap(y));
}

static void test_reviewed_dates(void **state)
{
	(void)state;
	assert_true(valid_date("2026-11-20"));
	assert_true(valid_date("2028-02-29"));
	assert_false(valid_date("2026-02-29"));
	assert_false(valid_date("2026-13-01"));
	assert_false(valid_date("20261120"));

	int bad = 0;
	for (size_t i = 0; i < lib.count; i++) {
		const entry *e = &lib.entries[i];
		if (!valid_date(e->reviewed)) {
			printf("%s:%d: entry %s: reviewed=\"%s\" is not a date (YYYY-MM-DD)\n", e->file,
			       e->line, e->id, e->reviewed ? e->reviewed : "");
			bad++;
		}
	}
	if (bad)
		fail_msg("%d entr%s without a valid reviewed date", bad, bad == 1 ? "y" : "ies");
}

/* Words in s: runs of non-space bytes. */
static int count_words(const char *s)
{
	int n = 0, in = 0;
	for (; *s; s++) {
		int space = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
		if (!space && !in)
			n++;
		in = !space;
	}
	return n;
}

/* 1 if a sentence ends before the last word: ". ", "! " or "? " inside. */
static int several_sentences(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((*p == '.' || *p == '!' || *p == '?') && (p[1] == ' ' || p[1] == '\n')) {
			const char *q = p + 1;
			while (*q == ' ' || *q == '\n' || *q == '\t')
				q++;
			if (*q)
				return 1;
		}
	return 0;
}

static void test_short_titles_summaries_doses(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < lib.count; i++) {
		const entry *e = &lib.entries[i];
		for (xmlNode *t = e->node->children; t; t = t->next) {
			if (!is_lib(t, "text"))
				continue;
			xmlChar *lang = xmlNodeGetLang(t);
			for (xmlNode *c = t->children; c; c = c->next) {
				if (c->type != XML_ELEMENT_NODE)
					continue;
				xmlChar *v = xmlNodeGetContent(c);
				const char *s = v ? (const char *)v : "";
				int words = count_words(s);
				const char *what = NULL;
				if (is_lib(c, "title") && (words < 2 || words > 6))
					what = "title should be 2 to 6 words";
				else if (is_lib(c, "summary") && (words == 0 || several_sentences(s)))
					what = "summary should be one sentence";
				else if (is_lib(c, "dose") && (words == 0 || words > 20))
					what = "dose should be short (at most 20 words)";
				if (what) {
					printf("%s:%ld: entry %s [%s]: %s: \"%s\"\n", e->file, xmlGetLineNo(c), e->id,
					       lang ? (const char *)lang : "?", what, s);
					bad++;
				}
				xmlFree(v);
			}
			xmlFree(lang);
		}
	}
	if (bad)
		fail_msg("%d title/summary/dose problem(s) (see above)", bad);
}

int main(void)
{
	choose_data_dir();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_parse_and_validate),
		cmocka_unit_test(test_ids_unique),
		cmocka_unit_test(test_languages_complete),
		cmocka_unit_test(test_required_ids),
		cmocka_unit_test(test_enough_exercises),
		cmocka_unit_test(test_drawings),
		cmocka_unit_test(test_warning_signs),
		cmocka_unit_test(test_reviewed_dates),
		cmocka_unit_test(test_short_titles_summaries_doses),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
