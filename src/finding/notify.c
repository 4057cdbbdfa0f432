/*
 * notify.c - alerts to the NOC (see notify.h): a queue per target, one
 * delivery at a time per target (so a resolve never overtakes its open),
 * retries with exponential backoff and a bound, counters per target,
 * escalation and repeat timers per finding, reload by target name.
 * Routing is in notify_route.c, the transports in notify_*.c.
 */
#include "config.h"

#include <sys/time.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "hmap.h"
#include "notify_int.h"

#define NOTIFY_GRACE 2.0 /* seconds for deliveries at stop */
#define NOTIFY_MAX_RECORDS 200000 /* findings remembered at once */
#define NOTIFY_SWEEP_SECS 600
#define NOTIFY_FORGET_SETTLED (7 * 86400.0)
#define NOTIFY_FORGET_IDLE (30 * 86400.0)

/* What the notifier remembers of a finding it has sent somewhere. */
struct nrec {
	int64_t id;
	struct nfind *nf; /* its latest state */
	uint64_t engaged; /* targets that have it */
	int settled; /* acknowledged or closed: no more escalation */
	double touched;
	struct nesc *timers;
};

/* An escalation or repeat timer of one finding at one target. */
enum { NESC_ESCALATE = 1, NESC_REPEAT };
struct nesc {
	struct nesc *next;
	struct notifier *n;
	struct nrec *r;
	char target[NP_NAME_MAX];
	int kind;
	int count; /* repeats sent */
	struct event *ev;
};

struct notifier {
	struct event_base *base;
	struct ntarget *t[NP_MAX_NOTIFY];
	int nt;
	struct nroute route;
	struct hmap recs; /* finding id -> struct nrec */
	size_t nrecs, ntimers;
	struct nstats **stats; /* by name, kept across reloads */
	int nstats;
	struct event *ev_chld, *ev_sweep, *ev_wake;
	struct nproc *orphans; /* killed children not reaped yet */
	char sendmail[PATH_MAX];
	double started;
	int stopping;
	uint64_t changes, skipped_flapping, skipped_suppressed;
	uint64_t skipped_consequence, unrouted, untracked;
};

double
notify_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

struct event_base *
notify_base(struct notifier *n)
{
	return n->base;
}

const char *
notify_sendmail(struct notifier *n)
{
	return n->sendmail;
}

double
notify_uptime(struct notifier *n)
{
	return notify_now() - n->started;
}

struct nproc **
nproc_orphans(struct notifier *n)
{
	return &n->orphans;
}

static const struct ntransport *
notify_transport(enum notify_type type)
{
	switch (type) {
	case NOTIFY_TRAP:
	case NOTIFY_INFORM: return &notify_snmp_transport;
	case NOTIFY_SYSLOG: return &notify_syslog_transport;
	case NOTIFY_MAIL: return &notify_mail_transport;
	case NOTIFY_EXEC: return &notify_exec_transport;
	}
	return NULL;
}

/*
 * Findings shared by messages.
 */

static struct nfind *
nfind_new(const struct finding *f)
{
	struct nfind *nf = malloc(sizeof(*nf));

	if (nf == NULL)
		return NULL;
	nf->refs = 1;
	nf->f = *f;
	return nf;
}

static struct nfind *
nfind_ref(struct nfind *nf)
{
	nf->refs++;
	return nf;
}

static void
nfind_unref(struct nfind *nf)
{
	if (nf != NULL && --nf->refs == 0)
		free(nf);
}

static void
nmsg_free(struct nmsg *m)
{
	if (m == NULL)
		return;
	nfind_unref(m->nf);
	free(m);
}

/*
 * Queues and deliveries.
 */

static void notify_kick(struct ntarget *);

static void
notify_error(struct ntarget *t, const char *err)
{
	snprintf(t->st->last_error, sizeof(t->st->last_error), "%s",
	    err && err[0] ? err : "failed");
	t->st->last_error_at = notify_now();
}

