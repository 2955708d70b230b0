/*
 * Loader tests: every sample loads with the right values, and bad inputs get
 * exactly the diagnostics in tests/data/load (one .err file per input; the
 * paths in it are relative to the source folder, where the tests run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "load.h"

static hd_loader *loader;

static int setup(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	int rc;

	if (chdir(HD_SOURCE_DIR) != 0)
		return -1;
	rc = hd_loader_new(&loader, "xml/schema", &d);
	if (rc)
		hd_diags_print(&d, stderr);
	hd_diags_free(&d);
	return rc ? -1 : 0;
}

static int teardown(void **state)
{
	hd_loader_free(loader);
	return 0;
}

/* Every diagnostic formatted, one per line. Caller frees. */
static char *format_diags(const hd_diags *d)
{
	hd_buf b = HD_BUF_INIT;
	char line[1600];
	size_t i;

	for (i = 0; i < d->count; i++) {
		hd_diag_format(line, sizeof(line), &d->items[i]);
		hd_buf_printf(&b, "%s\n", line);
	}
	if (!b.data)
		hd_buf_puts(&b, "");
	return hd_buf_detach(&b, NULL);
}

static char *slurp(const char *path)
{
	hd_diags d = HD_DIAGS_INIT;
	char *data;
	size_t len;

	if (hd_read_file(&data, &len, path, 1u << 20, &d))
		data = NULL;
	hd_diags_free(&d);
	return data;
}

static char *plain(const hd_block *b)
{
	hd_buf buf = HD_BUF_INIT;
	hd_block_plain_text(b, &buf);
	if (!buf.data)
		hd_buf_puts(&buf, "");
	return hd_buf_detach(&buf, NULL);
}

static hd_session_rec *session(const char *path)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_session_rec *s = NULL;
	int rc = hd_load_session(&s, loader, path, NULL, &d);
	if (rc)
		hd_diags_print(&d, stderr);
	assert_int_equal(rc, HD_OK);
	assert_int_equal(d.count, 0);
	hd_diags_free(&d);
	return s;
}

/* ----- samples ------------------------------------------------------------------ */

static void test_plain_session(void **state)
{
	hd_session_rec *s = session("xml/sessions/plain.xml");
	char *notes;

	assert_string_equal(s->client, "Daniel Okafor");
	assert_string_equal(s->email, "daniel.okafor@example.org");
	assert_int_equal(s->date.year, 2026);
	assert_int_equal(s->date.month, 11);
	assert_int_equal(s->date.day, 20);
	assert_int_equal(s->date.hour, -1);
	assert_string_equal(s->therapist, "Maria N\xc3\xba\xc3\xb1" "ez");
	assert_string_equal(s->lang, "en");
	assert_int_equal(s->large_print, 0);
	assert_int_equal(s->paper, HD_PAPER_A4);
	assert_int_equal(s->ntechniques, 2);
	assert_string_equal(s->techniques[0].id, "swedish");
	assert_int_equal(s->techniques[0].line, 13);
	assert_string_equal(s->techniques[1].id, "deep-tissue");
	assert_null(s->techniques[1].dose);
	assert_int_equal(s->nareas, 3);
	assert_string_equal(s->areas[0], "lumbar-left");
	assert_string_equal(s->areas[2], "glute-left");
	assert_string_equal(s->pressure, "medium");
	notes = plain(s->notes);
	assert_string_equal(notes,
		"Your lower back was tight on both sides, a little more on the left. The left "
		"buttock muscle was very tender, so we kept the pressure moderate there.\n"
		"You sit for long stretches at work. Try to stand up and walk for a minute "
		"every half hour.\n");
	free(notes);
	assert_int_equal(s->notes->kind, HD_BLK_PARA);
	assert_int_equal(s->ntips, 3);
	assert_string_equal(s->tips[0].id, "drink-water");
	assert_null(s->tips[0].dose);
	assert_string_equal(s->tips[1].id, "knee-to-chest");
	assert_string_equal(s->tips[1].dose,
		"Hold 30 seconds, 3 times on each side, morning and evening");
	assert_int_equal(s->next_visit.year, 2026);
	assert_int_equal(s->next_visit.month, 12);
	assert_int_equal(s->next_visit.day, 4);
	assert_int_equal(s->next_visit.hour, 10);
	assert_int_equal(s->next_visit.minute, 30);
	assert_string_equal(s->file, "xml/sessions/plain.xml");
	hd_session_rec_free(s);
}

/* Client id, time of day and pain scores: all optional; a missing score
 * is -1, never 0. */
static void test_history_fields(void **state)
{
	hd_session_rec *s = session("tests/data/load/history/scores.xml");

	assert_string_equal(s->client_id, "c-0042");
	assert_int_equal(s->date.day, 20);
	assert_int_equal(s->date.hour, 15);
	assert_int_equal(s->date.minute, 30);
	assert_int_equal(s->pain_before, 7);
	assert_int_equal(s->pain_after, -1);
	hd_session_rec_free(s);
	s = session("xml/sessions/plain.xml");
	assert_null(s->client_id);
	assert_int_equal(s->pain_before, -1);
	assert_int_equal(s->pain_after, -1);
	hd_session_rec_free(s);
}

static void test_zoe_session(void **state)
{
	hd_session_rec *s = session("xml/sessions/zoe.xml");
	const hd_block *b, *list = NULL;
	const hd_span *sp;
	char *notes;
	int paras = 0, italic = 0, bold = 0;

	assert_string_equal(s->client, "Zo\xc3\xab \xc5\x81ukasiewicz");
	assert_int_equal(s->ntechniques, 3);
	assert_string_equal(s->techniques[2].id, "myofascial-release");
	assert_true(s->nareas >= 5);
	assert_int_equal(s->ntips, 4);
	assert_string_equal(s->tips[2].id, "knee-to-chest");
	assert_string_equal(s->tips[2].dose, "Hold 30 s, 3 times, twice a day");
	assert_string_equal(s->pressure, "firm");
	for (b = s->notes; b; b = b->next) {
		if (b->kind == HD_BLK_PARA)
			paras++;
		if (b->kind == HD_BLK_LIST)
			list = b;
		for (sp = b->spans; sp; sp = sp->next) {
			italic += sp->style == HD_ITALIC;
			bold += sp->style == HD_BOLD;
		}
	}
	assert_int_equal(paras, 4);
	assert_non_null(list);
	assert_false(list->flags & HD_BF_ORDERED);
	assert_int_equal(list->children->kind, HD_BLK_ITEM);
	assert_non_null(list->children->next->next);
	assert_int_equal(italic, 1);
	assert_int_equal(list->children->spans->next->style, HD_BOLD);
	notes = plain(s->notes);
	assert_non_null(strstr(notes, "\xc3\x86r\xc3\xb8sk\xc3\xb8" "bing"));      /* Ærøskøbing */
	assert_non_null(strstr(notes, "\xce\xa8\xcf\x85\xcf\x87\xce\xae"));         /* Ψυχή */
	assert_non_null(strstr(notes, "\xd0\xae\xd0\xbb\xd0\xb8\xd1\x8f"));         /* Юлия */
	assert_non_null(strstr(notes, "Dr. Carmen N\xc3\xba\xc3\xb1" "ez"));
	assert_null(strstr(notes, "  "));
	assert_null(strstr(notes, "\n "));
	(void)bold;
	free(notes);
	hd_session_rec_free(s);
}

