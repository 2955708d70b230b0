/*
 * Sessions in memory (hd_session): built field by field, loaded from a
 * buffer or a file, rendered with hd_render for every kind. A session built
 * with the setters gives the very bytes of the same session loaded from XML;
 * a value the XML loader refuses the setters refuse with the same message,
 * code and field.
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


static const char xml_session[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<session xmlns=\"urn:handout:session:1\" version=\"1\">\n"
	"  <client id=\"c-0042\"><name>Zoë Łukasiewicz</name><email>zoe@example.org</email></client>\n"
	"  <date time=\"15:30\">2026-11-20</date>\n"
	"  <therapist>Maria Núñez</therapist>\n"
	"  <language>es</language>\n"
	"  <print size=\"standard\" paper=\"letter\"/>\n"
	"  <techniques><technique ref=\"deep-tissue\"/><technique ref=\"trigger-point\"/></techniques>\n"
	"  <areas><area>upper-back</area><area>lumbar-left</area></areas>\n"
	"  <pressure>firm</pressure>\n"
	"  <pain before=\"6\" after=\"3\"/>\n"
	"  <notes><p>First paragraph of the notes.</p><p>Second   one.</p></notes>\n"
	"  <selfcare><tip ref=\"drink-water\"/><tip ref=\"knee-to-chest\" dose=\"Hold 30 s, 3 times\"/></selfcare>\n"
	"  <next-visit>2026-12-04T10:30</next-visit>\n"
	"</session>\n";

/* The session of xml_session, built with hd_session_set as a CSV row would. */
static hd_session *built(void)
{
	static const char *const kv[] = {
		"time", "15:30", "client_id", "c-0042", "pain_after", "3", "pain_before", " 6 ",
		"client", "  Zoë Łukasiewicz ", "email", "zoe@example.org", "date", "2026-11-20",
		"therapist", "Maria Núñez", "language", "es", "size", "standard", "paper", "letter",
		"techniques", "deep-tissue, trigger-point", "areas", "upper-back;lumbar-left",
		"pressure", "firm", "notes", "First paragraph of the notes.\n\nSecond   one.",
		"tips", "drink-water; knee-to-chest: Hold 30 s, 3 times", "next_visit",
		"2026-12-04T10:30", NULL };
	hd_diags d = HD_DIAGS_INIT;
	hd_session *s = NULL;
	size_t i;

	assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
	for (i = 0; kv[i]; i += 2)
		assert_int_equal(hd_session_set(s, kv[i], kv[i + 1], &d), HD_OK);
	assert_int_equal(d.count, 0);
	hd_diags_free(&d);
	return s;
}

static void render_kind(hd_output *out, hd_doc_kind kind, const hd_session *s, unsigned what)
{
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	ro.source_date_epoch = 1763596800;
	ro.what = what;
	if (hd_render(out, hd_test_engine, kind, s, &ro, &d) != HD_OK) {
		char line[1600];
		size_t i;
		for (i = 0; i < d.count; i++) {
			hd_diag_format(line, sizeof(line), &d.items[i]);
			fprintf(stderr, "%s\n", line);
		}
		fail();
	}
	assert_int_equal(d.nerrors, 0);
	hd_diags_free(&d);
}

static void test_built_equals_loaded_for_every_kind(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_session *a = built(), *b = NULL;
	hd_doc_kind kinds[] = { HD_KIND_AFTERCARE, HD_KIND_BROCHURE, HD_KIND_GUIDE };
	size_t k;

	(void)state;
	assert_int_equal(hd_session_load_buffer(&b, hd_test_engine, "zoe.xml", xml_session,
	                                        sizeof(xml_session) - 1, &d), HD_OK);
	assert_string_equal(hd_session_client(a), "Zoë Łukasiewicz");
	assert_string_equal(hd_session_client_id(a), "c-0042");
	assert_string_equal(hd_session_client_id(b), "c-0042");
	for (k = 0; k < 3; k++) {
		hd_output oa, ob;
		render_kind(&oa, kinds[k], a, HD_RENDER_PDF | HD_RENDER_DUMP);
		render_kind(&ob, kinds[k], b, HD_RENDER_PDF | HD_RENDER_DUMP);
		assert_non_null(oa.pdf);
		assert_non_null(oa.dump);
		assert_int_equal(oa.pdf_len, ob.pdf_len);
		assert_memory_equal(oa.pdf, ob.pdf, oa.pdf_len);
		assert_string_equal(oa.dump, ob.dump);
		/* the personal parts are there */
		assert_non_null(strstr(oa.dump, "Łukasiewicz"));
		hd_output_free(&oa);
		hd_output_free(&ob);
	}
	hd_session_free(a);
	hd_session_free(b);
	hd_diags_free(&d);
}

