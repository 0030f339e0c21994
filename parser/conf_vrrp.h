/* Model of the VRRP side of keepalived.conf: vrrp_instance, vrrp_sync_group,
 * vrrp_script, track_file, vrrp_track_process, garp_group, track_group,
 * linkbeat_interfaces, interface_up_down_delays and the static
 * addresses/routes/rules, as keepalived 2.2.7 documents them
 * (keepalived.conf(5)) plus what its releases up to 2.4.3 added.
 *
 * Every value is final once config_load_*() returns: global defaults
 * (vrrp_version, vrrp_garp_*, vrrp_strict, ...) are folded into each
 * instance by conf_vrrp_finish(), names (track_script, sync group members,
 * ...) are resolved to pointers, so the VRRP engine never looks anything up
 * by name. Lists are singly linked in config order, with counts. Every object
 * carries the location it was declared at. The model lives in the config
 * arena and is read-only.
 */
#ifndef VIGIL_PARSER_CONF_VRRP_H
#define VIGIL_PARSER_CONF_VRRP_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "parser/conf_addr.h"
#include "parser/diag.h"

#define VRRP_PRIO_DEFAULT 100
#define VRRP_PRIO_OWNER 255
/* RFC 9568 §5.2.7: 12-bit field of centiseconds, so at most 40.95 s. */
#define VRRP_V3_ADVERT_MAX_US 40950000u
#define VRRP_V2_ADVERT_MAX_US 255000000u
#define VRRP_AUTH_PASS_LEN 8 /* RFC 2338 §5.3.10: 8 octets */
#define VRRP_TRACK_WEIGHT_MAX 253 /* track_interface/script/bfd */
#define VRRP_TRACK_FILE_WEIGHT_MAX 254 /* track_file/track_process in instances */

struct vrrp_instance_conf;
struct vrrp_sync_group_conf;

/* A script to run: notify_*, startup_script, notify_fifo_script. */
struct vrrp_cmd_conf {
	struct cfg_loc loc;
	const char *cmd;   /* the command line as written (quotes resolved) */
	const char *user;  /* NULL: global script_user */
	const char *group; /* NULL: the user's group */
};

struct vrrp_script_conf {
	struct vrrp_script_conf *next;
	struct cfg_loc loc;
	const char *name;
	const char *script;     /* the command line */
	uint64_t interval_us;   /* default 1 s */
	uint64_t timeout_us;    /* 0: same as the interval (keepalived) */
	int32_t weight;         /* -253..253, default 0 (fault on failure) */
	bool weight_reverse;
	uint32_t rise, fall;    /* default 1 each */
	const char *user, *group; /* NULL: global script_user */
	bool init_fail;
	bool used;              /* some instance or sync group tracks it */
};

struct vrrp_track_file_conf {
	struct vrrp_track_file_conf *next;
	struct cfg_loc loc;
	const char *name;
	const char *file;
	int32_t weight;         /* default 1 */
	bool weight_reverse;
	bool init_file;         /* create/initialise the file at startup */
	int64_t init_value;     /* default 0 */
	bool init_overwrite;
	bool deprecated_name;   /* declared as vrrp_track_file */
};

enum vrrp_param_match { VRRP_PARAM_MATCH_NONE, VRRP_PARAM_MATCH_EXACT,
			VRRP_PARAM_MATCH_PARTIAL, VRRP_PARAM_MATCH_INITIAL };

struct vrrp_track_process_conf {
	struct vrrp_track_process_conf *next;
	struct cfg_loc loc;
	const char *name;
	const char *process;    /* command name */
	const char *const *params; /* NULL-terminated, NULL when none */
	unsigned n_params;
	enum vrrp_param_match param_match; /* EXACT when params given */
	int32_t weight;         /* -254..254, default 1 */
	bool weight_reverse;
	uint32_t quorum;        /* default 1 */
	uint32_t quorum_max;    /* default UINT32_MAX (no maximum) */
	uint64_t fork_delay_us, terminate_delay_us;
	bool full_command;
};

