/* What route_msg.c and rule_msg.c share. Not for use elsewhere. */
#ifndef VIGIL_VRRP_ROUTE_MSG_INTERNAL_H
#define VIGIL_VRRP_ROUTE_MSG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "parser/conf_addr.h"

struct nl_addr;

/* A whole decimal, octal or 0x number up to UINT32_MAX: 0 or -EINVAL. */
int vrrp_parse_u32(const char *s, uint32_t *out);
/* "realms [FROM/]TO" as RTA_FLOW / FRA_FLOW: 0 or -EINVAL. */
int vrrp_parse_realms(const char *s, uint32_t *out);
/* A route protocol by number or name: 0 or -EINVAL. */
int vrrp_parse_proto(const char *s, uint32_t *out);
/* @a/@prefix as an nl_addr (NULL on no memory); @a unset (or NULL) is the
 * zero address of @family with prefix 0 ("default", "all"). */
struct nl_addr *vrrp_nl_prefix(int family, const struct vaddr *a, unsigned prefix);

bool vrrp_opt_words_same(const struct vrrp_opt_words *a, const struct vrrp_opt_words *b);
bool vrrp_str_same(const char *a, const char *b);

#endif
