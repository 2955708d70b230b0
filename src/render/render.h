/*
 * render: draws a display list (layout/display.h) with libharu, the only
 * code that calls it. It decides nothing about positions; it draws the items
 * of each page in order: text, vector paths, images. Fonts come as slices
 * (fonts.h); images come pre-compressed, so that a batch deflates a logo
 * once.
 */
#ifndef HD_RENDER_H
#define HD_RENDER_H

#include <stdint.h>

#include "display.h"
#include "fonts.h"
#include "image.h"
#include "layout.h"

/* The clinic's logo, ready to embed: deflated 8-bit samples, gray, RGB, or
 * indexed (one byte per pixel into palette) when it has 256 colours or fewer,
 * as logos usually do: a third of the RGB bytes, and it deflates better. */
typedef struct hd_logo {
	unsigned width, height, channels; /* channels: of the colour space (1 or 3) */
	unsigned char *data;   /* zlib stream of the samples */
	size_t len;
	unsigned char *palette; /* ncolors * 3 bytes of RGB, or NULL when not indexed */
	unsigned ncolors;
	int png_rows;           /* data is a PNG's IDAT: rows carry PNG filter bytes */
} hd_logo;

/* Prepares img once per batch. An 8-bit palette PNG is embedded as its own
 * compressed rows (no recompression); other images get a palette if they
 * have 256 colours or fewer, then are deflated. On success *out owns its
 * buffers (hd_logo_free). */
int hd_logo_prepare(hd_logo *out, const hd_image *img, hd_diags *d);
void hd_logo_free(hd_logo *logo);

/* The first and last second a PDF date (D:YYYYMMDDHHmmSS, years 0000-9999)
 * can hold: 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define HD_MIN_EPOCH (-62167219200LL)
#define HD_MAX_EPOCH 253402300799LL

/* A bookmark: the title of a heading, its level (1 = top) and the anchor
 * whose position the layout recorded (hd_layout.anchors). */
typedef struct hd_outline_entry {
	int level;
	const char *title;
	int anchor;
} hd_outline_entry;

typedef struct hd_pdf_meta {
	const char *title;
	const char *author;
	const char *subject;
	const char *keywords;   /* may be NULL */
	int64_t epoch;          /* creation date, seconds since 1970 (UTC), HD_MIN_EPOCH..HD_MAX_EPOCH;
	                           a session of 1950 has a negative one */
	const hd_outline_entry *outline; /* bookmarks in document order, or NULL */
	size_t noutline;
	const hd_anchor_pos *anchors;    /* where each anchor landed (layout.h) */
	size_t nanchors;
} hd_pdf_meta;

/* Renders the pages of a display list into PDF bytes, every item in order.
 * images is the document's resource table (an item's image index points
 * into it; entries may be NULL); each image used is embedded once. On
 * success *out (malloc'd) and *len are the caller's. The output is a pure
 * function of the inputs: the same pages, fonts, images and meta give the
 * same bytes. Returns HD_OK, HD_EFONT (a glyph is missing), HD_EPDF (libharu
 * failed; the diagnostic names the libharu error code) or HD_ENOMEM. */
int hd_render_pdf(unsigned char **out, size_t *len, const hd_display *pages, hd_fonts *fonts,
                  const hd_logo *const *images, size_t nimages, const hd_pdf_meta *meta,
                  hd_diags *d);

#endif
