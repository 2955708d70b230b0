/*
 * Layout in three steps, each linear in the size of the text:
 *
 *  1. flow: every block becomes "vertical elements" (a line of text, a gap,
 *     callout padding, a rule) with its height and whether a page may break
 *     after it. Paragraph text is cut into words (pieces of one style, which
 *     may span styles, separated by breakable spaces) and broken greedily;
 *     a word wider than the line is split between characters.
 *  2. paginate: elements are poured onto pages; when one does not fit, the
 *     page ends at the last element after which a break is allowed (no lone
 *     first or last paragraph line, headings with what follows, callouts
 *     whole). Only when no such place exists on the page is a rule broken,
 *     and counted.
 *  3. decorate: header, footer and "Page X of Y" (known only now), callout
 *     frames from the extent of their elements on each page.
 *
 * For max_pages documents the body size steps down by 0.5 pt until the text
 * fits or the floor is reached; then the text flows on at the floor size.
 */
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHRINK_STEP 0.5 /* points */
#define EPS 1e-6

/* ----- pieces, words and lines -------------------------------------------- */

typedef struct piece {
	unsigned style;
	const char *text;
	size_t len;
	double width;   /* points */
	int nspaces;    /* U+0020 inside (non-breaking spaces of nobreak spans) */
} piece;

typedef struct word {
	size_t first, count;   /* pieces */
	double width;
	int space_after;       /* 1 if a breakable space follows */
	const char *space_text; /* that space in the source text */
	unsigned space_style;
	double space_width;
} word;

/* A vertical element. */
enum vel_kind { VEL_LINE, VEL_PAD, VEL_RULE };

typedef struct vel {
	enum vel_kind kind;
	double height;        /* points */
	double space_before;  /* dropped at the top of a page */
	double baseline;      /* lines: baseline offset from the element top */
	int no_break_after;   /* a page break right after this element is not allowed */
	int box;              /* callout number + 1, or 0 */
	int anchor;           /* block anchor starting here, or 0 */
	int break_before;     /* start a new page here (unless at a page top) */
	size_t first_item, nitems; /* text items (x final, y = 0) in the flow's item list */
} vel;

typedef struct vec {
	void *data;
	size_t count, cap, size;
} vec;

static void *vec_push(vec *v)
{
	if (v->count == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		void *p = realloc(v->data, cap * v->size);
		if (!p)
			return NULL;
		v->data = p;
		v->cap = cap;
	}
	return memset((char *)v->data + v->size * v->count++, 0, v->size);
}

#define VEC_INIT(type) { NULL, 0, 0, sizeof(type) }
#define VEC_AT(v, type, i) (((type *)(v).data)[i])

typedef struct flow {
	const hd_frame *frame;
	const hd_metrics *m;
	hd_diags *d;
	hd_arena *arena;     /* the layout's arena: item texts live here */
	double size;         /* body size for this attempt */
	vec vels;            /* vel */
	vec items;           /* hd_item */
	vec pieces;          /* piece, per paragraph (reused) */
	vec words;           /* word, per paragraph (reused) */
	int nboxes;
	int missing;         /* a glyph was missing */
	int pending_anchor;  /* given to the next element emitted */
	int pending_break;   /* the next element starts a page */
	int max_anchor;
	int oom;
	uint32_t reported[16]; /* code points already reported as missing */
	size_t nreported;
} flow;

static const hd_rgb BLACK = { 0, 0, 0 };
static const hd_rgb GRAY = { 85, 85, 85 };
static const hd_rgb ALERT = { 140, 30, 30 };
static const hd_rgb ALERT_FILL = { 252, 244, 241 };

/* Width of text in style at size, in points. A missing glyph counts as 0 and
 * sets f->missing; check_glyphs reports it with its context. */
static double measure(flow *f, unsigned style, const char *s, size_t len, double size)
{
	long units = 0;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = hd_utf8_decode(s + i, len - i, &cp);
		int w;
		if (!n) { /* the loader guarantees UTF-8; be safe anyway */
			i++;
			continue;
		}
		i += n;
		w = f->m->width(f->m->ctx, style, cp);
		if (w < 0) {
			f->missing = 1;
			w = 0;
		}
		units += w;
	}
	return (double)units * size / 1000.0;
}

/* Scripts written right to left, and the controls that reorder text. Lines
 * are set left to right with one glyph per character, no bidi reordering and
 * no shaping, so such text would come out backwards (and Arabic unjoined):
 * it is refused, never printed wrong. Sorted by code point. */
static const struct rtl_range {
	uint32_t lo, hi;
	const char *what;
} rtl_ranges[] = {
	{ 0x0590, 0x05FF, "Hebrew" },
	{ 0x0600, 0x06FF, "Arabic" },
	{ 0x0700, 0x074F, "Syriac" },
	{ 0x0750, 0x077F, "Arabic" },
	{ 0x0780, 0x07BF, "Thaana" },
	{ 0x07C0, 0x07FF, "N'Ko" },
	{ 0x0800, 0x083F, "Samaritan" },
	{ 0x0840, 0x085F, "Mandaic" },
	{ 0x0860, 0x086F, "Syriac" },
	{ 0x0870, 0x08FF, "Arabic" },
	{ 0x200F, 0x200F, "a right-to-left mark" },
	{ 0x202B, 0x202B, "a right-to-left embedding" },
	{ 0x202E, 0x202E, "a right-to-left override" },
	{ 0x2067, 0x2067, "a right-to-left isolate" },
	{ 0xFB1D, 0xFB4F, "Hebrew" },
	{ 0xFB50, 0xFDFF, "Arabic" },
	{ 0xFE70, 0xFEFF, "Arabic" },
	{ 0x10800, 0x10FFF, "a right-to-left historic script" },
	{ 0x1E800, 0x1EFFF, "a right-to-left script" },
};

/* The name of the right-to-left script cp belongs to, or NULL. */
static const char *rtl_script(uint32_t cp)
{
	size_t lo = 0, hi = HD_ARRAY_LEN(rtl_ranges);

	if (cp < 0x0590)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < rtl_ranges[mid].lo)
			hi = mid;
		else if (cp > rtl_ranges[mid].hi)
			lo = mid + 1;
		else
			return rtl_ranges[mid].what;
	}
	return NULL;
}

/* The text around byte i of s (n bytes there), up to 30 bytes each side on
 * character boundaries, as *start and *len. */
