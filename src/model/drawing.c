/*
 * drawing: SVG-like path data and shapes into cubic Bezier segments. See
 * drawing.h. The arc conversion follows the SVG specification's
 * implementation notes (endpoint to centre parameterisation, then at most a
 * quarter turn per Bezier).
 */
#include "drawing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

void hd_path_build_free(hd_path_build *b)
{
	free(b->segs);
	b->segs = NULL;
	b->count = b->cap = 0;
}

/* Appends one segment. HD_EINPUT (*err set) past the cap. */
static int push(hd_path_build *b, enum hd_path_op op, const double *p, int np, const char **err)
{
	size_t max = b->max ? b->max : HD_DRAWING_MAX_SEGS;
	hd_path_seg *s;
	int i;

	if (b->count >= max) {
		*err = "the drawing has too many segments (the limit is 20000)";
		return HD_EINPUT;
	}
	if (b->count == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		hd_path_seg *g = realloc(b->segs, cap * sizeof(*g));
		if (!g)
			return HD_ENOMEM;
		b->segs = g;
		b->cap = cap;
	}
	s = &b->segs[b->count++];
	memset(s, 0, sizeof(*s));
	s->op = op;
	for (i = 0; i < np; i++)
		s->p[i] = p[i];
	return HD_OK;
}

static int move_to(hd_path_build *b, double x, double y, const char **err)
{
	double p[2] = { x, y };
	b->x = b->sx = x;
	b->y = b->sy = y;
	return push(b, HD_PATH_MOVE, p, 2, err);
}

static int line_to(hd_path_build *b, double x, double y, const char **err)
{
	double p[2] = { x, y };
	b->x = x;
	b->y = y;
	return push(b, HD_PATH_LINE, p, 2, err);
}

static int curve_to(hd_path_build *b, double x1, double y1, double x2, double y2, double x,
                    double y, const char **err)
{
	double p[6] = { x1, y1, x2, y2, x, y };
	b->cx = x2;
	b->cy = y2;
	b->x = x;
	b->y = y;
	return push(b, HD_PATH_CURVE, p, 6, err);
}

static int close_path(hd_path_build *b, const char **err)
{
	b->x = b->sx;
	b->y = b->sy;
	return push(b, HD_PATH_CLOSE, NULL, 0, err);
}

/* ----- arcs ------------------------------------------------------------------------ */

static double vec_angle(double ux, double uy, double vx, double vy)
{
	double a = atan2(ux * vy - uy * vx, ux * vx + uy * vy);
	return a;
}

