/*
 * handout batch and handout manifest: argument parsing, the progress bar and
 * messages. The batch itself (naming, manifest, resume, shards, workers) is
 * the library's hd_batch.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "handout.h"

enum { EXIT_USAGE = 2, EXIT_INTERNAL = 4, EXIT_INTERRUPTED = 130 };

static const char *const BATCH_HELP =
	"usage: handout batch LIST -k brochure|guide|aftercare|report [-t TEMPLATE] [-c CLINIC]\n"
	"                     [-o DIR] [-j N] [-q] [--force] [--shard K/N] [--map FILE]\n"
	"                     [--encoding utf-8|windows-1252] [--check]\n"
	"\n"
	"Makes one document per row of a client list (CSV, or an XML list of session\n"
	"files) into DIR, with a manifest (DIR/manifest.csv and .jsonl) of what was made.\n"
	"A bad row is reported (LIST:ROW:COLUMN: error: ...) and skipped; the others\n"
	"are made. Run it again to finish an interrupted batch: rows already made\n"
	"with the same inputs are skipped. With -k report, LIST is a folder that\n"
	"holds one records folder per client: one progress report per client.\n"
	"See README, \"For clinic managers\".\n"
	"\n"
	"  -k, --kind KIND      brochure, guide, aftercare or report (required)\n"
	"  -o, --output DIR     the output folder (default: out)\n"
	"  -j, --jobs N         documents made at once (default: 1; at most 64)\n"
	"  -t, --template FILE  template (default: <data>/templates/<kind>.xml)\n"
	"  -c, --clinic FILE    clinic profile (default: <data>/clinic/clinic.xml)\n"
	"      --map FILE       column names to session fields (\"First Name = client\")\n"
	"      --encoding ENC   utf-8 (default) or windows-1252 (Excel's plain CSV)\n"
	"      --force          make every row again, even unchanged ones\n"
	"      --check          check every row as the batch would, make nothing: to\n"
	"                       mend the list before a long batch\n"
	"      --shard K/N      make only share K of N (K from 0); --shard N takes K\n"
	"                       from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID\n"
	"  -q, --quiet          no progress bar and no notes\n"
	"\n"
	"Mail merge (README, \"Email\"): each row made is then mailed to its client.\n"
	"      --eml-dir DIR    write each row's message to DIR\n"
	"      --mail           send each row's message; needs --smtp URL\n"
	"      --smtp URL       smtp://HOST:587 (STARTTLS) or smtps://HOST:465\n"
	"      --smtp-user NAME log in; the password from HANDOUT_SMTP_PASSWORD or\n"
	"      --smtp-password-file F  (yours, mode 600)\n"
	"      --smtp-ca FILE   trust these CA certificates (PEM) for the server\n"
	"      --starttls       require STARTTLS even to this machine\n"
	"      --journal FILE   the send journal (default DIR/mail.journal): a row the\n"
	"                       server accepted is never sent again, even after a crash\n"
	"      --rate N         at most N messages a minute (default 30; 0: no limit)\n"
	"      --retries N      temporary failures tried again N times (default 3)\n"
	"      --retry-delay S  seconds before the first retry, doubling (default 30)\n"
	"      --resend-uncertain  send again what a crashed run left unanswered\n"
	"      --password-file F   protect every PDF with this password (AES-256)\n"
	"      --password-column NAME  or each row's PDF with the password in that column\n"
	"\n"
	"exit status: 0 every row made, 1 some rows refused (the others made), 2 usage,\n"
	"3 a file could not be read or written, 4 internal failure, 5 some messages not\n"
	"sent, 130 interrupted\n";

static const char *const MANIFEST_HELP =
	"usage: handout manifest merge -o OUT.csv MANIFEST...\n"
	"\n"
	"Merges the manifests of a batch's shards (manifest-K-of-N.csv or .jsonl) into\n"
	"OUT.csv and OUT.jsonl, one line per row in list order. A row listed by two\n"
	"shards with different results is an error (it was done twice).\n"
	"\n"
	"  -o, --output FILE   the merged manifest (CSV; the .jsonl goes beside it)\n";

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* What the progress callbacks need. */
typedef struct ui {
	int bar;             /* draw the bar (stderr is a terminal, not -q) */
	int quiet;
	int drawn;           /* a bar is on the screen's last line */
	double last_draw;
	hd_diags *d;         /* the batch's own problems (the list's warnings) */
	size_t printed;      /* how many of them are printed */
} ui;

/* Prints the batch's problems not printed yet. */
static void print_new(ui *u)
{
	hd_diags view;
	if (!u->d || u->printed >= u->d->count)
		return;
	view = *u->d;
	view.items += u->printed;
	view.count -= u->printed;
	view.oom = 0;
	hd_cli_print_diags(&view, u->quiet);
	u->printed = u->d->count;
}