static void context(const char *s, size_t len, size_t i, size_t n, size_t *start, size_t *clen)
{
	size_t a = i > 30 ? i - 30 : 0, b = i + n + 30 < len ? i + n + 30 : len;
	while (a > 0 && ((unsigned char)s[a] & 0xC0) == 0x80)
		a--;
	while (b < len && ((unsigned char)s[b] & 0xC0) == 0x80)
		b++;
	*start = a;
	*clen = b - a;
}

/* 1 if cp was reported before in this layout; else remembers it. */
static int seen_before(flow *f, uint32_t cp)
{
	size_t k;
	for (k = 0; k < f->nreported && f->reported[k] != cp; k++)
		;
	if (k < f->nreported)
		return 1;
	if (f->nreported < HD_ARRAY_LEN(f->reported))
		f->reported[f->nreported++] = cp;
	return 0;
}

/* Checks that style can show every character of s, and that none belongs to
 * a right-to-left script. One error per text and kind of problem, naming the
 * characters (code points not reported before, up to 6) and quoting the text
 * around the first. Any problem makes the layout fail (f->missing). */
static void check_glyphs(flow *f, const char *file, unsigned style, const char *s, size_t len)
{
	char missing[64] = "", rtl[64] = "";
	size_t i = 0, nmissing = 0, miss_at = 0, miss_n = 0, rtl_at = 0, rtl_n = 0, a, clen;
	const char *script = NULL;

	while (i < len) {
		uint32_t cp;
		size_t n = hd_utf8_decode(s + i, len - i, &cp);
		const char *rs;
		if (!n) {
			i++;
			continue;
		}
		rs = rtl_script(cp);
		if (rs) {
			f->missing = 1;
			if (!script) {
				script = rs;
				rtl_at = i;
				rtl_n = n;
				snprintf(rtl, sizeof(rtl), "U+%04X", (unsigned)cp);
			}
		} else if (f->m->width(f->m->ctx, style, cp) < 0) {
			f->missing = 1;
			if (!seen_before(f, cp) && nmissing < 6) {
				size_t o = strlen(missing);
				if (!nmissing) {
					miss_at = i;
					miss_n = n;
				}
				snprintf(missing + o, sizeof(missing) - o, "%sU+%04X", nmissing ? ", " : "",
				         (unsigned)cp);
				nmissing++;
			}
		}
		i += n;
	}
	if (script) {
		context(s, len, rtl_at, rtl_n, &a, &clen);
		hd_error_at(f->d, file, 0, 0,
		            "write it in Latin letters (for a name, its usual transliteration), or "
		            "leave it out",
		            "right-to-left text cannot be printed yet (it would come out backwards): "
		            "%s from %s in \"%.*s\"", script, rtl, (int)clen, s + a);
	}
	if (nmissing) {
		context(s, len, miss_at, miss_n, &a, &clen);
		hd_error_at(f->d, file, 0, 0,
		            "replace the character, or write the text in a script DejaVu Sans "
		            "covers (Latin, Greek, Cyrillic and more)",
		            "the font has no glyph for %s in \"%.*s\"", missing, (int)clen, s + a);
	}
}

static double ascent_pt(const flow *f, unsigned style, double size)
{
	return f->m->ascent[style] * size / 1000.0;
}

static double descent_pt(const flow *f, unsigned style, double size)
{
	return -f->m->descent[style] * size / 1000.0;
}

/* Cuts the spans into pieces and words. A space ends a word unless its span
 * is nobreak; then it stays inside the word as a non-breaking space. */
static int make_words(flow *f, const hd_span *spans, unsigned add_style, double size)
{
	word *w = NULL;
	const hd_span *s;

	f->pieces.count = 0;
	f->words.count = 0;
	for (s = spans; s; s = s->next) {
		unsigned style = s->style | add_style;
		size_t i = 0;
		check_glyphs(f, NULL, style, s->text, s->len);
		while (i < s->len) {
			size_t j = i;
			piece *p;
			if (s->text[i] == ' ' && !s->nobreak) {
				if (w && !w->space_after) {
					w->space_after = 1;
					w->space_text = s->text + i;
					w->space_style = style;
					w->space_width = measure(f, style, " ", 1, size);
				}
				i++;
				continue;
			}
			while (j < s->len && (s->text[j] != ' ' || s->nobreak))
				j++;
			if (!w || w->space_after) {
				w = vec_push(&f->words);
				if (!w)
					return HD_ENOMEM;
				w->first = f->pieces.count;
			}
			p = vec_push(&f->pieces);
			if (!p)
				return HD_ENOMEM;
			p->style = style;
			p->text = s->text + i;
			p->len = j - i;
			p->width = measure(f, style, p->text, p->len, size);
			for (size_t k = i; k < j; k++)
				p->nspaces += s->text[k] == ' ';
			w->count++;
			w->width += p->width;
			i = j;
		}
	}
	return HD_OK;
}

/* One line under construction: pieces (possibly cut) and spaces. */
typedef struct lfrag {
	unsigned style;
	const char *text;
	size_t len;
	double width;
	int nspaces;
} lfrag;

typedef struct line_ctx {
	flow *f;
	double size;
	double left;       /* x of the line start, points from the page's left edge */
	double width;      /* available width */
	int justify;
	int center;
	hd_rgb color;
	lfrag frags[512];  /* a line never holds more: each frag is >= 1 byte wide */
	size_t nfrags;
	double used;
	int nspaces;
	const char *marker; /* list marker for the first line, or NULL */
	double marker_x;
	unsigned marker_style;
	size_t nlines;     /* lines emitted for this paragraph */
	size_t first_vel;
} line_ctx;

static int emit_line(line_ctx *lc, int last);

static int add_frag(line_ctx *lc, unsigned style, const char *text, size_t len, double width,
                    int nspaces)
{
	lfrag *fr;
	if (lc->nfrags && lc->frags[lc->nfrags - 1].style == style &&
	    lc->frags[lc->nfrags - 1].text + lc->frags[lc->nfrags - 1].len == text) {
		fr = &lc->frags[lc->nfrags - 1]; /* contiguous text: extend */
		fr->len += len;
		fr->width += width;
		fr->nspaces += nspaces;
	} else {
		if (lc->nfrags == HD_ARRAY_LEN(lc->frags)) {
			/* Only zero-width characters switching style hundreds of
			 * times can fill a line's fragments: end the line here. */
			int r = emit_line(lc, 0);
			if (r)
				return r;
		}
		fr = &lc->frags[lc->nfrags++];
		fr->style = style;
		fr->text = text;
		fr->len = len;
		fr->width = width;
		fr->nspaces = nspaces;
	}
	lc->used += width;
	lc->nspaces += nspaces;
	return HD_OK;
}

