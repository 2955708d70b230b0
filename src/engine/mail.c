/*
 * mail: the public email API (include/handout.h, "email") on top of the
 * engine and the mail stage.
 *
 *   session ──render──▶ PDF ──(encrypt)──▶ message ──▶ .eml bytes / SMTP
 *
 * Here the words are chosen (the template's mail.* labels in the
 * document's language, with {client}, {clinic} and {phone}), the sender
 * comes from the clinic profile, and every address is checked before the
 * mail stage sees it. The stage itself (src/mail/) knows nothing of
 * templates or sessions.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handout.h"
#include "internal.h"
#include "mail.h"
#include "util.h"
#include "vocab.h"

struct hd_mail {
	char *bytes;
	size_t len;
	char *message_id;
	char *from;
	char *to;
	char *filename;
	size_t pdf_size;
};

/* The longest password the R6 handler uses (bytes of UTF-8, ISO 32000-2). */
#define PASSWORD_MAX 127

void hd_mail_free(hd_mail *m)
{
	if (!m)
		return;
	free(m->bytes);
	free(m->message_id);
	free(m->from);
	free(m->to);
	free(m->filename);
	free(m);
}

void hd_mail_bytes(const unsigned char **data, size_t *len, const hd_mail *m)
{
	*data = m ? (const unsigned char *)m->bytes : NULL;
	*len = m ? m->len : 0;
}

const char *hd_mail_message_id(const hd_mail *m) { return m ? m->message_id : NULL; }
const char *hd_mail_from(const hd_mail *m) { return m ? m->from : NULL; }
const char *hd_mail_recipient(const hd_mail *m) { return m ? m->to : NULL; }
const char *hd_mail_filename(const hd_mail *m) { return m ? m->filename : NULL; }
size_t hd_mail_pdf_size(const hd_mail *m) { return m ? m->pdf_size : 0; }

/* A value for a placeholder: control characters made spaces, so that a
 * name cannot add a paragraph or a line of its own. */
static int put_value(hd_buf *b, const char *v)
{
	for (; v && *v; v++)
		hd_buf_putc(b, (unsigned char)*v < 0x20 || *v == 0x7F ? ' ' : *v);
	return b->oom ? HD_ENOMEM : HD_OK;
}

/* A label with {client}, {clinic} and {phone} filled in and '|' made a
 * paragraph break ("\n\n"); other braces are kept as written. NULL when
 * out of memory. */
static char *expand(const char *label, const char *client, const hd_clinic *c)
{
	hd_buf b = HD_BUF_INIT;
	const char *p;

	for (p = label; *p; p++) {
		if (*p == '|') {
			hd_buf_puts(&b, "\n\n");
		} else if (!strncmp(p, "{client}", 8)) {
			put_value(&b, client);
			p += 7;
		} else if (!strncmp(p, "{clinic}", 8)) {
			put_value(&b, c->name);
			p += 7;
		} else if (!strncmp(p, "{phone}", 7)) {
			put_value(&b, c->phone);
			p += 6;
		} else {
			hd_buf_putc(&b, *p);
		}
	}
	if (b.oom || hd_buf_puts(&b, "")) {
		hd_buf_free(&b);
		return NULL;
	}
	return hd_buf_detach(&b, NULL);
}

/* The label key of t in lang, or NULL after an error naming the template. */
static const char *need_label(const hd_template *t, const char *lang, const char *key, hd_diags *d)
{
	const char *v = hd_template_label(t, lang, key);
	if (!v) {
		char hint[200];
		snprintf(hint, sizeof(hint),
		         "add <label key=\"%s\">...</label> to its <labels> (see xml/README.md, Templates)",
		         key);
		hd_error_at(d, t->file, 0, 0, hint, "the template has no label '%s' for an email", key);
	}
	return v;
}

/* Checks a recipient password: 1 to 127 bytes of UTF-8, no control
 * characters. Returns HD_OK or HD_EINPUT with an error (which never quotes
 * the password). */
static int check_password(const char *pw, const char *where, hd_diags *d)
{
	size_t len = strlen(pw), i, before = d ? d->count : 0;
	const char *why = NULL, *detail = NULL; /* detail: for hd_diag_text */

	if (!len) {
		why = "it is empty";
		detail = "password-empty";
	} else if (len > PASSWORD_MAX) {
		why = "it is longer than 127 bytes, the most a PDF password can hold";
		detail = "password-too-long";
	} else if (hd_utf8_check(pw, len) != len) {
		why = "it is not UTF-8 text";
		detail = "password-not-utf8";
	}
	for (i = 0; !why && i < len; i++) {
		if ((unsigned char)pw[i] < 0x20 || pw[i] == 0x7F) {
			why = "it holds a control character (a tab, a line break...)";
			detail = "password-control";
		}
	}
	if (!why)
		return HD_OK;
	hd_diag_add(d, HD_ERROR, where, 0, 0, "choose a password of printable characters, "
	            "12 or more is good, at most 127 bytes", "the password for the PDF cannot be used: %s",
	            why);
	hd_diags_detail(d, before, HD_SAY(detail, { NULL }));
	return HD_EINPUT;
}

