/* The health-check engine: one check per distinct probe (key.h), each
 * armed in the engine's one timer (loop.c), verdicts fanned out to every
 * real server that uses it.
 *
 * A real server of a virtual server is an rs_entry: the checks it uses and
 * the verdict last reported for it (up only when every check is up). A
 * check knows its users, so a changed verdict is reported to each. On
 * reload the entries are rebuilt from the new generation; checks are
 * looked up by key, so an unchanged check keeps its state, its schedule and
 * even its probe in flight.
 */
#include "build-config.h"

#include <errno.h>
#include <signal.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkers/engine.h"
#include "checkers/sched.h"
#include "checkers/tls.h"
#include "daemon/log.h"
#include "lib/script.h"

/* Probe failure messages (not state changes) per second, engine-wide. */
#define FAILURE_LOG_PER_SEC 20

const struct check_type *check_type_of(enum lvs_checker_type t)
{
	switch (t) {
	case LVS_CHECK_TCP:
		return &check_type_tcp;
	case LVS_CHECK_HTTP:
	case LVS_CHECK_SSL:
		return &check_type_http;
	case LVS_CHECK_SMTP:
		return &check_type_smtp;
	case LVS_CHECK_DNS:
		return &check_type_dns;
	case LVS_CHECK_UDP:
		return &check_type_udp;
	case LVS_CHECK_PING:
		return &check_type_ping;
	case LVS_CHECK_MISC:
		return &check_type_misc;
	case LVS_CHECK_FILE:
		return &check_type_file;
	case LVS_CHECK_BFD:
		return NULL; /* accepted, never run */
	}
	return NULL;
}

static uint64_t engine_now(const struct checkers *c)
{
	uint64_t now = 0;

	sd_event_now(c->event, CLOCK_MONOTONIC, &now);
	return now;
}

uint64_t check_now(const struct check *ck)
{
	return engine_now(ck->engine);
}

sd_event *check_event(const struct check *ck)
{
	return ck->engine->event;
}

/* --- names for logs --- */

static const char *vs_name(const struct lvs_virtual_server *vs, char *buf, size_t len)
{
	char a[VADDR_STRLEN];

	switch (vs->kind) {
	case LVS_VS_FWMARK:
		snprintf(buf, len, "fwmark %u", vs->fwmark);
		break;
	case LVS_VS_GROUP:
		snprintf(buf, len, "group %s", vs->group ? vs->group->name : "?");
		break;
	default:
		vaddr_format(&vs->addr, a, sizeof(a));
		snprintf(buf, len, vs->addr.family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, vs->port);
		break;
	}
	return buf;
}

static const char *rs_name(const struct lvs_real_server *rs, char *buf, size_t len)
{
	char a[VADDR_STRLEN];

	vaddr_format(&rs->addr, a, sizeof(a));
	snprintf(buf, len, rs->addr.family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, rs->port);
	return buf;
}

static void check_label(const struct lvs_checker *c, const struct vaddr *addr, uint16_t port,
			char *buf, size_t len)
{
	char a[VADDR_STRLEN];

	if (c->type == LVS_CHECK_MISC) {
		snprintf(buf, len, "MISC_CHECK '%s'", c->u.misc.script.cmd);
	} else if (c->type == LVS_CHECK_FILE) {
		snprintf(buf, len, "FILE_CHECK %s", c->u.file.track_file);
	} else {
		vaddr_format(addr, a, sizeof(a));
		if (c->type == LVS_CHECK_PING)
			snprintf(buf, len, "PING_CHECK %s", a);
		else
			snprintf(buf, len,
				 addr->family == AF_INET6 ? "%s [%s]:%u" : "%s %s:%u",
				 lvs_checker_name(c->type), a, port);
	}
}

const char *check_name(const struct check *ck)
{
	struct checkers *c = ck->engine;
	struct vaddr addr;
	uint16_t port;

	check_target(ck->conf, ck->rs, &addr, &port);
	check_label(ck->conf, &addr, port, c->name_buf, sizeof(c->name_buf));
	return c->name_buf;
}

void checkers_log_failure(struct checkers *c, const char *fmt, ...)
{
	uint64_t second = engine_now(c) / 1000000;
	char msg[512];
	va_list ap;

	if (second != c->log_second) {
		if (c->log_suppressed)
			log_warn("%u probe failure messages suppressed", c->log_suppressed);
		c->log_second = second;
		c->log_count = 0;
		c->log_suppressed = 0;
	}
	if (c->log_count >= FAILURE_LOG_PER_SEC) {
		c->log_suppressed++;
		return;
	}
	c->log_count++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warn("%s", msg);
}

