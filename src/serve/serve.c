/*
 * serve: the HTTP side of the therapist's desk (libmicrohttpd). Routes,
 * limits and the safety rules of issue 12:
 *
 *  - loopback only by default; another address needs the clinic's password
 *    (--password-file, a PBKDF2-SHA256 hash made by --hash-password) and a
 *    login, kept as an HttpOnly, SameSite=Strict cookie;
 *  - on loopback, a Host header other than this server's is refused (a web
 *    page cannot reach the desk by DNS rebinding);
 *  - every POST and every /api/ request carries this run's CSRF token in
 *    X-Handout-CSRF (the login form in a field); a cross-site Origin or
 *    Sec-Fetch-Site is refused too;
 *  - bodies over DESK_MAX_BODY are refused (413) before they are read;
 *    headers are bounded by the connection's memory; a connection idle for
 *    --timeout seconds is closed (slowloris);
 *  - a client id reaches the file system only after the library's
 *    client-id rule, and a file name only through hd_output_path; folders
 *    that are symbolic links are refused;
 *  - every answer has a Content-Security-Policy without inline script, no
 *    framing, nosniff, no referrer, no caching.
 *
 * Requests are served by a pool of threads sharing one engine (hd_render is
 * thread-safe on a loaded engine); each builds its own session.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <nettle/pbkdf2.h>

#include "desk.h"
#include "serve.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3, EXIT_INTERNAL = 4 };

#define PBKDF2_ITERATIONS 200000u
#define LOGIN_HOURS 12

const char *const HD_SERVE_HELP =
	"usage: handout serve [--listen ADDR:PORT] [--records DIR] [--password-file FILE]\n"
	"                     [--timeout SECONDS]\n"
	"       handout serve --hash-password < password.txt > desk.pass\n"
	"\n"
	"The therapist's desk: a web form that makes, previews, prints and saves the\n"
	"aftercare sheet, served by this program; open the address it prints.\n"
	"\n"
	"  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080: this computer\n"
	"                       only; port 0 picks a free one). Any other address\n"
	"                       opens the desk to the network and needs --password-file\n"
	"  --records DIR        the clients' records folders: DIR/<client number>/\n"
	"                       <date>.xml (default: records)\n"
	"  --password-file FILE the clinic's password, hashed (see --hash-password)\n"
	"  --hash-password      read a password from standard input, print its hash\n"
	"                       line for --password-file, and exit\n"
	"  --presets FILE       the clinic's programmes (default: <data>/presets/presets.xml)\n"
	"  --smtp URL           send emails: smtp://HOST:587 (STARTTLS) or smtps://HOST:465\n"
	"                       (see 'handout mail --help'); without it, Email gives the\n"
	"                       message as an .eml file for the clinic's mail program\n"
	"  --smtp-user NAME     log in as NAME; the password comes from\n"
	"  --smtp-password-file F  its first line (F must be yours, mode 600), or\n"
	"                       $HANDOUT_SMTP_PASSWORD\n"
	"  --smtp-ca FILE       trust the CA certificates in FILE (PEM) for the server\n"
	"  --timeout SECONDS    close a connection idle this long (default 15)\n"
	"\n"
	"Stop it with Ctrl+C.\n";

static desk D;

/* ----- small helpers -------------------------------------------------------------------- */

static void hex(char *out, const unsigned char *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int unhex(unsigned char *out, size_t max, const char *s, size_t *n)
{
	size_t len = strlen(s), i;
	if (len % 2 || len / 2 > max)
		return -1;
	for (i = 0; i < len / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i + 1]))
			return -1;
		out[i] = (unsigned char)v;
	}
	*n = len / 2;
	return 0;
}

static int random_bytes(unsigned char *out, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(out + got, n - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

/* Compares without stopping at the first difference (the time a wrong
 * token takes says nothing about the right one). */
static int same_secret(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned diff = (unsigned)(la ^ lb);
	for (i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return diff == 0 && la > 0;
}

static long now_s(void)
{
	return (long)time(NULL);
}

/* 1 when id follows the library's client-id rule (README, "Records
 * folders"): 1-64 letters, digits, '.', '_', '-', starting with a letter or
 * digit. The library's setter checked it already; the file system gets it
 * only after this second look. */
static int client_id_ok(const char *id)
{
	size_t n = strlen(id), i;
	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		char c = id[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || !strchr("._-", c)))
			return 0;
	}
	return 1;
}

/* ----- answers -------------------------------------------------------------------------- */

/* A Content-Disposition naming a file: the name (UTF-8, from hd_output_path:
 * letters, digits, '-', '_', '.') as filename*=UTF-8''... (RFC 6266) and,
 * for old readers, an ASCII filename with '_' for every other byte. */
static void disposition(char *out, size_t size, const char *how, const char *name)
{
	char ascii[200], pct[600];
	size_t i, a = 0, p = 0;
	for (i = 0; name[i] && a + 1 < sizeof(ascii) && p + 4 < sizeof(pct); i++) {
		unsigned char c = (unsigned char)name[i];
		int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		            c == '-' || c == '_' || c == '.';
		ascii[a++] = plain ? (char)c : '_';
		if (plain)
			pct[p++] = (char)c;
		else
			p += (size_t)snprintf(pct + p, sizeof(pct) - p, "%%%02X", c);
	}
	ascii[a] = pct[p] = '\0';
	snprintf(out, size, "%s; filename=\"%s\"; filename*=UTF-8''%s", how, ascii, pct);
}

static void secure(struct MHD_Response *r, int cacheable)
{
	MHD_add_response_header(r, "Content-Security-Policy",
		"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
		"connect-src 'self'; frame-src blob:; object-src blob:; form-action 'self'; "
		"base-uri 'none'; frame-ancestors 'none'");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
	MHD_add_response_header(r, "Cache-Control", cacheable ? "no-cache" : "no-store");
}

static enum MHD_Result send_bytes(struct MHD_Connection *c, unsigned status, const char *type,
                                  const void *data, size_t len, int copy, int cacheable,
                                  const char *disposition)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, (void *)data, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	if (disposition)
		MHD_add_response_header(r, "Content-Disposition", disposition);
	secure(r, cacheable);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	return send_bytes(c, status, "text/plain; charset=utf-8", text, strlen(text), 1, 0, NULL);
}

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, const char *type,
                                desk_buf *b)
{
	enum MHD_Result r;
	if (b->oom) {
		desk_buf_free(b);
		return send_text(c, 500, "out of memory\n");
	}
	r = send_bytes(c, status, type, b->data ? b->data : "", b->len, 1, 0, NULL);
	desk_buf_free(b);
	return r;
}

