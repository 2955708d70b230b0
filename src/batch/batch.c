/*
 * batch: hd_batch (include/handout.h, "batches"). One client list, one
 * document per row, made by worker threads sharing one engine; a manifest
 * appended as rows finish and rewritten whole at the end; resume by input
 * hashes; syncs batched for the whole folder.
 *
 * Order of events for one row: render in memory, write a temporary file and
 * rename it (hd_write_file_atomic_ex, no fsync), then append its manifest
 * line to both manifests under the batch's lock. A crash therefore leaves
 * every listed file whole on disk; a file whose line was not yet written is
 * simply made again by the next run (outputs are deterministic).
 */
#define _GNU_SOURCE 1 /* syncfs */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "deliver.h"
#include "handout.h"
#include "internal.h"
#include "list.h"
#include "manifest.h"
#include "util.h"

#define MAX_JOBS 64u
/* A worker makes up to this many documents in memory, or this many bytes,
 * before it writes them together (hd_batch_options.write_group). */
#define GROUP_DOCS 16u
#define GROUP_BYTES (4u << 20)

/* Row statuses beyond hd_status: skipped (unchanged since the previous
 * run), and held (made in memory, its file not yet written). */
#define SKIPPED (HD_OK + 1)
#define HELD (HD_OK + 2)

/* A row of a worker's group: made, and then written with the others. */
typedef struct held {
	size_t pos;            /* its position in the share */
	int r;                 /* its status; HELD until its file is written */
	hd_manifest_entry e;   /* its manifest line */
	hd_diags rd;           /* its problems and notes */
	hd_output out;         /* the document, while HELD */
	char *output;          /* where it goes, while HELD */
	unsigned how;          /* hd_write_file_atomic_ex's flags for it */
	char sha[65];          /* the document's SHA-256, in hex, while HELD */
} held;

/* What the batch decided about a row before any is made. */
typedef struct plan {
	int code;           /* refused up front: the diag code, else 0 */
	char *message, *hint;
	const char *field;
} plan;

typedef struct batch {
	hd_engine *e;
	const hd_batch_options *o;
	hd_render_options ro;
	hd_list *list;
	plan **plans;       /* per row: why it is refused up front, or NULL (most rows) */
	size_t n;
	size_t *order;      /* the rows of this run's share, in list order */
	size_t norder;
	size_t next;        /* next position in order to start */
	off_t *jpos;        /* per position in order: where its line is in the
	                       appended manifest.jsonl, or -1 while not finished */
	uint32_t *jlen;     /* ... and its length, line feed included */
	off_t *cpos;        /* ... where its line is in the appended manifest.csv */
	uint32_t *clen;     /* ... and its length */
	off_t jend, cend;   /* where the appended manifests end */
	hd_manifest_entry *old;  /* the previous manifest, sorted by row */
	size_t nold;
	const hd_manifest_entry **old_by_id; /* sorted by id, for lookups */
	unsigned char common[32]; /* digest of what every row shares */
	int fd_csv, fd_jsonl, dir_fd;
	pthread_mutex_t lock;
	hd_batch_progress prog;
	struct timespec t0;
	unsigned sync_every, since_sync;
	unsigned group;      /* documents a worker holds before writing them */
	hd_buf synced_next;  /* the names of the files made since the last sync,
	                        each ended by a NUL: dropped from the cache after it */
	int check;          /* hd_batch_check: check each row, make and write nothing */
	int io_failed;      /* a manifest append or a sync failed */
	int stop;           /* cancelled */
	hd_diags *d;        /* file-level problems (under the lock) */
} batch;

/* FNV-1a, 64 bits: stable across machines and versions (shards depend on it). */
static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	const unsigned char *p;
	for (p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	return h;
}

unsigned hd_batch_shard_of(const char *id, unsigned count)
{
	if (count <= 1 || !id)
		return 0;
	return (unsigned)(fnv1a(id) % count);
}

/* ----- hashing ------------------------------------------------------------------- */

