/*
 * The layout engine with fixed metrics: every character is 500/1000 em wide
 * (5 pt at 10 pt), ascent 800, descent -200; U+FFFF has no glyph. So line
 * breaks, restart points, keep rules, tables, paths and page masters can be
 * checked exactly.
 */
#include <math.h>
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

static int fixed_width(const void *ctx, unsigned face, uint32_t cp)
{
	(void)ctx;
	(void)face;
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

/* ----- line breaking ----------------------------------------------------------- */

/* The lines of text at width, as strings joined by '|'. */
static char *break_all(const char *text, int nobreak, double width)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *b = hd_block_new(&a, HD_BLK_PARA);
	hd_metrics m = metrics();
	hd_fi_list items = { 0 };
	hd_pos p = { 0, 0 };
	hd_line ln;
	hd_buf out = HD_BUF_INIT;
	hd_span *s = hd_block_add_text(&a, b, HD_REGULAR, text, strlen(text));
	char *res;

	assert_non_null(s);
	s->nobreak = (unsigned)nobreak;
	assert_int_equal(hd_itemize(&items, b->spans, 0, 10.0, &m), HD_OK);
	while (hd_break_line(items.items, items.count, p, width, &m, 10.0, &ln)) {
		hd_pos q;
		if (out.len)
			hd_buf_putc(&out, '|');
		for (q = ln.start; q.item < ln.end.item || (q.item == ln.end.item && q.off < ln.end.off);
		     q.item++, q.off = 0) {
			const hd_fi *x = &items.items[q.item];
			size_t to = q.item == ln.end.item ? ln.end.off : x->len;
			if (x->kind == HD_FI_WORD || x->kind == HD_FI_SPACE)
				hd_buf_append(&out, x->text + q.off, to - q.off);
			if (q.item == ln.end.item)
				break;
		}
		if (ln.hyphen)
			hd_buf_putc(&out, '-');
		assert_true(ln.width <= width + 1e-6 || ln.emergency);
		p = ln.next;
	}
	res = hd_buf_detach(&out, NULL);
	hd_fi_list_free(&items);
	hd_arena_free(&a);
	return res ? res : calloc(1, 1);
}

static void check_breaks(const char *text, int nobreak, double width, const char *want)
{
	char *got = break_all(text, nobreak, width);
	assert_string_equal(got, want);
	free(got);
}

static void test_break_greedy(void **state)
{
	(void)state;
	/* 10 characters per 50 pt line */
	check_breaks("aaa bbb ccc ddd eee", 0, 50, "aaa bbb|ccc ddd|eee");
	check_breaks("aaaa bbbbb", 0, 50, "aaaa bbbbb");
	check_breaks("aaaa bbbbbb", 0, 50, "aaaa|bbbbbb");
	/* spaces at a break are not drawn, at either end */
	check_breaks("aaa   bbb ccc", 0, 40, "aaa|bbb ccc");
	check_breaks("aaa bbb ", 0, 50, "aaa bbb");
}

static void test_break_emergency(void **state)
{
	(void)state;
	/* a word wider than the line breaks between characters */
	check_breaks("abcdefghijklmnopqrstuvwxyz", 0, 50, "abcdefghij|klmnopqrst|uvwxyz");
	/* after what is on the line, on a line of its own */
	check_breaks("ab abcdefghijklmn", 0, 50, "ab|abcdefghij|klmn");
	/* a name that must not break breaks at its last no-break space that fits */
	check_breaks("Anna Maria Lopez Garcia", 1, 55, "Anna Maria|Lopez|Garcia");
	/* narrower than one character: still one character per line, never stuck */
	check_breaks("abc", 0, 1, "a|b|c");
}

static void test_break_soft_hyphen_and_forced(void **state)
{
	(void)state;
	/* U+00AD: a break shows a hyphen; no break shows nothing */
	check_breaks("aaa bbb\xC2\xAD" "cccc", 0, 50, "aaa bbb-|cccc");
	check_breaks("bbb\xC2\xAD" "cc", 0, 50, "bbbcc");
	/* the hyphen must fit too */
	check_breaks("aaaa bbbbb\xC2\xAD" "cc", 0, 50, "aaaa|bbbbbcc");
	/* a line feed is a forced break */
	check_breaks("aaa\nbbb", 0, 100, "aaa|bbb");
}

/* ----- hyphenation ------------------------------------------------------------------ */

/* A fake dictionary: the words it knows, with their break points as '-';
 * any other word has none. Lower case, as layout asks. */
static const char *const fake_words[] = {
	"hy-phen-ation", "ab-cdef-ghij-klmnop", "self", "care", "aware-ness", "ab-cd-ef",
	"mus-cles", "zo-ë-lu-ka-sie-wicz", "web-site", "cli-nic",
};

static int fake_points(const void *ctx, const char *word, size_t len, size_t nchars,
                       unsigned char *brk)
{
	size_t i;
	(void)ctx;
	for (i = 0; i < HD_ARRAY_LEN(fake_words); i++) {
		const char *f = fake_words[i];
		size_t k = 0, c = 0, bytes = 0;
		/* the entry without its '-' must be the word */
		for (k = 0; f[k]; k++)
			bytes += f[k] != '-';
		if (bytes != len)
			continue;
		{
			char plain[64];
			size_t o = 0;
			for (k = 0; f[k]; k++)
				if (f[k] != '-')
					plain[o++] = f[k];
			if (memcmp(plain, word, len))
				continue;
		}
		memset(brk, 0, nchars);
		for (k = 0; f[k]; k++) {
			if (f[k] == '-')
				brk[c - 1] = 1;
			else if (((unsigned char)f[k] & 0xC0) != 0x80)
				c++;
		}
		return 0;
	}
	memset(brk, 0, nchars);
	return 0;
}

