/*
 * hyph: libhyphen behind layout's dictionary interface (see hyph.h).
 *
 * Reading the US English patterns takes about 40 million instructions
 * (~10 ms), more than two aftercare sheets; most sheets are tight enough
 * never to need a break point. So a dictionary is read the first time
 * layout asks it for one, once per engine, under its slot's lock, and never
 * again; a sheet whose justified lines are all tight never reads it. After
 * that, hyphenating a word only reads the dictionary (libhyphen's state
 * machine; its buffers are per call), so threads share it without a lock.
 */
#include "hyph.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hyphen.h>

typedef struct slot {
	char lang[16];
	char *path;          /* the dictionary file found, or NULL */
	pthread_mutex_t lock; /* guards reading it */
	atomic_int state;    /* 0 not read yet, 1 read, -1 could not be read */
	HyphenDict *hd;      /* valid once state is 1 */
	hd_hyph_dict dict;   /* layout's interface to it */
	int warned;          /* its problem was reported (under the set's lock) */
} slot;

struct hd_hyph_set {
	char *dir;
	slot *slots;
	size_t nslots;
	pthread_mutex_t lock;  /* guards warned */
};

/* The slot's dictionary, read on first use; NULL when it cannot be read. */
static HyphenDict *loaded(slot *sl)
{
	int st = atomic_load_explicit(&sl->state, memory_order_acquire);
	if (st == 0) {
		pthread_mutex_lock(&sl->lock);
		st = atomic_load_explicit(&sl->state, memory_order_relaxed);
		if (st == 0) {
			sl->hd = hnj_hyphen_load(sl->path);
			st = sl->hd ? 1 : -1;
			atomic_store_explicit(&sl->state, st, memory_order_release);
		}
		pthread_mutex_unlock(&sl->lock);
	}
	return st == 1 ? sl->hd : NULL;
}

/* libhyphen for layout: word is lower case, at most HD_HYPH_MAX_LETTERS
 * characters. hnj_hyphen_hyphenate3 wants the word NUL-terminated, a
 * buffer of len + 5 for the points (one per character once normalized from
 * UTF-8, odd where a break is allowed) and a place for its replacement
 * lists (unused by the en and es patterns, freed if it makes any). */
