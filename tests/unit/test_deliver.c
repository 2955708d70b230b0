/*
 * Unit tests for src/deliver.c: atomic writes (content, replacement, mode,
 * standard output, clean failures that leave no temporary file behind) and
 * hd_safe_file_name on hostile client names (exact outputs and invariants).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deliver.h"

/* Every write of the tests below with these flags: 0, then (the _new
 * variants) as a batch writes a file it expects to be new. */
static unsigned write_flags;
#define hd_write_file_atomic(p, data, len, d) hd_write_file_atomic_ex((p), (data), (len), write_flags, (d))

/* Set for test_deliver_portable, built with its own copy of src/deliver.c
 * taking the path of file systems without O_TMPFILE. */
#ifndef HD_NO_TMPFILE
#define HD_NO_TMPFILE 0
#endif

/* ----- helpers --------------------------------------------------------------- */

/* Creates a fresh, empty folder under HD_TEST_TMP for one test; returns a
 * malloc'd path. */
static char *make_dir(void)
{
	char *dir = strdup(HD_TEST_TMP "/deliver.XXXXXX");

	assert_non_null(dir);
	mkdir(HD_TEST_TMP, 0755);
	assert_non_null(mkdtemp(dir));
	return dir;
}

/* Removes dir and what is in it (files and empty sub-folders). */
static void remove_dir(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char *p;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = hd_path_join(dir, e->d_name);
		assert_non_null(p);
		if (unlink(p) != 0)
			assert_int_equal(rmdir(p), 0);
		free(p);
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

/* Asserts that dir holds exactly the names in want (NULL-terminated, any
 * order): in particular, no leftover temporary file. */
static void expect_entries(const char *dir, const char *const *want)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t nwant = 0, found = 0, i;

	assert_non_null(d);
	while (want[nwant])
		nwant++;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		for (i = 0; i < nwant; i++)
			if (strcmp(e->d_name, want[i]) == 0)
				break;
		if (i == nwant)
			fail_msg("unexpected entry %s in %s", e->d_name, dir);
		found++;
	}
	closedir(d);
	assert_int_equal(found, nwant);
}

/* Asserts that path holds exactly len bytes equal to data. */
static void expect_content(const char *path, const void *data, size_t len)
{
	hd_diags d = HD_DIAGS_INIT;
	char *got = NULL;
	size_t got_len = 0;

	assert_int_equal(hd_read_file(&got, &got_len, path, 64u << 20, &d), HD_OK);
	assert_int_equal(got_len, len);
	if (len)
		assert_memory_equal(got, data, len);
	free(got);
	hd_diags_free(&d);
}

/* Writes and expects failure: HD_EIO and exactly one diagnostic, on the file
 * path, saying "cannot write: <strerror(err)>", with a hint containing hint. */
static void write_fails(const char *path, int err, const char *hint)
{
	hd_diags d = HD_DIAGS_INIT;
	char want[1024];

	assert_int_equal(hd_write_file_atomic(path, "data", 4, &d), HD_EIO);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].file, path);
	snprintf(want, sizeof(want), "cannot write: %s", strerror(err));
	assert_string_equal(d.items[0].message, want);
	if (!strstr(d.items[0].hint, hint))
		fail_msg("hint \"%s\" lacks \"%s\"", d.items[0].hint, hint);
	hd_diags_free(&d);
}

/* Writes and expects a refusal: HD_EIO and exactly one diagnostic, on path,
 * whose message is message and whose hint contains hint. */
static void refused(const char *path, const char *message, const char *hint)
{
	hd_diags d = HD_DIAGS_INIT;

	assert_int_equal(hd_write_file_atomic(path, "data", 4, &d), HD_EIO);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].file, path);
	assert_string_equal(d.items[0].message, message);
	if (!strstr(d.items[0].hint, hint))
		fail_msg("hint \"%s\" lacks \"%s\"", d.items[0].hint, hint);
	hd_diags_free(&d);
}

/* ----- atomic write ---------------------------------------------------------- */

static void test_write_and_replace(void **state)
{
	char *dir = make_dir();
	char *path = hd_path_join(dir, "out.pdf");
	const char *const only_out[] = { "out.pdf", NULL };
	static const char second[] = "%PDF-1.4 a longer second version\n";
	hd_diags d = HD_DIAGS_INIT;

	(void)state;
	assert_int_equal(hd_write_file_atomic(path, "first", 5, &d), HD_OK);
	expect_content(path, "first", 5);
	expect_entries(dir, only_out);

	/* replacing: the new content, whole */
	assert_int_equal(hd_write_file_atomic(path, second, sizeof(second) - 1, &d), HD_OK);
	expect_content(path, second, sizeof(second) - 1);
	expect_entries(dir, only_out);

	/* nothing at all is a valid file too */
	assert_int_equal(hd_write_file_atomic(path, NULL, 0, &d), HD_OK);
	expect_content(path, "", 0);
	expect_entries(dir, only_out);
	assert_int_equal(d.count, 0);

	free(path);
	remove_dir(dir);
}

