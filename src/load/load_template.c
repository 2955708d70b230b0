/*
 * load_template: a template (urn:handout:template:2) into an hd_template.
 * Beyond the schema it checks what keeps a document safe, complete and
 * drawable: every client document shows the warning signs; a part belongs to
 * the kind of document; every flow a part goes to has a frame, and every
 * style and master a template names exists; large print stays large; every
 * label the parts print is there in English, and every other language has
 * every key of the English set.
 */
#include "load_xml.h"
#include "template.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ----- small readers ------------------------------------------------------------ */

/* A length: a number of points, or with a unit (pt, mm, cm, in). The schema
 * has checked the shape. */
static double length_value(const char *s, const char **end)
{
	char *e;
	double v = strtod(s, &e);
	if (!strncmp(e, "mm", 2)) {
		v *= 72.0 / 25.4;
		e += 2;
	} else if (!strncmp(e, "cm", 2)) {
		v *= 72.0 / 2.54;
		e += 2;
	} else if (!strncmp(e, "in", 2)) {
		v *= 72.0;
		e += 2;
	} else if (!strncmp(e, "pt", 2)) {
		e += 2;
	}
	if (end)
		*end = e;
	return v;
}

static double length_attr(xmlNodePtr n, const char *name, double def)
{
	const char *v = hd_xml_attr(n, name);
	if (!v)
		return def;
	v += strspn(v, " \t\r\n");
	return length_value(v, NULL);
}

static double num_attr(xmlNodePtr n, const char *name, double def)
{
	const char *v = hd_xml_attr(n, name);
	return v ? strtod(v, NULL) : def;
}

static int bool_attr(xmlNodePtr n, const char *name, int def)
{
	const char *v = hd_xml_attr(n, name);
	if (!v)
		return def;
	v += strspn(v, " \t\r\n");
	return !strncmp(v, "true", 4);
}

/* "top right bottom left", or fewer values as in CSS. */
static void margins(xmlNodePtr n, hd_page_spec *ps)
{
	const char *s = hd_xml_attr(n, "margin");
	double v[4] = { 0, 0, 0, 0 };
	int k = 0;

	while (s && *s && k < 4) {
		s += strspn(s, " \t\r\n");
		if (!*s)
			break;
		v[k++] = length_value(s, &s);
	}
	if (k == 1)
		v[1] = v[2] = v[3] = v[0];
	else if (k == 2)
		v[2] = v[0], v[3] = v[1];
	else if (k == 3)
		v[3] = v[1];
	ps->margin_top = v[0];
	ps->margin_right = v[1];
	ps->margin_bottom = v[2];
	ps->margin_left = v[3];
}

/* A colour (the schema has checked its shape). */
static hd_color color_value(const char *s)
{
	hd_color c;
	memset(&c, 0, sizeof(c));
	if (!s)
		return c;
	s += strspn(s, " \t\r\n");
	if (*s == '#') {
		unsigned long v = strtoul(s + 1, NULL, 16);
		c.rgb[0] = (unsigned char)(v >> 16);
		c.rgb[1] = (unsigned char)(v >> 8);
		c.rgb[2] = (unsigned char)v;
	} else if (!strncmp(s, "accent", 6)) {
		c.accent = 1;
	} else if (!strncmp(s, "gray", 4)) {
		c.rgb[0] = c.rgb[1] = c.rgb[2] = 85;
	} else if (!strncmp(s, "white", 5)) {
		c.rgb[0] = c.rgb[1] = c.rgb[2] = 255;
	} else if (!strncmp(s, "none", 4)) {
		c.none = 1;
	}
	return c;
}

/* ----- styles ------------------------------------------------------------------------- */

