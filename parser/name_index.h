/* Names to objects while a config is built: "is this vrrp_instance name
 * taken?", "which vrrp_script does this track_script name?" in constant
 * time, so a config with thousands of objects builds in linear time.
 *
 * Keys are (kind, name): one index serves several namespaces. Names are
 * borrowed (they live in the config arena). Owned by its user; lives for
 * one build.
 */
#ifndef VIGIL_PARSER_NAME_INDEX_H
#define VIGIL_PARSER_NAME_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct name_entry {
	const char *name; /* NULL: free slot */
	unsigned kind;
	uint32_t hash;
	void *obj;
};

struct name_index {
	struct name_entry *v;
	size_t cap, used; /* cap: 0 or a power of two */
};

/* The object added under (@kind, @name), or NULL. */
void *name_index_find(const struct name_index *ix, unsigned kind, const char *name);

/* Add @obj under (@kind, @name). Returns 0, -EEXIST when the name is taken
 * (the first object stays), or -ENOMEM. */
int name_index_add(struct name_index *ix, unsigned kind, const char *name, void *obj);

/* Free the table (not the names or objects); @ix may be reused. */
void name_index_release(struct name_index *ix);

#endif
