/*
 * Path data and shapes (src/model/drawing.c): every command, absolute and
 * relative, the shorthands, arcs against points known on the circle, and
 * every kind of bad input with its message and offset.
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

#include "drawing.h"
#include "util.h"

/* The segments as text: "M 0 0|L 10 0|C ...|Z", numbers with %g at 3 decimals. */
static void segs_text(const hd_path_build *b, char *out, size_t size)
{
	size_t i, o = 0;
	out[0] = '\0';
	for (i = 0; i < b->count && o < size; i++) {
		const double *p = b->segs[i].p;
		const char *sep = i ? "|" : "";
		switch (b->segs[i].op) {
		case HD_PATH_MOVE:
			o += (size_t)snprintf(out + o, size - o, "%sM %.3g %.3g", sep, p[0], p[1]);
			break;
		case HD_PATH_LINE:
			o += (size_t)snprintf(out + o, size - o, "%sL %.3g %.3g", sep, p[0], p[1]);
			break;
		case HD_PATH_CURVE:
			o += (size_t)snprintf(out + o, size - o, "%sC %.3g %.3g %.3g %.3g %.3g %.3g", sep,
			                      p[0], p[1], p[2], p[3], p[4], p[5]);
			break;
		case HD_PATH_RECT:
			o += (size_t)snprintf(out + o, size - o, "%sR", sep);
			break;
		case HD_PATH_CLOSE:
			o += (size_t)snprintf(out + o, size - o, "%sZ", sep);
			break;
		}
	}
}

static void parses_to(const char *d, const char *want)
{
	hd_path_build b = { 0 };
	size_t at = 99;
	const char *err = NULL;
	char got[2048];
	int r = hd_path_parse(&b, d, &at, &err);
	if (r)
		fail_msg("'%s': %s at %zu", d, err, at);
	segs_text(&b, got, sizeof(got));
	if (strcmp(got, want))
		fail_msg("'%s'\n got: %s\nwant: %s", d, got, want);
	hd_path_build_free(&b);
}

static void fails_with(const char *d, const char *msg, size_t want_at)
{
	hd_path_build b = { 0 };
	size_t at = 999;
	const char *err = NULL;
	int r = hd_path_parse(&b, d, &at, &err);
	assert_int_equal(r, HD_EINPUT);
	assert_non_null(err);
	if (strcmp(err, msg) || at != want_at)
		fail_msg("'%s': got \"%s\" at %zu, want \"%s\" at %zu", d, err, at, msg, want_at);
	hd_path_build_free(&b);
}

static void test_lines(void **state)
{
	(void)state;
	parses_to("M10 20 L30 40 Z", "M 10 20|L 30 40|Z");
	parses_to("M 10,20 30,40 50 60", "M 10 20|L 30 40|L 50 60");      /* M repeats as L */
	parses_to("m10 20 l5 5 h10 v-3 H0 V1 z", "M 10 20|L 15 25|L 25 25|L 25 22|L 0 22|L 0 1|Z");
	parses_to("M-1.5-2.25L.5.5", "M -1.5 -2.25|L 0.5 0.5");              /* SVG's compact numbers */
	parses_to("M0 0 L10 0 Z m 1 1 l 1 0", "M 0 0|L 10 0|Z|M 1 1|L 2 1"); /* relative after Z */
	parses_to("  M 1 2  ", "M 1 2");
}

