/*
 * fonts: DejaVu faces, metrics and single-byte "slice" fonts (see fonts.h).
 *
 * HarfBuzz only: hb-subset cuts a face down to the glyphs of one slice, then
 * we write the TrueType file ourselves with a (3,1) cmap that maps the
 * WinAnsi Unicode value of each byte to the glyph assigned to that byte.
 * libharu (render_font.c) reads that file in a single-byte encoding.
 */
#include "fonts.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>
#include <hb.h>

#define HD_FONT_DEFAULT_DIR "/usr/share/fonts/truetype/dejavu"
#define HD_FONT_MAX_FILE (64u * 1024u * 1024u)
#define HD_BMP 0x10000u
#define HD_EXT_CODES 215u /* byte codes per slice besides the space */
#define HD_NONE ((size_t)-1)

static const char *const hd_font_files[HD_NSTYLES] = {
	"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
	"DejaVuSans-BoldOblique.ttf"
};


/* WinAnsiEncoding (PDF 32000-1, Annex D) for 0x80..0x9F; 0 = undefined. */
static const uint16_t hd_winansi_80[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

typedef struct hd_fontface {
	char *path;             /* full path, for messages */
	hb_blob_t *blob;
	hb_face_t *face;
	hb_font_t *font;        /* scale = upem; for widths beyond the BMP */
	unsigned upem;
	int ascent, descent;    /* 1/1000 em */
	int16_t *width;         /* [HD_BMP], 1/1000 em, -1 = no glyph */
} hd_fontface;

struct hd_fonts {
	hd_fontface face[HD_NSTYLES];
	char *family;           /* "DejaVu Sans", for messages */
	char *package;          /* the Debian package(s) that install it, or NULL */
	/* A composite (hd_fonts_compose): the faces are borrowed from another
	 * hd_fonts, and a character they lack is taken from a fallback. */
	int borrowed;
	const hd_fonts *fb[HD_MAX_FALLBACK];
	size_t nfb;
	signed char order[HD_NSCRIPTS][HD_MAX_FALLBACK]; /* per script: indices in fb, -1 ends */
};

/* Slot k * HD_NSTYLES + style: style of the family (k = 0) or of its
 * fallback k - 1. A fontset keeps each slot's characters apart. */
#define HD_NSLOTS (HD_NSTYLES * (1 + HD_MAX_FALLBACK))

/* Where a code point of one style went: its slice (as listed) and byte. */
typedef struct hd_assign {
	uint32_t cp;
	uint32_t slice;
	unsigned byte;
} hd_assign;

struct hd_fontset {
	hd_fonts *f;
	int finished;
	hb_set_t *used[HD_NSLOTS];
	hd_assign *assign[HD_NSLOTS]; /* sorted by cp */
	size_t nassign[HD_NSLOTS];
	size_t primary[HD_NSLOTS];     /* listed number of the slot's first slice, or HD_NONE */
	/* ASCII fast path: slice + 1 (0: not recorded) and byte, per style. */
	uint16_t ascii_slice[HD_NSLOTS][128];
	unsigned char ascii_byte[HD_NSLOTS][128];
	/* ASCII characters already added (a bit each, per style), so
	 * hd_fontset_add checks and adds each once, not once per occurrence. */
	uint64_t ascii_used[HD_NSTYLES][2];
	hd_slice *slices;
	size_t nslices;
};

/* ----- byte codes ----------------------------------------------------------- */

uint32_t hd_winansi_unicode(unsigned b)
{
	if (b < 0x20 || b == 0x7F || b > 0xFF || b == 0xA0 || b == 0xAD)
		return 0;
	if (b < 0x7F)
		return b;
	if (b < 0xA0)
		return hd_winansi_80[b - 0x80];
	return b; /* Latin-1 */
}

/* The usable high byte codes (see fonts.h), in increasing order. */
static const unsigned char hd_high_codes[121] = {
	0x80, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C,
	0x8E, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B,
	0x9C, 0x9E, 0x9F, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9,
	0xAA, 0xAB, 0xAC, 0xAE, 0xAF, 0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6,
	0xB7, 0xB8, 0xB9, 0xBA, 0xBB, 0xBC, 0xBD, 0xBE, 0xBF, 0xC0, 0xC1, 0xC2,
	0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCD, 0xCE,
	0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA,
	0xDB, 0xDC, 0xDD, 0xDE, 0xDF, 0xE0, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6,
	0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF2,
	0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE,
	0xFF,
};

/* The i-th byte code (0 <= i < 215) an extension slice gives out: 0x21..0x7E,
 * then the usable high codes in increasing order. */
static unsigned hd_ext_code(size_t i)
{
	assert(i < HD_EXT_CODES);
	return i < 94 ? 0x21u + (unsigned)i : hd_high_codes[i - 94];
}

/* Six uppercase letters: "HD", a letter for the slot (the style, or a
 * fallback's style), three for the index. */
static void hd_make_tag(char tag[7], unsigned style, unsigned index)
{
	assert(style < HD_NSLOTS && index < 26u * 26u * 26u);
	tag[0] = 'H';
	tag[1] = 'D';
	tag[2] = (char)('A' + style);
	tag[3] = (char)('A' + index / 676u);
	tag[4] = (char)('A' + index / 26u % 26u);
	tag[5] = (char)('A' + index % 26u);
	tag[6] = '\0';
}

/* ----- writing a TrueType file ---------------------------------------------- */

/* Big-endian stores and loads (sfnt byte order). */
static void hd_put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void hd_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static unsigned hd_get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Sum of big-endian 32-bit words of p[0..len), zero-padded (OpenType's
 * table checksum). */
/* A big-endian 32-bit word as loaded from memory, in host order. */
static uint32_t hd_be32(uint32_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return w;
#elif defined(__GNUC__)
	return __builtin_bswap32(w);
#else
	const unsigned char *b = (const unsigned char *)&w;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
#endif
}

static uint32_t hd_sfnt_checksum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;
	for (i = 0; i + 4 <= len; i += 4) {
		uint32_t w; /* one load and a byte swap, not four loads */
		memcpy(&w, p + i, 4);
		sum += hd_be32(w);
	}
	if (i < len) {
		unsigned char last[4] = { 0, 0, 0, 0 };
		memcpy(last, p + i, len - i);
		sum += (uint32_t)last[0] << 24 | (uint32_t)last[1] << 16 | (uint32_t)last[2] << 8 | last[3];
	}
	return sum;
}