static enum MHD_Result send_json_diags(struct MHD_Connection *c, int lang, unsigned status, int ok,
                                       const hd_diags *diags, const char *extra)
{
	desk_buf b = { 0 };
	desk_json_diags(&b, lang, ok, diags, D.records, extra);
	return send_buf(c, status, "application/json; charset=utf-8", &b);
}

/* A problem only the desk finds, in the page's language: the words key and
 * key_hint of web/strings.txt, and after the message ": detail" when given. */
static enum MHD_Result send_problem(struct MHD_Connection *c, int lang, unsigned status,
                                    const char *field, int code, const char *key,
                                    const char *detail)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_diag g;
	enum MHD_Result r;
	char hint_key[64];
	const char *message = desk_word(&D, lang, key), *hint;
	snprintf(hint_key, sizeof(hint_key), "%s_hint", key);
	hint = desk_word(&D, lang, hint_key);
	memset(&g, 0, sizeof(g));
	g.severity = HD_ERROR;
	g.code = code;
	snprintf(g.field, sizeof(g.field), "%s", field ? field : "");
	snprintf(g.message, sizeof(g.message), "%s%s%s", message, detail ? ": " : "",
	         detail ? detail : "");
	snprintf(g.hint, sizeof(g.hint), "%s", hint);
	d.items = &g;
	d.count = d.cap = 1;
	d.nerrors = 1;
	r = send_json_diags(c, lang, status, 0, &d, NULL);
	return r;
}

static enum MHD_Result send_redirect(struct MHD_Connection *c, const char *to, const char *cookie)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Location", to);
	if (cookie)
		MHD_add_response_header(r, "Set-Cookie", cookie);
	secure(r, 0);
	ret = MHD_queue_response(c, 303, r);
	MHD_destroy_response(r);
	return ret;
}

/* ----- who may ask ---------------------------------------------------------------------- */

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* On loopback, the Host must be this server's (DNS rebinding). */
static int host_ok(struct MHD_Connection *c)
{
	const char *h = header(c, "Host");
	size_t i;
	if (D.lan)
		return 1;
	if (!h)
		return 0;
	for (i = 0; i < D.nallowed; i++)
		if (!strcasecmp(h, D.allowed_hosts[i]))
			return 1;
	return 0;
}

/* A request from another site: its Origin is not this server, or the
 * browser says so (Sec-Fetch-Site). */
static int cross_site(struct MHD_Connection *c)
{
	const char *origin = header(c, "Origin"), *site = header(c, "Sec-Fetch-Site");
	const char *host = header(c, "Host");
	if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
		return 1;
	if (origin) {
		if (!host || strncmp(origin, "http://", 7) || strcasecmp(origin + 7, host))
			return 1;
	}
	return 0;
}

static int csrf_ok(struct MHD_Connection *c, const char *form_token)
{
	const char *t = header(c, "X-Handout-CSRF");
	if (!t)
		t = form_token;
	return t && same_secret(t, D.csrf) && !cross_site(c);
}

static int logged_in(struct MHD_Connection *c)
{
	const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "hd_desk");
	long now = now_s();
	int ok = 0;
	size_t i;
	if (!D.lan)
		return 1;
	if (!cookie || strlen(cookie) != 64)
		return 0;
	pthread_mutex_lock(&D.lock);
	for (i = 0; i < sizeof(D.logins) / sizeof(D.logins[0]); i++)
		if (D.logins[i].expires > now && same_secret(cookie, D.logins[i].token))
			ok = 1;
	pthread_mutex_unlock(&D.lock);
	return ok;
}

static int password_ok(const char *password)
{
	unsigned char got[32];
	unsigned diff = 0;
	size_t i;
	pbkdf2_hmac_sha256(strlen(password), (const uint8_t *)password, D.pw_iterations,
	                   D.pw_salt_len, D.pw_salt, sizeof(got), got);
	for (i = 0; i < sizeof(got); i++)
		diff |= got[i] ^ D.pw_hash[i];
	return diff == 0;
}

