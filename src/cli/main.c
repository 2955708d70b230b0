/*
 * handout: the command-line program. Argument parsing and messages only;
 * everything a library user would need is in include/handout.h.
 *
 * Exit statuses:
 *   0  success
 *   1  invalid input: at least one file had problems (all are listed on stderr)
 *   2  usage error (unknown command or option)
 *   3  a file could not be read or written (I/O)
 *   4  internal failure: fonts missing, the PDF library failed, out of memory
 *   5  handout mail: the mail server did not take the message
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"
#include "handout.h"
#include "serve.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3, EXIT_INTERNAL = 4 };

static const char *const MAIN_HELP =
	"usage: handout <command> [options] [files]\n"
	"\n"
	"Personalized, print-ready PDF handouts for massage clients.\n"
	"\n"
	"commands:\n"
	"  render SESSION.xml...   make the aftercare sheet for each session record\n"
	"  brochure [SESSION.xml...] the tri-fold brochure, for clients or for anyone\n"
	"  guide SESSION.xml...    the client's multi-page back care guide\n"
	"  report CLIENT_DIR...    the progress report over a client's records folder\n"
	"  validate FILE...        check library, template, clinic or session files,\n"
	"                          or a client's records folder\n"
	"  list                    list the entries of the content library\n"
	"  catalogue               every library entry in one proofreading PDF\n"
	"  mail SESSION.xml        email a client their sheet (.eml file or SMTP)\n"
	"  batch LIST -k KIND      one document per row of a client list (CSV or XML)\n"
	"  manifest merge          merge the manifests of a batch's shards\n"
	"  serve                   the therapist's desk: a web form on this computer\n"
	"\n"
	"options for every command:\n"
	"  --data DIR    folder with schema/, library/, templates/, clinic/\n"
	"                (default: $HANDOUT_DATA, else the installed data)\n"
	"  -h, --help    help for a command: handout render --help\n"
	"  --version     print the version\n"
	"\n"
	"environment: HANDOUT_HYPHEN_DIR, the folder with the hyphenation\n"
	"dictionaries (default /usr/share/hyphen); SOURCE_DATE_EPOCH, the PDF's date;\n"
	"HANDOUT_SMTP_PASSWORD, the password for handout mail --smtp-user\n"
	"\n"
	"exit status: 0 ok, 1 invalid input, 2 usage error, 3 file could not be\n"
	"read or written, 4 internal failure (fonts, PDF library, memory), 5 the mail\n"
	"server did not take the message\n"
	"\n"
	"The manual: man handout (every command), man handout-xml (the files).\n";

static const char *const RENDER_HELP =
	"usage: handout render SESSION.xml... [-t TEMPLATE] [-c CLINIC] [-o FILE.pdf] [--dump] [-q]\n"
	"\n"
	"Makes the aftercare sheet for each session record. Without -o, each PDF is\n"
	"written to out/<session file name>.pdf (the folder is created) and its path\n"
	"is printed. A session with problems is reported and skipped; the others\n"
	"are still rendered, and the exit status is then 1. A session given as -\n"
	"is read from standard input (at most 1 MB; out/stdin.pdf without -o).\n"
	"\n"
	"  -o, --output FILE   write the PDF to FILE (one session only); - is stdout\n"
	"  -t, --template FILE template (default: <data>/templates/aftercare.xml)\n"
	"  -c, --clinic FILE   clinic profile (default: <data>/clinic/clinic.xml)\n"
	"      --dump          print the laid-out pages as text instead of writing a\n"
	"                      PDF (positions, font, size, text), unless -o is given\n"
	"  -q, --quiet         do not print notes (what was shrunk or moved)\n"
	"\n"
	"Files are written atomically: a failed run never leaves a partial PDF.\n"
	"SOURCE_DATE_EPOCH, when set, is the PDF's creation date; otherwise the\n"
	"session date is used, so the same inputs always give the same bytes.\n";

static const char *const BROCHURE_HELP =
	"usage: handout brochure [SESSION.xml...] [-l LANG] [-p a4|letter]\n"
	"                        [-t TEMPLATE] [-c CLINIC] [-o FILE.pdf] [--dump] [-q]\n"
	"\n"
	"Makes the tri-fold brochure: two landscape pages to print back to back\n"
	"(flip on the short edge) and fold in three. With session records, one per\n"
	"client, \"Prepared for\" them, in their language and paper; without, one\n"
	"for anyone. Without -o it goes to out/<session>-brochure.pdf, or\n"
	"out/brochure.pdf (out/brochure-LANG.pdf with -l).\n"
	"\n"
	"  -l, --lang LANG     language of a brochure for anyone (default: the library's first)\n"
	"  -p, --paper PAPER   a4 (default) or letter, for a brochure for anyone\n"
	"  -o, --output FILE   write the PDF to FILE (one brochure only); - is stdout\n"
	"  -t, --template FILE template (default: <data>/templates/brochure.xml)\n"
	"  -c, --clinic FILE   clinic profile (default: <data>/clinic/clinic.xml)\n"
	"      --dump          print the laid-out pages as text instead of a PDF\n"
	"  -q, --quiet         do not print notes\n"
	"\n"
	"Content that does not fit its panel is an error naming the panel. A\n"
	"session asking for large print gets the brochure in standard print, with\n"
	"a note: a panel a third of a page wide has no room for it.\n";

static const char *const GUIDE_HELP =
	"usage: handout guide SESSION.xml... [-t TEMPLATE] [-c CLINIC] [-o FILE.pdf] [--dump] [-q]\n"
	"\n"
	"Makes the client's back care guide: a cover, contents with page numbers,\n"
	"chapters from the library and the session (each a PDF bookmark), a header\n"
	"with the client's name and date on every page after the cover. Without -o\n"
	"it goes to out/<session>-guide.pdf.\n"
	"\n"
	"  -o, --output FILE   write the PDF to FILE (one session only); - is stdout\n"
	"  -t, --template FILE template (default: <data>/templates/guide.xml)\n"
	"  -c, --clinic FILE   clinic profile (default: <data>/clinic/clinic.xml)\n"
	"      --dump          print the laid-out pages as text instead of a PDF\n"
	"  -q, --quiet         do not print notes\n";

static const char *const REPORT_HELP =
	"usage: handout report CLIENT_DIR... [-t TEMPLATE] [-c CLINIC] [-o FILE.pdf] [--dump] [-q]\n"
	"\n"
	"Makes the progress report of a client from their records folder: one\n"
	"session record per visit, named by its date (2026-11-20.xml). It shows\n"
	"the visits in a table, the pain scores before and after each visit as a\n"
	"chart, how often each area was worked on the body diagram, the latest\n"
	"home programme and the warning signs. The latest visit gives the\n"
	"language and paper. Without -o it goes to out/<folder name>-report.pdf.\n"
	"\n"
	"  -o, --output FILE   write the PDF to FILE (one folder only); - is stdout\n"
	"  -t, --template FILE template (default: <data>/templates/report.xml)\n"
	"  -c, --clinic FILE   clinic profile (default: <data>/clinic/clinic.xml)\n"
	"      --dump          print the laid-out pages as text instead of a PDF\n"
	"  -q, --quiet         do not print notes\n"
	"\n"
	"The folder is checked first (handout validate CLIENT_DIR does only that):\n"
	"every record valid, all of one client, no two visits at the same date and\n"
	"time, each file named by its visit's date.\n";

static const char *const VALIDATE_HELP =
	"usage: handout validate FILE... [-q]\n"
	"\n"
	"Checks each file against its schema (chosen by its root element: library,\n"
	"template, clinic or session) and beyond: dates, ids, references to the\n"
	"library. Every problem is listed as file:line:col: error: message.\n"
	"A FILE given as - is read from standard input. A folder is checked as a\n"
	"client's records folder (see handout report --help).\n"
	"\n"
	"  -q, --quiet   print nothing when every file is valid\n";

static const char *const CATALOGUE_HELP =
	"usage: handout catalogue [-l LANG] [-o FILE.pdf] [-t TEMPLATE] [-c CLINIC] [--dump] [-q]\n"
	"\n"
	"Renders every entry of the content library, every word of it, into one\n"
	"proofreading booklet with a table of contents: by language, then by kind.\n"
	"Without -o it goes to out/catalogue.pdf (out/catalogue-LANG.pdf with -l).\n"
	"\n"
	"  -l, --lang LANG     only this language (default: every language)\n"
	"  -o, --output FILE   where to write the PDF; - is stdout\n"
	"  -t, --template FILE template (default: <data>/templates/catalogue.xml)\n"
	"  -c, --clinic FILE   clinic profile for the header (default: <data>/clinic/clinic.xml)\n"
	"      --dump          print the laid-out pages as text instead of a PDF\n"
	"  -q, --quiet         do not print notes\n";

static const char *const LIST_HELP =
	"usage: handout list [-l LANG] [-k KIND]\n"
	"\n"
	"Lists the entries of the content library: id, kind, title.\n"
	"  -l, --lang LANG   titles in this language (default: the library's first)\n"
	"  -k, --kind KIND   only entries of this kind (technique, selfcare, ...)\n";

/* "handout render": who speaks in messages that concern no file. */
static const char *prog_name = "handout";

