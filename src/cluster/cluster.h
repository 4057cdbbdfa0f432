/*
 * cluster.h - several netpatrold nodes sharing the devices: each node
 * renews its row in PostgreSQL and holds a lease on the devices it polls;
 * the devices are spread over the live nodes by rendezvous hashing, a
 * device changes hands only once its lease is released or has expired (no
 * device polled by two nodes at once), and a node that stops renewing
 * loses its devices to the others within the lease time.
 *
 * The database work runs on a thread of its own (libpq blocks); the event
 * loop is told which devices this node holds through ON_OWNED.
 */
#ifndef NP_CLUSTER_H
#define NP_CLUSTER_H

#include <stddef.h>

#include <event2/event.h>

#include "conf.h"
#include "json.h"

struct cluster;

/* The devices this node holds now (NAMES, N of them), on the loop. */
typedef void (*cluster_owned_fn)(void *arg, char *const *names, size_t n);

/*
 * Start the cluster's thread for CONF (its cluster block and devices).
 * NULL with ERR when it cannot start (not built with libpq, no thread).
 */
struct cluster *cluster_start(struct event_base *, const struct config *,
    cluster_owned_fn, void *arg, char *err, size_t errlen);
/* A new configuration's devices (the cluster block needs a restart). */
void cluster_configure(struct cluster *, const struct config *);
/* Release this node's leases (the others take them at once) and stop. */
void cluster_stop(struct cluster *);
/* The status part's keys, in the "cluster" object (short). */
void cluster_status(struct cluster *, struct jbuf *);
/* The control command's answer: nodes, leases (FULL: every lease). */
void cluster_describe(struct cluster *, struct jbuf *, int full);
/* Rendezvous: the node of NODES (N) that DEVICE goes to (-1: none). */
int cluster_pick(const char *device, char *const *nodes, size_t n);

#endif
