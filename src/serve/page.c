/*
 * page: the desk's page built from web/desk.html and the library's own
 * vocabulary (techniques, areas with the body diagram, pressures, tips and
 * exercises with their default doses, languages, papers), the form read
 * back into a session through the library's setters, and JSON answers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assets.h"
#include "desk.h"

/* ----- strings ------------------------------------------------------------------ */

static void grow(desk_buf *b, size_t extra)
{
	size_t cap;
	char *n;
	if (b->oom || b->len + extra + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 1024;
	while (cap < b->len + extra + 1)
		cap *= 2;
	n = realloc(b->data, cap);
	if (!n) {
		b->oom = 1;
		return;
	}
	b->data = n;
	b->cap = cap;
}

void desk_put(desk_buf *b, const char *s, size_t n)
{
	grow(b, n);
	if (b->oom)
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void desk_puts(desk_buf *b, const char *s)
{
	desk_put(b, s, strlen(s));
}

void desk_printf(desk_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		desk_put(b, small, (size_t)n);
		return;
	}
	grow(b, (size_t)n);
	if (b->oom)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void desk_put_html(desk_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': desk_puts(b, "&amp;"); break;
		case '<': desk_puts(b, "&lt;"); break;
		case '>': desk_puts(b, "&gt;"); break;
		case '"': desk_puts(b, "&quot;"); break;
		case '\'': desk_puts(b, "&#39;"); break;
		default: desk_put(b, s, 1); break;
		}
	}
}

void desk_put_json(desk_buf *b, const char *s)
{
	desk_puts(b, "\"");
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			desk_put(b, "\\", 1);
			desk_put(b, s, 1);
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f) {
			desk_printf(b, "\\u%04x", c);
		} else {
			desk_put(b, s, 1);
		}
	}
	desk_puts(b, "\"");
}

void desk_buf_free(desk_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* ----- application/x-www-form-urlencoded ------------------------------------------ */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..n) into a new string: '+' is a space, %XX a byte; a '%' not
 * followed by two hex digits, or a NUL byte, is refused (NULL, *bad set). */