static void test_minimal_session(void **state)
{
	hd_session_rec *s = session("xml/sessions/minimal.xml");

	assert_string_equal(s->client, "Sam Lee");
	assert_null(s->email);
	assert_string_equal(s->lang, "en");
	assert_int_equal(s->large_print, 0);
	assert_int_equal(s->paper, HD_PAPER_A4);
	assert_null(s->pressure);
	assert_null(s->notes);
	assert_int_equal(s->ntips, 0);
	assert_null(s->tips);
	assert_int_equal(s->ntechniques, 1);
	assert_int_equal(s->nareas, 1);
	assert_string_equal(s->areas[0], "neck");
	assert_int_equal(s->next_visit.year, 0);
	assert_int_equal(s->next_visit.hour, -1);
	hd_session_rec_free(s);
}

static void test_large_print_and_spanish(void **state)
{
	hd_session_rec *s = session("xml/sessions/large-print.xml");
	char *notes;

	assert_int_equal(s->large_print, 1);
	assert_int_equal(s->paper, HD_PAPER_LETTER);
	assert_string_equal(s->pressure, "light");
	assert_int_equal(s->next_visit.day, 5);
	assert_int_equal(s->next_visit.hour, -1);
	assert_int_equal(s->next_visit.minute, -1);
	hd_session_rec_free(s);

	s = session("xml/sessions/spanish.xml");
	assert_string_equal(s->lang, "es");
	assert_int_equal(s->large_print, 0);
	assert_int_equal(s->paper, HD_PAPER_A4);
	assert_string_equal(s->client, "Luc\xc3\xad" "a Fern\xc3\xa1ndez Ortega");
	notes = plain(s->notes);
	assert_non_null(strstr(notes, "solo en llano"));
	free(notes);
	assert_string_equal(s->tips[2].dose, "Mant\xc3\xa9n 30 segundos, 3 veces, cada noche");
	hd_session_rec_free(s);
}

static void test_template(void **state)
{
	static const enum hd_part_type want[] = {
		HD_PT_BODY_DIAGRAM, HD_PT_TITLE, HD_PT_SUMMARY, HD_PT_TECHNIQUES, HD_PT_AREAS,
		HD_PT_NOTES, HD_PT_SELFCARE, HD_PT_WARNINGS, HD_PT_NEXT_VISIT, HD_PT_DISCLAIMER
	};
	hd_diags d = HD_DIAGS_INIT;
	hd_template *t = NULL;
	const hd_labels *ls;
	size_t i, nsets = 0;

	assert_int_equal(hd_load_template(&t, loader, "xml/templates/aftercare.xml", &d), HD_OK);
	assert_int_equal(d.count, 0);
	assert_string_equal(t->id, "aftercare");
	assert_int_equal(t->kind, HD_KIND_AFTERCARE);
	assert_int_equal(t->page.max_pages, 1);
	assert_int_equal(t->page.nmasters, 2);
	assert_int_equal(t->page.nsequence, 2);
	assert_true(t->page.repeat_last);
	assert_true(t->page.margin_left == 34.0 && t->page.margin_top == 19.0);
	assert_true(t->body_size == 11.0);
	assert_true(t->large_body_size == 15.0);
	assert_true(t->min_body_size == 10.0);
	assert_true(t->min_large_size == 14.0);
	assert_int_equal(t->styles[hd_template_style(t, "body")].align, HD_ALIGN_JUSTIFY);
	assert_int_equal(t->nparts, HD_ARRAY_LEN(want));
	for (i = 0; i < t->nparts; i++) {
		assert_int_equal(t->parts[i].type, want[i]);
		assert_string_equal(t->parts[i].flow, "main");
	}
	for (ls = t->labels; ls; ls = ls->next)
		nsets++;
	assert_int_equal(nsets, 2);
	assert_string_equal(hd_template_label(t, "en", "title"), "Aftercare for {client}");
	assert_string_equal(hd_template_label(t, "en", "area.lumbar-left"), "Lower back, left side");
	assert_string_equal(hd_template_label(t, "en", "date-format"), "{month} {day}, {year}");
	assert_string_equal(hd_template_label(t, "es", "date-format"), "{day} de {month} de {year}");
	assert_string_equal(hd_template_label(t, "es", "date-time"), "{date} a las {time}");
	assert_non_null(strstr(hd_template_label(t, "es", "months"), "|diciembre"));
	/* Fallbacks: an unknown language gives English; an unknown key nothing
	 * (never the key on paper: the loader checked every key a part prints). */
	assert_string_equal(hd_template_label(t, "fr", "date"), "Date");
	assert_null(hd_template_label(t, "es", "no-such-key"));
	hd_template_free(t);
	hd_diags_free(&d);
}

static int line_of(const char *path, const char *needle);

static void test_clinic(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_clinic *c = NULL;

	assert_int_equal(hd_load_clinic(&c, loader, "xml/clinic/clinic.xml", &d), HD_OK);
	assert_int_equal(d.count, 0);
	assert_string_equal(c->name, "Riverside Massage & Wellness");
	assert_int_equal(c->naddress, 2);
	assert_string_equal(c->address[0], "14 Willow Quay, Unit 3");
	assert_string_equal(c->phone, "+44 1632 960 418");
	assert_string_equal(c->email, "hello@riverside-massage.example");
	assert_string_equal(c->website, "https://riverside-massage.example");
	assert_string_equal(c->logo_path, "xml/clinic/logo.png");
	assert_int_equal(c->logo_line, line_of("xml/clinic/clinic.xml", "<logo>"));
	assert_int_equal(c->colour[0], 0x1F);
	assert_int_equal(c->colour[1], 0x4E);
	assert_int_equal(c->colour[2], 0x79);
	/* <sender> without <name>: the clinic's name */
	assert_string_equal(c->sender_name, "Riverside Massage & Wellness");
	assert_string_equal(c->sender_email, "sheets@riverside-massage.example");
	assert_string_equal(c->reply_to, "hello@riverside-massage.example");
	assert_int_equal(c->sender_line, line_of("xml/clinic/clinic.xml", "<sender>"));
	hd_clinic_free(c);
	hd_diags_free(&d);
}

