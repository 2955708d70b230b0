#include "render.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_utils.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "render_font.h"

/* ----- logo ----------------------------------------------------------------------- */

/* Builds a palette of at most 256 colours and the index of every pixel.
 * Returns 1 when the image fits in a palette, 0 when it has more colours. */
static int make_palette(const hd_image *img, unsigned char *pal, unsigned *ncolors,
                        unsigned char *idx)
{
	/* Open addressing on 24-bit colours: 1024 slots for <= 256 colours. */
	uint32_t keys[1024];
	unsigned char vals[1024];
	unsigned char used[1024];
	size_t i, n = (size_t)img->width * img->height;
	unsigned count = 0;

	memset(used, 0, sizeof(used));
	for (i = 0; i < n; i++) {
		const unsigned char *p = img->pixels + i * img->channels;
		uint32_t key = img->channels == 3 ? (uint32_t)p[0] << 16 | p[1] << 8 | p[2] : p[0];
		unsigned h = (key * 2654435761u) >> 22;
		while (used[h] && keys[h] != key)
			h = (h + 1) & 1023;
		if (!used[h]) {
			if (count == 256)
				return 0;
			used[h] = 1;
			keys[h] = key;
			vals[h] = (unsigned char)count;
			memcpy(pal + count * img->channels, p, img->channels);
			count++;
		}
		idx[i] = vals[h];
	}
	*ncolors = count;
	return 1;
}

int hd_logo_prepare(hd_logo *out, const hd_image *img, hd_diags *d)
{
	size_t npix = (size_t)img->width * img->height;
	size_t raw = npix * img->channels;
	const unsigned char *samples = img->pixels;
	unsigned char *idx = NULL;
	uLongf cap;

	memset(out, 0, sizeof(out[0]));
	if (img->idat && img->npalette) {
		/* The PNG's own zlib stream: nothing to compress. */
		out->data = malloc(img->idat_len);
		out->palette = malloc(img->npalette * 3);
		if (!out->data || !out->palette)
			goto nomem;
		memcpy(out->data, img->idat, img->idat_len);
		memcpy(out->palette, img->palette, img->npalette * 3);
		out->len = img->idat_len;
		out->ncolors = img->npalette;
		out->width = img->width;
		out->height = img->height;
		out->channels = 3;
		out->png_rows = 1;
		return HD_OK;
	}
	out->palette = malloc(256 * 3);
	idx = malloc(npix ? npix : 1);
	if (!out->palette || !idx)
		goto nomem;
	if (make_palette(img, out->palette, &out->ncolors, idx)) {
		samples = idx;
		raw = npix;
	} else {
		free(out->palette);
		out->palette = NULL;
	}
	cap = compressBound((uLong)raw);
	out->data = malloc(cap);
	if (!out->data)
		goto nomem;
	/* Once per batch, so the best compression is worth its time. */
	if (compress2(out->data, &cap, samples, (uLong)raw, Z_BEST_COMPRESSION) != Z_OK)
		goto nomem;
	out->len = cap;
	out->width = img->width;
	out->height = img->height;
	out->channels = img->channels;
	free(idx);
	return HD_OK;
nomem:
	free(idx);
	hd_logo_free(out);
	hd_error_at(d, NULL, 0, 0, NULL, "out of memory while preparing the logo");
	return HD_ENOMEM;
}

void hd_logo_free(hd_logo *logo)
{
	if (!logo)
		return;
	free(logo->data);
	free(logo->palette);
	memset(logo, 0, sizeof(*logo));
}

/* ----- libharu errors --------------------------------------------------------------
 * libharu calls this and carries on; errors are sticky, so we note the first and
 * check after each stage. We never longjmp out of libharu. */
typedef struct pdf_err {
	HPDF_STATUS code;
	HPDF_STATUS detail;
} pdf_err;

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	pdf_err *e = user;
	if (!e->code) {
		e->code = code;
		e->detail = detail;
	}
}

/* Sets dict[key] to a PDF text string: UTF-16BE with a byte order mark, as
 * hex (libharu would write UTF-8 bytes, which readers take as PDFDocEncoding). */
