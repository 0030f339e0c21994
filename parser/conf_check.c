/* Checker blocks of a real_server: the options every checker shares and
 * TCP_CHECK, SMTP_CHECK, DNS_CHECK, UDP_CHECK, PING_CHECK, MISC_CHECK,
 * FILE_CHECK, BFD_CHECK. HTTP_GET and SSL_GET are in conf_check_http.c. */
#include "build-config.h"

#include <ctype.h>
#include <string.h>

#include "parser/conf_lvs_internal.h"

#define CB(obj) ((struct lvs_checker_build *)(obj))
#define CK(obj) (&CB(obj)->c)

/* ---- connection and timing options ---- */

static void kw_connect_ip(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_addr(ctx, n, 1, &CK(obj)->connect_ip);
}

static void kw_connect_port(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_port(ctx, n, 1, &CK(obj)->connect_port) == 0)
		CB(obj)->set |= LVS_SET_CONNECT_PORT;
}

static void kw_bindto(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_addr(ctx, n, 1, &CK(obj)->bindto);
}

static void kw_bind_port(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_port(ctx, n, 1, &CK(obj)->bind_port);
}

static void kw_bind_if(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (strlen(n->args[1].s) >= 16) { /* IFNAMSIZ */
		conf_error(ctx, n, 1, "interface name '%s' is too long", n->args[1].s);
		return;
	}
	conf_str(ctx, n, 1, &CK(obj)->bind_if);
}

static void kw_connect_timeout(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_timer_us(ctx, n, 1, 1, UINT32_MAX, &CK(obj)->connect_timeout_us) == 0)
		CB(obj)->set |= LVS_SET_CONNECT_TIMEOUT;
}

static void kw_fwmark(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_u32(ctx, n, 1, 0, UINT32_MAX, &CK(obj)->fwmark);
}

static void kw_retry(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_u32(ctx, n, 1, 0, UINT32_MAX, &CK(obj)->retry) == 0)
		CB(obj)->set |= LVS_SET_RETRY;
}

static void kw_nb_get_retry(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_strict(ctx, n, 0, "nb_get_retry is deprecated - please use 'retry'");
	kw_retry(ctx, n, obj);
}

static void kw_delay_before_retry(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_timer_us(ctx, n, 1, 0, UINT64_MAX / 2, &CK(obj)->delay_before_retry_us) == 0)
		CB(obj)->set |= LVS_SET_DELAY_BEFORE_RETRY;
}

static void kw_warmup(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_timer_us(ctx, n, 1, 0, UINT64_MAX / 2, &CK(obj)->warmup_us) == 0)
		CB(obj)->set |= LVS_SET_WARMUP;
}

static void kw_delay_loop(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_timer_us(ctx, n, 1, 1, UINT64_MAX / 2, &CK(obj)->delay_loop_us) == 0)
		CB(obj)->set |= LVS_SET_DELAY_LOOP;
}

static void kw_alpha(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_bool(ctx, n, 1, &CK(obj)->alpha) == 0)
		CB(obj)->set |= LVS_SET_ALPHA;
}

static void kw_log_all_failures(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_bool(ctx, n, 1, &CK(obj)->log_all_failures);
}

#define CONN_KWS                                                                     \
	{ "connect_ip", kw_connect_ip, 1, 1, 0, NULL },                              \
	{ "connect_port", kw_connect_port, 1, 1, 0, NULL },                          \
	{ "bindto", kw_bindto, 1, 1, 0, NULL },                                      \
	{ "bind_port", kw_bind_port, 1, 1, 0, NULL },                                \
	{ "bind_if", kw_bind_if, 1, 1, 0, NULL },                                    \
	{ "connect_timeout", kw_connect_timeout, 1, 1, 0, NULL },                    \
	{ "fwmark", kw_fwmark, 1, 1, 0, NULL }
#define TIMING_KWS                                                                   \
	{ "retry", kw_retry, 1, 1, 0, NULL },                                        \
	{ "delay_before_retry", kw_delay_before_retry, 1, 1, 0, NULL },              \
	{ "warmup", kw_warmup, 1, 1, 0, NULL },                                      \
	{ "delay_loop", kw_delay_loop, 1, 1, 0, NULL },                              \
	{ "alpha", kw_alpha, 0, 1, 0, NULL },                                        \
	{ "log_all_failures", kw_log_all_failures, 0, 1, 0, NULL }

