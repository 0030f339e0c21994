/* The nftables side of vrrp/block.h, with libnftnl and libmnl: one batch
 * (one transaction) per call, acknowledged message by message. */
#include "build-config.h"

/* First: <netinet/in.h> must come before the kernel headers. */
#include "vrrp/block_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/ipset/ip_set.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_set.h>

/* Far more than the dozen messages of a replacement. */
#define BATCH_BYTES 16384

struct batch {
	struct mnl_nlmsg_batch *b;
	char buf[BATCH_BYTES];
	uint32_t seq;
	unsigned acks; /* messages that ask for one */
	int err;       /* an allocation failed while building */
};

static struct nlmsghdr *batch_msg(struct batch *bt, uint16_t type, uint16_t family, uint16_t flags)
{
	return nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(bt->b), type, family,
				     flags | NLM_F_ACK, bt->seq++);
}

static void batch_next(struct batch *bt)
{
	bt->acks++;
	mnl_nlmsg_batch_next(bt->b);
}

static void batch_table(struct batch *bt, uint16_t type, uint16_t flags, uint16_t family,
			const char *name)
{
	struct nftnl_table *t = nftnl_table_alloc();

	if (!t) {
		bt->err = -ENOMEM;
		return;
	}
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, name);
	nftnl_table_nlmsg_build_payload(batch_msg(bt, type, family, flags), t);
	nftnl_table_free(t);
	batch_next(bt);
}

static void batch_chain(struct batch *bt, uint16_t family, const char *table, const char *name,
			unsigned hook, int32_t prio)
{
	struct nftnl_chain *c = nftnl_chain_alloc();

	if (!c) {
		bt->err = -ENOMEM;
		return;
	}
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, family);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nftnl_chain_nlmsg_build_payload(batch_msg(bt, NFT_MSG_NEWCHAIN, family, NLM_F_CREATE), c);
	nftnl_chain_free(c);
	batch_next(bt);
}

static int add_expr(struct nftnl_rule *r, struct nftnl_expr *e)
{
	if (!e)
		return -ENOMEM;
	nftnl_rule_add_expr(r, e);
	return 0;
}

static struct nftnl_expr *expr_cmp(uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
		nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	}
	return e;
}

static struct nftnl_expr *expr_verdict(int verdict)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	}
	return e;
}

/* xtables "set" match, revision 1: one dimension, the destination (or
 * with IPSET_DIM_ONE_SRC the source) address. The kernel wants the info
 * padded to XT_ALIGN; libnftnl takes ownership of the buffer. */
static struct nftnl_expr *expr_set_match(uint16_t index, bool src)
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
	info->match_set.dim = IPSET_DIM_ONE;
	info->match_set.flags = src ? IPSET_DIM_ONE_SRC : 0;
	nftnl_expr_set_str(e, NFTNL_EXPR_MT_NAME, "set");
	nftnl_expr_set_u32(e, NFTNL_EXPR_MT_REV, 1);
	nftnl_expr_set(e, NFTNL_EXPR_MT_INFO, info, (uint32_t)len);
	return e;
}

/* ip6: meta l4proto ipv6-icmp icmpv6 type 135-136 accept, so neighbours
 * keep resolving (and confirming) a blocked VIP. */
static int rule_nd_accept(struct nftnl_rule *r)
{
	/* ND_NEIGHBOR_SOLICIT, ND_NEIGHBOR_ADVERT (<netinet/icmp6.h> clashes
	 * with the kernel headers). */
	const uint8_t icmp6 = IPPROTO_ICMPV6, lo = 135, hi = 136;
	/* clang-format off */
	struct nftnl_expr *e[6] = {
	    nftnl_expr_alloc("meta"),
	    expr_cmp(NFT_CMP_EQ, &icmp6, 1),
	    nftnl_expr_alloc("payload"),
	    expr_cmp(NFT_CMP_GTE, &lo, 1),
	    expr_cmp(NFT_CMP_LTE, &hi, 1),
	    expr_verdict(NF_ACCEPT),
	};
	/* clang-format on */
	size_t i;

	for (i = 0; i < 6 && e[i]; i++)
		;
	if (i < 6) {
		for (i = 0; i < 6; i++)
			if (e[i])
				nftnl_expr_free(e[i]);
		return -ENOMEM;
	}
	nftnl_expr_set_u32(e[0], NFTNL_EXPR_META_KEY, NFT_META_L4PROTO);
	nftnl_expr_set_u32(e[0], NFTNL_EXPR_META_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e[2], NFTNL_EXPR_PAYLOAD_BASE, NFT_PAYLOAD_TRANSPORT_HEADER);
	nftnl_expr_set_u32(e[2], NFTNL_EXPR_PAYLOAD_OFFSET, 0);
	nftnl_expr_set_u32(e[2], NFTNL_EXPR_PAYLOAD_LEN, 1);
	nftnl_expr_set_u32(e[2], NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	for (i = 0; i < 6; i++)
		nftnl_rule_add_expr(r, e[i]);
	return 0;
}

static int rule_drop(struct nftnl_rule *r, uint16_t index, bool src, bool counter)
{
	int rc = add_expr(r, expr_set_match(index, src));

	if (!rc && counter)
		rc = add_expr(r, nftnl_expr_alloc("counter"));
	if (!rc)
		rc = add_expr(r, expr_verdict(NF_DROP));
	return rc;
}

static void batch_rule(struct batch *bt, uint16_t family, const char *table, const char *chain,
		       bool nd_accept, uint16_t index, bool src, bool counter)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	int rc;

	if (!r) {
		bt->err = -ENOMEM;
		return;
	}
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, family);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	rc = nd_accept ? rule_nd_accept(r) : rule_drop(r, index, src, counter);
	if (rc < 0) {
		bt->err = rc;
	} else {
		nftnl_rule_nlmsg_build_payload(
		    batch_msg(bt, NFT_MSG_NEWRULE, family, NLM_F_APPEND | NLM_F_CREATE), r);
		batch_next(bt);
	}
	nftnl_rule_free(r);
}

