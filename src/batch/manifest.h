/*
 * manifest: what a batch made, one line per row, as CSV (for a spreadsheet)
 * and JSON Lines (for programs, and for resuming). See README, "For clinic
 * managers", for the columns.
 */
#ifndef HD_MANIFEST_H
#define HD_MANIFEST_H

#include "util.h"

typedef struct hd_manifest_entry {
	int row;
	char *id, *client, *status, *output;
	int pages;
	size_t bytes;
	char *sha256;   /* hex, or "" */
	char *code, *field, *column, *message;
	char *inputs;   /* hex SHA-256 of the row's inputs, or "" */
} hd_manifest_entry;

/* Appends one CSV cell (RFC 4180) to b: quoted when it holds a quote, a
 * comma, a semicolon or a line break; a start a spreadsheet would run as a
 * formula (= + - @ tab CR) neutralised with "'" (and quoted). */
void hd_manifest_csv_cell(hd_buf *b, const char *s);

/* The CSV header line, with its CRLF. */
extern const char hd_manifest_csv_header[];

/* Appends e as one CSV line (CRLF; RFC 4180 quoting; a cell starting with
 * '=', '+', '-', '@', a tab or a CR gets a leading "'" so that no
 * spreadsheet runs it as a formula) or one JSON line to b. */
void hd_manifest_csv_line(hd_buf *b, const hd_manifest_entry *e);
void hd_manifest_json_line(hd_buf *b, const hd_manifest_entry *e);

/* Frees the strings of an entry (not the struct). */
void hd_manifest_entry_clear(hd_manifest_entry *e);
/* A deep copy; HD_OK or HD_ENOMEM. */
int hd_manifest_entry_copy(hd_manifest_entry *to, const hd_manifest_entry *from);

/* Reads a JSON Lines manifest: every well-formed line, the last line of
 * each row winning (a row is its id and row number: an interrupted rerun
 * adds a later line for the same row; two rows with one id, the later one
 * refused, stay two; a line cut short by a crash is ignored). *out (n
 * entries, sorted by row) is the caller's (hd_manifest_entries_free). A
 * missing file is HD_OK with no entries when missing_ok. */
/* qsort order for an array of entry pointers: by id, then row. */
int hd_manifest_cmp_id_row(const void *a, const void *b);

/* Row row's entry for id in sorted (pointers in hd_manifest_cmp_id_row
 * order): the entry of that id and row; else, when the list was sorted
 * since, one of that id made or skipped; else any of that id; NULL when
 * the id is not there. */
const hd_manifest_entry *hd_manifest_find(const hd_manifest_entry *const *sorted, size_t n,
                                          const char *id, int row);

int hd_manifest_read(hd_manifest_entry **out, size_t *n, const char *path, int missing_ok,
                     hd_diags *d);
void hd_manifest_entries_free(hd_manifest_entry *e, size_t n);

/* Writes entries (in the given order) to csv_path and jsonl_path
 * atomically (hd_write_file_atomic). */
int hd_manifest_write(const char *csv_path, const char *jsonl_path,
                      const hd_manifest_entry *e, size_t n, hd_diags *d);

/* Parses one line of a JSON Lines manifest (without its line feed) into e
 * (every string set; release with hd_manifest_entry_clear). Returns 0, or
 * -1 when the line is not a whole, well-formed entry. */
int hd_manifest_parse_line(hd_manifest_entry *e, const char *line);

/* Writing both manifests one entry at a time, so that a batch of any length
 * never holds them in memory: temporary files beside them, then fsync,
 * rename and a folder fsync, as hd_write_file_atomic does. */
typedef struct hd_manifest_writer {
	char *csv_path, *jsonl_path, *csv_tmp, *jsonl_tmp;
	FILE *csv, *jsonl;
	int failed;
} hd_manifest_writer;

int hd_manifest_writer_open(hd_manifest_writer *w, const char *csv_path, const char *jsonl_path,
                            hd_diags *d);
void hd_manifest_writer_add(hd_manifest_writer *w, const hd_manifest_entry *e);
/* Adds an entry as its two lines, written before by hd_manifest_csv_line
 * and hd_manifest_json_line (read back from a manifest being appended to);
 * a line that does not end as those do fails the writer. */
void hd_manifest_writer_add_lines(hd_manifest_writer *w, const char *csv, size_t csv_len,
                                  const char *json, size_t json_len);
/* Renames both into place (HD_OK), or removes the temporary files and says
 * why (HD_EIO, HD_ENOMEM). Always releases w. */
int hd_manifest_writer_close(hd_manifest_writer *w, hd_diags *d);

#endif
