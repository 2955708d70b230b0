/*
 * pages: the page masters. Pages are made in the template's order; each
 * master's frames receive their flows; the last master repeats while a flow
 * it shows has content. Then every page gets its master's running header and
 * footer ("Page X of Y" is known only now), and fold marks where asked.
 *
 * A document with a page limit is laid out at its preferred body size; if
 * that is too long, at its floor; if the floor fits, at the largest size in
 * 0.5 pt steps that fits; if even the floor does not, at the largest size
 * that needs no more pages than the floor did. A nearly empty last page is
 * then filled by ending the page before it earlier.
 */
#include "flow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-6
#define SHRINK_STEP 0.5   /* points */
#define MAX_PAGES 2000    /* a runaway document stops here, with an error */
#define LOGO_MAX_RATIO 3.0 /* a wide logo gets lower, not wider than 3 x its height */
#define NEARLY_EMPTY 0.25 /* a last page filled less than this is rebalanced */

/* ----- bands: running header and footer --------------------------------------------- */

typedef struct slot_fit {
	double size;          /* fitted size */
	const hd_style *st;
	const char *fmt;
	double width;         /* the width it may take (it wraps beyond) */
	int nlines;           /* lines it takes at size in width */
	double lead;          /* height of each of its lines */
} slot_fit;

typedef struct line_fit {
	slot_fit s[3];        /* left, center, right */
	double height, baseline; /* baseline of the first line from the top */
} line_fit;

typedef struct band_fit {
	line_fit *lines;
	size_t nlines;
	double content;       /* height of the lines or the logo, points */
	double logo_w, logo_h;
	double text_x;        /* where the lines start (after the logo) */
} band_fit;

typedef struct master_fit {
	band_fit header, footer;
	double body_top, body_bottom;
} master_fit;

typedef struct pctx {
	lctx c;
	const hd_layout_in *in;
	double pw, ph;        /* page size */
	double band_size;     /* body size the bands scale with (the preferred one) */
	master_fit *fits;
	flowst *flows;
	size_t nflows;
	double cap_ratio;     /* < 1: the page before the last gets this share of its height */
	size_t cap_page;      /* 1-based page the cap applies to; 0: none */
	double last_used, last_avail;
} pctx;

/* Replaces {page} and {pages} in s into b. */
static void page_numbers(hd_buf *b, const char *s, size_t page, size_t pages)
{
	while (*s) {
		size_t n = strcspn(s, "{");
		hd_buf_append(b, s, n); /* the text up to the next brace, at once */
		s += n;
		if (!*s)
			break;
		if (!strncmp(s, "{pages}", 7)) {
			hd_buf_printf(b, "%zu", pages);
			s += 7;
		} else if (!strncmp(s, "{page}", 6)) {
			hd_buf_printf(b, "%zu", page);
			s += 6;
		} else {
			hd_buf_putc(b, *s++);
		}
	}
}

/* Expands the document's fields in fmt, then {page} and {pages} (which a
 * field such as {page-label} may hold: "Page {page} of {pages}"). NULL on
 * out of memory. The result lives in the display's arena; *info says what
 * the first field is, for messages. */
static char *expand(pctx *p, const char *fmt, size_t page, size_t pages, hd_field_info *info)
{
	hd_buf b = HD_BUF_INIT, out = HD_BUF_INIT;
	const char *s = fmt;
	char *res;

	if (info)
		memset(info, 0, sizeof(*info));
	while (*s) {
		const char *close;
		size_t n = strcspn(s, "{");
		if (n) { /* the text up to the next brace, at once */
			hd_buf_append(&b, s, n);
			s += n;
			continue;
		}
		if (*s == '{' && (close = strchr(s, '}')) != NULL) {
			char key[64];
			size_t klen = (size_t)(close - s - 1);
			const char *v = NULL;
			hd_field_info fi;
			memset(&fi, 0, sizeof(fi));
			if (klen < sizeof(key)) {
				memcpy(key, s + 1, klen);
				key[klen] = '\0';
				if (p->in->field && strcmp(key, "page") && strcmp(key, "pages"))
					v = p->in->field(p->in->field_ctx, key, &fi);
			}
			if (v) {
				hd_buf_puts(&b, v);
				if (info && !info->what)
					*info = fi;
				s = close + 1;
				continue;
			}
		}
		hd_buf_putc(&b, *s++);
	}
	page_numbers(&out, b.data ? b.data : "", page, pages);
	res = b.oom || out.oom ? NULL : hd_arena_strdup(&p->c.disp->arena, out.data ? out.data : "");
	hd_buf_free(&b);
	hd_buf_free(&out);
	return res;
}


