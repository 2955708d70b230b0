/*
 * presets: the clinic's programmes as buttons on the desk. Each button
 * carries what its programme fills in (JSON in data-preset, read by
 * desk.js); the library loaded and checked the file (hd_presets_load).
 */
#include <string.h>

#include "desk.h"

static const char *const lang_codes[] = { "en", "es" };

void desk_presets_html(desk_buf *b, desk *d, int lang)
{
	size_t i, n = hd_presets_count(d->presets);

	if (!n) {
		desk_puts(b, "<p class=\"hint\">");
		desk_put_html(b, desk_word(d, lang, "presets_none"));
		desk_puts(b, "</p>");
		return;
	}
	desk_puts(b, "<div class=\"preset-buttons\">");
	for (i = 0; i < n; i++) {
		const char *id, *title, *field, *value, *dose;
		const char *open = NULL;
		desk_buf json = { 0 };
		size_t j;

		hd_preset_info(d->presets, i, lang_codes[lang], &id, &title);
		desk_puts(&json, "{");
		for (j = 0; hd_preset_item(d->presets, i, j, &field, &value, &dose) == HD_OK; j++) {
			if (!open || strcmp(open, field)) {
				if (open && strcmp(open, "pressure"))
					desk_puts(&json, "],");
				else if (open)
					desk_puts(&json, ",");
				desk_put_json(&json, field);
				desk_puts(&json, strcmp(field, "pressure") ? ":[" : ":");
				open = field;
			} else {
				desk_puts(&json, ",");
			}
			if (!strcmp(field, "tips")) {
				desk_puts(&json, "{\"id\":");
				desk_put_json(&json, value);
				if (dose) {
					desk_puts(&json, ",\"dose\":");
					desk_put_json(&json, dose);
				}
				desk_puts(&json, "}");
			} else {
				desk_put_json(&json, value);
			}
		}
		if (open && strcmp(open, "pressure"))
			desk_puts(&json, "]");
		desk_puts(&json, "}");
		desk_puts(b, "<button type=\"button\" data-preset-id=\"");
		desk_put_html(b, id);
		desk_puts(b, "\" data-preset=\"");
		desk_put_html(b, json.data ? json.data : "{}");
		desk_puts(b, "\">");
		desk_put_html(b, title);
		desk_puts(b, "</button>");
		desk_buf_free(&json);
	}
	desk_puts(b, "</div>");
}
