/*
 * cli_report.c - netpatrol inspect, reports, report and kpi: plans' runs
 * and their reports, the built-in reports (compliance, findings) and the
 * KPIs, from the store (report/report.h); inspect asks the daemon to run
 * a plan and waits until the run is in the store.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config/cfgdiff.h"
#include "recjson.h"
#include "report.h"
#include "report_bundle.h"

#define INSPECT_WAIT_MS 330000 /* a run waits up to 300 s for fetches */

enum rfmt { RF_TEXT, RF_HTML, RF_JSON };

static int
rfmt_parse(const char *s, enum rfmt *f)
{
	if (strcmp(s, "text") == 0)
		*f = RF_TEXT;
	else if (strcmp(s, "html") == 0)
		*f = RF_HTML;
	else if (strcmp(s, "json") == 0)
		*f = RF_JSON;
	else {
		fprintf(stderr,
		    "netpatrol: --format takes text, html or "
		    "json\n");
		return -1;
	}
	return 0;
}

static double
cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Local midnight of Y-M-D (M may overflow into the next year). */
static double
day_start(int y, int m, int d)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	return (double)mktime(&tm);
}

/*
 * A period: YYYY-MM (a month), YYYY-MM-DD (a day), Nh, Nd or Nw (up to
 * now), or YYYY-MM-DD..YYYY-MM-DD (from the first day to the end of the
 * second). 0, or -1 after saying why.
 */
int
cli_period(const char *s, double *since, double *until)
{
	int y, m, d, y2, m2, d2, n;
	char unit, extra;

	if (sscanf(s, "%d-%d-%d..%d-%d-%d%c", &y, &m, &d, &y2, &m2, &d2,
	        &extra) == 6) {
		*since = day_start(y, m, d);
		*until = day_start(y2, m2, d2 + 1);
	} else if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3) {
		*since = day_start(y, m, d);
		*until = day_start(y, m, d + 1);
	} else if (sscanf(s, "%4d-%2d%c", &y, &m, &extra) == 2 && m >= 1 &&
	    m <= 12) {
		*since = day_start(y, m, 1);
		*until = day_start(y, m + 1, 1);
	} else if (sscanf(s, "%d%c%c", &n, &unit, &extra) == 2 && n > 0 &&
	    strchr("hdw", unit) != NULL) {
		*until = cli_now();
		*since = *until -
		    n *
		        (unit == 'h'          ? 3600.0
		                : unit == 'd' ? 86400.0
		                              : 604800.0);
	} else {
		fprintf(stderr,
		    "netpatrol: a period is YYYY-MM, YYYY-MM-DD, "
		    "Nh, Nd, Nw or YYYY-MM-DD..YYYY-MM-DD, not \"%s\"\n",
		    s);
		return -1;
	}
	if (*until <= *since) {
		fprintf(stderr, "netpatrol: the period \"%s\" is empty\n", s);
		return -1;
	}
	return 0;
}

