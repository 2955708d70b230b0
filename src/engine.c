/*
 * engine: what is loaded once and reused for every document of a batch
 * (fonts, compiled schemas, the library, templates and clinics with their
 * prepared logos), and the pipeline for one document:
 * load session -> merge -> layout -> render.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fonts.h"
#include "handout.h"
#include "image.h"
#include "layout.h"
#include "load.h"
#include "merge.h"
#include "render.h"
#include "util.h"

#ifndef HD_DEFAULT_DATA_DIR
#define HD_DEFAULT_DATA_DIR "/usr/share/handout"
#endif

/* A template or clinic loaded once, keyed by the path it was loaded from. */
typedef struct cached {
	struct cached *next;
	char *path;
	hd_template *tmpl;
	hd_clinic *clinic;
	hd_logo logo;
	double logo_aspect;
} cached;

struct hd_engine {
	char *data_dir;
	hd_fonts *fonts;
	hd_loader *loader;
	hd_library *library;
	pthread_mutex_t lock; /* guards the cache */
	cached *cache;
};

static int fonts_width(const void *ctx, unsigned style, uint32_t cp)
{
	return hd_fonts_width(ctx, style, cp);
}

static void free_entry(cached *c)
{
	if (!c)
		return;
	hd_template_free(c->tmpl);
	hd_clinic_free(c->clinic);
	hd_logo_free(&c->logo);
	free(c->path);
	free(c);
}

/* Loads a template (kind 0) or a clinic and its logo (kind 1) from path into
 * a new entry, *out the caller's (free_entry). Returns HD_OK or the loader's
 * status, with every problem in d. */
static int load_entry(cached **out, hd_engine *e, const char *path, int kind, hd_diags *d)
{
	cached *c = calloc(1, sizeof(*c));
	int r;

	*out = NULL;
	if (!c || !(c->path = strdup(path))) {
		free(c);
		return HD_ENOMEM;
	}
	if (kind == 0) {
		r = hd_load_template(&c->tmpl, e->loader, path, d);
	} else {
		r = hd_load_clinic(&c->clinic, e->loader, path, d);
		if (!r && c->clinic->logo_path) {
			hd_image img;
			r = hd_png_load(&img, c->clinic->logo_path, d);
			if (!r) {
				r = hd_logo_prepare(&c->logo, &img, d);
				c->logo_aspect = (double)img.width / img.height;
			}
			hd_image_free(&img);
		}
	}
	if (r) {
		free_entry(c);
		return r;
	}
	*out = c;
	return HD_OK;
}

/* Finds or loads a template (kind 0) or clinic (kind 1). The cache entry stays
 * valid for the engine's life. */
static int get_cached(cached **out, hd_engine *e, const char *path, int kind, hd_diags *d)
{
	cached *c;
	int r = HD_OK;

	*out = NULL;
	pthread_mutex_lock(&e->lock);
	for (c = e->cache; c; c = c->next) {
		if (!strcmp(c->path, path) && (kind ? c->clinic != NULL : c->tmpl != NULL)) {
			*out = c;
			goto done;
		}
	}
	r = load_entry(&c, e, path, kind, d);
	if (r)
		goto done;
	c->next = e->cache;
	e->cache = c;
	*out = c;
done:
	pthread_mutex_unlock(&e->lock);
	return r;
}

/* A command makes one kind of document and needs a template of that kind:
 * an aftercare template given to the catalogue (or the other way round)
 * would drop the client or print label keys. Returns HD_OK or HD_EINPUT with
 * an error naming the template file. */
static int check_kind(const hd_template *t, const char *kind, hd_diags *d)
{
	char hint[160];

	if (!strcmp(t->kind, kind))
		return HD_OK;
	snprintf(hint, sizeof(hint),
	         "use a template with kind=\"%s\", such as templates/%s.xml in the data folder", kind,
	         kind);
	hd_error_at(d, t->file, 0, 0, hint, "this is a%s %s template, not a%s %s template",
	            strchr("aeiou", t->kind[0]) ? "n" : "", t->kind, strchr("aeiou", kind[0]) ? "n" : "",
	            kind);
	return HD_EINPUT;
}