static const hd_hyph_dict fake_dict = { NULL, fake_points };

/* The lines of text at width with hyphenation (loose: points per space),
 * at most two hyphenated lines in a row as layout does; a soft break shows
 * '-', a break after a word's own hyphen nothing more. */
static char *hyph_all(const char *text, double width, double loose, const char *const *keep,
                      size_t nkeep)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *b = hd_block_new(&a, HD_BLK_PARA);
	hd_metrics m = metrics();
	hd_fi_list items = { 0 };
	hd_hyphenator hy = { &fake_dict, keep, nkeep };
	hd_break_opts o = { &hy, loose, 0 };
	hd_pos p = { 0, 0 };
	hd_line ln;
	hd_buf out = HD_BUF_INIT;
	int run = 0;
	char *res;

	assert_non_null(hd_block_add_text(&a, b, HD_REGULAR, text, strlen(text)));
	assert_int_equal(hd_itemize(&items, b->spans, 0, 10.0, &m), HD_OK);
	for (;;) {
		hd_pos q;
		o.no_hyphen = run >= 2;
		if (!hd_break_line_opts(items.items, items.count, p, width, &m, 10.0, &o, &ln))
			break;
		if (out.len)
			hd_buf_putc(&out, '|');
		for (q = ln.start; q.item < ln.end.item || (q.item == ln.end.item && q.off < ln.end.off);
		     q.item++, q.off = 0) {
			const hd_fi *x = &items.items[q.item];
			size_t to = q.item == ln.end.item ? ln.end.off : x->len;
			if (x->kind == HD_FI_WORD || x->kind == HD_FI_SPACE)
				hd_buf_append(&out, x->text + q.off, to - q.off);
			if (q.item == ln.end.item)
				break;
		}
		if (ln.hyphen == HD_HY_SOFT)
			hd_buf_putc(&out, '-');
		assert_true(ln.width <= width + 1e-6 || ln.emergency);
		run = ln.hyphen ? run + 1 : 0;
		p = ln.next;
	}
	res = hd_buf_detach(&out, NULL);
	hd_fi_list_free(&items);
	hd_arena_free(&a);
	return res ? res : calloc(1, 1);
}

static void check_hyph(const char *text, double width, const char *want)
{
	char *got = hyph_all(text, width, 0.0, NULL, 0);
	assert_string_equal(got, want);
	free(got);
}

static void test_hyphenate_loose_lines(void **state)
{
	char *got;
	(void)state;
	/* 12 characters per 60 pt line: "aaa bbb" leaves 5 free, so the word
	 * that did not fit gives its first syllable (hyphen included) */
	check_hyph("aaa bbb hyphenation", 60, "aaa bbb hy-|phenation");
	/* the last point that fits */
	check_hyph("aaa hyphenation", 60, "aaa hyphen-|ation");
	/* a line that is not loose is left as it is */
	got = hyph_all("aaa bbb hyphenation", 60, 30.0, NULL, 0);
	assert_string_equal(got, "aaa bbb|hyphenation");
	free(got);
	/* without a dictionary, and without hyphenation, nothing breaks */
	{
		hd_arena a = HD_ARENA_INIT;
		hd_block *b = hd_block_new(&a, HD_BLK_PARA);
		hd_metrics m = metrics();
		hd_fi_list items = { 0 };
		hd_hyphenator none = { NULL, NULL, 0 };
		hd_break_opts o = { &none, 0.0, 0 };
		hd_line ln;
		const char *t = "aaa bbb hyphenation";
		assert_non_null(hd_block_add_text(&a, b, HD_REGULAR, t, strlen(t)));
		assert_int_equal(hd_itemize(&items, b->spans, 0, 10.0, &m), HD_OK);
		assert_int_equal(hd_break_line_opts(items.items, items.count, (hd_pos){ 0, 0 }, 60, &m,
		                                    10.0, &o, &ln), 1);
		assert_int_equal(ln.hyphen, HD_HY_NONE);
		assert_int_equal(ln.next.item, 4); /* "hyphenation" starts the next line */
		assert_int_equal(hd_break_line(items.items, items.count, (hd_pos){ 0, 0 }, 60, &m, 10.0,
		                               &ln), 1);
		assert_int_equal(ln.hyphen, HD_HY_NONE);
		hd_fi_list_free(&items);
		hd_arena_free(&a);
	}
}

