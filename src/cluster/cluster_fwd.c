/*
 * cluster_fwd.c - events taken to the node that polls their device,
 * through PostgreSQL (cluster_fwd.h).
 *
 * The thread: connect (the table made under the cluster's advisory lock,
 * LISTEN np_forward), then over and over: insert what the loop queued
 * (one transaction a batch, with a NOTIFY), take the rows of the devices
 * whose leases this node holds (DELETE ... RETURNING, SKIP LOCKED: two
 * nodes never take one row), hand them to the loop, drop the rows nobody
 * took within FWD_KEEP_SECS; then sleep until a notification, an event
 * queued here, or a second has passed (a lease that came here has rows
 * waiting for it).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cluster_fwd.h"
#include "cluster_int.h"
#include "log.h"

#ifndef HAVE_LIBPQ

struct cluster_fwd *
cluster_fwd_start(struct event_base *base, const struct config *c,
    cluster_fwd_fn fn, void *arg, char *err, size_t errlen)
{
	(void)base;
	(void)c;
	(void)fn;
	(void)arg;
	snprintf(err, errlen, "cluster: built without PostgreSQL (libpq)");
	return NULL;
}
int cluster_fwd_put(struct cluster_fwd *f, const struct np_event *ev)
{
	(void)f;
	(void)ev;
	return -1;
}
void cluster_fwd_status(struct cluster_fwd *f, struct jbuf *j)
{
	(void)f;
	(void)j;
}
void cluster_fwd_stop(struct cluster_fwd *f)
{
	(void)f;
}

#else

#define FWD_QUEUE 10000 /* events waiting to go; beyond, kept here */
#define FWD_BATCH 500 /* rows a transaction */
#define FWD_KEEP_SECS 3600 /* rows no node took are dropped after */
#define FWD_EXPIRE_EVERY 60.0
#define FWD_STR2(x) #x
#define FWD_STR(x) FWD_STR2(x)

struct fwd_in {
	struct np_event ev;
	char from[NP_NAME_MAX];
	long long id;
};

struct cluster_fwd {
	struct event_base *base;
	struct event *ev_in;
	cluster_fwd_fn on_event;
	void *arg;
	pthread_t th;
	int th_started;
	pthread_mutex_t mu;
	int wake[2]; /* the loop wakes the thread */
	/* under mu */
	int stop;
	struct np_event *out; /* queued: out[head .. head + n) */
	size_t out_head, out_n, out_cap;
	struct fwd_in *in; /* taken, for the loop */
	size_t in_n;
	uint64_t sent, received, dropped, expired, errors;
	int connected;
	char last_error[256];
	/* set at start */
	char node[NP_NAME_MAX];
	char conninfo[1024];
	/* the thread's */
	PGconn *pg;
	double last_expire;
};

static double
fwd_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
fwd_fail(struct cluster_fwd *f, const char *what, const PGresult *r)
{
	char msg[256];
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	/* the leases' table not made yet by the other thread: not an error */
	if (state != NULL && strcmp(state, "42P01") == 0)
		return;
	snprintf(msg, sizeof(msg), "%s: %s", what,
	    f->pg ? PQerrorMessage(f->pg) : "no connection");
	msg[strcspn(msg, "\n")] = '\0';
	pthread_mutex_lock(&f->mu);
	if (strcmp(msg, f->last_error) != 0 || f->connected)
		log_warnx("cluster: forwarding events: %s", msg);
	snprintf(f->last_error, sizeof(f->last_error), "%s", msg);
	f->errors++;
	f->connected = 0;
	pthread_mutex_unlock(&f->mu);
	if (f->pg != NULL && PQstatus(f->pg) != CONNECTION_OK) {
		PQfinish(f->pg);
		f->pg = NULL;
	}
}

/* the server's notices ("already exists, skipping") are not ours */
static void
fwd_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* Wake the thread (a full pipe has woken it already). */
static void
fwd_poke(struct cluster_fwd *f)
{
	ssize_t w = write(f->wake[1], "", 1);

	(void)w;
}

