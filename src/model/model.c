/*
 * model: look-ups on the loaded structs and their release. No libxml2 here.
 */
#include "model.h"
#include "image.h"
#include "template.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ----- library ---------------------------------------------------------------- */

/* Binary search over entries sorted by id. Returns the entry or NULL. */
const hd_entry *hd_library_find(const hd_library *lib, const char *id)
{
	size_t lo = 0, hi;

	if (!lib || !id)
		return NULL;
	hi = lib->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(id, lib->entries[mid]->id);
		if (cmp == 0)
			return lib->entries[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The loader stores an entry's texts in the library's language order, so
 * the head of the list is the default language. Returns NULL only when the
 * entry has no text. */
const hd_entry_text *hd_entry_text_for(const hd_entry *e, const char *lang)
{
	const hd_entry_text *t;

	if (!e)
		return NULL;
	for (t = e->texts; lang && t; t = t->next) {
		if (strcmp(t->lang, lang) == 0)
			return t;
	}
	return e->texts;
}

/* Returns the section with role, or NULL. */
const hd_section *hd_entry_section(const hd_entry_text *t, const char *role)
{
	const hd_section *s;

	for (s = t ? t->sections : NULL; s; s = s->next) {
		if (strcmp(s->role, role) == 0)
			return s;
	}
	return NULL;
}

/* The closest id by edit distance, at most 3 and less than the length of
 * id (so that "ab" does not suggest every two-letter id), among entries of
 * kind when kind is not NULL. Ties go to the first id in sorted order.
 * Returns a borrowed id or NULL. */
const hd_drawing *hd_library_drawing(const hd_library *lib, const char *id)
{
	return lib ? hd_drawing_find((const hd_drawing *const *)lib->drawings, lib->ndrawings, id)
	           : NULL;
}

const char *hd_library_suggest(const hd_library *lib, const char *id, const char *kind)
{
	size_t i, best = 4, len;
	const char *found = NULL;

	if (!lib || !id)
		return NULL;
	len = strlen(id);
	for (i = 0; i < lib->count; i++) {
		const hd_entry *e = lib->entries[i];
		size_t dist;
		if (kind && strcmp(e->kind, kind) != 0)
			continue;
		dist = hd_edit_distance(id, e->id);
		if (dist < best && dist < len) {
			best = dist;
			found = e->id;
		}
	}
	return found;
}

/* "a, b and c" (or "a or b or c" with or) of n strings into buf. */
static void join_words(char *buf, size_t size, const char *const *w, size_t n, const char *conj)
{
	size_t i, o = 0;
	buf[0] = '\0';
	for (i = 0; i < n && o < size; i++) {
		int k = snprintf(buf + o, size - o, "%s%s", i == 0 ? "" : i + 1 == n ? conj : ", ",
		                 w[i]);
		if (k < 0)
			break;
		o += (size_t)k;
	}
}

int hd_library_check_lang(const hd_library *lib, const char *lang, hd_diags *d)
{
	char hint[256], list[200];
	size_t i;

	if (!lang)
		return HD_OK;
	for (i = 0; i < lib->nlang; i++) {
		if (!strcmp(lib->languages[i], lang))
			return HD_OK;
	}
	join_words(list, sizeof(list), lib->languages, lib->nlang, " and ");
	snprintf(hint, sizeof(hint), "the library is written in %s", list);
	hd_error_at(d, NULL, 0, 0, hint, "the library has no language '%s'", lang);
	return HD_EINPUT;
}

int hd_library_check_kind(const char *kind, hd_diags *d)
{
	char hint[320], list[256];
	size_t i, best = 4;
	const char *sug = NULL;

	if (!kind)
		return HD_OK;
	for (i = 0; i < hd_entry_kind_count; i++) {
		size_t dist;
		if (!strcmp(hd_entry_kinds[i], kind))
			return HD_OK;
		dist = hd_edit_distance(kind, hd_entry_kinds[i]);
		if (dist < best && dist < strlen(kind)) {
			best = dist;
			sug = hd_entry_kinds[i];
		}
	}
	join_words(list, sizeof(list), hd_entry_kinds, hd_entry_kind_count, " or ");
	snprintf(hint, sizeof(hint), "the kinds are %s", list);
	if (sug)
		hd_error_at(d, NULL, 0, 0, hint, "there is no kind of entry '%s'; did you mean '%s'?",
		            kind, sug);
	else
		hd_error_at(d, NULL, 0, 0, hint, "there is no kind of entry '%s'", kind);
	return HD_EINPUT;
}

const hd_ref_kind hd_ref_technique = { "technique", "technique", NULL };
const hd_ref_kind hd_ref_tip = { "self-care tip", "selfcare", "exercise" };

/* Looks id up and checks its kind; see model.h. */
const hd_entry *hd_library_resolve(const hd_library *lib, const hd_ref_kind *rk, const char *id,
                                   const char *file, int line, int col, hd_diags *d)
{
	const hd_entry *e = hd_library_find(lib, id);
	size_t before = d ? d->count : 0;

	if (!e) {
		const char *sug = hd_library_suggest(lib, id, rk->kind1);
		if (!sug && rk->kind2)
			sug = hd_library_suggest(lib, id, rk->kind2);
		if (sug)
			hd_error_at(d, file, line, col, "run 'handout list' to see every id in the library",
			            "%s '%s' is not in the library; did you mean '%s'?", rk->what, id, sug);
		else
			hd_error_at(d, file, line, col, "run 'handout list' to see every id in the library",
			            "%s '%s' is not in the library", rk->what, id);
		hd_diags_detail(d, before, HD_SAY(sug ? "did-you-mean" : "not-found", { id, sug }));
		return NULL;
	}
	if (strcmp(e->kind, rk->kind1) && (!rk->kind2 || strcmp(e->kind, rk->kind2))) {
		hd_error_at(d, file, line, col, NULL, "'%s' is a %s entry, not a %s%s%s", id, e->kind,
		            rk->kind1, rk->kind2 ? " or " : "", rk->kind2 ? rk->kind2 : "");
		hd_diags_detail(d, before, HD_SAY("wrong-kind", { id, e->kind }));
		return NULL;
	}
	return e;
}

/* Frees the library and everything in its arena. Accepts NULL. */
void hd_library_free(hd_library *lib)
{
	if (!lib)
		return;
	hd_arena_free(&lib->arena);
	free(lib);
}

/* ----- template ------------------------------------------------------------------ */

const char *hd_template_label(const hd_template *t, const char *lang, const char *key)
{
	const hd_labels *ls;
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		const char *want = pass == 0 ? lang : "en";
		if (!want)
			continue;
		for (ls = t->labels; ls; ls = ls->next) {
			if (strcmp(ls->lang, want))
				continue;
			for (i = 0; i < ls->count; i++) {
				if (!strcmp(ls->items[i].key, key))
					return ls->items[i].value;
			}
		}
	}
	return NULL;
}

int hd_template_style(const hd_template *t, const char *name)
{
	size_t i;
	for (i = 0; i < t->nstyles; i++) {
		if (!strcmp(t->styles[i].name, name))
			return (int)i;
	}
	return -1;
}

int hd_template_quotes(const hd_template *t, const char *lang)
{
	const hd_labels *ls;
	for (ls = t->labels; lang && ls; ls = ls->next) {
		if (!strcmp(ls->lang, lang))
			return ls->quotes;
	}
	return 0;
}

int hd_template_has_lang(const hd_template *t, const char *lang)
{
	const hd_labels *ls;
	for (ls = t->labels; lang && ls; ls = ls->next) {
		if (!strcmp(ls->lang, lang))
			return 1;
	}
	return 0;
}

/* Frees the template and everything in its arena. Accepts NULL. */
void hd_template_free(hd_template *t)
{
	if (!t)
		return;
	hd_arena_free(&t->arena);
	free(t);
}

/* ----- clinic and session ---------------------------------------------------------- */

/* Frees a clinic profile. Accepts NULL. */
void hd_clinic_free(hd_clinic *c)
{
	if (!c)
		return;
	hd_arena_free(&c->arena);
	free(c);
}

void hd_font_config_free(hd_font_config *c)
{
	if (!c)
		return;
	hd_arena_free(&c->arena);
	free(c);
}

const hd_font_family *hd_font_config_family(const hd_font_config *c, const char *name)
{
	size_t i;
	for (i = 0; c && name && i < c->nfamilies; i++)
		if (!strcasecmp(c->families[i].name, name))
			return &c->families[i];
	return NULL;
}

/* Frees a session record. Accepts NULL. */
void hd_session_rec_free(hd_session_rec *s)
{
	if (!s)
		return;
	hd_arena_free(&s->arena);
	free(s);
}

/* Frees a programmes file. Accepts NULL. */
void hd_presets_rec_free(hd_presets_rec *p)
{
	if (!p)
		return;
	hd_arena_free(&p->arena);
	free(p);
}

void hd_image_free(hd_image *img)
{
	if (!img)
		return;
	free(img->pixels);
	free(img->idat);
	memset(img, 0, sizeof(*img));
}