static void test_hyphenate_never(void **state)
{
	static const char *const names[] = { "Zoë Łukasiewicz", "Anna Hyphenation-Cara" };
	char *got;
	(void)state;
	/* words under 6 letters, even when the dictionary knows them */
	check_hyph("aaa bbb abcdef xx", 60, "aaa bbb ab-|cdef xx");
	check_hyph("aaaa bbbb abcdx", 50, "aaaa bbbb|abcdx");
	check_hyph("aaa bbb ab-cd", 60, "aaa bbb|ab-cd");
	/* numbers, dates, URLs, e-mail addresses, code */
	check_hyph("aaa bbb hyphenation2", 60, "aaa bbb|hyphenation2");
	check_hyph("aaa bbb 2026-11-20", 60, "aaa bbb|2026-11-20");
	check_hyph("aaa www.website.org", 80, "aaa|www.website.org");
	check_hyph("aaa https://website", 80, "aaa|https://website");
	check_hyph("aaa hyphenation@x.eu", 80, "aaa|hyphenation@x.eu");
	check_hyph("aaa hyphenation_x", 80, "aaa|hyphenation_x");
	/* acronyms (all capitals) */
	check_hyph("aaa bbb HYPHENATION", 60, "aaa bbb|HYPHENATION");
	/* but a capital first letter is a word like any other */
	check_hyph("aaa bbb Hyphenation", 60, "aaa bbb Hy-|phenation");
	/* the names of the client and the therapist, wherever they appear */
	got = hyph_all("aaa bbb Hyphenation cc", 60, 0.0, names + 1, 1);
	assert_string_equal(got, "aaa bbb|Hyphenation|cc");
	free(got);
	got = hyph_all("aaa bbb Zo\xC3\xAB-\xC5\x81ukasiewicz", 80, 0.0, names, 1);
	assert_string_equal(got, "aaa bbb|Zo\xC3\xAB-\xC5\x81ukasiewicz");
	free(got);
	/* a word that only looks like a name is not protected */
	got = hyph_all("aaa bbb Zo\xC3\xABlukasiewicz", 60, 0.0, names, 1);
	assert_string_equal(got, "aaa bbb Zo\xC3\xAB-|lukasiewicz");
	free(got);
}

static void test_hyphenate_own_hyphen(void **state)
{
	(void)state;
	/* a word breaks after its own hyphen, adding none ("self-" ends the line) */
	check_hyph("aaa bbb self-care", 65, "aaa bbb self-|care");
	/* and inside its parts by the dictionary */
	check_hyph("aaa self-awareness", 80, "aaa self-aware-|ness");
	/* not when a side is too short: 2 letters at least before, 3 after */
	check_hyph("aaa bbb warm-up xx", 65, "aaa bbb|warm-up xx");
	check_hyph("aaa bbb x-rayed xx", 65, "aaa bbb|x-rayed xx");
}

static void test_hyphenate_two_in_a_row(void **state)
{
	(void)state;
	/* every line would end with a hyphen: the third does not (a line
	 * without a space is loose too: its gap is at its end) */
	check_hyph("a hyphenation a hyphenation a hyphenation a hyphenation", 60,
	           "a hyphen-|ation a hy-|phenation a|hyphenation|a hyphen-|ation");
	/* a soft hyphen counts too, and is not used after two... */
	check_hyph("a hyphenation a hyphenation aaaa bb\xC2\xAD" "cccc", 60,
	           "a hyphen-|ation a hy-|phenation|aaaa bbcccc");
	/* ...unless nothing else would do but cutting the word */
	check_hyph("a hyphenation a hyphenation\xC2\xAD" "zzzzzzzz", 60,
	           "a hyphen-|ation a hy-|phenation-|zzzzzzzz");
}

static void test_hyphenate_instead_of_cutting(void **state)
{
	(void)state;
	/* a word wider than the line breaks at a point rather than anywhere */
	check_hyph("abcdefghijklmnop", 50, "abcdef-|ghijklmnop");
	/* with no point that fits, it is cut as before */
	check_hyph("qqqqqqqqqqqqqqqq", 50, "qqqqqqqqqq|qqqqqq");
}

/* What a line broken by hyphenation draws: U+00AD at a soft break, U+2010
 * instead of the word's own U+002D. */
static int collect(void *ctx, unsigned face, const char *text, size_t len, int nspaces,
                   double width)
{
	(void)face;
	(void)nspaces;
	(void)width;
	return hd_buf_append(ctx, text, len);
}

/* The text a line draws, lines joined by '|'. */
static char *drawn(const char *t, double width)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *b = hd_block_new(&a, HD_BLK_PARA);
	hd_metrics m = metrics();
	hd_fi_list items = { 0 };
	hd_hyphenator hy = { &fake_dict, NULL, 0 };
	hd_break_opts o = { &hy, 0.0, 0 };
	hd_line ln;
	hd_buf out = HD_BUF_INIT;
	hd_pos p = { 0, 0 };

	assert_non_null(hd_block_add_text(&a, b, HD_REGULAR, t, strlen(t)));
	assert_int_equal(hd_itemize(&items, b->spans, 0, 10.0, &m), HD_OK);
	while (hd_break_line_opts(items.items, items.count, p, width, &m, 10.0, &o, &ln)) {
		if (out.len)
			hd_buf_putc(&out, '|');
		assert_int_equal(hd_line_runs(items.items, &ln, &m, 10.0, collect, &out), HD_OK);
		p = ln.next;
	}
	hd_fi_list_free(&items);
	hd_arena_free(&a);
	return hd_buf_detach(&out, NULL);
}

static void test_hyphen_characters_drawn(void **state)
{
	char *got;
	(void)state;
	got = drawn("aaa bbb hyphenation", 65);
	assert_string_equal(got, "aaa bbb hy\xC2\xAD|phenation");
	free(got);
	got = drawn("aaa bbb self-care", 65);
	assert_string_equal(got, "aaa bbb self\xE2\x80\x90|care");
	free(got);
	/* a soft hyphen of the content, broken, is drawn as U+00AD too */
	got = drawn("aaa bbb\xC2\xAD" "cccccc", 50);
	assert_string_equal(got, "aaa bbb\xC2\xAD|cccccc");
	free(got);
}