enum vrrp_track_kind { VRRP_TRACK_INTERFACE, VRRP_TRACK_SCRIPT, VRRP_TRACK_FILE,
		       VRRP_TRACK_PROCESS, VRRP_TRACK_BFD };

/* One line of a track_interface/track_script/track_file/track_process/
 * track_bfd block: "NAME [weight W [reverse|noreverse]]". */
struct vrrp_track_conf {
	struct vrrp_track_conf *next;
	struct cfg_loc loc;
	enum vrrp_track_kind kind;
	const char *name;  /* interface name, or the tracked object's name */
	int32_t weight;    /* resolved: the line's, else the object's default */
	bool weight_set;   /* given on the line */
	bool reverse;
	/* Resolved by name at finish (NULL for interfaces and bfd). */
	const struct vrrp_script_conf *script;
	const struct vrrp_track_file_conf *file;
	const struct vrrp_track_process_conf *process;
};

struct vrrp_track_list {
	struct vrrp_track_conf *first;
	unsigned n;
};

struct vrrp_tracking {
	struct vrrp_track_list interfaces, scripts, files, processes, bfds;
};

struct vrrp_notify_set {
	const struct vrrp_cmd_conf *master, *backup, *fault, *stop, *deleted, *any,
		*master_rx_lower_pri;
};

struct vrrp_name_ref {
	struct vrrp_name_ref *next;
	struct cfg_loc loc;
	const char *name;
	const struct vrrp_instance_conf *instance; /* resolved, or NULL */
};

struct vrrp_sync_group_conf {
	struct vrrp_sync_group_conf *next;
	struct cfg_loc loc;
	const char *name;
	struct vrrp_name_ref *members; /* resolved to instances */
	unsigned n_members;
	struct vrrp_tracking track;
	struct vrrp_notify_set notify;
	bool smtp_alert, smtp_alert_set;
	bool notify_priority_changes;
	bool tracking_weight; /* sync_group_tracking_weight (or global_tracking) */
};

struct vrrp_peer_conf {
	struct vrrp_peer_conf *next;
	struct cfg_loc loc;
	struct vaddr addr;
	int min_ttl, max_ttl; /* -1: not checked */
};

enum vrrp_auth_type { VRRP_AUTH_NONE, VRRP_AUTH_PASS, VRRP_AUTH_AH };
enum vrrp_init_state { VRRP_INIT_BACKUP, VRRP_INIT_MASTER };

struct vrrp_garp_conf {
	uint64_t master_delay_us;     /* second GARP burst after MASTER; 0 = none */
	uint32_t master_repeat;       /* GARPs per burst */
	uint64_t lower_prio_delay_us;
	uint32_t lower_prio_repeat;
	uint64_t master_refresh_us;   /* 0 = no periodic refresh */
	uint32_t master_refresh_repeat;
	uint32_t extra_if_s;          /* garp_extra_if; 0 = off */
	bool extra_if_all;
};

struct vrrp_instance_conf {
	struct vrrp_instance_conf *next;
	struct cfg_loc loc;
	const char *name;
	enum vrrp_init_state state;   /* state MASTER|BACKUP, default BACKUP */
	const char *interface;        /* NULL only for unicast instances */
	const char *vrf;
	uint8_t vrid;                 /* 1..255, required */
	uint8_t priority;             /* 1..255, default 100; 255 = address owner */
	uint64_t advert_int_us;       /* default 1 s; v2: whole seconds */
	int version;                  /* 2 or 3 (resolved) */
	int family;                   /* AF_INET or AF_INET6 (resolved from the VIPs) */
	bool nopreempt;
	uint64_t preempt_delay_us;    /* 0..1000 s */
	bool accept;                  /* resolved: accept/no_accept/strict */
	bool strict_mode;             /* resolved with global vrrp_strict */

