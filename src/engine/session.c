/*
 * session: hd_session, a session record in memory (include/handout.h,
 * "sessions in memory"). It wraps the model's hd_session_rec: loaded from
 * XML by the loader, or built field by field here with the checks of
 * model/check.c, the ones the XML loader makes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"
#include "util.h"

struct hd_session {
	hd_session_rec *rec;    /* owns the arena every value lives in */
	const hd_library *lib;  /* the engine's */
	char *file;             /* the origin of values set from now on, or NULL */
	int line;
	char *column;
	size_t cap_techniques, cap_tips, cap_areas; /* arrays grown in the arena */
	hd_block **notes_tail;  /* where the next note paragraph goes */
	int loaded;             /* from XML: complete and checked */
	int hour, minute;       /* the time of the visit, -1 when not given */
};

/* The session fields, in the order of the README's table. */
static const char *const field_names[] = { "client_id", "client", "email", "date", "time",
	"therapist", "language", "size", "paper", "techniques", "areas", "pressure", "pain_before",
	"pain_after", "notes", "tips", "next_visit" };

/* Values of the fields with a fixed list, as the schema has them. */
#define LANGUAGES "en|es"
#define SIZES "standard|large"
#define PAPERS "a4|letter"
#define PRESSURES "light|medium|firm|deep"

int hd_session_field_known(const char *name)
{
	size_t i;
	for (i = 0; name && i < HD_ARRAY_LEN(field_names); i++) {
		if (!strcmp(field_names[i], name))
			return 1;
	}
	return 0;
}

static int new_session(hd_session **out, hd_engine *e, hd_session_rec *rec)
{
	hd_session *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return HD_ENOMEM;
	if (!rec) {
		rec = calloc(1, sizeof(*rec));
		if (!rec) {
			free(s);
			return HD_ENOMEM;
		}
		rec->lang = "en";
		rec->paper = HD_PAPER_A4;
		rec->next_visit.hour = rec->next_visit.minute = -1;
		rec->date.hour = rec->date.minute = -1;
		rec->pain_before = rec->pain_after = -1;
	}
	s->rec = rec;
	s->lib = hd_engine_library(e);
	s->cap_techniques = rec->ntechniques;
	s->cap_tips = rec->ntips;
	s->cap_areas = rec->nareas;
	s->hour = s->minute = -1;
	s->notes_tail = &rec->notes;
	while (*s->notes_tail)
		s->notes_tail = &(*s->notes_tail)->next;
	*out = s;
	return HD_OK;
}

int hd_session_new(hd_session **out, hd_engine *e)
{
	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (!e)
		return HD_EINVAL;
	return new_session(out, e, NULL);
}

/* Wraps a loaded record (or frees it on failure). */
static int wrap(hd_session **out, hd_engine *e, hd_session_rec *rec, int r)
{
	if (r) {
		hd_session_rec_free(rec);
		return r;
	}
	r = new_session(out, e, rec);
	if (r)
		hd_session_rec_free(rec);
	else
		(*out)->loaded = 1;
	return r;
}

int hd_session_load_file(hd_session **out, hd_engine *e, const char *path, hd_diags *d)
{
	hd_session_rec *rec = NULL;
	int r;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (!e || !path)
		return HD_EINVAL;
	r = hd_load_session(&rec, hd_engine_loader(e), path, hd_engine_library(e), d);
	return wrap(out, e, rec, r);
}

int hd_session_load_buffer(hd_session **out, hd_engine *e, const char *name, const void *buf,
                           size_t len, hd_diags *d)
{
	hd_session_rec *rec = NULL;
	int r;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (!e || (!buf && len))
		return HD_EINVAL;
	r = hd_load_session_mem(&rec, hd_engine_loader(e), name ? name : "<buffer>", buf, len,
	                        hd_engine_library(e), d);
	return wrap(out, e, rec, r);
}

void hd_session_free(hd_session *s)
{
	if (!s)
		return;
	hd_session_rec_free(s->rec);
	free(s->file);
	free(s->column);
	free(s);
}

const hd_session_rec *hd_session_record(const hd_session *s)
{
	return s ? s->rec : NULL;
}

const char *hd_session_name(const hd_session *s)
{
	if (s->rec->file)
		return s->rec->file;
	return s->file ? s->file : "<session>";
}

const char *hd_session_client(const hd_session *s)
{
	return s && s->rec->client ? s->rec->client : "";
}

int hd_session_set_origin(hd_session *s, const char *file, int line, const char *column)
{
	char *f = NULL, *c = NULL;

	if (!s)
		return HD_EINVAL;
	if ((file && !(f = strdup(file))) || (column && !(c = strdup(column)))) {
		free(f);
		return HD_ENOMEM;
	}
	free(s->file);
	free(s->column);
	s->file = f;
	s->column = c;
	s->line = line > 0 ? line : 0;
	return HD_OK;
}

