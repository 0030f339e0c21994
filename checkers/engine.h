/* What engine.c (a check's life: probes, verdicts, fan-out) and
 * generation.c (which checks a config generation needs, and the public
 * entry points) share. Not for checker types: they see check.h only. */
#ifndef VIGIL_CHECKERS_ENGINE_H
#define VIGIL_CHECKERS_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checkers/check.h"
#include "checkers/checkers.h"
#include "checkers/due_heap.h"
#include "checkers/key.h"
#include "checkers/notify.h"

struct rs_entry {
	const struct lvs_virtual_server *vs;
	const struct lvs_real_server *rs;
	struct check **checks;
	const struct lvs_checker **confs; /* this generation's checker of each */
	unsigned n_checks;
	bool up;
	uint32_t weight;
	struct rs_notify *notify; /* NULL: no notify_up/notify_down */
};

struct checkers {
	sd_event *event;
	const struct vigil_config *cfg;
	const struct checkers_ops *ops;
	void *data;
	/* Checks by key: chained hash, power-of-two buckets. */
	struct check **buckets;
	size_t n_buckets, n_checks;
	/* Real servers of the running generation, and an index by rs pointer
	 * (open addressing; a real server belongs to one virtual server). */
	struct rs_entry *entries;
	size_t n_entries;
	struct rs_entry **by_rs;
	size_t by_rs_cap;
	uint64_t spread_k; /* checks created so far: their spreading index */
	/* The hot path (loop.c): every armed check in one heap under its
	 * slot, one sd-event timer for the earliest; every probe socket in
	 * one epoll set, one sd-event io source for it. */
	struct check **slots; /* by slot id; NULL: free */
	uint32_t n_slots, slots_cap;
	uint32_t *free_slots;
	uint32_t n_free_slots;
	struct due_heap due;
	sd_event_source *timer;
	uint64_t timer_due; /* what timer is armed for; 0: off */
	bool in_batch;	    /* popping due checks: re-arm once, at the end */
	int epoll_fd;
	sd_event_source *io;
	uint32_t io_seq; /* tags each socket registration (stale events) */
	void *tls_ctx;
	struct script_runner *scripts;
	bool stopping; /* checkers_stop(): results no longer count */
	char name_buf[128]; /* check_name()'s text */
	uint64_t log_second;
	unsigned log_count, log_suppressed;
};

/* The type that runs checkers of @t; NULL for BFD_CHECK (never run). */
const struct check_type *check_type_of(enum lvs_checker_type t);

/* A new check for @conf probing @rs (of @cfg), scheduled; @hash is its
 * key's. NULL on failure. A check whose type cannot set up stays down and
 * idle. */
struct check *check_new(struct checkers *c, const struct vigil_config *cfg,
			const struct lvs_checker *conf, const struct lvs_real_server *rs,
			uint64_t hash);

/* Stop its probe and free it. NULL is fine. */
void check_free(struct check *ck);

/* --- the hot path (loop.c) --- */

/* The engine's timer and epoll set on c->event. 0 or a negative errno. */
int checks_loop_init(struct checkers *c);

/* Undo checks_loop_init(); every check already freed. */
void checks_loop_fini(struct checkers *c);

/* Give @ck a slot id (ck->slot). 0 or -ENOMEM. */
int check_slot_attach(struct checkers *c, struct check *ck);

/* Disarm @ck and free its slot. */
void check_slot_detach(struct checkers *c, struct check *ck);

/* @ck's current watch as epoll data: slot id and watch tag. */
static inline uint64_t check_io_tag(const struct check *ck)
{
	return (uint64_t)ck->slot << 32 | ck->io_seq;
}

/* Arm @ck's one timer at @due (CLOCK_MONOTONIC µs), or move it. */
void check_arm(struct check *ck, uint64_t due);

/* Disarm @ck's timer. */
void check_disarm(struct check *ck);

/* @ck's time came (engine.c): start a probe, or its deadline passed. */
void check_fire(struct check *ck);

/* A real server's verdict from its checks' states and weights. */
void entry_eval(const struct rs_entry *e, bool *up, uint32_t *weight);

/* "virtual server 10.0.0.1:80: real server 10.0.1.2:80" into @buf, for
 * logs and script messages. */
const char *entry_label(const struct rs_entry *e, char *buf, size_t len);

/* Run @e's notify_up (@up) or notify_down script, if it has one. */
void entry_notify(struct checkers *c, const struct rs_entry *e, bool up);

#endif
