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
	HD_EPDF = -6,    /* libharu failed; see diags */
	HD_ECANCELLED = -7, /* a callback asked to stop (hd_batch) */
	HD_ESEND = -8    /* the mail server refused the message or could not be reached */
} hd_status;

/* Returns a static, human-readable name for a status code. */
HD_API const char *hd_status_str(int status);

/* ----- diagnostics ------------------------------------------------------ */

typedef enum hd_severity {
	HD_NOTE = 0,    /* what the program did on the user's behalf (shrunk type...) */
	HD_WARNING = 1, /* output is produced, but something deserves a look */
	HD_ERROR = 2    /* no output is produced */
} hd_severity;

/* What a diagnostic is about, stable across versions (a manifest or a form
 * may store it): the number never changes meaning, and hd_diag_code_name
 * gives each one a stable lower-case name ("too-long") for text files. */
typedef enum hd_diag_code {
	HD_DIAG_NONE = 0,         /* not classified (notes, warnings, library problems) */
	HD_DIAG_INVALID = 1,      /* a value is wrong in a way no other code says */
	HD_DIAG_XML = 2,          /* not well-formed XML, or not valid against its schema */
	HD_DIAG_IO = 3,           /* a file could not be read or written */
	HD_DIAG_MISSING = 4,      /* a required field is not given */
	HD_DIAG_EMPTY = 5,        /* a field is given but empty (or only white space) */
	HD_DIAG_TOO_LONG = 6,     /* a text is longer than its field's limit */
	HD_DIAG_BAD_DATE = 7,     /* not a date (or date and time), or not a real one */
	HD_DIAG_BAD_VALUE = 8,    /* not one of the values the field allows */
	HD_DIAG_DUPLICATE = 9,    /* listed twice (a technique, an area, a row id) */
	HD_DIAG_UNKNOWN_REF = 10, /* an id that is not in the content library (or the wrong kind) */
	HD_DIAG_DATE_ORDER = 11,  /* the next visit is before the session */
	HD_DIAG_CSV = 12,         /* a client list is malformed (quotes, columns, NUL bytes) */
	HD_DIAG_ENCODING = 13,    /* text that is not UTF-8 */
	HD_DIAG_TOO_BIG = 14,     /* a cell, a row or a file over its size limit */
	HD_DIAG_NAME_CLASH = 15,  /* two rows would write the same output file */
	HD_DIAG_RENDER = 16,      /* the document could not be laid out or written */
	HD_DIAG_CODE_COUNT
} hd_diag_code;

/* The stable name of a code: "" for HD_DIAG_NONE, "invalid", "xml", "io",
 * "missing", "empty", "too-long", "bad-date", "bad-value", "duplicate",
 * "unknown-ref", "date-order", "csv", "encoding", "too-big", "name-clash",
 * "render"; "unknown" for any other number. Static; never NULL. */
HD_API const char *hd_diag_code_name(int code);

#define HD_DIAG_NARGS 4     /* variable parts of one message (hd_diag.args) */
#define HD_DIAG_ARG_MAX 128 /* bytes of one, with the NUL */

/* One problem. Fixed-size text so that even out-of-memory can be reported.
 * line and col are 1-based; 0 means unknown. */