static HPDF_STATUS text_string(HPDF_Doc pdf, HPDF_Dict dict, const char *key, const char *utf8)
{
	size_t n = strlen(utf8), i = 0, o = 2;
	HPDF_BYTE *buf;
	HPDF_Binary bin;
	HPDF_STATUS r;

	buf = malloc(2 + n * 4 + 4);
	if (!buf)
		return HPDF_FAILD_TO_ALLOC_MEM;
	buf[0] = 0xFE;
	buf[1] = 0xFF;
	while (i < n) {
		uint32_t cp;
		size_t k = hd_utf8_decode(utf8 + i, n - i, &cp);
		if (!k) {
			cp = 0xFFFD;
			k = 1;
		}
		i += k;
		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000;
			uint16_t hi = (uint16_t)(0xD800 | (v >> 10)), lo = (uint16_t)(0xDC00 | (v & 0x3FF));
			buf[o++] = (HPDF_BYTE)(hi >> 8);
			buf[o++] = (HPDF_BYTE)hi;
			buf[o++] = (HPDF_BYTE)(lo >> 8);
			buf[o++] = (HPDF_BYTE)lo;
		} else {
			buf[o++] = (HPDF_BYTE)(cp >> 8);
			buf[o++] = (HPDF_BYTE)cp;
		}
	}
	bin = HPDF_Binary_New(pdf->mmgr, buf, (HPDF_UINT)o);
	free(buf);
	if (!bin)
		return HPDF_FAILD_TO_ALLOC_MEM;
	r = HPDF_Dict_Add(dict, key, bin);
	return r;
}

static HPDF_STATUS set_info(HPDF_Doc pdf, const hd_pdf_meta *meta)
{
	HPDF_Date date;
	struct tm tm;
	time_t t = (time_t)meta->epoch;
	HPDF_STATUS r = 0;

	/* An ASCII attribute first: it makes libharu create the Info dictionary. */
	r |= HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "handout " HD_VERSION_STRING);
	if (r || !pdf->info)
		return r ? r : HPDF_INVALID_OBJECT;
	if (meta->title)
		r |= text_string(pdf, pdf->info, "Title", meta->title);
	if (meta->author)
		r |= text_string(pdf, pdf->info, "Author", meta->author);
	if (meta->subject)
		r |= text_string(pdf, pdf->info, "Subject", meta->subject);
	if (meta->keywords)
		r |= text_string(pdf, pdf->info, "Keywords", meta->keywords);
	if (meta->epoch < HD_MIN_EPOCH || meta->epoch > HD_MAX_EPOCH || !gmtime_r(&t, &tm))
		return HPDF_INVALID_DATE_TIME; /* the loader and the CLI refuse such dates first */
	memset(&date, 0, sizeof(date));
	date.year = tm.tm_year + 1900;
	date.month = tm.tm_mon + 1;
	date.day = tm.tm_mday;
	date.hour = tm.tm_hour;
	date.minutes = tm.tm_min;
	date.seconds = tm.tm_sec;
	date.ind = 'Z';
	r |= HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
	r |= HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
	return r;
}

/* libharu drops a /Filter entry from a stream whose own filter is "none"
 * (HPDF_Dict_Write), but calls write_fn while writing the dictionary: that is
 * where the pre-deflated logo declares its filter. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* The logo as an image XObject whose samples are already deflated, so a batch
 * compresses it once: libharu writes the stream as is (filter none). */
