#include "build-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parser/conf_internal.h"

/* The top level is the union of what each model module declares there, so a
 * module adds a top-level block without touching this file. */
static int top_table(struct kw_table *t)
{
	size_t n = conf_global_top_nkws + conf_vrrp_top_nkws + conf_lvs_top_nkws;
	struct kw *v = malloc(n * sizeof(*v));

	if (!v)
		return -ENOMEM;
	memcpy(v, conf_global_top_kws, conf_global_top_nkws * sizeof(*v));
	memcpy(v + conf_global_top_nkws, conf_vrrp_top_kws, conf_vrrp_top_nkws * sizeof(*v));
	memcpy(v + conf_global_top_nkws + conf_vrrp_top_nkws, conf_lvs_top_kws,
	       conf_lvs_top_nkws * sizeof(*v));
	t->what = "the top level";
	t->v = v;
	t->n = n;
	return 0;
}

static unsigned count_statements(const struct cfg_node *n)
{
	unsigned c = 0;

	for (; n; n = n->next)
		c += 1 + count_statements(n->child);
	return c;
}

int config_build(const struct cfg_tree *tree, const char *path, const struct config_opts *opts,
		 struct arena *arena, struct diag_list *dl, const struct vigil_config **out)
{
	struct vigil_config *cfg;
	struct conf_ctx ctx;
	struct kw_table top;
	int rc;

	cfg = arena_alloc(arena, sizeof(*cfg));
	if (!cfg)
		return -ENOMEM;
	rc = top_table(&top);
	if (rc < 0)
		return rc;
	cfg->path = arena_strdup(arena, path);
	cfg->config_id = opts && opts->config_id ? arena_strdup(arena, opts->config_id) : NULL;
	cfg->statements = count_statements(tree->first);

	conf_ctx_init(&ctx, arena, dl, cfg);
	conf_global_defaults(&ctx, &cfg->global);
	conf_vrrp_defaults(&ctx, &cfg->vrrp);
	conf_lvs_defaults(&ctx, &cfg->lvs);
	kw_dispatch(&ctx, tree->first, &top, cfg);
	conf_global_finish(&ctx);
	conf_vrrp_finish(&ctx);
	conf_lvs_finish(&ctx);
	conf_vrrp_release(&ctx);
	conf_ctx_fini(&ctx);
	free((void *)top.v);

	if (diag_has_errors(dl))
		return -EINVAL;
	*out = cfg;
	return 0;
}

static void lex_opts_from(const struct config_opts *opts, struct lex_opts *lo)
{
	memset(lo, 0, sizeof(*lo));
	if (opts) {
		lo->config_id = opts->config_id;
		lo->getenv = opts->getenv;
		lo->getenv_data = opts->getenv_data;
		lo->include_check_all = opts->include_check_all;
	}
}

int config_load_file(const char *path, const struct config_opts *opts, struct arena *arena,
		     struct diag_list *dl, const struct vigil_config **out)
{
	struct cfg_tree *tree = NULL;
	struct lex_opts lo;
	int rc;

	lex_opts_from(opts, &lo);
	rc = cfg_tree_parse_file(path, &lo, dl, &tree);
	if (tree && (rc == 0 || rc == -EINVAL))
		/* Build even after lexing errors so every problem is reported at once. */
		rc = config_build(tree, path, opts, arena, dl, out) ?: rc;
	cfg_tree_free(tree);
	if (rc == 0 && diag_has_errors(dl))
		rc = -EINVAL;
	return rc;
}

int config_load_string(const char *name, const char *text, const struct config_opts *opts,
		       struct arena *arena, struct diag_list *dl, const struct vigil_config **out)
{
	struct cfg_tree *tree = NULL;
	struct lex_opts lo;
	int rc;

	lex_opts_from(opts, &lo);
	rc = cfg_tree_parse_string(name, text, &lo, dl, &tree);
	if (tree && (rc == 0 || rc == -EINVAL))
		rc = config_build(tree, name, opts, arena, dl, out) ?: rc;
	cfg_tree_free(tree);
	if (rc == 0 && diag_has_errors(dl))
		rc = -EINVAL;
	return rc;
}
