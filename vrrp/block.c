/* vrrp/block.h: the ipsets with libipset, the tables through
 * vrrp/block_nft.c. */
#include "build-config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <net/if.h>
#include <netinet/in.h>

#include <libipset/data.h>
#include <libipset/linux_ip_set.h>
#include <libipset/nf_inet_addr.h>
#include <libipset/nfproto.h>
#include <libipset/session.h>
#include <libipset/types.h>

#include "vrrp/block_internal.h"

/* The xtables rules release a set asynchronously after the tables go:
 * destroying it may see "in use" for a moment. */
#define DESTROY_TRIES 50
#define DESTROY_PAUSE_NS 10000000L

struct vrrp_block {
	struct ipset_session *session;
	struct vrrp_block_settings s; /* s.table owned; s.set* unused */
	struct vrrp_block_sets sets;
	char set4[IPSET_MAXNAMELEN], set6[IPSET_MAXNAMELEN], set_if6[IPSET_MAXNAMELEN];
};

/* A link-local VIP is only that on its link: keyed by interface. */
static bool link_local(const struct vaddr *a)
{
	return a->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->u.v6);
}

static const char *set_name(const struct vrrp_block *b, const struct vaddr *a)
{
	return link_local(a) ? b->set_if6 : a->family == AF_INET6 ? b->set6 : b->set4;
}

static void report(struct vrrp_block *b, char *why, size_t len, const char *what)
{
	const char *msg = ipset_session_report_msg(b->session);

	if (why && len)
		snprintf(why, len, "ipset %s: %s", what, msg && *msg ? msg : "failed");
	ipset_session_report_reset(b->session);
}

static int set_create(struct vrrp_block *b, const char *name, const char *typename, uint8_t family,
		      char *why, size_t len)
{
	const struct ipset_type *type;

	ipset_data_reset(ipset_session_data(b->session));
	ipset_session_data_set(b->session, IPSET_SETNAME, name);
	ipset_session_data_set(b->session, IPSET_OPT_TYPENAME, typename);
	type = ipset_type_get(b->session, IPSET_CMD_CREATE);
	if (!type) {
		report(b, why, len, name);
		return -EPROTONOSUPPORT;
	}
	ipset_session_data_set(b->session, IPSET_OPT_TYPE, type);
	ipset_session_data_set(b->session, IPSET_OPT_FAMILY, &family);
	/* With IPSET_ENV_EXIST, a set of the same type is taken over, members
	 * and all; one of another type fails here. */
	if (ipset_cmd(b->session, IPSET_CMD_CREATE, 0) < 0) {
		report(b, why, len, name);
		return -EEXIST;
	}
	return 0;
}

/* The index the xtables match names a set by (what libxt_set asks too). */
static int set_index(const char *name, uint16_t *out)
{
	struct ip_set_req_version ver = {.op = IP_SET_OP_VERSION};
	struct ip_set_req_get_set req = {.op = IP_SET_OP_GET_BYNAME};
	socklen_t l = sizeof(ver);
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW), rc = 0;

	if (fd < 0)
		return -errno;
	if (getsockopt(fd, SOL_IP, SO_IP_SET, &ver, &l) < 0) {
		rc = -errno;
	} else {
		req.version = ver.version;
		snprintf(req.set.name, sizeof(req.set.name), "%s", name);
		l = sizeof(req);
		if (getsockopt(fd, SOL_IP, SO_IP_SET, &req, &l) < 0)
			rc = -errno;
		else if (req.set.index == IPSET_INVALID_ID)
			rc = -ENOENT;
		else
			*out = req.set.index;
	}
	close(fd);
	return rc;
}

static int set_destroy(struct vrrp_block *b, const char *name)
{
	const struct timespec pause = {.tv_nsec = DESTROY_PAUSE_NS};

	for (int i = 0; i < DESTROY_TRIES; i++) {
		ipset_data_reset(ipset_session_data(b->session));
		ipset_session_data_set(b->session, IPSET_SETNAME, name);
		if (ipset_cmd(b->session, IPSET_CMD_DESTROY, 0) == 0)
			return 0;
		ipset_session_report_reset(b->session);
		nanosleep(&pause, NULL);
	}
	return -EBUSY;
}