static int
report_out(struct cli *c, struct report *r, enum rfmt f)
{
	if (c->json || f == RF_JSON) {
		struct jbuf j;

		jbuf_init(&j);
		report_json(&j, r);
		printf("%s\n", j.s ? j.s : "{}");
		jbuf_free(&j);
	} else if (f == RF_HTML)
		report_html(stdout, c->store, r);
	else
		report_text(stdout, r);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* --- runs --- */

struct run_pick {
	struct store_planrun run;
	char *coverage;
	int found;
	int done_only;
};

static int
run_pick_cb(void *arg, const struct store_planrun *r)
{
	struct run_pick *p = arg;

	if (p->done_only && strcmp(r->state, "done") != 0)
		return 0;
	p->run = *r;
	free(p->coverage);
	p->coverage = strdup(r->coverage ? r->coverage : "{}");
	p->run.coverage = p->coverage;
	p->found = 1;
	return 1;
}

/*
 * RUN's report in F as the archive keeps it: 1 when printed, 0 when
 * there is no copy, -1 on error.
 */
static int
report_archived(struct cli *c, int64_t run, enum rfmt f)
{
	static const char *const names[] = {"text", "html", "json"};
	struct store_reportcopy rc;
	const char *fmt = c->json ? "json" : names[f];
	char err[256], *out;
	void *z;
	int got;

	if ((got = store_get_reportcopy(c->store, run, fmt, &rc, &z)) <= 0) {
		if (got == -1)
			fprintf(stderr, "netpatrol: store: %s\n",
			    store_errmsg(c->store));
		return got;
	}
	if (report_inflate(z, rc.zlen, rc.size, &out, err, sizeof(err)) ==
	    -1) {
		fprintf(stderr, "netpatrol: run %lld, %s report: %s\n",
		    (long long)run, fmt, err);
		free(z);
		return -1;
	}
	free(z);
	fwrite(out, 1, rc.size, stdout);
	/* the JSON was kept as the report writer made it, without the
	 * newline that ends the CLI's output */
	if (strcmp(fmt, "json") == 0)
		putchar('\n');
	free(out);
	return fflush(stdout) == 0 ? 1 : -1;
}

static int
report_run(struct cli *c, const char *plan, int64_t id, enum rfmt f,
    int live)
{
	struct run_pick p = {0};
	struct store_planrun_filter flt = {plan, id, 0, 0, 1, 0};
	struct report r;
	char err[256];
	int rc = 1;

	p.done_only = 1;
	if (store_get_planruns(c->store, &flt, run_pick_cb, &p) == -1) {
		fprintf(
		    stderr, "netpatrol: store: %s\n", store_errmsg(c->store));
		return 1;
	}
	if (!p.found) {
		if (id)
			fprintf(stderr,
			    "netpatrol: plan %s has no run %lld "
			    "that was done\n",
			    plan, (long long)id);
		else
			fprintf(stderr,
			    "netpatrol: plan %s has no report yet\n", plan);
		return 1;
	}
	if (!live && p.run.archived[0] != '\0') {
		int got = report_archived(c, p.run.id, f);

		if (got != 0) {
			free(p.coverage);
			return got == 1 ? 0 : 1;
		}
	}
	cli_rrd_flush_quiet(c); /* the graphs read the RRD files */
	if (report_build(&r, c->store, c->conf, "plan", &p.run, 0, 0, err,
	        sizeof(err)) == -1)
		fprintf(stderr, "netpatrol: %s\n", err);
	else
		rc = report_out(c, &r, f);
	report_free(&r);
	free(p.coverage);
	return rc;
}

int
cmd_inspect(struct cli *c, int argc, char **argv)
{
	char cmd[CLI_LINE_MAX], *ans;
	struct jread *v;
	enum rfmt f = RF_TEXT;
	double id;
	int i, waited;

	if (argc < 2 || !conf_find_plan(c->conf, argv[1])) {
		if (argc >= 2)
			fprintf(stderr, "netpatrol: no plan \"%s\" in %s\n",
			    argv[1], c->conf_path);
		usage();
	}
	for (i = 2; i < argc; i++)
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if (rfmt_parse(argv[++i], &f) == -1)
				return 1;
		} else
			usage();
	snprintf(cmd, sizeof(cmd), "plan-run %s", argv[1]);
	if ((ans = cli_ask(c, cmd)) == NULL)
		return 1;
	if ((v = cli_answer(ans)) == NULL) {
		free(ans);
		return 1;
	}
	id = jread_knum(v, "run");
	jread_free(v);
	free(ans);
	if (isnan(id) || cli_open_store(c) == -1)
		return 1;
	/* the run is written by the daemon's store writer: wait for it */
	for (waited = 0; waited < INSPECT_WAIT_MS; waited += 50) {
		struct run_pick p = {0};
		struct store_planrun_filter flt = {
		    argv[1], (int64_t)id, 0, 0, 1, 0};

		if (store_get_planruns(c->store, &flt, run_pick_cb, &p) == 0 &&
		    p.found) {
			free(p.coverage);
			return report_run(c, argv[1], (int64_t)id, f, 0);
		}
		free(p.coverage);
		usleep(50000);
	}
	fprintf(stderr,
	    "netpatrol: run %.0f of plan %s is not in the store "
	    "after %d s\n",
	    id, argv[1], INSPECT_WAIT_MS / 1000);
	return 1;
}

