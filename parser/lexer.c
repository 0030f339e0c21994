/* Second stage of the lexer: words, quotes, comments and braces -> tree.
 *
 * Each logical line from the line source is split into words. A statement is
 * the words of one line; '{' opens a block for the statement before it (on
 * the same line, or the previous line when '{' starts a line), '}' closes the
 * innermost block. Blocks may sit on one line: "real_server 1.2.3.4 80 {
 * weight 2 }".
 */
#include "build-config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parser/lines.h"
#include "parser/tree.h"

#define LEX_MAX_DEPTH 64

struct open_block {
	struct cfg_node *owner;
	struct cfg_node **tail; /* where the next child goes */
};

struct lexer {
	struct arena *arena;
	struct diag_list *dl;
	/* words of the statement being read */
	struct cfg_arg *words;
	size_t nwords, capwords;
	/* word text being assembled */
	char *word;
	size_t wlen, wcap;
	struct line_src *ls;
	struct cfg_node *last;          /* last statement at the current level */
	struct open_block stack[LEX_MAX_DEPTH + 1];
	unsigned depth;
	bool oom;
};

static int word_put(struct lexer *lx, char c)
{
	if (lx->wlen + 1 >= lx->wcap) {
		size_t cap = lx->wcap ? lx->wcap * 2 : 256;
		char *w = realloc(lx->word, cap);

		if (!w)
			return -ENOMEM;
		lx->word = w;
		lx->wcap = cap;
	}
	lx->word[lx->wlen++] = c;
	return 0;
}

static int word_add(struct lexer *lx, const char *s, size_t len, const struct cfg_loc *loc,
		    bool quoted)
{
	struct cfg_arg *a;

	if (lx->nwords == lx->capwords) {
		size_t cap = lx->capwords ? lx->capwords * 2 : 16;
		struct cfg_arg *w = realloc(lx->words, cap * sizeof(*w));

		if (!w)
			return -ENOMEM;
		lx->words = w;
		lx->capwords = cap;
	}
	a = &lx->words[lx->nwords++];
	a->s = arena_strndup(lx->arena, s, len);
	a->loc = *loc;
	a->quoted = quoted;
	return a->s ? 0 : -ENOMEM;
}

static int word_end(struct lexer *lx, const struct cfg_loc *loc, bool quoted)
{
	int rc = word_add(lx, lx->word ? lx->word : "", lx->wlen, loc, quoted);

	lx->wlen = 0;
	return rc;
}

/* Bytes that may be copied as they are: not blank, quote, brace or '$'. */
static bool plain_byte(unsigned char c)
{
	/* a table: this runs for every byte of every word */
	static const bool not_plain[256] = {
		[0 ... ' '] = true, ['"'] = true, ['\''] = true,
		['{'] = true,	    ['}'] = true, ['$'] = true,
	};

	return !not_plain[c];
}

