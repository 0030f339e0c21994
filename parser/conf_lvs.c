#include "build-config.h"

#include "parser/conf_internal.h"

const struct kw conf_lvs_top_kws[] = {
	{ "__placeholder_lvs", NULL, 0, KW_ANY, KW_OPT_BLOCK, NULL },
};
const size_t conf_lvs_top_nkws = sizeof(conf_lvs_top_kws) / sizeof(conf_lvs_top_kws[0]);

void conf_lvs_defaults(struct conf_ctx *ctx, struct lvs_conf *c)
{
}

void conf_lvs_finish(struct conf_ctx *ctx)
{
}
