#include "build-config.h"

#include <errno.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs/netlink.h"
#include "ipvs/netlink_encode.h"
#include "ipvs/netlink_internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define RECV_BUF (1u << 20)
#define SOCK_BUF (8u << 20)

struct ipvs_nl {
	struct nl_sock *sk;
	int fd;
	int family;
	uint32_t seq;
	unsigned batch;
	uint8_t *rbuf; /* RECV_BUF bytes */
	struct ipvs_nl_buf out; /* batch being built */
};

int ipvs_nl_open(struct ipvs_nl **out)
{
	struct ipvs_nl *nl = calloc(1, sizeof(*nl));
	int one = 1, rc;

	*out = NULL;
	if (!nl)
		return -ENOMEM;
	nl->batch = 128;
	nl->rbuf = malloc(RECV_BUF);
	nl->sk = nl_socket_alloc();
	if (!nl->rbuf || !nl->sk) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = genl_connect(nl->sk);
	if (rc < 0) {
		rc = -ENOTCONN;
		goto fail;
	}
	nl->family = genl_ctrl_resolve(nl->sk, IPVS_GENL_NAME);
	if (nl->family < 0) {
		rc = -ENOENT;
		goto fail;
	}
	nl_socket_set_buffer_size(nl->sk, SOCK_BUF, SOCK_BUF);
	nl->fd = nl_socket_get_fd(nl->sk);
	/* Acks carry only the request's header, not its whole payload. */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->seq = 1;
	*out = nl;
	return 0;
fail:
	ipvs_nl_close(nl);
	return rc;
}

void ipvs_nl_close(struct ipvs_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		nl_socket_free(nl->sk);
	free(nl->rbuf);
	ipvs_nl_buf_free(&nl->out);
	free(nl);
}

void ipvs_nl_set_batch(struct ipvs_nl *nl, unsigned batch)
{
	nl->batch = batch ? batch : 1;
}

/* ---- requests ---- */

/* Append one request to the batch buffer, its attributes put by @build
 * (libnl: for the few requests outside ipvs_nl_apply()). */
static int batch_add_built(struct ipvs_nl *nl, uint8_t cmd, int flags, ipvs_nl_build_fn build,
			   const void *arg, uint32_t seq)
{
	struct nl_msg *m = nlmsg_alloc();
	int rc = -ENOMEM;

	if (!m)
		return -ENOMEM;
	if (!genlmsg_put(m, NL_AUTO_PORT, seq, nl->family, 0, flags | NLM_F_REQUEST, cmd,
			 IPVS_GENL_VERSION))
		goto out;
	rc = build ? build(m, arg) : 0;
	if (rc >= 0)
		rc = ipvs_nl_buf_append(&nl->out, nlmsg_hdr(m), nlmsg_hdr(m)->nlmsg_len);
	else
		rc = -EMSGSIZE;
out:
	nlmsg_free(m);
	return rc;
}

static int batch_send(struct ipvs_nl *nl)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n = sendto(nl->fd, nl->out.p, nl->out.len, 0, (struct sockaddr *)&kernel,
			   sizeof(kernel));

	nl->out.len = 0;
	return n < 0 ? -errno : 0;
}

/* Read one datagram and hand each netlink message in it to @fn, which
 * returns 0 to go on, 1 when the caller's exchange is complete, or a
 * negative errno. Returns the first non-zero answer, or 0. */
typedef int (*msg_fn)(const struct nlmsghdr *h, void *ctx);