/* Writes data to a new file path under umask mask and returns its mode. */
static mode_t mode_of_new(const char *path, mode_t mask)
{
	hd_diags d = HD_DIAGS_INIT;
	struct stat st;
	mode_t old = umask(mask);

	unlink(path);
	assert_int_equal(hd_write_file_atomic(path, "new", 3, &d), HD_OK);
	umask(old);
	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* Replaces path, whose mode is first set to mode, under umask mask; returns
 * the replacement's mode. */
static mode_t mode_of_replaced(const char *path, mode_t mode, mode_t mask)
{
	hd_diags d = HD_DIAGS_INIT;
	struct stat st;
	mode_t old;

	assert_int_equal(chmod(path, mode), 0);
	old = umask(mask);
	assert_int_equal(hd_write_file_atomic(path, "again", 5, &d), HD_OK);
	umask(old);
	expect_content(path, "again", 5);
	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* Health information: a new file gets 0666 less the umask (umask 077 makes
 * it private); a replaced file keeps its own permissions, never wider. */
static void test_permissions(void **state)
{
	char *dir = make_dir();
	char *path = hd_path_join(dir, "p.pdf");
	const char *const only[] = { "p.pdf", NULL };

	(void)state;
	assert_int_equal(mode_of_new(path, 022), 0644);
	assert_int_equal(mode_of_new(path, 027), 0640);
	assert_int_equal(mode_of_new(path, 077), 0600);
	assert_int_equal(mode_of_new(path, 002), 0664);
	assert_int_equal(mode_of_new(path, 0), 0666);

	assert_int_equal(mode_of_replaced(path, 0600, 022), 0600);
	assert_int_equal(mode_of_replaced(path, 0640, 0), 0640);
	assert_int_equal(mode_of_replaced(path, 0644, 077), 0644);
	assert_int_equal(mode_of_replaced(path, 0400, 022), 0400);
	assert_int_equal(mode_of_replaced(path, 0604, 022), 0604);
	assert_int_equal(mode_of_replaced(path, 0755, 022), 0755);
	if (geteuid() == 0) /* only root can read it back */
		assert_int_equal(mode_of_replaced(path, 0000, 022), 0000);
	expect_entries(dir, only);

	free(path);
	remove_dir(dir);
}

static void test_large_and_long_names(void **state)
{
	char *dir = make_dir();
	char name[256];
	char *path, *path2;
	const char *want[] = { name, "big.bin", NULL };
	hd_diags d = HD_DIAGS_INIT;
	size_t len = 3u << 20, i;
	unsigned char *big = malloc(len);

	(void)state;
	assert_non_null(big);
	for (i = 0; i < len; i++)
		big[i] = (unsigned char)(i * 2654435761u >> 13);
	path = hd_path_join(dir, "big.bin");
	assert_int_equal(hd_write_file_atomic(path, big, len, &d), HD_OK);
	expect_content(path, big, len);

	/* a 250-byte name: the temporary name must stay under NAME_MAX */
	memset(name, 'n', 250);
	name[250] = '\0';
	path2 = hd_path_join(dir, name);
	assert_int_equal(hd_write_file_atomic(path2, "long", 4, &d), HD_OK);
	expect_content(path2, "long", 4);
	expect_entries(dir, want);
	assert_int_equal(d.count, 0);

	free(big);
	free(path);
	free(path2);
	remove_dir(dir);
}

static void test_relative_path(void **state)
{
	char *dir = make_dir();
	char cwd[4096];
	const char *const want[] = { "rel.pdf", NULL };
	hd_diags d = HD_DIAGS_INIT;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(hd_write_file_atomic("rel.pdf", "relative", 8, &d), HD_OK);
	assert_int_equal(chdir(cwd), 0);
	expect_entries(dir, want);
	remove_dir(dir);
}

static void test_failures_leave_nothing(void **state)
{
	char *dir = make_dir();
	char *missing = hd_path_join(dir, "nope/out.pdf");
	char *plain = hd_path_join(dir, "plain");
	char *under_file = hd_path_join(dir, "plain/out.pdf");
	char *sub = hd_path_join(dir, "sub");
	char *sub_slash = hd_path_join(dir, "sub/");
	const char *const want[] = { "plain", "sub", NULL };
	const char *const nothing[] = { NULL };
	hd_diags d = HD_DIAGS_INIT;

	(void)state;
	/* a folder that does not exist */
	write_fails(missing, ENOENT, "check that the output folder exists");
	expect_entries(dir, nothing);

	/* a regular file used as a folder (works as root too, unlike chmod) */
	assert_int_equal(hd_write_file_atomic(plain, "i am a file", 11, &d), HD_OK);
	write_fails(under_file, ENOTDIR, "is a file, not a folder");
	expect_content(plain, "i am a file", 11);

	/* the target is a folder: refused before anything is written */
	assert_int_equal(mkdir(sub, 0755), 0);
	refused(sub, "is a folder, not a file", "give the name of a file");
	refused(sub_slash, "is a folder, not a file", "give the name of a file");
	expect_entries(dir, want);
	expect_entries(sub, nothing);

	/* a read-only folder: root is not stopped by permissions, others are */
	if (geteuid() != 0) {
		char *ro = hd_path_join(sub, "out.pdf");
		assert_int_equal(chmod(sub, 0555), 0);
		write_fails(ro, EACCES, "permissions");
		assert_int_equal(chmod(sub, 0755), 0);
		expect_entries(sub, nothing);
		free(ro);
	}

	free(missing);
	free(plain);
	free(under_file);
	free(sub);
	free(sub_slash);
	remove_dir(dir);
}

static void test_stdout(void **state)
{
	char *dir = make_dir();
	char *path = hd_path_join(dir, "stdout.txt");
	hd_diags d = HD_DIAGS_INIT;
	int saved, fd;

	(void)state;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	assert_int_equal(hd_write_file_atomic("-", "to stdout\n", 10, &d), HD_OK);

	/* standard output open for reading only: write fails with EBADF */
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	assert_int_equal(hd_write_file_atomic("-", "lost", 4, &d), HD_EIO);

	assert_int_equal(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	expect_content(path, "to stdout\n", 10);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].message, "cannot write to standard output: Bad file descriptor");
	hd_diags_free(&d);
	free(path);
	remove_dir(dir);
}

/* What is not a regular file is never replaced: not a device, a FIFO, a
 * socket, nor a symbolic link (whatever it points at; a planted link must not
 * take a write outside the output folder). */
static void test_refuses_special_files(void **state)
{
	char *dir = make_dir();
	char *dev = hd_path_join(dir, "dev");
	char *fifo = hd_path_join(dir, "fifo");
	char *sock = hd_path_join(dir, "sock");
	char *target = hd_path_join(dir, "target.txt");
	char *link = hd_path_join(dir, "link.pdf");
	char *dangling = hd_path_join(dir, "dangling.pdf");
	char *dirlink = hd_path_join(dir, "dirlink");
	char *sub = hd_path_join(dir, "sub");
	const char *not_file = "give the path of a regular file, or - for standard output";
	const char *not_link = "give the real path of the file";
	struct sockaddr_un sa;
	hd_diags d = HD_DIAGS_INIT;
	struct stat st;
	int s, have_dev;

	(void)state;
	/* a device node (creating one needs root, which CI is) */
	have_dev = mknod(dev, S_IFCHR | 0666, makedev(1, 3)) == 0;
	if (have_dev) {
		refused(dev, "is a device, not a regular file; not replaced", not_file);
		assert_int_equal(lstat(dev, &st), 0);
		assert_true(S_ISCHR(st.st_mode));
	}

	/* a FIFO: refused without being opened (opening it would block) */
	assert_int_equal(mkfifo(fifo, 0644), 0);
	refused(fifo, "is a named pipe (FIFO), not a regular file; not replaced", not_file);
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));

	/* a socket */
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(s >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	assert_true(strlen(sock) < sizeof(sa.sun_path));
	strcpy(sa.sun_path, sock);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(s);
	refused(sock, "is a socket, not a regular file; not replaced", not_file);
	assert_int_equal(lstat(sock, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));

	/* symbolic links: to a file (left untouched), to nothing, to a folder */
	assert_int_equal(hd_write_file_atomic(target, "keep", 4, &d), HD_OK);
	assert_int_equal(symlink("target.txt", link), 0);
	refused(link, "is a symbolic link; not replaced", not_link);
	expect_content(target, "keep", 4);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(symlink("nowhere.pdf", dangling), 0);
	refused(dangling, "is a symbolic link; not replaced", not_link);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(symlink("sub", dirlink), 0);
	refused(dirlink, "is a symbolic link; not replaced", not_link);

	/* nothing else appeared: no temporary file, nothing through the links */
	{
		const char *const with_dev[] = { "dev", "fifo", "sock", "target.txt", "link.pdf",
		                                 "dangling.pdf", "sub", "dirlink", NULL };
		const char *const nothing[] = { NULL };
		expect_entries(dir, have_dev ? with_dev : with_dev + 1);
		expect_entries(sub, nothing);
	}
	assert_int_equal(d.count, 0);

	free(dev);
	free(fifo);
	free(sock);
	free(target);
	free(link);
	free(dangling);
	free(dirlink);
	free(sub);
	remove_dir(dir);
}