static int cancel_cb(void *ctx)
{
	(void)ctx;
	return interrupted;
}

/* n with thousands separators: 12,345. */
static void thousands(char *buf, size_t size, size_t n)
{
	char tmp[32];
	size_t len, i, o = 0;
	snprintf(tmp, sizeof(tmp), "%zu", n);
	len = strlen(tmp);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
}

static void clear_bar(ui *u)
{
	if (u->drawn) {
		fputs("\r\033[K", stderr);
		u->drawn = 0;
	}
}

static void draw(ui *u, const hd_batch_progress *p)
{
	char done[32], total[32], left[32];
	int width = 30, filled = p->total ? (int)(width * p->done / p->total) : width, i;
	double rate = p->elapsed > 0 ? (double)p->done / p->elapsed : 0;

	thousands(done, sizeof(done), p->done);
	thousands(total, sizeof(total), p->total);
	if (rate > 0 && p->done < p->total) {
		long s = (long)((double)(p->total - p->done) / rate + 0.5);
		snprintf(left, sizeof(left), "%ld:%02ld left", s / 60, s % 60);
	} else {
		snprintf(left, sizeof(left), "%s", p->done < p->total ? "--:-- left" : "done");
	}
	fputs("\r[", stderr);
	for (i = 0; i < width; i++)
		fputc(i < filled ? '#' : '-', stderr);
	fprintf(stderr, "] %s/%s  %.1f/s  %s\033[K", done, total, rate, left);
	fflush(stderr);
	u->drawn = 1;
	u->last_draw = p->elapsed;
}

static void progress_cb(const hd_batch_progress *p, void *ctx)
{
	ui *u = ctx;
	/* the list's warnings before any row's message */
	if (p->done == 0)
		print_new(u);
	/* ten times a second at most, and the last state */
	if (u->bar && (p->done == p->total || p->done == 0 || p->elapsed - u->last_draw >= 0.1))
		draw(u, p);
}

static void row_cb(const hd_batch_row *row, void *ctx)
{
	ui *u = ctx;
	size_t i;
	int any = 0;

	for (i = 0; row->diags && i < row->diags->count; i++)
		any |= row->diags->items[i].severity != HD_NOTE || !u->quiet;
	if (!any)
		return;
	clear_bar(u);
	hd_cli_print_diags(row->diags, u->quiet);
}

/* "K/N" or "N" (K from the environment). Returns 0, or -1 after a message. */
static int parse_shard(const char *arg, unsigned *k, unsigned *n)
{
	char *end;
	unsigned long a, b;
	const char *slash = strchr(arg, '/');

	errno = 0;
	if (slash) {
		a = strtoul(arg, &end, 10);
		if (end != slash || end == arg)
			goto bad;
		b = strtoul(slash + 1, &end, 10);
		if (*end || end == slash + 1 || errno || b < 1 || b > 100000 || a >= b)
			goto bad;
		*k = (unsigned)a;
		*n = (unsigned)b;
		return 0;
	}
	b = strtoul(arg, &end, 10);
	if (*end || end == arg || errno || b < 1 || b > 100000)
		goto bad;
	{
		const char *env = getenv("JOB_COMPLETION_INDEX");
		const char *min = NULL;
		long idx;
		if (!env || !*env) {
			env = getenv("SLURM_ARRAY_TASK_ID");
			min = getenv("SLURM_ARRAY_TASK_MIN");
		}
		if (!env || !*env) {
			fprintf(stderr, "handout batch: error: --shard %s needs the shard's index: give "
			                "--shard K/%s, or set JOB_COMPLETION_INDEX (a Kubernetes Indexed "
			                "Job) or SLURM_ARRAY_TASK_ID (a Slurm array)\n", arg, arg);
			return -1;
		}
		idx = strtol(env, &end, 10);
		if (*end || idx < 0) {
			fprintf(stderr, "handout batch: error: the shard index '%s' is not a number\n", env);
			return -1;
		}
		if (min && *min)
			idx -= strtol(min, NULL, 10); /* an array 1-4 is shards 0-3 */
		if (idx < 0 || (unsigned long)idx >= b) {
			fprintf(stderr, "handout batch: error: the shard index %ld is not below %lu\n", idx,
			        b);
			return -1;
		}
		*k = (unsigned)idx;
		*n = (unsigned)b;
		return 0;
	}
bad:
	fprintf(stderr, "handout batch: error: '%s' is not a shard\n"
	                "  hint: write K/N with 0 <= K < N, e.g. --shard 0/4 ... --shard 3/4\n", arg);
	return -1;
}

