/*
 * form: what a form needs to offer a session's fields from the library's own
 * vocabulary (include/handout.h, "the vocabulary of a form"): the choices of
 * each fixed-list field with their labels from the aftercare template, the
 * default doses of tips, and a drawing of the library as SVG for a page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "util.h"

static const char *const sizes[] = { "standard", "large" };
static const char *const papers[] = { "a4", "letter" };

int hd_field_choice(hd_engine *e, const char *field, size_t i, const char *lang,
                    const char **value, const char **label)
{
	const hd_library *lib;
	const hd_template *t = NULL;
	const hd_clinic *clinic = NULL;
	const char *v = NULL, *prefix = NULL, *l = NULL;
	char key[96];

	if (!e || !field || !value)
		return HD_EINVAL;
	*value = NULL;
	if (label)
		*label = NULL;
	lib = hd_engine_library(e);
	if (!strcmp(field, "areas")) {
		if (i >= hd_area_count)
			return HD_EINVAL;
		v = hd_area_codes[i];
		prefix = "area.";
	} else if (!strcmp(field, "pressure")) {
		if (i >= hd_pressure_count)
			return HD_EINVAL;
		v = hd_pressures[i];
		prefix = "pressure.";
	} else if (!strcmp(field, "language")) {
		if (!lib || i >= lib->nlang)
			return HD_EINVAL;
		v = lib->languages[i];
	} else if (!strcmp(field, "size")) {
		if (i >= HD_ARRAY_LEN(sizes))
			return HD_EINVAL;
		v = sizes[i];
	} else if (!strcmp(field, "paper")) {
		if (i >= HD_ARRAY_LEN(papers))
			return HD_EINVAL;
		v = papers[i];
	} else {
		return HD_EINVAL;
	}
	if (prefix && hd_engine_parts(&t, &clinic, e, HD_KIND_AFTERCARE, NULL, NULL, NULL) == HD_OK) {
		snprintf(key, sizeof(key), "%s%s", prefix, v);
		l = hd_template_label(t, lang, key);
	}
	*value = v;
	if (label)
		*label = l ? l : v;
	return HD_OK;
}

const char *hd_library_entry_dose(const hd_engine *e, size_t i, const char *lang)
{
	const hd_library *lib = e ? hd_engine_library(e) : NULL;
	const hd_entry_text *t;

	if (!lib || i >= lib->count)
		return NULL;
	t = hd_entry_text_for(lib->entries[i], lang);
	return t ? t->dose : NULL;
}

/* ----- a drawing as SVG ------------------------------------------------------ */

static void put_escaped(hd_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': hd_buf_puts(b, "&amp;"); break;
		case '<': hd_buf_puts(b, "&lt;"); break;
		case '>': hd_buf_puts(b, "&gt;"); break;
		case '"': hd_buf_puts(b, "&quot;"); break;
		default: hd_buf_putc(b, *s); break;
		}
	}
}

/* A number of viewBox units, short and locale-free (%g would print a
 * comma under some locales). Coordinates are bounded by the loader
 * (HD_DRAWING_MAX_COORD), so the integer part fits. */
static void put_num(hd_buf *b, double v)
{
	long m = (long)(v * 100.0 + (v < 0 ? -0.5 : 0.5));
	if (m < 0) {
		hd_buf_putc(b, '-');
		m = -m;
	}
	if (m % 100)
		hd_buf_printf(b, "%ld.%02ld", m / 100, m % 100);
	else
		hd_buf_printf(b, "%ld", m / 100);
}

static void put_colour(hd_buf *b, const char *attr, const hd_color *c, int painted)
{
	if (!painted || c->none) {
		hd_buf_printf(b, " %s=\"none\"", attr);
	} else if (c->accent) {
		hd_buf_printf(b, " %s=\"currentColor\"", attr);
	} else {
		hd_buf_printf(b, " %s=\"#%02x%02x%02x\"", attr, c->rgb[0], c->rgb[1], c->rgb[2]);
	}
}

