/* Model of the LVS side: virtual_server, virtual_server_group, real_server
 * and the health checkers, as keepalived 2.2 documents them
 * (keepalived.conf(5), "LVS CONFIGURATION").
 *
 * Every value here is final once config_load_*() returns: inheritance
 * (virtual server -> real server -> checker) and keepalived's defaults are
 * resolved by conf_lvs_finish(), so consumers (ipvs/, checkers/) read fields
 * directly and never look at a parent for a default. Lists are singly linked
 * in config order, with counts. Every object carries where it was declared.
 * The whole model lives in the config arena and is read-only.
 */
#ifndef VIGIL_PARSER_CONF_LVS_H
#define VIGIL_PARSER_CONF_LVS_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "parser/diag.h"

/* IPVS weights are signed 32-bit in the kernel (IPVS_WEIGHT_LIMIT). */
#define LVS_WEIGHT_MAX 2147483647u
/* persistence_timeout bound keepalived uses (31 days, LVS_MAX_TIMEOUT). */
#define LVS_PERSISTENCE_MAX 2678400u
#define LVS_PERSISTENCE_DEFAULT 360u /* ipvsadm's default: 6 minutes */

enum lvs_protocol {
	LVS_PROTO_NONE, /* fwmark services: the kernel ignores the protocol */
	LVS_PROTO_TCP,
	LVS_PROTO_UDP,
	LVS_PROTO_SCTP,
};

enum lvs_fwd_method {
	LVS_FWD_UNSET, /* never seen after load */
	LVS_FWD_NAT,   /* masquerading */
	LVS_FWD_DR,    /* direct routing */
	LVS_FWD_TUN,   /* tunnelling */
};

enum lvs_tunnel_type { LVS_TUN_IPIP, LVS_TUN_GUE, LVS_TUN_GRE };
enum lvs_tunnel_csum { LVS_TUN_NOCSUM, LVS_TUN_CSUM, LVS_TUN_REMCSUM };

/* lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum] */
struct lvs_forwarding {
	enum lvs_fwd_method method;
	enum lvs_tunnel_type tun_type; /* TUN only */
	uint16_t tun_port;             /* GUE only, host order */
	enum lvs_tunnel_csum tun_csum; /* GUE/GRE only */
};

/* Scheduler flags, as ipvsadm -b names them. flag-1 is what sh-fallback and
 * mh-fallback set in the kernel, flag-2 what sh-port and mh-port set. */
enum lvs_sched_flag {
	LVS_SCHED_FLAG_1 = 1u << 0,
	LVS_SCHED_FLAG_2 = 1u << 1,
	LVS_SCHED_FLAG_3 = 1u << 2,
};

/* A script with its optional run-as user: notify_up, quorum_up, misc_path. */
struct lvs_script {
	struct cfg_loc loc;
	const char *cmd;   /* the command line as written (quoted words unquoted) */
	const char *user;  /* NULL: global script_user */
	const char *group; /* NULL: the user's group */
};

/* ---- health checkers ---- */

enum lvs_checker_type {
	LVS_CHECK_TCP,
	LVS_CHECK_HTTP,
	LVS_CHECK_SSL,
	LVS_CHECK_SMTP,
	LVS_CHECK_DNS,
	LVS_CHECK_UDP,
	LVS_CHECK_PING,
	LVS_CHECK_MISC,
	LVS_CHECK_FILE,
	LVS_CHECK_BFD, /* accepted, never run: vigil has no BFD */
};

enum lvs_http_protocol { LVS_HTTP_1_0, LVS_HTTP_1_0C, LVS_HTTP_1_1 };