static int read_styles(hd_template *t, hd_xml *x, xmlNodePtr styles)
{
	hd_arena *a = &t->arena;
	xmlNodePtr n;
	size_t cap = 0, i;

	HD_XML_EACH(n, styles)
		cap++;
	t->styles = hd_arena_alloc(a, (cap ? cap : 1) * sizeof(*t->styles));
	if (!t->styles)
		return HD_ENOMEM;
	HD_XML_EACH(n, styles) {
		hd_style *s = &t->styles[t->nstyles];
		const char *face = hd_xml_attr(n, "face"), *align = hd_xml_attr(n, "align");
		s->name = hd_xml_collapse(x, a, hd_xml_attr(n, "name"));
		if (!s->name)
			return HD_ENOMEM;
		for (i = 0; i < t->nstyles; i++) {
			if (!strcmp(t->styles[i].name, s->name))
				break;
		}
		if (i < t->nstyles) {
			hd_xml_error(x, n, "give each style one definition",
			             "the style '%s' is defined twice", s->name);
			continue;
		}
		s->face = HD_REGULAR;
		if (face && strstr(face, "bold-italic"))
			s->face = HD_BOLD_ITALIC;
		else if (face && strstr(face, "bold"))
			s->face = HD_BOLD;
		else if (face && strstr(face, "italic"))
			s->face = HD_ITALIC;
		s->size = num_attr(n, "size", 1.0);
		s->leading = num_attr(n, "leading", 1.25);
		s->space_before = num_attr(n, "space-before", 0.0);
		s->space_after = num_attr(n, "space-after", 0.0);
		s->indent = num_attr(n, "indent", 0.0);
		s->align = HD_ALIGN_LEFT;
		if (align && strstr(align, "justify"))
			s->align = HD_ALIGN_JUSTIFY;
		else if (align && strstr(align, "center"))
			s->align = HD_ALIGN_CENTER;
		else if (align && strstr(align, "right"))
			s->align = HD_ALIGN_RIGHT;
		s->color = color_value(hd_xml_attr(n, "color"));
		s->keep_with_next = bool_attr(n, "keep-with-next", 0);
		s->fill = color_value(hd_xml_attr(n, "fill") ? hd_xml_attr(n, "fill") : "none");
		s->frame = color_value(hd_xml_attr(n, "frame") ? hd_xml_attr(n, "frame") : "none");
		s->frame_width = num_attr(n, "frame-width", 0.5);
		s->padding = num_attr(n, "padding", 0.0);
		t->nstyles++;
	}
	return HD_OK;
}

/* The index of the style named by attribute attr of n; reports a name the
 * template does not define (and returns -1). */
static int style_ref(hd_template *t, hd_xml *x, xmlNodePtr n, const char *attr)
{
	const char *raw = hd_xml_attr(n, attr);
	char name[64];
	size_t len;
	int i;

	if (!raw)
		return -1;
	raw += strspn(raw, " \t\r\n");
	len = strcspn(raw, " \t\r\n");
	if (len >= sizeof(name))
		len = sizeof(name) - 1;
	memcpy(name, raw, len);
	name[len] = '\0';
	i = hd_template_style(t, name);
	if (i < 0)
		hd_xml_error(x, n, "define it in <styles>, or use one of the styles defined there",
		             "the style '%s' is not defined", name);
	return i;
}

/* ----- page master ------------------------------------------------------------------- */

static int read_band(hd_template *t, hd_xml *x, xmlNodePtr n, hd_band *b, int header)
{
	hd_arena *a = &t->arena;
	xmlNodePtr line, slot;
	size_t cap = 0;

	b->gap = length_attr(n, "gap", header ? 12.0 : 10.0);
	if (hd_xml_attr(n, "rule")) {
		b->rule = 1;
		b->rule_style = style_ref(t, x, n, "rule");
	}
	if (header && hd_xml_attr(n, "logo")) {
		b->logo = 1;
		b->logo_height = length_attr(n, "logo", 40.0);
	}
	HD_XML_EACH(line, n)
		cap++;
	b->lines = hd_arena_alloc(a, (cap ? cap : 1) * sizeof(*b->lines));
	if (!b->lines)
		return HD_ENOMEM;
	HD_XML_EACH(line, n) {
		hd_band_line *bl = &b->lines[b->nlines++];
		HD_XML_EACH(slot, line) {
			hd_slot *s = hd_xml_is(slot, "left")     ? &bl->left
			             : hd_xml_is(slot, "center") ? &bl->center
			                                         : &bl->right;
			s->text = hd_xml_text(x, a, slot, 0);
			if (!s->text)
				return HD_ENOMEM;
			s->style = style_ref(t, x, slot, "style");
		}
	}
	return HD_OK;
}

