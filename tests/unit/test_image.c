/*
 * Unit tests for src/image.c: every PNG format decodes to the exact expected
 * 8-bit gray or RGB values (alpha composited on white), and hostile files
 * (truncated, CRC errors, absurd sizes, not PNG at all) are errors with a
 * clear message, never a crash or a leak. Test PNGs are written at run time
 * with libpng into HD_TEST_TMP/image.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "load_png.h"

#define TMP_DIR HD_TEST_TMP "/image"

/* ----- helpers --------------------------------------------------------------- */

/* What to write: rows are packed as in the file (big-endian 16-bit samples,
 * sub-byte pixels packed from the high bits). */
typedef struct png_spec {
	unsigned w, h;
	int depth;
	int color;
	int interlace;
	const unsigned char *data;
	const png_color *palette;
	int npalette;
	const png_byte *trans;     /* palette alpha */
	int ntrans;
	const png_color_16 *trans_color; /* gray or RGB colour key */
} png_spec;

/* Returns a path under TMP_DIR (static buffer, valid until the next call). */
static const char *tmp_path(const char *name)
{
	static char path[512];

	mkdir(HD_TEST_TMP, 0755);
	mkdir(TMP_DIR, 0755);
	snprintf(path, sizeof(path), "%s/%s", TMP_DIR, name);
	return path;
}

/* Writes a PNG described by s to path with libpng; fails the test on error. */
static void write_png(const char *path, const png_spec *s)
{
	png_structp png;
	png_infop info;
	png_bytep *rows;
	size_t rowbytes;
	unsigned channels, y;
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	assert_non_null(png);
	info = png_create_info_struct(png);
	assert_non_null(info);
	rows = calloc(s->h, sizeof(*rows));
	assert_non_null(rows);
	if (setjmp(png_jmpbuf(png)))
		fail_msg("libpng could not write %s", path);
	switch (s->color) {
	case PNG_COLOR_TYPE_GRAY_ALPHA: channels = 2; break;
	case PNG_COLOR_TYPE_RGB: channels = 3; break;
	case PNG_COLOR_TYPE_RGB_ALPHA: channels = 4; break;
	default: channels = 1; break;
	}
	rowbytes = ((size_t)s->w * channels * (unsigned)s->depth + 7) / 8;
	for (y = 0; y < s->h; y++)
		rows[y] = (png_bytep)s->data + y * rowbytes;
	png_init_io(png, f);
	png_set_IHDR(png, info, s->w, s->h, s->depth, s->color, s->interlace,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (s->palette)
		png_set_PLTE(png, info, s->palette, s->npalette);
	if (s->trans || s->trans_color)
		png_set_tRNS(png, info, s->trans, s->trans ? s->ntrans : 1, s->trans_color);
	png_write_info(png, info);
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(rows);
	assert_int_equal(fclose(f), 0);
}

/* Writes len bytes to path. */
static void write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Reads a whole file (malloc'd) into *data, length into *len. */
static void read_bytes(const char *path, unsigned char **data, size_t *len)
{
	hd_diags d = HD_DIAGS_INIT;
	char *p = NULL;

	assert_int_equal(hd_read_file(&p, len, path, 1u << 24, &d), HD_OK);
	hd_diags_free(&d);
	*data = (unsigned char *)p;
}

/* Loads path, expecting success with the given size and channels. */
static void load_ok(hd_image *img, const char *path, unsigned w, unsigned h, unsigned channels)
{
	hd_diags d = HD_DIAGS_INIT;
	int rc = hd_png_load(img, path, &d);

	if (rc != HD_OK) {
		hd_diags_print(&d, stdout);
		fail_msg("%s did not decode", path);
	}
	assert_int_equal(d.count, 0);
	assert_int_equal(img->width, w);
	assert_int_equal(img->height, h);
	assert_int_equal(img->channels, channels);
	assert_non_null(img->pixels);
	hd_diags_free(&d);
}

/* Returns pixel (x, y), channel c. */
static unsigned px(const hd_image *img, unsigned x, unsigned y, unsigned c)
{
	return img->pixels[((size_t)y * img->width + x) * img->channels + c];
}

/* Asserts that d holds exactly one error whose message contains want (and,
 * when hint is not NULL, whose hint contains hint); frees d. */
static void expect_diag(hd_diags *d, const char *want, const char *hint)
{
	assert_int_equal(d->nerrors, 1);
	assert_int_equal(d->count, 1);
	if (!strstr(d->items[0].message, want))
		fail_msg("message \"%s\" lacks \"%s\"", d->items[0].message, want);
	if (hint && !strstr(d->items[0].hint, hint))
		fail_msg("hint \"%s\" lacks \"%s\"", d->items[0].hint, hint);
	hd_diags_free(d);
}

/* Asserts that an image is all zero, as every failure must leave it. */
static void assert_zeroed(const hd_image *img)
{
	assert_null(img->pixels);
	assert_int_equal(img->width, 0);
	assert_int_equal(img->height, 0);
	assert_int_equal(img->channels, 0);
}

/* Loads path expecting failure rc with want in the message; checks the file
 * name is in the diagnostic and *out is zeroed. */
static void load_fails(const char *path, int want_rc, const char *want, const char *hint)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_image img;
	int rc;

	memset(&img, 0xA5, sizeof(img));
	rc = hd_png_load(&img, path, &d);
	assert_int_equal(rc, want_rc);
	assert_zeroed(&img);
	assert_string_equal(d.items[0].file, path);
	expect_diag(&d, want, hint);
}

/* Decodes bytes from memory expecting HD_EINPUT with want in the message
 * (want NULL: any message). */
static void decode_fails(const unsigned char *data, size_t len, const char *want)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_image img;
	int rc;

	memset(&img, 0xA5, sizeof(img));
	rc = hd_png_decode(&img, data, len, "mem.png", &d);
	if (rc != HD_EINPUT) {
		hd_image_free(&img);
		fail_msg("decoding %zu bytes returned %d, expected HD_EINPUT", len, rc);
	}
	assert_zeroed(&img);
	expect_diag(&d, want ? want : "the logo is not", NULL);
}

