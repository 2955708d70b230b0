/*
 * list: client lists (see list.h and "client lists" in handout.h). CSV is
 * parsed by libcsv (strict mode); this file decides the delimiter, checks
 * the encoding, maps the header to session fields and keeps each row's
 * cells as text in one arena.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <ctype.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "internal.h"
#include "list.h"
#include "load.h"
#include "util.h"

/* The fields a column may feed, in the order a row's session is built. */
static const struct field_info {
	const char *name;
	const char *join; /* how several columns are joined; NULL: one column only */
} fields[] = {
	{ "client_id", NULL }, { "client", " " }, { "email", NULL }, { "date", NULL },
	{ "time", NULL }, { "therapist", " " }, { "language", NULL }, { "size", NULL },
	{ "paper", NULL }, { "techniques", " " }, { "areas", " " }, { "pressure", NULL },
	{ "pain_before", NULL }, { "pain_after", NULL }, { "notes", "\n" }, { "tips", "\n" },
	{ "next_visit", NULL },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* Other names a header may use for a field. */
static const struct alias {
	const char *from, *to;
} aliases[] = { { "name", "client" }, { "client_name", "client" }, { "id", "client_id" },
	        { "e_mail", "email" }, { "lang", "language" }, { "next_visit_date", "next_visit" } };

/* A problem found in a row while reading the file; reported when the row is
 * made. */
typedef struct row_problem {
	int code;
	const char *column; /* or NULL */
	const char *message;
	const char *hint;
} row_problem;

/* One row. A CSV row keeps where it is in the file, not its text, and is
 * read again when it is made (row_text): a list of any length costs 48
 * bytes and its id a row, so a batch's memory stays flat. */
typedef struct row {
	int line;                 /* row number: the header is row 1 */
	unsigned short ncells;    /* at most HD_LIST_MAX_COLUMNS */
	uint32_t len;             /* CSV: the row's bytes in the file... */
	uint64_t check;           /* ... their FNV-1a hash, to see a file changed */
	union {
		off_t off;            /* CSV: where the row starts in the file */
		const char *path;     /* an XML list: the session file; a root of
		                         records folders: this client's folder */
	} at;
	row_problem *problem;     /* or NULL */
	const char *id;           /* client_id, or "r<line>" */
} row;

struct hd_list {
	hd_arena arena;
	char *path;               /* as given, for diagnostics */
	int fd;                   /* CSV: the file, open while the list lives; else -1 */
	atomic_int changed;       /* a row read again was not what it was */
	int win1252;              /* CSV: its cells are converted from Windows-1252 */
	char delim;               /* CSV: ',' or ';' */
	int xml;                  /* an XML list of session files */
	int records;              /* a folder of clients' records folders */
	const char **header;      /* column names */
	size_t ncols;
	int *col_field;           /* per column: index in fields[], or -1 (ignored) */
	const char *field_cols[NFIELDS]; /* per field: its columns' names joined with
	                                    " + " ("First Name + Last Name"), or "" */
	row *rows;
	size_t nrows, caprows;
};

/* ----- reading CSV ----------------------------------------------------------- */

struct mapping;
typedef struct parse_state {
	hd_list *l;
	hd_diags *d;
	int win1252;
	const char **cells;       /* the row being read: set from text and offs at its end */
	size_t *offs;
	hd_buf text;
	size_t ncells, capcells;
	int too_many;             /* cells beyond HD_LIST_MAX_COLUMNS in this row */
	int big_cell;             /* the first cell over HD_LIST_MAX_CELL (1-based), or 0 */
	size_t big_len;
	int nul_cell;             /* the first cell with a NUL byte (1-based), or 0 */
	int line;                 /* the row being read */
	int header_done;
	int failed;               /* an error that refuses the whole file */
	int oom;
	size_t bad_utf8_cell;     /* 1-based cell of the first text that is not UTF-8 */
	unsigned char bad_byte;
	/* --encoding windows-1252 given for a file that is UTF-8: what shows it */
	int not_utf8;             /* some cell is not UTF-8: Windows-1252 it may be */
	int utf8_line;            /* the row of the first cell that is UTF-8 beyond ASCII, */
	size_t utf8_cell;         /* its cell (1-based) */
	char utf8_text[48];       /* and its start */
	const struct mapping *mapping; /* or NULL */
	/* where rows are in the file: the file is given to libcsv a line at a
	 * time, so a row ends where the piece that ended it ends */
	off_t piece_end;          /* file offset just past the piece being parsed */
	off_t row_start;          /* file offset where the row being read starts */
	uint64_t hash;            /* FNV-1a of the row's bytes given so far */
	/* reading one row again (row_text) instead of the whole file */
	int again;
	int rows_seen;
	size_t again_len;         /* the packed cells' length */
} parse_state;

#define FNV64_BASIS 0xcbf29ce484222325ull
static uint64_t fnv64(uint64_t h, const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* Windows-1252 bytes 0x80-0x9F as code points (0: undefined). */
static const uint16_t cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
	0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178 };

/* Appends the cell's text as UTF-8 (converted from Windows-1252 when
 * asked) and a NUL to the row's text; its offset goes to offs. The row's
 * cells are packed into one allocation when the row ends (on_row): a list of
 * 10,000 rows then costs little more than its text. */
static int add_text(parse_state *ps, const char *s, size_t len)
{
	size_t i;

	ps->offs[ps->ncells] = ps->text.len;
	if (!ps->win1252) {
		hd_buf_append(&ps->text, s, len);
	} else {
		for (i = 0; i < len; i++) {
			unsigned char b = (unsigned char)s[i];
			uint32_t cp = b < 0x80 ? b : b < 0xA0 ? cp1252[b - 0x80] : b;
			char u8[4];
			if (!cp)
				cp = 0xFFFD; /* five bytes Windows-1252 leaves undefined */
			hd_buf_append(&ps->text, u8, hd_utf8_encode(cp, u8));
		}
	}
	hd_buf_append(&ps->text, "", 1);
	if (ps->text.oom)
		return -1;
	ps->ncells++;
	return 0;
}

static void on_cell(void *data, size_t len, void *ctx)
{
	parse_state *ps = ctx;
	const char *s = data ? data : "";

	if (ps->failed || ps->oom)
		return;
	if (ps->ncells >= HD_LIST_MAX_COLUMNS) {
		ps->too_many++;
		return;
	}
	if (ps->ncells == ps->capcells) {
		size_t cap = ps->capcells ? ps->capcells * 2 : 16;
		const char **n = realloc(ps->cells, cap * sizeof(*n));
		size_t *o = n ? realloc(ps->offs, cap * sizeof(*o)) : NULL;
		if (n)
			ps->cells = n;
		if (!n || !o) {
			ps->oom = 1;
			return;
		}
		ps->offs = o;
		ps->capcells = cap;
	}
	if (len > HD_LIST_MAX_CELL) {
		if (!ps->big_cell) {
			ps->big_cell = (int)ps->ncells + 1;
			ps->big_len = len;
		}
		len = 0;
	} else if (memchr(s, '\0', len)) {
		if (!ps->nul_cell)
			ps->nul_cell = (int)ps->ncells + 1;
		len = 0;
	} else if (!ps->win1252 && !ps->bad_utf8_cell) {
		size_t at = hd_utf8_check(s, len);
		if (at < len) {
			ps->bad_utf8_cell = ps->ncells + 1;
			ps->bad_byte = (unsigned char)s[at];
		}
	} else if (ps->win1252 && !ps->again && !ps->not_utf8) {
		/* Windows-1252 text is almost never valid UTF-8 once it has a byte
		 * over 0x7F ("Zoë" is 5A 6F EB); UTF-8 text read as Windows-1252
		 * would print every accented name wrong ("ZoÃ«") */
		size_t k;
		for (k = 0; k < len && !((unsigned char)s[k] & 0x80); k++)
			;
		if (hd_utf8_check(s, len) < len) {
			ps->not_utf8 = 1;
		} else if (k < len && !ps->utf8_line) {
			ps->utf8_line = ps->line + 1;
			ps->utf8_cell = ps->ncells + 1;
			snprintf(ps->utf8_text, sizeof(ps->utf8_text), "%.*s", (int)(len < 40 ? len : 40), s);
			ps->utf8_text[hd_utf8_check(ps->utf8_text, strlen(ps->utf8_text))] = '\0';
		}
	}
	if (add_text(ps, s, len))
		ps->oom = 1;
}

/* The name of column c (1-based) of the header, for messages. */
static const char *column_name(const hd_list *l, size_t c)
{
	return c >= 1 && c <= l->ncols ? l->header[c - 1] : NULL;
}

static void report_bad_utf8(parse_state *ps)
{
	hd_list *l = ps->l;
	hd_diag_coded(ps->d, HD_ERROR, HD_DIAG_ENCODING, NULL, l->path, ps->line, 0,
	              "save it as \"CSV UTF-8\" (Excel: Save As, CSV UTF-8), or give --encoding "
	              "windows-1252 if it is Excel's plain \"CSV\" from a Western European Windows",
	              "this text is not UTF-8 (byte 0x%02X)%s", ps->bad_byte,
	              ps->header_done ? "" : " in the header row");
	if (ps->d && ps->d->count && column_name(l, ps->bad_utf8_cell) && ps->header_done)
		snprintf(ps->d->items[ps->d->count - 1].column,
		         sizeof(ps->d->items[ps->d->count - 1].column), "%s",
		         column_name(l, ps->bad_utf8_cell));
}

/* A row problem kept in the arena. */
static row_problem *problem(hd_list *l, int code, const char *column, const char *hint,
                            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static row_problem *problem(hd_list *l, int code, const char *column, const char *hint,
                            const char *fmt, ...)
{
	row_problem *p = hd_arena_alloc(&l->arena, sizeof(*p));
	char msg[512];
	va_list ap;

	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->code = code;
	p->column = column;
	p->message = hd_arena_strdup(&l->arena, msg);
	p->hint = hint;
	return p->message ? p : NULL;
}

static int map_header(parse_state *ps);
static const char *id_of(hd_list *l, const char **cells, size_t ncells, int line);

/* The number of cells a row keeps: trailing empty cells beyond the header
 * are what spreadsheets add. */
static size_t kept_cells(const parse_state *ps)
{
	size_t n = ps->ncells;
	while (n > ps->l->ncols && !ps->text.data[ps->offs[n - 1]] && !ps->too_many)
		n--;
	return n;
}

/* row_text's on_row: the one row it reads, its cells packed as the list
 * read them first. */
static void on_row_again(parse_state *ps)
{
	if (ps->rows_seen++ || ps->failed || ps->oom)
		return;
	ps->ncells = kept_cells(ps);
	ps->again_len = ps->ncells ? ps->offs[ps->ncells - 1] +
	                             strlen(ps->text.data + ps->offs[ps->ncells - 1]) + 1
	                           : 0;
	ps->failed = 1; /* any cell after this row is not the row's */
}

static void on_row(int c, void *ctx)
{
	parse_state *ps = ctx;
	hd_list *l = ps->l;
	row *r;

	(void)c;
	if (ps->again) {
		on_row_again(ps);
		return;
	}
	ps->line++;
	if (ps->failed || ps->oom)
		goto next;
	{
		size_t k;
		for (k = 0; k < ps->ncells; k++)
			ps->cells[k] = ps->text.data + ps->offs[k];
	}
	if (ps->bad_utf8_cell) {
		report_bad_utf8(ps);
		ps->failed = 1;
		goto next;
	}
	if (!ps->header_done) {
		if (ps->too_many) {
			hd_diag_coded(ps->d, HD_ERROR, HD_DIAG_TOO_BIG, NULL, l->path, ps->line, 0,
			              "the first row must name the columns: client, date, therapist...",
			              "the header row has %zu columns; the limit is %u",
			              ps->ncells + ps->too_many, HD_LIST_MAX_COLUMNS);
			ps->failed = 1;
			goto next;
		}
		if (ps->big_cell || ps->nul_cell) {
			hd_diag_coded(ps->d, HD_ERROR, ps->big_cell ? HD_DIAG_TOO_BIG : HD_DIAG_ENCODING,
			              NULL, l->path, ps->line, 0,
			              "the first row must name the columns: client, date, therapist...",
			              ps->big_cell ? "a column name in the header row is too long"
			                           : "the header row holds a NUL byte");
			ps->failed = 1;
			goto next;
		}
		if (map_header(ps))
			ps->failed = 1;
		ps->header_done = 1;
		goto next;
	}
	if (l->nrows >= HD_LIST_MAX_ROWS) {
		hd_diag_coded(ps->d, HD_ERROR, HD_DIAG_TOO_BIG, NULL, l->path, ps->line, 0,
		              "split the list into several files", "the list has more than %u rows",
		              HD_LIST_MAX_ROWS);
		ps->failed = 1;
		goto next;
	}
	if (l->nrows == l->caprows) {
		size_t cap = l->caprows ? l->caprows * 2 : 64;
		row *n = realloc(l->rows, cap * sizeof(*n));
		if (!n) {
			ps->oom = 1;
			goto next;
		}
		l->rows = n;
		l->caprows = cap;
	}
	r = &l->rows[l->nrows++];
	memset(r, 0, sizeof(*r));
	r->line = ps->line;
	ps->ncells = kept_cells(ps);
	if (ps->too_many || ps->ncells > l->ncols) {
		r->problem = problem(l, HD_DIAG_CSV, NULL,
		                     "check the quotes and delimiters of this row: a cell holding the "
		                     "delimiter must be in double quotes",
		                     "this row has %zu cells; the header has %zu columns",
		                     ps->ncells + ps->too_many, l->ncols);
	} else if (ps->big_cell) {
		r->problem = problem(l, HD_DIAG_TOO_BIG, column_name(l, (size_t)ps->big_cell),
		                     "shorten it, or check the quotes of this row",
		                     "the cell holds %zu bytes; the limit is %u", ps->big_len,
		                     HD_LIST_MAX_CELL);
	} else if (ps->nul_cell) {
		r->problem = problem(l, HD_DIAG_ENCODING, column_name(l, (size_t)ps->nul_cell),
		                     "a spreadsheet never writes one: check the file", "the cell holds a NUL byte");
	}
	if ((ps->too_many || ps->ncells > l->ncols || ps->big_cell || ps->nul_cell) && !r->problem) {
		ps->oom = 1;
		goto next;
	}
	/* where the row is, not its text: row_text reads it again */
	r->at.off = ps->row_start;
	r->len = (uint32_t)(ps->piece_end - ps->row_start);
	r->check = ps->hash;
	r->ncells = (unsigned short)ps->ncells;
	r->id = id_of(l, ps->cells, ps->ncells, r->line);
	if (!r->id)
		ps->oom = 1;
next:
	ps->row_start = ps->piece_end;
	ps->hash = FNV64_BASIS;
	ps->text.len = 0;
	ps->ncells = 0;
	ps->too_many = 0;
	ps->big_cell = 0;
	ps->nul_cell = 0;
	ps->bad_utf8_cell = 0;
}

/* Lower-case, spaces and '-' as '_', trimmed: how header names are compared. */
static void normalise(char *out, size_t size, const char *s)
{
	size_t o = 0, kept, start = hd_utf8_trim(s, strlen(s), &kept), i;
	for (i = start; i < start + kept && o + 1 < size; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == ' ' || ch == '-' || ch == '\t')
			ch = '_';
		if (ch == '_' && o && out[o - 1] == '_')
			continue;
		out[o++] = (char)tolower(ch);
	}
	out[o] = '\0';
}

static int field_index(const char *name)
{
	size_t i;
	for (i = 0; i < NFIELDS; i++) {
		if (!strcmp(fields[i].name, name))
			return (int)i;
	}
	for (i = 0; i < HD_ARRAY_LEN(aliases); i++) {
		if (!strcmp(aliases[i].from, name))
			return field_index(aliases[i].to);
	}
	return -1;
}

/* A mapping file's entries: column name -> field index (or -2: ignore). */
typedef struct mapping {
	char **columns;
	int *field;
	int *line;             /* where each entry is in the file */
	size_t n;
	const char *path;
} mapping;

static void mapping_free(mapping *m)
{
	size_t i;
	for (i = 0; i < m->n; i++)
		free(m->columns[i]);
	free(m->columns);
	free(m->field);
	free(m->line);
	memset(m, 0, sizeof(*m));
}


/* Reads a mapping file. Returns HD_OK, HD_EIO, HD_EINPUT (every bad line
 * reported) or HD_ENOMEM. */
static int read_mapping(mapping *m, const char *path, hd_diags *d)
{
	char *buf = NULL, *line;
	size_t len, cap = 0;
	int lineno = 0, bad = 0, r;

	memset(m, 0, sizeof(*m));
	m->path = path;
	r = hd_read_file(&buf, &len, path, 1024 * 1024, d);
	if (r)
		return r;
	if (hd_utf8_check(buf, len) < len) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_ENCODING, NULL, path, 0, 0, "save it as UTF-8",
		              "this file is not UTF-8");
		free(buf);
		return HD_EINPUT;
	}
	/* strtok_r skips empty lines, so count them from the text itself */
	for (line = buf; line; ) {
		char *nl = strchr(line, '\n'), *eq, *col, *fld;
		char norm[64];
		size_t kept, start;
		int f;
		if (nl)
			*nl = '\0';
		lineno++;
		if (line[0] && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		if (lineno == 1 && !strncmp(line, "\xEF\xBB\xBF", 3))
			line += 3;
		start = hd_utf8_trim(line, strlen(line), &kept);
		if (!kept || line[start] == '#')
			goto next;
		eq = strrchr(line, '=');
		if (!eq) {
			hd_diag_coded(d, HD_ERROR, HD_DIAG_INVALID, NULL, path, lineno, 0,
			              "write one \"Column Name = field\" per line",
			              "this line has no '='");
			bad++;
			goto next;
		}
		*eq = '\0';
		col = line;
		fld = eq + 1;
		start = hd_utf8_trim(col, strlen(col), &kept);
		col[start + kept] = '\0';
		col += start;
		normalise(norm, sizeof(norm), fld);
		if (!*col) {
			hd_diag_coded(d, HD_ERROR, HD_DIAG_INVALID, NULL, path, lineno, 0,
			              "write the column's name before the '='", "no column name");
			bad++;
			goto next;
		}
		f = !strcmp(norm, "_") ? -2 : field_index(norm);
		if (f == -1) {
			hd_diag_coded(d, HD_ERROR, HD_DIAG_BAD_VALUE, NULL, path, lineno, 0,
			              "the fields are client_id, client, email, date, time, therapist, "
			              "language, size, paper, techniques, areas, pressure, pain_before, "
			              "pain_after, notes, tips and next_visit; '-' ignores the column",
			              "'%.100s' is not a session field", norm);
			bad++;
			goto next;
		}
		if (m->n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **c = realloc(m->columns, nc * sizeof(*c));
			int *fi = c ? realloc(m->field, nc * sizeof(*fi)) : NULL;
			int *li = fi ? realloc(m->line, nc * sizeof(*li)) : NULL;
			if (c)
				m->columns = c;
			if (fi)
				m->field = fi;
			if (!c || !fi || !li) {
				free(buf);
				mapping_free(m);
				return HD_ENOMEM;
			}
			m->line = li;
			cap = nc;
		}
		m->columns[m->n] = strdup(col);
		if (!m->columns[m->n]) {
			free(buf);
			mapping_free(m);
			return HD_ENOMEM;
		}
		m->line[m->n] = lineno;
		m->field[m->n++] = f;
	next:
		line = nl ? nl + 1 : NULL;
	}
	free(buf);
	if (bad) {
		mapping_free(m);
		return HD_EINPUT;
	}
	return HD_OK;
}

