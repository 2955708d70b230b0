/*
 * deliver: writing finished files so that a crash, a full disk or a killed
 * process never leaves half a PDF where a whole one is expected, and naming
 * files after clients without letting a name escape the output folder.
 */
#define _GNU_SOURCE /* mkostemp */

#include "deliver.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* Build with -DHD_NO_TMPFILE=1 to take the portable path that file systems
 * without O_TMPFILE take (see create_locked_temp), so tests can run it. */
#ifndef HD_NO_TMPFILE
#define HD_NO_TMPFILE 0
#endif

/* The temporary name holds at most this many bytes of the final name, so that
 * ".<name>.XXXXXX" stays under NAME_MAX (255) for any valid name. */
#define HD_TMP_NAME_KEEP 200u
/* The random part mkostemp puts in place of "XXXXXX", in bytes. */
#define HD_TMP_RANDOM 6u
/* How many fresh temporary files a write makes before it gives up, when each
 * is taken by another writer's clean-up before it could lock it (below). */
#define HD_TMP_TRIES 16

/* ----- atomic write -------------------------------------------------------- */

/* Writes all len bytes to fd, retrying after EINTR and partial writes.
 * Returns 0, or the errno value of the failure. */
static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		/* Linux writes at most about 2 GiB per call; ask for less. */
		size_t chunk = len > (1u << 30) ? (1u << 30) : len;
		ssize_t n = write(fd, p, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return EIO; /* no progress and no error: do not spin */
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Returns the process's umask without changing it where Linux lets us read it
 * (/proc/self/status, since 4.7). Elsewhere umask() can only be read by
 * setting it: it is set to 077 for that instant, so a file another thread
 * creates meanwhile is too private rather than too public. */
static mode_t current_umask(void)
{
	char line[128];
	unsigned mask;
	mode_t m;
	FILE *f = fopen("/proc/self/status", "re");

	if (f) {
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "Umask: %o", &mask) == 1) {
				fclose(f);
				return (mode_t)(mask & 0777u);
			}
		}
		fclose(f);
	}
	m = umask(077);
	umask(m);
	return m;
}

/* What to suggest for a system error while writing. Returns a static string. */
static const char *write_hint(int err)
{
	switch (err) {
	case ENOENT: return "check that the output folder exists, or create it first";
	case ENOTDIR: return "a part of the output path is a file, not a folder; check the path";
	case EACCES:
	case EPERM: return "check the folder's permissions, or choose another folder";
	case EROFS: return "the disk is read-only: choose another folder";
	case ENOSPC:
	case EDQUOT: return "free some disk space and try again";
	case EISDIR: return "give the name of a file, not of a folder";
	case ENAMETOOLONG: return "use a shorter file name";
	case EFBIG: return "the file is larger than this process may write: raise the limit (ulimit -f)";
	}
	return "check the output path and the disk";
}

/* Why what lstat found at an output path must not be replaced, or NULL for a
 * regular file (which may be). Sets *hint to what to do. Returns a static
 * string. */
static const char *not_replaceable(mode_t mode, const char **hint)
{
	*hint = "give the path of a regular file, or - for standard output";
	if (S_ISREG(mode))
		return NULL;
	if (S_ISDIR(mode)) {
		*hint = "give the name of a file, not of a folder";
		return "is a folder, not a file";
	}
	if (S_ISLNK(mode)) {
		/* Following it would let a link planted in a batch's output
		 * folder send a client's sheet anywhere the link points. */
		*hint = "give the real path of the file: links in an output folder are not followed";
		return "is a symbolic link; not replaced";
	}
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "is a device, not a regular file; not replaced";
	if (S_ISFIFO(mode))
		return "is a named pipe (FIFO), not a regular file; not replaced";
	if (S_ISSOCK(mode))
		return "is a socket, not a regular file; not replaced";
	return "is not a regular file; not replaced";
}

/* ----- temporary files left by killed writers ------------------------------
 * A writer holds flock(LOCK_EX) on its temporary file from before the file
 * has its name until after the rename, so the kernel releases the lock
 * exactly when the writer finishes or dies. A temporary file nobody holds a
 * lock on was therefore left by a dead writer (kill -9, a crash, power loss);
 * the next writer of the same name removes it. */

