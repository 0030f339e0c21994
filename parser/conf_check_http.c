/* HTTP_GET and SSL_GET: url { path digest status_code virtualhost regex },
 * http_protocol, virtualhost, enable_sni, fast_recovery. The common
 * connection and timing options are in conf_check.c. */
#include "build-config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "parser/conf_lvs_internal.h"

#define CK(obj) (&((struct lvs_checker_build *)(obj))->c)

/* While a url block is read, its status codes are kept apart so the
 * default (200-299) applies only when none was given. */
struct url_build {
	struct lvs_url url; /* first */
	bool has_status;
};

void lvs_http_kw_virtualhost(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &CK(obj)->u.http.virtualhost);
}

void lvs_http_kw_protocol(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	const char *v = n->args[1].s;
	struct lvs_http_check *h = &CK(obj)->u.http;

	if (strcmp(v, "1.0") == 0)
		h->protocol = LVS_HTTP_1_0;
	else if (strcmp(v, "1.1") == 0)
		h->protocol = LVS_HTTP_1_1;
	else if (strcmp(v, "1.0C") == 0 || strcmp(v, "1.0c") == 0)
		h->protocol = LVS_HTTP_1_0C;
	else
		conf_error(ctx, n, 1, "'http_protocol' does not accept '%s'; expected 1.0|1.0C|1.1", v);
}

void lvs_http_kw_enable_sni(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_bool(ctx, n, 1, &CK(obj)->u.http.enable_sni);
}

void lvs_http_kw_fast_recovery(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_bool(ctx, n, 1, &CK(obj)->u.http.fast_recovery);
}

/* ---- url { } ---- */

static void kw_path(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &((struct lvs_url *)obj)->path);
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* An MD5 as genhash prints it: 32 hex digits. */
static void kw_digest(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_url *u = obj;
	const char *s = n->args[1].s;
	size_t len = strlen(s);

	if (u->has_digest) {
		conf_error(ctx, n, 1, "url already has a digest; '%s' is a duplicate", s);
		return;
	}
	if (len != 32) {
		conf_error(ctx, n, 1, "digest '%s' must be 32 hex digits (an MD5), not %zu", s, len);
		return;
	}
	for (size_t i = 0; i < 32; i++) {
		if (!isxdigit((unsigned char)s[i])) {
			conf_error(ctx, n, 1, "digest '%s' has a non-hex digit at offset %zu", s, i);
			return;
		}
	}
	for (size_t i = 0; i < 16; i++)
		u->digest[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
	u->has_digest = true;
}

/* "N" or "N-M", 100..599. Pure; 0 or -1. */
static int parse_status_range(const char *s, unsigned *lo, unsigned *hi)
{
	char *e;
	unsigned long a, b;

	if (!isdigit((unsigned char)*s))
		return -1;
	a = strtoul(s, &e, 10);
	b = a;
	if (*e == '-') {
		if (!isdigit((unsigned char)e[1]))
			return -1;
		b = strtoul(e + 1, &e, 10);
	}
	if (*e || a < LVS_HTTP_STATUS_MIN || b > LVS_HTTP_STATUS_MAX || a > b)
		return -1;
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return 0;
}

static void status_add(struct lvs_status_set *set, unsigned lo, unsigned hi)
{
	for (unsigned c = lo; c <= hi; c++) {
		unsigned b = c - LVS_HTTP_STATUS_MIN;

		set->bits[b / 64] |= 1ull << (b % 64);
	}
}

static void kw_status_code(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct url_build *ub = obj;
	struct lvs_status_set *set = &ub->url.status_codes;
	unsigned lo, hi;

	for (unsigned i = 1; i < n->argc; i++) {
		if (parse_status_range(n->args[i].s, &lo, &hi) < 0) {
			conf_error(ctx, n, i, "invalid HTTP status code or range '%s' (100-599, e.g. 200-299)",
				   n->args[i].s);
			continue;
		}
		status_add(set, lo, hi);
		ub->has_status = true;
	}
}

static void kw_url_virtualhost(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &((struct lvs_url *)obj)->virtualhost);
}

static void kw_regex(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &((struct lvs_url *)obj)->regex);
}

static void kw_regex_no_match(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	(void)ctx, (void)n;
	((struct lvs_url *)obj)->regex_no_match = true;
}

static const struct kw url_kws[] = {
	{ "path", kw_path, 1, 1, 0, NULL },
	{ "digest", kw_digest, 1, 1, 0, NULL },
	{ "status_code", kw_status_code, 1, KW_ANY, 0, NULL },
	{ "virtualhost", kw_url_virtualhost, 1, 1, 0, NULL },
	{ "regex", kw_regex, 1, 1, 0, NULL },
	{ "regex_no_match", kw_regex_no_match, 0, 0, 0, NULL },
	{ "regex_options", NULL, 0, KW_ANY, KW_IGNORED, "PCRE2 options; the regex uses defaults" },
	{ "regex_min_offset", NULL, 0, KW_ANY, KW_IGNORED, "the whole body is searched" },
	{ "regex_max_offset", NULL, 0, KW_ANY, KW_IGNORED, "the whole body is searched" },
	{ "regex_stack", NULL, 0, KW_ANY, KW_IGNORED, "no PCRE2 JIT stack tuning" },
};
static const struct kw_table url_table = KW_TABLE("url", url_kws);

void lvs_http_kw_url(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_http_check *h = &CK(obj)->u.http;
	struct url_build *ub = conf_alloc(ctx, n, sizeof(*ub));

	if (!ub)
		return;
	conf_loc(ctx, &n->loc, &ub->url.loc);
	kw_dispatch(ctx, n->child, &url_table, ub);
	if (!ub->url.path) {
		conf_strict(ctx, n, 0, "HTTP/SSL_GET checker url has no path - ignoring");
		return;
	}
	if (!ub->has_status)
		status_add(&ub->url.status_codes, 200, 299);
	ub->url.next = h->urls;
	h->urls = &ub->url;
	h->n_urls++;
}

void lvs_http_end(struct conf_ctx *ctx, const struct cfg_node *n, struct lvs_checker_build *cb)
{
	struct lvs_http_check *h = &cb->c.u.http;

	LVS_LIST_REVERSE(struct lvs_url, h->urls);
	if (!h->n_urls) {
		conf_strict(ctx, n, 0, "HTTP/SSL_GET checker has no urls specified - ignoring");
		cb->dropped = true;
	}
}
