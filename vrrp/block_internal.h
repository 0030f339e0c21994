/* Between vrrp/block.c (the ipsets) and vrrp/block_nft.c (the nftables
 * tables). Not for use outside them. */
#ifndef VIGIL_VRRP_BLOCK_INTERNAL_H
#define VIGIL_VRRP_BLOCK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "vrrp/block.h"

/* The kernel's index of each ipset, which the xtables "set" match names. */
struct vrrp_block_sets {
	uint16_t index4, index6, index_if6;
};

/* In one nftables transaction: delete the tables named @s->table (and
 * @old_table when it differs and is not NULL) if they exist, and create
 * them anew with their chains and rules against @sets. Returns 0, or a
 * negative errno with the kernel's reason in @why (the transaction then
 * changed nothing). */
int vrrp_block_nft_replace(const struct vrrp_block_settings *s, const char *old_table,
			   const struct vrrp_block_sets *sets, char *why, size_t len);

/* Delete both tables named @table, if they exist. Returns 0 or a negative
 * errno. */
int vrrp_block_nft_delete(const char *table);

#endif
