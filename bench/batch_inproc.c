/*
 * batch_inproc: the in-process figure a batch is measured against. Renders
 * every row of a client list in one thread, in memory (hd_list_session then
 * hd_render, no file written, no manifest, no hashing), and prints the CPU
 * milliseconds per document: the whole program's (as for handout batch,
 * whose whole CPU bench/batch.sh compares with it) and the loop's alone.
 *
 * usage: batch_inproc LIST KIND   (KIND: aftercare, brochure or guide)
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handout.h"
#include "list.h"

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
	hd_diags d = HD_DIAGS_INIT;
	hd_engine *e = NULL;
	hd_list *l = NULL;
	hd_doc_kind kind;
	size_t i, n, made = 0;
	double c0;

	if (argc != 3)
		return 2;
	kind = !strcmp(argv[2], "brochure") ? HD_KIND_BROCHURE
	       : !strcmp(argv[2], "guide") ? HD_KIND_GUIDE : HD_KIND_AFTERCARE;
	/* as the handout program does (keep_freed_memory in src/cli/main.c), so
	 * that the batch is compared with the same rendering, not with glibc's
	 * default of giving memory back after every document */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	eo.data_dir = getenv("HANDOUT_DATA");
	if (hd_engine_new(&e, &eo, &d) || hd_list_load(&l, argv[1], NULL, &d))
		return 1;
	n = hd_list_count(l);
	ro.source_date_epoch = 1763596800;
	c0 = cpu_ms();
	for (i = 0; i < n; i++) {
		hd_diags rd = HD_DIAGS_INIT;
		hd_session *s = NULL;
		hd_output out;
		if (!hd_list_session(&s, l, i, e, &rd) && !hd_render(&out, e, kind, s, &ro, &rd)) {
			made++;
			hd_output_free(&out);
		}
		hd_session_free(s);
		hd_diags_free(&rd);
	}
	hd_list_free(l);
	l = NULL;
	/* the whole program's CPU per document, its start (loading the libraries,
	 * the engine and the list) included, as the batch's figure includes its
	 * own; the rendering loop alone too */
	printf("inproc_cpu_ms_per_doc %.3f\ninproc_loop_cpu_ms_per_doc %.3f\ninproc_docs %zu\n",
	       cpu_ms() / (double)made, (cpu_ms() - c0) / (double)made, made);
	hd_list_free(l);
	hd_engine_free(e);
	hd_diags_free(&d);
	return 0;
}
