/*
 * notify_syslog.c - findings forwarded as RFC 5424 syslog messages, with
 * the finding in structured data (SD-ID netpatrol@32473): over UDP (RFC
 * 5426, one datagram each, at most 2048 octets) or TCP with octet
 * counting (RFC 6587), the connection kept and made again after a fault.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "event.h"
#include "notify_int.h"

#define NSYSLOG_UDP_MAX 2048
#define NSYSLOG_MAX 8192

struct nsyslog {
	struct ntarget *t;
	struct sockaddr_storage sa;
	socklen_t salen;
	int fd; /* UDP */
	struct bufferevent *bev; /* TCP */
	int sending; /* TCP: a message is in the output buffer */
	char host[256];
};

/* PARAM-VALUE: '"', '\' and ']' escaped (RFC 5424 6.3.3). */
static size_t
nsyslog_param(char *out, size_t size, const char *name, const char *v)
{
	size_t o;

	if (size == 0)
		return 0;
	o = (size_t)snprintf(out, size, " %s=\"", name);
	if (o >= size)
		return size;
	for (; *v && o + 3 < size; v++) {
		if (*v == '"' || *v == '\\' || *v == ']')
			out[o++] = '\\';
		/* no line breaks inside a message */
		out[o++] = (*v == '\n' || *v == '\r') ? ' ' : *v;
	}
	if (o + 1 < size)
		out[o++] = '"';
	out[o] = '\0';
	return o;
}

static int
nsyslog_pri(
    const struct ntarget *t, const struct finding *f, enum finding_change c)
{
	static const int sev[] = {6, 4, 4, 3, 2}; /* info .. critical */
	int s = (unsigned)f->severity <= SEV_CRITICAL ? sev[f->severity] : 5;

	if (c == FC_RESOLVE)
		s = 5; /* notice */
	return t->c.facility * 8 + s;
}

/* The message, without framing; its length. */
static size_t
nsyslog_format(struct nsyslog *ns, const struct nmsg *m, char *buf, size_t size,
    size_t max)
{
	const struct finding *f = &m->nf->f;
	char ts[40], text[1024], num[32];
	size_t o, room;

	o = (size_t)snprintf(buf, size,
	    "<%d>1 %s %s netpatrold %ld %s "
	    "[netpatrol@32473",
	    nsyslog_pri(ns->t, f, m->change),
	    event_time_rfc3339(notify_now(), ts, sizeof(ts)), ns->host,
	    (long)getpid(), finding_change_name(m->change));
	snprintf(num, sizeof(num), "%lld", (long long)f->id);
	o += nsyslog_param(buf + o, size - o, "id", num);
	o += nsyslog_param(
	    buf + o, size - o, "change", finding_change_name(m->change));
	o += nsyslog_param(buf + o, size - o, "device", f->device);
	o += nsyslog_param(buf + o, size - o, "key", f->key);
	o += nsyslog_param(buf + o, size - o, "object", f->object);
	o += nsyslog_param(buf + o, size - o, "kind", f->kind);
	o += nsyslog_param(
	    buf + o, size - o, "severity", notify_severity_name(f->severity));
	o += nsyslog_param(
	    buf + o, size - o, "state", finding_state_name(f->state));
	snprintf(num, sizeof(num), "%d", f->priority);
	o += nsyslog_param(buf + o, size - o, "priority", num);
	o += nsyslog_param(
	    buf + o, size - o, "role", finding_role_name(f->role));
	o += nsyslog_param(buf + o, size - o, "owner", f->owner);
	o += nsyslog_param(buf + o, size - o, "location", f->location);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)f->count);
	o += nsyslog_param(buf + o, size - o, "events", num);
	o += nsyslog_param(buf + o, size - o, "target", ns->t->c.name);
	if (o + 8 >= size)
		return 0;
	/* MSG: UTF-8, so it starts with a BOM (RFC 5424 6.4) */
	o += (size_t)snprintf(buf + o, size - o, "] \xef\xbb\xbf");
	notify_text(f, text, sizeof(text));
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	room = (max < size ? max : size - 1) - o;
	snprintf(buf + o, size - o, "%s", text);
	/* cut to fit a datagram, never inside a character */
	return o + notify_utf8_cut(buf + o, room);
}

static void
nsyslog_host(char *host, size_t len)
{
	char *p;

	if (gethostname(host, len) == -1 || host[0] == '\0')
		snprintf(host, len, "-");
	host[len - 1] = '\0';
	for (p = host; *p; p++)
		if (*p <= ' ' || *p >= 127)
			*p = '_';
}

