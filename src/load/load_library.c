/*
 * load_library: content library files (urn:handout:library:1) into one
 * hd_library. Files are merged in name order; the first file's languages are
 * the library's, and every entry must have exactly one text per language.
 */
#include "load_xml.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Splits the languages attribute into lib's arena. Returns HD_OK or
 * HD_ENOMEM; *out and *n describe the list. Reports a code listed twice. */
static int split_languages(hd_xml *x, hd_arena *a, const char *attr, const char ***out, size_t *n)
{
	char *list = hd_xml_collapse(x, a, attr), *p, *sp;
	const char **langs;
	size_t cap = 1, i;

	*out = NULL;
	*n = 0;
	if (!list)
		return HD_ENOMEM;
	for (p = list; *p; p++)
		cap += *p == ' ';
	langs = hd_arena_alloc(a, cap * sizeof(*langs));
	if (!langs)
		return HD_ENOMEM;
	for (p = list; p && *p; p = sp) {
		sp = strchr(p, ' ');
		if (sp)
			*sp++ = '\0';
		for (i = 0; i < *n; i++) {
			if (strcmp(langs[i], p) == 0)
				break;
		}
		if (i < *n) {
			hd_xml_error(x, x->root, "list each language once", "language '%s' is listed twice", p);
			continue;
		}
		langs[(*n)++] = p;
	}
	*out = langs;
	return HD_OK;
}

/* Joins a language list with spaces into buf. */
static void join_languages(char *buf, size_t size, const char **langs, size_t n)
{
	size_t i, o = 0;
	buf[0] = '\0';
	for (i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? " " : "", langs[i]);
}

/* Checks this file's languages against lib's (or sets lib's from the first
 * file). Returns HD_OK or HD_ENOMEM; a mismatch is reported. */
static int check_languages(hd_library *lib, hd_xml *x, const char *first_file)
{
	const char **langs;
	size_t n, i;
	char mine[128], theirs[128];

	if (split_languages(x, &lib->arena, hd_xml_attr(x->root, "languages"), &langs, &n))
		return HD_ENOMEM;
	if (!lib->nlang) {
		lib->languages = langs;
		lib->nlang = n;
		return HD_OK;
	}
	for (i = 0; i < n && i < lib->nlang; i++) {
		if (strcmp(langs[i], lib->languages[i]) != 0)
			break;
	}
	if (i == n && n == lib->nlang)
		return HD_OK;
	join_languages(mine, sizeof(mine), langs, n);
	join_languages(theirs, sizeof(theirs), lib->languages, lib->nlang);
	hd_xml_error(x, x->root, "every library file declares the same languages, in the same order",
	             "this file declares languages=\"%s\" but %s declares \"%s\"", mine,
	             first_file ? first_file : "the first library file", theirs);
	return HD_OK;
}

/* Reads one <text> into a new hd_entry_text. Returns NULL on out of memory
 * (x->oom set) or when the text is unusable (reported). */
static hd_entry_text *read_text(hd_library *lib, hd_xml *x, xmlNodePtr n)
{
	hd_arena *a = &lib->arena;
	hd_entry_text *t = hd_arena_alloc(a, sizeof(*t));
	hd_section **tail;
	xmlNodePtr ch;

	if (!t) {
		x->oom = 1;
		return NULL;
	}
	t->lang = hd_xml_collapse(x, a, hd_xml_lang(n));
	if (!t->lang)
		return NULL;
	tail = &t->sections;
	HD_XML_EACH(ch, n) {
		if (hd_xml_is(ch, "title")) {
			t->title = hd_xml_text(x, a, ch, 1);
		} else if (hd_xml_is(ch, "summary")) {
			t->summary = hd_xml_text(x, a, ch, 1);
		} else if (hd_xml_is(ch, "dose")) {
			t->dose = hd_xml_text(x, a, ch, 1);
		} else if (hd_xml_is(ch, "section")) {
			hd_section *s = hd_arena_alloc(a, sizeof(*s));
			if (!s) {
				x->oom = 1;
				return NULL;
			}
			s->role = hd_xml_collapse(x, a, hd_xml_attr(ch, "role"));
			s->blocks = hd_xml_blocks(x, a, ch);
			*tail = s;
			tail = &s->next;
		}
	}
	return x->oom ? NULL : t;
}

