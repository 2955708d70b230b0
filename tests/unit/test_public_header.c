/*
 * The public API end to end, through <handout.h> alone: it comes first, so the
 * header must stand on its own (tests/sh/test_header.sh also compiles it alone
 * as C99 and C++ with -pedantic -Werror). No internal header is used here.
 */
#include <handout.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define XML HD_SOURCE_DIR "/xml"
#define MINIMAL XML "/sessions/minimal.xml"

static hd_engine *engine;

static int setup(void **state)
{
	hd_engine_options opts = HD_ENGINE_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	char line[1600];
	size_t i;
	int rc;

	(void)state;
	opts.data_dir = XML;
	rc = hd_engine_new(&engine, &opts, &d);
	for (i = 0; i < d.count; i++) {
		hd_diag_format(line, sizeof(line), &d.items[i]);
		fprintf(stderr, "%s\n", line);
	}
	hd_diags_free(&d);
	return rc ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	hd_engine_free(engine);
	return 0;
}

/* ----- engine and library ---------------------------------------------------- */

static void test_engine_data_dir(void **state)
{
	(void)state;
	assert_string_equal(hd_engine_data_dir(engine), XML);
}

static void test_engine_rejects_unknown_options_version(void **state)
{
	hd_engine_options opts = HD_ENGINE_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_engine *e = (hd_engine *)&opts;

	(void)state;
	opts.version = HD_ENGINE_OPTIONS_VERSION + 1;
	opts.data_dir = XML;
	assert_int_equal(hd_engine_new(&e, &opts, &d), HD_EINVAL);
	assert_null(e);
	hd_diags_free(&d);
}

static void test_engine_missing_data_dir(void **state)
{
	hd_engine_options opts = HD_ENGINE_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_engine *e = (hd_engine *)&opts;
	int rc;

	(void)state;
	opts.data_dir = HD_TEST_TMP "/no-such-data-dir";
	rc = hd_engine_new(&e, &opts, &d);
	assert_true(rc < 0);
	assert_null(e);
	assert_true(d.nerrors >= 1);
	hd_diags_free(&d);
}

static void test_library_entries(void **state)
{
	size_t n = hd_library_count(engine), i;
	const char *id = NULL, *kind = NULL, *title = NULL, *prev = NULL;
	const char *id_es, *kind_es, *title_es;
	int differ = 0;

	(void)state;
	assert_true(n > 40);
	assert_int_equal(hd_library_entry(engine, 0, NULL, &id, &kind, &title), HD_OK);
	assert_non_null(id);
	assert_non_null(kind);
	assert_non_null(title);
	assert_true(id[0] != '\0' && title[0] != '\0');

	/* In id order; every entry has a title in both languages. */
	for (i = 0; i < n; i++) {
		assert_int_equal(hd_library_entry(engine, i, "en", &id, &kind, &title), HD_OK);
		if (prev)
			assert_true(strcmp(prev, id) < 0);
		prev = id;
		assert_int_equal(hd_library_entry(engine, i, "es", &id_es, &kind_es, &title_es), HD_OK);
		assert_string_equal(id, id_es);
		assert_string_equal(kind, kind_es);
		differ |= strcmp(title, title_es) != 0;
	}
	assert_true(differ);
	/* An unknown language falls back to the first one. */
	assert_int_equal(hd_library_entry(engine, 0, "xx", &id, &kind, &title), HD_OK);
	assert_int_equal(hd_library_entry(engine, 0, NULL, &id_es, &kind_es, &title_es), HD_OK);
	assert_string_equal(title, title_es);
}

static void test_library_entry_out_of_range(void **state)
{
	size_t n = hd_library_count(engine);
	const char *id = "x", *kind = "x", *title = "x";

	(void)state;
	assert_int_equal(hd_library_entry(engine, n, NULL, &id, &kind, &title), HD_EINVAL);
	assert_int_equal(hd_library_entry(engine, (size_t)-1, "en", &id, &kind, &title), HD_EINVAL);
}

/* ----- validation ------------------------------------------------------------ */

static void test_validate_samples(void **state)
{
	static const char *const files[] = {
		XML "/sessions/plain.xml", XML "/sessions/minimal.xml", XML "/sessions/spanish.xml",
		XML "/templates/aftercare.xml", XML "/clinic/clinic.xml", XML "/library/techniques.xml",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		hd_diags d = HD_DIAGS_INIT;
		int rc = hd_validate_file(engine, files[i], &d);
		if (rc)
			fail_msg("%s: %s (%s)", files[i], hd_status_str(rc),
			         d.count ? d.items[0].message : "no diagnostic");
		assert_int_equal(d.nerrors, 0);
		hd_diags_free(&d);
	}
}

