/*
 * fontfind: where the faces of a configured family are (fonts/fonts.xml):
 * a named file when it exists, else fontconfig. fontconfig is asked only
 * then, so the default family, given by file, costs no fontconfig start-up
 * (FcInit reads /etc/fonts and the font caches: ~10 ms, see README).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <fontconfig/fontconfig.h>

#include "fonts.h"

static const char *const style_names[HD_NSTYLES] = { "regular", "bold", "italic",
	                                             "bold-italic" };

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* fontconfig's configuration (/etc/fonts and the font caches), loaded the
 * first time a face needs it and kept until the finder is freed: its own,
 * not fontconfig's process-wide one, so nothing outlives the engine. */
struct hd_fontfinder {
	pthread_mutex_t lock;
	FcConfig *config;
	int tried;
};

int hd_fontfinder_new(hd_fontfinder **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return HD_ENOMEM;
	pthread_mutex_init(&(*out)->lock, NULL);
	return HD_OK;
}

void hd_fontfinder_free(hd_fontfinder *ff)
{
	if (!ff)
		return;
	if (ff->config)
		FcConfigDestroy(ff->config);
	pthread_mutex_destroy(&ff->lock);
	free(ff);
}

/* 1 when one of p's values of object (FC_FAMILY, FC_STYLE) is want,
 * ignoring ASCII case. */
static int has_value(FcPattern *p, const char *object, const char *want)
{
	FcChar8 *v;
	int i;
	for (i = 0; FcPatternGetString(p, object, i, &v) == FcResultMatch; i++)
		if (!strcasecmp((const char *)v, want))
			return 1;
	return 0;
}

/* fontconfig's file for pattern, when its match is of family (and of the
 * pattern's style, if it names one). *out malloc'd, or NULL when there is
 * none. Returns HD_OK or HD_ENOMEM. */
static int fc_find(char **out, hd_fontfinder *ff, const char *pattern, const char *family,
                   char *got, size_t gotsize)
{
	FcPattern *pat = NULL, *match = NULL;
	FcResult res;
	FcChar8 *file, *fam = NULL;
	int rc = HD_OK;

	*out = NULL;
	got[0] = '\0';
	pthread_mutex_lock(&ff->lock);
	if (!ff->tried) {
		ff->tried = 1;
		ff->config = FcInitLoadConfigAndFonts();
	}
	if (!ff->config)
		goto done;
	pat = FcNameParse((const FcChar8 *)pattern);
	if (!pat) {
		rc = HD_OK;
		goto done;
	}
	FcConfigSubstitute(ff->config, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	match = FcFontMatch(ff->config, pat, &res);
	if (!match)
		goto done;
	if (FcPatternGetString(match, FC_FAMILY, 0, &fam) == FcResultMatch)
		snprintf(got, gotsize, "%s", (const char *)fam);
	if (!has_value(match, FC_FAMILY, family))
		goto done;
	{
		FcPattern *asked = FcNameParse((const FcChar8 *)pattern);
		FcChar8 *want = NULL;
		int ok = 1;
		if (asked && FcPatternGetString(asked, FC_STYLE, 0, &want) == FcResultMatch)
			ok = has_value(match, FC_STYLE, (const char *)want);
		if (asked)
			FcPatternDestroy(asked);
		if (!ok)
			goto done;
	}
	if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
		*out = strdup((const char *)file);
		if (!*out)
			rc = HD_ENOMEM;
	}
done:
	if (match)
		FcPatternDestroy(match);
	if (pat)
		FcPatternDestroy(pat);
	pthread_mutex_unlock(&ff->lock);
	return rc;
}

int hd_fonts_find(char *files[HD_NSTYLES], const hd_font_family *f, const char *config,
                  hd_fontfinder *ff, hd_diags *d)
{
	unsigned st;
	int rc = HD_OK;

	for (st = 0; st < HD_NSTYLES; st++)
		files[st] = NULL;
	for (st = 0; st < HD_NSTYLES; st++) {
		char got[128], hint[320];
		if (f->file[st] && is_file(f->file[st])) {
			if (!(files[st] = strdup(f->file[st])))
				rc = HD_ENOMEM;
			continue;
		}
		if (f->match[st]) {
			int r = fc_find(&files[st], ff, f->match[st], f->name, got, sizeof(got));
			if (r) {
				rc = r;
				continue;
			}
			if (files[st])
				continue;
		}
		if (f->package)
			snprintf(hint, sizeof(hint), "install the Debian package%s %s, or choose another "
			         "family in the template", strchr(f->package, ' ') ? "s" : "", f->package);
		else
			snprintf(hint, sizeof(hint), "install the font, or choose another family in the "
			         "template");
		if (f->match[st] && got[0] && strcasecmp(got, f->name))
			hd_error_at(d, config, f->line, 0, hint,
			            "the %s face of the font family '%s' is not installed (fontconfig "
			            "offers '%s' instead)", style_names[st], f->name, got);
		else if (f->file[st])
			hd_error_at(d, config, f->line, 0, hint,
			            "the %s face of the font family '%s' is not installed: no file %s%s",
			            style_names[st], f->name, f->file[st],
			            f->match[st] ? ", and fontconfig does not know it" : "");
		else
			hd_error_at(d, config, f->line, 0, hint,
			            "the %s face of the font family '%s' is not installed", style_names[st],
			            f->name);
		if (!rc)
			rc = HD_EFONT;
	}
	if (rc) {
		for (st = 0; st < HD_NSTYLES; st++) {
			free(files[st]);
			files[st] = NULL;
		}
	}
	return rc;
}
