/*
 * Layout with fixed metrics: every character is 500/1000 em wide (5 pt at
 * 10 pt), so line breaks, justification and pagination can be checked exactly.
 * U+FFFF stands for a character the font cannot show.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "block.h"
#include "layout.h"

static int fixed_width(const void *ctx, unsigned style, uint32_t cp)
{
	(void)ctx;
	(void)style;
	if (cp == 0x301) /* a combining mark: no advance */
		return 0;
	return cp == 0xFFFF ? -1 : 500;
}

static hd_metrics metrics(void)
{
	hd_metrics m;
	int i;
	memset(&m, 0, sizeof(m));
	m.width = fixed_width;
	for (i = 0; i < HD_NSTYLES; i++) {
		m.ascent[i] = 800;
		m.descent[i] = -200;
	}
	return m;
}

/* 300 x 400 pt page, 20 pt margins: text width 260 pt = 52 characters at
 * 10 pt; body height 400 - 20 - 56 (header) - 20 - 24 (footer) = 280 pt,
 * 22 lines of 12.5 pt (leading 1.25); paragraphs are 3.5 pt apart. */
static hd_frame frame(void)
{
	hd_frame f;
	memset(&f, 0, sizeof(f));
	f.width = 300;
	f.height = 400;
	f.margin_left = f.margin_right = f.margin_top = f.margin_bottom = 20;
	f.body_size = 10;
	f.min_body_size = 10;
	f.page_label = "Page {page} of {pages}";
	return f;
}

static hd_block *para(hd_arena *a, hd_block **doc, const char *text)
{
	hd_block *b = hd_block_new(a, HD_BLK_PARA);
	assert_non_null(hd_block_add_text(a, b, HD_REGULAR, text, strlen(text)));
	hd_block_append(doc, b);
	return b;
}

/* Body text items of a page (size == body size; skips header and footer). */
static size_t body_lines(const hd_layout *l, size_t page, double size, const hd_item **out,
                         size_t max)
{
	size_t i, n = 0;
	for (i = 0; i < l->pages[page].count; i++) {
		const hd_item *it = &l->pages[page].items[i];
		if (it->kind == HD_ITEM_TEXT && it->size == size && n < max)
			out[n++] = it;
	}
	return n;
}

static char *repeat_words(const char *word, int n)
{
	size_t wl = strlen(word);
	char *s = malloc((wl + 1) * (size_t)n + 1), *p = s;
	int i;
	for (i = 0; i < n; i++) {
		memcpy(p, word, wl);
		p += wl;
		*p++ = ' ';
	}
	p[-1] = '\0';
	return s;
}

static void test_wraps_greedily(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	const hd_item *lines[16];
	char *text = repeat_words("abcd", 20); /* 20 words of 4 + spaces = 99 chars */
	(void)state;

	para(&a, &doc, text);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	assert_int_equal(l->npages, 1);
	/* 52 chars fit: "abcd " x 10 = 50 chars + "abcd" would be 54: 10 words per line. */
	assert_int_equal(body_lines(l, 0, 10, lines, 16), 2);
	assert_string_equal(lines[0]->text, "abcd abcd abcd abcd abcd abcd abcd abcd abcd abcd");
	assert_string_equal(lines[1]->text, "abcd abcd abcd abcd abcd abcd abcd abcd abcd abcd");
	assert_true(lines[0]->y > lines[1]->y);
	assert_true(lines[0]->word_space == 0.0); /* not justified */
	hd_layout_free(l);
	hd_arena_free(&a);
	free(text);
	hd_diags_free(&d);
}

static void test_justifies_all_but_last_line(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	const hd_item *lines[16];
	char *text = repeat_words("abc", 20); /* 13 words per line: 51 chars */
	(void)state;

	f.justify = 1;
	para(&a, &doc, text);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	assert_int_equal(body_lines(l, 0, 10, lines, 16), 2);
	/* First line: 13 words, 51 chars = 255 pt; 5 pt spread over 12 spaces
	 * (word spacing is kept on a 1/256 pt grid). */
	assert_string_equal(lines[0]->text, "abc abc abc abc abc abc abc abc abc abc abc abc abc");
	assert_true(lines[0]->word_space > 5.0 / 12 - 1.0 / 512 &&
	            lines[0]->word_space < 5.0 / 12 + 1.0 / 512);
	assert_true(lines[1]->word_space == 0.0);
	hd_layout_free(l);
	hd_arena_free(&a);
	free(text);
	hd_diags_free(&d);
}