static void test_validate_missing_file(void **state)
{
	hd_diags d = HD_DIAGS_INIT;

	(void)state;
	assert_int_equal(hd_validate_file(engine, HD_TEST_TMP "/no-such-file.xml", &d), HD_EIO);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.items[0].severity, HD_ERROR);
	assert_string_equal(d.items[0].file, HD_TEST_TMP "/no-such-file.xml");
	assert_true(d.items[0].message[0] != '\0');
	hd_diags_free(&d);
}

/* ----- rendering ------------------------------------------------------------- */

static void test_render_pdf_and_dump(void **state)
{
	hd_render_options opts = HD_RENDER_OPTIONS_INIT;
	hd_output out;
	hd_diags d = HD_DIAGS_INIT;
	size_t i;

	(void)state;
	opts.source_date_epoch = 1763596800;
	assert_int_equal(hd_render_file(&out, engine, MINIMAL, &opts, HD_RENDER_PDF | HD_RENDER_DUMP,
	                                &d), HD_OK);
	assert_int_equal(d.nerrors, 0);
	for (i = 0; i < d.count; i++)
		assert_true(d.items[i].severity < HD_ERROR);
	assert_non_null(out.pdf);
	assert_true(out.pdf_len > 1000);
	assert_memory_equal(out.pdf, "%PDF-", 5);
	assert_non_null(out.dump);
	assert_true(out.dump_len > 0);
	assert_int_equal(strlen(out.dump), out.dump_len);
	assert_int_equal(strncmp(out.dump, "layout pages=1", 14), 0);
	assert_int_equal(out.pages, 1);
	assert_true(out.body_size > 0);
	hd_output_free(&out);
	assert_null(out.pdf);
	assert_null(out.dump);
	hd_diags_free(&d);
}

static void test_render_only_what_is_asked(void **state)
{
	hd_output out;
	hd_diags d = HD_DIAGS_INIT;

	(void)state;
	assert_int_equal(hd_render_file(&out, engine, MINIMAL, NULL, HD_RENDER_DUMP, &d), HD_OK);
	assert_null(out.pdf);
	assert_non_null(out.dump);
	hd_output_free(&out);
	assert_int_equal(hd_render_file(&out, engine, MINIMAL, NULL, HD_RENDER_PDF, &d), HD_OK);
	assert_non_null(out.pdf);
	assert_null(out.dump);
	hd_output_free(&out);
	hd_diags_free(&d);
}

static void render_pdf(hd_output *out, int64_t epoch)
{
	hd_render_options opts = HD_RENDER_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;

	opts.source_date_epoch = epoch;
	assert_int_equal(hd_render_file(out, engine, MINIMAL, &opts, HD_RENDER_PDF, &d), HD_OK);
	hd_diags_free(&d);
}

static void test_render_is_deterministic(void **state)
{
	hd_output a, b, c;

	(void)state;
	render_pdf(&a, 1763596800);
	render_pdf(&b, 1763596800);
	render_pdf(&c, 1763596800 + 86400);
	assert_int_equal(a.pdf_len, b.pdf_len);
	assert_memory_equal(a.pdf, b.pdf, a.pdf_len);
	assert_true(a.pdf_len != c.pdf_len || memcmp(a.pdf, c.pdf, a.pdf_len) != 0);
	hd_output_free(&a);
	hd_output_free(&b);
	hd_output_free(&c);
}

static void test_render_failure_produces_nothing(void **state)
{
	hd_output out;
	hd_diags d = HD_DIAGS_INIT;

	(void)state;
	memset(&out, 0xAB, sizeof(out));
	assert_int_equal(hd_render_file(&out, engine, HD_TEST_TMP "/no-such-session.xml", NULL,
	                                HD_RENDER_PDF | HD_RENDER_DUMP, &d), HD_EIO);
	assert_null(out.pdf);
	assert_null(out.dump);
	assert_int_equal(out.pdf_len, 0);
	assert_int_equal(out.dump_len, 0);
	assert_true(d.nerrors >= 1);
	hd_diags_free(&d);
}

static void test_render_rejects_unknown_options_version(void **state)
{
	hd_render_options opts = HD_RENDER_OPTIONS_INIT;
	hd_output out;
	hd_diags d = HD_DIAGS_INIT;

	(void)state;
	opts.version = 99;
	assert_int_equal(hd_render_file(&out, engine, MINIMAL, &opts, HD_RENDER_PDF, &d), HD_EINVAL);
	assert_null(out.pdf);
	hd_diags_free(&d);
}

/* ----- statuses and diagnostics ---------------------------------------------- */

