/* The health-check engine of the checker child: probes real servers and
 * reports verdicts. The IPVS side (daemon/child_check.c) turns verdicts into
 * the desired table; this module knows nothing of IPVS.
 *
 * Identity: a real server of a virtual server is known by the virtual
 * server's key (address/port/protocol, fwmark or group name) and the real
 * server's address and port, not by pointer, so state survives a reload
 * into a new config generation.
 */
#ifndef VIGIL_CHECKERS_CHECKERS_H
#define VIGIL_CHECKERS_CHECKERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <systemd/sd-event.h>

#include "parser/config.h"

struct checkers;
struct script_runner;

struct checkers_ops {
	/* The verdict on @rs of @vs changed: up/down, or its effective weight
	 * (MISC_CHECK misc_dynamic, FILE_CHECK). Pointers are into the config
	 * generation currently running. Called from the event loop. */
	void (*rs_changed)(void *data, const struct lvs_virtual_server *vs,
			   const struct lvs_real_server *rs, bool up, uint32_t weight);
};

/* Start checking every real server of @cfg. Initial verdicts follow
 * keepalived: up, except `alpha` real servers, which start down. Read them
 * with checkers_rs_status(): rs_changed() reports later changes only. */
int checkers_new(sd_event *ev, const struct vigil_config *cfg, const struct checkers_ops *ops,
		 void *data, struct checkers **out);

/* Move to a new config generation: unchanged real servers keep their state
 * and schedule (no flap), new ones start, removed ones stop. No rs_changed()
 * call is made for the new generation's initial verdicts: read them with
 * checkers_rs_status(). Not from inside rs_changed(). On failure (-ENOMEM)
 * the previous generation keeps running. */
int checkers_reload(struct checkers *c, const struct vigil_config *next);

/* The current verdict on @rs of @vs (pointers of the running generation). */
void checkers_rs_status(const struct checkers *c, const struct lvs_virtual_server *vs,
			const struct lvs_real_server *rs, bool *up, uint32_t *weight);

/* How many virtual servers share the probes of @rs of @vs: 1 when its
 * checks are its own, N when N virtual servers' identical checkers of the
 * same real server are served by one probe (for the status output). */
unsigned checkers_rs_sharing(const struct checkers *c, const struct lvs_virtual_server *vs,
			     const struct lvs_real_server *rs);

/* Distinct checks (probes scheduled) and real servers checked. */
void checkers_counts(const struct checkers *c, size_t *n_checks, size_t *n_real_servers);

/* The engine's script runner, created on first use; the checker child
 * runs its quorum scripts on it too. NULL on failure (reason logged). */
struct script_runner *checkers_script_runner(struct checkers *c);

/* keepalived's omega, at a clean shutdown: run notify_down of every real
 * server that is up in a virtual server with omega. */
void checkers_omega(struct checkers *c);

/* A clean shutdown begins, as keepalived's checker_terminate_phase1(): every
 * script still running (MISC_CHECK runs in flight, earlier notify scripts)
 * gets SIGTERM, and from now on no probe's result changes a verdict or runs
 * a notify script (the process waits for those scripts and reaps them).
 * NULL is fine. */
void checkers_stop(struct checkers *c);

/* Stop every probe and free. NULL is fine. */
void checkers_free(struct checkers *c);

#endif
