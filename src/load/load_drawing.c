/*
 * load_drawing: one <drawing> of a library file (see xml/README.md,
 * "Drawings") into an hd_drawing: every shape becomes a path of Bezier
 * segments in viewBox units (drawing.h), colours by name, a body area per
 * region, a text alternative per language of the library. The schema has
 * checked the shape of the element; this checks what it cannot: the path
 * data (with the column of a mistake), numbers in range, regions named once,
 * a shape that paints nothing, the languages of the alternatives.
 */
#include "load_xml.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The colour names of drawings: black-and-white safe greys and the clinic's
 * colour. */
static const struct {
	const char *name;
	unsigned char rgb[3];
} colours[] = {
	{ "ink", { 0x22, 0x22, 0x22 } },   { "muted", { 0x8a, 0x8a, 0x8a } },
	{ "shade", { 0xe4, 0xe4, 0xe4 } }, { "paper", { 0xff, 0xff, 0xff } },
};

/* The colour of attribute name on n; *set says whether it paints. */
static hd_color colour_attr(xmlNodePtr n, const char *name, int *set)
{
	const char *v = hd_xml_attr(n, name);
	hd_color c = { { 0, 0, 0 }, 0, 1 };
	size_t i;

	*set = 0;
	if (!v || !strcmp(v, "none"))
		return c;
	c.none = 0;
	*set = 1;
	if (!strcmp(v, "accent")) {
		c.accent = 1;
		return c;
	}
	for (i = 0; i < HD_ARRAY_LEN(colours); i++) {
		if (!strcmp(v, colours[i].name))
			memcpy(c.rgb, colours[i].rgb, 3);
	}
	return c; /* the schema allows no other name */
}

/* Reads the numbers of attributes names[0..n) of el into v. Reports a
 * problem and returns HD_EINPUT. */
static int number_attrs(hd_xml *x, xmlNodePtr el, const char *id, const char *const *names,
                        int n, double *v)
{
	int i;
	for (i = 0; i < n; i++) {
		const char *s = hd_xml_attr(el, names[i]);
		size_t at;
		if (!s) {
			v[i] = 0; /* optional ones: absent is 0 */
			continue;
		}
		if (hd_parse_numbers(s, &v[i], 1, &at) || fabs(v[i]) > HD_DRAWING_MAX_COORD) {
			hd_xml_error_in_attr(x, el, names[i], at, "write a plain number such as 12 or 3.5",
			                     "drawing '%s': %s=\"%s\" is not a number from -100000 to 100000",
			                     id, names[i], s);
			return HD_EINPUT;
		}
	}
	return HD_OK;
}

/* Builds the segments of one shape element into b. */
static int build_shape(hd_xml *x, xmlNodePtr el, const char *id, hd_path_build *b)
{
	static const char *const circle[] = { "cx", "cy", "r" };
	static const char *const ellipse[] = { "cx", "cy", "rx", "ry" };
	static const char *const rect[] = { "x", "y", "width", "height", "rx" };
	static const char *const line[] = { "x1", "y1", "x2", "y2" };
	const char *err = NULL;
	double v[5];
	int r;

	if (hd_xml_is(el, "path")) {
		const char *d = hd_xml_attr(el, "d");
		size_t at = 0;
		r = hd_path_parse(b, d ? d : "", &at, &err);
		if (r == HD_EINPUT) {
			char near[40];
			size_t len = d ? strlen(d) : 0, from = at > 12 ? at - 12 : 0;
			size_t k = len - from < 24 ? len - from : 24;
			snprintf(near, sizeof(near), "%.*s", (int)k, d ? d + from : "");
			hd_xml_error_in_attr(x, el, "d", at,
			                     "path data takes M, L, H, V, C, S, Q, T, A and Z with numbers; "
			                     "see xml/README.md, \"Drawings\"",
			                     "drawing '%s': %s (near \"%s\")", id, err, near);
		}
		return r;
	}
	if (hd_xml_is(el, "circle")) {
		r = number_attrs(x, el, id, circle, 3, v);
		if (!r)
			r = hd_path_ellipse(b, v[0], v[1], v[2], v[2], &err);
	} else if (hd_xml_is(el, "ellipse")) {
		r = number_attrs(x, el, id, ellipse, 4, v);
		if (!r)
			r = hd_path_ellipse(b, v[0], v[1], v[2], v[3], &err);
	} else if (hd_xml_is(el, "rect")) {
		r = number_attrs(x, el, id, rect, 5, v);
		if (!r)
			r = hd_path_rect(b, v[0], v[1], v[2], v[3], v[4], &err);
	} else {
		r = number_attrs(x, el, id, line, 4, v);
		if (!r)
			r = hd_path_line(b, v[0], v[1], v[2], v[3], &err);
	}
	if (r == HD_EINPUT && err)
		hd_xml_error(x, el, NULL, "drawing '%s': <%s>: %s", id, (const char *)el->name, err);
	return r;
}

