/*
 * report.c - a report's contents from the store (report.h): scope and
 * coverage from the run, findings active in the period with their state
 * at its end and their history, the summary, the previous report's
 * numbers, security checks, suggestions and the KPIs.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "jread.h"
#include "report.h"

static const char *const rpt_sev[5] = {
    "info", "warning", "minor", "major", "critical"};

const char *
report_sev_name(int s)
{
	return s >= 0 && s < 5 ? rpt_sev[s] : "?";
}

char *
report_time(double t, char *buf, size_t len)
{
	if (t <= 0 || isnan(t))
		snprintf(buf, len, "-");
	else
		event_time_rfc3339(t, buf, len);
	return buf;
}

char *
report_dur(double s, char *buf, size_t len)
{
	if (isnan(s) || s < 0)
		snprintf(buf, len, "-");
	else if (s < 120)
		snprintf(buf, len, "%.0fs", s);
	else if (s < 7200)
		snprintf(buf, len, "%.0fm", s / 60);
	else if (s < 172800)
		snprintf(buf, len, "%.1fh", s / 3600);
	else
		snprintf(buf, len, "%.1fd", s / 86400);
	return buf;
}

static void
rpt_count(struct rpt_counts *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].key, key) == 0) {
			c->v[i].n++;
			return;
		}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct rpt_count *v = realloc(c->v, cap * sizeof(*v));

		if (v == NULL)
			return;
		c->v = v;
		c->cap = cap;
	}
	snprintf(c->v[c->n].key, sizeof(c->v[c->n].key), "%s", key);
	c->v[c->n++].n = 1;
}

static int
rpt_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
rpt_in_scope(const struct report *r, const char *device)
{
	return r->ndevices > 0 &&
	    bsearch(&device, r->devices, r->ndevices, sizeof(char *),
	        rpt_strcmp) != NULL;
}

static int
rpt_add_device(struct report *r, const char *name, size_t *cap)
{
	if (r->ndevices == *cap) {
		size_t n = *cap ? 2 * *cap : 64;
		char **v = realloc(r->devices, n * sizeof(*v));

		if (v == NULL)
			return -1;
		r->devices = v;
		*cap = n;
	}
	if ((r->devices[r->ndevices] = strdup(name)) == NULL)
		return -1;
	r->ndevices++;
	return 0;
}

/* The devices in scope: the run's coverage, or every configured one. */
static int
rpt_scope(struct report *r, const struct config *c)
{
	const struct device_conf *d;
	size_t cap = 0;

	if (r->has_run) {
		const struct jread *devs = report_cov_devices(r);

		for (size_t i = 0; i < jread_len(devs); i++) {
			const struct jread *x = jread_at(devs, i);
			const char *name = jread_kstr(x, "device");

			if (name && rpt_add_device(r, name, &cap) == -1)
				return -1;
		}
	} else
		TAILQ_FOREACH(d, &c->devices, entry)
	if (rpt_add_device(r, d->name, &cap) == -1)
		return -1;
	if (r->ndevices > 0)
		qsort(r->devices, r->ndevices, sizeof(char *), rpt_strcmp);
	return 0;
}

static const char *
rpt_state_at(const struct finding *f, double t)
{
	if (f->closed > 0 && f->closed < t)
		return "closed";
	if (f->verified > 0 && f->verified < t)
		return "verified";
	if (f->resolved > 0 && f->resolved < t)
		return "resolved";
	if (f->acknowledged > 0 && f->acknowledged < t)
		return "acknowledged";
	return "open";
}

static double
rpt_opened(const struct finding *f)
{
	return f->opened > 0 ? f->opened : f->first_seen;
}

struct rpt_fctx {
	struct report *r;
	size_t cap;
	struct rpt_prev *prev; /* counting the previous period instead */
	double since, until;
};

