/* Parameter substitution for the line source: "$NAME=value" definitions,
 * "$NAME" / "${NAME}" expansion and the pre-defined ${_PWD}, ${_INSTANCE},
 * ${_RANDOM [MIN [MAX]]}, ${_ENV NAME}, ${_HASH} and ${_BANG}.
 *
 * Semantics follow keepalived 2.2.7 (lib/parser.c) and the ADVANCED
 * CONFIGURATION section of keepalived.conf(5): expansion happens at use time
 * and is recursive, undefined parameters stay as written, and a multi-line
 * definition may only be used at the end of a line.
 */
#ifndef VIGIL_PARSER_MACRO_H
#define VIGIL_PARSER_MACRO_H

#include <stdbool.h>
#include <stddef.h>

#include "parser/tree.h"

/* A growable NUL-terminated byte buffer. */
struct strbuf {
	char *s;
	size_t len, cap;
};

int strbuf_reserve(struct strbuf *b, size_t extra);
int strbuf_set(struct strbuf *b, const char *s, size_t len);
void strbuf_release(struct strbuf *b);

struct macro;
struct macro_table;

/* @config_id and @opts are borrowed and must outlive the table. */
struct macro_table *macro_table_new(const struct lex_opts *opts, const char *config_id);
void macro_table_free(struct macro_table *mt);

/* Restart ${_RANDOM} from @seed: global_defs "random_seed", applied from
 * where it is read, as keepalived's srandom() does. */
void macro_table_seed(struct macro_table *mt, unsigned long long seed);

/* If @line (NUL-terminated, comments already removed) is a definition
 * "$NAME=value", store it and return 1, with *multiline set when the value
 * continues on the following lines (it ended with '\'); *out then receives
 * the definition to pass to macro_append_line(). Returns 0 when @line is not
 * a definition, -ENOMEM on allocation failure. */
int macro_define(struct macro_table *mt, const char *line, bool *multiline, struct macro **out);

/* Add the next line of a multi-line definition. Returns 1 while the
 * definition goes on (the line ended with '\'), 0 when this line was its
 * last, -ENOMEM. */
int macro_append_line(struct macro *m, const char *line, size_t len);

/* A raw empty line ends a multi-line definition early. */
void macro_end_multiline(struct macro *m);

/* Define (or redefine) @name as @value: used by ~SEQ and ~LST. */
int macro_set(struct macro_table *mt, const char *name, size_t name_len, const char *value,
	      size_t value_len);

bool macro_table_empty(const struct macro_table *mt);

struct macro_expansion {
	bool replaced;        /* something was substituted */
	size_t first;         /* offset of the first substitution */
	/* Lines still to come from multi-line definitions used on this line,
	 * innermost first; each is a malloc'd copy of the remaining lines,
	 * separated by '\n'. The caller owns them. */
	char *pending[8];
	unsigned npending;
	const char *error;    /* set when expansion was stopped */
};

/* Substitute parameters in @buf in place. @pwd is the directory of the
 * current file (for ${_PWD}). Returns 0 or -ENOMEM; res->error is set (and
 * the line left partly expanded) when expansion did not terminate. */
int macro_expand(struct macro_table *mt, struct strbuf *buf, const char *pwd,
		 struct macro_expansion *res);

#endif