static char *decode(const char *s, size_t n, int *bad)
{
	char *out = malloc(n + 1);
	size_t i, o = 0;
	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			int h = i + 2 < n ? hexval(s[i + 1]) : -1;
			int l = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (h < 0 || l < 0 || (h == 0 && l == 0)) {
				free(out);
				*bad = 1;
				return NULL;
			}
			out[o++] = (char)(h * 16 + l);
			i += 2;
		} else if (s[i] == '\0') {
			free(out);
			*bad = 1;
			return NULL;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

int desk_form_parse(desk_form *out, const char *body, size_t len)
{
	size_t i = 0, cap = 0;
	memset(out, 0, sizeof(*out));
	while (i < len) {
		const char *p = body + i, *amp = memchr(p, '&', len - i), *eq;
		size_t n = amp ? (size_t)(amp - p) : len - i;
		int bad = 0;
		desk_field f;
		(void)bad;
		i += n + 1;
		if (!n)
			continue;
		if (out->count >= DESK_MAX_FIELDS)
			goto bad;
		eq = memchr(p, '=', n);
		f.name = decode(p, eq ? (size_t)(eq - p) : n, &bad);
		f.value = f.name ? decode(eq ? eq + 1 : p + n, eq ? n - (size_t)(eq - p) - 1 : 0, &bad)
		                 : NULL;
		if (!f.name || !f.value) {
			free(f.name);
			free(f.value);
			goto bad; /* a bad escape; out of memory is refused the same way */
		}
		if (out->count == cap) {
			desk_field *n2;
			cap = cap ? cap * 2 : 32;
			n2 = realloc(out->items, cap * sizeof(*n2));
			if (!n2) {
				free(f.name);
				free(f.value);
				goto bad;
			}
			out->items = n2;
		}
		out->items[out->count++] = f;
	}
	return 0;
bad:
	desk_form_free(out);
	return -1;
}

const char *desk_form_get(const desk_form *f, const char *name)
{
	size_t i;
	for (i = 0; i < f->count; i++)
		if (!strcmp(f->items[i].name, name))
			return f->items[i].value;
	return NULL;
}

void desk_form_free(desk_form *f)
{
	size_t i;
	for (i = 0; i < f->count; i++) {
		free(f->items[i].name);
		free(f->items[i].value);
	}
	free(f->items);
	memset(f, 0, sizeof(*f));
}

/* ----- the desk's words ---------------------------------------------------------- */

struct desk_words {
	char *text;           /* strings.txt, cut into NUL-terminated pieces */
	const char **keys, **values;
	size_t count;
};

const char *desk_asset(const char *name, size_t *len)
{
	const hd_asset *a;
	for (a = hd_serve_assets; a->name; a++) {
		if (!strcmp(a->name, name)) {
			if (len)
				*len = a->len;
			return (const char *)a->data;
		}
	}
	return NULL;
}

int desk_words_load(desk *d)
{
	size_t len, lang;
	const char *src = desk_asset("strings.txt", &len);

	for (lang = 0; lang < 2; lang++) {
		desk_words *w = calloc(1, sizeof(*w));
		char *p, *line, *save = NULL;
		size_t cap = 0;
		if (!w || !src || !(w->text = malloc(len + 1))) {
			free(w);
			return -1;
		}
		memcpy(w->text, src, len);
		w->text[len] = '\0';
		d->words[lang] = w;
		for (line = strtok_r(w->text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *tab1, *tab2;
			if (line[0] == '#' || !(tab1 = strchr(line, '\t')) || !(tab2 = strchr(tab1 + 1, '\t')))
				continue;
			*tab1 = *tab2 = '\0';
			if (w->count == cap) {
				cap = cap ? cap * 2 : 128;
				w->keys = realloc(w->keys, cap * sizeof(*w->keys));
				w->values = realloc(w->values, cap * sizeof(*w->values));
				if (!w->keys || !w->values)
					return -1;
			}
			w->keys[w->count] = line;
			w->values[w->count++] = lang ? tab2 + 1 : tab1 + 1;
			p = strchr(tab2 + 1, '\r');
			if (p)
				*p = '\0';
		}
	}
	return 0;
}

void desk_words_free(desk *d)
{
	size_t i;
	for (i = 0; i < 2; i++) {
		if (!d->words[i])
			continue;
		free(d->words[i]->text);
		free(d->words[i]->keys);
		free(d->words[i]->values);
		free(d->words[i]);
		d->words[i] = NULL;
	}
}

const char *desk_word(const desk *d, int lang, const char *key)
{
	const desk_words *w = d->words[lang ? 1 : 0];
	size_t i;
	for (i = 0; w && i < w->count; i++)
		if (!strcmp(w->keys[i], key))
			return w->values[i];
	return key;
}

/* ----- the page -------------------------------------------------------------------- */

static const char *const lang_codes[] = { "en", "es" };

static void choices(desk_buf *b, desk *d, int lang, const char *field, const char *name)
{
	const char *v, *l;
	size_t i;
	for (i = 0; hd_field_choice(d->engine, field, i, lang_codes[lang], &v, &l) == HD_OK; i++) {
		desk_printf(b, "<label class=\"choice\"><input type=\"checkbox\" name=\"%s\" value=\"", name);
		desk_put_html(b, v);
		desk_puts(b, "\"> ");
		desk_put_html(b, l);
		desk_puts(b, "</label>\n");
	}
}

static void options(desk_buf *b, desk *d, int lang, const char *field, const char *none,
                    const char *word_prefix)
{
	const char *v, *l;
	size_t i;
	char key[64];
	if (none) {
		desk_puts(b, "<option value=\"\">");
		desk_put_html(b, none);
		desk_puts(b, "</option>");
	}
	for (i = 0; hd_field_choice(d->engine, field, i, lang_codes[lang], &v, &l) == HD_OK; i++) {
		if (word_prefix) {
			snprintf(key, sizeof(key), "%s%s", word_prefix, v);
			l = desk_word(d, lang, key);
		}
		desk_puts(b, "<option value=\"");
		desk_put_html(b, v);
		desk_puts(b, "\">");
		desk_put_html(b, l);
		desk_puts(b, "</option>");
	}
}

static void techniques(desk_buf *b, desk *d, int lang)
{
	size_t i, n = hd_library_count(d->engine);
	for (i = 0; i < n; i++) {
		const char *id, *kind, *title;
		if (hd_library_entry(d->engine, i, lang_codes[lang], &id, &kind, &title) ||
		    strcmp(kind, "technique"))
			continue;
		desk_puts(b, "<label class=\"choice\"><input type=\"checkbox\" name=\"technique\" value=\"");
		desk_put_html(b, id);
		desk_puts(b, "\"> ");
		desk_put_html(b, title);
		desk_puts(b, "</label>\n");
	}
}

static void tips(desk_buf *b, desk *d, int lang)
{
	size_t i, n = hd_library_count(d->engine);
	for (i = 0; i < n; i++) {
		const char *id, *kind, *title, *dose;
		char key[64];
		if (hd_library_entry(d->engine, i, lang_codes[lang], &id, &kind, &title) ||
		    (strcmp(kind, "selfcare") && strcmp(kind, "exercise")))
			continue;
		dose = hd_library_entry_dose(d->engine, i, lang_codes[lang]);
		snprintf(key, sizeof(key), "kind_%s", kind);
		desk_puts(b, "<div class=\"tip\"><input type=\"checkbox\" name=\"tip\" value=\"");
		desk_put_html(b, id);
		desk_puts(b, "\" id=\"tip-");
		desk_put_html(b, id);
		desk_puts(b, "\"><label class=\"choice\" for=\"tip-");
		desk_put_html(b, id);
		desk_puts(b, "\">");
		desk_put_html(b, title);
		desk_puts(b, " <span class=\"kind\">(");
		desk_put_html(b, desk_word(d, lang, key));
		desk_puts(b, ")</span></label><label class=\"dose\">");
		desk_put_html(b, desk_word(d, lang, "dose"));
		desk_puts(b, " <input name=\"dose.");
		desk_put_html(b, id);
		desk_puts(b, "\" id=\"dose-");
		desk_put_html(b, id);
		desk_puts(b, "\" maxlength=\"200\" value=\"");
		desk_put_html(b, dose ? dose : "");
		desk_puts(b, "\"></label></div>\n");
	}
}

static void fragment(desk_buf *b, desk *d, int lang, const char *name, const char *error)
{
	if (!strcmp(name, "lang")) {
		desk_puts(b, lang_codes[lang]);
	} else if (!strcmp(name, "csrf")) {
		desk_puts(b, d->csrf);
	} else if (!strcmp(name, "today")) {
		time_t now = time(NULL);
		struct tm tm;
		char day[16];
		localtime_r(&now, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		desk_puts(b, day);
	} else if (!strcmp(name, "techniques")) {
		techniques(b, d, lang);
	} else if (!strcmp(name, "areas")) {
		choices(b, d, lang, "areas", "area");
	} else if (!strcmp(name, "body")) {
		char *svg = NULL;
		if (hd_drawing_svg(&svg, NULL, d->engine, "body-back", lang_codes[lang]) == HD_OK)
			desk_puts(b, svg);
		free(svg);
	} else if (!strcmp(name, "pressures")) {
		options(b, d, lang, "pressure", desk_word(d, lang, "pressure_none"), NULL);
	} else if (!strcmp(name, "tips")) {
		tips(b, d, lang);
	} else if (!strcmp(name, "languages")) {
		options(b, d, lang, "language", NULL, "lang_");
	} else if (!strcmp(name, "papers")) {
		options(b, d, lang, "paper", NULL, "paper_");
	} else if (!strcmp(name, "presets")) {
		desk_presets_html(b, d, lang);
	} else if (!strcmp(name, "mail")) {
		/* outside the <form>: the inputs join it with form="sheet" */
		desk_puts(b, "<div class=\"mail\"><button type=\"button\" id=\"b-mail\" data-action=\"mail\">");
		desk_put_html(b, desk_word(d, lang, d->smtp.url ? "mail" : "mail_eml"));
		desk_puts(b, "</button><label class=\"check\"><input type=\"checkbox\" form=\"sheet\" "
		             "name=\"mail_protect\" value=\"1\" id=\"f-mail_protect\"> ");
		desk_put_html(b, desk_word(d, lang, "mail_password"));
		desk_puts(b, "</label><input type=\"password\" form=\"sheet\" name=\"mail_password\" "
		             "id=\"f-mail_password\" maxlength=\"127\" autocomplete=\"new-password\" aria-label=\"");
		desk_put_html(b, desk_word(d, lang, "mail_password"));
		desk_puts(b, "\" aria-describedby=\"err-mail_password\"><p class=\"err\" id=\"err-mail_password\" "
		             "data-field=\"mail_password\" role=\"alert\"></p></div>");
	} else if (!strcmp(name, "error")) {
		desk_put_html(b, error);
	}
	/* anything unknown: nothing */
}

/* Fills a template: {{t:key}} is a word of the desk, {{x:name}} a piece
 * made from the library. */
static int fill(desk_buf *out, desk *d, int lang, const char *tmpl, const char *error)
{
	const char *p = tmpl, *open;
	while ((open = strstr(p, "{{")) != NULL) {
		const char *close = strstr(open, "}}");
		char name[64];
		size_t n;
		if (!close)
			break;
		desk_put(out, p, (size_t)(open - p));
		n = (size_t)(close - open - 4);
		if (n < sizeof(name) && open[3] == ':') {
			memcpy(name, open + 4, n);
			name[n] = '\0';
			if (open[2] == 't')
				desk_put_html(out, desk_word(d, lang, name));
			else
				fragment(out, d, lang, name, error);
		}
		p = close + 2;
	}
	desk_puts(out, p);
	return out->oom ? -1 : 0;
}

int desk_page(desk_buf *out, desk *d, int lang)
{
	const char *t = desk_asset("desk.html", NULL);
	return t ? fill(out, d, lang, t, NULL) : -1;
}

int desk_login_page(desk_buf *out, desk *d, int lang, const char *error)
{
	const char *t = desk_asset("login.html", NULL);
	return t ? fill(out, d, lang, t, error) : -1;
}

/* ----- the form into a session ------------------------------------------------------ */

/* 1 when v is UTF-8 without control characters (line breaks and tabs only
 * where multi_line). */
static int text_ok(const char *v, int multi_line)
{
	const unsigned char *p = (const unsigned char *)v;
	while (*p) {
		unsigned c = *p;
		size_t n, k;
		if (c < 0x80) {
			if ((c < 0x20 && !(multi_line && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f)
				return 0;
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3;
		else
			return 0;
		for (k = 1; k <= n; k++)
			if ((p[k] & 0xc0) != 0x80)
				return 0;
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0) ||
		    (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
			return 0;
		if (c == 0xc2 && p[1] < 0xa0) /* C1 controls */
			return 0;
		p += n + 1;
	}
	return 1;
}

/* The session fields a form sends as they are, by hd_session_set's names. */
static const char *const plain_fields[] = { "client", "client_id", "email", "date", "time",
	"therapist", "language", "paper", "size", "pressure", "pain_before", "pain_after",
	"next_visit" };

static const char *field_of(const char *name)
{
	size_t i;
	if (!strcmp(name, "technique"))
		return "techniques";
	if (!strcmp(name, "area"))
		return "areas";
	if (!strcmp(name, "tip") || !strncmp(name, "dose.", 5))
		return "tips";
	if (!strcmp(name, "notes"))
		return "notes";
	for (i = 0; i < sizeof(plain_fields) / sizeof(plain_fields[0]); i++)
		if (!strcmp(name, plain_fields[i]))
			return plain_fields[i];
	return NULL;
}

/* The library's default dose of tip id in lang, or NULL. */
static const char *default_dose(desk *d, const char *id, const char *lang)
{
	size_t i, n = hd_library_count(d->engine);
	for (i = 0; i < n; i++) {
		const char *eid, *kind, *title;
		if (!hd_library_entry(d->engine, i, lang, &eid, &kind, &title) && !strcmp(eid, id))
			return hd_library_entry_dose(d->engine, i, lang);
	}
	return NULL;
}

/* Appends the error g to diags; past the library's cap it is only counted,
 * as the library's own would be. */
static void add_error(hd_diags *diags, const hd_diag *g)
{
	if (diags->nerrors >= HD_DIAGS_MAX_ERRORS) {
		diags->nerrors++;
		diags->dropped++;
		return;
	}
	if (diags->count == diags->cap) {
		size_t cap = diags->cap ? diags->cap * 2 : 16;
		hd_diag *n = realloc(diags->items, cap * sizeof(*n));
		if (!n) {
			diags->oom++;
			return;
		}
		diags->items = n;
		diags->cap = cap;
	}
	diags->items[diags->count++] = *g;
	diags->nerrors++;
}

/* A problem the library never sees (the bytes are refused before a setter
 * is called), added in the library's shape. */
static void refuse(hd_diags *diags, const char *field, int code, const char *hint,
                   const char *message)
{
	hd_diag g;
	memset(&g, 0, sizeof(g));
	g.severity = HD_ERROR;
	g.code = code;
	snprintf(g.field, sizeof(g.field), "%s", field);
	snprintf(g.message, sizeof(g.message), "%s", message);
	snprintf(g.hint, sizeof(g.hint), "%s", hint ? hint : "");
	add_error(diags, &g);
}

/* 1 when diags has an error about field. */
static int has_error(const hd_diags *diags, const char *field)
{
	size_t i;
	for (i = 0; i < diags->count; i++)
		if (diags->items[i].severity == HD_ERROR && !strcmp(diags->items[i].field, field))
			return 1;
	return 0;
}

int desk_session(hd_session **out, desk *d, const desk_form *form, hd_diags *diags)
{
	hd_session *s;
	const char *lang = desk_form_get(form, "language");
	size_t i;
	int r, bad = 0, ui = desk_form_lang(form);

	*out = NULL;
	r = hd_session_new(&s, d->engine);
	if (r)
		return r;
	*out = s;
	if (!lang || (strcmp(lang, "en") && strcmp(lang, "es")))
		lang = "en";
	for (i = 0; i < form->count; i++) {
		const char *name = form->items[i].name, *v = form->items[i].value;
		const char *field = field_of(name);
		if (!field)
			continue; /* csrf, and anything a page of ours never sends */
		if (!v[strspn(v, " \t\r\n")])
			continue; /* a box left blank: not given (the check below says if it is needed) */
		if (!text_ok(v, !strcmp(field, "notes"))) {
			refuse(diags, field, HD_DIAG_ENCODING, desk_word(d, ui, "e_encoding_hint"),
			       desk_word(d, ui, "e_encoding"));
			bad = 1;
			continue;
		}
		if (!strcmp(name, "technique")) {
			r = hd_session_add_technique(s, v, diags);
		} else if (!strcmp(name, "area")) {
			r = hd_session_add_area(s, v, diags);
		} else if (!strcmp(name, "tip")) {
			char key[128];
			const char *dose, *def;
			snprintf(key, sizeof(key), "dose.%s", v);
			dose = desk_form_get(form, key);
			def = default_dose(d, v, lang);
			/* the library's dose, untouched, is left to the library */
			if (dose && (!*dose || (def && !strcmp(dose, def))))
				dose = NULL;
			if (dose && !text_ok(dose, 0)) {
				refuse(diags, "tips", HD_DIAG_ENCODING, desk_word(d, ui, "e_dose_encoding_hint"),
				       desk_word(d, ui, "e_dose_encoding"));
				bad = 1;
				continue;
			}
			r = hd_session_add_tip(s, v, dose, diags);
		} else if (!strncmp(name, "dose.", 5)) {
			continue; /* read with its tip */
		} else if (!strcmp(name, "notes")) {
			r = hd_session_add_notes_text(s, v, diags);
		} else {
			r = hd_session_set(s, field, v, diags);
		}
		if (r == HD_ENOMEM)
			return r;
		if (r)
			bad = 1;
	}
	{
		/* What the sheet still lacks, except for a field already shown
		 * wrong: its value was refused, so "the date is missing" under
		 * "2026-13-01 is not a real date" says nothing new. */
		hd_diags lack = HD_DIAGS_INIT;
		if (hd_session_check(s, HD_KIND_AFTERCARE, &lack))
			bad = 1;
		for (i = 0; i < lack.count; i++)
			if (lack.items[i].code != HD_DIAG_MISSING || !has_error(diags, lack.items[i].field))
				add_error(diags, &lack.items[i]);
		if (lack.oom)
			diags->oom += lack.oom;
		hd_diags_free(&lack);
	}
	return bad ? HD_EINPUT : HD_OK;
}

/* ----- JSON answers ------------------------------------------------------------------ */

static const char *severity_name(int s)
{
	return s == HD_ERROR ? "error" : s == HD_WARNING ? "warning" : "note";
}

int desk_form_lang(const desk_form *f)
{
	const char *ui = desk_form_get(f, "ui");
	return ui && !strcmp(ui, "es");
}

void desk_json_diags(desk_buf *b, int lang, int ok, const hd_diags *diags, const char *strip,
                     const char *extra)
{
	size_t i, sl = strip ? strlen(strip) : 0;
	desk_printf(b, "{\"ok\":%s,\"diags\":[", ok ? "true" : "false");
	for (i = 0; diags && i < diags->count; i++) {
		const hd_diag *g = &diags->items[i];
		const char *file = g->file, *field = g->field;
		hd_diag_words w;
		/* the library words its own problems in the page's language;
		 * the desk's own (refuse, send_problem) are in it already */
		hd_diag_text(&w, g, lang_codes[lang ? 1 : 0]);
		/* the PDF's password is no session field, but it has a box here */
		if (!g->field[0] && !strncmp(g->detail, "password-", 9))
			field = "mail_password";
		if (sl && !strncmp(file, strip, sl))
			file += sl;
		while (*file == '/')
			file++;
		desk_printf(b, "%s{\"severity\":\"%s\",\"code\":", i ? "," : "",
		            severity_name(g->severity));
		desk_put_json(b, hd_diag_code_name(g->code));
		desk_puts(b, ",\"field\":");
		desk_put_json(b, field);
		desk_puts(b, ",\"file\":");
		desk_put_json(b, file);
		desk_printf(b, ",\"line\":%d,\"message\":", g->line);
		desk_put_json(b, w.message);
		desk_puts(b, ",\"hint\":");
		desk_put_json(b, w.hint);
		desk_puts(b, "}");
	}
	desk_puts(b, "]");
	if (extra)
		desk_puts(b, extra);
	desk_puts(b, "}");
}
