/*
 * Merge tests on the real content: the library in xml/library, the aftercare
 * template, the clinic profile and the sample sessions. Each test merges a
 * session and checks the block tree through its plain text (one block per
 * line, see hd_block_plain_text), so the assertions read like the sheet.
 * Sessions that only a test needs are written to HD_TEST_TMP.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "load.h"
#include "merge.h"

#define XML HD_SOURCE_DIR "/xml"

static hd_loader *loader;
static hd_library *lib;
static hd_template *tmpl;
static hd_clinic *clinic;

static int setup(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	int rc;

	(void)state;
	rc = hd_loader_new(&loader, XML "/schema", &d);
	if (!rc)
		rc = hd_load_library_dir(&lib, loader, XML "/library", &d);
	if (!rc)
		rc = hd_load_template(&tmpl, loader, XML "/templates/aftercare.xml", &d);
	if (!rc)
		rc = hd_load_clinic(&clinic, loader, XML "/clinic/clinic.xml", &d);
	if (rc)
		hd_diags_print(&d, stderr);
	hd_diags_free(&d);
	mkdir(HD_TEST_TMP, 0755);
	return rc ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	hd_clinic_free(clinic);
	hd_template_free(tmpl);
	hd_library_free(lib);
	hd_loader_free(loader);
	return 0;
}

/* ----- helpers --------------------------------------------------------------- */

/* A merged sheet and the session it came from (the sheet borrows the
 * session's language string, so both live together). */
typedef struct sheet {
	hd_session_rec *s;
	hd_doc *m;
} sheet;

static void sheet_free(sheet *sh)
{
	hd_doc_free(sh->m);
	hd_session_rec_free(sh->s);
	sh->m = NULL;
	sh->s = NULL;
}

/* The blocks of the main flow (the sheet's only flow). */
static const hd_block *main_blocks(const hd_doc *m)
{
	size_t i;
	for (i = 0; i < m->nflows; i++) {
		if (!strcmp(m->flows[i].name, "main"))
			return m->flows[i].blocks;
	}
	fail_msg("no main flow");
	return NULL;
}

/* The first block of the main flow that is not a figure (the body diagram
 * floats at the top of the sheet). */
static const hd_block *first_text(const hd_doc *m)
{
	const hd_block *b = main_blocks(m);
	while (b && b->kind == HD_BLK_FIGURE)
		b = b->next;
	return b;
}

/* Loads the session at path and merges it with t; asserts that both work. */
static sheet merge_with(const char *path, const hd_template *t)
{
	hd_diags d = HD_DIAGS_INIT;
	sheet sh = { NULL, NULL };
	int rc = hd_load_session(&sh.s, loader, path, NULL, &d);

	if (!rc)
		rc = hd_merge(&sh.m, t, sh.s, clinic, lib, NULL, &d);
	if (rc)
		hd_diags_print(&d, stderr);
	assert_int_equal(rc, HD_OK);
	assert_int_equal(d.count, 0);
	hd_diags_free(&d);
	assert_non_null(sh.m);
	assert_non_null(main_blocks(sh.m));
	return sh;
}

static sheet merge_sample(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), XML "/sessions/%s", name);
	return merge_with(path, tmpl);
}

/* The plain text of one block (with its children) or of a whole list. */
static char *text_of(const hd_block *b, int whole_list)
{
	hd_buf buf = HD_BUF_INIT;
	hd_block one;

	if (whole_list) {
		assert_int_equal(hd_block_plain_text(b, &buf), HD_OK);
	} else {
		one = *b;
		one.next = NULL;
		assert_int_equal(hd_block_plain_text(&one, &buf), HD_OK);
	}
	if (!buf.data)
		hd_buf_puts(&buf, "");
	return hd_buf_detach(&buf, NULL);
}

/* The first top-level block whose text starts with prefix, or NULL. */
static const hd_block *find_block(const hd_doc *m, const char *prefix)
{
	const hd_block *b;
	for (b = main_blocks(m); b; b = b->next) {
		char *t = text_of(b, 0);
		int hit = !strncmp(t, prefix, strlen(prefix));
		free(t);
		if (hit)
			return b;
	}
	return NULL;
}

