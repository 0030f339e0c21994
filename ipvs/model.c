#include "build-config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs/model.h"

static int addr_cmp(const struct vaddr *a, const struct vaddr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->family == AF_INET)
		return memcmp(&a->u.v4, &b->u.v4, 4);
	if (a->family == AF_INET6)
		return memcmp(&a->u.v6, &b->u.v6, 16);
	return 0;
}

#define CMP(x, y)                         \
	do {                              \
		if ((x) != (y))           \
			return (x) < (y) ? -1 : 1; \
	} while (0)

int ipvs_key_cmp(const struct ipvs_service_key *a, const struct ipvs_service_key *b)
{
	CMP(a->af, b->af);
	CMP(a->fwmark, b->fwmark);
	CMP(a->protocol, b->protocol);
	CMP(a->port, b->port);
	return a->fwmark ? 0 : addr_cmp(&a->addr, &b->addr);
}

int ipvs_dest_key_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	CMP(a->port, b->port);
	return addr_cmp(&a->addr, &b->addr);
}

static const char *proto_name(uint16_t p)
{
	switch (p) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_SCTP:
		return "SCTP";
	default:
		return "?";
	}
}

static const char *addr_port(const struct vaddr *a, uint16_t port, char *buf, size_t len)
{
	char ab[VADDR_STRLEN];

	vaddr_format(a, ab, sizeof(ab));
	snprintf(buf, len, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", ab, port);
	return buf;
}

const char *ipvs_key_format(const struct ipvs_service_key *k, char *buf, size_t len)
{
	char ap[VADDR_STRLEN + 8];

	if (k->fwmark)
		snprintf(buf, len, "FWM %u%s", k->fwmark, k->af == AF_INET6 ? " (IPv6)" : "");
	else
		snprintf(buf, len, "%s %s", proto_name(k->protocol),
			 addr_port(&k->addr, k->port, ap, sizeof(ap)));
	return buf;
}

const char *ipvs_dest_format(const struct ipvs_dest *d, char *buf, size_t len)
{
	return addr_port(&d->addr, d->port, buf, len);
}

void ipvs_table_free(struct ipvs_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nservices; i++)
		free(t->services[i].dests);
	free(t->services);
	t->services = NULL;
	t->nservices = 0;
}