static void test_library_mini(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_library *lib = NULL;
	const hd_entry *e;
	const hd_entry_text *t;
	const hd_section *sec;
	const hd_span *sp;
	char *text;

	assert_int_equal(hd_load_library_dir(&lib, loader, "tests/data/load/lib-mini", &d), HD_OK);
	assert_int_equal(d.count, 0);
	assert_int_equal(lib->count, 5);
	assert_int_equal(lib->nlang, 2);
	assert_string_equal(lib->languages[0], "en");
	assert_string_equal(lib->languages[1], "es");
	/* Sorted by id. */
	assert_string_equal(lib->entries[0]->id, "disclaimer");
	assert_string_equal(lib->entries[4]->id, "swedish");

	e = hd_library_find(lib, "swedish");
	assert_non_null(e);
	assert_string_equal(e->kind, "technique");
	assert_string_equal(e->reviewed, "2026-01-15");
	assert_string_equal(e->file, "tests/data/load/lib-mini/a-core.xml");
	assert_int_equal(e->line, 4);
	assert_int_equal(e->order, 0);
	assert_null(e->urgency);
	/* Texts in the library's language order even though es comes first. */
	assert_string_equal(e->texts->lang, "en");
	t = hd_entry_text_for(e, "es");
	assert_string_equal(t->title, "Masaje sueco");
	t = hd_entry_text_for(e, "fr");
	assert_string_equal(t->lang, "en");
	assert_string_equal(t->title, "Swedish massage");
	assert_null(t->dose);
	sec = hd_entry_section(t, "what");
	assert_non_null(sec);
	text = plain(sec->blocks);
	assert_string_equal(text, "Gliding and kneading, gently done.\n");
	free(text);
	sp = sec->blocks->spans;
	assert_int_equal(sp->style, HD_REGULAR);
	assert_int_equal(sp->next->style, HD_ITALIC);
	assert_int_equal(sp->next->next->style, HD_BOLD_ITALIC);
	assert_int_equal(sp->next->next->next->style, HD_REGULAR);
	sec = hd_entry_section(t, "suits");
	assert_int_equal(sec->blocks->kind, HD_BLK_LIST);
	assert_false(sec->blocks->flags & HD_BF_ORDERED);
	assert_null(hd_entry_section(t, "body"));

	e = hd_library_find(lib, "knee-to-chest");
	t = hd_entry_text_for(e, NULL);
	assert_string_equal(t->dose, "Hold 20 seconds, 3 times");
	sec = hd_entry_section(t, "steps");
	assert_true(sec->blocks->flags & HD_BF_ORDERED);
	e = hd_library_find(lib, "numbness");
	assert_string_equal(e->urgency, "urgent");
	assert_int_equal(e->mandatory, 1);
	assert_int_equal(e->order, 2);
	assert_string_equal(hd_library_find(lib, "drink-water")->file,
	                    "tests/data/load/lib-mini/b-care.xml");
	assert_null(hd_library_find(lib, "nope"));

	assert_string_equal(hd_library_suggest(lib, "swedsh", NULL), "swedish");
	assert_string_equal(hd_library_suggest(lib, "swedsh", "technique"), "swedish");
	assert_null(hd_library_suggest(lib, "swedsh", "selfcare"));
	assert_string_equal(hd_library_suggest(lib, "knee-to-chst", "exercise"), "knee-to-chest");
	assert_null(hd_library_suggest(lib, "completely-different", NULL));
	hd_library_free(lib);
	hd_diags_free(&d);
}

static void test_real_library(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_library *lib = NULL;
	static const char *const ids[] = {
		"swedish", "deep-tissue", "trigger-point", "myofascial-release", "sports",
		"drink-water", "rest", "follow-instructions", "stretch-and-strengthen",
		"regular-sessions", "posture-ergonomics", "heat-or-ice", "knee-to-chest",
		"pelvic-tilt", "cat-cow", "childs-pose", "figure-four", "disclaimer",
	};
	size_t i;
	int rc = hd_load_library_dir(&lib, loader, "xml/library", &d);

	if (rc)
		hd_diags_print(&d, stderr);
	assert_int_equal(rc, HD_OK);
	for (i = 0; i < HD_ARRAY_LEN(ids); i++) {
		if (!hd_library_find(lib, ids[i]))
			fprintf(stderr, "missing id %s\n", ids[i]);
		assert_non_null(hd_library_find(lib, ids[i]));
	}
	hd_library_free(lib);
	hd_diags_free(&d);
}

/* ----- exact diagnostics ------------------------------------------------------- */

typedef int (*load_fn)(const char *path, hd_diags *d);

static int load_session_fn(const char *path, hd_diags *d)
{
	hd_session_rec *s = NULL;
	int rc = hd_load_session(&s, loader, path, NULL, d);
	assert_true(rc ? s == NULL : s != NULL);
	hd_session_rec_free(s);
	return rc;
}

static int load_clinic_fn(const char *path, hd_diags *d)
{
	hd_clinic *c = NULL;
	int rc = hd_load_clinic(&c, loader, path, d);
	assert_true(rc ? c == NULL : c != NULL);
	hd_clinic_free(c);
	return rc;
}

static int load_template_fn(const char *path, hd_diags *d)
{
	hd_template *t = NULL;
	int rc = hd_load_template(&t, loader, path, d);
	assert_true(rc ? t == NULL : t != NULL);
	hd_template_free(t);
	return rc;
}

static int load_library_fn(const char *path, hd_diags *d)
{
	hd_library *lib = NULL;
	int rc = hd_load_library_file(&lib, loader, path, NULL, d);
	assert_true(rc ? lib == NULL : lib != NULL);
	hd_library_free(lib);
	return rc;
}

static int load_dir_fn(const char *path, hd_diags *d)
{
	hd_library *lib = NULL;
	int rc = hd_load_library_dir(&lib, loader, path, d);
	assert_true(rc ? lib == NULL : lib != NULL);
	hd_library_free(lib);
	return rc;
}

static int check_fn(const char *path, hd_diags *d)
{
	enum hd_vocab v;
	return hd_load_check(loader, path, NULL, &v, d);
}

/* Loads path with fn and compares every diagnostic with the .err file. */
static void expect_diags(load_fn fn, const char *path, const char *err_path, int want_rc)
{
	hd_diags d = HD_DIAGS_INIT;
	char *got, *want;
	int rc = fn(path, &d);

	got = format_diags(&d);
	want = slurp(err_path);
	assert_non_null(want);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "%s: got:\n%s\nwant:\n%s\n", path, got, want);
	assert_string_equal(got, want);
	assert_int_equal(rc, want_rc);
	free(got);
	free(want);
	hd_diags_free(&d);
}

#define BAD(name) "tests/data/load/bad/" name ".xml", "tests/data/load/bad/" name ".err"