/* Writes s to f so that it shows on one line and cannot drive the terminal,
 * whatever a file name contains: a line feed as \n; other C0 controls, DEL
 * and the UTF-8 C1 controls (U+0080-U+009F: NEL, CSI...) as \xHH per byte;
 * every other byte as it is. */
static void put_escaped(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p == '\n') {
			fputs("\\n", f);
		} else if (*p < 0x20 || *p == 0x7F) {
			fprintf(f, "\\x%02x", *p);
		} else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			fprintf(f, "\\x%02x\\x%02x", p[0], p[1]);
			p++;
		} else {
			fputc(*p, f);
		}
	}
}

/* Prints diagnostics, one line each (plus its hint line), with file names,
 * messages and hints escaped (put_escaped); notes only when not quiet. A
 * diagnostic that names no file is said by the program: "handout list:
 * error: ...". */
static void print_diags(const hd_diags *d, int quiet)
{
	char line[1600];
	hd_diag plain;
	size_t i;
	for (i = 0; i < d->count; i++) {
		if (quiet && d->items[i].severity == HD_NOTE)
			continue;
		plain = d->items[i];
		plain.hint[0] = '\0';
		hd_diag_format(line, sizeof(line), &plain);
		if (!plain.file[0])
			fprintf(stderr, "%s: ", prog_name);
		put_escaped(stderr, line);
		if (d->items[i].hint[0]) {
			fputs("\n  hint: ", stderr);
			put_escaped(stderr, d->items[i].hint);
		}
		fputc('\n', stderr);
	}
	if (d->oom)
		fprintf(stderr, "handout: error: out of memory; %d more problem(s) not shown\n", d->oom);
}

