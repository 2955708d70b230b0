/*
 * check: value checks shared by the XML loader and the in-memory setters
 * (see check.h). The messages here are the ones both give.
 */
#include "check.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The limits of the text fields (see README.md, "Writing a session
 * record"): a name fits the sheet's title in two lines at most, an email
 * address has at most 254 characters (RFC 5321), a dose is one short
 * instruction. */
const hd_text_field hd_field_client = {
	"the client's name", 100, "shorten it: it is printed in the title, \"Aftercare for ...\"" };
const hd_text_field hd_field_email = {
	"the client's email address", 254, "an email address has at most 254 characters; check it" };
const hd_text_field hd_field_therapist = {
	"the therapist's name", 100, "shorten it: it is printed beside the date" };
const hd_text_field hd_field_dose = {
	"the dose", 120,
	"shorten it: a dose is one short instruction, e.g. \"Hold 30 s, 3 times a day\"" };

void hd_where_error(const hd_where *w, int code, hd_say say, const char *hint, const char *fmt, ...)
{
	char msg[512];
	size_t before = w->d ? w->d->count : 0;
	va_list ap;

	if (w->errors)
		(*w->errors)++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hd_diag_coded(w->d, HD_ERROR, code, w->field, w->file, w->line, w->col, hint, "%s", msg);
	hd_diags_detail(w->d, before, say);
	if (w->column && w->d && w->d->count > before) {
		size_t i;
		for (i = before; i < w->d->count; i++) {
			if (w->d->items[i].code == code && !w->d->items[i].column[0])
				snprintf(w->d->items[i].column, sizeof(w->d->items[i].column), "%s",
				         w->column);
		}
	}
}

const char *hd_check_limit(hd_arena *a, const hd_where *w, const char *s, const hd_text_field *f,
                           const char *what, int *oom)
{
	size_t kept, start = hd_utf8_trim(s, strlen(s), &kept), chars;
	char *res = hd_arena_strndup(a, s + start, kept);

	if (!res) {
		*oom = 1;
		return NULL;
	}
	chars = hd_utf8_count(res, kept);
	if (chars > f->max) {
		char n[24], max[24];
		snprintf(n, sizeof(n), "%zu", chars);
		snprintf(max, sizeof(max), "%zu", f->max);
		hd_where_error(w, HD_DIAG_TOO_LONG, HD_SAY("too-long", { n, max, w->subject }), f->hint,
		               "%s is %zu characters long; the limit is %zu", what ? what : f->what, chars,
		               f->max);
		return NULL;
	}
	return res;
}