static int
fwd_connect(struct cluster_fwd *f)
{
	static const char schema[] =
	    "BEGIN;"
	    "SELECT pg_advisory_xact_lock(" CLUSTER_SCHEMA_LOCK ");"
	    "CREATE TABLE IF NOT EXISTS np_forward ("
	    " id bigserial PRIMARY KEY, device text NOT NULL,"
	    " from_node text NOT NULL,"
	    " created timestamptz NOT NULL DEFAULT now(),"
	    " at double precision NOT NULL, source text NOT NULL,"
	    " kind text NOT NULL, key text NOT NULL, severity integer NOT NULL,"
	    " object text NOT NULL, old_state text NOT NULL,"
	    " new_state text NOT NULL, text text NOT NULL,"
	    " ifindex integer NOT NULL DEFAULT 0);"
	    /* the receiver's id of the event: kept by the holder when the
	     * nodes share their store (ids unique across nodes) */
	    "ALTER TABLE np_forward ADD COLUMN IF NOT EXISTS"
	    " event_id bigint NOT NULL DEFAULT 0;"
	    "CREATE INDEX IF NOT EXISTS np_forward_device"
	    " ON np_forward (device);"
	    "COMMIT;"
	    "LISTEN np_forward;";
	PGresult *r;

	if (f->pg != NULL && PQstatus(f->pg) == CONNECTION_OK)
		return 0;
	if (f->pg != NULL)
		PQfinish(f->pg);
	f->pg = cluster_pg_open(f->conninfo);
	if (f->pg == NULL || PQstatus(f->pg) != CONNECTION_OK) {
		fwd_fail(f, "connecting to the database", NULL);
		if (f->pg != NULL) {
			PQfinish(f->pg);
			f->pg = NULL;
		}
		return -1;
	}
	PQsetNoticeProcessor(f->pg, fwd_notice, NULL);
	r = PQexec(f->pg, schema);
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
		fwd_fail(f, "making the table", r);
		PQclear(r);
		PQclear(PQexec(f->pg, "ROLLBACK"));
		PQfinish(f->pg);
		f->pg = NULL;
		return -1;
	}
	PQclear(r);
	pthread_mutex_lock(&f->mu);
	f->connected = 1;
	pthread_mutex_unlock(&f->mu);
	return 0;
}

static int
fwd_exec(struct cluster_fwd *f, const char *what, const char *sql, int n,
    const char *const *params)
{
	PGresult *r = PQexecParams(f->pg, sql, n, NULL, params, NULL, NULL, 0);
	int ok = r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		fwd_fail(f, what, r);
	PQclear(r);
	return ok ? 0 : -1;
}

/*
 * S made valid UTF-8 for the database (a text cut at a byte limit can
 * end in half a character; a device can send anything): each byte of
 * a broken sequence becomes '?'. In place.
 */
static void
fwd_utf8(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t n = strlen(s), k;

	for (size_t i = 0; i < n; i += k)
		if ((k = json_utf8_len(p + i, n - i)) == 0) {
			p[i] = '?';
			k = 1;
		}
}

/* One event's INSERT, its strings made valid first: 0 or -1 (said). */
static int
fwd_insert(struct cluster_fwd *f, struct np_event *e)
{
	char at[32], sev[16], ifx[16], eid[24];
	char *str[] = {e->device, e->source, e->kind, e->key, e->object,
	    e->old_state, e->new_state, e->text};
	const char *p[13] = {e->device, f->node, at, e->source, e->kind,
	    e->key, sev, e->object, e->old_state, e->new_state, e->text, ifx,
	    eid};

	for (size_t i = 0; i < sizeof(str) / sizeof(str[0]); i++)
		fwd_utf8(str[i]);
	snprintf(at, sizeof(at), "%.6f", e->time);
	snprintf(sev, sizeof(sev), "%d", (int)e->severity);
	snprintf(ifx, sizeof(ifx), "%d", (int)e->ifindex);
	snprintf(eid, sizeof(eid), "%lld", (long long)e->id);
	return fwd_exec(f, "queueing an event",
	    "INSERT INTO np_forward (device, from_node, at, source, kind, key,"
	    " severity, object, old_state, new_state, text, ifindex,"
	    " event_id) VALUES ($1, $2, $3::float8, $4, $5, $6, $7::int, $8,"
	    " $9, $10, $11, $12::int, $13::bigint)",
	    13, p);
}

