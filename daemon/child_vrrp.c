/* The VRRP child: runs the VRRP subsystem (vrrp/vrrp.h) on the child's
 * event loop, hands it each configuration generation, reports instance
 * state changes to the parent, and gives up VIPs when stopping. */
#include "build-config.h"

#include <stdio.h>
#include <string.h>

#include "daemon/channel.h"
#include "daemon/child.h"
#include "vrrp/instance.h"
#include "vrrp/vrrp.h"

static void child_vrrp_state_changed(void *data, const struct vrrp_instance *inst,
				     enum vrrp_state state)
{
	struct child *c = data;
	struct msg m = {.type = MSG_STATE};
	int rc;

	m.u.state.kind = MSG_STATE_VRRP_INSTANCE;
	m.u.state.value = (uint32_t)state;
	snprintf(m.u.state.name, sizeof(m.u.state.name), "%s", vrrp_instance_name(inst));
	rc = channel_send(c->sock, &m, -1);
	if (rc < 0)
		log_debug("cannot report the state of %s to the parent: %s",
			  vrrp_instance_name(inst), strerror(-rc));
}

static int child_vrrp_apply(struct child *c, const struct vigil_config *next, char *text,
			    size_t len)
{
	struct vrrp *v = c->priv;
	int rc;

	if (!v) {
		const struct vrrp_hooks hooks = {
		    .state_changed = child_vrrp_state_changed,
		    .data = c,
		};

		rc = vrrp_new(c->event, &hooks, &v);
		if (rc < 0) {
			snprintf(text, len, "cannot start the VRRP subsystem: %s", strerror(-rc));
			return rc;
		}
		c->priv = v;
	}
	return vrrp_apply(v, c->cfg, next, text, len);
}

static void child_vrrp_stop(struct child *c)
{
	struct vrrp *v = c->priv;

	if (!v)
		return;
	vrrp_shutdown(v);
	vrrp_free(v);
	c->priv = NULL;
}

const struct child_desc child_vrrp_desc = {
    .ident = "vigild-vrrp",
    .apply = child_vrrp_apply,
    .stop = child_vrrp_stop,
};