/* Gives a new element the anchor and page break waiting for it. */
static void take_pending(flow *f, vel *v)
{
	v->anchor = f->pending_anchor;
	v->break_before = f->pending_break;
	f->pending_anchor = 0;
	f->pending_break = 0;
}

static hd_item *push_item(flow *f)
{
	hd_item *it = vec_push(&f->items);
	if (!it)
		f->oom = 1;
	return it;
}

/* Emits the current line as a vertical element. last: the paragraph's last
 * line (never justified). */
static int emit_line(line_ctx *lc, int last)
{
	flow *f = lc->f;
	vel *v;
	double x = lc->left, ws = 0.0, asc = 0.0, desc = 0.0, lead;
	size_t i;

	/* A line never ends in a space. */
	while (lc->nfrags && lc->frags[lc->nfrags - 1].len &&
	       lc->frags[lc->nfrags - 1].text[lc->frags[lc->nfrags - 1].len - 1] == ' ') {
		lfrag *fr = &lc->frags[lc->nfrags - 1];
		double sw = measure(f, fr->style, " ", 1, lc->size);
		fr->len--;
		fr->width -= sw;
		fr->nspaces--;
		lc->used -= sw;
		lc->nspaces--;
		if (!fr->len)
			lc->nfrags--;
	}
	if (lc->justify && !last && lc->nspaces > 0 && lc->used < lc->width)
		ws = (lc->width - lc->used) / lc->nspaces;
	if (lc->center)
		x += (lc->width - lc->used) / 2;

	v = vec_push(&f->vels);
	if (!v)
		return HD_ENOMEM;
	v->kind = VEL_LINE;
	v->first_item = f->items.count;
	take_pending(f, v);
	for (i = 0; i < lc->nfrags; i++) {
		unsigned st = lc->frags[i].style;
		if (ascent_pt(f, st, lc->size) > asc)
			asc = ascent_pt(f, st, lc->size);
		if (descent_pt(f, st, lc->size) > desc)
			desc = descent_pt(f, st, lc->size);
	}
	if (lc->nfrags == 0) {
		asc = ascent_pt(f, HD_REGULAR, lc->size);
		desc = descent_pt(f, HD_REGULAR, lc->size);
	}
	if (lc->marker && lc->nlines == 0) {
		hd_item *it = push_item(f);
		if (!it)
			return HD_ENOMEM;
		it->kind = HD_ITEM_TEXT;
		it->x = lc->marker_x;
		it->style = lc->marker_style;
		it->size = lc->size;
		it->text = lc->marker;
		it->len = strlen(lc->marker);
		it->color = lc->color;
	}
	/* One text item per run of fragments in the same style. */
	for (i = 0; i < lc->nfrags;) {
		size_t j = i, len = 0, o = 0;
		double w = 0.0;
		int nsp = 0;
		hd_item *it;
		char *text;
		while (j < lc->nfrags && lc->frags[j].style == lc->frags[i].style) {
			len += lc->frags[j].len;
			w += lc->frags[j].width;
			nsp += lc->frags[j].nspaces;
			j++;
		}
		text = hd_arena_alloc(f->arena, len + 1);
		it = push_item(f);
		if (!text || !it)
			return HD_ENOMEM;
		for (; i < j; i++) {
			memcpy(text + o, lc->frags[i].text, lc->frags[i].len);
			o += lc->frags[i].len;
		}
		it->kind = HD_ITEM_TEXT;
		it->x = x;
		it->style = lc->frags[j - 1].style;
		it->size = lc->size;
		it->word_space = nsp ? ws : 0.0;
		it->text = text;
		it->len = len;
		it->color = lc->color;
		x += w + ws * nsp;
	}
	v = &VEC_AT(f->vels, vel, f->vels.count - 1);
	v->nitems = f->items.count - v->first_item;
	lead = lc->size * 1.25;
	if (asc + desc > lead)
		lead = asc + desc;
	v->height = lead;
	v->baseline = (lead - (asc + desc)) / 2 + asc;
	lc->nlines++;
	lc->nfrags = 0;
	lc->used = 0;
	lc->nspaces = 0;
	return HD_OK;
}

/* Splits a word that is wider than a whole line between characters, filling
 * lines, and leaves the tail on the current line. */
static int emergency_split(line_ctx *lc, const word *w)
{
	flow *f = lc->f;
	size_t k;

	for (k = 0; k < w->count; k++) {
		const piece *p = &VEC_AT(f->pieces, piece, w->first + k);
		size_t i = 0;
		while (i < p->len) {
			size_t start = i, space = 0;
			double width = 0.0, width_at_space = 0.0;
			int nsp = 0, nsp_at_space = 0;
			int r;
			while (i < p->len) {
				uint32_t cp;
				size_t n = hd_utf8_decode(p->text + i, p->len - i, &cp);
				double cw;
				if (!n)
					n = 1;
				cw = measure(f, p->style, p->text + i, n, lc->size);
				if (lc->used + width + cw > lc->width + EPS &&
				    (lc->used > 0 || i > start))
					break;
				if (p->text[i] == ' ' && i > start) {
					space = i; /* a non-breaking space: still the best place */
					width_at_space = width;
					nsp_at_space = nsp;
				}
				width += cw;
				nsp += p->text[i] == ' ';
				i += n;
			}
			/* Text that must not break (a name) but is wider than the line
			 * breaks at its last space that fits, and only failing that
			 * between two characters. */
			if (i < p->len && space > start && p->text[i] != ' ') {
				i = space;
				width = width_at_space;
				nsp = nsp_at_space;
			}
			if (i > start) {
				r = add_frag(lc, p->style, p->text + start, i - start, width, nsp);
				if (r)
					return r;
			}
			if (i < p->len) {
				r = emit_line(lc, 0);
				if (r)
					return r;
				while (i < p->len && p->text[i] == ' ')
					i++; /* the break consumed the space */
			}
		}
	}
	return HD_OK;
}

