/*
 * naive: the same page drawn the way every libharu user starts: a new
 * document per sheet, UTF-8 encodings, the DejaVu TrueType files loaded and
 * embedded per document, HPDF_Page_ShowText per run. It reads the page from a
 * layout dump (handout render --dump), so both programs draw the same text
 * at the same places. Prints ms per sheet and bytes per PDF.
 *
 * usage: naive DUMP_FILE [N]
 */
#define _GNU_SOURCE
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct item {
	double x, y, size;
	int style;
	char *text;
} item;

static void on_error(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
	(void)u;
	fprintf(stderr, "naive: libharu error 0x%04X (%u)\n", (unsigned)e, (unsigned)d);
	exit(1);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	static const char *const files[4] = {
		"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
		"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
		"/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf",
		"/usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf",
	};
	FILE *f;
	char line[8192];
	item *items = NULL;
	size_t n = 0, cap = 0, i;
	double w = 595.28, h = 841.89, t0;
	int iters = argc > 2 ? atoi(argv[2]) : 200, k;
	HPDF_UINT32 bytes = 0;
	struct rusage ru;

	if (argc < 2 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: naive DUMP_FILE [N]\n");
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		item it;
		char font;
		int off = 0;
		if (sscanf(line, "layout pages=%*d size=%lfx%lf", &w, &h) == 2)
			continue;
		if (sscanf(line, "  text x=%lf y=%lf font=%c size=%lf ws=%*f %n", &it.x, &it.y, &font,
		           &it.size, &off) < 4 || !off)
			continue;
		{
			char *s = line + off + 1, *e = strrchr(s, '"'), *o;
			if (!e)
				continue;
			*e = '\0';
			it.text = o = strdup(s);
			for (; *s; s++) { /* undo the dump's escapes */
				if (*s == '\\' && s[1])
					s++;
				*o++ = *s;
			}
			*o = '\0';
		}
		it.style = font == 'B' ? 1 : font == 'I' ? 2 : font == 'Z' ? 3 : 0;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			items = realloc(items, cap * sizeof(*items));
		}
		items[n++] = it;
	}
	fclose(f);

	t0 = now_ms();
	for (k = 0; k < iters; k++) {
		HPDF_Doc pdf = HPDF_New(on_error, NULL);
		HPDF_Font fonts[4];
		HPDF_Page page;
		HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
		HPDF_UseUTFEncodings(pdf);
		HPDF_SetCurrentEncoder(pdf, "UTF-8");
		for (i = 0; i < 4; i++)
			fonts[i] = HPDF_GetFont(pdf, HPDF_LoadTTFontFromFile(pdf, files[i], HPDF_TRUE),
			                        "UTF-8");
		page = HPDF_AddPage(pdf);
		HPDF_Page_SetWidth(page, (HPDF_REAL)w);
		HPDF_Page_SetHeight(page, (HPDF_REAL)h);
		for (i = 0; i < n; i++) {
			HPDF_Page_BeginText(page);
			HPDF_Page_SetFontAndSize(page, fonts[items[i].style], (HPDF_REAL)items[i].size);
			HPDF_Page_TextOut(page, (HPDF_REAL)items[i].x, (HPDF_REAL)items[i].y, items[i].text);
			HPDF_Page_EndText(page);
		}
		HPDF_SaveToStream(pdf);
		bytes = HPDF_GetStreamSize(pdf);
		if (k == 0 && argc > 3) {
			HPDF_SaveToFile(pdf, argv[3]);
		}
		HPDF_Free(pdf);
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("naive_ms_per_sheet %.3f\n", (now_ms() - t0) / iters);
	printf("naive_bytes_per_pdf %u\n", (unsigned)bytes);
	printf("naive_peak_rss_kb %ld\n", ru.ru_maxrss);
	for (i = 0; i < n; i++)
		free(items[i].text);
	free(items);
	return 0;
}
