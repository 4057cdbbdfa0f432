/*
 * report_html.c - a report as one self-contained HTML file (report.h):
 * the CSS inline in the elements (mail clients drop <style> blocks), the
 * graphs rendered by librrd and embedded as PNG data: URIs.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define H_TD "style=\"padding:2px 8px;border-bottom:1px solid #ddd\""
#define H_TH "style=\"padding:2px 8px;text-align:left;background:#eee\""
#define H_H2 \
	"style=\"font-size:16px;border-bottom:2px solid #446;" \
	"margin-top:24px\""

static void
h_esc(FILE *fp, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: fputc(*s, fp);
		}
}

static void
h_num(FILE *fp, double v, const char *unit)
{
	if (isnan(v))
		fputs("-", fp);
	else
		fprintf(fp, "%.4g%s", v, unit);
}

static void
h_row(FILE *fp, const char *k, const char *v)
{
	fprintf(fp, "<tr><th " H_TH ">%s</th><td " H_TD ">", k);
	h_esc(fp, v);
	fputs("</td></tr>\n", fp);
}

static void
h_graph(FILE *fp, struct store *s, const struct report *r, const char *m)
{
	char *uri = report_graph_uri(s, r, m);

	if (uri == NULL)
		return;
	fprintf(fp, "<p><img alt=\"%s\" src=\"%s\"></p>\n", m, uri);
	free(uri);
}

void
report_html(FILE *fp, struct store *s, const struct report *r)
{
	char a[40], b[40], buf[256];
	const struct kpi *k = &r->kpi;

	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	      "<title>netpatrol inspection report</title></head>\n"
	      "<body style=\"font-family:sans-serif;font-size:13px;"
	      "color:#222;max-width:900px\">\n",
	    fp);
	fputs("<h1 style=\"font-size:20px\">Inspection report: ", fp);
	h_esc(fp, r->has_run ? r->run.plan : r->kind);
	if (r->has_run)
		fprintf(fp, ", run %lld", (long long)r->run.id);
	fputs("</h1>\n", fp);

	fputs("<h2 " H_H2 ">1. Basic information</h2>\n<table>\n", fp);
	snprintf(buf, sizeof(buf), "%s .. %s",
	    report_time(r->since, a, sizeof(a)),
	    report_time(r->until, b, sizeof(b)));
	h_row(fp, "Period", buf);
	snprintf(
	    buf, sizeof(buf), "%.100s: %zu devices", r->scope, r->ndevices);
	h_row(fp, "Scope", buf);
	if (r->has_run) {
		h_row(fp, "Inspector", r->run.inspector);
		snprintf(buf, sizeof(buf),
		    "%d of %d checks on %d of %zu "
		    "devices",
		    r->checks_done, r->checks_planned, r->devices_done,
		    r->ndevices);
		h_row(fp, "Coverage", buf);
	}
	for (size_t i = 0; i < r->nmanual; i++) {
		const struct store_planresult *x = &r->manual[i];

		snprintf(buf, sizeof(buf), "%d. %s: %s%s%s%s%s%s%s",
		    x->item, x->name, x->result[0] ? x->result : "not entered",
		    x->device[0] ? " on " : "", x->device,
		    x->who[0] ? " by " : "", x->who, x->note[0] ? " - " : "",
		    x->note);
		h_row(fp, i == 0 ? "Manual checks" : "", buf);
	}
	fputs("</table>\n", fp);

	fputs("<h2 " H_H2 ">2. Summary</h2>\n<table>\n", fp);
	snprintf(buf, sizeof(buf),
	    "%zu: %d new, %d still open, %d resolved; "
	    "%d open at the end",
	    r->nf, r->n_new, r->n_still_open, r->n_resolved, r->n_open_end);
	h_row(fp, "Findings", buf);
	snprintf(buf, sizeof(buf),
	    "critical %d, major %d, minor %d, warning "
	    "%d, info %d",
	    r->by_sev[4], r->by_sev[3], r->by_sev[2], r->by_sev[1],
	    r->by_sev[0]);
	h_row(fp, "By severity", buf);
	if (r->has_prev) {
		snprintf(buf, sizeof(buf),
		    "%d findings (%+d), %d new (%+d), "
		    "%d resolved (%+d)",
		    r->prev.findings, (int)r->nf - r->prev.findings,
		    r->prev.n_new, r->n_new - r->prev.n_new, r->prev.n_resolved,
		    r->n_resolved - r->prev.n_resolved);
		h_row(fp, "Previous", buf);
	} else
		h_row(fp, "Previous", "none (the first report)");
	fputs("</table>\n", fp);

	fputs("<h2 " H_H2 ">3. Findings</h2>\n<table style=\"border-collapse:"
	      "collapse\">\n<tr><th " H_TH ">#</th><th " H_TH ">Severity</th>"
	      "<th " H_TH ">Device</th><th " H_TH ">Finding</th><th " H_TH
	      ">State at end</th><th " H_TH ">History</th></tr>\n",
	    fp);
	for (size_t i = 0; i < r->nf; i++) {
		const struct rpt_finding *f = &r->f[i];

		fprintf(fp,
		    "<tr><td " H_TD ">%lld</td><td " H_TD ">%s</td>"
		    "<td " H_TD ">",
		    (long long)f->f.id, report_sev_name(f->f.severity));
		h_esc(fp, f->f.device);
		fprintf(fp, "</td><td " H_TD ">");
		h_esc(fp, f->f.title);
		fprintf(
		    fp, "</td><td " H_TD ">%s</td><td " H_TD ">", f->state_end);
		for (size_t h = 0; h < f->nhist; h++) {
			fprintf(fp, "%s %s ",
			    report_time(f->hist[h].time, a, sizeof(a)),
			    f->hist[h].action);
			h_esc(fp, f->hist[h].actor);
			fputs("<br>", fp);
		}
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);

	fputs("<h2 " H_H2 ">4. Performance</h2>\n<table style=\"border-"
	      "collapse:collapse\">\n<tr><th " H_TH ">Metric</th><th " H_TH
	      ">Avg</th><th " H_TH ">Max</th><th " H_TH ">95th</th><th " H_TH
	      ">Previous avg</th><th " H_TH ">Month ago avg</th></tr>\n",
	    fp);
	for (int m = 0; m < RPT_NMETRICS; m++) {
		fprintf(
		    fp, "<tr><td " H_TD ">%s</td><td " H_TD ">", r->m[m].name);
		h_num(fp, r->m[m].cur.avg, r->m[m].unit);
		fprintf(fp, "</td><td " H_TD ">");
		h_num(fp, r->m[m].cur.max, r->m[m].unit);
		fprintf(fp, "</td><td " H_TD ">");
		h_num(fp, r->m[m].cur.p95, r->m[m].unit);
		fprintf(fp, "</td><td " H_TD ">");
		h_num(fp, r->m[m].prev.avg, r->m[m].unit);
		fprintf(fp, "</td><td " H_TD ">");
		h_num(fp, r->m[m].month.avg, r->m[m].unit);
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
	h_graph(fp, s, r, "cpu_load");
	h_graph(fp, s, r, "temperature");
	h_graph(fp, s, r, "port_in_bps");
	h_graph(fp, s, r, "probe_rtt_ms");

	fputs("<h2 " H_H2 ">5. Security</h2>\n<table style=\"border-collapse:"
	      "collapse\">\n<tr><th " H_TH ">Device</th><th " H_TH
	      ">Rules passed</th><th " H_TH ">Rules failed</th><th " H_TH
	      ">Failed logins</th><th " H_TH ">Default community</th></tr>\n",
	    fp);
	for (size_t i = 0; i < r->nsec; i++) {
		fprintf(fp, "<tr><td " H_TD ">");
		h_esc(fp, r->sec[i].device);
		fprintf(fp,
		    "</td><td " H_TD ">%d</td><td " H_TD ">%d</td><td " H_TD
		    ">%d</td><td " H_TD ">%s</td></tr>\n",
		    r->sec[i].rules_passed, r->sec[i].rules_failed,
		    r->sec[i].login_failures,
		    r->sec[i].default_community < 0   ? "-"
		        : r->sec[i].default_community ? "yes"
		                                      : "no");
	}
	fputs("</table>\n", fp);

	fputs("<h2 " H_H2 ">6. Suggestions</h2>\n<ul>\n", fp);
	for (size_t i = 0; i < r->nsug; i++) {
		fputs("<li>", fp);
		h_esc(fp, r->sug[i].device);
		fputs(" ", fp);
		h_esc(fp, r->sug[i].object);
		fputs(": ", fp);
		h_esc(fp, r->sug[i].kind);
		fprintf(fp, " %d times in %d days: find the cause</li>\n",
		    r->sug[i].times, RPT_RECUR_DAYS);
	}
	fputs("</ul>\n", fp);

	fputs("<h2 " H_H2 ">7. KPIs</h2>\n<table>\n", fp);
	snprintf(buf, sizeof(buf), "%.1f%% (%d of %d runs)",
	    100 * k->plan_execution_rate, k->runs_done, k->runs_planned);
	h_row(fp, "Plan execution", isnan(k->plan_execution_rate) ? "-" : buf);
	snprintf(buf, sizeof(buf), "%.1f%% (%d of %d)",
	    100 * k->timeliness_rate, k->resolved_in_time,
	    k->findings_resolved);
	h_row(fp, "Timeliness", isnan(k->timeliness_rate) ? "-" : buf);
	snprintf(buf, sizeof(buf), "%.3f%%", 100 * k->failure_rate);
	h_row(fp, "Failure rate", isnan(k->failure_rate) ? "-" : buf);
	snprintf(buf, sizeof(buf), "%d", k->findings_discovered);
	h_row(fp, "Findings discovered", buf);
	snprintf(buf, sizeof(buf), "%s / %s",
	    report_dur(k->mtta_seconds, a, sizeof(a)),
	    report_dur(k->mttr_seconds, b, sizeof(b)));
	h_row(fp, "MTTA / MTTR", buf);
	snprintf(buf, sizeof(buf), "%.0f", k->score);
	h_row(fp, "Score", isnan(k->score) ? "-" : buf);
	fputs("</table>\n</body></html>\n", fp);
}