static void
fwd_rollback(struct cluster_fwd *f)
{
	if (f->pg != NULL && PQtransactionStatus(f->pg) != PQTRANS_IDLE &&
	    PQtransactionStatus(f->pg) != PQTRANS_UNKNOWN)
		PQclear(PQexec(f->pg, "ROLLBACK"));
}

/* V[0..K) in one transaction, with a NOTIFY: 0, or -1 (rolled back). */
static int
fwd_insert_all(struct cluster_fwd *f, struct np_event *v, size_t k)
{
	if (fwd_exec(f, "beginning", "BEGIN", 0, NULL) == -1)
		return -1;
	for (size_t i = 0; i < k; i++)
		if (fwd_insert(f, &v[i]) == -1) {
			fwd_rollback(f);
			return -1;
		}
	/* (a COMMIT whose answer is lost sends the batch again: the node
	 * that takes it follows those events twice, which a finding
	 * takes as the same fault told twice) */
	if (fwd_exec(f, "notifying", "NOTIFY np_forward", 0, NULL) == -1 ||
	    fwd_exec(f, "committing", "COMMIT", 0, NULL) == -1) {
		fwd_rollback(f);
		return -1;
	}
	return 0;
}

/*
 * Insert up to FWD_BATCH queued events: how many went, or -1 when the
 * database is away (they stay queued). A batch the database refuses
 * with the connection up is sent again event by event, and an event it
 * refuses is dropped, counted: one bad event holds up no other.
 */
static int
fwd_send(struct cluster_fwd *f)
{
	struct np_event *v;
	size_t k, bad = 0;

	pthread_mutex_lock(&f->mu);
	k = f->out_n < FWD_BATCH ? f->out_n : FWD_BATCH;
	if (k == 0 || (v = malloc(k * sizeof(*v))) == NULL) {
		pthread_mutex_unlock(&f->mu);
		return 0;
	}
	memcpy(v, f->out + f->out_head, k * sizeof(*v));
	pthread_mutex_unlock(&f->mu);
	if (fwd_insert_all(f, v, k) == -1) {
		if (f->pg == NULL || PQstatus(f->pg) != CONNECTION_OK) {
			free(v);
			return -1;
		}
		for (size_t i = 0; i < k; i++)
			if (fwd_insert_all(f, &v[i], 1) == -1) {
				if (f->pg == NULL ||
				    PQstatus(f->pg) != CONNECTION_OK) {
					free(v);
					return -1; /* (those sent go again) */
				}
				bad++;
			}
		if (bad > 0)
			log_warnx("cluster: %zu events the database refused "
			          "are dropped",
			    bad);
	}
	pthread_mutex_lock(&f->mu);
	f->out_head += k;
	f->out_n -= k;
	if (f->out_n == 0)
		f->out_head = 0;
	f->sent += k - bad;
	f->dropped += bad;
	f->connected = 1;
	pthread_mutex_unlock(&f->mu);
	free(v);
	return (int)k;
}

