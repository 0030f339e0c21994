/* real_server ADDR [PORT] { ... }: weight, forwarding, thresholds, notify
 * scripts, checker defaults and the checker blocks (conf_check*.c). */
#include "build-config.h"

#include <string.h>

#include "parser/conf_lvs_internal.h"

#define RB(obj) ((struct lvs_rs_build *)(obj))
#define RS(obj) (&RB(obj)->rs)

static void kw_weight(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_u32(ctx, n, 1, 0, LVS_WEIGHT_MAX, &RS(obj)->weight) == 0)
		RB(obj)->set |= LVS_SET_WEIGHT;
}

static void kw_lvs_method(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (lvs_parse_forwarding(ctx, n, &RS(obj)->fwd) == 0)
		RB(obj)->set |= LVS_SET_FWD;
}

static void kw_uthreshold(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_u32(ctx, n, 1, 0, UINT32_MAX, &RS(obj)->uthreshold);
}

static void kw_lthreshold(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_u32(ctx, n, 1, 0, UINT32_MAX, &RS(obj)->lthreshold);
}

static void kw_inhibit(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_bool(ctx, n, 1, &RS(obj)->inhibit_on_failure) == 0)
		RB(obj)->set |= LVS_SET_INHIBIT;
}

static void kw_alpha(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_bool(ctx, n, 1, &RS(obj)->alpha) == 0)
		RB(obj)->set |= LVS_SET_ALPHA;
}

static void kw_smtp_alert(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_bool(ctx, n, 1, &RS(obj)->smtp_alert) == 0)
		RB(obj)->set |= LVS_SET_SMTP_ALERT;
}

static void kw_notify_up(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (RS(obj)->notify_up)
		conf_strict(ctx, n, 1, "notify_up script already specified - ignoring");
	else
		RS(obj)->notify_up = lvs_parse_script(ctx, n);
}

static void kw_notify_down(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (RS(obj)->notify_down)
		conf_strict(ctx, n, 1, "notify_down script already specified - ignoring");
	else
		RS(obj)->notify_down = lvs_parse_script(ctx, n);
}

static void kw_retry(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_u32(ctx, n, 1, 1, UINT32_MAX, &RS(obj)->retry) == 0)
		RB(obj)->set |= LVS_SET_RETRY;
}

static void kw_delay_before_retry(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_timer_us(ctx, n, 1, 0, UINT64_MAX / 2, &RS(obj)->delay_before_retry_us) == 0)
		RB(obj)->set |= LVS_SET_DELAY_BEFORE_RETRY;
}

static void kw_warmup(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_timer_us(ctx, n, 1, 0, UINT64_MAX / 2, &RS(obj)->warmup_us) == 0)
		RB(obj)->set |= LVS_SET_WARMUP;
}

static void kw_connect_timeout(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_timer_us(ctx, n, 1, 1, UINT32_MAX, &RS(obj)->connect_timeout_us) == 0)
		RB(obj)->set |= LVS_SET_CONNECT_TIMEOUT;
}

static void kw_delay_loop(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_timer_us(ctx, n, 1, 1, UINT64_MAX / 2, &RS(obj)->delay_loop_us) == 0)
		RB(obj)->set |= LVS_SET_DELAY_LOOP;
}

static void kw_virtualhost(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &RS(obj)->virtualhost);
}

static void kw_snmp_name(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &RS(obj)->snmp_name);
}

static const struct kw rs_kws[] = {
	{ "weight", kw_weight, 1, 1, 0, NULL },
	{ "lvs_method", kw_lvs_method, 1, 8, 0, NULL },
	{ "uthreshold", kw_uthreshold, 1, 1, 0, NULL },
	{ "lthreshold", kw_lthreshold, 1, 1, 0, NULL },
	{ "inhibit_on_failure", kw_inhibit, 0, 1, 0, NULL },
	{ "notify_up", kw_notify_up, 1, 3, 0, NULL },
	{ "notify_down", kw_notify_down, 1, 3, 0, NULL },
	{ "alpha", kw_alpha, 0, 1, 0, NULL },
	{ "retry", kw_retry, 1, 1, 0, NULL },
	{ "delay_before_retry", kw_delay_before_retry, 1, 1, 0, NULL },
	{ "warmup", kw_warmup, 1, 1, 0, NULL },
	{ "connect_timeout", kw_connect_timeout, 1, 1, 0, NULL },
	{ "delay_loop", kw_delay_loop, 1, 1, 0, NULL },
	{ "smtp_alert", kw_smtp_alert, 0, 1, 0, NULL },
	{ "virtualhost", kw_virtualhost, 1, 1, 0, NULL },
	{ "snmp_name", kw_snmp_name, 1, 1, 0, NULL },
	{ "TCP_CHECK", lvs_kw_checker, 0, 0, KW_OPT_BLOCK, NULL },
	{ "HTTP_GET", lvs_kw_checker, 0, 0, KW_OPT_BLOCK, NULL },
	{ "SSL_GET", lvs_kw_checker, 0, 0, KW_OPT_BLOCK, NULL },
	{ "SMTP_CHECK", lvs_kw_checker, 0, 0, KW_OPT_BLOCK, NULL },
	{ "DNS_CHECK", lvs_kw_checker, 0, 0, KW_OPT_BLOCK, NULL },
	{ "UDP_CHECK", lvs_kw_checker, 0, 0, KW_OPT_BLOCK, NULL },
	{ "PING_CHECK", lvs_kw_checker, 0, 0, KW_OPT_BLOCK, NULL },
	{ "MISC_CHECK", lvs_kw_checker, 0, 0, KW_OPT_BLOCK, NULL },
	{ "FILE_CHECK", lvs_kw_checker, 0, 0, KW_OPT_BLOCK, NULL },
	{ "BFD_CHECK", lvs_kw_checker, 0, 0, KW_OPT_BLOCK, NULL },
};
const struct kw_table lvs_rs_table = KW_TABLE("real_server", rs_kws);

void lvs_kw_real_server(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_virtual_server *vs = obj;
	struct lvs_rs_build *rb = lvs_new_server(ctx, n);

	if (!rb)
		return;
	kw_dispatch(ctx, n->child, &lvs_rs_table, rb);
	LVS_LIST_REVERSE(struct lvs_checker, rb->rs.checkers);
	rb->rs.next = vs->real_servers;
	vs->real_servers = &rb->rs;
	vs->n_real_servers++;
}
