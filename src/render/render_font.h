/*
 * render_font: the libharu side of fonts. Hands a slice (fonts.h) to a
 * libharu document as an embedded single-byte TrueType font in
 * WinAnsiEncoding, with a correct /ToUnicode CMap.
 */
#ifndef HD_RENDER_FONT_H
#define HD_RENDER_FONT_H

#include <hpdf.h>

#include "fonts.h"

/* Loads slice s into pdf (from memory, never from a file) and returns the
 * font to select with HPDF_Page_SetFontAndSize; byte b of a string shown in
 * it draws s->cp[b]. *out is owned by pdf. Loading a slice that is already
 * in the current document returns the same font. pdf must have an error
 * handler that returns (libharu's errors are then reported here).
 *
 * Returns HD_OK, or HD_EPDF / HD_ENOMEM with a diagnostic and *out = NULL. */
int hd_pdf_load_slice(HPDF_Doc pdf, const hd_slice *s, HPDF_Font *out, hd_diags *d);

#endif
