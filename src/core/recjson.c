/*
 * recjson.c - the JSON objects of stored records (recjson.h), for the
 * CLI's --json and the HTTP API alike.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "event.h"
#include "iftype.h"
#include "recjson.h"

static const char *const rj_facilities[] = {"kern", "user", "mail", "daemon",
    "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp",
    "audit", "alert", "clock", "local0", "local1", "local2", "local3", "local4",
    "local5", "local6", "local7"};
static const char *const rj_severities[] = {
    "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

const char *
recjson_admin_name(int v)
{
	switch (v) {
	case 1: return "up";
	case 2: return "down";
	case 3: return "testing";
	}
	return "unknown";
}

const char *
recjson_oper_name(int v)
{
	static const char *n[] = {"unknown", "up", "down", "testing", "unknown",
	    "dormant", "notPresent", "lowerLayerDown"};

	return (v >= 1 && v <= 7) ? n[v] : "unknown";
}

const char *
recjson_facility_name(int v)
{
	return v >= 0 && v < 24 ? rj_facilities[v] : "?";
}

const char *
recjson_severity_name(int v)
{
	return v >= 0 && v < 8 ? rj_severities[v] : "?";
}

int
recjson_severity_parse(const char *val)
{
	static const char *const alias[] = {
	    "emergency", "panic", "critical", "error", "warn"};
	static const int alias_v[] = {0, 0, 2, 3, 4};
	int sev = -1;

	for (int k = 0; k < 8; k++)
		if (strcasecmp(val, rj_severities[k]) == 0 ||
		    (val[0] == '0' + k && val[1] == '\0'))
			sev = k;
	for (int k = 0; k < 5; k++)
		if (strcasecmp(val, alias[k]) == 0)
			sev = alias_v[k];
	return sev;
}

/* A real, or null when unknown (NaN). */
static void
rj_real(struct jbuf *j, const char *k, double v)
{
	json_key(j, k);
	if (isnan(v))
		json_null(j);
	else
		json_real(j, v);
}

void
recjson_device(struct jbuf *j, const struct store_device *d)
{
	json_obj_open(j);
	json_kstr(j, "name", d->name);
	json_kstr(j, "address", d->address);
	json_kint(j, "port", d->port);
	json_kstr(j, "snmp_version",
	    d->snmp_version == 1       ? "v1"
	        : d->snmp_version == 3 ? "v3"
	                               : "v2c");
	json_kstr(j, "location", d->location);
	json_kstr(j, "role", d->role);
	json_kstr(j, "owner", d->owner);
	json_kstr(j, "sys_name", d->sys_name);
	json_kstr(j, "sys_descr", d->sys_descr);
	json_kstr(j, "sys_object_id", d->sys_object_id);
	json_key(j, "reachable");
	if (d->reachable < 0)
		json_null(j);
	else
		json_bool(j, d->reachable);
	json_kuint(j, "uptime_seconds", d->sys_uptime / 100);
	event_json_time(j, "last_poll", d->last_poll);
	json_kint(j, "ports", d->nports);
	json_kbool(j, "configured", d->configured);
	json_key(j, "node");
	if (d->node[0])
		json_str(j, d->node);
	else
		json_null(j);
	json_obj_close(j);
}

