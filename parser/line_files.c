/* The line source's frames, and reading files: the main input, and the
 * files of each "include" (globs, include checks, loops). */
#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parser/lines_internal.h"

/* keepalived has no limit and runs out of file descriptors on a loop. */
#define INCLUDE_MAX_DEPTH 32

struct frame *line_src_top(struct line_src *ls)
{
	return ls->nframes ? &ls->frames[ls->nframes - 1] : NULL;
}

struct frame *line_src_push_frame(struct line_src *ls, enum frame_kind kind)
{
	struct frame *f;

	if (ls->nframes == ls->capframes) {
		size_t cap = ls->capframes ? ls->capframes * 2 : 8;
		struct frame *v = realloc(ls->frames, cap * sizeof(*v));

		if (!v)
			return NULL;
		ls->frames = v;
		ls->capframes = cap;
	}
	f = &ls->frames[ls->nframes++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->from = ls->loc;
	f->from.col = ls->nframes > 1 ? ls->base_col : 0;
	return f;
}

void line_src_pop_frame(struct line_src *ls)
{
	struct frame *f = line_src_top(ls);

	if (f->kind == FRAME_FILE)
		ls->include_check = f->saved_checks;
	free(f->buf);
	free(f->dir);
	free(f->abs_dir);
	include_files_release(&f->files);
	repeat_free(f->rep);
	ls->nframes--;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* Read the whole of @path. Returns 0, or a positive errno. */
static int slurp(const char *path, char **buf, size_t *len, struct stat *st)
{
	FILE *f = fopen(path, "r");
	size_t cap, n = 0;
	char *b;
	int err = 0;

	if (!f)
		return errno;
	if (fstat(fileno(f), st)) {
		err = errno;
		fclose(f);
		return err;
	}
	cap = st->st_size > 0 ? (size_t)st->st_size + 1 : 4096;
	b = malloc(cap);
	while (b) {
		size_t got = fread(b + n, 1, cap - n, f);

		n += got;
		if (n < cap) {
			if (ferror(f))
				err = EIO;
			break;
		}
		cap *= 2;
		char *nb = realloc(b, cap);

		if (!nb) {
			free(b);
			b = NULL;
		}
		b = nb;
	}
	fclose(f);
	if (!b)
		return ENOMEM;
	if (err) {
		free(b);
		return err;
	}
	*buf = b;
	*len = n;
	return 0;
}

/* The chain of includes that leads to the current file, for messages. */
static void include_chain(struct line_src *ls, char *out, size_t size, const char *last)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ls->nframes && used < size; i++)
		if (ls->frames[i].kind == FRAME_FILE && ls->frames[i].name)
			used += (size_t)snprintf(out + used, size - used, "%s -> ",
						 ls->frames[i].name);
	if (used < size)
		snprintf(out + used, size - used, "%s", last);
}

/* Open the next file of the include frame @f; 0 when there is none left. */
int line_src_next_file(struct line_src *ls, struct frame *f)
{
	while (f->next_file < f->files.n) {
		const char *path = f->files.paths[f->next_file++];
		unsigned checks = ls->include_check | f->checks;
		struct stat st;
		int err, depth = 0;

		free(f->buf);
		free(f->dir);
		free(f->abs_dir);
		f->buf = f->dir = f->abs_dir = NULL;
		f->name = NULL;
		err = slurp(path, &f->buf, &f->len, &st);
		if (err == ENOMEM)
			return -ENOMEM;
		if (err) {
			include_report(ls->dl, &f->from, checks, INCLUDE_CHECK_READ,
				       "cannot read '%s': %s", path, strerror(err));
			continue;
		}
		for (size_t i = 0; i + 1 < ls->nframes; i++) {
			const struct frame *g = &ls->frames[i];

			if (g->kind != FRAME_FILE)
				continue;
			depth++;
			if (g->dev == st.st_dev && g->ino == st.st_ino) {
				char chain[1024];

				include_chain(ls, chain, sizeof(chain), path);
				diag_error(ls->dl, &f->from, "include loop: %s", chain);
				err = ELOOP;
			}
		}
		if (!err && depth >= INCLUDE_MAX_DEPTH) {
			diag_error(ls->dl, &f->from, "includes nested deeper than %d",
				   INCLUDE_MAX_DEPTH);
			err = ELOOP;
		}
		if (err) {
			free(f->buf);
			f->buf = NULL;
			continue;
		}
		f->name = arena_strdup(ls->arena, path);
		f->dir = dir_of(path);
		if (!f->name || !f->dir)
			return -ENOMEM;
		f->dev = st.st_dev;
		f->ino = st.st_ino;
		f->pos = 0;
		f->line = 0;
		return 1;
	}
	return 0;
}

int line_src_push_include(struct line_src *ls, const char *pattern, unsigned checks)
{
	const char *dir = NULL;
	struct frame *f;
	int rc;

	/* the frames may move when one is pushed; the strings they own do not */
	for (size_t i = ls->nframes; i-- > 0 && !dir;)
		if (ls->frames[i].kind == FRAME_FILE)
			dir = ls->frames[i].dir;
	f = line_src_push_frame(ls, FRAME_FILE);
	if (!f)
		return -ENOMEM;
	f->from.col = ls->base_col;
	f->checks = checks;
	f->saved_checks = ls->include_check;
	rc = include_resolve(dir, pattern, ls->include_check | checks, ls->dl, &f->from,
			     &f->files);
	if (!rc)
		rc = line_src_next_file(ls, line_src_top(ls));
	if (rc <= 0)
		line_src_pop_frame(ls);
	return rc < 0 ? rc : 0;
}

int line_src_open_file(struct line_src *ls, const char *path)
{
	struct frame *f = line_src_push_frame(ls, FRAME_FILE);
	int rc;

	if (!f)
		return -ENOMEM;
	f->files.paths = calloc(1, sizeof(char *));
	if (!f->files.paths || !(f->files.paths[0] = strdup(path)))
		return -ENOMEM;
	f->files.n = 1;
	f->checks = INCLUDE_CHECK_ALL; /* the main file must be readable */
	f->from.file = arena_strdup(ls->arena, path);
	rc = line_src_next_file(ls, f);
	if (rc == 0) {
		line_src_pop_frame(ls);
		return -ENOENT;
	}
	return rc < 0 ? rc : 0;
}

int line_src_open_string(struct line_src *ls, const char *name, const char *text)
{
	struct frame *f = line_src_push_frame(ls, FRAME_FILE);

	if (!f)
		return -ENOMEM;
	f->len = strlen(text);
	f->buf = malloc(f->len + 1);
	f->name = arena_strdup(ls->arena, name);
	f->dir = strdup(".");
	if (!f->buf || !f->name || !f->dir)
		return -ENOMEM;
	memcpy(f->buf, text, f->len + 1);
	/* an impossible inode: a string never takes part in a loop */
	f->dev = (dev_t)-1;
	f->ino = (ino_t)-1;
	return 0;
}

void line_src_include_check(struct line_src *ls, const struct cfg_node *n)
{
	include_check_apply(&ls->include_check, n, ls->dl);
}

const char *line_src_pwd(struct line_src *ls)
{
	for (size_t i = ls->nframes; i-- > 0;) {
		struct frame *f = &ls->frames[i];

		if (f->kind != FRAME_FILE || !f->dir)
			continue;
		if (!f->abs_dir)
			f->abs_dir = realpath(f->dir, NULL);
		return f->abs_dir ? f->abs_dir : f->dir;
	}
	return ".";
}
