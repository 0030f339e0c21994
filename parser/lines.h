/* Line source: the first stage of the lexer.
 *
 * Turns files into logical lines, each with the file and line it came from.
 * This is where whole-line features live: include, @conditionals, $macro
 * definitions and expansion, ~SEQ/~LST repetition, line continuation. The
 * second stage (lexer.c) splits each line into words and builds the tree.
 */
#ifndef VIGIL_PARSER_LINES_H
#define VIGIL_PARSER_LINES_H

#include <stddef.h>

#include "lib/arena.h"
#include "parser/diag.h"
#include "parser/tree.h"

struct line_src;

struct src_line {
	const char *text; /* not NUL-terminated necessarily; valid until the next call */
	size_t len;
	const char *file; /* stable for the life of the line source's arena */
	unsigned line;
};

/* @arena holds file names (and anything else that must outlive a line). */
struct line_src *line_src_new(struct arena *arena, const struct lex_opts *opts,
			      struct diag_list *dl);
void line_src_free(struct line_src *ls);

/* Push the main input. Returns 0, or a negative errno (reported into dl). */
int line_src_open_file(struct line_src *ls, const char *path);
int line_src_open_string(struct line_src *ls, const char *name, const char *text);

/* 1 with *out set, 0 at the end of all input. */
int line_src_next(struct line_src *ls, struct src_line *out);

#endif
