/* Reload planning for VRRP instances. Pure. */
#ifndef VIGIL_VRRP_PLAN_H
#define VIGIL_VRRP_PLAN_H

#include <stdbool.h>

#include "parser/conf_vrrp.h"

/* Whether a running instance configured as @a can take @b in place,
 * keeping its state and VIPs: the same protocol identity (VRID, family,
 * version, interface, multicast group or unicast peers, source address,
 * virtual MAC). Anything else (priority, advert interval, VIP lists,
 * preemption, authentication, garp timings...) changes in place. Instances
 * are matched by name before this is asked. */
bool vrrp_conf_compatible(const struct vrrp_instance_conf *a, const struct vrrp_instance_conf *b);

#endif
