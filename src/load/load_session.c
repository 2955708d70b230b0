/*
 * load_session: a client's session record (urn:handout:session:1) into an
 * hd_session_rec. The schema has checked the structure; this file checks what
 * it cannot (real dates, no duplicates, non-empty names) and copies the
 * values, whitespace-collapsed, into the record's arena.
 */
#include "load_xml.h"

#include <stdlib.h>
#include <string.h>

/* An id and where it is in its list, for finding ids listed twice. */
typedef struct ref_pos {
	const char *id;
	size_t i;
} ref_pos;

/* qsort order: by id, then by position in the list. */
static int cmp_ref_pos(const void *pa, const void *pb)
{
	const ref_pos *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);
	if (c)
		return c;
	return (a->i > b->i) - (a->i < b->i);
}

/* Sets first[i] to the index of the first ref with the same id as refs[i]
 * when that is an earlier one, else to count. Sorting makes it O(n log n):
 * a 1 MB record can list some 50,000 refs, too many to compare every pair.
 * Returns HD_OK or HD_ENOMEM. */
static int find_repeats(const hd_ref *refs, size_t count, size_t *first)
{
	ref_pos *pos = malloc((count ? count : 1) * sizeof(*pos));
	size_t i;

	if (!pos)
		return HD_ENOMEM;
	for (i = 0; i < count; i++) {
		pos[i].id = refs[i].id;
		pos[i].i = i;
		first[i] = count;
	}
	qsort(pos, count, sizeof(*pos), cmp_ref_pos);
	for (i = 1; i < count; i++) {
		size_t head = first[pos[i - 1].i] < count ? first[pos[i - 1].i] : pos[i - 1].i;
		if (strcmp(pos[i].id, pos[i - 1].id) == 0)
			first[pos[i].i] = head;
	}
	free(pos);
	return HD_OK;
}

/* Reads <techniques> or <selfcare> refs into an array in the arena.
 * Reports any id listed twice, in document order. Returns HD_OK or
 * HD_ENOMEM. */
int hd_xml_refs(hd_xml *x, hd_arena *a, xmlNodePtr list, const char *what, hd_ref **out,
                size_t *count)
{
	xmlNodePtr n;
	size_t cap = 0, i;
	size_t *first;
	hd_ref *refs;

	*out = NULL;
	*count = 0;
	if (!list)
		return HD_OK;
	HD_XML_EACH(n, list)
		cap++;
	refs = hd_arena_alloc(a, cap * sizeof(*refs));
	if (!refs)
		return HD_ENOMEM;
	HD_XML_EACH(n, list) {
		hd_ref *r = &refs[*count];
		const char *dose = hd_xml_attr(n, "dose");

		r->id = hd_xml_collapse(x, a, hd_xml_attr(n, "ref"));
		if (!r->id)
			return HD_ENOMEM;
		r->line = hd_xml_line(n);
		r->col = 0;
		if (dose) {
			char what_dose[160];
			const char *v = hd_xml_collapse(x, a, dose);
			if (!v)
				return HD_ENOMEM;
			snprintf(what_dose, sizeof(what_dose), "the dose of %s '%s'", what, r->id);
			r->dose = hd_xml_limit(x, a, n, v, &hd_field_dose, what_dose);
			if (!r->dose && x->oom)
				return HD_ENOMEM;
			if (r->dose && !*r->dose) {
				hd_xml_error_c(x, n, HD_DIAG_EMPTY, "write the dose, or leave out dose=\"\" to use the default",
				             "the dose of %s '%s' is empty", what, r->id);
				r->dose = NULL;
			}
		}
		(*count)++;
	}
	first = malloc((cap ? cap : 1) * sizeof(*first));
	if (!first || find_repeats(refs, *count, first)) {
		free(first);
		return HD_ENOMEM;
	}
	i = 0;
	HD_XML_EACH(n, list) {
		if (first[i] < *count) {
			char hint[64];
			snprintf(hint, sizeof(hint), "it is already listed on line %d", refs[first[i]].line);
			hd_xml_error_c(x, n, HD_DIAG_DUPLICATE, hint, "%s '%s' is listed twice", what,
			               refs[i].id);
		}
		i++;
	}
	free(first);
	*out = refs;
	return HD_OK;
}

/* Reads <areas>: codes from the fixed list (the schema allows no other),
 * pointing at the static strings of hd_area_codes. */
