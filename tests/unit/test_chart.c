/*
 * The pain chart (src/merge/chart.c) is honest: the scale starts at 0 at
 * the bottom; points sit where their scores and dates say; a missing score
 * is a gap, not a zero; one visit is a point, not a line; 200 visits still
 * read: date labels thinned out, never overlapping, the last one shown.
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

#include "chart.h"

static const hd_chart_spec spec = { 400, 200, 10, "Before", "After", "Pain", "No scores" };

/* Chart geometry as chart.c lays it out at these sizes: the plot box. */
static void plot_box(const hd_drawing *dr, double *left, double *top, double *w, double *h)
{
	/* the axes path: M (left, top) L (left, bottom) L (right, bottom) */
	size_t i;
	for (i = 0; i < dr->npaths; i++) {
		const hd_draw_path *p = &dr->paths[i];
		if (p->nsegs == 3 && p->segs[1].op == HD_PATH_LINE && p->segs[2].op == HD_PATH_LINE &&
		    p->segs[0].p[0] == p->segs[1].p[0]) {
			*left = p->segs[0].p[0];
			*top = p->segs[0].p[1];
			*h = p->segs[1].p[1] - *top;
			*w = p->segs[2].p[0] - *left;
			return;
		}
	}
	fail_msg("no axes");
}

/* The line of a series: the first stroked path with round joins that is
 * solid (before) or dashed (after) and not in the legend (y above it). */
static const hd_draw_path *series_line(const hd_drawing *dr, int after)
{
	size_t i;
	for (i = 0; i < dr->npaths; i++) {
		const hd_draw_path *p = &dr->paths[i];
		if ((p->paint & HD_PAINT_ROUND) && ((p->dash > 0) == after))
			return p;
	}
	return NULL;
}

static hd_chart_point pt(long day, double before, double after, const char *label)
{
	hd_chart_point p = { day, 0, before, after, label };
	return p;
}

static void test_points_where_the_scores_say(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_chart_point p[3] = { pt(100, 8, 5, "1 Mar"), pt(110, 6, 3, "11 Mar"),
		                pt(130, 0, 0, "31 Mar") };
	hd_drawing *dr = hd_pain_chart(&a, p, 3, &spec);
	const hd_draw_path *before, *after;
	double left, top, w, h;
	(void)state;

	assert_non_null(dr);
	plot_box(dr, &left, &top, &w, &h);
	before = series_line(dr, 0);
	after = series_line(dr, 1);
	assert_non_null(before);
	assert_non_null(after);
	assert_int_equal(before->nsegs, 3);
	assert_int_equal(before->segs[0].op, HD_PATH_MOVE);
	/* y: 0 at the bottom of the plot, 10 at its top */
	assert_true(fabs(before->segs[0].p[1] - (top + h - h * 0.8)) < 1e-9);
	assert_true(fabs(before->segs[2].p[1] - (top + h)) < 1e-9); /* a score of 0 */
	assert_true(fabs(after->segs[1].p[1] - (top + h - h * 0.3)) < 1e-9);
	/* x: in proportion to the days, 4 % in from each end */
	assert_true(fabs(before->segs[0].p[0] - (left + 0.04 * w)) < 1e-9);
	assert_true(fabs(before->segs[1].p[0] - (left + w * (0.04 + 0.92 * 10 / 30.0))) < 1e-9);
	assert_true(fabs(before->segs[2].p[0] - (left + 0.96 * w)) < 1e-9);
	hd_arena_free(&a);
}

static void test_missing_score_is_a_gap(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_chart_point p[4] = { pt(1, 7, -1, "a"), pt(2, -1, -1, "b"), pt(3, 5, 4, "c"),
		                pt(4, 4, 2, "d") };
	hd_drawing *dr = hd_pain_chart(&a, p, 4, &spec);
	const hd_draw_path *before, *after;
	(void)state;

	assert_non_null(dr);
	before = series_line(dr, 0);
	/* 7, (gap), 5 - 4: a move, a move, a line; nothing drawn at visit 2 */
	assert_int_equal(before->nsegs, 3);
	assert_int_equal(before->segs[0].op, HD_PATH_MOVE);
	assert_int_equal(before->segs[1].op, HD_PATH_MOVE);
	assert_int_equal(before->segs[2].op, HD_PATH_LINE);
	after = series_line(dr, 1);
	assert_int_equal(after->nsegs, 2); /* only visits 3 and 4 */
	hd_arena_free(&a);
}

