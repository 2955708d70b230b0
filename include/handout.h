/*
 * handout: personalized, print-ready PDF handouts from XML content.
 *
 * This header is the whole public API. Conventions (after libgit2):
 *  - every exported name starts with hd_ / HD_;
 *  - functions return 0 (HD_OK) or a negative hd_status;
 *  - output parameters come first and are named out; on failure *out is NULL;
 *  - a pointer returned through **out is the caller's and is released with the
 *    matching _free function; every _free accepts NULL;
 *  - problems with the input are appended to a caller-owned hd_diags list with
 *    file, line, column, a one-line message and, where it helps, a hint. One call
 *    reports every problem it can find, not only the first.
 *
 * Thread safety: an hd_engine may be shared by threads for hd_render calls once
 * it is fully loaded (it is read-only then); each call uses its own PDF document.
 */
#ifndef HANDOUT_H
#define HANDOUT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HD_VERSION_STRING "0.2.0"

/* HD_API marks what the library exports: it is built with hidden
 * visibility, so a function of this header without it is missing from
 * libhandout.so (tests/sh/test_install.sh compares the two). */
#if defined(HD_BUILDING_LIBRARY) && defined(__GNUC__)
#define HD_API __attribute__((visibility("default")))
#else
#define HD_API
#endif

/* Return codes. Details of input problems go to an hd_diags list. */
typedef enum hd_status {
	HD_OK = 0,
	HD_EINVAL = -1,  /* a bad argument from the caller (a programming error) */
	HD_ENOMEM = -2,  /* out of memory */
	HD_EIO = -3,     /* a file could not be read or written; see diags */
	HD_EINPUT = -4,  /* the input is invalid; every problem is in diags */
	HD_EFONT = -5,   /* a font is missing, unreadable or lacks a glyph */
	HD_EPDF = -6     /* libharu failed; see diags */
} hd_status;

/* Returns a static, human-readable name for a status code. */
HD_API const char *hd_status_str(int status);

/* ----- diagnostics ------------------------------------------------------ */

typedef enum hd_severity {
	HD_NOTE = 0,    /* what the program did on the user's behalf (shrunk type...) */
	HD_WARNING = 1, /* output is produced, but something deserves a look */
	HD_ERROR = 2    /* no output is produced */
} hd_severity;

/* One problem. Fixed-size text so that even out-of-memory can be reported.
 * line and col are 1-based; 0 means unknown. */
typedef struct hd_diag {
	hd_severity severity;
	int line;
	int col;
	char file[512];
	char message[512];
	char hint[256]; /* empty when there is no hint */
} hd_diag;

/* A growing list of diagnostics, owned by the caller. Initialise with
 * HD_DIAGS_INIT and release with hd_diags_free.
 *
 * One list stores at most HD_DIAGS_MAX_ERRORS errors, whatever reported
 * them (parser, schema, references, duplicates): later errors are counted
 * in nerrors and dropped but not stored, and the list then ends with one
 * more HD_ERROR entry, "N more errors not shown" (naming the file when all
 * of them are in one), kept last and updated as errors are dropped; it is
 * not counted in nerrors. Notes and warnings are always stored (before
 * that entry). */
typedef struct hd_diags {
	hd_diag *items;
	size_t count;
	size_t cap;
	size_t nerrors;  /* every error added, stored or not */
	int oom;         /* entries that could not be stored for lack of memory */
	size_t dropped;  /* errors not stored because of the cap */
} hd_diags;
#define HD_DIAGS_INIT { NULL, 0, 0, 0, 0, 0 }
#define HD_DIAGS_MAX_ERRORS 100

/* Frees the entries; d itself is the caller's. Accepts NULL. */
HD_API void hd_diags_free(hd_diags *d);

/* Formats one diagnostic as "file:line:col: error: message" followed, when
 * there is a hint, by "\n  hint: ...". Writes at most size bytes including the
 * NUL; returns the length it wanted (like snprintf). */
HD_API int hd_diag_format(char *buf, size_t size, const hd_diag *diag);

/* ----- engine: what is loaded once and reused across a batch ----------- */

