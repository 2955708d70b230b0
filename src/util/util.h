/*
 * Small shared helpers: arena allocation, growable byte buffers, diagnostics,
 * UTF-8. No dependency beyond libc.
 */
#ifndef HD_UTIL_H
#define HD_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "handout.h"

#define HD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ----- arena ---------------------------------------------------------------
 * Everything that belongs to one document (or one loaded file) is carved from
 * one arena, so freeing it is one call and a leak of a part is impossible.
 * Build with -DHD_ARENA_MALLOC=1 to turn every allocation into its own malloc,
 * so that AddressSanitizer sees overflows between objects. */
typedef struct hd_arena_block hd_arena_block;
typedef struct hd_arena {
	hd_arena_block *head;
	size_t used;      /* bytes used in head */
	size_t total;     /* bytes handed out, for statistics */
} hd_arena;
#define HD_ARENA_INIT { NULL, 0, 0 }

/* Returns zeroed memory aligned for any type, or NULL when out of memory.
 * The memory lives until hd_arena_free. */
void *hd_arena_alloc(hd_arena *a, size_t size);
/* Copies len bytes and adds a NUL. Returns NULL when out of memory. */
char *hd_arena_strndup(hd_arena *a, const char *s, size_t len);
char *hd_arena_strdup(hd_arena *a, const char *s);
/* printf into the arena. Returns NULL when out of memory. */
/* Days since 1970-01-01 of a date of the proleptic Gregorian calendar. */
int64_t hd_days_from_civil(int y, int m, int d);