typedef struct hd_map_pair {
	uint16_t code; /* WinAnsi Unicode value */
	uint16_t gid;  /* glyph in the subset */
} hd_map_pair;

/* qsort order of hd_map_pair: by code. */
static int hd_pair_cmp(const void *a, const void *b)
{
	const hd_map_pair *x = a, *y = b;
	return (x->code > y->code) - (x->code < y->code);
}

/* Builds a cmap table with one (3,1) format 4 subtable for n pairs (codes
 * distinct). Returns the table in *out (malloc'd, the caller's) or NULL with
 * HD_ENOMEM. */
static int hd_build_cmap(unsigned char **out, size_t *out_len, hd_map_pair *pairs, size_t n)
{
	size_t seg = 0, i, j, len;
	unsigned char *t, *sub;
	unsigned search = 1, sel = 0;

	*out = NULL;
	qsort(pairs, n, sizeof(*pairs), hd_pair_cmp);
	/* A segment is a run of consecutive codes with consecutive glyphs. */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && pairs[j].code == pairs[j - 1].code + 1 &&
		                pairs[j].gid == pairs[j - 1].gid + 1; j++)
			;
		seg++;
	}
	seg++; /* the 0xFFFF end segment */
	len = 4 + 8 + 16 + seg * 8;
	t = calloc(1, len);
	if (!t)
		return HD_ENOMEM;
	hd_put16(t, 0);            /* version */
	hd_put16(t + 2, 1);        /* one subtable */
	hd_put16(t + 4, 3);        /* Windows */
	hd_put16(t + 6, 1);        /* Unicode BMP */
	hd_put32(t + 8, 12);       /* offset */
	sub = t + 12;
	while (search * 2 <= seg) {
		search *= 2;
		sel++;
	}
	hd_put16(sub, 4);
	hd_put16(sub + 2, (unsigned)(len - 12));
	hd_put16(sub + 4, 0);                  /* language */
	hd_put16(sub + 6, (unsigned)seg * 2);
	hd_put16(sub + 8, search * 2);
	hd_put16(sub + 10, sel);
	hd_put16(sub + 12, (unsigned)(seg * 2 - search * 2));
	{
		unsigned char *end = sub + 14;
		unsigned char *start = end + seg * 2 + 2; /* after reservedPad */
		unsigned char *delta = start + seg * 2;
		unsigned char *range = delta + seg * 2;
		size_t s = 0;
		for (i = 0; i < n; i = j) {
			for (j = i + 1; j < n && pairs[j].code == pairs[j - 1].code + 1 &&
			                pairs[j].gid == pairs[j - 1].gid + 1; j++)
				;
			hd_put16(start + s * 2, pairs[i].code);
			hd_put16(end + s * 2, pairs[j - 1].code);
			hd_put16(delta + s * 2, (unsigned)(pairs[i].gid - pairs[i].code) & 0xFFFFu);
			hd_put16(range + s * 2, 0);
			s++;
		}
		hd_put16(start + s * 2, 0xFFFF);
		hd_put16(end + s * 2, 0xFFFF);
		hd_put16(delta + s * 2, 1);
		hd_put16(range + s * 2, 0);
		assert(s + 1 == seg);
	}
	*out = t;
	*out_len = len;
	return HD_OK;
}

/* The tables libharu's TrueType loader reads and saves (hpdf_fontdef_tt.c),
 * in tag order. Debian's libharu 2.3.0 fails to save a font that lacks one of
 * them, so cvt and fpgm (dropped with the hinting) are written empty, and prep
 * gets a one-instruction program (HD_PREP_NOOP): libharu copies the tables
 * into a memory stream of 4,096-byte blocks in this order, then seeks to each
 * table's start to checksum it. An empty last table starts at the very end of
 * that stream, and a memory stream cannot seek to its end when its size is a
 * multiple of the block size (HPDF_MemStream_SeekFunc finds no block there):
 * about one document in 400 failed with libharu error 0x1033. A last table
 * that is never empty never starts at the end. */
static const char *const hd_sfnt_tags[] = {
	"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp",
	"name", "post", "prep"
};
#define HD_NTABLES (sizeof(hd_sfnt_tags) / sizeof(hd_sfnt_tags[0]))

/* The prep program of every slice: SVTCA[1], "set the freedom and projection
 * vectors to the x axis", which they already are when prep starts, so it
 * changes nothing; the glyphs carry no instructions anyway. */
static const unsigned char HD_PREP_NOOP[1] = { 0x01 };

/* Writes an sfnt with the 13 tables above: cmap from the argument, the others
 * from subset (missing ones empty). Returns HD_OK with *out (malloc'd, the
 * caller's), HD_EFONT when subset lacks a vital table, or HD_ENOMEM. */