static void test_diag_files(void **state)
{
	expect_diags(load_session_fn, BAD("mismatch"), HD_EINPUT);
	expect_diags(load_session_fn, BAD("no-date"), HD_EINPUT);
	expect_diags(load_session_fn, BAD("bad-values"), HD_EINPUT);
	expect_diags(load_session_fn, BAD("bad-date"), HD_EINPUT);
	expect_diags(load_session_fn, BAD("empty-name"), HD_EINPUT);
	expect_diags(load_session_fn, BAD("entity"), HD_EINPUT);
	expect_diags(load_session_fn, BAD("doctype"), HD_EINPUT);
	expect_diags(load_session_fn, BAD("version2"), HD_EINPUT);
	expect_diags(load_session_fn, BAD("bad-history"), HD_EINPUT);
	expect_diags(check_fn, BAD("wrong-root"), HD_EINPUT);
	expect_diags(check_fn, BAD("wrong-ns"), HD_EINPUT);
	expect_diags(load_clinic_fn, BAD("clinic-logo"), HD_EINPUT);
	expect_diags(load_clinic_fn, BAD("bad-colour"), HD_EINPUT);
	expect_diags(load_library_fn, BAD("missing-lang"), HD_EINPUT);
	expect_diags(load_library_fn, BAD("entry-kind"), HD_EINPUT);
	expect_diags(load_dir_fn, "tests/data/load/lib-dup", "tests/data/load/lib-dup.err", HD_EINPUT);
}

/* Single-line diagnostics asserted inline. */
static void expect_one(load_fn fn, const char *path, const char *want, int want_rc)
{
	hd_diags d = HD_DIAGS_INIT;
	char line[1600];
	int rc = fn(path, &d);

	assert_int_equal(rc, want_rc);
	assert_int_equal(d.count, 1);
	hd_diag_format(line, sizeof(line), &d.items[0]);
	assert_string_equal(line, want);
	hd_diags_free(&d);
}

static void test_file_errors(void **state)
{
	expect_one(load_session_fn, "xml/sessions/no-such.xml",
	           "xml/sessions/no-such.xml: error: cannot open file: No such file or directory\n"
	           "  hint: check the spelling of the path and the current folder", HD_EIO);
	expect_one(load_session_fn, "xml/clinic/clinic.xml",
	           "xml/clinic/clinic.xml:3: error: expected a <session> file, found <clinic>\n"
	           "  hint: is this the right file?", HD_EINPUT);
	expect_one(load_dir_fn, "tests/data/load/bad/no-such-dir",
	           "tests/data/load/bad/no-such-dir: error: cannot open the library folder: "
	           "No such file or directory\n  hint: check the data folder (--data)", HD_EIO);
	expect_one(load_dir_fn, "xml/schema",
	           "xml/schema: error: no library files (*.xml) in this folder\n"
	           "  hint: the content library is a set of .xml files in this folder", HD_EINPUT);
}

/* Writes a copy of the sample template with one substitution into the
 * build's test folder; returns its path (malloc'd). */
static char *template_variant(const char *name, const char *from, const char *to)
{
	char *src = slurp("xml/templates/aftercare.xml"), *at, *path;
	FILE *f;

	assert_non_null(src);
	at = strstr(src, from);
	assert_non_null(at);
	mkdir(HD_TEST_TMP, 0777);
	path = hd_path_join(HD_TEST_TMP, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(src, 1, (size_t)(at - src), f);
	fputs(to, f);
	fputs(at + strlen(from), f);
	fclose(f);
	free(src);
	return path;
}

/* The 1-based line of the first needle in the file at path: messages name
 * lines of the shipped template, which moves as it is edited. */
static int line_of(const char *path, const char *needle)
{
	char *text = slurp(path), *at = strstr(text, needle), *q;
	int line = 1;
	assert_non_null(at);
	for (q = text; q < at; q++)
		line += *q == '\n';
	free(text);
	return line;
}

static void test_template_rules(void **state)
{
	char *path, want[1200];
	int parts_line = line_of("xml/templates/aftercare.xml", "<parts>");
	int es_line = line_of("xml/templates/aftercare.xml", "<labels xml:lang=\"es\"");

	path = template_variant("load-no-warnings.xml", "<warning-signs columns=\"2\"/>", "");
	snprintf(want, sizeof(want),
	         "%s:%d: error: the warning signs must be part of every aftercare\n"
	         "  hint: add <warning-signs/> to <parts>", path, parts_line);
	expect_one(load_template_fn, path, want, HD_EINPUT);
	free(path);

	path = template_variant("load-es-key.xml",
	                        "<label key=\"your-dose\">Cu\xc3\xa1nto y cada cu\xc3\xa1nto</label>", "");
	snprintf(want, sizeof(want),
	         "%s:%d: error: the labels for 'es' lack the key 'your-dose'\n"
	         "  hint: every set of labels needs every key of the English set", path, es_line);
	expect_one(load_template_fn, path, want, HD_EINPUT);
	free(path);

	/* quotes on a set of labels: curly or angle, nothing else */
	path = template_variant("load-quotes.xml", "<labels xml:lang=\"es\" quotes=\"angle\">",
	                        "<labels xml:lang=\"es\" quotes=\"fancy\">");
	{
		hd_diags d = HD_DIAGS_INIT;
		char *got;
		assert_int_equal(load_template_fn(path, &d), HD_EINPUT);
		got = format_diags(&d);
		snprintf(want, sizeof(want), "%s:%d:", path, es_line);
		assert_non_null(strstr(got, want));
		assert_non_null(strstr(got, "quotes"));
		free(got);
		hd_diags_free(&d);
	}
	free(path);
	{
		hd_diags d = HD_DIAGS_INIT;
		hd_template *t = NULL;
		assert_int_equal(hd_load_template(&t, loader, "xml/templates/aftercare.xml", &d), HD_OK);
		assert_int_equal(hd_template_quotes(t, "es"), 1); /* angle */
		assert_int_equal(hd_template_quotes(t, "en"), 0); /* curly, the default */
		hd_template_free(t);
		hd_diags_free(&d);
	}
	path = template_variant("load-quotes-curly.xml", "<labels xml:lang=\"es\" quotes=\"angle\">",
	                        "<labels xml:lang=\"es\" quotes=\"curly\">");
	{
		hd_diags d = HD_DIAGS_INIT;
		hd_template *t = NULL;
		assert_int_equal(hd_load_template(&t, loader, path, &d), HD_OK);
		assert_int_equal(hd_template_quotes(t, "es"), 0);
		hd_template_free(t);
		hd_diags_free(&d);
	}
	free(path);

	path = template_variant("load-sizes.xml", "min-body=\"10\" min-large-body=\"14\"",
	                        "min-body=\"12\" min-large-body=\"13\"");
	{
		hd_diags d = HD_DIAGS_INIT;
		char *got;
		assert_int_equal(load_template_fn(path, &d), HD_EINPUT);
		got = format_diags(&d);
		snprintf(want, sizeof(want),
		         "%s:5: error: min-body (12) is larger than body (11)\n"
		         "  hint: min-body is how far the body type may shrink, so it cannot be larger\n"
		         "%s:5: error: min-large-body (13) is smaller than 14\n"
		         "  hint: large print must stay at 14 points or more, even when shrunk\n",
		         path, path);
		assert_string_equal(got, want);
		free(got);
		hd_diags_free(&d);
	}
	free(path);
}

static void test_check_any(void **state)
{
	static const struct {
		const char *path;
		enum hd_vocab vocab;
	} files[] = {
		{ "xml/sessions/zoe.xml", HD_VOCAB_SESSION },
		{ "xml/clinic/clinic.xml", HD_VOCAB_CLINIC },
		{ "xml/templates/aftercare.xml", HD_VOCAB_TEMPLATE },
		{ "tests/data/load/lib-mini/a-core.xml", HD_VOCAB_LIBRARY },
	};
	size_t i;

	for (i = 0; i < HD_ARRAY_LEN(files); i++) {
		hd_diags d = HD_DIAGS_INIT;
		enum hd_vocab v = HD_VOCAB_UNKNOWN;
		assert_int_equal(hd_load_check(loader, files[i].path, NULL, &v, &d), HD_OK);
		assert_int_equal(v, files[i].vocab);
		assert_int_equal(d.count, 0);
		hd_diags_free(&d);
	}
}

/* Writes text to name in the build's test folder; returns the path
 * (malloc'd). */
static char *write_tmp(const char *name, const char *text, size_t len)
{
	char *path;
	FILE *f;

	mkdir(HD_TEST_TMP, 0777);
	path = hd_path_join(HD_TEST_TMP, name);
	assert_non_null(path);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	return path;
}

/* A session whose <selfcare> holds n tips made by fmt (with %d for i). */
static char *session_with_tips(const char *name, int n, const char *fmt)
{
	hd_buf b = HD_BUF_INIT;
	char *path;
	int i;

	hd_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                "<session xmlns=\"urn:handout:session:1\" version=\"1\">\n"
	                "<client><name>Sam</name></client><date>2026-11-20</date>"
	                "<therapist>Maria</therapist>\n"
	                "<techniques><technique ref=\"swedish\"/></techniques>\n"
	                "<areas><area>neck</area></areas>\n<selfcare>\n");
	for (i = 0; i < n; i++) {
		hd_buf_printf(&b, fmt, i);
		hd_buf_putc(&b, '\n');
	}
	hd_buf_puts(&b, "</selfcare>\n</session>\n");
	assert_false(b.oom);
	path = write_tmp(name, b.data, b.len);
	hd_buf_free(&b);
	return path;
}