/* Close the statement being read, if any, appending it at the current level. */
static int statement_end(struct lexer *lx)
{
	struct cfg_node *n;

	if (!lx->nwords)
		return 0;
	n = arena_alloc(lx->arena, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->args = arena_memdup(lx->arena, lx->words, lx->nwords * sizeof(*lx->words));
	if (!n->args)
		return -ENOMEM;
	n->argc = (unsigned)lx->nwords;
	n->loc = n->args[0].loc;
	/* include_check and random_seed change how the lines that follow are
	 * read: keepalived applies both as soon as it reads them */
	if (lx->depth == 1 && !strcmp(lx->stack[1].owner->args[0].s, "global_defs")) {
		if (!strcmp(n->args[0].s, "include_check"))
			line_src_include_check(lx->ls, n);
		else if (!strcmp(n->args[0].s, "random_seed"))
			line_src_random_seed(lx->ls, n);
	}
	*lx->stack[lx->depth].tail = n;
	lx->stack[lx->depth].tail = &n->next;
	lx->last = n;
	lx->nwords = 0;
	return 0;
}

static int block_open(struct lexer *lx, const struct cfg_loc *loc)
{
	int rc = statement_end(lx);
	struct cfg_node *owner = lx->last;

	if (rc)
		return rc;
	if (!owner || owner->has_block) {
		diag_error(lx->dl, loc, "'{' without a keyword before it");
		owner = arena_alloc(lx->arena, sizeof(*owner));
		if (!owner)
			return -ENOMEM;
		/* Keep the block's contents out of the tree, but stay balanced. */
		owner->args = arena_alloc(lx->arena, sizeof(*owner->args));
		if (!owner->args)
			return -ENOMEM;
		owner->args[0].s = "{";
		owner->args[0].loc = *loc;
		owner->argc = 1;
		owner->loc = *loc;
	}
	if (lx->depth == LEX_MAX_DEPTH) {
		diag_error(lx->dl, loc, "blocks nested deeper than %d", LEX_MAX_DEPTH);
		return -EINVAL;
	}
	owner->has_block = true;
	owner->block_loc = *loc;
	lx->depth++;
	lx->stack[lx->depth].owner = owner;
	lx->stack[lx->depth].tail = &owner->child;
	lx->last = NULL;
	return 0;
}

static int block_close(struct lexer *lx, const struct cfg_loc *loc)
{
	int rc = statement_end(lx);

	if (rc)
		return rc;
	if (lx->depth == 0) {
		diag_error(lx->dl, loc, "'}' without a matching '{'");
		return 0;
	}
	lx->last = lx->stack[lx->depth].owner;
	lx->depth--;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One escape after a backslash inside quotes, as keepalived (and the shell's
 * $'...') read them. Returns the number of input bytes consumed after '\'. */
static size_t unescape(const char *p, const char *end, char *out)
{
	static const char simple[] = "a\ab\bE\033f\fn\nr\rt\tv\v";
	size_t i = 0;
	int v;

	if (p >= end) {
		*out = '\\';
		return 0;
	}
	for (const char *s = simple; *s; s += 2)
		if (*p == s[0]) {
			*out = s[1];
			return 1;
		}
	if (*p >= '0' && *p <= '7') {
		for (v = 0; i < 3 && p + i < end && p[i] >= '0' && p[i] <= '7'; i++)
			v = v * 8 + (p[i] - '0');
		*out = (char)v;
		return i;
	}
	if (*p == 'x' && p + 1 < end && hexval((unsigned char)p[1]) >= 0) {
		for (v = 0, i = 1; p + i < end && hexval((unsigned char)p[i]) >= 0; i++)
			v = v * 16 + hexval((unsigned char)p[i]);
		*out = (char)v;
		return i;
	}
	if (*p == 'c' && p + 1 < end) {
		*out = (char)(toupper((unsigned char)p[1]) ^ 0x40);
		return 2;
	}
	*out = *p;
	return 1;
}

static int lex_line(struct lexer *lx, const struct src_line *sl)
{
	const char *p = sl->text, *end = sl->text + sl->len;
	struct cfg_loc loc = { sl->file, sl->line, 0 };
	int rc = 0;

	while (p < end && !rc) {
		struct cfg_loc wloc;
		const char *run;
		bool quoted = false, in_word = true;
		unsigned macro_depth = 0;

		while (p < end && isspace((unsigned char)*p))
			p++;
		/* Comments are gone already (lines.c): a '#' or '!' here came
		 * from "\#", ${_HASH} or quotes, and is a character. */
		if (p >= end)
			break;
		loc.col = src_line_col(sl, (size_t)(p - sl->text));
		if (*p == '{' || *p == '}') {
			rc = *p == '{' ? block_open(lx, &loc) : block_close(lx, &loc);
			p++;
			continue;
		}
		wloc = loc;
		/* the common case: a plain word, copied once */
		run = p;
		while (run < end && plain_byte((unsigned char)*run))
			run++;
		if (run > p &&
		    (run == end || isspace((unsigned char)*run) || *run == '{' || *run == '}')) {
			rc = word_add(lx, p, (size_t)(run - p), &wloc, false);
			p = run;
			continue;
		}
		while (p < end && in_word && !rc) {
			char c = *p;

			if (c == '\'' && !memchr(p + 1, c, (size_t)(end - p - 1))) {
				/* keepalived only reads single quotes in script
				 * command lines; an unmatched one is a character */
				rc = word_put(lx, c);
				p++;
			} else if (c == '"' || c == '\'') {
				const char *q = p + 1;

				quoted = true;
				while (q < end && *q != c) {
					char e;

					if (*q == '\\') {
						q += 1 + unescape(q + 1, end, &e);
						rc = word_put(lx, e);
					} else {
						rc = word_put(lx, *q++);
					}
				}
				if (q >= end) {
					loc.col = src_line_col(sl, (size_t)(p - sl->text));
					diag_error(lx->dl, &loc, "unterminated %s quote",
						   c == '"' ? "double" : "single");
				}
				p = q < end ? q + 1 : end;
			} else if (isspace((unsigned char)c)) {
				in_word = false;
			} else if (c == '$' && p + 1 < end && p[1] == '{') {
				/* an unexpanded ${NAME} stays one word with its braces */
				macro_depth++;
				rc = word_put(lx, c) ?: word_put(lx, '{');
				p += 2;
			} else if (c == '}' && macro_depth) {
				macro_depth--;
				rc = word_put(lx, c);
				p++;
			} else if (c == '{' || c == '}') {
				in_word = false;
			} else {
				rc = word_put(lx, c);
				p++;
			}
		}
		if (!rc)
			rc = word_end(lx, &wloc, quoted);
	}
	return rc ?: statement_end(lx);
}

static int lex_all(struct line_src *ls, struct lexer *lx, struct cfg_tree *t)
{
	struct src_line sl;
	int rc = 0, more;

	lx->stack[0].tail = &t->first;
	while (!rc && (more = line_src_next(ls, &sl)) > 0)
		rc = lex_line(lx, &sl);
	if (!rc && more < 0)
		rc = more;
	if (rc == -ENOMEM)
		diag_error(lx->dl, NULL, "out of memory while reading the configuration");
	while (!rc && lx->depth > 0) {
		struct cfg_node *o = lx->stack[lx->depth].owner;

		diag_error(lx->dl, &o->block_loc, "missing '}' for the block of '%s' opened here",
			   o->args[0].s);
		lx->depth--;
	}
	return rc;
}

/* The tree's memory: an anonymous arena. Reserve generously; only touched
 * pages cost anything. */
#define TREE_ARENA_SIZE ((size_t)1 << 30)

static int parse(const char *name, const char *text, const struct lex_opts *opts,
		 struct diag_list *dl, struct cfg_tree **out)
{
	struct lexer lx = { 0 };
	struct line_src *ls = NULL;
	struct cfg_tree *t = calloc(1, sizeof(*t));
	struct arena *arena = arena_new(TREE_ARENA_SIZE);
	unsigned errors = dl->errors;
	int rc = -ENOMEM;

	*out = NULL;
	if (!t || !arena)
		goto fail;
	ls = line_src_new(arena, opts, dl);
	if (!ls)
		goto fail;
	rc = text ? line_src_open_string(ls, name, text) : line_src_open_file(ls, name);
	if (rc)
		goto fail;
	lx.arena = arena;
	lx.dl = dl;
	lx.ls = ls;
	rc = lex_all(ls, &lx, t);
	free(lx.words);
	free(lx.word);
	line_src_free(ls);
	if (rc)
		goto fail_tree;
	t->priv = arena;
	*out = t;
	return dl->errors > errors ? -EINVAL : 0;
fail:
	line_src_free(ls);
fail_tree:
	arena_free(arena);
	free(t);
	return rc;
}

int cfg_tree_parse_file(const char *path, const struct lex_opts *opts, struct diag_list *dl,
			struct cfg_tree **out)
{
	return parse(path, NULL, opts, dl, out);
}

int cfg_tree_parse_string(const char *name, const char *text, const struct lex_opts *opts,
			  struct diag_list *dl, struct cfg_tree **out)
{
	return parse(name, text, opts, dl, out);
}

void cfg_tree_free(struct cfg_tree *t)
{
	if (!t)
		return;
	arena_free(t->priv);
	free(t);
}
