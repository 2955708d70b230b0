#include "gen_session.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h" /* hd_area_codes: the schema's vocabulary of areas */

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Names from the scripts DejaVu Sans covers, as clinics' client lists hold them. */
static const char *const FIRST[] = {
	"Zoë", "Chidi", "María José", "Aiko", "Łukasz", "Ólafur", "Søren", "Noémie",
	"Dmitri", "Юлия", "Αλέξανδρος", "Siobhán", "François", "Björk", "Nguyễn", "Anna",
	"Jean-Baptiste", "O'Neill", "Ana Lucía", "Mehmet", "Zbigniew", "Ève", "Ian", "Li"
};
static const char *const LAST[] = {
	"García", "Okafor", "Tanaka", "Łukasiewicz", "Núñez", "Müller", "O'Brien",
	"Smith", "Иванова", "Παπαδόπουλος", "Van der Berg", "Ødegård", "Kowalczyk",
	"Da Silva Santos", "Lee", "Fernández-Castillo", "Nakamura", "Dubois", "Çelik", "Ng"
};
static const char *const THERAPISTS[] = {
	"Aiko Tanaka", "Maria Núñez", "Tom Reid", "Ana Lucía Ortega", "Sam Okoye", "Jo Lee"
};
static const char *const DOSES[] = {
	"Every morning", "Twice a day for a week", "Hold 30 s, 3 times, twice a day",
	"A large glass now and another before bed", "10 minutes after work",
	"Right side only: hold 20 s, 4 times, every evening", "Cada mañana",
	"Dos veces al día durante una semana", "3 x 10, slowly", "When it aches"
};
static const char *const WORDS[] = {
	"we", "worked", "slowly", "on", "the", "knots", "near", "your", "right", "left", "hip",
	"lower", "back", "muscles", "were", "tight", "after", "long", "drive", "sitting",
	"desk", "week", "please", "keep", "stretching", "gently", "every", "evening", "pain",
	"eased", "by", "end", "of", "session", "call", "us", "if", "it", "gets", "worse",
	"shoulder", "glute", "fascia", "pressure", "felt", "good", "tell", "me", "next",
	"time", "how", "you", "slept", "walk", "for", "ten", "minutes", "hourly", "trabajamos",
	"despacio", "espalda", "cadera", "derecha", "músculos", "tensos", "después", "viaje",
	"camine", "minutos", "cada", "hora", "physiotherapist", "recommended", "strengthening",
	"exercises", "twice", "a", "day", "ibuprofen", "heat", "pack", "15", "30", "0–10"
};

