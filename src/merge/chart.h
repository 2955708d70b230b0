/*
 * chart: the progress report's line chart of pain over time, as a drawing
 * (style.h: hd_drawing) that layout places like any other figure, so that it
 * shows in the layout dump and prints as vector paths.
 *
 * An honest chart: the scale is always 0 to 10 from the bottom; time runs
 * to the right in proportion to the days between visits; a missing score is
 * a gap in its line, never a zero; a visit on its own is a point; the two
 * series differ in line style and marker (solid with filled circles, dashed
 * with open squares), not in colour alone, so they read in black and white;
 * with many visits the date labels thin out and never overlap.
 */
#ifndef HD_CHART_H
#define HD_CHART_H

#include <stddef.h>

#include "block.h"
#include "style.h"
#include "util.h"

/* One visit: its day and its scores (0 to 10, or -1 when not recorded). */
typedef struct hd_chart_point {
	long day;            /* days since 1970-01-01 */
	int minute;          /* minutes into the day (visits on one day stay apart) */
	double before, after;
	const char *label;   /* the date as the axis prints it */
} hd_chart_point;

typedef struct hd_chart_spec {
	double width, height;   /* the chart, points at the document's body size */
	double body_size;       /* points: label sizes are relative to it */
	const char *before;     /* legend: "Before the session" */
	const char *after;      /* legend: "After the session" */
	const char *axis;       /* the scale's title: "Pain (0 = none, 10 = worst)" */
	const char *none;       /* shown when no visit has a score */
} hd_chart_spec;

/* The chart of points[0..n) (in visit order), in arena a. NULL when out
 * of memory. */
hd_drawing *hd_pain_chart(hd_arena *a, const hd_chart_point *points, size_t n,
                          const hd_chart_spec *spec);

/* The width of text at size points, estimated for DejaVu Sans without
 * metrics (0.6 em a character; digits and most letters are narrower):
 * never less than the truth, so labels placed by it never overlap. */
double hd_chart_text_width(const char *text, double size);

#endif
