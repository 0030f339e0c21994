/* A check's verdict from its probe results: keepalived's retry rules, pure.
 *
 * keepalived 2.2 (check_tcp.c tcp_epilog() and its siblings): a check that
 * is up and fails is retried `retry` times, each after delay_before_retry;
 * the failure after the last retry takes it down. One success brings it up.
 * A check that is down is probed every delay_loop (every
 * delay_before_retry with HTTP's fast_recovery). An `alpha` check starts
 * down; a first failure then counts as down at once when no retry is left.
 */
#ifndef VIGIL_CHECKERS_VERDICT_H
#define VIGIL_CHECKERS_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

struct verdict_state {
	bool up;
	bool has_run;	   /* at least one probe finished */
	uint32_t retry_it; /* consecutive failures while up, so far */
};

struct verdict_params {
	uint32_t retry;
	bool fast_recovery;
};

enum verdict_next {
	VERDICT_NEXT_LOOP,  /* next probe on the delay_loop schedule */
	VERDICT_NEXT_RETRY, /* next probe after delay_before_retry */
};

/* The initial state: up, or down for alpha. */
void verdict_init(struct verdict_state *s, bool alpha);

/* Account one probe result. Returns true when s->up changed; *next says
 * when to probe again. */
bool verdict_step(struct verdict_state *s, const struct verdict_params *p, bool ok,
		  enum verdict_next *next);

#endif