static int
fwd_in_cmp(const void *a, const void *b)
{
	const struct fwd_in *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void
fwd_copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* Take the rows of the devices this node holds: how many, or -1. */
static int
fwd_take(struct cluster_fwd *f)
{
	const char *p[1] = {f->node};
	struct fwd_in *v, *grown;
	PGresult *r;
	int n;

	r = PQexecParams(f->pg,
	    "DELETE FROM np_forward WHERE id IN (SELECT f.id FROM np_forward f"
	    " JOIN np_leases l ON l.device = f.device WHERE l.node = $1 AND"
	    " l.expires > now() ORDER BY f.id LIMIT " FWD_STR(FWD_BATCH)
	    " FOR UPDATE OF f SKIP LOCKED) RETURNING id, device, from_node,"
	    " at, source, kind, key, severity, object, old_state, new_state,"
	    " text, ifindex, event_id",
	    1, NULL, p, NULL, NULL, 0);
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
		fwd_fail(f, "taking the events of this node's devices", r);
		PQclear(r);
		return -1;
	}
	pthread_mutex_lock(&f->mu);
	f->connected = 1;
	pthread_mutex_unlock(&f->mu);
	if ((n = PQntuples(r)) == 0) {
		PQclear(r);
		return 0;
	}
	if ((v = calloc((size_t)n, sizeof(*v))) == NULL) {
		/* taken and lost: said, counted as dropped */
		PQclear(r);
		pthread_mutex_lock(&f->mu);
		f->dropped += (uint64_t)n;
		pthread_mutex_unlock(&f->mu);
		log_warnx("cluster: out of memory: %d events lost", n);
		return n;
	}
	for (int i = 0; i < n; i++) {
		struct np_event *ev = &v[i].ev;
		int sev = atoi(PQgetvalue(r, i, 7));

		v[i].id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		fwd_copy(ev->device, sizeof(ev->device), PQgetvalue(r, i, 1));
		fwd_copy(v[i].from, sizeof(v[i].from), PQgetvalue(r, i, 2));
		ev->time = strtod(PQgetvalue(r, i, 3), NULL);
		fwd_copy(ev->source, sizeof(ev->source), PQgetvalue(r, i, 4));
		fwd_copy(ev->kind, sizeof(ev->kind), PQgetvalue(r, i, 5));
		fwd_copy(ev->key, sizeof(ev->key), PQgetvalue(r, i, 6));
		ev->severity = sev < SEV_INFO       ? SEV_INFO
		    : sev > SEV_CRITICAL ? SEV_CRITICAL
		                         : (enum np_severity)sev;
		fwd_copy(ev->object, sizeof(ev->object), PQgetvalue(r, i, 8));
		fwd_copy(ev->old_state, sizeof(ev->old_state),
		    PQgetvalue(r, i, 9));
		fwd_copy(ev->new_state, sizeof(ev->new_state),
		    PQgetvalue(r, i, 10));
		fwd_copy(ev->text, sizeof(ev->text), PQgetvalue(r, i, 11));
		ev->ifindex = (int32_t)atoi(PQgetvalue(r, i, 12));
		ev->id = strtoll(PQgetvalue(r, i, 13), NULL, 10);
	}
	PQclear(r);
	/* RETURNING has no order: the events as they were queued */
	qsort(v, (size_t)n, sizeof(*v), fwd_in_cmp);
	pthread_mutex_lock(&f->mu);
	if ((grown = realloc(f->in, (f->in_n + (size_t)n) * sizeof(*grown))) ==
	    NULL) {
		f->dropped += (uint64_t)n;
		pthread_mutex_unlock(&f->mu);
		log_warnx("cluster: out of memory: %d events lost", n);
		free(v);
		return n;
	}
	f->in = grown;
	memcpy(f->in + f->in_n, v, (size_t)n * sizeof(*v));
	f->in_n += (size_t)n;
	f->received += (uint64_t)n;
	pthread_mutex_unlock(&f->mu);
	free(v);
	event_active(f->ev_in, 0, 0);
	return n;
}

