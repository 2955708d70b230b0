/*
 * UTF-8 decoding and encoding (every boundary of the encoding, and every way
 * a sequence can be invalid), arenas, buffers, diagnostics, edit distance.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

static void test_utf8_decode_valid(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		uint32_t cp;
	} ok[] = {
		{ "A", 1, 0x41 },
		{ "\x7F", 1, 0x7F },
		{ "\xC2\x80", 2, 0x80 },              /* smallest two-byte */
		{ "\xC5\x81", 2, 0x141 },             /* Ł */
		{ "\xDF\xBF", 2, 0x7FF },             /* largest two-byte */
		{ "\xE0\xA0\x80", 3, 0x800 },         /* smallest three-byte */
		{ "\xD0\xAE", 2, 0x42E },             /* Ю */
		{ "\xED\x9F\xBF", 3, 0xD7FF },        /* just below the surrogates */
		{ "\xEE\x80\x80", 3, 0xE000 },        /* just above them */
		{ "\xEF\xBF\xBD", 3, 0xFFFD },
		{ "\xEF\xBF\xBF", 3, 0xFFFF },
		{ "\xF0\x90\x80\x80", 4, 0x10000 },   /* smallest four-byte */
		{ "\xF0\x9F\x98\x80", 4, 0x1F600 },
		{ "\xF4\x8F\xBF\xBF", 4, 0x10FFFF },  /* the last code point */
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		uint32_t cp = 0;
		char back[4];
		assert_int_equal(hd_utf8_decode(ok[i].s, strlen(ok[i].s), &cp), ok[i].len);
		assert_int_equal(cp, ok[i].cp);
		assert_int_equal(hd_utf8_encode(cp, back), ok[i].len);
		assert_memory_equal(back, ok[i].s, ok[i].len);
	}
}

static void test_utf8_decode_invalid(void **state)
{
	static const char *const bad[] = {
		"\x80",             /* a lone continuation byte */
		"\xBF",
		"\xC0\x80",         /* overlong NUL */
		"\xC1\xBF",         /* overlong */
		"\xE0\x80\x80",     /* overlong three-byte */
		"\xE0\x9F\xBF",     /* overlong: below U+0800 */
		"\xED\xA0\x80",     /* U+D800, a surrogate */
		"\xED\xBF\xBF",     /* U+DFFF */
		"\xF0\x80\x80\x80", /* overlong four-byte */
		"\xF0\x8F\xBF\xBF", /* below U+10000 */
		"\xF4\x90\x80\x80", /* above U+10FFFF */
		"\xF5\x80\x80\x80", /* lead byte out of range */
		"\xFF",
		"\xFE",
		"\xC3",             /* truncated */
		"\xE2\x82",         /* truncated */
		"\xF0\x9F\x98",     /* truncated */
		"\xC3\x41",         /* continuation missing */
		"\xE2\x28\xA1",
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t cp = 0;
		assert_int_equal(hd_utf8_decode(bad[i], strlen(bad[i]), &cp), 0);
	}
	/* Encoding refuses surrogates and values past U+10FFFF. */
	{
		char out[4];
		assert_int_equal(hd_utf8_encode(0xD800, out), 0);
		assert_int_equal(hd_utf8_encode(0x110000, out), 0);
	}
}

static void test_utf8_check(void **state)
{
	const char *good = "Zo\xC3\xAB \xC5\x81ukasiewicz, \xCE\xA8\xCF\x85\xCF\x87\xCE\xAE";
	const char *bad = "abc\xC3\x28xyz";
	(void)state;

	assert_int_equal(hd_utf8_check(good, strlen(good)), strlen(good));
	assert_int_equal(hd_utf8_check(bad, strlen(bad)), 3); /* offset of the bad byte */
	assert_int_equal(hd_utf8_check("", 0), 0);
	/* A NUL inside the counted length is a valid (if unwanted) code point. */
	assert_int_equal(hd_utf8_check("a\0b", 3), 3);
}

