#include "build-config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/log.h"
#include "vrrp/notify_fifo.h"

void vrrp_fifos_init(struct vrrp_fifos *f)
{
	memset(f, 0, sizeof(*f));
	f->all.fd = f->vrrp.fd = -1;
}

static void fifo_close(struct vrrp_fifo *fifo)
{
	/* Unlink first, as keepalived does, so a reader that reopens the
	 * FIFO when it sees EOF cannot find this one again. */
	if (fifo->created && fifo->path)
		unlink(fifo->path);
	if (fifo->fd >= 0)
		close(fifo->fd);
	free(fifo->path);
	fifo->path = NULL;
	fifo->fd = -1;
	fifo->created = false;
}

static void fifo_chown(const char *path, const struct global_fifo *conf)
{
	struct script_identity id;
	char why[256];

	if (!conf->user)
		return;
	if (script_identity_resolve(conf->user, conf->group, &id, why, sizeof(why)) < 0) {
		log_err("notify FIFO %s: %s", path, why);
		return;
	}
	if (chown(path, id.uid, id.gid) < 0)
		log_err("notify FIFO %s: cannot chown to %s: %s", path, conf->user, strerror(errno));
}

/* Its script, with the FIFO's path as the last argument. */
static void fifo_script(const struct global_fifo *conf, const char *path,
			struct script_runner *r)
{
	const char *const extra[] = {path, NULL};
	struct script_cmd cmd = {.set_identity = true};
	char **argv = NULL, why[256];
	int rc;

	if (!conf->script.cmd || !r)
		return;
	if (script_split(conf->script.cmd, &argv, why, sizeof(why)) < 0 ||
	    script_identity_resolve(conf->script.user, conf->script.group, &cmd.id, why,
				    sizeof(why)) < 0) {
		log_err("notify FIFO script '%s': %s; not run", conf->script.cmd, why);
		script_argv_free(argv);
		return;
	}
	cmd.argv = (const char *const *)argv;
	rc = script_run(r, &cmd, extra, NULL, NULL, NULL, NULL);
	if (rc < 0)
		log_err("cannot start notify FIFO script %s: %s", argv[0], strerror(-rc));
	script_argv_free(argv);
}

static void fifo_open(struct vrrp_fifo *fifo, const struct global_fifo *conf,
		      struct script_runner *r)
{
	if (fifo->path && conf->path && !strcmp(fifo->path, conf->path))
		return; /* unchanged by the reload */
	fifo_close(fifo);
	if (!conf->path)
		return;
	fifo->path = strdup(conf->path);
	if (!fifo->path)
		return;
	if (mkfifo(fifo->path, S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH) == 0) {
		fifo->created = true;
		fifo_chown(fifo->path, conf);
	} else if (errno != EEXIST) {
		log_err("cannot create notify FIFO %s: %s", fifo->path, strerror(errno));
		fifo_close(fifo);
		return;
	}
	fifo_script(conf, fifo->path, r);
	fifo->fd = open(fifo->path, O_RDWR | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	if (fifo->fd < 0) {
		log_err("cannot open notify FIFO %s: %s", fifo->path, strerror(errno));
		fifo_close(fifo);
	}
}

void vrrp_fifos_apply(struct vrrp_fifos *f, const struct global_conf *g, struct script_runner *r)
{
	fifo_open(&f->all, &g->notify_fifo, r);
	fifo_open(&f->vrrp, &g->vrrp_notify_fifo, r);
}

static void fifo_write(const struct vrrp_fifo *fifo, const char *line, size_t len)
{
	ssize_t n;

	if (fifo->fd < 0)
		return;
	n = write(fifo->fd, line, len);
	if (n < 0 && errno != EAGAIN)
		log_debug("notify FIFO %s: %s", fifo->path, strerror(errno));
}

void vrrp_fifos_write(const struct vrrp_fifos *f, bool group, const char *name,
		      const char *state, unsigned priority)
{
	char line[512];
	int len;

	if (f->all.fd < 0 && f->vrrp.fd < 0)
		return;
	len = snprintf(line, sizeof(line), "%s \"%s\" %s %u\n", group ? "GROUP" : "INSTANCE", name,
		       state, priority);
	if (len < 0 || (size_t)len >= sizeof(line))
		return;
	fifo_write(&f->all, line, (size_t)len);
	fifo_write(&f->vrrp, line, (size_t)len);
}

void vrrp_fifos_close(struct vrrp_fifos *f)
{
	fifo_close(&f->all);
	fifo_close(&f->vrrp);
}