	struct vaddr src_addr;        /* mcast_src_ip / unicast_src_ip, or unset */
	bool track_src_ip;
	struct vaddr mcast_dst;       /* resolved: mcast_dst_ip or vrrp_mcast_group4/6 */
	struct vrrp_peer_conf *peers; /* unicast_peer; non-NULL means unicast */
	unsigned n_peers;
	int unicast_ttl;              /* -1: default (255) */
	bool unicast_fault_no_peer;
	bool check_unicast_src;

	enum vrrp_auth_type auth_type;
	char auth_pass[VRRP_AUTH_PASS_LEN + 1]; /* NUL-padded */

	struct vrrp_addr_list vips, evips;
	bool no_virtual_ipaddress;    /* 2.2.8: none is deliberate */
	struct vrrp_route_list routes;
	struct vrrp_rule_list rules;

	struct vrrp_tracking track;
	bool dont_track_primary;
	struct vrrp_notify_set notify;
	bool notify_deleted;          /* removed by a reload: DELETED, not FAULT */
	bool smtp_alert;              /* resolved with smtp_alert(_vrrp) */
	bool notify_priority_changes;

	bool use_vmac;
	const char *vmac_ifname;      /* NULL: generated from vmac_prefix */
	uint8_t vmac_mac[6];
	bool vmac_mac_set;
	bool vmac_xmit_base;
	bool use_vmac_addr;

	struct vrrp_garp_conf garp;   /* resolved from vrrp_garp_* globals */
	uint32_t down_timer_adverts;  /* default 3 (RFC) */
	bool lower_prio_no_advert;
	bool higher_prio_send_advert;
	bool skip_check_adv_addr;
	bool promote_secondaries;
	bool linkbeat_use_polling;
	uint32_t kernel_rx_buf_size;

	const struct vrrp_sync_group_conf *sync_group; /* resolved, or NULL */
};

struct vrrp_garp_group_conf {
	struct vrrp_garp_group_conf *next;
	struct cfg_loc loc;
	uint64_t garp_interval_us, gna_interval_us;
	const char *interface;                 /* or ... */
	const char *const *interfaces;         /* NULL-terminated */
	unsigned n_interfaces;
};

struct vrrp_track_group_conf {
	struct vrrp_track_group_conf *next;
	struct cfg_loc loc;
	const char *name;
	struct vrrp_name_ref *members;
	unsigned n_members;
};

enum vrrp_linkbeat_type { VRRP_LINKBEAT_DEFAULT, VRRP_LINKBEAT_MII, VRRP_LINKBEAT_ETHTOOL,
			  VRRP_LINKBEAT_IOCTL };

struct vrrp_linkbeat_conf {
	struct vrrp_linkbeat_conf *next;
	struct cfg_loc loc;
	const char *ifname;
	enum vrrp_linkbeat_type type;
};

struct vrrp_if_delay_conf {
	struct vrrp_if_delay_conf *next;
	struct cfg_loc loc;
	const char *ifname;
	uint64_t down_us, up_us; /* up defaults to down */
};

struct vrrp_conf {
	struct vrrp_instance_conf *instances;
	unsigned n_instances;
	struct vrrp_sync_group_conf *sync_groups;
	unsigned n_sync_groups;
	struct vrrp_script_conf *scripts;
	unsigned n_scripts;
	struct vrrp_track_file_conf *track_files;
	unsigned n_track_files;
	struct vrrp_track_process_conf *track_processes;
	unsigned n_track_processes;
	struct vrrp_garp_group_conf *garp_groups;
	unsigned n_garp_groups;
	struct vrrp_track_group_conf *track_groups;
	unsigned n_track_groups;
	struct vrrp_linkbeat_conf *linkbeat;
	unsigned n_linkbeat;
	struct vrrp_if_delay_conf *if_delays;
	unsigned n_if_delays;
	struct vrrp_addr_list static_addresses;
	struct vrrp_route_list static_routes;
	struct vrrp_rule_list static_rules;
};

/* Lookups over a loaded model (NULL when absent). */
const struct vrrp_instance_conf *vrrp_conf_instance(const struct vrrp_conf *v, const char *name);
const struct vrrp_script_conf *vrrp_conf_script(const struct vrrp_conf *v, const char *name);

#endif