/* Appends one chunk (length, type, data, CRC) to buf at *pos. */
static void put_chunk(unsigned char *buf, size_t *pos, const char *type,
                      const unsigned char *data, uint32_t len)
{
	unsigned char *p = buf + *pos;
	uLong crc;

	p[0] = (unsigned char)(len >> 24);
	p[1] = (unsigned char)(len >> 16);
	p[2] = (unsigned char)(len >> 8);
	p[3] = (unsigned char)len;
	memcpy(p + 4, type, 4);
	if (len)
		memcpy(p + 8, data, len);
	crc = crc32(0, p + 4, 4 + len);
	p[8 + len] = (unsigned char)(crc >> 24);
	p[9 + len] = (unsigned char)(crc >> 16);
	p[10 + len] = (unsigned char)(crc >> 8);
	p[11 + len] = (unsigned char)crc;
	*pos += 12 + len;
}

/* Builds signature + IHDR(w, h, depth, color) + IEND into buf; returns the
 * length. */
static size_t craft_header_only(unsigned char *buf, uint32_t w, uint32_t h, int depth, int color)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	unsigned char ihdr[13] = { 0 };
	size_t pos = 8;

	memcpy(buf, sig, 8);
	ihdr[0] = (unsigned char)(w >> 24);
	ihdr[1] = (unsigned char)(w >> 16);
	ihdr[2] = (unsigned char)(w >> 8);
	ihdr[3] = (unsigned char)w;
	ihdr[4] = (unsigned char)(h >> 24);
	ihdr[5] = (unsigned char)(h >> 16);
	ihdr[6] = (unsigned char)(h >> 8);
	ihdr[7] = (unsigned char)h;
	ihdr[8] = (unsigned char)depth;
	ihdr[9] = (unsigned char)color;
	put_chunk(buf, &pos, "IHDR", ihdr, 13);
	put_chunk(buf, &pos, "IEND", NULL, 0);
	return pos;
}

