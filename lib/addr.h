/* IPv4/IPv6 addresses as one value type, shared by every module. */
#ifndef VIGIL_LIB_ADDR_H
#define VIGIL_LIB_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

struct vaddr {
	int family; /* AF_INET, AF_INET6, or 0 when unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* Longest text vaddr_format() writes, including the NUL. */
#define VADDR_STRLEN INET6_ADDRSTRLEN

/* Parse a numeric IPv4 or IPv6 address (no prefix). 0, or -EINVAL. */
int vaddr_parse(const char *s, struct vaddr *out);

/* Parse "ADDR[/LEN]". When no length is given, *prefix is the full length
 * (32 or 128) and *has_prefix false. 0, or -EINVAL. */
int vaddr_parse_prefix(const char *s, struct vaddr *out, unsigned *prefix, bool *has_prefix);

const char *vaddr_format(const struct vaddr *a, char *buf, size_t len);
bool vaddr_equal(const struct vaddr *a, const struct vaddr *b);
bool vaddr_is_unset(const struct vaddr *a);

#endif
