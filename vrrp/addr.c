#include "build-config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/addr.h"

/* libnl reports its own codes; vigil speaks errno. */
static int nl_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_EXIST:
		return -EEXIST;
	case NLE_NOADDR:
	case NLE_OBJ_NOTFOUND:
		return -EADDRNOTAVAIL;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_INVAL:
	case NLE_RANGE:
		return -EINVAL;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_BUSY:
		return -EBUSY;
	default:
		return -EIO;
	}
}

int vrrp_addr_open(struct nl_sock **out)
{
	struct nl_sock *nl = nl_socket_alloc();
	int rc;

	if (!nl)
		return -ENOMEM;
	rc = nl_connect(nl, NETLINK_ROUTE);
	if (rc < 0) {
		nl_socket_free(nl);
		return nl_to_errno(rc);
	}
	*out = nl;
	return 0;
}

void vrrp_addr_close(struct nl_sock *nl)
{
	if (nl)
		nl_socket_free(nl);
}

static size_t family_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static int set_nl_addr(struct rtnl_addr *ra, const struct vaddr *v, unsigned prefix,
		       int (*set)(struct rtnl_addr *, struct nl_addr *))
{
	struct nl_addr *na = nl_addr_build(v->family, &v->u, family_len(v->family));
	int rc;

	if (!na)
		return -NLE_NOMEM;
	nl_addr_set_prefixlen(na, (int)prefix);
	rc = set(ra, na);
	nl_addr_put(na);
	return rc;
}

/* RFC 919: the directed broadcast of ADDR/PREFIX, as "brd +" computes it. */
static struct vaddr broadcast_of(const struct vrrp_addr_conf *a)
{
	struct vaddr b = a->addr;
	uint32_t host = a->prefix >= 32 ? 0 : 0xffffffffu >> a->prefix;

	b.u.v4.s_addr = htonl(ntohl(a->addr.u.v4.s_addr) | host);
	return b;
}

static unsigned addr_flags(const struct vrrp_addr_conf *a)
{
	unsigned f = 0;

	if (a->addr.family == AF_INET6 || a->nodad)
		f |= IFA_F_NODAD;
	if (a->home)
		f |= IFA_F_HOMEADDRESS;
	if (a->mngtmpaddr)
		f |= IFA_F_MANAGETEMPADDR;
	if (a->noprefixroute)
		f |= IFA_F_NOPREFIXROUTE;
	return f;
}

/* keepalived.conf(5): an IPv6 /128 is deprecated (preferred_lft 0) so it
 * is not picked as a source address, unless preferred_lft says otherwise.
 * -1: the kernel's default (forever). */
static int64_t preferred_lft(const struct vrrp_addr_conf *a)
{
	if (a->preferred_lft < 0 && a->addr.family == AF_INET6 && a->prefix == 128)
		return 0;
	return a->preferred_lft;
}

/* The rtnl_addr @a describes; for a delete only the key fields matter. */
static int build(const struct vrrp_addr_conf *a, unsigned ifindex, bool full,
		 struct rtnl_addr **out)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	int rc;

	if (!ra)
		return -NLE_NOMEM;
	rtnl_addr_set_ifindex(ra, (int)ifindex);
	rtnl_addr_set_family(ra, a->addr.family);
	rc = set_nl_addr(ra, &a->addr, a->prefix, rtnl_addr_set_local);
	if (rc == 0 && a->peer.family)
		rc = set_nl_addr(ra, &a->peer, a->peer_prefix, rtnl_addr_set_peer);
	rtnl_addr_set_prefixlen(ra, (int)(a->peer.family ? a->peer_prefix : a->prefix));
	if (rc == 0 && full) {
		rtnl_addr_set_scope(ra, a->scope);
		rtnl_addr_set_flags(ra, addr_flags(a));
		if (a->label)
			rc = rtnl_addr_set_label(ra, a->label);
		if (rc == 0 && a->addr.family == AF_INET && a->brd_mode == VRRP_BRD_ADDR)
			rc = set_nl_addr(ra, &a->brd, 32, rtnl_addr_set_broadcast);
		if (rc == 0 && a->addr.family == AF_INET && a->brd_mode == VRRP_BRD_SET &&
		    a->prefix < 31) {
			struct vaddr b = broadcast_of(a);

			rc = set_nl_addr(ra, &b, 32, rtnl_addr_set_broadcast);
		}
		if (preferred_lft(a) >= 0) {
			/* IFA_CACHEINFO carries both lifetimes, and the kernel
			 * refuses a valid lifetime of 0: keep it forever. */
			rtnl_addr_set_valid_lifetime(ra, UINT32_MAX);
			rtnl_addr_set_preferred_lifetime(ra, (uint32_t)preferred_lft(a));
		}
	}
	if (rc < 0) {
		rtnl_addr_put(ra);
		return rc;
	}
	*out = ra;
	return 0;
}

static int send_and_ack(struct nl_sock *nl, struct nl_msg *msg)
{
	int rc = nl_send_auto(nl, msg);

	nlmsg_free(msg);
	if (rc < 0)
		return rc;
	return nl_wait_for_ack(nl);
}

int vrrp_addr_add(struct nl_sock *nl, unsigned ifindex, const struct vrrp_addr_conf *a)
{
	struct rtnl_addr *ra = NULL;
	struct nl_msg *msg = NULL;
	int rc;

	rc = build(a, ifindex, true, &ra);
	if (rc == 0)
		rc = rtnl_addr_build_add_request(ra, NLM_F_CREATE | NLM_F_EXCL, &msg);
	rtnl_addr_put(ra);
	if (rc < 0)
		return nl_to_errno(rc);
	/* libnl 3.7 has no setter for it: append the attribute ourselves. */
	if (nla_put_u8(msg, IFA_PROTO, VRRP_ADDR_PROTO) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	rc = send_and_ack(nl, msg);
	if (rc == -NLE_EXIST)
		return 0;
	return rc < 0 ? nl_to_errno(rc) : 0;
}

int vrrp_addr_del(struct nl_sock *nl, unsigned ifindex, const struct vrrp_addr_conf *a)
{
	struct rtnl_addr *ra = NULL;
	struct nl_msg *msg = NULL;
	int rc;

	rc = build(a, ifindex, false, &ra);
	if (rc == 0)
		rc = rtnl_addr_build_delete_request(ra, 0, &msg);
	rtnl_addr_put(ra);
	if (rc < 0)
		return nl_to_errno(rc);
	rc = send_and_ack(nl, msg);
	if (rc == -NLE_NOADDR || rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV)
		return 0;
	return rc < 0 ? nl_to_errno(rc) : 0;
}

const char *vrrp_addr_dev(const struct vrrp_addr_conf *a, const char *default_if)
{
	return a->dev ? a->dev : default_if;
}
