/*
 * handout mail: one session's document emailed to its client, as an .eml
 * file or over SMTP. Arguments and messages only; the message, the
 * encryption and the sending are the library's (hd_mail_*).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "handout.h"

static const char *const MAIL_HELP =
	"usage: handout mail SESSION.xml... [-k KIND] (-o FILE.eml | --eml-dir DIR | --smtp URL)\n"
	"                   [options]\n"
	"\n"
	"Emails the client of a session record (<client><name> and <email>) their\n"
	"document: From the clinic's <sender> (clinic.xml), subject and text from the\n"
	"template in the session's language, the PDF attached.\n"
	"\n"
	"  -k, --kind KIND     aftercare (the sheet, default), guide or brochure\n"
	"  -o, --output FILE   write the message to FILE, for a mail program; - is stdout\n"
	"                      (one session only)\n"
	"      --eml-dir DIR   write each session's message to DIR/<session>.eml\n"
	"      --smtp URL      send it: smtp://HOST:587 (STARTTLS required, except to\n"
	"                      this machine: localhost, 127.0.0.1, ::1) or smtps://HOST:465\n"
	"      --smtp-user NAME        log in as NAME; the password comes from the\n"
	"                              environment variable HANDOUT_SMTP_PASSWORD, or:\n"
	"      --smtp-password-file F  its first line (F must be yours, mode 600)\n"
	"      --smtp-ca FILE  trust the CA certificates in FILE (PEM) for the server\n"
	"      --starttls      require STARTTLS even to this machine\n"
	"      --journal FILE  the send journal (needed for more than one session): a\n"
	"                      message the server accepted is never sent again by a run\n"
	"                      with the same journal, even after a crash\n"
	"      --rate N        at most N messages a minute (default 30)\n"
	"      --retries N     try a temporary failure again N times (default 3), waiting\n"
	"      --retry-delay S S seconds before the first retry, doubling (default 30)\n"
	"      --resend-uncertain  send again what a crashed run had handed to the server\n"
	"                      without recording its answer (the same Message-ID)\n"
	"      --password-file F  protect the PDF: AES-256, opened with the password on\n"
	"                      the first line of F (yours, mode 600); give it to the\n"
	"                      client in person or by phone, never in the email\n"
	"  -t, --template FILE template (default: <data>/templates/<kind>.xml)\n"
	"  -c, --clinic FILE   clinic profile (default: <data>/clinic/clinic.xml)\n"
	"  -q, --quiet         do not print notes\n"
	"\n"
	"Passwords are never taken from the command line. SOURCE_DATE_EPOCH, when\n"
	"set, is the message's Date (and the PDF's): the same inputs then give the\n"
	"same bytes (unless the PDF is encrypted). Exit status 5: the server did not\n"
	"take the message (what it said is printed).\n";

/* The exit statuses this command uses (main.c lists them all). */
enum { EXIT_USAGE = 2, EXIT_SEND = 5 };

enum {
	OPT_SMTP = 256, OPT_SMTP_USER, OPT_SMTP_PWFILE, OPT_SMTP_CA, OPT_STARTTLS, OPT_PWFILE,
	OPT_EML_DIR, OPT_JOURNAL, OPT_RATE, OPT_RETRIES, OPT_RETRY_DELAY, OPT_RESEND
};

/* The kind named on the command line; "sheet" is the aftercare sheet. */
static int kind_of(const char *name)
{
	if (!strcmp(name, "aftercare") || !strcmp(name, "sheet"))
		return HD_KIND_AFTERCARE;
	if (!strcmp(name, "guide"))
		return HD_KIND_GUIDE;
	if (!strcmp(name, "brochure"))
		return HD_KIND_BROCHURE;
	return -1;
}

/* Reads the secret at path into *out, printing any problem. */
static int secret(char **out, const char *path)
{
	hd_diags d = HD_DIAGS_INIT;
	int r = hd_read_secret(out, path, &d);
	hd_cli_print_diags(&d, 0);
	hd_diags_free(&d);
	return r;
}

