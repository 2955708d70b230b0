/*
 * load_template: a template (urn:handout:template:1) into an hd_template.
 * Beyond the schema it enforces the rules that keep a sheet safe and
 * complete: warning signs are a part of every aftercare sheet, large print
 * stays large, and every language has every label the program prints.
 */
#include "load_xml.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	enum hd_part part;
} part_names[] = {
	{ "title", HD_PART_TITLE },
	{ "summary", HD_PART_SUMMARY },
	{ "techniques", HD_PART_TECHNIQUES },
	{ "areas", HD_PART_AREAS },
	{ "notes", HD_PART_NOTES },
	{ "selfcare", HD_PART_SELFCARE },
	{ "warning-signs", HD_PART_WARNINGS },
	{ "next-visit", HD_PART_NEXT_VISIT },
	{ "disclaimer", HD_PART_DISCLAIMER },
	{ "contents", HD_PART_CONTENTS },
	{ "entries", HD_PART_ENTRIES },
};

/* The label keys the aftercare sheet prints (besides "area.<code>" for each
 * code of hd_area_codes). The English set must define them all, and every
 * other set every key of the English set. */
static const char *const aftercare_keys[] = {
	"doc-title", "title", "subject", "date", "therapist", "pressure",
	"pressure.light", "pressure.medium", "pressure.firm", "pressure.deep",
	"techniques", "areas", "notes", "selfcare", "your-dose", "warnings",
	"urgent", "soon", "next-visit", "next-visit-none", "disclaimer", "page",
	"months", "date-format", "time-format", "date-time", "phone", "email", "web",
};

/* The label keys the proofreading catalogue prints (besides "kind.<kind>"
 * for each entry kind and "role.<role>" for each section role). */
static const char *const catalogue_keys[] = {
	"doc-title", "title", "subject", "intro", "contents", "page", "months",
	"date-format", "meta", "dose", "urgent", "soon",
};

/* The section roles that get a heading in the catalogue (see library.rng;
 * "body" is printed without one). */
static const char *const section_roles[] = {
	"what", "feel", "suits", "expect", "helps", "steps", "safety",
};

static const hd_labels *labels_for(const hd_template *t, const char *lang)
{
	const hd_labels *ls;
	for (ls = t->labels; ls; ls = ls->next) {
		if (strcmp(ls->lang, lang) == 0)
			return ls;
	}
	return NULL;
}

/* 1 when the set ls defines key. */
static int has_key(const hd_labels *ls, const char *key)
{
	size_t i;
	for (i = 0; i < ls->count; i++) {
		if (strcmp(ls->items[i].key, key) == 0)
			return 1;
	}
	return 0;
}

/* Reads one <labels> set. Reports duplicate keys and empty values. */
static int read_labels(hd_template *t, hd_xml *x, xmlNodePtr n)
{
	hd_arena *a = &t->arena;
	hd_labels *ls, **tail;
	xmlNodePtr lab;
	size_t cap = 0, i;
	const char *lang = hd_xml_collapse(x, a, hd_xml_lang(n));

	if (!lang)
		return HD_ENOMEM;
	if (labels_for(t, lang)) {
		hd_xml_error(x, n, "merge the two sets into one", "a second set of labels for '%s'", lang);
		return HD_OK;
	}
	ls = hd_arena_alloc(a, sizeof(*ls));
	if (!ls)
		return HD_ENOMEM;
	ls->lang = lang;
	HD_XML_EACH(lab, n)
		cap++;
	ls->items = hd_arena_alloc(a, cap * sizeof(*ls->items));
	if (!ls->items)
		return HD_ENOMEM;
	HD_XML_EACH(lab, n) {
		const char *key = hd_xml_collapse(x, a, hd_xml_attr(lab, "key"));
		const char *value = hd_xml_text(x, a, lab, 0);
		if (!key || !value)
			return HD_ENOMEM;
		if (!*value) {
			hd_xml_error(x, lab, "write the text of the label", "label '%s' (%s) is empty", key, lang);
			continue;
		}
		for (i = 0; i < ls->count; i++) {
			if (strcmp(ls->items[i].key, key) == 0)
				break;
		}
		if (i < ls->count) {
			hd_xml_error(x, lab, "give each key once per language",
			             "label '%s' is defined twice for '%s'", key, lang);
			continue;
		}
		ls->items[ls->count].key = key;
		ls->items[ls->count].value = value;
		ls->count++;
	}
	for (tail = &t->labels; *tail; tail = &(*tail)->next)
		;
	*tail = ls;
	return HD_OK;
}

