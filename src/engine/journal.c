/*
 * journal: the send journal of a mail merge (include/handout.h, "sending
 * to many"). One line per event, appended and fdatasync'ed before the
 * program goes on; a row's last line gives its state. The order that makes
 * "never twice" hold: "attempt" is on disk before the message is handed to
 * the server, "sent" is written only after the server's 250. A crash in
 * between leaves the row uncertain, and an uncertain row is not resent
 * unless the caller asks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "handout.h"
#include "util.h"

typedef struct row {
	char *key;
	hd_mail_state state;
} row;

struct hd_mail_journal {
	int fd;
	char *path;
	row *rows;        /* open addressing, cap a power of two, at most half full */
	size_t n, cap;
	double last_send; /* monotonic seconds of the last send; < 0: none yet */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static row *find(const hd_mail_journal *j, const char *key)
{
	size_t i;
	if (!j->cap)
		return NULL;
	for (i = hash(key) & (j->cap - 1); j->rows[i].key; i = (i + 1) & (j->cap - 1)) {
		if (!strcmp(j->rows[i].key, key))
			return &j->rows[i];
	}
	return &j->rows[i]; /* the empty slot where key would go */
}

/* Sets key's state (adding the row). Returns 0 or -1 when out of memory. */
static int set_state(hd_mail_journal *j, const char *key, hd_mail_state st)
{
	row *r;
	if ((j->n + 1) * 2 > j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 64, i;
		row *old = j->rows, *nr = calloc(cap, sizeof(*nr));
		size_t oldcap = j->cap;
		if (!nr)
			return -1;
		j->rows = nr;
		j->cap = cap;
		for (i = 0; i < oldcap; i++) {
			if (old[i].key)
				*find(j, old[i].key) = old[i];
		}
		free(old);
	}
	r = find(j, key);
	if (!r->key) {
		r->key = strdup(key);
		if (!r->key)
			return -1;
		j->n++;
	}
	r->state = st;
	return 0;
}

/* Appends s to b with tabs, line breaks, CRs and backslashes escaped. */
static void put_field(hd_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\t': hd_buf_puts(b, "\\t"); break;
		case '\n': hd_buf_puts(b, "\\n"); break;
		case '\r': hd_buf_puts(b, "\\r"); break;
		case '\\': hd_buf_puts(b, "\\\\"); break;
		default: hd_buf_putc(b, *s);
		}
	}
}

/* Undoes put_field in place on [s, end); returns the NUL-terminated field. */
static char *unescape(char *s, char *end)
{
	char *w = s, *r;
	for (r = s; r < end; r++) {
		if (*r == '\\' && r + 1 < end) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r == 'r' ? '\r' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

/* Reads the journal's lines into j. A last line without its line end (the
 * process died while writing it) is ignored: an unfinished "attempt" was
 * never followed by a send, an unfinished "sent" leaves the row uncertain. */
static int read_lines(hd_mail_journal *j, char *text, size_t len, hd_diags *d)
{
	char *p = text, *end = text + len;
	int line = 0;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *tab, *key, *kend;
		hd_mail_state st;
		line++;
		if (!nl)
			break;
		tab = memchr(p, '\t', (size_t)(nl - p));
		if (!tab)
			goto bad;
		if (tab - p == 7 && !memcmp(p, "attempt", 7))
			st = HD_MAIL_UNCERTAIN;
		else if (tab - p == 4 && !memcmp(p, "sent", 4))
			st = HD_MAIL_SENT;
		else if (tab - p == 7 && !memcmp(p, "refused", 7))
			st = HD_MAIL_REFUSED;
		else if (tab - p == 6 && !memcmp(p, "failed", 6))
			st = HD_MAIL_NEW;
		else
			goto bad;
		key = tab + 1;
		kend = memchr(key, '\t', (size_t)(nl - key));
		if (!kend || kend == key)
			goto bad;
		if (set_state(j, unescape(key, kend), st))
			return HD_ENOMEM;
		p = nl + 1;
		continue;
bad:
		hd_diag_add(d, HD_ERROR, j->path, line, 0,
		            "give the journal of a mail merge, or a new file name",
		            "this is not a line of a send journal");
		return HD_EINPUT;
	}
	return HD_OK;
}

int hd_mail_journal_open(hd_mail_journal **out, const char *path, hd_diags *d)
{
	hd_mail_journal *j;
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int r;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (!path || !*path)
		return HD_EINVAL;
	j = calloc(1, sizeof(*j));
	if (!j || !(j->path = strdup(path))) {
		free(j);
		return HD_ENOMEM;
	}
	j->last_send = -1;
	j->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (j->fd < 0) {
		hd_diag_add(d, HD_ERROR, path, 0, 0, "give a file you may write, in a folder that exists",
		            "cannot open the send journal: %s", strerror(errno));
		r = HD_EIO;
		goto fail;
	}
	if (flock(j->fd, LOCK_EX | LOCK_NB)) {
		hd_diag_add(d, HD_ERROR, path, 0, 0,
		            "wait for the other run to finish; two runs must not share a journal",
		            "another handout is sending with this journal");
		r = HD_EIO;
		goto fail;
	}
	if (fstat(j->fd, &st) || !S_ISREG(st.st_mode)) {
		hd_diag_add(d, HD_ERROR, path, 0, 0, "give a regular file",
		            "the send journal is not a regular file");
		r = HD_EIO;
		goto fail;
	}
	r = hd_read_fd(&text, &len, j->fd, path, (size_t)1 << 30, d);
	if (r)
		goto fail;
	r = read_lines(j, text, len, d);
	if (r)
		goto fail;
	/* a torn last line: end it, so the next event starts a line of its own */
	if (len && text[len - 1] != '\n' && (write(j->fd, "\n", 1) != 1 || fdatasync(j->fd))) {
		hd_diag_add(d, HD_ERROR, path, 0, 0, NULL, "cannot write the send journal: %s",
		            strerror(errno));
		r = HD_EIO;
		goto fail;
	}
	free(text);
	*out = j;
	return HD_OK;
fail:
	free(text);
	hd_mail_journal_free(j);
	return r;
}

hd_mail_state hd_mail_journal_state(const hd_mail_journal *j, const char *key)
{
	const row *r = j && key ? find(j, key) : NULL;
	return r && r->key ? r->state : HD_MAIL_NEW;
}

void hd_mail_journal_free(hd_mail_journal *j)
{
	size_t i;
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd); /* releases the lock */
	for (i = 0; i < j->cap; i++)
		free(j->rows[i].key);
	free(j->rows);
	free(j->path);
	free(j);
}

