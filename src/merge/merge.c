/*
 * merge: the document of any kind, part by part (see merge.h). Each part of
 * the template appends blocks to the flow it names; parts that show the
 * session need one. Everything a client reads comes from the library, the
 * session or the template's labels in the document's language.
 */
#include "merge.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "typography.h"

#define EM_DASH " \xE2\x80\x94 "     /* " — " */
#define WARNING_SIGN "\xE2\x9A\xA0 " /* "⚠ " */
#define NBSP "\xC2\xA0"
#define MIDDOT NBSP NBSP "\xC2\xB7  " /* "  ·  ", the dot kept with what it follows */
#define PAGE_PLACEHOLDER "000"

/* The state of one merge. */
typedef struct mctx {
	hd_doc *doc;
	const hd_template *t;
	const hd_session_rec *s;
	const hd_clinic *c;
	const hd_library *lib;
	hd_diags *d;
	hd_arena *a;
	const char *lang;
	int anchor;              /* the last anchor given */
	int warnings_done;
	/* where the contents lines go: after this block of this flow */
	hd_block *toc_after;
	hd_flow_src *toc_flow;
	const char *only_lang;   /* the catalogue: one language, or NULL for all */
	int large_print;
	int numbered_areas;      /* a body diagram shows the areas: number them */
	const hd_session_rec *const *history; /* a report: every visit, oldest first */
	size_t nhistory;
} mctx;

/* ----- text helpers ------------------------------------------------------------- */

const char *hd_fill(hd_arena *a, const char *fmt, const char *const *kv)
{
	hd_buf b = HD_BUF_INIT;
	const char *p = fmt, *res;

	while (*p) {
		const char *close;
		if (*p == '{' && (close = strchr(p, '}')) != NULL) {
			size_t klen = (size_t)(close - p - 1), i;
			for (i = 0; kv[i]; i += 2) {
				if (strlen(kv[i]) == klen && !memcmp(kv[i], p + 1, klen))
					break;
			}
			if (kv[i]) {
				hd_buf_puts(&b, kv[i + 1] ? kv[i + 1] : "");
				p = close + 1;
				continue;
			}
		}
		hd_buf_putc(&b, *p++);
	}
	res = b.oom ? NULL : hd_arena_strdup(a, b.data ? b.data : "");
	hd_buf_free(&b);
	return res;
}

const char *hd_format_date(hd_arena *a, const hd_template *t, const char *lang,
                           const hd_date *date)
{
	const char *months = hd_template_label(t, lang, "months");
	char month[64] = "", day[16], year[16], hour[16], minute[16];
	const char *p = months, *ds;
	int i;

	/* months is "January|February|...": the month-th name */
	if (!months || date->month < 1 || date->month > 12)
		p = NULL;
	for (i = 1; p && i < date->month; i++) {
		p = strchr(p, '|');
		if (p)
			p++;
	}
	if (p) {
		const char *e = strchr(p, '|');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n >= sizeof(month))
			n = sizeof(month) - 1;
		memcpy(month, p, n);
		month[n] = '\0';
	}
	snprintf(day, sizeof(day), "%d", date->day);
	snprintf(year, sizeof(year), "%d", date->year);
	{
		const char *kv[] = { "month", month, "day", day, "year", year, NULL };
		const char *fmt = hd_template_label(t, lang, "date-format");
		ds = hd_fill(a, fmt ? fmt : "{year}-{month}-{day}", kv);
	}
	if (!ds || date->hour < 0)
		return ds;
	snprintf(hour, sizeof(hour), "%d", date->hour);
	snprintf(minute, sizeof(minute), "%02d", date->minute);
	{
		const char *kv[] = { "hour", hour, "minute", minute, NULL };
		const char *tf = hd_template_label(t, lang, "time-format");
		const char *dt = hd_template_label(t, lang, "date-time");
		const char *ts = hd_fill(a, tf ? tf : "{hour}:{minute}", kv);
		const char *kv2[] = { "date", ds, "time", ts, NULL };
		if (!ts)
			return NULL;
		return hd_fill(a, dt ? dt : "{date} {time}", kv2);
	}
}

/* The label for key; the loader has made sure the parts' keys exist, so an
 * absent one is "" rather than the key on paper. */
static const char *label(const mctx *m, const char *key)
{
	const char *v = hd_template_label(m->t, m->lang, key);
	return v ? v : "";
}

static int style(const mctx *m, const char *name)
{
	return hd_template_style(m->t, name);
}

/* Adds text to a block; returns the span or NULL when out of memory. */
static hd_span *put(mctx *m, hd_block *b, unsigned face, const char *text)
{
	if (!text)
		return NULL;
	return hd_block_add_text(m->a, b, face, text, strlen(text));
}

static hd_span *put_nobreak(mctx *m, hd_block *b, unsigned face, const char *text)
{
	hd_span *s = put(m, b, face, text);
	if (s)
		s->nobreak = 1;
	return s;
}

/* The flow named name (created on first use). */
static hd_flow_src *flow(mctx *m, const char *name)
{
	hd_doc *doc = m->doc;
	size_t i;
	hd_flow_src *f;

	for (i = 0; i < doc->nflows; i++) {
		if (!strcmp(doc->flows[i].name, name))
			return &doc->flows[i];
	}
	/* the template's frames name at most a handful of flows */
	f = hd_arena_alloc(m->a, (doc->nflows + 1) * sizeof(*f));
	if (!f)
		return NULL;
	if (doc->nflows)
		memcpy(f, doc->flows, doc->nflows * sizeof(*f));
	doc->flows = f;
	f = &doc->flows[doc->nflows++];
	f->name = name;
	f->blocks = NULL;
	return f;
}

/* Appends block b to flow f. */
static void append(hd_flow_src *f, hd_block *b)
{
	hd_block *head = (hd_block *)f->blocks;
	hd_block_append(&head, b);
	f->blocks = head;
}

/* Appends a new block of kind in style (by name) to flow f. */
static hd_block *add(mctx *m, hd_flow_src *f, enum hd_block_kind kind, const char *style_name)
{
	hd_block *b = hd_block_new(m->a, kind);
	hd_block *head;
	if (!b)
		return NULL;
	b->style = style_name ? style(m, style_name) : -1;
	head = (hd_block *)f->blocks;
	hd_block_append(&head, b);
	f->blocks = head;
	return b;
}

/* Records an anchored heading for the contents and the bookmarks. */
static int anchor_heading(mctx *m, hd_block *h, int level, const char *text)
{
	hd_doc *doc = m->doc;
	hd_outline_item *it;

	h->anchor = ++m->anchor;
	if (doc->noutline == doc->outline_cap) {
		size_t cap = doc->outline_cap ? doc->outline_cap * 2 : 16;
		hd_outline_item *n = hd_arena_alloc(m->a, cap * sizeof(*n));
		if (!n)
			return HD_ENOMEM;
		if (doc->noutline) /* memcpy from NULL is undefined, even of 0 bytes */
			memcpy(n, doc->outline, doc->noutline * sizeof(*n));
		doc->outline = n;
		doc->outline_cap = cap;
	}
	it = &doc->outline[doc->noutline++];
	it->level = level;
	it->anchor = h->anchor;
	it->title = hd_arena_strdup(m->a, text);
	return it->title ? HD_OK : HD_ENOMEM;
}

/* A heading in style (keep-with-next), anchored when it opens a chapter. */
static hd_block *heading(mctx *m, hd_flow_src *f, const char *style_name, const char *text,
                         int chapter_level)
{
	hd_block *h = add(m, f, HD_BLK_HEADING, style_name);
	if (!h || !put(m, h, HD_REGULAR, text))
		return NULL;
	h->level = style_name[0] == 'h' ? style_name[1] - '0' : 1;
	h->flags = HD_BF_KEEP_NEXT;
	if (chapter_level && anchor_heading(m, h, chapter_level, text))
		return NULL;
	return h;
}

/* The heading of a part: its own label key, or the part's default; none
 * for heading="". */
static int part_heading(mctx *m, hd_flow_src *f, const hd_part *p, const char *fallback_key)
{
	const char *key = p->heading ? p->heading
	                             : (hd_parts[p->type].heading ? hd_parts[p->type].heading
	                                                          : fallback_key);
	if (!key || !*key)
		return HD_OK;
	return heading(m, f, "h2", label(m, key), p->chapter ? 1 : 0) ? HD_OK : HD_ENOMEM;
}

/* Copies a section's blocks into f, each in style (when given), with face
 * OR-ed into every span. */
static int copy_blocks(mctx *m, hd_flow_src *f, const hd_block *src, const char *style_name,
                       unsigned face)
{
	hd_block *copy = hd_block_copy_list(m->a, src), *b, *head;
	if (!copy)
		return src ? HD_ENOMEM : HD_OK;
	for (b = copy; b; b = b->next) {
		hd_span *sp;
		if (style_name && b->kind == HD_BLK_PARA)
			b->style = style(m, style_name);
		for (sp = b->spans; sp; sp = sp->next)
			sp->style |= face;
	}
	head = (hd_block *)f->blocks;
	hd_block_append(&head, copy);
	f->blocks = head;
	return HD_OK;
}

/* ----- drawings -------------------------------------------------------------------- */

/* A figure block showing drawing dr, width a fraction of its frame;
 * optional (left out when the page limit needs it) when part says so. */
static hd_block *figure(mctx *m, const hd_drawing *dr, double width, const hd_part *p)
{
	hd_block *b = hd_block_new(m->a, HD_BLK_FIGURE);
	if (!b)
		return NULL;
	b->style = style(m, "figure");
	b->drawing = dr;
	b->fig_width = width;
	if (p && p->figures_optional)
		b->flags |= HD_BF_OPTIONAL;
	return b;
}

/* A borderless table of one row: left's blocks in a cell of 1 - width (less
 * a gutter), then a cell of width holding right. */
static hd_block *side_by_side(mctx *m, hd_block *left, hd_block *right, double width)
{
	hd_block *table = hd_block_new(m->a, HD_BLK_TABLE), *row = hd_block_new(m->a, HD_BLK_ROW);
	double *cols = hd_arena_alloc(m->a, 3 * sizeof(*cols));
	hd_block *cell[3];
	int k;

	if (!table || !row || !cols)
		return NULL;
	cols[0] = 1.0 - width - 0.03;
	cols[1] = 0.03;
	cols[2] = width;
	for (k = 0; k < 3; k++) {
		cell[k] = hd_block_new(m->a, HD_BLK_CELL);
		if (!cell[k])
			return NULL;
		hd_block_add_child(row, cell[k]);
	}
	cell[0]->children = left;
	cell[2]->children = right;
	table->style = style(m, "list");
	table->cols = cols;
	table->ncols = 3;
	hd_block_add_child(table, row);
	return table;
}

