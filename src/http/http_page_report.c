/*
 * http_page_report.c - the reports' archive on the web: /reports lists
 * the plans' runs, /report?run=N serves a run's archived report as it
 * was made (HTML, text or JSON; report_bundle.h), and the API's
 * /api/v1/reports and /api/v1/reports/N. Only archived copies are
 * served: making a report takes seconds, never on the loop. And /kpi,
 * /api/v1/kpi: a month's KPIs.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "event.h"
#include "http.h"
#include "recjson.h"
#include "report.h"
#include "report_bundle.h"
#include "store.h"

#define RPT_LIST_MAX 500 /* runs a page or the API lists */

struct rl_ctx {
	struct evbuffer *b;
	struct jbuf *j;
	int n;
};

static int
rl_row(void *arg, const struct store_planrun *r)
{
	struct rl_ctx *x = arg;
	char t[40], p[40];
	static const char *const fmts[] = {"html", "text", "json"};

	if (strcmp(r->state, "done") != 0)
		return 0;
	x->n++;
	if (x->j != NULL) {
		recjson_planrun(x->j, r);
		return 0;
	}
	evbuffer_add_printf(x->b, "<tr><td>%lld</td><td>", (long long)r->id);
	http_html(x->b, r->plan);
	evbuffer_add_printf(x->b, "</td><td>");
	http_html(x->b, r->category);
	evbuffer_add_printf(x->b, "</td><td>%s</td><td>%s</td><td>%d/%d</td>"
	                          "<td>",
	    event_time_rfc3339(r->started, t, sizeof(t)),
	    event_time_rfc3339(r->period_start, p, sizeof(p)),
	    r->checks_done, r->checks_planned);
	if (r->archived[0] == '\0')
		evbuffer_add_printf(x->b, "not archived");
	for (size_t i = 0; i < 3; i++)
		if (strstr(r->archived, fmts[i]) != NULL)
			evbuffer_add_printf(x->b,
			    "<a href=\"/report?run=%lld&amp;format=%s\">%s</a> ",
			    (long long)r->id, fmts[i], fmts[i]);
	evbuffer_add_printf(x->b, "</td></tr>");
	return 0;
}

void
http_page_reports(struct http_req *r)
{
	struct store_planrun_filter f = {NULL, 0, 0, 0, 1, RPT_LIST_MAX};
	struct evbuffer *b = evbuffer_new();
	struct rl_ctx x = {b, NULL, 0};
	char plan[NP_NAME_MAX];

	if (b == NULL)
		return http_error(r, 503, "out of memory");
	if (http_q(r, "plan", plan, sizeof(plan)) == 1 && plan[0] &&
	    http_name_ok(plan))
		f.plan = plan;
	http_page_head(r, b, "reports");
	evbuffer_add_printf(b, "<h1>Inspection reports</h1><p>Each run of a "
	                       "plan, newest first, with its report as it was "
	                       "made after the run.</p>");
	evbuffer_add_printf(b, "<table id=\"reports\"><tr><th>run</th><th>plan"
	                       "</th><th>kind</th><th>time</th><th>period from"
	                       "</th><th>checks</th><th>report</th></tr>");
	if (store_get_planruns(r->srv->ro, &f, rl_row, &x) == -1)
		evbuffer_add_printf(b, "<tr><td colspan=\"7\">the store cannot "
		                       "be read now</td></tr>");
	evbuffer_add_printf(b, "</table>");
	http_page_tail(b);
	http_reply(r, 200, "text/html; charset=utf-8", b);
	evbuffer_free(b);
}