/* ----- a page spec and a document --------------------------------------------------- */

enum { ST_BODY, ST_H1, ST_BOX, ST_SMALL, ST_CELL, ST_COUNT };

static hd_style styles[ST_COUNT];

static void init_styles(void)
{
	static const hd_color black = { { 0, 0, 0 }, 0, 0 }, none = { { 0, 0, 0 }, 0, 1 };
	static const hd_color red = { { 200, 0, 0 }, 0, 0 }, pale = { { 250, 240, 240 }, 0, 0 };
	int i;
	for (i = 0; i < ST_COUNT; i++) {
		hd_style *s = &styles[i];
		memset(s, 0, sizeof(*s));
		s->size = 1.0;
		s->leading = 1.2; /* 12 pt lines at 10 pt */
		s->color = black;
		s->fill = none;
		s->frame = none;
	}
	styles[ST_BODY].name = "body";
	styles[ST_H1].name = "h1";
	styles[ST_H1].face = HD_BOLD;
	styles[ST_H1].keep_with_next = 1;
	styles[ST_BOX].name = "callout";
	styles[ST_BOX].fill = pale;
	styles[ST_BOX].frame = red;
	styles[ST_BOX].frame_width = 1.0;
	styles[ST_BOX].padding = 0.5; /* 5 pt */
	styles[ST_SMALL].name = "small";
	styles[ST_SMALL].size = 0.8;
	styles[ST_CELL].name = "cell";
	styles[ST_CELL].padding = 0.2; /* 2 pt */
	styles[ST_CELL].frame = black;
	styles[ST_CELL].frame_width = 0.5;
	styles[ST_CELL].fill = pale;
}

/* One master, one frame per column, no header or footer: frames of
 * (page width - 20) / columns, 10 pt margins all round. */
typedef struct spec {
	hd_page_spec ps;
	hd_master ms[2];
	hd_frame_spec fs[4];
	size_t seq[2];
	hd_band_line foot;
} spec;

static void init_spec(spec *s, int columns, int repeat)
{
	int i;
	memset(s, 0, sizeof(*s));
	s->ps.margin_top = s->ps.margin_bottom = s->ps.margin_left = s->ps.margin_right = 10;
	for (i = 0; i < columns; i++) {
		s->fs[i].flow = "main";
		s->fs[i].column = i + 1;
		s->fs[i].columns = columns;
		s->fs[i].gutter = 10;
	}
	s->ms[0].name = "page";
	s->ms[0].frames = s->fs;
	s->ms[0].nframes = (size_t)columns;
	s->ps.masters = s->ms;
	s->ps.nmasters = 1;
	s->ps.sequence = s->seq;
	s->ps.nsequence = 1;
	s->ps.repeat_last = repeat;
}

static hd_layout_in input(spec *s, hd_flow_src *flows, size_t nflows, double w, double h)
{
	hd_layout_in in;
	memset(&in, 0, sizeof(in));
	in.flows = flows;
	in.nflows = nflows;
	in.styles = styles;
	in.nstyles = ST_COUNT;
	in.page = &s->ps;
	in.width = w;
	in.height = h;
	in.body_size = 10;
	in.min_body_size = 10;
	in.file = "test.xml";
	in.template_file = "template.xml";
	return in;
}

static hd_block *para(hd_arena *a, hd_block **doc, int style, const char *text)
{
	hd_block *b = hd_block_new(a, HD_BLK_PARA);
	assert_non_null(hd_block_add_text(a, b, HD_REGULAR, text, strlen(text)));
	b->style = style;
	hd_block_append(doc, b);
	return b;
}

/* Words "w00 w01 ..." of 3 characters each. */
static char *words(int from, int n)
{
	char *s = malloc((size_t)n * 4 + 1), *p = s;
	int i;
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%c%02d", i ? " " : "", 'a' + (from + i) / 100, (from + i) % 100);
	*p = '\0';
	return s;
}

/* Every text item of page p (body text only: size == 10) joined by ' '. */
static char *page_text(const hd_layout *l, size_t p)
{
	hd_buf b = HD_BUF_INIT;
	size_t i;
	for (i = 0; i < l->display.pages[p].count; i++) {
		const hd_item *it = &l->display.pages[p].items[i];
		if (it->kind != HD_ITEM_TEXT)
			continue;
		if (b.len)
			hd_buf_putc(&b, ' ');
		hd_buf_append(&b, it->text, it->len);
	}
	return b.data ? hd_buf_detach(&b, NULL) : calloc(1, 1);
}

/* ----- placement ------------------------------------------------------------------------ */

