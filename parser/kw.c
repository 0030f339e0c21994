#include "build-config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parser/kw.h"

/* Keyword lookup is the parser's hot path (one per statement; 100k-line
 * configs exist), so tables are indexed lazily into one hash keyed by
 * (table, name) instead of being scanned. */
struct kw_slot {
	const struct kw_table *table;
	const struct kw *kw;
	uint32_t hash;
};

struct kw_index {
	struct kw_slot *slots;
	size_t cap, used;
	const struct kw_table **tables;
	size_t ntables;
};

static uint32_t kw_hash(const struct kw_table *t, const char *s)
{
	uint32_t h = 2166136261u ^ (uint32_t)((uintptr_t)t >> 4);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void index_put(struct kw_index *ix, const struct kw_table *t, const struct kw *kw, uint32_t h)
{
	size_t mask = ix->cap - 1, i = h & mask;

	while (ix->slots[i].kw) {
		if (ix->slots[i].table == t && strcmp(ix->slots[i].kw->name, kw->name) == 0)
			return; /* duplicate entry: first wins */
		i = (i + 1) & mask;
	}
	ix->slots[i] = (struct kw_slot){ t, kw, h };
	ix->used++;
}

static int index_grow(struct kw_index *ix, size_t need)
{
	size_t cap = ix->cap ? ix->cap : 256;
	struct kw_slot *old = ix->slots;
	size_t oldcap = ix->cap;

	while (cap < 2 * need)
		cap *= 2;
	if (cap == ix->cap)
		return 0;
	ix->slots = calloc(cap, sizeof(*ix->slots));
	if (!ix->slots) {
		ix->slots = old;
		return -1;
	}
	ix->cap = cap;
	ix->used = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].kw)
			index_put(ix, old[i].table, old[i].kw, old[i].hash);
	free(old);
	return 0;
}

static int index_add_table(struct kw_index *ix, const struct kw_table *t)
{
	const struct kw_table **tables;

	for (size_t i = 0; i < ix->ntables; i++)
		if (ix->tables[i] == t)
			return 0;
	if (index_grow(ix, ix->used + t->n) < 0)
		return -1;
	tables = realloc(ix->tables, (ix->ntables + 1) * sizeof(*tables));
	if (!tables)
		return -1;
	ix->tables = tables;
	ix->tables[ix->ntables++] = t;
	for (size_t i = 0; i < t->n; i++)
		index_put(ix, t, &t->v[i], kw_hash(t, t->v[i].name));
	return 0;
}

void conf_ctx_init(struct conf_ctx *ctx, struct arena *arena, struct diag_list *dl,
		   struct vigil_config *cfg)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->arena = arena;
	ctx->dl = dl;
	ctx->cfg = cfg;
	ctx->index = calloc(1, sizeof(*ctx->index));
}

void conf_ctx_fini(struct conf_ctx *ctx)
{
	if (ctx->index) {
		free(ctx->index->slots);
		free(ctx->index->tables);
		free(ctx->index);
	}
	ctx->index = NULL;
}

static const struct kw *table_scan(const struct kw_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

const struct kw *kw_lookup(struct conf_ctx *ctx, const struct kw_table *t, const char *name)
{
	struct kw_index *ix = ctx->index;
	uint32_t h;
	size_t i, mask;

	if (!ix || index_add_table(ix, t) < 0)
		return table_scan(t, name); /* out of memory: still correct, just slower */
	h = kw_hash(t, name);
	mask = ix->cap - 1;
	for (i = h & mask; ix->slots[i].kw; i = (i + 1) & mask)
		if (ix->slots[i].hash == h && ix->slots[i].table == t &&
		    strcmp(ix->slots[i].kw->name, name) == 0)
			return ix->slots[i].kw;
	return NULL;
}

unsigned kw_distance(const char *a, const char *b, unsigned cap)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned rows[3][64], *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (la >= 63 || lb >= 63)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned best;

		cur[0] = (unsigned)i;
		best = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = prev[j] + 1;

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1; /* transposition */
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
		unsigned *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb] > cap ? cap + 1 : prev[lb];
}

const char *kw_suggest(const struct kw_table *t, const char *word)
{
	size_t len = strlen(word);
	unsigned cap = len < 4 ? 1 : len < 9 ? 2 : 3;
	const char *best = NULL;
	unsigned best_d = cap + 1;

	for (size_t i = 0; i < t->n; i++) {
		unsigned d = kw_distance(word, t->v[i].name, cap);

		if (d < best_d) {
			best_d = d;
			best = t->v[i].name;
		}
	}
	return best;
}

