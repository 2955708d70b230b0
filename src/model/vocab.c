#include "vocab.h"

#include <string.h>

const char *const hd_kind_names[HD_KIND_COUNT] = { "aftercare", "brochure", "guide", "catalogue", "report" };

int hd_kind_find(const char *name)
{
	return hd_vocab_index(hd_kind_names, HD_KIND_COUNT, name);
}

#define AFTERCARE HD_KIND_BIT(HD_KIND_AFTERCARE)
#define BROCHURE HD_KIND_BIT(HD_KIND_BROCHURE)
#define GUIDE HD_KIND_BIT(HD_KIND_GUIDE)
#define CATALOGUE HD_KIND_BIT(HD_KIND_CATALOGUE)
#define REPORT HD_KIND_BIT(HD_KIND_REPORT)
#define CLIENT_DOCS (AFTERCARE | BROCHURE | GUIDE | REPORT)

/* What a date prints with. */
#define DATE_LABELS "months", "date-format", "time-format", "date-time"

static const char *const L_TITLE[] = { "title", NULL };
static const char *const L_SUMMARY[] = { "date", "therapist", "pressure", "pressure.light",
	                                 "pressure.medium", "pressure.firm", "pressure.deep",
	                                 DATE_LABELS, NULL };
static const char *const L_TECHNIQUES[] = { "techniques", NULL };
static const char *const L_AREAS[] = { "areas", "area.*", NULL };
static const char *const L_NOTES[] = { "notes", NULL };
static const char *const L_SELFCARE[] = { "selfcare", "your-dose", NULL };
static const char *const L_WARNINGS[] = { "warnings", "urgent", "soon", NULL };
static const char *const L_NEXT[] = { "next-visit", "next-visit-none", DATE_LABELS, NULL };
static const char *const L_DISCLAIMER[] = { "disclaimer", NULL };
static const char *const L_COVER[] = { "cover-title", "cover-subtitle", "prepared-for",
	                               "prepared-by", DATE_LABELS, NULL };
static const char *const L_CONTACT[] = { "contact", "phone", "email", "web", NULL };
static const char *const L_CONTENTS[] = { "contents", NULL };
static const char *const L_ENTRIES[] = { "meta", "dose", "urgent", "soon", "kind.*", "role.*",
	                                 "drawing", "drawings", NULL };
static const char *const L_LIBRARY[] = { "dose", "urgent", "soon", "role.*", NULL };
static const char *const L_VISITS[] = { "visits", "visits-date", "visits-therapist", "months-short", "date-short-year", "time-format",
	                                "visits-techniques", "visits-areas", "visits-pain",
	                                "pain-missing", "area.*", DATE_LABELS, NULL };
static const char *const L_PAIN_CHART[] = { "pain-chart", "pain-before", "pain-after",
	                                    "pain-axis", "pain-none", "date-short", "date-short-year", "months-short",
	                                    NULL };
static const char *const L_HEAT_MAP[] = { "heat-map", "heat-map-note", "area.*", NULL };
static const char *const L_REPORT_SUMMARY[] = { "report-summary", "report-summary-one", "client-number",
	                                        DATE_LABELS, NULL };
static const char *const L_NONE[] = { NULL };

static const char *const S_TITLE[] = { "title", NULL };
static const char *const S_BODY[] = { "body", NULL };
static const char *const S_HEADED[] = { "h2", "body", NULL };
static const char *const S_LIST[] = { "h2", "list", "small", NULL };
static const char *const S_WARN[] = { "callout", "callout-title", "list", NULL };
static const char *const S_SMALL[] = { "small", NULL };
static const char *const S_COVER[] = { "cover-title", "cover-line", NULL };
static const char *const S_CONTACT[] = { "h2", "body", "contact-line", NULL };
static const char *const S_CONTENTS[] = { "h2", "toc1", "toc2", NULL };
static const char *const S_ENTRIES[] = { "title", "h2", "h3", "h4", "body", "small", "list",
	                                 "toc1", "toc2", "figure", NULL };
static const char *const S_LIBRARY[] = { "h2", "h3", "h4", "body", "small", "list", "steps",
	                                 "figure", NULL };
static const char *const S_FIGURE[] = { "figure", NULL };
static const char *const S_VISITS[] = { "h2", "visits", "table-head", "table-cell", NULL };
static const char *const S_CHART[] = { "h2", "figure", "small", NULL };