/* The tint a worked area is shaded with: the clinic's colour on white, light
 * enough for black numbers on it, dark enough to show in greyscale (a
 * luminance of at most 80 %). */
static hd_color area_tint(const hd_clinic *c)
{
	const unsigned char *a = c->colour;
	double ya = 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2], t = 0.35;
	hd_color col = { { 0, 0, 0 }, 0, 0 };
	int k;

	if (ya < 255 && 255 - t * (255 - ya) > 204)
		t = (255 - 204) / (255 - ya);
	if (t > 1)
		t = 1;
	for (k = 0; k < 3; k++)
		col.rgb[k] = (unsigned char)(255 - t * (255 - a[k]) + 0.5);
	return col;
}

/* A copy of drawing src with the regions of areas[0..n) shaded in the
 * clinic's tint (numbered 1..n at their centres when numbered), the other
 * regions left out, the rest of the drawing as it is. An area without a
 * region is an error (named at the template's line). NULL when out of
 * memory or after that error (*bad set). */
static hd_drawing *shaded_diagram(mctx *m, const hd_drawing *src, const char *const *areas,
                                  size_t n, int numbered, int line, int *bad)
{
	hd_drawing *dr = hd_arena_alloc(m->a, sizeof(*dr));
	hd_color ink = { { 0x22, 0x22, 0x22 }, 0, 0 }, tint = area_tint(m->c);
	size_t i, k;

	if (!dr)
		return NULL;
	*dr = *src;
	dr->paths = hd_arena_alloc(m->a, (src->npaths ? src->npaths : 1) * sizeof(*dr->paths));
	dr->texts = hd_arena_alloc(m->a, (n ? n : 1) * sizeof(*dr->texts));
	if (!dr->paths || !dr->texts)
		return NULL;
	dr->npaths = 0;
	dr->ntexts = 0;
	/* in the drawing's order: the regions come before the outline */
	for (i = 0; i < src->npaths; i++) {
		const hd_draw_path *dp = &src->paths[i];
		if (!dp->region) {
			dr->paths[dr->npaths++] = *dp;
			continue;
		}
		for (k = 0; k < n && strcmp(areas[k], dp->region); k++)
			;
		if (k == n)
			continue; /* not worked today: not drawn */
		dr->paths[dr->npaths] = *dp;
		dr->paths[dr->npaths].paint = HD_PAINT_FILL;
		dr->paths[dr->npaths].fill = tint;
		dr->npaths++;
	}
	for (k = 0; k < n; k++) {
		double box[4];
		const hd_draw_path *dp = NULL;
		for (i = 0; i < src->npaths && !dp; i++) {
			if (src->paths[i].region && !strcmp(src->paths[i].region, areas[k]))
				dp = &src->paths[i];
		}
		if (!dp) {
			char hint[200];
			snprintf(hint, sizeof(hint), "add <path region=\"%s\" d=\"...\"/> to the drawing "
			         "(%s:%d)", areas[k], src->file ? src->file : "", src->line);
			hd_error_at(m->d, m->t->file, line, 0, hint,
			            "the body diagram '%s' has no region for the area '%s'", src->id, areas[k]);
			*bad = 1;
			return NULL;
		}
		if (!numbered)
			continue;
		hd_path_bbox(dp->segs, dp->nsegs, box);
		dr->texts[dr->ntexts].x = (box[0] + box[2]) / 2;
		dr->texts[dr->ntexts].y = (box[1] + box[3]) / 2;
		dr->texts[dr->ntexts].text = hd_arena_printf(m->a, "%zu", k + 1);
		dr->texts[dr->ntexts].size = 0.6;
		dr->texts[dr->ntexts].face = HD_BOLD;
		dr->texts[dr->ntexts].color = ink;
		if (!dr->texts[dr->ntexts].text)
			return NULL;
		dr->ntexts++;
	}
	return dr;
}

/* The body diagram of the session: the drawing's outline, the regions of
 * the areas worked shaded, each with its number in the areas list. */
static int part_body_diagram(mctx *m, hd_flow_src *f, const hd_part *p)
{
	const hd_drawing *src = hd_library_drawing(m->lib, p->drawing);
	hd_drawing *dr;
	hd_block *b;
	int bad = 0;

	if (!m->s->nareas)
		return HD_OK;
	if (!src) {
		hd_error_at(m->d, m->t->file, p->line, 0,
		            "add the drawing to a library file, or name another in drawing=\"...\"",
		            "<body-diagram/> shows the drawing '%s', which is not in the library",
		            p->drawing ? p->drawing : "");
		return HD_EINPUT;
	}
	dr = shaded_diagram(m, src, m->s->areas, m->s->nareas, 1, p->line, &bad);
	if (!dr)
		return bad ? HD_EINPUT : HD_ENOMEM;
	b = figure(m, dr, p->width, p);
	if (!b)
		return HD_ENOMEM;
	if (p->floating)
		b->flags |= HD_BF_FLOAT;
	append(f, b);
	return HD_OK;
}

/* The clinic's booking address as a QR code (made when the clinic was
 * loaded); nothing when the clinic has none. */
static int part_qr(mctx *m, hd_flow_src *f, const hd_part *p)
{
	hd_block *b;
	if (!m->c->booking_qr)
		return HD_OK;
	b = figure(m, m->c->booking_qr, p->width, p);
	if (!b)
		return HD_ENOMEM;
	if (p->floating)
		b->flags |= HD_BF_FLOAT;
	append(f, b);
	return HD_OK;
}

/* ----- entries ------------------------------------------------------------------------ */

/* "Title — summary" as a list item of list. */
static hd_block *titled_item(mctx *m, hd_block *list, const hd_entry_text *tx, int with_summary)
{
	hd_block *it = hd_block_new(m->a, HD_BLK_ITEM);
	if (!it || !put(m, it, HD_BOLD, tx->title))
		return NULL;
	it->style = list->style;
	if (with_summary && tx->summary &&
	    (!put(m, it, HD_REGULAR, EM_DASH) || !put(m, it, HD_REGULAR, tx->summary)))
		return NULL;
	hd_block_add_child(list, it);
	return it;
}

/* An exercise's steps as a numbered list under its item, in the "steps"
 * style (tight: a step is one short sentence or two). */
static int steps_list(mctx *m, hd_block *item, const hd_section *steps)
{
	hd_block *c, *b, *it;
	int st = style(m, "steps");

	if (!steps)
		return HD_OK;
	c = hd_block_copy_list(m->a, steps->blocks);
	if (!c)
		return steps->blocks ? HD_ENOMEM : HD_OK;
	for (b = c; b; b = b->next) {
		b->style = st;
		for (it = b->children; it; it = it->next)
			it->style = st;
	}
	hd_block_append(&item->children, c);
	return HD_OK;
}

/* Copies a section under a list item, paragraphs in style, face added. */
static int item_section(mctx *m, hd_block *item, const hd_section *sec, const char *style_name,
                        unsigned face)
{
	hd_block *c, *b;
	if (!sec)
		return HD_OK;
	c = hd_block_copy_list(m->a, sec->blocks);
	if (!c)
		return sec->blocks ? HD_ENOMEM : HD_OK;
	for (b = c; b; b = b->next) {
		hd_span *sp;
		if (b->kind == HD_BLK_PARA)
			b->style = style(m, style_name);
		for (sp = b->spans; sp; sp = sp->next)
			sp->style |= face;
	}
	hd_block_append(&item->children, c);
	return HD_OK;
}

/* One entry in full: its title (h3), summary, dose, every section with its
 * role's heading (h4; a body section has none); its drawing, when the part
 * shows drawings, below the dose or beside the steps. */
static int full_entry(mctx *m, hd_flow_src *f, const hd_entry *e, const hd_entry_text *tx,
                      const char *dose, int chapter_level, const hd_part *p)
{
	const hd_drawing *dr = p && p->figures != HD_FIGURES_NONE ? e->drawing : NULL;
	const hd_section *sec;
	hd_block *b;
	int r;

	if (!heading(m, f, "h3", tx->title, chapter_level))
		return HD_ENOMEM;
	if (tx->summary) {
		b = add(m, f, HD_BLK_PARA, "body");
		if (!b || !put(m, b, HD_ITALIC, tx->summary))
			return HD_ENOMEM;
	}
	if (e->urgency) {
		b = add(m, f, HD_BLK_PARA, "body");
		if (!b || !put(m, b, HD_BOLD, label(m, strcmp(e->urgency, "urgent") ? "soon" : "urgent")))
			return HD_ENOMEM;
	}
	if (dose) {
		b = add(m, f, HD_BLK_PARA, "body");
		if (!b || !put(m, b, HD_BOLD, hd_arena_printf(m->a, "%s: ", label(m, "dose"))) ||
		    !put(m, b, HD_REGULAR, dose))
			return HD_ENOMEM;
	}
	if (dr && (p->figures == HD_FIGURES_BELOW || !hd_entry_section(tx, "steps"))) {
		b = figure(m, dr, p->figures == HD_FIGURES_BELOW ? p->figure_width : 0.6, p);
		if (!b)
			return HD_ENOMEM;
		append(f, b);
		dr = NULL;
	}
	for (sec = tx->sections; sec; sec = sec->next) {
		char key[64];
		hd_flow_src side = { "side", NULL }, *to = f;
		int steps = dr && !strcmp(sec->role, "steps");
		int beside = steps && p->figures == HD_FIGURES_BESIDE;
		if (beside)
			to = &side; /* the steps go in a cell beside the drawing */
		if (steps && p->figures == HD_FIGURES_FLOAT) {
			/* at the right of the steps, which wrap around it */
			hd_block *fig = figure(m, dr, p->figure_width, p);
			if (!fig)
				return HD_ENOMEM;
			fig->flags |= HD_BF_FLOAT;
			append(f, fig);
		}
		snprintf(key, sizeof(key), "role.%s", sec->role);
		if (strcmp(sec->role, "body") && !heading(m, to, "h4", label(m, key), 0))
			return HD_ENOMEM;
		r = copy_blocks(m, to, sec->blocks, strcmp(sec->role, "safety") ? "body" : "small",
		                strcmp(sec->role, "safety") ? 0 : HD_ITALIC);
		if (r)
			return r;
		if (beside) {
			hd_block *fig = figure(m, dr, 1.0, p), *row;
			row = fig ? side_by_side(m, (hd_block *)side.blocks, fig, p->figure_width) : NULL;
			if (!row)
				return HD_ENOMEM;
			append(f, row);
		}
	}
	return HD_OK;
}

