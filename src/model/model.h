/*
 * model: plain C structs for what the loader reads from XML: the content
 * library, templates, the clinic profile and session records. Each loaded
 * object owns one arena; every string and block inside it lives there.
 *
 * The XML vocabularies (schemas in xml/schema/, documented in xml/README.md):
 *   urn:handout:library:1   <library>  content entries, one or more files
 *   urn:handout:template:2  <template> page master, styles, parts, labels (template.h)
 *   urn:handout:clinic:1    <clinic>   name, address, phone, logo, colour
 *   urn:handout:session:1   <session>  one client's session record
 */
#ifndef HD_MODEL_H
#define HD_MODEL_H

#include "block.h"
#include "drawing.h"
#include "util.h"
#include "vocab.h"

/* ----- content library -------------------------------------------------------- */

/* A titled part of an entry's text: role is one of what, feel, suits, expect,
 * body, helps, steps, safety (see the schema for which kind needs which). */
typedef struct hd_section {
	struct hd_section *next;
	const char *role;
	hd_block *blocks;
} hd_section;

/* The text of an entry in one language. */
typedef struct hd_entry_text {
	struct hd_entry_text *next;
	const char *lang;     /* "en", "es" */
	const char *title;    /* plain text */
	const char *summary;  /* plain text, one line */
	const char *dose;     /* plain text default dose, or NULL */
	hd_section *sections;
} hd_entry_text;

typedef struct hd_entry {
	const char *id;        /* stable id, [a-z0-9-]+ */
	const char *kind;      /* cause, anatomy, benefit, technique, before, selfcare,
	                          exercise, precaution, warning-sign, disclaimer */
	const char *reviewed;  /* YYYY-MM-DD */
	const char *urgency;   /* warning-sign: "urgent" or "soon"; else NULL */
	int mandatory;         /* warning-sign: must appear on every aftercare sheet */
	int order;             /* position in its file, for stable ordering */
	const char *file;      /* where it was defined */
	int line;
	hd_entry_text *texts;
	const char *drawing_id;    /* the drawing attribute, or NULL */
	const hd_drawing *drawing; /* resolved when the library is loaded */
} hd_entry;

typedef struct hd_library {
	hd_arena arena;
	hd_entry **entries;    /* sorted by id */
	size_t count;
	const char **languages; /* declared languages, first is the default */
	size_t nlang;
	hd_drawing **drawings; /* sorted by id */
	size_t ndrawings;
} hd_library;

/* Finds an entry by id (binary search). Returns NULL if absent. */
const hd_entry *hd_library_find(const hd_library *lib, const char *id);
/* Finds a drawing by id (binary search). Returns NULL if absent. */
const hd_drawing *hd_library_drawing(const hd_library *lib, const char *id);
/* The text of an entry in lang, falling back to the library's first language.
 * Returns NULL only if the entry has no text at all. */
const hd_entry_text *hd_entry_text_for(const hd_entry *e, const char *lang);
/* The section with the given role, or NULL. */
const hd_section *hd_entry_section(const hd_entry_text *t, const char *role);
/* The id in lib closest to id (edit distance <= 3), for "did you mean"; NULL if none. */
const char *hd_library_suggest(const hd_library *lib, const char *id, const char *kind);
/* HD_OK when lang is NULL or one of lib's languages; else HD_EINPUT with an
 * error whose hint lists the languages. */
int hd_library_check_lang(const hd_library *lib, const char *lang, hd_diags *d);
/* HD_OK when kind is NULL or a kind of entry (hd_entry_kinds); else
 * HD_EINPUT with an error suggesting the closest kind and listing them all. */
int hd_library_check_kind(const char *kind, hd_diags *d);


/* What a session record's references may name: the ref of a <technique> a
 * technique entry, the ref of a <tip> a selfcare or exercise entry. */
typedef struct hd_ref_kind {
	const char *what;   /* "technique", "self-care tip": for messages */
	const char *kind1;  /* the entry kinds it may name */
	const char *kind2;  /* or NULL */
} hd_ref_kind;
extern const hd_ref_kind hd_ref_technique;
extern const hd_ref_kind hd_ref_tip;

/* Resolves a reference to id of kind rk made at file:line:col. Returns the
 * entry, or NULL after reporting to d why not: "technique 'swedsh' is not
 * in the library; did you mean 'swedish'?" (with a hint) or "'x' is a
 * cause entry, not a technique". The one place these messages are made:
 * merge resolves through it, and the session loader checks references with
 * it even when the session fails its schema. */
