/*
 * Client lists (hd_list): CSV as spreadsheets export it, read with libcsv,
 * and the hostile files a batch must refuse cleanly: each case checks the
 * exact diagnostic, and the sessions the rows build.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "handout.h"
#include "list.h"
#include "manifest.h"
#include "util.h"


/* Writes len bytes to a file under the test folder; returns its path. */
static const char *put(const char *name, const void *data, size_t len)
{
	static char paths[4][512];
	static int next;
	char *path = paths[next++ % 4];
	FILE *f;
	snprintf(path, 512, "%s/%s", HD_TEST_TMP, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

#define PUT(name, lit) put((name), (lit), sizeof(lit) - 1)

/* The formatted diagnostics, one per line, the directory of the test
 * folder cut out. */
static char *fmt(const hd_diags *d)
{
	static char out[8192];
	char line[1600];
	size_t i, o = 0;
	out[0] = '\0';
	for (i = 0; i < d->count && o < sizeof(out); i++) {
		char *p;
		hd_diag_format(line, sizeof(line), &d->items[i]);
		while ((p = strstr(line, HD_TEST_TMP "/")))
			memmove(p, p + strlen(HD_TEST_TMP "/"), strlen(p + strlen(HD_TEST_TMP "/")) + 1);
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s\n", line);
	}
	return out;
}

static void render_dump(const hd_list *l, size_t i, hd_doc_kind kind, char **dump)
{
	hd_render_options ro = HD_RENDER_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_session *s = NULL;
	hd_output o;
	assert_int_equal(hd_list_session(&s, l, i, hd_test_engine, &d), HD_OK);
	ro.what = HD_RENDER_DUMP;
	assert_int_equal(hd_render(&o, hd_test_engine, kind, s, &ro, &d), HD_OK);
	*dump = o.dump;
	o.dump = NULL;
	hd_output_free(&o);
	hd_session_free(s);
	hd_diags_free(&d);
}

/* The same two clients written the way three spreadsheets export them give
 * the same sessions: commas and LF; a BOM, semicolons and CRLF; quoted
 * cells with "" and a line break. */
static void test_dialects(void **state)
{
	const char *a = PUT("a.csv",
		"client,date,therapist,techniques,areas,notes\n"
		"Ann Lee,2026-11-20,Maria,swedish,neck,\"One line.\nTwo \"\"quoted\"\" words.\"\n"
		"Bo,2026-11-21,Tom,deep-tissue,sacrum,\n");
	hd_list *la = NULL, *lb = NULL;
	hd_diags d = HD_DIAGS_INIT;
	size_t i;

	(void)state;
	assert_int_equal(hd_list_load(&la, a, NULL, &d), HD_OK);
	{
		const char *b = PUT("b.csv",
			"\xEF\xBB\xBF" "Client;Date;Therapist;Techniques;Areas;Notes\r\n"
			"\"Ann Lee\";2026-11-20;Maria;swedish;neck;\"One line.\r\nTwo \"\"quoted\"\" words.\"\r\n"
			"Bo;2026-11-21;Tom;deep-tissue;sacrum;\r\n");
		assert_int_equal(hd_list_load(&lb, b, NULL, &d), HD_OK);
	}
	assert_int_equal(d.count, 0);
	assert_int_equal(hd_list_count(la), 2);
	assert_int_equal(hd_list_count(lb), 2);
	assert_string_equal(hd_list_row_id(la, 1), "r3");
	assert_int_equal(hd_list_row_line(la, 1), 3);
	for (i = 0; i < 2; i++) {
		char *x, *y;
		render_dump(la, i, HD_KIND_AFTERCARE, &x);
		render_dump(lb, i, HD_KIND_AFTERCARE, &y);
		assert_string_equal(x, y);
		if (i == 0)
			assert_non_null(strstr(x, "quoted"));
		free(x);
		free(y);
	}
	hd_list_free(la);
	hd_list_free(lb);
	hd_diags_free(&d);
}

/* A list keeps where its rows are, not their text, and reads a row again
 * when it is made: 3,000 rows (rows straddle the 64 KB pieces the file is
 * read in), with LF, CRLF and old Mac CR line ends, a BOM and quoted line
 * breaks, give every row back as it was written. */
static void test_rows_read_again(void **state)
{
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	size_t e, i, n = 3000;

	(void)state;
	for (e = 0; e < 3; e++) {
		hd_buf b = HD_BUF_INIT;
		hd_diags d = HD_DIAGS_INIT;
		hd_list *l = NULL;
		char name[32];
		hd_buf_puts(&b, e == 1 ? "\xEF\xBB\xBF" : "");
		hd_buf_printf(&b, "client_id,client,date,therapist,techniques,areas,notes%s", ends[e]);
		for (i = 0; i < n; i++)
			hd_buf_printf(&b, "c-%04zu,\"Client %zu, %s\",2026-11-20,Maria,swedish,neck,"
			              "\"line one%sline \"\"two\"\"\"%s",
			              i, i, i % 2 ? "Núñez" : "Łukasiewicz", ends[e], ends[e]);
		assert_false(b.oom);
		assert_true(b.len > 3 * 65536);
		snprintf(name, sizeof(name), "again%zu.csv", e);
		assert_int_equal(hd_list_load(&l, put(name, b.data, b.len), NULL, &d), HD_OK);
		assert_int_equal(d.count, 0);
		assert_int_equal(hd_list_count(l), n);
		for (i = 0; i < n; i++) {
			char want[64], id[16], *client = NULL, *notes = NULL;
			assert_int_equal(hd_list_row_client(&client, l, i, NULL, &d), HD_OK);
			snprintf(want, sizeof(want), "Client %zu, %s", i, i % 2 ? "Núñez" : "Łukasiewicz");
			snprintf(id, sizeof(id), "c-%04zu", i);
			assert_string_equal(client, want);
			assert_string_equal(hd_list_row_id(l, i), id);
			assert_int_equal(hd_list_row_line(l, i), (int)i + 2);
			assert_int_equal(hd_list_row_cell(&notes, l, i, "Notes", &d), HD_OK);
			assert_string_equal(notes, e == 0   ? "line one\nline \"two\""
			                           : e == 1 ? "line one\r\nline \"two\""
			                                    : "line one\rline \"two\"");
			free(notes);
			free(client);
		}
		assert_int_equal(hd_list_row_cell(&(char *){ NULL }, l, 0, "phone", &d), HD_EINVAL);
		hd_list_free(l);
		hd_buf_free(&b);
		hd_diags_free(&d);
	}
}

/* A list changed in place while it is in use: its rows are refused with
 * their row and a way out, never read half-changed. A list replaced by a
 * new file (an editor's save, a new export) keeps the one it opened. */
static void test_list_changed(void **state)
{
	static const char csv[] = "client,date,therapist,techniques,areas\n"
	                          "Ann Lee,2026-11-20,Maria,swedish,neck\n"
	                          "Bo Chan,2026-11-21,Tom,deep-tissue,sacrum\n";
	const char *path = PUT("changed.csv", csv);
	hd_diags d = HD_DIAGS_INIT;
	hd_session *s = NULL;
	hd_list *l = NULL;
	char *c;
	FILE *f;

	(void)state;
	assert_int_equal(hd_list_load(&l, path, NULL, &d), HD_OK);
	/* replaced: the list reads the file it opened */
	{
		char tmp[512];
		snprintf(tmp, sizeof(tmp), "%s.new", path);
		f = fopen(tmp, "wb");
		assert_non_null(f);
		fputs("client,date\nSomeone Else,2026-01-01\n", f);
		fclose(f);
		assert_int_equal(rename(tmp, path), 0);
	}
	assert_int_equal(hd_list_row_client(&c, l, 1, NULL, &d), HD_OK);
	assert_string_equal(c, "Bo Chan");
	free(c);
	hd_list_free(l);

	/* changed in place, the same length: the row is not read, and the list
	 * says it changed (a batch starts no more rows) */
	path = PUT("changed.csv", csv);
	assert_int_equal(hd_list_load(&l, path, NULL, &d), HD_OK);
	f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, (long)strlen("client,date,therapist,techniques,areas\nAnn Lee,"), SEEK_SET), 0);
	fputs("2026-11-29", f);
	fclose(f);
	assert_false(hd_list_changed(l));
	/* the row that did not change is still read */
	assert_int_equal(hd_list_session(&s, l, 1, hd_test_engine, &d), HD_OK);
	hd_session_free(s);
	assert_int_equal(hd_list_session(&s, l, 0, hd_test_engine, &d), HD_EIO);
	assert_null(s);
	assert_true(hd_list_changed(l));
	assert_string_equal(fmt(&d),
	                    "changed.csv:2: error: the list was changed while the batch was reading "
	                    "it: this row is no longer what it was\n"
	                    "  hint: nothing more is made; run the same command again once the list "
	                    "is saved: what was made is kept\n");
	c = (char *)1;
	assert_int_equal(hd_list_row_client(&c, l, 0, NULL, NULL), HD_EIO);
	assert_null(c);
	{
		unsigned char md[32];
		assert_int_equal(hd_list_row_digest(l, 0, NULL, md, NULL), HD_EIO);
	}
	hd_session_free(s);
	hd_list_free(l);
	hd_diags_free(&d);
}