/* Maps the header row to fields: the mapping file first, then the names.
 * Returns nonzero when the header is unusable (reported). */
static int map_header(parse_state *ps)
{
	hd_list *l = ps->l;
	size_t c, k;
	int bad = 0;
	char want[256], have[256];
	unsigned char *used = NULL; /* per mapping line: it named a column */

	l->ncols = ps->ncells;
	l->header = hd_arena_alloc(&l->arena, (l->ncols ? l->ncols : 1) * sizeof(*l->header));
	l->col_field = hd_arena_alloc(&l->arena, (l->ncols ? l->ncols : 1) * sizeof(*l->col_field));
	if (ps->mapping && ps->mapping->n)
		used = calloc(ps->mapping->n, 1);
	if (!l->header || !l->col_field || (ps->mapping && ps->mapping->n && !used)) {
		free(used);
		ps->oom = 1;
		return 1;
	}
	for (c = 0; c < l->ncols; c++) {
		const char *name = ps->cells[c];
		char norm[64];
		int f = -1, mapped = 0;
		size_t kept, start = hd_utf8_trim(name, strlen(name), &kept);
		char *trimmed = hd_arena_strndup(&l->arena, name + start, kept);
		if (!trimmed) {
			free(used);
			ps->oom = 1;
			return 1;
		}
		l->header[c] = trimmed;
		/* compared as header names are: case, spaces and '-' do not matter */
		if (ps->mapping)
			normalise(have, sizeof(have), trimmed);
		for (k = 0; ps->mapping && k < ps->mapping->n; k++) {
			normalise(want, sizeof(want), ps->mapping->columns[k]);
			if (!strcmp(want, have)) {
				f = ps->mapping->field[k];
				mapped = 1;
				if (used)
					used[k] = 1;
			}
		}
		if (!mapped) {
			normalise(norm, sizeof(norm), trimmed);
			f = field_index(norm);
		}
		l->col_field[c] = f < 0 ? -1 : f;
		if (f == -1 && *trimmed) {
			hd_diag_coded(ps->d, HD_WARNING, HD_DIAG_NONE, NULL, l->path, 1, 0,
			              "name a session field in the header, or map the column to one in a "
			              "mapping file (--map FILE); see README, \"For clinic managers\"",
			              "column '%.100s' is not a session field; it is ignored", trimmed);
			if (ps->d && ps->d->count)
				snprintf(ps->d->items[ps->d->count - 1].column,
				         sizeof(ps->d->items[0].column), "%s", trimmed);
		}
	}
	/* A mapping line that names no column of the list is a spelling to mend. */
	for (k = 0; used && k < ps->mapping->n; k++) {
		if (!used[k])
			hd_diag_coded(ps->d, HD_WARNING, HD_DIAG_NONE, NULL, ps->mapping->path,
			              ps->mapping->line[k], 0,
			              "write the column's name as the list's header row does",
			              "no column of %s is named '%.100s'; this line maps nothing", l->path,
			              ps->mapping->columns[k]);
	}
	free(used);
	/* Each field's columns named once, for every message about a row. */
	for (k = 0; k < NFIELDS; k++) {
		char names[128];
		size_t n = 0;
		names[0] = '\0';
		for (c = 0; c < l->ncols; c++) {
			if (l->col_field[c] != (int)k)
				continue;
			if (n++)
				strncat(names, " + ", sizeof(names) - strlen(names) - 1);
			strncat(names, l->header[c], sizeof(names) - strlen(names) - 1);
		}
		if (!(l->field_cols[k] = hd_arena_strdup(&l->arena, names))) {
			ps->oom = 1;
			return 1;
		}
	}
	/* A single-valued field from two columns would have to choose. */
	for (k = 0; k < NFIELDS; k++) {
		size_t first = l->ncols, n = 0;
		for (c = 0; c < l->ncols; c++) {
			if (l->col_field[c] == (int)k) {
				if (!n)
					first = c;
				n++;
			}
		}
		if (n > 1 && !fields[k].join) {
			hd_diag_coded(ps->d, HD_ERROR, HD_DIAG_DUPLICATE, fields[k].name, l->path, 1, 0,
			              "keep one of them, or map the other to '-' in a mapping file",
			              "columns '%.60s' and another both give %s", l->header[first],
			              fields[k].name);
			bad = 1;
		}
	}
	if (field_index("client") >= 0) {
		int has = 0;
		for (c = 0; c < l->ncols; c++)
			has |= l->col_field[c] == field_index("client");
		if (!has) {
			hd_diag_coded(ps->d, HD_ERROR, HD_DIAG_MISSING, "client", l->path, 1, 0,
			              "name a column 'client' (or 'name'), or map yours in a mapping file "
			              "(--map FILE), e.g. \"First Name = client\" and \"Last Name = client\"",
			              "no column gives the client's name");
			bad = 1;
		}
	}
	return bad;
}