/* ", 1,234 WHAT" when n is not 0. */
static void count(size_t n, const char *what)
{
	char buf[32];
	if (!n)
		return;
	thousands(buf, sizeof(buf), n);
	printf(", %s %s", buf, what);
}

/* The one line a batch ends with. None when the list, its columns or the
 * folder were refused (nothing was tried: the error says why). */
static void summary(const hd_batch_result *res, int r, int check)
{
	char made[32], total[32];

	if (!res->rows && (r == HD_OK || r == HD_ECANCELLED)) {
		puts("the list has no rows: nothing to make");
		return;
	}
	if (!res->total && r != HD_OK && r != HD_ECANCELLED)
		return;
	if (check) {
		/* "2,000 rows checked: 1,998 ready, 2 refused (see above)" */
		size_t done = res->made + res->refused + res->failed;
		thousands(total, sizeof(total), res->cancelled ? done : res->total);
		thousands(made, sizeof(made), res->made);
		printf("%s row%s checked: %s ready", total,
		       (res->cancelled ? done : res->total) == 1 ? "" : "s", made);
		count(res->refused, "refused");
		count(res->failed, "failed");
		if (res->cancelled)
			printf(", interrupted");
		puts(res->refused || res->failed ? " (see above)" : "; nothing was made");
		return;
	}
	thousands(made, sizeof(made), res->made + res->skipped);
	thousands(total, sizeof(total), res->total);
	printf("%s of %s made", made, total);
	if (res->skipped) {
		char kept[32];
		thousands(kept, sizeof(kept), res->skipped);
		printf(" (%s unchanged, kept)", kept);
	}
	count(res->refused, "refused");
	count(res->failed, "failed");
	if (res->cancelled)
		printf(", interrupted");
	if (res->manifest_csv[0])
		printf(": see %s", res->manifest_csv);
	if (res->cancelled)
		printf("; run the same command again to finish");
	putchar('\n');
}