static void test_one_visit_is_a_point(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_chart_point p[1] = { pt(5, 6, 3, "5 Jan") };
	hd_drawing *dr = hd_pain_chart(&a, p, 1, &spec);
	const hd_draw_path *before;
	double left, top, w, h;
	size_t i, markers = 0;
	(void)state;

	assert_non_null(dr);
	plot_box(dr, &left, &top, &w, &h);
	before = series_line(dr, 0);
	assert_int_equal(before->nsegs, 1); /* a move: no line */
	assert_true(fabs(before->segs[0].p[0] - (left + w / 2)) < 1e-9);
	/* its markers: a filled circle (6 segments) and an open square */
	for (i = 0; i < dr->npaths; i++)
		markers += dr->paths[i].paint & HD_PAINT_FILL ? 1 : 0;
	assert_true(markers >= 2);
	hd_arena_free(&a);
}

/* 200 visits a week apart: the date labels that are shown do not overlap,
 * the first and the last are among them, and there is a tick for every visit. */
static void test_many_visits_read(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_chart_point p[200];
	char labels[200][16];
	hd_drawing *dr;
	size_t i, k, shown = 0;
	double prev_right = -1e9, size = spec.body_size * 0.72;
	int first = 0, last = 0;
	(void)state;

	for (i = 0; i < 200; i++) {
		snprintf(labels[i], sizeof(labels[i]), "%zu Mar 2026", i % 28 + 1);
		p[i] = pt((long)i * 7, (double)(i % 11), (double)(i % 7), labels[i]);
	}
	dr = hd_pain_chart(&a, p, 200, &spec);
	assert_non_null(dr);
	for (k = 0; k < dr->ntexts; k++) {
		const hd_draw_text *t = &dr->texts[k];
		double w = hd_chart_text_width(t->text, size);
		if (!strstr(t->text, "Mar"))
			continue;
		assert_int_equal(t->align, 0);
		assert_true(t->x - w / 2 >= prev_right); /* no overlap, left to right */
		assert_true(t->x - w / 2 >= -1e-9 && t->x + w / 2 <= spec.width + 1e-9);
		prev_right = t->x + w / 2;
		first |= t->text == labels[0] || !strcmp(t->text, labels[0]);
		last |= !strcmp(t->text, labels[199]) && k + 1 < dr->ntexts;
		shown++;
	}
	assert_true(shown >= 5 && shown < 200);
	assert_true(first);
	assert_true(last);
	/* a tick per visit */
	for (i = 0; i < dr->npaths; i++) {
		if (dr->paths[i].nsegs == 400 && dr->paths[i].line_width == 0.5)
			break;
	}
	assert_true(i < dr->npaths);
	hd_arena_free(&a);
}

/* No score at all: the scale and the dates, and the note saying so. */
static void test_no_scores(void **state)
{
	hd_arena a = HD_ARENA_INIT;
	hd_chart_point p[2] = { pt(1, -1, -1, "a"), pt(9, -1, -1, "b") };
	hd_drawing *dr = hd_pain_chart(&a, p, 2, &spec);
	size_t k;
	int said = 0;
	(void)state;

	assert_non_null(dr);
	for (k = 0; k < dr->ntexts; k++)
		said |= !strcmp(dr->texts[k].text, "No scores");
	assert_true(said);
	hd_arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_points_where_the_scores_say),
		cmocka_unit_test(test_missing_score_is_a_gap),
		cmocka_unit_test(test_one_visit_is_a_point),
		cmocka_unit_test(test_many_visits_read),
		cmocka_unit_test(test_no_scores),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