/* Returns nonzero when entry is exactly the name of a temporary file made for
 * a file whose name, cut to HD_TMP_NAME_KEEP bytes, is name[0..keep):
 * "." name "." and HD_TMP_RANDOM ASCII letters or digits (what mkostemp
 * writes). Nothing else in a folder is ever taken for one. */
static int is_temp_name(const char *entry, const char *name, size_t keep)
{
	size_t i;

	if (strlen(entry) != 1 + keep + 1 + HD_TMP_RANDOM || entry[0] != '.' ||
	    memcmp(entry + 1, name, keep) != 0 || entry[1 + keep] != '.')
		return 0;
	for (i = 2 + keep; entry[i]; i++) {
		char c = entry[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

/* Removes from folder dir the temporary files of dead writers of name[0..keep)
 * (see above): regular files only, and only when their lock can be taken at
 * once. A file a live writer holds, or that cannot be opened or locked, is
 * left. Each removal is added to diags as a note on prefix + the entry's
 * name (prefix: path up to and including its last '/', prefix_len bytes).
 * Never fails: when the folder cannot be read the write itself will say why. */
/* 1 when entry is a temporary file of hd_write_file_atomic for some file
 * whose name ends in one of exts (NULL-terminated): "." stem ext "." and
 * HD_TMP_RANDOM letters or digits. */
static int is_temp_of_kind(const char *entry, const char *const *exts)
{
	size_t n = strlen(entry), i, k;

	if (n < 2 + 1 + HD_TMP_RANDOM || entry[0] != '.' || entry[n - HD_TMP_RANDOM - 1] != '.')
		return 0;
	for (i = n - HD_TMP_RANDOM; i < n; i++) {
		char c = entry[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return 0;
	}
	for (k = 0; exts[k]; k++) {
		size_t m = strlen(exts[k]);
		if (n - HD_TMP_RANDOM - 1 > m + 1 &&
		    !memcmp(entry + n - HD_TMP_RANDOM - 1 - m, exts[k], m))
			return 1;
	}
	return 0;
}

static void remove_stale_temps(const char *dir, const char *prefix, size_t prefix_len,
                               const char *name, size_t keep, hd_diags *diags);

void hd_remove_stale_temps(const char *dir, const char *const *exts, hd_diags *diags)
{
	char prefix[4096];
	size_t n = strlen(dir);
	snprintf(prefix, sizeof(prefix), "%s%s", dir, n && dir[n - 1] == '/' ? "" : "/");
	remove_stale_temps(dir, prefix, strlen(prefix), (const char *)exts, (size_t)-1, diags);
}

/* name and keep: the one file whose temporaries are looked for; keep
 * (size_t)-1: name is a NULL-terminated list of extensions instead
 * (hd_remove_stale_temps). */
static void remove_stale_temps(const char *dir, const char *prefix, size_t prefix_len,
                               const char *name, size_t keep, hd_diags *diags)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat before, held, now;
	char where[sizeof(((hd_diag *)0)->file)];
	int fd, dead;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (keep == (size_t)-1 ? !is_temp_of_kind(e->d_name, (const char *const *)(const void *)name)
		                       : !is_temp_name(e->d_name, name, keep))
			continue;
		/* Look before opening: opening a device can have side effects. */
		if (fstatat(dirfd(d), e->d_name, &before, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(before.st_mode))
			continue;
		/* O_NONBLOCK: should it have become a FIFO meanwhile, opening must
		 * not wait for a writer; the check of what was opened refuses it. */
		fd = openat(dirfd(d), e->d_name,
		            O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			continue;
		dead = fstat(fd, &held) == 0 && held.st_dev == before.st_dev &&
		       held.st_ino == before.st_ino && flock(fd, LOCK_EX | LOCK_NB) == 0;
		/* Unlink the name only while it still names the file we locked: the
		 * writer may have renamed it into place just before dying. */
		if (dead && fstatat(dirfd(d), e->d_name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
		    now.st_dev == held.st_dev && now.st_ino == held.st_ino &&
		    unlinkat(dirfd(d), e->d_name, 0) == 0) {
			snprintf(where, sizeof(where), "%.*s%s",
			         (int)(prefix_len < sizeof(where) ? prefix_len : sizeof(where)), prefix,
			         e->d_name);
			hd_diag_add(diags, HD_NOTE, where, 0, 0, NULL,
			            "removed a temporary file left by an interrupted run");
		}
		close(fd); /* releases the lock, after the unlink */
	}
	closedir(d);
}

#if defined(O_TMPFILE) && !HD_NO_TMPFILE
/* Fills the HD_TMP_RANDOM bytes at x with random ASCII letters and digits, as
 * mkostemp does. Returns 0, or -1 when the kernel gives no random bytes. */
static int random_name(char *x)
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[HD_TMP_RANDOM];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	for (i = 0; i < sizeof(r); i++)
		x[i] = chars[r[i] % (sizeof(chars) - 1)];
	return 0;
}

/* create_locked_temp where the file system has O_TMPFILE: the file is locked
 * before it has a name, so a clean-up can never see it unlocked while we
 * live. linkat through /proc is how an unprivileged process names it.
 * Returns the descriptor, or -1 when this way is not available here. */
static int locked_tmpfile(char *tmp, char *x, const char *dir)
{
	char proc[32];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600), tries;

	if (fd < 0)
		return -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		for (tries = 0; tries < HD_TMP_TRIES && random_name(x) == 0; tries++) {
			if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0)
				return fd;
			if (errno != EEXIST)
				break;
		}
	}
	close(fd);
	return -1;
}
#endif

/* What is at path (lstat: a link is seen as a link). Only a regular file, or
 * nothing, may be replaced. Returns 1 when nothing is there; 0 for a regular
 * file, whose permissions go to *mode (a replaced file keeps them: these
 * sheets are health information, and a file someone made private stays
 * private); -1 for anything else, reported in d; -2 when path cannot be
 * looked at (ENOTDIR, EACCES, ELOOP...: what a write would get), in *err. */
static int look_at(const char *path, mode_t *mode, int *err, hd_diags *d)
{
	const char *why, *hint;
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 1;
		*err = errno;
		return -2;
	}
	why = not_replaceable(st.st_mode, &hint);
	if (why) {
		hd_error_at(d, path, 0, 0, hint, "%s", why);
		return -1;
	}
	*mode = st.st_mode & 07777;
	return 0;
}

