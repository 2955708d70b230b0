/*
 * How often an aftercare sheet fits one page: renders N generated sessions
 * of the realistic profile (tests/support/gen_session.h: standard print, 1-3
 * techniques, 1-6 areas, 0-3 short note paragraphs, 1-5 tips and
 * exercises, English and Spanish, A4 and Letter) and counts pages, body
 * sizes and nearly empty last pages.
 *
 * usage: handout_onepage [N] [SEED] [MIN_PERCENT]
 *        (default 1000 sessions, seed 7)
 * Prints one line per figure. Exit status 0; with MIN_PERCENT (a test), 1
 * when fewer sheets fit one page, a last page is nearly empty or one fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen_session.h"
#include "handout.h"

int main(int argc, char **argv)
{
	hd_engine_options eo = HD_ENGINE_OPTIONS_INIT;
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_engine *e = NULL;
	hd_gen g;
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000, i, one = 0, nearly_empty = 0, failed = 0;
	long dropped = 0;
	long at_size[64] = { 0 };
	unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 7;
	char path[64];
	static char xml[65536];

	/* one file per process: tests and benchmarks may run at the same time */
	snprintf(path, sizeof(path), "/tmp/handout-onepage-%ld.xml", (long)getpid());
	eo.data_dir = getenv("HANDOUT_DATA") ? getenv("HANDOUT_DATA") : HD_SOURCE_DIR "/xml";
	if (hd_engine_new(&e, &eo, &d) || hd_gen_init(&g, e, seed)) {
		fprintf(stderr, "handout_onepage: cannot start the engine\n");
		return 1;
	}
	g.profile = HD_GEN_REALISTIC;
	ro.source_date_epoch = 0;
	for (i = 0; i < n; i++) {
		hd_diags rd = HD_DIAGS_INIT;
		hd_output out;
		int len = hd_gen_session(&g, xml, sizeof(xml));
		FILE *f = fopen(path, "w");
		if (!f || len < 0 || fwrite(xml, 1, (size_t)len, f) != (size_t)len || fclose(f)) {
			fprintf(stderr, "handout_onepage: cannot write %s\n", path);
			return 1;
		}
		if (hd_render_file(&out, e, path, &ro, HD_RENDER_DUMP, &rd) != HD_OK) {
			failed++;
		} else {
			/* ONEPAGE_KEEP=DIR keeps the sessions that ran over, to look at */
			const char *keep = getenv("ONEPAGE_KEEP");
			if (keep && out.pages > 1) {
				char kp[512];
				FILE *k;
				snprintf(kp, sizeof(kp), "%s/over-%04ld.xml", keep, i);
				k = fopen(kp, "w");
				if (k) {
					fwrite(xml, 1, (size_t)len, k);
					fclose(k);
				}
			}
			size_t k;
			for (k = 0; k < rd.count; k++)
				dropped += strstr(rd.items[k].message, "drawings") != NULL;
			one += out.pages == 1;
			nearly_empty += out.pages > 1 && out.last_fill < 0.25;
			at_size[(int)(out.body_size * 2) & 63]++;
		}
		hd_output_free(&out);
		hd_diags_free(&rd);
	}
	printf("sessions %ld\n", n);
	printf("one page %ld (%.1f %%)\n", one, n ? 100.0 * one / n : 0.0);
	printf("two pages or more %ld\n", n - one - failed);
	printf("nearly empty last page %ld\n", nearly_empty);
	printf("failed %ld\n", failed);
	printf("exercise drawings left out to fit %ld\n", dropped);
	for (i = 0; i < 64; i++) {
		if (at_size[i])
			printf("body %.1f pt: %ld\n", i / 2.0, at_size[i]);
	}
	hd_gen_free(&g);
	hd_engine_free(e);
	hd_diags_free(&d);
	remove(path);
	if (argc > 3 && (100.0 * one < strtod(argv[3], NULL) * n || nearly_empty || failed)) {
		fprintf(stderr, "handout_onepage: below the bar of %s %% on one page, or a nearly "
		                "empty last page, or a failure\n", argv[3]);
		return 1;
	}
	return 0;
}
