/* Routes and rules in the kernel (see route.h). */
#include "build-config.h"

#include <errno.h>
#include <net/if.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <string.h>

#include "daemon/log.h"
#include "vrrp/route.h"
#include "vrrp/route_msg.h"

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	(void)who;
	*(int *)arg = e->error;
	return NL_STOP;
}

static int on_ack(struct nl_msg *m, void *arg)
{
	(void)m;
	*(int *)arg = 0;
	return NL_STOP;
}

/* Send @msg (freed) and wait for its ack: 0 or the kernel's -errno. libnl's
 * own codes lose the difference between, say, ENETUNREACH and ESRCH. */
static int talk(struct nl_sock *nl, struct nl_msg *msg)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err = 1, rc;

	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	rc = nl_send_auto(nl, msg);
	nlmsg_free(msg);
	if (rc < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &err);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &err);
	while (err == 1)
		if (nl_recvmsgs(nl, cb) < 0 && err == 1)
			err = -EIO;
	nl_cb_put(cb);
	return err;
}

static unsigned ifindex_of(void *data, const char *name)
{
	(void)data;
	return if_nametoindex(name);
}

static int settle(int rc, bool add)
{
	if (add && rc == -EEXIST)
		return 0;
	/* Gone already: a route ESRCH, a rule ENOENT, its device ENODEV. */
	if (!add && (rc == -ESRCH || rc == -ENOENT || rc == -ENODEV))
		return 0;
	return rc;
}

int vrrp_route_change(struct nl_sock *nl, const struct vrrp_route_conf *r, bool add,
		      const char **note)
{
	const struct vrrp_ifindex_fn ifx = {.lookup = ifindex_of};
	struct nl_msg *msg;
	int rc;

	*note = NULL;
	if (!nl)
		return -ENOTCONN;
	rc = vrrp_route_msg(r, add, &ifx, &msg, note);
	if (rc < 0)
		return settle(rc, add);
	return settle(talk(nl, msg), add);
}

int vrrp_route_restore(struct nl_sock *nl, const struct vrrp_route_conf *r)
{
	const struct vrrp_ifindex_fn ifx = {.lookup = ifindex_of};
	const char *note;
	struct nl_msg *msg;
	int rc;

	if (!nl)
		return -ENOTCONN;
	rc = vrrp_route_msg(r, true, &ifx, &msg, &note);
	if (rc < 0)
		return rc;
	rc = talk(nl, msg);
	if (rc == -EEXIST)
		return 0;
	return rc < 0 ? rc : 1;
}

int vrrp_rule_restore(struct nl_sock *nl, const struct vrrp_rule_conf *r)
{
	const char *note;
	struct nl_msg *msg;
	int rc;

	if (!nl)
		return -ENOTCONN;
	rc = vrrp_rule_msg(r, true, &msg, &note);
	if (rc < 0)
		return rc;
	/* Without it the kernel adds an identical rule again. */
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_EXCL;
	rc = talk(nl, msg);
	if (rc == -EEXIST)
		return 0;
	return rc < 0 ? rc : 1;
}

int vrrp_rule_change(struct nl_sock *nl, const struct vrrp_rule_conf *r, bool add,
		     const char **note)
{
	struct nl_msg *msg;
	int rc;

	*note = NULL;
	if (!nl)
		return -ENOTCONN;
	rc = vrrp_rule_msg(r, add, &msg, note);
	if (rc < 0)
		return rc;
	return settle(talk(nl, msg), add);
}

static unsigned report(const char *who, const char *what, const struct cfg_loc *loc, bool add,
		       int rc, const char *note)
{
	if (rc < 0) {
		log_err("%s cannot %s the %s of %s:%u: %s%s%s", who, add ? "add" : "remove", what,
			loc->file ? loc->file : "?", loc->line, strerror(-rc), note ? " at " : "",
			note ? note : "");
		return 1;
	}
	if (note && add)
		log_warn("%s the %s of %s:%u is added without '%s' (not supported)", who, what,
			 loc->file ? loc->file : "?", loc->line, note);
	return 0;
}

static unsigned route_one(struct nl_sock *nl, const char *who, const struct vrrp_route_conf *r,
			  bool add)
{
	const char *note;
	int rc = vrrp_route_change(nl, r, add, &note);

	return report(who, "route", &r->loc, add, rc, note);
}

static unsigned rule_one(struct nl_sock *nl, const char *who, const struct vrrp_rule_conf *r,
			 bool add)
{
	const char *note;
	int rc = vrrp_rule_change(nl, r, add, &note);

	return report(who, "rule", &r->loc, add, rc, note);
}

static unsigned routes(struct nl_sock *nl, const char *who, const struct vrrp_route_list *l,
		       const struct vrrp_route_list *unless, bool add)
{
	unsigned failed = 0;

	for (const struct vrrp_route_conf *r = l ? l->first : NULL; r; r = r->next) {
		bool skip = false;

		for (const struct vrrp_route_conf *u = unless ? unless->first : NULL; u && !skip;
		     u = u->next)
			skip = vrrp_route_same(r, u);
		if (!skip)
			failed += route_one(nl, who, r, add);
	}
	return failed;
}

static unsigned rules(struct nl_sock *nl, const char *who, const struct vrrp_rule_list *l,
		      const struct vrrp_rule_list *unless, bool add)
{
	unsigned failed = 0;

	for (const struct vrrp_rule_conf *r = l ? l->first : NULL; r; r = r->next) {
		bool skip = false;

		for (const struct vrrp_rule_conf *u = unless ? unless->first : NULL; u && !skip;
		     u = u->next)
			skip = vrrp_rule_same(r, u);
		if (!skip)
			failed += rule_one(nl, who, r, add);
	}
	return failed;
}

unsigned vrrp_route_set_apply(struct nl_sock *nl, const char *who, const struct vrrp_route_set *set,
			      bool add)
{
	if (add)
		return routes(nl, who, set->routes, NULL, true) +
		       rules(nl, who, set->rules, NULL, true);
	return rules(nl, who, set->rules, NULL, false) + routes(nl, who, set->routes, NULL, false);
}

unsigned vrrp_route_set_update(struct nl_sock *nl, const char *who,
			       const struct vrrp_route_set *old, const struct vrrp_route_set *next)
{
	unsigned failed = rules(nl, who, old->rules, next->rules, false);

	failed += routes(nl, who, old->routes, next->routes, false);
	failed += routes(nl, who, next->routes, old->routes, true);
	return failed + rules(nl, who, next->rules, old->rules, true);
}
