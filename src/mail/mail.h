/*
 * mail: the delivery stage for email, behind the engine.
 *
 *   PDF bytes ──encrypt──▶ PDF (AES-256, R6) ──message──▶ RFC 5322 bytes ──smtp──▶ server
 *              (libqpdf)                        (GMime)                  (libcurl)
 *
 * Only this folder includes GMime, libcurl or libqpdf. It knows nothing of
 * XML, templates or sessions: the engine (src/engine/mail.c) hands it plain
 * strings and bytes, already chosen and checked.
 */
#ifndef HD_MAIL_H
#define HD_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "handout.h"

/* Everything a message says. Strings are UTF-8. The addresses must have
 * passed hd_email_problem; names and the subject may hold anything: control
 * characters (CR, LF, tab, C1 controls, U+2028, U+2029) become spaces
 * before they reach a header, so no field can start a header of its own. */
typedef struct hd_mail_in {
	const char *from_name;   /* may be NULL */
	const char *from_addr;
	const char *reply_to;    /* may be NULL */
	const char *to_name;     /* may be NULL */
	const char *to_addr;
	const char *lang;        /* Content-Language; may be NULL */
	const char *subject;
	const char *body;        /* plain text; paragraphs separated by "\n\n", wrapped here */
	const char *filename;    /* the attachment's name, already safe (hd_output_path) */
	const unsigned char *pdf;
	size_t pdf_len;
	int64_t date;            /* the Date header, seconds since 1970 (UTC) */
	/* what the Message-ID and the MIME boundary are made from (a hash of
	 * id_seed, then of id_doc): the same bytes give the same id, so a
	 * resend is recognisable */
	const char *id_seed;             /* NUL-terminated */
	const unsigned char *id_doc;     /* the document before encryption; may be NULL */
	size_t id_doc_len;
} hd_mail_in;

/* Builds the message: multipart/mixed with the text (quoted-printable
 * UTF-8) and the PDF (base64), CRLF line ends. On success *out (malloc'd,
 * NUL-terminated, *len bytes) and *message_id (malloc'd, without angle
 * brackets) are the caller's. Returns HD_OK, HD_ENOMEM or HD_EINVAL (an
 * address that fails hd_email_problem: a programming error here). */
int hd_mail_build(char **out, size_t *len, char **message_id, const hd_mail_in *in);

/* Encrypts pdf with AES-256 (PDF 2.0 security handler, revision 6): opening
 * it needs user_password; the owner password is 32 random bytes, never
 * kept. Printing and copying stay allowed for whoever opens it. On success
 * *out (malloc'd, *len bytes) is the caller's. Returns HD_OK, HD_ENOMEM, or
 * HD_EPDF with an error in d when qpdf refuses the PDF. */
int hd_pdf_encrypt(unsigned char **out, size_t *len, const unsigned char *pdf, size_t pdf_len,
                   const char *user_password, hd_diags *d);

/* Sends msg (RFC 5322 bytes, CRLF) from from_addr to to_addr over SMTP as
 * opts says (see hd_smtp_options in handout.h). The server's last answer
 * goes into *reply. Returns HD_OK when the server accepted the message;
 * HD_EINPUT for a URL or TLS setting refused before connecting; HD_ESEND
 * when the server refused it or the connection failed (*reply says which,
 * and whether to try again). */
int hd_smtp_send(hd_smtp_reply *reply, const char *msg, size_t len, const char *from_addr,
                 const char *to_addr, const hd_smtp_options *opts, hd_diags *d);

#endif
