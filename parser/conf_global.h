/* Model of global_defs and the top-level daemon keywords. */
#ifndef VIGIL_PARSER_CONF_GLOBAL_H
#define VIGIL_PARSER_CONF_GLOBAL_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "parser/diag.h"

struct global_conf {
	const char *router_id;
};

#endif