/* HTTP status codes 100..599 as a bit set. */
#define LVS_HTTP_STATUS_MIN 100
#define LVS_HTTP_STATUS_MAX 599
struct lvs_status_set {
	uint64_t bits[(LVS_HTTP_STATUS_MAX - LVS_HTTP_STATUS_MIN + 64) / 64];
};
static inline bool lvs_status_has(const struct lvs_status_set *s, unsigned code)
{
	unsigned i = code - LVS_HTTP_STATUS_MIN;

	return code >= LVS_HTTP_STATUS_MIN && code <= LVS_HTTP_STATUS_MAX &&
	       (s->bits[i / 64] >> (i % 64)) & 1;
}

struct lvs_url {
	struct cfg_loc loc;
	const char *path;
	bool has_digest;
	uint8_t digest[16];                 /* MD5 of the body */
	struct lvs_status_set status_codes; /* default 200-299 */
	const char *virtualhost;            /* resolved: url, checker, RS, VS */
	const char *regex;                  /* NULL when none; matched by the checker */
	bool regex_no_match;
	struct lvs_url *next;
};

struct lvs_http_check {
	struct lvs_url *urls; /* at least one */
	unsigned n_urls;
	const char *virtualhost; /* checker level; urls carry the resolved value */
	enum lvs_http_protocol protocol;
	bool enable_sni;
	bool fast_recovery;
};

enum lvs_dns_type { LVS_DNS_A, LVS_DNS_NS, LVS_DNS_CNAME, LVS_DNS_SOA, LVS_DNS_MX,
		    LVS_DNS_TXT, LVS_DNS_AAAA };

struct lvs_dns_check {
	enum lvs_dns_type type; /* default SOA */
	const char *name;       /* default "." */
};

struct lvs_udp_check {
	const uint8_t *payload; /* NULL: random payload */
	unsigned payload_len;
	bool require_reply;
	const uint8_t *reply;      /* expected prefix, or NULL */
	const uint8_t *reply_mask; /* 0x0f/0xf0/0xff per byte: X nibbles ignored */
	unsigned reply_len;
	uint32_t min_reply_length; /* default 0 */
	uint32_t max_reply_length; /* default 255 */
};

struct lvs_misc_check {
	struct lvs_script script;
	uint64_t timeout_us; /* 0: delay_loop */
	bool dynamic;
};

struct lvs_file_check {
	const char *track_file; /* name of a top-level track_file block */
	bool dynamic;
	int32_t weight; /* multiplier, default 1 */
	bool reverse;
};

struct lvs_checker {
	struct cfg_loc loc;
	enum lvs_checker_type type;
	/* Connection options (not MISC/FILE/BFD). Unset addresses: the RS's. */
	struct vaddr connect_ip;
	uint16_t connect_port; /* resolved: the RS port when not given */
	struct vaddr bindto;
	uint16_t bind_port;
	const char *bind_if;
	uint32_t fwmark; /* SO_MARK on probes, 0 = none */
	uint64_t connect_timeout_us;
	/* Timing, resolved from the real server / virtual server. */
	uint32_t retry;
	uint64_t delay_before_retry_us;
	uint64_t warmup_us;
	uint64_t delay_loop_us;
	bool alpha;
	bool log_all_failures;
	union {
		struct lvs_http_check http; /* HTTP_GET, SSL_GET */
		struct lvs_dns_check dns;
		struct lvs_udp_check udp;
		struct lvs_misc_check misc;
		struct lvs_file_check file;
		const char *helo_name; /* SMTP_CHECK, default: our host name */
		const char *bfd_name;  /* BFD_CHECK */
	} u;
	struct lvs_checker *next;
};

/* ---- servers ---- */

struct lvs_real_server {
	struct cfg_loc loc;
	struct vaddr addr;
	uint16_t port;  /* resolved: the VS port when not given (non-fwmark) */
	uint32_t weight; /* default: the virtual server's weight (1) */
	struct lvs_forwarding fwd; /* default: the virtual server's */
	uint32_t uthreshold, lthreshold; /* 0 = no limit */
	bool inhibit_on_failure;
	bool alpha;
	bool smtp_alert;
	uint32_t retry;
	uint64_t connect_timeout_us, delay_before_retry_us, warmup_us, delay_loop_us;
	const struct lvs_script *notify_up, *notify_down;
	const char *virtualhost;
	const char *snmp_name;
	struct lvs_checker *checkers;
	unsigned n_checkers;
	struct lvs_real_server *next;
};

