/*
 * list: client lists for batches. A CSV file as spreadsheets export it
 * (read with libcsv) whose header row names session fields, directly or
 * through a mapping file, or an XML list of session record files. Rows are
 * kept as where they are in the file (read again when a row is made, so
 * the file stays open while the list lives); a row's session is built
 * only when it is rendered, so a list of any length costs little memory.
 */
#ifndef HD_LIST_H
#define HD_LIST_H

#include "handout.h"

/* Limits that keep a hostile list bounded in time and memory. */
#define HD_LIST_MAX_FILE (256u * 1024u * 1024u) /* bytes */
#define HD_LIST_MAX_CELL (64u * 1024u)          /* bytes in one cell */
#define HD_LIST_MAX_COLUMNS 256u
#define HD_LIST_MAX_ROWS 1000000u

/* The SHA-256 of what row i says (its fields' text as given, in a
 * canonical form), for resuming a batch. Returns HD_OK; HD_EIO (in diags)
 * when the file no longer holds the row (changed in place since it was
 * read: the rows after an edit move too); HD_ENOMEM. */
int hd_list_row_digest(const hd_list *list, size_t i, const char *text, unsigned char out[32],
                       hd_diags *diags);

/* The raw client name of row i as the list gives it (its client columns
 * joined), malloc'd into *out, the caller's; "" when the row gives none (an
 * XML list's or a records folder's row). Made when asked, not kept: a list
 * of any length keeps only where its rows are. Returns HD_OK; HD_EIO (in
 * diags) when the file no longer holds the row; HD_ENOMEM. */
int hd_list_row_client(char **out, const hd_list *list, size_t i, const char *text,
                       hd_diags *diags);

/* A CSV row's cells read once (malloc'd into *text, the caller's; NULL for
 * an XML list or a root of records folders), for hd_list_row_client,
 * hd_list_row_digest and hd_list_session_of, whose text argument is such a
 * read or NULL to read the row themselves: a batch reads each row once.
 * Returns HD_OK; HD_EIO (in diags) when the file no longer holds the row;
 * HD_ENOMEM; HD_EINVAL. */
int hd_list_row_read(char **text, const hd_list *list, size_t i, hd_diags *diags);

/* hd_list_session with the row's text from hd_list_row_read (or NULL). */
int hd_list_session_of(hd_session **out, const hd_list *list, size_t i, const char *text,
                       hd_engine *engine, hd_diags *diags);

/* 1 when the list is a folder of clients' records folders (one row per
 * subfolder, for progress reports). */
int hd_list_is_records(const hd_list *list);
/* Row i's records folder (borrowed), or NULL when the list is not one. */
const char *hd_list_row_dir(const hd_list *list, size_t i);
/* Row i's session file (borrowed), or NULL when the list is not an XML
 * list. */
const char *hd_list_row_file(const hd_list *list, size_t i);

/* The index of the column named column (compared as header names are:
 * case, spaces and '-' do not matter), or -1 when the list has none (an XML
 * list or a root of records folders has no columns). */
int hd_list_has_column(const hd_list *list, const char *column);

/* The cell of row i in the column named column, malloc'd into *out, the
 * caller's ("" when the row is short). For what is not a session field,
 * such as a password column for a mail merge. Returns HD_OK; HD_EINVAL when
 * the list has no such column; HD_EIO (in diags) when the file no longer
 * holds the row; HD_ENOMEM. */
int hd_list_row_cell(char **out, const hd_list *list, size_t i, const char *column,
                     hd_diags *diags);

/* 1 once a row read again was no longer what the file held (the list was
 * changed in place): a batch starts no more rows. */
int hd_list_changed(const hd_list *list);

/* The list's path as given to hd_list_load (borrowed), for diagnostics. */
const char *hd_list_path(const hd_list *list);

/* The names of the columns that give field (a session field's name), joined
 * with " + " as row diagnostics show them, into column (size bytes, cut to
 * fit); "" when no column gives it or the list has no columns. */
void hd_list_field_column(const hd_list *list, const char *field, char *column, size_t size);

/* 1 when some column (or every XML record) gives field. */
int hd_list_has_field(const hd_list *list, const char *field);

/* hd_batch, giving the caller the list it read (*list, the caller's,
 * hd_list_free; NULL when the list could not be read): what is done after
 * the batch with its rows (the mail merge) reads the rows the documents
 * were made from, not the file as it is now. */
int hd_batch_keep_list(hd_batch_result *out, hd_engine *engine, const char *list_path,
                       const hd_batch_options *o, hd_list **list, hd_diags *diags);

#endif
