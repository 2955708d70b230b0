#include "block.h"

#include <string.h>

hd_block *hd_block_new(hd_arena *a, enum hd_block_kind kind)
{
	hd_block *b = hd_arena_alloc(a, sizeof(*b));
	if (b) {
		b->kind = kind;
		b->style = -1;
	}
	return b;
}

/* The last span of b, or NULL. The cache is kept by every function here that
 * changes the list; a list built by hand is walked once and cached. */
static hd_span *last_span(hd_block *b)
{
	hd_span *s = b->spans_tail && !b->spans_tail->next ? b->spans_tail : b->spans;
	while (s && s->next)
		s = s->next;
	b->spans_tail = s;
	return s;
}

hd_span *hd_block_add_text(hd_arena *a, hd_block *b, unsigned style, const char *text,
                           size_t len)
{
	hd_span *s, *last;

	s = hd_arena_alloc(a, sizeof(*s));
	if (!s)
		return NULL;
	s->text = hd_arena_strndup(a, text, len);
	if (!s->text)
		return NULL;
	s->len = len;
	s->style = style;
	last = last_span(b);
	if (last)
		last->next = s;
	else
		b->spans = s;
	b->spans_tail = s;
	return s;
}

static int is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int hd_block_add_text_collapse(hd_arena *a, hd_block *b, unsigned style, const char *text,
                               size_t len, int *last_space)
{
	char *tmp, *o;
	size_t i;
	int sp = *last_space;

	tmp = hd_arena_alloc(a, len + 1);
	if (!tmp)
		return HD_ENOMEM;
	o = tmp;
	for (i = 0; i < len; i++) {
		if (is_xml_space(text[i])) {
			if (!sp)
				*o++ = ' ';
			sp = 1;
		} else {
			*o++ = text[i];
			sp = 0;
		}
	}
	*last_space = sp;
	if (o == tmp)
		return HD_OK;
	if (!hd_block_add_text(a, b, style, tmp, (size_t)(o - tmp)))
		return HD_ENOMEM;
	return HD_OK;
}

void hd_block_append(hd_block **head, hd_block *b)
{
	while (*head)
		head = &(*head)->next;
	*head = b;
}

void hd_block_add_child(hd_block *parent, hd_block *child)
{
	hd_block *last = parent->children_tail && !parent->children_tail->next
	                         ? parent->children_tail
	                         : parent->children;
	while (last && last->next)
		last = last->next;
	if (last)
		last->next = child;
	else
		parent->children = child;
	while (child->next) /* child may be a list */
		child = child->next;
	parent->children_tail = child;
}

void hd_block_trim(hd_block *b)
{
	hd_span *s, *prev = NULL, *lastnonempty = NULL;

	/* Drop a leading space of the first span. */
	for (s = b->spans; s && s->len == 0; s = s->next)
		;
	if (s && s->len && s->text[0] == ' ') {
		s->text++;
		s->len--;
	}
	/* Drop trailing spaces of the last non-empty span and empty tail spans. */
	for (s = b->spans; s; s = s->next) {
		if (s->len)
			lastnonempty = s;
	}
	if (!lastnonempty) {
		b->spans = NULL;
		b->spans_tail = NULL;
		return;
	}
	while (lastnonempty->len && lastnonempty->text[lastnonempty->len - 1] == ' ')
		lastnonempty->len--;
	lastnonempty->next = NULL;
	/* Remove spans that became empty in the middle. */
	for (s = b->spans; s; s = s->next) {
		if (s->len == 0) {
			if (prev)
				prev->next = s->next;
			else
				b->spans = s->next;
		} else {
			prev = s;
		}
	}
	b->spans_tail = prev;
}

static hd_block *copy_block(hd_arena *a, const hd_block *src)
{
	hd_block *b = hd_block_new(a, src->kind);
	const hd_span *s;

	if (!b)
		return NULL;
	b->level = src->level;
	b->flags = src->flags;
	b->anchor = src->anchor;
	b->target = src->target;
	b->right = src->right ? hd_arena_strdup(a, src->right) : NULL;
	b->style = src->style;
	b->cols = src->cols; /* tables and drawings are read-only, shared */
	b->ncols = src->ncols;
	b->header_rows = src->header_rows;
	b->drawing = src->drawing;
	b->image = src->image;
	b->fig_width = src->fig_width;
	b->fig_height = src->fig_height;
	for (s = src->spans; s; s = s->next) {
		hd_span *c;
		if (!s->len)
			continue;
		c = hd_block_add_text(a, b, s->style, s->text, s->len);
		if (!c)
			return NULL;
		c->nobreak = s->nobreak;
		c->verbatim = s->verbatim;
		c->line = s->line;
	}
	if (src->children) {
		b->children = hd_block_copy_list(a, src->children);
		if (!b->children)
			return NULL;
	}
	return b;
}

hd_block *hd_block_copy_list(hd_arena *a, const hd_block *src)
{
	hd_block *head = NULL, **tail = &head;

	for (; src; src = src->next) {
		hd_block *b = copy_block(a, src);
		if (!b)
			return NULL;
		*tail = b;
		tail = &b->next;
	}
	return head;
}

int hd_block_plain_text(const hd_block *list, hd_buf *buf)
{
	const hd_block *b;
	const hd_span *s;

	for (b = list; b; b = b->next) {
		for (s = b->spans; s; s = s->next)
			hd_buf_append(buf, s->text, s->len);
		if (b->spans)
			hd_buf_putc(buf, '\n');
		if (b->children)
			hd_block_plain_text(b->children, buf);
	}
	return buf->oom ? HD_ENOMEM : HD_OK;
}
