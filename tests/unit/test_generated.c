/*
 * Thousands of generated, valid sessions (tests/support/gen_session.c: random
 * techniques, areas, tips and exercises with and without doses, notes,
 * languages, paper and print sizes) must all render. This is the class of
 * input that once failed about one time in 400 inside libharu (a font whose
 * saved size was a multiple of 4,096 bytes; see fonts.c, HD_PREP_NOOP): a
 * handful of samples never shows such a fault, thousands of sessions do.
 *
 * HD_GEN_COUNT overrides how many; the sanitizer build runs fewer (ASan makes
 * each about ten times slower), the same seed either way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen_session.h"
#include "handout.h"

#ifndef HD_GEN_DEFAULT_COUNT
#define HD_GEN_DEFAULT_COUNT 3000
#endif

static void print_diags(const hd_diags *d)
{
	char line[1600];
	size_t i;
	for (i = 0; i < d->count; i++) {
		hd_diag_format(line, sizeof(line), &d->items[i]);
		fprintf(stderr, "%s\n", line);
	}
}

static void test_every_generated_session_renders(void **state)
{
	hd_engine_options eo = HD_ENGINE_OPTIONS_INIT;
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_engine *e = NULL;
	hd_gen g;
	const char *env = getenv("HD_GEN_COUNT");
	long count = env ? strtol(env, NULL, 10) : HD_GEN_DEFAULT_COUNT;
	const char *path = HD_TEST_TMP "/generated-session.xml";
	static char xml[65536];
	long i, failed = 0, two_pages = 0;

	(void)state;
	eo.data_dir = HD_SOURCE_DIR "/xml";
	assert_int_equal(hd_engine_new(&e, &eo, &d), HD_OK);
	assert_int_equal(hd_gen_init(&g, e, 20261202), 0);
	ro.source_date_epoch = 1763596800;
	for (i = 0; i < count; i++) {
		hd_diags rd = HD_DIAGS_INIT;
		hd_output out;
		FILE *f;
		int len = hd_gen_session(&g, xml, sizeof(xml)), r;

		assert_true(len > 0);
		f = fopen(path, "w");
		assert_non_null(f);
		assert_int_equal(fwrite(xml, 1, (size_t)len, f), (size_t)len);
		assert_int_equal(fclose(f), 0);
		r = hd_render_file(&out, e, path, &ro, HD_RENDER_PDF, &rd);
		if (r != HD_OK || rd.nerrors || out.pdf_len < 5 || memcmp(out.pdf, "%PDF-", 5)) {
			fprintf(stderr, "session %ld failed (%s):\n%s\n", i, hd_status_str(r), xml);
			print_diags(&rd);
			failed++;
		}
		two_pages += out.pages > 1;
		hd_output_free(&out);
		hd_diags_free(&rd);
	}
	fprintf(stderr, "%ld generated sessions rendered, %ld failed, %ld on two pages or more\n",
	        count, failed, two_pages);
	assert_int_equal(failed, 0);
	hd_gen_free(&g);
	hd_engine_free(e);
	hd_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_generated_session_renders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