static int read_master(hd_template *t, hd_xml *x, xmlNodePtr n, hd_master *ms)
{
	hd_arena *a = &t->arena;
	xmlNodePtr c;
	size_t cap = 0;
	int r;

	ms->name = hd_xml_collapse(x, a, hd_xml_attr(n, "name"));
	if (!ms->name)
		return HD_ENOMEM;
	ms->fold_marks = bool_attr(n, "fold-marks", 0);
	HD_XML_EACH(c, n)
		cap += hd_xml_is(c, "frame");
	ms->frames = hd_arena_alloc(a, (cap ? cap : 1) * sizeof(*ms->frames));
	if (!ms->frames)
		return HD_ENOMEM;
	HD_XML_EACH(c, n) {
		if (hd_xml_is(c, "header")) {
			ms->has_header = 1;
			r = read_band(t, x, c, &ms->header, 1);
		} else if (hd_xml_is(c, "footer")) {
			ms->has_footer = 1;
			r = read_band(t, x, c, &ms->footer, 0);
		} else {
			hd_frame_spec *fs = &ms->frames[ms->nframes++];
			const char *va = hd_xml_attr(c, "valign");
			fs->flow = hd_xml_collapse(x, a, hd_xml_attr(c, "flow"));
			fs->name = hd_xml_attr(c, "name") ? hd_xml_collapse(x, a, hd_xml_attr(c, "name"))
			                                  : NULL;
			fs->columns = (int)num_attr(c, "columns", 1);
			fs->column = (int)num_attr(c, "column", 1);
			fs->gutter = length_attr(c, "gutter", 12.0);
			fs->valign = va && strstr(va, "center")   ? HD_VALIGN_CENTER
			             : va && strstr(va, "bottom") ? HD_VALIGN_BOTTOM
			                                          : HD_VALIGN_TOP;
			if (!fs->flow)
				return HD_ENOMEM;
			if (fs->column > fs->columns)
				hd_xml_error(x, c, "number the columns from 1 to columns",
				             "column %d of %d columns", fs->column, fs->columns);
			r = HD_OK;
		}
		if (r)
			return r;
	}
	return HD_OK;
}

static int read_page(hd_template *t, hd_xml *x, xmlNodePtr page)
{
	hd_arena *a = &t->arena;
	hd_page_spec *ps = &t->page;
	xmlNodePtr c, p, pages = hd_xml_child(page, "pages");
	size_t nm = 0, np = 0, i;
	int r;

	margins(page, ps);
	ps->landscape = bool_attr(page, "landscape", 0);
	ps->max_pages = (int)num_attr(page, "max-pages", 0);
	HD_XML_EACH(c, page)
		nm += hd_xml_is(c, "master");
	HD_XML_EACH(p, pages)
		np++;
	ps->masters = hd_arena_alloc(a, (nm ? nm : 1) * sizeof(*ps->masters));
	ps->sequence = hd_arena_alloc(a, (np ? np : 1) * sizeof(*ps->sequence));
	if (!ps->masters || !ps->sequence)
		return HD_ENOMEM;
	HD_XML_EACH(c, page) {
		if (!hd_xml_is(c, "master"))
			continue;
		r = read_master(t, x, c, &ps->masters[ps->nmasters]);
		if (r)
			return r;
		for (i = 0; i < ps->nmasters; i++) {
			if (!strcmp(ps->masters[i].name, ps->masters[ps->nmasters].name))
				hd_xml_error(x, c, "give each master its own name",
				             "a second master named '%s'", ps->masters[i].name);
		}
		ps->nmasters++;
	}
	HD_XML_EACH(p, pages) {
		const char *name = hd_xml_collapse(x, a, hd_xml_attr(p, "master"));
		if (!name)
			return HD_ENOMEM;
		for (i = 0; i < ps->nmasters && strcmp(ps->masters[i].name, name); i++)
			;
		if (i == ps->nmasters) {
			hd_xml_error(x, p, "name one of the <master> elements above",
			             "there is no master named '%s'", name);
			continue;
		}
		ps->sequence[ps->nsequence++] = i;
		if (bool_attr(p, "repeat", 0)) {
			if (p->next && hd_xml_elem(p->next))
				hd_xml_error(x, p, "only the last page may repeat",
				             "repeat=\"true\" on a page that is not the last");
			else
				ps->repeat_last = 1;
		}
	}
	return HD_OK;
}

