/*
 * Fuzz target: a session record, as bytes, through the loader and the merge
 * with the real library, template and clinic. Loading must report problems,
 * never crash, leak or read out of bounds; a session that loads must merge or
 * be refused with diagnostics.
 *
 * The data folder (schema/, library/, templates/, clinic/) is HD_FUZZ_DATA_DIR
 * from the environment, else the compile-time HD_FUZZ_DATA_DIR, else "xml"
 * (run from the source folder).
 *
 * Under CTest, tests/sh/test_fuzz_corpus.sh builds this file with driver.c and
 * runs it over tests/fuzz/corpus/session/ once. To fuzz for real with
 * libFuzzer (clang and libclang-rt-14-dev), instrument the library too, so
 * that coverage reaches the loader and merge, not only this file:
 *
 *   SRC=/path/to/handout   # the source folder
 *   F="-g -O1 -fsanitize=fuzzer-no-link,address,undefined"
 *   mkdir -p /tmp/fz && cd /tmp/fz
 *   for c in "$SRC"/src/[a-z]*.c; do
 *     clang $F -DHD_SOURCE_DATA_DIR="\"$SRC/xml\"" -DHD_ARENA_MALLOC=1 \
 *       -I"$SRC"/include -I"$SRC"/src \
 *       $(pkg-config --cflags libxml-2.0 harfbuzz harfbuzz-subset fontconfig libpng) -c "$c"
 *   done
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I"$SRC"/include -I"$SRC"/src \
 *     -DHD_FUZZ_DATA_DIR="\"$SRC/xml\"" "$SRC"/tests/fuzz/fuzz_session.c *.o \
 *     $(pkg-config --libs libxml-2.0 harfbuzz harfbuzz-subset fontconfig libpng zlib libqrencode) \
 *     -lhpdf -lhyphen -lpthread -lm -o fuzz_session
 *   cp -r "$SRC"/tests/fuzz/corpus/session corpus
 *   ./fuzz_session -max_total_time=60 -max_len=8192 -timeout=10 corpus
 *
 * A crash leaves crash-<sha1> in the current folder; add it to the corpus
 * once it is fixed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "merge.h"

#ifndef HD_FUZZ_DATA_DIR
#define HD_FUZZ_DATA_DIR "xml"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loaded once and kept for the life of the process (read-only afterwards);
 * the leak checker does not count what static pointers still reach. */
static struct {
	hd_loader *loader;
	hd_library *lib;
	hd_template *tmpl;
	hd_clinic *clinic;
	char path[4096]; /* the scratch file each input is written to */
} fz;

/* Stops the run: without the real content the target would test nothing. */
static void die(const char *what, hd_diags *d)
{
	fprintf(stderr, "fuzz_session: %s\n", what);
	if (d)
		hd_diags_print(d, stderr);
	abort();
}

static void init(void)
{
	const char *dir = getenv("HD_FUZZ_DATA_DIR");
	const char *tmp = getenv("TMPDIR");
	hd_diags d = HD_DIAGS_INIT;
	char path[4096];
	int fd;

	if (!dir || !*dir)
		dir = HD_FUZZ_DATA_DIR;
	snprintf(path, sizeof(path), "%s/schema", dir);
	if (hd_loader_new(&fz.loader, path, &d))
		die("cannot compile the schemas", &d);
	snprintf(path, sizeof(path), "%s/library", dir);
	if (hd_load_library_dir(&fz.lib, fz.loader, path, &d))
		die("cannot load the library", &d);
	snprintf(path, sizeof(path), "%s/templates/aftercare.xml", dir);
	if (hd_load_template(&fz.tmpl, fz.loader, path, &d))
		die("cannot load the template", &d);
	snprintf(path, sizeof(path), "%s/clinic/clinic.xml", dir);
	if (hd_load_clinic(&fz.clinic, fz.loader, path, &d))
		die("cannot load the clinic", &d);
	hd_diags_free(&d);

	snprintf(fz.path, sizeof(fz.path), "%s/fuzz_session.XXXXXX",
	         tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(fz.path);
	if (fd < 0)
		die("cannot create a scratch file", NULL);
	close(fd);
}

static void cleanup(void)
{
	unlink(fz.path);
	hd_clinic_free(fz.clinic);
	hd_template_free(fz.tmpl);
	hd_library_free(fz.lib);
	hd_loader_free(fz.loader);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_session_rec *s = NULL;
	hd_doc *m = NULL;
	FILE *f;

	if (!fz.loader) {
		init();
		atexit(cleanup);
	}
	f = fopen(fz.path, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		die("cannot write the scratch file", NULL);

	if (hd_load_session(&s, fz.loader, fz.path, fz.lib, &d) == HD_OK) {
		int rc = hd_merge(&m, fz.tmpl, s, fz.clinic, fz.lib, NULL, &d);
		/* The contract: a sheet, or diagnostics and no sheet. */
		if (rc == HD_OK && !m)
			die("merge returned HD_OK without a sheet", NULL);
		if (rc != HD_OK && (m || (rc == HD_EINPUT && d.nerrors == 0)))
			die("merge failed without saying why", &d);
		if (rc == HD_OK) {
			hd_buf text = HD_BUF_INIT;
			size_t k;
			/* Walk every flow: every span must be readable. */
			for (k = 0; k < m->nflows; k++)
				hd_block_plain_text(m->flows[k].blocks, &text);
			hd_buf_free(&text);
		}
	} else if (s || d.nerrors == 0) {
		die("load failed without saying why", &d);
	}
	hd_doc_free(m);
	hd_session_rec_free(s);
	hd_diags_free(&d);
	return 0;
}
