/*
 * http_api.c - the JSON API, /api/v1/... (docs/api.md). It mirrors the
 * CLI: a list is the array `netpatrol CMD --json` prints, written by the
 * same writers (recjson.h, finding_json); status and the finding actions
 * are the control socket's own commands run in the daemon (control_run),
 * the same JSON the CLI prints for them.
 *
 * Roles: a viewer reads; an operator may also ack, verify, note and
 * assign; an admin may also resolve and close.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "control.h"
#include "event.h"
#include "finding.h"
#include "http.h"
#include "recjson.h"
#include "store.h"

/* The finding actions, the control command's words, and who may. */
static const struct http_action {
	const char *name;
	enum http_role role;
	const char *field; /* the form field of its text */
	int need_text;
} http_actions[] = {
    {"ack", HTTP_OPERATOR, "text", 0},
    {"verify", HTTP_OPERATOR, "text", 0},
    {"note", HTTP_OPERATOR, "text", 1},
    {"assign", HTTP_OPERATOR, "owner", 1},
    {"resolve", HTTP_ADMIN, "text", 0},
    {"close", HTTP_ADMIN, "text", 0},
};

/* A time: epoch seconds, or -N[smhd] before now. 0, or -1. */
static int
api_time(const char *s, double *out)
{
	char *end;
	double v;

	if (*s == '-') {
		long n = strtol(s + 1, &end, 10);
		int unit = *end == 's' ? 1
		    : *end == 'm'      ? 60
		    : *end == 'h'      ? 3600
		    : *end == 'd'      ? 86400
		                       : 0;

		if (end == s + 1 || n < 0 || unit == 0 || end[1] != '\0')
			return -1;
		*out = (double)time(NULL) - (double)n * unit;
		return 0;
	}
	v = strtod(s, &end);
	if (end == s || *end != '\0' || v < 0 || v > 1e11)
		return -1;
	*out = v;
	return 0;
}

/* The common filter of events, traps and logs. 0, or -1 (replied). */
static int
api_filter(struct http_req *r, double *since, double *until, char *device,
    size_t dlen, int *limit)
{
	char v[64];
	int rc;

	if ((rc = http_q(r, "since", v, sizeof(v))) == -1 ||
	    (rc == 1 && api_time(v, since) == -1))
		return http_error(r, 400, "since: epoch seconds or -N[smhd]"), -1;
	if ((rc = http_q(r, "until", v, sizeof(v))) == -1 ||
	    (rc == 1 && api_time(v, until) == -1))
		return http_error(r, 400, "until: epoch seconds or -N[smhd]"), -1;
	if (http_q(r, "device", device, dlen) == -1)
		return http_error(r, 400, "bad device"), -1;
	if ((rc = http_q(r, "limit", v, sizeof(v))) == -1 ||
	    (rc == 1 && (atoi(v) < 0 || atoi(v) > 100000)))
		return http_error(r, 400, "limit: 0 to 100000"), -1;
	if (rc == 1)
		*limit = atoi(v);
	return 0;
}

static int
row_device(void *arg, const struct store_device *d)
{
	recjson_device(arg, d);
	return 0;
}

static int
row_port(void *arg, const struct store_port *p)
{
	recjson_port(arg, p);
	return 0;
}

static int
row_sensor(void *arg, const struct store_sensor *x)
{
	recjson_sensor(arg, x);
	return 0;
}

static int
row_probe(void *arg, const struct store_probe *x)
{
	recjson_probe(arg, x);
	return 0;
}

static int
row_event(void *arg, const struct np_event *e)
{
	recjson_event(arg, e);
	return 0;
}

static int
row_trap(void *arg, const struct store_trap *t)
{
	recjson_trap(arg, t);
	return 0;
}

static int
row_log(void *arg, const struct store_log *l)
{
	recjson_log(arg, l);
	return 0;
}

static int
row_fhist(void *arg, const struct store_fhist *h)
{
	recjson_fhist(arg, h);
	return 0;
}

struct api_findings {
	struct jbuf *j;
	double now;
	int found;
	struct finding f;
};

static int
row_finding(void *arg, const struct finding *f)
{
	struct api_findings *a = arg;

	finding_json(a->j, f, a->now);
	return 0;
}

static int
take_finding(void *arg, const struct finding *f)
{
	struct api_findings *a = arg;

	a->f = *f;
	a->found = 1;
	return 1;
}

