/* vrrp/nft_tx.h: one batch (one transaction) per call, acknowledged
 * message by message. */
#include "build-config.h"

/* First: <netinet/in.h> must come before the kernel headers. */
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h> /* FILE, for <libnftnl/expr.h> */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "vrrp/nft_tx.h"

/* Far more than the few dozen messages of a replacement. */
#define BATCH_BYTES 16384

struct vrrp_nft_tx {
	struct mnl_nlmsg_batch *b;
	char buf[2 * BATCH_BYTES]; /* libmnl: twice the limit, for the message that overflows */
	uint32_t seq;
	unsigned acks;	  /* messages that ask for one */
	uint32_t set_ids; /* the kernel wants an id for each new set */
	int err;	  /* an allocation failed while building */
};

static struct nlmsghdr *tx_msg(struct vrrp_nft_tx *tx, uint16_t type, uint16_t family,
			       uint16_t flags)
{
	return nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(tx->b), type, family,
				     flags | NLM_F_ACK, tx->seq++);
}

/* The message is complete: keep it, unless it no longer fits (then the
 * whole transaction fails rather than sending a part). */
static void tx_next(struct vrrp_nft_tx *tx)
{
	tx->acks++;
	if (!mnl_nlmsg_batch_next(tx->b) && !tx->err)
		tx->err = -ENOSPC;
}

static void tx_table(struct vrrp_nft_tx *tx, uint16_t type, uint16_t flags, uint16_t family,
		     const char *name)
{
	struct nftnl_table *t = nftnl_table_alloc();

	if (!t) {
		tx->err = -ENOMEM;
		return;
	}
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, name);
	nftnl_table_nlmsg_build_payload(tx_msg(tx, type, family, flags), t);
	nftnl_table_free(t);
	tx_next(tx);
}

void vrrp_nft_tx_drop_table(struct vrrp_nft_tx *tx, uint16_t family, const char *name)
{
	tx_table(tx, NFT_MSG_NEWTABLE, NLM_F_CREATE, family, name);
	tx_table(tx, NFT_MSG_DELTABLE, 0, family, name);
}

void vrrp_nft_tx_new_table(struct vrrp_nft_tx *tx, uint16_t family, const char *name)
{
	vrrp_nft_tx_drop_table(tx, family, name);
	tx_table(tx, NFT_MSG_NEWTABLE, NLM_F_CREATE, family, name);
}

void vrrp_nft_tx_chain(struct vrrp_nft_tx *tx, uint16_t family, const char *table, const char *name,
		       unsigned hook, int32_t prio)
{
	struct nftnl_chain *c = nftnl_chain_alloc();

	if (!c) {
		tx->err = -ENOMEM;
		return;
	}
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, family);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nftnl_chain_nlmsg_build_payload(tx_msg(tx, NFT_MSG_NEWCHAIN, family, NLM_F_CREATE), c);
	nftnl_chain_free(c);
	tx_next(tx);
}

/* NEWSET or NEWSETELEM / DELSETELEM of @s, then free it. */
static void tx_set_msg(struct vrrp_nft_tx *tx, uint16_t type, uint16_t flags, struct nftnl_set *s)
{
	uint16_t family;

	if (!s) {
		tx->err = -ENOMEM;
		return;
	}
	family = (uint16_t)nftnl_set_get_u32(s, NFTNL_SET_FAMILY);
	if (type == NFT_MSG_NEWSET) {
		nftnl_set_set_u32(s, NFTNL_SET_ID, ++tx->set_ids);
		nftnl_set_nlmsg_build_payload(tx_msg(tx, type, family, flags), s);
	} else {
		nftnl_set_elems_nlmsg_build_payload(tx_msg(tx, type, family, flags), s);
	}
	nftnl_set_free(s);
	tx_next(tx);
}

void vrrp_nft_tx_set(struct vrrp_nft_tx *tx, struct nftnl_set *s)
{
	tx_set_msg(tx, NFT_MSG_NEWSET, NLM_F_CREATE, s);
}

void vrrp_nft_tx_elems(struct vrrp_nft_tx *tx, bool add, struct nftnl_set *s)
{
	tx_set_msg(tx, add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM, add ? NLM_F_CREATE : 0, s);
}

