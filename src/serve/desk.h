/*
 * desk: what the files of the serve stage share — the server's state, the
 * page built from the library, the form read into a session, JSON answers.
 */
#ifndef HD_SERVE_DESK_H
#define HD_SERVE_DESK_H

#include <pthread.h>
#include <stddef.h>

#include "handout.h"

/* Request limits: a form is a few KB; a notes box of a few pages is 20 KB. */
#define DESK_MAX_BODY (256u * 1024u)   /* bytes of a request body */
#define DESK_MAX_FIELDS 512            /* fields of one form */
#define DESK_MAX_CLIENTS 50            /* clients in one type-ahead answer */

/* A growing string (malloc'd); oom is sticky. */
typedef struct desk_buf {
	char *data;
	size_t len, cap;
	int oom;
} desk_buf;
void desk_put(desk_buf *b, const char *s, size_t n);
void desk_puts(desk_buf *b, const char *s);
void desk_printf(desk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s escaped for HTML text and attribute values. */
void desk_put_html(desk_buf *b, const char *s);
/* s as a JSON string, quotes included ('<' escaped too). */
void desk_put_json(desk_buf *b, const char *s);
void desk_buf_free(desk_buf *b);

/* One field of a form, decoded. */
typedef struct desk_field {
	char *name;
	char *value;
} desk_field;

typedef struct desk_form {
	desk_field *items;
	size_t count;
} desk_form;

/* Decodes an application/x-www-form-urlencoded body. Returns 0, or -1 for
 * a body that is not one (a bad %-escape, too many fields): a 400. */
int desk_form_parse(desk_form *out, const char *body, size_t len);
/* The first value of name, or NULL. */
const char *desk_form_get(const desk_form *f, const char *name);
void desk_form_free(desk_form *f);

/* The desk's words in one language. */
typedef struct desk_words desk_words;

typedef struct desk {
	hd_engine *engine;
	char *records;           /* the records folder, or NULL */
	char csrf[65];           /* this run's CSRF token, hex */
	int lan;                 /* listening beyond this computer: a password is needed */
	unsigned char pw_salt[32];
	size_t pw_salt_len;
	unsigned pw_iterations;
	unsigned char pw_hash[32];
	char allowed_hosts[4][300]; /* Host headers accepted on loopback (DNS rebinding) */
	size_t nallowed;
	desk_words *words[2];    /* en, es */
	hd_presets *presets;     /* the clinic's programmes, or NULL */
	hd_smtp_options smtp;    /* url NULL: email gives an .eml file to download */
	char *smtp_password;     /* hd_read_secret's, or NULL */
	pthread_mutex_t lock;    /* guards logins and the failed-login count */
	struct { char token[65]; long expires; } logins[32];
	unsigned failed_logins;
	long locked_until;
} desk;

/* The word key in lang (0 en, 1 es); the key itself when missing. */
const char *desk_word(const desk *d, int lang, const char *key);
/* Reads web/strings.txt. Returns 0 or -1 (out of memory). */
int desk_words_load(desk *d);
void desk_words_free(desk *d);
/* The embedded file name (NULL when there is none); *len its length. */
const char *desk_asset(const char *name, size_t *len);

/* The desk's page in lang, from web/desk.html and the library. */
int desk_page(desk_buf *out, desk *d, int lang);
/* The login page in lang, with an error line (or ""). */
int desk_login_page(desk_buf *out, desk *d, int lang, const char *error);

/* The programmes as buttons, each carrying what it fills in as JSON. */
void desk_presets_html(desk_buf *b, desk *d, int lang);

/* Builds a session from a form with the library's setters; every refused
 * value is in diags, with its field. Returns HD_OK (the session is complete
 * for a sheet), HD_EINPUT (diags say why; *out may still be set) or
 * HD_ENOMEM. *out is the caller's (hd_session_free). */
int desk_session(hd_session **out, desk *d, const desk_form *form, hd_diags *diags);

/* The language of the page a form was posted from (its hidden field
 * "ui"): 0 en (also when absent), 1 es. Not the sheet's language. */
int desk_form_lang(const desk_form *f);

/* diags as JSON: {"ok":false,"diags":[{"severity","code","field","message","hint"}...]}
 * plus extra members (already JSON, starting with ',') when given; each
 * message and hint worded in lang (0 en, 1 es) by hd_diag_text. */
void desk_json_diags(desk_buf *b, int lang, int ok, const hd_diags *diags, const char *strip,
                     const char *extra);

#endif