/* ',' or ';', whichever the header row (outside quotes) has more of. */
static char detect_delimiter(const char *b, size_t len)
{
	size_t i, commas = 0, semis = 0;
	int quoted = 0;
	for (i = 0; i < len; i++) {
		if (b[i] == '"')
			quoted = !quoted;
		else if (!quoted && (b[i] == '\n' || b[i] == '\r'))
			break;
		else if (!quoted && b[i] == ',')
			commas++;
		else if (!quoted && b[i] == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix);
}

/* Reading the file in pieces: a list of any length costs its rows, never
 * a copy of the whole file besides them. */
#define CHUNK (64u * 1024u)

static int load_csv(hd_list *l, const char *path, const hd_list_options *o, hd_diags *d)
{
	struct csv_parser p;
	parse_state ps;
	mapping m;
	char *buf = NULL;
	const char *b;
	size_t len, used = 0, total = 0;
	int fd = -1;
	struct stat st;
	int r, inited = 0, blank = 1, first = 1, eof = 0, perr = 0;

	memset(&ps, 0, sizeof(ps));
	memset(&m, 0, sizeof(m));
	if (o->mapping_path) {
		r = read_mapping(&m, o->mapping_path, d);
		if (r)
			return r;
	}
	/* Anything but a readable regular file: hd_read_file says what is wrong
	 * (a folder, a FIFO, a device, a missing file) as for every input. */
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0 ||
	    fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		r = hd_read_file(&buf, &len, path, HD_LIST_MAX_FILE, d);
		free(buf);
		mapping_free(&m);
		return r ? r : HD_EIO;
	}
	buf = malloc(CHUNK);
	if (!buf) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	ps.l = l;
	ps.d = d;
	ps.win1252 = o->encoding && !strcasecmp(o->encoding, "windows-1252");
	ps.mapping = o->mapping_path ? &m : NULL;
	ps.hash = FNV64_BASIS;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	inited = 1;
	r = CSV_SUCCESS;
	while (!eof && !ps.failed && !ps.oom) {
		ssize_t got = 0;
		size_t at = 0;
		off_t pos;
		len = 0;
		while (len < CHUNK && (got = read(fd, buf + len, CHUNK - len)) > 0)
			len += (size_t)got;
		if (got < 0) {
			hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, l->path, 0, 0, NULL,
			              "cannot read: %s", strerror(errno));
			r = -1;
			ps.failed = 1;
			break;
		}
		if (len < CHUNK)
			eof = 1;
		pos = (off_t)total; /* where buf starts in the file */
		total += len;
		if (total > HD_LIST_MAX_FILE) {
			hd_diag_coded(d, HD_ERROR, HD_DIAG_TOO_BIG, NULL, l->path, 0, 0,
			              "split the list into several files",
			              "the list is larger than %u bytes", HD_LIST_MAX_FILE);
			ps.failed = 1;
			break;
		}
		b = buf;
		if (first) {
			first = 0;
			if (len >= 2 && (((unsigned char)b[0] == 0xFF && (unsigned char)b[1] == 0xFE) ||
			                 ((unsigned char)b[0] == 0xFE && (unsigned char)b[1] == 0xFF))) {
				hd_diag_coded(d, HD_ERROR, HD_DIAG_ENCODING, NULL, l->path, 0, 0,
				              "save it as \"CSV UTF-8\" (Excel: Save As, CSV UTF-8)",
				              "this file is UTF-16 (Excel's \"Unicode text\"), not UTF-8");
				ps.failed = 1;
				break;
			}
			if (len >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3)) { /* a UTF-8 byte order mark */
				if (ps.win1252) {
					hd_diag_coded(d, HD_ERROR, HD_DIAG_ENCODING, NULL, l->path, 0, 0,
					              "leave out --encoding windows-1252: the file is UTF-8 "
					              "already",
					              "this file starts with a UTF-8 byte order mark: it is "
					              "UTF-8, not Windows-1252");
					ps.failed = 1;
					break;
				}
				b += 3;
				len -= 3;
				pos += 3;
				ps.row_start = 3;
			}
			l->delim = o->delimiter ? o->delimiter : detect_delimiter(b, len);
			csv_set_delim(&p, (unsigned char)l->delim);
		}
		if (blank) {
			size_t k;
			for (k = 0; k < len && blank; k++)
				blank = b[k] == ' ' || b[k] == '\t' || b[k] == '\r' || b[k] == '\n';
		}
		/* a line at a time (up to a CR or an LF), so that a row ends where
		 * the piece that ended it ends: rows_text reads it from there */
		while (at < len && !perr) {
			const char *lf = memchr(b + at, '\n', len - at);
			const char *cr = memchr(b + at, '\r', (size_t)((lf ? lf : b + len) - (b + at)));
			size_t piece = (size_t)((cr ? cr + 1 : lf ? lf + 1 : b + len) - (b + at));
			ps.hash = fnv64(ps.hash, b + at, piece);
			ps.piece_end = pos + (off_t)(at + piece);
			used = csv_parse(&p, b + at, piece, on_cell, on_row, &ps);
			if (used != piece) {
				r = csv_error(&p);
				perr = 1;
			}
			at += piece;
		}
		if (perr)
			break;
	}
	if (!ps.failed && !ps.oom && blank) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_CSV, NULL, l->path, 0, 0,
		              "the first row names the columns: client, date, therapist...",
		              "the list is empty");
		ps.failed = 1;
	}
	if (!ps.failed && !ps.oom && !perr) {
		ps.piece_end = (off_t)total;
		r = csv_fini(&p, on_cell, on_row, &ps) ? csv_error(&p) : CSV_SUCCESS;
	}
	if (!ps.failed && !ps.oom && r == CSV_EPARSE) {
		/* strict mode: a quote inside an unquoted cell, text after a closing
		 * quote, or a quote never closed; libcsv cannot find the next row, so
		 * the rest would be read wrong */
		hd_diag_coded(d, HD_ERROR, HD_DIAG_CSV, NULL, l->path, ps.line + 1, 0,
		              "a cell that holds a quote, the delimiter or a line break must be in "
		              "double quotes, with each quote inside doubled (\"\"); the rows after "
		              "this one are not read, so nothing is made",
		              !perr ? "a quote opened in this row is never closed"
		                    : "a misplaced quote in this row");
		if (ps.header_done && d && d->count)
			snprintf(d->items[d->count - 1].column, sizeof(d->items[0].column), "%s",
			         column_name(l, ps.ncells + 1) ? column_name(l, ps.ncells + 1) : "");
		ps.failed = 1;
	}
	if (!ps.failed && !ps.oom && ps.win1252 && !ps.not_utf8 && ps.utf8_line) {
		/* every cell is UTF-8, and some beyond ASCII: converting it would
		 * print "ZoÃ«" on every document */
		hd_diag_coded(d, HD_ERROR, HD_DIAG_ENCODING, NULL, l->path, ps.utf8_line, 0,
		              "leave out --encoding windows-1252: the file is UTF-8 already",
		              "'%s' is written in UTF-8, as is every cell of this file: it is not "
		              "Windows-1252", ps.utf8_text);
		if (d && d->count && ps.utf8_line > 1 && column_name(l, ps.utf8_cell))
			snprintf(d->items[d->count - 1].column, sizeof(d->items[0].column), "%s",
			         column_name(l, ps.utf8_cell));
		ps.failed = 1;
	}
	if (ps.oom || r == CSV_ENOMEM)
		r = HD_ENOMEM;
	else if (ps.failed || !ps.header_done)
		r = HD_EINPUT;
	else
		r = HD_OK;
	if (!r) {
		l->fd = fd; /* the rows are read from it again when they are made */
		l->win1252 = ps.win1252;
		fd = -1;
	}
