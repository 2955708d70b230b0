/*
 * smtp: sending one message with libcurl.
 *
 * The rules (README, "Email"): smtp:// upgrades with STARTTLS and refuses
 * to go on without it, except to a loopback address, where nothing leaves
 * the machine; smtps:// is TLS from the start; certificates are verified
 * (against the system's CAs, or ca_file). A password never comes in the
 * URL. What the server said last, before QUIT, is the answer reported.
 */
#include "mail.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_started = CURLE_FAILED_INIT;

static void curl_start(void)
{
	curl_started = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* What the upload reads from. */
typedef struct upload {
	const char *data;
	size_t len, off;
} upload;

static size_t read_cb(char *buf, size_t size, size_t n, void *ctx)
{
	upload *u = ctx;
	size_t want = size * n, left = u->len - u->off;
	if (want > left)
		want = left;
	memcpy(buf, u->data + u->off, want);
	u->off += want;
	return want;
}

/* The conversation as libcurl sees it: the server's last reply line before
 * we said QUIT. */
typedef struct talk {
	char last[512];
	int quitting;
} talk;

static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *ctx)
{
	talk *t = ctx;
	(void)h;
	if (type == CURLINFO_HEADER_OUT && size >= 4 && !strncasecmp(data, "QUIT", 4))
		t->quitting = 1;
	if (type == CURLINFO_HEADER_IN && !t->quitting && size >= 3) {
		size_t n = size;
		while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
			n--;
		if (n >= sizeof(t->last))
			n = sizeof(t->last) - 1;
		memcpy(t->last, data, n);
		t->last[n] = '\0';
	}
	return 0;
}

/* 1 when host (as curl gives it: "[::1]" for IPv6) is this machine's
 * loopback: localhost, 127.0.0.0/8 or ::1. Only literal names count: a
 * name that resolves to 127.0.0.1 elsewhere is not trusted to. */
static int is_loopback(const char *host)
{
	unsigned a, b, c, dd;
	char tail;
	if (!strcasecmp(host, "localhost") || !strcmp(host, "[::1]") || !strcmp(host, "::1"))
		return 1;
	return sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &dd, &tail) == 4 && a == 127 && b < 256 &&
	       c < 256 && dd < 256;
}

/* Writes the server's reply (or what failed) into r: code, text, and
 * whether trying again later may work. */
static void set_reply(hd_smtp_reply *r, const talk *t, CURLcode rc, const char *errbuf)
{
	int code = 0;
	if (t->last[0] >= '2' && t->last[0] <= '5' && sscanf(t->last, "%3d", &code) == 1 &&
	    (t->last[3] == ' ' || t->last[3] == '-' || t->last[3] == '\0'))
		r->code = code;
	if (rc == CURLE_OK || (r->code >= 400 && t->last[0])) {
		/* the server's own words: "250 2.0.0 Ok: queued as 4F2A1", "550 5.1.1 no such user" */
		snprintf(r->text, sizeof(r->text), "%s", t->last);
	} else {
		snprintf(r->text, sizeof(r->text), "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		r->code = 0;
	}
	switch (rc) {
	case CURLE_OK:
		r->temporary = 0;
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_WEIRD_SERVER_REPLY:
		/* a dropped connection, or a 4xx reply: the server did not take it */
		r->temporary = r->code == 0 || (r->code >= 400 && r->code < 500);
		break;
	default:
		/* a 5xx reply, TLS refused or unverifiable, login denied */
		r->temporary = r->code >= 400 && r->code < 500;
		break;
	}
}

int hd_smtp_send(hd_smtp_reply *reply, const char *msg, size_t len, const char *from_addr,
                 const char *to_addr, const hd_smtp_options *o, hd_diags *d)
{
	CURL *h = NULL;
	CURLU *u = NULL;
	struct curl_slist *rcpt = NULL;
	char *scheme = NULL, *host = NULL, *user = NULL, from[300], to[300], errbuf[CURL_ERROR_SIZE];
	upload up = { msg, len, 0 };
	talk t;
	CURLcode rc;
	int r = HD_EINPUT, tls_all, loop;

	memset(reply, 0, sizeof(*reply));
	memset(&t, 0, sizeof(t));
	errbuf[0] = '\0';
	pthread_once(&curl_once, curl_start);
	if (curl_started != CURLE_OK)
		return HD_ENOMEM;
	u = curl_url();
	if (!u)
		return HD_ENOMEM;
	if (!o->url || curl_url_set(u, CURLUPART_URL, o->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    (strcmp(scheme, "smtp") && strcmp(scheme, "smtps"))) {
		hd_diag_add(d, HD_ERROR, NULL, 0, 0,
		            "write smtp://HOST:587 (STARTTLS) or smtps://HOST:465 (TLS)",
		            "'%s' is not an SMTP server address", o->url ? o->url : "");
		goto cleanup;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		hd_diag_add(d, HD_ERROR, NULL, 0, 0,
		            "give the user name with --smtp-user and the password in HANDOUT_SMTP_PASSWORD "
		            "or --smtp-password-file, never in the address",
		            "the SMTP address names a user");
		goto cleanup;
	}
	loop = is_loopback(host);
	tls_all = !strcmp(scheme, "smtp") && (!loop || o->require_tls);
	h = curl_easy_init();
	if (!h) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	snprintf(from, sizeof(from), "<%s>", from_addr);
	snprintf(to, sizeof(to), "<%s>", to_addr);
	rcpt = curl_slist_append(NULL, to);
	if (!rcpt) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	curl_easy_setopt(h, CURLOPT_URL, o->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_USE_SSL, tls_all ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
	if (o->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, o->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, o->password ? o->password : "");
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, o->timeout > 0 ? o->timeout : 60L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &t);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); /* only for debug_cb: nothing is printed */
	rc = curl_easy_perform(h);
	set_reply(reply, &t, rc, errbuf);
	if (rc == CURLE_OK) {
		r = HD_OK;
	} else {
		/* detail: which hint, for hd_diag_text */
		size_t before = d ? d->count : 0;
		const char *hint = reply->temporary
			? "nothing was delivered; try again later (the server or the network may be busy)"
			: "the server refused it: check the address, the user name and password, and the server";
		const char *detail = reply->temporary ? "not-sent-later" : "not-sent-refused";
		if (rc == CURLE_USE_SSL_FAILED) {
			hint = "the server offers no STARTTLS, and handout sends in clear text only to this "
			       "machine: use smtps:// or a server that offers STARTTLS";
			detail = "not-sent-starttls";
		} else if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE) {
			hint = "the server's certificate could not be verified: give its CA with --smtp-ca FILE";
			detail = "not-sent-certificate";
		} else if (rc == CURLE_LOGIN_DENIED) {
			hint = "check the user name and the password";
			detail = "not-sent-login";
		}
		hd_diag_add(d, HD_ERROR, o->url, 0, 0, hint, "not sent: %s", reply->text);
		hd_diags_detail(d, before, HD_SAY(detail, { reply->text }));
		r = HD_ESEND;
	}
cleanup:
	curl_slist_free_all(rcpt);
	if (h)
		curl_easy_cleanup(h);
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_url_cleanup(u);
	return r;
}
