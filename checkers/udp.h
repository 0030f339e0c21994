/* UDP_CHECK's reply rules, pure. */
#ifndef VIGIL_CHECKERS_UDP_H
#define VIGIL_CHECKERS_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "parser/conf_lvs.h"

/* Whether @buf (@len bytes) is an acceptable reply: its length within
 * min_reply_length..max_reply_length, and starting with the expected
 * bytes where their mask is set (x nibbles in the config are wildcards).
 * 0, or -1 with the reason in *why. */
int udp_reply_check(const struct lvs_udp_check *u, const uint8_t *buf, size_t len,
		    const char **why);

#endif