/* ----- the parts ------------------------------------------------------------------------- */

static int part_title(mctx *m, hd_flow_src *f)
{
	const char *fmt = label(m, "title"), *brace = strstr(fmt, "{client}");
	hd_block *h = add(m, f, HD_BLK_HEADING, "title");

	if (!h)
		return HD_ENOMEM;
	h->level = 1;
	h->flags = HD_BF_KEEP_NEXT;
	/* the client's name stays on one line (unless it is longer than one) */
	if (brace && m->s) {
		if (brace > fmt && !hd_block_add_text(m->a, h, HD_REGULAR, fmt, (size_t)(brace - fmt)))
			return HD_ENOMEM;
		if (!put_nobreak(m, h, HD_REGULAR, m->s->client))
			return HD_ENOMEM;
		if (brace[8] && !put(m, h, HD_REGULAR, brace + 8))
			return HD_ENOMEM;
	} else if (!put(m, h, HD_REGULAR, fmt)) {
		return HD_ENOMEM;
	}
	return HD_OK;
}

/* "Label:" bold, then the value, kept together on the line; a verbatim
 * value (a phone number, an address for mail or the web) is printed exactly
 * as written, without typography. */
static int labelled_as(mctx *m, hd_block *p, const char *key, const char *value, int verbatim)
{
	hd_span *v;
	/* a no-break space keeps "Presión:" with "Firme" */
	if (!put(m, p, HD_BOLD, hd_arena_printf(m->a, "%s:", label(m, key))) ||
	    !put(m, p, HD_REGULAR, NBSP) || !(v = put_nobreak(m, p, HD_REGULAR, value)))
		return HD_ENOMEM;
	v->verbatim = (unsigned)verbatim;
	return HD_OK;
}

static int labelled(mctx *m, hd_block *p, const char *key, const char *value)
{
	return labelled_as(m, p, key, value, 0);
}

static int part_summary(mctx *m, hd_flow_src *f)
{
	const hd_session_rec *s = m->s;
	hd_block *p = add(m, f, HD_BLK_PARA, "body");
	const char *date = hd_format_date(m->a, m->t, m->lang, &s->date);

	if (!p || !date)
		return HD_ENOMEM;
	p->flags = HD_BF_NOJUSTIFY;
	if (labelled(m, p, "date", date) || !put(m, p, HD_REGULAR, MIDDOT) ||
	    labelled(m, p, "therapist", s->therapist))
		return HD_ENOMEM;
	if (s->pressure) {
		char key[64];
		snprintf(key, sizeof(key), "pressure.%s", s->pressure);
		if (!put(m, p, HD_REGULAR, MIDDOT) || labelled(m, p, "pressure", label(m, key)))
			return HD_ENOMEM;
	}
	return HD_OK;
}

/* Entries as a list of "Title — summary" items (titles only for
 * HD_DETAIL_TITLES), or one after the other in full. refs: the session's
 * choices with personal doses; or entries (NULL-terminated). */
static int entry_list(mctx *m, hd_flow_src *f, const hd_part *p, const hd_entry *const *entries,
                      const char *const *doses, size_t n, enum hd_detail detail, int selfcare)
{
	hd_block *list;
	size_t i;
	int r;

	if (detail == HD_DETAIL_FULL) {
		for (i = 0; i < n; i++) {
			const hd_entry_text *tx = hd_entry_text_for(entries[i], m->lang);
			const char *dose = doses && doses[i] ? doses[i] : tx->dose;
			r = full_entry(m, f, entries[i], tx, dose, p->chapter ? 2 : 0, p);
			if (r)
				return r;
		}
		return HD_OK;
	}
	list = NULL;
	for (i = 0; i < n; i++) {
		const hd_entry_text *tx = hd_entry_text_for(entries[i], m->lang);
		const hd_drawing *dr = p->figures != HD_FIGURES_NONE ? entries[i]->drawing : NULL;
		const char *dose = doses && doses[i] ? doses[i] : tx->dose;
		hd_block *it;

		if (dr && !selfcare && p->figures == HD_FIGURES_BESIDE) {
			/* a row of its own: "Title — summary" beside the drawing */
			hd_block *holder = hd_block_new(m->a, HD_BLK_LIST), *para, *fig, *row;
			if (!holder)
				return HD_ENOMEM;
			holder->style = style(m, "list");
			it = titled_item(m, holder, tx, detail != HD_DETAIL_TITLES);
			para = hd_block_new(m->a, HD_BLK_PARA);
			fig = figure(m, dr, 1.0, p);
			if (!it || !para || !fig)
				return HD_ENOMEM;
			para->spans = it->spans;
			para->spans_tail = it->spans_tail;
			para->style = style(m, "list");
			para->flags |= HD_BF_NOJUSTIFY;
			row = side_by_side(m, para, fig, p->figure_width);
			if (!row)
				return HD_ENOMEM;
			append(f, row);
			list = NULL; /* the next item opens a new list */
			continue;
		}
		if (!list) {
			list = add(m, f, HD_BLK_LIST, "list");
			if (!list)
				return HD_ENOMEM;
		}
		it = titled_item(m, list, tx, detail != HD_DETAIL_TITLES);
		if (!it)
			return HD_ENOMEM;
		if (selfcare && dose &&
		    (!put(m, it, HD_REGULAR, " ") ||
		     !put(m, it, HD_ITALIC, hd_arena_printf(m->a, "%s: %s", label(m, "your-dose"), dose))))
			return HD_ENOMEM;
		if (selfcare && !strcmp(entries[i]->kind, "exercise")) {
			/* an exercise is only useful with its steps and its safety note */
			r = steps_list(m, it, hd_entry_section(tx, "steps"));
			if (!r)
				r = item_section(m, it, hd_entry_section(tx, "safety"), "small", HD_ITALIC);
			if (r)
				return r;
		}
		if (dr && p->figures == HD_FIGURES_FLOAT && it->children) {
			/* at the right of the steps, which wrap around it */
			hd_block *fig = figure(m, dr, p->figure_width, p);
			if (!fig)
				return HD_ENOMEM;
			fig->flags |= HD_BF_FLOAT;
			fig->next = it->children;
			it->children = fig;
		} else if (dr && p->figures == HD_FIGURES_BESIDE && it->children) {
			/* steps and safety on the left, the drawing on the right */
			hd_block *fig = figure(m, dr, 1.0, p), *row;
			row = fig ? side_by_side(m, it->children, fig, p->figure_width) : NULL;
			if (!row)
				return HD_ENOMEM;
			it->children = it->children_tail = row;
		} else if (dr) {
			hd_block *fig = figure(m, dr, p->figure_width, p);
			if (!fig)
				return HD_ENOMEM;
			hd_block_add_child(it, fig);
		}
	}
	return HD_OK;
}

/* The session's references of kinds k1 / k2 as entries; unknown ones are
 * reported (all of them). */
static int entries_of(mctx *m, const hd_session_rec *s, const hd_ref *refs, size_t nrefs,
                      const hd_ref_kind *rk, const hd_entry ***out, const char ***doses);

static int session_entries(mctx *m, const hd_ref *refs, size_t nrefs, const hd_ref_kind *rk,
                           const hd_entry ***out, const char ***doses)
{
	return entries_of(m, m->s, refs, nrefs, rk, out, doses);
}

/* The library entries of refs (of session s), NULL-terminated, with their
 * doses; an unresolved ref is reported at its line in s and skipped
 * (HD_EINPUT). */
static int entries_of(mctx *m, const hd_session_rec *s, const hd_ref *refs, size_t nrefs,
                      const hd_ref_kind *rk, const hd_entry ***out, const char ***doses)
{
	const hd_entry **e = hd_arena_alloc(m->a, (nrefs + 1) * sizeof(*e));
	const char **ds = hd_arena_alloc(m->a, (nrefs + 1) * sizeof(*ds));
	size_t i, n = 0;
	int bad = 0;

	if (!e || !ds)
		return HD_ENOMEM;
	for (i = 0; i < nrefs; i++) {
		const hd_entry *x = hd_library_resolve(m->lib, rk, refs[i].id, s->file, refs[i].line,
		                                       refs[i].col, m->d);
		if (!x) {
			bad = 1;
			continue;
		}
		ds[n] = refs[i].dose;
		e[n++] = x;
	}
	e[n] = NULL;
	*out = e;
	*doses = ds;
	return bad ? HD_EINPUT : HD_OK;
}

static size_t count_entries(const hd_entry *const *e)
{
	size_t n = 0;
	while (e[n])
		n++;
	return n;
}

static int part_techniques(mctx *m, hd_flow_src *f, const hd_part *p)
{
	const hd_entry **e;
	const char **doses;
	int r = session_entries(m, m->s->techniques, m->s->ntechniques, &hd_ref_technique, &e,
	                        &doses);
	if (r)
		return r;
	if (!e[0])
		return HD_OK;
	r = part_heading(m, f, p, NULL);
	if (!r)
		r = entry_list(m, f, p, e, NULL, count_entries(e),
		               p->detail == HD_DETAIL_DEFAULT ? HD_DETAIL_SUMMARY : p->detail, 0);
	return r;
}

static int part_selfcare(mctx *m, hd_flow_src *f, const hd_part *p)
{
	const hd_entry **e;
	const char **doses;
	int r = session_entries(m, m->s->tips, m->s->ntips, &hd_ref_tip, &e, &doses);
	if (r)
		return r;
	if (!e[0])
		return HD_OK;
	r = part_heading(m, f, p, NULL);
	if (!r)
		r = entry_list(m, f, p, e, doses, count_entries(e),
		               p->detail == HD_DETAIL_DEFAULT ? HD_DETAIL_SUMMARY : p->detail, 1);
	return r;
}

