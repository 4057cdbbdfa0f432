/*
 * test_plan.c - when plans run (plan_sched.c): daily and weekly at local
 * wall-clock times, across a DST change, every N seconds, and the
 * planned times between two instants (what a stopped daemon missed).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan.h"
#include "tap.h"

static double
at(const char *s) /* "YYYY-MM-DD HH:MM" local */
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	        &tm.tm_hour, &tm.tm_min) != 5)
		abort();
	tm.tm_year -= 1900;
	tm.tm_mon--;
	tm.tm_isdst = -1;
	return (double)mktime(&tm);
}

int
main(void)
{
	struct plan_conf daily = {.sched = PLAN_DAILY, .minute = 6 * 60};
	struct plan_conf weekly = {
	    .sched = PLAN_WEEKLY, .wday = 1, .minute = 7 * 60};
	struct plan_conf hourly = {.sched = PLAN_EVERY, .every = 3600};
	struct plan_conf demand = {.sched = PLAN_DEMAND};
	double out[16];
	int n;

	setenv("TZ", "UTC", 1);
	tzset();
	TAP_OK(plan_next(&daily, at("2026-03-10 05:59")) ==
	        at("2026-03-10 06:00"),
	    "daily 06:00: before it, today");
	TAP_OK(plan_next(&daily, at("2026-03-10 06:00")) ==
	        at("2026-03-11 06:00"),
	    "daily 06:00: at it, tomorrow (strictly after)");
	/* 2026-03-10 is a Tuesday: the next Monday is the 16th */
	TAP_OK(plan_next(&weekly, at("2026-03-10 12:00")) ==
	        at("2026-03-16 07:00"),
	    "monday 07:00 from a Tuesday: next Monday");
	TAP_OK(plan_next(&weekly, at("2026-03-16 06:59")) ==
	        at("2026-03-16 07:00"),
	    "monday 07:00 on Monday before it: today");
	TAP_OK(plan_next(&hourly, 7200) == 10800 &&
	        plan_next(&hourly, 7199) == 7200,
	    "every 1h: aligned to the epoch");
	TAP_OK(plan_next(&demand, 1000) == 0, "on demand: never planned");
	/* the daemon was down from Monday 05:00 to Thursday 05:00 */
	n = plan_between(&daily, at("2026-03-09 05:00"),
	    at("2026-03-12 05:00"), out, 16);
	TAP_OK(n == 3 && out[0] == at("2026-03-09 06:00") &&
	        out[2] == at("2026-03-11 06:00"),
	    "down Monday 05:00 to Thursday 05:00: 3 daily runs missed (%d)",
	    n);
	n = plan_between(&weekly, at("2026-03-01 00:00"),
	    at("2026-03-31 00:00"), out, 16);
	TAP_OK(n == 5, "March 2026 has 5 Mondays (%d)", n);
	TAP_OK(plan_between(&daily, 0, 1e9, out, 4) == 4,
	    "at most MAX planned times");
	TAP_OK(plan_period(&daily) == 86400 && plan_period(&weekly) == 604800 &&
	        plan_period(&hourly) == 3600,
	    "periods: a day, a week, the interval");

	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	/* clocks go forward on 2026-03-29 at 02:00: a 23-hour day */
	TAP_OK(plan_next(&daily, at("2026-03-28 06:00")) -
	            at("2026-03-28 06:00") ==
	        23 * 3600,
	    "daily across the spring DST change: 23 hours later");
	TAP_OK(plan_next(&daily, at("2026-10-24 06:00")) -
	            at("2026-10-24 06:00") ==
	        25 * 3600,
	    "daily across the autumn DST change: 25 hours later");
	return tap_done();
}
