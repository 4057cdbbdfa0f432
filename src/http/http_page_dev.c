/*
 * http_page_dev.c - the device page (system, ports with small traffic
 * graphs, health values with their states, probes, recent events, syslog
 * messages and traps, configuration versions and compliance) and the port
 * page (traffic with its 95th percentile, packets, errors and discards
 * over a day, a week, a month and a year). See http_page.c.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "http.h"
#include "recjson.h"
#include "store.h"

struct pd {
	struct evbuffer *b;
	const char *device;
	struct store_device d;
	int found;
	int n;
};

static const char *
pd_time(double t, char *buf, size_t len)
{
	if (t <= 0)
		return "never";
	return event_time_rfc3339(t, buf, len);
}

static int
pd_dev(void *arg, const struct store_device *d)
{
	struct pd *p = arg;

	if (strcmp(d->name, p->device) == 0) {
		p->d = *d;
		p->found = 1;
		return 1;
	}
	return 0;
}

static void
pd_rate(struct evbuffer *b, double v)
{
	static const char *u[] = {"", "k", "M", "G", "T"};
	int k = 0;

	if (isnan(v)) {
		evbuffer_add_printf(b, "-");
		return;
	}
	while (v >= 1000 && k < 4) {
		v /= 1000;
		k++;
	}
	evbuffer_add_printf(b, "%.1f %sbps", v, u[k]);
}

static void
pd_link(struct evbuffer *b, const char *device, const char *extra)
{
	http_urlenc(b, device);
	evbuffer_add_printf(b, "%s", extra);
}

static int
pd_port(void *arg, const struct store_port *x)
{
	struct pd *p = arg;

	evbuffer_add_printf(p->b, "<tr><td>%d</td><td><a href=\"/port?d=",
	    x->ifindex);
	pd_link(p->b, x->device, "");
	evbuffer_add_printf(p->b, "&amp;i=%d\">", x->ifindex);
	http_html(p->b, x->name);
	evbuffer_add_printf(p->b, "</a></td><td>");
	http_html(p->b, x->alias);
	evbuffer_add_printf(p->b, "</td><td>%s</td><td class=\"%s\">%s</td><td>",
	    recjson_admin_name(x->admin_status),
	    recjson_oper_name(x->oper_status), recjson_oper_name(x->oper_status));
	pd_rate(p->b, x->in_bps);
	evbuffer_add_printf(p->b, "</td><td>");
	pd_rate(p->b, x->out_bps);
	evbuffer_add_printf(p->b, "</td><td>");
	if (x->rrd[0]) {
		evbuffer_add_printf(p->b, "<img class=\"spark\" alt=\"traffic\" "
		                          "width=\"120\" height=\"32\" "
		                          "src=\"/graph?d=");
		pd_link(p->b, x->device, "");
		evbuffer_add_printf(p->b, "&amp;i=%d&amp;t=bits&amp;p=1d&amp;s=1\">",
		    x->ifindex);
	}
	evbuffer_add_printf(p->b, "</td></tr>");
	p->n++;
	return 0;
}

static int
pd_sensor(void *arg, const struct store_sensor *x)
{
	struct pd *p = arg;

	evbuffer_add_printf(p->b, "<tr><td>");
	http_html(p->b, x->name);
	evbuffer_add_printf(p->b, "</td><td>");
	http_html(p->b, x->cls);
	evbuffer_add_printf(p->b, "</td><td>");
	if (isnan(x->value))
		evbuffer_add_printf(p->b, "-");
	else
		evbuffer_add_printf(p->b, "%.2f ", x->value);
	http_html(p->b, x->unit);
	evbuffer_add_printf(p->b, "</td><td class=\"");
	http_html(p->b, x->state);
	evbuffer_add_printf(p->b, "\">");
	http_html(p->b, x->state);
	evbuffer_add_printf(p->b, "</td><td>");
	http_html(p->b, x->reason);
	evbuffer_add_printf(p->b, "</td><td>");
	if (x->rrd[0]) {
		evbuffer_add_printf(p->b, "<img alt=\"value\" width=\"120\" "
		                          "height=\"32\" src=\"/graph?d=");
		pd_link(p->b, x->device, "&amp;k=");
		http_urlenc(p->b, x->key);
		evbuffer_add_printf(p->b, "&amp;p=1d&amp;s=1\">");
	}
	evbuffer_add_printf(p->b, "</td></tr>");
	return 0;
}

static int
pd_probe(void *arg, const struct store_probe *x)
{
	struct pd *p = arg;

	if (strcmp(x->device, p->device) != 0)
		return 0;
	evbuffer_add_printf(p->b, "<tr><td>");
	http_html(p->b, x->name);
	evbuffer_add_printf(p->b, "</td><td>");
	http_html(p->b, x->kind);
	evbuffer_add_printf(p->b, "</td><td>");
	http_html(p->b, x->target);
	evbuffer_add_printf(p->b, "</td><td>");
	if (isnan(x->loss_pct))
		evbuffer_add_printf(p->b, "-</td><td>-");
	else
		evbuffer_add_printf(p->b, "%.0f%%</td><td>%.2f ms", x->loss_pct,
		    x->rtt_median);
	evbuffer_add_printf(p->b, "</td><td class=\"");
	http_html(p->b, x->state);
	evbuffer_add_printf(p->b, "\">");
	http_html(p->b, x->state);
	evbuffer_add_printf(p->b, "</td><td><img alt=\"rtt\" src=\"/graph?probe=");
	http_urlenc(p->b, x->name);
	evbuffer_add_printf(p->b, "&amp;p=1d\" width=\"120\"></td></tr>");
	return 0;
}

static int
pd_event(void *arg, const struct np_event *e)
{
	struct pd *p = arg;
	char t[40];

	evbuffer_add_printf(p->b, "<tr><td>%s</td><td>",
	    event_time_rfc3339(e->time, t, sizeof(t)));
	http_html(p->b, e->kind);
	evbuffer_add_printf(p->b, "</td><td class=\"%s\">%s</td><td>",
	    event_severity_name(e->severity), event_severity_name(e->severity));
	http_html(p->b, e->text);
	evbuffer_add_printf(p->b, "</td></tr>");
	return 0;
}

static int
pd_log(void *arg, const struct store_log *l)
{
	struct pd *p = arg;
	char t[40];

	evbuffer_add_printf(p->b, "<tr><td>%s</td><td>%s</td><td>",
	    event_time_rfc3339(l->time, t, sizeof(t)),
	    recjson_severity_name(l->severity));
	http_html(p->b, l->mnemonic[0] ? l->mnemonic : l->app);
	evbuffer_add_printf(p->b, "</td><td>");
	http_html(p->b, l->text);
	evbuffer_add_printf(p->b, "</td></tr>");
	return 0;
}

static int
pd_trap(void *arg, const struct store_trap *x)
{
	struct pd *p = arg;
	char t[40];

	evbuffer_add_printf(p->b, "<tr><td>%s</td><td>",
	    event_time_rfc3339(x->event.time, t, sizeof(t)));
	http_html(p->b, x->trap_name[0] ? x->trap_name : x->trap_oid);
	evbuffer_add_printf(p->b, "</td><td>");
	http_html(p->b, x->event.text);
	evbuffer_add_printf(p->b, "</td></tr>");
	return 0;
}

static int
pd_cfgver(void *arg, const struct store_cfgversion *v)
{
	struct pd *p = arg;
	char t[40];

	evbuffer_add_printf(p->b,
	    "<tr><td>%lld</td><td>%s</td><td>+%d -%d</td><td>",
	    (long long)v->version, pd_time(v->time, t, sizeof(t)), v->added,
	    v->removed);
	http_html(p->b, v->who);
	evbuffer_add_printf(p->b, "</td><td>");
	http_html(p->b, v->trigger);
	evbuffer_add_printf(p->b, "</td></tr>");
	return 0;
}

static int
pd_check(void *arg, const struct store_cfgcheck *c)
{
	struct pd *p = arg;

	evbuffer_add_printf(p->b, "<tr><td>");
	http_html(p->b, c->policy);
	evbuffer_add_printf(p->b, "</td><td>");
	http_html(p->b, c->rule);
	evbuffer_add_printf(p->b, "</td><td class=\"%s\">%s</td><td>",
	    c->result ? "err" : "up", c->result ? "fail" : "pass");
	http_html(p->b, c->detail);
	evbuffer_add_printf(p->b, "</td></tr>");
	return 0;
}

static void
pd_table(struct evbuffer *b, const char *id, const char *title,
    const char *heads)
{
	evbuffer_add_printf(b, "<h2>%s</h2><table id=\"%s\"><tr>", title, id);
	for (const char *h = heads; *h;) {
		const char *e = strchr(h, '|');
		size_t n = e ? (size_t)(e - h) : strlen(h);

		evbuffer_add_printf(b, "<th>%.*s</th>", (int)n, h);
		h += n + (e != NULL);
	}
	evbuffer_add_printf(b, "</tr>");
}

void
http_page_device(struct http_req *r)
{
	struct store *ro = r->srv->ro;
	char dev[NP_NAME_MAX], t[40];
	struct pd p;
	struct store_event_filter ef = {0, 0, NULL, NULL, -1, 20};
	struct store_log_filter lf = {0, 0, NULL, NULL, -1, 20, 0};

	memset(&p, 0, sizeof(p));
	if (http_q(r, "d", dev, sizeof(dev)) != 1 || !http_name_ok(dev))
		return http_error(r, 404, "no such device");
	p.device = dev;
	store_get_devices(ro, pd_dev, &p);
	if (!p.found)
		return http_error(r, 404, "no such device");
	if ((p.b = evbuffer_new()) == NULL)
		return http_error(r, 503, "out of memory");
	http_page_head(r, p.b, dev);
	evbuffer_add_printf(p.b, "<h1>");
	http_html(p.b, dev);
	evbuffer_add_printf(p.b, "</h1><table id=\"system\"><tr><th>state</th>"
	                         "<td class=\"%s\">%s</td></tr><tr><th>address"
	                         "</th><td>",
	    p.d.reachable == 1 ? "up" : "down",
	    p.d.reachable == 1   ? "reachable"
	        : p.d.reachable == 0 ? "unreachable"
	                             : "unknown");
	http_html(p.b, p.d.address);
	evbuffer_add_printf(p.b, "</td></tr><tr><th>sysName</th><td>");
	http_html(p.b, p.d.sys_name);
	evbuffer_add_printf(p.b, "</td></tr><tr><th>sysDescr</th><td id=\"descr\">");
	http_html(p.b, p.d.sys_descr);
	evbuffer_add_printf(p.b, "</td></tr><tr><th>location</th><td>");
	http_html(p.b, p.d.location);
	evbuffer_add_printf(p.b, "</td></tr><tr><th>uptime</th><td>%llu s</td>"
	                         "</tr><tr><th>last poll</th><td>%s</td></tr>"
	                         "</table>",
	    (unsigned long long)(p.d.sys_uptime / 100),
	    pd_time(p.d.last_poll, t, sizeof(t)));
	pd_table(p.b, "ports", "Ports",
	    "index|port|alias|admin|oper|in|out|traffic, 1 day");
	store_get_ports(ro, dev, pd_port, &p);
	evbuffer_add_printf(p.b, "</table>");
	pd_table(p.b, "sensors", "Health", "name|class|value|state|reason|1 day");
	store_get_sensors(ro, dev, pd_sensor, &p);
	evbuffer_add_printf(p.b, "</table>");
	pd_table(p.b, "probes", "Probes", "probe|kind|target|loss|median|state|1 day");
	store_get_probes(ro, pd_probe, &p);
	evbuffer_add_printf(p.b, "</table>");
	ef.device = dev;
	pd_table(p.b, "events", "Recent events", "time|kind|severity|text");
	store_get_events(ro, &ef, pd_event, &p);
	evbuffer_add_printf(p.b, "</table>");
	lf.device = dev;
	pd_table(p.b, "logs", "Recent syslog messages", "time|severity|what|text");
	store_get_logs(ro, &lf, pd_log, &p);
	evbuffer_add_printf(p.b, "</table>");
	pd_table(p.b, "traps", "Recent traps", "time|trap|text");
	store_get_traps(ro, &ef, pd_trap, &p);
	evbuffer_add_printf(p.b, "</table>");
	pd_table(p.b, "config", "Configuration versions",
	    "version|fetched|lines|who|trigger");
	store_get_cfgversions(ro, dev, 0, pd_cfgver, &p);
	evbuffer_add_printf(p.b, "</table>");
	pd_table(p.b, "compliance", "Compliance", "policy|rule|result|detail");
	store_get_cfgchecks(ro, dev, pd_check, &p);
	evbuffer_add_printf(p.b, "</table>");
	http_page_tail(p.b);
	http_reply(r, 200, "text/html; charset=utf-8", p.b);
	evbuffer_free(p.b);
}

struct pp {
	int ifindex, found;
	struct store_port port;
};

static int
pp_port(void *arg, const struct store_port *x)
{
	struct pp *p = arg;

	if (x->ifindex == p->ifindex) {
		p->port = *x;
		p->found = 1;
		return 1;
	}
	return 0;
}

void
http_page_port(struct http_req *r)
{
	static const char *const per[] = {"1d", "1w", "1m", "1y"};
	static const char *const kinds[][2] = {{"bits", "Traffic"},
	    {"pkts", "Packets"}, {"errs", "Errors and discards"}};
	char dev[NP_NAME_MAX], ix[16];
	struct evbuffer *b;
	struct pp p;
	int64_t n;

	memset(&p, 0, sizeof(p));
	if (http_q(r, "d", dev, sizeof(dev)) != 1 || !http_name_ok(dev) ||
	    http_q(r, "i", ix, sizeof(ix)) != 1 || !http_id_ok(ix, &n) ||
	    n > 0x7fffffff)
		return http_error(r, 404, "no such port");
	p.ifindex = (int)n;
	store_get_ports(r->srv->ro, dev, pp_port, &p);
	if (!p.found)
		return http_error(r, 404, "no such port");
	if ((b = evbuffer_new()) == NULL)
		return http_error(r, 503, "out of memory");
	http_page_head(r, b, p.port.name);
	evbuffer_add_printf(b, "<h1><a href=\"/device?d=");
	http_urlenc(b, dev);
	evbuffer_add_printf(b, "\">");
	http_html(b, dev);
	evbuffer_add_printf(b, "</a> ");
	http_html(b, p.port.name);
	evbuffer_add_printf(b, "</h1><p>");
	http_html(b, p.port.alias);
	evbuffer_add_printf(b, " &mdash; %s, speed ",
	    recjson_oper_name(p.port.oper_status));
	pd_rate(b, (double)p.port.speed_bps);
	evbuffer_add_printf(b, ", now in ");
	pd_rate(b, p.port.in_bps);
	evbuffer_add_printf(b, ", out ");
	pd_rate(b, p.port.out_bps);
	evbuffer_add_printf(b, "</p>");
	for (size_t k = 0; k < 3; k++) {
		evbuffer_add_printf(b, "<h2>%s</h2><div class=\"grid\">",
		    kinds[k][1]);
		for (size_t q = 0; q < 4; q++) {
			evbuffer_add_printf(b, "<img alt=\"%s %s\" src=\"/graph?d=",
			    kinds[k][0], per[q]);
			http_urlenc(b, dev);
			evbuffer_add_printf(b, "&amp;i=%d&amp;t=%s&amp;p=%s\">",
			    p.ifindex, kinds[k][0], per[q]);
		}
		evbuffer_add_printf(b, "</div>");
	}
	http_page_tail(b);
	http_reply(r, 200, "text/html; charset=utf-8", b);
	evbuffer_free(b);
}
