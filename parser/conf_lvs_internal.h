/* Shared by the LVS model files (conf_lvs.c, conf_vs.c, conf_rs.c,
 * conf_check*.c, conf_lvs_finish.c). Private to parser/.
 *
 * While a block is parsed, each model object sits inside a "build" wrapper
 * that also records which keywords were given, so that conf_lvs_finish() can
 * tell "not set: inherit" from "set to the default value". The wrapper lives
 * in the arena next to the object; consumers only ever see the object.
 */
#ifndef VIGIL_PARSER_CONF_LVS_INTERNAL_H
#define VIGIL_PARSER_CONF_LVS_INTERNAL_H

#include "parser/conf_internal.h"
#include "parser/conf_lvs.h"

/* Which inheritable settings a block gave explicitly. */
enum lvs_set {
	LVS_SET_RETRY = 1u << 0,
	LVS_SET_CONNECT_TIMEOUT = 1u << 1,
	LVS_SET_DELAY_BEFORE_RETRY = 1u << 2,
	LVS_SET_WARMUP = 1u << 3,
	LVS_SET_DELAY_LOOP = 1u << 4,
	LVS_SET_ALPHA = 1u << 5,
	LVS_SET_INHIBIT = 1u << 6,
	LVS_SET_SMTP_ALERT = 1u << 7,
	LVS_SET_WEIGHT = 1u << 8,
	LVS_SET_PORT = 1u << 9,
	LVS_SET_FWD = 1u << 10,
	LVS_SET_CONNECT_PORT = 1u << 11,
	LVS_SET_FAMILY = 1u << 12,
	LVS_SET_PROTOCOL = 1u << 13,
	LVS_SET_SCHED = 1u << 14,
};

struct lvs_rs_build {
	struct lvs_real_server rs; /* first: the model object */
	unsigned set;
	bool dropped; /* removed by validation (keepalived skips it too) */
};

struct lvs_vs_build {
	struct lvs_virtual_server vs; /* first */
	unsigned set;
	const char *group_name;      /* "virtual_server group NAME" */
	const struct cfg_node *node; /* valid only while the tree lives */
	struct lvs_vs_build *next_build;
};

struct lvs_checker_build {
	struct lvs_checker c; /* first */
	unsigned set;
	bool dropped;
};

/* Problems keepalived corrects and runs with, but which make "keepalived -t"
 * fail (it reports them through report_config_error), are reported with
 * conf_strict() / conf_strict_at() (DIAG_STRICT). */

/* Keyword tables, one per block. */
extern const struct kw_table lvs_vs_table;
extern const struct kw_table lvs_rs_table;
extern const struct kw_table lvs_ssl_table;

/* conf_vs.c */
void lvs_kw_virtual_server(struct conf_ctx *ctx, const struct cfg_node *n, void *obj);
void lvs_kw_vs_group(struct conf_ctx *ctx, const struct cfg_node *n, void *obj);
/* "lvs_method ..." arguments into @out; 0 or -EINVAL. */
int lvs_parse_forwarding(struct conf_ctx *ctx, const struct cfg_node *n, struct lvs_forwarding *out);
/* "ADDR [PORT]" of real_server/sorry_server into a new build object. */
struct lvs_rs_build *lvs_new_server(struct conf_ctx *ctx, const struct cfg_node *n);
/* A script keyword "CMD [user [group]]" into a new arena object. */
const struct lvs_script *lvs_parse_script(struct conf_ctx *ctx, const struct cfg_node *n);

/* conf_rs.c */
void lvs_kw_real_server(struct conf_ctx *ctx, const struct cfg_node *n, void *vs_build);

/* conf_check.c: the checker keywords, dispatched from the real_server table. */
void lvs_kw_checker(struct conf_ctx *ctx, const struct cfg_node *n, void *rs_build);
/* conf_check_http.c: HTTP_GET/SSL_GET keywords (the table, with the common
 * ones, is in conf_check.c) and the end-of-block check. */
void lvs_http_kw_virtualhost(struct conf_ctx *ctx, const struct cfg_node *n, void *cb);
void lvs_http_kw_protocol(struct conf_ctx *ctx, const struct cfg_node *n, void *cb);
void lvs_http_kw_enable_sni(struct conf_ctx *ctx, const struct cfg_node *n, void *cb);
void lvs_http_kw_fast_recovery(struct conf_ctx *ctx, const struct cfg_node *n, void *cb);
void lvs_http_kw_url(struct conf_ctx *ctx, const struct cfg_node *n, void *cb);
void lvs_http_end(struct conf_ctx *ctx, const struct cfg_node *n, struct lvs_checker_build *cb);

/* conf_lvs_finish.c */
void lvs_finish_virtual_server(struct conf_ctx *ctx, struct lvs_vs_build *vb);

/* Reverse a singly linked list built by prepending (lists are built in
 * O(1) per element and put back in config order once). */
#define LVS_LIST_REVERSE(type, head)                                                         \
	do {                                                                                 \
		type *prev_ = NULL, *cur_ = (head), *next_;                                  \
		while (cur_) {                                                               \
			next_ = cur_->next;                                                  \
			cur_->next = prev_;                                                  \
			prev_ = cur_;                                                        \
			cur_ = next_;                                                        \
		}                                                                            \
		(head) = prev_;                                                              \
	} while (0)

#endif
