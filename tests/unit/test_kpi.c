/*
 * test_kpi.c - the KPIs' formulas (kpi.h, netpatrol(8) KPIS) pinned by
 * examples worked by hand; the arithmetic is in the comments.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "kpi.h"
#include "tap.h"

#define DAY 86400.0

static void
day_example(void)
{
	/*
	 * One day [0, 86400). Runs: 4 planned, 3 done (one missed), 28
	 * checks planned, 21 done.
	 *  A r1 device.unreachable crit: opened 3600, acked 4200, resolved
	 *    10800, deadline 18000 (in time)
	 *  B r1 probe.down major: opened 9000, resolved 14400, deadline
	 *    37800 (in time); r1 down = [3600, 14400] = 10800 s (union)
	 *  C r2 port.down ge-0/0/1 major: opened -3600 (before), resolved
	 *    7200, deadline 3600 (late); down in period [0, 7200] = 7200 s
	 *  D r2 sensor.critical major: opened 40000, acked 40600, open,
	 *    deadline 50000 (overdue at the end)
	 *  E r3 port.down eth0 minor: opened 80000, open, deadline 200000;
	 *    down [80000, 86400] = 6400 s
	 */
	const struct kpi_finding f[] = {
	    {"r1", "", KPI_DEVICE, 4, 3600, 4200, 10800, 18000},
	    {"r1", "", KPI_DEVICE, 3, 9000, 0, 14400, 37800},
	    {"r2", "ge-0/0/1", KPI_PORT, 3, -3600, 0, 7200, 3600},
	    {"r2", "temp", KPI_NONE, 3, 40000, 40600, 0, 50000},
	    {"r3", "eth0", KPI_PORT, 2, 80000, 0, 0, 200000},
	};
	struct kpi_input in = {0, DAY, 4, 3, 28, 21, f, 5, 3, 7, {70, 90, 5}};
	struct kpi k;

	kpi_compute(&in, &k);
	TAP_NEAR(k.plan_execution_rate, 0.75, 1e-12, "day: 3 of 4 runs done");
	TAP_OK(k.runs_missed == 1, "day: 1 run missed");
	TAP_NEAR(k.check_coverage_rate, 0.75, 1e-12, "day: 21 of 28 checks");
	/* A, B, D, E opened in the day; C before it */
	TAP_OK(k.findings_discovered == 4, "day: 4 findings discovered (%d)",
	    k.findings_discovered);
	TAP_OK(k.by_severity[4] == 1 && k.by_severity[3] == 2 &&
	        k.by_severity[2] == 1,
	    "day: by severity 1 critical, 2 major, 1 minor");
	/* resolved A, B, C; in time A, B: 2/3 */
	TAP_OK(k.findings_resolved == 3 && k.resolved_in_time == 2,
	    "day: 3 resolved, 2 in time");
	TAP_NEAR(k.timeliness_rate, 2.0 / 3, 1e-12, "day: timeliness 2/3");
	TAP_OK(k.overdue_open == 1, "day: D overdue and open");
	/* MTTA: A 600, D 600; MTTR: A 7200, B 5400, C 10800 -> 7800 */
	TAP_NEAR(k.mtta_seconds, 600, 1e-9, "day: MTTA 600 s");
	TAP_NEAR(k.mttr_seconds, 7800, 1e-9, "day: MTTR 7800 s");
	TAP_NEAR(k.device_down_seconds, 10800, 1e-9,
	    "day: r1 down 10800 s (A and B overlap: their union)");
	TAP_NEAR(
	    k.port_down_seconds, 13600, 1e-9, "day: ports down 7200 + 6400 s");
	/* 10800 / (3 x 86400); 13600 / (7 x 86400); 24400 / (10 x 86400) */
	TAP_NEAR(k.device_failure_rate, 10800 / (3 * DAY), 1e-12,
	    "day: device failure rate 0.041667");
	TAP_NEAR(k.port_failure_rate, 13600 / (7 * DAY), 1e-12,
	    "day: port failure rate 0.022487");
	TAP_NEAR(k.failure_rate, 24400 / (10 * DAY), 1e-12,
	    "day: failure rate 0.028241");
	/* targets 70/90/5: 75 >= 70 met, 66.7 < 90 not, 2.82 <= 5 met */
	TAP_OK(k.targets_evaluated == 3 && k.targets_met == 2,
	    "day: 2 of 3 targets met");
	TAP_NEAR(k.score, 200.0 / 3, 1e-9, "day: score 66.67");
}

static void
empty_example(void)
{
	struct kpi_input in = {0, DAY, 0, 0, 0, 0, NULL, 0, 2, 0, {95, 90, 1}};
	struct kpi k;

	kpi_compute(&in, &k);
	TAP_OK(isnan(k.plan_execution_rate), "empty: no run planned: null");
	TAP_OK(isnan(k.timeliness_rate), "empty: nothing resolved: null");
	TAP_OK(isnan(k.mtta_seconds) && isnan(k.mttr_seconds),
	    "empty: no MTTA, no MTTR");
	TAP_NEAR(k.failure_rate, 0, 0, "empty: 2 devices never down: 0");
	TAP_OK(isnan(k.port_failure_rate), "empty: no port: null");
	TAP_OK(k.targets_evaluated == 1 && k.targets_met == 1,
	    "empty: only the failure target is evaluated, and met");
	TAP_NEAR(k.score, 100, 0, "empty: score 100");
}

static void
union_example(void)
{
	/*
	 * [0, 1000): r1 down [100, 200] and [300, 400] (200 s, apart), r2
	 * down [150, 250] (100 s); port p1 of r1 [0 before, 500] and
	 * [450, 600] (600 s merged); p2 of r1 [500, open] (500 s).
	 * Devices 2, ports 2: failure (300 + 1100) / (4 x 1000) = 0.35.
	 */
	const struct kpi_finding f[] = {
	    {"r1", "", KPI_DEVICE, 4, 100, 0, 200, 0},
	    {"r1", "", KPI_DEVICE, 4, 300, 0, 400, 0},
	    {"r2", "", KPI_DEVICE, 4, 150, 0, 250, 0},
	    {"r1", "p1", KPI_PORT, 3, -50, 0, 500, 0},
	    {"r1", "p1", KPI_PORT, 3, 450, 0, 600, 0},
	    {"r1", "p2", KPI_PORT, 3, 500, 0, 0, 0},
	};
	struct kpi_input in = {0, 1000, 1, 1, 1, 1, f, 6, 2, 2, {95, 90, 1}};
	struct kpi k;

	kpi_compute(&in, &k);
	TAP_NEAR(k.device_down_seconds, 300, 1e-9,
	    "union: devices down 200 + 100 s");
	TAP_NEAR(
	    k.port_down_seconds, 1100, 1e-9, "union: ports down 600 + 500 s");
	TAP_NEAR(k.failure_rate, 0.35, 1e-12, "union: failure rate 0.35");
	/* all resolved with no deadline: in time, 5 of 5 */
	TAP_NEAR(k.timeliness_rate, 1, 0, "union: no deadline is in time");
	TAP_OK(kpi_down_kind("probe.down") == KPI_DEVICE &&
	        kpi_down_kind("port.down") == KPI_PORT &&
	        kpi_down_kind("sensor.failed") == KPI_NONE,
	    "the kinds of down time");
}

int
main(void)
{
	day_example();
	empty_example();
	union_example();
	return tap_done();
}