/* ----- one request ------------------------------------------------------------------------ */

typedef struct request {
	desk_buf body;
	size_t seen;   /* bytes of body received, kept or not */
	int too_big;
	int answered;  /* refused before the body was read */
} request;

static int ui_lang(struct MHD_Connection *c)
{
	const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
	const char *al = header(c, "Accept-Language");
	if (q)
		return !strcmp(q, "es");
	return al && !strncasecmp(al, "es", 2);
}

static enum MHD_Result on_login(struct MHD_Connection *c, const desk_form *f, int lang)
{
	const char *pw = desk_form_get(f, "password");
	unsigned char raw[32];
	char token[65], cookie[160];
	long now = now_s();
	size_t i, slot = 0;
	int locked, ok;
	desk_buf b = { 0 };

	pthread_mutex_lock(&D.lock);
	locked = D.locked_until > now;
	pthread_mutex_unlock(&D.lock);
	ok = !locked && pw && strlen(pw) < 1024 && password_ok(pw);
	if (!ok) {
		pthread_mutex_lock(&D.lock);
		/* after 5 wrong passwords, none is tried for 30 s */
		if (!locked && ++D.failed_logins >= 5) {
			D.failed_logins = 0;
			D.locked_until = now + 30;
		}
		pthread_mutex_unlock(&D.lock);
		desk_login_page(&b, &D, lang, desk_word(&D, lang, "login_wrong"));
		return send_buf(c, 403, "text/html; charset=utf-8", &b);
	}
	if (random_bytes(raw, sizeof(raw)))
		return send_text(c, 500, "no randomness\n");
	hex(token, raw, sizeof(raw));
	pthread_mutex_lock(&D.lock);
	D.failed_logins = 0;
	for (i = 0; i < sizeof(D.logins) / sizeof(D.logins[0]); i++)
		if (D.logins[i].expires < D.logins[slot].expires)
			slot = i;
	memcpy(D.logins[slot].token, token, sizeof(token));
	D.logins[slot].expires = now + LOGIN_HOURS * 3600;
	pthread_mutex_unlock(&D.lock);
	snprintf(cookie, sizeof(cookie), "hd_desk=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d",
	         token, LOGIN_HOURS * 3600);
	return send_redirect(c, lang ? "/?lang=es" : "/", cookie);
}

/* The client's records folder, DIR/<id>, after the client-id rule; NULL
 * when there is no records folder or the id breaks the rule. */
static char *client_dir(const char *id)
{
	char *path;
	if (!D.records || !id || !client_id_ok(id))
		return NULL;
	path = malloc(strlen(D.records) + strlen(id) + 2);
	if (path)
		sprintf(path, "%s/%s", D.records, id);
	return path;
}

/* 1 when path is a real folder (not a symbolic link to one). */
static int is_real_dir(const char *path)
{
	struct stat st;
	return !lstat(path, &st) && S_ISDIR(st.st_mode);
}

static enum MHD_Result on_sheet(struct MHD_Connection *c, const desk_form *f)
{
	hd_session *s = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_output out;
	struct timeval t0, t1;
	enum MHD_Result ret;
	int r, lang = desk_form_lang(f);

	gettimeofday(&t0, NULL);
	r = desk_session(&s, &D, f, &d);
	if (!r)
		r = hd_render(&out, D.engine, HD_KIND_AFTERCARE, s, NULL, &d);
	if (r) {
		ret = send_json_diags(c, lang, r == HD_ENOMEM ? 500 : 422, 0, &d, NULL);
	} else {
		struct MHD_Response *resp;
		char *name = NULL, disp[900], ms[32];
		gettimeofday(&t1, NULL);
		hd_output_path(&name, NULL, hd_session_client(s), ".pdf");
		disposition(disp, sizeof(disp), "inline", name ? name : "sheet.pdf");
		snprintf(ms, sizeof(ms), "%.2f",
		         (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_usec - t0.tv_usec) / 1e3);
		free(name);
		resp = MHD_create_response_from_buffer(out.pdf_len, out.pdf, MHD_RESPMEM_MUST_FREE);
		if (!resp) {
			hd_output_free(&out);
			ret = MHD_NO;
		} else {
			out.pdf = NULL;
			hd_output_free(&out);
			MHD_add_response_header(resp, "Content-Type", "application/pdf");
			MHD_add_response_header(resp, "Content-Disposition", disp);
			MHD_add_response_header(resp, "Server-Timing", ms); /* ms to build and render */
			MHD_add_response_header(resp, "X-Handout-Render-Ms", ms);
			secure(resp, 0);
			ret = MHD_queue_response(c, 200, resp);
			MHD_destroy_response(resp);
		}
	}
	hd_session_free(s);
	hd_diags_free(&d);
	return ret;
}

