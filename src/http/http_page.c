/*
 * http_page.c - the server-rendered pages that work without JavaScript:
 * the frame (head, navigation, style sheet), the overview, the findings
 * list with its filters and one finding with its history and action
 * forms (each with the session's CSRF token). http_page_dev.c has the
 * device and port pages. Every value from a device or a sender (names,
 * sysDescr, syslog text) goes out through http_html: hostile input.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "finding.h"
#include "http.h"
#include "recjson.h"
#include "store.h"

static const char http_css[] =
    "body{font-family:sans-serif;margin:0;color:#222}"
    "nav{background:#234;padding:.5em 1em}nav a{color:#fff;margin-right:1em}"
    "nav form{display:inline;float:right}nav span{color:#fff}"
    "main{padding:1em}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}"
    ".down,.critical,.failed,.err{color:#b00;font-weight:bold}"
    ".up,.normal{color:#070}.warning,.degraded{color:#b60}"
    "img{display:block}.grid{display:flex;flex-wrap:wrap;gap:1em}";

void
http_page_css(struct http_req *r)
{
	struct evbuffer *b = evbuffer_new();

	if (b == NULL)
		return http_error(r, 503, "out of memory");
	evbuffer_add(b, http_css, sizeof(http_css) - 1);
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Cache-Control", "max-age=3600");
	http_reply(r, 200, "text/css", b);
	evbuffer_free(b);
}

void
http_page_head(struct http_req *r, struct evbuffer *b, const char *title)
{
	evbuffer_add_printf(b, "<!DOCTYPE html><html lang=\"en\"><head>"
	                       "<meta charset=\"utf-8\"><title>");
	http_html(b, title);
	evbuffer_add_printf(b, " - netpatrol</title><link rel=\"stylesheet\" "
	                       "href=\"/static/style.css\"></head><body>");
	if (r->who.name[0]) {
		evbuffer_add_printf(b, "<nav><a href=\"/\">overview</a>"
		                       "<a href=\"/findings\">findings</a>"
		                       "<a href=\"/reports\">reports</a>"
		                       "<a href=\"/kpi\">KPIs</a>"
		                       "<a href=\"/metrics\">metrics</a>");
		evbuffer_add_printf(b, "<form method=\"post\" action=\"/logout\">"
		                       "<input type=\"hidden\" name=\"csrf\" "
		                       "value=\"%s\"><span>",
		    http_auth_csrf(r));
		http_html(b, r->who.name);
		evbuffer_add_printf(b, " (%s)</span> <button>log out</button>"
		                       "</form></nav>",
		    http_role_name(r->who.role));
	}
	evbuffer_add_printf(b, "<main>");
}

void
http_page_tail(struct evbuffer *b)
{
	evbuffer_add_printf(b, "</main></body></html>\n");
}

static void
page_send(struct http_req *r, struct evbuffer *b)
{
	http_page_tail(b);
	http_reply(r, 200, "text/html; charset=utf-8", b);
	evbuffer_free(b);
}

static const char *
page_time(double t, char *buf, size_t len)
{
	if (t <= 0)
		return "never";
	return event_time_rfc3339(t, buf, len);
}

/* --- overview --- */

struct ov_dev {
	struct evbuffer *b;
	int up, down, unknown;
};

static int
ov_device(void *arg, const struct store_device *d)
{
	struct ov_dev *o = arg;
	char t[40];

	if (!d->configured)
		return 0;
	if (d->reachable == 1)
		o->up++;
	else if (d->reachable == 0)
		o->down++;
	else
		o->unknown++;
	evbuffer_add_printf(o->b, "<tr><td><a href=\"/device?d=");
	http_urlenc(o->b, d->name);
	evbuffer_add_printf(o->b, "\">");
	http_html(o->b, d->name);
	evbuffer_add_printf(o->b, "</a></td><td class=\"%s\">%s</td><td>",
	    d->reachable == 1 ? "up" : d->reachable == 0 ? "down" : "",
	    d->reachable == 1   ? "up"
	        : d->reachable == 0 ? "down"
	                            : "unknown");
	http_html(o->b, d->sys_name);
	evbuffer_add_printf(o->b, "</td><td>");
	http_html(o->b, d->location);
	evbuffer_add_printf(o->b, "</td><td>%d</td><td>%s</td></tr>", d->nports,
	    page_time(d->last_poll, t, sizeof(t)));
	return 0;
}

