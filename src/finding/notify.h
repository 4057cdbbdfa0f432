/*
 * notify.h - alerts to the NOC: a finding that opens, changes severity,
 * is not acknowledged in time, or is resolved is sent to every target
 * whose filters take it (an SNMP trap or inform of NETPATROL-MIB, a syslog
 * line, a mail, an exec hook). Never for a flapping, suppressed or
 * consequential finding. Failed deliveries are retried with backoff and
 * counted. Runs on the daemon's event loop; nothing here blocks.
 */
#ifndef NP_NOTIFY_H
#define NP_NOTIFY_H

#include <event2/event.h>

#include "conf.h"
#include "finding.h"
#include "json.h"

struct notifier;

struct notifier *notify_new(struct event_base *);
/* Targets from the configuration: at start and at reload. */
void notify_configure(struct notifier *, const struct config *);
/* A finding changed (a copy is taken): notify the targets it concerns. */
void notify_finding(
    struct notifier *, const struct finding *, enum finding_change);
/* Acknowledged or closed: no more escalation for it. */
void notify_settled(struct notifier *, int64_t finding_id);
/* Nothing queued or under way (escalation timers do not count). */
int notify_idle(struct notifier *);
/* Counters per target: sent, failed, retried, dropped, escalations. */
void notify_status(struct notifier *, struct jbuf *);
/* Stop: deliveries in flight get a short grace, then are dropped. */
void notify_free(struct notifier *);

#endif
