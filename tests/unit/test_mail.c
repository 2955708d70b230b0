/*
 * The email API (hd_mail_*) through <handout.h>: what the header says, read
 * back from the raw bytes; fields no XML file can carry (C0 and C1
 * controls, U+2028) in names, subjects and file names; addresses and
 * passwords refused with the exact message; determinism; secrets read only
 * from files their owner alone can read. The message as a mail program
 * parses it, the encryption and SMTP are tested end to end in
 * tests/sh/test_mail.sh.
 */
#include <handout.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#define XML HD_SOURCE_DIR "/xml"
#define TMP HD_TEST_TMP

static hd_engine *engine;
static const unsigned char fake_pdf[] = "%PDF-1.4\n% not a real PDF: only mailed, never opened\n";

static int setup(void **state)
{
	hd_engine_options opts = HD_ENGINE_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	int rc;

	(void)state;
	opts.data_dir = XML;
	rc = hd_engine_new(&engine, &opts, &d);
	hd_diags_free(&d);
	return rc ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	hd_engine_free(engine);
	return 0;
}

/* The message as a NUL-terminated copy (the caller frees it). */
static char *text_of(const hd_mail *m)
{
	const unsigned char *b;
	size_t n;
	char *s;

	hd_mail_bytes(&b, &n, m);
	s = malloc(n + 1);
	assert_non_null(s);
	memcpy(s, b, n);
	s[n] = '\0';
	return s;
}

/* The names of the message's top-level headers, in order, space-separated,
 * read from the raw bytes the way a mail program does: a header is a line
 * that does not start with white space, up to the first empty line. Also
 * checks that every line ends CRLF and that no byte of the header block is
 * a control character other than CR, LF and tab, or outside ASCII. */
static void header_names(char *out, size_t size, const char *msg)
{
	const char *p = msg, *end = strstr(msg, "\r\n\r\n");
	size_t n = 0;

	assert_non_null(end);
	out[0] = '\0';
	for (; p < end; p++)
		assert_true((*p >= 0x20 && *p < 0x7F) || *p == '\t' || (*p == '\r' && p[1] == '\n') ||
		            (*p == '\n' && p[-1] == '\r'));
	for (p = msg; p < end + 2;) {
		const char *eol = strstr(p, "\r\n"), *colon = memchr(p, ':', (size_t)(eol - p));
		if (*p != ' ' && *p != '\t') {
			assert_non_null(colon);
			n += (size_t)snprintf(out + n, size - n, "%s%.*s", n ? " " : "", (int)(colon - p), p);
		}
		p = eol + 2;
	}
}

/* The value of header name (unfolded, first occurrence), in a static buffer. */
static const char *header(const char *msg, const char *name)
{
	static char v[2048];
	const char *end = strstr(msg, "\r\n\r\n"), *p = msg;
	size_t len = strlen(name), n = 0;

	v[0] = '\0';
	for (; p < end; p = strstr(p, "\r\n") + 2) {
		if (!strncmp(p, name, len) && p[len] == ':') {
			const char *q = p + len + 1;
			while (*q == ' ')
				q++;
			for (; q < end + 2 && !(q[0] == '\r' && q[2] != ' ' && q[2] != '\t'); q++) {
				if (*q == '\r' || *q == '\n')
					continue;
				if (n + 1 < sizeof(v))
					v[n++] = *q == '\t' ? ' ' : *q;
			}
			v[n] = '\0';
			return v;
		}
	}
	return NULL;
}

static hd_mail *mail_ok(const hd_mail_to *to, const hd_mail_options *o)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_mail *m = NULL;
	int r = hd_mail_new_to(&m, engine, to, fake_pdf, sizeof(fake_pdf) - 1, o, &d);
	if (r) {
		size_t i;
		char line[1600];
		for (i = 0; i < d.count; i++) {
			hd_diag_format(line, sizeof(line), &d.items[i]);
			fprintf(stderr, "%s\n", line);
		}
	}
	assert_int_equal(r, HD_OK);
	assert_non_null(m);
	hd_diags_free(&d);
	return m;
}