static int part_areas(mctx *m, hd_flow_src *f, const hd_part *p)
{
	hd_block *b;
	size_t i;
	int r;

	if (!m->s->nareas)
		return HD_OK;
	r = part_heading(m, f, p, NULL);
	if (r)
		return r;
	b = add(m, f, HD_BLK_PARA, "body");
	if (!b)
		return HD_ENOMEM;
	b->flags = HD_BF_NOJUSTIFY;
	for (i = 0; i < m->s->nareas; i++) {
		char key[64];
		snprintf(key, sizeof(key), "area.%s", m->s->areas[i]);
		if (i && !put(m, b, HD_REGULAR, MIDDOT))
			return HD_ENOMEM;
		/* the number the body diagram shows on the area, kept with its name */
		if (m->numbered_areas &&
		    !put_nobreak(m, b, HD_BOLD, hd_arena_printf(m->a, "%zu" NBSP, i + 1)))
			return HD_ENOMEM;
		if (!put_nobreak(m, b, HD_REGULAR, label(m, key)))
			return HD_ENOMEM;
	}
	return HD_OK;
}

static int part_notes(mctx *m, hd_flow_src *f, const hd_part *p)
{
	int r;
	if (!m->s->notes)
		return HD_OK;
	r = part_heading(m, f, p, NULL);
	return r ? r : copy_blocks(m, f, m->s->notes, NULL, 0);
}

/* Every warning-sign entry of the library (mandatory ones can never be left
 * out), urgent ones first, in library order. */
static int cmp_warning(const void *pa, const void *pb)
{
	const hd_entry *a = *(const hd_entry *const *)pa, *b = *(const hd_entry *const *)pb;
	int ua = a->urgency && !strcmp(a->urgency, "urgent");
	int ub = b->urgency && !strcmp(b->urgency, "urgent");
	int fa;
	if (ua != ub)
		return ub - ua;
	fa = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	if (fa)
		return fa;
	return a->order != b->order ? a->order - b->order : strcmp(a->id, b->id);
}

/* One warning sign as an item of list: "Title — summary (Get help right
 * away)", the urgency kept whole. */
static int warning_item(mctx *m, hd_block *list, const hd_entry *sign)
{
	const hd_entry_text *tx = hd_entry_text_for(sign, m->lang);
	hd_block *it = titled_item(m, list, tx, 1);
	int urgent = sign->urgency && !strcmp(sign->urgency, "urgent");
	if (!it || !put(m, it, HD_REGULAR, " ") ||
	    !put_nobreak(m, it, HD_BOLD,
	                 hd_arena_printf(m->a, "(%s)", label(m, urgent ? "urgent" : "soon"))))
		return HD_ENOMEM;
	return HD_OK;
}

static int part_warnings(mctx *m, hd_flow_src *f, const hd_part *p)
{
	const hd_entry **signs;
	hd_block *box, *title, *list;
	size_t i, n = 0;

	m->warnings_done = 1;
	signs = hd_arena_alloc(m->a, (m->lib->count + 1) * sizeof(*signs));
	if (!signs)
		return HD_ENOMEM;
	for (i = 0; i < m->lib->count; i++) {
		if (!strcmp(m->lib->entries[i]->kind, "warning-sign"))
			signs[n++] = m->lib->entries[i];
	}
	if (n == 0) {
		hd_error_at(m->d, NULL, 0, 0, "add the warning-sign entries to the content library",
		            "the library has no warning signs; a %s cannot be made without them",
		            hd_kind_names[m->t->kind]);
		return HD_EINPUT;
	}
	qsort(signs, n, sizeof(*signs), cmp_warning);
	box = add(m, f, HD_BLK_CALLOUT, "callout");
	title = hd_block_new(m->a, HD_BLK_PARA);
	list = hd_block_new(m->a, HD_BLK_LIST);
	if (!box || !title || !list || !put(m, title, HD_REGULAR, WARNING_SIGN) ||
	    !put(m, title, HD_REGULAR, label(m, "warnings")))
		return HD_ENOMEM;
	title->style = style(m, "callout-title");
	title->flags = HD_BF_KEEP_NEXT;
	list->style = style(m, "list");
	if (p && p->chapter && anchor_heading(m, title, 1, label(m, "warnings")))
		return HD_ENOMEM;
	/* two columns (standard print: large print's lines would be too short),
	 * the first half of the signs on the left, so they read in order */
	if (p && p->columns == 2 && !m->large_print && n > 1) {
		static const double cols[3] = { 0.485, 0.03, 0.485 };
		hd_block *table = hd_block_new(m->a, HD_BLK_TABLE), *row = hd_block_new(m->a, HD_BLK_ROW);
		hd_block *cell[3], *second = hd_block_new(m->a, HD_BLK_LIST);
		size_t c;
		if (!table || !row || !second)
			return HD_ENOMEM;
		table->style = style(m, "list");
		table->cols = cols;
		table->ncols = 3;
		second->style = list->style;
		for (c = 0; c < 3; c++) {
			cell[c] = hd_block_new(m->a, HD_BLK_CELL);
			if (!cell[c])
				return HD_ENOMEM;
			hd_block_add_child(row, cell[c]);
		}
		hd_block_add_child(table, row);
		cell[0]->children = list;
		cell[2]->children = second;
		for (i = 0; i < n; i++)
			if (warning_item(m, i < (n + 1) / 2 ? list : second, signs[i]))
				return HD_ENOMEM;
		hd_block_add_child(box, title);
		hd_block_add_child(box, table);
		return HD_OK;
	}
	for (i = 0; i < n; i++) {
		if (warning_item(m, list, signs[i]))
			return HD_ENOMEM;
	}
	hd_block_add_child(box, title);
	hd_block_add_child(box, list);
	return HD_OK;
}

static int part_next_visit(mctx *m, hd_flow_src *f)
{
	hd_block *p = add(m, f, HD_BLK_PARA, "body");

	/* one labelled line: "Your next visit: December 4, 2026 at 10:30" */
	if (!p)
		return HD_ENOMEM;
	p->flags = HD_BF_NOJUSTIFY;
	if (m->s->next_visit.year) {
		const char *when = hd_format_date(m->a, m->t, m->lang, &m->s->next_visit);
		if (!when || labelled(m, p, "next-visit", when))
			return HD_ENOMEM;
	} else if (!put(m, p, HD_BOLD, hd_arena_printf(m->a, "%s: ", label(m, "next-visit"))) ||
	           !put(m, p, HD_REGULAR, label(m, "next-visit-none"))) {
		return HD_ENOMEM;
	}
	return HD_OK;
}

static int part_disclaimer(mctx *m, hd_flow_src *f)
{
	const hd_entry *e = hd_library_find(m->lib, "disclaimer");
	const hd_section *body;
	hd_block *head, *first;
	int r;

	if (!e) {
		hd_error_at(m->d, NULL, 0, 0, "add an entry with id=\"disclaimer\" to the library",
		            "the template asks for a disclaimer, but the library has none");
		return HD_EINPUT;
	}
	body = hd_entry_section(hd_entry_text_for(e, m->lang), "body");
	if (!body)
		return HD_OK;
	head = (hd_block *)f->blocks;
	while (head && head->next)
		head = head->next;
	r = copy_blocks(m, f, body->blocks, "small", 0);
	if (r)
		return r;
	/* "Important: " leads the first paragraph */
	first = head ? head->next : (hd_block *)f->blocks;
	if (first && first->kind == HD_BLK_PARA) {
		hd_span *lead = hd_arena_alloc(m->a, sizeof(*lead));
		const char *txt = hd_arena_printf(m->a, "%s: ", label(m, "disclaimer"));
		if (!lead || !txt)
			return HD_ENOMEM;
		lead->text = txt;
		lead->len = strlen(txt);
		lead->style = HD_BOLD;
		lead->next = first->spans;
		first->spans = lead;
	}
	return HD_OK;
}

static int part_cover(mctx *m, hd_flow_src *f)
{
	const hd_clinic *c = m->c;
	hd_block *b;

	if (c->logo_path) {
		b = add(m, f, HD_BLK_FIGURE, "cover-line");
		if (!b)
			return HD_ENOMEM;
		b->image = 0;
		b->fig_width = 0.45;
		b->flags |= HD_BF_KEEP_NEXT;
	}
	b = add(m, f, HD_BLK_PARA, "cover-line");
	if (!b || !put(m, b, HD_BOLD, c->name))
		return HD_ENOMEM;
	b = add(m, f, HD_BLK_HEADING, "cover-title");
	if (!b || !put(m, b, HD_REGULAR, label(m, "cover-title")))
		return HD_ENOMEM;
	b->level = 1;
	b = add(m, f, HD_BLK_PARA, "cover-line");
	if (!b || !put(m, b, HD_REGULAR, label(m, "cover-subtitle")))
		return HD_ENOMEM;
	if (m->s) {
		const char *fmt = label(m, "prepared-for"), *brace = strstr(fmt, "{client}");
		const char *date = hd_format_date(m->a, m->t, m->lang, &m->s->date);
		b = add(m, f, HD_BLK_PARA, "cover-line");
		if (!b || !date)
			return HD_ENOMEM;
		if (brace) {
			if (brace > fmt && !hd_block_add_text(m->a, b, HD_REGULAR, fmt, (size_t)(brace - fmt)))
				return HD_ENOMEM;
			if (!put_nobreak(m, b, HD_BOLD, m->s->client) || !put(m, b, HD_REGULAR, brace + 8))
				return HD_ENOMEM;
		} else if (!put(m, b, HD_REGULAR, fmt)) {
			return HD_ENOMEM;
		}
		{
			const char *kv[] = { "therapist", m->s->therapist, "date", date, NULL };
			b = add(m, f, HD_BLK_PARA, "cover-line");
			if (!b || !put(m, b, HD_REGULAR, hd_fill(m->a, label(m, "prepared-by"), kv)))
				return HD_ENOMEM;
		}
	}
	return HD_OK;
}

static int part_contact(mctx *m, hd_flow_src *f, const hd_part *p)
{
	const hd_clinic *c = m->c;
	hd_block *b;
	size_t i;
	int r = part_heading(m, f, p, NULL);

	if (r)
		return r;
	b = add(m, f, HD_BLK_PARA, "body");
	if (!b || !put(m, b, HD_BOLD, c->name))
		return HD_ENOMEM;
	b->flags = HD_BF_NOJUSTIFY;
	for (i = 0; i < c->naddress; i++) {
		b = add(m, f, HD_BLK_PARA, "contact-line");
		if (!b || !put(m, b, HD_REGULAR, c->address[i]))
			return HD_ENOMEM;
		b->flags = HD_BF_NOJUSTIFY;
	}
	{
		const char *keys[3] = { "phone", "email", "web" };
		const char *vals[3] = { c->phone, c->email, c->website };
		for (i = 0; i < 3; i++) {
			if (!vals[i])
				continue;
			b = add(m, f, HD_BLK_PARA, "contact-line");
			if (!b || labelled_as(m, b, keys[i], vals[i], 1))
				return HD_ENOMEM;
			b->flags = HD_BF_NOJUSTIFY;
		}
	}
	return HD_OK;
}

