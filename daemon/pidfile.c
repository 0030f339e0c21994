#include "build-config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "daemon/pidfile.h"

static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long v;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	v = strtol(buf, NULL, 10);
	return v > 0 ? (pid_t)v : 0;
}

int pidfile_lock(const char *path, struct pidfile **out, pid_t *holder)
{
	struct pidfile *pf;
	int fd, rc;

	*holder = 0;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
		if (rc == -EBUSY)
			*holder = read_pid(fd);
		close(fd);
		return rc;
	}
	pf = calloc(1, sizeof(*pf));
	if (!pf || !(pf->path = strdup(path))) {
		free(pf);
		close(fd);
		return -ENOMEM;
	}
	pf->fd = fd;
	*out = pf;
	return 0;
}

int pidfile_write(struct pidfile *pf, pid_t pid)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);

	if (ftruncate(pf->fd, 0) < 0 || pwrite(pf->fd, buf, (size_t)n, 0) != n)
		return -errno;
	return 0;
}

void pidfile_remove(struct pidfile *pf)
{
	if (!pf)
		return;
	/* Unlink while still holding the lock, so a starting instance never
	 * sees our pid in a file it could lock. */
	unlink(pf->path);
	close(pf->fd);
	free(pf->path);
	free(pf);
}

int pidfile_write_plain(const char *path, pid_t pid)
{
	char tmp[4096];
	char buf[32];
	int n, fd, rc = 0;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	if (write(fd, buf, (size_t)n) != n)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}
