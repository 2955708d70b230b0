/*
 * hyphenate: where a word may be broken at the end of a justified line.
 *
 * Layout knows the rules; a dictionary behind one function knows the
 * language (the engine wraps libhyphen in it, tests use a fake). So layout
 * links no hyphenation library and its tests need no dictionary.
 *
 * The rules, applied to one word item (text between breakable spaces, in
 * one face):
 *  - a word with a digit (numbers, dates, times, "3–5", ids), or that looks
 *    like a URL, an e-mail address or code (@ / \ _ = # < > { } [ ] | ~ ^ `
 *    * + $ %, "www.", a dot or colon followed by a letter) is never broken;
 *  - a word containing one of the protected words (the client's and the
 *    therapist's names, given by merge) is never broken;
 *  - a run of letters is looked up in the dictionary only when it has at
 *    least HD_HYPH_MIN_LETTERS (6) letters and is not all capitals (an
 *    acronym); a break leaves at least 2 letters before it and 3 after;
 *  - a word may also break right after its own hyphen ("self-|care"), when
 *    it has at least 6 letters, 2 or more of them before the hyphen and 3
 *    or more after it: such a line ends with the word's hyphen, no second
 *    one is added.
 * Soft hyphens (U+00AD) written in the content are not handled here: they
 * are flow items of their own (inline.h).
 */
#ifndef HD_HYPHENATE_H
#define HD_HYPHENATE_H

#include <stddef.h>

#define HD_HYPH_MIN_LETTERS 6 /* shorter words are never broken */
#define HD_HYPH_MAX_LETTERS 64 /* longer runs of letters are not looked up */
#define HD_HYPH_LEFT 2        /* letters at least before a break */
#define HD_HYPH_RIGHT 3       /* letters at least after a break */

/* A language's hyphenation patterns behind one function. points(ctx, word,
 * len, nchars, brk): word is len bytes of lower-case UTF-8 letters, nchars
 * characters (at most HD_HYPH_MAX_LETTERS); sets brk[k] to 1 when the word
 * may break after its character k (0-based), else 0, for every k <
 * nchars. Returns 0, or -1 when it cannot tell (then no point is used).
 * Called from any thread: it must only read shared state. */
typedef struct hd_hyph_dict {
	const void *ctx;
	int (*points)(const void *ctx, const char *word, size_t len, size_t nchars,
	              unsigned char *brk);
} hd_hyph_dict;

/* What layout hyphenates with: the document language's dictionary (NULL
 * when there is none: only words' own hyphens then break) and the words
 * never to break. */
typedef struct hd_hyphenator {
	const hd_hyph_dict *dict;
	const char *const *keep;   /* NUL-terminated words, compared exactly */
	size_t nkeep;
} hd_hyphenator;

/* How a line ends at a break inside a word. */
enum hd_hyph_kind {
	HD_HY_NONE = 0,
	HD_HY_SOFT = 1, /* a break the layout makes (dictionary, U+00AD): a hyphen is drawn */
	HD_HY_HARD = 2  /* right after the word's own hyphen: nothing is added */
};

typedef struct hd_hyph_point {
	size_t off;                /* bytes from the word's start: the line ends here */
	enum hd_hyph_kind kind;
} hd_hyph_point;

/* The places where the word text (len bytes of UTF-8) may break, by the
 * rules above, in increasing order: at most max of them into out. Returns
 * how many. Pure: the same word and hyphenator give the same points. */
size_t hd_hyph_points(const hd_hyphenator *h, const char *text, size_t len, hd_hyph_point *out,
                      size_t max);

#endif