int hd_engine_new(hd_engine **out, const hd_engine_options *opts, hd_diags *d)
{
	hd_engine *e;
	char *schema = NULL, *libdir = NULL;
	int r;

	*out = NULL;
	if (opts && opts->version != HD_ENGINE_OPTIONS_VERSION)
		return HD_EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return HD_ENOMEM;
	pthread_mutex_init(&e->lock, NULL);
	e->data_dir = strdup(opts && opts->data_dir ? opts->data_dir : HD_DEFAULT_DATA_DIR);
	if (!e->data_dir) {
		r = HD_ENOMEM;
		goto fail;
	}
	r = hd_fonts_open(&e->fonts, opts ? opts->font_dir : NULL, d);
	if (r)
		goto fail;
	schema = hd_path_join(e->data_dir, "schema/v1");
	libdir = hd_path_join(e->data_dir, "library");
	if (!schema || !libdir) {
		r = HD_ENOMEM;
		goto fail;
	}
	r = hd_loader_new(&e->loader, schema, d);
	if (r)
		goto fail;
	r = hd_load_library_dir(&e->library, e->loader, libdir, d);
	if (r)
		goto fail;
	free(schema);
	free(libdir);
	*out = e;
	return HD_OK;
fail:
	free(schema);
	free(libdir);
	hd_engine_free(e);
	return r;
}

void hd_engine_free(hd_engine *e)
{
	cached *c;
	if (!e)
		return;
	c = e->cache;
	while (c) {
		cached *next = c->next;
		free_entry(c);
		c = next;
	}
	hd_library_free(e->library);
	hd_loader_free(e->loader);
	hd_fonts_free(e->fonts);
	pthread_mutex_destroy(&e->lock);
	free(e->data_dir);
	free(e);
}

const char *hd_engine_data_dir(const hd_engine *e)
{
	return e->data_dir;
}

size_t hd_library_count(const hd_engine *e)
{
	return e->library ? e->library->count : 0;
}

int hd_library_check(const hd_engine *e, const char *lang, const char *kind, hd_diags *d)
{
	int rl = hd_library_check_lang(e->library, lang, d);
	int rk = hd_library_check_kind(kind, d);
	return rl ? rl : rk;
}

int hd_library_entry(const hd_engine *e, size_t i, const char *lang, const char **id,
                     const char **kind, const char **title)
{
	const hd_entry *en;
	const hd_entry_text *t;
	if (!e->library || i >= e->library->count)
		return HD_EINVAL;
	en = e->library->entries[i];
	t = hd_entry_text_for(en, lang);
	*id = en->id;
	*kind = en->kind;
	*title = t ? t->title : "";
	return HD_OK;
}


void hd_output_free(hd_output *out)
{
	if (!out)
		return;
	free(out->pdf);
	free(out->dump);
	memset(out, 0, sizeof(*out));
}

static int64_t days_from_civil(int y, int m, int d)
{
	/* Days since 1970-01-01 of a proleptic Gregorian date. */
	y -= m <= 2;
	{
		int64_t era = (y >= 0 ? y : y - 399) / 400;
		int64_t yoe = y - era * 400;
		int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		return era * 146097 + doe - 719468;
	}
}

/* Lays out a merged document in its frame. Diagnostics from layout that
 * name no file get path. */
static int lay_out(hd_layout **out, hd_engine *e, const hd_merged *m, const cached *cc,
                   const char *template_file, const char *path, hd_diags *d)
{
	hd_metrics metrics;
	hd_frame frame;
	size_t before = d ? d->count : 0, i;
	int st, r;

	memset(&metrics, 0, sizeof(metrics));
	metrics.ctx = e->fonts;
	metrics.width = fonts_width;
	for (st = 0; st < HD_NSTYLES; st++) {
		metrics.ascent[st] = hd_fonts_ascent(e->fonts, (unsigned)st);
		metrics.descent[st] = hd_fonts_descent(e->fonts, (unsigned)st);
	}
	memset(&frame, 0, sizeof(frame));
	frame.width = m->width;
	frame.height = m->height;
	frame.margin_left = frame.margin_right = 50.0;
	frame.margin_top = 36.0;
	frame.margin_bottom = 30.0;
	frame.body_size = m->body_size;
	frame.min_body_size = m->min_body_size;
	frame.max_pages = m->max_pages;
	frame.justify = m->justify;
	frame.accent.r = cc->clinic->colour[0];
	frame.accent.g = cc->clinic->colour[1];
	frame.accent.b = cc->clinic->colour[2];
	frame.header_name = cc->clinic->name;
	frame.header_line = m->header_line;
	frame.header_right = m->doc_kind;
	frame.logo_aspect = cc->logo.data ? cc->logo_aspect : 0.0;
	frame.footer_left = m->footer_left;
	frame.page_label = m->page_label;
	frame.clinic_file = cc->clinic->file;
	frame.template_file = template_file;
	r = hd_layout_run(out, m->doc, &frame, &metrics, d);
	/* Layout knows the text, not where it came from. */
	for (i = before; d && i < d->count; i++) {
		if (!d->items[i].file[0])
			snprintf(d->items[i].file, sizeof(d->items[i].file), "%s", path);
	}
	if (!r && (*out)->forced_breaks)
		hd_diag_add(d, HD_WARNING, path, 0, 0, NULL,
		            "%d page break%s had to split a block that should stay together",
		            (*out)->forced_breaks, (*out)->forced_breaks == 1 ? "" : "s");
	return r;
}

