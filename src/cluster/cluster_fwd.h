/*
 * cluster_fwd.h - in a cluster, the events of a device received by a node
 * that does not poll it (a trap or a syslog message sent to that node)
 * are taken to the node that does, through PostgreSQL: that node follows
 * the device's findings, so a fault makes one finding whichever node
 * heard of it. The receiving node stores the event too (its events and
 * traps say what it received).
 *
 * Table np_forward: one row an event, addressed by device; the node that
 * holds the device's lease (np_leases) takes the rows and deletes them in
 * the same statement. NOTIFY np_forward wakes the nodes at once. Rows no
 * node took within an hour (the device held by nobody) are dropped,
 * counted.
 *
 * The database work runs on a thread of its own (libpq blocks); events
 * are handed over through a bounded queue each way.
 */
#ifndef NP_CLUSTER_FWD_H
#define NP_CLUSTER_FWD_H

#include <event2/event.h>

#include "conf.h"
#include "event.h"
#include "json.h"

struct cluster_fwd;

/* An event another node received for a device this node holds; FROM is
 * that node's name. On the loop; EV may be changed and kept. */
typedef void (*cluster_fwd_fn)(void *arg, struct np_event *ev,
    const char *from);

struct cluster_fwd *cluster_fwd_start(struct event_base *,
    const struct config *, cluster_fwd_fn, void *arg, char *err,
    size_t errlen);
/* Queue EV for the node that polls its device: 0, or -1 when the queue
 * is full (counted: the caller keeps the event). */
int cluster_fwd_put(struct cluster_fwd *, const struct np_event *ev);
/* "forward": {...} in the status's "cluster" object. */
void cluster_fwd_status(struct cluster_fwd *, struct jbuf *);
/* Send what is queued (bounded by the statement timeout), then stop. */
void cluster_fwd_stop(struct cluster_fwd *);

#endif
