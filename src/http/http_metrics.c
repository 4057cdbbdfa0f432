/*
 * http_metrics.c - GET /metrics, Prometheus' text exposition (0.0.4).
 *
 * The daemon's own counters are those of its "status" answer (each
 * module writes its part: one source of truth for the CLI, the control
 * socket and Prometheus), read back and renamed by the tables below to
 * Prometheus' rules: netpatrol_ prefix, base units (seconds, bytes),
 * counters ending in _total. The devices' values are the last polled ones
 * from the store (ports, sensors, probes), as netpatrol's own schedule
 * polled them: "last poll" says so in their HELP; no sample timestamps.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "jread.h"
#include "store.h"

/* One metric family: its samples gather in B, written out as a group. */
struct mfam {
	const char *name, *type, *help;
	struct evbuffer *b;
};

/* A counter or gauge of the status answer: OBJ.KEY (OBJ "" = top). */
struct mstat {
	const char *obj, *key;
	struct mfam f;
};

#define C(o, k, n, h) {o, k, {"netpatrol_" n, "counter", h, NULL}}
#define G(o, k, n, h) {o, k, {"netpatrol_" n, "gauge", h, NULL}}
static const struct mstat mstats[] = {
    G("", "uptime", "uptime_seconds", "Seconds since netpatrold started."),
    C("", "reloads", "reloads_total", "Configuration reloads."),
    C("", "reload_failures", "reload_failures_total",
        "Configuration reloads refused."),
    G("poller", "devices", "poller_devices", "Devices the poller polls."),
    G("poller", "inflight", "polls_inflight", "Polls running now."),
    C("poller", "polls", "polls_total", "Device polls done."),
    C("poller", "polls_failed", "polls_failed_total",
        "Device polls that failed (no answer)."),
    C("poller", "overruns", "poll_overruns_total",
        "Polls skipped: the previous one still ran."),
    C("poller", "events_dropped", "poller_events_dropped_total",
        "Poller events dropped (queue full)."),
    G("poller", "last_cycle_seconds", "poll_cycle_seconds",
        "Duration of the last poll cycle."),
    C("traps", "received", "traps_received_total", "Traps and informs received."),
    C("traps", "accepted", "traps_accepted_total", "Traps accepted."),
    C("traps", "rejected", "traps_rejected_total",
        "Traps rejected (community, user, unknown sender)."),
    C("traps", "malformed", "traps_malformed_total", "Traps not decoded."),
    C("traps", "folded", "traps_folded_total", "Traps folded by storm control."),
    C("traps", "store_dropped", "traps_store_dropped_total",
        "Traps dropped: the store's queue was full."),
    C("traps", "kernel_dropped", "traps_kernel_dropped_total",
        "Trap datagrams the kernel dropped."),
    C("syslog", "received", "syslog_messages_total", "Syslog messages received."),
    C("syslog", "bytes", "syslog_received_bytes_total", "Syslog bytes received."),
    C("syslog", "malformed", "syslog_malformed_total", "Syslog messages not parsed."),
    C("syslog", "truncated", "syslog_truncated_total", "Syslog messages truncated."),
    C("syslog", "rate_limited", "syslog_rate_limited_total",
        "Syslog messages dropped by the per-sender rate limit."),
    C("syslog", "stored", "syslog_stored_total", "Syslog messages stored."),
    C("syslog", "dropped", "syslog_dropped_total",
        "Syslog messages dropped (queue full)."),
    C("syslog", "kernel_dropped", "syslog_kernel_dropped_total",
        "Syslog datagrams the kernel dropped."),
    G("syslog", "store_queued_bytes", "syslog_queue_bytes",
        "Syslog bytes waiting for the store."),
    C("store", "queued", "store_queued_total", "Records queued for the store."),
    C("store", "written", "store_written_total", "Records written to the store."),
    C("store", "dropped", "store_dropped_total",
        "Records dropped: the store's queue was full."),
    G("store", "depth", "store_queue_depth", "Records waiting for the store."),
    C("store", "sql_errors", "store_sql_errors_total", "SQL errors."),
    C("rrd", "updates", "rrd_updates_total", "RRD updates written."),
    C("rrd", "dropped", "rrd_dropped_total",
        "RRD updates dropped: the queue was full."),
    G("rrd", "depth", "rrd_queue_depth", "RRD updates waiting."),
    C("rrd", "errors", "rrd_errors_total", "RRD update errors."),
    G("findings", "overdue", "findings_overdue", "Findings past a deadline."),
    G("findings", "flapping", "findings_flapping", "Findings flapping."),
    C("http", "requests", "http_requests_total", "HTTP requests."),
    G("http", "connections_open", "http_connections", "HTTP connections open."),
    C("http", "connections_expired", "http_connections_expired_total",
        "HTTP connections closed at their deadline."),
    C("http", "unauthorized", "http_unauthorized_total",
        "HTTP requests without a valid login or token."),
    C("http", "login_failed", "http_login_failures_total", "Failed logins."),
    C("http", "csrf_refused", "http_csrf_refused_total",
        "HTTP requests refused for a missing or bad CSRF token."),
};
#undef C
#undef G
#define NMSTATS (sizeof(mstats) / sizeof(mstats[0]))