/* GET /api/v1/findings/ID: the object of `netpatrol finding ID --json`. */
static void
api_finding_one(struct http_req *r, int64_t id)
{
	struct store_finding_filter f = {id, 0, NULL, -1, 0};
	struct api_findings a = {NULL, (double)time(NULL), 0, {0}};
	struct jbuf j;
	int rc;

	if (store_get_findings(r->srv->ro, &f, take_finding, &a) == -1)
		return http_error(r, 503, "store");
	if (!a.found)
		return http_error(r, 404, "no such finding");
	jbuf_init(&j);
	json_obj_open(&j);
	finding_json_members(&j, &a.f, a.now);
	json_key(&j, "history");
	json_arr_open(&j);
	rc = store_get_fhist(r->srv->ro, id, row_fhist, &j);
	json_arr_close(&j);
	json_obj_close(&j);
	if (rc == -1)
		http_error(r, 503, "store");
	else
		http_reply_json(r, 200, &j);
	jbuf_free(&j);
}

/*
 * Run the control command LINE for R's user (the actor of what it
 * changes: "web:NAME") into J, closed: 0, 1 when the answer is an error,
 * -1 when the daemon has no such command.
 */
static int
http_run(struct http_req *r, const char *line, struct jbuf *j)
{
	struct control_peer peer;

	/* the HTTP server checked R's role; the actor is the web user */
	peer.uid = (uid_t)-1;
	peer.gid = (gid_t)-1;
	peer.pid = 0;
	peer.rights = CONTROL_R_READ | CONTROL_R_CHANGE;
	snprintf(peer.name, sizeof(peer.name), "web:%s", r->who.name);
	jbuf_init(j);
	json_obj_open(j);
	if (r->srv->core->control == NULL ||
	    control_run(r->srv->core->control, line, &peer, j) == -1)
		return -1;
	json_obj_close(j);
	return j->s && strncmp(j->s, "{\"error\":", 9) == 0;
}

void
http_api_control(struct http_req *r, const char *line)
{
	struct jbuf j;
	int rc = http_run(r, line, &j);

	if (rc == -1)
		http_error(r, 503, "no such command in the daemon");
	else if (rc)
		http_reply_json(r, 409, &j);
	else
		http_reply_json_change(r, &j);
	jbuf_free(&j);
}

void
http_page_run(struct http_req *r, const char *line, const char *back)
{
	struct jbuf j;
	int rc = http_run(r, line, &j);

	if (rc == 0)
		http_redirect_change(r, back);
	else
		http_error(r, rc == -1 ? 503 : 409,
		    rc == -1 ? "no such command in the daemon"
		             : j.s ? j.s : "refused");
	jbuf_free(&j);
}

int
http_finding_action(struct http_req *r, int64_t id, const char *action,
    const char *text, void (*done)(struct http_req *, const char *line))
{
	const struct http_action *a = NULL;
	char line[CONTROL_MAX_LINE];

	for (size_t i = 0; i < sizeof(http_actions) / sizeof(http_actions[0]);
	     i++)
		if (strcmp(http_actions[i].name, action) == 0)
			a = &http_actions[i];
	if (a == NULL)
		return http_error(r, 404, "no such action"), -1;
	if ((int)r->who.role < (int)a->role) {
		r->srv->st.forbidden++;
		return http_error(r, 403, "your role may not do this"), -1;
	}
	if (a->need_text && text[0] == '\0')
		return http_error(r, 400, "this action needs a text"), -1;
	if ((size_t)snprintf(line, sizeof(line), "finding %s %lld %s", action,
	        (long long)id, text) >= sizeof(line))
		return http_error(r, 400, "the text is too long"), -1;
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	done(r, line);
	return 0;
}

static void
api_findings(struct http_req *r, const char *rest, int post)
{
	struct store_finding_filter f = {0, 1, NULL, -1, 0};
	struct api_findings a = {NULL, (double)time(NULL), 0, {0}};
	char v[64], idbuf[24], text[512], device[NP_NAME_MAX];
	const char *slash;
	enum np_severity sev;
	struct jbuf j;
	int64_t id;
	int rc;

	if (*rest == '\0') {
		if (post)
			return http_error(r, 405, "method not allowed");
		if (http_q(r, "all", v, sizeof(v)) == 1 && strcmp(v, "1") == 0)
			f.open_only = 0;
		if ((rc = http_q(r, "device", device, sizeof(device))) == -1)
			return http_error(r, 400, "bad device");
		if (rc == 1)
			f.device = device;
		if ((rc = http_q(r, "severity", v, sizeof(v))) == -1 ||
		    (rc == 1 && event_severity_parse(v, &sev) == -1))
			return http_error(r, 400, "bad severity");
		if (rc == 1)
			f.min_severity = (int)sev;
		if ((rc = http_q(r, "limit", v, sizeof(v))) == 1)
			f.limit = atoi(v) > 0 ? atoi(v) : 0;
		jbuf_init(&j);
		a.j = &j;
		json_arr_open(&j);
		rc = store_get_findings(r->srv->ro, &f, row_finding, &a);
		json_arr_close(&j);
		if (rc == -1)
			http_error(r, 503, "store");
		else
			http_reply_json(r, 200, &j);
		jbuf_free(&j);
		return;
	}
	slash = strchr(rest, '/');
	snprintf(idbuf, sizeof(idbuf), "%.*s",
	    (int)(slash ? (size_t)(slash - rest) : strlen(rest)), rest);
	if (!http_id_ok(idbuf, &id))
		return http_error(r, 404, "no such finding");
	if (slash == NULL) {
		if (post)
			return http_error(r, 405, "method not allowed");
		return api_finding_one(r, id);
	}
	if (!post)
		return http_error(r, 405, "actions are POST");
	if (http_f(r, strcmp(slash + 1, "assign") == 0 ? "owner" : "text", text,
	        sizeof(text)) == -1)
		return http_error(r, 400, "bad text");
	(void)http_finding_action(r, id, slash + 1, text, http_api_control);
}