static int recv_each(struct ipvs_nl *nl, msg_fn fn, void *ctx)
{
	struct nlmsghdr *h = (struct nlmsghdr *)nl->rbuf;
	ssize_t n;
	int len, rc;

	do
		n = recv(nl->fd, nl->rbuf, RECV_BUF, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (len = (int)n; NLMSG_OK(h, (unsigned)len); h = NLMSG_NEXT(h, len)) {
		rc = fn(h, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

/* Only the last request of a batch asks for an ack (NLM_F_ACK): the kernel
 * answers a request that succeeds with nothing and one that fails with an
 * error message carrying its sequence number, in order, so the last
 * request's answer (ack or error) ends the batch. This spares the kernel
 * an ack message, and us a recv(), per request. */
struct acks {
	uint32_t first;
	size_t count;
	int *errs;
	int failed;
};

static int on_ack(const struct nlmsghdr *h, void *ctx)
{
	struct acks *a = ctx;
	const struct nlmsgerr *e = NLMSG_DATA(h);
	uint32_t i = h->nlmsg_seq - a->first;

	if (h->nlmsg_type != NLMSG_ERROR || i >= a->count || h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return 0; /* not one of ours: ignore */
	if (e->error) {
		if (a->errs)
			a->errs[i] = e->error;
		a->failed++;
	}
	return i == a->count - 1;
}

/* Read answers until the last request in [first, first + count) has one. */
static int collect_acks(struct ipvs_nl *nl, uint32_t first, size_t count, int *errs, int *failed)
{
	struct acks a = { first, count, errs, 0 };
	int rc = 0;

	if (errs)
		memset(errs, 0, count * sizeof(*errs));
	while (!rc)
		rc = recv_each(nl, on_ack, &a);
	*failed += a.failed;
	return rc < 0 ? rc : 0;
}

int ipvs_nl_apply(struct ipvs_nl *nl, const struct ipvs_ops *ops, int *errs)
{
	int failed = 0, rc;

	for (size_t i = 0; i < ops->n; i += nl->batch) {
		size_t count = ops->n - i < nl->batch ? ops->n - i : nl->batch;
		uint32_t first = nl->seq;

		nl->seq += (uint32_t)count;
		for (size_t k = 0; k < count; k++) {
			rc = ipvs_nl_encode_op(&nl->out, (uint16_t)nl->family, first + (uint32_t)k,
					       k == count - 1 ? NLM_F_ACK : 0, &ops->v[i + k]);
			if (rc < 0) {
				nl->out.len = 0;
				return rc;
			}
		}
		rc = batch_send(nl);
		if (rc < 0)
			return rc;
		rc = collect_acks(nl, first, count, errs ? errs + i : NULL, &failed);
		if (rc < 0)
			return rc;
	}
	return failed;
}

int ipvs_nl_request(struct ipvs_nl *nl, uint8_t cmd, ipvs_nl_build_fn build, const void *arg)
{
	uint32_t seq = nl->seq++;
	int err = 0, failed = 0, rc;

	rc = batch_add_built(nl, cmd, NLM_F_ACK, build, arg, seq);
	rc = rc ?: batch_send(nl);
	rc = rc ?: collect_acks(nl, seq, 1, &err, &failed);
	return rc ?: err;
}

int ipvs_nl_flush(struct ipvs_nl *nl)
{
	return ipvs_nl_request(nl, IPVS_CMD_FLUSH, NULL, NULL);
}

/* ---- dumps ---- */

typedef ipvs_nl_reply_fn dump_fn;

struct replies {
	uint32_t seq;
	dump_fn fn;
	void *data;
};

static int on_reply(const struct nlmsghdr *h, void *ctx)
{
	struct replies *r = ctx;
	struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];

	if (h->nlmsg_seq != r->seq)
		return 0;
	if (h->nlmsg_type == NLMSG_DONE)
		return 1;
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);

		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return -EPROTO;
		return e->error ? e->error : 1; /* an ack: done */
	}
	if (genlmsg_parse((struct nlmsghdr *)h, 0, tb, IPVS_CMD_ATTR_MAX, NULL) < 0)
		return -EPROTO;
	return r->fn(tb, r->data);
}

/* Send one request and hand each reply with its sequence number to @fn,
 * until NLMSG_DONE or the ack (@flags: NLM_F_DUMP or NLM_F_ACK). */
static int exchange(struct ipvs_nl *nl, uint8_t cmd, int flags, ipvs_nl_build_fn build,
		    const void *arg, dump_fn fn, void *data)
{
	struct replies r = { nl->seq++, fn, data };
	int rc;

	rc = batch_add_built(nl, cmd, flags, build, arg, r.seq);
	rc = rc ?: batch_send(nl);
	while (!rc)
		rc = recv_each(nl, on_reply, &r);
	return rc < 0 ? rc : 0;
}

int ipvs_nl_query(struct ipvs_nl *nl, uint8_t cmd, bool dump_all, ipvs_nl_build_fn build,
		  const void *arg, ipvs_nl_reply_fn fn, void *data)
{
	return exchange(nl, cmd, dump_all ? NLM_F_DUMP : NLM_F_ACK, build, arg, fn, data);
}

/* A dump of @cmd, naming @svc's service when not NULL. */
static int dump(struct ipvs_nl *nl, uint8_t cmd, const struct ipvs_service *svc, dump_fn fn,
		void *data)
{
	struct replies r = { nl->seq++, fn, data };
	int rc;

	if (svc)
		rc = ipvs_nl_encode_service_key(&nl->out, (uint16_t)nl->family, r.seq, NLM_F_DUMP,
						cmd, svc);
	else
		rc = batch_add_built(nl, cmd, NLM_F_DUMP, NULL, NULL, r.seq);
	rc = rc ?: batch_send(nl);
	while (!rc)
		rc = recv_each(nl, on_reply, &r);
	return rc < 0 ? rc : 0;
}

static int get_addr(struct nlattr *a, int family, struct vaddr *out)
{
	size_t need = family == AF_INET6 ? 16 : 4;

	if (!a || (size_t)nla_len(a) < need || (family != AF_INET && family != AF_INET6))
		return -EPROTO;
	memset(out, 0, sizeof(*out));
	out->family = family;
	memcpy(&out->u, nla_data(a), need);
	return 0;
}

static void get_stats(struct nlattr *a, struct ipvs_stats *st)
{
	struct nlattr *tb[IPVS_STATS_ATTR_MAX + 1];

	if (!a || nla_parse_nested(tb, IPVS_STATS_ATTR_MAX, a, NULL) < 0)
		return;
#define STAT(attr, field)                                                         \
	if (tb[attr])                                                             \
		st->field = nla_len(tb[attr]) == 8 ? nla_get_u64(tb[attr]) : nla_get_u32(tb[attr]);
	STAT(IPVS_STATS_ATTR_CONNS, conns)
	STAT(IPVS_STATS_ATTR_INPKTS, inpkts)
	STAT(IPVS_STATS_ATTR_OUTPKTS, outpkts)
	STAT(IPVS_STATS_ATTR_INBYTES, inbytes)
	STAT(IPVS_STATS_ATTR_OUTBYTES, outbytes)
#undef STAT
}

static uint32_t u32_or0(struct nlattr *a)
{
	return a && nla_len(a) >= 4 ? nla_get_u32(a) : 0;
}

static uint16_t u16_or0(struct nlattr *a)
{
	return a && nla_len(a) >= 2 ? nla_get_u16(a) : 0;
}

static int parse_service(struct nlattr *nest, struct ipvs_service *s)
{
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (!nest || nla_parse_nested(tb, IPVS_SVC_ATTR_MAX, nest, NULL) < 0 || !tb[IPVS_SVC_ATTR_AF])
		return -EPROTO;
	s->key.af = u16_or0(tb[IPVS_SVC_ATTR_AF]);
	s->key.fwmark = u32_or0(tb[IPVS_SVC_ATTR_FWMARK]);
	if (!s->key.fwmark) {
		if (get_addr(tb[IPVS_SVC_ATTR_ADDR], s->key.af, &s->key.addr) < 0)
			return -EPROTO;
		s->key.protocol = u16_or0(tb[IPVS_SVC_ATTR_PROTOCOL]);
		s->key.port = ntohs(u16_or0(tb[IPVS_SVC_ATTR_PORT]));
	}
	if (tb[IPVS_SVC_ATTR_SCHED_NAME])
		nla_strlcpy(s->sched, tb[IPVS_SVC_ATTR_SCHED_NAME], sizeof(s->sched));
	if (tb[IPVS_SVC_ATTR_PE_NAME])
		nla_strlcpy(s->pe, tb[IPVS_SVC_ATTR_PE_NAME], sizeof(s->pe));
	if (tb[IPVS_SVC_ATTR_FLAGS] && nla_len(tb[IPVS_SVC_ATTR_FLAGS]) >= (int)sizeof(struct ip_vs_flags))
		s->flags = ((struct ip_vs_flags *)nla_data(tb[IPVS_SVC_ATTR_FLAGS]))->flags;
	s->timeout = u32_or0(tb[IPVS_SVC_ATTR_TIMEOUT]);
	s->netmask = u32_or0(tb[IPVS_SVC_ATTR_NETMASK]);
	get_stats(tb[IPVS_SVC_ATTR_STATS64] ? tb[IPVS_SVC_ATTR_STATS64] : tb[IPVS_SVC_ATTR_STATS],
		  &s->stats);
	return 0;
}

static int parse_dest(struct nlattr *nest, int svc_af, struct ipvs_dest *d)
{
	struct nlattr *tb[IPVS_DEST_ATTR_MAX + 1];
	int af;

	memset(d, 0, sizeof(*d));
	if (!nest || nla_parse_nested(tb, IPVS_DEST_ATTR_MAX, nest, NULL) < 0)
		return -EPROTO;
	af = tb[IPVS_DEST_ATTR_ADDR_FAMILY] ? u16_or0(tb[IPVS_DEST_ATTR_ADDR_FAMILY]) : svc_af;
	if (get_addr(tb[IPVS_DEST_ATTR_ADDR], af, &d->addr) < 0)
		return -EPROTO;
	d->af = (uint16_t)af;
	d->port = ntohs(u16_or0(tb[IPVS_DEST_ATTR_PORT]));
	d->fwd = u32_or0(tb[IPVS_DEST_ATTR_FWD_METHOD]);
	d->weight = (int32_t)u32_or0(tb[IPVS_DEST_ATTR_WEIGHT]);
	d->u_threshold = u32_or0(tb[IPVS_DEST_ATTR_U_THRESH]);
	d->l_threshold = u32_or0(tb[IPVS_DEST_ATTR_L_THRESH]);
	d->active_conns = u32_or0(tb[IPVS_DEST_ATTR_ACTIVE_CONNS]);
	d->inactive_conns = u32_or0(tb[IPVS_DEST_ATTR_INACT_CONNS]);
	if (tb[IPVS_DEST_ATTR_TUN_TYPE])
		d->tun_type = nla_get_u8(tb[IPVS_DEST_ATTR_TUN_TYPE]);
	d->tun_port = ntohs(u16_or0(tb[IPVS_DEST_ATTR_TUN_PORT]));
	d->tun_flags = u16_or0(tb[IPVS_DEST_ATTR_TUN_FLAGS]);
	get_stats(tb[IPVS_DEST_ATTR_STATS64] ? tb[IPVS_DEST_ATTR_STATS64] : tb[IPVS_DEST_ATTR_STATS],
		  &d->stats);
	return 0;
}

struct vec {
	void *v;
	size_t n, cap, size;
};

static void *vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = realloc(v->v, cap * v->size);

		if (!p)
			return NULL;
		v->v = p;
		v->cap = cap;
	}
	return (char *)v->v + v->size * v->n++;
}

