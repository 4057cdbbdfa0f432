/*
 * poller.h - the SNMP poll scheduler: every device on its interval, at
 * most max-inflight polled at once, all on the daemon's one event loop.
 */
#ifndef NP_SNMP_POLLER_H
#define NP_SNMP_POLLER_H

#include <event2/event.h>

#include "conf.h"
#include "evbus.h"
#include "json.h"
#include "sample.h"
#include "store.h"

struct poller;

/* A poll of DEVICE that began at START went well. */
typedef void (*poller_ok_fn)(void *arg, const char *device, double start);

/*
 * What the polls measure goes to SAMPLES (the RRD writer and the other
 * sinks); RRD_DIR is where the RRD files are named, for the store.
 */
struct poller *poller_new(struct event_base *, struct store *, struct evbus *,
    struct sample_stream *samples, const char *rrd_dir,
    const char *store_path);
/* Apply a (new) configuration: add, change and remove devices. */
void poller_configure(struct poller *, const struct config *);
void poller_free(struct poller *);
void poller_on_ok(struct poller *, poller_ok_fn, void *arg);
/* Live state for the control socket. */
void poller_status(struct poller *, struct jbuf *);
/* Look up a device's port name by ifIndex (for traps); NULL if unknown. */
const char *poller_port_name(
    struct poller *, const char *device, unsigned ifindex);
/*
 * Find a device's port by the name a message gives it (syslog): its
 * ifName, its ifDescr, or either in another common form
 * ("GigabitEthernet1/0/3" for "Gi1/0/3", "Ethernet1/1" for "Eth1/1").
 * The poller's name for it, or NULL.
 */
const char *poller_port_find(
    struct poller *, const char *device, const char *name);

#endif
