/*
 * flow: flattening blocks, checking text, generating the vertical elements
 * of a frame, choosing where the frame ends and drawing what fits.
 *
 * A vertical element ("vel") is a line of text, a box's padding, a table row
 * or a figure, with its height, whether a frame may end right after it, and
 * its items positioned relative to its top. Elements are made lazily for
 * each frame, at its width, from the flow's restart point until the frame is
 * full: the part that does not fit is made again for the next frame, so a
 * paragraph split between a wide and a narrow column is broken at each
 * column's width. Linear in the text: only the paragraph that crosses a
 * frame's end is broken twice.
 */
#include "flow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-6

/* Justified text: a line whose spaces would each stretch by more than this
 * (em of its text) hyphenates the word that did not fit (inline.h); at most
 * HYPH_RUN lines in a row end with a hyphen. */
#define HYPH_LOOSE_EM 0.15
#define HYPH_RUN 2

void *hd_vec_push(hd_vec *v)
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

void hd_vec_free(hd_vec *v)
{
	free(v->data);
	v->data = NULL;
	v->count = v->cap = 0;
}

/* ----- styles and colours ------------------------------------------------------ */

static const hd_style FALLBACK = {
	"body", HD_REGULAR, 1.0, 1.25, 0.35, 0.0, 0.0, HD_ALIGN_LEFT,
	{ { 0, 0, 0 }, 0, 0 }, 0, { { 0, 0, 0 }, 0, 1 }, { { 0, 0, 0 }, 0, 1 }, 0.0, 0.0
};

const hd_style *hd_style_at(const lctx *c, int i)
{
	if (i >= 0 && (size_t)i < c->in->nstyles)
		return &c->in->styles[i];
	return &FALLBACK;
}

hd_rgb hd_color_rgb(const lctx *c, hd_color col)
{
	hd_rgb r;
	if (col.accent)
		return c->in->accent;
	r.r = col.rgb[0];
	r.g = col.rgb[1];
	r.b = col.rgb[2];
	return r;
}

/* A text size: the style's, at least the document's smallest. */
static double text_size(const lctx *c, const hd_style *st, double body)
{
	double s = st->size * body;
	return s < c->in->min_text_size ? c->in->min_text_size : s;
}

/* ----- checking text -------------------------------------------------------------- */

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
 * character boundaries. */
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
static int seen_before(lctx *c, uint32_t cp)
{
	size_t k;
	for (k = 0; k < c->nreported && c->reported[k] != cp; k++)
		;
	if (k < c->nreported)
		return 1;
	if (c->nreported < HD_ARRAY_LEN(c->reported))
		c->reported[c->nreported++] = cp;
	return 0;
}