/* How many of the n file arguments are "-", standard input. */
static int count_stdin(int n, char **files)
{
	int i, count = 0;
	for (i = 0; i < n; i++)
		count += !strcmp(files[i], "-");
	return count;
}

static int exit_for(int status)
{
	switch (status) {
	case HD_OK: return 0;
	case HD_EINPUT: return EXIT_INPUT;
	case HD_EIO: return EXIT_IO;
	case HD_ESEND: return 5;   /* handout mail, handout batch --mail: not all sent */
	default: return EXIT_INTERNAL; /* HD_EINVAL from the library is a bug, not usage */
	}
}

/* After getopt has said what was wrong ("handout render: unrecognized
 * option '--x'"): where to look. Returns the usage exit status. */
static int bad_option(const char *prog)
{
	fprintf(stderr, "  hint: '%s --help' lists the options\n", prog);
	return EXIT_USAGE;
}

static int open_engine(hd_engine **e, const char *data_dir)
{
	hd_engine_options o = HD_ENGINE_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	int r;

	o.data_dir = data_dir ? data_dir : getenv("HANDOUT_DATA");
	if (o.data_dir && !*o.data_dir)
		o.data_dir = NULL;
	/* the hyphenation dictionaries (default /usr/share/hyphen) */
	o.hyphen_dir = getenv("HANDOUT_HYPHEN_DIR");
	if (o.hyphen_dir && !*o.hyphen_dir)
		o.hyphen_dir = NULL;
	r = hd_engine_new(e, &o, &d);
	print_diags(&d, 0);
	hd_diags_free(&d);
	return r;
}