/* /dev/stdout and /dev/fd/1 are standard output, exactly like "-". */
static void test_dev_stdout(void **state)
{
	char *dir = make_dir();
	char *path = hd_path_join(dir, "stdout.txt");
	const char *const only[] = { "stdout.txt", NULL };
	hd_diags d = HD_DIAGS_INIT;
	int saved, fd;

	(void)state;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	assert_int_equal(hd_write_file_atomic("/dev/stdout", "one,", 4, &d), HD_OK);
	assert_int_equal(hd_write_file_atomic("/dev/fd/1", "two", 3, &d), HD_OK);
	assert_int_equal(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	expect_content(path, "one,two", 7);
	expect_entries(dir, only);
	assert_int_equal(d.count, 0);

	assert_true(hd_path_is_stdout("-"));
	assert_true(hd_path_is_stdout("/dev/stdout"));
	assert_true(hd_path_is_stdout("/dev/fd/1"));
	assert_false(hd_path_is_stdout("/dev/stderr"));
	assert_false(hd_path_is_stdout("/dev/fd/10"));
	assert_false(hd_path_is_stdout("./-"));
	assert_false(hd_path_is_stdout(""));
	assert_false(hd_path_is_stdout(NULL));
	free(path);
	remove_dir(dir);
}

/* Creates the regular file dir/name holding text. */
static void make_file(const char *dir, const char *name, const char *text)
{
	char *p = hd_path_join(dir, name);
	int fd;

	assert_non_null(p);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	free(p);
}

/* Starts a process that creates dir/name, holds an exclusive flock on it as a
 * writer does, and then waits: until killed, or until *release (the write end
 * of a pipe it reads) is closed. Returns its pid once the lock is held. */
static pid_t lock_holder(const char *dir, const char *name, int *release)
{
	int ready[2], hold[2];
	char *p = hd_path_join(dir, name);
	char c;
	pid_t pid;

	assert_non_null(p);
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(hold), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0 || flock(fd, LOCK_EX) != 0 || write(fd, "%PDF-", 5) != 5)
			_exit(1);
		close(ready[0]);
		close(hold[1]);
		if (write(ready[1], "k", 1) != 1)
			_exit(1);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	*release = hold[1];
	free(p);
	return pid;
}

