/*
 * fonts.c: metrics, slice assignment, encoding, the slice TrueType files and
 * their ToUnicode CMaps. Uses the installed DejaVu fonts (fonts-dejavu-core)
 * and HarfBuzz to read back what fonts.c wrote.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb-ot.h>
#include <hb.h>

#include "fonts.h"

#define NAME "Zoë Łukasiewicz, Ærøskøbing, Núñez, Ψυχή, Юлия, “quotes” – dashes …"

static hd_fonts *fonts; /* opened once for the whole file */

static int setup(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	int rc = hd_fonts_open(&fonts, NULL, &d);
	if (rc)
		hd_diags_print(&d, stderr);
	hd_diags_free(&d);
	return rc;
}

static int teardown(void **state)
{
	hd_fonts_free(fonts);
	return 0;
}

/* Builds and finishes a fontset with text in style; fails the test on error. */
static hd_fontset *make_set(unsigned style, const char *text)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_fontset *fs = NULL;

	assert_int_equal(hd_fontset_new(&fs, fonts), HD_OK);
	assert_int_equal(hd_fontset_add(fs, style, text, strlen(text), &d), HD_OK);
	assert_int_equal(hd_fontset_finish(fs, &d), HD_OK);
	assert_int_equal(d.count, 0);
	hd_diags_free(&d);
	return fs;
}

/* Encoding runs, collected for inspection. */
typedef struct runs {
	size_t n;
	size_t slice[64];
	char bytes[64][512];
	size_t len[64];
} runs;

static int collect(void *ctx, size_t slice, const char *bytes, size_t n)
{
	runs *r = ctx;
	assert_true(r->n < 64 && n > 0 && n <= 512);
	r->slice[r->n] = slice;
	memcpy(r->bytes[r->n], bytes, n);
	r->len[r->n] = n;
	r->n++;
	return HD_OK;
}

/* Decodes runs back to UTF-8 through the slices' cp tables. */
static void runs_text(const hd_fontset *fs, const runs *r, char *out, size_t size)
{
	size_t o = 0, i, j;
	for (i = 0; i < r->n; i++) {
		const hd_slice *s = hd_fontset_slice(fs, r->slice[i]);
		for (j = 0; j < r->len[i]; j++) {
			uint32_t cp = s->cp[(unsigned char)r->bytes[i][j]];
			assert_true(cp != 0);
			assert_true(o + 4 < size);
			o += hd_utf8_encode(cp, out + o);
		}
	}
	out[o] = '\0';
}

static void test_widths(void **state)
{
	/* DejaVu Sans: 2048 units per em; 'A' advances 1401 units, the space 651,
	 * so libharu's /Widths give 1401*1000/2048 = 684 and 317. */
	assert_int_equal(hd_fonts_width(fonts, HD_REGULAR, 'A'), 684);
	assert_int_equal(hd_fonts_width(fonts, HD_REGULAR, ' '), 317);
	assert_int_equal(hd_fonts_width(fonts, HD_REGULAR, 'W'), 988);
	assert_int_equal(hd_fonts_width(fonts, HD_REGULAR, 0x2026), 1000); /* … */
	assert_int_equal(hd_fonts_width(fonts, HD_BOLD, 'A'), 773);
	assert_int_equal(hd_fonts_width(fonts, HD_BOLD, ' '), 348);
	assert_int_equal(hd_fonts_width(fonts, HD_ITALIC, 'A'), 684);
	assert_int_equal(hd_fonts_width(fonts, HD_BOLD_ITALIC, 0x141), 660); /* Ł */
	assert_int_equal(hd_fonts_width(fonts, HD_REGULAR, 0x3A8), 787);    /* Ψ */
	assert_int_equal(hd_fonts_width(fonts, HD_REGULAR, 0x4E2D), -1);    /* 中 */
	assert_int_equal(hd_fonts_width(fonts, HD_REGULAR, 0x10FFFF), -1);
	for (unsigned st = 0; st < HD_NSTYLES; st++) {
		/* hhea: ascender 1901, descender -483 */
		assert_int_equal(hd_fonts_ascent(fonts, st), 928);
		assert_int_equal(hd_fonts_descent(fonts, st), -235);
	}
	assert_string_equal(hd_fonts_file(fonts, HD_BOLD_ITALIC), "DejaVuSans-BoldOblique.ttf");
}