/* Entries of the library of kind, in authoring order (file, then position). */
static int cmp_authoring(const void *pa, const void *pb)
{
	const hd_entry *a = *(const hd_entry *const *)pa, *b = *(const hd_entry *const *)pb;
	int f = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	return f ? f : a->order - b->order;
}

static const hd_entry **entries_of_kind(mctx *m, const char *kind, size_t *n)
{
	const hd_entry **e = hd_arena_alloc(m->a, (m->lib->count + 1) * sizeof(*e));
	size_t i;
	*n = 0;
	if (!e)
		return NULL;
	for (i = 0; i < m->lib->count; i++) {
		if (!strcmp(m->lib->entries[i]->kind, kind))
			e[(*n)++] = m->lib->entries[i];
	}
	qsort(e, *n, sizeof(*e), cmp_authoring);
	e[*n] = NULL;
	return e;
}

static int part_library(mctx *m, hd_flow_src *f, const hd_part *p)
{
	size_t k;
	int r = HD_OK;

	if (p->heading) {
		r = part_heading(m, f, p, NULL);
		if (r)
			return r;
	}
	for (k = 0; k < p->nkinds && !r; k++) {
		size_t n;
		const hd_entry **e = entries_of_kind(m, p->kinds[k], &n);
		char key[64];
		if (!e)
			return HD_ENOMEM;
		if (!n)
			continue;
		if (!p->heading) {
			snprintf(key, sizeof(key), "kind.%s", p->kinds[k]);
			if (!heading(m, f, "h2", label(m, key), p->chapter ? 1 : 0))
				return HD_ENOMEM;
		}
		/* no personal doses here: the library's own, in full detail */
		r = entry_list(m, f, p, e, NULL, n,
		               p->detail == HD_DETAIL_DEFAULT ? HD_DETAIL_SUMMARY : p->detail, 0);
	}
	return r;
}

static int part_contents(mctx *m, hd_flow_src *f, const hd_part *p)
{
	int r = part_heading(m, f, p, NULL);
	hd_block *last;

	if (r)
		return r;
	last = (hd_block *)f->blocks;
	while (last && last->next)
		last = last->next;
	if (!last) { /* contents without a heading: a place holder to insert after */
		last = add(m, f, HD_BLK_SPACER, NULL);
		if (!last)
			return HD_ENOMEM;
		last->fig_height = 0;
	}
	m->toc_after = last;
	m->toc_flow = f;
	return HD_OK;
}

/* The contents lines, one per anchored heading of level 1 or 2, after the
 * contents heading. Their page numbers are "000" until hd_doc_set_pages. */
static int add_toc(mctx *m)
{
	hd_doc *doc = m->doc;
	hd_block *after = m->toc_after;
	size_t i;

	if (!after)
		return HD_OK;
	for (i = 0; i < doc->noutline; i++) {
		const hd_outline_item *o = &doc->outline[i];
		hd_block *line;
		char st[16];
		if (o->level > 2)
			continue;
		snprintf(st, sizeof(st), "toc%d", o->level);
		line = hd_block_new(m->a, HD_BLK_TOC);
		if (!line || !put(m, line, HD_REGULAR, o->title))
			return HD_ENOMEM;
		line->style = style(m, st);
		line->level = o->level;
		line->target = o->anchor;
		line->right = PAGE_PLACEHOLDER;
		line->next = after->next;
		after->next = line;
		after = line;
		if (doc->ntoc == doc->toc_cap) {
			size_t cap = doc->toc_cap ? doc->toc_cap * 2 : 32;
			hd_block **n = hd_arena_alloc(m->a, cap * sizeof(*n));
			if (!n)
				return HD_ENOMEM;
			if (doc->ntoc)
				memcpy(n, doc->toc, doc->ntoc * sizeof(*n));
			doc->toc = n;
			doc->toc_cap = cap;
		}
		doc->toc[doc->ntoc++] = line;
	}
	return HD_OK;
}

int hd_doc_set_pages(hd_doc *doc, const hd_anchor_pos *anchors, size_t nanchors)
{
	size_t i;
	int changed = 0;

	for (i = 0; i < doc->ntoc; i++) {
		hd_block *b = doc->toc[i];
		char num[16];
		snprintf(num, sizeof(num), "%d",
		         b->target > 0 && (size_t)b->target < nanchors ? anchors[b->target].page : 0);
		if (!b->right || strcmp(b->right, num)) {
			b->right = hd_arena_strdup(&doc->arena, num);
			if (!b->right)
				return HD_ENOMEM;
			changed = 1;
		}
	}
	return changed;
}

/* ----- the catalogue: every entry of the library ------------------------------------- */

/* A label in another language than the document's (the catalogue prints
 * every language), or fallback when the template lacks the key. */
static const char *label_in(const mctx *m, const char *lang, const char *key, const char *fallback)
{
	const char *v = hd_template_label(m->t, lang, key);
	return v ? v : fallback;
}

/* One entry in proofreading form: its title (a bookmark), summary, id and
 * review date, urgency, default dose, every section. */
static int catalogue_entry(mctx *m, hd_flow_src *f, const hd_entry *e, const char *lang,
                           const hd_part *p)
{
	const hd_entry_text *tx = hd_entry_text_for(e, lang);
	hd_block *b;
	hd_date date;
	const char *ds;

	if (!tx)
		return HD_OK;
	if (!heading(m, f, "h3", tx->title, 3))
		return HD_ENOMEM;
	if (tx->summary) {
		b = add(m, f, HD_BLK_PARA, "body");
		if (!b || !put(m, b, HD_ITALIC, tx->summary))
			return HD_ENOMEM;
		b->flags |= HD_BF_NOJUSTIFY;
	}
	memset(&date, 0, sizeof(date));
	date.hour = -1;
	if (e->reviewed && sscanf(e->reviewed, "%d-%d-%d", &date.year, &date.month, &date.day) == 3)
		ds = hd_format_date(m->a, m->t, lang, &date);
	else
		ds = e->reviewed ? e->reviewed : "";
	{
		const char *kv[] = { "id", e->id, "date", ds, NULL };
		b = add(m, f, HD_BLK_PARA, "small");
		if (!b || !ds || !put(m, b, HD_REGULAR, hd_fill(m->a, label(m, "meta"), kv)))
			return HD_ENOMEM;
		b->flags |= HD_BF_NOJUSTIFY;
	}
	if (e->urgency) {
		b = add(m, f, HD_BLK_PARA, "body");
		if (!b || !put(m, b, HD_BOLD, label(m, strcmp(e->urgency, "urgent") ? "soon" : "urgent")))
			return HD_ENOMEM;
	}
	if (tx->dose) {
		b = add(m, f, HD_BLK_PARA, "body");
		if (!b || !put(m, b, HD_BOLD, hd_arena_printf(m->a, "%s: ", label(m, "dose"))) ||
		    !put(m, b, HD_REGULAR, tx->dose))
			return HD_ENOMEM;
		b->flags |= HD_BF_NOJUSTIFY;
	}
	if (e->drawing && p && p->figures != HD_FIGURES_NONE) {
		/* the drawing, and its text alternative to proofread */
		const char *alt = hd_drawing_alt(e->drawing, lang);
		b = figure(m, e->drawing, p->figure_width, p);
		if (!b)
			return HD_ENOMEM;
		b->flags |= HD_BF_KEEP_NEXT;
		append(f, b);
		b = add(m, f, HD_BLK_PARA, "small");
		if (!b || !put(m, b, HD_BOLD, hd_arena_printf(m->a, "%s: ", label(m, "drawing"))) ||
		    !put(m, b, HD_ITALIC, alt ? alt : ""))
			return HD_ENOMEM;
	}
	{
		const hd_section *sec;
		for (sec = tx->sections; sec; sec = sec->next) {
			char key[64];
			int r;
			snprintf(key, sizeof(key), "role.%s", sec->role);
			if (strcmp(sec->role, "body") && !heading(m, f, "h4", label(m, key), 0))
				return HD_ENOMEM;
			r = copy_blocks(m, f, sec->blocks, "body", 0);
			if (r)
				return r;
		}
	}
	return HD_OK;
}

/* The drawings no entry shows (the body diagram), each with its id and its
 * text alternative, to proofread; portrait ones half as wide. */
static int catalogue_drawings(mctx *m, hd_flow_src *f, const hd_part *p)
{
	size_t i, k;
	int any = 0;

	for (i = 0; i < m->lib->ndrawings; i++) {
		const hd_drawing *dr = m->lib->drawings[i];
		const char *alt = hd_drawing_alt(dr, m->lang);
		hd_block *b;
		for (k = 0; k < m->lib->count && m->lib->entries[k]->drawing != dr; k++)
			;
		if (k < m->lib->count)
			continue; /* shown with its entry */
		if (!any++ && !heading(m, f, "h2", label(m, "drawings"), 2))
			return HD_ENOMEM;
		if (!heading(m, f, "h3", dr->id, 3))
			return HD_ENOMEM;
		for (k = 0; k < dr->npaths && !dr->paths[k].region; k++)
			;
		if (k < dr->npaths) {
			/* a body diagram: every region shaded, to check them all */
			int bad = 0;
			dr = shaded_diagram(m, dr, hd_area_codes, hd_area_count, 0, p->line, &bad);
			if (!dr)
				return bad ? HD_EINPUT : HD_ENOMEM;
		}
		b = figure(m, dr, dr->vb_w >= dr->vb_h ? p->figure_width : p->figure_width / 2, p);
		if (!b)
			return HD_ENOMEM;
		b->flags |= HD_BF_KEEP_NEXT;
		append(f, b);
		b = add(m, f, HD_BLK_PARA, "small");
		if (!b || !put(m, b, HD_BOLD, hd_arena_printf(m->a, "%s: ", label(m, "drawing"))) ||
		    !put(m, b, HD_ITALIC, alt ? alt : ""))
			return HD_ENOMEM;
	}
	return HD_OK;
}

/* Every entry, in every language of the library (or the document's, when
 * one was asked), each language from a new page, grouped by kind in the
 * vocabulary's order; languages and kinds open chapters (contents lines and
 * bookmarks), entries are bookmarks. */
