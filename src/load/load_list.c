/*
 * load_list: an XML list of session record files for a batch,
 *   <sessions xmlns="urn:handout:list:1" version="1">
 *     <session file="sessions/zoe.xml"/>
 *   </sessions>
 * Read with the loader's safety rules: a size cap, no DOCTYPE (so no
 * entities), no network, libxml2's depth limit.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

#define LIST_NS "urn:handout:list:1"

/* path joined to the folder of list (an absolute path is kept). */
static char *beside(const char *list, const char *path)
{
	const char *slash = strrchr(list, '/');
	char *out;
	size_t n;

	if (path[0] == '/' || !slash)
		return strdup(path);
	n = (size_t)(slash - list) + 1;
	out = malloc(n + strlen(path) + 1);
	if (!out)
		return NULL;
	memcpy(out, list, n);
	strcpy(out + n, path);
	return out;
}

int hd_load_session_list(char ***files, int **lines, size_t *count, const char *path, hd_diags *d)
{
	char *buf = NULL;
	size_t len, n = 0, cap = 0;
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root, c;
	char **f = NULL;
	int *ln = NULL, rc, bad = 0;
	const xmlChar *v;

	*files = NULL;
	*lines = NULL;
	*count = 0;
	rc = hd_read_file(&buf, &len, path, HD_MAX_XML_FILE, d);
	if (rc)
		return rc;
	if (strstr(buf, "<!DOCTYPE") || strstr(buf, "<!ENTITY")) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_XML, NULL, path, 0, 0,
		              "remove the DOCTYPE: handout files never need one",
		              "a DOCTYPE is not allowed");
		rc = HD_EINPUT;
		goto cleanup;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		rc = HD_ENOMEM;
		goto cleanup;
	}
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, path, "UTF-8",
	                        XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
	                        XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[256];
		snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "not well-formed");
		msg[strcspn(msg, "\n")] = '\0';
		hd_diag_coded(d, HD_ERROR, HD_DIAG_XML, NULL, path, e ? e->line : 0, 0, NULL,
		              "not well-formed XML: %s", msg);
		rc = HD_EINPUT;
		goto cleanup;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || strcmp((const char *)root->name, "sessions") || !root->ns ||
	    strcmp((const char *)root->ns->href, LIST_NS) ||
	    !(v = xmlHasProp(root, BAD_CAST "version") ? xmlHasProp(root, BAD_CAST "version")->children->content : NULL) ||
	    strcmp((const char *)v, "1")) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_XML, NULL, path, root ? (int)xmlGetLineNo(root) : 0, 0,
		              "a list of sessions starts <sessions xmlns=\"urn:handout:list:1\" "
		              "version=\"1\">", "this is not a list of sessions");
		rc = HD_EINPUT;
		goto cleanup;
	}
	for (c = root->children; c; c = c->next) {
		xmlAttrPtr a;
		int line;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		line = (int)xmlGetLineNo(c);
		a = xmlHasProp(c, BAD_CAST "file");
		if (strcmp((const char *)c->name, "session") || !a || !a->children ||
		    !a->children->content || !a->children->content[0]) {
			hd_diag_coded(d, HD_ERROR, HD_DIAG_XML, NULL, path, line, 0,
			              "list each record as <session file=\"PATH\"/>",
			              "<%.60s> is not a <session file=\"...\"/>", (const char *)c->name);
			bad++;
			continue;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nf = realloc(f, nc * sizeof(*nf));
			int *nl = nf ? realloc(ln, nc * sizeof(*nl)) : NULL;
			if (nf)
				f = nf;
			if (!nf || !nl) {
				rc = HD_ENOMEM;
				goto cleanup;
			}
			ln = nl;
			cap = nc;
		}
		f[n] = beside(path, (const char *)a->children->content);
		if (!f[n]) {
			rc = HD_ENOMEM;
			goto cleanup;
		}
		ln[n++] = line;
	}
	if (bad) {
		rc = HD_EINPUT;
		goto cleanup;
	}
	*files = f;
	*lines = ln;
	*count = n;
	f = NULL;
	ln = NULL;
	n = 0;
cleanup:
	while (n)
		free(f[--n]);
	free(f);
	free(ln);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	free(buf);
	return rc;
}