/* Handlers in conf_check_http.c. */
static const struct kw http_kws[] = {
	CONN_KWS,
	TIMING_KWS,
	{ "nb_get_retry", kw_nb_get_retry, 1, 1, 0, NULL },
	{ "virtualhost", lvs_http_kw_virtualhost, 1, 1, 0, NULL },
	{ "http_protocol", lvs_http_kw_protocol, 1, 1, 0, NULL },
	{ "enable_sni", lvs_http_kw_enable_sni, 0, 1, 0, NULL },
	{ "fast_recovery", lvs_http_kw_fast_recovery, 0, 1, 0, NULL },
	{ "url", lvs_http_kw_url, 0, 0, KW_BLOCK, NULL },
};
static const struct kw_table http_table = KW_TABLE("HTTP_GET", http_kws);
static const struct kw_table ssl_get_table = KW_TABLE("SSL_GET", http_kws);

static const struct kw tcp_kws[] = { CONN_KWS, TIMING_KWS };
static const struct kw_table tcp_table = KW_TABLE("TCP_CHECK", tcp_kws);
static const struct kw_table ping_table = KW_TABLE("PING_CHECK", tcp_kws);

/* ---- SMTP_CHECK ---- */

static void kw_helo_name(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &CK(obj)->u.helo_name);
}

static const struct kw smtp_host_kws[] = { CONN_KWS, TIMING_KWS };
static const struct kw_table smtp_host_table = KW_TABLE("SMTP_CHECK host", smtp_host_kws);

/* The deprecated "host { }" sub-block: keepalived makes one more checker
 * per host, starting from the enclosing SMTP_CHECK's settings so far. */
static void kw_smtp_host(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_checker_build *parent = obj;
	struct lvs_checker_build *cb = conf_alloc(ctx, n, sizeof(*cb));
	struct lvs_real_server *rs = (struct lvs_real_server *)parent->c.next;

	if (!cb)
		return;
	*cb = *parent;
	conf_loc(ctx, &n->loc, &cb->c.loc);
	kw_dispatch(ctx, n->child, &smtp_host_table, cb);
	/* parent->c.next holds the owning real server while the block is read. */
	cb->c.next = rs->checkers;
	rs->checkers = &cb->c;
	rs->n_checkers++;
	parent->dropped = true; /* the hosts replace the outer checker */
}

static const struct kw smtp_kws[] = {
	CONN_KWS,
	TIMING_KWS,
	{ "helo_name", kw_helo_name, 1, 1, 0, NULL },
	{ "host", kw_smtp_host, 0, 0, KW_BLOCK | KW_DEPRECATED, "several SMTP_CHECK blocks" },
};
static const struct kw_table smtp_table = KW_TABLE("SMTP_CHECK", smtp_kws);

/* ---- DNS_CHECK ---- */

static void kw_dns_type(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	static const char *const types[] = { "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA", NULL };
	int t;

	for (t = 0; types[t]; t++)
		if (strcasecmp(n->args[1].s, types[t]) == 0)
			break;
	if (!types[t]) {
		conf_enum(ctx, n, 1, types, &t); /* reports, with a suggestion */
		return;
	}
	CK(obj)->u.dns.type = (enum lvs_dns_type)t;
}

static void kw_dns_name(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &CK(obj)->u.dns.name);
}

static const struct kw dns_kws[] = {
	CONN_KWS,
	TIMING_KWS,
	{ "type", kw_dns_type, 1, 1, 0, NULL },
	{ "name", kw_dns_name, 1, 1, 0, NULL },
};
static const struct kw_table dns_table = KW_TABLE("DNS_CHECK", dns_kws);

/* ---- UDP_CHECK ---- */

/* keepalived's free-form hex: words of hex digits, each word read two digits
 * at a time, an odd last digit standing alone ("Ab12f 3" = AB 12 0F 03).
 * With @mask, x/X digits match anything. Returns the byte count, -1 on a
 * bad digit (at word *bad). */
static int parse_hex(const struct cfg_node *n, unsigned from, uint8_t *out, uint8_t *mask,
		     unsigned *bad)
{
	int len = 0;

	for (unsigned i = from; i < n->argc; i++) {
		const char *p = n->args[i].s;
		size_t l = strlen(p);

		for (size_t k = 0; k < l; k += 2) {
			unsigned v = 0, m = 0;

			for (size_t d = k; d < k + 2 && d < l; d++) {
				int c = p[d];

				v <<= 4;
				m <<= 4;
				if (mask && (c == 'x' || c == 'X'))
					continue;
				if (!isxdigit(c)) {
					*bad = i;
					return -1;
				}
				v |= (unsigned)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
				m |= 0xf;
			}
			out[len] = (uint8_t)v;
			if (mask)
				mask[len] = (uint8_t)m;
			len++;
		}
	}
	return len;
}

