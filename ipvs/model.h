/* The IPVS table as plain data: virtual services and their destinations.
 *
 * One structure for what the config wants (the desired table) and what the
 * kernel has (a dump), so ipvs_diff() can compare them field by field. Pure:
 * no netlink here (ipvs/netlink.c turns these into messages and back).
 */
#ifndef VIGIL_IPVS_MODEL_H
#define VIGIL_IPVS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define IPVS_SCHED_MAX 16 /* IP_VS_SCHEDNAME_MAXLEN */
#define IPVS_PE_MAX 16    /* IP_VS_PENAME_MAXLEN */

/* What identifies a service in the kernel. A fwmark service has fwmark != 0
 * and no address/port/protocol. */
struct ipvs_service_key {
	uint16_t af;       /* AF_INET / AF_INET6 */
	uint16_t protocol; /* IPPROTO_TCP/UDP/SCTP; 0 for fwmark services */
	struct vaddr addr;
	uint16_t port;     /* host order */
	uint32_t fwmark;
};

/* Counters the kernel reports (dumps only; the diff ignores them). */
struct ipvs_stats {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;
};

struct ipvs_dest {
	struct vaddr addr;
	uint16_t port;        /* host order */
	uint16_t af;          /* may differ from the service's (IPv4-in-IPv6 tunnels) */
	uint32_t fwd;         /* IP_VS_CONN_F_MASQ / _DROUTE / _TUNNEL */
	int32_t weight;
	uint32_t u_threshold;
	uint32_t l_threshold;
	uint8_t tun_type;     /* IP_VS_CONN_F_TUNNEL_TYPE_* */
	uint16_t tun_port;
	uint16_t tun_flags;
	/* dumps only */
	uint32_t active_conns, inactive_conns;
	struct ipvs_stats stats;
};

struct ipvs_service {
	struct ipvs_service_key key;
	char sched[IPVS_SCHED_MAX];
	char pe[IPVS_PE_MAX];
	uint32_t flags;   /* IP_VS_SVC_F_* that we set (persistent, onepacket, sched1-3) */
	uint32_t timeout; /* persistence, seconds */
	uint32_t netmask; /* persistence granularity: mask for IPv4, prefix length for IPv6 */
	struct ipvs_dest *dests;
	size_t ndests;
	struct ipvs_stats stats; /* dumps only */
};

struct ipvs_table {
	struct ipvs_service *services;
	size_t nservices;
};

/* Connection timeouts (IPVS_CMD_SET_CONFIG), seconds; 0 means "leave
 * unchanged" to the kernel. */
struct ipvs_timeouts {
	uint32_t tcp, tcpfin, udp;
};

#define IPVS_DAEMON_MASTER 1 /* IP_VS_STATE_MASTER */
#define IPVS_DAEMON_BACKUP 2 /* IP_VS_STATE_BACKUP */
#define IPVS_IFNAME_MAX 16   /* IP_VS_IFNAME_MAXLEN, with the NUL */

/* A connection synchronisation daemon. In a request, zero fields are left
 * to the kernel's defaults; a dump reports them filled in. */
struct ipvs_daemon {
	uint32_t state; /* IPVS_DAEMON_MASTER or IPVS_DAEMON_BACKUP */
	char ifname[IPVS_IFNAME_MAX];
	uint32_t syncid;
	uint16_t maxlen;
	uint16_t port;
	uint8_t ttl;
	struct vaddr group; /* family 0: the kernel's default */
};

/* Free a table whose services and destination arrays were malloc'd (as
 * ipvs_nl_dump() makes them). NULL is fine. */
void ipvs_table_free(struct ipvs_table *t);

int ipvs_key_cmp(const struct ipvs_service_key *a, const struct ipvs_service_key *b);
int ipvs_dest_key_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b);

/* "TCP 192.0.2.1:80", "FWM 7 (IPv6)", "[2001:db8::1]:80" ... for logs. */
const char *ipvs_key_format(const struct ipvs_service_key *k, char *buf, size_t len);
const char *ipvs_dest_format(const struct ipvs_dest *d, char *buf, size_t len);

#endif
