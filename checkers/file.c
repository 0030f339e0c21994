/* FILE_CHECK: a number in a tracked file sets the real server's state or
 * weight, as keepalived 2.2's track_file does for checkers:
 *  - weight 0: a non-zero value means down (zero means down with reverse);
 *  - otherwise value x weight (negated with reverse) is added to the real
 *    server's weight; at or below -2147483647 it is down.
 * A missing or unreadable file, or one without a number, reads as 0.
 *
 * The file is read when its directory reports a change (inotify), and
 * every delay_loop in case a change was missed. */
#include "build-config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "checkers/check.h"
#include "checkers/key.h"
#include "daemon/log.h"

struct file_priv {
	char *path;
	char *dir, *base; /* in one allocation each (dirname/basename copies) */
	sd_event_source *watch;
};

/* The value in @path: the leading integer, 0 when none. Pure but for the
 * read. */
static int64_t file_read_value(const char *path)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtoll(buf, NULL, 0);
}

static void file_start(struct check *ck)
{
	const struct lvs_file_check *f = &ck->conf->u.file;
	struct file_priv *priv = ck->priv;
	int64_t value = file_read_value(priv->path);

	ck->weight_kind = CHECK_WEIGHT_NONE;
	ck->weight_value = 0;
	if (f->weight == 0) {
		if ((value != 0) != f->reverse) {
			check_done(ck, false, "%s holds %lld", priv->path, (long long)value);
			return;
		}
		check_done(ck, true, NULL);
		return;
	}
	/* |value| < 2^63 and |weight| < 2^31: clamp before multiplying. */
	if (value > INT32_MAX)
		value = INT32_MAX;
	if (value < -INT32_MAX)
		value = -INT32_MAX;
	value *= f->reverse ? -(int64_t)f->weight : f->weight;
	if (value <= -(int64_t)LVS_WEIGHT_MAX) {
		check_done(ck, false, "%s: weight offset %lld", priv->path, (long long)value);
		return;
	}
	ck->weight_kind = CHECK_WEIGHT_ADD;
	ck->weight_value = value;
	check_done(ck, true, NULL);
}

static void file_cancel(struct check *ck)
{
}

static int file_changed(sd_event_source *s, const struct inotify_event *ev, void *data)
{
	struct check *ck = data;
	struct file_priv *priv = ck->priv;

	if (ev->len && strcmp(ev->name, priv->base) == 0)
		check_run_now(ck);
	return 0;
}

static void file_fini(struct check *ck)
{
	struct file_priv *priv = ck->priv;

	if (!priv)
		return;
	sd_event_source_disable_unref(priv->watch);
	free(priv->path);
	free(priv->dir);
	free(priv->base);
	free(priv);
	ck->priv = NULL;
}

static int file_init(struct check *ck)
{
	const char *path = check_track_file_path(ck->cfg, ck->conf);
	struct file_priv *priv;
	char *d, *b;
	int r;

	if (!path) {
		log_err("%s: no track_file of that name: the check stays down", check_name(ck));
		return -ENOENT;
	}
	priv = calloc(1, sizeof(*priv));
	if (!priv)
		return -ENOMEM;
	ck->priv = priv;
	priv->path = strdup(path);
	d = strdup(path);
	b = strdup(path);
	if (!priv->path || !d || !b) {
		free(d);
		free(b);
		file_fini(ck);
		return -ENOMEM;
	}
	priv->dir = strdup(dirname(d));
	priv->base = strdup(basename(b));
	free(d);
	free(b);
	if (!priv->dir || !priv->base) {
		file_fini(ck);
		return -ENOMEM;
	}
	r = sd_event_add_inotify(
	    check_event(ck), &priv->watch, priv->dir,
	    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM, file_changed, ck);
	if (r < 0)
		log_warn("%s: cannot watch %s (%s): reading it every delay_loop only", check_name(ck),
			 priv->dir, strerror(-r));
	return 0;
}

const struct check_type check_type_file = {
    .kind = LVS_CHECK_FILE,
    .immediate = true,
    .init = file_init,
    .fini = file_fini,
    .start = file_start,
    .cancel = file_cancel,
};
