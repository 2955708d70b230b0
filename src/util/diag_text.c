/*
 * diag_text: hd_diag_text, a diagnostic worded for a person in another
 * language than the English it is made in. The wording is data: one table of
 * messages keyed by (code, field, detail) below, the fields' names as the
 * desk's form labels them, and a few word lists (months, kinds of entry).
 * It is compiled in, not read from the data folder, so that a problem is
 * worded even when the data folder is the problem, without allocating.
 *
 * English is never in the table: a diagnostic's own message and hint are
 * the English, byte for byte (the CLI and its tests print those). A
 * diagnostic the table has no text for is given in English rather than not
 * at all.
 *
 * Templates: {1}..{4} are the diagnostic's args; {label} is the field's
 * name as the form labels it; {month:N} the name of month number argN;
 * {or:N} argN, a '|'-separated list of choices, as "a, b o c"; {LIST:N}
 * argN's word in one of the language's word lists: {kind:N} the kind of
 * library entry argN with its article ("un ejercicio"), {email:N} what is
 * wrong with an email address (hd_email_problem_key).
 * tests/unit/test_diag_text.c checks that every problem a session setter
 * reports has Spanish text here, and that every template is well formed.
 */
#include "util.h"

#include <stdio.h>
#include <string.h>

/* Field names as the desk's form labels them (src/serve/web/strings.txt). */
static const hd_diag_label es_labels[] = {
	{ "client", "Nombre del cliente" },
	{ "client_id", "Número de cliente" },
	{ "email", "Correo del cliente" },
	{ "date", "Fecha" },
	{ "time", "Hora" },
	{ "therapist", "Terapeuta" },
	{ "language", "Idioma de la hoja" },
	{ "size", "Letra grande" },
	{ "paper", "Papel" },
	{ "techniques", "Técnicas" },
	{ "areas", "Zonas trabajadas" },
	{ "pressure", "Presión" },
	{ "pain_before", "Dolor antes" },
	{ "pain_after", "Dolor después" },
	{ "notes", "Notas para el cliente" },
	{ "tips", "Consejos y ejercicios" },
	{ "next_visit", "Próxima visita" },
};

static const char *const es_months[12] = { "enero", "febrero", "marzo", "abril", "mayo", "junio",
	"julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre" };

/* The kinds of library entry (src/model/vocab.c, hd_entry_kinds), with
 * their article. */
static const hd_diag_label es_kinds[] = {
	{ "anatomy", "una entrada de anatomía" },
	{ "cause", "una causa" },
	{ "benefit", "un beneficio" },
	{ "technique", "una técnica" },
	{ "before", "un consejo para antes de la sesión" },
	{ "selfcare", "un consejo para casa" },
	{ "exercise", "un ejercicio" },
	{ "precaution", "una precaución" },
	{ "warning-sign", "una señal de alarma" },
	{ "disclaimer", "un aviso" },
};

#define ES(code, field, detail, message, hint) { HD_DIAG_##code, field, detail, "es", message, hint }

/* Shared wordings. */
#define ES_DATE_SHAPE "Escriba la fecha como AAAA-MM-DD; por ejemplo, 2026-11-20."
#define ES_DATETIME_SHAPE "Escriba AAAA-MM-DD o AAAA-MM-DDTHH:MM; por ejemplo, 2026-12-04T10:30."
#define ES_LIST "La lista completa de identificadores sale con «handout list»."
#define ES_ID_SHAPE "Los identificadores usan minúsculas, cifras y «-»; por ejemplo, deep-tissue."
#define ES_PAIN "Use un número entero del 0 (sin dolor) al 10 (el peor dolor imaginable)."
#define ES_BLANK "Escríbalo; los espacios, también los invisibles, no cuentan."
#define ES_PASSWORD "Elija una contraseña de caracteres que se puedan escribir; 12 o más está bien."

/* The messages, by (code, field, detail). field NULL: any field (the
 * template then names it with {label}); "": no field. A field's own entry
 * comes before the one for any field. */