static int read_areas(hd_xml *x, hd_arena *a, xmlNodePtr list, hd_session_rec *s)
{
	xmlNodePtr n;
	size_t cap = 0, i, j;
	char code[64];
	const char **areas;

	HD_XML_EACH(n, list)
		cap++;
	areas = hd_arena_alloc(a, (cap ? cap : 1) * sizeof(*areas));
	if (!areas)
		return HD_ENOMEM;
	HD_XML_EACH(n, list) {
		const char *v = hd_xml_text(x, a, n, 1);
		const char *known = NULL;
		if (!v) {
			if (x->oom)
				return HD_ENOMEM;
			continue;
		}
		snprintf(code, sizeof(code), "%s", v);
		for (i = 0; i < hd_area_count; i++) {
			if (strcmp(hd_area_codes[i], code) == 0)
				known = hd_area_codes[i];
		}
		if (!known) {
			hd_xml_error_c(x, n, HD_DIAG_BAD_VALUE, NULL, "'%s' is not an area", code);
			continue;
		}
		for (j = 0; j < s->nareas; j++) {
			if (areas[j] == known)
				break;
		}
		if (j < s->nareas) {
			hd_xml_error_c(x, n, HD_DIAG_DUPLICATE, "list each area once",
			               "area '%s' is listed twice", known);
			continue;
		}
		areas[s->nareas++] = known;
	}
	s->areas = areas;
	return HD_OK;
}

/* Fills s from the valid document x. Returns HD_OK, HD_EINPUT or HD_ENOMEM. */
static int read_session(hd_session_rec *s, hd_xml *x)
{
	hd_arena *a = &s->arena;
	xmlNodePtr root = x->root, n, client;
	const char *v;

	s->file = hd_arena_strdup(a, x->path);
	s->lang = "en";
	s->paper = HD_PAPER_A4;
	s->next_visit.hour = s->next_visit.minute = -1;
	s->pain_before = s->pain_after = -1;
	if (!s->file)
		return HD_ENOMEM;

	client = hd_xml_child(root, "client");
	x->field = "client_id";
	if ((v = hd_xml_attr(client, "id")) && !(s->client_id = hd_xml_collapse(x, a, v)))
		return HD_ENOMEM;
	x->field = "client";
	s->client = hd_xml_field(x, a, hd_xml_child(client, "name"), &hd_field_client);
	x->field = "email";
	if ((n = hd_xml_child(client, "email")))
		s->email = hd_xml_field(x, a, n, &hd_field_email);

	x->field = "date";
	n = hd_xml_child(root, "date");
	if ((v = hd_xml_text(x, a, n, 1))) {
		const char *time = hd_xml_attr(n, "time");
		char when[64];
		if (time && (time = hd_xml_collapse(x, a, time))) {
			/* The schema has checked both shapes: YYYY-MM-DD and HH:MM. */
			snprintf(when, sizeof(when), "%.10sT%.5s", v, time);
			hd_xml_date(x, n, when, 1, &s->date);
		} else if (time) {
			return HD_ENOMEM;
		} else {
			hd_xml_date(x, n, v, 0, &s->date);
		}
	}
	x->field = "therapist";
	s->therapist = hd_xml_field(x, a, hd_xml_child(root, "therapist"), &hd_field_therapist);

	x->field = "language";
	if ((n = hd_xml_child(root, "language")) && (v = hd_xml_text(x, a, n, 1)))
		s->lang = v;
	if ((n = hd_xml_child(root, "print"))) {
		const char *size = hd_xml_attr(n, "size"), *paper = hd_xml_attr(n, "paper");
		s->large_print = size && strstr(size, "large") != NULL;
		s->paper = paper && strstr(paper, "letter") ? HD_PAPER_LETTER : HD_PAPER_A4;
	}
	x->field = "techniques";
	if (hd_xml_refs(x, a, hd_xml_child(root, "techniques"), "technique", &s->techniques,
	              &s->ntechniques))
		return HD_ENOMEM;
	x->field = "areas";
	if (read_areas(x, a, hd_xml_child(root, "areas"), s))
		return HD_ENOMEM;
	x->field = "pressure";
	if ((n = hd_xml_child(root, "pressure")))
		s->pressure = hd_xml_text(x, a, n, 1);
	x->field = "pain_before";
	if ((n = hd_xml_child(root, "pain"))) {
		/* The schema allows 0-10 only. */
		if ((v = hd_xml_attr(n, "before")))
			s->pain_before = atoi(v);
		if ((v = hd_xml_attr(n, "after")))
			s->pain_after = atoi(v);
	}
	x->field = "notes";
	if ((n = hd_xml_child(root, "notes")))
		s->notes = hd_xml_blocks(x, a, n);
	x->field = "tips";
	if (hd_xml_refs(x, a, hd_xml_child(root, "selfcare"), "tip", &s->tips, &s->ntips))
		return HD_ENOMEM;
	x->field = "next_visit";
	if ((n = hd_xml_child(root, "next-visit")) && (v = hd_xml_text(x, a, n, 1))) {
		if (hd_xml_date(x, n, v, 1, &s->next_visit) == HD_OK && s->date.year &&
		    HD_DATE_KEY(s->next_visit) < HD_DATE_KEY(s->date))
			hd_xml_error_c(x, n, HD_DIAG_DATE_ORDER, "check the dates",
			               "the next visit (%.10s) is before this session", v);
	}
	x->field = NULL;
	return hd_xml_status(x);
}

