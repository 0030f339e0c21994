#include "build-config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "parser/values.h"

const char *conf_arg(const struct cfg_node *n, unsigned i)
{
	return i < n->argc ? n->args[i].s : NULL;
}

static const char *need_arg(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i)
{
	const char *s = conf_arg(n, i);

	if (!s)
		conf_error(ctx, n, 0, "'%s' is missing argument %u", n->args[0].s, i);
	return s;
}

int parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -EINVAL;
	/* The common case, up to 19 decimal digits (no overflow possible),
	 * without strtoull's locale and base handling: what it would return. */
	for (v = 0, end = (char *)s; *end >= '0' && *end <= '9' && end - s < 19; end++)
		v = v * 10 + (unsigned)(*end - '0');
	if (!*end && end > s && !(s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))) {
		*out = v;
		return 0;
	}
	errno = 0;
	v = strtoull(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || *end || end == s)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_i64(const char *s, int64_t *out)
{
	uint64_t v;
	int neg = 0, rc;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	rc = parse_u64(s, &v);
	if (rc)
		return rc;
	if (v > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -ERANGE;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int parse_timer_us(const char *s, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, scale = 1000000;
	const char *p = s;

	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (UINT64_MAX / 1000000 - 9) / 10)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		for (; isdigit((unsigned char)*p); p++) {
			/* Resolution is a microsecond; further digits are truncated. */
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
		}
	}
	if (*p)
		return -EINVAL;
	*out = whole * 1000000 + frac;
	return 0;
}

