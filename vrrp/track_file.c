/* track_file: the integer in a file, re-read when the file is written,
 * moved in or removed (inotify on its directory, as keepalived does, so a
 * file created later or replaced by rename is seen). */
#include "build-config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "daemon/log.h"
#include "vrrp/track_internal.h"

struct tracked_file {
	const struct vrrp_track_file_conf *conf;
	const char *base; /* the name part of conf->file */
	int wd;
	int64_t value;
};

struct track_files {
	struct vrrp_tracker *t;
	int fd;
	sd_event_source *io;
	struct tracked_file *v;
	size_t n;
};

static int64_t read_value(const char *path)
{
	char buf[128];
	ssize_t len;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	return vrrp_track_file_parse(buf);
}

static void set_value(struct track_files *fs, struct tracked_file *f, int64_t v)
{
	if (v == f->value)
		return;
	log_info("Track file %s: value %" PRId64 " -> %" PRId64, f->conf->name, f->value, v);
	f->value = v;
	vrrp_tracker_changed(fs->t, VRRP_TRACK_FILE, f->conf->name);
}

static int on_inotify(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct track_files *fs = data;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t len;

	while ((len = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_ISDIR || !ev->len)
				continue;
			for (size_t i = 0; i < fs->n; i++) {
				struct tracked_file *f = &fs->v[i];

				if (f->wd != ev->wd || strcmp(f->base, ev->name))
					continue;
				/* keepalived: a file that disappears reads as 0 */
				set_value(fs, f,
					  ev->mask & (IN_DELETE | IN_MOVED_FROM)
						  ? 0
						  : read_value(f->conf->file));
			}
		}
	}
	return 0;
}

/* init_file [VALUE] [overwrite]: write VALUE when the file is missing, or
 * always with overwrite. */
static void init_file(const struct vrrp_track_file_conf *c)
{
	FILE *fp;

	if (!c->init_file || (!c->init_overwrite && access(c->file, F_OK) == 0))
		return;
	fp = fopen(c->file, "we");
	if (!fp) {
		log_warn("Track file %s: cannot initialise %s: %s", c->name, c->file,
			 strerror(errno));
		return;
	}
	fprintf(fp, "%" PRId64 "\n", c->init_value);
	fclose(fp);
}

static int watch_file(struct track_files *fs, struct tracked_file *f)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(f->conf->file, '/');

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == f->conf->file ? 1 :
			 (int)(slash - f->conf->file), f->conf->file);
	f->base = slash ? slash + 1 : f->conf->file;
	f->wd = inotify_add_watch(fs->fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
					       IN_DELETE);
	if (f->wd < 0) {
		log_warn("Track file %s: cannot watch %s: %s", f->conf->name, dir,
			 strerror(errno));
		return -errno;
	}
	return 0;
}

int track_files_new(struct vrrp_tracker *t, struct track_files **out)
{
	const struct vrrp_conf *vc = &t->cfg->vrrp;
	struct track_files *fs = calloc(1, sizeof(*fs));
	int rc;

	if (!fs || !(fs->v = calloc(vc->n_track_files + 1, sizeof(*fs->v)))) {
		free(fs);
		return -ENOMEM;
	}
	fs->t = t;
	fs->fd = -1;
	*out = fs;
	for (const struct vrrp_track_file_conf *c = vc->track_files; c; c = c->next) {
		struct tracked_file *f = &fs->v[fs->n];

		/* keepalived: "the file will only be read if at least one VRRP
		 * instance, sync group or real server monitors it" */
		if (!vrrp_tracker_is_tracked(t->cfg, VRRP_TRACK_FILE, c->name))
			continue;
		if (fs->fd < 0) {
			fs->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
			if (fs->fd < 0)
				return -errno;
			rc = sd_event_add_io(t->event, &fs->io, fs->fd, EPOLLIN, on_inotify, fs);
			if (rc < 0)
				return rc;
		}
		f->conf = c;
		fs->n++;
		init_file(c);
		watch_file(fs, f);
		f->value = read_value(c->file);
	}
	return 0;
}

void track_files_free(struct track_files *fs)
{
	if (!fs)
		return;
	sd_event_source_disable_unref(fs->io);
	if (fs->fd >= 0)
		close(fs->fd);
	free(fs->v);
	free(fs);
}

int64_t track_files_value(const struct track_files *fs, const char *name, bool *known)
{
	for (size_t i = 0; fs && i < fs->n; i++)
		if (!strcmp(fs->v[i].conf->name, name)) {
			*known = true;
			return fs->v[i].value;
		}
	*known = false;
	return 0;
}
