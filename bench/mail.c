/*
 * The email benchmark (issue 10): a 1,000-row list's messages in one
 * process, with and without encryption, and sending to an SMTP server.
 *
 * usage: handout_mail_bench N [SMTP_URL [N_SEND]]
 *
 * Builds N sessions in memory (client i, clientI@example.org, English and
 * Spanish alternately, as rows of a list), renders each one's brochure,
 * then times, separately: hd_mail_new for all N (plain), hd_mail_new for
 * all N with a password (AES-256), and, with SMTP_URL, hd_mail_send of the
 * first N_SEND plain messages (default 200), one connection each. Prints
 * "name value" lines. The data folder is $HANDOUT_DATA.
 */
#include <handout.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, hd_diags *d)
{
	size_t i;
	char line[1600];
	for (i = 0; d && i < d->count; i++) {
		hd_diag_format(line, sizeof(line), &d->items[i]);
		fprintf(stderr, "%s\n", line);
	}
	fprintf(stderr, "handout_mail_bench: %s failed\n", what);
	exit(1);
}

int main(int argc, char **argv)
{
	hd_engine_options eo = HD_ENGINE_OPTIONS_INIT;
	hd_mail_options mo = HD_MAIL_OPTIONS_INIT;
	hd_smtp_options so = HD_SMTP_OPTIONS_INIT;
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_engine *e;
	hd_session **s;
	hd_output *docs;
	hd_mail **mails;
	size_t n, nsend, i, eml_plain = 0, eml_enc = 0, pdf_plain = 0, pdf_enc = 0;
	double t0, t_render, t_plain, t_enc, t_send = 0;

	if (argc < 2 || (n = strtoul(argv[1], NULL, 10)) == 0) {
		fprintf(stderr, "usage: handout_mail_bench N [SMTP_URL [N_SEND]]\n");
		return 2;
	}
	nsend = argc > 3 ? strtoul(argv[3], NULL, 10) : 200;
	if (nsend > n)
		nsend = n;
	eo.data_dir = getenv("HANDOUT_DATA");
	if (hd_engine_new(&e, &eo, &d))
		die("the engine", &d);
	s = calloc(n, sizeof(*s));
	docs = calloc(n, sizeof(*docs));
	mails = calloc(n, sizeof(*mails));
	if (!s || !docs || !mails)
		die("malloc", NULL);
	ro.source_date_epoch = 1763596800;
	mo.kind = HD_KIND_BROCHURE;
	mo.date = 1763596800;

	t0 = now();
	for (i = 0; i < n; i++) {
		char name[64], email[64];
		snprintf(name, sizeof(name), "Client N\xc3\xba\xc3\xb1" "ez %zu", i);
		snprintf(email, sizeof(email), "client%zu@example.org", i);
		if (hd_session_new(&s[i], e) || hd_session_set(s[i], "client", name, &d) ||
		    hd_session_set(s[i], "email", email, &d) ||
		    hd_session_set(s[i], "language", i % 2 ? "es" : "en", &d))
			die("a session", &d);
		if (hd_render(&docs[i], e, HD_KIND_BROCHURE, s[i], &ro, &d))
			die("a brochure", &d);
		hd_diags_free(&d);
	}
	t_render = now() - t0;

	t0 = now();
	for (i = 0; i < n; i++) {
		const unsigned char *b;
		size_t len;
		if (hd_mail_new(&mails[i], e, s[i], docs[i].pdf, docs[i].pdf_len, &mo, &d))
			die("a message", &d);
		hd_mail_bytes(&b, &len, mails[i]);
		eml_plain += len;
		pdf_plain += hd_mail_pdf_size(mails[i]);
	}
	t_plain = now() - t0;

	mo.password = "correct horse battery staple";
	t0 = now();
	for (i = 0; i < n; i++) {
		const unsigned char *b;
		size_t len;
		hd_mail *m;
		if (hd_mail_new(&m, e, s[i], docs[i].pdf, docs[i].pdf_len, &mo, &d))
			die("an encrypted message", &d);
		hd_mail_bytes(&b, &len, m);
		eml_enc += len;
		pdf_enc += hd_mail_pdf_size(m);
		hd_mail_free(m);
	}
	t_enc = now() - t0;

	if (argc > 2) {
		so.url = argv[2];
		t0 = now();
		for (i = 0; i < nsend; i++) {
			hd_smtp_reply reply;
			if (hd_mail_send(&reply, mails[i], &so, &d))
				die("sending", &d);
		}
		t_send = now() - t0;
	}

	printf("rows %zu\n", n);
	printf("render_ms_per_brochure %.3f\n", t_render * 1000 / (double)n);
	printf("eml_per_second_plain %.0f\n", (double)n / t_plain);
	printf("eml_per_second_encrypted %.0f\n", (double)n / t_enc);
	printf("eml_ms_plain %.3f\n", t_plain * 1000 / (double)n);
	printf("eml_ms_encrypted %.3f\n", t_enc * 1000 / (double)n);
	printf("pdf_bytes_plain %zu\n", pdf_plain / n);
	printf("pdf_bytes_encrypted %zu\n", pdf_enc / n);
	printf("eml_bytes_plain %zu\n", eml_plain / n);
	printf("eml_bytes_encrypted %zu\n", eml_enc / n);
	if (argc > 2) {
		printf("sent %zu\n", nsend);
		printf("sent_per_second %.1f\n", (double)nsend / t_send);
	}
	for (i = 0; i < n; i++) {
		hd_mail_free(mails[i]);
		hd_output_free(&docs[i]);
		hd_session_free(s[i]);
	}
	free(mails);
	free(docs);
	free(s);
	hd_diags_free(&d);
	hd_engine_free(e);
	return 0;
}
