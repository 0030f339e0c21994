/* HTTP_GET and SSL_GET: fetch every url of the checker in turn, each on
 * its own connection, and judge each answer: status code in the url's set,
 * MD5 digest of the body, regex on the body. All must pass.
 *
 * A probe is a chain of callbacks on one io source: connect -> (TLS
 * handshake) -> send the request -> read and parse the response ->
 * judge -> next url or check_done(). When a url has neither digest nor
 * regex, the verdict is known from the status line and the connection is
 * dropped there, without reading the body. TLS sessions are resumed from
 * one probe to the next (tls.c keeps no cache of its own).
 */
#include "build-config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "checkers/check.h"
#include "checkers/http_parse.h"
#include "daemon/log.h"
#include "lib/dlopen_ssl.h"

/* Body bytes kept for a regex (keepalived's default regex_max_offset is
 * the whole buffer it reads; a health page is small). */
#define HTTP_REGEX_BODY_MAX (64 * 1024)
#define HTTP_READ_CHUNK 16384

enum http_step { HTTP_CONNECTING, HTTP_HANDSHAKE, HTTP_SENDING, HTTP_RECEIVING };

/* Lasting per check. */
struct http_priv {
	regex_t *regexes; /* one per url; re_nsub unused; NULL entries have none */
	bool *has_regex;
	char **reqs; /* the request of each url, built once: what it depends on
		      * (path, host, protocol, target) is in the check's key */
	size_t *req_lens;
	unsigned n_urls;
	SSL_SESSION *session;
	/* OpenSSL, loaded by http_init() when the check needs it: libssl for
	 * SSL_GET, libcrypto for SSL_GET or a digest; else NULL. */
	const struct dlopen_ssl *ssl;
	const struct dlopen_crypto *crypto;
};

/* One probe in flight. */
struct http_probe {
	unsigned url_index;
	enum http_step step;
	/* Plain HTTP watches its socket once, edge-triggered, for both
	 * directions: no epoll_ctl() to switch from the connect to the
	 * answer, and no read that can only say EAGAIN right after the
	 * request went out. */
	bool edge;
	SSL *ssl;
	size_t req_off;
	EVP_MD_CTX *md;
	const struct dlopen_crypto *crypto; /* the check's, for http_body() */
	char *body;
	size_t body_len;
	bool need_body;
	/* Last: http_probe_new() zeroes what comes before it, not its 8 KB
	 * line buffer. */
	struct http_parser parser;
};

static bool http_is_ssl(const struct check *ck)
{
	return ck->conf->type == LVS_CHECK_SSL;
}

static const struct lvs_url *http_url(const struct check *ck, unsigned index)
{
	const struct lvs_url *u = ck->conf->u.http.urls;

	while (u && index--)
		u = u->next;
	return u;
}

static void http_probe_free(struct check *ck)
{
	struct http_probe *p = ck->probe;
	struct http_priv *priv = ck->priv;

	if (!p)
		return;
	if (p->ssl)
		priv->ssl->SSL_free(p->ssl);
	if (p->md)
		priv->crypto->EVP_MD_CTX_free(p->md);
	free(p->body);
	free(p);
	ck->probe = NULL;
}

/* End the probe: free it and report. */
#define http_fail(ck, ...)                                                                         \
	do {                                                                                       \
		http_probe_free(ck);                                                               \
		check_done(ck, false, __VA_ARGS__);                                                \
	} while (0)

static const char *http_ssl_error(const struct dlopen_crypto *c, char *buf, size_t len)
{
	unsigned long e = c->ERR_get_error();

	if (!e)
		snprintf(buf, len, "%s", errno ? strerror(errno) : "connection closed");
	else
		c->ERR_error_string_n(e, buf, len);
	c->ERR_clear_error();
	return buf;
}

