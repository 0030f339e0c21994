/* The line source: logical lines from the frames (files, definitions in use,
 * ~SEQ/~LST), in the steps lines.h lists. Files and includes: line_files.c. */
#include "build-config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "parser/lines_internal.h"

/* Lines ~SEQ/~LST may produce in all: 65024 vrrp instances of 15 lines
 * (keepalived.conf(5)'s largest example) is about 1M. */
#ifndef LINES_MAX_GENERATED
#define LINES_MAX_GENERATED 20000000UL
#endif
/* Multi-line definitions in use at once (one inside the other). */
#define MULTILINE_MAX_DEPTH 64
/* Rounds of "expand, then look again for @, $NAME= and ~SEQ" on one line. */
#define RECHECK_MAX 100

static void default_config_id(char *out, size_t size)
{
	struct utsname u;

	/* keepalived: the node name up to the first '.' */
	if (uname(&u) == 0)
		snprintf(out, size, "%.*s", (int)strcspn(u.nodename, "."), u.nodename);
	else
		out[0] = '\0';
}

struct line_src *line_src_new(struct arena *arena, const struct lex_opts *opts,
			      struct diag_list *dl)
{
	struct line_src *ls = calloc(1, sizeof(*ls));

	if (!ls)
		return NULL;
	ls->arena = arena;
	ls->dl = dl;
	ls->opts = opts;
	if (opts && opts->config_id)
		snprintf(ls->config_id, sizeof(ls->config_id), "%s", opts->config_id);
	else
		default_config_id(ls->config_id, sizeof(ls->config_id));
	ls->include_check = opts && opts->include_check_all ? INCLUDE_CHECK_ALL : 0;
	ls->macros = macro_table_new(opts, ls->config_id);
	if (!ls->macros || strbuf_reserve(&ls->cur, 256)) {
		line_src_free(ls);
		return NULL;
	}
	return ls;
}

void line_src_free(struct line_src *ls)
{
	if (!ls)
		return;
	while (ls->nframes)
		line_src_pop_frame(ls);
	free(ls->frames);
	macro_table_free(ls->macros);
	strbuf_release(&ls->cur);
	free(ls);
}

void line_src_random_seed(struct line_src *ls, const struct cfg_node *n)
{
	const char *s = n->argc == 2 ? n->args[1].s : "";
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)s[0]))
		return;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (!errno && !*end && v <= UINT32_MAX)
		macro_table_seed(ls->macros, v);
}

/* Make what starts at @k the start of the current line, keeping columns. */
static void cut_front(struct line_src *ls, size_t k)
{
	if (!k)
		return;
	if (k < ls->exp_off) {
		ls->base_col += (unsigned)k;
		if (ls->exp_off != SIZE_MAX)
			ls->exp_off -= k;
	} else {
		ls->base_col = ls->exp_col;
		ls->exp_off = 0;
	}
	memmove(ls->cur.s, ls->cur.s + k, ls->cur.len - k + 1);
	ls->cur.len -= k;
}

/* keepalived's decomment(): drop leading blanks, a comment ('#' or '!'
 * outside double quotes), the '\' of "\#" and "\!" outside quotes, and
 * trailing blanks, keeping a final '\'. */
static void decomment(struct line_src *ls)
{
	char *s, *p, *skip = NULL;
	bool quote = false, cont = false;

	cut_front(ls, strspn(ls->cur.s, " \t"));
	s = ls->cur.s;
	for (p = s; (p = strpbrk(p, "!#\"\\"));) {
		if (*p == '"') {
			quote ^= !skip;
			p++;
		} else if (*p == '\\' && p[1]) {
			if (!quote && (p[1] == '#' || p[1] == '!')) {
				memmove(p, p + 1, strlen(p + 1) + 1);
				ls->cur.len--;
				p++;
			} else {
				p += 2;
			}
		} else if (*p == '\\') {
			*p = '\0';
			ls->cur.len = (size_t)(p - s);
			cont = true;
			break;
		} else {
			if (!quote && !skip)
				skip = p;
			p++;
		}
	}
	if (skip) {
		*skip = '\0';
		ls->cur.len = (size_t)(skip - s);
	}
	while (ls->cur.len && (s[ls->cur.len - 1] == ' ' || s[ls->cur.len - 1] == '\t'))
		ls->cur.len--;
	if (cont)
		s[ls->cur.len++] = '\\';
	s[ls->cur.len] = '\0';
}