static void test_curves(void **state)
{
	(void)state;
	parses_to("M0 0 C 1 2 3 4 5 6", "M 0 0|C 1 2 3 4 5 6");
	parses_to("M1 1 c 1 2 3 4 5 6", "M 1 1|C 2 3 4 5 6 7");
	/* S mirrors the last control point (3, 4) about the end point (5, 6) */
	parses_to("M0 0 C 1 2 3 4 5 6 S 9 9 10 10", "M 0 0|C 1 2 3 4 5 6|C 7 8 9 9 10 10");
	/* S after a line: the first control point is the current point */
	parses_to("M0 0 L 3 0 S 6 3 6 6", "M 0 0|L 3 0|C 3 0 6 3 6 6");
	/* Q (0,0) (3,3) (6,0): control points at 2/3 towards the quadratic's */
	parses_to("M0 0 Q 3 3 6 0", "M 0 0|C 2 2 4 2 6 0");
	/* T mirrors (3,3) about (6,0) to (9,-3) */
	parses_to("M0 0 Q 3 3 6 0 T 12 0", "M 0 0|C 2 2 4 2 6 0|C 8 -2 10 -2 12 0");
}

/* Every end point of an arc lies on its circle, and a half circle ends where
 * it should. */
static void test_arcs(void **state)
{
	hd_path_build b = { 0 };
	size_t at, i;
	const char *err;
	(void)state;

	/* half circle, radius 10, centre (10, 0), from (0,0) to (20,0) */
	assert_int_equal(hd_path_parse(&b, "M0 0 A 10 10 0 0 1 20 0", &at, &err), HD_OK);
	assert_int_equal(b.count, 3); /* a move and two quarter turns */
	for (i = 1; i < b.count; i++) {
		const double *p = b.segs[i].p;
		assert_true(fabs(hypot(p[4] - 10, p[5]) - 10) < 1e-9);
	}
	assert_true(fabs(b.segs[1].p[5] - -10) < 1e-9 || fabs(b.segs[1].p[5] - 10) < 1e-9);
	assert_true(fabs(b.segs[2].p[4] - 20) < 1e-12 && fabs(b.segs[2].p[5]) < 1e-12);
	hd_path_build_free(&b);

	/* the large arc: three quarter turns or more, compact flags "1 1" as "11" */
	memset(&b, 0, sizeof(b));
	assert_int_equal(hd_path_parse(&b, "M10 0 a10 10 0 1110 10", &at, &err), HD_OK);
	assert_int_equal(b.count, 4);
	assert_true(fabs(b.segs[3].p[4] - 20) < 1e-9 && fabs(b.segs[3].p[5] - 10) < 1e-9);
	hd_path_build_free(&b);

	/* radii too small are scaled up (a half circle through both points) */
	memset(&b, 0, sizeof(b));
	assert_int_equal(hd_path_parse(&b, "M0 0 A 1 1 0 0 0 20 0", &at, &err), HD_OK);
	assert_true(fabs(b.segs[b.count - 1].p[4] - 20) < 1e-9);
	hd_path_build_free(&b);

	/* a zero radius is a straight line; the same point is nothing */
	parses_to("M0 0 A 0 5 0 0 0 7 7", "M 0 0|L 7 7");
	parses_to("M3 3 A 5 5 0 0 0 3 3", "M 3 3");
}

static void test_errors(void **state)
{
	(void)state;
	fails_with("", "the path data is empty", 0);
	fails_with("   ", "the path data is empty", 0);
	fails_with("L 1 2", "path data must start with M (a move)", 0);
	fails_with("10 20", "path data must start with M (a move)", 0);
	fails_with("M 1", "expected two numbers (x y) after 'M'", 3);
	fails_with("M 1 2 L 3 x", "expected two numbers (x y) after 'L'", 10);
	fails_with("M 1 2 L 3 4 5", "expected two numbers (x y) after 'L'", 13);
	fails_with("M 1 2 C 1 2 3 4 5", "expected six numbers (x1 y1 x2 y2 x y) after 'C'", 17);
	fails_with("M 1 2 K 3 4", "unknown path command (use M L H V C S Q T A Z)", 6);
	fails_with("M 1 2 Z 3 4", "expected a command letter (M L H V C S Q T A Z) or a number", 8);
	fails_with("M 0 0 A 5 5 0 2 0 9 9",
	           "expected seven values (rx ry rotation large-arc sweep x y) after 'A'", 14);
	fails_with("M 1e5 0", "expected two numbers (x y) after 'M'", 3); /* no exponents */
	fails_with("M 100001 0", "a number in the path data is out of range (at most 100000)", 2);
	fails_with("M 0 0 L 99999999999999999999999 0",
	           "a number in the path data is out of range (at most 100000)", 8);
	fails_with("M 0 0 L - 0", "expected two numbers (x y) after 'L'", 8);
}

