/* Value parsers for keyword arguments.
 *
 * Each takes the statement @n and the index @i of the argument (1 = first
 * word after the keyword). On a bad value it reports an error at that word,
 * naming the keyword and the accepted range, and returns -EINVAL leaving *out
 * untouched, so the default stays in place.
 */
#ifndef VIGIL_PARSER_VALUES_H
#define VIGIL_PARSER_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "parser/kw.h"

/* The word, or NULL when absent. */
const char *conf_arg(const struct cfg_node *n, unsigned i);

int conf_u32(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, uint32_t min,
	     uint32_t max, uint32_t *out);
int conf_i32(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, int32_t min,
	     int32_t max, int32_t *out);
int conf_u64(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, uint64_t min,
	     uint64_t max, uint64_t *out);

/* A <TIMER>: seconds with an optional fraction ("3", "0.01", "2.71828"),
 * stored in microseconds. Bounds are in microseconds too. */
int conf_timer_us(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, uint64_t min_us,
		  uint64_t max_us, uint64_t *out);

/* A <BOOL>: on|off|true|false|yes|no. When the word is absent, *out = true
 * (keepalived's "keyword alone means enabled"). */
int conf_bool(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, bool *out);

/* One of @names (NULL-terminated); *out is its index. Suggests the nearest. */
int conf_enum(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i,
	      const char *const *names, int *out);

int conf_addr(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, struct vaddr *out);
/* "ADDR[/LEN]"; *has_prefix tells whether a length was given. */
int conf_prefix(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, struct vaddr *out,
		unsigned *prefix, bool *has_prefix);
int conf_port(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, uint16_t *out);

/* Arena copy of the word (never NULL on success). */
int conf_str(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, const char **out);
/* Arena copy of words i..argc-1 joined by single spaces (script command lines). */
int conf_join(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, const char **out);

/* Copy a location into the arena (file names interned), for model objects
 * that must name their origin after the tree is gone. */
void conf_loc(struct conf_ctx *ctx, const struct cfg_loc *in, struct cfg_loc *out);

/* Arena allocation that reports "out of memory" at @n on failure. */
void *conf_alloc(struct conf_ctx *ctx, const struct cfg_node *n, size_t size);

/* Pure helpers, also for tests. 0 or -EINVAL/-ERANGE. */
int parse_u64(const char *s, uint64_t *out);        /* decimal, or 0x hex */
int parse_i64(const char *s, int64_t *out);
int parse_timer_us(const char *s, uint64_t *out);   /* "1.5" -> 1500000 */
int parse_bool(const char *s, bool *out);

#endif
