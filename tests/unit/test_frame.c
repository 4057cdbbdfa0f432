/*
 * test_frame.c - RFC 6587 framing: octet counting and LF framing, told
 * apart per connection, over input that arrives in pieces; cut messages,
 * lying counts and empty lines.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "syslog/frame.h"
#include "tap.h"

#define MAX 32

/*
 * Feed IN to a fresh framer CHUNK bytes at a time (0: all at once), as a
 * stream reader would; the messages found go into OUT as "msg|msg|...",
 * "<cut:FULL>" after a cut one, "!BAD" at a bad frame.
 */
static void
run(const char *in, size_t inlen, size_t chunk, char *out, size_t size)
{
	struct frame_state st;
	struct frame f;
	char buf[4096];
	size_t have = 0, fed = 0, o = 0;

	memset(&st, 0, sizeof(st));
	out[0] = '\0';
	for (;;) {
		size_t take = chunk ? chunk : inlen;
		enum frame_rc rc;

		if (take > inlen - fed)
			take = inlen - fed;
		memcpy(buf + have, in + fed, take);
		have += take;
		fed += take;
		while (
		    (rc = frame_next(&st, buf, have, MAX, &f)) != FRAME_NEED) {
			if (rc == FRAME_BAD) {
				o +=
				    (size_t)snprintf(out + o, size - o, "!BAD");
				return;
			}
			if (rc == FRAME_MSG) {
				o += (size_t)snprintf(out + o, size - o, "%.*s",
				    (int)f.len, buf + f.off);
				if (f.full > f.len)
					o += (size_t)snprintf(out + o, size - o,
					    "<cut:%zu>", f.full);
				o += (size_t)snprintf(out + o, size - o, "|");
			}
			memmove(buf, buf + f.used, have - f.used);
			have -= f.used;
		}
		if (fed == inlen)
			break;
	}
}

static const struct {
	const char *what, *in, *want;
} cases[] = {
    {"octet counting", "5 <13>a6 <13>bc", "<13>a|<13>bc|"},
    {"LF framing", "<13>a\n<13>bc\n", "<13>a|<13>bc|"},
    {"LF: CRLF and empty lines", "\n<13>a\r\n\r\n\n<13>b\n", "<13>a\r|<13>b|"},
    {"LF: an unfinished last line waits", "<13>a\n<13>b", "<13>a|"},
    {"octet counting: an LF after a frame", "5 <13>a\n5 <13>b", "<13>a|<13>b|"},
    {"octet counting: a message with LF inside", "7 <13>a\nb", "<13>a\nb|"},
    {"octet counting: too long, cut and the rest skipped",
        "40 <13>0123456789012345678901234567890123455 <13>x",
        "<13>0123456789012345678901234567<cut:40>|<13>x|"},
    {"LF: too long, cut and the rest skipped",
        "<13>0123456789012345678901234567890123456789\n<13>y\n",
        "<13>0123456789012345678901234567<cut:33>|<13>y|"},
    {"octet counting: a leading zero", "5 <13>a05 <13>b", "<13>a|!BAD"},
    {"a first byte 0 is LF framing", "05 <13>a\n", "05 <13>a|"},
    {"octet counting: a lying count over 1 MiB", "99999999 <13>a", "!BAD"},
    {"octet counting: garbage after a frame", "5 <13>aXYZ", "<13>a|!BAD"},
    {"octet counting: a count not ended by a space", "12ab", "!BAD"},
};

int
main(void)
{
	char out[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = strlen(cases[i].in);

		run(cases[i].in, n, 0, out, sizeof(out));
		TAP_STREQ(out, cases[i].want, "%s: all at once", cases[i].what);
		run(cases[i].in, n, 1, out, sizeof(out));
		TAP_STREQ(
		    out, cases[i].want, "%s: a byte at a time", cases[i].what);
		run(cases[i].in, n, 3, out, sizeof(out));
		TAP_STREQ(
		    out, cases[i].want, "%s: 3 bytes at a time", cases[i].what);
	}
	TAP_STREQ(frame_mode_name(FRAME_OCTET), "octet-counting", "mode names");
	return tap_done();
}
