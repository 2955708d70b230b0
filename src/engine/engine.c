/*
 * engine: the public API (include/handout.h) on top of the pipeline.
 *
 *   load (once per engine: fonts, schemas, library; cached: templates,
 *   clinics and their logos) -> merge -> layout -> render -> output
 *
 * One function, render_doc, makes every kind of document from loaded
 * parts; the public entry points load what they need and call it.
 */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fonts.h"
#include "handout.h"
#include "hyph.h"
#include "internal.h"
#include "load_png.h"
#include "layout.h"
#include "load.h"
#include "merge.h"
#include "render.h"
#include "util.h"

/* Where the data folder may be (see default_data_dir); CMake sets them. */
#ifndef HD_INSTALL_DATA_DIR
#define HD_INSTALL_DATA_DIR "/usr/share/handout"
#endif
#ifndef HD_BINDIR_TO_DATA
#define HD_BINDIR_TO_DATA "../share/handout"
#endif
#ifndef HD_LIBDIR_TO_DATA
#define HD_LIBDIR_TO_DATA "../share/handout"
#endif

/* A template or clinic loaded once, keyed by the path it was loaded from. */
typedef struct cached {
	struct cached *next;
	char *path;
	hd_template *tmpl;
	struct family *fam;   /* the template's font family (owned by the engine) */
	hd_clinic *clinic;
	hd_logo logo;
	double logo_aspect;
} cached;

/* A font family, opened once per engine: its faces and their metrics. */
typedef struct family {
	struct family *next;
	hd_fonts *fonts;
	hd_metrics metrics;
	/* the family with its fallbacks (fonts/fonts.xml), made the first time
	 * a document has a character the family lacks; then immutable */
	struct family *composite;
	int noted;            /* the note on fallbacks was given (once per engine) */
	/* a pair (<fonts headings=...>): the families it borrows from */
	const hd_fonts *body, *headings;
} family;

struct hd_engine {
	char *data_dir;
	hd_font_config *fontconf; /* fonts/fonts.xml; NULL: DejaVu Sans only */
	hd_fontfinder *finder;    /* fontconfig, loaded when a family needs it */
	family *families;     /* opened so far; the first is the default */
	family *pairs;        /* body + headings pairs that templates asked for */
	pthread_mutex_t flock; /* guards families (taken inside lock, never around it) */
	hd_loader *loader;
	hd_library *library;
	hd_hyph_set *hyph;    /* the library's languages' hyphenation dictionaries */
	pthread_mutex_t lock; /* guards the cache */
	cached *cache;
};

static int fonts_width(const void *ctx, unsigned face, uint32_t cp)
{
	return hd_fonts_width(ctx, face, cp);
}

/* Wraps fonts as a family (taking them); NULL when out of memory. */
static family *new_family(hd_fonts *fonts)
{
	family *f = calloc(1, sizeof(*f));
	unsigned st;

	if (!f) {
		hd_fonts_free(fonts);
		return NULL;
	}
	f->fonts = fonts;
	f->metrics.ctx = fonts;
	f->metrics.width = fonts_width;
	for (st = 0; st < HD_NSTYLES; st++) {
		f->metrics.ascent[st] = hd_fonts_ascent(fonts, st);
		f->metrics.descent[st] = hd_fonts_descent(fonts, st);
	}
	return f;
}

/* Wraps opened fonts as a family of the engine (taking them). */
static family *add_family(hd_engine *e, hd_fonts *fonts)
{
	family *f = new_family(fonts), **tail;

	if (!f)
		return NULL;
	for (tail = &e->families; *tail; tail = &(*tail)->next)
		;
	*tail = f;
	return f;
}

static void free_family(family *f)
{
	if (!f)
		return;
	free_family(f->composite); /* borrows f's faces: first */
	hd_fonts_free(f->fonts);
	free(f);
}

/* The family named name (NULL: the default), opened the first time it is
 * asked for and kept for the engine's life. Returns HD_OK with *out set,
 * HD_EINPUT for a name fonts/fonts.xml does not declare (reported at file,
 * line: the template that names it), HD_EFONT when its faces are not
 * installed, HD_ENOMEM. open_family with e->flock held; get_family takes it. */
static int open_family(family **out, hd_engine *e, const char *name, const char *file, int line,
                       hd_diags *d)
{
	const hd_font_family *conf;
	char *files[HD_NSTYLES];
	hd_fonts *fonts = NULL;
	family *f;
	unsigned st;
	int r = HD_OK;

	*out = NULL;
	for (f = e->families; f; f = f->next) {
		if (!name || !strcasecmp(hd_fonts_family(f->fonts), name)) {
			*out = f;
			goto done;
		}
	}
	conf = hd_font_config_family(e->fontconf, name);
	if (!conf) {
		char hint[512];
		size_t i, n = 0;
		n += (size_t)snprintf(hint, sizeof(hint), "the families of %s are: ",
		                      e->fontconf ? e->fontconf->file : "the built-in configuration");
		for (i = 0; e->fontconf && i < e->fontconf->nfamilies && n < sizeof(hint); i++)
			n += (size_t)snprintf(hint + n, sizeof(hint) - n, "%s%s", i ? ", " : "",
			                      e->fontconf->families[i].name);
		if (!e->fontconf && n < sizeof(hint))
			snprintf(hint + n, sizeof(hint) - n, "DejaVu Sans");
		hd_error_at(d, file, line, 0, hint, "the font family '%s' is not in the font "
		            "configuration", name);
		r = HD_EINPUT;
		goto done;
	}
	r = hd_fonts_find(files, conf, e->fontconf->file, e->finder, d);
	if (r)
		goto done;
	r = hd_fonts_open_files(&fonts, (const char *const *)files, conf->name, conf->package, d);
	for (st = 0; st < HD_NSTYLES; st++)
		free(files[st]);
	if (r)
		goto done;
	*out = add_family(e, fonts);
	if (!*out)
		r = HD_ENOMEM;
done:
	return r;
}

static int get_family(family **out, hd_engine *e, const char *name, const char *file, int line,
                      hd_diags *d)
{
	int r;
	pthread_mutex_lock(&e->flock);
	r = open_family(out, e, name, file, line, d);
	pthread_mutex_unlock(&e->flock);
	return r;
}

/* A template's fonts: its family (NULL: the default), with the bold faces
 * of headings when it names that family (made once per pair and engine).
 * Returns what open_family returns. */
