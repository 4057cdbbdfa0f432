/*
 * wq.c - bounded batch queue with one writer thread (see wq.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "wq.h"

struct wq {
	pthread_mutex_t mtx;
	pthread_cond_t wake; /* writer: work to do or stop */
	pthread_cond_t done; /* flushers: a batch was written */
	pthread_t thread;
	struct wq_item *head, **tail;
	size_t n, max;
	int batch_ms;
	int stopping;
	int urgent; /* a flush was asked for */
	uint64_t seq_in; /* items ever queued */
	uint64_t seq_out; /* items ever written */
	wq_batch_fn fn;
	void *arg;
	struct wq_stats st;
	char name[32];
	int started; /* the thread runs (wq_hold: not yet) */
	struct wq *held_next;
};

/* Queues made while held, their threads started by wq_release. */
static pthread_mutex_t wq_held_mu = PTHREAD_MUTEX_INITIALIZER;
static int wq_holding;
static struct wq *wq_held;

static void
wq_deadline(struct timespec *until, int ms)
{
	clock_gettime(CLOCK_REALTIME, until);
	until->tv_sec += ms / 1000;
	until->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until->tv_nsec >= 1000000000L) {
		until->tv_sec++;
		until->tv_nsec -= 1000000000L;
	}
}

static void *
wq_main(void *p)
{
	struct wq *q = p;
	struct wq_item *list;
	size_t n;
	struct timespec until;
	int behind = 0, again_ms = 0, more = 0;
	char tname[16];

	/* its name for top -H, ps -T and perf ("store", "rrd", ...) */
	snprintf(tname, sizeof(tname), "%s", q->name);
	(void)pthread_setname_np(pthread_self(), tname);

	pthread_mutex_lock(&q->mtx);
	for (;;) {
		if (q->n == 0 && !q->stopping && !more) {
			if (again_ms > 0) {
				/* the writer keeps what failed: again, later */
				wq_deadline(&until, again_ms);
				while (q->n == 0 && !q->stopping &&
				    pthread_cond_timedwait(&q->wake, &q->mtx,
				        &until) != ETIMEDOUT)
					;
			} else
				pthread_cond_wait(&q->wake, &q->mtx);
		}
		if (q->n == 0 && q->stopping)
			break;
		/*
		 * Let a batch gather for the window, unless told to hurry, or
		 * behind: work came while the last batch was written, so the
		 * writer goes on at once (a window then would only idle it
		 * under a backlog; the batch gathers while it writes).
		 */
		if (!q->stopping && !q->urgent && !behind &&
		    q->n < q->max / 2) {
			wq_deadline(&until, q->batch_ms);
			while (!q->stopping && !q->urgent &&
			    pthread_cond_timedwait(&q->wake, &q->mtx, &until) !=
			        ETIMEDOUT)
				;
		}
		list = q->head;
		n = q->n;
		q->head = NULL;
		q->tail = &q->head;
		q->n = 0;
		q->urgent = 0;
		q->st.depth = 0;
		pthread_mutex_unlock(&q->mtx);

		more = 0;
		if (n || again_ms) {
			again_ms = q->fn(q->arg, list, n);
			/* more to do: again at once, with what came meanwhile */
			if (again_ms < 0) {
				more = 1;
				again_ms = 1;
			}
		}

		pthread_mutex_lock(&q->mtx);
		behind = q->n > 0 || more;
		q->seq_out += n;
		q->st.batches++;
		q->st.written += n;
		pthread_cond_broadcast(&q->done);
	}
	pthread_cond_broadcast(&q->done);
	pthread_mutex_unlock(&q->mtx);
	return NULL;
}

