/* The generic syntax tree the lexer produces from keepalived.conf text.
 *
 * After includes, @conditionals, $macros, ~SEQ/~LST and line continuations are
 * resolved, a config is a list of statements. A statement is the words of one
 * line (argv[0] is the keyword, or the datum in blocks such as
 * virtual_ipaddress whose lines are values), optionally followed by a block
 * "{ ... }" holding more statements. The semantic layer (keyword tables) turns
 * this tree into the typed config model; nothing here knows any keyword.
 */
#ifndef VIGIL_PARSER_TREE_H
#define VIGIL_PARSER_TREE_H

#include <stdbool.h>

#include "parser/diag.h"

struct cfg_arg {
	const char *s;      /* unquoted, escapes resolved */
	struct cfg_loc loc; /* where the word starts */
	bool quoted;        /* some part of it was quoted */
};

struct cfg_node {
	struct cfg_loc loc;       /* == args[0].loc */
	unsigned argc;            /* >= 1 */
	struct cfg_arg *args;     /* args[0] is the keyword */
	bool has_block;           /* followed by "{ ... }" */
	struct cfg_loc block_loc; /* where the '{' is, when has_block */
	struct cfg_node *child;   /* first statement of the block, or NULL */
	struct cfg_node *next;    /* next statement at the same level */
};

struct cfg_tree {
	struct cfg_node *first; /* first top-level statement */
	void *priv;             /* the lexer's memory: files, strings, nodes */
};

struct lex_opts {
	/* -i/--config-id: selects "@id" lines. NULL means the first part of the
	 * host name, as keepalived does. */
	const char *config_id;
	/* Environment lookup for ${_ENV NAME}; NULL means getenv(). Tests
	 * plug in their own. */
	const char *(*getenv)(const char *name, void *data);
	void *getenv_data;
	/* Seed for ${_RANDOM}; 0 seeds from the clock, as keepalived does
	 * without random_seed. Tests set it to get repeatable output. */
	unsigned random_seed;
	/* -e/--all-config: every include check on from the start, as if
	 * "include_check" were given with no options. */
	bool include_check_all;
};

/* Read @path (and everything it includes) into a tree. Problems are reported
 * into @dl. Returns 0 and sets *out (free with cfg_tree_free) even when only
 * warnings were reported; returns a negative errno-style code when an error
 * was reported (*out may still be set: the tree of what could be read). */
int cfg_tree_parse_file(const char *path, const struct lex_opts *opts, struct diag_list *dl,
			struct cfg_tree **out);

/* Same, from text in memory; @name is used for locations, and relative
 * includes resolve against the current directory. */
int cfg_tree_parse_string(const char *name, const char *text, const struct lex_opts *opts,
			  struct diag_list *dl, struct cfg_tree **out);

void cfg_tree_free(struct cfg_tree *t);

#endif