static void test_load_file_and_brochure_for_anyone(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_session *s = NULL;
	hd_output o;

	(void)state;
	assert_int_equal(hd_session_load_file(&s, hd_test_engine, HD_SOURCE_DIR "/xml/sessions/zoe.xml", &d),
	                 HD_OK);
	render_kind(&o, HD_KIND_GUIDE, s, 0);
	assert_true(o.pages > 1);
	assert_null(o.dump);
	hd_output_free(&o);
	render_kind(&o, HD_KIND_BROCHURE, NULL, 0);
	assert_int_equal(o.pages, 2);
	hd_output_free(&o);
	assert_int_equal(hd_render(&o, hd_test_engine, HD_KIND_AFTERCARE, NULL, NULL, &d), HD_EINVAL);
	assert_int_equal(hd_render(&o, hd_test_engine, HD_KIND_CATALOGUE, s, NULL, &d), HD_EINVAL);
	hd_session_free(s);
	/* a file that is not there */
	assert_int_equal(hd_session_load_file(&s, hd_test_engine, HD_TEST_TMP "/no-such.xml", &d), HD_EIO);
	assert_null(s);
	hd_diags_free(&d);
}

/* A brochure needs only the client's name; a sheet needs the whole session,
 * and every missing field is reported with its code and field. */
static void test_missing_fields(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_session *s = NULL;
	hd_output o;
	char line[1600];

	(void)state;
	assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
	assert_int_equal(hd_session_set_origin(s, "clients.csv", 7, NULL), HD_OK);
	assert_int_equal(hd_render(&o, hd_test_engine, HD_KIND_BROCHURE, s, NULL, &d), HD_EINPUT);
	assert_int_equal(d.count, 1);
	assert_int_equal(d.items[0].code, HD_DIAG_MISSING);
	assert_string_equal(d.items[0].field, "client");
	hd_diag_format(line, sizeof(line), &d.items[0]);
	assert_string_equal(line, "clients.csv:7: error: the client's name is missing\n"
	                          "  hint: give the client's name");
	hd_diags_free(&d);
	assert_int_equal(hd_session_set_client(s, "Ann Lee", &d), HD_OK);
	render_kind(&o, HD_KIND_BROCHURE, s, HD_RENDER_DUMP);
	assert_non_null(strstr(o.dump, "Ann Lee"));
	assert_null(o.pdf);
	hd_output_free(&o);
	assert_int_equal(hd_render(&o, hd_test_engine, HD_KIND_AFTERCARE, s, NULL, &d), HD_EINPUT);
	assert_int_equal(d.count, 4);
	assert_string_equal(d.items[0].field, "date");
	assert_string_equal(d.items[1].field, "therapist");
	assert_string_equal(d.items[2].field, "techniques");
	assert_string_equal(d.items[3].field, "areas");
	assert_string_equal(hd_diag_code_name(d.items[3].code), "missing");
	hd_diags_free(&d);
	/* the next visit before the session */
	assert_int_equal(hd_session_set(s, "date", "2026-11-20", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "next_visit", "2026-11-19", &d), HD_OK);
	assert_int_equal(hd_session_check(s, HD_KIND_BROCHURE, &d), HD_EINPUT);
	assert_int_equal(d.items[0].code, HD_DIAG_DATE_ORDER);
	assert_string_equal(d.items[0].message, "the next visit (2026-11-19) is before this session");
	hd_diags_free(&d);
	hd_session_free(s);
}

/* One bad value, given in XML and to the setter: the same message, hint,
 * code and field. */
typedef struct bad_case {
	const char *field, *value; /* for hd_session_set */
	const char *xml;           /* the same value in a session record */
	int code;
} bad_case;