static int template_family(family **out, hd_engine *e, const hd_template *t, hd_diags *d)
{
	family *body, *head, *p;
	hd_fonts *fonts;
	int r;

	*out = NULL;
	pthread_mutex_lock(&e->flock);
	r = open_family(&body, e, t->font_family, t->file, t->font_line, d);
	if (r || !t->font_headings) {
		*out = body;
		goto done;
	}
	r = open_family(&head, e, t->font_headings, t->file, t->font_line, d);
	if (r || head == body) {
		*out = r ? NULL : body;
		goto done;
	}
	for (p = e->pairs; p; p = p->next) {
		if (p->body == body->fonts && p->headings == head->fonts) {
			*out = p;
			goto done;
		}
	}
	r = hd_fonts_pair(&fonts, body->fonts, head->fonts);
	if (!r && !(p = new_family(fonts)))
		r = HD_ENOMEM;
	if (!r) {
		p->body = body->fonts;
		p->headings = head->fonts;
		p->next = e->pairs;
		e->pairs = p;
		*out = p;
	}
done:
	pthread_mutex_unlock(&e->flock);
	return r;
}

/* ----- cached templates and clinics ------------------------------------------------ */

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
		if (!r)
			r = template_family(&c->fam, e, c->tmpl, d);
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

/* Finds or loads a template (kind 0) or clinic (kind 1). The entry stays
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
static int check_kind(const hd_template *t, enum hd_doc_kind kind, hd_diags *d)
{
	char hint[160];
	const char *have = hd_kind_names[t->kind], *want = hd_kind_names[kind];

	if (t->kind == kind)
		return HD_OK;
	snprintf(hint, sizeof(hint),
	         "use a template with kind=\"%s\", such as templates/%s.xml in the data folder", want,
	         want);
	hd_error_at(d, t->file, 0, 0, hint, "this is a%s %s template, not a%s %s template",
	            strchr("aeiou", have[0]) ? "n" : "", have, strchr("aeiou", want[0]) ? "n" : "",
	            want);
	return HD_EINPUT;
}

/* ----- engine ------------------------------------------------------------------------ */

/* Returns nonzero when dir has entry (schema/ for a data folder,
 * fonts.xml for a fonts folder). */
static int has_entry(const char *dir, const char *entry)
{
	char *path = hd_path_join(dir, entry);
	struct stat st;
	int yes = path && stat(path, &st) == 0;
	free(path);
	return yes;
}

/* A folder of the installed data when the caller names none, as a malloc'd
 * path (NULL when out of memory): the data folder itself (sub NULL) or
 * its fonts/ (sub "fonts"), the first that has entry, in order:
 *  1. relative to the file that holds this code (dladdr): libhandout.so
 *     (<prefix>/lib/...) or the program (<prefix>/bin/handout, the archive
 *     linked in): <prefix>/share/handout, wherever the prefix was
 *     installed or moved to;
 *  2. the source checkout's folder (source: xml/ or fonts/), for a program
 *     or test run from the build tree, which has no share/handout beside it;
 *     NULL (skipped) unless built with HANDOUT_DEV_DATA, never in a package;
 *  3. the configured install folder (HD_INSTALL_DATA_DIR[/sub]). */
static char *default_dir(const char *sub, const char *entry, const char *source)
{
	static const char *const rel[] = { HD_BINDIR_TO_DATA, HD_LIBDIR_TO_DATA };
	const char *files[2] = { NULL, "/proc/self/exe" };
	char rel_sub[512];
	Dl_info info;
	size_t i, k;

	/* dladdr names a shared library by its path, but the program by its
	 * argv[0] ("handout" when found through PATH): /proc/self/exe then. */
	if (dladdr((void *)default_dir, &info) && info.dli_fname && strchr(info.dli_fname, '/'))
		files[0] = info.dli_fname;
	for (k = 0; k < HD_ARRAY_LEN(files); k++) {
		char *self = files[k] ? realpath(files[k], NULL) : NULL;
		char *slash = self ? strrchr(self, '/') : NULL;
		if (!slash) {
			free(self);
			continue;
		}
		*slash = '\0';
		for (i = 0; i < HD_ARRAY_LEN(rel); i++) {
			char *dir, *real;
			snprintf(rel_sub, sizeof(rel_sub), "%s%s%s", rel[i], sub ? "/" : "", sub ? sub : "");
			dir = hd_path_join(self, rel_sub);
			real = dir && has_entry(dir, entry) ? realpath(dir, NULL) : NULL;
			free(dir);
			if (real) {
				free(self);
				return real;
			}
		}
		free(self);
	}
	if (source && has_entry(source, entry))
		return strdup(source);
	return sub ? hd_path_join(HD_INSTALL_DATA_DIR, sub) : strdup(HD_INSTALL_DATA_DIR);
}

#ifndef HD_SOURCE_DATA_DIR
#define HD_SOURCE_DATA_DIR NULL
#endif
#ifndef HD_SOURCE_FONTS_DIR
#define HD_SOURCE_FONTS_DIR NULL
#endif

/* Reads the font configuration: <data>/fonts/fonts.xml when the data
 * folder has one (a clinic's own), else the installed (or the checkout's)
 * fonts/fonts.xml. None at all leaves e->fontconf NULL: DejaVu Sans only. */
static int load_font_config(hd_engine *e, hd_diags *d)
{
	char *dir = hd_path_join(e->data_dir, "fonts"), *file = NULL;
	int r = HD_OK;

	if (dir && !has_entry(dir, "fonts.xml")) {
		free(dir);
		dir = default_dir("fonts", "fonts.xml", HD_SOURCE_FONTS_DIR);
	}
	if (!dir || !(file = hd_path_join(dir, "fonts.xml")))
		r = HD_ENOMEM;
	else if (has_entry(dir, "fonts.xml"))
		r = hd_load_fonts(&e->fontconf, e->loader, file, d);
	free(file);
	free(dir);
	return r;
}