const hd_part_info hd_parts[HD_PT_COUNT] = {
	[HD_PT_TITLE] = { "title", AFTERCARE | GUIDE | CATALOGUE | REPORT, NULL, L_TITLE, S_TITLE, 0 },
	[HD_PT_SUMMARY] = { "summary", AFTERCARE | GUIDE, NULL, L_SUMMARY, S_BODY, 1 },
	[HD_PT_TECHNIQUES] = { "techniques", AFTERCARE | GUIDE, "techniques", L_TECHNIQUES, S_LIBRARY, 1 },
	[HD_PT_AREAS] = { "areas", AFTERCARE | GUIDE, "areas", L_AREAS, S_HEADED, 1 },
	[HD_PT_NOTES] = { "notes", AFTERCARE | GUIDE, "notes", L_NOTES, S_LIST, 1 },
	[HD_PT_SELFCARE] = { "selfcare", AFTERCARE | GUIDE | REPORT, "selfcare", L_SELFCARE, S_LIBRARY, 1 },
	[HD_PT_WARNINGS] = { "warning-signs", CLIENT_DOCS, NULL, L_WARNINGS, S_WARN, 0 },
	[HD_PT_NEXT_VISIT] = { "next-visit", AFTERCARE | GUIDE, NULL, L_NEXT, S_BODY, 1 },
	[HD_PT_DISCLAIMER] = { "disclaimer", CLIENT_DOCS, NULL, L_DISCLAIMER, S_SMALL, 0 },
	[HD_PT_COVER] = { "cover", BROCHURE | GUIDE, NULL, L_COVER, S_COVER, 0 },
	[HD_PT_CONTACT] = { "contact", CLIENT_DOCS, "contact", L_CONTACT, S_CONTACT, 0 },
	[HD_PT_CONTENTS] = { "contents", GUIDE | CATALOGUE, "contents", L_CONTENTS, S_CONTENTS, 0 },
	[HD_PT_ENTRIES] = { "entries", CATALOGUE, NULL, L_ENTRIES, S_ENTRIES, 0 },
	[HD_PT_LIBRARY] = { "library", CLIENT_DOCS, NULL, L_LIBRARY, S_LIBRARY, 0 },
	[HD_PT_TEXT] = { "text", CLIENT_DOCS | CATALOGUE, NULL, L_NONE, S_BODY, 0 },
	[HD_PT_BREAK] = { "break", CLIENT_DOCS | CATALOGUE, NULL, L_NONE, NULL, 0 },
	[HD_PT_ROW] = { "row", CLIENT_DOCS | CATALOGUE, NULL, L_NONE, S_LIST, 0 },
	[HD_PT_BODY_DIAGRAM] = { "body-diagram", AFTERCARE | GUIDE, NULL, L_NONE, S_FIGURE, 1 },
	[HD_PT_VISITS] = { "visits", REPORT, "visits", L_VISITS, S_VISITS, 1 },
	[HD_PT_PAIN_CHART] = { "pain-chart", REPORT, "pain-chart", L_PAIN_CHART, S_CHART, 1 },
	[HD_PT_HEAT_MAP] = { "heat-map", REPORT, "heat-map", L_HEAT_MAP, S_CHART, 1 },
	[HD_PT_REPORT_SUMMARY] = { "report-summary", REPORT, NULL, L_REPORT_SUMMARY, S_BODY, 1 },
	[HD_PT_QR] = { "qr", CLIENT_DOCS, NULL, L_NONE, S_FIGURE, 0 },
};

int hd_part_find(const char *name)
{
	int i;
	for (i = 0; i < HD_PT_COUNT; i++) {
		if (!strcmp(hd_parts[i].name, name))
			return i;
	}
	return -1;
}

const char *const hd_document_labels[] = { "doc-title", "subject", "page", "phone", "email",
	                                   "web", DATE_LABELS, NULL };
const char *const hd_document_styles[] = { "body", NULL };

const char *const hd_entry_kinds[] = {
	"anatomy", "cause", "benefit", "technique", "before", "selfcare", "exercise",
	"precaution", "warning-sign", "disclaimer",
};
const size_t hd_entry_kind_count = sizeof(hd_entry_kinds) / sizeof(hd_entry_kinds[0]);

const char *const hd_section_roles[] = {
	"what", "feel", "suits", "expect", "body", "helps", "steps", "safety",
};
const size_t hd_section_role_count = sizeof(hd_section_roles) / sizeof(hd_section_roles[0]);

const char *const hd_area_codes[] = {
	"neck", "shoulder-left", "shoulder-right", "upper-back", "mid-back", "lumbar-left",
	"lumbar-right", "sacrum", "glute-left", "glute-right", "hip-left", "hip-right",
	"hamstring-left", "hamstring-right",
};
const size_t hd_area_count = sizeof(hd_area_codes) / sizeof(hd_area_codes[0]);

const char *const hd_pressures[] = { "light", "medium", "firm", "deep" };
const size_t hd_pressure_count = sizeof(hd_pressures) / sizeof(hd_pressures[0]);

int hd_vocab_index(const char *const *list, size_t n, const char *s)
{
	size_t i;
	for (i = 0; s && i < n; i++) {
		if (!strcmp(list[i], s))
			return (int)i;
	}
	return -1;
}