static const hd_diag_message messages[] = {
	/* client: the client's name */
	ES(EMPTY, "client", "empty", "El nombre del cliente está vacío.", ES_BLANK),
	ES(MISSING, "client", "missing", "Falta el nombre del cliente.", "Escriba el nombre del cliente."),
	ES(TOO_LONG, "client", "too-long", "El nombre del cliente tiene {1} caracteres; el máximo es {2}.",
	   "Acórtelo: se imprime en el título, «Cuidados para ...»."),
	/* client_id */
	ES(BAD_VALUE, "client_id", "client-id", "«{1}» no es un número de cliente válido.",
	   "Use hasta 64 letras, cifras, «.», «_» o «-», empezando por una letra o una cifra; "
	   "por ejemplo, c-0042."),
	/* email */
	ES(TOO_LONG, "email", "too-long", "El correo del cliente tiene {1} caracteres; el máximo es {2}.",
	   "Una dirección de correo tiene como mucho 254 caracteres; revísela."),
	ES(BAD_VALUE, "email", "email", "«{1}» no es una dirección de correo.",
	   "Escríbala así: nombre@ejemplo.org"),
	/* date */
	ES(BAD_DATE, "date", "shape", "«{1}» no es una fecha.", ES_DATE_SHAPE),
	ES(BAD_DATE, "date", "year", "La fecha {1} no parece correcta (año {2}).", "Revise el año."),
	ES(BAD_DATE, "date", "month", "La fecha {1} no existe: no hay mes {2}.", ES_DATE_SHAPE),
	ES(BAD_DATE, "date", "day", "La fecha {1} no existe: {month:2} de {3} tiene {4} días.",
	   "Revise el día del mes."),
	ES(MISSING, "date", "missing", "Falta la fecha de la sesión.",
	   "Escriba la fecha como AAAA-MM-DD."),
	/* time */
	ES(BAD_VALUE, "time", "time", "La hora «{1}» no es válida.",
	   "Escriba la hora de 00:00 a 23:59, como HH:MM; por ejemplo, 09:30."),
	/* therapist */
	ES(EMPTY, "therapist", "empty", "El nombre del terapeuta está vacío.", ES_BLANK),
	ES(MISSING, "therapist", "missing", "Falta el nombre del terapeuta.",
	   "Escriba el nombre del terapeuta."),
	ES(TOO_LONG, "therapist", "too-long",
	   "El nombre del terapeuta tiene {1} caracteres; el máximo es {2}.",
	   "Acórtelo: se imprime junto a la fecha."),
	/* language, size, paper, pressure: one of a list */
	ES(BAD_VALUE, "language", "choice", "«{1}» no es un idioma disponible para la hoja.", "Use {or:2}."),
	ES(BAD_VALUE, "size", "choice", "«{1}» no es un tamaño de letra.", "Use {or:2}."),
	ES(BAD_VALUE, "paper", "choice", "«{1}» no es un tamaño de papel.", "Use {or:2}."),
	ES(BAD_VALUE, "pressure", "choice", "«{1}» no es una presión.", "Use {or:2}."),
	/* techniques */
	ES(BAD_VALUE, "techniques", "id", "«{1}» no es un identificador de técnica.", ES_ID_SHAPE),
	ES(DUPLICATE, "techniques", "duplicate", "La técnica «{1}» está dos veces.",
	   "Indíquela una sola vez."),
	ES(UNKNOWN_REF, "techniques", "not-found", "La técnica «{1}» no está en la biblioteca.", ES_LIST),
	ES(UNKNOWN_REF, "techniques", "did-you-mean",
	   "La técnica «{1}» no está en la biblioteca. ¿Quería decir «{2}»?", ES_LIST),
	ES(UNKNOWN_REF, "techniques", "wrong-kind", "«{1}» no es una técnica: es {kind:2}.", NULL),
	ES(MISSING, "techniques", "missing", "Falta al menos una técnica.",
	   "Indique al menos una técnica."),
	/* areas */
	ES(BAD_VALUE, "areas", "did-you-mean", "«{1}» no es una zona del cuerpo.", "¿Quería decir «{2}»?"),
	ES(BAD_VALUE, "areas", "not-found", "«{1}» no es una zona del cuerpo.",
	   "Las zonas están en la lista de xml/schema/session.rng."),
	ES(DUPLICATE, "areas", "duplicate", "La zona «{1}» está dos veces.",
	   "Indique cada zona una sola vez."),
	ES(MISSING, "areas", "missing", "Falta al menos una zona trabajada.",
	   "Indique al menos una zona trabajada."),
	/* pain */
	ES(BAD_VALUE, "pain_before", "pain", "Dolor antes: «{1}» no es una puntuación de dolor.", ES_PAIN),
	ES(BAD_VALUE, "pain_after", "pain", "Dolor después: «{1}» no es una puntuación de dolor.", ES_PAIN),
	/* notes */
	ES(EMPTY, "notes", "empty", "Un párrafo de las notas está vacío.",
	   "Escriba el texto, o quite el párrafo."),
	/* tips: self-care tips and exercises, with their doses */
	ES(BAD_VALUE, "tips", "id", "«{1}» no es un identificador de consejo o ejercicio.", ES_ID_SHAPE),
	ES(DUPLICATE, "tips", "duplicate", "El consejo «{1}» está dos veces.", "Indíquelo una sola vez."),
	ES(UNKNOWN_REF, "tips", "not-found", "El consejo «{1}» no está en la biblioteca.", ES_LIST),
	ES(UNKNOWN_REF, "tips", "did-you-mean",
	   "El consejo «{1}» no está en la biblioteca. ¿Quería decir «{2}»?", ES_LIST),
	ES(UNKNOWN_REF, "tips", "wrong-kind", "«{1}» no es un consejo ni un ejercicio: es {kind:2}.", NULL),
	ES(TOO_LONG, "tips", "too-long", "La dosis de «{3}» tiene {1} caracteres; el máximo es {2}.",
	   "Acórtela: una dosis es una instrucción breve; por ejemplo, «Mantener 30 s, 3 veces al día»."),
	ES(EMPTY, "tips", "dose-empty", "La dosis de «{1}» está vacía.",
	   "Escriba la dosis, o quítela para usar la habitual."),
	/* next_visit */
	ES(BAD_DATE, "next_visit", "shape-time", "Próxima visita: «{1}» no es una fecha.",
	   ES_DATETIME_SHAPE),
	ES(BAD_DATE, "next_visit", "year", "La fecha de la próxima visita, {1}, no parece correcta (año {2}).",
	   "Revise el año."),
	ES(BAD_DATE, "next_visit", "month-time", "La fecha de la próxima visita, {1}, no existe: no hay mes {2}.",
	   ES_DATETIME_SHAPE),
	ES(BAD_DATE, "next_visit", "day",
	   "La fecha de la próxima visita, {1}, no existe: {month:2} de {3} tiene {4} días.",
	   "Revise el día del mes."),
	ES(BAD_DATE, "next_visit", "time", "La hora de la próxima visita, {1}, no existe.",
	   "Use una hora de 00:00 a 23:59."),
	ES(DATE_ORDER, "next_visit", "date-order", "La próxima visita ({1}) es anterior a esta sesión.",
	   "Revise las fechas."),
	/* email: what hd_mail_new finds wrong with the client's address, and
	 * with the password for the PDF (not a session field: no field) */
	ES(BAD_VALUE, "email", "address", "No se puede enviar la hoja a «{1}»: {email:2}.",
	   "Corrija el correo del cliente: una sola dirección, como zoe@ejemplo.org."),
	ES(MISSING, "email", "no-address", "El cliente no tiene correo: no hay a quién enviar la hoja.",
	   "Escriba el correo del cliente."),
	ES(NONE, "", "password-empty", "La contraseña del PDF no se puede usar: está vacía.", ES_PASSWORD),
	ES(NONE, "", "password-too-long",
	   "La contraseña del PDF no se puede usar: es demasiado larga (un PDF admite como mucho 127 "
	   "bytes, y una letra con tilde ocupa 2).", ES_PASSWORD),
	ES(NONE, "", "password-not-utf8", "La contraseña del PDF no se puede usar: no es texto UTF-8.",
	   ES_PASSWORD),
	ES(NONE, "", "password-control",
	   "La contraseña del PDF no se puede usar: tiene un carácter de control (un tabulador, un "
	   "salto de línea...).", ES_PASSWORD),
	/* sending: the mail server's own words ({1}) cannot be translated */
	ES(NONE, "", "not-sent-later", "La hoja no se envió. El servidor de correo dijo: «{1}».",
	   "No se entregó nada; inténtelo más tarde (el servidor o la red pueden estar ocupados)."),
	ES(NONE, "", "not-sent-refused", "La hoja no se envió. El servidor de correo dijo: «{1}».",
	   "El servidor la rechazó: revise la dirección, el usuario y la contraseña, y el servidor."),
	ES(NONE, "", "not-sent-starttls", "La hoja no se envió. El servidor de correo dijo: «{1}».",
	   "El servidor no ofrece STARTTLS, y handout solo envía sin cifrar a este mismo equipo: "
	   "use smtps:// o un servidor con STARTTLS."),
	ES(NONE, "", "not-sent-certificate", "La hoja no se envió. El servidor de correo dijo: «{1}».",
	   "No se pudo verificar el certificado del servidor: indique su CA con --smtp-ca ARCHIVO."),
	ES(NONE, "", "not-sent-login", "La hoja no se envió. El servidor de correo dijo: «{1}».",
	   "Revise el usuario y la contraseña."),
	/* the session as a whole */
	ES(BAD_VALUE, "", "field", "«{1}» no es un campo de la sesión.",
	   "Los campos son client_id, client, email, date, time, therapist, language, size, paper, "
	   "techniques, areas, pressure, pain_before, pain_after, notes, tips y next_visit."),
	ES(ENCODING, "", "encoding",
	   "La sesión tiene texto que no es UTF-8 o que lleva caracteres de control.",
	   "Vuelva a escribir el texto, sin caracteres de control."),
	ES(RENDER, "", "right-to-left",
	   "El texto que se escribe de derecha a izquierda aún no se puede imprimir (saldría al "
	   "revés): «{3}».",
	   "Escríbalo en letras latinas (un nombre, en su transliteración habitual), o quítelo."),
	ES(RENDER, "", "no-glyph", "El tipo de letra de la hoja no tiene los caracteres {1} de «{2}».",
	   "Cambie esos caracteres, o elija un tipo de letra que los tenga (en <fonts> de la "
	   "plantilla, o una alternativa en fonts/fonts.xml)."),
	ES(NONE, "", "more-errors", "Hay más errores que no se muestran: {1}.",
	   "Solo se muestran los {2} primeros; corríjalos y vuelva a intentarlo."),
	/* any field: a field added later is still worded, by its label */
	ES(MISSING, NULL, "missing", "Falta un dato: {label}.", NULL),
	ES(EMPTY, NULL, "empty", "{label}: está vacío.", ES_BLANK),
	ES(TOO_LONG, NULL, "too-long", "{label}: tiene {1} caracteres; el máximo es {2}.", "Acórtelo."),
	ES(BAD_VALUE, NULL, "choice", "{label}: «{1}» no es un valor válido.", "Use {or:2}."),
	ES(DUPLICATE, NULL, "duplicate", "{label}: «{1}» está dos veces.", "Indíquelo una sola vez."),
	ES(BAD_DATE, NULL, "shape", "{label}: «{1}» no es una fecha.", ES_DATE_SHAPE),
	ES(BAD_DATE, NULL, "shape-time", "{label}: «{1}» no es una fecha.", ES_DATETIME_SHAPE),
};

