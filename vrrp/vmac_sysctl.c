#include "build-config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/log.h"
#include "vrrp/vmac_sysctl.h"

/* A base interface carrying IPv4 macvlans, and what its ARP sysctls were. */
struct vrrp_vmac_base {
	struct vrrp_vmac_base *next;
	char *name;
	unsigned users;
	int arp_ignore, arp_filter; /* before; -1 when we did not change them */
};

/* An interface's rp_filter before "all" was cleared. */
struct vrrp_vmac_rp {
	struct vrrp_vmac_rp *next;
	char *name;
	int value;
};

static int sysctl_path(char *buf, size_t len, int family, const char *ifname, const char *key)
{
	int n;

	if (!ifname || strchr(ifname, '/') || !strcmp(ifname, ".") || !strcmp(ifname, ".."))
		return -EINVAL;
	n = snprintf(buf, len, "/proc/sys/net/%s/conf/%s/%s", family == AF_INET6 ? "ipv6" : "ipv4",
		     ifname, key);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int vrrp_sysctl_get(int family, const char *ifname, const char *key)
{
	char path[128];
	int v, rc = sysctl_path(path, sizeof(path), family, ifname, key);
	FILE *f;

	if (rc < 0)
		return rc;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	rc = fscanf(f, "%d", &v) == 1 ? v : -EIO;
	fclose(f);
	return rc;
}

int vrrp_sysctl_set(int family, const char *ifname, const char *key, int value)
{
	char path[128];
	int rc = sysctl_path(path, sizeof(path), family, ifname, key);
	FILE *f;

	if (rc < 0)
		return rc;
	f = fopen(path, "we");
	if (!f)
		return -errno;
	if (fprintf(f, "%d\n", value) < 0)
		rc = -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

static void set_logged(const char *ifname, const char *key, int value)
{
	int rc = vrrp_sysctl_set(AF_INET, ifname, key, value);

	if (rc < 0)
		log_warn("cannot set net.ipv4.conf.%s.%s to %d: %s", ifname, key, value,
			 strerror(-rc));
}

/* net.ipv4.conf.all.rp_filter would override the macvlan's 0: move its
 * value onto every interface and "default", then clear it. */
static void rp_filter_clear(struct vrrp_vmac_sys *s)
{
	int all = vrrp_sysctl_get(AF_INET, "all", "rp_filter");
	DIR *d;
	struct dirent *e;

	if (all <= 0)
		return;
	d = opendir("/proc/sys/net/ipv4/conf");
	while (d && (e = readdir(d))) {
		struct vrrp_vmac_rp *r;
		int cur;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "all") || !strcmp(e->d_name, "lo"))
			continue;
		cur = vrrp_sysctl_get(AF_INET, e->d_name, "rp_filter");
		if (cur < 0 || (r = calloc(1, sizeof(*r))) == NULL)
			continue;
		r->name = strdup(e->d_name);
		if (!r->name) {
			free(r);
			continue;
		}
		r->value = cur;
		r->next = s->rp_saved;
		s->rp_saved = r;
		set_logged(e->d_name, "rp_filter", vrrp_rp_filter_merge(cur, all));
	}
	if (d)
		closedir(d);
	s->rp_all = all;
	s->rp_cleared = true;
	set_logged("all", "rp_filter", 0);
	log_info("net.ipv4.conf.all.rp_filter was %d: set on each interface instead, for the "
		 "VMAC interfaces",
		 all);
}

static void rp_filter_restore(struct vrrp_vmac_sys *s)
{
	if (!s->rp_cleared)
		return;
	set_logged("all", "rp_filter", s->rp_all);
	while (s->rp_saved) {
		struct vrrp_vmac_rp *r = s->rp_saved;

		vrrp_sysctl_set(AF_INET, r->name, "rp_filter", r->value); /* gone is fine */
		s->rp_saved = r->next;
		free(r->name);
		free(r);
	}
	s->rp_cleared = false;
}

static struct vrrp_vmac_base *base_find(struct vrrp_vmac_sys *s, const char *name)
{
	for (struct vrrp_vmac_base *b = s->bases; b; b = b->next)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

/* The base answers ARP only for its own addresses, on the interface that
 * would route the reply: the VIPs' ARP is the macvlan's. */
static int base_attach(struct vrrp_vmac_sys *s, const char *base)
{
	struct vrrp_vmac_base *b = base_find(s, base);
	int ign, filt;

	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b || !(b->name = strdup(base))) {
			free(b);
			return -ENOMEM;
		}
		b->arp_ignore = b->arp_filter = -1;
		b->next = s->bases;
		s->bases = b;
	}
	b->users++;
	/* Checked each time: a base deleted and re-created has the
	 * defaults again. The first values seen are the ones given back. */
	ign = vrrp_sysctl_get(AF_INET, base, "arp_ignore");
	filt = vrrp_sysctl_get(AF_INET, base, "arp_filter");
	if (ign != 1 || filt != 1) {
		if (b->arp_ignore < 0 && b->arp_filter < 0) {
			b->arp_ignore = ign;
			b->arp_filter = filt;
		}
		set_logged(base, "arp_ignore", 1);
		set_logged(base, "arp_filter", 1);
	}
	return 0;
}

static void base_free(struct vrrp_vmac_base *b)
{
	free(b->name);
	free(b);
}

static void base_detach(struct vrrp_vmac_sys *s, const char *base)
{
	for (struct vrrp_vmac_base **pp = &s->bases; *pp; pp = &(*pp)->next) {
		struct vrrp_vmac_base *b = *pp;

		if (strcmp(b->name, base))
			continue;
		if (--b->users)
			return;
		if (b->arp_ignore >= 0)
			vrrp_sysctl_set(AF_INET, base, "arp_ignore", b->arp_ignore);
		if (b->arp_filter >= 0)
			vrrp_sysctl_set(AF_INET, base, "arp_filter", b->arp_filter);
		*pp = b->next;
		base_free(b);
		return;
	}
}

int vrrp_vmac_sys_attach(struct vrrp_vmac_sys *s, const char *vmac, const char *base)
{
	static const struct {
		const char *key;
		int value;
	} vmac_conf[] = {
	    {"arp_ignore", 1},
	    {"accept_local", 1},
	    {"rp_filter", 0},
	    {"promote_secondaries", 1},
	};
	int rc;

	if (!s->v4_users)
		rp_filter_clear(s);
	for (size_t i = 0; i < sizeof(vmac_conf) / sizeof(vmac_conf[0]); i++) {
		rc = vrrp_sysctl_set(AF_INET, vmac, vmac_conf[i].key, vmac_conf[i].value);
		if (rc < 0) {
			if (!s->v4_users)
				rp_filter_restore(s);
			return rc;
		}
	}
	rc = base_attach(s, base);
	if (rc < 0) {
		if (!s->v4_users)
			rp_filter_restore(s);
		return rc;
	}
	s->v4_users++;
	return 0;
}

void vrrp_vmac_sys_detach(struct vrrp_vmac_sys *s, const char *base)
{
	base_detach(s, base);
	if (s->v4_users && --s->v4_users == 0)
		rp_filter_restore(s);
}

void vrrp_vmac_sys_clear(struct vrrp_vmac_sys *s)
{
	while (s->bases) {
		struct vrrp_vmac_base *b = s->bases;

		s->bases = b->next;
		base_free(b);
	}
	while (s->rp_saved) {
		struct vrrp_vmac_rp *r = s->rp_saved;

		s->rp_saved = r->next;
		free(r->name);
		free(r);
	}
	s->rp_cleared = false;
	s->v4_users = 0;
	s->vmacs = NULL; /* owned by their instances */
}