static enum MHD_Result send_pdf(struct MHD_Connection *c, hd_output *out, const char *name)
{
	struct MHD_Response *resp;
	char disp[900];
	enum MHD_Result ret;
	disposition(disp, sizeof(disp), "inline", name);
	resp = MHD_create_response_from_buffer(out->pdf_len, out->pdf, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		hd_output_free(out);
		return MHD_NO;
	}
	out->pdf = NULL;
	hd_output_free(out);
	MHD_add_response_header(resp, "Content-Type", "application/pdf");
	MHD_add_response_header(resp, "Content-Disposition", disp);
	secure(resp, 0);
	ret = MHD_queue_response(c, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Email: the sheet to the client's address, through the library's mail
 * feature (hd_mail_new), optionally protected with a password typed on the
 * desk (never stored). Sent with --smtp; else the message is given back as
 * an .eml file for the clinic's mail program. */
static enum MHD_Result on_mail(struct MHD_Connection *c, const desk_form *f)
{
	hd_session *s = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_output out;
	hd_mail *m = NULL;
	hd_mail_options mo = HD_MAIL_OPTIONS_INIT;
	const char *pw = desk_form_get(f, "mail_password");
	const char *protect = desk_form_get(f, "mail_protect");
	enum MHD_Result ret;
	int r, lang = desk_form_lang(f);

	memset(&out, 0, sizeof(out));
	if (protect && pw && *pw)
		mo.password = pw;
	else if (protect) {
		ret = send_problem(c, lang, 422, "mail_password", HD_DIAG_MISSING, "e_mail_password", NULL);
		goto done;
	}
	r = desk_session(&s, &D, f, &d);
	if (!r && (!desk_form_get(f, "email") || !*desk_form_get(f, "email"))) {
		ret = send_problem(c, lang, 422, "email", HD_DIAG_MISSING, "e_email", NULL);
		goto done;
	}
	if (!r)
		r = hd_render(&out, D.engine, HD_KIND_AFTERCARE, s, NULL, &d);
	if (!r)
		r = hd_mail_new(&m, D.engine, s, out.pdf, out.pdf_len, &mo, &d);
	if (r) {
		ret = send_json_diags(c, lang, r == HD_ENOMEM ? 500 : 422, 0, &d, NULL);
		goto done;
	}
	if (D.smtp.url) {
		hd_smtp_reply reply;
		r = hd_mail_send(&reply, m, &D.smtp, &d);
		if (r) {
			ret = send_json_diags(c, lang, 502, 0, &d, NULL);
		} else {
			desk_buf b = { 0 };
			desk_puts(&b, ",\"message\":");
			{
				char msg[900];
				snprintf(msg, sizeof(msg), "%s %s (%s)", desk_word(&D, lang, "sent_to"),
				         hd_mail_recipient(m), reply.text);
				desk_put_json(&b, msg);
			}
			ret = send_json_diags(c, lang, 200, 1, &d, b.data ? b.data : "");
			desk_buf_free(&b);
		}
	} else {
		const unsigned char *bytes;
		size_t len;
		char disp[900], *name = NULL;
		hd_mail_bytes(&bytes, &len, m);
		hd_output_path(&name, NULL, hd_session_client(s), ".eml");
		disposition(disp, sizeof(disp), "attachment", name ? name : "sheet.eml");
		free(name);
		ret = send_bytes(c, 200, "message/rfc822", bytes, len, 1, 0, disp);
	}
done:
	hd_mail_free(m);
	hd_output_free(&out);
	hd_session_free(s);
	hd_diags_free(&d);
	return ret;
}

static enum MHD_Result on_report(struct MHD_Connection *c, const desk_form *f)
{
	const char *id = desk_form_get(f, "client_id");
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_output out;
	char *dir, name[120];
	enum MHD_Result ret;
	int lang = desk_form_lang(f);

	if (!D.records)
		return send_problem(c, lang, 409, "client_id", HD_DIAG_MISSING, "e_no_records", NULL);
	if (!id || !*id)
		return send_problem(c, lang, 422, "client_id", HD_DIAG_MISSING, "e_id", NULL);
	dir = client_dir(id);
	if (!dir)
		return send_problem(c, lang, 422, "client_id", HD_DIAG_BAD_VALUE, "e_id_bad", NULL);
	if (!is_real_dir(dir)) {
		free(dir);
		return send_problem(c, lang, 404, "client_id", HD_DIAG_MISSING, "e_no_history", NULL);
	}
	if (hd_render_report(&out, D.engine, dir, &ro, HD_RENDER_PDF, &d)) {
		ret = send_json_diags(c, lang, 422, 0, &d, NULL);
	} else {
		snprintf(name, sizeof(name), "%s-report.pdf", id);
		ret = send_pdf(c, &out, name);
	}
	free(dir);
	hd_diags_free(&d);
	return ret;
}

/* Saves the session as DIR/<client id>/<date>[-HHMM].xml, atomically. The
 * same visit (date and time) saved again replaces its record. */
static enum MHD_Result on_save(struct MHD_Connection *c, const desk_form *f)
{
	hd_session *s = NULL;
	hd_diags d = HD_DIAGS_INIT;
	const char *id, *date = desk_form_get(f, "date"), *tm = desk_form_get(f, "time");
	char *dir = NULL, *path = NULL, *xml = NULL, stem[32], extra[600];
	size_t len;
	struct stat st;
	int r, replaced, lang = desk_form_lang(f);
	enum MHD_Result ret;

	if (!D.records)
		return send_problem(c, lang, 409, "", HD_DIAG_IO, "e_no_records", NULL);
	r = desk_session(&s, &D, f, &d);
	id = s ? hd_session_client_id(s) : NULL;
	if (!r && !id) {
		ret = send_problem(c, lang, 422, "client_id", HD_DIAG_MISSING, "e_id_save", NULL);
		goto done;
	}
	if (!r)
		r = hd_session_write_xml(&xml, &len, s, &d);
	if (r) {
		ret = send_json_diags(c, lang, r == HD_ENOMEM ? 500 : 422, 0, &d, NULL);
		goto done;
	}
	/* the name: the date (and time) the library accepted, YYYY-MM-DD[-HHMM] */
	while (date && *date == ' ')
		date++;
	while (tm && *tm == ' ')
		tm++;
	snprintf(stem, sizeof(stem), "%.10s", date ? date : "");
	if (tm && strlen(tm) >= 5 && tm[2] == ':')
		snprintf(stem + 10, sizeof(stem) - 10, "-%c%c%c%c", tm[0], tm[1], tm[3], tm[4]);
	dir = client_dir(id);
	if (!dir || hd_output_path(&path, dir, stem, ".xml")) {
		ret = send_problem(c, lang, 422, "client_id", HD_DIAG_BAD_VALUE, "e_id_bad_save", NULL);
		goto done;
	}
	if (mkdir(dir, 0700) && errno != EEXIST) {
		ret = send_problem(c, lang, 500, "", HD_DIAG_IO, "e_mkdir", strerror(errno));
		goto done;
	}
	if (!is_real_dir(dir)) {
		ret = send_problem(c, lang, 409, "client_id", HD_DIAG_IO, "e_not_dir", NULL);
		goto done;
	}
	replaced = !lstat(path, &st);
	if (hd_write_file_atomic(path, xml, len, &d)) {
		ret = send_json_diags(c, lang, 500, 0, &d, NULL);
		goto done;
	}
	/* the folder as the progress report will read it */
	hd_validate_records(D.engine, dir, &d);
	{
		desk_buf b = { 0 };
		const char *shown = path + strlen(D.records);
		while (*shown == '/')
			shown++;
		desk_puts(&b, ",\"path\":");
		desk_put_json(&b, shown);
		desk_printf(&b, ",\"replaced\":%s", replaced ? "true" : "false");
		snprintf(extra, sizeof(extra), "%s", b.data ? b.data : "");
		desk_buf_free(&b);
	}
	ret = send_json_diags(c, lang, 200, 1, &d, extra);
done:
	free(xml);
	free(path);
	free(dir);
	hd_session_free(s);
	hd_diags_free(&d);
	return ret;
}

/* The newest record file of a client folder (names start with the date, so
 * the greatest name), into out; 0 when there is none. */
static int newest_record(const char *dir, char *out, size_t size)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	int found = 0;
	if (!dh)
		return 0;
	while ((e = readdir(dh)) != NULL) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n < 5 || strcmp(e->d_name + n - 4, ".xml") || n >= size)
			continue;
		if (!found || strcmp(e->d_name, out) > 0) {
			memcpy(out, e->d_name, n + 1);
			found = 1;
		}
	}
	closedir(dh);
	return found;
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;
	if (!n)
		return 1;
	for (i = 0; hay[i]; i++)
		if (!strncasecmp(hay + i, needle, n))
			return 1;
	return 0;
}

