#include "inline.h"

#include <stdlib.h>
#include <string.h>

#define EPS 1e-6

hd_fi *hd_fi_push(hd_fi_list *l)
{
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		hd_fi *p = realloc(l->items, cap * sizeof(*p));
		if (!p)
			return NULL;
		l->items = p;
		l->cap = cap;
	}
	return memset(&l->items[l->count++], 0, sizeof(hd_fi));
}

void hd_fi_list_free(hd_fi_list *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}

double hd_text_width(const hd_metrics *m, unsigned face, double size, const char *s, size_t len)
{
	long units = 0;
	size_t i = 0;

	if (len && s[0] >= 0 && s[0] != 0) {
		/* fast path for ASCII runs */
		while (i < len && (unsigned char)s[i] < 0x80) {
			int w = m->width(m->ctx, face, (unsigned char)s[i]);
			units += w > 0 ? w : 0;
			i++;
		}
	}
	while (i < len) {
		uint32_t cp;
		size_t n = hd_utf8_decode(s + i, len - i, &cp);
		int w;
		if (!n) { /* the loader guarantees UTF-8; be safe anyway */
			i++;
			continue;
		}
		i += n;
		w = m->width(m->ctx, face, cp);
		units += w > 0 ? w : 0;
	}
	return (double)units * size / 1000.0;
}

uint32_t hd_soft_hyphen_cp(const hd_metrics *m, unsigned face)
{
	return m->width(m->ctx, face, 0xAD) >= 0 ? 0xAD : '-';
}

/* Width of one character in face at size, points (0 without a glyph). */
static double cp_width(const hd_metrics *m, unsigned face, double size, uint32_t cp)
{
	int w = m->width(m->ctx, face, cp);
	return w > 0 ? w * size / 1000.0 : 0.0;
}

/* U+00AD SOFT HYPHEN in UTF-8. */
#define SHY_0 0xC2
#define SHY_1 0xAD

int hd_itemize(hd_fi_list *out, const hd_span *spans, unsigned add_face, double size,
               const hd_metrics *m)
{
	const hd_span *s;
	double space_w[HD_NSTYLES];
	int f;

	for (f = 0; f < HD_NSTYLES; f++)
		space_w[f] = -1;
	for (s = spans; s; s = s->next) {
		unsigned face = (s->style | add_face) & 3u;
		size_t i = 0;
		if (space_w[face] < 0)
			space_w[face] = hd_text_width(m, face, size, " ", 1);
		while (i < s->len) {
			const char *t = s->text;
			size_t j = i;
			hd_fi *it;
			if (t[i] == ' ' && !s->nobreak) {
				while (j < s->len && t[j] == ' ')
					j++;
				it = hd_fi_push(out);
				if (!it)
					return HD_ENOMEM;
				it->kind = HD_FI_SPACE;
				it->face = face;
				it->text = t + i;
				it->len = j - i;
				it->nspaces = (int)(j - i);
				it->width = space_w[face] * (double)(j - i);
				it->line = s->line;
				i = j;
				continue;
			}
			if (t[i] == '\n') {
				it = hd_fi_push(out);
				if (!it)
					return HD_ENOMEM;
				it->kind = HD_FI_BREAK;
				it->line = s->line;
				i++;
				continue;
			}
			if ((unsigned char)t[i] == SHY_0 && i + 1 < s->len &&
			    (unsigned char)t[i + 1] == SHY_1) {
				it = hd_fi_push(out);
				if (!it)
					return HD_ENOMEM;
				it->kind = HD_FI_SHY;
				it->face = face;
				it->width = cp_width(m, face, size, hd_soft_hyphen_cp(m, face));
				it->line = s->line;
				i += 2;
				continue;
			}
			while (j < s->len && t[j] != '\n' && (t[j] != ' ' || s->nobreak) &&
			       !((unsigned char)t[j] == SHY_0 && j + 1 < s->len &&
			         (unsigned char)t[j + 1] == SHY_1))
				j++;
			it = hd_fi_push(out);
			if (!it)
				return HD_ENOMEM;
			it->kind = HD_FI_WORD;
			it->face = face;
			it->text = t + i;
			it->len = j - i;
			it->width = hd_text_width(m, face, size, t + i, j - i);
			it->line = s->line;
			for (; i < j; i++)
				it->nspaces += t[i] == ' ';
		}
	}
	return HD_OK;
}

