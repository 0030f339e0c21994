/* vrrp/vmac_nft.h: the rules as libnftnl expressions, each change one
 * vrrp/nft_tx.h transaction. */
#include "build-config.h"

/* First: <netinet/in.h> must come before the kernel headers. */
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h> /* FILE, for <libnftnl/expr.h> */
#include <string.h>
#include <sys/socket.h>

#include <libnftnl/expr.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "daemon/log.h"
#include "vrrp/nft_tx.h"
#include "vrrp/vmac.h"
#include "vrrp/vmac_nft.h"
#include "vrrp/vmac_sysctl.h"

/* nft's datatype number for iface_index (TYPE_IFINDEX in nftables'
 * datatype.h): `nft list` then shows the elements as interface names. */
#define NFT_TYPE_IFINDEX 20
/* nft's BYTEORDER_HOST_ENDIAN, which it reads from a set's user data to
 * show its indexes (else it takes them for big endian). */
#define NFT_HOST_ENDIAN 1

/* ICMPv6 types (<netinet/icmp6.h> clashes with the kernel headers). */
#define ICMP6_ROUTER_SOLICIT 133
#define ICMP6_MLD2_REPORT 143

struct vmac_args {
	uint16_t family;
	uint32_t vmac, base; /* interface indexes */
	bool create;	     /* the family's table, chain, map and set first */
	bool add;	     /* else delete the elements */
};

static int fam_index(int family)
{
	return family == AF_INET6 ? 1 : 0;
}

static uint16_t nfproto(int family)
{
	return family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
}

static struct nftnl_set *set_alloc(uint16_t family, const char *name)
{
	struct nftnl_set *s = nftnl_set_alloc();

	if (s) {
		nftnl_set_set_u32(s, NFTNL_SET_FAMILY, family);
		nftnl_set_set_str(s, NFTNL_SET_TABLE, VRRP_VMAC_NFT_TABLE);
		nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	}
	return s;
}

/* vmac_map (iface_index : iface_index) or vmac_set (iface_index). */
static void tx_set(struct vrrp_nft_tx *tx, uint16_t family, bool map)
{
	struct nftnl_set *s = set_alloc(family, map ? "vmac_map" : "vmac_set");
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(64);

	if (s && ud) {
		nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, NFT_TYPE_IFINDEX);
		nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, sizeof(uint32_t));
		nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_KEYBYTEORDER, NFT_HOST_ENDIAN);
		if (map) {
			nftnl_set_set_u32(s, NFTNL_SET_FLAGS, NFT_SET_MAP);
			nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, NFT_TYPE_IFINDEX);
			nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, sizeof(uint32_t));
			nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_DATABYTEORDER, NFT_HOST_ENDIAN);
		}
		nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(ud),
				   nftnl_udata_buf_len(ud));
	} else if (s) {
		nftnl_set_free(s);
		s = NULL;
	}
	if (ud)
		nftnl_udata_buf_free(ud);
	vrrp_nft_tx_set(tx, s);
}

/* One element of vmac_map (@vmac : @base) or, without @map, vmac_set. */
static void tx_elem(struct vrrp_nft_tx *tx, const struct vmac_args *a, bool map)
{
	struct nftnl_set *s = set_alloc(a->family, map ? "vmac_map" : "vmac_set");
	struct nftnl_set_elem *e = s ? nftnl_set_elem_alloc() : NULL;

	if (e) {
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &a->vmac, sizeof(a->vmac));
		if (map && a->add)
			nftnl_set_elem_set(e, NFTNL_SET_ELEM_DATA, &a->base, sizeof(a->base));
		nftnl_set_elem_add(s, e);
	} else if (s) {
		nftnl_set_free(s);
		s = NULL;
	}
	vrrp_nft_tx_elems(tx, a->add, s);
}

/* The match on the packet's kind, "icmpv6 type T" (or IPv4's "ip protocol
 * igmp") and "meta oifkind macvlan", as nft compiles it: 4 or 6
 * expressions into e[]. */
static size_t expr_match(struct nftnl_expr **e, uint16_t family, uint8_t icmp6_type)
{
	/* IFNAMSIZ bytes, zero-padded: what the meta expression loads. */
	static const char kind[16] = "macvlan";
	static const uint8_t igmp = IPPROTO_IGMP, icmp6 = IPPROTO_ICMPV6;
	size_t n = 0;

	if (family == NFPROTO_IPV4) {
		/* struct iphdr's protocol */
		e[n++] = vrrp_nft_expr_payload(NFT_PAYLOAD_NETWORK_HEADER, 9, 1, NFT_REG_1);
		e[n++] = vrrp_nft_expr_cmp(NFT_REG_1, NFT_CMP_EQ, &igmp, 1);
	} else {
		e[n++] = vrrp_nft_expr_meta(NFT_META_L4PROTO, NFT_REG_1);
		e[n++] = vrrp_nft_expr_cmp(NFT_REG_1, NFT_CMP_EQ, &icmp6, 1);
		e[n++] = vrrp_nft_expr_payload(NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1, NFT_REG_1);
		e[n++] = vrrp_nft_expr_cmp(NFT_REG_1, NFT_CMP_EQ, &icmp6_type, 1);
	}
	e[n++] = vrrp_nft_expr_meta(NFT_META_OIFKIND, NFT_REG_1);
	e[n++] = vrrp_nft_expr_cmp(NFT_REG_1, NFT_CMP_EQ, kind, sizeof(kind));
	return n;
}

