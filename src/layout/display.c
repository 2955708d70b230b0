#include "display.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

hd_page *hd_display_add_page(hd_display *d)
{
	hd_page *p;

	if (d->npages == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 4;
		hd_page *np = realloc(d->pages, cap * sizeof(*np));
		if (!np)
			return NULL;
		d->pages = np;
		d->cap = cap;
	}
	p = &d->pages[d->npages++];
	memset(p, 0, sizeof(*p));
	return p;
}

hd_item *hd_page_add(hd_page *p)
{
	if (p->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		hd_item *n = realloc(p->items, cap * sizeof(*n));
		if (!n)
			return NULL;
		p->items = n;
		p->cap = cap;
	}
	return memset(&p->items[p->count++], 0, sizeof(hd_item));
}

int hd_page_text(hd_display *d, hd_page *p, double x, double y, unsigned face, double size,
                 hd_rgb color, double word_space, const char *text, size_t len)
{
	char *copy = hd_arena_strndup(&d->arena, text, len);
	hd_item *it;

	if (!copy)
		return HD_ENOMEM;
	it = hd_page_add(p);
	if (!it)
		return HD_ENOMEM;
	it->kind = HD_ITEM_TEXT;
	it->x = x;
	it->y = y;
	it->face = face;
	it->size = size;
	it->color = color;
	it->word_space = word_space;
	it->text = copy;
	it->len = len;
	return HD_OK;
}

int hd_page_path(hd_display *d, hd_page *p, const hd_path_seg *segs, size_t nsegs,
                 unsigned paint, hd_rgb fill, hd_rgb stroke, double line_width, double dash)
{
	hd_path_seg *copy = hd_arena_alloc(&d->arena, (nsegs ? nsegs : 1) * sizeof(*copy));
	hd_item *it;

	if (!copy)
		return HD_ENOMEM;
	memcpy(copy, segs, nsegs * sizeof(*copy));
	it = hd_page_add(p);
	if (!it)
		return HD_ENOMEM;
	it->kind = HD_ITEM_PATH;
	it->segs = copy;
	it->nsegs = nsegs;
	it->paint = paint;
	it->color = fill;
	it->stroke_color = stroke;
	it->line_width = line_width;
	it->dash = dash;
	return HD_OK;
}

int hd_page_rect(hd_display *d, hd_page *p, double x, double y, double w, double h,
                 unsigned paint, hd_rgb fill, hd_rgb stroke, double line_width)
{
	hd_path_seg s = { HD_PATH_RECT, { x, y, w, h, 0, 0 } };
	return hd_page_path(d, p, &s, 1, paint, fill, stroke, line_width, 0.0);
}

int hd_page_line(hd_display *d, hd_page *p, double x1, double y1, double x2, double y2,
                 hd_rgb color, double line_width, double dash)
{
	hd_path_seg s[2] = { { HD_PATH_MOVE, { x1, y1, 0, 0, 0, 0 } },
		             { HD_PATH_LINE, { x2, y2, 0, 0, 0, 0 } } };
	hd_rgb none = { 0, 0, 0 };
	return hd_page_path(d, p, s, 2, HD_PAINT_STROKE, none, color, line_width, dash);
}

int hd_page_image(hd_page *p, int image, double x, double y, double w, double h)
{
	hd_item *it = hd_page_add(p);
	if (!it)
		return HD_ENOMEM;
	it->kind = HD_ITEM_IMAGE;
	it->image = image;
	it->x = x;
	it->y = y;
	it->w = w;
	it->h = h;
	return HD_OK;
}

void hd_display_clear(hd_display *d)
{
	size_t i;
	if (!d)
		return;
	for (i = 0; i < d->npages; i++)
		free(d->pages[i].items);
	free(d->pages);
	hd_arena_free(&d->arena);
	d->pages = NULL;
	d->npages = d->cap = 0;
}

static double snap(double v, double grid)
{
	return floor(v * grid + 0.5) / grid;
}

