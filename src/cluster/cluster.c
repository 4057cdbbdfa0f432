/*
 * cluster.c - the devices shared among nodes through leases in PostgreSQL
 * (cluster.h). A thread renews the node's row, reads the live nodes,
 * computes which devices go to this node (rendezvous hashing: each device
 * goes to the live node with the highest hash of node and device, so a
 * node that comes or goes moves only its share), gives up the devices that
 * went elsewhere (the loop stops polling them first, then the leases are
 * deleted), and claims its own: a claim takes a device only when nobody
 * holds it, its lease has expired, or it is this node's already. What it
 * holds goes to the loop. When the database cannot be reached, the node
 * keeps its devices until its leases would expire, then stops polling
 * them: the others take them over.
 *
 * Tables (made at the first connection, under an advisory lock):
 *   np_nodes(name, renewed, started, devices, host, pid)
 *   np_leases(device, node, expires, since)
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cluster.h"
#include "cluster_int.h"
#include "log.h"

/* FNV-1a over "NODE\0DEVICE", then splitmix64's finaliser. */
static uint64_t
cl_hash(const char *node, const char *device)
{
	uint64_t h = 1469598103934665603ULL;

	for (const char *s = node; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ 0) * 1099511628211ULL;
	for (const char *s = device; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

int
cluster_pick(const char *device, char *const *nodes, size_t n)
{
	uint64_t best = 0;
	int who = -1;

	for (size_t i = 0; i < n; i++) {
		uint64_t h = cl_hash(nodes[i], device);

		if (who == -1 || h > best ||
		    (h == best && strcmp(nodes[i], nodes[who]) < 0)) {
			best = h;
			who = (int)i;
		}
	}
	return who;
}

#ifndef HAVE_LIBPQ

struct cluster *
cluster_start(struct event_base *base, const struct config *c,
    cluster_owned_fn fn, void *arg, char *err, size_t errlen)
{
	(void)base;
	(void)c;
	(void)fn;
	(void)arg;
	snprintf(err, errlen, "cluster: built without PostgreSQL (libpq)");
	return NULL;
}
void cluster_configure(struct cluster *cl, const struct config *c)
{
	(void)cl;
	(void)c;
}
void cluster_stop(struct cluster *cl)
{
	(void)cl;
}
void cluster_status(struct cluster *cl, struct jbuf *j)
{
	(void)cl;
	(void)j;
}
void cluster_describe(struct cluster *cl, struct jbuf *j, int full)
{
	(void)cl;
	(void)j;
	(void)full;
}

#else

struct cl_node {
	char name[NP_NAME_MAX];
	char host[NP_NAME_MAX];
	double age; /* seconds since it renewed */
	int devices, pid, live;
};

struct cl_lease {
	char device[NP_NAME_MAX];
	char node[NP_NAME_MAX];
	double left; /* seconds until it expires */
};

/* a set of names (sorted, owned) */
struct cl_names {
	char **v;
	size_t n;
};

struct cluster {
	struct event_base *base;
	struct event *ev_owned;
	cluster_owned_fn on_owned;
	void *arg;
	pthread_t th;
	int th_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* under mu */
	int stop;
	struct cl_names devices; /* the configuration's */
	int devices_changed;
	struct cl_names owned; /* for the loop */
	uint64_t gen, applied; /* owned's generation, the loop's */
	struct cl_node *nodes;
	size_t nnodes;
	struct cl_lease *leases;
	size_t nleases;
	uint64_t rounds, errors, taken, given;
	double last_round; /* seconds the last good round took */
	char last_error[256];
	int connected, live_nodes;
	time_t last_ok;
	/* set at start */
	char node[NP_NAME_MAX];
	int lease;
	char conninfo[1024];
	char host[NP_NAME_MAX];
	/* the thread's */
	PGconn *pg;
	int schema_done;
	struct cl_names held; /* what the loop was told last */
	double held_until; /* monotonic: the leases are good until then */
};

static double
cl_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cl_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
cl_names_free(struct cl_names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static int
cl_names_add(struct cl_names *s, const char *name)
{
	char **v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	s->v = v;
	if ((s->v[s->n] = strdup(name)) == NULL)
		return -1;
	s->n++;
	return 0;
}

static void
cl_names_sort(struct cl_names *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cl_cmp);
}

static int
cl_names_has(const struct cl_names *s, const char *name)
{
	return s->n > 0 &&
	    bsearch(&name, s->v, s->n, sizeof(*s->v), cl_cmp) != NULL;
}

static int
cl_names_copy(struct cl_names *dst, const struct cl_names *src)
{
	struct cl_names n = {NULL, 0};

	for (size_t i = 0; i < src->n; i++)
		if (cl_names_add(&n, src->v[i]) == -1) {
			cl_names_free(&n);
			return -1;
		}
	cl_names_free(dst);
	*dst = n;
	return 0;
}

static int
cl_names_equal(const struct cl_names *a, const struct cl_names *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return 0;
	return 1;
}

/* A PostgreSQL text[] literal of S: {"a","b"} ('"' and '\' escaped). */
static char *
cl_array(const struct cl_names *s)
{
	size_t len = 3;
	char *out, *o;

	for (size_t i = 0; i < s->n; i++)
		len += 2 * strlen(s->v[i]) + 3;
	if ((out = malloc(len)) == NULL)
		return NULL;
	o = out;
	*o++ = '{';
	for (size_t i = 0; i < s->n; i++) {
		if (i > 0)
			*o++ = ',';
		*o++ = '"';
		for (const char *c = s->v[i]; *c; c++) {
			if (*c == '"' || *c == '\\')
				*o++ = '\\';
			*o++ = *c;
		}
		*o++ = '"';
	}
	*o++ = '}';
	*o = '\0';
	return out;
}

/* --- the thread --- */

static void
cl_fail(struct cluster *cl, const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s: %s", what,
	    cl->pg ? PQerrorMessage(cl->pg) : "no connection");
	msg[strcspn(msg, "\n")] = '\0';
	pthread_mutex_lock(&cl->mu);
	if (strcmp(msg, cl->last_error) != 0 || cl->connected)
		log_warnx("cluster: %s", msg);
	snprintf(cl->last_error, sizeof(cl->last_error), "%s", msg);
	cl->errors++;
	cl->connected = 0;
	pthread_mutex_unlock(&cl->mu);
	if (cl->pg != NULL && PQstatus(cl->pg) != CONNECTION_OK) {
		PQfinish(cl->pg);
		cl->pg = NULL;
		cl->schema_done = 0;
	}
}

/* A command without rows: 0, or -1 (said). */
static int
cl_exec(struct cluster *cl, const char *what, const char *sql, int n,
    const char *const *params)
{
	PGresult *r = PQexecParams(cl->pg, sql, n, NULL, params, NULL, NULL, 0);
	int ok = r != NULL && (PQresultStatus(r) == PGRES_COMMAND_OK ||
	                          PQresultStatus(r) == PGRES_TUPLES_OK);

	PQclear(r);
	if (!ok) {
		cl_fail(cl, what);
		return -1;
	}
	return 0;
}

static void
cl_notice(void *arg, const char *msg)
{
	(void)arg;
	log_debug("cluster: the database says: %.200s", msg);
}

/* A query's first column added to OUT: 0, or -1 (said). */
static int
cl_names_query(struct cluster *cl, const char *what, const char *sql, int n,
    const char *const *params, struct cl_names *out)
{
	PGresult *r = PQexecParams(cl->pg, sql, n, NULL, params, NULL, NULL, 0);
	int rc = 0;

	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		cl_fail(cl, what);
		return -1;
	}
	for (int i = 0; i < PQntuples(r) && rc == 0; i++)
		rc = cl_names_add(out, PQgetvalue(r, i, 0));
	PQclear(r);
	return rc;
}

