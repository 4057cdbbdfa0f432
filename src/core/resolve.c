/*
 * resolve.c - non-blocking name resolution through evdns (see resolve.h).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/dns.h>
#include <event2/util.h>

#include "resolve.h"

struct resolve {
	struct evdns_getaddrinfo_request *req;
	resolve_cb cb;
	void *arg;
	int cancelled; /* freed when evdns says it is done */
};

struct evdns_base *
resolve_base_new(struct event_base *base, int timeout, int attempts, char *err,
    size_t errlen)
{
	struct evdns_base *dns;
	char t[16], a[16];

	/* resolv.conf and the hosts file; no sockets kept while idle */
	dns = evdns_base_new(base,
	    EVDNS_BASE_INITIALIZE_NAMESERVERS |
	        EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	if (dns == NULL) {
		snprintf(err, errlen, "cannot start the resolver");
		return NULL;
	}
	snprintf(t, sizeof(t), "%d", timeout > 0 ? timeout : 2);
	snprintf(a, sizeof(a), "%d", attempts > 0 ? attempts : 2);
	if (evdns_base_set_option(dns, "timeout:", t) != 0 ||
	    evdns_base_set_option(dns, "attempts:", a) != 0) {
		snprintf(err, errlen, "cannot bound the resolver's timeout");
		evdns_base_free(dns, 0);
		return NULL;
	}
	return dns;
}

void
resolve_base_free(struct evdns_base *dns)
{
	if (dns)
		evdns_base_free(dns, 0);
}

int
resolve_is_literal(const char *name)
{
	struct in6_addr a6;
	struct in_addr a4;

	return evutil_inet_pton(AF_INET, name, &a4) == 1 ||
	    evutil_inet_pton(AF_INET6, name, &a6) == 1;
}

/* RFC 6761 6.4: "invalid" and names under it never resolve. */
static int
resolve_is_invalid(const char *name)
{
	size_t n = strlen(name);

	while (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 7 && strncasecmp(name, "invalid", 7) == 0)
		return 1;
	return n > 8 && strncasecmp(name + n - 8, ".invalid", 8) == 0;
}

static void
resolve_done(int result, struct evutil_addrinfo *res, void *arg)
{
	struct resolve *r = arg;
	const struct evutil_addrinfo *ai, *pick = NULL;
	char buf[RESOLVE_ADDRSTRLEN];

	if (r->cancelled || result == EVUTIL_EAI_CANCEL) {
		if (res)
			evutil_freeaddrinfo(res);
		free(r);
		return;
	}
	r->req = NULL;
	if (result != 0) {
		r->cb(r->arg, 0, evutil_gai_strerror(result));
		free(r);
		return;
	}
	/* IPv4 first: agents listen there more often than on IPv6 */
	for (ai = res; ai && pick == NULL; ai = ai->ai_next)
		if (ai->ai_family == AF_INET)
			pick = ai;
	for (ai = res; ai && pick == NULL; ai = ai->ai_next)
		if (ai->ai_family == AF_INET6)
			pick = ai;
	if (pick == NULL ||
	    evutil_inet_ntop(pick->ai_family,
	        pick->ai_family == AF_INET
	            ? (const void *)&((const struct sockaddr_in *)pick->ai_addr)
	                  ->sin_addr
	            : (const void *)&(
	                  (const struct sockaddr_in6 *)pick->ai_addr)
	                  ->sin6_addr,
	        buf, sizeof(buf)) == NULL)
		r->cb(r->arg, 0, "no IPv4 or IPv6 address");
	else
		r->cb(r->arg, 1, buf);
	if (res)
		evutil_freeaddrinfo(res);
	free(r);
}

struct resolve *
resolve_start(
    struct evdns_base *dns, const char *name, resolve_cb cb, void *arg)
{
	struct evutil_addrinfo hints;
	struct evdns_getaddrinfo_request *req;
	struct resolve *r;

	if (resolve_is_literal(name)) {
		cb(arg, 1, name);
		return NULL;
	}
	if (resolve_is_invalid(name)) {
		cb(arg, 0, "a name under .invalid does not resolve (RFC 6761)");
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		cb(arg, 0, "out of memory");
		return NULL;
	}
	r->cb = cb;
	r->arg = arg;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	/* (when the answer is at hand, resolve_done ran and freed R) */
	if ((req = evdns_getaddrinfo(
	         dns, name, NULL, &hints, resolve_done, r)) == NULL)
		return NULL;
	r->req = req;
	return r;
}

void
resolve_cancel(struct resolve *r)
{
	if (r == NULL)
		return;
	r->cancelled = 1;
	if (r->req)
		evdns_getaddrinfo_cancel(r->req);
}