/* Offset of the first chunk of type in a PNG (its length field), or 0. */
static size_t find_chunk(const unsigned char *data, size_t len, const char *type)
{
	size_t pos = 8;

	while (pos + 12 <= len) {
		uint32_t n = ((uint32_t)data[pos] << 24) | ((uint32_t)data[pos + 1] << 16) |
		             ((uint32_t)data[pos + 2] << 8) | data[pos + 3];
		if (memcmp(data + pos + 4, type, 4) == 0)
			return pos;
		pos += 12 + (size_t)n;
	}
	return 0;
}

/* Writes a 24x24 RGB PNG of pseudo-random noise (so that IDAT is large and
 * spans many zlib blocks) and returns its bytes (malloc'd). */
static unsigned char *noise_png(size_t *len)
{
	static unsigned char data[24 * 24 * 3];
	uint32_t seed = 12345;
	png_spec s = { 24, 24, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, data,
	               NULL, 0, NULL, 0, NULL };
	unsigned char *bytes;
	size_t i;

	for (i = 0; i < sizeof(data); i++) {
		seed = seed * 1103515245u + 12345u;
		data[i] = (unsigned char)(seed >> 16);
	}
	write_png(tmp_path("noise.png"), &s);
	read_bytes(tmp_path("noise.png"), &bytes, len);
	return bytes;
}

/* ----- formats --------------------------------------------------------------- */

static void test_gray_1_2_4_bit(void **state)
{
	/* 1 bit: 1010 0000 11.. -> 255 0 255 0 0 0 0 0 255 255 */
	static const unsigned char g1[] = { 0xA0, 0xC0, 0x00, 0x00 };
	/* 2 bits: 0 1 2 3 -> 0 85 170 255; 4 bits: 0 5 10 15 -> same */
	static const unsigned char g2[] = { 0x1B };
	static const unsigned char g4[] = { 0x05, 0xAF };
	static const unsigned char want1[] = { 255, 0, 255, 0, 0, 0, 0, 0, 255, 255 };
	png_spec s1 = { 10, 2, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, g1,
	                NULL, 0, NULL, 0, NULL };
	png_spec s2 = { 4, 1, 2, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, g2,
	                NULL, 0, NULL, 0, NULL };
	png_spec s4 = { 4, 1, 4, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, g4,
	                NULL, 0, NULL, 0, NULL };
	hd_image img;
	unsigned x;

	(void)state;
	write_png(tmp_path("gray1.png"), &s1);
	load_ok(&img, tmp_path("gray1.png"), 10, 2, 1);
	assert_memory_equal(img.pixels, want1, 10);
	for (x = 0; x < 10; x++)
		assert_int_equal(px(&img, x, 1, 0), 0);
	hd_image_free(&img);
	assert_zeroed(&img);

	write_png(tmp_path("gray2.png"), &s2);
	load_ok(&img, tmp_path("gray2.png"), 4, 1, 1);
	assert_int_equal(px(&img, 0, 0, 0), 0);
	assert_int_equal(px(&img, 1, 0, 0), 85);
	assert_int_equal(px(&img, 2, 0, 0), 170);
	assert_int_equal(px(&img, 3, 0, 0), 255);
	hd_image_free(&img);

	write_png(tmp_path("gray4.png"), &s4);
	load_ok(&img, tmp_path("gray4.png"), 4, 1, 1);
	assert_int_equal(px(&img, 0, 0, 0), 0);
	assert_int_equal(px(&img, 1, 0, 0), 85);
	assert_int_equal(px(&img, 2, 0, 0), 170);
	assert_int_equal(px(&img, 3, 0, 0), 255);
	hd_image_free(&img);
}

