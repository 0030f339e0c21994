#include "build-config.h"

#include <errno.h>
#include <stdlib.h>

#include "parser/tree.h"

/* Placeholder until the lexer lands: reports that nothing can be read. */
int cfg_tree_parse_file(const char *path, const struct lex_opts *opts, struct diag_list *dl,
			struct cfg_tree **out)
{
	struct cfg_loc loc = { path, 0, 0 };

	diag_error(dl, &loc, "lexer not implemented");
	*out = NULL;
	return -ENOSYS;
}

int cfg_tree_parse_string(const char *name, const char *text, const struct lex_opts *opts,
			  struct diag_list *dl, struct cfg_tree **out)
{
	return cfg_tree_parse_file(name, opts, dl, out);
}

void cfg_tree_free(struct cfg_tree *t)
{
	free(t);
}