/* "YYYY-MM-DD HH:MM", local time */
static char *
short_time(double t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

static int
reports_cb(void *arg, const struct store_planrun *r)
{
	struct cli *c = arg;
	char a[40], b[40], t[40];

	if (strcmp(r->state, "done") != 0)
		return 0;
	if (c->json) {
		recjson_planrun(&c->j, r);
		return 0;
	}
	if (c->first) {
		printf("%-6s %-16s %-8s %-16s %-16s %-7s %s\n", "RUN", "PLAN",
		    "KIND", "TIME", "PERIOD FROM", "CHECKS", "ARCHIVED");
		c->first = 0;
	}
	snprintf(b, sizeof(b), "%d/%d", r->checks_done, r->checks_planned);
	printf("%-6lld %-16.16s %-8.8s %-16s %-16s %-7s %s\n",
	    (long long)r->id, r->plan, r->category,
	    short_time(r->started, t, sizeof(t)),
	    short_time(r->period_start, a, sizeof(a)), b,
	    r->archived[0] ? "yes" : "no");
	return 0;
}

int
cmd_reports(struct cli *c, int argc, char **argv)
{
	struct store_planrun_filter flt = {NULL, 0, 0, 0, 0, 0};

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--plan") == 0 && i + 1 < argc)
			flt.plan = argv[++i];
		else
			usage();
	if (cli_open_store(c) == -1)
		return 1;
	if (store_get_planruns(c->store, &flt, reports_cb, c) == -1) {
		fprintf(
		    stderr, "netpatrol: store: %s\n", store_errmsg(c->store));
		return 1;
	}
	return 0;
}

/* --- the compliance report --- */

struct comp_dev {
	struct cli *c;
	const char *device;
	int passed, failed;
	double since, until;
	int64_t before, last; /* newest version before / in the period */
	int changes;
};

static int
comp_check_cb(void *arg, const struct store_cfgcheck *k)
{
	struct comp_dev *d = arg;

	if (k->result == 0) {
		d->passed++;
		return 0;
	}
	d->failed++;
	if (d->c->json) {
		json_obj_open(&d->c->j);
		json_kstr(&d->c->j, "policy", k->policy);
		json_kstr(&d->c->j, "rule", k->rule);
		json_kstr(&d->c->j, "detail", k->detail);
		json_obj_close(&d->c->j);
	} else
		printf("    FAIL %.20s: %.40s\n", k->policy, k->rule);
	return 0;
}

static int
comp_version_cb(void *arg, const struct store_cfgversion *v)
{
	struct comp_dev *d = arg;

	if (v->time < d->since)
		d->before = v->version;
	else if (v->time < d->until) {
		d->last = v->version;
		d->changes++;
	}
	return 0;
}

static void
comp_diff(struct comp_dev *d)
{
	char va[24], vb[24], *av[2] = {va, vb}, *ta = NULL, *tb = NULL;
	char *out = NULL, err[256], la[64], lb[64];
	size_t lena, lenb, outlen = 0;
	struct cfg_diff_stats st;
	int plat;

	snprintf(va, sizeof(va), "%lld", (long long)d->before);
	snprintf(vb, sizeof(vb), "%lld", (long long)d->last);
	snprintf(la, sizeof(la), "%s version %s", d->device, va);
	snprintf(lb, sizeof(lb), "%s version %s", d->device, vb);
	if (cli_config_versions_text(
	        d->c, d->device, 2, av, &ta, &lena, &tb, &lenb, &plat) != 0 ||
	    cfg_diff(plat, ta, lena, tb, lenb, la, lb, &out, &outlen, &st, err,
	        sizeof(err)) == -1)
		out = NULL;
	if (d->c->json) {
		json_key(&d->c->j, "diff");
		if (out)
			json_strn(&d->c->j, out, outlen);
		else
			json_null(&d->c->j);
	} else if (out)
		printf("%.*s", (int)outlen, out);
	free(out);
	free(ta);
	free(tb);
}

static int
report_compliance(struct cli *c, double since, double until, enum rfmt f)
{
	const struct device_conf *dc;
	char a[40], b[40];
	int failed = 0;

	if (f == RF_HTML) {
		fprintf(stderr,
		    "netpatrol: the compliance report is text or "
		    "json\n");
		return 1;
	}
	if (f == RF_JSON)
		c->json = 1;
	if (c->json) {
		json_obj_open(&c->j);
		json_kstr(&c->j, "kind", "compliance");
		json_key(&c->j, "period");
		json_obj_open(&c->j);
		json_kstr(&c->j, "since", report_time(since, a, sizeof(a)));
		json_kstr(&c->j, "until", report_time(until, b, sizeof(b)));
		json_obj_close(&c->j);
		json_key(&c->j, "devices");
		json_arr_open(&c->j);
	} else
		printf("Compliance report %s .. %s\n\n",
		    report_time(since, a, sizeof(a)),
		    report_time(until, b, sizeof(b)));
	TAILQ_FOREACH(dc, &c->conf->devices, entry)
	{
		struct comp_dev d = {c, dc->name, 0, 0, since, until, 0, 0, 0};

		if (dc->npolicies == 0 && dc->cfg.argc == 0)
			continue;
		if (c->json) {
			json_obj_open(&c->j);
			json_kstr(&c->j, "device", dc->name);
			json_key(&c->j, "failures");
			json_arr_open(&c->j);
		} else
			printf("%s\n", dc->name);
		if (store_get_cfgchecks(
		        c->store, dc->name, comp_check_cb, &d) == -1 ||
		    store_get_cfgversions(
		        c->store, dc->name, 0, comp_version_cb, &d) == -1) {
			fprintf(stderr, "netpatrol: store: %s\n",
			    store_errmsg(c->store));
			return 1;
		}
		failed += d.failed;
		if (c->json) {
			json_arr_close(&c->j);
			json_kint(&c->j, "rules_passed", d.passed);
			json_kint(&c->j, "rules_failed", d.failed);
			json_kint(&c->j, "changes", d.changes);
		} else
			printf("  rules passed %d, failed %d; %d configuration "
			       "changes in the period\n",
			    d.passed, d.failed, d.changes);
		if (d.changes > 0 && d.before > 0)
			comp_diff(&d);
		else if (c->json) {
			json_key(&c->j, "diff");
			json_null(&c->j);
		}
		if (c->json)
			json_obj_close(&c->j);
	}
	if (c->json) {
		json_arr_close(&c->j);
		json_kint(&c->j, "rules_failed", failed);
		json_obj_close(&c->j);
		printf("%s\n", c->j.s ? c->j.s : "{}");
	}
	return 0;
}

int
cmd_report(struct cli *c, int argc, char **argv)
{
	enum rfmt f = RF_TEXT;
	const char *period = NULL;
	long long run = 0;
	int weekly = 0, live = 0, i;
	double since, until;
	char err[256];

	if (argc < 2)
		usage();
	for (i = 2; i < argc; i++)
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if (rfmt_parse(argv[++i], &f) == -1)
				return 1;
		} else if (strcmp(argv[i], "--run") == 0 && i + 1 < argc)
			run = atoll(argv[++i]);
		else if (strcmp(argv[i], "--period") == 0 && i + 1 < argc)
			period = argv[++i];
		else if (strcmp(argv[i], "--weekly") == 0)
			weekly = 1;
		else if (strcmp(argv[i], "--live") == 0)
			live = 1;
		else
			usage();
	if (cli_open_store(c) == -1)
		return 1;
	if (strcmp(argv[1], "compliance") == 0) {
		if (period) {
			if (cli_period(period, &since, &until) == -1)
				return 1;
		} else {
			until = cli_now();
			since = until - (weekly ? 7 : 1) * 86400.0;
		}
		return report_compliance(c, since, until, f);
	}
	if (strcmp(argv[1], "findings") == 0) {
		struct report r;
		int rc = 1;

		if (period == NULL) {
			fprintf(stderr,
			    "netpatrol: report findings needs "
			    "--period P\n");
			return 1;
		}
		if (cli_period(period, &since, &until) == -1)
			return 1;
		cli_rrd_flush_quiet(c);
		if (report_build(&r, c->store, c->conf, "findings", NULL, since,
		        until, err, sizeof(err)) == -1)
			fprintf(stderr, "netpatrol: %s\n", err);
		else
			rc = report_out(c, &r, f);
		report_free(&r);
		return rc;
	}
	if (conf_find_plan(c->conf, argv[1]) == NULL)
		fprintf(stderr, "netpatrol: note: no plan \"%s\" in %s now\n",
		    argv[1], c->conf_path);
	return report_run(c, argv[1], run, f, live);
}