void
recjson_port(struct jbuf *j, const struct store_port *p)
{
	json_obj_open(j);
	json_kstr(j, "device", p->device);
	json_kint(j, "index", p->ifindex);
	json_kstr(j, "name", p->name);
	json_kstr(j, "descr", p->descr);
	json_kstr(j, "alias", p->alias);
	json_kint(j, "type", p->type);
	json_key(j, "type_name");
	if (iftype_name(p->type))
		json_str(j, iftype_name(p->type));
	else
		json_null(j);
	json_kstr(j, "admin_status", recjson_admin_name(p->admin_status));
	json_kstr(j, "oper_status", recjson_oper_name(p->oper_status));
	json_kuint(j, "speed_bps", p->speed_bps);
	json_kreal(j, "in_bps", p->in_bps);
	json_kreal(j, "out_bps", p->out_bps);
	json_kreal(j, "in_pps", p->in_pps);
	json_kreal(j, "out_pps", p->out_pps);
	json_kreal(j, "in_errors_per_s", p->in_errors);
	json_kreal(j, "out_errors_per_s", p->out_errors);
	json_kreal(j, "in_discards_per_s", p->in_discards);
	json_kreal(j, "out_discards_per_s", p->out_discards);
	json_kbool(j, "hc_counters", p->hc);
	json_kuint(j, "last_change_ticks", p->last_change);
	json_kstr(j, "rrd", p->rrd);
	json_obj_close(j);
}

void
recjson_event(struct jbuf *j, const struct np_event *e)
{
	char t[40];

	json_obj_open(j);
	json_kint(j, "id", e->id);
	json_kstr(j, "time", event_time_rfc3339(e->time, t, sizeof(t)));
	json_kstr(j, "device", e->device);
	json_kstr(j, "source", e->source);
	json_kstr(j, "kind", e->kind);
	json_kstr(j, "key", e->key);
	json_kstr(j, "severity", event_severity_name(e->severity));
	json_kstr(j, "text", e->text);
	json_kstr(j, "object", e->object);
	json_kstr(j, "old_state", e->old_state);
	json_kstr(j, "new_state", e->new_state);
	json_obj_close(j);
}

void
recjson_trap(struct jbuf *j, const struct store_trap *t)
{
	char tm[40];

	json_obj_open(j);
	json_kstr(j, "time", event_time_rfc3339(t->event.time, tm, sizeof(tm)));
	json_kstr(j, "device", t->event.device);
	json_kbool(j, "known", t->known);
	json_kstr(j, "sender", t->sender);
	json_kstr(j, "version", t->version);
	json_kbool(j, "inform", t->inform);
	json_kstr(j, "security", t->security);
	json_kstr(j, "trap_oid", t->trap_oid);
	json_kstr(j, "trap_name", t->trap_name);
	json_kuint(j, "uptime", t->uptime);
	json_key(j, "varbinds");
	/* the receiver stored them as a JSON array (trapmsg_json) */
	jbuf_raw(j, t->varbinds && t->varbinds[0] == '[' ? t->varbinds : "[]");
	j->need_comma = 1; /* a value was written, raw */
	json_kstr(j, "kind", t->event.kind);
	json_kstr(j, "key", t->event.key);
	json_kstr(j, "severity", event_severity_name(t->event.severity));
	json_kstr(j, "text", t->event.text);
	json_obj_close(j);
}

void
recjson_log(struct jbuf *j, const struct store_log *l)
{
	char tm[40];

	json_obj_open(j);
	json_kint(j, "id", l->id);
	json_kstr(j, "time", event_time_rfc3339(l->time, tm, sizeof(tm)));
	event_json_time(j, "msg_time", l->msg_time);
	json_kstr(j, "device", l->device);
	json_kbool(j, "known", l->known);
	json_kstr(j, "sender", l->sender);
	json_kstr(j, "transport", l->transport);
	json_kstr(j, "facility", recjson_facility_name(l->facility));
	json_kstr(j, "severity", recjson_severity_name(l->severity));
	json_kstr(j, "host", l->host);
	json_kstr(j, "app", l->app);
	json_kstr(j, "procid", l->procid);
	json_kstr(j, "msgid", l->msgid);
	json_kstr(j, "mnemonic", l->mnemonic);
	json_kstr(j, "text", l->text);
	json_kstr(j, "sd", l->sd);
	json_key(j, "raw");
	json_strn(j, l->raw ? l->raw : "", l->raw_len);
	json_kuint(j, "len", l->len);
	json_kuint(j, "problems", l->problems);
	json_key(j, "event_id");
	if (l->event_id > 0)
		json_int(j, l->event_id);
	else
		json_null(j);
	json_obj_close(j);
}