int hd_engine_new(hd_engine **out, const hd_engine_options *opts, hd_diags *d)
{
	hd_engine *e;
	char *schema = NULL, *libdir = NULL;
	int r;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (opts && opts->version != HD_ENGINE_OPTIONS_VERSION && opts->version != 1)
		return HD_EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return HD_ENOMEM;
	pthread_mutex_init(&e->lock, NULL);
	pthread_mutex_init(&e->flock, NULL);
	e->data_dir = opts && opts->data_dir ? strdup(opts->data_dir)
	                                     : default_dir(NULL, "schema", HD_SOURCE_DATA_DIR);
	if (!e->data_dir) {
		r = HD_ENOMEM;
		goto fail;
	}
	if (!has_entry(e->data_dir, "schema")) {
		hd_error_at(d, e->data_dir, 0, 0,
		            "give the data folder with --data DIR or HANDOUT_DATA=DIR; an installed "
		            "handout reads <prefix>/share/handout, beside <prefix>/bin",
		            "not a handout data folder: it has no schema/ folder");
		r = HD_EIO;
		goto fail;
	}
	schema = hd_path_join(e->data_dir, "schema");
	libdir = hd_path_join(e->data_dir, "library");
	if (!schema || !libdir) {
		r = HD_ENOMEM;
		goto fail;
	}
	r = hd_loader_new(&e->loader, schema, d);
	if (r)
		goto fail;
	/* The default family is opened now, the others when a template names
	 * them: each once per engine. font_dir (DejaVu Sans's files) overrides
	 * the configured default. */
	r = hd_fontfinder_new(&e->finder);
	if (!r)
		r = load_font_config(e, d);
	if (r)
		goto fail;
	if (e->fontconf && !(opts && opts->font_dir)) {
		family *def;
		r = get_family(&def, e, e->fontconf->default_family, e->fontconf->file, 0, d);
	} else {
		hd_fonts *fonts;
		r = hd_fonts_open(&fonts, opts ? opts->font_dir : NULL, d);
		if (!r && !add_family(e, fonts))
			r = HD_ENOMEM;
	}
	if (r)
		goto fail;
	r = hd_load_library_dir(&e->library, e->loader, libdir, d);
	if (r)
		goto fail;
	/* the dictionaries are found now, read when first needed */
	r = hd_hyph_open(&e->hyph, opts && opts->version >= 2 ? opts->hyphen_dir : NULL,
	                 (const char *const *)e->library->languages, e->library->nlang);
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
	hd_hyph_free(e->hyph);
	hd_library_free(e->library);
	hd_loader_free(e->loader);
	while (e->pairs) { /* they borrow from the families: first */
		family *next = e->pairs->next;
		free_family(e->pairs);
		e->pairs = next;
	}
	while (e->families) {
		family *next = e->families->next;
		free_family(e->families);
		e->families = next;
	}
	hd_font_config_free(e->fontconf);
	hd_fontfinder_free(e->finder);
	pthread_mutex_destroy(&e->flock);
	pthread_mutex_destroy(&e->lock);
	free(e->data_dir);
	free(e);
}

const char *hd_engine_data_dir(const hd_engine *e)
{
	return e->data_dir;
}

const hd_library *hd_engine_library(const hd_engine *e)
{
	return e->library;
}

hd_loader *hd_engine_loader(const hd_engine *e)
{
	return e->loader;
}

/* ----- the content library ------------------------------------------------------------ */

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

/* ----- one document ------------------------------------------------------------------- */

void hd_output_free(hd_output *out)
{
	if (!out)
		return;
	free(out->pdf);
	free(out->dump);
	memset(out, 0, sizeof(*out));
}

/* The newest review date of the library, as seconds since 1970: a
 * document without a session is dated by its content. */
static int64_t library_epoch(const hd_library *lib)
{
	int64_t epoch = 0;
	size_t i;
	for (i = 0; i < lib->count; i++) {
		int y, mo, dd;
		const char *rv = lib->entries[i]->reviewed;
		if (rv && sscanf(rv, "%d-%d-%d", &y, &mo, &dd) == 3 &&
		    hd_days_from_civil(y, mo, dd) * 86400 > epoch)
			epoch = hd_days_from_civil(y, mo, dd) * 86400;
	}
	return epoch;
}

/* Gives the diagnostics added since before that name no file the file path:
 * layout and render know the text, not where it came from. */
static void name_file(hd_diags *d, size_t before, const char *path)
{
	size_t i;
	for (i = before; d && path && i < d->count; i++) {
		if (!d->items[i].file[0])
			snprintf(d->items[i].file, sizeof(d->items[i].file), "%s", path);
	}
}

/* Lays doc out; for a document with contents, again until the page numbers
 * stop changing (twice in practice: the placeholders are as wide as the
 * numbers). */
/* ----- font fallback ------------------------------------------------------------------ */

static const char *const script_names[HD_NSCRIPTS] = { "latin", "greek", "cyrillic", "other" };

/* The first character of text that one of f's faces has no glyph for, or
 * 0; *style that face. Every face, not only the span's: a block's style
 * adds its own (a heading's bold) at layout. Spaces and controls are the
 * layout's business. */
static uint32_t text_missing(const family *f, unsigned *style, const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;
	unsigned st;

	while (i < len && (n = hd_utf8_decode(s + i, len - i, &cp))) {
		i += n;
		if (cp <= 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xAD)
			continue;
		for (st = 0; st < HD_NSTYLES; st++) {
			if (hd_fonts_width(f->fonts, st, cp) < 0) {
				*style = st;
				return cp;
			}
		}
	}
	return 0;
}

/* The first character of the blocks (spans, contents lines, nested
 * blocks) that a face of f lacks, or 0; *style that face. */
static uint32_t blocks_missing(const family *f, const hd_block *b, unsigned *style)
{
	uint32_t cp;
	for (; b; b = b->next) {
		const hd_span *sp;
		for (sp = b->spans; sp; sp = sp->next)
			if ((cp = text_missing(f, style, sp->text, sp->len)))
				return cp;
		if (b->right && (cp = text_missing(f, style, b->right, strlen(b->right))))
			return cp;
		if ((cp = blocks_missing(f, b->children, style)))
			return cp;
	}
	return 0;
}

static uint32_t doc_missing(const family *f, const hd_doc *doc, unsigned *style)
{
	size_t i;
	uint32_t cp;
	for (i = 0; i < doc->nflows; i++)
		if ((cp = blocks_missing(f, doc->flows[i].blocks, style)))
			return cp;
	return 0;
}

/* f with its fallbacks: for each script, the families its <fallback>
 * lists (f's own left out; those not installed skipped), at most
 * HD_MAX_FALLBACK in all. With e->flock held. */
