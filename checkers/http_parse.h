/* An HTTP/1.x response parser for HTTP_GET/SSL_GET, incremental and pure:
 * bytes in (as they arrive, in any split), status, headers that frame the
 * body, and the body's bytes out (de-chunked). No allocation.
 *
 * RFC 9112 §4 (status line), §5 (fields), §6.3 (message body length:
 * chunked wins over Content-Length; neither means "until the connection
 * closes"; 1xx, 204 and 304 responses have no body), §7.1 (chunked coding).
 */
#ifndef VIGIL_CHECKERS_HTTP_PARSE_H
#define VIGIL_CHECKERS_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_LINE_MAX 8192

enum http_parse_result {
	HTTP_PARSE_ERROR = -1, /* p->error says why */
	HTTP_PARSE_MORE = 0,   /* need more bytes (or the end of the stream) */
	HTTP_PARSE_DONE = 1,   /* the whole response was seen */
};

enum http_parse_state {
	HTTP_PS_STATUS,
	HTTP_PS_HEADERS,
	HTTP_PS_BODY_LENGTH,
	HTTP_PS_BODY_EOF,
	HTTP_PS_CHUNK_SIZE,
	HTTP_PS_CHUNK_DATA,
	HTTP_PS_CHUNK_END,
	HTTP_PS_TRAILERS,
	HTTP_PS_DONE,
	HTTP_PS_ERROR,
};

struct http_parser {
	enum http_parse_state state;
	unsigned status;	/* 100..599, once the status line is parsed */
	unsigned version_minor; /* HTTP/1.x */
	bool have_status;	/* a final (non-1xx) status line was parsed */
	int64_t content_length; /* -1 when none */
	bool chunked;
	uint64_t remaining; /* body or chunk bytes still to come */
	uint64_t body_len;  /* body bytes delivered so far */
	const char *error;
	size_t line_len;
	char line[HTTP_LINE_MAX];
};

/* Body bytes, in order. */
typedef void (*http_body_fn)(void *data, const char *buf, size_t len);

void http_parser_init(struct http_parser *p);

/* Feed @len bytes. Bytes after the end of the response are ignored. */
enum http_parse_result http_parse(struct http_parser *p, const char *buf, size_t len,
				  http_body_fn body, void *data);

/* The connection closed: DONE when that ends the response (a body read
 * until close, or a response already complete), else ERROR. */
enum http_parse_result http_parse_eof(struct http_parser *p);

#endif