static void
fwd_expire(struct cluster_fwd *f)
{
	PGresult *r;
	long long n;

	if (fwd_mono() - f->last_expire < FWD_EXPIRE_EVERY)
		return;
	f->last_expire = fwd_mono();
	r = PQexec(f->pg,
	    "DELETE FROM np_forward WHERE created < now() - make_interval("
	    "secs => " FWD_STR(FWD_KEEP_SECS) ")");
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
		fwd_fail(f, "dropping old events", r);
		PQclear(r);
		return;
	}
	if ((n = strtoll(PQcmdTuples(r), NULL, 10)) > 0) {
		log_warnx("cluster: %lld forwarded events no node took in %d s "
		          "dropped",
		    n, FWD_KEEP_SECS);
		pthread_mutex_lock(&f->mu);
		f->expired += (uint64_t)n;
		pthread_mutex_unlock(&f->mu);
	}
	PQclear(r);
}

/* Sleep until a notification, a wake-up from the loop, or MS. */
static void
fwd_wait(struct cluster_fwd *f, int ms)
{
	struct pollfd pfd[2];
	int n = 1;
	char buf[64];
	PGnotify *no;

	/* notifications libpq took in with other answers (our own NOTIFY
	 * comes back too): freed, and one from another node is work now */
	if (f->pg != NULL) {
		int any = 0;

		while ((no = PQnotifies(f->pg)) != NULL) {
			PQfreemem(no);
			any = 1;
		}
		if (any)
			ms = 0;
	}
	pfd[0].fd = f->wake[0];
	pfd[0].events = POLLIN;
	if (f->pg != NULL && PQsocket(f->pg) >= 0) {
		pfd[1].fd = PQsocket(f->pg);
		pfd[1].events = POLLIN;
		n = 2;
	}
	if (poll(pfd, (nfds_t)n, ms) <= 0)
		return;
	if (pfd[0].revents)
		while (read(f->wake[0], buf, sizeof(buf)) > 0)
			;
	if (n == 2 && pfd[1].revents) {
		if (PQconsumeInput(f->pg) == 0) {
			fwd_fail(f, "reading notifications", NULL);
			return;
		}
		while ((no = PQnotifies(f->pg)) != NULL)
			PQfreemem(no);
	}
}

static int
fwd_stopping(struct cluster_fwd *f)
{
	int stop;

	pthread_mutex_lock(&f->mu);
	stop = f->stop;
	pthread_mutex_unlock(&f->mu);
	return stop;
}

static void *
fwd_thread(void *arg)
{
	struct cluster_fwd *f = arg;

	(void)pthread_setname_np(pthread_self(), "cluster-fwd");
	while (!fwd_stopping(f)) {
		int sent, took;

		if (fwd_connect(f) == -1) {
			fwd_wait(f, 2000);
			continue;
		}
		/* each on its own: a send that fails takes nothing away
		 * from what the other nodes sent here */
		sent = fwd_send(f);
		took = f->pg != NULL ? fwd_take(f) : -1;
		if (f->pg != NULL)
			fwd_expire(f);
		if (sent == -1 || took == -1)
			fwd_wait(f, 1000);
		else if (sent < FWD_BATCH && took < FWD_BATCH)
			fwd_wait(f, 1000);
	}
	/* a clean stop: what is queued goes, while the database answers */
	while (f->pg != NULL && fwd_send(f) > 0)
		;
	return NULL;
}

/* --- the loop's side --- */

static void
fwd_in_cb(evutil_socket_t fd, short what, void *arg)
{
	struct cluster_fwd *f = arg;
	struct fwd_in *v;
	size_t n;

	(void)fd;
	(void)what;
	pthread_mutex_lock(&f->mu);
	v = f->in;
	n = f->in_n;
	f->in = NULL;
	f->in_n = 0;
	pthread_mutex_unlock(&f->mu);
	for (size_t i = 0; i < n; i++)
		f->on_event(f->arg, &v[i].ev, v[i].from);
	free(v);
}

