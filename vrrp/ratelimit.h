/* Rate-limited logging: at most one message per interval for one cause,
 * with the count of those suppressed in between. Pure (the caller passes
 * the time). */
#ifndef VIGIL_VRRP_RATELIMIT_H
#define VIGIL_VRRP_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct vrrp_ratelimit {
	uint64_t next_us;    /* no message before this time */
	uint64_t suppressed; /* messages swallowed since the last one */
};

/* Whether a message may be logged at @now_us, with at most one per
 * @interval_us. When it may, *@suppressed is set to how many were
 * swallowed since the last one logged, and the count restarts. */
static inline bool vrrp_ratelimit_ok(struct vrrp_ratelimit *rl, uint64_t now_us,
				     uint64_t interval_us, uint64_t *suppressed)
{
	if (rl->next_us && now_us < rl->next_us) {
		rl->suppressed++;
		return false;
	}
	*suppressed = rl->suppressed;
	rl->suppressed = 0;
	rl->next_us = now_us + interval_us;
	return true;
}

#endif