/* The only callout of the document; asserts there is exactly one. */
static const hd_block *the_callout(const hd_doc *m)
{
	const hd_block *b, *found = NULL;
	for (b = main_blocks(m); b; b = b->next) {
		if (b->kind == HD_BLK_CALLOUT) {
			assert_null(found);
			found = b;
		}
	}
	assert_non_null(found);
	return found;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

/* Writes text to HD_TEST_TMP/name; returns the malloc'd path. */
static char *write_tmp(const char *name, const char *text)
{
	char *path = hd_path_join(HD_TEST_TMP, name);
	FILE *f;

	assert_non_null(path);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	return path;
}

/* A session record with the given techniques and tips elements. */
static char *write_session(const char *name, const char *techniques, const char *tips)
{
	char text[4096];
	snprintf(text, sizeof(text),
	         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	         "<session xmlns=\"urn:handout:session:1\" version=\"1\">\n"
	         "  <client><name>Sam Lee</name></client>\n"
	         "  <date>2026-11-20</date>\n"
	         "  <therapist>Maria N\xC3\xBA\xC3\xB1" "ez</therapist>\n"
	         "  <techniques>\n%s  </techniques>\n"
	         "  <areas><area>neck</area></areas>\n"
	         "  <selfcare>\n%s  </selfcare>\n"
	         "</session>\n",
	         techniques, tips);
	return write_tmp(name, text);
}

/* ----- title and summary ----------------------------------------------------- */

static void test_title_is_aftercare_for_client(void **state)
{
	sheet sh = merge_sample("zoe.xml");
	char *t = text_of(first_text(sh.m), 0);

	(void)state;
	assert_int_equal(first_text(sh.m)->kind, HD_BLK_HEADING);
	assert_int_equal(first_text(sh.m)->level, 1);
	assert_string_equal(t, "Aftercare for Zo\xC3\xAB \xC5\x81ukasiewicz\n");
	assert_string_equal(sh.m->title, "Aftercare for Zo\xC3\xAB \xC5\x81ukasiewicz");
	/* The name is one unbreakable span after "Aftercare for ". */
	assert_non_null(first_text(sh.m)->spans->next);
	assert_true(first_text(sh.m)->spans->next->nobreak);
	assert_string_equal(sh.m->lang, "en");
	assert_string_equal(sh.m->author, clinic->name);
	free(t);
	sheet_free(&sh);
}

static void test_summary_date_in_english(void **state)
{
	sheet sh = merge_sample("plain.xml");
	const hd_block *p = find_block(sh.m, "Date:\xC2\xA0");
	char *t;

	(void)state;
	assert_non_null(p);
	assert_ptr_equal(p, first_text(sh.m)->next); /* right after the title */
	t = text_of(p, 0);
	/* a no-break space keeps each label with its value */
	/* and the dot between two stays with the first ("a  ·" never
	 * begins a line) */
	assert_string_equal(t, "Date:\xC2\xA0November 20, 2026\xC2\xA0\xC2\xA0\xC2\xB7  "
	                       "Therapist:\xC2\xA0Maria N\xC3\xBA\xC3\xB1" "ez\xC2\xA0\xC2\xA0\xC2\xB7  "
	                       "Pressure:\xC2\xA0Medium\n");
	free(t);
	sheet_free(&sh);
}

static void test_summary_date_in_spanish(void **state)
{
	sheet sh = merge_sample("spanish.xml");
	const hd_block *p = find_block(sh.m, "Fecha:\xC2\xA0");
	char *t;

	(void)state;
	assert_string_equal(sh.m->lang, "es");
	assert_string_equal(sh.m->title, "Cuidados para Luc\xC3\xAD" "a Fern\xC3\xA1ndez Ortega");
	assert_non_null(p);
	t = text_of(p, 0);
	assert_contains(t, " de noviembre de ");
	assert_contains(t, "Fecha:\xC2\xA0" "20 de noviembre de 2026");
	assert_contains(t, "Presi\xC3\xB3n:\xC2\xA0Profunda");
	free(t);
	sheet_free(&sh);
}

/* ----- warning signs --------------------------------------------------------- */

static int is_urgent(const hd_entry *e)
{
	return e->urgency && !strcmp(e->urgency, "urgent");
}

/* The warning signs of the box as one list, in reading order: the list
 * itself, or the lists of a table's cells joined (copies in a static arena,
 * kept for the test's life). */
static const hd_block *joined_signs(const hd_block *b)
{
	static hd_arena a = HD_ARENA_INIT;
	const hd_block *row, *cell, *l, *it;
	hd_block *all;

	if (b->kind == HD_BLK_LIST)
		return b;
	assert_int_equal(b->kind, HD_BLK_TABLE);
	all = hd_block_new(&a, HD_BLK_LIST);
	for (row = b->children; row; row = row->next)
		for (cell = row->children; cell; cell = cell->next)
			for (l = cell->children; l; l = l->next)
				for (it = l->children; it; it = it->next) {
					hd_block *c = hd_block_copy_list(&a, it);
					c->next = NULL;
					hd_block_add_child(all, c);
				}
	return all;
}

/* Every warning-sign entry of the library is an item of the one callout, in
 * lang, and the urgent ones come first. */
static void check_warnings(const hd_doc *m, const char *lang)
{
	const hd_block *box = the_callout(m), *list, *it;
	size_t i, nsigns = 0, nitems = 0;
	int seen_soon = 0;
	char *all = text_of(box, 0);

	/* the box holds its title, then the list, or in standard print a table
	 * of two lists side by side (the first half on the left) */
	assert_non_null(box->children);
	list = box->children->next;
	assert_non_null(list);
	list = joined_signs(list);
	assert_int_equal(list->kind, HD_BLK_LIST);
	for (i = 0; i < lib->count; i++) {
		const hd_entry *e = lib->entries[i];
		if (strcmp(e->kind, "warning-sign"))
			continue;
		nsigns++;
		assert_contains(all, hd_entry_text_for(e, lang)->title);
	}
	assert_true(nsigns >= 1);

	for (it = list->children; it; it = it->next, nitems++) {
		char *t = text_of(it, 0);
		const hd_entry *match = NULL;
		for (i = 0; i < lib->count; i++) {
			const hd_entry *e = lib->entries[i];
			const char *title = hd_entry_text_for(e, lang)->title;
			if (!strcmp(e->kind, "warning-sign") && !strncmp(t, title, strlen(title)))
				match = e;
		}
		if (!match)
			fail_msg("callout item is no warning sign: %s", t);
		if (is_urgent(match))
			assert_false(seen_soon); /* an urgent sign after a "soon" one */
		else
			seen_soon = 1;
		assert_contains(t, hd_template_label(tmpl, lang, is_urgent(match) ? "urgent" : "soon"));
		free(t);
	}
	assert_int_equal(nitems, nsigns);
	free(all);
}

static void test_every_warning_sign_urgent_first(void **state)
{
	static const char *const samples[] = { "minimal.xml", "plain.xml", "zoe.xml",
		                                   "large-print.xml", "spanish.xml" };
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_LEN(samples); i++) {
		sheet sh = merge_sample(samples[i]);
		check_warnings(sh.m, sh.m->lang);
		sheet_free(&sh);
	}
}

