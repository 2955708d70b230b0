#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ----- arena ----------------------------------------------------------------- */

struct hd_arena_block {
	hd_arena_block *next;
	size_t size;
	max_align_t data[];
};

#define HD_ARENA_CHUNK (64u * 1024u)
#define HD_ALIGN(n) (((n) + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1))

void *hd_arena_alloc(hd_arena *a, size_t size)
{
	hd_arena_block *b;

	size = HD_ALIGN(size ? size : 1);
#if HD_ARENA_MALLOC
	b = calloc(1, sizeof(*b) + size);
	if (!b)
		return NULL;
	b->size = size;
	b->next = a->head;
	a->head = b;
	a->used = size;
	a->total += size;
	return b->data;
#else
	void *p;

	if (!a->head || a->head->size - a->used < size) {
		size_t bsize = size > HD_ARENA_CHUNK / 4 ? size : HD_ARENA_CHUNK;
		b = malloc(sizeof(*b) + bsize);
		if (!b)
			return NULL;
		b->size = bsize;
		if (size > HD_ARENA_CHUNK / 4 && a->head) {
			/* A large block goes behind the current one so that the rest
			 * of the current block is not wasted. */
			b->next = a->head->next;
			a->head->next = b;
			a->total += size;
			return memset(b->data, 0, size);
		}
		b->next = a->head;
		a->head = b;
		a->used = 0;
	}
	p = (char *)a->head->data + a->used;
	a->used += size;
	a->total += size;
	return memset(p, 0, size);
#endif
}

