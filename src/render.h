/*
 * render: draws a laid-out document with libharu. It decides nothing about
 * positions; it only draws the items of each page. Fonts come as slices (see
 * fonts.h); the logo comes pre-compressed so that a batch deflates it once.
 */
#ifndef HD_RENDER_H
#define HD_RENDER_H

#include <stdint.h>

#include "fonts.h"
#include "image.h"
#include "layout.h"

/* The clinic's logo, ready to embed: deflated 8-bit gray or RGB samples. */
typedef struct hd_logo {
	unsigned width, height, channels;
	unsigned char *data; /* zlib stream of width * height * channels bytes */
	size_t len;
} hd_logo;

/* Compresses img once. On success *out owns data (hd_logo_free). */
int hd_logo_prepare(hd_logo *out, const hd_image *img, hd_diags *d);
void hd_logo_free(hd_logo *logo);

typedef struct hd_pdf_meta {
	const char *title;
	const char *author;
	const char *subject;
	const char *keywords;   /* may be NULL */
	int64_t epoch;          /* creation date, seconds since 1970 (UTC) */
} hd_pdf_meta;

/* Renders the layout into PDF bytes. On success *out (malloc'd) and *len are
 * the caller's. The output is a pure function of the inputs: same layout,
 * fonts, logo and meta give the same bytes. Returns HD_OK, HD_EFONT (a glyph
 * is missing), HD_EPDF (libharu failed; the diagnostic names the libharu
 * error code) or HD_ENOMEM. */
int hd_render_pdf(unsigned char **out, size_t *len, const hd_layout *l, hd_fonts *fonts,
                  const hd_logo *logo, const hd_pdf_meta *meta, hd_diags *d);

#endif
