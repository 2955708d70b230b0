/*
 * presets: the clinic's programmes (include/handout.h, "programmes"), loaded
 * and checked like every handout file, applied to a session through the
 * same setters a form uses.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "util.h"

struct hd_presets {
	hd_presets_rec *rec;
};

int hd_presets_load(hd_presets **out, hd_engine *e, const char *path, hd_diags *d)
{
	hd_presets *p;
	int r;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (!e || !path)
		return HD_EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return HD_ENOMEM;
	r = hd_load_presets(&p->rec, hd_engine_loader(e), path, hd_engine_library(e), d);
	if (r) {
		free(p);
		return r;
	}
	*out = p;
	return HD_OK;
}

void hd_presets_free(hd_presets *p)
{
	if (!p)
		return;
	hd_presets_rec_free(p->rec);
	free(p);
}

size_t hd_presets_count(const hd_presets *p)
{
	return p ? p->rec->count : 0;
}

int hd_preset_info(const hd_presets *p, size_t i, const char *lang, const char **id,
                   const char **title)
{
	const hd_preset *pr;
	size_t k;

	if (!p || i >= p->rec->count)
		return HD_EINVAL;
	pr = &p->rec->items[i];
	if (id)
		*id = pr->id;
	if (title) {
		*title = pr->ntitles ? pr->titles[0].text : pr->id;
		for (k = 0; lang && k < pr->ntitles; k++)
			if (!strcmp(pr->titles[k].lang, lang))
				*title = pr->titles[k].text;
	}
	return HD_OK;
}

int hd_preset_item(const hd_presets *p, size_t i, size_t j, const char **field,
                   const char **value, const char **dose)
{
	const hd_preset *pr;

	if (!p || i >= p->rec->count || !field || !value)
		return HD_EINVAL;
	pr = &p->rec->items[i];
	if (dose)
		*dose = NULL;
	if (j < pr->ntechniques) {
		*field = "techniques";
		*value = pr->techniques[j].id;
		return HD_OK;
	}
	j -= pr->ntechniques;
	if (j < pr->nareas) {
		*field = "areas";
		*value = pr->areas[j];
		return HD_OK;
	}
	j -= pr->nareas;
	if (pr->pressure) {
		if (j == 0) {
			*field = "pressure";
			*value = pr->pressure;
			return HD_OK;
		}
		j--;
	}
	if (j < pr->ntips) {
		*field = "tips";
		*value = pr->tips[j].id;
		if (dose)
			*dose = pr->tips[j].dose;
		return HD_OK;
	}
	return HD_EINVAL;
}

int hd_preset_apply(hd_session *s, const hd_presets *p, size_t i, hd_diags *d)
{
	const char *field, *value, *dose;
	size_t j;
	int worst = HD_OK;

	if (!s || !p || i >= p->rec->count)
		return HD_EINVAL;
	for (j = 0; hd_preset_item(p, i, j, &field, &value, &dose) == HD_OK; j++) {
		int r;
		if (!strcmp(field, "techniques"))
			r = hd_session_add_technique(s, value, d);
		else if (!strcmp(field, "areas"))
			r = hd_session_add_area(s, value, d);
		else if (!strcmp(field, "tips"))
			r = hd_session_add_tip(s, value, dose, d);
		else
			r = hd_session_set(s, field, value, d);
		if (r == HD_ENOMEM)
			return r;
		if (r)
			worst = r;
	}
	return worst;
}