static int make_composite(hd_engine *e, family *f)
{
	const hd_fonts *fb[HD_MAX_FALLBACK];
	signed char order[HD_NSCRIPTS][HD_MAX_FALLBACK];
	hd_fonts *fonts;
	size_t nfb = 0, i, k, j;
	unsigned sc;

	memset(order, -1, sizeof(order));
	for (sc = 0; sc < HD_NSCRIPTS; sc++) {
		size_t n = 0;
		for (i = 0; i < e->fontconf->nfallbacks; i++) {
			const hd_font_fallback *x = &e->fontconf->fallbacks[i];
			if (strcmp(x->script, script_names[sc]))
				continue;
			for (k = 0; k < x->nfamilies && n < HD_MAX_FALLBACK; k++) {
				hd_diags scratch = HD_DIAGS_INIT;
				family *alt = NULL;
				int r = open_family(&alt, e, x->families[k], e->fontconf->file, 0, &scratch);
				hd_diags_free(&scratch); /* a fallback not installed is skipped */
				if (r == HD_ENOMEM)
					return r;
				if (r || alt == f)
					continue;
				for (j = 0; j < nfb && fb[j] != alt->fonts; j++)
					;
				if (j == nfb) {
					if (nfb == HD_MAX_FALLBACK)
						continue;
					fb[nfb++] = alt->fonts;
				}
				order[sc][n++] = (signed char)j;
			}
		}
	}
	if (hd_fonts_compose(&fonts, f->fonts, fb, nfb, (const signed char(*)[HD_MAX_FALLBACK])order))
		return HD_ENOMEM;
	f->composite = new_family(fonts);
	return f->composite ? HD_OK : HD_ENOMEM;
}

/* The family to set doc in: f when it has every character of the
 * document; else f with the fallbacks of fonts/fonts.xml, each character
 * it lacks taken from the first family of its script's list that has it
 * (noted once per engine and family). Characters no family has are left
 * to the layout, which names each. */
static const family *font_for(hd_engine *e, const hd_doc *doc, family *f, const char *path,
                              hd_diags *d)
{
	unsigned style = HD_REGULAR;
	uint32_t cp = doc_missing(f, doc, &style);
	const char *lender;
	family *c;
	int note = 0;

	if (!cp || !e->fontconf)
		return f;
	pthread_mutex_lock(&e->flock);
	if (!f->composite && make_composite(e, f)) {
		pthread_mutex_unlock(&e->flock);
		return f;
	}
	c = f->composite;
	note = !f->noted;
	f->noted = 1;
	pthread_mutex_unlock(&e->flock);
	lender = hd_fonts_fallback_for(c->fonts, style, cp);
	if (note && lender) {
		char utf8[5] = { 0 };
		hd_utf8_encode(cp, utf8);
		hd_diag_add(d, HD_NOTE, path, 0, 0,
		            "the fallbacks are set in fonts/fonts.xml; this note comes once per run",
		            "%s has no U+%04X (%s): it is set in %s, the fallback for %s text",
		            hd_fonts_family(f->fonts), (unsigned)cp, utf8, lender,
		            script_names[hd_script_of(cp)]);
	}
	return c;
}

static int lay_out(hd_layout **out, hd_engine *e, hd_doc *doc, const cached *tc, const cached *cc,
                   const family *fam, const char *path, hd_diags *d)
{
	const hd_template *t = tc->tmpl;
	hd_layout_in in;
	hd_layout *l = NULL;
	hd_hyphenator hy;
	const char *keep[2];
	size_t before = d ? d->count : 0, i;
	int pass, r, justified = 0;

	*out = NULL;
	memset(&in, 0, sizeof(in));
	/* Justified text is hyphenated in the document's language, never the
	 * names of the client and the therapist. The dictionary is read the
	 * first time a loose line needs it; a missing or unreadable one is a
	 * warning, once per engine and language, when a template justifies
	 * text. */
	memset(&hy, 0, sizeof(hy));
	for (i = 0; i < t->nstyles; i++)
		justified |= t->styles[i].align == HD_ALIGN_JUSTIFY;
	if (justified)
		hy.dict = hd_hyph_get(e->hyph, doc->lang);
	if (doc->client)
		keep[hy.nkeep++] = doc->client;
	if (doc->therapist)
		keep[hy.nkeep++] = doc->therapist;
	hy.keep = keep;
	in.hyph = &hy;
	in.flows = doc->flows;
	in.nflows = doc->nflows;
	in.styles = t->styles;
	in.nstyles = t->nstyles;
	in.page = &t->page;
	in.width = doc->width;
	in.height = doc->height;
	in.body_size = doc->body_size;
	in.min_body_size = doc->min_body_size;
	in.min_text_size = doc->min_text_size;
	in.accent.r = cc->clinic->colour[0];
	in.accent.g = cc->clinic->colour[1];
	in.accent.b = cc->clinic->colour[2];
	in.logo_aspect = cc->logo.data ? cc->logo_aspect : 0.0;
	in.field = hd_doc_field;
	in.field_ctx = doc;
	in.file = path;
	in.template_file = t->file;
	for (pass = 0; pass < 4; pass++) {
		r = hd_layout_run(&l, &in, &fam->metrics, pass ? NULL : d);
		if (r) {
			if (pass) /* the first pass succeeded with the same content */
				r = hd_layout_run(&l, &in, &fam->metrics, d);
			break;
		}
		r = doc->ntoc ? hd_doc_set_pages(doc, l->anchors, l->nanchors) : 0;
		if (r <= 0)
			break;
		hd_layout_free(l);
		l = NULL;
	}
	name_file(d, before, path);
	if (justified)
		hd_hyph_report(e->hyph, doc->lang, d);
	if (r < 0 || !l) {
		hd_layout_free(l);
		return r < 0 ? r : HD_ENOMEM;
	}
	if (l->forced_breaks)
		hd_diag_add(d, HD_WARNING, path, 0, 0, NULL,
		            "%d page break%s had to split a block that should stay together",
		            l->forced_breaks, l->forced_breaks == 1 ? "" : "s");
	*out = l;
	return HD_OK;
}

/* The dump and the PDF of a laid-out document, as asked in what. */
static int produce(hd_output *out, hd_engine *e, const hd_layout *l, const hd_doc *doc,
                   const cached *cc, const family *fam, unsigned what, int64_t epoch,
                   const char *path, hd_diags *d)
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
		hd_outline_entry *outline = NULL;
		const hd_logo *images[1];
		memset(&meta, 0, sizeof(meta));
		if (doc->noutline) {
			outline = calloc(doc->noutline, sizeof(*outline));
			if (!outline)
				return HD_ENOMEM;
			for (i = 0; i < doc->noutline; i++) {
				outline[i].level = doc->outline[i].level;
				outline[i].anchor = doc->outline[i].anchor;
				outline[i].title = doc->outline[i].title;
			}
		}
		meta.title = doc->title;
		meta.author = doc->author;
		meta.subject = doc->subject;
		meta.epoch = epoch;
		meta.outline = outline;
		meta.noutline = doc->noutline;
		meta.anchors = l->anchors;
		meta.nanchors = l->nanchors;
		images[0] = cc->logo.data ? &cc->logo : NULL;
		r = hd_render_pdf(&out->pdf, &out->pdf_len, &l->display, fam->fonts, images, 1, &meta, d);
		free(outline);
		name_file(d, before, path);
	}
	return r;
}