/* One line of a wrapped band text, for break_text's callback. */
typedef struct text_line {
	hd_buf *b;
	double width;
} text_line;

static int collect_run(void *ctx, unsigned face, const char *text, size_t len, int nspaces,
                       double width)
{
	text_line *tl = ctx;
	(void)face;
	(void)nspaces;
	tl->width += width;
	return hd_buf_append(tl->b, text, len);
}

/* Breaks text (one face, at size) into lines of at most width points with
 * the one line breaker, calling cb(ctx, line, line width) for each. Returns
 * the number of lines (0 when out of memory), in *widest the widest, and in
 * *split (when not NULL) 1 if a word had to be cut between characters. */
static int break_text(const lctx *c, unsigned face, double size, const char *text, double width,
                      double *widest, int *split, int (*cb)(void *, const char *, double),
                      void *ctx)
{
	hd_span sp;
	hd_fi_list items = { 0 };
	hd_pos pos = { 0, 0 };
	hd_line ln;
	int n = 0;

	memset(&sp, 0, sizeof(sp));
	sp.text = text;
	sp.len = strlen(text);
	*widest = 0.0;
	if (split)
		*split = 0;
	if (hd_itemize(&items, &sp, face, size, c->m))
		return 0;
	while (hd_break_line(items.items, items.count, pos, width, c->m, size, &ln)) {
		hd_buf b = HD_BUF_INIT;
		text_line tl = { &b, 0.0 };
		if (hd_line_runs(items.items, &ln, c->m, size, collect_run, &tl) || b.oom) {
			hd_buf_free(&b);
			n = 0;
			break;
		}
		if (tl.width > *widest)
			*widest = tl.width;
		if (split && ln.emergency)
			*split = 1;
		if (cb && cb(ctx, b.data ? b.data : "", tl.width)) {
			hd_buf_free(&b);
			n = 0;
			break;
		}
		hd_buf_free(&b);
		n++;
		pos = ln.next;
	}
	hd_fi_list_free(&items);
	return n;
}

static double band_text_size(const pctx *p, const hd_style *st)
{
	double s = st->size * p->band_size;
	return s < p->in->min_text_size ? p->in->min_text_size : s;
}

/* 1 if a message quoting text was given already (masters share bands: one
 * message per text). */
static int said_before(const hd_diags *d, const char *text)
{
	size_t i, n = strlen(text) > 20 ? 20 : strlen(text);
	for (i = 0; d && i < d->count; i++) {
		const char *q = strchr(d->items[i].message, '"');
		if (q && !strncmp(q + 1, text, n))
			return 1;
	}
	return 0;
}

/* The error for a text that cannot fit its header or footer even wrapped
 * (a word wider than the page): what it is, from where, quoted up to 60
 * bytes. */
