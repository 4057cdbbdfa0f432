/*
 * plan_sched.c - when plans run (plan.h): daily and weekly at a local
 * wall-clock time (mktime, so a day is 23 or 25 hours across a DST
 * change), or every N seconds from the epoch.
 */
#include "config.h"

#include <math.h>
#include <time.h>

#include "plan.h"

double
plan_period(const struct plan_conf *p)
{
	switch (p->sched) {
	case PLAN_DAILY: return 86400;
	case PLAN_WEEKLY: return 7 * 86400;
	case PLAN_EVERY: return p->every;
	default: return 86400;
	}
}

/* Local midnight + MINUTE of the day D days after T's day. */
static double
plan_at(double t, int d, int minute)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	tm.tm_mday += d;
	tm.tm_hour = minute / 60;
	tm.tm_min = minute % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (double)mktime(&tm);
}

double
plan_next(const struct plan_conf *p, double t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	double x;
	int d;

	switch (p->sched) {
	case PLAN_EVERY: return (floor(t / p->every) + 1) * p->every;
	case PLAN_DAILY:
		for (d = 0; d < 3; d++)
			if ((x = plan_at(t, d, p->minute)) > t)
				return x;
		break;
	case PLAN_WEEKLY:
		localtime_r(&tt, &tm);
		for (d = 0; d < 15; d++)
			if ((tm.tm_wday + d) % 7 == p->wday &&
			    (x = plan_at(t, d, p->minute)) > t)
				return x;
		break;
	default: break;
	}
	return 0; /* on demand: never */
}

int
plan_between(
    const struct plan_conf *p, double from, double to, double *out, int max)
{
	int n = 0;
	double t = from;

	if (p->sched == PLAN_DEMAND)
		return 0;
	while (n < max && (t = plan_next(p, t)) > 0 && t <= to)
		out[n++] = t;
	return n;
}
