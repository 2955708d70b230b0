/*
 * chart: the pain chart of the progress report (see chart.h). The drawing's
 * units are points at the document's body size; y goes down, as in every
 * drawing.
 */
#include "chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LABEL 0.72   /* label size, times the body size */
#define INK { { 0x22, 0x22, 0x22 }, 0, 0 }
#define GRID { { 0xbb, 0xbb, 0xbb }, 0, 0 }
#define PAPER { { 0xff, 0xff, 0xff }, 0, 0 }

double hd_chart_text_width(const char *text, double size)
{
	double em = 0;
	const unsigned char *p = (const unsigned char *)text;
	for (; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue; /* a continuation byte: counted with its first */
		if (*p >= 0x80 || strchr("mwMW@", *p))
			em += 1.0;
		else if (*p == ' ' || *p == '.' || *p == ',')
			em += 0.35;
		else if (*p >= 'A' && *p <= 'Z')
			em += 0.78;
		else
			em += 0.65;
	}
	return em * size;
}

/* A path under construction, in the arena at the end. */
typedef struct pbuild {
	hd_path_seg *segs;
	size_t n, cap;
	int oom;
} pbuild;

static void seg(pbuild *b, enum hd_path_op op, double x0, double y0, double x1, double y1)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		hd_path_seg *g = realloc(b->segs, cap * sizeof(*g));
		if (!g) {
			b->oom = 1;
			return;
		}
		b->segs = g;
		b->cap = cap;
	}
	memset(&b->segs[b->n], 0, sizeof(*b->segs));
	b->segs[b->n].op = op;
	b->segs[b->n].p[0] = x0;
	b->segs[b->n].p[1] = y0;
	b->segs[b->n].p[2] = x1;
	b->segs[b->n].p[3] = y1;
	b->n++;
}

/* A circle of radius r at (x, y), four quarter curves. */
static void circle(pbuild *b, double x, double y, double r)
{
	static const double k = 0.5522847498307936;
	size_t at;
	seg(b, HD_PATH_MOVE, x + r, y, 0, 0);
	at = b->n;
	seg(b, HD_PATH_CURVE, x + r, y + k * r, x + k * r, y + r);
	seg(b, HD_PATH_CURVE, x - k * r, y + r, x - r, y + k * r);
	seg(b, HD_PATH_CURVE, x - r, y - k * r, x - k * r, y - r);
	seg(b, HD_PATH_CURVE, x + k * r, y - r, x + r, y - k * r);
	if (b->oom)
		return;
	/* the end points of the quarters */
	b->segs[at].p[4] = x;
	b->segs[at].p[5] = y + r;
	b->segs[at + 1].p[4] = x - r;
	b->segs[at + 1].p[5] = y;
	b->segs[at + 2].p[4] = x;
	b->segs[at + 2].p[5] = y - r;
	b->segs[at + 3].p[4] = x + r;
	b->segs[at + 3].p[5] = y;
	seg(b, HD_PATH_CLOSE, 0, 0, 0, 0);
}

/* Moves the built segments into a new path of dr (in arena a). */
static int flush(hd_arena *a, hd_drawing *dr, pbuild *b, unsigned paint, hd_color fill,
                 hd_color stroke, double width, double dash)
{
	hd_draw_path *dp;
	if (b->oom)
		return HD_ENOMEM;
	if (!b->n)
		return HD_OK;
	dp = &dr->paths[dr->npaths++];
	dp->segs = hd_arena_alloc(a, b->n * sizeof(*dp->segs));
	if (!dp->segs)
		return HD_ENOMEM;
	memcpy(dp->segs, b->segs, b->n * sizeof(*dp->segs));
	dp->nsegs = b->n;
	dp->paint = paint;
	dp->fill = fill;
	dp->stroke = stroke;
	dp->line_width = width;
	dp->dash = dash;
	b->n = 0;
	return HD_OK;
}

static int text(hd_arena *a, hd_drawing *dr, size_t cap, double x, double y, const char *s,
                int align, unsigned face)
{
	hd_draw_text *t;
	hd_color ink = INK;
	if (dr->ntexts == cap)
		return HD_OK; /* cannot happen: cap counts every label */
	t = &dr->texts[dr->ntexts++];
	t->x = x;
	t->y = y;
	t->text = hd_arena_strdup(a, s);
	t->size = LABEL;
	t->face = face;
	t->color = ink;
	t->align = align;
	return t->text ? HD_OK : HD_ENOMEM;
}

