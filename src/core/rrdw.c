/*
 * rrdw.c - RRD writer thread (see rrdw.h).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <stdint.h>
#include <unistd.h>

#include <rrd.h>
#include <rrd_client.h>

#include "hmap.h"
#include "log.h"
#include "rrdw.h"

/* less than this free: a file of a few hundred KB was cut short */
#define RRDW_SPACE_MIN (4 * 1024 * 1024)

struct rrdw_item {
	struct wq_item item;
	const struct sample_schema *schema;
	int step;
	double t;
	double v[SAMPLE_MAX];
	char path[];
};

struct rrdw {
	struct wq *wq;
	char dir[4096];
	char cached[4096];
	int keep_step;
	int use_cached; /* rrdcached's client is process-wide */
	uint64_t created, updates, errors;
	struct hmap known; /* files known to exist: no stat per update */
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

static int
rrdw_create(struct rrdw *w, struct rrdw_item *it)
{
	char args[40][64];
	const char *argv[40];
	int n, rc;

	if ((n = rrdw_create_args(
	         it->schema, it->step, w->keep_step, args, 40)) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		argv[i] = args[i];
	if (rrdw_mkdirs(it->path) == -1) {
		complain(&w->complaint, LOG_L_WARN,
		    "rrd: creating the folder of %s: %s", it->path,
		    strerror(errno));
		return -1;
	}
	rrd_clear_error();
	errno = 0;
	if (w->use_cached)
		rc = rrdc_create(it->path, (unsigned long)it->step,
		    (time_t)it->t - 10, 1, n, argv);
	else
		rc = rrd_create_r(it->path, (unsigned long)it->step,
		    (time_t)it->t - 10, n, argv);
	if (rc != 0) {
		char why[160];

		rrdw_why(it->path, errno, why, sizeof(why));
		complain(&w->complaint, LOG_L_WARN, "rrd: creating %s: %s",
		    it->path, why);
		/* not a file cut short, to be updated and fail forever */
		if (!w->use_cached)
			unlink(it->path);
		return -1;
	}
	w->created++;
	return 0;
}

static void
rrdw_write(struct rrdw *w, struct rrdw_item *it)
{
	char val[SAMPLE_MAX * 24 + 32];
	const char *argv[1] = {val};
	size_t o;
	int rc;

	o = (size_t)snprintf(val, sizeof(val), "%.3f", it->t);
	for (int i = 0; i < it->schema->n && o < sizeof(val); i++) {
		if (isnan(it->v[i]))
			o += (size_t)snprintf(val + o, sizeof(val) - o, ":U");
		else
			o += (size_t)snprintf(
			    val + o, sizeof(val) - o, ":%.6g", it->v[i]);
	}
	if (hmap_get(&w->known, it->path) == NULL) {
		char *copy;

		if (access(it->path, F_OK) == -1 && rrdw_create(w, it) == -1) {
			w->errors++;
			return;
		}
		if ((copy = strdup(it->path)) != NULL &&
		    hmap_put(&w->known, copy, copy) == -1)
			free(copy);
	}
	rrd_clear_error();
	if (w->use_cached)
		rc = rrdc_update(it->path, 1, argv);
	else
		rc = rrd_update_r(it->path, NULL, 1, argv);
	if (rc != 0) {
		w->errors++;
		{
			char *known = hmap_del(&w->known, it->path);

			free(
			    known); /* removed or broken: look again next time */
		}
		complain(&w->complaint, LOG_L_WARN, "rrd: updating %s: %s",
		    it->path, rrd_get_error());
		return;
	}
	w->updates++;
}

static int
rrdw_batch(void *arg, struct wq_item *list, size_t n)
{
	struct rrdw *w = arg;
	struct wq_item *it, *next;

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
		next = it->next;
		rrdw_write(w, (struct rrdw_item *)it);
		free(it);
	}
	return 0;
}

struct rrdw *
rrdw_start(const char *dir, const char *rrdcached, int keep_step, int batch_ms,
    size_t queue_max, char *err, size_t errlen)
{
	struct rrdw *w;

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(w->dir, sizeof(w->dir), "%s", dir);
	snprintf(
	    w->cached, sizeof(w->cached), "%s", rrdcached ? rrdcached : "");
	w->keep_step = keep_step > 0 ? keep_step : 2 * 86400;
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		free(w);
		return NULL;
	}
	if (w->cached[0]) {
		w->use_cached = 1;
		if (rrdc_connect(w->cached) != 0)
			log_warnx("rrd: rrdcached at %s not reachable yet: %s",
			    w->cached, rrd_get_error());
	}
	if ((w->wq = wq_start("rrd", queue_max, batch_ms, rrdw_batch, w)) ==
	    NULL) {
		snprintf(err, errlen, "rrd writer thread: %s", strerror(errno));
		free(w);
		return NULL;
	}
	return w;
}

void
rrdw_stop(struct rrdw *w)
{
	if (w == NULL)
		return;
	wq_stop(w->wq);
	if (w->use_cached)
		rrdc_disconnect();
	hmap_free_values(&w->known);
	free(w);
}

void
rrdw_flush(struct rrdw *w)
{
	wq_flush(w->wq);
}

void
rrdw_get_stats(struct rrdw *w, struct rrdw_stats *st)
{
	wq_get_stats(w->wq, &st->q);
	st->created = w->created;
	st->updates = w->updates;
	st->errors = w->errors;
}

int
rrdw_update(struct rrdw *w, const struct sample_schema *s, const char *path,
    int step, double t, const double *values)
{
	size_t plen = strlen(path) + 1;
	struct rrdw_item *it;

	if ((it = malloc(sizeof(*it) + plen)) == NULL)
		return -1;
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