enum lvs_vs_kind { LVS_VS_ADDR, LVS_VS_FWMARK, LVS_VS_GROUP };

/* One line of a virtual_server_group. */
struct lvs_vsg_entry {
	struct cfg_loc loc;
	bool is_fwmark;
	uint32_t fwmark;
	int fwmark_family;   /* AF_INET, AF_INET6, or 0 when not given */
	struct vaddr start;  /* first address of the range */
	struct vaddr end;    /* last address (== start for one address) */
	uint16_t port;       /* 0 = any (persistent services only) */
	struct lvs_vsg_entry *next;
};

struct lvs_vs_group {
	struct cfg_loc loc;
	const char *name;
	struct lvs_vsg_entry *ranges; /* address entries, in order */
	unsigned n_ranges;
	struct lvs_vsg_entry *fwmarks;
	unsigned n_fwmarks;
	bool have_ipv4, have_ipv6;
	struct lvs_vs_group *next;
};

struct lvs_virtual_server {
	struct cfg_loc loc;
	enum lvs_vs_kind kind;
	struct vaddr addr;  /* LVS_VS_ADDR */
	uint16_t port;      /* LVS_VS_ADDR; 0 only when persistent */
	uint32_t fwmark;    /* LVS_VS_FWMARK */
	const struct lvs_vs_group *group; /* LVS_VS_GROUP */
	int family;         /* AF_INET or AF_INET6, resolved */
	enum lvs_protocol protocol; /* NONE for fwmark-only services */
	const char *sched;  /* one of lvs_schedulers[], default "wlc" */
	unsigned sched_flags; /* enum lvs_sched_flag */
	bool one_packet;    /* ops */
	struct lvs_forwarding fwd; /* default for real/sorry servers */
	uint32_t persistence_timeout; /* seconds, 0 = not persistent */
	/* IPv4: netmask in network order; IPv6: prefix length; 0 = unset. */
	uint32_t persistence_granularity;
	const char *persistence_engine;
	bool ha_suspend, alpha, omega, inhibit_on_failure, smtp_alert;
	uint32_t quorum;     /* default 1 */
	uint32_t hysteresis; /* default 0, always < quorum */
	uint32_t weight;     /* default real server weight, default 1 */
	const struct lvs_script *quorum_up, *quorum_down;
	const char *virtualhost;
	const char *snmp_name;
	struct lvs_real_server *sorry_server; /* NULL when none */
	/* Checker defaults, already copied into every real server and checker. */
	uint32_t retry;
	uint64_t connect_timeout_us, delay_before_retry_us, warmup_us, delay_loop_us;
	struct lvs_real_server *real_servers;
	unsigned n_real_servers;
	struct lvs_virtual_server *next;
};

/* SSL { password ca certificate key }: the context for SSL_GET. */
struct lvs_ssl_conf {
	struct cfg_loc loc;
	const char *password, *ca, *certificate, *key;
};

struct lvs_conf {
	struct lvs_virtual_server *virtual_servers;
	unsigned n_virtual_servers;
	struct lvs_vs_group *groups;
	unsigned n_groups;
	const struct lvs_ssl_conf *ssl; /* NULL: auto-generated context */
	unsigned n_checkers;            /* across every real server */
	unsigned n_scripts; /* notify/quorum/misc scripts: script_security applies */
};

/* The schedulers keepalived 2.2.7 accepts (NULL-terminated). */
extern const char *const lvs_schedulers[];

/* Names for messages. */
const char *lvs_checker_name(enum lvs_checker_type t);
const char *lvs_protocol_name(enum lvs_protocol p);

#endif
