/* Binary min-heap of due times with an id -> position index (see
 * due_heap.h). */
#include "build-config.h"

#include <errno.h>
#include <stdlib.h>

#include "checkers/due_heap.h"

static bool node_before(const struct due_heap_node *a, const struct due_heap_node *b)
{
	/* Equal times in id order, so the order of a batch is reproducible. */
	return a->due < b->due || (a->due == b->due && a->id < b->id);
}

static void place(struct due_heap *h, uint32_t i, struct due_heap_node node)
{
	h->nodes[i] = node;
	h->pos[node.id] = i;
}

static void sift_up(struct due_heap *h, uint32_t i)
{
	struct due_heap_node node = h->nodes[i];

	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (!node_before(&node, &h->nodes[parent]))
			break;
		place(h, i, h->nodes[parent]);
		i = parent;
	}
	place(h, i, node);
}

static void sift_down(struct due_heap *h, uint32_t i)
{
	struct due_heap_node node = h->nodes[i];

	for (;;) {
		uint32_t child = 2 * i + 1;

		if (child >= h->n)
			break;
		if (child + 1 < h->n && node_before(&h->nodes[child + 1], &h->nodes[child]))
			child++;
		if (!node_before(&h->nodes[child], &node))
			break;
		place(h, i, h->nodes[child]);
		i = child;
	}
	place(h, i, node);
}

int due_heap_reserve(struct due_heap *h, uint32_t n_ids)
{
	uint32_t cap;

	if (n_ids <= h->pos_cap && n_ids <= h->cap)
		return 0;
	cap = h->pos_cap > 16 ? h->pos_cap : 16;
	while (cap < n_ids)
		cap *= 2;
	if (cap > h->cap) {
		struct due_heap_node *nodes = realloc(h->nodes, (size_t)cap * sizeof(*nodes));

		if (!nodes)
			return -ENOMEM;
		h->nodes = nodes;
		h->cap = cap;
	}
	if (cap > h->pos_cap) {
		uint32_t *pos = realloc(h->pos, (size_t)cap * sizeof(*pos));

		if (!pos)
			return -ENOMEM;
		for (uint32_t i = h->pos_cap; i < cap; i++)
			pos[i] = DUE_HEAP_ABSENT;
		h->pos = pos;
		h->pos_cap = cap;
	}
	return 0;
}

bool due_heap_contains(const struct due_heap *h, uint32_t id)
{
	return id < h->pos_cap && h->pos[id] != DUE_HEAP_ABSENT;
}

int due_heap_set(struct due_heap *h, uint32_t id, uint64_t due)
{
	uint32_t i;

	if (id == DUE_HEAP_ABSENT)
		return -EINVAL;
	if (due_heap_contains(h, id)) {
		i = h->pos[id];
		h->nodes[i].due = due;
		sift_up(h, i);
		sift_down(h, h->pos[id]);
		return 0;
	}
	if (due_heap_reserve(h, id + 1 > h->n + 1 ? id + 1 : h->n + 1) < 0)
		return -ENOMEM;
	i = h->n++;
	place(h, i, (struct due_heap_node){.due = due, .id = id});
	sift_up(h, i);
	return 0;
}

void due_heap_remove(struct due_heap *h, uint32_t id)
{
	uint32_t i, moved;

	if (!due_heap_contains(h, id))
		return;
	i = h->pos[id];
	h->pos[id] = DUE_HEAP_ABSENT;
	if (i == --h->n)
		return;
	/* The last node fills the hole, then finds its place either way. */
	moved = h->nodes[h->n].id;
	place(h, i, h->nodes[h->n]);
	sift_up(h, i);
	sift_down(h, h->pos[moved]);
}

bool due_heap_top(const struct due_heap *h, uint32_t *id, uint64_t *due)
{
	if (h->n == 0)
		return false;
	*id = h->nodes[0].id;
	*due = h->nodes[0].due;
	return true;
}

bool due_heap_pop_due(struct due_heap *h, uint64_t limit, uint32_t *id)
{
	if (h->n == 0 || h->nodes[0].due > limit)
		return false;
	*id = h->nodes[0].id;
	due_heap_remove(h, *id);
	return true;
}

void due_heap_fini(struct due_heap *h)
{
	free(h->nodes);
	free(h->pos);
	*h = (struct due_heap){0};
}
