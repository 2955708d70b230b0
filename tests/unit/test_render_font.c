/*
 * render_font.c: slices in a real libharu document. The PDF is checked with
 * poppler (pdftotext: exact text, no warnings; pdffonts: every font
 * embedded) and qpdf --check; those checks are skipped with a message when
 * the tool is not installed. Also prints the cost of a one-line document.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <hpdf.h>

#include "fonts.h"
#include "render_font.h"

#ifndef HD_TEST_TMP
#error "compile with -DHD_TEST_TMP=\"<folder>\""
#endif

#define LINE1 "Zoë Łukasiewicz, Ærøskøbing, Núñez, Ψυχή, Юлия, “quotes” – dashes …"
#define LINE2 "Bold: Ψυχή Œuvre"

static hd_fonts *fonts;

typedef struct haru_err {
	HPDF_STATUS code, detail;
	int count;
} haru_err;

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	haru_err *e = data;
	if (!e->count++) {
		e->code = code;
		e->detail = detail;
	}
}

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

/* Drawing context for hd_fontset_encode runs. */
typedef struct draw {
	HPDF_Page page;
	HPDF_Font *fonts;
	double size;
} draw;

static int show_run(void *ctx, size_t slice, const char *bytes, size_t n)
{
	draw *c = ctx;
	char buf[512];

	if (n >= sizeof(buf))
		return HD_EINVAL;
	memcpy(buf, bytes, n);
	buf[n] = '\0';
	if (HPDF_Page_SetFontAndSize(c->page, c->fonts[slice], (HPDF_REAL)c->size) != HPDF_OK ||
	    HPDF_Page_ShowText(c->page, buf) != HPDF_OK)
		return HD_EPDF;
	return HD_OK;
}

/* Builds the test fontset: LINE1 in regular, LINE2 in bold. */
static hd_fontset *make_set(void)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_fontset *fs = NULL;

	assert_int_equal(hd_fontset_new(&fs, fonts), HD_OK);
	assert_int_equal(hd_fontset_add(fs, HD_REGULAR, LINE1, strlen(LINE1), &d), HD_OK);
	assert_int_equal(hd_fontset_add(fs, HD_BOLD, LINE2, strlen(LINE2), &d), HD_OK);
	assert_int_equal(hd_fontset_finish(fs, &d), HD_OK);
	hd_diags_free(&d);
	return fs;
}

/* Loads every slice of fs into pdf and draws line1 (regular) and line2
 * (bold) on a new page. Returns HD_OK or the first failure. */
static int draw_doc(HPDF_Doc pdf, const hd_fontset *fs, const char *line1, const char *line2,
                    hd_diags *d)
{
	HPDF_Font pfonts[16];
	HPDF_Page page;
	draw c;
	size_t i, n = hd_fontset_count(fs);
	int rc;

	if (n > 16)
		return HD_EINVAL;
	for (i = 0; i < n; i++) {
		rc = hd_pdf_load_slice(pdf, hd_fontset_slice(fs, i), &pfonts[i], d);
		if (rc)
			return rc;
	}
	page = HPDF_AddPage(pdf);
	HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	c.page = page;
	c.fonts = pfonts;
	c.size = 11;
	HPDF_Page_BeginText(page);
	HPDF_Page_MoveTextPos(page, 56, 760);
	rc = hd_fontset_encode(fs, HD_REGULAR, line1, strlen(line1), show_run, &c);
	if (!rc) {
		HPDF_Page_MoveTextPos(page, 0, -16);
		rc = hd_fontset_encode(fs, HD_BOLD, line2, strlen(line2), show_run, &c);
	}
	HPDF_Page_EndText(page);
	return rc;
}

/* Runs cmd through sh; stores its standard output (at most size-1 bytes) and
 * returns its exit status, or -1 when it could not run. */
static int run(const char *cmd, char *out, size_t size)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0;
	int st;

	out[0] = '\0';
	if (!p)
		return -1;
	while (n + 1 < size) {
		size_t got = fread(out + n, 1, size - 1 - n, p);
		if (!got)
			break;
		n += got;
	}
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int have_tool(const char *name)
{
	char cmd[128], out[256];
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	if (run(cmd, out, sizeof(out)) == 0)
		return 1;
	print_message("SKIPPED: %s is not installed; its check of the PDF is skipped\n", name);
	return 0;
}