struct wq *
wq_start(
    const char *name, size_t max_items, int batch_ms, wq_batch_fn fn, void *arg)
{
	struct wq *q;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	pthread_mutex_init(&q->mtx, NULL);
	pthread_cond_init(&q->wake, NULL);
	pthread_cond_init(&q->done, NULL);
	q->tail = &q->head;
	q->max = max_items ? max_items : 1;
	q->batch_ms = batch_ms > 0 ? batch_ms : 1;
	q->fn = fn;
	q->arg = arg;
	strncpy(q->name, name, sizeof(q->name) - 1);
	pthread_mutex_lock(&wq_held_mu);
	if (wq_holding) {
		q->held_next = wq_held;
		wq_held = q;
		pthread_mutex_unlock(&wq_held_mu);
		return q;
	}
	pthread_mutex_unlock(&wq_held_mu);
	if ((errno = pthread_create(&q->thread, NULL, wq_main, q)) != 0) {
		free(q);
		return NULL;
	}
	q->started = 1;
	return q;
}

void
wq_hold(void)
{
	pthread_mutex_lock(&wq_held_mu);
	wq_holding = 1;
	pthread_mutex_unlock(&wq_held_mu);
}

int
wq_release(void)
{
	struct wq *q;
	int rc = 0;

	pthread_mutex_lock(&wq_held_mu);
	wq_holding = 0;
	while ((q = wq_held) != NULL) {
		wq_held = q->held_next;
		q->held_next = NULL;
		if ((errno = pthread_create(&q->thread, NULL, wq_main, q)) !=
		    0) {
			rc = -1;
			continue;
		}
		q->started = 1;
	}
	pthread_mutex_unlock(&wq_held_mu);
	return rc;
}

/* Forget Q in the held list (stopped before its thread started). */
static void
wq_unhold(struct wq *q)
{
	struct wq **pp;

	pthread_mutex_lock(&wq_held_mu);
	for (pp = &wq_held; *pp != NULL; pp = &(*pp)->held_next)
		if (*pp == q) {
			*pp = q->held_next;
			break;
		}
	pthread_mutex_unlock(&wq_held_mu);
}

static int
wq_put(struct wq *q, struct wq_item *it, int now)
{
	pthread_mutex_lock(&q->mtx);
	if (q->n >= q->max) {
		q->st.dropped++;
		pthread_mutex_unlock(&q->mtx);
		return -1;
	}
	it->next = NULL;
	*q->tail = it;
	q->tail = &it->next;
	q->n++;
	q->seq_in++;
	q->st.queued++;
	q->st.depth = q->n;
	if (q->n > q->st.depth_max)
		q->st.depth_max = q->n;
	if (now)
		q->urgent = 1;
	if (q->n == 1 || q->n >= q->max / 2 || now)
		pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->mtx);
	return 0;
}

int
wq_push(struct wq *q, struct wq_item *it)
{
	return wq_put(q, it, 0);
}

int
wq_push_now(struct wq *q, struct wq_item *it)
{
	return wq_put(q, it, 1);
}

void
wq_flush(struct wq *q)
{
	uint64_t target;

	if (!q->started)
		return; /* held: nothing is written before the release */
	pthread_mutex_lock(&q->mtx);
	target = q->seq_in;
	q->urgent = 1;
	pthread_cond_signal(&q->wake);
	while (q->seq_out < target && !(q->stopping && q->n == 0))
		pthread_cond_wait(&q->done, &q->mtx);
	pthread_mutex_unlock(&q->mtx);
}

void
wq_stop(struct wq *q)
{
	if (q == NULL)
		return;
	pthread_mutex_lock(&q->mtx);
	q->stopping = 1;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->mtx);
	if (q->started)
		pthread_join(q->thread, NULL);
	else {
		/* never started (a start that failed): write what is queued
		 * here */
		wq_unhold(q);
		(void)wq_main(q);
	}
	pthread_mutex_destroy(&q->mtx);
	pthread_cond_destroy(&q->wake);
	pthread_cond_destroy(&q->done);
	free(q);
}

void
wq_get_stats(struct wq *q, struct wq_stats *st)
{
	pthread_mutex_lock(&q->mtx);
	*st = q->st;
	st->depth = q->n;
	pthread_mutex_unlock(&q->mtx);
}