static void conf_reportv(struct conf_ctx *ctx, enum diag_level level, const struct cfg_node *n,
			 unsigned i, const char *fmt, va_list ap)
{
	const struct cfg_loc *loc = n ? (i < n->argc ? &n->args[i].loc : &n->loc) : NULL;

	diag_addv(ctx->dl, level, loc, fmt, ap);
}

void conf_error(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_reportv(ctx, DIAG_ERROR, n, i, fmt, ap);
	va_end(ap);
}

void conf_warning(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_reportv(ctx, DIAG_WARNING, n, i, fmt, ap);
	va_end(ap);
}

void conf_strict(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_reportv(ctx, DIAG_STRICT, n, i, fmt, ap);
	va_end(ap);
}

void conf_error_at(struct conf_ctx *ctx, const struct cfg_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_addv(ctx->dl, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
}

void conf_warning_at(struct conf_ctx *ctx, const struct cfg_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_addv(ctx->dl, DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
}

void conf_strict_at(struct conf_ctx *ctx, const struct cfg_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_addv(ctx->dl, DIAG_STRICT, loc, fmt, ap);
	va_end(ap);
}

static void report_unknown(struct conf_ctx *ctx, const struct cfg_node *n, const struct kw_table *t)
{
	const char *hint = kw_suggest(t, n->args[0].s);

	if (hint)
		diag_unknown(ctx->dl, &n->loc, "unknown keyword '%s' in %s (did you mean '%s'?)",
			     n->args[0].s, t->what, hint);
	else
		diag_unknown(ctx->dl, &n->loc, "unknown keyword '%s' in %s", n->args[0].s, t->what);
}

static void dispatch_one(struct conf_ctx *ctx, const struct cfg_node *n, const struct kw_table *t,
			 void *obj)
{
	const struct kw *kw = kw_lookup(ctx, t, n->args[0].s);
	unsigned nargs = n->argc - 1;
	struct cfg_node cut;

	if (!kw) {
		report_unknown(ctx, n, t);
		return;
	}
	if (nargs < kw->min_args) {
		conf_error(ctx, n, 0, "'%s' needs %s%u argument%s, got %u", kw->name,
			   kw->max_args != kw->min_args ? "at least " : "", kw->min_args,
			   kw->min_args == 1 ? "" : "s", nargs);
		return;
	}
	if (kw->max_args != KW_ANY && nargs > kw->max_args) {
		/* keepalived's handlers read the words they need and ignore the
		 * rest ("TCP_CHECK { connect_timeout 1 retry 0 }" on one line
		 * sets connect_timeout only, and keepalived -t passes): warn,
		 * and go on with the words the keyword takes. */
		if (kw->max_args == 0)
			conf_warning(ctx, n, 1, "'%s' takes no argument; '%s' and what follows ignored",
				     kw->name, n->args[1].s);
		else
			conf_warning(ctx, n, kw->max_args + 1,
				     "'%s' takes at most %u argument%s; '%s' and what follows ignored",
				     kw->name, kw->max_args, kw->max_args == 1 ? "" : "s",
				     n->args[kw->max_args + 1].s);
		cut = *n;
		cut.argc = kw->max_args + 1;
		n = &cut;
	}
	if ((kw->flags & KW_BLOCK) && !n->has_block) {
		conf_error(ctx, n, 0, "'%s' needs a block: %s ... { ... }", kw->name, kw->name);
		return;
	}
	if (!(kw->flags & (KW_BLOCK | KW_OPT_BLOCK)) && n->has_block && !(kw->flags & KW_IGNORED)) {
		diag_error(ctx->dl, &n->block_loc, "'%s' does not take a block", kw->name);
		return;
	}
	if (kw->flags & KW_IGNORED) {
		conf_warning(ctx, n, 0, "'%s' is accepted but not supported by vigil%s%s; ignored",
			     kw->name, kw->note ? ": " : "", kw->note ? kw->note : "");
		return;
	}
	if (kw->flags & KW_DEPRECATED)
		conf_warning(ctx, n, 0, "'%s' is deprecated%s%s", kw->name,
			     kw->note ? "; use " : "", kw->note ? kw->note : "");
	if (kw->fn)
		kw->fn(ctx, n, obj);
}

void kw_dispatch(struct conf_ctx *ctx, const struct cfg_node *first, const struct kw_table *t,
		 void *obj)
{
	for (const struct cfg_node *n = first; n; n = n->next)
		dispatch_one(ctx, n, t, obj);
}