static int part_entries(mctx *m, hd_flow_src *f, const char *only, const hd_part *p)
{
	const char *saved = m->lang;
	size_t li, ki, n;
	int r = HD_OK;

	for (li = 0; li < m->lib->nlang && !r; li++) {
		const char *L = m->lib->languages[li];
		char key[64];
		if (only && strcmp(L, only))
			continue;
		hd_block *last = (hd_block *)f->blocks;
		while (last && last->next)
			last = last->next;
		m->lang = L;
		snprintf(key, sizeof(key), "language.%s", L);
		if (!add(m, f, HD_BLK_PAGEBREAK, NULL) || !heading(m, f, "title", label_in(m, L, key, L), 1)) {
			r = HD_ENOMEM;
			break;
		}
		for (ki = 0; ki < hd_entry_kind_count && !r; ki++) {
			const hd_entry **e = entries_of_kind(m, hd_entry_kinds[ki], &n);
			size_t i;
			if (!e) {
				r = HD_ENOMEM;
				break;
			}
			if (!n)
				continue;
			snprintf(key, sizeof(key), "kind.%s", hd_entry_kinds[ki]);
			if (!heading(m, f, "h2", label(m, key), 2)) {
				r = HD_ENOMEM;
				break;
			}
			for (i = 0; i < n && !r; i++)
				r = catalogue_entry(m, f, e[i], L, p);
		}
		if (!r && p && p->figures != HD_FIGURES_NONE)
			r = catalogue_drawings(m, f, p);
		/* this language's blocks in its own quotation marks */
		if (!r && hd_typo_blocks(m->a, (hd_quotes)hd_template_quotes(m->t, L),
		                         last ? last->next : (hd_block *)f->blocks))
			r = HD_ENOMEM;
	}
	m->lang = saved;
	return r;
}

static int part_text(mctx *m, hd_flow_src *f, const hd_part *p)
{
	hd_block *b;
	int r = part_heading(m, f, p, NULL);
	if (r)
		return r;
	b = add(m, f, HD_BLK_PARA, p->style ? p->style : "body");
	return b && put(m, b, HD_REGULAR, label(m, p->label ? p->label : "")) ? HD_OK : HD_ENOMEM;
}

/* ----- the document --------------------------------------------------------------------- */

/* "14 Willow Quay, Riverside  ·  +44 ...": the address with typography,
 * the phone number as written. */
static const char *header_line(mctx *m)
{
	const hd_clinic *c = m->c;
	hd_quotes q = (hd_quotes)hd_template_quotes(m->t, m->lang);
	hd_buf b = HD_BUF_INIT;
	const char *res;
	size_t i;
	int oom = 0;
	for (i = 0; i < c->naddress; i++) {
		if (i)
			hd_buf_puts(&b, ", ");
		hd_buf_puts(&b, hd_typo_str(m->a, q, c->address[i], &oom));
	}
	if (c->phone) {
		if (b.len)
			hd_buf_puts(&b, MIDDOT);
		hd_buf_puts(&b, c->phone);
	}
	res = b.oom || oom ? NULL : hd_arena_strdup(m->a, b.data ? b.data : "");
	hd_buf_free(&b);
	return res;
}

/* "Phone +44 ...  ·  hello@...  ·  https://...": as written (the label is
 * one word of the template). */
static const char *contact_line(mctx *m)
{
	const hd_clinic *c = m->c;
	hd_buf b = HD_BUF_INIT;
	const char *res;
	if (c->phone) {
		hd_buf_puts(&b, label(m, "phone"));
		hd_buf_putc(&b, ' ');
		hd_buf_puts(&b, c->phone);
	}
	if (c->email) {
		if (b.len)
			hd_buf_puts(&b, MIDDOT);
		hd_buf_puts(&b, c->email);
	}
	if (c->website) {
		if (b.len)
			hd_buf_puts(&b, MIDDOT);
		hd_buf_puts(&b, c->website);
	}
	res = b.oom ? NULL : hd_arena_strdup(m->a, b.data ? b.data : "");
	hd_buf_free(&b);
	return res;
}

const char *hd_doc_field(const void *ctx, const char *key, hd_field_info *info)
{
	const hd_doc *doc = ctx;
	static const struct {
		const char *key;
		size_t off;
		const char *what, *hint;
		int origin; /* 0 clinic, 1 template, 2 session */
	} fields[] = {
		{ "clinic", offsetof(hd_doc, clinic), "the clinic name",
		  "shorten <name> in the clinic file (or use a narrower logo)", 0 },
		{ "clinic-line", offsetof(hd_doc, clinic_line), "the address and phone",
		  "shorten the address lines or the phone number in the clinic file", 0 },
		{ "contact", offsetof(hd_doc, contact), "the contact line",
		  "shorten the phone, email or website in the clinic file", 0 },
		{ "doc-title", offsetof(hd_doc, doc_title), "the document title",
		  "shorten the doc-title label", 1 },
		{ "page-label", offsetof(hd_doc, page_label), "the page label",
		  "shorten the page label", 1 },
		{ "client", offsetof(hd_doc, client), "the client's name",
		  "shorten the client's name", 2 },
		{ "date", offsetof(hd_doc, date), "the date", "shorten the date-format label", 1 },
		{ "therapist", offsetof(hd_doc, therapist), "the therapist's name",
		  "shorten the therapist's name", 2 },
	};
	size_t i;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!strcmp(fields[i].key, key)) {
			const char *v = *(const char *const *)((const char *)doc + fields[i].off);
			if (info) {
				info->what = fields[i].what;
				info->hint = fields[i].hint;
				info->file = fields[i].origin == 0   ? doc->clinic_file
				             : fields[i].origin == 1 ? doc->template_file
				                                     : doc->session_file;
			}
			return v ? v : "";
		}
	}
	return NULL;
}

/* Typography (typography.h) on every block of every flow and on the
 * bookmarks, in the document's language; text already typeset in another
 * language (the catalogue's) does not change again. */
/* ----- the progress report ------------------------------------------------------- */

/* "4 visits from 2 September 2026 to 18 November 2026", and the client's
 * number when the records give one. */
static int part_report_summary(mctx *m, hd_flow_src *f)
{
	const hd_session_rec *first = m->history[0], *last = m->history[m->nhistory - 1];
	hd_date day0 = first->date, day1 = last->date;
	const char *d0, *d1;
	const char *count = hd_arena_printf(m->a, "%zu", m->nhistory);
	hd_block *p = add(m, f, HD_BLK_PARA, "body");
	const char *kv[] = { "count", count, "first", NULL, "last", NULL, NULL };
	const char *text;

	day0.hour = day1.hour = -1; /* the days are enough here */
	d0 = hd_format_date(m->a, m->t, m->lang, &day0);
	d1 = hd_format_date(m->a, m->t, m->lang, &day1);
	kv[3] = d0;
	kv[5] = d1;
	if (!p || !d0 || !d1 || !count)
		return HD_ENOMEM;
	p->flags = HD_BF_NOJUSTIFY;
	text = hd_fill(m->a, label(m, m->nhistory == 1 ? "report-summary-one" : "report-summary"), kv);
	if (!put(m, p, HD_REGULAR, text))
		return HD_ENOMEM;
	if (last->client_id) {
		if (!put(m, p, HD_REGULAR, MIDDOT) || labelled_as(m, p, "client-number", last->client_id, 1))
			return HD_ENOMEM;
	}
	return HD_OK;
}

/* A paragraph in style for a table cell. */
static hd_block *cell_para(mctx *m, hd_block *row, const char *style_name)
{
	hd_block *cell = hd_block_new(m->a, HD_BLK_CELL);
	hd_block *p = hd_block_new(m->a, HD_BLK_PARA);
	if (!cell || !p)
		return NULL;
	p->style = style(m, style_name);
	p->flags = HD_BF_NOJUSTIFY;
	cell->children = p;
	hd_block_add_child(row, cell);
	return p;
}

/* "6 → 3", "6 → –" when the second score was not taken; "–" for none. */
static const char *pain_text(mctx *m, const hd_session_rec *s)
{
	const char *none = label(m, "pain-missing");
	char b[8], a[8];

	if (s->pain_before < 0 && s->pain_after < 0)
		return none;
	snprintf(b, sizeof(b), "%d", s->pain_before);
	snprintf(a, sizeof(a), "%d", s->pain_after);
	return hd_arena_printf(m->a, "%s" NBSP "\xe2\x86\x92" NBSP "%s",
	                       s->pain_before < 0 ? none : b, s->pain_after < 0 ? none : a);
}

/* A date as a chart's axis and the table of visits print it: "Sep 30"
 * (date-short), "Sep 30, 2026" with the year (date-short-year), then the
 * time when the date has one. An arena string, or NULL. */
static const char *short_date(mctx *m, const hd_date *d, int with_year)
{
	const char *w = label(m, "months-short"), *ds;
	char month[32] = "", day[16], year[16];
	int k;

	/* the month's short name: the month-th of months-short (a|b|c...) */
	for (k = 1; k < d->month && w; k++) {
		w = strchr(w, '|');
		w = w ? w + 1 : NULL;
	}
	if (w) {
		size_t n = strcspn(w, "|");
		snprintf(month, sizeof(month), "%.*s", (int)(n < 31 ? n : 31), w);
	}
	snprintf(day, sizeof(day), "%d", d->day);
	snprintf(year, sizeof(year), "%d", d->year);
	{
		const char *kv[] = { "day", day, "month", month, "year", year, NULL };
		ds = hd_fill(m->a, label(m, with_year ? "date-short-year" : "date-short"), kv);
	}
	if (!ds || d->hour < 0)
		return ds;
	{
		char hour[16], minute[16];
		const char *kv[] = { "hour", hour, "minute", minute, NULL }, *ts;
		snprintf(hour, sizeof(hour), "%d", d->hour);
		snprintf(minute, sizeof(minute), "%02d", d->minute);
		ts = hd_fill(m->a, label(m, "time-format"), kv);
		return ts ? hd_arena_printf(m->a, "%s, %s", ds, ts) : NULL;
	}
}

static int same_day(const hd_date *a, const hd_date *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day;
}

/* The table of visits, oldest first: date, therapist, techniques, areas,
 * pain before and after. Its header row is repeated on every page it
 * reaches; a row (one visit) is never split. */
