/* When probes run: spread evenly, anchored, pure.
 *
 * Each check gets a phase when it is created: the k-th check created by
 * the engine starts at frac(k * golden ratio) of its warmup (keepalived's
 * "random delay before the first check", which defaults to delay_loop).
 * That sequence keeps any number of checks, added in any order (reloads),
 * close to evenly spaced, so 10,000 checks with delay_loop 5 give a steady
 * 2,000 probes per second, never a burst. After a probe the next one runs
 * at the first slot (phase + n * delay_loop) after now, so a check keeps
 * its place in the cycle whatever its probes' durations: probes do not
 * drift together.
 */
#ifndef VIGIL_CHECKERS_SCHED_H
#define VIGIL_CHECKERS_SCHED_H

#include <stdint.h>

/* The offset in [0, span) of the k-th check. */
uint64_t sched_spread(uint64_t k, uint64_t span);

/* The first slot + n * period (n >= 1) strictly after @now; @period > 0. */
uint64_t sched_next_slot(uint64_t slot, uint64_t period, uint64_t now);

#endif
