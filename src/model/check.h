/*
 * check: the checks of a session record's values that do not depend on where
 * the value came from. The XML loader (load_session.c, through load_xml.c)
 * and the in-memory setters (engine/session.c, and so the CSV lists) both
 * call these, so that a value refused in one is refused in the other, with
 * the same message, code (hd_diag_code) and field.
 */
#ifndef HD_CHECK_H
#define HD_CHECK_H

#include "model.h"

/* Where a value was given, for the diagnostics of the checks. */
typedef struct hd_where {
	hd_diags *d;
	const char *file;   /* may be NULL */
	int line, col;      /* 0: unknown */
	const char *field;  /* the session field ("client", "date"...), or NULL */
	const char *column; /* a table's column name, or NULL */
	int *errors;        /* counted per error reported; may be NULL */
	const char *subject; /* the item the value belongs to (a tip's id for its dose), or NULL */
} hd_where;

/* Reports an error at w with code (hd_diag_code). say names the form of the
 * problem and its variable parts (HD_SAY("month", value, "13")), from which
 * hd_diag_text words it in another language: every detail given here has
 * Spanish text in src/util/diag_text.c (tests/tools/check_diag_text.py
 * checks the names, tests/unit/test_diag_text.c the texts). */
void hd_where_error(const hd_where *w, int code, hd_say say, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* A text field of a session record or clinic profile, with its limit in
 * characters (code points, not bytes). The limits are documented in
 * README.md ("Writing a session record") and xml/README.md. */
typedef struct hd_text_field {
	const char *what;  /* "the client's name", for messages */
	size_t max;        /* characters */
	const char *hint;  /* what to do about a value over the limit */
} hd_text_field;

/* The session's text fields. */
extern const hd_text_field hd_field_client;
extern const hd_text_field hd_field_email;
extern const hd_text_field hd_field_therapist;
extern const hd_text_field hd_field_dose;

/* Trims Unicode blanks (hd_unicode_blank) from both ends of s into a copy in
 * a and checks its length against f: over f->max characters it reports "the
 * client's name is 500 characters long; the limit is 100" (HD_DIAG_TOO_LONG,
 * detail "too-long", args the length, the limit and w->subject) and returns
 * NULL. Returns "" when nothing is left (the caller words
 * that). NULL with *oom set when out of memory. what NULL: f->what. */
const char *hd_check_limit(hd_arena *a, const hd_where *w, const char *s, const hd_text_field *f,
                           const char *what, int *oom);

/* Parses s as YYYY-MM-DD, or YYYY-MM-DDTHH:MM when allow_time, and checks
 * that the day exists (HD_DIAG_BAD_DATE). Returns HD_OK or HD_EINPUT; on
 * failure *out is zeroed with hour and minute -1. */
/* 1 when s has the shape of a date, YYYY-MM-DD (with allow_time also
 * YYYY-MM-DDTHH:MM): digits and separators only, no range checked. */
int hd_check_date_shape(const char *s, int allow_time);
int hd_check_date(const hd_where *w, const char *s, int allow_time, hd_date *out);

/* 1 when v is one of the '|'-separated choices. */
int hd_check_in_choices(const char *choices, const char *v);
/* Writes "use a, b or c" for a choices string into buf. */
void hd_check_choices_hint(char *buf, size_t size, const char *choices);
/* The area code closest to v (edit distance at most 3), or NULL. */
const char *hd_check_suggest_area(const char *v);
/* 1 when s has the shape of an email address as the schema says:
 * something@something.something, without white space or a second '@'. */
int hd_check_email_shape(const char *s);

/* 1 when s is a client id as the schema allows: 1 to 64 ASCII letters,
 * digits, '.', '_' and '-', starting with a letter or digit. */
int hd_check_client_id(const char *s);
/* 1 when s is a 24-hour time HH:MM, 00:00 to 23:59. */
int hd_check_time(const char *s);

/* The year-month-day of a as one number, for ordering dates. */
#define HD_DATE_KEY(dt) ((dt).year * 10000 + (dt).month * 100 + (dt).day)

#endif