static void test_arena(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	char *big, *s;
	int i;
	(void)state;

	for (i = 0; i < 10000; i++) {
		int *p = hd_arena_alloc(&a, sizeof(int) * 3);
		assert_non_null(p);
		assert_int_equal(p[0] | p[1] | p[2], 0); /* zeroed */
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
	}
	big = hd_arena_alloc(&a, 1u << 20); /* larger than a chunk */
	assert_non_null(big);
	memset(big, 'x', 1u << 20);
	s = hd_arena_strndup(&a, "hello world", 5);
	assert_string_equal(s, "hello");
	s = hd_arena_printf(&a, "%d-%s", 42, "x");
	assert_string_equal(s, "42-x");
	hd_arena_free(&a);
	assert_null(a.head);
	hd_arena_free(&a); /* twice is fine */
}

static void test_buf(void **state)
{
	hd_buf b = HD_BUF_INIT;
	char *p;
	size_t len, i;
	(void)state;

	for (i = 0; i < 1000; i++)
		assert_int_equal(hd_buf_printf(&b, "%zu,", i), HD_OK);
	assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
	assert_int_equal(b.data[b.len], '\0');
	hd_buf_putc(&b, '!');
	p = hd_buf_detach(&b, &len);
	assert_int_equal(p[len - 1], '!');
	assert_null(b.data);
	free(p);
	hd_buf_free(&b);
}

static void test_diags(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	char line[2000];
	int i;
	(void)state;

	for (i = 0; i < 100; i++)
		hd_error_at(&d, "f.xml", i + 1, 2, i % 2 ? "fix it" : NULL, "problem %d", i);
	hd_diag_add(&d, HD_NOTE, NULL, 0, 0, NULL, "just so you know");
	assert_int_equal(d.count, 101);
	assert_int_equal(d.nerrors, 100);
	hd_diag_format(line, sizeof(line), &d.items[0]);
	assert_string_equal(line, "f.xml:1:2: error: problem 0");
	hd_diag_format(line, sizeof(line), &d.items[1]);
	assert_string_equal(line, "f.xml:2:2: error: problem 1\n  hint: fix it");
	hd_diag_format(line, sizeof(line), &d.items[100]);
	assert_string_equal(line, "note: just so you know");
	hd_diags_free(&d);
	hd_diag_add(NULL, HD_ERROR, NULL, 0, 0, NULL, "ignored"); /* NULL list: no crash */
}

/* One cap for every kind of problem: past HD_DIAGS_MAX_ERRORS errors in a
 * list, errors are counted, not stored, and one last entry says how many
 * were left out; notes and warnings still go in, before it. */
static void test_diags_cap(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	char line[2000];
	int i;
	(void)state;

	for (i = 0; i < 10000; i++)
		hd_error_at(&d, "f.xml", i + 1, 0, NULL, "problem %d", i);
	assert_int_equal(d.nerrors, 10000);
	assert_int_equal(d.dropped, 9900);
	assert_int_equal(d.count, HD_DIAGS_MAX_ERRORS + 1);
	hd_diag_format(line, sizeof(line), &d.items[99]);
	assert_string_equal(line, "f.xml:100: error: problem 99");
	hd_diag_format(line, sizeof(line), &d.items[100]);
	assert_string_equal(line, "f.xml: error: 9900 more errors not shown\n"
	                          "  hint: only the first 100 errors are listed; fix them and run again");
	/* A note after the cap goes in before the summary, which stays last. */
	hd_diag_add(&d, HD_NOTE, "g.xml", 0, 0, NULL, "later");
	assert_int_equal(d.count, HD_DIAGS_MAX_ERRORS + 2);
	hd_diag_format(line, sizeof(line), &d.items[100]);
	assert_string_equal(line, "g.xml: note: later");
	/* Errors of another file: the summary no longer names one. */
	hd_error_at(&d, "g.xml", 1, 0, NULL, "one more");
	assert_int_equal(d.nerrors, 10001);
	hd_diag_format(line, sizeof(line), &d.items[d.count - 1]);
	assert_string_equal(line, "error: 9901 more errors not shown\n"
	                          "  hint: only the first 100 errors are listed; fix them and run again");
	hd_diags_free(&d);
	assert_int_equal(d.dropped, 0);

	/* Exactly at the cap: nothing is left out, no summary. */
	for (i = 0; i < HD_DIAGS_MAX_ERRORS; i++)
		hd_error_at(&d, "f.xml", i + 1, 0, NULL, "problem %d", i);
	assert_int_equal(d.count, HD_DIAGS_MAX_ERRORS);
	assert_int_equal(d.dropped, 0);
	hd_diags_free(&d);
}

/* Trimming: every kind of blank a name could be made of, at both ends,
 * never inside; lengths in code points. */