/* Per device in the status answer's "devices" (label device). */
static const struct mstat mdev[] = {
    {"", "requests", {"netpatrol_snmp_requests_total", "counter",
                         "SNMP requests sent to the device.", NULL}},
    {"", "timeouts", {"netpatrol_snmp_timeouts_total", "counter",
                         "SNMP requests to the device that timed out.", NULL}},
    {"", "retries", {"netpatrol_snmp_retries_total", "counter",
                        "SNMP requests to the device retried.", NULL}},
    {"", "polls", {"netpatrol_device_polls_total", "counter",
                      "Polls of the device.", NULL}},
    {"", "polls_failed", {"netpatrol_device_polls_failed_total", "counter",
                             "Polls of the device that failed.", NULL}},
    {"", "samples_dropped", {"netpatrol_samples_dropped_total", "counter",
                                "Implausible samples of the device refused.",
                                NULL}},
    {"", "bad_values", {"netpatrol_device_bad_values_total", "counter",
                           "Values of the device refused: a wrong type or "
                           "out of range.", NULL}},
    {"", "counter_resets", {"netpatrol_device_value_resets_total",
                               "counter",
                               "Counters of the device seen going back "
                               "(a reset or a restart).", NULL}},
    {"", "ports_skipped", {"netpatrol_device_ports_skipped_total", "counter",
                              "Polls whose ports were not taken: the "
                              "agent's ifTable and ifXTable disagreed.",
                              NULL}},
    {"", "last_poll_duration", {"netpatrol_device_poll_duration_seconds",
                                   "gauge", "Duration of the last poll.", NULL}},
};
#define NMDEV (sizeof(mdev) / sizeof(mdev[0]))

enum {
	MF_FINDINGS,
	MF_UP,
	MF_LASTPOLL,
	MF_IN_B, MF_OUT_B, MF_IN_P, MF_OUT_P, MF_IN_E, MF_OUT_E, MF_IN_D,
	MF_OUT_D, MF_SPEED, MF_OPER,
	MF_SENSOR, MF_SENSOR_OK,
	MF_LOSS, MF_RTT, MF_JITTER, MF_PROBE_UP,
	MF_N
};

