/* Sending and receiving typed messages (msg.h) over a SOCK_SEQPACKET
 * socketpair, with a file descriptor attached when the type carries one. */
#ifndef VIGIL_DAEMON_CHANNEL_H
#define VIGIL_DAEMON_CHANNEL_H

#include "daemon/msg.h"

/* Make a connected pair (both ends close-on-exec). Returns 0 or -errno. */
int channel_pair(int fds[2]);

/* Send @m; @fd is attached when msg_fd_count(m->type) is 1 (else ignored).
 * Never blocks and never raises SIGPIPE. Returns 0 or -errno. */
int channel_send(int sock, const struct msg *m, int fd);

/* Receive one message. Returns:
 *   0        *m filled; *fd is the attached descriptor (caller owns it) or -1;
 *   -EPIPE   the peer closed its end;
 *   -EAGAIN  nothing to read;
 *   -EBADMSG the datagram failed validation: *why says why, it was dropped
 *            and any descriptors that came with it were closed;
 *   other negative errno on socket errors. */
int channel_recv(int sock, struct msg *m, int *fd, const char **why);

#endif
