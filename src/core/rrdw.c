/*
 * rrdw.c - RRD writer thread (see rrdw.h): the files' updates kept and
 * written in batches, the journal (rrdjournal.c) replayed at start.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include <rrd.h>
#include <rrd_client.h>

#include "hmap.h"
#include "log.h"
#include "rrdjournal.h"
#include "rrdw.h"

/* less than this free: a file of a few hundred KB was cut short */
#define RRDW_SPACE_MIN (4 * 1024 * 1024)
/* a batch creates files for at most this long, then takes the updates
 * that came meanwhile (the others' updates are not held up behind a first
 * cycle's thousands of files) */
#define RRDW_CREATE_SECS 0.2
/* the most values of one rrd_update */
#define RRDW_BATCH_MAX 1000
/* the journal is rewritten (with what is kept) beyond this and twice what
 * is kept */
#define RRDW_JOURNAL_MIN (16 * 1024 * 1024)

enum { RRDW_UPDATE, RRDW_FLUSH };

/* a reader waiting for its flush */
struct rrdw_wait {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	struct rrdw_flushed out;
};

struct rrdw_item {
	struct wq_item item;
	int kind;
	struct rrdw_wait *wait; /* RRDW_FLUSH: the waiter, or NULL */
	struct event *notify; /* RRDW_FLUSH: made active when done, or NULL */
	const struct sample_schema *schema;
	int step;
	double t;
	double v[SAMPLE_MAX];
	char path[]; /* RRDW_FLUSH: "" for every file */
};

/* A file the writer knows: its updates kept ("T:V:V" strings, each with
 * its NUL, one after the other), and its place among the files with
 * updates kept, oldest first. */
struct rrdw_file {
	char *path; /* the map's key */
	char *buf;
	size_t len, cap;
	int n;
	double last_t; /* the last time kept or written */
	double due; /* monotonic: when to write what is kept */
	struct rrdw_file *dnext, **dprev;
	int exists; /* else: to be created, CREATING updates waiting */
	int known; /* last_t is the file's (read, created or written) */
	int creating;
};

struct rrdw {
	struct wq *wq;
	char dir[4096];
	char cached[4096];
	int keep_step;
	int use_cached; /* rrdcached's client is process-wide */
	int remote; /* rrdcached over TCP: names relative to its base dir */
	int delay, batch;
	size_t pending_max;
	int journaled;
	struct rrdjournal j;
	uint64_t rnd;
	struct hmap files; /* path -> struct rrdw_file: files known to exist,
	                   * or waiting to be created */
	struct wq_item *chead, **ctail; /* updates of files to create */
	size_t ncreate, queue_max;
	struct rrdw_file *dhead, **dtail; /* files with updates kept */
	struct rrdw_stats st; /* the writer's */
	pthread_mutex_t mu;
	struct rrdw_stats pub; /* a copy, under mu, for status */
	struct complaint complaint;
	struct complaint conn_complaint;
};

int
rrdw_escape(const char *name, char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	const unsigned char *p;

	if (name[0] == '\0')
		return -1;
	for (p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' ||
		    (*p == '.' && !(p == (const unsigned char *)name))) {
			if (o + 1 >= len)
				return -1;
			buf[o++] = (char)*p;
		} else if (*p == '/') {
			if (o + 1 >= len)
				return -1;
			buf[o++] = '_';
		} else {
			if (o + 3 >= len)
				return -1;
			buf[o++] = '%';
			buf[o++] = hex[*p >> 4];
			buf[o++] = hex[*p & 15];
		}
	}
	buf[o] = '\0';
	return 0;
}

/*
 * A file name is at most NAME_MAX (255) bytes, and librrd writes a new
 * file under its name and a temporary suffix first: an escaped name
 * longer than RRDW_NAME_KEEP (a port's 400-byte ifDescr) is cut there,
 * not within a %XX, and ends with '~' and a hash of the whole ('~' is
 * escaped otherwise), so that two long names stay two files.
 */
#define RRDW_NAME_KEEP 200

static void
rrdw_bound(char *n)
{
	size_t len = strlen(n), cut = RRDW_NAME_KEEP;
	uint32_t h = 2166136261u; /* FNV-1a */

	if (len <= RRDW_NAME_KEEP + 9)
		return;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)n[i]) * 16777619u;
	if (n[cut - 1] == '%')
		cut -= 1;
	else if (n[cut - 2] == '%')
		cut -= 2;
	snprintf(n + cut, len + 1 - cut, "~%08x", (unsigned)h);
}

