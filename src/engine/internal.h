/*
 * internal: what the engine's files (engine.c, session.c, and the batch
 * files) share behind the public API.
 */
#ifndef HD_ENGINE_INTERNAL_H
#define HD_ENGINE_INTERNAL_H

#include "handout.h"
#include "load.h"
#include "model.h"

/* The engine's library and loader (borrowed; valid while it lives). */
const hd_library *hd_engine_library(const hd_engine *engine);
hd_loader *hd_engine_loader(const hd_engine *engine);

/* Loads the template and clinic a document of kind would use (given, or
 * the defaults in the data folder) into the engine's cache and checks the
 * template's kind, so that a batch finds a problem with them once, before
 * any row. On success *tpath and *cpath (the paths used, malloc'd) are the
 * caller's. */
int hd_engine_prepare(hd_engine *engine, hd_doc_kind kind, const char *template_path,
                      const char *clinic_path, char **tpath, char **cpath, hd_diags *d);

/* The record of a session (borrowed; valid while the session lives and is
 * not changed). */
const hd_session_rec *hd_session_record(const hd_session *session);
/* What diagnostics about a session's document call it: the file it was
 * loaded from, else its origin's file, else "<session>". Borrowed. */
const char *hd_session_name(const hd_session *session);

/* The template for kind (given, or <data>/templates/<kind>.xml) and the
 * clinic (given, or <data>/clinic/clinic.xml), loaded once per engine and
 * borrowed from it (mail.c takes the words and the sender from them). Both
 * are loaded so that every problem is reported. */
#include "template.h"
int hd_engine_parts(const hd_template **t, const hd_clinic **c, hd_engine *engine,
                    enum hd_doc_kind kind, const char *template_path, const char *clinic_path,
                    hd_diags *diags);

#endif
