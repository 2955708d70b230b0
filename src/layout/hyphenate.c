/*
 * hyphenate: the rules of where a word may break (see hyphenate.h); the
 * language's patterns come from the dictionary function.
 */
#include "hyphenate.h"

#include <stdint.h>
#include <string.h>

#include "util.h"

/* Letters: Latin with its accented forms, Greek, Cyrillic (what DejaVu Sans
 * prints and the content may use). Combining marks are not letters. */
static int is_letter(uint32_t cp)
{
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	if (cp >= 0xC0 && cp <= 0x24F)
		return cp != 0xD7 && cp != 0xF7;
	if (cp >= 0x370 && cp <= 0x3FF)
		return cp != 0x37E && cp != 0x387 && cp != 0x375;
	return (cp >= 0x400 && cp <= 0x52F) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

/* Lower case for the scripts is_letter knows; other letters unchanged (a
 * pattern then simply does not match them). */
static uint32_t to_lower(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if (cp >= 0x100 && cp <= 0x17F) {
		/* Latin Extended-A: pairs, upper case first, with two shifts */
		if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
			return cp & 1 ? cp + 1 : cp;
		if (cp == 0x130 || cp == 0x138 || cp == 0x149 || cp == 0x178 || cp == 0x17F)
			return cp == 0x178 ? 0xFF : cp;
		return cp & 1 ? cp : cp + 1;
	}
	if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	return cp;
}

static int is_upper(uint32_t cp)
{
	return to_lower(cp) != cp;
}

/* 1 when the word is a number, a date, a URL, an e-mail address or code:
 * it has a digit or a character of code, or a dot or colon followed by a
 * letter ("example.org", "www.", "mailto:"). */
static int code_like(const char *t, size_t len)
{
	static const char code[] = "@/\\_=#<>{}[]|~^`*+$%";
	size_t i;

	for (i = 0; i < len; i++) {
		char c = t[i];
		if ((c >= '0' && c <= '9') || (c && memchr(code, c, sizeof(code) - 1)))
			return 1;
		if ((c == '.' || c == ':') && i + 1 < len) {
			uint32_t cp;
			if (hd_utf8_decode(t + i + 1, len - i - 1, &cp) && is_letter(cp))
				return 1;
		}
	}
	return 0;
}

/* The next run of letters of t from *i: its start and end (bytes) and its
 * number of letters; 0 when there is none. */
static int next_run(const char *t, size_t len, size_t *i, size_t *start, size_t *end,
                    size_t *nletters)
{
	size_t k = *i, n;
	uint32_t cp;

	/* skip what is not a letter */
	while (k < len) {
		n = hd_utf8_decode(t + k, len - k, &cp);
		if (!n)
			n = 1, cp = 0xFFFD;
		if (is_letter(cp))
			break;
		k += n;
	}
	if (k >= len) {
		*i = len;
		return 0;
	}
	*start = k;
	*nletters = 0;
	while (k < len) {
		n = hd_utf8_decode(t + k, len - k, &cp);
		if (!n || !is_letter(cp))
			break;
		k += n;
		(*nletters)++;
	}
	*end = k;
	*i = k;
	return 1;
}

/* 1 when the run t[a, b) is one of the runs of a protected word. */
static int protected_run(const hd_hyphenator *h, const char *t, size_t a, size_t b)
{
	size_t w;

	for (w = 0; w < h->nkeep; w++) {
		const char *k = h->keep[w];
		size_t klen = strlen(k), i = 0, s, e, nl;
		while (next_run(k, klen, &i, &s, &e, &nl)) {
			if (e - s == b - a && memcmp(k + s, t + a, b - a) == 0)
				return 1;
		}
	}
	return 0;
}

/* The character at t[i] when it is a hyphen (U+002D, U+2010): its length
 * in bytes, else 0. */
static size_t hyphen_at(const char *t, size_t len, size_t i)
{
	if (i < len && t[i] == '-')
		return 1;
	if (i + 2 < len && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
	    (unsigned char)t[i + 2] == 0x90)
		return 3;
	return 0;
}

/* Appends the dictionary's points inside the run t[a, b) of n letters. */
static size_t run_points(const hd_hyphenator *h, const char *t, size_t a, size_t b, size_t n,
                         hd_hyph_point *out, size_t count, size_t max)
{
	char low[HD_HYPH_MAX_LETTERS * 4];
	size_t ends[HD_HYPH_MAX_LETTERS]; /* byte offset in t after letter k */
	unsigned char brk[HD_HYPH_MAX_LETTERS];
	size_t i = a, k = 0, lowlen = 0;
	int caps = 1;

	if (!h->dict || n < HD_HYPH_MIN_LETTERS || n > HD_HYPH_MAX_LETTERS)
		return count;
	while (i < b && k < n) {
		uint32_t cp;
		size_t m = hd_utf8_decode(t + i, b - i, &cp);
		if (!m)
			return count;
		if (!is_upper(cp))
			caps = 0;
		lowlen += hd_utf8_encode(to_lower(cp), low + lowlen);
		i += m;
		ends[k++] = i;
	}
	if (caps || k != n)
		return count; /* an acronym, or text that changed under us */
	memset(brk, 0, sizeof(brk));
	if (h->dict->points(h->dict->ctx, low, lowlen, n, brk) != 0)
		return count;
	for (k = HD_HYPH_LEFT - 1; k + HD_HYPH_RIGHT < n && count < max; k++) {
		if (brk[k] & 1) {
			out[count].off = ends[k];
			out[count].kind = HD_HY_SOFT;
			count++;
		}
	}
	return count;
}

size_t hd_hyph_points(const hd_hyphenator *h, const char *text, size_t len, hd_hyph_point *out,
                      size_t max)
{
	size_t i = 0, s, e, n, count = 0, total = 0, prev_n = 0, prev_end = 0;

	if (!h || !max || code_like(text, len))
		return 0;
	/* the whole word first: protected names, its number of letters */
	while (next_run(text, len, &i, &s, &e, &n)) {
		if (protected_run(h, text, s, e))
			return 0;
		total += n;
	}
	if (total < HD_HYPH_MIN_LETTERS)
		return 0;
	i = 0;
	while (count < max && next_run(text, len, &i, &s, &e, &n)) {
		size_t hl;
		/* after the hyphen that joins this run to the one before */
		hl = prev_end ? hyphen_at(text, len, prev_end) : 0;
		if (hl && prev_end + hl == s && prev_n >= HD_HYPH_LEFT && n >= HD_HYPH_RIGHT) {
			out[count].off = s;
			out[count].kind = HD_HY_HARD;
			count++;
		}
		count = run_points(h, text, s, e, n, out, count, max);
		prev_end = e;
		prev_n = n;
	}
	return count;
}
