#include "build-config.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/log.h"
#include "vrrp/ah.h"
#include "vrrp/instance.h"
#include "vrrp/link.h"
#include "vrrp/socket.h"
#include "vrrp/vrrp_internal.h"

struct vrrp_link {
	struct vrrp_link *next;
	struct vrrp *v;
	char ifname[IF_NAMESIZE]; /* "" for unicast instances without interface */
	unsigned ifindex;
	int family;
	int fd;
	sd_event_source *io;
	struct vrrp_rx_batch *rxb;
	sd_event_source *holdoff; /* reading in rounds: the next round */
	unsigned users;
	int ah_fd; /* auth_type AH instances' socket (IPv4), or -1 */
	sd_event_source *ah_io;
	unsigned ah_users;
	struct vrrp_instance *by_vrid[256];
	struct vrrp_link_counters counters;
	struct vrrp_ratelimit rl_unknown;
};

int vrrp_link_fd(const struct vrrp_link *l)
{
	return l->fd;
}

int vrrp_link_ah_fd(const struct vrrp_link *l)
{
	return l->ah_fd;
}

unsigned vrrp_link_ifindex(const struct vrrp_link *l)
{
	return l->ifindex;
}

static bool peer_of(const struct vrrp_instance_conf *c, const struct vaddr *src)
{
	for (const struct vrrp_peer_conf *p = c->peers; p; p = p->next)
		if (vaddr_equal(&p->addr, src))
			return true;
	return false;
}

/* Several instances may share a VRID on one link (different multicast
 * groups, or unicast peers that do not overlap): pick by destination or
 * source; with one candidate, it is the one. */
static struct vrrp_instance *pick(struct vrrp_link *l, uint8_t vrid, const struct vrrp_ip_info *ip)
{
	struct vrrp_instance *first = l->by_vrid[vrid];

	if (!first || !first->link_next)
		return first;
	for (struct vrrp_instance *i = first; i; i = i->link_next) {
		const struct vrrp_instance_conf *c = i->conf;

		if (c->peers ? peer_of(c, &ip->src) : vaddr_equal(&c->mcast_dst, &ip->dst))
			return i;
	}
	return NULL;
}

static void on_unknown_vrid(struct vrrp_link *l, uint8_t vrid, const struct vaddr *src)
{
	char a[VADDR_STRLEN];
	uint64_t n;

	l->counters.rx_unknown_vrid++;
	if (!l->v->global || !l->v->global->log_unknown_vrids)
		return;
	if (vrrp_ratelimit_ok(&l->rl_unknown, vrrp_now_us(), 10000000, &n))
		log_info("%s: advert for unknown VRID %u from %s (%lu more not logged)",
			 l->ifname[0] ? l->ifname : "unicast", vrid, vaddr_format(src, a, sizeof(a)),
			 (unsigned long)n);
}

/* The VRID byte of an undecodable packet, to blame the right instance. */
static int raw_vrid(const struct vrrp_rx *rx)
{
	size_t off = 0;

	if (rx->has_ip_header) {
		if (rx->len < 20)
			return -1;
		off = (size_t)(rx->data[0] & 0x0f) * 4;
		if (rx->data[9] == VRRP_AH_PROTO)
			off += VRRP_AH_LEN;
	}
	return rx->len >= off + 2 ? rx->data[off + 1] : -1;
}

static void handle_packet(struct vrrp_link *l, const struct vrrp_rx *rx)
{
	struct vrrp_advert a;
	struct vrrp_instance *inst;
	enum vrrp_pkt_err err;
	int vrid;

	l->counters.rx_packets++;
	if (rx->has_ip_header)
		err = vrrp_pkt_decode_ip(rx->data, rx->len, &a);
	else
		err = vrrp_pkt_decode(rx->data, rx->len, &rx->ip, &a);
	if (err == VRRP_PKT_OK) {
		inst = pick(l, a.vrid, &a.ip);
		if (inst)
			vrrp_instance_on_advert(inst, &a);
		else
			on_unknown_vrid(l, a.vrid, &a.ip.src);
		return;
	}
	vrid = raw_vrid(rx);
	if (vrid < 0) {
		l->counters.rx_undecodable++;
		return;
	}
	/* The IP facts are only in @a for some failures; take the source
	 * from the header when it is there. */
	if (rx->has_ip_header && rx->len >= 20) {
		a.ip.src.family = AF_INET;
		memcpy(&a.ip.src.u.v4, rx->data + 12, 4);
	} else if (!rx->has_ip_header) {
		a.ip = rx->ip;
	}
	inst = pick(l, (uint8_t)vrid, &a.ip);
	if (inst)
		vrrp_instance_on_bad_packet(inst, err, &a.ip.src);
	else
		on_unknown_vrid(l, (uint8_t)vrid, &a.ip.src);
}

