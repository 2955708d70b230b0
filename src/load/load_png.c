/*
 * image: the clinic's logo, decoded with libpng before libharu ever sees it.
 *
 * libharu 2.3.0 aborts the process on a truncated or corrupt PNG, so every
 * byte of the file is checked here: libpng reads from memory through our own
 * read function, its errors are recorded and long-jump back to us, CRC errors
 * in any chunk are fatal, and the declared size is bounded before anything is
 * allocated. Whatever the format (palette, gray of 1 to 16 bits, tRNS, alpha,
 * interlaced), the result is 8-bit gray or RGB with alpha composited on white,
 * which is what the page is printed on.
 */
#include "load_png.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define HD_LOGO_HINT "export the logo again as PNG, or remove <logo> from the clinic file"
#define HD_LOGO_SIZE_HINT "export the logo smaller (600 pixels a side is plenty for print), " \
	"or remove <logo> from the clinic file"

/* A logo needs no ancillary chunks: keep libpng from storing many (text,
 * sPLT, unknown) or big ones (a decompressed iCCP or zTXt). */
#define HD_PNG_CHUNK_CACHE_MAX 64u
#define HD_PNG_CHUNK_MALLOC_MAX (1u << 20) /* bytes */

/* Everything that must survive a longjmp out of libpng lives here, in the
 * caller's frame, never in locals of the function that calls setjmp. */
typedef struct png_reader {
	const unsigned char *data;
	size_t len;
	size_t pos;
	char error[200];   /* libpng's reason, or ours, for the failure */
	char warning[200]; /* the first warning: it explains "Invalid IHDR data" */
	unsigned char *buf; /* decoded pixels, 8 bits, channels per pixel (malloc) */
	png_bytep *rows;    /* row pointers into buf (malloc) */
	unsigned width;
	unsigned height;
	unsigned channels;  /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
} png_reader;

/* libpng error callback: records the message and jumps back to the setjmp in
 * png_read_pixels. Never returns. */
static void png_on_error(png_structp png, png_const_charp msg)
{
	png_reader *r = png_get_error_ptr(png);

	snprintf(r->error, sizeof(r->error), "%s", msg ? msg : "unknown error");
	png_longjmp(png, 1);
}

/* libpng warning callback: keeps the first warning, which is the detail
 * behind some errors (libpng warns "Image width is zero in IHDR" and then
 * fails with "Invalid IHDR data"). */
static void png_on_warning(png_structp png, png_const_charp msg)
{
	png_reader *r = png_get_error_ptr(png);

	if (!r->warning[0] && msg)
		snprintf(r->warning, sizeof(r->warning), "%s", msg);
}

/* libpng read callback: copies n bytes from memory. Running out of data is an
 * error (libpng would otherwise read garbage); png_error does not return. */
static void png_on_read(png_structp png, png_bytep out, size_t n)
{
	png_reader *r = png_get_io_ptr(png);

	if (n > r->len - r->pos)
		png_error(png, "the file ends too early; it is truncated");
	memcpy(out, r->data + r->pos, n);
	r->pos += n;
}

/* Reads a big-endian 32-bit number. */
static unsigned long read_be32(const unsigned char *p)
{
	return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) |
	       ((unsigned long)p[2] << 8) | (unsigned long)p[3];
}

/* Checks the 8-byte PNG signature and, when an intact IHDR chunk (right
 * length and CRC) is where it must be, the declared size, so that an absurd
 * size gets its own clear message; libpng's user limits would reject it too,
 * but only as "Invalid IHDR data". A damaged IHDR is left to libpng, which
 * reports the CRC error. Returns HD_OK or HD_EINPUT with a diagnostic for
 * name. */
static int check_header(const unsigned char *data, size_t len, const char *name, hd_diags *d)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	const char *what = "it does not start with the PNG signature";
	unsigned long w, h;

	if (len >= sizeof(sig) && memcmp(data, sig, sizeof(sig)) == 0) {
		if (len < 33 || read_be32(data + 8) != 13 || memcmp(data + 12, "IHDR", 4) != 0 ||
		    crc32(0, data + 12, 17) != read_be32(data + 29))
			return HD_OK; /* libpng explains what is wrong */
		w = read_be32(data + 16);
		h = read_be32(data + 20);
		if (w <= HD_IMAGE_MAX_DIM && h <= HD_IMAGE_MAX_DIM)
			return HD_OK;
		hd_error_at(d, name, 0, 0, HD_LOGO_SIZE_HINT,
		            "the logo is too large (%lu x %lu pixels; the limit is %u x %u)",
		            w, h, HD_IMAGE_MAX_DIM, HD_IMAGE_MAX_DIM);
		return HD_EINPUT;
	}
	if (len == 0)
		what = "the file is empty";
	else if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
		what = "it is a JPEG image";
	else if (len >= 4 && memcmp(data, "GIF8", 4) == 0)
		what = "it is a GIF image";
	else if (len >= 4 && memcmp(data, "%PDF", 4) == 0)
		what = "it is a PDF document";
	else if (len >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0)
		what = "it is a WebP image";
	else if (len < sizeof(sig) && memcmp(data, sig, len) == 0)
		what = "the file is truncated inside the PNG signature";
	hd_error_at(d, name, 0, 0, HD_LOGO_HINT, "the logo is not a PNG image (%s)", what);
	return HD_EINPUT;
}

