/*
 * report_out.c - a report as JSON (netpatrol(8) lists its keys) and as
 * text of at most 80 columns, in the sections' order (report.h).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jread.h"
#include "report.h"

/* Each skipped check of the run's coverage: CB(ARG, device, check, why). */
static void
rpt_skipped(const struct report *r,
    void (*cb)(void *, const char *, const char *, const char *), void *arg)
{
	const struct jread *devs = report_cov_devices(r);

	for (size_t i = 0; i < jread_len(devs); i++) {
		const struct jread *d = jread_at(devs, i);
		const struct jread *cs = jread_get(d, "checks");

		for (size_t k = 0; k < jread_len(cs); k++) {
			const struct jread *c = jread_at(cs, k);
			const char *why = jread_kstr(c, "skipped");

			if (why != NULL)
				cb(arg, jread_kstr(d, "device"),
				    jread_kstr(c, "check"), why);
		}
	}
}

/*
 * The fresh data each device had for the run (coverage's fresh_poll and
 * fresh_fetch): CB(ARG, device, poll, fetch), either may be NULL.
 */
static void
rpt_fresh(const struct report *r,
    void (*cb)(void *, const char *, const char *, const char *), void *arg)
{
	const struct jread *devs = report_cov_devices(r);

	for (size_t i = 0; i < jread_len(devs); i++) {
		const struct jread *d = jread_at(devs, i);
		const char *p = jread_kstr(d, "fresh_poll");
		const char *f = jread_kstr(d, "fresh_fetch");

		if (p != NULL || f != NULL)
			cb(arg, jread_kstr(d, "device"), p, f);
	}
}

static double
rpt_ratio(double a, double b)
{
	return b > 0 ? a / b : NAN;
}

/* --- JSON --- */

static void
j_time(struct jbuf *j, const char *k, double t)
{
	char buf[40];

	json_key(j, k);
	if (t > 0 && !isnan(t))
		json_str(j, report_time(t, buf, sizeof(buf)));
	else
		json_null(j);
}

static void
j_period(struct jbuf *j, const char *k, double a, double b)
{
	json_key(j, k);
	json_obj_open(j);
	j_time(j, "since", a);
	j_time(j, "until", b);
	json_kreal(j, "seconds", b - a);
	json_obj_close(j);
}

static void
j_counts(struct jbuf *j, const char *k, const struct rpt_counts *c)
{
	json_key(j, k);
	json_obj_open(j);
	for (size_t i = 0; i < c->n; i++)
		json_kint(j, c->v[i].key, c->v[i].n);
	json_obj_close(j);
}

static void
j_sev(struct jbuf *j, const char *k, const int *by)
{
	json_key(j, k);
	json_obj_open(j);
	for (int s = 4; s >= 0; s--)
		json_kint(j, report_sev_name(s), by[s]);
	json_obj_close(j);
}

static void
j_skip(void *arg, const char *dev, const char *check, const char *why)
{
	struct jbuf *j = arg;

	json_obj_open(j);
	json_kstr(j, "device", dev ? dev : "");
	json_kstr(j, "check", check ? check : "");
	json_kstr(j, "reason", why);
	json_obj_close(j);
}

static void
j_fresh(void *arg, const char *dev, const char *poll, const char *fetch)
{
	struct jbuf *j = arg;

	json_obj_open(j);
	json_kstr(j, "device", dev ? dev : "");
	json_key(j, "poll");
	if (poll)
		json_str(j, poll);
	else
		json_null(j);
	json_key(j, "fetch");
	if (fetch)
		json_str(j, fetch);
	else
		json_null(j);
	json_obj_close(j);
}

static void
j_stat(struct jbuf *j, const char *k, const struct rpt_stat *s)
{
	if (k != NULL) {
		json_key(j, k);
		json_obj_open(j);
	}
	json_kreal(j, "avg", s->avg);
	json_kreal(j, "max", s->max);
	json_kreal(j, "p95", s->p95);
	if (k != NULL)
		json_obj_close(j);
}

