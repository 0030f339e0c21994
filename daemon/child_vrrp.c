/* The VRRP child. For now it only accepts config generations; the VRRP
 * instances (vrrp/) plug in here. */
#include "build-config.h"

#include <stdio.h>

#include "daemon/child.h"

static int child_vrrp_apply(struct child *c, const struct vigil_config *next, char *text,
			    size_t len)
{
	snprintf(text, len, "%u VRRP instance%s", next->vrrp.n_instances,
		 next->vrrp.n_instances == 1 ? "" : "s");
	log_info("applied configuration: %s", text);
	return 0;
}

const struct child_desc child_vrrp_desc = {
    .ident = "vigild-vrrp",
    .apply = child_vrrp_apply,
};