PGconn *
cluster_pg_open(const char *conninfo)
{
	/* the configuration's string, expanded; a connection and a
	 * statement that hang are bounded unless it says otherwise (a stop
	 * waits for the thread) */
	const char *const kw[] = {"connect_timeout", "options",
	    "application_name", "dbname", NULL};
	const char *const val[] = {"10",
	    "-c statement_timeout=20000 -c lock_timeout=10000", "netpatrold",
	    conninfo, NULL};

	return PQconnectdbParams(kw, val, 1);
}

static int
cl_connect(struct cluster *cl)
{
	static const char schema[] =
	    "BEGIN;"
	    "SELECT pg_advisory_xact_lock(" CLUSTER_SCHEMA_LOCK ");"
	    "CREATE TABLE IF NOT EXISTS np_nodes ("
	    " name text PRIMARY KEY, renewed timestamptz NOT NULL,"
	    " started timestamptz NOT NULL, devices integer NOT NULL"
	    " DEFAULT 0, host text NOT NULL DEFAULT '', pid integer NOT"
	    " NULL DEFAULT 0);"
	    "CREATE TABLE IF NOT EXISTS np_leases ("
	    " device text PRIMARY KEY, node text NOT NULL,"
	    " expires timestamptz NOT NULL, since timestamptz NOT NULL);"
	    "CREATE INDEX IF NOT EXISTS np_leases_node ON np_leases (node);"
	    "COMMIT;";
	PGresult *r;

	if (cl->pg != NULL && PQstatus(cl->pg) == CONNECTION_OK &&
	    cl->schema_done)
		return 0;
	if (cl->pg != NULL) {
		PQfinish(cl->pg);
		cl->pg = NULL;
	}
	cl->pg = cluster_pg_open(cl->conninfo);
	if (cl->pg == NULL || PQstatus(cl->pg) != CONNECTION_OK) {
		cl_fail(cl, "connecting to the database");
		if (cl->pg != NULL) {
			PQfinish(cl->pg);
			cl->pg = NULL;
		}
		return -1;
	}
	/* (the server's notices, "already exists, skipping", are not ours) */
	PQsetNoticeProcessor(cl->pg, cl_notice, NULL);
	r = PQexec(cl->pg, schema);
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
		PQclear(r);
		PQclear(PQexec(cl->pg, "ROLLBACK"));
		cl_fail(cl, "making the tables");
		return -1;
	}
	PQclear(r);
	cl->schema_done = 1;
	log_info("cluster: node %s connected to the database", cl->node);
	return 0;
}