int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "on", "true", "yes" };
	static const char *const no[] = { "off", "false", "no" };

	for (size_t i = 0; i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

int conf_u64(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, uint64_t min,
	     uint64_t max, uint64_t *out)
{
	const char *s = need_arg(ctx, n, i);
	uint64_t v;

	if (!s)
		return -EINVAL;
	if (parse_u64(s, &v) < 0) {
		conf_error(ctx, n, i, "'%s' expects a number, got '%s'", n->args[0].s, s);
		return -EINVAL;
	}
	if (v < min || v > max) {
		conf_error(ctx, n, i, "'%s' value %s is out of range [%" PRIu64 ", %" PRIu64 "]",
			   n->args[0].s, s, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int conf_u32(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, uint32_t min,
	     uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (conf_u64(ctx, n, i, min, max, &v) < 0)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int conf_i32(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, int32_t min,
	     int32_t max, int32_t *out)
{
	const char *s = need_arg(ctx, n, i);
	int64_t v;

	if (!s)
		return -EINVAL;
	if (parse_i64(s, &v) < 0) {
		conf_error(ctx, n, i, "'%s' expects a number, got '%s'", n->args[0].s, s);
		return -EINVAL;
	}
	if (v < min || v > max) {
		conf_error(ctx, n, i, "'%s' value %s is out of range [%" PRId32 ", %" PRId32 "]",
			   n->args[0].s, s, min, max);
		return -EINVAL;
	}
	*out = (int32_t)v;
	return 0;
}

static void format_us(uint64_t us, char *buf, size_t len)
{
	if (us % 1000000 == 0)
		snprintf(buf, len, "%" PRIu64, us / 1000000);
	else {
		int w = 6;
		uint64_t frac = us % 1000000;

		while (frac % 10 == 0) {
			frac /= 10;
			w--;
		}
		snprintf(buf, len, "%" PRIu64 ".%0*" PRIu64, us / 1000000, w, frac);
	}
}

int conf_timer_us(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, uint64_t min_us,
		  uint64_t max_us, uint64_t *out)
{
	const char *s = need_arg(ctx, n, i);
	char lo[32], hi[32];
	uint64_t v;

	if (!s)
		return -EINVAL;
	if (parse_timer_us(s, &v) < 0) {
		conf_error(ctx, n, i, "'%s' expects a time in seconds (e.g. 1 or 0.5), got '%s'",
			   n->args[0].s, s);
		return -EINVAL;
	}
	if (v < min_us || v > max_us) {
		format_us(min_us, lo, sizeof(lo));
		format_us(max_us, hi, sizeof(hi));
		conf_error(ctx, n, i, "'%s' value %s s is out of range [%s, %s] s", n->args[0].s, s,
			   lo, hi);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int conf_bool(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, bool *out)
{
	const char *s = conf_arg(n, i);
	bool v;

	if (!s) {
		*out = true;
		return 0;
	}
	if (parse_bool(s, &v) < 0) {
		conf_error(ctx, n, i, "'%s' expects on|off|true|false|yes|no, got '%s'",
			   n->args[0].s, s);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int conf_enum(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i,
	      const char *const *names, int *out)
{
	const char *s = need_arg(ctx, n, i);
	const char *best = NULL;
	unsigned best_d = 3;
	char list[512];
	size_t len = 0;

	if (!s)
		return -EINVAL;
	for (int k = 0; names[k]; k++) {
		if (strcmp(names[k], s) == 0) {
			*out = k;
			return 0;
		}
	}
	for (int k = 0; names[k]; k++) {
		unsigned d = kw_distance(s, names[k], 2);

		if (d < best_d) {
			best_d = d;
			best = names[k];
		}
		if (len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", k ? "|" : "",
						names[k]);
	}
	if (best)
		conf_error(ctx, n, i, "'%s' does not accept '%s' (did you mean '%s'?)", n->args[0].s,
			   s, best);
	else
		conf_error(ctx, n, i, "'%s' does not accept '%s'; expected %s", n->args[0].s, s, list);
	return -EINVAL;
}

int conf_addr(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, struct vaddr *out)
{
	const char *s = need_arg(ctx, n, i);

	if (!s)
		return -EINVAL;
	if (vaddr_parse(s, out) < 0) {
		conf_error(ctx, n, i, "'%s' is not a valid IPv4 or IPv6 address", s);
		return -EINVAL;
	}
	return 0;
}

int conf_prefix(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, struct vaddr *out,
		unsigned *prefix, bool *has_prefix)
{
	const char *s = need_arg(ctx, n, i);

	if (!s)
		return -EINVAL;
	if (vaddr_parse_prefix(s, out, prefix, has_prefix) < 0) {
		conf_error(ctx, n, i, "'%s' is not a valid address[/prefix]", s);
		return -EINVAL;
	}
	return 0;
}

int conf_port(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, uint16_t *out)
{
	const char *s = need_arg(ctx, n, i);
	uint64_t v;

	if (!s)
		return -EINVAL;
	if (parse_u64(s, &v) < 0 || v > 65535) {
		conf_error(ctx, n, i, "'%s' is not a valid port (0-65535)", s);
		return -EINVAL;
	}
	*out = (uint16_t)v;
	return 0;
}

void *conf_alloc(struct conf_ctx *ctx, const struct cfg_node *n, size_t size)
{
	void *p = arena_alloc(ctx->arena, size);

	if (!p)
		conf_error(ctx, n, 0, "out of memory for the configuration (arena of %zu bytes full)",
			   ctx->arena->size);
	return p;
}

int conf_str(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, const char **out)
{
	const char *s = need_arg(ctx, n, i);
	char *d;

	if (!s)
		return -EINVAL;
	d = arena_strdup(ctx->arena, s);
	if (!d) {
		conf_error(ctx, n, i, "out of memory for the configuration");
		return -ENOMEM;
	}
	*out = d;
	return 0;
}

int conf_join(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, const char **out)
{
	size_t len = 0;
	char *d, *p;

	if (!need_arg(ctx, n, i))
		return -EINVAL;
	for (unsigned k = i; k < n->argc; k++)
		len += strlen(n->args[k].s) + 1;
	d = conf_alloc(ctx, n, len);
	if (!d)
		return -ENOMEM;
	p = d;
	for (unsigned k = i; k < n->argc; k++) {
		size_t l = strlen(n->args[k].s);

		if (k > i)
			*p++ = ' ';
		memcpy(p, n->args[k].s, l);
		p += l;
	}
	*p = '\0';
	*out = d;
	return 0;
}

void conf_loc(struct conf_ctx *ctx, const struct cfg_loc *in, struct cfg_loc *out)
{
	*out = *in;
	if (!in->file)
		return;
	if (in->file != ctx->last_file) {
		ctx->last_file = in->file;
		ctx->last_file_copy = arena_strdup(ctx->arena, in->file);
	}
	out->file = ctx->last_file_copy;
}