struct ov_find {
	int by_sev[8];
};

static int
ov_finding(void *arg, const struct finding *f)
{
	struct ov_find *o = arg;

	if ((int)f->severity >= 0 && (int)f->severity < 8)
		o->by_sev[f->severity]++;
	return 0;
}

#define OV_BUSY 10
struct ov_ports {
	struct store_port top[OV_BUSY];
	int n;
};

static int
ov_port(void *arg, const struct store_port *p)
{
	struct ov_ports *o = arg;
	double v = (isnan(p->in_bps) ? 0 : p->in_bps) +
	    (isnan(p->out_bps) ? 0 : p->out_bps);
	int k;

	if (v <= 0)
		return 0;
	if (o->n < OV_BUSY)
		k = o->n++;
	else {
		k = 0;
		for (int i = 1; i < OV_BUSY; i++)
			if (o->top[i].in_bps + o->top[i].out_bps <
			    o->top[k].in_bps + o->top[k].out_bps)
				k = i;
		if (o->top[k].in_bps + o->top[k].out_bps >= v)
			return 0;
	}
	o->top[k] = *p;
	o->top[k].in_bps = isnan(p->in_bps) ? 0 : p->in_bps;
	o->top[k].out_bps = isnan(p->out_bps) ? 0 : p->out_bps;
	return 0;
}

struct ov_health {
	char device[NP_NAME_MAX];
	struct ov_ports *ports;
	struct store *ro;
	int rank;
	char worst[NP_STR_MAX], state[16], wdev[NP_NAME_MAX];
};

static int
ov_sensor(void *arg, const struct store_sensor *x)
{
	static const char *rank[] = {
	    "normal", "unknown", "warning", "critical", "failed"};
	struct ov_health *h = arg;

	for (int k = 0; k < 5; k++)
		if (strcmp(x->state, rank[k]) == 0 && k > h->rank) {
			h->rank = k;
			snprintf(h->worst, sizeof(h->worst), "%s", x->name);
			snprintf(h->state, sizeof(h->state), "%s", x->state);
			snprintf(h->wdev, sizeof(h->wdev), "%s", x->device);
		}
	return 0;
}

static int
ov_each(void *arg, const struct store_device *d)
{
	struct ov_health *h = arg;

	if (!d->configured)
		return 0;
	store_get_ports(h->ro, d->name, ov_port, h->ports);
	store_get_sensors(h->ro, d->name, ov_sensor, h);
	return 0;
}

static int
ov_cmp(const void *a, const void *b)
{
	const struct store_port *x = a, *y = b;
	double vx = x->in_bps + x->out_bps, vy = y->in_bps + y->out_bps;

	return vx < vy ? 1 : vx > vy ? -1 : 0;
}

static void
fmt_bps(struct evbuffer *b, double v)
{
	static const char *u[] = {"", "k", "M", "G", "T"};
	int k = 0;

	while (v >= 1000 && k < 4) {
		v /= 1000;
		k++;
	}
	evbuffer_add_printf(b, "%.1f %sbps", v, u[k]);
}