/* Any document from loaded parts: merge, layout, notes about what was done
 * to fit, the outputs asked in what. s may be NULL (a brochure, the
 * catalogue). epoch < 0: the session's date, else the library's newest
 * review. Diagnostics without a file get path. On failure *out is zeroed. */
static int render_doc(hd_output *out, hd_engine *e, enum hd_doc_kind kind, const hd_session_rec *s,
                      const cached *tc, const cached *cc, const hd_merge_opts *mo, unsigned what,
                      int64_t epoch, const char *path, hd_diags *d)
{
	const hd_template *t = tc->tmpl;
	const family *fam;
	hd_doc *doc = NULL;
	hd_layout *l = NULL;
	int r, maxp = t->page.max_pages;

	memset(out, 0, sizeof(*out));
	r = check_kind(t, kind, d);
	if (r)
		goto cleanup;
	r = hd_merge(&doc, t, s, cc->clinic, e->library, mo, d);
	if (r)
		goto cleanup;
	fam = font_for(e, doc, tc->fam ? tc->fam : e->families, path, d);
	r = lay_out(&l, e, doc, tc, cc, fam, path, d);
	if (r)
		goto cleanup;
	out->pages = (int)l->display.npages;
	out->body_size = l->body_size;
	out->last_fill = l->last_fill;
	if (l->dropped_figures)
		hd_diag_add(d, HD_NOTE, path, 0, 0, "the guide shows every exercise with its drawing",
		            "the drawings of the exercises were left out to fit on %d page%s", maxp,
		            maxp == 1 ? "" : "s");
	if (l->shrunk && maxp > 0 && out->pages <= maxp)
		hd_diag_add(d, HD_NOTE, path, 0, 0, NULL,
		            "body text reduced from %.1f pt to %.1f pt to fit on %d page%s",
		            doc->body_size, l->body_size, maxp, maxp == 1 ? "" : "s");
	else if (maxp > 0 && out->pages > maxp)
		hd_diag_add(d, HD_NOTE, path, 0, 0,
		            "shorten the notes or choose fewer tips to keep it on one page",
		            "the content does not fit on %d page%s even at %.1f pt; it continues on "
		            "%d pages at %.1f pt",
		            maxp, maxp == 1 ? "" : "s", doc->min_body_size, out->pages, l->body_size);
	if (epoch < 0)
		epoch = s ? hd_days_from_civil(s->date.year, s->date.month, s->date.day) * 86400
		          : library_epoch(e->library);
	r = produce(out, e, l, doc, cc, fam, what, epoch, path, d);
cleanup:
	if (r)
		hd_output_free(out);
	hd_layout_free(l);
	hd_doc_free(doc);
	return r;
}

/* The template for kind: given, or <data>/templates/<kind>.xml. NULL when
 * out of memory. */
static char *template_path(const hd_engine *e, const char *given, enum hd_doc_kind kind)
{
	char name[64];
	if (given)
		return strdup(given);
	snprintf(name, sizeof(name), "templates/%s.xml", hd_kind_names[kind]);
	return hd_path_join(e->data_dir, name);
}

static char *clinic_path(const hd_engine *e, const char *given)
{
	return given ? strdup(given) : hd_path_join(e->data_dir, "clinic/clinic.xml");
}

/* The template of kind (tgiven, else the data folder's) and the clinic
 * (cgiven, else the data folder's), from the engine's cache. Both are
 * loaded whatever becomes of the other, so that every problem of either is
 * reported in one run. Returns HD_OK, or the template's failure, else the
 * clinic's; *tc and *cc are then NULL or the one that loaded. */
static int load_parts(cached **tc, cached **cc, hd_engine *e, enum hd_doc_kind kind,
                      const char *tgiven, const char *cgiven, hd_diags *d)
{
	char *tpath = template_path(e, tgiven, kind), *cpath = clinic_path(e, cgiven);
	int rt = HD_ENOMEM, rc = HD_ENOMEM;

	*tc = *cc = NULL;
	if (tpath && cpath) {
		rt = get_cached(tc, e, tpath, 0, d);
		rc = get_cached(cc, e, cpath, 1, d);
	}
	free(tpath);
	free(cpath);
	return rt ? rt : rc;
}

int hd_engine_parts(const hd_template **t, const hd_clinic **c, hd_engine *e,
                    enum hd_doc_kind kind, const char *tgiven, const char *cgiven, hd_diags *d)
{
	cached *tc, *cc;
	int r = load_parts(&tc, &cc, e, kind, tgiven, cgiven, d);

	*t = r ? NULL : tc->tmpl;
	*c = r ? NULL : cc->clinic;
	return r;
}

int hd_engine_prepare(hd_engine *e, hd_doc_kind kind, const char *template_given,
                      const char *clinic_given, char **tpath_out, char **cpath_out, hd_diags *d)
{
	cached *tc, *cc;
	int r = load_parts(&tc, &cc, e, kind, template_given, clinic_given, d);

	*tpath_out = *cpath_out = NULL;
	if (!r)
		r = check_kind(tc->tmpl, kind, d);
	if (r)
		return r;
	*tpath_out = strdup(tc->path);
	*cpath_out = strdup(cc->path);
	if (!*tpath_out || !*cpath_out) {
		free(*tpath_out);
		free(*cpath_out);
		*tpath_out = *cpath_out = NULL;
		return HD_ENOMEM;
	}
	return HD_OK;
}

/* 1 when opts is a version of hd_render_options this library reads. */
static int options_ok(const hd_render_options *o)
{
	return o->version == 2 || o->version == HD_RENDER_OPTIONS_VERSION;
}

/* A document of kind from a loaded or built record s (NULL: a brochure for
 * anyone); path names s in diagnostics. */