typedef struct hd_engine hd_engine;

typedef struct hd_engine_options {
	unsigned version;       /* HD_ENGINE_OPTIONS_VERSION */
	const char *data_dir;   /* folder with schema/, library/, templates/; NULL: built-in default */
	const char *font_dir;   /* folder with DejaVuSans*.ttf; NULL: Debian's fonts-dejavu-core */
	/* since version 2: folder with the hyphenation dictionaries (hyph_en*.dic,
	 * hyph_es*.dic...); NULL: /usr/share/hyphen (Debian's hyphen-en-us,
	 * hyphen-es). A language without one is set without hyphenation, with
	 * a warning the first time a document needs it. */
	const char *hyphen_dir;
} hd_engine_options;
#define HD_ENGINE_OPTIONS_VERSION 2
#define HD_ENGINE_OPTIONS_INIT { HD_ENGINE_OPTIONS_VERSION, NULL, NULL, NULL }

/* Loads fonts, compiles the schemas and reads the content library (and, in
 * the background, the hyphenation dictionary of each of its languages).
 * opts->version may be 1 (no hyphen_dir) or 2.
 * On success *out is the caller's (hd_engine_free). On failure *out is NULL and
 * diags says what was wrong (a missing font, an invalid library file...). */
HD_API int hd_engine_new(hd_engine **out, const hd_engine_options *opts, hd_diags *diags);

/* Frees an engine. Accepts NULL. */
HD_API void hd_engine_free(hd_engine *engine);

/* The data folder in use (borrowed; valid while the engine lives). */
HD_API const char *hd_engine_data_dir(const hd_engine *engine);

/* ----- the content library ---------------------------------------------- */

/* Number of entries in the library. */
HD_API size_t hd_library_count(const hd_engine *engine);

/* Checks a language and a kind of entry given by a user: HD_OK when lang is
 * NULL or a language of the library and kind is NULL or a kind of entry
 * ("technique", "selfcare", "warning-sign"...); else HD_EINPUT with an error
 * in diags whose hint lists the choices. */
HD_API int hd_library_check(const hd_engine *engine, const char *lang, const char *kind,
                     hd_diags *diags);

/* Entry i (0 <= i < count) in id order. Strings are borrowed from the engine.
 * title is in lang, or in the library's first language when lang is NULL or
 * missing. Returns HD_EINVAL when i is out of range. */
HD_API int hd_library_entry(const hd_engine *engine, size_t i, const char *lang,
                     const char **id, const char **kind, const char **title);

/* ----- validation ------------------------------------------------------- */

/* Validates any handout XML file (library, template, clinic, session),
 * chosen by its root element, against its schema and, for sessions and
 * templates, against the library (references must resolve). Every problem
 * goes to diags. path "-" reads standard input (named "<stdin>" in
 * diagnostics). Returns HD_OK, HD_EIO or HD_EINPUT. */
HD_API int hd_validate_file(hd_engine *engine, const char *path, hd_diags *diags);

/* ----- rendering -------------------------------------------------------- */

/* The kinds of document. Each has its template, <data>/templates/<kind>.xml
 * by default; a template says which kind it is. */
typedef enum hd_doc_kind {
	HD_KIND_AFTERCARE = 0, /* the one-page sheet after a session */
	HD_KIND_BROCHURE = 1,  /* the tri-fold brochure, for a client or for anyone */
	HD_KIND_GUIDE = 2,     /* the personal multi-page guide */
	HD_KIND_CATALOGUE = 3, /* every library entry, for proofreading */
	HD_KIND_REPORT = 4,    /* the progress report over a client's visits */
	HD_KIND_COUNT
} hd_doc_kind;

/* Paper sizes. */
typedef enum hd_paper {
	HD_PAPER_A4 = 0,     /* 210 x 297 mm */
	HD_PAPER_LETTER = 1  /* 8.5 x 11 in */
} hd_paper;