static void test_missing_font_dir(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_fonts *f = (hd_fonts *)1;

	assert_int_equal(hd_fonts_open(&f, "/nonexistent/fonts", &d), HD_EFONT);
	assert_null(f);
	assert_true(d.nerrors >= 1);
	assert_string_equal(d.items[0].file, "/nonexistent/fonts/DejaVuSans.ttf");
	assert_non_null(strstr(d.items[0].hint, "install the Debian packages fonts-dejavu-core fonts-dejavu-extra"));
	hd_diags_free(&d);
}

static void test_missing_glyph(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_fontset *fs = NULL;
	const char *text = "a\xE4\xB8\xAD" "b"; /* a中b */
	runs r = { 0 };

	assert_int_equal(hd_fontset_new(&fs, fonts), HD_OK);
	assert_int_equal(hd_fontset_add(fs, HD_BOLD, text, strlen(text), &d), HD_EFONT);
	assert_int_equal(d.nerrors, 1);
	assert_non_null(strstr(d.items[0].message, "U+4E2D"));
	assert_non_null(strstr(d.items[0].message, "DejaVuSans-Bold.ttf"));
	/* The rest is still recorded and usable. */
	assert_int_equal(hd_fontset_finish(fs, &d), HD_OK);
	assert_int_equal(hd_fontset_encode(fs, HD_BOLD, "ab", 2, collect, &r), HD_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(hd_fontset_encode(fs, HD_BOLD, text, strlen(text), collect, &r), HD_EINVAL);
	hd_fontset_free(fs);
	hd_diags_free(&d);
}

static void test_slice_assignment(void **state)
{
	const char *t = "Abc \xC5\x81 \xCE\xA8\xCF\x85\xCF\x87\xCE\xAE \xD0\xAE\xD0\xBB\xD0\xB8\xD1\x8F"; /* Abc Ł Ψυχή Юлия */
	hd_fontset *fs = make_set(HD_REGULAR, t);
	const hd_slice *s;
	runs r = { 0 };
	char back[256];
	unsigned b, used = 0;

	/* Twelve distinct characters: one slice holding exactly them. */
	assert_int_equal(hd_fontset_count(fs), 1);
	s = hd_fontset_slice(fs, 0);
	assert_int_equal(s->index, 0);
	assert_int_equal(s->style, HD_REGULAR);
	assert_string_equal(s->tag, "HDAAAA");
	for (b = 0; b < 256; b++)
		used += s->cp[b] != 0;
	assert_int_equal(used, 13); /* the space and the twelve */
	assert_int_equal(s->cp[0x20], 0x20);
	assert_int_equal(s->cp['A'], 'A'); /* ASCII at its own code */
	assert_int_equal(s->cp['b'], 'b');
	assert_int_equal(s->cp['c'], 'c');
	/* The others take the free codes in code point order, from 0x21. */
	assert_int_equal(s->cp[0x21], 0x141); /* Ł */
	assert_int_equal(s->cp[0x22], 0x3A8); /* Ψ */
	assert_int_equal(s->cp[0x23], 0x3AE); /* ή */
	assert_int_equal(s->cp[0x24], 0x3C5); /* υ */
	assert_int_equal(s->cp[0x25], 0x3C7); /* χ */
	assert_int_equal(s->cp[0x26], 0x42E); /* Ю */
	assert_int_equal(s->cp[0x29], 0x44F); /* я */
	assert_int_equal(hd_fontset_encode(fs, HD_REGULAR, t, strlen(t), collect, &r), HD_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.slice[0], 0);
	assert_memory_equal(r.bytes[0], "Abc \x21 \x22\x24\x25\x23 \x26\x28\x27\x29", 15);
	runs_text(fs, &r, back, sizeof(back));
	assert_string_equal(back, t);
	hd_fontset_free(fs);
}

static void test_european_one_slice(void **state)
{
	/* A Western and Central European line fits one slice; characters WinAnsi
	 * has a byte for sit at that byte, so even a reader that ignores
	 * ToUnicode shows them right. */
	const char *t = "Zoë Łukasiewicz, Ærøskøbing, Núñez, Œuvre Šťa ž “q” ‘q’ – — • … € ‰ ß";
	hd_fontset *fs = make_set(HD_ITALIC, t);
	const hd_slice *s;
	runs r = { 0 };
	char back[256];

	assert_int_equal(hd_fontset_count(fs), 1);
	s = hd_fontset_slice(fs, 0);
	assert_int_equal(s->cp[0xEB], 0xEB);   /* ë */
	assert_int_equal(s->cp[0x93], 0x201C); /* “ */
	assert_int_equal(s->cp[0x80], 0x20AC); /* € */
	assert_int_equal(s->cp[0x8C], 0x152);  /* Œ */
	assert_int_equal(s->cp[0x8A], 0x160);  /* Š */
	assert_int_equal(hd_fontset_encode(fs, HD_ITALIC, t, strlen(t), collect, &r), HD_OK);
	assert_int_equal(r.n, 1);
	runs_text(fs, &r, back, sizeof(back));
	assert_string_equal(back, t);
	hd_fontset_free(fs);
}

static void test_two_slices(void **state)
{
	char text[2048];
	size_t o = 0, n = 0, i;
	hd_fontset *fs;
	runs r = { 0 };
	char *back = malloc(4096);

	assert_non_null(back);
	o += hd_utf8_encode('x', text + o);
	/* 300 Greek and Cyrillic letters DejaVu has. */
	for (uint32_t cp = 0x391; n < 300 && cp < 0x530; cp++) {
		if (hd_fonts_width(fonts, HD_BOLD, cp) < 0)
			continue;
		o += hd_utf8_encode(cp, text + o);
		n++;
	}
	assert_int_equal(n, 300);
	text[o] = '\0';
	fs = make_set(HD_BOLD, text);
	/* 'x' at its code and 214 letters fill the first slice; 86 go on. */
	assert_int_equal(hd_fontset_count(fs), 2);
	for (i = 0; i < 2; i++) {
		const hd_slice *s = hd_fontset_slice(fs, i);
		size_t used = 0;
		assert_int_equal(s->index, i);
		assert_int_equal(s->style, HD_BOLD);
		for (unsigned b = 0; b < 256; b++) {
			used += s->cp[b] != 0;
			if (s->cp[b])
				assert_int_not_equal(hd_winansi_unicode(b), 0);
		}
		assert_int_equal(used, i == 0 ? 216 : 87);
	}
	assert_string_equal(hd_fontset_slice(fs, 0)->tag, "HDBAAA");
	assert_string_equal(hd_fontset_slice(fs, 1)->tag, "HDBAAB");
	assert_int_equal(hd_fontset_slice(fs, 0)->cp['x'], 'x');
	assert_int_equal(hd_fontset_encode(fs, HD_BOLD, text, o, collect, &r), HD_OK);
	assert_true(r.n >= 2);
	for (i = 1; i < r.n; i++)
		assert_int_not_equal(r.slice[i], r.slice[i - 1]);
	runs_text(fs, &r, back, 4096);
	assert_string_equal(back, text);
	free(back);
	hd_fontset_free(fs);
}

static void test_encode_spaces(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_fontset *fs = NULL;
	runs r = { 0 };

	assert_int_equal(hd_fontset_new(&fs, fonts), HD_OK);
	assert_int_equal(hd_fontset_add(fs, HD_REGULAR, " \xCE\xA8 ", 4, &d), HD_OK);
	assert_int_equal(hd_fontset_add(fs, HD_BOLD, "   ", 3, &d), HD_OK);
	assert_int_equal(hd_fontset_finish(fs, &d), HD_OK);
	/* Regular: Ψ at the first free code; bold: a slice for its spaces. */
	assert_int_equal(hd_fontset_count(fs), 2);
	assert_int_equal(hd_fontset_slice(fs, 0)->style, HD_REGULAR);
	assert_int_equal(hd_fontset_slice(fs, 0)->cp[0x21], 0x3A8);
	assert_int_equal(hd_fontset_slice(fs, 1)->style, HD_BOLD);
	assert_int_equal(hd_fontset_slice(fs, 1)->cp[0x20], 0x20);
	assert_int_equal(hd_fontset_encode(fs, HD_REGULAR, " \xCE\xA8 ", 4, collect, &r), HD_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.slice[0], 0);
	assert_memory_equal(r.bytes[0], " \x21 ", 3);
	memset(&r, 0, sizeof(r));
	assert_int_equal(hd_fontset_encode(fs, HD_BOLD, "  ", 2, collect, &r), HD_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.slice[0], 1);
	memset(&r, 0, sizeof(r));
	assert_int_equal(hd_fontset_encode(fs, HD_BOLD, "", 0, collect, &r), HD_OK);
	assert_int_equal(r.n, 0);
	/* Not recorded: */
	assert_int_equal(hd_fontset_encode(fs, HD_ITALIC, "a", 1, collect, &r), HD_EINVAL);
	assert_int_equal(hd_fontset_encode(fs, HD_REGULAR, "x", 1, collect, &r), HD_EINVAL);
	hd_fontset_free(fs);
	hd_diags_free(&d);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t sum32(const unsigned char *p, size_t len)
{
	uint32_t s = 0;
	unsigned char last[4] = { 0 };
	size_t i;
	for (i = 0; i + 4 <= len; i += 4)
		s += be32(p + i);
	if (i < len) {
		memcpy(last, p + i, len - i);
		s += be32(last);
	}
	return s;
}

/* The file is a valid sfnt: the 13 tables libharu needs, sorted, checksums
 * right; HarfBuzz maps every used byte's WinAnsi value to a glyph of the
 * right advance; names libharu reads exist; embedding is allowed. */
static void check_ttf(const hd_slice *s)
{
	const unsigned char *p = s->ttf;
	unsigned ntables, i, b;
	hb_blob_t *blob;
	hb_face_t *face;
	hb_font_t *font;
	unsigned upem;
	char name[128];
	unsigned name_len;

	assert_non_null(p);
	assert_true(s->ttf_len > 12);
	assert_int_equal(be32(p), 0x00010000);
	ntables = (unsigned)p[4] << 8 | p[5];
	assert_int_equal(ntables, 13);
	for (i = 0; i < ntables; i++) {
		const unsigned char *rec = p + 12 + 16 * i;
		uint32_t off = be32(rec + 8), len = be32(rec + 12), sum;
		assert_true(off % 4 == 0 && off + len <= s->ttf_len);
		if (i)
			assert_true(memcmp(rec - 16, rec, 4) < 0);
		if (!memcmp(rec, "head", 4)) {
			unsigned char head[54];
			assert_int_equal(len, 54);
			memcpy(head, p + off, 54);
			memset(head + 8, 0, 4);
			sum = sum32(head, 54);
		} else {
			sum = sum32(p + off, len);
		}
		assert_int_equal(sum, be32(rec + 4));
	}
	assert_int_equal(sum32(p, s->ttf_len), 0xB1B0AFBAu);

	blob = hb_blob_create((const char *)p, (unsigned)s->ttf_len, HB_MEMORY_MODE_READONLY, NULL,
	                      NULL);
	face = hb_face_create(blob, 0);
	font = hb_font_create(face);
	upem = hb_face_get_upem(face);
	hb_font_set_scale(font, (int)upem, (int)upem);
	assert_int_equal(upem, 2048);
	for (b = 0; b < 256; b++) {
		hb_codepoint_t gid = 0;
		if (!s->cp[b])
			continue;
		assert_true(hb_font_get_nominal_glyph(font, hd_winansi_unicode(b), &gid));
		assert_int_not_equal(gid, 0);
		assert_int_equal((int)((unsigned)hb_font_get_glyph_h_advance(font, gid) * 1000u / upem),
		                 hd_fonts_width(fonts, s->style, s->cp[b]));
	}
	name_len = sizeof(name);
	assert_true(hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
	                                hb_language_from_string("en", -1), &name_len, name) > 0);
	assert_int_equal(strncmp(name, "DejaVuSans", 10), 0);
	name_len = sizeof(name);
	assert_true(hb_ot_name_get_utf8(face, HB_OT_NAME_ID_FONT_SUBFAMILY,
	                                hb_language_from_string("en", -1), &name_len, name) > 0);
	{
		hb_blob_t *os2 = hb_face_reference_table(face, HB_TAG('O', 'S', '/', '2'));
		unsigned len = 0;
		const unsigned char *t = (const unsigned char *)hb_blob_get_data(os2, &len);
		assert_true(len >= 10);
		assert_int_equal(((unsigned)t[8] << 8 | t[9]) & 0x0302, 0); /* fsType */
		hb_blob_destroy(os2);
	}
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
}

static void test_ttf_files(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_fontset *fs = NULL;
	size_t i;

	assert_int_equal(hd_fontset_new(&fs, fonts), HD_OK);
	for (unsigned st = 0; st < HD_NSTYLES; st++)
		assert_int_equal(hd_fontset_add(fs, st, NAME, strlen(NAME), &d), HD_OK);
	assert_int_equal(hd_fontset_finish(fs, &d), HD_OK);
	assert_int_equal(hd_fontset_count(fs), 4); /* one slice per style */
	for (i = 0; i < hd_fontset_count(fs); i++) {
		const hd_slice *s = hd_fontset_slice(fs, i);
		print_message("slice %s: %zu bytes\n", s->tag, s->ttf_len);
		check_ttf(s);
	}
	hd_fontset_free(fs);
	hd_diags_free(&d);
}

static void test_deterministic(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_fonts *other = NULL;
	hd_fontset *a, *b = NULL;

	a = make_set(HD_REGULAR, NAME);
	assert_int_equal(hd_fonts_open(&other, NULL, &d), HD_OK);
	assert_int_equal(hd_fontset_new(&b, other), HD_OK);
	assert_int_equal(hd_fontset_add(b, HD_REGULAR, NAME, strlen(NAME), &d), HD_OK);
	assert_int_equal(hd_fontset_finish(b, &d), HD_OK);
	assert_int_equal(hd_fontset_count(a), hd_fontset_count(b));
	for (size_t i = 0; i < hd_fontset_count(a); i++) {
		const hd_slice *x = hd_fontset_slice(a, i), *y = hd_fontset_slice(b, i);
		assert_string_equal(x->tag, y->tag);
		assert_memory_equal(x->cp, y->cp, sizeof(x->cp));
		assert_int_equal(x->ttf_len, y->ttf_len);
		assert_memory_equal(x->ttf, y->ttf, x->ttf_len);
	}
	hd_fontset_free(a);
	hd_fontset_free(b);
	hd_fonts_free(other);
	hd_diags_free(&d);
}

/* Reads a ToUnicode CMap back: every bfchar and bfrange entry into map[]. */
static void parse_cmap(const char *p, uint32_t map[256])
{
	memset(map, 0, 256 * sizeof(map[0]));
	p = strstr(p, "endcodespacerange"); /* entries follow the code space */
	assert_non_null(p);
	while ((p = strchr(p, '<')) != NULL) {
		unsigned lo, hi, dst;
		int n = 0;
		if (sscanf(p, "<%2X> <%2X> <%4X>%n", &lo, &hi, &dst, &n) == 3 && n > 0) {
			for (unsigned b = lo; b <= hi; b++)
				map[b] = dst + (b - lo);
			p += n;
		} else if (sscanf(p, "<%2X> <%4X>%n", &lo, &dst, &n) == 2 && n > 0) {
			map[lo] = dst;
			p += n;
		} else {
			p++;
		}
	}
}

static void test_tounicode(void **state)
{
	char text[1200];
	size_t o = 0, n = 0;
	hd_fontset *fs;
	hd_buf buf = HD_BUF_INIT;
	uint32_t map[256];
	const hd_slice *sl;

	for (uint32_t cp = 0x410; n < 215; cp++) { /* Cyrillic, then beyond */
		if (hd_fonts_width(fonts, HD_REGULAR, cp) < 0)
			continue;
		o += hd_utf8_encode(cp, text + o);
		n++;
	}
	text[o] = '\0';
	fs = make_set(HD_REGULAR, text);
	assert_int_equal(hd_fontset_count(fs), 1);
	sl = hd_fontset_slice(fs, 0);
	assert_int_equal(hd_slice_tounicode(sl, &buf), HD_OK);
	assert_non_null(strstr(buf.data, "/CIDInit /ProcSet findresource begin\n"));
	assert_non_null(strstr(buf.data, "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"));
	/* Consecutive codes showing consecutive characters are one range:
	 * 0x21..0x7E show U+0410 onwards. */
	assert_non_null(strstr(buf.data, "<21> <7E> <0410>\n"));
	assert_non_null(strstr(buf.data, "endcmap\n"));
	assert_non_null(strstr(buf.data, "defineresource pop\nend\nend\n"));
	/* Read back, the map gives exactly the slice's code points. */
	parse_cmap(buf.data, map);
	for (unsigned b = 0; b < 256; b++)
		assert_int_equal(map[b], sl->cp[b]);
	hd_buf_free(&buf);
	hd_fontset_free(fs);
	/* A scattered set needs single entries, and ranges never cross a
	 * 256-block of the destination. */
	fs = make_set(HD_BOLD, "\xC3\xBE\xC4\x80\xC4\x81 az"); /* þĀā az */
	sl = hd_fontset_slice(fs, 0);
	assert_int_equal(hd_slice_tounicode(sl, &buf), HD_OK);
	parse_cmap(buf.data, map);
	for (unsigned b = 0; b < 256; b++)
		assert_int_equal(map[b], sl->cp[b]);
	assert_non_null(strstr(buf.data, "beginbfchar\n"));
	hd_buf_free(&buf);
	hd_fontset_free(fs);
}

static void test_winansi_codes(void **state)
{
	unsigned usable = 0;
	for (unsigned b = 0; b < 256; b++)
		usable += hd_winansi_unicode(b) != 0;
	assert_int_equal(usable, 216);
	assert_int_equal(hd_winansi_unicode(0x20), 0x20);
	assert_int_equal(hd_winansi_unicode(0x80), 0x20AC);
	assert_int_equal(hd_winansi_unicode(0x81), 0);
	assert_int_equal(hd_winansi_unicode(0xA0), 0);
	assert_int_equal(hd_winansi_unicode(0xAD), 0);
	assert_int_equal(hd_winansi_unicode(0x7F), 0);
	assert_int_equal(hd_winansi_unicode(0x1F), 0);
	assert_int_equal(hd_winansi_unicode(0xFF), 0xFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_missing_font_dir),
		cmocka_unit_test(test_missing_glyph),
		cmocka_unit_test(test_slice_assignment),
		cmocka_unit_test(test_european_one_slice),
		cmocka_unit_test(test_two_slices),
		cmocka_unit_test(test_encode_spaces),
		cmocka_unit_test(test_ttf_files),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_tounicode),
		cmocka_unit_test(test_winansi_codes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
