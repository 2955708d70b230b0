/*
 * hd_diag_text and its table (src/util/diag_text.c): every problem a session
 * setter, hd_session_check or hd_session_write_xml reports, and the text a
 * sheet cannot print — every (code, field, detail) they can give — has
 * Spanish text, with its variable parts
 * put in; English is the diagnostic's own message, byte for byte; a
 * problem the table does not know falls back to English. A setter that
 * gains a problem with no Spanish text fails test_every_setter_problem_in_spanish
 * once the corpus below has a value that causes it (and
 * tests/tools/check_diag_text.py fails at once when its detail is new).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "handout.h"
#include "util.h"


/* The fields of hd_session_set (include/handout.h). */
static const char *const fields[] = { "client_id", "client", "email", "date", "time",
	"therapist", "language", "size", "paper", "techniques", "areas", "pressure", "pain_before",
	"pain_after", "notes", "tips", "next_visit" };

/* Values each field refuses, one for every way it refuses one. */
static const struct {
	const char *field, *value;
} bad[] = {
	{ "client_id", "../c-1" },
	{ "client", "" },
	{ "client", " \xc2\xa0 " }, /* a no-break space only */
	{ "client", "Nombre muy largo Nombre muy largo Nombre muy largo Nombre muy largo Nombre "
	            "muy largo Nombre muy largo Nombre" },
	{ "email", "zoe@" },
	{ "email", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	           "@example.org" },
	{ "date", "20/11/2026" },
	{ "date", "1800-01-01" },
	{ "date", "2026-13-01" },
	{ "date", "2026-02-30" },
	{ "time", "25:00" },
	{ "therapist", "" },
	{ "therapist", "Terapeuta con un nombre larguísimo Terapeuta con un nombre larguísimo "
	               "Terapeuta con un nombre larguísimo" },
	{ "language", "fr" },
	{ "size", "huge" },
	{ "paper", "a3" },
	{ "techniques", "Swedish!" },
	{ "techniques", "swedish swedish" },
	{ "techniques", "swedsh" },
	{ "techniques", "zzzzzzzzzzzz" },
	{ "techniques", "knee-to-chest" },
	{ "areas", "lumbar-lft" },
	{ "areas", "zzzzzzzzzzzz" },
	{ "areas", "neck neck" },
	{ "pressure", "hard" },
	{ "pain_before", "-1" },
	{ "pain_after", "12" },
	{ "tips", "Knee!" },
	{ "tips", "drink-water; drink-water" },
	{ "tips", "knee-to-chst" },
	{ "tips", "zzzzzzzzzzzz" },
	{ "tips", "swedish" },
	{ "tips", "knee-to-chest: Mantener treinta segundos, tres veces al día, por la mañana, a "
	          "mediodía y por la noche, sin forzar nunca la espalda ni las rodillas" },
	{ "next_visit", "pronto" },
	{ "next_visit", "1800-01-01" },
	{ "next_visit", "2026-13-01T10:00" },
	{ "next_visit", "2026-02-30" },
	{ "next_visit", "2026-12-04T24:00" },
	{ "nonsense", "x" }, /* not a field: the session's own problem */
};

/* (code, field, detail) seen, to check the corpus reaches every entry. */
static struct seen {
	int code;
	char field[32], detail[24];
} seen[128];
static size_t nseen;

static void saw(const hd_diag *g)
{
	size_t i;
	for (i = 0; i < nseen; i++)
		if (seen[i].code == g->code && !strcmp(seen[i].field, g->field) &&
		    !strcmp(seen[i].detail, g->detail))
			return;
	assert_true(nseen < sizeof(seen) / sizeof(seen[0]));
	seen[nseen].code = g->code;
	snprintf(seen[nseen].field, sizeof(seen[nseen].field), "%s", g->field);
	snprintf(seen[nseen].detail, sizeof(seen[nseen].detail), "%s", g->detail);
	nseen++;
}

/* Every error in d: a detail, Spanish text with nothing left unfilled, and
 * English as it was. Returns the number of errors. */
