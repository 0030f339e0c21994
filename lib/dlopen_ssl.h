/* OpenSSL, loaded with dlopen() the first time a configuration needs it.
 *
 * Three features use OpenSSL: SSL_GET (checkers/tls.c, checkers/http.c),
 * HTTP_GET's body digest (checkers/http.c, MD5) and VRRP AH (vrrp/ah.c,
 * HMAC-MD5). Most configurations use none of them, yet linking the
 * libraries cost every exec of vigild about 4 M instructions of relocation
 * and put libcrypto's pages in every child's RSS (docs/benchmarks.md). So
 * vigild links neither library: the few functions vigil calls are resolved
 * into the tables below, as systemd does for its optional libraries.
 *
 * The tables are typed from OpenSSL's own headers (libssl-dev at build
 * time), so a call with the wrong arguments is a compile error, as with a
 * linked library. Macros that stand for a call (SSL_set_tlsext_host_name(),
 * SSL_CTX_set_session_cache_mode()) are written out by their users as the
 * SSL_ctrl() / SSL_CTX_ctrl() call the header would make.
 */
#ifndef VIGIL_LIB_DLOPEN_SSL_H
#define VIGIL_LIB_DLOPEN_SSL_H

#include <stddef.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/opensslv.h>
#include <openssl/ssl.h>

#define DLOPEN_SSL_STR_(x) #x
#define DLOPEN_SSL_STR(x) DLOPEN_SSL_STR_(x)
/* The sonames of the OpenSSL the headers belong to: OpenSSL 3 keeps one
 * ABI, and one soname, for every 3.x release. */
#define DLOPEN_CRYPTO_SONAME "libcrypto.so." DLOPEN_SSL_STR(OPENSSL_SHLIB_VERSION)
#define DLOPEN_SSL_SONAME "libssl.so." DLOPEN_SSL_STR(OPENSSL_SHLIB_VERSION)

/* Every function vigil calls, by library. Add one here, then call it
 * through the table. */
#define DLOPEN_CRYPTO_SYMS(X)                                                                      \
	X(CRYPTO_memcmp)                                                                           \
	X(ERR_clear_error)                                                                         \
	X(ERR_error_string_n)                                                                      \
	X(ERR_get_error)                                                                           \
	X(EVP_DigestFinal_ex)                                                                      \
	X(EVP_DigestInit_ex)                                                                       \
	X(EVP_DigestUpdate)                                                                        \
	X(EVP_MD_CTX_free)                                                                         \
	X(EVP_MD_CTX_new)                                                                          \
	X(EVP_md5)                                                                                 \
	X(HMAC)

#define DLOPEN_SSL_SYMS(X)                                                                         \
	X(SSL_CTX_ctrl)                                                                            \
	X(SSL_CTX_free)                                                                            \
	X(SSL_CTX_load_verify_locations)                                                           \
	X(SSL_CTX_new)                                                                             \
	X(SSL_CTX_set_default_passwd_cb)                                                           \
	X(SSL_CTX_set_default_passwd_cb_userdata)                                                  \
	X(SSL_CTX_set_options)                                                                     \
	X(SSL_CTX_set_verify)                                                                      \
	X(SSL_CTX_use_PrivateKey_file)                                                             \
	X(SSL_CTX_use_certificate_chain_file)                                                      \
	X(SSL_SESSION_free)                                                                        \
	X(SSL_SESSION_is_resumable)                                                                \
	X(SSL_connect)                                                                             \
	X(SSL_ctrl)                                                                                \
	X(SSL_free)                                                                                \
	X(SSL_get1_session)                                                                        \
	X(SSL_get_error)                                                                           \
	X(SSL_new)                                                                                 \
	X(SSL_read)                                                                                \
	X(SSL_set_fd)                                                                              \
	X(SSL_set_session)                                                                         \
	X(SSL_set_shutdown)                                                                        \
	X(SSL_write)                                                                               \
	X(TLS_client_method)

/* A field per function, named as the function, typed from its prototype. */
#define DLOPEN_SSL_FIELD(name) __typeof__(&name) name;

struct dlopen_crypto {
	DLOPEN_CRYPTO_SYMS(DLOPEN_SSL_FIELD)
};

struct dlopen_ssl {
	DLOPEN_SSL_SYMS(DLOPEN_SSL_FIELD)
};

/* libcrypto's table, loaded by the first call and shared by the process
 * afterwards (the library is never unloaded: the table stays valid). On
 * failure: NULL, and @err (@len bytes; NULL and 0 for none) names the library or
 * the function that is missing; a later call tries again. */
const struct dlopen_crypto *dlopen_crypto(char *err, size_t len);

/* The same for libssl (which loads libcrypto too: the caller may then take
 * dlopen_crypto() as well, and it will not fail). */
const struct dlopen_ssl *dlopen_ssl(char *err, size_t len);

#endif