#if defined(O_TMPFILE) && !HD_NO_TMPFILE
/* A new file, when nothing is at path: written as an unnamed file in dir
 * (O_TMPFILE, mode as a new file gets it) and linked at path whole, so no
 * temporary name is ever seen and a crash leaves nothing behind. Five
 * system calls, where a replacement takes a dozen: a batch writes thousands
 * of new files. Returns 1 when the file is at path; 0 when this way is not
 * open (no O_TMPFILE on this file system, no /proc, or something appeared
 * at path meanwhile: the caller then takes the way of replacing); -1 with
 * *err set when writing failed (nothing is left behind). */
static int write_new(const char *path, const char *dir, const void *data, size_t len,
                     mode_t mode, unsigned flags, int *err)
{
	char proc[32];
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);

	if (fd < 0)
		return 0;
	*err = write_all(fd, data, len);
	if (!*err && !(flags & HD_WRITE_NO_FSYNC) && fsync(fd) != 0)
		*err = errno;
	if (*err) {
		close(fd);
		return -1;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	/* linkat never replaces: if something appeared at path since the
	 * lstat, EEXIST, and the caller looks at it again */
	if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) != 0) {
		close(fd);
		return 0;
	}
	if (close(fd) != 0)
		*err = errno;
	return 1;
}
#endif

/* Creates the temporary file tmp in folder dir, replacing the last
 * HD_TMP_RANDOM bytes of tmp (which must be 'X's) with random letters and
 * digits, and returns a read-write descriptor that holds flock(LOCK_EX) on it.
 * Returns -1 with errno set on failure (nothing is left behind then). */