static int hex_words(struct conf_ctx *ctx, const struct cfg_node *n, bool wildcard,
		     const uint8_t **data, const uint8_t **mask, unsigned *len)
{
	size_t total = 0;
	uint8_t *d, *m = NULL;
	unsigned bad = 1;
	int l;

	for (unsigned i = 1; i < n->argc; i++)
		total += (strlen(n->args[i].s) + 1) / 2;
	d = conf_alloc(ctx, n, total + 1);
	if (wildcard)
		m = conf_alloc(ctx, n, total + 1);
	if (!d || (wildcard && !m))
		return -1;
	l = parse_hex(n, 1, d, m, &bad);
	if (l < 0) {
		conf_error(ctx, n, bad, "'%s' expects hex digits%s, got '%s'", n->args[0].s,
			   wildcard ? " (x for any)" : "", n->args[bad].s);
		return -1;
	}
	*data = d;
	if (mask)
		*mask = m;
	*len = (unsigned)l;
	return 0;
}

static void kw_payload(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_udp_check *u = &CK(obj)->u.udp;

	hex_words(ctx, n, false, &u->payload, NULL, &u->payload_len);
}

static void kw_require_reply(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_udp_check *u = &CK(obj)->u.udp;

	u->require_reply = true;
	if (n->argc > 1)
		hex_words(ctx, n, true, &u->reply, &u->reply_mask, &u->reply_len);
}

static void kw_min_reply(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_u32(ctx, n, 1, 0, 65535, &CK(obj)->u.udp.min_reply_length);
}

static void kw_max_reply(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_u32(ctx, n, 1, 0, 65535, &CK(obj)->u.udp.max_reply_length);
}

static const struct kw udp_kws[] = {
	CONN_KWS,
	TIMING_KWS,
	{ "payload", kw_payload, 1, KW_ANY, 0, NULL },
	{ "require_reply", kw_require_reply, 0, KW_ANY, 0, NULL },
	{ "min_reply_length", kw_min_reply, 1, 1, 0, NULL },
	{ "max_reply_length", kw_max_reply, 1, 1, 0, NULL },
};
static const struct kw_table udp_table = KW_TABLE("UDP_CHECK", udp_kws);

/* ---- MISC_CHECK ---- */

static void kw_misc_path(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_script *s = &CK(obj)->u.misc.script;

	if (s->cmd)
		conf_strict(ctx, n, 1, "misc_path already specified - replacing");
	if (conf_str(ctx, n, 1, &s->cmd) == 0)
		conf_loc(ctx, &n->loc, &s->loc);
}

static void kw_misc_timeout(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_timer_us(ctx, n, 1, 1, UINT32_MAX, &CK(obj)->u.misc.timeout_us);
}

static void kw_misc_dynamic(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_bool(ctx, n, 1, &CK(obj)->u.misc.dynamic);
}

static void kw_misc_user(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_script *s = &CK(obj)->u.misc.script;

	conf_str(ctx, n, 1, &s->user);
	if (n->argc > 2)
		conf_str(ctx, n, 2, &s->group);
}

static const struct kw misc_kws[] = {
	TIMING_KWS,
	{ "misc_path", kw_misc_path, 1, 1, 0, NULL },
	{ "misc_timeout", kw_misc_timeout, 1, 1, 0, NULL },
	{ "misc_dynamic", kw_misc_dynamic, 0, 1, 0, NULL },
	{ "user", kw_misc_user, 1, 2, 0, NULL },
};
static const struct kw_table misc_table = KW_TABLE("MISC_CHECK", misc_kws);

/* ---- FILE_CHECK and BFD_CHECK ---- */

static void kw_track_file(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &CK(obj)->u.file.track_file);
}

static void kw_file_dynamic(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_bool(ctx, n, 1, &CK(obj)->u.file.dynamic);
}

static void kw_file_weight(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_file_check *f = &CK(obj)->u.file;

	if (conf_i32(ctx, n, 1, -2147483647, 2147483647, &f->weight) < 0)
		return;
	if (n->argc > 2) {
		if (strcmp(n->args[2].s, "reverse") == 0)
			f->reverse = true;
		else
			conf_error(ctx, n, 2, "'weight' accepts only 'reverse' after the value, got '%s'",
				   n->args[2].s);
	}
}

static const struct kw file_kws[] = {
	{ "track_file", kw_track_file, 1, 1, 0, NULL },
	{ "file", kw_track_file, 1, 1, 0, NULL },
	{ "dynamic", kw_file_dynamic, 0, 1, 0, NULL },
	{ "weight", kw_file_weight, 1, 2, 0, NULL },
};
static const struct kw_table file_table = KW_TABLE("FILE_CHECK", file_kws);

static void kw_bfd_name(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &CK(obj)->u.bfd_name);
}

