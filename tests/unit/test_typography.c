/*
 * Typography at merge time (src/merge/typography.c): exact strings in and
 * out, in both kinds of quotation marks, and the things that must come out
 * exactly as they went in (ids, URLs, e-mail addresses, dates, times, phone
 * numbers, code). Then the real merge: a session whose notes, name and dose
 * are written in ASCII comes out typeset, and the clinic's phone, e-mail
 * and website do not change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "load.h"
#include "merge.h"
#include "typography.h"

#define XML HD_SOURCE_DIR "/xml"

/* The characters, spelled out so that a test reads what it checks. */
#define LSQUO "\xE2\x80\x98" /* ‘ */
#define RSQUO "\xE2\x80\x99" /* ’ */
#define LDQUO "\xE2\x80\x9C" /* “ */
#define RDQUO "\xE2\x80\x9D" /* ” */
#define LAQUO "\xC2\xAB"     /* « */
#define RAQUO "\xC2\xBB"     /* » */
#define NDASH "\xE2\x80\x93" /* – */
#define MDASH "\xE2\x80\x94" /* — */
#define NBSP "\xC2\xA0"
#define MIDDOT "\xC2\xB7"

static char *typo(hd_quotes q, const char *in)
{
	hd_arena a = HD_ARENA_INIT;
	hd_typo_state st = HD_TYPO_STATE_INIT;
	size_t n;
	const char *t = hd_typo_text(&a, q, &st, in, strlen(in), &n);
	char *res;
	assert_non_null(t);
	assert_int_equal(strlen(t), n);
	res = strdup(t);
	hd_arena_free(&a);
	return res;
}

static void check(hd_quotes q, const char *in, const char *want)
{
	char *got = typo(q, in);
	if (strcmp(got, want))
		fail_msg("typography of \"%s\":\n  got  \"%s\"\n  want \"%s\"", in, got, want);
	free(got);
}

static void same(const char *in)
{
	check(HD_QUOTES_CURLY, in, in);
	check(HD_QUOTES_ANGLE, in, in);
}

static void test_apostrophes(void **state)
{
	(void)state;
	check(HD_QUOTES_CURLY, "Don't bounce.", "Don" RSQUO "t bounce.");
	check(HD_QUOTES_CURLY, "Child's pose", "Child" RSQUO "s pose");
	check(HD_QUOTES_CURLY, "your doctor's OK", "your doctor" RSQUO "s OK");
	check(HD_QUOTES_CURLY, "the clients' notes", "the clients" RSQUO " notes");
	check(HD_QUOTES_CURLY, "Aidan O'Brien", "Aidan O" RSQUO "Brien");
	check(HD_QUOTES_CURLY, "back in the '90s", "back in the " RSQUO "90s");
	check(HD_QUOTES_CURLY, "say 'stop' at once", "say " LSQUO "stop" RSQUO " at once");
	/* the same in Spanish: apostrophes do not depend on the quotes */
	check(HD_QUOTES_ANGLE, "Don't", "Don" RSQUO "t");
}

static void test_double_quotes(void **state)
{
	(void)state;
	check(HD_QUOTES_CURLY, "Telling them \"more\" or \"less\" pressure",
	      "Telling them " LDQUO "more" RDQUO " or " LDQUO "less" RDQUO " pressure");
	check(HD_QUOTES_ANGLE, "Pedir \"más\" o \"menos\" presión",
	      "Pedir " LAQUO "más" RAQUO " o " LAQUO "menos" RAQUO " presión");
	check(HD_QUOTES_CURLY, "\"Quoted at the start.\"", LDQUO "Quoted at the start." RDQUO);
	check(HD_QUOTES_CURLY, "(\"in brackets\")", "(" LDQUO "in brackets" RDQUO ")");
	/* nested: inside «…» the marks are “…”; inside “…” they are ‘…’ */
	check(HD_QUOTES_ANGLE, "Dijo \"lee \"Cuídate\" hoy\".",
	      "Dijo " LAQUO "lee " LDQUO "Cuídate" RDQUO " hoy" RAQUO ".");
	check(HD_QUOTES_CURLY, "He said \"read \"Rest\" today\".",
	      "He said " LDQUO "read " LSQUO "Rest" RSQUO " today" RDQUO ".");
	/* marks already typographic stay as they are */
	same("Pedir " LAQUO "más" RAQUO " presión, " LDQUO "ya" RDQUO);
}

