/*
 * handout mail: one session's document emailed to its client, as an .eml
 * file or over SMTP. Arguments and messages only; the message, the
 * encryption and the sending are the library's (hd_mail_*).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "handout.h"

static const char *const MAIL_HELP =
	"usage: handout mail SESSION.xml [-k KIND] (-o FILE.eml | --smtp URL) [options]\n"
	"\n"
	"Emails the client of a session record (<client><name> and <email>) their\n"
	"document: From the clinic's <sender> (clinic.xml), subject and text from the\n"
	"template in the session's language, the PDF attached.\n"
	"\n"
	"  -k, --kind KIND     aftercare (the sheet, default), guide or brochure\n"
	"  -o, --output FILE   write the message to FILE, for a mail program; - is stdout\n"
	"      --smtp URL      send it: smtp://HOST:587 (STARTTLS required, except to\n"
	"                      this machine: localhost, 127.0.0.1, ::1) or smtps://HOST:465\n"
	"      --smtp-user NAME        log in as NAME; the password comes from the\n"
	"                              environment variable HANDOUT_SMTP_PASSWORD, or:\n"
	"      --smtp-password-file F  its first line (F must be yours, mode 600)\n"
	"      --smtp-ca FILE  trust the CA certificates in FILE (PEM) for the server\n"
	"      --starttls      require STARTTLS even to this machine\n"
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
	OPT_SMTP = 256, OPT_SMTP_USER, OPT_SMTP_PWFILE, OPT_SMTP_CA, OPT_STARTTLS, OPT_PWFILE
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
		{ NULL, 0, NULL, 0 }
	};
	hd_mail_options mo = HD_MAIL_OPTIONS_INIT;
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	hd_smtp_options so = HD_SMTP_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_engine *e = NULL;
	hd_session *session = NULL;
	hd_output doc = { 0 };
	hd_mail *m = NULL;
	const char *output = NULL, *smtp_pwfile = NULL, *pwfile = NULL;
	char *smtp_password = NULL, *password = NULL;
	int quiet = 0, c, r, k;

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
		case 'h': fputs(MAIL_HELP, stdout); return 0;
		default: return hd_cli_bad_option(argv[0]);
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "handout mail: error: %s\n%s",
		        optind == argc ? "give one session record" : "give only one session record",
		        MAIL_HELP);
		return EXIT_USAGE;
	}
	if (!output && !so.url) {
		fputs("handout mail: error: say where the message goes: -o FILE.eml or --smtp URL\n"
		      "  hint: 'handout mail --help' lists the options\n", stderr);
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
	/* the session, read once (it may be standard input), its document, the message */
	r = hd_session_load_file(&session, e, argv[optind], &d);
	if (!r)
		r = hd_render(&doc, e, mo.kind, session, &ro, &d);
	if (!r)
		r = hd_mail_new(&m, e, session, doc.pdf, doc.pdf_len, &mo, &d);
	hd_cli_print_diags(&d, quiet);
	hd_diags_free(&d);
	if (r)
		goto done;
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
	if (so.url) {
		hd_smtp_reply reply;
		r = hd_mail_send(&reply, m, &so, &d);
		hd_cli_print_diags(&d, quiet);
		hd_diags_free(&d);
		if (r == HD_OK) {
			/* the server's words: its queue id, so the clinic can trace the message */
			fputs("sent to ", stdout);
			hd_cli_put_escaped(stdout, hd_mail_recipient(m));
			fputs(" (Message-ID <", stdout);
			hd_cli_put_escaped(stdout, hd_mail_message_id(m));
			fputs(">): ", stdout);
			hd_cli_put_escaped(stdout, reply.text);
			fputc('\n', stdout);
		} else if (r == HD_ESEND) {
			r = EXIT_SEND;
		}
	}
done:
	hd_mail_free(m);
	hd_output_free(&doc);
	hd_session_free(session);
	hd_engine_free(e);
	hd_secret_free(smtp_password);
	hd_secret_free(password);
	return r == EXIT_SEND ? EXIT_SEND : hd_cli_exit_for(r);
}
