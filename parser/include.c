#include "build-config.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parser/include.h"

/* One {a,b} expression can name at most this many files. */
#define BRACE_MAX_ALTERNATIVES 4096

int include_keyword(const char *line, const char **pattern)
{
	static const struct {
		char suffix;
		int checks;
	} variants[] = {
		{ 'r', INCLUDE_CHECK_READ },
		{ 'm', INCLUDE_CHECK_READ | INCLUDE_CHECK_MATCH },
		{ 'w', INCLUDE_CHECK_READ | INCLUDE_CHECK_MATCH | INCLUDE_CHECK_WILDCARD },
		{ 'b', INCLUDE_CHECK_READ | INCLUDE_CHECK_BRACE },
		{ 'a', INCLUDE_CHECK_ALL },
	};
	int checks = -1;

	if (strncmp(line, "include", 7))
		return -1;
	if (line[7] == ' ' || line[7] == '\t') {
		checks = 0;
		line += 8;
	} else {
		for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
			if (line[7] == variants[i].suffix && (line[8] == ' ' || line[8] == '\t'))
				checks = variants[i].checks;
		line += 9;
	}
	if (checks >= 0)
		*pattern = line + strspn(line, " \t");
	return checks;
}

void include_report(struct diag_list *dl, const struct cfg_loc *loc, unsigned checks,
		    unsigned check, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_addv(dl, (checks & check) ? DIAG_ERROR : DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
}

struct strlist {
	char **v;
	size_t n, cap;
};

static int strlist_add(struct strlist *l, char *s)
{
	if (!s)
		return -ENOMEM;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			free(s);
			return -ENOMEM;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	return 0;
}

static void strlist_release(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Offset of the '}' closing the '{' at @open, or 0 when there is none. */
static size_t brace_close(const char *s, size_t open)
{
	unsigned depth = 0;

	for (size_t i = open; s[i]; i++) {
		if (s[i] == '\\' && s[i + 1])
			i++;
		else if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return i;
	}
	return 0;
}

/* csh-style brace expansion, as glob(3)'s GLOB_BRACE does it, done here so
 * that each alternative can be checked on its own (keepalived's brace_match). */
static int brace_expand(const char *pat, struct strlist *out)
{
	size_t open = 0, close = 0;

	for (size_t i = 0; pat[i]; i++) {
		if (pat[i] == '\\' && pat[i + 1]) {
			i++;
		} else if (pat[i] == '{' && (close = brace_close(pat, i))) {
			open = i;
			break;
		}
	}
	if (!close)
		return strlist_add(out, strdup(pat));
	for (size_t start = open + 1, i = open + 1; i <= close; i++) {
		int rc;
		char *alt;

		if (pat[i] == '\\' && i < close) {
			i++;
			continue;
		}
		if (pat[i] == '{') {
			i = brace_close(pat, i);
			continue;
		}
		if (pat[i] != ',' && i != close)
			continue;
		if (out->n >= BRACE_MAX_ALTERNATIVES)
			return -E2BIG;
		if (asprintf(&alt, "%.*s%.*s%s", (int)open, pat, (int)(i - start), pat + start,
			     pat + close + 1) < 0)
			return -ENOMEM;
		rc = brace_expand(alt, out);
		free(alt);
		if (rc)
			return rc;
		start = i + 1;
	}
	return 0;
}

static bool has_wildcard(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (*s == '*' || *s == '?' || *s == '[')
			return true;
	}
	return false;
}

/* keepalived counts a wildcard under a directory that does not exist as a
 * missing file, not as a wildcard that matched nothing. */
static bool wildcard_dir_exists(const char *pat)
{
	const char *w = pat + strcspn(pat, "*?[");
	char *dir;
	struct stat st;
	bool ok;

	while (w > pat && w[-1] != '/')
		w--;
	if (w == pat)
		return true;
	dir = strndup(pat, (size_t)(w - pat));
	ok = !dir || (stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
	free(dir);
	return ok;
}

struct match_counts {
	unsigned missing, wild_unmatched, found;
};

static int glob_one(const char *pat, struct strlist *files, struct match_counts *c)
{
	glob_t g = { 0 };
	int rc = glob(pat, 0, NULL, &g), err = 0;

	if (rc == GLOB_NOMATCH) {
		if (has_wildcard(pat) && wildcard_dir_exists(pat))
			c->wild_unmatched++;
		else
			c->missing++;
	} else if (rc == GLOB_NOSPACE) {
		err = -ENOMEM;
	} else if (rc == 0) {
		for (size_t i = 0; i < g.gl_pathc && !err; i++) {
			/* glob() returns names without wildcards unchecked */
			if (!has_wildcard(pat) && access(g.gl_pathv[i], F_OK)) {
				c->missing++;
				continue;
			}
			c->found++;
			err = strlist_add(files, strdup(g.gl_pathv[i]));
		}
	} else {
		c->missing++;
	}
	globfree(&g);
	return err;
}

/* Keep the matches keepalived would read: regular, non-executable files. */
static int filter_files(struct strlist *in, unsigned checks, struct diag_list *dl,
			const struct cfg_loc *loc, struct include_files *out)
{
	out->paths = calloc(in->n ? in->n : 1, sizeof(*out->paths));
	if (!out->paths)
		return -ENOMEM;
	for (size_t i = 0; i < in->n; i++) {
		struct stat st;

		if (stat(in->v[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			include_report(dl, loc, checks, INCLUDE_CHECK_READ,
				       "'%s' is a directory: skipped", in->v[i]);
		} else if (stat(in->v[i], &st) || !S_ISREG(st.st_mode) ||
			   (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) {
			include_report(dl, loc, checks, INCLUDE_CHECK_READ,
				       "'%s' is not a regular, non-executable file: skipped",
				       in->v[i]);
		} else {
			out->paths[out->n++] = in->v[i];
			in->v[i] = NULL;
		}
	}
	return 0;
}

int include_resolve(const char *dir, const char *pattern, unsigned checks, struct diag_list *dl,
		    const struct cfg_loc *loc, struct include_files *out)
{
	struct strlist alts = { 0 }, files = { 0 };
	struct match_counts c = { 0 };
	bool braces;
	char *full = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	/* Relative to the including file's directory: keepalived chdir()s there. */
	if (pattern[0] == '/' || !dir || !strcmp(dir, "."))
		full = strdup(pattern);
	else if (asprintf(&full, "%s/%s", dir, pattern) < 0)
		full = NULL;
	if (!full)
		return -ENOMEM;
	rc = brace_expand(full, &alts);
	if (rc == -E2BIG) {
		diag_error(dl, loc, "include '%s': more than %d alternatives", pattern,
			   BRACE_MAX_ALTERNATIVES);
		rc = 0;
		goto out;
	}
	braces = alts.n > 1 || strcmp(alts.v[0], full);
	for (size_t i = 0; i < alts.n && !rc; i++)
		rc = glob_one(alts.v[i], &files, &c);
	if (rc)
		goto out;
	if (!c.found) {
		if (c.missing)
			include_report(dl, loc, checks,
				       braces ? INCLUDE_CHECK_BRACE : INCLUDE_CHECK_MATCH,
				       "include '%s': no such file", pattern);
		else
			include_report(dl, loc, checks, INCLUDE_CHECK_WILDCARD,
				       "include '%s': no file matches", pattern);
		goto out;
	}
	if (c.missing) {
		include_report(dl, loc, checks, INCLUDE_CHECK_BRACE,
			       "include '%s': some of the files are missing", pattern);
		if (checks & INCLUDE_CHECK_BRACE)
			goto out;
	}
	rc = filter_files(&files, checks, dl, loc, out);
	if (!rc && !out->n)
		diag_warning(dl, loc, "include '%s': no file to read", pattern);
out:
	free(full);
	strlist_release(&alts);
	strlist_release(&files);
	return rc;
}

void include_files_release(struct include_files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->paths[i]);
	free(f->paths);
	memset(f, 0, sizeof(*f));
}

void include_check_apply(unsigned *checks, const struct cfg_node *n, struct diag_list *dl)
{
	static const struct {
		const char *name;
		unsigned flag;
	} names[] = {
		{ "read", INCLUDE_CHECK_READ },
		{ "match", INCLUDE_CHECK_MATCH },
		{ "wildcard_match", INCLUDE_CHECK_WILDCARD },
		{ "brace_match", INCLUDE_CHECK_BRACE },
	};

	if (n->argc == 1) {
		*checks = INCLUDE_CHECK_ALL;
		return;
	}
	for (unsigned i = 1; i < n->argc; i++) {
		const char *w = n->args[i].s;
		int op = *w == '+' ? 1 : *w == '-' ? -1 : 0;
		unsigned flag = 0;

		if (!op && i > 1) {
			diag_error(dl, &n->args[i].loc,
				   "include_check '%s': only the first option may omit '+' or '-'", w);
			continue;
		}
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (!strcmp(w + (op != 0), names[k].name))
				flag = names[k].flag;
		if (!flag) {
			diag_error(dl, &n->args[i].loc,
				   "unknown include_check option '%s' (read, match, wildcard_match, brace_match)",
				   w + (op != 0));
			continue;
		}
		if (!op)
			*checks = INCLUDE_CHECK_READ | flag;
		else if (op > 0)
			*checks |= flag;
		else
			*checks &= ~flag;
	}
}