static int set_line(struct line_src *ls, const char *text, size_t len)
{
	const char *nul = memchr(text, '\0', len);

	/* an embedded NUL ends the line */
	return strbuf_set(&ls->cur, text, nul ? (size_t)(nul - text) : len);
}

/* Generated text is located at the place that generated it. */
static void locate_generated(struct line_src *ls, const struct frame *f)
{
	ls->loc = f->from;
	ls->loc.col = 0;
	ls->base_col = ls->exp_col = f->from.col ? f->from.col : 1;
	ls->exp_off = 0;
	ls->from_file = false;
}

/* Take the next raw line from the top frame into ls->cur. Returns
 * LINE_READY, LINE_SKIP (nothing usable this time), 0 with no frames left
 * (checked by the caller), or -ENOMEM. */
static int fetch(struct line_src *ls)
{
	struct frame *f = line_src_top(ls);
	const char *s, *nl;
	size_t len, indent;
	int rc;

	switch (f->kind) {
	case FRAME_FILE:
		if (!f->buf || f->pos >= f->len) {
			rc = f->buf ? line_src_next_file(ls, f) : 0;
			if (rc <= 0)
				line_src_pop_frame(ls);
			return rc < 0 ? rc : LINE_SKIP;
		}
		s = f->buf + f->pos;
		nl = memchr(s, '\n', f->len - f->pos);
		len = nl ? (size_t)(nl - s) : f->len - f->pos;
		f->pos += len + 1;
		f->line++;
		while (len && (s[len - 1] == '\r' || s[len - 1] == '\n'))
			len--;
		if (!len) {
			/* keepalived: an empty line ends a multi-line definition */
			if (ls->defining)
				macro_end_multiline(ls->defining);
			ls->defining = NULL;
			return LINE_SKIP;
		}
		/* Indentation is dropped before the copy, not moved out of it
		 * after (decomment() would): most lines are indented. */
		for (indent = 0; indent < len && (s[indent] == ' ' || s[indent] == '\t'); indent++)
			;
		if (set_line(ls, s + indent, len - indent))
			return -ENOMEM;
		ls->loc = (struct cfg_loc){ f->name, f->line, 0 };
		ls->base_col = 1 + (unsigned)indent;
		ls->exp_off = SIZE_MAX;
		ls->from_file = true;
		decomment(ls);
		break;
	case FRAME_LINES:
		if (f->pos >= f->len) {
			line_src_pop_frame(ls);
			return LINE_SKIP;
		}
		if (++ls->generated >= LINES_MAX_GENERATED) {
			if (ls->generated == LINES_MAX_GENERATED)
				diag_error(ls->dl, &f->from,
					   "definitions and ~SEQ/~LST make more than %lu lines",
					   LINES_MAX_GENERATED);
			line_src_pop_frame(ls);
			return LINE_SKIP;
		}
		s = f->buf + f->pos;
		len = strcspn(s, "\n");
		f->pos += len + 1;
		locate_generated(ls, f);
		if (set_line(ls, s, len))
			return -ENOMEM;
		break;
	case FRAME_REPEAT:
		rc = repeat_next(f->rep, ls->macros);
		if (rc <= 0) {
			line_src_pop_frame(ls);
			return rc < 0 ? rc : LINE_SKIP;
		}
		if (++ls->generated >= LINES_MAX_GENERATED) {
			if (ls->generated == LINES_MAX_GENERATED)
				diag_error(ls->dl, &f->from,
					   "definitions and ~SEQ/~LST make more than %lu lines",
					   LINES_MAX_GENERATED);
			line_src_pop_frame(ls);
			return LINE_SKIP;
		}
		locate_generated(ls, f);
		if (set_line(ls, repeat_body(f->rep), strlen(repeat_body(f->rep))))
			return -ENOMEM;
		break;
	}
	if (!ls->cur.len)
		return LINE_SKIP;
	if (ls->defining) {
		rc = macro_append_line(ls->defining, ls->cur.s, ls->cur.len);
		if (rc < 0)
			return rc;
		if (!rc)
			ls->defining = NULL;
		return LINE_SKIP;
	}
	return LINE_READY;
}

