/*
 * load_presets: the clinic's programmes (urn:handout:presets:1) into an
 * hd_presets_rec, for the therapist's desk. The schema has checked the
 * structure; this file checks what it cannot: unique ids, one title per
 * language and not too long, nothing listed twice within a programme (the
 * references themselves are checked against the library by the caller,
 * hd_session_check_refs, as for a session record).
 */
#include "load_xml.h"

#include <stdlib.h>
#include <string.h>

/* A programme's title is a button on the desk. */
static const hd_text_field title_field = {
	"a programme's title", 80, "shorten it: it is a button on the desk" };

static int read_preset(hd_xml *x, hd_presets_rec *p, xmlNodePtr pn, hd_preset *out)
{
	hd_arena *a = &p->arena;
	xmlNodePtr n;
	size_t cap = 0, i;
	unsigned seen = 0;

	memset(out, 0, sizeof(*out));
	out->id = hd_xml_collapse(x, a, hd_xml_attr(pn, "id"));
	if (!out->id)
		return HD_ENOMEM;
	out->line = hd_xml_line(pn);
	HD_XML_EACH(n, pn)
		cap += hd_xml_is(n, "title");
	out->titles = hd_arena_alloc(a, (cap ? cap : 1) * sizeof(*out->titles));
	if (!out->titles)
		return HD_ENOMEM;
	HD_XML_EACH(n, pn) {
		const char *lang = hd_xml_lang(n), *t;
		if (!hd_xml_is(n, "title"))
			continue;
		for (i = 0; i < out->ntitles; i++) {
			if (!strcmp(out->titles[i].lang, lang))
				hd_xml_error_c(x, n, HD_DIAG_DUPLICATE, "give one title per language",
				               "programme '%s' has two titles in '%s'", out->id, lang);
		}
		t = hd_xml_field(x, a, n, &title_field);
		if (!t) {
			if (x->oom)
				return HD_ENOMEM;
			continue;
		}
		out->titles[out->ntitles].lang = hd_arena_strdup(a, lang);
		out->titles[out->ntitles++].text = t;
	}
	x->field = "techniques";
	if (hd_xml_refs(x, a, hd_xml_child(pn, "techniques"), "technique", &out->techniques,
	                &out->ntechniques))
		return HD_ENOMEM;
	x->field = "areas";
	if ((n = hd_xml_child(pn, "areas")) != NULL) {
		xmlNodePtr c;
		cap = 0;
		HD_XML_EACH(c, n)
			cap++;
		out->areas = hd_arena_alloc(a, cap * sizeof(*out->areas));
		if (!out->areas)
			return HD_ENOMEM;
		HD_XML_EACH(c, n) {
			const char *v = hd_xml_text(x, a, c, 1);
			int k = v ? hd_vocab_index(hd_area_codes, hd_area_count, v) : -1;
			if (!v && x->oom)
				return HD_ENOMEM;
			if (k < 0)
				continue; /* the schema allows no other */
			if (seen & (1u << k)) {
				hd_xml_error_c(x, c, HD_DIAG_DUPLICATE, "list each area once",
				               "area '%s' is listed twice", v);
				continue;
			}
			seen |= 1u << k;
			out->areas[out->nareas++] = hd_area_codes[k];
		}
	}
	x->field = "pressure";
	if ((n = hd_xml_child(pn, "pressure")) != NULL) {
		const char *v = hd_xml_text(x, a, n, 1);
		int k = v ? hd_vocab_index(hd_pressures, hd_pressure_count, v) : -1;
		if (!v && x->oom)
			return HD_ENOMEM;
		out->pressure = k >= 0 ? hd_pressures[k] : NULL;
	}
	x->field = "tips";
	if (hd_xml_refs(x, a, hd_xml_child(pn, "selfcare"), "tip", &out->tips, &out->ntips))
		return HD_ENOMEM;
	x->field = NULL;
	return HD_OK;
}

int hd_convert_presets(hd_presets_rec **out, hd_xml *x)
{
	hd_presets_rec *p = calloc(1, sizeof(*p));
	xmlNodePtr n;
	size_t cap = 0, i;
	int rc = HD_OK;

	*out = NULL;
	if (!p)
		return HD_ENOMEM;
	p->file = hd_arena_strdup(&p->arena, x->path);
	HD_XML_EACH(n, x->root)
		cap++;
	p->items = hd_arena_alloc(&p->arena, (cap ? cap : 1) * sizeof(*p->items));
	if (!p->file || !p->items) {
		hd_presets_rec_free(p);
		return HD_ENOMEM;
	}
	HD_XML_EACH(n, x->root) {
		hd_preset *pr = &p->items[p->count];
		if ((rc = read_preset(x, p, n, pr)) != HD_OK)
			break;
		/* ids are few (buttons on a page): compare each with the earlier ones */
		for (i = 0; i < p->count; i++) {
			if (!strcmp(p->items[i].id, pr->id)) {
				char hint[64];
				snprintf(hint, sizeof(hint), "it is already used on line %d", p->items[i].line);
				hd_xml_error_c(x, n, HD_DIAG_DUPLICATE, hint,
				               "the programme id '%s' is used twice", pr->id);
				break;
			}
		}
		p->count++;
	}
	if (!rc)
		rc = hd_xml_status(x);
	if (rc) {
		hd_presets_rec_free(p);
		return rc;
	}
	*out = p;
	return HD_OK;
}

int hd_load_presets(hd_presets_rec **out, hd_loader *l, const char *path, const hd_library *lib,
                    hd_diags *d)
{
	hd_xml x;
	int rc, r;

	*out = NULL;
	rc = hd_xml_open(&x, l, path, HD_MAX_RECORD_FILE, HD_VOCAB_PRESETS, HD_XML_KEEP_INVALID, d);
	if (rc) {
		if (rc == HD_EINPUT && x.doc && hd_session_check_refs(&x, lib) == HD_ENOMEM)
			rc = HD_ENOMEM;
		hd_xml_close(&x);
		return rc;
	}
	rc = hd_convert_presets(out, &x);
	r = rc == HD_ENOMEM ? HD_OK : hd_session_check_refs(&x, lib);
	if (r == HD_ENOMEM || (r && !rc)) {
		rc = r;
		hd_presets_rec_free(*out);
		*out = NULL;
	}
	hd_xml_close(&x);
	return rc;
}
