/*
 * load_fonts: the font configuration, fonts/fonts.xml (schema
 * xml/schema/fonts.rng), into an hd_font_config. Only names and paths: the
 * fonts stage finds and opens the faces (fontfind.c, fonts.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load.h"
#include "load_xml.h"

static const char *const style_names[HD_NSTYLES] = { "regular", "bold", "italic",
	                                             "bold-italic" };

/* file as written, or joined to the folder of the configuration when it is
 * relative (a clinic's own .ttf beside fonts.xml). NULL when out of memory. */
static const char *resolve(hd_font_config *c, const hd_xml *x, const char *file)
{
	const char *slash = strrchr(x->path, '/');
	size_t dirlen = slash ? (size_t)(slash - x->path) + 1 : 0;
	char *p;

	if (file[0] == '/')
		return hd_arena_strdup(&c->arena, file);
	p = hd_arena_alloc(&c->arena, dirlen + strlen(file) + 1);
	if (!p)
		return NULL;
	memcpy(p, x->path, dirlen);
	strcpy(p + dirlen, file);
	return p;
}

static int read_family(hd_font_config *c, hd_xml *x, xmlNodePtr n, hd_font_family *f)
{
	xmlNodePtr face;
	const char *v;
	unsigned st;

	f->name = hd_arena_strdup(&c->arena, hd_xml_attr(n, "name"));
	if (!f->name)
		return HD_ENOMEM;
	if ((v = hd_xml_attr(n, "package")) && !(f->package = hd_arena_strdup(&c->arena, v)))
		return HD_ENOMEM;
	f->line = hd_xml_line(n);
	if (hd_font_config_family(c, f->name)) {
		hd_xml_error(x, n, "give each family once", "the family '%s' is declared twice",
		             f->name);
		return HD_OK;
	}
	HD_XML_EACH(face, n) {
		const char *style = hd_xml_attr(face, "style"), *file = hd_xml_attr(face, "file");
		const char *match = hd_xml_attr(face, "fontconfig");
		for (st = 0; st < HD_NSTYLES && strcmp(style, style_names[st]); st++)
			;
		if (st == HD_NSTYLES) /* the schema allows no other */
			continue;
		if (f->file[st] || f->match[st]) {
			hd_xml_error(x, face, "give each style once", "the family '%s' has two %s faces",
			             f->name, style);
			continue;
		}
		if (!file && !match) {
			hd_xml_error(x, face,
			             "write file=\"/path/to/Font.ttf\" or fontconfig=\"Family:style=Bold\"",
			             "the %s face of '%s' says neither where its file is nor how "
			             "fontconfig finds it", style, f->name);
			continue;
		}
		if (file && !(f->file[st] = resolve(c, x, file)))
			return HD_ENOMEM;
		if (match && !(f->match[st] = hd_arena_strdup(&c->arena, match)))
			return HD_ENOMEM;
	}
	for (st = 0; st < HD_NSTYLES; st++) {
		if (!f->file[st] && !f->match[st]) {
			hd_xml_error(x, n, "a family needs all four: regular, bold, italic, bold-italic",
			             "the family '%s' has no %s face", f->name, style_names[st]);
			break;
		}
	}
	return HD_OK;
}

/* "DejaVu Sans, Noto Sans" into the fallback's list; each name declared. */
static int read_fallback(hd_font_config *c, hd_xml *x, xmlNodePtr n, hd_font_fallback *fb)
{
	const char *list = hd_xml_attr(n, "families"), *p = list;
	size_t count = 1;

	fb->script = hd_arena_strdup(&c->arena, hd_xml_attr(n, "script"));
	for (; *p; p++)
		count += *p == ',';
	fb->families = hd_arena_alloc(&c->arena, count * sizeof(*fb->families));
	if (!fb->script || !fb->families)
		return HD_ENOMEM;
	for (p = list; *p;) {
		const char *end = strchr(p, ','), *b = p, *e;
		char *name;
		if (!end)
			end = p + strlen(p);
		while (b < end && (*b == ' ' || *b == '\t' || *b == '\n'))
			b++;
		for (e = end; e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'); e--)
			;
		if (e > b) {
			name = hd_arena_alloc(&c->arena, (size_t)(e - b) + 1);
			if (!name)
				return HD_ENOMEM;
			memcpy(name, b, (size_t)(e - b));
			name[e - b] = '\0';
			if (!hd_font_config_family(c, name))
				hd_xml_error(x, n, "declare it with <family name=\"...\"> above, or leave it out",
				             "the fallback for %s names the family '%s', which is not "
				             "declared", fb->script, name);
			else
				fb->families[fb->nfamilies++] = name;
		}
		p = *end ? end + 1 : end;
	}
	return HD_OK;
}

int hd_convert_fonts(hd_font_config **out, hd_xml *x)
{
	hd_font_config *c;
	xmlNodePtr n;
	size_t nfam = 0, nfb = 0;
	int rc = HD_ENOMEM;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return HD_ENOMEM;
	HD_XML_EACH(n, x->root) {
		nfam += hd_xml_is(n, "family");
		nfb += hd_xml_is(n, "fallback");
	}
	c->file = hd_arena_strdup(&c->arena, x->path);
	c->families = hd_arena_alloc(&c->arena, (nfam ? nfam : 1) * sizeof(*c->families));
	c->fallbacks = hd_arena_alloc(&c->arena, (nfb ? nfb : 1) * sizeof(*c->fallbacks));
	if (!c->file || !c->families || !c->fallbacks)
		goto cleanup;
	memset(c->families, 0, (nfam ? nfam : 1) * sizeof(*c->families));
	memset(c->fallbacks, 0, (nfb ? nfb : 1) * sizeof(*c->fallbacks));
	HD_XML_EACH(n, x->root) {
		if (hd_xml_is(n, "family")) {
			hd_font_family f;
			memset(&f, 0, sizeof(f));
			if (read_family(c, x, n, &f))
				goto cleanup;
			if (f.name && !hd_font_config_family(c, f.name))
				c->families[c->nfamilies++] = f;
		}
	}
	HD_XML_EACH(n, x->root) {
		if (hd_xml_is(n, "fallback") && read_fallback(c, x, n, &c->fallbacks[c->nfallbacks++]))
			goto cleanup;
	}
	c->default_family = hd_arena_strdup(&c->arena, hd_xml_attr(x->root, "default"));
	if (!c->default_family)
		goto cleanup;
	if (!hd_font_config_family(c, c->default_family))
		hd_xml_error(x, x->root, "declare it with <family name=\"...\">, or name a declared one",
		             "the default family '%s' is not declared", c->default_family);
	rc = hd_xml_status(x);
	if (rc)
		goto cleanup;
	*out = c;
	c = NULL;
cleanup:
	hd_font_config_free(c);
	return rc;
}

int hd_load_fonts(hd_font_config **out, hd_loader *l, const char *path, hd_diags *d)
{
	hd_xml x;
	int rc;

	*out = NULL;
	rc = hd_xml_open(&x, l, path, HD_MAX_RECORD_FILE, HD_VOCAB_FONTS, 0, d);
	if (rc)
		return rc;
	rc = hd_convert_fonts(out, &x);
	hd_xml_close(&x);
	return rc;
}
