/*
 * conf_top.c - top-level settings whose checks would crowd parse.y: the
 * durations (conf_top_time()), the syslog sizes, "finding flap" and
 * "priority".
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>

#include "conf_int.h"

static const struct {
	const char	*name;
	const struct unit *unit;
	int64_t		 lo, hi;
	const char	*suffix;
	size_t		 off; /* of the int in struct config */
} top_times[] = {
	[TT_SYSLOG_KEEP] = { "syslog keep", conf_u_days, 1, 36500, " days",
	    offsetof(struct config, syslog_keep_days) },
	[TT_SYSLOG_IDLE] = { "syslog idle-timeout", conf_u_seconds, 1, 86400,
	    " seconds", offsetof(struct config, syslog_idle_secs) },
	[TT_SYSLOG_FRAME] = { "syslog frame-timeout", conf_u_seconds, 1,
	    3600, " seconds", offsetof(struct config, syslog_frame_secs) },
	[TT_CLOSE_AFTER] = { "finding close-after", conf_u_seconds, 0,
	    365 * 86400LL, " seconds",
	    offsetof(struct config, finding_close_after) },
	[TT_KEEP_STEP] = { "rrd keep-step", conf_u_seconds, 600,
	    3650 * 86400LL, " seconds", offsetof(struct config, rrd_keep_step) },
	[TT_BATCH] = { "store batch-window", conf_u_msec, 10, 60000, " ms",
	    offsetof(struct config, store_batch_ms) },
	[TT_EVENTS_KEEP] = { "events keep", conf_u_days, 1, 36500, " days",
	    offsetof(struct config, event_keep_days) },
	[TT_WRITE_DELAY] = { "rrd write-delay", conf_u_seconds, 0, 3600,
	    " seconds", offsetof(struct config, rrd_write_delay) },
};

void
conf_top_time(struct parse *p, struct loc at, int which, const char *s)
{
	int64_t	 v;

	if (conf_duration(p, at, s, top_times[which].unit,
	    top_times[which].name, &v) == 0 &&
	    conf_range(p, at, v, top_times[which].lo, top_times[which].hi,
	    top_times[which].name, top_times[which].suffix) == 0)
		*(int *)(void *)((char *)p->conf + top_times[which].off) =
		    (int)v;
}

/* "syslog max-size" (QUEUE 0) and "syslog queue" (QUEUE 1). */
void
conf_top_syslog_size(struct parse *p, struct loc at, int queue, const char *s)
{
	int64_t	 v;

	if (conf_bytesize(p, at, s, queue ? "syslog queue" :
	    "syslog max-size", &v) == -1)
		return;
	if (queue && (v < 16 * MEGA || v > 64 * GIGA))
		perr(p, at, "syslog queue must be between 16M and 64G");
	else if (!queue && v != 0 && (v < MEGA || v > 16 * TERA))
		perr(p, at, "syslog max-size must be 0 (no bound) or between "
		    "1M and 16T");
	else if (queue)
		p->conf->syslog_queue = v;
	else
		p->conf->syslog_max_size = v;
}

void
conf_top_flap(struct parse *p, struct loc at, int64_t n, int frac,
    const char *s)
{
	int64_t	 v;

	if (conf_irange(p, at, n, frac, 2, 1000, "finding flap", "") == 0 &&
	    conf_duration(p, at, s, conf_u_seconds, "finding flap window",
	    &v) == 0 &&
	    conf_range(p, at, v, 1, 86400, "finding flap window",
	    " seconds") == 0) {
		p->conf->flap_count = (int)n;
		p->conf->flap_secs = (int)v;
	}
}

void
conf_top_priority(struct parse *p, struct loc at, int64_t n, int frac,
    const char *respond, const char *resolve)
{
	int64_t	 a, b;

	if (conf_irange(p, at, n, frac, 1, 4, "priority", "") != 0 ||
	    conf_duration(p, at, respond, conf_u_seconds, "respond",
	    &a) != 0 ||
	    conf_duration(p, at, resolve, conf_u_seconds, "resolve", &b) != 0)
		return;
	if (a < 1 || b < a)
		perr(p, at, "priority %lld: respond must be at least 1 second "
		    "and not after resolve", (long long)n);
	else {
		p->conf->respond_secs[n] = (int)a;
		p->conf->resolve_secs[n] = (int)b;
	}
}
