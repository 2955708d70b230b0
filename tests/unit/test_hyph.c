/*
 * Hyphenation with the real dictionaries (Debian's hyphen-en-us and
 * hyphen-es in /usr/share/hyphen, through src/hyph): each language breaks
 * its own words, the rules of layout/hyphenate.h hold on top of them, a
 * missing or unreadable dictionary is a warning given once, and threads
 * share a dictionary, reading it on first use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <unistd.h>

#include <cmocka.h>

#include "hyph.h"

static const char *const LANGS[] = { "en", "es" };

/* The word with a '-' inserted at each point where it may break (a '='
 * where it breaks after its own hyphen), by the rules and dict, protecting
 * keep. */
static char *marked(const hd_hyph_dict *dict, const char *word, const char *keep)
{
	hd_hyphenator h = { dict, keep ? &keep : NULL, keep ? 1u : 0u };
	hd_hyph_point pts[32];
	size_t n = hd_hyph_points(&h, word, strlen(word), pts, 32), i, at = 0;
	hd_buf b = HD_BUF_INIT;
	for (i = 0; i < n; i++) {
		hd_buf_append(&b, word + at, pts[i].off - at);
		hd_buf_putc(&b, pts[i].kind == HD_HY_HARD ? '=' : '-');
		at = pts[i].off;
	}
	hd_buf_puts(&b, word + at);
	return hd_buf_detach(&b, NULL);
}

static void check(const hd_hyph_dict *dict, const char *word, const char *want)
{
	char *got = marked(dict, word, NULL);
	if (strcmp(got, want))
		fail_msg("\"%s\": got \"%s\", want \"%s\"", word, got, want);
	free(got);
}

static void test_each_language_its_words(void **state)
{
	hd_hyph_set *s = NULL;
	hd_diags d = HD_DIAGS_INIT;
	const hd_hyph_dict *en, *es;
	char *got;

	(void)state;
	assert_int_equal(hd_hyph_open(&s, NULL, LANGS, 2), HD_OK);
	en = hd_hyph_get(s, "en");
	es = hd_hyph_get(s, "es");
	assert_non_null(en);
	assert_non_null(es);
	check(en, "muscles", "mus-cles");
	check(en, "therapist", "ther-a-pist");
	check(en, "comfortable,", "com-fort-able,");
	check(en, "Physiotherapist", "Phys-io-ther-a-pist");
	check(en, "doctor\xE2\x80\x99s", "doc-tor\xE2\x80\x99s");
	check(en, "self-awareness", "self-=aware-ness"); /* "=": after its own hyphen */
	check(es, "estiramientos", "es-ti-ra-mien-tos");
	check(es, "M\xC3\xBA" "sculos", "M\xC3\xBAs-cu-los");
	check(es, "\xC2\xBF" "Recuperarse?", "\xC2\xBF" "Re-cu-pe-rarse?"); /* 3 letters after */
	/* the language matters: Spanish patterns on a Spanish word, not English */
	got = marked(en, "estiramientos", NULL);
	assert_string_not_equal(got, "es-ti-ra-mien-tos");
	free(got);
	/* the rules on top of any dictionary */
	check(en, "therapy", "ther-apy");
	check(en, "hurts", "hurts");               /* under 6 letters */
	check(en, "20-minute", "20-minute");       /* a number */
	check(en, "NSAIDS", "NSAIDS");             /* capitals */
	check(en, "www.physiotherapy.org", "www.physiotherapy.org");
	check(en, "therapist@clinic.org", "therapist@clinic.org");
	got = marked(en, "Łukasiewicz,", "Zoë Łukasiewicz");
	assert_string_equal(got, "Łukasiewicz,");
	free(got);
	/* both were read: nothing to report */
	hd_hyph_report(s, "en", &d);
	hd_hyph_report(s, "es", &d);
	assert_int_equal(d.count, 0);
	hd_diags_free(&d);
	hd_hyph_free(s);
}

