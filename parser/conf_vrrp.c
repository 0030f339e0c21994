#include "build-config.h"

#include "parser/conf_internal.h"

const struct kw conf_vrrp_top_kws[] = {
	{ "__placeholder_vrrp", NULL, 0, KW_ANY, KW_OPT_BLOCK, NULL },
};
const size_t conf_vrrp_top_nkws = sizeof(conf_vrrp_top_kws) / sizeof(conf_vrrp_top_kws[0]);

void conf_vrrp_defaults(struct conf_ctx *ctx, struct vrrp_conf *c)
{
}

void conf_vrrp_finish(struct conf_ctx *ctx)
{
}
