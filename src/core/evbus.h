/*
 * evbus.h - the event pipe: every event of every source (polling, traps,
 * syslog, ...) goes through it. It gives the event its id, shows it to the
 * stages that follow events (findings), then has it stored. One bus per
 * daemon, used from the event loop only.
 */
#ifndef NP_EVBUS_H
#define NP_EVBUS_H

#include "event.h"
#include "store.h"

#define EVBUS_MAX_SUBSCRIBERS 8

typedef void (*evbus_fn)(void *arg, const struct np_event *);
/* 1 when EV is another node's to follow (taken to it), 0 when this one's */
typedef int (*evbus_route_fn)(void *arg, const struct np_event *);

struct evbus {
	struct store *store;
	int64_t next_id, id_end; /* ids to use: [next_id, id_end) */
	struct {
		evbus_fn fn;
		void *arg;
	} sub[EVBUS_MAX_SUBSCRIBERS];
	int nsub;
	evbus_route_fn route; /* a cluster's: NULL, every event is ours */
	void *route_arg;
	uint64_t emitted, dropped, routed;
};

/* Ids go on from the highest the store holds. */
void evbus_init(struct evbus *, struct store *);
int evbus_subscribe(struct evbus *, evbus_fn, void *arg);
/* A module that stops before the others leaves the bus. */
void evbus_unsubscribe(struct evbus *, evbus_fn, void *arg);
/*
 * In a cluster, the events of the devices another node polls are that
 * node's to follow (findings, archive): ROUTE takes them there, and the
 * subscribers here do not see them (they are stored here all the same).
 */
void evbus_set_route(struct evbus *, evbus_route_fn, void *arg);
/*
 * Give EV its id and show it to the subscribers. evbus_emit() also queues
 * it for the store (-1 when the store's queue is full: counted, and the
 * subscribers saw it); a caller that stores it with more (a trap, a syslog
 * message) uses evbus_announce() and stores it itself.
 */
int evbus_emit(struct evbus *, struct np_event *ev);
/* 1 when EV went to another node (evbus_set_route), else 0 */
int evbus_announce(struct evbus *, struct np_event *ev);

#endif
