/* Model of global_defs and the top-level daemon keywords (net_namespace,
 * instance, use_pid_dir, child_wait_time, ...), keepalived.conf(5) "Global
 * definitions".
 *
 * Keywords vigil acts on are typed here with keepalived's defaults; the
 * others are known to the keyword table (so none is "unknown") and reported
 * as accepted-but-ignored. Values that instances inherit (vrrp_version,
 * vrrp_garp_*, vrrp_strict, script_user, ...) are folded into each
 * vrrp_instance_conf by conf_vrrp_finish(); the VRRP engine reads the
 * instance, never these.
 */
#ifndef VIGIL_PARSER_CONF_GLOBAL_H
#define VIGIL_PARSER_CONF_GLOBAL_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "parser/diag.h"

struct global_email {
	struct global_email *next;
	const char *addr;
};

struct global_script {
	struct cfg_loc loc;
	const char *cmd;
	const char *user, *group; /* NULL: script_user */
};

struct global_fifo {
	const char *path;          /* NULL when not configured */
	const char *user, *group;
	struct global_script script; /* script.cmd NULL when none */
};

enum global_firewall { GLOBAL_FW_AUTO, GLOBAL_FW_NFTABLES, GLOBAL_FW_IPTABLES };

/* lvs_flush_on_stop: what a clean stop does to the IPVS table. */
enum global_lvs_stop {
	GLOBAL_LVS_STOP_OWN,   /* default, and "lvs_flush_on_stop VS": delete each
				* service vigil owns (the kernel drops its
				* destinations with it) */
	GLOBAL_LVS_STOP_FLUSH, /* "lvs_flush_on_stop": flush the whole table */
};

/* lvs_timeouts, seconds; 0: not configured (the kernel keeps the value it
 * had when vigild started). */
struct global_lvs_timeouts {
	uint32_t tcp_s, tcpfin_s, udp_s;
};

#define GLOBAL_LVS_TIMEOUT_MAX (86400u * 31) /* keepalived's LVS_MAX_TIMEOUT */
#define GLOBAL_LVS_IFNAME_MAX 15            /* IP_VS_IFNAME_MAXLEN - 1 */

/* lvs_sync_daemon INTERFACE [[inst] VRRP_INSTANCE] [id N] [maxlen N]
 * [port N] [ttl N] [group ADDR]. Zero values are the kernel's defaults. */
struct global_lvs_syncd {
	struct cfg_loc loc;
	const char *ifname;        /* NULL: no sync daemon */
	const char *vrrp_instance; /* NULL: none (then master and backup) */
	uint32_t syncid;           /* default: the instance's VRID, else 0 */
	bool syncid_set;
	uint16_t maxlen;           /* 0: from the interface's MTU */
	uint16_t port;             /* 0: 8848 */
	uint8_t ttl;               /* 0: 1 */
	struct vaddr group;        /* family 0: the kernel's (224.0.0.81) */
};

struct global_conf {
	/* Top level. */
	const char *net_namespace, *net_namespace_ipvs;
	const char *instance;
	bool use_pid_dir;
	bool linkbeat_use_polling;
	uint32_t child_wait_time_s;          /* default 5 */

	/* global_defs */
	const char *router_id;               /* NULL: the host name */
	struct global_email *emails;
	unsigned n_emails;
	const char *email_from;              /* NULL: keepalived@<host> */
	const char *smtp_server;             /* address or host name, NULL: none */
	uint16_t smtp_port;                  /* default 25 */
	const char *smtp_helo_name;
	uint32_t smtp_connect_timeout_s;     /* default 30 */
	int smtp_alert, smtp_alert_vrrp, smtp_alert_checker; /* -1 unset, 0, 1 */
	bool no_email_faults;
	bool checker_log_all_failures;

	struct vaddr vrrp_mcast_group4;      /* 224.0.0.18 */
	struct vaddr vrrp_mcast_group6;      /* ff02::12 */
	const char *default_interface;       /* NULL: eth0 */

	uint64_t vrrp_garp_master_delay_us;  /* 5 s */
	uint32_t vrrp_garp_master_repeat;    /* 5 */
	uint64_t vrrp_garp_lower_prio_delay_us; /* default: master delay */
	bool vrrp_garp_lower_prio_delay_set;
	uint32_t vrrp_garp_lower_prio_repeat;   /* default: master repeat */
	bool vrrp_garp_lower_prio_repeat_set;
	uint64_t vrrp_garp_master_refresh_us;   /* 0: none */
	uint32_t vrrp_garp_master_refresh_repeat; /* 1 */
	uint64_t vrrp_garp_interval_us, vrrp_gna_interval_us; /* 0 */
	bool vrrp_min_garp;
	uint32_t vrrp_garp_extra_if_s;
	bool vrrp_garp_extra_if_all;
	uint32_t vrrp_down_timer_adverts;    /* 3 */
	int vrrp_lower_prio_no_advert;       /* -1 unset (then: strict) */
	int vrrp_higher_prio_send_advert;    /* -1 unset */
	int vrrp_version;                    /* 2 */
	bool vrrp_check_unicast_src;
	bool vrrp_skip_check_adv_addr;
	bool vrrp_strict;
	bool vrrp_notify_priority_changes;
	uint64_t vrrp_startup_delay_us;
	bool log_unknown_vrids;
	bool dynamic_interfaces, allow_if_changes;
	const char *vmac_prefix;             /* "vrrp" */
	const char *vmac_addr_prefix;        /* NULL: vmac_prefix */

	enum global_firewall firewall;
	const char *nftables_table;          /* "keepalived" */
	int32_t nftables_priority;           /* -1 */
	bool nftables_counters, nftables_ifindex;
	/* vrrp_ipsets NAME [NAME6 [NAME_IF6 ...]]: the no_accept ipsets
	 * (NAME6 = NAME "6", NAME_IF6 = NAME "_if6" when left out, as
	 * keepalived derives them); NULL: vigil's own ("vigil", "vigil6"). */
	const char *vrrp_ipset4, *vrrp_ipset6, *vrrp_ipset_if6;
	const char *iptables_chain_in, *iptables_chain_out;

	const char *script_user, *script_group; /* NULL: keepalived_script or root */
	bool enable_script_security;
	struct global_script startup_script, shutdown_script;
	uint32_t startup_script_timeout_s, shutdown_script_timeout_s; /* 10 */
	struct global_fifo notify_fifo, vrrp_notify_fifo, lvs_notify_fifo;
	bool fifo_write_vrrp_states_on_reload;

	int32_t vrrp_priority, checker_priority;       /* nice, 0 */
	uint32_t vrrp_rt_priority, checker_rt_priority; /* 0: unset (VRRP: vigil's default) */
	bool vrrp_rt_off;                               /* vrrp_rt_priority 0|off */
	uint32_t vrrp_rlimit_rttime_us, checker_rlimit_rttime_us; /* 0: default */
	bool vrrp_no_swap, checker_no_swap;
	int32_t max_auto_priority;           /* 0: off */
	uint32_t min_auto_priority_delay_us;

	uint32_t random_seed;
	bool random_seed_set;

	/* LVS */
	struct global_lvs_timeouts lvs_timeouts;
	bool lvs_flush;                      /* flush the IPVS table at start */
	enum global_lvs_stop lvs_flush_on_stop;
	struct global_lvs_syncd lvs_syncd;
};

#endif