/* The dump and the PDF of a laid-out document, as asked in what. */
static int produce(hd_output *out, hd_engine *e, const hd_layout *l, const hd_merged *m,
                   const cached *cc, unsigned what, int64_t epoch,
                   const hd_outline_entry *outline, size_t noutline, const char *path,
                   hd_diags *d)
{
	size_t before = d ? d->count : 0, i;
	int r = HD_OK;

	if (what & HD_RENDER_DUMP) {
		hd_buf b = HD_BUF_INIT;
		if (hd_layout_dump(l, &b)) {
			hd_buf_free(&b);
			return HD_ENOMEM;
		}
		out->dump = hd_buf_detach(&b, &out->dump_len);
	}
	if (what & HD_RENDER_PDF) {
		hd_pdf_meta meta;
		memset(&meta, 0, sizeof(meta));
		meta.title = m->title;
		meta.author = m->author;
		meta.subject = m->subject;
		meta.epoch = epoch;
		meta.outline = outline;
		meta.noutline = noutline;
		r = hd_render_pdf(&out->pdf, &out->pdf_len, l, e->fonts,
		                  cc->logo.data ? &cc->logo : NULL, &meta, d);
		/* In a batch, say which record a PDF failure belongs to. */
		for (i = before; d && i < d->count; i++) {
			if (!d->items[i].file[0])
				snprintf(d->items[i].file, sizeof(d->items[i].file), "%s", path);
		}
	}
	return r;
}

/* The aftercare sheet of a loaded session record with a loaded template and
 * clinic: merge, layout, and the outputs asked in what. epoch < 0: the
 * session date. Diagnostics without a file get path. On failure *out is
 * zeroed. */
static int render_rec(hd_output *out, hd_engine *e, const hd_session_rec *s, const cached *tc,
                      const cached *cc, unsigned what, int64_t epoch, const char *path,
                      hd_diags *d)
{
	hd_merged *m = NULL;
	hd_layout *l = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	r = check_kind(tc->tmpl, "aftercare", d);
	if (r)
		goto cleanup;
	r = hd_merge_aftercare(&m, s, tc->tmpl, cc->clinic, e->library, d);
	if (r)
		goto cleanup;
	r = lay_out(&l, e, m, cc, tc->tmpl->file, path, d);
	if (r)
		goto cleanup;
	out->pages = (int)l->npages;
	out->body_size = l->body_size;
	if (l->shrunk && m->max_pages > 0 && (int)l->npages <= m->max_pages)
		hd_diag_add(d, HD_NOTE, path, 0, 0, NULL,
		            "body text reduced from %.1f pt to %.1f pt to fit on %d page%s",
		            m->body_size, l->body_size, m->max_pages, m->max_pages == 1 ? "" : "s");
	else if (m->max_pages > 0 && (int)l->npages > m->max_pages)
		hd_diag_add(d, HD_NOTE, path, 0, 0,
		            "shorten the notes or choose fewer tips to keep it on one page",
		            "the content does not fit on %d page%s even at %.1f pt; it continues on "
		            "%d pages",
		            m->max_pages, m->max_pages == 1 ? "" : "s", l->body_size, (int)l->npages);
	r = produce(out, e, l, m, cc, what,
	            epoch >= 0 ? epoch
	                       : days_from_civil(s->date.year, s->date.month, s->date.day) * 86400,
	            NULL, 0, path, d);
cleanup:
	if (r)
		hd_output_free(out);
	hd_layout_free(l);
	hd_merged_free(m);
	return r;
}


