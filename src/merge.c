#include "merge.h"

#include <stdlib.h>
#include <string.h>

#define EM_DASH " \xE2\x80\x94 "     /* " — " */
#define MIDDOT "  \xC2\xB7  "        /* "  ·  " */
#define WARNING_SIGN "\xE2\x9A\xA0 " /* "⚠ " */

static const char *label(const hd_merged *m, const hd_template *t, const char *key)
{
	return hd_template_label(t, m->lang, key);
}

/* Replaces every {name} in fmt by its value from the NULL-terminated
 * key/value list. Unknown placeholders are kept as written. */
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

	/* months is "January|February|...": take the month-th name (none for a
	 * month the loader would have refused). */
	if (date->month < 1 || date->month > 12)
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
		ds = hd_fill(a, hd_template_label(t, lang, "date-format"), kv);
	}
	if (!ds || date->hour < 0)
		return ds;
	snprintf(hour, sizeof(hour), "%d", date->hour);
	snprintf(minute, sizeof(minute), "%02d", date->minute);
	{
		const char *kv[] = { "hour", hour, "minute", minute, NULL };
		const char *ts = hd_fill(a, hd_template_label(t, lang, "time-format"), kv);
		const char *kv2[] = { "date", ds, "time", ts, NULL };
		if (!ts)
			return NULL;
		return hd_fill(a, hd_template_label(t, lang, "date-time"), kv2);
	}
}

/* Adds text to a block; returns the span or NULL when out of memory. */
static hd_span *put(hd_arena *a, hd_block *b, unsigned style, const char *text)
{
	if (!text) /* an allocation for text failed */
		return NULL;
	return hd_block_add_text(a, b, style, text, strlen(text));
}

static hd_span *put_nobreak(hd_arena *a, hd_block *b, unsigned style, const char *text)
{
	hd_span *s = put(a, b, style, text);
	if (s)
		s->nobreak = 1;
	return s;
}

static hd_block *heading(hd_arena *a, hd_block **doc, int level, const char *text)
{
	hd_block *h = hd_block_new(a, HD_BLK_HEADING);
	if (!h || !put(a, h, HD_REGULAR, text))
		return NULL;
	h->level = level;
	h->flags = HD_BF_KEEP_NEXT;
	hd_block_append(doc, h);
	return h;
}

/* Copies the blocks of a section with extra flags on paragraphs. */
static hd_block *copy_section(hd_arena *a, const hd_section *sec, unsigned flags)
{
	hd_block *copy, *b;
	if (!sec)
		return NULL;
	copy = hd_block_copy_list(a, sec->blocks);
	for (b = copy; b; b = b->next)
		b->flags |= flags;
	return copy;
}

static int part_title(hd_merged *m, const hd_template *t, const hd_session_rec *s)
{
	hd_arena *a = &m->arena;
	const char *fmt = label(m, t, "title"), *brace = strstr(fmt, "{client}");
	hd_block *h = hd_block_new(a, HD_BLK_HEADING);

	if (!h)
		return HD_ENOMEM;
	h->level = 1;
	h->flags = HD_BF_KEEP_NEXT;
	/* The client's name stays on one line (unless it is longer than one). */
	if (brace) {
		if (brace > fmt && !hd_block_add_text(a, h, HD_REGULAR, fmt, (size_t)(brace - fmt)))
			return HD_ENOMEM;
		if (!put_nobreak(a, h, HD_REGULAR, s->client))
			return HD_ENOMEM;
		if (brace[8] && !put(a, h, HD_REGULAR, brace + 8))
			return HD_ENOMEM;
	} else if (!put(a, h, HD_REGULAR, fmt)) {
		return HD_ENOMEM;
	}
	hd_block_append(&m->doc, h);
	return HD_OK;
}

