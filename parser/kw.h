/* Keyword tables: one per config block, mapping a keyword to its handler.
 *
 * Adding a keyword touches one table and one struct. kw_dispatch() walks the
 * statements of a block, checks argument counts and block presence, reports
 * unknown keywords with a "did you mean" suggestion, and calls the handler.
 */
#ifndef VIGIL_PARSER_KW_H
#define VIGIL_PARSER_KW_H

#include <stddef.h>

#include "lib/arena.h"
#include "parser/diag.h"
#include "parser/tree.h"

struct vigil_config;
struct kw_index;
struct conf_vrrp_build;

/* State shared by every handler while one config is built. */
struct conf_ctx {
	struct arena *arena;     /* the model is allocated here */
	struct diag_list *dl;
	struct vigil_config *cfg; /* the model being built */
	struct kw_index *index;  /* lookup cache; private to kw.c */
	struct conf_vrrp_build *vrrp; /* build state; private to conf_vrrp*.c */
	const char *last_file;   /* file-name interning cache for conf_loc() */
	const char *last_file_copy;
};

typedef void (*kw_fn)(struct conf_ctx *ctx, const struct cfg_node *n, void *obj);

enum kw_flags {
	KW_BLOCK = 1 << 0,      /* must be followed by { } */
	KW_OPT_BLOCK = 1 << 1,  /* may be followed by { } */
	KW_IGNORED = 1 << 2,    /* keepalived keyword vigil accepts but does not act on: warning */
	KW_DEPRECATED = 1 << 3, /* accepted, with a warning naming kw.note as the replacement */
};

#define KW_ANY 0xffff /* max_args: unbounded */

struct kw {
	const char *name;
	kw_fn fn;         /* NULL for KW_IGNORED entries */
	unsigned short min_args, max_args; /* words after the keyword */
	unsigned flags;
	const char *note; /* KW_IGNORED: why; KW_DEPRECATED: the replacement */
};

struct kw_table {
	const char *what; /* block name for messages: "vrrp_instance" */
	const struct kw *v;
	size_t n;
};

#define KW_TABLE(what_, array_) { (what_), (array_), sizeof(array_) / sizeof((array_)[0]) }

void conf_ctx_init(struct conf_ctx *ctx, struct arena *arena, struct diag_list *dl,
		   struct vigil_config *cfg);
void conf_ctx_fini(struct conf_ctx *ctx);

/* Handle every statement from @first on (a block's children) with @table. */
void kw_dispatch(struct conf_ctx *ctx, const struct cfg_node *first, const struct kw_table *table,
		 void *obj);

/* Find @name in @table; NULL when absent. */
const struct kw *kw_lookup(struct conf_ctx *ctx, const struct kw_table *table, const char *name);

/* The table keyword closest to @word within a small edit distance, or NULL. */
const char *kw_suggest(const struct kw_table *table, const char *word);

/* Edit distance (Damerau-Levenshtein, optimal string alignment), capped at
 * @cap + 1. Exposed for tests and for value suggestions (enum names). */
unsigned kw_distance(const char *a, const char *b, unsigned cap);

/* Report an error/warning at argument @i of @n (0 = the keyword). */
void conf_error(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void conf_warning(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Report something keepalived fixes up (or ignores) and runs with, but that
 * fails its config test: a DIAG_STRICT warning. */
void conf_strict(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Report at a location already copied into the model (post-parse checks). */
void conf_error_at(struct conf_ctx *ctx, const struct cfg_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void conf_warning_at(struct conf_ctx *ctx, const struct cfg_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void conf_strict_at(struct conf_ctx *ctx, const struct cfg_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