/* The delivery of t->cur is over: counted, retried or given up. */
static void
notify_finish(struct ntarget *t, int ok, const char *err)
{
	struct nmsg *m = t->cur;
	struct timeval tv;
	double lat;
	int wait;

	t->busy = 0;
	if (m == NULL)
		return;
	if (ok) {
		t->st->sent++;
		t->st->last_sent = notify_now();
		lat = t->st->last_sent - m->queued;
		t->st->lat_last = lat;
		t->st->lat_sum += lat;
		if (lat > t->st->lat_max)
			t->st->lat_max = lat;
		log_debug("notify %s: finding %lld (%s) sent", t->c.name,
		    (long long)m->nf->f.id, finding_change_name(m->change));
		if (t->fault.last)
			complain_release(&t->fault,
			    "notify %s: delivering again", t->c.name);
		nmsg_free(m);
		t->cur = NULL;
		return;
	}
	t->st->failed++;
	notify_error(t, err);
	/* a transport that failed is opened again for the next attempt */
	if (t->tp != NULL) {
		t->tr->close(t);
		t->tp = NULL;
	}
	if (m->tries <= t->c.retries && !t->n->stopping) {
		t->st->retries++;
		wait = nroute_backoff(m->tries);
		complain(&t->fault, LOG_L_WARN,
		    "notify %s: %s (finding %lld; retry %d of %d in %d s)",
		    t->c.name, t->st->last_error, (long long)m->nf->f.id,
		    m->tries, t->c.retries, wait);
		tv.tv_sec = wait;
		tv.tv_usec = 0;
		evtimer_add(t->ev_retry, &tv);
		return;
	}
	t->st->dropped++;
	complain(&t->loss, LOG_L_WARN,
	    "notify %s: gave up on finding %lld (%s) after %d attempts: %s",
	    t->c.name, (long long)m->nf->f.id, finding_change_name(m->change),
	    m->tries, t->st->last_error);
	nmsg_free(m);
	t->cur = NULL;
}

/* One attempt at delivering t->cur. */
static void
notify_attempt(struct ntarget *t)
{
	char err[256] = "";
	int rc;

	t->cur->tries++;
	if (t->tp == NULL && t->tr->open(t, err, sizeof(err)) == -1)
		rc = -1;
	else {
		t->in_send = 1;
		t->sync_done = 0;
		rc = t->tr->send(t, t->cur, err, sizeof(err));
		t->in_send = 0;
		if (t->sync_done) {
			rc = t->sync_ok ? 0 : -1;
			snprintf(err, sizeof(err), "%s", t->sync_err);
		}
	}
	if (rc == 1) {
		t->busy = 1;
		return;
	}
	notify_finish(t, rc == 0, err);
}

static void
notify_kick(struct ntarget *t)
{
	while (t->cur == NULL && (t->cur = TAILQ_FIRST(&t->q)) != NULL) {
		TAILQ_REMOVE(&t->q, t->cur, entry);
		t->depth--;
		notify_attempt(t);
	}
}

void
notify_done(struct ntarget *t, int ok, const char *err)
{
	if (t->in_send) {
		t->sync_done = 1;
		t->sync_ok = ok;
		snprintf(
		    t->sync_err, sizeof(t->sync_err), "%s", err ? err : "");
		return;
	}
	if (!t->busy)
		return;
	notify_finish(t, ok, err);
	notify_kick(t);
}

static void
notify_on_retry(evutil_socket_t fd, short what, void *arg)
{
	struct ntarget *t = arg;

	(void)fd;
	(void)what;
	if (t->cur == NULL || t->busy)
		return;
	notify_attempt(t);
	notify_kick(t);
}

static void
notify_enqueue(struct ntarget *t, struct nfind *nf, enum finding_change c)
{
	struct nmsg *m;

	if (t->depth >= t->c.queue || (m = calloc(1, sizeof(*m))) == NULL) {
		t->st->dropped++;
		notify_error(t, "queue full");
		complain(&t->loss, LOG_L_WARN,
		    "notify %s: queue full (%d): finding %lld dropped",
		    t->c.name, t->c.queue, (long long)nf->f.id);
		return;
	}
	m->nf = nfind_ref(nf);
	m->change = c;
	m->queued = notify_now();
	TAILQ_INSERT_TAIL(&t->q, m, entry);
	t->depth++;
	notify_kick(t);
}

/*
 * Findings remembered, and their timers.
 */

static int
notify_index(struct notifier *n, const char *name)
{
	for (int i = 0; i < n->nt; i++)
		if (strcmp(n->t[i]->c.name, name) == 0)
			return i;
	return -1;
}

