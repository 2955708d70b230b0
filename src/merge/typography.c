/*
 * typography: ASCII conventions to the printer's characters (typography.h).
 * One pass over the text, deciding each character by what comes before it
 * (the state carries that across the spans of a paragraph) and, for ranges
 * and units, by the digits and the word around it.
 */
#include "typography.h"

#include <stdint.h>
#include <string.h>

#define NBSP "\xC2\xA0"

/* A number's unit: the space before it becomes a no-break space. Times,
 * lengths, weights, volumes, temperatures, counts, in both languages. */
static const char *const units[] = {
	"s", "sec", "secs", "ms", "min", "mins", "h", "hr", "hrs",
	"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days",
	"week", "weeks", "month", "months", "year", "years", "time", "times", "rep", "reps",
	"mm", "cm", "m", "km", "g", "kg", "mg", "ml", "mL", "l", "L", "lb", "lbs", "oz", "ft",
	"kcal", "%", "\xC2\xB0" "C", "\xC2\xB0" "F",
	"segundo", "segundos", "minuto", "minutos", "hora", "horas", "d\xC3\xAD" "a",
	"d\xC3\xAD" "as", "semana", "semanas", "mes", "meses", "a\xC3\xB1o", "a\xC3\xB1os", "vez",
	"veces", "repeticiones",
};

static int is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

/* Letters as far as the decisions here go: ASCII, Latin-1 and Latin
 * Extended letters, Greek, Cyrillic. */
static int is_letter(uint32_t c)
{
	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x52F);
}

static int is_space(uint32_t c)
{
	return c == ' ' || c == 0xA0 || c == '\t' || c == '\n' || (c >= 0x2000 && c <= 0x200A) ||
	       c == 0x202F;
}

/* After these, a quotation mark opens (start of text, a space, an opening
 * bracket or mark, a dash, a slash, Spanish ¿ ¡). */
static int opens_after(uint32_t c)
{
	return c == 0 || is_space(c) || c == '(' || c == '[' || c == '{' || c == 0x201C ||
	       c == 0x2018 || c == 0xAB || c == '-' || c == 0x2013 || c == 0x2014 || c == '/' ||
	       c == 0xBF || c == 0xA1 || c == '"' || c == '\'';
}

/* Dashes and separators that must not start a line when spaced. */
static int spaced_sign(uint32_t c)
{
	return c == 0x2013 || c == 0x2014 || c == 0xB7 || c == 0x2022;
}

/* The character at s[i] (0 past the end) and its length. */
static uint32_t at(const char *s, size_t len, size_t i, size_t *n)
{
	uint32_t cp = 0;
	size_t k = i < len ? hd_utf8_decode(s + i, len - i, &cp) : 0;
	if (i < len && !k)
		k = 1, cp = (unsigned char)s[i];
	if (n)
		*n = k;
	return cp;
}

/* 1 when the word starting at s[i] contains "://", "www." or "@" (a URL or
 * an e-mail address), or a character of code (_ = < > { } \ ` |); *end is
 * where it ends (the next U+0020). */
static int protected_word(const char *s, size_t len, size_t i, size_t *end)
{
	size_t e = i;
	int prot = 0;
	while (e < len && s[e] != ' ')
		e++;
	for (size_t k = i; k < e && !prot; k++) {
		prot = (s[k] && strchr("@_=<>{}\\`|", s[k])) ||
		       (k + 3 <= e && !memcmp(s + k, "://", 3)) || (k + 4 <= e && !memcmp(s + k, "www.", 4));
	}
	*end = e;
	return prot;
}

/* 1 when s[i] == '-' joins a range of numbers: one to three digits before it
 * (not after another digit, letter or sign: prev is the character before
 * the text), one to three after it (not followed by a digit, sign or a
 * decimal part), the second number larger. */
