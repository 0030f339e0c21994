/* use_vmac's pure rules (vrrp/vmac.h, vrrp/vmac_sysctl.h): no I/O, so the
 * unit tests link them alone. */
#include "build-config.h"

#include <errno.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/vmac.h"
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