/* A killed writer leaves its temporary file. The next writer of the same
 * name removes such files when no live writer holds their lock, and touches
 * nothing else in the folder. */
static void test_stale_temporary_files(void **state)
{
	char *dir = make_dir();
	char *path = hd_path_join(dir, "x.pdf");
	char *victim = hd_path_join(dir, "victim.txt");
	char *fifo = hd_path_join(dir, ".x.pdf.FIFO00");
	char *link = hd_path_join(dir, ".x.pdf.LINK00");
	char *sub = hd_path_join(dir, ".x.pdf.DIR000");
	char long_name[251], stale_long[260];
	char *long_path;
	const char *const left[] = {
		"x.pdf", ".x.pdf.L1ve00", "victim.txt", ".x.pdf.FIFO00", ".x.pdf.LINK00",
		".x.pdf.DIR000", ".x.pdf.bak", ".other.pdf.ABCDEF", ".x.pdf.ABCDE", ".x.pdf.ABCDEFG",
		".x.pdf.AB-DEF", "x.pdf.ABCDEF", ".x.pdfAABCDEF", "..x.pdf.ABCDEF", ".X.PDF.ABCDEF",
		long_name, NULL
	};
	hd_diags d = HD_DIAGS_INIT;
	int release, status;
	pid_t live, killed;
	size_t i;

	(void)state;
	/* left by dead writers: empty, complete, and one whose writer was
	 * killed while it held the lock */
	make_file(dir, ".x.pdf.Ab12Z9", "");
	make_file(dir, ".x.pdf.QWErty", "%PDF-1.4 a whole old sheet %%EOF");
	killed = lock_holder(dir, ".x.pdf.K1lled", &release);
	assert_int_equal(kill(killed, SIGKILL), 0);
	assert_int_equal(waitpid(killed, &status, 0), killed);
	close(release);
	/* a writer still at work */
	live = lock_holder(dir, ".x.pdf.L1ve00", &release);
	/* what only looks like one, or is not a regular file */
	make_file(dir, "victim.txt", "keep");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(symlink("victim.txt", link), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	make_file(dir, ".x.pdf.bak", "b");
	make_file(dir, ".other.pdf.ABCDEF", "o");
	make_file(dir, ".x.pdf.ABCDE", "5");
	make_file(dir, ".x.pdf.ABCDEFG", "7");
	make_file(dir, ".x.pdf.AB-DEF", "-");
	make_file(dir, "x.pdf.ABCDEF", "not hidden");
	make_file(dir, ".x.pdfAABCDEF", "no dot");
	make_file(dir, "..x.pdf.ABCDEF", "two dots");
	make_file(dir, ".X.PDF.ABCDEF", "other case");

	assert_int_equal(hd_write_file_atomic(path, "new", 3, &d), HD_OK);
	expect_content(path, "new", 3);
	/* the three stale files, each said in a note on its path */
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(d.count, 3);
	for (i = 0; i < d.count; i++) {
		assert_int_equal(d.items[i].severity, HD_NOTE);
		assert_non_null(strstr(d.items[i].file, "/.x.pdf."));
		assert_string_equal(d.items[i].message,
		                    "removed a temporary file left by an interrupted run");
	}
	hd_diags_free(&d);
	expect_content(victim, "keep", 4);

	/* a 250-byte name: its temporary files keep the first 200 bytes */
	memset(long_name, 'n', 250);
	long_name[250] = '\0';
	long_path = hd_path_join(dir, long_name);
	stale_long[0] = '.';
	memset(stale_long + 1, 'n', 200);
	strcpy(stale_long + 201, ".zZ0aA9");
	make_file(dir, stale_long, "");
	assert_int_equal(hd_write_file_atomic(long_path, "long", 4, &d), HD_OK);
	assert_int_equal(d.count, 1);
	hd_diags_free(&d);
	expect_entries(dir, left);

	/* once its writer is gone, the last one goes too */
	close(release);
	assert_int_equal(waitpid(live, &status, 0), live);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(hd_write_file_atomic(path, "newer", 5, &d), HD_OK);
	assert_int_equal(d.count, 1);
	hd_diags_free(&d);
	{
		const char *const gone[] = {
			"x.pdf", "victim.txt", ".x.pdf.FIFO00", ".x.pdf.LINK00", ".x.pdf.DIR000",
			".x.pdf.bak", ".other.pdf.ABCDEF", ".x.pdf.ABCDE", ".x.pdf.ABCDEFG",
			".x.pdf.AB-DEF", "x.pdf.ABCDEF", ".x.pdfAABCDEF", "..x.pdf.ABCDEF",
			".X.PDF.ABCDEF", long_name, NULL
		};
		expect_entries(dir, gone);
	}

	assert_int_equal(unlink(link), 0);
	assert_int_equal(rmdir(sub), 0);
	free(path);
	free(victim);
	free(fifo);
	free(link);
	free(sub);
	free(long_path);
	remove_dir(dir);
}

/* Writers of the same name at the same time, in separate processes, each
 * cleaning up before it writes: none removes another's live temporary file,
 * every write succeeds, and nothing is left but the file. On the portable
 * path (no O_TMPFILE) a clean-up may take a file in the instant between its
 * creation and its lock: its writer then makes another, and the note about
 * it is the only trace. */
static void test_concurrent_writers(void **state)
{
	char *dir = make_dir();
	char *path = hd_path_join(dir, "same.pdf");
	const char *const only[] = { "same.pdf", NULL };
	pid_t pids[4];
	int i, status;

	(void)state;
	fflush(NULL);
	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			int k;
			for (k = 0; k < 200; k++) {
				hd_diags d = HD_DIAGS_INIT;
				int r = hd_write_file_atomic(path, "%PDF-", 5, &d);
				if (r != HD_OK || d.nerrors != 0 || (!HD_NO_TMPFILE && d.count != 0))
					_exit(1);
				hd_diags_free(&d);
			}
			_exit(0);
		}
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	expect_entries(dir, only);
	free(path);
	remove_dir(dir);
}