/* What can be wrong with an email address (hd_email_problem_key). */
static const hd_diag_label es_email_problems[] = {
	{ "empty", "está vacío" },
	{ "too-long", "tiene más de 254 caracteres" },
	{ "control", "tiene un carácter de control (un salto de línea, un tabulador...)" },
	{ "not-ascii", "tiene un carácter que no es ASCII (una letra con tilde, una ñ...)" },
	{ "space", "tiene un espacio" },
	{ "no-at", "no tiene «@»" },
	{ "no-local", "no hay nada antes de la «@»" },
	{ "local-too-long", "la parte antes de la «@» tiene más de 64 caracteres" },
	{ "local-dot", "un punto antes de la «@» está al principio, al final o repetido" },
	{ "local-char", "la parte antes de la «@» tiene un carácter que una dirección no puede tener "
	                "(como «@», «<», «>», «,», «;», «:», «\"», «(», «)» o «\\»)" },
	{ "no-domain", "no hay nada después de la «@»" },
	{ "domain-no-dot", "el dominio, después de la «@», no tiene punto (ejemplo.org)" },
	{ "domain-char", "el dominio tiene un carácter que no es letra, cifra, «-» ni «.»" },
	{ "domain-empty-part", "el dominio tiene una parte vacía (dos puntos seguidos, o un punto al "
	                       "principio o al final)" },
	{ "domain-part-too-long", "una parte del dominio tiene más de 63 caracteres" },
	{ "domain-hyphen", "una parte del dominio empieza o acaba en «-»" },
	{ "domain-number", "el dominio acaba en un número, no en un nombre (ejemplo.org)" },
};

