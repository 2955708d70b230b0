/*
 * cli: what the command files share (main.c defines it): messages, exit
 * statuses, the engine as the options say.
 */
#ifndef HD_CLI_H
#define HD_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "handout.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3, EXIT_INTERNAL = 4 };

/* "handout render": who speaks in messages that concern no file. */
extern const char *prog_name;

/* Writes s on one line, control characters escaped (\n, \xHH). */
void put_escaped(FILE *f, const char *s);
/* Prints diagnostics as file:line:col: severity: message, hint lines;
 * notes only when not quiet. */
void print_diags(const hd_diags *d, int quiet);
/* The exit status for an hd_status. */
int exit_for(int status);
/* After getopt's message: where to look. Returns EXIT_USAGE. */
int bad_option(const char *prog);
/* Opens the engine for --data DIR (or $HANDOUT_DATA), printing problems. */
int open_engine(hd_engine **e, const char *data_dir);
/* SOURCE_DATE_EPOCH, or -1 when unset or unusable (with a warning). */
int64_t source_date_epoch(void);

/* handout mail (mail.c) */
int cmd_mail(int argc, char **argv, const char *data_dir);

/* handout batch and handout manifest (cmd_batch.c) */
int cmd_batch(int argc, char **argv, const char *data_dir);
int cmd_manifest(int argc, char **argv);

#endif
