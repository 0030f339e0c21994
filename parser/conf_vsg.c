/* virtual_server_group NAME { ADDR|RANGE [PORT] ...; fwmark N [inet|inet6] } */
#include "build-config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "parser/conf_lvs_internal.h"

/* Set host bits beyond @prefix in @a (to_ones) or test that they are zero. */
static bool host_bits(struct vaddr *a, unsigned prefix, bool to_ones)
{
	unsigned bits = a->family == AF_INET ? 32 : 128;
	uint8_t *p = a->family == AF_INET ? (uint8_t *)&a->u.v4 : a->u.v6.s6_addr;

	for (unsigned b = prefix; b < bits; b++) {
		uint8_t m = (uint8_t)(0x80u >> (b % 8));

		if (to_ones)
			p[b / 8] |= m;
		else if (p[b / 8] & m)
			return false;
	}
	return true;
}

static int addr_cmp(const struct vaddr *a, const struct vaddr *b)
{
	if (a->family == AF_INET)
		return memcmp(&a->u.v4, &b->u.v4, 4);
	return memcmp(&a->u.v6, &b->u.v6, 16);
}

/* "A.B.C.D-E" (last octet, decimal), "x::a-b" (last group, hex),
 * "START-END" (two full addresses), "ADDR/LEN". Pure; NULL or a reason. */
static const char *parse_range(const char *s, struct vaddr *start, struct vaddr *end)
{
	char buf[128];
	const char *sep = strpbrk(s, "-/");
	unsigned long v;
	char *e;

	if (!sep)
		return vaddr_parse(s, start) < 0 ? "not a valid address" : (*end = *start, NULL);
	if ((size_t)(sep - s) >= sizeof(buf))
		return "address too long";
	memcpy(buf, s, (size_t)(sep - s));
	buf[sep - s] = '\0';
	if (vaddr_parse(buf, start) < 0)
		return "not a valid address";
	*end = *start;
	if (*sep == '/') {
		v = strtoul(sep + 1, &e, 10);
		if (*e || e == sep + 1 || !v || v > (start->family == AF_INET ? 32u : 128u))
			return "invalid netmask";
		if (!host_bits(start, (unsigned)v, false))
			return "address mask bits not empty";
		host_bits(end, (unsigned)v, true);
		return NULL;
	}
	if (strchr(sep + 1, start->family == AF_INET ? '.' : ':')) {
		if (vaddr_parse(sep + 1, end) < 0)
			return "invalid range end";
		if (end->family != start->family)
			return "range address families do not match";
		return addr_cmp(end, start) < 0 ? "address range end is less than address range start"
						 : NULL;
	}
	v = strtoul(sep + 1, &e, start->family == AF_INET ? 10 : 16);
	if (*e || e == sep + 1)
		return "invalid range end";
	if (start->family == AF_INET) {
		uint8_t *p = (uint8_t *)&end->u.v4;

		if (v > 255 || v <= p[3])
			return "address range end is not greater than address range start";
		p[3] = (uint8_t)v;
	} else {
		uint8_t *p = end->u.v6.s6_addr;

		if (v > 0xffff || v <= ((unsigned)p[14] << 8 | p[15]))
			return "address range end is not greater than address range start";
		p[14] = (uint8_t)(v >> 8);
		p[15] = (uint8_t)v;
	}
	return NULL;
}

static void vsg_fwmark(struct conf_ctx *ctx, const struct cfg_node *n, struct lvs_vs_group *g,
		       struct lvs_vsg_entry *e)
{
	static const char *const families[] = { "inet", "inet6", NULL };
	int fam;

	if (n->argc < 2 || n->argc > 3) {
		conf_error(ctx, n, 0, "'fwmark' in virtual_server_group needs a mark and an optional family");
		return;
	}
	if (conf_u32(ctx, n, 1, 0, UINT32_MAX, &e->fwmark) < 0)
		return;
	if (n->argc == 3) {
		if (conf_enum(ctx, n, 2, families, &fam) < 0)
			return;
		e->fwmark_family = fam ? AF_INET6 : AF_INET;
	}
	e->is_fwmark = true;
	e->next = g->fwmarks;
	g->fwmarks = e;
	g->n_fwmarks++;
}

static void vsg_entry(struct conf_ctx *ctx, const struct cfg_node *n, struct lvs_vs_group *g)
{
	struct lvs_vsg_entry *e = conf_alloc(ctx, n, sizeof(*e));
	const char *why;

	if (!e)
		return;
	conf_loc(ctx, &n->loc, &e->loc);
	if (strcmp(n->args[0].s, "fwmark") == 0) {
		vsg_fwmark(ctx, n, g, e);
		return;
	}
	if (n->argc > 2 || n->has_block) {
		conf_error(ctx, n, n->argc > 2 ? 2 : 0,
			   "virtual_server_group entries are 'ADDRESS[-RANGE] [PORT]' or 'fwmark N'");
		return;
	}
	why = parse_range(n->args[0].s, &e->start, &e->end);
	if (why) {
		conf_error(ctx, n, 0, "virtual_server_group '%s': %s: '%s'", g->name, why,
			   n->args[0].s);
		return;
	}
	if (n->argc == 2 && conf_port(ctx, n, 1, &e->port) < 0)
		return;
	if (e->start.family == AF_INET)
		g->have_ipv4 = true;
	else
		g->have_ipv6 = true;
	e->next = g->ranges;
	g->ranges = e;
	g->n_ranges++;
}

void lvs_kw_vs_group(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_conf *l = &ctx->cfg->lvs;
	struct lvs_vs_group *g = conf_alloc(ctx, n, sizeof(*g));
	bool fwmark_no_family = false;

	(void)obj;
	if (!g || conf_str(ctx, n, 1, &g->name) < 0)
		return;
	conf_loc(ctx, &n->loc, &g->loc);
	for (const struct cfg_node *c = n->child; c; c = c->next)
		vsg_entry(ctx, c, g);
	LVS_LIST_REVERSE(struct lvs_vsg_entry, g->ranges);
	LVS_LIST_REVERSE(struct lvs_vsg_entry, g->fwmarks);
	for (const struct lvs_vsg_entry *e = g->fwmarks; e; e = e->next)
		fwmark_no_family |= !e->fwmark_family;
	if (!g->n_ranges && !g->n_fwmarks) {
		conf_strict(ctx, n, 1, "virtual server group %s has no entries - removing",
			    g->name);
		return;
	}
	if (g->have_ipv4 && g->have_ipv6 && fwmark_no_family) {
		conf_strict(ctx, n, 1,
			    "virtual server group %s cannot have IPv4, IPv6 and fwmark without "
			    "family - removing",
			    g->name);
		return;
	}
	g->next = l->groups;
	l->groups = g;
	l->n_groups++;
}