static int render_rec(hd_output *out, hd_engine *e, enum hd_doc_kind kind,
                      const hd_session_rec *s, const hd_render_options *opts, unsigned what,
                      const char *path, int session_failed, hd_diags *d)
{
	hd_merge_opts mo;
	hd_session_rec dated;
	cached *tc, *cc;
	int64_t epoch = opts->source_date_epoch;
	size_t before;
	int r;

	/* loaded even when the session failed: every problem in one run */
	r = load_parts(&tc, &cc, e, kind, opts->template_path, opts->clinic_path, d);
	if (session_failed)
		r = session_failed;
	if (r)
		goto cleanup;
	/* A brochure for a client from a list may have no session date: it is
	 * dated by its content, like a brochure for anyone. */
	if (s && !s->date.year) {
		int64_t days = library_epoch(e->library) / 86400;
		int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
		int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
		dated = *s;
		dated.date.day = (int)(doy - (153 * mp + 2) / 5 + 1);
		dated.date.month = (int)(mp < 10 ? mp + 3 : mp - 9);
		dated.date.year = (int)(yoe + era * 400 + (dated.date.month <= 2));
		s = &dated;
	}
	memset(&mo, 0, sizeof(mo));
	mo.lang = opts->lang;
	mo.paper = opts->paper;
	mo.large_print = opts->large_print;
	mo.date_days = -1;
	before = d ? d->count : 0;
	r = render_doc(out, e, kind, s, tc, cc, &mo, what, epoch, path ? path : tc->path, d);
	hd_diags_tag(d, before, HD_DIAG_RENDER, NULL);
cleanup:
	if (r)
		hd_output_free(out);
	return r;
}

int hd_render_file(hd_output *out, hd_engine *e, const char *session_path,
                   const hd_render_options *opts, unsigned what, hd_diags *d)
{
	hd_render_options defaults = HD_RENDER_OPTIONS_INIT;
	hd_session_rec *s = NULL;
	int r;

	if (!out)
		return HD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!opts)
		opts = &defaults;
	if (!e || !options_ok(opts) || opts->kind < 0 || opts->kind >= HD_KIND_COUNT ||
	    opts->kind == HD_KIND_CATALOGUE)
		return HD_EINVAL;
	if (opts->kind == HD_KIND_REPORT)
		return session_path ? hd_render_report(out, e, session_path, opts, what, d) : HD_EINVAL;
	/* a sheet and a guide are about a session; a brochure may name a client */
	if (!session_path && opts->kind != HD_KIND_BROCHURE)
		return HD_EINVAL;
	r = session_path ? hd_load_session(&s, e->loader, session_path, e->library, d) : HD_OK;
	if (r == HD_ENOMEM)
		goto cleanup;
	r = render_rec(out, e, (enum hd_doc_kind)opts->kind, s, opts, what,
	               session_path ? hd_path_display(session_path) : NULL, r, d);
cleanup:
	hd_session_rec_free(s);
	return r;
}

/* ----- a client's records folder --------------------------------------------------- */

/* At most this many visits in one records folder. */
#define HD_MAX_VISITS 1000

/* The records of one client: what load_records read. */
typedef struct records {
	hd_session_rec **s;  /* in visit order */
	size_t n;
} records;

static void records_free(records *rs)
{
	size_t i;
	for (i = 0; i < rs->n; i++)
		hd_session_rec_free(rs->s[i]);
	free(rs->s);
	rs->s = NULL;
	rs->n = 0;
}

/* Minutes since 1970 of a record's date and time (no time: midnight). */
static int64_t visit_minute(const hd_date *d)
{
	return hd_days_from_civil(d->year, d->month, d->day) * 1440 +
	       (d->hour < 0 ? 0 : d->hour * 60 + d->minute);
}

static int cmp_visit(const void *pa, const void *pb)
{
	const hd_session_rec *a = *(hd_session_rec *const *)pa, *b = *(hd_session_rec *const *)pb;
	int64_t x = visit_minute(&a->date), y = visit_minute(&b->date);
	return (x > y) - (x < y);
}

/* The base name of path. */
static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Checks what one client's records must share (see README, "Records
 * folders"): one client, one record per date and time, and (named: they
 * are files of a folder) each file named by its date. rs is in visit
 * order. Returns HD_OK or HD_EINPUT. */
static int check_records(const records *rs, int named, hd_diags *d)
{
	const hd_session_rec *first = rs->s[0];
	const hd_session_rec *with_id = NULL;
	size_t i;
	int r = HD_OK;

	for (i = 0; i < rs->n && !with_id; i++)
		if (rs->s[i]->client_id)
			with_id = rs->s[i];
	for (i = 0; i < rs->n; i++) {
		const hd_session_rec *s = rs->s[i];
		const char *name = base_name(s->file);
		char date[16];

		snprintf(date, sizeof(date), "%04d-%02d-%02d", s->date.year, s->date.month, s->date.day);
		if (named && strncmp(name, date, 10) != 0) {
			hd_error_at(d, s->file, 0, 0,
			            "name each record by its visit's date, e.g. 2026-11-20.xml or "
			            "2026-11-20-1530.xml, so that the folder lists the visits in order",
			            "the file name does not start with the visit's date, %s", date);
			r = HD_EINPUT;
		}
		if (with_id && s->client_id && strcmp(s->client_id, with_id->client_id) != 0) {
			hd_error_at(d, s->file, 0, 0, "a records folder holds the visits of one client",
			            "this record is of client '%s', and %s is of client '%s'", s->client_id,
			            with_id->file, with_id->client_id);
			r = HD_EINPUT;
		} else if (!(with_id && s->client_id) && strcmp(s->client, first->client) != 0) {
			hd_error_at(d, s->file, 0, 0,
			            "a records folder holds the visits of one client; give each record "
			            "<client id=\"...\"> when the name was written differently",
			            "this record is of '%s', and %s is of '%s'", s->client, first->file,
			            first->client);
			r = HD_EINPUT;
		}
		if (i > 0 && visit_minute(&s->date) == visit_minute(&rs->s[i - 1]->date) &&
		    (s->date.hour < 0) == (rs->s[i - 1]->date.hour < 0)) {
			hd_error_at(d, s->file, 0, 0,
			            "two visits on one day need their times: <date time=\"HH:MM\">",
			            "this visit has the same date%s as %s", s->date.hour < 0 ? "" : " and time",
			            rs->s[i - 1]->file);
			r = HD_EINPUT;
		}
	}
	return r;
}

/* Loads every session record (*.xml, not hidden) of the folder dir, in
 * visit order, and checks them as one client's history. Other files are
 * left alone; a record that is not a regular file (a link, a folder) is
 * refused. On failure rs is empty and d says why. */
