/* An instance's effective priority and fault state from the states of what
 * it tracks, as keepalived computes them (keepalived.conf(5), "VRRP
 * script(s)", "Track files", "VRRP track processes", track_interface).
 * Pure: no I/O, no clock; the runtime (vrrp/track*.c) feeds it states.
 *
 * For an item that is up or down (interface, script, process):
 *  - weight 0: the instance is in FAULT while the item is down, or, with
 *    "reverse", while it is up;
 *  - weight W > 0: +W while up (-W with reverse), nothing while down;
 *  - weight W < 0: W while down (-W with reverse), nothing while up.
 * For a track_file holding the value V:
 *  - weight 0: FAULT when V != 0 (with reverse: when V == 0);
 *  - weight W: V × W (× -1 with reverse) clamped to 253; -254 or less is
 *    FAULT.
 * The priority is the base priority plus every contribution, clamped to
 * 1..254; an address owner (base 255) keeps 255 whatever the weights
 * (faults still apply).
 */
#ifndef VIGIL_VRRP_PRIO_H
#define VIGIL_VRRP_PRIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parser/conf_vrrp.h"

enum vrrp_track_state {
	VRRP_TRACK_UNKNOWN,  /* no result yet (a script that has not run) */
	VRRP_TRACK_UP,
	VRRP_TRACK_DOWN,
	VRRP_TRACK_DISABLED, /* refused (insecure script ...): not tracked */
};

struct vrrp_prio_item {
	enum vrrp_track_kind kind;
	int32_t weight;
	bool reverse;
	enum vrrp_track_state state; /* interfaces, scripts, processes */
	int64_t value;		     /* track_file: the value read */
};

struct vrrp_prio_result {
	uint8_t priority;  /* effective priority, 1..254 or 255 */
	int32_t total;	   /* base + contributions, unclamped */
	int32_t offset;	   /* total - base: vrrp_instance_set_priority_offset() */
	unsigned n_fault;  /* items holding the instance in FAULT */
	unsigned n_unknown; /* weight-0 scripts without a result yet: keepalived
			     * keeps the instance in INIT until they report */
	bool fault;
};

/* What one item adds to the priority; sets *@fault when it holds the
 * instance in FAULT, *@unknown when it has no verdict yet. */
int32_t vrrp_prio_item_contribution(const struct vrrp_prio_item *it, bool *fault, bool *unknown);

/* Combine @n items over @base (1..255). */
struct vrrp_prio_result vrrp_prio_compute(uint8_t base, const struct vrrp_prio_item *items,
					  size_t n);

/* The same one item at a time: init, add each, finish. */
void vrrp_prio_init(struct vrrp_prio_result *r, uint8_t base);
void vrrp_prio_add(struct vrrp_prio_result *r, const struct vrrp_prio_item *it);
void vrrp_prio_finish(struct vrrp_prio_result *r, uint8_t base);

/* A vrrp_script's rise/fall counter, keepalived's way: the first result
 * decides (unless init_fail, which starts it down); afterwards it takes
 * @rise consecutive successes to go up and @fall consecutive failures to go
 * down. */
struct vrrp_script_counter {
	uint32_t rise, fall;
	uint32_t count; /* 0 .. rise + fall - 1; up when >= rise */
	enum vrrp_track_state state;
};

void vrrp_script_counter_init(struct vrrp_script_counter *c, uint32_t rise, uint32_t fall,
			      bool init_fail);
/* Feed one result; returns true when the state changed. */
bool vrrp_script_counter_feed(struct vrrp_script_counter *c, bool success);

/* keepalived clamps a track_file's value to -254..254 and reads anything
 * unparsable (or a missing file) as 0. */
int64_t vrrp_track_file_parse(const char *text);

/* Whether a process count meets quorum..quorum_max. */
bool vrrp_process_quorum(uint32_t count, uint32_t quorum, uint32_t quorum_max);

#endif
