/* Canonical check keys (see key.h). */
#include "build-config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "checkers/key.h"

/* Grow @b to hold @n more bytes; false when out of memory. */
static bool grow(struct check_key *b, size_t n)
{
	size_t cap = b->cap * 2;
	char *p;

	while (cap < b->len + n)
		cap *= 2;
	p = b->bytes == b->inline_bytes ? malloc(cap) : realloc(b->bytes, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	if (b->bytes == b->inline_bytes)
		memcpy(p, b->inline_bytes, b->len);
	b->bytes = p;
	b->cap = cap;
	return true;
}

static inline void put(struct check_key *b, const void *data, size_t n)
{
	if (b->len + n > b->cap && (b->failed || !grow(b, n)))
		return;
	memcpy(b->bytes + b->len, data, n);
	b->len += n;
}

static void put_u64(struct check_key *b, uint64_t v)
{
	put(b, &v, sizeof(v));
}

/* Length-prefixed, so ("ab","c") and ("a","bc") differ; NULL differs from "". */
static void put_bytes(struct check_key *b, const void *data, size_t n)
{
	put_u64(b, data ? n : UINT64_MAX);
	if (data)
		put(b, data, n);
}

static void put_str(struct check_key *b, const char *s)
{
	put_bytes(b, s, s ? strlen(s) : 0);
}

void check_target(const struct lvs_checker *c, const struct lvs_real_server *rs, struct vaddr *addr,
		  uint16_t *port)
{
	*addr = vaddr_is_unset(&c->connect_ip) ? rs->addr : c->connect_ip;
	*port = c->connect_port ? c->connect_port : rs->port;
}

const char *check_track_file_path(const struct vigil_config *cfg, const struct lvs_checker *c)
{
	for (const struct vrrp_track_file_conf *t = cfg->vrrp.track_files; t; t = t->next)
		if (c->u.file.track_file && strcmp(t->name, c->u.file.track_file) == 0)
			return t->file;
	return NULL;
}

static void put_http(struct check_key *b, const struct lvs_http_check *h)
{
	put_u64(b, h->protocol);
	put_u64(b, h->enable_sni);
	put_u64(b, h->fast_recovery);
	put_u64(b, h->n_urls);
	for (const struct lvs_url *u = h->urls; u; u = u->next) {
		put_str(b, u->path);
		put_u64(b, u->has_digest);
		if (u->has_digest)
			put(b, u->digest, sizeof(u->digest));
		put(b, &u->status_codes, sizeof(u->status_codes));
		put_str(b, u->virtualhost);
		put_str(b, u->regex);
		put_u64(b, u->regex_no_match);
	}
}

static void put_udp(struct check_key *b, const struct lvs_udp_check *u)
{
	put_bytes(b, u->payload, u->payload_len);
	put_u64(b, u->require_reply);
	put_bytes(b, u->reply, u->reply_len);
	put_bytes(b, u->reply_mask, u->reply_mask ? u->reply_len : 0);
	put_u64(b, u->min_reply_length);
	put_u64(b, u->max_reply_length);
}

/* An address as 20 fixed bytes (family, then v4 or v6, zero-padded). */
static void addr_bytes(const struct vaddr *a, uint8_t out[20])
{
	uint32_t family = (uint32_t)a->family;

	memset(out, 0, 20);
	memcpy(out, &family, 4);
	if (a->family == AF_INET)
		memcpy(out + 4, &a->u.v4, sizeof(a->u.v4));
	else if (a->family == AF_INET6)
		memcpy(out + 4, &a->u.v6, sizeof(a->u.v6));
}

/* Where and how a probe connects: fixed-size fields in one put (a reload
 * builds a key per checker, twice when it is kept). */
static void put_connection(struct check_key *b, const struct lvs_real_server *rs,
			   const struct lvs_checker *c)
{
	struct {
		uint8_t target[20], bindto[20];
		uint16_t port, bind_port;
		uint32_t fwmark;
		uint64_t connect_timeout_us;
	} f;
	struct vaddr addr;

	memset(&f, 0, sizeof(f)); /* padding too: the bytes are compared */
	check_target(c, rs, &addr, &f.port);
	addr_bytes(&addr, f.target);
	addr_bytes(&c->bindto, f.bindto);
	f.bind_port = c->bind_port;
	f.fwmark = c->fwmark;
	f.connect_timeout_us = c->connect_timeout_us;
	put(b, &f, sizeof(f));
	put_str(b, c->bind_if);
}

/* A multiply-xorshift over 8-byte words (the keys are mostly 8-byte
 * fields): a few instructions per word where FNV-1a took several per
 * byte. For the engine's hash table, not for security. */
static uint64_t key_hash(const char *p, size_t len)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325) ^ len, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * UINT64_C(0x9E3779B97F4A7C15);
		h ^= h >> 29;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, p + i, len - i);
		h = (h ^ w) * UINT64_C(0x9E3779B97F4A7C15);
		h ^= h >> 29;
	}
	return h;
}

int check_key_build(const struct vigil_config *cfg, const struct lvs_real_server *rs,
		    const struct lvs_checker *c, struct check_key *out)
{
	struct check_key *b = out;

	b->bytes = b->inline_bytes;
	b->len = 0;
	b->cap = sizeof(b->inline_bytes);
	b->failed = false;

	struct {
		uint32_t type, retry;
		uint64_t delay_before_retry_us, warmup_us, delay_loop_us;
		uint32_t alpha, pad;
	} head;

	memset(&head, 0, sizeof(head));
	head.type = (uint32_t)c->type;
	head.retry = c->retry;
	head.delay_before_retry_us = c->delay_before_retry_us;
	head.warmup_us = c->warmup_us;
	head.delay_loop_us = c->delay_loop_us;
	head.alpha = c->alpha;
	put(b, &head, sizeof(head));
	switch (c->type) {
	case LVS_CHECK_MISC:
		put_str(b, c->u.misc.script.cmd);
		put_str(b, c->u.misc.script.user);
		put_str(b, c->u.misc.script.group);
		put_u64(b, c->u.misc.timeout_us);
		put_u64(b, c->u.misc.dynamic);
		break;
	case LVS_CHECK_FILE:
		put_str(b, check_track_file_path(cfg, c));
		put_u64(b, c->u.file.dynamic);
		put_u64(b, (uint64_t)(int64_t)c->u.file.weight);
		put_u64(b, c->u.file.reverse);
		break;
	default:
		put_connection(b, rs, c);
		break;
	}
	switch (c->type) {
	case LVS_CHECK_HTTP:
	case LVS_CHECK_SSL:
		put_http(b, &c->u.http);
		break;
	case LVS_CHECK_SMTP:
		put_str(b, c->u.helo_name);
		break;
	case LVS_CHECK_DNS:
		put_u64(b, c->u.dns.type);
		put_str(b, c->u.dns.name);
		break;
	case LVS_CHECK_UDP:
		put_udp(b, &c->u.udp);
		break;
	default:
		break;
	}
	if (b->failed) {
		check_key_free(b);
		return -ENOMEM;
	}
	b->hash = key_hash(b->bytes, b->len);
	return 0;
}

bool check_key_equal(const struct check_key *a, const struct check_key *b)
{
	return a->hash == b->hash && a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

void check_key_free(struct check_key *k)
{
	if (!k)
		return;
	if (k->bytes != k->inline_bytes)
		free(k->bytes);
	k->bytes = k->inline_bytes;
	k->len = 0;
	k->cap = sizeof(k->inline_bytes);
}