static void test_setters_report_like_the_loader(void **state)
{
#define HEAD "<?xml version=\"1.0\"?><session xmlns=\"urn:handout:session:1\" version=\"1\">"
#define REST "<techniques><technique ref=\"swedish\"/></techniques><areas><area>neck</area></areas>"
	static const bad_case cases[] = {
		{ "date", "2026-02-30", HEAD "<client><name>A</name></client><date>2026-02-30</date>"
		  "<therapist>T</therapist>" REST "</session>", HD_DIAG_BAD_DATE },
		{ "next_visit", "2026-12-04T24:00", HEAD "<client><name>A</name></client><date>2026-02-03</date>"
		  "<therapist>T</therapist>" REST "<next-visit>2026-12-04T24:00</next-visit></session>",
		  HD_DIAG_BAD_DATE },
		{ "client", "Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		  HEAD "<client><name>Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</name></client>"
		  "<date>2026-02-03</date><therapist>T</therapist>" REST "</session>", HD_DIAG_TOO_LONG },
		{ "techniques", "swedsh", HEAD "<client><name>A</name></client><date>2026-02-03</date>"
		  "<therapist>T</therapist><techniques><technique ref=\"swedsh\"/></techniques>"
		  "<areas><area>neck</area></areas></session>", HD_DIAG_UNKNOWN_REF },
		{ "tips", "swedish", HEAD "<client><name>A</name></client><date>2026-02-03</date>"
		  "<therapist>T</therapist>" REST "<selfcare><tip ref=\"swedish\"/></selfcare></session>",
		  HD_DIAG_UNKNOWN_REF },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hd_diags dx = HD_DIAGS_INIT, ds = HD_DIAGS_INIT;
		hd_session *x = NULL, *s = NULL;
		assert_int_equal(hd_session_load_buffer(&x, hd_test_engine, "in.xml", cases[i].xml,
		                                        strlen(cases[i].xml), &dx), HD_EINPUT);
		assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
		assert_int_equal(hd_session_set_origin(s, "in.xml", 1, NULL), HD_OK);
		assert_int_equal(hd_session_set(s, cases[i].field, cases[i].value, &ds), HD_EINPUT);
		assert_int_equal(dx.count, 1);
		assert_int_equal(ds.count, 1);
		assert_string_equal(ds.items[0].message, dx.items[0].message);
		assert_string_equal(ds.items[0].hint, dx.items[0].hint);
		assert_int_equal(ds.items[0].code, cases[i].code);
		assert_int_equal(dx.items[0].code, cases[i].code);
		assert_string_equal(ds.items[0].field, dx.items[0].field);
		assert_string_equal(ds.items[0].field, cases[i].field);
		hd_session_free(s);
		hd_diags_free(&dx);
		hd_diags_free(&ds);
	}
}

/* Values only the setters see: lists with duplicates, fixed lists, a table
 * column in the position. */
static void test_setter_messages(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_session *s = NULL;
	char line[1600];

	(void)state;
	assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
	assert_int_equal(hd_session_set_origin(s, "clients.csv", 12, "Areas worked"), HD_OK);
	assert_int_equal(hd_session_set(s, "areas", "neck lumbar-lft neck", &d), HD_EINPUT);
	assert_int_equal(d.count, 2);
	hd_diag_format(line, sizeof(line), &d.items[0]);
	assert_string_equal(line, "clients.csv:12:Areas worked: error: 'lumbar-lft' is not an area\n"
	                          "  hint: did you mean 'lumbar-left'?");
	hd_diag_format(line, sizeof(line), &d.items[1]);
	assert_string_equal(line, "clients.csv:12:Areas worked: error: area 'neck' is listed twice\n"
	                          "  hint: list each area once");
	hd_diags_free(&d);
	assert_int_equal(hd_session_set(s, "pressure", "hard", &d), HD_EINPUT);
	assert_string_equal(d.items[0].message, "'hard' is not a pressure");
	assert_string_equal(d.items[0].hint, "use light, medium, firm or deep");
	assert_int_equal(hd_session_set(s, "client", " \xc2\xa0 ", &d), HD_EINPUT);
	assert_string_equal(d.items[1].message, "the client's name is empty");
	assert_int_equal(d.items[1].code, HD_DIAG_EMPTY);
	assert_int_equal(hd_session_set(s, "email", "not an address", &d), HD_EINPUT);
	assert_int_equal(hd_session_set(s, "colour", "red", &d), HD_EINVAL);
	assert_string_equal(d.items[3].message, "'colour' is not a session field");
	assert_int_equal(hd_session_set(s, "tips", "drink-water: ", &d), HD_EINPUT);
	assert_string_equal(d.items[4].message, "the dose of tip 'drink-water' is empty");
	assert_int_equal(hd_session_set(s, "pain_before", "11", &d), HD_EINPUT);
	assert_string_equal(d.items[5].message, "'11' is not a pain score");
	assert_int_equal(hd_session_set(s, "client_id", "../etc", &d), HD_EINPUT);
	assert_string_equal(d.items[6].message, "'../etc' is not a client id");
	assert_int_equal(hd_session_set(s, "time", "25:00", &d), HD_EINPUT);
	assert_string_equal(d.items[7].field, "time");
	assert_int_equal(hd_session_set_pain(s, 11, -1), HD_EINVAL);
	assert_int_equal(hd_session_field_known("next_visit"), 1);
	assert_int_equal(hd_session_field_known("colour"), 0);
	/* an empty optional value leaves it unset; a refused one changes nothing */
	assert_int_equal(hd_session_set(s, "email", "", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "client", "Ann", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "client", "", &d), HD_EINPUT);
	assert_string_equal(hd_session_client(s), "Ann");
	hd_diags_free(&d);
	hd_session_free(s);
	hd_session_free(NULL);
}