static HPDF_Image logo_xobject(HPDF_Doc pdf, const hd_logo *logo)
{
	HPDF_Dict img = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	HPDF_STATUS r = 0;

	if (!img)
		return NULL;
	img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
	img->filter = HPDF_STREAM_FILTER_NONE;
	r |= HPDF_Dict_AddName(img, "Type", "XObject");
	r |= HPDF_Dict_AddName(img, "Subtype", "Image");
	r |= HPDF_Dict_AddNumber(img, "Width", (HPDF_INT32)logo->width);
	r |= HPDF_Dict_AddNumber(img, "Height", (HPDF_INT32)logo->height);
	if (logo->palette) {
		/* [/Indexed /DeviceRGB hival lookup], the lookup table in a
		 * compressed stream (as a hex string it would take 1.5 KB). */
		HPDF_Array cs = HPDF_Array_New(pdf->mmgr);
		HPDF_Dict lookup = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
		if (!cs || !lookup)
			return NULL;
		lookup->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
		r |= HPDF_Stream_Write(lookup->stream, logo->palette, logo->ncolors * logo->channels);
		r |= HPDF_Array_AddName(cs, "Indexed");
		r |= HPDF_Array_AddName(cs, logo->channels == 1 ? "DeviceGray" : "DeviceRGB");
		r |= HPDF_Array_AddNumber(cs, (HPDF_INT32)logo->ncolors - 1);
		r |= HPDF_Array_Add(cs, lookup);
		r |= HPDF_Dict_Add(img, "ColorSpace", cs);
	} else {
		r |= HPDF_Dict_AddName(img, "ColorSpace",
		                       logo->channels == 1 ? "DeviceGray" : "DeviceRGB");
	}
	r |= HPDF_Dict_AddNumber(img, "BitsPerComponent", 8);
	if (logo->png_rows) {
		/* << /Predictor 15 /Colors 1 /BitsPerComponent 8 /Columns W >>: each
		 * row starts with its PNG filter byte. */
		HPDF_Dict parms = HPDF_Dict_New(pdf->mmgr);
		if (!parms)
			return NULL;
		r |= HPDF_Dict_AddNumber(parms, "Predictor", 15);
		r |= HPDF_Dict_AddNumber(parms, "Colors", 1);
		r |= HPDF_Dict_AddNumber(parms, "BitsPerComponent", 8);
		r |= HPDF_Dict_AddNumber(parms, "Columns", (HPDF_INT32)logo->width);
		r |= HPDF_Dict_Add(img, "DecodeParms", parms);
	}
	img->write_fn = write_flate_filter;
	r |= HPDF_Stream_Write(img->stream, logo->data, (HPDF_UINT)logo->len);
	return r ? NULL : (HPDF_Image)img;
}

/* Bookmarks: each entry under the last one of a lower level, opened at the
 * top level, jumping to the top of its heading. */
static HPDF_STATUS add_outline(HPDF_Doc pdf, const hd_pdf_meta *meta, size_t npages,
                               HPDF_Page *pages)
{
	HPDF_Outline parents[8];
	size_t i;
	HPDF_STATUS r = 0;
	int k;

	for (k = 0; k < 8; k++)
		parents[k] = NULL;
	for (i = 0; i < meta->noutline && !r; i++) {
		const hd_outline_entry *e = &meta->outline[i];
		int level = e->level < 1 ? 1 : e->level > 7 ? 7 : e->level;
		HPDF_Outline o, parent = NULL;
		HPDF_Destination dst;
		const hd_anchor_pos *pos;
		if (e->anchor <= 0 || (size_t)e->anchor >= meta->nanchors)
			continue;
		pos = &meta->anchors[e->anchor];
		if (pos->page < 1 || (size_t)pos->page > npages)
			continue;
		for (k = level - 1; k >= 1 && !parent; k--)
			parent = parents[k];
		o = HPDF_CreateOutline(pdf, parent, "", NULL);
		if (!o)
			return HPDF_FAILD_TO_ALLOC_MEM;
		r |= text_string(pdf, o, "Title", e->title);
		r |= HPDF_Outline_SetOpened(o, level == 1);
		dst = HPDF_Page_CreateDestination(pages[pos->page - 1]);
		if (!dst)
			return HPDF_FAILD_TO_ALLOC_MEM;
		/* Fit the width, the heading at the top (libharu 2.3.0 refuses an
		 * XYZ destination that keeps the zoom). */
		r |= HPDF_Destination_SetFitH(dst, (HPDF_REAL)(pos->y + 6.0));
		r |= HPDF_Outline_SetDestination(o, dst);
		parents[level] = o;
		for (k = level + 1; k < 8; k++)
			parents[k] = NULL;
	}
	if (!r && meta->noutline)
		r = HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	return r;
}

/* ----- drawing ------------------------------------------------------------------------- */

/* What the page's graphics state holds, so that an operator is written only
 * when it changes something (bytes per PDF count). */
typedef struct draw_ctx {
	HPDF_Page page;
	HPDF_Font *fonts;      /* one per slice */
	HPDF_Image *images;    /* the document's resource table */
	size_t nimages;
	HPDF_Font cur_font;
	double cur_size;
	double size;           /* size of the run being shown */
	hd_rgb fill, stroke;
	double line_width, word_space, dash;
	int round;               /* round caps and joins are set */
	char *tmp;             /* NUL-terminated copy of a run */
	size_t tmp_cap;
} draw_ctx;

