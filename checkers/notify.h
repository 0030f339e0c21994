/* A real server's notify_up / notify_down scripts, as keepalived 2.2.7 runs
 * them (check/ipwrapper.c, do_rs_notifies()):
 *
 *  - notify_up when the real server comes up, notify_down when it goes down
 *    (every checker's verdict combined; weight changes run nothing);
 *  - notify_down when the first probe of an `alpha` real server confirms it
 *    down (it started down, so nothing changed, but the script is told);
 *  - on reload, notify_down for a real server that was up and is gone from
 *    the new configuration, and the script for a kept real server whose
 *    verdict the reload changed;
 *  - the command line as written, split like every keepalived script, with
 *    no argument added; run as its own user (else script_user, else
 *    keepalived_script, else root), fire and forget, no timeout.
 *
 * Commands are split, their user resolved and their security checked when
 * a configuration is applied (never per run); a refused script is logged
 * then and never run.
 */
#ifndef VIGIL_CHECKERS_NOTIFY_H
#define VIGIL_CHECKERS_NOTIFY_H

#include <stdbool.h>

#include "lib/script.h"
#include "parser/config.h"

struct rs_notify_cmd {
	char **argv; /* NULL: none, or refused */
	struct script_identity id;
};

struct rs_notify {
	struct rs_notify_cmd up, down;
};

/* What preparing a generation's scripts remembers between real servers:
 * the last program's identity and security verdict (real servers usually
 * share one script), and how many refusals were logged. Zero it before
 * the first real server, rs_notify_prep_end() after the last. */
struct rs_notify_prep {
	char *program, *user, *group;
	bool have_last, last_allowed;
	struct script_identity last_id;
	unsigned refused, logged;
};

/* The scripts of @rs, or NULL when it has none (or on allocation
 * failure, logged). @label names the real server in messages. Free with
 * rs_notify_free(). */
struct rs_notify *rs_notify_new(const struct lvs_real_server *rs, const struct global_conf *g,
				struct rs_notify_prep *prep, const char *label);

/* A virtual server's quorum_up (run as "up") and quorum_down ("down"),
 * prepared the same way; NULL when it has neither. keepalived runs them
 * when the virtual server gains or loses its quorum. */
struct rs_notify *vs_quorum_notify_new(const struct lvs_virtual_server *vs,
				       const struct global_conf *g, struct rs_notify_prep *prep,
				       const char *label);

/* Log the refusals not logged one by one; free the memory of @prep. */
void rs_notify_prep_end(struct rs_notify_prep *prep);

/* NULL is fine. */
void rs_notify_free(struct rs_notify *n);

/* Start notify_up (@up) or notify_down of @n, if it has one, on @runner
 * (NULL: nothing runs). @label names the real (or virtual) server in
 * messages. */
void rs_notify_run(struct script_runner *runner, const struct rs_notify *n, bool up,
		   const char *label);

#endif