static int part_summary(hd_merged *m, const hd_template *t, const hd_session_rec *s)
{
	hd_arena *a = &m->arena;
	hd_block *p = hd_block_new(a, HD_BLK_PARA);
	const char *date = hd_format_date(a, t, m->lang, &s->date);

	if (!p || !date)
		return HD_ENOMEM;
	p->flags = HD_BF_NOJUSTIFY;
	if (!put(a, p, HD_BOLD, hd_arena_printf(a, "%s: ", label(m, t, "date"))) ||
	    !put_nobreak(a, p, HD_REGULAR, date) || !put(a, p, HD_REGULAR, MIDDOT) ||
	    !put(a, p, HD_BOLD, hd_arena_printf(a, "%s: ", label(m, t, "therapist"))) ||
	    !put_nobreak(a, p, HD_REGULAR, s->therapist))
		return HD_ENOMEM;
	if (s->pressure) {
		char key[64];
		snprintf(key, sizeof(key), "pressure.%s", s->pressure);
		if (!put(a, p, HD_REGULAR, MIDDOT) ||
		    !put(a, p, HD_BOLD, hd_arena_printf(a, "%s: ", label(m, t, "pressure"))) ||
		    !put_nobreak(a, p, HD_REGULAR, label(m, t, key)))
			return HD_ENOMEM;
	}
	hd_block_append(&m->doc, p);
	return HD_OK;
}

/* "Title — summary" as a list item. */
static hd_block *titled_item(hd_arena *a, hd_block *list, const hd_entry_text *tx)
{
	hd_block *it = hd_block_new(a, HD_BLK_ITEM);
	if (!it || !put(a, it, HD_BOLD, tx->title))
		return NULL;
	if (tx->summary && (!put(a, it, HD_REGULAR, EM_DASH) || !put(a, it, HD_REGULAR, tx->summary)))
		return NULL;
	hd_block_add_child(list, it);
	return it;
}

static int part_techniques(hd_merged *m, const hd_template *t, const hd_session_rec *s,
                           const hd_library *lib, hd_diags *d)
{
	hd_arena *a = &m->arena;
	hd_block *list = hd_block_new(a, HD_BLK_LIST);
	size_t i;
	int bad = 0;

	if (!list)
		return HD_ENOMEM;
	for (i = 0; i < s->ntechniques; i++) {
		const hd_ref *r = &s->techniques[i];
		const hd_entry *e = hd_library_resolve(lib, &hd_ref_technique, r->id, s->file, r->line,
		                                       r->col, d);
		if (!e) {
			bad = 1;
			continue;
		}
		if (!titled_item(a, list, hd_entry_text_for(e, m->lang)))
			return HD_ENOMEM;
	}
	if (bad)
		return HD_EINPUT;
	if (!list->children)
		return HD_OK;
	if (!heading(a, &m->doc, 2, label(m, t, "techniques")))
		return HD_ENOMEM;
	hd_block_append(&m->doc, list);
	return HD_OK;
}

static int part_areas(hd_merged *m, const hd_template *t, const hd_session_rec *s)
{
	hd_arena *a = &m->arena;
	hd_block *p;
	size_t i;

	if (!s->nareas)
		return HD_OK;
	if (!heading(a, &m->doc, 2, label(m, t, "areas")))
		return HD_ENOMEM;
	p = hd_block_new(a, HD_BLK_PARA);
	if (!p)
		return HD_ENOMEM;
	p->flags = HD_BF_NOJUSTIFY;
	for (i = 0; i < s->nareas; i++) {
		char key[64];
		snprintf(key, sizeof(key), "area.%s", s->areas[i]);
		if ((i && !put(a, p, HD_REGULAR, MIDDOT)) || !put_nobreak(a, p, HD_REGULAR, label(m, t, key)))
			return HD_ENOMEM;
	}
	hd_block_append(&m->doc, p);
	return HD_OK;
}

static int part_notes(hd_merged *m, const hd_template *t, const hd_session_rec *s)
{
	hd_block *copy;
	if (!s->notes)
		return HD_OK;
	if (!heading(&m->arena, &m->doc, 2, label(m, t, "notes")))
		return HD_ENOMEM;
	copy = hd_block_copy_list(&m->arena, s->notes);
	if (!copy)
		return HD_ENOMEM;
	hd_block_append(&m->doc, copy);
	return HD_OK;
}

/* An exercise's steps as one compact paragraph under its item: "1. Lie on
 * your back...  2. Bring one knee up..." A numbered list would take a line or
 * more per step, and the aftercare sheet has one page. */
