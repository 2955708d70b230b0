/*
 * cli: what the command files of the program share (main.c defines these).
 */
#ifndef HD_CLI_H
#define HD_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "handout.h"

/* Prints diagnostics to stderr, escaped, one per line with hint lines;
 * notes only when not quiet. */
void hd_cli_print_diags(const hd_diags *d, int quiet);
/* Opens the engine as every command does (--data, HANDOUT_DATA,
 * HANDOUT_HYPHEN_DIR), printing its problems. */
int hd_cli_open_engine(hd_engine **e, const char *data_dir);
/* The exit status for an hd_status. */
int hd_cli_exit_for(int status);
/* After getopt's message: the hint, and the usage exit status. */
int hd_cli_bad_option(const char *prog);
/* SOURCE_DATE_EPOCH, or -1 (with a warning when it is not a number). */
int64_t hd_cli_source_date_epoch(void);
/* Writes s to f on one line, control characters escaped (\n, \xHH). */
void hd_cli_put_escaped(FILE *f, const char *s);

/* handout mail (mail.c). */
int hd_cli_mail(int argc, char **argv, const char *data_dir);

/* handout batch --mail and --eml-dir (mail.c): the options cmd_batch.c adds
 * to its own, whether one was given, and the merge itself, which prints
 * its summary and returns an hd_status (res gets the batch's result). */
extern const struct option hd_cli_batch_mail_options[];
/* 1 when c was one of them (handled), 0 when not, -1 after a usage error. */
int hd_cli_batch_mail_option(int c, const char *arg);
int hd_cli_batch_mail_wanted(void);
int hd_cli_batch_mail(hd_batch_result *res, hd_engine *e, const char *list,
                      const hd_batch_options *bo, hd_diags *d);

/* handout batch and handout manifest (cmd_batch.c) */
int cmd_batch(int argc, char **argv, const char *data_dir);
int cmd_manifest(int argc, char **argv);

#endif
