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
		free(c->path);
		hd_template_free(c->tmpl);
		hd_clinic_free(c->clinic);
		hd_logo_free(&c->logo);
		free(c);
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

int hd_validate_file(hd_engine *e, const char *path, hd_diags *d)
{
	enum hd_vocab vocab = HD_VOCAB_UNKNOWN;
	int r = hd_load_check(e->loader, path, e->library, &vocab, d);

	if (r)
		return r;
	/* Beyond the schema: load into the model, which checks dates, ids and
	 * references too. */
	switch (vocab) {
	case HD_VOCAB_LIBRARY: {
		hd_library *lib = NULL;
		r = hd_load_library_file(&lib, e->loader, path, d);
		hd_library_free(lib);
		break;
	}
	case HD_VOCAB_TEMPLATE: {
		hd_template *t = NULL;
		r = hd_load_template(&t, e->loader, path, d);
		hd_template_free(t);
		break;
	}
	case HD_VOCAB_CLINIC: {
		hd_clinic *c = NULL;
		r = hd_load_clinic(&c, e->loader, path, d);
		if (!r && c->logo_path) {
			hd_image img;
			r = hd_png_load(&img, c->logo_path, d);
			hd_image_free(&img);
		}
		hd_clinic_free(c);
		break;
	}
	case HD_VOCAB_SESSION: {
		hd_session_rec *s = NULL;
		r = hd_load_session(&s, e->loader, path, e->library, d);
		if (!r) {
			/* Resolve references the same way rendering does. */
			char *tp = hd_path_join(e->data_dir, "templates/aftercare.xml");
			hd_template *t = NULL;
			hd_clinic c;
			hd_merged *m = NULL;
			memset(&c, 0, sizeof(c));
			c.name = "";
			if (!tp)
				r = HD_ENOMEM;
			else
				r = hd_load_template(&t, e->loader, tp, d);
			if (!r)
				r = hd_merge_aftercare(&m, s, t, &c, e->library, d);
			hd_merged_free(m);
			hd_template_free(t);
			free(tp);
		}
		hd_session_rec_free(s);
		break;
	}
	case HD_VOCAB_UNKNOWN:
		r = HD_EINPUT;
		break;
	}
	return r;
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
	c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(path))) {
		free(c);
		r = HD_ENOMEM;
		goto done;
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
		hd_template_free(c->tmpl);
		hd_clinic_free(c->clinic);
		hd_logo_free(&c->logo);
		free(c->path);
		free(c);
		goto done;
	}
	c->next = e->cache;
	e->cache = c;
	*out = c;
done:
	pthread_mutex_unlock(&e->lock);
	return r;
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

int hd_render_file(hd_output *out, hd_engine *e, const char *session_path,
                   const hd_render_options *opts, unsigned what, hd_diags *d)
{
	hd_render_options defaults = HD_RENDER_OPTIONS_INIT;
	hd_session_rec *s = NULL;
	hd_merged *m = NULL;
	hd_layout *l = NULL;
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
	r = hd_merge_aftercare(&m, s, tc->tmpl, cc->clinic, e->library, d);
	if (r)
		goto cleanup;

	r = lay_out(&l, e, m, cc, tc->tmpl->file, hd_path_display(session_path), d);
	if (r)
		goto cleanup;
	out->pages = (int)l->npages;
	out->body_size = l->body_size;
	if (l->shrunk && m->max_pages > 0 && (int)l->npages <= m->max_pages)
		hd_diag_add(d, HD_NOTE, hd_path_display(session_path), 0, 0, NULL,
		            "body text reduced from %.1f pt to %.1f pt to fit on %d page%s",
		            m->body_size, l->body_size, m->max_pages, m->max_pages == 1 ? "" : "s");
	else if (m->max_pages > 0 && (int)l->npages > m->max_pages)
		hd_diag_add(d, HD_NOTE, hd_path_display(session_path), 0, 0,
		            "shorten the notes or choose fewer tips to keep it on one page",
		            "the content does not fit on %d page%s even at %.1f pt; it continues on "
		            "%d pages",
		            m->max_pages, m->max_pages == 1 ? "" : "s", l->body_size, (int)l->npages);
	r = produce(out, e, l, m, cc, what,
	            opts->source_date_epoch >= 0
	                    ? opts->source_date_epoch
	                    : days_from_civil(s->date.year, s->date.month, s->date.day) * 86400,
	            NULL, 0, hd_path_display(session_path), d);
	if (r)
		goto cleanup;
	r = HD_OK;
cleanup:
	if (r)
		hd_output_free(out);
	hd_layout_free(l);
	hd_merged_free(m);
	hd_session_rec_free(s);
	free(tpath);
	free(cpath);
	return r;
}

int hd_render_catalogue(hd_output *out, hd_engine *e, const hd_catalogue_options *opts,
                        unsigned what, hd_diags *d)
{
	hd_catalogue_options defaults = HD_CATALOGUE_OPTIONS_INIT;
	hd_merged *m = NULL;
	hd_layout *l = NULL;
	cached *tc = NULL, *cc = NULL;
	char *tpath = NULL, *cpath = NULL;
	int *pages = NULL;
	hd_outline_entry *outline = NULL;
	size_t noutline = 0;
	int64_t epoch;
	size_t i;
	int r, pass;

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
	if (strcmp(tc->tmpl->kind, "catalogue")) {
		hd_error_at(d, tpath, 0, 0, "give a template with kind=\"catalogue\"",
		            "this is a%s %s template, not a catalogue", tc->tmpl->kind[0] == 'a' ? "n" : "",
		            tc->tmpl->kind);
		r = HD_EINPUT;
		goto cleanup;
	}
	r = hd_merge_catalogue(&m, tc->tmpl, cc->clinic, e->library, opts->lang, d);
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
	epoch = opts->source_date_epoch;
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
	free(tpath);
	free(cpath);
	return r;
}