/* --- real server verdicts --- */

void entry_eval(const struct rs_entry *e, bool *up, uint32_t *weight)
{
	int64_t w = e->rs->weight, add = 0;

	*up = true;
	for (unsigned i = 0; i < e->n_checks; i++) {
		const struct check *ck = e->checks[i];

		if (!ck->state.up)
			*up = false;
		if (ck->weight_kind == CHECK_WEIGHT_SET)
			w = ck->weight_value;
		else if (ck->weight_kind == CHECK_WEIGHT_ADD)
			add += ck->weight_value;
	}
	w += add;
	*weight = w < 0 ? 0 : w > (int64_t)LVS_WEIGHT_MAX ? LVS_WEIGHT_MAX : (uint32_t)w;
}

const char *entry_label(const struct rs_entry *e, char *buf, size_t len)
{
	char v[80], r[64];

	snprintf(buf, len, "virtual server %s: real server %s", vs_name(e->vs, v, sizeof(v)),
		 rs_name(e->rs, r, sizeof(r)));
	return buf;
}

void entry_notify(struct checkers *c, const struct rs_entry *e, bool up)
{
	char label[160];

	if (!e->notify)
		return;
	rs_notify_run(checkers_script_runner(c), e->notify, up,
		      entry_label(e, label, sizeof(label)));
}

void checkers_omega(struct checkers *c)
{
	for (size_t i = 0; c && i < c->n_entries; i++)
		if (c->entries[i].vs->omega && c->entries[i].up)
			entry_notify(c, &c->entries[i], false);
}

void checkers_stop(struct checkers *c)
{
	if (!c)
		return;
	c->stopping = true;
	script_runner_signal(c->scripts, SIGTERM);
}

static void entry_update(struct checkers *c, struct rs_entry *e)
{
	char label[160];
	uint32_t weight;
	bool up;

	entry_eval(e, &up, &weight);
	if (up == e->up && weight == e->weight)
		return;
	entry_label(e, label, sizeof(label));
	if (up != e->up)
		log_info("%s is %s", label, up ? "up" : "down");
	else
		log_info("%s weight %u", label, weight);
	e->weight = weight;
	if (up != e->up) {
		e->up = up;
		entry_notify(c, e, up); /* a weight change runs nothing */
	}
	if (c->ops && c->ops->rs_changed)
		c->ops->rs_changed(c->data, e->vs, e->rs, up, weight);
}

/* --- probes: start, deadline, end --- */

void check_set_deadline(struct check *ck, uint64_t usec)
{
	check_arm(ck, check_now(ck) + usec);
}

void check_run_now(struct check *ck)
{
	if (!ck->running && ck->type)
		check_arm(ck, check_now(ck));
}

static void check_start(struct check *ck)
{
	ck->running = true;
	ck->phase = NULL;
	check_set_deadline(ck, ck->conf->connect_timeout_us);
	ck->type->start(ck);
}

void check_fire(struct check *ck)
{
	const char *phase;

	if (!ck->running) {
		check_start(ck);
		return;
	}
	if (ck->type->timeout) {
		ck->type->timeout(ck);
		return;
	}
	phase = ck->phase;
	ck->type->cancel(ck);
	check_close(ck);
	check_done(ck, false, "timed out%s%s", phase ? " " : "", phase ? phase : "");
}

static void check_log_result(struct check *ck, bool ok, bool changed, const char *reason)
{
	char shared[48] = "";

	if (ck->n_vs > 1)
		snprintf(shared, sizeof(shared), " (shared by %u virtual servers)", ck->n_vs);
	if (changed && ok)
		log_info("%s%s: success, up", check_name(ck), shared);
	else if (changed)
		log_warn("%s%s: down: %s", check_name(ck), shared, reason);
	else if (!ok && (ck->log_all_failures || ck->state.up))
		checkers_log_failure(ck->engine, "%s%s: failed (%s): %s", check_name(ck), shared,
				     ck->state.up ? "will retry" : "still down", reason);
}