static void test_emergency_break_loses_nothing(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	const hd_item *lines[16];
	char word[131], joined[200] = "";
	size_t n, i;
	(void)state;

	/* 130 characters, some of them two-byte (é), no space: 3 lines of <= 52. */
	for (i = 0; i < 120; i++)
		word[i] = (char)('a' + i % 26);
	word[120] = '\0';
	strcat(word, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9");
	para(&a, &doc, word);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	n = body_lines(l, 0, 10, lines, 16);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_true(strlen(lines[i]->text) <= 52 + 10);
		strcat(joined, lines[i]->text);
	}
	assert_string_equal(joined, word);
	hd_layout_free(l);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

static void test_no_orphans_or_widows(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	const hd_item *lines[64];
	char *filler = repeat_words("abcd", 10 * 21); /* 21 lines */
	char *five = repeat_words("wxyz", 10 * 5);    /* 5 lines */
	size_t n0, n1;
	(void)state;

	/* After 21 lines (262.5 pt, plus 3.5 pt paragraph space) only one line of
	 * the next paragraph would fit: it must move. */
	para(&a, &doc, filler);
	para(&a, &doc, five);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	assert_int_equal(l->npages, 2);
	n0 = body_lines(l, 0, 10, lines, 64);
	assert_int_equal(n0, 21);
	n1 = body_lines(l, 1, 10, lines, 64);
	assert_int_equal(n1, 5);
	assert_int_equal(l->forced_breaks, 0);
	hd_layout_free(l);
	hd_arena_free(&a);
	free(filler);
	free(five);
	hd_diags_free(&d);
}

static void test_widow_moves_a_line(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	const hd_item *lines[64];
	char *text = repeat_words("abcd", 10 * 23); /* 23 lines, 22 fit on a page */
	(void)state;

	para(&a, &doc, text);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	assert_int_equal(l->npages, 2);
	/* 22 + 1 would leave a widow: 21 + 2. */
	assert_int_equal(body_lines(l, 0, 10, lines, 64), 21);
	assert_int_equal(body_lines(l, 1, 10, lines, 64), 2);
	hd_layout_free(l);
	hd_arena_free(&a);
	free(text);
	hd_diags_free(&d);
}

static void test_callout_is_never_split(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *box, *list, *item;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	char *filler = repeat_words("abcd", 10 * 15);
	size_t i, rects0 = 0, rects1 = 0;
	(void)state;

	para(&a, &doc, filler);
	box = hd_block_new(&a, HD_BLK_CALLOUT);
	hd_block_add_text(&a, box, HD_REGULAR, "Warning", 7);
	list = hd_block_new(&a, HD_BLK_LIST);
	for (i = 0; i < 5; i++) {
		item = hd_block_new(&a, HD_BLK_ITEM);
		hd_block_add_text(&a, item, HD_REGULAR, "sign", 4);
		hd_block_add_child(list, item);
	}
	hd_block_add_child(box, list);
	hd_block_append(&doc, box);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	assert_int_equal(l->npages, 2);
	for (i = 0; i < l->pages[0].count; i++)
		rects0 += l->pages[0].items[i].kind == HD_ITEM_RECT;
	for (i = 0; i < l->pages[1].count; i++)
		rects1 += l->pages[1].items[i].kind == HD_ITEM_RECT;
	assert_int_equal(rects0, 0);
	assert_int_equal(rects1, 1);
	hd_layout_free(l);
	hd_arena_free(&a);
	free(filler);
	hd_diags_free(&d);
}

static void test_heading_kept_with_next(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *h;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	char *filler = repeat_words("abcd", 10 * 20); /* the heading fits, its line would not */
	size_t i;
	int found = 0;
	(void)state;

	para(&a, &doc, filler);
	h = hd_block_new(&a, HD_BLK_HEADING);
	h->level = 2;
	h->flags = HD_BF_KEEP_NEXT;
	hd_block_add_text(&a, h, HD_REGULAR, "Heading", 7);
	hd_block_append(&doc, h);
	para(&a, &doc, "one line");
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	assert_int_equal(l->npages, 2);
	for (i = 0; i < l->pages[1].count; i++)
		found |= l->pages[1].items[i].text && !strcmp(l->pages[1].items[i].text, "Heading");
	assert_true(found);
	hd_layout_free(l);
	hd_arena_free(&a);
	free(filler);
	hd_diags_free(&d);
}

static void test_shrinks_to_one_page_then_flows(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	char *text = repeat_words("abcd", 10 * 22);
	(void)state;

	f.body_size = 11;
	f.min_body_size = 9;
	f.max_pages = 1;
	para(&a, &doc, text);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	assert_int_equal(l->npages, 1);
	assert_true(l->shrunk);
	assert_true(l->body_size < 11 && l->body_size >= 9);
	hd_layout_free(l);

	/* Floor too high to fit: flows to two pages at the floor size. */
	f.min_body_size = 10.5;
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	assert_int_equal(l->npages, 2);
	assert_true(l->body_size == 10.5);
	hd_layout_free(l);
	hd_arena_free(&a);
	free(text);
	hd_diags_free(&d);
}

static void test_page_x_of_y_and_dump(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	hd_buf b = HD_BUF_INIT;
	char *text = repeat_words("abcd", 10 * 30);
	(void)state;

	f.footer_left = "Clinic";
	para(&a, &doc, text);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	assert_int_equal(l->npages, 2);
	assert_int_equal(hd_layout_dump(l, &b), HD_OK);
	assert_non_null(strstr(b.data, "layout pages=2 size=300.00x400.00 body=10.0\npage 1\n"));
	assert_non_null(strstr(b.data, "font=R size=8.00 ws=0.000 \"Page 1 of 2\""));
	assert_non_null(strstr(b.data, "font=R size=8.00 ws=0.000 \"Page 2 of 2\""));
	assert_non_null(strstr(b.data, "  text x=20.00 y=23.00 font=R size=8.00 ws=0.000 \"Clinic\"\n"));
	hd_buf_free(&b);
	hd_layout_free(l);
	hd_arena_free(&a);
	free(text);
	hd_diags_free(&d);
}

static void test_missing_glyph_is_an_error(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	(void)state;

	para(&a, &doc, "bad \xEF\xBF\xBF here");
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_EINPUT);
	assert_null(l);
	assert_int_equal(d.nerrors, 1);
	assert_string_equal(d.items[0].message, "the font has no glyph for U+FFFF in \"bad \xEF\xBF\xBF here\"");
	hd_arena_free(&a);
	hd_diags_free(&d);
}