void
recjson_sensor(struct jbuf *j, const struct store_sensor *x)
{
	char t[40];

	json_obj_open(j);
	json_kstr(j, "device", x->device);
	json_kstr(j, "key", x->key);
	json_kstr(j, "name", x->name);
	json_kstr(j, "class", x->cls);
	rj_real(j, "value", x->value);
	json_kstr(j, "unit", x->unit);
	json_kstr(j, "state", x->state);
	json_kstr(j, "reason", x->reason);
	json_kstr(j, "source", x->source);
	json_kstr(j, "oid", x->oid);
	rj_real(j, "warn_high", x->warn_hi);
	rj_real(j, "crit_high", x->crit_hi);
	rj_real(j, "warn_low", x->warn_lo);
	rj_real(j, "crit_low", x->crit_lo);
	json_kstr(j, "updated", event_time_rfc3339(x->updated, t, sizeof(t)));
	json_kstr(j, "rrd", x->rrd);
	json_obj_close(j);
}

void
recjson_probe(struct jbuf *j, const struct store_probe *x)
{
	json_obj_open(j);
	json_kstr(j, "name", x->name);
	json_kstr(j, "device", x->device);
	json_kstr(j, "kind", x->kind);
	json_kstr(j, "target", x->target);
	rj_real(j, "loss_pct", x->loss_pct);
	rj_real(j, "rtt_min_ms", x->rtt_min);
	rj_real(j, "rtt_median_ms", x->rtt_median);
	rj_real(j, "rtt_avg_ms", x->rtt_avg);
	rj_real(j, "rtt_max_ms", x->rtt_max);
	rj_real(j, "jitter_ms", x->jitter);
	json_kint(j, "sent", x->count);
	json_kint(j, "received", x->received);
	json_kstr(j, "state", x->state);
	event_json_time(j, "updated", x->updated);
	json_kstr(j, "rrd", x->rrd);
	json_obj_close(j);
}

void
recjson_fhist(struct jbuf *j, const struct store_fhist *h)
{
	char t[40];

	json_obj_open(j);
	if (h->time > 0)
		event_time_rfc3339(h->time, t, sizeof(t));
	else
		snprintf(t, sizeof(t), "-");
	json_kstr(j, "time", t);
	json_kstr(j, "action", h->action);
	json_kstr(j, "actor", h->actor);
	json_kstr(j, "state", h->state);
	json_kstr(j, "text", h->text);
	json_key(j, "event_id");
	if (h->event_id)
		json_int(j, h->event_id);
	else
		json_null(j);
	json_obj_close(j);
}

void
recjson_planrun(struct jbuf *j, const struct store_planrun *r)
{
	char t[40];

	json_obj_open(j);
	json_kstr(j, "plan", r->plan);
	json_key(j, "period");
	json_obj_open(j);
	json_kstr(j, "since", event_time_rfc3339(r->period_start, t, sizeof(t)));
	json_kstr(j, "until", event_time_rfc3339(r->period_end, t, sizeof(t)));
	json_obj_close(j);
	json_kstr(j, "time", event_time_rfc3339(r->started, t, sizeof(t)));
	json_kint(j, "run", r->id);
	json_kstr(j, "category", r->category);
	json_kstr(j, "trigger", r->trigger);
	json_kstr(j, "inspector", r->inspector);
	json_kint(j, "checks_planned", r->checks_planned);
	json_kint(j, "checks_done", r->checks_done);
	json_kbool(j, "archived", r->archived[0] != '\0');
	json_key(j, "formats");
	json_arr_open(j);
	for (const char *p = r->archived; *p != '\0';) {
		size_t n = strcspn(p, " ");

		json_strn(j, p, n);
		p += n;
		p += strspn(p, " ");
	}
	json_arr_close(j);
	json_obj_close(j);
}