void hd_fi_at_size(hd_fi *dst, const hd_fi *units, size_t n, double size)
{
	size_t i;

	memcpy(dst, units, n * sizeof(*dst));
	for (i = 0; i < n; i++) {
		hd_fi *it = &dst[i];
		switch (it->kind) {
		case HD_FI_WORD:
		case HD_FI_SHY:
			/* hd_text_width and cp_width: units * size / 1000 */
			it->width = it->width * size / 1000.0;
			break;
		case HD_FI_SPACE:
			/* hd_itemize: the width of one space, times the spaces */
			it->width = it->width / (double)it->nspaces * size / 1000.0 * (double)it->nspaces;
			break;
		default:
			break;
		}
	}
}

/* Width and U+0020 count of a word item from byte off to its end. */
static double tail_width(const hd_fi *it, size_t off, const hd_metrics *m, double size,
                         int *nspaces)
{
	size_t k;
	int ns = 0;
	if (off == 0) {
		*nspaces = it->nspaces;
		return it->width;
	}
	for (k = off; k < it->len; k++)
		ns += it->text[k] == ' ';
	*nspaces = ns;
	return hd_text_width(m, it->face, size, it->text + off, it->len - off);
}

/* The longest prefix of the word item it, from byte off, that fits in avail
 * points: its end offset, width and spaces. At least one character when
 * take_one (nothing else is on the line). A prefix that ends at a no-break
 * space inside the word is preferred to one that cuts a name in two. */
static size_t fit_prefix(const hd_fi *it, size_t off, double avail, const hd_metrics *m,
                         double size, int take_one, double *width, int *nspaces)
{
	size_t i = off, at_space = 0;
	double w = 0.0, w_space = 0.0;
	int ns = 0, ns_space = 0;

	while (i < it->len) {
		uint32_t cp;
		size_t n = hd_utf8_decode(it->text + i, it->len - i, &cp);
		double cw;
		int g;
		if (!n)
			n = 1, cp = 0xFFFD;
		g = m->width(m->ctx, it->face, cp);
		cw = (g > 0 ? g : 0) * size / 1000.0;
		if (w + cw > avail + EPS && (i > off || !take_one))
			break;
		if (it->text[i] == ' ' && i > off) {
			at_space = i;
			w_space = w;
			ns_space = ns;
		}
		w += cw;
		ns += it->text[i] == ' ';
		i += n;
	}
	if (i < it->len && at_space > off && it->text[i] != ' ') {
		i = at_space;
		w = w_space;
		ns = ns_space;
	}
	*width = w;
	*nspaces = ns;
	return i;
}

static int pos_before(hd_pos a, hd_pos b)
{
	return a.item < b.item || (a.item == b.item && a.off < b.off);
}

/* U+0020 in text[from, to). */
static int count_spaces(const char *text, size_t from, size_t to)
{
	int ns = 0;
	for (; from < to; from++)
		ns += text[from] == ' ';
	return ns;
}

/* The points of a line's last word: where the line starts (its text, width,
 * spaces and faces at that point) and how it could end inside that word. */
typedef struct word_at {
	hd_pos from;      /* the word's first item */
	double w;         /* the line's width before it */
	int ns;
	unsigned faces;
} word_at;

#define MAX_POINTS 32

/* The last hyphenation point of the word that starts at a and ends before
 * item `last` + 1 (or at the first space or break) where the line still
 * fits in width: 1 with *line set (start not touched), else 0. */