/* Breaks the words of a paragraph into lines. Greedy first fit. */
static int break_lines(line_ctx *lc)
{
	flow *f = lc->f;
	size_t i, k;
	int r;

	for (i = 0; i < f->words.count; i++) {
		const word *w = &VEC_AT(f->words, word, i);
		if (lc->used > 0 && lc->used + w->width > lc->width + EPS) {
			r = emit_line(lc, 0);
			if (r)
				return r;
		}
		if (w->width > lc->width + EPS) {
			r = emergency_split(lc, w);
		} else {
			r = HD_OK;
			for (k = 0; k < w->count && !r; k++) {
				const piece *p = &VEC_AT(f->pieces, piece, w->first + k);
				r = add_frag(lc, p->style, p->text, p->len, p->width, p->nspaces);
			}
		}
		if (r)
			return r;
		if (w->space_after && i + 1 < f->words.count) {
			/* add_frag extends the previous fragment when the space follows
			 * it in the source text in the same style. */
			r = add_frag(lc, w->space_style, w->space_text, 1, w->space_width, 1);
			if (r)
				return r;
		}
	}
	if (lc->nfrags || lc->nlines == 0 || (lc->marker && lc->nlines == 0))
		return emit_line(lc, 1);
	return HD_OK;
}

/* Sets the keep rules of a paragraph's lines [first, first + n): no break after
 * the first line or before the last (no orphans or widows); a paragraph of
 * three lines or fewer stays whole. */
static void keep_lines(flow *f, size_t first, size_t n, int keep_with_next)
{
	size_t k;
	for (k = 0; k < n; k++) {
		vel *v = &VEC_AT(f->vels, vel, first + k);
		if (k + 1 < n && (k < 1 || n - k - 1 < 2))
			v->no_break_after = 1;
	}
	if (keep_with_next && n)
		VEC_AT(f->vels, vel, first + n - 1).no_break_after = 1;
}

/* Lays out one paragraph-like text. */
static int flow_text(flow *f, const hd_span *spans, unsigned add_style, double size,
                     double left, double width, double space_before, int justify, int center,
                     hd_rgb color, const char *marker, double marker_x, int keep_next)
{
	line_ctx *lc;
	size_t first = f->vels.count;
	int r;

	lc = calloc(1, sizeof(*lc));
	if (!lc)
		return HD_ENOMEM;
	lc->f = f;
	lc->size = size;
	lc->left = left;
	lc->width = width;
	lc->justify = justify;
	lc->center = center;
	lc->color = color;
	lc->marker = marker;
	lc->marker_x = marker_x;
	lc->marker_style = add_style;
	r = make_words(f, spans, add_style, size);
	if (!r)
		r = break_lines(lc);
	free(lc);
	if (r)
		return r;
	if (f->vels.count > first)
		VEC_AT(f->vels, vel, first).space_before = space_before;
	keep_lines(f, first, f->vels.count - first, keep_next);
	return HD_OK;
}

static double small_size(double s)
{
	/* Fine print shrinks in standard print only: large print stays large. */
	return s >= 14.0 ? s : s * 0.85;
}

static int flow_blocks(flow *f, const hd_block *b, double left, double width, int box);

static int flow_list(flow *f, const hd_block *list, double left, double width, int box)
{
	const hd_block *it;
	double s = f->size;
	double indent = s * 1.3, gap = s * 0.35;
	int n = 0, count = 0, r;
	char *marker;

	for (it = list->children; it; it = it->next)
		count++;
	if (list->flags & HD_BF_ORDERED) {
		/* Numbers stand right-aligned in a column as wide as the widest. */
		char widest[24];
		double w;
		snprintf(widest, sizeof(widest), "%d.", count);
		w = measure(f, HD_REGULAR, widest, strlen(widest), s);
		if (s * 0.2 + w + gap > indent)
			indent = s * 0.2 + w + gap;
	}
	for (it = list->children; it; it = it->next) {
		double mx = left + s * 0.2;
		n++;
		if (list->flags & HD_BF_ORDERED) {
			marker = hd_arena_printf(f->arena, "%d.", n);
			if (marker)
				mx = left + indent - gap - measure(f, HD_REGULAR, marker, strlen(marker), s);
		} else {
			marker = hd_arena_strdup(f->arena, "\xE2\x80\xA2"); /* U+2022 bullet */
		}
		if (!marker)
			return HD_ENOMEM;
		/* List items stay ragged: justified short lines open wide gaps. */
		r = flow_text(f, it->spans, 0, s, left + indent, width - indent,
		              n == 1 ? s * 0.3 : s * 0.2, 0, 0, BLACK, marker, mx, 0);
		if (r)
			return r;
		if (it->children) {
			r = flow_blocks(f, it->children, left + indent, width - indent, box);
			if (r)
				return r;
		}
	}
	return HD_OK;
}

static int flow_callout(flow *f, const hd_block *b, double left, double width)
{
	double s = f->size, pad = s * 0.7;
	size_t first = f->vels.count, k;
	int box = ++f->nboxes;
	vel *v;
	int r;

	v = vec_push(&f->vels);
	if (!v)
		return HD_ENOMEM;
	v->kind = VEL_PAD;
	v->height = pad;
	v->space_before = s * 0.9;
	take_pending(f, v);
	if (b->spans) {
		r = flow_text(f, b->spans, HD_BOLD, s * 1.1, left + pad, width - 2 * pad, 0, 0, 0,
		              ALERT, NULL, 0, 1);
		if (r)
			return r;
	}
	r = flow_blocks(f, b->children, left + pad, width - 2 * pad, box);
	if (r)
		return r;
	v = vec_push(&f->vels);
	if (!v)
		return HD_ENOMEM;
	v->kind = VEL_PAD;
	v->height = pad;
	/* The whole callout is one unit: no break anywhere inside it. */
	for (k = first; k < f->vels.count; k++) {
		vel *e = &VEC_AT(f->vels, vel, k);
		e->box = box;
		e->no_break_after = k + 1 < f->vels.count;
	}
	return HD_OK;
}

/* A contents line: the text (indented for level 2), dot leaders, and the
 * page number flush right. Text too long for the line wraps; the number goes
 * on its last line. */