/* The shipped file lists the urgent signs first anyway; with the file order
 * reversed (a shallow copy of the library, each sign's position negated) the
 * merge must still put them first, and keep file order within each group. */
static void test_urgent_first_whatever_the_file_order(void **state)
{
	hd_library rev = *lib;
	hd_entry *copies = calloc(lib->count, sizeof(*copies));
	hd_session_rec *s;
	hd_doc *m;
	hd_diags d = HD_DIAGS_INIT;
	const hd_block *it;
	const hd_entry *prev = NULL;
	size_t i;

	(void)state;
	assert_non_null(copies);
	rev.entries = calloc(lib->count, sizeof(*rev.entries));
	assert_non_null(rev.entries);
	for (i = 0; i < lib->count; i++) {
		copies[i] = *lib->entries[i];
		if (!strcmp(copies[i].kind, "warning-sign"))
			copies[i].order = -copies[i].order;
		rev.entries[i] = &copies[i];
	}
	assert_int_equal(hd_load_session(&s, loader, XML "/sessions/plain.xml", NULL, &d), HD_OK);
	assert_int_equal(hd_merge(&m, tmpl, s, clinic, &rev, NULL, &d), HD_OK);
	check_warnings(m, "en");
	for (it = joined_signs(the_callout(m)->children->next)->children; it; it = it->next) {
		char *t = text_of(it, 0);
		const hd_entry *e = NULL;
		for (i = 0; i < lib->count; i++) {
			const char *title = hd_entry_text_for(&copies[i], "en")->title;
			if (!strcmp(copies[i].kind, "warning-sign") && !strncmp(t, title, strlen(title)))
				e = &copies[i];
		}
		assert_non_null(e);
		if (prev && is_urgent(prev) == is_urgent(e))
			assert_true(prev->order < e->order);
		prev = e;
		free(t);
	}
	hd_doc_free(m);
	hd_session_rec_free(s);
	free(rev.entries);
	free(copies);
	hd_diags_free(&d);
}

