/* Handlers and hooks the model modules give to config.c. Private to parser/. */
#ifndef VIGIL_PARSER_CONF_INTERNAL_H
#define VIGIL_PARSER_CONF_INTERNAL_H

#include "parser/config.h"
#include "parser/kw.h"
#include "parser/values.h"

/* conf_global.c: global_defs and the top-level daemon keywords. */
extern const struct kw conf_global_top_kws[];
extern const size_t conf_global_top_nkws;
void conf_global_defaults(struct conf_ctx *ctx, struct global_conf *g);
void conf_global_finish(struct conf_ctx *ctx);

/* conf_vrrp.c: vrrp_*, track_*, static_*, garp_group, linkbeat_interfaces. */
extern const struct kw conf_vrrp_top_kws[];
extern const size_t conf_vrrp_top_nkws;
void conf_vrrp_defaults(struct conf_ctx *ctx, struct vrrp_conf *v);
/* Cross-references (track_script names, sync group members, ...) once
 * everything is read; runs after conf_global_finish(). */
void conf_vrrp_finish(struct conf_ctx *ctx);
/* Free the build state (name index); after conf_lvs_finish(). */
void conf_vrrp_release(struct conf_ctx *ctx);

/* conf_lvs.c and conf_check.c: virtual_server, virtual_server_group. */
extern const struct kw conf_lvs_top_kws[];
extern const size_t conf_lvs_top_nkws;
void conf_lvs_defaults(struct conf_ctx *ctx, struct lvs_conf *l);
/* Runs after conf_vrrp_finish(): may look up VRRP instances by name. */
void conf_lvs_finish(struct conf_ctx *ctx);

#endif