/* Expects hd_mail_new to fail with status and one error diagnostic whose
 * formatted text is want. */
static void mail_fails(const hd_mail_to *to, const hd_mail_options *o, int status, const char *want)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_mail *m = (hd_mail *)&d; /* must come back NULL */
	char line[1600];

	assert_int_equal(hd_mail_new_to(&m, engine, to, fake_pdf, sizeof(fake_pdf) - 1, o, &d), status);
	assert_null(m);
	assert_int_equal(d.count, 1);
	hd_diag_format(line, sizeof(line), &d.items[0]);
	assert_string_equal(line, want);
	hd_diags_free(&d);
}

static void test_plain_message(void **state)
{
	hd_mail_options o = HD_MAIL_OPTIONS_INIT;
	hd_mail_to to = { "Zo\xc3\xab \xc5\x81ukasiewicz", "zoe@example.org", "en" };
	hd_mail *m;
	char names[512], *s;

	(void)state;
	o.file_stem = "zoe";
	o.date = 1763596800; /* 2025-11-20 */
	m = mail_ok(&to, &o);
	s = text_of(m);
	header_names(names, sizeof(names), s);
	assert_string_equal(names, "Date From Reply-To Subject To Message-Id Content-Language "
	                           "MIME-Version Content-Type");
	assert_string_equal(header(s, "Date"), "Thu, 20 Nov 2025 00:00:00 +0000");
	assert_string_equal(header(s, "From"), "Riverside Massage & Wellness <sheets@riverside-massage.example>");
	assert_string_equal(header(s, "To"), "=?UTF-8?b?Wm/DqyDFgXVrYXNpZXdpY3o=?= <zoe@example.org>");
	assert_string_equal(header(s, "Subject"), "Your aftercare sheet from Riverside Massage & Wellness");
	assert_string_equal(hd_mail_recipient(m), "zoe@example.org");
	assert_string_equal(hd_mail_from(m), "sheets@riverside-massage.example");
	assert_string_equal(hd_mail_filename(m), "zoe.pdf");
	assert_int_equal(hd_mail_pdf_size(m), sizeof(fake_pdf) - 1);
	assert_int_equal(strlen(hd_mail_message_id(m)), 32 + strlen(".handout@riverside-massage.example"));
	assert_non_null(strstr(s, "Content-Disposition: attachment; filename=zoe.pdf\r\n"));
	hd_mail_free(m);
	free(s);
	hd_mail_free(NULL);
}

/* The same inputs, the same bytes; another document or client, another id. */
static void test_deterministic(void **state)
{
	hd_mail_options o = HD_MAIL_OPTIONS_INIT;
	hd_mail_to to = { "Zo\xc3\xab", "zoe@example.org", "en" };
	hd_mail *a, *b, *c;
	const unsigned char *ba, *bb;
	size_t la, lb;
	char *id;

	(void)state;
	o.file_stem = "zoe";
	o.date = 1763596800;
	a = mail_ok(&to, &o);
	b = mail_ok(&to, &o);
	hd_mail_bytes(&ba, &la, a);
	hd_mail_bytes(&bb, &lb, b);
	assert_int_equal(la, lb);
	assert_memory_equal(ba, bb, la);
	id = strdup(hd_mail_message_id(a));
	o.date = 1763683200; /* a day later: a resend, the same id */
	hd_mail_free(b);
	b = mail_ok(&to, &o);
	assert_string_equal(hd_mail_message_id(b), id);
	to.email = "zoe2@example.org";
	c = mail_ok(&to, &o);
	assert_string_not_equal(hd_mail_message_id(c), id);
	hd_mail_free(c);
	to.email = "zoe@example.org";
	o.kind = HD_KIND_GUIDE;
	c = mail_ok(&to, &o);
	assert_string_not_equal(hd_mail_message_id(c), id);
	hd_mail_free(a);
	hd_mail_free(b);
	hd_mail_free(c);
	free(id);
}

/* Every control character a header could take for a line end (CR, LF,
 * NEL U+0085, U+2028, U+2029, tab, ESC, DEL) in the client's name, which
 * also goes into a subject, and in the file name: one line each, no header
 * added, the addresses exactly one. */