/* Tell the loop OWNED, and wait (a little) until it has applied it. */
static void
cl_publish(struct cluster *cl, const struct cl_names *owned)
{
	struct timespec until;
	uint64_t gen;

	if (cl_names_equal(owned, &cl->held))
		return;
	pthread_mutex_lock(&cl->mu);
	if (cl_names_copy(&cl->owned, owned) == -1) {
		pthread_mutex_unlock(&cl->mu);
		return;
	}
	gen = ++cl->gen;
	pthread_mutex_unlock(&cl->mu);
	(void)cl_names_copy(&cl->held, owned);
	event_active(cl->ev_owned, 0, 0);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&cl->mu);
	while (cl->applied < gen && !cl->stop &&
	    pthread_cond_timedwait(&cl->cv, &cl->mu, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&cl->mu);
}

/* The snapshot of nodes and leases, for status and `netpatrol cluster`. */
static void
cl_snapshot(struct cluster *cl)
{
	PGresult *rn, *rl;
	struct cl_node *nodes = NULL;
	struct cl_lease *leases = NULL;
	int nn = 0, nl = 0, live = 0;
	char lease[16];
	const char *p[1] = {lease};

	snprintf(lease, sizeof(lease), "%d", cl->lease);
	rn = PQexecParams(cl->pg,
	    "SELECT name, host, extract(epoch FROM now() - renewed), devices,"
	    " pid, renewed > now() - make_interval(secs => $1::int)"
	    " FROM np_nodes ORDER BY name",
	    1, NULL, p, NULL, NULL, 0);
	rl = PQexec(cl->pg,
	    "SELECT device, node, extract(epoch FROM expires - now())"
	    " FROM np_leases ORDER BY device");
	if (rn != NULL && PQresultStatus(rn) == PGRES_TUPLES_OK &&
	    (nn = PQntuples(rn)) > 0 &&
	    (nodes = calloc((size_t)nn, sizeof(*nodes))) != NULL)
		for (int i = 0; i < nn; i++) {
			snprintf(nodes[i].name, sizeof(nodes[i].name), "%s",
			    PQgetvalue(rn, i, 0));
			snprintf(nodes[i].host, sizeof(nodes[i].host), "%s",
			    PQgetvalue(rn, i, 1));
			nodes[i].age = strtod(PQgetvalue(rn, i, 2), NULL);
			nodes[i].devices = atoi(PQgetvalue(rn, i, 3));
			nodes[i].pid = atoi(PQgetvalue(rn, i, 4));
			nodes[i].live = PQgetvalue(rn, i, 5)[0] == 't';
			live += nodes[i].live;
		}
	else
		nn = 0;
	if (rl != NULL && PQresultStatus(rl) == PGRES_TUPLES_OK &&
	    (nl = PQntuples(rl)) > 0 &&
	    (leases = calloc((size_t)nl, sizeof(*leases))) != NULL)
		for (int i = 0; i < nl; i++) {
			snprintf(leases[i].device, sizeof(leases[i].device),
			    "%s", PQgetvalue(rl, i, 0));
			snprintf(leases[i].node, sizeof(leases[i].node), "%s",
			    PQgetvalue(rl, i, 1));
			leases[i].left = strtod(PQgetvalue(rl, i, 2), NULL);
		}
	else
		nl = 0;
	PQclear(rn);
	PQclear(rl);
	pthread_mutex_lock(&cl->mu);
	free(cl->nodes);
	free(cl->leases);
	cl->nodes = nodes;
	cl->nnodes = (size_t)nn;
	cl->leases = leases;
	cl->nleases = (size_t)nl;
	cl->live_nodes = live;
	pthread_mutex_unlock(&cl->mu);
}