/* Where a value of field is given. */
static hd_where where(const hd_session *s, hd_diags *d, const char *field)
{
	hd_where w;
	memset(&w, 0, sizeof(w));
	w.d = d;
	w.file = s->file;
	w.line = s->line;
	w.field = field;
	w.column = s->column;
	return w;
}

/* A copy of value in the arena with XML white space (space, tab, CR, LF)
 * trimmed and each run collapsed to one space, as the loader does to every
 * text. NULL when out of memory. */
static char *collapse(hd_session *s, const char *value)
{
	size_t n = strlen(value), o = 0, i;
	char *out = hd_arena_alloc(&s->rec->arena, n + 1);
	int sp = 1;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		char ch = value[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			if (!sp)
				out[o++] = ' ';
			sp = 1;
		} else {
			out[o++] = ch;
			sp = 0;
		}
	}
	if (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

/* 1 when v has the shape of a library id, [a-z0-9-]+ (the schema's). */
static int is_id(const char *v)
{
	if (!*v)
		return 0;
	return strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(v);
}

/* A name or an email: collapsed, trimmed, limited; empty is an error for a
 * required one. *slot is set only when the value is accepted. */
static int set_text(hd_session *s, const char **slot, const char *field, const char *value,
                    const hd_text_field *f, int required, hd_diags *d)
{
	hd_where w = where(s, d, field);
	const char *v;
	int oom = 0;
	char *c = collapse(s, value);

	if (!c)
		return HD_ENOMEM;
	v = hd_check_limit(&s->rec->arena, &w, c, f, NULL, &oom);
	if (oom)
		return HD_ENOMEM;
	if (!v)
		return HD_EINPUT;
	if (!*v) {
		if (!required) {
			*slot = NULL;
			return HD_OK;
		}
		hd_where_error(&w, HD_DIAG_EMPTY, HD_SAY("empty", { NULL }),
		               "write it; no-break and other invisible spaces do not count", "%s is empty",
		               f->what);
		return HD_EINPUT;
	}
	if (f == &hd_field_email && !hd_check_email_shape(v)) {
		hd_where_error(&w, HD_DIAG_BAD_VALUE, HD_SAY("email", { v }), "write it as name@example.org",
		               "'%.200s' is not an email address", v);
		return HD_EINPUT;
	}
	*slot = v;
	return HD_OK;
}

/* One of a fixed list ("'hard' is not a pressure"). *slot gets the
 * accepted value (static string in the arena). */
static int set_choice(hd_session *s, const char **slot, const char *field, const char *value,
                      const char *choices, const char *what, hd_diags *d)
{
	hd_where w = where(s, d, field);
	char hint[128];
	char *c = collapse(s, value);

	if (!c)
		return HD_ENOMEM;
	if (!*c) {
		*slot = NULL;
		return HD_OK;
	}
	if (!hd_check_in_choices(choices, c)) {
		hd_check_choices_hint(hint, sizeof(hint), choices);
		hd_where_error(&w, HD_DIAG_BAD_VALUE, HD_SAY("choice", { c, choices }), hint,
		               "'%.200s' is not %s", c, what);
		return HD_EINPUT;
	}
	*slot = c;
	return HD_OK;
}

/* Grows an array in the arena to hold one more item. */
static int grow(hd_session *s, void **items, size_t count, size_t *cap, size_t size)
{
	void *n;
	size_t ncap;

	if (count < *cap)
		return HD_OK;
	ncap = *cap ? *cap * 2 : 4;
	n = hd_arena_alloc(&s->rec->arena, ncap * size);
	if (!n)
		return HD_ENOMEM;
	if (count)
		memcpy(n, *items, count * size);
	*items = n;
	*cap = ncap;
	return HD_OK;
}

/* A technique or tip reference: an id in the library, of the right kind,
 * not listed before. */
static int add_ref(hd_session *s, hd_ref **refs, size_t *count, size_t *cap,
                   const hd_ref_kind *rk, const char *what, const char *field, const char *id,
                   const char *dose, hd_diags *d)
{
	hd_where w = where(s, d, field);
	char *v = collapse(s, id);
	const char *dv = NULL;
	size_t i, before = d ? d->count : 0;
	void *items = *refs;
	int r;

	if (!v)
		return HD_ENOMEM;
	if (!is_id(v)) {
		hd_where_error(&w, HD_DIAG_BAD_VALUE, HD_SAY("id", { v }),
		               "ids use lower-case letters, digits and '-', e.g. deep-tissue",
		               "'%.200s' is not a library id", v);
		return HD_EINPUT;
	}
	for (i = 0; i < *count; i++) {
		if (!strcmp((*refs)[i].id, v)) {
			hd_where_error(&w, HD_DIAG_DUPLICATE, HD_SAY("duplicate", { v }), "list it once",
			               "%s '%s' is listed twice", what, v);
			return HD_EINPUT;
		}
	}
	if (!hd_library_resolve(s->lib, rk, v, s->file, s->line, 0, d)) {
		size_t k;
		hd_diags_tag(d, before, HD_DIAG_UNKNOWN_REF, field);
		for (k = before; s->column && d && k < d->count; k++) {
			if (d->items[k].code == HD_DIAG_UNKNOWN_REF && !d->items[k].column[0])
				snprintf(d->items[k].column, sizeof(d->items[k].column), "%s", s->column);
		}
		return HD_EINPUT;
	}
	if (dose) {
		char what_dose[160];
		int oom = 0;
		char *c = collapse(s, dose);
		if (!c)
			return HD_ENOMEM;
		snprintf(what_dose, sizeof(what_dose), "the dose of %s '%s'", what, v);
		w.subject = v;
		dv = hd_check_limit(&s->rec->arena, &w, c, &hd_field_dose, what_dose, &oom);
		if (oom)
			return HD_ENOMEM;
		if (!dv)
			return HD_EINPUT;
		if (!*dv) {
			hd_where_error(&w, HD_DIAG_EMPTY, HD_SAY("dose-empty", { v }),
			               "write the dose, or leave it out to use the default",
			               "the dose of %s '%s' is empty", what, v);
			return HD_EINPUT;
		}
	}
	r = grow(s, &items, *count, cap, sizeof(**refs));
	if (r)
		return r;
	*refs = items;
	memset(&(*refs)[*count], 0, sizeof(**refs));
	(*refs)[*count].id = v;
	(*refs)[*count].dose = dv;
	(*refs)[*count].line = s->line;
	(*count)++;
	return HD_OK;
}

int hd_session_add_technique(hd_session *s, const char *id, hd_diags *d)
{
	if (!s || !id)
		return HD_EINVAL;
	return add_ref(s, &s->rec->techniques, &s->rec->ntechniques, &s->cap_techniques,
	               &hd_ref_technique, "technique", "techniques", id, NULL, d);
}

int hd_session_add_tip(hd_session *s, const char *id, const char *dose, hd_diags *d)
{
	if (!s || !id)
		return HD_EINVAL;
	return add_ref(s, &s->rec->tips, &s->rec->ntips, &s->cap_tips, &hd_ref_tip, "tip", "tips",
	               id, dose, d);
}

int hd_session_add_area(hd_session *s, const char *code, hd_diags *d)
{
	hd_where w;
	const char *known = NULL, *sug;
	char *v;
	void *items;
	size_t i;
	int r;

	if (!s || !code)
		return HD_EINVAL;
	w = where(s, d, "areas");
	v = collapse(s, code);
	if (!v)
		return HD_ENOMEM;
	for (i = 0; i < hd_area_count; i++) {
		if (!strcmp(hd_area_codes[i], v))
			known = hd_area_codes[i];
	}
	if (!known) {
		char hint[96];
		sug = hd_check_suggest_area(v);
		if (sug)
			snprintf(hint, sizeof(hint), "did you mean '%s'?", sug);
		else
			snprintf(hint, sizeof(hint), "the areas are listed in xml/schema/session.rng");
		hd_where_error(&w, HD_DIAG_BAD_VALUE, HD_SAY(sug ? "did-you-mean" : "not-found", { v, sug }),
		               hint, "'%.200s' is not an area", v);
		return HD_EINPUT;
	}
	for (i = 0; i < s->rec->nareas; i++) {
		if (s->rec->areas[i] == known) {
			hd_where_error(&w, HD_DIAG_DUPLICATE, HD_SAY("duplicate", { known }),
			               "list each area once", "area '%s' is listed twice", known);
			return HD_EINPUT;
		}
	}
	items = (void *)s->rec->areas;
	r = grow(s, &items, s->rec->nareas, &s->cap_areas, sizeof(*s->rec->areas));
	if (r)
		return r;
	s->rec->areas = items;
	s->rec->areas[s->rec->nareas++] = known;
	return HD_OK;
}

int hd_session_set_client(hd_session *s, const char *name, hd_diags *d)
{
	if (!s || !name)
		return HD_EINVAL;
	return set_text(s, &s->rec->client, "client", name, &hd_field_client, 1, d);
}

int hd_session_set_email(hd_session *s, const char *email, hd_diags *d)
{
	if (!s || !email)
		return HD_EINVAL;
	return set_text(s, &s->rec->email, "email", email, &hd_field_email, 0, d);
}

int hd_session_set_therapist(hd_session *s, const char *name, hd_diags *d)
{
	if (!s || !name)
		return HD_EINVAL;
	return set_text(s, &s->rec->therapist, "therapist", name, &hd_field_therapist, 1, d);
}

/* A date (or date and time) field; empty unsets an optional one. */
static int set_date(hd_session *s, hd_date *slot, const char *field, const char *value,
                    int allow_time, hd_diags *d)
{
	hd_where w = where(s, d, field);
	hd_date dt;
	char *v = collapse(s, value);

	if (!v)
		return HD_ENOMEM;
	if (!*v) {
		memset(slot, 0, sizeof(*slot));
		slot->hour = slot->minute = -1;
		return HD_OK;
	}
	if (hd_check_date(&w, v, allow_time, &dt))
		return HD_EINPUT;
	*slot = dt;
	return HD_OK;
}

int hd_session_set_date(hd_session *s, const char *value, hd_diags *d)
{
	int r;
	if (!s || !value)
		return HD_EINVAL;
	r = set_date(s, &s->rec->date, "date", value, 0, d);
	if (!r && s->rec->date.year) {
		s->rec->date.hour = s->hour;
		s->rec->date.minute = s->minute;
	}
	return r;
}

int hd_session_set_time(hd_session *s, const char *hh_mm, hd_diags *d)
{
	hd_where w;
	char *v;

	if (!s || !hh_mm)
		return HD_EINVAL;
	w = where(s, d, "time");
	v = collapse(s, hh_mm);
	if (!v)
		return HD_ENOMEM;
	if (!*v) {
		s->hour = s->minute = -1;
	} else if (!hd_check_time(v)) {
		hd_where_error(&w, HD_DIAG_BAD_VALUE, HD_SAY("time", { v }),
		               "write a 24-hour time as HH:MM, e.g. 09:30", "'%.200s' is not a time", v);
		return HD_EINPUT;
	} else {
		s->hour = (v[0] - '0') * 10 + (v[1] - '0');
		s->minute = (v[3] - '0') * 10 + (v[4] - '0');
	}
	if (s->rec->date.year) {
		s->rec->date.hour = s->hour;
		s->rec->date.minute = s->minute;
	}
	return HD_OK;
}

int hd_session_set_client_id(hd_session *s, const char *id, hd_diags *d)
{
	hd_where w;
	char *v;

	if (!s || !id)
		return HD_EINVAL;
	w = where(s, d, "client_id");
	v = collapse(s, id);
	if (!v)
		return HD_ENOMEM;
	if (*v && !hd_check_client_id(v)) {
		hd_where_error(&w, HD_DIAG_BAD_VALUE, HD_SAY("client-id", { v }),
		               "use up to 64 letters, digits, '.', '_' or '-', starting with a letter or "
		               "digit, e.g. c-0042", "'%.200s' is not a client id", v);
		return HD_EINPUT;
	}
	s->rec->client_id = *v ? v : NULL;
	return HD_OK;
}

const char *hd_session_client_id(const hd_session *s)
{
	return s ? s->rec->client_id : NULL;
}

/* A pain score, 0 to 10; empty: not given. */
static int set_pain(hd_session *s, int *slot, const char *field, const char *value, hd_diags *d)
{
	hd_where w = where(s, d, field);
	char *v = collapse(s, value);

	if (!v)
		return HD_ENOMEM;
	if (!*v) {
		*slot = -1;
		return HD_OK;
	}
	if (!hd_check_in_choices("0|1|2|3|4|5|6|7|8|9|10", v)) {
		hd_where_error(&w, HD_DIAG_BAD_VALUE, HD_SAY("pain", { v }),
		               "use a whole number from 0 (no pain) to 10 (the worst pain imaginable)",
		               "'%.200s' is not a pain score", v);
		return HD_EINPUT;
	}
	*slot = atoi(v);
	return HD_OK;
}

int hd_session_set_pain(hd_session *s, int before, int after)
{
	if (!s || before < -1 || before > 10 || after < -1 || after > 10)
		return HD_EINVAL;
	s->rec->pain_before = before;
	s->rec->pain_after = after;
	return HD_OK;
}

int hd_session_set_next_visit(hd_session *s, const char *value, hd_diags *d)
{
	if (!s || !value)
		return HD_EINVAL;
	return set_date(s, &s->rec->next_visit, "next_visit", value, 1, d);
}

int hd_session_set_language(hd_session *s, const char *lang, hd_diags *d)
{
	const char *v = NULL;
	int r;

	if (!s || !lang)
		return HD_EINVAL;
	r = set_choice(s, &v, "language", lang, LANGUAGES, "a supported language", d);
	if (!r)
		s->rec->lang = v ? v : "en";
	return r;
}

int hd_session_set_pressure(hd_session *s, const char *pressure, hd_diags *d)
{
	if (!s || !pressure)
		return HD_EINVAL;
	return set_choice(s, &s->rec->pressure, "pressure", pressure, PRESSURES, "a pressure", d);
}

int hd_session_set_paper(hd_session *s, hd_paper paper)
{
	if (!s || (paper != HD_PAPER_A4 && paper != HD_PAPER_LETTER))
		return HD_EINVAL;
	s->rec->paper = paper;
	return HD_OK;
}

int hd_session_set_large_print(hd_session *s, int large)
{
	if (!s)
		return HD_EINVAL;
	s->rec->large_print = large != 0;
	return HD_OK;
}

int hd_session_add_note(hd_session *s, const char *paragraph, hd_diags *d)
{
	hd_block *b;
	int sp = 1;

	if (!s || !paragraph)
		return HD_EINVAL;
	b = hd_block_new(&s->rec->arena, HD_BLK_PARA);
	if (!b || hd_block_add_text_collapse(&s->rec->arena, b, HD_REGULAR, paragraph,
	                                     strlen(paragraph), &sp) < 0)
		return HD_ENOMEM;
	hd_block_trim(b);
	if (!b->spans) {
		hd_where w = where(s, d, "notes");
		hd_where_error(&w, HD_DIAG_EMPTY, HD_SAY("empty", { NULL }),
		               "write the text, or leave the note out", "the paragraph is empty");
		return HD_EINPUT;
	}
	*s->notes_tail = b;
	s->notes_tail = &b->next;
	return HD_OK;
}

/* Calls add for each item of a list: separated by any byte of seps; empty
 * items are skipped. Every item is tried, so every problem is reported. */
static int each_item(hd_session *s, const char *value, const char *seps, hd_diags *d,
                     int (*add)(hd_session *, char *, hd_diags *))
{
	char *copy = strdup(value), *p, *save = NULL;
	int worst = HD_OK;

	if (!copy)
		return HD_ENOMEM;
	for (p = strtok_r(copy, seps, &save); p; p = strtok_r(NULL, seps, &save)) {
		int r;
		size_t kept, start = hd_utf8_trim(p, strlen(p), &kept);
		p[start + kept] = '\0';
		p += start;
		if (!*p || strspn(p, " \t\r\n") == strlen(p))
			continue;
		r = add(s, p, d);
		if (r == HD_ENOMEM) {
			worst = r;
			break;
		}
		if (r && !worst)
			worst = r;
	}
	free(copy);
	return worst;
}

static int add_technique_item(hd_session *s, char *item, hd_diags *d)
{
	return hd_session_add_technique(s, item, d);
}

static int add_area_item(hd_session *s, char *item, hd_diags *d)
{
	return hd_session_add_area(s, item, d);
}

static int add_tip_item(hd_session *s, char *item, hd_diags *d)
{
	char *colon = strchr(item, ':');
	if (colon) {
		*colon = '\0';
		return hd_session_add_tip(s, item, colon + 1, d);
	}
	return hd_session_add_tip(s, item, NULL, d);
}

static int add_note_item(hd_session *s, char *item, hd_diags *d)
{
	return hd_session_add_note(s, item, d);
}

int hd_session_set(hd_session *s, const char *field, const char *value, hd_diags *d)
{
	const char *v = NULL;
	int r;

	if (!s || !field || !value)
		return HD_EINVAL;
	if (!strcmp(field, "client"))
		return hd_session_set_client(s, value, d);
	if (!strcmp(field, "client_id"))
		return hd_session_set_client_id(s, value, d);
	if (!strcmp(field, "time"))
		return hd_session_set_time(s, value, d);
	if (!strcmp(field, "pain_before"))
		return set_pain(s, &s->rec->pain_before, "pain_before", value, d);
	if (!strcmp(field, "pain_after"))
		return set_pain(s, &s->rec->pain_after, "pain_after", value, d);
	if (!strcmp(field, "email"))
		return hd_session_set_email(s, value, d);
	if (!strcmp(field, "date"))
		return hd_session_set_date(s, value, d);
	if (!strcmp(field, "therapist"))
		return hd_session_set_therapist(s, value, d);
	if (!strcmp(field, "language"))
		return hd_session_set_language(s, value, d);
	if (!strcmp(field, "pressure"))
		return hd_session_set_pressure(s, value, d);
	if (!strcmp(field, "next_visit"))
		return hd_session_set_next_visit(s, value, d);
	if (!strcmp(field, "size")) {
		r = set_choice(s, &v, "size", value, SIZES, "a print size", d);
		if (!r && v)
			s->rec->large_print = !strcmp(v, "large");
		return r;
	}
	if (!strcmp(field, "paper")) {
		r = set_choice(s, &v, "paper", value, PAPERS, "a paper size", d);
		if (!r && v)
			s->rec->paper = !strcmp(v, "letter") ? HD_PAPER_LETTER : HD_PAPER_A4;
		return r;
	}
	if (!strcmp(field, "techniques"))
		return each_item(s, value, ",; \t\r\n", d, add_technique_item);
	if (!strcmp(field, "areas"))
		return each_item(s, value, ",; \t\r\n", d, add_area_item);
	if (!strcmp(field, "tips"))
		return each_item(s, value, ";\r\n", d, add_tip_item);
	if (!strcmp(field, "notes"))
		return each_item(s, value, "\r\n", d, add_note_item);
	{
		hd_where w = where(s, d, NULL);
		hd_where_error(&w, HD_DIAG_BAD_VALUE, HD_SAY("field", { field }),
		               "the fields are client_id, client, email, date, time, therapist, language, "
		               "size, paper, techniques, areas, pressure, pain_before, pain_after, notes, "
		               "tips and next_visit",
		               "'%.100s' is not a session field", field);
	}
	return HD_EINVAL;
}

int hd_session_check(const hd_session *s, hd_doc_kind kind, hd_diags *d)
{
	const hd_session_rec *r;
	hd_where w;
	int bad = 0;

	if (!s || kind < 0 || kind >= HD_KIND_COUNT)
		return HD_EINVAL;
	r = s->rec;
	if (s->loaded) /* the XML loader made every check */
		return HD_OK;
	w = where(s, d, NULL);
	w.column = NULL;
	w.errors = &bad;
#define MISSING(cond, fld, hint, what) \
	do { \
		if (cond) { \
			w.field = fld; \
			hd_where_error(&w, HD_DIAG_MISSING, HD_SAY("missing", { NULL }), hint, \
			               "%s is missing", what); \
		} \
	} while (0)
	MISSING(!r->client, "client", "give the client's name", "the client's name");
	if (kind != HD_KIND_BROCHURE) {
		MISSING(!r->date.year, "date", "give the session's date as YYYY-MM-DD", "the date");
		MISSING(!r->therapist, "therapist", "give the therapist's name", "the therapist's name");
		MISSING(!r->ntechniques, "techniques", "give at least one technique's id",
		        "the list of techniques");
		MISSING(!r->nareas, "areas", "give at least one area worked on", "the list of areas");
	}
#undef MISSING
	if (r->next_visit.year && r->date.year && HD_DATE_KEY(r->next_visit) < HD_DATE_KEY(r->date)) {
		char nv[16];
		w.field = "next_visit";
		snprintf(nv, sizeof(nv), "%04d-%02d-%02d", r->next_visit.year, r->next_visit.month,
		         r->next_visit.day);
		hd_where_error(&w, HD_DIAG_DATE_ORDER, HD_SAY("date-order", { nv }), "check the dates",
		               "the next visit (%04d-%02d-%02d) is before this session",
		               r->next_visit.year, r->next_visit.month, r->next_visit.day);
	}
	return bad ? HD_EINPUT : HD_OK;
}

/* ----- notes written in light markup (a form's text box) ----------------- */

/* Appends the inline text of one line to b: "**strong**" and "*em*" (or
 * "_em_") switch emphasis on and off; a marker with no closing partner on
 * the same line is kept as text. */
static int add_inline(hd_session *s, hd_block *b, const char *p, size_t n, int *sp)
{
	unsigned style = HD_REGULAR;
	size_t i = 0, start = 0;

	while (i < n) {
		size_t mlen = 0;
		unsigned bit = 0;
		if (p[i] == '*' && i + 1 < n && p[i + 1] == '*') {
			mlen = 2;
			bit = HD_BOLD;
		} else if (p[i] == '*' || p[i] == '_') {
			mlen = 1;
			bit = HD_ITALIC;
		}
		if (mlen) {
			/* an opening marker needs its partner later on the line */
			int opening = !(style & bit);
			int ok = 1;
			if (opening) {
				const char *rest = p + i + mlen;
				size_t left = n - i - mlen, k;
				ok = 0;
				for (k = 0; k + mlen <= left; k++) {
					if (!memcmp(rest + k, p + i, mlen) && k > 0 &&
					    (mlen == 2 || k + 1 >= left || rest[k + 1] != p[i])) {
						ok = 1;
						break;
					}
				}
				/* an underscore inside a word (snake_case) is text */
				if (ok && p[i] == '_' && i > 0 && p[i - 1] != ' ')
					ok = 0;
			}
			if (ok) {
				if (i > start &&
				    hd_block_add_text_collapse(&s->rec->arena, b, style, p + start, i - start, sp))
					return HD_ENOMEM;
				style ^= bit;
				i += mlen;
				start = i;
				continue;
			}
		}
		i++;
	}
	if (n > start && hd_block_add_text_collapse(&s->rec->arena, b, style, p + start, n - start, sp))
		return HD_ENOMEM;
	return HD_OK;
}

/* The list marker a line starts with: 1 for "- " or "* " (bullets), 2 for
 * "1. " or "1) " (numbers); *skip is its length. 0 for none. */
static int list_marker(const char *p, size_t n, size_t *skip)
{
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i + 1 < n && (p[i] == '-' || p[i] == '*') && p[i + 1] == ' ') {
		*skip = i + 2;
		return 1;
	}
	if (i + 3 < n && !memcmp(p + i, "\xe2\x80\xa2 ", 4)) { /* U+2022 BULLET */
		*skip = i + 4;
		return 1;
	}
	if (i < n && p[i] >= '0' && p[i] <= '9') {
		size_t j = i;
		while (j < n && j - i < 3 && p[j] >= '0' && p[j] <= '9')
			j++;
		if (j + 1 < n && (p[j] == '.' || p[j] == ')') && p[j + 1] == ' ') {
			*skip = j + 2;
			return 2;
		}
	}
	return 0;
}

