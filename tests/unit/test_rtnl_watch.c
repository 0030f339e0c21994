/* lib/rtnl_watch.c on a real event loop, in a private network namespace:
 * the start dump, notifications, an overrun (thousands of addresses added
 * while the loop does not read) answered by a re-dump, and the re-read on
 * every change (ipvs/local_addrs.c's mode). The owner's view is a set of
 * IPv4 addresses kept from RTM_NEWADDR/RTM_DELADDR. Needs root; skipped
 * otherwise. */
#define _GNU_SOURCE
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/rtnl_watch.h"

#define MANY 3000 /* notifications: far more than a default receive buffer holds */

struct view {
	uint32_t addr[MANY + 16]; /* IPv4, network order */
	size_t n;
	unsigned resets, batches, dumped, notified;
	bool only_dumps; /* the re-read mode: notifications do not touch the set */
	int last_rc;
};

static bool has(const struct view *v, uint32_t a)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->addr[i] == a)
			return true;
	return false;
}

static bool on_msg(const struct nlmsghdr *nh, bool dumped, void *data)
{
	struct view *v = data;
	const struct ifaddrmsg *ifa = NLMSG_DATA(nh);
	int len = (int)IFA_PAYLOAD(nh);

	dumped ? v->dumped++ : v->notified++;
	if (v->only_dumps && !dumped)
		return true;
	if ((nh->nlmsg_type != RTM_NEWADDR && nh->nlmsg_type != RTM_DELADDR) ||
	    ifa->ifa_family != AF_INET)
		return false;
	for (const struct rtattr *rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		uint32_t a;

		if (rta->rta_type != IFA_LOCAL || RTA_PAYLOAD(rta) < 4)
			continue;
		memcpy(&a, RTA_DATA(rta), 4);
		if (nh->nlmsg_type == RTM_NEWADDR && !has(v, a) &&
		    v->n < sizeof(v->addr) / sizeof(v->addr[0]))
			v->addr[v->n++] = a;
		for (size_t i = 0; nh->nlmsg_type == RTM_DELADDR && i < v->n; i++)
			if (v->addr[i] == a)
				v->addr[i] = v->addr[--v->n];
		return !v->only_dumps || dumped;
	}
	return false;
}

static void on_reset(void *data)
{
	struct view *v = data;

	v->n = 0;
	v->resets++;
}

static void on_changed(int rc, void *data)
{
	struct view *v = data;

	v->batches++;
	v->last_rc = rc;
}

static const unsigned groups[] = {RTNLGRP_IPV4_IFADDR, 0};
static const uint16_t dumps[] = {RTM_GETADDR, 0};

static uint32_t ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

/* Run the loop until a batch was reported after @batches (bounded: a
 * missing notification fails the test instead of hanging it). */
static void run_until_batch(sd_event *ev, const struct view *v, unsigned batches)
{
	for (int i = 0; i < 100 && v->batches == batches; i++)
		assert_true(sd_event_run(ev, 100000) >= 0);
	assert_true(v->batches > batches);
}

static void sh(const char *cmd)
{
	assert_int_equal(system(cmd), 0);
}

struct fixture {
	struct view v;
	sd_event *ev;
	struct rtnl_watch *w;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	*state = f;
	if (!f || sd_event_new(&f->ev) < 0)
		return -1;
	return system("ip link add rw0 type veth peer name rw0p && ip link set rw0p up && "
		      "ip link set rw0 up")
		   ? -1
		   : 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	rtnl_watch_free(f->w);
	sd_event_unref(f->ev);
	free(f);
	return system("ip link del rw0") ? -1 : 0;
}

/* Watch IPv4 addresses into f->v; @redump: ipvs/local_addrs.c's mode. */
static struct view *start(struct fixture *f, bool redump)
{
	struct rtnl_watch_spec spec = {.groups = groups,
				       .dumps = dumps,
				       .msg = on_msg,
				       .reset = on_reset,
				       .changed = on_changed,
				       .redump_on_change = redump};

	f->v.only_dumps = redump;
	assert_int_equal(rtnl_watch_new(f->ev, &spec, &f->v, &f->w), 0);
	return &f->v;
}

static void test_dump_then_notifications(void **state)
{
	struct fixture *f = *state;
	sd_event *ev = f->ev;
	struct view *v;
	unsigned b;

	sh("ip addr add 10.77.0.1/32 dev rw0");
	v = start(f, false);
	assert_true(has(v, ip("127.0.0.1")));
	assert_true(has(v, ip("10.77.0.1")));
	assert_int_equal(v->notified, 0);

	b = v->batches;
	sh("ip addr add 10.77.0.2/32 dev rw0");
	run_until_batch(ev, v, b);
	assert_true(has(v, ip("10.77.0.2")));
	assert_true(v->notified > 0);

	b = v->batches;
	sh("ip addr del 10.77.0.1/32 dev rw0");
	run_until_batch(ev, v, b);
	assert_false(has(v, ip("10.77.0.1")));
	assert_true(has(v, ip("10.77.0.2")));
	assert_int_equal(v->resets, 1); /* the start dump only */
}

/* Without the re-dump the set would miss what the kernel dropped. */
static void test_overrun_dumps_again(void **state)
{
	struct fixture *f = *state;
	sd_event *ev = f->ev;
	struct view *v;
	char path[64], cmd[128];
	FILE *batch;

	v = start(f, false);
	snprintf(path, sizeof(path), "/tmp/test_rtnl_watch.%d", (int)getpid());
	batch = fopen(path, "w");
	assert_non_null(batch);
	for (int i = 0; i < MANY; i++)
		fprintf(batch, "addr add 10.78.%d.%d/32 dev rw0\n", i / 250, i % 250 + 1);
	fclose(batch);
	snprintf(cmd, sizeof(cmd), "ip -batch %s", path);
	sh(cmd); /* the loop does not read meanwhile */
	unlink(path);

	run_until_batch(ev, v, 0);
	assert_int_equal(v->resets, 2); /* start, and after the overrun */
	assert_int_equal(v->last_rc, 0);
	assert_int_equal(v->n, MANY + 1); /* and 127.0.0.1 */
	assert_true(has(v, ip("10.78.0.1")));
	assert_true(has(v, ip("10.78.11.250")));
}

/* ipvs/local_addrs.c's mode: every change read back from a dump. */
static void test_redump_on_change(void **state)
{
	struct fixture *f = *state;
	sd_event *ev = f->ev;
	struct view *v;
	unsigned b, d;

	v = start(f, true);
	assert_false(has(v, ip("10.79.0.1")));

	b = v->batches;
	d = v->dumped;
	sh("ip addr add 10.79.0.1/32 dev rw0");
	run_until_batch(ev, v, b);
	assert_true(v->dumped > d); /* read back, not taken from the notification */
	assert_true(has(v, ip("10.79.0.1")));

	b = v->batches;
	sh("ip addr del 10.79.0.1/32 dev rw0");
	run_until_batch(ev, v, b);
	assert_false(has(v, ip("10.79.0.1")));
	assert_true(has(v, ip("127.0.0.1")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_dump_then_notifications, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_overrun_dumps_again, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_redump_on_change, setup, teardown),
	};

	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0) {
		printf("1..0 # SKIP needs root for a private network namespace\n");
		return 0;
	}
	if (system("ip link set lo up") != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