static void test_ranges_and_units(void **state)
{
	(void)state;
	check(HD_QUOTES_CURLY, "3-5 times", "3" NDASH "5" NBSP "times");
	check(HD_QUOTES_CURLY, "Hold 20-30 seconds.", "Hold 20" NDASH "30" NBSP "seconds.");
	check(HD_QUOTES_CURLY, "Hold 30 s, 3 times, twice a day",
	      "Hold 30" NBSP "s, 3" NBSP "times, twice a day");
	check(HD_QUOTES_CURLY, "15 min, 2 cm, 1.5 kg, 40 %, 38 \xC2\xB0" "C",
	      "15" NBSP "min, 2" NBSP "cm, 1.5" NBSP "kg, 40" NBSP "%, 38" NBSP "\xC2\xB0" "C");
	check(HD_QUOTES_ANGLE, "Mantén 30 segundos, 3 veces; 10-15 minutos",
	      "Mantén 30" NBSP "segundos, 3" NBSP "veces; 10" NDASH "15" NBSP "minutos");
	/* a number that is not followed by a unit keeps its space */
	same("from 0 to 10 each evening");
	same("2 sides, 3 sets of 10 in a row");
	same("Wait 5" NBSP "seconds more"); /* already joined */
	/* not ranges: falling, four digits, part of a chain, with letters */
	same("5-3");
	same("1000-2000");
	same("COVID-19 and A3-5");
	same("1-2-3");
	same("1.5-2");
}

static void test_dashes_and_separators(void **state)
{
	(void)state;
	/* a spaced hyphen is a dash; no line starts with it */
	check(HD_QUOTES_CURLY, "Rest - then walk", "Rest" NBSP NDASH " then walk");
	check(HD_QUOTES_CURLY, "Rest -- then walk", "Rest" NBSP NDASH " then walk");
	check(HD_QUOTES_CURLY, "Deep tissue " MDASH " Slow", "Deep tissue" NBSP MDASH " Slow");
	check(HD_QUOTES_CURLY, "Neck  " MIDDOT "  Upper back", "Neck" NBSP NBSP MIDDOT "  Upper back");
	check(HD_QUOTES_CURLY, " " MDASH " Slow", NBSP MDASH " Slow");
	/* hyphens in words and unspaced dashes are left alone */
	same("self-care, warm-up, knee-to-chest");
	same("stress" NDASH "pain loop, 24" NDASH "48");
	same(MDASH "Sí" MDASH ", dijo.");
}

static void test_left_alone(void **state)
{
	(void)state;
	same("2026-11-20");
	same("10:30-11:00");
	same("+44 1632 960 418");
	same("555-0199 or 555-123-4567 or (555) 123-4567");
	same("deep-tissue knee-to-chest guide-12");
	same("https://riverside-massage.example/a-b?x=1-2&y='z'");
	same("www.example.org/it's");
	same("write to o'neil@example.org today");
	same("(see https://example.org/\"q\")");
	same("x_y=\"a\" and <b class=\"x\">");
	/* nothing changed: the very same pointer comes back */
	{
		hd_arena a = HD_ARENA_INIT;
		hd_typo_state st = HD_TYPO_STATE_INIT;
		const char *in = "Plain text, nothing to change.";
		size_t n;
		assert_ptr_equal(hd_typo_text(&a, HD_QUOTES_CURLY, &st, in, strlen(in), &n), in);
		hd_arena_free(&a);
	}
}

