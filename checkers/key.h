/* What makes two checkers "the same check": a canonical byte string of
 * every parameter that changes what a probe sends, how its answer is
 * judged, when it runs and where it goes. Pure.
 *
 * Real servers whose checkers have equal keys share one probe (engine.c),
 * and a reload keeps a check (state and schedule) exactly when its key is
 * unchanged. MISC_CHECK and FILE_CHECK do not probe an address, so their
 * keys leave the real server out: the same script or file serves all.
 */
#ifndef VIGIL_CHECKERS_KEY_H
#define VIGIL_CHECKERS_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "parser/config.h"

/* Room for a usual key (TCP_CHECK: 97 bytes) where the key is built, on
 * the stack: a reload builds one per checker, and malloc was a third of
 * its cost. Longer keys (long URLs, several of them) go to the heap. */
#define CHECK_KEY_INLINE 192

/* Build with check_key_build(), release with check_key_free(); never copy
 * (bytes may point into the struct itself). */
struct check_key {
	char *bytes; /* inline_bytes, or malloc'd; not NUL-terminated */
	size_t len, cap;
	uint64_t hash;
	bool failed;
	char inline_bytes[CHECK_KEY_INLINE];
};

/* The address and port probed: connect_ip/connect_port, else the real
 * server's. */
void check_target(const struct lvs_checker *c, const struct lvs_real_server *rs, struct vaddr *addr,
		  uint16_t *port);

/* The path of FILE_CHECK's track_file, or NULL when the name is unknown. */
const char *check_track_file_path(const struct vigil_config *cfg, const struct lvs_checker *c);

/* Build @c's key (checking @rs of @cfg) into @out (which need not be
 * initialised). 0, or -ENOMEM (nothing to free then). */
int check_key_build(const struct vigil_config *cfg, const struct lvs_real_server *rs,
		    const struct lvs_checker *c, struct check_key *out);

/* Whether two built keys are equal (and so their checks one probe). */
bool check_key_equal(const struct check_key *a, const struct check_key *b);

/* Release what check_key_build() allocated. NULL is fine. */
void check_key_free(struct check_key *k);

#endif