static int add_steps(hd_arena *a, hd_block *item, const hd_section *steps)
{
	const hd_block *b, *li;
	const hd_span *sp;
	hd_block *p;
	int n = 0;

	if (!steps)
		return HD_OK;
	p = hd_block_new(a, HD_BLK_PARA);
	if (!p)
		return HD_ENOMEM;
	p->flags = HD_BF_NOJUSTIFY;
	for (b = steps->blocks; b; b = b->next) {
		const hd_block *one = b->kind == HD_BLK_LIST ? b->children : b;
		for (li = one; li; li = b->kind == HD_BLK_LIST ? li->next : NULL) {
			if (p->spans && !put(a, p, HD_REGULAR, "  "))
				return HD_ENOMEM;
			if (b->kind == HD_BLK_LIST &&
			    !put_nobreak(a, p, HD_BOLD, hd_arena_printf(a, "%d.", ++n)))
				return HD_ENOMEM;
			/* A no-break space keeps each number with its first word. */
			if (b->kind == HD_BLK_LIST && !put(a, p, HD_REGULAR, "\xC2\xA0"))
				return HD_ENOMEM;
			for (sp = li->spans; sp; sp = sp->next) {
				if (!hd_block_add_text(a, p, sp->style, sp->text, sp->len))
					return HD_ENOMEM;
			}
		}
	}
	hd_block_append(&item->children, p);
	return HD_OK;
}

static int part_selfcare(hd_merged *m, const hd_template *t, const hd_session_rec *s,
                         const hd_library *lib, hd_diags *d)
{
	hd_arena *a = &m->arena;
	hd_block *list = hd_block_new(a, HD_BLK_LIST);
	size_t i;
	int bad = 0;

	if (!list)
		return HD_ENOMEM;
	for (i = 0; i < s->ntips; i++) {
		const hd_ref *r = &s->tips[i];
		const hd_entry *e = hd_library_resolve(lib, &hd_ref_tip, r->id, s->file, r->line, r->col, d);
		const hd_entry_text *tx;
		const char *dose;
		hd_block *it;
		if (!e) {
			bad = 1;
			continue;
		}
		tx = hd_entry_text_for(e, m->lang);
		it = titled_item(a, list, tx);
		if (!it)
			return HD_ENOMEM;
		dose = r->dose ? r->dose : tx->dose;
		if (dose && (!put(a, it, HD_REGULAR, " ") ||
		             !put(a, it, HD_ITALIC,
		                  hd_arena_printf(a, "%s: %s", label(m, t, "your-dose"), dose))))
			return HD_ENOMEM;
		if (!strcmp(e->kind, "exercise")) {
			/* An exercise is only useful with its steps and its safety note. */
			int rs = add_steps(a, it, hd_entry_section(tx, "steps"));
			const hd_section *safety = hd_entry_section(tx, "safety");
			if (rs)
				return rs;
			if (safety) {
				hd_block *c = copy_section(a, safety, HD_BF_SMALL), *b;
				if (!c)
					return HD_ENOMEM;
				for (b = c; b; b = b->next) {
					hd_span *sp;
					for (sp = b->spans; sp; sp = sp->next)
						sp->style |= HD_ITALIC;
				}
				hd_block_append(&it->children, c);
			}
		}
	}
	if (bad)
		return HD_EINPUT;
	if (!list->children)
		return HD_OK;
	if (!heading(a, &m->doc, 2, label(m, t, "selfcare")))
		return HD_ENOMEM;
	hd_block_append(&m->doc, list);
	return HD_OK;
}

/* Warning signs: every warning-sign entry of the library (mandatory ones can
 * never be left out), urgent ones first, in library order. */
static int cmp_warning(const void *pa, const void *pb)
{
	const hd_entry *a = *(const hd_entry *const *)pa, *b = *(const hd_entry *const *)pb;
	int ua = a->urgency && !strcmp(a->urgency, "urgent");
	int ub = b->urgency && !strcmp(b->urgency, "urgent");
	int fa, fb;
	if (ua != ub)
		return ub - ua;
	fa = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	if (fa)
		return fa;
	fb = a->order - b->order;
	return fb ? fb : strcmp(a->id, b->id);
}