static void test_across_spans(void **state)
{
	/* <p>"<em>more</em>"</p>: the marks open and close around a span */
	hd_arena a = HD_ARENA_INIT;
	hd_block *b = hd_block_new(&a, HD_BLK_PARA);
	hd_span *s1, *s2, *s3, *v;

	(void)state;
	s1 = hd_block_add_text(&a, b, HD_REGULAR, "Say \"", 5);
	s2 = hd_block_add_text(&a, b, HD_ITALIC, "more", 4);
	s3 = hd_block_add_text(&a, b, HD_REGULAR, "\" for 3-5 min", 13);
	v = hd_block_add_text(&a, b, HD_REGULAR, " it's +1-555-0199", 17);
	v->verbatim = 1;
	assert_int_equal(hd_typo_blocks(&a, HD_QUOTES_CURLY, b), HD_OK);
	assert_string_equal(s1->text, "Say " LDQUO);
	assert_string_equal(s2->text, "more");
	assert_string_equal(s3->text, RDQUO " for 3" NDASH "5" NBSP "min");
	assert_string_equal(v->text, " it's +1-555-0199");
	hd_arena_free(&a);
}

/* ----- the real merge -------------------------------------------------------- */

static const char *SESSION =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<session xmlns=\"urn:handout:session:1\" version=\"1\">\n"
	"  <client><name>Aidan O'Brien</name></client>\n"
	"  <date>2026-11-20</date>\n"
	"  <therapist>Maria O'Neil</therapist>\n"
	"  <language>%s</language>\n"
	"  <techniques><technique ref=\"swedish\"/></techniques>\n"
	"  <areas><area>neck</area><area>sacrum</area></areas>\n"
	"  <notes><p>You said \"it's better\" - walk 20-30 minutes a day.</p></notes>\n"
	"  <selfcare><tip ref=\"knee-to-chest\" dose=\"Hold 30 s, 3-5 times\"/></selfcare>\n"
	"</session>\n";

static char *merged_text(const char *lang, const char *template_file, hd_doc **doc_out)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_loader *loader = NULL;
	hd_library *lib = NULL;
	hd_template *t = NULL;
	hd_clinic *c = NULL;
	hd_session_rec *s = NULL;
	hd_doc *doc = NULL;
	hd_buf b = HD_BUF_INIT;
	char path[512];
	FILE *f;
	size_t i;

	mkdir(HD_TEST_TMP, 0755);
	snprintf(path, sizeof(path), "%s/typo-%s.xml", HD_TEST_TMP, lang);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, SESSION, lang);
	fclose(f);
	assert_int_equal(hd_loader_new(&loader, XML "/schema", &d), HD_OK);
	assert_int_equal(hd_load_library_dir(&lib, loader, XML "/library", &d), HD_OK);
	assert_int_equal(hd_load_template(&t, loader, template_file, &d), HD_OK);
	assert_int_equal(hd_load_clinic(&c, loader, XML "/clinic/clinic.xml", &d), HD_OK);
	assert_int_equal(hd_load_session(&s, loader, path, lib, &d), HD_OK);
	if (hd_merge(&doc, t, s, c, lib, NULL, &d)) {
		hd_diags_print(&d, stderr);
		fail();
	}
	for (i = 0; i < doc->nflows; i++)
		assert_int_equal(hd_block_plain_text(doc->flows[i].blocks, &b), HD_OK);
	hd_buf_putc(&b, '\0');
	hd_buf_printf(&b, "|client=%s|therapist=%s|title=%s", doc->client, doc->therapist,
	              doc->title);
	*doc_out = doc;
	/* the template, clinic and library outlive the document in a real
	 * engine; here they are freed with it by the caller's teardown */
	hd_session_rec_free(s);
	hd_clinic_free(c);
	hd_template_free(t);
	hd_library_free(lib);
	hd_loader_free(loader);
	hd_diags_free(&d);
	return hd_buf_detach(&b, NULL);
}

