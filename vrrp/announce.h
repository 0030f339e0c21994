/* Announcing a master's addresses: gratuitous ARP (IPv4) and unsolicited
 * neighbour advertisements (IPv6) for every VIP and excluded VIP, in
 * bursts: garp_master_repeat rounds on becoming master, the same again
 * garp_master_delay later, and garp_master_refresh_repeat rounds every
 * garp_master_refresh while master; rounds are spaced by the global
 * vrrp_garp_interval / vrrp_gna_interval (back to back when 0).
 * garp_extra_if all N (keepalived 2.2.7; vmac_garp_intvl is its old
 * name): every N seconds while master, one GARP/NA on each interface other
 * than the instance's own that carries one of its VIPs, whose MAC adverts
 * do not keep fresh in switches' tables.
 */
#ifndef VIGIL_VRRP_ANNOUNCE_H
#define VIGIL_VRRP_ANNOUNCE_H

#include <stdbool.h>
#include <stdint.h>

#include <systemd/sd-event.h>

#include "parser/conf_addr.h"

struct vrrp_instance;
struct vrrp_instance_conf;

struct vrrp_announce_added {
	const struct vrrp_addr_conf *a;
	uint64_t at;
};

struct vrrp_announce {
	sd_event_source *timer;
	unsigned rounds_left; /* of the burst in progress */
	uint64_t round_at;    /* its next round; 0 = none */
	uint64_t delayed_at;  /* the garp_master_delay burst; 0 = none */
	uint64_t refresh_at;  /* the next refresh burst; 0 = none */
	/* VIPs reloads added while master, each announced again at its own
	 * time (garp_master_delay after the reload that added it); they
	 * point into the running configuration, and a newer one takes over
	 * those it still has (vrrp_announce_rebase_added()). */
	struct vrrp_announce_added *added;
	unsigned n_added, cap_added;
	uint64_t added_at;    /* the earliest of them; 0 = none */
	uint64_t lower_at;    /* the garp_lower_prio_delay burst; 0 = none */
	uint64_t extra_at;    /* the next garp_extra_if round; 0 = none */
	uint64_t sent;        /* GARPs and NAs sent */
	uint64_t errors;
};

/* @inst became master with its VIPs in place: start the bursts. */
void vrrp_announce_begin(struct vrrp_instance *inst);

/* @inst left master (or stops): no more announcements. */
void vrrp_announce_end(struct vrrp_instance *inst);

/* The master heard a lower-priority advert (keepalived): a burst of
 * garp_lower_prio_repeat rounds now, and another garp_lower_prio_delay
 * later; nothing when the repeat is 0. */
void vrrp_announce_lower_prio(struct vrrp_instance *inst);

/* Announce the one address @a (a VIP a reload added while master) now,
 * garp_master_repeat times, and again garp_master_delay later (keepalived
 * 2.3.2: "On reload with addresses added to VRRP instance send 2nd
 * GARPs"). @a belongs to the instance's configuration. */
void vrrp_announce_addr(struct vrrp_instance *inst, const struct vrrp_addr_conf *a);

/* The configuration @next replaces the running one (a reload keeping the
 * instance): the added addresses it still has (in its VIPs or excluded
 * VIPs) keep their second burst, now pointing into @next; the others are
 * forgotten. So two reloads in quick succession lose neither reload's
 * second burst. A master whose garp_extra_if changed starts over with the
 * new interval. */
void vrrp_announce_reconfigure(struct vrrp_instance *inst,
				const struct vrrp_instance_conf *next);

/* Release the timer (the instance is freed). */
void vrrp_announce_free(struct vrrp_announce *an);

#endif