/* A named word list of a language, for {name:N}. */
typedef struct word_list {
	const char *name;
	const hd_diag_label *words;
	size_t count;
} word_list;

static const word_list es_lists[] = {
	{ "kind", es_kinds, HD_ARRAY_LEN(es_kinds) },
	{ "email", es_email_problems, HD_ARRAY_LEN(es_email_problems) },
};

/* The word lists of one language. */
typedef struct lang_words {
	const char *lang;
	const hd_diag_label *labels;
	size_t nlabels;
	const char *const *months;
	const word_list *lists;
	size_t nlists;
	const char *or_word; /* "a, b or c" */
} lang_words;

static const lang_words langs[] = {
	{ "es", es_labels, HD_ARRAY_LEN(es_labels), es_months, es_lists, HD_ARRAY_LEN(es_lists), " o " },
};

static const lang_words *find_lang(const char *lang)
{
	size_t i;
	for (i = 0; lang && i < HD_ARRAY_LEN(langs); i++)
		if (!strcmp(langs[i].lang, lang))
			return &langs[i];
	return NULL;
}

static const char *find_label(const hd_diag_label *l, size_t n, const char *key)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!strcmp(l[i].key, key))
			return l[i].text;
	return NULL;
}

size_t hd_diag_message_count(void)
{
	return HD_ARRAY_LEN(messages);
}

