/* Canonical check keys (see key.h). */
#include "build-config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "checkers/key.h"

struct key_buf {
	char *p;
	size_t len, cap;
	bool failed;
};

static void put(struct key_buf *b, const void *data, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 128;
		char *p;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void put_u64(struct key_buf *b, uint64_t v)
{
	put(b, &v, sizeof(v));
}

/* Length-prefixed, so ("ab","c") and ("a","bc") differ; NULL differs from "". */
static void put_bytes(struct key_buf *b, const void *data, size_t n)
{
	put_u64(b, data ? n : UINT64_MAX);
	if (data)
		put(b, data, n);
}

static void put_str(struct key_buf *b, const char *s)
{
	put_bytes(b, s, s ? strlen(s) : 0);
}

static void put_addr(struct key_buf *b, const struct vaddr *a)
{
	put_u64(b, (uint64_t)a->family);
	if (a->family == AF_INET)
		put(b, &a->u.v4, sizeof(a->u.v4));
	else if (a->family == AF_INET6)
		put(b, &a->u.v6, sizeof(a->u.v6));
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

static void put_http(struct key_buf *b, const struct lvs_http_check *h)
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

static void put_udp(struct key_buf *b, const struct lvs_udp_check *u)
{
	put_bytes(b, u->payload, u->payload_len);
	put_u64(b, u->require_reply);
	put_bytes(b, u->reply, u->reply_len);
	put_bytes(b, u->reply_mask, u->reply_mask ? u->reply_len : 0);
	put_u64(b, u->min_reply_length);
	put_u64(b, u->max_reply_length);
}

static void put_connection(struct key_buf *b, const struct lvs_real_server *rs,
			   const struct lvs_checker *c)
{
	struct vaddr addr;
	uint16_t port;

	check_target(c, rs, &addr, &port);
	put_addr(b, &addr);
	put_u64(b, port);
	put_addr(b, &c->bindto);
	put_u64(b, c->bind_port);
	put_str(b, c->bind_if);
	put_u64(b, c->fwmark);
	put_u64(b, c->connect_timeout_us);
}

int check_key_build(const struct vigil_config *cfg, const struct lvs_real_server *rs,
		    const struct lvs_checker *c, struct check_key *out)
{
	struct key_buf b = {0};

	put_u64(&b, c->type);
	put_u64(&b, c->retry);
	put_u64(&b, c->delay_before_retry_us);
	put_u64(&b, c->warmup_us);
	put_u64(&b, c->delay_loop_us);
	put_u64(&b, c->alpha);
	switch (c->type) {
	case LVS_CHECK_MISC:
		put_str(&b, c->u.misc.script.cmd);
		put_str(&b, c->u.misc.script.user);
		put_str(&b, c->u.misc.script.group);
		put_u64(&b, c->u.misc.timeout_us);
		put_u64(&b, c->u.misc.dynamic);
		break;
	case LVS_CHECK_FILE:
		put_str(&b, check_track_file_path(cfg, c));
		put_u64(&b, c->u.file.dynamic);
		put_u64(&b, (uint64_t)(int64_t)c->u.file.weight);
		put_u64(&b, c->u.file.reverse);
		break;
	default:
		put_connection(&b, rs, c);
		break;
	}
	switch (c->type) {
	case LVS_CHECK_HTTP:
	case LVS_CHECK_SSL:
		put_http(&b, &c->u.http);
		break;
	case LVS_CHECK_SMTP:
		put_str(&b, c->u.helo_name);
		break;
	case LVS_CHECK_DNS:
		put_u64(&b, c->u.dns.type);
		put_str(&b, c->u.dns.name);
		break;
	case LVS_CHECK_UDP:
		put_udp(&b, &c->u.udp);
		break;
	default:
		break;
	}
	if (b.failed) {
		free(b.p);
		return -ENOMEM;
	}
	/* FNV-1a, 64-bit. */
	out->hash = UINT64_C(0xcbf29ce484222325);
	for (size_t i = 0; i < b.len; i++)
		out->hash = (out->hash ^ (uint8_t)b.p[i]) * UINT64_C(0x100000001b3);
	out->bytes = b.p;
	out->len = b.len;
	return 0;
}

void check_key_free(struct check_key *k)
{
	if (!k)
		return;
	free(k->bytes);
	k->bytes = NULL;
	k->len = 0;
}