static void test_flow_continues_at_each_frames_width(void **state)
{
	/* two columns of different widths are not possible with one master of
	 * equal columns, so: two pages, the second narrower (a second master) */
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_metrics m = metrics();
	hd_diags d = HD_DIAGS_INIT;
	hd_layout *l = NULL;
	spec s;
	hd_flow_src flow = { "main", NULL };
	hd_layout_in in;
	char *text = words(0, 40), *p1, *p2, *all;
	(void)state;

	init_styles();
	init_spec(&s, 1, 1);
	/* page 1: frame 100 pt wide (20 chars), 5 lines of 12 pt;
	 * page 2 (repeating): 2 columns of 45 pt (9 chars) */
	s.fs[1].flow = "main";
	s.fs[1].column = 1;
	s.fs[1].columns = 2;
	s.fs[1].gutter = 10;
	s.fs[2] = s.fs[1];
	s.fs[2].column = 2;
	s.ms[1].name = "narrow";
	s.ms[1].frames = &s.fs[1];
	s.ms[1].nframes = 2;
	s.ps.nmasters = 2;
	s.seq[0] = 0;
	s.seq[1] = 1;
	s.ps.nsequence = 2;
	para(&a, &doc, ST_BODY, text);
	flow.blocks = doc;
	in = input(&s, &flow, 1, 120, 80);
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_OK);
	assert_int_equal(l->display.npages, 2);
	/* 5 words (19 chars) per 100 pt line, 5 lines on page 1 */
	p1 = page_text(l, 0);
	assert_string_equal(p1, "a00 a01 a02 a03 a04 a05 a06 a07 a08 a09 a10 a11 a12 a13 a14 a15 a16 "
	                        "a17 a18 a19 a20 a21 a22 a23 a24");
	/* then 2 words per 45 pt line, 5 lines per column: the rest at that width */
	p2 = page_text(l, 1);
	assert_string_equal(p2, "a25 a26 a27 a28 a29 a30 a31 a32 a33 a34 a35 a36 a37 a38 a39");
	/* the second column starts after 5 lines of the first */
	all = page_text(l, 1);
	assert_true(l->display.pages[1].items[5].x > l->display.pages[1].items[4].x + 40);
	free(p1);
	free(p2);
	free(all);
	hd_layout_free(l);
	free(text);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

static void test_keep_with_next_and_orphans(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_metrics m = metrics();
	hd_diags d = HD_DIAGS_INIT;
	hd_layout *l = NULL;
	spec s;
	hd_flow_src flow = { "main", NULL };
	hd_layout_in in;
	char *t1 = words(0, 20), *t2 = words(20, 20), *p1;
	(void)state;

	init_styles();
	styles[ST_BODY].space_before = 0;
	styles[ST_H1].space_before = 0;
	init_spec(&s, 1, 1);
	/* frame 100 x 60: five 12 pt lines. Paragraph 1: 4 lines; then a heading
	 * (1 line) that must not end the frame, so it moves to page 2. */
	para(&a, &doc, ST_BODY, t1);
	para(&a, &doc, ST_H1, "Heading");
	para(&a, &doc, ST_BODY, t2);
	flow.blocks = doc;
	in = input(&s, &flow, 1, 120, 80);
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_OK);
	assert_int_equal(l->display.npages, 2);
	p1 = page_text(l, 0);
	assert_null(strstr(p1, "Heading"));
	free(p1);
	p1 = page_text(l, 1);
	assert_true(strncmp(p1, "Heading a20", 11) == 0);
	free(p1);
	hd_layout_free(l);
	free(t1);
	free(t2);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

static void test_box_never_split(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *box, *inner = NULL;
	hd_metrics m = metrics();
	hd_diags d = HD_DIAGS_INIT;
	hd_layout *l = NULL;
	spec s;
	hd_flow_src flow = { "main", NULL };
	hd_layout_in in;
	char *t1 = words(0, 10), *t2 = words(10, 6), *p;
	const hd_item *first;
	(void)state;

	init_styles();
	styles[ST_BODY].space_before = 0;
	init_spec(&s, 1, 1);
	/* 2 lines, then a box of 2 lines + 2 x 6 pt padding = 36 pt: 24 + 36 = 60
	 * fits exactly; with 3 lines before it, it moves whole to page 2 */
	para(&a, &doc, ST_BODY, t1);
	para(&a, &doc, ST_BODY, "xx");
	box = hd_block_new(&a, HD_BLK_CALLOUT);
	box->style = ST_BOX;
	para(&a, &inner, ST_BODY, t2);
	box->children = inner;
	hd_block_append(&doc, box);
	flow.blocks = doc;
	in = input(&s, &flow, 1, 120, 80);
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_OK);
	assert_int_equal(l->display.npages, 2);
	p = page_text(l, 1);
	assert_string_equal(p, "a10 a11 a12 a13 a14 a15");
	free(p);
	/* the box's frame comes first on page 2, under its text, around it */
	first = &l->display.pages[1].items[0];
	assert_int_equal(first->kind, HD_ITEM_PATH);
	assert_int_equal(first->segs[0].op, HD_PATH_RECT);
	assert_true(first->paint == (HD_PAINT_FILL | HD_PAINT_STROKE));
	assert_true(first->segs[0].p[3] > 35.9 && first->segs[0].p[3] < 36.1);
	hd_layout_free(l);
	free(t1);
	free(t2);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

static void test_box_taller_than_frame_is_an_error(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *box, *inner = NULL;
	hd_metrics m = metrics();
	hd_diags d = HD_DIAGS_INIT;
	hd_layout *l = NULL;
	spec s;
	hd_flow_src flow = { "main", NULL };
	hd_layout_in in;
	char *t = words(0, 40);
	(void)state;

	init_styles();
	init_spec(&s, 1, 1);
	box = hd_block_new(&a, HD_BLK_CALLOUT);
	box->style = ST_BOX;
	para(&a, &inner, ST_BODY, t);
	box->children = inner;
	hd_block_append(&doc, box);
	flow.blocks = doc;
	in = input(&s, &flow, 1, 120, 80);
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_EINPUT);
	assert_null(l);
	assert_int_equal(d.nerrors, 1);
	assert_non_null(strstr(d.items[0].message, "taller than its frame"));
	free(t);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

