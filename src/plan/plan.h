/*
 * plan.h - inspection plans on the daemon's loop: each scheduled plan
 * runs at its times (a time that passed while the daemon was down is
 * recorded as a missed run), on demand through the control socket
 * ("plan-run NAME"); a run evaluates its checks over its devices from
 * what the daemon holds, records coverage, and is stored (store_plan.c).
 */
#ifndef NP_PLAN_H
#define NP_PLAN_H

#include <stdint.h>

#include <event2/event.h>

#include "conf.h"
#include "json.h"

struct store;
struct plan_engine;

/* plan_sched.c (pure): the next planned time of P strictly after T. */
double plan_next(const struct plan_conf *, double t);
/* The length of the period a run of P covers, in seconds. */
double plan_period(const struct plan_conf *);
/* Occurrences of P in (FROM, TO], at most MAX, into OUT: how many. */
int plan_between(
    const struct plan_conf *, double from, double to, double *out, int max);

/* STORE: the writer's (writes, queued); RO: a connection of the main
 * thread's own for reads (the writer's is its thread's alone) */
struct plan_engine *plan_new(
    struct event_base *, struct store *store, struct store *ro);
/* Take the plans of C; at the first call, record what was missed. */
void plan_configure(struct plan_engine *, const struct config *c);
/* A device answered a poll (the poller tells, through the core). */
void plan_poll_ok(struct plan_engine *, const char *device, double t);
/* Run NAME now for WHO: the run's id, or -1 with ERR. */
int64_t plan_run_now(struct plan_engine *, const char *name, const char *who,
    struct jbuf *j, char *err, size_t errlen);
void plan_status(struct plan_engine *, struct jbuf *);
/*
 * Where a run gets fresh data (the daemon's poller and configuration
 * archive): POLL_NOW asks for a poll of DEVICE and gives its polls ended
 * so far (-1: not polled), POLLS them now; FETCHES gives the fetches of
 * DEVICE ended so far (*GOOD those that went well; -1: no fetch set) and
 * FETCH_NOW asks for one (0, or -1). Unset: runs use what is held.
 */
struct plan_fresh_ops {
	int64_t (*poll_now)(void *arg, const char *device);
	int64_t (*polls)(void *arg, const char *device);
	int64_t (*fetches)(void *arg, const char *device, int64_t *good);
	int (*fetch_now)(void *arg, const char *device, const char *who);
	void *arg;
};
void plan_set_fresh(struct plan_engine *, const struct plan_fresh_ops *);
/* DONE(ARG, RUN) after each run that was done (not missed). */
void plan_on_done(
    struct plan_engine *, void (*done)(void *, int64_t), void *arg);
void plan_free(struct plan_engine *);

#endif