static size_t check_spanish(const hd_diags *d, const char *what)
{
	size_t i, n = 0;
	for (i = 0; i < d->count; i++) {
		const hd_diag *g = &d->items[i];
		hd_diag_words es, en;
		if (g->severity != HD_ERROR)
			continue;
		n++;
		saw(g);
		assert_int_equal(hd_diag_text(&en, g, "en"), HD_OK);
		assert_string_equal(en.message, g->message);
		assert_string_equal(en.hint, g->hint);
		assert_int_equal(en.translated, 1);
		assert_int_equal(hd_diag_text(&es, g, "es"), HD_OK);
		if (!g->detail[0] || !es.translated)
			fail_msg("%s: no Spanish for (%s, '%s', '%s'): %s", what,
			         hd_diag_code_name(g->code), g->field, g->detail, g->message);
		assert_string_not_equal(es.message, g->message);
		assert_null(strchr(es.message, '{'));
		assert_null(strchr(es.hint, '{'));
		/* a sentence: a capital (or a quote, or a number) first, a full stop or a question last */
		assert_true(strlen(es.message) > 2);
		assert_true(strchr(".?", es.message[strlen(es.message) - 1]) != NULL);
	}
	return n;
}

static void test_every_setter_problem_in_spanish(void **state)
{
	size_t i, k;
	(void)state;

	nseen = 0;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		int found = 0;
		assert_true(hd_session_field_known(fields[i]));
		assert_non_null(hd_diag_field_label(fields[i], "es"));
		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
			found |= !strcmp(bad[k].field, fields[i]);
		/* notes are any text; the setter refuses none (add_note below) */
		if (strcmp(fields[i], "notes"))
			assert_true(found);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hd_session *s = NULL;
		hd_diags d = HD_DIAGS_INIT;
		assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
		assert_int_not_equal(hd_session_set(s, bad[i].field, bad[i].value, &d), HD_OK);
		if (check_spanish(&d, bad[i].value) == 0)
			fail_msg("'%s' for %s was not refused", bad[i].value, bad[i].field);
		hd_diags_free(&d);
		hd_session_free(s);
	}
	{
		/* what only the typed setters and the checks of a whole session say */
		hd_session *s = NULL;
		hd_diags d = HD_DIAGS_INIT;
		char *xml = NULL;
		assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
		assert_int_equal(hd_session_add_tip(s, "knee-to-chest", " ", &d), HD_EINPUT);
		assert_int_equal(hd_session_add_note(s, "  ", &d), HD_EINPUT);
		assert_int_equal(hd_session_check(s, HD_KIND_AFTERCARE, &d), HD_EINPUT);
		assert_int_equal(hd_session_set(s, "date", "2026-11-20", &d), HD_OK);
		assert_int_equal(hd_session_set(s, "next_visit", "2026-11-01", &d), HD_OK);
		assert_int_equal(hd_session_check(s, HD_KIND_AFTERCARE, &d), HD_EINPUT);
		check_spanish(&d, "the whole session");
		hd_diags_free(&d);
		assert_int_equal(hd_session_set(s, "client", "Zo\x01\xc3\xab", &d), HD_OK);
		assert_int_equal(hd_session_set(s, "therapist", "Mar\xc3\xad" "a", &d), HD_OK);
		assert_int_equal(hd_session_set(s, "next_visit", "", &d), HD_OK);
		assert_int_equal(hd_session_set(s, "techniques", "swedish", &d), HD_OK);
		assert_int_equal(hd_session_set(s, "areas", "neck", &d), HD_OK);
		assert_int_equal(hd_session_write_xml(&xml, NULL, s, &d), HD_EINPUT);
		assert_null(xml);
		assert_int_equal(check_spanish(&d, "write_xml"), 1);
		hd_diags_free(&d);
		hd_session_free(s);
	}
	{
		/* text the sheet cannot print: found when it is laid out */
		static const char *const names[] = { "\xe6\x9d\x8e Xiaolong", /* 李: no glyph */
			"\xe2\x80\xae evil" /* U+202E: right-to-left */ };
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			hd_session *s = NULL;
			hd_diags d = HD_DIAGS_INIT;
			hd_output out;
			assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
			assert_int_equal(hd_session_set(s, "client", names[i], &d), HD_OK);
			assert_int_equal(hd_session_set(s, "date", "2026-11-20", &d), HD_OK);
			assert_int_equal(hd_session_set(s, "therapist", "Mar\xc3\xad" "a", &d), HD_OK);
			assert_int_equal(hd_session_set(s, "techniques", "swedish", &d), HD_OK);
			assert_int_equal(hd_session_set(s, "areas", "neck", &d), HD_OK);
			assert_int_equal(hd_render(&out, hd_test_engine, HD_KIND_AFTERCARE, s, NULL, &d), HD_EINPUT);
			assert_true(check_spanish(&d, names[i]) >= 1);
			hd_diags_free(&d);
			hd_session_free(s);
		}
	}
	{
		/* what hd_mail_new finds wrong: the address (the setter takes any
		 * shape of one), none at all, the password for the PDF */
		static const char pdf[] = "%PDF-1.4\n%%EOF\n";
		static const struct {
			const char *email, *password;
		} mails[] = {
			{ "zo\xc3\xab@example.org", NULL },
			{ NULL, NULL },
			{ "zoe@example.org", "" },
			{ "zoe@example.org", "\xff\xfe" },
			{ "zoe@example.org", "pass\tword" },
			{ "zoe@example.org", "0123456789012345678901234567890123456789012345678901234567890123"
			                     "0123456789012345678901234567890123456789012345678901234567890123" },
		};
		for (i = 0; i < sizeof(mails) / sizeof(mails[0]); i++) {
			hd_session *s = NULL;
			hd_diags d = HD_DIAGS_INIT;
			hd_mail *m = NULL;
			hd_mail_options mo = HD_MAIL_OPTIONS_INIT;
			mo.password = mails[i].password;
			assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
			assert_int_equal(hd_session_set(s, "client", "Zo\xc3\xab", &d), HD_OK);
			if (mails[i].email)
				assert_int_equal(hd_session_set(s, "email", mails[i].email, &d), HD_OK);
			assert_int_equal(hd_mail_new(&m, hd_test_engine, s, (const unsigned char *)pdf, sizeof(pdf) - 1,
			                             &mo, &d), HD_EINPUT);
			assert_null(m);
			assert_int_equal(check_spanish(&d, mails[i].email ? mails[i].email : "no email"), 1);
			hd_diags_free(&d);
			hd_session_free(s);
		}
	}
	{
		/* a message the mail server did not take: here, nobody listens */
		static const char pdf[] = "%PDF-1.4\n%%EOF\n";
		hd_session *s = NULL;
		hd_diags d = HD_DIAGS_INIT;
		hd_mail *m = NULL;
		hd_mail_options mo = HD_MAIL_OPTIONS_INIT;
		hd_smtp_options so = HD_SMTP_OPTIONS_INIT;
		hd_smtp_reply reply;
		hd_diag_words w;
		so.url = "smtp://127.0.0.1:1";
		so.timeout = 10;
		assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
		assert_int_equal(hd_session_set(s, "client", "Zo\xc3\xab", &d), HD_OK);
		assert_int_equal(hd_session_set(s, "email", "zoe@example.org", &d), HD_OK);
		assert_int_equal(hd_mail_new(&m, hd_test_engine, s, (const unsigned char *)pdf, sizeof(pdf) - 1, &mo,
		                             &d), HD_OK);
		assert_int_equal(hd_mail_send(&reply, m, &so, &d), HD_ESEND);
		assert_int_equal(check_spanish(&d, "not sent"), 1);
		assert_int_equal(hd_diag_text(&w, &d.items[d.count - 1], "es"), HD_OK);
		assert_non_null(strstr(w.message, "La hoja no se envi\xc3\xb3. El servidor de correo dijo: \xc2\xab"));
		hd_mail_free(m);
		hd_diags_free(&d);
		hd_session_free(s);
	}
	{
		/* past the cap: "N more errors not shown" */
		hd_session *s = NULL;
		hd_diags d = HD_DIAGS_INIT;
		hd_diag_words w;
		assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
		for (i = 0; i < HD_DIAGS_MAX_ERRORS + 3; i++)
			hd_session_set(s, "areas", "nowhere", &d);
		check_spanish(&d, "the cap");
		assert_int_equal(hd_diag_text(&w, &d.items[d.count - 1], "es"), HD_OK);
		assert_string_equal(w.message, "Hay más errores que no se muestran: 3.");
		hd_diags_free(&d);
		hd_session_free(s);
	}
	/* the other way: every entry of the table for a session field is
	 * reached by the corpus, so the corpus is as complete as the table */
	for (i = 0; i < hd_diag_message_count(); i++) {
		const hd_diag_message *m = hd_diag_message_at(i);
		int reached = 0;
		/* any field: a safety net for fields to come; no field: the
		 * session's, the sheet's and sending's own, reached above where a
		 * unit test can (a mail server's refusals are test_mail's) */
		if (!m->field || !m->field[0])
			continue;
		for (k = 0; k < nseen; k++)
			reached |= seen[k].code == m->code && !strcmp(seen[k].field, m->field) &&
			           !strcmp(seen[k].detail, m->detail);
		if (!reached)
			fail_msg("no value in the corpus gives (%s, '%s', '%s')", hd_diag_code_name(m->code),
			         m->field, m->detail);
	}
}

