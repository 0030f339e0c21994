/* ~SEQ, ~SEQx and ~LST: lines repeated with a parameter (or several) set to
 * each value of a sequence or list, as keepalived.conf(5) "Sequence blocks"
 * and "List blocks" describe. Several on one line nest: the body of one is
 * the rest of the line, which may start with another.
 */
#ifndef VIGIL_PARSER_REPEAT_H
#define VIGIL_PARSER_REPEAT_H

#include "parser/macro.h"

struct repeat;

/* Parse the ~SEQ/~SEQx/~LST at the start of @line. ~SEQ arguments may use
 * parameters (expanded with @mt; @pwd for ${_PWD}). Returns 1 with *out set,
 * 0 when the specification is invalid (*why says how), -ENOMEM. */
int repeat_parse(struct macro_table *mt, const char *line, const char *pwd, struct repeat **out,
		 const char **why);

/* Set the parameters for the next repetition. Returns 1 when they are set,
 * 0 once every value has been used, -ENOMEM. The first call always sets. */
int repeat_next(struct repeat *r, struct macro_table *mt);

/* The text to repeat (the rest of the line). */
const char *repeat_body(const struct repeat *r);

void repeat_free(struct repeat *r);

#endif
