/*
 * message: an RFC 5322 message with the PDF attached, built with GMime.
 *
 * GMime does the encoding rules: RFC 2047 encoded words for names and
 * subjects that are not ASCII, quoting of names with specials, RFC 2231 for
 * a file name that is not ASCII, line folding, base64 and quoted-printable.
 * This file decides what goes in, and makes it deterministic: the Date
 * comes from the caller, the Message-ID and the MIME boundary from a hash
 * of the id seed, so the same inputs give the same bytes.
 */
#include "mail.h"

#include <gmime/gmime.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_start(void)
{
	g_mime_init();
}

/* s with every control character a header could take for a line end or a
 * field separator made a space: C0 controls (CR, LF, tab...), DEL, the C1
 * controls (U+0080-U+009F, NEL among them), U+2028 and U+2029; bytes that
 * are not UTF-8 become U+FFFD; runs of spaces become one, ends trimmed.
 * A newly allocated string, or NULL when out of memory. */
static char *one_line(const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, n = 0;
	char *out = malloc(len * 3 + 1);

	if (!out)
		return NULL;
	while (i < len) {
		uint32_t cp;
		size_t k = hd_utf8_decode(s + i, len - i, &cp);
		int blank;
		if (k == 0) { /* not UTF-8: one byte as U+FFFD */
			cp = 0xFFFD;
			k = 1;
		}
		blank = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
		        cp == 0x2029 || cp == ' ';
		if (blank) {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
		} else if (cp == 0xFFFD && k == 1) {
			n += hd_utf8_encode(cp, out + n);
		} else {
			memcpy(out + n, s + i, k);
			n += k;
		}
		i += k;
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

/* The body: each paragraph of text (separated by blank lines) made one
 * line (one_line), then wrapped at 72 characters at spaces; a word longer
 * than that stays whole on its own line. Lines end with "\n" (GMime writes
 * CRLF). NULL when out of memory. */
static char *wrap_body(const char *text)
{
	hd_buf b = HD_BUF_INIT;
	const char *p = text ? text : "", *end;

	while (*p) {
		char *para, *w;
		size_t col = 0;
		end = strstr(p, "\n\n");
		if (!end)
			end = p + strlen(p);
		{
			char *raw = strndup(p, (size_t)(end - p));
			para = raw ? one_line(raw) : NULL;
			free(raw);
		}
		if (!para) {
			hd_buf_free(&b);
			return NULL;
		}
		if (*para) {
			if (b.len)
				hd_buf_putc(&b, '\n');
			for (w = para; *w;) {
				char *sp = strchr(w, ' ');
				size_t wl = sp ? (size_t)(sp - w) : strlen(w);
				size_t chars = hd_utf8_count(w, wl);
				if (col && col + 1 + chars > 72) {
					hd_buf_putc(&b, '\n');
					col = 0;
				} else if (col) {
					hd_buf_putc(&b, ' ');
					col++;
				}
				hd_buf_append(&b, w, wl);
				col += chars;
				w += wl;
				if (*w == ' ')
					w++;
			}
			hd_buf_putc(&b, '\n');
		}
		free(para);
		p = *end ? end + 2 : end;
	}
	if (b.oom) {
		hd_buf_free(&b);
		return NULL;
	}
	if (!b.data && hd_buf_puts(&b, ""))
		return NULL;
	return hd_buf_detach(&b, NULL);
}

/* The first 16 bytes of SHA-256 over a tag and the seed, as 32 hex digits. */
static void seed_hex(char hex[33], const hd_mail_in *in, const char *tag)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	const char *digest;

	g_checksum_update(c, (const guchar *)tag, (gssize)strlen(tag) + 1);
	if (in->id_seed)
		g_checksum_update(c, (const guchar *)in->id_seed, (gssize)strlen(in->id_seed) + 1);
	if (in->id_doc_len)
		g_checksum_update(c, in->id_doc, (gssize)in->id_doc_len);
	digest = g_checksum_get_string(c);
	memcpy(hex, digest, 32);
	hex[32] = '\0';
	g_checksum_free(c);
}

/* Adds a mailbox header (From, To, Reply-To) with a display name made one
 * line; GMime quotes or encodes the name as needed. */
static int add_mailbox(GMimeMessage *m, GMimeAddressType type, const char *name, const char *addr)
{
	char *clean = one_line(name);
	InternetAddress *ia;
	if (!clean)
		return HD_ENOMEM;
	ia = internet_address_mailbox_new(*clean ? clean : NULL, addr);
	/* encoded words in UTF-8, never a legacy charset GMime would pick */
	internet_address_set_charset(ia, "utf-8");
	internet_address_list_add(g_mime_message_get_addresses(m, type), ia);
	g_object_unref(ia);
	free(clean);
	return HD_OK;
}

/* A parameter that is not ASCII (a file name) in UTF-8 (RFC 2231), never a
 * legacy charset GMime would pick. */
static void utf8_param(GMimeParamList *list, const char *name)
{
	GMimeParam *p = list ? g_mime_param_list_get_parameter(list, name) : NULL;
	if (p)
		g_mime_param_set_charset(p, "utf-8");
}

int hd_mail_build(char **out, size_t *len, char **message_id, const hd_mail_in *in)
{
	GMimeMessage *m = NULL;
	GMimeMultipart *mixed = NULL;
	GMimeTextPart *text = NULL;
	GMimePart *pdf = NULL;
	GMimeStream *src = NULL, *dst = NULL, *tsrc = NULL;
	GMimeDataWrapper *content = NULL, *tcontent = NULL;
	GMimeFormatOptions *fo = NULL;
	GDateTime *date = NULL;
	GByteArray *bytes;
	char hex[33], boundary[64], *id = NULL, *subject = NULL, *body = NULL;
	const char *domain;
	int r = HD_ENOMEM;

	*out = NULL;
	*len = 0;
	*message_id = NULL;
	if (!in->from_addr || !in->to_addr || hd_email_problem(in->from_addr) ||
	    hd_email_problem(in->to_addr) || (in->reply_to && hd_email_problem(in->reply_to)) ||
	    !in->filename)
		return HD_EINVAL;
	pthread_once(&gmime_once, gmime_start);

	/* Message-ID: <hash.handout@sender's domain>, the same for the same seed */
	seed_hex(hex, in, "message-id");
	domain = strrchr(in->from_addr, '@') + 1;
	id = malloc(strlen(hex) + strlen(domain) + 16);
	subject = one_line(in->subject);
	body = wrap_body(in->body);
	if (!id || !subject || !body)
		goto cleanup;
	sprintf(id, "%s.handout@%s", hex, domain);
	/* the boundary: '=' and '_' never occur together in quoted-printable or
	 * base64 text, so no body line can be taken for it */
	seed_hex(hex, in, "boundary");
	snprintf(boundary, sizeof(boundary), "=_handout_%s", hex);

	m = g_mime_message_new(TRUE);
	if ((r = add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, in->from_name, in->from_addr)) ||
	    (in->reply_to && (r = add_mailbox(m, GMIME_ADDRESS_TYPE_REPLY_TO, in->from_name,
	                                      in->reply_to))) ||
	    (r = add_mailbox(m, GMIME_ADDRESS_TYPE_TO, in->to_name, in->to_addr)))
		goto cleanup;
	r = HD_ENOMEM;
	g_mime_message_set_subject(m, subject, "utf-8");
	date = g_date_time_new_from_unix_utc(in->date);
	if (!date)
		goto cleanup;
	g_mime_message_set_date(m, date);
	g_mime_message_set_message_id(m, id);
	if (in->lang && *in->lang)
		g_mime_object_set_header(GMIME_OBJECT(m), "Content-Language", in->lang, NULL);

	/* the text as UTF-8 (g_mime_text_part_set_text would pick a legacy
	 * charset when one fits) */
	text = g_mime_text_part_new_with_subtype("plain");
	tsrc = g_mime_stream_mem_new_with_buffer(body, strlen(body));
	tcontent = g_mime_data_wrapper_new_with_stream(tsrc, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(GMIME_PART(text), tcontent);
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(text), "charset", "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(text), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);

	pdf = g_mime_part_new_with_type("application", "pdf");
	src = g_mime_stream_mem_new_with_buffer((const char *)in->pdf, in->pdf_len);
	content = g_mime_data_wrapper_new_with_stream(src, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(pdf, content);
	g_mime_part_set_filename(pdf, in->filename); /* Content-Disposition: attachment */
	utf8_param(g_mime_content_disposition_get_parameters(
		g_mime_object_get_content_disposition(GMIME_OBJECT(pdf))), "filename");
	utf8_param(g_mime_content_type_get_parameters(
		g_mime_object_get_content_type(GMIME_OBJECT(pdf))), "name");
	g_mime_part_set_content_encoding(pdf, GMIME_CONTENT_ENCODING_BASE64);

	mixed = g_mime_multipart_new_with_subtype("mixed");
	g_mime_multipart_set_boundary(mixed, boundary);
	g_mime_multipart_add(mixed, GMIME_OBJECT(text));
	g_mime_multipart_add(mixed, GMIME_OBJECT(pdf));
	g_mime_message_set_mime_part(m, GMIME_OBJECT(mixed));

	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	g_mime_format_options_set_param_encoding_method(fo, GMIME_PARAM_ENCODING_METHOD_RFC2231);
	dst = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(GMIME_OBJECT(m), fo, dst) < 0)
		goto cleanup;
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(dst));
	*out = malloc(bytes->len + 1);
	if (!*out)
		goto cleanup;
	memcpy(*out, bytes->data, bytes->len);
	(*out)[bytes->len] = '\0';
	*len = bytes->len;
	*message_id = id;
	id = NULL;
	r = HD_OK;
cleanup:
	if (fo)
		g_mime_format_options_free(fo);
	if (date)
		g_date_time_unref(date);
	if (dst)
		g_object_unref(dst);
	if (content)
		g_object_unref(content);
	if (tcontent)
		g_object_unref(tcontent);
	if (tsrc)
		g_object_unref(tsrc);
	if (src)
		g_object_unref(src);
	if (pdf)
		g_object_unref(pdf);
	if (text)
		g_object_unref(text);
	if (mixed)
		g_object_unref(mixed);
	if (m)
		g_object_unref(m);
	free(id);
	free(subject);
	free(body);
	return r;
}