static void test_gray_8_with_trns(void **state)
{
	static const unsigned char g[] = { 50, 100, 0 };
	png_color_16 key = { 0, 0, 0, 0, 50 }; /* gray 50 is transparent */
	png_spec s = { 3, 1, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, g,
	               NULL, 0, NULL, 0, &key };
	png_spec plain = { 3, 1, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, g,
	                   NULL, 0, NULL, 0, NULL };
	hd_image img;

	(void)state;
	write_png(tmp_path("gray8.png"), &plain);
	load_ok(&img, tmp_path("gray8.png"), 3, 1, 1);
	assert_memory_equal(img.pixels, g, 3);
	hd_image_free(&img);

	write_png(tmp_path("gray8trns.png"), &s);
	load_ok(&img, tmp_path("gray8trns.png"), 3, 1, 1);
	assert_int_equal(px(&img, 0, 0, 0), 255); /* the key colour: white paper */
	assert_int_equal(px(&img, 1, 0, 0), 100);
	assert_int_equal(px(&img, 2, 0, 0), 0);
	hd_image_free(&img);
}

static void test_16_bit_rounds(void **state)
{
	/* 0x12FF is 18.9 in 8 bits: scaling rounds to 19 (stripping gives 18);
	 * 0x8080 is exactly 128. */
	static const unsigned char g[] = { 0x00, 0x00, 0x80, 0x80, 0xFF, 0xFF, 0x12, 0xFF };
	static const unsigned char rgb[] = { 0xFF, 0xFF, 0x12, 0xFF, 0x00, 0x00 };
	/* RGBA 16: red at alpha 0x8080 (128) -> 255, 127, 127 */
	static const unsigned char rgba[] = { 0xFF, 0xFF, 0, 0, 0, 0, 0x80, 0x80 };
	png_spec sg = { 4, 1, 16, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, g,
	                NULL, 0, NULL, 0, NULL };
	png_spec srgb = { 1, 1, 16, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, rgb,
	                  NULL, 0, NULL, 0, NULL };
	png_spec srgba = { 1, 1, 16, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE, rgba,
	                   NULL, 0, NULL, 0, NULL };
	hd_image img;

	(void)state;
	write_png(tmp_path("gray16.png"), &sg);
	load_ok(&img, tmp_path("gray16.png"), 4, 1, 1);
	assert_int_equal(px(&img, 0, 0, 0), 0);
	assert_int_equal(px(&img, 1, 0, 0), 128);
	assert_int_equal(px(&img, 2, 0, 0), 255);
	assert_int_equal(px(&img, 3, 0, 0), 19);
	hd_image_free(&img);

	write_png(tmp_path("rgb16.png"), &srgb);
	load_ok(&img, tmp_path("rgb16.png"), 1, 1, 3);
	assert_int_equal(px(&img, 0, 0, 0), 255);
	assert_int_equal(px(&img, 0, 0, 1), 19);
	assert_int_equal(px(&img, 0, 0, 2), 0);
	hd_image_free(&img);

	write_png(tmp_path("rgba16.png"), &srgba);
	load_ok(&img, tmp_path("rgba16.png"), 1, 1, 3);
	assert_int_equal(px(&img, 0, 0, 0), 255);
	assert_int_equal(px(&img, 0, 0, 1), 127);
	assert_int_equal(px(&img, 0, 0, 2), 127);
	hd_image_free(&img);
}

static void test_rgb_8(void **state)
{
	static const unsigned char rgb[] = { 1, 2, 3, 250, 128, 0 };
	png_spec s = { 2, 1, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, rgb,
	               NULL, 0, NULL, 0, NULL };
	hd_image img;

	(void)state;
	write_png(tmp_path("rgb8.png"), &s);
	load_ok(&img, tmp_path("rgb8.png"), 2, 1, 3);
	assert_memory_equal(img.pixels, rgb, sizeof(rgb));
	hd_image_free(&img);
}

