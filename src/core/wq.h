/*
 * wq.h - a bounded queue drained in batches by one writer thread, so that
 * disk writes (sqlite, RRD files) stay off the event loop. What does not fit
 * is dropped and counted, never blocks the loop.
 */
#ifndef NP_WQ_H
#define NP_WQ_H

#include <pthread.h>
#include <stdint.h>

struct wq_item {
	struct wq_item *next;
};

/*
 * Called in the writer thread with a list of items; it frees them, or keeps
 * those it could not write to try again: it then returns how many ms to
 * wait before it is called again (with what came since, or with an empty
 * list), else 0; or -1: it has more to do, and is called again at once,
 * without a batch window, with what came meanwhile.
 */
typedef int (*wq_batch_fn)(void *arg, struct wq_item *list, size_t n);

struct wq_stats {
	uint64_t queued; /* accepted into the queue */
	uint64_t dropped; /* refused: queue full */
	uint64_t batches; /* batches handed to the writer */
	uint64_t written; /* items handed to the writer */
	size_t depth; /* items waiting now */
	size_t depth_max; /* highest depth seen */
};

struct wq;

struct wq *wq_start(const char *name, size_t max_items, int batch_ms,
    wq_batch_fn fn, void *arg);
/*
 * From wq_hold to wq_release, queues are made without their threads (which
 * then start with the credentials, capabilities and sandbox the process has
 * at wq_release: netpatrold drops its privileges in between). Items queued
 * meanwhile wait; wq_flush does not.
 */
void wq_hold(void);
int wq_release(void);
/* Queue an item; returns -1 (and counts a drop) when the queue is full. */
int wq_push(struct wq *, struct wq_item *);
/* Queue an item for the writer to take at once, without a batch window. */
int wq_push_now(struct wq *, struct wq_item *);
/* Wake the writer now, and wait until all queued before this is written. */
void wq_flush(struct wq *);
/* Write everything queued, then stop the thread and free the queue. */
void wq_stop(struct wq *);
void wq_get_stats(struct wq *, struct wq_stats *);

#endif
