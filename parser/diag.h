/* Configuration diagnostics: "file:line:col: error|warning: message".
 *
 * Every stage of the parser reports into one diag_list; nothing prints
 * directly, so the daemon can log the list and tests can inspect it.
 */
#ifndef VIGIL_PARSER_DIAG_H
#define VIGIL_PARSER_DIAG_H

#include <stdarg.h>
#include <stdio.h>

/* A position in a config file. @file points at a string that outlives the
 * diagnostics using it (the lexer's file table, or the config arena). */
struct cfg_loc {
	const char *file;
	unsigned line; /* 1-based; 0 when unknown */
	unsigned col;  /* 1-based; 0 when unknown */
};

enum diag_level {
	DIAG_NOTE,
	DIAG_WARNING,
	/* Something keepalived tolerates at run time (it ignores it, or fixes
	 * the value up, and runs) but its config test (-t) fails on: an unknown
	 * keyword, a value it resets, scripts without script security. Printed
	 * as a warning; the daemon runs, `vigild -t` fails (exit 4). */
	DIAG_STRICT,
	DIAG_ERROR,
};

struct diag {
	enum diag_level level;
	char *file; /* owned copy */
	unsigned line, col;
	char *msg;  /* owned */
};

struct diag_list {
	struct diag *v;
	size_t n, cap;
	unsigned errors;
	unsigned warnings; /* includes the DIAG_STRICT ones */
	unsigned strict;   /* DIAG_STRICT diagnostics */
	unsigned unknown;  /* of which unknown keywords (diag_unknown()) */
	/* Stop recording (but keep counting) past this many entries; 0 = no cap. */
	size_t max;
};

void diag_add(struct diag_list *dl, enum diag_level level, const struct cfg_loc *loc,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_addv(struct diag_list *dl, enum diag_level level, const struct cfg_loc *loc,
	       const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

/* A DIAG_STRICT diagnostic for a keyword nobody knows: counted in ->unknown
 * as well as ->strict. */
void diag_unknown(struct diag_list *dl, const struct cfg_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Shorthands. */
#define diag_error(dl, loc, ...) diag_add((dl), DIAG_ERROR, (loc), __VA_ARGS__)
#define diag_warning(dl, loc, ...) diag_add((dl), DIAG_WARNING, (loc), __VA_ARGS__)

/* Format one diagnostic as "file:line:col: level: msg" into @buf. */
const char *diag_format(const struct diag *d, char *buf, size_t len);

/* Print every diagnostic, one per line, to @out. */
void diag_print(const struct diag_list *dl, FILE *out);

/* True when the config must not be used (errors), or must fail a config test
 * (errors or DIAG_STRICT diagnostics, unknown keywords among them). */
static inline int diag_has_errors(const struct diag_list *dl) { return dl->errors > 0; }
static inline int diag_fails_test(const struct diag_list *dl)
{
	return dl->errors || dl->strict;
}

/* Index of the first diagnostic whose message contains @needle, or -1. For tests. */
int diag_find(const struct diag_list *dl, const char *needle);

void diag_list_free(struct diag_list *dl);

#endif