typedef struct hd_diag {
	hd_severity severity;
	int line;
	int col;
	char file[512];
	char message[512];
	char hint[256]; /* empty when there is no hint */
	/* since 0.3: what the problem is and which field of a session it
	 * concerns (the names hd_session_set takes: "client", "date",
	 * "techniques"...; empty when it concerns no one field) */
	int code;       /* an hd_diag_code */
	char field[32];
	/* For a row of a table (a CSV client list): line is the row, and this
	 * is the column's name as the file's header row writes it, printed in
	 * place of a column number: "clients.csv:12:First Name: error: ...".
	 * Empty otherwise. */
	char column[128];
	/* since 0.3: which form of the problem this is within its code, a
	 * stable lower-case name ("month" for a bad date's month, "did-you-mean"
	 * for an unknown id with a suggestion...; empty when the code says it
	 * all), and the variable parts of the message in the order that form
	 * takes them (the refused value, a limit, the suggestion...; "" when
	 * unused; cut at HD_DIAG_ARG_MAX - 1 bytes on a UTF-8 boundary).
	 * hd_diag_text words the diagnostic in another language from these. */
	char detail[24];
	char args[HD_DIAG_NARGS][HD_DIAG_ARG_MAX];
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

/* Formats one diagnostic as "file:line:col: error: message" (or
 * "file:row:column-name: ..." when diag->column is set) followed, when
 * there is a hint, by "\n  hint: ...". Writes at most size bytes including the
 * NUL; returns the length it wanted (like snprintf). */
HD_API int hd_diag_format(char *buf, size_t size, const hd_diag *diag);

/* A diagnostic worded in one language (hd_diag_text). Fixed-size, like
 * hd_diag: nothing to free. */
typedef struct hd_diag_words {
	char message[512];
	char hint[256];   /* empty when there is no hint */
	int translated;   /* 1: in the language asked for; 0: the diagnostic's own English */
} hd_diag_words;

/* Words diag in lang ("en" or "es"; NULL: "en") for a person at a form:
 * the message and hint come from the library's table of messages
 * (src/util/diag_text.c), found by the diagnostic's code, field and detail,
 * with its args put in and the field named as a form labels it ("Dolor
 * después: «12» no es una puntuación de dolor."). In English, and for any
 * diagnostic the table has no text for in lang (a language it does not
 * know, a problem with no detail, a part of the message missing), they are
 * diag->message and diag->hint unchanged, byte for byte, with translated 0
 * unless lang is English: a missing translation falls back to English,
 * never to nothing. Every problem the session setters, hd_session_check,
 * hd_session_write_xml, hd_mail_new and hd_mail_send report, and text a
 * sheet cannot print, has Spanish text (tests/unit/test_diag_text.c);
 * problems with files (XML, fonts, folders) are English only. Reads only
 * static data: safe from any thread. Returns HD_OK; HD_EINVAL when out or
 * diag is NULL (out, when not NULL, is then emptied). */
HD_API int hd_diag_text(hd_diag_words *out, const hd_diag *diag, const char *lang);

/* ----- engine: what is loaded once and reused across a batch ----------- */

typedef struct hd_engine hd_engine;

typedef struct hd_engine_options {
	unsigned version;       /* HD_ENGINE_OPTIONS_VERSION */
	const char *data_dir;   /* folder with schema/, library/, templates/; NULL: built-in default */
	/* folder with DejaVuSans*.ttf, to use instead of the default family of
	 * the font configuration (<data>/fonts/fonts.xml, else the installed
	 * fonts/fonts.xml: DejaVu Sans from Debian's fonts-dejavu-core and
	 * fonts-dejavu-extra); NULL: that default */
	const char *font_dir;
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

/* ----- the vocabulary of a form ----------------------------------------------- */

/* Choice i (from 0) of a session field with a fixed list of values, for a
 * form that offers them (never a list of its own): field "areas" (the body
 * area codes, head to toe), "pressure", "language" (the library's
 * languages), "size" or "paper". *value is the code hd_session_set takes;
 * *label (label may be NULL) is how the aftercare template says it in lang
 * ("Lower back, left side") for areas and pressures, else the code. Both
 * borrowed from the engine. Returns HD_OK, or HD_EINVAL when field is not
 * one of these or i is past the end (so a loop stops there). */
HD_API int hd_field_choice(hd_engine *engine, const char *field, size_t i, const char *lang,
                           const char **value, const char **label);

/* The default dose of library entry i (a self-care tip or an exercise: "Hold
 * 30 s, 3 times, twice a day") in lang, falling back to the library's first
 * language; NULL when it has none or i is out of range. Borrowed. */
HD_API const char *hd_library_entry_dose(const hd_engine *engine, size_t i, const char *lang);

/* The library's drawing id ("body-back") as an SVG document for a web page:
 * its paths in painting order with their colours ("currentColor" for the
 * clinic's colour), its text alternative in lang as <title> and aria-label,
 * and each named region of the body diagram as an unpainted
 * <path class="region" data-region="lumbar-left" .../>, so that a page can
 * make the regions clickable. *out is a NUL-terminated malloc'd string, the
 * caller's (free); *len (len may be NULL) its length. Returns HD_OK,
 * HD_EINPUT when the library has no such drawing, HD_EINVAL, HD_ENOMEM. */
HD_API int hd_drawing_svg(char **out, size_t *len, hd_engine *engine, const char *id,
                          const char *lang);

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
	/* since version 3: what hd_render makes, a mask of HD_RENDER_PDF and
	 * HD_RENDER_DUMP (0: the PDF); hd_render_file takes it as an argument */
	unsigned what;
} hd_render_options;
#define HD_RENDER_OPTIONS_VERSION 3
#define HD_RENDER_OPTIONS_INIT \
	{ HD_RENDER_OPTIONS_VERSION, HD_KIND_AFTERCARE, NULL, NULL, -1, NULL, HD_PAPER_A4, 0, 0 }

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

/* ----- sessions in memory ------------------------------------------------ */

/* One client's session record, however it was made: loaded from an XML file
 * or buffer, or built field by field (a web form, a row of a CSV client
 * list). Opaque; bound to the engine it was made with, which must outlive it.
 * A session is not thread-safe while it is being changed; once built it may
 * be rendered from several threads at once.
 *
 * The setters check a value exactly as the XML loader checks the same field
 * (the same limits, dates, allowed values, duplicates, library ids), and
 * report a refused value with the same message, code (hd_diag_code) and
 * field; only messages that name an XML element ("<name> is empty") name
 * the field instead ("the client's name is empty"). A refused value leaves
 * the field as it was. Diagnostics point at the origin set with
 * hd_session_set_origin (a file and line, or a table's row and column). */
typedef struct hd_session hd_session;

/* A new, empty session for engine: language "en", A4, standard print.
 * *out is the caller's (hd_session_free). Returns HD_OK, HD_EINVAL or
 * HD_ENOMEM. */
HD_API int hd_session_new(hd_session **out, hd_engine *engine);

/* Loads a session record file (path "-": standard input), checked like
 * hd_render_file checks it, references to the library included. On success
 * *out is the caller's; on failure NULL, with every problem in diags.
 * Returns HD_OK, HD_EIO, HD_EINPUT or HD_ENOMEM. */
HD_API int hd_session_load_file(hd_session **out, hd_engine *engine, const char *path, hd_diags *diags);

/* The same from len bytes of XML at buf (copied; at most 1 MB), called name
 * in diagnostics (NULL: "<buffer>"). */
HD_API int hd_session_load_buffer(hd_session **out, hd_engine *engine, const char *name,
                           const void *buf, size_t len, hd_diags *diags);

/* Frees a session. Accepts NULL. */
HD_API void hd_session_free(hd_session *session);

/* Where the values set from now on come from, for diagnostics: file (copied;
 * NULL: none), line (a table's row; 0: none) and column, a table column's
 * name (copied; NULL: none), printed as "file:line:column: error: ...". */
HD_API int hd_session_set_origin(hd_session *session, const char *file, int line, const char *column);

/* Sets one field by name from text, the way a form or a CSV cell gives it.
 * The fields (documented in README.md, "For clinic managers"):
 *   client_id    the clinic's number for the client: 1-64 letters, digits, '.',
 *                '_', '-', starting with a letter or digit
 *   client       the client's name (1-100 characters)        required
 *   email        the client's email address
 *   date         the session's date, YYYY-MM-DD              required by sheets and guides
 *   time         the time of the visit, HH:MM (24-hour)
 *   therapist    the therapist's name (1-100 characters)     required by sheets and guides
 *   language     en or es (default en)
 *   size         standard or large (the print size)
 *   paper        a4 or letter
 *   techniques   library ids of techniques, separated by commas, semicolons or
 *                white space; added to those set before    required by sheets and guides
 *   areas        body area codes, separated the same way   required by sheets and guides
 *   pressure     light, medium, firm or deep
 *   pain_before, pain_after
 *                pain on the 0-10 numeric rating scale, a whole number
 *   notes        plain text; each line is a paragraph (empty lines ignored);
 *                added after the notes set before
 *   tips         self-care tips: items separated by semicolons or line breaks,
 *                each "id" or "id: personal dose"; added to those set before
 *   next_visit   YYYY-MM-DD or YYYY-MM-DDTHH:MM, not before date
 * An empty value leaves an optional field unset and is an error
 * (HD_DIAG_EMPTY) for client and therapist. Returns HD_OK; HD_EINPUT with
 * the problem in diags; HD_EINVAL for an unknown field name (also reported
 * in diags, code HD_DIAG_BAD_VALUE, with the names as a hint); HD_ENOMEM. */
HD_API int hd_session_set(hd_session *session, const char *field, const char *value, hd_diags *diags);

/* 1 when name is a field hd_session_set knows, else 0. */
HD_API int hd_session_field_known(const char *name);

/* Typed setters; each is hd_session_set of its field, for one item where
 * the field is a list. */
HD_API int hd_session_set_client(hd_session *session, const char *name, hd_diags *diags);
HD_API int hd_session_set_client_id(hd_session *session, const char *id, hd_diags *diags);
HD_API int hd_session_set_time(hd_session *session, const char *hh_mm, hd_diags *diags);
/* Scores 0-10, -1 for not given; HD_EINVAL for any other number. */
HD_API int hd_session_set_pain(hd_session *session, int before, int after);
HD_API int hd_session_set_email(hd_session *session, const char *email, hd_diags *diags);
HD_API int hd_session_set_date(hd_session *session, const char *yyyy_mm_dd, hd_diags *diags);
HD_API int hd_session_set_therapist(hd_session *session, const char *name, hd_diags *diags);
HD_API int hd_session_set_language(hd_session *session, const char *lang, hd_diags *diags);
HD_API int hd_session_set_paper(hd_session *session, hd_paper paper);
HD_API int hd_session_set_large_print(hd_session *session, int large);
HD_API int hd_session_add_technique(hd_session *session, const char *id, hd_diags *diags);
HD_API int hd_session_add_area(hd_session *session, const char *code, hd_diags *diags);
HD_API int hd_session_set_pressure(hd_session *session, const char *pressure, hd_diags *diags);
/* One paragraph of plain text (white space collapsed). */
HD_API int hd_session_add_note(hd_session *session, const char *paragraph, hd_diags *diags);
/* dose NULL: the tip's default dose. */
HD_API int hd_session_add_tip(hd_session *session, const char *id, const char *dose, hd_diags *diags);
HD_API int hd_session_set_next_visit(hd_session *session, const char *when, hd_diags *diags);

/* Adds the therapist's notes written as plain text with light markup, the
 * way a form's text box gives them: a blank line starts a new paragraph
 * (lines between blank lines are one paragraph); lines starting "- " or
 * "* " are a bulleted list, "1. " or "1) " a numbered one (a line under an
 * item continues it); "**strong**" and "*emphasis*" (or "_emphasis_")
 * within a line. Added after the notes set before. Returns HD_OK, HD_EINVAL
 * or HD_ENOMEM; text with no words adds nothing. */
HD_API int hd_session_add_notes_text(hd_session *session, const char *text, hd_diags *diags);

/* Checks that the session has what a document of kind needs: a client's
 * name for a brochure; for an aftercare sheet and a guide also the date,
 * the therapist, at least one technique and one area, and a next visit not
 * before the date. Reports every missing field (HD_DIAG_MISSING). Returns
 * HD_OK, HD_EINPUT or HD_EINVAL. hd_render calls it. */
HD_API int hd_session_check(const hd_session *session, hd_doc_kind kind, hd_diags *diags);

/* The client's name (borrowed; "" when not set). */
HD_API const char *hd_session_client(const hd_session *session);
/* The client id (borrowed), or NULL when not set. */
HD_API const char *hd_session_client_id(const hd_session *session);

/* The session as a session record file (xml/schema/session.rng), the
 * file hd_session_load_file reads back to the same session: what a form
 * saves into the client's records folder. The session must have what an
 * aftercare sheet needs (hd_session_check) and text that XML can carry
 * (UTF-8 without control characters); else HD_EINPUT with every problem in
 * diags. On success *out is a NUL-terminated malloc'd string, the caller's
 * (free), and *len (len may be NULL) its length. Returns HD_OK, HD_EINPUT,
 * HD_EINVAL or HD_ENOMEM. */
HD_API int hd_session_write_xml(char **out, size_t *len, const hd_session *session,
                                hd_diags *diags);

/* Renders a document of kind (any kind but the catalogue) for session
 * (NULL: a brochure for anyone, in opts->lang on opts->paper; the other
 * kinds need a session) with opts's template and clinic; opts->kind is
 * ignored, opts NULL means the defaults, and opts version 2 is accepted. The
 * PDF, and the layout dump when opts->what asks for it (0: the PDF only), go
 * into *out as for hd_render_file (the caller's; hd_output_free). A brochure
 * from a session without a date is dated like a brochure for anyone.
 * Returns what hd_render_file returns; HD_EINPUT when the session lacks what
 * kind needs (hd_session_check); HD_EINVAL for a bad argument. Thread-safe
 * for one engine and one (unchanging) session. */
HD_API int hd_render(hd_output *out, hd_engine *engine, hd_doc_kind kind, const hd_session *session,
              const hd_render_options *opts, hd_diags *diags);

/* Renders the progress report over sessions[0..n) (1 <= n <= 1000), the
 * visits of one client in any order (they are sorted by date and time), as
 * hd_render_report does over a records folder: the sessions must be of one
 * client (the same client id; where one has none, the same name) with no two
 * at the same date and time, and each must have what a report needs
 * (hd_session_check). The sessions are only read. opts and *out as for
 * hd_render. Returns HD_OK, HD_EINPUT (every problem in diags), HD_EINVAL
 * (n out of range, a NULL session) or another hd_status. */
HD_API int hd_render_history(hd_output *out, hd_engine *engine, const hd_session *const *sessions,
                      size_t n, const hd_render_options *opts, hd_diags *diags);

/* ----- client lists ------------------------------------------------------ */

/* A client list: one session per row, for a batch. Read from
 *  - a CSV file (name ending in .csv or .txt, any case): RFC 4180 quoting
 *    (cells in double quotes may hold the delimiter, "" and line breaks),
 *    CRLF or LF line ends, UTF-8 with or without a byte order mark, the
 *    delimiter ',' or ';' found from the header row. The header row names
 *    the columns; each is a session field (hd_session_set's names; also
 *    name, id, lang, e-mail; case, spaces and '-' do not matter) or is
 *    mapped to one by a mapping file, else it is ignored with a warning.
 *    Several columns mapped to one text or list field are joined (First
 *    Name + Last Name: the client's name). Bytes that are not UTF-8 refuse
 *    the file (Excel's plain "CSV" is Windows-1252) unless the encoding
 *    "windows-1252" is given, which converts every byte;
 *  - an XML list (name ending in .xml): <sessions xmlns="urn:handout:list:1"
 *    version="1"> with one <session file="PATH"/> per record (PATH
 *    relative to the list's folder), each a session record file.
 * A row's id is its client_id when it has one, else "r" and its row number
 * ("r2": the first client row of a CSV file, the header being row 1; the
 * first <session> of an XML list is r1).
 *
 * A mapping file: one "Column Name = field" per line ('#' starts a
 * comment line; the last '=' splits; "= -" ignores the column).
 *
 * A list that cannot be read as a whole (unterminated quote, a header with
 * too many columns, the wrong encoding, two columns for one single-valued
 * field) is refused with every problem in diags; problems of one row are
 * reported when that row is made (hd_batch). */
typedef struct hd_list hd_list;

typedef struct hd_list_options {
	unsigned version;          /* HD_LIST_OPTIONS_VERSION */
	const char *mapping_path;  /* NULL: column names are field names */
	const char *encoding;      /* NULL or "utf-8"; or "windows-1252" to convert */
	char delimiter;            /* 0: found from the header row; or ',' or ';' */
} hd_list_options;
#define HD_LIST_OPTIONS_VERSION 1
#define HD_LIST_OPTIONS_INIT { HD_LIST_OPTIONS_VERSION, NULL, NULL, 0 }

/* Reads a client list. On success *out is the caller's (hd_list_free) and
 * diags may hold warnings (ignored columns); on failure *out is NULL.
 * Returns HD_OK, HD_EIO, HD_EINPUT, HD_ENOMEM or HD_EINVAL. */
HD_API int hd_list_load(hd_list **out, const char *path, const hd_list_options *opts, hd_diags *diags);

/* The number of rows (clients), the header not counted. */
HD_API size_t hd_list_count(const hd_list *list);
/* Row i's id (borrowed) and its row number, as diagnostics give it. */
HD_API const char *hd_list_row_id(const hd_list *list, size_t i);
HD_API int hd_list_row_line(const hd_list *list, size_t i);
/* Builds the session of row i (0-based, in file order) into *out, the
 * caller's (hd_session_free), checked cell by cell with hd_session_set;
 * every problem of the row (bad cells, a row refused when the file was read:
 * too many cells, a NUL byte, a cell over 64 KB) goes to diags as
 * "file:ROW:COLUMN: error: ...". An XML list's row is its session file,
 * loaded. Whether the session has what a kind needs is hd_render's check.
 * A CSV list keeps where each row is in its file, which stays open while
 * the list lives, and reads the row again here: HD_EIO, with the row in
 * diags, when the file no longer holds it (changed in place since
 * hd_list_load; a file replaced by a new one is not seen).
 * Returns HD_OK, HD_EINPUT, HD_EIO, HD_ENOMEM or HD_EINVAL; on failure *out
 * is NULL. Thread-safe: rows may be read by several threads at once. */
HD_API int hd_list_session(hd_session **out, const hd_list *list, size_t i, hd_engine *engine,
                           hd_diags *diags);
/* Frees a list. Accepts NULL. */
HD_API void hd_list_free(hd_list *list);

/* ----- batches ------------------------------------------------------------ */

/* Progress of a batch, for a progress bar. */
typedef struct hd_batch_progress {
	size_t total;    /* rows this run handles (this shard's share of the list) */
	size_t done;     /* rows finished so far, whatever their status */
	size_t made, skipped, refused, failed;
	double elapsed;  /* seconds since the batch started (monotonic clock) */
} hd_batch_progress;

/* One finished row, for messages. Every pointer is borrowed for the call. */
typedef struct hd_batch_row {
	size_t index;          /* in the list, 0-based */
	const char *id;        /* the row's id */
	int line;              /* its row number in the list */
	const char *status;    /* "made", "skipped", "refused" or "failed"; from
	                          hd_batch_check, "ready", "refused" or "failed" */
	const char *output;    /* the output path (in out_dir); NULL when refused */
	int pages;
	size_t bytes;
	const hd_diags *diags; /* why it was refused or failed; notes about fitting */
} hd_batch_row;

typedef struct hd_batch_options {
	unsigned version;             /* HD_BATCH_OPTIONS_VERSION */
	hd_doc_kind kind;             /* brochure, guide or aftercare sheet */
	const char *template_path;    /* NULL: <data>/templates/<kind>.xml */
	const char *clinic_path;      /* NULL: <data>/clinic/clinic.xml */
	const char *out_dir;          /* NULL: "out"; created when missing, with its parents */
	const hd_list_options *list;  /* how to read the list; NULL: the defaults */
	unsigned jobs;                /* worker threads; 0 or 1: one; at most 64 */
	int force;                    /* remake every row, even unchanged ones */
	unsigned shard_index;         /* this run's share: rows whose id hashes to */
	unsigned shard_count;         /* shard_index mod shard_count; count 0 or 1: all */
	int64_t source_date_epoch;    /* as in hd_render_options; < 0: the session's date */
	unsigned sync_every;          /* documents between two syncs of the folder; 0: 1000 */
	/* Called after each row and at the end, from the worker that finished
	 * the row, one call at a time (the batch holds a lock). */
	void (*progress)(const hd_batch_progress *progress, void *ctx);
	void (*row_done)(const hd_batch_row *row, void *ctx);
	/* Polled before each row is started: nonzero stops the batch; the rows
	 * under way are finished and the manifest is written. */
	int (*cancel)(void *ctx);
	void *ctx;
	/* Since version 2. Documents each worker makes in memory before it
	 * writes their files together (at most 4 MB of them); row_done and
	 * progress are called when they are written. Writing between two
	 * renderings cost the file system twice the CPU (README, "Measured
	 * speed"). 0 or more than 16: 16; 1: each file written as soon as made. */
	unsigned write_group;
} hd_batch_options;
#define HD_BATCH_OPTIONS_VERSION 2 /* 1: the same without write_group */
#define HD_BATCH_OPTIONS_INIT \
	{ HD_BATCH_OPTIONS_VERSION, HD_KIND_BROCHURE, NULL, NULL, NULL, NULL, 1, 0, 0, 0, -1, 0, \
	  NULL, NULL, NULL, NULL, 0 }

typedef struct hd_batch_result {
	size_t rows;        /* in the list */
	size_t total;       /* this run's share */
	size_t made, skipped, refused, failed;
	int cancelled;
	char manifest_csv[1024];   /* the manifests' paths */
	char manifest_jsonl[1024];
} hd_batch_result;

/* Makes one document of o->kind per row of the client list at list_path
 * (hd_list_load with o->list) into o->out_dir, and the manifest beside them.
 *
 * Names: <client name> <row id>[-brochure|-guide].pdf through hd_output_path
 * (so every name is safe inside the folder); a row whose id or output name
 * (ignoring letter case) repeats an earlier row's is refused, in every
 * shard alike.
 * Manifest: <out_dir>/manifest.csv and manifest.jsonl (with shards:
 * manifest-K-of-N.csv/.jsonl), columns row, id, client, status, output,
 * pages, bytes, sha256, code, field, column, message, inputs (see README,
 * "For clinic managers"); output is the file's name in out_dir. A line is appended to both as each row finishes,
 * after its file is in place; at the end both are rewritten, one line per
 * row in list order, atomically.
 * Resume: a row is skipped (status "skipped") when the manifest already
 * lists it as made or skipped with the same inputs (the SHA-256 of the row,
 * the template, the clinic folder, the library, SOURCE_DATE_EPOCH and this
 * version) and its file is still there with the listed size and SHA-256;
 * o->force makes every row again.
 * Durability: a new file is written unnamed (O_TMPFILE where the file
 * system has it) and linked into place, a file replaced is written to a
 * temporary name and renamed; neither is fsync'ed on its own; every
 * o->sync_every documents and at the end the folder's file system is synced
 * (syncfs) once, and the documents just synced are dropped from the page
 * cache (POSIX_FADV_DONTNEED: a batch's hundreds of megabytes do not push
 * other programs' files out of it). When hd_batch returns, every file and
 * both manifests are on disk.
 *
 * Returns HD_OK when every row of the share was made or skipped; HD_EINPUT
 * when some rows were refused (the others made; also when the list cannot be
 * read, then nothing is made); HD_EIO when the folder or a manifest cannot be
 * written or a row's file could not be (status "failed"), or when the list
 * was changed in place while the batch read it (no row is started after the
 * first it no longer finds; that row is "failed"); HD_ECANCELLED when
 * o->cancel stopped it; another hd_status for a failure of the engine. *out
 * is filled in whatever happens (zeroed first). File-level problems go to
 * diags; rows' problems go to o->row_done and the manifest. */
HD_API int hd_batch(hd_batch_result *out, hd_engine *engine, const char *list_path,
             const hd_batch_options *o, hd_diags *diags);

/* Checks every row of this run's share as hd_batch would make it, without
 * making or writing anything (no folder, no manifest, no document): the
 * list and its columns, each row's session with every value checked, what
 * o->kind needs of it, repeated ids and file names; for progress reports,
 * each client's records folder (hd_validate_records). Layout is not run, so
 * the rare document that cannot be laid out is found only by hd_batch. For
 * a clinic manager to mend the spreadsheet before a long batch: 10,000 rows
 * take well under a second.
 *
 * o as for hd_batch (out_dir, force and sync_every are not used). out->made
 * counts the rows that are ready, out->refused those refused for their
 * values, out->failed those that could not be read (an XML list's missing
 * session file, a list changed in place); o->row_done gets each row with
 * status "ready", "refused" or "failed" and its problems; o->progress and
 * o->cancel as for hd_batch. Returns HD_OK when every row of the share is
 * ready; HD_EINPUT when some are refused, or the list or its columns are
 * (problems in diags); HD_EIO when a row or the list could not be read;
 * HD_ECANCELLED; HD_EINVAL; HD_ENOMEM. */
HD_API int hd_batch_check(hd_batch_result *out, hd_engine *engine, const char *list_path,
                          const hd_batch_options *o, hd_diags *diags);

/* The shard of a row id among count shards: a stable hash (FNV-1a, 64 bits)
 * of the id modulo count, so that adding rows to a list never moves the
 * others. count 0 is treated as 1. */
HD_API unsigned hd_batch_shard_of(const char *row_id, unsigned count);

/* Merges per-shard manifests (JSON Lines, as hd_batch writes them; the
 * last line of a row wins within a file) into one pair: out_base.csv and
 * out_base.jsonl, one line per row in row order, written atomically. A row
 * listed by two inputs is an error (HD_EINPUT: a row done twice) unless
 * both lines are identical. When the inputs are shards' manifests
 * (manifest-K-of-N.*) and some K of N is not among them, the merged
 * manifest is written and HD_EINPUT says which shards are missing (so a
 * third of a list never passes for the whole). Returns HD_OK, HD_EIO,
 * HD_EINPUT or HD_ENOMEM. */
HD_API int hd_manifest_merge(const char *out_base, const char *const *inputs, size_t ninputs,
                      hd_diags *diags);
/* ----- programmes (the desk's presets) ------------------------------------------ */

/* The clinic's common programmes ("desk worker, first visit"), a file of
 * xml/schema/presets.rng (xml/presets/presets.xml): each names techniques,
 * areas, a pressure and self-care tips with optional doses, which the desk
 * fills in with one click. Opaque; bound to the engine it was loaded with. */
typedef struct hd_presets hd_presets;

/* Loads and checks a programmes file like every handout file (schema, ids
 * unique, nothing listed twice, every reference in the library).
 * hd_validate_file checks one too. On success *out is the caller's
 * (hd_presets_free); on failure NULL, every problem in diags. Returns HD_OK,
 * HD_EIO, HD_EINPUT, HD_EINVAL or HD_ENOMEM. */
HD_API int hd_presets_load(hd_presets **out, hd_engine *engine, const char *path,
                           hd_diags *diags);
/* Frees programmes. Accepts NULL. */
HD_API void hd_presets_free(hd_presets *presets);
/* How many programmes (0 for NULL). */
HD_API size_t hd_presets_count(const hd_presets *presets);
/* Programme i's id and its title in lang (else its first title); each
 * pointer may be NULL; borrowed. Returns HD_OK or HD_EINVAL past the end. */
HD_API int hd_preset_info(const hd_presets *presets, size_t i, const char *lang,
                          const char **id, const char **title);
/* Item j (from 0) of programme i as hd_session_set's field and one value:
 * ("techniques", "swedish"), ("areas", "neck"), ("pressure", "firm"),
 * ("tips", "knee-to-chest") with *dose its dose (NULL: the library's; dose
 * may be NULL). Borrowed. Returns HD_OK, or HD_EINVAL past the last item
 * (so a loop stops there). */
HD_API int hd_preset_item(const hd_presets *presets, size_t i, size_t j, const char **field,
                          const char **value, const char **dose);
/* Adds programme i's items to session with the setters (a technique,
 * area or tip the session has already is reported as listed twice).
 * Returns HD_OK, HD_EINPUT (diags say why), HD_EINVAL or HD_ENOMEM. */
HD_API int hd_preset_apply(hd_session *session, const hd_presets *presets, size_t i,
                           hd_diags *diags);

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
 * A new file (nothing at path) is written as an unnamed file in the folder
 * (Linux's O_TMPFILE, where the file system has it) and linked at path
 * once whole: no temporary name appears, and a killed writer leaves nothing.
 * Otherwise, and to replace a file:
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

/* ----- email --------------------------------------------------------------
 *
 * A document mailed to its client: From the clinic (clinic.xml, <sender>),
 * To the client, Subject and text from the template's labels mail.subject,
 * mail.body and mail.password in the document's language, the PDF attached
 * (AES-256 encrypted when a password is given). Built with GMime, sent with
 * libcurl, encrypted with libqpdf; these functions live in their own object
 * file, so a program that mails nothing need not link those libraries.
 *
 * Guarantees: no field can add a header (control characters in names and
 * subjects become spaces; addresses must pass a strict check and are
 * refused otherwise); non-ASCII names and subjects are RFC 2047 encoded
 * words, a non-ASCII file name RFC 2231; the Message-ID and the MIME
 * boundary are a hash of the recipient, the document kind and the PDF
 * before encryption, so the same inputs give the same id (a resend is
 * recognisable) and, unencrypted and with a fixed date, the same bytes.
 * The password is never written into the message nor kept after the call. */

typedef struct hd_mail hd_mail;

typedef struct hd_mail_options {
	unsigned version;           /* HD_MAIL_OPTIONS_VERSION */
	hd_doc_kind kind;           /* the document attached; its template gives the words */
	const char *template_path;  /* NULL: <data>/templates/<kind>.xml */
	const char *clinic_path;    /* NULL: <data>/clinic/clinic.xml, which needs a <sender> */
	int64_t date;               /* the Date header, seconds since 1970 (UTC); < 0: now */
	/* NULL: the PDF is attached as it is. Else the password that opens it:
	 * the PDF is encrypted with AES-256 (PDF 2.0, revision 6) and a random
	 * owner password nobody keeps; the text gains the mail.password label.
	 * 1 to 127 bytes of UTF-8, no control characters. */
	const char *password;
	/* The attachment's name before ".pdf", made safe by hd_output_path's
	 * rule. NULL: for a session, its file's name as the command line names
	 * its PDFs ("zoe", "zoe-guide", "zoe-brochure"); else the kind's name. */
	const char *file_stem;
} hd_mail_options;
#define HD_MAIL_OPTIONS_VERSION 1
#define HD_MAIL_OPTIONS_INIT { HD_MAIL_OPTIONS_VERSION, HD_KIND_AFTERCARE, NULL, NULL, -1, NULL, NULL }

/* Builds the message carrying pdf[0..pdf_len) (the document of opts->kind
 * rendered for session, e.g. by hd_render) to the session's client: its
 * name, email address and language. The addresses (the client's, the
 * clinic's sender and reply-to) must be plain addresses mail can carry
 * unchanged (ASCII, user@example.org, no name or brackets): anything else
 * is an HD_EINPUT error saying what is wrong with it, as is a session
 * without an email address, a template without the mail labels or a clinic
 * without <sender> (naming the file). On success *out is the caller's
 * (hd_mail_free); on failure NULL, with every problem in diags. Returns
 * HD_OK, HD_EINPUT, HD_EIO (template or clinic unreadable), HD_EPDF (the
 * PDF could not be encrypted), HD_ENOMEM or HD_EINVAL. */
HD_API int hd_mail_new(hd_mail **out, hd_engine *engine, const hd_session *session,
                const unsigned char *pdf, size_t pdf_len, const hd_mail_options *opts,
                hd_diags *diags);

/* Who a message goes to, when it is not a session's client. */
typedef struct hd_mail_to {
	const char *name;       /* the client's name, UTF-8, any characters; NULL: none */
	const char *email;      /* the client's address */
	const char *lang;       /* language of the subject and text; NULL: "en" */
} hd_mail_to;

/* hd_mail_new for a recipient given field by field. */
HD_API int hd_mail_new_to(hd_mail **out, hd_engine *engine, const hd_mail_to *to,
                   const unsigned char *pdf, size_t pdf_len, const hd_mail_options *opts,
                   hd_diags *diags);

/* The whole message, RFC 5322 with CRLF line ends, as an .eml file holds
 * it: *data is borrowed (valid while m lives), *len its length. */
HD_API void hd_mail_bytes(const unsigned char **data, size_t *len, const hd_mail *m);

/* The Message-ID, without angle brackets; the envelope's sender and
 * recipient; the attachment's file name; the size of the PDF attached (after
 * encryption). Borrowed, valid while m lives. */
HD_API const char *hd_mail_message_id(const hd_mail *m);
HD_API const char *hd_mail_from(const hd_mail *m);
HD_API const char *hd_mail_recipient(const hd_mail *m);
HD_API const char *hd_mail_filename(const hd_mail *m);
HD_API size_t hd_mail_pdf_size(const hd_mail *m);

/* Frees a message. Accepts NULL. */
HD_API void hd_mail_free(hd_mail *m);

/* How to reach the SMTP server. */
typedef struct hd_smtp_options {
	unsigned version;       /* HD_SMTP_OPTIONS_VERSION */
	/* smtp://HOST[:PORT] (port 25 by default; 587 is the usual submission
	 * port): STARTTLS is required, and sending stops if the server lacks
	 * it, except to a loopback address (localhost, 127.x.x.x, ::1), where
	 * nothing leaves the machine. smtps://HOST[:PORT] (465): TLS from the
	 * start. Certificates are always verified. A user in the URL is refused. */
	const char *url;
	const char *user;       /* AUTH with this user name; NULL: no AUTH */
	const char *password;   /* its password (see hd_read_secret); never from argv */
	const char *ca_file;    /* PEM file of the CAs to trust; NULL: the system's */
	int require_tls;        /* nonzero: STARTTLS even to a loopback address */
	long timeout;           /* seconds for the whole exchange; 0: 60 */
} hd_smtp_options;
#define HD_SMTP_OPTIONS_VERSION 1
#define HD_SMTP_OPTIONS_INIT { HD_SMTP_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, 0 }

/* The server's answer. */
typedef struct hd_smtp_reply {
	int code;         /* the server's last reply code (250: accepted); 0 when it gave none */
	int temporary;    /* 1: trying again later may work (4xx, a refused or dropped connection) */
	char text[512];   /* the server's last reply line ("250 2.0.0 Ok: queued as 4F2A1"),
	                     or what failed when it said nothing */
} hd_smtp_reply;

/* Sends m over SMTP (see hd_smtp_options). *reply (may not be NULL) gets
 * the server's answer either way. Returns HD_OK when the server accepted
 * the message (reply->text holds its words, often its queue id); HD_ESEND
 * when it refused it or the connection failed, with an error in diags
 * naming the server, what it said and what to do; HD_EINPUT for a URL that
 * is not smtp:// or smtps:// or names a user (nothing was sent); HD_ENOMEM;
 * HD_EINVAL. */
HD_API int hd_mail_send(hd_smtp_reply *reply, const hd_mail *m, const hd_smtp_options *opts,
                 hd_diags *diags);

/* ----- sending to many: the send journal ------------------------------------
 *
 * A mail merge sends one message per row and may be killed and rerun. The
 * journal is a file of one line per event, each written and fsync'ed before
 * the program goes on, so that a rerun never sends twice to a row the server
 * accepted, and finishes the rest:
 *
 *   attempt  KEY  MESSAGE-ID  RECIPIENT  before the message is handed to the server
 *   sent     KEY  MESSAGE-ID  REPLY      after the server accepted it (250)
 *   refused  KEY  MESSAGE-ID  REPLY      a permanent refusal (5xx, bad address)
 *   failed   KEY  MESSAGE-ID  REPLY      temporary, after every retry: send again
 *
 * fields separated by tabs, tabs, line breaks and backslashes in them
 * escaped (\t, \n, \\). A row's last line gives its state. A process that
 * dies between the server's acceptance and the "sent" line leaves the row
 * at "attempt": HD_MAIL_UNCERTAIN, which a rerun does not send (the
 * message may well have arrived) unless asked to; its Message-ID is the
 * same, so a resent copy is recognisable. The journal is locked (flock)
 * while open: two runs cannot share one. */

typedef struct hd_mail_journal hd_mail_journal;

typedef enum hd_mail_state {
	HD_MAIL_NEW = 0,       /* never tried, or failed temporarily: to send */
	HD_MAIL_SENT = 1,      /* the server accepted it */
	HD_MAIL_REFUSED = 2,   /* refused for good: not sent again */
	HD_MAIL_UNCERTAIN = 3  /* handed to the server, and then nothing was recorded */
} hd_mail_state;

/* Opens (or creates, mode 0600: it names clients) the journal at path and
 * reads its state. On success *out is the caller's (hd_mail_journal_free).
 * Returns HD_OK; HD_EIO when it cannot be opened or another process holds
 * it; HD_EINPUT when a line is not a journal line (with its line number);
 * HD_ENOMEM. */
HD_API int hd_mail_journal_open(hd_mail_journal **out, const char *path, hd_diags *diags);

/* The state of the row key (NULL or unknown: HD_MAIL_NEW). */
HD_API hd_mail_state hd_mail_journal_state(const hd_mail_journal *journal, const char *key);

/* Closes a journal (everything is already on disk). Accepts NULL. */
HD_API void hd_mail_journal_free(hd_mail_journal *journal);

typedef struct hd_mail_send_options {
	unsigned version;              /* HD_MAIL_SEND_OPTIONS_VERSION */
	const hd_smtp_options *smtp;   /* the server */
	/* at most this many messages a minute, spaced evenly (the first at
	 * once); 0: no limit. Providers limit senders (Microsoft 365: 30 a
	 * minute); handout mail's default is 30. */
	double per_minute;
	unsigned retries;              /* temporary failures tried again this many times */
	unsigned retry_delay_ms;       /* before the first retry; doubles each time */
	int resend_uncertain;          /* send HD_MAIL_UNCERTAIN rows again */
} hd_mail_send_options;
#define HD_MAIL_SEND_OPTIONS_VERSION 1
#define HD_MAIL_SEND_OPTIONS_INIT { HD_MAIL_SEND_OPTIONS_VERSION, NULL, 0, 3, 30000, 0 }

/* Sends m as row key unless the journal says not to, recording each step:
 * a row already sent, refused or uncertain (unless o->resend_uncertain) is
 * not sent, and *state says which; otherwise it waits its turn under the
 * rate limit, sends with retries and backoff on temporary failures, and
 * *state is the row's new state (HD_MAIL_NEW after temporary failures
 * only). *reply is the server's last answer (zeroed when nothing was
 * sent). Returns HD_OK when the row is sent (now or before); HD_ESEND when
 * the server refused it or every try failed (an error in diags); HD_EIO
 * when the journal cannot be written (nothing is sent then: a send that
 * cannot be recorded could be repeated); HD_EINVAL; HD_ENOMEM. */
HD_API int hd_mail_journal_send(hd_mail_state *state, hd_smtp_reply *reply,
                                hd_mail_journal *journal, const char *key, const hd_mail *m,
                                const hd_mail_send_options *o, hd_diags *diags);

/* ----- a mail merge over a client list ----------------------------------- */

typedef struct hd_batch_mail_options {
	unsigned version;                 /* HD_BATCH_MAIL_OPTIONS_VERSION */
	/* the message: date and password (one for every row, or NULL); kind,
	 * template, clinic and the attachment's name are the batch's */
	const hd_mail_options *mail;
	const char *eml_dir;              /* NULL, or write each row's message here */
	const hd_mail_send_options *send; /* NULL: nothing is sent */
	const char *journal_path;         /* the send journal; required with send */
	/* since version 2: the CSV list's column holding each row's password
	 * for its PDF (AES-256, as mail->password, which it replaces); a row
	 * whose cell is empty gets no message (refused: it is never sent
	 * unprotected). NULL: none. The passwords stay in the clinic's list:
	 * handout writes them nowhere (not mail.csv, not the journal). */
	const char *password_column;
} hd_batch_mail_options;
#define HD_BATCH_MAIL_OPTIONS_VERSION 2
#define HD_BATCH_MAIL_OPTIONS_INIT { HD_BATCH_MAIL_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL }

typedef struct hd_batch_mail_result {
	hd_batch_result batch;   /* what hd_batch made */
	size_t written;          /* .eml files written */
	size_t sent, already;    /* sent now; sent by an earlier run (the journal) */
	size_t refused;          /* no message (no or a bad address) or refused by the server */
	size_t failed;           /* not sent after every retry: the next run tries again */
	size_t uncertain;        /* handed to the server by a run that died before its answer */
	int cancelled;
	char manifest_csv[1024]; /* <out_dir>/mail.csv */
} hd_batch_mail_result;

/* A mail merge: hd_batch(list_path, batch) makes the documents (resumable,
 * with its manifest, progress and row callbacks), then every row it made
 * (or kept) is mailed to that row's client, one at a time in list order:
 * the message as hd_mail_new makes it (attachment named like the PDF),
 * written to mail->eml_dir and/or sent with hd_mail_journal_send, the
 * journal keyed by the row's id (so a rerun never sends twice to a row the
 * server accepted; see "sending to many"). batch->progress and ->row_done
 * are called again for each row mailed (status "sent", "already-sent",
 * "written", "refused", "failed" or "uncertain"), and batch->cancel is
 * polled before each. <out_dir>/mail.csv gets one line per row: row, id,
 * client, email, status, message_id, server_reply. Rows' problems go to
 * diags with the list's file and row.
 *
 * Returns HD_OK when every row was made and mailed; HD_EINPUT when some
 * rows were refused (by the batch, or for want of an address) and the
 * others mailed; HD_ESEND when some messages were not sent (refused by the
 * server, failed, uncertain); another hd_status when the batch, the
 * journal or the manifest failed. *out is filled in whatever happens. */
HD_API int hd_batch_mail(hd_batch_mail_result *out, hd_engine *engine, const char *list_path,
                         const hd_batch_options *batch, const hd_batch_mail_options *mail,
                         hd_diags *diags);

/* Reads a secret (a password) from the first line of the file at path,
 * without its line end. The file must be a regular file owned by the user
 * running the program and readable by nobody else (mode 0600 or 0400): a
 * secret others can read is no secret, so anything else is refused with
 * HD_EINPUT and a hint (chmod 600). At most 4 KB. On success *out is the
 * caller's: release it with hd_secret_free, which wipes it. Returns HD_OK,
 * HD_EINPUT, HD_EIO or HD_ENOMEM, with a diagnostic naming path. */
HD_API int hd_read_secret(char **out, const char *path, hd_diags *diags);

/* Wipes and frees a secret. Accepts NULL. */
HD_API void hd_secret_free(char *secret);

#ifdef __cplusplus
}
#endif
#endif /* HANDOUT_H */
