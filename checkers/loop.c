/* The engine's hot path: one timer and one epoll set for every check.
 *
 * A check is armed in a heap of due times under its slot id (due_heap.h);
 * one sd-event timer is armed for the earliest, and its wake-up pops every
 * check due by then (plus CHECK_BATCH_US), starting or timing out each. A
 * probe's socket goes into the engine's own epoll set, whose fd is one
 * sd-event io source; its wake-up drains the ready sockets in batches. So
 * an iteration of the loop (and the clock reads sd-event does for each)
 * serves many probes, not one: in a VM whose clock source is a system call
 * that was most of the per-probe cost.
 */
#include "build-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "checkers/engine.h"
#include "daemon/log.h"

/* The timer may fire this late, and a deadline counts as passed this
 * early. */
#define CHECK_BATCH_US 2000
/* A probe may start early by 1% of its delay_loop, up to this much (never
 * drifting: its next slot is anchored, sched.h), so one wake-up starts the
 * probes due over the next few milliseconds: at 200 probes a second
 * (1,000 HTTP_GETs, delay_loop 5) a 2 ms window held one probe, and each
 * probe paid for a loop iteration of its own just to start. */
#define CHECK_START_EARLY_MAX_US 20000
/* Ready sockets taken per epoll_wait(), and batches per wake-up before the
 * loop serves its other sources. */
#define CHECK_IO_BATCH 128
#define CHECK_IO_ROUNDS 2
/* Checks started or timed out per wake-up of the timer. When the process
 * falls behind (a starved VM: thousands of checks overdue at once), the
 * rest wait for the next iteration of the loop, so a new configuration
 * from the parent (or a coalesced IPVS sync) is not queued behind seconds
 * of connects. */
#define CHECK_FIRE_MAX 64

static uint64_t loop_now(struct checkers *c)
{
	uint64_t now = 0;

	sd_event_now(c->event, CLOCK_MONOTONIC, &now);
	return now;
}

static void loop_rearm(struct checkers *c)
{
	uint64_t due;
	uint32_t id;

	if (c->in_batch || !c->timer)
		return;
	if (!due_heap_top(&c->due, &id, &due)) {
		if (c->timer_due) {
			sd_event_source_set_enabled(c->timer, SD_EVENT_OFF);
			c->timer_due = 0;
		}
		return;
	}
	if (due == 0)
		due = 1; /* 0 means off */
	if (due == c->timer_due)
		return;
	if (sd_event_source_set_time(c->timer, due) < 0 ||
	    sd_event_source_set_enabled(c->timer, SD_EVENT_ONESHOT) < 0) {
		log_err("health checks: cannot arm the engine's timer: checks stall");
		return;
	}
	c->timer_due = due;
}

/* How early @ck may fire at: a probe's start by its share of the
 * delay_loop, a deadline (probe running) by the timer's accuracy only. */
static uint64_t loop_early_us(const struct check *ck)
{
	uint64_t early = ck->running ? CHECK_BATCH_US : ck->conf->delay_loop_us / 100;

	return early > CHECK_START_EARLY_MAX_US ? CHECK_START_EARLY_MAX_US
	       : early < CHECK_BATCH_US	       ? CHECK_BATCH_US
					       : early;
}

static int loop_timer_cb(sd_event_source *s, uint64_t usec, void *data)
{
	struct checkers *c = data;
	uint64_t now = loop_now(c), due;
	/* A check re-armed within the batch (a retry with no delay) waits
	 * for the next wake-up once every check has had its turn. */
	uint32_t budget = c->due.n < CHECK_FIRE_MAX ? c->due.n : CHECK_FIRE_MAX, id;

	c->timer_due = 0;
	c->in_batch = true;
	/* In due order, until one may not fire yet: the timer is then armed
	 * for it, and what follows it comes no earlier. */
	while (budget-- > 0 && due_heap_top(&c->due, &id, &due) &&
	       due <= now + loop_early_us(c->slots[id]) && due_heap_pop_due(&c->due, due, &id))
		check_fire(c->slots[id]);
	c->in_batch = false;
	loop_rearm(c);
	return 0;
}