/* Read what is waiting, a bounded amount so one busy link cannot starve
 * the timers. Returns how many packets were read. */
static unsigned drain(struct vrrp_link *l, int fd)
{
	struct vrrp_rx rx[VRRP_RX_BATCH];
	unsigned total = 0;

	for (int round = 0; round < 16; round++) { /* a burst of 255 */
		int n = vrrp_socket_recv_batch(fd, l->family, l->rxb, rx);

		if (n == -EAGAIN)
			break;
		if (n < 0) {
			log_warn("%s: receive failed: %s", l->ifname[0] ? l->ifname : "unicast",
				 strerror(-n));
			break;
		}
		total += (unsigned)n;
		for (int i = 0; i < n; i++) {
			if (l->ifindex && rx[i].ifindex && rx[i].ifindex != l->ifindex)
				continue; /* bound to the device, but be sure */
			handle_packet(l, &rx[i]);
		}
		if (n < VRRP_RX_BATCH)
			break; /* drained: spare the call that would say so */
	}
	return total;
}

void vrrp_link_poll(struct vrrp_link *l)
{
	if (l->fd >= 0)
		drain(l, l->fd);
	if (l->ah_fd >= 0)
		drain(l, l->ah_fd);
}

/* Reading in rounds. The masters of many instances send their adverts in
 * bursts; woken for each packet, a backup spends most of its time being
 * woken (and the sender waking it). So once a packet came, the socket is
 * read again RX_ROUND_US later instead of on the next packet, for as long
 * as packets keep coming; then it is watched again. An advert waits at
 * most RX_ROUND_US (a backup whose timer is due reads first,
 * vrrp_link_poll()), well inside the 2 ms a takeover may be late. */
#define RX_ROUND_US 500

static int on_round(sd_event_source *s, uint64_t usec, void *data)
{
	struct vrrp_link *l = data;

	(void)usec;
	if (drain(l, l->fd)) {
		sd_event_source_set_time_relative(s, RX_ROUND_US);
		sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
		return 0;
	}
	sd_event_source_set_enabled(l->io, SD_EVENT_ON);
	return 0;
}

static int on_readable(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct vrrp_link *l = data;

	(void)revents;
	/* The AH socket (rare) is read on every packet. */
	if (!drain(l, fd) || fd != l->fd || !l->holdoff)
		return 0;
	if (sd_event_source_set_time_relative(l->holdoff, RX_ROUND_US) < 0 ||
	    sd_event_source_set_enabled(l->holdoff, SD_EVENT_ONESHOT) < 0)
		return 0; /* keep reading on every packet */
	sd_event_source_set_enabled(s, SD_EVENT_OFF);
	return 0;
}

static void ah_close(struct vrrp_link *l)
{
	l->ah_io = sd_event_source_disable_unref(l->ah_io);
	if (l->ah_fd >= 0)
		close(l->ah_fd);
	l->ah_fd = -1;
}

static void link_free(struct vrrp_link *l)
{
	sd_event_source_disable_unref(l->io);
	sd_event_source_disable_unref(l->holdoff);
	vrrp_rx_batch_free(l->rxb);
	if (l->fd >= 0)
		close(l->fd);
	ah_close(l);
	free(l);
}

static int add_reader(struct vrrp_link *l, int fd, sd_event_source **io)
{
	int rc = sd_event_add_io(l->v->event, io, fd, EPOLLIN, on_readable, l);

	if (rc >= 0)
		/* Adverts before timers: a late advert must not let a
		 * master-down timer fire that it would have reset. */
		rc = sd_event_source_set_priority(*io, SD_EVENT_PRIORITY_IMPORTANT);
	return rc;
}

/* The AH socket, for an `auth_type AH` instance (IPv4, VRRPv2): opened
 * with the first one, joined to its group. */
static int ah_attach(struct vrrp_link *l, const struct vrrp_instance_conf *c)
{
	int rc;

	if (l->ah_fd < 0) {
		rc = vrrp_socket_open_ah(l->ifname[0] ? l->ifname : NULL);
		if (rc < 0)
			return rc;
		l->ah_fd = rc;
		rc = add_reader(l, l->ah_fd, &l->ah_io);
		if (rc < 0) {
			ah_close(l);
			return rc;
		}
	}
	if (!c->peers && l->ifindex) {
		rc = vrrp_socket_join(l->ah_fd, &c->mcast_dst, l->ifindex);
		if (rc < 0) {
			if (!l->ah_users)
				ah_close(l);
			return rc;
		}
	}
	l->ah_users++;
	return 0;
}