static void test_missing_dictionary_warns_once(void **state)
{
	hd_hyph_set *s = NULL;
	hd_diags d = HD_DIAGS_INIT;
	char dir[512], cmd[2200];

	(void)state;
	/* no folder at all */
	assert_int_equal(hd_hyph_open(&s, HD_TEST_TMP "/no-hyphen-here", LANGS, 2), HD_OK);
	assert_null(hd_hyph_get(s, "en"));
	hd_hyph_report(s, "en", &d);
	hd_hyph_report(s, "en", &d);
	hd_hyph_report(s, "es", &d);
	assert_int_equal(d.count, 2); /* once per language */
	assert_int_equal(d.items[0].severity, HD_WARNING);
	assert_string_equal(d.items[0].file, HD_TEST_TMP "/no-hyphen-here");
	assert_string_equal(d.items[0].message, "no hyphenation dictionary for 'en' here: justified "
	                                        "text in 'en' is set without hyphenation");
	assert_string_equal(d.items[0].hint, "install the Debian package hyphen-en-us, or set "
	                                     "HANDOUT_HYPHEN_DIR to a folder with hyph_en*.dic");
	assert_non_null(strstr(d.items[1].hint, "hyphen-es"));
	/* a language the set was not opened for: nothing, and no warning */
	assert_null(hd_hyph_get(s, "fr"));
	hd_hyph_report(s, "fr", &d);
	assert_int_equal(d.count, 2);
	hd_diags_free(&d);
	hd_hyph_free(s);

	/* a folder with only a regional Spanish file, named as no rule but the
	 * last expects; English missing */
	snprintf(dir, sizeof(dir), "%s/hyphen-es-only", HD_TEST_TMP);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s' && cp %s/hyph_es_ES.dic '%s/hyph_es_MX.dic'",
	         dir, dir, HD_HYPH_DIR, dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(hd_hyph_open(&s, dir, LANGS, 2), HD_OK);
	assert_non_null(hd_hyph_get(s, "es"));
	assert_null(hd_hyph_get(s, "en"));
	hd_hyph_report(s, "es", &d);
	hd_hyph_report(s, "en", &d);
	assert_int_equal(d.count, 1);
	hd_diags_free(&d);
	hd_hyph_free(s);

	/* a file found, gone before it is first needed: no break points, and a
	 * warning naming it once it was asked for */
	snprintf(dir, sizeof(dir), "%s/hyphen-gone", HD_TEST_TMP);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s' && cp %s/hyph_en_US.dic '%s/hyph_en.dic'",
	         dir, dir, HD_HYPH_DIR, dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(hd_hyph_open(&s, dir, LANGS, 1), HD_OK);
	snprintf(cmd, sizeof(cmd), "rm '%s/hyph_en.dic'", dir);
	assert_int_equal(system(cmd), 0);
	hd_hyph_report(s, "en", &d);
	assert_int_equal(d.count, 0); /* not read yet: nothing known */
	{
		char *got = marked(hd_hyph_get(s, "en"), "therapist", NULL);
		assert_string_equal(got, "therapist");
		free(got);
	}
	hd_hyph_report(s, "en", &d);
	hd_hyph_report(s, "en", &d);
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.items[0].file, "/hyphen-gone/hyph_en.dic"));
	assert_string_equal(d.items[0].message, "this hyphenation dictionary could not be read: "
	                                        "justified text in 'en' is set without hyphenation");
	hd_diags_free(&d);
	hd_hyph_free(s);
	hd_hyph_free(NULL);
}

/* Threads share a dictionary: each hyphenates the same words many times and
 * must always get what one thread alone gets. */
static const char *const WORDS[] = { "muscles", "therapist", "comfortable", "endorphins",
	                             "stretching", "immediately", "physiotherapist", "hyphenation" };

typedef struct job {
	const hd_hyph_dict *dict;
	char *want[8];
	int bad;
} job;

static void *work(void *arg)
{
	job *j = arg;
	int round;
	size_t i;
	for (round = 0; round < 200; round++) {
		for (i = 0; i < 8; i++) {
			char *got = marked(j->dict, WORDS[i], NULL);
			j->bad += strcmp(got, j->want[i]) != 0;
			free(got);
		}
	}
	return NULL;
}

static void test_threads_share_a_dictionary(void **state)
{
	hd_hyph_set *one = NULL, *s = NULL;
	job jobs[4];
	pthread_t th[4];
	char *want[8];
	size_t i;
	int k;

	(void)state;
	/* what one thread alone gets */
	assert_int_equal(hd_hyph_open(&one, NULL, LANGS, 2), HD_OK);
	for (i = 0; i < 8; i++)
		want[i] = marked(hd_hyph_get(one, "en"), WORDS[i], NULL);
	hd_hyph_free(one);
	/* four threads on a fresh set: they race to read it first */
	assert_int_equal(hd_hyph_open(&s, NULL, LANGS, 2), HD_OK);
	for (k = 0; k < 4; k++) {
		jobs[k].dict = hd_hyph_get(s, "en");
		memcpy(jobs[k].want, want, sizeof(want));
		jobs[k].bad = 0;
		assert_int_equal(pthread_create(&th[k], NULL, work, &jobs[k]), 0);
	}
	for (k = 0; k < 4; k++) {
		pthread_join(th[k], NULL);
		assert_int_equal(jobs[k].bad, 0);
	}
	for (i = 0; i < 8; i++)
		free(want[i]);
	hd_hyph_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_language_its_words),
		cmocka_unit_test(test_missing_dictionary_warns_once),
		cmocka_unit_test(test_threads_share_a_dictionary),
	};
	mkdir(HD_TEST_TMP, 0755);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