/* One round: renew, read the live nodes, give up, claim. 0 or -1. */
static int
cl_round(struct cluster *cl)
{
	struct cl_names devices = {NULL, 0}, live = {NULL, 0};
	struct cl_names want = {NULL, 0}, keep = {NULL, 0}, got = {NULL, 0};
	char ndev[16], pid[16], lease[16], *arr = NULL;
	const char *p[5];
	PGresult *r = NULL;
	double t0 = cl_mono();
	int rc = -1;

	if (cl_connect(cl) == -1)
		return -1;
	pthread_mutex_lock(&cl->mu);
	if (cl_names_copy(&devices, &cl->devices) == -1) {
		pthread_mutex_unlock(&cl->mu);
		return -1;
	}
	pthread_mutex_unlock(&cl->mu);
	snprintf(ndev, sizeof(ndev), "%zu", cl->held.n);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(lease, sizeof(lease), "%d", cl->lease);
	/* two live nodes of one name would poll the same devices */
	p[0] = cl->node;
	p[1] = cl->host;
	p[2] = pid;
	p[3] = lease;
	r = PQexecParams(cl->pg,
	    "SELECT host FROM np_nodes WHERE name = $1 AND host <> $2 AND"
	    " pid <> $3::int AND renewed > now() - make_interval(secs =>"
	    " $4::int)",
	    4, NULL, p, NULL, NULL, 0);
	if (r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK &&
	    PQntuples(r) > 0)
		log_warnx("cluster: another live node is named %s, on host "
		          "%s: give each node a name of its own",
		    cl->node, PQgetvalue(r, 0, 0));
	PQclear(r);
	r = NULL;
	p[0] = cl->node;
	p[1] = ndev;
	p[2] = cl->host;
	p[3] = pid;
	if (cl_exec(cl, "renewing the node",
	        "INSERT INTO np_nodes (name, renewed, started, devices, host,"
	        " pid) VALUES ($1, now(), now(), $2::int, $3, $4::int)"
	        " ON CONFLICT (name) DO UPDATE SET renewed = now(),"
	        " devices = EXCLUDED.devices, host = EXCLUDED.host,"
	        " pid = EXCLUDED.pid,"
	        " started = CASE WHEN np_nodes.pid = EXCLUDED.pid"
	        " THEN np_nodes.started ELSE now() END",
	        4, p) == -1)
		goto out;
	p[0] = lease;
	if (cl_names_query(cl, "reading the live nodes",
	        "SELECT name FROM np_nodes WHERE renewed > now() -"
	        " make_interval(secs => $1::int) ORDER BY name",
	        1, p, &live) == -1)
		goto out;
	if (!cl_names_has(&live, cl->node) &&
	    cl_names_add(&live, cl->node) == -1)
		goto out;
	for (size_t i = 0; i < devices.n; i++) {
		int w = cluster_pick(devices.v[i], live.v, live.n);

		if (w >= 0 && strcmp(live.v[w], cl->node) == 0 &&
		    cl_names_add(&want, devices.v[i]) == -1)
			goto out;
	}
	cl_names_sort(&want);
	/* what went elsewhere stops being polled before it is given up */
	for (size_t i = 0; i < cl->held.n; i++)
		if (cl_names_has(&want, cl->held.v[i]) &&
		    cl_names_add(&keep, cl->held.v[i]) == -1)
			goto out;
	if (keep.n < cl->held.n) {
		pthread_mutex_lock(&cl->mu);
		cl->given += cl->held.n - keep.n;
		pthread_mutex_unlock(&cl->mu);
	}
	cl_publish(cl, &keep);
	if ((arr = cl_array(&want)) == NULL)
		goto out;
	p[0] = cl->node;
	p[1] = arr;
	p[2] = lease;
	if (cl_exec(cl, "beginning", "BEGIN", 0, NULL) == -1)
		goto out;
	if (cl_exec(cl, "giving up leases",
	        "DELETE FROM np_leases WHERE node = $1 AND"
	        " NOT (device = ANY ($2::text[]))",
	        2, p) == -1)
		goto out;
	if (cl_names_query(cl, "claiming leases",
	        "INSERT INTO np_leases (device, node, expires, since)"
	        " SELECT d, $1, now() + make_interval(secs => $3::int), now()"
	        " FROM unnest($2::text[]) AS d"
	        " ON CONFLICT (device) DO UPDATE SET node = EXCLUDED.node,"
	        " expires = EXCLUDED.expires,"
	        " since = CASE WHEN np_leases.node = EXCLUDED.node"
	        " THEN np_leases.since ELSE now() END"
	        " WHERE np_leases.node = EXCLUDED.node"
	        " OR np_leases.expires < now()"
	        " RETURNING device",
	        3, p, &got) == -1)
		goto out;
	if (cl_exec(cl, "committing", "COMMIT", 0, NULL) == -1)
		goto out;
	cl->held_until = t0 + cl->lease;
	cl_names_sort(&got);
	{
		size_t newly = 0;

		for (size_t i = 0; i < got.n; i++)
			newly += !cl_names_has(&cl->held, got.v[i]);
		pthread_mutex_lock(&cl->mu);
		cl->taken += newly;
		pthread_mutex_unlock(&cl->mu);
	}
	cl_publish(cl, &got);
	cl_snapshot(cl);
	pthread_mutex_lock(&cl->mu);
	if (!cl->connected && cl->last_error[0])
		log_info("cluster: node %s working again", cl->node);
	cl->connected = 1;
	cl->rounds++;
	cl->last_round = cl_mono() - t0;
	cl->last_ok = time(NULL);
	pthread_mutex_unlock(&cl->mu);
	rc = 0;
out:
	PQclear(r);
	/* a round that failed inside its transaction leaves none open */
	if (cl->pg != NULL && PQtransactionStatus(cl->pg) != PQTRANS_IDLE &&
	    PQtransactionStatus(cl->pg) != PQTRANS_UNKNOWN)
		PQclear(PQexec(cl->pg, "ROLLBACK"));
	free(arr);
	cl_names_free(&devices);
	cl_names_free(&live);
	cl_names_free(&want);
	cl_names_free(&keep);
	cl_names_free(&got);
	return rc;
}