/* Runs libpng over r->data (whose signature is already checked) and leaves
 * 8-bit gray, gray+alpha, RGB or RGBA pixels in r->buf. Returns HD_OK,
 * HD_EINPUT with the reason in r->error, or HD_ENOMEM. Whatever it allocated
 * stays in *r for the caller to free, also after a longjmp: this function
 * keeps nothing that matters in its own locals. */
static int png_read_pixels(png_reader *r, png_structp png, png_infop info)
{
	png_uint_32 w, h;
	int depth, color, interlace;
	size_t rowbytes, y;

	if (setjmp(png_jmpbuf(png)))
		return HD_EINPUT;

	png_set_read_fn(png, r, png_on_read);
	png_set_sig_bytes(png, 8);
	r->pos = 8;
	png_set_user_limits(png, HD_IMAGE_MAX_DIM, HD_IMAGE_MAX_DIM);
	png_set_chunk_cache_max(png, HD_PNG_CHUNK_CACHE_MAX);
	png_set_chunk_malloc_max(png, HD_PNG_CHUNK_MALLOC_MAX);
	/* By default a CRC error in an ancillary chunk only drops the chunk: a
	 * damaged file is damaged, say so. */
	png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);

	png_read_info(png, info);
	png_get_IHDR(png, info, &w, &h, &depth, &color, &interlace, NULL, NULL);

	/* palette -> RGB, gray of 1, 2 or 4 bits -> 8 bits, tRNS -> alpha */
	if (color == PNG_COLOR_TYPE_PALETTE || (color == PNG_COLOR_TYPE_GRAY && depth < 8) ||
	    png_get_valid(png, info, PNG_INFO_tRNS))
		png_set_expand(png);
	if (depth == 16)
		png_set_scale_16(png); /* rounds, unlike png_set_strip_16 */
	png_set_interlace_handling(png);
	png_read_update_info(png, info);

	r->channels = png_get_channels(png, info);
	rowbytes = png_get_rowbytes(png, info);
	if (png_get_bit_depth(png, info) != 8 || r->channels < 1 || r->channels > 4 ||
	    w == 0 || h == 0 || rowbytes != (size_t)w * r->channels)
		png_error(png, "unsupported pixel format");
	r->width = w;
	r->height = h;

	/* w and h are at most HD_IMAGE_MAX_DIM (user limits), so no overflow. */
	r->buf = malloc(rowbytes * h);
	r->rows = malloc(sizeof(*r->rows) * h);
	if (!r->buf || !r->rows) {
		snprintf(r->error, sizeof(r->error), "out of memory");
		return HD_ENOMEM;
	}
	for (y = 0; y < h; y++)
		r->rows[y] = r->buf + y * rowbytes;
	png_read_image(png, r->rows);
	/* Reads up to IEND: a file cut after the image data, or a bad CRC in a
	 * later chunk, is an error too. */
	png_read_end(png, NULL);
	return HD_OK;
}

/* Composites gray+alpha or RGBA pixels (channels 2 or 4) on white, in place,
 * leaving gray or RGB. Rounds to nearest: c*a/255 + 255*(255-a)/255. */
static void flatten_on_white(unsigned char *px, size_t npix, unsigned channels)
{
	unsigned colors = channels - 1;
	size_t i;
	unsigned c;

	for (i = 0; i < npix; i++) {
		/* The destination never runs ahead of the source: i*colors+c <=
		 * i*channels+c, and alpha is read before anything is written. */
		const unsigned char *s = px + i * channels;
		unsigned a = s[colors];
		for (c = 0; c < colors; c++)
			px[i * colors + c] =
				(unsigned char)((s[c] * a + 255u * (255u - a) + 127u) / 255u);
	}
}

/* After a successful decode (every chunk's CRC checked by libpng): keeps the
 * IDAT stream and the palette of an 8-bit, non-interlaced palette PNG, so the
 * renderer can embed the file's own compressed rows instead of compressing
 * the pixels again. Returns HD_OK (also when the PNG is of another kind) or
 * HD_ENOMEM. */
