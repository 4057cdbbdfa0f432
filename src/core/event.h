/*
 * event.h - the second currency: something that happened on a device.
 * Every source (polling, traps, syslog, probes, drift) produces the same
 * record; events are stored and go through rules.
 */
#ifndef NP_EVENT_H
#define NP_EVENT_H

#include <stdint.h>

#include "conf.h"

enum np_severity {
	SEV_INFO = 0,
	SEV_WARNING,
	SEV_MINOR,
	SEV_MAJOR,
	SEV_CRITICAL
};

struct np_event {
	int64_t id; /* given by the event bus (evbus.h); 0 = none yet */
	double time; /* seconds since the epoch */
	char device[NP_NAME_MAX];
	char source[16]; /* "poll", "trap", "syslog", ... */
	char kind[40]; /* "port.down", "device.unreachable", ... */
	char key[NP_STR_MAX]; /* stable: "port:<name>", "device", ... */
	enum np_severity severity;
	char object[NP_STR_MAX]; /* the port or sensor, "" for the device */
	char old_state[32];
	char new_state[32];
	char text[512];
	/* who did it, when the source says (the user of a configuration
	 * change); not stored with the event */
	char user[64];
	/* the port's ifIndex when a trap named it and this node's inventory
	 * did not know it (a cluster node that does not poll the device):
	 * the node that polls it names the port; 0 otherwise */
	int32_t ifindex;
};

const char *event_severity_name(enum np_severity);
int event_severity_parse(const char *, enum np_severity *);

/* SRC into DST of CAP bytes, cut to fit, NUL-ended (snprintf's "%s"
 * without its cost: a syslog flood makes an event for many messages). */
void event_copy(char *dst, size_t cap, const char *src);
/* Fill the fixed fields; text is formatted. */
void event_init(struct np_event *, const char *device, const char *source,
    const char *kind, const char *key, enum np_severity, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Format a time as RFC 3339 UTC with milliseconds into BUF (>= 32 bytes). */
char *event_time_rfc3339(double t, char *buf, size_t len);
struct jbuf;
/* The member K: T in RFC 3339, or null when never (T <= 0). */
void event_json_time(struct jbuf *, const char *k, double t);
/* Parse RFC 3339, "YYYY-MM-DD[ HH:MM[:SS]]", or a relative "-2h"/"15m"/"3d". */
int event_time_parse(const char *s, double now, double *out);

#endif