/* 1 when the xml:lang value raw (the schema allows white space around it)
 * is lang. */
static int lang_is(const char *raw, const char *lang)
{
	size_t n = strlen(lang);
	if (!raw)
		return 0;
	raw += strspn(raw, " \t\r\n");
	return strncmp(raw, lang, n) == 0 && raw[n + strspn(raw + n, " \t\r\n")] == '\0';
}

/* Checks that the English set has every key the sheet prints, and every
 * other set every key of the English set; errors name the key and the
 * language, at the line of the <labels> element. */
static void check_labels(hd_template *t, hd_xml *x, xmlNodePtr root)
{
	const hd_labels *en = labels_for(t, "en"), *ls;
	xmlNodePtr n, en_node = NULL;
	size_t i;
	char key[80];

	if (!en) {
		hd_xml_error(x, root, "add <labels xml:lang=\"en\"> with every label",
		             "the template has no English labels");
		return;
	}
	HD_XML_EACH(n, root) {
		if (!en_node && hd_xml_is(n, "labels") && lang_is(hd_xml_lang(n), "en"))
			en_node = n;
	}
	if (!strcmp(t->kind, "catalogue")) {
		for (i = 0; i < HD_ARRAY_LEN(catalogue_keys); i++) {
			if (!has_key(en, catalogue_keys[i]))
				hd_xml_error(x, en_node, "the catalogue prints this label",
				             "the English labels lack the key '%s'", catalogue_keys[i]);
		}
		for (i = 0; i < hd_entry_kind_count; i++) {
			snprintf(key, sizeof(key), "kind.%s", hd_entry_kinds[i]);
			if (!has_key(en, key))
				hd_xml_error(x, en_node, "every kind of entry needs a heading",
				             "the English labels lack the key '%s'", key);
		}
		for (i = 0; i < HD_ARRAY_LEN(section_roles); i++) {
			snprintf(key, sizeof(key), "role.%s", section_roles[i]);
			if (!has_key(en, key))
				hd_xml_error(x, en_node, "every section role but body needs a heading",
				             "the English labels lack the key '%s'", key);
		}
	} else {
		for (i = 0; i < HD_ARRAY_LEN(aftercare_keys); i++) {
			if (!has_key(en, aftercare_keys[i]))
				hd_xml_error(x, en_node, "the aftercare sheet prints this label",
				             "the English labels lack the key '%s'", aftercare_keys[i]);
		}
		for (i = 0; i < hd_area_count; i++) {
			snprintf(key, sizeof(key), "area.%s", hd_area_codes[i]);
			if (!has_key(en, key))
				hd_xml_error(x, en_node, "every body area needs a label",
				             "the English labels lack the key '%s'", key);
		}
	}
	for (ls = t->labels; ls; ls = ls->next) {
		xmlNodePtr where = NULL;
		if (ls == en)
			continue;
		HD_XML_EACH(n, root) {
			if (!where && hd_xml_is(n, "labels") && lang_is(hd_xml_lang(n), ls->lang))
				where = n;
		}
		for (i = 0; i < en->count; i++) {
			if (!has_key(ls, en->items[i].key))
				hd_xml_error(x, where, "every set of labels needs every key of the English set",
				             "the labels for '%s' lack the key '%s'", ls->lang, en->items[i].key);
		}
	}
}

/* A size attribute in points (the schema has checked it is a number). */
static double size_attr(xmlNodePtr n, const char *name)
{
	return strtod(hd_xml_attr(n, name), NULL);
}

