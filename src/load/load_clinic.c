/*
 * load_clinic: the clinic profile (urn:handout:clinic:1) into an hd_clinic.
 * The logo is only located here (a bare file name next to the clinic file);
 * the renderer opens and decodes it.
 */
#include "load_xml.h"

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
	if ((n = hd_xml_child(root, "logo")) && read_logo(c, x, n))
		return HD_ENOMEM;
	if ((n = hd_xml_child(root, "colour")) && (v = hd_xml_text(x, a, n, 1)))
		parse_colour(v, c->colour);
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