/* GET /api/clients?q=...: clients of the records folder whose name or
 * number contains q, with the date of their last visit. */
static enum MHD_Result on_clients(struct MHD_Connection *c)
{
	const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
	desk_buf b = { 0 };
	DIR *dh;
	struct dirent *e;
	size_t n = 0;

	desk_puts(&b, "{\"clients\":[");
	if (D.records && q && strlen(q) <= 100 && (dh = opendir(D.records)) != NULL) {
		while (n < DESK_MAX_CLIENTS && (e = readdir(dh)) != NULL) {
			char *dir, file[256], *path;
			hd_session *s = NULL;
			hd_diags d = HD_DIAGS_INIT;
			if (!client_id_ok(e->d_name) || !(dir = client_dir(e->d_name)))
				continue;
			if (is_real_dir(dir) && newest_record(dir, file, sizeof(file)) &&
			    (path = malloc(strlen(dir) + strlen(file) + 2))) {
				sprintf(path, "%s/%s", dir, file);
				if (!hd_session_load_file(&s, D.engine, path, &d) &&
				    (contains_ci(hd_session_client(s), q) || contains_ci(e->d_name, q))) {
					desk_puts(&b, n++ ? ",{\"id\":" : "{\"id\":");
					desk_put_json(&b, e->d_name);
					desk_puts(&b, ",\"name\":");
					desk_put_json(&b, hd_session_client(s));
					desk_puts(&b, ",\"last\":");
					file[10] = '\0';
					desk_put_json(&b, file);
					desk_puts(&b, "}");
				}
				hd_session_free(s);
				free(path);
			}
			hd_diags_free(&d);
			free(dir);
		}
		closedir(dh);
	}
	desk_puts(&b, "]}");
	return send_buf(c, 200, "application/json; charset=utf-8", &b);
}

