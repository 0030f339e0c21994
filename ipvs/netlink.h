/* Kernel IPVS over generic netlink: the only code that talks to the kernel's
 * IPVS. Two operations: dump the table, apply a list of operations.
 *
 * One long-lived socket. ipvs_nl_apply() packs many requests into each
 * sendmsg, asks an ack of the last one only, and matches every error the
 * kernel sends back to its request by sequence number, so one failed
 * object is reported and the rest still apply.
 */
#ifndef VIGIL_IPVS_NETLINK_H
#define VIGIL_IPVS_NETLINK_H

#include "ipvs/diff.h"
#include "ipvs/model.h"

struct ipvs_nl;

/* Open a socket and resolve the "IPVS" family. 0, or a negative errno
 * (-ENOENT: the kernel has no IPVS). */
int ipvs_nl_open(struct ipvs_nl **out);
void ipvs_nl_close(struct ipvs_nl *nl);

/* Read the whole table (services, destinations, counters) into @out, which
 * the caller frees with ipvs_table_free(). */
int ipvs_nl_dump(struct ipvs_nl *nl, struct ipvs_table *out);

/* Apply @ops in order. @errs (may be NULL) receives one result per op: 0 or
 * a negative errno. Returns the number of failed ops, or a negative errno
 * when the socket itself failed (then @errs is incomplete). */
int ipvs_nl_apply(struct ipvs_nl *nl, const struct ipvs_ops *ops, int *errs);

/* Requests per sendmsg (default 128). Exposed for the benchmark. */
void ipvs_nl_set_batch(struct ipvs_nl *nl, unsigned batch);

/* IPVS_CMD_FLUSH: remove every service in this network namespace. */
int ipvs_nl_flush(struct ipvs_nl *nl);

/* netlink_daemon.c */
/* IPVS_CMD_GET_CONFIG / SET_CONFIG: connection timeouts (0 = unchanged). */
int ipvs_nl_get_timeouts(struct ipvs_nl *nl, struct ipvs_timeouts *out);
int ipvs_nl_set_timeouts(struct ipvs_nl *nl, const struct ipvs_timeouts *t);

/* The running sync daemons (at most a master and a backup) into @out. */
int ipvs_nl_daemons(struct ipvs_nl *nl, struct ipvs_daemon out[2], size_t *n);
/* IPVS_CMD_NEW_DAEMON: -EEXIST when one of that state already runs. */
int ipvs_nl_daemon_start(struct ipvs_nl *nl, const struct ipvs_daemon *d);
/* IPVS_CMD_DEL_DAEMON of @state (IPVS_DAEMON_MASTER or _BACKUP). */
int ipvs_nl_daemon_stop(struct ipvs_nl *nl, uint32_t state);

#endif