static int part_visits(mctx *m, hd_flow_src *f, const hd_part *p)
{
	static const double cols[5] = { 0.17, 0.16, 0.24, 0.29, 0.14 };
	static const char *const heads[5] = { "visits-date", "visits-therapist", "visits-techniques",
	                                      "visits-areas", "visits-pain" };
	hd_block *table = hd_block_new(m->a, HD_BLK_TABLE), *row;
	size_t i, k;
	int r, bad = 0;

	if (!table)
		return HD_ENOMEM;
	r = part_heading(m, f, p, NULL);
	if (r)
		return r;
	table->style = style(m, "visits");
	table->cols = cols;
	table->ncols = 5;
	table->header_rows = 1;
	row = hd_block_new(m->a, HD_BLK_ROW);
	if (!row)
		return HD_ENOMEM;
	hd_block_add_child(table, row);
	for (k = 0; k < 5; k++) {
		hd_block *c = cell_para(m, row, "table-head");
		if (!c || !put(m, c, HD_BOLD, label(m, heads[k])))
			return HD_ENOMEM;
	}
	for (i = 0; i < m->nhistory; i++) {
		const hd_session_rec *s = m->history[i];
		const hd_entry **e;
		const char **doses;
		hd_block *c[5];
		hd_date when;

		row = hd_block_new(m->a, HD_BLK_ROW);
		if (!row)
			return HD_ENOMEM;
		hd_block_add_child(table, row);
		for (k = 0; k < 5; k++) {
			if (!(c[k] = cell_para(m, row, "table-cell")))
				return HD_ENOMEM;
		}
		/* the time only tells apart two visits on one day */
		when = s->date;
		if (!((i > 0 && same_day(&m->history[i - 1]->date, &s->date)) ||
		      (i + 1 < m->nhistory && same_day(&m->history[i + 1]->date, &s->date))))
			when.hour = -1;
		if (!put(m, c[0], HD_REGULAR, short_date(m, &when, 1)) ||
		    !put(m, c[1], HD_REGULAR, s->therapist))
			return HD_ENOMEM;
		r = entries_of(m, s, s->techniques, s->ntechniques, &hd_ref_technique, &e, &doses);
		if (r == HD_ENOMEM)
			return r;
		bad |= r == HD_EINPUT;
		for (k = 0; e[k]; k++) {
			const hd_entry_text *tx = hd_entry_text_for(e[k], m->lang);
			if ((k && !put(m, c[2], HD_REGULAR, ", ")) ||
			    !put(m, c[2], HD_REGULAR, tx ? tx->title : e[k]->id))
				return HD_ENOMEM;
		}
		for (k = 0; k < s->nareas; k++) {
			char key[64];
			snprintf(key, sizeof(key), "area.%s", s->areas[k]);
			if ((k && !put(m, c[3], HD_REGULAR, ", ")) || !put(m, c[3], HD_REGULAR, label(m, key)))
				return HD_ENOMEM;
		}
		if (!put_nobreak(m, c[4], HD_REGULAR, pain_text(m, s)))
			return HD_ENOMEM;
	}
	append(f, table);
	return bad ? HD_EINPUT : HD_OK;
}

/* The chart of pain before and after each visit, over time. */
static int part_pain_chart(mctx *m, hd_flow_src *f, const hd_part *p)
{
	hd_chart_point *pts = hd_arena_alloc(m->a, m->nhistory * sizeof(*pts));
	hd_chart_spec spec;
	hd_drawing *dr;
	hd_block *b;
	size_t i;
	int r, years;

	if (!pts)
		return HD_ENOMEM;
	r = part_heading(m, f, p, NULL);
	if (r)
		return r;
	years = m->history[0]->date.year != m->history[m->nhistory - 1]->date.year;
	for (i = 0; i < m->nhistory; i++) {
		const hd_session_rec *s = m->history[i];
		hd_date day = s->date;
		day.hour = -1; /* the axis shows days */
		pts[i].label = short_date(m, &day, years);
		pts[i].day = (long)hd_days_from_civil(s->date.year, s->date.month, s->date.day);
		pts[i].minute = s->date.hour < 0 ? 0 : s->date.hour * 60 + s->date.minute;
		pts[i].before = s->pain_before;
		pts[i].after = s->pain_after;
		if (!pts[i].label)
			return HD_ENOMEM;
	}
	memset(&spec, 0, sizeof(spec));
	spec.body_size = m->large_print ? m->t->large_body_size : m->t->body_size;
	/* points at the body size: about the text width of a page, so that the
	 * labels print at about their size */
	spec.width = 34 * spec.body_size * (m->large_print ? 0.75 : 1.3);
	spec.height = spec.width * p->height;
	spec.before = label(m, "pain-before");
	spec.after = label(m, "pain-after");
	spec.axis = label(m, "pain-axis");
	spec.none = label(m, "pain-none");
	dr = hd_pain_chart(m->a, pts, m->nhistory, &spec);
	if (!dr)
		return HD_ENOMEM;
	b = figure(m, dr, 1.0, NULL);
	if (!b)
		return HD_ENOMEM;
	append(f, b);
	return HD_OK;
}

/* How often each area was worked, as counts in hd_area_codes order. */
static void area_counts(const mctx *m, size_t *count)
{
	size_t i, k, j;
	memset(count, 0, hd_area_count * sizeof(*count));
	for (i = 0; i < m->nhistory; i++) {
		for (k = 0; k < m->history[i]->nareas; k++) {
			for (j = 0; j < hd_area_count; j++) {
				if (!strcmp(hd_area_codes[j], m->history[i]->areas[k]))
					count[j]++;
			}
		}
	}
}

/* The body diagram as a heat map: each area worked shaded by how often
 * (four steps of the clinic's tint, the darkest for the most visits) and
 * marked with its count, so that it reads without colour; beside it the
 * areas with their counts, most often first. */
static int part_heat_map(mctx *m, hd_flow_src *f, const hd_part *p)
{
	const hd_drawing *src = hd_library_drawing(m->lib, p->drawing);
	size_t count[32], order[32], n = 0, i, j, max = 0;
	const char *areas[32];
	hd_drawing *dr;
	hd_block *fig, *legend, *note, *last = NULL;
	int bad = 0, r;

	if (!src) {
		hd_error_at(m->d, m->t->file, p->line, 0,
		            "add the drawing to a library file, or name another in drawing=\"...\"",
		            "<heat-map/> shows the drawing '%s', which is not in the library",
		            p->drawing ? p->drawing : "");
		return HD_EINPUT;
	}
	area_counts(m, count);
	for (i = 0; i < hd_area_count; i++) {
		if (count[i] > max)
			max = count[i];
		if (count[i])
			order[n++] = i;
	}
	if (!n)
		return HD_OK;
	/* most often first; ties in head-to-toe order (a stable insertion sort
	 * of at most 14) */
	for (i = 1; i < n; i++) {
		size_t v = order[i];
		for (j = i; j > 0 && count[order[j - 1]] < count[v]; j--)
			order[j] = order[j - 1];
		order[j] = v;
	}
	for (i = 0; i < n; i++)
		areas[i] = hd_area_codes[order[i]];
	r = part_heading(m, f, p, NULL);
	if (r)
		return r;
	dr = shaded_diagram(m, src, areas, n, 0, p->line, &bad);
	if (!dr)
		return bad ? HD_EINPUT : HD_ENOMEM;
	/* shade by count, and print each count on its region */
	{
		hd_color tint = area_tint(m->c), ink = { { 0x22, 0x22, 0x22 }, 0, 0 };
		size_t t = 0;
		dr->texts = hd_arena_alloc(m->a, n * sizeof(*dr->texts));
		if (!dr->texts)
			return HD_ENOMEM;
		dr->ntexts = 0;
		for (i = 0; i < dr->npaths; i++) {
			hd_draw_path *dp = &dr->paths[i];
			double share, box[4];
			int k;
			if (!dp->region)
				continue;
			for (j = 0; j < hd_area_count && strcmp(hd_area_codes[j], dp->region); j++)
				;
			if (j == hd_area_count || !count[j])
				continue;
			/* 1 visit of many: a quarter of the tint; the most: all of it */
			share = 0.25 + 0.75 * (double)(count[j] - 1) / (double)(max > 1 ? max - 1 : 1);
			if (max == 1)
				share = 1.0;
			for (k = 0; k < 3; k++)
				dp->fill.rgb[k] = (unsigned char)(255 - share * (255 - tint.rgb[k]) + 0.5);
			hd_path_bbox(dp->segs, dp->nsegs, box);
			if (t < n) {
				dr->texts[t].x = (box[0] + box[2]) / 2;
				dr->texts[t].y = (box[1] + box[3]) / 2;
				dr->texts[t].text = hd_arena_printf(m->a, "%zu", count[j]);
				dr->texts[t].size = 0.6;
				dr->texts[t].face = HD_BOLD;
				dr->texts[t].color = ink;
				if (!dr->texts[t].text)
					return HD_ENOMEM;
				t++;
			}
		}
		dr->ntexts = t;
	}
	fig = figure(m, dr, 1.0, NULL);
	legend = hd_block_new(m->a, HD_BLK_PARA);
	note = hd_block_new(m->a, HD_BLK_PARA);
	if (!fig || !legend || !note)
		return HD_ENOMEM;
	legend->style = style(m, "body");
	legend->flags = HD_BF_NOJUSTIFY;
	for (i = 0; i < n; i++) {
		char key[64];
		snprintf(key, sizeof(key), "area.%s", areas[i]);
		if ((i && !put(m, legend, HD_REGULAR, MIDDOT)) ||
		    !put_nobreak(m, legend, HD_BOLD, hd_arena_printf(m->a, "%zu" NBSP, count[order[i]])) ||
		    !put_nobreak(m, legend, HD_REGULAR, label(m, key)))
			return HD_ENOMEM;
	}
	note->style = style(m, "small");
	{
		const char *c = hd_arena_printf(m->a, "%zu", m->nhistory);
		const char *kv[] = { "count", c, NULL };
		if (!c || !put(m, note, HD_REGULAR, hd_fill(m->a, label(m, "heat-map-note"), kv)))
			return HD_ENOMEM;
	}
	hd_block_append(&last, note);
	hd_block_append(&last, legend);
	{
		hd_block *row = side_by_side(m, last, fig, p->width < 1 ? p->width : 0.3);
		if (!row)
			return HD_ENOMEM;
		append(f, row);
	}
	return HD_OK;
}