static void hex(char *out, const unsigned char *md, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

static void sha256(unsigned char out[32], const void *data, size_t len)
{
	unsigned int n = 32;
	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

/* Adds a file's name and bytes to ctx (a missing file adds its name). */
static void digest_file(EVP_MD_CTX *ctx, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	EVP_DigestUpdate(ctx, path, strlen(path) + 1);
	if (hd_read_file(&buf, &len, path, 64u * 1024 * 1024, NULL) == HD_OK)
		EVP_DigestUpdate(ctx, buf, len);
	free(buf);
}

/* Adds every regular file of dir, in name order. */
static void digest_dir(EVP_MD_CTX *ctx, const char *dir)
{
	char **names;
	size_t n, i;

	if (hd_dir_names(&names, &n, dir, HD_DIR_FILES, 0))
		return;
	for (i = 0; i < n; i++) {
		char *path = hd_path_join(dir, names[i]);
		if (path)
			digest_file(ctx, path);
		free(path);
	}
	hd_names_free(names, n);
}

/* The digest of what every row's document depends on besides the row. */
static void common_digest(batch *b, const char *tpath, const char *cpath)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 32;
	char buf[128], *dir, *slash;

	memset(b->common, 0, 32);
	if (!ctx)
		return;
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	snprintf(buf, sizeof(buf), "handout %s kind %d epoch %lld", HD_VERSION_STRING,
	         (int)b->o->kind, (long long)b->o->source_date_epoch);
	EVP_DigestUpdate(ctx, buf, strlen(buf) + 1);
	digest_file(ctx, tpath);
	/* the clinic profile and its folder (the logo lives there) */
	digest_file(ctx, cpath);
	dir = strdup(cpath);
	if (dir) {
		slash = strrchr(dir, '/');
		if (slash) {
			*slash = '\0';
			digest_dir(ctx, *dir ? dir : "/");
		} else {
			digest_dir(ctx, ".");
		}
		free(dir);
	}
	dir = hd_path_join(hd_engine_data_dir(b->e), "library");
	if (dir)
		digest_dir(ctx, dir);
	free(dir);
	EVP_DigestFinal_ex(ctx, b->common, &n);
	EVP_MD_CTX_free(ctx);
}

/* The hex digest of row i's inputs (text: the row as read, or NULL). HD_OK,
 * or hd_list_row_digest's error. */
static int row_inputs(const batch *b, size_t i, const char *text, char out[65], hd_diags *rd)
{
	unsigned char md[64];
	int r = hd_list_row_digest(b->list, i, text, md, rd);
	memcpy(md + 32, b->common, 32);
	sha256(md, md, 64);
	hex(out, md, 32);
	return r;
}

/* The hex SHA-256 of a file, or "" when it is not a regular file or cannot
 * be read; *len its size. Read in pieces, and then dropped from the page
 * cache: a rerun checks thousands of kept documents nobody reads next. */
static void file_sha(const char *path, char out[65], size_t *len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[32], buf[65536];
	unsigned int n = 32;
	struct stat st;
	ssize_t got = -1;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	out[0] = '\0';
	*len = 0;
	if (fd < 0 || !ctx || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto done;
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (;;) {
		got = read(fd, buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		EVP_DigestUpdate(ctx, buf, (size_t)got);
		*len += (size_t)got;
	}
	if (got == 0 && EVP_DigestFinal_ex(ctx, md, &n))
		hex(out, md, 32);
	else
		*len = 0;
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
done:
	if (fd >= 0)
		close(fd);
	EVP_MD_CTX_free(ctx);
}

/* ----- planning: names, ids, shards ---------------------------------------------------- */

/* ASCII case folded in place, for comparing file names as case-insensitive
 * disks do. */
static void fold(char *s)
{
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

static int refuse(plan *p, int code, const char *field, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int refuse(plan *p, int code, const char *field, const char *hint, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->code = code;
	p->field = field;
	p->message = strdup(msg);
	p->hint = hint ? strdup(hint) : NULL;
	return p->message && (!hint || p->hint) ? HD_OK : HD_ENOMEM;
}

/* The file name stem of row i, whose client is client (the list's raw
 * name, hd_list_row_client): "<client> <id>", or "<id>" when the list
 * names no client; for an XML list, the session file's name, as handout
 * render names its PDF ("zoe", "zoe-brochure"); the kind's suffix is added. */
static char *stem_of(const batch *b, size_t i, const char *client)
{
	const char *suffix = b->o->kind == HD_KIND_GUIDE      ? "-guide"
	                     : b->o->kind == HD_KIND_BROCHURE ? "-brochure"
	                     : b->o->kind == HD_KIND_REPORT   ? "-report"
	                                                      : "";
	const char *id = hd_list_row_id(b->list, i);
	const char *file = hd_list_row_file(b->list, i);
	size_t n = strlen(client) + strlen(id) + strlen(suffix) + (file ? strlen(file) : 0) + 3;
	char *s = malloc(n);
	if (s && file) {
		const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
		size_t len = strlen(base);
		if (len > 4 && !strcasecmp(base + len - 4, ".xml"))
			len -= 4;
		snprintf(s, n, "%.*s%s", (int)len, base, suffix);
	} else if (s && *client)
		snprintf(s, n, "%s %s%s", client, id, suffix);
	else if (s)
		snprintf(s, n, "%s%s", id, suffix);
	return s;
}

/* Row i's output path, malloc'd into *out (computed when needed, not kept:
 * a batch of any length keeps almost nothing per row). */
static int output_of(const batch *b, size_t i, const char *client, char **out)
{
	char *stem = stem_of(b, i, client);
	int r;
	*out = NULL;
	if (!stem)
		return HD_ENOMEM;
	r = hd_output_path(out, b->o->out_dir && *b->o->out_dir ? b->o->out_dir : "out", stem, ".pdf");
	free(stem);
	return r;
}

/* Row i's key for refuse_repeats, malloc'd into *key: its id, or its
 * output path case-folded. HD_OK, HD_ENOMEM, or HD_EIO when the list was
 * changed in place (in b->d: nothing is made then). */
static int key_of(const batch *b, size_t i, int by_id, char **key)
{
	char *client;
	int r;
	*key = NULL;
	if (by_id)
		return (*key = strdup(hd_list_row_id(b->list, i))) ? HD_OK : HD_ENOMEM;
	r = hd_list_row_client(&client, b->list, i, NULL, b->d);
	if (r)
		return r;
	r = output_of(b, i, client, key);
	free(client);
	if (!r)
		fold(*key);
	return r;
}

/* A row's key as a 64-bit hash (FNV-1a): rows are compared by it first, so
 * a list of any length keeps 16 bytes per row while looking for repeats,
 * not every row's id and path. */
typedef struct hashed {
	uint64_t h;
	size_t i;
} hashed;

static int by_hash(const void *a, const void *b)
{
	const hashed *x = a, *y = b;
	if (x->h != y->h)
		return (x->h > y->h) - (x->h < y->h);
	return (x->i > y->i) - (x->i < y->i);
}

typedef struct key {
	char *k;
	size_t i;
} key;

static int by_key(const void *a, const void *b)
{
	const key *x = a, *y = b;
	int c = strcmp(x->k, y->k);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Refuses the rows of one run of equal hashes whose key repeats an earlier
 * row's (an equal hash is almost always an equal key; the keys say). */
static int refuse_run(batch *b, const hashed *run, size_t m, int by_id)
{
	key *k = calloc(m, sizeof(*k));
	size_t j, first = 0;
	int r = HD_OK;

	if (!k)
		return HD_ENOMEM;
	for (j = 0; j < m && !r; j++) {
		k[j].i = run[j].i;
		r = key_of(b, run[j].i, by_id, &k[j].k);
	}
	if (!r)
		qsort(k, m, sizeof(*k), by_key);
	for (j = 0; j < m && !r; j++) {
		plan *p;
		if (j == 0 || strcmp(k[j].k, k[j - 1].k)) {
			first = k[j].i;
			continue;
		}
		if (b->plans[k[j].i])
			continue;
		p = b->plans[k[j].i] = calloc(1, sizeof(*p));
		if (!p) {
			r = HD_ENOMEM;
			break;
		}
		if (by_id)
			r = refuse(p, HD_DIAG_DUPLICATE, "client_id",
			           "give each row its own client_id, or leave the column empty",
			           "the id '%.100s' is already row %d's", hd_list_row_id(b->list, k[j].i),
			           hd_list_row_line(b->list, first));
		else if (!strcasecmp(hd_list_row_id(b->list, k[j].i), hd_list_row_id(b->list, first)) &&
		         strcmp(hd_list_row_id(b->list, k[j].i), hd_list_row_id(b->list, first)))
			r = refuse(p, HD_DIAG_NAME_CLASH, "client",
			           "give ids that differ in more than letter case",
			           "this row's file would be the file of row %d too: the ids '%.60s' and "
			           "'%.60s' differ only in letter case, and so do the names (one file on "
			           "many disks)",
			           hd_list_row_line(b->list, first), hd_list_row_id(b->list, first),
			           hd_list_row_id(b->list, k[j].i));
		else
			r = refuse(p, HD_DIAG_NAME_CLASH, "client",
			           "give the rows different ids (a client_id column)",
			           "this row's file would be the file of row %d too (names that differ "
			           "only in letter case are one file on many disks)",
			           hd_list_row_line(b->list, first));
	}
	for (j = 0; j < m; j++)
		free(k[j].k);
	free(k);
	return r;
}

/* Refuses the later rows whose id (by_id) or output file repeats an
 * earlier row's. */
static int refuse_repeats(batch *b, int by_id)
{
	hashed *h = malloc((b->n ? b->n : 1) * sizeof(*h));
	size_t i, start, end;
	int r = HD_OK;

	if (!h)
		return HD_ENOMEM;
	for (i = 0; i < b->n && !r; i++) {
		char *k;
		r = key_of(b, i, by_id, &k);
		if (r)
			break;
		h[i].h = fnv1a(k);
		h[i].i = i;
		free(k);
	}
	if (!r)
		qsort(h, b->n, sizeof(*h), by_hash);
	for (start = 0; start < b->n && !r; start = end) {
		for (end = start + 1; end < b->n && h[end].h == h[start].h; end++)
			;
		if (end - start > 1)
			r = refuse_run(b, h + start, end - start, by_id);
	}
	free(h);
	return r;
}

static int make_plans(batch *b)
{
	int r = refuse_repeats(b, 1);
	return r ? r : refuse_repeats(b, 0);
}

/* ----- the previous manifest ------------------------------------------------------------- */

/* Row i's line in the previous manifest, or NULL. */
static const hd_manifest_entry *old_entry(const batch *b, size_t i)
{
	return hd_manifest_find(b->old_by_id, b->nold, hd_list_row_id(b->list, i),
	                        hd_list_row_line(b->list, i));
}

/* The file name of a path: what the manifest records, relative to its own
 * folder, so that manifests of shards made on several machines (or through
 * different mounts) merge and stay true. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* ----- one row ------------------------------------------------------------------------- */

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The client's name for the manifest: white space collapsed, at most 200
 * bytes (cut on a character boundary). */
static char *manifest_client(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	int sp = 1;
	if (!out)
		return NULL;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			if (!sp)
				*o++ = ' ';
			sp = 1;
		} else {
			*o++ = *s;
			sp = 0;
		}
	}
	if (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	if (strlen(out) > 200) {
		size_t n = 200;
		while (n && ((unsigned char)out[n] & 0xC0) == 0x80)
			n--;
		out[n] = '\0';
	}
	return out;
}

/* Fills code, field, column and message of e from the first error in d. */
static int describe_error(hd_manifest_entry *e, const hd_diags *d, int status)
{
	size_t i;
	for (i = 0; d && i < d->count; i++) {
		const hd_diag *g = &d->items[i];
		if (g->severity != HD_ERROR)
			continue;
		e->code = strdup(hd_diag_code_name(g->code ? g->code : HD_DIAG_INVALID));
		e->field = strdup(g->field);
		e->column = strdup(g->column);
		e->message = strdup(g->message);
		return e->code && e->field && e->column && e->message ? HD_OK : HD_ENOMEM;
	}
	e->code = strdup(status == HD_EIO ? "io" : "render");
	e->field = strdup("");
	e->column = strdup("");
	e->message = strdup(hd_status_str(status));
	return e->code && e->field && e->column && e->message ? HD_OK : HD_ENOMEM;
}

/* Makes (or skips, or refuses) the row at position pos of the share; fills
 * e. Returns the status of the row: HD_OK (made or skipped), HD_EINPUT
 * (refused), another status (failed). */
/* The path of the last "*.xml" (not hidden) of a records folder by name,
 * which is the latest visit's (README, "Records folders"); NULL when none
 * or out of memory. */
static char *newest_record(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char best[256] = "";

	if (!dp)
		return NULL;
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 5 || len >= sizeof(best) ||
		    strcmp(de->d_name + len - 4, ".xml"))
			continue;
		if (strcmp(de->d_name, best) > 0)
			snprintf(best, sizeof(best), "%s", de->d_name);
	}
	closedir(dp);
	return best[0] ? hd_path_join(dir, best) : NULL;
}

static int make_row(batch *b, size_t i, const char *text, char **output, held *h);

/* A row's problem about a field with no column named (what the kind needs
 * and the row leaves out: "the therapist's name is missing") names the
 * list's column(s) for that field, as every other problem of the row. */
static void name_columns(const batch *b, hd_diags *rd)
{
	size_t k;
	for (k = 0; rd && k < rd->count; k++) {
		hd_diag *g = &rd->items[k];
		if (g->field[0] && !g->column[0] && !strcmp(g->file, hd_list_path(b->list)))
			hd_list_field_column(b->list, g->field, g->column, sizeof(g->column));
	}
}

/* do_row for hd_batch_check: row i as make_row would read it, and what the
 * kind needs of it, without rendering: HD_OK when it is ready. */
static int check_row(batch *b, size_t i, const char *text, const hd_manifest_entry *e,
                     hd_diags *rd)
{
	hd_session *s = NULL;
	size_t before = rd->count, k;
	int r;

	if (hd_list_is_records(b->list)) {
		r = hd_validate_records(b->e, hd_list_row_dir(b->list, i), rd);
		for (k = before; k < rd->count; k++) {
			if (!rd->items[k].line && !strcmp(rd->items[k].file, hd_list_row_dir(b->list, i)))
				rd->items[k].line = e->row;
		}
		return r;
	}
	r = hd_list_session_of(&s, b->list, i, text, b->e, rd);
	if (!r)
		r = hd_session_check(s, b->o->kind, rd);
	hd_session_free(s);
	return r;
}

/* Makes (or skips, or refuses) the row h->pos of the share, into h: its
 * status, HELD when its document waits in h to be written (write_held). */
static int do_row(batch *b, held *h)
{
	size_t i = b->order[h->pos];
	hd_manifest_entry *e = &h->e;
	hd_diags *rd = &h->rd;
	char *output = NULL, *client = NULL, *text = NULL;
	int r;

	e->row = hd_list_row_line(b->list, i);
	e->id = strdup(hd_list_row_id(b->list, i));
	/* the row read once: for its name, its digest and its session */
	r = hd_list_row_read(&text, b->list, i, rd);
	if (!r)
		r = hd_list_row_client(&client, b->list, i, text, rd);
	if (r) {
		free(text);
		return r;
	}
	e->client = manifest_client(client);
	if (!e->id || !e->client) {
		free(client);
		free(text);
		return HD_ENOMEM;
	}
	if (b->plans[i]) {
		const plan *p = b->plans[i];
		hd_diag_coded(rd, HD_ERROR, p->code, p->field, hd_list_path(b->list), e->row, 0,
		              p->hint, "%s", p->message);
		if (rd && rd->count)
			hd_list_field_column(b->list, p->field, rd->items[rd->count - 1].column,
			                     sizeof(rd->items[0].column));
		free(client);
		free(text);
		return HD_EINPUT;
	}
	if (b->check) {
		free(client);
		r = check_row(b, i, text, e, rd);
	} else {
		r = output_of(b, i, client, &output);
		free(client);
		if (!r)
			r = make_row(b, i, text, &output, h);
		free(output);
	}
	free(text);
	name_columns(b, rd);
	return r;
}

/* do_row for a row not refused up front (text: its cells as read, or
 * NULL), whose file is *output. A document made is held in h, which then
 * owns *output too (set to NULL). */
static int make_row(batch *b, size_t i, const char *text, char **output_path, held *h)
{
	const hd_manifest_entry *old, *prev;
	hd_manifest_entry *e = &h->e;
	hd_diags *rd = &h->rd;
	const char *output = *output_path;
	hd_session *s = NULL;
	hd_output out;
	char inputs[65], sha[65];
	unsigned how = HD_WRITE_NO_FSYNC | HD_WRITE_NO_STALE_SCAN;
	int r;

	memset(&out, 0, sizeof(out));
	r = row_inputs(b, i, text, inputs, rd);
	if (r)
		return r;
	e->inputs = strdup(inputs);
	if (!e->inputs)
		return HD_ENOMEM;
	prev = old_entry(b, i);
	old = b->o->force ? NULL : prev;
	if (old && (!strcmp(old->status, "made") || !strcmp(old->status, "skipped")) &&
	    !strcmp(old->inputs, inputs) && !strcmp(old->output, base_name(output))) {
		size_t len;
		file_sha(output, sha, &len);
		if (len == old->bytes && !strcmp(sha, old->sha256)) {
			e->output = strdup(base_name(output));
			e->sha256 = strdup(sha);
			e->pages = old->pages;
			e->bytes = old->bytes;
			if (!*e->client) {
				free(e->client);
				e->client = strdup(old->client);
			}
			return e->output && e->sha256 && e->client ? SKIPPED : HD_ENOMEM;
		}
	}
	if (hd_list_is_records(b->list)) {
		/* a progress report over the row's records folder */
		size_t before = rd->count, k;
		r = hd_render_report(&out, b->e, hd_list_row_dir(b->list, i), &b->ro, HD_RENDER_PDF,
		                     rd);
		for (k = before; k < rd->count; k++) {
			if (!rd->items[k].line && !strcmp(rd->items[k].file, hd_list_row_dir(b->list, i)))
				rd->items[k].line = e->row;
		}
		if (!r && !*e->client) {
			/* the manifest names the client as the latest record does */
			char *latest = newest_record(hd_list_row_dir(b->list, i));
			hd_diags scratch = HD_DIAGS_INIT;
			if (latest && hd_session_load_file(&s, b->e, latest, &scratch) == HD_OK) {
				free(e->client);
				e->client = manifest_client(hd_session_client(s));
				if (!e->client)
					r = HD_ENOMEM;
			}
			hd_session_free(s);
			s = NULL;
			hd_diags_free(&scratch);
			free(latest);
		}
		goto written;
	}
	r = hd_list_session_of(&s, b->list, i, text, b->e, rd);
	if (r && hd_list_row_file(b->list, i))
		hd_diag_coded(rd, HD_NOTE, HD_DIAG_NONE, NULL, hd_list_path(b->list), e->row, 0, NULL,
		              "the session file of this row is %s", hd_list_row_file(b->list, i));
	if (!r && !*e->client) { /* an XML list: the name is in the record */
		free(e->client);
		e->client = manifest_client(hd_session_client(s));
		if (!e->client)
			r = HD_ENOMEM;
	}
	if (!r) {
		size_t before = rd->count, k;
		r = hd_render(&out, b->e, b->o->kind, s, &b->ro, rd);
		/* what layout says about the document is about this row */
		for (k = before; k < rd->count; k++) {
			if (!rd->items[k].line)
				rd->items[k].line = e->row;
		}
	}
	hd_session_free(s);
written:
	if (r) {
		hd_output_free(&out);
		return r;
	}
	/* no earlier line names this file: it is most likely new */
	if (!prev || strcmp(prev->output, base_name(output)))
		how |= HD_WRITE_NEW;
	h->out = out;
	h->output = *output_path;
	*output_path = NULL;
	h->how = how;
	/* hashed now, while the document is still in the cache */
	{
		unsigned char md[32];
		sha256(md, out.pdf, out.pdf_len);
		hex(h->sha, md, 32);
	}
	return HELD;
}

/* Writes the document held in h to its file, and fills in its manifest
 * line. Returns the row's status. */
static int write_held(held *h)
{
	hd_manifest_entry *e = &h->e;
	int r = hd_write_file_atomic_ex(h->output, h->out.pdf, h->out.pdf_len, h->how, &h->rd);

	if (!r) {
		e->output = strdup(base_name(h->output));
		e->sha256 = strdup(h->sha);
		e->pages = h->out.pages;
		e->bytes = h->out.pdf_len;
		if (!e->output || !e->sha256)
			r = HD_ENOMEM;
	}
	hd_output_free(&h->out);
	free(h->output);
	h->output = NULL;
	return r;
}

/* Appends buf to fd whole (one write unless the kernel splits it). */
static int append(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads len bytes at off of fd into *buf (grown as needed, *cap its
 * size): a line appended to a manifest, read back. 0, or -1. */
static int read_back(int fd, off_t off, uint32_t len, char **buf, size_t *cap)
{
	if (len > *cap) {
		char *nb = realloc(*buf, len);
		if (!nb)
			return -1;
		*buf = nb;
		*cap = len;
	}
	return pread(fd, *buf, len, off) == (ssize_t)len ? 0 : -1;
}

/* Syncs the output folder's file system: every file written so far, the
 * renames that put them in place and the manifests' lines. */
static int sync_folder(batch *b)
{
	if (b->dir_fd < 0)
		return 0;
	if (syncfs(b->dir_fd) == 0)
		return 0;
	return -1;
}

/* After a sync: the files named in names (len bytes of NUL-ended names in
 * the output folder), now on the disk, are dropped from the page cache. A
 * batch writes hundreds of megabytes nobody reads soon; dropped, they do
 * not push other programs' files out of the cache, and the kernel hands
 * their pages to the next documents. On a virtual machine whose memory the
 * host gives on first touch, that took the system time of writing a 27 KB
 * file from 61-91 us to 28-30 us (bench/batch.sh; README, "Measured
 * speed"). Advice only: nothing fails if the kernel does not follow it. */
static void drop_from_cache(const batch *b, const char *names, size_t len)
{
	const char *name = names;

	while (name < names + len) {
		int fd = openat(b->dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0) {
			(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
			close(fd);
		}
		name += strlen(name) + 1;
	}
}

/* Syncs the folder (as sync_folder) and then drops the files named in
 * *group (taken from b->synced_next under the lock) from the cache. Called
 * without the lock, so the other workers go on meanwhile. 0, or -1 with
 * errno when the sync failed. */
static int sync_group(batch *b, hd_buf *group)
{
	int r = sync_folder(b), err = errno;
	if (!r && !group->oom)
		drop_from_cache(b, group->data, group->len);
	hd_buf_free(group);
	errno = err;
	return r;
}

/* The status word of a finished row. */
static const char *status_of(const batch *b, int r)
{
	return r == SKIPPED      ? "skipped"
	       : r == HD_OK      ? (b->check ? "ready" : "made")
	       : r == HD_EINPUT  ? "refused"
	                         : "failed";
}

/* Tells o->row_done about the finished row h (under the lock). */
static void tell_row_done(const batch *b, const held *h)
{
	const hd_manifest_entry *f = &h->e;
	hd_batch_row row;
	char *path = f->output && *f->output
	             ? hd_path_join(b->o->out_dir && *b->o->out_dir ? b->o->out_dir : "out", f->output)
	             : NULL;

	memset(&row, 0, sizeof(row));
	row.index = b->order[h->pos];
	row.id = f->id;
	row.line = f->row;
	row.status = f->status;
	row.output = path;
	row.pages = f->pages;
	row.bytes = f->bytes;
	row.diags = &h->rd;
	b->o->row_done(&row, b->o->ctx);
	free(path);
}

/* Finishes row h: appends its manifest lines (its file, if any, is in
 * place), counts it and tells the callbacks. Every sync_every documents the
 * folder is synced and the documents dropped from the cache, without the
 * lock. */
static void finish_row(batch *b, held *h)
{
	hd_manifest_entry *e = &h->e;
	hd_buf c = HD_BUF_INIT, j = HD_BUF_INIT, synced = HD_BUF_INIT;
	int r = h->r, sync_now = 0;

	if (r != HD_OK && r != SKIPPED) {
		free(e->output);
		free(e->sha256);
		e->output = e->sha256 = NULL; /* the manifest's lines write NULL as "" */
		e->pages = 0;
		e->bytes = 0;
		describe_error(e, &h->rd, r);
	}
	e->status = strdup(status_of(b, r));
	if (!b->check) {
		hd_manifest_csv_line(&c, e);
		hd_manifest_json_line(&j, e);
	}

	pthread_mutex_lock(&b->lock);
	if (b->check) {
		if (!e->status)
			b->io_failed = 1; /* out of memory: said as a failure */
	} else if (c.oom || j.oom || !e->status || append(b->fd_jsonl, j.data, j.len) ||
	           append(b->fd_csv, c.data, c.len)) {
		if (!b->io_failed)
			hd_diag_coded(b->d, HD_ERROR, HD_DIAG_IO, NULL, NULL, 0, 0,
			              "check the space left on the disk",
			              "cannot append to the manifest: %s", strerror(errno));
		b->io_failed = 1;
		/* not listed: counted and told as failed (a rerun makes it again) */
		r = HD_EIO;
		free(e->status);
		e->status = strdup("failed");
	} else if (j.len < UINT32_MAX && c.len < UINT32_MAX) {
		/* only this batch appends to them, under this lock */
		b->jpos[h->pos] = b->jend;
		b->jlen[h->pos] = (uint32_t)j.len;
		b->cpos[h->pos] = b->cend;
		b->clen[h->pos] = (uint32_t)c.len;
		b->jend += (off_t)j.len;
		b->cend += (off_t)c.len;
	}
	if (b->io_failed && !b->check) {
		/* after a failed (perhaps partial) append: where they end now */
		b->jend = lseek(b->fd_jsonl, 0, SEEK_END);
		b->cend = lseek(b->fd_csv, 0, SEEK_END);
	}
	b->prog.done++;
	if (r == HD_OK)
		b->prog.made++;
	else if (r == SKIPPED)
		b->prog.skipped++;
	else if (r == HD_EINPUT)
		b->prog.refused++;
	else
		b->prog.failed++;
	if (r == HD_OK && !b->check) {
		hd_buf_append(&b->synced_next, e->output, strlen(e->output) + 1);
		if (++b->since_sync >= b->sync_every) {
			synced = b->synced_next; /* synced below, without the lock */
			memset(&b->synced_next, 0, sizeof(b->synced_next));
			b->since_sync = 0;
			sync_now = 1;
		}
	}
	b->prog.elapsed = seconds_since(&b->t0);
	if (b->o->row_done)
		tell_row_done(b, h);
	if (b->o->progress)
		b->o->progress(&b->prog, b->o->ctx);
	pthread_mutex_unlock(&b->lock);
	hd_buf_free(&c);
	hd_buf_free(&j);
	if (sync_now && sync_group(b, &synced)) {
		int err = errno;
		pthread_mutex_lock(&b->lock);
		if (!b->io_failed)
			hd_diag_coded(b->d, HD_ERROR, HD_DIAG_IO, NULL, NULL, 0, 0, NULL,
			              "cannot sync the output folder: %s", strerror(err));
		b->io_failed = 1;
		pthread_mutex_unlock(&b->lock);
	}
}

/* Finishes a worker's group of n rows made in memory: each document's file
 * written and then its manifest line appended, row after row, so that at
 * most one row per worker is ever on disk without its line. The file
 * system's work for the whole group comes in one burst: done between two
 * renderings instead, each file cost twice the system time (the renderer's
 * data had pushed the kernel's out of the caches; README, "Measured
 * speed"). */
static void finish_group(batch *b, held *g, size_t n)
{
	size_t k;
	for (k = 0; k < n; k++) {
		if (g[k].r == HELD)
			g[k].r = write_held(&g[k]);
		finish_row(b, &g[k]);
		hd_manifest_entry_clear(&g[k].e);
		hd_diags_free(&g[k].rd);
	}
}

/* A worker: takes the next row of the share until none is left (or the
 * batch is stopped), makes it in memory, and writes its group of
 * documents every b->group rows or GROUP_BYTES bytes. */
static void *worker(void *arg)
{
	batch *b = arg;
	held g[GROUP_DOCS];
	size_t n = 0, bytes = 0;

	for (;;) {
		held *h;
		size_t pos;

		pthread_mutex_lock(&b->lock);
		if (!b->stop && b->o->cancel && b->o->cancel(b->o->ctx))
			b->stop = 1;
		if (b->stop || hd_list_changed(b->list) || b->next >= b->norder) {
			pthread_mutex_unlock(&b->lock);
			break;
		}
		pos = b->next++;
		pthread_mutex_unlock(&b->lock);
		h = &g[n++];
		memset(h, 0, sizeof(*h));
		h->pos = pos;
		h->r = do_row(b, h);
		if (h->r == HELD)
			bytes += h->out.pdf_len;
		if (n >= b->group || bytes >= GROUP_BYTES) {
			finish_group(b, g, n);
			n = bytes = 0;
		}
	}
	finish_group(b, g, n);
	return NULL;
}

/* ----- the batch ------------------------------------------------------------------------ */

/* The fields every row must give for kind, checked against the columns
 * once, so that a list without a date column is one error, not one per row. */
static int check_columns(const batch *b, hd_diags *d, const char *path)
{
	static const char *const need[] = { "date", "therapist", "techniques", "areas" };
	size_t k;
	int bad = 0;

	if (b->o->kind == HD_KIND_BROCHURE)
		return HD_OK;
	for (k = 0; k < HD_ARRAY_LEN(need); k++) {
		if (hd_list_has_field(b->list, need[k]))
			continue;
		hd_diag_coded(d, HD_ERROR, HD_DIAG_MISSING, need[k], path, 1, 0,
		              "add the column, or map one of yours to it in a mapping file (--map FILE)",
		              "no column gives %s, which %s needs", need[k],
		              b->o->kind == HD_KIND_GUIDE ? "a guide" : "an aftercare sheet");
		bad = 1;
	}
	return bad ? HD_EINPUT : HD_OK;
}

/* out_dir, created when missing; its descriptor in b->dir_fd. */
/* mkdir -p: dir and the folders above it that are missing. */
static int make_dirs(const char *dir, hd_diags *d)
{
	char *path = strdup(dir), *p;
	int r = HD_OK;

	if (!path)
		return HD_ENOMEM;
	for (p = path + 1; r == HD_OK; p++) {
		char c = *p;
		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, path, 0, 0,
			              "check that you may write there, or give another folder with -o",
			              "cannot create the folder: %s", strerror(errno));
			r = HD_EIO;
		}
		*p = c;
		if (!c)
			break;
	}
	free(path);
	return r;
}

static int open_folder(batch *b, const char *dir, hd_diags *d)
{
	struct stat st;
	int r = make_dirs(dir, d);
	if (r)
		return r;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, dir, 0, 0, "give a folder with -o",
		              "this is not a folder");
		return HD_EIO;
	}
	b->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (b->dir_fd < 0) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, dir, 0, 0, NULL, "cannot open the folder: %s",
		              strerror(errno));
		return HD_EIO;
	}
	return HD_OK;
}