/* The loader refuses an aftercare template without <warning-signs/>. */
static void test_template_without_warnings_is_refused(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_template *t = (hd_template *)1;
	char *text, *at, *path;
	size_t len;
	const char *tag = "<warning-signs columns=\"2\"/>";

	(void)state;
	assert_int_equal(hd_read_file(&text, &len, XML "/templates/aftercare.xml",
	                              HD_MAX_XML_FILE, &d), HD_OK);
	at = strstr(text, tag);
	assert_non_null(at);
	memmove(at, at + strlen(tag), strlen(at + strlen(tag)) + 1);
	path = write_tmp("merge-no-warnings.xml", text);

	assert_int_equal(hd_load_template(&t, loader, path, &d), HD_EINPUT);
	assert_null(t);
	assert_int_equal(d.nerrors, 1);
	assert_string_equal(d.items[0].message, "the warning signs must be part of every aftercare");
	assert_string_equal(d.items[0].hint, "add <warning-signs/> to <parts>");
	assert_string_equal(d.items[0].file, path);
	assert_true(d.items[0].line > 0);
	hd_diags_free(&d);
	free(path);
	free(text);
}

/* A template struct that bypassed the loader still gets the callout: merge
 * keeps the invariant on its own. */
static void test_handmade_template_still_gets_warnings(void **state)
{
	hd_template t = *tmpl; /* shallow: borrows the loaded template's labels */
	hd_part parts[32];
	size_t i, n = 0;
	sheet sh;
	const hd_block *last;

	(void)state;
	assert_true(tmpl->nparts <= 32);
	for (i = 0; i < tmpl->nparts; i++) {
		if (tmpl->parts[i].type != HD_PT_WARNINGS)
			parts[n++] = tmpl->parts[i];
	}
	t.parts = parts;
	assert_int_equal(n, tmpl->nparts - 1);
	t.nparts = n;
	sh = merge_with(XML "/sessions/plain.xml", &t);
	check_warnings(sh.m, "en");
	/* Without a place in the template it comes last. */
	for (last = main_blocks(sh.m); last->next; last = last->next)
		;
	assert_int_equal(last->kind, HD_BLK_CALLOUT);
	sheet_free(&sh);

	/* Even a template with no parts at all. */
	t.nparts = 0;
	sh = merge_with(XML "/sessions/plain.xml", &t);
	assert_ptr_equal(the_callout(sh.m), main_blocks(sh.m));
	assert_null(main_blocks(sh.m)->next);
	check_warnings(sh.m, "en");
	sheet_free(&sh);
}

/* ----- references ------------------------------------------------------------ */