/* Converts an open session document. On success *out is the caller's
 * (hd_session_rec_free); on failure NULL, with every problem reported. */
int hd_convert_session(hd_session_rec **out, hd_xml *x)
{
	hd_session_rec *s;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return HD_ENOMEM;
	rc = read_session(s, x);
	if (rc)
		goto cleanup;
	*out = s;
	s = NULL;
cleanup:
	hd_session_rec_free(s);
	return rc;
}

/* Checks every technique and tip reference of x against lib; see
 * load_xml.h. The whole tree is walked, not the converted record, so that
 * a session that failed its schema is checked too (its refs may be
 * anywhere). */
int hd_session_check_refs(hd_xml *x, const hd_library *lib)
{
	hd_arena a = HD_ARENA_INIT;
	xmlNodePtr n = x->root;
	int rc = HD_OK;

	while (n) {
		const hd_ref_kind *rk = hd_xml_is(n, "technique") ? &hd_ref_technique
		                        : hd_xml_is(n, "tip")     ? &hd_ref_tip
		                                                  : NULL;
		const char *raw = rk ? hd_xml_attr(n, "ref") : NULL;
		if (raw) {
			/* token: the schema allows white space around an id */
			const char *id = hd_xml_collapse(x, &a, raw);
			if (!id) {
				rc = HD_ENOMEM;
				break;
			}
			size_t before = x->d ? x->d->count : 0;
			if (hd_xml_is_id(id) &&
			    !hd_library_resolve(lib, rk, id, x->path, hd_xml_line(n), 0, x->d)) {
				hd_diags_tag(x->d, before, HD_DIAG_UNKNOWN_REF,
				             rk == &hd_ref_technique ? "techniques" : "tips");
				rc = HD_EINPUT;
			}
		}
		/* Next element in document order, without recursion. */
		if (hd_xml_elem(n->children)) {
			n = hd_xml_elem(n->children);
			continue;
		}
		while (n && n != x->root && !hd_xml_elem(n->next))
			n = n->parent;
		n = n && n != x->root ? hd_xml_elem(n->next) : NULL;
	}
	hd_arena_free(&a);
	return rc;
}

/* Converts and checks an open document; closes it. */
static int finish_load(hd_session_rec **out, hd_xml *x, int rc, const hd_library *lib)
{
	int r = HD_OK;

	if (!rc)
		rc = hd_convert_session(out, x);
	if (lib && x->doc && rc != HD_ENOMEM)
		r = hd_session_check_refs(x, lib);
	if (r == HD_ENOMEM || (r && !rc)) {
		rc = r;
		hd_session_rec_free(*out);
		*out = NULL;
	}
	hd_xml_close(x);
	return rc;
}

int hd_load_session_mem(hd_session_rec **out, hd_loader *l, const char *name, const void *buf,
                        size_t len, const hd_library *lib, hd_diags *d)
{
	hd_xml x;
	int rc;

	*out = NULL;
	rc = hd_xml_open_mem(&x, l, name, buf, len, HD_MAX_RECORD_FILE, HD_VOCAB_SESSION,
	                     lib ? HD_XML_KEEP_INVALID : 0, d);
	return finish_load(out, &x, rc, lib);
}

/* Loads and checks a session record (size cap HD_MAX_RECORD_FILE); see
 * load.h for lib. On success *out is the caller's (hd_session_rec_free);
 * on failure NULL, with every problem in d. */
int hd_load_session(hd_session_rec **out, hd_loader *l, const char *path, const hd_library *lib,
                    hd_diags *d)
{
	hd_xml x;
	int rc;

	*out = NULL;
	rc = hd_xml_open(&x, l, path, HD_MAX_RECORD_FILE, HD_VOCAB_SESSION,
	                 lib ? HD_XML_KEEP_INVALID : 0, d);
	return finish_load(out, &x, rc, lib);
}
