/* ipvs/netlink.c against the real kernel (run inside the IPVS VM, in a
 * network namespace of its own). Prints TAP.
 *
 *   ipvs_nl_check            the checks below
 *   ipvs_nl_check load N M [BATCH]   program N services x M destinations in
 *                                    requests of BATCH per sendmsg (default
 *                                    128; 1 = synchronous), print the time
 */
#include "build-config.h"

#include <errno.h>
#include <stdarg.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ipvs/netlink.h"

static int tap_n, tap_failed;

static void tap(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		tap_failed++;
}

static struct ipvs_dest dest(const char *a, uint16_t port, int w, uint32_t fwd)
{
	struct ipvs_dest d = { .port = port, .weight = w, .fwd = fwd };

	vaddr_parse(a, &d.addr);
	d.af = (uint16_t)d.addr.family;
	return d;
}

static struct ipvs_service svc(const char *a, uint16_t proto, uint16_t port, const char *sched)
{
	struct ipvs_service s = { .key = { .protocol = proto, .port = port } };

	vaddr_parse(a, &s.key.addr);
	s.key.af = (uint16_t)s.key.addr.family;
	snprintf(s.sched, sizeof(s.sched), "%s", sched);
	s.netmask = s.key.af == AF_INET6 ? 128 : 0xffffffff;
	return s;
}

/* diff(want, kernel) and, when @apply, apply it; returns the op count. */
static size_t sync_table(struct ipvs_nl *nl, const struct ipvs_table *want, int apply,
			 int *failed)
{
	struct ipvs_table have;
	struct ipvs_ops ops = { 0 };
	size_t n;

	if (ipvs_nl_dump(nl, &have) < 0)
		return (size_t)-1;
	ipvs_diff(want, &have, NULL, NULL, &ops);
	n = ops.n;
	if (apply)
		*failed = ipvs_nl_apply(nl, &ops, NULL);
	ipvs_ops_free(&ops);
	ipvs_table_free(&have);
	return n;
}

static void check_roundtrip(struct ipvs_nl *nl)
{
	struct ipvs_dest d1[] = { dest("10.1.0.1", 80, 1, IP_VS_CONN_F_MASQ),
				  dest("10.1.0.2", 80, 2, IP_VS_CONN_F_MASQ),
				  dest("10.1.0.3", 8080, 0, IP_VS_CONN_F_MASQ) };
	struct ipvs_dest d2[] = { dest("2001:db8:1::1", 53, 5, IP_VS_CONN_F_DROUTE) };
	struct ipvs_dest d3[] = { dest("10.3.0.1", 0, 1, IP_VS_CONN_F_TUNNEL) };
	struct ipvs_service s[3] = { svc("192.0.2.1", IPPROTO_TCP, 80, "rr"),
				     svc("2001:db8::1", IPPROTO_UDP, 53, "sh"),
				     { .key = { .af = AF_INET, .fwmark = 7 }, .sched = "wlc" } };
	struct ipvs_table want = { s, 3 }, have;
	int failed = -1;
	size_t n;

	s[0].dests = d1, s[0].ndests = 3;
	s[1].dests = d2, s[1].ndests = 1;
	s[1].flags = IP_VS_SVC_F_SCHED_SH_PORT;
	s[2].dests = d3, s[2].ndests = 1;
	s[2].flags = IP_VS_SVC_F_PERSISTENT;
	s[2].timeout = 300;
	s[2].netmask = 0xffffff00;
	d1[2].u_threshold = 100;
	d1[2].l_threshold = 10;
	d3[0].tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	d3[0].tun_port = 6080;

	n = sync_table(nl, &want, 1, &failed);
	tap(n == 8 && failed == 0, "empty -> 3 services, 5 destinations: %zu ops, %d failed", n,
	    failed);
	n = sync_table(nl, &want, 0, NULL);
	tap(n == 0, "the dump reads back what was written (diff: %zu ops)", n);

	if (ipvs_nl_dump(nl, &have) == 0) {
		int found = 0;

		for (size_t i = 0; i < have.nservices; i++)
			for (size_t k = 0; k < have.services[i].ndests; k++) {
				const struct ipvs_dest *d = &have.services[i].dests[k];

				if (d->tun_type == IP_VS_CONN_F_TUNNEL_TYPE_GUE && d->tun_port == 6080)
					found++;
			}
		tap(found == 1, "tunnel type and port read back (gue:6080)");
		ipvs_table_free(&have);
	}

	d1[1].weight = 7;
	strcpy(s[0].sched, "wrr");
	n = sync_table(nl, &want, 1, &failed);
	tap(n == 2 && failed == 0, "weight and scheduler change: %zu ops (edit, edit)", n);
	tap(sync_table(nl, &want, 0, NULL) == 0, "edits read back");

	want.nservices = 1;
	n = sync_table(nl, &want, 0, NULL);
	tap(n == 0, "services not owned are left alone (%zu ops)", n);
}

