/* Bump allocator for immutable data with one owner: the config tree.
 *
 * An arena is one contiguous mapping. Everything allocated from it is freed at
 * once by arena_free(). Backed either by anonymous memory (tests, tools) or by
 * a memfd that the daemon maps at the same address in its children, so a
 * parsed config crosses the process boundary without serialisation: pointers
 * inside it stay valid because the mapping address is the same.
 */
#ifndef VIGIL_LIB_ARENA_H
#define VIGIL_LIB_ARENA_H

#include <stddef.h>
#include <stdbool.h>

struct arena {
	char *base;
	size_t size;  /* reserved bytes */
	size_t used;  /* bytes handed out */
	int memfd;    /* -1 for anonymous arenas */
	bool fixed;   /* mapped at a caller-chosen address: unmap by remapping PROT_NONE */
};

/* Anonymous arena reserving @size bytes of address space (pages are only
 * committed when touched). Returns NULL on failure with errno set. */
struct arena *arena_new(size_t size);

/* memfd-backed arena mapped read-write at exactly @addr (which must be a
 * PROT_NONE reservation the caller owns). Returns NULL on failure. */
struct arena *arena_new_at(void *addr, size_t size);

/* Free the arena and everything allocated from it. NULL is fine. For fixed
 * arenas the range is turned back into a PROT_NONE reservation. */
void arena_free(struct arena *a);

/* Zeroed, 16-byte aligned memory, or NULL when the arena is exhausted. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void *arena_memdup(struct arena *a, const void *p, size_t n);

/* Make the arena read-only: the config is immutable once built. */
int arena_seal(struct arena *a);

#endif
