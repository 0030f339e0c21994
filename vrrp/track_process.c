/* vrrp_track_process: how many processes match, against quorum and
 * quorum_max, with fork_delay/terminate_delay, as keepalived.conf(5)
 * describes. /proc is scanned once at start; afterwards the kernel's proc
 * connector reports fork, exec, comm changes and exits, and only the
 * process concerned is read. Without the connector (no CAP_NET_ADMIN) the
 * scan is repeated every second instead. */
#include "build-config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/log.h"
#include "vrrp/track_internal.h"

#define RESCAN_US 1000000ULL
#define COMM_LEN 15 /* TASK_COMM_LEN - 1: the kernel truncates names */

struct tracked_proc {
	const struct vrrp_track_process_conf *conf;
	struct track_procs *owner;
	pid_t *pids;
	size_t n_pids, cap;
	enum vrrp_track_state state; /* reported */
	sd_event_source *delay;	     /* pending fork/terminate delay */
};

struct track_procs {
	struct vrrp_tracker *t;
	struct tracked_proc *v;
	size_t n;
	int fd; /* proc connector, or -1 */
	sd_event_source *io, *rescan;
};

/* --- matching ----------------------------------------------------------- */

static ssize_t read_proc(pid_t pid, const char *what, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static bool params_match(const struct vrrp_track_process_conf *c, const char *args, size_t len)
{
	const char *p = args, *end = args + len;
	unsigned i;

	for (i = 0; i < c->n_params; i++) {
		size_t plen;

		if (p >= end)
			return false;
		plen = strlen(p);
		if (c->param_match == VRRP_PARAM_MATCH_INITIAL && i == c->n_params - 1) {
			if (strncmp(p, c->params[i], strlen(c->params[i])))
				return false;
		} else if (strcmp(p, c->params[i]))
			return false;
		p += plen + 1;
	}
	/* exact (the default with parameters, or param_match without any):
	 * no further parameters */
	return c->param_match == VRRP_PARAM_MATCH_PARTIAL ||
	       c->param_match == VRRP_PARAM_MATCH_INITIAL || p >= end;
}

static bool proc_matches(const struct vrrp_track_process_conf *c, pid_t pid)
{
	char buf[4096];
	ssize_t n;

	if (!c->full_command) {
		n = read_proc(pid, "comm", buf, sizeof(buf));
		if (n <= 0)
			return false;
		if (buf[n - 1] == '\n')
			buf[--n] = '\0';
		if (strncmp(buf, c->process, COMM_LEN) ||
		    (strlen(c->process) < COMM_LEN && buf[strlen(c->process)]))
			return false;
		if (!c->params && c->param_match == VRRP_PARAM_MATCH_NONE)
			return true;
	}
	n = read_proc(pid, "cmdline", buf, sizeof(buf));
	if (n <= 0)
		return false; /* kernel threads and zombies have none */
	if (c->full_command && strcmp(buf, c->process))
		return false;
	size_t a0 = strlen(buf) + 1;
	return params_match(c, buf + a0, a0 < (size_t)n ? (size_t)n - a0 : 0);
}

/* --- counting and reporting --------------------------------------------- */

static void report(struct tracked_proc *p, enum vrrp_track_state st)
{
	if (p->state == st)
		return;
	p->state = st;
	log_info("Track process %s: %zu running, quorum %s", p->conf->name, p->n_pids,
		 st == VRRP_TRACK_UP ? "gained" : "lost");
	vrrp_tracker_changed(p->owner->t, VRRP_TRACK_PROCESS, p->conf->name);
}

static int on_delay(sd_event_source *s, uint64_t usec, void *data)
{
	struct tracked_proc *p = data;
	const struct vrrp_track_process_conf *c = p->conf;

	p->delay = sd_event_source_disable_unref(p->delay);
	report(p, vrrp_process_quorum((uint32_t)p->n_pids, c->quorum, c->quorum_max)
			  ? VRRP_TRACK_UP
			  : VRRP_TRACK_DOWN);
	return 0;
}

/* The count changed: report now, or after fork_delay (quorum gained) /
 * terminate_delay (lost), unless it flips back meanwhile. */
static void recheck(struct tracked_proc *p)
{
	const struct vrrp_track_process_conf *c = p->conf;
	bool q = vrrp_process_quorum((uint32_t)p->n_pids, c->quorum, c->quorum_max);
	enum vrrp_track_state want = q ? VRRP_TRACK_UP : VRRP_TRACK_DOWN;
	uint64_t delay = q ? c->fork_delay_us : c->terminate_delay_us;

	if (want == p->state) {
		p->delay = sd_event_source_disable_unref(p->delay);
		return;
	}
	if (!delay) {
		report(p, want);
		return;
	}
	if (!p->delay &&
	    sd_event_add_time_relative(p->owner->t->event, &p->delay, CLOCK_MONOTONIC, delay, 1000,
				       on_delay, p) < 0)
		report(p, want);
}

static bool pid_add(struct tracked_proc *p, pid_t pid)
{
	if (p->n_pids == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		pid_t *v = realloc(p->pids, cap * sizeof(*v));

		if (!v)
			return false;
		p->pids = v;
		p->cap = cap;
	}
	p->pids[p->n_pids++] = pid;
	return true;
}

static void pid_set(struct tracked_proc *p, pid_t pid, bool present)
{
	size_t i;

	for (i = 0; i < p->n_pids && p->pids[i] != pid; i++)
		;
	if (present == (i < p->n_pids))
		return;
	if (!present)
		p->pids[i] = p->pids[--p->n_pids];
	else if (!pid_add(p, pid))
		return;
	recheck(p);
}

static void scan_all(struct track_procs *ps, bool initial)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	for (size_t i = 0; i < ps->n; i++)
		ps->v[i].n_pids = 0;
	while (d && (de = readdir(d))) {
		pid_t pid = (pid_t)strtol(de->d_name, NULL, 10);

		if (pid <= 0)
			continue;
		for (size_t i = 0; i < ps->n; i++)
			if (proc_matches(ps->v[i].conf, pid))
				pid_add(&ps->v[i], pid);
	}
	if (d)
		closedir(d);
	for (size_t i = 0; i < ps->n; i++) {
		struct tracked_proc *p = &ps->v[i];
		const struct vrrp_track_process_conf *c = p->conf;

		if (initial) /* start-up: no delay, the state simply is */
			p->state = vrrp_process_quorum((uint32_t)p->n_pids, c->quorum,
						       c->quorum_max)
					   ? VRRP_TRACK_UP
					   : VRRP_TRACK_DOWN;
		else
			recheck(p);
	}
}

