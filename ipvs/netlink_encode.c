#include "build-config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs/netlink_encode.h"

/* The longest request: header, a full service (with a PE name) and a full
 * tunnel destination come to under 300 bytes. */
#define OP_MAX 512

void ipvs_nl_buf_free(struct ipvs_nl_buf *b)
{
	free(b->p);
	*b = (struct ipvs_nl_buf){ 0 };
}

static int reserve(struct ipvs_nl_buf *b, size_t need)
{
	size_t cap;
	uint8_t *p;

	if (b->cap - b->len >= need)
		return 0;
	cap = (b->cap ? b->cap * 2 : 65536) + need;
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

int ipvs_nl_buf_append(struct ipvs_nl_buf *b, const void *msg, size_t len)
{
	size_t total = NLMSG_ALIGN(len);

	if (reserve(b, total) < 0)
		return -ENOMEM;
	memcpy(b->p + b->len, msg, len);
	memset(b->p + b->len + len, 0, total - len);
	b->len += total;
	return 0;
}

/* Attributes are written at b->p + b->len, which reserve() made room for. */
static struct nlattr *attr_put(struct ipvs_nl_buf *b, uint16_t type, const void *data,
			       size_t len)
{
	struct nlattr *a = (struct nlattr *)(b->p + b->len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	memset((uint8_t *)a + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	b->len += total;
	return a;
}

static void put_u8(struct ipvs_nl_buf *b, uint16_t type, uint8_t v)
{
	attr_put(b, type, &v, sizeof(v));
}

static void put_u16(struct ipvs_nl_buf *b, uint16_t type, uint16_t v)
{
	attr_put(b, type, &v, sizeof(v));
}

static void put_u32(struct ipvs_nl_buf *b, uint16_t type, uint32_t v)
{
	attr_put(b, type, &v, sizeof(v));
}

static void put_string(struct ipvs_nl_buf *b, uint16_t type, const char *s, size_t max)
{
	attr_put(b, type, s, strnlen(s, max - 1) + 1);
}

static void put_addr(struct ipvs_nl_buf *b, uint16_t type, const struct vaddr *a)
{
	attr_put(b, type, &a->u, a->family == AF_INET6 ? 16 : 4);
}

/* A nest's length is fixed up when it ends; offsets survive nothing else
 * since reserve() is called once per request, before any of this. */
static size_t nest_start(struct ipvs_nl_buf *b, uint16_t type)
{
	size_t at = b->len;

	attr_put(b, type | NLA_F_NESTED, NULL, 0);
	return at;
}

static void nest_end(struct ipvs_nl_buf *b, size_t at)
{
	((struct nlattr *)(b->p + at))->nla_len = (uint16_t)(b->len - at);
}

static void put_service(struct ipvs_nl_buf *b, const struct ipvs_service *s, bool full)
{
	size_t nest = nest_start(b, IPVS_CMD_ATTR_SERVICE);
	const struct ipvs_service_key *k = &s->key;

	put_u16(b, IPVS_SVC_ATTR_AF, k->af);
	if (k->fwmark) {
		put_u32(b, IPVS_SVC_ATTR_FWMARK, k->fwmark);
	} else {
		put_u16(b, IPVS_SVC_ATTR_PROTOCOL, k->protocol);
		put_addr(b, IPVS_SVC_ATTR_ADDR, &k->addr);
		put_u16(b, IPVS_SVC_ATTR_PORT, htons(k->port));
	}
	if (full) {
		struct ip_vs_flags flags = { .flags = s->flags, .mask = ~0u };

		put_string(b, IPVS_SVC_ATTR_SCHED_NAME, s->sched, sizeof(s->sched));
		attr_put(b, IPVS_SVC_ATTR_FLAGS, &flags, sizeof(flags));
		put_u32(b, IPVS_SVC_ATTR_TIMEOUT, s->timeout);
		put_u32(b, IPVS_SVC_ATTR_NETMASK, s->netmask);
		if (s->pe[0])
			put_string(b, IPVS_SVC_ATTR_PE_NAME, s->pe, sizeof(s->pe));
	}
	nest_end(b, nest);
}

static void put_dest(struct ipvs_nl_buf *b, const struct ipvs_dest *d, bool full)
{
	size_t nest = nest_start(b, IPVS_CMD_ATTR_DEST);

	put_addr(b, IPVS_DEST_ATTR_ADDR, &d->addr);
	put_u16(b, IPVS_DEST_ATTR_PORT, htons(d->port));
	put_u16(b, IPVS_DEST_ATTR_ADDR_FAMILY, (uint16_t)d->addr.family);
	if (full) {
		put_u32(b, IPVS_DEST_ATTR_FWD_METHOD, d->fwd & IP_VS_CONN_F_FWD_MASK);
		put_u32(b, IPVS_DEST_ATTR_WEIGHT, (uint32_t)d->weight);
		put_u32(b, IPVS_DEST_ATTR_U_THRESH, d->u_threshold);
		put_u32(b, IPVS_DEST_ATTR_L_THRESH, d->l_threshold);
		if ((d->fwd & IP_VS_CONN_F_FWD_MASK) == IP_VS_CONN_F_TUNNEL) {
			put_u8(b, IPVS_DEST_ATTR_TUN_TYPE, d->tun_type);
			put_u16(b, IPVS_DEST_ATTR_TUN_PORT, htons(d->tun_port));
			put_u16(b, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags);
		}
	}
	nest_end(b, nest);
}

static const uint8_t op_cmd[] = {
	[IPVS_OP_DEL_DEST] = IPVS_CMD_DEL_DEST,	      [IPVS_OP_DEL_SERVICE] = IPVS_CMD_DEL_SERVICE,
	[IPVS_OP_ADD_SERVICE] = IPVS_CMD_NEW_SERVICE, [IPVS_OP_EDIT_SERVICE] = IPVS_CMD_SET_SERVICE,
	[IPVS_OP_ADD_DEST] = IPVS_CMD_NEW_DEST,	      [IPVS_OP_EDIT_DEST] = IPVS_CMD_SET_DEST,
};

uint8_t ipvs_nl_op_cmd(enum ipvs_op_type type)
{
	return (unsigned)type < sizeof(op_cmd) ? op_cmd[type] : 0;
}

/* Start a request at the end of @b: its headers, room for its attributes. */
static int request_start(struct ipvs_nl_buf *b, uint16_t family, uint32_t seq, uint16_t flags,
			 uint8_t cmd, size_t *start)
{
	struct nlmsghdr *h;
	struct genlmsghdr *g;

	if (reserve(b, OP_MAX) < 0)
		return -ENOMEM;
	*start = b->len;
	h = (struct nlmsghdr *)(b->p + b->len);
	*h = (struct nlmsghdr){ .nlmsg_type = family,
				.nlmsg_flags = (uint16_t)(flags | NLM_F_REQUEST),
				.nlmsg_seq = seq };
	g = (struct genlmsghdr *)(b->p + b->len + NLMSG_HDRLEN);
	*g = (struct genlmsghdr){ .cmd = cmd, .version = IPVS_GENL_VERSION };
	b->len += NLMSG_HDRLEN + GENL_HDRLEN;
	return 0;
}

static void request_end(struct ipvs_nl_buf *b, size_t start)
{
	((struct nlmsghdr *)(b->p + start))->nlmsg_len = (uint32_t)(b->len - start);
}

int ipvs_nl_encode_op(struct ipvs_nl_buf *b, uint16_t family, uint32_t seq, uint16_t flags,
		      const struct ipvs_op *op)
{
	bool dest = op->type == IPVS_OP_ADD_DEST || op->type == IPVS_OP_EDIT_DEST ||
		    op->type == IPVS_OP_DEL_DEST;
	bool full = op->type != IPVS_OP_DEL_DEST && op->type != IPVS_OP_DEL_SERVICE;
	size_t start;

	if (request_start(b, family, seq, flags, ipvs_nl_op_cmd(op->type), &start) < 0)
		return -ENOMEM;
	if (dest) {
		put_service(b, op->svc, false);
		put_dest(b, op->dest, full);
	} else {
		put_service(b, op->svc, full);
	}
	request_end(b, start);
	return 0;
}

int ipvs_nl_encode_service_key(struct ipvs_nl_buf *b, uint16_t family, uint32_t seq,
			       uint16_t flags, uint8_t cmd, const struct ipvs_service *svc)
{
	size_t start;

	if (request_start(b, family, seq, flags, cmd, &start) < 0)
		return -ENOMEM;
	put_service(b, svc, false);
	request_end(b, start);
	return 0;
}