/* Every way hd_email_problem refuses an address has a key and Spanish
 * words for it. */
static void test_email_problems(void **state)
{
	static const char *const bad_addr[] = { "", "a\tb@x.org", "zo\xc3\xab@x.org", "a b@x.org",
		"ab.x.org", "@x.org", ".a@x.org", "a(b@x.org", "a@", "a@x", "a@x_y.org", "a@x..org",
		"a@-x.org", "a@x.123",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@x.org",
		"a@xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.org" };
	const char *keys[32];
	char longest[300];
	size_t i, k, nkeys = 0;
	(void)state;

	memset(longest, 'a', 260);
	memcpy(longest + 250, "@x.org", 7);
	for (i = 0; i <= sizeof(bad_addr) / sizeof(bad_addr[0]); i++) {
		const char *addr = i < sizeof(bad_addr) / sizeof(bad_addr[0]) ? bad_addr[i] : longest;
		const char *why = hd_email_problem(addr), *key;
		hd_diag g;
		hd_diag_words w;
		int known = 0;
		assert_non_null(why);
		key = hd_email_problem_key(why);
		if (!key)
			fail_msg("no key for \"%s\" (%s)", why, addr);
		for (k = 0; k < nkeys; k++)
			known |= !strcmp(keys[k], key);
		if (!known)
			keys[nkeys++] = key;
		memset(&g, 0, sizeof(g));
		g.severity = HD_ERROR;
		g.code = HD_DIAG_BAD_VALUE;
		snprintf(g.field, sizeof(g.field), "email");
		snprintf(g.detail, sizeof(g.detail), "address");
		snprintf(g.args[0], sizeof(g.args[0]), "%.100s", *addr ? addr : "-"); /* words under test: arg 2 */
		snprintf(g.args[1], sizeof(g.args[1]), "%s", key);
		snprintf(g.message, sizeof(g.message), "%s", why);
		assert_int_equal(hd_diag_text(&w, &g, "es"), HD_OK);
		if (!w.translated)
			fail_msg("no Spanish for the email problem '%s'", key);
	}
	assert_int_equal(nkeys, 17); /* every phrase of hd_email_problem */
	assert_null(hd_email_problem_key("it has no at sign"));
	assert_null(hd_email_problem_key(NULL));
}

