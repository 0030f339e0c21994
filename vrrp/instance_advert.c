/* A vrrp_instance's adverts: the source they come from, sending them to
 * the group or the unicast peers, and taking them in (checks, counters per
 * drop reason, two address owners) for the fsm. */
#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daemon/log.h"
#include "vrrp/ah.h"
#include "vrrp/ifwatch.h"
#include "vrrp/instance_internal.h"
#include "vrrp/link.h"
#include "vrrp/socket.h"
#include "vrrp/vrrp_internal.h"

#define TX_BUF_LEN (VRRP_IPV4_HDR_LEN + VRRP_AH_LEN + VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16 + \
		    VRRP_AUTH_LEN)

static const char *const drop_names[VRRP_DROP_COUNT] = {
	[VRRP_DROP_OWN] = "own advert",
	[VRRP_DROP_UNICAST_SRC] = "source is not a unicast_peer",
	[VRRP_DROP_WRONG_FAMILY] = "wrong address family",
	[VRRP_DROP_NOT_RUNNING] = "instance not running",
};

/* --- sending ---------------------------------------------------------- */

static void tx_failed(struct vrrp_instance *inst, const struct vaddr *dst, const char *why)
{
	char buf[VADDR_STRLEN];
	uint64_t n;

	inst->counters.tx_errors++;
	if (vrrp_ratelimit_ok(&inst->rl_tx, vrrp_now_us(), LOG_INTERVAL_US, &n))
		log_warn("(%s) cannot send advert to %s: %s (%lu more not logged)", inst->conf->name,
			 dst ? vaddr_format(dst, buf, sizeof(buf)) : "-", why, (unsigned long)n);
}

/* Where our advert source may be: a configured one anywhere on the host,
 * the interface's own on the interface. */
static unsigned src_scope(const struct vrrp_instance *inst)
{
	return inst->conf->src_addr.family ? 0 : inst->ifindex;
}

/* unicast_src_ip / mcast_src_ip once it is on the host, else the
 * interface's primary address (vrrp/iftable.h): never a tentative or
 * DAD-failed one (keepalived 2.3.3). Without the interface watch, the
 * configured address is taken on trust and getifaddrs() picks. */
static int lookup_src(const struct vrrp_instance *inst, struct vaddr *out)
{
	const struct vrrp_instance_conf *c = inst->conf;
	const struct vrrp_iftable *t;

	if (!inst->v->ifw) {
		if (!c->src_addr.family)
			return vrrp_socket_primary_addr(c->interface, c->family, out);
		*out = c->src_addr;
		return 0;
	}
	t = vrrp_ifwatch_table(inst->v->ifw);
	if (!c->src_addr.family)
		return vrrp_iftable_primary(t, inst->ifindex, c->family, out);
	if (!vrrp_iftable_usable(t, 0, &c->src_addr))
		return -EADDRNOTAVAIL;
	*out = c->src_addr;
	return 0;
}

/* Our advert source, kept while it stays usable: another link-local
 * address appearing does not change it (keepalived 2.3.3). */
int vrrp_instance_resolve_src(struct vrrp_instance *inst)
{
	if (inst->src.family)
		return 0;
	if (lookup_src(inst, &inst->src) < 0) {
		inst->src.family = 0;
		return -EADDRNOTAVAIL;
	}
	inst->params.primary = inst->src;
	return 0;
}

bool vrrp_instance_src_still_usable(const struct vrrp_instance *inst)
{
	return inst->src.family &&
	       (!inst->v->ifw ||
		vrrp_iftable_usable(vrrp_ifwatch_table(inst->v->ifw), src_scope(inst), &inst->src));
}