static const struct mfam mfams[MF_N] = {
    [MF_FINDINGS] = {"netpatrol_findings", "gauge",
        "Findings by state (not closed).", NULL},
    [MF_UP] = {"netpatrol_device_up", "gauge",
        "1 if the device answered its last poll, 0 if not.", NULL},
    [MF_LASTPOLL] = {"netpatrol_device_last_poll_timestamp_seconds", "gauge",
        "When the device was last polled (Unix time).", NULL},
    [MF_IN_B] = {"netpatrol_port_receive_bytes_per_second", "gauge",
        "Octets in per second over the last poll interval (ifHCInOctets).",
        NULL},
    [MF_OUT_B] = {"netpatrol_port_transmit_bytes_per_second", "gauge",
        "Octets out per second over the last poll interval (ifHCOutOctets).",
        NULL},
    [MF_IN_P] = {"netpatrol_port_receive_packets_per_second", "gauge",
        "Unicast packets in per second, last poll interval.", NULL},
    [MF_OUT_P] = {"netpatrol_port_transmit_packets_per_second", "gauge",
        "Unicast packets out per second, last poll interval.", NULL},
    [MF_IN_E] = {"netpatrol_port_receive_errors_per_second", "gauge",
        "Input errors per second, last poll interval (ifInErrors).", NULL},
    [MF_OUT_E] = {"netpatrol_port_transmit_errors_per_second", "gauge",
        "Output errors per second, last poll interval (ifOutErrors).", NULL},
    [MF_IN_D] = {"netpatrol_port_receive_discards_per_second", "gauge",
        "Input discards per second, last poll interval (ifInDiscards).", NULL},
    [MF_OUT_D] = {"netpatrol_port_transmit_discards_per_second", "gauge",
        "Output discards per second, last poll interval (ifOutDiscards).",
        NULL},
    [MF_SPEED] = {"netpatrol_port_speed_bytes_per_second", "gauge",
        "The port's speed, last poll (ifHighSpeed), in bytes per second.",
        NULL},
    [MF_OPER] = {"netpatrol_port_oper_up", "gauge",
        "1 if the port is up (ifOperStatus), last poll.", NULL},
    [MF_SENSOR] = {"netpatrol_sensor_value", "gauge",
        "A health value, last poll, in the unit its label names.", NULL},
    [MF_SENSOR_OK] = {"netpatrol_sensor_normal", "gauge",
        "1 if the health value's state is normal, last poll.", NULL},
    [MF_LOSS] = {"netpatrol_probe_loss_ratio", "gauge",
        "Share of the probe's last step's packets lost (0 to 1).", NULL},
    [MF_RTT] = {"netpatrol_probe_rtt_median_seconds", "gauge",
        "Median round trip of the probe's last step.", NULL},
    [MF_JITTER] = {"netpatrol_probe_jitter_seconds", "gauge",
        "Jitter of the probe's last step.", NULL},
    [MF_PROBE_UP] = {"netpatrol_probe_up", "gauge",
        "1 unless the probe's last step was down.", NULL},
};

struct mctx {
	struct mfam f[MF_N];
	struct evbuffer *tmp;
};

/* A label value, escaped: \\, \" and \n. */
static void
mlabel(struct evbuffer *b, const char *k, const char *v, int first)
{
	evbuffer_add_printf(b, "%s%s=\"", first ? "" : ",", k);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			evbuffer_add_printf(b, "\\%c", *v);
		else if (*v == '\n')
			evbuffer_add(b, "\\n", 2);
		else
			evbuffer_add(b, v, 1);
	}
	evbuffer_add(b, "\"", 1);
}

static void
mvalue(struct evbuffer *b, double v)
{
	if (isnan(v))
		evbuffer_add_printf(b, "} NaN\n");
	else if (v == floor(v) && fabs(v) < 1e15)
		evbuffer_add_printf(b, "} %.0f\n", v);
	else
		evbuffer_add_printf(b, "} %.9g\n", v);
}

static void
mfam_out(struct evbuffer *out, const struct mfam *f)
{
	if (f->b == NULL || evbuffer_get_length(f->b) == 0)
		return;
	evbuffer_add_printf(out, "# HELP %s %s\n# TYPE %s %s\n", f->name,
	    f->help, f->name, f->type);
	evbuffer_add_buffer(out, f->b);
}

/* A sample with no labels. */
static void
msample0(struct evbuffer *out, const struct mfam *f, double v)
{
	evbuffer_add_printf(out, "# HELP %s %s\n# TYPE %s %s\n%s ", f->name,
	    f->help, f->name, f->type, f->name);
	if (v == floor(v) && fabs(v) < 1e15)
		evbuffer_add_printf(out, "%.0f\n", v);
	else
		evbuffer_add_printf(out, "%.9g\n", v);
}