static void test_status_strings(void **state)
{
	static const struct {
		int status;
		const char *text;
	} codes[] = {
		{ HD_OK, "success" },
		{ HD_EINVAL, "invalid argument" },
		{ HD_ENOMEM, "out of memory" },
		{ HD_EIO, "input/output error" },
		{ HD_EINPUT, "invalid input" },
		{ HD_EFONT, "font error" },
		{ HD_EPDF, "PDF library error" },
		{ HD_ESEND, "the mail server did not take the message" },
		{ HD_ECANCELLED, "cancelled" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		assert_string_equal(hd_status_str(codes[i].status), codes[i].text);
	assert_string_equal(hd_status_str(-9), "unknown error");
	assert_string_equal(hd_status_str(1), "unknown error");
	assert_string_equal(hd_status_str(-2147483647 - 1), "unknown error");
}

static hd_diag make_diag(hd_severity sev, const char *file, int line, int col, const char *msg,
                         const char *hint)
{
	hd_diag e;
	memset(&e, 0, sizeof(e));
	e.severity = sev;
	e.line = line;
	e.col = col;
	snprintf(e.file, sizeof(e.file), "%s", file);
	snprintf(e.message, sizeof(e.message), "%s", msg);
	snprintf(e.hint, sizeof(e.hint), "%s", hint);
	return e;
}

static void expect_format(const hd_diag *e, const char *want)
{
	char buf[1600];
	int n = hd_diag_format(buf, sizeof(buf), e);
	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
}

static void test_diag_format(void **state)
{
	hd_diag e;
	char small[10];
	int n;

	(void)state;
	e = make_diag(HD_ERROR, "s.xml", 3, 7, "bad thing", "");
	expect_format(&e, "s.xml:3:7: error: bad thing");
	e = make_diag(HD_ERROR, "s.xml", 3, 7, "bad thing", "fix it");
	expect_format(&e, "s.xml:3:7: error: bad thing\n  hint: fix it");
	e = make_diag(HD_WARNING, "s.xml", 3, 0, "look", "");
	expect_format(&e, "s.xml:3: warning: look");
	e = make_diag(HD_NOTE, "s.xml", 0, 0, "shrunk", "");
	expect_format(&e, "s.xml: note: shrunk");
	e = make_diag(HD_ERROR, "", 0, 0, "no library", "add one");
	expect_format(&e, "error: no library\n  hint: add one");

	/* Like snprintf: truncated, NUL-terminated, returns the length wanted. */
	e = make_diag(HD_ERROR, "s.xml", 3, 7, "bad thing", "");
	n = hd_diag_format(small, sizeof(small), &e);
	assert_int_equal(n, (int)strlen("s.xml:3:7: error: bad thing"));
	assert_string_equal(small, "s.xml:3:7");
	assert_int_equal(hd_diag_format(NULL, 0, &e), n);
}

static void test_free_functions_accept_null(void **state)
{
	hd_output out;
	hd_diags d = HD_DIAGS_INIT;

	(void)state;
	hd_output_free(NULL);
	hd_engine_free(NULL);
	hd_diags_free(NULL);
	memset(&out, 0, sizeof(out));
	hd_output_free(&out);
	hd_diags_free(&d);
	hd_diags_free(&d); /* twice: the list is reset */
	assert_int_equal(d.count, 0);
	assert_null(d.items);
}

static void test_write_file_atomic(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	char buf[16] = "";
	FILE *f;

	(void)state;
	assert_int_equal(hd_write_file_atomic(HD_TEST_TMP "/public-atomic.txt", "hello", 5, &d), HD_OK);
	f = fopen(HD_TEST_TMP "/public-atomic.txt", "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof(buf) - 1, f), 5);
	fclose(f);
	assert_string_equal(buf, "hello");
	assert_int_equal(hd_write_file_atomic(HD_TEST_TMP "/no-such-dir/x.txt", "x", 1, &d), HD_EIO);
	assert_int_equal(d.nerrors, 1);
	hd_diags_free(&d);
}

static void test_output_path(void **state)
{
	char *path = NULL;

	(void)state;
	assert_int_equal(hd_output_path(&path, "out", "CON", ".pdf"), HD_OK);
	assert_string_equal(path, "out/CON_.pdf");
	free(path);
	assert_true(hd_path_is_stdout("-"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_data_dir),
		cmocka_unit_test(test_engine_rejects_unknown_options_version),
		cmocka_unit_test(test_engine_missing_data_dir),
		cmocka_unit_test(test_library_entries),
		cmocka_unit_test(test_library_entry_out_of_range),
		cmocka_unit_test(test_validate_samples),
		cmocka_unit_test(test_validate_missing_file),
		cmocka_unit_test(test_render_pdf_and_dump),
		cmocka_unit_test(test_render_only_what_is_asked),
		cmocka_unit_test(test_render_is_deterministic),
		cmocka_unit_test(test_render_failure_produces_nothing),
		cmocka_unit_test(test_render_rejects_unknown_options_version),
		cmocka_unit_test(test_status_strings),
		cmocka_unit_test(test_diag_format),
		cmocka_unit_test(test_free_functions_accept_null),
		cmocka_unit_test(test_write_file_atomic),
		cmocka_unit_test(test_output_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
