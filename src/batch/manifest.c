/*
 * manifest: writing, reading and merging batch manifests (manifest.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <sys/file.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "handout.h"
#include "manifest.h"

const char hd_manifest_csv_header[] =
	"row,id,client,status,output,pages,bytes,sha256,code,field,column,message,inputs\r\n";

/* One CSV cell: quoted when it holds a quote, comma, semicolon or line
 * break; a formula-looking start neutralised with "'". */
void hd_manifest_csv_cell(hd_buf *b, const char *s)
{
	const char *p;
	int guard = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
	            s[0] == '\r';
	int quote = guard || strpbrk(s, "\",;\r\n") != NULL;

	if (quote)
		hd_buf_putc(b, '"');
	if (guard)
		hd_buf_putc(b, '\'');
	/* the text between quotes in one piece each (a line a row: thousands) */
	for (p = s; *p;) {
		size_t run = strcspn(p, "\"");
		hd_buf_append(b, p, run);
		p += run;
		if (*p == '"') {
			hd_buf_append(b, "\"\"", 2);
			p++;
		}
	}
	if (quote)
		hd_buf_putc(b, '"');
}

static const char *str(const char *s)
{
	return s ? s : "";
}

void hd_manifest_csv_line(hd_buf *b, const hd_manifest_entry *e)
{
	const char *cells[] = { e->id, e->client, e->status, e->output };
	const char *rest[] = { e->sha256, e->code, e->field, e->column, e->message, e->inputs };
	size_t i;

	hd_buf_printf(b, "%d", e->row);
	for (i = 0; i < 4; i++) {
		hd_buf_putc(b, ',');
		hd_manifest_csv_cell(b, str(cells[i]));
	}
	if (e->output && *e->output)
		hd_buf_printf(b, ",%d,%zu", e->pages, e->bytes);
	else
		hd_buf_puts(b, ",,");
	for (i = 0; i < 6; i++) {
		hd_buf_putc(b, ',');
		hd_manifest_csv_cell(b, str(rest[i]));
	}
	hd_buf_puts(b, "\r\n");
}

/* A JSON string, escaped (control characters as \\uXXXX). */
static int json_plain(unsigned char c)
{
	return c >= 0x20 && c != 0x7F && c != '"' && c != '\\';
}

static void json_str(hd_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	hd_buf_putc(b, '"');
	while (*p) {
		const unsigned char *q = p;
		while (json_plain(*q)) /* what needs no escape, in one piece */
			q++;
		hd_buf_append(b, p, (size_t)(q - p));
		p = q;
		if (!*p)
			break;
		if (*p == '"' || *p == '\\') {
			hd_buf_putc(b, '\\');
			hd_buf_putc(b, (char)*p);
		} else if (*p == '\n') {
			hd_buf_puts(b, "\\n");
		} else {
			hd_buf_printf(b, "\\u%04x", *p);
		}
		p++;
	}
	hd_buf_putc(b, '"');
}

void hd_manifest_json_line(hd_buf *b, const hd_manifest_entry *e)
{
	/* the columns in the CSV manifest's order */
	const char *const head[] = { ",\"id\":", ",\"client\":", ",\"status\":", ",\"output\":" };
	const char *const headv[] = { e->id, e->client, e->status, e->output };
	const char *const tail[] = { ",\"sha256\":", ",\"code\":",    ",\"field\":",
		                     ",\"column\":", ",\"message\":", ",\"inputs\":" };
	const char *const tailv[] = { e->sha256, e->code, e->field, e->column, e->message, e->inputs };
	size_t i;

	hd_buf_printf(b, "{\"row\":%d", e->row);
	for (i = 0; i < 4; i++) {
		hd_buf_puts(b, head[i]);
		json_str(b, str(headv[i]));
	}
	hd_buf_printf(b, ",\"pages\":%d,\"bytes\":%zu", e->pages, e->bytes);
	for (i = 0; i < 6; i++) {
		hd_buf_puts(b, tail[i]);
		json_str(b, str(tailv[i]));
	}
	hd_buf_puts(b, "}\n");
}

void hd_manifest_entry_clear(hd_manifest_entry *e)
{
	free(e->id);
	free(e->client);
	free(e->status);
	free(e->output);
	free(e->sha256);
	free(e->code);
	free(e->field);
	free(e->column);
	free(e->message);
	free(e->inputs);
	memset(e, 0, sizeof(*e));
}

