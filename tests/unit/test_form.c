/*
 * What a form needs from the library (include/handout.h, "the vocabulary of
 * a form"): the choices of fixed-list fields with their labels, default
 * doses, a drawing as SVG with its regions; notes in light markup; and the
 * session written back as a record that loads to the same session (the
 * same PDF bytes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "handout.h"


static void test_choices(void **state)
{
	const char *v, *l;
	size_t i;
	(void)state;
	for (i = 0; hd_field_choice(hd_test_engine, "areas", i, "es", &v, &l) == HD_OK; i++) {
		assert_non_null(v);
		assert_non_null(l);
	}
	assert_int_equal(i, 14);
	assert_int_equal(hd_field_choice(hd_test_engine, "areas", 5, "en", &v, &l), HD_OK);
	assert_string_equal(v, "lumbar-left");
	assert_string_equal(l, "Lower back, left side");
	assert_int_equal(hd_field_choice(hd_test_engine, "areas", 5, "es", &v, &l), HD_OK);
	assert_string_equal(l, "Zona lumbar, lado izquierdo");
	assert_int_equal(hd_field_choice(hd_test_engine, "pressure", 3, "es", &v, &l), HD_OK);
	assert_string_equal(v, "deep");
	assert_string_equal(l, "Profunda");
	assert_int_equal(hd_field_choice(hd_test_engine, "pressure", 4, "es", &v, &l), HD_EINVAL);
	assert_int_equal(hd_field_choice(hd_test_engine, "language", 1, NULL, &v, NULL), HD_OK);
	assert_string_equal(v, "es");
	assert_int_equal(hd_field_choice(hd_test_engine, "paper", 1, NULL, &v, &l), HD_OK);
	assert_string_equal(l, "letter");
	assert_int_equal(hd_field_choice(hd_test_engine, "client", 0, NULL, &v, &l), HD_EINVAL);
}

static void test_doses(void **state)
{
	size_t i, n = hd_library_count(hd_test_engine), doses = 0;
	(void)state;
	for (i = 0; i < n; i++) {
		const char *id, *kind, *title, *dose = hd_library_entry_dose(hd_test_engine, i, "es");
		assert_int_equal(hd_library_entry(hd_test_engine, i, "es", &id, &kind, &title), HD_OK);
		if (!strcmp(id, "knee-to-chest"))
			assert_non_null(strstr(dose, "30"));
		if (strcmp(kind, "selfcare") && strcmp(kind, "exercise"))
			continue;
		doses += dose != NULL;
	}
	assert_true(doses > 3);
	assert_null(hd_library_entry_dose(hd_test_engine, n, "en"));
}

static void test_svg(void **state)
{
	char *svg;
	size_t len, regions = 0;
	const char *p;
	(void)state;
	assert_int_equal(hd_drawing_svg(&svg, &len, hd_test_engine, "body-back", "es"), HD_OK);
	assert_int_equal(strlen(svg), len);
	assert_non_null(strstr(svg, "viewBox=\"0 0 200 400\""));
	assert_non_null(strstr(svg, "<title>Un dibujo sencillo"));
	assert_non_null(strstr(svg, "data-region=\"lumbar-left\" d=\"M68 168L98 168"));
	for (p = svg; (p = strstr(p, "class=\"region\"")); p++)
		regions++;
	assert_int_equal(regions, 14);
	free(svg);
	assert_int_equal(hd_drawing_svg(&svg, NULL, hd_test_engine, "no-such", "en"), HD_EINPUT);
	assert_null(svg);
}

static const char notes[] =
	"First paragraph with *emphasis*\n"
	"and a second line, **strong** & <odd> \"quotes\".\n"
	"\n"
	"- one item\n"
	"- two _items_\n"
	"  continued here\n"
	"1. numbered\n"
	"2) again\n"
	"\n"
	"A snake_case word and 3 * 4 stars.\n";

static void test_notes_and_xml_round_trip(void **state)
{
	hd_session *s, *back;
	hd_diags d = HD_DIAGS_INIT;
	hd_output a, b;
	char *xml, *xml2;
	size_t len;
	(void)state;
	assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
	/* not enough for a record: every missing field reported */
	assert_int_equal(hd_session_write_xml(&xml, &len, s, &d), HD_EINPUT);
	assert_null(xml);
	assert_int_equal(d.nerrors, 5);
	hd_diags_free(&d);
	assert_int_equal(hd_session_set(s, "client", "Zoë <Ł> & co", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "client_id", "c-77", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "date", "2026-12-02", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "time", "09:05", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "therapist", "Maria Núñez", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "language", "es", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "paper", "letter", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "techniques", "swedish", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "areas", "neck lumbar-left", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "pain_before", "7", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "tips", "knee-to-chest: \"twice\" <a day>; drink-water", &d),
	                 HD_OK);
	assert_int_equal(hd_session_set(s, "next_visit", "2026-12-09T10:30", &d), HD_OK);
	assert_int_equal(hd_session_add_notes_text(s, notes, &d), HD_OK);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(hd_session_write_xml(&xml, &len, s, &d), HD_OK);
	assert_int_equal(strlen(xml), len);
	assert_non_null(strstr(xml, "<client id=\"c-77\">\n    <name>Zoë &lt;Ł&gt; &amp; co</name>"));
	assert_non_null(strstr(xml, "<date time=\"09:05\">2026-12-02</date>"));
	assert_non_null(strstr(xml, "<p>First paragraph with <em>emphasis</em> and a second line, "
	                            "<strong>strong</strong> &amp; &lt;odd&gt; &quot;quotes&quot;.</p>"));
	assert_non_null(strstr(xml, "<ul>\n      <li>one item</li>\n      <li>two <em>items</em> "
	                            "continued here</li>\n    </ul>\n    <ol>\n      <li>numbered</li>"));
	assert_non_null(strstr(xml, "<p>A snake_case word and 3 * 4 stars.</p>"));
	assert_non_null(strstr(xml, "<pain before=\"7\"/>"));
	assert_non_null(strstr(xml, "<tip ref=\"drink-water\"/>"));
	assert_non_null(strstr(xml, "<next-visit>2026-12-09T10:30</next-visit>"));
	/* it loads back (schema and all), writes the same bytes, renders the same PDF */
	assert_int_equal(hd_session_load_buffer(&back, hd_test_engine, "saved.xml", xml, len, &d), HD_OK);
	assert_int_equal(hd_session_write_xml(&xml2, NULL, back, &d), HD_OK);
	assert_string_equal(xml, xml2);
	assert_int_equal(hd_render(&a, hd_test_engine, HD_KIND_AFTERCARE, s, NULL, &d), HD_OK);
	assert_int_equal(hd_render(&b, hd_test_engine, HD_KIND_AFTERCARE, back, NULL, &d), HD_OK);
	assert_int_equal(a.pdf_len, b.pdf_len);
	assert_memory_equal(a.pdf, b.pdf, a.pdf_len);
	hd_output_free(&a);
	hd_output_free(&b);
	free(xml);
	free(xml2);
	hd_session_free(back);
	hd_session_free(s);
	hd_diags_free(&d);
}