static int flow_toc(flow *f, const hd_block *b, double left, double width)
{
	double s = f->size, indent = b->level >= 2 ? s * 1.5 : 0.0;
	const char *right = b->right ? b->right : "";
	double rw = measure(f, HD_REGULAR, right, strlen(right), s);
	double dot = measure(f, HD_REGULAR, ". ", 2, s);
	size_t first = f->vels.count, k;
	vel *v;
	hd_item *it;
	double end_x = left + indent;
	int r;

	check_glyphs(f, NULL, HD_REGULAR, right, strlen(right));
	r = flow_text(f, b->spans, b->level <= 1 ? HD_BOLD : 0, s, left + indent,
	              width - indent - rw - 4 * dot, b->level <= 1 ? s * 0.6 : s * 0.15, 0, 0,
	              b->level <= 1 ? f->frame->accent : BLACK, NULL, 0, 0);
	if (r || f->vels.count == first)
		return r;
	v = &VEC_AT(f->vels, vel, f->vels.count - 1);
	for (k = 0; k < v->nitems; k++) {
		const hd_item *t = &VEC_AT(f->items, hd_item, v->first_item + k);
		double w = measure(f, t->style, t->text, t->len, t->size);
		if (t->x + w > end_x)
			end_x = t->x + w;
	}
	/* Dot leaders from the end of the text to the number: one run of ". "
	 * starting on a grid of its own width, so the dots of all lines stand
	 * in columns. */
	{
		double grid = measure(f, HD_REGULAR, ". ", 2, s);
		double x = ceil((end_x + dot) / grid) * grid, stop = left + width - rw - dot;
		size_t n = grid > 0 ? (size_t)((stop - x + grid - dot) / grid) : 0;
		if (x < stop && n > 0) {
			char *dots = hd_arena_alloc(f->arena, 2 * n);
			if (!dots)
				return HD_ENOMEM;
			for (k = 0; k < n; k++)
				memcpy(dots + 2 * k, ". ", 2);
			dots[2 * n - 1] = '\0';
			it = push_item(f);
			if (!it)
				return HD_ENOMEM;
			it->kind = HD_ITEM_TEXT;
			it->x = x;
			it->style = HD_REGULAR;
			it->size = s;
			it->text = dots;
			it->len = 2 * n - 1;
			it->color = GRAY;
		}
	}
	it = push_item(f);
	if (!it)
		return HD_ENOMEM;
	it->kind = HD_ITEM_TEXT;
	it->x = left + width - rw;
	it->style = HD_REGULAR;
	it->size = s;
	it->text = hd_arena_strdup(f->arena, right);
	if (!it->text)
		return HD_ENOMEM;
	it->len = strlen(right);
	it->color = BLACK;
	v = &VEC_AT(f->vels, vel, f->vels.count - 1);
	v->nitems = f->items.count - v->first_item;
	return HD_OK;
}

static int flow_blocks(flow *f, const hd_block *b, double left, double width, int box)
{
	double s = f->size;
	int r = HD_OK;

	for (; b && !r; b = b->next) {
		int keep = (b->flags & HD_BF_KEEP_NEXT) != 0;
		if (b->anchor > 0) {
			f->pending_anchor = b->anchor;
			if (b->anchor > f->max_anchor)
				f->max_anchor = b->anchor;
		}
		switch (b->kind) {
		case HD_BLK_HEADING:
			if (b->level <= 1)
				r = flow_text(f, b->spans, HD_BOLD, s * 1.7, left, width, s * 0.5, 0,
				              (b->flags & HD_BF_CENTER) != 0, f->frame->accent, NULL, 0, 1);
			else if (b->level == 2)
				r = flow_text(f, b->spans, HD_BOLD, s * 1.15, left, width, s * 0.75, 0,
				              0, f->frame->accent, NULL, 0, 1);
			else if (b->level == 3)
				r = flow_text(f, b->spans, HD_BOLD, s * 1.05, left, width, s * 0.9, 0,
				              0, BLACK, NULL, 0, 1);
			else
				r = flow_text(f, b->spans, HD_BOLD, s * 0.9, left, width, s * 0.4, 0,
				              0, GRAY, NULL, 0, 1);
			break;
		case HD_BLK_TOC:
			r = flow_toc(f, b, left, width);
			break;
		case HD_BLK_PAGEBREAK:
			f->pending_break = 1;
			break;
		case HD_BLK_PARA: {
			int small = (b->flags & HD_BF_SMALL) != 0;
			int just = f->frame->justify && !(b->flags & HD_BF_NOJUSTIFY);
			r = flow_text(f, b->spans, 0, small ? small_size(s) : s, left, width,
			              s * 0.35, just, (b->flags & HD_BF_CENTER) != 0,
			              small ? GRAY : BLACK, NULL, 0, keep);
			break;
		}
		case HD_BLK_LIST:
			r = flow_list(f, b, left, width, box);
			break;
		case HD_BLK_ITEM: /* an item outside a list: treat as a paragraph */
			r = flow_text(f, b->spans, 0, s, left, width, s * 0.25, f->frame->justify, 0,
			              BLACK, NULL, 0, keep);
			break;
		case HD_BLK_CALLOUT:
			r = flow_callout(f, b, left, width);
			break;
		case HD_BLK_TABLE: /* the new layout engine (src/layout/) lays these out */
		case HD_BLK_ROW:
		case HD_BLK_CELL:
		case HD_BLK_FIGURE:
		case HD_BLK_SPACER:
			break;
		case HD_BLK_RULE: {
			vel *v = vec_push(&f->vels);
			if (!v)
				return HD_ENOMEM;
			v->kind = VEL_RULE;
			v->height = s * 0.6;
			v->space_before = s * 0.3;
			take_pending(f, v);
			break;
		}
		}
	}
	return r;
}

/* ----- pages -------------------------------------------------------------------- */

static hd_page *new_page(hd_layout *l)
{
	hd_page *p;
	if (l->npages == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		hd_page *np = realloc(l->pages, cap * sizeof(*np));
		if (!np)
			return NULL;
		l->pages = np;
		l->cap = cap;
	}
	p = &l->pages[l->npages++];
	memset(p, 0, sizeof(*p));
	return p;
}

static hd_item *page_item(hd_page *p)
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

/* Geometry of the running header and footer, points. */
#define HEADER_H 56.0
#define FOOTER_H 24.0

static double body_top(const hd_frame *fr)
{
	return fr->height - fr->margin_top - HEADER_H;
}

static double body_bottom(const hd_frame *fr)
{
	return fr->margin_bottom + FOOTER_H;
}