/* The list swapped for a new export while the batch runs: the mail merge
 * still sends each document to the client it was made for (the rows the
 * batch read), never to whoever now stands in that row of the new file. */
static const char *swap_from, *swap_to;
static void swap_list(const hd_batch_row *row, void *ctx)
{
	(void)row;
	(void)ctx;
	if (swap_from) {
		assert_int_equal(rename(swap_from, swap_to), 0);
		swap_from = NULL;
	}
}

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	buf = calloc(1, 1 << 20);
	assert_non_null(buf);
	len = fread(buf, 1, (1 << 20) - 1, f);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Three clients with addresses, for the mail merges below. */
static const char three_clients[] = "client,email,date,therapist,techniques,areas\n"
                                    "Ann Lee,ann@example.org,2026-11-20,Maria,swedish,neck\n"
                                    "Bo Chan,bo@example.org,2026-11-20,Maria,swedish,neck\n"
                                    "Cy Dunn,cy@example.org,2026-11-20,Maria,swedish,neck\n";

static void test_mail_merge_list_swapped(void **state)
{

	static const char after[] = "client,email,date,therapist,techniques,areas\n"
	                            "Bo Chan,bo@example.org,2026-11-20,Maria,swedish,neck\n"
	                            "Cy Dunn,cy@example.org,2026-11-20,Maria,swedish,neck\n";
	hd_batch_options bo = HD_BATCH_OPTIONS_INIT;
	hd_batch_mail_options mo = HD_BATCH_MAIL_OPTIONS_INIT;
	hd_mail_options mail = HD_MAIL_OPTIONS_INIT;
	hd_batch_mail_result res;
	hd_diags d = HD_DIAGS_INIT;
	char list[512], next[512], eml[512], out[512];
	static const char *const who[][2] = { { "Ann-Lee-r2", "ann@example.org" },
		                              { "Bo-Chan-r3", "bo@example.org" },
		                              { "Cy-Dunn-r4", "cy@example.org" } };
	size_t k;

	(void)state;
	snprintf(list, sizeof(list), "%s", PUT("swapped.csv", three_clients));
	snprintf(next, sizeof(next), "%s", PUT("swapped-next.csv", after));
	snprintf(out, sizeof(out), "%s/swapped-out", HD_TEST_TMP);
	snprintf(eml, sizeof(eml), "%s/swapped-eml", HD_TEST_TMP);
	mkdir(eml, 0755);
	swap_from = next;
	swap_to = list;
	bo.kind = HD_KIND_AFTERCARE;
	bo.out_dir = out;
	bo.force = 1;
	bo.source_date_epoch = 1763596800;
	bo.row_done = swap_list; /* the new export lands while the first row is done */
	mail.date = 1763596800;
	mo.mail = &mail;
	mo.eml_dir = eml;
	assert_int_equal(hd_batch_mail(&res, hd_test_engine, list, &bo, &mo, &d), HD_OK);
	assert_null(swap_from);
	assert_int_equal(res.batch.made, 3);
	assert_int_equal(res.written, 3);
	for (k = 0; k < 3; k++) {
		char path[600], *text;
		size_t j;
		snprintf(path, sizeof(path), "%s/%s.eml", eml, who[k][0]);
		text = slurp(path);
		assert_non_null(strstr(text, who[k][1]));
		for (j = 0; j < 3; j++) /* no one else's address */
			assert_true(j == k || !strstr(text, who[j][1]));
		free(text);
	}
	hd_diags_free(&d);
}