static void test_control_characters_refused(void **state)
{
	hd_session *s;
	hd_diags d = HD_DIAGS_INIT;
	char *xml;
	(void)state;
	assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
	hd_session_set(s, "client", "A\x01" "B", &d);
	hd_session_set(s, "date", "2026-12-02", &d);
	hd_session_set(s, "therapist", "T", &d);
	hd_session_set(s, "techniques", "swedish", &d);
	hd_session_set(s, "areas", "neck", &d);
	assert_int_equal(hd_session_write_xml(&xml, NULL, s, &d), HD_EINPUT);
	assert_null(xml);
	assert_int_equal(d.items[d.count - 1].code, HD_DIAG_ENCODING);
	hd_session_free(s);
	hd_diags_free(&d);
}

static void test_presets(void **state)
{
	hd_presets *p;
	hd_session *s;
	hd_diags d = HD_DIAGS_INIT;
	const char *id, *title, *field, *value, *dose;
	char path[512], line[1600];
	FILE *f;
	size_t j, n;
	(void)state;
	assert_int_equal(hd_presets_load(&p, hd_test_engine, HD_SOURCE_DIR "/xml/presets/presets.xml", &d), HD_OK);
	assert_int_equal(d.count, 0);
	assert_int_equal(hd_presets_count(p), 3);
	assert_int_equal(hd_preset_info(p, 0, "es", &id, &title), HD_OK);
	assert_string_equal(id, "desk-worker-first");
	assert_string_equal(title, "Trabajo de oficina, primera visita");
	assert_int_equal(hd_preset_info(p, 3, "es", &id, &title), HD_EINVAL);
	for (j = 0, n = 0; hd_preset_item(p, 2, j, &field, &value, &dose) == HD_OK; j++) {
		if (!strcmp(value, "figure-four")) {
			assert_string_equal(field, "tips");
			assert_string_equal(dose, "Both sides: hold 30 s, 3 times, after every run");
		}
		if (!strcmp(field, "pressure"))
			assert_string_equal(value, "firm");
		n++;
	}
	assert_int_equal(n, 2 + 6 + 1 + 3);
	assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
	assert_int_equal(hd_preset_apply(s, p, 1, &d), HD_OK);
	assert_int_equal(hd_preset_apply(s, p, 1, &d), HD_EINPUT); /* everything twice */
	assert_int_equal(d.items[0].code, HD_DIAG_DUPLICATE);
	hd_session_free(s);
	hd_presets_free(p);
	hd_diags_free(&d);

	snprintf(path, sizeof(path), "%s/bad-presets.xml", HD_TEST_TMP);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("<presets xmlns=\"urn:handout:presets:1\" version=\"1\">\n"
	      "  <preset id=\"a\"><title xml:lang=\"en\">One</title><title xml:lang=\"en\">Two</title>\n"
	      "    <techniques><technique ref=\"swedsh\"/></techniques>\n"
	      "    <areas><area>neck</area><area>neck</area></areas></preset>\n"
	      "  <preset id=\"a\"><title xml:lang=\"es\">Tres</title></preset>\n"
	      "</presets>\n", f);
	fclose(f);
	assert_int_equal(hd_presets_load(&p, hd_test_engine, path, &d), HD_EINPUT);
	assert_null(p);
	assert_int_equal(d.nerrors, 4);
	hd_diag_format(line, sizeof(line), &d.items[0]);
	assert_non_null(strstr(line, "bad-presets.xml:2: error: programme 'a' has two titles in 'en'"));
	hd_diag_format(line, sizeof(line), &d.items[1]);
	assert_non_null(strstr(line, "bad-presets.xml:4: error: area 'neck' is listed twice"));
	hd_diag_format(line, sizeof(line), &d.items[2]);
	assert_non_null(strstr(line, "bad-presets.xml:5: error: the programme id 'a' is used twice"));
	hd_diag_format(line, sizeof(line), &d.items[3]);
	assert_non_null(strstr(line, "bad-presets.xml:3: error: technique 'swedsh' is not in the library; "
	                             "did you mean 'swedish'?"));
	assert_string_equal(d.items[3].field, "techniques");
	hd_diags_free(&d);
	assert_int_equal(hd_validate_file(hd_test_engine, path, &d), HD_EINPUT);
	assert_int_equal(d.nerrors, 4);
	hd_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choices),
		cmocka_unit_test(test_doses),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_notes_and_xml_round_trip),
		cmocka_unit_test(test_control_characters_refused),
		cmocka_unit_test(test_presets),
	};
	return cmocka_run_group_tests(tests, hd_test_setup, hd_test_teardown);
}