static void check_per_op_errors(struct ipvs_nl *nl)
{
	struct ipvs_service a = svc("198.51.100.1", IPPROTO_TCP, 80, "rr");
	struct ipvs_service missing = svc("198.51.100.2", IPPROTO_TCP, 80, "rr");
	struct ipvs_dest d = dest("10.9.0.1", 80, 1, IP_VS_CONN_F_MASQ);
	struct ipvs_op v[] = { { IPVS_OP_ADD_SERVICE, &a, NULL },
			       { IPVS_OP_ADD_DEST, &missing, &d },
			       { IPVS_OP_ADD_DEST, &a, &d },
			       { IPVS_OP_ADD_SERVICE, &a, NULL } };
	struct ipvs_ops ops = { v, 4, 4 };
	int errs[4] = { 1, 1, 1, 1 }, failed;

	failed = ipvs_nl_apply(nl, &ops, errs);
	tap(failed == 2, "two of four ops fail, the others apply (%d failed)", failed);
	tap(errs[0] == 0 && errs[2] == 0, "ops 1 and 3 acked ok (%d, %d)", errs[0], errs[2]);
	tap(errs[1] == -ESRCH, "dest for a missing service: ESRCH (%d)", errs[1]);
	tap(errs[3] == -EEXIST, "duplicate service: EEXIST (%d)", errs[3]);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int build_big(size_t ns, size_t nd, struct ipvs_table *t)
{
	t->services = calloc(ns, sizeof(*t->services));
	if (!t->services)
		return -1;
	t->nservices = ns;
	for (size_t i = 0; i < ns; i++) {
		char a[32];
		struct ipvs_service *s = &t->services[i];

		snprintf(a, sizeof(a), "10.%zu.%zu.%zu", i >> 16 & 255, i >> 8 & 255, i & 255);
		*s = svc(a, IPPROTO_TCP, 80, "wlc");
		s->dests = calloc(nd, sizeof(*s->dests));
		if (!s->dests)
			return -1;
		s->ndests = nd;
		for (size_t k = 0; k < nd; k++) {
			snprintf(a, sizeof(a), "172.%zu.%zu.%zu", 16 + (k >> 8 & 15), i & 255, k & 255);
			s->dests[k] = dest(a, 80, 1, IP_VS_CONN_F_MASQ);
		}
	}
	return 0;
}

static void check_big(struct ipvs_nl *nl)
{
	struct ipvs_table want;
	struct ipvs_table have;
	int failed = -1;
	size_t n;

	ipvs_nl_flush(nl);
	if (build_big(500, 10, &want) < 0)
		return;
	n = sync_table(nl, &want, 1, &failed);
	tap(n == 5500 && failed == 0, "500 x 10 in batches: %zu ops, %d failed", n, failed);
	tap(ipvs_nl_dump(nl, &have) == 0 && have.nservices == 500 &&
		    have.services[0].ndests == 10,
	    "dump has 500 services of 10 destinations");
	ipvs_table_free(&have);
	want.services[250].dests[5].weight = 0;
	n = sync_table(nl, &want, 1, &failed);
	tap(n == 1 && failed == 0, "draining one of 5500 is one op (%zu)", n);
	ipvs_table_free(&want);
}

static int load(size_t ns, size_t nd, unsigned batch)
{
	struct ipvs_table want, empty = { 0 };
	struct ipvs_ops ops = { 0 };
	struct ipvs_nl *nl;
	double t0, t1;
	int failed;

	if (ipvs_nl_open(&nl) < 0 || build_big(ns, nd, &want) < 0)
		return 1;
	ipvs_diff(&want, &empty, NULL, NULL, &ops);
	ipvs_nl_set_batch(nl, batch);
	t0 = now_s();
	failed = ipvs_nl_apply(nl, &ops, NULL);
	t1 = now_s();
	printf("%zu ops in %.3f s, %d failed\n", ops.n, t1 - t0, failed);
	ipvs_ops_free(&ops);
	ipvs_table_free(&want);
	ipvs_nl_close(nl);
	return failed != 0;
}

int main(int argc, char **argv)
{
	struct ipvs_nl *nl;
	int rc;

	if ((argc == 4 || argc == 5) && strcmp(argv[1], "load") == 0)
		return load(strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10),
			    argc == 5 ? (unsigned)strtoul(argv[4], NULL, 10) : 128);
	rc = ipvs_nl_open(&nl);
	tap(rc == 0, "open the IPVS family (%d)", rc);
	if (rc)
		goto done;
	tap(ipvs_nl_flush(nl) == 0, "flush");
	check_roundtrip(nl);
	ipvs_nl_flush(nl);
	check_per_op_errors(nl);
	check_big(nl);
	ipvs_nl_flush(nl);
	ipvs_nl_close(nl);
done:
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