static int http_build_request(struct check *ck, const struct lvs_url *u, char **req,
			      size_t *req_len)
{
	const struct lvs_http_check *h = &ck->conf->u.http;
	char host[INET6_ADDRSTRLEN + 16];
	const char *version = h->protocol == LVS_HTTP_1_1 ? "1.1" : "1.0";
	const char *close = h->protocol == LVS_HTTP_1_0 ? "" : "Connection: close\r\n";
	int n;

	if (u->virtualhost) {
		snprintf(host, sizeof(host), "%s", u->virtualhost);
	} else {
		char a[INET6_ADDRSTRLEN];
		union check_sockaddr dst;
		uint16_t port;
		bool v6;

		check_dst(ck, &dst);
		v6 = dst.sa.sa_family == AF_INET6;
		inet_ntop(dst.sa.sa_family,
			  v6 ? (const void *)&dst.in6.sin6_addr : (const void *)&dst.in.sin_addr, a,
			  sizeof(a));
		port = ntohs(v6 ? dst.in6.sin6_port : dst.in.sin_port);
		if (port == (http_is_ssl(ck) ? 443 : 80))
			snprintf(host, sizeof(host), v6 ? "[%s]" : "%s", a);
		else
			snprintf(host, sizeof(host), v6 ? "[%s]:%u" : "%s:%u", a, port);
	}
	n = asprintf(req,
		     "GET %s HTTP/%s\r\n"
		     "User-Agent: vigil\r\n"
		     "Host: %s\r\n"
		     "%s"
		     "\r\n",
		     u->path, version, host, close);
	if (n < 0) {
		*req = NULL;
		return -ENOMEM;
	}
	*req_len = (size_t)n;
	return 0;
}

static int http_io(sd_event_source *s, int fd, uint32_t revents, void *data);
static void http_url_begin(struct check *ck);

/* Wait for @events (a TLS call's WANT_READ/WANT_WRITE, or the socket's).
 * Plain HTTP: the one edge-triggered watch waits for whatever comes. */
static void http_wait(struct check *ck, uint32_t events)
{
	struct http_probe *p = ck->probe;
	int r;

	if (p->edge && ck->io_cb)
		return;
	r = p->edge ? check_watch(ck, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, http_io)
		    : check_watch(ck, events, http_io);

	if (r < 0)
		http_fail(ck, "cannot watch the socket: %s", strerror(-r));
}

/* Keep a good exchange's session for the next probe. We drop the
 * connection without close_notify (it would cost a write and a wait), and
 * OpenSSL marks the session of a connection freed that way as not
 * resumable: declare the shutdown done so the session stays usable. */
static void http_keep_session(SSL *ssl, struct http_priv *priv)
{
	const struct dlopen_ssl *s = priv->ssl;
	SSL_SESSION *sess;

	s->SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
	sess = s->SSL_get1_session(ssl);
	if (sess && s->SSL_SESSION_is_resumable(sess)) {
		s->SSL_SESSION_free(priv->session);
		priv->session = sess;
	} else {
		s->SSL_SESSION_free(sess);
	}
}

static void http_judge(struct check *ck)
{
	struct http_probe *p = ck->probe;
	struct http_priv *priv = ck->priv;
	const struct lvs_url *u = http_url(ck, p->url_index);
	unsigned status = p->parser.status;

	if (!lvs_status_has(&u->status_codes, status)) {
		http_fail(ck, "%s: HTTP status %u", u->path, status);
		return;
	}
	if (u->has_digest) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		char hex[33];

		priv->crypto->EVP_DigestFinal_ex(p->md, md, &mdlen);
		if (mdlen != 16 || memcmp(md, u->digest, 16) != 0) {
			for (unsigned i = 0; i < 16 && i < mdlen; i++)
				snprintf(hex + 2 * i, 3, "%02x", md[i]);
			http_fail(ck, "%s: MD5 digest of the body is %s, not the expected one",
				  u->path, hex);
			return;
		}
	}
	if (priv->has_regex[p->url_index]) {
		bool match;

		p->body[p->body_len] = '\0';
		match = regexec(&priv->regexes[p->url_index], p->body, 0, NULL, 0) == 0;
		if (match == u->regex_no_match) {
			http_fail(ck, "%s: body %s regex '%s'", u->path,
				  match ? "matches" : "does not match", u->regex);
			return;
		}
	}
	if (p->ssl)
		http_keep_session(p->ssl, priv);
	if (u->next) {
		p->url_index++;
		check_close(ck);
		if (p->ssl)
			priv->ssl->SSL_free(p->ssl);
		p->ssl = NULL;
		http_url_begin(ck);
		return;
	}
	http_probe_free(ck);
	check_done(ck, true, NULL);
}