const hd_diag_message *hd_diag_message_at(size_t i)
{
	return i < HD_ARRAY_LEN(messages) ? &messages[i] : NULL;
}

const char *hd_diag_field_label(const char *field, const char *lang)
{
	const lang_words *w = find_lang(lang);
	return w && field ? find_label(w->labels, w->nlabels, field) : NULL;
}

const hd_diag_message *hd_diag_message_find(int code, const char *field, const char *detail,
                                            const char *lang)
{
	size_t i;
	const hd_diag_message *any = NULL;

	if (!detail || !lang)
		return NULL;
	field = field ? field : "";
	for (i = 0; i < HD_ARRAY_LEN(messages); i++) {
		const hd_diag_message *m = &messages[i];
		if (m->code != code || strcmp(m->detail, detail) || strcmp(m->lang, lang))
			continue;
		if (m->field && !strcmp(m->field, field))
			return m;
		if (!m->field && *field && !any)
			any = m;
	}
	return any;
}

/* Appends n bytes of s to out (size bytes, *o used); 0 when they do not fit. */
static int put(char *out, size_t size, size_t *o, const char *s, size_t n)
{
	if (*o + n >= size)
		return 0;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
	return 1;
}

/* The argument numbered by the digit at p ('1'..'4'), or NULL. */
static const char *arg_at(const hd_diag *g, char c)
{
	return c >= '1' && c < '1' + HD_DIAG_NARGS ? g->args[c - '1'] : NULL;
}