static int create_locked_temp(char *tmp, const char *dir)
{
	char *x = tmp + strlen(tmp) - HD_TMP_RANDOM;
	struct stat st;
	int fd, tries;

#if defined(O_TMPFILE) && !HD_NO_TMPFILE
	fd = locked_tmpfile(tmp, x, dir);
	if (fd >= 0)
		return fd;
	/* Not on this file system (EOPNOTSUPP, EISDIR), or no /proc: the
	 * portable way below. */
#else
	(void)dir;
#endif
	for (tries = 0; tries < HD_TMP_TRIES; tries++) {
		memset(x, 'X', HD_TMP_RANDOM);
		fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0)
			return -1;
		/* In the instant between mkostemp and flock, another writer's
		 * clean-up may find this file unlocked and take it: it then holds
		 * the lock, or has already unlinked the file (st_nlink 0). Leave
		 * the file to it and make another; never wait. On a file system
		 * without locks flock fails otherwise: the file is written
		 * unlocked, and no clean-up can lock it either. */
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (fstat(fd, &st) == 0 && st.st_nlink > 0)
				return fd;
		} else if (errno != EWOULDBLOCK) {
			return fd;
		}
		close(fd);
	}
	errno = EAGAIN;
	return -1;
}

int hd_path_is_stdout(const char *path)
{
	return path && (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0 ||
	                strcmp(path, "/dev/fd/1") == 0);
}

int hd_write_file_atomic(const char *path, const void *data, size_t len, hd_diags *diags)
{
	return hd_write_file_atomic_ex(path, data, len, 0, diags);
}

int hd_write_file_atomic_ex(const char *path, const void *data, size_t len, unsigned flags,
                            hd_diags *diags)
{
	const char *slash, *name;
	char *dir = NULL, *tmp = NULL;
	size_t prefix_len, keep;
	mode_t mode = 0; /* the permissions the file ends up with */
	int fd = -1, dfd = -1, created = 0, err = 0, rc = HD_OK, st_none = 0;

	if (!path || !path[0] || (!data && len))
		return HD_EINVAL;
	if (hd_path_is_stdout(path)) {
		err = write_all(STDOUT_FILENO, data, len);
		if (err) {
			hd_error_at(diags, NULL, 0, 0, write_hint(err),
			            "cannot write to standard output: %s", strerror(err));
			rc = HD_EIO;
		}
		goto cleanup;
	}

	slash = strrchr(path, '/');
	name = slash ? slash + 1 : path;
	prefix_len = slash ? (size_t)(slash - path) + 1 : 0;
	/* The folder: cleaned of dead writers' files, where the temporary file
	 * is made, fsync'ed after the rename. "/" for "/x", "." for "x". */
	if (!slash)
		dir = strdup(".");
	else
		dir = strndup(path, slash == path ? 1 : prefix_len - 1);
	if (!dir) {
		err = ENOMEM;
		goto cleanup;
	}
#if defined(O_TMPFILE) && !HD_NO_TMPFILE
	if ((flags & HD_WRITE_NEW) && (flags & HD_WRITE_NO_STALE_SCAN) && name[0]) {
		/* linkat never replaces and never follows a link at path: when
		 * anything is there it fails, and the look below decides */
		int made = write_new(path, dir, data, len, 0666, flags, &err);
		if (made < 0)
			goto cleanup;
		if (made > 0)
			goto linked;
	}
#endif

	/* Between this look and the rename something else may appear at path;
	 * rename never follows a link at its destination and never replaces a
	 * folder with a file, so the race can at worst replace that thing, never
	 * write through it. */
	st_none = look_at(path, &mode, &err, diags);
	if (st_none < 0) {
		rc = st_none == -1 ? HD_EIO : HD_OK;
		goto cleanup;
	}
	if (!name[0]) {
		err = EISDIR; /* "out/" names a folder */
		goto cleanup;
	}
	keep = strlen(name) < HD_TMP_NAME_KEEP ? strlen(name) : HD_TMP_NAME_KEEP;
	tmp = malloc(prefix_len + 1 + keep + sizeof(".XXXXXX"));
	if (!tmp) {
		err = ENOMEM;
		goto cleanup;
	}
	/* "<dir>/.<name>.XXXXXX": same folder (rename is atomic only within one
	 * file system), hidden, and recognisably ours if a crash leaves it. */
	memcpy(tmp, path, prefix_len);
	tmp[prefix_len] = '.';
	memcpy(tmp + prefix_len + 1, name, keep);
	memcpy(tmp + prefix_len + 1 + keep, ".XXXXXX", sizeof(".XXXXXX"));
	/* Clean up after dead writers of this name first: never our own file. */
	if (!(flags & HD_WRITE_NO_STALE_SCAN))
		remove_stale_temps(dir, path, prefix_len, name, keep, diags);

#if defined(O_TMPFILE) && !HD_NO_TMPFILE
	if (st_none) {
		int made = write_new(path, dir, data, len, 0666, flags, &err);
		if (made < 0)
			goto cleanup;
		if (made > 0)
			goto linked;
		/* something is at path now: replace it, if it may be replaced */
		st_none = look_at(path, &mode, &err, diags);
		if (st_none < 0) {
			rc = st_none == -1 ? HD_EIO : HD_OK;
			goto cleanup;
		}
	}
#endif
	/* A new file: the usual rule, so umask 077 makes it private (the kernel
	 * applies it to an unnamed file; asked for only here) */
	if (st_none)
		mode = 0666 & ~current_umask();
	fd = create_locked_temp(tmp, dir);
	if (fd < 0) {
		err = errno;
		goto cleanup;
	}
	created = 1;
	err = write_all(fd, data, len);
	if (err)
		goto cleanup;
	/* The temporary file is made 0600; give it the mode chosen above. */
	if (fchmod(fd, mode) != 0 || (!(flags & HD_WRITE_NO_FSYNC) && fsync(fd) != 0)) {
		err = errno;
		goto cleanup;
	}
	/* Renamed while still open and locked: closed first, the file would
	 * look abandoned to another writer's clean-up until the rename. */
	if (rename(tmp, path) != 0) {
		err = errno;
		goto cleanup;
	}
	created = 0;
	/* close can report a delayed write error (NFS), although fsync should
	 * have; the file at path is complete, but this is said. */
	if (close(fd) != 0)
		err = errno;
	fd = -1;
#if defined(O_TMPFILE) && !HD_NO_TMPFILE
linked:
#endif
	/* Make the rename (or the link) itself durable. Some file systems cannot fsync a
	 * folder (EINVAL): accepted. Any other failure is reported although the
	 * file at path is already complete: it might not survive a crash. */
	if (flags & HD_WRITE_NO_FSYNC)
		goto cleanup;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0 && fsync(dfd) != 0 && errno != EINVAL && !err)
		err = errno;

