/*
 * load: reading handout XML files safely with libxml2 and turning them into
 * model structs. Only load*.c include libxml2.
 *
 * Safety (see ../shared/notes/libxml2-untrusted-input.md): files are read by us
 * with a size cap; a linear pre-scan refuses what is not UTF-8, any DOCTYPE
 * and any element with more than 64 attributes (libxml2 is quadratic in
 * them) before libxml2 sees the bytes; they are then parsed from memory with
 * XML_PARSE_NONET (plus BIG_LINES and IGNORE_ENC; never NOENT, DTDLOAD,
 * DTDATTR, DTDVALID, HUGE, XINCLUDE); a SAX internalSubset hook stops the
 * parser at a DOCTYPE too, so there are no entities at all; gzip data is
 * never decompressed (we parse bytes from memory); libxml2's depth limit
 * (256) stays on. Every problem is reported as file:line:col: message, all
 * of them, not only the first.
 */
#ifndef HD_LOAD_H
#define HD_LOAD_H

#include "model.h"
#include "template.h"
#include "util.h"

/* Size limits, bytes. */
#define HD_MAX_XML_FILE   (4u * 1024u * 1024u)   /* library files, templates */
#define HD_MAX_RECORD_FILE (1u * 1024u * 1024u)  /* session records, clinic */

enum hd_vocab {
	HD_VOCAB_UNKNOWN = 0,
	HD_VOCAB_LIBRARY,
	HD_VOCAB_TEMPLATE,
	HD_VOCAB_CLINIC,
	HD_VOCAB_SESSION,
	HD_VOCAB_FONTS,
	HD_VOCAB_PRESETS, /* the desk's programmes (urn:handout:presets:1) */
	HD_VOCAB_LAST = HD_VOCAB_PRESETS
};

/* Compiled schemas, reusable across a batch (read-only after creation). */
typedef struct hd_loader hd_loader;

/* Compiles the RELAX NG schemas found in schema_dir (library.rng,
 * template.rng, clinic.rng, session.rng, presets.rng). *out is the caller's. */
int hd_loader_new(hd_loader **out, const char *schema_dir, hd_diags *d);
void hd_loader_free(hd_loader *l);

/* Parses and schema-validates path; reports which vocabulary it is in *vocab.
 * When lib is not NULL, a session's technique and tip references are checked
 * against it too, even when the session fails its schema (see
 * hd_load_session). Returns HD_OK, HD_EIO or HD_EINPUT (every problem in d). */
int hd_load_check(hd_loader *l, const char *path, const hd_library *lib, enum hd_vocab *vocab,
                  hd_diags *d);

/* Loads every *.xml file of dir (in name order) into one library. Duplicate
 * ids across files are errors naming both places. */
int hd_load_library_dir(hd_library **out, hd_loader *l, const char *dir, hd_diags *d);
/* Loads one library file (used by validate and tests). */
int hd_load_library_file(hd_library **out, hd_loader *l, const char *path,
                         const hd_library *context, hd_diags *d);

int hd_load_template(hd_template **out, hd_loader *l, const char *path, hd_diags *d);
int hd_load_clinic(hd_clinic **out, hd_loader *l, const char *path, hd_diags *d);
/* Loads the font configuration (fonts/fonts.xml): every family with its
 * faces (files resolved against the file's folder), the fallbacks. The
 * default family and every family a fallback names must be declared. On
 * success *out is the caller's (hd_font_config_free). */
int hd_load_fonts(hd_font_config **out, hd_loader *l, const char *path, hd_diags *d);
/* Loads a session record. When lib is not NULL, every technique and tip
 * reference is checked against it ("technique 'swedsh' is not in the
 * library; did you mean 'swedish'?"), also when the record fails its schema
 * or other checks, so that one run reports every problem; an unknown id
 * then fails the load. With lib NULL, references are left to merge. */
int hd_load_session(hd_session_rec **out, hd_loader *l, const char *path, const hd_library *lib,
                    hd_diags *d);
/* The same from len bytes at buf (copied), called name in diagnostics. */
int hd_load_session_mem(hd_session_rec **out, hd_loader *l, const char *name, const void *buf,
                        size_t len, const hd_library *lib, hd_diags *d);

/* Reads an XML list of session files (<sessions xmlns="urn:handout:list:1"
 * version="1"> with <session file="PATH"/> children; PATH relative to the
 * list's folder). On success *files (each path malloc'd, then the array),
 * *lines (the line of each <session>) and *count are the caller's. */
int hd_load_session_list(char ***files, int **lines, size_t *count, const char *path,
                         hd_diags *d);

/* Loads the clinic's programmes (presets.rng). Every technique and tip
 * reference is checked against lib (which must not be NULL), as in a
 * session record. Returns HD_OK, HD_EIO, HD_EINPUT or HD_ENOMEM. */
int hd_load_presets(hd_presets_rec **out, hd_loader *l, const char *path, const hd_library *lib,
                    hd_diags *d);

#endif