/* The last line of the diagnostics, and the count of error lines. */
static void expect_capped(const char *path, size_t nerrors, const char *first, const char *last)
{
	hd_diags d = HD_DIAGS_INIT;
	char line[1600], want[1600];

	assert_int_equal(load_session_fn(path, &d), HD_EINPUT);
	assert_int_equal(d.nerrors, nerrors);
	assert_int_equal(d.count, HD_DIAGS_MAX_ERRORS + 1);
	hd_diag_format(line, sizeof(line), &d.items[0]);
	snprintf(want, sizeof(want), "%s%s", path, first);
	assert_string_equal(line, want);
	hd_diag_format(line, sizeof(line), &d.items[d.count - 1]);
	snprintf(want, sizeof(want), "%s%s", path, last);
	assert_string_equal(line, want);
	hd_diags_free(&d);
}

/* Reference problems and schema problems share one cap: 100 listed, then
 * one line for the rest. */
static void test_error_cap(void **state)
{
	char *path = session_with_tips("load-dup-tips.xml", 10000, "<tip ref=\"drink-water\"/>");

	expect_capped(path, 9999,
	              ":8: error: tip 'drink-water' is listed twice\n"
	              "  hint: it is already listed on line 7",
	              ": error: 9899 more errors not shown\n"
	              "  hint: only the first 100 errors are listed; fix them and run again");
	free(path);
	path = session_with_tips("load-bad-tips.xml", 10000, "<tip ref=\"Bad_%d\"/>");
	expect_capped(path, 10000,
	              ":7: error: ref=\"Bad_0\" on <tip> is not a library id\n"
	              "  hint: ids use lower-case letters, digits and '-', e.g. knee-to-chest",
	              ": error: 9900 more errors not shown\n"
	              "  hint: only the first 100 errors are listed; fix them and run again");
	free(path);
}

/* What is between <parts> and </parts> in the template at path (malloc'd). */
static char *parts_of_template(const char *path)
{
	char *text = slurp(path), *a, *b, *out;
	assert_non_null(text);
	a = strstr(text, "<parts>");
	b = strstr(text, "</parts>");
	assert_true(a && b && b > a);
	a += strlen("<parts>");
	out = strndup(a, (size_t)(b - a));
	free(text);
	return out;
}

/* A copy of src with the first from replaced by to (from may span lines:
 * the copy is made from the text), written to the build's test folder.
 * Returns its path (malloc'd). */
static char *variant(const char *src, const char *name, const char *from, const char *to)
{
	char *text = slurp(src), *at, *path;
	hd_buf b = HD_BUF_INIT;

	assert_non_null(text);
	at = strstr(text, from);
	if (!at)
		fprintf(stderr, "%s: no \"%s\"\n", src, from);
	assert_non_null(at);
	hd_buf_append(&b, text, (size_t)(at - text));
	hd_buf_puts(&b, to);
	hd_buf_puts(&b, at + strlen(from));
	assert_false(b.oom);
	path = write_tmp(name, b.data, b.len);
	hd_buf_free(&b);
	free(text);
	return path;
}

/* Loads the variant with fn and compares all its diagnostics with want
 * (each line prefixed with the variant's path). */
static void expect_variant(load_fn fn, const char *src, const char *from, const char *to,
                           const char *want)
{
	char *path = variant(src, "load-variant.xml", from, to);
	hd_diags d = HD_DIAGS_INIT;
	hd_buf w = HD_BUF_INIT;
	const char *p = want;
	char *got;

	assert_int_equal(fn(path, &d), HD_EINPUT);
	while (*p) { /* the path before every line that is not a hint */
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (strncmp(p, "  hint: ", 8) != 0)
			hd_buf_puts(&w, path);
		hd_buf_append(&w, p, len);
		p += len;
	}
	got = format_diags(&d);
	if (strcmp(got, w.data) != 0)
		fprintf(stderr, "%s -> %s: got:\n%s\nwant:\n%s\n", from, to, got, w.data);
	assert_string_equal(got, w.data);
	free(got);
	free(path);
	hd_buf_free(&w);
	hd_diags_free(&d);
}

#define MINIMAL "xml/sessions/minimal.xml"

/* An empty container names what it needs, for every container of every
 * vocabulary (libxml2 says "Expecting an element , got nothing": it names
 * no element where the schema has a choice or oneOrMore). */