static int set_settings(struct vrrp_block *b, const struct vrrp_block_settings *s)
{
	char *table = strdup(s->table && *s->table ? s->table : VRRP_BLOCK_TABLE);

	if (!table)
		return -ENOMEM;
	free((char *)b->s.table);
	b->s = *s;
	b->s.table = table;
	b->s.set4 = b->s.set6 = b->s.set_if6 = NULL;
	return 0;
}

int vrrp_block_open(const struct vrrp_block_settings *s, struct vrrp_block **out, char *why,
		    size_t len)
{
	struct vrrp_block *b = calloc(1, sizeof(*b));
	int rc;

	if (len)
		why[0] = '\0';
	if (!b)
		return -ENOMEM;
	/* libipset's own list of set types; loading it again is a no-op. */
	ipset_load_types();
	b->session = ipset_session_init(NULL, NULL);
	if (!b->session) {
		free(b);
		snprintf(why, len, "cannot start an ipset session");
		return -ENOMEM;
	}
	ipset_envopt_set(b->session, IPSET_ENV_EXIST);
	snprintf(b->set4, sizeof(b->set4), "%s", s->set4 ? s->set4 : VRRP_BLOCK_SET4);
	snprintf(b->set6, sizeof(b->set6), "%s", s->set6 ? s->set6 : VRRP_BLOCK_SET6);
	snprintf(b->set_if6, sizeof(b->set_if6), "%s",
		 s->set_if6 ? s->set_if6 : VRRP_BLOCK_SET_IF6);
	rc = set_settings(b, s);
	if (rc == 0)
		rc = set_create(b, b->set4, "hash:ip", NFPROTO_IPV4, why, len);
	if (rc == 0)
		rc = set_create(b, b->set6, "hash:ip", NFPROTO_IPV6, why, len);
	if (rc == 0)
		rc = set_create(b, b->set_if6, "hash:net,iface", NFPROTO_IPV6, why, len);
	if (rc == 0 && (rc = set_index(b->set4, &b->sets.index4)) == 0 &&
	    (rc = set_index(b->set6, &b->sets.index6)) == 0)
		rc = set_index(b->set_if6, &b->sets.index_if6);
	if (rc < 0 && why && !*why)
		snprintf(why, len, "ipset index: %s", strerror(-rc));
	if (rc == 0)
		rc = vrrp_block_nft_replace(&b->s, NULL, &b->sets, why, len);
	if (rc < 0) {
		vrrp_block_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

int vrrp_block_update(struct vrrp_block *b, const struct vrrp_block_settings *s, char *why,
		      size_t len)
{
	struct vrrp_block_settings next = *s;
	char *old = strdup(b->s.table);
	int rc;

	if (!old)
		return -ENOMEM;
	if (!next.table || !*next.table)
		next.table = VRRP_BLOCK_TABLE;
	rc = vrrp_block_nft_replace(&next, old, &b->sets, why, len);
	if (rc == 0)
		rc = set_settings(b, &next);
	free(old);
	return rc;
}

static int member(struct vrrp_block *b, enum ipset_cmd cmd, const struct vaddr *a,
		  const char *ifname)
{
	uint8_t family = a->family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	union nf_inet_addr ip = {0};

	if (a->family == AF_INET6)
		memcpy(&ip.in6, &a->u.v6, sizeof(ip.in6));
	else
		memcpy(&ip.in, &a->u.v4, sizeof(ip.in));
	ipset_data_reset(ipset_session_data(b->session));
	if (link_local(a) && (!ifname || !*ifname))
		return -ENODEV;
	ipset_session_data_set(b->session, IPSET_SETNAME, set_name(b, a));
	if (!ipset_type_get(b->session, cmd)) {
		ipset_session_report_reset(b->session);
		return -ENOENT;
	}
	ipset_session_data_set(b->session, IPSET_OPT_FAMILY, &family);
	ipset_session_data_set(b->session, IPSET_OPT_IP, &ip);
	if (link_local(a))
		ipset_session_data_set(b->session, IPSET_OPT_IFACE, ifname);
	if (ipset_cmd(b->session, cmd, 0) < 0) {
		ipset_session_report_reset(b->session);
		return -EIO;
	}
	return 0;
}

int vrrp_block_add(struct vrrp_block *b, const struct vaddr *a, const char *ifname)
{
	return member(b, IPSET_CMD_ADD, a, ifname);
}

int vrrp_block_del(struct vrrp_block *b, const struct vaddr *a, const char *ifname)
{
	return member(b, IPSET_CMD_DEL, a, ifname);
}

int vrrp_block_remove(struct vrrp_block *b)
{
	int rc, rc4, rc6, rc_if6;

	if (!b)
		return 0;
	/* The rules first: they hold the sets. */
	rc = vrrp_block_nft_delete(b->s.table);
	rc4 = set_destroy(b, b->set4);
	rc6 = set_destroy(b, b->set6);
	rc_if6 = set_destroy(b, b->set_if6);
	vrrp_block_free(b);
	return rc < 0 ? rc : rc4 < 0 ? rc4 : rc6 < 0 ? rc6 : rc_if6;
}

/* libipset prints a listing through a callback: keep it in a buffer. */
struct listing {
	char *text;
	size_t len, cap;
	int err;
};

static int listing_out(struct ipset_session *session, void *p, const char *fmt, ...)
{
	struct listing *l = p;
	va_list ap;
	int n;

	(void)session;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || l->err)
		return 0;
	if (l->len + (size_t)n + 1 > l->cap) {
		size_t cap = (l->len + (size_t)n + 1) * 2;
		char *t = realloc(l->text, cap);

		if (!t) {
			l->err = -ENOMEM;
			return 0;
		}
		l->text = t;
		l->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(l->text + l->len, l->cap - l->len, fmt, ap);
	va_end(ap);
	l->len += (size_t)n;
	return 0;
}

/* The members of set @name, from its "save" listing ("add NAME ADDR" or
 * "add NAME ADDR,IFACE"). */
static int members_of(struct vrrp_block *b, const char *name, struct vrrp_block_member **v,
		      size_t *n)
{
	struct listing l = {0};
	int rc = 0;

	ipset_session_print_outfn(b->session, listing_out, &l);
	ipset_session_output(b->session, IPSET_LIST_SAVE);
	ipset_data_reset(ipset_session_data(b->session));
	ipset_session_data_set(b->session, IPSET_SETNAME, name);
	if (ipset_cmd(b->session, IPSET_CMD_LIST, 0) < 0) {
		ipset_session_report_reset(b->session);
		rc = -ENOENT;
	}
	ipset_session_print_outfn(b->session, NULL, NULL);
	if (!rc)
		rc = l.err;
	for (char *line = l.text, *next; !rc && line && *line; line = next) {
		char set[IPSET_MAXNAMELEN + 1], addr[VADDR_STRLEN + IF_NAMESIZE + 1], *comma;
		struct vrrp_block_member m = {0}, *grown;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (sscanf(line, "add %31s %61s", set, addr) != 2)
			continue;
		comma = strchr(addr, ',');
		if (comma) {
			*comma = '\0';
			snprintf(m.ifname, sizeof(m.ifname), "%s", comma + 1);
		}
		if (vaddr_parse(addr, &m.addr) < 0)
			continue;
		grown = realloc(*v, (*n + 1) * sizeof(**v));
		if (!grown) {
			rc = -ENOMEM;
			break;
		}
		*v = grown;
		(*v)[(*n)++] = m;
	}
	free(l.text);
	return rc;
}

int vrrp_block_members(struct vrrp_block *b, struct vrrp_block_member **out, size_t *n)
{
	int rc;

	*out = NULL;
	*n = 0;
	rc = members_of(b, b->set4, out, n);
	if (rc == 0)
		rc = members_of(b, b->set6, out, n);
	if (rc == 0)
		rc = members_of(b, b->set_if6, out, n);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void vrrp_block_free(struct vrrp_block *b)
{
	if (!b)
		return;
	if (b->session)
		ipset_session_fini(b->session);
	free((char *)b->s.table);
	free(b);
}