cleanup:
	if (inited)
		csv_free(&p);
	if (fd >= 0)
		close(fd);
	free(ps.cells);
	free(ps.offs);
	hd_buf_free(&ps.text);
	free(buf);
	mapping_free(&m);
	return r;
}

/* ----- the XML list ---------------------------------------------------------- */

static int load_xml_list(hd_list *l, const char *path, hd_diags *d)
{
	char **files = NULL;
	int *lines = NULL;
	size_t n = 0, i;
	int r = hd_load_session_list(&files, &lines, &n, path, d);

	if (r)
		return r;
	l->rows = calloc(n ? n : 1, sizeof(*l->rows));
	if (!l->rows)
		r = HD_ENOMEM;
	for (i = 0; !r && i < n; i++) {
		row *w = &l->rows[l->nrows++];
		w->line = lines[i];
		w->at.path = hd_arena_strdup(&l->arena, files[i]);
		if (!w->at.path)
			r = HD_ENOMEM;
	}
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	free(lines);
	return r;
}

/* ----- a root of records folders ------------------------------------------- */

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A folder of clients' records folders (README, "Records folders"): one
 * row per subfolder that is not hidden, in name order; a row's id is the
 * folder's name when it is a client id, else "r<row>". Links are not
 * followed. */
static int load_records_root(hd_list *l, const char *path, hd_diags *d)
{
	char **names;
	size_t n, i;
	int r = hd_dir_names(&names, &n, path, HD_DIR_FOLDERS, HD_LIST_MAX_ROWS);

	if (r == HD_EIO) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, path, 0, 0,
		              "give the folder that holds one records folder per client",
		              "cannot open the folder: %s", strerror(errno));
		return HD_EIO;
	}
	if (r == HD_EINPUT)
		hd_diag_coded(d, HD_ERROR, HD_DIAG_TOO_BIG, NULL, path, 0, 0,
		              "split the clients into several folders", "more than %u client folders",
		              HD_LIST_MAX_ROWS);
	if (r)
		return r;
	l->rows = calloc(n ? n : 1, sizeof(*l->rows));
	if (!l->rows)
		r = HD_ENOMEM;
	for (i = 0; !r && i < n; i++) {
		row *w = &l->rows[l->nrows++];
		char buf[32], *sub = hd_path_join(path, names[i]);
		w->line = (int)i + 1;
		w->at.path = sub ? hd_arena_strdup(&l->arena, sub) : NULL;
		free(sub);
		snprintf(buf, sizeof(buf), "r%d", w->line);
		w->id = hd_arena_strdup(&l->arena, hd_check_client_id(names[i]) ? names[i] : buf);
		if (!w->at.path || !w->id)
			r = HD_ENOMEM;
	}
	hd_names_free(names, n);
	return r;
}