static void
nesc_free(struct nesc *e)
{
	e->n->ntimers--;
	event_free(e->ev);
	free(e);
}

static void
nrec_cancel(struct nrec *r)
{
	struct nesc *e;

	while ((e = r->timers) != NULL) {
		r->timers = e->next;
		nesc_free(e);
	}
}

static void
nrec_free(struct notifier *n, struct nrec *r)
{
	nrec_cancel(r);
	hmap_idel(&n->recs, (uint64_t)r->id);
	n->nrecs--;
	nfind_unref(r->nf);
	free(r);
}

static void nesc_arm(struct notifier *, struct nrec *, int target);

static void
nesc_unlink(struct nesc *e)
{
	struct nesc **pp;

	for (pp = &e->r->timers; *pp != NULL; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
}

static void
nesc_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct nesc *e = arg;
	struct notifier *n = e->n;
	struct nrec *r = e->r;
	struct ntarget *t;
	struct timeval tv;
	int i, j;

	(void)fd;
	(void)what;
	i = notify_index(n, e->target);
	if (i == -1 || r->settled || n->stopping || r->nf->f.state != FS_OPEN ||
	    nroute_skip(&r->nf->f) != NULL)
		goto done;
	t = n->t[i];
	if (e->kind == NESC_REPEAT) {
		if (t->c.repeat_secs == 0)
			goto done;
		t->st->repeats++;
		log_info("notify %s: finding %lld not acknowledged: sent again",
		    t->c.name, (long long)r->id);
		notify_enqueue(t, r->nf, FC_ESCALATE);
		if (t->c.repeat_count == 0 || ++e->count < t->c.repeat_count) {
			tv.tv_sec = t->c.repeat_secs;
			tv.tv_usec = 0;
			evtimer_add(e->ev, &tv);
			return;
		}
		goto done;
	}
	if ((j = n->route.esc[i]) == -1)
		goto done;
	t->st->escalations++;
	log_info("notify %s: finding %lld not acknowledged in %d s: escalated "
	         "to %s",
	    t->c.name, (long long)r->id, t->c.escalate_secs, n->t[j]->c.name);
	if (!(r->engaged & ((uint64_t)1 << j))) {
		r->engaged |= (uint64_t)1 << j;
		notify_enqueue(n->t[j], r->nf, FC_ESCALATE);
		nesc_arm(n, r, j);
	}
done:
	nesc_unlink(e);
	nesc_free(e);
}

static void
nesc_add(struct notifier *n, struct nrec *r, struct ntarget *t, int kind)
{
	struct timeval tv = {
	    kind == NESC_REPEAT ? t->c.repeat_secs : t->c.escalate_secs, 0};
	struct nesc *e;

	for (e = r->timers; e != NULL; e = e->next)
		if (e->kind == kind && strcmp(e->target, t->c.name) == 0)
			return;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return;
	if ((e->ev = evtimer_new(n->base, nesc_on_timer, e)) == NULL) {
		free(e);
		return;
	}
	e->n = n;
	e->r = r;
	e->kind = kind;
	snprintf(e->target, sizeof(e->target), "%s", t->c.name);
	e->next = r->timers;
	r->timers = e;
	n->ntimers++;
	evtimer_add(e->ev, &tv);
}

static void
nesc_arm(struct notifier *n, struct nrec *r, int i)
{
	struct ntarget *t = n->t[i];

	if (t->c.escalate_secs > 0 && n->route.esc[i] != -1)
		nesc_add(n, r, t, NESC_ESCALATE);
	if (t->c.repeat_secs > 0)
		nesc_add(n, r, t, NESC_REPEAT);
}

static void
notify_on_sweep(evutil_socket_t fd, short what, void *arg)
{
	struct notifier *n = arg;
	double now = notify_now();
	int64_t *ids;
	size_t i, k = 0;

	(void)fd;
	(void)what;
	if (n->nrecs == 0 || (ids = calloc(n->nrecs, sizeof(*ids))) == NULL)
		return;
	for (i = 0; i < n->recs.cap && k < n->nrecs; i++) {
		struct nrec *r = n->recs.slots[i].value;

		if (n->recs.slots[i].hash == 0 || r == NULL)
			continue;
		if ((r->settled && now - r->touched > NOTIFY_FORGET_SETTLED) ||
		    (r->timers == NULL &&
		        now - r->touched > NOTIFY_FORGET_IDLE))
			ids[k++] = r->id;
	}
	for (i = 0; i < k; i++)
		nrec_free(n, hmap_iget(&n->recs, (uint64_t)ids[i]));
	free(ids);
}

