/* The nftables side of vrrp/block.h: the tables, in one transaction of
 * vrrp/nft_tx.h per call. */
#include "build-config.h"

/* First: <netinet/in.h> must come before the kernel headers. */
#include "vrrp/block_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libnftnl/expr.h>
#include <linux/netfilter.h>
#include <linux/netfilter/ipset/ip_set.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_set.h>

#include "vrrp/nft_tx.h"

/* xtables "set" match, revision 1: the destination (@src: the source)
 * address; with @iface a second dimension, the input (@src: the output)
 * interface, as `--match-set NAME dst,src` (`src,dst`) says it. The kernel
 * wants the info padded to XT_ALIGN; libnftnl takes ownership of the
 * buffer. */
static struct nftnl_expr *expr_set_match(uint16_t index, bool src, bool iface)
{
	const size_t len = XT_ALIGN(sizeof(struct xt_set_info_match_v1));
	struct xt_set_info_match_v1 *info = calloc(1, len);
	struct nftnl_expr *e = nftnl_expr_alloc("match");

	if (!info || !e) {
		free(info);
		if (e)
			nftnl_expr_free(e);
		return NULL;
	}
	info->match_set.index = index;
	info->match_set.dim = iface ? IPSET_DIM_TWO : IPSET_DIM_ONE;
	info->match_set.flags = src ? IPSET_DIM_ONE_SRC : iface ? IPSET_DIM_TWO_SRC : 0;
	nftnl_expr_set_str(e, NFTNL_EXPR_MT_NAME, "set");
	nftnl_expr_set_u32(e, NFTNL_EXPR_MT_REV, 1);
	nftnl_expr_set(e, NFTNL_EXPR_MT_INFO, info, (uint32_t)len);
	return e;
}

/* ip6: meta l4proto ipv6-icmp icmpv6 type 135-136 accept, so neighbours
 * keep resolving (and confirming) a blocked VIP. */
static void rule_nd_accept(struct vrrp_nft_tx *tx, const char *table, const char *chain)
{
	/* ND_NEIGHBOR_SOLICIT, ND_NEIGHBOR_ADVERT (<netinet/icmp6.h> clashes
	 * with the kernel headers). */
	const uint8_t icmp6 = IPPROTO_ICMPV6, lo = 135, hi = 136;
	struct nftnl_expr *e[] = {
	    vrrp_nft_expr_meta(NFT_META_L4PROTO, NFT_REG_1),
	    vrrp_nft_expr_cmp(NFT_REG_1, NFT_CMP_EQ, &icmp6, 1),
	    vrrp_nft_expr_payload(NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1, NFT_REG_1),
	    vrrp_nft_expr_cmp(NFT_REG_1, NFT_CMP_GTE, &lo, 1),
	    vrrp_nft_expr_cmp(NFT_REG_1, NFT_CMP_LTE, &hi, 1),
	    vrrp_nft_expr_verdict(NF_ACCEPT),
	};

	vrrp_nft_tx_rule(tx, NFPROTO_IPV6, table, chain, e, sizeof(e) / sizeof(e[0]));
}

static void rule_drop(struct vrrp_nft_tx *tx, uint16_t family, const char *table, const char *chain,
		      uint16_t index, bool src, bool iface, bool counter)
{
	struct nftnl_expr *e[3];
	size_t n = 0;

	e[n++] = expr_set_match(index, src, iface);
	if (counter)
		e[n++] = nftnl_expr_alloc("counter");
	e[n++] = vrrp_nft_expr_verdict(NF_DROP);
	vrrp_nft_tx_rule(tx, family, table, chain, e, n);
}

static void tx_family(struct vrrp_nft_tx *tx, const struct vrrp_block_settings *s, uint16_t family,
		      const struct vrrp_block_sets *sets)
{
	static const struct {
		const char *name;
		unsigned hook;
		bool src;
	} chains[] = {{"in", NF_INET_LOCAL_IN, false}, {"out", NF_INET_LOCAL_OUT, true}};
	const bool v6 = family == NFPROTO_IPV6;

	vrrp_nft_tx_new_table(tx, family, s->table);
	for (size_t i = 0; i < 2; i++) {
		vrrp_nft_tx_chain(tx, family, s->table, chains[i].name, chains[i].hook,
				  s->priority);
		if (v6)
			rule_nd_accept(tx, s->table, chains[i].name);
		rule_drop(tx, family, s->table, chains[i].name, v6 ? sets->index6 : sets->index4,
			  chains[i].src, false, s->counters);
		/* Link-local VIPs: address and interface (keepalived's dst,src). */
		if (v6)
			rule_drop(tx, family, s->table, chains[i].name, sets->index_if6,
				  chains[i].src, true, s->counters);
	}
}

struct replace_args {
	const struct vrrp_block_settings *s;
	const char *old_table;
	const struct vrrp_block_sets *sets;
};

static void fill_replace(struct vrrp_nft_tx *tx, const void *arg)
{
	const struct replace_args *a = arg;

	for (int i = 0; i < 2; i++) {
		uint16_t family = i ? NFPROTO_IPV6 : NFPROTO_IPV4;

		if (a->old_table && strcmp(a->old_table, a->s->table))
			vrrp_nft_tx_drop_table(tx, family, a->old_table);
		tx_family(tx, a->s, family, a->sets);
	}
}

int vrrp_block_nft_replace(const struct vrrp_block_settings *s, const char *old_table,
			   const struct vrrp_block_sets *sets, char *why, size_t len)
{
	const struct replace_args a = {.s = s, .old_table = old_table, .sets = sets};
	int rc = vrrp_nft_tx_run(fill_replace, &a);

	if (rc < 0 && why && len)
		snprintf(why, len, "nftables: %s", strerror(-rc));
	return rc;
}

int vrrp_block_nft_delete(const char *table)
{
	return vrrp_nft_delete_tables(table);
}