static void http_body(void *data, const char *buf, size_t len)
{
	struct http_probe *p = data;

	if (p->md)
		p->crypto->EVP_DigestUpdate(p->md, buf, len);
	if (p->body && p->body_len < HTTP_REGEX_BODY_MAX) {
		size_t n = len < HTTP_REGEX_BODY_MAX - p->body_len
			       ? len
			       : HTTP_REGEX_BODY_MAX - p->body_len;

		memcpy(p->body + p->body_len, buf, n);
		p->body_len += n;
	}
}

static void http_receive(struct check *ck)
{
	struct http_probe *p = ck->probe;
	const struct http_priv *priv = ck->priv;
	char buf[HTTP_READ_CHUNK];

	for (;;) {
		enum http_parse_result r;
		ssize_t n;

		if (p->ssl) {
			int e;

			priv->crypto->ERR_clear_error();
			n = priv->ssl->SSL_read(p->ssl, buf, sizeof(buf));
			if (n <= 0) {
				e = priv->ssl->SSL_get_error(p->ssl, (int)n);
				if (e == SSL_ERROR_WANT_READ) {
					http_wait(ck, EPOLLIN);
					return;
				}
				if (e == SSL_ERROR_WANT_WRITE) {
					http_wait(ck, EPOLLOUT);
					return;
				}
				if (e != SSL_ERROR_ZERO_RETURN) {
					char why[160];

					http_fail(ck, "TLS read: %s",
						  http_ssl_error(priv->crypto, why, sizeof(why)));
					return;
				}
				n = 0;
			}
		} else {
			n = recv(ck->fd, buf, sizeof(buf), 0);
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				http_wait(ck, EPOLLIN);
				return;
			}
			if (n < 0) {
				http_fail(ck, "read: %s", strerror(errno));
				return;
			}
		}
		check_set_deadline(ck, ck->conf->connect_timeout_us);
		r = n ? http_parse(&p->parser, buf, (size_t)n, http_body, p)
		      : http_parse_eof(&p->parser);
		if (r == HTTP_PARSE_ERROR) {
			http_fail(ck, "%s: bad response: %s", http_url(ck, p->url_index)->path,
				  p->parser.error);
			return;
		}
		if (r == HTTP_PARSE_DONE || (p->parser.have_status && !p->need_body)) {
			http_judge(ck);
			return;
		}
	}
}

static void http_send(struct check *ck)
{
	struct http_probe *p = ck->probe;
	struct http_priv *priv = ck->priv;
	const char *req = priv->reqs[p->url_index];
	size_t req_len = priv->req_lens[p->url_index];

	while (p->req_off < req_len) {
		ssize_t n;

		if (p->ssl) {
			priv->crypto->ERR_clear_error();
			n = priv->ssl->SSL_write(p->ssl, req + p->req_off,
						 (int)(req_len - p->req_off));
			if (n <= 0) {
				int e = priv->ssl->SSL_get_error(p->ssl, (int)n);
				char why[160];

				if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
					http_wait(ck,
						  e == SSL_ERROR_WANT_READ ? EPOLLIN : EPOLLOUT);
					return;
				}
				http_fail(ck, "TLS write: %s",
					  http_ssl_error(priv->crypto, why, sizeof(why)));
				return;
			}
		} else {
			n = send(ck->fd, req + p->req_off, req_len - p->req_off, MSG_NOSIGNAL);
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				http_wait(ck, EPOLLOUT);
				return;
			}
			if (n < 0) {
				http_fail(ck, "write: %s", strerror(errno));
				return;
			}
		}
		p->req_off += (size_t)n;
	}
	p->step = HTTP_RECEIVING;
	ck->phase = "waiting for the response";
	if (p->edge) {
		/* The answer cannot be there yet: wait for its edge. */
		http_wait(ck, EPOLLIN);
		return;
	}
	http_receive(ck);
}