static enum MHD_Result route(struct MHD_Connection *c, const char *url, const char *method,
                             request *rq)
{
	int post = !strcmp(method, "POST"), lang = ui_lang(c);
	desk_form f;
	enum MHD_Result ret;

	if (!host_ok(c))
		return send_text(c, 421, "this desk answers only to its own address\n");
	if (!strcmp(url, "/desk.css") || !strcmp(url, "/desk.js")) {
		size_t len;
		const char *data = desk_asset(url + 1, &len);
		if (post)
			return send_text(c, 405, "method not allowed\n");
		return send_bytes(c, 200,
		                  url[6] == 'c' ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
		                  data, len, 0, 1, NULL);
	}
	if (!strcmp(url, "/login") && D.lan) {
		desk_buf b = { 0 };
		if (!post) {
			desk_login_page(&b, &D, lang, "");
			return send_buf(c, 200, "text/html; charset=utf-8", &b);
		}
		if (desk_form_parse(&f, rq->body.data ? rq->body.data : "", rq->body.len))
			return send_text(c, 400, "a malformed form\n");
		if (!csrf_ok(c, desk_form_get(&f, "csrf")))
			ret = send_text(c, 403, "refused: the request did not come from the desk's page\n");
		else
			ret = on_login(c, &f, lang);
		desk_form_free(&f);
		return ret;
	}
	if (!logged_in(c)) {
		if (!post && !strcmp(url, "/"))
			return send_redirect(c, "/login", NULL);
		return send_text(c, 401, "log in first, at /login\n");
	}
	if (!strcmp(url, "/")) {
		desk_buf b = { 0 };
		if (post)
			return send_text(c, 405, "method not allowed\n");
		if (desk_page(&b, &D, lang))
			return send_text(c, 500, "the page could not be made\n");
		return send_buf(c, 200, "text/html; charset=utf-8", &b);
	}
	if (strncmp(url, "/api/", 5))
		return send_text(c, 404, "not found\n");
	if (!csrf_ok(c, NULL))
		return send_text(c, 403, "refused: the request did not come from the desk's page\n");
	if (!strcmp(url, "/api/clients"))
		return post ? send_text(c, 405, "method not allowed\n") : on_clients(c);
	if (!post)
		return send_text(c, 405, "method not allowed\n");
	{
		const char *type = header(c, "Content-Type");
		if (!type || strncasecmp(type, "application/x-www-form-urlencoded", 33))
			return send_text(c, 415, "send the form as application/x-www-form-urlencoded\n");
	}
	if (desk_form_parse(&f, rq->body.data ? rq->body.data : "", rq->body.len))
		return send_text(c, 400, "a malformed form (a bad %-escape or too many fields)\n");
	if (!strcmp(url, "/api/sheet"))
		ret = on_sheet(c, &f);
	else if (!strcmp(url, "/api/save"))
		ret = on_save(c, &f);
	else if (!strcmp(url, "/api/report"))
		ret = on_report(c, &f);
	else if (!strcmp(url, "/api/mail"))
		ret = on_mail(c, &f);
	else
		ret = send_text(c, 404, "not found\n");
	desk_form_free(&f);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size, void **ctx)
{
	request *rq = *ctx;
	(void)cls;
	(void)version;
	if (!rq) {
		const char *cl;
		if (strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "POST"))
			return send_text(c, 405, "method not allowed\n");
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		*ctx = rq;
		cl = header(c, "Content-Length");
		if (cl && (strlen(cl) > 12 || strtoull(cl, NULL, 10) > DESK_MAX_BODY)) {
			rq->too_big = rq->answered = 1;
			return send_text(c, 413, "the request is too large\n");
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* Over the limit, the rest is read and dropped (up to 16 times the
		 * limit, so that the 413 can be sent: libmicrohttpd answers only
		 * once the body is in) and the connection closed beyond that. */
		rq->seen += *upload_data_size;
		if (rq->too_big || rq->body.len + *upload_data_size > DESK_MAX_BODY) {
			rq->too_big = 1;
			*upload_data_size = 0;
			return rq->seen > 16u * DESK_MAX_BODY ? MHD_NO : MHD_YES;
		}
		desk_put(&rq->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return rq->body.oom ? MHD_NO : MHD_YES;
	}
	if (rq->too_big)
		return rq->answered ? MHD_YES : send_text(c, 413, "the request is too large\n");
	return route(c, url, method, rq);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx,
                         enum MHD_RequestTerminationCode why)
{
	request *rq = *ctx;
	(void)cls;
	(void)c;
	(void)why;
	if (rq) {
		desk_buf_free(&rq->body);
		free(rq);
		*ctx = NULL;
	}
}

/* ----- the command -------------------------------------------------------------------------- */

static int hash_password(void)
{
	char line[1100], saltx[65], hashx[65];
	unsigned char salt[16], h[32];
	size_t n;
	if (!fgets(line, sizeof(line), stdin)) {
		fputs("handout serve: error: no password on standard input\n", stderr);
		return EXIT_USAGE;
	}
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	if (n < 8 || n >= 1024) {
		fputs("handout serve: error: the password must be 8 to 1023 characters\n", stderr);
		return EXIT_USAGE;
	}
	if (random_bytes(salt, sizeof(salt)))
		return EXIT_INTERNAL;
	pbkdf2_hmac_sha256(n, (const uint8_t *)line, PBKDF2_ITERATIONS, sizeof(salt), salt, sizeof(h), h);
	hex(saltx, salt, sizeof(salt));
	hex(hashx, h, sizeof(h));
	printf("pbkdf2-sha256$%u$%s$%s\n", PBKDF2_ITERATIONS, saltx, hashx);
	return 0;
}

static int read_password_file(const char *path)
{
	char line[512], *it, *salt, *hash, *end;
	size_t n;
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "%s: error: cannot read the password file: %s\n", path, strerror(errno));
		return EXIT_IO;
	}
	if (!fgets(line, sizeof(line), fp))
		line[0] = '\0';
	fclose(fp);
	line[strcspn(line, "\r\n")] = '\0';
	if (strncmp(line, "pbkdf2-sha256$", 14) || !(it = line + 14) || !(salt = strchr(it, '$')) ||
	    !(hash = strchr(salt + 1, '$')))
		goto bad;
	*salt++ = '\0';
	*hash++ = '\0';
	D.pw_iterations = (unsigned)strtoul(it, &end, 10);
	if (*end || D.pw_iterations < 1000 || unhex(D.pw_salt, sizeof(D.pw_salt), salt, &D.pw_salt_len) ||
	    D.pw_salt_len < 8 || unhex(D.pw_hash, sizeof(D.pw_hash), hash, &n) || n != 32)
		goto bad;
	return 0;
