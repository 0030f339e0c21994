#include "build-config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/log.h"
#include "vrrp/addr.h"
#include "vrrp/announce.h"
#include "vrrp/garp.h"
#include "vrrp/instance.h"
#include "vrrp/ndisc.h"
#include "vrrp/plan.h"
#include "vrrp/vrrp_internal.h"

/* RFC 4861 §4.4: set the Router flag when we forward IPv6 on @ifname. */
static bool ipv6_forwarding(const char *ifname)
{
	char path[96], c = '0';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/forwarding", ifname);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fread(&c, 1, 1, f) != 1)
		c = '0';
	fclose(f);
	return c == '1';
}

static int send_one(struct vrrp_instance *inst, const struct vrrp_addr_conf *a)
{
	const char *dev = vrrp_instance_vip_dev(inst, a);
	struct vrrp *v = inst->v;
	unsigned ifindex;
	uint8_t mac[6];
	int rc;

	if (!dev || !(ifindex = if_nametoindex(dev)))
		return -ENODEV;
	rc = vrrp_if_mac(dev, mac);
	if (rc < 0)
		return rc;
	if (a->addr.family == AF_INET)
		return v->garp_fd < 0 ? -EBADF : vrrp_garp_send(v->garp_fd, ifindex, mac, &a->addr.u.v4);
	return v->ndisc_fd < 0 ? -EBADF
			       : vrrp_ndisc_send(v->ndisc_fd, ifindex, mac, &a->addr.u.v6,
						 ipv6_forwarding(dev));
}

static void count(struct vrrp_instance *inst, const struct vrrp_addr_conf *a, int rc)
{
	struct vrrp_announce *an = &inst->announce;
	char buf[VADDR_STRLEN];
	uint64_t n;

	if (rc == 0) {
		an->sent++;
		return;
	}
	an->errors++;
	if (vrrp_ratelimit_ok(&inst->rl_addr, vrrp_now_us(), 10000000, &n))
		log_warn("(%s) cannot announce %s: %s (%lu more not logged)", inst->conf->name,
			 vaddr_format(&a->addr, buf, sizeof(buf)), strerror(-rc), (unsigned long)n);
}

static void send_round(struct vrrp_instance *inst)
{
	for (const struct vrrp_addr_conf *a = inst->conf->vips.first; a; a = a->next)
		count(inst, a, send_one(inst, a));
	for (const struct vrrp_addr_conf *a = inst->conf->evips.first; a; a = a->next)
		count(inst, a, send_one(inst, a));
}

static void send_addr(struct vrrp_instance *inst, const struct vrrp_addr_conf *a)
{
	unsigned n = inst->conf->garp.master_repeat ? inst->conf->garp.master_repeat : 1;

	for (unsigned i = 0; i < n; i++)
		count(inst, a, send_one(inst, a));
}