/* Pours the elements onto pages. Returns HD_OK or HD_ENOMEM. */
static int paginate(hd_layout *l, flow *f)
{
	const hd_frame *fr = f->frame;
	double avail = body_top(fr) - body_bottom(fr);
	size_t n = f->vels.count, start = 0;
	vel *v = f->vels.data;

	l->nanchors = (size_t)f->max_anchor + 1;
	l->anchors = hd_arena_alloc(&l->arena, l->nanchors * sizeof(*l->anchors));
	if (!l->anchors)
		return HD_ENOMEM;

	while (start < n) {
		double y = 0.0;
		size_t i = start, end;
		long last_ok = -1;
		hd_page *pg;

		while (i < n) {
			double h = v[i].height + (i == start ? 0.0 : v[i].space_before);
			if (i > start && v[i].break_before) {
				last_ok = (long)i - 1; /* a forced break is always allowed */
				break;
			}
			if (y + h > avail + EPS && i > start)
				break;
			y += h;
			if (!v[i].no_break_after)
				last_ok = (long)i;
			i++;
		}
		if (i == n)
			end = n;
		else if (i > start && v[i].break_before)
			end = i;
		else if (last_ok >= (long)start)
			end = (size_t)last_ok + 1;
		else {
			end = i; /* nothing allowed on this page: break a keep rule */
			l->forced_breaks++;
			if (v[end - 1].box && v[end].box == v[end - 1].box)
				l->split_boxes++;
		}

		pg = new_page(l);
		if (!pg)
			return HD_ENOMEM;
		/* Place elements [start, end). */
		{
			double top = body_top(fr);
			int open_box = 0;
			double box_top = 0.0, box_bottom = 0.0;
			size_t box_item = 0;
			for (i = start; i < end; i++) {
				if (i > start)
					top -= v[i].space_before;
				if (v[i].box && v[i].box != open_box) {
					hd_item *r = page_item(pg);
					if (!r)
						return HD_ENOMEM;
					open_box = v[i].box;
					box_item = pg->count - 1;
					box_top = top;
				}
				if (v[i].anchor > 0 && (size_t)v[i].anchor < l->nanchors &&
				    !l->anchors[v[i].anchor].page) {
					l->anchors[v[i].anchor].page = (int)l->npages;
					l->anchors[v[i].anchor].y = top;
				}
				if (v[i].kind == VEL_LINE) {
					size_t k;
					for (k = 0; k < v[i].nitems; k++) {
						hd_item *it = page_item(pg);
						if (!it)
							return HD_ENOMEM;
						*it = VEC_AT(f->items, hd_item, v[i].first_item + k);
						it->y = top - v[i].baseline;
					}
				} else if (v[i].kind == VEL_RULE) {
					hd_item *it = page_item(pg);
					if (!it)
						return HD_ENOMEM;
					it->kind = HD_ITEM_LINE;
					it->x = fr->margin_left;
					it->y = top - v[i].height / 2;
					it->w = fr->width - fr->margin_left - fr->margin_right;
					it->color = fr->accent;
					it->line_width = 0.5;
				}
				top -= v[i].height;
				if (open_box && (i + 1 == end || v[i + 1].box != open_box)) {
					hd_item *r = &pg->items[box_item];
					box_bottom = top;
					r->kind = HD_ITEM_RECT;
					r->x = fr->margin_left;
					r->w = fr->width - fr->margin_left - fr->margin_right;
					r->y = box_bottom;
					r->h = box_top - box_bottom;
					r->fill = 1;
					r->color = ALERT_FILL;
					r->stroke = 1;
					r->stroke_color = ALERT;
					r->line_width = 1.5;
					open_box = 0;
				}
			}
		}
		start = end;
	}
	if (l->npages == 0 && !new_page(l))
		return HD_ENOMEM;
	return HD_OK;
}

static int add_text(hd_layout *l, hd_page *pg, double x, double y, unsigned style, double size,
                    hd_rgb color, const char *text)
{
	hd_item *it = page_item(pg);
	if (!it)
		return HD_ENOMEM;
	it->kind = HD_ITEM_TEXT;
	it->x = x;
	it->y = y;
	it->style = style;
	it->size = size;
	it->color = color;
	it->text = hd_arena_strdup(&l->arena, text);
	if (!it->text)
		return HD_ENOMEM;
	it->len = strlen(it->text);
	return HD_OK;
}

/* Replaces {page} and {pages} in fmt. */
static char *page_label(hd_arena *a, const char *fmt, size_t page, size_t pages)
{
	hd_buf b = HD_BUF_INIT;
	const char *p = fmt;
	char *res;

	while (*p) {
		if (!strncmp(p, "{pages}", 7)) {
			hd_buf_printf(&b, "%zu", pages);
			p += 7;
		} else if (!strncmp(p, "{page}", 6)) {
			hd_buf_printf(&b, "%zu", page);
			p += 6;
		} else {
			hd_buf_putc(&b, *p++);
		}
	}
	res = b.oom ? NULL : hd_arena_strdup(a, b.data ? b.data : "");
	hd_buf_free(&b);
	return res;
}

/* The largest size from size down to floor at which text fits in avail
 * points, or 0 when it does not fit even at floor. Width is proportional to
 * size, so one measurement decides. */
static double fit_size(flow *f, unsigned style, const char *text, double size, double floor_size,
                       double avail)
{
	double w = measure(f, style, text, strlen(text), size);
	if (w <= avail + EPS)
		return size;
	size = floor(size * avail / w * 10.0) / 10.0; /* tenths of a point, rounded down */
	return size >= floor_size - EPS ? size : 0.0;
}

/* Header and footer on every page, drawn before the body in item order.
 * Every text is measured: it shrinks to fit, down to a floor; past that it
 * is an error naming the file it comes from, never text off the page. */