/* Prints "WHAT RECIPIENT (Message-ID <ID>): TEXT" on standard output. */
static void say(const char *what, const hd_mail *m, const char *text)
{
	fputs(what, stdout);
	hd_cli_put_escaped(stdout, hd_mail_recipient(m));
	fputs(" (Message-ID <", stdout);
	hd_cli_put_escaped(stdout, hd_mail_message_id(m));
	fputs(">)", stdout);
	if (text && *text) {
		fputs(": ", stdout);
		hd_cli_put_escaped(stdout, text);
	}
	fputc('\n', stdout);
}

/* One session: loaded once (it may be standard input), its document, the
 * message, then written and/or sent. Returns an hd_status, or EXIT_SEND
 * when the server did not take it. */
static int mail_one(hd_engine *e, const char *path, const hd_render_options *ro,
                    const hd_mail_options *mo, const char *output, const char *eml_dir,
                    const hd_mail_send_options *sendo, hd_mail_journal *journal, int quiet)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_session *session = NULL;
	hd_output doc = { 0 };
	hd_mail *m = NULL;
	char *eml = NULL;
	int r;

	r = hd_session_load_file(&session, e, path, &d);
	if (!r)
		r = hd_render(&doc, e, mo->kind, session, ro, &d);
	if (!r)
		r = hd_mail_new(&m, e, session, doc.pdf, doc.pdf_len, mo, &d);
	hd_cli_print_diags(&d, quiet);
	hd_diags_free(&d);
	if (r)
		goto done;
	if (eml_dir) { /* the attachment's safe name, with .eml */
		const char *name = hd_mail_filename(m);
		char *stem = strndup(name, strlen(name) - 4);
		if (!stem || hd_output_path(&eml, eml_dir, stem, ".eml")) {
			free(stem);
			r = HD_ENOMEM;
			goto done;
		}
		free(stem);
		output = eml;
	}
	if (output) {
		const unsigned char *bytes;
		size_t len;
		hd_mail_bytes(&bytes, &len, m);
		r = hd_write_file_atomic(output, bytes, len, &d);
		hd_cli_print_diags(&d, quiet);
		hd_diags_free(&d);
		if (r)
			goto done;
		if (!hd_path_is_stdout(output)) {
			hd_cli_put_escaped(stdout, output);
			fputc('\n', stdout);
		}
	}
	if (sendo) {
		hd_smtp_reply reply;
		hd_mail_state st = HD_MAIL_NEW;
		if (journal) /* the key: the message itself, so the same one never goes twice */
			r = hd_mail_journal_send(&st, &reply, journal, hd_mail_message_id(m), m, sendo, &d);
		else
			r = hd_mail_send(&reply, m, sendo->smtp, &d);
		hd_cli_print_diags(&d, quiet);
		hd_diags_free(&d);
		if (r == HD_OK && !reply.code) {
			say("already sent to ", m, "by an earlier run (journal)");
		} else if (r == HD_OK) {
			/* the server's words: its queue id, so the clinic can trace the message */
			say("sent to ", m, reply.text);
		} else if (st == HD_MAIL_UNCERTAIN && !reply.code && !reply.text[0]) {
			fputs("handout mail: warning: not sent again to ", stderr);
			hd_cli_put_escaped(stderr, hd_mail_recipient(m));
			fputs(": an earlier run handed it to the server and stopped before the answer\n"
			      "  hint: it may have arrived; --resend-uncertain sends it again (with the same "
			      "Message-ID)\n", stderr);
			r = EXIT_SEND;
		} else if (st == HD_MAIL_REFUSED && !reply.code && !reply.text[0]) {
			fputs("handout mail: error: not sent to ", stderr);
			hd_cli_put_escaped(stderr, hd_mail_recipient(m));
			fputs(": the server refused it in an earlier run (journal)\n", stderr);
			r = EXIT_SEND;
		} else if (r == HD_ESEND) {
			r = EXIT_SEND;
		}
	}
