/*
 * secret: a password read from a file only its owner can read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "handout.h"
#include "util.h"

#define SECRET_MAX 4096

int hd_read_secret(char **out, const char *path, hd_diags *d)
{
	struct stat st;
	char *buf = NULL;
	ssize_t n;
	size_t got = 0, end;
	int fd, r = HD_EINPUT;

	if (!out)
		return HD_EINVAL;
	*out = NULL;
	if (!path || !*path)
		return HD_EINVAL;
	/* O_NOFOLLOW: a link may point anywhere; O_NONBLOCK: a FIFO must not hang us */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		hd_diag_add(d, HD_ERROR, path, 0, 0,
		            errno == ELOOP ? "give the file itself, not a symbolic link to it"
		                           : "check the file name; the file must exist and be yours",
		            "cannot read the password file: %s",
		            errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return errno == ELOOP ? HD_EINPUT : HD_EIO;
	}
	if (fstat(fd, &st)) {
		hd_diag_add(d, HD_ERROR, path, 0, 0, NULL, "cannot read the password file: %s",
		            strerror(errno));
		r = HD_EIO;
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		hd_diag_add(d, HD_ERROR, path, 0, 0, "give a regular file holding the password",
		            "the password file is not a regular file");
		goto cleanup;
	}
	if (st.st_uid != geteuid()) {
		hd_diag_add(d, HD_ERROR, path, 0, 0,
		            "keep the password in a file of your own, readable only by you (chmod 600)",
		            "the password file belongs to another user");
		goto cleanup;
	}
	if (st.st_mode & 077) {
		hd_diag_add(d, HD_ERROR, path, 0, 0,
		            "make it readable by you alone: chmod 600 FILE (and choose a new password if "
		            "others may have read it)",
		            "the password file can be read by others (mode %04o)",
		            (unsigned)(st.st_mode & 07777));
		goto cleanup;
	}
	buf = malloc(SECRET_MAX + 1);
	if (!buf) {
		r = HD_ENOMEM;
		goto cleanup;
	}
	while ((n = read(fd, buf + got, SECRET_MAX + 1 - got)) > 0 && got < SECRET_MAX + 1)
		got += (size_t)n;
	if (n < 0) {
		hd_diag_add(d, HD_ERROR, path, 0, 0, NULL, "cannot read the password file: %s",
		            strerror(errno));
		r = HD_EIO;
		goto cleanup;
	}
	if (got > SECRET_MAX) {
		hd_diag_add(d, HD_ERROR, path, 0, 0, "put only the password in the file, on its first line",
		            "the password file is larger than 4 KB");
		goto cleanup;
	}
	for (end = 0; end < got && buf[end] != '\n' && buf[end] != '\r'; end++)
		;
	buf[end] = '\0';
	if (!end || memchr(buf, '\0', end)) {
		hd_diag_add(d, HD_ERROR, path, 0, 0, "write the password on the file's first line",
		            end ? "the password holds a NUL byte" : "the password file's first line is empty");
		goto cleanup;
	}
	explicit_bzero(buf + end, got - end);
	*out = buf;
	buf = NULL;
	r = HD_OK;
cleanup:
	if (buf) {
		explicit_bzero(buf, SECRET_MAX + 1);
		free(buf);
	}
	close(fd);
	return r;
}

void hd_secret_free(char *secret)
{
	if (!secret)
		return;
	explicit_bzero(secret, strlen(secret));
	free(secret);
}
