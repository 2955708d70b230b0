/*
 * bench: renders one session N times in one process (engine loaded once, as
 * in a batch) and M times as a fresh process, and prints milliseconds per
 * sheet, sheets per second, peak RSS and bytes per PDF.
 *
 * usage: bench SESSION.xml HANDOUT_PROGRAM [N] [M] [KIND]
 *   KIND: render (the aftercare sheet, default), brochure, guide or report
 *   (then SESSION.xml is a client's records folder); the
 *   fresh process runs "HANDOUT_PROGRAM KIND -q SESSION -o FILE".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "handout.h"

/* Prints diagnostics with the public API only (this is a library user). */
static void print_diags(const hd_diags *d)
{
	char line[1600];
	size_t i;
	for (i = 0; i < d->count; i++) {
		hd_diag_format(line, sizeof(line), &d->items[i]);
		fprintf(stderr, "%s\n", line);
	}
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	hd_engine_options eo = HD_ENGINE_OPTIONS_INIT;
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	hd_engine *e = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_output out;
	struct rusage ru;
	int n = argc > 3 ? atoi(argv[3]) : 2000, m = argc > 4 ? atoi(argv[4]) : 30, i;
	const char *cmd = argc > 5 ? argv[5] : "render";
	double t0, c0, wall, cpu, startup, fresh;
	size_t bytes = 0;
	int pages = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: bench SESSION.xml HANDOUT_PROGRAM [N] [M]\n");
		return 2;
	}
	eo.data_dir = getenv("HANDOUT_DATA");
	ro.source_date_epoch = 1763596800;
#if HD_RENDER_OPTIONS_VERSION >= 2 /* the API of issue 7 on: any kind of document */
	ro.kind = !strcmp(cmd, "brochure") ? HD_KIND_BROCHURE
	          : !strcmp(cmd, "guide")  ? HD_KIND_GUIDE
	                                   : HD_KIND_AFTERCARE;
#if HD_RENDER_OPTIONS_VERSION >= 3 /* issues 9 and 11 on: the progress report */
	if (!strcmp(cmd, "report"))
		ro.kind = HD_KIND_REPORT; /* SESSION is a records folder */
#endif
#else
	if (strcmp(cmd, "render")) {
		fprintf(stderr, "bench: this version of handout makes aftercare sheets only\n");
		return 2;
	}
#endif
	t0 = now_ms();
	if (hd_engine_new(&e, &eo, &d)) {
		print_diags(&d);
		return 1;
	}
	startup = now_ms() - t0;
	/* Warm-up: loads and caches the template and clinic, as a batch would. */
	if (hd_render_file(&out, e, argv[1], &ro, HD_RENDER_PDF, &d)) {
		print_diags(&d);
		return 1;
	}
	hd_output_free(&out);
	hd_diags_free(&d);

	t0 = now_ms();
	c0 = cpu_ms();
	for (i = 0; i < n; i++) {
		hd_diags di = HD_DIAGS_INIT;
		if (hd_render_file(&out, e, argv[1], &ro, HD_RENDER_PDF, &di)) {
			print_diags(&di);
			return 1;
		}
		bytes = out.pdf_len;
		pages = out.pages;
		hd_output_free(&out);
		hd_diags_free(&di);
	}
	wall = now_ms() - t0;
	cpu = cpu_ms() - c0;
	getrusage(RUSAGE_SELF, &ru);
	hd_engine_free(e);

	/* Fresh processes: the whole program, start to PDF on disk. */
	t0 = now_ms();
	for (i = 0; i < m; i++) {
		pid_t pid = fork();
		int st;
		if (pid == 0) {
			int fd = open("/dev/null", 1);
			dup2(fd, 1);
			execl(argv[2], argv[2], cmd, "-q", argv[1], "-o", "/tmp/handout-bench.pdf",
			      (char *)NULL);
			_exit(127);
		}
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "bench: %s failed\n", argv[2]);
			return 1;
		}
	}
	fresh = m > 0 ? (now_ms() - t0) / m : 0;
	{
		struct rusage rc;
		getrusage(RUSAGE_CHILDREN, &rc);
		printf("engine_startup_ms %.2f\n", startup);
		printf("in_process_ms_per_sheet %.3f\n", wall / n);
		printf("in_process_cpu_ms_per_sheet %.3f\n", cpu / n);
		printf("in_process_sheets_per_second %.0f\n", n / (wall / 1e3));
		printf("in_process_peak_rss_kb %ld\n", ru.ru_maxrss);
		printf("fresh_process_ms_per_sheet %.2f\n", fresh);
		printf("fresh_process_peak_rss_kb %ld\n", rc.ru_maxrss);
		printf("bytes_per_pdf %zu\n", bytes);
		printf("pages %d\n", pages);
	}
	return 0;
}
