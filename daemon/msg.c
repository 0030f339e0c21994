#include "build-config.h"

#include <errno.h>
#include <string.h>

#include "daemon/msg.h"

/* Fixed body sizes, after the header. */
#define CONFIG_BODY 32	/* u64 generation, u32 slot, u32 0, u64 map_length, u64 root_offset */
#define APPLIED_BODY 16 /* u64 generation, i32 error, u16 text length, u16 0 */
#define STATE_BODY 12	/* u32 kind, u32 value, u16 name length, u16 0 */

struct cursor {
	unsigned char *p;
};

static void put(struct cursor *c, const void *v, size_t n)
{
	memcpy(c->p, v, n);
	c->p += n;
}

static void put_u16(struct cursor *c, uint16_t v)
{
	put(c, &v, sizeof(v));
}
static void put_u32(struct cursor *c, uint32_t v)
{
	put(c, &v, sizeof(v));
}
static void put_u64(struct cursor *c, uint64_t v)
{
	put(c, &v, sizeof(v));
}

static uint16_t get_u16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

const char *msg_type_name(enum msg_type type)
{
	switch (type) {
	case MSG_CONFIG:
		return "CONFIG";
	case MSG_APPLIED:
		return "APPLIED";
	case MSG_STATE:
		return "STATE";
	case MSG_SHUTDOWN:
		return "SHUTDOWN";
	}
	return "unknown";
}

unsigned msg_fd_count(enum msg_type type)
{
	return type == MSG_CONFIG ? 1 : 0;
}

static size_t body_size(enum msg_type type, const struct msg *m, size_t *text_len)
{
	*text_len = 0;
	switch (type) {
	case MSG_CONFIG:
		return CONFIG_BODY;
	case MSG_APPLIED:
		if (m)
			*text_len = strnlen(m->u.applied.text, sizeof(m->u.applied.text));
		return APPLIED_BODY;
	case MSG_STATE:
		if (m)
			*text_len = strnlen(m->u.state.name, sizeof(m->u.state.name));
		return STATE_BODY;
	case MSG_SHUTDOWN:
		return 0;
	}
	return (size_t)-1;
}

ssize_t msg_encode(const struct msg *m, void *buf, size_t len)
{
	size_t text_len, body = body_size(m->type, m, &text_len);
	size_t total = MSG_HEADER_SIZE + body + text_len;
	struct cursor c = {buf};

	if (body == (size_t)-1 || text_len > MSG_TEXT_MAX)
		return -EINVAL;
	if (total > len)
		return -ENOBUFS;
	put(&c, &(uint8_t){MSG_VERSION}, 1);
	put(&c, &(uint8_t){(uint8_t)m->type}, 1);
	put_u16(&c, 0);
	put_u32(&c, (uint32_t)total);
	switch (m->type) {
	case MSG_CONFIG:
		put_u64(&c, m->u.config.generation);
		put_u32(&c, m->u.config.slot);
		put_u32(&c, 0);
		put_u64(&c, m->u.config.map_length);
		put_u64(&c, m->u.config.root_offset);
		break;
	case MSG_APPLIED:
		put_u64(&c, m->u.applied.generation);
		put_u32(&c, (uint32_t)m->u.applied.error);
		put_u16(&c, (uint16_t)text_len);
		put_u16(&c, 0);
		put(&c, m->u.applied.text, text_len);
		break;
	case MSG_STATE:
		put_u32(&c, m->u.state.kind);
		put_u32(&c, m->u.state.value);
		put_u16(&c, (uint16_t)text_len);
		put_u16(&c, 0);
		put(&c, m->u.state.name, text_len);
		break;
	case MSG_SHUTDOWN:
		break;
	}
	return (ssize_t)total;
}

/* Copy a received text, which must be exactly @n bytes with no NUL in it. */
static int get_text(const unsigned char *p, size_t n, char *dst, const char **why)
{
	if (n > MSG_TEXT_MAX) {
		*why = "text too long";
		return -EBADMSG;
	}
	if (memchr(p, '\0', n)) {
		*why = "NUL byte in text";
		return -EBADMSG;
	}
	memcpy(dst, p, n);
	dst[n] = '\0';
	return 0;
}