static int show_run(void *vctx, size_t slice, const char *bytes, size_t n)
{
	draw_ctx *c = vctx;
	if (n + 1 > c->tmp_cap) {
		char *p = realloc(c->tmp, n + 1);
		if (!p)
			return HD_ENOMEM;
		c->tmp = p;
		c->tmp_cap = n + 1;
	}
	memcpy(c->tmp, bytes, n);
	c->tmp[n] = '\0';
	if (c->fonts[slice] != c->cur_font || c->size != c->cur_size) {
		HPDF_Page_SetFontAndSize(c->page, c->fonts[slice], (HPDF_REAL)c->size);
		c->cur_font = c->fonts[slice];
		c->cur_size = c->size;
	}
	HPDF_Page_ShowText(c->page, c->tmp);
	return HD_OK;
}

static int same_rgb(hd_rgb a, hd_rgb b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

static void set_fill(draw_ctx *c, hd_rgb col)
{
	if (same_rgb(c->fill, col))
		return;
	HPDF_Page_SetRGBFill(c->page, col.r / 255.0f, col.g / 255.0f, col.b / 255.0f);
	c->fill = col;
}

static void set_stroke(draw_ctx *c, hd_rgb col, double width, double dash)
{
	if (!same_rgb(c->stroke, col)) {
		HPDF_Page_SetRGBStroke(c->page, col.r / 255.0f, col.g / 255.0f, col.b / 255.0f);
		c->stroke = col;
	}
	if (width != c->line_width) {
		HPDF_Page_SetLineWidth(c->page, (HPDF_REAL)width);
		c->line_width = width;
	}
	if (dash != c->dash) {
		/* libharu takes whole points for a dash pattern */
		HPDF_UINT16 on = (HPDF_UINT16)(dash >= 1.0 ? dash + 0.5 : 1.0);
		HPDF_UINT16 ptn[1] = { on };
		HPDF_Page_SetDash(c->page, dash > 0 ? ptn : NULL, dash > 0 ? 1 : 0, 0);
		c->dash = dash;
	}
}

static void draw_path(draw_ctx *c, const hd_item *it)
{
	size_t k;

	if (it->paint & HD_PAINT_FILL)
		set_fill(c, it->color);
	if (it->paint & HD_PAINT_STROKE) {
		int round = (it->paint & HD_PAINT_ROUND) != 0;
		set_stroke(c, it->stroke_color, it->line_width, it->dash);
		if (round != c->round) {
			HPDF_Page_SetLineCap(c->page, round ? HPDF_ROUND_END : HPDF_BUTT_END);
			HPDF_Page_SetLineJoin(c->page, round ? HPDF_ROUND_JOIN : HPDF_MITER_JOIN);
			c->round = round;
		}
	}
	for (k = 0; k < it->nsegs; k++) {
		const double *p = it->segs[k].p;
		switch (it->segs[k].op) {
		case HD_PATH_MOVE:
			HPDF_Page_MoveTo(c->page, (HPDF_REAL)p[0], (HPDF_REAL)p[1]);
			break;
		case HD_PATH_LINE:
			HPDF_Page_LineTo(c->page, (HPDF_REAL)p[0], (HPDF_REAL)p[1]);
			break;
		case HD_PATH_CURVE:
			HPDF_Page_CurveTo(c->page, (HPDF_REAL)p[0], (HPDF_REAL)p[1], (HPDF_REAL)p[2],
			                  (HPDF_REAL)p[3], (HPDF_REAL)p[4], (HPDF_REAL)p[5]);
			break;
		case HD_PATH_RECT:
			HPDF_Page_Rectangle(c->page, (HPDF_REAL)p[0], (HPDF_REAL)p[1], (HPDF_REAL)p[2],
			                    (HPDF_REAL)p[3]);
			break;
		case HD_PATH_CLOSE:
			HPDF_Page_ClosePath(c->page);
			break;
		}
	}
	switch (it->paint & (HD_PAINT_FILL | HD_PAINT_STROKE)) {
	case HD_PAINT_FILL | HD_PAINT_STROKE:
		if (it->paint & HD_PAINT_EVENODD)
			HPDF_Page_EofillStroke(c->page);
		else
			HPDF_Page_FillStroke(c->page);
		break;
	case HD_PAINT_FILL:
		if (it->paint & HD_PAINT_EVENODD)
			HPDF_Page_Eofill(c->page);
		else
			HPDF_Page_Fill(c->page);
		break;
	case HD_PAINT_STROKE:
		HPDF_Page_Stroke(c->page);
		break;
	default:
		HPDF_Page_EndPath(c->page);
		break;
	}
}

/* Draws the items of a page in order: later items over earlier ones. */
static int draw_page(draw_ctx *c, const hd_page *pg, const hd_fontset *fs)
{
	size_t i;
	int r;

	c->fill = c->stroke = (hd_rgb){ 0, 0, 0 }; /* a page starts black, */
	c->line_width = 1.0;                       /* 1 pt wide, */
	c->dash = 0.0;                             /* solid, */
	c->round = 0;                              /* butt caps and mitre joins, */
	c->word_space = 0.0;                       /* without word spacing */
	for (i = 0; i < pg->count; i++) {
		const hd_item *it = &pg->items[i];
		switch (it->kind) {
		case HD_ITEM_PATH:
			draw_path(c, it);
			break;
		case HD_ITEM_IMAGE:
			if (it->image >= 0 && (size_t)it->image < c->nimages && c->images[it->image])
				HPDF_Page_DrawImage(c->page, c->images[it->image], (HPDF_REAL)it->x,
				                    (HPDF_REAL)it->y, (HPDF_REAL)it->w, (HPDF_REAL)it->h);
			break;
		case HD_ITEM_TEXT:
			if (it->len == 0)
				break;
			if (it->word_space != c->word_space) {
				HPDF_Page_SetWordSpace(c->page, (HPDF_REAL)it->word_space);
				c->word_space = it->word_space;
			}
			HPDF_Page_BeginText(c->page);
			set_fill(c, it->color);
			HPDF_Page_MoveTextPos(c->page, (HPDF_REAL)it->x, (HPDF_REAL)it->y);
			c->size = it->size;
			r = hd_fontset_encode(fs, it->face, it->text, it->len, show_run, c);
			HPDF_Page_EndText(c->page);
			if (r)
				return r;
			break;
		}
	}
	return HD_OK;
}

/* 1 if a page of l shows image i: an unused image is not embedded. */
static int image_used(const hd_display *l, int i)
{
	size_t p, k;
	for (p = 0; p < l->npages; p++) {
		for (k = 0; k < l->pages[p].count; k++) {
			if (l->pages[p].items[k].kind == HD_ITEM_IMAGE && l->pages[p].items[k].image == i)
				return 1;
		}
	}
	return 0;
}

int hd_render_pdf(unsigned char **out, size_t *len, const hd_display *l, hd_fonts *fonts,
                  const hd_logo *const *images, size_t nimages, const hd_pdf_meta *meta,
                  hd_diags *d)
{
	pdf_err err = { 0, 0 };
	HPDF_Doc pdf = NULL;
	hd_fontset *fs = NULL;
	HPDF_Font *pfonts = NULL;
	HPDF_Page *pages = NULL;
	HPDF_Image *img = NULL;
	draw_ctx ctx;
	unsigned char *buf = NULL;
	size_t p, i, nslices;
	HPDF_UINT32 size;
	int r;

	*out = NULL;
	*len = 0;
	memset(&ctx, 0, sizeof(ctx));

	/* Which characters, in which styles: decides the font slices. */
	r = hd_fontset_new(&fs, fonts);
	for (p = 0; !r && p < l->npages; p++) {
		for (i = 0; i < l->pages[p].count; i++) {
			const hd_item *it = &l->pages[p].items[i];
			if (it->kind == HD_ITEM_TEXT && it->len) {
				int e = hd_fontset_add(fs, it->face, it->text, it->len, d);
				if (e && !r)
					r = e;
			}
		}
	}
	if (!r)
		r = hd_fontset_finish(fs, d);
	if (r)
		goto cleanup;

	pdf = HPDF_New(on_error, &err);
	if (!pdf) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	if (set_info(pdf, meta) != HPDF_OK)
		goto pdf_failed;

	nslices = hd_fontset_count(fs);
	pfonts = calloc(nslices ? nslices : 1, sizeof(*pfonts));
	if (!pfonts) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < nslices; i++) {
		r = hd_pdf_load_slice(pdf, hd_fontset_slice(fs, i), &pfonts[i], d);
		if (r)
			goto cleanup;
	}
	/* Each image once per document, whatever the number of pages. */
	img = calloc(nimages ? nimages : 1, sizeof(*img));
	if (!img) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < nimages; i++) {
		if (!images[i] || !images[i]->data || !image_used(l, (int)i))
			continue;
		img[i] = logo_xobject(pdf, images[i]);
		if (!img[i])
			goto pdf_failed;
	}
	ctx.fonts = pfonts;
	ctx.images = img;
	ctx.nimages = nimages;
	pages = calloc(l->npages ? l->npages : 1, sizeof(*pages));
	if (!pages) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	for (p = 0; p < l->npages; p++) {
		ctx.page = pages[p] = HPDF_AddPage(pdf);
		if (!ctx.page)
			goto pdf_failed;
		HPDF_Page_SetWidth(ctx.page, (HPDF_REAL)l->width);
		HPDF_Page_SetHeight(ctx.page, (HPDF_REAL)l->height);
		ctx.cur_font = NULL;
		ctx.cur_size = 0;
		r = draw_page(&ctx, &l->pages[p], fs);
		if (r)
			goto cleanup;
		if (err.code)
			goto pdf_failed;
	}
	if (meta->outline && add_outline(pdf, meta, l->npages, pages) != HPDF_OK)
		goto pdf_failed;
	if (HPDF_SaveToStream(pdf) != HPDF_OK || err.code)
		goto pdf_failed;
	size = HPDF_GetStreamSize(pdf);
	buf = malloc(size ? size : 1);
	if (!buf) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	{
		HPDF_UINT32 got = size;
		if (HPDF_ReadFromStream(pdf, buf, &got) != HPDF_OK && got != size)
			goto pdf_failed;
		if (got != size)
			goto pdf_failed;
	}
	*out = buf;
	*len = size;
	buf = NULL;
	r = HD_OK;
	goto cleanup;