static int open_manifest(int *fd, const char *path, const char *header, hd_diags *d)
{
	struct stat st;
	*fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (*fd < 0 || fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, path, 0, 0,
		              "check that you may write to the output folder",
		              "cannot open the manifest: %s", strerror(errno ? errno : EINVAL));
		return HD_EIO;
	}
	if (header && st.st_size == 0 && append(*fd, header, strlen(header))) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, path, 0, 0, NULL,
		              "cannot write the manifest: %s", strerror(errno));
		return HD_EIO;
	}
	return HD_OK;
}

/* hd_batch, or with check hd_batch_check: the same list, plans, shares and
 * rows, but no folder, no manifest and no document. */
static int run(hd_batch_result *out, hd_engine *e, const char *list_path, const hd_batch_options *o,
               int check, hd_list **keep, hd_diags *d)
{
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	batch b;
	char *tpath = NULL, *cpath = NULL;
	const char *dir;
	pthread_t threads[MAX_JOBS];
	unsigned nthreads = 0, t, jobs;
	size_t i, k;
	int r;

	if (!out)
		return HD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!e || !list_path || !o || o->version < 1 || o->version > HD_BATCH_OPTIONS_VERSION ||
	    (o->kind != HD_KIND_BROCHURE && o->kind != HD_KIND_GUIDE && o->kind != HD_KIND_AFTERCARE &&
	     o->kind != HD_KIND_REPORT) ||
	    (o->shard_count > 1 && o->shard_index >= o->shard_count))
		return HD_EINVAL;
	memset(&b, 0, sizeof(b));
	b.e = e;
	b.o = o;
	b.d = d;
	b.check = check;
	b.fd_csv = b.fd_jsonl = b.dir_fd = -1;
	b.sync_every = o->sync_every ? o->sync_every : 1000;
	b.group = o->version >= 2 && o->write_group ? o->write_group : GROUP_DOCS;
	if (b.group > GROUP_DOCS)
		b.group = GROUP_DOCS;
	pthread_mutex_init(&b.lock, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b.t0);
	dir = o->out_dir && *o->out_dir ? o->out_dir : "out";

	r = hd_list_load(&b.list, list_path, o->list, d);
	if (r)
		goto cleanup;
	b.n = hd_list_count(b.list);
	out->rows = b.n;
	if (hd_list_is_records(b.list) != (o->kind == HD_KIND_REPORT)) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_INVALID, NULL, list_path, 0, 0,
		              o->kind == HD_KIND_REPORT
		                  ? "give the folder that holds one records folder per client"
		                  : "give a CSV file or an XML list; a folder of clients' records "
		                    "folders makes progress reports (-k report)",
		              o->kind == HD_KIND_REPORT ? "progress reports are made from a folder of "
		                                          "clients' records folders"
		                                        : "a folder is not a client list");
		r = HD_EINPUT;
		goto cleanup;
	}
	r = hd_list_is_records(b.list) ? HD_OK : check_columns(&b, d, list_path);
	if (r)
		goto cleanup;
	r = hd_engine_prepare(e, o->kind, o->template_path, o->clinic_path, &tpath, &cpath, d);
	if (r)
		goto cleanup;
	ro.kind = o->kind;
	ro.template_path = tpath;
	ro.clinic_path = cpath;
	ro.source_date_epoch = o->source_date_epoch;
	b.ro = ro;
	if (!check) {
		r = open_folder(&b, dir, d);
		if (r)
			goto cleanup;
		{
			/* an interrupted run's temporary files, once for the whole
			 * folder (each write then skips the search, which would read
			 * the folder once per file: quadratic in a folder of thousands) */
			static const char *const ours[] = { ".pdf", ".csv", ".jsonl", NULL };
			hd_remove_stale_temps(dir, ours, d);
		}
		common_digest(&b, tpath, cpath);
	}

	b.plans = calloc(b.n ? b.n : 1, sizeof(*b.plans));
	b.order = malloc((b.n ? b.n : 1) * sizeof(*b.order));
	if (!b.plans || !b.order) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	r = make_plans(&b);
	if (r)
		goto cleanup;
	for (i = 0; i < b.n; i++) {
		if (o->shard_count <= 1 ||
		    hd_batch_shard_of(hd_list_row_id(b.list, i), o->shard_count) == o->shard_index)
			b.order[b.norder++] = i;
	}
	out->total = b.prog.total = b.norder;
	b.jpos = malloc((b.norder ? b.norder : 1) * sizeof(*b.jpos));
	b.jlen = calloc(b.norder ? b.norder : 1, sizeof(*b.jlen));
	b.cpos = malloc((b.norder ? b.norder : 1) * sizeof(*b.cpos));
	b.clen = calloc(b.norder ? b.norder : 1, sizeof(*b.clen));
	if (!b.jpos || !b.jlen || !b.cpos || !b.clen) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < b.norder; i++)
		b.jpos[i] = -1;

	/* The manifests: manifest.csv/.jsonl, or manifest-K-of-N.* for a shard. */
	if (!check) {
		char base[64];
		char *p;
		if (o->shard_count > 1)
			snprintf(base, sizeof(base), "manifest-%u-of-%u", o->shard_index, o->shard_count);
		else
			snprintf(base, sizeof(base), "manifest");
		snprintf(out->manifest_csv, sizeof(out->manifest_csv), "%s%s%s.csv", dir,
		         dir[strlen(dir) - 1] == '/' ? "" : "/", base);
		snprintf(out->manifest_jsonl, sizeof(out->manifest_jsonl), "%s%s%s.jsonl", dir,
		         dir[strlen(dir) - 1] == '/' ? "" : "/", base);
		(void)p;
	}
	if (!check) {
		r = hd_manifest_read(&b.old, &b.nold, out->manifest_jsonl, 1, d);
		if (r)
			goto cleanup;
		b.old_by_id = malloc((b.nold ? b.nold : 1) * sizeof(*b.old_by_id));
		if (!b.old_by_id) {
			r = HD_ENOMEM;
			goto cleanup;
		}
		for (i = 0; i < b.nold; i++)
			b.old_by_id[i] = &b.old[i];
		qsort(b.old_by_id, b.nold, sizeof(*b.old_by_id), hd_manifest_cmp_id_row);
		/* both read back at the end */
		r = open_manifest(&b.fd_jsonl, out->manifest_jsonl, NULL, d);
		/* one batch at a time per manifest: another run's lines would land
		 * between this one's (until the lock goes with the process). On a
		 * file system without locks the batch goes on unlocked, as the
		 * temporary files of hd_write_file_atomic do. */
		if (!r && flock(b.fd_jsonl, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
			hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, out->manifest_jsonl, 0, 0,
			              "wait until it has finished, or give another folder with -o",
			              "another batch is making documents into this folder");
			r = HD_EIO;
		}
		if (!r)
			r = open_manifest(&b.fd_csv, out->manifest_csv, hd_manifest_csv_header, d);
		if (r)
			goto cleanup;
		b.jend = lseek(b.fd_jsonl, 0, SEEK_END);
		b.cend = lseek(b.fd_csv, 0, SEEK_END);
	}

	if (o->progress)
		o->progress(&b.prog, o->ctx);
	jobs = o->jobs < 1 ? 1 : o->jobs > MAX_JOBS ? MAX_JOBS : o->jobs;
	if (jobs > b.norder)
		jobs = b.norder ? (unsigned)b.norder : 1;
	for (t = 1; t < jobs; t++) {
		if (pthread_create(&threads[nthreads], NULL, worker, &b) == 0)
			nthreads++;
	}
	worker(&b); /* the calling thread is a worker too */
	for (t = 0; t < nthreads; t++)
		pthread_join(threads[t], NULL);

	if (hd_list_changed(b.list))
		b.io_failed = 1; /* said by the row that found it */
	if (check)
		goto counted;
	/* Every file durable before the manifests say so for good. */
	if (sync_group(&b, &b.synced_next) && !b.io_failed) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, dir, 0, 0, NULL,
		              "cannot sync the output folder: %s", strerror(errno));
		b.io_failed = 1;
	}
	/* The final manifests, written one line at a time (a batch of any length
	 * holds none of them in memory): every row of the share in list order,
	 * its two lines copied from the appended manifests; a row not reached
	 * (cancelled) keeps its previous line, if any. */
	{
		hd_manifest_writer w;
		char *cl = NULL, *jl = NULL;
		size_t ccap = 0, jcap = 0;
		r = hd_manifest_writer_open(&w, out->manifest_csv, out->manifest_jsonl, d);
		for (k = 0; !r && k < b.norder && !w.failed; k++) {
			const hd_manifest_entry *old;
			if (b.jpos[k] >= 0) {
				if (read_back(b.fd_csv, b.cpos[k], b.clen[k], &cl, &ccap) ||
				    read_back(b.fd_jsonl, b.jpos[k], b.jlen[k], &jl, &jcap))
					w.failed = 1;
				else
					hd_manifest_writer_add_lines(&w, cl, b.clen[k], jl, b.jlen[k]);
			} else if ((old = old_entry(&b, b.order[k]))) {
				hd_manifest_writer_add(&w, old);
			}
		}
		free(cl);
		free(jl);
		if (!r)
			r = hd_manifest_writer_close(&w, d);
	}
	if (r)
		b.io_failed = 1;
