/* SMTP replies for SMTP_CHECK, pure (RFC 5321 §4.2: "NNN-text" lines
 * continue a reply, "NNN text" or "NNN" ends it). */
#ifndef VIGIL_CHECKERS_SMTP_H
#define VIGIL_CHECKERS_SMTP_H

#include <stddef.h>

/* Look for one complete reply at the start of @buf. Returns 1 with its
 * code in *code and its length (through the last CRLF) in *used; 0 when
 * more bytes are needed; -1 when the text is not an SMTP reply. */
int smtp_reply_parse(const char *buf, size_t len, unsigned *code, size_t *used);

#endif