pdf_failed:
	hd_error_at(d, NULL, 0, 0, "this is a bug in handout or libharu; please report it with the input",
	            "the PDF library failed (libharu error 0x%04X, detail %u)",
	            (unsigned)(err.code ? err.code : HPDF_GetError(pdf)), (unsigned)err.detail);
	r = HD_EPDF;
cleanup:
	free(buf);
	free(ctx.tmp);
	free(pages);
	free(pfonts);
	free(img);
	if (pdf)
		HPDF_Free(pdf);
	hd_fontset_free(fs);
	return r;
}

/* ----- libharu's byte loops --------------------------------------------------------- */

/* libharu copies, clears and measures every byte with loops of its own
 * (HPDF_MemCpy, HPDF_MemSet, HPDF_StrLen in hpdf_utils.c): reading the
 * slice back to write its FontFile2, filling each stream, clearing a
 * 512-byte buffer for every operator it writes. That was 3 million of the
 * aftercare sheet's 20 million instructions. These definitions, with the
 * same contracts (a pointer just past the bytes written; StrLen stops at
 * maxlen unless it is negative), take their place: the shared library calls
 * its exported functions through its PLT, so the program's definitions win.
 * Where they do not (a static or -Bsymbolic libharu), libharu's own run:
 * the bytes of the PDF are the same either way. libharu never copies
 * between overlapping ranges; memmove keeps even that defined. They are
 * exported (every other symbol of a stage is hidden): a hidden definition
 * would take the place of nobody's. */
#define HD_INTERPOSE __attribute__((visibility("default")))
HD_INTERPOSE HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
	/* Most calls move the 4 or 2 bytes of a font's number (25,000 per
	 * aftercare sheet): a copy of a constant size is one load and one
	 * store, not a call. */
	if (n == 4)
		memcpy(out, in, 4);
	else if (n == 2)
		memcpy(out, in, 2);
	else if (n)
		memmove(out, in, n);
	return out + n;
}

HD_INTERPOSE void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
	if (n)
		memset(s, c, n);
	return (HPDF_BYTE *)s + n;
}

HD_INTERPOSE HPDF_UINT HPDF_StrLen(const char *s, HPDF_INT maxlen)
{
	if (!s)
		return 0;
	return (HPDF_UINT)(maxlen < 0 ? strlen(s) : strnlen(s, (size_t)maxlen));
}