static int on_service(struct nlattr **tb, void *data)
{
	struct ipvs_service *s = vec_push(data);

	return s ? parse_service(tb[IPVS_CMD_ATTR_SERVICE], s) : -ENOMEM;
}

struct dest_ctx {
	struct vec v;
	int af;
};

static int on_dest(struct nlattr **tb, void *data)
{
	struct dest_ctx *c = data;
	struct ipvs_dest *d = vec_push(&c->v);

	return d ? parse_dest(tb[IPVS_CMD_ATTR_DEST], c->af, d) : -ENOMEM;
}

int ipvs_nl_dump(struct ipvs_nl *nl, struct ipvs_table *out)
{
	struct vec svcs = { .size = sizeof(struct ipvs_service) };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = dump(nl, IPVS_CMD_GET_SERVICE, NULL, on_service, &svcs);
	out->services = svcs.v;
	out->nservices = svcs.n;
	for (size_t i = 0; !rc && i < out->nservices; i++) {
		struct ipvs_service *s = &out->services[i];
		struct dest_ctx c = { .v = { .size = sizeof(struct ipvs_dest) }, .af = s->key.af };

		rc = dump(nl, IPVS_CMD_GET_DEST, s, on_dest, &c);
		s->dests = c.v.v;
		s->ndests = c.v.n;
	}
	if (rc)
		ipvs_table_free(out);
	return rc;
}
