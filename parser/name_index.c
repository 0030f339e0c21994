#include "build-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parser/name_index.h"

/* FNV-1a over the kind and the name. */
static uint32_t name_hash(unsigned kind, const char *s)
{
	uint32_t h = (2166136261u ^ kind) * 16777619u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct name_entry *slot_for(const struct name_index *ix, unsigned kind, const char *name,
				   uint32_t h)
{
	size_t mask = ix->cap - 1;
	struct name_entry *e;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		e = &ix->v[i];
		if (!e->name ||
		    (e->hash == h && e->kind == kind && !strcmp(e->name, name)))
			return e;
	}
}

void *name_index_find(const struct name_index *ix, unsigned kind, const char *name)
{
	const struct name_entry *e;

	if (!ix->cap)
		return NULL;
	e = slot_for(ix, kind, name, name_hash(kind, name));
	return e->name ? e->obj : NULL;
}

/* Keep the load at most one half. */
static int grow(struct name_index *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 64;
	struct name_index bigger = { calloc(cap, sizeof(struct name_entry)), cap, ix->used };

	if (!bigger.v)
		return -ENOMEM;
	for (size_t i = 0; i < ix->cap; i++)
		if (ix->v[i].name)
			*slot_for(&bigger, ix->v[i].kind, ix->v[i].name, ix->v[i].hash) = ix->v[i];
	free(ix->v);
	*ix = bigger;
	return 0;
}

int name_index_add(struct name_index *ix, unsigned kind, const char *name, void *obj)
{
	uint32_t h = name_hash(kind, name);
	struct name_entry *e;

	if (2 * (ix->used + 1) > ix->cap && grow(ix) < 0)
		return -ENOMEM;
	e = slot_for(ix, kind, name, h);
	if (e->name)
		return -EEXIST;
	*e = (struct name_entry){ name, kind, h, obj };
	ix->used++;
	return 0;
}

void name_index_release(struct name_index *ix)
{
	free(ix->v);
	memset(ix, 0, sizeof(*ix));
}