counted:
	b.prog.elapsed = seconds_since(&b.t0);
	out->made = b.prog.made;
	out->skipped = b.prog.skipped;
	out->refused = b.prog.refused;
	out->failed = b.prog.failed;
	out->cancelled = b.stop;
	r = b.io_failed || b.prog.failed ? HD_EIO
	    : b.stop                     ? HD_ECANCELLED
	    : b.prog.refused             ? HD_EINPUT
	                                 : HD_OK;
cleanup:
	if (b.fd_csv >= 0)
		close(b.fd_csv);
	if (b.fd_jsonl >= 0)
		close(b.fd_jsonl);
	if (b.dir_fd >= 0)
		close(b.dir_fd);
	free(b.jpos);
	free(b.jlen);
	free(b.cpos);
	free(b.clen);
	for (i = 0; b.plans && i < b.n; i++) {
		if (!b.plans[i])
			continue;
		free(b.plans[i]->message);
		free(b.plans[i]->hint);
		free(b.plans[i]);
	}
	free(b.plans);
	free(b.order);
	free(b.old_by_id);
	hd_manifest_entries_free(b.old, b.nold);
	hd_buf_free(&b.synced_next);
	if (keep && b.list && (r == HD_OK || r == HD_EINPUT || r == HD_EIO)) {
		*keep = b.list; /* the rows as this batch read them, for the mail merge */
		b.list = NULL;
	}
	hd_list_free(b.list);
	free(tpath);
	free(cpath);
	pthread_mutex_destroy(&b.lock);
	return r;
}

int hd_batch(hd_batch_result *out, hd_engine *e, const char *list_path, const hd_batch_options *o,
             hd_diags *d)
{
	return run(out, e, list_path, o, 0, NULL, d);
}

int hd_batch_keep_list(hd_batch_result *out, hd_engine *e, const char *list_path,
                       const hd_batch_options *o, hd_list **list, hd_diags *d)
{
	*list = NULL;
	return run(out, e, list_path, o, 0, list, d);
}

int hd_batch_check(hd_batch_result *out, hd_engine *e, const char *list_path,
                   const hd_batch_options *o, hd_diags *d)
{
	return run(out, e, list_path, o, 1, NULL, d);
}
