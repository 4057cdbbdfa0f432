/*
 * plan.c - inspection plans on the loop (plan.h).
 *
 * One timer, set for the soonest planned time. A run takes the plan's
 * devices from the running configuration and, for each planned check,
 * decides from what the daemon holds whether it could be done:
 *   ports, health   the device answered an SNMP poll in the last three
 *                   polling intervals (at least 3 minutes)
 *   probes          a probe watches the device
 *   config          its configuration is fetched (config fetch)
 *   compliance      a compliance policy applies to it
 *   security        always (compliance results, failed logins from the
 *                   store, SNMP default communities from the
 *                   configuration, which the run records)
 *   logs            a syslog listener is configured
 * and records why when not. What each check found is what the findings
 * stage opened: reports read findings of the run's period from the store.
 *
 * Checks that ask for fresh data get it first (plan_fresh_ops): ports and
 * health a poll of each device now, config and compliance a fetch of its
 * configuration. The run waits for them (PLAN_FRESH_WAIT, or
 * PLAN_FETCH_WAIT with fetches) on its timer, then is evaluated: a
 * device whose poll got no answer has its ports and health checks
 * skipped, whatever it answered before.
 *
 * A planned time more than PLAN_GRACE seconds behind the loop (the
 * daemon was down, or the machine asleep) is recorded as a missed run,
 * found at start from the newest planned time in the store.
 */
#include "config.h"

#include <sys/queue.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "log.h"
#include "plan.h"
#include "store.h"

#define PLAN_GRACE 300 /* seconds late a planned run still runs */
#define PLAN_MISSED_MAX 1000 /* missed runs recorded per plan at start */
#define PLAN_FRESH_MIN 180 /* a poll this recent counts, at least */
#define PLAN_PRUNE_EVERY 86400
#define PLAN_FRESH_WAIT 120 /* seconds a run waits for its polls */
#define PLAN_FETCH_WAIT 300 /* ... and for its configuration fetches */
#define PLAN_PENDING_MAX 16 /* runs waiting for fresh data at once */
#define PLAN_TICK_MS 250

enum { FR_NONE, FR_WAIT, FR_DONE };

/* A device's fresh data for a run waiting for it. */
struct plan_fdev {
	char name[NP_NAME_MAX];
	int64_t poll0, fetch0, good0; /* counts when asked */
	int poll, fetch; /* FR_* */
	int fetch_ok;
};

/* A run waiting for its fresh polls and fetches. */
struct plan_pending {
	TAILQ_ENTRY(plan_pending) entry;
	char plan[NP_NAME_MAX];
	char who[NP_NAME_MAX];
	double scheduled, begun, deadline;
	int64_t id;
	struct plan_fdev *devs;
	size_t ndevs;
};
TAILQ_HEAD(plan_pendq, plan_pending);

struct plan_dev {
	char name[NP_NAME_MAX];
	double last_ok;
};

struct plan_st {
	char name[NP_NAME_MAX];
	int sched, wday, minute, every; /* to see a change at reload */
	double next; /* 0: on demand */
};

struct plan_engine {
	struct event_base *base;
	struct store *store, *ro; /* the writer's; reads (plan_new) */
	const struct config *conf;
	struct event *timer;
	int64_t next_id, id_end; /* ids to use: [next_id, id_end) */
	int leading; /* runs the scheduled plans (store_leader); -1 at first */
	int configured;
	struct plan_st st[NP_MAX_PLANS];
	int nst;
	struct plan_dev *devs;
	size_t ndevs;
	uint64_t runs, missed, demand, store_errors;
	double last_prune;
	void (*done)(void *, int64_t);
	void *done_arg;
	struct plan_fresh_ops fresh;
	struct plan_pendq pending;
	int npending;
	struct event *tick;
	uint64_t fresh_polls, fresh_fetches, fresh_timeouts, busy;
};

/* The next run's id, from the node's block. */
static int64_t
plan_next_id(struct plan_engine *e)
{
	if (e->next_id >= e->id_end)
		store_ids_refill(
		    e->store, STORE_ID_PLANRUN, &e->next_id, &e->id_end);
	return e->next_id++;
}