static int dict_points(const void *ctx, const char *word, size_t len, size_t nchars,
                       unsigned char *brk)
{
	HyphenDict *hd = loaded((slot *)ctx);
	char w[HD_HYPH_MAX_LETTERS * 4 + 1], hy[HD_HYPH_MAX_LETTERS * 4 + 5];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL, r;
	size_t k;

	if (!hd || len >= sizeof(w) || nchars > len)
		return -1;
	memcpy(w, word, len);
	w[len] = '\0';
	memset(hy, '0', sizeof(hy));
	r = hnj_hyphen_hyphenate3(hd, w, (int)len, hy, NULL, &rep, &pos, &cut, HD_HYPH_LEFT,
	                          HD_HYPH_RIGHT, HD_HYPH_LEFT, HD_HYPH_RIGHT);
	if (rep) {
		for (k = 0; k < len; k++)
			free(rep[k]);
		free(rep);
	}
	free(pos);
	free(cut);
	if (r)
		return -1;
	for (k = 0; k < nchars; k++)
		brk[k] = (unsigned char)(hy[k] & 1);
	return 0;
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The dictionary file of lang in dir (see hyph.h), malloc'd, or NULL. */
static char *find_file(const char *dir, const char *lang)
{
	char name[64], upper[16], best[256] = "", *path;
	size_t i, n = strlen(lang);
	DIR *dh;
	struct dirent *de;

	if (n == 0 || n >= sizeof(upper))
		return NULL;
	for (i = 0; i <= n; i++)
		upper[i] = (char)(lang[i] >= 'a' && lang[i] <= 'z' ? lang[i] - 32 : lang[i]);
	snprintf(name, sizeof(name), "hyph_%s.dic", lang);
	path = hd_path_join(dir, name);
	if (!path || is_file(path))
		return path;
	free(path);
	snprintf(name, sizeof(name), "hyph_%s_%s.dic", lang, upper);
	path = hd_path_join(dir, name);
	if (!path || is_file(path))
		return path;
	free(path);
	/* any region of the language, the first by name */
	snprintf(name, sizeof(name), "hyph_%s_", lang);
	dh = opendir(dir);
	if (!dh)
		return NULL;
	while ((de = readdir(dh)) != NULL) {
		size_t dl = strlen(de->d_name);
		if (strncmp(de->d_name, name, strlen(name)) == 0 && dl > 4 && dl < sizeof(best) &&
		    strcmp(de->d_name + dl - 4, ".dic") == 0 && (!best[0] || strcmp(de->d_name, best) < 0))
			memcpy(best, de->d_name, dl + 1);
	}
	closedir(dh);
	if (!best[0])
		return NULL;
	path = hd_path_join(dir, best);
	if (path && !is_file(path)) {
		free(path);
		path = NULL;
	}
	return path;
}

int hd_hyph_open(hd_hyph_set **out, const char *dir, const char *const *langs, size_t nlangs)
{
	hd_hyph_set *s = calloc(1, sizeof(*s));
	size_t i;

	*out = NULL;
	if (!s)
		return HD_ENOMEM;
	pthread_mutex_init(&s->lock, NULL);
	s->dir = strdup(dir ? dir : HD_HYPH_DIR);
	s->slots = calloc(nlangs ? nlangs : 1, sizeof(*s->slots));
	if (!s->dir || !s->slots) {
		hd_hyph_free(s);
		return HD_ENOMEM;
	}
	for (i = 0; i < nlangs; i++) {
		slot *sl = &s->slots[s->nslots++];
		snprintf(sl->lang, sizeof(sl->lang), "%s", langs[i]);
		pthread_mutex_init(&sl->lock, NULL);
		atomic_init(&sl->state, 0);
		sl->path = find_file(s->dir, langs[i]);
		sl->dict.ctx = sl;
		sl->dict.points = dict_points;
	}
	*out = s;
	return HD_OK;
}

/* The Debian package with the dictionary of lang. */
static void package_for(const char *lang, char *buf, size_t size)
{
	if (!strcmp(lang, "en"))
		snprintf(buf, size, "hyphen-en-us");
	else
		snprintf(buf, size, "hyphen-%s", lang);
}

/* The slot of lang, or NULL. */
static slot *slot_of(hd_hyph_set *s, const char *lang)
{
	size_t i;
	for (i = 0; s && lang && i < s->nslots; i++) {
		if (!strcmp(s->slots[i].lang, lang))
			return &s->slots[i];
	}
	return NULL;
}

const hd_hyph_dict *hd_hyph_get(hd_hyph_set *s, const char *lang)
{
	slot *sl = slot_of(s, lang);
	return sl && sl->path ? &sl->dict : NULL;
}

void hd_hyph_report(hd_hyph_set *s, const char *lang, hd_diags *d)
{
	slot *sl = slot_of(s, lang);
	char hint[256], pkg[32];
	int missing = 0, unreadable = 0;

	if (!sl)
		return;
	pthread_mutex_lock(&s->lock);
	if (!sl->warned) {
		missing = !sl->path;
		unreadable = sl->path && atomic_load_explicit(&sl->state, memory_order_acquire) < 0;
		sl->warned = missing || unreadable;
	}
	pthread_mutex_unlock(&s->lock);
	if (!missing && !unreadable)
		return;
	package_for(lang, pkg, sizeof(pkg));
	snprintf(hint, sizeof(hint),
	         "install the Debian package %s, or set HANDOUT_HYPHEN_DIR to a folder with "
	         "hyph_%s*.dic", pkg, lang);
	if (unreadable)
		hd_diag_add(d, HD_WARNING, sl->path, 0, 0, hint,
		            "this hyphenation dictionary could not be read: justified text in '%s' "
		            "is set without hyphenation", lang);
	else
		hd_diag_add(d, HD_WARNING, s->dir, 0, 0, hint,
		            "no hyphenation dictionary for '%s' here: justified text in '%s' is set "
		            "without hyphenation", lang, lang);
}

void hd_hyph_free(hd_hyph_set *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->nslots; i++) {
		if (s->slots[i].hd)
			hnj_hyphen_free(s->slots[i].hd);
		free(s->slots[i].path);
		pthread_mutex_destroy(&s->slots[i].lock);
	}
	free(s->slots);
	free(s->dir);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