int hd_render_file(hd_output *out, hd_engine *e, const char *session_path,
                   const hd_render_options *opts, unsigned what, hd_diags *d)
{
	hd_render_options defaults = HD_RENDER_OPTIONS_INIT;
	hd_session_rec *s = NULL;
	cached *tc = NULL, *cc = NULL;
	char *tpath = NULL, *cpath = NULL;
	int r;

	if (!out)
		return HD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!e || !session_path)
		return HD_EINVAL;
	if (!opts)
		opts = &defaults;
	if (opts->version != HD_RENDER_OPTIONS_VERSION)
		return HD_EINVAL;
	tpath = opts->template_path ? strdup(opts->template_path)
	                            : hd_path_join(e->data_dir, "templates/aftercare.xml");
	cpath = opts->clinic_path ? strdup(opts->clinic_path)
	                          : hd_path_join(e->data_dir, "clinic/clinic.xml");
	if (!tpath || !cpath) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	/* Load all three so that every problem is reported in one run. */
	r = hd_load_session(&s, e->loader, session_path, e->library, d);
	{
		int rt = get_cached(&tc, e, tpath, 0, d);
		int rc = get_cached(&cc, e, cpath, 1, d);
		if (!r)
			r = rt ? rt : rc;
	}
	if (r)
		goto cleanup;
	r = render_rec(out, e, s, tc, cc, what, opts->source_date_epoch,
	               hd_path_display(session_path), d);
cleanup:
	if (r)
		hd_output_free(out);
	hd_session_rec_free(s);
	free(tpath);
	free(cpath);
	return r;
}

/* The catalogue with a loaded template and clinic, in lang (NULL: every
 * language). epoch < 0: the newest review date. On failure *out is zeroed. */
static int catalogue_rec(hd_output *out, hd_engine *e, const cached *tc, const cached *cc,
                         const char *lang, unsigned what, int64_t epoch, hd_diags *d)
{
	const char *tpath = tc->tmpl->file;
	hd_merged *m = NULL;
	hd_layout *l = NULL;
	int *pages = NULL;
	hd_outline_entry *outline = NULL;
	size_t noutline = 0;
	size_t i;
	int r, pass;

	memset(out, 0, sizeof(*out));
	r = check_kind(tc->tmpl, "catalogue", d);
	if (r)
		goto cleanup;
	r = hd_merge_catalogue(&m, tc->tmpl, cc->clinic, e->library, lang, d);
	if (r)
		goto cleanup;
	/* Contents: lay out, read where each anchor landed, fill the page
	 * numbers in, again until they stop changing (twice in practice: the
	 * placeholders are as wide as the numbers). */
	for (pass = 0; pass < 4; pass++) {
		r = lay_out(&l, e, m, cc, tpath, tpath, d);
		if (r)
			goto cleanup;
		free(pages);
		pages = calloc(l->nanchors ? l->nanchors : 1, sizeof(*pages));
		if (!pages) {
			r = HD_ENOMEM;
			goto cleanup;
		}
		for (i = 0; i < l->nanchors; i++)
			pages[i] = l->anchors[i].page;
		if (!hd_catalogue_set_pages(m, pages, l->nanchors))
			break;
		hd_layout_free(l);
		l = NULL;
	}
	if (!l) { /* the numbers kept changing: use the last ones */
		r = lay_out(&l, e, m, cc, tpath, tpath, d);
		if (r)
			goto cleanup;
	}
	out->pages = (int)l->npages;
	out->body_size = l->body_size;
	/* Deterministic: the date of the newest review, unless given. */
	if (epoch < 0) {
		epoch = 0;
		for (i = 0; i < e->library->count; i++) {
			int y, mo, dd;
			const char *rv = e->library->entries[i]->reviewed;
			if (rv && sscanf(rv, "%d-%d-%d", &y, &mo, &dd) == 3 &&
			    days_from_civil(y, mo, dd) * 86400 > epoch)
				epoch = days_from_civil(y, mo, dd) * 86400;
		}
	}
	/* Bookmarks: every anchored heading (language, kind, entry). */
	{
		const hd_block *b;
		size_t n = 0;
		for (b = m->doc; b; b = b->next)
			n += b->kind == HD_BLK_HEADING && b->anchor > 0;
		outline = calloc(n ? n : 1, sizeof(*outline));
		if (!outline) {
			r = HD_ENOMEM;
			goto cleanup;
		}
		for (b = m->doc; b; b = b->next) {
			hd_buf t = HD_BUF_INIT;
			const hd_span *sp;
			if (b->kind != HD_BLK_HEADING || b->anchor <= 0)
				continue;
			for (sp = b->spans; sp; sp = sp->next)
				hd_buf_append(&t, sp->text, sp->len);
			outline[noutline].level = b->level;
			outline[noutline].anchor = b->anchor;
			outline[noutline].title = t.data ? hd_arena_strdup(&m->arena, t.data) : "";
			hd_buf_free(&t);
			if (!outline[noutline].title) {
				r = HD_ENOMEM;
				goto cleanup;
			}
			noutline++;
		}
	}
	r = produce(out, e, l, m, cc, what, epoch, outline, noutline, tpath, d);
cleanup:
	if (r)
		hd_output_free(out);
	free(pages);
	free(outline);
	hd_layout_free(l);
	hd_merged_free(m);
	return r;
}

