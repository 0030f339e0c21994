/* OpenSSL client context for SSL_GET (see tls.h). */
#include "build-config.h"

#include <string.h>

#include "checkers/tls.h"
#include "daemon/log.h"
#include "lib/dlopen_ssl.h"

static int tls_password_cb(char *buf, int size, int rwflag, void *data)
{
	const char *pw = data;
	size_t n = strlen(pw);

	if (n >= (size_t)size)
		return 0;
	memcpy(buf, pw, n + 1);
	return (int)n;
}

static void tls_log_error(const char *what, const char *path)
{
	const struct dlopen_crypto *c = dlopen_crypto(NULL, 0);
	char e[256];

	c->ERR_error_string_n(c->ERR_get_error(), e, sizeof(e));
	log_err("SSL_GET: %s %s: %s", what, path, e);
	c->ERR_clear_error();
}

void *tls_ctx_new(const struct lvs_ssl_conf *conf)
{
	char why[256];
	const struct dlopen_ssl *s = dlopen_ssl(why, sizeof(why));
	SSL_CTX *ctx;

	if (!s) {
		log_err("SSL_GET: %s", why);
		return NULL;
	}
	ctx = s->SSL_CTX_new(s->TLS_client_method());
	if (!ctx) {
		log_err("SSL_GET: cannot create a TLS context");
		return NULL;
	}
	/* A server that closes without close_notify still gave us its whole
	 * response: that is an answer, not a failure. */
	s->SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	/* Sessions are resumed per check (http.c keeps the last one): a
	 * resumed handshake costs a fraction of a full one. This is
	 * SSL_CTX_set_session_cache_mode(), a macro. */
	s->SSL_CTX_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE,
			SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE, NULL);
	s->SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (!conf)
		return ctx;
	if (conf->password) {
		s->SSL_CTX_set_default_passwd_cb(ctx, tls_password_cb);
		s->SSL_CTX_set_default_passwd_cb_userdata(ctx, (void *)conf->password);
	}
	if (conf->ca) {
		if (s->SSL_CTX_load_verify_locations(ctx, conf->ca, NULL) != 1) {
			tls_log_error("cannot load CA", conf->ca);
			goto fail;
		}
		s->SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	if (conf->certificate &&
	    s->SSL_CTX_use_certificate_chain_file(ctx, conf->certificate) != 1) {
		tls_log_error("cannot load certificate", conf->certificate);
		goto fail;
	}
	if (conf->key && s->SSL_CTX_use_PrivateKey_file(ctx, conf->key, SSL_FILETYPE_PEM) != 1) {
		tls_log_error("cannot load key", conf->key);
		goto fail;
	}
	return ctx;
fail:
	s->SSL_CTX_free(ctx);
	return NULL;
}

void tls_ctx_free(void *ctx)
{
	/* A context means libssl is loaded. */
	if (ctx)
		dlopen_ssl(NULL, 0)->SSL_CTX_free(ctx);
}
