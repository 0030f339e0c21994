/* Which addresses are on a local interface, kept current from rtnetlink
 * (RTM_NEWADDR/RTM_DELADDR). For ha_suspend: keepalived suspends a virtual
 * server's health checks while its address is not on a local interface.
 *
 * Each notification triggers one re-read of the address list (addresses
 * change rarely; a re-read cannot drift from the kernel as counting
 * events could), then one call of @changed.
 */
#ifndef VIGIL_IPVS_LOCAL_ADDRS_H
#define VIGIL_IPVS_LOCAL_ADDRS_H

#include <stdbool.h>

#include <systemd/sd-event.h>

#include "lib/addr.h"

struct local_addrs;

/* Start watching on @ev; @changed (may be NULL) runs after each change.
 * 0, or a negative errno. */
int local_addrs_new(sd_event *ev, void (*changed)(void *data), void *data,
		    struct local_addrs **out);
void local_addrs_free(struct local_addrs *la);

/* Whether @a is on a local interface now. */
bool local_addrs_has(const struct local_addrs *la, const struct vaddr *a);

/* Whether some address from @first to @last (same family, inclusive) is on
 * a local interface now. */
bool local_addrs_any_in(const struct local_addrs *la, const struct vaddr *first,
			const struct vaddr *last);

#endif