/* Reads the <alt> texts into dr in the library's language order. */
static int read_alts(hd_library *lib, hd_xml *x, xmlNodePtr n, hd_drawing *dr)
{
	xmlNodePtr ch;
	size_t i;

	dr->alts = hd_arena_alloc(&lib->arena, (lib->nlang ? lib->nlang : 1) * sizeof(*dr->alts));
	if (!dr->alts)
		return HD_ENOMEM;
	HD_XML_EACH(ch, n) {
		const char *lang = hd_xml_lang(ch), *text;
		if (!hd_xml_is(ch, "alt"))
			continue;
		for (i = 0; i < lib->nlang; i++) {
			if (lang && !strcmp(lib->languages[i], lang))
				break;
		}
		if (i == lib->nlang) {
			hd_xml_error(x, ch, "give the alternative in a language the library declares",
			             "drawing '%s' has an alternative in '%s', a language the library does "
			             "not declare", dr->id, lang ? lang : "");
			continue;
		}
		if (dr->alts[i].lang) {
			hd_xml_error(x, ch, "give one <alt> per language", "drawing '%s' has two "
			             "alternatives in '%s'", dr->id, lang);
			continue;
		}
		text = hd_xml_text(x, &lib->arena, ch, 1);
		if (!text) {
			if (x->oom)
				return HD_ENOMEM;
			continue;
		}
		dr->alts[i].lang = lib->languages[i];
		dr->alts[i].text = text;
	}
	for (i = 0; i < lib->nlang; i++) {
		if (!dr->alts[i].lang) {
			char hint[160];
			snprintf(hint, sizeof(hint),
			         "add <alt xml:lang=\"%s\"> saying in words what the picture shows",
			         lib->languages[i]);
			hd_xml_error(x, n, hint, "drawing '%s' has no text alternative in '%s'", dr->id,
			             lib->languages[i]);
		}
	}
	dr->nalts = lib->nlang;
	return HD_OK;
}

