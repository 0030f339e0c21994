/* Pidfiles: the parent's one is locked (one vigild per configuration); the
 * children's ones are plain files the parent writes for them. */
#ifndef VIGIL_DAEMON_PIDFILE_H
#define VIGIL_DAEMON_PIDFILE_H

#include <sys/types.h>

struct pidfile {
	char *path;
	int fd;
};

/* Open and lock @path (flock, so the lock survives daemonising). Returns 0
 * with *out set, -EBUSY when another process holds it (*holder is its pid
 * as written in the file, or 0 if unreadable), or another -errno. */
int pidfile_lock(const char *path, struct pidfile **out, pid_t *holder);

/* Replace the content with @pid. Returns 0 or -errno. */
int pidfile_write(struct pidfile *pf, pid_t pid);

/* Unlink, unlock and free. NULL is fine. */
void pidfile_remove(struct pidfile *pf);

/* Write @pid to @path atomically (temporary file + rename). Returns 0 or -errno. */
int pidfile_write_plain(const char *path, pid_t pid);

#endif