static int decorate(hd_layout *l, flow *f)
{
	const hd_frame *fr = f->frame;
	double left = fr->margin_left, right = fr->width - fr->margin_right;
	double top = fr->height - fr->margin_top;
	double logo_h = HD_LOGO_HEIGHT, logo_w = 0.0, name_x = left;
	double name_size = 14.0, line_size = 8.5, right_size = 9.0, foot_size = 8.0;
	double wr = 0.0, wl;
	char *widest;
	size_t i;
	int r = HD_OK, bad = 0;

	if (fr->logo_aspect > 0) {
		logo_w = logo_h * fr->logo_aspect;
		if (logo_w > HD_LOGO_MAX_WIDTH) { /* a wide logo gets lower, not wider */
			logo_w = HD_LOGO_MAX_WIDTH;
			logo_h = logo_w / fr->logo_aspect;
		}
		name_x = left + logo_w + 10.0;
	}
	{
		const char *const hs[] = { fr->header_name, fr->header_line, fr->footer_left };
		size_t h;
		for (h = 0; h < HD_ARRAY_LEN(hs); h++) {
			if (hs[h])
				check_glyphs(f, fr->clinic_file, h == 0 ? HD_BOLD : HD_REGULAR, hs[h],
				             strlen(hs[h]));
		}
		if (fr->header_right)
			check_glyphs(f, fr->template_file, HD_REGULAR, fr->header_right,
			             strlen(fr->header_right));
	}
	/* The widest page label is the last page's. */
	widest = page_label(&l->arena, fr->page_label ? fr->page_label : "{page}/{pages}", l->npages,
	                    l->npages);
	if (!widest)
		return HD_ENOMEM;
	check_glyphs(f, fr->template_file, HD_REGULAR, widest, strlen(widest));
	wl = measure(f, HD_REGULAR, widest, strlen(widest), foot_size);
	if (fr->header_right) {
		right_size = fit_size(f, HD_REGULAR, fr->header_right, 9.0, 6.5, (right - left) / 3);
		if (!right_size) {
			hd_error_at(f->d, fr->template_file, 0, 0, "shorten the doc-title label",
			            "the document title \"%s\" is too long for the page header",
			            fr->header_right);
			bad = 1;
		} else {
			wr = measure(f, HD_REGULAR, fr->header_right, strlen(fr->header_right), right_size);
		}
	}
	if (fr->header_name) {
		name_size = fit_size(f, HD_BOLD, fr->header_name, 14.0, 8.0,
		                     right - name_x - (wr > 0 ? wr + 12.0 : 0.0));
		if (!name_size) {
			hd_error_at(f->d, fr->clinic_file, 0, 0,
			            "shorten <name> in the clinic file (or use a narrower logo)",
			            "the clinic name \"%s\" is too long for the page header", fr->header_name);
			bad = 1;
		}
	}
	if (fr->header_line) {
		line_size = fit_size(f, HD_REGULAR, fr->header_line, 8.5, 6.5, right - name_x);
		if (!line_size) {
			hd_error_at(f->d, fr->clinic_file, 0, 0,
			            "shorten the address lines or the phone number in the clinic file",
			            "the address and phone \"%s\" are too long for the page header",
			            fr->header_line);
			bad = 1;
		}
	}
	if (fr->footer_left) {
		foot_size = fit_size(f, HD_REGULAR, fr->footer_left, 8.0, 6.5, right - left - wl - 12.0);
		if (!foot_size) {
			hd_error_at(f->d, fr->clinic_file, 0, 0,
			            "shorten the phone, email or website in the clinic file",
			            "the contact line \"%s\" is too long for the page footer",
			            fr->footer_left);
			bad = 1;
		}
	}
	if (bad)
		return HD_EINPUT;

	for (i = 0; i < l->npages && !r; i++) {
		hd_page *pg = &l->pages[i];
		size_t before = pg->count;
		hd_item *it;
		char *label;

		if (fr->logo_aspect > 0) {
			it = page_item(pg);
			if (!it)
				return HD_ENOMEM;
			it->kind = HD_ITEM_IMAGE;
			it->h = logo_h;
			it->w = logo_w;
			it->x = left;
			it->y = top - logo_h;
		}
		if (fr->header_name)
			r = add_text(l, pg, name_x, top - 16.0, HD_BOLD, name_size, fr->accent,
			             fr->header_name);
		if (!r && fr->header_line)
			r = add_text(l, pg, name_x, top - 31.0, HD_REGULAR, line_size, GRAY,
			             fr->header_line);
		if (!r && fr->header_right)
			r = add_text(l, pg, right - wr, top - 16.0, HD_REGULAR, right_size, GRAY,
			             fr->header_right);
		if (r)
			return r;
		it = page_item(pg);
		if (!it)
			return HD_ENOMEM;
		it->kind = HD_ITEM_LINE;
		it->x = left;
		it->y = top - 46.0;
		it->w = right - left;
		it->color = fr->accent;
		it->line_width = 1.0;

		it = page_item(pg);
		if (!it)
			return HD_ENOMEM;
		it->kind = HD_ITEM_LINE;
		it->x = left;
		it->y = fr->margin_bottom + 14.0;
		it->w = right - left;
		it->color = fr->accent;
		it->line_width = 0.5;
		if (fr->footer_left)
			r = add_text(l, pg, left, fr->margin_bottom + 3.0, HD_REGULAR, foot_size, GRAY,
			             fr->footer_left);
		if (r)
			return r;
		label = page_label(&l->arena, fr->page_label ? fr->page_label : "{page}/{pages}", i + 1,
		                   l->npages);
		if (!label)
			return HD_ENOMEM;
		{
			double w = measure(f, HD_REGULAR, label, strlen(label), 8.0);
			r = add_text(l, pg, right - w, fr->margin_bottom + 3.0, HD_REGULAR, 8.0, GRAY,
			             label);
		}
		/* Move the decoration in front of the body items (drawn first). */
		if (!r && pg->count > before) {
			size_t nd = pg->count - before;
			hd_item *tmp = malloc(nd * sizeof(*tmp));
			if (!tmp)
				return HD_ENOMEM;
			memcpy(tmp, pg->items + before, nd * sizeof(*tmp));
			memmove(pg->items + nd, pg->items, before * sizeof(*tmp));
			memcpy(pg->items, tmp, nd * sizeof(*tmp));
			free(tmp);
		}
	}
	return r;
}

