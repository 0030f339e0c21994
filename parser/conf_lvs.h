/* Model of the LVS side: virtual_server, virtual_server_group, real_server
 * and the health checkers. */
#ifndef VIGIL_PARSER_CONF_LVS_H
#define VIGIL_PARSER_CONF_LVS_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "parser/diag.h"

struct vs_conf;

struct lvs_conf {
	struct vs_conf *virtual_servers;
	unsigned n_virtual_servers;
};

#endif