static void http_handshake(struct check *ck)
{
	struct http_probe *p = ck->probe;
	const struct http_priv *priv = ck->priv;
	int r, e;
	char why[160];

	priv->crypto->ERR_clear_error();
	r = priv->ssl->SSL_connect(p->ssl);
	if (r == 1) {
		p->step = HTTP_SENDING;
		ck->phase = "sending the request";
		http_send(ck);
		return;
	}
	e = priv->ssl->SSL_get_error(p->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		http_wait(ck, e == SSL_ERROR_WANT_READ ? EPOLLIN : EPOLLOUT);
		return;
	}
	http_fail(ck, "TLS handshake: %s", http_ssl_error(priv->crypto, why, sizeof(why)));
}

static void http_connected(struct check *ck)
{
	struct http_probe *p = ck->probe;
	struct http_priv *priv = ck->priv;
	const struct lvs_url *u = http_url(ck, p->url_index);
	SSL_CTX *ctx;

	if (!http_is_ssl(ck)) {
		p->step = HTTP_SENDING;
		ck->phase = "sending the request";
		http_send(ck);
		return;
	}
	ctx = checkers_tls_ctx(ck->engine);
	p->ssl = ctx ? priv->ssl->SSL_new(ctx) : NULL;
	if (!p->ssl || priv->ssl->SSL_set_fd(p->ssl, ck->fd) != 1) {
		http_fail(ck, "cannot set up TLS");
		return;
	}
	/* SSL_set_tlsext_host_name(), a macro. */
	if (ck->conf->u.http.enable_sni && u->virtualhost)
		priv->ssl->SSL_ctrl(p->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
				    (void *)u->virtualhost);
	if (priv->session)
		priv->ssl->SSL_set_session(p->ssl, priv->session);
	p->step = HTTP_HANDSHAKE;
	ck->phase = "in the TLS handshake";
	http_handshake(ck);
}

static int http_io(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct check *ck = data;
	struct http_probe *p = ck->probe;
	int err;

	switch (p->step) {
	case HTTP_CONNECTING:
		/* As in tcp.c: a failed connect comes with EPOLLERR. */
		err = revents & (EPOLLERR | EPOLLHUP) ? check_socket_error(fd) : 0;
		if (err)
			http_fail(ck, "connect: %s", strerror(err));
		else
			http_connected(ck);
		break;
	case HTTP_HANDSHAKE:
		http_handshake(ck);
		break;
	case HTTP_SENDING:
		http_send(ck);
		break;
	case HTTP_RECEIVING:
		http_receive(ck);
		break;
	}
	return 0;
}

/* Connect for the current url. */
static void http_url_begin(struct check *ck)
{
	struct http_probe *p = ck->probe;
	struct http_priv *priv = ck->priv;
	const struct lvs_url *u = http_url(ck, p->url_index);
	int r;

	p->req_off = 0;
	p->edge = !http_is_ssl(ck);
	http_parser_init(&p->parser);
	p->body_len = 0;
	p->need_body = u->has_digest || priv->has_regex[p->url_index];
	if (u->has_digest) {
		const struct dlopen_crypto *c = priv->crypto;

		p->crypto = c;
		if (!p->md)
			p->md = c->EVP_MD_CTX_new();
		if (!p->md || c->EVP_DigestInit_ex(p->md, c->EVP_md5(), NULL) != 1) {
			http_fail(ck, "cannot compute MD5");
			return;
		}
	}
	if (priv->has_regex[p->url_index] && !p->body) {
		p->body = malloc(HTTP_REGEX_BODY_MAX + 1);
		if (!p->body) {
			http_fail(ck, "out of memory");
			return;
		}
	}
	check_set_deadline(ck, ck->conf->connect_timeout_us);
	r = check_connect(ck, SOCK_STREAM, IPPROTO_TCP);
	if (r < 0) {
		http_fail(ck, "connect: %s", strerror(-r));
		return;
	}
	if (r == 0) {
		http_connected(ck);
		return;
	}
	p->step = HTTP_CONNECTING;
	ck->phase = "connecting";
	http_wait(ck, EPOLLOUT);
}

