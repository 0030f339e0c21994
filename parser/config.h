/* The typed, immutable configuration model and how to load it.
 *
 * config_load_*() runs the whole pipeline: lexer (tree.h) -> keyword tables
 * (kw.h) -> typed model in an arena -> cross-reference validation. The
 * result is read-only data owned by the arena: the daemon keeps one per
 * generation and compares two of them to plan a reload.
 */
#ifndef VIGIL_PARSER_CONFIG_H
#define VIGIL_PARSER_CONFIG_H

#include "lib/arena.h"
#include "parser/conf_global.h"
#include "parser/conf_lvs.h"
#include "parser/conf_vrrp.h"
#include "parser/diag.h"
#include "parser/tree.h"

struct vigil_config {
	const char *path;      /* the main file read */
	const char *config_id; /* the -i value in effect, or NULL */
	unsigned statements;   /* statements seen (all levels) */
	struct global_conf global;
	struct vrrp_conf vrrp;
	struct lvs_conf lvs;
};

struct config_opts {
	const char *config_id; /* -i; NULL = host name's first label */
	const char *(*getenv)(const char *name, void *data); /* NULL = getenv() */
	void *getenv_data;
	bool include_check_all; /* -e/--all-config: every include must be readable */
};

/* Load and validate. Returns 0 with *out set when no error was reported
 * (warnings may have been), -EINVAL when errors were reported into @dl, or
 * another negative errno. The model lives in @arena. */
int config_load_file(const char *path, const struct config_opts *opts, struct arena *arena,
		     struct diag_list *dl, const struct vigil_config **out);
int config_load_string(const char *name, const char *text, const struct config_opts *opts,
		       struct arena *arena, struct diag_list *dl, const struct vigil_config **out);

/* Build the model from an already lexed tree (what the two above do after
 * lexing). */
int config_build(const struct cfg_tree *tree, const char *path, const struct config_opts *opts,
		 struct arena *arena, struct diag_list *dl, const struct vigil_config **out);

#endif