/* Where a document goes without -o, by the library's one rule for output
 * names (hd_output_path): "xml/sessions/zoe.xml" -> "out/zoe.pdf" (a sheet),
 * "out/zoe-guide.pdf", "out/zoe-brochure.pdf"; "-" (standard input) ->
 * "out/stdin.pdf"; a brochure for anyone -> "out/brochure.pdf" (or
 * "out/brochure-es.pdf" in another language). Returns a malloc'd path, or
 * NULL when out of memory. */
static char *default_output(const char *session, hd_doc_kind kind, const char *lang)
{
	const char *base, *dot;
	const char *suffix = kind == HD_KIND_GUIDE      ? "-guide"
	                     : kind == HD_KIND_BROCHURE ? "-brochure"
	                     : kind == HD_KIND_REPORT   ? "-report"
	                                                : "";
	char *stem, *path = NULL;
	size_t n;

	if (!session) {
		char name[64];
		snprintf(name, sizeof(name), "brochure%s%.20s", lang ? "-" : "", lang ? lang : "");
		return hd_output_path(&path, "out", name, ".pdf") == HD_OK ? path : NULL;
	}
	if (!strcmp(session, "-"))
		session = "stdin";
	n = strlen(session);
	while (n > 1 && session[n - 1] == '/')
		n--; /* a folder given as "c-0042/" */
	for (base = session + n; base > session && base[-1] != '/'; base--)
		;
	n -= (size_t)(base - session);
	/* a file loses its extension; a records folder keeps its whole name */
	if (kind != HD_KIND_REPORT) {
		const char *p;
		for (dot = NULL, p = base; p < base + n; p++)
			if (*p == '.')
				dot = p;
		if (dot && dot != base)
			n = (size_t)(dot - base);
	}
	stem = malloc(n + strlen(suffix) + 1);
	if (!stem)
		return NULL;
	memcpy(stem, base, n);
	strcpy(stem + n, suffix);
	if (hd_output_path(&path, "out", stem, ".pdf") != HD_OK)
		path = NULL;
	free(stem);
	return path;
}

/* Returns nonzero when a and b are equal ignoring ASCII letter case: the
 * same file on a case-insensitive disk (FAT, exFAT, NTFS, APFS, SMB). */
static int same_ignoring_case(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
		if (x != y)
			return 0;
	}
	return *a == *b;
}

/* Creates the default output folder "out" when it is missing. Returns 0, or
 * -1 after printing the one error message (the caller prints nothing more). */
static int ensure_out_dir(void)
{
	if (mkdir("out", 0777) == 0 || errno == EEXIST)
		return 0;
	fprintf(stderr, "out: error: cannot create the folder: %s\n"
	                "  hint: check that the current folder exists and that you may write "
	                "to it, or give -o FILE\n", strerror(errno));
	return -1;
}

static int64_t source_date_epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;
	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	/* A PDF date holds years 0000-9999: up to 9999-12-31T23:59:59Z. */
	if (errno || *end || v < 0 || v > 253402300799LL) {
		fprintf(stderr, "handout: warning: ignoring SOURCE_DATE_EPOCH=%s (not a number of "
		                "seconds between 1970 and the year 9999)\n", s);
		return -1;
	}
	return v;
}

/* render, brochure and guide: one document of kind per session file (a
 * brochure also for no session: one for anyone, in -l LANG on -p PAPER). */