static void test_palette_with_trns(void **state)
{
	static const png_color pal[] = { { 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 },
	                                 { 10, 20, 30 } };
	/* red opaque, green invisible, blue half, the last entry has no alpha
	 * (opaque) */
	static const png_byte trans[] = { 255, 0, 128 };
	static const unsigned char idx2[] = { 0x1B }; /* 2 bits: 0 1 2 3 */
	static const unsigned char idx8[] = { 3, 0 };
	png_spec s = { 4, 1, 2, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE, idx2,
	               pal, 4, trans, 3, NULL };
	png_spec plain = { 2, 1, 8, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE, idx8,
	                   pal, 4, NULL, 0, NULL };
	static const unsigned char want[] = { 255, 0, 0, 255, 255, 255, 127, 127, 255,
	                                      10, 20, 30 };
	static const unsigned char want8[] = { 10, 20, 30, 255, 0, 0 };
	hd_image img;

	(void)state;
	write_png(tmp_path("palette_trns.png"), &s);
	load_ok(&img, tmp_path("palette_trns.png"), 4, 1, 3);
	assert_memory_equal(img.pixels, want, sizeof(want));
	hd_image_free(&img);

	write_png(tmp_path("palette8.png"), &plain);
	load_ok(&img, tmp_path("palette8.png"), 2, 1, 3);
	assert_memory_equal(img.pixels, want8, sizeof(want8));
	hd_image_free(&img);
}

static void test_alpha_on_white(void **state)
{
	/* out = (c*a + 255*(255-a) + 127) / 255 */
	static const unsigned char rgba[] = { 10, 20, 30, 255,  200, 100, 50, 0,
	                                      0, 0, 0, 51,      255, 0, 100, 128 };
	static const unsigned char want_rgb[] = { 10, 20, 30,  255, 255, 255,
	                                          204, 204, 204,  255, 127, 177 };
	static const unsigned char ga[] = { 0, 0, 100, 255, 0, 128, 200, 64 };
	static const unsigned char want_g[] = { 255, 100, 127, 241 };
	png_spec s4 = { 4, 1, 8, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE, rgba,
	                NULL, 0, NULL, 0, NULL };
	png_spec s2 = { 4, 1, 8, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_INTERLACE_NONE, ga,
	                NULL, 0, NULL, 0, NULL };
	hd_image img;

	(void)state;
	write_png(tmp_path("rgba8.png"), &s4);
	load_ok(&img, tmp_path("rgba8.png"), 4, 1, 3);
	assert_memory_equal(img.pixels, want_rgb, sizeof(want_rgb));
	hd_image_free(&img);

	write_png(tmp_path("ga8.png"), &s2);
	load_ok(&img, tmp_path("ga8.png"), 4, 1, 1);
	assert_memory_equal(img.pixels, want_g, sizeof(want_g));
	hd_image_free(&img);
}

static void test_interlaced(void **state)
{
	/* Odd sizes so that the Adam7 passes are partly empty. */
	enum { W = 13, H = 11 };
	static unsigned char rgb[W * H * 3];
	static unsigned char g2[H * 4]; /* 2-bit gray: 13 pixels = 4 bytes a row */
	png_spec s = { W, H, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_ADAM7, rgb,
	               NULL, 0, NULL, 0, NULL };
	png_spec sg = { W, H, 2, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_ADAM7, g2,
	                NULL, 0, NULL, 0, NULL };
	hd_image img;
	unsigned x, y;

	(void)state;
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			rgb[(y * W + x) * 3 + 0] = (unsigned char)(x * 17);
			rgb[(y * W + x) * 3 + 1] = (unsigned char)(y * 19);
			rgb[(y * W + x) * 3 + 2] = (unsigned char)((x + y) * 7);
			g2[y * 4 + x / 4] |= (unsigned char)(((x + y) % 4) << (6 - 2 * (x % 4)));
		}
	write_png(tmp_path("adam7.png"), &s);
	load_ok(&img, tmp_path("adam7.png"), W, H, 3);
	assert_memory_equal(img.pixels, rgb, sizeof(rgb));
	hd_image_free(&img);

	write_png(tmp_path("adam7gray2.png"), &sg);
	load_ok(&img, tmp_path("adam7gray2.png"), W, H, 1);
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			assert_int_equal(px(&img, x, y, 0), ((x + y) % 4) * 85);
	hd_image_free(&img);
}