/*
 * The interface.
 */

void
notify_finding(
    struct notifier *n, const struct finding *f, enum finding_change change)
{
	struct nrec *r;
	struct nplan p;
	struct nfind *nf;
	const char *skip;
	int i;

	if (n == NULL || f == NULL || n->stopping)
		return;
	n->changes++;
	r = hmap_iget(&n->recs, (uint64_t)f->id);
	if ((skip = nroute_skip(f)) != NULL) {
		if (f->flapping)
			n->skipped_flapping++;
		else if (f->suppressed)
			n->skipped_suppressed++;
		else
			n->skipped_consequence++;
		log_debug("notify: finding %lld not sent (%s)",
		    (long long)f->id, skip);
	}
	nroute_change(&n->route, f, change, r != NULL, r ? r->engaged : 0, &p);
	if ((nf = nfind_new(f)) == NULL)
		return;
	if (r != NULL && p.cancel)
		nrec_cancel(r);
	if (r != NULL) {
		nfind_unref(r->nf);
		r->nf = nfind_ref(nf);
		r->engaged = p.engaged;
		r->touched = notify_now();
		if (change == FC_OPEN)
			r->settled = 0;
	} else if (!p.forget && (p.engaged || p.arm)) {
		if (n->nrecs >= NOTIFY_MAX_RECORDS ||
		    (r = calloc(1, sizeof(*r))) == NULL) {
			n->untracked++;
		} else {
			r->id = f->id;
			r->nf = nfind_ref(nf);
			r->engaged = p.engaged;
			r->touched = notify_now();
			if (hmap_iput(&n->recs, (uint64_t)f->id, r) == -1) {
				nfind_unref(r->nf);
				free(r);
				r = NULL;
				n->untracked++;
			} else
				n->nrecs++;
		}
	}
	if (skip == NULL && p.send == 0)
		n->unrouted++;
	for (i = 0; i < n->nt; i++)
		if (p.send & ((uint64_t)1 << i))
			notify_enqueue(n->t[i], nf, change);
	if (r != NULL) {
		for (i = 0; i < n->nt; i++)
			if (p.arm & ((uint64_t)1 << i))
				nesc_arm(n, r, i);
		if (p.forget)
			nrec_free(n, r);
	}
	nfind_unref(nf);
}

void
notify_settled(struct notifier *n, int64_t id)
{
	struct nrec *r;

	if (n == NULL || (r = hmap_iget(&n->recs, (uint64_t)id)) == NULL)
		return;
	nrec_cancel(r);
	r->settled = 1;
	r->touched = notify_now();
}

int
notify_idle(struct notifier *n)
{
	for (int i = 0; i < n->nt; i++)
		if (n->t[i]->cur != NULL || n->t[i]->depth > 0)
			return 0;
	return 1;
}

static void
notify_on_chld(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	nproc_reap(arg);
}

struct notifier *
notify_new(struct event_base *base)
{
	struct notifier *n = calloc(1, sizeof(*n));
	struct timeval tv = {NOTIFY_SWEEP_SECS, 0};

	if (n == NULL)
		return NULL;
	n->base = base;
	n->started = notify_now();
	snprintf(n->sendmail, sizeof(n->sendmail), "/usr/sbin/sendmail");
	hmap_init(&n->recs);
	/* our children only: each is reaped by its pid, never waitpid(-1) */
	n->ev_chld = evsignal_new(base, SIGCHLD, notify_on_chld, n);
	n->ev_sweep = event_new(base, -1, EV_PERSIST, notify_on_sweep, n);
	if (n->ev_chld == NULL || n->ev_sweep == NULL ||
	    evsignal_add(n->ev_chld, NULL) == -1) {
		if (n->ev_chld)
			event_free(n->ev_chld);
		if (n->ev_sweep)
			event_free(n->ev_sweep);
		free(n);
		return NULL;
	}
	event_add(n->ev_sweep, &tv);
	return n;
}

