/* use_vmac's pure rules (vrrp/vmac.h, vrrp/vmac_sysctl.h): no I/O, so the
 * unit tests link them alone. */
#include "build-config.h"

#include <errno.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/vmac.h"
#include "vrrp/vmac_nft.h"
#include "vrrp/vmac_sysctl.h"

void vrrp_vmac_conf_mac(const struct vrrp_instance_conf *c, uint8_t mac[6])
{
	if (c->vmac_mac_set) {
		memcpy(mac, c->vmac_mac, 6);
		return;
	}
	/* RFC 9568 §7.3: IANA's 00-00-5E, then 00-01 (IPv4) or 00-02 (IPv6). */
	mac[0] = 0x00, mac[1] = 0x00, mac[2] = 0x5e, mac[3] = 0x00;
	mac[4] = c->family == AF_INET6 ? 0x02 : 0x01;
	mac[5] = c->vrid;
}

int vrrp_vmac_candidate(const struct vrrp_instance_conf *c, const char *prefix, unsigned n,
			char *buf, size_t len)
{
	int w;

	if (!prefix)
		prefix = "vrrp";
	if (c->vmac_ifname && n == 0)
		w = snprintf(buf, len, "%s", c->vmac_ifname);
	else {
		unsigned k = c->vmac_ifname ? n - 1 : n;

		if (k >= VRRP_VMAC_MAX_TRIES)
			return -ERANGE;
		if (k == 0)
			w = snprintf(buf, len, "%s.%u", prefix, c->vrid);
		else
			w = snprintf(buf, len, "%s%u.%u", prefix, k, c->vrid);
	}
	return w < 0 || (size_t)w >= len || (size_t)w >= IF_NAMESIZE ? -ENAMETOOLONG : 0;
}

enum vrrp_vmac_verdict vrrp_vmac_judge(const struct vrrp_vmac_found *f, unsigned base_ifindex,
				       const uint8_t mac[6], bool configured)
{
	if (!f->exists)
		return VRRP_VMAC_CREATE;
	if (!f->is_macvlan || f->link_ifindex != base_ifindex)
		return VRRP_VMAC_NEXT;
	if (memcmp(f->mac, mac, 6) || f->mode != MACVLAN_MODE_PRIVATE)
		return configured ? VRRP_VMAC_UPDATE : VRRP_VMAC_NEXT;
	return VRRP_VMAC_ADOPT;
}

int vrrp_rp_filter_merge(int iface, int all)
{
	return iface > all ? iface : all;
}

/* An interface name nft reads back as that name inside double quotes. */
static bool nft_name_ok(const char *name)
{
	if (!name || !*name || strlen(name) >= IF_NAMESIZE)
		return false;
	for (const char *c = name; *c; c++)
		if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20)
			return false;
	return true;
}

int vrrp_vmac_nft_script(char *buf, size_t len, enum vrrp_vmac_nft_op op, int family,
			 const char *vmac, const char *base)
{
	const char *f = family == AF_INET6 ? "ip6" : "ip";
	const char *t = VRRP_VMAC_NFT_TABLE;
	int n;

	switch (op) {
	case VRRP_VMAC_NFT_CREATE:
		/* "add" then "delete": whatever a killed predecessor left goes. */
		n = snprintf(buf, len,
			     "add table %s %s\n"
			     "delete table %s %s\n"
			     "add table %s %s\n"
			     "add chain %s %s out { type filter hook output priority filter - 1; "
			     "policy accept; }\n"
			     "add map %s %s vmac_map { type iface_index : iface_index; }\n",
			     f, t, f, t, f, t, f, t, f, t);
		if (n < 0 || (size_t)n >= len)
			return -ENOSPC;
		if (family == AF_INET6)
			n += snprintf(
			    buf + n, len - (size_t)n,
			    "add set ip6 %s vmac_set { type iface_index; }\n"
			    "add rule ip6 %s out icmpv6 type mld2-listener-report meta oifkind "
			    "\"macvlan\" dup to ip6 daddr device oif map @vmac_map drop\n"
			    "add rule ip6 %s out icmpv6 type nd-router-solicit meta oifkind "
			    "\"macvlan\" oif @vmac_set drop\n",
			    t, t, t);
		else
			n +=
			    snprintf(buf + n, len - (size_t)n,
				     "add rule ip %s out ip protocol igmp meta oifkind \"macvlan\" "
				     "dup to ip daddr device oif map @vmac_map drop\n",
				     t);
		break;
	case VRRP_VMAC_NFT_ADD:
	case VRRP_VMAC_NFT_DEL:
		if (!nft_name_ok(vmac) || !nft_name_ok(base))
			return -EINVAL;
		n = snprintf(buf, len, "%s element %s %s vmac_map { \"%s\" : \"%s\" }\n",
			     op == VRRP_VMAC_NFT_ADD ? "add" : "delete", f, t, vmac, base);
		if (n >= 0 && (size_t)n < len && family == AF_INET6)
			n += snprintf(buf + n, len - (size_t)n,
				      "%s element ip6 %s vmac_set { \"%s\" }\n",
				      op == VRRP_VMAC_NFT_ADD ? "add" : "delete", t, vmac);
		break;
	case VRRP_VMAC_NFT_DROP:
		n = snprintf(buf, len, "delete table %s %s\n", f, t);
		break;
	default:
		return -EINVAL;
	}
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}
