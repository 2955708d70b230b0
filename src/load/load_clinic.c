/*
 * load_clinic: the clinic profile (urn:handout:clinic:1) into an hd_clinic.
 * The logo is only located here (a bare file name next to the clinic file);
 * the renderer opens and decodes it.
 */
#include "load_xml.h"

#include <qrencode.h>

#include <stdlib.h>
#include <string.h>

/* The limits of the text fields (see README.md and xml/README.md): the
 * name is set large in the header of every page; an address line and the
 * phone share the header's second line; an email address has at most 254
 * characters (RFC 5321). */
static const hd_text_field clinic_name = {
	"the clinic's name", 80, "shorten it: it is printed in the header of every page" };
static const hd_text_field address_line = {
	"an address line", 100, "split it into two <line> elements" };
static const hd_text_field phone_field = {
	"the phone number", 40, "write only the number, e.g. +44 1632 960 418" };
static const hd_text_field clinic_email = {
	"the clinic's email address", 254, "an email address has at most 254 characters; check it" };
static const hd_text_field website_field = {
	"the website address", 200, "give the shortest address that works, e.g. https://example.org" };

static const hd_text_field sender_name_field = {
	"the sender's name", 80, "shorten it: it is the name clients see in their inbox" };
static const hd_text_field sender_email_field = {
	"the sender's email address", 254, "an email address has at most 254 characters; check it" };
static const hd_text_field reply_to_field = {
	"the reply-to address", 254, "an email address has at most 254 characters; check it" };
static const hd_text_field booking_field = {
	"the booking address", 1000, "give the shortest address that works, e.g. https://example.org/book" };

/* Parses "#RRGGBB" (already checked by the schema) into rgb. */
static void parse_colour(const char *s, unsigned char rgb[3])
{
	int i;
	for (i = 0; i < 3; i++) {
		char hex[3] = { s[1 + 2 * i], s[2 + 2 * i], '\0' };
		rgb[i] = (unsigned char)strtoul(hex, NULL, 16);
	}
}

/* Resolves <logo> against the folder of the clinic file. A bare name only:
 * no folder part and no leading '.', so a profile cannot point anywhere
 * else on the machine. Returns HD_OK (possibly with an error reported) or
 * HD_ENOMEM. */
static int read_logo(hd_clinic *c, hd_xml *x, xmlNodePtr n)
{
	const char *name = hd_xml_text(x, &c->arena, n, 1);
	const char *slash;
	size_t dirlen;
	char *p;

	if (!name)
		return x->oom ? HD_ENOMEM : HD_OK;
	if (strchr(name, '/') || strchr(name, '\\') || name[0] == '.') {
		hd_xml_error(x, n, "put the logo next to the clinic file and give only its file name, e.g. logo.png",
		             "the logo must be a plain file name, not '%s'", name);
		return HD_OK;
	}
	slash = strrchr(x->path, '/');
	dirlen = slash ? (size_t)(slash - x->path) + 1 : 0;
	p = hd_arena_alloc(&c->arena, dirlen + strlen(name) + 1);
	if (!p)
		return HD_ENOMEM;
	memcpy(p, x->path, dirlen);
	strcpy(p + dirlen, name);
	c->logo_path = p;
	c->logo_line = hd_xml_line(n);
	return HD_OK;
}

/* The booking address as a QR code: a drawing of one filled path, a
 * rectangle per run of dark modules (runs repeated on the rows below grow
 * down instead), inside a quiet zone of 4 modules. Made once, when the
 * clinic is loaded; every document of a batch shares it. */