/* "table T" (a no-op when it exists) then "delete table T": gone either
 * way, without DESTROYTABLE (Linux 6.3). */
static void batch_drop_table(struct batch *bt, uint16_t family, const char *name)
{
	batch_table(bt, NFT_MSG_NEWTABLE, NLM_F_CREATE, family, name);
	batch_table(bt, NFT_MSG_DELTABLE, 0, family, name);
}

static void batch_family(struct batch *bt, const struct vrrp_block_settings *s, uint16_t family,
			 uint16_t index)
{
	static const struct {
		const char *name;
		unsigned hook;
		bool src;
	} chains[] = {{"in", NF_INET_LOCAL_IN, false}, {"out", NF_INET_LOCAL_OUT, true}};

	batch_table(bt, NFT_MSG_NEWTABLE, NLM_F_CREATE, family, s->table);
	for (size_t i = 0; i < 2; i++) {
		batch_chain(bt, family, s->table, chains[i].name, chains[i].hook, s->priority);
		if (family == NFPROTO_IPV6)
			batch_rule(bt, family, s->table, chains[i].name, true, 0, false, false);
		batch_rule(bt, family, s->table, chains[i].name, false, index, chains[i].src,
			   s->counters);
	}
}

static void format_err(int err, char *why, size_t len)
{
	if (why && len)
		snprintf(why, len, "nftables: %s", strerror(-err));
}

/* Send the batch and read every answer: the kernel handles a batch in
 * the sender's sendmsg(), so they are all queued when it returns. The
 * first error wins. */
static int batch_send(struct batch *bt)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	char rx[MNL_SOCKET_BUFFER_SIZE];
	unsigned acks = 0;
	int err = 0;
	ssize_t n;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, mnl_nlmsg_batch_head(bt->b), mnl_nlmsg_batch_size(bt->b)) < 0) {
		err = -errno;
		mnl_socket_close(nl);
		return err;
	}
	while (acks < bt->acks &&
	       (n = recv(mnl_socket_get_fd(nl), rx, sizeof(rx), MSG_DONTWAIT)) > 0) {
		for (struct nlmsghdr *h = (struct nlmsghdr *)rx; mnl_nlmsg_ok(h, (int)n);
		     h = mnl_nlmsg_next(h, (int *)&n)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			acks++;
			if (e->error && !err)
				err = e->error;
		}
	}
	mnl_socket_close(nl);
	if (!err && acks == 0)
		err = -EIO;
	return err;
}

static int batch_run(struct batch *bt, void (*fill)(struct batch *, const void *), const void *arg)
{
	bt->b = mnl_nlmsg_batch_start(bt->buf, sizeof(bt->buf));
	if (!bt->b)
		return -ENOMEM;
	bt->seq = 1;
	nftnl_batch_begin(mnl_nlmsg_batch_current(bt->b), bt->seq++);
	mnl_nlmsg_batch_next(bt->b);
	fill(bt, arg);
	nftnl_batch_end(mnl_nlmsg_batch_current(bt->b), bt->seq++);
	mnl_nlmsg_batch_next(bt->b);
	if (!bt->err)
		bt->err = batch_send(bt);
	mnl_nlmsg_batch_stop(bt->b);
	return bt->err;
}

struct replace_args {
	const struct vrrp_block_settings *s;
	const char *old_table;
	const struct vrrp_block_sets *sets;
};

static void fill_replace(struct batch *bt, const void *arg)
{
	const struct replace_args *a = arg;

	for (int i = 0; i < 2; i++) {
		uint16_t family = i ? NFPROTO_IPV6 : NFPROTO_IPV4;

		if (a->old_table && strcmp(a->old_table, a->s->table))
			batch_drop_table(bt, family, a->old_table);
		batch_drop_table(bt, family, a->s->table);
		batch_family(bt, a->s, family, i ? a->sets->index6 : a->sets->index4);
	}
}

int vrrp_block_nft_replace(const struct vrrp_block_settings *s, const char *old_table,
			   const struct vrrp_block_sets *sets, char *why, size_t len)
{
	const struct replace_args a = {.s = s, .old_table = old_table, .sets = sets};
	struct batch *bt = calloc(1, sizeof(*bt));
	int rc;

	if (!bt)
		return -ENOMEM;
	rc = batch_run(bt, fill_replace, &a);
	free(bt);
	if (rc < 0)
		format_err(rc, why, len);
	return rc;
}

static void fill_delete(struct batch *bt, const void *arg)
{
	batch_drop_table(bt, NFPROTO_IPV4, arg);
	batch_drop_table(bt, NFPROTO_IPV6, arg);
}

int vrrp_block_nft_delete(const char *table)
{
	struct batch *bt = calloc(1, sizeof(*bt));
	int rc;

	if (!bt)
		return -ENOMEM;
	rc = batch_run(bt, fill_delete, table);
	free(bt);
	return rc;
}
