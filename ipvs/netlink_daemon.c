/* IPVS netlink beyond the table: connection timeouts (GET/SET_CONFIG) and
 * the connection synchronisation daemons (GET/NEW/DEL_DAEMON). */
#include "build-config.h"

#include <errno.h>
#include <linux/ip_vs.h>
#include <netlink/genl/genl.h>
#include <string.h>

#include "ipvs/netlink.h"
#include "ipvs/netlink_internal.h"

static int build_timeouts(struct nl_msg *m, const void *arg)
{
	const struct ipvs_timeouts *t = arg;

	return nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP, t->tcp) ?:
	       nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t->tcpfin) ?:
	       nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_UDP, t->udp);
}

int ipvs_nl_set_timeouts(struct ipvs_nl *nl, const struct ipvs_timeouts *t)
{
	return ipvs_nl_request(nl, IPVS_CMD_SET_CONFIG, build_timeouts, t);
}

static int on_config(struct nlattr **tb, void *data)
{
	struct ipvs_timeouts *t = data;

	if (!tb[IPVS_CMD_ATTR_TIMEOUT_TCP] || !tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] ||
	    !tb[IPVS_CMD_ATTR_TIMEOUT_UDP])
		return -EPROTO;
	t->tcp = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	t->tcpfin = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
	t->udp = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_UDP]);
	return 0;
}

int ipvs_nl_get_timeouts(struct ipvs_nl *nl, struct ipvs_timeouts *out)
{
	memset(out, 0, sizeof(*out));
	return ipvs_nl_query(nl, IPVS_CMD_GET_CONFIG, false, NULL, NULL, on_config, out);
}

static int build_daemon(struct nl_msg *m, const void *arg)
{
	const struct ipvs_daemon *d = arg;
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_DAEMON);
	int rc;

	if (!nest)
		return -EMSGSIZE;
	rc = nla_put_u32(m, IPVS_DAEMON_ATTR_STATE, d->state);
	/* A stop names only the state. */
	if (!rc && d->ifname[0]) {
		rc = nla_put_string(m, IPVS_DAEMON_ATTR_MCAST_IFN, d->ifname) ?:
		     nla_put_u32(m, IPVS_DAEMON_ATTR_SYNC_ID, d->syncid);
		if (!rc && d->maxlen)
			rc = nla_put_u16(m, IPVS_DAEMON_ATTR_SYNC_MAXLEN, d->maxlen);
		if (!rc && d->port)
			rc = nla_put_u16(m, IPVS_DAEMON_ATTR_MCAST_PORT, d->port);
		if (!rc && d->ttl)
			rc = nla_put_u8(m, IPVS_DAEMON_ATTR_MCAST_TTL, d->ttl);
		if (!rc && d->group.family == AF_INET)
			rc = nla_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP, 4, &d->group.u.v4);
		else if (!rc && d->group.family == AF_INET6)
			rc = nla_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP6, 16, &d->group.u.v6);
	}
	nla_nest_end(m, nest);
	return rc < 0 ? -EMSGSIZE : 0;
}

int ipvs_nl_daemon_start(struct ipvs_nl *nl, const struct ipvs_daemon *d)
{
	return ipvs_nl_request(nl, IPVS_CMD_NEW_DAEMON, build_daemon, d);
}

int ipvs_nl_daemon_stop(struct ipvs_nl *nl, uint32_t state)
{
	struct ipvs_daemon d = { .state = state };

	return ipvs_nl_request(nl, IPVS_CMD_DEL_DAEMON, build_daemon, &d);
}

struct daemons_ctx {
	struct ipvs_daemon *v;
	size_t n, cap;
};

static int on_daemon(struct nlattr **tb, void *data)
{
	struct daemons_ctx *c = data;
	struct nlattr *a[IPVS_DAEMON_ATTR_MAX + 1];
	struct ipvs_daemon *d;

	if (!tb[IPVS_CMD_ATTR_DAEMON] ||
	    nla_parse_nested(a, IPVS_DAEMON_ATTR_MAX, tb[IPVS_CMD_ATTR_DAEMON], NULL) < 0 ||
	    !a[IPVS_DAEMON_ATTR_STATE] || !a[IPVS_DAEMON_ATTR_MCAST_IFN])
		return -EPROTO;
	if (c->n == c->cap)
		return 0; /* the kernel runs at most one master and one backup */
	d = &c->v[c->n++];
	memset(d, 0, sizeof(*d));
	d->state = nla_get_u32(a[IPVS_DAEMON_ATTR_STATE]);
	nla_strlcpy(d->ifname, a[IPVS_DAEMON_ATTR_MCAST_IFN], sizeof(d->ifname));
	if (a[IPVS_DAEMON_ATTR_SYNC_ID])
		d->syncid = nla_get_u32(a[IPVS_DAEMON_ATTR_SYNC_ID]);
	if (a[IPVS_DAEMON_ATTR_SYNC_MAXLEN])
		d->maxlen = nla_get_u16(a[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (a[IPVS_DAEMON_ATTR_MCAST_PORT])
		d->port = nla_get_u16(a[IPVS_DAEMON_ATTR_MCAST_PORT]);
	if (a[IPVS_DAEMON_ATTR_MCAST_TTL])
		d->ttl = nla_get_u8(a[IPVS_DAEMON_ATTR_MCAST_TTL]);
	if (a[IPVS_DAEMON_ATTR_MCAST_GROUP] && nla_len(a[IPVS_DAEMON_ATTR_MCAST_GROUP]) >= 4) {
		d->group.family = AF_INET;
		memcpy(&d->group.u.v4, nla_data(a[IPVS_DAEMON_ATTR_MCAST_GROUP]), 4);
	} else if (a[IPVS_DAEMON_ATTR_MCAST_GROUP6] &&
		   nla_len(a[IPVS_DAEMON_ATTR_MCAST_GROUP6]) >= 16) {
		d->group.family = AF_INET6;
		memcpy(&d->group.u.v6, nla_data(a[IPVS_DAEMON_ATTR_MCAST_GROUP6]), 16);
	}
	return 0;
}

int ipvs_nl_daemons(struct ipvs_nl *nl, struct ipvs_daemon out[2], size_t *n)
{
	struct daemons_ctx c = { out, 0, 2 };
	int rc = ipvs_nl_query(nl, IPVS_CMD_GET_DAEMON, true, NULL, NULL, on_daemon, &c);

	*n = c.n;
	return rc;
}