cleanup:
	if (created)
		unlink(tmp); /* before the close: while locked, it is still ours */
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (err && rc == HD_OK) {
		/* The path goes in the file field: "out/x.pdf: error: cannot write: ..." */
		hd_error_at(diags, path, 0, 0, write_hint(err), "cannot write: %s", strerror(err));
		rc = err == ENOMEM ? HD_ENOMEM : HD_EIO;
	}
	free(dir);
	free(tmp);
	return rc;
}

/* ----- safe file names ----------------------------------------------------- */

enum name_class {
	NAME_DROP,  /* left out */
	NAME_KEEP,  /* a letter, digit or combining mark: copied */
	NAME_SEP,   /* '-' or '_': copied, collapsed with its neighbours */
	NAME_SPACE  /* white space or a dash: becomes '-' */
};

/* Sorted, non-overlapping ranges of code points above U+007F that are not
 * letters or digits: C1 controls, punctuation, symbols, spaces, format
 * characters (bidi overrides, zero-width), private use, noncharacters, emoji.
 * Without Unicode tables this is a deny list: unassigned code points and
 * scripts not listed are kept, which is harmless in a file name. */
static const struct cp_range {
	uint32_t lo, hi;
	enum name_class cls;
} cp_ranges[] = {
	{ 0x0080, 0x009F, NAME_DROP },  /* C1 controls */
	{ 0x00A0, 0x00A0, NAME_SPACE }, /* no-break space */
	{ 0x00A1, 0x00BF, NAME_DROP },  /* Latin-1 punctuation, symbols, soft hyphen */
	{ 0x00D7, 0x00D7, NAME_DROP },  /* multiplication sign */
	{ 0x00F7, 0x00F7, NAME_DROP },  /* division sign */
	{ 0x034F, 0x034F, NAME_DROP },  /* combining grapheme joiner */
	{ 0x037E, 0x037E, NAME_DROP },  /* Greek question mark */
	{ 0x0387, 0x0387, NAME_DROP },  /* Greek ano teleia */
	{ 0x061C, 0x061C, NAME_DROP },  /* Arabic letter mark */
	{ 0x1680, 0x1680, NAME_SPACE }, /* Ogham space */
	{ 0x180E, 0x180E, NAME_DROP },  /* Mongolian vowel separator */
	{ 0x2000, 0x200A, NAME_SPACE }, /* typographic spaces */
	{ 0x200B, 0x200F, NAME_DROP },  /* zero-width characters, LRM, RLM */
	{ 0x2010, 0x2015, NAME_SPACE }, /* hyphens and dashes */
	{ 0x2016, 0x2027, NAME_DROP },  /* punctuation */
	{ 0x2028, 0x2029, NAME_SPACE }, /* line and paragraph separators */
	{ 0x202A, 0x202E, NAME_DROP },  /* bidi embeddings and overrides */
	{ 0x202F, 0x202F, NAME_SPACE }, /* narrow no-break space */
	{ 0x2030, 0x205E, NAME_DROP },  /* punctuation, fraction slash */
	{ 0x205F, 0x205F, NAME_SPACE }, /* medium mathematical space */
	{ 0x2060, 0x206F, NAME_DROP },  /* invisible operators, bidi isolates */
	{ 0x2070, 0x2BFF, NAME_DROP },  /* super/subscripts, currency, symbols, arrows,
	                                 * math (division slash, set minus), boxes */
	{ 0x2E00, 0x2E7F, NAME_DROP },  /* supplemental punctuation */
	{ 0x2FF0, 0x2FFF, NAME_DROP },  /* ideographic description */
	{ 0x3000, 0x3000, NAME_SPACE }, /* ideographic space */
	{ 0x3001, 0x3004, NAME_DROP },  /* CJK punctuation */
	{ 0x3008, 0x3020, NAME_DROP },  /* CJK brackets and marks */
	{ 0x3030, 0x3030, NAME_DROP },
	{ 0x303D, 0x303F, NAME_DROP },
	{ 0x30FB, 0x30FB, NAME_DROP },  /* katakana middle dot */
	{ 0xE000, 0xF8FF, NAME_DROP },  /* private use */
	{ 0xFD3E, 0xFD3F, NAME_DROP },  /* ornate parentheses */
	{ 0xFDD0, 0xFDEF, NAME_DROP },  /* noncharacters */
	{ 0xFE00, 0xFE1F, NAME_DROP },  /* variation selectors, vertical forms */
	{ 0xFE30, 0xFE6F, NAME_DROP },  /* CJK compatibility and small forms */
	{ 0xFEFF, 0xFF0F, NAME_DROP },  /* BOM, fullwidth punctuation and solidus */
	{ 0xFF1A, 0xFF20, NAME_DROP },
	{ 0xFF3B, 0xFF40, NAME_DROP },  /* fullwidth reverse solidus... */
	{ 0xFF5B, 0xFF65, NAME_DROP },
	{ 0xFFE0, 0xFFFF, NAME_DROP },  /* fullwidth symbols, specials */
	{ 0x1F000, 0x1FBFF, NAME_DROP }, /* emoji, pictographs, game symbols */
	{ 0xE0000, 0xE0FFF, NAME_DROP }, /* tags, variation selectors supplement */
	{ 0xF0000, 0x10FFFF, NAME_DROP }, /* private use planes */
};

