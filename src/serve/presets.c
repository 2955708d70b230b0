/*
 * presets: the clinic's programmes as buttons on the desk.
 */
#include "desk.h"

void desk_presets_html(desk_buf *b, desk *d, int lang);

void desk_presets_html(desk_buf *b, desk *d, int lang)
{
	desk_puts(b, "<p class=\"hint\">");
	desk_put_html(b, desk_word(d, lang, "presets_none"));
	desk_puts(b, "</p>");
}
