/* One nftables transaction, built with libnftnl and sent with libmnl: the
 * plumbing the VRRP child's tables share (vrrp/block_nft.c for
 * no_accept, vrrp/vmac_nft.c for the VMAC interfaces' reports). A caller
 * fills one batch through the calls below; the kernel applies all of it or
 * nothing, so a table is replaced (or deleted) without a moment where the
 * old rules are gone and the new ones not yet in place.
 *
 * Building never fails halfway visibly: the first allocation failure is
 * kept in the transaction and vrrp_nft_tx_run() returns it without
 * sending anything. Every call is synchronous and local.
 */
#ifndef VIGIL_VRRP_NFT_TX_H
#define VIGIL_VRRP_NFT_TX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nftnl_expr;
struct nftnl_set;
struct vrrp_nft_tx;

typedef void vrrp_nft_fill_fn(struct vrrp_nft_tx *tx, const void *arg);

/* Fill a batch with @fill(tx, @arg) and commit it as one transaction.
 * Returns 0, or a negative errno: the first the kernel reported (the
 * transaction then changed nothing) or an allocation failure. */
int vrrp_nft_tx_run(vrrp_nft_fill_fn *fill, const void *arg);

/* Delete table @name of @family (NFPROTO_IPV4, NFPROTO_IPV6) if it exists
 * ("add" then "delete", so it works without Linux 6.3's DESTROYTABLE). */
void vrrp_nft_tx_drop_table(struct vrrp_nft_tx *tx, uint16_t family, const char *name);

/* Table @name of @family afresh: whatever was there (a killed
 * predecessor's, an older configuration's) goes in the same transaction. */
void vrrp_nft_tx_new_table(struct vrrp_nft_tx *tx, uint16_t family, const char *name);

/* A base chain: type filter, hook @hook, priority @prio, policy accept. */
void vrrp_nft_tx_chain(struct vrrp_nft_tx *tx, uint16_t family, const char *table, const char *name,
		       unsigned hook, int32_t prio);

/* Create set @s (family, table, name, types and flags set by the
 * caller). Takes @s; NULL (a failed allocation) fails the transaction. */
void vrrp_nft_tx_set(struct vrrp_nft_tx *tx, struct nftnl_set *s);

/* Add (@add) or delete the elements of @s (family, table, name and the
 * elements set). Takes @s; NULL fails the transaction. */
void vrrp_nft_tx_elems(struct vrrp_nft_tx *tx, bool add, struct nftnl_set *s);

/* Append a rule of the @n expressions @e (in order) to @chain. Takes them
 * all; a NULL among them (a failed allocation) fails the transaction. */
void vrrp_nft_tx_rule(struct vrrp_nft_tx *tx, uint16_t family, const char *table, const char *chain,
		      struct nftnl_expr **e, size_t n);

/* Delete table @name in both ip and ip6, in one transaction. Returns 0 or
 * a negative errno. */
int vrrp_nft_delete_tables(const char *name);

/* Expressions for vrrp_nft_tx_rule() (NULL when out of memory). */
struct nftnl_expr *vrrp_nft_expr_cmp(uint32_t sreg, uint32_t op, const void *data, uint32_t len);
struct nftnl_expr *vrrp_nft_expr_verdict(int verdict);
struct nftnl_expr *vrrp_nft_expr_meta(uint32_t key, uint32_t dreg);
struct nftnl_expr *vrrp_nft_expr_payload(uint32_t base, uint32_t offset, uint32_t len,
					 uint32_t dreg);
/* Look @sreg up in set @set; @dreg >= 0: a map, its value into @dreg. */
struct nftnl_expr *vrrp_nft_expr_lookup(const char *set, uint32_t sreg, int dreg);

#endif
