/*
 * catalogue: the proofreading booklet of the whole content library, so that
 * a clinic can read everything it might print. Every word of every entry is
 * in it: title, summary, default dose, every section. Grouped by language,
 * then by kind; a table of contents gives the page of each language and kind
 * (two layout passes: the engine lays out with placeholder numbers, reads
 * where the anchors landed, fills the numbers in and lays out again).
 */
#include <stdlib.h>
#include <string.h>

#include "merge.h"

/* The order of the kinds in the booklet: the body first, then what goes
 * wrong, how massage helps, the session, care at home, and safety. */
static const char *const kind_order[] = {
	"anatomy", "cause", "benefit", "technique", "before", "selfcare", "exercise",
	"precaution", "warning-sign", "disclaimer",
};

#define PAGE_PLACEHOLDER "000"

static hd_span *put(hd_arena *a, hd_block *b, unsigned style, const char *text)
{
	if (!text)
		return NULL;
	return hd_block_add_text(a, b, style, text, strlen(text));
}

static hd_block *add_block(hd_arena *a, hd_block **doc, enum hd_block_kind kind, int level)
{
	hd_block *b = hd_block_new(a, kind);
	if (b) {
		b->level = level;
		hd_block_append(doc, b);
	}
	return b;
}

/* Entries of one kind in authoring order (file, then position). */
static int cmp_authoring(const void *pa, const void *pb)
{
	const hd_entry *a = *(const hd_entry *const *)pa, *b = *(const hd_entry *const *)pb;
	int f = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	return f ? f : a->order - b->order;
}

/* Label for lang, or for a key the template lacks (language.xx), the
 * fallback text. */
static const char *label_or(const hd_template *t, const char *lang, const char *key,
                            const char *fallback)
{
	const char *v = hd_template_label(t, lang, key);
	return strcmp(v, key) ? v : fallback;
}

/* One entry: title (anchored, for a bookmark), summary, meta line, urgency,
 * dose, sections. */
static int add_entry(hd_merged *m, const hd_template *t, const hd_entry *e, const char *lang,
                     int *anchor)
{
	hd_arena *a = &m->arena;
	const hd_entry_text *tx = hd_entry_text_for(e, lang);
	const hd_section *sec;
	hd_block *b;
	hd_date date;
	const char *ds;

	if (!tx)
		return HD_OK;
	b = add_block(a, &m->doc, HD_BLK_HEADING, 3);
	if (!b || !put(a, b, HD_REGULAR, tx->title))
		return HD_ENOMEM;
	b->flags |= HD_BF_KEEP_NEXT;
	b->anchor = ++*anchor;
	if (tx->summary) {
		b = add_block(a, &m->doc, HD_BLK_PARA, 0);
		if (!b || !put(a, b, HD_ITALIC, tx->summary))
			return HD_ENOMEM;
		b->flags |= HD_BF_NOJUSTIFY;
	}
	memset(&date, 0, sizeof(date));
	date.hour = -1;
	if (e->reviewed && sscanf(e->reviewed, "%d-%d-%d", &date.year, &date.month, &date.day) == 3)
		ds = hd_format_date(a, t, lang, &date);
	else
		ds = e->reviewed ? e->reviewed : "";
	{
		const char *kv[] = { "id", e->id, "date", ds, NULL };
		b = add_block(a, &m->doc, HD_BLK_PARA, 0);
		if (!b || !put(a, b, HD_REGULAR, hd_fill(a, hd_template_label(t, lang, "meta"), kv)))
			return HD_ENOMEM;
		b->flags |= HD_BF_SMALL | HD_BF_NOJUSTIFY;
	}
	if (e->urgency) {
		b = add_block(a, &m->doc, HD_BLK_PARA, 0);
		if (!b || !put(a, b, HD_BOLD,
		               hd_template_label(t, lang, strcmp(e->urgency, "urgent") ? "soon"
		                                                                      : "urgent")))
			return HD_ENOMEM;
	}
	if (tx->dose) {
		b = add_block(a, &m->doc, HD_BLK_PARA, 0);
		if (!b || !put(a, b, HD_BOLD, hd_arena_printf(a, "%s: ", hd_template_label(t, lang, "dose"))) ||
		    !put(a, b, HD_REGULAR, tx->dose))
			return HD_ENOMEM;
		b->flags |= HD_BF_NOJUSTIFY;
	}
	for (sec = tx->sections; sec; sec = sec->next) {
		char key[64];
		const char *heading;
		hd_block *copy;
		snprintf(key, sizeof(key), "role.%s", sec->role);
		heading = label_or(t, lang, key, NULL);
		if (heading) {
			b = add_block(a, &m->doc, HD_BLK_HEADING, 4);
			if (!b || !put(a, b, HD_REGULAR, heading))
				return HD_ENOMEM;
			b->flags |= HD_BF_KEEP_NEXT;
		}
		copy = hd_block_copy_list(a, sec->blocks);
		if (!copy && sec->blocks)
			return HD_ENOMEM;
		hd_block_append(&m->doc, copy);
	}
	return HD_OK;
}

/* A heading whose page the contents show: it gets the next anchor and, when
 * the template has a contents part, a contents line after *toc_tail.
 * Returns HD_OK or HD_ENOMEM. */