static int cmd_document(hd_doc_kind kind, int argc, char **argv, const char *data_dir)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' }, { "template", required_argument, NULL, 't' },
		{ "clinic", required_argument, NULL, 'c' }, { "dump", no_argument, NULL, 'D' },
		{ "quiet", no_argument, NULL, 'q' },        { "help", no_argument, NULL, 'h' },
		{ "lang", required_argument, NULL, 'l' },   { "paper", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	const char *help = kind == HD_KIND_BROCHURE ? BROCHURE_HELP
	                   : kind == HD_KIND_GUIDE  ? GUIDE_HELP
	                   : kind == HD_KIND_REPORT ? REPORT_HELP
	                                            : RENDER_HELP;
	const char *name = argv[0]; /* "handout render" */
	int brochure = kind == HD_KIND_BROCHURE, nfiles;
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	const char *output = NULL;
	hd_engine *e = NULL;
	char **written = NULL; /* output paths of this run, to refuse writing one twice */
	int dump = 0, quiet = 0, c, i, worst = 0, made_dir = 0, nwritten = 0;

	optind = 1;
	ro.kind = kind;
	while ((c = getopt_long(argc, argv, brochure ? "o:t:c:l:p:qh" : "o:t:c:qh", opts, NULL)) !=
	       -1) {
		/* -l and -p say what a brochure for anyone is; a session
		 * says them itself */
		if ((c == 'l' || c == 'p') && !brochure)
			return bad_option(argv[0]);
		switch (c) {
		case 'l': ro.lang = optarg; break;
		case 'p':
			if (!strcmp(optarg, "a4") || !strcmp(optarg, "A4")) {
				ro.paper = HD_PAPER_A4;
			} else if (!strcmp(optarg, "letter")) {
				ro.paper = HD_PAPER_LETTER;
			} else {
				fprintf(stderr, "%s: error: unknown paper '%s'\n  hint: use a4 or letter\n",
				        name, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o': output = optarg; break;
		case 't': ro.template_path = optarg; break;
		case 'c': ro.clinic_path = optarg; break;
		case 'D': dump = 1; break;
		case 'q': quiet = 1; break;
		case 'h': fputs(help, stdout); return 0;
		default: return bad_option(argv[0]);
		}
	}
	nfiles = argc - optind;
	if (nfiles == 0 && !brochure) {
		fprintf(stderr, "%s: error: no %s given\n%s", name,
		        kind == HD_KIND_REPORT ? "records folder" : "session file", help);
		return EXIT_USAGE;
	}
	/* Standard input holds one document and can be read once. */
	if (count_stdin(argc - optind, argv + optind) > 1) {
		fprintf(stderr, "%s: error: standard input (-) can be read only once; "
		                "give - for one session\n", name);
		return EXIT_USAGE;
	}
	if ((ro.template_path && !strcmp(ro.template_path, "-")) ||
	    (ro.clinic_path && !strcmp(ro.clinic_path, "-"))) {
		fprintf(stderr, "%s: error: -t and -c take a file; only a session can come "
		                "from standard input (-)\n", name);
		return EXIT_USAGE;
	}
	if (output && nfiles > 1) {
		fprintf(stderr, "%s: error: -o takes one session file; without -o each "
		                "PDF goes to out/\n", name);
		return EXIT_USAGE;
	}
	if (dump && hd_path_is_stdout(output)) {
		fprintf(stderr, "%s: error: --dump and -o - would both write to standard "
		                "output; write the PDF to a file\n", name);
		return EXIT_USAGE;
	}
	ro.source_date_epoch = source_date_epoch();
	c = open_engine(&e, data_dir);
	if (c)
		return exit_for(c);

	if (nfiles == 0 && ro.lang) { /* a brochure for anyone: check the language first */
		hd_diags d = HD_DIAGS_INIT;
		c = hd_library_check(e, ro.lang, NULL, &d);
		print_diags(&d, 0);
		hd_diags_free(&d);
		if (c) {
			hd_engine_free(e);
			return exit_for(c);
		}
	}
	for (i = optind; i < argc || (nfiles == 0 && i == optind); i++) {
		const char *session = i < argc ? argv[i] : NULL;
		const char *who = session ? session : name;
		hd_diags d = HD_DIAGS_INIT;
		hd_output out;
		unsigned what = 0;
		int r, said = 0; /* said: this program already printed the error */

		if (!dump || output)
			what |= HD_RENDER_PDF;
		if (dump)
			what |= HD_RENDER_DUMP;
		r = hd_render_file(&out, e, session, &ro, what, &d);
		if (!r && dump)
			fwrite(out.dump, 1, out.dump_len, stdout);
		if (!r && (what & HD_RENDER_PDF)) {
			char *path = output ? strdup(output) : default_output(session, kind, ro.lang);
			if (!path) {
				r = HD_ENOMEM;
			} else {
				int k;
				if (!output && !made_dir) {
					if (ensure_out_dir() != 0) {
						r = HD_EIO;
						said = 1;
					}
					made_dir = 1;
				}
				/* Two session files whose names give the same PDF name,
				 * or names differing only in case (one file on many
				 * disks), would write one PDF: the second must not
				 * replace the first client's sheet. */
				for (k = 0; !r && k < nwritten; k++) {
					if (!same_ignoring_case(written[k], path))
						continue;
					put_escaped(stderr, who);
					fputs(": error: ", stderr);
					put_escaped(stderr, path);
					if (!strcmp(written[k], path)) {
						fputs(" was already written in this run by another session "
						      "whose file name gives the same PDF name", stderr);
					} else {
						fputs(" would take the place of ", stderr);
						put_escaped(stderr, written[k]);
						fputs(", written in this run by another session: names "
						      "that differ only in letter case are one file on "
						      "many disks", stderr);
					}
					fputs("; not replaced\n  hint: rename one of the session files, "
					      "or render them in separate runs\n", stderr);
					r = HD_EINPUT;
					said = 1;
				}
				if (!r)
					r = hd_write_file_atomic(path, out.pdf, out.pdf_len, &d);
				if (!r && !hd_path_is_stdout(path)) {
					char **nw = realloc(written, (size_t)(nwritten + 1) * sizeof(*nw));
					put_escaped(stdout, path);
					putchar('\n');
					if (nw) {
						written = nw;
						written[nwritten++] = path;
						path = NULL;
					}
				}
				free(path);
			}
		}
		print_diags(&d, quiet);
		/* One message per failure: a generic line only when nobody said why. */
		if (r && !d.nerrors && !said) {
			put_escaped(stderr, who);
			fprintf(stderr, ": error: %s\n", hd_status_str(r));
		}
		hd_diags_free(&d);
		hd_output_free(&out);
		if (exit_for(r) > worst)
			worst = exit_for(r);
		fflush(stdout);
	}
	for (i = 0; i < nwritten; i++)
		free(written[i]);
	free(written);
	hd_engine_free(e);
	return worst;
}

static int cmd_validate(int argc, char **argv, const char *data_dir)
{
	static const struct option opts[] = { { "quiet", no_argument, NULL, 'q' },
		                              { "help", no_argument, NULL, 'h' },
		                              { NULL, 0, NULL, 0 } };
	hd_engine *e = NULL;
	int c, i, worst = 0, bad = 0, quiet = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = 1; break;
		case 'h': fputs(VALIDATE_HELP, stdout); return 0;
		default: return bad_option(argv[0]);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "handout validate: error: no file given\n%s", VALIDATE_HELP);
		return EXIT_USAGE;
	}
	if (count_stdin(argc - optind, argv + optind) > 1) {
		fprintf(stderr, "handout validate: error: standard input (-) can be read only once; "
		                "give - for one file\n");
		return EXIT_USAGE;
	}
	c = open_engine(&e, data_dir);
	if (c)
		return exit_for(c);
	for (i = optind; i < argc; i++) {
		hd_diags d = HD_DIAGS_INIT;
		size_t len = strlen(argv[i]);
		int r;
		if (len > 4 && !strcasecmp(argv[i] + len - 4, ".csv")) {
			/* a client list: its rows are checked for what they will make */
			put_escaped(stderr, argv[i]);
			fprintf(stderr, ": error: a client list is checked for the documents it will make\n"
			                "  hint: handout batch ");
			put_escaped(stderr, argv[i]);
			fprintf(stderr, " -k brochure|guide|aftercare --check\n");
			bad++;
			if (EXIT_INPUT > worst)
				worst = EXIT_INPUT;
			continue;
		}
		r = hd_validate_file(e, argv[i], &d);
		print_diags(&d, 0);
		if (r)
			bad++;
		if (r && !d.nerrors) {
			put_escaped(stderr, argv[i]);
			fprintf(stderr, ": error: %s\n", hd_status_str(r));
		}
		hd_diags_free(&d);
		if (exit_for(r) > worst)
			worst = exit_for(r);
	}
	if (bad)
		fprintf(stderr, "%d of %d file%s invalid\n", bad, argc - optind,
		        argc - optind == 1 ? "" : "s");
	else if (!quiet)
		printf("%d file%s valid\n", argc - optind, argc - optind == 1 ? "" : "s");
	hd_engine_free(e);
	return worst;
}