static int dup_into(char **to, const char *from)
{
	*to = strdup(from ? from : "");
	return *to ? 0 : -1;
}

int hd_manifest_entry_copy(hd_manifest_entry *to, const hd_manifest_entry *f)
{
	memset(to, 0, sizeof(*to));
	to->row = f->row;
	to->pages = f->pages;
	to->bytes = f->bytes;
	if (dup_into(&to->id, f->id) || dup_into(&to->client, f->client) ||
	    dup_into(&to->status, f->status) || dup_into(&to->output, f->output) ||
	    dup_into(&to->sha256, f->sha256) || dup_into(&to->code, f->code) ||
	    dup_into(&to->field, f->field) || dup_into(&to->column, f->column) ||
	    dup_into(&to->message, f->message) || dup_into(&to->inputs, f->inputs)) {
		hd_manifest_entry_clear(to);
		return HD_ENOMEM;
	}
	return HD_OK;
}

void hd_manifest_entries_free(hd_manifest_entry *e, size_t n)
{
	size_t i;
	for (i = 0; e && i < n; i++)
		hd_manifest_entry_clear(&e[i]);
	free(e);
}

/* ----- reading JSON Lines ------------------------------------------------------ */

/* Parses a JSON string at *p (after the opening quote) into a malloc'd
 * UTF-8 string; *p ends after the closing quote. NULL on a malformed one. */
static char *parse_str(const char **p)
{
	hd_buf b = HD_BUF_INIT;
	const char *s = *p;

	for (; *s && *s != '"'; s++) {
		if (*s != '\\') {
			hd_buf_putc(&b, *s);
			continue;
		}
		s++;
		switch (*s) {
		case '"': case '\\': case '/': hd_buf_putc(&b, *s); break;
		case 'n': hd_buf_putc(&b, '\n'); break;
		case 't': hd_buf_putc(&b, '\t'); break;
		case 'r': hd_buf_putc(&b, '\r'); break;
		case 'b': hd_buf_putc(&b, '\b'); break;
		case 'f': hd_buf_putc(&b, '\f'); break;
		case 'u': {
			unsigned v = 0;
			int k;
			char u8[4];
			for (k = 1; k <= 4; k++) {
				char c = s[k];
				if (c >= '0' && c <= '9') v = v * 16 + (unsigned)(c - '0');
				else if (c >= 'a' && c <= 'f') v = v * 16 + (unsigned)(c - 'a' + 10);
				else if (c >= 'A' && c <= 'F') v = v * 16 + (unsigned)(c - 'A' + 10);
				else goto bad;
			}
			s += 4;
			if (v >= 0xD800 && v <= 0xDFFF)
				v = 0xFFFD; /* we never write surrogates */
			hd_buf_append(&b, u8, hd_utf8_encode(v, u8));
			break;
		}
		default:
			goto bad;
		}
	}
	if (*s != '"')
		goto bad;
	*p = s + 1;
	if (b.oom)
		goto bad;
	return b.data ? b.data : strdup("");
bad:
	hd_buf_free(&b);
	return NULL;
}

/* Parses one line as a flat JSON object of our keys. Returns 0 when it is
 * whole and well-formed (with at least an id), else -1. */
static int parse_line(hd_manifest_entry *e, const char *s)
{
	memset(e, 0, sizeof(*e));
	while (*s == ' ')
		s++;
	if (*s++ != '{')
		return -1;
	for (;;) {
		char *key, *val = NULL;
		long long num = 0;
		int is_num = 0;
		while (*s == ' ' || *s == ',')
			s++;
		if (*s == '}')
			break;
		if (*s++ != '"' || !(key = parse_str(&s)))
			goto bad;
		while (*s == ' ')
			s++;
		if (*s++ != ':') {
			free(key);
			goto bad;
		}
		while (*s == ' ')
			s++;
		if (*s == '"') {
			s++;
			val = parse_str(&s);
			if (!val) {
				free(key);
				goto bad;
			}
		} else {
			char *end;
			num = strtoll(s, &end, 10);
			if (end == s || num < 0) {
				free(key);
				goto bad;
			}
			s = end;
			is_num = 1;
		}
#define KEY_STR(k) if (!strcmp(key, #k) && !is_num) { free(e->k); e->k = val; val = NULL; }
		if (!strcmp(key, "row") && is_num) e->row = (int)num;
		else if (!strcmp(key, "pages") && is_num) e->pages = (int)num;
		else if (!strcmp(key, "bytes") && is_num) e->bytes = (size_t)num;
		else KEY_STR(id) else KEY_STR(client) else KEY_STR(status) else KEY_STR(output)
		else KEY_STR(sha256) else KEY_STR(code) else KEY_STR(field) else KEY_STR(column)
		else KEY_STR(message) else KEY_STR(inputs)
#undef KEY_STR
		free(val);
		free(key);
	}
	if (!e->id || !e->status)
		goto bad;
	{
		/* every key present, so that lookups never see NULL */
		hd_manifest_entry full;
		if (hd_manifest_entry_copy(&full, e))
			goto bad;
		hd_manifest_entry_clear(e);
		*e = full;
	}
	return 0;
bad:
	hd_manifest_entry_clear(e);
	return -1;
}

