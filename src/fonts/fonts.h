/*
 * fonts: the DejaVu faces, their metrics, and the "slice" fonts that the PDF
 * embeds. No libharu here (render.c hands the slices to libharu).
 *
 * Why slices. libharu 2.3.0 in UTF-8 mode is slow (it walks all 65,536 code
 * points per font per document) and writes an invalid ToUnicode CMap. In a
 * single-byte encoding it is fast and writes no ToUnicode at all. So each style
 * is embedded as one or more single-byte TrueType fonts ("slices"), each a
 * subset of DejaVu made with hb-subset, whose (3,1) cmap we rewrite so that
 * byte b, read through WinAnsiEncoding, reaches the glyph we assigned to b.
 * The renderer adds a correct ToUnicode CMap (hd_slice_tounicode) so text
 * extraction gives back the real characters.
 *
 * Byte codes a slice may use: 0x20 is always the space (so the PDF word-spacing
 * operator Tw works in every slice); 0x21-0x7E and 0x80-0xFF except 0x81, 0x8D,
 * 0x8F, 0x90, 0x9D (undefined in WinAnsi), 0xA0 and 0xAD (WinAnsi names them
 * "space" and "hyphen" again, so a viewer could not tell them from 0x20/0x2D).
 * That is 215 codes besides the space.
 *
 * Slices are made per document, from faces opened once per hd_fonts and
 * memory-mapped: each holds exactly the characters the document shows in
 * that style (a second slice when a style needs more than 215 codes).
 */
#ifndef HD_FONTS_H
#define HD_FONTS_H

#include <stddef.h>
#include <stdint.h>

#include "block.h"
#include "model.h"
#include "util.h"

typedef struct hd_fonts hd_fonts;

/* Scripts, for the fallback order of fonts/fonts.xml. */
enum { HD_SCRIPT_LATIN, HD_SCRIPT_GREEK, HD_SCRIPT_CYRILLIC, HD_SCRIPT_OTHER, HD_NSCRIPTS };
/* The most fallback families one family may have. */
#define HD_MAX_FALLBACK 3

/* The script of a code point (HD_SCRIPT_*). */
unsigned hd_script_of(uint32_t cp);

/* Opens DejaVuSans.ttf, DejaVuSans-Bold.ttf, DejaVuSans-Oblique.ttf and
 * DejaVuSans-BoldOblique.ttf from dir (NULL: /usr/share/fonts/truetype/dejavu).
 * On success *out is the caller's (hd_fonts_free).
 * A missing or unreadable font is an HD_EFONT error naming the file and the
 * package to install (fonts-dejavu-core). */
int hd_fonts_open(hd_fonts **out, const char *dir, hd_diags *d);
/* Opens the four faces of a family from files (indexed by style: regular,
 * bold, italic, bold italic). family and package (the Debian package(s)
 * that install it, or NULL) name it in messages. Every face must be
 * TrueType (glyf outlines: libharu embeds no CFF). On success *out is the
 * caller's (hd_fonts_free); HD_EFONT names each file that is missing or
 * unusable, with what to install. */
int hd_fonts_open_files(hd_fonts **out, const char *const files[HD_NSTYLES], const char *family,
                        const char *package, hd_diags *d);
/* What finds fonts through fontconfig: its configuration, loaded the first
 * time a face needs it (FcInitLoadConfigAndFonts), freed with the finder.
 * One per engine; thread-safe. */
typedef struct hd_fontfinder hd_fontfinder;
int hd_fontfinder_new(hd_fontfinder **out);
void hd_fontfinder_free(hd_fontfinder *ff);

/* Finds the files of a family's faces: for each style its file when that
 * exists, else fontconfig's match of its pattern, which must be of the
 * family and the style (fontconfig would substitute another family
 * silently). files[style] are malloc'd, the caller's. Returns HD_OK, or
 * HD_EFONT with one error per face not found, naming config (the
 * configuration file) and the package to install; HD_ENOMEM. */
int hd_fonts_find(char *files[HD_NSTYLES], const hd_font_family *family, const char *config,
                  hd_fontfinder *ff, hd_diags *d);
void hd_fonts_free(hd_fonts *f);

/* A family with fallbacks: the faces of primary (borrowed: primary and
 * every fb[i] must outlive it), and for a character they lack, the first
 * of fb that has it, in the order of its script (order[script][i]: an
 * index in fb, -1 ends the list). Widths, slices and the PDF then take each
 * character from its own face. On success *out is the caller's
 * (hd_fonts_free, which frees only what the composite owns). */
