/*
 * render_font: slices into libharu (see render_font.h).
 *
 * libharu's public API only loads TrueType fonts from files and names them by
 * their PostScript name, which every slice of a face shares. So this file
 * uses libharu's internal (installed, exported) font-definition API: load
 * from a memory stream, tag the definition, and make the tagged name
 * ("HDAAAB+DejaVuSans") the definition's lookup name so that several slices
 * of one face can live in one document.
 */
#include "render_font.h"

#include <assert.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "util.h"

/* Adds a diagnostic for libharu's current error and returns HD_EPDF. */
static int hd_pdf_fail(HPDF_Doc pdf, const hd_slice *s, const char *what, hd_diags *d)
{
	hd_error_at(d, NULL, 0, 0, NULL,
	            "PDF library error 0x%04lX (detail %lu) while %s for font slice %s",
	            (unsigned long)HPDF_GetError(pdf), (unsigned long)HPDF_GetErrorDetail(pdf),
	            what, s->tag);
	return HD_EPDF;
}

/* Returns the font definition in pdf whose name starts with "<tag>+", or
 * NULL. */
static HPDF_FontDef hd_pdf_find_def(HPDF_Doc pdf, const char *tag)
{
	HPDF_UINT i;

	for (i = 0; i < pdf->fontdef_list->count; i++) {
		HPDF_FontDef def = (HPDF_FontDef)HPDF_List_ItemAt(pdf->fontdef_list, i);
		if (def && def->type == HPDF_FONTDEF_TYPE_TRUETYPE &&
		    !strncmp(def->base_font, tag, HPDF_TTF_FONT_TAG_LEN) &&
		    def->base_font[HPDF_TTF_FONT_TAG_LEN] == '+')
			return def;
	}
	return NULL;
}

/* Parses s->ttf into a new, registered font definition named "<tag>+<name>".
 * Returns it, or NULL (libharu's error is set). */
static HPDF_FontDef hd_pdf_new_def(HPDF_Doc pdf, const hd_slice *s)
{
	HPDF_Stream stream;
	HPDF_FontDef def;
	HPDF_TTFontDefAttr attr;
	char tag[HPDF_TTF_FONT_TAG_LEN + 1];

	assert(s->ttf_len <= UINT32_MAX);
	stream = HPDF_MemStream_New(pdf->mmgr, (HPDF_UINT)s->ttf_len);
	if (!stream)
		return NULL;
	if (HPDF_Stream_Write(stream, s->ttf, (HPDF_UINT)s->ttf_len) != HPDF_OK) {
		HPDF_Stream_Free(stream);
		return NULL;
	}
	def = HPDF_TTFontDef_Load(pdf->mmgr, stream, HPDF_TRUE); /* takes the stream */
	if (!def)
		return NULL;
	memcpy(tag, s->tag, sizeof(tag));
	HPDF_TTFontDef_SetTagName(def, tag);
	/* SetTagName renames only what is written (attr->base_font); the
	 * definition's lookup name must be unique in the document too. */
	attr = (HPDF_TTFontDefAttr)def->attr;
	memcpy(def->base_font, attr->base_font, sizeof(def->base_font));
	if (HPDF_Doc_RegisterFontDef(pdf, def) != HPDF_OK) /* frees def on failure */
		return NULL;
	return def;
}

int hd_pdf_load_slice(HPDF_Doc pdf, const hd_slice *s, HPDF_Font *out, hd_diags *d)
{
	HPDF_FontDef def;
	HPDF_Font font;
	HPDF_Dict cmap;
	hd_buf text = HD_BUF_INIT;
	int rc = HD_OK;

	*out = NULL;
	assert(strlen(s->tag) == HPDF_TTF_FONT_TAG_LEN && s->ttf && s->ttf_len);
	def = hd_pdf_find_def(pdf, s->tag);
	if (def) {
		font = HPDF_Doc_FindFont(pdf, def->base_font, "WinAnsiEncoding");
		if (font) { /* already loaded in this document */
			*out = font;
			return HD_OK;
		}
	} else {
		def = hd_pdf_new_def(pdf, s);
		if (!def) {
			rc = hd_pdf_fail(pdf, s, "loading the TrueType data", d);
			goto cleanup;
		}
	}
	font = HPDF_GetFont(pdf, def->base_font, "WinAnsiEncoding");
	if (!font) {
		rc = hd_pdf_fail(pdf, s, "creating the font", d);
		goto cleanup;
	}
	if (hd_slice_tounicode(s, &text)) {
		hd_error_at(d, NULL, 0, 0, NULL, "out of memory");
		rc = HD_ENOMEM;
		goto cleanup;
	}
	cmap = HPDF_DictStream_New(pdf->mmgr, pdf->xref); /* owned by the xref */
	if (!cmap) {
		rc = hd_pdf_fail(pdf, s, "creating the ToUnicode stream", d);
		goto cleanup;
	}
	if (pdf->compression_mode & HPDF_COMP_METADATA)
		cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	if (HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)text.data, (HPDF_UINT)text.len) !=
	            HPDF_OK ||
	    HPDF_Dict_Add(font, "ToUnicode", cmap) != HPDF_OK) {
		rc = hd_pdf_fail(pdf, s, "writing the ToUnicode CMap", d);
		goto cleanup;
	}
	*out = font;
cleanup:
	hd_buf_free(&text);
	return rc;
}