static double
plan_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct plan_dev *
plan_dev(struct plan_engine *e, const char *name)
{
	for (size_t i = 0; i < e->ndevs; i++)
		if (strcmp(e->devs[i].name, name) == 0)
			return &e->devs[i];
	return NULL;
}

void
plan_poll_ok(struct plan_engine *e, const char *device, double t)
{
	struct plan_dev *d = plan_dev(e, device);

	if (d != NULL)
		d->last_ok = t;
}

static int
plan_has_probe(const struct config *c, const char *device)
{
	const struct probe_conf *x;

	TAILQ_FOREACH(x, &c->probes, entry)
	if (strcmp(x->device, device) == 0)
		return 1;
	return 0;
}

static int
plan_has_syslog(const struct config *c)
{
	const struct listen_conf *l;

	TAILQ_FOREACH(l, &c->listens, entry)
	if (l->kind == LISTEN_SYSLOG)
		return 1;
	return 0;
}

/* Why check K cannot be done on D at NOW, or NULL when it is done. */
static const char *
plan_check(struct plan_engine *e, const struct device_conf *d,
    enum plan_check k, double now, const struct plan_pending *pr,
    const struct plan_fdev *fd, char *buf, size_t len)
{
	struct plan_dev *pd;
	double fresh = 3.0 * d->interval;
	char t[40];

	switch (k) {
	case PCHK_PORTS:
	case PCHK_HEALTH:
		if (fd != NULL && fd->poll == FR_WAIT) {
			snprintf(buf, len,
			    "the inspection's poll did not end in %.0f s",
			    pr->deadline - pr->begun);
			return buf;
		}
		if (fd != NULL && fd->poll == FR_DONE) {
			pd = plan_dev(e, d->name);
			if (pd != NULL && pd->last_ok >= pr->begun)
				return NULL;
			if (pd == NULL || pd->last_ok <= 0)
				return "no answer to SNMP polls yet";
			snprintf(buf, len,
			    "no answer to the inspection's poll (the last "
			    "was at %s)",
			    event_time_rfc3339(pd->last_ok, t, sizeof(t)));
			return buf;
		}
		if (fresh < PLAN_FRESH_MIN)
			fresh = PLAN_FRESH_MIN;
		pd = plan_dev(e, d->name);
		if (pd == NULL || pd->last_ok <= 0)
			return "no answer to SNMP polls yet";
		if (now - pd->last_ok > fresh) {
			snprintf(buf, len, "no answer to SNMP polls since %s",
			    event_time_rfc3339(pd->last_ok, t, sizeof(t)));
			return buf;
		}
		return NULL;
	case PCHK_PROBES:
		return plan_has_probe(e->conf, d->name) ? NULL
		                                        : "no probe configured";
	case PCHK_CONFIG:
		if (d->cfg.argc == 0)
			return "no configuration fetch configured";
		if (fd != NULL && fd->fetch == FR_WAIT) {
			snprintf(buf, len,
			    "the inspection's configuration fetch did not "
			    "end in %.0f s",
			    pr->deadline - pr->begun);
			return buf;
		}
		if (fd != NULL && fd->fetch == FR_DONE && !fd->fetch_ok)
			return "the inspection's configuration fetch failed";
		return NULL;
	case PCHK_COMPLIANCE:
		return d->npolicies > 0 ? NULL : "no compliance policy applied";
	case PCHK_SECURITY: return NULL;
	case PCHK_LOGS:
		return plan_has_syslog(e->conf)
		    ? NULL
		    : "no syslog listener configured";
	default: return "unknown check";
	}
}

static int
plan_default_community(const struct device_conf *d)
{
	return d->snmp.version != NP_SNMP_V3 &&
	    (strcmp(d->snmp.community, "public") == 0 ||
	        strcmp(d->snmp.community, "private") == 0);
}

/*
 * Run (or, MISSED, record as missed) plan P planned at SCHEDULED (0: on
 * demand by WHO). Its answer for the control socket into ANS when given.
 */