int hd_render_catalogue(hd_output *out, hd_engine *e, const hd_catalogue_options *opts,
                        unsigned what, hd_diags *d)
{
	hd_catalogue_options defaults = HD_CATALOGUE_OPTIONS_INIT;
	cached *tc = NULL, *cc = NULL;
	char *tpath = NULL, *cpath = NULL;
	int r;

	if (!out)
		return HD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!e)
		return HD_EINVAL;
	if (!opts)
		opts = &defaults;
	if (opts->version != HD_CATALOGUE_OPTIONS_VERSION)
		return HD_EINVAL;
	tpath = opts->template_path ? strdup(opts->template_path)
	                            : hd_path_join(e->data_dir, "templates/catalogue.xml");
	cpath = opts->clinic_path ? strdup(opts->clinic_path)
	                          : hd_path_join(e->data_dir, "clinic/clinic.xml");
	if (!tpath || !cpath) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	r = get_cached(&tc, e, tpath, 0, d);
	{
		int rc = get_cached(&cc, e, cpath, 1, d);
		if (!r)
			r = rc;
	}
	if (r)
		goto cleanup;
	r = catalogue_rec(out, e, tc, cc, opts->lang, what, opts->source_date_epoch, d);
cleanup:
	if (r)
		hd_output_free(out);
	free(tpath);
	free(cpath);
	return r;
}

/* ----- validation ----------------------------------------------------------- */

/* Copies the errors and warnings of from into to (notes say what rendering
 * did on the user's behalf; validation only reports problems). */
static void keep_problems(hd_diags *to, const hd_diags *from)
{
	size_t i;
	for (i = 0; i < from->count; i++) {
		const hd_diag *g = &from->items[i];
		if (g->severity == HD_NOTE)
			continue;
		hd_diag_add(to, g->severity, g->file[0] ? g->file : NULL, g->line, g->col,
		            g->hint[0] ? g->hint : NULL, "%s", g->message);
	}
	if (to && from->oom)
		to->oom += from->oom;
}

/* The first library entry of kind, or NULL. */
static const hd_entry *first_of(const hd_library *lib, const char *kind)
{
	size_t i;
	for (i = 0; i < lib->count; i++) {
		if (!strcmp(lib->entries[i]->kind, kind))
			return lib->entries[i];
	}
	return NULL;
}

/* A made-up session that uses every part of an aftercare sheet: a technique,
 * a tip and an exercise from the library, every area, a pressure and a next
 * visit. Validating a template or a clinic renders it, so that whatever
 * rendering would refuse about them (a header too long for the page, a label
 * with a character the font lacks) is found by validation too. On success
 * *out is the caller's. */
