/*
 * image: decoding the clinic's logo PNG ourselves with libpng (setjmp error
 * handling), because libharu 2.3.0 aborts the whole process on a truncated or
 * corrupt PNG. The renderer only ever sees checked raw pixels.
 */
#ifndef HD_IMAGE_H
#define HD_IMAGE_H

#include <stddef.h>

#include "util.h"

#define HD_IMAGE_MAX_FILE (8u * 1024u * 1024u) /* bytes */
#define HD_IMAGE_MAX_DIM 4096u                 /* pixels, each side */

typedef struct hd_image {
	unsigned width;
	unsigned height;
	unsigned channels;      /* 1 (gray) or 3 (RGB); alpha is composited on white */
	unsigned char *pixels;  /* width * height * channels bytes, rows top to bottom */
	/* For an 8-bit, non-interlaced palette PNG (what logo tools export): the
	 * file's own zlib stream of filtered rows (IDAT), usable as is by a PDF
	 * with FlateDecode and PNG predictors, and its palette with any tRNS
	 * transparency composited on white. NULL / 0 otherwise. */
	unsigned char *idat;
	size_t idat_len;
	unsigned char palette[256 * 3];
	unsigned npalette;
} hd_image;

/* Decodes the PNG file at path into *out (8 bits per channel). Any problem,
 * from a missing file to a truncated stream, a bad CRC or absurd dimensions,
 * is an error with the file name and what to do, never a crash. On failure
 * *out is zeroed. Returns HD_OK, HD_EIO, HD_EINPUT or HD_ENOMEM. */
int hd_png_load(hd_image *out, const char *path, hd_diags *d);

/* The same from memory; name is used in messages. */
int hd_png_decode(hd_image *out, const unsigned char *data, size_t len, const char *name,
                  hd_diags *d);

/* Frees the pixels. Accepts NULL. */
void hd_image_free(hd_image *img);

#endif