static void put_path_data(hd_buf *b, const hd_draw_path *p)
{
	size_t i;
	for (i = 0; i < p->nsegs; i++) {
		const hd_path_seg *s = &p->segs[i];
		int k, n = 0;
		switch (s->op) {
		case HD_PATH_MOVE: hd_buf_putc(b, 'M'); n = 2; break;
		case HD_PATH_LINE: hd_buf_putc(b, 'L'); n = 2; break;
		case HD_PATH_CURVE: hd_buf_putc(b, 'C'); n = 6; break;
		case HD_PATH_RECT:
			hd_buf_putc(b, 'M');
			put_num(b, s->p[0]);
			hd_buf_putc(b, ' ');
			put_num(b, s->p[1]);
			hd_buf_putc(b, 'h');
			put_num(b, s->p[2]);
			hd_buf_putc(b, 'v');
			put_num(b, s->p[3]);
			hd_buf_putc(b, 'h');
			put_num(b, -s->p[2]);
			hd_buf_putc(b, 'Z');
			continue;
		case HD_PATH_CLOSE: hd_buf_putc(b, 'Z'); continue;
		}
		for (k = 0; k < n; k++) {
			if (k)
				hd_buf_putc(b, ' ');
			put_num(b, s->p[k]);
		}
	}
}

int hd_drawing_svg(char **out, size_t *len, hd_engine *e, const char *id, const char *lang)
{
	const hd_library *lib;
	const hd_drawing *dr;
	const char *alt;
	hd_buf b = HD_BUF_INIT;
	size_t i;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (len)
		*len = 0;
	lib = e ? hd_engine_library(e) : NULL;
	if (!lib || !id)
		return HD_EINVAL;
	dr = hd_library_drawing(lib, id);
	if (!dr)
		return HD_EINPUT;
	alt = hd_drawing_alt(dr, lang);
	hd_buf_puts(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"");
	put_num(&b, dr->vb_x);
	hd_buf_putc(&b, ' ');
	put_num(&b, dr->vb_y);
	hd_buf_putc(&b, ' ');
	put_num(&b, dr->vb_w);
	hd_buf_putc(&b, ' ');
	put_num(&b, dr->vb_h);
	hd_buf_puts(&b, "\" role=\"img\"");
	if (alt) {
		hd_buf_puts(&b, " aria-label=\"");
		put_escaped(&b, alt);
		hd_buf_puts(&b, "\"><title>");
		put_escaped(&b, alt);
		hd_buf_puts(&b, "</title>\n");
	} else {
		hd_buf_puts(&b, ">\n");
	}
	for (i = 0; i < dr->npaths; i++) {
		const hd_draw_path *p = &dr->paths[i];
		hd_buf_puts(&b, "<path");
		if (p->region) {
			hd_buf_puts(&b, " class=\"region\" data-region=\"");
			put_escaped(&b, p->region);
			hd_buf_puts(&b, "\"");
		}
		hd_buf_puts(&b, " d=\"");
		put_path_data(&b, p);
		hd_buf_puts(&b, "\"");
		put_colour(&b, "fill", &p->fill, (p->paint & HD_PAINT_FILL) != 0);
		put_colour(&b, "stroke", &p->stroke, (p->paint & HD_PAINT_STROKE) != 0);
		if (p->paint & HD_PAINT_STROKE) {
			hd_buf_puts(&b, " stroke-width=\"");
			put_num(&b, p->line_width);
			hd_buf_puts(&b, "\"");
			if (p->dash > 0) {
				hd_buf_puts(&b, " stroke-dasharray=\"");
				put_num(&b, p->dash);
				hd_buf_puts(&b, "\"");
			}
		}
		if (p->paint & HD_PAINT_ROUND)
			hd_buf_puts(&b, " stroke-linecap=\"round\" stroke-linejoin=\"round\"");
		if (p->paint & HD_PAINT_EVENODD)
			hd_buf_puts(&b, " fill-rule=\"evenodd\"");
		hd_buf_puts(&b, "/>\n");
	}
	hd_buf_puts(&b, "</svg>\n");
	if (b.oom) {
		hd_buf_free(&b);
		return HD_ENOMEM;
	}
	*out = hd_buf_detach(&b, len);
	return *out ? HD_OK : HD_ENOMEM;
}