static void too_long(lctx *c, const char *file, const hd_field_info *info, const char *text,
                     int is_header)
{
	size_t len = strlen(text), cut = len > 60 ? 60 : len;
	while (cut < len && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--;
	hd_error_at(c->d, file, 0, 0, info->hint ? info->hint : "shorten this text in the template",
	            "%s \"%.*s%s\" is too long for the page %s", info->what ? info->what : "the text",
	            (int)cut, text, cut < len ? "\xE2\x80\xA6" : "", is_header ? "header" : "footer");
}

/* Measures a band: line heights, the logo, and each text at the largest size
 * down to a floor (6.5 pt, or the document's smallest) that fits beside the
 * others. A text that cannot fit is an error naming where it comes from. */
static int fit_band(pctx *p, const hd_band *band, int is_header, band_fit *bf)
{
	lctx *c = &p->c;
	const hd_layout_in *in = p->in;
	double left = in->page->margin_left, right = p->pw - in->page->margin_right;
	double floor_size = in->min_text_size > 6.5 ? in->min_text_size : 6.5;
	double text_h = 0.0;
	size_t i, pages = 99; /* a wide page label: "Page 99 of 99" */
	int bad = 0;

	memset(bf, 0, sizeof(*bf));
	bf->text_x = left;
	if (is_header && band->logo && in->logo_aspect > 0) {
		bf->logo_h = band->logo_height;
		bf->logo_w = bf->logo_h * in->logo_aspect;
		if (bf->logo_w > bf->logo_h * LOGO_MAX_RATIO) {
			bf->logo_w = bf->logo_h * LOGO_MAX_RATIO;
			bf->logo_h = bf->logo_w / in->logo_aspect;
		}
		bf->text_x = left + bf->logo_w + 10.0;
	}
	bf->lines = hd_arena_alloc(&c->disp->arena, (band->nlines ? band->nlines : 1) * sizeof(*bf->lines));
	if (!bf->lines)
		return HD_ENOMEM;
	bf->nlines = band->nlines;
	for (i = 0; i < band->nlines; i++) {
		const hd_slot *slots[3] = { &band->lines[i].left, &band->lines[i].center,
			                    &band->lines[i].right };
		line_fit *lf = &bf->lines[i];
		double w[3] = { 0, 0, 0 }, asc = 0, desc = 0, lead = 0, first_lead = 0;
		char *txt[3] = { NULL, NULL, NULL };
		hd_field_info info[3];
		int k;
		for (k = 0; k < 3; k++) {
			const hd_style *st;
			if (!slots[k]->text)
				continue;
			st = hd_style_at(c, slots[k]->style);
			lf->s[k].st = st;
			lf->s[k].fmt = slots[k]->text;
			lf->s[k].size = band_text_size(p, st);
			txt[k] = expand(p, slots[k]->text, pages, pages, &info[k]);
			if (!txt[k])
				return HD_ENOMEM;
			hd_check_text(c, info[k].file ? info[k].file : in->template_file, 0, st->face,
			              txt[k], strlen(txt[k]));
			w[k] = hd_text_width(c->m, st->face, lf->s[k].size, txt[k], strlen(txt[k]));
		}
		/* the right and centre texts first, then the left one gets the
		 * rest: each shrinks down to the floor; what still does not fit
		 * wraps onto more lines at the floor size (large print keeps its
		 * size); only a word wider than the page is an error */
		for (k = 2; k >= 0; k--) {
			double avail = right - bf->text_x, need, widest = 0.0;
			int split = 0;
			if (!txt[k])
				continue;
			if (k == 0)
				avail -= (w[2] > 0 ? w[2] + 12.0 : 0) + (w[1] > 0 ? w[1] + 12.0 : 0);
			else if (k == 1)
				avail -= 2 * (w[2] > 0 ? w[2] + 12.0 : 0);
			else
				avail = (right - bf->text_x) / (txt[0] ? 2.0 : 1.0);
			need = w[k];
			lf->s[k].width = avail;
			lf->s[k].nlines = 1;
			if (need > avail + EPS) {
				double sz = floor(lf->s[k].size * avail / need * 10.0) / 10.0;
				if (sz >= floor_size - EPS) {
					lf->s[k].size = sz;
				} else {
					lf->s[k].size = floor_size < lf->s[k].size ? floor_size : lf->s[k].size;
					lf->s[k].nlines = break_text(c, lf->s[k].st->face, lf->s[k].size, txt[k],
					                             avail, &widest, &split, NULL, NULL);
					if (!lf->s[k].nlines)
						return HD_ENOMEM;
				}
				w[k] = hd_text_width(c->m, lf->s[k].st->face, lf->s[k].size, txt[k],
				                     strlen(txt[k]));
				if (lf->s[k].nlines > 1)
					w[k] = widest;
				if (split || widest > avail + EPS) {
					bad = 1;
					if (!said_before(c->d, txt[k]))
						too_long(c, info[k].file ? info[k].file : in->template_file,
						         &info[k], txt[k], is_header);
				}
			}
			asc = fmax(asc, c->m->ascent[lf->s[k].st->face & 3] * lf->s[k].size / 1000.0);
			desc = fmax(desc, -c->m->descent[lf->s[k].st->face & 3] * lf->s[k].size / 1000.0);
			lf->s[k].lead = fmax(lf->s[k].st->leading * lf->s[k].size,
			                     (c->m->ascent[lf->s[k].st->face & 3] -
			                      c->m->descent[lf->s[k].st->face & 3]) * lf->s[k].size / 1000.0);
			lead = fmax(lead, lf->s[k].lead * lf->s[k].nlines);
			first_lead = fmax(first_lead, lf->s[k].lead);
		}
		lf->height = fmax(lead, asc + desc);
		lf->baseline = (fmax(first_lead, asc + desc) - (asc + desc)) / 2 + asc;
		text_h += lf->height;
	}
	bf->content = fmax(text_h, bf->logo_h);
	return bad ? HD_EINPUT : HD_OK;
}

static int fit_masters(pctx *p)
{
	const hd_page_spec *ps = p->in->page;
	size_t i;
	int r = HD_OK;

	p->fits = hd_arena_alloc(&p->c.disp->arena, (ps->nmasters ? ps->nmasters : 1) * sizeof(*p->fits));
	if (!p->fits)
		return HD_ENOMEM;
	for (i = 0; i < ps->nmasters; i++) {
		const hd_master *ms = &ps->masters[i];
		master_fit *mf = &p->fits[i];
		int e;
		mf->body_top = p->ph - ps->margin_top;
		mf->body_bottom = ps->margin_bottom;
		if (ms->has_header) {
			e = fit_band(p, &ms->header, 1, &mf->header);
			if (e == HD_ENOMEM)
				return e;
			if (e && !r)
				r = e;
			mf->body_top -= mf->header.content + ms->header.gap;
		}
		if (ms->has_footer) {
			e = fit_band(p, &ms->footer, 0, &mf->footer);
			if (e == HD_ENOMEM)
				return e;
			if (e && !r)
				r = e;
			mf->body_bottom += mf->footer.content + ms->footer.gap;
		}
		if (mf->body_top - mf->body_bottom < 36.0) {
			hd_error_at(p->c.d, p->in->template_file, 0, 0,
			            "make the margins, header or footer smaller",
			            "the page master '%s' leaves %.0f pt for the body, less than half an inch",
			            ms->name, mf->body_top - mf->body_bottom);
			r = HD_EINPUT;
		}
	}
	return r;
}

/* Where the lines of one slot go, for draw_slot_line. */
typedef struct band_draw {
	pctx *p;
	hd_page *pg;
	const slot_fit *sf;
	int k;            /* 0 left, 1 centre, 2 right */
	double x0, right; /* the band's text area */
	double base;      /* baseline of the next line */
	int r;
} band_draw;

/* Draws one line of a slot and moves down a line. */
static int draw_slot_line(void *ctx, const char *t, double w)
{
	band_draw *bd = ctx;
	const slot_fit *sf = bd->sf;
	lctx *c = &bd->p->c;
	double x = bd->k == 0 ? bd->x0 : bd->k == 1 ? (bd->x0 + bd->right - w) / 2 : bd->right - w;
	bd->r = hd_page_text(c->disp, bd->pg, x, bd->base, sf->st->face, sf->size,
	                     hd_color_rgb(c, sf->st->color), 0.0, t, strlen(t));
	bd->base -= sf->lead;
	return bd->r;
}

/* Draws one band's lines on page pageno of pages. */
static int draw_band(pctx *p, hd_page *pg, const hd_band *band, const band_fit *bf, int is_header,
                     size_t pageno, size_t pages)
{
	lctx *c = &p->c;
	const hd_page_spec *ps = p->in->page;
	double left = ps->margin_left, right = p->pw - ps->margin_right;
	double top, text_top, text_h = 0.0;
	size_t i;
	int r = HD_OK;

	for (i = 0; i < bf->nlines; i++)
		text_h += bf->lines[i].height;
	if (is_header) {
		top = p->ph - ps->margin_top;
		if (bf->logo_h > 0) {
			r = hd_page_image(pg, 0, left, top - bf->logo_h, bf->logo_w, bf->logo_h);
			if (r)
				return r;
		}
	} else {
		top = ps->margin_bottom + bf->content;
	}
	text_top = top - (bf->content - text_h) / 2;
	for (i = 0; i < bf->nlines && !r; i++) {
		const line_fit *lf = &bf->lines[i];
		double base = text_top - lf->baseline;
		int k;
		for (k = 0; k < 3 && !r; k++) {
			const slot_fit *sf = &lf->s[k];
			band_draw bd;
			char *t;
			double widest;
			if (!sf->fmt)
				continue;
			t = expand(p, sf->fmt, pageno, pages, NULL);
			if (!t)
				return HD_ENOMEM;
			if (!*t)
				continue;
			bd.p = p;
			bd.pg = pg;
			bd.sf = sf;
			bd.k = k;
			bd.x0 = bf->text_x;
			bd.right = right;
			bd.base = base;
			bd.r = HD_OK;
			if (sf->nlines <= 1) {
				r = draw_slot_line(&bd, t, hd_text_width(c->m, sf->st->face, sf->size, t,
				                                            strlen(t)));
			} else if (!break_text(c, sf->st->face, sf->size, t, sf->width, &widest, NULL,
			                       draw_slot_line, &bd)) {
				r = bd.r ? bd.r : HD_ENOMEM;
			}
		}
		text_top -= lf->height;
	}
	if (!r && band->rule) {
		const hd_style *rs = hd_style_at(c, band->rule_style);
		double y = is_header ? top - bf->content - band->gap * 0.4
		                     : ps->margin_bottom + bf->content + band->gap * 0.4;
		r = hd_page_line(c->disp, pg, left, y, right, y, hd_color_rgb(c, rs->frame.none ? rs->color : rs->frame),
		                 rs->frame_width > 0 ? rs->frame_width : 0.5, 0.0);
	}
	return r;
}

/* Header, footer and fold marks of every page, drawn first (under the body). */
static int decorate(pctx *p, const size_t *page_master)
{
	lctx *c = &p->c;
	const hd_page_spec *ps = p->in->page;
	size_t pg_i, npages = c->disp->npages;

	for (pg_i = 0; pg_i < npages; pg_i++) {
		hd_page *pg = &c->disp->pages[pg_i];
		const hd_master *ms = &ps->masters[page_master[pg_i]];
		const master_fit *mf = &p->fits[page_master[pg_i]];
		size_t before = pg->count, nd;
		int r = HD_OK;
		if (ms->has_header)
			r = draw_band(p, pg, &ms->header, &mf->header, 1, pg_i + 1, npages);
		if (!r && ms->has_footer)
			r = draw_band(p, pg, &ms->footer, &mf->footer, 0, pg_i + 1, npages);
		if (!r && ms->fold_marks && ms->nframes && ms->frames[0].columns > 1) {
			const hd_frame_spec *fs = &ms->frames[0];
			double bw = p->pw - ps->margin_left - ps->margin_right;
			double cw = (bw - fs->gutter * (fs->columns - 1)) / fs->columns;
			hd_rgb gray = { 150, 150, 150 };
			int k;
			for (k = 1; k < fs->columns && !r; k++) {
				double x = ps->margin_left + k * (cw + fs->gutter) - fs->gutter / 2;
				r = hd_page_line(c->disp, pg, x, p->ph, x, p->ph - 9.0, gray, 0.4, 0.0);
				if (!r)
					r = hd_page_line(c->disp, pg, x, 0.0, x, 9.0, gray, 0.4, 0.0);
			}
		}
		if (r)
			return r;
		/* the decoration goes under the body: move it to the front */
		nd = pg->count - before;
		if (nd && before) {
			hd_item *tmp = malloc(nd * sizeof(*tmp));
			if (!tmp)
				return HD_ENOMEM;
			memcpy(tmp, pg->items + before, nd * sizeof(*tmp));
			memmove(pg->items + nd, pg->items, before * sizeof(*tmp));
			memcpy(pg->items, tmp, nd * sizeof(*tmp));
			free(tmp);
		}
	}
	return HD_OK;
}

/* ----- one attempt at one body size ----------------------------------------------- */

static flowst *flow_named(pctx *p, const char *name)
{
	size_t i;
	for (i = 0; name && i < p->nflows; i++) {
		if (!strcmp(p->flows[i].src->name, name))
			return &p->flows[i];
	}
	return NULL;
}

static hd_rect frame_rect(const pctx *p, const master_fit *mf, const hd_frame_spec *fs)
{
	const hd_page_spec *ps = p->in->page;
	double bw = p->pw - ps->margin_left - ps->margin_right;
	int cols = fs->columns > 0 ? fs->columns : 1;
	int col = fs->column > 0 && fs->column <= cols ? fs->column : 1;
	double cw = (bw - fs->gutter * (cols - 1)) / cols;
	hd_rect r;
	r.x = ps->margin_left + (col - 1) * (cw + fs->gutter);
	r.w = cw;
	r.top = mf->body_top;
	r.h = mf->body_top - mf->body_bottom;
	return r;
}

/* 1 while a flow shown on master ms has content left. */
static int master_has_work(pctx *p, const hd_master *ms)
{
	size_t k;
	for (k = 0; k < ms->nframes; k++) {
		flowst *f = flow_named(p, ms->frames[k].flow);
		if (f && !f->done)
			return 1;
	}
	return 0;
}

static size_t max_anchor(const hd_block *b)
{
	size_t m = 0;
	for (; b; b = b->next) {
		size_t k = max_anchor(b->children);
		if (b->anchor > 0 && (size_t)b->anchor > m)
			m = (size_t)b->anchor;
		if (k > m)
			m = k;
	}
	return m;
}

/* Lays the document out at body size size (see hd_layout_run); problems go
 * to d when report, else nowhere. With cap_ratio < 1, page cap_page gets
 * that share of its height. With stop_after > 0, for a caller that only
 * keeps a layout of at most stop_after pages: it stops as soon as the
 * document needs one more, and *out then has stop_after + 1 pages, the last
 * one empty and none of them decorated (only its page count means
 * anything). */
static int attempt(hd_layout **out, const hd_layout_in *in, const hd_metrics *m, hd_icache *ic,
                   double size, hd_diags *d, int report, double cap_ratio, size_t cap_page,
                   size_t stop_after)
{
	const hd_page_spec *ps = in->page;
	hd_diags quiet = HD_DIAGS_INIT;
	hd_layout *l;
	pctx p;
	size_t *page_master = NULL, i, nanch = 0;
	int r = HD_OK, stopped = 0;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return HD_ENOMEM;
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.pw = ps->landscape ? in->height : in->width;
	p.ph = ps->landscape ? in->width : in->height;
	p.band_size = in->body_size;
	p.cap_ratio = cap_ratio;
	p.cap_page = cap_page;
	p.c.in = in;
	p.c.m = m;
	p.c.icache = ic;
	p.c.d = report ? d : &quiet;
	p.c.disp = &l->display;
	p.c.size = size;
	l->display.width = p.pw;
	l->display.height = p.ph;
	l->body_size = size;

	for (i = 0; i < in->nflows; i++) {
		size_t k = max_anchor(in->flows[i].blocks);
		if (k > nanch)
			nanch = k;
	}
	l->nanchors = nanch + 1;
	l->anchors = hd_arena_alloc(&l->display.arena, l->nanchors * sizeof(*l->anchors));
	p.flows = calloc(in->nflows ? in->nflows : 1, sizeof(*p.flows));
	page_master = malloc(sizeof(*page_master) * (MAX_PAGES + 1));
	if (!l->anchors || !p.flows || !page_master) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	p.c.anchors = l->anchors;
	p.c.nanchors = l->nanchors;
	/* the content first, then the headers and footers, so that problems are
	 * reported in reading order */
	for (i = 0; i < in->nflows && r != HD_ENOMEM; i++) {
		int e = hd_flow_prepare(&p.c, &p.flows[i], &in->flows[i]);
		p.nflows = i + 1;
		if (e && (!r || e == HD_ENOMEM))
			r = e;
	}
	if (r != HD_ENOMEM) {
		int e = fit_masters(&p);
		if (e && (!r || e == HD_ENOMEM))
			r = e;
	}
	if (r)
		goto cleanup;
	if (ps->nsequence == 0 || ps->nmasters == 0) {
		r = HD_EINVAL;
		goto cleanup;
	}

	/* the pages */
	for (i = 0;; i++) {
		size_t mi, k, npg = l->display.npages;
		const hd_master *ms;
		const master_fit *mf;
		hd_page *pg;
		double used_total = 0.0, avail_total = 0.0;
		if (i < ps->nsequence) {
			mi = ps->sequence[i];
			/* past the fixed pages, only a master that still has work */
			if (i > 0 && i + 1 == ps->nsequence && ps->repeat_last &&
			    !master_has_work(&p, &ps->masters[mi]))
				break;
		} else if (ps->repeat_last) {
			mi = ps->sequence[ps->nsequence - 1];
			if (!master_has_work(&p, &ps->masters[mi]))
				break;
		} else {
			break;
		}
		if (i >= MAX_PAGES) {
			hd_error_at(p.c.d, in->file, 0, 0, NULL,
			            "the document would be longer than %d pages; nothing was made",
			            MAX_PAGES);
			r = HD_EINPUT;
			goto cleanup;
		}
		ms = &ps->masters[mi];
		mf = &p.fits[mi];
		pg = hd_display_add_page(&l->display);
		if (!pg) {
			r = HD_ENOMEM;
			goto cleanup;
		}
		page_master[npg] = mi;
		if (stop_after && npg + 1 > stop_after) {
			stopped = 1;
			break;
		}
		for (k = 0; k < ms->nframes; k++) {
			const hd_frame_spec *fs = &ms->frames[k];
			flowst *f = flow_named(&p, fs->flow);
			hd_rect rect = frame_rect(&p, mf, fs);
			double used = 0.0;
			if (p.cap_page == npg + 1 && p.cap_ratio < 1.0)
				rect.h *= p.cap_ratio;
			avail_total += rect.h;
			if (!f)
				continue;
			if (!f->done) {
				r = hd_flow_place(&p.c, f, rect, fs->valign, &l->display.pages[npg],
				                  (int)npg + 1, &used);
				if (r)
					goto cleanup;
				f->last_frame = (int)k;
			}
			used_total += used;
		}
		p.last_used = used_total;
		p.last_avail = avail_total;
	}
	/* content left over: a fixed set of pages cannot grow */
	for (i = 0; i < p.nflows && !stopped; i++) {
		flowst *f = &p.flows[i];
		if (!f->done) {
			double over = hd_flow_rest_height(&p.c, f, f->last_width > 0 ? f->last_width : 100);
			const hd_master *ms = f->last_page > 0 ? &ps->masters[page_master[f->last_page - 1]] : NULL;
			const char *fname = ms && f->last_frame < (int)ms->nframes ? ms->frames[f->last_frame].name : NULL;
			if (fname)
				hd_error_at(p.c.d, in->file, 0, 0,
				            "choose less content for this document, or a smaller type size in "
				            "the template",
				            "the content of '%s' does not fit: %.0f pt (%.0f mm) are left over "
				            "after the %s",
				            f->src->name, over, over * 25.4 / 72.0, fname);
			else
				hd_error_at(p.c.d, in->file, 0, 0,
				            "choose less content for this document, or a smaller type size in "
				            "the template",
				            "the content of '%s' does not fit: %.0f pt (%.0f mm) are left over "
				            "after its last frame, on page %d",
				            f->src->name, over, over * 25.4 / 72.0, f->last_page);
			r = HD_EINPUT;
		}
	}
	if (r)
		goto cleanup;
	l->last_fill = p.last_avail > 0 ? p.last_used / p.last_avail : 1.0;
	if (p.c.split_boxes) {
		hd_error_at(p.c.d, in->file, 0, 0, "use a smaller type size in the template",
		            "a box (the warning signs) is taller than its frame at %.1f pt; it is never "
		            "split, so nothing was made", size);
		r = HD_EINPUT;
		goto cleanup;
	}
	l->forced_breaks = p.c.forced;
	l->optional_figures = p.c.optional;
	if (!stopped)
		r = decorate(&p, page_master);
	if (!r && p.c.missing)
		r = HD_EINPUT;
	if (!r && p.c.oom)
		r = HD_ENOMEM;
cleanup:
	for (i = 0; i < p.nflows; i++)
		hd_flow_free(&p.flows[i]);
	free(p.flows);
	free(page_master);
	hd_diags_free(&quiet);
	if (r) {
		hd_layout_free(l);
		return r;
	}
	*out = l;
	return HD_OK;
}

/* ----- the size that fits ------------------------------------------------------------ */

/* The largest body size, from in->body_size down to in->min_body_size in
 * SHRINK_STEP steps, that keeps to the page limit; when none does, the
 * largest that needs no more pages than the floor size. *size_out is the
 * size chosen. */
static int fit_size(hd_layout **out, double *size_out, const hd_layout_in *in,
                    const hd_metrics *m, hd_icache *ic, hd_diags *d)
{
	hd_layout *l = NULL, *fl = NULL;
	double size = in->body_size;
	double floor_size = in->min_body_size > 0 && in->min_body_size < size ? in->min_body_size
	                                                                      : size;
	int maxp = in->page->max_pages, r;

	*out = NULL;
	r = attempt(&l, in, m, ic, size, d, 1, 1.0, 0, 0);
	if (r)
		return r;
	if (maxp > 0 && (int)l->display.npages > maxp && floor_size < size - EPS) {
		r = attempt(&fl, in, m, ic, floor_size, d, 0, 1.0, 0, 0);
		if (r)
			goto fail;
		if ((int)fl->display.npages > maxp) {
			/* it runs over anyway: the largest size with no more pages */
			size_t want = fl->display.npages;
			if (l->display.npages > want) {
				hd_layout *t = NULL;
				for (size -= SHRINK_STEP; size > floor_size + EPS; size -= SHRINK_STEP) {
					r = attempt(&t, in, m, ic, size, d, 0, 1.0, 0, want);
					if (r)
						goto fail;
					if (t->display.npages <= want)
						break;
					hd_layout_free(t);
					t = NULL;
				}
				hd_layout_free(l);
				l = t ? t : fl;
				if (!t)
					size = floor_size;
				if (l != fl)
					hd_layout_free(fl);
				fl = NULL;
			} else {
				hd_layout_free(fl);
				fl = NULL;
			}
		} else {
			hd_layout *t = NULL;
			hd_layout_free(l);
			l = NULL;
			for (size -= SHRINK_STEP; size > floor_size + EPS; size -= SHRINK_STEP) {
				r = attempt(&t, in, m, ic, size, d, 0, 1.0, 0, (size_t)maxp);
				if (r)
					goto fail;
				if ((int)t->display.npages <= maxp)
					break;
				hd_layout_free(t);
				t = NULL;
			}
			if (t) {
				l = t;
				hd_layout_free(fl);
			} else {
				l = fl;
				size = floor_size;
			}
			fl = NULL;
		}
	}
	*size_out = size;
	*out = l;
	return HD_OK;
fail:
	hd_layout_free(l);
	hd_layout_free(fl);
	return r;
}

/* A nearly empty last page: ends the page before it earlier, at the same
 * size, when that gives the last page more. *l may be replaced. */
static int balance_last_page(hd_layout **l, const hd_layout_in *in, const hd_metrics *m,
                             hd_icache *ic, double size, hd_diags *d)
{
	size_t before = (*l)->display.npages;
	double ratio;

	if (in->page->max_pages <= 0 || before < 2 || (*l)->last_fill >= NEARLY_EMPTY)
		return HD_OK;
	for (ratio = 0.9; ratio > 0.45; ratio -= 0.1) {
		hd_layout *t = NULL;
		int r = attempt(&t, in, m, ic, size, d, 0, ratio, before - 1, before);
		if (r)
			return r;
		if (t->display.npages == before && t->last_fill >= NEARLY_EMPTY) {
			hd_layout_free(*l);
			*l = t;
			break;
		}
		hd_layout_free(t);
	}
	return HD_OK;
}

static int layout_run(hd_layout **out, const hd_layout_in *in, const hd_metrics *m,
                      hd_icache *ic, hd_diags *d)
{
	hd_layout *l = NULL;
	const hd_layout_in *used = in;
	hd_layout_in bare = *in;
	int maxp = in->page->max_pages, r, dropped = 0;
	double size;

	*out = NULL;
	bare.drop_optional = 1;
	r = fit_size(&l, &size, in, m, ic, d);
	if (r)
		return r;
	if (maxp > 0 && (int)l->display.npages > maxp && l->optional_figures > 0) {
		/* the words come first: without the optional figures, if that
		 * keeps to the page limit. One layout at the floor size tells
		 * whether it can; only then is the size searched again. */
		double floor_size = in->min_body_size > 0 && in->min_body_size < in->body_size
		                            ? in->min_body_size
		                            : in->body_size;
		hd_layout *t = NULL;
		r = attempt(&t, &bare, m, ic, floor_size, d, 0, 1.0, 0, (size_t)maxp);
		if (!r && (int)t->display.npages <= maxp) {
			double bare_size = floor_size;
			hd_layout_free(t);
			t = NULL;
			r = fit_size(&t, &bare_size, &bare, m, ic, d);
			if (!r) {
				dropped = l->optional_figures;
				hd_layout_free(l);
				l = t;
				t = NULL;
				size = bare_size;
				used = &bare;
			}
		}
		hd_layout_free(t);
		if (r) {
			hd_layout_free(l);
			return r;
		}
	}
	r = balance_last_page(&l, used, m, ic, size, d);
	if (r) {
		hd_layout_free(l);
		return r;
	}
	l->shrunk = size < in->body_size - EPS;
	l->dropped_figures = dropped;
	hd_display_snap(&l->display);
	{
		size_t i;
		for (i = 0; i < l->nanchors; i++)
			l->anchors[i].y = floor(l->anchors[i].y * 8 + 0.5) / 8;
	}
	*out = l;
	return HD_OK;
}

int hd_layout_run(hd_layout **out, const hd_layout_in *in, const hd_metrics *m, hd_diags *d)
{
	hd_icache *ic = hd_icache_new();
	int r;

	*out = NULL;
	if (!ic)
		return HD_ENOMEM;
	r = layout_run(out, in, m, ic, d);
	hd_icache_free(ic);
	return r;
}

void hd_layout_free(hd_layout *l)
{
	if (!l)
		return;
	hd_display_clear(&l->display);
	free(l);
}

int hd_layout_dump(const hd_layout *l, hd_buf *out)
{
	size_t i;
	int r;

	hd_buf_printf(out, "layout pages=%zu body=%.1f\n", l->display.npages, l->body_size);
	r = hd_display_dump(&l->display, out);
	for (i = 1; !r && i < l->nanchors; i++) {
		if (l->anchors[i].page)
			hd_buf_printf(out, "anchor %zu page=%d y=%.2f\n", i, l->anchors[i].page,
			              l->anchors[i].y);
	}
	return r ? r : (out->oom ? HD_ENOMEM : HD_OK);
}