void
http_page_overview(struct http_req *r)
{
	struct evbuffer *b = evbuffer_new(), *rows = evbuffer_new();
	struct ov_dev od = {rows, 0, 0, 0};
	struct ov_find of;
	struct ov_ports *op = calloc(1, sizeof(*op));
	struct ov_health oh;
	struct store_finding_filter ff = {0, 1, NULL, -1, 0};

	if (b == NULL || rows == NULL || op == NULL) {
		if (b)
			evbuffer_free(b);
		if (rows)
			evbuffer_free(rows);
		free(op);
		return http_error(r, 503, "out of memory");
	}
	memset(&of, 0, sizeof(of));
	memset(&oh, 0, sizeof(oh));
	oh.ports = op;
	oh.ro = r->srv->ro;
	store_get_devices(r->srv->ro, ov_device, &od);
	store_get_findings(r->srv->ro, &ff, ov_finding, &of);
	store_get_devices(r->srv->ro, ov_each, &oh);
	http_page_head(r, b, "overview");
	evbuffer_add_printf(b, "<h1>Overview</h1><p id=\"summary\">devices: "
	                       "<span class=\"up\">%d up</span>, "
	                       "<span class=\"down\">%d down</span>, "
	                       "%d unknown</p>",
	    od.up, od.down, od.unknown);
	evbuffer_add_printf(b, "<h2>Open findings</h2><table><tr>");
	for (int s = SEV_CRITICAL; s >= 0; s--)
		evbuffer_add_printf(b, "<th>%s</th>", event_severity_name(s));
	evbuffer_add_printf(b, "</tr><tr>");
	for (int s = SEV_CRITICAL; s >= 0; s--)
		evbuffer_add_printf(b, "<td><a href=\"/findings?severity=%s\">%d"
		                       "</a></td>",
		    event_severity_name(s), of.by_sev[s]);
	evbuffer_add_printf(b, "</tr></table><h2>Worst health</h2><p>");
	if (oh.rank > 0) {
		evbuffer_add_printf(b, "<span class=\"%s\">%s</span>: ", oh.state,
		    oh.state);
		http_html(b, oh.wdev);
		evbuffer_add_printf(b, " ");
		http_html(b, oh.worst);
	} else
		evbuffer_add_printf(b, "every health value is normal");
	evbuffer_add_printf(b, "</p><h2>Busiest ports</h2><table><tr><th>device"
	                       "</th><th>port</th><th>in</th><th>out</th></tr>");
	qsort(op->top, (size_t)op->n, sizeof(op->top[0]), ov_cmp);
	for (int i = 0; i < op->n; i++) {
		evbuffer_add_printf(b, "<tr><td>");
		http_html(b, op->top[i].device);
		evbuffer_add_printf(b, "</td><td><a href=\"/port?d=");
		http_urlenc(b, op->top[i].device);
		evbuffer_add_printf(b, "&amp;i=%d\">", op->top[i].ifindex);
		http_html(b, op->top[i].name);
		evbuffer_add_printf(b, "</a></td><td>");
		fmt_bps(b, op->top[i].in_bps);
		evbuffer_add_printf(b, "</td><td>");
		fmt_bps(b, op->top[i].out_bps);
		evbuffer_add_printf(b, "</td></tr>");
	}
	evbuffer_add_printf(b, "</table><h2>Devices</h2><table id=\"devices\">"
	                       "<tr><th>device</th><th>state</th><th>sysName</th>"
	                       "<th>location</th><th>ports</th><th>last poll</th>"
	                       "</tr>");
	evbuffer_add_buffer(b, rows);
	evbuffer_add_printf(b, "</table>");
	evbuffer_free(rows);
	free(op);
	page_send(r, b);
}

/* --- findings --- */

static void
page_finding_row(struct evbuffer *b, const struct finding *f)
{
	char t[40];

	evbuffer_add_printf(b, "<tr><td><a href=\"/finding?id=%lld\">%lld</a>"
	                       "</td><td>%s</td><td class=\"%s\">%s</td><td>",
	    (long long)f->id, (long long)f->id, finding_state_name(f->state),
	    event_severity_name(f->severity), event_severity_name(f->severity));
	http_html(b, f->device);
	evbuffer_add_printf(b, "</td><td>");
	http_html(b, f->title);
	evbuffer_add_printf(b, "</td><td>%s</td></tr>",
	    page_time(f->last_seen, t, sizeof(t)));
}

