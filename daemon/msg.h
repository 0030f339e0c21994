/* Typed messages between vigild and its children (pure codec, no I/O).
 *
 * Messages travel over SOCK_SEQPACKET socketpairs, so one datagram is one
 * message. Wire format (host byte order: both ends are the same binary on
 * the same host):
 *
 *   u8 version (MSG_VERSION) | u8 type | u16 reserved (0) | u32 length
 *   then a fixed body per type, then (APPLIED, STATE) a text of the length
 *   the body states.
 *
 * msg_decode() accepts a message only when every field checks out; callers
 * log the reason it returns and drop the message.
 */
#ifndef VIGIL_DAEMON_MSG_H
#define VIGIL_DAEMON_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MSG_VERSION 1
#define MSG_HEADER_SIZE 8
#define MSG_TEXT_MAX 256
/* Upper bound of an encoded message; receive buffers use this. */
#define MSG_MAX_SIZE 512

enum msg_type {
	/* parent -> child: a new config generation; carries its memfd. */
	MSG_CONFIG = 1,
	/* child -> parent: a generation was applied (or refused, with a reason). */
	MSG_APPLIED = 2,
	/* child -> parent: a state change (VRRP instance, real server).
	 * parent -> checker child: the VRRP child's instance states, relayed
	 * (lvs_sync_daemon follows its instance). */
	MSG_STATE = 3,
	/* parent -> child: exit cleanly now. */
	MSG_SHUTDOWN = 4,
};

/* Where a config generation lives: slot @slot of the reservation both
 * processes share by fork; the receiver maps @map_length bytes of the memfd
 * there, and the root struct vigil_config is at @root_offset. */
struct msg_config {
	uint64_t generation;
	uint32_t slot;
	uint64_t map_length;
	uint64_t root_offset;
};

struct msg_applied {
	uint64_t generation;
	int32_t error;		     /* 0 = applied, else a negative errno */
	char text[MSG_TEXT_MAX + 1]; /* why it failed, or a short summary; NUL-terminated */
};

enum msg_state_kind {
	MSG_STATE_VRRP_INSTANCE = 1, /* @name: instance, @value: enum msg_vrrp_state */
	MSG_STATE_REAL_SERVER = 2,   /* @name: "vs -> rs", @value: 1 up / 0 down */
};

/* A VRRP instance's state on the wire: the values of enum vrrp_state
 * (vrrp/fsm.h; daemon/child_check.c asserts they agree). msg_decode()
 * refuses any other value, and an empty name. */
enum msg_vrrp_state {
	MSG_VRRP_INIT = 0,
	MSG_VRRP_BACKUP = 1,
	MSG_VRRP_MASTER = 2,
	MSG_VRRP_FAULT = 3,
};

struct msg_state {
	uint32_t kind;
	uint32_t value;
	char name[MSG_TEXT_MAX + 1];
};

struct msg {
	enum msg_type type;
	union {
		struct msg_config config;
		struct msg_applied applied;
		struct msg_state state;
	} u;
};

/* Encode @m into @buf. Returns the encoded length, or -EINVAL (unknown type,
 * text too long) / -ENOBUFS (@len too small). */
ssize_t msg_encode(const struct msg *m, void *buf, size_t len);

/* Decode one received datagram of @len bytes that came with @nfds file
 * descriptors. Returns 0 and fills @out, or -EBADMSG with *why set to a
 * static reason ("truncated header", "unknown type 9", ...). */
int msg_decode(const void *buf, size_t len, unsigned nfds, struct msg *out, const char **why);

/* Number of file descriptors a message of @type carries. */
unsigned msg_fd_count(enum msg_type type);

/* "CONFIG", "APPLIED", ...; "unknown" otherwise. */
const char *msg_type_name(enum msg_type type);

#endif
