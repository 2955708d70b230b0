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

/* The record of a session (borrowed; valid while the session lives and is
 * not changed). */
const hd_session_rec *hd_session_record(const hd_session *session);
/* What diagnostics about a session's document call it: the file it was
 * loaded from, else its origin's file, else "<session>". Borrowed. */
const char *hd_session_name(const hd_session *session);

#endif
