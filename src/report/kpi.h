/*
 * kpi.h - the inspection regime's KPIs over a period, from records
 * (pure: no I/O). The formulas, as netpatrol(8) states them:
 *
 *   plan_execution_rate = runs done / runs planned, over the scheduled
 *                         runs planned in the period (a missed run is
 *                         planned, not done; on-demand runs count in
 *                         neither)
 *   check_coverage_rate = checks done / checks planned, over those runs
 *   findings_discovered = findings opened in the period
 *   timeliness_rate     = findings resolved in the period on or before
 *                         their resolve deadline / findings resolved in
 *                         the period (one without a deadline is in time)
 *   failure_rate        = (device down seconds + port down seconds) /
 *                         ((devices + ports) x period seconds); a device
 *                         is down while a device.unreachable or a
 *                         probe.down finding of it is open (the union),
 *                         a port while its port.down finding is open,
 *                         clipped to the period
 *   mtta_seconds        = mean (acknowledged - opened) of the findings
 *                         acknowledged in the period
 *   mttr_seconds        = mean (resolved - opened) of the findings
 *                         resolved in the period
 *   score               = 100 x targets met / targets evaluated
 *                         (plan execution and timeliness at or above
 *                         theirs, failure at or below; a rate without
 *                         data is not evaluated)
 * A rate whose denominator is zero is NaN (JSON null).
 */
#ifndef NP_KPI_H
#define NP_KPI_H

#include <stddef.h>

#include "conf.h"

enum kpi_down { KPI_NONE = 0, KPI_DEVICE, KPI_PORT };

struct kpi_finding {
	const char *device, *object;
	enum kpi_down down;
	int severity; /* 0..4 */
	double opened, acknowledged, resolved, resolve_by; /* 0: not */
};

struct kpi_input {
	double since, until;
	int runs_planned, runs_done, checks_planned, checks_done;
	const struct kpi_finding *f;
	size_t nf;
	int devices, ports;
	struct kpi_targets targets;
};

struct kpi {
	double since, until;
	double plan_execution_rate, check_coverage_rate;
	int runs_planned, runs_done, runs_missed;
	int findings_discovered, by_severity[5];
	int findings_resolved, resolved_in_time, overdue_open;
	double timeliness_rate;
	double device_down_seconds, port_down_seconds;
	int devices, ports;
	double failure_rate, device_failure_rate, port_failure_rate;
	double mtta_seconds, mttr_seconds;
	int targets_met, targets_evaluated;
	double score;
	struct kpi_targets targets;
};

/* What kind of down time a finding's kind is. */
enum kpi_down kpi_down_kind(const char *kind);
void kpi_compute(const struct kpi_input *, struct kpi *);

#endif