static int hd_write_sfnt(unsigned char **out, size_t *out_len, hb_face_t *subset,
                         const unsigned char *cmap, size_t cmap_len, unsigned first_code,
                         unsigned last_code)
{
	hb_blob_t *blobs[HD_NTABLES] = { 0 };
	const unsigned char *data[HD_NTABLES];
	size_t lens[HD_NTABLES];
	size_t total, off, i, head_off = 0;
	unsigned search = 1, sel = 0;
	unsigned char *p = NULL;
	uint32_t sum = 0, tsum;
	int rc = HD_OK;

	*out = NULL;
	total = 12 + 16 * HD_NTABLES;
	for (i = 0; i < HD_NTABLES; i++) {
		const char *tag = hd_sfnt_tags[i];
		unsigned int n = 0;
		if (!strcmp(tag, "cmap")) {
			data[i] = cmap;
			lens[i] = cmap_len;
		} else {
			blobs[i] = hb_face_reference_table(subset, HB_TAG(tag[0], tag[1], tag[2], tag[3]));
			data[i] = (const unsigned char *)hb_blob_get_data(blobs[i], &n);
			lens[i] = n;
			if (!n && !strcmp(tag, "prep")) {
				data[i] = HD_PREP_NOOP;
				lens[i] = sizeof(HD_PREP_NOOP);
			}
			if (!n && strcmp(tag, "cvt ") && strcmp(tag, "fpgm") && strcmp(tag, "prep")) {
				rc = HD_EFONT;
				goto cleanup;
			}
		}
		total += (lens[i] + 3) & ~(size_t)3;
	}
	p = calloc(1, total);
	if (!p) {
		rc = HD_ENOMEM;
		goto cleanup;
	}
	while (search * 2 <= HD_NTABLES) {
		search *= 2;
		sel++;
	}
	hd_put32(p, 0x00010000);
	hd_put16(p + 4, HD_NTABLES);
	hd_put16(p + 6, search * 16);
	hd_put16(p + 8, sel);
	hd_put16(p + 10, HD_NTABLES * 16 - search * 16);
	off = 12 + 16 * HD_NTABLES;
	for (i = 0; i < HD_NTABLES; i++) {
		unsigned char *rec = p + 12 + 16 * i;
		const char *tag = hd_sfnt_tags[i];
		if (lens[i])
			memcpy(p + off, data[i], lens[i]);
		if (!strcmp(tag, "head")) {
			if (lens[i] < 54) {
				rc = HD_EFONT;
				goto cleanup;
			}
			head_off = off;
			hd_put32(p + off + 8, 0); /* checkSumAdjustment, set below */
		} else if (!strcmp(tag, "OS/2") && lens[i] >= 68) {
			/* usFirstCharIndex / usLastCharIndex of the new cmap */
			hd_put16(p + off + 64, first_code);
			hd_put16(p + off + 66, last_code);
		}
		memcpy(rec, tag, 4);
		tsum = hd_sfnt_checksum(p + off, lens[i]);
		sum += tsum;
		hd_put32(rec + 4, tsum);
		/* An empty table points at the first table's data, not at the end
		 * of the file: libharu 2.3.0 cannot seek to the end of a memory
		 * stream and fails to save a font whose table starts there. */
		hd_put32(rec + 8, (uint32_t)(lens[i] ? off : 12 + 16 * HD_NTABLES));
		hd_put32(rec + 12, (uint32_t)lens[i]);
		off += (lens[i] + 3) & ~(size_t)3;
	}
	assert(off == total && head_off);
	/* the whole file's: the tables' (each padded with zeros to a word) and
	 * the header's and directory's */
	sum += hd_sfnt_checksum(p, 12 + 16 * HD_NTABLES);
	assert(sum == hd_sfnt_checksum(p, total));
	hd_put32(p + head_off + 8, 0xB1B0AFBAu - sum);
	*out = p;
	*out_len = total;
	p = NULL;
cleanup:
	for (i = 0; i < HD_NTABLES; i++)
		hb_blob_destroy(blobs[i]);
	free(p);
	return rc;
}

/* Builds the TrueType file of slice s (s->cp filled) from face. On success
 * s->ttf / s->ttf_len point to a malloc'd buffer, the caller's. Returns
 * HD_ENOMEM or HD_EFONT (with a diagnostic) on failure. */
static int hd_slice_build(hd_slice *s, const hd_fontface *face, hd_diags *d)
{
	hb_subset_input_t *input = NULL;
	hb_subset_plan_t *plan = NULL;
	hb_face_t *sub = NULL;
	const hb_map_t *u2o, *o2n;
	hd_map_pair pairs[256];
	unsigned char *cmap = NULL, *ttf = NULL;
	size_t cmap_len = 0, ttf_len = 0, n = 0;
	unsigned first = 0xFFFF, last = 0, b;
	int rc = HD_OK;
	/* Tables the slice does not keep. cmap too: the plan maps the
	 * characters through the face's own cmap, and the slice gets the one
	 * hd_build_cmap writes, so hb-subset's would be thrown away (making it
	 * was two thirds of executing the plan). */
	static const char drop[][5] = {
		"GSUB", "GPOS", "GDEF", "kern", "morx", "mort", "kerx", "BASE", "JSTF",
		"MATH", "FFTM", "gasp", "DSIG", "hdmx", "LTSH", "VDMX", "vhea", "vmtx", "cmap"
	};

	s->ttf = NULL;
	s->ttf_len = 0;
	input = hb_subset_input_create_or_fail();
	if (!input) {
		rc = HD_ENOMEM;
		goto cleanup;
	}
	hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
	/* Names kept: copyright (0, the font's licence asks for it), family (1),
	 * subfamily (2, libharu reads it) and PostScript name (6, libharu's
	 * BaseFont). Unique id, full name and version only add bytes. */
	{
		hb_set_t *ids = hb_subset_input_set(input, HB_SUBSET_SETS_NAME_ID);
		hb_set_clear(ids);
		hb_set_add(ids, 0);
		hb_set_add(ids, 1);
		hb_set_add(ids, 2);
		hb_set_add(ids, 6);
	}
	for (size_t i = 0; i < HD_ARRAY_LEN(drop); i++)
		hb_set_add(hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG),
		           HB_TAG(drop[i][0], drop[i][1], drop[i][2], drop[i][3]));
	for (b = 0x20; b < 256; b++)
		if (s->cp[b])
			hb_set_add(hb_subset_input_unicode_set(input), s->cp[b]);
	plan = hb_subset_plan_create_or_fail(face->face, input);
	if (!plan) {
		rc = HD_ENOMEM;
		goto cleanup;
	}
	u2o = hb_subset_plan_unicode_to_old_glyph_mapping(plan);
	o2n = hb_subset_plan_old_to_new_glyph_mapping(plan);
	for (b = 0x20; b < 256; b++) {
		hb_codepoint_t old, gid;
		if (!s->cp[b])
			continue;
		old = hb_map_get(u2o, s->cp[b]);
		gid = old == HB_MAP_VALUE_INVALID ? HB_MAP_VALUE_INVALID : hb_map_get(o2n, old);
		if (gid == HB_MAP_VALUE_INVALID || gid > 0xFFFF) {
			hd_error_at(d, face->path, 0, 0, NULL,
			            "cannot subset the font: no glyph for U+%04X", (unsigned)s->cp[b]);
			rc = HD_EFONT;
			goto cleanup;
		}
		assert(hd_winansi_unicode(b));
		pairs[n].code = (uint16_t)hd_winansi_unicode(b);
		pairs[n].gid = (uint16_t)gid;
		if (pairs[n].code < first)
			first = pairs[n].code;
		if (pairs[n].code > last)
			last = pairs[n].code;
		n++;
	}
	sub = hb_subset_plan_execute_or_fail(plan);
	if (!sub) {
		hd_error_at(d, face->path, 0, 0, NULL, "cannot subset the font (hb-subset failed)");
		rc = HD_EFONT;
		goto cleanup;
	}
	rc = hd_build_cmap(&cmap, &cmap_len, pairs, n);
	if (rc)
		goto cleanup;
	rc = hd_write_sfnt(&ttf, &ttf_len, sub, cmap, cmap_len, first, last);
	if (rc == HD_EFONT)
		hd_error_at(d, face->path, 0, 0, NULL, "the subset font lacks a required table");
	if (rc)
		goto cleanup;
	s->ttf = ttf;
	s->ttf_len = ttf_len;