static int hyphenate_word(const hd_fi *it, size_t n, const word_at *a, size_t last, double width,
                          const hd_metrics *m, double size, const hd_hyphenator *hy, hd_line *line)
{
	double w = a->w;
	int ns = a->ns, found = 0;
	unsigned faces = a->faces;
	hd_pos p = a->from;

	for (; p.item < n && p.item <= last; p.item++, p.off = 0) {
		const hd_fi *x = &it[p.item];
		hd_hyph_point pts[MAX_POINTS];
		size_t np, k;
		int xs;
		if (x->kind == HD_FI_ANCHOR || x->kind == HD_FI_SHY)
			continue;
		if (x->kind == HD_FI_SPACE || x->kind == HD_FI_BREAK)
			break;
		if (x->kind == HD_FI_WORD) {
			/* no break leaves fewer than HD_HYPH_LEFT characters: when
			 * they and a hyphen do not fit, no point can (and the
			 * dictionary is not even asked, or read) */
			size_t q = p.off;
			int c;
			for (c = 0; c < HD_HYPH_LEFT && q < x->len; c++) {
				uint32_t cp;
				size_t l = hd_utf8_decode(x->text + q, x->len - q, &cp);
				q += l ? l : 1;
			}
			if (w + hd_text_width(m, x->face, size, x->text + p.off, q - p.off) +
			        cp_width(m, x->face, size, '-') > width + 1e-6)
				break;
			np = hd_hyph_points(hy, x->text, x->len, pts, MAX_POINTS);
			for (k = 0; k < np; k++) {
				double pw;
				size_t body = pts[k].off;
				uint32_t end_cp;
				if (pts[k].off <= p.off || pts[k].off >= x->len)
					continue;
				if (pts[k].kind == HD_HY_HARD) {
					/* the word's own hyphen is drawn as U+2010 */
					body = pts[k].off - (x->text[pts[k].off - 1] == '-' ? 1 : 3);
					end_cp = m->width(m->ctx, x->face, 0x2010) >= 0 ? 0x2010 : '-';
				} else {
					end_cp = hd_soft_hyphen_cp(m, x->face);
				}
				pw = w + hd_text_width(m, x->face, size, x->text + p.off, body - p.off) +
				     cp_width(m, x->face, size, end_cp);
				if (pw > width + 1e-6)
					break; /* the points are in order: later ones are wider */
				line->end = line->next = (hd_pos){ p.item, pts[k].off };
				line->width = pw;
				line->nspaces = ns + count_spaces(x->text, p.off, pts[k].off);
				line->faces = faces | 1u << x->face;
				line->hyphen = pts[k].kind;
				line->emergency = 0;
				line->last = 0;
				found = 1;
			}
		}
		w += x->kind == HD_FI_WORD ? tail_width(x, p.off, m, size, &xs) : x->width;
		ns += x->kind == HD_FI_WORD ? xs : 0;
		faces |= 1u << x->face;
		if (w > width + 1e-6)
			break;
	}
	return found;
}

int hd_break_line(const hd_fi *it, size_t n, hd_pos start, double width, const hd_metrics *m,
                  double size, hd_line *line)
{
	return hd_break_line_opts(it, n, start, width, m, size, NULL, line);
}

