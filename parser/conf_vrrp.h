/* Model of the VRRP side: vrrp_instance, vrrp_sync_group, vrrp_script,
 * track files and processes, static addresses/routes/rules. */
#ifndef VIGIL_PARSER_CONF_VRRP_H
#define VIGIL_PARSER_CONF_VRRP_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "parser/diag.h"

struct vrrp_instance_conf;

struct vrrp_conf {
	struct vrrp_instance_conf *instances;
	unsigned n_instances;
};

#endif