/* What each kind of state report may say. */
static int check_state(const struct msg_state *s, const char **why)
{
	switch (s->kind) {
	case MSG_STATE_VRRP_INSTANCE:
		if (s->value > MSG_VRRP_FAULT) {
			*why = "unknown VRRP instance state";
			return -EBADMSG;
		}
		break;
	case MSG_STATE_REAL_SERVER:
		if (s->value > 1) {
			*why = "real server state is neither up nor down";
			return -EBADMSG;
		}
		break;
	default:
		*why = "unknown state kind";
		return -EBADMSG;
	}
	if (!s->name[0]) {
		*why = "state report without a name";
		return -EBADMSG;
	}
	return 0;
}

static int decode_body(const unsigned char *b, size_t body_len, struct msg *out, const char **why)
{
	switch (out->type) {
	case MSG_CONFIG:
		out->u.config.generation = get_u64(b);
		out->u.config.slot = get_u32(b + 8);
		out->u.config.map_length = get_u64(b + 16);
		out->u.config.root_offset = get_u64(b + 24);
		if (get_u32(b + 12) != 0) {
			*why = "reserved field not zero";
			return -EBADMSG;
		}
		if (out->u.config.generation == 0 || out->u.config.map_length == 0 ||
		    out->u.config.root_offset >= out->u.config.map_length) {
			*why = "config generation, length or root offset out of range";
			return -EBADMSG;
		}
		return 0;
	case MSG_APPLIED:
		out->u.applied.generation = get_u64(b);
		out->u.applied.error = (int32_t)get_u32(b + 8);
		if (get_u16(b + 14) != 0) {
			*why = "reserved field not zero";
			return -EBADMSG;
		}
		if (out->u.applied.error > 0) {
			*why = "positive error code";
			return -EBADMSG;
		}
		if (APPLIED_BODY + (size_t)get_u16(b + 12) != body_len) {
			*why = "text length does not match message length";
			return -EBADMSG;
		}
		return get_text(b + APPLIED_BODY, get_u16(b + 12), out->u.applied.text, why);
	case MSG_STATE:
		out->u.state.kind = get_u32(b);
		out->u.state.value = get_u32(b + 4);
		if (get_u16(b + 10) != 0) {
			*why = "reserved field not zero";
			return -EBADMSG;
		}
		if (STATE_BODY + (size_t)get_u16(b + 8) != body_len) {
			*why = "text length does not match message length";
			return -EBADMSG;
		}
		return get_text(b + STATE_BODY, get_u16(b + 8), out->u.state.name, why) ?:
		       check_state(&out->u.state, why);
	case MSG_SHUTDOWN:
		return 0;
	}
	*why = "unknown type";
	return -EBADMSG;
}

int msg_decode(const void *buf, size_t len, unsigned nfds, struct msg *out, const char **why)
{
	const unsigned char *p = buf;
	size_t text_len, body;

	memset(out, 0, sizeof(*out));
	if (len < MSG_HEADER_SIZE) {
		*why = "truncated header";
		return -EBADMSG;
	}
	if (p[0] != MSG_VERSION) {
		*why = "unsupported version";
		return -EBADMSG;
	}
	if (get_u16(p + 2) != 0) {
		*why = "reserved header field not zero";
		return -EBADMSG;
	}
	if (get_u32(p + 4) != len) {
		*why = "length field does not match datagram size";
		return -EBADMSG;
	}
	out->type = p[1];
	body = body_size(out->type, NULL, &text_len);
	if (body == (size_t)-1) {
		*why = "unknown type";
		return -EBADMSG;
	}
	/* Fixed-size messages must be exact; texts are checked per type. */
	if (len < MSG_HEADER_SIZE + body ||
	    ((out->type == MSG_CONFIG || out->type == MSG_SHUTDOWN) &&
	     len != MSG_HEADER_SIZE + body)) {
		*why = "wrong length for its type";
		return -EBADMSG;
	}
	if (nfds != msg_fd_count(out->type)) {
		*why = "wrong number of file descriptors for its type";
		return -EBADMSG;
	}
	return decode_body(p + MSG_HEADER_SIZE, len - MSG_HEADER_SIZE, out, why);
}