/* RUN's archived copy in FMT, inflated: 0 (replied), or -1 (replied). */
static int
report_copy(struct http_req *r, int64_t run, const char *fmt)
{
	struct store_reportcopy c;
	struct evbuffer *b;
	struct evkeyvalq *h;
	char err[256], *out;
	void *z;
	int got;

	got = store_get_reportcopy(r->srv->ro, run, fmt, &c, &z);
	if (got == -1) {
		http_error(r, 503, "the store cannot be read now");
		return -1;
	}
	if (got == 0) {
		r->srv->st.not_found++;
		http_error(r, 404, "no archived report of that run in that "
		                   "format");
		return -1;
	}
	if (report_inflate(z, c.zlen, c.size, &out, err, sizeof(err)) == -1) {
		free(z);
		http_error(r, 503, err);
		return -1;
	}
	free(z);
	if ((b = evbuffer_new()) == NULL) {
		free(out);
		http_error(r, 503, "out of memory");
		return -1;
	}
	evbuffer_add(b, out, c.size);
	free(out);
	h = evhttp_request_get_output_headers(r->req);
	/* the archived HTML is one file: its style inline, its graphs data:
	 * URIs, nothing else loaded */
	if (strcmp(fmt, "html") == 0)
		evhttp_add_header(h, "Content-Security-Policy",
		    "default-src 'none'; img-src data:; "
		    "style-src 'unsafe-inline'; frame-ancestors 'none'");
	evhttp_add_header(h, "Cache-Control", "private, max-age=3600");
	http_reply(r, 200,
	    strcmp(fmt, "html") == 0  ? "text/html; charset=utf-8"
	    : strcmp(fmt, "json") == 0 ? "application/json"
	                               : "text/plain; charset=utf-8",
	    b);
	evbuffer_free(b);
	return 0;
}

void
http_page_report(struct http_req *r)
{
	char id[24], fmt[8];
	int64_t run;

	if (http_q(r, "run", id, sizeof(id)) != 1 || !http_id_ok(id, &run))
		return http_error(r, 400, "run=N, please");
	if (http_q(r, "format", fmt, sizeof(fmt)) != 1 || fmt[0] == '\0')
		snprintf(fmt, sizeof(fmt), "html");
	if (strcmp(fmt, "html") != 0 && strcmp(fmt, "text") != 0 &&
	    strcmp(fmt, "json") != 0)
		return http_error(r, 400, "format: html, text or json");
	(void)report_copy(r, run, fmt);
}

/* /api/v1/reports and /api/v1/reports/N (WHAT: after "reports") */
void
http_api_reports(struct http_req *r, const char *what)
{
	struct store_planrun_filter f = {NULL, 0, 0, 0, 1, RPT_LIST_MAX};
	char plan[NP_NAME_MAX];
	int64_t run;

	if (*what == '/') {
		if (!http_id_ok(what + 1, &run))
			return http_error(r, 400, "reports/N, N a run");
		(void)report_copy(r, run, "json");
		return;
	}
	if (*what != '\0') {
		r->srv->st.not_found++;
		return http_error(r, 404, "no such API resource");
	}
	{
		struct jbuf j;
		struct rl_ctx x = {NULL, &j, 0};
		int rc;

		if (http_q(r, "plan", plan, sizeof(plan)) == 1 && plan[0]) {
			if (!http_name_ok(plan))
				return http_error(r, 400, "bad plan");
			f.plan = plan;
		}
		jbuf_init(&j);
		json_arr_open(&j);
		rc = store_get_planruns(r->srv->ro, &f, rl_row, &x);
		json_arr_close(&j);
		if (rc == -1)
			http_error(r, 503, "store");
		else
			http_reply_json(r, 200, &j);
		jbuf_free(&j);
	}
}

/* --- KPIs --- */

/*
 * The KPIs of a month, computed from the store on the loop (a month of a
 * thousand devices takes a fifth of a second: bench/RESULTS.md), kept
 * KPI_CACHE_SECS for the next asker. One web server per daemon: the
 * cache is this file's.
 */
#define KPI_CACHE_SECS 300
#define KPI_CACHE_N 4

static struct {
	double since, at;
	struct kpi k;
} kpi_cache[KPI_CACHE_N];

static double
kpi_month_start(int y, int m)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = 1;
	tm.tm_isdst = -1;
	return (double)mktime(&tm);
}