static void test_unknown_ids_all_reported(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_session_rec *s;
	hd_doc *m = (hd_doc *)1;
	char *path = write_session("merge-typos.xml", "    <technique ref=\"swedsh\"/>\n",
	                           "    <tip ref=\"drink-watr\"/>\n");

	(void)state;
	assert_int_equal(hd_load_session(&s, loader, path, NULL, &d), HD_OK);
	assert_int_equal(hd_merge(&m, tmpl, s, clinic, lib, NULL, &d), HD_EINPUT);
	assert_null(m);
	assert_int_equal(d.nerrors, 2);
	assert_int_equal(d.count, 2);
	assert_string_equal(d.items[0].message,
	                    "technique 'swedsh' is not in the library; did you mean 'swedish'?");
	assert_string_equal(d.items[1].message,
	                    "self-care tip 'drink-watr' is not in the library; did you mean 'drink-water'?");
	/* Each names the place of the reference in the session file. */
	assert_string_equal(d.items[0].file, path);
	assert_string_equal(d.items[1].file, path);
	assert_int_equal(d.items[0].line, 7);
	assert_int_equal(d.items[1].line, 11);
	assert_string_equal(d.items[0].hint, "run 'handout list' to see every id in the library");
	hd_diags_free(&d);
	hd_session_rec_free(s);
	free(path);
}

static void test_unknown_id_without_suggestion(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_session_rec *s;
	hd_doc *m;
	char *path = write_session("merge-unknown.xml", "    <technique ref=\"zzzzzzzzzzzz\"/>\n",
	                           "    <tip ref=\"rest\"/>\n");

	(void)state;
	assert_int_equal(hd_load_session(&s, loader, path, NULL, &d), HD_OK);
	assert_int_equal(hd_merge(&m, tmpl, s, clinic, lib, NULL, &d), HD_EINPUT);
	assert_null(m);
	assert_int_equal(d.nerrors, 1);
	assert_string_equal(d.items[0].message, "technique 'zzzzzzzzzzzz' is not in the library");
	hd_diags_free(&d);
	hd_session_rec_free(s);
	free(path);
}

static void test_wrong_kind_reference(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_session_rec *s;
	hd_doc *m;
	char *path = write_session("merge-kind.xml", "    <technique ref=\"drink-water\"/>\n",
	                           "    <tip ref=\"swedish\"/>\n");

	(void)state;
	assert_int_equal(hd_load_session(&s, loader, path, NULL, &d), HD_OK);
	assert_int_equal(hd_merge(&m, tmpl, s, clinic, lib, NULL, &d), HD_EINPUT);
	assert_null(m);
	assert_int_equal(d.nerrors, 2);
	assert_string_equal(d.items[0].message, "'drink-water' is a selfcare entry, not a technique");
	assert_string_equal(d.items[1].message,
	                    "'swedish' is a technique entry, not a selfcare or exercise");
	assert_int_equal(d.items[1].line, 11);
	hd_diags_free(&d);
	hd_session_rec_free(s);
	free(path);
}

/* ----- self-care ------------------------------------------------------------- */

/* The list item of the self-care part whose text starts with title. */
static const hd_block *selfcare_item(const hd_doc *m, const char *title)
{
	const hd_block *h = find_block(m, hd_template_label(tmpl, m->lang, "selfcare")), *it;
	assert_non_null(h);
	assert_non_null(h->next);
	assert_int_equal(h->next->kind, HD_BLK_LIST);
	for (it = h->next->children; it; it = it->next) {
		char *t = text_of(it, 0);
		int hit = !strncmp(t, title, strlen(title));
		free(t);
		if (hit)
			return it;
	}
	fail_msg("no self-care item \"%s\"", title);
	return NULL;
}

static const hd_entry_text *entry_text(const char *id, const char *lang)
{
	const hd_entry *e = hd_library_find(lib, id);
	assert_non_null(e);
	return hd_entry_text_for(e, lang);
}