static void
mstart(struct mfam *f)
{
	evbuffer_add_printf(f->b, "%s{", f->name);
}

static int
m_device(void *arg, const struct store_device *d)
{
	struct mctx *m = arg;

	if (!d->configured)
		return 0;
	if (d->reachable >= 0) {
		mstart(&m->f[MF_UP]);
		mlabel(m->f[MF_UP].b, "device", d->name, 1);
		mvalue(m->f[MF_UP].b, d->reachable);
	}
	if (d->last_poll > 0) {
		mstart(&m->f[MF_LASTPOLL]);
		mlabel(m->f[MF_LASTPOLL].b, "device", d->name, 1);
		mvalue(m->f[MF_LASTPOLL].b, floor(d->last_poll));
	}
	return 0;
}

static void
mport1(struct mctx *m, int k, const struct store_port *p, double v)
{
	struct evbuffer *b = m->f[k].b;
	char ix[16];

	if (isnan(v))
		return;
	snprintf(ix, sizeof(ix), "%d", p->ifindex);
	mstart(&m->f[k]);
	mlabel(b, "device", p->device, 1);
	mlabel(b, "port", p->name, 0);
	mlabel(b, "ifindex", ix, 0);
	mvalue(b, v);
}

static int
m_port(void *arg, const struct store_port *p)
{
	struct mctx *m = arg;

	mport1(m, MF_IN_B, p, p->in_bps / 8);
	mport1(m, MF_OUT_B, p, p->out_bps / 8);
	mport1(m, MF_IN_P, p, p->in_pps);
	mport1(m, MF_OUT_P, p, p->out_pps);
	mport1(m, MF_IN_E, p, p->in_errors);
	mport1(m, MF_OUT_E, p, p->out_errors);
	mport1(m, MF_IN_D, p, p->in_discards);
	mport1(m, MF_OUT_D, p, p->out_discards);
	mport1(m, MF_SPEED, p, (double)p->speed_bps / 8);
	mport1(m, MF_OPER, p, p->oper_status == 1);
	return 0;
}

static int
m_sensor(void *arg, const struct store_sensor *x)
{
	struct mctx *m = arg;

	for (int k = MF_SENSOR; k <= MF_SENSOR_OK; k++) {
		double v = k == MF_SENSOR ? x->value
		                          : (double)(strcmp(x->state, "normal") == 0);

		if (isnan(v))
			continue;
		mstart(&m->f[k]);
		mlabel(m->f[k].b, "device", x->device, 1);
		mlabel(m->f[k].b, "sensor", x->key, 0);
		if (k == MF_SENSOR) {
			mlabel(m->f[k].b, "class", x->cls, 0);
			mlabel(m->f[k].b, "unit", x->unit, 0);
		}
		mvalue(m->f[k].b, v);
	}
	return 0;
}

static int
m_probe(void *arg, const struct store_probe *x)
{
	struct mctx *m = arg;
	double v[] = {x->loss_pct / 100, x->rtt_median / 1000, x->jitter / 1000,
	    strcmp(x->state, "down") != 0};

	for (int k = MF_LOSS; k <= MF_PROBE_UP; k++) {
		if (isnan(v[k - MF_LOSS]) || x->updated <= 0)
			continue;
		mstart(&m->f[k]);
		mlabel(m->f[k].b, "probe", x->name, 1);
		mlabel(m->f[k].b, "device", x->device, 0);
		mlabel(m->f[k].b, "kind", x->kind, 0);
		mvalue(m->f[k].b, v[k - MF_LOSS]);
	}
	return 0;
}