static int range_dash(const char *s, size_t len, size_t i, uint32_t prev)
{
	size_t a = i, b = i + 1;
	long lo = 0, hi = 0;
	uint32_t before, after;

	while (a > 0 && is_digit((unsigned char)s[a - 1]))
		a--;
	while (b < len && is_digit((unsigned char)s[b]))
		b++;
	if (i - a < 1 || i - a > 3 || b - i - 1 < 1 || b - i - 1 > 3)
		return 0;
	before = a > 0 ? (unsigned char)s[a - 1] : prev;
	if (a > 0 && (before & 0x80)) {
		/* a multi-byte character before the number: find its start */
		size_t k = a - 1;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		before = at(s, len, k, NULL);
	}
	if (is_letter(before) || is_digit(before) ||
	    (before && before < 0x80 && strchr("-./:+,#", (int)before)) || before == 0x2013)
		return 0;
	after = b < len ? (unsigned char)s[b] : 0;
	if (after == '-' || after == '/' || after == 0xE2 /* – — */)
		return 0;
	if ((after == '.' || after == ':' || after == ',') && b + 1 < len &&
	    is_digit((unsigned char)s[b + 1]))
		return 0;
	if (is_letter(at(s, len, b, NULL)))
		return 0;
	for (size_t k = a; k < i; k++)
		lo = lo * 10 + (s[k] - '0');
	for (size_t k = i + 1; k < b; k++)
		hi = hi * 10 + (s[k] - '0');
	return lo < hi;
}

/* 1 when s[i] starts a unit word (followed by what is not a letter or a
 * digit). */
static int unit_at(const char *s, size_t len, size_t i)
{
	size_t u;
	for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		size_t n = strlen(units[u]);
		uint32_t next;
		if (i + n > len || memcmp(s + i, units[u], n) != 0)
			continue;
		next = at(s, len, i + n, NULL);
		if (!is_letter(next) && !is_digit(next))
			return 1;
	}
	return 0;
}

/* Turns the U+0020 at the end of b into no-break spaces. */
static void nbsp_tail(hd_buf *b)
{
	size_t k = 0;
	while (k < b->len && b->data[b->len - 1 - k] == ' ')
		k++;
	b->len -= k;
	while (k--)
		hd_buf_puts(b, NBSP);
}

/* 1 when text has something a rule may change: ' " -, a digit before a
 * space, or a dash, dot or bullet (– — · •). Most spans have none, and
 * are then only scanned once (typography runs on every span of every
 * document). */
static int has_candidates(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\'' || c == '"' || c == '-')
			return 1;
		if (c >= '0' && c <= '9' && i + 1 < len && s[i + 1] == ' ')
			return 1;
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xB7)
			return 1;
		if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94 ||
		     (unsigned char)s[i + 2] == 0xA2))
			return 1;
	}
	return 0;
}

/* The last character of text (len > 0). */
static uint32_t last_char(const char *s, size_t len)
{
	size_t k = len - 1;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return at(s, len, k, NULL);
}