typedef struct hd_render_options {
	unsigned version;           /* HD_RENDER_OPTIONS_VERSION */
	hd_doc_kind kind;           /* what to make (default HD_KIND_AFTERCARE) */
	const char *template_path;  /* NULL: <data>/templates/<kind>.xml */
	const char *clinic_path;    /* NULL: <data>/clinic/clinic.xml */
	int64_t source_date_epoch;  /* creation date of the PDF; < 0: the session date */
	/* For a document without a session (a brochure for anyone); a session
	 * says these itself. */
	const char *lang;           /* NULL: the library's first language */
	hd_paper paper;
	int large_print;
} hd_render_options;
#define HD_RENDER_OPTIONS_VERSION 2
#define HD_RENDER_OPTIONS_INIT \
	{ HD_RENDER_OPTIONS_VERSION, HD_KIND_AFTERCARE, NULL, NULL, -1, NULL, HD_PAPER_A4, 0 }

/* The result of rendering one session. */
typedef struct hd_output {
	unsigned char *pdf;  /* the PDF bytes (NULL when only a dump was asked) */
	size_t pdf_len;
	char *dump;          /* the layout dump (NULL unless asked for) */
	size_t dump_len;
	int pages;           /* pages laid out */
	double body_size;    /* body type size used, in points */
	double last_fill;    /* share of the last page's text area filled, 0 to 1 */
} hd_output;

/* Frees the buffers of an output (not the struct). Accepts NULL. */
HD_API void hd_output_free(hd_output *out);

#define HD_RENDER_PDF  1u  /* produce out->pdf */
#define HD_RENDER_DUMP 2u  /* produce out->dump, the laid-out pages as text */

/* Renders a document of opts->kind (an aftercare sheet by default) from the
 * session record at session_path, with the given template and clinic;
 * session_path "-" reads it from standard input (at most 1 MB, named
 * "<stdin>" in diagnostics). A brochure may have no session (session_path
 * NULL): it is then for anyone, in opts->lang on opts->paper. what is a mask
 * of HD_RENDER_PDF / HD_RENDER_DUMP. On success the buffers in *out are the
 * caller's (hd_output_free); notes about what was done (type shrunk, a second
 * page) are added to diags as HD_NOTE. On failure *out is zeroed, nothing is
 * produced and diags holds every problem found; HD_EINVAL for a bad argument
 * (an unknown kind, no session for a kind that needs one). */
HD_API int hd_render_file(hd_output *out, hd_engine *engine, const char *session_path,
                   const hd_render_options *opts, unsigned what, hd_diags *diags);

/* ----- the progress report ----------------------------------------------- */

/* A client's records folder holds one session record per visit: every
 * "*.xml" file in it that does not start with '.', named by the visit's
 * date ("2026-11-20.xml", "2026-11-20-1530.xml", "2026-11-20-deep.xml");
 * other files and subfolders are left alone. The records must be valid,
 * of one client (the same <client id>, or the same name where a record
 * has no id), with no two visits at the same date and time, and each
 * file's name must start with its visit's date; at most 1000 records.
 *
 * Checks the folder dir as hd_render_report would, reporting every
 * problem (file by file) to diags. Returns HD_OK, HD_EINPUT, HD_EIO (the
 * folder cannot be read) or HD_ENOMEM. hd_validate_file given a folder
 * does the same. */
HD_API int hd_validate_records(hd_engine *engine, const char *dir, hd_diags *diags);

/* Renders the progress report (kind HD_KIND_REPORT; opts->kind is
 * ignored) of the client whose records folder is dir: the visits in order,
 * the pain scores over time, where and how often the client was treated,
 * the latest visit's home programme, and the warning signs. The latest
 * visit gives the language, paper and print size; the PDF is dated by it
 * unless opts->source_date_epoch says otherwise. hd_render_file with
 * opts->kind HD_KIND_REPORT and a folder as session_path is the same call.
 * what, *out and the return values as for hd_render_file. */
HD_API int hd_render_report(hd_output *out, hd_engine *engine, const char *dir,
                     const hd_render_options *opts, unsigned what, hd_diags *diags);

/* ----- the proofreading catalogue ----------------------------------------- */