/* --- the proc connector -------------------------------------------------- */

static int connector_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	struct {
		struct nlmsghdr nh;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) req = {
		.nh = { .nlmsg_len = sizeof(req), .nlmsg_type = NLMSG_DONE },
		.cn = { .id = { CN_IDX_PROC, CN_VAL_PROC }, .len = sizeof(enum proc_cn_mcast_op) },
		.op = PROC_CN_MCAST_LISTEN,
	};
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_CONNECTOR);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || send(fd, &req, sizeof(req), 0) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

static void process_event(struct track_procs *ps, const struct proc_event *ev)
{
	pid_t pid;
	bool gone;

	switch (ev->what) {
	case PROC_EVENT_FORK:
		if (ev->event_data.fork.child_pid != ev->event_data.fork.child_tgid)
			return; /* a thread */
		pid = ev->event_data.fork.child_tgid;
		gone = false;
		break;
	case PROC_EVENT_EXEC:
		pid = ev->event_data.exec.process_tgid;
		gone = false;
		break;
	case PROC_EVENT_COMM:
		if (ev->event_data.comm.process_pid != ev->event_data.comm.process_tgid)
			return;
		pid = ev->event_data.comm.process_tgid;
		gone = false;
		break;
	case PROC_EVENT_EXIT:
		if (ev->event_data.exit.process_pid != ev->event_data.exit.process_tgid)
			return;
		pid = ev->event_data.exit.process_tgid;
		gone = true;
		break;
	default:
		return;
	}
	for (size_t i = 0; i < ps->n; i++)
		pid_set(&ps->v[i], pid, !gone && proc_matches(ps->v[i].conf, pid));
}

static int on_connector(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct track_procs *ps = data;
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t len;

	while ((len = recv(fd, buf, sizeof(buf), 0)) != 0) {
		if (len < 0 && errno == ENOBUFS) {
			scan_all(ps, false); /* events lost: count again */
			continue;
		}
		if (len < 0)
			break;
		for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len);
		     nh = NLMSG_NEXT(nh, len)) {
			const struct cn_msg *cn = NLMSG_DATA(nh);

			if (nh->nlmsg_type != NLMSG_DONE || cn->id.idx != CN_IDX_PROC ||
			    cn->len < sizeof(struct proc_event))
				continue;
			process_event(ps, (const struct proc_event *)cn->data);
		}
	}
	return 0;
}

static int on_rescan(sd_event_source *s, uint64_t usec, void *data)
{
	scan_all(data, false);
	sd_event_source_set_time_relative(s, RESCAN_US);
	return sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
}

int track_procs_new(struct vrrp_tracker *t, struct track_procs **out)
{
	const struct vrrp_conf *vc = &t->cfg->vrrp;
	struct track_procs *ps = calloc(1, sizeof(*ps));

	if (!ps || !(ps->v = calloc(vc->n_track_processes + 1, sizeof(*ps->v)))) {
		free(ps);
		return -ENOMEM;
	}
	ps->t = t;
	ps->fd = -1;
	*out = ps;
	for (const struct vrrp_track_process_conf *c = vc->track_processes; c; c = c->next)
		if (vrrp_tracker_is_tracked(t->cfg, VRRP_TRACK_PROCESS, c->name)) {
			ps->v[ps->n].conf = c;
			ps->v[ps->n++].owner = ps;
		}
	if (!ps->n)
		return 0;
	/* Listen first, then scan, so nothing started in between is missed. */
	ps->fd = connector_open();
	if (ps->fd >= 0) {
		int rc = sd_event_add_io(t->event, &ps->io, ps->fd, EPOLLIN, on_connector, ps);

		if (rc < 0)
			return rc;
	} else {
		log_warn("track_process: no proc connector (%s); scanning /proc every second",
			 strerror(-ps->fd));
		if (sd_event_add_time_relative(t->event, &ps->rescan, CLOCK_MONOTONIC, RESCAN_US,
					       10000, on_rescan, ps) < 0)
			return -ENOMEM;
	}
	scan_all(ps, true);
	return 0;
}

void track_procs_free(struct track_procs *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->n; i++) {
		sd_event_source_disable_unref(ps->v[i].delay);
		free(ps->v[i].pids);
	}
	sd_event_source_disable_unref(ps->io);
	sd_event_source_disable_unref(ps->rescan);
	if (ps->fd >= 0)
		close(ps->fd);
	free(ps->v);
	free(ps);
}

enum vrrp_track_state track_procs_state(const struct track_procs *ps, const char *name)
{
	for (size_t i = 0; ps && i < ps->n; i++)
		if (!strcmp(ps->v[i].conf->name, name))
			return ps->v[i].state;
	return VRRP_TRACK_DISABLED;
}