static void test_size_limit_boundary(void **state)
{
	/* HD_IMAGE_MAX_DIM a side is accepted; one more is refused. */
	static unsigned char row[HD_IMAGE_MAX_DIM / 8];
	png_spec ok = { HD_IMAGE_MAX_DIM, 1, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, row,
	                NULL, 0, NULL, 0, NULL };
	unsigned char buf[64];
	hd_image img;
	size_t n;

	(void)state;
	row[0] = 0x80;
	write_png(tmp_path("wide.png"), &ok);
	load_ok(&img, tmp_path("wide.png"), HD_IMAGE_MAX_DIM, 1, 1);
	assert_int_equal(px(&img, 0, 0, 0), 255);
	assert_int_equal(px(&img, 1, 0, 0), 0);
	hd_image_free(&img);

	n = craft_header_only(buf, HD_IMAGE_MAX_DIM + 1, 1, 8, PNG_COLOR_TYPE_GRAY);
	decode_fails(buf, n, "the logo is too large (4097 x 1 pixels; the limit is 4096 x 4096)");
}

static void test_clinic_logo(void **state)
{
	hd_image img;

	(void)state;
	load_ok(&img, HD_SOURCE_DIR "/xml/clinic/logo.png", 256, 256, 3);
	/* transparent corner -> white paper; the ring at the top -> brand blue */
	assert_int_equal(px(&img, 0, 0, 0), 255);
	assert_int_equal(px(&img, 0, 0, 1), 255);
	assert_int_equal(px(&img, 0, 0, 2), 255);
	assert_int_equal(px(&img, 128, 9, 0), 0x1F);
	assert_int_equal(px(&img, 128, 9, 1), 0x4E);
	assert_int_equal(px(&img, 128, 9, 2), 0x79);
	hd_image_free(&img);
}

/* ----- hostile files --------------------------------------------------------- */

static void test_truncated(void **state)
{
	unsigned char *png;
	size_t len, idat, cut;
	hd_image img;
	hd_diags d = HD_DIAGS_INIT;

	(void)state;
	png = noise_png(&len);
	idat = find_chunk(png, len, "IDAT");
	assert_true(idat > 0);

	/* the intact file decodes */
	assert_int_equal(hd_png_decode(&img, png, len, "mem.png", &d), HD_OK);
	assert_int_equal(img.width, 24);
	hd_image_free(&img);
	hd_diags_free(&d);

	write_bytes(tmp_path("cut_sig.png"), png, 8);
	load_fails(tmp_path("cut_sig.png"), HD_EINPUT,
	           "the logo is not a valid PNG image (the file ends too early; it is truncated)",
	           "export the logo again as PNG, or remove <logo> from the clinic file");
	write_bytes(tmp_path("cut_ihdr.png"), png, 20);
	load_fails(tmp_path("cut_ihdr.png"), HD_EINPUT, "truncated", NULL);
	write_bytes(tmp_path("cut_header.png"), png, idat); /* signature + IHDR only */
	load_fails(tmp_path("cut_header.png"), HD_EINPUT, "truncated", NULL);
	write_bytes(tmp_path("cut_idat.png"), png, idat + (len - idat) / 2);
	load_fails(tmp_path("cut_idat.png"), HD_EINPUT, "truncated", NULL);
	write_bytes(tmp_path("no_iend.png"), png, len - 12);
	load_fails(tmp_path("no_iend.png"), HD_EINPUT, "truncated", NULL);
	write_bytes(tmp_path("cut_iend_crc.png"), png, len - 2);
	load_fails(tmp_path("cut_iend_crc.png"), HD_EINPUT, "truncated", NULL);
	write_bytes(tmp_path("cut_sig4.png"), png, 4);
	load_fails(tmp_path("cut_sig4.png"), HD_EINPUT,
	           "the logo is not a PNG image (the file is truncated inside the PNG signature)",
	           NULL);

	/* every other cut, too */
	for (cut = 0; cut < len; cut++)
		decode_fails(png, cut, NULL);
	free(png);
}