done:
	free(eml);
	hd_mail_free(m);
	hd_output_free(&doc);
	hd_session_free(session);
	return r;
}

int hd_cli_mail(int argc, char **argv, const char *data_dir)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },      { "output", required_argument, NULL, 'o' },
		{ "template", required_argument, NULL, 't' },  { "clinic", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },           { "help", no_argument, NULL, 'h' },
		{ "smtp", required_argument, NULL, OPT_SMTP }, { "smtp-user", required_argument, NULL, OPT_SMTP_USER },
		{ "smtp-password-file", required_argument, NULL, OPT_SMTP_PWFILE },
		{ "smtp-ca", required_argument, NULL, OPT_SMTP_CA },
		{ "starttls", no_argument, NULL, OPT_STARTTLS },
		{ "password-file", required_argument, NULL, OPT_PWFILE },
		{ "eml-dir", required_argument, NULL, OPT_EML_DIR },
		{ "journal", required_argument, NULL, OPT_JOURNAL },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "retry-delay", required_argument, NULL, OPT_RETRY_DELAY },
		{ "resend-uncertain", no_argument, NULL, OPT_RESEND },
		{ NULL, 0, NULL, 0 }
	};
	hd_mail_options mo = HD_MAIL_OPTIONS_INIT;
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	hd_smtp_options so = HD_SMTP_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_mail_send_options sendo = HD_MAIL_SEND_OPTIONS_INIT;
	hd_engine *e = NULL;
	hd_mail_journal *journal = NULL;
	const char *output = NULL, *smtp_pwfile = NULL, *pwfile = NULL, *eml_dir = NULL;
	const char *journal_path = NULL;
	char *smtp_password = NULL, *password = NULL, *end;
	int quiet = 0, c, r, k, i, worst = 0, nsessions;

	sendo.per_minute = 30;

	optind = 1;
	while ((c = getopt_long(argc, argv, "k:o:t:c:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			k = kind_of(optarg);
			if (k < 0) {
				fputs("handout mail: error: unknown kind '", stderr);
				hd_cli_put_escaped(stderr, optarg);
				fputs("'\n  hint: choose aftercare (the sheet), guide or brochure\n", stderr);
				return EXIT_USAGE;
			}
			mo.kind = (hd_doc_kind)k;
			break;
		case 'o': output = optarg; break;
		case 't': mo.template_path = optarg; break;
		case 'c': mo.clinic_path = optarg; break;
		case 'q': quiet = 1; break;
		case OPT_SMTP: so.url = optarg; break;
		case OPT_SMTP_USER: so.user = optarg; break;
		case OPT_SMTP_PWFILE: smtp_pwfile = optarg; break;
		case OPT_SMTP_CA: so.ca_file = optarg; break;
		case OPT_STARTTLS: so.require_tls = 1; break;
		case OPT_PWFILE: pwfile = optarg; break;
		case OPT_EML_DIR: eml_dir = optarg; break;
		case OPT_JOURNAL: journal_path = optarg; break;
		case OPT_RESEND: sendo.resend_uncertain = 1; break;
		case OPT_RATE:
		case OPT_RETRIES:
		case OPT_RETRY_DELAY: {
			double v = strtod(optarg, &end);
			if (end == optarg || *end || v < 0 || v > 1e6) {
				fputs("handout mail: error: not a number of 0 or more: '", stderr);
				hd_cli_put_escaped(stderr, optarg);
				fputs("'\n", stderr);
				return EXIT_USAGE;
			}
			if (c == OPT_RATE)
				sendo.per_minute = v;
			else if (c == OPT_RETRIES)
				sendo.retries = (unsigned)v;
			else
				sendo.retry_delay_ms = (unsigned)(v * 1000);
			break;
		}
		case 'h': fputs(MAIL_HELP, stdout); return 0;
		default: return hd_cli_bad_option(argv[0]);
		}
	}
	nsessions = argc - optind;
	if (nsessions < 1) {
		fprintf(stderr, "handout mail: error: give a session record\n%s", MAIL_HELP);
		return EXIT_USAGE;
	}
	if (!output && !so.url && !eml_dir) {
		fputs("handout mail: error: say where the message goes: -o FILE.eml, --eml-dir DIR "
		      "or --smtp URL\n"
		      "  hint: 'handout mail --help' lists the options\n", stderr);
		return EXIT_USAGE;
	}
	if (output && nsessions > 1) {
		fputs("handout mail: error: -o writes one message; for several sessions give "
		      "--eml-dir DIR\n", stderr);
		return EXIT_USAGE;
	}
	if (so.url && nsessions > 1 && !journal_path) {
		fputs("handout mail: error: sending to several clients needs --journal FILE\n"
		      "  hint: the journal is what makes a rerun after a failure or a crash send only "
		      "what was not sent\n", stderr);
		return EXIT_USAGE;
	}
	if (journal_path && !so.url) {
		fputs("handout mail: error: --journal needs --smtp URL\n", stderr);
		return EXIT_USAGE;
	}
	if ((so.user || smtp_pwfile) && !so.url) {
		fputs("handout mail: error: --smtp-user and --smtp-password-file need --smtp URL\n", stderr);
		return EXIT_USAGE;
	}
	if (smtp_pwfile && !so.user) {
		fputs("handout mail: error: --smtp-password-file needs --smtp-user NAME\n", stderr);
		return EXIT_USAGE;
	}
	if (so.user) {
		const char *env = getenv("HANDOUT_SMTP_PASSWORD");
		if (smtp_pwfile) {
			if ((r = secret(&smtp_password, smtp_pwfile)))
				goto done;
			so.password = smtp_password;
		} else if (env && *env) {
			so.password = env;
		} else {
			fputs("handout mail: error: no password for --smtp-user\n"
			      "  hint: set HANDOUT_SMTP_PASSWORD, or give --smtp-password-file FILE "
			      "(a file only you can read)\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (pwfile) {
		if ((r = secret(&password, pwfile)))
			goto done;
		mo.password = password;
	}
	ro.source_date_epoch = hd_cli_source_date_epoch();
	mo.date = ro.source_date_epoch;
	ro.template_path = mo.template_path;
	ro.clinic_path = mo.clinic_path;
	ro.kind = mo.kind;
	r = hd_cli_open_engine(&e, data_dir);
	if (r)
		goto done;
	if (journal_path) {
		r = hd_mail_journal_open(&journal, journal_path, &d);
		hd_cli_print_diags(&d, quiet);
		hd_diags_free(&d);
		if (r)
			goto done;
	}
	sendo.smtp = &so;
	if (eml_dir && mkdir(eml_dir, 0777) && errno != EEXIST) {
		fputs("handout mail: error: cannot create the folder '", stderr);
		hd_cli_put_escaped(stderr, eml_dir);
		fprintf(stderr, "': %s\n", strerror(errno));
		r = HD_EIO;
		goto done;
	}
	/* One session at a time; a problem with one is reported and the others
	 * go on. The exit status is the worst: 5 when one was not sent. */
	for (i = optind; i < argc; i++) {
		r = mail_one(e, argv[i], &ro, &mo, output, eml_dir, so.url ? &sendo : NULL, journal,
		             quiet);
		if (r == EXIT_SEND)
			worst = EXIT_SEND;
		else if (r && worst != EXIT_SEND && (!worst || hd_cli_exit_for(r) > worst))
			worst = hd_cli_exit_for(r);
	}
	r = HD_OK;
done:
	hd_mail_journal_free(journal);
	hd_engine_free(e);
	hd_secret_free(smtp_password);
	hd_secret_free(password);
	return r ? hd_cli_exit_for(r) : worst;
}

/* ----- handout batch --mail, --eml-dir -------------------------------------- */

enum {
	BM_MAIL = 400, BM_SMTP, BM_SMTP_USER, BM_SMTP_PWFILE, BM_SMTP_CA, BM_STARTTLS, BM_EML_DIR,
	BM_JOURNAL, BM_RATE, BM_RETRIES, BM_RETRY_DELAY, BM_RESEND, BM_PWFILE, BM_PWCOL
};

const struct option hd_cli_batch_mail_options[] = {
	{ "mail", no_argument, NULL, BM_MAIL },
	{ "smtp", required_argument, NULL, BM_SMTP },
	{ "smtp-user", required_argument, NULL, BM_SMTP_USER },
	{ "smtp-password-file", required_argument, NULL, BM_SMTP_PWFILE },
	{ "smtp-ca", required_argument, NULL, BM_SMTP_CA },
	{ "starttls", no_argument, NULL, BM_STARTTLS },
	{ "eml-dir", required_argument, NULL, BM_EML_DIR },
	{ "journal", required_argument, NULL, BM_JOURNAL },
	{ "rate", required_argument, NULL, BM_RATE },
	{ "retries", required_argument, NULL, BM_RETRIES },
	{ "retry-delay", required_argument, NULL, BM_RETRY_DELAY },
	{ "resend-uncertain", no_argument, NULL, BM_RESEND },
	{ "password-file", required_argument, NULL, BM_PWFILE },
	{ "password-column", required_argument, NULL, BM_PWCOL },
	{ NULL, 0, NULL, 0 }
};

/* What the options said (one batch per process). */
static struct {
	int mail;
	hd_smtp_options so;
	hd_mail_send_options sendo;
	const char *eml_dir, *journal, *smtp_pwfile, *pwfile, *pwcol;
} bm = { 0, HD_SMTP_OPTIONS_INIT,
	  /* 30 messages a minute unless --rate says otherwise */
	  { HD_MAIL_SEND_OPTIONS_VERSION, NULL, 30, 3, 30000, 0 }, NULL, NULL, NULL, NULL, NULL };

int hd_cli_batch_mail_option(int c, const char *arg)
{
	char *end;
	double v;

	switch (c) {
	case BM_MAIL: bm.mail = 1; return 1;
	case BM_SMTP: bm.so.url = arg; return 1;
	case BM_SMTP_USER: bm.so.user = arg; return 1;
	case BM_SMTP_PWFILE: bm.smtp_pwfile = arg; return 1;
	case BM_SMTP_CA: bm.so.ca_file = arg; return 1;
	case BM_STARTTLS: bm.so.require_tls = 1; return 1;
	case BM_EML_DIR: bm.eml_dir = arg; return 1;
	case BM_JOURNAL: bm.journal = arg; return 1;
	case BM_RESEND: bm.sendo.resend_uncertain = 1; return 1;
	case BM_PWFILE: bm.pwfile = arg; return 1;
	case BM_PWCOL: bm.pwcol = arg; return 1;
	case BM_RATE:
	case BM_RETRIES:
	case BM_RETRY_DELAY:
		v = strtod(arg, &end);
		if (end == arg || *end || v < 0 || v > 1e6) {
			fputs("handout batch: error: not a number of 0 or more: '", stderr);
			hd_cli_put_escaped(stderr, arg);
			fputs("'\n", stderr);
			return -1;
		}
		if (c == BM_RATE)
			bm.sendo.per_minute = v;
		else if (c == BM_RETRIES)
			bm.sendo.retries = (unsigned)v;
		else
			bm.sendo.retry_delay_ms = (unsigned)(v * 1000);
		return 1;
	}
	return 0;
}

int hd_cli_batch_mail_wanted(void)
{
	return bm.mail || bm.eml_dir || bm.so.url;
}

int hd_cli_batch_mail(hd_batch_result *res, hd_engine *e, const char *list,
                      const hd_batch_options *bo, hd_diags *d)
{
	hd_batch_mail_options o = HD_BATCH_MAIL_OPTIONS_INIT;
	hd_mail_options mo = HD_MAIL_OPTIONS_INIT;
	hd_batch_mail_result out;
	char *smtp_password = NULL, *password = NULL, *journal = NULL;
	const char *dir = bo->out_dir && *bo->out_dir ? bo->out_dir : "out";
	int r;

	memset(res, 0, sizeof(*res));
	if (bm.mail != (bm.so.url != NULL)) {
		fputs(bm.mail ? "handout batch: error: --mail needs --smtp URL\n"
		              : "handout batch: error: --smtp needs --mail\n", stderr);
		return HD_EINVAL;
	}
	if ((bm.so.user || bm.smtp_pwfile || bm.journal) && !bm.mail) {
		fputs("handout batch: error: --smtp-user, --smtp-password-file and --journal need "
		      "--mail\n", stderr);
		return HD_EINVAL;
	}
	if (bm.smtp_pwfile && !bm.so.user) {
		fputs("handout batch: error: --smtp-password-file needs --smtp-user NAME\n", stderr);
		return HD_EINVAL;
	}
	if (bm.so.user) {
		const char *env = getenv("HANDOUT_SMTP_PASSWORD");
		if (bm.smtp_pwfile) {
			if ((r = secret(&smtp_password, bm.smtp_pwfile)))
				goto done;
			bm.so.password = smtp_password;
		} else if (env && *env) {
			bm.so.password = env;
		} else {
			fputs("handout batch: error: no password for --smtp-user\n"
			      "  hint: set HANDOUT_SMTP_PASSWORD, or give --smtp-password-file FILE "
			      "(a file only you can read)\n", stderr);
			return HD_EINVAL;
		}
	}
	if (bm.pwfile) {
		if ((r = secret(&password, bm.pwfile)))
			goto done;
		mo.password = password;
	}
	mo.date = bo->source_date_epoch;
	o.mail = &mo;
	o.eml_dir = bm.eml_dir;
	if (bm.pwcol && bm.pwfile) {
		fputs("handout batch: error: give --password-file or --password-column, not both\n",
		      stderr);
		r = HD_EINVAL;
		goto done;
	}
	o.password_column = bm.pwcol;
	if (bm.mail) {
		/* a journal by default, beside the documents: a rerun is always safe */
		if (bm.journal)
			journal = strdup(bm.journal);
		else if (hd_output_path(&journal, dir, "mail", ".journal"))
			journal = NULL;
		if (!journal) {
			r = HD_ENOMEM;
			goto done;
		}
		bm.sendo.smtp = &bm.so;
		o.send = &bm.sendo;
		o.journal_path = journal;
	}
	if (bm.eml_dir && mkdir(bm.eml_dir, 0777) && errno != EEXIST) {
		fputs("handout batch: error: cannot create the folder '", stderr);
		hd_cli_put_escaped(stderr, bm.eml_dir);
		fprintf(stderr, "': %s\n", strerror(errno));
		r = HD_EIO;
		goto done;
	}
	r = hd_batch_mail(&out, e, list, bo, &o, d);
	*res = out.batch;
	if (out.manifest_csv[0]) {
		/* printed after the batch's own line by the caller: keep it on stdout too */
		printf("mail: ");
		if (bm.eml_dir)
			printf("%zu written to %s", out.written, bm.eml_dir);
		if (bm.mail)
			printf("%s%zu sent, %zu sent before", bm.eml_dir ? "; " : "", out.sent, out.already);
		if (out.refused)
			printf(", %zu refused", out.refused);
		if (out.failed)
			printf(", %zu failed (run again to retry)", out.failed);
		if (out.uncertain)
			printf(", %zu uncertain", out.uncertain);
		printf(": see %s\n", out.manifest_csv);
	}
done:
	free(journal);
	hd_secret_free(smtp_password);
	hd_secret_free(password);
	return r;
}