int hd_break_line_opts(const hd_fi *it, size_t n, hd_pos start, double width,
                       const hd_metrics *m, double size, const hd_break_opts *o, hd_line *line)
{
	hd_pos p = start;
	double w = 0.0;
	int ns = 0;
	unsigned faces = 0;
	const hd_hyphenator *hy = o ? o->hy : NULL;
	int no_hyphen = o && o->no_hyphen;
	/* the last place the line may end: where the text ends and the next
	 * line starts there, with the line's width and spaces; and where the
	 * word after it starts (for hyphenation) */
	int have_break = 0, have_shy = 0;
	hd_line brk, shy;
	word_at after_brk;

	memset(line, 0, sizeof(*line));
	/* a line never starts with a breakable space */
	while (p.item < n && p.off == 0 && it[p.item].kind == HD_FI_SPACE)
		p.item++;
	if (p.item >= n)
		return 0;
	line->start = p;
	memset(&brk, 0, sizeof(brk));
	memset(&shy, 0, sizeof(shy));
	memset(&after_brk, 0, sizeof(after_brk));
	for (; p.item < n; p.item++, p.off = 0) {
		const hd_fi *x = &it[p.item];
		double xw;
		int xs = 0;

		switch (x->kind) {
		case HD_FI_ANCHOR:
			continue;
		case HD_FI_BREAK:
			line->end = p;
			line->next = (hd_pos){ p.item + 1, 0 };
			line->width = w;
			line->nspaces = ns;
			line->faces = faces;
			line->last = 1;
			return 1;
		case HD_FI_SPACE:
			/* a break here: the text so far is the line */
			have_break = 1;
			brk.end = p;
			brk.next = (hd_pos){ p.item + 1, 0 };
			brk.width = w;
			brk.nspaces = ns;
			brk.faces = faces;
			brk.hyphen = 0;
			w += x->width;
			ns += x->nspaces;
			after_brk = (word_at){ brk.next, w, ns, faces };
			continue;
		case HD_FI_SHY:
			if (w + x->width <= width + EPS) {
				/* after two hyphenated lines, only when nothing else fits */
				hd_line *b = no_hyphen ? &shy : &brk;
				*(no_hyphen ? &have_shy : &have_break) = 1;
				b->end = p;
				b->next = (hd_pos){ p.item + 1, 0 };
				b->width = w + x->width;
				b->nspaces = ns;
				b->faces = faces | 1u << x->face;
				b->hyphen = HD_HY_SOFT;
				if (!no_hyphen)
					after_brk = (word_at){ brk.next, w, ns, faces };
			}
			continue;
		case HD_FI_WORD:
		case HD_FI_BOX:
			break;
		}
		xw = x->kind == HD_FI_WORD ? tail_width(x, p.off, m, size, &xs) : x->width;
		if (w + xw <= width + EPS) {
			w += xw;
			ns += xs;
			faces |= 1u << x->face;
			continue;
		}
		/* x does not fit. */
		if (have_break) {
			/* a loose line takes part of the word that did not fit */
			double gap = width - brk.width;
			if (hy && !no_hyphen && (brk.nspaces ? gap / brk.nspaces : gap) > o->loose &&
			    hyphenate_word(it, n, &after_brk, p.item, width, m, size, hy, line))
				return 1;
			brk.start = line->start;
			*line = brk;
			return 1;
		}
		if (have_shy) {
			shy.start = line->start;
			*line = shy;
			return 1;
		}
		/* No break opportunity on the line: this word is wider than the
		 * line. Break it at a hyphenation point if one fits, else inside
		 * it (a box cannot be broken: it overflows). */
		if (hy && x->kind == HD_FI_WORD) {
			word_at a = { p, w, ns, faces };
			if (hyphenate_word(it, n, &a, p.item, width, m, size, hy, line))
				return 1;
		}
		if (x->kind == HD_FI_BOX) {
			if (w > 0) {
				line->end = p;
				line->next = p;
			} else {
				line->end = line->next = (hd_pos){ p.item + 1, 0 };
				w = xw;
			}
			line->width = w;
			line->nspaces = ns;
			line->faces = faces;
			line->emergency = 1;
			return 1;
		}
		{
			double pw;
			int ps;
			size_t cut = fit_prefix(x, p.off, width - w, m, size, w <= EPS, &pw, &ps);
			hd_pos end = { p.item, cut };
			if (cut == p.off && pos_before(line->start, p)) {
				/* not even one character fits after what is on the line:
				 * end the line before this item */
				end = p;
			} else if (cut > p.off) {
				w += pw;
				ns += ps;
				faces |= 1u << x->face;
			}
			line->end = end;
			line->next = end;
			/* the break consumed the no-break space it happened at */
			while (line->next.off < x->len && line->next.off > 0 &&
			       x->text[line->next.off] == ' ')
				line->next.off++;
			if (line->next.off >= x->len && line->next.item == p.item)
				line->next = (hd_pos){ p.item + 1, 0 };
			line->width = w;
			line->nspaces = ns;
			line->faces = faces;
			line->emergency = 1;
			return 1;
		}
	}
	line->end = (hd_pos){ n, 0 };
	line->next = (hd_pos){ n, 0 };
	line->width = w;
	line->nspaces = ns;
	line->faces = faces;
	line->last = 1;
	/* trailing spaces are not part of the visible text */
	if (have_break && brk.next.item == n && !brk.hyphen) {
		line->end = brk.end;
		line->width = brk.width;
		line->nspaces = brk.nspaces;
	}
	return 1;
}