static int cmd_list(int argc, char **argv, const char *data_dir)
{
	static const struct option opts[] = { { "lang", required_argument, NULL, 'l' },
		                              { "kind", required_argument, NULL, 'k' },
		                              { "quiet", no_argument, NULL, 'q' },
		                              { "help", no_argument, NULL, 'h' },
		                              { NULL, 0, NULL, 0 } };
	const char *lang = NULL, *want = NULL;
	hd_engine *e = NULL;
	size_t i, n;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "l:k:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'q': break; /* list prints no notes */
		case 'l': lang = optarg; break;
		case 'k': want = optarg; break;
		case 'h': fputs(LIST_HELP, stdout); return 0;
		default: return bad_option(argv[0]);
		}
	}
	if (optind < argc) {
		fputs("handout list: error: unexpected argument '", stderr);
		put_escaped(stderr, argv[optind]);
		fprintf(stderr, "'\n%s", LIST_HELP);
		return EXIT_USAGE;
	}
	c = open_engine(&e, data_dir);
	if (c)
		return exit_for(c);
	{
		hd_diags d = HD_DIAGS_INIT;
		c = hd_library_check(e, lang, want, &d);
		print_diags(&d, 0);
		hd_diags_free(&d);
		if (c) {
			hd_engine_free(e);
			return exit_for(c);
		}
	}
	n = hd_library_count(e);
	for (i = 0; i < n; i++) {
		const char *id, *kind, *title;
		if (hd_library_entry(e, i, lang, &id, &kind, &title))
			continue;
		if (want && strcmp(want, kind))
			continue;
		printf("%-24s %-13s %s\n", id, kind, title);
	}
	hd_engine_free(e);
	return 0;
}

