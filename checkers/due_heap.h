/* A min-heap of due times, keyed by small integer ids (pure).
 *
 * The engine keeps every armed check here under its slot id: one sd-event
 * timer is armed for the top, and one wake-up pops every check that is due
 * (loop.c). Each id is in the heap at most once; setting it again moves it.
 * No clock, no I/O: the caller passes the times.
 */
#ifndef VIGIL_CHECKERS_DUE_HEAP_H
#define VIGIL_CHECKERS_DUE_HEAP_H

#include <stdbool.h>
#include <stdint.h>

struct due_heap_node {
	uint64_t due;
	uint32_t id;
};

struct due_heap {
	struct due_heap_node *nodes; /* heap order: nodes[0] is the earliest */
	uint32_t n, cap;
	uint32_t *pos; /* pos[id]: index in nodes, or DUE_HEAP_ABSENT */
	uint32_t pos_cap;
};

#define DUE_HEAP_ABSENT UINT32_MAX

/* Make room for ids below @n_ids, so that due_heap_set() of such an id
 * cannot fail. 0 or -ENOMEM (the heap unchanged). */
int due_heap_reserve(struct due_heap *h, uint32_t n_ids);

/* Arm @id at @due, or move it there if armed. 0, or -ENOMEM when @id is
 * beyond what due_heap_reserve() made room for and growing failed. */
int due_heap_set(struct due_heap *h, uint32_t id, uint64_t due);

/* Disarm @id (nothing if it is not armed). */
void due_heap_remove(struct due_heap *h, uint32_t id);

/* Is @id armed? */
bool due_heap_contains(const struct due_heap *h, uint32_t id);

/* The earliest armed id and its time; false when the heap is empty. */
bool due_heap_top(const struct due_heap *h, uint32_t *id, uint64_t *due);

/* Pop the earliest id if it is due at or before @limit: true and *@id, or
 * false (nothing popped). */
bool due_heap_pop_due(struct due_heap *h, uint64_t limit, uint32_t *id);

/* Free the arrays; the heap is empty and reusable afterwards. */
void due_heap_fini(struct due_heap *h);

#endif