static int anchored_heading(hd_merged *m, int level, const char *text, int *anchor,
                            hd_block **toc_tail)
{
	hd_arena *a = &m->arena;
	hd_block *b = add_block(a, &m->doc, HD_BLK_HEADING, level), *line;

	if (!b || !put(a, b, HD_REGULAR, text))
		return HD_ENOMEM;
	b->flags |= HD_BF_KEEP_NEXT;
	b->anchor = ++*anchor;
	if (!*toc_tail)
		return HD_OK;
	line = hd_block_new(a, HD_BLK_TOC);
	if (!line || !put(a, line, HD_REGULAR, text))
		return HD_ENOMEM;
	line->level = level;
	line->target = b->anchor;
	line->right = PAGE_PLACEHOLDER;
	line->next = (*toc_tail)->next;
	(*toc_tail)->next = line;
	*toc_tail = line;
	return HD_OK;
}

int hd_merge_catalogue(hd_merged **out, const hd_template *t, const hd_clinic *c,
                       const hd_library *lib, const char *lang, hd_diags *d)
{
	hd_merged *m;
	hd_arena *a;
	const hd_entry **sorted = NULL;
	hd_block *b, *toc_head = NULL;
	const char *first_lang;
	size_t li, ki, i, n;
	int anchor = 0, r = HD_ENOMEM;

	*out = NULL;
	if (hd_library_check_lang(lib, lang, d))
		return HD_EINPUT;
	m = calloc(1, sizeof(*m));
	if (!m)
		return HD_ENOMEM;
	a = &m->arena;
	first_lang = lang ? lang : (lib->nlang ? lib->languages[0] : "en");
	m->lang = first_lang;
	sorted = malloc((lib->count + 1) * sizeof(*sorted));
	if (!sorted)
		goto fail;
	for (i = 0; i < lib->count; i++)
		sorted[i] = lib->entries[i];
	qsort(sorted, lib->count, sizeof(*sorted), cmp_authoring);

	b = add_block(a, &m->doc, HD_BLK_HEADING, 1);
	if (!b || !put(a, b, HD_REGULAR, hd_template_label(t, first_lang, "title")))
		goto fail;
	b->flags |= HD_BF_KEEP_NEXT;
	b = add_block(a, &m->doc, HD_BLK_PARA, 0);
	if (!b || !put(a, b, HD_REGULAR, hd_template_label(t, first_lang, "intro")))
		goto fail;

	for (i = 0; i < t->nparts; i++) {
		if (t->parts[i] == HD_PART_CONTENTS) {
			b = add_block(a, &m->doc, HD_BLK_HEADING, 2);
			if (!b || !put(a, b, HD_REGULAR, hd_template_label(t, first_lang, "contents")))
				goto fail;
			b->flags |= HD_BF_KEEP_NEXT;
			toc_head = b; /* contents lines follow; anchors are numbered below */
		}
	}
	/* Anchors: per language (its heading) and per kind within it. The
	 * contents lines are added right after the contents heading, in the
	 * same order, so anchor k is the k-th line. */
	for (li = 0; li < lib->nlang; li++) {
		const char *L = lib->languages[li];
		char key[64];
		if (lang && strcmp(L, lang))
			continue;
		snprintf(key, sizeof(key), "language.%s", L);
		for (i = 0; i < t->nparts; i++) {
			if (t->parts[i] != HD_PART_ENTRIES)
				continue;
			/* Each language starts on a page of its own. */
			b = add_block(a, &m->doc, HD_BLK_PAGEBREAK, 0);
			if (!b)
				goto fail;
			if (anchored_heading(m, 1, label_or(t, L, key, L), &anchor, &toc_head))
				goto fail;
			for (ki = 0; ki < HD_ARRAY_LEN(kind_order); ki++) {
				char kkey[64];
				for (n = 0; n < lib->count && strcmp(sorted[n]->kind, kind_order[ki]); n++)
					;
				if (n == lib->count)
					continue; /* no entry of this kind */
				snprintf(kkey, sizeof(kkey), "kind.%s", kind_order[ki]);
				if (anchored_heading(m, 2, hd_template_label(t, L, kkey), &anchor,
				                     &toc_head))
					goto fail;
				for (n = 0; n < lib->count; n++) {
					if (strcmp(sorted[n]->kind, kind_order[ki]))
						continue;
					r = add_entry(m, t, sorted[n], L, &anchor);
					if (r)
						goto fail;
					r = HD_ENOMEM;
				}
			}
		}
	}
	m->title = hd_template_label(t, first_lang, "title");
	m->subject = hd_template_label(t, first_lang, "subject");
	m->author = c->name;
	m->doc_kind = hd_template_label(t, first_lang, "doc-title");
	m->page_label = hd_template_label(t, first_lang, "page");
	m->header_line = hd_header_line(a, c);
	m->footer_left = c->website ? c->website : c->email;
	m->width = 595.28;
	m->height = 841.89;
	m->body_size = t->body_size;
	m->min_body_size = t->body_size;
	m->max_pages = 0; /* a booklet: as many pages as it takes */
	m->justify = t->justify;
	if (!m->header_line)
		goto fail;
	free(sorted);
	*out = m;
	return HD_OK;
fail:
	free(sorted);
	hd_merged_free(m);
	hd_error_at(d, NULL, 0, 0, NULL, "out of memory while building the catalogue");
	return r;
}

int hd_catalogue_set_pages(hd_merged *m, const int *pages, size_t npages)
{
	hd_block *b;
	int changed = 0;

	for (b = m->doc; b; b = b->next) {
		char num[16];
		if (b->kind != HD_BLK_TOC)
			continue;
		snprintf(num, sizeof(num), "%d",
		         b->target > 0 && (size_t)b->target < npages ? pages[b->target] : 0);
		if (!b->right || strcmp(b->right, num)) {
			b->right = hd_arena_strdup(&m->arena, num);
			changed = 1;
		}
	}
	return changed;
}