/* An elliptical arc from the current point to (x, y), SVG's A command. */
static int arc_to(hd_path_build *b, double rx, double ry, double rot_deg, int large, int sweep,
                  double x, double y, const char **err)
{
	double x1 = b->x, y1 = b->y, phi = rot_deg * M_PI / 180.0;
	double cphi = cos(phi), sphi = sin(phi);
	double dx2 = (x1 - x) / 2, dy2 = (y1 - y) / 2;
	double x1p = cphi * dx2 + sphi * dy2, y1p = -sphi * dx2 + cphi * dy2;
	double lambda, num, den, coef, cxp, cyp, cx, cy, th1, dth;
	int n, i;

	if (x1 == x && y1 == y)
		return HD_OK; /* the spec: no arc at all */
	rx = fabs(rx);
	ry = fabs(ry);
	if (rx == 0 || ry == 0)
		return line_to(b, x, y, err);
	lambda = (x1p * x1p) / (rx * rx) + (y1p * y1p) / (ry * ry);
	if (lambda > 1) {
		rx *= sqrt(lambda);
		ry *= sqrt(lambda);
	}
	num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p;
	den = rx * rx * y1p * y1p + ry * ry * x1p * x1p;
	coef = (den > 0 && num > 0) ? sqrt(num / den) : 0;
	if (large == sweep)
		coef = -coef;
	cxp = coef * rx * y1p / ry;
	cyp = -coef * ry * x1p / rx;
	cx = cphi * cxp - sphi * cyp + (x1 + x) / 2;
	cy = sphi * cxp + cphi * cyp + (y1 + y) / 2;
	th1 = vec_angle(1, 0, (x1p - cxp) / rx, (y1p - cyp) / ry);
	dth = vec_angle((x1p - cxp) / rx, (y1p - cyp) / ry, (-x1p - cxp) / rx, (-y1p - cyp) / ry);
	if (!sweep && dth > 0)
		dth -= 2 * M_PI;
	else if (sweep && dth < 0)
		dth += 2 * M_PI;

	n = (int)ceil(fabs(dth) / (M_PI / 2) - 1e-9);
	if (n < 1)
		n = 1;
	for (i = 0; i < n; i++) {
		double a0 = th1 + dth * i / n, a1 = th1 + dth * (i + 1) / n, d = a1 - a0;
		double k = 4.0 / 3.0 * tan(d / 4);
		double u0 = cos(a0), v0 = sin(a0), u1 = cos(a1), v1 = sin(a1);
		double c1u = u0 - k * v0, c1v = v0 + k * u0, c2u = u1 + k * v1, c2v = v1 - k * u1;
		double ex = i == n - 1 ? x : cx + rx * cphi * u1 - ry * sphi * v1;
		double ey = i == n - 1 ? y : cy + rx * sphi * u1 + ry * cphi * v1;
		int r = curve_to(b, cx + rx * cphi * c1u - ry * sphi * c1v,
		                 cy + rx * sphi * c1u + ry * cphi * c1v,
		                 cx + rx * cphi * c2u - ry * sphi * c2v,
		                 cy + rx * sphi * c2u + ry * cphi * c2v, ex, ey, err);
		if (r)
			return r;
	}
	return HD_OK;
}

/* ----- path data -------------------------------------------------------------------- */

