/*
 * resolve.h - host names to addresses without blocking the event loop:
 * libevent's evdns on the daemon's event_base, with the system's
 * resolv.conf and hosts file, a bounded timeout, IPv4 preferred.
 */
#ifndef NP_RESOLVE_H
#define NP_RESOLVE_H

#include <stddef.h>

#include <event2/event.h>

#define RESOLVE_ADDRSTRLEN 64

struct evdns_base;
struct resolve;

/*
 * The answer: OK and the address as a literal ("192.0.2.1", "2001:db8::1"),
 * or not OK and why.
 */
typedef void (*resolve_cb)(void *arg, int ok, const char *text);

/*
 * A resolver on BASE: the system's name servers, search list and hosts
 * file, each query given TIMEOUT seconds and ATTEMPTS tries at most.
 */
struct evdns_base *resolve_base_new(
    struct event_base *, int timeout, int attempts, char *err, size_t errlen);
void resolve_base_free(struct evdns_base *);

/* NAME is an IPv4 or IPv6 literal: nothing to resolve. */
int resolve_is_literal(const char *name);

/*
 * Resolve NAME; CB is called once, from the loop or, when the answer is
 * known at once (a literal, the hosts file, a name under .invalid, which
 * RFC 6761 says never to send), before this returns NULL. Otherwise the
 * request, to cancel with resolve_cancel() (then CB is not called).
 */
struct resolve *resolve_start(
    struct evdns_base *, const char *name, resolve_cb cb, void *arg);
void resolve_cancel(struct resolve *);

#endif
