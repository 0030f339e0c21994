/* "include FILE" for the line source: csh-style braces, glob(3) wildcards,
 * and keepalived's include checks (include_check, includer/m/w/b/a), which
 * decide whether a file that cannot be found or read is an error or only a
 * warning.
 */
#ifndef VIGIL_PARSER_INCLUDE_H
#define VIGIL_PARSER_INCLUDE_H

#include <stddef.h>

#include "parser/diag.h"
#include "parser/tree.h"

/* The checks, with keepalived's values. */
enum {
	INCLUDE_CHECK_READ = 0x01,     /* a match is a directory, unreadable, executable... */
	INCLUDE_CHECK_MATCH = 0x02,    /* a file named without wildcards is missing */
	INCLUDE_CHECK_WILDCARD = 0x04, /* a wildcard matches nothing */
	INCLUDE_CHECK_BRACE = 0x08,    /* an alternative of a {a,b} expression is missing */
	INCLUDE_CHECK_ALL = 0x0f,
};

/* If @line starts with an include keyword, return its checks
 * (include = 0, includer, includem, includew, includeb, includea) and set
 * *pattern to the rest of the line; otherwise return -1. */
int include_keyword(const char *line, const char **pattern);

struct include_files {
	char **paths; /* malloc'd; in glob(3) order */
	size_t n;
};

/* Find the files @pattern names, relative to @dir unless absolute. Problems
 * are reported at @loc as errors when one of @checks covers them, warnings
 * otherwise. Returns 0 or -ENOMEM. */
int include_resolve(const char *dir, const char *pattern, unsigned checks, struct diag_list *dl,
		    const struct cfg_loc *loc, struct include_files *out);
void include_files_release(struct include_files *f);

/* Report a problem of class @check (INCLUDE_CHECK_*): an error when @checks
 * include it, a warning otherwise. */
void include_report(struct diag_list *dl, const struct cfg_loc *loc, unsigned checks,
		    unsigned check, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Apply an "include_check [[+|-]read|match|wildcard_match|brace_match]..."
 * statement to *checks, as keepalived's global_defs handler does. */
void include_check_apply(unsigned *checks, const struct cfg_node *n, struct diag_list *dl);

#endif