static int cmd_catalogue(int argc, char **argv, const char *data_dir)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },   { "output", required_argument, NULL, 'o' },
		{ "template", required_argument, NULL, 't' }, { "clinic", required_argument, NULL, 'c' },
		{ "dump", no_argument, NULL, 'D' },          { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 }
	};
	hd_catalogue_options co = HD_CATALOGUE_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_output out;
	hd_engine *e = NULL;
	const char *output = NULL;
	char stem[64];
	char *path = NULL;
	int dump = 0, quiet = 0, c, r, said = 0; /* said: this program already printed the error */
	unsigned what = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "l:o:t:c:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = 1; break;
		case 'l': co.lang = optarg; break;
		case 'o': output = optarg; break;
		case 't': co.template_path = optarg; break;
		case 'c': co.clinic_path = optarg; break;
		case 'D': dump = 1; break;
		case 'h': fputs(CATALOGUE_HELP, stdout); return 0;
		default: return bad_option(argv[0]);
		}
	}
	if (optind < argc) {
		fputs("handout catalogue: error: unexpected argument '", stderr);
		put_escaped(stderr, argv[optind]);
		fprintf(stderr, "'\n%s", CATALOGUE_HELP);
		return EXIT_USAGE;
	}
	co.source_date_epoch = source_date_epoch();
	c = open_engine(&e, data_dir);
	if (c)
		return exit_for(c);
	if (!dump || output)
		what |= HD_RENDER_PDF;
	if (dump)
		what |= HD_RENDER_DUMP;
	r = hd_render_catalogue(&out, e, &co, what, &d);
	if (!r && dump)
		fwrite(out.dump, 1, out.dump_len, stdout);
	if (!r && (what & HD_RENDER_PDF)) {
		/* out/catalogue.pdf, or out/catalogue-es.pdf for -l es */
		snprintf(stem, sizeof(stem), "catalogue%s%s", co.lang ? "-" : "",
		         co.lang ? co.lang : "");
		if (output)
			path = strdup(output);
		else if (hd_output_path(&path, "out", stem, ".pdf") != HD_OK)
			path = NULL;
		if (!path)
			r = HD_ENOMEM;
		else if (!output && ensure_out_dir() != 0) {
			r = HD_EIO;
			said = 1;
		}
		if (!r)
			r = hd_write_file_atomic(path, out.pdf, out.pdf_len, &d);
		if (!r && !hd_path_is_stdout(path)) {
			put_escaped(stdout, path);
			printf(" (%d pages)\n", out.pages);
		}
		free(path);
	}
	print_diags(&d, quiet);
	if (r && !d.nerrors && !said)
		fprintf(stderr, "handout catalogue: error: %s\n", hd_status_str(r));
	hd_diags_free(&d);
	hd_output_free(&out);
	hd_engine_free(e);
	return exit_for(r);
}

