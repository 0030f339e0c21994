#include "build-config.h"

#include "parser/conf_internal.h"

const struct kw conf_global_top_kws[] = {
	{ "__placeholder_global", NULL, 0, KW_ANY, KW_OPT_BLOCK, NULL },
};
const size_t conf_global_top_nkws = sizeof(conf_global_top_kws) / sizeof(conf_global_top_kws[0]);

void conf_global_defaults(struct conf_ctx *ctx, struct global_conf *c)
{
}

void conf_global_finish(struct conf_ctx *ctx)
{
}
