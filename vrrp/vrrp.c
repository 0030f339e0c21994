#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/log.h"
#include "lib/script.h"
#include "vrrp/addr.h"
#include "vrrp/garp.h"
#include "vrrp/instance.h"
#include "vrrp/ndisc.h"
#include "vrrp/plan.h"
#include "vrrp/vrrp_internal.h"

uint64_t vrrp_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int vrrp_new(sd_event *event, const struct vrrp_hooks *hooks, struct vrrp **out)
{
	struct vrrp *v = calloc(1, sizeof(*v));
	int rc;

	if (!v)
		return -ENOMEM;
	v->event = sd_event_ref(event);
	if (hooks)
		v->hooks = *hooks;
	/* Without privileges these fail; instances then report what they
	 * cannot do, and the daemon still runs (as keepalived -t users and
	 * the unprivileged daemon tests expect). */
	rc = vrrp_addr_open(&v->nl);
	if (rc < 0) {
		log_warn("no rtnetlink socket for addresses: %s", strerror(-rc));
		v->nl = NULL;
	}
	v->garp_fd = vrrp_garp_open();
	if (v->garp_fd < 0)
		log_warn("no packet socket for gratuitous ARP: %s", strerror(-v->garp_fd));
	v->ndisc_fd = vrrp_ndisc_open();
	if (v->ndisc_fd < 0)
		log_warn("no ICMPv6 socket for neighbour advertisements: %s",
			 strerror(-v->ndisc_fd));
	rc = script_runner_new(event, &v->scripts);
	if (rc < 0) {
		log_warn("no script runner: notify scripts will not run: %s", strerror(-rc));
		v->scripts = NULL;
	}
	*out = v;
	return 0;
}

void vrrp_free(struct vrrp *v)
{
	if (!v)
		return;
	while (v->instances) {
		struct vrrp_instance *i = v->instances;

		v->instances = i->next;
		vrrp_instance_free(i);
	}
	script_runner_free(v->scripts);
	vrrp_addr_close(v->nl);
	if (v->garp_fd >= 0)
		close(v->garp_fd);
	if (v->ndisc_fd >= 0)
		close(v->ndisc_fd);
	sd_event_unref(v->event);
	free(v);
}

struct vrrp_instance *vrrp_instance_by_name(struct vrrp *v, const char *name)
{
	for (struct vrrp_instance *i = v->instances; i; i = i->next)
		if (strcmp(i->conf->name, name) == 0)
			return i;
	return NULL;
}

static void stop_and_free(struct vrrp_instance *inst)
{
	vrrp_instance_shutdown(inst);
	vrrp_instance_free(inst);
}

/* Instances of @next that run already with a compatible configuration,
 * in @next's order; the others are stopped and freed. */
static struct vrrp_instance *keep_compatible(struct vrrp *v, const struct vigil_config *next,
					     unsigned *kept, unsigned *stopped)
{
	struct vrrp_instance *keep = NULL, **tail = &keep;

	for (const struct vrrp_instance_conf *c = next->vrrp.instances; c; c = c->next) {
		for (struct vrrp_instance **pp = &v->instances; *pp; pp = &(*pp)->next) {
			struct vrrp_instance *i = *pp;

			if (strcmp(i->conf->name, c->name))
				continue;
			*pp = i->next;
			if (!vrrp_conf_compatible(i->conf, c)) {
				log_info("(%s) its VRID, interface, family or addressing changed: "
					 "restarting it", c->name);
				stop_and_free(i);
				(*stopped)++;
				break;
			}
			i->next = NULL;
			*tail = i;
			tail = &i->next;
			(*kept)++;
			break;
		}
	}
	/* What is left is gone from the configuration. */
	while (v->instances) {
		struct vrrp_instance *i = v->instances;

		v->instances = i->next;
		log_info("(%s) removed from the configuration: stopping it", i->conf->name);
		stop_and_free(i);
		(*stopped)++;
	}
	return keep;
}

static struct vrrp_instance *find_in(struct vrrp_instance *list, const char *name)
{
	for (; list; list = list->next)
		if (strcmp(list->conf->name, name) == 0)
			return list;
	return NULL;
}

int vrrp_apply(struct vrrp *v, const struct vigil_config *prev, const struct vigil_config *next,
	       char *text, size_t len)
{
	struct vrrp_instance *kept_list, *list = NULL, **tail = &list;
	unsigned kept = 0, stopped = 0, started = 0, fault = 0;

	(void)prev; /* each instance holds its own part of it */
	kept_list = keep_compatible(v, next, &kept, &stopped);
	v->global = &next->global;
	/* Rebuild the list in @next's order: kept ones take their new
	 * configuration in place, new ones start. */
	for (const struct vrrp_instance_conf *c = next->vrrp.instances; c; c = c->next) {
		struct vrrp_instance *i = find_in(kept_list, c->name);

		if (i) {
			for (struct vrrp_instance **pp = &kept_list; *pp; pp = &(*pp)->next)
				if (*pp == i) {
					*pp = i->next;
					break;
				}
			i->next = NULL;
			vrrp_instance_reconfigure(i, c);
		} else {
			i = vrrp_instance_new(v, c);
			if (!i) {
				log_err("(%s) out of memory: not started", c->name);
				continue;
			}
			vrrp_instance_start(i);
			started++;
		}
		if (vrrp_instance_state(i) == VRRP_STATE_FAULT)
			fault++;
		*tail = i;
		tail = &i->next;
	}
	v->instances = list;
	snprintf(text, len, "%u VRRP instance%s (%u kept, %u started, %u stopped, %u in FAULT)",
		 next->vrrp.n_instances, next->vrrp.n_instances == 1 ? "" : "s", kept, started,
		 stopped, fault);
	log_info("applied configuration: %s", text);
	return 0;
}

void vrrp_shutdown(struct vrrp *v)
{
	for (struct vrrp_instance *i = v->instances; i; i = i->next)
		vrrp_instance_shutdown(i);
}