/* Classifies one valid code point for hd_safe_file_name. */
static enum name_class classify(uint32_t cp)
{
	size_t lo = 0, hi = HD_ARRAY_LEN(cp_ranges);

	if (cp < 0x80) {
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
			return NAME_KEEP;
		if (cp == '-' || cp == '_')
			return NAME_SEP;
		if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
			return NAME_SPACE; /* a tab between names still separates them */
		return NAME_DROP;      /* punctuation, '/', '\\', '.', other controls */
	}
	if ((cp & 0xFFFEu) == 0xFFFEu)
		return NAME_DROP; /* noncharacters U+xFFFE, U+xFFFF of every plane */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < cp_ranges[mid].lo)
			hi = mid;
		else if (cp > cp_ranges[mid].hi)
			lo = mid + 1;
		else
			return cp_ranges[mid].cls;
	}
	return NAME_KEEP;
}

/* Returns nonzero when s (NUL-terminated) is a name Windows reserves for a
 * device in every folder, with or without an extension: CON, PRN, AUX, NUL,
 * COM0-COM9, LPT0-LPT9, in any case. Files go to USB sticks and shares. */
static int is_windows_device(const char *s)
{
	static const char *const names[] = { "CON", "PRN", "AUX", "NUL" };
	size_t i;

	for (i = 0; i < HD_ARRAY_LEN(names); i++)
		if (strcasecmp(s, names[i]) == 0)
			return 1;
	return (strncasecmp(s, "COM", 3) == 0 || strncasecmp(s, "LPT", 3) == 0) &&
	       s[3] >= '0' && s[3] <= '9' && s[4] == '\0';
}