/* Reads one <entry>. Returns the entry, or NULL on out of memory (x->oom)
 * or when it is unusable (reported). */
static hd_entry *read_entry(hd_library *lib, hd_xml *x, xmlNodePtr n, const char *file, int order)
{
	hd_arena *a = &lib->arena;
	hd_entry *e = hd_arena_alloc(a, sizeof(*e));
	hd_entry_text *texts = NULL, **bylang;
	hd_date date;
	xmlNodePtr ch;
	const char *mandatory;
	size_t i;

	if (!e) {
		x->oom = 1;
		return NULL;
	}
	e->id = hd_xml_collapse(x, a, hd_xml_attr(n, "id"));
	e->kind = hd_xml_collapse(x, a, hd_xml_attr(n, "kind"));
	e->reviewed = hd_xml_collapse(x, a, hd_xml_attr(n, "reviewed"));
	bylang = hd_arena_alloc(a, (lib->nlang ? lib->nlang : 1) * sizeof(*bylang));
	if (!e->id || !e->kind || !e->reviewed || !bylang) {
		x->oom = 1;
		return NULL;
	}
	hd_xml_date(x, n, e->reviewed, 0, &date);
	if (hd_xml_attr(n, "urgency"))
		e->urgency = hd_xml_collapse(x, a, hd_xml_attr(n, "urgency"));
	if (hd_xml_attr(n, "drawing")) {
		e->drawing_id = hd_xml_collapse(x, a, hd_xml_attr(n, "drawing"));
		if (!e->drawing_id) {
			x->oom = 1;
			return NULL;
		}
	}
	mandatory = hd_xml_attr(n, "mandatory");
	e->mandatory = mandatory && strstr(mandatory, "true") != NULL;
	e->order = order;
	e->file = file;
	e->line = hd_xml_line(n);

	HD_XML_EACH(ch, n) {
		hd_entry_text *t = read_text(lib, x, ch);
		if (!t) {
			if (x->oom)
				return NULL;
			continue;
		}
		for (i = 0; i < lib->nlang; i++) {
			if (strcmp(lib->languages[i], t->lang) == 0)
				break;
		}
		if (i == lib->nlang) {
			char hint[200], langs[128];
			join_languages(langs, sizeof(langs), lib->languages, lib->nlang);
			snprintf(hint, sizeof(hint), "the library declares languages=\"%s\"", langs);
			hd_xml_error(x, ch, hint, "entry '%s' has a text in '%s', a language the library does not declare",
			             e->id, t->lang);
		} else if (bylang[i]) {
			hd_xml_error(x, ch, "give one <text> per language",
			             "entry '%s' has two texts in '%s'", e->id, t->lang);
		} else {
			bylang[i] = t;
		}
	}
	/* The texts in the library's language order: the head is the default. */
	for (i = lib->nlang; i-- > 0;) {
		if (!bylang[i]) {
			char hint[128];
			snprintf(hint, sizeof(hint), "add <text xml:lang=\"%s\"> to the entry", lib->languages[i]);
			hd_xml_error(x, n, hint, "entry '%s' has no text in '%s'", e->id, lib->languages[i]);
			continue;
		}
		bylang[i]->next = texts;
		texts = bylang[i];
	}
	e->texts = texts;
	return e;
}

