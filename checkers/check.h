/* One probe instance ("check") and what a checker type implements.
 *
 * A check is one distinct way of probing one target: the checker's type,
 * every parameter that changes what is sent or how the answer is judged,
 * its timing, and the address and port probed. Real servers that several
 * virtual servers share, checked the same way in each, share one check: it
 * is probed once and its verdict goes to every user (engine.c).
 *
 * A checker type (tcp.c, http.c, ...) runs one probe at a time for a check:
 * the engine calls type->start(); the type chains its own event callbacks
 * and every path ends in exactly one check_done(check, ok, reason). While a
 * probe runs, the check's timer is its deadline (connect_timeout unless the
 * type moves it): when it fires, the engine calls type->cancel() and then
 * check_done(false, "timed out ..."). Types never touch the schedule.
 *
 * On reload a check that is still wanted keeps running, but its conf and
 * cfg pointers move to the new generation: a type must re-read anything it
 * needs from ck->conf in each callback (indexes, not pointers into the old
 * config, in its probe state).
 */
#ifndef VIGIL_CHECKERS_CHECK_H
#define VIGIL_CHECKERS_CHECK_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <systemd/sd-event.h>

#include "checkers/checkers.h"
#include "checkers/verdict.h"
#include "parser/config.h"

struct check;
struct checkers;
struct script_runner;

struct check_type {
	enum lvs_checker_type kind;
	/* The first probe runs when the check is created, not after a spread
	 * delay, and failures are not retried (FILE_CHECK: the file's value
	 * is known at once, as keepalived reads it at start). */
	bool immediate;
	/* Set up what lasts as long as the check (compiled regexes, a TLS
	 * session). 0, or a negative errno with a reason logged. May be NULL. */
	int (*init)(struct check *ck);
	/* Undo init(). Called with no probe in flight. May be NULL. */
	void (*fini)(struct check *ck);
	/* Start one probe; it ends, now or from a later callback, in exactly
	 * one check_done(). */
	void (*start)(struct check *ck);
	/* Drop the probe in flight without calling check_done(). */
	void (*cancel)(struct check *ck);
	/* The deadline passed: end the probe with check_done() as the type
	 * judges it (UDP_CHECK without require_reply: silence is success).
	 * NULL: cancel() and a failure "timed out <phase>". */
	void (*timeout)(struct check *ck);
};

/* How a check's result changes its real servers' weight (MISC_CHECK
 * misc_dynamic, FILE_CHECK). */
enum check_weight {
	CHECK_WEIGHT_NONE, /* the real server's configured weight */
	CHECK_WEIGHT_SET,  /* weight_value replaces it */
	CHECK_WEIGHT_ADD,  /* weight_value is added to it (clamped) */
};

union check_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

struct check {
	/* Read-only for types. */
	struct checkers *engine;
	const struct vigil_config *cfg; /* the running generation */
	const struct lvs_checker *conf; /* one of the identical checkers */
	const struct lvs_real_server *rs; /* conf's real server */
	const struct check_type *type;

	/* The probe in flight, owned by the type between start() and
	 * check_done() (check_close() releases fd and its watch). Fields are
	 * ordered for no padding: 10,000 checks are the checker child's
	 * biggest allocation. */
	int fd;
	uint32_t io_events;
	uint32_t io_seq; /* this watch's tag in the engine's epoll set */
	enum check_weight weight_kind; /* see weight_value */
	sd_event_io_handler_t io_cb; /* set by check_watch(); NULL: not watched */
	void *probe;
	const char *phase; /* what it waits for: named in a timeout */

	/* Lasting per-check state of the type (init/fini). */
	void *priv;

	/* Set by the type before check_done() (dynamic weights; the kind
	 * sits with the ints above). */
	int64_t weight_value;

	/* Engine only. */
	struct verdict_state state;
	bool running;
	bool seen; /* still wanted by the generation being applied */
	bool log_all_failures;
	uint32_t slot;	  /* index in the engine's slots and due heap */
	uint64_t slot_us; /* the schedule's anchor: probes start at slot + k*delay_loop */
	uint64_t hash; /* of its key (key.h), rebuilt from conf and rs to compare */
	struct check *hnext; /* hash chain */
	struct rs_entry **users; /* &user_inline while users_cap is 1 */
	struct rs_entry *user_inline; /* most checks have one user: no array */
	unsigned n_users, users_cap;
	unsigned n_vs; /* distinct virtual servers among users */
	uint32_t scope_id; /* of a link-local IPv6 target (bind_if), for check_dst() */
};

/* The address probed (connect_ip/connect_port, else the real server's) as
 * a socket address into @out; returns its length. Made when needed, not
 * kept: 10,000 checks. */
socklen_t check_dst(const struct check *ck, union check_sockaddr *out);

/* "HTTP_GET 10.0.0.2:80", for one log line: the text lives in the engine
 * until the next call (10,000 checks need not each keep one). */
const char *check_name(const struct check *ck);

/* End the probe in flight: @ok, or a failure with a printf-style reason
 * (NULL when @ok). Releases fd and io if the type has not. Exactly once
 * per start(). */
void check_done(struct check *ck, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Move the deadline of the probe in flight to @usec from now. */
void check_set_deadline(struct check *ck, uint64_t usec);

/* Probe again as soon as possible (a tracked file changed). Ignored while
 * a probe runs. */
void check_run_now(struct check *ck);

/* The engine's event loop. */
sd_event *check_event(const struct check *ck);

/* The event loop's idea of now (CLOCK_MONOTONIC, µs). */
uint64_t check_now(const struct check *ck);

/* --- sockets (sock.c) --- */

/* Open ck->fd: non-blocking socket of @type/@protocol in the target's
 * family, with the checker's fwmark (SO_MARK), bind_if (SO_BINDTODEVICE),
 * bindto/bind_port. 0, or a negative errno (nothing left open). */
int check_socket(struct check *ck, int type, int protocol);

/* check_socket() and a non-blocking connect() to check_dst(). Returns 0 when
 * connected already, 1 when in progress (wait for EPOLLOUT), or a negative
 * errno. */
int check_connect(struct check *ck, int type, int protocol);

/* Watch ck->fd for @events with @cb, in the engine's epoll set (level
 * triggered), or change what it waits for. @cb gets the engine's io source
 * as its first argument. 0 or a negative errno. */
int check_watch(struct check *ck, uint32_t events, sd_event_io_handler_t cb);

/* Stop watching and close ck->fd (either may be unset). */
void check_close(struct check *ck);

/* The pending socket error after a non-blocking connect (0: connected). */
int check_socket_error(int fd);

/* --- the engine's shared resources --- */

/* The TLS client context for SSL_GET (SSL_CTX *), created on first use
 * from the config's SSL block. NULL on failure (reason logged). */
void *checkers_tls_ctx(struct checkers *c);

/* Log a probe failure, rate-limited across the engine. */
void checkers_log_failure(struct checkers *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The types. */
extern const struct check_type check_type_tcp;
extern const struct check_type check_type_http;
extern const struct check_type check_type_smtp;
extern const struct check_type check_type_dns;
extern const struct check_type check_type_udp;
extern const struct check_type check_type_ping;
extern const struct check_type check_type_misc;
extern const struct check_type check_type_file;

#endif