static uint64_t round_spacing(const struct vrrp_instance *inst)
{
	const struct global_conf *g = inst->v->global;

	if (!g)
		return 0;
	return inst->conf->family == AF_INET6 ? g->vrrp_gna_interval_us : g->vrrp_garp_interval_us;
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

static void rearm(struct vrrp_announce *an)
{
	uint64_t at = earliest(an->round_at, earliest(an->delayed_at,
						      earliest(an->refresh_at, an->lower_at)));

	at = earliest(at, earliest(an->added_at, an->extra_at));

	if (!an->timer)
		return;
	if (!at) {
		sd_event_source_set_enabled(an->timer, SD_EVENT_OFF);
		return;
	}
	sd_event_source_set_time(an->timer, at);
	sd_event_source_set_enabled(an->timer, SD_EVENT_ONESHOT);
}

/* Send the rounds of a burst that are due; spaced ones wait for the timer. */
static void run_burst(struct vrrp_instance *inst, unsigned rounds, uint64_t now)
{
	struct vrrp_announce *an = &inst->announce;
	uint64_t spacing = round_spacing(inst);

	an->rounds_left = rounds;
	while (an->rounds_left) {
		send_round(inst);
		an->rounds_left--;
		if (spacing && an->rounds_left) {
			an->round_at = now + spacing;
			return;
		}
	}
	an->round_at = 0;
}

/* Send the added VIPs whose second burst is due, keep the others. */
static void send_added_due(struct vrrp_instance *inst, uint64_t now)
{
	struct vrrp_announce *an = &inst->announce;
	unsigned kept = 0;

	an->added_at = 0;
	for (unsigned i = 0; i < an->n_added; i++) {
		if (an->added[i].at <= now) {
			send_addr(inst, an->added[i].a);
			continue;
		}
		an->added[kept++] = an->added[i];
		an->added_at = earliest(an->added_at, an->added[i].at);
	}
	an->n_added = kept;
}

/* keepalived 2.2.7's garp_extra_if, as observed: the first VIP of each
 * interface other than the instance's own (its interface, its VMAC),
 * one GARP/NA each; only with `all`, as vigil makes no per-address VMAC
 * (the interfaces keepalived sends on without `all`). */
static void send_extra_if(struct vrrp_instance *inst)
{
	const struct vrrp_instance_conf *c = inst->conf;
	const struct vrrp_addr_list *lists[] = {&c->vips, &c->evips};
	const char *vmac = inst->vmac.ifindex ? inst->vmac.name : NULL;
	const char *done[32];
	unsigned n_done = 0;

	for (unsigned l = 0; l < 2; l++)
		for (const struct vrrp_addr_conf *a = lists[l]->first; a; a = a->next) {
			const char *dev = vrrp_instance_vip_dev(inst, a);
			bool seen = false;

			if (!dev || (c->interface && !strcmp(dev, c->interface)) ||
			    (vmac && !strcmp(dev, vmac)))
				continue;
			for (unsigned i = 0; i < n_done && !seen; i++)
				seen = !strcmp(done[i], dev);
			if (seen)
				continue;
			if (n_done < sizeof(done) / sizeof(done[0]))
				done[n_done++] = dev;
			count(inst, a, send_one(inst, a));
		}
}

/* The garp_extra_if interval of @c, 0 when it sends nothing. */
static uint64_t extra_if_us(const struct vrrp_instance_conf *c)
{
	return c->garp.extra_if_all ? (uint64_t)c->garp.extra_if_s * 1000000 : 0;
}

static int on_timer(sd_event_source *s, uint64_t usec, void *data)
{
	struct vrrp_instance *inst = data;
	struct vrrp_announce *an = &inst->announce;
	const struct vrrp_garp_conf *g = &inst->conf->garp;
	uint64_t now = vrrp_now_us();

	(void)s;
	(void)usec;
	if (an->round_at && now >= an->round_at)
		run_burst(inst, an->rounds_left, now);
	if (an->delayed_at && now >= an->delayed_at) {
		an->delayed_at = 0;
		run_burst(inst, g->master_repeat, now);
	}
	if (an->added_at && now >= an->added_at)
		send_added_due(inst, now);
	if (an->lower_at && now >= an->lower_at) {
		an->lower_at = 0;
		run_burst(inst, g->lower_prio_repeat, now);
	}
	if (an->refresh_at && now >= an->refresh_at) {
		an->refresh_at = now + g->master_refresh_us;
		run_burst(inst, g->master_refresh_repeat, now);
	}
	if (an->extra_at && now >= an->extra_at) {
		an->extra_at = now + extra_if_us(inst->conf);
		send_extra_if(inst);
	}
	rearm(an);
	return 0;
}

static int ensure_timer(struct vrrp_instance *inst)
{
	struct vrrp_announce *an = &inst->announce;

	if (an->timer)
		return 0;
	return sd_event_add_time(inst->v->event, &an->timer, CLOCK_MONOTONIC, 0, 1, on_timer, inst);
}

void vrrp_announce_begin(struct vrrp_instance *inst)
{
	struct vrrp_announce *an = &inst->announce;
	const struct vrrp_garp_conf *g = &inst->conf->garp;
	uint64_t now = vrrp_now_us();

	if (ensure_timer(inst) < 0)
		log_warn("(%s) no timer for repeated announcements", inst->conf->name);
	an->delayed_at = g->master_delay_us ? now + g->master_delay_us : 0;
	an->refresh_at = g->master_refresh_us ? now + g->master_refresh_us : 0;
	an->extra_at = extra_if_us(inst->conf) ? now + extra_if_us(inst->conf) : 0;
	run_burst(inst, g->master_repeat ? g->master_repeat : 1, now);
	rearm(an);
}

void vrrp_announce_end(struct vrrp_instance *inst)
{
	struct vrrp_announce *an = &inst->announce;

	an->rounds_left = 0;
	an->round_at = an->delayed_at = an->refresh_at = an->added_at = an->lower_at = 0;
	an->extra_at = 0;
	an->n_added = 0;
	rearm(an);
}

void vrrp_announce_lower_prio(struct vrrp_instance *inst)
{
	struct vrrp_announce *an = &inst->announce;
	const struct vrrp_garp_conf *g = &inst->conf->garp;
	uint64_t now = vrrp_now_us();

	if (!g->lower_prio_repeat)
		return;
	if (ensure_timer(inst) < 0)
		log_warn("(%s) no timer for repeated announcements", inst->conf->name);
	an->lower_at = g->lower_prio_delay_us ? now + g->lower_prio_delay_us : 0;
	run_burst(inst, g->lower_prio_repeat, now);
	rearm(an);
}

void vrrp_announce_addr(struct vrrp_instance *inst, const struct vrrp_addr_conf *a)
{
	struct vrrp_announce *an = &inst->announce;
	uint64_t delay = inst->conf->garp.master_delay_us;

	send_addr(inst, a);
	if (!delay)
		return;
	if (an->n_added == an->cap_added) {
		unsigned cap = an->cap_added ? an->cap_added * 2 : 8;
		struct vrrp_announce_added *v = realloc(an->added, cap * sizeof(*v));

		if (!v)
			return; /* the first burst went out; the second is lost */
		an->added = v;
		an->cap_added = cap;
	}
	an->added[an->n_added].a = a;
	an->added[an->n_added].at = vrrp_now_us() + delay;
	an->added_at = earliest(an->added_at, an->added[an->n_added].at);
	an->n_added++;
	if (ensure_timer(inst) < 0)
		return;
	rearm(an);
}

static const struct vrrp_addr_conf *find_same(const struct vrrp_addr_list *l,
					      const struct vrrp_addr_conf *a)
{
	for (const struct vrrp_addr_conf *b = l->first; b; b = b->next)
		if (vrrp_addr_same(a, b))
			return b;
	return NULL;
}

void vrrp_announce_reconfigure(struct vrrp_instance *inst, const struct vrrp_instance_conf *next)
{
	struct vrrp_announce *an = &inst->announce;
	uint64_t extra = extra_if_us(next);
	unsigned kept = 0;

	if (inst->fsm.state == VRRP_STATE_MASTER && extra != extra_if_us(inst->conf))
		an->extra_at = extra ? vrrp_now_us() + extra : 0;

	an->added_at = 0;
	for (unsigned i = 0; i < an->n_added; i++) {
		const struct vrrp_addr_conf *b = find_same(&next->vips, an->added[i].a);

		if (!b)
			b = find_same(&next->evips, an->added[i].a);
		if (!b)
			continue; /* the new configuration dropped it */
		an->added[kept].a = b;
		an->added[kept].at = an->added[i].at;
		an->added_at = earliest(an->added_at, an->added[kept].at);
		kept++;
	}
	an->n_added = kept;
	rearm(an);
}

void vrrp_announce_free(struct vrrp_announce *an)
{
	an->timer = sd_event_source_disable_unref(an->timer);
	free(an->added);
	an->added = NULL;
	an->n_added = an->cap_added = 0;
}