static struct nstats *
notify_stats(struct notifier *n, const char *name)
{
	struct nstats **v, *s;

	for (int i = 0; i < n->nstats; i++)
		if (strcmp(n->stats[i]->name, name) == 0)
			return n->stats[i];
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (v = realloc(n->stats, (n->nstats + 1) * sizeof(*v))) == NULL) {
		free(s);
		return NULL;
	}
	snprintf(s->name, sizeof(s->name), "%s", name);
	n->stats = v;
	n->stats[n->nstats++] = s;
	return s;
}

/* Two targets deliver the same way: a reload keeps the transport. */
static int
notify_same_transport(const struct notify_conf *a, const struct notify_conf *b)
{
	return a->type == b->type && strcmp(a->address, b->address) == 0 &&
	    a->port == b->port &&
	    memcmp(&a->snmp, &b->snmp, sizeof(a->snmp)) == 0 &&
	    a->proto == b->proto && a->facility == b->facility &&
	    memcmp(a->rcpt, b->rcpt, sizeof(a->rcpt)) == 0 &&
	    a->nrcpt == b->nrcpt && strcmp(a->from, b->from) == 0 &&
	    memcmp(a->argv, b->argv, sizeof(a->argv)) == 0 &&
	    a->argc == b->argc && a->timeout == b->timeout;
}

/* Close a target's transport; what it was delivering goes back first. */
static void
notify_target_close(struct ntarget *t)
{
	if (t->tp != NULL)
		t->tr->close(t);
	t->tp = NULL;
	t->busy = 0;
	if (t->ev_retry)
		evtimer_del(t->ev_retry);
	if (t->cur != NULL) {
		TAILQ_INSERT_HEAD(&t->q, t->cur, entry);
		t->depth++;
		t->cur = NULL;
	}
}

static void
notify_target_free(struct ntarget *t)
{
	struct nmsg *m;
	int dropped = 0;

	notify_target_close(t);
	while ((m = TAILQ_FIRST(&t->q)) != NULL) {
		TAILQ_REMOVE(&t->q, m, entry);
		nmsg_free(m);
		dropped++;
	}
	if (dropped > 0) {
		t->st->dropped += (uint64_t)dropped;
		log_warnx("notify %s: %d notification%s dropped", t->c.name,
		    dropped, dropped == 1 ? "" : "s");
	}
	if (t->ev_retry)
		event_free(t->ev_retry);
	explicit_bzero(&t->c, sizeof(t->c));
	free(t);
}

static struct ntarget *
notify_target_new(struct notifier *n, const struct notify_conf *c)
{
	struct ntarget *t = calloc(1, sizeof(*t));
	char err[256];

	if (t == NULL)
		return NULL;
	t->n = n;
	t->c = *c;
	t->tr = notify_transport(c->type);
	TAILQ_INIT(&t->q);
	if (t->tr == NULL || (t->st = notify_stats(n, c->name)) == NULL ||
	    (t->ev_retry = evtimer_new(n->base, notify_on_retry, t)) == NULL) {
		free(t);
		return NULL;
	}
	if (t->tr->open(t, err, sizeof(err)) == -1) {
		/* tried again at each delivery */
		log_warnx("notify %s: %s", c->name, err);
		notify_error(t, err);
		t->tp = NULL;
	}
	return t;
}

