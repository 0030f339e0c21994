/* The parent/child message codec: round trips, and every malformed
 * datagram refused with a reason. */
#include "build-config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/msg.h"

static size_t encode(const struct msg *m, unsigned char *buf)
{
	ssize_t n = msg_encode(m, buf, MSG_MAX_SIZE);

	assert_true(n >= MSG_HEADER_SIZE);
	return (size_t)n;
}

static void test_config_round_trip(void **state)
{
	struct msg m = {.type = MSG_CONFIG}, out;
	unsigned char buf[MSG_MAX_SIZE];
	const char *why = NULL;
	size_t n;

	m.u.config =
	    (struct msg_config){.generation = 7, .slot = 2, .map_length = 8192, .root_offset = 16};
	n = encode(&m, buf);
	assert_int_equal(n, MSG_HEADER_SIZE + 32);
	assert_int_equal(msg_decode(buf, n, 1, &out, &why), 0);
	assert_int_equal(out.type, MSG_CONFIG);
	assert_int_equal(out.u.config.generation, 7);
	assert_int_equal(out.u.config.slot, 2);
	assert_int_equal(out.u.config.map_length, 8192);
	assert_int_equal(out.u.config.root_offset, 16);
}

static void test_applied_round_trip(void **state)
{
	struct msg m = {.type = MSG_APPLIED}, out;
	unsigned char buf[MSG_MAX_SIZE];
	const char *why = NULL;
	size_t n;

	m.u.applied.generation = 3;
	m.u.applied.error = -EINVAL;
	strcpy(m.u.applied.text, "bad instance VI_1");
	n = encode(&m, buf);
	assert_int_equal(msg_decode(buf, n, 0, &out, &why), 0);
	assert_int_equal(out.type, MSG_APPLIED);
	assert_int_equal(out.u.applied.generation, 3);
	assert_int_equal(out.u.applied.error, -EINVAL);
	assert_string_equal(out.u.applied.text, "bad instance VI_1");
}

static void test_state_and_shutdown_round_trip(void **state)
{
	struct msg m = {.type = MSG_STATE}, out;
	unsigned char buf[MSG_MAX_SIZE];
	const char *why = NULL;
	size_t n;

	m.u.state.kind = MSG_STATE_VRRP_INSTANCE;
	m.u.state.value = 2;
	strcpy(m.u.state.name, "VI_1");
	n = encode(&m, buf);
	assert_int_equal(msg_decode(buf, n, 0, &out, &why), 0);
	assert_int_equal(out.u.state.kind, MSG_STATE_VRRP_INSTANCE);
	assert_int_equal(out.u.state.value, 2);
	assert_string_equal(out.u.state.name, "VI_1");

	m = (struct msg){.type = MSG_SHUTDOWN};
	n = encode(&m, buf);
	assert_int_equal(n, MSG_HEADER_SIZE);
	assert_int_equal(msg_decode(buf, n, 0, &out, &why), 0);
	assert_int_equal(out.type, MSG_SHUTDOWN);
}

static void test_encode_refuses(void **state)
{
	struct msg m = {.type = 99};
	unsigned char buf[MSG_MAX_SIZE];

	assert_int_equal(msg_encode(&m, buf, sizeof(buf)), -EINVAL);
	m.type = MSG_CONFIG;
	assert_int_equal(msg_encode(&m, buf, 10), -ENOBUFS);
}

/* Decode must fail with a reason; @needle is part of that reason. */
static void expect_bad(const unsigned char *buf, size_t len, unsigned nfds, const char *needle)
{
	const char *why = NULL;
	struct msg out;

	assert_int_equal(msg_decode(buf, len, nfds, &out, &why), -EBADMSG);
	assert_non_null(why);
	if (!strstr(why, needle))
		fail_msg("reason \"%s\" does not mention \"%s\"", why, needle);
}

static void test_decode_refuses(void **state)
{
	struct msg m = {.type = MSG_APPLIED};
	unsigned char buf[MSG_MAX_SIZE], bad[MSG_MAX_SIZE];
	uint32_t len32;
	uint16_t len16;
	size_t n;

	m.u.applied.generation = 1;
	strcpy(m.u.applied.text, "ok");
	n = encode(&m, buf);

	expect_bad(buf, 0, 0, "truncated");
	expect_bad(buf, MSG_HEADER_SIZE - 1, 0, "truncated");
	memcpy(bad, buf, n);
	bad[0] = MSG_VERSION + 1;
	expect_bad(bad, n, 0, "version");
	memcpy(bad, buf, n);
	bad[1] = 42;
	expect_bad(bad, n, 0, "unknown type");
	memcpy(bad, buf, n);
	bad[2] = 1;
	expect_bad(bad, n, 0, "reserved");
	/* A datagram shorter than its length field (truncated in transit). */
	expect_bad(buf, n - 1, 0, "length");
	/* Length field agrees with the datagram, text length does not. */
	memcpy(bad, buf, n);
	len16 = 200;
	memcpy(bad + MSG_HEADER_SIZE + 12, &len16, sizeof(len16));
	expect_bad(bad, n, 0, "text length");
	/* A descriptor where none belongs. */
	expect_bad(buf, n, 1, "file descriptors");
	/* A NUL inside the text. */
	memcpy(bad, buf, n);
	bad[MSG_HEADER_SIZE + 16] = '\0';
	expect_bad(bad, n, 0, "NUL");
	/* A positive error code is not an errno. */
	memcpy(bad, buf, n);
	len32 = 5;
	memcpy(bad + MSG_HEADER_SIZE + 8, &len32, sizeof(len32));
	expect_bad(bad, n, 0, "error code");
}