/* 1 if a frame of the page master shows flow. */
static int flow_has_frame(const hd_template *t, const char *flow)
{
	size_t i, k;
	for (i = 0; i < t->page.nmasters; i++) {
		for (k = 0; k < t->page.masters[i].nframes; k++) {
			if (!strcmp(t->page.masters[i].frames[k].flow, flow))
				return 1;
		}
	}
	return 0;
}

/* ----- parts ------------------------------------------------------------------------- */

/* "cover, contact and library" for the parts kind takes. */
static void parts_of(char *buf, size_t size, enum hd_doc_kind kind)
{
	size_t o = 0;
	int i, n = 0, total = 0;
	for (i = 0; i < HD_PT_COUNT; i++)
		total += (hd_parts[i].kinds & HD_KIND_BIT(kind)) != 0;
	buf[0] = '\0';
	for (i = 0; i < HD_PT_COUNT && o < size; i++) {
		int k;
		if (!(hd_parts[i].kinds & HD_KIND_BIT(kind)))
			continue;
		n++;
		k = snprintf(buf + o, size - o, "%s%s", n == 1 ? "" : n == total ? " and " : ", ",
		             hd_parts[i].name);
		if (k < 0)
			break;
		o += (size_t)k;
	}
}

/* Reads one part element into a new slot of t->parts (row: the 1-based
 * index of the <row> it sits in, cell its cell). Returns HD_OK or
 * HD_ENOMEM; problems are reported. */
