#include "build-config.h"

#include <errno.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs/desired.h"

static struct ipvs_rs_status rs_status(const struct lvs_virtual_server *vs,
				       const struct lvs_real_server *rs,
				       const struct ipvs_desired_source *src)
{
	if (src && src->rs_status)
		return src->rs_status(vs, rs, src->data);
	/* keepalived starts real servers up, unless alpha says "prove it first". */
	return (struct ipvs_rs_status){ .up = !rs->alpha, .weight = rs->weight };
}

uint64_t ipvs_desired_weight_up(const struct lvs_virtual_server *vs,
				const struct ipvs_desired_source *src)
{
	uint64_t sum = 0;

	for (const struct lvs_real_server *rs = vs->real_servers; rs; rs = rs->next) {
		struct ipvs_rs_status st = rs_status(vs, rs, src);

		if (st.up)
			sum += st.weight;
	}
	return sum;
}

bool ipvs_quorum_next(const struct lvs_virtual_server *vs, uint64_t weight_up, bool was_up)
{
	uint64_t q = vs->quorum, h = vs->hysteresis;

	if (was_up)
		return weight_up && weight_up >= q - h; /* hysteresis < quorum by validation */
	return weight_up >= q + h;
}

enum ipvs_quorum_start ipvs_quorum_start(const struct lvs_virtual_server *vs, uint64_t weight_up)
{
	if (ipvs_quorum_next(vs, weight_up, false))
		return IPVS_QUORUM_START_UP;
	return vs->sorry_server ? IPVS_QUORUM_START_DOWN_SORRY : IPVS_QUORUM_START_DOWN;
}

static uint32_t fwd_flags(const struct lvs_forwarding *f)
{
	switch (f->method) {
	case LVS_FWD_DR:
		return IP_VS_CONN_F_DROUTE;
	case LVS_FWD_TUN:
		return IP_VS_CONN_F_TUNNEL;
	default:
		return IP_VS_CONN_F_MASQ;
	}
}

static void fill_dest(struct ipvs_dest *d, const struct lvs_real_server *rs, uint32_t weight)
{
	static const uint8_t tun_types[] = {
		[LVS_TUN_IPIP] = IP_VS_CONN_F_TUNNEL_TYPE_IPIP,
		[LVS_TUN_GUE] = IP_VS_CONN_F_TUNNEL_TYPE_GUE,
		[LVS_TUN_GRE] = IP_VS_CONN_F_TUNNEL_TYPE_GRE,
	};
	static const uint16_t tun_csum[] = {
		[LVS_TUN_NOCSUM] = IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM,
		[LVS_TUN_CSUM] = IP_VS_TUNNEL_ENCAP_FLAG_CSUM,
		[LVS_TUN_REMCSUM] = IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM,
	};

	memset(d, 0, sizeof(*d));
	d->addr = rs->addr;
	d->af = (uint16_t)rs->addr.family;
	d->port = rs->port;
	d->fwd = fwd_flags(&rs->fwd);
	d->weight = (int32_t)weight;
	d->u_threshold = rs->uthreshold;
	d->l_threshold = rs->lthreshold;
	if (rs->fwd.method == LVS_FWD_TUN) {
		d->tun_type = tun_types[rs->fwd.tun_type];
		d->tun_port = rs->fwd.tun_port;
		d->tun_flags = rs->fwd.tun_type == LVS_TUN_IPIP ? 0 : tun_csum[rs->fwd.tun_csum];
	}
}

/* The destinations of @vs: live real servers (down ones at weight 0 when
 * inhibited), or, without quorum, the sorry server in their place. */
static int build_dests(const struct lvs_virtual_server *vs, const struct ipvs_desired_source *src,
		       struct ipvs_dest **out, size_t *n)
{
	const struct lvs_real_server *sorry = vs->sorry_server;
	bool quorum = src && src->quorum_up
			      ? src->quorum_up(vs, src->data)
			      : ipvs_quorum_next(vs, ipvs_desired_weight_up(vs, src), false);
	bool use_sorry = sorry && !quorum;
	struct ipvs_dest *d = calloc(vs->n_real_servers + 1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	*n = 0;
	for (const struct lvs_real_server *rs = vs->real_servers; rs; rs = rs->next) {
		struct ipvs_rs_status st = rs_status(vs, rs, src);

		/* keepalived: losing quorum with a sorry server withdraws the live real servers */
		if (st.up && !use_sorry)
			fill_dest(&d[(*n)++], rs, st.weight);
		else if (rs->inhibit_on_failure)
			fill_dest(&d[(*n)++], rs, 0);
	}
	if (use_sorry)
		fill_dest(&d[(*n)++], sorry, sorry->weight);
	else if (sorry && sorry->inhibit_on_failure)
		fill_dest(&d[(*n)++], sorry, 0); /* sorry_server_inhibit */
	*out = d;
	return 0;
}

static uint16_t proto_num(enum lvs_protocol p)
{
	switch (p) {
	case LVS_PROTO_TCP:
		return IPPROTO_TCP;
	case LVS_PROTO_UDP:
		return IPPROTO_UDP;
	case LVS_PROTO_SCTP:
		return IPPROTO_SCTP;
	default:
		return 0;
	}
}

static void fill_service(struct ipvs_service *s, const struct lvs_virtual_server *vs)
{
	memset(s, 0, sizeof(*s));
	strncpy(s->sched, vs->sched ? vs->sched : "wlc", sizeof(s->sched) - 1);
	if (vs->persistence_engine)
		strncpy(s->pe, vs->persistence_engine, sizeof(s->pe) - 1);
	if (vs->persistence_timeout)
		s->flags |= IP_VS_SVC_F_PERSISTENT;
	if (vs->one_packet)
		s->flags |= IP_VS_SVC_F_ONEPACKET;
	if (vs->sched_flags & LVS_SCHED_FLAG_1)
		s->flags |= IP_VS_SVC_F_SCHED1;
	if (vs->sched_flags & LVS_SCHED_FLAG_2)
		s->flags |= IP_VS_SVC_F_SCHED2;
	if (vs->sched_flags & LVS_SCHED_FLAG_3)
		s->flags |= IP_VS_SVC_F_SCHED3;
	s->timeout = vs->persistence_timeout;
	/* The kernel reads IPv4 masks in network order and IPv6 ones as a
	 * prefix length; unset means "whole address", as ipvsadm sends. */
	s->netmask = vs->persistence_granularity
			     ? vs->persistence_granularity
			     : (vs->family == AF_INET6 ? 128 : 0xffffffffu);
}

struct svc_vec {
	struct ipvs_service *v;
	size_t n, cap;
};

static struct ipvs_service *svc_push(struct svc_vec *sv)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 64;
		struct ipvs_service *v = realloc(sv->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		sv->v = v;
		sv->cap = cap;
	}
	return &sv->v[sv->n++];
}

