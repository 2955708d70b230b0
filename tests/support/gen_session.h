/*
 * Generated session records for tests and measurements: realistic, valid
 * sessions with random choices of techniques, areas, tips and exercises with
 * or without doses, notes, languages, paper and print sizes, from a seeded
 * generator (the same seed gives the same sessions on every machine).
 *
 * The vocabulary comes from the engine's library, never from a list here, so
 * a new library entry is exercised as soon as it exists.
 */
#ifndef HD_GEN_SESSION_H
#define HD_GEN_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include <handout.h>

/* What the sessions look like. HD_GEN_MIXED: everything, large print one
 * time in five, notes up to 45 words a paragraph with lists; HD_GEN_REALISTIC:
 * what a therapist writes after an ordinary session (the figures of issue 7:
 * standard print, 1-3 techniques, 1-6 areas, 0-3 short note paragraphs, 1-5
 * tips and exercises, en and es, A4 and Letter). */
enum hd_gen_profile { HD_GEN_MIXED, HD_GEN_REALISTIC };

typedef struct hd_gen {
	uint64_t state;
	enum hd_gen_profile profile;
	const char **techniques; /* library ids of kind technique */
	size_t ntechniques;
	const char **tips;       /* ids of kind selfcare or exercise */
	size_t ntips;
} hd_gen;

/* Reads the vocabulary from engine and seeds the generator. The id strings
 * are borrowed from the engine. Returns 0, or -1 when out of memory or when
 * the library has no techniques or tips. Release with hd_gen_free. */
int hd_gen_init(hd_gen *g, const hd_engine *engine, uint64_t seed);
void hd_gen_free(hd_gen *g);

/* Writes the XML of the next session into buf (NUL-terminated, at most size
 * bytes). Returns the length, or -1 when buf is too small (64 KB always
 * suffices). */
int hd_gen_session(hd_gen *g, char *buf, size_t size);

#endif