static void test_empty_containers(void **state)
{
	expect_variant(load_session_fn, MINIMAL, "<techniques><technique ref=\"swedish\"/></techniques>",
	               "<techniques></techniques>",
	               ":7: error: <techniques> needs at least one <technique>\n"
	               "  hint: add <technique ref=\"...\"/> for each technique used "
	               "('handout list -k technique' lists them)\n");
	expect_variant(load_session_fn, MINIMAL, "<areas><area>neck</area></areas>", "<areas/>",
	               ":8: error: <areas> needs at least one <area>\n"
	               "  hint: add <area>...</area> for each area worked, e.g. <area>neck</area>\n");
	expect_variant(load_session_fn, MINIMAL, "</areas>", "</areas>\n  <notes>\n  </notes>",
	               ":9: error: <notes> needs at least one <p>, <ul> or <ol>\n"
	               "  hint: write the notes as <p>...</p>, or remove the empty <notes>\n");
	expect_variant(load_session_fn, MINIMAL, "</areas>", "</areas><notes><ul></ul><p>x</p><ol/></notes>",
	               ":8: error: <ul> needs at least one <li>\n"
	               "  hint: write each item as <li>...</li>, or remove the empty list\n"
	               ":8: error: <ol> needs at least one <li>\n"
	               "  hint: write each item as <li>...</li>, or remove the empty list\n");
	expect_variant(load_session_fn, MINIMAL, "</areas>", "</areas><selfcare></selfcare>",
	               ":8: error: <selfcare> needs at least one <tip>\n"
	               "  hint: add <tip ref=\"...\"/> for each tip, or remove the empty <selfcare>\n");
	expect_variant(load_session_fn, MINIMAL, "<client><name>Sam Lee</name></client>", "<client></client>",
	               ":4: error: <client> is missing <name>\n"
	               "  hint: inside <client> the order is: <name>, [<email>]\n");
	expect_variant(load_session_fn, MINIMAL, "<client><name>Sam Lee</name></client>\n"
	               "  <date>2026-11-20</date>\n  <therapist>Maria N\xc3\xba\xc3\xb1" "ez</therapist>\n"
	               "  <techniques><technique ref=\"swedish\"/></techniques>\n"
	               "  <areas><area>neck</area></areas>\n", "",
	               ":3: error: <session> is missing <client>\n"
	               "  hint: inside <session> the order is: <client>, <date>, <therapist>, [<language>], "
	               "[<print>], <techniques>, <areas>, [<pressure>], [<pain>], [<notes>], [<selfcare>], "
	               "[<next-visit>]\n");
	expect_variant(load_clinic_fn, "xml/clinic/clinic.xml",
	               "<line>14 Willow Quay, Unit 3</line>\n    <line>Riverside RV2 7LN</line>", "",
	               ":5: error: <address> needs at least one <line>\n"
	               "  hint: write each line of the address as <line>...</line>\n");
	{
		char want[400];
		snprintf(want, sizeof(want),
		         ":%d: error: <parts> needs at least one part\n"
		         "  hint: list the parts in the order they are printed, e.g. <title/>, "
		         "<summary/>, <warning-signs/>\n",
		         line_of("xml/templates/aftercare.xml", "<parts>"));
		char *parts = parts_of_template("xml/templates/aftercare.xml");
		expect_variant(load_template_fn, "xml/templates/aftercare.xml", parts, "\n  ", want);
		free(parts);
		snprintf(want, sizeof(want),
		         ":%d: error: <labels> needs at least one <label>\n"
		         "  hint: write each label as <label key=\"...\">...</label>\n",
		         line_of("xml/templates/aftercare.xml", "<labels xml:lang=\"en\">"));
		expect_variant(load_template_fn, "xml/templates/aftercare.xml",
		               "<labels xml:lang=\"en\">",
		               "<labels xml:lang=\"fr\"></labels>\n  <labels xml:lang=\"en\">", want);
	}
	{
		static const char lib[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		                          "<library xmlns=\"urn:handout:library:1\" version=\"1\" "
		                          "languages=\"en\">\n</library>\n";
		char *src = write_tmp("load-empty-library.xml", lib, sizeof(lib) - 1);
		expect_variant(load_library_fn, src, "\n</library>", "\n</library>",
		               ":2: error: <library> needs at least one <entry> or <drawing>\n"
		               "  hint: a library file holds <entry> elements and <drawing> elements\n");
		free(src);
	}
}

/* A session that fails its schema is still checked against the library,
 * so one run lists every problem: the schema's, then unknown ids, worded
 * as merge words them. */
static void test_refs_of_invalid_session(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_library *lib = NULL;
	hd_session_rec *s = (hd_session_rec *)1;
	char *path, *got, want[2000];

	assert_int_equal(hd_load_library_dir(&lib, loader, "xml/library", &d), HD_OK);
	path = variant("xml/sessions/plain.xml", "load-refs.xml", "<technique ref=\"swedish\"/>",
	               "<technique ref=\"swedsh\"/>");
	free(path);
	path = variant(HD_TEST_TMP "/load-refs.xml", "load-refs2.xml", "<area>lumbar-left</area>",
	               "<area>lumbar-lft</area>");
	free(path);
	path = variant(HD_TEST_TMP "/load-refs2.xml", "load-refs3.xml", "<pressure>medium</pressure>",
	               "<pressure>hard</pressure>");
	free(path);
	path = variant(HD_TEST_TMP "/load-refs3.xml", "load-refs4.xml", "<tip ref=\"drink-water\"/>",
	               "<tip ref=\"drink-watr\"/><technique ref=\"rest\"/>");
	assert_int_equal(hd_load_session(&s, loader, path, lib, &d), HD_EINPUT);
	assert_null(s);
	got = format_diags(&d);
	snprintf(want, sizeof(want),
	         "%s:17: error: 'lumbar-lft' is not an area\n"
	         "  hint: did you mean 'lumbar-left'?\n"
	         "%s:21: error: 'hard' is not a pressure\n"
	         "  hint: use light, medium, firm or deep\n"
	         "%s:29: error: <technique> is not allowed inside <selfcare>\n"
	         "  hint: inside <selfcare> the order is: <tip>...\n"
	         "%s:13: error: technique 'swedsh' is not in the library; did you mean 'swedish'?\n"
	         "  hint: run 'handout list' to see every id in the library\n"
	         "%s:29: error: self-care tip 'drink-watr' is not in the library; did you mean 'drink-water'?\n"
	         "  hint: run 'handout list' to see every id in the library\n"
	         "%s:29: error: 'rest' is a selfcare entry, not a technique\n",
	         path, path, path, path, path, path);
	assert_string_equal(got, want);
	free(got);
	hd_diags_free(&d);

	/* Without a library, only the schema's problems. */
	assert_int_equal(hd_load_session(&s, loader, path, NULL, &d), HD_EINPUT);
	assert_int_equal(d.nerrors, 3);
	hd_diags_free(&d);
	/* A valid session with an unknown id fails to load when the library
	 * is given, and loads without it (merge resolves later). */
	free(path);
	path = variant("xml/sessions/plain.xml", "load-refs5.xml", "<technique ref=\"swedish\"/>",
	               "<technique ref=\"swedsh\"/>");
	assert_int_equal(hd_load_session(&s, loader, path, lib, &d), HD_EINPUT);
	assert_int_equal(d.nerrors, 1);
	hd_diags_free(&d);
	assert_int_equal(hd_load_session(&s, loader, path, NULL, &d), HD_OK);
	hd_session_rec_free(s);
	assert_int_equal(d.count, 0);
	free(path);
	hd_library_free(lib);
}

/* n times "\xc3\xa9" (e-acute: two bytes, one character), in a static
 * buffer, after prefix and before suffix. */
static const char *accents(const char *prefix, size_t n, const char *suffix)
{
	static char buf[2048];
	size_t o = (size_t)snprintf(buf, sizeof(buf), "%s", prefix), i;

	for (i = 0; i < n && o + 3 < sizeof(buf); i++) {
		buf[o++] = '\xc3';
		buf[o++] = '\xa9';
	}
	snprintf(buf + o, sizeof(buf) - o, "%s", suffix);
	return buf;
}

/* Each text field of a session or clinic at its limit loads; one
 * character more is refused with the exact message. Lengths count
 * characters (code points): the test text is two bytes a character. */
static void test_field_limits(void **state)
{
	static const struct {
		load_fn fn;
		const char *src, *from, *open, *close;
		size_t max, extra; /* extra: characters open/close add to the value */
		const char *want;
	} cases[] = {
		{ load_session_fn, MINIMAL, "<name>Sam Lee</name>", "<name>", "</name>", 100, 0,
		  ":4: error: the client's name is 101 characters long; the limit is 100\n"
		  "  hint: shorten it: it is printed in the title, \"Aftercare for ...\"\n" },
		{ load_session_fn, MINIMAL, "</name>", "</name><email>", "@example.org</email>", 254, 12,
		  ":4: error: the client's email address is 255 characters long; the limit is 254\n"
		  "  hint: an email address has at most 254 characters; check it\n" },
		{ load_session_fn, MINIMAL, "<therapist>Maria N\xc3\xba\xc3\xb1" "ez</therapist>", "<therapist>",
		  "</therapist>", 100, 0,
		  ":6: error: the therapist's name is 101 characters long; the limit is 100\n"
		  "  hint: shorten it: it is printed beside the date\n" },
		{ load_session_fn, "xml/sessions/plain.xml", "<tip ref=\"drink-water\"/>",
		  "<tip ref=\"drink-water\" dose=\"", "\"/>", 120, 0,
		  ":29: error: the dose of tip 'drink-water' is 121 characters long; the limit is 120\n"
		  "  hint: shorten it: a dose is one short instruction, e.g. \"Hold 30 s, 3 times a day\"\n" },
		{ load_clinic_fn, "xml/clinic/clinic.xml", "<name>Riverside Massage &amp; Wellness</name>",
		  "<name>", "</name>", 80, 0,
		  ":4: error: the clinic's name is 81 characters long; the limit is 80\n"
		  "  hint: shorten it: it is printed in the header of every page\n" },
		{ load_clinic_fn, "xml/clinic/clinic.xml", "<line>Riverside RV2 7LN</line>", "<line>", "</line>",
		  100, 0,
		  ":7: error: an address line is 101 characters long; the limit is 100\n"
		  "  hint: split it into two <line> elements\n" },
		{ load_clinic_fn, "xml/clinic/clinic.xml", "<phone>+44 1632 960 418</phone>", "<phone>",
		  "</phone>", 40, 0,
		  ":9: error: the phone number is 41 characters long; the limit is 40\n"
		  "  hint: write only the number, e.g. +44 1632 960 418\n" },
		{ load_clinic_fn, "xml/clinic/clinic.xml", "<email>hello@riverside-massage.example</email>",
		  "<email>", "@example.org</email>", 254, 12,
		  ":10: error: the clinic's email address is 255 characters long; the limit is 254\n"
		  "  hint: an email address has at most 254 characters; check it\n" },
		{ load_clinic_fn, "xml/clinic/clinic.xml", "<website>https://riverside-massage.example</website>",
		  "<website>https://", "</website>", 200, 8,
		  ":11: error: the website address is 201 characters long; the limit is 200\n"
		  "  hint: give the shortest address that works, e.g. https://example.org\n" },
	};
	size_t i;

	for (i = 0; i < HD_ARRAY_LEN(cases); i++) {
		size_t n = cases[i].max - cases[i].extra;
		hd_diags d = HD_DIAGS_INIT;
		char *path = variant(cases[i].src, "load-limit.xml", cases[i].from,
		                     accents(cases[i].open, n, cases[i].close));
		int rc = cases[i].fn(path, &d);
		if (rc)
			hd_diags_print(&d, stderr);
		assert_int_equal(rc, HD_OK);
		hd_diags_free(&d);
		free(path);
		expect_variant(cases[i].fn, cases[i].src, cases[i].from,
		               accents(cases[i].open, n + 1, cases[i].close), cases[i].want);
	}
}

/* A required field of only white space, of any kind, is empty; what is
 * kept is trimmed of it. */
static void test_blank_fields(void **state)
{
	char *path = variant(MINIMAL, "load-trim.xml", "<name>Sam Lee</name>",
	                     "<name>\xc2\xa0Sam Lee\xe3\x80\x80</name>");
	hd_session_rec *s = session(path);

	assert_string_equal(s->client, "Sam Lee");
	hd_session_rec_free(s);
	free(path);
	expect_variant(load_session_fn, MINIMAL, "<name>Sam Lee</name>",
	               "<name>\xc2\xa0\xc2\xa0 \xc2\xa0</name>",
	               ":4: error: <name> holds only white space\n"
	               "  hint: write the text between the tags; no-break and other invisible spaces "
	               "do not count\n");
	expect_variant(load_session_fn, MINIMAL, "<therapist>Maria N\xc3\xba\xc3\xb1" "ez</therapist>",
	               "<therapist>\xe2\x80\x8b\xef\xbb\xbf</therapist>",
	               ":6: error: <therapist> holds only white space\n"
	               "  hint: write the text between the tags; no-break and other invisible spaces "
	               "do not count\n");
	expect_variant(load_session_fn, "xml/sessions/plain.xml", "<tip ref=\"drink-water\"/>",
	               "<tip ref=\"drink-water\" dose=\"\xe2\x80\x83\"/>",
	               ":29: error: the dose of tip 'drink-water' is empty\n"
	               "  hint: write the dose, or leave out dose=\"\" to use the default\n");
	expect_variant(load_clinic_fn, "xml/clinic/clinic.xml", "<phone>+44 1632 960 418</phone>",
	               "<phone>\xe2\x80\xaf</phone>",
	               ":9: error: <phone> holds only white space\n"
	               "  hint: write the text between the tags; no-break and other invisible spaces "
	               "do not count\n");
	expect_variant(load_clinic_fn, "xml/clinic/clinic.xml", "<line>Riverside RV2 7LN</line>",
	               "<line>\xe3\x80\x80</line>",
	               ":7: error: <line> holds only white space\n"
	               "  hint: write the text between the tags; no-break and other invisible spaces "
	               "do not count\n");
}

/* The clinic's <sender>: a name of its own, and addresses checked strictly
 * (they go into every message's header and the SMTP envelope). */
static void test_clinic_sender(void **state)
{
	static const char from[] = "<email>sheets@riverside-massage.example</email>";
	char *path = variant("xml/clinic/clinic.xml", "sender.xml", from,
	                     "<name>Riverside \xc3\x91\xc3\xba\xc3\xb1" "ez</name>" "<email>a.b+c@mail.example.org</email>");
	hd_diags d = HD_DIAGS_INIT;
	hd_clinic *c = NULL;

	(void)state;
	assert_int_equal(hd_load_clinic(&c, loader, path, &d), HD_OK);
	assert_string_equal(c->sender_name, "Riverside \xc3\x91\xc3\xba\xc3\xb1" "ez");
	assert_string_equal(c->sender_email, "a.b+c@mail.example.org");
	hd_clinic_free(c);
	hd_diags_free(&d);
	free(path);
	/* no <sender>: no sender, no error */
	path = variant("xml/clinic/clinic.xml", "sender.xml",
	               "<sender>\n    <email>sheets@riverside-massage.example</email>\n"
	               "    <reply-to>hello@riverside-massage.example</reply-to>\n  </sender>\n", "");
	assert_int_equal(hd_load_clinic(&c, loader, path, &d), HD_OK);
	assert_null(c->sender_email);
	assert_null(c->reply_to);
	hd_clinic_free(c);
	hd_diags_free(&d);
	free(path);
	expect_variant(load_clinic_fn, "xml/clinic/clinic.xml", from,
	               "<email>Front desk &lt;desk@example.org&gt;</email>",
	               ":16: error: the sender's email address 'Front desk <desk@example.org>' is not an "
	               "address mail can carry: it contains a space\n"
	               "  hint: write one plain address, such as sheets@example.org, with no name or "
	               "angle brackets around it\n");
	expect_variant(load_clinic_fn, "xml/clinic/clinic.xml",
	               "<reply-to>hello@riverside-massage.example</reply-to>",
	               "<reply-to>hello@riverside-massage.example,x@evil.example</reply-to>",
	               ":17: error: the reply-to address 'hello@riverside-massage.example,x@evil.example' "
	               "is not an address mail can carry: the part before the '@' has a character an "
	               "address cannot have (such as '@', '<', '>', ',', ';', ':', '\"', '(', ')' or "
	               "'\\')\n"
	               "  hint: write one plain address, such as sheets@example.org, with no name or "
	               "angle brackets around it\n");
}

/* The strict address check shared by the clinic loader and the mail stage. */
static void test_email_problem(void **state)
{
	static const char *const good[] = { "zoe@example.org", "a.b-c+tag@sub.example.co.uk",
		"o'brien@example.ie", "x@a-b.example", "1@2.example" };
	static const struct { const char *addr, *why; } bad[] = {
		{ "", "it is empty" },
		{ "zoe", "it has no '@'" },
		{ "@example.org", "nothing comes before the '@'" },
		{ "zoe@", "nothing comes after the '@'" },
		{ "zoe@localhost", "the domain after the '@' has no dot (example.org)" },
		{ "zoe@example.org\r\nBcc: x@evil.example", "it contains a control character (a line break, a tab...)" },
		{ "zo\xc3\xab@example.org", "it contains a character that is not ASCII" },
		{ "Zoe <zoe@example.org>", "it contains a space" },
		{ "zoe..l@example.org", "a dot before the '@' is first, last or doubled" },
		{ ".zoe@example.org", "a dot before the '@' is first, last or doubled" },
		{ "zoe@exa_mple.org", "the domain has a character other than letters, digits, '-' and '.'" },
		{ "zoe@example..org", "the domain has an empty part (two dots, or a dot first or last)" },
		{ "zoe@-example.org", "a part of the domain starts or ends with '-'" },
		{ "zoe@192.168.0.1", "the domain ends in a number, not a name (example.org)" },
		{ "zoe@[192.168.0.1]", "the domain has a character other than letters, digits, '-' and '.'" },
	};
	char longlocal[80], longaddr[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		assert_null(hd_email_problem(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_string_equal(hd_email_problem(bad[i].addr), bad[i].why);
	memset(longlocal, 'a', 65);
	strcpy(longlocal + 65, "@example.org");
	assert_string_equal(hd_email_problem(longlocal), "the part before the '@' is longer than 64 characters");
	memset(longaddr, 'b', 250);
	memcpy(longaddr, "a@", 2);
	strcpy(longaddr + 250, ".org");
	assert_string_equal(hd_email_problem(longaddr), "a part of the domain is longer than 63 characters");
	strcpy(longaddr + 250, "x.org"); /* 255 */
	assert_string_equal(hd_email_problem(longaddr), "it is longer than 254 characters");
	assert_string_equal(hd_email_problem(NULL), "it is empty");
}

/* "-" reads the session from standard input; diagnostics name it <stdin>. */
static void test_stdin(void **state)
{
	char *text = slurp("xml/sessions/minimal.xml");
	hd_session_rec *s = NULL;
	hd_diags d = HD_DIAGS_INIT;
	int fds[2], saved;
	size_t len;

	assert_non_null(text);
	len = strlen(text);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], text, len), (ssize_t)len); /* fits the pipe's buffer */
	close(fds[1]);
	saved = dup(0);
	assert_int_equal(dup2(fds[0], 0), 0);
	close(fds[0]);
	assert_int_equal(hd_load_session(&s, loader, "-", NULL, &d), HD_OK);
	assert_string_equal(s->file, "<stdin>");
	assert_string_equal(s->client, "Sam Lee");
	hd_session_rec_free(s);
	/* Read once: now it is at its end. */
	assert_int_equal(hd_load_session(&s, loader, "-", NULL, &d), HD_EINPUT);
	assert_int_equal(d.count, 1);
	{
		char line[1600];
		hd_diag_format(line, sizeof(line), &d.items[0]);
		assert_string_equal(line, "<stdin>: error: the file is empty\n"
		                          "  hint: a handout file starts with <?xml version=\"1.0\" "
		                          "encoding=\"UTF-8\"?>");
	}
	hd_diags_free(&d);
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
	free(text);
}

static void test_area_codes(void **state)
{
	assert_int_equal(hd_area_count, 14);
	assert_string_equal(hd_area_codes[0], "neck");
	assert_string_equal(hd_area_codes[13], "hamstring-right");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_session),
		cmocka_unit_test(test_history_fields),
		cmocka_unit_test(test_zoe_session),
		cmocka_unit_test(test_minimal_session),
		cmocka_unit_test(test_large_print_and_spanish),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_clinic_sender),
		cmocka_unit_test(test_email_problem),
		cmocka_unit_test(test_clinic),
		cmocka_unit_test(test_library_mini),
		cmocka_unit_test(test_real_library),
		cmocka_unit_test(test_diag_files),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_template_rules),
		cmocka_unit_test(test_check_any),
		cmocka_unit_test(test_area_codes),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_empty_containers),
		cmocka_unit_test(test_refs_of_invalid_session),
		cmocka_unit_test(test_field_limits),
		cmocka_unit_test(test_blank_fields),
		cmocka_unit_test(test_stdin),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