void vrrp_nft_tx_rule(struct vrrp_nft_tx *tx, uint16_t family, const char *table, const char *chain,
		      struct nftnl_expr **e, size_t n)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	bool whole = r != NULL;

	for (size_t i = 0; i < n; i++)
		whole = whole && e[i];
	if (!whole) {
		for (size_t i = 0; i < n; i++)
			if (e[i])
				nftnl_expr_free(e[i]);
		if (r)
			nftnl_rule_free(r);
		tx->err = -ENOMEM;
		return;
	}
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, family);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	for (size_t i = 0; i < n; i++)
		nftnl_rule_add_expr(r, e[i]);
	nftnl_rule_nlmsg_build_payload(
	    tx_msg(tx, NFT_MSG_NEWRULE, family, NLM_F_APPEND | NLM_F_CREATE), r);
	nftnl_rule_free(r);
	tx_next(tx);
}

/* Send the batch and read every answer: the kernel handles a batch in
 * the sender's sendmsg(), so they are all queued when it returns. The
 * first error wins. */
static int tx_send(struct vrrp_nft_tx *tx)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	char rx[MNL_SOCKET_BUFFER_SIZE];
	unsigned acks = 0;
	int err = 0;
	ssize_t got;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, mnl_nlmsg_batch_head(tx->b), mnl_nlmsg_batch_size(tx->b)) < 0) {
		err = -errno;
		mnl_socket_close(nl);
		return err;
	}
	while (acks < tx->acks &&
	       (got = recv(mnl_socket_get_fd(nl), rx, sizeof(rx), MSG_DONTWAIT)) > 0) {
		int n = (int)got; /* libmnl counts what is left in an int */

		for (struct nlmsghdr *h = (struct nlmsghdr *)rx; mnl_nlmsg_ok(h, n);
		     h = mnl_nlmsg_next(h, &n)) {
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

int vrrp_nft_tx_run(vrrp_nft_fill_fn *fill, const void *arg)
{
	struct vrrp_nft_tx *tx = calloc(1, sizeof(*tx));
	int rc;

	if (!tx)
		return -ENOMEM;
	tx->b = mnl_nlmsg_batch_start(tx->buf, BATCH_BYTES);
	if (!tx->b) {
		free(tx);
		return -ENOMEM;
	}
	tx->seq = 1;
	nftnl_batch_begin(mnl_nlmsg_batch_current(tx->b), tx->seq++);
	mnl_nlmsg_batch_next(tx->b);
	fill(tx, arg);
	nftnl_batch_end(mnl_nlmsg_batch_current(tx->b), tx->seq++);
	if (!mnl_nlmsg_batch_next(tx->b) && !tx->err)
		tx->err = -ENOSPC;
	if (!tx->err)
		tx->err = tx_send(tx);
	mnl_nlmsg_batch_stop(tx->b);
	rc = tx->err;
	free(tx);
	return rc;
}

static void fill_delete(struct vrrp_nft_tx *tx, const void *arg)
{
	vrrp_nft_tx_drop_table(tx, NFPROTO_IPV4, arg);
	vrrp_nft_tx_drop_table(tx, NFPROTO_IPV6, arg);
}

int vrrp_nft_delete_tables(const char *name)
{
	return vrrp_nft_tx_run(fill_delete, name);
}

struct nftnl_expr *vrrp_nft_expr_cmp(uint32_t sreg, uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, sreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
		nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	}
	return e;
}

struct nftnl_expr *vrrp_nft_expr_verdict(int verdict)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	}
	return e;
}

struct nftnl_expr *vrrp_nft_expr_meta(uint32_t key, uint32_t dreg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, dreg);
	}
	return e;
}

struct nftnl_expr *vrrp_nft_expr_payload(uint32_t base, uint32_t offset, uint32_t len,
					 uint32_t dreg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, dreg);
	}
	return e;
}

struct nftnl_expr *vrrp_nft_expr_lookup(const char *set, uint32_t sreg, int dreg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("lookup");

	if (e) {
		nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, sreg);
		if (dreg >= 0)
			nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, (uint32_t)dreg);
	}
	return e;
}