static int link_new(struct vrrp *v, const char *ifname, int family, struct vrrp_link **out)
{
	struct vrrp_link *l = calloc(1, sizeof(*l));
	int rc;

	if (!l)
		return -ENOMEM;
	l->v = v;
	l->family = family;
	l->fd = l->ah_fd = -1;
	if (ifname) {
		if (strlen(ifname) >= sizeof(l->ifname)) {
			free(l);
			return -ENODEV;
		}
		strcpy(l->ifname, ifname);
		l->ifindex = if_nametoindex(ifname);
		if (!l->ifindex) {
			free(l);
			return -ENODEV;
		}
	}
	l->rxb = vrrp_rx_batch_new();
	rc = l->rxb ? vrrp_socket_open(family, ifname) : -ENOMEM;
	if (rc >= 0) {
		l->fd = rc;
		rc = add_reader(l, l->fd, &l->io);
	}
	if (rc >= 0)
		rc = sd_event_add_time(v->event, &l->holdoff, CLOCK_MONOTONIC, 0, 1, on_round, l);
	if (rc >= 0) {
		sd_event_source_set_enabled(l->holdoff, SD_EVENT_OFF);
		rc = sd_event_source_set_priority(l->holdoff, SD_EVENT_PRIORITY_IMPORTANT);
	}
	if (rc < 0) {
		link_free(l);
		return rc;
	}
	l->next = v->links;
	v->links = l;
	*out = l;
	return 0;
}

/* A link of an interface since deleted (another ifindex now) is not
 * shared any more: its last users are leaving it. */
static struct vrrp_link *link_find(struct vrrp *v, const char *ifname, int family)
{
	unsigned ifindex = ifname ? if_nametoindex(ifname) : 0;

	for (struct vrrp_link *l = v->links; l; l = l->next)
		if (l->family == family && strcmp(l->ifname, ifname ? ifname : "") == 0 &&
		    l->ifindex == ifindex)
			return l;
	return NULL;
}

/* Another attached multicast instance uses @group: keep the membership. */
static bool group_in_use(const struct vrrp_link *l, const struct vrrp_instance *except,
			 const struct vaddr *group)
{
	for (unsigned i = 0; i < 256; i++)
		for (const struct vrrp_instance *p = l->by_vrid[i]; p; p = p->link_next)
			if (p != except && !p->conf->peers && vaddr_equal(&p->conf->mcast_dst, group))
				return true;
	return false;
}

static void unlink_link(struct vrrp *v, struct vrrp_link *l)
{
	for (struct vrrp_link **pp = &v->links; *pp; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			return;
		}
}

int vrrp_link_attach(struct vrrp *v, struct vrrp_instance *inst)
{
	const struct vrrp_instance_conf *c = inst->conf;
	const char *ifname = vrrp_instance_advert_if(inst);
	struct vrrp_link *l = link_find(v, ifname, c->family);
	int rc;

	if (!l) {
		rc = link_new(v, ifname, c->family, &l);
		if (rc < 0)
			return rc;
	}
	if (!c->peers && l->ifindex && !group_in_use(l, inst, &c->mcast_dst)) {
		rc = vrrp_socket_join(l->fd, &c->mcast_dst, l->ifindex);
		if (rc < 0) {
			if (!l->users) {
				unlink_link(v, l);
				link_free(l);
			}
			return rc;
		}
	}
	if (c->auth_type == VRRP_AUTH_AH && c->family == AF_INET) {
		rc = ah_attach(l, c);
		if (rc < 0) {
			if (!l->users) {
				unlink_link(v, l);
				link_free(l);
			}
			return rc;
		}
	}
	inst->link_next = l->by_vrid[c->vrid];
	l->by_vrid[c->vrid] = inst;
	inst->link = l;
	l->users++;
	return 0;
}

void vrrp_link_detach(struct vrrp *v, struct vrrp_instance *inst)
{
	struct vrrp_link *l;

	l = inst->link;
	if (!l)
		return;
	for (struct vrrp_instance **pp = &l->by_vrid[inst->conf->vrid]; *pp; pp = &(*pp)->link_next)
		if (*pp == inst) {
			*pp = inst->link_next;
			break;
		}
	inst->link_next = NULL;
	inst->link = NULL;
	if (inst->conf->auth_type == VRRP_AUTH_AH && inst->conf->family == AF_INET &&
	    --l->ah_users == 0)
		ah_close(l);
	if (!inst->conf->peers && l->ifindex && !group_in_use(l, inst, &inst->conf->mcast_dst))
		vrrp_socket_leave(l->fd, &inst->conf->mcast_dst, l->ifindex);
	if (--l->users == 0) {
		unlink_link(v, l);
		link_free(l);
	}
}
