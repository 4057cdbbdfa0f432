/*
 * syslogd.h - the syslog receiver, on the daemon's event loop: UDP (read
 * in batches), TCP with RFC 6587 framing and TLS (RFC 5425) listeners,
 * IPv4 and IPv6; every message parsed (syslog/parse.h), its sender mapped
 * to a device, turned into an event when a rule says so, and stored with
 * its raw bytes in batches; counters per listener and sender; rate limits,
 * connection limits and timeouts against floods and bad input.
 */
#ifndef NP_SYSLOG_SYSLOGD_H
#define NP_SYSLOG_SYSLOGD_H

#include <event2/event.h>

#include "conf.h"
#include "evbus.h"
#include "json.h"
#include "inventory.h"
#include "store.h"

struct syslogd;

struct syslogd *syslogd_new(
    struct event_base *, struct store *, struct evbus *);
/* Read the TLS listeners' certificates, keys and CAs, as a check:
 * 0, or -1 and "FILE:LINE: message" in ERR. */
int syslogd_check_conf(const struct config *, char *err, size_t errlen);
/* Bind the configured listeners and read TLS keys (before privileges are
 * dropped). */
int syslogd_listen(struct syslogd *, const struct config *, char *err, size_t);
/* Rules, limits, retention: at start and at reload; senders and host
 * names are mapped to devices through the inventory. */
void syslogd_configure(
    struct syslogd *, const struct config *, struct inventory *);
void syslogd_status(struct syslogd *, struct jbuf *);
/* Close the connections, store what is pending, free. */
void syslogd_free(struct syslogd *);

#endif