/* The text of one refused value in Spanish. */
static void spanish_of(const char *field, const char *value, const char *message, const char *hint)
{
	hd_session *s = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_diag_words w;
	assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
	assert_int_not_equal(hd_session_set(s, field, value, &d), HD_OK);
	assert_true(d.count >= 1);
	assert_int_equal(hd_diag_text(&w, &d.items[0], "es"), HD_OK);
	assert_int_equal(w.translated, 1);
	assert_string_equal(w.message, message);
	assert_string_equal(w.hint, hint);
	hd_diags_free(&d);
	hd_session_free(s);
}

static void test_exact_spanish(void **state)
{
	(void)state;
	spanish_of("pain_after", "12", "Dolor después: «12» no es una puntuación de dolor.",
	           "Use un número entero del 0 (sin dolor) al 10 (el peor dolor imaginable).");
	spanish_of("date", "2026-02-30", "La fecha 2026-02-30 no existe: febrero de 2026 tiene 28 días.",
	           "Revise el día del mes.");
	spanish_of("date", "2028-02-30", "La fecha 2028-02-30 no existe: febrero de 2028 tiene 29 días.",
	           "Revise el día del mes.");
	spanish_of("techniques", "swedsh",
	           "La técnica «swedsh» no está en la biblioteca. ¿Quería decir «swedish»?",
	           "La lista completa de identificadores sale con «handout list».");
	spanish_of("tips", "swedish", "«swedish» no es un consejo ni un ejercicio: es una técnica.", "");
	spanish_of("pressure", "hard", "«hard» no es una presión.", "Use light, medium, firm o deep.");
	spanish_of("client",
	           "Nombre muy largo Nombre muy largo Nombre muy largo Nombre muy largo Nombre muy "
	           "largo Nombre muy largo Nombre",
	           "El nombre del cliente tiene 108 caracteres; el máximo es 100.",
	           "Acórtelo: se imprime en el título, «Cuidados para ...».");
}