void
notify_configure(struct notifier *n, const struct config *conf)
{
	struct ntarget *nt[NP_MAX_NOTIFY], *old, *t;
	const struct notify_conf *c, *cv[NP_MAX_NOTIFY];
	char oldnames[NP_MAX_NOTIFY][NP_NAME_MAX];
	int map[NP_MAX_NOTIFY], oldn, k = 0, i, j;
	struct nmsg *m;
	size_t s;

	if (n == NULL)
		return;
	snprintf(n->sendmail, sizeof(n->sendmail), "%s", conf->sendmail);
	oldn = n->nt;
	for (i = 0; i < oldn; i++)
		snprintf(
		    oldnames[i], sizeof(oldnames[i]), "%s", n->t[i]->c.name);
	TAILQ_FOREACH(c, &conf->notifies, entry)
	{
		if (k == NP_MAX_NOTIFY)
			break;
		old = NULL;
		for (j = 0; j < oldn; j++)
			if (n->t[j] != NULL &&
			    strcmp(oldnames[j], c->name) == 0)
				old = n->t[j];
		if (old != NULL && notify_same_transport(&old->c, c)) {
			/* the same destination: new filters and settings */
			old->c = *c;
			n->t[old->idx] = NULL;
			t = old;
		} else {
			if ((t = notify_target_new(n, c)) == NULL) {
				log_warnx("notify %s: out of memory", c->name);
				continue;
			}
			if (old != NULL) {
				/* a new destination: what waited goes there */
				notify_target_close(old);
				while ((m = TAILQ_FIRST(&old->q)) != NULL) {
					TAILQ_REMOVE(&old->q, m, entry);
					old->depth--;
					m->tries = 0;
					TAILQ_INSERT_TAIL(&t->q, m, entry);
					t->depth++;
				}
				n->t[old->idx] = NULL;
				notify_target_free(old);
			}
		}
		nt[k++] = t;
	}
	/* targets gone, with their queues */
	for (i = 0; i < oldn; i++)
		if (n->t[i] != NULL) {
			notify_target_free(n->t[i]);
			n->t[i] = NULL;
		}
	/* what findings remember: old index -> new index, by name */
	for (i = 0; i < oldn; i++) {
		map[i] = -1;
		for (j = 0; j < k; j++)
			if (strcmp(oldnames[i], nt[j]->c.name) == 0)
				map[i] = j;
	}
	for (s = 0; s < n->recs.cap; s++) {
		struct nrec *r = n->recs.slots[s].value;
		uint64_t e = 0;

		if (n->recs.slots[s].hash == 0 || r == NULL)
			continue;
		for (i = 0; i < oldn; i++)
			if ((r->engaged & ((uint64_t)1 << i)) && map[i] != -1)
				e |= (uint64_t)1 << map[i];
		r->engaged = e;
	}
	for (i = 0; i < k; i++) {
		n->t[i] = nt[i];
		nt[i]->idx = i;
		cv[i] = &nt[i]->c;
	}
	n->nt = k;
	nroute_build(&n->route, cv, k);
	log_info("notify: %d target%s", k, k == 1 ? "" : "s");
	for (i = 0; i < k; i++)
		notify_kick(n->t[i]);
}

static const char *
notify_rfc3339(double t, char *buf, size_t len)
{
	return event_time_rfc3339(t, buf, len);
}

static void
notify_kdest(struct jbuf *j, const struct notify_conf *c)
{
	char buf[NP_STR_MAX * 2];
	size_t off = 0;
	int i;

	switch (c->type) {
	case NOTIFY_TRAP:
	case NOTIFY_INFORM:
	case NOTIFY_SYSLOG:
		snprintf(buf, sizeof(buf), "%s:%s%s%s:%u",
		    c->type == NOTIFY_SYSLOG && c->proto == LISTEN_TCP ? "tcp"
		                                                       : "udp",
		    strchr(c->address, ':') ? "[" : "", c->address,
		    strchr(c->address, ':') ? "]" : "", c->port);
		break;
	case NOTIFY_MAIL:
		buf[0] = '\0';
		for (i = 0; i < c->nrcpt && off < sizeof(buf); i++)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off,
			    "%s%s", i ? "," : "", c->rcpt[i]);
		break;
	case NOTIFY_EXEC: snprintf(buf, sizeof(buf), "%s", c->argv[0]); break;
	}
	json_kstr(j, "destination", buf);
}