static void test_crc_errors(void **state)
{
	unsigned char *png, *bad;
	size_t len, idat, idat_len, i, pos;
	static const unsigned char text[] = "Comment\0hello";

	(void)state;
	png = noise_png(&len);
	idat = find_chunk(png, len, "IDAT");

	/* a flipped bit in the image data: zlib's own check (adler32) fails
	 * before libpng reaches the CRC at the end of the chunk */
	png[idat + 8 + 100] ^= 0x01;
	write_bytes(tmp_path("bad_idat.png"), png, len);
	load_fails(tmp_path("bad_idat.png"), HD_EINPUT,
	           "the logo is not a valid PNG image (IDAT: ", NULL);
	png[idat + 8 + 100] ^= 0x01;

	/* a flipped bit in the CRC of the image data */
	idat_len = ((size_t)png[idat + 2] << 8) | png[idat + 3];
	png[idat + 8 + idat_len + 2] ^= 0x01;
	write_bytes(tmp_path("crc_idat.png"), png, len);
	load_fails(tmp_path("crc_idat.png"), HD_EINPUT,
	           "the logo is not a valid PNG image (IDAT: CRC error)", NULL);
	png[idat + 8 + idat_len + 2] ^= 0x01;

	/* in the header: width 24 becomes 25 */
	png[8 + 8 + 3] ^= 0x01;
	decode_fails(png, len, "the logo is not a valid PNG image (IHDR: CRC error)");
	png[8 + 8 + 3] ^= 0x01;

	/* in an ancillary chunk, which libpng would otherwise drop quietly */
	bad = malloc(len + 64);
	assert_non_null(bad);
	memcpy(bad, png, idat);
	pos = idat;
	put_chunk(bad, &pos, "tEXt", text, sizeof(text) - 1);
	bad[pos - 1] ^= 0x80;
	memcpy(bad + pos, png + idat, len - idat);
	decode_fails(bad, pos + len - idat, "tEXt: CRC error");
	/* and with the right CRC the same file is fine */
	bad[pos - 1] ^= 0x80;
	{
		hd_diags d = HD_DIAGS_INIT;
		hd_image img;
		assert_int_equal(hd_png_decode(&img, bad, pos + len - idat, "t.png", &d), HD_OK);
		hd_image_free(&img);
		hd_diags_free(&d);
	}
	free(bad);

	/* any single flipped bit after the signature is caught (lengths, types,
	 * data and CRCs are all covered by a CRC or by the structure) */
	for (i = 8; i < len; i++) {
		png[i] ^= 0x04;
		decode_fails(png, len, NULL);
		png[i] ^= 0x04;
	}
	free(png);
}

static void test_absurd_sizes(void **state)
{
	unsigned char buf[64];
	size_t n;

	(void)state;
	n = craft_header_only(buf, 100000, 100000, 8, PNG_COLOR_TYPE_RGB);
	write_bytes(tmp_path("huge.png"), buf, n);
	load_fails(tmp_path("huge.png"), HD_EINPUT,
	           "the logo is too large (100000 x 100000 pixels; the limit is 4096 x 4096)",
	           "export the logo smaller");
	n = craft_header_only(buf, 1, 5000, 8, PNG_COLOR_TYPE_RGB);
	decode_fails(buf, n, "the logo is too large (1 x 5000 pixels");
	/* PNG allows at most 2^31 - 1 */
	n = craft_header_only(buf, 0xFFFFFFFFu, 1, 8, PNG_COLOR_TYPE_RGB);
	decode_fails(buf, n, "too large");
	/* the same declared size with a damaged IHDR is a CRC error */
	n = craft_header_only(buf, 100000, 100000, 8, PNG_COLOR_TYPE_RGB);
	buf[8 + 8 + 13] ^= 0x01;
	decode_fails(buf, n, "the logo is not a valid PNG image (IHDR: CRC error)");

	n = craft_header_only(buf, 0, 0, 8, PNG_COLOR_TYPE_RGB);
	write_bytes(tmp_path("zero.png"), buf, n);
	load_fails(tmp_path("zero.png"), HD_EINPUT,
	           "the logo is not a valid PNG image (Image width is zero in IHDR)", NULL);
	n = craft_header_only(buf, 10, 0, 8, PNG_COLOR_TYPE_GRAY);
	decode_fails(buf, n, "Image height is zero in IHDR");

	/* a valid header, but no image data at all */
	n = craft_header_only(buf, 4, 4, 8, PNG_COLOR_TYPE_GRAY);
	decode_fails(buf, n, "the logo is not a valid PNG image");
	/* impossible combinations: RGB of 4 bits, colour type 5 */
	n = craft_header_only(buf, 4, 4, 4, PNG_COLOR_TYPE_RGB);
	decode_fails(buf, n, "the logo is not a valid PNG image");
	n = craft_header_only(buf, 4, 4, 8, 5);
	decode_fails(buf, n, "the logo is not a valid PNG image");
}

