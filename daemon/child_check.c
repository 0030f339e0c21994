/* The checker child. For now it only accepts config generations; the
 * health checkers (checkers/) and the IPVS table (ipvs/) plug in here. */
#include "build-config.h"

#include <stdio.h>

#include "daemon/child.h"

static int child_check_apply(struct child *c, const struct vigil_config *next, char *text,
			     size_t len)
{
	snprintf(text, len, "%u virtual server%s", next->lvs.n_virtual_servers,
		 next->lvs.n_virtual_servers == 1 ? "" : "s");
	log_info("applied configuration: %s", text);
	return 0;
}

const struct child_desc child_check_desc = {
    .ident = "vigild-check",
    .apply = child_check_apply,
};