/* ----- the list -------------------------------------------------------------- */

/* Points cells[0..ncells) at the packed cells of a row's text (cells
 * holds HD_LIST_MAX_COLUMNS). */
static void row_cells(const char *text, size_t ncells, const char **cells)
{
	size_t c;
	for (c = 0; c < ncells; c++) {
		cells[c] = text;
		text += strlen(text) + 1;
	}
}

/* A row's id: its client_id cell trimmed, else "r<line>"; in the arena. */
static const char *id_of(hd_list *l, const char **cells, size_t ncells, int line)
{
	int fid = field_index("client_id");
	char buf[32];
	size_t c, kept, start;

	for (c = 0; c < l->ncols && c < ncells; c++) {
		if (l->col_field[c] != fid)
			continue;
		start = hd_utf8_trim(cells[c], strlen(cells[c]), &kept);
		if (kept)
			return hd_arena_strndup(&l->arena, cells[c] + start, kept);
		break;
	}
	snprintf(buf, sizeof(buf), "r%d", line);
	return hd_arena_strdup(&l->arena, buf);
}

/* Row r of a CSV list read again from the file: its cells packed as when
 * the list was read (each NUL-terminated, one after another), malloc'd into
 * *text, the caller's. HD_EIO, with the row in d, when the file no longer
 * holds the row it held (it was changed in place while the list was in
 * use: the rows after an edit have moved too, so a batch stops there). */