/* A table of 12 rows (1 header) of 2 cells: rows are 12 + 4 pt; after a break
 * the header row comes again. */
static void test_table_repeats_header_and_wraps_cells(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *table;
	hd_metrics m = metrics();
	hd_diags d = HD_DIAGS_INIT;
	hd_layout *l = NULL;
	spec s;
	hd_flow_src flow = { "main", NULL };
	hd_layout_in in;
	static const double cols[2] = { 0.3, 0.7 };
	char buf[64];
	int r;
	size_t i, headers = 0, total_rows = 0;
	(void)state;

	init_styles();
	init_spec(&s, 1, 1);
	table = hd_block_new(&a, HD_BLK_TABLE);
	table->style = ST_CELL;
	table->cols = cols;
	table->ncols = 2;
	table->header_rows = 1;
	for (r = 0; r < 12; r++) {
		hd_block *row = hd_block_new(&a, HD_BLK_ROW), *c1 = hd_block_new(&a, HD_BLK_CELL),
		         *c2 = hd_block_new(&a, HD_BLK_CELL), *k1 = NULL, *k2 = NULL;
		snprintf(buf, sizeof(buf), r ? "r%02d" : "Hd", r);
		para(&a, &k1, ST_BODY, buf);
		/* the second cell of row 5 wraps onto 2 lines at 70% of 180 pt */
		para(&a, &k2, ST_BODY, r == 5 ? "xxxxxxxxxx yyyyyyyyyy zzzzzzzzzz" : "v");
		c1->children = k1;
		c2->children = k2;
		hd_block_add_child(row, c1);
		hd_block_add_child(row, c2);
		hd_block_add_child(table, row);
	}
	hd_block_append(&doc, table);
	flow.blocks = doc;
	in = input(&s, &flow, 1, 200, 120); /* frame 180 x 100: 6 rows of 16 pt */
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_OK);
	assert_true(l->display.npages >= 2);
	for (i = 0; i < l->display.npages; i++) {
		size_t k;
		int first_text = 1;
		for (k = 0; k < l->display.pages[i].count; k++) {
			const hd_item *it = &l->display.pages[i].items[k];
			if (it->kind != HD_ITEM_TEXT)
				continue;
			if (first_text)
				assert_string_equal(it->text, "Hd"); /* every page starts with the header */
			first_text = 0;
			headers += !strcmp(it->text, "Hd");
			total_rows += it->text[0] == 'r';
		}
	}
	assert_int_equal(headers, l->display.npages);
	assert_int_equal(total_rows, 11); /* every row once */
	hd_layout_free(l);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

static void test_figure_paths_scaled_into_the_frame(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *fig;
	hd_metrics m = metrics();
	hd_diags d = HD_DIAGS_INIT;
	hd_layout *l = NULL;
	spec s;
	hd_flow_src flow = { "main", NULL };
	hd_layout_in in;
	hd_path_seg segs[3] = { { HD_PATH_MOVE, { 0, 0, 0, 0, 0, 0 } },
		                { HD_PATH_LINE, { 10, 20, 0, 0, 0, 0 } },
		                { HD_PATH_CLOSE, { 0, 0, 0, 0, 0, 0 } } };
	hd_draw_path dp;
	hd_drawing dr;
	hd_buf dump = HD_BUF_INIT;
	(void)state;

	init_styles();
	init_spec(&s, 1, 1);
	memset(&dp, 0, sizeof(dp));
	dp.segs = segs;
	dp.nsegs = 3;
	dp.paint = HD_PAINT_STROKE;
	dp.stroke = styles[ST_BOX].frame;
	dp.line_width = 1;
	memset(&dr, 0, sizeof(dr));
	dr.vb_w = 10;
	dr.vb_h = 20;
	dr.paths = &dp;
	dr.npaths = 1;
	fig = hd_block_new(&a, HD_BLK_FIGURE);
	fig->drawing = &dr;
	fig->fig_width = 0.5;
	hd_block_append(&doc, fig);
	flow.blocks = doc;
	in = input(&s, &flow, 1, 120, 200); /* frame 100 wide: the drawing 50 x 100 */
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_OK);
	assert_int_equal(hd_layout_dump(l, &dump), HD_OK);
	/* top-left of the frame is (10, 190); the viewBox's y goes down */
	assert_non_null(strstr(dump.data, "  path stroke=c80000/5.00 M 10.00 190.00 L 60.00 90.00 Z\n"));
	hd_buf_free(&dump);
	hd_layout_free(l);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

/* A floating figure: at the right of the frame, no height of its own; the
 * lines beside it are shorter (by its width and a gap of 0.6 of the body
 * size) down to its bottom (and a quarter line), then full width again;
 * a box, which cannot be narrowed, starts below it. */