bad:
	fprintf(stderr, "%s: error: not a password hash line\n"
	                "  hint: make it with: handout serve --hash-password < password.txt > %s\n",
	        path, path);
	return EXIT_INPUT;
}

/* Parses ADDR:PORT (ADDR numeric IPv4, [IPv6] or localhost) into ss. */
static int parse_listen(const char *arg, struct sockaddr_storage *ss, socklen_t *sl, int *loopback)
{
	char host[128];
	const char *colon = strrchr(arg, ':');
	unsigned long port;
	char *end;
	size_t hl;
	struct addrinfo hints, *res = NULL;

	if (!colon)
		return -1;
	port = strtoul(colon + 1, &end, 10);
	if (*end || colon[1] == '\0' || port > 65535)
		return -1;
	hl = (size_t)(colon - arg);
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, arg, hl);
	host[hl] = '\0';
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	if (!strcmp(host, "localhost") || !*host)
		strcpy(host, "127.0.0.1");
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, "0", &hints, &res) || !res)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sl = res->ai_addrlen;
	freeaddrinfo(res);
	if (ss->ss_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		in->sin_port = htons((uint16_t)port);
		*loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		in6->sin6_port = htons((uint16_t)port);
		*loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return 0;
}

int hd_serve_command(int argc, char **argv, const char *data_dir,
                     int (*open_engine)(hd_engine **engine, const char *data_dir))
{
	const char *listen = "127.0.0.1:8080", *records = "records", *pwfile = NULL;
	const char *presets = NULL, *smtp_url = NULL, *smtp_user = NULL, *smtp_pwfile = NULL;
	const char *smtp_ca = NULL;
	char *default_presets = NULL;
	unsigned timeout = 15;
	struct sockaddr_storage ss;
	socklen_t sl;
	int loopback = 0, i, rc = 0, sig;
	unsigned char raw[32];
	struct MHD_Daemon *daemon;
	const union MHD_DaemonInfo *info;
	unsigned port;
	char shown[160];
	sigset_t set;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(HD_SERVE_HELP, stdout);
			return 0;
		} else if (!strcmp(a, "--hash-password")) {
			return hash_password();
		} else if (!strcmp(a, "--listen") && i + 1 < argc) {
			listen = argv[++i];
		} else if (!strcmp(a, "--records") && i + 1 < argc) {
			records = argv[++i];
		} else if (!strcmp(a, "--smtp") && i + 1 < argc) {
			smtp_url = argv[++i];
		} else if (!strcmp(a, "--smtp-user") && i + 1 < argc) {
			smtp_user = argv[++i];
		} else if (!strcmp(a, "--smtp-password-file") && i + 1 < argc) {
			smtp_pwfile = argv[++i];
		} else if (!strcmp(a, "--smtp-ca") && i + 1 < argc) {
			smtp_ca = argv[++i];
		} else if (!strcmp(a, "--presets") && i + 1 < argc) {
			presets = argv[++i];
		} else if (!strcmp(a, "--password-file") && i + 1 < argc) {
			pwfile = argv[++i];
		} else if (!strcmp(a, "--timeout") && i + 1 < argc) {
			char *end;
			unsigned long t = strtoul(argv[++i], &end, 10);
			if (*end || t < 1 || t > 3600) {
				fputs("handout serve: error: --timeout takes 1 to 3600 seconds\n", stderr);
				return EXIT_USAGE;
			}
			timeout = (unsigned)t;
		} else {
			fprintf(stderr, "handout serve: error: unknown option '%s'\n%s", a, HD_SERVE_HELP);
			return EXIT_USAGE;
		}
	}
	if (parse_listen(listen, &ss, &sl, &loopback)) {
		fprintf(stderr, "handout serve: error: '%s' is not an address and port\n"
		                "  hint: write it as 127.0.0.1:8080, [::1]:8080 or 192.168.1.20:8080\n",
		        listen);
		return EXIT_USAGE;
	}
	if (!loopback && !pwfile) {
		fprintf(stderr, "handout serve: error: %s is reachable from other computers; the desk "
		                "shows clients' health information, so it needs the clinic's password there\n"
		                "  hint: handout serve --hash-password < password.txt > desk.pass, then "
		                "add --password-file desk.pass (or listen on 127.0.0.1)\n", listen);
		return EXIT_USAGE;
	}
	if ((smtp_user || smtp_pwfile || smtp_ca) && !smtp_url) {
		fputs("handout serve: error: --smtp-user, --smtp-password-file and --smtp-ca need "
		      "--smtp URL\n", stderr);
		return EXIT_USAGE;
	}
	memset(&D, 0, sizeof(D));
	pthread_mutex_init(&D.lock, NULL);
	{
		hd_smtp_options so = HD_SMTP_OPTIONS_INIT;
		D.smtp = so;
	}
	D.smtp.url = smtp_url;
	D.smtp.user = smtp_user;
	D.smtp.ca_file = smtp_ca;
	if (smtp_user) {
		const char *env = getenv("HANDOUT_SMTP_PASSWORD");
		if (smtp_pwfile) {
			hd_diags sd = HD_DIAGS_INIT;
			int r = hd_read_secret(&D.smtp_password, smtp_pwfile, &sd);
			size_t k;
			for (k = 0; k < sd.count; k++) {
				char line[1600];
				hd_diag_format(line, sizeof(line), &sd.items[k]);
				fprintf(stderr, "%s\n", line);
			}
			hd_diags_free(&sd);
			if (r)
				return r == HD_EIO ? EXIT_IO : EXIT_INPUT;
			D.smtp.password = D.smtp_password;
		} else if (env && *env) {
			D.smtp.password = env;
		} else {
			fputs("handout serve: error: no password for --smtp-user\n"
			      "  hint: set HANDOUT_SMTP_PASSWORD, or give --smtp-password-file FILE\n", stderr);
			return EXIT_USAGE;
		}
	}
	D.lan = !loopback;
	if (pwfile && (rc = read_password_file(pwfile)) != 0)
		return rc;
	if (!is_real_dir(records) && mkdir(records, 0700)) {
		fprintf(stderr, "%s: error: cannot make the records folder: %s\n", records, strerror(errno));
		return EXIT_IO;
	}
	if (!is_real_dir(records)) {
		fprintf(stderr, "%s: error: the records folder is not a folder (a link or a file)\n", records);
		return EXIT_IO;
	}
	D.records = strdup(records);
	if (random_bytes(raw, sizeof(raw)) || !D.records || desk_words_load(&D))
		return EXIT_INTERNAL;
	hex(D.csrf, raw, sizeof(raw));
	rc = open_engine(&D.engine, data_dir);
	if (rc)
		return rc == HD_ENOMEM || rc == HD_EFONT ? EXIT_INTERNAL : rc == HD_EIO ? EXIT_IO : EXIT_INPUT;
	/* The programmes: the file given, else the data folder's, if it has one. */
	if (!presets) {
		const char *dd = hd_engine_data_dir(D.engine);
		struct stat st;
		default_presets = malloc(strlen(dd) + 32);
		if (default_presets) {
			sprintf(default_presets, "%s/presets/presets.xml", dd);
			if (!stat(default_presets, &st))
				presets = default_presets;
		}
	}
	if (presets) {
		hd_diags pd = HD_DIAGS_INIT;
		size_t k;
		rc = hd_presets_load(&D.presets, D.engine, presets, &pd);
		for (k = 0; k < pd.count; k++) {
			char line[1600];
			hd_diag_format(line, sizeof(line), &pd.items[k]);
			fprintf(stderr, "%s\n", line);
		}
		hd_diags_free(&pd);
		free(default_presets);
		if (rc) {
			hd_engine_free(D.engine);
			return rc == HD_EIO ? EXIT_IO : rc == HD_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
		}
	}

	/* Signals go to this thread only (sigwait below), not to the workers. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG |
			(ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, on_request, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4,
		MHD_OPTION_CONNECTION_TIMEOUT, timeout,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)900,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)256,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_END);
	if (!daemon) {
		fprintf(stderr, "handout serve: error: cannot listen on %s: %s\n"
		                "  hint: is another program using the port? try --listen 127.0.0.1:0\n",
		        listen, strerror(errno));
		hd_presets_free(D.presets);
		hd_engine_free(D.engine);
		return EXIT_IO;
	}
	info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : 0;
	{
		char host[INET6_ADDRSTRLEN];
		if (ss.ss_family == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
			snprintf(shown, sizeof(shown), "%s:%u", host, port);
		} else {
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
			snprintf(shown, sizeof(shown), "[%s]:%u", host, port);
		}
		snprintf(D.allowed_hosts[0], sizeof(D.allowed_hosts[0]), "%s", shown);
		snprintf(D.allowed_hosts[1], sizeof(D.allowed_hosts[1]), "localhost:%u", port);
		snprintf(D.allowed_hosts[2], sizeof(D.allowed_hosts[2]), "127.0.0.1:%u", port);
		snprintf(D.allowed_hosts[3], sizeof(D.allowed_hosts[3]), "[::1]:%u", port);
		D.nallowed = 4;
	}
	printf("handout serve: the desk is at http://%s/\n", shown);
	if (D.lan)
		printf("handout serve: open to the network: the clinic's password (%s) is asked for\n",
		       pwfile);
	else
		printf("handout serve: this computer only (listening on loopback)\n");
	printf("handout serve: records are saved in %s/<client number>/; Ctrl+C stops\n", D.records);
	fflush(stdout);
	sigwait(&set, &sig);
	MHD_stop_daemon(daemon);
	hd_secret_free(D.smtp_password);
	hd_presets_free(D.presets);
	hd_engine_free(D.engine);
	desk_words_free(&D);
	free(D.records);
	return 0;
}
