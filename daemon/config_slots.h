/* Config generations in fixed address slots, shared with the children
 * without serialisation.
 *
 * Before forking anything, the parent reserves CONFIG_SLOTS x
 * CONFIG_SLOT_SIZE bytes of PROT_NONE address space. Every children inherits
 * that reservation by fork, so an address in it means the same thing in
 * every process of the tree. Each config generation is parsed into a
 * memfd-backed arena placed at one slot (arena_new_at), sealed read-only,
 * and sent to the children as (memfd, slot, length, root offset); a child
 * maps the memfd read-only at the same address and follows the pointers as
 * they are. The children never parse.
 *
 * What this requires of the model: every pointer in a struct vigil_config
 * points into its own arena or at static data of the binary (same address
 * after fork, no exec). Nothing may point into the parser's heap.
 *
 * The parent tracks who holds each slot (itself for the current generation,
 * each child for what it applied and what it is applying) and frees a slot
 * when its last holder lets go.
 */
#ifndef VIGIL_DAEMON_CONFIG_SLOTS_H
#define VIGIL_DAEMON_CONFIG_SLOTS_H

#include <stdint.h>

#include "daemon/msg.h"
#include "parser/config.h"

#define CONFIG_SLOTS 4
#define CONFIG_SLOT_SIZE ((size_t)1 << 30)

/* Holders of a slot, as bits. */
enum config_holder {
	CONFIG_HOLDER_PARENT = 1u << 0, /* the current generation */
	CONFIG_HOLDER_VRRP = 1u << 1,
	CONFIG_HOLDER_CHECK = 1u << 2,
};

struct config_gen {
	struct arena *arena; /* NULL when the slot is free (parent only) */
	const struct vigil_config *cfg;
	uint64_t generation;
	unsigned holders; /* enum config_holder bits */
};

struct config_slots {
	char *base; /* the reservation; NULL when not reserved */
	struct config_gen gen[CONFIG_SLOTS];
};

/* Reserve the address space. Returns 0 or -errno. */
int config_slots_reserve(struct config_slots *s);

/* Free every generation and the reservation. NULL-safe on an unreserved set. */
void config_slots_release(struct config_slots *s);

static inline void *config_slot_addr(const struct config_slots *s, unsigned slot)
{
	return s->base + (size_t)slot * CONFIG_SLOT_SIZE;
}

/* Parent: parse @path into a free slot as generation @generation. Returns
 * the slot index (>= 0) when the config is usable (warnings may be in @dl),
 * -EINVAL when @dl holds errors, -ENOSPC when every slot is held, or another
 * -errno. A failed load leaves the slot free. The new slot has no holder
 * yet: take one with config_slot_hold(). */
int config_slots_load(struct config_slots *s, const char *path, const struct config_opts *opts,
		      uint64_t generation, struct diag_list *dl);

/* Parent: add or drop @holder on @slot; dropping the last holder frees the
 * generation (its range goes back to PROT_NONE). A negative @slot is a no-op. */
void config_slot_hold(struct config_slots *s, int slot, unsigned holder);
void config_slot_drop(struct config_slots *s, int slot, unsigned holder);

/* Parent: the CONFIG message body for @slot; the memfd to attach is
 * s->gen[slot].arena->memfd. */
void config_slot_describe(const struct config_slots *s, unsigned slot, struct msg_config *out);

/* Child: right after fork, give back every slot except @keep (inherited
 * mappings of generations this process will never use). */
void config_slots_keep_only(struct config_slots *s, unsigned keep);

/* Child: map the generation described by @mc from @memfd at its slot,
 * read-only. Returns 0 with *out set, or -errno with *why set. Does not
 * take ownership of @memfd. */
int config_slot_map(struct config_slots *s, const struct msg_config *mc, int memfd,
		    const struct vigil_config **out, const char **why);

/* Child: give back @slot's range (PROT_NONE again). */
void config_slot_unmap(struct config_slots *s, unsigned slot);

#endif