hd_drawing *hd_read_drawing(hd_library *lib, hd_xml *x, xmlNodePtr n, const char *file)
{
	hd_arena *a = &lib->arena;
	hd_drawing *dr = hd_arena_alloc(a, sizeof(*dr));
	const char *vb = hd_xml_attr(n, "viewBox"), *regions[64];
	hd_path_build b = { 0 };
	xmlNodePtr ch;
	double v[4];
	size_t at = 0, nshapes = 0, total = 0, nregions = 0, i;
	int errors = x->errors;

	if (!dr)
		goto oom;
	dr->id = hd_xml_collapse(x, a, hd_xml_attr(n, "id"));
	if (!dr->id)
		goto oom;
	dr->file = file;
	dr->line = hd_xml_line(n);
	if (hd_parse_numbers(vb ? vb : "", v, 4, &at) || v[2] <= 0 || v[3] <= 0 ||
	    fabs(v[0]) > HD_DRAWING_MAX_COORD || fabs(v[1]) > HD_DRAWING_MAX_COORD ||
	    v[2] > HD_DRAWING_MAX_COORD || v[3] > HD_DRAWING_MAX_COORD) {
		hd_xml_error_in_attr(x, n, "viewBox", at, "viewBox is four numbers: x y width height, "
		                     "the width and height greater than 0", "drawing '%s': viewBox=\"%s\" "
		                     "is not x y width height", dr->id, vb ? vb : "");
	} else {
		dr->vb_x = v[0];
		dr->vb_y = v[1];
		dr->vb_w = v[2];
		dr->vb_h = v[3];
	}
	if (read_alts(lib, x, n, dr))
		goto oom;

	HD_XML_EACH(ch, n)
		nshapes += !hd_xml_is(ch, "alt");
	dr->paths = hd_arena_alloc(a, (nshapes ? nshapes : 1) * sizeof(*dr->paths));
	if (!dr->paths)
		goto oom;
	HD_XML_EACH(ch, n) {
		hd_draw_path *dp;
		const char *region = hd_xml_attr(ch, "region"), *sw = hd_xml_attr(ch, "stroke-width");
		const char *dash = hd_xml_attr(ch, "dash");
		int has_fill, has_stroke, r;

		if (hd_xml_is(ch, "alt"))
			continue;
		memset(&b, 0, sizeof(b));
		b.max = HD_DRAWING_MAX_SEGS - total;
		r = build_shape(x, ch, dr->id, &b);
		if (r == HD_ENOMEM)
			goto oom;
		if (r) {
			size_t got = b.count;
			hd_path_build_free(&b);
			if (total + got >= HD_DRAWING_MAX_SEGS)
				break; /* the rest cannot fit either: one message is enough */
			continue;
		}
		dp = &dr->paths[dr->npaths];
		dp->line = hd_xml_line(ch);
		dp->nsegs = b.count;
		dp->segs = hd_arena_alloc(a, (b.count ? b.count : 1) * sizeof(*dp->segs));
		if (!dp->segs)
			goto oom;
		if (b.count)
			memcpy(dp->segs, b.segs, b.count * sizeof(*dp->segs));
		total += b.count;
		hd_path_build_free(&b);

		dp->fill = colour_attr(ch, "fill", &has_fill);
		dp->stroke = colour_attr(ch, "stroke", &has_stroke);
		dp->paint = HD_PAINT_ROUND | (has_fill ? HD_PAINT_FILL : 0u) |
		            (has_stroke ? HD_PAINT_STROKE : 0u);
		dp->line_width = 1;
		if (sw && (hd_parse_numbers(sw, &dp->line_width, 1, &at) || dp->line_width < 0 ||
		           dp->line_width > 1000)) {
			hd_xml_error_in_attr(x, ch, "stroke-width", at, NULL, "drawing '%s': stroke-width="
			                     "\"%s\" is not a number from 0 to 1000", dr->id, sw);
		}
		if (dash && (hd_parse_numbers(dash, &dp->dash, 1, &at) || dp->dash < 0 ||
		             dp->dash > 1000)) {
			hd_xml_error_in_attr(x, ch, "dash", at, NULL, "drawing '%s': dash=\"%s\" is not a "
			                     "number from 0 to 1000", dr->id, dash);
		}
		if (region) {
			int known = hd_vocab_index(hd_area_codes, hd_area_count, region) >= 0;
			for (i = 0; i < nregions && strcmp(regions[i], region); i++)
				;
			if (!known) {
				hd_xml_error(x, ch, "a region is one of the body areas of a session record "
				             "(see xml/README.md)", "drawing '%s': '%s' is not a body area",
				             dr->id, region);
			} else if (i < nregions) {
				hd_xml_error(x, ch, "draw each area as one closed path",
				             "drawing '%s' has region '%s' twice", dr->id, region);
			} else if (nregions < HD_ARRAY_LEN(regions)) {
				regions[nregions++] = region;
			}
			dp->region = hd_arena_strdup(a, region);
			if (!dp->region)
				goto oom;
		} else if (!has_fill && !has_stroke) {
			hd_xml_error(x, ch, "give it stroke=\"ink\" (or another colour), fill=\"...\", or both",
			             "drawing '%s': this <%s> paints nothing", dr->id, (const char *)ch->name);
		}
		dr->npaths++;
	}
	if (x->oom)
		return NULL;
	return x->errors > errors ? NULL : dr;
oom:
	hd_path_build_free(&b);
	x->oom = 1;
	return NULL;
}