/* A report over sessions in memory, given in any order, is the very PDF of
 * the same visits' records folder; two clients in one history are refused
 * with the message a folder gets. */
static void test_history(void **state)
{
	static const char *const files[] = { "2026-11-25", "2026-09-02", "2026-10-14",
		                             "2026-09-30", "2026-11-04", "2026-09-16" };
	hd_session *ss[6], *other = NULL;
	const hd_session *list[6];
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	hd_output a, b;
	hd_diags d = HD_DIAGS_INIT;
	char path[512], line[1600];
	size_t i;
	(void)state;

	ro.source_date_epoch = 1763596800;
	for (i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), HD_SOURCE_DIR "/xml/records/c-0042/%s.xml", files[i]);
		assert_int_equal(hd_session_load_file(&ss[i], hd_test_engine, path, &d), HD_OK);
		list[i] = ss[i];
	}
	assert_int_equal(hd_render_history(&a, hd_test_engine, list, 6, &ro, &d), HD_OK);
	assert_int_equal(hd_render_report(&b, hd_test_engine, HD_SOURCE_DIR "/xml/records/c-0042", &ro,
	                                  HD_RENDER_PDF, &d), HD_OK);
	assert_int_equal(a.pages, 2);
	assert_int_equal(a.pdf_len, b.pdf_len);
	assert_memory_equal(a.pdf, b.pdf, a.pdf_len);
	hd_output_free(&a);
	hd_output_free(&b);
	assert_int_equal(d.nerrors, 0);

	/* another client's visit */
	assert_int_equal(hd_session_load_file(&other, hd_test_engine,
	                                      HD_SOURCE_DIR "/xml/records/c-0107/2026-10-06.xml", &d),
	                 HD_OK);
	list[2] = other;
	assert_int_equal(hd_render_history(&a, hd_test_engine, list, 6, &ro, &d), HD_EINPUT);
	assert_null(a.pdf);
	assert_int_equal(d.nerrors, 1);
	hd_diag_format(line, sizeof(line), &d.items[d.count - 1]);
	assert_non_null(strstr(line, "this record is of client 'c-0107', and "));
	assert_int_equal(hd_render_history(&a, hd_test_engine, list, 0, &ro, &d), HD_EINVAL);
	list[2] = NULL;
	assert_int_equal(hd_render_history(&a, hd_test_engine, list, 6, &ro, &d), HD_EINVAL);
	for (i = 0; i < 6; i++)
		hd_session_free(ss[i]);
	hd_session_free(other);
	hd_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_built_equals_loaded_for_every_kind),
		cmocka_unit_test(test_load_file_and_brochure_for_anyone),
		cmocka_unit_test(test_missing_fields),
		cmocka_unit_test(test_setters_report_like_the_loader),
		cmocka_unit_test(test_setter_messages),
		cmocka_unit_test(test_history),
	};
	return cmocka_run_group_tests(tests, hd_test_setup, hd_test_teardown);
}