void
report_kpi_json(struct jbuf *j, const struct kpi *k)
{
	j_period(j, "period", k->since, k->until);
	json_kreal(j, "plan_execution_rate", k->plan_execution_rate);
	json_kreal(j, "check_coverage_rate", k->check_coverage_rate);
	json_kint(j, "runs_planned", k->runs_planned);
	json_kint(j, "runs_done", k->runs_done);
	json_kint(j, "runs_missed", k->runs_missed);
	json_kint(j, "findings_discovered", k->findings_discovered);
	j_sev(j, "findings_by_severity", k->by_severity);
	json_kint(j, "findings_resolved", k->findings_resolved);
	json_kint(j, "resolved_in_time", k->resolved_in_time);
	json_kreal(j, "timeliness_rate", k->timeliness_rate);
	json_kint(j, "overdue_open", k->overdue_open);
	json_kreal(j, "failure_rate", k->failure_rate);
	json_kreal(j, "device_failure_rate", k->device_failure_rate);
	json_kreal(j, "port_failure_rate", k->port_failure_rate);
	json_kreal(j, "device_down_seconds", k->device_down_seconds);
	json_kreal(j, "port_down_seconds", k->port_down_seconds);
	json_kint(j, "devices", k->devices);
	json_kint(j, "ports", k->ports);
	json_kreal(j, "mtta_seconds", k->mtta_seconds);
	json_kreal(j, "mttr_seconds", k->mttr_seconds);
	json_key(j, "targets");
	json_obj_open(j);
	json_kreal(j, "plan_execution", k->targets.plan_execution);
	json_kreal(j, "timeliness", k->targets.timeliness);
	json_kreal(j, "failure", k->targets.failure);
	json_obj_close(j);
	json_kint(j, "targets_met", k->targets_met);
	json_kint(j, "targets_evaluated", k->targets_evaluated);
	json_kreal(j, "score", k->score);
}

static void
j_findings(struct jbuf *j, const struct report *r)
{
	json_key(j, "findings");
	json_arr_open(j);
	for (size_t i = 0; i < r->nf; i++) {
		const struct rpt_finding *f = &r->f[i];

		json_obj_open(j);
		finding_json_members(j, &f->f, r->until);
		json_kbool(j, "new", f->is_new);
		json_kbool(j, "resolved_in_period", f->resolved_in);
		json_kstr(j, "state_at_end", f->state_end);
		json_key(j, "history");
		json_arr_open(j);
		for (size_t h = 0; h < f->nhist; h++) {
			json_obj_open(j);
			j_time(j, "time", f->hist[h].time);
			json_kstr(j, "action", f->hist[h].action);
			json_kstr(j, "actor", f->hist[h].actor);
			json_kstr(j, "state", f->hist[h].state);
			json_kstr(j, "text", f->hist[h].text);
			json_obj_close(j);
		}
		json_arr_close(j);
		json_obj_close(j);
	}
	json_arr_close(j);
}

