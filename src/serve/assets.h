/*
 * assets: the desk's files (src/serve/web/: the page, its styles, its
 * script, its words), embedded in the program at build time by
 * cmake/embed.cmake.
 */
#ifndef HD_SERVE_ASSETS_H
#define HD_SERVE_ASSETS_H

#include <stddef.h>

typedef struct hd_asset {
	const char *name;           /* the file's name in src/serve/web/ */
	const unsigned char *data;  /* its bytes, followed by a NUL */
	size_t len;
} hd_asset;

/* Every file, ended by an entry whose name is NULL. */
extern const hd_asset hd_serve_assets[];

#endif
