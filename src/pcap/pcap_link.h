/*
 * pcap_link.h - links' traffic counted from the wire (netpatrold.conf(5)
 * "link"): libpcap on each link's interface, opened before privileges
 * are dropped (TPACKET_V3 ring, snaplen just the headers, non-blocking,
 * its selectable descriptor on the daemon's event loop). Bytes and
 * packets in and out (the direction: the Ethernet source address against
 * the interface's own; the kernel's packet type on cooked captures),
 * per host (a bounded table: the top talkers) and per protocol/port
 * class; pcap_stats' drops. Each step: a sample set (the RRD), the last
 * values in the store, link.congested / link.ok events.
 */
#ifndef NP_PCAP_LINK_H
#define NP_PCAP_LINK_H

#include <event2/event.h>

#include "conf.h"
#include "evbus.h"
#include "json.h"
#include "sample.h"
#include "store.h"

struct pcap_engine;

/* Are C's links usable: their filters compile (with a dead handle)? */
int pcap_check_conf(const struct config *, char *err, size_t errlen);
struct pcap_engine *pcap_engine_new(struct event_base *, struct evbus *,
    struct sample_stream *, struct store *, const char *rrd_dir);
/*
 * Open the captures of C's links (as root, before the drop): a link
 * whose interface has no capture yet gets one. -1 when one cannot be
 * opened (at start: the daemon does not start; at a reload: refused).
 */
int pcap_engine_open(
    struct pcap_engine *, const struct config *, char *err, size_t errlen);
/* Take the links of C (at start and at each reload). */
void pcap_engine_configure(struct pcap_engine *, const struct config *);
void pcap_engine_status(struct pcap_engine *, struct jbuf *);
/* The control command "traffic [LINK top [N] | LINK protocols]". */
void pcap_engine_traffic(struct pcap_engine *, const char *args, struct jbuf *);
void pcap_engine_free(struct pcap_engine *);

/* The schema of a link's samples. */
extern const struct sample_schema pcap_link_schema;

#endif
