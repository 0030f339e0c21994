/* Process-wide logging for vigild and its children.
 *
 * Syslog by default (journald collects it), stderr with -l/--log-console.
 * Every line carries the process name (vigild, vigild-vrrp, vigild-check)
 * and pid, so one stream holds the whole process tree readably.
 *
 * This is the one deliberate piece of mutable process state outside the
 * process context: like openlog(), it is set once at process start (and
 * again in each child right after fork) and only read afterwards.
 */
#ifndef VIGIL_DAEMON_LOG_H
#define VIGIL_DAEMON_LOG_H

#include <stdbool.h>

#include "parser/diag.h"

struct log_opts {
	const char *ident; /* "vigild", "vigild-vrrp", "vigild-check"; must outlive the log */
	bool console;	   /* stderr instead of syslog */
	bool detail;	   /* -D: debug messages and timestamps on the console */
};

/* (Re)open the log for this process. Safe to call again after fork() to
 * change the identity: any previous syslog connection is closed first. */
void log_open(const struct log_opts *opts);

/* Close the syslog connection (if any). Call before closing inherited fds. */
void log_close(void);

void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only emitted with -D/--log-detail. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Log every diagnostic of @dl, errors as errors, the rest as warnings. */
void log_diags(const struct diag_list *dl);

#endif