static void loop_dispatch(struct checkers *c, const struct epoll_event *ev)
{
	uint32_t id = (uint32_t)(ev->data.u64 >> 32), seq = (uint32_t)ev->data.u64;
	struct check *ck = id < c->n_slots ? c->slots[id] : NULL;

	/* Stale: the probe ended (or the slot changed hands) after this
	 * event was queued. */
	if (!ck || !ck->io_cb || ck->io_seq != seq)
		return;
	ck->io_cb(c->io, ck->fd, ev->events, ck);
}

static int loop_io_cb(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct checkers *c = data;
	struct epoll_event evs[CHECK_IO_BATCH];
	int n;

	for (int round = 0; round < CHECK_IO_ROUNDS; round++) {
		n = epoll_wait(c->epoll_fd, evs, CHECK_IO_BATCH, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_err("health checks: epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++)
			loop_dispatch(c, &evs[i]);
		if (n < CHECK_IO_BATCH)
			break;
	}
	return 0;
}

int checks_loop_init(struct checkers *c)
{
	int r;

	c->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (c->epoll_fd < 0)
		return -errno;
	r = sd_event_add_io(c->event, &c->io, c->epoll_fd, EPOLLIN, loop_io_cb, c);
	if (r < 0)
		return r;
	r = sd_event_add_time(c->event, &c->timer, CLOCK_MONOTONIC, 1, CHECK_BATCH_US,
			      loop_timer_cb, c);
	if (r < 0)
		return r;
	return sd_event_source_set_enabled(c->timer, SD_EVENT_OFF);
}

void checks_loop_fini(struct checkers *c)
{
	c->timer = sd_event_source_disable_unref(c->timer);
	c->io = sd_event_source_disable_unref(c->io);
	if (c->epoll_fd >= 0)
		close(c->epoll_fd);
	c->epoll_fd = -1;
	due_heap_fini(&c->due);
	free(c->slots);
	free(c->free_slots);
	c->slots = NULL;
	c->free_slots = NULL;
	c->n_slots = c->slots_cap = c->n_free_slots = 0;
}

int check_slot_attach(struct checkers *c, struct check *ck)
{
	uint32_t id;

	if (c->n_free_slots > 0) {
		id = c->free_slots[--c->n_free_slots];
	} else {
		if (c->n_slots == c->slots_cap) {
			uint32_t cap = c->slots_cap ? 2 * c->slots_cap : 64;
			struct check **slots = realloc(c->slots, (size_t)cap * sizeof(*slots));
			uint32_t *free_slots;

			if (!slots)
				return -ENOMEM;
			c->slots = slots;
			free_slots = realloc(c->free_slots, (size_t)cap * sizeof(*free_slots));
			if (!free_slots)
				return -ENOMEM;
			c->free_slots = free_slots;
			c->slots_cap = cap;
		}
		if (due_heap_reserve(&c->due, c->n_slots + 1) < 0)
			return -ENOMEM;
		id = c->n_slots++;
	}
	c->slots[id] = ck;
	ck->slot = id;
	return 0;
}

void check_slot_detach(struct checkers *c, struct check *ck)
{
	due_heap_remove(&c->due, ck->slot);
	c->slots[ck->slot] = NULL;
	c->free_slots[c->n_free_slots++] = ck->slot;
	/* No re-arm: an early wake-up finds nothing due and re-arms then
	 * (and at shutdown the loop is gone). */
}

void check_arm(struct check *ck, uint64_t due)
{
	struct checkers *c = ck->engine;

	/* Cannot fail: check_slot_attach() reserved the slot's place. */
	due_heap_set(&c->due, ck->slot, due);
	loop_rearm(c);
}

void check_disarm(struct check *ck)
{
	due_heap_remove(&ck->engine->due, ck->slot);
}