static void test_personal_dose_overrides_default(void **state)
{
	sheet sh = merge_sample("plain.xml");
	const hd_entry_text *knee = entry_text("knee-to-chest", "en");
	const hd_entry_text *water = entry_text("drink-water", "en");
	char *t, want[512];

	(void)state;
	assert_non_null(knee->dose);
	t = text_of(selfcare_item(sh.m, knee->title), 0);
	/* a number and its unit joined by a no-break space (typography.h) */
	assert_contains(t, "Your dose: Hold 30\xC2\xA0seconds, 3\xC2\xA0times on each side, morning "
	                   "and evening");
	assert_null(strstr(t, knee->dose));
	free(t);

	/* No dose in the session: the library's default. */
	assert_non_null(water->dose);
	t = text_of(selfcare_item(sh.m, water->title), 0);
	snprintf(want, sizeof(want), "Your dose: %s", water->dose);
	assert_contains(t, want);
	free(t);
	sheet_free(&sh);
}

/* The steps of an exercise as the merge should write them: "1.\u00A0...  2.\u00A0..."
 * (a no-break space keeps each number with its first word). */
/* The library's steps of an exercise, one per line (hd_block_plain_text of
 * a list). */
static char *expected_steps(const hd_entry_text *tx)
{
	const hd_section *steps = hd_entry_section(tx, "steps");
	char *t;

	assert_non_null(steps);
	assert_int_equal(steps->blocks->kind, HD_BLK_LIST);
	t = text_of(steps->blocks, 0);
	return t;
}

/* An exercise's steps are a numbered list under its item, in the "steps"
 * style, every step the library has, in order; then its safety note. */
