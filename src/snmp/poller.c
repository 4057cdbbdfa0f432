/*
 * poller.c - the SNMP poll scheduler (see poller.h). A poll is: a GET of
 * the system group (reachability, reboot), then the IF-MIB walk plan.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/time.h>

#include "device.h"
#include "log_event.h"
#include "poller.h"

#define GEN_RING 8

struct gen {
	unsigned long n; /* which poll round this slot holds */
	double start; /* first device started it */
	unsigned finished; /* devices done with it */
	int done; /* counted as a cycle */
	uint64_t varbinds, requests, timeouts;
};

struct poller {
	struct event_base *base;
	struct evdns_base *dns; /* device host names, on the loop */
	struct store *store;
	struct evbus *bus;
	poller_ok_fn on_ok; /* a poll went well: findings verify */
	void *on_ok_arg;
	struct sample_stream *samples;
	struct inventory *inv;
	char rrd_dir[PATH_MAX];
	char store_path[PATH_MAX];
	TAILQ_HEAD(, device_rt) devices;
	TAILQ_HEAD(, device_rt) queue;
	struct hmap by_name;
	int ndevices;
	int inflight, max_inflight;
	int keep_sessions;
	long fd_budget;
	uint64_t polls, polls_failed, overruns;
	uint64_t events_dropped; /* the store's queue was full */
	struct threshold_conf thresholds[NP_MAX_THRESHOLDS];
	int nthresholds;
	struct gen gens[GEN_RING];
	unsigned long gen_last; /* the newest round a device began */
	unsigned long cycles;
	double last_cycle_seconds;
	uint64_t last_cycle_varbinds, last_cycle_requests, last_cycle_timeouts;
	/* a cluster: devices are polled only once the leases give them */
	int shared;
	char node[NP_NAME_MAX];
	int nmine;
};

