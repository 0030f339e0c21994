#include "build-config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/addr.h"

int vaddr_parse(const char *s, struct vaddr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, &out->u.v4) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &out->u.v6) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

int vaddr_parse_prefix(const char *s, struct vaddr *out, unsigned *prefix, bool *has_prefix)
{
	const char *slash = strchr(s, '/');
	char buf[VADDR_STRLEN];
	unsigned long len, max;
	char *end;

	if (!slash) {
		if (vaddr_parse(s, out) < 0)
			return -EINVAL;
		*prefix = out->family == AF_INET ? 32 : 128;
		*has_prefix = false;
		return 0;
	}
	if ((size_t)(slash - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (vaddr_parse(buf, out) < 0)
		return -EINVAL;
	max = out->family == AF_INET ? 32 : 128;
	if (!slash[1] || slash[1] == '-' || slash[1] == '+')
		return -EINVAL;
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (errno || *end || len > max)
		return -EINVAL;
	*prefix = (unsigned)len;
	*has_prefix = true;
	return 0;
}

const char *vaddr_format(const struct vaddr *a, char *buf, size_t len)
{
	if (!a->family || !inet_ntop(a->family, &a->u, buf, (socklen_t)len))
		snprintf(buf, len, "(none)");
	return buf;
}

bool vaddr_equal(const struct vaddr *a, const struct vaddr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	if (a->family == AF_INET6)
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6)) == 0;
	return true;
}

bool vaddr_is_unset(const struct vaddr *a)
{
	return a->family == 0;
}
