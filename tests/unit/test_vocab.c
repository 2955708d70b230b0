/*
 * The one table of the vocabulary (src/model/vocab.c) says what the RELAX NG
 * schemas say: kinds of document, parts of a template, kinds of entries,
 * section roles, body areas, pressures. The schemas are read here with
 * libxml2's XPath, apart from the loader, so a value added to one and not the
 * other fails this test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "vocab.h"

#define SCHEMA HD_SOURCE_DIR "/xml/schema/"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The values an XPath finds in a schema, as a '|'-joined sorted list. */
static char *schema_values(const char *file, const char *xpath)
{
	xmlDocPtr doc = xmlReadFile(file, NULL, XML_PARSE_NONET);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr res;
	char **v = NULL, *out;
	size_t n = 0, i, len = 1;
	int k;

	assert_non_null(doc);
	ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, BAD_CAST "rng", BAD_CAST "http://relaxng.org/ns/structure/1.0");
	res = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
	assert_non_null(res);
	assert_non_null(res->nodesetval);
	assert_true(res->nodesetval->nodeNr > 0); /* a path that finds nothing proves nothing */
	for (k = 0; k < res->nodesetval->nodeNr; k++) {
		xmlChar *s = xmlNodeGetContent(res->nodesetval->nodeTab[k]);
		char *t = strdup((const char *)s);
		size_t j;
		xmlFree(s);
		for (j = 0; j < n && strcmp(v[j], t); j++)
			;
		if (j < n) {
			free(t);
			continue;
		}
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = t;
		len += strlen(t) + 1;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	out = calloc(1, len);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(out, "|");
		strcat(out, v[i]);
		free(v[i]);
	}
	free(v);
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return out;
}


/* The C list, sorted and joined the same way. */
static char *c_values(const char *const *list, size_t n)
{
	const char **copy = malloc(n * sizeof(*copy));
	char *out;
	size_t i, len = 1;
	memcpy(copy, list, n * sizeof(*copy));
	qsort(copy, n, sizeof(*copy), cmp_str);
	for (i = 0; i < n; i++)
		len += strlen(copy[i]) + 1;
	out = calloc(1, len);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(out, "|");
		strcat(out, copy[i]);
	}
	free(copy);
	return out;
}

static void same(const char *file, const char *xpath, const char *const *list, size_t n)
{
	char *a = schema_values(file, xpath), *b = c_values(list, n);
	if (strcmp(a, b))
		fail_msg("%s %s:\n  schema: %s\n  C:      %s", file, xpath, a, b);
	free(a);
	free(b);
}

static void test_kinds_of_document(void **state)
{
	(void)state;
	same(SCHEMA "template.rng", "//rng:define[@name='kind']//rng:value", hd_kind_names,
	     HD_KIND_COUNT);
}

static void test_parts(void **state)
{
	const char *names[HD_PT_COUNT];
	int i;
	(void)state;
	for (i = 0; i < HD_PT_COUNT; i++)
		names[i] = hd_parts[i].name;
	same(SCHEMA "template.rng", "//rng:define[@name='part']/rng:choice/rng:element/@name", names,
	     HD_PT_COUNT);
}

static void test_entry_kinds(void **state)
{
	(void)state;
	same(SCHEMA "library.rng", "//rng:attribute[@name='kind']//rng:value", hd_entry_kinds,
	     hd_entry_kind_count);
	same(SCHEMA "template.rng", "//rng:define[@name='entry-kind']//rng:value", hd_entry_kinds,
	     hd_entry_kind_count);
}

static void test_section_roles(void **state)
{
	(void)state;
	same(SCHEMA "library.rng", "//rng:attribute[@name='role']//rng:value", hd_section_roles,
	     hd_section_role_count);
}

static void test_areas_and_pressures(void **state)
{
	(void)state;
	same(SCHEMA "session.rng", "//rng:define[@name='area']//rng:value", hd_area_codes,
	     hd_area_count);
	/* the regions of a drawing are the same areas */
	same(SCHEMA "library.rng", "//rng:define[@name='area']//rng:value", hd_area_codes,
	     hd_area_count);
	same(SCHEMA "session.rng", "//rng:element[@name='pressure']//rng:value", hd_pressures,
	     hd_pressure_count);
	/* the desk's programmes name the same areas and pressures */
	same(SCHEMA "presets.rng", "//rng:define[@name='area']//rng:value", hd_area_codes,
	     hd_area_count);
	same(SCHEMA "presets.rng", "//rng:element[@name='pressure']//rng:value", hd_pressures,
	     hd_pressure_count);
}

/* Every part's default heading and labels are keys a template can have. */
static void test_part_table_is_complete(void **state)
{
	int i;
	(void)state;
	for (i = 0; i < HD_PT_COUNT; i++) {
		assert_non_null(hd_parts[i].name);
		assert_non_null(hd_parts[i].labels);
		assert_true(hd_parts[i].kinds != 0);
		assert_int_equal(hd_part_find(hd_parts[i].name), i);
	}
	assert_int_equal(hd_part_find("no-such-part"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_of_document), cmocka_unit_test(test_parts),
		cmocka_unit_test(test_entry_kinds),       cmocka_unit_test(test_section_roles),
		cmocka_unit_test(test_areas_and_pressures), cmocka_unit_test(test_part_table_is_complete),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return r;
}