static uint64_t next(hd_gen *g)
{
	/* splitmix64: fast, good enough, the same on every platform */
	uint64_t z = (g->state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static size_t pick(hd_gen *g, size_t n)
{
	return (size_t)(next(g) % n);
}

static int chance(hd_gen *g, unsigned percent)
{
	return pick(g, 100) < percent;
}

int hd_gen_init(hd_gen *g, const hd_engine *engine, uint64_t seed)
{
	size_t n = hd_library_count(engine), i;

	memset(g, 0, sizeof(*g));
	g->state = seed;
	g->techniques = calloc(n ? n : 1, sizeof(*g->techniques));
	g->tips = calloc(n ? n : 1, sizeof(*g->tips));
	if (!g->techniques || !g->tips) {
		hd_gen_free(g);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *id, *kind, *title;
		if (hd_library_entry(engine, i, NULL, &id, &kind, &title))
			continue;
		if (!strcmp(kind, "technique"))
			g->techniques[g->ntechniques++] = id;
		else if (!strcmp(kind, "selfcare") || !strcmp(kind, "exercise"))
			g->tips[g->ntips++] = id;
	}
	if (!g->ntechniques || !g->ntips) {
		hd_gen_free(g);
		return -1;
	}
	return 0;
}

void hd_gen_free(hd_gen *g)
{
	free(g->techniques);
	free(g->tips);
	memset(g, 0, sizeof(*g));
}

typedef struct out {
	char *buf;
	size_t size, len;
	int overflow;
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out *o, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (o->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->size - o->len)
		o->overflow = 1;
	else
		o->len += (size_t)n;
}

/* Chooses k distinct indexes below n into idx (k <= n), in random order. */
static void choose(hd_gen *g, size_t *idx, size_t k, size_t n)
{
	size_t i, j;
	for (i = 0; i < k; i++) {
		size_t v;
		do {
			v = pick(g, n);
			for (j = 0; j < i && idx[j] != v; j++)
				;
		} while (j < i);
		idx[i] = v;
	}
}

static void sentence(hd_gen *g, out *o, size_t words)
{
	size_t i;
	for (i = 0; i < words; i++) {
		const char *w = WORDS[pick(g, LEN(WORDS))];
		int style = chance(g, 4) ? 1 + (int)pick(g, 2) : 0;
		put(o, "%s%s%s%s", i ? " " : "", style == 1 ? "<em>" : style == 2 ? "<strong>" : "", w,
		    style == 1 ? "</em>" : style == 2 ? "</strong>" : "");
	}
	put(o, ".");
}

/* Writes day number days (since 1970-01-01) as YYYY-MM-DD. */
static void civil(out *o, long days)
{
	/* Howard Hinnant's civil_from_days */
	long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	put(o, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
}

int hd_gen_session(hd_gen *g, char *buf, size_t size)
{
	out o = { buf, size, 0, 0 };
	size_t idx[16], n, i;
	int es = chance(g, 40);
	long day = 18262 + (long)pick(g, 4018); /* 2020-01-01 .. 2030-12-31 */

	put(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<session xmlns=\"urn:handout:session:1\" version=\"1\">\n");
	put(&o, "  <client><name>%s %s</name>", FIRST[pick(g, LEN(FIRST))], LAST[pick(g, LEN(LAST))]);
	if (chance(g, 50))
		put(&o, "<email>client%04u@example.org</email>", (unsigned)pick(g, 10000));
	put(&o, "</client>\n  <date>");
	civil(&o, day);
	put(&o, "</date>\n  <therapist>%s</therapist>\n", THERAPISTS[pick(g, LEN(THERAPISTS))]);
	if (es || chance(g, 50))
		put(&o, "  <language>%s</language>\n", es ? "es" : "en");
	if (g->profile == HD_GEN_REALISTIC || chance(g, 80))
		put(&o, "  <print size=\"%s\" paper=\"%s\"/>\n",
		    g->profile == HD_GEN_MIXED && chance(g, 20) ? "large" : "standard",
		    chance(g, 50) ? "a4" : "letter");
	n = 1 + pick(g, g->ntechniques < 3 ? g->ntechniques : 3);
	choose(g, idx, n, g->ntechniques);
	put(&o, "  <techniques>");
	for (i = 0; i < n; i++)
		put(&o, "<technique ref=\"%s\"/>", g->techniques[idx[i]]);
	put(&o, "</techniques>\n  <areas>");
	n = 1 + pick(g, 6);
	choose(g, idx, n, hd_area_count);
	for (i = 0; i < n; i++)
		put(&o, "<area>%s</area>", hd_area_codes[idx[i]]);
	put(&o, "</areas>\n");
	if (chance(g, 80)) {
		static const char *const P[] = { "light", "medium", "firm", "deep" };
		put(&o, "  <pressure>%s</pressure>\n", P[pick(g, 4)]);
	}
	n = pick(g, 4);
	if (n) {
		put(&o, "  <notes>");
		for (i = 0; i < n; i++) {
			if (g->profile == HD_GEN_MIXED && chance(g, 15)) {
				const char *tag = chance(g, 50) ? "ul" : "ol";
				size_t k, items = 1 + pick(g, 3);
				put(&o, "<%s>", tag);
				for (k = 0; k < items; k++) {
					put(&o, "<li>");
					sentence(g, &o, 3 + pick(g, 10));
					put(&o, "</li>");
				}
				put(&o, "</%s>", tag);
			} else {
				put(&o, "<p>");
				/* a short note: a sentence or two */
				sentence(g, &o, g->profile == HD_GEN_MIXED ? 5 + pick(g, 40) : 8 + pick(g, 23));
				put(&o, "</p>");
			}
		}
		put(&o, "</notes>\n");
	}
	n = 1 + pick(g, g->ntips < 5 ? g->ntips : 5);
	choose(g, idx, n, g->ntips);
	put(&o, "  <selfcare>");
	for (i = 0; i < n; i++) {
		put(&o, "<tip ref=\"%s\"", g->tips[idx[i]]);
		if (chance(g, 50))
			put(&o, " dose=\"%s\"", DOSES[pick(g, LEN(DOSES))]);
		put(&o, "/>");
	}
	put(&o, "</selfcare>\n");
	if (chance(g, 85)) {
		put(&o, "  <next-visit>");
		civil(&o, day + 1 + (long)pick(g, 42));
		if (chance(g, 80))
			put(&o, "T%02d:%02d", 8 + (int)pick(g, 11), (int)pick(g, 4) * 15);
		put(&o, "</next-visit>\n");
	}
	put(&o, "</session>\n");
	return o.overflow ? -1 : (int)o.len;
}