static void test_english_and_fallback(void **state)
{
	hd_diag g;
	hd_diag_words w;
	(void)state;

	memset(&g, 0, sizeof(g));
	g.severity = HD_ERROR;
	g.code = HD_DIAG_BAD_VALUE;
	snprintf(g.field, sizeof(g.field), "pain_after");
	snprintf(g.message, sizeof(g.message), "'12' is not a pain score");
	snprintf(g.hint, sizeof(g.hint), "use a whole number");
	/* no detail: the English, not translated */
	assert_int_equal(hd_diag_text(&w, &g, "es"), HD_OK);
	assert_string_equal(w.message, "'12' is not a pain score");
	assert_string_equal(w.hint, "use a whole number");
	assert_int_equal(w.translated, 0);
	/* a detail the table does not know, a language it does not know */
	snprintf(g.detail, sizeof(g.detail), "no-such-detail");
	assert_int_equal(hd_diag_text(&w, &g, "es"), HD_OK);
	assert_int_equal(w.translated, 0);
	snprintf(g.detail, sizeof(g.detail), "pain");
	snprintf(g.args[0], sizeof(g.args[0]), "12");
	assert_int_equal(hd_diag_text(&w, &g, "fr"), HD_OK);
	assert_string_equal(w.message, "'12' is not a pain score");
	assert_int_equal(w.translated, 0);
	/* English and NULL: the diagnostic's own, as the CLI prints it */
	assert_int_equal(hd_diag_text(&w, &g, "en"), HD_OK);
	assert_string_equal(w.message, "'12' is not a pain score");
	assert_int_equal(w.translated, 1);
	assert_int_equal(hd_diag_text(&w, &g, NULL), HD_OK);
	assert_int_equal(w.translated, 1);
	assert_int_equal(hd_diag_text(&w, &g, "es"), HD_OK);
	assert_string_equal(w.message, "Dolor después: «12» no es una puntuación de dolor.");
	/* an arg the template needs is empty: English rather than a hole */
	g.args[0][0] = '\0';
	assert_int_equal(hd_diag_text(&w, &g, "es"), HD_OK);
	assert_string_equal(w.message, "'12' is not a pain score");
	assert_int_equal(w.translated, 0);
	/* a field the table has no label for, in a template for any field */
	g.code = HD_DIAG_MISSING;
	snprintf(g.detail, sizeof(g.detail), "missing");
	snprintf(g.field, sizeof(g.field), "shoe_size");
	assert_int_equal(hd_diag_text(&w, &g, "es"), HD_OK);
	assert_int_equal(w.translated, 0);
	snprintf(g.field, sizeof(g.field), "time");
	assert_int_equal(hd_diag_text(&w, &g, "es"), HD_OK);
	assert_string_equal(w.message, "Falta un dato: Hora.");
	assert_int_equal(w.translated, 1);
	/* bad arguments */
	assert_int_equal(hd_diag_text(NULL, &g, "es"), HD_EINVAL);
	assert_int_equal(hd_diag_text(&w, NULL, "es"), HD_EINVAL);
	assert_string_equal(w.message, "");
}

