/* The HTTP_GET/SSL_GET response parser: framing by Content-Length, chunked
 * coding and connection close, any split of the input, errors. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "checkers/http_parse.h"

struct body {
	char buf[4096];
	size_t len;
};

static void collect(void *data, const char *buf, size_t len)
{
	struct body *b = data;

	assert_true(b->len + len <= sizeof(b->buf));
	memcpy(b->buf + b->len, buf, len);
	b->len += len;
}

/* Feed @text in pieces of @step bytes (0: all at once), then EOF when
 * @eof. Returns the last result. */
static enum http_parse_result feed(struct http_parser *p, struct body *b, const char *text,
				   size_t step, bool eof)
{
	size_t len = strlen(text), off = 0;
	enum http_parse_result r = HTTP_PARSE_MORE;

	http_parser_init(p);
	memset(b, 0, sizeof(*b));
	while (off < len && r == HTTP_PARSE_MORE) {
		size_t n = step && step < len - off ? step : len - off;

		r = http_parse(p, text + off, n, collect, b);
		off += n;
	}
	if (eof && r == HTTP_PARSE_MORE)
		r = http_parse_eof(p);
	return r;
}

static const size_t steps[] = {0, 1, 2, 3, 7, 13};

static void test_content_length(void **state)
{
	const char *resp = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhelloEXTRA";
	struct http_parser p;
	struct body b;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		assert_int_equal(feed(&p, &b, resp, steps[i], false), HTTP_PARSE_DONE);
		assert_int_equal(p.status, 200);
		assert_int_equal(p.version_minor, 1);
		assert_int_equal(b.len, 5);
		assert_memory_equal(b.buf, "hello", 5);
	}
}

static void test_chunked(void **state)
{
	const char *resp =
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n"
	    "Content-Length: 999\r\n\r\n"
	    "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nT: x\r\n\r\n";
	struct http_parser p;
	struct body b;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		assert_int_equal(feed(&p, &b, resp, steps[i], false), HTTP_PARSE_DONE);
		assert_int_equal(b.len, 23);
		assert_memory_equal(b.buf, "Wikipedia in\r\n\r\nchunks.", 23);
	}
}

static void test_until_close(void **state)
{
	struct http_parser p;
	struct body b;

	assert_int_equal(feed(&p, &b, "HTTP/1.0 503 Busy\nServer: x\n\nbody", 4, false),
			 HTTP_PARSE_MORE);
	assert_true(p.have_status);
	assert_int_equal(p.status, 503);
	assert_int_equal(http_parse_eof(&p), HTTP_PARSE_DONE);
	assert_int_equal(b.len, 4);
}

static void test_no_body_statuses(void **state)
{
	struct http_parser p;
	struct body b;

	assert_int_equal(feed(&p, &b, "HTTP/1.1 204 No Content\r\n\r\n", 0, false),
			 HTTP_PARSE_DONE);
	assert_int_equal(
	    feed(&p, &b, "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", 0, false),
	    HTTP_PARSE_DONE);
	assert_int_equal(feed(&p, &b, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, false),
			 HTTP_PARSE_DONE);
}

static void test_interim_response(void **state)
{
	struct http_parser p;
	struct body b;

	assert_int_equal(feed(&p, &b,
			      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
			      "Content-Length: 2\r\n\r\nok",
			      3, false),
			 HTTP_PARSE_DONE);
	assert_int_equal(p.status, 201);
	assert_memory_equal(b.buf, "ok", 2);
}

static void test_errors(void **state)
{
	static const struct {
		const char *text;
		const char *error;
	} cases[] = {
	    {"SSH-2.0-OpenSSH\r\n", "not an HTTP/1.x status line"},
	    {"HTTP/2 200 OK\r\n", "not an HTTP/1.x status line"},
	    {"HTTP/1.1 2x0 OK\r\n", "bad status code"},
	    {"HTTP/1.1 700 Odd\r\n", "status code out of range"},
	    {"HTTP/1.1 200 OK\r\nno colon\r\n", "bad header line"},
	    {"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n", "bad Content-Length"},
	    {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n",
	     "conflicting Content-Length headers"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n",
	     "missing CRLF after chunk data"},
	    {"HTTP/1.1 101 Switching Protocols\r\n\r\n", "unexpected 101 Switching Protocols"},
	};
	struct http_parser p;
	struct body b;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(feed(&p, &b, cases[i].text, 0, false), HTTP_PARSE_ERROR);
		assert_string_equal(p.error, cases[i].error);
		/* Stays failed. */
		assert_int_equal(http_parse(&p, "x", 1, NULL, NULL), HTTP_PARSE_ERROR);
	}
}

static void test_truncated(void **state)
{
	struct http_parser p;
	struct body b;

	assert_int_equal(feed(&p, &b, "", 0, true), HTTP_PARSE_ERROR);
	assert_string_equal(p.error, "connection closed before any response");
	assert_int_equal(feed(&p, &b, "HTTP/1.1 200 OK\r\nA: b", 0, true), HTTP_PARSE_ERROR);
	assert_string_equal(p.error, "connection closed before the end of the headers");
	assert_int_equal(feed(&p, &b, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc", 0, true),
			 HTTP_PARSE_ERROR);
	assert_string_equal(p.error, "connection closed before the end of the body");
}

static void test_long_line(void **state)
{
	static char text[HTTP_LINE_MAX + 64];
	struct http_parser p;
	struct body b;

	strcpy(text, "HTTP/1.1 200 OK\r\nX: ");
	memset(text + strlen(text), 'a', HTTP_LINE_MAX);
	strcat(text, "\r\n\r\n");
	assert_int_equal(feed(&p, &b, text, 1000, false), HTTP_PARSE_ERROR);
	assert_string_equal(p.error, "line too long");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_content_length),   cmocka_unit_test(test_chunked),
	    cmocka_unit_test(test_until_close),	     cmocka_unit_test(test_no_body_statuses),
	    cmocka_unit_test(test_interim_response), cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_truncated),	     cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