static void test_float_narrows_lines_then_clears(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *fig, *box, *inner;
	hd_metrics m = metrics();
	hd_diags d = HD_DIAGS_INIT;
	hd_layout *l = NULL;
	spec s;
	hd_flow_src flow = { "main", NULL };
	hd_layout_in in;
	hd_path_seg segs[2] = { { HD_PATH_MOVE, { 0, 0, 0, 0, 0, 0 } },
		                { HD_PATH_LINE, { 10, 20, 0, 0, 0, 0 } } };
	hd_draw_path dp;
	hd_drawing dr;
	char *text = words(0, 30);
	const hd_page *pg;
	size_t i, narrow = 0, wide = 0;
	double box_top = 0;
	(void)state;

	init_styles();
	init_spec(&s, 1, 1);
	memset(&dp, 0, sizeof(dp));
	dp.segs = segs;
	dp.nsegs = 2;
	dp.paint = HD_PAINT_STROKE | HD_PAINT_ROUND;
	dp.stroke = styles[ST_BOX].frame;
	dp.line_width = 1;
	memset(&dr, 0, sizeof(dr));
	dr.vb_w = 10;
	dr.vb_h = 20;
	dr.paths = &dp;
	dr.npaths = 1;
	fig = hd_block_new(&a, HD_BLK_FIGURE);
	fig->drawing = &dr;
	fig->fig_width = 0.5; /* 50 x 100 in a frame 100 wide */
	fig->flags = HD_BF_FLOAT;
	hd_block_append(&doc, fig);
	para(&a, &doc, ST_BODY, text);
	box = hd_block_new(&a, HD_BLK_CALLOUT);
	box->style = ST_BOX;
	inner = hd_block_new(&a, HD_BLK_PARA);
	hd_block_add_text(&a, inner, HD_REGULAR, "boxed", 5);
	hd_block_add_child(box, inner);
	hd_block_append(&doc, box);
	flow.blocks = doc;
	in = input(&s, &flow, 1, 120, 400);
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_OK);
	assert_int_equal(l->display.npages, 1);
	pg = &l->display.pages[0];
	for (i = 0; i < pg->count; i++) {
		const hd_item *it = &pg->items[i];
		double top = 390 - it->y - 9; /* the line's top: 9 pt above its baseline */
		if (it->kind == HD_ITEM_PATH && it->nsegs == 2) {
			/* the figure: at the right edge of the frame, its top at the top */
			assert_true(fabs(it->segs[0].p[0] - 60) < 1e-6);
			assert_true(fabs(it->segs[0].p[1] - 390) < 1e-6);
			assert_true(it->paint & HD_PAINT_ROUND);
		}
		if (it->kind == HD_ITEM_PATH && it->nsegs == 1 && it->segs[0].op == HD_PATH_RECT)
			box_top = it->segs[0].p[1] + it->segs[0].p[3];
		if (it->kind != HD_ITEM_TEXT || it->size != 10 || !strcmp(it->text, "boxed"))
			continue;
		/* 5 pt a character: a line's right edge */
		if (top < 100) {
			assert_true(it->x + 5.0 * (double)it->len <= 10 + 100 - 56 + 1e-6);
			narrow++;
		} else {
			wide++;
		}
	}
	/* 9 lines of 2 words beside it (tops 0, 12 .. 96 < 102.5), then 12
	 * words in lines of 5 */
	assert_int_equal(narrow, 9);
	assert_int_equal(wide, 3);
	/* the box begins below the figure's bottom (100) and the gap */
	assert_true(box_top > 0 && box_top <= 390 - 102.5 + 1e-6);
	free(text);
	hd_layout_free(l);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

/* A fixed set of pages cannot grow: what is left over is named. */
static void test_fixed_pages_overflow_names_the_frame(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_metrics m = metrics();
	hd_diags d = HD_DIAGS_INIT;
	hd_layout *l = NULL;
	spec s;
	hd_flow_src flow = { "main", NULL };
	hd_layout_in in;
	char *t = words(0, 100);
	(void)state;

	init_styles();
	init_spec(&s, 3, 0);
	s.fs[2].name = "right-hand panel";
	para(&a, &doc, ST_BODY, t);
	flow.blocks = doc;
	in = input(&s, &flow, 1, 300, 80);
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_EINPUT);
	assert_int_equal(d.nerrors, 1);
	assert_non_null(strstr(d.items[0].message, "the content of 'main' does not fit"));
	assert_non_null(strstr(d.items[0].message, "after the right-hand panel"));
	free(t);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

typedef struct fields {
	const char *clinic;
} fields;

static const char *field(const void *ctx, const char *key, hd_field_info *info)
{
	const fields *f = ctx;
	if (!strcmp(key, "clinic")) {
		info->what = "the clinic name";
		info->file = "clinic.xml";
		info->hint = "shorten <name> in the clinic file";
		return f->clinic;
	}
	return NULL;
}