static void send_to(struct vrrp_instance *inst, struct vrrp_pkt_params *p, const struct vaddr *dst)
{
	const struct vrrp_instance_conf *c = inst->conf;
	uint8_t buf[TX_BUF_LEN];
	size_t len;
	int ttl = c->peers && c->unicast_ttl >= 0 ? c->unicast_ttl : VRRP_TTL;
	bool ah = p->auth_type == VRRP_PKT_AUTH_AH;
	int rc;

	p->dst = *dst;
	if (ah) {
		const struct vrrp_ah_params ap = {
		    .ip_id = inst->ip_id, .ttl = (uint8_t)ttl, .seq = inst->ah_seq,
		    .unicast = c->peers != NULL};

		len = vrrp_ah_encode(p, &ap, buf, sizeof(buf));
	} else {
		len = vrrp_pkt_encode(p, buf, sizeof(buf));
	}
	if (!len) {
		tx_failed(inst, dst, "cannot encode");
		return;
	}
	rc = vrrp_socket_send(ah ? vrrp_link_ah_fd(inst->link) : vrrp_link_fd(inst->link),
			      vrrp_link_ifindex(inst->link), &inst->src, dst, ttl, buf, len);
	if (rc < 0) {
		if (rc == -EADDRNOTAVAIL || rc == -EINVAL)
			inst->src.family = c->src_addr.family ? inst->src.family : 0;
		tx_failed(inst, dst, strerror(-rc));
		return;
	}
	inst->counters.tx_adverts++;
	if (!p->priority)
		inst->counters.tx_prio0++;
}

void vrrp_instance_send_advert(struct vrrp_instance *inst, uint8_t priority)
{
	const struct vrrp_instance_conf *c = inst->conf;
	struct vrrp_pkt_params p = {
	    .version = (uint8_t)c->version,
	    .vrid = c->vrid,
	    .priority = priority,
	    .advert_int_cs = inst->params.advert_int_cs,
	    .auth_type = (uint8_t)c->auth_type,
	    .auth_pass = c->auth_pass,
	    .vips = inst->adv_vips,
	    .nvips = inst->n_adv_vips,
	};

	if (!inst->link)
		return;
	if (vrrp_instance_resolve_src(inst) < 0) {
		tx_failed(inst, NULL, "no source address on the interface yet");
		return;
	}
	p.src = inst->src;
	if (c->auth_type == VRRP_AUTH_AH) {
		/* keepalived: one number per advert (not per peer); the counter
		 * stops short of wrapping; IP id 0 would let the kernel pick. */
		if (inst->ah_seq < 0xfffffffeu)
			inst->ah_seq++;
		inst->ip_id = inst->ip_id == 0xffff ? 1 : inst->ip_id + 1;
	}
	if (!c->peers) {
		send_to(inst, &p, &c->mcast_dst);
		return;
	}
	for (const struct vrrp_peer_conf *peer = c->peers; peer; peer = peer->next)
		send_to(inst, &p, &peer->addr);
}

/* --- receiving -------------------------------------------------------- */

static void rx_drop_log(struct vrrp_instance *inst, const char *why, const struct vaddr *src)
{
	char buf[VADDR_STRLEN];
	uint64_t n;

	if (vrrp_ratelimit_ok(&inst->rl_rx, vrrp_now_us(), LOG_INTERVAL_US, &n))
		log_warn("(%s) dropped advert from %s: %s (%lu more drops not logged)",
			 inst->conf->name, vaddr_format(src, buf, sizeof(buf)), why, (unsigned long)n);
}

void vrrp_instance_on_bad_packet(struct vrrp_instance *inst, enum vrrp_pkt_err err,
				 const struct vaddr *src)
{
	if ((unsigned)err < VRRP_PKT_ERR_COUNT)
		inst->counters.rx_pkt_err[err]++;
	rx_drop_log(inst, vrrp_pkt_err_name(err), src);
}

static void drop(struct vrrp_instance *inst, enum vrrp_drop why, const struct vaddr *src,
		 bool quiet)
{
	inst->counters.rx_drop[why]++;
	if (!quiet)
		rx_drop_log(inst, drop_names[why], src);
}

static bool from_peer(const struct vrrp_instance_conf *c, const struct vaddr *src)
{
	for (const struct vrrp_peer_conf *p = c->peers; p; p = p->next)
		if (vaddr_equal(&p->addr, src))
			return true;
	return false;
}