static void test_hostile_fields(void **state)
{
	static const char hostile[] =
		"Eve\r\nBcc: victim@evil.example\r\n\r\nbody\xc2\x85X-Injected: 1\xe2\x80\xa8"
		"Y-Injected: 2\xe2\x80\xa9\t\x1b[31m\x7f\"Mallory\" <m@evil.example>, x@evil.example";
	char tmpl[] = TMP "/mail-hostile-template.xml";
	hd_mail_options o = HD_MAIL_OPTIONS_INIT;
	hd_mail_to to = { hostile, "zoe@example.org", "en" };
	char names[512], *s, *src, *p;
	const char *v;
	hd_mail *m;
	FILE *f;
	long n;

	(void)state;
	o.file_stem = "../../etc/passwd\r\nX-File: 1";
	/* the aftercare template with the client's name in the subject */
	f = fopen(XML "/templates/aftercare.xml", "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	src = malloc((size_t)n + 1);
	assert_int_equal(fread(src, 1, (size_t)n, f), (size_t)n);
	src[n] = '\0';
	fclose(f);
	p = strstr(src, "Your aftercare sheet from {clinic}");
	assert_non_null(p);
	f = fopen(tmpl, "wb");
	fwrite(src, 1, (size_t)(p - src), f);
	fputs("For {client}, from {clinic}", f);
	fputs(p + strlen("Your aftercare sheet from {clinic}"), f);
	fclose(f);
	free(src);

	o.template_path = tmpl;
	o.date = 0;
	m = mail_ok(&to, &o);
	s = text_of(m);
	header_names(names, sizeof(names), s);
	assert_string_equal(names, "Date From Reply-To Subject To Message-Id Content-Language "
	                           "MIME-Version Content-Type");
	assert_null(strstr(s, "\r\nBcc"));
	assert_null(strstr(s, "\r\nX-Injected"));
	assert_null(strstr(s, "\r\nY-Injected"));
	assert_null(strstr(s, "\r\nX-File"));
	/* To: one encoded or quoted name, then the one address */
	v = header(s, "To");
	assert_non_null(v);
	assert_non_null(strstr(v, "<zoe@example.org>"));
	assert_int_equal(strlen(strstr(v, "<zoe@example.org>")), strlen("<zoe@example.org>"));
	v = header(s, "Subject");
	assert_non_null(v);
	assert_true(!strncmp(v, "=?UTF-8?", 8) || !strncmp(v, "For Eve Bcc", 11));
	/* the file name: only letters, digits, '-' and '_' survive */
	assert_string_equal(hd_mail_filename(m), "etcpasswd-X-File-1.pdf");
	hd_mail_free(m);
	free(s);
	remove(tmpl);
}

/* A name that is not ASCII: RFC 2231 for the file name. */
static void test_filename_rfc2231(void **state)
{
	hd_mail_options o = HD_MAIL_OPTIONS_INIT;
	hd_mail_to to = { "Zo\xc3\xab", "zoe@example.org", "es" };
	hd_mail *m;
	char *s;

	(void)state;
	o.file_stem = "Zo\xc3\xab \xc5\x81uk";
	o.date = 0;
	m = mail_ok(&to, &o);
	s = text_of(m);
	assert_string_equal(hd_mail_filename(m), "Zo\xc3\xab-\xc5\x81uk.pdf");
	assert_non_null(strstr(s, "filename*=UTF-8''Zo%C3%AB-%C5%81uk.pdf"));
	assert_string_equal(header(s, "Subject"), "Tu hoja de cuidados de Riverside Massage & Wellness");
	assert_string_equal(header(s, "Content-Language"), "es");
	hd_mail_free(m);
	free(s);
}

static void test_bad_addresses(void **state)
{
	hd_mail_options o = HD_MAIL_OPTIONS_INIT;
	hd_mail_to to = { "Zoe", "zoe@example.org\r\nBcc: x@evil.example", "en" };

	(void)state;
	o.file_stem = "zoe";
	mail_fails(&to, &o, HD_EINPUT,
	           "error: the client's email address 'zoe@example.org\r\nBcc: x@evil.example' cannot "
	           "be used: it contains a control character (a line break, a tab...)\n"
	           "  hint: correct the client's <email>: one plain address such as zoe@example.org");
	to.email = "Zoe <zoe@example.org>";
	mail_fails(&to, &o, HD_EINPUT,
	           "error: the client's email address 'Zoe <zoe@example.org>' cannot be used: it "
	           "contains a space\n"
	           "  hint: correct the client's <email>: one plain address such as zoe@example.org");
	to.email = "a@b.example,c@d.example";
	mail_fails(&to, &o, HD_EINPUT,
	           "error: the client's email address 'a@b.example,c@d.example' cannot be used: the "
	           "part before the '@' has a character an address cannot have (such as '@', '<', '>', "
	           "',', ';', ':', '\"', '(', ')' or '\\')\n"
	           "  hint: correct the client's <email>: one plain address such as zoe@example.org");
	to.email = NULL;
	mail_fails(&to, &o, HD_EINPUT,
	           "error: the client's email address '' cannot be used: there is none\n"
	           "  hint: correct the client's <email>: one plain address such as zoe@example.org");
}

static void test_bad_passwords(void **state)
{
	hd_mail_options o = HD_MAIL_OPTIONS_INIT;
	hd_mail_to to = { "Zoe", "zoe@example.org", "en" };
	char longpw[200];
	static const char hint[] = "\n  hint: choose a password of printable characters, 12 or "
	                           "more is good, at most 127 bytes";
	char want[400];

	(void)state;
	o.file_stem = "zoe";
	o.password = "";
	snprintf(want, sizeof(want), "error: the password for the PDF cannot be used: it is empty%s", hint);
	mail_fails(&to, &o, HD_EINPUT, want);
	memset(longpw, 'x', 128);
	longpw[128] = '\0';
	o.password = longpw;
	snprintf(want, sizeof(want), "error: the password for the PDF cannot be used: it is longer "
	         "than 127 bytes, the most a PDF password can hold%s", hint);
	mail_fails(&to, &o, HD_EINPUT, want);
	o.password = "tab\there";
	snprintf(want, sizeof(want), "error: the password for the PDF cannot be used: it holds a "
	         "control character (a tab, a line break...)%s", hint);
	mail_fails(&to, &o, HD_EINPUT, want);
	o.password = "\xff\xfe";
	snprintf(want, sizeof(want), "error: the password for the PDF cannot be used: it is not "
	         "UTF-8 text%s", hint);
	mail_fails(&to, &o, HD_EINPUT, want);
}

/* A template without the mail labels, a clinic without a sender. */
static void test_missing_parts(void **state)
{
	hd_mail_options o = HD_MAIL_OPTIONS_INIT;
	hd_mail_to to = { "Zoe", "zoe@example.org", "en" };
	char want[600];

	(void)state;
	o.file_stem = "zoe";
	o.template_path = NULL;
	o.clinic_path = TMP "/mail-nosender.xml";
	{
		FILE *in = fopen(XML "/clinic/clinic.xml", "rb"), *out = fopen(o.clinic_path, "wb");
		char line[512];
		int skip = 0;
		assert_non_null(in);
		assert_non_null(out);
		while (fgets(line, sizeof(line), in)) {
			if (strstr(line, "<sender>") || strstr(line, "<logo>")) /* no logo: none here */
				skip = 1;
			if (!skip)
				fputs(line, out);
			if (strstr(line, "</sender>") || strstr(line, "</logo>"))
				skip = 0;
		}
		fclose(in);
		fclose(out);
	}
	snprintf(want, sizeof(want),
	         "%s: error: the clinic profile has no <sender>: an email needs a From address\n"
	         "  hint: add <sender><email>sheets@your-clinic.example</email></sender> as the last "
	         "element of the clinic profile (see xml/README.md)", o.clinic_path);
	mail_fails(&to, &o, HD_EINPUT, want);
	remove(o.clinic_path);
	/* the catalogue's template has no mail labels, and is no kind to mail */
	{
		hd_mail *m = NULL;
		hd_diags d = HD_DIAGS_INIT;
		o = (hd_mail_options)HD_MAIL_OPTIONS_INIT;
		o.kind = HD_KIND_CATALOGUE;
		assert_int_equal(hd_mail_new_to(&m, engine, &to, fake_pdf, 4, &o, &d), HD_EINVAL);
		o.kind = HD_KIND_AFTERCARE;
		o.version = 99;
		assert_int_equal(hd_mail_new_to(&m, engine, &to, fake_pdf, 4, &o, &d), HD_EINVAL);
		assert_int_equal(hd_mail_new_to(NULL, engine, &to, fake_pdf, 4, NULL, &d), HD_EINVAL);
		assert_int_equal(hd_mail_new_to(&m, engine, &to, NULL, 0, NULL, &d), HD_EINVAL);
		assert_null(m);
		assert_int_equal(d.count, 0);
	}
}

/* A secret is read from a file only its owner can read. */
static void test_read_secret(void **state)
{
	char path[] = TMP "/mail-secret.txt", link[] = TMP "/mail-secret-link.txt";
	hd_diags d = HD_DIAGS_INIT;
	char *pw = NULL, want[700];
	FILE *f;

	(void)state;
	remove(path);
	remove(link);
	f = fopen(path, "wb");
	fputs("hunter2 with spaces\r\nsecond line ignored\n", f);
	fclose(f);
	chmod(path, 0600);
	assert_int_equal(hd_read_secret(&pw, path, &d), HD_OK);
	assert_string_equal(pw, "hunter2 with spaces");
	assert_int_equal(d.count, 0);
	hd_secret_free(pw);
	hd_secret_free(NULL);

	chmod(path, 0640);
	assert_int_equal(hd_read_secret(&pw, path, &d), HD_EINPUT);
	assert_null(pw);
	hd_diag_format(want, sizeof(want), &d.items[0]);
	assert_non_null(strstr(want, "error: the password file can be read by others (mode 0640)\n"
	                             "  hint: make it readable by you alone: chmod 600 FILE"));
	hd_diags_free(&d);

	chmod(path, 0600);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(hd_read_secret(&pw, link, &d), HD_EINPUT);
	hd_diag_format(want, sizeof(want), &d.items[0]);
	assert_non_null(strstr(want, "error: cannot read the password file: it is a symbolic link"));
	hd_diags_free(&d);

	assert_int_equal(hd_read_secret(&pw, TMP, &d), HD_EINPUT); /* a folder */
	hd_diags_free(&d);
	assert_int_equal(hd_read_secret(&pw, TMP "/no-such-secret", &d), HD_EIO);
	hd_diags_free(&d);
	assert_int_equal(hd_read_secret(NULL, path, &d), HD_EINVAL);

	f = fopen(path, "wb");
	fputs("\nafter an empty first line\n", f);
	fclose(f);
	assert_int_equal(hd_read_secret(&pw, path, &d), HD_EINPUT);
	hd_diag_format(want, sizeof(want), &d.items[0]);
	assert_non_null(strstr(want, "error: the password file's first line is empty"));
	hd_diags_free(&d);
	remove(path);
	remove(link);
}

/* A session built in memory (a form, a row of a list): its client, address
 * and language; without an address, an error naming the session. */
static void test_from_session(void **state)
{
	hd_mail_options o = HD_MAIL_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_session *s = NULL;
	hd_mail *m = NULL;
	char line[1600], *text;

	(void)state;
	o.date = 0;
	assert_int_equal(hd_session_new(&s, engine), HD_OK);
	assert_int_equal(hd_session_set(s, "client", "Luc\xc3\xad" "a Fern\xc3\xa1ndez", &d), HD_OK);
	assert_int_equal(hd_session_set(s, "language", "es", &d), HD_OK);
	assert_int_equal(hd_mail_new(&m, engine, s, fake_pdf, sizeof(fake_pdf) - 1, &o, &d), HD_EINPUT);
	assert_null(m);
	assert_int_equal(d.count, 1);
	hd_diag_format(line, sizeof(line), &d.items[0]);
	assert_string_equal(line, "<session>: error: the session record has no email address for the "
	                          "client: there is no one to mail it to\n"
	                          "  hint: give the client an address: <email> after <name> in a "
	                          "session record, an email column in a list");
	hd_diags_free(&d);
	assert_int_equal(hd_session_set(s, "email", "lucia@example.org", &d), HD_OK);
	o.kind = HD_KIND_BROCHURE;
	assert_int_equal(hd_mail_new(&m, engine, s, fake_pdf, sizeof(fake_pdf) - 1, &o, &d), HD_OK);
	text = text_of(m);
	assert_string_equal(header(text, "To"), "=?UTF-8?b?THVjw61hIEZlcm7DoW5kZXo=?= <lucia@example.org>");
	assert_string_equal(header(text, "Subject"),
	                    "Alivio para el dolor lumbar: un folleto de Riverside Massage & Wellness");
	assert_string_equal(hd_mail_filename(m), "session-brochure.pdf");
	free(text);
	hd_mail_free(m);
	hd_session_free(s);
	hd_diags_free(&d);
}

/* SMTP addresses refused before any connection. */
static void test_smtp_refusals(void **state)
{
	hd_mail_options o = HD_MAIL_OPTIONS_INIT;
	hd_smtp_options so = HD_SMTP_OPTIONS_INIT;
	hd_mail_to to = { "Zoe", "zoe@example.org", "en" };
	hd_smtp_reply reply;
	hd_diags d = HD_DIAGS_INIT;
	hd_mail *m;
	char line[1600];

	(void)state;
	o.file_stem = "zoe";
	m = mail_ok(&to, &o);
	so.url = "ftp://mail.example.org";
	assert_int_equal(hd_mail_send(&reply, m, &so, &d), HD_EINPUT);
	hd_diag_format(line, sizeof(line), &d.items[0]);
	assert_string_equal(line, "error: 'ftp://mail.example.org' is not an SMTP server address\n"
	                          "  hint: write smtp://HOST:587 (STARTTLS) or smtps://HOST:465 (TLS)");
	hd_diags_free(&d);
	so.url = "smtp://clinic:secret@mail.example.org:587";
	assert_int_equal(hd_mail_send(&reply, m, &so, &d), HD_EINPUT);
	hd_diag_format(line, sizeof(line), &d.items[0]);
	assert_non_null(strstr(line, "error: the SMTP address names a user"));
	hd_diags_free(&d);
	assert_int_equal(reply.code, 0);
	assert_int_equal(hd_mail_send(NULL, m, &so, &d), HD_EINVAL);
	so.version = 7;
	assert_int_equal(hd_mail_send(&reply, m, &so, &d), HD_EINVAL);
	hd_mail_free(m);
}

/* The send journal: states read back from its lines (a torn last line
 * ignored), the lock, a line that is not a journal's, and a send that
 * cannot reach the server recorded as an attempt then a failure. */
static void test_journal(void **state)
{
	char path[] = TMP "/mail-journal.txt";
	hd_mail_send_options so = HD_MAIL_SEND_OPTIONS_INIT;
	hd_smtp_options smtp = HD_SMTP_OPTIONS_INIT;
	hd_mail_options o = HD_MAIL_OPTIONS_INIT;
	hd_mail_to to = { "Zoe", "zoe@example.org", "en" };
	hd_mail_journal *j = NULL, *j2 = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_smtp_reply reply;
	hd_mail_state st;
	hd_mail *m;
	char line[1600], *text;
	FILE *f;
	long n;

	(void)state;
	remove(path);
	f = fopen(path, "wb");
	fputs("attempt\ta\tid-a\ta@example.org\n"
	      "attempt\tb\tid-b\tb@example.org\nsent\tb\tid-b\t250 ok\n"
	      "attempt\tc\tid-c\tc@example.org\nrefused\tc\tid-c\t550 no\n"
	      "attempt\td\tid-d\td@example.org\nfailed\td\tid-d\t451 later\n"
	      "attempt\ttab\\there\tid-t\tt@example.org\nsent\ttab\\there\tid-t\t250 ok\n"
	      "attempt\tz\tid-z", f); /* torn: the process died writing it */
	fclose(f);
	assert_int_equal(hd_mail_journal_open(&j, path, &d), HD_OK);
	assert_int_equal(hd_mail_journal_state(j, "a"), HD_MAIL_UNCERTAIN);
	assert_int_equal(hd_mail_journal_state(j, "b"), HD_MAIL_SENT);
	assert_int_equal(hd_mail_journal_state(j, "c"), HD_MAIL_REFUSED);
	assert_int_equal(hd_mail_journal_state(j, "d"), HD_MAIL_NEW);
	assert_int_equal(hd_mail_journal_state(j, "tab\there"), HD_MAIL_SENT);
	assert_int_equal(hd_mail_journal_state(j, "z"), HD_MAIL_NEW);
	assert_int_equal(hd_mail_journal_state(j, "never"), HD_MAIL_NEW);
	assert_int_equal(d.count, 0);

	/* one run at a time */
	assert_int_equal(hd_mail_journal_open(&j2, path, &d), HD_EIO);
	assert_null(j2);
	hd_diag_format(line, sizeof(line), &d.items[0]);
	assert_non_null(strstr(line, "error: another handout is sending with this journal"));
	hd_diags_free(&d);

	/* sent, refused and uncertain rows are not sent again: no connection is tried */
	o.file_stem = "zoe";
	m = mail_ok(&to, &o);
	smtp.url = "smtp://127.0.0.1:1"; /* nothing listens there */
	so.smtp = &smtp;
	so.retries = 1;
	so.retry_delay_ms = 0;
	assert_int_equal(hd_mail_journal_send(&st, &reply, j, "b", m, &so, &d), HD_OK);
	assert_int_equal(st, HD_MAIL_SENT);
	assert_int_equal(hd_mail_journal_send(&st, &reply, j, "c", m, &so, &d), HD_ESEND);
	assert_int_equal(st, HD_MAIL_REFUSED);
	assert_int_equal(hd_mail_journal_send(&st, &reply, j, "a", m, &so, &d), HD_ESEND);
	assert_int_equal(st, HD_MAIL_UNCERTAIN);
	assert_int_equal(d.count, 0);
	/* a new row, and the server unreachable: tried twice, recorded, to send again */
	assert_int_equal(hd_mail_journal_send(&st, &reply, j, "e", m, &so, &d), HD_ESEND);
	assert_int_equal(st, HD_MAIL_NEW);
	assert_int_equal(reply.temporary, 1);
	assert_int_equal(d.count, 1);
	hd_diag_format(line, sizeof(line), &d.items[0]);
	assert_non_null(strstr(line, "smtp://127.0.0.1:1: error: not sent: "));
	assert_non_null(strstr(line, "hint: nothing was delivered; try again later"));
	hd_diags_free(&d);
	hd_mail_journal_free(j);
	hd_mail_journal_free(NULL);

	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	snprintf(line, sizeof(line), "attempt\tz\tid-z\nattempt\te\t%s\tzoe@example.org\nfailed\te\t%s\t",
	         hd_mail_message_id(m), hd_mail_message_id(m));
	assert_non_null(strstr(text, line));
	free(text);
	hd_mail_free(m);

	/* not a journal */
	f = fopen(path, "ab");
	fputs("\nhello world\n", f);
	fclose(f);
	assert_int_equal(hd_mail_journal_open(&j, path, &d), HD_EINPUT);
	hd_diag_format(line, sizeof(line), &d.items[0]);
	assert_non_null(strstr(line, ":13: error: this is not a line of a send journal"));
	hd_diags_free(&d);
	remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_message),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_hostile_fields),
		cmocka_unit_test(test_filename_rfc2231),
		cmocka_unit_test(test_bad_addresses),
		cmocka_unit_test(test_bad_passwords),
		cmocka_unit_test(test_missing_parts),
		cmocka_unit_test(test_read_secret),
		cmocka_unit_test(test_from_session),
		cmocka_unit_test(test_journal),
		cmocka_unit_test(test_smtp_refusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