static void test_not_png(void **state)
{
	static const unsigned char jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F',
	                                      'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01 };
	static const char text[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n";
	static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00";
	const char *big = tmp_path("big.png");
	int fd;

	(void)state;
	write_bytes(tmp_path("photo.png"), jpeg, sizeof(jpeg));
	load_fails(tmp_path("photo.png"), HD_EINPUT,
	           "the logo is not a PNG image (it is a JPEG image)",
	           "export the logo again as PNG, or remove <logo> from the clinic file");
	write_bytes(tmp_path("text.png"), text, sizeof(text) - 1);
	load_fails(tmp_path("text.png"), HD_EINPUT,
	           "the logo is not a PNG image (it does not start with the PNG signature)", NULL);
	write_bytes(tmp_path("anim.png"), gif, sizeof(gif) - 1);
	load_fails(tmp_path("anim.png"), HD_EINPUT, "(it is a GIF image)", NULL);
	write_bytes(tmp_path("empty.png"), "", 0);
	load_fails(tmp_path("empty.png"), HD_EINPUT,
	           "the logo is not a PNG image (the file is empty)", NULL);

	/* a folder, a missing file, a file over the size limit (sparse) */
	load_fails(TMP_DIR, HD_EIO, "this is a folder, not a file", NULL);
	load_fails(tmp_path("missing.png"), HD_EIO, "cannot open file", NULL);
	fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)HD_IMAGE_MAX_FILE + 1), 0);
	close(fd);
	load_fails(big, HD_EINPUT, "the logo file is too large (8388609 bytes", NULL);
	unlink(big);
}

static void test_bad_arguments(void **state)
{
	hd_image img;
	hd_diags d = HD_DIAGS_INIT;

	(void)state;
	assert_int_equal(hd_png_decode(NULL, (const unsigned char *)"x", 1, "x", &d), HD_EINVAL);
	memset(&img, 0xA5, sizeof(img));
	assert_int_equal(hd_png_decode(&img, NULL, 5, "x", &d), HD_EINVAL);
	assert_zeroed(&img);
	assert_int_equal(hd_png_load(NULL, "x.png", &d), HD_EINVAL);
	memset(&img, 0xA5, sizeof(img));
	assert_int_equal(hd_png_load(&img, NULL, &d), HD_EINVAL);
	assert_zeroed(&img);
	assert_int_equal(d.count, 0);
	/* no diags list at all is fine */
	assert_int_equal(hd_png_decode(&img, NULL, 0, NULL, NULL), HD_EINPUT);
	hd_image_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gray_1_2_4_bit),
		cmocka_unit_test(test_gray_8_with_trns),
		cmocka_unit_test(test_16_bit_rounds),
		cmocka_unit_test(test_rgb_8),
		cmocka_unit_test(test_palette_with_trns),
		cmocka_unit_test(test_alpha_on_white),
		cmocka_unit_test(test_interlaced),
		cmocka_unit_test(test_size_limit_boundary),
		cmocka_unit_test(test_clinic_logo),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_crc_errors),
		cmocka_unit_test(test_absurd_sizes),
		cmocka_unit_test(test_not_png),
		cmocka_unit_test(test_bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