static int is_wsp(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static const char *skip_sep(const char *p)
{
	while (is_wsp(*p))
		p++;
	if (*p == ',') {
		p++;
		while (is_wsp(*p))
			p++;
	}
	return p;
}

static int starts_number(const char *p)
{
	return (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '+';
}

/* Reads a number at *pp (after separators): [+-]? (digits [. digits?] | .
 * digits). No exponent. Returns 1 and advances, or 0 (nothing consumed). */
static int read_number(const char **pp, double *out)
{
	const char *p = skip_sep(*pp);
	double v = 0, scale = 1;
	int neg = 0, digits = 0;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	while (*p >= '0' && *p <= '9') {
		if (v < 1e15)
			v = v * 10 + (*p - '0');
		else
			v *= 10; /* far past any limit: only the magnitude matters now */
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			scale /= 10;
			v += (*p - '0') * scale;
			p++;
			digits++;
		}
	}
	if (!digits)
		return 0;
	*out = neg ? -v : v;
	*pp = p;
	return 1;
}

/* Reads an arc flag: a single 0 or 1, which needs no separator after it. */
static int read_flag(const char **pp, int *out)
{
	const char *p = skip_sep(*pp);
	if (*p != '0' && *p != '1')
		return 0;
	*out = *p == '1';
	*pp = p + 1;
	return 1;
}

int hd_path_parse(hd_path_build *b, const char *d, size_t *err_at, const char **err)
{
	static const char *const need[] = {
		['M' - 'A'] = "expected two numbers (x y) after 'M'",
		['L' - 'A'] = "expected two numbers (x y) after 'L'",
		['H' - 'A'] = "expected a number (x) after 'H'",
		['V' - 'A'] = "expected a number (y) after 'V'",
		['C' - 'A'] = "expected six numbers (x1 y1 x2 y2 x y) after 'C'",
		['S' - 'A'] = "expected four numbers (x2 y2 x y) after 'S'",
		['Q' - 'A'] = "expected four numbers (x1 y1 x y) after 'Q'",
		['T' - 'A'] = "expected two numbers (x y) after 'T'",
		['A' - 'A'] = "expected seven values (rx ry rotation large-arc sweep x y) after 'A'",
	};
	const char *p = d, *cmd_at = d;
	char cmd = 0;
	int r = HD_OK;

	while (is_wsp(*p))
		p++;
	if (!*p) {
		*err = "the path data is empty";
		*err_at = 0;
		return HD_EINPUT;
	}
	while (*p) {
		char up;
		int rel, sets = 0;

		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
			cmd = *p;
			cmd_at = p++;
		} else if (!cmd || cmd == 'Z' || cmd == 'z' || !starts_number(p)) {
			*err = cmd ? "expected a command letter (M L H V C S Q T A Z) or a number"
			           : "path data must start with M (a move)";
			*err_at = (size_t)(p - d);
			return HD_EINPUT;
		}
		/* else: the previous command repeats (after M, as L) */
		up = (char)(cmd & ~0x20);
		rel = cmd >= 'a';
		if (!strchr("MLHVCSQTAZ", up)) {
			*err = "unknown path command (use M L H V C S Q T A Z)";
			*err_at = (size_t)(cmd_at - d);
			return HD_EINPUT;
		}
		if (!b->prev && up != 'M') {
			*err = "path data must start with M (a move)";
			*err_at = (size_t)(cmd_at - d);
			return HD_EINPUT;
		}
		if (up == 'Z') {
			r = close_path(b, err);
			if (r)
				goto fail;
			b->prev = 'Z';
			p = skip_sep(p);
			continue;
		}
		do {
			double v[7], ox = rel ? b->x : 0, oy = rel ? b->y : 0, rx, ry;
			int nargs = up == 'H' || up == 'V' ? 1 : up == 'C' ? 6 : up == 'S' || up == 'Q' ? 4
			          : up == 'A' ? 7 : 2;
			int i, ok = 1, flags[2] = { 0, 0 };
			const char *at = p;

			for (i = 0; i < nargs && ok; i++) {
				at = skip_sep(p);
				if (up == 'A' && (i == 3 || i == 4))
					ok = read_flag(&p, &flags[i - 3]);
				else
					ok = read_number(&p, &v[i]);
				if (ok && !(up == 'A' && (i == 3 || i == 4)) &&
				    fabs(v[i]) > HD_DRAWING_MAX_COORD) {
					*err = "a number in the path data is out of range (at most 100000)";
					*err_at = (size_t)(at - d);
					return HD_EINPUT;
				}
			}
			if (!ok) {
				*err = need[up - 'A'];
				*err_at = (size_t)(skip_sep(p) - d);
				return HD_EINPUT;
			}
			switch (up) {
			case 'M':
				r = sets ? line_to(b, ox + v[0], oy + v[1], err)
				         : move_to(b, ox + v[0], oy + v[1], err);
				break;
			case 'L':
				r = line_to(b, ox + v[0], oy + v[1], err);
				break;
			case 'H':
				r = line_to(b, ox + v[0], b->y, err);
				break;
			case 'V':
				r = line_to(b, b->x, oy + v[0], err);
				break;
			case 'C':
				r = curve_to(b, ox + v[0], oy + v[1], ox + v[2], oy + v[3], ox + v[4], oy + v[5],
				             err);
				break;
			case 'S': {
				/* the first control point mirrors the last one of a C or S */
				double x1 = b->x, y1 = b->y;
				if (b->prev == 'C' || b->prev == 'S') {
					x1 = 2 * b->x - b->cx;
					y1 = 2 * b->y - b->cy;
				}
				r = curve_to(b, x1, y1, ox + v[0], oy + v[1], ox + v[2], oy + v[3], err);
				break;
			}
			case 'Q':
			case 'T': {
				double qx, qy, ex, ey, x0 = b->x, y0 = b->y;
				if (up == 'Q') {
					qx = ox + v[0];
					qy = oy + v[1];
					ex = ox + v[2];
					ey = oy + v[3];
				} else {
					qx = x0;
					qy = y0;
					if (b->prev == 'Q' || b->prev == 'T') {
						qx = 2 * x0 - b->qx;
						qy = 2 * y0 - b->qy;
					}
					ex = ox + v[0];
					ey = oy + v[1];
				}
				r = curve_to(b, x0 + 2.0 / 3 * (qx - x0), y0 + 2.0 / 3 * (qy - y0),
				             ex + 2.0 / 3 * (qx - ex), ey + 2.0 / 3 * (qy - ey), ex, ey, err);
				b->qx = qx;
				b->qy = qy;
				break;
			}
			case 'A':
				rx = v[0];
				ry = v[1];
				r = arc_to(b, rx, ry, v[2], flags[0], flags[1], ox + v[5], oy + v[6], err);
				break;
			}
			if (r)
				goto fail;
			b->prev = up;
			sets++;
			p = skip_sep(p);
		} while (*p && starts_number(p));
	}
	return HD_OK;
fail:
	if (r == HD_EINPUT)
		*err_at = (size_t)(cmd_at - d);
	return r;
}