static void test_styles_and_nobreak(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *p;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	const hd_item *lines[16];
	hd_span *s;
	size_t n;
	(void)state;

	p = hd_block_new(&a, HD_BLK_PARA);
	hd_block_add_text(&a, p, HD_BOLD, "Date:", 5);
	hd_block_add_text(&a, p, HD_REGULAR, " ", 1);
	/* 40 filler chars then a nobreak name that must move whole to line 2. */
	hd_block_add_text(&a, p, HD_REGULAR, "aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa ", 40);
	s = hd_block_add_text(&a, p, HD_ITALIC, "Zoe Lukasiewicz", 15);
	s->nobreak = 1;
	hd_block_append(&doc, p);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	n = body_lines(l, 0, 10, lines, 16);
	assert_int_equal(n, 3); /* "Date:" bold, the rest regular; then the name */
	assert_string_equal(lines[0]->text, "Date:");
	assert_int_equal(lines[0]->style, HD_BOLD);
	assert_string_equal(lines[1]->text, " aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa");
	assert_string_equal(lines[2]->text, "Zoe Lukasiewicz");
	assert_int_equal(lines[2]->style, HD_ITALIC);
	assert_true(lines[1]->y == lines[0]->y);
	assert_true(lines[2]->y < lines[1]->y);
	hd_layout_free(l);
	hd_arena_free(&a);
	hd_diags_free(&d);
}