/*
 * NAME's fresh data in PR. The run's devices were taken in the
 * configuration's order, as the evaluation walks them: *NEXT, where the
 * last one was found, is looked at first (a reload in between: search).
 */
static const struct plan_fdev *
plan_fdev(const struct plan_pending *pr, const char *name, size_t *next)
{
	if (pr == NULL)
		return NULL;
	if (*next < pr->ndevs && strcmp(pr->devs[*next].name, name) == 0)
		return &pr->devs[(*next)++];
	for (size_t i = 0; i < pr->ndevs; i++)
		if (strcmp(pr->devs[i].name, name) == 0) {
			*next = i + 1;
			return &pr->devs[i];
		}
	return NULL;
}

static const char *
plan_fresh_name(int state, int ok, const char *done, const char *failed)
{
	if (state == FR_WAIT)
		return "timed out";
	return ok ? done : failed;
}

/* Evaluate the run (PR: its fresh data, NULL: none asked). */
static int64_t
plan_eval(struct plan_engine *e, const struct plan_conf *p, double scheduled,
    int missed, const char *who, struct jbuf *ans,
    const struct plan_pending *pr)
{
	const struct device_conf *d;
	struct store_planrun r;
	struct jbuf cov;
	char buf[NP_STR_MAX + 64];
	double now = plan_now(), begun = pr != NULL ? pr->begun : now;
	size_t next = 0;
	int k;

	memset(&r, 0, sizeof(r));
	r.id = pr != NULL ? pr->id : plan_next_id(e);
	snprintf(r.plan, sizeof(r.plan), "%s", p->name);
	snprintf(r.category, sizeof(r.category), "%s",
	    scheduled > 0 ? conf_plan_category(p->sched) : "special");
	snprintf(r.trigger, sizeof(r.trigger), "%s",
	    scheduled > 0 ? "schedule" : "demand");
	snprintf(r.state, sizeof(r.state), "%s", missed ? "missed" : "done");
	snprintf(r.inspector, sizeof(r.inspector), "%s",
	    p->inspector[0] ? p->inspector : "netpatrold");
	snprintf(r.requested_by, sizeof(r.requested_by), "%s",
	    who ? who : "schedule");
	r.scheduled = scheduled;
	r.started = missed ? scheduled : begun;
	r.period_end = scheduled > 0 ? scheduled : begun;
	r.period_start = r.period_end - plan_period(p);

	jbuf_init(&cov);
	json_obj_open(&cov);
	json_key(&cov, "devices");
	json_arr_open(&cov);
	TAILQ_FOREACH(d, &e->conf->devices, entry)
	{
		const struct plan_fdev *fd;
		int done = 0;

		if (!conf_plan_has_device(p, d))
			continue;
		fd = plan_fdev(pr, d->name, &next);
		r.devices_planned++;
		json_obj_open(&cov);
		json_kstr(&cov, "device", d->name);
		json_key(&cov, "checks");
		json_arr_open(&cov);
		for (k = 0; k < PCHK_MAX; k++) {
			const char *why;

			if (!(p->checks & (1u << k)))
				continue;
			r.checks_planned++;
			why = missed ? "the run was missed"
			             : plan_check(e, d, k, now, pr, fd, buf,
			                   sizeof(buf));
			json_obj_open(&cov);
			json_kstr(&cov, "check", conf_plan_check_name(k));
			json_kbool(&cov, "done", why == NULL);
			if (why)
				json_kstr(&cov, "skipped", why);
			json_obj_close(&cov);
			if (why == NULL) {
				r.checks_done++;
				done = 1;
			}
		}
		json_arr_close(&cov);
		json_kbool(&cov, "done", done);
		if (fd != NULL && fd->poll != FR_NONE) {
			struct plan_dev *pd = plan_dev(e, d->name);

			json_kstr(&cov, "fresh_poll",
			    plan_fresh_name(fd->poll,
			        pd != NULL && pd->last_ok >= begun, "answered",
			        "no answer"));
		}
		if (fd != NULL && fd->fetch != FR_NONE)
			json_kstr(&cov, "fresh_fetch",
			    plan_fresh_name(
			        fd->fetch, fd->fetch_ok, "fetched", "failed"));
		if (p->checks & (1u << PCHK_SECURITY))
			json_kbool(&cov, "default_community",
			    plan_default_community(d));
		json_obj_close(&cov);
		r.devices_done += done;
	}
	json_arr_close(&cov);
	json_obj_close(&cov);
	r.ended = missed ? scheduled : plan_now();
	if (store_put_planrun(
	        e->store, &r, cov.s && !cov.failed ? cov.s : "{}") == -1)
		e->store_errors++;
	jbuf_free(&cov);
	if (missed)
		e->missed++;
	else if (scheduled > 0)
		e->runs++;
	else
		e->demand++;
	if (missed)
		log_warnx("plan %s: the run planned at %.0f was missed",
		    p->name, scheduled);
	else
		log_info("plan %s: run %lld, %d of %d checks done on %d of %d "
		         "devices",
		    p->name, (long long)r.id, r.checks_done, r.checks_planned,
		    r.devices_done, r.devices_planned);
	if (!missed && e->done != NULL)
		e->done(e->done_arg, r.id);
	if (ans) {
		json_kstr(ans, "plan", r.plan);
		json_kint(ans, "run", r.id);
		json_kstr(ans, "state", r.state);
		json_kint(ans, "devices_planned", r.devices_planned);
		json_kint(ans, "devices_done", r.devices_done);
		json_kint(ans, "checks_planned", r.checks_planned);
		json_kint(ans, "checks_done", r.checks_done);
	}
	return r.id;
}

