/* Static addresses, routes and rules (see static.h). */
#include "build-config.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "daemon/log.h"
#include "vrrp/addr.h"
#include "vrrp/plan.h"
#include "vrrp/route.h"
#include "vrrp/static.h"

/* keepalived: an address without "dev" goes on default_interface (eth0). */
static const char *default_if(const struct vigil_config *cfg)
{
	return cfg->global.default_interface ? cfg->global.default_interface : "eth0";
}

static unsigned addr_one(struct nl_sock *nl, const struct vigil_config *cfg,
			 const struct vrrp_addr_conf *a, bool add)
{
	const char *dev = vrrp_addr_dev(a, default_if(cfg));
	unsigned ifindex = if_nametoindex(dev);
	char buf[VADDR_STRLEN];
	int rc;

	if (!nl)
		rc = -ENOTCONN;
	else if (!ifindex)
		rc = add ? -ENODEV : 0;
	else
		rc = add ? vrrp_addr_add(nl, ifindex, a) : vrrp_addr_del(nl, ifindex, a);
	if (rc == 0)
		return 0;
	log_err("static cannot %s %s/%u on %s (%s:%u): %s", add ? "add" : "remove",
		vaddr_format(&a->addr, buf, sizeof(buf)), a->prefix, dev,
		a->loc.file ? a->loc.file : "?", a->loc.line, strerror(-rc));
	return 1;
}

static bool list_has(const struct vrrp_addr_list *l, const struct vrrp_addr_conf *a)
{
	for (const struct vrrp_addr_conf *b = l ? l->first : NULL; b; b = b->next)
		if (vrrp_addr_same(a, b))
			return true;
	return false;
}

/* Add or remove the addresses of @cfg that @unless (NULL: none) has not. */
static unsigned addrs(struct nl_sock *nl, const struct vigil_config *cfg,
		      const struct vigil_config *unless, bool add)
{
	unsigned failed = 0;

	for (const struct vrrp_addr_conf *a = cfg->vrrp.static_addresses.first; a; a = a->next)
		if (!unless || !list_has(&unless->vrrp.static_addresses, a))
			failed += addr_one(nl, cfg, a, add);
	return failed;
}

static struct vrrp_route_set set_of(const struct vigil_config *cfg)
{
	return (struct vrrp_route_set){.routes = &cfg->vrrp.static_routes,
				       .rules = &cfg->vrrp.static_rules};
}

void vrrp_static_apply(struct vrrp_static *s, struct nl_sock *nl, const struct vigil_config *next)
{
	const struct vigil_config *old = s->cfg;
	const struct vrrp_route_set to = set_of(next);

	/* An address whose default interface changed is another address. */
	if (old && strcmp(default_if(old), default_if(next)))
		s->errors += addrs(nl, old, NULL, false) + addrs(nl, next, NULL, true);
	else if (old)
		s->errors += addrs(nl, old, next, false) + addrs(nl, next, old, true);
	else
		s->errors += addrs(nl, next, NULL, true);
	if (old) {
		const struct vrrp_route_set from = set_of(old);

		s->errors += vrrp_route_set_update(nl, "static", &from, &to);
	} else {
		s->errors += vrrp_route_set_apply(nl, "static", &to, true);
	}
	s->cfg = next;
}

void vrrp_static_remove(struct vrrp_static *s, struct nl_sock *nl)
{
	const struct vrrp_route_set set = s->cfg ? set_of(s->cfg) : (struct vrrp_route_set){0};

	if (!s->cfg)
		return;
	s->errors += vrrp_route_set_apply(nl, "static", &set, false);
	s->errors += addrs(nl, s->cfg, NULL, false);
	s->cfg = NULL;
}
