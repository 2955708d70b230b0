/*
 * Fuzz target: a session record, as bytes, through the whole pipeline with
 * the public API: load, merge, layout, fonts, PDF (and the layout dump).
 * Whatever the bytes, the call must return a status with diagnostics or a
 * PDF, never crash, leak or read out of bounds. Same data folder and build
 * recipe as fuzz_session.c (replace the target file name).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "handout.h"

#ifndef HD_FUZZ_DATA_DIR
#define HD_FUZZ_DATA_DIR "xml"
#endif

static hd_engine *engine;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_output out;
	char path[] = "/tmp/hd-fuzz-render-XXXXXX";
	int fd, r;

	if (!engine) {
		hd_engine_options eo = HD_ENGINE_OPTIONS_INIT;
		eo.data_dir = getenv("HD_FUZZ_DATA_DIR") ? getenv("HD_FUZZ_DATA_DIR") : HD_FUZZ_DATA_DIR;
		if (hd_engine_new(&engine, &eo, &d) != HD_OK) {
			fprintf(stderr, "fuzz_render: cannot load the data folder %s\n", eo.data_dir);
			abort();
		}
		hd_diags_free(&d);
	}
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	ro.source_date_epoch = 0;
	r = hd_render_file(&out, engine, path, &ro, HD_RENDER_PDF | HD_RENDER_DUMP, &d);
	unlink(path);
	if (r == HD_OK && (!out.pdf || out.pdf_len < 5 || memcmp(out.pdf, "%PDF-", 5)))
		abort(); /* success must mean a PDF */
	if (r != HD_OK && d.count == 0 && r != HD_ENOMEM)
		abort(); /* failure must say why */
	hd_output_free(&out);
	hd_diags_free(&d);
	return 0;
}
