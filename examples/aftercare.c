/*
 * aftercare: the smallest program that uses the installed library. It
 * builds one client's session in memory, the way a web form or a row of a
 * client list would, makes the aftercare sheet and writes it atomically.
 *
 *   aftercare [OUT.pdf]          (default: aftercare.pdf)
 *
 * Build it with pkg-config:
 *
 *   cc aftercare.c $(pkg-config --cflags --libs handout) -o aftercare
 *
 * or with CMake (the CMakeLists.txt beside it: find_package(handout)).
 * It prints the PDF's path, its pages and the data folder it used, and
 * every problem as file:line:col: error: message; the exit status is 0 on
 * success.
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
	hd_session *s = NULL;
	hd_output out = { 0 };
	const char *pdf = argc > 1 ? argv[1] : "aftercare.pdf";
	int status = 1;

	eo.data_dir = getenv("HANDOUT_DATA");            /* NULL: found beside the library */
	if (hd_engine_new(&engine, &eo, &diags) != HD_OK) /* once per batch */
		goto report;
	if (hd_session_new(&s, engine) != HD_OK)
		goto report;
	/* Each setter checks its value as the XML loader would (library ids
	 * included); a refused one is in diags. */
	hd_session_set_origin(s, "aftercare.c", __LINE__, NULL);
	hd_session_set_client(s, "Zoë Martin", &diags);
	hd_session_set_date(s, "2026-11-20", &diags);
	hd_session_set_therapist(s, "Maria Núñez", &diags);
	hd_session_add_technique(s, "swedish", &diags);
	hd_session_add_area(s, "lumbar-left", &diags);
	hd_session_add_area(s, "lumbar-right", &diags);
	hd_session_set_pressure(s, "medium", &diags);
	hd_session_add_note(s, "Your lower back was tight on both sides; it eased by the end.", &diags);
	hd_session_add_tip(s, "drink-water", NULL, &diags);
	hd_session_add_tip(s, "knee-to-chest", "Hold 30 seconds, 3 times, twice a day", &diags);
	hd_session_set_next_visit(s, "2026-12-04T10:30", &diags);
	if (diags.nerrors)
		goto report;
	if (hd_render(&out, engine, HD_KIND_AFTERCARE, s, &ro, &diags) != HD_OK)
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
	hd_session_free(s);
	hd_engine_free(engine);
	hd_diags_free(&diags);
	return status;
}
