/*
 * encrypt: a PDF protected with a password, through libqpdf's C API.
 *
 * AES-256 with the PDF 2.0 security handler (revision 6): the strongest
 * PDF encryption, opened by every current reader. The user password opens
 * the document; the owner password (which would lift the restrictions) is
 * 32 random bytes from the kernel, written as hex and forgotten, so nobody
 * holds it. The reader may print and copy: the client owns their sheet.
 */
#include "mail.h"

#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "util.h"

/* 32 random bytes as 64 hex digits. Returns 0, or -1 when the kernel has
 * no randomness to give (never, on a booted Linux). */
static int random_hex(char out[65])
{
	unsigned char raw[32];
	size_t got = 0, i;

	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	for (i = 0; i < sizeof(raw); i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	explicit_bzero(raw, sizeof(raw));
	return 0;
}

int hd_pdf_encrypt(unsigned char **out, size_t *len, const unsigned char *pdf, size_t pdf_len,
                   const char *user_password, hd_diags *d)
{
	qpdf_data q;
	char owner[65];
	size_t n;
	int r = HD_EPDF;

	*out = NULL;
	*len = 0;
	if (!pdf || !user_password)
		return HD_EINVAL;
	if (random_hex(owner)) {
		hd_diag_add(d, HD_ERROR, NULL, 0, 0, "try again; check that /dev/urandom works",
		            "no random bytes for the PDF's owner password");
		return HD_EPDF;
	}
	q = qpdf_init();
	if (!q)
		return HD_ENOMEM;
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	if (qpdf_read_memory(q, "the PDF", (const char *)pdf, pdf_len, NULL) & QPDF_ERRORS)
		goto fail;
	if (qpdf_init_write_memory(q) & QPDF_ERRORS)
		goto fail;
	qpdf_set_r6_encryption_parameters2(q, user_password, owner, QPDF_TRUE, QPDF_TRUE, QPDF_TRUE,
	                                   QPDF_TRUE, QPDF_TRUE, QPDF_TRUE, qpdf_r3p_full, QPDF_TRUE);
	if (qpdf_write(q) & QPDF_ERRORS)
		goto fail;
	n = qpdf_get_buffer_length(q);
	*out = malloc(n ? n : 1);
	if (!*out) {
		r = HD_ENOMEM;
		goto done;
	}
	memcpy(*out, qpdf_get_buffer(q), n);
	*len = n;
	r = HD_OK;
	goto done;
fail:
	hd_diag_add(d, HD_ERROR, NULL, 0, 0, "this is a bug in handout or qpdf; please report it",
	            "the PDF could not be encrypted: %s",
	            qpdf_has_error(q) ? qpdf_get_error_full_text(q, qpdf_get_error(q)) : "unknown error");
done:
	explicit_bzero(owner, sizeof(owner));
	qpdf_cleanup(&q);
	return r;
}