static int part_warnings(hd_merged *m, const hd_template *t, const hd_library *lib, hd_diags *d)
{
	hd_arena *a = &m->arena;
	hd_block *box, *list;
	const hd_entry **signs;
	size_t i, n = 0;

	signs = hd_arena_alloc(a, (lib->count + 1) * sizeof(*signs));
	if (!signs)
		return HD_ENOMEM;
	for (i = 0; i < lib->count; i++) {
		if (!strcmp(lib->entries[i]->kind, "warning-sign"))
			signs[n++] = lib->entries[i];
	}
	if (n == 0) {
		hd_error_at(d, NULL, 0, 0, "add the warning-sign entries to the content library",
		            "the library has no warning signs; an aftercare sheet cannot be made "
		            "without them");
		return HD_EINPUT;
	}
	qsort(signs, n, sizeof(*signs), cmp_warning);
	box = hd_block_new(a, HD_BLK_CALLOUT);
	list = hd_block_new(a, HD_BLK_LIST);
	if (!box || !list || !put(a, box, HD_REGULAR, WARNING_SIGN) ||
	    !put(a, box, HD_REGULAR, label(m, t, "warnings")))
		return HD_ENOMEM;
	box->flags = HD_BF_URGENT;
	for (i = 0; i < n; i++) {
		const hd_entry_text *tx = hd_entry_text_for(signs[i], m->lang);
		hd_block *it = titled_item(a, list, tx);
		const char *urg = signs[i]->urgency && !strcmp(signs[i]->urgency, "urgent") ? "urgent"
		                                                                            : "soon";
		if (!it || !put(a, it, HD_REGULAR, " ") ||
		    !put_nobreak(a, it, HD_BOLD, hd_arena_printf(a, "(%s)", label(m, t, urg))))
			return HD_ENOMEM;
	}
	hd_block_add_child(box, list);
	hd_block_append(&m->doc, box);
	return HD_OK;
}

static int part_next_visit(hd_merged *m, const hd_template *t, const hd_session_rec *s)
{
	hd_arena *a = &m->arena;
	hd_block *p = hd_block_new(a, HD_BLK_PARA);

	/* One labelled line: "Your next visit: December 4, 2026 at 10:30". */
	if (!p || !put(a, p, HD_BOLD, hd_arena_printf(a, "%s: ", label(m, t, "next-visit"))))
		return HD_ENOMEM;
	p->flags = HD_BF_NOJUSTIFY;
	if (s->next_visit.year) {
		const char *when = hd_format_date(a, t, m->lang, &s->next_visit);
		if (!when || !put_nobreak(a, p, HD_REGULAR, when))
			return HD_ENOMEM;
	} else if (!put(a, p, HD_REGULAR, label(m, t, "next-visit-none"))) {
		return HD_ENOMEM;
	}
	hd_block_append(&m->doc, p);
	return HD_OK;
}

static int part_disclaimer(hd_merged *m, const hd_template *t, const hd_library *lib,
                           hd_diags *d)
{
	hd_arena *a = &m->arena;
	const hd_entry *e = hd_library_find(lib, "disclaimer");
	const hd_entry_text *tx;
	const hd_section *body;
	hd_block *c, *b;

	if (!e) {
		hd_error_at(d, NULL, 0, 0, "add an entry with id=\"disclaimer\" to the library",
		            "the template asks for a disclaimer, but the library has none");
		return HD_EINPUT;
	}
	tx = hd_entry_text_for(e, m->lang);
	body = hd_entry_section(tx, "body");
	c = copy_section(a, body, HD_BF_SMALL);
	if (!c)
		return body ? HD_ENOMEM : HD_OK;
	/* "Important: " leads the first paragraph. */
	b = c;
	if (b->kind == HD_BLK_PARA) {
		hd_span *lead = hd_arena_alloc(a, sizeof(*lead));
		const char *txt = hd_arena_printf(a, "%s: ", label(m, t, "disclaimer"));
		if (!lead || !txt)
			return HD_ENOMEM;
		lead->text = txt;
		lead->len = strlen(txt);
		lead->style = HD_BOLD;
		lead->next = b->spans;
		b->spans = lead;
	}
	hd_block_append(&m->doc, c);
	return HD_OK;
}