/* A long refused value is kept whole in the English (200 bytes) and cut on
 * a UTF-8 boundary in the args. */
static void test_long_value(void **state)
{
	char value[401];
	hd_session *s = NULL;
	hd_diags d = HD_DIAGS_INIT;
	hd_diag_words w;
	size_t i;
	(void)state;
	for (i = 0; i < 200; i++)
		memcpy(value + 2 * i, "\xc3\xa9", 2); /* é */
	value[400] = '\0';
	assert_int_equal(hd_session_new(&s, hd_test_engine), HD_OK);
	assert_int_equal(hd_session_set(s, "time", value, &d), HD_EINPUT);
	assert_int_equal(strlen(d.items[0].args[0]), 126);
	assert_int_equal(hd_diag_text(&w, &d.items[0], "es"), HD_OK);
	assert_int_equal(w.translated, 1);
	assert_true(strlen(w.message) < sizeof(w.message));
	hd_diags_free(&d);
	hd_session_free(s);
}

/* Every template fills with plausible args; no key is listed twice; every
 * field named has a label. */
static void test_table_well_formed(void **state)
{
	size_t i, k;
	(void)state;
	assert_true(hd_diag_message_count() > 40);
	assert_null(hd_diag_message_at(hd_diag_message_count()));
	for (i = 0; i < hd_diag_message_count(); i++) {
		const hd_diag_message *m = hd_diag_message_at(i);
		hd_diag g;
		char out[512];
		assert_true(m->code >= 0 && m->code < HD_DIAG_CODE_COUNT);
		assert_true(m->detail[0] && strlen(m->detail) < sizeof(g.detail));
		assert_string_equal(m->lang, "es");
		if (m->field && m->field[0])
			assert_non_null(hd_diag_field_label(m->field, m->lang));
		for (k = 0; k < i; k++) {
			const hd_diag_message *o = hd_diag_message_at(k);
			int same_field = (!o->field && !m->field) ||
			                 (o->field && m->field && !strcmp(o->field, m->field));
			if (o->code == m->code && same_field && !strcmp(o->detail, m->detail) &&
			    !strcmp(o->lang, m->lang))
				fail_msg("(%s, %s, %s) is listed twice", hd_diag_code_name(m->code),
				         m->field ? m->field : "*", m->detail);
		}
		memset(&g, 0, sizeof(g));
		snprintf(g.field, sizeof(g.field), "%s", m->field ? m->field : "date");
		snprintf(g.args[0], sizeof(g.args[0]), "2");
		snprintf(g.args[1], sizeof(g.args[1]), "%s",
		         strstr(m->message, "{kind:2}")                 ? "exercise"
		         : strstr(m->message, "{email:2}")              ? "no-at"
		         : strstr(m->hint ? m->hint : "", "{or:2}")     ? "a|b|c"
		                                                        : "2");
		snprintf(g.args[2], sizeof(g.args[2]), "2026");
		snprintf(g.args[3], sizeof(g.args[3]), "28");
		if (!hd_diag_fill(out, sizeof(out), m->message, &g, m->lang))
			fail_msg("the message of (%s, %s) does not fill: %s", m->field ? m->field : "*",
			         m->detail, m->message);
		assert_null(strchr(out, '{'));
		if (m->hint && !hd_diag_fill(out, sizeof(out), m->hint, &g, m->lang))
			fail_msg("the hint of (%s, %s) does not fill: %s", m->field ? m->field : "*",
			         m->detail, m->hint);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_setter_problem_in_spanish),
		cmocka_unit_test(test_exact_spanish),
		cmocka_unit_test(test_email_problems),
		cmocka_unit_test(test_english_and_fallback),
		cmocka_unit_test(test_long_value),
		cmocka_unit_test(test_table_well_formed),
	};
	return cmocka_run_group_tests(tests, hd_test_setup, hd_test_teardown);
}