/* Adds the entries of one open library file to lib; see load_xml.h. */
int hd_library_add(hd_library *lib, hd_xml *x)
{
	hd_arena *a = &lib->arena;
	const char *first_file = lib->count ? lib->entries[0]->file : NULL;
	const char *file;
	hd_entry **grown;
	hd_drawing **drawings;
	xmlNodePtr n;
	size_t count = 0, ndrawings = 0;
	int order = 0;

	file = hd_arena_strdup(a, x->path);
	if (!file)
		return HD_ENOMEM;
	if (check_languages(lib, x, first_file))
		return HD_ENOMEM;
	HD_XML_EACH(n, x->root) {
		if (hd_xml_is(n, "drawing"))
			ndrawings++;
		else
			count++;
	}
	/* The arrays grow per file: a copy of a few hundred pointers per file
	 * is cheaper than a second allocator. */
	grown = hd_arena_alloc(a, (lib->count + count + 1) * sizeof(*grown));
	drawings = hd_arena_alloc(a, (lib->ndrawings + ndrawings + 1) * sizeof(*drawings));
	if (!grown || !drawings)
		return HD_ENOMEM;
	if (lib->count)
		memcpy(grown, lib->entries, lib->count * sizeof(*grown));
	if (lib->ndrawings)
		memcpy(drawings, lib->drawings, lib->ndrawings * sizeof(*drawings));
	lib->entries = grown;
	lib->drawings = drawings;
	HD_XML_EACH(n, x->root) {
		if (hd_xml_is(n, "drawing")) {
			hd_drawing *dr = hd_read_drawing(lib, x, n, file);
			if (dr)
				lib->drawings[lib->ndrawings++] = dr;
		} else {
			hd_entry *e = read_entry(lib, x, n, file, order++);
			if (e)
				lib->entries[lib->count++] = e;
		}
		if (x->oom)
			return HD_ENOMEM;
	}
	return hd_xml_status(x);
}

/* Orders by id, then by file and position, so that the first definition of
 * a duplicate id sorts first. */
static int cmp_entries(const void *pa, const void *pb)
{
	const hd_entry *a = *(const hd_entry *const *)pa, *b = *(const hd_entry *const *)pb;
	int c = strcmp(a->id, b->id);
	if (c)
		return c;
	c = strcmp(a->file, b->file);
	if (c)
		return c;
	return (a->order > b->order) - (a->order < b->order);
}