/* A list edited in place during a batch (a row grows: every later row
 * moves): the batch stops at the first row it no longer finds, with one
 * message and exit status 3 (HD_EIO), keeps what it made, and a rerun on
 * the saved list finishes the rest. */
static const char *edit_path;
static int edit_rows;
static const char batch_edited[] = "client,date,therapist,techniques,areas\n"
                                   "Ann Lee,2026-11-20,Maria,swedish,neck\n"
                                   "Bo Chan-Ortega,2026-11-20,Maria,swedish,neck\n"
                                   "Cy Dunn,2026-11-20,Maria,swedish,neck\n"
                                   "Di Eve,2026-11-20,Maria,swedish,neck\n";

/* Empties and removes a flat folder a previous run of the test left. */
static void remove_dir(const char *path)
{
	DIR *dp = opendir(path);
	struct dirent *de;
	char file[1024];
	while (dp && (de = readdir(dp))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		unlink(file);
	}
	if (dp)
		closedir(dp);
	rmdir(path);
}

/* After the first row: edit_text written over the list at edit_path, as an
 * editor that saves in place does. */
static const char *edit_text;
static void edit_list(const hd_batch_row *row, void *ctx)
{
	FILE *f;
	(void)row;
	(void)ctx;
	if (edit_rows++ == 0 && edit_text) {
		f = fopen(edit_path, "r+b");
		assert_non_null(f);
		assert_int_equal(fwrite(edit_text, 1, strlen(edit_text), f), strlen(edit_text));
		fclose(f);
	}
}