/* ----- for the other command files (cli.h) ------------------------------ */

void hd_cli_print_diags(const hd_diags *d, int quiet)
{
	print_diags(d, quiet);
}

int hd_cli_open_engine(hd_engine **e, const char *data_dir)
{
	return open_engine(e, data_dir);
}

int hd_cli_exit_for(int status)
{
	return exit_for(status);
}

int hd_cli_bad_option(const char *prog)
{
	return bad_option(prog);
}

int64_t hd_cli_source_date_epoch(void)
{
	return source_date_epoch();
}

void hd_cli_put_escaped(FILE *f, const char *s)
{
	put_escaped(f, s);
}

/* glibc's malloc hands freed memory back to the kernel as soon as 128 KB
 * lie free at the top of the heap, and a document frees nearly all it used
 * when it is done: the next one faults it all in again (a guide: about 800
 * page faults, a fifth of its CPU). A program that makes document after
 * document (batch, serve) keeps it instead; the peak is the same. */
static void keep_freed_memory(void)
{
#if defined(__GLIBC__)
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

int main(int argc, char **argv)
{
	static char prog[64];
	const char *data_dir = NULL;
	const char *cmd;
	int i;

	keep_freed_memory();

	/* Global options before the command. */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("handout %s\n", HD_VERSION_STRING);
			return 0;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(MAIN_HELP, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--data") && i + 1 < argc) {
			data_dir = argv[++i];
		} else if (!strncmp(argv[i], "--data=", 7)) {
			data_dir = argv[i] + 7;
		} else {
			break;
		}
	}
	if (i >= argc) {
		fputs(MAIN_HELP, stderr);
		return EXIT_USAGE;
	}
	cmd = argv[i];
	argc -= i;
	argv += i;
	/* --data may also follow the command, as "--data DIR" or "--data=DIR". */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			break;
		} else if (!strcmp(argv[i], "--data") && i + 1 < argc) {
			data_dir = argv[i + 1];
			memmove(argv + i, argv + i + 2, (size_t)(argc - i - 1) * sizeof(*argv));
			argc -= 2;
			break;
		} else if (!strncmp(argv[i], "--data=", 7)) {
			data_dir = argv[i] + 7;
			memmove(argv + i, argv + i + 1, (size_t)(argc - i) * sizeof(*argv));
			argc -= 1;
			break;
		}
	}
	/* getopt's messages start with argv[0]: "handout render: ..." */
	snprintf(prog, sizeof(prog), "handout %.40s", cmd);
	argv[0] = prog;
	prog_name = prog;
	if (!strcmp(cmd, "render"))
		return cmd_document(HD_KIND_AFTERCARE, argc, argv, data_dir);
	if (!strcmp(cmd, "brochure"))
		return cmd_document(HD_KIND_BROCHURE, argc, argv, data_dir);
	if (!strcmp(cmd, "guide"))
		return cmd_document(HD_KIND_GUIDE, argc, argv, data_dir);
	if (!strcmp(cmd, "report"))
		return cmd_document(HD_KIND_REPORT, argc, argv, data_dir);
	if (!strcmp(cmd, "validate"))
		return cmd_validate(argc, argv, data_dir);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc, argv, data_dir);
	if (!strcmp(cmd, "catalogue") || !strcmp(cmd, "catalog"))
		return cmd_catalogue(argc, argv, data_dir);
	if (!strcmp(cmd, "mail"))
		return hd_cli_mail(argc, argv, data_dir);
	if (!strcmp(cmd, "batch"))
		return cmd_batch(argc, argv, data_dir);
	if (!strcmp(cmd, "manifest"))
		return cmd_manifest(argc, argv);
	if (!strcmp(cmd, "serve"))
		return hd_serve_command(argc, argv, data_dir, open_engine);
	fputs("handout: error: unknown command '", stderr);
	put_escaped(stderr, cmd);
	fprintf(stderr, "'\n%s", MAIN_HELP);
	return EXIT_USAGE;
}