int hd_manifest_parse_line(hd_manifest_entry *e, const char *line)
{
	return parse_line(e, line);
}

static int by_row_then_id(const void *a, const void *b)
{
	const hd_manifest_entry *x = a, *y = b;
	if (x->row != y->row)
		return (x->row > y->row) - (x->row < y->row);
	return strcmp(x->id, y->id);
}

/* Index order for "the last line of a row wins": by id, row, then line
 * order. A row is its id and its row number: two rows with one id (the
 * later one refused) are two rows. */
typedef struct idx {
	const char *id;
	int row;
	size_t i;
} idx;

static int by_id_then_pos(const void *a, const void *b)
{
	const idx *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	if (x->row != y->row)
		return (x->row > y->row) - (x->row < y->row);
	return (x->i > y->i) - (x->i < y->i);
}

int hd_manifest_cmp_id_row(const void *a, const void *b)
{
	const hd_manifest_entry *x = *(const hd_manifest_entry *const *)a;
	const hd_manifest_entry *y = *(const hd_manifest_entry *const *)b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->row > y->row) - (x->row < y->row);
}

static int made(const hd_manifest_entry *e)
{
	return !strcmp(e->status, "made") || !strcmp(e->status, "skipped");
}

const hd_manifest_entry *hd_manifest_find(const hd_manifest_entry *const *sorted, size_t n,
                                          const char *id, int row)
{
	size_t lo = 0, hi = n, first, k;
	const hd_manifest_entry *pick = NULL;

	while (lo < hi) { /* the first entry whose id is not below id */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(sorted[mid]->id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	for (k = first; k < n && !strcmp(sorted[k]->id, id); k++) {
		if (sorted[k]->row == row)
			return sorted[k];
		if (!pick || (made(sorted[k]) && !made(pick)))
			pick = sorted[k];
	}
	return pick;
}

int hd_manifest_read(hd_manifest_entry **out, size_t *n, const char *path, int missing_ok,
                     hd_diags *d)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0, count = 0, ecap = 0, i, k;
	ssize_t len;
	hd_manifest_entry *e = NULL;
	idx *ix = NULL;

	*out = NULL;
	*n = 0;
	f = fopen(path, "r");
	if (!f) {
		if (missing_ok)
			return HD_OK;
		hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, path, 0, 0,
		              "give the manifest.jsonl a batch wrote", "cannot read: %s", strerror(errno));
		return HD_EIO;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		hd_manifest_entry x;
		if (line[len - 1] != '\n')
			break; /* a line cut short by a crash */
		line[len - 1] = '\0';
		if (parse_line(&x, line))
			continue;
		if (count == ecap) {
			size_t nc = ecap ? ecap * 2 : 64;
			hd_manifest_entry *ne = realloc(e, nc * sizeof(*ne));
			if (!ne) {
				hd_manifest_entry_clear(&x);
				goto oom;
			}
			e = ne;
			ecap = nc;
		}
		e[count++] = x;
	}
	free(line);
	line = NULL;
	fclose(f);
	f = NULL;
	/* keep the last line of each row (id and row number) */
	ix = malloc((count ? count : 1) * sizeof(*ix));
	if (!ix)
		goto oom;
	for (i = 0; i < count; i++) {
		ix[i].id = e[i].id;
		ix[i].row = e[i].row;
		ix[i].i = i;
	}
	qsort(ix, count, sizeof(*ix), by_id_then_pos);
	for (i = 0; i < count; i++) {
		if (i + 1 < count && !strcmp(ix[i].id, ix[i + 1].id) && ix[i].row == ix[i + 1].row)
			free(e[ix[i].i].id), e[ix[i].i].id = NULL; /* superseded */
	}
	free(ix);
	for (i = k = 0; i < count; i++) {
		if (!e[i].id) {
			hd_manifest_entry_clear(&e[i]);
			continue;
		}
		e[k++] = e[i];
	}
	if (k > 1)
		qsort(e, k, sizeof(*e), by_row_then_id);
	*out = e;
	*n = k;
	return HD_OK;
oom:
	free(line);
	if (f)
		fclose(f);
	hd_manifest_entries_free(e, count);
	return HD_ENOMEM;
}