static int cmp_drawings(const void *pa, const void *pb)
{
	const hd_drawing *a = *(const hd_drawing *const *)pa, *b = *(const hd_drawing *const *)pb;
	int c = strcmp(a->id, b->id);
	if (c)
		return c;
	c = strcmp(a->file, b->file);
	if (c)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

/* The drawing id of lib or context closest to id, for "did you mean". */
static const char *suggest_drawing(const hd_library *lib, const hd_library *context,
                                   const char *id)
{
	const hd_library *in[2] = { lib, context };
	size_t i, k, best = 4, len = strlen(id);
	const char *found = NULL;
	for (k = 0; k < 2; k++) {
		for (i = 0; in[k] && i < in[k]->ndrawings; i++) {
			size_t dist = hd_edit_distance(id, in[k]->drawings[i]->id);
			if (dist < best && dist < len) {
				best = dist;
				found = in[k]->drawings[i]->id;
			}
		}
	}
	return found;
}

/* Sorts by id, reports duplicate ids and resolves drawings; see load_xml.h. */
int hd_library_finish(hd_library *lib, const hd_library *context, hd_diags *d)
{
	size_t i;
	int rc = HD_OK;

	if (lib->ndrawings > 1)
		qsort(lib->drawings, lib->ndrawings, sizeof(*lib->drawings), cmp_drawings);
	for (i = 1; i < lib->ndrawings; i++) {
		const hd_drawing *prev = lib->drawings[i - 1], *dr = lib->drawings[i];
		if (strcmp(prev->id, dr->id) != 0)
			continue;
		hd_error_at(d, dr->file, dr->line, 0, "drawing ids must be unique; rename one",
		            "duplicate drawing id '%s': it is already used at %s:%d", dr->id, prev->file,
		            prev->line);
		rc = HD_EINPUT;
	}
	for (i = 0; i < lib->count; i++) {
		hd_entry *e = lib->entries[i];
		const char *sug;
		char hint[160];
		if (!e->drawing_id)
			continue;
		e->drawing = hd_library_drawing(lib, e->drawing_id);
		if (!e->drawing)
			e->drawing = hd_library_drawing(context, e->drawing_id);
		if (e->drawing)
			continue;
		sug = suggest_drawing(lib, context, e->drawing_id);
		if (sug)
			snprintf(hint, sizeof(hint), "did you mean '%s'?", sug);
		else
			snprintf(hint, sizeof(hint), "add <drawing id=\"%s\"> to a library file, or "
			         "remove the attribute", e->drawing_id);
		hd_error_at(d, e->file, e->line, 0, hint, "entry '%s' names drawing '%s', which is "
		            "not in the library", e->id, e->drawing_id);
		rc = HD_EINPUT;
	}

	if (lib->count > 1)
		qsort(lib->entries, lib->count, sizeof(*lib->entries), cmp_entries);
	for (i = 1; i < lib->count; i++) {
		const hd_entry *prev = lib->entries[i - 1], *e = lib->entries[i];
		if (strcmp(prev->id, e->id) != 0)
			continue;
		hd_error_at(d, e->file, e->line, 0, "ids must be unique across all library files; rename one",
		            "duplicate id '%s': it is already used at %s:%d", e->id, prev->file, prev->line);
		rc = HD_EINPUT;
	}
	return rc;
}

/* Loads one file into lib. Returns HD_OK or the failure status. */
static int add_file(hd_library *lib, hd_loader *l, const char *path, hd_diags *d)
{
	hd_xml x;
	int rc = hd_xml_open(&x, l, path, HD_MAX_XML_FILE, HD_VOCAB_LIBRARY, 0, d);
	if (rc)
		return rc;
	rc = hd_library_add(lib, &x);
	hd_xml_close(&x);
	return rc;
}

/* Loads and checks one library file. On success *out is the caller's
 * (hd_library_free); on failure NULL, with every problem in d. */
int hd_load_library_file(hd_library **out, hd_loader *l, const char *path,
                         const hd_library *context, hd_diags *d)
{
	hd_library *lib;
	int rc;

	*out = NULL;
	lib = calloc(1, sizeof(*lib));
	if (!lib)
		return HD_ENOMEM;
	rc = add_file(lib, l, path, d);
	if (!rc)
		rc = hd_library_finish(lib, context, d);
	if (rc)
		goto cleanup;
	*out = lib;
	lib = NULL;
cleanup:
	hd_library_free(lib);
	return rc;
}

/* The *.xml names in dir, sorted by byte order (the same on every
 * machine), hidden files skipped (hd_dir_names). On success *out and *n are
 * the caller's (hd_names_free). */
static int list_xml_files(char ***out, size_t *n, const char *dir, hd_diags *d)
{
	int rc = hd_dir_names(out, n, dir, HD_DIR_XML, 0);
	if (rc == HD_EIO)
		hd_error_at(d, dir, 0, 0, errno == ENOENT ? "check the data folder (--data)" : NULL,
		            "cannot open the library folder: %s", strerror(errno));
	return rc;
}

/* Loads every *.xml of dir in name order into one library. Every file is
 * read even after a bad one, so that one run reports every problem. On
 * success *out is the caller's (hd_library_free); on failure NULL. */
int hd_load_library_dir(hd_library **out, hd_loader *l, const char *dir, hd_diags *d)
{
	hd_library *lib = NULL;
	char **names = NULL;
	size_t n = 0, i;
	int rc;

	*out = NULL;
	rc = list_xml_files(&names, &n, dir, d);
	if (rc)
		goto cleanup;
	if (!n) {
		hd_error_at(d, dir, 0, 0, "the content library is a set of .xml files in this folder",
		            "no library files (*.xml) in this folder");
		rc = HD_EINPUT;
		goto cleanup;
	}
	lib = calloc(1, sizeof(*lib));
	if (!lib) {
		rc = HD_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		char *path = hd_path_join(dir, names[i]);
		int r = path ? add_file(lib, l, path, d) : HD_ENOMEM;
		free(path);
		if (r == HD_ENOMEM) {
			rc = r;
			goto cleanup;
		}
		if (r && !rc)
			rc = r;
	}
	if (hd_library_finish(lib, NULL, d) && !rc)
		rc = HD_EINPUT;
	if (rc)
		goto cleanup;
	*out = lib;
	lib = NULL;
cleanup:
	hd_names_free(names, n);
	hd_library_free(lib);
	return rc;
}
