/*
 * hyph: an engine's hyphenation dictionaries, the only code that calls
 * libhyphen. For each language of the content library the engine finds the
 * dictionary in the dictionary folder (Debian installs them in
 * /usr/share/hyphen: hyphen-en-us, hyphen-es...); its patterns are read the
 * first time layout needs a break point in that language, once per engine,
 * and then every document and thread shares them read-only through layout's
 * dictionary interface (layout/hyphenate.h).
 *
 * A language without a dictionary is not an error: its justified text is
 * set without dictionary breaks (words still break after their own hyphen,
 * and at soft hyphens), and hd_hyph_report says so once per set and
 * language.
 */
#ifndef HD_HYPH_H
#define HD_HYPH_H

#include <stddef.h>

#include "hyphenate.h"
#include "util.h"

#define HD_HYPH_DIR "/usr/share/hyphen"

typedef struct hd_hyph_set hd_hyph_set;

/* Finds the dictionary of each of langs in dir (NULL: HD_HYPH_DIR):
 * hyph_LL.dic, else hyph_LL_LL.dic (upper case), else the first
 * hyph_LL_*.dic by name. Nothing is read yet. A missing folder or file is
 * not an error (hd_hyph_report tells). Returns HD_OK or HD_ENOMEM; on
 * success *out is the caller's (hd_hyph_free). */
int hd_hyph_open(hd_hyph_set **out, const char *dir, const char *const *langs, size_t nlangs);

/* The dictionary of lang for layout, or NULL when no file was found. Its
 * patterns are read on its first use (thread-safe); if they cannot be
 * read, it gives no break points. The pointer lives as long as the set. */
const hd_hyph_dict *hd_hyph_get(hd_hyph_set *s, const char *lang);

/* After a document in lang was laid out: a warning in d, the first time
 * for this set and language, when lang has no dictionary file or its file
 * could not be read (naming the folder or file and the Debian package to
 * install). Thread-safe. */
void hd_hyph_report(hd_hyph_set *s, const char *lang, hd_diags *d);

/* Frees the set. Accepts NULL. */
void hd_hyph_free(hd_hyph_set *s);

#endif