int hd_manifest_write(const char *csv_path, const char *jsonl_path, const hd_manifest_entry *e,
                      size_t n, hd_diags *d)
{
	hd_buf c = HD_BUF_INIT, j = HD_BUF_INIT;
	size_t i;
	int r;

	hd_buf_puts(&c, hd_manifest_csv_header);
	for (i = 0; i < n; i++) {
		hd_manifest_csv_line(&c, &e[i]);
		hd_manifest_json_line(&j, &e[i]);
	}
	if (c.oom || j.oom) {
		r = HD_ENOMEM;
		goto done;
	}
	r = hd_write_file_atomic(jsonl_path, j.data ? j.data : "", j.len, d);
	if (!r)
		r = hd_write_file_atomic(csv_path, c.data, c.len, d);
done:
	hd_buf_free(&c);
	hd_buf_free(&j);
	return r;
}

/* ----- merging shards ------------------------------------------------------------ */

static int same_entry(const hd_manifest_entry *a, const hd_manifest_entry *b)
{
	hd_buf x = HD_BUF_INIT, y = HD_BUF_INIT;
	int same;
	hd_manifest_json_line(&x, a);
	hd_manifest_json_line(&y, b);
	same = !x.oom && !y.oom && x.len == y.len && !memcmp(x.data, y.data, x.len);
	hd_buf_free(&x);
	hd_buf_free(&y);
	return same;
}

/* K and N of a shard's manifest name ("manifest-K-of-N.jsonl" or .csv);
 * 0 when the name is not one. */
static int shard_name(const char *path, unsigned *k, unsigned *n)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char rest[16];
	return sscanf(base, "manifest-%u-of-%u.%15s", k, n, rest) == 3 && *n > 1 && *k < *n &&
	       (!strcmp(rest, "jsonl") || !strcmp(rest, "csv"));
}

/* Shard manifests given for some but not all of their N shards: said (the
 * merged manifest would pass for the whole list). HD_OK or HD_EINPUT. */
static int check_shards(const char *const *inputs, size_t ninputs, hd_diags *d)
{
	unsigned k, n, count = 0;
	unsigned char *seen = NULL;
	size_t i;
	hd_buf missing = HD_BUF_INIT;
	int r = HD_OK, nmissing = 0;

	for (i = 0; i < ninputs; i++) {
		if (!shard_name(inputs[i], &k, &n))
			return HD_OK; /* not all shards' manifests: nothing to say */
		if (!count) {
			count = n;
			if (!(seen = calloc(n, 1)))
				return HD_ENOMEM;
		} else if (n != count) {
			hd_diag_coded(d, HD_ERROR, HD_DIAG_INVALID, NULL, inputs[i], 0, 0,
			              "merge the manifests of one run: every shard with the same N",
			              "this is a manifest of %u shards, the first given one of %u", n, count);
			free(seen);
			return HD_EINPUT;
		}
		seen[k] = 1;
	}
	for (k = 0; k < count; k++) {
		if (seen[k])
			continue;
		hd_buf_printf(&missing, "%s%u", nmissing ? ", " : "", k);
		nmissing++;
	}
	if (nmissing) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_MISSING, NULL, NULL, 0, 0,
		              "merge every shard's manifest (manifest-*-of-N.jsonl), or run the missing "
		              "shards first: the merged manifest is written, but lists only the rows of "
		              "the shards given",
		              "shard%s %s of %u %s not given", nmissing > 1 ? "s" : "",
		              missing.data ? missing.data : "", count, nmissing > 1 ? "are" : "is");
		r = missing.oom ? HD_ENOMEM : HD_EINPUT;
	}
	hd_buf_free(&missing);
	free(seen);
	return r;
}

