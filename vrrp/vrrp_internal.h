/* What the files of vrrp/ share: the subsystem's context. Not for use
 * outside vrrp/. */
#ifndef VIGIL_VRRP_INTERNAL_H
#define VIGIL_VRRP_INTERNAL_H

#include <stdint.h>

#include <systemd/sd-event.h>

#include "parser/config.h"
#include "vrrp/notify_fifo.h"
#include "vrrp/static.h"
#include "vrrp/vmac_sysctl.h"
#include "vrrp/vrrp.h"

struct nl_sock;
struct script_runner;
struct vrrp_ifwatch;
struct vrrp_routewatch;
struct vrrp_block;
struct vrrp_link;
struct vrrp_sync;
struct vrrp_tracker;

struct vrrp {
	sd_event *event;
	struct vrrp_hooks hooks;
	struct nl_sock *nl; /* rtnetlink, for addresses; NULL when unavailable */
	int garp_fd;        /* AF_PACKET, -1 when unavailable */
	int ndisc_fd;       /* raw ICMPv6, -1 when unavailable */
	struct script_runner *scripts; /* notify scripts; NULL when unavailable */
	const struct global_conf *global; /* of the running configuration */
	struct vrrp_instance *instances;  /* in configuration order */
	struct vrrp_sync *syncs;          /* vrrp_sync_groups, in configuration order */
	struct vrrp_tracker *tracker;     /* of the running configuration */
	struct vrrp_fifos fifos;          /* notify_fifo, vrrp_notify_fifo */
	struct vrrp_link *links;
	/* vrrp_startup_delay: instances wait for this timer after the first
	 * configuration this process applies (keepalived: after it starts). */
	sd_event_source *startup_delay;
	bool configured; /* a configuration was applied */
	struct vrrp_static statics;       /* static_ipaddress/routes/rules */
	struct vrrp_vmac_sys vmac_sys;    /* sysctls the VMAC interfaces changed */
	struct vrrp_ifwatch *ifw; /* interfaces and addresses; NULL when unavailable */
	struct vrrp_routewatch *rtw; /* our routes deleted; NULL when unavailable */
	struct vrrp_block *block;         /* no_accept: NULL until an instance needs it */
};

/* CLOCK_MONOTONIC in microseconds, the clock of every deadline. */
uint64_t vrrp_now_us(void);

#endif