static void test_merge_typesets(void **state)
{
	hd_doc *doc = NULL;
	char *text;

	(void)state;
	text = merged_text("en", XML "/templates/aftercare.xml", &doc);
	assert_non_null(strstr(text, "Aftercare for Aidan O" RSQUO "Brien"));
	assert_non_null(strstr(text, "You said " LDQUO "it" RSQUO "s better" RDQUO NBSP NDASH
	                             " walk 20" NDASH "30" NBSP "minutes a day."));
	assert_non_null(strstr(text, "Your dose: Hold 30" NBSP "s, 3" NDASH "5" NBSP "times"));
	assert_non_null(strstr(text, "don" RSQUO "t bounce")); /* library text */
	assert_non_null(strstr(text, "Maria O" RSQUO "Neil"));
	/* the title and its summary, and the areas: no line starts with the sign */
	assert_non_null(strstr(text, "Swedish massage" NBSP MDASH " "));
	assert_non_null(strstr(text, "Neck" NBSP NBSP MIDDOT "  "));
	/* the header's fields */
	assert_non_null(strstr(text + strlen(text) + 1,
	                       "|client=Aidan O" RSQUO "Brien|therapist=Maria O" RSQUO "Neil"));
	assert_non_null(strstr(doc->clinic_line, "Riverside RV2 7LN" NBSP NBSP MIDDOT "  +44"));
	assert_non_null(strstr(doc->contact, "hello@riverside-massage.example" NBSP NBSP MIDDOT
	                                     "  https://riverside-massage.example"));
	free(text);
	hd_doc_free(doc);
	/* the brochure's contact panel: the clinic's phone, e-mail and web as
	 * written (verbatim spans) */
	text = merged_text("en", XML "/templates/brochure.xml", &doc);
	assert_non_null(strstr(text, "+44 1632 960 418"));
	assert_non_null(strstr(text, "hello@riverside-massage.example"));
	assert_non_null(strstr(text, "https://riverside-massage.example"));
	free(text);
	hd_doc_free(doc);
}

static void test_merge_spanish_quotes(void **state)
{
	hd_doc *doc = NULL;
	char *text, tmpl[512], *body;
	FILE *in, *out;
	size_t n;

	(void)state;
	/* the template says angle quotes for Spanish */
	text = merged_text("es", XML "/templates/aftercare.xml", &doc);
	assert_non_null(strstr(text, "You said " LAQUO "it" RSQUO "s better" RAQUO));
	free(text);
	hd_doc_free(doc);
	/* the same template with quotes="curly" for Spanish */
	snprintf(tmpl, sizeof(tmpl), "%s/aftercare-curly.xml", HD_TEST_TMP);
	in = fopen(XML "/templates/aftercare.xml", "r");
	assert_non_null(in);
	body = calloc(1, 1 << 20);
	n = fread(body, 1, (1 << 20) - 1, in);
	fclose(in);
	body[n] = '\0';
	{
		char *at = strstr(body, "quotes=\"angle\"");
		assert_non_null(at);
		memcpy(at, "quotes=\"curly\"", 14);
	}
	out = fopen(tmpl, "w");
	assert_non_null(out);
	fputs(body, out);
	fclose(out);
	free(body);
	text = merged_text("es", tmpl, &doc);
	assert_non_null(strstr(text, "You said " LDQUO "it" RSQUO "s better" RDQUO));
	free(text);
	hd_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apostrophes),
		cmocka_unit_test(test_double_quotes),
		cmocka_unit_test(test_ranges_and_units),
		cmocka_unit_test(test_dashes_and_separators),
		cmocka_unit_test(test_left_alone),
		cmocka_unit_test(test_across_spans),
		cmocka_unit_test(test_merge_typesets),
		cmocka_unit_test(test_merge_spanish_quotes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