static int booking_qr(hd_clinic *c, hd_xml *x, xmlNodePtr n)
{
	QRcode *q = QRcode_encodeString8bit(c->booking, 0, QR_ECLEVEL_M);
	hd_drawing *dr;
	hd_draw_path *dp;
	hd_path_seg *segs = NULL;
	size_t nsegs = 0, *open = NULL, *next = NULL, nopen = 0, nnext, k;
	int w, y, col, r = HD_OK;

	if (!q) {
		hd_xml_error(x, n, "give a shorter address (a QR code holds at most 2,953 characters)",
		             "the booking address cannot be made into a QR code");
		return HD_OK;
	}
	w = q->width;
	/* at most one rectangle per module: more is impossible */
	segs = malloc((size_t)w * (size_t)w * sizeof(*segs));
	open = malloc((size_t)w * sizeof(*open));
	next = malloc((size_t)w * sizeof(*next));
	dr = hd_arena_alloc(&c->arena, sizeof(*dr));
	dp = hd_arena_alloc(&c->arena, sizeof(*dp));
	if (!segs || !open || !next || !dr || !dp) {
		r = HD_ENOMEM;
		goto done;
	}
	for (y = 0; y < w; y++) {
		nnext = 0;
		for (col = 0; col < w;) {
			int x0 = col;
			if (!(q->data[y * w + col] & 1)) {
				col++;
				continue;
			}
			while (col < w && (q->data[y * w + col] & 1))
				col++;
			/* the same run on the row above: that rectangle grows down */
			for (k = 0; k < nopen; k++) {
				if (segs[open[k]].p[0] == x0 + 4 && segs[open[k]].p[2] == col - x0)
					break;
			}
			if (k < nopen) {
				segs[open[k]].p[3] += 1;
				next[nnext++] = open[k];
				open[k] = open[--nopen]; /* used: no second run may take it */
				continue;
			}
			memset(&segs[nsegs], 0, sizeof(*segs));
			segs[nsegs].op = HD_PATH_RECT;
			segs[nsegs].p[0] = x0 + 4;
			segs[nsegs].p[1] = y + 4;
			segs[nsegs].p[2] = col - x0;
			segs[nsegs].p[3] = 1;
			next[nnext++] = nsegs++;
		}
		memcpy(open, next, nnext * sizeof(*open));
		nopen = nnext;
	}
	dp->segs = hd_arena_alloc(&c->arena, (nsegs ? nsegs : 1) * sizeof(*dp->segs));
	if (!dp->segs) {
		r = HD_ENOMEM;
		goto done;
	}
	memcpy(dp->segs, segs, nsegs * sizeof(*segs));
	dp->nsegs = nsegs;
	dp->paint = HD_PAINT_FILL;
	dp->fill = (hd_color){ { 0, 0, 0 }, 0, 0 }; /* black: the most contrast */
	dp->line = hd_xml_line(n);
	dr->id = "booking-qr";
	dr->vb_w = dr->vb_h = w + 8;
	dr->paths = dp;
	dr->npaths = 1;
	dr->file = c->file;
	dr->line = dp->line;
	c->booking_qr = dr;
done:
	free(segs);
	free(open);
	free(next);
	QRcode_free(q);
	return r;
}

/* The booking address: an http:// or https:// address with a host, no
 * spaces; then its QR code. Problems are reported. */
static int read_booking(hd_clinic *c, hd_xml *x, xmlNodePtr n)
{
	const char *v = hd_xml_field(x, &c->arena, n, &booking_field), *host, *p;

	if (!v)
		return x->oom ? HD_ENOMEM : HD_OK;
	host = !strncmp(v, "https://", 8) ? v + 8 : !strncmp(v, "http://", 7) ? v + 7 : NULL;
	if (!host) {
		hd_xml_error(x, n, "a client's phone opens it: write the whole address, starting with "
		             "https://, e.g. https://example.org/book",
		             "the booking address '%s' does not start with https:// or http://", v);
		return HD_OK;
	}
	for (p = v; *p && (unsigned char)*p > ' '; p++)
		;
	if (*p || !*host || *host == '/') {
		hd_xml_error(x, n, "write it without spaces, with the site's name after https://",
		             "the booking address '%s' is not a web address", v);
		return HD_OK;
	}
	c->booking = v;
	return booking_qr(c, x, n);
}

/* One address of <sender>: checked strictly (hd_email_problem), since it
 * goes into every message's header and the SMTP envelope. NULL (reported)
 * when it is not acceptable. */