cleanup:
	free(cmap);
	hb_face_destroy(sub);
	hb_subset_plan_destroy(plan);
	hb_subset_input_destroy(input);
	if (rc == HD_ENOMEM)
		hd_error_at(d, NULL, 0, 0, NULL, "out of memory while building a font subset");
	return rc;
}

/* ----- opening the faces ---------------------------------------------------- */

/* Fills face->width (BMP) and the vertical metrics from hmtx and hhea.
 * Returns HD_OK, HD_ENOMEM, or HD_EFONT when hhea is missing. */
static int hd_face_metrics(hd_fontface *face)
{
	hb_set_t *cps = hb_set_create();
	hb_blob_t *hhea = NULL;
	hb_codepoint_t cp = HB_SET_VALUE_INVALID;
	const unsigned char *h;
	unsigned int hlen = 0;
	int rc = HD_OK;

	face->width = malloc(HD_BMP * sizeof(*face->width));
	if (!face->width || !hb_set_allocation_successful(cps)) {
		rc = HD_ENOMEM;
		goto cleanup;
	}
	memset(face->width, 0xFF, HD_BMP * sizeof(*face->width)); /* -1 everywhere */
	hb_face_collect_unicodes(face->face, cps);
	while (hb_set_next(cps, &cp) && cp < HD_BMP) {
		hb_codepoint_t gid;
		if (!hb_font_get_nominal_glyph(face->font, cp, &gid))
			continue;
		face->width[cp] = (int16_t)((unsigned)hb_font_get_glyph_h_advance(face->font, gid) *
		                            1000u / face->upem);
	}
	hhea = hb_face_reference_table(face->face, HB_TAG('h', 'h', 'e', 'a'));
	h = (const unsigned char *)hb_blob_get_data(hhea, &hlen);
	if (hlen < 36) {
		rc = HD_EFONT;
		goto cleanup;
	}
	face->ascent = (int16_t)hd_get16(h + 4) * 1000 / (int)face->upem;
	face->descent = (int16_t)hd_get16(h + 6) * 1000 / (int)face->upem;
cleanup:
	hb_blob_destroy(hhea);
	hb_set_destroy(cps);
	return rc;
}

/* The file name of a path, for messages ("DejaVuSans-Bold.ttf"). */
static const char *hd_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* What to do about a face that is missing or broken, into hint. */
static void hd_face_hint(char *hint, size_t size, const hd_fonts *f, const char *what)
{
	if (f->package)
		snprintf(hint, size, "%s the Debian package%s %s, or change the family '%s' in the "
		         "font configuration (fonts/fonts.xml)", what, strchr(f->package, ' ') ? "s" : "",
		         f->package, f->family);
	else
		snprintf(hint, size, "install the font, or change the family '%s' in the font "
		         "configuration (fonts/fonts.xml)", f->family);
}

/* Reads one face from path and prepares everything hd_fonts keeps for it.
 * On failure returns HD_EFONT (with a diagnostic naming the file) or
 * HD_ENOMEM; what was set up is released by hd_fonts_free. */
