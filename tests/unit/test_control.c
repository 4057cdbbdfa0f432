/*
 * test_control.c - control_parse_line: what a client's request line may
 * be (a command name, one space, arguments) and the clear error for each
 * line it may not (empty, too long, NUL and control characters, a name
 * that is not one).
 */
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "tap.h"

static const struct {
	const char *in;
	size_t n; /* 0: strlen */
	const char *name, *args; /* NULL name: refused */
	const char *why;
} lines[] = {
    {"status", 0, "status", "", NULL},
    {"logs --json --limit 0", 0, "logs", "--json --limit 0", NULL},
    {"config-fetch sw1", 0, "config-fetch", "sw1", NULL},
    {"note 12 caf\xc3\xa9\tok", 0, "note", "12 caf\xc3\xa9\tok", NULL},
    {"status ", 0, "status", "", NULL},
    {"", 0, NULL, NULL, "empty command"},
    {" status", 0, NULL, NULL, "not a command name"},
    {"Status", 0, NULL, NULL, "not a command name"},
    {"st\xc3\xa9tus", 0, NULL, NULL, "not a command name"},
    {"status\0garbage", 14, NULL, NULL, "NUL byte in the command"},
    {"logs \x1b[2J", 0, NULL, NULL, "control character in the command"},
    {"logs a\rb", 0, NULL, NULL, "control character in the command"},
    {"logs \x7f", 0, NULL, NULL, "control character in the command"},
};

int
main(void)
{
	char buf[CONTROL_MAX_LINE + 2], *name, *args, *big;
	const char *why;
	int rc;

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		size_t n = lines[i].n ? lines[i].n : strlen(lines[i].in);

		memcpy(buf, lines[i].in, n);
		buf[n] = 'X'; /* not terminated: the parser ends it */
		why = NULL;
		rc = control_parse_line(buf, n, &name, &args, &why);
		if (lines[i].name) {
			TAP_OK(rc == 0, "line %zu accepted", i);
			TAP_STREQ(rc == 0 ? name : "", lines[i].name,
			    "line %zu: its name", i);
			TAP_STREQ(rc == 0 ? args : "", lines[i].args,
			    "line %zu: its arguments", i);
		} else {
			TAP_OK(rc == -1 && name == NULL && args == NULL,
			    "line %zu refused", i);
			TAP_STREQ(why ? why : "", lines[i].why,
			    "line %zu: why", i);
		}
	}
	/* a name of 63 bytes is one, of 64 is not */
	memset(buf, 'a', 64);
	rc = control_parse_line(buf, 63, &name, &args, &why);
	TAP_OK(rc == 0 && strlen(name) == 63, "a 63-byte name");
	memset(buf, 'a', 64);
	rc = control_parse_line(buf, 64, &name, &args, &why);
	TAP_OK(rc == -1 && strcmp(why, "command name too long") == 0,
	    "a 64-byte name: too long");
	/* CONTROL_MAX_LINE bytes are a line, one more is not (a long line
	 * whose end came in the same read is refused too) */
	big = malloc(CONTROL_MAX_LINE + 2);
	memset(big, 'x', CONTROL_MAX_LINE + 1);
	memcpy(big, "logs ", 5);
	rc = control_parse_line(big, CONTROL_MAX_LINE, &name, &args, &why);
	TAP_OK(rc == 0 && strlen(args) == CONTROL_MAX_LINE - 5,
	    "a line of CONTROL_MAX_LINE bytes");
	memset(big, 'x', CONTROL_MAX_LINE + 1);
	memcpy(big, "logs ", 5);
	rc = control_parse_line(big, CONTROL_MAX_LINE + 1, &name, &args, &why);
	TAP_OK(rc == -1 && strcmp(why, "command too long") == 0,
	    "a line of CONTROL_MAX_LINE + 1 bytes: too long");
	free(big);
	return tap_done();
}
