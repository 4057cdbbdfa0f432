/*
 * frame.h - RFC 6587 framing of syslog over a byte stream (TCP, and TLS as
 * RFC 5425 uses it): octet counting ("LEN SP MSG") and non-transparent
 * framing (messages ended by LF), told apart by the first byte of a
 * connection and kept for the rest of it.
 *
 * A pure function over what is buffered: no I/O, no allocation. A message
 * longer than MAX is cut there and the rest of it skipped as it arrives,
 * so a connection never needs more than MAX + 11 bytes buffered.
 */
#ifndef NP_SYSLOG_FRAME_H
#define NP_SYSLOG_FRAME_H

#include <stddef.h>

enum frame_mode { FRAME_UNKNOWN = 0, FRAME_OCTET, FRAME_LF };

/* An octet count over this is a lie, not a message: the connection ends. */
#define FRAME_MAX_COUNT (1024 * 1024)

struct frame_state {
	enum frame_mode mode;
	size_t skip; /* bytes of a cut message still to drop */
	int skip_lf; /* dropping up to the next LF */
};

enum frame_rc {
	FRAME_NEED = 0, /* no whole frame buffered yet */
	FRAME_MSG, /* a message: OFF, LEN (<= MAX), FULL (its real length) */
	FRAME_SKIP, /* USED bytes to drop (framing, or a cut message's rest) */
	FRAME_BAD /* not RFC 6587: *WHY says why; the connection ends */
};

struct frame {
	size_t off, len, full; /* FRAME_MSG: the message in the buffer */
	size_t used; /* bytes of the buffer this frame consumed */
	const char *why; /* FRAME_BAD */
};

/* The next frame in the LEN bytes at BUF; consume f->used of them. */
enum frame_rc frame_next(struct frame_state *, const char *buf, size_t len,
    size_t max, struct frame *f);

const char *frame_mode_name(enum frame_mode);

#endif
