/*
 * deliver: getting finished PDFs onto disk. hd_write_file_atomic (public, in
 * handout.h) writes one file so that a crash never leaves half of it behind;
 * hd_safe_file_name turns a client's name into a file name for batch output,
 * and hd_output_path (public) puts such a name in an output folder.
 */
#ifndef HD_DELIVER_H
#define HD_DELIVER_H

#include <stddef.h>

#include "util.h"

/* Longest name part hd_safe_file_name produces, in bytes (not counting ext). */
#define HD_SAFE_NAME_MAX 80u
/* Longest ext hd_safe_file_name accepts, in bytes. */
#define HD_SAFE_EXT_MAX 16u

/* Writes into out (size bytes, NUL included) a file name made from a client's
 * name (any bytes; NULL counts as empty) followed by ext (NULL or "", or up to
 * HD_SAFE_EXT_MAX bytes of ASCII letters, digits, '.', '-', '_', such as
 * ".pdf").
 *
 * The name part keeps letters and digits of any script, '-' and '_'; spaces
 * and other white space become '-'; everything else is dropped: path
 * separators, dots, other punctuation and symbols, control and format
 * characters (bidi overrides, zero-width), and bytes that are not valid
 * UTF-8. Runs of '-'/'_' collapse to their first character, and the part
 * neither starts nor ends with one. It is cut to HD_SAFE_NAME_MAX bytes on a
 * character boundary; an empty result becomes "client"; Windows device names
 * (CON, NUL, COM1...) get a '_' appended ("CON_"). The result therefore never
 * contains '/', '\\' or a control character, never starts with '.' or '-',
 * and is never "." or "..": it cannot leave the folder it is joined to.
 *
 * Returns HD_OK, or HD_EINVAL when ext is not acceptable or out cannot hold
 * the result (HD_SAFE_NAME_MAX + strlen(ext) + 1 bytes always suffice); on
 * failure out is "" when size > 0. */
int hd_safe_file_name(char *out, size_t size, const char *name, const char *ext);

/* hd_write_file_atomic with flags. HD_WRITE_NO_FSYNC: neither the file
 * nor its folder is fsync'ed; the file still appears only whole (temporary
 * file, then rename), and the caller makes it durable later, for many files
 * at once (a batch syncs its folder's file system every so many files). */
#define HD_WRITE_NO_FSYNC 1u
/* HD_WRITE_NO_STALE_SCAN: the folder is not searched for the temporary files
 * of dead writers of this name (a search reads the whole folder: a batch
 * writing thousands of files into one folder searches it once, with
 * hd_remove_stale_temps, instead of once per file). */
#define HD_WRITE_NO_STALE_SCAN 2u
/* HD_WRITE_NEW: the caller expects nothing at path (a batch row with no
 * earlier document): the file is written unnamed and linked at path
 * without looking at path first, which saves a lookup per file; if
 * something is there after all, the link fails and the usual way follows
 * (the bytes are then written a second time). Only with
 * HD_WRITE_NO_STALE_SCAN (the caller has cleaned the folder once). */
#define HD_WRITE_NEW 4u
int hd_write_file_atomic_ex(const char *path, const void *data, size_t len, unsigned flags,
                            hd_diags *diags);

/* Removes from dir the temporary files that dead writers of
 * hd_write_file_atomic left behind for files ending in one of exts (a
 * NULL-terminated list, such as ".pdf", ".csv"): regular files named
 * "." stem ext ".XXXXXX" whose lock can be taken at once; a note for each in
 * diags. Nothing else is touched. */
void hd_remove_stale_temps(const char *dir, const char *const *exts, hd_diags *diags);

#endif /* HD_DELIVER_H */