static int hd_face_open(hd_fontface *face, const hd_fonts *f, const char *path, hd_diags *d)
{
	char hint[320];
	hb_blob_t *glyf;
	unsigned glyf_len;
	int rc;

	face->path = strdup(path);
	if (!face->path)
		return HD_ENOMEM;
	/* Mapped, not read: a process touches only the tables and glyphs it
	 * uses of the 2.7 MB of the four faces. */
	errno = 0;
	face->blob = hb_blob_create_from_file_or_fail(face->path);
	if (!face->blob) {
		int e = errno;
		hd_face_hint(hint, sizeof(hint), f, "install");
		hd_error_at(d, face->path, 0, 0, hint, "cannot read the font %s (%s)",
		            hd_base_name(face->path), e ? strerror(e) : "not a readable file");
		return HD_EFONT;
	}
	face->face = hb_face_create(face->blob, 0);
	face->upem = hb_face_get_upem(face->face);
	/* libharu embeds TrueType outlines (glyf) only, not CFF (.otf) */
	glyf = hb_face_reference_table(face->face, HB_TAG('g', 'l', 'y', 'f'));
	glyf_len = hb_blob_get_length(glyf);
	hb_blob_destroy(glyf);
	if (hb_face_get_glyph_count(face->face) == 0 || face->upem < 16 || !glyf_len) {
		hd_face_hint(hint, sizeof(hint), f, "reinstall");
		hd_error_at(d, face->path, 0, 0, hint, "not a usable TrueType font%s",
		            hb_face_get_glyph_count(face->face) && !glyf_len
		                ? " (it has no glyf outlines: CFF/OpenType fonts cannot be embedded)"
		                : "");
		return HD_EFONT;
	}
	face->font = hb_font_create(face->face);
	hb_font_set_scale(face->font, (int)face->upem, (int)face->upem);
	/* No hb_subset_preprocess: it costs ~15 ms per face, more than a whole
	 * batch of small per-document subsets (~0.1 ms each on the plain face,
	 * whose table caches HarfBuzz keeps). */
	rc = hd_face_metrics(face);
	if (rc == HD_EFONT) {
		hd_face_hint(hint, sizeof(hint), f, "reinstall");
		hd_error_at(d, face->path, 0, 0, hint, "the font has no hhea table");
	}
	return rc;
}

int hd_fonts_open_files(hd_fonts **out, const char *const files[HD_NSTYLES], const char *family,
                        const char *package, hd_diags *d)
{
	hd_fonts *f;
	unsigned st;
	int rc = HD_OK;

	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (!f || !(f->family = strdup(family)) || (package && !(f->package = strdup(package)))) {
		hd_fonts_free(f);
		hd_error_at(d, NULL, 0, 0, NULL, "out of memory");
		return HD_ENOMEM;
	}
	for (st = 0; st < HD_NSTYLES; st++) {
		int r = hd_face_open(&f->face[st], f, files[st], d);
		if (r == HD_ENOMEM)
			hd_error_at(d, NULL, 0, 0, NULL, "out of memory while loading fonts");
		if (r && !rc)
			rc = r;
		if (r && r != HD_EFONT)
			break;
	}
	if (rc) {
		hd_fonts_free(f);
		return rc;
	}
	*out = f;
	return HD_OK;
}

int hd_fonts_open(hd_fonts **out, const char *dir, hd_diags *d)
{
	char *files[HD_NSTYLES] = { NULL };
	unsigned st;
	int rc = HD_OK;

	*out = NULL;
	if (!dir)
		dir = HD_FONT_DEFAULT_DIR;
	for (st = 0; st < HD_NSTYLES; st++)
		if (!(files[st] = hd_path_join(dir, hd_font_files[st])))
			rc = HD_ENOMEM;
	if (!rc)
		rc = hd_fonts_open_files(out, (const char *const *)files, "DejaVu Sans",
		                         "fonts-dejavu-core fonts-dejavu-extra", d);
	else
		hd_error_at(d, NULL, 0, 0, NULL, "out of memory");
	for (st = 0; st < HD_NSTYLES; st++)
		free(files[st]);
	return rc;
}

void hd_fonts_free(hd_fonts *f)
{
	unsigned st;

	if (!f)
		return;
	for (st = 0; st < HD_NSTYLES && !f->borrowed; st++) {
		hd_fontface *face = &f->face[st];
		free(face->width);
		hb_font_destroy(face->font);
		hb_face_destroy(face->face);
		hb_blob_destroy(face->blob);
		free(face->path);
	}
	free(f->family);
	free(f->package);
	free(f);
}

/* The width of cp in face (1/1000 em), or -1 when it has no glyph. */
static int hd_face_width(const hd_fontface *face, uint32_t cp)
{
	hb_codepoint_t gid;

	if (cp < HD_BMP)
		return face->width[cp];
	if (!hb_font_get_nominal_glyph(face->font, cp, &gid))
		return -1;
	return (int)((unsigned)hb_font_get_glyph_h_advance(face->font, gid) * 1000u / face->upem);
}

/* The face of a slot. */
static const hd_fontface *hd_slot_face(const hd_fonts *f, unsigned slot)
{
	unsigned k = slot / HD_NSTYLES, st = slot % HD_NSTYLES;
	assert(slot < HD_NSLOTS && k <= f->nfb);
	return k ? &f->fb[k - 1]->face[st] : &f->face[st];
}

/* The slot that shows cp in style: the family's own face when it has the
 * glyph, else the first fallback for cp's script that has it; -1 when none. */
static int hd_slot_for(const hd_fonts *f, unsigned style, uint32_t cp)
{
	size_t i;
	unsigned script;

	if (hd_face_width(&f->face[style], cp) >= 0)
		return (int)style;
	if (!f->nfb)
		return -1;
	script = hd_script_of(cp);
	for (i = 0; i < HD_MAX_FALLBACK && f->order[script][i] >= 0; i++) {
		unsigned k = (unsigned)f->order[script][i];
		if (hd_face_width(&f->fb[k]->face[style], cp) >= 0)
			return (int)((k + 1) * HD_NSTYLES + style);
	}
	return -1;
}

int hd_fonts_width(const hd_fonts *f, unsigned style, uint32_t cp)
{
	int slot;

	assert(style < HD_NSTYLES);
	/* the family's own face has nearly every character: one table look-up */
	if (cp < HD_BMP && f->face[style].width[cp] >= 0)
		return f->face[style].width[cp];
	slot = hd_slot_for(f, style, cp);
	return slot < 0 ? -1 : hd_face_width(hd_slot_face(f, (unsigned)slot), cp);
}