/* --- fresh data before a run --- */

static void
plan_pending_free(struct plan_pending *pr)
{
	free(pr->devs);
	free(pr);
}

/* Are PR's polls and fetches in? (and note those that are) */
static int
plan_fresh_in(struct plan_engine *e, struct plan_pending *pr)
{
	int waiting = 0;

	for (size_t i = 0; i < pr->ndevs; i++) {
		struct plan_fdev *f = &pr->devs[i];
		int64_t n, good = 0;

		if (f->poll == FR_WAIT &&
		    e->fresh.polls(e->fresh.arg, f->name) > f->poll0)
			f->poll = FR_DONE;
		if (f->fetch == FR_WAIT &&
		    (n = e->fresh.fetches(e->fresh.arg, f->name, &good)) >
		        f->fetch0) {
			f->fetch = FR_DONE;
			f->fetch_ok = good > f->good0;
		}
		waiting += f->poll == FR_WAIT || f->fetch == FR_WAIT;
	}
	return waiting == 0;
}

static void
plan_tick(evutil_socket_t fd, short what, void *arg)
{
	struct plan_engine *e = arg;
	struct plan_pending *pr, *next;
	struct timeval tv = {0, PLAN_TICK_MS * 1000};
	double now = plan_now();

	(void)fd;
	(void)what;
	for (pr = TAILQ_FIRST(&e->pending); pr != NULL; pr = next) {
		const struct plan_conf *p;

		next = TAILQ_NEXT(pr, entry);
		if (!plan_fresh_in(e, pr) && now < pr->deadline)
			continue;
		if (now >= pr->deadline)
			e->fresh_timeouts++;
		TAILQ_REMOVE(&e->pending, pr, entry);
		e->npending--;
		if ((p = conf_find_plan(e->conf, pr->plan)) != NULL)
			plan_eval(e, p, pr->scheduled, 0,
			    pr->who[0] ? pr->who : NULL, NULL, pr);
		else
			log_warnx("plan %s: gone at a reload before its run "
			          "%lld ended: not recorded",
			    pr->plan, (long long)pr->id);
		plan_pending_free(pr);
	}
	if (e->npending > 0)
		evtimer_add(e->tick, &tv);
}

/*
 * Run P (at SCHEDULED, 0: on demand by WHO): ask for the fresh data its
 * checks want and evaluate it when that is in; or at once.
 */