static int
nsyslog_open(struct ntarget *t, char *err, size_t errlen)
{
	struct nsyslog *ns = calloc(1, sizeof(*ns));
	struct sockaddr_in *sin;
	struct sockaddr_in6 *sin6;

	if (ns == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ns->t = t;
	ns->fd = -1;
	nsyslog_host(ns->host, sizeof(ns->host));
	sin = (struct sockaddr_in *)&ns->sa;
	sin6 = (struct sockaddr_in6 *)&ns->sa;
	if (inet_pton(AF_INET, t->c.address, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(t->c.port);
		ns->salen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, t->c.address, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(t->c.port);
		ns->salen = sizeof(*sin6);
	} else {
		snprintf(err, errlen, "bad address %s", t->c.address);
		free(ns);
		return -1;
	}
	if (t->c.proto == LISTEN_UDP) {
		/* connected: the peer's ICMP errors come back as send errors */
		if ((ns->fd = socket(ns->sa.ss_family,
		         SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1 ||
		    connect(ns->fd, (struct sockaddr *)&ns->sa, ns->salen) ==
		        -1) {
			snprintf(err, errlen, "syslog udp %s: %s", t->c.address,
			    strerror(errno));
			if (ns->fd != -1)
				close(ns->fd);
			free(ns);
			return -1;
		}
	}
	t->tp = ns;
	return 0;
}

static void
nsyslog_close(struct ntarget *t)
{
	struct nsyslog *ns = t->tp;

	if (ns == NULL)
		return;
	if (ns->fd != -1)
		close(ns->fd);
	if (ns->bev != NULL)
		bufferevent_free(ns->bev);
	free(ns);
	t->tp = NULL;
}

/* TCP: the message left the output buffer. */
static void
nsyslog_on_write(struct bufferevent *bev, void *arg)
{
	struct nsyslog *ns = arg;

	(void)bev;
	if (!ns->sending)
		return;
	ns->sending = 0;
	notify_done(ns->t, 1, NULL);
}

static void
nsyslog_on_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	/* a receiver says nothing: whatever it sends is discarded */
	evbuffer_drain(bufferevent_get_input(bev),
	    evbuffer_get_length(bufferevent_get_input(bev)));
}

static void
nsyslog_on_event(struct bufferevent *bev, short what, void *arg)
{
	struct nsyslog *ns = arg;
	struct ntarget *t = ns->t;
	char err[256];
	int sending = ns->sending;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED)
		return;
	if (what & BEV_EVENT_TIMEOUT)
		snprintf(err, sizeof(err), "syslog tcp %s port %u: timed out",
		    t->c.address, t->c.port);
	else if (what & BEV_EVENT_EOF)
		snprintf(err, sizeof(err),
		    "syslog tcp %s port %u: closed by "
		    "the receiver",
		    t->c.address, t->c.port);
	else
		snprintf(err, sizeof(err), "syslog tcp %s port %u: %s",
		    t->c.address, t->c.port,
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	/* the connection is gone: the next message makes a new one */
	nsyslog_close(t);
	if (sending)
		notify_done(t, 0, err);
}

static int
nsyslog_send(struct ntarget *t, struct nmsg *m, char *err, size_t errlen)
{
	struct nsyslog *ns = t->tp;
	char buf[NSYSLOG_MAX + 16];
	struct timeval tv = {t->c.timeout, 0};
	size_t len;
	int hdr;

	if (t->c.proto == LISTEN_UDP) {
		len = nsyslog_format(ns, m, buf, sizeof(buf), NSYSLOG_UDP_MAX);
		if (send(ns->fd, buf, len, 0) == -1) {
			snprintf(err, errlen, "syslog udp %s port %u: %s",
			    t->c.address, t->c.port, strerror(errno));
			return -1;
		}
		return 0;
	}
	/* TCP: "LEN SP MSG" (RFC 6587 octet counting) */
	len = nsyslog_format(ns, m, buf + 16, sizeof(buf) - 16, NSYSLOG_MAX);
	hdr = snprintf(buf, 16, "%zu ", len);
	memmove(buf + hdr, buf + 16, len);
	if (ns->bev == NULL) {
		ns->bev = bufferevent_socket_new(notify_base(t->n), -1,
		    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
		if (ns->bev == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		bufferevent_setcb(ns->bev, nsyslog_on_read, nsyslog_on_write,
		    nsyslog_on_event, ns);
		bufferevent_set_timeouts(ns->bev, NULL, &tv);
		bufferevent_enable(ns->bev, EV_READ | EV_WRITE);
		if (bufferevent_socket_connect(ns->bev,
		        (struct sockaddr *)&ns->sa, (int)ns->salen) == -1) {
			snprintf(err, errlen,
			    "syslog tcp %s port %u: cannot "
			    "connect",
			    t->c.address, t->c.port);
			bufferevent_free(ns->bev);
			ns->bev = NULL;
			return -1;
		}
	}
	ns->sending = 1;
	if (bufferevent_write(ns->bev, buf, (size_t)hdr + len) == -1) {
		ns->sending = 0;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 1;
}

static void
nsyslog_status(struct ntarget *t, struct jbuf *j)
{
	struct nsyslog *ns = t->tp;

	if (t->c.proto == LISTEN_TCP)
		json_kbool(j, "connected", ns->bev != NULL);
}

const struct ntransport notify_syslog_transport = {
    nsyslog_open, nsyslog_send, nsyslog_close, nsyslog_status};