unsigned hd_script_of(uint32_t cp)
{
	if (cp < 0x250 || (cp >= 0x1E00 && cp < 0x1F00) || (cp >= 0x2C60 && cp < 0x2C80) ||
	    (cp >= 0xA720 && cp < 0xA800))
		return HD_SCRIPT_LATIN;
	if ((cp >= 0x370 && cp < 0x400) || (cp >= 0x1F00 && cp < 0x2000))
		return HD_SCRIPT_GREEK;
	if ((cp >= 0x400 && cp < 0x530) || (cp >= 0x2DE0 && cp < 0x2E00) ||
	    (cp >= 0xA640 && cp < 0xA6A0))
		return HD_SCRIPT_CYRILLIC;
	return HD_SCRIPT_OTHER;
}

int hd_fonts_pair(hd_fonts **out, const hd_fonts *body, const hd_fonts *headings)
{
	signed char none[HD_NSCRIPTS][HD_MAX_FALLBACK];
	int r;

	memset(none, -1, sizeof(none));
	r = hd_fonts_compose(out, body, NULL, 0, (const signed char(*)[HD_MAX_FALLBACK])none);
	if (r)
		return r;
	(*out)->face[HD_BOLD] = headings->face[HD_BOLD];
	(*out)->face[HD_BOLD_ITALIC] = headings->face[HD_BOLD_ITALIC];
	return HD_OK;
}

const char *hd_fonts_fallback_for(const hd_fonts *f, unsigned style, uint32_t cp)
{
	int slot = hd_slot_for(f, style, cp);
	if (slot < HD_NSTYLES)
		return NULL;
	return f->fb[slot / HD_NSTYLES - 1]->family;
}

int hd_fonts_compose(hd_fonts **out, const hd_fonts *primary, const hd_fonts *const *fb,
                     size_t nfb, const signed char order[HD_NSCRIPTS][HD_MAX_FALLBACK])
{
	hd_fonts *f;
	size_t i;

	*out = NULL;
	if (nfb > HD_MAX_FALLBACK)
		return HD_EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return HD_ENOMEM;
	memcpy(f->face, primary->face, sizeof(f->face));
	f->borrowed = 1;
	f->family = strdup(primary->family);
	f->package = primary->package ? strdup(primary->package) : NULL;
	if (!f->family || (primary->package && !f->package)) {
		hd_fonts_free(f);
		return HD_ENOMEM;
	}
	for (i = 0; i < nfb; i++)
		f->fb[i] = fb[i];
	f->nfb = nfb;
	memcpy(f->order, order, sizeof(f->order));
	*out = f;
	return HD_OK;
}

int hd_fonts_ascent(const hd_fonts *f, unsigned style)
{
	assert(style < HD_NSTYLES);
	return f->face[style].ascent;
}

int hd_fonts_descent(const hd_fonts *f, unsigned style)
{
	assert(style < HD_NSTYLES);
	return f->face[style].descent;
}

const char *hd_fonts_file(const hd_fonts *f, unsigned style)
{
	assert(style < HD_NSTYLES);
	return hd_base_name(f->face[style].path);
}

const char *hd_fonts_family(const hd_fonts *f)
{
	return f->family;
}

/* ----- fontsets ------------------------------------------------------------- */

int hd_fontset_new(hd_fontset **out, hd_fonts *f)
{
	hd_fontset *fs;
	unsigned st;

	*out = NULL;
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return HD_ENOMEM;
	fs->f = f;
	for (st = 0; st < HD_NSLOTS; st++) {
		fs->used[st] = hb_set_create();
		fs->primary[st] = HD_NONE;
		if (!hb_set_allocation_successful(fs->used[st])) {
			hd_fontset_free(fs);
			return HD_ENOMEM;
		}
	}
	*out = fs;
	return HD_OK;
}

void hd_fontset_free(hd_fontset *fs)
{
	size_t i;
	unsigned st;

	if (!fs)
		return;
	for (i = 0; i < fs->nslices; i++)
		free((void *)fs->slices[i].ttf);
	free(fs->slices);
	for (st = 0; st < HD_NSLOTS; st++) {
		hb_set_destroy(fs->used[st]);
		free(fs->assign[st]);
	}
	free(fs);
}

int hd_fontset_add(hd_fontset *fs, unsigned style, const char *text, size_t len, hd_diags *d)
{
	const hd_fonts *f = fs->f;
	size_t i = 0, n;
	int rc = HD_OK, only_spaces = 1, slot;

	assert(!fs->finished);
	if (style >= HD_NSTYLES)
		return HD_EINVAL;
	while (i < len) {
		uint32_t cp;
		unsigned char c = (unsigned char)text[i];
		if (c < 0x80 && (fs->ascii_used[style][c >> 6] >> (c & 63) & 1)) {
			i++;
			only_spaces = 0;
			continue;
		}
		n = hd_utf8_decode(text + i, len - i, &cp);
		if (!n)
			return HD_EINVAL; /* the loader guarantees valid UTF-8 */
		i += n;
		if (cp == 0x20)
			continue;
		only_spaces = 0;
		slot = cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ? -1 : hd_slot_for(f, style, cp);
		if (slot < 0) {
			char utf8[5] = { 0 };
			if (cp >= 0x20 && !(cp >= 0x7F && cp < 0xA0))
				hd_utf8_encode(cp, utf8);
			hd_error_at(d, NULL, 0, 0,
			            "replace the character or leave it out, or choose a font family "
			            "that has it",
			            "the character U+%04X%s%s%s cannot be shown: the font %s (%s) has "
			            "no glyph for it", (unsigned)cp, utf8[0] ? " (" : "", utf8,
			            utf8[0] ? ")" : "", hd_fonts_file(f, style), f->family);
			rc = HD_EFONT;
			continue;
		}
		hb_set_add(fs->used[slot], cp);
		if (!hb_set_allocation_successful(fs->used[slot]))
			return HD_ENOMEM;
		if (cp < 0x80)
			fs->ascii_used[style][cp >> 6] |= (uint64_t)1 << (cp & 63);
	}
	/* A space goes with its neighbours; text of spaces only needs a slice
	 * too, and every slice has the space. */
	if (only_spaces && len)
		hb_set_add(fs->used[style], 0x20);
	if (!hb_set_allocation_successful(fs->used[style]))
		return HD_ENOMEM;
	return rc;
}