/* Fills t from the valid document x. Returns HD_OK, HD_EINPUT or HD_ENOMEM. */
static int read_template(hd_template *t, hd_xml *x)
{
	hd_arena *a = &t->arena;
	xmlNodePtr root = x->root, n, p;
	const char *justify;
	size_t i;
	int seen[HD_PART_COUNT] = { 0 };

	t->file = hd_arena_strdup(a, x->path);
	t->id = hd_xml_collapse(x, a, hd_xml_attr(root, "id"));
	t->kind = hd_xml_collapse(x, a, hd_xml_attr(root, "kind"));
	if (!t->file || !t->id || !t->kind)
		return HD_ENOMEM;
	t->max_pages = atoi(hd_xml_attr(hd_xml_child(root, "page"), "max-pages"));

	n = hd_xml_child(root, "type");
	t->body_size = size_attr(n, "body");
	t->large_body_size = size_attr(n, "large-body");
	t->min_body_size = size_attr(n, "min-body");
	t->min_large_size = size_attr(n, "min-large-body");
	justify = hd_xml_attr(n, "justify");
	t->justify = !justify || strstr(justify, "true") != NULL;
	if (t->min_body_size > t->body_size)
		hd_xml_error(x, n, "min-body is how far the body type may shrink, so it cannot be larger",
		             "min-body (%g) is larger than body (%g)", t->min_body_size, t->body_size);
	if (t->min_large_size > t->large_body_size)
		hd_xml_error(x, n, "min-large-body is how far large print may shrink, so it cannot be larger",
		             "min-large-body (%g) is larger than large-body (%g)", t->min_large_size,
		             t->large_body_size);
	/* Above 24 pt the warning-signs box (six signs) no longer fits on a
	 * page, and it is never split. */
	if (t->body_size > 24 || t->large_body_size > 24)
		hd_xml_error(x, n, "24 points is the largest size the warning-signs box fits a page at",
		             "body (%g) and large-body (%g) must be 24 points or less", t->body_size,
		             t->large_body_size);
	if (t->large_body_size < 14)
		hd_xml_error(x, n, "large print must stay at 14 points or more",
		             "large-body (%g) is smaller than 14", t->large_body_size);
	if (t->min_large_size < 14)
		hd_xml_error(x, n, "large print must stay at 14 points or more, even when shrunk",
		             "min-large-body (%g) is smaller than 14", t->min_large_size);

	n = hd_xml_child(root, "parts");
	HD_XML_EACH(p, n) {
		for (i = 0; i < HD_ARRAY_LEN(part_names); i++) {
			if (hd_xml_is(p, part_names[i].name))
				break;
		}
		if (i == HD_ARRAY_LEN(part_names))
			continue; /* the schema allows no other */
		if (seen[part_names[i].part]++) {
			hd_xml_error(x, p, "list each part once", "<%s/> appears twice in <parts>", p->name);
			continue;
		}
		t->parts[t->nparts++] = part_names[i].part;
	}
	if (strcmp(t->kind, "aftercare") == 0 && !seen[HD_PART_WARNINGS])
		hd_xml_error(x, n, "add <warning-signs/> to <parts>",
		             "warning signs must appear on every aftercare sheet");
	/* Each kind takes its own parts. */
	HD_XML_EACH(p, n) {
		int cat_part = hd_xml_is(p, "contents") || hd_xml_is(p, "entries");
		if ((strcmp(t->kind, "catalogue") == 0) != (cat_part != 0))
			hd_xml_error(x, p, cat_part ? "use it in a template with kind=\"catalogue\""
			                            : "a catalogue takes <contents/> and <entries/>",
			             "<%s/> is not a part of a%s %s template", (const char *)p->name,
			             t->kind[0] == 'a' ? "n" : "", t->kind);
	}

	HD_XML_EACH(n, root) {
		if (hd_xml_is(n, "labels") && read_labels(t, x, n))
			return HD_ENOMEM;
	}
	if (x->oom)
		return HD_ENOMEM;
	check_labels(t, x, root);
	return hd_xml_status(x);
}

/* Converts an open template document. On success *out is the caller's
 * (hd_template_free); on failure NULL, with every problem reported. */
int hd_convert_template(hd_template **out, hd_xml *x)
{
	hd_template *t;
	int rc;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return HD_ENOMEM;
	rc = read_template(t, x);
	if (rc)
		goto cleanup;
	*out = t;
	t = NULL;
cleanup:
	hd_template_free(t);
	return rc;
}

/* Loads and checks a template. On success *out is the caller's
 * (hd_template_free); on failure NULL, with every problem in d. */
int hd_load_template(hd_template **out, hd_loader *l, const char *path, hd_diags *d)
{
	hd_xml x;
	int rc;

	*out = NULL;
	rc = hd_xml_open(&x, l, path, HD_MAX_XML_FILE, HD_VOCAB_TEMPLATE, 0, d);
	if (rc)
		return rc;
	rc = hd_convert_template(out, &x);
	hd_xml_close(&x);
	return rc;
}