/* Each service owns its destination array (ipvs_table_free frees them), so
 * group members get copies. */
static int add_service(struct svc_vec *sv, const struct lvs_virtual_server *vs,
		       const struct ipvs_service_key *key, const struct ipvs_dest *dests, size_t n)
{
	struct ipvs_service *s = svc_push(sv);

	if (!s)
		return -ENOMEM;
	fill_service(s, vs);
	s->key = *key;
	s->dests = malloc((n ? n : 1) * sizeof(*dests));
	if (!s->dests) {
		sv->n--;
		return -ENOMEM;
	}
	memcpy(s->dests, dests, n * sizeof(*dests));
	s->ndests = n;
	return 0;
}

/* Next address of a range; false past @end. Ranges vary the last byte
 * (IPv4) or the last 16-bit group (IPv6), as keepalived's groups do. */
static bool addr_next(struct vaddr *a, const struct vaddr *end)
{
	if (a->family == AF_INET) {
		uint32_t v = ntohl(a->u.v4.s_addr);

		if (v >= ntohl(end->u.v4.s_addr))
			return false;
		a->u.v4.s_addr = htonl(v + 1);
		return true;
	}
	uint16_t v = (uint16_t)(a->u.v6.s6_addr[14] << 8 | a->u.v6.s6_addr[15]);
	uint16_t e = (uint16_t)(end->u.v6.s6_addr[14] << 8 | end->u.v6.s6_addr[15]);

	if (v >= e)
		return false;
	v++;
	a->u.v6.s6_addr[14] = (uint8_t)(v >> 8);
	a->u.v6.s6_addr[15] = (uint8_t)v;
	return true;
}

static int add_group(struct svc_vec *sv, const struct lvs_virtual_server *vs,
		     const struct ipvs_dest *d, size_t n)
{
	const struct lvs_vs_group *g = vs->group;
	int rc = 0;

	for (const struct lvs_vsg_entry *e = g->ranges; !rc && e; e = e->next) {
		struct ipvs_service_key k = { .af = (uint16_t)e->start.family,
					      .protocol = proto_num(vs->protocol),
					      .addr = e->start,
					      .port = e->port ? e->port : vs->port };

		if (e->start.family != vs->family)
			continue; /* a group may hold both families; the VS takes its own */
		do
			rc = add_service(sv, vs, &k, d, n);
		while (!rc && addr_next(&k.addr, &e->end));
	}
	for (const struct lvs_vsg_entry *e = g->fwmarks; !rc && e; e = e->next) {
		struct ipvs_service_key k = { .af = (uint16_t)vs->family, .fwmark = e->fwmark };

		if (e->fwmark_family && e->fwmark_family != vs->family)
			continue;
		rc = add_service(sv, vs, &k, d, n);
	}
	return rc;
}

int ipvs_desired_build(const struct lvs_conf *conf, const struct ipvs_desired_source *src,
		       struct ipvs_table *out)
{
	struct svc_vec sv = { 0 };
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (const struct lvs_virtual_server *vs = conf->virtual_servers; !rc && vs; vs = vs->next) {
		struct ipvs_dest *d;
		size_t n;

		rc = build_dests(vs, src, &d, &n);
		if (rc)
			break;
		if (vs->kind == LVS_VS_GROUP) {
			rc = add_group(&sv, vs, d, n);
		} else {
			struct ipvs_service_key k = { .af = (uint16_t)vs->family };

			if (vs->kind == LVS_VS_FWMARK) {
				k.fwmark = vs->fwmark;
			} else {
				k.protocol = proto_num(vs->protocol);
				k.addr = vs->addr;
				k.port = vs->port;
			}
			rc = add_service(&sv, vs, &k, d, n);
		}
		free(d);
	}
	out->services = sv.v;
	out->nservices = sv.n;
	if (rc)
		ipvs_table_free(out);
	return rc;
}
