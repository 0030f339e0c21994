/* DNS_CHECK's query and the checks on its answer, pure (RFC 1035 §4.1). */
#ifndef VIGIL_CHECKERS_DNS_PACKET_H
#define VIGIL_CHECKERS_DNS_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "parser/conf_lvs.h"

#define DNS_QUERY_MAX 512

/* RFC 1035 §3.2.2 / RFC 3596 type codes of enum lvs_dns_type. */
uint16_t dns_qtype(enum lvs_dns_type t);

/* A standard query (RD set) for @name ("." or "a.b.", the final dot
 * optional) of type @qtype, class IN, into @buf. Returns its length, or
 * -EINVAL for a name that is not valid (empty label, label over 63
 * octets, name over 255). */
int dns_query_encode(uint8_t *buf, size_t len, uint16_t id, const char *name, uint16_t qtype);

/* Judge a reply to the query @q (as encoded, @qlen bytes): 0 when it is the
 * answer to it (same id and question, QR set, RCODE NOERROR, at least one
 * answer record), else -1 with the reason in *why. */
int dns_reply_check(const uint8_t *q, size_t qlen, const uint8_t *r, size_t rlen, const char **why);

#endif
