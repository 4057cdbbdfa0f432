/*
 * test_logevent.c - event notice lines in a flood (log_event.c): the
 * first LOG_EVENT_BURST of a second are written, the rest counted by kind
 * and said in one summary line, by the loop's timer when the flood stops
 * or at a flush; nothing is counted twice or lost from the counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "log_event.h"
#include "tap.h"

static char path[64];

static int
grep_count(const char *what)
{
	char line[1024];
	int n = 0;
	FILE *f;

	fflush(stderr);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, what) != NULL)
			n++;
	fclose(f);
	return n;
}

static int
has(const char *what)
{
	return grep_count(what) > 0;
}

int
main(void)
{
	struct event_base *base;
	char kind[32];
	int saved = dup(2), i, waited;

	snprintf(path, sizeof(path), "/tmp/np-logevent-%d.log", (int)getpid());
	if (freopen(path, "w", stderr) == NULL)
		return 1;
	log_init(1, LOG_L_INFO, "test");

	for (i = 0; i < 100; i++)
		log_event("sw1", i % 2 ? "port.down" : "trap", "warning",
		    "something");
	TAP_OK(grep_count("event sw1 ") == LOG_EVENT_BURST,
	    "a flood of 100: %d lines written", LOG_EVENT_BURST);
	TAP_OK(log_event_logged() == LOG_EVENT_BURST &&
	    log_event_suppressed() == 100 - LOG_EVENT_BURST,
	    "counted: %lu written, %lu not", log_event_logged(),
	    log_event_suppressed());
	log_event_flush();
	TAP_OK(has("80 more events in ") && has(" not logged: trap 40, "
	    "port.down 40"), "the flush says them by kind");
	log_event_flush();
	TAP_OK(grep_count("more events in") == 1, "said once");

	/* more than 8 kinds: the rest are "other" */
	for (i = 0; i < 40; i++) {
		snprintf(kind, sizeof(kind), "kind%d", i % 12);
		log_event("sw2", kind, "info", "x");
	}
	log_event_flush();
	TAP_OK(has(", other "), "kinds past eight are \"other\"");

	/* with a loop: its timer says the summary when the flood stops */
	base = event_base_new();
	log_event_base(base);
	for (i = 0; i < 500; i++)
		log_event("sw3", "port.up", "info", "y");
	for (waited = 0; waited < 100 && !has("in sw3") &&
	    !has(" not logged: port.up "); waited++) {
		struct timeval tv = {0, 100000};

		event_base_loopexit(base, &tv);
		event_base_dispatch(base);
	}
	TAP_OK(has(" not logged: port.up "),
	    "the loop's timer says it after the flood");
	log_event_base(NULL);
	event_base_free(base);

	/* quiet below notice: nothing written, nothing counted */
	log_setverbose(LOG_L_WARN);
	i = grep_count("event sw4");
	log_event("sw4", "k", "info", "z");
	TAP_OK(grep_count("event sw4") == i && i == 0, "below notice: silent");

	fflush(stderr);
	dup2(saved, 2);
	unlink(path);
	return tap_done();
}
