/*
 * poller.h - the SNMP poll scheduler: every device on its interval, at
 * most max-inflight polled at once, all on the daemon's one event loop.
 */
#ifndef NP_SNMP_POLLER_H
#define NP_SNMP_POLLER_H

#include <event2/event.h>

#include "conf.h"
#include "evbus.h"
#include "inventory.h"
#include "json.h"
#include "sample.h"
#include "store.h"

struct poller;

/* A poll of DEVICE that began at START went well. */
typedef void (*poller_ok_fn)(void *arg, const char *device, double start);

/*
 * What the polls measure goes to SAMPLES (the RRD writer and the other
 * sinks); RRD_DIR is where the RRD files are named, for the store. The
 * poller keeps INV: the configuration's devices, their sysNames and ports.
 */
struct poller *poller_new(struct event_base *, struct store *, struct evbus *,
    struct sample_stream *samples, struct inventory *inv,
    const char *rrd_dir, const char *store_path);
/* Apply a (new) configuration: add, change and remove devices (in the
 * inventory too). */
void poller_configure(struct poller *, const struct config *);
void poller_free(struct poller *);
void poller_on_ok(struct poller *, poller_ok_fn, void *arg);
/*
 * Poll DEVICE now (an inspection asks): a queued poll is the one; a poll
 * under way began before the asking, so another follows it at once. The
 * count of polls to wait past (the answer is in when the device's polls
 * ended grow over it), or -1 when it is not a polled device.
 */
int64_t poller_poll_now(struct poller *, const char *device);
/*
 * A cluster (cluster { node ... }): the poller polls only the devices it
 * is given, NAMES (N of them), which the leases give this node; those
 * newly given are polled at once, those taken away are no longer polled
 * (a poll under way ends). Without a cluster every device is polled.
 * Returns how many devices changed hands, or -1 out of memory.
 */
int poller_own(struct poller *, char *const *names, size_t n);
/* 1: this node polls DEVICE; 0: another node of the cluster does (or
 * none yet); -1: no such device configured. */
int poller_mine(struct poller *, const char *device);
/* DEVICE's polls ended so far, or -1. */
int64_t poller_polls(struct poller *, const char *device);
/* Live state for the control socket. */
void poller_status(struct poller *, struct jbuf *);
#endif
