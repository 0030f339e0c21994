/* Line source: the first stage of the lexer.
 *
 * Turns files into logical lines, each with the file and line it came from.
 * This is where whole-line features live, in keepalived's order (its
 * lib/parser.c read_line()): comments are removed ('#' or '!' anywhere
 * outside double quotes; "\#" and "\!" stand for the characters), then an
 * "@id" / "@^id" prefix selects the line, "$NAME=value" defines a parameter
 * (continued on following lines by a trailing '\'), ~SEQ/~LST repeat the
 * rest of the line, parameters are expanded, "include" pulls in files, and
 * finally a line is cut before and after its first '{' or '}' outside double
 * quotes, the rest going through the same steps. The second stage (lexer.c)
 * splits each line into words and builds the tree.
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
	/* Columns: text[i] is at column col + i of the source line, except from
	 * offset exp_off on, where the text came from a parameter, a ~SEQ or a
	 * multi-line definition: all of it is reported at exp_col, the place
	 * of the use. */
	unsigned col;
	size_t exp_off;
	unsigned exp_col;
};

static inline unsigned src_line_col(const struct src_line *sl, size_t off)
{
	return off < sl->exp_off ? sl->col + (unsigned)off : sl->exp_col;
}

/* @arena holds file names (and anything else that must outlive a line).
 * @opts may be NULL. */
struct line_src *line_src_new(struct arena *arena, const struct lex_opts *opts,
			      struct diag_list *dl);
void line_src_free(struct line_src *ls);

/* Push the main input. Returns 0, or a negative errno (reported into dl). */
int line_src_open_file(struct line_src *ls, const char *path);
int line_src_open_string(struct line_src *ls, const char *name, const char *text);

/* 1 with *out set, 0 at the end of all input, -ENOMEM. */
int line_src_next(struct line_src *ls, struct src_line *out);

/* The "include_check" statement of global_defs: it changes how later
 * includes report missing files, so the lexer hands it back here as soon as
 * it has read it. */
void line_src_include_check(struct line_src *ls, const struct cfg_node *n);

/* The "random_seed N" statement of global_defs: ${_RANDOM} restarts from N
 * for the lines that follow (an invalid N is left to the model to report). */
void line_src_random_seed(struct line_src *ls, const struct cfg_node *n);

#endif