static int row_text(char **text, const hd_list *l, const row *r, hd_diags *d)
{
	struct csv_parser p;
	parse_state ps;
	char *bytes = r->len ? malloc(r->len) : NULL;
	ssize_t got = 0;
	size_t have = 0;
	int res = HD_OK;

	*text = NULL;
	if (r->len && !bytes)
		return HD_ENOMEM;
	while (have < r->len &&
	       (got = pread(l->fd, bytes + have, r->len - have, r->at.off + (off_t)have)) > 0)
		have += (size_t)got;
	if (have < r->len || fnv64(FNV64_BASIS, bytes, r->len) != r->check) {
		if (bytes)
			explicit_bzero(bytes, r->len);
		free(bytes);
		atomic_store(&((hd_list *)l)->changed, 1); /* l is the caller's, never const */
		hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, l->path, r->line, 0,
		              "nothing more is made; run the same command again once the list is "
		              "saved: what was made is kept",
		              "the list was changed while the batch was reading it: this row is no "
		              "longer what it was");
		return HD_EIO;
	}
	memset(&ps, 0, sizeof(ps));
	ps.l = (hd_list *)l;
	ps.win1252 = l->win1252;
	ps.again = 1;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		free(bytes);
		return HD_ENOMEM;
	}
	csv_set_delim(&p, (unsigned char)l->delim);
	csv_parse(&p, bytes, r->len, on_cell, on_row, &ps);
	csv_fini(&p, on_cell, on_row, &ps);
	csv_free(&p);
	if (bytes) /* a row may hold a password (a mail merge's) */
		explicit_bzero(bytes, r->len);
	free(bytes);
	free(ps.cells);
	free(ps.offs);
	if (ps.oom) {
		res = HD_ENOMEM;
	} else if (ps.rows_seen != 1 || ps.ncells != r->ncells) {
		/* the same bytes always read the same: never here */
		hd_diag_coded(d, HD_ERROR, HD_DIAG_IO, NULL, l->path, r->line, 0, NULL,
		              "this row could not be read again");
		res = HD_EIO;
	} else if (!ps.text.data && !(ps.text.data = calloc(1, 1))) {
		res = HD_ENOMEM;
	}
	if (res)
		hd_buf_free(&ps.text);
	else
		*text = ps.text.data;
	return res;
}

static char *field_text(const hd_list *l, const char *text, size_t ncells, size_t f,
                        int *present);

int hd_list_row_read(char **text, const hd_list *l, size_t i, hd_diags *d)
{
	*text = NULL;
	if (!l || i >= l->nrows)
		return HD_EINVAL;
	if (l->xml || l->records)
		return HD_OK;
	return row_text(text, l, &l->rows[i], d);
}