static void test_batch_list_edited(void **state)
{
	static const char csv[] = "client,date,therapist,techniques,areas\n"
	                          "Ann Lee,2026-11-20,Maria,swedish,neck\n"
	                          "Bo Chan,2026-11-20,Maria,swedish,neck\n"
	                          "Cy Dunn,2026-11-20,Maria,swedish,neck\n"
	                          "Di Eve,2026-11-20,Maria,swedish,neck\n";
	hd_batch_options bo = HD_BATCH_OPTIONS_INIT;
	hd_batch_result res;
	hd_diags d = HD_DIAGS_INIT;
	char out[512], list[512];

	(void)state;
	snprintf(list, sizeof(list), "%s", PUT("edited.csv", csv));
	snprintf(out, sizeof(out), "%s/edited-out", HD_TEST_TMP);
	remove_dir(out);
	edit_path = list;
	edit_rows = 0;
	edit_text = batch_edited;
	bo.kind = HD_KIND_AFTERCARE;
	bo.out_dir = out;
	bo.force = 1;
	bo.source_date_epoch = 1763596800;
	bo.row_done = edit_list;
	bo.write_group = 1; /* each row written, and told, before the next is read */
	assert_int_equal(hd_batch(&res, hd_test_engine, list, &bo, &d), HD_EIO);
	assert_int_equal(res.made, 1);
	assert_int_equal(res.failed, 1);
	assert_int_equal(edit_rows, 2); /* the row that found it, then no other */
	hd_diags_free(&d);
	/* the list as saved: the first row kept, the rest made */
	bo.force = 0;
	bo.row_done = NULL;
	assert_int_equal(hd_batch(&res, hd_test_engine, list, &bo, &d), HD_OK);
	assert_int_equal(res.skipped, 1);
	assert_int_equal(res.made, 3);
	hd_diags_free(&d);
}

/* How many of the file's pages are in the page cache (mincore). */
static size_t pages_cached(const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char vec[256];
	struct stat st;
	size_t n, k, cached = 0;
	void *map;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	n = ((size_t)st.st_size + (size_t)page - 1) / (size_t)page;
	assert_true(n > 0 && n <= sizeof(vec));
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mincore(map, (size_t)st.st_size, vec), 0);
	for (k = 0; k < n; k++)
		cached += vec[k] & 1;
	munmap(map, (size_t)st.st_size);
	close(fd);
	return cached;
}

/* How many of the PDFs in dir have pages in the page cache (each read
 * first when read_first); *pdfs how many PDFs there are. */
static int pdfs_cached(const char *dir, int read_first, int *pdfs)
{
	static char buf[8192];
	char file[1024];
	struct dirent *de;
	DIR *dp = opendir(dir);
	int cached = 0;

	assert_non_null(dp);
	*pdfs = 0;
	while ((de = readdir(dp))) {
		if (!strstr(de->d_name, ".pdf"))
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, de->d_name);
		if (read_first) {
			int fd = open(file, O_RDONLY);
			assert_true(fd >= 0);
			assert_true(read(fd, buf, sizeof(buf)) > 0);
			close(fd);
		}
		cached += pages_cached(file) > 0;
		(*pdfs)++;
	}
	closedir(dp);
	return cached;
}

/* In a batch synced every 3 documents and written 2 at a time: the files
 * of rows 1-3 (the first sync) already out of the cache when row 5 is
 * told. */
static char *first_three[3];
static int cache_rows, cache_checked;
static void check_first_group(const hd_batch_row *row, void *ctx)
{
	int k;
	(void)ctx;
	cache_rows++;
	if (cache_rows == 1) /* written, not yet synced: still in the cache */
		assert_true(pages_cached(row->output) > 0);
	if (cache_rows <= 3) {
		first_three[cache_rows - 1] = strdup(row->output);
	} else if (cache_rows == 5) {
		for (k = 0; k < 3; k++) {
			assert_int_equal(pages_cached(first_three[k]), 0);
			cache_checked++;
		}
	}
}

/* A batch writes hundreds of megabytes nobody reads soon: once synced, each
 * group of documents is dropped from the page cache (README, "Measured
 * speed"), during the batch and at its end. Where the file system keeps a
 * file's pages whatever a program advises (tmpfs), a control file says so
 * and the test is skipped. */
