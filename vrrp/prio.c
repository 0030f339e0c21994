/* Effective priority arithmetic (see vrrp/prio.h). Pure. */
#include "build-config.h"

#include <stdlib.h>

#include "vrrp/prio.h"

#define FILE_FAULT (-254) /* keepalived: a track_file status this low is FAULT */
#define FILE_MAX 253

static int32_t binary_contribution(const struct vrrp_prio_item *it, bool *fault, bool *unknown)
{
	int32_t mult = it->reverse ? -1 : 1;
	bool up = it->state == VRRP_TRACK_UP;

	if (it->state == VRRP_TRACK_UNKNOWN) {
		/* keepalived: no result yet moves nothing; a weight-0 one keeps
		 * the instance waiting (in INIT) instead. */
		*unknown = it->weight == 0;
		return 0;
	}
	if (it->weight == 0) {
		*fault = up != !it->reverse;
		return 0;
	}
	if (up)
		return it->weight > 0 ? it->weight * mult : 0;
	return it->weight < 0 ? it->weight * mult : 0;
}

static int32_t file_contribution(const struct vrrp_prio_item *it, bool *fault)
{
	int64_t status;

	if (it->weight == 0) {
		*fault = (it->value != 0) != it->reverse;
		return 0;
	}
	status = it->value * it->weight * (it->reverse ? -1 : 1);
	if (status <= FILE_FAULT) {
		*fault = true;
		return 0;
	}
	return (int32_t)(status > FILE_MAX ? FILE_MAX : status);
}

int32_t vrrp_prio_item_contribution(const struct vrrp_prio_item *it, bool *fault, bool *unknown)
{
	*fault = false;
	*unknown = false;
	if (it->state == VRRP_TRACK_DISABLED)
		return 0;
	if (it->kind == VRRP_TRACK_FILE)
		return file_contribution(it, fault);
	return binary_contribution(it, fault, unknown);
}

void vrrp_prio_init(struct vrrp_prio_result *r, uint8_t base)
{
	*r = (struct vrrp_prio_result){ .total = base };
}

void vrrp_prio_add(struct vrrp_prio_result *r, const struct vrrp_prio_item *it)
{
	bool fault, unknown;

	r->total += vrrp_prio_item_contribution(it, &fault, &unknown);
	r->n_fault += fault;
	r->n_unknown += unknown;
}

void vrrp_prio_finish(struct vrrp_prio_result *r, uint8_t base)
{
	r->fault = r->n_fault > 0;
	r->offset = r->total - base;
	/* keepalived.conf(5): "priority 255 owners don't get weights", and
	 * otherwise the effective priority stays within [1,254]. */
	if (base == VRRP_PRIO_OWNER) {
		r->priority = VRRP_PRIO_OWNER;
		r->offset = 0;
	} else if (r->total < 1)
		r->priority = 1;
	else if (r->total > VRRP_PRIO_OWNER - 1)
		r->priority = VRRP_PRIO_OWNER - 1;
	else
		r->priority = (uint8_t)r->total;
}

struct vrrp_prio_result vrrp_prio_compute(uint8_t base, const struct vrrp_prio_item *items,
					  size_t n)
{
	struct vrrp_prio_result r;

	vrrp_prio_init(&r, base);
	for (size_t i = 0; i < n; i++)
		vrrp_prio_add(&r, &items[i]);
	vrrp_prio_finish(&r, base);
	return r;
}

void vrrp_script_counter_init(struct vrrp_script_counter *c, uint32_t rise, uint32_t fall,
			      bool init_fail)
{
	c->rise = rise ? rise : 1;
	c->fall = fall ? fall : 1;
	/* Starting one short of "up" makes the first success decide; a
	 * first failure is reported at once (see feed()). */
	c->count = init_fail ? 0 : c->rise - 1;
	c->state = init_fail ? VRRP_TRACK_DOWN : VRRP_TRACK_UNKNOWN;
}

bool vrrp_script_counter_feed(struct vrrp_script_counter *c, bool success)
{
	enum vrrp_track_state before = c->state;
	uint32_t top = c->rise + c->fall - 1;

	if (success) {
		if (c->count < c->rise - 1)
			c->count++;
		else {
			c->count = top;
			c->state = VRRP_TRACK_UP;
		}
	} else {
		if (c->count > c->rise)
			c->count--;
		else {
			/* count == rise: the fall-th failure in a row; below
			 * rise it was not up anyway (or had no verdict). */
			if (c->count == c->rise || c->state == VRRP_TRACK_UNKNOWN)
				c->state = VRRP_TRACK_DOWN;
			c->count = 0;
		}
	}
	return c->state != before;
}

int64_t vrrp_track_file_parse(const char *text)
{
	char *end;
	long long v = strtoll(text, &end, 0);

	if (end == text)
		return 0;
	return v > 254 ? 254 : v < -254 ? -254 : v;
}

bool vrrp_process_quorum(uint32_t count, uint32_t quorum, uint32_t quorum_max)
{
	return count >= quorum && count <= quorum_max;
}
