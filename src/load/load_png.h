/*
 * load_png: decoding the clinic's logo PNG ourselves with libpng (setjmp error
 * handling), because libharu 2.3.0 aborts the whole process on a truncated or
 * corrupt PNG. The renderer only ever sees checked raw pixels (image.h).
 */
#ifndef HD_LOAD_PNG_H
#define HD_LOAD_PNG_H

#include "image.h"
#include "util.h"

#define HD_IMAGE_MAX_FILE (8u * 1024u * 1024u) /* bytes */
#define HD_IMAGE_MAX_DIM 4096u                 /* pixels, each side */

/* Decodes the PNG file at path into *out (8 bits per channel). Any problem,
 * from a missing file to a truncated stream, a bad CRC or absurd dimensions,
 * is an error with the file name and what to do, never a crash. On failure
 * *out is zeroed. Returns HD_OK, HD_EIO, HD_EINPUT or HD_ENOMEM. */
int hd_png_load(hd_image *out, const char *path, hd_diags *d);

/* The same from memory; name is used in messages. */
int hd_png_decode(hd_image *out, const unsigned char *data, size_t len, const char *name,
                  hd_diags *d);

#endif