int
rrdw_sensor_path(char *buf, size_t len, const char *dir, const char *device,
    const char *cls, const char *name)
{
	char d[256], c[64], n[768];
	int r;

	if (rrdw_escape(device, d, sizeof(d)) == -1 ||
	    rrdw_escape(cls, c, sizeof(c)) == -1 ||
	    rrdw_escape(name, n, sizeof(n)) == -1)
		return -1;
	rrdw_bound(n);
	r = snprintf(buf, len, "%s/%s/sensor-%s-%s.rrd", dir, d, c, n);
	return (r < 0 || (size_t)r >= len) ? -1 : 0;
}

int
rrdw_port_path(char *buf, size_t len, const char *dir, const char *device,
    const char *port)
{
	char d[256], p[768];
	int n;

	if (rrdw_escape(device, d, sizeof(d)) == -1 ||
	    rrdw_escape(port, p, sizeof(p)) == -1)
		return -1;
	rrdw_bound(p);
	n = snprintf(buf, len, "%s/%s/port-%s.rrd", dir, d, p);
	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

int
rrdw_create_args(const struct sample_schema *s, int step, int keep_step,
    char args[][64], int max)
{
	static const char *cfs[] = {"AVERAGE", "MAX"};
	/* seconds per row, seconds kept: 5 min for 2 weeks, 1 h for 2 months,
	 * 1 day for 2 years (732 days, leap years included) */
	static const int cons[][2] = {
	    {300, 14 * 86400},
	    {3600, 62 * 86400},
	    {86400, 732 * 86400},
	};
	int n = 0, hb = step * 3 > 10 ? step * 3 : 10; /* heartbeat: 3 polls */

	if (s->n + 8 > max)
		return -1;
	for (int i = 0; i < s->n; i++)
		snprintf(args[n++], 64, "DS:%s:GAUGE:%d:%s:U", s->metric[i], hb,
		    s->negative ? "U" : "0");
	for (int c = 0; c < 2; c++) {
		int rows = keep_step / step;

		snprintf(args[n++], 64, "RRA:%s:0.5:1:%d", cfs[c],
		    rows > 10 ? rows : 10);
		for (int k = 0; k < 3; k++) {
			int per = cons[k][0] / step;

			if (per < 1)
				per = 1;
			rows = cons[k][1] / (per * step);
			snprintf(args[n++], 64, "RRA:%s:0.5:%d:%d", cfs[c], per,
			    rows);
		}
	}
	return n;
}

static int
rrdw_mkdirs(const char *path)
{
	char tmp[4096], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	if ((p = strrchr(tmp, '/')) == NULL)
		return 0;
	*p = '\0';
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0755) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

/*
 * Why librrd failed: its message, else (it gives none for a write cut
 * short, and errno is then that of its cleaning up) the space left on the
 * file system of PATH.
 */
static void
rrdw_why(const char *path, int err, char *buf, size_t len)
{
	const char *msg = rrd_get_error();
	char dir[4096], *slash;
	struct statvfs sv;

	if (msg != NULL && *msg != '\0') {
		snprintf(buf, len, "%s", msg);
		return;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if (statvfs(dir, &sv) == 0 &&
	    (uint64_t)sv.f_bavail * sv.f_frsize < RRDW_SPACE_MIN)
		snprintf(buf, len, "%s (%llu bytes free)", strerror(ENOSPC),
		    (unsigned long long)sv.f_bavail * sv.f_frsize);
	else
		snprintf(buf, len, "librrd gave no reason (errno: %s)",
		    err ? strerror(err) : "none");
}

/*
 * A file starts this many seconds before its first sample: less than the
 * smallest heartbeat (10 s), so that the first update is known all the
 * way back. At 10 s, the first interval was 10 s and a fraction, over a
 * 10 s heartbeat: unknown, and librrd counts unknown time in whole
 * seconds, so the step where the first sample fell was taken as wholly
 * known and its value scaled down by the fraction it was not (80 C read
 * as 62.6 C: with a 1 s step, that step can be all a report sees).
 */
#define RRDW_START_BACK 5

static int
rrdw_create(struct rrdw *w, const struct sample_schema *schema, int step,
    double t, const char *path)
{
	char args[40][64];
	const char *argv[40];
	int n, rc;

	if ((n = rrdw_create_args(schema, step, w->keep_step, args, 40)) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		argv[i] = args[i];
	if (!w->remote && rrdw_mkdirs(path) == -1) {
		complain(&w->complaint, LOG_L_WARN,
		    "rrd: creating the folder of %s: %s", path,
		    strerror(errno));
		return -1;
	}
	rrd_clear_error();
	errno = 0;
	if (w->use_cached)
		rc = rrdc_create(rrdw_cached_name(w->cached, w->dir, path),
		    (unsigned long)step, (time_t)t - RRDW_START_BACK, 1, n,
		    argv);
	else
		rc = rrd_create_r(path, (unsigned long)step,
		    (time_t)t - RRDW_START_BACK, n, argv);
	/* a shared rrdcached: another node may have made it (-O refuses) */
	if (rc != 0 && w->remote && strstr(rrd_get_error(), "File exists")) {
		rrd_clear_error();
		return 1;
	}
	if (rc != 0) {
		char why[160];

		rrdw_why(path, errno, why, sizeof(why));
		complain(w->use_cached ? &w->conn_complaint : &w->complaint,
		    LOG_L_WARN, "rrd: creating %s: %s", path, why);
		/* not a file cut short, to be updated and fail forever */
		if (!w->use_cached)
			unlink(path);
		return -1;
	}
	w->st.created++;
	return 0;
}

static double
rrdw_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* xorshift64: the jitter of the files' delays */
static double
rrdw_random(struct rrdw *w)
{
	w->rnd ^= w->rnd << 13;
	w->rnd ^= w->rnd >> 7;
	w->rnd ^= w->rnd << 17;
	return (double)(w->rnd >> 11) / 9007199254740992.0;
}

/*
 * The file of PATH, known to exist: looked up once, created when SCHEMA is
 * given, else NULL. Its last update is read (LAST: an open of the file, as
 * costly as an update) only for the journal's replay; updates are in
 * order, and a batch that starts too early is cut (rrdw_file_write).
 */
static struct rrdw_file *
rrdw_file(struct rrdw *w, const char *path, const struct sample_schema *schema,
    int step, double t, int read_last)
{
	struct rrdw_file *f;
	time_t last = 0;
	int rc;

	if ((f = hmap_get(&w->files, path)) != NULL && f->exists)
		return f;
	if (f != NULL)
		return NULL; /* (waiting to be created) */
	if (!w->remote && access(path, F_OK) == 0) {
		if (read_last && (last = rrd_last_r(path)) == -1)
			last = 0;
	} else if (schema == NULL ||
	    (rc = rrdw_create(w, schema, step, t, path)) == -1)
		return NULL;
	else if (rc == 0)
		last = (time_t)t - RRDW_START_BACK; /* (rrdw_create's start) */
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->path = strdup(path)) == NULL) {
		free(f);
		return NULL;
	}
	f->last_t = (double)last;
	f->known = last > 0;
	f->exists = 1;
	if (hmap_put(&w->files, f->path, f) == -1) {
		free(f->path);
		free(f);
		return NULL;
	}
	return f;
}

/* Forget F (removed or broken: look again next time). */
static void
rrdw_file_drop(struct rrdw *w, struct rrdw_file *f)
{
	hmap_del(&w->files, f->path);
	free(f->path);
	free(f->buf);
	free(f);
}

static void
rrdw_unlink(struct rrdw *w, struct rrdw_file *f)
{
	if (f->dprev == NULL)
		return;
	if (f->dnext)
		f->dnext->dprev = f->dprev;
	else
		w->dtail = f->dprev;
	*f->dprev = f->dnext;
	f->dnext = NULL;
	f->dprev = NULL;
}

/*
 * rrd_update_r, again while a reader holds the file: librrd's fetch takes
 * a shared lock on it (a report, a graph, `rrdtool fetch`) and an update
 * that finds it fails at once with "could not lock RRD", having written
 * nothing. A reader holds it for milliseconds: up to RRDW_LOCK_TRIES
 * tries, RRDW_LOCK_WAIT_US apart, before it is an error (the values kept
 * for the file were dropped then, in a report's first seconds).
 */
#define RRDW_LOCK_TRIES 200
#define RRDW_LOCK_WAIT_US 5000

static int
rrdw_locked(void)
{
	const char *e = rrd_get_error();

	return e != NULL && strstr(e, "could not lock") != NULL;
}

static int
rrdw_update_r(struct rrdw *w, const char *path, int n, const char **argv)
{
	for (int tries = 1;; tries++) {
		rrd_clear_error();
		if (rrd_update_r(path, NULL, n, argv) == 0)
			return 0;
		if (tries >= RRDW_LOCK_TRIES || !rrdw_locked())
			return -1;
		w->st.lock_waits++;
		usleep(RRDW_LOCK_WAIT_US);
	}
}

/* Write what F keeps, with one rrd_update. Frees F if it failed. */
static int
rrdw_file_write(struct rrdw *w, struct rrdw_file *f, struct rrdw_flushed *out)
{
	const char *argv[RRDW_BATCH_MAX];
	size_t o = 0;
	int n = 0, rc;

	if (f->n == 0)
		return 0;
	while (o < f->len && n < RRDW_BATCH_MAX) {
		argv[n++] = f->buf + o;
		o += strlen(f->buf + o) + 1;
	}
	rc = rrdw_update_r(w, f->path, n, argv);
	if (rc != 0 && !f->known) {
		/* a file not written since the start, whose last update is
		 * after the first kept (a clock set back): those after it */
		time_t last = rrd_last_r(f->path);
		int k = 0;

		while (last > 0 && k < n && strtod(argv[k], NULL) <= last)
			k++;
		if (k > 0) {
			w->st.out_of_order += (uint64_t)k;
			rc = k < n ? rrdw_update_r(w, f->path, n - k, argv + k)
			           : 0;
			n -= k;
		}
	}
	f->known = 1;
	rrdw_unlink(w, f);
	w->st.pending -= (uint64_t)f->n;
	w->st.pending_bytes -= f->len;
	w->st.pending_files--;
	w->st.writes++;
	if (out)
		out->files++;
	if (rc != 0) {
		/* (librrd wrote those before the one it refused) */
		w->st.errors++;
		if (out)
			out->errors++;
		complain(&w->complaint, LOG_L_WARN, "rrd: updating %s: %s",
		    f->path, rrd_get_error());
		rrdw_file_drop(w, f);
		return -1;
	}
	w->st.updates += (uint64_t)n;
	if (out)
		out->values += (uint64_t)n;
	f->n = 0;
	f->len = 0;
	return 0;
}

/* Keep VALUES (of time T) for F; write F when it holds a batch. */
static int
rrdw_keep(struct rrdw *w, struct rrdw_file *f, const char *values, double t)
{
	size_t len = strlen(values) + 1;

	if (!(t > f->last_t)) {
		w->st.out_of_order++;
		return -1;
	}
	if (f->len + len > f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		char *nb;

		while (cap < f->len + len)
			cap *= 2;
		if ((nb = realloc(f->buf, cap)) == NULL) {
			w->st.errors++;
			return -1;
		}
		f->buf = nb;
		f->cap = cap;
	}
	memcpy(f->buf + f->len, values, len);
	f->len += len;
	f->last_t = t;
	if (f->n++ == 0) {
		/* due between half the delay and the delay */
		f->due = rrdw_mono() + w->delay * (1.0 - 0.5 * rrdw_random(w));
		f->dnext = NULL;
		f->dprev = w->dtail;
		*w->dtail = f;
		w->dtail = &f->dnext;
		w->st.pending_files++;
	}
	w->st.pending++;
	w->st.pending_bytes += len;
	w->st.accepted++;
	return 0;
}

static void
rrdw_values(const struct rrdw_item *it, char *val, size_t len)
{
	size_t o;

	o = (size_t)snprintf(val, len, "%.3f", it->t);
	for (int i = 0; i < it->schema->n && o < len; i++) {
		if (isnan(it->v[i]))
			o += (size_t)snprintf(val + o, len - o, ":U");
		else
			o += (size_t)snprintf(val + o, len - o, ":%.6g", it->v[i]);
	}
}

/* rrdcached: each update as it comes (rrdcached keeps them). */
static void
rrdw_cached(struct rrdw *w, struct rrdw_item *it, const char *val)
{
	const char *argv[1] = {val};

	if (rrdw_file(w, it->path, it->schema, it->step, it->t, 0) == NULL) {
		w->st.errors++;
		return;
	}
	rrd_clear_error();
	if (rrdc_update(rrdw_cached_name(w->cached, w->dir, it->path), 1,
	        argv) != 0) {
		struct rrdw_file *f = hmap_get(&w->files, it->path);

		w->st.errors++;
		if (f)
			rrdw_file_drop(w, f);
		complain(&w->conn_complaint, LOG_L_WARN, "rrd: updating %s: %s",
		    it->path, rrd_get_error());
		return;
	}
	/* (librrd's client connects again by itself: said once it works) */
	complain_release(&w->conn_complaint,
	    "rrd: connected to rrdcached at %s again", w->cached);
	w->st.accepted++;
	w->st.updates++;
	w->st.writes++;
}

static void
rrdw_keep_item(struct rrdw *w, struct rrdw_file *f, struct rrdw_item *it)
{
	char val[SAMPLE_MAX * 24 + 32];

	rrdw_values(it, val, sizeof(val));
	if (rrdw_keep(w, f, val, it->t) == -1)
		return;
	if (w->journaled && w->delay > 0 && rj_add(&w->j, val, f->path) == -1)
		w->st.journal_errors++;
	if (f->n >= w->batch)
		rrdw_file_write(w, f, NULL);
}

/*
 * An update: kept for its file, or, for a file not seen yet, put on the
 * list of files to create (then 1: the item is kept there).
 */
static int
rrdw_update_item(struct rrdw *w, struct rrdw_item *it)
{
	struct rrdw_file *f;

	if (w->use_cached) {
		char val[SAMPLE_MAX * 24 + 32];

		rrdw_values(it, val, sizeof(val));
		rrdw_cached(w, it, val);
		return 0;
	}
	f = hmap_get(&w->files, it->path);
	if (f == NULL && access(it->path, F_OK) == 0)
		f = rrdw_file(w, it->path, NULL, 0, it->t, 0);
	if (f != NULL && f->exists) {
		rrdw_keep_item(w, f, it);
		return 0;
	}
	if (f == NULL) {
		/* a place in the map, so that its next updates wait too */
		if ((f = calloc(1, sizeof(*f))) == NULL ||
		    (f->path = strdup(it->path)) == NULL ||
		    hmap_put(&w->files, f->path, f) == -1) {
			if (f)
				free(f->path);
			free(f);
			w->st.errors++;
			return 0;
		}
	}
	f->creating++;
	it->item.next = NULL;
	*w->ctail = &it->item;
	w->ctail = &it->item.next;
	w->ncreate++;
	return 1;
}

/*
 * Create the files waiting, in order, and keep their updates: for
 * RRDW_CREATE_SECS (ALL: every one, for a flush or a stop; and when the
 * list is beyond half the queue's bound).
 */
static void
rrdw_create_waiting(struct rrdw *w, int all)
{
	double until = rrdw_mono() + RRDW_CREATE_SECS;
	struct wq_item *wi;

	while ((wi = w->chead) != NULL) {
		struct rrdw_item *it = (struct rrdw_item *)wi;
		struct rrdw_file *f = hmap_get(&w->files, it->path);

		if (!all && w->ncreate < w->queue_max / 2 && rrdw_mono() > until)
			break;
		if ((w->chead = wi->next) == NULL)
			w->ctail = &w->chead;
		w->ncreate--;
		if (f != NULL && !f->exists) {
			f->creating--;
			if (access(f->path, F_OK) == 0)
				f->exists = 1;
			else if (rrdw_create(w, it->schema, it->step, it->t,
			             f->path) == 0) {
				f->exists = 1;
				f->known = 1;
				f->last_t =
				    (double)((time_t)it->t - RRDW_START_BACK);
			}
		}
		if (f != NULL && f->exists)
			rrdw_keep_item(w, f, it);
		else {
			w->st.errors++;
			/* tried again with its next update */
			if (f != NULL && f->creating == 0)
				rrdw_file_drop(w, f);
		}
		free(it);
	}
}

static void
rrdw_flush_all(struct rrdw *w, struct rrdw_flushed *out)
{
	while (w->dhead)
		rrdw_file_write(w, w->dhead, out);
}

/* The writer's counters copied for status (and for a flush's waiter). */
static void
rrdw_publish(struct rrdw *w)
{
	w->st.creating = w->ncreate;
	pthread_mutex_lock(&w->mu);
	w->pub = w->st;
	pthread_mutex_unlock(&w->mu);
}

static void
rrdw_flush_item(struct rrdw *w, struct rrdw_item *it)
{
	struct rrdw_flushed out = {0, 0, 0};
	struct rrdw_file *f;

	w->st.flushes++;
	/* the files still to be created first: what a reader asks for may
	 * be one of them, and a flush answers for every update taken */
	if (!w->use_cached && w->chead != NULL &&
	    (it->path[0] == '\0' ||
	        ((f = hmap_get(&w->files, it->path)) != NULL && f->creating)))
		rrdw_create_waiting(w, 1);
	if (w->use_cached && it->path[0]) {
		out.files++;
		if (rrdc_flush(rrdw_cached_name(w->cached, w->dir, it->path)) !=
		    0)
			out.errors++;
	} else if (w->use_cached) {
		/* (librrd's client has no FLUSHALL): the files written */
		for (size_t i = 0; i < w->files.cap; i++)
			if (w->files.slots[i].hash) {
				out.files++;
				if (rrdc_flush(rrdw_cached_name(w->cached,
				        w->dir, w->files.slots[i].skey)) != 0)
					out.errors++;
			}
	} else if (it->path[0] == '\0')
		rrdw_flush_all(w, &out);
	else if ((f = hmap_get(&w->files, it->path)) != NULL)
		rrdw_file_write(w, f, &out);
	/* who waited reads the counters next: they count what was flushed */
	rrdw_publish(w);
	if (it->wait) {
		pthread_mutex_lock(&it->wait->mu);
		it->wait->out = out;
		it->wait->done = 1;
		pthread_cond_broadcast(&it->wait->cv);
		pthread_mutex_unlock(&it->wait->mu);
	}
	if (it->notify)
		event_active(it->notify, 0, 0);
}

/* Rewrite the journal with what is kept (it holds what was written, too). */
static void
rrdw_journal_rewrite(struct rrdw *w)
{
	struct rrdw_file *f;

	if (rj_rewrite_begin(&w->j) == -1) {
		w->st.journal_errors++;
		return;
	}
	for (f = w->dhead; f; f = f->dnext)
		for (size_t o = 0; o < f->len; o += strlen(f->buf + o) + 1)
			if (rj_add(&w->j, f->buf + o, f->path) == -1)
				w->st.journal_errors++;
	if (rj_rewrite_end(&w->j) == -1) {
		w->st.journal_errors++;
		complain(&w->complaint, LOG_L_WARN,
		    "rrd: rewriting the journal %s: %s", w->j.path,
		    strerror(errno));
	}
}

/*
 * After a batch: the journal written, the files that are due written, the
 * bounds kept. Returns in how many ms the next file is due (0: none).
 */
static int
rrdw_tick(struct rrdw *w)
{
	struct rrdw_file *f, *next;
	double now = rrdw_mono(), first = 0;

	if (w->journaled && rj_write(&w->j, 0) == -1) {
		w->st.journal_errors++;
		complain(&w->complaint, LOG_L_WARN,
		    "rrd: writing the journal %s: %s", w->j.path,
		    strerror(errno));
	}
	for (f = w->dhead; f; f = next) {
		next = f->dnext;
		if (f->due <= now)
			rrdw_file_write(w, f, NULL);
		else if (first == 0 || f->due < first)
			first = f->due;
	}
	/* too much kept: the oldest written early, down to half */
	if (w->st.pending_bytes > w->pending_max)
		while (w->dhead && w->st.pending_bytes > w->pending_max / 2) {
			w->st.early++;
			rrdw_file_write(w, w->dhead, NULL);
		}
	if (w->journaled) {
		if (w->dhead == NULL && w->j.size > 0) {
			if (rj_truncate(&w->j) == -1)
				w->st.journal_errors++;
		} else if (w->j.size > RRDW_JOURNAL_MIN &&
		    w->j.size > 2 * w->st.pending_bytes + RRDW_JOURNAL_MIN / 2)
			rrdw_journal_rewrite(w);
		w->st.journal_bytes = w->j.size;
		w->st.journal_rewrites = w->j.rewrites;
	}
	rrdw_publish(w);
	if (w->dhead == NULL)
		return 0;
	if (first == 0)
		first = now;
	return (int)((first - now) * 1000.0) + 1;
}

static int
rrdw_batch(void *arg, struct wq_item *list, size_t n)
{
	struct rrdw *w = arg;
	struct wq_item *it, *next;
	int again;

	(void)n;
	if (w->use_cached && !rrdc_is_connected(w->cached)) {
		if (rrdc_connect(w->cached) != 0)
			complain(&w->conn_complaint, LOG_L_WARN,
			    "rrd: cannot connect to rrdcached at %s: %s",
			    w->cached, rrd_get_error());
		else
			complain_release(&w->conn_complaint,
			    "rrd: connected to rrdcached at %s", w->cached);
	}
	for (it = list; it; it = next) {
		struct rrdw_item *ri = (struct rrdw_item *)it;

		next = it->next;
		if (ri->kind == RRDW_FLUSH) {
			/* what was taken before is in the journal first */
			rrdw_create_waiting(w, 1);
			if (w->journaled && rj_write(&w->j, 0) == -1)
				w->st.journal_errors++;
			rrdw_flush_item(w, ri);
		} else if (rrdw_update_item(w, ri) == 1)
			continue; /* a file to create first */
		free(it);
	}
	/* what came is journaled before files are created */
	if (w->journaled && rj_write(&w->j, 0) == -1)
		w->st.journal_errors++;
	rrdw_create_waiting(w, 0);
	again = rrdw_tick(w);
	return w->chead != NULL ? -1 : again;
}

/* --- the journal read back at start --- */

static void
rrdw_replay_one(void *arg, const char *values, const char *path, double t)
{
	struct rrdw *w = arg;
	struct rrdw_file *f;

	if ((f = rrdw_file(w, path, NULL, 0, t, 1)) == NULL) {
		w->st.replay_dropped++;
		return;
	}
	if (!(t > f->last_t)) {
		w->st.replay_skipped++;
		return;
	}
	if (rrdw_keep(w, f, values, t) == 0) {
		w->st.replayed++;
		w->st.accepted--;
	} else
		w->st.replay_dropped++;
}

static void
rrdw_replay(struct rrdw *w)
{
	struct rrdw_flushed out = {0, 0, 0};
	char old[4200];

	if (w->j.size == 0)
		return;
	if (rj_replay(&w->j, rrdw_replay_one, w, &w->st.replay_bad) == -1) {
		log_warn("rrd: reading the journal %s", w->j.path);
		return;
	}
	rrdw_flush_all(w, &out);
	log_info("rrd: journal %s: %llu updates replayed, %llu already in "
	         "their files, %llu for files that are gone, %llu bad lines",
	    w->j.path, (unsigned long long)w->st.replayed,
	    (unsigned long long)w->st.replay_skipped,
	    (unsigned long long)w->st.replay_dropped,
	    (unsigned long long)w->st.replay_bad);
	if (out.errors == 0) {
		if (rj_truncate(&w->j) == -1)
			log_warn("rrd: emptying the journal %s", w->j.path);
		return;
	}
	/* kept for a look, out of the way of the next start */
	snprintf(old, sizeof(old), "%s.old", w->j.path);
	log_warnx("rrd: %llu files could not be written from the journal; "
	          "it is kept as %s",
	    (unsigned long long)out.errors, old);
	if (rename(w->j.path, old) == -1)
		log_warn("rrd: %s", old);
	else {
		char path[sizeof(w->j.path)], err[256];

		snprintf(path, sizeof(path), "%s", w->j.path);
		rj_close(&w->j);
		if (rj_open(&w->j, path, err, sizeof(err)) == -1) {
			log_warnx("rrd: journal: %s", err);
			w->journaled = 0;
		}
	}
}

static void
rrdw_free_files(struct rrdw *w)
{
	for (size_t i = 0; i < w->files.cap; i++) {
		struct rrdw_file *f = w->files.slots[i].hash ?
		    w->files.slots[i].value : NULL;

		if (f) {
			free(f->path);
			free(f->buf);
			free(f);
		}
	}
	hmap_free(&w->files);
}

struct rrdw *
rrdw_start(const struct rrdw_conf *c, char *err, size_t errlen)
{
	struct rrdw *w;

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(w->dir, sizeof(w->dir), "%s", c->dir);
	snprintf(w->cached, sizeof(w->cached), "%s",
	    c->rrdcached ? c->rrdcached : "");
	w->keep_step = c->keep_step > 0 ? c->keep_step : 2 * 86400;
	w->delay = c->write_delay > 0 ? c->write_delay : 0;
	w->batch = c->batch < 1 ? 1 :
	    c->batch > RRDW_BATCH_MAX ? RRDW_BATCH_MAX : c->batch;
	w->pending_max = c->pending_max ? c->pending_max : 64 * 1024 * 1024;
	w->rnd = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	if (w->rnd == 0)
		w->rnd = 1;
	w->dtail = &w->dhead;
	w->ctail = &w->chead;
	w->queue_max = c->queue_max ? c->queue_max : 1;
	w->j.fd = w->j.oldfd = -1;
	pthread_mutex_init(&w->mu, NULL);
	if (mkdir(c->dir, 0755) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", c->dir, strerror(errno));
		goto fail;
	}
	if (w->cached[0]) {
		w->use_cached = 1;
		w->remote = rrdw_cached_remote(w->cached);
		if (rrdc_connect(w->cached) != 0)
			log_warnx("rrd: rrdcached at %s not reachable yet: %s",
			    w->cached, rrd_get_error());
	} else if (c->journal && c->journal[0]) {
		if (rj_open(&w->j, c->journal, err, errlen) == -1)
			goto fail;
		w->journaled = 1;
		rrdw_replay(w);
	}
	w->pub = w->st;
	if ((w->wq = wq_start("rrd", c->queue_max, c->batch_ms, rrdw_batch,
	         w)) == NULL) {
		snprintf(err, errlen, "rrd writer thread: %s", strerror(errno));
		goto fail;
	}
	return w;
fail:
	rrdw_free_files(w);
	rj_close(&w->j);
	pthread_mutex_destroy(&w->mu);
	free(w);
	return NULL;
}

void
rrdw_stop(struct rrdw *w)
{
	struct rrdw_flushed out = {0, 0, 0};

	if (w == NULL)
		return;
	wq_stop(w->wq);
	if (w->use_cached)
		rrdc_disconnect();
	else {
		rrdw_create_waiting(w, 1);
		rrdw_flush_all(w, &out);
		if (w->journaled) {
			/* what failed stays in the journal for the next start */
			if (out.errors == 0)
				rj_truncate(&w->j);
			else
				rj_write(&w->j, 1);
		}
	}
	rj_close(&w->j);
	rrdw_free_files(w);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

/* A flush request for PATH (NULL: every file), or NULL. */
static struct rrdw_item *
rrdw_flush_new(const char *path)
{
	size_t plen = (path ? strlen(path) : 0) + 1;
	struct rrdw_item *it;

	if ((it = calloc(1, sizeof(*it) + plen)) == NULL)
		return NULL;
	it->kind = RRDW_FLUSH;
	memcpy(it->path, path ? path : "", plen);
	return it;
}

int
rrdw_flush(struct rrdw *w, const char *path, int wait, struct rrdw_flushed *out)
{
	struct rrdw_item *it;
	struct rrdw_wait wt;
	int rc = 0;

	if ((it = rrdw_flush_new(path)) == NULL)
		return -1;
	if (wait) {
		memset(&wt, 0, sizeof(wt));
		pthread_mutex_init(&wt.mu, NULL);
		pthread_cond_init(&wt.cv, NULL);
		it->wait = &wt;
	}
	if (wq_push_now(w->wq, &it->item) == -1) {
		free(it);
		rc = -1;
	} else if (wait) {
		pthread_mutex_lock(&wt.mu);
		while (!wt.done)
			pthread_cond_wait(&wt.cv, &wt.mu);
		pthread_mutex_unlock(&wt.mu);
		if (out)
			*out = wt.out;
	}
	if (wait) {
		pthread_mutex_destroy(&wt.mu);
		pthread_cond_destroy(&wt.cv);
	}
	return rc;
}

int
rrdw_flush_notify(struct rrdw *w, const char *path, struct event *ev)
{
	struct rrdw_item *it;

	if ((it = rrdw_flush_new(path)) == NULL)
		return -1;
	it->notify = ev;
	if (wq_push_now(w->wq, &it->item) == -1) {
		free(it);
		return -1;
	}
	return 0;
}

void
rrdw_sync(struct rrdw *w)
{
	wq_flush(w->wq);
}

void
rrdw_get_stats(struct rrdw *w, struct rrdw_stats *st)
{
	pthread_mutex_lock(&w->mu);
	*st = w->pub;
	pthread_mutex_unlock(&w->mu);
	wq_get_stats(w->wq, &st->q);
}

const char *
rrdw_dir(const struct rrdw *w)
{
	return w->dir;
}

int
rrdw_update(struct rrdw *w, const struct sample_schema *s, const char *path,
    int step, double t, const double *values)
{
	size_t plen = strlen(path) + 1;
	struct rrdw_item *it;

	if ((it = malloc(sizeof(*it) + plen)) == NULL)
		return -1;
	it->kind = RRDW_UPDATE;
	it->wait = NULL;
	it->notify = NULL;
	it->schema = s;
	it->step = step > 0 ? step : 1;
	it->t = t;
	memcpy(it->v, values, sizeof(double) * (size_t)s->n);
	memcpy(it->path, path, plen);
	if (wq_push(w->wq, &it->item) == -1) {
		free(it);
		return -1;
	}
	return 0;
}

static int
rrdw_put(void *arg, const struct sample_set *s)
{
	if (s->file == NULL || s->file[0] == '\0')
		return 0;
	return rrdw_update(arg, s->schema, s->file, s->step, s->t, s->v);
}

void
rrdw_sink(struct rrdw *w, struct sample_sink *sk)
{
	memset(sk, 0, sizeof(*sk));
	sk->name = "rrd";
	sk->put = rrdw_put;
	sk->arg = w;
}

int
rrdw_cached_remote(const char *addr)
{
	return addr != NULL && addr[0] != '\0' && addr[0] != '/' &&
	    strncmp(addr, "unix:", 5) != 0;
}

const char *
rrdw_cached_name(const char *addr, const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (!rrdw_cached_remote(addr) || strncmp(path, dir, n) != 0 ||
	    path[n] != '/')
		return path;
	return path + n + 1;
}

int
rrdw_fetch(const char *addr, const char *dir, const char *file,
    const char *cf, time_t *start, time_t *end, unsigned long *step,
    unsigned long *ds_cnt, char ***ds_names, double **data)
{
	if (!rrdw_cached_remote(addr)) {
		/* (the writer's update holds the file for a moment: again,
		 * as rrdw_update_r does) */
		for (int tries = 1;; tries++) {
			time_t s0 = *start, e0 = *end;

			rrd_clear_error();
			if (rrd_fetch_r(file, cf, start, end, step, ds_cnt,
			        ds_names, data) == 0)
				return 0;
			if (tries >= RRDW_LOCK_TRIES || !rrdw_locked())
				return -1;
			*start = s0;
			*end = e0;
			usleep(RRDW_LOCK_WAIT_US);
		}
	}
	if (rrdc_connect(addr) != 0)
		return -1;
	return rrdc_fetch(rrdw_cached_name(addr, dir, file), cf, start, end,
	    step, ds_cnt, ds_names, data);
}