int hd_fonts_compose(hd_fonts **out, const hd_fonts *primary, const hd_fonts *const *fb,
                     size_t nfb, const signed char order[HD_NSCRIPTS][HD_MAX_FALLBACK]);
/* Body text in one family, the bold faces (headings, titles, bold labels)
 * in another: the regular and italic faces of body, the bold and bold
 * italic of headings, all borrowed (both must outlive it). On success *out
 * is the caller's (hd_fonts_free). */
int hd_fonts_pair(hd_fonts **out, const hd_fonts *body, const hd_fonts *headings);
/* The family a fallback lends cp in style (NULL: the family's own, or none). */
const char *hd_fonts_fallback_for(const hd_fonts *f, unsigned style, uint32_t cp);

/* Advance width of cp in style (from a fallback's face when a composite's
 * own face lacks it), in 1/1000 em, computed exactly as libharu
 * computes /Widths (advance * 1000 / unitsPerEm, truncated), or -1 when the
 * face has no glyph for cp. Thread-safe, O(1) for the BMP. */
int hd_fonts_width(const hd_fonts *f, unsigned style, uint32_t cp);
/* Ascent (positive) and descent (negative) in 1/1000 em, from the hhea table. */
int hd_fonts_ascent(const hd_fonts *f, unsigned style);
int hd_fonts_descent(const hd_fonts *f, unsigned style);
/* The face's file name, for messages ("DejaVuSans-Bold.ttf"). */
const char *hd_fonts_file(const hd_fonts *f, unsigned style);
/* The family's name ("DejaVu Sans"). */
const char *hd_fonts_family(const hd_fonts *f);

/* One single-byte font to embed. */
typedef struct hd_slice {
	unsigned style;          /* enum hd_face */
	unsigned index;          /* 0: the style's first slice; 1..: further ones */
	uint32_t cp[256];        /* code point shown by byte b, 0 if b is unused */
	const unsigned char *ttf; /* the TrueType file (owned by hd_fonts or the fontset) */
	size_t ttf_len;
	char tag[7];             /* unique six-letter subset tag, e.g. "HDAAAB" */
} hd_slice;

/* A document's use of the fonts: which code points it needs, in which slices. */
typedef struct hd_fontset hd_fontset;

/* Starts an empty fontset. *out is the caller's (hd_fontset_free). */
int hd_fontset_new(hd_fontset **out, hd_fonts *f);
void hd_fontset_free(hd_fontset *fs);

/* Records that text (UTF-8) is shown in style. A code point the face cannot
 * show is an HD_EFONT error (with the code point and the face in the
 * message); the rest is still recorded. */
int hd_fontset_add(hd_fontset *fs, unsigned style, const char *text, size_t len, hd_diags *d);

/* Assigns codes and builds the extension slices (hb-subset + cmap rewrite).
 * After it, only hd_fontset_encode / _slice / _count may be called. */
int hd_fontset_finish(hd_fontset *fs, hd_diags *d);

/* The slices used by the document, in a stable order (style, then index). Only
 * slices that carry at least one code point of the document are listed. */
size_t hd_fontset_count(const hd_fontset *fs);
const hd_slice *hd_fontset_slice(const hd_fontset *fs, size_t i);

/* Splits text (UTF-8, shown in style) into runs of bytes of one slice and
 * calls cb for each, in order: cb(ctx, slice number as in hd_fontset_slice,
 * bytes, n). Spaces stay in the current slice. Returns the first non-zero cb
 * result, HD_EINVAL for text not recorded with hd_fontset_add, or HD_OK. */
typedef int (*hd_encode_cb)(void *ctx, size_t slice, const char *bytes, size_t n);
int hd_fontset_encode(const hd_fontset *fs, unsigned style, const char *text, size_t len,
                      hd_encode_cb cb, void *ctx);

/* Writes the ToUnicode CMap program for a slice (bfchar entries for every code
 * the slice uses, at most 100 per block) into out. */
int hd_slice_tounicode(const hd_slice *s, hd_buf *out);

/* The Unicode value WinAnsiEncoding gives byte b (what a PDF viewer looks up
 * in a non-symbolic TrueType font's (3,1) cmap), or 0 if b is unusable. */
uint32_t hd_winansi_unicode(unsigned b);

#endif
