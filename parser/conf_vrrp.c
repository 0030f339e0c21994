/* The top-level VRRP keywords, the small blocks (static_*, garp_group,
 * track_group, linkbeat_interfaces, interface_up_down_delays) and lookups.
 * vrrp_instance, the tracked objects and sync groups have their own files. */
#include "build-config.h"

#include <stdlib.h>
#include <string.h>

#include "parser/conf_vrrp_internal.h"

#define H(fn) static void fn(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)

const struct vrrp_instance_conf *vrrp_conf_instance(const struct vrrp_conf *v, const char *name)
{
	for (const struct vrrp_instance_conf *vi = v->instances; vi; vi = vi->next)
		if (!strcmp(vi->name, name))
			return vi;
	return NULL;
}

const struct vrrp_script_conf *vrrp_conf_script(const struct vrrp_conf *v, const char *name)
{
	for (const struct vrrp_script_conf *s = v->scripts; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

H(t_static_ipaddress)
{
	(void)obj;
	conf_addr_block(ctx, n, VRRP_ADDR_STATIC, &VRRP(ctx)->static_addresses);
}

H(t_static_routes)
{
	(void)obj;
	conf_route_block(ctx, n, VRRP_ADDR_STATIC, &VRRP(ctx)->static_routes);
}

H(t_static_rules)
{
	(void)obj;
	conf_rule_block(ctx, n, VRRP_ADDR_STATIC, &VRRP(ctx)->static_rules);
}

/* linkbeat_interfaces { IFNAME [MII|ETHTOOL|IOCTL] ... } */
H(t_linkbeat)
{
	static const char *const types[] = { "MII", "ETHTOOL", "IOCTL", NULL };

	(void)obj;
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		struct vrrp_linkbeat_conf *l = conf_alloc(ctx, c, sizeof(*l));
		int k;

		if (!l || conf_str(ctx, c, 0, &l->ifname) < 0)
			return;
		conf_loc(ctx, &c->loc, &l->loc);
		if (c->argc > 2)
			conf_error(ctx, c, 2, "too many words: IFNAME [MII|ETHTOOL|IOCTL]");
		if (c->argc > 1 && conf_enum(ctx, c, 1, types, &k) == 0)
			l->type = (enum vrrp_linkbeat_type)(k + 1);
		VRRP_APPEND(ctx, linkbeat, l);
	}
}

/* interface_up_down_delays { IFNAME DOWN [UP] ... }, at most 255 s each. */
H(t_if_delays)
{
	(void)obj;
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		struct vrrp_if_delay_conf *d = conf_alloc(ctx, c, sizeof(*d));

		if (!d || conf_str(ctx, c, 0, &d->ifname) < 0)
			return;
		conf_loc(ctx, &c->loc, &d->loc);
		if (c->argc < 2 || c->argc > 3) {
			conf_error(ctx, c, 0, "expected IFNAME DOWN_DELAY [UP_DELAY]");
			continue;
		}
		if (conf_timer_us(ctx, c, 1, 0, 255 * SEC_US, &d->down_us) < 0)
			continue;
		d->up_us = d->down_us;
		if (c->argc == 3 && conf_timer_us(ctx, c, 2, 0, 255 * SEC_US, &d->up_us) < 0)
			continue;
		VRRP_APPEND(ctx, if_delays, d);
	}
}

/* Names, one or more a line, of a "group { ... }" or "interfaces { ... }". */
static unsigned name_list(struct conf_ctx *ctx, const struct cfg_node *n, struct vrrp_name_ref **head)
{
	unsigned count = 0;

	while (*head)
		head = &(*head)->next;
	for (const struct cfg_node *c = n->child; c; c = c->next)
		for (unsigned i = 0; i < c->argc; i++) {
			struct vrrp_name_ref *r = conf_alloc(ctx, c, sizeof(*r));

			if (!r || conf_str(ctx, c, i, &r->name) < 0)
				return count;
			conf_loc(ctx, &c->args[i].loc, &r->loc);
			*head = r;
			head = &r->next;
			count++;
		}
	return count;
}

#define GG(o) ((struct vrrp_garp_group_conf *)(o))

H(gg_garp_interval) { conf_timer_us(ctx, n, 1, 0, SEC_US, &GG(obj)->garp_interval_us); }
H(gg_gna_interval) { conf_timer_us(ctx, n, 1, 0, SEC_US, &GG(obj)->gna_interval_us); }
H(gg_interface) { conf_str(ctx, n, 1, &GG(obj)->interface); }
H(gg_interfaces)
{
	struct vrrp_name_ref *names = NULL;
	unsigned count = name_list(ctx, n, &names), i = 0;
	const char **v = conf_alloc(ctx, n, (count + 1) * sizeof(*v));

	if (!v)
		return;
	for (; names; names = names->next)
		v[i++] = names->name;
	GG(obj)->interfaces = v;
	GG(obj)->n_interfaces = count;
}