int hd_parse_numbers(const char *s, double *out, int n, size_t *err_at)
{
	const char *p = s;
	int i;
	for (i = 0; i < n; i++) {
		if (!read_number(&p, &out[i]) || !isfinite(out[i])) {
			*err_at = (size_t)(skip_sep(p) - s);
			return HD_EINPUT;
		}
	}
	while (is_wsp(*p))
		p++;
	if (*p) {
		*err_at = (size_t)(p - s);
		return HD_EINPUT;
	}
	return HD_OK;
}

/* ----- shapes ------------------------------------------------------------------------ */

static int check_coords(const double *v, int n, const char **err)
{
	int i;
	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]) || fabs(v[i]) > HD_DRAWING_MAX_COORD) {
			*err = "a number is out of range (at most 100000)";
			return HD_EINPUT;
		}
	}
	return HD_OK;
}

/* A quarter of an ellipse from angle a (multiples of 90 degrees) on. */
static int quarter(hd_path_build *b, double cx, double cy, double rx, double ry, int q,
                   const char **err)
{
	static const double k = 0.5522847498307936; /* 4/3 tan(pi/8) */
	static const int ux[5] = { 1, 0, -1, 0, 1 }, uy[5] = { 0, 1, 0, -1, 0 };
	double x0 = ux[q], y0 = uy[q], x1 = ux[q + 1], y1 = uy[q + 1];
	return curve_to(b, cx + rx * (x0 - k * y0), cy + ry * (y0 + k * x0),
	                cx + rx * (x1 + k * y1), cy + ry * (y1 - k * x1), cx + rx * x1,
	                cy + ry * y1, err);
}

int hd_path_ellipse(hd_path_build *b, double cx, double cy, double rx, double ry,
                    const char **err)
{
	double v[4] = { cx, cy, rx, ry };
	int q, r = check_coords(v, 4, err);
	if (r)
		return r;
	if (rx <= 0 || ry <= 0) {
		*err = "a radius must be greater than 0";
		return HD_EINPUT;
	}
	r = move_to(b, cx + rx, cy, err);
	for (q = 0; q < 4 && !r; q++)
		r = quarter(b, cx, cy, rx, ry, q, err);
	return r ? r : close_path(b, err);
}

