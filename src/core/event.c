/*
 * event.c - event records: severities, times.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>

#include "event.h"
#include "json.h"

static const char *sev_names[] = {
    "info", "warning", "minor", "major", "critical"};

const char *
event_severity_name(enum np_severity s)
{
	if ((unsigned)s > SEV_CRITICAL)
		return "info";
	return sev_names[s];
}

int
event_severity_parse(const char *s, enum np_severity *out)
{
	for (unsigned i = 0; i <= SEV_CRITICAL; i++)
		if (strcasecmp(s, sev_names[i]) == 0) {
			*out = (enum np_severity)i;
			return 0;
		}
	return -1;
}

void
event_copy(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void
event_init(struct np_event *ev, const char *device, const char *source,
    const char *kind, const char *key, enum np_severity sev, const char *fmt,
    ...)
{
	struct timeval tv;
	va_list ap;

	memset(ev, 0, sizeof(*ev));
	gettimeofday(&tv, NULL);
	ev->time = tv.tv_sec + tv.tv_usec / 1e6;
	event_copy(ev->device, sizeof(ev->device), device);
	event_copy(ev->source, sizeof(ev->source), source);
	event_copy(ev->kind, sizeof(ev->kind), kind);
	event_copy(ev->key, sizeof(ev->key), key);
	ev->severity = sev;
	va_start(ap, fmt);
	vsnprintf(ev->text, sizeof(ev->text), fmt, ap);
	va_end(ap);
}

char *
event_time_rfc3339(double t, char *buf, size_t len)
{
	time_t sec = (time_t)t;
	int ms = (int)((t - (double)sec) * 1000.0);
	struct tm tm;
	char base[24];

	if (ms < 0)
		ms = 0;
	if (ms > 999)
		ms = 999;
	gmtime_r(&sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03dZ", base, ms);
	return buf;
}

int
event_time_parse(const char *s, double now, double *out)
{
	struct tm tm;
	char *end;
	const char *p;
	double n;
	time_t t;

	/* Relative: [-]N[smhdw], meaning that long ago. */
	p = s[0] == '-' ? s + 1 : s;
	if (isdigit((unsigned char)*p)) {
		n = strtod(p, &end);
		if (end != p && (*end == '\0' || end[1] == '\0')) {
			double mul = 1;

			switch (*end) {
			case '\0':
			case 's': mul = 1; break;
			case 'm': mul = 60; break;
			case 'h': mul = 3600; break;
			case 'd': mul = 86400; break;
			case 'w': mul = 7 * 86400; break;
			default: goto absolute;
			}
			if (*end == '\0' && strlen(p) >= 9) {
				/* a bare large number: seconds since the epoch */
				*out = n;
				return 0;
			}
			*out = now - n * mul;
			return 0;
		}
	}
absolute:
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL)
		return -1;
	if (*end == 'T' || *end == ' ') {
		const char *q = end + 1;

		if ((end = strptime(q, "%H:%M:%S", &tm)) == NULL &&
		    (end = strptime(q, "%H:%M", &tm)) == NULL)
			return -1;
		if (*end == '.') {
			end++;
			while (isdigit((unsigned char)*end))
				end++;
		}
	}
	if (*end == 'Z' || *end == '\0') {
		t = timegm(&tm);
		if (*end == 'Z')
			end++;
	} else if (*end == '+' || *end == '-') {
		int sign = *end == '-' ? -1 : 1, hh, mm;

		if (sscanf(end + 1, "%2d:%2d", &hh, &mm) != 2)
			return -1;
		t = timegm(&tm) - sign * (hh * 3600 + mm * 60);
		end += 6;
	} else
		return -1;
	if (*end != '\0')
		return -1;
	*out = (double)t;
	return 0;
}

void
event_json_time(struct jbuf *j, const char *k, double t)
{
	char buf[40];

	json_key(j, k);
	if (t > 0)
		json_str(j, event_time_rfc3339(t, buf, sizeof(buf)));
	else
		json_null(j);
}