int hd_session_add_notes_text(hd_session *s, const char *text, hd_diags *d)
{
	const char *p, *end;
	hd_block *para = NULL, *list = NULL, *item = NULL;
	int list_kind = 0, sp = 1, r;

	if (!s || !text)
		return HD_EINVAL;
	for (p = text, end = text + strlen(text); p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p), skip = 0, k;
		int mk;

		if (n && p[n - 1] == '\r')
			n--;
		for (k = 0; k < n && (p[k] == ' ' || p[k] == '\t'); k++)
			;
		if (k == n) { /* a blank line ends a paragraph or a list */
			para = list = item = NULL;
			list_kind = 0;
		} else if ((mk = list_marker(p, n, &skip)) != 0) {
			para = NULL;
			if (!list || mk != list_kind) {
				list = hd_block_new(&s->rec->arena, HD_BLK_LIST);
				if (!list)
					return HD_ENOMEM;
				if (mk == 2)
					list->flags |= HD_BF_ORDERED;
				list_kind = mk;
				*s->notes_tail = list;
				s->notes_tail = &list->next;
			}
			item = hd_block_new(&s->rec->arena, HD_BLK_ITEM);
			if (!item)
				return HD_ENOMEM;
			hd_block_add_child(list, item);
			sp = 1;
			if ((r = add_inline(s, item, p + skip, n - skip, &sp)) != HD_OK)
				return r;
		} else if (item) { /* a line under an item continues it */
			if ((r = add_inline(s, item, p, n, &sp)) != HD_OK ||
			    (r = hd_block_add_text_collapse(&s->rec->arena, item, HD_REGULAR, " ", 1, &sp)))
				return r ? r : HD_ENOMEM;
		} else {
			if (!para) {
				para = hd_block_new(&s->rec->arena, HD_BLK_PARA);
				if (!para)
					return HD_ENOMEM;
				*s->notes_tail = para;
				s->notes_tail = &para->next;
				sp = 1;
			} else if (hd_block_add_text_collapse(&s->rec->arena, para, HD_REGULAR, " ", 1, &sp)) {
				return HD_ENOMEM;
			}
			if ((r = add_inline(s, para, p, n, &sp)) != HD_OK)
				return r;
		}
		p += (eol ? (size_t)(eol - p) + 1 : (size_t)(end - p));
	}
	/* Trim every block made; drop any left empty (a line of markers only). */
	{
		hd_block **b = &s->rec->notes;
		while (*b) {
			if ((*b)->kind == HD_BLK_LIST) {
				hd_block *c;
				for (c = (*b)->children; c; c = c->next)
					hd_block_trim(c);
			} else {
				hd_block_trim(*b);
			}
			if ((*b)->kind == HD_BLK_PARA && !(*b)->spans) {
				*b = (*b)->next;
				continue;
			}
			b = &(*b)->next;
		}
		s->notes_tail = b;
	}
	return HD_OK;
}