static void test_batch_leaves_cache(void **state)
{
	static const char csv[] = "client,date,therapist,techniques,areas\n"
	                          "Ann Lee,2026-11-20,Maria,swedish,neck\n"
	                          "Bo Chan,2026-11-20,Maria,swedish,neck\n"
	                          "Cy Dunn,2026-11-20,Maria,swedish,neck\n"
	                          "Di Eve,2026-11-20,Maria,swedish,neck\n"
	                          "Ed Fox,2026-11-20,Maria,swedish,neck\n"
	                          "Flo Gray,2026-11-20,Maria,swedish,neck\n"
	                          "Gus Hale,2026-11-20,Maria,swedish,neck\n";
	hd_batch_options bo = HD_BATCH_OPTIONS_INIT;
	hd_batch_result res;
	hd_diags d = HD_DIAGS_INIT;
	char out[512], list[512], control[512];
	static char page[8192];
	int fd, pdfs = 0;

	(void)state;
	snprintf(control, sizeof(control), "%s/cache-control", HD_TEST_TMP);
	fd = open(control, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	memset(page, 'x', sizeof(page));
	assert_int_equal(write(fd, page, sizeof(page)), (ssize_t)sizeof(page));
	assert_int_equal(fsync(fd), 0);
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	if (pages_cached(control) != 0) {
		print_message("the test folder's file system keeps pages whatever a program advises\n");
		skip();
	}
	snprintf(list, sizeof(list), "%s", PUT("cache.csv", csv));
	snprintf(out, sizeof(out), "%s/cache-out", HD_TEST_TMP);
	remove_dir(out);
	cache_rows = cache_checked = 0;
	bo.kind = HD_KIND_AFTERCARE;
	bo.out_dir = out;
	bo.sync_every = 3;
	bo.write_group = 2;
	bo.source_date_epoch = 1763596800;
	bo.row_done = check_first_group;
	assert_int_equal(hd_batch(&res, hd_test_engine, list, &bo, &d), HD_OK);
	assert_int_equal(res.made, 7);
	assert_int_equal(cache_checked, 3); /* the first sync's files, checked at row 5 */
	free(first_three[0]);
	free(first_three[1]);
	free(first_three[2]);
	assert_int_equal(pdfs_cached(out, 0, &pdfs), 0); /* none of them cached */
	assert_int_equal(pdfs, 7);
	hd_diags_free(&d);

	/* a rerun reads every kept file to check it, and leaves none cached */
	assert_int_equal(pdfs_cached(out, 1, &pdfs), 7); /* read: all cached */
	bo.row_done = NULL;
	assert_int_equal(hd_batch(&res, hd_test_engine, list, &bo, &d), HD_OK);
	assert_int_equal(res.skipped, 7);
	assert_int_equal(pdfs_cached(out, 0, &pdfs), 0);
	assert_int_equal(pdfs, 7);
	hd_diags_free(&d);
}

/* hd_batch_options of version 1 (before write_group) are still taken, and
 * never read past their end: the struct is put at the very end of a page
 * whose next page cannot be read. A version the library does not know is
 * refused. */
static void test_batch_options_version(void **state)
{
	static const char csv[] = "client,date,therapist,techniques,areas\n"
	                          "Ann Lee,2026-11-20,Maria,swedish,neck\n";
	hd_batch_options bo = HD_BATCH_OPTIONS_INIT, *v1;
	hd_batch_result res;
	hd_diags d = HD_DIAGS_INIT;
	char out[512], list[512];
	size_t page = (size_t)sysconf(_SC_PAGESIZE), v1_size = offsetof(hd_batch_options, write_group);
	char *pages;

	(void)state;
	snprintf(list, sizeof(list), "%s", PUT("version.csv", csv));
	snprintf(out, sizeof(out), "%s/version-out", HD_TEST_TMP);
	remove_dir(out);
	bo.kind = HD_KIND_AFTERCARE;
	bo.out_dir = out;
	bo.source_date_epoch = 1763596800;
	bo.version = HD_BATCH_OPTIONS_VERSION + 1;
	assert_int_equal(hd_batch(&res, hd_test_engine, list, &bo, &d), HD_EINVAL);

	pages = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(pages != MAP_FAILED);
	assert_int_equal(mprotect(pages + page, page, PROT_NONE), 0);
	assert_int_equal(v1_size % _Alignof(hd_batch_options), 0);
	v1 = (hd_batch_options *)(void *)(pages + page - v1_size);
	memcpy(v1, &bo, v1_size);
	v1->version = 1;
	assert_int_equal(hd_batch(&res, hd_test_engine, list, v1, &d), HD_OK);
	assert_int_equal(res.made, 1);
	munmap(pages, 2 * page);
	hd_diags_free(&d);
}

/* Two batches into one folder at once would mix their manifests' lines:
 * the second is refused while the first holds the manifest. */
static void test_batch_one_at_a_time(void **state)
{
	static const char csv[] = "client,date,therapist,techniques,areas\n"
	                          "Ann Lee,2026-11-20,Maria,swedish,neck\n";
	hd_batch_options bo = HD_BATCH_OPTIONS_INIT;
	hd_batch_result res;
	hd_diags d = HD_DIAGS_INIT;
	char out[512], list[512], manifest[600];
	int fd;

	(void)state;
	snprintf(list, sizeof(list), "%s", PUT("locked.csv", csv));
	snprintf(out, sizeof(out), "%s/locked-out", HD_TEST_TMP);
	remove_dir(out);
	mkdir(out, 0755);
	snprintf(manifest, sizeof(manifest), "%s/manifest.jsonl", out);
	fd = open(manifest, O_RDWR | O_CREAT, 0644); /* as another batch holds it */
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	bo.kind = HD_KIND_AFTERCARE;
	bo.out_dir = out;
	bo.source_date_epoch = 1763596800;
	assert_int_equal(hd_batch(&res, hd_test_engine, list, &bo, &d), HD_EIO);
	assert_int_equal(res.made, 0);
	assert_string_equal(fmt(&d), "locked-out/manifest.jsonl: error: another batch is making "
	                             "documents into this folder\n"
	                             "  hint: wait until it has finished, or give another folder "
	                             "with -o\n");
	hd_diags_free(&d);
	close(fd); /* the lock goes with it */
	assert_int_equal(hd_batch(&res, hd_test_engine, list, &bo, &d), HD_OK);
	assert_int_equal(res.made, 1);
	hd_diags_free(&d);
}

/* The same edit during a mail merge: the batch stops, and nothing is
 * mailed, said once (the rows after the edit have moved; the rows before
 * it are mailed by the rerun, and nothing is ever sent twice). */
static void test_mail_merge_list_edited(void **state)
{
	static const char edited[] = "client,email,date,therapist,techniques,areas\n"
	                             "Ann Lee,ann@example.org,2026-11-20,Maria,swedish,neck\n"
	                             "Bo Chan-Ortega,bo@example.org,2026-11-20,Maria,swedish,neck\n"
	                             "Cy Dunn,cy@example.org,2026-11-20,Maria,swedish,neck\n";
	hd_batch_options bo = HD_BATCH_OPTIONS_INIT;
	hd_batch_mail_options mo = HD_BATCH_MAIL_OPTIONS_INIT;
	hd_mail_options mail = HD_MAIL_OPTIONS_INIT;
	hd_batch_mail_result res;
	hd_diags d = HD_DIAGS_INIT;
	char list[512], out[512], eml[512];
	size_t k, said = 0;

	(void)state;
	snprintf(list, sizeof(list), "%s", PUT("medited.csv", three_clients));
	snprintf(out, sizeof(out), "%s/medited-out", HD_TEST_TMP);
	snprintf(eml, sizeof(eml), "%s/medited-eml", HD_TEST_TMP);
	remove_dir(out);
	remove_dir(eml);
	mkdir(eml, 0755);
	edit_path = list;
	edit_rows = 0;
	bo.kind = HD_KIND_AFTERCARE;
	bo.out_dir = out;
	bo.source_date_epoch = 1763596800;
	bo.row_done = edit_list;
	bo.write_group = 1; /* each row written, and told, before the next is read */
	mail.date = 1763596800;
	mo.mail = &mail;
	mo.eml_dir = eml;
	edit_text = edited;
	assert_int_equal(hd_batch_mail(&res, hd_test_engine, list, &bo, &mo, &d), HD_EIO);
	assert_int_equal(res.batch.made, 1);
	assert_int_equal(res.written, 0);
	for (k = 0; k < d.count; k++)
		said += strstr(d.items[k].message, "nothing more is mailed") != NULL;
	assert_int_equal(said, 1);
	edit_text = NULL;
	hd_diags_free(&d);
}

/* Manifest lines: exact bytes for hostile text, and the JSON line read back
 * gives the same entry. */
static void test_manifest_lines(void **state)
{
	hd_manifest_entry e, back;
	hd_buf c = HD_BUF_INIT, j = HD_BUF_INIT;
	char client[] = "=cmd|' /C calc'!A0 \"Zo\xc3\xab\" \\ a\tb\nc\x01\x7f;";

	(void)state;
	memset(&e, 0, sizeof(e));
	e.row = 7;
	e.id = "c-1";
	e.client = client;
	e.status = "made";
	e.output = "x.pdf";
	e.pages = 1;
	e.bytes = 1234;
	e.sha256 = "ab";
	e.code = e.field = e.column = "";
	e.message = "say \"hi\"";
	e.inputs = "cd";
	hd_manifest_csv_line(&c, &e);
	hd_manifest_json_line(&j, &e);
	assert_false(c.oom || j.oom);
	assert_string_equal(c.data, "7,c-1,\"'=cmd|' /C calc'!A0 \"\"Zo\xc3\xab\"\" \\ a\tb\nc\x01\x7f;\","
	                            "made,x.pdf,1,1234,ab,,,,\"say \"\"hi\"\"\",cd\r\n");
	assert_string_equal(j.data, "{\"row\":7,\"id\":\"c-1\",\"client\":\"=cmd|' /C calc'!A0 "
	                            "\\\"Zo\xc3\xab\\\" \\\\ a\\u0009b\\nc\\u0001\\u007f;\","
	                            "\"status\":\"made\",\"output\":\"x.pdf\",\"pages\":1,\"bytes\":1234,"
	                            "\"sha256\":\"ab\",\"code\":\"\",\"field\":\"\",\"column\":\"\","
	                            "\"message\":\"say \\\"hi\\\"\",\"inputs\":\"cd\"}\n");
	j.data[j.len - 1] = '\0'; /* the line feed */
	assert_int_equal(hd_manifest_parse_line(&back, j.data), 0);
	assert_string_equal(back.client, client);
	assert_string_equal(back.message, e.message);
	assert_int_equal(back.row, 7);
	hd_manifest_entry_clear(&back);
	hd_buf_free(&c);
	hd_buf_free(&j);
}

/* A mapping file joins First Name and Last Name; unknown columns are a
 * warning; a bad row reports its row and column. */
static void test_mapping_and_row_errors(void **state)
{
	const char *map = PUT("m.map", "# ours\nfirst name = client\n LAST-NAME=client\nVisit = date\n"
	                               "Phone = -\nHomework = tips\n");
	const char *csv = PUT("m.csv", "First Name,Last Name,Visit,Phone,Colour\n"
	                               "Ann,Lee,2026-02-30,1,red\n");
	hd_list_options lo = HD_LIST_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_session *s = NULL;
	hd_list *l = NULL;

	(void)state;
	lo.mapping_path = map;
	assert_int_equal(hd_list_load(&l, csv, &lo, &d), HD_OK);
	assert_string_equal(fmt(&d),
		"m.csv:1:Colour: warning: column 'Colour' is not a session field; it is ignored\n"
		"  hint: name a session field in the header, or map the column to one in a mapping "
		"file (--map FILE); see README, \"For clinic managers\"\n"
		"m.map:6: warning: no column of m.csv is named 'Homework'; this line maps nothing\n"
		"  hint: write the column's name as the list's header row does\n");
	hd_diags_free(&d);
	{
		char *c = NULL;
		assert_int_equal(hd_list_row_client(&c, l, 0, NULL, NULL), HD_OK);
		assert_string_equal(c, "Ann Lee");
		free(c);
	}
	assert_int_equal(hd_list_session(&s, l, 0, hd_test_engine, &d), HD_EINPUT);
	assert_null(s);
	assert_string_equal(fmt(&d), "m.csv:2:Visit: error: 2026-02-30 is not a real date (February "
	                             "2026 has 28 days)\n  hint: check the day of the month\n");
	assert_int_equal(d.items[0].code, HD_DIAG_BAD_DATE);
	assert_string_equal(d.items[0].field, "date");
	hd_diags_free(&d);
	hd_list_free(l);
	/* a bad mapping line */
	map = PUT("bad.map", "First Name = client\nLast Name = surname\n");
	lo.mapping_path = map;
	assert_int_equal(hd_list_load(&l, csv, &lo, &d), HD_EINPUT);
	assert_string_equal(fmt(&d),
		"bad.map:2: error: 'surname' is not a session field\n"
		"  hint: the fields are client_id, client, email, date, time, therapist, language, size, "
		"paper, techniques, areas, pressure, pain_before, pain_after, notes, tips and next_visit; "
		"'-' ignores the column\n");
	hd_diags_free(&d);
}

/* Encodings: Windows-1252 is refused with the way out, or converted when
 * asked; UTF-16 is refused. */
static void test_encodings(void **state)
{
	const char *csv = PUT("w.csv", "client,email\nZo\xEB,z@example.org\n");
	hd_list_options lo = HD_LIST_OPTIONS_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_list *l = NULL;

	(void)state;
	assert_int_equal(hd_list_load(&l, csv, NULL, &d), HD_EINPUT);
	assert_null(l);
	assert_string_equal(fmt(&d),
		"w.csv:2:client: error: this text is not UTF-8 (byte 0xEB)\n"
		"  hint: save it as \"CSV UTF-8\" (Excel: Save As, CSV UTF-8), or give --encoding "
		"windows-1252 if it is Excel's plain \"CSV\" from a Western European Windows\n");
	assert_int_equal(d.items[0].code, HD_DIAG_ENCODING);
	hd_diags_free(&d);
	lo.encoding = "windows-1252";
	assert_int_equal(hd_list_load(&l, csv, &lo, &d), HD_OK);
	{
		char *c = NULL;
		assert_int_equal(hd_list_row_client(&c, l, 0, NULL, NULL), HD_OK);
		assert_string_equal(c, "Zoë");
		free(c);
	}
	hd_list_free(l);
	csv = PUT("u16.csv", "\xFF\xFE" "c\0l\0");
	assert_int_equal(hd_list_load(&l, csv, NULL, &d), HD_EINPUT);
	assert_non_null(strstr(fmt(&d), "u16.csv: error: this file is UTF-16"));
	hd_diags_free(&d);
}

/* Hostile files: refused cleanly, the whole file or the one row. */
static void test_hostile(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_session *s = NULL;
	hd_list *l = NULL;
	char *big;
	size_t i, n;
	const char *csv;

	(void)state;
	/* an unterminated quote: nothing after it could be trusted */
	csv = PUT("q.csv", "client,notes\nAnn,ok\nBo,\"never closed\nCy,x\n");
	assert_int_equal(hd_list_load(&l, csv, NULL, &d), HD_EINPUT);
	assert_string_equal(fmt(&d),
		"q.csv:3:notes: error: a quote opened in this row is never closed\n"
		"  hint: a cell that holds a quote, the delimiter or a line break must be in double "
		"quotes, with each quote inside doubled (\"\"); the rows after this one are not read, "
		"so nothing is made\n");
	hd_diags_free(&d);
	/* a stray quote inside a cell */
	csv = PUT("q2.csv", "client,notes\nAnn,say \"hi\" x\n");
	assert_int_equal(hd_list_load(&l, csv, NULL, &d), HD_EINPUT);
	assert_non_null(strstr(fmt(&d), "q2.csv:2:notes: error: a misplaced quote in this row"));
	hd_diags_free(&d);
	/* 100,000 columns in the header */
	n = 100000 * 2 + 16;
	big = malloc(n);
	assert_non_null(big);
	for (i = 0; i < 100000; i++) {
		big[2 * i] = 'x';
		big[2 * i + 1] = ',';
	}
	memcpy(big + 200000 - 1, "\nAnn\n", 5);
	csv = put("wide.csv", big, 200000 + 4);
	assert_int_equal(hd_list_load(&l, csv, NULL, &d), HD_EINPUT);
	assert_string_equal(fmt(&d),
		"wide.csv:1: error: the header row has 100000 columns; the limit is 256\n"
		"  hint: the first row must name the columns: client, date, therapist...\n");
	hd_diags_free(&d);
	free(big);
	/* a 1 MB cell, a NUL byte, too many cells: those rows only */
	n = 1024 * 1024 + 200;
	big = malloc(n);
	assert_non_null(big);
	i = (size_t)sprintf(big, "client,notes\nAnn,");
	memset(big + i, 'a', 1024 * 1024);
	i += 1024 * 1024;
	memcpy(big + i, "\nBo,x\0y\nCy,a,b\nDi,fine\n", 23);
	csv = put("rows.csv", big, i + 23);
	free(big);
	assert_int_equal(hd_list_load(&l, csv, NULL, &d), HD_OK);
	assert_int_equal(hd_list_count(l), 4);
	for (i = 0; i < 3; i++)
		assert_int_equal(hd_list_session(&s, l, i, hd_test_engine, &d), HD_EINPUT);
	assert_string_equal(fmt(&d),
		"rows.csv:2:notes: error: the cell holds 1048576 bytes; the limit is 65536\n"
		"  hint: shorten it, or check the quotes of this row\n"
		"rows.csv:3:notes: error: the cell holds a NUL byte\n"
		"  hint: a spreadsheet never writes one: check the file\n"
		"rows.csv:4: error: this row has 3 cells; the header has 2 columns\n"
		"  hint: check the quotes and delimiters of this row: a cell holding the delimiter "
		"must be in double quotes\n");
	hd_diags_free(&d);
	assert_int_equal(hd_list_session(&s, l, 3, hd_test_engine, &d), HD_OK);
	hd_session_free(s);
	hd_list_free(l);
	/* no client column; an empty file; a file that is not a list */
	csv = PUT("noname.csv", "date\n2026-01-01\n");
	assert_int_equal(hd_list_load(&l, csv, NULL, &d), HD_EINPUT);
	assert_non_null(strstr(fmt(&d), "noname.csv:1: error: no column gives the client's name"));
	hd_diags_free(&d);
	csv = PUT("empty.csv", "\r\n");
	assert_int_equal(hd_list_load(&l, csv, NULL, &d), HD_EINPUT);
	assert_non_null(strstr(fmt(&d), "empty.csv: error: the list is empty"));
	hd_diags_free(&d);
	csv = PUT("x.pdf", "%PDF");
	assert_int_equal(hd_list_load(&l, csv, NULL, &d), HD_EINPUT);
	hd_diags_free(&d);
}

/* An XML list of session files. */
static void test_xml_list(void **state)
{
	const char *xml = PUT("list.xml",
		"<sessions xmlns=\"urn:handout:list:1\" version=\"1\">\n"
		"  <session file=\"" HD_SOURCE_DIR "/xml/sessions/zoe.xml\"/>\n"
		"  <session file=\"missing.xml\"/>\n"
		"</sessions>\n");
	hd_diags d = HD_DIAGS_INIT;
	hd_session *s = NULL;
	hd_list *l = NULL;

	(void)state;
	assert_int_equal(hd_list_load(&l, xml, NULL, &d), HD_OK);
	assert_int_equal(hd_list_count(l), 2);
	assert_string_equal(hd_list_row_id(l, 0), "r2");
	assert_int_equal(hd_list_session(&s, l, 0, hd_test_engine, &d), HD_OK);
	assert_string_equal(hd_session_client(s), "Zoë Łukasiewicz");
	hd_session_free(s);
	assert_int_equal(hd_list_session(&s, l, 1, hd_test_engine, &d), HD_EIO);
	hd_diags_free(&d);
	hd_list_free(l);
	xml = PUT("bad-list.xml", "<sessions xmlns=\"urn:handout:list:1\" version=\"1\"><x/></sessions>");
	assert_int_equal(hd_list_load(&l, xml, NULL, &d), HD_EINPUT);
	assert_string_equal(fmt(&d), "bad-list.xml:1: error: <x> is not a <session file=\"...\"/>\n"
	                             "  hint: list each record as <session file=\"PATH\"/>\n");
	hd_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dialects),
		cmocka_unit_test(test_rows_read_again),
		cmocka_unit_test(test_list_changed),
		cmocka_unit_test(test_mail_merge_list_swapped),
		cmocka_unit_test(test_batch_list_edited),
		cmocka_unit_test(test_batch_leaves_cache),
		cmocka_unit_test(test_batch_options_version),
		cmocka_unit_test(test_batch_one_at_a_time),
		cmocka_unit_test(test_manifest_lines),
		cmocka_unit_test(test_mail_merge_list_edited),
		cmocka_unit_test(test_mapping_and_row_errors),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_xml_list),
	};
	return cmocka_run_group_tests(tests, hd_test_setup, hd_test_teardown);
}