static void *
cl_thread(void *arg)
{
	struct cluster *cl = arg;
	double every = cl->lease / 3.0;

	(void)pthread_setname_np(pthread_self(), "cluster");
	if (every < 1)
		every = 1;
	pthread_mutex_lock(&cl->mu);
	while (!cl->stop) {
		struct timespec until;
		double next;

		pthread_mutex_unlock(&cl->mu);
		if (cl_round(cl) == -1 && cl->held.n > 0 &&
		    cl_mono() > cl->held_until - 1.0) {
			/* the leases may be gone: stop polling, the others
			 * take the devices over once they expire */
			struct cl_names none = {NULL, 0};

			log_warnx("cluster: node %s cannot renew its leases: "
			          "its %zu devices are left to the other nodes",
			    cl->node, cl->held.n);
			cl_publish(cl, &none);
		}
		next = every;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)next;
		until.tv_nsec += (long)((next - (double)(time_t)next) * 1e9);
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&cl->mu);
		while (!cl->stop && !cl->devices_changed &&
		    pthread_cond_timedwait(&cl->cv, &cl->mu, &until) !=
		        ETIMEDOUT)
			;
		cl->devices_changed = 0;
	}
	pthread_mutex_unlock(&cl->mu);
	/* a clean stop: the leases and the node's row given up at once */
	if (cl->pg != NULL && PQstatus(cl->pg) == CONNECTION_OK) {
		const char *p[1] = {cl->node};

		(void)cl_exec(cl, "giving up the leases",
		    "DELETE FROM np_leases WHERE node = $1", 1, p);
		(void)cl_exec(cl, "leaving",
		    "UPDATE np_nodes SET renewed = 'epoch', devices = 0"
		    " WHERE name = $1",
		    1, p);
	}
	return NULL;
}