static void http_start(struct check *ck)
{
	/* Not calloc(): the parser's line buffer needs no zeroing. */
	struct http_probe *p = malloc(sizeof(*p));

	if (!p) {
		check_done(ck, false, "out of memory");
		return;
	}
	memset(p, 0, offsetof(struct http_probe, parser));
	ck->probe = p;
	http_url_begin(ck);
}

static void http_cancel(struct check *ck)
{
	http_probe_free(ck);
	check_close(ck);
}

static void http_fini(struct check *ck)
{
	struct http_priv *priv = ck->priv;

	if (!priv)
		return;
	for (unsigned i = 0; i < priv->n_urls; i++) {
		if (priv->has_regex && priv->has_regex[i])
			regfree(&priv->regexes[i]);
		if (priv->reqs)
			free(priv->reqs[i]);
	}
	free(priv->regexes);
	free(priv->has_regex);
	free(priv->reqs);
	free(priv->req_lens);
	if (priv->session)
		priv->ssl->SSL_SESSION_free(priv->session);
	free(priv);
	ck->priv = NULL;
}

/* Load what the check needs of OpenSSL now, at configuration time: a
 * missing library is then said once, with the check's name. */
static int http_load_openssl(struct check *ck)
{
	struct http_priv *priv = ck->priv;
	bool digest = false;
	char why[256];

	for (const struct lvs_url *u = ck->conf->u.http.urls; u; u = u->next)
		digest |= u->has_digest;
	if (http_is_ssl(ck) && !(priv->ssl = dlopen_ssl(why, sizeof(why)))) {
		log_err("%s: %s: the check stays down", check_name(ck), why);
		return -1;
	}
	if ((http_is_ssl(ck) || digest) && !(priv->crypto = dlopen_crypto(why, sizeof(why)))) {
		log_err("%s: digest: %s: the check stays down", check_name(ck), why);
		return -1;
	}
	return 0;
}

static int http_init(struct check *ck)
{
	const struct lvs_http_check *h = &ck->conf->u.http;
	struct http_priv *priv = calloc(1, sizeof(*priv));
	unsigned i = 0;

	if (!priv)
		return -ENOMEM;
	ck->priv = priv;
	priv->regexes = calloc(h->n_urls ? h->n_urls : 1, sizeof(*priv->regexes));
	priv->has_regex = calloc(h->n_urls ? h->n_urls : 1, sizeof(*priv->has_regex));
	priv->reqs = calloc(h->n_urls ? h->n_urls : 1, sizeof(*priv->reqs));
	priv->req_lens = calloc(h->n_urls ? h->n_urls : 1, sizeof(*priv->req_lens));
	if (!priv->regexes || !priv->has_regex || !priv->reqs || !priv->req_lens) {
		http_fini(ck);
		return -ENOMEM;
	}
	priv->n_urls = h->n_urls;
	if (http_load_openssl(ck) < 0) {
		http_fini(ck);
		return -EINVAL;
	}
	for (const struct lvs_url *u = h->urls; u && i < h->n_urls; u = u->next, i++) {
		int r;

		if (http_build_request(ck, u, &priv->reqs[i], &priv->req_lens[i]) < 0) {
			http_fini(ck);
			return -ENOMEM;
		}
		if (!u->regex)
			continue;
		r = regcomp(&priv->regexes[i], u->regex, REG_EXTENDED | REG_NOSUB);
		if (r) {
			char why[128];

			regerror(r, &priv->regexes[i], why, sizeof(why));
			log_err("%s: url %s: bad regex '%s': %s: the check stays down", check_name(ck),
				u->path, u->regex, why);
			http_fini(ck);
			return -EINVAL;
		}
		priv->has_regex[i] = true;
	}
	if (!h->urls) {
		log_err("%s: no url: the check stays down", check_name(ck));
		http_fini(ck);
		return -EINVAL;
	}
	return 0;
}

const struct check_type check_type_http = {
    .kind = LVS_CHECK_HTTP,
    .init = http_init,
    .fini = http_fini,
    .start = http_start,
    .cancel = http_cancel,
};