/* Fills tmpl into out from g. Returns 1, or 0 when a placeholder has no
 * value (an empty arg, a field without a label, an unknown month or kind)
 * or the text does not fit: the caller then keeps the English. */
int hd_diag_fill(char *out, size_t size, const char *tmpl, const hd_diag *g, const char *lang)
{
	const lang_words *w = find_lang(lang);
	size_t o = 0;
	const char *p = tmpl;

	if (!w || !size)
		return 0;
	out[0] = '\0';
	while (*p) {
		const char *open = strchr(p, '{'), *close, *v = NULL, *a;
		char name[16];
		size_t n;
		if (!open)
			return put(out, size, &o, p, strlen(p));
		if (!put(out, size, &o, p, (size_t)(open - p)))
			return 0;
		close = strchr(open, '}');
		n = close ? (size_t)(close - open - 1) : 0;
		if (!close || n == 0 || n >= sizeof(name))
			return 0;
		memcpy(name, open + 1, n);
		name[n] = '\0';
		if (!strcmp(name, "label")) {
			v = g->field[0] ? find_label(w->labels, w->nlabels, g->field) : NULL;
		} else if (n == 1) {
			v = arg_at(g, name[0]);
		} else if (n == 7 && !strncmp(name, "month:", 6) && (a = arg_at(g, name[6])) != NULL) {
			int m = 0;
			if (sscanf(a, "%d", &m) == 1 && m >= 1 && m <= 12)
				v = w->months[m - 1];
		} else if (n == 4 && !strncmp(name, "or:", 3) && (a = arg_at(g, name[3])) != NULL && *a) {
			/* "a|b|c" as "a, b o c" */
			while (*a) {
				const char *bar = strchr(a, '|');
				size_t len = bar ? (size_t)(bar - a) : strlen(a);
				const char *sep = !bar ? "" : strchr(bar + 1, '|') ? ", " : w->or_word;
				if (!put(out, size, &o, a, len) || !put(out, size, &o, sep, strlen(sep)))
					return 0;
				a = bar ? bar + 1 : a + len;
			}
			p = close + 1;
			continue;
		} else if (n > 2 && name[n - 2] == ':' && (a = arg_at(g, name[n - 1])) != NULL) {
			/* {list:N}: argN's word in the named list */
			size_t k;
			for (k = 0; k < w->nlists; k++)
				if (strlen(w->lists[k].name) == n - 2 && !strncmp(w->lists[k].name, name, n - 2))
					v = find_label(w->lists[k].words, w->lists[k].count, a);
		}
		if (!v || !*v || !put(out, size, &o, v, strlen(v)))
			return 0;
		p = close + 1;
	}
	return 1;
}

int hd_diag_text(hd_diag_words *out, const hd_diag *g, const char *lang)
{
	const hd_diag_message *m;
	hd_diag_words t;

	if (!out)
		return HD_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!g)
		return HD_EINVAL;
	snprintf(out->message, sizeof(out->message), "%s", g->message);
	snprintf(out->hint, sizeof(out->hint), "%s", g->hint);
	if (!lang || !strcmp(lang, "en")) {
		out->translated = 1;
		return HD_OK;
	}
	m = g->detail[0] ? hd_diag_message_find(g->code, g->field, g->detail, lang) : NULL;
	if (!m)
		return HD_OK;
	memset(&t, 0, sizeof(t));
	if (!hd_diag_fill(t.message, sizeof(t.message), m->message, g, lang))
		return HD_OK;
	if (m->hint && !hd_diag_fill(t.hint, sizeof(t.hint), m->hint, g, lang))
		return HD_OK;
	t.translated = 1;
	*out = t;
	return HD_OK;
}