int hd_path_rect(hd_path_build *b, double x, double y, double w, double h, double rad,
                 const char **err)
{
	static const double k = 0.5522847498307936;
	double v[5] = { x, y, w, h, rad }, c;
	int r = check_coords(v, 5, err);
	if (r)
		return r;
	if (w <= 0 || h <= 0 || rad < 0) {
		*err = w <= 0 || h <= 0 ? "a width and a height must be greater than 0"
		                        : "a corner radius cannot be negative";
		return HD_EINPUT;
	}
	if (rad > w / 2)
		rad = w / 2;
	if (rad > h / 2)
		rad = h / 2;
	c = rad * (1 - k);
	r = move_to(b, x + rad, y, err);
	if (!r)
		r = line_to(b, x + w - rad, y, err);
	if (!r && rad > 0)
		r = curve_to(b, x + w - c, y, x + w, y + c, x + w, y + rad, err);
	if (!r)
		r = line_to(b, x + w, y + h - rad, err);
	if (!r && rad > 0)
		r = curve_to(b, x + w, y + h - c, x + w - c, y + h, x + w - rad, y + h, err);
	if (!r)
		r = line_to(b, x + rad, y + h, err);
	if (!r && rad > 0)
		r = curve_to(b, x + c, y + h, x, y + h - c, x, y + h - rad, err);
	if (!r)
		r = line_to(b, x, y + rad, err);
	if (!r && rad > 0)
		r = curve_to(b, x, y + c, x + c, y, x + rad, y, err);
	return r ? r : close_path(b, err);
}

int hd_path_line(hd_path_build *b, double x1, double y1, double x2, double y2, const char **err)
{
	double v[4] = { x1, y1, x2, y2 };
	int r = check_coords(v, 4, err);
	if (!r)
		r = move_to(b, x1, y1, err);
	return r ? r : line_to(b, x2, y2, err);
}

/* ----- measuring ---------------------------------------------------------------------- */

static void grow_box(double box[4], double x, double y, int *any)
{
	if (!*any) {
		box[0] = box[2] = x;
		box[1] = box[3] = y;
		*any = 1;
		return;
	}
	if (x < box[0])
		box[0] = x;
	if (y < box[1])
		box[1] = y;
	if (x > box[2])
		box[2] = x;
	if (y > box[3])
		box[3] = y;
}

void hd_path_bbox(const hd_path_seg *segs, size_t n, double box[4])
{
	double x = 0, y = 0;
	int any = 0;
	size_t i;

	box[0] = box[1] = box[2] = box[3] = 0;
	for (i = 0; i < n; i++) {
		const double *p = segs[i].p;
		int k;
		switch (segs[i].op) {
		case HD_PATH_MOVE:
		case HD_PATH_LINE:
			x = p[0];
			y = p[1];
			grow_box(box, x, y, &any);
			break;
		case HD_PATH_CURVE:
			/* sampled: close enough for placing a label, and never
			 * beyond the curve as the control points can be */
			for (k = 1; k <= 16; k++) {
				double t = k / 16.0, u = 1 - t;
				double bx = u * u * u * x + 3 * u * u * t * p[0] + 3 * u * t * t * p[2] +
				            t * t * t * p[4];
				double by = u * u * u * y + 3 * u * u * t * p[1] + 3 * u * t * t * p[3] +
				            t * t * t * p[5];
				grow_box(box, bx, by, &any);
			}
			x = p[4];
			y = p[5];
			break;
		case HD_PATH_RECT:
			grow_box(box, p[0], p[1], &any);
			grow_box(box, p[0] + p[2], p[1] + p[3], &any);
			break;
		case HD_PATH_CLOSE:
			break;
		}
	}
}

const hd_drawing *hd_drawing_find(const hd_drawing *const *sorted, size_t n, const char *id)
{
	size_t lo = 0, hi = n;
	if (!id)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sorted[mid]->id, id);
		if (c == 0)
			return sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *hd_drawing_alt(const hd_drawing *dr, const char *lang)
{
	size_t i;
	if (!dr || !dr->nalts)
		return NULL;
	for (i = 0; lang && i < dr->nalts; i++) {
		if (!strcmp(dr->alts[i].lang, lang))
			return dr->alts[i].text;
	}
	return dr->alts[0].text;
}