char *hd_arena_printf(hd_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Frees every block. The arena may be reused afterwards. */
void hd_arena_free(hd_arena *a);

/* ----- growable buffer ------------------------------------------------------
 * data is always NUL-terminated after a successful append (len excludes it). */
typedef struct hd_buf {
	char *data;
	size_t len;
	size_t cap;
	int oom; /* sticky: set by the first failed append, later appends do nothing */
} hd_buf;
#define HD_BUF_INIT { NULL, 0, 0, 0 }

int hd_buf_grow(hd_buf *b, size_t extra);
int hd_buf_append(hd_buf *b, const void *data, size_t len);
int hd_buf_puts(hd_buf *b, const char *s);
int hd_buf_putc(hd_buf *b, char c);
int hd_buf_printf(hd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (free()) and resets the buffer. */
char *hd_buf_detach(hd_buf *b, size_t *len);
void hd_buf_free(hd_buf *b);

/* ----- diagnostics ---------------------------------------------------------- */

/* Appends a diagnostic. file may be NULL. hint may be NULL. Never fails: when
 * no memory is left the entry is counted in d->oom instead. d may be NULL.
 * Past HD_DIAGS_MAX_ERRORS errors in d, an error is counted but not stored;
 * the last entry then says how many were left out (see hd_diags). */
void hd_diag_add(hd_diags *d, hd_severity sev, const char *file, int line, int col,
                 const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void hd_diag_vadd(hd_diags *d, hd_severity sev, const char *file, int line, int col,
                  const char *hint, const char *fmt, va_list ap);
/* hd_diag_add with a code (hd_diag_code) and the session field it
 * concerns (NULL: none), for a stored entry. */
void hd_diag_coded(hd_diags *d, hd_severity sev, int code, const char *field, const char *file,
                   int line, int col, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));
/* Which form of a problem a diagnostic is (hd_diag.detail: "month",
 * "did-you-mean"...) and its variable parts (hd_diag.args: the refused
 * value, a limit, a suggestion), from which hd_diag_text words it in another
 * language (src/util/diag_text.c holds the table). Unused args are NULL. */
typedef struct hd_say {
	const char *detail;
	const char *args[HD_DIAG_NARGS];
} hd_say;
#define HD_SAY(...) ((hd_say){ __VA_ARGS__ })
/* Gives the errors stored from index from on that have no detail yet the
 * detail and args of say (the cap's summary entry is left as it is). d may
 * be NULL. */
void hd_diags_detail(hd_diags *d, size_t from, hd_say say);
/* ----- diagnostics in other languages (diag_text.c, hd_diag_text) ---------- */

/* A word of a language's list: a field's label, a kind of entry's name. */
typedef struct hd_diag_label {
	const char *key;
	const char *text;
} hd_diag_label;

/* One message of the table: the text in lang of the problems with this
 * code, field (NULL: any field, named by {label}; "": none) and detail. */
typedef struct hd_diag_message {
	int code;
	const char *field;
	const char *detail;
	const char *lang;
	const char *message;
	const char *hint;    /* NULL: none */
} hd_diag_message;

/* The table, for tests: entry i (NULL past the end). */
size_t hd_diag_message_count(void);
const hd_diag_message *hd_diag_message_at(size_t i);
/* The message for (code, field, detail) in lang: the field's own, else the
 * one for any field (only for a field that is set). NULL when none. */
const hd_diag_message *hd_diag_message_find(int code, const char *field, const char *detail,
                                            const char *lang);
/* A session field's name in lang as a form labels it, or NULL. */
const char *hd_diag_field_label(const char *field, const char *lang);
/* Fills template tmpl (see diag_text.c) from g's args and field into out.
 * Returns 1, or 0 when a placeholder has no value or out is too small. */
int hd_diag_fill(char *out, size_t size, const char *tmpl, const hd_diag *g, const char *lang);

/* Gives the errors stored from index from on that have no code the code,
 * and those without a field the field (NULL: leaves fields alone). The
 * cap's summary entry is left as it is. d may be NULL. */
void hd_diags_tag(hd_diags *d, size_t from, int code, const char *field);
/* Shorthand for errors. */
#define hd_error_at(d, file, line, col, hint, ...) \
	hd_diag_add((d), HD_ERROR, (file), (line), (col), (hint), __VA_ARGS__)

/* Prints every diagnostic to f, one per line (plus hint lines). */
void hd_diags_print(const hd_diags *d, FILE *f);

/* ----- UTF-8 --------------------------------------------------------------- */

/* Decodes one code point from s[0..len). Returns the number of bytes used
 * (1..4) and stores the code point in *cp, or returns 0 for an invalid or
 * truncated sequence (overlong forms, surrogates and values > U+10FFFF are
 * invalid). */
size_t hd_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes cp into out (at least 4 bytes). Returns the byte count (0 if cp is
 * not a valid scalar value). */
size_t hd_utf8_encode(uint32_t cp, char *out);
/* Returns the byte offset of the first invalid sequence, or len if valid. */
size_t hd_utf8_check(const char *s, size_t len);
/* The number of code points in the valid UTF-8 s[0..len). */
size_t hd_utf8_count(const char *s, size_t len);
/* 1 for a code point a reader sees as nothing or as a blank: Unicode's
 * White_Space (tab, line breaks, space, U+0085, U+00A0 no-break space,
 * U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) and the
 * invisible U+00AD soft hyphen, U+180E, U+200B-U+200D zero widths, U+2060
 * word joiner and U+FEFF. A name made only of these is empty on paper. */
int hd_unicode_blank(uint32_t cp);
/* Trims hd_unicode_blank code points from both ends of the valid UTF-8
 * s[0..len). Returns the offset of the first byte kept and sets *kept to
 * the number of bytes kept (0 when nothing is left). */
size_t hd_utf8_trim(const char *s, size_t len, size_t *kept);

/* ----- files ---------------------------------------------------------------- */

/* The name diagnostics give path: "<stdin>" for "-", else path itself. */
const char *hd_path_display(const char *path);

/* Reads everything from the open descriptor fd (a pipe, a terminal...),
 * refusing more than max bytes: it reads at most max + 1, so a source
 * that never ends is refused as soon as it passes the cap. Diagnostics
 * name the input name. On success *out (malloc'd, NUL-terminated) and *len
 * are the caller's. Returns HD_OK, HD_EIO, HD_EINPUT or HD_ENOMEM. */
int hd_read_fd(char **out, size_t *len, int fd, const char *name, size_t max, hd_diags *d);

/* Reads a whole regular file, refusing anything larger than max bytes.
 * path "-" reads standard input instead (hd_read_fd, named "<stdin>").
 * Never blocks on what is not a regular file: a folder is HD_EIO ("this is
 * a folder, not a file"); a FIFO, device or socket (or a symbolic link to
 * one) is HD_EINPUT ("not a regular file (a FIFO)"), refused without
 * reading from it. On success *out (malloc'd, NUL-terminated) and *len are
 * the caller's. On failure returns HD_EIO, HD_EINPUT or HD_ENOMEM with a
 * diagnostic for path. */
int hd_read_file(char **out, size_t *len, const char *path, size_t max, hd_diags *d);

/* Joins dir and name with one '/'. Returns a malloc'd string or NULL. */
char *hd_path_join(const char *dir, const char *name);

/* What hd_dir_names keeps of a folder's entries (never a hidden one). */
enum {
	HD_DIR_XML = 1,     /* names ending in ".xml" (with more before it) */
	HD_DIR_FILES = 2,   /* regular files (a link to one counts: stat) */
	HD_DIR_FOLDERS = 3  /* folders (links are not followed: lstat) */
};
/* The names of dir's entries of kind what, sorted by strcmp, into *names
 * (*n of them), the caller's (hd_names_free). At most max names (0: no
 * limit): one more is HD_EINPUT, nothing kept. Returns HD_OK; HD_EIO when
 * dir cannot be opened (errno says why); HD_EINPUT; HD_ENOMEM. */
int hd_dir_names(char ***names, size_t *n, const char *dir, int what, size_t max);
void hd_names_free(char **names, size_t n);

/* ----- email addresses --------------------------------------------------------- */

/* Checks that addr is an email address mail can carry unchanged, in the
 * strict form both the message header and the SMTP envelope accept: an
 * ASCII dot-atom local part of at most 64 characters (letters, digits and
 * !#$%&'*+/=?^_`{|}~- , dots only between them), '@', a domain of at least
 * two labels of letters, digits and inner hyphens (at most 63 each, the
 * last not all digits), at most 254 characters in all. Quoted local parts,
 * address literals ([192.0.2.1]), comments, display names and non-ASCII
 * addresses are refused: none can be told from a typo or an injection
 * attempt, and few servers take them. Returns NULL when addr is
 * acceptable, else a static phrase saying what is wrong ("it has no
 * '@'"). */
const char *hd_email_problem(const char *addr);
/* The stable key of a phrase hd_email_problem returned ("no-at"), for
 * hd_diag_text's {email:N}; NULL for anything else. */
const char *hd_email_problem_key(const char *why);

/* Edit distance between two short ASCII strings (for "did you mean"). */
size_t hd_edit_distance(const char *a, const char *b);

#endif /* HD_UTIL_H */