static void test_footer_page_x_of_y_and_header_fit(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_metrics m = metrics();
	hd_diags d = HD_DIAGS_INIT;
	hd_layout *l = NULL;
	spec s;
	hd_flow_src flow = { "main", NULL };
	hd_layout_in in;
	hd_band_line head = { { "{clinic}", ST_BODY }, { NULL, 0 }, { NULL, 0 } };
	hd_band_line foot = { { NULL, 0 }, { NULL, 0 }, { "{page}/{pages}", ST_SMALL } };
	fields f = { "Clinic" };
	char *t = words(0, 60), *p;
	(void)state;

	init_styles();
	init_spec(&s, 1, 1);
	s.ms[0].has_header = 1;
	s.ms[0].header.lines = &head;
	s.ms[0].header.nlines = 1;
	s.ms[0].header.gap = 4;
	s.ms[0].has_footer = 1;
	s.ms[0].footer.lines = &foot;
	s.ms[0].footer.nlines = 1;
	s.ms[0].footer.gap = 4;
	para(&a, &doc, ST_BODY, t);
	flow.blocks = doc;
	in = input(&s, &flow, 1, 120, 120);
	in.field = field;
	in.field_ctx = &f;
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_OK);
	assert_true(l->display.npages >= 2);
	/* the decoration comes first on every page */
	p = page_text(l, 1);
	assert_true(strncmp(p, "Clinic 2/", 9) == 0);
	free(p);
	hd_layout_free(l);
	l = NULL;

	/* a name too long for one line even at 6.5 pt wraps onto a second */
	f.clinic = "A clinic name that is much too long to fit";
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_OK);
	assert_int_equal(l->display.pages[0].items[0].kind, HD_ITEM_TEXT);
	assert_int_equal(l->display.pages[0].items[1].kind, HD_ITEM_TEXT);
	assert_true(l->display.pages[0].items[0].y > l->display.pages[0].items[1].y);
	assert_string_equal(l->display.pages[0].items[0].text, "A clinic name that is much too");
	assert_string_equal(l->display.pages[0].items[1].text, "long to fit");
	assert_true(l->display.pages[0].items[0].size >= 6.5);
	hd_layout_free(l);
	l = NULL;

	/* a word wider than the page even at 6.5 pt is the clinic file's error */
	f.clinic = "Aclinicnamemuchtoolongtofitanywhere";
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_EINPUT);
	assert_string_equal(d.items[d.count - 1].file, "clinic.xml");
	assert_string_equal(d.items[d.count - 1].message,
	                    "the clinic name \"Aclinicnamemuchtoolongtofitanywhere\" is too long for "
	                    "the page header");
	free(t);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

static void test_shrinks_to_fit_then_goes_back_up(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL;
	hd_metrics m = metrics();
	hd_diags d = HD_DIAGS_INIT;
	hd_layout *l = NULL;
	spec s;
	hd_flow_src flow = { "main", NULL };
	hd_layout_in in;
	char *t = words(0, 28);
	(void)state;

	init_styles();
	init_spec(&s, 1, 1);
	s.ps.max_pages = 1;
	/* 28 words: 7 lines of 4 words at 10 pt = 84 pt > 60; at 8 pt 5 words
	 * per line (6 lines of 9.6 = 57.6): fits */
	para(&a, &doc, ST_BODY, t);
	flow.blocks = doc;
	in = input(&s, &flow, 1, 120, 80);
	in.body_size = 10;
	in.min_body_size = 8;
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_OK);
	assert_int_equal(l->display.npages, 1);
	assert_true(l->shrunk);
	assert_true(l->body_size >= 8.0 && l->body_size < 10.0);
	hd_layout_free(l);
	free(t);

	/* too long even at the floor (2 pages at 8 pt: 9 lines of 6 words, 6 a
	 * page), and 2 pages at 10 pt too: back up to 10 pt */
	doc = NULL;
	t = words(0, 50);
	para(&a, &doc, ST_BODY, t);
	flow.blocks = doc;
	l = NULL;
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_OK);
	assert_int_equal(l->display.npages, 2);
	assert_true(l->body_size == 10.0);
	assert_false(l->shrunk);
	hd_layout_free(l);
	free(t);
	hd_arena_free(&a);
	hd_diags_free(&d);
}

static void test_missing_glyph_named_with_line(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_block *doc = NULL, *b;
	hd_metrics m = metrics();
	hd_diags d = HD_DIAGS_INIT;
	hd_layout *l = NULL;
	spec s;
	hd_flow_src flow = { "main", NULL };
	hd_layout_in in;
	(void)state;

	init_styles();
	init_spec(&s, 1, 1);
	b = para(&a, &doc, ST_BODY, "bad \xEF\xBF\xBF here");
	b->spans->line = 17;
	flow.blocks = doc;
	in = input(&s, &flow, 1, 120, 80);
	assert_int_equal(hd_layout_run(&l, &in, &m, &d), HD_EINPUT);
	assert_int_equal(d.nerrors, 1);
	assert_string_equal(d.items[0].file, "test.xml");
	assert_int_equal(d.items[0].line, 17);
	assert_string_equal(d.items[0].message, "the font has no glyph for U+FFFF in \"bad \xEF\xBF\xBF here\"");
	hd_arena_free(&a);
	hd_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_break_greedy),
		cmocka_unit_test(test_break_emergency),
		cmocka_unit_test(test_break_soft_hyphen_and_forced),
		cmocka_unit_test(test_hyphenate_loose_lines),
		cmocka_unit_test(test_hyphenate_never),
		cmocka_unit_test(test_hyphenate_own_hyphen),
		cmocka_unit_test(test_hyphenate_two_in_a_row),
		cmocka_unit_test(test_hyphenate_instead_of_cutting),
		cmocka_unit_test(test_hyphen_characters_drawn),
		cmocka_unit_test(test_flow_continues_at_each_frames_width),
		cmocka_unit_test(test_keep_with_next_and_orphans),
		cmocka_unit_test(test_box_never_split),
		cmocka_unit_test(test_box_taller_than_frame_is_an_error),
		cmocka_unit_test(test_table_repeats_header_and_wraps_cells),
		cmocka_unit_test(test_figure_paths_scaled_into_the_frame),
		cmocka_unit_test(test_float_narrows_lines_then_clears),
		cmocka_unit_test(test_fixed_pages_overflow_names_the_frame),
		cmocka_unit_test(test_footer_page_x_of_y_and_header_fit),
		cmocka_unit_test(test_shrinks_to_fit_then_goes_back_up),
		cmocka_unit_test(test_missing_glyph_named_with_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