static int read_part(hd_template *t, hd_xml *x, xmlNodePtr n, int *seen, int row, int cell)
{
	hd_arena *a = &t->arena;
	hd_part *p = &t->parts[t->nparts];
	int type = hd_part_find((const char *)n->name);
	const char *v;
	char list[300];

	if (type < 0)
		return HD_OK; /* the schema allows no other */
	p->type = (enum hd_part_type)type;
	p->line = hd_xml_line(n);
	p->row = row;
	p->cell = cell;
	if (!(hd_parts[type].kinds & HD_KIND_BIT(t->kind))) {
		parts_of(list, sizeof(list), t->kind);
		hd_xml_error(x, n, NULL, "<%s/> is not a part of a%s %s template; its parts are %s",
		             hd_parts[type].name, t->kind == HD_KIND_AFTERCARE ? "n" : "",
		             hd_kind_names[t->kind], list);
		return HD_OK;
	}
	if (type != HD_PT_LIBRARY && type != HD_PT_BREAK && type != HD_PT_ROW && type != HD_PT_TEXT &&
	    seen[type]++) {
		hd_xml_error(x, n, "list each part once", "<%s/> appears twice in <parts>",
		             hd_parts[type].name);
		return HD_OK;
	}
	if (row && (type == HD_PT_BREAK || type == HD_PT_ROW || type == HD_PT_CONTENTS)) {
		hd_xml_error(x, n, "a cell holds parts that sit side by side on one page",
		             "<%s/> cannot be inside a <row>", hd_parts[type].name);
		return HD_OK;
	}
	p->flow = hd_xml_attr(n, "flow") ? hd_xml_collapse(x, a, hd_xml_attr(n, "flow")) : "main";
	if (row)
		p->flow = t->parts[row - 1].flow; /* a cell's parts go where the row goes */
	v = hd_xml_attr(n, "heading");
	p->heading = v ? hd_xml_collapse(x, a, v) : NULL;
	p->chapter = bool_attr(n, "chapter", 0);
	p->columns = (int)num_attr(n, "columns", 1);
	p->detail = HD_DETAIL_DEFAULT;
	v = hd_xml_attr(n, "detail");
	if (v)
		p->detail = strstr(v, "titles")    ? HD_DETAIL_TITLES
		            : strstr(v, "summary") ? HD_DETAIL_SUMMARY
		                                   : HD_DETAIL_FULL;
	v = hd_xml_attr(n, "drawings");
	p->figures = !v                    ? HD_FIGURES_NONE
	             : strstr(v, "beside") ? HD_FIGURES_BESIDE
	             : strstr(v, "float")  ? HD_FIGURES_FLOAT
	             : strstr(v, "below")  ? HD_FIGURES_BELOW
	                                   : HD_FIGURES_NONE;
	p->floating = hd_xml_attr(n, "float") != NULL;
	p->figures_optional = bool_attr(n, "optional", 0);
	p->figure_width = num_attr(n, "drawing-width", p->figures == HD_FIGURES_BELOW ? 0.6 : 0.3);
	p->width = num_attr(n, "width", 1.0);
	p->height = num_attr(n, "height", 0.42);
	if (p->figure_width <= 0 || p->figure_width > 0.9 || p->width <= 0 || p->width > 1) {
		hd_xml_error(x, n, "a width is a fraction: more than 0, at most 1 (0.9 for drawing-width)",
		             "<%s/>: a width is out of range", hd_parts[type].name);
	}
	if (hd_xml_attr(n, "drawing")) {
		p->drawing = hd_xml_collapse(x, a, hd_xml_attr(n, "drawing"));
		if (!p->drawing)
			return HD_ENOMEM;
	}
	if (!p->flow || (hd_xml_attr(n, "heading") && !p->heading))
		return HD_ENOMEM;
	if (hd_xml_attr(n, "label")) {
		p->label = hd_xml_collapse(x, a, hd_xml_attr(n, "label"));
		if (!p->label)
			return HD_ENOMEM;
	}
	if (hd_xml_attr(n, "style")) {
		p->style = hd_xml_collapse(x, a, hd_xml_attr(n, "style"));
		if (!p->style)
			return HD_ENOMEM;
	}
	v = hd_xml_attr(n, "kinds");
	if (v) {
		char *copy = hd_xml_collapse(x, a, v), *tok, *save = NULL;
		size_t k = 0;
		if (!copy)
			return HD_ENOMEM;
		p->kinds = hd_arena_alloc(a, (strlen(copy) / 2 + 1) * sizeof(*p->kinds));
		if (!p->kinds)
			return HD_ENOMEM;
		for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
			p->kinds[k++] = tok;
		p->nkinds = k;
	}
	if (type != HD_PT_BREAK && !flow_has_frame(t, p->flow))
		hd_xml_error(x, n, "add a <frame flow=\"...\"/> for it to a master, or use flow=\"main\"",
		             "no frame shows the flow '%s'", p->flow);
	t->nparts++;
	if (type == HD_PT_ROW) {
		/* the cells' parts follow the row in t->parts, marked with it */
		int self = (int)t->nparts, k = 0, r;
		double *widths, sum = 0;
		xmlNodePtr c, q;
		HD_XML_EACH(c, n)
			p->ncells++;
		widths = hd_arena_alloc(a, (size_t)(p->ncells ? p->ncells : 1) * sizeof(*widths));
		if (!widths)
			return HD_ENOMEM;
		HD_XML_EACH(c, n) {
			widths[k] = num_attr(c, "width", 1.0 / p->ncells);
			sum += widths[k];
			HD_XML_EACH(q, c) {
				r = read_part(t, x, q, seen, self, k);
				if (r)
					return r;
			}
			k++;
		}
		p->widths = widths;
		if (sum < 0.99 || sum > 1.01) {
			hd_xml_error(x, n, "give each <cell> a width; together they make 1 (e.g. 0.8 and 0.2)",
			             "the widths of the cells add up to %.2f, not 1", sum);
		}
	}
	return HD_OK;
}

/* The part elements under n, those in rows' cells included. */
static size_t count_parts(xmlNodePtr n)
{
	xmlNodePtr c;
	size_t count = 0;
	HD_XML_EACH(c, n) {
		count++;
		if (hd_xml_is(c, "row") || hd_xml_is(c, "cell"))
			count += count_parts(c);
	}
	return count;
}

static int read_parts(hd_template *t, hd_xml *x, xmlNodePtr parts)
{
	xmlNodePtr n;
	size_t cap = count_parts(parts);
	int seen[HD_PT_COUNT] = { 0 };

	t->parts = hd_arena_alloc(&t->arena, (cap ? cap : 1) * sizeof(*t->parts));
	if (!t->parts)
		return HD_ENOMEM;
	HD_XML_EACH(n, parts) {
		int r = read_part(t, x, n, seen, 0, 0);
		if (r)
			return r;
	}
	if (t->kind != HD_KIND_CATALOGUE && !seen[HD_PT_WARNINGS])
		hd_xml_error(x, parts, "add <warning-signs/> to <parts>",
		             "the warning signs must be part of every %s", hd_kind_names[t->kind]);
	return HD_OK;
}