/* --- the loop's side --- */

static void
cl_owned_cb(evutil_socket_t fd, short what, void *arg)
{
	struct cluster *cl = arg;
	struct cl_names owned = {NULL, 0};
	uint64_t gen;

	(void)fd;
	(void)what;
	pthread_mutex_lock(&cl->mu);
	(void)cl_names_copy(&owned, &cl->owned);
	gen = cl->gen;
	pthread_mutex_unlock(&cl->mu);
	cl->on_owned(cl->arg, owned.v, owned.n);
	cl_names_free(&owned);
	pthread_mutex_lock(&cl->mu);
	cl->applied = gen;
	pthread_cond_broadcast(&cl->cv);
	pthread_mutex_unlock(&cl->mu);
}

static void
cl_set_devices(struct cluster *cl, const struct config *c)
{
	struct cl_names n = {NULL, 0};
	const struct device_conf *dc;

	TAILQ_FOREACH(dc, &c->devices, entry)
	if (cl_names_add(&n, dc->name) == -1) {
		cl_names_free(&n);
		return;
	}
	cl_names_sort(&n);
	pthread_mutex_lock(&cl->mu);
	cl_names_free(&cl->devices);
	cl->devices = n;
	cl->devices_changed = 1;
	pthread_cond_broadcast(&cl->cv);
	pthread_mutex_unlock(&cl->mu);
}