static bool conditional_selects(struct line_src *ls)
{
	const char *s = ls->cur.s;
	bool negated = s[1] == '^';
	const char *id = s + 1 + negated, *sp = strpbrk(id, " \t");
	bool match;

	if (!sp)
		return false; /* nothing after the id: keepalived drops the line */
	match = (size_t)(sp - id) == strlen(ls->config_id) &&
		!memcmp(id, ls->config_id, (size_t)(sp - id));
	if (match == negated)
		return false;
	cut_front(ls, (size_t)(sp - s) + strspn(sp, " \t"));
	return true;
}

static int push_pending(struct line_src *ls, struct macro_expansion *ex)
{
	unsigned depth = 0;
	int rc = 0;

	for (size_t i = 0; i < ls->nframes; i++)
		depth += ls->frames[i].kind == FRAME_LINES;
	if (ex->npending && depth + ex->npending > MULTILINE_MAX_DEPTH) {
		diag_error(ls->dl, &ls->loc,
			   "multi-line definitions nested deeper than %d (does one use itself?)",
			   MULTILINE_MAX_DEPTH);
		for (unsigned i = 0; i < ex->npending; i++)
			free(ex->pending[i]);
		ls->cur.len = 0;
		ls->cur.s[0] = '\0';
		return 0;
	}
	for (unsigned i = 0; i < ex->npending; i++) {
		struct frame *f = rc ? NULL : line_src_push_frame(ls, FRAME_LINES);

		if (!f) {
			free(ex->pending[i]);
			rc = -ENOMEM;
			continue;
		}
		f->buf = ex->pending[i];
		f->len = strlen(f->buf);
	}
	return rc;
}

static int expand(struct line_src *ls, bool *replaced)
{
	struct macro_expansion ex;
	int rc = macro_expand(ls->macros, &ls->cur, line_src_pwd(ls), &ex);

	*replaced = ex.replaced;
	if (rc)
		return rc;
	if (ex.replaced && ex.first < ls->exp_off) {
		ls->exp_col = ls->base_col + (unsigned)ex.first;
		ls->exp_off = ex.first;
	}
	if (ex.error) {
		struct cfg_loc loc = ls->loc;

		loc.col = ls->exp_col;
		diag_error(ls->dl, &loc, "%s", ex.error);
		for (unsigned i = 0; i < ex.npending; i++)
			free(ex.pending[i]);
		ls->cur.len = 0;
		ls->cur.s[0] = '\0';
		return 0;
	}
	return push_pending(ls, &ex);
}

static int start_repeat(struct line_src *ls)
{
	struct repeat *rep;
	const char *why = NULL;
	struct frame *f;
	int rc = repeat_parse(ls->macros, ls->cur.s, line_src_pwd(ls), &rep, &why);

	if (rc < 0)
		return rc;
	if (rc == 0) {
		struct cfg_loc loc = ls->loc;

		loc.col = ls->base_col;
		diag_error(ls->dl, &loc, "invalid %.4s: %s", ls->cur.s, why);
		return 0;
	}
	f = line_src_push_frame(ls, FRAME_REPEAT);
	if (!f) {
		repeat_free(rep);
		return -ENOMEM;
	}
	f->rep = rep;
	return 0;
}

/* The steps of keepalived's read_line() after comments: @conditions,
 * definitions, ~SEQ/~LST, expansion (then again from the top), include. */
static int process(struct line_src *ls)
{
	unsigned rounds = 0;
	bool again;
	int rc;

	do {
		char *s = ls->cur.s;
		bool replaced, multiline;
		struct macro *m;
		const char *pattern;

		again = false;
		if (s[0] == '@' && !conditional_selects(ls))
			return LINE_SKIP;
		s = ls->cur.s;
		if (s[0] == '$') {
			rc = macro_define(ls->macros, s, &multiline, &m);
			if (rc < 0)
				return rc;
			if (rc) {
				ls->defining = multiline ? m : NULL;
				return LINE_SKIP;
			}
		}
		if (s[0] == '~') {
			if (strncmp(s, "~SEQ", 4) && strncmp(s, "~LST", 4))
				break;
			rc = start_repeat(ls);
			return rc < 0 ? rc : LINE_SKIP;
		}
		if (!macro_table_empty(ls->macros) && memchr(s, '$', ls->cur.len)) {
			rc = expand(ls, &replaced);
			if (rc)
				return rc;
			if (replaced) {
				decomment(ls);
				s = ls->cur.s;
				again = s[0] == '@' || s[0] == '~' || memchr(s, '$', ls->cur.len);
			}
		}
		if (again && ++rounds == RECHECK_MAX) {
			diag_error(ls->dl, &ls->loc,
				   "parameter expansion does not end (does a definition use itself?)");
			return LINE_SKIP;
		}
		if (!again && s[0] == 'i' && (rc = include_keyword(s, &pattern)) >= 0) {
			rc = line_src_push_include(ls, pattern, (unsigned)rc);
			return rc < 0 ? rc : LINE_SKIP;
		}
	} while (again);
	return ls->cur.len ? LINE_READY : LINE_SKIP;
}