void hd_display_snap(hd_display *d)
{
	size_t p, i, k;

	for (p = 0; p < d->npages; p++) {
		for (i = 0; i < d->pages[p].count; i++) {
			hd_item *it = &d->pages[p].items[i];
			it->x = snap(it->x, 8);
			it->y = snap(it->y, 8);
			it->w = snap(it->w, 8);
			it->h = snap(it->h, 8);
			it->word_space = snap(it->word_space, 256);
			if (it->kind == HD_ITEM_PATH) {
				/* the segments live in the arena, written by layout only */
				hd_path_seg *s = (hd_path_seg *)it->segs;
				for (k = 0; k < it->nsegs; k++) {
					int j;
					for (j = 0; j < 6; j++)
						s[k].p[j] = snap(s[k].p[j], 8);
				}
			}
		}
	}
}

static const char FACE_CODE[4] = { 'R', 'B', 'I', 'Z' };

static void dump_text(hd_buf *out, const char *s, size_t len)
{
	size_t i;
	hd_buf_putc(out, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			hd_buf_putc(out, '\\');
		hd_buf_putc(out, s[i]);
	}
	hd_buf_putc(out, '"');
}

static void dump_path(hd_buf *out, const hd_item *it)
{
	size_t k;

	hd_buf_puts(out, "  path");
	if (it->paint & HD_PAINT_FILL)
		hd_buf_printf(out, " fill=%02x%02x%02x%s", it->color.r, it->color.g, it->color.b,
		              it->paint & HD_PAINT_EVENODD ? "/eo" : "");
	if (it->paint & HD_PAINT_STROKE)
		hd_buf_printf(out, " stroke=%02x%02x%02x/%.2f", it->stroke_color.r, it->stroke_color.g,
		              it->stroke_color.b, it->line_width);
	if (it->dash > 0)
		hd_buf_printf(out, " dash=%.2f", it->dash);
	if ((it->paint & (HD_PAINT_STROKE | HD_PAINT_ROUND)) == (HD_PAINT_STROKE | HD_PAINT_ROUND))
		hd_buf_puts(out, " round");
	for (k = 0; k < it->nsegs; k++) {
		const double *q = it->segs[k].p;
		switch (it->segs[k].op) {
		case HD_PATH_MOVE: hd_buf_printf(out, " M %.2f %.2f", q[0], q[1]); break;
		case HD_PATH_LINE: hd_buf_printf(out, " L %.2f %.2f", q[0], q[1]); break;
		case HD_PATH_CURVE:
			hd_buf_printf(out, " C %.2f %.2f %.2f %.2f %.2f %.2f", q[0], q[1], q[2], q[3], q[4],
			              q[5]);
			break;
		case HD_PATH_RECT:
			hd_buf_printf(out, " R %.2f %.2f %.2f %.2f", q[0], q[1], q[2], q[3]);
			break;
		case HD_PATH_CLOSE: hd_buf_puts(out, " Z"); break;
		}
	}
	hd_buf_putc(out, '\n');
}

int hd_display_dump(const hd_display *d, hd_buf *out)
{
	size_t p, i;

	hd_buf_printf(out, "display pages=%zu size=%.2fx%.2f\n", d->npages, d->width, d->height);
	for (p = 0; p < d->npages; p++) {
		const hd_page *pg = &d->pages[p];
		hd_buf_printf(out, "page %zu\n", p + 1);
		for (i = 0; i < pg->count; i++) {
			const hd_item *it = &pg->items[i];
			switch (it->kind) {
			case HD_ITEM_TEXT:
				hd_buf_printf(out, "  text x=%.2f y=%.2f font=%c size=%.2f ws=%.3f color=%02x%02x%02x ",
				              it->x, it->y, FACE_CODE[it->face & 3], it->size, it->word_space,
				              it->color.r, it->color.g, it->color.b);
				dump_text(out, it->text, it->len);
				hd_buf_putc(out, '\n');
				break;
			case HD_ITEM_PATH:
				dump_path(out, it);
				break;
			case HD_ITEM_IMAGE:
				hd_buf_printf(out, "  image #%d x=%.2f y=%.2f w=%.2f h=%.2f\n", it->image,
				              it->x, it->y, it->w, it->h);
				break;
			}
		}
	}
	return out->oom ? HD_ENOMEM : HD_OK;
}