static void test_trim(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Sam", "Sam" },
		{ "", "" },
		{ "\xc2\xa0\xc2\xa0\xc2\xa0", "" },                    /* no-break spaces */
		{ "\t \xe3\x80\x80Sam Lee\xe2\x80\xaf\xef\xbb\xbf", "Sam Lee" }, /* U+3000, U+202F, U+FEFF */
		{ "\xe2\x80\x8bZo\xc3\xab\xe2\x80\x8b", "Zo\xc3\xab" },  /* U+200B zero width space */
		{ "\xe2\x80\x80\xe2\x80\x8a\xe2\x81\x9f\xe2\x81\xa0\xc2\xad", "" }, /* U+2000, 200A, 205F, 2060, AD */
		{ "Sam\xc2\xa0Lee", "Sam\xc2\xa0Lee" },                  /* kept inside */
		{ "\xe1\x9a\x80x\xe2\x80\xa8\xe2\x80\xa9\xc2\x85", "x" }, /* U+1680, 2028, 2029, 0085 */
	};
	size_t i, kept, start;
	(void)state;

	for (i = 0; i < HD_ARRAY_LEN(cases); i++) {
		start = hd_utf8_trim(cases[i].in, strlen(cases[i].in), &kept);
		assert_int_equal(kept, strlen(cases[i].out));
		assert_memory_equal(cases[i].in + start, cases[i].out, kept);
	}
	assert_int_equal(hd_utf8_count("Zo\xc3\xab \xc5\x81", 7), 5);
	assert_int_equal(hd_utf8_count("\xf0\x9f\x98\x80", 4), 1);
	assert_false(hd_unicode_blank('a'));
	assert_false(hd_unicode_blank(0x2010)); /* a hyphen is seen */
	assert_true(hd_unicode_blank(0x3000));
}

/* hd_dir_names: each kind, hidden entries never, byte order, the cap, a
 * missing folder. */
static void test_dir_names(void **state)
{
	static const char *const files[] = { "b.xml", "a.xml", ".hidden.xml", "x.xml.bak", ".xml",
		                             "C.txt" };
	char dir[512], path[600], **v;
	size_t n, i;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/dirnames", HD_TEST_TMP);
	mkdir(dir, 0755);
	for (i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		assert_non_null(f = fopen(path, "w"));
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/sub.xml", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/link", dir);
	unlink(path);
	assert_int_equal(symlink("sub.xml", path), 0);

	assert_int_equal(hd_dir_names(&v, &n, dir, HD_DIR_XML, 0), HD_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "a.xml");
	assert_string_equal(v[1], "b.xml");
	assert_string_equal(v[2], "sub.xml");
	hd_names_free(v, n);

	assert_int_equal(hd_dir_names(&v, &n, dir, HD_DIR_FILES, 0), HD_OK);
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "C.txt");
	assert_string_equal(v[3], "x.xml.bak");
	hd_names_free(v, n);

	assert_int_equal(hd_dir_names(&v, &n, dir, HD_DIR_FOLDERS, 0), HD_OK);
	assert_int_equal(n, 1); /* the link to a folder is not followed */
	assert_string_equal(v[0], "sub.xml");
	hd_names_free(v, n);

	assert_int_equal(hd_dir_names(&v, &n, dir, HD_DIR_XML, 2), HD_EINPUT);
	assert_null(v);
	assert_int_equal(n, 0);
	assert_int_equal(hd_dir_names(&v, &n, dir, HD_DIR_XML, 3), HD_OK);
	hd_names_free(v, n);

	snprintf(path, sizeof(path), "%s/none", dir);
	assert_int_equal(hd_dir_names(&v, &n, path, HD_DIR_XML, 0), HD_EIO);
	assert_null(v);
}

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(hd_edit_distance("swedish", "swedish"), 0);
	assert_int_equal(hd_edit_distance("swedsh", "swedish"), 1);
	assert_int_equal(hd_edit_distance("drink-watr", "drink-water"), 1);
	assert_int_equal(hd_edit_distance("", "abc"), 3);
	assert_int_equal(hd_edit_distance("kitten", "sitting"), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_decode_valid),
		cmocka_unit_test(test_utf8_decode_invalid),
		cmocka_unit_test(test_utf8_check),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_diags),
		cmocka_unit_test(test_diags_cap),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_dir_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