static int
pf_row(void *arg, const struct finding *f)
{
	page_finding_row(arg, f);
	return 0;
}

void
http_page_findings(struct http_req *r)
{
	struct store_finding_filter f = {0, 1, NULL, -1, 500};
	struct evbuffer *b = evbuffer_new();
	char dev[NP_NAME_MAX], sev[16], all[4];
	enum np_severity s;

	if (b == NULL)
		return http_error(r, 503, "out of memory");
	if (http_q(r, "device", dev, sizeof(dev)) == 1 && dev[0])
		f.device = dev;
	else
		dev[0] = '\0';
	if (http_q(r, "severity", sev, sizeof(sev)) == 1 && sev[0] &&
	    event_severity_parse(sev, &s) == 0)
		f.min_severity = (int)s;
	else
		sev[0] = '\0';
	if (http_q(r, "all", all, sizeof(all)) == 1 && strcmp(all, "1") == 0)
		f.open_only = 0;
	http_page_head(r, b, "findings");
	evbuffer_add_printf(b, "<h1>Findings</h1><form method=\"get\" "
	                       "action=\"/findings\"><label>device <input "
	                       "name=\"device\" value=\"");
	http_html(b, dev);
	evbuffer_add_printf(b, "\"></label> <label>severity at least <select "
	                       "name=\"severity\"><option value=\"\">any</option>");
	for (int k = SEV_CRITICAL; k >= 0; k--)
		evbuffer_add_printf(b, "<option%s>%s</option>",
		    sev[0] && f.min_severity == k ? " selected" : "",
		    event_severity_name(k));
	evbuffer_add_printf(b, "</select></label> <label><input type=\"checkbox\" "
	                       "name=\"all\" value=\"1\"%s> closed too</label> "
	                       "<button>filter</button></form>",
	    f.open_only ? "" : " checked");
	evbuffer_add_printf(b, "<table id=\"findings\"><tr><th>id</th><th>state"
	                       "</th><th>severity</th><th>device</th><th>title</th>"
	                       "<th>last seen</th></tr>");
	store_get_findings(r->srv->ro, &f, pf_row, b);
	evbuffer_add_printf(b, "</table>");
	page_send(r, b);
}

struct pf_one {
	struct finding f;
	int found;
	struct evbuffer *b;
};

static int
pf_take(void *arg, const struct finding *f)
{
	struct pf_one *o = arg;

	o->f = *f;
	o->found = 1;
	return 1;
}

static int
pf_hist(void *arg, const struct store_fhist *h)
{
	struct evbuffer *b = arg;
	char t[40];

	evbuffer_add_printf(b, "<tr><td>%s</td><td>",
	    page_time(h->time, t, sizeof(t)));
	http_html(b, h->action);
	evbuffer_add_printf(b, "</td><td>");
	http_html(b, h->actor);
	evbuffer_add_printf(b, "</td><td>");
	http_html(b, h->state);
	evbuffer_add_printf(b, "</td><td>");
	http_html(b, h->text);
	evbuffer_add_printf(b, "</td></tr>");
	return 0;
}