/* The text of a run: while its pieces follow one another in the source
 * (words and spaces of one span do), only where it starts and how long it
 * is; copied into b once a piece comes from elsewhere or the text must
 * change (a hyphen). */
typedef struct run_text {
	hd_buf b;
	const char *s;
	size_t len;
	int copied;
} run_text;

static void rt_copy(run_text *t)
{
	if (!t->copied) {
		t->b.len = 0;
		hd_buf_append(&t->b, t->s ? t->s : "", t->len);
		t->copied = 1;
	}
}

static void rt_add(run_text *t, const char *s, size_t len)
{
	if (!t->copied) {
		if (!t->len) {
			t->s = s;
			t->len = len;
			return;
		}
		if (s == t->s + t->len) {
			t->len += len;
			return;
		}
		rt_copy(t);
	}
	hd_buf_append(&t->b, s, len);
}

static size_t rt_len(const run_text *t)
{
	return t->copied ? t->b.len : t->len;
}

static const char *rt_data(const run_text *t)
{
	return t->copied ? t->b.data : t->s;
}

static void rt_reset(run_text *t)
{
	t->b.len = 0;
	t->s = NULL;
	t->len = 0;
	t->copied = 0;
}

int hd_line_runs(const hd_fi *it, const hd_line *line, const hd_metrics *m, double size,
                 hd_run_cb cb, void *ctx)
{
	run_text t = { HD_BUF_INIT, NULL, 0, 0 };
	hd_pos p = line->start;
	unsigned face = 0;
	double w = 0.0;
	int ns = 0, have = 0, r = HD_OK;

	for (; pos_before(p, line->end) && !r; p.item++, p.off = 0) {
		const hd_fi *x = &it[p.item];
		size_t from = p.off, to = x->len;
		if (p.item == line->end.item)
			to = line->end.off;
		if (x->kind != HD_FI_WORD && x->kind != HD_FI_SPACE)
			continue;
		if (have && x->face != face) {
			r = t.b.oom ? HD_ENOMEM : cb(ctx, face, rt_data(&t), rt_len(&t), ns, w);
			rt_reset(&t);
			w = 0.0;
			ns = 0;
		}
		face = x->face;
		have = 1;
		if (from == 0 && to == x->len) {
			rt_add(&t, x->text, x->len);
			w += x->width;
			ns += x->nspaces;
		} else if (to > from) {
			size_t k;
			rt_add(&t, x->text + from, to - from);
			w += hd_text_width(m, x->face, size, x->text + from, to - from);
			for (k = from; k < to; k++)
				ns += x->text[k] == ' ';
		}
		if (p.item == line->end.item)
			break;
	}
	if (!r && line->hyphen == HD_HY_HARD && have && rt_len(&t) &&
	    rt_data(&t)[rt_len(&t) - 1] == '-' && m->width(m->ctx, face, 0x2010) >= 0) {
		/* the word's own hyphen ends the line: U+2010, which text
		 * extraction does not take for a break to undo (inline.h) */
		rt_copy(&t);
		if (!t.b.oom) {
			t.b.len--;
			hd_buf_puts(&t.b, "\xE2\x80\x90");
		}
		w += cp_width(m, face, size, 0x2010) - cp_width(m, face, size, '-');
	} else if (!r && line->hyphen == HD_HY_SOFT) {
		/* a soft hyphen item, or a hyphenation point inside a word */
		unsigned hf = it[line->end.item].kind == HD_FI_SHY ? it[line->end.item].face : face;
		char hyph[4];
		size_t hl;
		if (have && hf != face) {
			r = t.b.oom ? HD_ENOMEM : cb(ctx, face, rt_data(&t), rt_len(&t), ns, w);
			rt_reset(&t);
			w = 0.0;
			ns = 0;
		}
		face = hf;
		have = 1;
		hl = hd_utf8_encode(hd_soft_hyphen_cp(m, face), hyph);
		rt_copy(&t);
		hd_buf_append(&t.b, hyph, hl);
		w += hd_text_width(m, face, size, hyph, hl);
	}
	if (!r && have && rt_len(&t))
		r = t.b.oom ? HD_ENOMEM : cb(ctx, face, rt_data(&t), rt_len(&t), ns, w);
	hd_buf_free(&t.b);
	return r;
}