typedef struct hd_catalogue_options {
	unsigned version;           /* HD_CATALOGUE_OPTIONS_VERSION */
	const char *lang;           /* one language ("es"), or NULL for all of them */
	const char *template_path;  /* NULL: <data>/templates/catalogue.xml */
	const char *clinic_path;    /* NULL: <data>/clinic/clinic.xml */
	int64_t source_date_epoch;  /* creation date; < 0: the newest review date */
} hd_catalogue_options;
#define HD_CATALOGUE_OPTIONS_VERSION 1
#define HD_CATALOGUE_OPTIONS_INIT { HD_CATALOGUE_OPTIONS_VERSION, NULL, NULL, NULL, -1 }

/* Renders every entry of the content library (every word of it) into one
 * proofreading booklet with a table of contents, grouped by language and
 * kind. what and *out as for hd_render_file. Returns HD_OK, HD_EINPUT (for
 * instance a language the library lacks), HD_EIO or another hd_status. */
HD_API int hd_render_catalogue(hd_output *out, hd_engine *engine, const hd_catalogue_options *opts,
                        unsigned what, hd_diags *diags);

/* ----- delivery ----------------------------------------------------------- */

/* Writes len bytes to path atomically: a temporary file in the same folder,
 * fsync, then rename. A failed or interrupted call never leaves a partial file
 * at path.
 *
 * Temporary files: ".<name>.XXXXXX" beside path (<name> cut to 200 bytes,
 * XXXXXX six random letters or digits), locked with flock(LOCK_EX) for the
 * writer's whole life. A killed writer leaves its temporary file behind; the
 * next call that writes the same name removes every such regular file that
 * no live writer holds, with an HD_NOTE on its path for each, and touches
 * nothing else in the folder.
 *
 * What may be at path: nothing, or a regular file, which is replaced. Anything
 * else is refused and left as it is: a folder, a device node, a FIFO, a
 * socket, and a symbolic link whatever it points at (following links in an
 * output folder is how a planted link sends a write outside it). Only the
 * last part of path is checked; the folders leading to it are the caller's
 * choice. "-", "/dev/stdout" and "/dev/fd/1" write to standard output
 * (hd_path_is_stdout).
 *
 * Permissions: a replaced file keeps its permission bits (st_mode & 07777);
 * a new file gets 0666 less the process's umask.
 *
 * Returns HD_OK; HD_EIO when the file cannot be written or is refused, with
 * one error diagnostic whose file is path, saying what failed and what to
 * do; HD_ENOMEM; HD_EINVAL for a NULL or empty path, or NULL data with
 * len > 0. */
HD_API int hd_write_file_atomic(const char *path, const void *data, size_t len, hd_diags *diags);

/* The path of a default output file: dir, '/', then a safe file name made
 * from stem (for a session file, its base name without the extension: "zoe"
 * for "sessions/zoe.xml") followed by ext (such as ".pdf"; ASCII letters,
 * digits, '.', '-', '_', at most 16 bytes).
 *
 * The name keeps letters and digits of any script, '-' and '_'; white space
 * becomes '-'; everything else is left out: path separators, dots, other
 * punctuation, control and format characters, bytes that are not UTF-8. It
 * is at most 80 bytes before ext, never starts with '.' or '-' (never
 * hidden), an empty result is "client", and a Windows device name gets a '_'
 * ("CON" -> "CON_"). So the file is always inside dir, visible, and prints
 * on one line. Case is kept: callers that write several files into one
 * folder should treat names differing only in case as the same file.
 * dir NULL or "" gives the name alone; a dir ending in '/' gets no second
 * one.
 *
 * On success *out is a malloc'd string, the caller's (free). Returns HD_OK;
 * HD_EINVAL when out is NULL or ext is not acceptable; HD_ENOMEM. On failure
 * *out is NULL. */
HD_API int hd_output_path(char **out, const char *dir, const char *stem, const char *ext);

/* Returns 1 when hd_write_file_atomic writes path to standard output ("-",
 * "/dev/stdout", "/dev/fd/1"), else 0 (also for NULL). */
HD_API int hd_path_is_stdout(const char *path);

#ifdef __cplusplus
}
#endif
#endif /* HANDOUT_H */