/* ----- labels ------------------------------------------------------------------------ */

static const hd_labels *labels_for(const hd_template *t, const char *lang)
{
	const hd_labels *ls;
	for (ls = t->labels; ls; ls = ls->next) {
		if (strcmp(ls->lang, lang) == 0)
			return ls;
	}
	return NULL;
}

static int has_key(const hd_labels *ls, const char *key)
{
	size_t i;
	for (i = 0; i < ls->count; i++) {
		if (strcmp(ls->items[i].key, key) == 0)
			return 1;
	}
	return 0;
}

/* Reads one <labels> set. Reports duplicate keys and empty values. */
static int read_labels(hd_template *t, hd_xml *x, xmlNodePtr n)
{
	hd_arena *a = &t->arena;
	hd_labels *ls, **tail;
	xmlNodePtr lab;
	size_t cap = 0, i;
	const char *lang = hd_xml_collapse(x, a, hd_xml_lang(n));

	if (!lang)
		return HD_ENOMEM;
	if (labels_for(t, lang)) {
		hd_xml_error(x, n, "merge the two sets into one", "a second set of labels for '%s'", lang);
		return HD_OK;
	}
	ls = hd_arena_alloc(a, sizeof(*ls));
	if (!ls)
		return HD_ENOMEM;
	ls->lang = lang;
	{
		/* the schema allows "curly" and "angle" */
		const char *q = hd_xml_attr(n, "quotes");
		q = q ? hd_xml_collapse(x, a, q) : NULL;
		ls->quotes = q && !strcmp(q, "angle");
	}
	HD_XML_EACH(lab, n)
		cap++;
	ls->items = hd_arena_alloc(a, cap * sizeof(*ls->items));
	if (!ls->items)
		return HD_ENOMEM;
	HD_XML_EACH(lab, n) {
		const char *key = hd_xml_collapse(x, a, hd_xml_attr(lab, "key"));
		const char *value = hd_xml_text(x, a, lab, 0);
		if (!key || !value)
			return HD_ENOMEM;
		if (!*value) {
			hd_xml_error(x, lab, "write the text of the label", "label '%s' (%s) is empty", key, lang);
			continue;
		}
		for (i = 0; i < ls->count; i++) {
			if (strcmp(ls->items[i].key, key) == 0)
				break;
		}
		if (i < ls->count) {
			hd_xml_error(x, lab, "give each key once per language",
			             "label '%s' is defined twice for '%s'", key, lang);
			continue;
		}
		ls->items[ls->count].key = key;
		ls->items[ls->count].value = value;
		ls->count++;
	}
	for (tail = &t->labels; *tail; tail = &(*tail)->next)
		;
	*tail = ls;
	return HD_OK;
}

/* 1 when the xml:lang value raw (white space allowed around it) is lang. */
static int lang_is(const char *raw, const char *lang)
{
	size_t n = strlen(lang);
	if (!raw)
		return 0;
	raw += strspn(raw, " \t\r\n");
	return strncmp(raw, lang, n) == 0 && raw[n + strspn(raw + n, " \t\r\n")] == '\0';
}

/* Reports key missing from the English set (why: what prints it), expanding
 * "prefix.*" to every code of the vocabulary it names. */
static void need_key(hd_xml *x, xmlNodePtr where, const hd_labels *en, const char *key,
                     const char *why)
{
	char k[96];
	size_t i;

	if (!strcmp(key, "area.*") || !strcmp(key, "kind.*") || !strcmp(key, "role.*")) {
		const char *const *list = key[0] == 'a' ? hd_area_codes
		                          : key[0] == 'k' ? hd_entry_kinds
		                                          : hd_section_roles;
		size_t n = key[0] == 'a' ? hd_area_count
		           : key[0] == 'k' ? hd_entry_kind_count
		                           : hd_section_role_count;
		for (i = 0; i < n; i++) {
			if (key[0] == 'r' && !strcmp(list[i], "body"))
				continue; /* a body section has no heading */
			snprintf(k, sizeof(k), "%.*s%s", (int)(strlen(key) - 1), key, list[i]);
			need_key(x, where, en, k, why);
		}
		return;
	}
	if (!has_key(en, key))
		hd_xml_error(x, where, why, "the English labels lack the key '%s'", key);
}