static void
j_metrics(struct jbuf *j, const struct report *r)
{
	json_key(j, "metrics");
	json_obj_open(j);
	for (int m = 0; m < RPT_NMETRICS; m++) {
		json_key(j, r->m[m].name);
		json_obj_open(j);
		json_kstr(j, "unit", r->m[m].unit);
		json_kint(j, "sources", r->m[m].sources);
		j_stat(j, NULL, &r->m[m].cur);
		j_stat(j, "previous", &r->m[m].prev);
		j_stat(j, "month_ago", &r->m[m].month);
		json_obj_close(j);
	}
	json_key(j, "top_ports");
	json_arr_open(j);
	for (int i = 0; i < r->ntop; i++) {
		json_obj_open(j);
		json_kstr(j, "device", r->top[i].device);
		json_kstr(j, "port", r->top[i].port);
		json_kreal(j, "peak_pct", r->top[i].peak_pct);
		json_kreal(j, "p95_pct", r->top[i].p95_pct);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

static void
j_security(struct jbuf *j, const struct report *r)
{
	int failed = 0, logins = 0, defcomm = 0;

	json_key(j, "security");
	json_obj_open(j);
	json_key(j, "devices");
	json_arr_open(j);
	for (size_t i = 0; i < r->nsec; i++) {
		const struct rpt_devsec *d = &r->sec[i];

		json_obj_open(j);
		json_kstr(j, "device", d->device);
		json_kint(j, "rules_passed", d->rules_passed);
		json_kint(j, "rules_failed", d->rules_failed);
		json_kint(j, "login_failures", d->login_failures);
		json_key(j, "default_community");
		if (d->default_community < 0)
			json_null(j);
		else
			json_bool(j, d->default_community);
		json_obj_close(j);
		failed += d->rules_failed;
		logins += d->login_failures;
		defcomm += d->default_community > 0;
	}
	json_arr_close(j);
	json_kint(j, "rules_failed", failed);
	json_kint(j, "login_failures", logins);
	json_kint(j, "default_communities", defcomm);
	json_obj_close(j);
}

void
report_json(struct jbuf *j, const struct report *r)
{
	json_obj_open(j);
	json_kstr(j, "kind", r->kind);
	json_key(j, "plan");
	if (r->has_run)
		json_str(j, r->run.plan);
	else
		json_null(j);
	json_key(j, "run");
	if (r->has_run)
		json_int(j, r->run.id);
	else
		json_null(j);
	j_period(j, "period", r->since, r->until);
	/* 1. basic information */
	json_key(j, "scope");
	json_obj_open(j);
	json_kstr(j, "selector", r->scope);
	json_key(j, "devices");
	json_arr_open(j);
	for (size_t i = 0; i < r->ndevices; i++)
		json_str(j, r->devices[i]);
	json_arr_close(j);
	if (r->has_run) {
		json_kstr(j, "inspector", r->run.inspector);
		json_kstr(j, "category", r->run.category);
		json_kstr(j, "trigger", r->run.trigger);
		json_kstr(j, "requested_by", r->run.requested_by);
		j_time(j, "started", r->run.started);
		j_time(j, "ended", r->run.ended);
	}
	json_obj_close(j);
	json_key(j, "coverage");
	if (r->has_run) {
		json_obj_open(j);
		json_kint(j, "devices_planned", (int64_t)r->ndevices);
		json_kint(j, "devices_done", r->devices_done);
		json_kint(j, "checks_planned", r->checks_planned);
		json_kint(j, "checks_done", r->checks_done);
		json_kreal(
		    j, "rate", rpt_ratio(r->checks_done, r->checks_planned));
		json_key(j, "skipped");
		json_arr_open(j);
		rpt_skipped(r, j_skip, j);
		json_arr_close(j);
		json_key(j, "fresh");
		json_arr_open(j);
		rpt_fresh(r, j_fresh, j);
		json_arr_close(j);
		json_obj_close(j);
	} else
		json_null(j);
	json_key(j, "manual");
	json_arr_open(j);
	for (size_t i = 0; i < r->nmanual; i++) {
		const struct store_planresult *x = &r->manual[i];

		json_obj_open(j);
		json_kint(j, "item", x->item);
		json_kstr(j, "name", x->name);
		json_key(j, "result");
		if (x->result[0])
			json_str(j, x->result);
		else
			json_null(j);
		json_kstr(j, "device", x->device);
		json_kstr(j, "note", x->note);
		json_kstr(j, "who", x->who);
		j_time(j, "time", x->time);
		json_key(j, "finding");
		if (x->finding > 0)
			json_int(j, x->finding);
		else
			json_null(j);
		json_obj_close(j);
	}
	json_arr_close(j);
	/* 2. summary */
	json_key(j, "summary");
	json_obj_open(j);
	json_kint(j, "findings", (int64_t)r->nf);
	json_kint(j, "new", r->n_new);
	json_kint(j, "still_open", r->n_still_open);
	json_kint(j, "resolved", r->n_resolved);
	json_kint(j, "open_at_end", r->n_open_end);
	j_sev(j, "by_severity", r->by_sev);
	j_counts(j, "by_role", &r->by_role);
	j_counts(j, "by_kind", &r->by_kind);
	j_counts(j, "by_device", &r->by_device);
	json_obj_close(j);
	/* 3. each finding; 4. metrics; 5. security; 6. suggestions */
	j_findings(j, r);
	j_metrics(j, r);
	j_security(j, r);
	json_key(j, "suggestions");
	json_arr_open(j);
	for (size_t i = 0; i < r->nsug; i++) {
		json_obj_open(j);
		json_kstr(j, "device", r->sug[i].device);
		json_kstr(j, "object", r->sug[i].object);
		json_kstr(j, "kind", r->sug[i].kind);
		json_kint(j, "times", r->sug[i].times);
		json_kint(j, "days", RPT_RECUR_DAYS);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_key(j, "previous");
	if (r->has_prev) {
		json_obj_open(j);
		json_key(j, "run");
		if (r->prev.run > 0)
			json_int(j, r->prev.run);
		else
			json_null(j);
		j_period(j, "period", r->prev.since, r->prev.until);
		json_kint(j, "findings", r->prev.findings);
		json_kint(j, "new", r->prev.n_new);
		json_kint(j, "resolved", r->prev.n_resolved);
		j_sev(j, "by_severity", r->prev.by_sev);
		json_key(j, "change");
		json_obj_open(j);
		json_kint(j, "findings", (int64_t)r->nf - r->prev.findings);
		json_kint(j, "new", r->n_new - r->prev.n_new);
		json_kint(j, "resolved", r->n_resolved - r->prev.n_resolved);
		json_obj_close(j);
		json_obj_close(j);
	} else
		json_null(j);
	json_key(j, "kpi");
	json_obj_open(j);
	report_kpi_json(j, &r->kpi);
	json_obj_close(j);
	json_obj_close(j);
}

/* --- text --- */

static void
t_rule(FILE *fp, const char *title)
{
	fprintf(fp, "\n%s\n", title);
	for (size_t i = 0; i < strlen(title); i++)
		fputc('-', fp);
	fputc('\n', fp);
}

static void
t_counts(FILE *fp, const char *label, const struct rpt_counts *c)
{
	int col = fprintf(fp, "  %-12s", label);

	for (size_t i = 0; i < c->n; i++) {
		char item[96];
		int n = snprintf(
		    item, sizeof(item), " %.40s %d", c->v[i].key, c->v[i].n);

		if (col + n > 79) {
			fprintf(fp, "\n%14s", "");
			col = 14;
		}
		fputs(item, fp);
		col += n;
	}
	fputc('\n', fp);
}

/* fresh data: counts of each answer, for the text */
struct t_fresh {
	int polls, answered, fetches, fetched;
};

static void
t_fresh_cb(void *arg, const char *dev, const char *poll, const char *fetch)
{
	struct t_fresh *x = arg;

	(void)dev;
	if (poll != NULL) {
		x->polls++;
		x->answered += strcmp(poll, "answered") == 0;
	}
	if (fetch != NULL) {
		x->fetches++;
		x->fetched += strcmp(fetch, "fetched") == 0;
	}
}

static void
t_skip(void *arg, const char *dev, const char *check, const char *why)
{
	fprintf(arg, "    skipped %.20s %.10s: %.40s\n", dev ? dev : "",
	    check ? check : "", why);
}

static void
t_num(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fabs(v) >= 1e9)
		snprintf(buf, len, "%.2fG", v / 1e9);
	else if (fabs(v) >= 1e6)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else if (fabs(v) >= 1e4)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else
		snprintf(buf, len, "%.2f", v);
}

static void
t_pct(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", 100 * v);
}

static void
t_finding(FILE *fp, const struct report *r, const struct rpt_finding *x)
{
	const struct finding *f = &x->f;
	char a[40], b[40], c[40], d[40];

	fprintf(fp, "\n  #%lld %s %.20s%s%.24s%s%s\n", (long long)f->id,
	    report_sev_name(f->severity), f->device, f->object[0] ? " " : "",
	    f->object, x->is_new ? " (new)" : "",
	    x->resolved_in ? " (resolved)" : "");
	fprintf(fp, "    %.74s\n", f->title);
	fprintf(fp, "    kind %.30s, role %s, owner %.20s, priority %d\n",
	    f->kind, finding_role_name(f->role), f->owner[0] ? f->owner : "-",
	    f->priority);
	fprintf(fp, "    opened %s, deadline %s\n",
	    report_time(
	        f->opened > 0 ? f->opened : f->first_seen, a, sizeof(a)),
	    report_time(f->resolve_by, d, sizeof(d)));
	fprintf(fp, "    acknowledged %s\n",
	    report_time(f->acknowledged < r->until ? f->acknowledged : 0, b,
	        sizeof(b)));
	fprintf(fp, "    resolved %s%s\n",
	    report_time(f->resolved < r->until ? f->resolved : 0, c, sizeof(c)),
	    f->resolved > 0 && f->resolved < r->until && f->resolve_by > 0
	        ? (f->resolved <= f->resolve_by ? " (in time)" : " (late)")
	        : "");
	fprintf(fp, "    state at the end of the period: %s\n", x->state_end);
	for (size_t h = 0; h < x->nhist; h++)
		fprintf(fp, "      %s %-11.11s %-12.12s %.23s\n",
		    report_time(x->hist[h].time, a, sizeof(a)),
		    x->hist[h].action, x->hist[h].actor, x->hist[h].text);
}

void
report_kpi_text(FILE *fp, const struct kpi *k)
{
	char a[24], b[24], c[24];

	t_pct(a, sizeof(a), k->plan_execution_rate);
	fprintf(fp,
	    "  plan execution   %-8s (%d of %d scheduled runs; target "
	    "%.4g%%)\n",
	    a, k->runs_done, k->runs_planned, k->targets.plan_execution);
	t_pct(a, sizeof(a), k->check_coverage_rate);
	fprintf(fp, "  check coverage   %s\n", a);
	fprintf(fp,
	    "  findings found   %d (critical %d, major %d, minor %d, "
	    "warning %d, info %d)\n",
	    k->findings_discovered, k->by_severity[4], k->by_severity[3],
	    k->by_severity[2], k->by_severity[1], k->by_severity[0]);
	t_pct(a, sizeof(a), k->timeliness_rate);
	fprintf(fp,
	    "  timeliness       %-8s (%d of %d resolved in time; "
	    "target %.4g%%)\n",
	    a, k->resolved_in_time, k->findings_resolved,
	    k->targets.timeliness);
	fprintf(fp, "  overdue, open    %d\n", k->overdue_open);
	t_pct(a, sizeof(a), k->failure_rate);
	t_pct(b, sizeof(b), k->device_failure_rate);
	t_pct(c, sizeof(c), k->port_failure_rate);
	fprintf(fp,
	    "  failure rate     %-8s (devices %s, ports %s; target "
	    "%.4g%%)\n",
	    a, b, c, k->targets.failure);
	fprintf(fp, "  MTTA / MTTR      %s / %s\n",
	    report_dur(k->mtta_seconds, a, sizeof(a)),
	    report_dur(k->mttr_seconds, b, sizeof(b)));
	if (isnan(k->score))
		fprintf(fp, "  score            -\n");
	else
		fprintf(fp, "  score            %.0f (%d of %d targets met)\n",
		    k->score, k->targets_met, k->targets_evaluated);
}

void
report_text(FILE *fp, const struct report *r)
{
	char a[40], b[40], c[24];

	if (r->has_run)
		fprintf(fp, "Inspection report: plan %.30s, run %lld\n",
		    r->run.plan, (long long)r->run.id);
	else
		fprintf(fp, "Inspection report: %s\n", r->kind);
	t_rule(fp, "1. Basic information");
	fprintf(fp, "  Period       %s .. %s\n",
	    report_time(r->since, a, sizeof(a)),
	    report_time(r->until, b, sizeof(b)));
	fprintf(
	    fp, "  Scope        %.50s: %zu devices\n", r->scope, r->ndevices);
	if (r->has_run) {
		fprintf(fp, "  Inspector    %.30s (%s, %s)\n", r->run.inspector,
		    r->run.category, r->run.trigger);
		fprintf(fp, "  Run          %s, by %.30s\n",
		    report_time(r->run.started, a, sizeof(a)),
		    r->run.requested_by);
		t_pct(
		    c, sizeof(c), rpt_ratio(r->checks_done, r->checks_planned));
		fprintf(fp,
		    "  Coverage     %d of %d checks on %d of %zu "
		    "devices (%s)\n",
		    r->checks_done, r->checks_planned, r->devices_done,
		    r->ndevices, c);
		{
			struct t_fresh x = {0};

			rpt_fresh(r, t_fresh_cb, &x);
			if (x.polls + x.fetches > 0)
				fprintf(fp,
				    "  Fresh data   %d of %d polls answered, "
				    "%d of %d configurations fetched\n",
				    x.answered, x.polls, x.fetched, x.fetches);
		}
		rpt_skipped(r, t_skip, fp);
	}
	for (size_t i = 0; i < r->nmanual; i++) {
		const struct store_planresult *x = &r->manual[i];

		char line[256];

		fprintf(fp, "  %-12s %d. %.40s: %s\n", i == 0 ? "Manual" : "",
		    x->item, x->name, x->result[0] ? x->result : "not entered");
		if (!x->result[0])
			continue;
		snprintf(line, sizeof(line), "%15s %s%s%s%s%s%s", "",
		    x->device[0] ? "on " : "", x->device,
		    x->device[0] ? " " : "", "by ", x->who,
		    x->note[0] ? ": " : "");
		fprintf(fp, "%.80s", line);
		if (x->note[0] && strlen(line) < 78)
			fprintf(fp, "%.*s", (int)(80 - strlen(line)), x->note);
		fputc('\n', fp);
	}
	t_rule(fp, "2. Summary");
	fprintf(fp,
	    "  Findings     %zu: %d new, %d still open, %d resolved; "
	    "%d open at the end\n",
	    r->nf, r->n_new, r->n_still_open, r->n_resolved, r->n_open_end);
	fprintf(fp,
	    "  By severity  critical %d, major %d, minor %d, warning "
	    "%d, info %d\n",
	    r->by_sev[4], r->by_sev[3], r->by_sev[2], r->by_sev[1],
	    r->by_sev[0]);
	t_counts(fp, "By role", &r->by_role);
	t_counts(fp, "By kind", &r->by_kind);
	t_counts(fp, "By device", &r->by_device);
	if (r->has_prev)
		fprintf(fp,
		    "  Previous     %zu findings (%+d), %d new (%+d), "
		    "%d resolved (%+d)\n",
		    (size_t)r->prev.findings, (int)r->nf - r->prev.findings,
		    r->prev.n_new, r->n_new - r->prev.n_new, r->prev.n_resolved,
		    r->n_resolved - r->prev.n_resolved);
	else
		fprintf(fp, "  Previous     none (the first report)\n");
	t_rule(fp, "3. Findings");
	if (r->nf == 0)
		fprintf(fp, "  none\n");
	for (size_t i = 0; i < r->nf; i++)
		t_finding(fp, r, &r->f[i]);
	t_rule(fp, "4. Performance");
	fprintf(fp, "  %-14s %-6s %8s %8s %8s %8s %8s %8s\n", "METRIC", "UNIT",
	    "AVG", "MAX", "P95", "PREV AVG", "PREV MAX", "MONTH AVG");
	for (int m = 0; m < RPT_NMETRICS; m++) {
		char v[6][16];

		t_num(v[0], 16, r->m[m].cur.avg);
		t_num(v[1], 16, r->m[m].cur.max);
		t_num(v[2], 16, r->m[m].cur.p95);
		t_num(v[3], 16, r->m[m].prev.avg);
		t_num(v[4], 16, r->m[m].prev.max);
		t_num(v[5], 16, r->m[m].month.avg);
		fprintf(fp, "  %-14s %-6s %8s %8s %8s %8s %8s %8s\n",
		    r->m[m].name, r->m[m].unit, v[0], v[1], v[2], v[3], v[4],
		    v[5]);
	}
	for (int i = 0; i < r->ntop; i++)
		fprintf(fp,
		    "  busiest port %.20s %.24s: peak %.1f%%, 95th "
		    "%.1f%%\n",
		    r->top[i].device, r->top[i].port, r->top[i].peak_pct,
		    r->top[i].p95_pct);
	t_rule(fp, "5. Security");
	fprintf(fp, "  %-24s %7s %7s %14s %10s\n", "DEVICE", "PASSED", "FAILED",
	    "FAILED LOGINS", "DEFAULT");
	for (size_t i = 0; i < r->nsec; i++)
		fprintf(fp, "  %-24.24s %7d %7d %14d %10s\n", r->sec[i].device,
		    r->sec[i].rules_passed, r->sec[i].rules_failed,
		    r->sec[i].login_failures,
		    r->sec[i].default_community < 0   ? "-"
		        : r->sec[i].default_community ? "COMMUNITY"
		                                      : "no");
	t_rule(fp, "6. Suggestions");
	if (r->nsug == 0)
		fprintf(fp, "  none\n");
	for (size_t i = 0; i < r->nsug; i++)
		fprintf(fp,
		    "  %.20s %.20s: %.24s %d times in %d days: find "
		    "the cause\n",
		    r->sug[i].device,
		    r->sug[i].object[0] ? r->sug[i].object : "-",
		    r->sug[i].kind, r->sug[i].times, RPT_RECUR_DAYS);
	t_rule(fp, "7. KPIs");
	report_kpi_text(fp, &r->kpi);
}