static int load_records(records *rs, hd_engine *e, const char *dir, hd_diags *d)
{
	char **names = NULL;
	size_t n = 0, i;
	int r;

	memset(rs, 0, sizeof(*rs));
	r = hd_dir_names(&names, &n, dir, HD_DIR_XML, HD_MAX_VISITS);
	if (r == HD_EIO) {
		hd_error_at(d, dir, 0, 0, "give the folder that holds the client's session records",
		            "cannot open the records folder: %s", strerror(errno));
		return HD_EIO;
	}
	if (r == HD_EINPUT)
		hd_error_at(d, dir, 0, 0, "split the history into folders of at most 1000 visits",
		            "the folder holds more than %d session records", HD_MAX_VISITS);
	for (i = 0; !r && i < n; i++) { /* the records' paths */
		char *path = hd_path_join(dir, names[i]);
		if (!path)
			r = HD_ENOMEM;
		else {
			free(names[i]);
			names[i] = path;
		}
	}
	if (!r && !n) {
		hd_error_at(d, dir, 0, 0,
		            "a records folder holds one session record (.xml) per visit of one client",
		            "the folder has no session records");
		r = HD_EINPUT;
	}
	if (!r) {
		rs->s = calloc(n, sizeof(*rs->s));
		if (!rs->s)
			r = HD_ENOMEM;
	}
	for (i = 0; !r && i < n; i++) {
		struct stat st;
		int rr;
		if (lstat(names[i], &st) != 0 || !S_ISREG(st.st_mode)) {
			hd_error_at(d, names[i], 0, 0, "keep each record as a plain file in the folder",
			            "%s", S_ISLNK(st.st_mode) ? "a session record may not be a symbolic link"
			                                      : "not a regular file");
			rs->s[rs->n++] = NULL;
			continue;
		}
		rr = hd_load_session(&rs->s[rs->n], e->loader, names[i], e->library, d);
		rs->n++;
		if (rr == HD_ENOMEM || rr == HD_EIO)
			r = rr;
	}
	for (i = 0; i < rs->n && !r; i++) {
		if (!rs->s[i])
			r = HD_EINPUT; /* reported */
	}
	if (!r) {
		qsort(rs->s, rs->n, sizeof(*rs->s), cmp_visit);
		r = check_records(rs, 1, d);
	}
	hd_names_free(names, n);
	if (r)
		records_free(rs);
	return r;
}

int hd_validate_records(hd_engine *e, const char *dir, hd_diags *d)
{
	records rs;
	int r;

	if (!e || !dir)
		return HD_EINVAL;
	r = load_records(&rs, e, dir, d);
	records_free(&rs);
	return r;
}

/* The report over rs (loaded with status r: the template and clinic are
 * loaded whatever r, so that every problem is reported in one run); path
 * names the document in messages. */
static int render_history(hd_output *out, hd_engine *e, const records *rs, int r,
                          const hd_render_options *opts, unsigned what, const char *path,
                          hd_diags *d)
{
	hd_merge_opts mo;
	cached *tc, *cc;
	int rp = load_parts(&tc, &cc, e, HD_KIND_REPORT, opts->template_path, opts->clinic_path, d);

	if (!r)
		r = rp;
	if (r)
		goto cleanup;
	memset(&mo, 0, sizeof(mo));
	mo.date_days = -1;
	mo.history = (const hd_session_rec *const *)rs->s;
	mo.nhistory = rs->n;
	/* the latest visit: its language, paper and print size, its home
	 * programme; the PDF is dated by it */
	r = render_doc(out, e, HD_KIND_REPORT, rs->s[rs->n - 1], tc, cc, &mo, what,
	               opts->source_date_epoch, path, d);
cleanup:
	if (r)
		hd_output_free(out);
	return r;
}

int hd_render_report(hd_output *out, hd_engine *e, const char *dir, const hd_render_options *opts,
                     unsigned what, hd_diags *d)
{
	hd_render_options defaults = HD_RENDER_OPTIONS_INIT;
	records rs = { NULL, 0 };
	int r;

	if (!out)
		return HD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!opts)
		opts = &defaults;
	if (!e || !dir || !options_ok(opts))
		return HD_EINVAL;
	r = load_records(&rs, e, dir, d);
	r = render_history(out, e, &rs, r, opts, what, dir, d);
	records_free(&rs);
	return r;
}

int hd_render_history(hd_output *out, hd_engine *e, const hd_session *const *sessions, size_t n,
                      const hd_render_options *opts, hd_diags *d)
{
	hd_render_options defaults = HD_RENDER_OPTIONS_INIT;
	records rs = { NULL, 0 };
	unsigned what = HD_RENDER_PDF;
	size_t i;
	int r = HD_OK;

	if (!out)
		return HD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!opts)
		opts = &defaults;
	if (!e || !sessions || !n || n > HD_MAX_VISITS || !options_ok(opts))
		return HD_EINVAL;
	if (opts->version >= 3 && opts->what)
		what = opts->what & (HD_RENDER_PDF | HD_RENDER_DUMP);
	rs.s = calloc(n, sizeof(*rs.s));
	if (!rs.s)
		return HD_ENOMEM;
	rs.n = n;
	for (i = 0; i < n; i++) {
		int rr;
		if (!sessions[i]) {
			free(rs.s);
			return HD_EINVAL;
		}
		rr = hd_session_check(sessions[i], HD_KIND_REPORT, d);
		if (rr && !r)
			r = rr;
		/* borrowed: rs.s is only the list, sorted; the records are the
		 * sessions' */
		rs.s[i] = (hd_session_rec *)hd_session_record(sessions[i]);
	}
	if (!r) {
		qsort(rs.s, rs.n, sizeof(*rs.s), cmp_visit);
		r = check_records(&rs, 0, d);
	}
	r = render_history(out, e, &rs, r, opts, what, hd_session_name(sessions[n - 1]), d);
	free(rs.s);
	return r;
}

int hd_render(hd_output *out, hd_engine *e, hd_doc_kind kind, const hd_session *session,
              const hd_render_options *opts, hd_diags *d)
{
	hd_render_options defaults = HD_RENDER_OPTIONS_INIT;
	const hd_session_rec *s = hd_session_record(session);
	unsigned what = HD_RENDER_PDF;
	int r;

	if (!out)
		return HD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!opts)
		opts = &defaults;
	if (!e || !options_ok(opts) || kind < 0 || kind >= HD_KIND_COUNT || kind == HD_KIND_CATALOGUE)
		return HD_EINVAL;
	if (!session && kind != HD_KIND_BROCHURE)
		return HD_EINVAL;
	if (opts->version >= 3 && opts->what)
		what = opts->what & (HD_RENDER_PDF | HD_RENDER_DUMP);
	if (session) {
		r = hd_session_check(session, kind, d);
		if (r)
			return r;
	}
	return render_rec(out, e, kind, s, opts, what, s ? hd_session_name(session) : NULL, 0, d);
}

