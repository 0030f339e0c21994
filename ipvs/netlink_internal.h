/* What ipvs/netlink.c shares with the other files that speak IPVS netlink
 * (netlink_daemon.c): one request, one query. Private to ipvs/. */
#ifndef VIGIL_IPVS_NETLINK_INTERNAL_H
#define VIGIL_IPVS_NETLINK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "ipvs/netlink.h"

/* Put a request's attributes into @m; a negative errno aborts it. */
typedef int (*ipvs_nl_build_fn)(struct nl_msg *m, const void *arg);
/* One reply, its top-level attributes parsed (IPVS_CMD_ATTR_*); non-zero
 * stops the exchange and is returned. */
typedef int (*ipvs_nl_reply_fn)(struct nlattr **cmd_attrs, void *data);

/* Send @cmd with NLM_F_ACK and wait for its ack: 0 or the kernel's
 * negative errno. @build may be NULL (no attributes). */
int ipvs_nl_request(struct ipvs_nl *nl, uint8_t cmd, ipvs_nl_build_fn build, const void *arg);

/* Send @cmd (a dump with @dump_all, else one request answered by one
 * reply and an ack) and hand each reply to @fn. */
int ipvs_nl_query(struct ipvs_nl *nl, uint8_t cmd, bool dump_all, ipvs_nl_build_fn build,
		  const void *arg, ipvs_nl_reply_fn fn, void *data);

#endif
