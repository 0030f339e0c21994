/* The LVS side's top level: virtual_server, virtual_server_group, SSL, and
 * the pass that runs once everything is read (group references, defaults,
 * inheritance, cross-checks). Block contents live in conf_vs.c, conf_rs.c
 * and conf_check*.c; per-virtual-server validation in conf_lvs_finish.c.
 */
#include "build-config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parser/conf_lvs_internal.h"

/* keepalived 2.2.7's list (check_parser.c), "twos" included. */
const char *const lvs_schedulers[] = { "rr", "wrr", "lc",  "wlc", "lblc", "sh",   "mh", "dh",
				       "fo", "ovf", "lblcr", "sed", "nq",   "twos", NULL };

const char *lvs_checker_name(enum lvs_checker_type t)
{
	static const char *const names[] = {
		[LVS_CHECK_TCP] = "TCP_CHECK",   [LVS_CHECK_HTTP] = "HTTP_GET",
		[LVS_CHECK_SSL] = "SSL_GET",     [LVS_CHECK_SMTP] = "SMTP_CHECK",
		[LVS_CHECK_DNS] = "DNS_CHECK",   [LVS_CHECK_UDP] = "UDP_CHECK",
		[LVS_CHECK_PING] = "PING_CHECK", [LVS_CHECK_MISC] = "MISC_CHECK",
		[LVS_CHECK_FILE] = "FILE_CHECK", [LVS_CHECK_BFD] = "BFD_CHECK",
	};

	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

const char *lvs_protocol_name(enum lvs_protocol p)
{
	switch (p) {
	case LVS_PROTO_TCP:
		return "TCP";
	case LVS_PROTO_UDP:
		return "UDP";
	case LVS_PROTO_SCTP:
		return "SCTP";
	default:
		return "none";
	}
}

/* ---- SSL { } ---- */

static void ssl_file(struct conf_ctx *ctx, const struct cfg_node *n, const char **field)
{
	if (*field)
		conf_strict(ctx, n, 0, "SSL %s already specified - replacing", n->args[0].s);
	conf_str(ctx, n, 1, field);
}

static void kw_ssl_password(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	ssl_file(ctx, n, &((struct lvs_ssl_conf *)obj)->password);
}

static void kw_ssl_ca(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	ssl_file(ctx, n, &((struct lvs_ssl_conf *)obj)->ca);
}

static void kw_ssl_certificate(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	ssl_file(ctx, n, &((struct lvs_ssl_conf *)obj)->certificate);
}

static void kw_ssl_key(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	ssl_file(ctx, n, &((struct lvs_ssl_conf *)obj)->key);
}

static const struct kw ssl_kws[] = {
	{ "password", kw_ssl_password, 1, 1, 0, NULL },
	{ "ca", kw_ssl_ca, 1, 1, 0, NULL },
	{ "certificate", kw_ssl_certificate, 1, 1, 0, NULL },
	{ "key", kw_ssl_key, 1, 1, 0, NULL },
};
const struct kw_table lvs_ssl_table = KW_TABLE("SSL", ssl_kws);

static void kw_ssl(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_conf *l = &ctx->cfg->lvs;
	struct lvs_ssl_conf *ssl;

	(void)obj;
	if (l->ssl)
		conf_strict(ctx, n, 0, "SSL context already specified - replacing");
	ssl = conf_alloc(ctx, n, sizeof(*ssl));
	if (!ssl)
		return;
	conf_loc(ctx, &n->loc, &ssl->loc);
	kw_dispatch(ctx, n->child, &lvs_ssl_table, ssl);
	l->ssl = ssl;
}

const struct kw conf_lvs_top_kws[] = {
	{ "virtual_server", lvs_kw_virtual_server, 1, 2, KW_BLOCK, NULL },
	{ "virtual_server_group", lvs_kw_vs_group, 1, 1, KW_BLOCK, NULL },
	{ "SSL", kw_ssl, 0, 0, KW_BLOCK, NULL },
};
const size_t conf_lvs_top_nkws = sizeof(conf_lvs_top_kws) / sizeof(conf_lvs_top_kws[0]);

void conf_lvs_defaults(struct conf_ctx *ctx, struct lvs_conf *l)
{
	(void)ctx;
	memset(l, 0, sizeof(*l));
}

/* ---- finish: group references, then each virtual server ---- */

struct name_slot {
	const char *name;
	struct lvs_vs_group *group;
};

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Open-addressing index of group names; the first definition of a name
 * wins, as in keepalived's list lookup. NULL slots on allocation failure. */
static struct name_slot *group_index(const struct lvs_conf *l, size_t *mask_out)
{
	size_t cap = 16, mask;
	struct name_slot *slots;

	while (cap < 2 * (size_t)l->n_groups)
		cap *= 2;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return NULL;
	mask = cap - 1;
	for (struct lvs_vs_group *g = l->groups; g; g = g->next) {
		size_t i = name_hash(g->name) & mask;

		while (slots[i].name && strcmp(slots[i].name, g->name))
			i = (i + 1) & mask;
		if (!slots[i].name)
			slots[i] = (struct name_slot){ g->name, g };
	}
	*mask_out = mask;
	return slots;
}

static const struct lvs_vs_group *group_find(const struct name_slot *slots, size_t mask,
					     const char *name)
{
	for (size_t i = name_hash(name) & mask; slots[i].name; i = (i + 1) & mask)
		if (strcmp(slots[i].name, name) == 0)
			return slots[i].group;
	return NULL;
}

static void resolve_groups(struct conf_ctx *ctx, struct lvs_conf *l)
{
	struct name_slot *slots = NULL;
	size_t mask = 0;

	for (struct lvs_virtual_server *vs = l->virtual_servers; vs; vs = vs->next) {
		struct lvs_vs_build *vb = (struct lvs_vs_build *)vs;

		if (vs->kind != LVS_VS_GROUP)
			continue;
		if (!slots && !(slots = group_index(l, &mask))) {
			conf_error_at(ctx, &vs->loc, "out of memory resolving virtual_server_group names");
			return;
		}
		vs->group = group_find(slots, mask, vb->group_name);
		/* keepalived -t accepts this and the service never exists. */
		if (!vs->group)
			conf_warning_at(ctx, &vs->loc,
					"virtual_server group '%s' is not defined by any "
					"virtual_server_group; virtual server ignored",
					vb->group_name);
	}
	free(slots);
}

void conf_lvs_finish(struct conf_ctx *ctx)
{
	struct lvs_conf *l = &ctx->cfg->lvs;
	struct lvs_virtual_server **pp;

	LVS_LIST_REVERSE(struct lvs_vs_group, l->groups);
	LVS_LIST_REVERSE(struct lvs_virtual_server, l->virtual_servers);
	resolve_groups(ctx, l);

	/* Virtual servers keepalived drops (no real servers, unknown group)
	 * leave the model too, so consumers never see half-configured ones. */
	l->n_virtual_servers = 0;
	l->n_checkers = 0;
	for (pp = &l->virtual_servers; *pp;) {
		struct lvs_virtual_server *vs = *pp;

		if (vs->kind == LVS_VS_GROUP && !vs->group) {
			*pp = vs->next;
			continue;
		}
		lvs_finish_virtual_server(ctx, (struct lvs_vs_build *)vs);
		if (!vs->n_real_servers) {
			*pp = vs->next;
			continue;
		}
		l->n_virtual_servers++;
		for (const struct lvs_real_server *rs = vs->real_servers; rs; rs = rs->next)
			l->n_checkers += rs->n_checkers;
		pp = &vs->next;
	}
}
