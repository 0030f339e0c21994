/* The TLS client side of SSL_GET, over OpenSSL: one context per engine,
 * built from the config's SSL block as keepalived does (no block: a
 * context that does not verify the server, as keepalived's default). */
#ifndef VIGIL_CHECKERS_TLS_H
#define VIGIL_CHECKERS_TLS_H

#include "parser/conf_lvs.h"

/* An SSL_CTX * (as void *, so users need no OpenSSL headers), or NULL with
 * the reason logged. */
void *tls_ctx_new(const struct lvs_ssl_conf *conf);
void tls_ctx_free(void *ctx);

#endif