/* A list from the store into an array. */
#define API_LIST(r, call)                                              \
	do {                                                           \
		struct jbuf j_;                                        \
		int rc_;                                               \
		jbuf_init(&j_);                                        \
		json_arr_open(&j_);                                    \
		rc_ = (call);                                          \
		json_arr_close(&j_);                                   \
		if (rc_ == -1)                                         \
			http_error((r), 503, "store");                 \
		else                                                   \
			http_reply_json((r), 200, &j_);                \
		jbuf_free(&j_);                                        \
		return;                                                \
	} while (0)

void
http_api(struct http_req *r)
{
	const char *what = r->path + strlen("/api/v1/");
	int post = evhttp_request_get_command(r->req) == EVHTTP_REQ_POST;
	struct store *ro = r->srv->ro;
	char device[NP_STR_MAX], v[256];
	struct store_event_filter ef = {0, 0, NULL, NULL, -1, 0};

	if (strncmp(what, "findings", 8) == 0 &&
	    (what[8] == '\0' || what[8] == '/'))
		return api_findings(r, what[8] ? what + 9 : "", post);
	if (post)
		return http_error(r, 405, "method not allowed");
	if (strncmp(what, "reports", 7) == 0 &&
	    (what[7] == '\0' || what[7] == '/'))
		return http_api_reports(r, what + 7);
	if (strcmp(what, "kpi") == 0)
		return http_api_kpi(r);
	device[0] = '\0';
	if (strcmp(what, "status") == 0)
		return http_api_control(r, "status");
	if (strcmp(what, "devices") == 0)
		API_LIST(r, store_get_devices(ro, row_device, &j_));
	if (strcmp(what, "probes") == 0)
		API_LIST(r, store_get_probes(ro, row_probe, &j_));
	if (strcmp(what, "ports") == 0 || strcmp(what, "sensors") == 0) {
		if (http_q(r, "device", device, sizeof(device)) != 1 ||
		    !http_name_ok(device))
			return http_error(r, 400, "device=NAME, please");
		if (what[0] == 'p')
			API_LIST(
			    r, store_get_ports(ro, device, row_port, &j_));
		API_LIST(
		    r, store_get_sensors(ro, device, row_sensor, &j_));
	}
	if (strcmp(what, "events") == 0 || strcmp(what, "traps") == 0) {
		enum np_severity sev;
		char sv[32];
		int rc;

		if (api_filter(r, &ef.since, &ef.until, device, sizeof(device),
		        &ef.limit) == -1)
			return;
		ef.device = device[0] ? device : NULL;
		if (what[0] == 't')
			API_LIST(
			    r, store_get_traps(ro, &ef, row_trap, &j_));
		if ((rc = http_q(r, "kind", v, sizeof(v))) == -1)
			return http_error(r, 400, "bad kind");
		ef.kind_prefix = rc == 1 ? v : NULL;
		if ((rc = http_q(r, "severity", sv, sizeof(sv))) == -1 ||
		    (rc == 1 && event_severity_parse(sv, &sev) == -1))
			return http_error(r, 400, "bad severity");
		if (rc == 1)
			ef.min_severity = (int)sev;
		API_LIST(r, store_get_events(ro, &ef, row_event, &j_));
	}
	if (strcmp(what, "logs") == 0) {
		struct store_log_filter lf = {0, 0, NULL, NULL, -1, 1000, 0};
		char sv[32];
		int rc;

		if (api_filter(r, &lf.since, &lf.until, device, sizeof(device),
		        &lf.limit) == -1)
			return;
		lf.device = device[0] ? device : NULL;
		if ((rc = http_q(r, "match", v, sizeof(v))) == -1)
			return http_error(r, 400, "bad match");
		lf.match = rc == 1 ? v : NULL;
		if ((rc = http_q(r, "severity", sv, sizeof(sv))) == -1 ||
		    (rc == 1 && (lf.max_severity = recjson_severity_parse(sv)) < 0))
			return http_error(r, 400,
			    "severity: emerg..debug or 0-7");
		API_LIST(r, store_get_logs(ro, &lf, row_log, &j_));
	}
	r->srv->st.not_found++;
	http_error(r, 404, "no such API resource");
}