/* A hostile path cannot grow without bound: the segment cap holds. */
static void test_cap(void **state)
{
	hd_path_build b = { 0 };
	hd_buf d = HD_BUF_INIT;
	size_t at, i;
	const char *err;
	(void)state;

	hd_buf_puts(&d, "M0 0");
	for (i = 0; i < 30000; i++)
		hd_buf_puts(&d, " l1 1");
	assert_int_equal(hd_path_parse(&b, d.data, &at, &err), HD_EINPUT);
	assert_string_equal(err, "the drawing has too many segments (the limit is 20000)");
	assert_int_equal(b.count, HD_DRAWING_MAX_SEGS);
	hd_path_build_free(&b);
	hd_buf_free(&d);
}

static void test_shapes(void **state)
{
	hd_path_build b = { 0 };
	const char *err = NULL;
	double box[4];
	char got[2048];
	(void)state;

	assert_int_equal(hd_path_ellipse(&b, 10, 20, 5, 3, &err), HD_OK);
	assert_int_equal(b.count, 6); /* move, four quarters, close */
	hd_path_bbox(b.segs, b.count, box);
	assert_true(fabs(box[0] - 5) < 1e-9 && fabs(box[2] - 15) < 1e-9);
	assert_true(fabs(box[1] - 17) < 0.01 && fabs(box[3] - 23) < 0.01);
	hd_path_build_free(&b);

	memset(&b, 0, sizeof(b));
	assert_int_equal(hd_path_rect(&b, 0, 0, 10, 4, 0, &err), HD_OK);
	segs_text(&b, got, sizeof(got));
	assert_string_equal(got, "M 0 0|L 10 0|L 10 4|L 0 4|L 0 0|Z");
	hd_path_build_free(&b);

	memset(&b, 0, sizeof(b));
	assert_int_equal(hd_path_rect(&b, 0, 0, 10, 4, 9, &err), HD_OK); /* radius clamped to 2 */
	assert_int_equal(b.count, 10);
	hd_path_bbox(b.segs, b.count, box);
	assert_true(fabs(box[2] - 10) < 1e-9 && fabs(box[3] - 4) < 1e-9);
	hd_path_build_free(&b);

	memset(&b, 0, sizeof(b));
	assert_int_equal(hd_path_line(&b, 1, 2, 3, 4, &err), HD_OK);
	segs_text(&b, got, sizeof(got));
	assert_string_equal(got, "M 1 2|L 3 4");

	assert_int_equal(hd_path_ellipse(&b, 0, 0, 0, 3, &err), HD_EINPUT);
	assert_string_equal(err, "a radius must be greater than 0");
	assert_int_equal(hd_path_rect(&b, 0, 0, -1, 3, 0, &err), HD_EINPUT);
	assert_string_equal(err, "a width and a height must be greater than 0");
	assert_int_equal(hd_path_rect(&b, 0, 0, 1, 3, -1, &err), HD_EINPUT);
	assert_string_equal(err, "a corner radius cannot be negative");
	assert_int_equal(hd_path_line(&b, 0, 0, 1e6, 0, &err), HD_EINPUT);
	assert_string_equal(err, "a number is out of range (at most 100000)");
	assert_int_equal(hd_path_ellipse(&b, NAN, 0, 1, 1, &err), HD_EINPUT);
	hd_path_build_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),  cmocka_unit_test(test_curves), cmocka_unit_test(test_arcs),
		cmocka_unit_test(test_errors), cmocka_unit_test(test_cap),    cmocka_unit_test(test_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