/* Looks up cp in style: the listed slice number and byte. Returns 0 when cp
 * was not recorded. */
static int hd_fontset_lookup(const hd_fontset *fs, unsigned style, uint32_t cp, size_t *slice,
                             unsigned *byte)
{
	const hd_assign *as = fs->assign[style];
	size_t lo = 0, hi = fs->nassign[style];

	if (cp < 128) {
		if (!fs->ascii_slice[style][cp])
			return 0;
		*slice = fs->ascii_slice[style][cp] - 1u;
		*byte = fs->ascii_byte[style][cp];
		return 1;
	}

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (as[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == fs->nassign[style] || as[lo].cp != cp)
		return 0;
	*slice = as[lo].slice;
	*byte = as[lo].byte;
	return 1;
}

/* Gives every code point of one style (sorted, without the space) a slice
 * and a byte. The first slice takes ASCII at its own code and characters that
 * WinAnsi has a byte for at that byte (so even a reader that ignores ToUnicode
 * shows and copies them right), then the rest in the free codes; beyond 215
 * characters, further slices take them in code order. Returns the number of
 * slices, and fills as[] (slice numbers relative to the style's first). */
static size_t hd_assign_codes(hd_assign *as, const uint32_t *cps, size_t n)
{
	unsigned char taken[256];
	size_t i, ext = 0, nslices = n ? 1 : 0, next_free = 0;

	memset(taken, 0, sizeof(taken));
	for (i = 0; i < n; i++) {
		uint32_t cp = cps[i];
		as[i].cp = cp;
		as[i].slice = UINT32_MAX;
		if (cp > 0x20 && cp < 0x7F) {
			as[i].byte = cp;
		} else {
			unsigned b;
			as[i].byte = 0;
			for (b = 0x80; b < 256 && cp >= 0x80; b++) {
				if (hd_winansi_unicode(b) == cp) {
					as[i].byte = b;
					break;
				}
			}
			if (!as[i].byte)
				continue;
		}
		as[i].slice = 0;
		taken[as[i].byte] = 1;
	}
	/* The others fill the free codes of the first slice, then new slices. */
	for (i = 0; i < n; i++) {
		if (as[i].slice != UINT32_MAX)
			continue;
		while (next_free < HD_EXT_CODES && taken[hd_ext_code(next_free)])
			next_free++;
		if (next_free < HD_EXT_CODES) {
			as[i].slice = 0;
			as[i].byte = hd_ext_code(next_free);
			taken[as[i].byte] = 1;
			continue;
		}
		/* Extension slices: codes in order, 215 per slice. */
		as[i].slice = (uint32_t)(1 + ext / HD_EXT_CODES);
		as[i].byte = hd_ext_code(ext % HD_EXT_CODES);
		if (as[i].slice + 1 > nslices)
			nslices = as[i].slice + 1;
		ext++;
	}
	return nslices;
}

int hd_fontset_finish(hd_fontset *fs, hd_diags *d)
{
	size_t total = 0, i, nsl[HD_NSLOTS];
	uint32_t *cps = NULL;
	unsigned st;
	int rc = HD_OK;

	assert(!fs->finished);
	fs->finished = 1;
	for (st = 0; st < HD_NSLOTS; st++) {
		hb_codepoint_t cp = HB_SET_VALUE_INVALID;
		size_t count = hb_set_get_population(fs->used[st]), n = 0;
		nsl[st] = 0;
		if (!count)
			continue;
		free(cps);
		cps = malloc(count * sizeof(*cps));
		fs->assign[st] = calloc(count, sizeof(hd_assign));
		if (!cps || !fs->assign[st])
			goto nomem;
		while (hb_set_next(fs->used[st], &cp)) {
			if (cp != 0x20)
				cps[n++] = cp;
		}
		fs->nassign[st] = n;
		nsl[st] = n ? hd_assign_codes(fs->assign[st], cps, n) : 1;
		total += nsl[st];
	}
	free(cps);
	cps = NULL;
	fs->slices = calloc(total ? total : 1, sizeof(*fs->slices));
	if (!fs->slices)
		goto nomem;
	for (st = 0; st < HD_NSLOTS; st++) {
		size_t first = fs->nslices, k;
		if (!nsl[st])
			continue;
		fs->primary[st] = first;
		for (k = 0; k < nsl[st]; k++) {
			hd_slice *s = &fs->slices[first + k];
			s->style = st;
			s->index = (unsigned)k;
			hd_make_tag(s->tag, st, s->index);
			s->cp[0x20] = 0x20;
		}
		for (i = 0; i < fs->nassign[st]; i++) {
			hd_assign *a = &fs->assign[st][i];
			fs->slices[first + a->slice].cp[a->byte] = a->cp;
			a->slice += (uint32_t)first;
			if (a->cp < 128) {
				fs->ascii_slice[st][a->cp] = (uint16_t)(a->slice + 1);
				fs->ascii_byte[st][a->cp] = (unsigned char)a->byte;
			}
		}
		for (k = 0; k < nsl[st]; k++) {
			rc = hd_slice_build(&fs->slices[first + k], hd_slot_face(fs->f, st), d);
			if (rc)
				return rc;
			fs->nslices++;
		}
	}
	assert(fs->nslices == total);
	return HD_OK;
nomem:
	free(cps);
	hd_error_at(d, NULL, 0, 0, NULL, "out of memory while assigning font slices");
	return HD_ENOMEM;
}

size_t hd_fontset_count(const hd_fontset *fs)
{
	assert(fs->finished);
	return fs->nslices;
}

const hd_slice *hd_fontset_slice(const hd_fontset *fs, size_t i)
{
	assert(fs->finished && i < fs->nslices);
	return &fs->slices[i];
}

int hd_fontset_encode(const hd_fontset *fs, unsigned style, const char *text, size_t len,
                      hd_encode_cb cb, void *ctx)
{
	char stack[512];
	char *run = stack;
	size_t nrun = 0, cur = HD_NONE, i = 0;
	int rc = HD_OK;

	assert(fs->finished);
	if (style >= HD_NSTYLES)
		return HD_EINVAL;
	if (len > sizeof(stack)) {
		run = malloc(len); /* a byte per code point at most */
		if (!run)
			return HD_ENOMEM;
	}
	while (i < len) {
		uint32_t cp;
		size_t n = hd_utf8_decode(text + i, len - i, &cp), slice;
		unsigned byte;

		if (!n) {
			rc = HD_EINVAL;
			goto cleanup;
		}
		i += n;
		if (cp == 0x20) {
			run[nrun++] = ' ';
			continue;
		}
		if (cp >= 128 || !fs->ascii_slice[style][cp]) {
			int slot = hd_slot_for(fs->f, style, cp);
			if (slot < 0 || !hd_fontset_lookup(fs, (unsigned)slot, cp, &slice, &byte)) {
				rc = HD_EINVAL;
				goto cleanup;
			}
		} else if (!hd_fontset_lookup(fs, style, cp, &slice, &byte)) {
			rc = HD_EINVAL;
			goto cleanup;
		}
		if (cur != HD_NONE && slice != cur) {
			rc = cb(ctx, cur, run, nrun);
			if (rc)
				goto cleanup;
			nrun = 0;
		}
		cur = slice;
		run[nrun++] = (char)byte;
	}
	if (nrun) {
		if (cur == HD_NONE) { /* spaces only */
			cur = fs->primary[style];
			if (cur == HD_NONE) {
				rc = HD_EINVAL;
				goto cleanup;
			}
		}
		rc = cb(ctx, cur, run, nrun);
	}
cleanup:
	if (run != stack)
		free(run);
	return rc;
}

/* A run of codes b..b+n-1 showing cp..cp+n-1, all in the BMP and within one
 * 256-block of the destination (bfrange may only vary its last byte). */
static unsigned run_length(const hd_slice *s, unsigned b)
{
	unsigned n = 1;
	uint32_t cp = s->cp[b];
	if (cp >= HD_BMP)
		return 1;
	while (b + n < 256 && s->cp[b + n] == cp + n && ((cp + n) & 0xFF) != 0)
		n++;
	return n;
}

/* Writes one UTF-16BE destination: <XXXX>, or a surrogate pair. */
/* Appends the low digits hex digits of v, upper case ("%0*X" for a value
 * that fits), without printf: a CMap has a few hundred of them. */
static void put_hex(hd_buf *out, unsigned v, int digits)
{
	static const char hex[] = "0123456789ABCDEF";
	char buf[8];
	int i;

	assert(digits > 0 && digits <= 8);
	for (i = digits - 1; i >= 0; i--, v >>= 4)
		buf[i] = hex[v & 15];
	hd_buf_append(out, buf, (size_t)digits);
}

/* "<XX>" for a byte code. */
static void put_code(hd_buf *out, unsigned b)
{
	hd_buf_putc(out, '<');
	put_hex(out, b, 2);
	hd_buf_putc(out, '>');
}

static void put_utf16(hd_buf *out, uint32_t cp)
{
	hd_buf_putc(out, '<');
	if (cp < HD_BMP) {
		put_hex(out, cp, 4);
	} else {
		put_hex(out, 0xD800 + ((cp - HD_BMP) >> 10), 4);
		put_hex(out, 0xDC00 + ((cp - HD_BMP) & 0x3FF), 4);
	}
	hd_buf_putc(out, '>');
}

int hd_slice_tounicode(const hd_slice *s, hd_buf *out)
{
	unsigned b, pass;

	hd_buf_puts(out,
	            "/CIDInit /ProcSet findresource begin\n"
	            "12 dict begin\n"
	            "begincmap\n"
	            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
	            "/CMapName /Adobe-Identity-UCS def\n"
	            "/CMapType 2 def\n"
	            "1 begincodespacerange\n"
	            "<00> <FF>\n"
	            "endcodespacerange\n");
	/* Pass 0: runs of two or more as bfrange; pass 1: the single codes as
	 * bfchar. At most 100 entries per block. */
	for (pass = 0; pass < 2; pass++) {
		const char *what = pass == 0 ? "bfrange" : "bfchar";
		unsigned total = 0, done = 0, n;
		for (b = 0; b < 256; b += n) {
			n = s->cp[b] ? run_length(s, b) : 1;
			if (s->cp[b] && (pass == 0) == (n >= 2))
				total++;
		}
		for (b = 0; b < 256; b += n) {
			n = s->cp[b] ? run_length(s, b) : 1;
			if (!s->cp[b] || (pass == 0) != (n >= 2))
				continue;
			if (done % 100 == 0)
				hd_buf_printf(out, "%u begin%s\n", total - done < 100 ? total - done : 100, what);
			put_code(out, b);
			hd_buf_putc(out, ' ');
			if (pass == 0) {
				put_code(out, b + n - 1);
				hd_buf_putc(out, ' ');
			}
			put_utf16(out, s->cp[b]);
			hd_buf_putc(out, '\n');
			done++;
			if (done % 100 == 0 || done == total)
				hd_buf_printf(out, "end%s\n", what);
		}
	}
	hd_buf_puts(out,
	            "endcmap\n"
	            "CMapName currentdict /CMapResource defineresource pop\n"
	            "end\n"
	            "end\n");
	return out->oom ? HD_ENOMEM : HD_OK;
}
