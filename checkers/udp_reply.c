/* UDP_CHECK's reply rules (see udp.h). Pure. */
#include "build-config.h"

#include "checkers/udp.h"

int udp_reply_check(const struct lvs_udp_check *u, const uint8_t *buf, size_t len, const char **why)
{
	if (len < u->min_reply_length) {
		*why = "reply shorter than min_reply_length";
		return -1;
	}
	if (len > u->max_reply_length) {
		*why = "reply longer than max_reply_length";
		return -1;
	}
	if (!u->reply)
		return 0;
	if (len < u->reply_len) {
		*why = "reply shorter than the expected bytes";
		return -1;
	}
	for (unsigned i = 0; i < u->reply_len; i++) {
		uint8_t mask = u->reply_mask ? u->reply_mask[i] : 0xff;

		if ((buf[i] & mask) != (u->reply[i] & mask)) {
			*why = "reply does not match require_reply";
			return -1;
		}
	}
	return 0;
}