static const char *sender_address(hd_clinic *c, hd_xml *x, xmlNodePtr n, const hd_text_field *f)
{
	const char *v = hd_xml_field(x, &c->arena, n, f), *why;

	if (v && (why = hd_email_problem(v))) {
		hd_xml_error(x, n, "write one plain address, such as sheets@example.org, with no name "
		             "or angle brackets around it",
		             "%s '%s' is not an address mail can carry: %s", f->what, v, why);
		return NULL;
	}
	return v;
}

/* <sender>: who emailed handouts come from. */
static void read_sender(hd_clinic *c, hd_xml *x, xmlNodePtr s)
{
	xmlNodePtr n;

	c->sender_line = hd_xml_line(s);
	c->sender_name = c->name;
	if ((n = hd_xml_child(s, "name")))
		c->sender_name = hd_xml_field(x, &c->arena, n, &sender_name_field);
	c->sender_email = sender_address(c, x, hd_xml_child(s, "email"), &sender_email_field);
	if ((n = hd_xml_child(s, "reply-to")))
		c->reply_to = sender_address(c, x, n, &reply_to_field);
}

/* Fills c from the valid document x. Returns HD_OK, HD_EINPUT or HD_ENOMEM. */
static int read_clinic(hd_clinic *c, hd_xml *x)
{
	hd_arena *a = &c->arena;
	xmlNodePtr root = x->root, n, line;
	size_t count = 0;
	const char *v;

	c->file = hd_arena_strdup(a, x->path);
	if (!c->file)
		return HD_ENOMEM;
	c->colour[0] = 0x1F;
	c->colour[1] = 0x4E;
	c->colour[2] = 0x79;
	c->name = hd_xml_field(x, a, hd_xml_child(root, "name"), &clinic_name);
	n = hd_xml_child(root, "address");
	HD_XML_EACH(line, n)
		count++;
	c->address = hd_arena_alloc(a, (count ? count : 1) * sizeof(*c->address));
	if (!c->address)
		return HD_ENOMEM;
	HD_XML_EACH(line, n) {
		if ((v = hd_xml_field(x, a, line, &address_line)))
			c->address[c->naddress++] = v;
	}
	c->phone = hd_xml_field(x, a, hd_xml_child(root, "phone"), &phone_field);
	if ((n = hd_xml_child(root, "email")))
		c->email = hd_xml_field(x, a, n, &clinic_email);
	if ((n = hd_xml_child(root, "website")))
		c->website = hd_xml_field(x, a, n, &website_field);
	if ((n = hd_xml_child(root, "booking")) && read_booking(c, x, n))
		return HD_ENOMEM;
	if ((n = hd_xml_child(root, "logo")) && read_logo(c, x, n))
		return HD_ENOMEM;
	if ((n = hd_xml_child(root, "colour")) && (v = hd_xml_text(x, a, n, 1)))
		parse_colour(v, c->colour);
	if ((n = hd_xml_child(root, "sender")))
		read_sender(c, x, n);
	return hd_xml_status(x);
}

/* Converts an open clinic document. On success *out is the caller's
 * (hd_clinic_free); on failure NULL, with every problem reported. */
int hd_convert_clinic(hd_clinic **out, hd_xml *x)
{
	hd_clinic *c;
	int rc;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return HD_ENOMEM;
	rc = read_clinic(c, x);
	if (rc)
		goto cleanup;
	*out = c;
	c = NULL;
cleanup:
	hd_clinic_free(c);
	return rc;
}

/* Loads and checks a clinic profile. On success *out is the caller's
 * (hd_clinic_free); on failure NULL, with every problem in d. */
int hd_load_clinic(hd_clinic **out, hd_loader *l, const char *path, hd_diags *d)
{
	hd_xml x;
	int rc;

	*out = NULL;
	rc = hd_xml_open(&x, l, path, HD_MAX_RECORD_FILE, HD_VOCAB_CLINIC, 0, d);
	if (rc)
		return rc;
	rc = hd_convert_clinic(out, &x);
	hd_xml_close(&x);
	return rc;
}