/* hd_mail_new, with diagnostics about the recipient given file where
 * (the session record), or none. */
static int mail_new(hd_mail **out, hd_engine *e, const hd_mail_to *to, const unsigned char *pdf,
                    size_t pdf_len, const hd_mail_options *opts, const char *stem,
                    const char *where, hd_diags *d)
{
	const hd_template *t = NULL;
	const hd_clinic *c = NULL;
	const char *lang, *subj_l, *body_l, *pw_l = NULL, *why = NULL;
	char *subject = NULL, *body = NULL, *name = NULL, *seed = NULL, *msgid = NULL;
	unsigned char *locked = NULL;
	size_t locked_len = 0;
	hd_mail *m = NULL;
	hd_mail_in in;
	int r;

	r = hd_engine_parts(&t, &c, e, opts->kind, opts->template_path, opts->clinic_path, d);
	if (r)
		goto cleanup;
	if (!c->sender_email) {
		hd_error_at(d, c->file, 0, 0,
		            "add <sender><email>sheets@your-clinic.example</email></sender> as the last "
		            "element of the clinic profile (see xml/README.md)",
		            "the clinic profile has no <sender>: an email needs a From address");
		r = HD_EINPUT;
	}
	if (!to->email || (why = hd_email_problem(to->email))) {
		size_t before = d ? d->count : 0;
		hd_diag_coded(d, HD_ERROR, to->email ? HD_DIAG_BAD_VALUE : HD_DIAG_MISSING, "email", where,
		              0, 0, "correct the client's <email>: one plain address such as zoe@example.org",
		              "the client's email address '%s' cannot be used: %s",
		              to->email ? to->email : "", to->email ? why : "there is none");
		hd_diags_detail(d, before, to->email ? HD_SAY("address", { to->email,
		                                                          hd_email_problem_key(why) })
		                                     : HD_SAY("no-address", { NULL }));
		r = HD_EINPUT;
	}
	if (opts->password && check_password(opts->password, where, d))
		r = HD_EINPUT;
	lang = to->lang && *to->lang ? to->lang : "en";
	subj_l = need_label(t, lang, "mail.subject", d);
	body_l = need_label(t, lang, "mail.body", d);
	if (opts->password)
		pw_l = need_label(t, lang, "mail.password", d);
	if (!subj_l || !body_l || (opts->password && !pw_l))
		r = HD_EINPUT;
	if (r)
		goto cleanup;

	r = HD_ENOMEM;
	subject = expand(subj_l, to->name, c);
	body = expand(body_l, to->name, c);
	if (!subject || !body)
		goto cleanup;
	if (pw_l) { /* the password note goes before the closing paragraph (the signature) */
		char *note = expand(pw_l, to->name, c), *last = strstr(body, "\n\n"), *p;
		for (p = last; p && (p = strstr(p + 2, "\n\n"));)
			last = p;
		if (!note)
			goto cleanup;
		{
			hd_buf b = HD_BUF_INIT;
			if (last) {
				hd_buf_append(&b, body, (size_t)(last - body));
				hd_buf_puts(&b, "\n\n");
				hd_buf_puts(&b, note);
				hd_buf_puts(&b, last);
			} else {
				hd_buf_puts(&b, body);
				hd_buf_puts(&b, "\n\n");
				hd_buf_puts(&b, note);
			}
			free(note);
			if (b.oom) {
				hd_buf_free(&b);
				goto cleanup;
			}
			free(body);
			body = hd_buf_detach(&b, NULL);
		}
	}
	if (hd_output_path(&name, NULL, stem, ".pdf"))
		goto cleanup;
	seed = malloc(strlen(to->email) + 32);
	if (!seed)
		goto cleanup;
	sprintf(seed, "%s %s", hd_kind_names[opts->kind], to->email);
	if (opts->password) {
		r = hd_pdf_encrypt(&locked, &locked_len, pdf, pdf_len, opts->password, d);
		if (r)
			goto cleanup;
		r = HD_ENOMEM;
	}

	memset(&in, 0, sizeof(in));
	in.from_name = c->sender_name;
	in.from_addr = c->sender_email;
	in.reply_to = c->reply_to;
	in.to_name = to->name;
	in.to_addr = to->email;
	in.lang = lang;
	in.subject = subject;
	in.body = body;
	in.filename = name;
	in.pdf = locked ? locked : pdf;
	in.pdf_len = locked ? locked_len : pdf_len;
	in.date = opts->date >= 0 ? opts->date : (int64_t)time(NULL);
	in.id_seed = seed;
	in.id_doc = pdf;
	in.id_doc_len = pdf_len;
	m = calloc(1, sizeof(*m));
	if (!m)
		goto cleanup;
	r = hd_mail_build(&m->bytes, &m->len, &msgid, &in);
	if (r)
		goto cleanup;
	m->message_id = msgid;
	m->from = strdup(c->sender_email);
	m->to = strdup(to->email);
	m->filename = name;
	name = NULL;
	m->pdf_size = in.pdf_len;
	if (!m->from || !m->to) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	*out = m;
	m = NULL;
	r = HD_OK;
cleanup:
	hd_mail_free(m);
	free(subject);
	free(body);
	free(name);
	free(seed);
	free(locked);
	return r;
}