int hd_manifest_merge(const char *out_base, const char *const *inputs, size_t ninputs,
                      hd_diags *d)
{
	hd_manifest_entry *all = NULL;
	size_t nall = 0, cap = 0, i, k;
	char *csv = NULL, *jsonl = NULL;
	int r = HD_OK, dup = 0;

	if (!out_base || (!inputs && ninputs))
		return HD_EINVAL;
	for (i = 0; i < ninputs && !r; i++) {
		hd_manifest_entry *e = NULL;
		size_t n = 0;
		char *path = NULL;
		size_t len = strlen(inputs[i]);
		/* a .csv manifest: its .jsonl twin holds the same lines, unambiguously */
		if (len > 4 && !strcmp(inputs[i] + len - 4, ".csv")) {
			path = malloc(len + 3);
			if (!path) {
				r = HD_ENOMEM;
				break;
			}
			memcpy(path, inputs[i], len - 4);
			strcpy(path + len - 4, ".jsonl");
		}
		r = hd_manifest_read(&e, &n, path ? path : inputs[i], 0, d);
		free(path);
		if (r)
			break;
		if (nall + n > cap) {
			size_t nc = (nall + n) * 2;
			hd_manifest_entry *na = realloc(all, nc * sizeof(*na));
			if (!na) {
				hd_manifest_entries_free(e, n);
				r = HD_ENOMEM;
				break;
			}
			all = na;
			cap = nc;
		}
		if (n) /* a shard with no rows has no entries (and e is NULL) */
			memcpy(all + nall, e, n * sizeof(*e));
		nall += n;
		free(e);
	}
	if (r)
		goto done;
	if (nall > 1)
		qsort(all, nall, sizeof(*all), by_row_then_id);
	for (i = k = 0; i < nall; i++) {
		if (k && !strcmp(all[k - 1].id, all[i].id) && all[k - 1].row == all[i].row) {
			if (!same_entry(&all[k - 1], &all[i])) {
				hd_diag_coded(d, HD_ERROR, HD_DIAG_DUPLICATE, NULL, NULL, 0, 0,
				              "each row belongs to one shard: check that every shard ran with "
				              "the same list and --shard K/N",
				              "row %d (id '%.100s') is listed by two manifests", all[i].row,
				              all[i].id);
				dup = 1;
			}
			hd_manifest_entry_clear(&all[i]);
			continue;
		}
		all[k++] = all[i];
	}
	nall = k;
	if (dup) {
		r = HD_EINPUT;
		goto done;
	}
	csv = malloc(strlen(out_base) + 8);
	jsonl = malloc(strlen(out_base) + 8);
	if (!csv || !jsonl) {
		r = HD_ENOMEM;
		goto done;
	}
	sprintf(csv, "%s.csv", out_base);
	sprintf(jsonl, "%s.jsonl", out_base);
	r = hd_manifest_write(csv, jsonl, all, nall, d);
	if (!r)
		r = check_shards(inputs, ninputs, d);
done:
	hd_manifest_entries_free(all, nall);
	free(csv);
	free(jsonl);
	return r;
}

/* ----- writing one entry at a time ---------------------------------------------------- */

/* path + ".XXXXXX" made with mkstemp beside it, hidden: ".<name>.XXXXXX". */
static FILE *temp_beside(const char *path, char **tmp)
{
	const char *slash = strrchr(path, '/');
	size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
	FILE *f;
	int fd, tries;

	*tmp = malloc(strlen(path) + 16);
	if (!*tmp)
		return NULL;
	/* Locked until it is renamed into place: a temporary file nobody locks
	 * is a dead writer's, and another batch writing into this folder (a
	 * shard) removes it when it starts (hd_remove_stale_temps). In the
	 * instant before the lock, such a clean-up may take it: then another. */
	for (tries = 0;; tries++) {
		struct stat held;
		sprintf(*tmp, "%.*s.%s.XXXXXX", (int)dir, path, path + dir);
		fd = mkstemp(*tmp);
		if (fd < 0) {
			free(*tmp);
			*tmp = NULL;
			return NULL;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (fstat(fd, &held) == 0 && held.st_nlink > 0)
				break;
		} else if (errno != EWOULDBLOCK) {
			break; /* a file system without locks: written unlocked */
		}
		close(fd);
		if (tries == 8) {
			free(*tmp);
			*tmp = NULL;
			errno = EAGAIN;
			return NULL;
		}
	}
	{
		/* the permissions hd_write_file_atomic would give: a replaced
		 * manifest keeps its own, a new one 0666 less the umask (read
		 * once the workers are done: umask() is process-wide) */
		struct stat st;
		mode_t mask = umask(0);
		umask(mask);
		fchmod(fd, stat(path, &st) == 0 ? (st.st_mode & 07777) : (0666 & ~mask));
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
	}
	return f;
}

