/*
 * report.h - inspection reports, built from the store and the RRD files
 * (report.c, report_rrd.c) and written as text (80 columns), JSON or one
 * self-contained HTML file (report_out.c, report_html.c).
 *
 * A plan's report is built from its stored run (period, scope, coverage)
 * and the store's timed records of that period (findings and their
 * history, events, compliance results, RRD files): the same run gives
 * the same report for as long as those records are kept. The sections,
 * in this order: basic information, summary, findings in detail,
 * performance metrics, security checks, suggestions; then the KPIs.
 */
#ifndef NP_REPORT_H
#define NP_REPORT_H

#include <stdio.h>

#include "conf.h"
#include "finding.h"
#include "json.h"
#include "kpi.h"
#include "store.h"

struct jread;

#define RPT_RECUR_TIMES 3 /* the same kind on the same object: a pattern */
#define RPT_RECUR_DAYS 30 /* ... in this many days up to the period's end */
#define RPT_TOP_PORTS 5

struct rpt_finding {
	struct finding f;
	int is_new; /* opened in the period */
	int resolved_in; /* resolved in the period */
	char state_end[16]; /* its state at the period's end */
	struct store_fhist *hist; /* up to the period's end */
	size_t nhist;
};

struct rpt_count {
	char key[NP_STR_MAX];
	int n;
};
struct rpt_counts {
	struct rpt_count *v;
	size_t n, cap;
};

/* A metric over the period, the previous one and a month before. */
struct rpt_stat {
	double avg, max, p95; /* NaN: no data */
};
struct rpt_metric {
	char name[32];
	char unit[8];
	int sources;
	struct rpt_stat cur, prev, month;
};
#define RPT_NMETRICS 7

struct rpt_port {
	char device[NP_NAME_MAX];
	char port[NP_STR_MAX];
	double peak_pct, p95_pct; /* of the port's speed */
};

struct rpt_devsec {
	char device[NP_NAME_MAX];
	int rules_passed, rules_failed;
	int login_failures; /* security.login_failure events in the period */
	int default_community; /* -1: not checked */
};

struct rpt_suggestion {
	char device[NP_NAME_MAX];
	char object[NP_STR_MAX];
	char kind[40];
	int times;
};

struct rpt_prev {
	int64_t run; /* 0: not a plan's */
	double since, until;
	int findings, n_new, n_resolved, by_sev[5];
};

struct report {
	char kind[16]; /* plan, findings, compliance */
	int has_run;
	struct store_planrun run; /* coverage: report-owned copy */
	char *coverage;
	struct jread *cov; /* the coverage parsed once (NULL: none) */
	char scope[NP_STR_MAX + 16];
	double since, until;
	char **devices; /* in scope, sorted */
	size_t ndevices;
	int devices_done, checks_planned, checks_done;
	struct rpt_finding *f;
	size_t nf;
	int by_sev[5], n_new, n_still_open, n_resolved, n_open_end;
	struct rpt_counts by_role, by_kind, by_device;
	int has_prev;
	struct rpt_prev prev;
	struct rpt_metric m[RPT_NMETRICS];
	struct rpt_port top[RPT_TOP_PORTS];
	int ntop;
	struct rpt_devsec *sec;
	size_t nsec;
	struct rpt_suggestion *sug;
	size_t nsug;
	struct kpi kpi;
	int ports; /* in scope, for the failure rate */
	/* the plan's manual checks, each with its result (result "" when
	 * none was entered) */
	struct store_planresult *manual;
	size_t nmanual;
	/* where the RRD files are read: rrdcached's address ("" none) and
	 * the files' folder (STATE/rrd) */
	char rrd_cached[256];
	char rrd_dir[4096 + 8];
};

/*
 * Build R of KIND ("plan": from RUN; "findings": over [SINCE, UNTIL)
 * for every configured device). 0, or -1 with ERR.
 */
int report_build(struct report *, struct store *, const struct config *,
    const char *kind, const struct store_planrun *run, double since,
    double until, char *err, size_t errlen);
void report_free(struct report *);

/* The KPIs of [SINCE, UNTIL) over all plans and devices (report.c). */
int report_kpi(struct store *, const struct config *, double since,
    double until, struct kpi *, char *err, size_t errlen);
void report_kpi_json(struct jbuf *, const struct kpi *);
void report_kpi_text(FILE *, const struct kpi *);

/* report_rrd.c: the metrics of R's devices from their RRD files. */
void report_metrics(struct report *, struct store *);
/* A PNG graph of a metric's sources as a data: URI (malloc'd), or NULL. */
char *report_graph_uri(
    struct store *, const struct report *, const char *metric);

/* report_out.c */
void report_json(struct jbuf *, const struct report *);
void report_text(FILE *, const struct report *);
/* report_html.c */
void report_html(FILE *, struct store *, const struct report *);

/* The run's coverage's devices[] (NULL without a run). */
const struct jread *report_cov_devices(const struct report *);

/* Helpers shared by the writers. */
const char *report_sev_name(int);
char *report_time(double, char *, size_t);
char *report_dur(double seconds, char *, size_t);

#endif