static int sample_session(hd_session_rec **out, const hd_library *lib, const char *lang)
{
	const char *const kinds[] = { "selfcare", "exercise" };
	hd_session_rec *s = calloc(1, sizeof(*s));
	const hd_entry *tech = first_of(lib, "technique");
	size_t i;

	*out = NULL;
	if (!s)
		return HD_ENOMEM;
	s->file = "(sample session)";
	s->client = "Sample Client";
	s->therapist = "Sample Therapist";
	s->lang = hd_arena_strdup(&s->arena, lang);
	s->date = (hd_date){ 2026, 1, 15, -1, -1 };
	s->next_visit = (hd_date){ 2026, 1, 29, 10, 0 };
	s->pressure = "medium";
	s->techniques = hd_arena_alloc(&s->arena, sizeof(*s->techniques));
	s->tips = hd_arena_alloc(&s->arena, HD_ARRAY_LEN(kinds) * sizeof(*s->tips));
	s->areas = hd_arena_alloc(&s->arena, hd_area_count * sizeof(*s->areas));
	if (!s->lang || !s->techniques || !s->tips || !s->areas) {
		hd_session_rec_free(s);
		return HD_ENOMEM;
	}
	if (tech)
		s->techniques[s->ntechniques++].id = tech->id;
	for (i = 0; i < HD_ARRAY_LEN(kinds); i++) {
		const hd_entry *tip = first_of(lib, kinds[i]);
		if (tip)
			s->tips[s->ntips++].id = tip->id;
	}
	for (i = 0; i < hd_area_count; i++)
		s->areas[s->nareas++] = hd_area_codes[i];
	*out = s;
	return HD_OK;
}

/* Renders the sample session in every language of template tc with clinic
 * cc (the PDF is made and thrown away), keeping the problems in d. */
static int render_samples(hd_engine *e, const cached *tc, const cached *cc, const char *path,
                          hd_diags *d)
{
	const hd_labels *ls;
	int worst = HD_OK;

	for (ls = tc->tmpl->labels; ls; ls = ls->next) {
		hd_session_rec *s = NULL;
		hd_diags scratch = HD_DIAGS_INIT;
		hd_output out;
		int r = sample_session(&s, e->library, ls->lang);
		if (!r)
			r = render_rec(&out, e, s, tc, cc, HD_RENDER_PDF, -1, path, &scratch);
		if (!r)
			hd_output_free(&out);
		keep_problems(d, &scratch);
		hd_diags_free(&scratch);
		hd_session_rec_free(s);
		if (r && !worst)
			worst = r;
		if (r)
			break; /* the same problem would repeat in every language */
	}
	return worst;
}

int hd_validate_file(hd_engine *e, const char *path, hd_diags *d)
{
	enum hd_vocab vocab = HD_VOCAB_UNKNOWN;
	cached *tc = NULL, *cc = NULL;
	char *dpath = NULL;
	int r = hd_load_check(e->loader, path, e->library, &vocab, d);

	if (r)
		return r;
	/* Beyond the schema: load into the model (dates, ids, references), then
	 * do everything rendering would do, so that a file validate accepts is
	 * one render accepts. */
	switch (vocab) {
	case HD_VOCAB_LIBRARY: {
		hd_library *lib = NULL;
		r = hd_load_library_file(&lib, e->loader, path, d);
		hd_library_free(lib);
		break;
	}
	case HD_VOCAB_TEMPLATE:
		r = load_entry(&tc, e, path, 0, d);
		if (r)
			break;
		dpath = hd_path_join(e->data_dir, "clinic/clinic.xml");
		r = dpath ? get_cached(&cc, e, dpath, 1, d) : HD_ENOMEM;
		if (r)
			break;
		if (!strcmp(tc->tmpl->kind, "catalogue")) {
			hd_diags scratch = HD_DIAGS_INIT;
			hd_output out;
			r = catalogue_rec(&out, e, tc, cc, NULL, HD_RENDER_PDF, -1, &scratch);
			if (!r)
				hd_output_free(&out);
			keep_problems(d, &scratch);
			hd_diags_free(&scratch);
		} else {
			r = render_samples(e, tc, cc, path, d);
		}
		break;
	case HD_VOCAB_CLINIC:
		r = load_entry(&cc, e, path, 1, d);
		if (r)
			break;
		dpath = hd_path_join(e->data_dir, "templates/aftercare.xml");
		r = dpath ? load_entry(&tc, e, dpath, 0, d) : HD_ENOMEM;
		if (!r)
			r = render_samples(e, tc, cc, path, d);
		free_entry(cc);
		break;
	case HD_VOCAB_SESSION: {
		hd_diags scratch = HD_DIAGS_INIT;
		hd_output out;
		r = hd_render_file(&out, e, path, NULL, HD_RENDER_PDF, &scratch);
		if (!r)
			hd_output_free(&out);
		keep_problems(d, &scratch);
		hd_diags_free(&scratch);
		break;
	}
	case HD_VOCAB_UNKNOWN:
		r = HD_EINPUT;
		break;
	}
	free_entry(tc);
	free(dpath);
	return r;
}