static const struct kw garp_group_kws[] = {
	{ "garp_interval", gg_garp_interval, 1, 1, 0, NULL },
	{ "gna_interval", gg_gna_interval, 1, 1, 0, NULL },
	{ "interface", gg_interface, 1, 1, 0, NULL },
	{ "interfaces", gg_interfaces, 0, 0, KW_BLOCK, NULL },
};
static const struct kw_table garp_group_table = KW_TABLE("garp_group", garp_group_kws);

H(t_garp_group)
{
	struct vrrp_garp_group_conf *g = conf_alloc(ctx, n, sizeof(*g));

	(void)obj;
	if (!g)
		return;
	conf_loc(ctx, &n->loc, &g->loc);
	kw_dispatch(ctx, n->child, &garp_group_table, g);
	if (!g->interface == !g->interfaces) {
		conf_error(ctx, n, 0, "garp_group needs exactly one of 'interface' or 'interfaces'");
		return;
	}
	VRRP_APPEND(ctx, garp_groups, g);
}

#define TG(o) ((struct vrrp_track_group_conf *)(o))

H(tg_group) { TG(obj)->n_members += name_list(ctx, n, &TG(obj)->members); }

static const struct kw track_group_kws[] = {
	{ "group", tg_group, 0, 0, KW_BLOCK, NULL },
};
static const struct kw_table track_group_table = KW_TABLE("track_group", track_group_kws);

H(t_track_group)
{
	struct vrrp_track_group_conf *g;

	(void)obj;
	if (conf_vrrp_name_taken(ctx, n, VRRP_NAME_TRACK_GROUP, "track_group"))
		return;
	g = conf_alloc(ctx, n, sizeof(*g));
	if (!g || conf_str(ctx, n, 1, &g->name) < 0)
		return;
	conf_loc(ctx, &n->loc, &g->loc);
	kw_dispatch(ctx, n->child, &track_group_table, g);
	VRRP_APPEND(ctx, track_groups, g);
	conf_vrrp_name_add(ctx, VRRP_NAME_TRACK_GROUP, g->name, g);
}

const struct kw conf_vrrp_top_kws[] = {
	{ "vrrp_instance", conf_vrrp_instance_block, 1, 1, KW_BLOCK, NULL },
	{ "vrrp_sync_group", conf_vrrp_sync_group_block, 1, 1, KW_BLOCK, NULL },
	{ "vrrp_script", conf_vrrp_script_block, 1, 1, KW_BLOCK, NULL },
	{ "track_file", conf_vrrp_track_file_block, 1, 1, KW_BLOCK, NULL },
	{ "vrrp_track_file", conf_vrrp_track_file_block, 1, 1, KW_BLOCK | KW_DEPRECATED,
	  "track_file" },
	{ "vrrp_track_process", conf_vrrp_track_process_block, 1, 1, KW_BLOCK, NULL },
	{ "garp_group", t_garp_group, 0, 0, KW_BLOCK, NULL },
	{ "track_group", t_track_group, 1, 1, KW_BLOCK, NULL },
	{ "linkbeat_interfaces", t_linkbeat, 0, 0, KW_BLOCK, NULL },
	{ "interface_up_down_delays", t_if_delays, 0, 0, KW_BLOCK, NULL },
	{ "static_ipaddress", t_static_ipaddress, 0, 0, KW_BLOCK, NULL },
	{ "static_routes", t_static_routes, 0, 0, KW_BLOCK, NULL },
	{ "static_rules", t_static_rules, 0, 0, KW_BLOCK, NULL },
	{ "bfd_instance", NULL, 0, KW_ANY, KW_IGNORED | KW_OPT_BLOCK,
	  "BFD is not implemented; track_bfd references are ignored" },
};
const size_t conf_vrrp_top_nkws = sizeof(conf_vrrp_top_kws) / sizeof(conf_vrrp_top_kws[0]);

void conf_vrrp_defaults(struct conf_ctx *ctx, struct vrrp_conf *v)
{
	memset(v, 0, sizeof(*v));
	ctx->vrrp = calloc(1, sizeof(*ctx->vrrp));
	if (!ctx->vrrp)
		conf_error_at(ctx, NULL, "out of memory");
}

void conf_vrrp_finish(struct conf_ctx *ctx)
{
	if (ctx->vrrp)
		conf_vrrp_check_all(ctx);
}

void conf_vrrp_release(struct conf_ctx *ctx)
{
	if (ctx->vrrp)
		name_index_release(&ctx->vrrp->names);
	free(ctx->vrrp);
	ctx->vrrp = NULL;
}
