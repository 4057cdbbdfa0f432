/*
 * probe.h - reachability and latency probes (ICMP echo, TCP connect) on
 * the daemon's event loop. One ICMP socket per address family, opened
 * before privileges are dropped (raw, or the unprivileged ping socket
 * when raw is refused); replies matched by identifier and sequence; the
 * receive time from the kernel (SO_TIMESTAMPNS). One schedule for every
 * probe (a heap of due times behind one timer), so thousands of targets
 * cost no timer per packet. Each step's summary goes into the sample
 * stream (an RRD in SmokePing's layout), the store (the last step) and
 * the event bus (probe.down/up, probe.loss, probe.latency, probe.ok).
 */
#ifndef NP_PROBE_H
#define NP_PROBE_H

#include <stddef.h>

#include <event2/event.h>

#include "conf.h"
#include "evbus.h"
#include "json.h"
#include "sample.h"
#include "store.h"

struct probe_engine;

/* Is C's probes' part usable (addresses known, families)? */
int probe_check_conf(const struct config *, char *err, size_t errlen);
struct probe_engine *probe_new(struct event_base *, struct evbus *,
    struct sample_stream *, struct store *, const char *rrd_dir);
/*
 * Open the ICMP sockets (as root, before the drop). Failure is an error
 * only when C has ICMP probes of that family; the reason is kept for
 * status.
 */
int probe_open(struct probe_engine *, const struct config *, char *err,
    size_t errlen);
/* Take the probes of C (at start and at each reload). */
void probe_configure(struct probe_engine *, const struct config *);
void probe_status(struct probe_engine *, struct jbuf *);
void probe_free(struct probe_engine *);

/* The schema of a probe of COUNT tries: uptime, loss, median, ping1..N. */
const struct sample_schema *probe_schema(int count);

#endif