int
cmd_kpi(struct cli *c, int argc, char **argv)
{
	double since, until;
	struct kpi k;
	char err[256], a[40], b[40];
	const char *period = NULL;

	for (int i = 1; i < argc; i++)
		if ((strcmp(argv[i], "--month") == 0 ||
		        strcmp(argv[i], "--period") == 0) &&
		    i + 1 < argc)
			period = argv[++i];
		else
			usage();
	if (period == NULL) {
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		since = day_start(tm.tm_year + 1900, tm.tm_mon + 1, 1);
		until = cli_now();
	} else if (cli_period(period, &since, &until) == -1)
		return 1;
	if (cli_open_store(c) == -1)
		return 1;
	if (report_kpi(c->store, c->conf, since, until, &k, err, sizeof(err)) ==
	    -1) {
		fprintf(stderr, "netpatrol: %s\n", err);
		return 1;
	}
	if (c->json) {
		json_obj_open(&c->j);
		report_kpi_json(&c->j, &k);
		json_obj_close(&c->j);
		return 0;
	}
	printf("KPIs %s .. %s\n", report_time(since, a, sizeof(a)),
	    report_time(until, b, sizeof(b)));
	report_kpi_text(stdout, &k);
	return 0;
}

/* --- manual results --- */

struct res_pick {
	char plan[NP_NAME_MAX];
	int found;
};