int hd_render_catalogue(hd_output *out, hd_engine *e, const hd_catalogue_options *opts,
                        unsigned what, hd_diags *d)
{
	hd_catalogue_options defaults = HD_CATALOGUE_OPTIONS_INIT;
	hd_merge_opts mo;
	cached *tc, *cc;
	int r;

	if (!out)
		return HD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!opts)
		opts = &defaults;
	if (!e || opts->version != HD_CATALOGUE_OPTIONS_VERSION)
		return HD_EINVAL;
	r = load_parts(&tc, &cc, e, HD_KIND_CATALOGUE, opts->template_path, opts->clinic_path, d);
	if (r)
		return r;
	memset(&mo, 0, sizeof(mo));
	mo.lang = opts->lang;
	mo.date_days = -1;
	r = render_doc(out, e, HD_KIND_CATALOGUE, NULL, tc, cc, &mo, what, opts->source_date_epoch,
	               tc->path, d);
	if (r)
		hd_output_free(out);
	return r;
}

/* ----- validation ----------------------------------------------------------------------- */

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

/* A made-up session that uses every part: a technique, a tip and an
 * exercise from the library, every area, a pressure and a next visit.
 * Validating a template or a clinic renders it, so that whatever rendering
 * would refuse about them (a header too long for the page, a label with a
 * character the font lacks, a brochure panel that overflows) is found by
 * validation too. On success *out is the caller's. */
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
	s->pain_before = 6;
	s->pain_after = 3;
	s->techniques = hd_arena_alloc(&s->arena, sizeof(*s->techniques));
	s->tips = hd_arena_alloc(&s->arena, 2 * sizeof(*s->tips));
	s->areas = hd_arena_alloc(&s->arena, hd_area_count * sizeof(*s->areas));
	if (!s->lang || !s->techniques || !s->tips || !s->areas) {
		hd_session_rec_free(s);
		return HD_ENOMEM;
	}
	if (tech)
		s->techniques[s->ntechniques++].id = tech->id;
	for (i = 0; i < 2; i++) {
		const hd_entry *tip = first_of(lib, kinds[i]);
		if (tip)
			s->tips[s->ntips++].id = tip->id;
	}
	for (i = 0; i < hd_area_count; i++)
		s->areas[s->nareas++] = hd_area_codes[i];
	*out = s;
	return HD_OK;
}

/* Renders template tc with clinic cc the way its kind is used (the sample
 * session in each of the template's languages; the catalogue once), the
 * PDF made and thrown away, keeping the problems in d. */
static int render_samples(hd_engine *e, const cached *tc, const cached *cc, const char *path,
                          hd_diags *d)
{
	const hd_labels *ls;
	int worst = HD_OK;

	for (ls = tc->tmpl->labels; ls; ls = ls->next) {
		hd_session_rec *s = NULL;
		hd_diags scratch = HD_DIAGS_INIT;
		hd_merge_opts mo;
		hd_output out;
		int r = HD_OK;
		memset(&mo, 0, sizeof(mo));
		mo.lang = ls->lang;
		mo.date_days = -1;
		if (tc->tmpl->kind != HD_KIND_CATALOGUE)
			r = sample_session(&s, e->library, ls->lang);
		if (!r)
			r = render_doc(&out, e, tc->tmpl->kind, s, tc, cc, &mo, HD_RENDER_PDF, -1, path,
			               &scratch);
		if (!r)
			hd_output_free(&out);
		keep_problems(d, &scratch);
		hd_diags_free(&scratch);
		hd_session_rec_free(s);
		if (r && !worst)
			worst = r;
		if (r || tc->tmpl->kind == HD_KIND_CATALOGUE)
			break; /* the same problem would repeat in every language */
	}
	return worst;
}

int hd_validate_file(hd_engine *e, const char *path, hd_diags *d)
{
	enum hd_vocab vocab = HD_VOCAB_UNKNOWN;
	cached *tc = NULL, *cc = NULL;
	char *dpath = NULL;
	int r;

	if (!e || !path)
		return HD_EINVAL;
	{
		struct stat st;
		if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return hd_validate_records(e, path, d);
	}
	r = hd_load_check(e->loader, path, e->library, &vocab, d);
	if (r)
		return r;
	/* Beyond the schema: load into the model (dates, ids, references), then
	 * do everything rendering would do, so that a file validate accepts is
	 * one render accepts. */
	switch (vocab) {
	case HD_VOCAB_FONTS: {
		/* valid; each family is then looked for: one not installed here
		 * is a warning (a template naming it would fail on this machine) */
		hd_font_config *fc = NULL;
		size_t i, k;
		r = hd_load_fonts(&fc, e->loader, path, d);
		for (i = 0; !r && i < fc->nfamilies; i++) {
			hd_diags scratch = HD_DIAGS_INIT;
			char *files[HD_NSTYLES];
			hd_fonts *fonts = NULL;
			unsigned st;
			if (hd_fonts_find(files, &fc->families[i], path, e->finder, &scratch) == HD_OK) {
				hd_fonts_open_files(&fonts, (const char *const *)files, fc->families[i].name,
				                    fc->families[i].package, &scratch);
				hd_fonts_free(fonts);
				for (st = 0; st < HD_NSTYLES; st++)
					free(files[st]);
			}
			for (k = 0; k < scratch.count; k++) {
				const hd_diag *g = &scratch.items[k];
				hd_diag_add(d, HD_WARNING, g->file, g->line, g->col, g->hint[0] ? g->hint : NULL,
				            "%s", g->message);
			}
			hd_diags_free(&scratch);
		}
		hd_font_config_free(fc);
		break;
	}
	case HD_VOCAB_LIBRARY: {
		hd_library *lib = NULL;
		r = hd_load_library_file(&lib, e->loader, path, e->library, d);
		hd_library_free(lib);
		break;
	}
	case HD_VOCAB_TEMPLATE:
		r = load_entry(&tc, e, path, 0, d);
		if (r)
			break;
		dpath = clinic_path(e, NULL);
		r = dpath ? get_cached(&cc, e, dpath, 1, d) : HD_ENOMEM;
		if (!r)
			r = render_samples(e, tc, cc, path, d);
		break;
	case HD_VOCAB_CLINIC:
		r = load_entry(&cc, e, path, 1, d);
		if (r)
			break;
		dpath = template_path(e, NULL, HD_KIND_AFTERCARE);
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
	case HD_VOCAB_PRESETS: /* hd_load_check made every check */
		break;
	case HD_VOCAB_UNKNOWN:
		r = HD_EINPUT;
		break;
	}
	free_entry(tc);
	free(dpath);
	return r;
}