static void test_exercise_steps_are_a_numbered_list(void **state)
{
	static const char *const cases[][3] = {
		{ "plain.xml", "knee-to-chest", "en" },
		{ "large-print.xml", "pelvic-tilt", "en" },
		{ "spanish.xml", "childs-pose", "es" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HD_ARRAY_LEN(cases); i++) {
		sheet sh = merge_sample(cases[i][0]);
		const hd_entry_text *tx = entry_text(cases[i][1], cases[i][2]);
		const hd_block *it = selfcare_item(sh.m, tx->title), *l, *step;
		char *got, *want = expected_steps(tx);
		size_t n = 0;

		/* first the exercise's drawing, floating at the right of the
		 * steps, optional (left out if the sheet needs the room) */
		l = it->children;
		assert_non_null(l);
		assert_int_equal(l->kind, HD_BLK_FIGURE);
		assert_non_null(l->drawing);
		assert_string_equal(l->drawing->id, cases[i][1]);
		assert_true((l->flags & (HD_BF_FLOAT | HD_BF_OPTIONAL)) == (HD_BF_FLOAT | HD_BF_OPTIONAL));
		l = l->next;
		assert_non_null(l);
		assert_int_equal(l->kind, HD_BLK_LIST);
		assert_true(l->flags & HD_BF_ORDERED);
		assert_int_equal(l->style, hd_template_style(tmpl, "steps"));
		for (step = l->children; step; step = step->next, n++)
			assert_int_equal(step->style, hd_template_style(tmpl, "steps"));
		assert_true(n >= 4);
		got = text_of(l, 0);
		assert_string_equal(got, want);
		/* Then the safety note, small and italic, when there is one. */
		if (hd_entry_section(tx, "safety")) {
			assert_non_null(l->next);
			assert_int_equal(l->next->style, hd_template_style(tmpl, "small"));
			assert_true(l->next->spans->style & HD_ITALIC);
		}
		free(got);
		free(want);
		sheet_free(&sh);
	}
}

/* ----- page frame ------------------------------------------------------------ */

static void test_large_print_and_letter(void **state)
{
	sheet sh = merge_sample("large-print.xml");

	(void)state;
	assert_true(sh.m->body_size >= 14.0);
	assert_true(sh.m->min_body_size >= 14.0);
	assert_true(sh.m->min_body_size <= sh.m->body_size);
	assert_true(sh.m->width == 612.0);
	assert_true(sh.m->height == 792.0);
	sheet_free(&sh);

	sh = merge_sample("plain.xml");
	assert_true(sh.m->body_size < 14.0);
	assert_true(sh.m->min_body_size <= sh.m->body_size);
	assert_true(sh.m->width > 595.0 && sh.m->width < 595.5);    /* A4: 210 mm */
	assert_true(sh.m->height > 841.5 && sh.m->height < 842.0);  /* 297 mm */
	assert_int_equal(tmpl->page.max_pages, 1);
	sheet_free(&sh);
}

/* ----- next visit ------------------------------------------------------------ */

static void expect_next_visit(const char *sample, const char *prefix, const char *want)
{
	sheet sh = merge_sample(sample);
	const hd_block *p = find_block(sh.m, prefix);
	char *t;

	assert_non_null(p);
	t = text_of(p, 0);
	assert_string_equal(t, want);
	free(t);
	sheet_free(&sh);
}

static void test_next_visit(void **state)
{
	(void)state;
	expect_next_visit("plain.xml", "Your next visit:\xC2\xA0",
	                  "Your next visit:\xC2\xA0" "December 4, 2026 at 10:30\n");
	expect_next_visit("large-print.xml", "Your next visit:\xC2\xA0",
	                  "Your next visit:\xC2\xA0" "December 5, 2026\n");
	expect_next_visit("minimal.xml", "Your next visit: ",
	                  "Your next visit: Book your next visit when you are ready.\n");
	expect_next_visit("spanish.xml", "Tu pr\xC3\xB3xima cita:\xC2\xA0",
	                  "Tu pr\xC3\xB3xima cita:\xC2\xA0" "27 de noviembre de 2026 a las 18:00\n");
}

/* ----- dates ----------------------------------------------------------------- */

static void test_format_date_every_month(void **state)
{
	static const char *const en[] = { "January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December" };
	static const char *const es[] = { "enero", "febrero", "marzo", "abril", "mayo", "junio",
		"julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre" };
	hd_arena a = HD_ARENA_INIT;
	char want[128];
	int i;

	(void)state;
	for (i = 1; i <= 12; i++) {
		hd_date dt = { 2026, i, i + 3, -1, -1 };
		snprintf(want, sizeof(want), "%s %d, 2026", en[i - 1], i + 3);
		assert_string_equal(hd_format_date(&a, tmpl, "en", &dt), want);
		snprintf(want, sizeof(want), "%d de %s de 2026", i + 3, es[i - 1]);
		assert_string_equal(hd_format_date(&a, tmpl, "es", &dt), want);
	}
	hd_arena_free(&a);
}

static void test_format_date_with_time(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_date morning = { 2026, 12, 4, 9, 5 }, midnight = { 2027, 1, 1, 0, 0 };
	hd_date late = { 2026, 2, 28, 23, 59 };

	(void)state;
	assert_string_equal(hd_format_date(&a, tmpl, "en", &morning), "December 4, 2026 at 9:05");
	assert_string_equal(hd_format_date(&a, tmpl, "es", &morning),
	                    "4 de diciembre de 2026 a las 9:05");
	assert_string_equal(hd_format_date(&a, tmpl, "en", &midnight), "January 1, 2027 at 0:00");
	assert_string_equal(hd_format_date(&a, tmpl, "en", &late), "February 28, 2026 at 23:59");
	/* A language the template lacks falls back to English. */
	assert_string_equal(hd_format_date(&a, tmpl, "de", &late), "February 28, 2026 at 23:59");
	hd_arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_title_is_aftercare_for_client),
		cmocka_unit_test(test_summary_date_in_english),
		cmocka_unit_test(test_summary_date_in_spanish),
		cmocka_unit_test(test_every_warning_sign_urgent_first),
		cmocka_unit_test(test_urgent_first_whatever_the_file_order),
		cmocka_unit_test(test_template_without_warnings_is_refused),
		cmocka_unit_test(test_handmade_template_still_gets_warnings),
		cmocka_unit_test(test_unknown_ids_all_reported),
		cmocka_unit_test(test_unknown_id_without_suggestion),
		cmocka_unit_test(test_wrong_kind_reference),
		cmocka_unit_test(test_personal_dose_overrides_default),
		cmocka_unit_test(test_exercise_steps_are_a_numbered_list),
		cmocka_unit_test(test_large_print_and_letter),
		cmocka_unit_test(test_next_visit),
		cmocka_unit_test(test_format_date_every_month),
		cmocka_unit_test(test_format_date_with_time),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
