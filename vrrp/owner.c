#include "build-config.h"

#include <string.h>
#include <sys/socket.h>

#include "vrrp/owner.h"

static int addr_cmp(const struct vaddr *a, const struct vaddr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(&a->u, &b->u, a->family == AF_INET6 ? 16 : 4);
}

enum vrrp_owner_act vrrp_owner_on_advert(struct vrrp_owner_conflict *c, const struct vaddr *ours,
					 const struct vaddr *theirs, uint64_t now_us,
					 uint64_t grace_us)
{
	bool starts = !c->first_us || now_us - c->last_us > grace_us;

	if (c->reduced)
		return VRRP_OWNER_NONE;
	if (starts)
		c->first_us = now_us;
	c->last_us = now_us;
	/* RFC 9568 §6.4.3: at equal priority the higher primary address wins. */
	if (addr_cmp(ours, theirs) < 0 || now_us - c->first_us >= grace_us) {
		c->reduced = true;
		return VRRP_OWNER_REDUCE;
	}
	return starts ? VRRP_OWNER_KEEP : VRRP_OWNER_NONE;
}

bool vrrp_owner_restore(struct vrrp_owner_conflict *c)
{
	bool was = c->reduced;

	c->reduced = false;
	c->first_us = c->last_us = 0;
	return was;
}