static int check_mail_options(const hd_mail_options *o)
{
	return o->version != HD_MAIL_OPTIONS_VERSION || o->kind < 0 || o->kind >= HD_KIND_COUNT ||
	       o->kind == HD_KIND_CATALOGUE || o->kind == HD_KIND_REPORT;
}

int hd_mail_new_to(hd_mail **out, hd_engine *e, const hd_mail_to *to, const unsigned char *pdf,
                   size_t pdf_len, const hd_mail_options *opts, hd_diags *d)
{
	hd_mail_options defaults = HD_MAIL_OPTIONS_INIT;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!e || !to || !pdf || !pdf_len || check_mail_options(opts))
		return HD_EINVAL;
	return mail_new(out, e, to, pdf, pdf_len, opts,
	                opts->file_stem ? opts->file_stem : hd_kind_names[opts->kind], NULL, d);
}

/* The attachment's name before ".pdf" for a session named path, as the
 * command line names its PDFs: "sessions/zoe.xml" -> "zoe", "zoe-guide",
 * "zoe-brochure"; "<stdin>" -> "stdin", "<session>" -> "session". Made
 * safe later by hd_output_path. NULL when out of memory. */
static char *session_stem(const char *path, enum hd_doc_kind kind)
{
	const char *suffix = kind == HD_KIND_GUIDE ? "-guide" : kind == HD_KIND_BROCHURE ? "-brochure" : "";
	const char *base, *dot;
	size_t n;
	char *stem;

	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	stem = malloc(n + strlen(suffix) + 1);
	if (stem) {
		memcpy(stem, base, n);
		strcpy(stem + n, suffix);
	}
	return stem;
}

int hd_mail_new(hd_mail **out, hd_engine *e, const hd_session *session, const unsigned char *pdf,
                size_t pdf_len, const hd_mail_options *opts, hd_diags *d)
{
	hd_mail_options defaults = HD_MAIL_OPTIONS_INIT;
	const hd_session_rec *s;
	const char *where;
	char *stem = NULL;
	hd_mail_to to;
	int r;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!e || !session || !pdf || !pdf_len || check_mail_options(opts))
		return HD_EINVAL;
	s = hd_session_record(session);
	where = hd_session_name(session);
	if (!s->email) {
		const hd_template *t;
		const hd_clinic *c;
		size_t before = d ? d->count : 0;
		hd_diag_coded(d, HD_ERROR, HD_DIAG_MISSING, "email", where, 0, 0,
		              "give the client an address: <email> after <name> in a session record, an "
		              "email column in a list",
		              "the session record has no email address for the client: there is no one to "
		              "mail it to");
		hd_diags_detail(d, before, HD_SAY("no-address", { NULL }));
		/* still report the template's and the clinic's problems */
		hd_engine_parts(&t, &c, e, opts->kind, opts->template_path, opts->clinic_path, d);
		return HD_EINPUT;
	}
	if (!opts->file_stem && !(stem = session_stem(where, opts->kind)))
		return HD_ENOMEM;
	to.name = s->client;
	to.email = s->email;
	to.lang = s->lang;
	r = mail_new(out, e, &to, pdf, pdf_len, opts, opts->file_stem ? opts->file_stem : stem, where, d);
	free(stem);
	return r;
}

int hd_mail_send(hd_smtp_reply *reply, const hd_mail *m, const hd_smtp_options *opts, hd_diags *d)
{
	if (!reply)
		return HD_EINVAL;
	memset(reply, 0, sizeof(*reply));
	if (!m || !opts || opts->version != HD_SMTP_OPTIONS_VERSION)
		return HD_EINVAL;
	return hd_smtp_send(reply, m->bytes, m->len, m->from, m->to, opts, d);
}