const char *hd_header_line(hd_arena *a, const hd_clinic *c)
{
	hd_buf b = HD_BUF_INIT;
	const char *res;
	size_t i;
	for (i = 0; i < c->naddress; i++) {
		if (i)
			hd_buf_puts(&b, ", ");
		hd_buf_puts(&b, c->address[i]);
	}
	if (c->phone) {
		if (b.len)
			hd_buf_puts(&b, MIDDOT);
		hd_buf_puts(&b, c->phone);
	}
	res = b.oom ? NULL : hd_arena_strdup(a, b.data ? b.data : "");
	hd_buf_free(&b);
	return res;
}

int hd_merge_aftercare(hd_merged **out, const hd_session_rec *s, const hd_template *t,
                       const hd_clinic *c, const hd_library *lib, hd_diags *d)
{
	hd_merged *m;
	size_t i;
	int r = HD_OK, bad = 0;
	int has_warnings = 0;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return HD_ENOMEM;
	m->lang = s->lang ? s->lang : "en";
	for (i = 0; i < t->nparts && (r == HD_OK || r == HD_EINPUT); i++) {
		switch (t->parts[i]) {
		case HD_PART_TITLE: r = part_title(m, t, s); break;
		case HD_PART_SUMMARY: r = part_summary(m, t, s); break;
		case HD_PART_TECHNIQUES: r = part_techniques(m, t, s, lib, d); break;
		case HD_PART_AREAS: r = part_areas(m, t, s); break;
		case HD_PART_NOTES: r = part_notes(m, t, s); break;
		case HD_PART_SELFCARE: r = part_selfcare(m, t, s, lib, d); break;
		case HD_PART_WARNINGS: r = part_warnings(m, t, lib, d); has_warnings = 1; break;
		case HD_PART_NEXT_VISIT: r = part_next_visit(m, t, s); break;
		case HD_PART_DISCLAIMER: r = part_disclaimer(m, t, lib, d); break;
		case HD_PART_CONTENTS: /* catalogue parts: the loader refuses them here */
		case HD_PART_ENTRIES:
		case HD_PART_COUNT: break;
		}
		if (r == HD_EINPUT) {
			bad = 1;
			r = HD_OK;
		}
	}
	/* The invariant does not depend on the template being right. */
	if (!r && !has_warnings) {
		r = part_warnings(m, t, lib, d);
		if (r == HD_EINPUT) {
			bad = 1;
			r = HD_OK;
		}
	}
	if (!r && bad)
		r = HD_EINPUT;
	if (r)
		goto fail;

	{
		const char *kv[] = { "client", s->client, NULL };
		m->title = hd_fill(&m->arena, label(m, t, "title"), kv);
	}
	m->subject = label(m, t, "subject");
	m->author = c->name;
	m->doc_kind = label(m, t, "doc-title");
	m->page_label = label(m, t, "page");
	m->header_line = hd_header_line(&m->arena, c);
	{
		/* "Phone +44 ...  ·  hello@...  ·  https://..." */
		hd_buf b = HD_BUF_INIT;
		if (c->phone) {
			hd_buf_puts(&b, label(m, t, "phone"));
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
		m->footer_left = b.len ? hd_arena_strdup(&m->arena, b.data) : NULL;
		r = b.oom || (b.len && !m->footer_left) ? HD_ENOMEM : HD_OK;
		hd_buf_free(&b);
		if (r)
			goto fail;
	}
	if (s->paper == HD_PAPER_LETTER) {
		m->width = 612.0;
		m->height = 792.0;
	} else {
		m->width = 595.28;
		m->height = 841.89;
	}
	m->body_size = s->large_print ? t->large_body_size : t->body_size;
	m->min_body_size = s->large_print ? t->min_large_size : t->min_body_size;
	m->max_pages = t->max_pages;
	m->justify = t->justify;
	if (!m->title || !m->header_line) {
		r = HD_ENOMEM;
		goto fail;
	}
	*out = m;
	return HD_OK;
fail:
	hd_merged_free(m);
	return r;
}

void hd_merged_free(hd_merged *m)
{
	if (!m)
		return;
	hd_arena_free(&m->arena);
	free(m);
}