static int
rpt_finding_cb(void *arg, const struct finding *f)
{
	struct rpt_fctx *x = arg;
	struct report *r = x->r;
	struct rpt_finding *rf;
	double o = rpt_opened(f);

	if (!rpt_in_scope(r, f->device))
		return 0;
	if (x->prev) {
		x->prev->findings++;
		if (o >= x->since)
			x->prev->n_new++;
		if (f->resolved >= x->since && f->resolved < x->until)
			x->prev->n_resolved++;
		if (f->severity < 5)
			x->prev->by_sev[f->severity]++;
		return 0;
	}
	if (r->nf == x->cap) {
		size_t n = x->cap ? 2 * x->cap : 64;
		struct rpt_finding *v = realloc(r->f, n * sizeof(*v));

		if (v == NULL)
			return 1;
		r->f = v;
		x->cap = n;
	}
	rf = &r->f[r->nf++];
	memset(rf, 0, sizeof(*rf));
	rf->f = *f;
	rf->is_new = o >= r->since;
	rf->resolved_in = f->resolved >= r->since && f->resolved < r->until;
	snprintf(rf->state_end, sizeof(rf->state_end), "%s",
	    rpt_state_at(f, r->until));
	return 0;
}

struct rpt_hctx {
	struct rpt_finding *rf;
	size_t cap;
	double until;
};

static int
rpt_hist_cb(void *arg, const struct store_fhist *h)
{
	struct rpt_hctx *x = arg;

	if (h->time >= x->until)
		return 0;
	if (x->rf->nhist == x->cap) {
		size_t n = x->cap ? 2 * x->cap : 8;
		struct store_fhist *v = realloc(x->rf->hist, n * sizeof(*v));

		if (v == NULL)
			return 1;
		x->rf->hist = v;
		x->cap = n;
	}
	x->rf->hist[x->rf->nhist++] = *h;
	return 0;
}

static void
rpt_summary(struct report *r)
{
	for (size_t i = 0; i < r->nf; i++) {
		const struct finding *f = &r->f[i].f;

		if (f->severity < 5)
			r->by_sev[f->severity]++;
		rpt_count(&r->by_role, finding_role_name(f->role));
		rpt_count(&r->by_kind, f->kind);
		rpt_count(&r->by_device, f->device);
		if (r->f[i].is_new)
			r->n_new++;
		else if (!r->f[i].resolved_in)
			r->n_still_open++;
		if (r->f[i].resolved_in)
			r->n_resolved++;
		if (strcmp(r->f[i].state_end, "open") == 0 ||
		    strcmp(r->f[i].state_end, "acknowledged") == 0)
			r->n_open_end++;
	}
}

/* --- the previous report --- */

struct rpt_prevrun {
	struct store_planrun run;
	int found;
};

static int
rpt_prev_cb(void *arg, const struct store_planrun *run)
{
	struct rpt_prevrun *p = arg;

	if (strcmp(run->state, "done") != 0 || run->id == p->run.id)
		return 0;
	p->run = *run;
	p->run.coverage = NULL;
	p->found = 1;
	return 1;
}

static int
rpt_previous(struct report *r, struct store *s)
{
	struct rpt_fctx x = {r, 0, &r->prev, 0, 0};

	if (r->has_run) {
		struct rpt_prevrun p = {0};
		struct store_planrun_filter f = {r->run.plan, 0, 0, 0, 1, 0};

		/* the newest done run planned (or started) before this one */
		p.run.id = r->run.id;
		f.until =
		    r->run.scheduled > 0 ? r->run.scheduled : r->run.started;
		if (store_get_planruns(s, &f, rpt_prev_cb, &p) == -1)
			return -1;
		if (!p.found)
			return 0;
		r->has_prev = 1;
		r->prev.run = p.run.id;
		r->prev.since = x.since = p.run.period_start;
		r->prev.until = x.until = p.run.period_end;
		return store_get_findings_between(
		    s, x.since, x.until, rpt_finding_cb, &x);
	}
	r->has_prev = 1;
	r->prev.since = r->since - (r->until - r->since);
	r->prev.until = r->since;
	x.since = r->prev.since;
	x.until = r->prev.until;
	return store_get_findings_between(
	    s, x.since, x.until, rpt_finding_cb, &x);
}

/* --- security --- */

