/* The LVS global settings as IPVS requests: connection timeouts and the
 * connection synchronisation daemon (keepalived.conf(5): lvs_timeouts,
 * lvs_sync_daemon). Pure: config and state in, what to ask the kernel out;
 * ipvs/netlink_daemon.c sends it.
 */
#ifndef VIGIL_IPVS_SYNCD_H
#define VIGIL_IPVS_SYNCD_H

#include <stdbool.h>
#include <stddef.h>

#include "ipvs/model.h"
#include "parser/conf_global.h"

/* The kernel's defaults for what a request leaves out. */
#define IPVS_SYNCD_DEFAULT_PORT 8848
#define IPVS_SYNCD_DEFAULT_TTL 1
#define IPVS_SYNCD_DEFAULT_GROUP 0xe0000051u /* 224.0.0.81, host order */

/* The timeouts the kernel should hold: each configured value, else the one
 * it had when vigild started (@original), as keepalived.conf(5) says: "not
 * setting a value leaves it unchanged from when keepalived started". */
struct ipvs_timeouts ipvs_timeouts_want(const struct global_lvs_timeouts *cfg,
					const struct ipvs_timeouts *original);

/* The daemons @cfg asks for: none without lvs_sync_daemon; with a VRRP
 * instance, one, master while the instance is MASTER and backup otherwise
 * (keepalived starts it as backup and switches on each transition);
 * without an instance, both (every node sends its connections and takes
 * the others'). Returns how many were written to @out. */
size_t ipvs_syncd_want(const struct global_lvs_syncd *cfg, bool instance_master,
		       struct ipvs_daemon out[2]);

/* Whether a running daemon @have is what @want asks for (fields @want
 * leaves at zero compare with the kernel's defaults; maxlen 0 takes any). */
bool ipvs_syncd_matches(const struct ipvs_daemon *want, const struct ipvs_daemon *have);

struct ipvs_syncd_plan {
	uint32_t stop[2]; /* states to stop, first */
	size_t nstop;
	struct ipvs_daemon start[2]; /* then these to start */
	size_t nstart;
};

/* From the running daemons @have to the wanted @want. A running daemon
 * that is not wanted is stopped only when it is ours (its state's bit in
 * @owned: we started or adopted it) or in the way of a wanted one. */
void ipvs_syncd_plan(const struct ipvs_daemon *want, size_t nwant, const struct ipvs_daemon *have,
		     size_t nhave, uint32_t owned, struct ipvs_syncd_plan *out);

#endif