/* Parses exactly ndigits digits at s into *v. */
static int digits(const char *s, int ndigits, int *v)
{
	int i;
	*v = 0;
	for (i = 0; i < ndigits; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/* Days in month m (1-12) of year y, leap years included. */
static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int hd_check_date_shape(const char *s, int allow_time)
{
	int v;
	size_t n = strlen(s);
	if (!(n == 10 || (allow_time && n == 16)))
		return 0;
	if (!digits(s, 4, &v) || s[4] != '-' || !digits(s + 5, 2, &v) || s[7] != '-' ||
	    !digits(s + 8, 2, &v))
		return 0;
	if (n == 16 && (s[10] != 'T' || !digits(s + 11, 2, &v) || s[13] != ':' || !digits(s + 14, 2, &v)))
		return 0;
	return 1;
}

int hd_check_date(const hd_where *w, const char *s, int allow_time, hd_date *out)
{
	static const char *const months[] = { "January", "February", "March", "April", "May",
		"June", "July", "August", "September", "October", "November", "December" };
	hd_date dt = { 0, 0, 0, -1, -1 };
	const char *shape = allow_time ? "write YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2026-12-04T10:30"
	                               : "write the date as YYYY-MM-DD, e.g. 2026-11-20";
	char day[16], num[3][16];

	memset(out, 0, sizeof(*out));
	out->hour = out->minute = -1;
	if (!hd_check_date_shape(s, allow_time)) {
		hd_where_error(w, HD_DIAG_BAD_DATE, HD_SAY(allow_time ? "shape-time" : "shape", { s }),
		               shape, "'%.200s' is not a date", s);
		return HD_EINPUT;
	}
	digits(s, 4, &dt.year);
	digits(s + 5, 2, &dt.month);
	digits(s + 8, 2, &dt.day);
	snprintf(day, sizeof(day), "%.10s", s);
	snprintf(num[0], sizeof(num[0]), "%d", dt.year);
	snprintf(num[1], sizeof(num[1]), "%d", dt.month);
	if (dt.year < 1900 || dt.year > 2999) {
		hd_where_error(w, HD_DIAG_BAD_DATE, HD_SAY("year", { s, num[0] }), "check the year",
		               "%s is not a plausible date (year %d)", s, dt.year);
		return HD_EINPUT;
	}
	if (dt.month < 1 || dt.month > 12) {
		hd_where_error(w, HD_DIAG_BAD_DATE, HD_SAY(allow_time ? "month-time" : "month",
		                                           { day, num[1] }),
		               shape, "%.10s is not a real date (there is no month %d)", s, dt.month);
		return HD_EINPUT;
	}
	if (dt.day < 1 || dt.day > days_in_month(dt.year, dt.month)) {
		snprintf(num[2], sizeof(num[2]), "%d", days_in_month(dt.year, dt.month));
		hd_where_error(w, HD_DIAG_BAD_DATE, HD_SAY("day", { day, num[1], num[0], num[2] }),
		               "check the day of the month",
		               "%.10s is not a real date (%s %d has %d days)", s, months[dt.month - 1],
		               dt.year, days_in_month(dt.year, dt.month));
		return HD_EINPUT;
	}
	if (strlen(s) == 16) {
		digits(s + 11, 2, &dt.hour);
		digits(s + 14, 2, &dt.minute);
		if (dt.hour > 23 || dt.minute > 59) {
			hd_where_error(w, HD_DIAG_BAD_DATE, HD_SAY("time", { s + 11 }),
			               "use a 24-hour time from 00:00 to 23:59", "%s is not a real time",
			               s + 11);
			return HD_EINPUT;
		}
	}
	*out = dt;
	return HD_OK;
}

int hd_check_in_choices(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;

	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0)
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

void hd_check_choices_hint(char *buf, size_t size, const char *choices)
{
	size_t o = 0;
	const char *p = choices;

	o += (size_t)snprintf(buf, size, "use ");
	while (*p && o < size) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		const char *sep = !bar ? "" : strchr(bar + 1, '|') ? ", " : " or ";
		o += (size_t)snprintf(buf + o, size - o, "%.*s%s", (int)len, p, sep);
		p = bar ? bar + 1 : p + len;
	}
}

const char *hd_check_suggest_area(const char *v)
{
	size_t i, best = 4;
	const char *s = NULL;
	for (i = 0; i < hd_area_count; i++) {
		size_t dist = hd_edit_distance(v, hd_area_codes[i]);
		if (dist < best) {
			best = dist;
			s = hd_area_codes[i];
		}
	}
	return s;
}

int hd_check_email_shape(const char *s)
{
	const char *at = strchr(s, '@'), *p;
	if (!at || at == s || strchr(at + 1, '@'))
		return 0;
	for (p = s; *p; p++) {
		if (isspace((unsigned char)*p))
			return 0;
	}
	p = strchr(at + 1, '.');
	/* [^@\s]+\.[^@\s]+ after the '@': a dot with something on each side */
	while (p && (p == at + 1 || !p[1]))
		p = strchr(p + 1, '.');
	return p != NULL;
}

int hd_check_client_id(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 1 || n > 64 || !isalnum((unsigned char)s[0]))
		return 0;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return 0;
	}
	return 1;
}

int hd_check_time(const char *s)
{
	return strlen(s) == 5 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	       s[2] == ':' && isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4]) &&
	       (s[0] - '0') * 10 + (s[1] - '0') < 24 && (s[3] - '0') * 10 + (s[4] - '0') < 60;
}