static struct rpt_devsec *
rpt_sec(struct report *r, const char *device)
{
	size_t lo = 0, hi = r->nsec;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(r->sec[mid].device, device);

		if (c == 0)
			return &r->sec[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
rpt_cfgcheck_cb(void *arg, const struct store_cfgcheck *c)
{
	struct rpt_devsec *d = rpt_sec(arg, c->device);

	if (d != NULL) {
		if (c->result == 0)
			d->rules_passed++;
		else
			d->rules_failed++;
	}
	return 0;
}

static int
rpt_login_cb(void *arg, const char *device, int64_t n)
{
	struct rpt_devsec *d = rpt_sec(arg, device);

	if (d != NULL)
		d->login_failures += (int)n;
	return 0;
}

static int
rpt_security(struct report *r, struct store *s)
{
	const struct jread *devs = report_cov_devices(r);

	if ((r->sec = calloc(r->ndevices + 1, sizeof(*r->sec))) == NULL)
		return -1;
	r->nsec = r->ndevices;
	for (size_t i = 0; i < r->ndevices; i++) {
		snprintf(r->sec[i].device, sizeof(r->sec[i].device), "%s",
		    r->devices[i]);
		r->sec[i].default_community = -1;
	}
	if (store_get_cfgchecks(s, NULL, rpt_cfgcheck_cb, r) == -1 ||
	    store_count_events(s, "security.login_failure", r->since, r->until,
	        rpt_login_cb, r) == -1)
		return -1;
	for (size_t i = 0; i < jread_len(devs); i++) {
		const struct jread *x = jread_at(devs, i);
		const struct jread *dc = jread_get(x, "default_community");
		struct rpt_devsec *d = rpt_sec(
		    r, jread_kstr(x, "device") ? jread_kstr(x, "device") : "");

		if (d != NULL && dc != NULL)
			d->default_community =
			    jread_type(dc) == JR_BOOL ? (int)jread_num(dc) : -1;
	}
	return 0;
}

/* --- suggestions: the same kind on the same object, again and again --- */

struct rpt_sctx {
	struct report *r;
	size_t cap;
};

static int
rpt_recur_cb(void *arg, const struct finding *f)
{
	struct rpt_sctx *x = arg;
	struct report *r = x->r;
	size_t i;

	if (!rpt_in_scope(r, f->device))
		return 0;
	for (i = 0; i < r->nsug; i++)
		if (strcmp(r->sug[i].device, f->device) == 0 &&
		    strcmp(r->sug[i].object, f->object) == 0 &&
		    strcmp(r->sug[i].kind, f->kind) == 0)
			break;
	if (i == r->nsug) {
		if (r->nsug == x->cap) {
			size_t n = x->cap ? 2 * x->cap : 16;
			struct rpt_suggestion *v =
			    realloc(r->sug, n * sizeof(*v));

			if (v == NULL)
				return 1;
			r->sug = v;
			x->cap = n;
		}
		memset(&r->sug[i], 0, sizeof(r->sug[i]));
		snprintf(r->sug[i].device, sizeof(r->sug[i].device), "%s",
		    f->device);
		snprintf(r->sug[i].object, sizeof(r->sug[i].object), "%s",
		    f->object);
		snprintf(r->sug[i].kind, sizeof(r->sug[i].kind), "%s", f->kind);
		r->nsug++;
	}
	/* each finding, and each time it came back */
	r->sug[i].times += 1 + f->reopened;
	return 0;
}

static int
rpt_sug_cmp(const void *a, const void *b)
{
	const struct rpt_suggestion *p = a, *q = b;

	if (p->times != q->times)
		return q->times - p->times;
	return strcmp(p->device, q->device);
}

static int
rpt_suggestions(struct report *r, struct store *s)
{
	struct rpt_sctx x = {r, 0};
	size_t i, n = 0;

	if (store_get_findings_between(s, r->until - RPT_RECUR_DAYS * 86400.0,
	        r->until, rpt_recur_cb, &x) == -1)
		return -1;
	for (i = 0; i < r->nsug; i++)
		if (r->sug[i].times >= RPT_RECUR_TIMES)
			r->sug[n++] = r->sug[i];
	r->nsug = n;
	if (r->nsug > 0)
		qsort(r->sug, r->nsug, sizeof(*r->sug), rpt_sug_cmp);
	return 0;
}

/* --- KPIs --- */

struct rpt_kctx {
	struct kpi_finding *f;
	char (*names)[2][NP_STR_MAX];
	size_t n, cap;
	const struct report *r; /* NULL: every device */
	int runs_planned, runs_done, checks_planned, checks_done;
	int ports;
};

static int
rpt_kfind_cb(void *arg, const struct finding *f)
{
	struct rpt_kctx *x = arg;

	if (x->r && !rpt_in_scope(x->r, f->device))
		return 0;
	if (x->n == x->cap) {
		size_t n = x->cap ? 2 * x->cap : 64;
		struct kpi_finding *v = realloc(x->f, n * sizeof(*v));
		char(*nm)[2][NP_STR_MAX];

		if (v == NULL)
			return 1;
		x->f = v;
		if ((nm = realloc(x->names, n * sizeof(*nm))) == NULL)
			return 1;
		x->names = nm;
		x->cap = n;
	}
	snprintf(x->names[x->n][0], NP_STR_MAX, "%s", f->device);
	snprintf(x->names[x->n][1], NP_STR_MAX, "%s", f->object);
	x->f[x->n] = (struct kpi_finding){NULL, NULL, kpi_down_kind(f->kind),
	    (int)f->severity, rpt_opened(f), f->acknowledged, f->resolved,
	    f->resolve_by};
	x->n++;
	return 0;
}

static int
rpt_krun_cb(void *arg, const struct store_planrun *run)
{
	struct rpt_kctx *x = arg;

	if (strcmp(run->trigger, "schedule") != 0)
		return 0;
	x->runs_planned++;
	x->checks_planned += run->checks_planned;
	x->checks_done += run->checks_done;
	if (strcmp(run->state, "done") == 0)
		x->runs_done++;
	return 0;
}

static int
rpt_kport_cb(void *arg, const struct store_rrdsrc *src)
{
	struct rpt_kctx *x = arg;

	if (strcmp(src->kind, "port") == 0 && src->admin_up &&
	    (x->r == NULL || rpt_in_scope(x->r, src->device)))
		x->ports++;
	return 0;
}

static int
rpt_kpi(struct store *s, const struct config *c, const struct report *r,
    const char *plan, double since, double until, struct kpi *k)
{
	struct rpt_kctx x = {0};
	struct store_planrun_filter pf = {plan, 0, since, until, 0, 0};
	struct kpi_input in;
	int rc = -1;

	x.r = r;
	if (store_get_findings_between(s, since, until, rpt_kfind_cb, &x) ==
	        -1 ||
	    store_get_planruns(s, &pf, rpt_krun_cb, &x) == -1 ||
	    store_get_rrdsrcs(s, rpt_kport_cb, &x) == -1)
		goto out;
	for (size_t i = 0; i < x.n; i++) {
		x.f[i].device = x.names[i][0];
		x.f[i].object = x.names[i][1];
	}
	memset(&in, 0, sizeof(in));
	in.since = since;
	in.until = until;
	in.runs_planned = x.runs_planned;
	in.runs_done = x.runs_done;
	in.checks_planned = x.checks_planned;
	in.checks_done = x.checks_done;
	in.f = x.f;
	in.nf = x.n;
	in.devices = r ? (int)r->ndevices : c->ndevices;
	in.ports = x.ports;
	in.targets = c->kpi;
	kpi_compute(&in, k);
	rc = 0;
out:
	free(x.f);
	free(x.names);
	return rc;
}

int
report_kpi(struct store *s, const struct config *c, double since, double until,
    struct kpi *k, char *err, size_t errlen)
{
	if (rpt_kpi(s, c, NULL, NULL, since, until, k) == -1) {
		snprintf(err, errlen, "store: %s", store_errmsg(s));
		return -1;
	}
	return 0;
}

/* --- the whole --- */

static int
rpt_manual_cb(void *arg, const struct store_planresult *x)
{
	struct report *r = arg;
	size_t i;

	for (i = 0; i < r->nmanual; i++)
		if (r->manual[i].item == x->item)
			break;
	if (i == r->nmanual) {
		struct store_planresult *v =
		    realloc(r->manual, (r->nmanual + 1) * sizeof(*v));

		if (v == NULL)
			return 1;
		r->manual = v;
		r->nmanual++;
	}
	r->manual[i] = *x;
	return 0;
}

/* The plan's manual checks (as configured) and the results entered. */
static int
rpt_manual(struct report *r, struct store *s, const struct config *c)
{
	const struct plan_conf *p = conf_find_plan(c, r->run.plan);

	if (p != NULL && p->nmanual > 0) {
		if ((r->manual = calloc((size_t)p->nmanual,
		         sizeof(*r->manual))) == NULL)
			return -1;
		for (int i = 0; i < p->nmanual; i++) {
			r->manual[i].run = r->run.id;
			r->manual[i].item = i + 1;
			snprintf(r->manual[i].name, sizeof(r->manual[i].name),
			    "%s", p->manual[i]);
		}
		r->nmanual = (size_t)p->nmanual;
	}
	return store_get_planresults(s, r->run.id, rpt_manual_cb, r);
}

const struct jread *
report_cov_devices(const struct report *r)
{
	return r->cov != NULL ? jread_get(r->cov, "devices") : NULL;
}

int
report_build(struct report *r, struct store *s, const struct config *c,
    const char *kind, const struct store_planrun *run, double since,
    double until, char *err, size_t errlen)
{
	struct rpt_fctx fx = {r, 0, NULL, 0, 0};
	const struct plan_conf *p;

	memset(r, 0, sizeof(*r));
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	snprintf(r->rrd_cached, sizeof(r->rrd_cached), "%s", c->rrdcached);
	snprintf(r->rrd_dir, sizeof(r->rrd_dir), "%s/rrd", c->state_dir);
	if (run != NULL) {
		r->has_run = 1;
		r->run = *run;
		if ((r->coverage = strdup(
		         run->coverage ? run->coverage : "{}")) == NULL)
			goto oom;
		r->run.coverage = r->coverage;
		{
			char jerr[128];

			/* a coverage that does not parse: no device */
			r->cov = jread_parse(r->coverage, jerr, sizeof(jerr));
		}
		since = run->period_start;
		until = run->period_end;
		r->checks_planned = run->checks_planned;
		r->checks_done = run->checks_done;
		r->devices_done = run->devices_done;
		if ((p = conf_find_plan(c, run->plan)) != NULL &&
		    p->group[0] != '\0')
			snprintf(r->scope, sizeof(r->scope), "group \"%s\"",
			    p->group);
		else if (p != NULL && p->devices[0] != '\0')
			snprintf(r->scope, sizeof(r->scope), "devices \"%s\"",
			    p->devices);
		else
			snprintf(r->scope, sizeof(r->scope), "all devices");
	} else
		snprintf(r->scope, sizeof(r->scope), "all devices");
	r->since = since;
	r->until = until;
	if (rpt_scope(r, c) == -1)
		goto oom;
	if (store_get_findings_between(s, since, until, rpt_finding_cb, &fx) ==
	    -1)
		goto store;
	for (size_t i = 0; i < r->nf; i++) {
		struct rpt_hctx hx = {&r->f[i], 0, until};

		if (store_get_fhist(s, r->f[i].f.id, rpt_hist_cb, &hx) == -1)
			goto store;
	}
	if (r->has_run && rpt_manual(r, s, c) == -1)
		goto store;
	rpt_summary(r);
	if (rpt_previous(r, s) == -1)
		goto store;
	report_metrics(r, s);
	if (rpt_security(r, s) == -1 || rpt_suggestions(r, s) == -1)
		goto store;
	if (rpt_kpi(s, c, r, r->has_run ? r->run.plan : NULL, since, until,
	        &r->kpi) == -1)
		goto store;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
store:
	snprintf(err, errlen, "store: %s", store_errmsg(s));
	return -1;
}

void
report_free(struct report *r)
{
	for (size_t i = 0; i < r->nf; i++)
		free(r->f[i].hist);
	free(r->f);
	for (size_t i = 0; i < r->ndevices; i++)
		free(r->devices[i]);
	free(r->devices);
	free(r->by_role.v);
	free(r->by_kind.v);
	free(r->by_device.v);
	free(r->sec);
	free(r->sug);
	free(r->coverage);
	jread_free(r->cov);
	free(r->manual);
	memset(r, 0, sizeof(*r));
}