static void test_ordered_numbers_do_not_overlap(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *list, *item;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	double text_x = -1, num_right = 0;
	size_t i;
	int k;
	(void)state;

	list = hd_block_new(&a, HD_BLK_LIST);
	list->flags = HD_BF_ORDERED;
	for (k = 0; k < 12; k++) {
		item = hd_block_new(&a, HD_BLK_ITEM);
		hd_block_add_text(&a, item, HD_REGULAR, "step", 4);
		hd_block_add_child(list, item);
	}
	hd_block_append(&doc, list);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	/* Every number ends before the text starts, and all end at one x. */
	for (i = 0; i < l->pages[0].count; i++) {
		const hd_item *it = &l->pages[0].items[i];
		if (it->kind != HD_ITEM_TEXT || it->size != 10)
			continue;
		if (!strcmp(it->text, "step")) {
			assert_true(text_x < 0 || it->x == text_x);
			text_x = it->x;
		} else {
			double right = it->x + 5.0 * (double)it->len;
			assert_true(num_right == 0 || (right > num_right - 1e-9 && right < num_right + 1e-9));
			num_right = right;
		}
	}
	assert_true(text_x > 0 && num_right > 0 && num_right < text_x);
	hd_layout_free(l);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

static void test_nobreak_wider_than_line_breaks_at_spaces(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *p;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	const hd_item *lines[16];
	hd_span *s;
	/* 60 characters, wider than the 52 of a line, with spaces inside. */
	const char *name = "Maria de los Angeles Fernandez-Castellanos y Gutierrez Rivas";
	size_t n;
	(void)state;

	p = hd_block_new(&a, HD_BLK_PARA);
	s = hd_block_add_text(&a, p, HD_REGULAR, name, strlen(name));
	s->nobreak = 1;
	hd_block_append(&doc, p);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	n = body_lines(l, 0, 10, lines, 16);
	assert_int_equal(n, 2);
	/* Broken at the last space that fits, not inside a word. */
	assert_string_equal(lines[0]->text, "Maria de los Angeles Fernandez-Castellanos y");
	assert_string_equal(lines[1]->text, "Gutierrez Rivas");
	hd_layout_free(l);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

static void test_callout_taller_than_page_is_an_error(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *box, *list, *item;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	int k;
	(void)state;

	box = hd_block_new(&a, HD_BLK_CALLOUT);
	hd_block_add_text(&a, box, HD_REGULAR, "Warning", 7);
	list = hd_block_new(&a, HD_BLK_LIST);
	for (k = 0; k < 40; k++) { /* 40 items: taller than the 280 pt page */
		item = hd_block_new(&a, HD_BLK_ITEM);
		hd_block_add_text(&a, item, HD_REGULAR, "sign", 4);
		hd_block_add_child(list, item);
	}
	hd_block_add_child(box, list);
	hd_block_append(&doc, box);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_EINPUT);
	assert_null(l);
	assert_int_equal(d.nerrors, 1);
	assert_string_equal(d.items[0].message, "the warning-signs box is taller than a page at 10.0 pt; "
	                                        "it is never split, so nothing was made");
	hd_arena_free(&a);
	hd_diags_free(&d);
}

static void test_many_style_runs_on_one_line(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *p;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	size_t i, total = 0;
	int k;
	(void)state;

	/* 1,200 zero-width marks alternating between italic and regular: more
	 * style runs than a line's fragment array holds. */
	p = hd_block_new(&a, HD_BLK_PARA);
	for (k = 0; k < 1200; k++)
		hd_block_add_text(&a, p, k % 2 ? HD_ITALIC : HD_REGULAR, "\xCC\x81", 2);
	hd_block_append(&doc, p);
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	for (i = 0; i < l->pages[0].count; i++) {
		const hd_item *it = &l->pages[0].items[i];
		if (it->kind == HD_ITEM_TEXT && it->size == 10)
			total += it->len;
	}
	assert_int_equal(total, 2400); /* nothing lost */
	hd_layout_free(l);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

static void test_header_fits_or_fails(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_layout *l = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_metrics m = metrics();
	hd_frame f = frame();
	size_t i;
	int found = 0;
	(void)state;

	para(&a, &doc, "body");
	/* 40 characters at 14 pt = 280 pt: too wide for 260 pt, fits shrunk. */
	f.header_name = "Riverside Massage and Wellness Clinic AB";
	f.clinic_file = "clinic.xml";
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_OK);
	for (i = 0; i < l->pages[0].count; i++) {
		const hd_item *it = &l->pages[0].items[i];
		if (it->kind == HD_ITEM_TEXT && it->text && !strcmp(it->text, f.header_name)) {
			found = 1;
			assert_true(it->size < 14.0 && it->size >= 8.0);
			assert_true(it->x + 5.0 * it->size / 10.0 * 40 <= 280.0 + 1e-9);
		}
	}
	assert_true(found);
	hd_layout_free(l);
	/* 100 characters: too wide even at 8 pt. */
	f.header_name = "Riverside Massage and Wellness Clinic of the Greater Metropolitan Area and All Its Surrounding Towns";
	assert_int_equal(hd_layout_run(&l, doc, &f, &m, &d), HD_EINPUT);
	assert_int_equal(d.nerrors, 1);
	assert_string_equal(d.items[0].file, "clinic.xml");
	assert_non_null(strstr(d.items[0].message, "is too long for the page header"));
	hd_arena_free(&a);
	hd_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wraps_greedily),
		cmocka_unit_test(test_justifies_all_but_last_line),
		cmocka_unit_test(test_emergency_break_loses_nothing),
		cmocka_unit_test(test_no_orphans_or_widows),
		cmocka_unit_test(test_widow_moves_a_line),
		cmocka_unit_test(test_callout_is_never_split),
		cmocka_unit_test(test_heading_kept_with_next),
		cmocka_unit_test(test_shrinks_to_one_page_then_flows),
		cmocka_unit_test(test_page_x_of_y_and_dump),
		cmocka_unit_test(test_missing_glyph_is_an_error),
		cmocka_unit_test(test_styles_and_nobreak),
		cmocka_unit_test(test_ordered_numbers_do_not_overlap),
		cmocka_unit_test(test_nobreak_wider_than_line_breaks_at_spaces),
		cmocka_unit_test(test_callout_taller_than_page_is_an_error),
		cmocka_unit_test(test_many_style_runs_on_one_line),
		cmocka_unit_test(test_header_fits_or_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
