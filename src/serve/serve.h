/*
 * serve: 'handout serve', the therapist's desk — a local web form over the
 * library's public API (include/handout.h), served with libmicrohttpd. The
 * only stage that links libmicrohttpd (and nettle, for the clinic's
 * password); it holds no logic a library user would need.
 */
#ifndef HD_SERVE_H
#define HD_SERVE_H

#include "handout.h"

/* The serve command: argv[0] is "handout serve"; data_dir the global
 * --data, given to open_engine (the program's one way of making its engine,
 * which says what went wrong) once the options are read. Runs until SIGINT
 * or SIGTERM; returns the program's exit status (0, 1 bad input, 2 usage,
 * 3 I/O such as an address in use, 4 internal). */
int hd_serve_command(int argc, char **argv, const char *data_dir,
                     int (*open_engine)(hd_engine **engine, const char *data_dir));

/* The help text of the command. */
extern const char *const HD_SERVE_HELP;

#endif
