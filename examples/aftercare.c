/*
 * aftercare: the smallest program that uses the installed library. It makes
 * one aftercare sheet from a session record and writes it atomically.
 *
 *   aftercare [SESSION.xml [OUT.pdf]]
 *
 * Without arguments it renders the sample session sessions/zoe.xml of the
 * installed data folder into aftercare.pdf. Build it with pkg-config:
 *
 *   cc aftercare.c $(pkg-config --cflags --libs handout) -o aftercare
 *
 * or with CMake (the CMakeLists.txt beside it: find_package(handout)).
 * It prints the PDF's path and the data folder it used, and every problem
 * as file:line:col: error: message; the exit status is 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>

#include <handout.h>

int main(int argc, char **argv)
{
	hd_engine_options eo = HD_ENGINE_OPTIONS_INIT;   /* the installed data and fonts */
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;   /* the default template and clinic */
	hd_diags diags = HD_DIAGS_INIT;
	hd_engine *engine = NULL;
	hd_output out = { 0 };
	char sample[4096];
	const char *session = argc > 1 ? argv[1] : NULL;
	const char *pdf = argc > 2 ? argv[2] : "aftercare.pdf";
	int status = 1;

	eo.data_dir = getenv("HANDOUT_DATA");            /* NULL: found beside the library */
	if (hd_engine_new(&engine, &eo, &diags) != HD_OK) /* once per batch */
		goto report;
	if (!session) {
		snprintf(sample, sizeof sample, "%s/sessions/zoe.xml", hd_engine_data_dir(engine));
		session = sample;
	}
	if (hd_render_file(&out, engine, session, &ro, HD_RENDER_PDF, &diags) != HD_OK)
		goto report;
	if (hd_write_file_atomic(pdf, out.pdf, out.pdf_len, &diags) != HD_OK)
		goto report;
	printf("%s: %d page%s (data: %s)\n", pdf, out.pages, out.pages == 1 ? "" : "s",
	       hd_engine_data_dir(engine));
	status = 0;
report:
	/* every problem and note, as file:line:col: error: message */
	for (size_t i = 0; i < diags.count; i++) {
		char line[1600];
		hd_diag_format(line, sizeof line, &diags.items[i]);
		fprintf(stderr, "%s\n", line);
	}
	hd_output_free(&out);
	hd_engine_free(engine);
	hd_diags_free(&diags);
	return status;
}