/* The row's text: given (*mine NULL), or read now (*mine the caller's to
 * free). */
static int text_of(const char **text, char **mine, const hd_list *l, const row *r,
                   const char *given, hd_diags *d)
{
	*mine = NULL;
	*text = given;
	if (given)
		return HD_OK;
	int res = row_text(mine, l, r, d);
	*text = *mine;
	return res;
}

/* Gives the rows of an XML list their ids ("r<line>"); a CSV row's is set
 * when it is read, a records folder's when the folder is. */
static int set_ids(hd_list *l)
{
	size_t i;

	for (i = 0; i < l->nrows; i++) {
		row *r = &l->rows[i];
		char buf[32];
		if (r->id)
			continue;
		snprintf(buf, sizeof(buf), "r%d", r->line);
		if (!(r->id = hd_arena_strdup(&l->arena, buf)))
			return HD_ENOMEM;
	}
	return HD_OK;
}

int hd_list_load(hd_list **out, const char *path, const hd_list_options *opts, hd_diags *d)
{
	hd_list_options defaults = HD_LIST_OPTIONS_INIT;
	hd_list *l;
	int r;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!path || opts->version != HD_LIST_OPTIONS_VERSION ||
	    (opts->delimiter && opts->delimiter != ',' && opts->delimiter != ';'))
		return HD_EINVAL;
	if (opts->encoding && strcasecmp(opts->encoding, "utf-8") &&
	    strcasecmp(opts->encoding, "windows-1252")) {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_BAD_VALUE, NULL, path, 0, 0,
		              "use utf-8 (the default) or windows-1252",
		              "'%.60s' is not an encoding this program reads", opts->encoding);
		return HD_EINPUT;
	}
	l = calloc(1, sizeof(*l));
	if (!l || !(l->path = strdup(path))) {
		free(l);
		return HD_ENOMEM;
	}
	l->fd = -1;
	if (is_dir(path)) {
		l->records = 1;
		r = load_records_root(l, path, d);
	} else if (ends_with(path, ".xml")) {
		l->xml = 1;
		r = load_xml_list(l, path, d);
	} else if (ends_with(path, ".csv") || ends_with(path, ".txt")) {
		r = load_csv(l, path, opts, d);
	} else {
		hd_diag_coded(d, HD_ERROR, HD_DIAG_INVALID, NULL, path, 0, 0,
		              "give a CSV file (.csv) or an XML list of sessions (.xml)",
		              "not a client list (the name ends in neither .csv nor .xml)");
		r = HD_EINPUT;
	}
	if (!r)
		r = set_ids(l);
	if (!r && l->caprows > l->nrows && l->nrows) {
		/* the rows grew by doubling: give back what the last doubling left */
		row *fit = realloc(l->rows, l->nrows * sizeof(*fit));
		if (fit) {
			l->rows = fit;
			l->caprows = l->nrows;
		}
	}
	if (r) {
		hd_list_free(l);
		return r;
	}
	*out = l;
	return HD_OK;
}

void hd_list_free(hd_list *l)
{
	if (!l)
		return;
	hd_arena_free(&l->arena);
	if (l->fd >= 0)
		close(l->fd);
	free(l->rows);
	free(l->path);
	free(l);
}

size_t hd_list_count(const hd_list *l)
{
	return l ? l->nrows : 0;
}

const char *hd_list_row_id(const hd_list *l, size_t i)
{
	return l && i < l->nrows ? l->rows[i].id : NULL;
}

int hd_list_row_line(const hd_list *l, size_t i)
{
	return l && i < l->nrows ? l->rows[i].line : 0;
}

int hd_list_has_field(const hd_list *l, const char *field)
{
	int f = field_index(field);
	size_t c;
	if (l->xml)
		return 1;
	for (c = 0; c < l->ncols; c++) {
		if (l->col_field[c] == f && f >= 0)
			return 1;
	}
	return 0;
}

int hd_list_is_records(const hd_list *l)
{
	return l && l->records;
}

const char *hd_list_row_file(const hd_list *l, size_t i)
{
	if (!l || i >= l->nrows)
		return NULL;
	return l->xml ? l->rows[i].at.path : NULL;
}

const char *hd_list_row_dir(const hd_list *l, size_t i)
{
	if (!l || i >= l->nrows)
		return NULL;
	return l->records ? l->rows[i].at.path : NULL;
}

int hd_list_row_client(char **out, const hd_list *l, size_t i, const char *given, hd_diags *d)
{
	char *mine;
	const char *text;
	int present, r;

	*out = NULL;
	if (!l || i >= l->nrows)
		return HD_EINVAL;
	if (l->xml || l->records)
		return (*out = strdup("")) ? HD_OK : HD_ENOMEM;
	/* made when asked, not kept: a list of any length keeps only where its
	 * rows are */
	r = text_of(&text, &mine, l, &l->rows[i], given, d);
	if (r)
		return r;
	*out = field_text(l, text, l->rows[i].ncells, (size_t)field_index("client"), &present);
	free(mine);
	return *out ? HD_OK : HD_ENOMEM;
}

int hd_list_has_column(const hd_list *l, const char *column)
{
	char want[256], have[256];
	size_t c;

	if (!l || !column || l->xml || l->records)
		return -1;
	normalise(want, sizeof(want), column);
	for (c = 0; c < l->ncols; c++) {
		normalise(have, sizeof(have), l->header[c]);
		if (!strcmp(want, have))
			return (int)c;
	}
	return -1;
}

int hd_list_row_cell(char **out, const hd_list *l, size_t i, const char *column, hd_diags *d)
{
	const char *cells[HD_LIST_MAX_COLUMNS];
	char *text;
	int c = hd_list_has_column(l, column), r;

	*out = NULL;
	if (c < 0 || i >= l->nrows)
		return HD_EINVAL;
	r = row_text(&text, l, &l->rows[i], d);
	if (r)
		return r;
	row_cells(text, l->rows[i].ncells, cells);
	*out = strdup((size_t)c < l->rows[i].ncells ? cells[c] : "");
	if (l->rows[i].ncells) /* the cell may be a password: no copy left behind */
		explicit_bzero(text, (size_t)(cells[l->rows[i].ncells - 1] - text) +
		                         strlen(cells[l->rows[i].ncells - 1]));
	free(text);
	return *out ? HD_OK : HD_ENOMEM;
}

/* The names of the columns that give field f (named when the header was
 * read); "" when none does, or the list has no columns. */
static const char *columns_of(const hd_list *l, int f)
{
	return f >= 0 && f < (int)NFIELDS && l->field_cols[f] ? l->field_cols[f] : "";
}

