/*
 * plan_archive.c - the reports' archive fed after each run
 * (plan_archive.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "plan_archive.h"
#include "proc.h"
#include "report_bundle.h"
#include "store.h"

extern char **environ;

#define PARCH_MAX_OUT ((size_t)RB_PARTS * STORE_REPORTCOPY_MAX + 4096)
#define PARCH_ARGS 80

struct parch {
	struct event_base *base;
	struct store *store, *ro; /* the writer's; reads (the loop's own) */
	char *exe, *conf_path;
	char **defines;
	int64_t queue[PARCH_QUEUE_MAX];
	int qhead, qlen;
	struct proc *child;
	int64_t child_run;
	struct event *later; /* a wait before the next child */
	double not_before;
	parch_before_fn before;
	void *before_arg;
	struct event *ready; /* the writer flushed: the child may start */
	int flushing; /* a flush is awaited */
	int flushed; /* ... and came: the next child starts */
	uint64_t archived, failed, dropped, copies;
	char last_error[256];
};

static void parch_next(struct parch *);

static double
parch_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
parch_later_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	parch_next(arg);
}

/* the RRD writer wrote what it kept: the report waiting is made now */
static void
parch_ready_cb(evutil_socket_t fd, short what, void *arg)
{
	struct parch *a = arg;

	(void)fd;
	(void)what;
	a->flushing = 0;
	a->flushed = 1;
	parch_next(a);
}

