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
#include <unistd.h>

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

/* TEXT as a configuration: the config, or NULL with the errors in ERR */
static struct config *
parse_text(const char *text, char *err, size_t errlen)
{
	char path[] = "/tmp/test_plan.XXXXXX";
	int fd = mkstemp(path);
	struct config *c;
	FILE *fp;

	if (fd == -1 || (fp = fdopen(fd, "w")) == NULL)
		abort();
	fputs(text, fp);
	fclose(fp);
	err[0] = '\0';
	c = conf_parse(path, NULL, err, errlen);
	unlink(path);
	return c;
}

static const struct {
	const char *text, *error; /* NULL: parses */
} conf_cases[] = {
    {"plan \"d\" {\n every day at 06:00\n check ports health\n}\n", NULL},
    {"plan \"w\" {\n every monday at 07:00\n check config compliance\n}\n",
        NULL},
    {"plan \"h\" {\n every 1h\n devices \"r*\"\n check logs\n}\n", NULL},
    {"plan \"x\" {\n every day at 24:00\n check ports\n}\n",
        "plan time must be HH:MM"},
    {"plan \"x\" {\n every 30s\n check ports\n}\n", "every"},
    {"plan \"x\" {\n on demand\n}\n", "has no check"},
    {"plan \"x\" {\n check ports\n}\n", "has no schedule"},
    {"plan \"x\" {\n on demand\n every 1h\n check ports\n}\n",
        "one schedule only"},
    {"plan \"x\" {\n on demand\n check ports wifi\n}\n",
        "unknown check \"wifi\""},
    {"plan \"x\" {\n on demand\n check ports\n devices \"a\"\n"
     " group \"b\"\n}\n",
        "one of devices or group"},
    {"plan \"x\" {\n on demand\n check ports\n}\nplan \"x\" {\n on demand\n"
     " check ports\n}\n",
        "defined twice"},
    {"plan \"a b\" {\n on demand\n check ports\n}\n", "invalid plan name"},
    {"plan \"x\" {\n on demand\n check ports ports ports ports ports ports"
     " ports ports ports ports ports ports ports ports ports ports ports\n}\n",
        "too many words"},
    {"plan \"x\" {\n frobnicate\n on demand\n check ports\n}\n",
        "unknown plan setting"},
    {"report keep 2y\nreport keep weekly 10y\n", NULL},
    {"report keep monthly 1y\n", "unknown report category"},
    {"report keep 0\n", "report keep"},
    {"kpi target timeliness 95\nkpi target failure 0.5\n", NULL},
    {"kpi target timeliness 120\n", "percentage"},
    {"kpi target speed 1\n", "kpi takes"},
};

static void
conf_tests(void)
{
	char err[4096];
	struct config *c;

	for (size_t i = 0; i < sizeof(conf_cases) / sizeof(conf_cases[0]);
	     i++) {
		c = parse_text(conf_cases[i].text, err, sizeof(err));
		if (conf_cases[i].error == NULL)
			TAP_OK(c != NULL, "config %zu parses%s%s", i,
			    err[0] ? ": " : "", err);
		else
			TAP_OK(c == NULL && strstr(err, conf_cases[i].error),
			    "config %zu: \"%s\" (%s)", i, conf_cases[i].error,
			    err);
		conf_free(c);
	}
	c = parse_text(
	    "device \"r1\" {\n address 192.0.2.1\n role \"core\"\n}\n"
	    "template \"t\" {\n interval 30\n}\n"
	    "device \"r2\" {\n address 192.0.2.2\n use \"t\"\n}\n"
	    "plan \"w\" {\n every sunday at 23:30\n group \"core\"\n"
	    " check ports security\n inspector \"alice\"\n}\n"
	    "plan \"t\" {\n on demand\n group \"t\"\n check ports\n}\n"
	    "report keep special 1w\nkpi target plan-execution 99\n",
	    err, sizeof(err));
	TAP_OK(c != NULL, "a full configuration parses %s", err);
	if (c == NULL)
		return;
	TAP_OK(c->nplans == 2 && c->plans[0].sched == PLAN_WEEKLY &&
	        c->plans[0].wday == 0 && c->plans[0].minute == 23 * 60 + 30 &&
	        c->plans[0].checks ==
	            ((1u << PCHK_PORTS) | (1u << PCHK_SECURITY)) &&
	        strcmp(c->plans[0].inspector, "alice") == 0,
	    "weekly plan: Sunday 23:30, ports and security, inspector");
	TAP_OK(conf_plan_has_device(&c->plans[0], conf_find_device(c, "r1")) &&
	        !conf_plan_has_device(&c->plans[0], conf_find_device(c, "r2")),
	    "group: a role");
	TAP_OK(conf_plan_has_device(&c->plans[1], conf_find_device(c, "r2")) &&
	        !conf_plan_has_device(&c->plans[1], conf_find_device(c, "r1")),
	    "group: a template used");
	TAP_OK(c->report_keep_days[PLAN_DEMAND] == 7 &&
	        c->report_keep_days[PLAN_DAILY] == 3 * 365,
	    "report keep special 1w; daily keeps its default");
	TAP_OK(c->kpi.plan_execution == 99 && c->kpi.timeliness == 90,
	    "kpi targets: set and default");
	conf_free(c);
}

int
main(void)
{
	conf_tests();
	struct plan_conf daily = {.sched = PLAN_DAILY, .minute = 6 * 60};
	struct plan_conf weekly = {
	    .sched = PLAN_WEEKLY, .wday = 1, .minute = 7 * 60};
	struct plan_conf hourly = {.sched = PLAN_EVERY, .every = 3600};
	struct plan_conf demand = {.sched = PLAN_DEMAND};
	double out[16];
	int n;

	setenv("TZ", "UTC", 1);
	tzset();
	TAP_OK(
	    plan_next(&daily, at("2026-03-10 05:59")) == at("2026-03-10 06:00"),
	    "daily 06:00: before it, today");
	TAP_OK(
	    plan_next(&daily, at("2026-03-10 06:00")) == at("2026-03-11 06:00"),
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
	n = plan_between(
	    &daily, at("2026-03-09 05:00"), at("2026-03-12 05:00"), out, 16);
	TAP_OK(n == 3 && out[0] == at("2026-03-09 06:00") &&
	        out[2] == at("2026-03-11 06:00"),
	    "down Monday 05:00 to Thursday 05:00: 3 daily runs missed (%d)", n);
	n = plan_between(
	    &weekly, at("2026-03-01 00:00"), at("2026-03-31 00:00"), out, 16);
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