/* Appends one event and makes it durable before returning. */
static int record(hd_mail_journal *j, const char *event, const char *key, const char *id,
                  const char *what, hd_mail_state st, hd_diags *d)
{
	hd_buf b = HD_BUF_INIT;
	size_t off = 0;
	int r = HD_OK;

	hd_buf_puts(&b, event);
	hd_buf_putc(&b, '\t');
	put_field(&b, key);
	hd_buf_putc(&b, '\t');
	put_field(&b, id);
	hd_buf_putc(&b, '\t');
	put_field(&b, what);
	hd_buf_putc(&b, '\n');
	if (b.oom) {
		hd_buf_free(&b);
		return HD_ENOMEM;
	}
	while (off < b.len) {
		ssize_t n = write(j->fd, b.data + off, b.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off < b.len || fdatasync(j->fd)) {
		hd_diag_add(d, HD_ERROR, j->path, 0, 0, "free some disk space, then run again: rows "
		            "already sent are not sent twice",
		            "cannot write the send journal: %s", strerror(errno ? errno : EIO));
		r = HD_EIO;
	} else if (set_state(j, key, st)) {
		r = HD_ENOMEM;
	}
	hd_buf_free(&b);
	return r;
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_for(double seconds)
{
	struct timespec ts;
	if (seconds <= 0)
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Waits until the rate limit lets one more message go. */
static void pace(hd_mail_journal *j, double per_minute)
{
	if (per_minute > 0 && j->last_send >= 0)
		sleep_for(j->last_send + 60.0 / per_minute - mono());
	j->last_send = mono();
}

int hd_mail_journal_send(hd_mail_state *state, hd_smtp_reply *reply, hd_mail_journal *j,
                         const char *key, const hd_mail *m, const hd_mail_send_options *o,
                         hd_diags *d)
{
	hd_mail_state st;
	unsigned tries;
	double delay;
	int r = HD_ESEND;

	if (!state || !reply)
		return HD_EINVAL;
	*state = HD_MAIL_NEW;
	memset(reply, 0, sizeof(*reply));
	if (!j || !key || !*key || !m || !o || o->version != HD_MAIL_SEND_OPTIONS_VERSION || !o->smtp)
		return HD_EINVAL;
	st = hd_mail_journal_state(j, key);
	if (st == HD_MAIL_SENT || st == HD_MAIL_REFUSED ||
	    (st == HD_MAIL_UNCERTAIN && !o->resend_uncertain)) {
		*state = st;
		return st == HD_MAIL_SENT ? HD_OK : HD_ESEND;
	}
	r = record(j, "attempt", key, hd_mail_message_id(m), hd_mail_recipient(m), HD_MAIL_UNCERTAIN, d);
	if (r)
		return r;
	delay = o->retry_delay_ms / 1000.0;
	for (tries = 0;; tries++) {
		hd_diags quiet = HD_DIAGS_INIT; /* a retried failure is not the row's error */
		pace(j, o->per_minute);
		r = hd_mail_send(reply, m, o->smtp, &quiet);
		if (r == HD_OK || !reply->temporary || r == HD_EINPUT || tries >= o->retries) {
			size_t i;
			for (i = 0; i < quiet.count; i++)
				hd_diag_add(d, quiet.items[i].severity, quiet.items[i].file, 0, 0,
				            quiet.items[i].hint[0] ? quiet.items[i].hint : NULL, "%s",
				            quiet.items[i].message);
			hd_diags_free(&quiet);
			break;
		}
		hd_diags_free(&quiet);
		sleep_for(delay);
		delay = delay * 2 > 600 ? 600 : delay * 2;
	}
	if (r == HD_OK) {
		*state = HD_MAIL_SENT;
		return record(j, "sent", key, hd_mail_message_id(m), reply->text, HD_MAIL_SENT, d);
	}
	if (r != HD_ESEND && r != HD_EINPUT) {
		/* nothing reached the server (out of memory before connecting) */
		record(j, "failed", key, hd_mail_message_id(m), hd_status_str(r), HD_MAIL_NEW, d);
		return r;
	}
	if (r == HD_ESEND && !reply->temporary) {
		*state = HD_MAIL_REFUSED;
		r = record(j, "refused", key, hd_mail_message_id(m), reply->text, HD_MAIL_REFUSED, d);
		return r ? r : HD_ESEND;
	}
	*state = HD_MAIL_NEW;
	{
		int was = r;
		r = record(j, "failed", key, hd_mail_message_id(m),
		           reply->text[0] ? reply->text : "not sent", HD_MAIL_NEW, d);
		return r ? r : was;
	}
}