static int64_t
plan_run(struct plan_engine *e, const struct plan_conf *p, double scheduled,
    int missed, const char *who, struct jbuf *ans)
{
	const struct device_conf *d;
	struct plan_pending *pr;
	struct timeval tv = {0, PLAN_TICK_MS * 1000};
	int want_poll = p->checks & ((1u << PCHK_PORTS) | (1u << PCHK_HEALTH));
	int want_fetch = p->checks & (1u << PCHK_CONFIG);
	size_t n = 0, asked = 0;

	if (missed || e->fresh.poll_now == NULL || (!want_poll && !want_fetch))
		return plan_eval(e, p, scheduled, missed, who, ans, NULL);
	if (e->npending >= PLAN_PENDING_MAX) {
		e->busy++;
		log_warnx("plan %s: %d runs wait for fresh data already: this "
		          "one is evaluated from what the daemon holds",
		    p->name, PLAN_PENDING_MAX);
		return plan_eval(e, p, scheduled, missed, who, ans, NULL);
	}
	if ((pr = calloc(1, sizeof(*pr))) == NULL ||
	    (pr->devs = calloc(e->conf->ndevices > 0 ? e->conf->ndevices : 1,
	         sizeof(*pr->devs))) == NULL) {
		free(pr);
		return plan_eval(e, p, scheduled, missed, who, ans, NULL);
	}
	snprintf(pr->plan, sizeof(pr->plan), "%s", p->name);
	snprintf(pr->who, sizeof(pr->who), "%s", who ? who : "");
	pr->scheduled = scheduled;
	pr->begun = plan_now();
	pr->deadline = pr->begun + (want_fetch ? PLAN_FETCH_WAIT
	                                       : PLAN_FRESH_WAIT);
	TAILQ_FOREACH(d, &e->conf->devices, entry)
	{
		struct plan_fdev *f;

		if (n >= (size_t)e->conf->ndevices)
			break;
		if (!conf_plan_has_device(p, d))
			continue;
		f = &pr->devs[n++];
		snprintf(f->name, sizeof(f->name), "%s", d->name);
		if (want_poll &&
		    (f->poll0 = e->fresh.poll_now(e->fresh.arg, d->name)) >= 0) {
			f->poll = FR_WAIT;
			e->fresh_polls++;
			asked++;
		}
		if (want_fetch && d->cfg.argc > 0 &&
		    (f->fetch0 = e->fresh.fetches(e->fresh.arg, d->name,
		         &f->good0)) >= 0 &&
		    e->fresh.fetch_now(e->fresh.arg, d->name,
		        who ? who : "schedule") == 0) {
			f->fetch = FR_WAIT;
			e->fresh_fetches++;
			asked++;
		}
	}
	pr->ndevs = n;
	if (asked == 0) {
		plan_pending_free(pr);
		return plan_eval(e, p, scheduled, missed, who, ans, NULL);
	}
	pr->id = plan_next_id(e);
	TAILQ_INSERT_TAIL(&e->pending, pr, entry);
	if (e->npending++ == 0)
		evtimer_add(e->tick, &tv);
	log_info("plan %s: run %lld waits for %zu fresh polls and fetches",
	    p->name, (long long)pr->id, asked);
	if (ans) {
		json_kstr(ans, "plan", p->name);
		json_kint(ans, "run", pr->id);
		json_kstr(ans, "state", "running");
		json_kint(ans, "fresh", (int64_t)asked);
	}
	return pr->id;
}

static void plan_arm(struct plan_engine *);

/*
 * Nodes sharing their store (PostgreSQL) run the scheduled plans once:
 * the one holding the store's lock (store_leader). A node that takes
 * them over goes on from the last run in the store, so that what the
 * node before did not run is recorded as missed.
 */
static int
plan_leads(struct plan_engine *e)
{
	int lead = store_leader(e->store);
	double last;

	if (lead && e->leading == 0) {
		log_info("plans: this node runs the scheduled plans now");
		for (int i = 0; i < e->nst; i++) {
			const struct plan_conf *p =
			    conf_find_plan(e->conf, e->st[i].name);

			if (p != NULL && p->sched != PLAN_DEMAND &&
			    e->ro != NULL &&
			    (last = store_plan_last_scheduled(e->ro, p->name)) >
			        0)
				e->st[i].next = plan_next(p, last);
		}
	} else if (!lead && e->leading != 0)
		log_info("plans: another node runs the scheduled plans");
	e->leading = lead;
	return lead;
}