/* The month asked (YYYY-MM, default this one): 0, or -1 (replied). */
static int
kpi_get(struct http_req *r, struct kpi *k, char *label, size_t len)
{
	char v[16], err[256], extra;
	double now = (double)time(NULL), since, until;
	struct tm tm;
	time_t t = time(NULL);
	int y, m, i, old = 0;

	localtime_r(&t, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	if (http_q(r, "month", v, sizeof(v)) == 1 && v[0] &&
	    (sscanf(v, "%4d-%2d%c", &y, &m, &extra) != 2 || m < 1 || m > 12 ||
	        y < 1970 || y > 9999)) {
		http_error(r, 400, "month=YYYY-MM, please");
		return -1;
	}
	snprintf(label, len, "%04d-%02d", y, m);
	since = kpi_month_start(y, m);
	until = kpi_month_start(y, m + 1);
	for (i = 0; i < KPI_CACHE_N; i++) {
		if (kpi_cache[i].since == since &&
		    now - kpi_cache[i].at < KPI_CACHE_SECS) {
			*k = kpi_cache[i].k;
			return 0;
		}
		if (kpi_cache[i].at < kpi_cache[old].at)
			old = i;
	}
	if (report_kpi(r->srv->ro, r->srv->core->conf, since, until, k, err,
	        sizeof(err)) == -1) {
		http_error(r, 503, err);
		return -1;
	}
	kpi_cache[old].since = since;
	kpi_cache[old].at = now;
	kpi_cache[old].k = *k;
	return 0;
}

void
http_api_kpi(struct http_req *r)
{
	struct kpi k;
	struct jbuf j;
	char month[16];

	if (kpi_get(r, &k, month, sizeof(month)) == -1)
		return;
	jbuf_init(&j);
	json_obj_open(&j);
	report_kpi_json(&j, &k);
	json_obj_close(&j);
	http_reply_json(r, 200, &j);
	jbuf_free(&j);
}

static void
kpi_row(struct evbuffer *b, const char *name, const char *fmt, double v)
{
	evbuffer_add_printf(b, "<tr><th>%s</th><td>", name);
	if (isnan(v))
		evbuffer_add_printf(b, "-");
	else
		evbuffer_add_printf(b, fmt, v);
	evbuffer_add_printf(b, "</td></tr>");
}

void
http_page_kpi(struct http_req *r)
{
	struct evbuffer *b;
	struct kpi k;
	char month[16];

	if (kpi_get(r, &k, month, sizeof(month)) == -1)
		return;
	if ((b = evbuffer_new()) == NULL)
		return http_error(r, 503, "out of memory");
	http_page_head(r, b, "KPIs");
	evbuffer_add_printf(b, "<h1>KPIs, %s</h1><form method=\"get\" "
	                       "action=\"/kpi\"><label>month <input "
	                       "name=\"month\" value=\"%s\"></label> "
	                       "<button>show</button></form>",
	    month, month);
	evbuffer_add_printf(b, "<table id=\"kpi\">");
	kpi_row(b, "plan execution rate", "%.1f%%",
	    100 * k.plan_execution_rate);
	kpi_row(b, "runs done / planned", "%.0f", k.runs_done);
	evbuffer_add_printf(b, "<tr><th></th><td>of %d (%d missed)</td></tr>",
	    k.runs_planned, k.runs_missed);
	kpi_row(b, "check coverage", "%.1f%%", 100 * k.check_coverage_rate);
	kpi_row(b, "findings discovered", "%.0f", k.findings_discovered);
	kpi_row(b, "findings resolved", "%.0f", k.findings_resolved);
	kpi_row(b, "handling timeliness rate", "%.1f%%",
	    100 * k.timeliness_rate);
	kpi_row(b, "overdue and open", "%.0f", k.overdue_open);
	kpi_row(b, "failure rate", "%.4f%%", 100 * k.failure_rate);
	kpi_row(b, "mean time to acknowledge (min)", "%.1f",
	    k.mtta_seconds / 60);
	kpi_row(b, "mean time to resolve (min)", "%.1f", k.mttr_seconds / 60);
	evbuffer_add_printf(b, "<tr><th>score</th><td>%d of %d targets met"
	                       "</td></tr></table>",
	    k.targets_met, k.targets_evaluated);
	evbuffer_add_printf(b, "<p>The formulas: netpatrol(8), KPIS. Kept %d "
	                       "s between computations.</p>",
	    KPI_CACHE_SECS);
	http_page_tail(b);
	http_reply(r, 200, "text/html; charset=utf-8", b);
	evbuffer_free(b);
}
