#include "build-config.h"

#include <stdlib.h>
#include <string.h>

#include "parser/diag.h"

static const char *const level_names[] = {
	[DIAG_NOTE] = "note",
	[DIAG_WARNING] = "warning",
	[DIAG_STRICT] = "warning",
	[DIAG_ERROR] = "error",
};

void diag_addv(struct diag_list *dl, enum diag_level level, const struct cfg_loc *loc,
	       const char *fmt, va_list ap)
{
	struct diag *d;
	char *msg;

	if (level == DIAG_ERROR)
		dl->errors++;
	else if (level >= DIAG_WARNING)
		dl->warnings++;
	if (level == DIAG_STRICT)
		dl->strict++;
	if (dl->max && dl->n >= dl->max)
		return;
	if (dl->n == dl->cap) {
		size_t cap = dl->cap ? dl->cap * 2 : 16;
		struct diag *v = realloc(dl->v, cap * sizeof(*v));

		if (!v)
			return;
		dl->v = v;
		dl->cap = cap;
	}
	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	d = &dl->v[dl->n++];
	d->level = level;
	d->msg = msg;
	d->file = loc && loc->file ? strdup(loc->file) : NULL;
	d->line = loc ? loc->line : 0;
	d->col = loc ? loc->col : 0;
}

void diag_add(struct diag_list *dl, enum diag_level level, const struct cfg_loc *loc,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_addv(dl, level, loc, fmt, ap);
	va_end(ap);
}

void diag_unknown(struct diag_list *dl, const struct cfg_loc *loc, const char *fmt, ...)
{
	va_list ap;

	dl->unknown++;
	va_start(ap, fmt);
	diag_addv(dl, DIAG_STRICT, loc, fmt, ap);
	va_end(ap);
}

const char *diag_format(const struct diag *d, char *buf, size_t len)
{
	const char *lvl = level_names[d->level];

	if (d->file && d->line && d->col)
		snprintf(buf, len, "%s:%u:%u: %s: %s", d->file, d->line, d->col, lvl, d->msg);
	else if (d->file && d->line)
		snprintf(buf, len, "%s:%u: %s: %s", d->file, d->line, lvl, d->msg);
	else if (d->file)
		snprintf(buf, len, "%s: %s: %s", d->file, lvl, d->msg);
	else
		snprintf(buf, len, "%s: %s", lvl, d->msg);
	return buf;
}

void diag_print(const struct diag_list *dl, FILE *out)
{
	char buf[1024];

	for (size_t i = 0; i < dl->n; i++)
		fprintf(out, "%s\n", diag_format(&dl->v[i], buf, sizeof(buf)));
	if (dl->max && dl->n >= dl->max)
		fprintf(out, "(%u errors and %u warnings in all; only the first %zu shown)\n",
			dl->errors, dl->warnings, dl->n);
}

int diag_find(const struct diag_list *dl, const char *needle)
{
	for (size_t i = 0; i < dl->n; i++)
		if (strstr(dl->v[i].msg, needle))
			return (int)i;
	return -1;
}

void diag_list_free(struct diag_list *dl)
{
	if (!dl)
		return;
	for (size_t i = 0; i < dl->n; i++) {
		free(dl->v[i].file);
		free(dl->v[i].msg);
	}
	free(dl->v);
	dl->v = NULL;
	dl->n = dl->cap = 0;
	dl->errors = dl->warnings = dl->strict = dl->unknown = 0;
}