/*
 * Run, or record as missed, P's planned times up to UNTIL (a time more
 * than PLAN_GRACE behind NOW was missed); then its next one.
 */
static void
plan_catch_up(struct plan_engine *e, const struct plan_conf *p,
    struct plan_st *st, double until, double now)
{
	int n = 0;

	if (!plan_leads(e)) { /* another node runs them */
		while (st->next > 0 && st->next <= until)
			st->next = plan_next(p, st->next);
		return;
	}
	while (st->next > 0 && st->next <= until) {
		if (n++ < PLAN_MISSED_MAX || now - st->next <= PLAN_GRACE)
			plan_run(e, p, st->next, now - st->next > PLAN_GRACE,
			    NULL, NULL);
		st->next = plan_next(p, st->next);
	}
}

static void
plan_prune(struct plan_engine *e, double now)
{
	double before[NP_REPORT_CATS];

	if (now - e->last_prune < PLAN_PRUNE_EVERY)
		return;
	e->last_prune = now;
	for (int i = 0; i < NP_REPORT_CATS; i++)
		before[i] = e->conf->report_keep_days[i] > 0
		    ? now - e->conf->report_keep_days[i] * 86400.0
		    : 0;
	if (store_prune_planruns(e->store, before) == -1)
		e->store_errors++;
}

static void
plan_fire(evutil_socket_t fd, short what, void *arg)
{
	struct plan_engine *e = arg;
	double now = plan_now();

	(void)fd;
	(void)what;
	for (int i = 0; i < e->nst; i++) {
		const struct plan_conf *p =
		    conf_find_plan(e->conf, e->st[i].name);

		if (p != NULL)
			plan_catch_up(e, p, &e->st[i], now, now);
	}
	plan_prune(e, now);
	plan_arm(e);
}

static void
plan_arm(struct plan_engine *e)
{
	double now = plan_now(), soonest = now + 3600;
	struct timeval tv;

	for (int i = 0; i < e->nst; i++)
		if (e->st[i].next > 0 && e->st[i].next < soonest)
			soonest = e->st[i].next;
	if (soonest < now)
		soonest = now;
	tv.tv_sec = (time_t)(soonest - now);
	tv.tv_usec = (suseconds_t)((soonest - now - tv.tv_sec) * 1e6) + 1000;
	if (tv.tv_usec >= 1000000) {
		tv.tv_sec++;
		tv.tv_usec -= 1000000;
	}
	evtimer_add(e->timer, &tv);
}

struct plan_engine *
plan_new(struct event_base *base, struct store *store, struct store *ro)
{
	struct plan_engine *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->base = base;
	e->store = store;
	e->ro = ro;
	TAILQ_INIT(&e->pending);
	if ((e->timer = evtimer_new(base, plan_fire, e)) == NULL ||
	    (e->tick = evtimer_new(base, plan_tick, e)) == NULL) {
		if (e->timer)
			event_free(e->timer);
		free(e);
		return NULL;
	}
	e->leading = -1;
	e->next_id = ro ? store_max_planrun_id(ro) + 1 : 1;
	if (e->next_id < 1)
		e->next_id = 1;
	/* (in PostgreSQL, a block of ids of its own: several nodes) */
	e->id_end = INT64_MAX;
	if (store_is_pg(store))
		store_ids_refill(store, STORE_ID_PLANRUN, &e->next_id, &e->id_end);
	return e;
}

static void
plan_devices(struct plan_engine *e, const struct config *c)
{
	struct plan_dev *nd;
	const struct device_conf *d;
	size_t n = 0;

	nd = calloc(c->ndevices > 0 ? c->ndevices : 1, sizeof(*nd));
	if (nd == NULL)
		return; /* keep the old ones */
	TAILQ_FOREACH(d, &c->devices, entry)
	{
		struct plan_dev *old = plan_dev(e, d->name);

		if (n >= (size_t)c->ndevices)
			break;
		snprintf(nd[n].name, sizeof(nd[n].name), "%s", d->name);
		nd[n++].last_ok = old ? old->last_ok : 0;
	}
	free(e->devs);
	e->devs = nd;
	e->ndevs = n;
}