static void test_write_bad_arguments(void **state)
{
	hd_diags d = HD_DIAGS_INIT;

	(void)state;
	assert_int_equal(hd_write_file_atomic(NULL, "x", 1, &d), HD_EINVAL);
	assert_int_equal(hd_write_file_atomic("", "x", 1, &d), HD_EINVAL);
	assert_int_equal(hd_write_file_atomic(HD_TEST_TMP "/never", NULL, 1, &d), HD_EINVAL);
	assert_int_equal(d.count, 0);
	assert_int_equal(access(HD_TEST_TMP "/never", F_OK), -1);
}

/* ----- safe file names ------------------------------------------------------- */

/* Asserts the safe name of name with ext ".pdf" is want. */
static void expect_name(const char *name, const char *want)
{
	char out[HD_SAFE_NAME_MAX + HD_SAFE_EXT_MAX + 1];

	assert_int_equal(hd_safe_file_name(out, sizeof(out), name, ".pdf"), HD_OK);
	assert_string_equal(out, want);
}

/* Asserts every promise of hd_safe_file_name about out, made with ext. */
static void check_invariants(const char *out, const char *ext)
{
	size_t len = strlen(out), ext_len = strlen(ext), i;
	const char *part_end = out + len - ext_len;

	assert_true(len > ext_len);
	assert_true(len - ext_len <= HD_SAFE_NAME_MAX);
	assert_string_equal(part_end, ext);
	assert_int_equal(hd_utf8_check(out, len), len);
	assert_true(out[0] != '.' && out[0] != '-');
	/* only a Windows device name gets a '_' at the end: "CON_" */
	assert_true(part_end[-1] != '-');
	if (part_end[-1] == '_')
		assert_true(part_end - out == 4 || part_end - out == 5);
	assert_true(strcmp(out, ".") != 0 && strcmp(out, "..") != 0);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];
		assert_true(c >= 0x20 && c != 0x7F);
		assert_true(c != '/' && c != '\\');
	}
	for (i = 0; i + 1 < len; i++) {
		int a = out[i] == '-' || out[i] == '_', b = out[i + 1] == '-' || out[i + 1] == '_';
		assert_false(a && b);
	}
}