const char *hd_typo_text(hd_arena *a, hd_quotes q, hd_typo_state *st, const char *s, size_t len,
                         size_t *out_len)
{
	/* outer and inner quotation marks */
	const char *o1 = q == HD_QUOTES_ANGLE ? "\xC2\xAB" : "\xE2\x80\x9C";
	const char *c1 = q == HD_QUOTES_ANGLE ? "\xC2\xBB" : "\xE2\x80\x9D";
	const char *o2 = q == HD_QUOTES_ANGLE ? "\xE2\x80\x9C" : "\xE2\x80\x98";
	const char *c2 = q == HD_QUOTES_ANGLE ? "\xE2\x80\x9D" : "\xE2\x80\x99";
	hd_buf b = HD_BUF_INIT;
	uint32_t prev = st->prev;
	size_t i = 0, n;
	int changed = 0;
	const char *res;

	*out_len = len;
	if (!has_candidates(s, len) && !(is_digit(st->prev) && len && s[0] == ' ')) {
		if (len)
			st->prev = last_char(s, len);
		return s;
	}
	if (hd_buf_grow(&b, len + len / 4 + 16))
		return NULL;
	while (i < len) {
		uint32_t c = at(s, len, i, &n), next;
		size_t end;
		if ((i == 0 ? opens_after(prev) || is_space(prev) : is_space(prev)) &&
		    !is_space(c) && protected_word(s, len, i, &end)) {
			hd_buf_append(&b, s + i, end - i);
			prev = 'x'; /* a word ended: what follows is a space or the end */
			i = end;
			continue;
		}
		next = at(s, len, i + n, NULL);
		if (c == '\'') {
			/* an apostrophe, or a single quotation mark */
			if (!is_letter(prev) && !is_digit(prev) && opens_after(prev) && is_letter(next))
				hd_buf_puts(&b, "\xE2\x80\x98"), c = 0x2018;
			else
				hd_buf_puts(&b, "\xE2\x80\x99"), c = 0x2019;
			changed = 1;
		} else if (c == '"') {
			if (opens_after(prev) && !is_space(next)) {
				hd_buf_puts(&b, st->depth % 2 ? o2 : o1);
				st->depth++;
				c = 0x201C;
			} else {
				if (st->depth > 0)
					st->depth--;
				hd_buf_puts(&b, st->depth % 2 ? c2 : c1);
				c = 0x201D;
			}
			changed = 1;
		} else if (c == '-' && is_digit(prev) && range_dash(s, len, i, st->prev)) {
			hd_buf_puts(&b, "\xE2\x80\x93");
			c = 0x2013;
			changed = 1;
		} else if (c == '-' && is_space(prev) &&
		           (next == ' ' || (next == '-' && at(s, len, i + 2, NULL) == ' '))) {
			/* " - " or " -- ": a dash, kept with the word before it */
			nbsp_tail(&b);
			hd_buf_puts(&b, "\xE2\x80\x93");
			if (next == '-')
				i++;
			c = 0x2013;
			changed = 1;
		} else if (spaced_sign(c) && prev == ' ' && (next == ' ' || next == 0)) {
			size_t before = b.len;
			nbsp_tail(&b);
			changed |= b.len != before;
			hd_buf_append(&b, s + i, n);
		} else if (c == ' ' && is_digit(prev) && unit_at(s, len, i + 1)) {
			hd_buf_puts(&b, NBSP);
			c = 0xA0;
			changed = 1;
		} else {
			hd_buf_append(&b, s + i, n);
		}
		prev = c;
		i += n;
	}
	st->prev = prev;
	if (!changed || b.oom) {
		int oom = b.oom;
		hd_buf_free(&b);
		return oom ? NULL : s;
	}
	res = hd_arena_strndup(a, b.data, b.len);
	*out_len = b.len;
	hd_buf_free(&b);
	return res;
}

static int typo_spans(hd_arena *a, hd_quotes q, hd_block *blk)
{
	hd_typo_state st = HD_TYPO_STATE_INIT;
	hd_span *sp;

	for (sp = blk->spans; sp; sp = sp->next) {
		size_t n;
		const char *t;
		if (sp->verbatim) {
			if (sp->len)
				st.prev = 'x'; /* as after a word */
			continue;
		}
		t = hd_typo_text(a, q, &st, sp->text, sp->len, &n);
		if (!t)
			return HD_ENOMEM;
		sp->text = t;
		sp->len = n;
	}
	return HD_OK;
}

int hd_typo_blocks(hd_arena *a, hd_quotes q, hd_block *b)
{
	for (; b; b = b->next) {
		if (typo_spans(a, q, b) || hd_typo_blocks(a, q, b->children))
			return HD_ENOMEM;
	}
	return HD_OK;
}

const char *hd_typo_str(hd_arena *a, hd_quotes q, const char *s, int *oom)
{
	hd_typo_state st = HD_TYPO_STATE_INIT;
	const char *t;
	size_t n;

	if (!s)
		return NULL;
	t = hd_typo_text(a, q, &st, s, strlen(s), &n);
	if (!t)
		*oom = 1;
	return t ? t : s;
}