/* The status answer's counters. */
static void
m_status(struct http_srv *s, struct evbuffer *out, struct mctx *m)
{
	static const char *const states[] = {
	    "open", "acknowledged", "resolved", "verified"};
	struct jbuf j;
	struct jread *st;
	const struct jread *devs, *fo;
	char e[128];
	size_t n;

	jbuf_init(&j);
	json_obj_open(&j);
	json_kint(&j, "uptime", time(NULL) - s->core->started);
	json_kuint(&j, "reloads", s->core->reloads);
	json_kuint(&j, "reload_failures", s->core->reload_failures);
	module_status(s->core, &j);
	json_obj_close(&j);
	st = j.failed ? NULL : jread_parse(j.s, e, sizeof(e));
	jbuf_free(&j);
	if (st == NULL)
		return;
	for (size_t i = 0; i < NMSTATS; i++) {
		const struct jread *o =
		    mstats[i].obj[0] ? jread_get(st, mstats[i].obj) : st;
		const struct jread *v = jread_get(o, mstats[i].key);

		if (jread_type(v) == JR_NUM)
			msample0(out, &mstats[i].f, jread_num(v));
	}
	if ((fo = jread_get(st, "findings")) != NULL) {
		for (size_t k = 0; k < 4; k++) {
			const struct jread *v = jread_get(fo, states[k]);

			if (jread_type(v) != JR_NUM)
				continue;
			mstart(&m->f[MF_FINDINGS]);
			mlabel(m->f[MF_FINDINGS].b, "state", states[k], 1);
			mvalue(m->f[MF_FINDINGS].b, jread_num(v));
		}
	}
	devs = jread_get(st, "devices");
	n = jread_type(devs) == JR_ARR ? jread_len(devs) : 0;
	for (size_t i = 0; i < NMDEV; i++) {
		int any = 0;

		for (size_t d = 0; d < n; d++) {
			const struct jread *dv = jread_at(devs, d);
			const struct jread *v = jread_get(dv, mdev[i].key);
			const char *name = jread_kstr(dv, "name");

			if (jread_type(v) != JR_NUM || name == NULL)
				continue;
			if (!any)
				evbuffer_add_printf(out,
				    "# HELP %s %s\n# TYPE %s %s\n",
				    mdev[i].f.name, mdev[i].f.help,
				    mdev[i].f.name, mdev[i].f.type);
			any = 1;
			evbuffer_add_printf(out, "%s{", mdev[i].f.name);
			mlabel(out, "device", name, 1);
			mvalue(out, jread_num(v));
		}
	}
	jread_free(st);
}

struct mdevname {
	char (*names)[NP_NAME_MAX];
	size_t n, max;
};

static int
m_devname(void *arg, const struct store_device *d)
{
	struct mdevname *dn = arg;

	if (d->configured && dn->n < dn->max)
		snprintf(dn->names[dn->n++], NP_NAME_MAX, "%s", d->name);
	return 0;
}

void
http_metrics(struct http_req *r)
{
	struct http_srv *s = r->srv;
	struct evbuffer *out = evbuffer_new();
	struct mctx m;
	struct mdevname dn = {NULL, 0, 4096};
	size_t k;

	memset(&m, 0, sizeof(m));
	if (out == NULL)
		return http_error(r, 503, "out of memory");
	for (k = 0; k < MF_N; k++) {
		m.f[k] = mfams[k];
		if ((m.f[k].b = evbuffer_new()) == NULL)
			goto err;
	}
	if ((dn.names = calloc(dn.max, NP_NAME_MAX)) == NULL)
		goto err;
	m_status(s, out, &m);
	store_get_devices(s->ro, m_device, &m);
	store_get_devices(s->ro, m_devname, &dn);
	for (size_t i = 0; i < dn.n; i++) {
		store_get_ports(s->ro, dn.names[i], m_port, &m);
		store_get_sensors(s->ro, dn.names[i], m_sensor, &m);
	}
	store_get_probes(s->ro, m_probe, &m);
	for (k = 0; k < MF_N; k++)
		mfam_out(out, &m.f[k]);
	http_reply(r, 200, "text/plain; version=0.0.4; charset=utf-8", out);
	goto done;
err:
	http_error(r, 503, "out of memory");
done:
	free(dn.names);
	for (k = 0; k < MF_N; k++)
		if (m.f[k].b)
			evbuffer_free(m.f[k].b);
	evbuffer_free(out);
}
