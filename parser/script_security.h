/* keepalived's script security rules, as a check over a loaded config.
 *
 * keepalived 2.2.7's config test fails when a config runs scripts
 * (vrrp_script, notify*, MISC_CHECK, notify_up/down, quorum_up/down,
 * startup/shutdown_script) without "enable_script_security" (exit 6,
 * "SECURITY VIOLATION"), and when enable_script_security is set but a script
 * has no user to run as: no script_user, no user on the script's line, and
 * no "keepalived_script" account (exit 5, "Unable to set default user"). It
 * also disables, and fails on, a vrrp_script whose program is missing.
 *
 * The answers depend on the host (which accounts and files exist, who we
 * run as), so the host is an input: the check itself is pure. vigild -t
 * fails on what it reports (DIAG_STRICT); the daemon logs it and runs.
 *
 * vigil runs a script without a user of its own as: script_user if set,
 * else "keepalived_script" when that account exists (keepalived's default),
 * else the daemon's own user (root when started as root).
 */
#ifndef VIGIL_PARSER_SCRIPT_SECURITY_H
#define VIGIL_PARSER_SCRIPT_SECURITY_H

#include <stdbool.h>

#include "parser/diag.h"

struct vigil_config;

#define SCRIPT_DEFAULT_USER "keepalived_script"

struct script_env {
	unsigned euid;            /* the daemon's effective uid */
	bool default_user_exists; /* an account named SCRIPT_DEFAULT_USER exists */
	/* Whether the program a script names exists: @prog is the command's
	 * first word, a bare name is for the callee to look up in PATH.
	 * NULL: every program exists. keepalived ignores scripts it cannot
	 * find (and disables such a vrrp_script). */
	bool (*program_exists)(const char *prog, void *data);
	void *data;
};

/* Check @cfg's scripts against the rules above and report each problem into
 * @dl as DIAG_STRICT, at the script's file:line, with what to change.
 * Missing notify programs are plain warnings. Returns the number of
 * DIAG_STRICT diagnostics added. */
unsigned config_check_script_security(const struct vigil_config *cfg,
				      const struct script_env *env, struct diag_list *dl);

/* The user a script without its own user runs as: script_user, else
 * SCRIPT_DEFAULT_USER when it exists, else NULL (the daemon's own user). */
const char *script_default_user(const struct vigil_config *cfg, const struct script_env *env);

#endif