/* The English set has every key the document and its parts print, and every
 * other set every key of the English set. */
static void check_labels(hd_template *t, hd_xml *x, xmlNodePtr root)
{
	const hd_labels *en = labels_for(t, "en"), *ls;
	xmlNodePtr n, en_node = NULL;
	size_t i, k;
	char why[96];

	if (!en) {
		hd_xml_error(x, root, "add <labels xml:lang=\"en\"> with every label",
		             "the template has no English labels");
		return;
	}
	HD_XML_EACH(n, root) {
		if (!en_node && hd_xml_is(n, "labels") && lang_is(hd_xml_lang(n), "en"))
			en_node = n;
	}
	for (k = 0; hd_document_labels[k]; k++)
		need_key(x, en_node, en, hd_document_labels[k], "every document prints it");
	for (i = 0; i < t->nparts; i++) {
		const hd_part *p = &t->parts[i];
		const hd_part_info *pi = &hd_parts[p->type];
		const char *heading = p->heading ? p->heading : pi->heading;
		snprintf(why, sizeof(why), "the part <%s/> prints it", pi->name);
		for (k = 0; pi->labels[k]; k++)
			need_key(x, en_node, en, pi->labels[k], why);
		if (heading && *heading)
			need_key(x, en_node, en, heading, why);
		if (p->label)
			need_key(x, en_node, en, p->label, why);
		for (k = 0; k < p->nkinds; k++) {
			char key[64];
			if (p->heading)
				break; /* one heading for the whole part */
			snprintf(key, sizeof(key), "kind.%s", p->kinds[k]);
			need_key(x, en_node, en, key, why);
		}
	}
	for (ls = t->labels; ls; ls = ls->next) {
		xmlNodePtr where = NULL;
		if (ls == en)
			continue;
		HD_XML_EACH(n, root) {
			if (!where && hd_xml_is(n, "labels") && lang_is(hd_xml_lang(n), ls->lang))
				where = n;
		}
		for (i = 0; i < en->count; i++) {
			if (!has_key(ls, en->items[i].key))
				hd_xml_error(x, where, "every set of labels needs every key of the English set",
				             "the labels for '%s' lack the key '%s'", ls->lang, en->items[i].key);
		}
	}
}

/* Every style a part uses is defined. */
static void check_styles(hd_template *t, hd_xml *x, xmlNodePtr styles)
{
	size_t i, k;
	for (i = 0; i < t->nparts; i++) {
		if (t->parts[i].style && hd_template_style(t, t->parts[i].style) < 0)
			hd_xml_error(x, styles, "define it in <styles>, or name another",
			             "the style '%s' is not defined; the part <%s/> on line %d uses it",
			             t->parts[i].style, hd_parts[t->parts[i].type].name, t->parts[i].line);
	}
	for (k = 0; hd_document_styles[k]; k++) {
		if (hd_template_style(t, hd_document_styles[k]) < 0)
			hd_xml_error(x, styles, "every document uses it",
			             "the style '%s' is not defined", hd_document_styles[k]);
	}
	for (i = 0; i < t->nparts; i++) {
		const hd_part_info *pi = &hd_parts[t->parts[i].type];
		for (k = 0; pi->styles && pi->styles[k]; k++) {
			size_t j;
			if (hd_template_style(t, pi->styles[k]) >= 0)
				continue;
			for (j = 0; j < i; j++) { /* say it once */
				const hd_part_info *pj = &hd_parts[t->parts[j].type];
				size_t q;
				for (q = 0; pj->styles && pj->styles[q]; q++) {
					if (!strcmp(pj->styles[q], pi->styles[k]))
						break;
				}
				if (pj->styles && pj->styles[q])
					break;
			}
			if (j == i)
				hd_xml_error(x, styles, NULL, "the style '%s' is not defined; the part <%s/> uses it",
				             pi->styles[k], pi->name);
		}
	}
}