int cmd_batch(int argc, char **argv, const char *data_dir)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },     { "output", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },     { "template", required_argument, NULL, 't' },
		{ "clinic", required_argument, NULL, 'c' },   { "map", required_argument, NULL, 'M' },
		{ "encoding", required_argument, NULL, 'E' }, { "force", no_argument, NULL, 'F' },
		{ "shard", required_argument, NULL, 'S' },    { "quiet", no_argument, NULL, 'q' },
		{ "check", no_argument, NULL, 'C' },          { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct option all[sizeof(opts) / sizeof(*opts) + 16];
	hd_batch_options bo = HD_BATCH_OPTIONS_INIT;
	hd_list_options lo = HD_LIST_OPTIONS_INIT;
	hd_batch_result res;
	hd_diags d = HD_DIAGS_INIT;
	hd_engine *e = NULL;
	struct sigaction sa;
	ui u;
	int c, r, kind_given = 0, check = 0;

	memset(&u, 0, sizeof(u));
	optind = 1;
	/* the batch's options, then the mail merge's (mail.c) */
	{
		size_t n = sizeof(opts) / sizeof(*opts) - 1, k;
		memcpy(all, opts, n * sizeof(*opts));
		for (k = 0; hd_cli_batch_mail_options[k].name; k++)
			all[n + k] = hd_cli_batch_mail_options[k];
		memset(&all[n + k], 0, sizeof(*all));
	}
	while ((c = getopt_long(argc, argv, "k:o:j:t:c:qh", all, NULL)) != -1) {
		switch (c) {
		case 'k':
			kind_given = 1;
			if (!strcmp(optarg, "brochure"))
				bo.kind = HD_KIND_BROCHURE;
			else if (!strcmp(optarg, "guide"))
				bo.kind = HD_KIND_GUIDE;
			else if (!strcmp(optarg, "aftercare") || !strcmp(optarg, "sheet"))
				bo.kind = HD_KIND_AFTERCARE;
			else if (!strcmp(optarg, "report"))
				bo.kind = HD_KIND_REPORT;
			else {
				fprintf(stderr, "handout batch: error: unknown kind '%s'\n"
				                "  hint: use brochure, guide, aftercare or report\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o': bo.out_dir = optarg; break;
		case 'j': {
			char *end;
			long j = strtol(optarg, &end, 10);
			if (*end || end == optarg || j < 1 || j > 64) {
				fprintf(stderr, "handout batch: error: -j takes a number from 1 to 64\n");
				return EXIT_USAGE;
			}
			bo.jobs = (unsigned)j;
			break;
		}
		case 't': bo.template_path = optarg; break;
		case 'c': bo.clinic_path = optarg; break;
		case 'M': lo.mapping_path = optarg; break;
		case 'E': lo.encoding = optarg; break;
		case 'F': bo.force = 1; break;
		case 'C': check = 1; break;
		case 'S':
			if (parse_shard(optarg, &bo.shard_index, &bo.shard_count))
				return EXIT_USAGE;
			break;
		case 'q': u.quiet = 1; break;
		case 'h': fputs(BATCH_HELP, stdout); return 0;
		default:
			switch (hd_cli_batch_mail_option(c, optarg)) {
			case 1: break;
			case -1: return EXIT_USAGE;
			default: return hd_cli_bad_option(argv[0]);
			}
		}
	}
	if (optind != argc - 1 || !kind_given) {
		fprintf(stderr, "handout batch: error: %s\n%s",
		        !kind_given ? "say what to make with -k brochure, guide, aftercare or report"
		                    : "give one client list", BATCH_HELP);
		return EXIT_USAGE;
	}
	bo.list = &lo;
	bo.source_date_epoch = hd_cli_source_date_epoch();
	bo.progress = progress_cb;
	bo.row_done = row_cb;
	bo.cancel = cancel_cb;
	bo.ctx = &u;
	u.d = &d;
	u.bar = !u.quiet && isatty(STDERR_FILENO);
	r = hd_cli_open_engine(&e, data_dir);
	if (r)
		return hd_cli_exit_for(r);
	/* Ctrl-C finishes the rows under way and writes the manifest. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (bo.kind == HD_KIND_REPORT && hd_cli_batch_mail_wanted()) {
		fprintf(stderr, "handout batch: error: progress reports are not mailed by a batch: "
		                "make them with -k report, without the mail options\n");
		hd_engine_free(e);
		return EXIT_USAGE;
	}
	if (check && hd_cli_batch_mail_wanted()) {
		fprintf(stderr, "handout batch: error: --check makes and sends nothing: leave out the "
		                "mail options\n");
		hd_engine_free(e);
		return EXIT_USAGE;
	}
	if (check) {
		r = hd_batch_check(&res, e, argv[optind], &bo, &d);
	} else if (hd_cli_batch_mail_wanted()) {
		r = hd_cli_batch_mail(&res, e, argv[optind], &bo, &d);
		if (r == HD_EINVAL) { /* a usage error, said */
			hd_diags_free(&d);
			hd_engine_free(e);
			return EXIT_USAGE;
		}
	} else {
		r = hd_batch(&res, e, argv[optind], &bo, &d);
	}
	clear_bar(&u);
	print_new(&u);
	if (d.oom)
		fprintf(stderr, "handout: error: out of memory; %d more problem(s) not shown\n", d.oom);
	hd_diags_free(&d);
	hd_engine_free(e);
	summary(&res, r, check);
	if (r == HD_ECANCELLED)
		return EXIT_INTERRUPTED;
	return hd_cli_exit_for(r);
}

int cmd_manifest(int argc, char **argv)
{
	static const struct option opts[] = { { "output", required_argument, NULL, 'o' },
		                              { "help", no_argument, NULL, 'h' },
		                              { NULL, 0, NULL, 0 } };
	hd_diags d = HD_DIAGS_INIT;
	const char *output = NULL;
	char *base;
	size_t len;
	int c, r;

	optind = 1;
	if (argc < 2 || strcmp(argv[1], "merge")) {
		if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
			fputs(MANIFEST_HELP, stdout);
			return 0;
		}
		fprintf(stderr, "handout manifest: error: the one subcommand is merge\n%s",
		        MANIFEST_HELP);
		return EXIT_USAGE;
	}
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'h': fputs(MANIFEST_HELP, stdout); return 0;
		default: return hd_cli_bad_option("handout manifest merge");
		}
	}
	if (!output || optind >= argc) {
		fprintf(stderr, "handout manifest merge: error: give -o OUT.csv and the manifests\n%s",
		        MANIFEST_HELP);
		return EXIT_USAGE;
	}
	len = strlen(output);
	base = strdup(output);
	if (!base)
		return EXIT_INTERNAL;
	if (len > 4 && !strcmp(base + len - 4, ".csv"))
		base[len - 4] = '\0';
	else if (len > 6 && !strcmp(base + len - 6, ".jsonl"))
		base[len - 6] = '\0';
	r = hd_manifest_merge(base, (const char *const *)(argv + optind), (size_t)(argc - optind), &d);
	hd_cli_print_diags(&d, 0);
	hd_diags_free(&d);
	if (!r)
		printf("%s.csv\n%s.jsonl\n", base, base);
	free(base);
	return hd_cli_exit_for(r);
}