static const oid oid_sysdescr[] = {1, 3, 6, 1, 2, 1, 1, 1, 0};
static const oid oid_sysobjectid[] = {1, 3, 6, 1, 2, 1, 1, 2, 0};
static const oid oid_sysuptime[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
static const oid oid_sysname[] = {1, 3, 6, 1, 2, 1, 1, 5, 0};

static void poller_start(struct poller *, struct device_rt *);
static void poller_send_system(struct device_rt *);
static void poller_kick(struct poller *);

double
poller_now(struct poller *p)
{
	struct timeval tv;

	(void)p;
	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

const struct threshold_conf *
poller_thresholds(struct poller *p, int *n)
{
	*n = p->nthresholds;
	return p->thresholds;
}

struct store *
poller_store(struct poller *p)
{
	return p->store;
}

struct inventory *
poller_inventory(struct poller *p)
{
	return p->inv;
}

int
poller_sample(struct device_rt *d, const struct sample_set *s)
{
	if (sample_emit(d->p->samples, s) == -1) {
		d->stats.samples_dropped++;
		return -1;
	}
	return 0;
}

const char *
poller_rrd_dir(struct poller *p)
{
	return p->rrd_dir;
}

void
poller_emit(struct device_rt *d, const char *kind, const char *key,
    enum np_severity sev, const char *object, const char *old_state,
    const char *new_state, const char *fmt, ...)
{
	struct np_event ev;
	va_list ap;

	event_init(&ev, d->conf->name, "poll", kind, key, sev, "%s", "");
	va_start(ap, fmt);
	vsnprintf(ev.text, sizeof(ev.text), fmt, ap);
	va_end(ap);
	snprintf(ev.object, sizeof(ev.object), "%s", object ? object : "");
	snprintf(ev.old_state, sizeof(ev.old_state), "%s",
	    old_state ? old_state : "");
	snprintf(ev.new_state, sizeof(ev.new_state), "%s",
	    new_state ? new_state : "");
	log_event(d->conf->name, kind, event_severity_name(sev), ev.text);
	if (evbus_emit(d->p->bus, &ev) == -1) {
		d->events_dropped++;
		d->p->events_dropped++;
		complain(&d->c_events, LOG_L_WARN,
		    "%s: event %s dropped: store queue full", d->conf->name,
		    kind);
	} else
		complain_release(
		    &d->c_events, "%s: events stored again", d->conf->name);
}

/*
 * A device's row, written as configured (POLLED 0) or after a poll. In a
 * store the nodes of a cluster share, only the node holding the device
 * writes it: every node writing every configured device at its start
 * made the nodes' first transactions deadlock (10,000 devices, three
 * nodes); the holder writes it when it comes to hold it (poller_own).
 */
static void
poller_put_device(struct device_rt *d, int polled)
{
	struct store_device sd;

	if (!polled && d->p->shared && !d->mine && store_is_pg(d->p->store))
		return;

	memset(&sd, 0, sizeof(sd));
	snprintf(sd.name, sizeof(sd.name), "%s", d->conf->name);
	snprintf(sd.address, sizeof(sd.address), "%s", d->conf->address);
	sd.port = d->conf->port;
	sd.snmp_version = d->conf->snmp.version;
	snprintf(sd.location, sizeof(sd.location), "%s", d->conf->location);
	snprintf(sd.role, sizeof(sd.role), "%s", d->conf->role);
	snprintf(sd.owner, sizeof(sd.owner), "%s", d->conf->owner);
	snprintf(sd.sys_name, sizeof(sd.sys_name), "%s", d->sys_name);
	snprintf(sd.sys_descr, sizeof(sd.sys_descr), "%s", d->sys_descr);
	snprintf(
	    sd.sys_object_id, sizeof(sd.sys_object_id), "%s", d->sys_object_id);
	sd.reachable = d->reachable;
	if (polled) {
		sd.last_poll = d->poll_start;
		if (d->reachable == 1) {
			sd.last_ok = d->uptime_at;
			sd.sys_uptime = d->uptime;
		}
	}
	store_put_device(d->p->store, &sd);
}

/* --- generations: one poll round of every device, for cycle figures --- */

static void
poller_gen_start(struct poller *p, struct device_rt *d)
{
	unsigned long n = d->npolls + 1 + d->gen_off;
	struct gen *g = &p->gens[n % GEN_RING];

	if (g->n != n) {
		memset(g, 0, sizeof(*g));
		g->n = n;
		g->start = d->poll_start;
	}
	if (n > p->gen_last)
		p->gen_last = n;
}

/* D (new here) joins the node's next round, not the first. */
static void
poller_gen_join(struct poller *p, struct device_rt *d)
{
	d->gen_off = p->gen_last > d->npolls ? p->gen_last - d->npolls : 0;
}

static void
poller_gen_finish(struct poller *p, struct device_rt *d, uint64_t vb,
    uint64_t req, uint64_t to)
{
	unsigned long n = d->npolls + d->gen_off;
	struct gen *g = &p->gens[n % GEN_RING];

	if (g->n != n)
		return;
	g->finished++;
	g->varbinds += vb;
	g->requests += req;
	g->timeouts += to;
	/* every device this node polls (in a cluster, those it holds) */
	if (!g->done &&
	    (int)g->finished >= (p->shared ? p->nmine : p->ndevices)) {
		g->done = 1;
		p->cycles++;
		p->last_cycle_seconds = poller_now(p) - g->start;
		p->last_cycle_varbinds = g->varbinds;
		p->last_cycle_requests = g->requests;
		p->last_cycle_timeouts = g->timeouts;
		log_info("poll cycle %lu: %d devices in %.3f s, %llu requests, "
		         "%llu varbinds, %llu timeouts",
		    g->n, p->ndevices, p->last_cycle_seconds,
		    (unsigned long long)g->requests,
		    (unsigned long long)g->varbinds,
		    (unsigned long long)g->timeouts);
	}
}

/* --- one poll --- */

static void
poller_fail(struct device_rt *d, const char *why)
{
	snprintf(d->poll_error, sizeof(d->poll_error), "%s", why);
	d->poll_ok = 0;
	d->phase = PH_DONE;
	event_active(d->ev_finish, 0, 0);
}

static void
poller_reachable(struct device_rt *d, int up)
{
	if (d->reachable == up)
		return;
	if (up && d->reachable == 0)
		poller_emit(d, "device.reachable", "device", SEV_INFO, NULL,
		    "unreachable", "reachable", "device answers SNMP again");
	else if (!up)
		poller_emit(d, "device.unreachable", "device", SEV_CRITICAL,
		    NULL, d->reachable == 1 ? "reachable" : "unknown",
		    "unreachable",
		    "device does not answer SNMP (%d s timeout, %d retries)",
		    d->conf->timeout, d->conf->retries);
	d->reachable = up;
}

static int
poller_uptime(struct device_rt *d, uint64_t ticks, double now)
{
	int rebooted = 0;

	if (d->uptime_at > 0) {
		double elapsed = now - d->uptime_at;
		uint64_t expect = d->uptime + (uint64_t)(elapsed * 100);
		/* sysUpTime is a TimeTicks: it wraps after 497 days. */
		int wrapped = expect > 0xffffffffULL &&
		    ticks < expect - 0xffffffffULL + 6000;

		if (ticks + 100 < d->uptime && !wrapped) {
			poller_emit(d, "device.reboot", "uptime", SEV_WARNING,
			    NULL, NULL, NULL,
			    "device restarted: uptime %.0f s, was %.0f s",
			    ticks / 100.0, d->uptime / 100.0);
			ifmib_reset_counters(d);
			rebooted = 1;
		}
	}
	d->uptime = ticks;
	d->uptime_at = now;
	return rebooted;
}

static void
poller_system_cb(void *arg, enum snmpsess_status st, netsnmp_pdu *pdu)
{
	struct device_rt *d = arg;
	netsnmp_variable_list *vb;
	double now = poller_now(d->p);
	int rebooted = 0;

	if (st != SNMPS_OK) {
		if (st == SNMPS_TIMEOUT)
			poller_reachable(d, 0);
		poller_fail(d,
		    st == SNMPS_TIMEOUT
		        ? "no answer to the system group"
		        : (d->ss.errbuf[0] ? d->ss.errbuf : "SNMP error"));
		return;
	}
	if (pdu->command == SNMP_MSG_REPORT) {
		d->stats.errors++;
		poller_fail(d, d->ss.errbuf);
		return;
	}
	poller_reachable(d, 1);
	for (vb = pdu->variables; vb; vb = vb->next_variable) {
		uint64_t v;

		if (snmp_oid_compare(
		        vb->name, vb->name_length, oid_sysuptime, 9) == 0) {
			if (vb->type == ASN_TIMETICKS &&
			    walk_vb_u64(vb, &v) == 0)
				rebooted = poller_uptime(d, v, now);
		} else if (cfgpoll_vb(d, vb))
			;
		else if (snmp_oid_compare(vb->name, vb->name_length,
		               oid_sysname, 9) == 0) {
			walk_vb_str(vb, d->sys_name, sizeof(d->sys_name));
			inv_set_sysname(d->p->inv, d->conf->name, d->sys_name);
		} else if (snmp_oid_compare(
		               vb->name, vb->name_length, oid_sysdescr, 9) == 0)
			walk_vb_str(vb, d->sys_descr, sizeof(d->sys_descr));
		else if (snmp_oid_compare(vb->name, vb->name_length,
		             oid_sysobjectid, 9) == 0 &&
		    vb->type == ASN_OBJECT_ID) {
			char buf[NP_STR_MAX];
			size_t o = 0, n = vb->val_len / sizeof(oid);

			buf[0] = '\0';
			for (size_t i = 0; i < n && o < sizeof(buf) - 12; i++)
				o += (size_t)snprintf(buf + o, sizeof(buf) - o,
				    ".%lu", (unsigned long)vb->val.objid[i]);
			snprintf(d->sys_object_id, sizeof(d->sys_object_id),
			    "%s", buf);
		}
	}
	if (pdu->errstat != SNMP_ERR_NOERROR)
		d->stats.errors++;
	else
		cfgpoll_done(d, rebooted);
	d->phase = PH_IFTABLE;
	if (ifmib_walk_iftable(d) == -1)
		poller_fail(d, "cannot start the ifTable walk");
}

void
poller_phase_done(struct device_rt *d, int status, const char *why)
{
	const char *table = d->phase == PH_IFTABLE ? "ifTable"
	    : d->phase == PH_IFXTABLE              ? "ifXTable"
	                                           : "health";

	if (status == WALK_TIMEOUT) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s walk: no answer", table);
		poller_fail(d, msg);
		return;
	}
	/* An agent error or a loop ends that table; what came is still used. */
	if (why && why[0])
		snprintf(d->poll_error, sizeof(d->poll_error),
		    "%s walk: %.200s", table, why);
	else if (d->walk != NULL && d->walk->why[0])
		snprintf(d->poll_error, sizeof(d->poll_error),
		    "%s walk: %.200s", table, d->walk->why);
	switch (d->phase) {
	case PH_IFTABLE:
		d->phase = PH_IFXTABLE;
		if (ifmib_walk_ifxtable(d) == -1)
			poller_fail(d, "cannot start the ifXTable walk");
		return;
	case PH_IFXTABLE:
		ifmib_process(d);
		d->phase = PH_HEALTH;
		if (health_walk(d) == -1)
			poller_fail(d, "cannot start the health walk");
		return;
	case PH_HEALTH:
		health_process(d);
		d->poll_ok = 1;
		d->phase = PH_DONE;
		event_active(d->ev_finish, 0, 0);
		return;
	default: return;
	}
}

static void
poller_schedule(struct device_rt *d)
{
	double next = d->poll_start + d->conf->interval, now = poller_now(d->p);
	double delay = next - now;
	struct timeval tv;

	if (delay < 0) {
		d->p->overruns++;
		delay = 0;
	}
	tv.tv_sec = (time_t)delay;
	tv.tv_usec = (suseconds_t)((delay - (double)tv.tv_sec) * 1e6);
	evtimer_add(d->ev_poll, &tv);
}

static void device_free(struct device_rt *);

/* After a poll, outside net-snmp's callbacks: account, maybe close, reschedule. */
static void
poller_finish(evutil_socket_t fd, short what, void *arg)
{
	struct device_rt *d = arg;
	struct poller *p = d->p;
	uint64_t req, vb, to;
	double now = poller_now(p);

	(void)fd;
	(void)what;
	req = d->ctr.requests - d->ctr_requests0;
	vb = d->wst.varbinds;
	to = d->ctr.timeouts - d->ctr_timeouts0;
	d->npolls++;
	d->stats.polls++;
	if (d->poll_ok) {
		d->stats.polls_ok++;
		if (p->on_ok)
			p->on_ok(p->on_ok_arg, d->conf->name, d->poll_start);
	} else {
		d->stats.polls_failed++;
		p->polls_failed++;
	}
	p->polls++;
	d->stats.last_start = d->poll_start;
	d->stats.last_duration = now - d->poll_start;
	d->stats.last_requests = req;
	d->stats.last_varbinds = vb;
	d->stats.requests = d->ctr.requests;
	d->stats.varbinds += vb;
	d->stats.timeouts = d->ctr.timeouts;
	d->stats.retries = d->ctr.retries;
	d->stats.malformed = d->ctr.malformed;
	d->stats.loops += d->wst.loops;
	d->stats.truncated += d->wst.truncated;
	d->stats.errors += d->wst.errors;
	snprintf(d->stats.last_error, sizeof(d->stats.last_error), "%s",
	    d->poll_error);
	if (d->poll_error[0])
		complain(&d->c_poll, d->poll_ok ? LOG_L_NOTICE : LOG_L_WARN,
		    "%s: poll %s: %s", d->conf->name,
		    d->poll_ok ? "partial" : "failed", d->poll_error);
	else
		complain_release(
		    &d->c_poll, "%s: polls succeed again", d->conf->name);
	/* a device removed during its poll stays retired in the store
	 * (its row would say it is configured again) */
	if (!d->removed)
		poller_put_device(d, 1);
	store_put_stats(p->store, &d->stats);
	poller_gen_finish(p, d, vb, req, to);

	d->state = DEV_IDLE;
	p->inflight--;
	if (d->changed || snmpsess_is_stale(&d->ss) ||
	    (!p->keep_sessions && d->conf->snmp.version != NP_SNMP_V3))
		snmpsess_close(&d->ss);
	d->changed = 0;
	/* (the poll's requests are all answered or timed out by now); the
	 * poll's walk and its rows (1 KB a port: 68 KB a 48-port switch,
	 * 680 MB over 10,000 of them) are held during a poll only */
	free(d->walk);
	d->walk = NULL;
	free(d->rows);
	d->rows = NULL;
	d->nrows = d->caprows = 0;
	hmap_free(&d->row_by_index);
	if (d->removed) {
		device_free(d);
	} else if (d->poll_again && d->mine) {
		struct timeval now0 = {0, 0};

		d->poll_again = 0;
		evtimer_add(d->ev_poll, &now0);
	} else {
		d->poll_again = 0;
		poller_schedule(d);
	}
	poller_kick(p);
}

static void
poller_resolved(void *arg, int ok, const char *text)
{
	struct device_rt *d = arg;
	char msg[256];

	d->resolving = NULL;
	if (!ok) {
		/* the next polls fail at once until the retry */
		d->resolve_after = poller_now(d->p) +
		    (d->conf->interval > 30 ? d->conf->interval : 30);
		snprintf(msg, sizeof(msg), "cannot resolve %.100s: %.120s",
		    d->conf->address, text);
		snprintf(d->addr_error, sizeof(d->addr_error), "%s", msg);
		d->addr[0] = '\0';
		poller_fail(d, msg);
		return;
	}
	d->resolve_after = 0;
	d->addr_error[0] = '\0';
	if (strcmp(d->addr, text) != 0) {
		if (strcmp(d->conf->address, text) != 0)
			log_info("%s: %s resolves to %s%s%s%s", d->conf->name,
			    d->conf->address, text, d->addr[0] ? " (was " : "",
			    d->addr, d->addr[0] ? ")" : "");
		snmpsess_close(&d->ss);
		snprintf(d->addr, sizeof(d->addr), "%s", text);
	}
	if (d->addr_req_gen == d->addr_gen)
		d->addr_stale = 0;
	poller_send_system(d);
}

/*
 * The device's address as a literal: at once for an IP address, through
 * evdns for a host name (the poll goes on in poller_resolved). 0 when
 * the session can open now, 1 when the answer is awaited or the poll
 * failed.
 */
static int
poller_resolve(struct device_rt *d)
{
	struct poller *p = d->p;

	if (d->addr[0] && !d->addr_stale)
		return 0;
	if (resolve_is_literal(d->conf->address)) {
		snprintf(d->addr, sizeof(d->addr), "%s", d->conf->address);
		d->addr_stale = 0;
		return 0;
	}
	if (!d->addr[0] && d->resolve_after > poller_now(p)) {
		poller_fail(d, d->addr_error);
		return 1;
	}
	d->phase = PH_RESOLVE;
	d->addr_req_gen = d->addr_gen;
	/* (a known answer comes before this returns) */
	d->resolving = resolve_start(p->dns, d->conf->address, poller_resolved, d);
	return 1;
}

static void
poller_start(struct poller *p, struct device_rt *d)
{
	d->state = DEV_POLLING;
	p->inflight++;
	d->poll_start = poller_now(p);
	d->poll_ok = 0;
	d->poll_error[0] = '\0';
	d->phase = PH_SYSTEM;
	memset(&d->wst, 0, sizeof(d->wst));
	d->ctr_requests0 = d->ctr.requests;
	d->ctr_timeouts0 = d->ctr.timeouts;
	poller_gen_start(p, d);
	if (d->walk == NULL && (d->walk = calloc(1, sizeof(*d->walk))) == NULL) {
		poller_fail(d, "out of memory");
		return;
	}
	if (poller_resolve(d) == 0)
		poller_send_system(d);
}

/* The session open (at the resolved address), the system group asked. */
static void
poller_send_system(struct device_rt *d)
{
	struct poller *p = d->p;
	char err[256];
	netsnmp_pdu *pdu;

	d->phase = PH_SYSTEM;
	if (!snmpsess_is_open(&d->ss) &&
	    snmpsess_open_at(&d->ss, p->base, d->conf, d->addr, &d->engine,
	        &d->ctr, err, sizeof(err)) == -1) {
		poller_fail(d, err);
		return;
	}
	if ((pdu = snmp_pdu_create(SNMP_MSG_GET)) == NULL) {
		poller_fail(d, "out of memory");
		return;
	}
	snmp_add_null_var(pdu, oid_sysuptime, 9);
	snmp_add_null_var(pdu, oid_sysname, 9);
	snmp_add_null_var(pdu, oid_sysdescr, 9);
	snmp_add_null_var(pdu, oid_sysobjectid, 9);
	cfgpoll_add_vars(d, pdu);
	if (snmpsess_send(&d->ss, pdu, poller_system_cb, d) == -1) {
		/* e.g. ICMP port unreachable came back: nobody answers there */
		if (!snmpsess_is_stale(&d->ss))
			poller_reachable(d, 0);
		poller_fail(d, d->ss.errbuf[0] ? d->ss.errbuf : "cannot send");
	}
}

/* Start queued polls while there is room. */
static void
poller_kick(struct poller *p)
{
	struct device_rt *d;

	while (p->inflight < p->max_inflight && (d = TAILQ_FIRST(&p->queue))) {
		TAILQ_REMOVE(&p->queue, d, qentry);
		poller_start(p, d);
	}
}

static void
poller_due(evutil_socket_t fd, short what, void *arg)
{
	struct device_rt *d = arg;

	(void)fd;
	(void)what;
	if (d->state != DEV_IDLE || !d->mine)
		return; /* (another node's: polled again once given) */
	d->state = DEV_QUEUED;
	TAILQ_INSERT_TAIL(&d->p->queue, d, qentry);
	poller_kick(d->p);
}

/* --- devices --- */

static struct device_rt *
device_new(struct poller *p, const struct device_conf *dc)
{
	struct device_rt *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->conf = dc;
	d->p = p;
	d->mine = !p->shared; /* in a cluster: once the leases give it */
	poller_gen_join(p, d);
	d->reachable = -1;
	d->cfgpoll.unsaved = -1;
	d->ss.fd = -1;
	hmap_init(&d->ports);
	hmap_init(&d->port_by_index);
	hmap_init(&d->row_by_index);
	snprintf(d->stats.device, sizeof(d->stats.device), "%s", dc->name);
	d->ev_poll = evtimer_new(p->base, poller_due, d);
	d->ev_finish = event_new(p->base, -1, 0, poller_finish, d);
	if (d->ev_poll == NULL || d->ev_finish == NULL) {
		if (d->ev_poll)
			event_free(d->ev_poll);
		free(d);
		return NULL;
	}
	return d;
}

static void
device_free(struct device_rt *d)
{
	struct poller *p = d->p;

	if (d->state == DEV_QUEUED)
		TAILQ_REMOVE(&p->queue, d, qentry);
	TAILQ_REMOVE(&p->devices, d, entry);
	hmap_del(&p->by_name, d->stats.device);
	p->ndevices--;
	resolve_cancel(d->resolving);
	snmpsess_close(&d->ss);
	event_free(d->ev_poll);
	event_free(d->ev_finish);
	ifmib_free_ports(d);
	health_free(d);
	hmap_free(&d->row_by_index);
	free(d->rows);
	free(d->walk);
	free(d->own_conf);
	free(d);
}

/* What the store remembers of devices and ports: no false events at start. */
struct poller_load {
	struct poller *p;
	unsigned long devices, ports;
};

static int
poller_load_device(void *arg, const struct store_device *sd)
{
	struct poller_load *l = arg;
	struct device_rt *d = hmap_get(&l->p->by_name, sd->name);

	if (d == NULL || d->npolls || d->uptime_at > 0)
		return 0;
	d->reachable = sd->reachable;
	if (sd->last_ok > 0) {
		d->uptime = sd->sys_uptime;
		d->uptime_at = sd->last_ok;
	}
	snprintf(d->sys_name, sizeof(d->sys_name), "%s", sd->sys_name);
	inv_set_sysname(l->p->inv, d->conf->name, d->sys_name);
	snprintf(d->sys_descr, sizeof(d->sys_descr), "%s", sd->sys_descr);
	snprintf(d->sys_object_id, sizeof(d->sys_object_id), "%s",
	    sd->sys_object_id);
	l->devices++;
	return 0;
}

static int
poller_load_port(void *arg, const struct store_port *sp)
{
	struct poller_load *l = arg;
	struct device_rt *d = hmap_get(&l->p->by_name, sp->device);
	struct port_rt *pr;

	if (d == NULL || d->npolls || hmap_get(&d->ports, sp->name))
		return 0;
	if ((pr = ifmib_port_new(d, sp->name)) == NULL)
		return 1;
	pr->ifindex = (uint32_t)sp->ifindex;
	pr->admin = sp->admin_status;
	pr->oper = sp->oper_status;
	ifmib_counters_parse(pr, sp->counters);
	if (hmap_put(&d->ports, pr->name, pr) == -1) {
		free(pr);
		return 0;
	}
	l->ports++;
	/* known by name until a poll sees its ifIndex */
	(void)inv_port_put(
	    l->p->inv, d->conf->name, pr->name, 0, sp->descr, sp->alias);
	return 0;
}

static int
poller_load_sensor(void *arg, const struct store_sensor *x)
{
	struct poller_load *l = arg;
	struct device_rt *d = hmap_get(&l->p->by_name, x->device);

	if (d != NULL && d->npolls == 0)
		health_load(d, x);
	return 0;
}

static void
poller_load_history(struct poller *p)
{
	struct poller_load l = {p, 0, 0};
	struct store *ro;
	char err[512];

	if ((ro = store_open(p->store_path, 1, err, sizeof(err))) == NULL) {
		log_debug("poller: no history to load: %s", err);
		return;
	}
	store_get_devices(ro, poller_load_device, &l);
	store_get_ports(ro, NULL, poller_load_port, &l);
	store_get_sensors(ro, NULL, poller_load_sensor, &l);
	store_close(ro);
	if (l.devices || l.ports)
		log_info(
		    "poller: state of %lu devices and %lu ports loaded from "
		    "the store",
		    l.devices, l.ports);
}

static int
device_same_target(const struct device_conf *a, const struct device_conf *b)
{
	return strcmp(a->address, b->address) == 0 && a->port == b->port &&
	    a->snmp.version == b->snmp.version &&
	    strcmp(a->snmp.user, b->snmp.user) == 0;
}

void
poller_configure(struct poller *p, const struct config *conf)
{
	struct device_conf *dc;
	struct device_rt *d, *next;
	const char **names;
	size_t n = 0;
	int added = 0, changed = 0, removed = 0;

	if (inv_configure(p->inv, conf) == -1)
		log_warnx("inventory: out of memory");
	p->max_inflight = conf->max_inflight > 0 ? conf->max_inflight : 256;
	if (p->shared && conf->cluster.node[0] == '\0') {
		/* no cluster any more: every device is this node's */
		TAILQ_FOREACH(d, &p->devices, entry)
		if (!d->mine) {
			struct timeval now0 = {0, 0};

			d->mine = 1;
			if (d->state == DEV_IDLE)
				evtimer_add(d->ev_poll, &now0);
		}
	}
	p->shared = conf->cluster.node[0] != '\0';
	snprintf(p->node, sizeof(p->node), "%s", conf->cluster.node);
	p->nthresholds = conf->nthresholds;
	memcpy(p->thresholds, conf->thresholds, sizeof(p->thresholds));
	TAILQ_FOREACH(d, &p->devices, entry)
	d->removed = 1;
	TAILQ_FOREACH(dc, &conf->devices, entry)
	{
		if ((d = hmap_get(&p->by_name, dc->name)) != NULL) {
			d->removed = 0;
			if (!conf_device_equal(d->conf, dc)) {
				if (!device_same_target(d->conf, dc))
					d->engine.len = 0;
				d->changed = 1;
				changed++;
				if (d->state != DEV_POLLING) {
					snmpsess_close(&d->ss);
					d->changed = 0;
				}
				/* a new interval applies from now */
				if (d->conf->interval != dc->interval &&
				    d->state == DEV_IDLE) {
					struct timeval now0 = {0, 0};

					evtimer_add(d->ev_poll, &now0);
				}
			}
			if (strcmp(d->conf->address, dc->address) != 0)
				d->addr[0] = '\0';
			d->conf = dc;
			/* host names are resolved again at the next poll */
			d->addr_gen++;
			d->addr_stale = 1;
			d->resolve_after = 0;
			poller_put_device(d, 0);
			continue;
		}
		if ((d = device_new(p, dc)) == NULL) {
			log_warnx("%s: out of memory", dc->name);
			continue;
		}
		TAILQ_INSERT_TAIL(&p->devices, d, entry);
		if (hmap_put(&p->by_name, d->stats.device, d) == -1) {
			TAILQ_REMOVE(&p->devices, d, entry);
			event_free(d->ev_poll);
			event_free(d->ev_finish);
			free(d);
			continue;
		}
		p->ndevices++;
		added++;
	}
	for (d = TAILQ_FIRST(&p->devices); d; d = next) {
		next = TAILQ_NEXT(d, entry);
		if (!d->removed)
			continue;
		removed++;
		log_info("%s: removed from the configuration", d->conf->name);
		if (d->state != DEV_POLLING)
			device_free(d);
		else if (d->own_conf == NULL) {
			/* its poll ends after the old configuration is gone */
			if ((d->own_conf = malloc(sizeof(*d->own_conf))) ==
			    NULL)
				fatal("%s: out of memory", d->conf->name);
			*d->own_conf = *d->conf;
			d->conf = d->own_conf;
		}
	}
	poller_load_history(p);

	/* Sessions stay open between polls while descriptors allow. */
	p->keep_sessions = p->ndevices + 64 < p->fd_budget;

	if ((names = calloc((size_t)p->ndevices + 1, sizeof(*names))) != NULL) {
		TAILQ_FOREACH(d, &p->devices, entry)
		{
			if (d->removed)
				continue;
			names[n++] = d->conf->name;
			if (d->npolls == 0 && d->state == DEV_IDLE) {
				struct timeval now0 = {0, 0};

				poller_put_device(d, 0);
				evtimer_add(d->ev_poll, &now0);
			}
		}
		store_retire_devices(p->store, names, n);
		free(names);
	}
	log_info("poller: %d devices (%d added, %d changed, %d removed), "
	         "at most %d polled at once%s",
	    p->ndevices, added, changed, removed, p->max_inflight,
	    p->keep_sessions ? "" : ", sessions closed between polls");
}

struct poller *
poller_new(struct event_base *base, struct store *store, struct evbus *bus,
    struct sample_stream *samples, struct inventory *inv, const char *rrd_dir,
    const char *store_path)
{
	struct poller *p;
	struct rlimit rl;
	char err[256];

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->base = base;
	p->store = store;
	p->bus = bus;
	p->samples = samples;
	p->inv = inv;
	snprintf(p->rrd_dir, sizeof(p->rrd_dir), "%s", rrd_dir);
	snprintf(p->store_path, sizeof(p->store_path), "%s", store_path);
	TAILQ_INIT(&p->devices);
	TAILQ_INIT(&p->queue);
	hmap_init(&p->by_name);
	p->max_inflight = 256;
	if ((p->dns = resolve_base_new(base, 2, 2, err, sizeof(err))) == NULL) {
		log_warnx("poller: %s", err);
		hmap_free(&p->by_name);
		free(p);
		return NULL;
	}
	/* One socket per session: use all the descriptors we may have. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		p->fd_budget =
		    rl.rlim_cur == RLIM_INFINITY ? 1000000 : (long)rl.rlim_cur;
	} else
		p->fd_budget = 1024;
	if (p->fd_budget > 1 << 20)
		p->fd_budget = 1 << 20;
	return p;
}

void
poller_free(struct poller *p)
{
	struct device_rt *d;

	if (p == NULL)
		return;
	while ((d = TAILQ_FIRST(&p->devices)) != NULL)
		device_free(d);
	hmap_free(&p->by_name);
	resolve_base_free(p->dns);
	free(p);
}

static const char *
device_state_name(const struct device_rt *d)
{
	switch (d->state) {
	case DEV_IDLE: return "idle";
	case DEV_QUEUED: return "queued";
	case DEV_POLLING:
		return d->phase == PH_RESOLVE ? "resolving" : "polling";
	}
	return "?";
}

static struct device_rt *
poller_find(struct poller *p, const char *name)
{
	struct device_rt *d = hmap_get(&p->by_name, name);

	return d != NULL && !d->removed ? d : NULL;
}

int
poller_mine(struct poller *p, const char *name)
{
	struct device_rt *d = poller_find(p, name);

	return d == NULL ? -1 : d->mine != 0;
}

int64_t
poller_poll_now(struct poller *p, const char *name)
{
	struct device_rt *d = poller_find(p, name);

	if (d == NULL || !d->mine)
		return -1;
	if (d->state == DEV_IDLE) {
		evtimer_del(d->ev_poll);
		poller_due(-1, 0, d);
	} else if (d->state == DEV_POLLING) {
		/* the poll under way began before the asking: the one
		 * asked for is the next, right after it */
		d->poll_again = 1;
		return (int64_t)d->npolls + 1;
	}
	return (int64_t)d->npolls;
}