/* ----- the whole template -------------------------------------------------------------- */

static int read_template(hd_template *t, hd_xml *x)
{
	hd_arena *a = &t->arena;
	xmlNodePtr root = x->root, n;
	const char *kind;
	int r;

	t->file = hd_arena_strdup(a, x->path);
	t->id = hd_xml_collapse(x, a, hd_xml_attr(root, "id"));
	kind = hd_xml_collapse(x, a, hd_xml_attr(root, "kind"));
	if (!t->file || !t->id || !kind)
		return HD_ENOMEM;
	t->kind = (enum hd_doc_kind)hd_kind_find(kind); /* the schema allows no other */

	if ((n = hd_xml_child(root, "fonts"))) {
		const char *fam = hd_xml_attr(n, "family"), *head = hd_xml_attr(n, "headings");
		t->font_line = hd_xml_line(n);
		if ((fam && !(t->font_family = hd_xml_collapse(x, a, fam))) ||
		    (head && !(t->font_headings = hd_xml_collapse(x, a, head))))
			return HD_ENOMEM;
	}
	n = hd_xml_child(root, "type");
	t->body_size = num_attr(n, "body", 11);
	t->large_body_size = num_attr(n, "large-body", 15);
	t->min_body_size = num_attr(n, "min-body", t->body_size);
	t->min_large_size = num_attr(n, "min-large-body", t->large_body_size);
	t->large_minimum = num_attr(n, "large-minimum", 12);
	if (t->min_body_size > t->body_size)
		hd_xml_error(x, n, "min-body is how far the body type may shrink, so it cannot be larger",
		             "min-body (%g) is larger than body (%g)", t->min_body_size, t->body_size);
	if (t->min_large_size > t->large_body_size)
		hd_xml_error(x, n, "min-large-body is how far large print may shrink, so it cannot be larger",
		             "min-large-body (%g) is larger than large-body (%g)", t->min_large_size,
		             t->large_body_size);
	if (t->body_size > 24 || t->large_body_size > 24)
		hd_xml_error(x, n, "24 points is the largest size the warning-signs box fits a page at",
		             "body (%g) and large-body (%g) must be 24 points or less", t->body_size,
		             t->large_body_size);
	if (t->large_body_size < 14)
		hd_xml_error(x, n, "large print must stay at 14 points or more",
		             "large-body (%g) is smaller than 14", t->large_body_size);
	if (t->min_large_size < 14)
		hd_xml_error(x, n, "large print must stay at 14 points or more, even when shrunk",
		             "min-large-body (%g) is smaller than 14", t->min_large_size);
	if (t->large_minimum < 12)
		hd_xml_error(x, n, "large print prints nothing smaller than 12 points",
		             "large-minimum (%g) is smaller than 12", t->large_minimum);

	r = read_styles(t, x, hd_xml_child(root, "styles"));
	if (!r)
		r = read_page(t, x, hd_xml_child(root, "page"));
	if (!r)
		r = read_parts(t, x, hd_xml_child(root, "parts"));
	if (r)
		return r;
	check_styles(t, x, hd_xml_child(root, "styles"));
	HD_XML_EACH(n, root) {
		if (hd_xml_is(n, "labels") && read_labels(t, x, n))
			return HD_ENOMEM;
	}
	if (x->oom)
		return HD_ENOMEM;
	check_labels(t, x, root);
	return hd_xml_status(x);
}

int hd_convert_template(hd_template **out, hd_xml *x)
{
	hd_template *t;
	int rc;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return HD_ENOMEM;
	rc = read_template(t, x);
	if (rc) {
		hd_template_free(t);
		return rc;
	}
	*out = t;
	return HD_OK;
}

int hd_load_template(hd_template **out, hd_loader *l, const char *path, hd_diags *d)
{
	hd_xml x;
	int rc;

	*out = NULL;
	rc = hd_xml_open(&x, l, path, HD_MAX_XML_FILE, HD_VOCAB_TEMPLATE, 0, d);
	if (rc)
		return rc;
	rc = hd_convert_template(out, &x);
	hd_xml_close(&x);
	return rc;
}