/* Report "${NAME}" left unexpanded outside quotes (keepalived splits it at
 * its '{' and fails); return the offset past its '}'. */
static size_t undefined_param(struct line_src *ls, size_t dollar)
{
	const char *s = ls->cur.s;
	size_t close = dollar + 2 + strcspn(s + dollar + 2, "{}\"");
	struct cfg_loc loc = ls->loc;

	if (s[close] != '}')
		return dollar + 1;
	loc.col = dollar < ls->exp_off ? ls->base_col + (unsigned)dollar : ls->exp_col;
	diag_error(ls->dl, &loc, "parameter '%.*s' is not defined", (int)(close - dollar + 1),
		   s + dollar);
	return close + 1;
}

/* Cut the line at its first brace outside double quotes, as keepalived's
 * read_line() does: "a b { c }" is read as "a b", "{", "c", "}". Returns
 * the length of the first part; ls->residue is where the rest starts. */
/* The bytes split_braces() looks at; every other one is skipped at once. */
static const bool brace_scan_stop[256] = {
	['"'] = true, ['\\'] = true, ['$'] = true, ['{'] = true, ['}'] = true,
};

static size_t split_braces(struct line_src *ls)
{
	const char *s = ls->cur.s;
	size_t i = 0, n = ls->cur.len, end;
	bool quote = false;

	ls->residue = 0;
	if (s[0] == '{' || s[0] == '}') {
		end = 1 + strspn(s + 1, " \t");
		ls->residue = end < n ? end : 0;
		return 1;
	}
	for (; i < n; i++) {
		if (!brace_scan_stop[(unsigned char)s[i]])
			continue;
		if (s[i] == '"')
			quote = !quote;
		else if (s[i] == '\\' && quote && i + 1 < n)
			i++;
		else if (!quote && s[i] == '$' && s[i + 1] == '{')
			i = undefined_param(ls, i) - 1;
		else if (!quote && (s[i] == '{' || s[i] == '}'))
			break;
	}
	if (i >= n)
		return n;
	ls->residue = i;
	while (i && (s[i - 1] == ' ' || s[i - 1] == '\t'))
		i--;
	return i;
}

static void warn_trailing_backslash(struct line_src *ls)
{
	struct cfg_loc loc = ls->loc;
	size_t last = ls->cur.len - 1;

	loc.col = last < ls->exp_off ? ls->base_col + (unsigned)last : ls->exp_col;
	diag_warning(ls->dl, &loc,
		     "'\\' at the end of a line only continues $NAME= definitions; here it is a word");
}

int line_src_next(struct line_src *ls, struct src_line *out)
{
	bool fetched;
	int rc;

	for (;;) {
		fetched = !ls->residue;
		if (ls->residue) {
			cut_front(ls, ls->residue);
			ls->residue = 0;
		} else {
			if (!ls->nframes) {
				if (ls->defining)
					macro_end_multiline(ls->defining);
				ls->defining = NULL;
				return 0;
			}
			rc = fetch(ls);
			if (rc < 0)
				return rc;
			if (rc == LINE_SKIP)
				continue;
		}
		rc = process(ls);
		if (rc < 0)
			return rc;
		if (rc == LINE_READY)
			break;
	}
	if (fetched && ls->from_file && ls->cur.s[ls->cur.len - 1] == '\\')
		warn_trailing_backslash(ls);
	out->text = ls->cur.s;
	out->len = split_braces(ls);
	out->file = ls->loc.file;
	out->line = ls->loc.line;
	out->col = ls->base_col;
	out->exp_off = ls->exp_off;
	out->exp_col = ls->exp_col;
	return 1;
}