int
poller_own(struct poller *p, char *const *names, size_t n)
{
	struct hmap set;
	struct device_rt *d;
	int changed = 0;

	hmap_init(&set);
	for (size_t i = 0; i < n; i++)
		if (hmap_put(&set, names[i], names[i]) == -1) {
			hmap_free(&set);
			return -1;
		}
	p->nmine = 0;
	TAILQ_FOREACH(d, &p->devices, entry)
	{
		int mine = !p->shared || hmap_get(&set, d->conf->name) != NULL;

		if (mine && !d->mine) {
			struct timeval now0 = {0, 0};

			d->mine = 1;
			/* its row, before its first poll writes its ports */
			if (d->npolls == 0)
				poller_put_device(d, 0);
			/* (a poll under way ends in the round it began) */
			if (d->state != DEV_POLLING)
				poller_gen_join(p, d);
			changed++;
			if (d->state == DEV_IDLE)
				evtimer_add(d->ev_poll, &now0);
		} else if (!mine && d->mine) {
			d->mine = 0;
			changed++;
			if (d->state == DEV_QUEUED) {
				TAILQ_REMOVE(&p->queue, d, qentry);
				d->state = DEV_IDLE;
			}
			if (d->state == DEV_IDLE)
				evtimer_del(d->ev_poll);
		}
		p->nmine += d->mine;
	}
	hmap_free(&set);
	return changed;
}