/* Checks a saved PDF with poppler and qpdf. */
static void check_pdf(const char *path)
{
	char cmd[1024], out[8192], err[2048];
	FILE *f;
	size_t n;

	if (have_tool("pdftotext")) {
		snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' - 2>'%s.err'", path, path);
		assert_int_equal(run(cmd, out, sizeof(out)), 0);
		assert_string_equal(out, LINE1 "\n" LINE2 "\n\n\f");
		snprintf(cmd, sizeof(cmd), "%s.err", path);
		f = fopen(cmd, "rb");
		assert_non_null(f);
		n = fread(err, 1, sizeof(err) - 1, f);
		err[n] = '\0';
		fclose(f);
		remove(cmd);
		assert_string_equal(err, ""); /* no "Syntax Warning" */
	}
	if (have_tool("qpdf")) {
		snprintf(cmd, sizeof(cmd), "qpdf --check '%s' 2>&1", path);
		assert_int_equal(run(cmd, out, sizeof(out)), 0);
	}
	if (have_tool("pdffonts")) {
		char *line;
		int fonts_seen = 0;
		snprintf(cmd, sizeof(cmd), "pdffonts '%s' 2>&1", path);
		assert_int_equal(run(cmd, out, sizeof(out)), 0);
		/* name, type, encoding, emb, sub, uni, object id */
		for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
			char name[128], type[32], enc[32], emb[8], sub[8], uni[8];
			if (strncmp(line, "HD", 2))
				continue;
			assert_int_equal(sscanf(line, "%127s %31s %31s %7s %7s %7s", name, type, enc,
			                        emb, sub, uni), 6);
			assert_string_equal(type, "TrueType");
			assert_string_equal(enc, "WinAnsi");
			assert_string_equal(emb, "yes");
			assert_string_equal(uni, "yes");
			fonts_seen++;
		}
		assert_int_equal(fonts_seen, 2);
	}
}

static void test_winansi_matches_libharu(void **state)
{
	haru_err e = { 0 };
	HPDF_Doc pdf = HPDF_New(on_error, &e);
	HPDF_Encoder enc;
	unsigned b, usable = 0;

	assert_non_null(pdf);
	enc = HPDF_GetEncoder(pdf, "WinAnsiEncoding");
	assert_non_null(enc);
	for (b = 0; b < 256; b++) {
		uint32_t u = hd_winansi_unicode(b);
		if (!u)
			continue;
		usable++;
		assert_int_equal(HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)b), u);
	}
	assert_int_equal(usable, 216);
	assert_int_equal(e.count, 0);
	HPDF_Free(pdf);
}

static void test_pdf_text_roundtrip(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	haru_err e = { 0 };
	hd_fontset *fs = make_set();
	HPDF_Doc pdf = HPDF_New(on_error, &e);
	const char *path = HD_TEST_TMP "/test_render_font.pdf";
	HPDF_Font again;

	assert_int_equal(hd_fontset_count(fs), 2); /* one slice per style */
	assert_non_null(pdf);
	assert_int_equal(HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL), HPDF_OK);
	assert_int_equal(draw_doc(pdf, fs, LINE1, LINE2, &d), HD_OK);
	/* Loading a slice again in the same document gives the same font. */
	assert_int_equal(hd_pdf_load_slice(pdf, hd_fontset_slice(fs, 0), &again, &d), HD_OK);
	assert_int_equal(strncmp(HPDF_Font_GetFontName(again), "HDAAAA+DejaVuSans", 17), 0);
	assert_true(again == HPDF_GetFont(pdf, HPDF_Font_GetFontName(again), "WinAnsiEncoding"));
	assert_int_equal(HPDF_SaveToFile(pdf, path), HPDF_OK);
	assert_int_equal(e.count, 0);
	assert_int_equal(d.count, 0);
	HPDF_Free(pdf);
	check_pdf(path);
	hd_fontset_free(fs);
	hd_diags_free(&d);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One document from scratch: fontset, libharu document, save to memory.
 * Returns the PDF size. */
static size_t one_doc(const char *line1, const char *line2)
{
	hd_diags d = HD_DIAGS_INIT;
	haru_err e = { 0 };
	hd_fontset *fs = NULL;
	HPDF_Doc pdf;
	HPDF_UINT32 size;

	assert_int_equal(hd_fontset_new(&fs, fonts), HD_OK);
	assert_int_equal(hd_fontset_add(fs, HD_REGULAR, line1, strlen(line1), &d), HD_OK);
	assert_int_equal(hd_fontset_add(fs, HD_BOLD, line2, strlen(line2), &d), HD_OK);
	assert_int_equal(hd_fontset_finish(fs, &d), HD_OK);
	pdf = HPDF_New(on_error, &e);
	assert_non_null(pdf);
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	assert_int_equal(draw_doc(pdf, fs, line1, line2, &d), HD_OK);
	assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
	size = HPDF_GetStreamSize(pdf);
	assert_int_equal(e.count, 0);
	HPDF_Free(pdf);
	hd_fontset_free(fs);
	hd_diags_free(&d);
	return size;
}

static void test_cost(void **state)
{
	enum { N = 1000 };
	static const char latin1[] = "Zoë Łukasiewicz, Ærøskøbing, Núñez, “quotes” – dashes …";
	static const char latin2[] = "Bold: Œuvre";
	double t0, t1;
	size_t size = 0, size_base = 0;
	int i;

	t0 = now();
	for (i = 0; i < N; i++)
		size = one_doc(LINE1, LINE2);
	t1 = now();
	print_message("cost: %.3f ms per one-page document, 2 slices (2 styles, with Greek and "
	              "Cyrillic), %zu bytes\n", (t1 - t0) * 1000.0 / N, size);
	t0 = now();
	for (i = 0; i < N; i++)
		size_base = one_doc(latin1, latin2);
	t1 = now();
	print_message("cost: %.3f ms per one-page document, 2 slices, Latin only, %zu bytes\n",
	              (t1 - t0) * 1000.0 / N, size_base);
	assert_true(size > 0 && size_base > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_winansi_matches_libharu),
		cmocka_unit_test(test_pdf_text_roundtrip),
		cmocka_unit_test(test_cost),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