int
cluster_fwd_put(struct cluster_fwd *f, const struct np_event *ev)
{
	int was_empty;

	pthread_mutex_lock(&f->mu);
	if (f->stop || f->out_n >= FWD_QUEUE) {
		f->dropped++;
		pthread_mutex_unlock(&f->mu);
		return -1;
	}
	if (f->out_head + f->out_n == f->out_cap) {
		if (f->out_head > 0) {
			memmove(f->out, f->out + f->out_head,
			    f->out_n * sizeof(*f->out));
			f->out_head = 0;
		} else {
			size_t cap = f->out_cap ? f->out_cap * 2 : 64;
			struct np_event *grown;

			if (cap > FWD_QUEUE)
				cap = FWD_QUEUE;
			if ((grown = realloc(f->out, cap * sizeof(*grown))) ==
			    NULL) {
				f->dropped++;
				pthread_mutex_unlock(&f->mu);
				return -1;
			}
			f->out = grown;
			f->out_cap = cap;
		}
	}
	f->out[f->out_head + f->out_n] = *ev;
	was_empty = f->out_n++ == 0;
	pthread_mutex_unlock(&f->mu);
	if (was_empty)
		fwd_poke(f);
	return 0;
}

struct cluster_fwd *
cluster_fwd_start(struct event_base *base, const struct config *c,
    cluster_fwd_fn fn, void *arg, char *err, size_t errlen)
{
	struct cluster_fwd *f;

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->base = base;
	f->on_event = fn;
	f->arg = arg;
	f->wake[0] = f->wake[1] = -1;
	snprintf(f->node, sizeof(f->node), "%s", c->cluster.node);
	snprintf(f->conninfo, sizeof(f->conninfo), "%s", c->cluster.database);
	pthread_mutex_init(&f->mu, NULL);
	if (pipe2(f->wake, O_NONBLOCK | O_CLOEXEC) == -1) {
		snprintf(err, errlen, "cluster: pipe: %s", strerror(errno));
		goto fail;
	}
	if ((f->ev_in = event_new(base, -1, 0, fwd_in_cb, f)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if ((errno = pthread_create(&f->th, NULL, fwd_thread, f)) != 0) {
		snprintf(err, errlen, "cluster forwarding thread: %s",
		    strerror(errno));
		goto fail;
	}
	f->th_started = 1;
	return f;
fail:
	if (f->ev_in)
		event_free(f->ev_in);
	if (f->wake[0] != -1) {
		close(f->wake[0]);
		close(f->wake[1]);
	}
	pthread_mutex_destroy(&f->mu);
	free(f);
	return NULL;
}

void
cluster_fwd_status(struct cluster_fwd *f, struct jbuf *j)
{
	pthread_mutex_lock(&f->mu);
	json_key(j, "forward");
	json_obj_open(j);
	json_kbool(j, "connected", f->connected);
	json_kuint(j, "queued", f->out_n);
	json_kuint(j, "sent", f->sent);
	json_kuint(j, "received", f->received);
	json_kuint(j, "dropped", f->dropped);
	json_kuint(j, "expired", f->expired);
	json_kuint(j, "errors", f->errors);
	json_kstr(j, "last_error", f->last_error);
	json_obj_close(j);
	pthread_mutex_unlock(&f->mu);
}

void
cluster_fwd_stop(struct cluster_fwd *f)
{
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->mu);
	f->stop = 1;
	pthread_mutex_unlock(&f->mu);
	fwd_poke(f);
	if (f->th_started)
		pthread_join(f->th, NULL);
	if (f->pg != NULL)
		PQfinish(f->pg);
	/* taken but not yet given to the loop: given now */
	fwd_in_cb(-1, 0, f);
	if (f->out_n > 0)
		log_warnx("cluster: %zu events for other nodes not sent",
		    f->out_n);
	event_free(f->ev_in);
	close(f->wake[0]);
	close(f->wake[1]);
	free(f->out);
	pthread_mutex_destroy(&f->mu);
	free(f);
}

#endif /* HAVE_LIBPQ */