void check_done(struct check *ck, bool ok, const char *fmt, ...)
{
	const struct lvs_checker *conf = ck->conf;
	struct verdict_params p = {.retry = conf->retry};
	enum verdict_next next;
	char reason[256] = "";
	uint64_t now = check_now(ck);
	bool changed, first = !ck->state.has_run;
	va_list ap;

	check_close(ck);
	ck->running = false;
	ck->phase = NULL;
	if (ck->engine->stopping)
		return; /* a script reaped while stopping: nothing changes now */
	if (!ok && fmt) {
		va_start(ap, fmt);
		vsnprintf(reason, sizeof(reason), fmt, ap);
		va_end(ap);
	}
	if (conf->type == LVS_CHECK_HTTP || conf->type == LVS_CHECK_SSL)
		p.fast_recovery = conf->u.http.fast_recovery;
	if (ck->type->immediate)
		p.retry = 0;
	changed = verdict_step(&ck->state, &p, ok, &next);
	check_log_result(ck, ok, changed, reason);
	/* Users are told even without a change of state: the weight may have
	 * moved; entry_update() reports only what changed. */
	for (unsigned i = 0; i < ck->n_users; i++) {
		struct rs_entry *e = ck->users[i];
		bool was_up = e->up;

		entry_update(ck->engine, e);
		/* keepalived (update_svr_checker_state()): the first probe of
		 * a check that started down (alpha) and stays down runs
		 * notify_down, though nothing changed. */
		if (first && !changed && !ck->state.up && !was_up && !e->up)
			entry_notify(ck->engine, e, false);
	}

	if (next == VERDICT_NEXT_RETRY) {
		check_arm(ck, now + conf->delay_before_retry_us);
	} else {
		ck->slot_us = sched_next_slot(ck->slot_us, conf->delay_loop_us, now);
		check_arm(ck, ck->slot_us);
	}
}

void check_free(struct check *ck)
{
	if (!ck)
		return;
	if (ck->running && ck->type) {
		ck->type->cancel(ck);
		check_close(ck);
	}
	if (ck->type && ck->type->fini)
		ck->type->fini(ck);
	check_slot_detach(ck->engine, ck);
	if (ck->users != &ck->user_inline)
		free(ck->users);
	free(ck);
}

socklen_t check_dst(const struct check *ck, union check_sockaddr *out)
{
	struct vaddr addr;
	uint16_t port;

	check_target(ck->conf, ck->rs, &addr, &port);
	memset(out, 0, sizeof(*out));
	if (addr.family == AF_INET6) {
		out->in6.sin6_family = AF_INET6;
		out->in6.sin6_addr = addr.u.v6;
		out->in6.sin6_port = htons(port);
		out->in6.sin6_scope_id = ck->scope_id;
		return sizeof(out->in6);
	}
	out->in.sin_family = AF_INET;
	out->in.sin_addr = addr.u.v4;
	out->in.sin_port = htons(port);
	return sizeof(out->in);
}

struct check *check_new(struct checkers *c, const struct vigil_config *cfg,
			const struct lvs_checker *conf, const struct lvs_real_server *rs,
			uint64_t hash)
{
	struct check *ck;
	struct vaddr addr;
	uint16_t port;
	uint64_t due;

	/* Neither the key (rebuilt from conf and rs when a hash matches) nor
	 * the label (check_name()) is kept: 10,000 keys were a quarter of the
	 * checker child's heap. */
	check_target(conf, rs, &addr, &port);
	ck = calloc(1, sizeof(*ck));
	if (!ck)
		return NULL;
	ck->engine = c;
	ck->cfg = cfg;
	ck->conf = conf;
	ck->rs = rs;
	ck->type = check_type_of(conf->type);
	ck->fd = -1;
	ck->hash = hash;
	if (addr.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&addr.u.v6) && conf->bind_if)
		ck->scope_id = if_nametoindex(conf->bind_if);
	verdict_init(&ck->state, conf->alpha);

	due = engine_now(c) + sched_spread(c->spread_k++, conf->warmup_us);
	ck->slot_us = due;
	if (check_slot_attach(c, ck) < 0) {
		log_err("%s: cannot create its timer: out of memory", check_name(ck));
		free(ck);
		return NULL;
	}
	check_arm(ck, due);
	if (ck->type->init && ck->type->init(ck) < 0) {
		/* Reason logged by init(). The check stays, down and idle, so
		 * its real servers do not get traffic on an unverified
		 * promise. */
		ck->type = NULL;
		ck->state.up = false;
		check_disarm(ck);
	} else if (ck->type->immediate) {
		check_start(ck);
	}
	return ck;
}

struct script_runner *checkers_script_runner(struct checkers *c)
{
	int r;

	if (!c->scripts) {
		r = script_runner_new(c->event, &c->scripts);
		if (r < 0)
			log_err("cannot run scripts (MISC_CHECK, notify_up/down): %s",
				strerror(-r));
	}
	return c->scripts;
}

void *checkers_tls_ctx(struct checkers *c)
{
	if (!c->tls_ctx)
		c->tls_ctx = tls_ctx_new(c->cfg ? c->cfg->lvs.ssl : NULL);
	return c->tls_ctx;
}