int hd_manifest_writer_open(hd_manifest_writer *w, const char *csv_path, const char *jsonl_path,
                            hd_diags *d)
{
	memset(w, 0, sizeof(*w));
	w->csv_path = strdup(csv_path);
	w->jsonl_path = strdup(jsonl_path);
	if (!w->csv_path || !w->jsonl_path) {
		free(w->csv_path);
		free(w->jsonl_path);
		return HD_ENOMEM;
	}
	w->csv = temp_beside(csv_path, &w->csv_tmp);
	w->jsonl = w->csv ? temp_beside(jsonl_path, &w->jsonl_tmp) : NULL;
	if (!w->jsonl) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, csv_path, 0, 0,
		              "check that you may write to the output folder",
		              "cannot write the manifest: %s", strerror(errno));
		w->failed = 1;
		hd_manifest_writer_close(w, NULL);
		return HD_EIO;
	}
	fputs(hd_manifest_csv_header, w->csv);
	return HD_OK;
}

void hd_manifest_writer_add(hd_manifest_writer *w, const hd_manifest_entry *e)
{
	hd_buf c = HD_BUF_INIT, j = HD_BUF_INIT;
	hd_manifest_csv_line(&c, e);
	hd_manifest_json_line(&j, e);
	if (c.oom || j.oom || fwrite(c.data, 1, c.len, w->csv) != c.len ||
	    fwrite(j.data, 1, j.len, w->jsonl) != j.len)
		w->failed = 1;
	hd_buf_free(&c);
	hd_buf_free(&j);
}

void hd_manifest_writer_add_lines(hd_manifest_writer *w, const char *csv, size_t csv_len,
                                  const char *json, size_t json_len)
{
	if (csv_len < 2 || csv[csv_len - 2] != '\r' || csv[csv_len - 1] != '\n' || json_len < 3 ||
	    json[0] != '{' || json[json_len - 2] != '}' || json[json_len - 1] != '\n' ||
	    fwrite(csv, 1, csv_len, w->csv) != csv_len || fwrite(json, 1, json_len, w->jsonl) != json_len)
		w->failed = 1;
}

/* fflush and fsync; 0 or -1. */
static int finish_file(FILE *f)
{
	return fflush(f) != 0 || fsync(fileno(f)) != 0 ? -1 : 0;
}

int hd_manifest_writer_close(hd_manifest_writer *w, hd_diags *d)
{
	int bad = w->failed, err = 0;

	if (w->csv && finish_file(w->csv))
		bad = 1;
	if (w->jsonl && finish_file(w->jsonl))
		bad = 1;
	if (bad)
		err = errno ? errno : EIO;
	/* renamed while still open, so still locked (temp_beside) */
	if (!bad && (rename(w->jsonl_tmp, w->jsonl_path) != 0 || rename(w->csv_tmp, w->csv_path) != 0)) {
		bad = 1;
		err = errno;
	}
	if (w->csv && fclose(w->csv) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	if (w->jsonl && fclose(w->jsonl) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	w->csv = w->jsonl = NULL;
	if (!bad) {
		/* the renames themselves made durable */
		char *dir = strdup(w->csv_path), *slash = dir ? strrchr(dir, '/') : NULL;
		int dfd;
		if (slash)
			*slash = '\0';
		dfd = open(slash ? (*dir ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			if (fsync(dfd) != 0 && errno != EINVAL) {
				bad = 1;
				err = errno;
			}
			close(dfd);
		}
		free(dir);
	}
	if (bad) {
		if (w->csv_tmp)
			unlink(w->csv_tmp);
		if (w->jsonl_tmp)
			unlink(w->jsonl_tmp);
		if (d)
			hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, w->csv_path, 0, 0,
			              "check the space left on the disk", "cannot write the manifest: %s",
			              strerror(err));
	}
	free(w->csv_path);
	free(w->jsonl_path);
	free(w->csv_tmp);
	free(w->jsonl_tmp);
	memset(w, 0, sizeof(*w));
	return bad ? (err == ENOMEM ? HD_ENOMEM : HD_EIO) : HD_OK;
}