/* ... dup to ip[6] daddr device oif map @vmac_map drop */
static void rule_dup(struct vrrp_nft_tx *tx, uint16_t family)
{
	struct nftnl_expr *e[12], *dup = nftnl_expr_alloc("dup");
	size_t n = expr_match(e, family, ICMP6_MLD2_REPORT);

	if (dup) {
		nftnl_expr_set_u32(dup, NFTNL_EXPR_DUP_SREG_ADDR, NFT_REG_1);
		nftnl_expr_set_u32(dup, NFTNL_EXPR_DUP_SREG_DEV, NFT_REG_2);
	}
	/* The daddr: offset 16 in struct iphdr, 24 in struct ipv6hdr. */
	e[n++] = family == NFPROTO_IPV4
		     ? vrrp_nft_expr_payload(NFT_PAYLOAD_NETWORK_HEADER, 16, 4, NFT_REG_1)
		     : vrrp_nft_expr_payload(NFT_PAYLOAD_NETWORK_HEADER, 24, 16, NFT_REG_1);
	e[n++] = vrrp_nft_expr_meta(NFT_META_OIF, NFT_REG_2);
	e[n++] = vrrp_nft_expr_lookup("vmac_map", NFT_REG_2, NFT_REG_2);
	e[n++] = dup;
	e[n++] = vrrp_nft_expr_verdict(NF_DROP);
	vrrp_nft_tx_rule(tx, family, VRRP_VMAC_NFT_TABLE, "out", e, n);
}

/* icmpv6 type nd-router-solicit meta oifkind "macvlan" oif @vmac_set drop */
static void rule_rs_drop(struct vrrp_nft_tx *tx)
{
	struct nftnl_expr *e[12];
	size_t n = expr_match(e, NFPROTO_IPV6, ICMP6_ROUTER_SOLICIT);

	e[n++] = vrrp_nft_expr_meta(NFT_META_OIF, NFT_REG_1);
	e[n++] = vrrp_nft_expr_lookup("vmac_set", NFT_REG_1, -1);
	e[n++] = vrrp_nft_expr_verdict(NF_DROP);
	vrrp_nft_tx_rule(tx, NFPROTO_IPV6, VRRP_VMAC_NFT_TABLE, "out", e, n);
}

static void fill_vmac(struct vrrp_nft_tx *tx, const void *arg)
{
	const struct vmac_args *a = arg;

	if (a->create) {
		vrrp_nft_tx_new_table(tx, a->family, VRRP_VMAC_NFT_TABLE);
		/* priority filter - 1 (filter is 0) */
		vrrp_nft_tx_chain(tx, a->family, VRRP_VMAC_NFT_TABLE, "out", NF_INET_LOCAL_OUT, -1);
		tx_set(tx, a->family, true);
		if (a->family == NFPROTO_IPV6)
			tx_set(tx, a->family, false);
		rule_dup(tx, a->family);
		if (a->family == NFPROTO_IPV6)
			rule_rs_drop(tx);
	}
	tx_elem(tx, a, true);
	if (a->family == NFPROTO_IPV6)
		tx_elem(tx, a, false);
}

static void fill_drop(struct vrrp_nft_tx *tx, const void *arg)
{
	vrrp_nft_tx_drop_table(tx, *(const uint16_t *)arg, VRRP_VMAC_NFT_TABLE);
}

int vrrp_vmac_nft_attach(struct vrrp_vmac_sys *s, const struct vrrp_vmac *vm)
{
	unsigned *users = &s->nft_users[fam_index(vm->family)];
	struct vmac_args a = {
	    .family = nfproto(vm->family),
	    .vmac = vm->ifindex,
	    .base = vm->base_ifindex,
	    .create = *users == 0,
	    .add = true,
	};
	int rc = vrrp_nft_tx_run(fill_vmac, &a);

	if (rc < 0) {
		log_warn("cannot add %s to nftables table %s for the VMAC interfaces' IGMP/MLD "
			 "reports: %s",
			 vm->name, VRRP_VMAC_NFT_TABLE, strerror(-rc));
		/* Nothing a killed predecessor left stays without us. */
		if (a.create)
			vrrp_nft_tx_run(fill_drop, &a.family);
		return rc;
	}
	(*users)++;
	return 0;
}

void vrrp_vmac_nft_detach(struct vrrp_vmac_sys *s, unsigned ifindex, int family)
{
	unsigned *users = &s->nft_users[fam_index(family)];
	const struct vmac_args a = {.family = nfproto(family), .vmac = ifindex};

	if (!*users)
		return;
	if (--*users == 0)
		vrrp_nft_tx_run(fill_drop, &a.family);
	else
		/* Its elements, found by index: the interface may be gone. */
		vrrp_nft_tx_run(fill_vmac, &a);
}