static int keep_palette_stream(hd_image *out, const unsigned char *data, size_t len)
{
	const unsigned char *trns = NULL;
	size_t pos = 8, ntrns = 0, total = 0, i;
	unsigned char *idat;

	if (len < 8 + 25 || data[8 + 16] != 8 || data[8 + 17] != 3 || data[8 + 20] != 0)
		return HD_OK; /* IHDR: bit depth 8, colour type 3 (palette), no interlace */
	/* First pass: the palette, tRNS, and the size of the IDAT data. */
	while (pos + 12 <= len) {
		size_t n = read_be32(data + pos);
		const unsigned char *type = data + pos + 4, *body = data + pos + 8;
		if (n > len - pos - 12)
			return HD_OK;
		if (!memcmp(type, "PLTE", 4) && n % 3 == 0 && n <= 768) {
			memcpy(out->palette, body, n);
			out->npalette = (unsigned)(n / 3);
		} else if (!memcmp(type, "tRNS", 4)) {
			trns = body;
			ntrns = n;
		} else if (!memcmp(type, "IDAT", 4)) {
			total += n;
		}
		pos += n + 12;
	}
	if (!out->npalette || !total)
		return HD_OK;
	idat = malloc(total);
	if (!idat)
		return HD_ENOMEM;
	for (pos = 8, total = 0; pos + 12 <= len; pos += read_be32(data + pos) + 12) {
		size_t n = read_be32(data + pos);
		if (!memcmp(data + pos + 4, "IDAT", 4)) {
			memcpy(idat + total, data + pos + 8, n);
			total += n;
		}
	}
	/* The page is white: each colour over white by its alpha. */
	for (i = 0; i < out->npalette && i < ntrns; i++) {
		unsigned a = trns[i], k;
		for (k = 0; k < 3; k++) {
			unsigned c = out->palette[i * 3 + k];
			out->palette[i * 3 + k] = (unsigned char)((c * a + 255u * (255u - a) + 127u) / 255u);
		}
	}
	out->idat = idat;
	out->idat_len = total;
	return HD_OK;
}

int hd_png_decode(hd_image *out, const unsigned char *data, size_t len, const char *name,
                  hd_diags *d)
{
	png_reader r;
	png_structp png = NULL;
	png_infop info = NULL;
	const char *reason;
	unsigned char *px;
	int rc;

	if (!out)
		return HD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!data && len)
		return HD_EINVAL;
	if (!name)
		name = "logo";
	memset(&r, 0, sizeof(r));
	r.data = data;
	r.len = len;

	rc = check_header(data, len, name, d);
	if (rc)
		goto cleanup;

	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r, png_on_error, png_on_warning);
	if (png)
		info = png_create_info_struct(png);
	if (!png || !info) {
		hd_error_at(d, name, 0, 0, NULL, "out of memory while reading the logo");
		rc = HD_ENOMEM;
		goto cleanup;
	}
	rc = png_read_pixels(&r, png, info);
	if (rc == HD_EINPUT && strcmp(r.error, "Out of memory") == 0)
		rc = HD_ENOMEM;
	if (rc == HD_ENOMEM) {
		hd_error_at(d, name, 0, 0, NULL, "out of memory while reading the logo");
		goto cleanup;
	}
	if (rc) {
		reason = r.error;
		if (r.warning[0] && strncmp(r.error, "Invalid IHDR", 12) == 0)
			reason = r.warning;
		hd_error_at(d, name, 0, 0, HD_LOGO_HINT,
		            "the logo is not a valid PNG image (%s)", reason);
		goto cleanup;
	}

	if (r.channels == 2 || r.channels == 4) {
		flatten_on_white(r.buf, (size_t)r.width * r.height, r.channels);
		r.channels--;
		/* Give back the alpha bytes; keeping the bigger block is fine too. */
		px = realloc(r.buf, (size_t)r.width * r.height * r.channels);
		if (px)
			r.buf = px;
	}
	out->width = r.width;
	out->height = r.height;
	out->channels = r.channels;
	out->pixels = r.buf;
	r.buf = NULL;
	rc = keep_palette_stream(out, data, len);
	if (rc) {
		hd_image_free(out);
		hd_error_at(d, name, 0, 0, NULL, "out of memory while reading the logo");
	}

cleanup:
	png_destroy_read_struct(&png, &info, NULL);
	free(r.rows);
	free(r.buf);
	return rc;
}

int hd_png_load(hd_image *out, const char *path, hd_diags *d)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (!out)
		return HD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!path)
		return HD_EINVAL;
	/* A logo-specific message for a huge file; hd_read_file enforces the
	 * limit again on the file it actually opens. */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > HD_IMAGE_MAX_FILE) {
		hd_error_at(d, path, 0, 0, HD_LOGO_SIZE_HINT,
		            "the logo file is too large (%lld bytes; the limit is %u bytes)",
		            (long long)st.st_size, HD_IMAGE_MAX_FILE);
		rc = HD_EINPUT;
		goto cleanup;
	}
	rc = hd_read_file(&data, &len, path, HD_IMAGE_MAX_FILE, d);
	if (rc)
		goto cleanup;
	rc = hd_png_decode(out, (const unsigned char *)data, len, path, d);

cleanup:
	free(data);
	return rc;
}