/* We own the addresses (priority 255) and so does the sender. */
static void owner_conflict(struct vrrp_instance *inst, const struct vaddr *theirs)
{
	/* Time for a keepalived or vigil owner to give way: it does at its
	 * next advert, so four of our intervals are plenty. */
	uint64_t grace = 4 * (uint64_t)inst->params.advert_int_cs * CS_US;
	char buf[VADDR_STRLEN];

	vaddr_format(theirs, buf, sizeof(buf));
	switch (vrrp_owner_on_advert(&inst->owner, &inst->src, theirs, vrrp_now_us(), grace)) {
	case VRRP_OWNER_KEEP:
		log_warn("(%s) CONFIGURATION ERROR: %s is configured as address owner (priority "
			 "255) too, please fix - keeping 255 for now, our address is higher",
			 inst->conf->name, buf);
		break;
	case VRRP_OWNER_REDUCE:
		log_warn("(%s) CONFIGURATION ERROR: local instance and %s are both configured as "
			 "address owner (priority 255), please fix - reducing local priority to 254",
			 inst->conf->name, buf);
		inst->params.priority = vrrp_instance_effective_priority(inst);
		break;
	case VRRP_OWNER_NONE:
		break;
	}
}

void vrrp_instance_on_advert(struct vrrp_instance *inst, const struct vrrp_advert *a)
{
	const struct vrrp_instance_conf *c = inst->conf;
	const struct vrrp_pkt_expect e = {
	    .version = (uint8_t)c->version,
	    .advert_int_cs = inst->params.advert_int_cs,
	    .auth_type = (uint8_t)c->auth_type,
	    .auth_pass = c->auth_pass,
	    .vips = c->skip_check_adv_addr ? NULL : inst->adv_vips,
	    .nvips = inst->n_adv_vips,
	    .unicast = c->peers != NULL,
	};
	struct vrrp_event ev = {.type = VRRP_EV_ADVERT};
	enum vrrp_pkt_err err;
	enum vrrp_state prev;
	unsigned acts;
	char why[96], buf[VADDR_STRLEN];

	if (inst->src.family && vaddr_equal(&a->ip.src, &inst->src)) {
		drop(inst, VRRP_DROP_OWN, &a->ip.src, true);
		return;
	}
	if (a->family != c->family) {
		drop(inst, VRRP_DROP_WRONG_FAMILY, &a->ip.src, false);
		return;
	}
	err = vrrp_pkt_check(a, &e);
	if (err == VRRP_PKT_OK && a->ah) {
		/* keepalived's anti-replay: above the counter, which follows. */
		if (a->ah_seq <= inst->ah_seq)
			err = VRRP_PKT_AH_REPLAY;
		else
			inst->ah_seq = a->ah_seq;
	}
	if (err != VRRP_PKT_OK) {
		vrrp_instance_on_bad_packet(inst, err, &a->ip.src);
		return;
	}
	if (c->peers && c->check_unicast_src && !from_peer(c, &a->ip.src)) {
		drop(inst, VRRP_DROP_UNICAST_SRC, &a->ip.src, false);
		return;
	}
	if (inst->fsm.state != VRRP_STATE_BACKUP && inst->fsm.state != VRRP_STATE_MASTER) {
		drop(inst, VRRP_DROP_NOT_RUNNING, &a->ip.src, true);
		return;
	}
	inst->counters.rx_adverts++;
	if (!a->priority)
		inst->counters.rx_prio0++;
	if (c->priority == VRRP_PRIO_OWNER && a->priority == VRRP_PRIO_OWNER)
		owner_conflict(inst, &a->ip.src);
	ev.priority = a->priority;
	ev.advert_int_cs = a->advert_int_cs;
	ev.src = a->ip.src;
	prev = inst->fsm.state;
	acts = vrrp_fsm_step(&inst->fsm, &inst->params, &ev, vrrp_now_us());
	/* keepalived 2.2.7 (vrrp_state_master_rx()): a master hearing a lower
	 * AH advert goes on from the other's number + 1, so its next advert
	 * (+2) is above the counter of that lower master, which then accepts
	 * it instead of dropping it as a replay. Wraps as keepalived's does. */
	if ((acts & VRRP_ACT_RX_LOWER) && a->ah)
		inst->ah_seq = a->ah_seq + 1;
	if (acts & VRRP_ACT_STATE) /* the reason is only logged then */
		snprintf(why, sizeof(why), "advert from %s with priority %u",
			 vaddr_format(&a->ip.src, buf, sizeof(buf)), a->priority);
	vrrp_instance_run_actions(inst, acts, prev, (acts & VRRP_ACT_STATE) ? why : NULL);
	vrrp_instance_rearm(inst);
}
