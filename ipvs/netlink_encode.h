/* IPVS requests encoded straight into a send buffer: one generic netlink
 * message per operation, with no allocation per request (libnl's nl_msg
 * costs a zeroed page each). Pure: no socket; ipvs/netlink.c sends them.
 */
#ifndef VIGIL_IPVS_NETLINK_ENCODE_H
#define VIGIL_IPVS_NETLINK_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "ipvs/diff.h"

/* A growing byte buffer of netlink messages, each NLMSG_ALIGNed. */
struct ipvs_nl_buf {
	uint8_t *p;
	size_t len, cap;
};

void ipvs_nl_buf_free(struct ipvs_nl_buf *b);

/* Append one ready netlink message of @len bytes (padded to NLMSG_ALIGN).
 * 0, or -ENOMEM. */
int ipvs_nl_buf_append(struct ipvs_nl_buf *b, const void *msg, size_t len);

/* The command an operation is sent as (IPVS_CMD_NEW_DEST, ...). */
uint8_t ipvs_nl_op_cmd(enum ipvs_op_type type);

/* Append @op as one request of generic netlink family @family with
 * sequence number @seq and @flags (NLM_F_REQUEST is added): the service
 * (its key only for destination operations and deletions), then the
 * destination (its key only for a deletion). 0, or -ENOMEM. */
int ipvs_nl_encode_op(struct ipvs_nl_buf *b, uint16_t family, uint32_t seq, uint16_t flags,
		      const struct ipvs_op *op);

/* Append a request @cmd whose only attribute is @svc's key (a destination
 * dump names its service so). 0, or -ENOMEM. */
int ipvs_nl_encode_service_key(struct ipvs_nl_buf *b, uint16_t family, uint32_t seq,
			       uint16_t flags, uint8_t cmd, const struct ipvs_service *svc);

#endif