/* ----- the session as a record file --------------------------------------- */

/* Appends s escaped for XML text or an attribute value. */
static int put_esc(hd_buf *b, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: break;
		}
		if (rep ? hd_buf_puts(b, rep) : hd_buf_putc(b, s[i]))
			return HD_ENOMEM;
	}
	return HD_OK;
}

static int put_text(hd_buf *b, const char *s)
{
	return put_esc(b, s, strlen(s));
}

/* The spans of a block as mixed content: <strong> and <em> around styled runs. */
static int put_spans(hd_buf *b, const hd_span *sp)
{
	for (; sp; sp = sp->next) {
		int bold = (sp->style & HD_BOLD) != 0, it = (sp->style & HD_ITALIC) != 0;
		if ((bold && hd_buf_puts(b, "<strong>")) || (it && hd_buf_puts(b, "<em>")) ||
		    put_esc(b, sp->text, sp->len) || (it && hd_buf_puts(b, "</em>")) ||
		    (bold && hd_buf_puts(b, "</strong>")))
			return HD_ENOMEM;
	}
	return HD_OK;
}

/* 1 when text may go into XML 1.0: valid UTF-8 without control characters
 * other than tab, line feed and carriage return. */
static int xml_ok(const char *s, size_t n)
{
	size_t i;
	if (hd_utf8_check(s, n) != n)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return 0;
	}
	return 1;
}

