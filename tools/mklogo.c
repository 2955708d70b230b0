/*
 * mklogo: draws the emblem of the fictional clinic "Riverside Massage &
 * Wellness" (xml/clinic/logo.png): a leaf over two river waves inside a ring,
 * in brand blue #1F4E79 on a transparent background, 256 x 256.
 *
 * Deterministic: the shapes are exact formulas, anti-aliased by sampling 8 x 8
 * points per pixel. Every pixel has the same colour and only its coverage
 * varies, so the file is a palette of that colour at 65 opacities (tRNS): a
 * quarter of the size of the same image as RGBA. No time or text chunks. Not part of the CMake
 * build:
 *   gcc -O2 -Wall -o mklogo tools/mklogo.c -lpng -lm && ./mklogo xml/clinic/logo.png
 */
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

#define SIZE 256
#define SUB 8 /* samples per pixel along each axis */

static const unsigned char brand[3] = { 0x1F, 0x4E, 0x79 };

/* Returns nonzero when (x, y), in pixels with y down, lies inside the ring. */
static int in_ring(double x, double y)
{
	double r = hypot(x - 128.0, y - 128.0);
	return r >= 115.0 && r <= 123.0;
}

/* Returns nonzero when (x, y) lies on the leaf: a blade pointing up and to the
 * right, wider near its base, with its midrib left transparent, and a short
 * stem. */
static int in_leaf(double x, double y)
{
	const double cx = 130.0, cy = 98.0, half = 70.0;
	const double c = cos(M_PI / 4.0), s = sin(M_PI / 4.0);
	/* u runs along the leaf from base (-half) to tip (+half), v across. */
	double u = (x - cx) * c - (y - cy) * s;
	double v = (x - cx) * s + (y - cy) * c;
	double t = (u + half) / (2.0 * half);
	double hw;

	/* stem, slightly bent, running into the blade so that they join */
	if (t > -0.09 && t < 0.12 && fabs(v + (t < 0.0 ? 60.0 * t * t : 0.0)) < 3.2)
		return 1;
	if (t < 0.0 || t > 1.0)
		return 0;
	hw = 38.0 * pow(sin(M_PI * t), 0.85) * (1.12 - 0.35 * t);
	if (fabs(v) > hw)
		return 0;
	/* midrib: a transparent line that thins towards the tip */
	if (t > 0.1 && t < 0.82 && fabs(v) < 2.4 * (1.0 - 0.6 * t))
		return 0;
	return 1;
}

/* Returns nonzero when (x, y) lies on one of the two waves, clipped to a
 * circle inside the ring. Thickness is measured across the curve. */
static int in_waves(double x, double y)
{
	static const double base[2] = { 176.0, 201.0 };
	int i;

	if (hypot(x - 128.0, y - 128.0) > 104.0)
		return 0;
	for (i = 0; i < 2; i++) {
		double k = 2.0 * M_PI / 72.0;
		double f = base[i] + 6.5 * sin(k * x + i * 1.1);
		double df = 6.5 * k * cos(k * x + i * 1.1);
		if (fabs(y - f) / sqrt(1.0 + df * df) < 5.0)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static unsigned char img[SIZE][SIZE];
	png_color palette[SUB * SUB + 1];
	png_byte alpha[SUB * SUB + 1];
	png_bytep rows[SIZE];
	png_structp png;
	png_infop info;
	FILE *f;
	int x, y, sx, sy;

	if (argc != 2) {
		fprintf(stderr, "usage: %s out.png\n", argv[0]);
		return 2;
	}
	for (y = 0; y < SIZE; y++) {
		for (x = 0; x < SIZE; x++) {
			int hits = 0;
			for (sy = 0; sy < SUB; sy++)
				for (sx = 0; sx < SUB; sx++) {
					double px = x + (sx + 0.5) / SUB, py = y + (sy + 0.5) / SUB;
					hits += in_ring(px, py) || in_leaf(px, py) || in_waves(px, py);
				}
			img[y][x] = (unsigned char)hits; /* palette index = coverage */
		}
		rows[y] = img[y];
	}
	for (x = 0; x <= SUB * SUB; x++) {
		palette[x].red = brand[0];
		palette[x].green = brand[1];
		palette[x].blue = brand[2];
		alpha[x] = (png_byte)((x * 255 + SUB * SUB / 2) / (SUB * SUB));
	}

	f = fopen(argv[1], "wb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!info || setjmp(png_jmpbuf(png))) {
		fprintf(stderr, "%s: cannot write PNG\n", argv[1]);
		fclose(f);
		return 1;
	}
	png_init_io(png, f);
	png_set_compression_level(png, 9);
	png_set_IHDR(png, info, SIZE, SIZE, 8, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_PLTE(png, info, palette, SUB * SUB + 1);
	png_set_tRNS(png, info, alpha, SUB * SUB + 1, NULL);
	png_write_info(png, info);
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	if (fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
