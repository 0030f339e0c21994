/* OpenSSL by dlopen() (see dlopen_ssl.h). */
#include "build-config.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/dlopen_ssl.h"

struct dlopen_sym {
	const char *name;
	size_t offset; /* of its field in the table */
};

#define CRYPTO_ENTRY(name) {#name, offsetof(struct dlopen_crypto, name)},
#define SSL_ENTRY(name) {#name, offsetof(struct dlopen_ssl, name)},

static const struct dlopen_sym crypto_syms[] = {DLOPEN_CRYPTO_SYMS(CRYPTO_ENTRY)};
static const struct dlopen_sym ssl_syms[] = {DLOPEN_SSL_SYMS(SSL_ENTRY)};

/* Process-wide, as the relocations the dynamic linker would have written
 * for a linked library are: filled once, then only read. vigil's processes
 * are single-threaded, and a child forked after the load inherits it. */
static struct dlopen_crypto crypto_table;
static struct dlopen_ssl ssl_table;
static bool crypto_loaded, ssl_loaded;

/* Resolve @n symbols of @soname into @table; on failure (-1) the table
 * is not to be used and the library is closed. */
static int load(const char *soname, const struct dlopen_sym *syms, size_t n, void *table, char *err,
		size_t len)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		/* dlerror() names the file and why: not found, wrong class... */
		snprintf(err, len, "cannot load OpenSSL's %s: %s", soname, dlerror());
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		void *f = dlsym(h, syms[i].name);

		if (!f) {
			snprintf(err, len,
				 "%s has no %s (older than the OpenSSL vigild was built with?)",
				 soname, syms[i].name);
			dlclose(h);
			return -1;
		}
		/* POSIX: a function pointer has the representation of void *. */
		memcpy((char *)table + syms[i].offset, &f, sizeof(f));
	}
	/* The handle is dropped, not closed: the table points into it. */
	return 0;
}

const struct dlopen_crypto *dlopen_crypto(char *err, size_t len)
{
	if (!crypto_loaded)
		crypto_loaded = load(DLOPEN_CRYPTO_SONAME, crypto_syms,
				     sizeof(crypto_syms) / sizeof(crypto_syms[0]), &crypto_table,
				     err, len) == 0;
	return crypto_loaded ? &crypto_table : NULL;
}

const struct dlopen_ssl *dlopen_ssl(char *err, size_t len)
{
	if (!ssl_loaded && dlopen_crypto(err, len))
		ssl_loaded =
		    load(DLOPEN_SSL_SONAME, ssl_syms, sizeof(ssl_syms) / sizeof(ssl_syms[0]),
			 &ssl_table, err, len) == 0;
	return ssl_loaded ? &ssl_table : NULL;
}