/* The same cases written as a batch writes a file it expects to be new
 * (HD_WRITE_NEW: linked without a look first): a file, a link, a FIFO, a
 * device already there are met exactly as without it. */
#define AS_NEW(t) \
	static void t##_new(void **state) \
	{ \
		write_flags = HD_WRITE_NEW | HD_WRITE_NO_STALE_SCAN; \
		t(state); \
		write_flags = 0; \
	}
AS_NEW(test_write_and_replace)
AS_NEW(test_permissions)
AS_NEW(test_large_and_long_names)
AS_NEW(test_relative_path)
AS_NEW(test_failures_leave_nothing)
AS_NEW(test_refuses_special_files)
AS_NEW(test_concurrent_writers)

static void test_safe_name_examples(void **state)
{
	(void)state;
	expect_name("Zoë Łukasiewicz", "Zoë-Łukasiewicz.pdf");
	expect_name("../../etc/passwd", "etcpasswd.pdf");
	expect_name("/etc/passwd", "etcpasswd.pdf");
	expect_name("a/b\\c", "abc.pdf");
	expect_name("..", "client.pdf");
	expect_name(".", "client.pdf");
	expect_name("...", "client.pdf");
	expect_name("", "client.pdf");
	expect_name(NULL, "client.pdf");
	expect_name("   ", "client.pdf");
	expect_name("- _ -", "client.pdf");
	expect_name(".hidden", "hidden.pdf");
	expect_name("-rf", "rf.pdf");
	expect_name("  Anna   Maria  ", "Anna-Maria.pdf");
	expect_name("Anna\tMaria\r\n", "Anna-Maria.pdf");
	expect_name("A\x01" "B\x1f\x7f" "C\x1b[31m", "ABC31m.pdf");
	expect_name("Mary-Jane O'Brien", "Mary-Jane-OBrien.pdf");
	expect_name("Dr. J.R.R. Tolkien", "Dr-JRR-Tolkien.pdf");
	expect_name("snake__case--name", "snake_case-name.pdf");
	expect_name("a - b", "a-b.pdf");
	expect_name("Smith, John (2)", "Smith-John-2.pdf");
	expect_name("100% *real* <name>?|:\"", "100-real-name.pdf");
	expect_name("report.pdf", "reportpdf.pdf");
}

static void test_safe_name_windows_devices(void **state)
{
	(void)state;
	expect_name("CON", "CON_.pdf");
	expect_name("con", "con_.pdf");
	expect_name("Nul", "Nul_.pdf");
	expect_name("aux", "aux_.pdf");
	expect_name("PRN", "PRN_.pdf");
	expect_name("COM1", "COM1_.pdf");
	expect_name("lpt9", "lpt9_.pdf");
	expect_name("C.O.N", "CON_.pdf");
	expect_name("COM10", "COM10.pdf");
	expect_name("CONSTANCE", "CONSTANCE.pdf");
	expect_name("Con Air", "Con-Air.pdf");
}

static void test_safe_name_unicode(void **state)
{
	(void)state;
	expect_name("山田 太郎", "山田-太郎.pdf");
	expect_name("محمد علي", "محمد-علي.pdf");
	expect_name("Σωκράτης Παπαδόπουλος", "Σωκράτης-Παπαδόπουλος.pdf");
	expect_name("देवनागरी", "देवनागरी.pdf"); /* vowel signs are combining marks */
	expect_name("Zoe\xCC\x88", "Zoe\xCC\x88.pdf");      /* decomposed ë */
	expect_name("Ｆｕｌｌ１２", "Ｆｕｌｌ１２.pdf");      /* fullwidth letters and digits */
	/* spaces and dashes of every kind separate */
	expect_name("Anna\xC2\xA0Maria", "Anna-Maria.pdf");        /* no-break space */
	expect_name("Anna\xE3\x80\x80Maria", "Anna-Maria.pdf");    /* ideographic space */
	expect_name("Jean\xE2\x80\x90Paul", "Jean-Paul.pdf");      /* U+2010 hyphen */
	expect_name("Anna \xE2\x80\x94 Maria", "Anna-Maria.pdf");  /* em dash */
	/* look-alike slashes and invisible or reordering characters go */
	expect_name("a\xEF\xBC\x8F" "b", "ab.pdf");           /* fullwidth solidus */
	expect_name("a\xE2\x88\x95" "b", "ab.pdf");           /* division slash */
	expect_name("a\xE2\x81\x84" "b", "ab.pdf");           /* fraction slash */
	expect_name("a\xEF\xBC\xBC" "b", "ab.pdf");           /* fullwidth reverse solidus */
	expect_name("abc\xE2\x80\xAE" "fdp.exe", "abcfdpexe.pdf"); /* right-to-left override */
	expect_name("An\xE2\x80\x8Bna", "Anna.pdf");          /* zero-width space */
	expect_name("\xEF\xBB\xBF" "Anna", "Anna.pdf");       /* byte order mark */
	expect_name("Anna \xF0\x9F\x98\x80", "Anna.pdf");     /* emoji */
	expect_name("\xEE\x80\x80" "x", "x.pdf");             /* private use */
	expect_name("\xC2\x85" "x\xC2\x9B", "x.pdf");         /* C1 controls */
	expect_name("a\xC2\xB7" "b\xC3\x97" "c", "abc.pdf");  /* middle dot, times */
	/* bytes that are not UTF-8 are dropped */
	expect_name("Ana\xC3(lia", "Analia.pdf");
	expect_name("\xFF\xFE" "x", "x.pdf");
	expect_name("a\xC0\xAF" "b", "ab.pdf");               /* overlong '/' */
	expect_name("a\xED\xA0\x80" "b", "ab.pdf");           /* surrogate */
	expect_name("\xE5\xB1\xB1\xE7", "山.pdf");            /* cut in the middle */
	expect_name("\xC0\xAE\xC0\xAE", "client.pdf");        /* overlong ".." */
}