int64_t
poller_polls(struct poller *p, const char *name)
{
	struct device_rt *d = poller_find(p, name);

	return d == NULL ? -1 : (int64_t)d->npolls;
}

void
poller_on_ok(struct poller *p, poller_ok_fn fn, void *arg)
{
	p->on_ok = fn;
	p->on_ok_arg = arg;
}

void
poller_status(struct poller *p, struct jbuf *j)
{
	struct device_rt *d;

	json_key(j, "poller");
	json_obj_open(j);
	json_kint(j, "devices", p->ndevices);
	if (p->shared)
		json_kint(j, "devices_here", p->nmine);
	json_kint(j, "inflight", p->inflight);
	json_kint(j, "max_inflight", p->max_inflight);
	json_kuint(j, "polls", p->polls);
	json_kuint(j, "polls_failed", p->polls_failed);
	json_kuint(j, "overruns", p->overruns);
	json_kuint(j, "events_dropped", p->events_dropped);
	json_kuint(j, "cycles", p->cycles);
	json_kreal(j, "last_cycle_seconds", p->last_cycle_seconds);
	json_kuint(j, "last_cycle_requests", p->last_cycle_requests);
	json_kuint(j, "last_cycle_varbinds", p->last_cycle_varbinds);
	json_kuint(j, "last_cycle_timeouts", p->last_cycle_timeouts);
	json_kbool(j, "sessions_kept_open", p->keep_sessions);
	json_obj_close(j);
	json_key(j, "devices");
	json_arr_open(j);
	TAILQ_FOREACH(d, &p->devices, entry)
	{
		json_obj_open(j);
		json_kstr(j, "name", d->conf->name);
		json_kstr(j, "address", d->conf->address);
		json_kstr(j, "address_resolved", d->addr);
		json_kstr(j, "state", device_state_name(d));
		if (p->shared) {
			json_key(j, "node");
			if (d->mine)
				json_str(j, p->node);
			else
				json_null(j);
		}
		json_key(j, "reachable");
		if (d->reachable < 0)
			json_null(j);
		else
			json_bool(j, d->reachable);
		json_kint(j, "ports", (int64_t)d->ports.n);
		json_kint(j, "sensors", (int64_t)health_count(d));
		json_kuint(j, "polls", d->stats.polls);
		json_kuint(j, "polls_failed", d->stats.polls_failed);
		json_kreal(j, "last_poll_duration", d->stats.last_duration);
		json_kuint(j, "last_requests", d->stats.last_requests);
		json_kuint(j, "last_varbinds", d->stats.last_varbinds);
		json_kuint(j, "requests", d->ctr.requests);
		json_kuint(j, "varbinds", d->stats.varbinds);
		json_kuint(j, "timeouts", d->ctr.timeouts);
		json_kuint(j, "retries", d->ctr.retries);
		json_kuint(j, "errors", d->stats.errors);
		json_kuint(j, "bad_values", d->stats.bad_types);
		json_kuint(j, "loops", d->stats.loops);
		json_kuint(j, "samples_dropped", d->stats.samples_dropped);
		json_kuint(j, "counter_resets", d->counter_resets);
		json_kuint(j, "ports_skipped", d->ports_skipped);
		json_kuint(j, "events_dropped", d->events_dropped);
		json_kuint(j, "malformed", d->ctr.malformed);
		json_kuint(j, "truncated", d->stats.truncated);
		json_kstr(j, "last_error", d->stats.last_error);
		json_obj_close(j);
	}
	json_arr_close(j);
}