char *hd_arena_strndup(hd_arena *a, const char *s, size_t len)
{
	char *p = hd_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *hd_arena_strdup(hd_arena *a, const char *s)
{
	return hd_arena_strndup(a, s, strlen(s));
}

char *hd_arena_printf(hd_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = hd_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void hd_arena_free(hd_arena *a)
{
	hd_arena_block *b = a->head;
	while (b) {
		hd_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

/* ----- buffer ---------------------------------------------------------------- */

int hd_buf_grow(hd_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->oom)
		return HD_ENOMEM;
	if (extra > SIZE_MAX - b->len - 1) {
		b->oom = 1;
		return HD_ENOMEM;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return HD_OK;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->oom = 1;
		return HD_ENOMEM;
	}
	b->data = p;
	b->cap = cap;
	return HD_OK;
}

int hd_buf_append(hd_buf *b, const void *data, size_t len)
{
	if (hd_buf_grow(b, len))
		return HD_ENOMEM;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return HD_OK;
}

int hd_buf_puts(hd_buf *b, const char *s)
{
	return hd_buf_append(b, s, strlen(s));
}

int hd_buf_putc(hd_buf *b, char c)
{
	return hd_buf_append(b, &c, 1);
}

int hd_buf_printf(hd_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || hd_buf_grow(b, (size_t)n))
		return HD_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return HD_OK;
}

char *hd_buf_detach(hd_buf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
	return p;
}

void hd_buf_free(hd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

/* ----- diagnostics ----------------------------------------------------------- */

/* Frees the entries and resets the counts. Accepts NULL. */
void hd_diags_free(hd_diags *d)
{
	if (!d)
		return;
	free(d->items);
	d->items = NULL;
	d->count = d->cap = d->nerrors = d->dropped = 0;
	d->oom = 0;
}

/* A new zeroed entry at the end of d, or just before the "more errors not
 * shown" entry when there is one, so that it stays last. Returns NULL when
 * out of memory (the caller counts it). */
static hd_diag *diag_push(hd_diags *d)
{
	hd_diag *e;

	if (d->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		hd_diag *p = realloc(d->items, cap * sizeof(*p));
		if (!p)
			return NULL;
		d->items = p;
		d->cap = cap;
	}
	e = &d->items[d->count++];
	if (d->dropped) {
		*e = e[-1];
		e--;
	}
	memset(e, 0, sizeof(*e));
	return e;
}

/* Counts an error past the cap in the last entry, "N more errors not
 * shown", creating it for the first one. Invariant: d->dropped > 0 exactly
 * when that entry exists (if it cannot be made, the error counts as oom). */
static void diag_drop(hd_diags *d, const char *file)
{
	hd_diag *s;

	if (!d->dropped) {
		s = diag_push(d);
		if (!s) {
			d->oom++;
			return;
		}
		s->severity = HD_ERROR;
		if (file)
			snprintf(s->file, sizeof(s->file), "%s", file);
		snprintf(s->hint, sizeof(s->hint),
		         "only the first %d errors are listed; fix them and run again",
		         HD_DIAGS_MAX_ERRORS);
	}
	s = &d->items[d->count - 1];
	if (!file || strcmp(s->file, file) != 0)
		s->file[0] = '\0'; /* errors of more than one file */
	d->dropped++;
	snprintf(s->message, sizeof(s->message), "%zu more error%s not shown", d->dropped,
	         d->dropped == 1 ? "" : "s");
	snprintf(s->detail, sizeof(s->detail), "more-errors");
	snprintf(s->args[0], sizeof(s->args[0]), "%zu", d->dropped);
	snprintf(s->args[1], sizeof(s->args[1]), "%d", HD_DIAGS_MAX_ERRORS);
}

/* Appends a diagnostic; past HD_DIAGS_MAX_ERRORS stored errors, an error is
 * only counted (see hd_diags in handout.h). */
void hd_diag_vadd(hd_diags *d, hd_severity sev, const char *file, int line, int col,
                  const char *hint, const char *fmt, va_list ap)
{
	hd_diag *e;

	if (!d)
		return;
	if (sev == HD_ERROR) {
		/* Errors stored so far: the ones counted, less those dropped
		 * (and, under memory pressure, less those lost, so the cap
		 * comes a little early then). */
		if (d->nerrors++ - d->dropped >= HD_DIAGS_MAX_ERRORS) {
			diag_drop(d, file);
			return;
		}
	}
	e = diag_push(d);
	if (!e) {
		d->oom++;
		return;
	}
	e->severity = sev;
	e->line = line;
	e->col = col;
	if (file)
		snprintf(e->file, sizeof(e->file), "%s", file);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	if (hint)
		snprintf(e->hint, sizeof(e->hint), "%s", hint);
}

void hd_diag_coded(hd_diags *d, hd_severity sev, int code, const char *field, const char *file,
                   int line, int col, const char *hint, const char *fmt, ...)
{
	size_t before = d ? d->count : 0;
	va_list ap;

	va_start(ap, fmt);
	hd_diag_vadd(d, sev, file, line, col, hint, fmt, ap);
	va_end(ap);
	/* stored, not dropped past the cap (the summary entry stays unclassified) */
	if (d && d->count > before && !(sev == HD_ERROR && d->dropped && d->count - 1 == before)) {
		hd_diag *e = &d->items[d->dropped ? d->count - 2 : d->count - 1];
		e->code = code;
		if (field)
			snprintf(e->field, sizeof(e->field), "%s", field);
	}
}

/* Copies s into dst (size bytes), cut on a UTF-8 boundary when too long. */
static void copy_utf8(char *dst, size_t size, const char *s)
{
	size_t n = strlen(s);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* s[n] starts a sequence: the bytes before it are whole */
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

void hd_diags_detail(hd_diags *d, size_t from, hd_say say)
{
	size_t i, k, end;

	if (!d || !say.detail)
		return;
	end = d->dropped ? d->count - 1 : d->count;
	for (i = from; i < end; i++) {
		hd_diag *e = &d->items[i];
		if (e->severity != HD_ERROR || e->detail[0])
			continue;
		copy_utf8(e->detail, sizeof(e->detail), say.detail);
		for (k = 0; k < HD_DIAG_NARGS; k++)
			copy_utf8(e->args[k], sizeof(e->args[k]), say.args[k] ? say.args[k] : "");
	}
}

void hd_diags_tag(hd_diags *d, size_t from, int code, const char *field)
{
	size_t i, end;

	if (!d)
		return;
	end = d->dropped ? d->count - 1 : d->count;
	for (i = from; i < end; i++) {
		hd_diag *e = &d->items[i];
		if (e->severity != HD_ERROR)
			continue;
		if (!e->code)
			e->code = code;
		if (field && !e->field[0])
			snprintf(e->field, sizeof(e->field), "%s", field);
	}
}

const char *hd_diag_code_name(int code)
{
	static const char *const names[HD_DIAG_CODE_COUNT] = {
		"", "invalid", "xml", "io", "missing", "empty", "too-long", "bad-date", "bad-value",
		"duplicate", "unknown-ref", "date-order", "csv", "encoding", "too-big", "name-clash",
		"render"
	};
	return code >= 0 && code < HD_DIAG_CODE_COUNT ? names[code] : "unknown";
}

void hd_diag_add(hd_diags *d, hd_severity sev, const char *file, int line, int col,
                 const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hd_diag_vadd(d, sev, file, line, col, hint, fmt, ap);
	va_end(ap);
}

int hd_diag_format(char *buf, size_t size, const hd_diag *e)
{
	static const char *const names[] = { "note", "warning", "error" };
	char where[800];
	const char *sev = names[e->severity <= HD_ERROR ? e->severity : HD_ERROR];

	if (e->file[0] && e->line > 0 && e->column[0])
		snprintf(where, sizeof(where), "%s:%d:%s: ", e->file, e->line, e->column);
	else if (e->file[0] && e->line > 0 && e->col > 0)
		snprintf(where, sizeof(where), "%s:%d:%d: ", e->file, e->line, e->col);
	else if (e->file[0] && e->line > 0)
		snprintf(where, sizeof(where), "%s:%d: ", e->file, e->line);
	else if (e->file[0])
		snprintf(where, sizeof(where), "%s: ", e->file);
	else
		where[0] = '\0';
	if (e->hint[0])
		return snprintf(buf, size, "%s%s: %s\n  hint: %s", where, sev, e->message, e->hint);
	return snprintf(buf, size, "%s%s: %s", where, sev, e->message);
}

void hd_diags_print(const hd_diags *d, FILE *f)
{
	char line[1600];
	size_t i;

	for (i = 0; i < d->count; i++) {
		hd_diag_format(line, sizeof(line), &d->items[i]);
		fprintf(f, "%s\n", line);
	}
	if (d->oom)
		fprintf(f, "error: out of memory: %d more problem(s) could not be stored\n", d->oom);
}

const char *hd_status_str(int status)
{
	switch (status) {
	case HD_OK: return "success";
	case HD_EINVAL: return "invalid argument";
	case HD_ENOMEM: return "out of memory";
	case HD_EIO: return "input/output error";
	case HD_EINPUT: return "invalid input";
	case HD_EFONT: return "font error";
	case HD_EPDF: return "PDF library error";
	case HD_ESEND: return "the mail server did not take the message";
	case HD_ECANCELLED: return "cancelled";
	}
	return "unknown error";
}

/* ----- UTF-8 ----------------------------------------------------------------- */

size_t hd_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	size_t n, i;

	if (len == 0)
		return 0;
	c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

size_t hd_utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return 0;
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	} else if (cp <= 0x10FFFF) {
		o[0] = (unsigned char)(0xF0 | (cp >> 18));
		o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (unsigned char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

size_t hd_utf8_check(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		n = hd_utf8_decode(s + i, len - i, &cp);
		if (!n)
			return i;
		i += n;
	}
	return len;
}

/* Counts the bytes that start a sequence: one per code point. */
size_t hd_utf8_count(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* White space and invisible characters; see util.h. */
int hd_unicode_blank(uint32_t cp)
{
	return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
	       cp == 0xAD || cp == 0x1680 || cp == 0x180E || (cp >= 0x2000 && cp <= 0x200D) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x2060 ||
	       cp == 0x3000 || cp == 0xFEFF;
}

/* Trims blanks at both ends; see util.h. */
size_t hd_utf8_trim(const char *s, size_t len, size_t *kept)
{
	size_t start = 0, end = len;
	uint32_t cp;

	while (start < end) {
		size_t n = hd_utf8_decode(s + start, end - start, &cp);
		if (!n || !hd_unicode_blank(cp))
			break;
		start += n;
	}
	while (end > start) {
		size_t b = end - 1, n;
		while (b > start && ((unsigned char)s[b] & 0xC0) == 0x80 && end - b < 4)
			b--;
		n = hd_utf8_decode(s + b, end - b, &cp);
		if (n != end - b || !hd_unicode_blank(cp))
			break;
		end = b;
	}
	*kept = end - start;
	return start;
}

/* ----- files ----------------------------------------------------------------- */

/* What a file that is not a regular file is, for messages. */
static const char *file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "a special file";
}

/* Refuses anything but a regular file: a folder cannot be read (HD_EIO); a
 * FIFO, device or socket could block or never end (HD_EINPUT). Returns
 * HD_OK for a regular file, else the status, with a diagnostic for path. */
static int check_regular(const struct stat *st, const char *path, hd_diags *d)
{
	if (S_ISREG(st->st_mode))
		return HD_OK;
	if (S_ISDIR(st->st_mode)) {
		hd_error_at(d, path, 0, 0, "give the path of a file inside that folder",
		            "this is a folder, not a file");
		return HD_EIO;
	}
	hd_error_at(d, path, 0, 0, "give the path of an ordinary file",
	            "not a regular file (%s)", file_kind(st->st_mode));
	return HD_EINPUT;
}

const char *hd_path_display(const char *path)
{
	return path && strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int hd_read_fd(char **out, size_t *len, int fd, const char *name, size_t max, hd_diags *d)
{
	hd_buf b = HD_BUF_INIT;

	*out = NULL;
	*len = 0;
	for (;;) {
		size_t want = max - b.len + 1, chunk = want < 65536 ? want : 65536;
		ssize_t n;

		if (hd_buf_grow(&b, chunk)) {
			hd_buf_free(&b);
			hd_error_at(d, name, 0, 0, NULL, "out of memory");
			return HD_ENOMEM;
		}
		n = read(fd, b.data + b.len, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* a non-blocking descriptor we were given: wait for data */
			struct pollfd p = { fd, POLLIN, 0 };
			poll(&p, 1, -1);
			continue;
		}
		if (n < 0) {
			hd_error_at(d, name, 0, 0, NULL, "cannot read: %s", strerror(errno));
			hd_buf_free(&b);
			return HD_EIO;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		if (b.len > max) {
			hd_error_at(d, name, 0, 0, "split the file or check that it is the right one",
			            "input is too large (more than %zu bytes; the limit is %zu bytes)", max,
			            max);
			hd_buf_free(&b);
			return HD_EINPUT;
		}
	}
	if (hd_buf_grow(&b, 0)) { /* room for the NUL of an empty input */
		hd_buf_free(&b);
		hd_error_at(d, name, 0, 0, NULL, "out of memory");
		return HD_ENOMEM;
	}
	b.data[b.len] = '\0';
	*out = hd_buf_detach(&b, len);
	return HD_OK;
}

int hd_read_file(char **out, size_t *len, const char *path, size_t max, hd_diags *d)
{
	struct stat st;
	char *data = NULL;
	size_t got = 0;
	int fd, flags, rc;

	*out = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0)
		return hd_read_fd(out, len, 0, hd_path_display(path), max, d);
	/* Look before opening: opening a device can have effects of its own
	 * (a terminal, a tape that rewinds), and a socket cannot be opened. */
	if (stat(path, &st) == 0 && (rc = check_regular(&st, path, d)) != HD_OK)
		return rc;
	/* O_NONBLOCK: should path have become a FIFO since stat, open()
	 * returns at once instead of waiting for a writer; fstat below then
	 * refuses it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		hd_error_at(d, path, 0, 0,
		            e == ENOENT ? "check the spelling of the path and the current folder" : NULL,
		            "cannot open file: %s", strerror(e));
		return HD_EIO;
	}
	if (fstat(fd, &st) != 0) {
		hd_error_at(d, path, 0, 0, NULL, "cannot read file: %s", strerror(errno));
		close(fd);
		return HD_EIO;
	}
	rc = check_regular(&st, path, d);
	if (rc) {
		close(fd);
		return rc;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	if ((uint64_t)st.st_size > max) {
		hd_error_at(d, path, 0, 0, "split the file or check that it is the right one",
		            "file is too large (%lld bytes; the limit is %zu bytes)",
		            (long long)st.st_size, max);
		close(fd);
		return HD_EINPUT;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		close(fd);
		hd_error_at(d, path, 0, 0, NULL, "out of memory");
		return HD_ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			hd_error_at(d, path, 0, 0, NULL, "cannot read file: %s", strerror(errno));
			free(data);
			close(fd);
			return HD_EIO;
		}
		if (n == 0)
			break; /* the file shrank while we read it: use what is there */
		got += (size_t)n;
	}
	close(fd);
	data[got] = '\0';
	*out = data;
	*len = got;
	return HD_OK;
}

char *hd_path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	char *p = malloc(dl + nl + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	if (dl && dir[dl - 1] != '/')
		p[dl++] = '/';
	memcpy(p + dl, name, nl + 1);
	return p;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether entry name of dir is of kind what (hd_dir_names). */
static int dir_keeps(const char *dir, const char *name, int what)
{
	size_t len = strlen(name);
	struct stat st;
	char *path;
	int keep;

	if (name[0] == '.')
		return 0;
	if (what == HD_DIR_XML)
		return len > 4 && !strcmp(name + len - 4, ".xml");
	if (!(path = hd_path_join(dir, name)))
		return -1;
	keep = what == HD_DIR_FILES ? stat(path, &st) == 0 && S_ISREG(st.st_mode)
	                            : lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
	free(path);
	return keep;
}

int hd_dir_names(char ***names, size_t *n, const char *dir, int what, size_t max)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t count = 0, cap = 0;
	int r = HD_OK;

	*names = NULL;
	*n = 0;
	if (!dp)
		return HD_EIO;
	while (!r && (de = readdir(dp))) {
		int keep = dir_keeps(dir, de->d_name, what);
		if (keep <= 0) {
			r = keep < 0 ? HD_ENOMEM : HD_OK;
			continue;
		}
		if (max && count == max) {
			r = HD_EINPUT;
			break;
		}
		if (count == cap) {
			size_t c = cap ? cap * 2 : 16;
			char **g = realloc(v, c * sizeof(*g));
			if (!g) {
				r = HD_ENOMEM;
				break;
			}
			v = g;
			cap = c;
		}
		if (!(v[count] = strdup(de->d_name)))
			r = HD_ENOMEM;
		else
			count++;
	}
	closedir(dp);
	if (r) {
		hd_names_free(v, count);
		return r;
	}
	if (count > 1)
		qsort(v, count, sizeof(*v), cmp_names);
	*names = v;
	*n = count;
	return HD_OK;
}

void hd_names_free(char **names, size_t n)
{
	while (names && n)
		free(names[--n]);
	free(names);
}

size_t hd_edit_distance(const char *a, const char *b)
{
	/* Two-row Levenshtein; inputs are ids (short), longer ones are cut. */
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t prev[65], cur[65];

	if (la > 64)
		la = 64;
	if (lb > 64)
		lb = 64;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t m = del < ins ? del : ins;
			cur[j] = m < sub ? m : sub;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

int64_t hd_days_from_civil(int y, int m, int d)
{
	/* Days since 1970-01-01 of a proleptic Gregorian date. */
	y -= m <= 2;
	{
		int64_t era = (y >= 0 ? y : y - 399) / 400;
		int64_t yoe = y - era * 400;
		int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		return era * 146097 + doe - 719468;
	}
}

/* ----- email addresses ---------------------------------------------------------- */

/* ASCII only, whatever the locale says */
static int ascii_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int ascii_alnum(unsigned char c)
{
	return ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* What can be wrong with an address, each with a stable key for
 * hd_diag_text (its Spanish is in diag_text.c). */
static const hd_diag_label email_problems[] = {
	{ "empty", "it is empty" },
	{ "too-long", "it is longer than 254 characters" },
	{ "control", "it contains a control character (a line break, a tab...)" },
	{ "not-ascii", "it contains a character that is not ASCII" },
	{ "space", "it contains a space" },
	{ "no-at", "it has no '@'" },
	{ "no-local", "nothing comes before the '@'" },
	{ "local-too-long", "the part before the '@' is longer than 64 characters" },
	{ "local-dot", "a dot before the '@' is first, last or doubled" },
	{ "local-char", "the part before the '@' has a character an address cannot "
	  "have (such as '@', '<', '>', ',', ';', ':', '\"', '(', ')' or '\\')" },
	{ "no-domain", "nothing comes after the '@'" },
	{ "domain-no-dot", "the domain after the '@' has no dot (example.org)" },
	{ "domain-char", "the domain has a character other than letters, digits, '-' and '.'" },
	{ "domain-empty-part", "the domain has an empty part (two dots, or a dot first or last)" },
	{ "domain-part-too-long", "a part of the domain is longer than 63 characters" },
	{ "domain-hyphen", "a part of the domain starts or ends with '-'" },
	{ "domain-number", "the domain ends in a number, not a name (example.org)" },
};

const char *hd_email_problem(const char *addr)
{
	static const char atext[] = "!#$%&'*+/=?^_`{|}~-";
	const char *at, *p, *label;
	size_t len;
	int digits_only = 1;

	if (!addr || !*addr)
		return email_problems[0].text; /* empty */
	len = strlen(addr);
	if (len > 254)
		return email_problems[1].text; /* too-long */
	for (p = addr; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7F)
			return email_problems[2].text; /* control */
		if (c >= 0x80)
			return email_problems[3].text; /* not-ascii */
		if (c == ' ')
			return email_problems[4].text; /* space */
	}
	at = strrchr(addr, '@');
	if (!at)
		return email_problems[5].text; /* no-at */
	if (at == addr)
		return email_problems[6].text; /* no-local */
	if ((size_t)(at - addr) > 64)
		return email_problems[7].text; /* local-too-long */
	for (p = addr; p < at; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '.') {
			if (p == addr || p + 1 == at || p[1] == '.')
				return email_problems[8].text; /* local-dot */
		} else if (!(ascii_alnum(c) || strchr(atext, c))) {
			return email_problems[9].text; /* local-char */
		}
	}
	if (!at[1])
		return email_problems[10].text; /* no-domain */
	if (!strchr(at + 1, '.'))
		return email_problems[11].text; /* domain-no-dot */
	for (label = at + 1;; label = p + 1) {
		size_t n;
		digits_only = 1;
		for (p = label; *p && *p != '.'; p++) {
			unsigned char c = (unsigned char)*p;
			if (!ascii_alnum(c) && c != '-')
				return email_problems[12].text; /* domain-char */
			if (!ascii_digit(c))
				digits_only = 0;
		}
		n = (size_t)(p - label);
		if (n == 0)
			return email_problems[13].text; /* domain-empty-part */
		if (n > 63)
			return email_problems[14].text; /* domain-part-too-long */
		if (label[0] == '-' || p[-1] == '-')
			return email_problems[15].text; /* domain-hyphen */
		if (!*p)
			break;
	}
	if (digits_only)
		return email_problems[16].text; /* domain-number */
	return NULL;
}

const char *hd_email_problem_key(const char *why)
{
	size_t i;
	for (i = 0; why && i < HD_ARRAY_LEN(email_problems); i++)
		if (!strcmp(why, email_problems[i].text))
			return email_problems[i].key;
	return NULL;
}