static int
res_pick_cb(void *arg, const struct store_planrun *r)
{
	struct res_pick *p = arg;

	snprintf(p->plan, sizeof(p->plan), "%s", r->plan);
	p->found = 1;
	return 1;
}

int
cmd_result(struct cli *c, int argc, char **argv)
{
	const char *dev = "-", *sev = "-", *res;
	char cmd[CLI_LINE_MAX], note[NP_STR_MAX] = "", *ans, *end;
	const struct plan_conf *p;
	struct res_pick pk = {0};
	struct store_planrun_filter flt = {0};
	struct jread *v;
	long long run;
	long item = 0;
	int i, n = 0, rc = 0;

	if (argc < 4)
		usage();
	run = strtoll(argv[1], &end, 10);
	if (*end != '\0' || run <= 0) {
		fprintf(stderr, "netpatrol: %s: a run is a number\n", argv[1]);
		return 1;
	}
	res = argv[3];
	for (i = 4; i < argc; i++)
		if (strcmp(argv[i], "--device") == 0 && i + 1 < argc)
			dev = argv[++i];
		else if (strcmp(argv[i], "--severity") == 0 && i + 1 < argc)
			sev = argv[++i];
		else if (n < (int)sizeof(note) - 2)
			n += snprintf(note + n, sizeof(note) - (size_t)n,
			    "%s%s", n ? " " : "", argv[i]);
	if (strchr(dev, ' ') != NULL || strchr(sev, ' ') != NULL ||
	    strchr(note, '\n') != NULL) {
		fprintf(stderr, "netpatrol: a device or severity has no "
		                "spaces, a note is one line\n");
		return 1;
	}
	/* ITEM: a number, or the text of one of the plan's manual checks */
	item = strtol(argv[2], &end, 10);
	if (*end != '\0' || item <= 0) {
		if (cli_open_store(c) == -1)
			return 1;
		flt.id = run;
		if (store_get_planruns(c->store, &flt, res_pick_cb, &pk) ==
		        -1 ||
		    !pk.found) {
			fprintf(stderr, "netpatrol: no run %lld in the store\n",
			    run);
			return 1;
		}
		item = 0;
		if ((p = conf_find_plan(c->conf, pk.plan)) != NULL)
			for (i = 0; i < p->nmanual; i++)
				if (strcmp(p->manual[i], argv[2]) == 0)
					item = i + 1;
		if (item == 0) {
			fprintf(stderr,
			    "netpatrol: plan %s has no manual check \"%s\"\n",
			    pk.plan, argv[2]);
			return 1;
		}
	}
	snprintf(cmd, sizeof(cmd), "plan-result %lld %ld %s %s %s %s", run,
	    item, res, dev, sev, note);
	if ((ans = cli_ask(c, cmd)) == NULL)
		return 1;
	if ((v = cli_answer(ans)) == NULL) {
		free(ans);
		return 1;
	}
	if (c->json)
		printf("%s\n", ans);
	else {
		double f = jread_knum(v, "finding");

		printf("run %lld: manual check %ld \"%s\": %s", run, item,
		    jread_kstr(v, "name") ? jread_kstr(v, "name") : "",
		    jread_kstr(v, "result") ? jread_kstr(v, "result") : "");
		if (!isnan(f))
			printf(" (finding %.0f opened)", f);
		putchar('\n');
	}
	jread_free(v);
	free(ans);
	return rc;
}