const hd_entry *hd_library_resolve(const hd_library *lib, const hd_ref_kind *rk, const char *id,
                                   const char *file, int line, int col, hd_diags *d);
void hd_library_free(hd_library *lib);

/* ----- clinic ------------------------------------------------------------------------ */

typedef struct hd_clinic {
	hd_arena arena;
	const char *file;
	const char *name;
	const char **address;    /* lines */
	size_t naddress;
	const char *phone;
	const char *email;
	const char *website;
	const char *booking;     /* where clients book a visit (http:// or https://), or NULL */
	const hd_drawing *booking_qr; /* ... as a QR code (made when the clinic is loaded) */
	const char *logo_path;   /* resolved path of the logo PNG, or NULL */
	int logo_line;
	unsigned char colour[3]; /* brand colour, RGB */
	/* who emailed handouts come from (<sender>); sender_email NULL: none */
	const char *sender_name;     /* the clinic's name unless given */
	const char *sender_email;    /* checked by hd_email_problem */
	const char *reply_to;        /* or NULL */
	int sender_line;             /* of <sender>, for messages */
} hd_clinic;

void hd_clinic_free(hd_clinic *c);

/* ----- font configuration (fonts/fonts.xml) ------------------------------------------ */

/* One family a template may name: where each of its four faces comes from. */
typedef struct hd_font_family {
	const char *name;               /* "Liberation Sans" */
	const char *package;            /* Debian package(s) that install it, or NULL */
	const char *file[HD_NSTYLES];   /* a TrueType file (resolved path), or NULL */
	const char *match[HD_NSTYLES];  /* a fontconfig pattern, or NULL */
	int line;
} hd_font_family;

/* The families to try, in order, for a character of one script that a
 * template's family lacks. */
typedef struct hd_font_fallback {
	const char *script;      /* "latin", "greek", "cyrillic", "other" */
	const char **families;
	size_t nfamilies;
} hd_font_fallback;

typedef struct hd_font_config {
	hd_arena arena;
	const char *file;
	const char *default_family;
	hd_font_family *families;
	size_t nfamilies;
	hd_font_fallback *fallbacks;
	size_t nfallbacks;
} hd_font_config;

void hd_font_config_free(hd_font_config *c);
/* The family named name (compared without regard to ASCII case), or NULL. */
const hd_font_family *hd_font_config_family(const hd_font_config *c, const char *name);

/* ----- session record ------------------------------------------------------------- */

typedef struct hd_date {
	int year, month, day; /* 0 when absent */
	int hour, minute;     /* -1 when no time is given */
} hd_date;

typedef struct hd_ref {
	const char *id;
	const char *dose;     /* selfcare tips: personal dose, or NULL */
	int line, col;        /* where the reference is, for diagnostics */
} hd_ref;



typedef struct hd_session_rec {
	hd_arena arena;
	const char *file;
	const char *client;      /* client's name */
	const char *client_id;   /* the clinic's number for the client, or NULL */
	const char *email;       /* or NULL */
	hd_date date;            /* with a time when <date time=""> gives one */
	const char *therapist;
	const char *lang;        /* "en" unless given */
	int large_print;
	enum hd_paper paper;
	hd_ref *techniques;
	size_t ntechniques;
	const char **areas;      /* codes from hd_area_codes */
	size_t nareas;
	const char *pressure;    /* light, medium, firm, deep; or NULL */
	int pain_before;         /* 0-10 on the numeric rating scale; -1 when not given */
	int pain_after;
	hd_block *notes;         /* paragraphs; may be NULL */
	hd_ref *tips;
	size_t ntips;
	hd_date next_visit;      /* year 0 when absent */
} hd_session_rec;

void hd_session_rec_free(hd_session_rec *s);

/* ----- programmes (the desk's presets) --------------------------------------------- */

typedef struct hd_preset_title {
	const char *lang;
	const char *text;
} hd_preset_title;

/* One programme: what it fills in on the desk's form. */
typedef struct hd_preset {
	const char *id;
	int line;
	hd_preset_title *titles;  /* one per language, in file order */
	size_t ntitles;
	hd_ref *techniques;
	size_t ntechniques;
	const char **areas;       /* codes from hd_area_codes */
	size_t nareas;
	const char *pressure;     /* or NULL */
	hd_ref *tips;             /* with their doses (NULL: the library's) */
	size_t ntips;
} hd_preset;

typedef struct hd_presets_rec {
	hd_arena arena;
	const char *file;
	hd_preset *items;
	size_t count;
} hd_presets_rec;

void hd_presets_rec_free(hd_presets_rec *p);

#endif