void hd_check_text(lctx *c, const char *file, int line, unsigned face, const char *s, size_t len)
{
	char missing[64] = "", rtl[16] = "";
	size_t i = 0, nmissing = 0, miss_at = 0, miss_n = 0, rtl_at = 0, rtl_n = 0, a, clen;
	const char *script = NULL;

	while (i < len) {
		uint32_t cp;
		size_t n;
		const char *rs;
		if ((unsigned char)s[i] < 0x80) {
			/* ASCII: every face has it, but check (a test font may not) */
			if (c->m->width(c->m->ctx, face, (unsigned char)s[i]) >= 0) {
				i++;
				continue;
			}
		}
		n = hd_utf8_decode(s + i, len - i, &cp);
		if (!n) {
			i++;
			continue;
		}
		rs = rtl_script(cp);
		if (rs) {
			c->missing = 1;
			/* the same name in a header again is the same problem: a
			 * text whose first such letter was reported is not */
			if (!script && seen_before(c, cp)) {
				script = ""; /* not reported */
			} else if (!script) {
				script = rs;
				rtl_at = i;
				rtl_n = n;
				snprintf(rtl, sizeof(rtl), "U+%04X", (unsigned)cp);
			}
		} else if (c->m->width(c->m->ctx, face, cp) < 0) {
			c->missing = 1;
			if (!seen_before(c, cp) && nmissing < 6) {
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
	if (script && *script) {
		size_t before = c->d ? c->d->count : 0;
		char around[96];
		context(s, len, rtl_at, rtl_n, &a, &clen);
		snprintf(around, sizeof(around), "%.*s", (int)clen, s + a);
		hd_error_at(c->d, file, line, 0,
		            "write it in Latin letters (for a name, its usual transliteration), or "
		            "leave it out",
		            "right-to-left text cannot be printed yet (it would come out backwards): "
		            "%s from %s in \"%.*s\"", script, rtl, (int)clen, s + a);
		hd_diags_detail(c->d, before, HD_SAY("right-to-left", { script, rtl, around }));
	}
	if (nmissing) {
		size_t before = c->d ? c->d->count : 0;
		char around[96];
		context(s, len, miss_at, miss_n, &a, &clen);
		snprintf(around, sizeof(around), "%.*s", (int)clen, s + a);
		hd_error_at(c->d, file, line, 0,
		            "replace the character, or choose a font family that has it (the "
		            "template's <fonts>, or a fallback in fonts/fonts.xml)",
		            "the font has no glyph for %s in \"%.*s\"", missing, (int)clen, s + a);
		hd_diags_detail(c->d, before, HD_SAY("no-glyph", { missing, around }));
	}
}

/* ----- flattening ------------------------------------------------------------------ */

typedef struct prep {
	lctx *c;
	flowst *f;
} prep;

static double ascent_pt(const lctx *c, unsigned face, double size)
{
	return c->m->ascent[face & 3] * size / 1000.0;
}

static double descent_pt(const lctx *c, unsigned face, double size)
{
	return -c->m->descent[face & 3] * size / 1000.0;
}

/* The default style of a kind of block, by name, or -1. */
static int style_named(const lctx *c, const char *name)
{
	size_t i;
	for (i = 0; i < c->in->nstyles; i++) {
		if (!strcmp(c->in->styles[i].name, name))
			return (int)i;
	}
	return -1;
}

static const hd_style *block_style(const lctx *c, const hd_block *b)
{
	char name[16];
	if (b->style >= 0)
		return hd_style_at(c, b->style);
	switch (b->kind) {
	case HD_BLK_HEADING: snprintf(name, sizeof(name), "h%d", b->level < 1 ? 1 : b->level); break;
	case HD_BLK_TOC: snprintf(name, sizeof(name), "toc%d", b->level < 1 ? 1 : b->level); break;
	case HD_BLK_ITEM:
	case HD_BLK_LIST: snprintf(name, sizeof(name), "list"); break;
	case HD_BLK_CALLOUT: snprintf(name, sizeof(name), "callout"); break;
	case HD_BLK_TABLE:
	case HD_BLK_ROW:
	case HD_BLK_CELL: snprintf(name, sizeof(name), "cell"); break;
	default: snprintf(name, sizeof(name), "body"); break;
	}
	return hd_style_at(c, style_named(c, name));
}

static fblock *new_fb(prep *p, enum fb_kind kind, const hd_block *src, const hd_style *st,
                      double left, double right, int box)
{
	lctx *c = p->c;
	fblock *fb = hd_vec_push(&p->f->blocks);
	if (!fb)
		return NULL;
	fb->kind = kind;
	fb->src = src;
	fb->st = st;
	fb->size = text_size(c, st, c->size);
	fb->ascent = ascent_pt(c, st->face, fb->size);
	fb->descent = descent_pt(c, st->face, fb->size);
	/* the style's leading, even below the face's ascent + descent (1.16 em
	 * for DejaVu Sans, room for accents on capitals that lines rarely
	 * need); never below the size itself */
	fb->lead = st->leading * fb->size;
	if (fb->lead < fb->size)
		fb->lead = fb->size;
	fb->left = left + st->indent * c->size;
	fb->right = right;
	fb->space_before = st->space_before * c->size;
	fb->space_after = st->space_after * c->size;
	fb->align = st->align;
	/* short labelled lines are never justified: stretched they read badly */
	if (fb->align == HD_ALIGN_JUSTIFY && src && (src->flags & HD_BF_NOJUSTIFY))
		fb->align = HD_ALIGN_LEFT;
	fb->color = hd_color_rgb(c, st->color);
	fb->keep_next = st->keep_with_next || (src && (src->flags & HD_BF_KEEP_NEXT));
	fb->box = box;
	fb->anchor = src ? src->anchor : 0;
	return fb;
}

/* ----- itemized texts, kept across attempts ----------------------------------------- */

typedef struct icache_slot {
	const void *key;      /* the spans; NULL: empty slot */
	unsigned face;        /* the face added to them, or FLOW_ITEMS */
	size_t first, count;  /* in hd_icache.items; FLOW_ITEMS: count only */
} icache_slot;

/* The face of a slot that holds how many items a flow (keyed by its
 * blocks) had, so that the next attempt allocates them at once. */
#define FLOW_ITEMS (~0u)

struct hd_icache {
	hd_fi_list items;     /* at HD_FI_UNITS */
	icache_slot *slots;   /* open addressing, a power of two, at most half full */
	size_t nslots, used;
};

hd_icache *hd_icache_new(void)
{
	hd_icache *ic = calloc(1, sizeof(*ic));
	if (!ic)
		return NULL;
	ic->nslots = 64;
	ic->slots = calloc(ic->nslots, sizeof(*ic->slots));
	if (!ic->slots) {
		free(ic);
		return NULL;
	}
	return ic;
}

void hd_icache_free(hd_icache *ic)
{
	if (!ic)
		return;
	hd_fi_list_free(&ic->items);
	free(ic->slots);
	free(ic);
}

static size_t icache_hash(const void *key, unsigned face, size_t nslots)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9E3779B97F4A7C15u ^ face;
	return (size_t)(h >> 32) & (nslots - 1);
}

/* The slot of (key, face): the one holding it, or the empty one where it
 * belongs. */
static icache_slot *icache_slot_of(hd_icache *ic, const void *key, unsigned face)
{
	size_t i = icache_hash(key, face, ic->nslots);
	while (ic->slots[i].key && (ic->slots[i].key != key || ic->slots[i].face != face))
		i = (i + 1) & (ic->nslots - 1);
	return &ic->slots[i];
}

static int icache_grow(hd_icache *ic)
{
	icache_slot *old = ic->slots;
	size_t n = ic->nslots, i;
	ic->slots = calloc(2 * n, sizeof(*ic->slots));
	if (!ic->slots) {
		ic->slots = old;
		return HD_ENOMEM;
	}
	ic->nslots = 2 * n;
	for (i = 0; i < n; i++) {
		if (old[i].key)
			*icache_slot_of(ic, old[i].key, old[i].face) = old[i];
	}
	free(old);
	return HD_OK;
}

/* Fills a new slot; it may move: returns where it is. NULL when out of
 * memory. */
static icache_slot *icache_add(hd_icache *ic, icache_slot *slot, const void *key, unsigned face,
                               size_t first, size_t count)
{
	slot->key = key;
	slot->face = face;
	slot->first = first;
	slot->count = count;
	if (++ic->used * 2 > ic->nslots) {
		if (icache_grow(ic))
			return NULL;
		slot = icache_slot_of(ic, key, face);
	}
	return slot;
}

/* Checks spans and itemizes them at size into out, or (with the cache)
 * copies them from there, checking and itemizing them there first if they
 * are new. */
static int itemize_spans(lctx *c, hd_fi_list *out, const hd_span *spans, unsigned face,
                         double size)
{
	hd_icache *ic = c->icache;
	icache_slot *slot = NULL;
	const hd_span *s;
	int r;

	if (ic && spans) {
		slot = icache_slot_of(ic, spans, face);
		if (!slot->key) {
			size_t first = ic->items.count;
			for (s = spans; s; s = s->next)
				hd_check_text(c, c->in->file, s->line, (s->style | face) & 3u, s->text, s->len);
			r = hd_itemize(&ic->items, spans, face, HD_FI_UNITS, c->m);
			if (r)
				return r;
			slot = icache_add(ic, slot, spans, face, first, ic->items.count - first);
			if (!slot)
				return HD_ENOMEM;
		}
		if (out->count + slot->count > out->cap) {
			size_t cap = out->cap ? out->cap : 64;
			hd_fi *p;
			while (cap < out->count + slot->count)
				cap *= 2;
			p = realloc(out->items, cap * sizeof(*p));
			if (!p)
				return HD_ENOMEM;
			out->items = p;
			out->cap = cap;
		}
		hd_fi_at_size(out->items + out->count, ic->items.items + slot->first, slot->count, size);
		out->count += slot->count;
		return HD_OK;
	}
	for (s = spans; s; s = s->next)
		hd_check_text(c, c->in->file, s->line, (s->style | face) & 3u, s->text, s->len);
	return hd_itemize(out, spans, face, size, c->m);
}

/* Itemizes a block's spans into the flow's item list and checks them. */
static int itemize(prep *p, fblock *fb, const hd_span *spans)
{
	lctx *c = p->c;
	size_t before = p->f->items.count;
	int r;

	r = itemize_spans(c, &p->f->items, spans, fb->st->face, fb->size);
	fb = &HD_VEC_AT(p->f->blocks, fblock, p->f->blocks.count - 1);
	fb->first = before;
	fb->count = p->f->items.count - before;
	return r;
}

static int flatten(prep *p, const hd_block *b, double left, double right, int box);

static int flatten_list(prep *p, const hd_block *list, double left, double right, int box)
{
	lctx *c = p->c;
	const hd_style *st = block_style(c, list);
	double s = text_size(c, st, c->size);
	double indent = s * 1.3, gap = s * 0.35;
	const hd_block *it;
	int n = 0, count = 0, r;

	for (it = list->children; it; it = it->next)
		count++;
	if (list->flags & HD_BF_ORDERED) {
		/* Numbers stand right-aligned in a column as wide as the widest. */
		char widest[24];
		double w;
		snprintf(widest, sizeof(widest), "%d.", count);
		w = hd_text_width(c->m, st->face, s, widest, strlen(widest));
		if (s * 0.2 + w + gap > indent)
			indent = s * 0.2 + w + gap;
	}
	for (it = list->children; it; it = it->next) {
		const hd_style *ist = it->style >= 0 ? hd_style_at(c, it->style) : st;
		fblock *fb;
		n++;
		fb = new_fb(p, FB_TEXT, it, ist, left + indent, right, box);
		if (!fb)
			return HD_ENOMEM;
		fb->marker_face = ist->face;
		fb->align = fb->align == HD_ALIGN_JUSTIFY ? HD_ALIGN_LEFT : fb->align;
		if (n > 1 && fb->space_before > c->size * 0.2)
			fb->space_before = c->size * 0.2;
		if (list->flags & HD_BF_ORDERED) {
			char *mk = hd_arena_printf(&c->disp->arena, "%d.", n);
			if (!mk)
				return HD_ENOMEM;
			fb->marker = mk;
			fb->marker_x = left + indent - gap -
			               hd_text_width(c->m, ist->face, fb->size, mk, strlen(mk));
		} else {
			fb->marker = "\xE2\x80\xA2"; /* U+2022 bullet */
			fb->marker_x = left + s * 0.2;
		}
		r = itemize(p, fb, it->spans);
		if (r)
			return r;
		if (it->children) {
			r = flatten(p, it->children, left + indent, right, box);
			if (r)
				return r;
		}
	}
	return HD_OK;
}

static int flatten(prep *p, const hd_block *b, double left, double right, int box)
{
	lctx *c = p->c;
	int r = HD_OK;

	for (; b && !r; b = b->next) {
		const hd_style *st = block_style(c, b);
		fblock *fb;
		switch (b->kind) {
		case HD_BLK_PARA:
		case HD_BLK_HEADING:
		case HD_BLK_ITEM:
			fb = new_fb(p, FB_TEXT, b, st, left, right, box);
			if (!fb)
				return HD_ENOMEM;
			r = itemize(p, fb, b->spans);
			if (!r && b->children)
				r = flatten(p, b->children, left, right, box);
			break;
		case HD_BLK_TOC:
			fb = new_fb(p, FB_TOC, b, st, left, right, box);
			if (!fb)
				return HD_ENOMEM;
			if (b->right)
				hd_check_text(c, c->in->file, 0, st->face, b->right, strlen(b->right));
			r = itemize(p, fb, b->spans);
			break;
		case HD_BLK_LIST:
			r = flatten_list(p, b, left, right, box);
			break;
		case HD_BLK_CALLOUT: {
			double pad = st->padding * c->size + (st->frame.none ? 0 : st->frame_width);
			size_t open = p->f->blocks.count;
			int id = ++p->f->nboxes;
			fb = new_fb(p, FB_BOX_OPEN, b, st, left, right, id);
			if (!fb)
				return HD_ENOMEM;
			r = flatten(p, b->children, left + pad, right + pad, id);
			if (r)
				return r;
			fb = new_fb(p, FB_BOX_CLOSE, b, st, left, right, id);
			if (!fb)
				return HD_ENOMEM;
			fb->space_before = 0;
			fb->anchor = 0;
			HD_VEC_AT(p->f->blocks, fblock, open).box_end = (int)(p->f->blocks.count - 1);
			break;
		}
		case HD_BLK_PAGEBREAK:
			fb = new_fb(p, FB_BREAK, b, st, left, right, box);
			if (!fb)
				return HD_ENOMEM;
			break;
		case HD_BLK_TABLE:
			fb = new_fb(p, FB_TABLE, b, st, left, right, box);
			if (!fb)
				return HD_ENOMEM;
			break;
		case HD_BLK_FIGURE:
			if (b->flags & HD_BF_OPTIONAL) {
				if (c->in->drop_optional)
					break;
				c->optional++;
			}
			fb = new_fb(p, FB_FIGURE, b, st, left, right, box);
			if (!fb)
				return HD_ENOMEM;
			break;
		case HD_BLK_SPACER:
			fb = new_fb(p, FB_SPACER, b, st, left, right, box);
			if (!fb)
				return HD_ENOMEM;
			break;
		case HD_BLK_ROW:
		case HD_BLK_CELL:
			break; /* rows and cells belong to a table */
		}
	}
	return r;
}

int hd_flow_prepare(lctx *c, flowst *f, const hd_flow_src *src)
{
	prep p = { c, f };
	int known = 0, r;

	memset(f, 0, sizeof(*f));
	f->src = src;
	f->blocks = (hd_vec)HD_VEC_INIT(fblock);
	if (c->icache && src->blocks) {
		/* as many items as the flow had in the attempt before, at once */
		const icache_slot *slot = icache_slot_of(c->icache, src->blocks, FLOW_ITEMS);
		known = slot->key != NULL;
		if (known && slot->count) {
			f->items.items = malloc(slot->count * sizeof(hd_fi));
			if (!f->items.items)
				return HD_ENOMEM;
			f->items.cap = slot->count;
		}
	}
	r = flatten(&p, src->blocks, 0.0, 0.0, 0);
	if (!r && c->icache && src->blocks && !known) {
		/* looked up again: itemizing may have moved the slots */
		icache_slot *slot = icache_slot_of(c->icache, src->blocks, FLOW_ITEMS);
		if (!icache_add(c->icache, slot, src->blocks, FLOW_ITEMS, 0, f->items.count))
			r = HD_ENOMEM;
	}
	if (!r && c->missing)
		r = HD_EINPUT;
	f->done = f->blocks.count == 0;
	return r;
}

void hd_flow_free(flowst *f)
{
	hd_vec_free(&f->blocks);
	hd_fi_list_free(&f->items);
}

/* ----- vertical elements ---------------------------------------------------------- */

typedef struct vel {
	double height;
	double space_before;  /* dropped at the top of a frame */
	int no_break_after;
	int break_before;     /* a frame must end before it */
	int box;              /* callout id, or 0 */
	int anchor;
	int box_open;         /* first element of a box: where its frame is drawn */
	const hd_style *box_style;
	double box_left, box_right; /* the box's edges, from the frame's left */
	size_t first_item, nitems;  /* in gen.items; y relative to the element's top */
	hd_restart at;        /* where the flow restarts if the frame ends before it */
	double float_h;       /* a floating figure: its height (the vel's own is 0) */
} vel;

typedef struct gen {
	lctx *c;
	flowst *f;
	double x, w;          /* the frame */
	hd_vec vels;          /* vel */
	hd_vec items;         /* hd_item */
	size_t next_fb;       /* first block not generated */
	double y;             /* height of the vels so far (never less than the truth) */
	double float_w;       /* a floating figure takes this much of the right */
	double float_bottom;  /* ... down to this y */
} gen;

static hd_item *gen_item(gen *g)
{
	hd_item *it = hd_vec_push(&g->items);
	if (!it)
		g->c->oom = 1;
	return it;
}

static vel *gen_vel(gen *g)
{
	vel *v = hd_vec_push(&g->vels);
	if (!v)
		g->c->oom = 1;
	else
		v->first_item = g->items.count;
	return v;
}

/* Closes vel v (the last one) over the items made since it began. */
static void end_vel(gen *g)
{
	vel *v = &HD_VEC_AT(g->vels, vel, g->vels.count - 1);
	v->nitems = g->items.count - v->first_item;
	g->y += (g->vels.count > 1 ? v->space_before : 0.0) + v->height;
}

typedef struct run_ctx {
	gen *g;
	double x, ws, size, baseline;
	hd_rgb color;
} run_ctx;

static int put_run(void *vctx, unsigned face, const char *text, size_t len, int nspaces,
                   double width)
{
	run_ctx *rc = vctx;
	hd_item *it = gen_item(rc->g);
	char *copy = hd_arena_strndup(&rc->g->c->disp->arena, text, len);
	if (!it || !copy)
		return HD_ENOMEM;
	it->kind = HD_ITEM_TEXT;
	it->x = rc->x;
	it->y = -rc->baseline;
	it->face = face;
	it->size = rc->size;
	it->word_space = nspaces ? rc->ws : 0.0;
	it->text = copy;
	it->len = len;
	it->color = rc->color;
	rc->x += width + rc->ws * nspaces;
	return HD_OK;
}

/* Line height and baseline of a line using faces at size. */
static void line_metrics(const lctx *c, const fblock *fb, unsigned faces, double *lead,
                         double *baseline)
{
	double asc = 0.0, desc = 0.0;
	unsigned f;
	if (!faces)
		faces = 1u << (fb->st->face & 3);
	for (f = 0; f < HD_NSTYLES; f++) {
		if (faces & 1u << f) {
			if (ascent_pt(c, f, fb->size) > asc)
				asc = ascent_pt(c, f, fb->size);
			if (descent_pt(c, f, fb->size) > desc)
				desc = descent_pt(c, f, fb->size);
		}
	}
	*lead = fb->lead;
	*baseline = (*lead - (asc + desc)) / 2 + asc;
}

/* Emits the text of one line at x (frame left) into the current vel. */
static int emit_line(gen *g, const fblock *fb, const hd_line *ln, double baseline, int first,
                     double avail)
{
	lctx *c = g->c;
	const hd_fi *items = g->f->items.items + fb->first;
	run_ctx rc;

	rc.g = g;
	rc.x = g->x + fb->left;
	rc.ws = 0.0;
	rc.size = fb->size;
	rc.baseline = baseline;
	rc.color = fb->color;
	if (fb->align == HD_ALIGN_JUSTIFY && !ln->last && ln->nspaces > 0 && ln->width < avail)
		rc.ws = (avail - ln->width) / ln->nspaces;
	else if (fb->align == HD_ALIGN_CENTER)
		rc.x += (avail - ln->width) / 2;
	else if (fb->align == HD_ALIGN_RIGHT)
		rc.x += avail - ln->width;
	if (first && fb->marker) {
		hd_item *it = gen_item(g);
		if (!it)
			return HD_ENOMEM;
		it->kind = HD_ITEM_TEXT;
		it->x = g->x + fb->marker_x;
		it->y = -baseline;
		it->face = fb->marker_face;
		it->size = fb->size;
		it->text = fb->marker;
		it->len = strlen(fb->marker);
		it->color = fb->color;
	}
	return hd_line_runs(items, ln, c->m, fb->size, put_run, &rc);
}

/* Sets the keep rules of a block's lines [first, first + n): no frame break
 * after its first line (unless it continues from a frame before) or before
 * its last; a block of three lines or fewer stays whole; keep_next holds the
 * last line to what follows. */
static void keep_lines(gen *g, size_t first, size_t n, int cont, int keep_next)
{
	size_t k;
	for (k = 0; k < n; k++) {
		vel *v = &HD_VEC_AT(g->vels, vel, first + k);
		if (k + 1 < n && ((k < 1 && !cont) || n - k - 1 < 2))
			v->no_break_after = 1;
	}
	if (keep_next && n)
		HD_VEC_AT(g->vels, vel, first + n - 1).no_break_after = 1;
}

/* The lines of a text block from pos, each a vel; hyrun hyphenated lines
 * came right before pos. Justified text is hyphenated (layout_in.hyph). */
static int gen_text(gen *g, size_t fbi, hd_pos pos, int cont, int hyrun)
{
	lctx *c = g->c;
	const fblock *fb = &HD_VEC_AT(g->f->blocks, fblock, fbi);
	const hd_fi *items = g->f->items.items + fb->first;
	double avail = g->w - fb->left - fb->right;
	size_t first = g->vels.count, nlines = 0;
	hd_break_opts bo;
	hd_line ln;
	int r;

	if (avail < fb->size)
		avail = fb->size; /* a frame narrower than one character still progresses */
	memset(&bo, 0, sizeof(bo));
	if (fb->align == HD_ALIGN_JUSTIFY) {
		bo.hy = c->in->hyph;
		bo.loose = HYPH_LOOSE_EM * fb->size;
	}
	for (;;) {
		double lead, base, width = avail;
		double top = g->y + (g->vels.count && nlines == 0 && !cont ? fb->space_before : 0.0);
		vel *v;
		/* beside a floating figure, a line is that much shorter */
		if (top < g->float_bottom && fb->right < g->float_w) {
			width = g->w - fb->left - g->float_w;
			if (width < fb->size)
				width = fb->size;
		}
		bo.no_hyphen = hyrun >= HYPH_RUN;
		if (!hd_break_line_opts(items, fb->count, pos, width, c->m, fb->size, &bo, &ln))
			break;
		v = gen_vel(g);
		if (!v)
			return HD_ENOMEM;
		line_metrics(c, fb, ln.faces, &lead, &base);
		v->height = lead;
		v->at.fb = fbi;
		v->at.pos = ln.start;
		v->at.cont = nlines > 0 || cont;
		v->at.hyrun = hyrun;
		v->box = fb->box;
		if (nlines == 0 && !cont) {
			v->space_before = fb->space_before;
			v->anchor = fb->anchor;
		}
		r = emit_line(g, fb, &ln, base, nlines == 0 && !cont, width);
		if (r)
			return r;
		end_vel(g);
		nlines++;
		pos = ln.next;
		hyrun = ln.hyphen ? hyrun + 1 : 0;
	}
	if (nlines == 0 && !cont) {
		/* an empty paragraph (a list item whose text is in its children)
		 * still shows its marker */
		double lead, base;
		vel *v = gen_vel(g);
		if (!v)
			return HD_ENOMEM;
		memset(&ln, 0, sizeof(ln));
		line_metrics(c, fb, 0, &lead, &base);
		v->height = fb->marker ? lead : 0.0;
		v->at.fb = fbi;
		v->space_before = fb->space_before;
		v->anchor = fb->anchor;
		v->box = fb->box;
		if (fb->marker) {
			r = emit_line(g, fb, &ln, base, 1, avail);
			if (r)
				return r;
		}
		end_vel(g);
		nlines = 1;
	}
	keep_lines(g, first, nlines, cont, fb->keep_next);
	return HD_OK;
}

/* A contents line: text (wrapping before the number column), dot leaders on
 * a grid of their own width so the dots of all lines stand in columns, the
 * number flush right on the last line. */
static int gen_toc(gen *g, size_t fbi, hd_pos pos, int cont)
{
	lctx *c = g->c;
	fblock *fb = &HD_VEC_AT(g->f->blocks, fblock, fbi);
	const char *right = fb->src && fb->src->right ? fb->src->right : "";
	double s = fb->size;
	double rw = hd_text_width(c->m, HD_REGULAR, s, right, strlen(right));
	double dot = hd_text_width(c->m, HD_REGULAR, s, ". ", 2);
	double saved_right = fb->right, end_x = 0.0, base = 0.0;
	size_t first = g->vels.count, k;
	vel *v;
	int r;

	fb->right = saved_right + rw + 4 * dot;
	r = gen_text(g, fbi, pos, cont, 0);
	fb = &HD_VEC_AT(g->f->blocks, fblock, fbi);
	fb->right = saved_right;
	if (r || g->vels.count == first)
		return r;
	v = &HD_VEC_AT(g->vels, vel, g->vels.count - 1);
	end_x = g->x + fb->left;
	for (k = 0; k < v->nitems; k++) {
		const hd_item *t = &HD_VEC_AT(g->items, hd_item, v->first_item + k);
		double w = hd_text_width(c->m, t->face, t->size, t->text, t->len);
		if (t->x + w > end_x)
			end_x = t->x + w;
		base = -t->y;
	}
	{
		double grid = dot, stop = g->x + g->w - fb->right - rw - dot;
		double x = grid > 0 ? ceil((end_x + dot) / grid) * grid : stop;
		size_t n = grid > 0 && stop > x ? (size_t)((stop - x + grid - dot) / grid) : 0;
		if (n > 0) {
			char *dots = hd_arena_alloc(&c->disp->arena, 2 * n);
			hd_item *it;
			if (!dots)
				return HD_ENOMEM;
			for (k = 0; k < n; k++)
				memcpy(dots + 2 * k, ". ", 2);
			dots[2 * n - 1] = '\0';
			it = gen_item(g);
			if (!it)
				return HD_ENOMEM;
			it->kind = HD_ITEM_TEXT;
			it->x = x;
			it->y = -base;
			it->face = HD_REGULAR;
			it->size = s;
			it->text = dots;
			it->len = 2 * n - 1;
			it->color = hd_color_rgb(c, (hd_color){ { 85, 85, 85 }, 0, 0 });
		}
	}
	if (*right) {
		hd_item *it = gen_item(g);
		char *copy = hd_arena_strdup(&c->disp->arena, right);
		if (!it || !copy)
			return HD_ENOMEM;
		it->kind = HD_ITEM_TEXT;
		it->x = g->x + g->w - fb->right - rw;
		it->y = -base;
		it->face = HD_REGULAR;
		it->size = s;
		it->text = copy;
		it->len = strlen(copy);
		it->color = (hd_rgb){ 0, 0, 0 };
	}
	v = &HD_VEC_AT(g->vels, vel, g->vels.count - 1);
	v->nitems = g->items.count - v->first_item;
	return HD_OK;
}

/* Padding of a box: the opening one carries the frame's place. */
static int gen_box_edge(gen *g, size_t fbi, int open)
{
	lctx *c = g->c;
	const fblock *fb = &HD_VEC_AT(g->f->blocks, fblock, fbi);
	vel *v = gen_vel(g);
	if (!v)
		return HD_ENOMEM;
	v->height = fb->st->padding * c->size + (fb->st->frame.none ? 0 : fb->st->frame_width);
	v->box = fb->box;
	v->at.fb = fbi;
	if (open) {
		v->space_before = fb->space_before;
		v->anchor = fb->anchor;
		v->box_open = 1;
		v->box_style = fb->st;
		v->box_left = fb->left;
		v->box_right = fb->right;
	}
	end_vel(g);
	return HD_OK;
}

/* ----- figures ---------------------------------------------------------------------- */

/* Transforms a drawing's viewBox into the rectangle (x, top) w x h: items
 * relative to the element's top (y negative downwards). */
static int emit_drawing(gen *g, const hd_drawing *dr, double x, double w, double h)
{
	lctx *c = g->c;
	double sx = w / dr->vb_w, sy = h / dr->vb_h;
	size_t i, k;

	for (i = 0; i < dr->npaths; i++) {
		const hd_draw_path *dp = &dr->paths[i];
		hd_path_seg *segs;
		hd_item *it;
		if (!(dp->paint & (HD_PAINT_FILL | HD_PAINT_STROKE)))
			continue; /* paints nothing (a region not shaded) */
		segs = hd_arena_alloc(&c->disp->arena, (dp->nsegs ? dp->nsegs : 1) * sizeof(*segs));
		if (!segs)
			return HD_ENOMEM;
		for (k = 0; k < dp->nsegs; k++) {
			const hd_path_seg *s = &dp->segs[k];
			int j;
			segs[k].op = s->op;
			if (s->op == HD_PATH_RECT) {
				segs[k].p[0] = x + (s->p[0] - dr->vb_x) * sx;
				segs[k].p[1] = -(s->p[1] - dr->vb_y + s->p[3]) * sy;
				segs[k].p[2] = s->p[2] * sx;
				segs[k].p[3] = s->p[3] * sy;
				continue;
			}
			for (j = 0; j < 6; j += 2) {
				segs[k].p[j] = x + (s->p[j] - dr->vb_x) * sx;
				segs[k].p[j + 1] = -(s->p[j + 1] - dr->vb_y) * sy;
			}
		}
		it = gen_item(g);
		if (!it)
			return HD_ENOMEM;
		it->kind = HD_ITEM_PATH;
		it->segs = segs;
		it->nsegs = dp->nsegs;
		it->paint = dp->paint;
		it->color = hd_color_rgb(c, dp->fill);
		it->stroke_color = hd_color_rgb(c, dp->stroke);
		it->line_width = dp->line_width * (sx < sy ? sx : sy);
		it->dash = dp->dash * (sx < sy ? sx : sy);
	}
	/* texts (a region's number): centred on their point, at a size that
	 * follows the body text, not the drawing's scale, so they stay legible */
	for (i = 0; i < dr->ntexts; i++) {
		const hd_draw_text *t = &dr->texts[i];
		double size = t->size * c->size, tw;
		size_t len = strlen(t->text);
		hd_item *it;
		char *copy;

		if (c->in->min_text_size > 0 && size < c->in->min_text_size)
			size = c->in->min_text_size;
		tw = hd_text_width(c->m, t->face, size, t->text, len);
		it = gen_item(g);
		copy = hd_arena_strndup(&c->disp->arena, t->text, len);
		if (!it || !copy)
			return HD_ENOMEM;
		it->kind = HD_ITEM_TEXT;
		it->x = x + (t->x - dr->vb_x) * sx - (t->align > 0 ? 0 : t->align < 0 ? tw : tw / 2);
		/* figures are centred on their middle: half a digit's height
		 * (DejaVu's 0.73 em) below the point */
		it->y = -(t->y - dr->vb_y) * sy - 0.365 * size;
		it->face = t->face;
		it->size = size;
		it->text = copy;
		it->len = len;
		it->color = hd_color_rgb(c, t->color);
	}
	return HD_OK;
}

static int gen_figure(gen *g, size_t fbi)
{
	lctx *c = g->c;
	const fblock *fb = &HD_VEC_AT(g->f->blocks, fblock, fbi);
	const hd_block *b = fb->src;
	double avail = g->w - fb->left - fb->right;
	double w = avail * (b->fig_width > 0 && b->fig_width <= 1 ? b->fig_width : 1.0), h, x;
	vel *v = gen_vel(g);
	int r = HD_OK;

	if (!v)
		return HD_ENOMEM;
	if (b->drawing && b->drawing->vb_w > 0 && b->drawing->vb_h > 0)
		h = b->fig_height > 0 ? w * b->fig_height : w * b->drawing->vb_h / b->drawing->vb_w;
	else
		h = b->fig_height > 0 ? w * b->fig_height
		                      : (c->in->logo_aspect > 0 ? w / c->in->logo_aspect : 0.0);
	x = g->x + fb->left;
	if (b->flags & HD_BF_FLOAT) {
		/* at the right, beside what follows: no height of its own; text
		 * is narrowed until its bottom, a gap of half a line below */
		x = g->x + g->w - fb->right - w;
		v->height = 0.0;
		v->float_h = h;
		v->no_break_after = 1;
		g->float_w = fb->right + w + 0.6 * c->size;
		g->float_bottom = g->y + h + 0.25 * c->size;
		v->space_before = 0.0; /* its top is the next line's */
	} else {
		if (fb->align == HD_ALIGN_CENTER)
			x += (avail - w) / 2;
		else if (fb->align == HD_ALIGN_RIGHT)
			x += avail - w;
		v->height = h;
		v->space_before = fb->space_before;
	}
	v->anchor = fb->anchor;
	v->box = fb->box;
	v->at.fb = fbi;
	if (b->drawing) {
		r = emit_drawing(g, b->drawing, x, w, h);
	} else if (c->in->logo_aspect > 0 && h > 0) {
		hd_item *it = gen_item(g);
		if (!it)
			return HD_ENOMEM;
		it->kind = HD_ITEM_IMAGE;
		it->image = b->image;
		it->x = x;
		it->y = -h;
		it->w = w;
		it->h = h;
	}
	end_vel(g);
	return r;
}

/* ----- tables ------------------------------------------------------------------------ */

static int gen_blocks_at(gen *g, size_t from, size_t to);

/* Lays out one row: each cell's blocks in a flow of their own at the cell's
 * width, whole (a row never splits); the row is as tall as its tallest cell.
 * One vel, with cell fills and the rule under the row. */
static int gen_row(gen *g, size_t fbi, const hd_block *row, int header)
{
	lctx *c = g->c;
	const fblock *fb = &HD_VEC_AT(g->f->blocks, fblock, fbi);
	const hd_block *table = fb->src, *cell;
	double avail = g->w - fb->left - fb->right, x = g->x + fb->left, height = 0.0;
	double pad = fb->st->padding * c->size;
	size_t col = 0, ncells = 0, first_item = g->items.count;
	vel *v;
	int r = HD_OK;

	for (cell = row->children; cell; cell = cell->next)
		ncells++;
	v = gen_vel(g);
	if (!v)
		return HD_ENOMEM;
	v->at.fb = fbi;
	v->box = fb->box;
	for (cell = row->children; cell && !r; cell = cell->next, col++) {
		double cw = table->ncols ? avail * (col < table->ncols ? table->cols[col] : 0.0)
		                         : avail / (double)ncells;
		double cellh = 0.0;
		hd_flow_src src = { "cell", cell->children };
		flowst sub;
		gen sg;
		size_t i;

		/* the cell's own flow, laid out whole at the cell's width */
		r = hd_flow_prepare(c, &sub, &src);
		if (r == HD_EINPUT)
			r = HD_OK; /* reported; the whole layout fails at its end */
		memset(&sg, 0, sizeof(sg));
		sg.c = c;
		sg.f = &sub;
		sg.x = x + pad;
		sg.w = cw - 2 * pad;
		sg.vels = (hd_vec)HD_VEC_INIT(vel);
		sg.items = (hd_vec)HD_VEC_INIT(hd_item);
		if (!r)
			r = gen_blocks_at(&sg, 0, sub.blocks.count);
		for (i = 0; !r && i < sg.vels.count; i++) {
			const vel *sv = &HD_VEC_AT(sg.vels, vel, i);
			double dy;
			size_t j;
			if (i > 0)
				cellh += sv->space_before;
			dy = -(pad + cellh);
			for (j = 0; j < sv->nitems; j++) {
				hd_item *it = gen_item(g);
				if (!it) {
					r = HD_ENOMEM;
					break;
				}
				*it = HD_VEC_AT(sg.items, hd_item, sv->first_item + j);
				if (it->kind == HD_ITEM_PATH) {
					hd_path_seg *s = (hd_path_seg *)it->segs;
					size_t q;
					for (q = 0; q < it->nsegs; q++) {
						s[q].p[1] += dy;
						if (s[q].op == HD_PATH_CURVE) {
							s[q].p[3] += dy;
							s[q].p[5] += dy;
						}
					}
				} else {
					it->y += dy;
				}
			}
			cellh += sv->height;
		}
		hd_vec_free(&sg.vels);
		hd_vec_free(&sg.items);
		hd_flow_free(&sub);
		if (cellh + 2 * pad > height)
			height = cellh + 2 * pad;
		x += cw;
	}
	if (r)
		return r;
	v = &HD_VEC_AT(g->vels, vel, g->vels.count - 1);
	v->height = height;
	if (header && !fb->st->fill.none) {
		/* the header's fill goes under its text: first among the row's items */
		size_t n = g->items.count - first_item;
		hd_item *bg = gen_item(g);
		hd_path_seg *seg = hd_arena_alloc(&c->disp->arena, sizeof(*seg));
		hd_item tmp;
		if (!bg || !seg)
			return HD_ENOMEM;
		seg->op = HD_PATH_RECT;
		seg->p[0] = g->x + fb->left;
		seg->p[1] = -height;
		seg->p[2] = avail;
		seg->p[3] = height;
		bg->kind = HD_ITEM_PATH;
		bg->segs = seg;
		bg->nsegs = 1;
		bg->paint = HD_PAINT_FILL;
		bg->color = hd_color_rgb(c, fb->st->fill);
		tmp = *bg;
		memmove(&HD_VEC_AT(g->items, hd_item, first_item + 1),
		        &HD_VEC_AT(g->items, hd_item, first_item), n * sizeof(hd_item));
		HD_VEC_AT(g->items, hd_item, first_item) = tmp;
	}
	if (!fb->st->frame.none) {
		/* the rule under the row */
		hd_item *ln = gen_item(g);
		hd_path_seg *seg = hd_arena_alloc(&c->disp->arena, 2 * sizeof(*seg));
		if (!ln || !seg)
			return HD_ENOMEM;
		seg[0].op = HD_PATH_MOVE;
		seg[0].p[0] = g->x + fb->left;
		seg[0].p[1] = -height;
		seg[1].op = HD_PATH_LINE;
		seg[1].p[0] = g->x + fb->left + avail;
		seg[1].p[1] = -height;
		ln->kind = HD_ITEM_PATH;
		ln->segs = seg;
		ln->nsegs = 2;
		ln->paint = HD_PAINT_STROKE;
		ln->stroke_color = hd_color_rgb(c, fb->st->frame);
		ln->line_width = fb->st->frame_width > 0 ? fb->st->frame_width : 0.5;
	}
	end_vel(g);
	return c->oom ? HD_ENOMEM : HD_OK;
}

static int gen_table(gen *g, size_t fbi, size_t from_row, int cont)
{
	const fblock *fb = &HD_VEC_AT(g->f->blocks, fblock, fbi);
	const hd_block *row;
	size_t i = 0, first = g->vels.count, nh = 0;
	int r = HD_OK;

	/* after a break, the header rows again */
	if (cont && from_row > 0) {
		for (row = fb->src->children; row && (int)i < fb->src->header_rows && !r;
		     row = row->next, i++) {
			r = gen_row(g, fbi, row, 1);
			if (!r) {
				vel *v = &HD_VEC_AT(g->vels, vel, g->vels.count - 1);
				v->no_break_after = 1;
				v->at.row = from_row;
				v->at.cont = 1;
				nh++;
			}
		}
	}
	for (i = 0, row = fb->src->children; row && !r; row = row->next, i++) {
		int header = (int)i < fb->src->header_rows;
		vel *v;
		if (i < from_row)
			continue;
		r = gen_row(g, fbi, row, header);
		if (r)
			break;
		v = &HD_VEC_AT(g->vels, vel, g->vels.count - 1);
		v->at.row = i;
		v->at.cont = i > 0;
		if (header)
			v->no_break_after = 1;
		if (g->vels.count - first == 1 + nh && !cont) {
			v->space_before = fb->space_before;
			v->anchor = fb->anchor;
		}
	}
	return r;
}

/* ----- generating a frame's elements ---------------------------------------------- */

static int gen_block(gen *g, size_t fbi, const hd_restart *from)
{
	lctx *c = g->c;
	const fblock *fb = &HD_VEC_AT(g->f->blocks, fblock, fbi);
	int cont = from && from->fb == fbi && from->cont;
	hd_pos pos = from && from->fb == fbi ? from->pos : (hd_pos){ 0, 0 };
	vel *v;

	if (fb->kind != FB_TEXT && fb->kind != FB_BREAK && g->float_bottom > g->y) {
		/* what cannot be narrowed goes below a floating figure */
		v = gen_vel(g);
		if (!v)
			return HD_ENOMEM;
		v->height = g->float_bottom - g->y;
		v->at.fb = fbi;
		v->at.pos = pos;
		v->at.cont = cont;
		v->box = fb->box;
		end_vel(g);
		g->float_bottom = 0.0;
	}
	switch (fb->kind) {
	case FB_TEXT:
		return gen_text(g, fbi, pos, cont, from && from->fb == fbi ? from->hyrun : 0);
	case FB_TOC:
		return gen_toc(g, fbi, pos, cont);
	case FB_BOX_OPEN:
		return gen_box_edge(g, fbi, 1);
	case FB_BOX_CLOSE:
		return gen_box_edge(g, fbi, 0);
	case FB_TABLE:
		return gen_table(g, fbi, from && from->fb == fbi ? from->row : 0, cont);
	case FB_FIGURE:
		return gen_figure(g, fbi);
	case FB_SPACER:
		v = gen_vel(g);
		if (!v)
			return HD_ENOMEM;
		v->height = (fb->src ? fb->src->fig_height : 1.0) * c->size;
		v->at.fb = fbi;
		v->box = fb->box;
		v->anchor = fb->anchor;
		end_vel(g);
		return HD_OK;
	case FB_BREAK:
		/* no element: the next one must start a frame */
		return HD_OK;
	}
	return HD_OK;
}

/* Generates blocks [from, to) with no height limit (table cells). */
static int gen_blocks_at(gen *g, size_t from, size_t to)
{
	size_t i;
	for (i = from; i < to; i++) {
		int r = gen_block(g, i, NULL);
		if (r)
			return r;
	}
	g->next_fb = to;
	return g->c->oom ? HD_ENOMEM : HD_OK;
}

/* Generates from the restart point until the elements are taller than
 * height (then to the end of the block and of any box it is in), or the
 * flow ends. A forced break makes the next element break_before. */
static int gen_frame(gen *g, const hd_restart *at, double height)
{
	lctx *c = g->c;
	size_t i = at->fb, n = g->f->blocks.count;
	double total = 0.0, prev_after = 0.0;
	int pending_break = 0, r;

	while (i < n) {
		const fblock *fb = &HD_VEC_AT(g->f->blocks, fblock, i);
		size_t before = g->vels.count, k;
		int in_box = fb->box != 0;

		if (fb->kind == FB_BREAK) {
			pending_break = g->vels.count > 0;
			i++;
			continue;
		}
		r = gen_block(g, i, i == at->fb ? at : NULL);
		if (r || c->oom)
			return r ? r : HD_ENOMEM;
		if (pending_break && g->vels.count > before) {
			HD_VEC_AT(g->vels, vel, before).break_before = 1;
			pending_break = 0;
		}
		for (k = before; k < g->vels.count; k++) {
			const vel *v = &HD_VEC_AT(g->vels, vel, k);
			total += v->height + (k ? v->space_before : 0.0);
		}
		/* the space after a block goes before the next one */
		if (prev_after > 0 && g->vels.count > before && before > 0) {
			HD_VEC_AT(g->vels, vel, before).space_before += prev_after;
			total += prev_after;
			g->y += prev_after;
		}
		prev_after = g->vels.count > before ? fb->space_after : prev_after;
		i++;
		if (total > height + EPS && !in_box)
			break;
		if (total > height + EPS && in_box) {
			/* finish the box, whole */
			const fblock *cur = &HD_VEC_AT(g->f->blocks, fblock, i - 1);
			if (cur->kind == FB_BOX_CLOSE)
				break;
		}
	}
	g->next_fb = i;
	if (pending_break)
		g->next_fb = i; /* the break was the last thing: nothing follows */
	return HD_OK;
}

/* ----- placing ------------------------------------------------------------------------ */

static hd_item *page_item(lctx *c, hd_page *pg)
{
	hd_item *it = hd_page_add(pg);
	if (!it)
		c->oom = 1;
	return it;
}

int hd_flow_place(lctx *c, flowst *f, hd_rect rect, enum hd_valign valign, hd_page *pg,
                  int pageno, double *used)
{
	gen g;
	size_t n, i, end;
	long last_ok = -1;
	double y = 0.0, top, shift = 0.0;
	vel *v;
	int r, broke = 0;

	*used = 0.0;
	if (f->done)
		return HD_OK;
	memset(&g, 0, sizeof(g));
	g.c = c;
	g.f = f;
	g.x = rect.x;
	g.w = rect.w;
	g.vels = (hd_vec)HD_VEC_INIT(vel);
	g.items = (hd_vec)HD_VEC_INIT(hd_item);
	r = gen_frame(&g, &f->at, rect.h);
	if (r)
		goto cleanup;
	n = g.vels.count;
	v = g.vels.data;
	for (i = 0; i < n; i++) {
		double h = v[i].height + (i == 0 ? 0.0 : v[i].space_before);
		double need = h > v[i].float_h ? h : v[i].float_h + (i == 0 ? 0.0 : v[i].space_before);
		if (i > 0 && v[i].break_before) {
			last_ok = (long)i - 1; /* a forced break is always allowed */
			broke = 1;
			break;
		}
		if (y + need > rect.h + EPS && i > 0)
			break;
		y += h;
		/* no break after an element that is not the last of its box */
		if (!v[i].no_break_after && !(i + 1 < n && v[i].box && v[i + 1].box == v[i].box))
			last_ok = (long)i;
	}
	if (i == n && !broke) {
		end = n;
	} else if (broke) {
		end = i;
	} else if (last_ok >= 0) {
		end = (size_t)last_ok + 1;
	} else {
		/* nothing may end this frame: break a keep rule */
		end = i > 0 ? i : 1;
		c->forced++;
		if (end < n && v[end - 1].box && v[end].box == v[end - 1].box)
			c->split_boxes++;
	}
	if (end > n)
		end = n;
	/* the height used, for vertical alignment */
	for (y = 0.0, i = 0; i < end; i++)
		y += v[i].height + (i == 0 ? 0.0 : v[i].space_before);
	*used = y;
	if (valign == HD_VALIGN_CENTER && y < rect.h)
		shift = (rect.h - y) / 2;
	else if (valign == HD_VALIGN_BOTTOM && y < rect.h)
		shift = rect.h - y;

	top = rect.top - shift;
	{
		int open_box = 0;
		size_t box_item = 0;
		double box_top = 0.0;
		const vel *box_vel = NULL;
		for (i = 0; i < end; i++) {
			size_t k;
			if (i > 0)
				top -= v[i].space_before;
			if (v[i].box_open && v[i].box != open_box) {
				if (!page_item(c, pg)) {
					r = HD_ENOMEM;
					goto cleanup;
				}
				open_box = v[i].box;
				box_item = pg->count - 1;
				box_top = top;
				box_vel = &v[i];
			}
			if (v[i].anchor > 0 && (size_t)v[i].anchor < c->nanchors &&
			    !c->anchors[v[i].anchor].page) {
				c->anchors[v[i].anchor].page = pageno;
				c->anchors[v[i].anchor].y = top;
			}
			for (k = 0; k < v[i].nitems; k++) {
				hd_item *it = page_item(c, pg);
				if (!it) {
					r = HD_ENOMEM;
					goto cleanup;
				}
				*it = HD_VEC_AT(g.items, hd_item, v[i].first_item + k);
				it->y += top;
				if (it->kind == HD_ITEM_PATH) {
					hd_path_seg *s = (hd_path_seg *)it->segs;
					size_t q;
					it->y = 0;
					for (q = 0; q < it->nsegs; q++) {
						s[q].p[1] += top;
						if (s[q].op == HD_PATH_CURVE) {
							s[q].p[3] += top;
							s[q].p[5] += top;
						}
					}
				}
			}
			top -= v[i].height;
			if (open_box && (i + 1 == end || v[i + 1].box != open_box)) {
				hd_item *b = &pg->items[box_item];
				const hd_style *bs = box_vel->box_style;
				hd_path_seg *seg = hd_arena_alloc(&c->disp->arena, sizeof(*seg));
				if (!seg) {
					r = HD_ENOMEM;
					goto cleanup;
				}
				seg->op = HD_PATH_RECT;
				seg->p[0] = rect.x + box_vel->box_left;
				seg->p[1] = top;
				seg->p[2] = rect.w - box_vel->box_left - box_vel->box_right;
				seg->p[3] = box_top - top;
				b->kind = HD_ITEM_PATH;
				b->segs = seg;
				b->nsegs = 1;
				b->paint = (bs->fill.none ? 0 : HD_PAINT_FILL) |
				           (bs->frame.none ? 0 : HD_PAINT_STROKE);
				b->color = hd_color_rgb(c, bs->fill);
				b->stroke_color = hd_color_rgb(c, bs->frame);
				b->line_width = bs->frame_width;
				open_box = 0;
			}
		}
	}
	/* where the flow goes on */
	if (end < n) {
		f->at = v[end].at;
	} else {
		f->at.fb = g.next_fb;
		f->at.pos = (hd_pos){ 0, 0 };
		f->at.row = 0;
		f->at.cont = 0;
		if (g.next_fb >= f->blocks.count)
			f->done = 1;
	}
	f->last_page = pageno;
	f->last_width = rect.w;
	r = c->oom ? HD_ENOMEM : HD_OK;
cleanup:
	hd_vec_free(&g.vels);
	hd_vec_free(&g.items);
	return r;
}

double hd_flow_rest_height(lctx *c, flowst *f, double w)
{
	gen g;
	double total = 0.0;
	size_t i;

	if (f->done)
		return 0.0;
	memset(&g, 0, sizeof(g));
	g.c = c;
	g.f = f;
	g.w = w;
	g.vels = (hd_vec)HD_VEC_INIT(vel);
	g.items = (hd_vec)HD_VEC_INIT(hd_item);
	if (gen_frame(&g, &f->at, 1e12) == HD_OK) {
		for (i = 0; i < g.vels.count; i++) {
			const vel *v = &HD_VEC_AT(g.vels, vel, i);
			total += v->height + (i ? v->space_before : 0.0);
		}
	}
	hd_vec_free(&g.vels);
	hd_vec_free(&g.items);
	return total;
}
