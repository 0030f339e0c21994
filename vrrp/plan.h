/* Reload planning for VRRP instances. Pure. */
#ifndef VIGIL_VRRP_PLAN_H
#define VIGIL_VRRP_PLAN_H

#include <stdbool.h>

#include "parser/conf_addr.h"
#include "parser/conf_vrrp.h"

/* Whether a running instance configured as @a can take @b in place,
 * keeping its state and VIPs: the same protocol identity (VRID, family,
 * version, interface, multicast group or unicast peers, source address,
 * virtual MAC). Anything else (priority, advert interval, VIP lists,
 * preemption, authentication, garp timings...) changes in place. Instances
 * are matched by name before this is asked. */
bool vrrp_conf_compatible(const struct vrrp_instance_conf *a, const struct vrrp_instance_conf *b);

/* Whether @a and @b are the same virtual router for keepalived 2.2.7
 * (vrrp_exist()): same VRID, family and interface, both unicast or both
 * multicast; unicast: the same source address; multicast: use_vmac on both
 * or neither, the same group. An instance a reload restarts (not
 * vrrp_conf_compatible()) that stays the same router notifies nothing of
 * its old self; one that does not is notified as deleted, as keepalived
 * does for an instance it no longer finds. */
bool vrrp_conf_same_router(const struct vrrp_instance_conf *a, const struct vrrp_instance_conf *b);

/* Whether two address lines describe the same kernel address (address,
 * prefix, device, scope, label, broadcast, peer, flags), so a reload keeps
 * it in place; any difference means remove the old and add the new. */
bool vrrp_addr_same(const struct vrrp_addr_conf *a, const struct vrrp_addr_conf *b);

/* Whether a master configured as @c must not accept traffic to its VIPs
 * (RFC 9568 §6.1 Accept_Mode False), so its VIPs go in the block set
 * (vrrp/block.h) while it holds them: not `accept` (`no_accept`, or strict
 * mode without `accept`), and not the address owner, which always accepts
 * (keepalived's vrrp_handle_accept_mode()). */
bool vrrp_conf_blocks(const struct vrrp_instance_conf *c);

/* Whether @a is a VIP (or excluded VIP) of a blocking instance of @list:
 * an entry of the block set that such an instance may still own. Others
 * left by a previous run (instances since removed, or now `accept`) are
 * stale. */
bool vrrp_conf_blocks_addr(const struct vrrp_instance_conf *list, const struct vaddr *a);

/* Whether any instance of @list blocks. */
bool vrrp_conf_any_blocks(const struct vrrp_instance_conf *list);

#endif