struct cluster *
cluster_start(struct event_base *base, const struct config *c,
    cluster_owned_fn fn, void *arg, char *err, size_t errlen)
{
	struct cluster *cl;

	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	cl->base = base;
	cl->on_owned = fn;
	cl->arg = arg;
	snprintf(cl->node, sizeof(cl->node), "%s", c->cluster.node);
	snprintf(cl->conninfo, sizeof(cl->conninfo), "%s", c->cluster.database);
	cl->lease = c->cluster.lease > 0 ? c->cluster.lease : 30;
	if (gethostname(cl->host, sizeof(cl->host)) == -1)
		cl->host[0] = '\0';
	cl->host[sizeof(cl->host) - 1] = '\0';
	pthread_mutex_init(&cl->mu, NULL);
	pthread_cond_init(&cl->cv, NULL);
	if ((cl->ev_owned = event_new(base, -1, 0, cl_owned_cb, cl)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	cl_set_devices(cl, c);
	if ((errno = pthread_create(&cl->th, NULL, cl_thread, cl)) != 0) {
		snprintf(err, errlen, "cluster thread: %s", strerror(errno));
		goto fail;
	}
	cl->th_started = 1;
	log_info("cluster: node %s, leases of %d s", cl->node, cl->lease);
	return cl;
fail:
	if (cl->ev_owned)
		event_free(cl->ev_owned);
	cl_names_free(&cl->devices);
	pthread_mutex_destroy(&cl->mu);
	pthread_cond_destroy(&cl->cv);
	free(cl);
	return NULL;
}

void
cluster_configure(struct cluster *cl, const struct config *c)
{
	cl_set_devices(cl, c);
}

void
cluster_stop(struct cluster *cl)
{
	if (cl == NULL)
		return;
	pthread_mutex_lock(&cl->mu);
	cl->stop = 1;
	pthread_cond_broadcast(&cl->cv);
	pthread_mutex_unlock(&cl->mu);
	if (cl->th_started)
		pthread_join(cl->th, NULL);
	if (cl->pg != NULL)
		PQfinish(cl->pg);
	event_free(cl->ev_owned);
	cl_names_free(&cl->devices);
	cl_names_free(&cl->owned);
	cl_names_free(&cl->held);
	free(cl->nodes);
	free(cl->leases);
	pthread_mutex_destroy(&cl->mu);
	pthread_cond_destroy(&cl->cv);
	free(cl);
}

void
cluster_status(struct cluster *cl, struct jbuf *j)
{
	pthread_mutex_lock(&cl->mu);
	json_kstr(j, "node", cl->node);
	json_kint(j, "lease", cl->lease);
	json_kbool(j, "connected", cl->connected);
	json_kint(j, "nodes_live", cl->live_nodes);
	json_kint(j, "devices_here", (int64_t)cl->owned.n);
	json_kuint(j, "rounds", cl->rounds);
	json_kuint(j, "errors", cl->errors);
	json_kuint(j, "taken", cl->taken);
	json_kuint(j, "given", cl->given);
	json_kreal(j, "last_round_seconds", cl->last_round);
	json_kstr(j, "last_error", cl->last_error);
	pthread_mutex_unlock(&cl->mu);
}

void
cluster_describe(struct cluster *cl, struct jbuf *j, int full)
{
	pthread_mutex_lock(&cl->mu);
	json_kstr(j, "node", cl->node);
	json_kint(j, "lease", cl->lease);
	json_kbool(j, "connected", cl->connected);
	json_kstr(j, "last_error", cl->last_error);
	json_key(j, "nodes");
	json_arr_open(j);
	for (size_t i = 0; i < cl->nnodes; i++) {
		const struct cl_node *n = &cl->nodes[i];

		json_obj_open(j);
		json_kstr(j, "name", n->name);
		json_kbool(j, "live", n->live);
		json_kreal(j, "renewed_ago", n->age);
		json_kint(j, "devices", n->devices);
		json_kstr(j, "host", n->host);
		json_kint(j, "pid", n->pid);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_key(j, "leases");
	json_arr_open(j);
	for (size_t i = 0; full && i < cl->nleases; i++) {
		const struct cl_lease *l = &cl->leases[i];

		json_obj_open(j);
		json_kstr(j, "device", l->device);
		json_kstr(j, "node", l->node);
		json_kreal(j, "expires_in", l->left);
		json_obj_close(j);
	}
	json_arr_close(j);
	pthread_mutex_unlock(&cl->mu);
}

#endif /* HAVE_LIBPQ */