/* One attempt at a body size. */
static int layout_once(hd_layout **out, const hd_block *doc, const hd_frame *fr,
                       const hd_metrics *m, double size, hd_diags *d, int report)
{
	hd_layout *l;
	flow f;
	hd_diags quiet = HD_DIAGS_INIT;
	int r;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return HD_ENOMEM;
	l->width = fr->width;
	l->height = fr->height;
	l->body_size = size;
	memset(&f, 0, sizeof(f));
	f.frame = fr;
	f.m = m;
	f.d = report ? d : &quiet;
	f.arena = &l->arena;
	f.size = size;
	f.vels = (vec)VEC_INIT(vel);
	f.items = (vec)VEC_INIT(hd_item);
	f.pieces = (vec)VEC_INIT(piece);
	f.words = (vec)VEC_INIT(word);

	r = flow_blocks(&f, doc, fr->margin_left, fr->width - fr->margin_left - fr->margin_right, 0);
	if (!r && f.oom)
		r = HD_ENOMEM;
	if (!r && f.missing) /* the input asks for a character the font lacks */
		r = HD_EINPUT;
	if (!r)
		r = paginate(l, &f);
	if (!r && l->split_boxes && report) {
		hd_error_at(d, NULL, 0, 0, "use a smaller type size in the template",
		            "the warning-signs box is taller than a page at %.1f pt; it is never "
		            "split, so nothing was made", size);
	}
	if (!r && l->split_boxes)
		r = HD_EINPUT;
	if (!r)
		r = decorate(l, &f);
	if (!r && f.missing) /* the input asks for a character the font lacks */
		r = HD_EINPUT;
	free(f.vels.data);
	free(f.items.data);
	free(f.pieces.data);
	free(f.words.data);
	hd_diags_free(&quiet);
	if (r) {
		hd_layout_free(l);
		return r;
	}
	*out = l;
	return HD_OK;
}

/* Positions on a grid of 1/8 pt (0.04 mm, far below what a printer shows)
 * and word spacing on 1/256 pt: binary fractions a float holds exactly, so
 * the PDF's numbers stay short ("63.625", not "63.65002"). Sizes are not
 * touched: widths were measured with them. */
static double snap(double v, double grid)
{
	return floor(v * grid + 0.5) / grid;
}

static void snap_to_grid(hd_layout *l)
{
	size_t p, i;
	for (p = 0; p < l->npages; p++) {
		for (i = 0; i < l->pages[p].count; i++) {
			hd_item *it = &l->pages[p].items[i];
			it->x = snap(it->x, 8);
			it->y = snap(it->y, 8);
			it->w = snap(it->w, 8);
			it->h = snap(it->h, 8);
			it->word_space = snap(it->word_space, 256);
		}
	}
	for (i = 0; i < l->nanchors; i++)
		l->anchors[i].y = snap(l->anchors[i].y, 8);
}

int hd_layout_run(hd_layout **out, const hd_block *doc, const hd_frame *fr, const hd_metrics *m,
                  hd_diags *d)
{
	hd_layout *l = NULL;
	double size = fr->body_size;
	double floor_size = fr->min_body_size > 0 && fr->min_body_size < size ? fr->min_body_size
	                                                                      : size;
	int r;

	*out = NULL;
	if (fr->width <= fr->margin_left + fr->margin_right + 72 ||
	    body_top(fr) - body_bottom(fr) < 72)
		return HD_EINVAL;
	/* The preferred size; if it overflows, the floor (if that overflows
	 * too, we are done: it flows on at the floor); else step down from the
	 * preferred size to the largest size that fits. */
	r = layout_once(&l, doc, fr, m, size, d, 1);
	if (r)
		return r;
	if (fr->max_pages > 0 && (int)l->npages > fr->max_pages && floor_size < size - EPS) {
		hd_layout *fl = NULL;
		r = layout_once(&fl, doc, fr, m, floor_size, d, 0);
		if (r) {
			hd_layout_free(l);
			return r;
		}
		if ((int)fl->npages > fr->max_pages) {
			hd_layout_free(l);
			l = fl;
			size = floor_size;
		} else {
			hd_layout_free(l);
			l = NULL;
			for (size -= SHRINK_STEP; size > floor_size + EPS; size -= SHRINK_STEP) {
				r = layout_once(&l, doc, fr, m, size, d, 0);
				if (r) {
					hd_layout_free(fl);
					return r;
				}
				if ((int)l->npages <= fr->max_pages)
					break;
				hd_layout_free(l);
				l = NULL;
			}
			if (l) {
				hd_layout_free(fl);
			} else {
				l = fl;
				size = floor_size;
			}
		}
	}
	l->shrunk = size < fr->body_size - EPS;
	snap_to_grid(l);
	*out = l;
	return HD_OK;
}

void hd_layout_free(hd_layout *l)
{
	size_t i;
	if (!l)
		return;
	for (i = 0; i < l->npages; i++)
		free(l->pages[i].items);
	free(l->pages);
	hd_arena_free(&l->arena);
	free(l);
}

/* ----- dump --------------------------------------------------------------------- */

static const char STYLE_CODE[HD_NSTYLES] = { 'R', 'B', 'I', 'Z' };

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

int hd_layout_dump(const hd_layout *l, hd_buf *out)
{
	size_t p, i;

	hd_buf_printf(out, "layout pages=%zu size=%.2fx%.2f body=%.1f\n", l->npages, l->width,
	              l->height, l->body_size);
	for (p = 0; p < l->npages; p++) {
		const hd_page *pg = &l->pages[p];
		hd_buf_printf(out, "page %zu\n", p + 1);
		for (i = 0; i < pg->count; i++) {
			const hd_item *it = &pg->items[i];
			switch (it->kind) {
			case HD_ITEM_TEXT:
				hd_buf_printf(out, "  text x=%.2f y=%.2f font=%c size=%.2f ws=%.3f ",
				              it->x, it->y, STYLE_CODE[it->style & 3], it->size,
				              it->word_space);
				dump_text(out, it->text, it->len);
				hd_buf_putc(out, '\n');
				break;
			case HD_ITEM_RECT:
				hd_buf_printf(out,
				              "  rect x=%.2f y=%.2f w=%.2f h=%.2f fill=%02x%02x%02x "
				              "stroke=%02x%02x%02x/%.2f\n",
				              it->x, it->y, it->w, it->h, it->color.r, it->color.g,
				              it->color.b, it->stroke_color.r, it->stroke_color.g,
				              it->stroke_color.b, it->line_width);
				break;
			case HD_ITEM_LINE:
				hd_buf_printf(out, "  line x=%.2f y=%.2f w=%.2f h=%.2f width=%.2f\n", it->x,
				              it->y, it->w, it->h, it->line_width);
				break;
			case HD_ITEM_IMAGE:
				hd_buf_printf(out, "  image x=%.2f y=%.2f w=%.2f h=%.2f\n", it->x, it->y,
				              it->w, it->h);
				break;
			}
		}
	}
	return out->oom ? HD_ENOMEM : HD_OK;
}