void
http_page_finding(struct http_req *r)
{
	static const char *const acts[][2] = {{"ack", "text"},
	    {"verify", "text"}, {"note", "text"}, {"assign", "owner"},
	    {"resolve", "text"}, {"close", "text"}};
	struct store_finding_filter ff = {0, 0, NULL, -1, 0};
	struct pf_one o;
	struct evbuffer *b;
	char id[24], t[40];

	memset(&o, 0, sizeof(o));
	if (http_q(r, "id", id, sizeof(id)) != 1 || !http_id_ok(id, &ff.id))
		return http_error(r, 404, "no such finding");
	store_get_findings(r->srv->ro, &ff, pf_take, &o);
	if (!o.found)
		return http_error(r, 404, "no such finding");
	if ((b = evbuffer_new()) == NULL)
		return http_error(r, 503, "out of memory");
	http_page_head(r, b, "finding");
	evbuffer_add_printf(b, "<h1>Finding %lld</h1><table><tr><th>title</th><td>",
	    (long long)o.f.id);
	http_html(b, o.f.title);
	evbuffer_add_printf(b, "</td></tr><tr><th>state</th><td id=\"state\">%s"
	                       "</td></tr><tr><th>severity</th><td>%s (priority %d)"
	                       "</td></tr><tr><th>device</th><td><a "
	                       "href=\"/device?d=",
	    finding_state_name(o.f.state), event_severity_name(o.f.severity),
	    o.f.priority);
	http_urlenc(b, o.f.device);
	evbuffer_add_printf(b, "\">");
	http_html(b, o.f.device);
	evbuffer_add_printf(b, "</a></td></tr><tr><th>key</th><td>");
	http_html(b, o.f.key);
	evbuffer_add_printf(b, "</td></tr><tr><th>owner</th><td>");
	http_html(b, o.f.owner);
	evbuffer_add_printf(b, "</td></tr><tr><th>description</th><td>");
	http_html(b, o.f.description);
	evbuffer_add_printf(b, "</td></tr><tr><th>first, last seen</th><td>%s, ",
	    page_time(o.f.first_seen, t, sizeof(t)));
	evbuffer_add_printf(b, "%s (%llu times)</td></tr></table>",
	    page_time(o.f.last_seen, t, sizeof(t)),
	    (unsigned long long)o.f.count);
	evbuffer_add_printf(b, "<h2>History</h2><table id=\"history\"><tr><th>"
	                       "time</th><th>action</th><th>by</th><th>state</th>"
	                       "<th>text</th></tr>");
	store_get_fhist(r->srv->ro, o.f.id, pf_hist, b);
	evbuffer_add_printf(b, "</table><h2>Actions</h2><div class=\"grid\">");
	for (size_t k = 0; k < sizeof(acts) / sizeof(acts[0]); k++)
		evbuffer_add_printf(b, "<form method=\"post\" "
		                       "action=\"/finding/action\"><input "
		                       "type=\"hidden\" name=\"csrf\" value=\"%s\">"
		                       "<input type=\"hidden\" name=\"id\" "
		                       "value=\"%lld\"><input type=\"hidden\" "
		                       "name=\"action\" value=\"%s\"><input "
		                       "name=\"%s\" placeholder=\"%s\"> <button "
		                       "id=\"do-%s\">%s</button></form>",
		    http_auth_csrf(r), (long long)o.f.id, acts[k][0], acts[k][1],
		    acts[k][1], acts[k][0], acts[k][0]);
	evbuffer_add_printf(b, "</div>");
	page_send(r, b);
}

/* The page's form: the action, then back to the finding. */
static void
page_action_done(struct http_req *r, const char *line)
{
	char loc[64], id[24];

	if (http_f(r, "id", id, sizeof(id)) != 1)
		id[0] = '\0';
	snprintf(loc, sizeof(loc), "/finding?id=%s", id);
	http_page_run(r, line, loc);
}

void
http_page_action(struct http_req *r)
{
	char id[24], action[16], text[512];
	int64_t n;

	if (http_f(r, "id", id, sizeof(id)) != 1 || !http_id_ok(id, &n) ||
	    http_f(r, "action", action, sizeof(action)) != 1)
		return http_error(r, 400, "id and action, please");
	if (http_f(r, strcmp(action, "assign") == 0 ? "owner" : "text", text,
	        sizeof(text)) == -1)
		return http_error(r, 400, "bad text");
	(void)http_finding_action(r, n, action, text, page_action_done);
}
