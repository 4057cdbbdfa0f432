/*
 * frame.c - RFC 6587 framing (see frame.h).
 */
#include "config.h"

#include <string.h>

#include "syslog/frame.h"

static enum frame_rc
frame_octet(struct frame_state *st, const char *buf, size_t len, size_t max,
    struct frame *f)
{
	size_t i = 0, n = 0;

	while (i < len && buf[i] >= '0' && buf[i] <= '9') {
		if (i == 0 && buf[i] == '0') {
			f->why = "an octet count with a leading zero";
			return FRAME_BAD;
		}
		n = n * 10 + (size_t)(buf[i] - '0');
		if (++i > 7 || n > FRAME_MAX_COUNT) {
			f->why = "an octet count over 1 MiB";
			return FRAME_BAD;
		}
	}
	if (i == len)
		return FRAME_NEED;
	if (i == 0 || buf[i] != ' ') {
		f->why = "no octet count where a frame begins";
		return FRAME_BAD;
	}
	i++; /* SP */
	f->off = i;
	f->full = n;
	if (n <= max) {
		if (len - i < n)
			return FRAME_NEED;
		f->len = n;
		f->used = i + n;
		return FRAME_MSG;
	}
	/* too long: what fits, then skip the rest as it comes */
	if (len - i < max)
		return FRAME_NEED;
	f->len = max;
	f->used = i + max;
	st->skip = n - max;
	return FRAME_MSG;
}

static enum frame_rc
frame_lf(struct frame_state *st, const char *buf, size_t len, size_t max,
    struct frame *f)
{
	size_t look = len < max + 1 ? len : max + 1;
	const char *lf = memchr(buf, '\n', look);

	if (lf != NULL) {
		size_t n = (size_t)(lf - buf);

		f->used = n + 1;
		if (n == 0 || (n == 1 && buf[0] == '\r'))
			return FRAME_SKIP; /* an empty line */
		f->off = 0;
		f->len = f->full = n;
		return FRAME_MSG;
	}
	if (len < max)
		return FRAME_NEED;
	/* no LF in MAX bytes: cut, and drop the rest of the line */
	f->off = 0;
	f->len = max;
	f->full = max + 1;
	f->used = max;
	st->skip_lf = 1;
	return FRAME_MSG;
}

enum frame_rc
frame_next(struct frame_state *st, const char *buf, size_t len, size_t max,
    struct frame *f)
{
	memset(f, 0, sizeof(*f));
	if (len == 0)
		return FRAME_NEED;
	if (st->skip > 0) {
		f->used = len < st->skip ? len : st->skip;
		st->skip -= f->used;
		return FRAME_SKIP;
	}
	if (st->skip_lf) {
		const char *lf = memchr(buf, '\n', len);

		f->used = lf ? (size_t)(lf - buf) + 1 : len;
		st->skip_lf = lf == NULL;
		return FRAME_SKIP;
	}
	if (st->mode == FRAME_UNKNOWN)
		st->mode =
		    buf[0] >= '1' && buf[0] <= '9' ? FRAME_OCTET : FRAME_LF;
	if (st->mode == FRAME_OCTET) {
		/* LF after a counted frame: some senders add one */
		if (buf[0] == '\n' || buf[0] == '\r') {
			f->used = 1;
			return FRAME_SKIP;
		}
		return frame_octet(st, buf, len, max, f);
	}
	return frame_lf(st, buf, len, max, f);
}

const char *
frame_mode_name(enum frame_mode m)
{
	switch (m) {
	case FRAME_OCTET: return "octet-counting";
	case FRAME_LF: return "lf";
	default: return "unknown";
	}
}