int hd_safe_file_name(char *out, size_t size, const char *name, const char *ext)
{
	char part[HD_SAFE_NAME_MAX + 2]; /* + '_' after a device name + NUL */
	size_t n = 0, i = 0, len, ext_len, cplen;
	char pending = 0; /* separator to write before the next kept character */
	uint32_t cp;
	int rc = HD_OK;

	if (!out || size == 0)
		return HD_EINVAL;
	out[0] = '\0';
	if (!ext)
		ext = "";
	ext_len = strlen(ext);
	if (ext_len > HD_SAFE_EXT_MAX || ext_len != strspn(ext, "abcdefghijklmnopqrstuvwxyz"
	                                                        "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                                                        "0123456789._-")) {
		rc = HD_EINVAL;
		goto cleanup;
	}
	if (!name)
		name = "";
	len = strlen(name);

	while (i < len) {
		cplen = hd_utf8_decode(name + i, len - i, &cp);
		if (cplen == 0) {
			i++; /* not UTF-8: dropped, byte by byte */
			continue;
		}
		switch (classify(cp)) {
		case NAME_KEEP:
			/* A separator is written only between kept characters, so the
			 * part never starts or ends with one; stop at the first
			 * character that would not fit whole. */
			if (n + (pending && n ? 1 : 0) + cplen > HD_SAFE_NAME_MAX) {
				i = len;
				continue;
			}
			if (pending && n)
				part[n++] = pending;
			memcpy(part + n, name + i, cplen);
			n += cplen;
			pending = 0;
			break;
		case NAME_SEP:
			if (!pending)
				pending = name[i];
			break;
		case NAME_SPACE:
			if (!pending)
				pending = '-';
			break;
		case NAME_DROP:
			break;
		}
		i += cplen;
	}
	part[n] = '\0';
	if (n == 0)
		n = (size_t)snprintf(part, sizeof(part), "client");
	else if (is_windows_device(part)) {
		part[n++] = '_';
		part[n] = '\0';
	}

	if (n + ext_len + 1 > size) {
		rc = HD_EINVAL;
		goto cleanup;
	}
	memcpy(out, part, n);
	memcpy(out + n, ext, ext_len + 1);

cleanup:
	return rc;
}

int hd_output_path(char **out, const char *dir, const char *stem, const char *ext)
{
	char name[HD_SAFE_NAME_MAX + HD_SAFE_EXT_MAX + 1];
	size_t dir_len, size;
	int rc;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	rc = hd_safe_file_name(name, sizeof(name), stem, ext);
	if (rc)
		return rc;
	if (!dir)
		dir = "";
	dir_len = strlen(dir);
	/* "out" + "zoe.pdf" -> "out/zoe.pdf"; "out/" and "/" take no second '/' */
	size = dir_len + 1 + strlen(name) + 1;
	*out = malloc(size);
	if (!*out)
		return HD_ENOMEM;
	snprintf(*out, size, "%s%s%s", dir, dir_len && dir[dir_len - 1] != '/' ? "/" : "", name);
	return HD_OK;
}
