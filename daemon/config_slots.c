#include "build-config.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/config_slots.h"

#define RESERVATION_SIZE ((size_t)CONFIG_SLOTS * CONFIG_SLOT_SIZE)

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static void make_none(void *addr, size_t len)
{
	/* Replacing the mapping (rather than mprotect) also drops the pages. */
	mmap(addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

int config_slots_reserve(struct config_slots *s)
{
	void *p;

	memset(s, 0, sizeof(*s));
	p = mmap(NULL, RESERVATION_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
		 0);
	if (p == MAP_FAILED)
		return -errno;
	s->base = p;
	return 0;
}

void config_slots_release(struct config_slots *s)
{
	if (!s->base)
		return;
	for (unsigned i = 0; i < CONFIG_SLOTS; i++)
		arena_free(s->gen[i].arena);
	munmap(s->base, RESERVATION_SIZE);
	memset(s, 0, sizeof(*s));
}

int config_slots_load(struct config_slots *s, const char *path, const struct config_opts *opts,
		      uint64_t generation, struct diag_list *dl)
{
	const struct vigil_config *cfg = NULL;
	struct arena *a;
	int slot = -1, rc;

	for (unsigned i = 0; i < CONFIG_SLOTS && slot < 0; i++)
		if (!s->gen[i].arena)
			slot = (int)i;
	if (slot < 0)
		return -ENOSPC;
	a = arena_new_at(config_slot_addr(s, (unsigned)slot), CONFIG_SLOT_SIZE);
	if (!a)
		return -errno;
	rc = config_load_file(path, opts, a, dl, &cfg);
	if (rc == 0 && !cfg)
		rc = -EINVAL;
	if (rc == 0)
		rc = arena_seal(a);
	if (rc < 0) {
		arena_free(a);
		return rc;
	}
	s->gen[slot] = (struct config_gen){.arena = a, .cfg = cfg, .generation = generation};
	return slot;
}

void config_slot_hold(struct config_slots *s, int slot, unsigned holder)
{
	if (slot >= 0 && slot < CONFIG_SLOTS)
		s->gen[slot].holders |= holder;
}

void config_slot_drop(struct config_slots *s, int slot, unsigned holder)
{
	struct config_gen *g;

	if (slot < 0 || slot >= CONFIG_SLOTS)
		return;
	g = &s->gen[slot];
	g->holders &= ~holder;
	if (!g->holders && g->arena) {
		arena_free(g->arena);
		memset(g, 0, sizeof(*g));
	}
}

void config_slot_describe(const struct config_slots *s, unsigned slot, struct msg_config *out)
{
	const struct config_gen *g = &s->gen[slot];
	size_t page = page_size();

	out->generation = g->generation;
	out->slot = slot;
	out->map_length = (g->arena->used + page - 1) & ~(page - 1);
	out->root_offset = (uint64_t)((const char *)g->cfg - g->arena->base);
}

void config_slots_keep_only(struct config_slots *s, unsigned keep)
{
	for (unsigned i = 0; i < CONFIG_SLOTS; i++)
		if (i != keep)
			make_none(config_slot_addr(s, i), CONFIG_SLOT_SIZE);
}

int config_slot_map(struct config_slots *s, const struct msg_config *mc, int memfd,
		    const struct vigil_config **out, const char **why)
{
	struct stat st;
	void *addr, *p;

	if (mc->slot >= CONFIG_SLOTS) {
		*why = "slot index out of range";
		return -EINVAL;
	}
	if (mc->map_length > CONFIG_SLOT_SIZE || mc->map_length % page_size() ||
	    mc->root_offset + sizeof(struct vigil_config) > mc->map_length) {
		*why = "mapping length out of range";
		return -EINVAL;
	}
	if (fstat(memfd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < mc->map_length) {
		*why = "descriptor is not a config memfd of that size";
		return -EINVAL;
	}
	addr = config_slot_addr(s, mc->slot);
	p = mmap(addr, mc->map_length, PROT_READ, MAP_SHARED | MAP_FIXED, memfd, 0);
	if (p == MAP_FAILED) {
		*why = "mmap failed";
		return -errno;
	}
	*out = (const struct vigil_config *)((char *)addr + mc->root_offset);
	return 0;
}

void config_slot_unmap(struct config_slots *s, unsigned slot)
{
	if (slot < CONFIG_SLOTS)
		make_none(config_slot_addr(s, slot), CONFIG_SLOT_SIZE);
}