static int blocks_ok(const hd_block *bl)
{
	for (; bl; bl = bl->next) {
		const hd_span *sp;
		for (sp = bl->spans; sp; sp = sp->next)
			if (!xml_ok(sp->text, sp->len))
				return 0;
		if (!blocks_ok(bl->children))
			return 0;
	}
	return 1;
}

int hd_session_write_xml(char **out, size_t *len, const hd_session *s, hd_diags *d)
{
	hd_buf b = HD_BUF_INIT;
	const hd_session_rec *r;
	const hd_block *bl;
	const char *texts[4];
	size_t i;
	int bad = 0;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (len)
		*len = 0;
	if (!s)
		return HD_EINVAL;
	if (hd_session_check(s, HD_KIND_AFTERCARE, d))
		return HD_EINPUT;
	r = s->rec;
	texts[0] = r->client;
	texts[1] = r->therapist;
	texts[2] = r->email;
	texts[3] = r->pressure;
	for (i = 0; i < HD_ARRAY_LEN(texts); i++)
		if (texts[i] && !xml_ok(texts[i], strlen(texts[i])))
			bad = 1;
	for (i = 0; i < r->ntips; i++)
		if (r->tips[i].dose && !xml_ok(r->tips[i].dose, strlen(r->tips[i].dose)))
			bad = 1;
	if (bad || !blocks_ok(r->notes)) {
		hd_where w = where(s, d, NULL);
		hd_where_error(&w, HD_DIAG_ENCODING, HD_SAY("encoding", { NULL }),
		               "type the text again, without control characters",
		               "the session has text that is not UTF-8 or has control characters");
		return HD_EINPUT;
	}
	hd_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                "<session xmlns=\"urn:handout:session:1\" version=\"1\">\n  <client");
	if (r->client_id) {
		hd_buf_puts(&b, " id=\"");
		put_text(&b, r->client_id);
		hd_buf_puts(&b, "\"");
	}
	hd_buf_puts(&b, ">\n    <name>");
	put_text(&b, r->client);
	hd_buf_puts(&b, "</name>\n");
	if (r->email) {
		hd_buf_puts(&b, "    <email>");
		put_text(&b, r->email);
		hd_buf_puts(&b, "</email>\n");
	}
	hd_buf_puts(&b, "  </client>\n  <date");
	if (r->date.hour >= 0)
		hd_buf_printf(&b, " time=\"%02d:%02d\"", r->date.hour, r->date.minute);
	hd_buf_printf(&b, ">%04d-%02d-%02d</date>\n  <therapist>", r->date.year, r->date.month,
	              r->date.day);
	put_text(&b, r->therapist);
	hd_buf_puts(&b, "</therapist>\n  <language>");
	put_text(&b, r->lang);
	hd_buf_printf(&b, "</language>\n  <print size=\"%s\" paper=\"%s\"/>\n  <techniques>\n",
	              r->large_print ? "large" : "standard",
	              r->paper == HD_PAPER_LETTER ? "letter" : "a4");
	for (i = 0; i < r->ntechniques; i++) {
		hd_buf_puts(&b, "    <technique ref=\"");
		put_text(&b, r->techniques[i].id);
		hd_buf_puts(&b, "\"/>\n");
	}
	hd_buf_puts(&b, "  </techniques>\n  <areas>\n");
	for (i = 0; i < r->nareas; i++) {
		hd_buf_puts(&b, "    <area>");
		put_text(&b, r->areas[i]);
		hd_buf_puts(&b, "</area>\n");
	}
	hd_buf_puts(&b, "  </areas>\n");
	if (r->pressure) {
		hd_buf_puts(&b, "  <pressure>");
		put_text(&b, r->pressure);
		hd_buf_puts(&b, "</pressure>\n");
	}
	if (r->pain_before >= 0 || r->pain_after >= 0) {
		hd_buf_puts(&b, "  <pain");
		if (r->pain_before >= 0)
			hd_buf_printf(&b, " before=\"%d\"", r->pain_before);
		if (r->pain_after >= 0)
			hd_buf_printf(&b, " after=\"%d\"", r->pain_after);
		hd_buf_puts(&b, "/>\n");
	}
	if (r->notes) {
		hd_buf_puts(&b, "  <notes>\n");
		for (bl = r->notes; bl; bl = bl->next) {
			if (bl->kind == HD_BLK_LIST) {
				const char *tag = (bl->flags & HD_BF_ORDERED) ? "ol" : "ul";
				const hd_block *it;
				hd_buf_printf(&b, "    <%s>\n", tag);
				for (it = bl->children; it; it = it->next) {
					hd_buf_puts(&b, "      <li>");
					put_spans(&b, it->spans);
					hd_buf_puts(&b, "</li>\n");
				}
				hd_buf_printf(&b, "    </%s>\n", tag);
			} else {
				hd_buf_puts(&b, "    <p>");
				put_spans(&b, bl->spans);
				hd_buf_puts(&b, "</p>\n");
			}
		}
		hd_buf_puts(&b, "  </notes>\n");
	}
	if (r->ntips) {
		hd_buf_puts(&b, "  <selfcare>\n");
		for (i = 0; i < r->ntips; i++) {
			hd_buf_puts(&b, "    <tip ref=\"");
			put_text(&b, r->tips[i].id);
			if (r->tips[i].dose) {
				hd_buf_puts(&b, "\" dose=\"");
				put_text(&b, r->tips[i].dose);
			}
			hd_buf_puts(&b, "\"/>\n");
		}
		hd_buf_puts(&b, "  </selfcare>\n");
	}
	if (r->next_visit.year) {
		hd_buf_printf(&b, "  <next-visit>%04d-%02d-%02d", r->next_visit.year,
		              r->next_visit.month, r->next_visit.day);
		if (r->next_visit.hour >= 0)
			hd_buf_printf(&b, "T%02d:%02d", r->next_visit.hour, r->next_visit.minute);
		hd_buf_puts(&b, "</next-visit>\n");
	}
	hd_buf_puts(&b, "</session>\n");
	if (b.oom) {
		hd_buf_free(&b);
		return HD_ENOMEM;
	}
	*out = hd_buf_detach(&b, len);
	return *out ? HD_OK : HD_ENOMEM;
}