int hd_list_changed(const hd_list *l)
{
	return l && atomic_load(&((hd_list *)l)->changed);
}

const char *hd_list_path(const hd_list *l)
{
	return l ? l->path : NULL;
}

void hd_list_field_column(const hd_list *l, const char *field, char *column, size_t size)
{
	if (size)
		snprintf(column, size, "%s", l && field ? columns_of(l, field_index(field)) : "");
}

/* The text of field f in a row (text, ncells: its packed cells): its
 * columns' cells joined; in a buffer the caller frees (columns_of names
 * the columns). NULL when out of memory; *present 0 when no column gives f. */
static char *field_text(const hd_list *l, const char *text, size_t ncells, size_t f,
                        int *present)
{
	hd_buf b = HD_BUF_INIT;
	const char *cells[HD_LIST_MAX_COLUMNS];
	size_t c, n = 0;

	*present = 0;
	row_cells(text, ncells, cells);
	for (c = 0; c < l->ncols; c++) {
		const char *cell;
		if (l->col_field[c] != (int)f)
			continue;
		*present = 1;
		cell = c < ncells ? cells[c] : "";
		if (n && *cell && b.len)
			hd_buf_puts(&b, fields[f].join);
		hd_buf_puts(&b, cell);
		n++;
	}
	if (b.oom) {
		hd_buf_free(&b);
		return NULL;
	}
	if (!b.data)
		return strdup("");
	return b.data;
}

/* Nothing but white space (what a spreadsheet's empty cell may hold). */
static int blank(const char *s)
{
	size_t kept;
	hd_utf8_trim(s, strlen(s), &kept);
	return kept == 0;
}

int hd_list_session(hd_session **out, const hd_list *l, size_t i, hd_engine *e, hd_diags *d)
{
	return hd_list_session_of(out, l, i, NULL, e, d);
}

int hd_list_session_of(hd_session **out, const hd_list *l, size_t i, const char *given,
                       hd_engine *e, hd_diags *d)
{
	const row *r;
	const char *cells = NULL;
	char *mine = NULL;
	hd_session *s = NULL;
	size_t f;
	int worst = HD_OK, rr;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (!l || i >= l->nrows || !e)
		return HD_EINVAL;
	r = &l->rows[i];
	if (l->xml)
		return hd_session_load_file(out, e, r->at.path, d);
	if (l->records)
		return HD_EINVAL; /* a client's records folder is many sessions */
	if (r->problem) {
		hd_diag_coded(d, HD_ERROR, r->problem->code, NULL, l->path, r->line, 0, r->problem->hint,
		              "%s", r->problem->message);
		if (r->problem->column && d && d->count)
			snprintf(d->items[d->count - 1].column, sizeof(d->items[0].column), "%s",
			         r->problem->column);
		return HD_EINPUT;
	}
	rr = text_of(&cells, &mine, l, r, given, d);
	if (rr)
		return rr;
	rr = hd_session_new(&s, e);
	if (rr) {
		free(mine);
		return rr;
	}
	for (f = 0; f < NFIELDS; f++) {
		int present;
		char *text = field_text(l, cells, r->ncells, f, &present);
		if (!text) {
			worst = HD_ENOMEM;
			break;
		}
		if (present && strcmp(fields[f].name, "client") && blank(text))
			present = 0; /* an empty cell leaves the field out; what the kind
			                needs is checked when the row is made */
		if (present) {
			rr = hd_session_set_origin(s, l->path, r->line, columns_of(l, (int)f));
			if (!rr)
				rr = hd_session_set(s, fields[f].name, text, d);
			if (rr == HD_ENOMEM) {
				free(text);
				worst = rr;
				break;
			}
			if (rr && !worst)
				worst = rr;
		}
		free(text);
	}
	free(mine);
	if (!worst)
		worst = hd_session_set_origin(s, l->path, r->line, NULL);
	if (worst) {
		hd_session_free(s);
		return worst;
	}
	*out = s;
	return HD_OK;
}

int hd_list_row_digest(const hd_list *l, size_t i, const char *given, unsigned char out[32],
                       hd_diags *d)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const row *r = &l->rows[i];
	unsigned int len = 32;
	const char *cells = NULL;
	char *mine = NULL;
	size_t f;

	int res = HD_OK;

	memset(out, 0, 32);
	if (!ctx)
		return HD_ENOMEM;
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	if (l->records) {
		/* a records folder: each record's name and bytes, in name order */
		char **names = NULL;
		size_t n = 0, k;
		EVP_DigestUpdate(ctx, "records\n", 8);
		hd_dir_names(&names, &n, r->at.path, HD_DIR_XML, 0);
		for (k = 0; k < n; k++) {
			char *p = hd_path_join(r->at.path, names[k]), *buf = NULL;
			size_t size = 0;
			EVP_DigestUpdate(ctx, names[k], strlen(names[k]) + 1);
			if (p && hd_read_file(&buf, &size, p, HD_MAX_RECORD_FILE, NULL) == HD_OK) {
				char num[24];
				int w = snprintf(num, sizeof(num), "%zu", size);
				EVP_DigestUpdate(ctx, num, (size_t)w + 1);
				EVP_DigestUpdate(ctx, buf, size);
			}
			free(buf);
			free(p);
		}
		hd_names_free(names, n);
	} else if (l->xml) {
		/* an XML list: the session file's bytes */
		char *buf = NULL;
		size_t n = 0;
		EVP_DigestUpdate(ctx, "file\n", 5);
		if (hd_read_file(&buf, &n, r->at.path, HD_MAX_RECORD_FILE, NULL) == HD_OK)
			EVP_DigestUpdate(ctx, buf, n);
		free(buf);
	} else if ((res = text_of(&cells, &mine, l, r, given, d)) == HD_OK) {
		for (f = 0; f < NFIELDS; f++) {
			int present;
			char *text = field_text(l, cells, r->ncells, f, &present);
			if (!present || !text) {
				free(text);
				continue;
			}
			/* name, NUL, length, NUL, text: no two rows hash alike by accident */
			EVP_DigestUpdate(ctx, fields[f].name, strlen(fields[f].name) + 1);
			{
				char n[24];
				int k = snprintf(n, sizeof(n), "%zu", strlen(text));
				EVP_DigestUpdate(ctx, n, (size_t)k + 1);
			}
			EVP_DigestUpdate(ctx, text, strlen(text));
			free(text);
		}
	}
	free(mine);
	EVP_DigestFinal_ex(ctx, out, &len);
	EVP_MD_CTX_free(ctx);
	return res;
}
