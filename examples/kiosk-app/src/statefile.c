/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * statefile.c — the files kiosk-app writes (ratings, calibration, catalog
 * cache, PIN lockout): a private folder (0700), files 0600, and whole-file
 * replacement that a power cut cannot leave half written (temp file in the
 * same folder, fsync, rename, fsync of the folder).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core.h"

int kapp_private_dir(const char *path)
{
	if (!path || !*path)
		return -1;
	if (kapp_mkdirs(path))
		return -1;
	/* mkdir -p created the leaf with 0755 under the umask, or it existed:
	 * the leaf is ours and holds the app's records, so it is made 0700. */
	struct stat st;
	if (lstat(path, &st) || !S_ISDIR(st.st_mode))
		return -1;
	if ((st.st_mode & 07777) != 0700 && chmod(path, 0700))
		return -1;
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char copy[1024];
	snprintf(copy, sizeof copy, "%s", path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int kapp_file_commit(const char *tmp, const char *path)
{
	int fd = open(tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	int rc = fchmod(fd, 0600) || fsync(fd) ? -1 : 0;
	close(fd);
	if (rc || rename(tmp, path)) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	fsync_dir_of(path);
	return 0;
}

int kapp_file_replace(const char *path, const void *data, size_t len)
{
	char tmp[1100];
	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkostemp(tmp, O_CLOEXEC); /* 0600, a fresh name: no symlink followed */
	if (fd < 0)
		return -1;
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = errno;
			close(fd);
			unlink(tmp);
			errno = e ? e : EIO;
			return -1;
		}
		p += n;
		left -= (size_t)n;
	}
	close(fd);
	return kapp_file_commit(tmp, path); /* fsync, rename, fsync of the folder */
}

int kapp_file_append(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	struct stat st;
	if (!fstat(fd, &st) && (st.st_mode & 077))
		fchmod(fd, 0600); /* a file from an older version */
	size_t len = strlen(line);
	ssize_t n = write(fd, line, len); /* one write: O_APPEND keeps lines whole */
	int rc = n == (ssize_t)len && !fsync(fd) ? 0 : -1;
	close(fd);
	return rc;
}
