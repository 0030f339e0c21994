/* Incremental HTTP/1.x response parser (see http_parse.h). */
#include "build-config.h"

#include <string.h>
#include <strings.h>

#include "checkers/http_parse.h"

void http_parser_init(struct http_parser *p)
{
	memset(p, 0, offsetof(struct http_parser, line));
	p->state = HTTP_PS_STATUS;
	p->content_length = -1;
}

static enum http_parse_result fail(struct http_parser *p, const char *why)
{
	p->state = HTTP_PS_ERROR;
	p->error = why;
	return HTTP_PARSE_ERROR;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* RFC 9112 §4: HTTP-version SP status-code SP [reason-phrase] */
static enum http_parse_result parse_status(struct http_parser *p, const char *l, size_t n)
{
	if (n < 12 || memcmp(l, "HTTP/1.", 7) != 0 || !is_digit(l[7]) || l[8] != ' ')
		return fail(p, "not an HTTP/1.x status line");
	if (!is_digit(l[9]) || !is_digit(l[10]) || !is_digit(l[11]) || (n > 12 && l[12] != ' '))
		return fail(p, "bad status code");
	p->version_minor = (unsigned)(l[7] - '0');
	p->status = (unsigned)((l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0'));
	if (p->status < 100 || p->status > 599)
		return fail(p, "status code out of range");
	p->state = HTTP_PS_HEADERS;
	return HTTP_PARSE_MORE;
}

static bool token_in_list(const char *v, size_t n, const char *tok)
{
	size_t tl = strlen(tok);

	/* The last transfer coding is what frames the body (§6.3). */
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return n >= tl && strncasecmp(v + n - tl, tok, tl) == 0 &&
	       (n == tl || v[n - tl - 1] == ',' || v[n - tl - 1] == ' ' || v[n - tl - 1] == '\t');
}

static enum http_parse_result parse_field(struct http_parser *p, const char *l, size_t n)
{
	const char *colon = memchr(l, ':', n);
	const char *v;
	size_t name_len, vn;

	if (!colon || colon == l)
		return fail(p, "bad header line");
	name_len = (size_t)(colon - l);
	v = colon + 1;
	vn = n - name_len - 1;
	while (vn && (*v == ' ' || *v == '\t'))
		v++, vn--;
	if (name_len == 14 && strncasecmp(l, "Content-Length", 14) == 0) {
		int64_t cl = 0;

		if (!vn)
			return fail(p, "empty Content-Length");
		for (size_t i = 0; i < vn; i++) {
			if (v[i] == ' ' || v[i] == '\t')
				break;
			if (!is_digit(v[i]) || cl > (INT64_MAX - 9) / 10)
				return fail(p, "bad Content-Length");
			cl = cl * 10 + (v[i] - '0');
		}
		if (p->content_length >= 0 && p->content_length != cl)
			return fail(p, "conflicting Content-Length headers");
		p->content_length = cl;
	} else if (name_len == 17 && strncasecmp(l, "Transfer-Encoding", 17) == 0) {
		p->chunked = token_in_list(v, vn, "chunked");
	}
	return HTTP_PARSE_MORE;
}

static enum http_parse_result end_of_headers(struct http_parser *p)
{
	if (p->status < 200) {
		/* An interim response (100 Continue...): the final one follows. */
		if (p->status == 101)
			return fail(p, "unexpected 101 Switching Protocols");
		p->content_length = -1;
		p->chunked = false;
		p->state = HTTP_PS_STATUS;
		return HTTP_PARSE_MORE;
	}
	p->have_status = true;
	if (p->status == 204 || p->status == 304) {
		p->state = HTTP_PS_DONE;
	} else if (p->chunked) {
		p->state = HTTP_PS_CHUNK_SIZE;
	} else if (p->content_length >= 0) {
		p->remaining = (uint64_t)p->content_length;
		p->state = p->remaining ? HTTP_PS_BODY_LENGTH : HTTP_PS_DONE;
	} else {
		p->state = HTTP_PS_BODY_EOF;
	}
	return p->state == HTTP_PS_DONE ? HTTP_PARSE_DONE : HTTP_PARSE_MORE;
}

static enum http_parse_result parse_chunk_size(struct http_parser *p, const char *l, size_t n)
{
	uint64_t size = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = l[i];
		unsigned d;

		if (is_digit(c))
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (size >> 60)
			return fail(p, "chunk size too large");
		size = size << 4 | d;
	}
	if (i == 0 || (i < n && l[i] != ';' && l[i] != ' ' && l[i] != '\t'))
		return fail(p, "bad chunk size");
	p->remaining = size;
	p->state = size ? HTTP_PS_CHUNK_DATA : HTTP_PS_TRAILERS;
	return HTTP_PARSE_MORE;
}

/* One complete line (without its CRLF or LF) in the current state. */
static enum http_parse_result parse_line(struct http_parser *p, const char *l, size_t n)
{
	switch (p->state) {
	case HTTP_PS_STATUS:
		return parse_status(p, l, n);
	case HTTP_PS_HEADERS:
		return n ? parse_field(p, l, n) : end_of_headers(p);
	case HTTP_PS_CHUNK_SIZE:
		return parse_chunk_size(p, l, n);
	case HTTP_PS_CHUNK_END:
		if (n)
			return fail(p, "missing CRLF after chunk data");
		p->state = HTTP_PS_CHUNK_SIZE;
		return HTTP_PARSE_MORE;
	case HTTP_PS_TRAILERS:
		if (n)
			return HTTP_PARSE_MORE; /* trailer fields: ignored */
		p->state = HTTP_PS_DONE;
		return HTTP_PARSE_DONE;
	default:
		return fail(p, "internal: line in a body state");
	}
}

static bool line_state(enum http_parse_state s)
{
	return s == HTTP_PS_STATUS || s == HTTP_PS_HEADERS || s == HTTP_PS_CHUNK_SIZE ||
	       s == HTTP_PS_CHUNK_END || s == HTTP_PS_TRAILERS;
}

/* Collect a line; returns bytes consumed, and *complete when it ended. */
static size_t take_line(struct http_parser *p, const char *buf, size_t len, bool *complete)
{
	const char *nl = memchr(buf, '\n', len);
	size_t n = nl ? (size_t)(nl - buf) : len;

	*complete = nl != NULL;
	if (p->line_len + n > sizeof(p->line)) {
		p->line_len = sizeof(p->line) + 1; /* marks "too long" */
		return nl ? n + 1 : len;
	}
	memcpy(p->line + p->line_len, buf, n);
	p->line_len += n;
	return nl ? n + 1 : len;
}

enum http_parse_result http_parse(struct http_parser *p, const char *buf, size_t len,
				  http_body_fn body, void *data)
{
	while (len) {
		if (p->state == HTTP_PS_DONE)
			return HTTP_PARSE_DONE;
		if (p->state == HTTP_PS_ERROR)
			return HTTP_PARSE_ERROR;
		if (line_state(p->state)) {
			bool complete;
			size_t used = take_line(p, buf, len, &complete);
			size_t n = p->line_len;
			enum http_parse_result r;

			buf += used;
			len -= used;
			if (!complete)
				continue;
			p->line_len = 0;
			if (n > sizeof(p->line))
				return fail(p, "line too long");
			if (n && p->line[n - 1] == '\r')
				n--;
			r = parse_line(p, p->line, n);
			if (r != HTTP_PARSE_MORE)
				return r;
			continue;
		}
		/* Body bytes. */
		size_t n = len;

		if (p->state != HTTP_PS_BODY_EOF && n > p->remaining)
			n = (size_t)p->remaining;
		if (body && n)
			body(data, buf, n);
		p->body_len += n;
		buf += n;
		len -= n;
		if (p->state == HTTP_PS_BODY_EOF)
			continue;
		p->remaining -= n;
		if (p->remaining)
			continue;
		if (p->state == HTTP_PS_BODY_LENGTH) {
			p->state = HTTP_PS_DONE;
			return HTTP_PARSE_DONE;
		}
		p->state = HTTP_PS_CHUNK_END;
	}
	if (p->state == HTTP_PS_DONE)
		return HTTP_PARSE_DONE;
	return p->state == HTTP_PS_ERROR ? HTTP_PARSE_ERROR : HTTP_PARSE_MORE;
}

enum http_parse_result http_parse_eof(struct http_parser *p)
{
	switch (p->state) {
	case HTTP_PS_DONE:
		return HTTP_PARSE_DONE;
	case HTTP_PS_BODY_EOF:
		p->state = HTTP_PS_DONE;
		return HTTP_PARSE_DONE;
	case HTTP_PS_ERROR:
		return HTTP_PARSE_ERROR;
	case HTTP_PS_STATUS:
		if (!p->line_len)
			return fail(p, "connection closed before any response");
		/* fall through */
	default:
		return fail(p, p->have_status ? "connection closed before the end of the body"
					      : "connection closed before the end of the headers");
	}
}
