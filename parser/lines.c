#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/lines.h"

/* Minimal line source: one file or string, split on newlines. */
struct line_src {
	struct arena *arena;
	struct diag_list *dl;
	char *buf;
	size_t len, pos;
	const char *file;
	unsigned line;
};

struct line_src *line_src_new(struct arena *arena, const struct lex_opts *opts,
			      struct diag_list *dl)
{
	struct line_src *ls = calloc(1, sizeof(*ls));

	if (ls) {
		ls->arena = arena;
		ls->dl = dl;
	}
	return ls;
}

void line_src_free(struct line_src *ls)
{
	if (!ls)
		return;
	free(ls->buf);
	free(ls);
}

int line_src_open_file(struct line_src *ls, const char *path)
{
	struct cfg_loc loc = { path, 0, 0 };
	FILE *f = fopen(path, "r");
	size_t cap = 1 << 16;
	int err;

	ls->file = arena_strdup(ls->arena, path);
	if (!f) {
		err = errno;
		diag_error(ls->dl, &loc, "cannot open: %s", strerror(err));
		return -err;
	}
	ls->buf = malloc(cap);
	for (;;) {
		size_t n;

		if (!ls->buf)
			break;
		n = fread(ls->buf + ls->len, 1, cap - ls->len, f);
		ls->len += n;
		if (ls->len < cap)
			break;
		cap *= 2;
		ls->buf = realloc(ls->buf, cap);
	}
	fclose(f);
	if (!ls->buf)
		return -ENOMEM;
	return 0;
}

int line_src_open_string(struct line_src *ls, const char *name, const char *text)
{
	ls->file = arena_strdup(ls->arena, name);
	ls->len = strlen(text);
	ls->buf = malloc(ls->len + 1);
	if (!ls->buf)
		return -ENOMEM;
	memcpy(ls->buf, text, ls->len);
	return 0;
}

int line_src_next(struct line_src *ls, struct src_line *out)
{
	const char *start, *nl;

	if (ls->pos >= ls->len)
		return 0;
	start = ls->buf + ls->pos;
	nl = memchr(start, '\n', ls->len - ls->pos);
	out->text = start;
	out->len = nl ? (size_t)(nl - start) : ls->len - ls->pos;
	ls->pos += out->len + 1;
	out->file = ls->file;
	out->line = ++ls->line;
	return 1;
}
