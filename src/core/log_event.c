/*
 * log_event.c - event notice lines, summarised in a flood (log_event.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "log.h"
#include "log_event.h"

#define KINDS 8 /* kinds named in a summary; the rest are "other" */

static struct {
	double start; /* the window's start, monotonic seconds */
	unsigned lines; /* written in the window */
	unsigned long more; /* not written in the window */
	struct {
		char kind[48];
		unsigned long n;
	} k[KINDS + 1];
	unsigned long logged, suppressed; /* since start */
	struct event_base *base;
	struct event *timer;
	int armed;
} le;

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
summary(double now)
{
	char buf[512];
	size_t n;

	if (le.more == 0)
		return;
	n = (size_t)snprintf(buf, sizeof(buf), "%lu more events in %.1f s "
	    "not logged:", le.more, now - le.start);
	for (int i = 0; i <= KINDS && n < sizeof(buf); i++)
		if (le.k[i].n)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
			    "%s %s %lu", i ? "," : "", le.k[i].kind, le.k[i].n);
	log_notice("%s", buf);
	le.more = 0;
	memset(le.k, 0, sizeof(le.k));
}

static void
window(double now)
{
	if (now - le.start < 1.0)
		return;
	summary(now);
	le.start = now;
	le.lines = 0;
}

static void
tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	le.armed = 0;
	window(now_mono());
	if (le.more) { /* the window is not over yet */
		struct timeval tv = {0, 200000};

		if (evtimer_add(le.timer, &tv) == 0)
			le.armed = 1;
	}
}

void
log_event_base(struct event_base *base)
{
	if (le.timer != NULL) {
		event_free(le.timer);
		le.timer = NULL;
	}
	le.armed = 0;
	le.base = base;
	if (base != NULL)
		le.timer = evtimer_new(base, tick, NULL);
}

void
log_event(const char *device, const char *kind, const char *severity,
    const char *text)
{
	double now;
	int i;

	if (log_getverbose() < LOG_L_NOTICE)
		return;
	now = now_mono();
	window(now);
	if (le.lines < LOG_EVENT_BURST) {
		le.lines++;
		le.logged++;
		log_notice("event %s %s %s: %s", device, kind, severity, text);
		return;
	}
	le.more++;
	le.suppressed++;
	for (i = 0; i < KINDS; i++)
		if (le.k[i].kind[0] == '\0' || strcmp(le.k[i].kind, kind) == 0)
			break;
	if (i < KINDS && le.k[i].kind[0] == '\0')
		snprintf(le.k[i].kind, sizeof(le.k[i].kind), "%s", kind);
	else if (i == KINDS)
		snprintf(le.k[i].kind, sizeof(le.k[i].kind), "other");
	le.k[i].n++;
	if (!le.armed && le.timer != NULL) {
		struct timeval tv;
		double left = le.start + 1.0 - now;

		if (left < 0.01)
			left = 0.01;
		tv.tv_sec = (time_t)left;
		tv.tv_usec = (suseconds_t)((left - (double)tv.tv_sec) * 1e6);
		if (evtimer_add(le.timer, &tv) == 0)
			le.armed = 1;
	}
}

void
log_event_flush(void)
{
	summary(now_mono());
	if (le.timer != NULL && le.armed)
		evtimer_del(le.timer);
	le.armed = 0;
}

unsigned long
log_event_logged(void)
{
	return le.logged;
}

unsigned long
log_event_suppressed(void)
{
	return le.suppressed;
}
