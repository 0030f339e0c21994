/* Two routers both claiming to own the addresses (RFC 9568 §8.3.2: only
 * one router SHOULD be configured with priority 255), handled as
 * keepalived 2.3.3 does (the case behind RFC 9568 erratum 8298):
 *
 * - an address owner that hears a priority-255 advert from a router with
 *   a higher primary address lowers its own priority to 254 at once, and
 *   so becomes (or stays) backup;
 * - one with the higher address keeps 255, expecting the other to give
 *   way; if the other still advertises 255 after @grace (it will not
 *   lower its priority: not keepalived, or RFC-strict), it lowers its own;
 * - a lowered owner goes back to 255 once the other is gone (its
 *   Master_Down_Timer expired).
 *
 * Pure: the caller feeds adverts and the time, and logs.
 */
#ifndef VIGIL_VRRP_OWNER_H
#define VIGIL_VRRP_OWNER_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"

struct vrrp_owner_conflict {
	bool reduced;      /* we advertise 254 until the other owner is gone */
	uint64_t first_us; /* first 255 advert of the conflict; 0 = none */
	uint64_t last_us;  /* the latest one */
};

enum vrrp_owner_act {
	VRRP_OWNER_NONE,   /* nothing new to do or say */
	VRRP_OWNER_KEEP,   /* a conflict starts; we keep 255 for now */
	VRRP_OWNER_REDUCE, /* lower our priority to 254 now */
};

/* An advert of priority 255 from @theirs reached an instance configured
 * with priority 255 whose primary address is @ours, at @now_us. A silence
 * longer than @grace_us ends a conflict. */
enum vrrp_owner_act vrrp_owner_on_advert(struct vrrp_owner_conflict *c, const struct vaddr *ours,
					 const struct vaddr *theirs, uint64_t now_us,
					 uint64_t grace_us);

/* The other owner is gone: back to 255. Returns whether we were lowered. */
bool vrrp_owner_restore(struct vrrp_owner_conflict *c);

#endif
