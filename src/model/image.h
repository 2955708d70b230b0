/*
 * image: a decoded raster image (the clinic's logo), as load/png.c makes it
 * and render embeds it. Plain data, no library.
 */
#ifndef HD_IMAGE_H
#define HD_IMAGE_H

#include <stddef.h>

#include "util.h"

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

/* Frees the pixels. Accepts NULL. */
void hd_image_free(hd_image *img);

#endif