static void test_safe_name_length(void **state)
{
	char name[512], want[256], out[HD_SAFE_NAME_MAX + HD_SAFE_EXT_MAX + 1];
	size_t i;

	(void)state;
	/* 300 ASCII bytes: the first 80 */
	memset(name, 'a', 300);
	name[300] = '\0';
	memset(want, 'a', 80);
	strcpy(want + 80, ".pdf");
	expect_name(name, want);

	/* 2-byte letters: cut at 80 bytes, on a boundary; with one ASCII letter
	 * first, 79 bytes (the next letter would not fit whole) */
	name[0] = '\0';
	for (i = 0; i < 100; i++)
		strcat(name, "é");
	want[0] = '\0';
	for (i = 0; i < 40; i++)
		strcat(want, "é");
	strcat(want, ".pdf");
	expect_name(name, want);
	memmove(name + 1, name, strlen(name) + 1);
	name[0] = 'a';
	strcpy(want, "a");
	for (i = 0; i < 39; i++)
		strcat(want, "é");
	strcat(want, ".pdf");
	expect_name(name, want);

	/* 3-byte letters: 26 fit in 80 bytes */
	name[0] = '\0';
	for (i = 0; i < 30; i++)
		strcat(name, "山");
	want[0] = '\0';
	for (i = 0; i < 26; i++)
		strcat(want, "山");
	strcat(want, ".pdf");
	expect_name(name, want);

	/* the cut never leaves a separator at the end */
	memset(name, 'b', 79);
	strcpy(name + 79, " c");
	memset(want, 'b', 79);
	strcpy(want + 79, ".pdf");
	expect_name(name, want);

	/* a 300-byte name of nothing useful */
	memset(name, '/', 300);
	name[300] = '\0';
	expect_name(name, "client.pdf");

	/* the buffer: exactly big enough, one byte short, tiny */
	assert_int_equal(hd_safe_file_name(out, 9, "Anna", ".pdf"), HD_OK);
	assert_string_equal(out, "Anna.pdf");
	assert_int_equal(hd_safe_file_name(out, 8, "Anna", ".pdf"), HD_EINVAL);
	assert_string_equal(out, "");
	assert_int_equal(hd_safe_file_name(out, 1, "Anna", NULL), HD_EINVAL);
	assert_string_equal(out, "");
	assert_int_equal(hd_safe_file_name(out, 0, "Anna", NULL), HD_EINVAL);
	assert_int_equal(hd_safe_file_name(NULL, 10, "Anna", NULL), HD_EINVAL);
}

static void test_safe_name_ext(void **state)
{
	char out[128];

	(void)state;
	assert_int_equal(hd_safe_file_name(out, sizeof(out), "Anna", NULL), HD_OK);
	assert_string_equal(out, "Anna");
	assert_int_equal(hd_safe_file_name(out, sizeof(out), "Anna", ""), HD_OK);
	assert_string_equal(out, "Anna");
	assert_int_equal(hd_safe_file_name(out, sizeof(out), "Anna", ".tar.gz"), HD_OK);
	assert_string_equal(out, "Anna.tar.gz");
	assert_int_equal(hd_safe_file_name(out, sizeof(out), "Anna", "/../x"), HD_EINVAL);
	assert_string_equal(out, "");
	assert_int_equal(hd_safe_file_name(out, sizeof(out), "Anna", ".p\\df"), HD_EINVAL);
	assert_int_equal(hd_safe_file_name(out, sizeof(out), "Anna", ".pdf\n"), HD_EINVAL);
	assert_int_equal(hd_safe_file_name(out, sizeof(out), "Anna", ".abcdefghijklmnopq"),
	                 HD_EINVAL);
}