static const struct kw bfd_kws[] = { { "name", kw_bfd_name, 1, 1, 0, NULL } };
static const struct kw_table bfd_table = KW_TABLE("BFD_CHECK", bfd_kws);

/* ---- the checker keyword ---- */

static struct lvs_checker_build *lvs_checker_new(struct conf_ctx *ctx, const struct cfg_node *n,
					  struct lvs_rs_build *rb, enum lvs_checker_type type)
{
	struct lvs_checker_build *cb = conf_alloc(ctx, n, sizeof(*cb));

	if (!cb)
		return NULL;
	conf_loc(ctx, &n->loc, &cb->c.loc);
	cb->c.type = type;
	/* While the block is read, next points at the owning real server
	 * (for SMTP host blocks); lvs_kw_checker() links it properly. */
	cb->c.next = (struct lvs_checker *)&rb->rs;
	return cb;
}

static const struct {
	const char *name;
	enum lvs_checker_type type;
	const struct kw_table *table;
} checker_types[] = {
	{ "TCP_CHECK", LVS_CHECK_TCP, &tcp_table },   { "HTTP_GET", LVS_CHECK_HTTP, &http_table },
	{ "SSL_GET", LVS_CHECK_SSL, &ssl_get_table },         { "SMTP_CHECK", LVS_CHECK_SMTP, &smtp_table },
	{ "DNS_CHECK", LVS_CHECK_DNS, &dns_table },   { "UDP_CHECK", LVS_CHECK_UDP, &udp_table },
	{ "PING_CHECK", LVS_CHECK_PING, &ping_table }, { "MISC_CHECK", LVS_CHECK_MISC, &misc_table },
	{ "FILE_CHECK", LVS_CHECK_FILE, &file_table }, { "BFD_CHECK", LVS_CHECK_BFD, &bfd_table },
};

static void checker_type_defaults(struct lvs_checker *c)
{
	switch (c->type) {
	case LVS_CHECK_DNS:
		c->u.dns.type = LVS_DNS_SOA;
		c->u.dns.name = ".";
		break;
	case LVS_CHECK_UDP:
		c->u.udp.max_reply_length = 255;
		break;
	case LVS_CHECK_FILE:
		c->u.file.weight = 1;
		break;
	case LVS_CHECK_HTTP:
	case LVS_CHECK_SSL:
		c->u.http.protocol = LVS_HTTP_1_0;
		break;
	default:
		break;
	}
}

/* What keepalived checks when a checker block ends; it drops the checker
 * (and fails -t) when a required field is missing. */
static void checker_end(struct conf_ctx *ctx, const struct cfg_node *n,
			struct lvs_checker_build *cb)
{
	struct lvs_checker *c = &cb->c;

	if (c->type == LVS_CHECK_MISC && !c->u.misc.script.cmd) {
		conf_strict(ctx, n, 0, "MISC_CHECK has no misc_path - skipping");
		cb->dropped = true;
	} else if (c->type == LVS_CHECK_FILE && !c->u.file.track_file) {
		conf_strict(ctx, n, 0, "FILE_CHECK has no track_file specified - ignoring");
		cb->dropped = true;
	} else if (c->type == LVS_CHECK_UDP &&
		   c->u.udp.min_reply_length > c->u.udp.max_reply_length) {
		conf_strict(
		    ctx, n, 0,
		    "UDP_CHECK min_reply_length %u > max_reply_length %u - will always fail",
		    c->u.udp.min_reply_length, c->u.udp.max_reply_length);
	}
	if (c->type == LVS_CHECK_MISC && !cb->dropped)
		ctx->cfg->lvs.n_scripts++;
}

void lvs_kw_checker(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_rs_build *rb = obj;
	struct lvs_checker_build *cb;
	size_t i;

	for (i = 0; strcmp(checker_types[i].name, n->args[0].s); i++)
		;
	cb = lvs_checker_new(ctx, n, rb, checker_types[i].type);
	if (!cb)
		return;
	checker_type_defaults(&cb->c);
	kw_dispatch(ctx, n->child, checker_types[i].table, cb);
	if (cb->c.type == LVS_CHECK_HTTP || cb->c.type == LVS_CHECK_SSL)
		lvs_http_end(ctx, n, cb);
	checker_end(ctx, n, cb);
	if (cb->dropped)
		return;
	if (cb->c.type == LVS_CHECK_BFD) {
		conf_warning(ctx, n, 0, "BFD_CHECK is accepted but not supported by vigil; ignored");
		return;
	}
	cb->c.next = rb->rs.checkers;
	rb->rs.checkers = &cb->c;
	rb->rs.n_checkers++;
}