hd_drawing *hd_pain_chart(hd_arena *a, const hd_chart_point *pts, size_t n,
                          const hd_chart_spec *spec)
{
	hd_drawing *dr = hd_arena_alloc(a, sizeof(*dr));
	pbuild b = { NULL, 0, 0, 0 };
	hd_color ink = INK, grid = GRID, paper = PAPER, none = { { 0, 0, 0 }, 0, 1 };
	double size = spec->body_size * LABEL, lh = size * 1.3;
	double left = hd_chart_text_width("10", size) + size * 0.6, right = size * 0.8;
	double top = lh * 1.2, bottom = lh * 2.6;
	double pw = spec->width - left - right, ph = spec->height - top - bottom;
	double t0, t1, span, last_right = -1e9, r, dx_min = 1e9;
	double *xs = NULL;
	size_t i, cap_texts = n + 16;
	int k, series, any = 0, rc = HD_OK;
	char num[8];

	if (!dr || pw <= 10 || ph <= 10)
		return NULL;
	dr->id = "pain-chart";
	dr->vb_w = spec->width;
	dr->vb_h = spec->height;
	dr->paths = hd_arena_alloc(a, 16 * sizeof(*dr->paths)); /* 11 are drawn */
	dr->texts = hd_arena_alloc(a, cap_texts * sizeof(*dr->texts));
	xs = malloc((n ? n : 1) * sizeof(*xs));
	if (!dr->paths || !dr->texts || !xs)
		goto oom;

	/* the scale: grid lines at 0, 2 .. 10, the numbers at the left */
	for (k = 0; k <= 10; k += 2) {
		double y = top + ph - ph * k / 10.0;
		seg(&b, HD_PATH_MOVE, left, y, 0, 0);
		seg(&b, HD_PATH_LINE, left + pw, y, 0, 0);
		snprintf(num, sizeof(num), "%d", k);
		if (text(a, dr, cap_texts, left - size * 0.4, y, num, -1, HD_REGULAR))
			goto oom;
	}
	if (flush(a, dr, &b, HD_PAINT_STROKE, none, grid, 0.5, 0))
		goto oom;
	/* the axes: the time axis is the 0 line, drawn darker */
	seg(&b, HD_PATH_MOVE, left, top, 0, 0);
	seg(&b, HD_PATH_LINE, left, top + ph, 0, 0);
	seg(&b, HD_PATH_LINE, left + pw, top + ph, 0, 0);
	if (flush(a, dr, &b, HD_PAINT_STROKE, none, ink, 0.8, 0))
		goto oom;
	if (spec->axis && text(a, dr, cap_texts, 0, lh * 0.5, spec->axis, 1, HD_BOLD))
		goto oom;

	/* time: in proportion to the days between visits, a margin at each end
	 * so that no point sits on an axis; one visit alone in the middle */
	t0 = n ? pts[0].day * 1440.0 + pts[0].minute : 0;
	t1 = n ? pts[n - 1].day * 1440.0 + pts[n - 1].minute : 0;
	span = t1 - t0;
	for (i = 0; i < n; i++) {
		double t = pts[i].day * 1440.0 + pts[i].minute;
		xs[i] = span > 0 ? left + pw * (0.04 + 0.92 * (t - t0) / span) : left + pw / 2;
		if (i && xs[i] - xs[i - 1] < dx_min)
			dx_min = xs[i] - xs[i - 1];
		any |= pts[i].before >= 0 || pts[i].after >= 0;
	}
	/* the dates: a tick for every visit, a label where it fits without
	 * touching the one before (the last visit's wins over its neighbour) */
	for (i = 0; i < n; i++) {
		seg(&b, HD_PATH_MOVE, xs[i], top + ph, 0, 0);
		seg(&b, HD_PATH_LINE, xs[i], top + ph + size * 0.3, 0, 0);
	}
	if (flush(a, dr, &b, HD_PAINT_STROKE, none, ink, 0.5, 0))
		goto oom;
	{
		size_t *shown = malloc((n ? n : 1) * sizeof(*shown)), nshown = 0;
		if (!shown)
			goto oom;
		for (i = 0; i < n; i++) {
			double w = hd_chart_text_width(pts[i].label ? pts[i].label : "", size);
			double l = xs[i] - w / 2, rgt = xs[i] + w / 2;
			if (l < 0)
				l = 0, rgt = w;
			if (rgt > spec->width)
				rgt = spec->width, l = spec->width - w;
			if (i + 1 == n && nshown && l < last_right + size * 0.8)
				nshown--; /* the last date matters most: drop its neighbour */
			else if (l < last_right + size * 0.8)
				continue;
			shown[nshown++] = i;
			last_right = rgt;
		}
		for (k = 0; k < (int)nshown && !rc; k++) {
			size_t j = shown[k];
			double w = hd_chart_text_width(pts[j].label ? pts[j].label : "", size);
			double cx = xs[j];
			if (cx - w / 2 < 0)
				cx = w / 2;
			if (cx + w / 2 > spec->width)
				cx = spec->width - w / 2;
			rc = text(a, dr, cap_texts, cx, top + ph + size * 0.3 + lh * 0.6,
			          pts[j].label ? pts[j].label : "", 0, HD_REGULAR);
		}
		free(shown);
		if (rc)
			goto oom;
	}

	/* the two series: lines between consecutive visits that both have a
	 * score (a missing one is a gap), markers on every score */
	r = dx_min < 8 ? (dx_min > 2.4 ? dx_min / 4 : 0.6) : 2.2;
	for (series = 0; series < 2; series++) {
		int pen = 0;
		for (i = 0; i < n; i++) {
			double v = series ? pts[i].after : pts[i].before;
			if (v < 0) {
				pen = 0;
				continue;
			}
			seg(&b, pen ? HD_PATH_LINE : HD_PATH_MOVE, xs[i], top + ph - ph * v / 10.0, 0, 0);
			pen = 1;
		}
		if (flush(a, dr, &b, HD_PAINT_STROKE | HD_PAINT_ROUND, none, ink, series ? 1.0 : 1.3,
		          series ? 3.0 : 0))
			goto oom;
		for (i = 0; i < n; i++) {
			double v = series ? pts[i].after : pts[i].before, y;
			if (v < 0)
				continue;
			y = top + ph - ph * v / 10.0;
			if (series) { /* an open square */
				seg(&b, HD_PATH_RECT, xs[i] - r, y - r, 2 * r, 2 * r);
			} else {
				circle(&b, xs[i], y, r);
			}
		}
		if (flush(a, dr, &b, series ? HD_PAINT_FILL | HD_PAINT_STROKE : HD_PAINT_FILL,
		          series ? paper : ink, ink, 0.9, 0))
			goto oom;
	}

	/* the legend, under the dates: a sample of each line and marker */
	{
		double y = spec->height - lh * 0.5, x = left;
		const char *names[2] = { spec->before ? spec->before : "", spec->after ? spec->after : "" };
		for (series = 0; series < 2; series++) {
			seg(&b, HD_PATH_MOVE, x, y, 0, 0);
			seg(&b, HD_PATH_LINE, x + size * 2.4, y, 0, 0);
			if (flush(a, dr, &b, HD_PAINT_STROKE | HD_PAINT_ROUND, none, ink,
			          series ? 1.0 : 1.3, series ? 3.0 : 0))
				goto oom;
			if (series)
				seg(&b, HD_PATH_RECT, x + size * 1.2 - 2.2, y - 2.2, 4.4, 4.4);
			else
				circle(&b, x + size * 1.2, y, 2.2);
			if (flush(a, dr, &b, series ? HD_PAINT_FILL | HD_PAINT_STROKE : HD_PAINT_FILL,
			          series ? paper : ink, ink, 0.9, 0))
				goto oom;
			if (text(a, dr, cap_texts, x + size * 3, y, names[series], 1, HD_REGULAR))
				goto oom;
			x += size * 3 + hd_chart_text_width(names[series], size) + size * 2;
		}
	}
	if (!any && spec->none &&
	    text(a, dr, cap_texts, left + pw / 2, top + ph / 2, spec->none, 0, HD_ITALIC))
		goto oom;
	free(b.segs);
	free(xs);
	return dr;
oom:
	free(b.segs);
	free(xs);
	return NULL;
}