struct parch *
parch_new(struct event_base *base, struct store *s, struct store *ro,
    const char *exe,
    const char *conf_path, char *const *defines)
{
	struct parch *a;
	size_t n = 0;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->base = base;
	a->store = s;
	a->ro = ro;
	while (defines != NULL && defines[n] != NULL)
		n++;
	a->exe = strdup(exe);
	a->conf_path = strdup(conf_path);
	a->defines = calloc(n + 1, sizeof(char *));
	a->later = evtimer_new(base, parch_later_cb, a);
	a->ready = event_new(base, -1, 0, parch_ready_cb, a);
	if (a->exe == NULL || a->conf_path == NULL || a->defines == NULL ||
	    a->later == NULL || a->ready == NULL) {
		parch_free(a);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if ((a->defines[i] = strdup(defines[i])) == NULL) {
			parch_free(a);
			return NULL;
		}
	return a;
}

static int
parch_queued(struct parch *a, int64_t run)
{
	if (a->child != NULL && a->child_run == run)
		return 1;
	for (int i = 0; i < a->qlen; i++)
		if (a->queue[(a->qhead + i) % PARCH_QUEUE_MAX] == run)
			return 1;
	return 0;
}

void
parch_queue(struct parch *a, int64_t run)
{
	if (a == NULL || parch_queued(a, run))
		return;
	if (a->qlen == PARCH_QUEUE_MAX) {
		a->dropped++;
		log_warnx("report archive: %d runs wait already: run %lld "
		          "gets no archived report (netpatrol report still "
		          "makes it from the store)",
		    PARCH_QUEUE_MAX, (long long)run);
		return;
	}
	a->queue[(a->qhead + a->qlen++) % PARCH_QUEUE_MAX] = run;
	if (a->child == NULL)
		parch_next(a);
}

void
parch_queue_after(struct parch *a, int64_t run, int delay_ms)
{
	double t;

	if (a == NULL)
		return;
	t = parch_now() + delay_ms / 1000.0;
	if (t > a->not_before)
		a->not_before = t;
	/* one being made now may have missed what was just written: it is
	 * made again after this one */
	if (a->child != NULL && a->child_run == run) {
		if (a->qlen < PARCH_QUEUE_MAX)
			a->queue[(a->qhead + a->qlen++) % PARCH_QUEUE_MAX] =
			    run;
		return;
	}
	parch_queue(a, run);
}

static int
parch_unarchived_cb(void *arg, const struct store_planrun *r)
{
	struct parch *a = arg;

	if (strcmp(r->state, "done") == 0 && r->archived[0] == '\0')
		parch_queue(a, r->id);
	return 0;
}

void
parch_catch_up(struct parch *a)
{
	struct store_planrun_filter f = {0};

	if (a == NULL)
		return;
	f.since = (double)time(NULL) - PARCH_CATCHUP_DAYS * 86400.0;
	f.limit = PARCH_QUEUE_MAX;
	if (a->ro == NULL ||
	    store_get_planruns(a->ro, &f, parch_unarchived_cb, a) == -1)
		log_warnx("report archive: store: %s",
		    a->ro ? store_errmsg(a->ro) : "no connection");
}

static void
parch_fail(struct parch *a, int64_t run, const char *why)
{
	a->failed++;
	snprintf(a->last_error, sizeof(a->last_error), "run %lld: %s",
	    (long long)run, why);
	log_warnx("report archive: run %lld: %s", (long long)run, why);
}

static void
parch_done(void *arg, struct proc_result *res)
{
	struct parch *a = arg;
	struct rb_part parts[RB_PARTS];
	struct store_reportcopy c;
	int64_t run = a->child_run;
	char err[256];
	int n, stored = 0;

	a->child = NULL;
	if (!res->ok) {
		if (res->timed_out)
			snprintf(err, sizeof(err), "took more than %d s",
			    PARCH_TIMEOUT);
		else if (res->too_big)
			snprintf(err, sizeof(err), "more than %zu bytes",
			    PARCH_MAX_OUT);
		else
			snprintf(err, sizeof(err), "%s",
			    res->err[0] ? res->err : "the report failed");
		parch_fail(a, run, err);
	} else if ((n = report_bundle_parse(res->out, res->outlen, parts, err,
	                sizeof(err))) == -1)
		parch_fail(a, run, err);
	else {
		for (int i = 0; i < n; i++) {
			memset(&c, 0, sizeof(c));
			c.run = run;
			snprintf(c.format, sizeof(c.format), "%s",
			    parts[i].format);
			c.created = (double)time(NULL);
			c.size = parts[i].size;
			c.zlen = parts[i].zlen;
			if (store_put_reportcopy(a->store, &c, parts[i].z) ==
			    0)
				stored++;
		}
		if (stored < n)
			parch_fail(a, run, "the store refused a copy");
		else {
			a->archived++;
			log_debug("report archive: run %lld: %d formats in "
			          "%.1f s",
			    (long long)run, n, res->secs);
		}
		a->copies += (uint64_t)stored;
	}
	parch_next(a);
}

static void
parch_next(struct parch *a)
{
	char *argv[PARCH_ARGS], runs[32], err[256];
	double now = parch_now();
	int n = 0;

	if (a->flushing)
		return; /* parch_ready_cb goes on */
	if (a->child == NULL && a->qlen > 0 && now < a->not_before) {
		struct timeval tv;
		double d = a->not_before - now;

		tv.tv_sec = (time_t)d;
		tv.tv_usec = (suseconds_t)((d - (double)tv.tv_sec) * 1e6);
		evtimer_add(a->later, &tv);
		return;
	}
	while (a->child == NULL && a->qlen > 0) {
		int64_t run;

		/* the report reads the RRD files: what the writer keeps is
		 * written first, without blocking the loop */
		if (a->before != NULL && !a->flushed &&
		    a->before(a->before_arg, a->ready) == 0) {
			a->flushing = 1;
			return;
		}
		a->flushed = 0;
		run = a->queue[a->qhead];

		a->qhead = (a->qhead + 1) % PARCH_QUEUE_MAX;
		a->qlen--;
		snprintf(runs, sizeof(runs), "%lld", (long long)run);
		n = 0;
		argv[n++] = a->exe;
		argv[n++] = "-f";
		argv[n++] = a->conf_path;
		for (size_t i = 0; a->defines[i] != NULL && n < PARCH_ARGS - 4;
		    i++) {
			argv[n++] = "-D";
			argv[n++] = a->defines[i];
		}
		argv[n++] = "-R";
		argv[n++] = runs;
		argv[n] = NULL;
		a->child_run = run;
		a->child = proc_start(a->base, argv, environ, PARCH_TIMEOUT,
		    PARCH_MAX_OUT, parch_done, a, err, sizeof(err));
		if (a->child == NULL)
			parch_fail(a, run, err);
	}
}

int
parch_flushing(const struct parch *a)
{
	return a != NULL && a->flushing;
}

void
parch_before(struct parch *a, parch_before_fn before, void *arg)
{
	if (a != NULL) {
		a->before = before;
		a->before_arg = arg;
	}
}

void
parch_status(struct parch *a, struct jbuf *j)
{
	json_key(j, "report_archive");
	json_obj_open(j);
	json_kuint(j, "archived", a ? a->archived : 0);
	json_kuint(j, "copies", a ? a->copies : 0);
	json_kuint(j, "failed", a ? a->failed : 0);
	json_kuint(j, "dropped", a ? a->dropped : 0);
	json_kuint(j, "pending",
	    a ? (uint64_t)a->qlen + (a->child != NULL) : 0);
	json_key(j, "last_error");
	if (a && a->last_error[0])
		json_str(j, a->last_error);
	else
		json_null(j);
	json_obj_close(j);
}

void
parch_free(struct parch *a)
{
	if (a == NULL)
		return;
	if (a->child != NULL)
		proc_cancel(a->child);
	if (a->later != NULL)
		event_free(a->later);
	if (a->ready != NULL)
		event_free(a->ready);
	for (size_t i = 0; a->defines != NULL && a->defines[i] != NULL; i++)
		free(a->defines[i]);
	free(a->defines);
	free(a->exe);
	free(a->conf_path);
	free(a);
}