static void test_decode_refuses_config(void **state)
{
	struct msg m = {.type = MSG_CONFIG};
	unsigned char buf[MSG_MAX_SIZE], bad[MSG_MAX_SIZE];
	uint32_t len32;
	size_t n;

	m.u.config = (struct msg_config){.generation = 1, .map_length = 4096, .root_offset = 0};
	n = encode(&m, buf);
	expect_bad(buf, n, 0, "file descriptors");
	expect_bad(buf, n, 2, "file descriptors");
	/* Longer than a CONFIG is, with a consistent length field. */
	memcpy(bad, buf, n);
	memset(bad + n, 0, 4);
	len32 = (uint32_t)n + 4;
	memcpy(bad + 4, &len32, sizeof(len32));
	expect_bad(bad, n + 4, 1, "wrong length");

	m.u.config.root_offset = 4096;
	n = encode(&m, buf);
	expect_bad(buf, n, 1, "out of range");
	m.u.config.root_offset = 0;
	m.u.config.generation = 0;
	n = encode(&m, buf);
	expect_bad(buf, n, 1, "out of range");
}

/* A state report says something the receiver can act on: a known kind, a
 * VRRP state that exists, an up/down real server, a name (the parent relays
 * VRRP states to the checker child, which switches lvs_sync_daemon on them). */
static void test_decode_refuses_state(void **state)
{
	struct msg m = {.type = MSG_STATE}, out;
	unsigned char buf[MSG_MAX_SIZE];
	const char *why = NULL;
	size_t n;

	m.u.state.kind = MSG_STATE_VRRP_INSTANCE;
	strcpy(m.u.state.name, "VI_1");
	for (uint32_t v = MSG_VRRP_INIT; v <= MSG_VRRP_FAULT; v++) {
		m.u.state.value = v;
		n = encode(&m, buf);
		assert_int_equal(msg_decode(buf, n, 0, &out, &why), 0);
		assert_int_equal(out.u.state.value, v);
	}
	m.u.state.value = MSG_VRRP_FAULT + 1;
	n = encode(&m, buf);
	expect_bad(buf, n, 0, "unknown VRRP instance state");

	m.u.state.value = MSG_VRRP_MASTER;
	m.u.state.name[0] = '\0';
	n = encode(&m, buf);
	expect_bad(buf, n, 0, "without a name");

	strcpy(m.u.state.name, "VI_1");
	m.u.state.kind = 7;
	n = encode(&m, buf);
	expect_bad(buf, n, 0, "unknown state kind");

	m.u.state.kind = MSG_STATE_REAL_SERVER;
	m.u.state.value = 2;
	n = encode(&m, buf);
	expect_bad(buf, n, 0, "neither up nor down");
	m.u.state.value = 1;
	n = encode(&m, buf);
	assert_int_equal(msg_decode(buf, n, 0, &out, &why), 0);
}

/* Every prefix and every single-byte corruption of a valid message either
 * decodes or is refused with a reason; none crashes (ASan watches). */
static void test_decode_never_crashes(void **state)
{
	struct msg m = {.type = MSG_STATE}, out;
	unsigned char buf[MSG_MAX_SIZE], bad[MSG_MAX_SIZE];
	size_t n;

	m.u.state.kind = 1;
	strcpy(m.u.state.name, "VI_1");
	n = encode(&m, buf);
	for (size_t len = 0; len <= n; len++) {
		const char *why = NULL;
		int rc = msg_decode(buf, len, 0, &out, &why);

		assert_true(rc == 0 || (rc == -EBADMSG && why));
	}
	for (size_t i = 0; i < n; i++) {
		for (unsigned v = 0; v < 256; v += 17) {
			const char *why = NULL;
			int rc;

			memcpy(bad, buf, n);
			bad[i] = (unsigned char)v;
			rc = msg_decode(bad, n, 0, &out, &why);
			assert_true(rc == 0 || (rc == -EBADMSG && why));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config_round_trip),
	    cmocka_unit_test(test_applied_round_trip),
	    cmocka_unit_test(test_state_and_shutdown_round_trip),
	    cmocka_unit_test(test_encode_refuses),
	    cmocka_unit_test(test_decode_refuses),
	    cmocka_unit_test(test_decode_refuses_config),
	    cmocka_unit_test(test_decode_refuses_state),
	    cmocka_unit_test(test_decode_never_crashes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