void
plan_configure(struct plan_engine *e, const struct config *c)
{
	struct plan_st ns[NP_MAX_PLANS];
	double now = plan_now();
	int i, j;

	e->conf = c;
	plan_devices(e, c);
	memset(ns, 0, sizeof(ns));
	for (i = 0; i < c->nplans; i++) {
		const struct plan_conf *p = &c->plans[i];
		struct plan_st *st = &ns[i];
		double last;

		snprintf(st->name, sizeof(st->name), "%s", p->name);
		st->sched = p->sched;
		st->wday = p->wday;
		st->minute = p->minute;
		st->every = p->every;
		for (j = 0; j < e->nst; j++)
			if (strcmp(e->st[j].name, p->name) == 0 &&
			    e->st[j].sched == st->sched &&
			    e->st[j].wday == st->wday &&
			    e->st[j].minute == st->minute &&
			    e->st[j].every == st->every)
				break;
		if (j < e->nst)
			st->next = e->st[j].next;
		else if (!e->configured && p->sched != PLAN_DEMAND &&
		    e->ro != NULL &&
		    (last = store_plan_last_scheduled(e->ro, p->name)) > 0)
			st->next = plan_next(p, last); /* what was missed */
		else
			st->next = plan_next(p, now);
	}
	memcpy(e->st, ns, sizeof(ns));
	e->nst = c->nplans;
	e->configured = 1;
	evtimer_del(e->timer);
	/* planned times behind: recorded now, late ones run at once */
	for (i = 0; i < e->nst; i++)
		plan_catch_up(
		    e, &c->plans[i], &e->st[i], now - PLAN_GRACE, now);
	plan_prune(e, now); /* at start, then once a day */
	plan_arm(e);
}

int64_t
plan_run_now(struct plan_engine *e, const char *name, const char *who,
    struct jbuf *j, char *err, size_t errlen)
{
	const struct plan_conf *p;

	if (e->conf == NULL || (p = conf_find_plan(e->conf, name)) == NULL) {
		snprintf(err, errlen, "no plan \"%s\"", name);
		return -1;
	}
	return plan_run(e, p, 0, 0, who, j);
}

void
plan_status(struct plan_engine *e, struct jbuf *j)
{
	char t[40];

	json_key(j, "plans");
	json_obj_open(j);
	json_kuint(j, "runs", e->runs);
	json_kuint(j, "runs_on_demand", e->demand);
	json_kuint(j, "runs_missed", e->missed);
	json_kuint(j, "store_errors", e->store_errors);
	json_kuint(j, "fresh_polls", e->fresh_polls);
	json_kuint(j, "fresh_fetches", e->fresh_fetches);
	json_kuint(j, "fresh_timeouts", e->fresh_timeouts);
	json_kuint(j, "running", (uint64_t)e->npending);
	json_key(j, "next");
	json_arr_open(j);
	for (int i = 0; i < e->nst; i++) {
		json_obj_open(j);
		json_kstr(j, "plan", e->st[i].name);
		json_key(j, "time");
		if (e->st[i].next > 0)
			json_str(
			    j, event_time_rfc3339(e->st[i].next, t, sizeof(t)));
		else
			json_null(j);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

void
plan_on_done(
    struct plan_engine *e, void (*done)(void *, int64_t), void *arg)
{
	e->done = done;
	e->done_arg = arg;
}

void
plan_set_fresh(struct plan_engine *e, const struct plan_fresh_ops *ops)
{
	e->fresh = *ops;
}

void
plan_free(struct plan_engine *e)
{
	struct plan_pending *pr;

	if (e == NULL)
		return;
	while ((pr = TAILQ_FIRST(&e->pending)) != NULL) {
		TAILQ_REMOVE(&e->pending, pr, entry);
		plan_pending_free(pr);
	}
	event_free(e->timer);
	event_free(e->tick);
	free(e->devs);
	free(e);
}