static int typeset(mctx *m)
{
	hd_doc *doc = m->doc;
	hd_quotes q = (hd_quotes)hd_template_quotes(m->t, m->lang);
	size_t i;
	int oom = 0;

	for (i = 0; i < doc->nflows; i++) {
		if (hd_typo_blocks(m->a, q, (hd_block *)doc->flows[i].blocks))
			return HD_ENOMEM;
	}
	for (i = 0; i < doc->noutline; i++)
		doc->outline[i].title = hd_typo_str(m->a, q, doc->outline[i].title, &oom);
	return oom ? HD_ENOMEM : HD_OK;
}

static int run_part(mctx *m, const hd_part *p, hd_flow_src *f);

/* A row: the parts of each cell (they follow the row in the template's
 * list, marked with it) merged into the cell, side by side. An empty row
 * is left out. */
static int part_row(mctx *m, hd_flow_src *f, size_t index)
{
	const hd_part *row = &m->t->parts[index];
	hd_block *table = hd_block_new(m->a, HD_BLK_TABLE), *tr = hd_block_new(m->a, HD_BLK_ROW);
	hd_flow_src *cells = hd_arena_alloc(m->a, (size_t)row->ncells * sizeof(*cells));
	size_t j;
	int k, r = HD_OK, bad = 0, any = 0;

	if (!table || !tr || !cells)
		return HD_ENOMEM;
	for (k = 0; k < row->ncells; k++)
		cells[k].name = "cell";
	for (j = index + 1; j < m->t->nparts && m->t->parts[j].row == (int)index + 1; j++) {
		const hd_part *p = &m->t->parts[j];
		r = run_part(m, p, &cells[p->cell]);
		if (r == HD_EINPUT) {
			bad = 1;
			r = HD_OK;
		}
		if (r)
			return r;
	}
	for (k = 0; k < row->ncells; k++) {
		hd_block *cell = hd_block_new(m->a, HD_BLK_CELL);
		if (!cell)
			return HD_ENOMEM;
		cell->children = (hd_block *)cells[k].blocks;
		any |= cells[k].blocks != NULL;
		hd_block_add_child(tr, cell);
	}
	table->style = style(m, "list");
	table->cols = row->widths;
	table->ncols = (size_t)row->ncells;
	hd_block_add_child(table, tr);
	if (any)
		append(f, table);
	return bad ? HD_EINPUT : HD_OK;
}

static int run_part(mctx *m, const hd_part *p, hd_flow_src *f)
{
	if (!f)
		return HD_ENOMEM;
	if (hd_parts[p->type].session && !m->s) {
		hd_error_at(m->d, m->t->file, p->line, 0, "give a session record for this document",
		            "the part <%s/> shows a session, and there is none", hd_parts[p->type].name);
		return HD_EINPUT;
	}
	switch (p->type) {
	case HD_PT_TITLE: return part_title(m, f);
	case HD_PT_SUMMARY: return part_summary(m, f);
	case HD_PT_TECHNIQUES: return part_techniques(m, f, p);
	case HD_PT_AREAS: return part_areas(m, f, p);
	case HD_PT_NOTES: return part_notes(m, f, p);
	case HD_PT_SELFCARE: return part_selfcare(m, f, p);
	case HD_PT_WARNINGS: return part_warnings(m, f, p);
	case HD_PT_NEXT_VISIT: return part_next_visit(m, f);
	case HD_PT_DISCLAIMER: return part_disclaimer(m, f);
	case HD_PT_COVER: return part_cover(m, f);
	case HD_PT_CONTACT: return part_contact(m, f, p);
	case HD_PT_CONTENTS: return part_contents(m, f, p);
	case HD_PT_ENTRIES: return part_entries(m, f, m->only_lang, p);
	case HD_PT_TEXT: return part_text(m, f, p);
	case HD_PT_LIBRARY: return part_library(m, f, p);
	case HD_PT_BREAK: return add(m, f, HD_BLK_PAGEBREAK, NULL) ? HD_OK : HD_ENOMEM;
	case HD_PT_ROW: return part_row(m, f, (size_t)(p - m->t->parts));
	case HD_PT_BODY_DIAGRAM: return part_body_diagram(m, f, p);
	case HD_PT_QR: return part_qr(m, f, p);
	case HD_PT_REPORT_SUMMARY: return m->nhistory ? part_report_summary(m, f) : HD_OK;
	case HD_PT_VISITS: return m->nhistory ? part_visits(m, f, p) : HD_OK;
	case HD_PT_PAIN_CHART: return m->nhistory ? part_pain_chart(m, f, p) : HD_OK;
	case HD_PT_HEAT_MAP: return m->nhistory ? part_heat_map(m, f, p) : HD_OK;
	case HD_PT_COUNT: break;
	}
	return HD_OK;
}

int hd_merge(hd_doc **out, const hd_template *t, const hd_session_rec *s, const hd_clinic *c,
             const hd_library *lib, const hd_merge_opts *o, hd_diags *d)
{
	hd_merge_opts none = { NULL, HD_PAPER_A4, 0, -1, NULL, 0 };
	hd_doc *doc;
	mctx m;
	size_t i;
	int r = HD_OK, bad = 0, paper, large;

	*out = NULL;
	if (!o)
		o = &none;
	doc = calloc(1, sizeof(*doc));
	if (!doc)
		return HD_ENOMEM;
	memset(&m, 0, sizeof(m));
	m.doc = doc;
	m.t = t;
	m.s = s;
	m.c = c;
	m.lib = lib;
	m.d = d;
	m.a = &doc->arena;
	m.history = o->history;
	m.nhistory = o->history ? o->nhistory : 0;
	if (s && !m.nhistory && t->kind == HD_KIND_REPORT) {
		m.history = &m.s;
		m.nhistory = 1;
	}
	m.lang = s && s->lang ? s->lang : o->lang ? o->lang : lib->nlang ? lib->languages[0] : "en";
	m.only_lang = t->kind == HD_KIND_CATALOGUE ? o->lang : NULL;
	m.large_print = s ? s->large_print : o->large_print;
	if (m.large_print && t->kind == HD_KIND_BROCHURE) {
		/* A panel a third of a page wide holds a few words a line in large
		 * print: the folded brochure cannot be made that way. */
		hd_diag_add(d, HD_NOTE, s ? s->file : t->file, 0, 0,
		            "the aftercare sheet, the guide and the report come in large print",
		            "a tri-fold brochure has no room for large print: it is made in standard print");
		m.large_print = 0;
	}
	doc->kind = t->kind;
	doc->tmpl = t;
	doc->lang = m.lang;
	if (hd_library_check_lang(lib, m.lang, d)) {
		r = HD_EINPUT;
		goto fail;
	}
	if (!hd_template_has_lang(t, m.lang)) {
		hd_error_at(d, t->file, 0, 0,
		            "add a <labels> set for it to the template, or choose another language",
		            "the template has no labels for the language '%s'", m.lang);
		r = HD_EINPUT;
		goto fail;
	}
	for (i = 0; i < t->nparts; i++)
		m.numbered_areas |= t->parts[i].type == HD_PT_BODY_DIAGRAM;
	for (i = 0; i < t->nparts && (r == HD_OK || r == HD_EINPUT); i++) {
		if (t->parts[i].row)
			continue; /* merged by its row */
		r = run_part(&m, &t->parts[i], flow(&m, t->parts[i].flow));
		if (r == HD_EINPUT) {
			bad = 1;
			r = HD_OK;
		}
	}
	/* The invariant does not depend on the template being right. */
	if (!r && !m.warnings_done && t->kind != HD_KIND_CATALOGUE) {
		hd_flow_src *f = flow(&m, "main");
		r = f ? part_warnings(&m, f, NULL) : HD_ENOMEM;
		if (r == HD_EINPUT) {
			bad = 1;
			r = HD_OK;
		}
	}
	if (!r)
		r = add_toc(&m);
	if (!r)
		r = typeset(&m);
	if (!r && bad)
		r = HD_EINPUT;
	if (r)
		goto fail;

	paper = s ? (int)s->paper : o->paper;
	large = m.large_print;
	doc->width = paper == HD_PAPER_LETTER ? 612.0 : 595.28;
	doc->height = paper == HD_PAPER_LETTER ? 792.0 : 841.89;
	doc->large_print = large;
	doc->body_size = large ? t->large_body_size : t->body_size;
	doc->min_body_size = large ? t->min_large_size : t->min_body_size;
	doc->min_text_size = large ? t->large_minimum : 0.0;
	doc->clinic = c->name;
	doc->clinic_line = header_line(&m);
	doc->contact = contact_line(&m);
	doc->doc_title = label(&m, "doc-title");
	doc->page_label = label(&m, "page");
	doc->clinic_file = c->file;
	doc->template_file = t->file;
	doc->session_file = s ? s->file : NULL;
	if (s) {
		hd_date day = s->date;
		if (t->kind == HD_KIND_REPORT)
			day.hour = -1; /* a report is of the last visit's day */
		doc->client = s->client;
		doc->therapist = s->therapist;
		doc->date = hd_format_date(m.a, t, m.lang, &day);
	} else if (o->date_days >= 0) {
		doc->date = NULL; /* the caller's date is not used yet */
	}
	{
		const char *kv[] = { "client", s ? s->client : "", NULL };
		const char *tl = hd_template_label(t, m.lang, "title");
		doc->title = tl ? hd_fill(m.a, tl, kv) : doc->doc_title;
	}
	doc->subject = label(&m, "subject");
	doc->author = c->name;
	{
		/* the fields of the header and footer and the PDF's information
		 * get the typography of the text (typeset) */
		hd_quotes q = (hd_quotes)hd_template_quotes(t, m.lang);
		const char **fields[] = { &doc->clinic, &doc->doc_title, &doc->client, &doc->therapist,
		                          &doc->date, &doc->page_label, &doc->title, &doc->subject,
		                          &doc->author };
		int oom = 0;
		for (i = 0; i < HD_ARRAY_LEN(fields); i++)
			*fields[i] = hd_typo_str(m.a, q, *fields[i], &oom);
		if (oom) {
			r = HD_ENOMEM;
			goto fail;
		}
	}
	if (!doc->clinic_line || !doc->contact || !doc->title || (s && !doc->date)) {
		r = HD_ENOMEM;
		goto fail;
	}
	*out = doc;
	return HD_OK;
fail:
	hd_doc_free(doc);
	return r;
}

void hd_doc_free(hd_doc *doc)
{
	if (!doc)
		return;
	hd_arena_free(&doc->arena);
	free(doc);
}