void
notify_status(struct notifier *n, struct jbuf *j)
{
	char tbuf[40];

	if (n == NULL)
		return;
	json_key(j, "notify");
	json_obj_open(j);
	json_kuint(j, "changes", n->changes);
	json_kuint(j, "skipped_flapping", n->skipped_flapping);
	json_kuint(j, "skipped_suppressed", n->skipped_suppressed);
	json_kuint(j, "skipped_consequence", n->skipped_consequence);
	json_kuint(j, "unrouted", n->unrouted);
	json_kuint(j, "tracked", n->nrecs);
	json_kuint(j, "untracked", n->untracked);
	json_kuint(j, "timers", n->ntimers);
	json_key(j, "targets");
	json_arr_open(j);
	for (int i = 0; i < n->nt; i++) {
		struct ntarget *t = n->t[i];
		struct nstats *st = t->st;

		json_obj_open(j);
		json_kstr(j, "name", t->c.name);
		json_kstr(j, "type", conf_notify_type_name(t->c.type));
		notify_kdest(j, &t->c);
		if (t->c.type == NOTIFY_TRAP || t->c.type == NOTIFY_INFORM)
			json_kstr(j, "version",
			    t->c.snmp.version == NP_SNMP_V3 ? "v3" : "v2c");
		json_kbool(j, "escalation_only", t->c.escalation_only);
		json_kint(j, "queued", t->depth);
		json_kbool(j, "in_flight", t->busy);
		json_kbool(j, "retrying", t->cur != NULL && !t->busy);
		json_kuint(j, "sent", st->sent);
		json_kuint(j, "failed", st->failed);
		json_kuint(j, "retries", st->retries);
		json_kuint(j, "dropped", st->dropped);
		json_kuint(j, "escalations", st->escalations);
		json_kuint(j, "repeats", st->repeats);
		json_kreal(j, "latency_ms_last", st->lat_last * 1000.0);
		json_kreal(j, "latency_ms_max", st->lat_max * 1000.0);
		json_kreal(j, "latency_ms_avg",
		    st->sent ? st->lat_sum * 1000.0 / (double)st->sent : 0.0);
		json_key(j, "last_sent");
		if (st->last_sent > 0)
			json_str(j,
			    notify_rfc3339(st->last_sent, tbuf, sizeof(tbuf)));
		else
			json_null(j);
		json_key(j, "last_error");
		if (st->last_error[0])
			json_str(j, st->last_error);
		else
			json_null(j);
		json_key(j, "last_error_time");
		if (st->last_error_at > 0)
			json_str(j,
			    notify_rfc3339(
			        st->last_error_at, tbuf, sizeof(tbuf)));
		else
			json_null(j);
		if (t->tr->status != NULL && t->tp != NULL)
			t->tr->status(t, j);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

static void
notify_on_wake(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

void
notify_free(struct notifier *n)
{
	struct timeval tv = {0, 100000};
	double deadline;
	size_t s;
	int i, busy;

	if (n == NULL)
		return;
	/* no more escalations; what is queued gets a short grace */
	n->stopping = 1;
	for (s = 0; s < n->recs.cap; s++)
		if (n->recs.slots[s].hash != 0 && n->recs.slots[s].value)
			nrec_cancel(n->recs.slots[s].value);
	n->ev_wake = event_new(n->base, -1, EV_PERSIST, notify_on_wake, n);
	if (n->ev_wake != NULL)
		event_add(n->ev_wake, &tv);
	deadline = notify_now() + NOTIFY_GRACE;
	while (n->ev_wake != NULL && notify_now() < deadline) {
		busy = 0;
		for (i = 0; i < n->nt; i++) {
			struct ntarget *t = n->t[i];

			/* one waiting for a retry is not retried now */
			if (t->cur != NULL && !t->busy) {
				evtimer_del(t->ev_retry);
				t->st->dropped++;
				nmsg_free(t->cur);
				t->cur = NULL;
				notify_kick(t);
			}
			busy |= t->cur != NULL || t->depth > 0;
		}
		if (!busy)
			break;
		event_base_loop(n->base, EVLOOP_ONCE);
	}
	for (i = 0; i < n->nt; i++) {
		struct ntarget *t = n->t[i];

		if (t->cur != NULL) {
			t->st->dropped++;
			if (t->tp != NULL)
				t->tr->close(t);
			t->tp = NULL;
			nmsg_free(t->cur);
			t->cur = NULL;
		}
		notify_target_free(t);
	}
	nproc_shutdown(n);
	for (s = 0; s < n->recs.cap; s++) {
		struct nrec *r = n->recs.slots[s].value;

		if (n->recs.slots[s].hash == 0 || r == NULL)
			continue;
		nrec_cancel(r);
		nfind_unref(r->nf);
		free(r);
	}
	hmap_free(&n->recs);
	for (i = 0; i < n->nstats; i++)
		free(n->stats[i]);
	free(n->stats);
	if (n->ev_wake)
		event_free(n->ev_wake);
	event_free(n->ev_chld);
	event_free(n->ev_sweep);
	free(n);
}