/* Asserts hd_output_path(dir, stem, ".pdf") is want. */
static void expect_output_path(const char *dir, const char *stem, const char *want)
{
	char *got = (char *)"untouched";

	assert_int_equal(hd_output_path(&got, dir, stem, ".pdf"), HD_OK);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* The one rule for default output names: the safe name of the stem, in dir.
 * Session files named like devices, with control characters, hidden or with
 * path tricks all give an ordinary, visible file inside dir. */
static void test_output_path(void **state)
{
	char *got = (char *)"untouched";

	(void)state;
	expect_output_path("out", "zoe", "out/zoe.pdf");
	expect_output_path("out/", "zoe", "out/zoe.pdf");
	expect_output_path("a/b", "zoe", "a/b/zoe.pdf");
	expect_output_path("/", "zoe", "/zoe.pdf");
	expect_output_path(NULL, "zoe", "zoe.pdf");
	expect_output_path("", "zoe", "zoe.pdf");
	expect_output_path("out", "CON", "out/CON_.pdf");
	expect_output_path("out", "lpt1", "out/lpt1_.pdf");
	expect_output_path("out", "line\nbreak", "out/line-break.pdf");
	expect_output_path("out", "\x1b[31mred", "out/31mred.pdf");
	expect_output_path("out", ".xml", "out/xml.pdf");
	expect_output_path("out", ".hidden", "out/hidden.pdf");
	expect_output_path("out", "", "out/client.pdf");
	expect_output_path("out", NULL, "out/client.pdf");
	expect_output_path("out", "../../etc/passwd", "out/etcpasswd.pdf");
	expect_output_path("out", "Zoë Łukasiewicz", "out/Zoë-Łukasiewicz.pdf");
	expect_output_path("out", "Same", "out/Same.pdf"); /* case is kept; */
	expect_output_path("out", "same", "out/same.pdf"); /* callers compare */

	/* failures: *out is NULL */
	assert_int_equal(hd_output_path(&got, "out", "zoe", "/../x"), HD_EINVAL);
	assert_null(got);
	got = (char *)"untouched";
	assert_int_equal(hd_output_path(&got, "out", "zoe", ".p\ndf"), HD_EINVAL);
	assert_null(got);
	assert_int_equal(hd_output_path(NULL, "out", "zoe", ".pdf"), HD_EINVAL);
}

static void test_safe_name_random(void **state)
{
	/* Random names built from the dangerous pieces and random bytes; every
	 * result keeps every promise. Deterministic (fixed seed). */
	static const char *const pieces[] = {
		"/", "\\", ".", "..", " ", "-", "_", "\t", "\n", "\x01", "\x7f", "a", "Z", "9",
		"é", "Ł", "山", "\xE2\x80\xAE", "\xC2\xA0", "\xF0\x9F\x98\x80", "\xC0\xAF",
		"\xED\xA0\x80", "CON", "\xE2\x80\x8B", "\xCC\x88", "\xEF\xBC\x8F"
	};
	char name[400], out[HD_SAFE_NAME_MAX + HD_SAFE_EXT_MAX + 1];
	uint32_t seed = 2024;
	int iter;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		size_t len = 0, target;
		seed = seed * 1664525u + 1013904223u;
		target = (seed >> 8) % 320;
		while (len < target) {
			seed = seed * 1664525u + 1013904223u;
			if ((seed >> 28) < 3) {
				char c = (char)(seed >> 12);
				name[len++] = c ? c : 'x';
			} else {
				const char *p = pieces[(seed >> 8) % HD_ARRAY_LEN(pieces)];
				size_t n = strlen(p);
				if (len + n >= sizeof(name))
					break;
				memcpy(name + len, p, n);
				len += n;
			}
		}
		name[len] = '\0';
		assert_int_equal(hd_safe_file_name(out, sizeof(out), name, ".pdf"), HD_OK);
		check_invariants(out, ".pdf");
		assert_int_equal(hd_safe_file_name(out, sizeof(out), name, NULL), HD_OK);
		check_invariants(out, "");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_and_replace),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_large_and_long_names),
		cmocka_unit_test(test_relative_path),
		cmocka_unit_test(test_failures_leave_nothing),
		cmocka_unit_test(test_stdout),
		cmocka_unit_test(test_refuses_special_files),
		cmocka_unit_test(test_dev_stdout),
		cmocka_unit_test(test_stale_temporary_files),
		cmocka_unit_test(test_concurrent_writers),
		cmocka_unit_test(test_write_bad_arguments),
		cmocka_unit_test(test_write_and_replace_new),
		cmocka_unit_test(test_permissions_new),
		cmocka_unit_test(test_large_and_long_names_new),
		cmocka_unit_test(test_relative_path_new),
		cmocka_unit_test(test_failures_leave_nothing_new),
		cmocka_unit_test(test_refuses_special_files_new),
		cmocka_unit_test(test_concurrent_writers_new),
		cmocka_unit_test(test_safe_name_examples),
		cmocka_unit_test(test_safe_name_windows_devices),
		cmocka_unit_test(test_safe_name_unicode),
		cmocka_unit_test(test_safe_name_length),
		cmocka_unit_test(test_safe_name_ext),
		cmocka_unit_test(test_safe_name_random),
		cmocka_unit_test(test_output_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
