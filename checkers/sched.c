/* Probe spreading and slot arithmetic (see sched.h). */
#include "build-config.h"

#include "checkers/sched.h"

uint64_t sched_spread(uint64_t k, uint64_t span)
{
	/* 2^64 / golden ratio: k * this, mod 2^64, is frac(k * 0.618...) in
	 * fixed point (Knuth's multiplicative hashing); scale it to span. */
	uint64_t frac = k * UINT64_C(0x9E3779B97F4A7C15);

	return (uint64_t)(((unsigned __int128)frac * span) >> 64);
}

uint64_t sched_next_slot(uint64_t slot, uint64_t period, uint64_t now)
{
	if (slot > now)
		return slot + period;
	return slot + (now - slot) / period * period + period;
}
