/*
 * tcp.c - syslog over TCP (RFC 6587) and TLS (RFC 5425): listeners bound
 * before privileges are dropped, one bufferevent per connection, frames
 * cut by frame.c (TLS contexts and clients' certificates: tls.c). Against floods and bad input: a bound on connections
 * (in all and per sender), a per-connection buffer bound (a message is
 * never buffered past SYSLOG_MAX_LEN), an idle timeout, a timeout for a
 * frame that never ends, and a connection closed on framing it cannot
 * trust (a lying octet count).
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>

#include "syslog/sysint.h"

static void
sysd_conn_close(struct sysd_conn *c)
{
	struct syslogd *sd = c->l->sd;

	TAILQ_REMOVE(&sd->conns, c, entry);
	sd->nconns--;
	if (c->paused)
		sd->npaused--;
	c->l->open--;
	if (!c->peer_gone)
		c->s->conns--;
	if (c->ev_frame)
		event_free(c->ev_frame);
	if (c->ev_rate)
		event_free(c->ev_rate);
	bufferevent_free(c->bev);
	free(c);
}

/*
 * Flow control: while the messages waiting for the store pass 3/4 of
 * their bound, connections are not read, so TCP makes their senders wait
 * rather than messages being dropped; they are read again below 1/2.
 */
static int
sysd_store_full(struct syslogd *sd)
{
	return store_log_queued(sd->store) > sd->budget / 4 * 3;
}

static void
sysd_resume(evutil_socket_t fd, short what, void *arg)
{
	struct syslogd *sd = arg;
	struct timeval tv = {0, 20000};
	struct sysd_conn *c;

	(void)fd;
	(void)what;
	if (store_log_queued(sd->store) > sd->budget / 2) {
		evtimer_add(sd->ev_resume, &tv);
		return;
	}
	TAILQ_FOREACH(c, &sd->conns, entry)
	{
		if (!c->paused)
			continue;
		c->paused = 0;
		sd->npaused--;
		if (c->rate_paused)
			continue;
		bufferevent_enable(c->bev, EV_READ);
		/* what was buffered before the pause */
		if (evbuffer_get_length(bufferevent_get_input(c->bev)) > 0)
			bufferevent_trigger(c->bev, EV_READ,
			    BEV_TRIG_IGNORE_WATERMARKS |
			        BEV_TRIG_DEFER_CALLBACKS);
	}
}

static void
sysd_pause(struct sysd_conn *c)
{
	struct syslogd *sd = c->l->sd;
	struct timeval tv = {0, 20000};

	if (c->paused)
		return;
	c->paused = 1;
	sd->npaused++;
	sd->pauses++;
	bufferevent_disable(c->bev, EV_READ);
	if (sd->ev_resume == NULL)
		sd->ev_resume = evtimer_new(sd->base, sysd_resume, sd);
	if (sd->ev_resume && !evtimer_pending(sd->ev_resume, NULL))
		evtimer_add(sd->ev_resume, &tv);
}

/* The sender's window ended: read again (unless the store is behind). */
static void
sysd_rate_resume(evutil_socket_t fd, short what, void *arg)
{
	struct sysd_conn *c = arg;

	(void)fd;
	(void)what;
	c->rate_paused = 0;
	if (c->paused)
		return;
	bufferevent_enable(c->bev, EV_READ);
	bufferevent_trigger(c->bev, EV_READ,
	    BEV_TRIG_IGNORE_WATERMARKS | BEV_TRIG_DEFER_CALLBACKS);
}

/*
 * The sender is over its rate: TCP does not drop for it (rsyslog does
 * not either), it stops reading the connection until the sender's window
 * ends, and the sender's TCP waits.
 */
static void
sysd_rate_pause(struct sysd_conn *c, double wait)
{
	struct timeval tv;

	if (c->rate_paused)
		return;
	if (c->ev_rate == NULL &&
	    (c->ev_rate = evtimer_new(c->l->sd->base, sysd_rate_resume, c)) ==
	        NULL)
		return;
	c->rate_paused = 1;
	c->l->rate_waits++;
	bufferevent_disable(c->bev, EV_READ);
	tv.tv_sec = (time_t)wait;
	tv.tv_usec = (suseconds_t)((wait - (double)tv.tv_sec) * 1e6) + 1000;
	evtimer_add(c->ev_rate, &tv);
}

static void sysd_conn_event(struct bufferevent *, short, void *);

/* The frames buffered: -1 when the connection was closed. */
static int
sysd_conn_frames(struct sysd_conn *c)
{
	struct bufferevent *bev = c->bev;
	struct syslogd *sd = c->l->sd;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct frame f;
	size_t len;
	int progress = 0;
	double now = sysd_now(), wait;

	c->last = now;
	while ((len = evbuffer_get_length(in)) > 0) {
		if (sysd_store_full(sd)) {
			sysd_pause(c);
			break;
		}
		if ((wait = src_wait(&sd->src, &c->s->s, now)) > 0) {
			sysd_rate_pause(c, wait);
			break;
		}
		/*
		 * The frame is looked for in what is contiguous already; only
		 * when it spans chunks are they joined, up to one message and
		 * its count.
		 */
		size_t look = evbuffer_get_contiguous_space(in);
		const char *buf =
		    (const char *)evbuffer_pullup(in, (ssize_t)look);
		enum frame_rc rc;

		if (buf == NULL)
			break;
		rc = frame_next(&c->fs, buf, look, SYSLOG_MAX_LEN, &f);
		if (rc == FRAME_NEED && len > look) {
			look = len < SYSD_STREAM_LOOK ? len : SYSD_STREAM_LOOK;
			if ((buf = (const char *)evbuffer_pullup(
			         in, (ssize_t)look)) == NULL)
				break;
			rc = frame_next(&c->fs, buf, look, SYSLOG_MAX_LEN, &f);
		}
		if (rc == FRAME_NEED)
			break;
		if (rc == FRAME_BAD) {
			c->l->bad_frames++;
			complain(&sd->c_bad, LOG_L_WARN,
			    "syslog %s: %s from %s: connection closed",
			    c->l->name, f.why, c->peer);
			sysd_flush(sd);
			sysd_conn_close(c);
			return -1;
		}
		if (rc == FRAME_MSG)
			sysd_input(
			    sd, c->l, c->s, buf + f.off, f.len, f.full, now);
		evbuffer_drain(in, f.used);
		progress = 1;
	}
	sysd_flush_soon(sd);
	/* a frame left half-sent must end within frame-timeout */
	if (evbuffer_get_length(in) == 0 && c->fs.skip == 0 && !c->fs.skip_lf)
		event_del(c->ev_frame);
	else if (progress || !event_pending(c->ev_frame, EV_TIMEOUT, NULL)) {
		struct timeval tv = {sd->frame_secs, 0};

		event_add(c->ev_frame, &tv);
	}
	return 0;
}

static void
sysd_conn_read(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)sysd_conn_frames(arg);
}

/*
 * Connections of S its peer has closed, whose end the loop has not seen
 * yet (a sender that opens a connection per message, in a burst): what
 * they sent is taken and they are closed now, not counted against the
 * sender's cap. Plain TCP only, and not while the store is behind.
 */
static void
sysd_reap(struct syslogd *sd, struct sysd_sender *s)
{
	struct sysd_conn *c, *next;

	for (c = TAILQ_FIRST(&sd->conns); c != NULL; c = next) {
		struct pollfd pfd;
		struct evbuffer *in;
		int n = -1;

		next = TAILQ_NEXT(c, entry);
		if (c->s != s || c->l->proto != LISTEN_TCP || c->peer_gone)
			continue;
		pfd.fd = bufferevent_getfd(c->bev);
		pfd.events = POLLRDHUP;
		if (poll(&pfd, 1, 0) != 1 ||
		    !(pfd.revents & (POLLRDHUP | POLLHUP | POLLERR)))
			continue;
		in = bufferevent_get_input(c->bev);
		/* (the bufferevent keeps its input's end frozen but for
		 * its own reads) */
		evbuffer_unfreeze(in, 0);
		while (evbuffer_get_length(in) < SYSD_STREAM_BUF &&
		    (n = evbuffer_read(in, pfd.fd, SYSD_STREAM_BUF)) > 0)
			;
		evbuffer_freeze(in, 0);
		if (n != 0) /* not its end (more than a burst's, an error) */
			continue;
		if (evbuffer_get_length(in) >= SYSD_STREAM_BUF)
			continue; /* more than a burst's: read as usual */
		/* what it sent is buffered whole: its place is free */
		c->peer_gone = 1;
		s->conns--;
		c->l->reaped++;
		/* (waiting for the store or the rate: read when it resumes,
		 * then its end) */
		if (c->paused || c->rate_paused ||
		    sysd_conn_frames(c) == -1 || c->paused || c->rate_paused)
			continue;
		sysd_conn_event(c->bev, BEV_EVENT_EOF | BEV_EVENT_READING, c);
	}
}

/* The connection idle longest. */
static struct sysd_conn *
sysd_oldest_idle(struct syslogd *sd)
{
	struct sysd_conn *c, *old = NULL;

	TAILQ_FOREACH(c, &sd->conns, entry)
	if (old == NULL || c->last < old->last)
		old = c;
	return old;
}

static void
sysd_conn_frame_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct sysd_conn *c = arg;

	(void)fd;
	(void)what;
	c->l->timeouts++;
	complain(&c->l->sd->c_conn, LOG_L_WARN,
	    "syslog %s: %s did not finish a frame in %d s: connection closed",
	    c->l->name, c->peer, c->l->sd->frame_secs);
	sysd_conn_close(c);
}

static void
sysd_conn_event(struct bufferevent *bev, short what, void *arg)
{
	struct sysd_conn *c = arg;
	struct syslogd *sd = c->l->sd;

	if (what & BEV_EVENT_TIMEOUT) {
		c->l->timeouts++;
		log_debug("syslog %s: %s idle for %d s: connection closed",
		    c->l->name, c->peer, sd->idle_secs);
	} else if (what & BEV_EVENT_ERROR) {
		if (c->l->proto == LISTEN_TLS)
			sysd_tls_failed(c, bev);
	} else if (what & BEV_EVENT_CONNECTED) {
		/* a TLS handshake done */
		if (c->l->proto == LISTEN_TLS)
			sysd_tls_connected(c);
		return;
	} else if (!(what & BEV_EVENT_EOF))
		return;
	/* what the peer sent last, even without its final LF */
	if ((what & BEV_EVENT_EOF) && c->fs.mode == FRAME_LF &&
	    !c->fs.skip_lf) {
		struct evbuffer *in = bufferevent_get_input(bev);
		size_t len = evbuffer_get_length(in);

		if (len > 0 && len <= SYSLOG_MAX_LEN)
			sysd_input(sd, c->l, c->s,
			    (const char *)evbuffer_pullup(in, (ssize_t)len),
			    len, len, sysd_now());
	}
	sysd_flush(sd);
	sysd_conn_close(c);
}

static void
sysd_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct sysd_listener *l = arg;
	struct syslogd *sd = l->sd;
	struct sysd_conn *c;
	struct sysd_sender *s;
	struct timeval idle = {sd->idle_secs, 0};
	char addr[64];

	(void)lev;
	(void)salen;
	inv_addr_text(sa, addr, sizeof(addr));
	s = (struct sysd_sender *)src_sender_sa(&sd->src, sa);
	if (s->conns >= sd->max_conns_sender && &s->s != sd->src.other)
		sysd_reap(sd, s);
	if (sd->nconns >= sd->max_conns &&
	    !(s->conns >= sd->max_conns_sender && &s->s != sd->src.other)) {
		/* full: the connection idle longest goes for this one */
		struct sysd_conn *old = sysd_oldest_idle(sd);

		if (old != NULL) {
			old->l->evicted++;
			complain(&sd->c_conn, LOG_L_WARN,
			    "syslog %s: %d connections open (max-connections): "
			    "%s, idle for %.0f s, closed for %s",
			    old->l->name, sd->nconns, old->peer,
			    sysd_now() - old->last, addr);
			sysd_flush(sd);
			sysd_conn_close(old);
		}
	}
	if (sd->nconns >= sd->max_conns ||
	    (s->conns >= sd->max_conns_sender && &s->s != sd->src.other)) {
		l->refused++;
		complain(&sd->c_conn, LOG_L_WARN,
		    "syslog %s: connection from %s refused: %d open (%d from "
		    "it; max-connections %d per-sender %d)",
		    l->name, addr, sd->nconns, s->conns, sd->max_conns,
		    sd->max_conns_sender);
		evutil_closesocket(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	c->l = l;
	c->s = s;
	c->last = sysd_now();
	snprintf(c->peer, sizeof(c->peer), "%s", addr);
	if (l->proto == LISTEN_TLS) {
		SSL *ssl = sysd_tls_ssl(c);

		c->bev = ssl
		    ? bufferevent_openssl_socket_new(sd->base, fd, ssl,
		          BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE)
		    : NULL;
		if (c->bev == NULL && ssl)
			SSL_free(ssl);
		/* a peer that closes without close_notify: an end, not an
		 * error (what it sent whole is taken) */
		if (c->bev)
			bufferevent_openssl_set_allow_dirty_shutdown(c->bev, 1);
	} else
		c->bev =
		    bufferevent_socket_new(sd->base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->ev_frame = evtimer_new(sd->base, sysd_conn_frame_timeout, c);
	if (c->bev == NULL || c->ev_frame == NULL) {
		if (c->bev)
			bufferevent_free(c->bev);
		else
			evutil_closesocket(fd);
		if (c->ev_frame)
			event_free(c->ev_frame);
		free(c);
		return;
	}
	/* the buffer bound: reads of 64 KB, stopped past 64 KB buffered */
	bufferevent_setwatermark(c->bev, EV_READ, 0, SYSD_STREAM_BUF);
	bufferevent_set_max_single_read(c->bev, SYSD_STREAM_BUF);
	bufferevent_set_timeouts(c->bev, &idle, NULL);
	bufferevent_setcb(c->bev, sysd_conn_read, NULL, sysd_conn_event, c);
	bufferevent_enable(c->bev, EV_READ);
	TAILQ_INSERT_TAIL(&sd->conns, c, entry);
	sd->nconns++;
	l->open++;
	l->accepted++;
	s->conns++;
}

int
sysd_tcp_open(struct syslogd *sd, struct sysd_listener *l,
    const struct listen_conf *lc, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	int on = 1;

	if (lc->proto == LISTEN_TLS &&
	    (l->tls = sysd_tls_new(lc, err, errlen)) == NULL)
		return -1;
	memset(&ss, 0, sizeof(ss));
	if (strchr(lc->address, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(lc->port);
		inet_pton(AF_INET6, lc->address, &s6->sin6_addr);
		sslen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(lc->port);
		inet_pton(AF_INET, lc->address, &s4->sin_addr);
		sslen = sizeof(*s4);
	}
	l->fd =
	    socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd == -1) {
		snprintf(err, errlen, "listen syslog %s %s: %s", l->transport,
		    lc->address, strerror(errno));
		return -1;
	}
	(void)setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss.ss_family == AF_INET6)
		(void)setsockopt(
		    l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(l->fd, (struct sockaddr *)&ss, sslen) == -1 ||
	    listen(l->fd, 128) == -1) {
		snprintf(err, errlen, "listen syslog %s %s port %u: %s",
		    l->transport, lc->address, lc->port, strerror(errno));
		close(l->fd);
		l->fd = -1;
		return -1;
	}
	l->lev = evconnlistener_new(
	    sd->base, sysd_accept, l, LEV_OPT_CLOSE_ON_FREE, -1, l->fd);
	if (l->lev == NULL) {
		snprintf(err, errlen, "listen syslog %s %s: no listener",
		    l->transport, lc->address);
		close(l->fd);
		l->fd = -1;
		return -1;
	}
	return 0;
}

void
sysd_tcp_close_all(struct syslogd *sd)
{
	struct sysd_conn *c;

	while ((c = TAILQ_FIRST(&sd->conns)) != NULL)
		sysd_conn_close(c);
	if (sd->ev_resume) {
		event_free(sd->ev_resume);
		sd->ev_resume = NULL;
	}
}

void
sysd_tcp_free(struct sysd_listener *l)
{
	if (l->lev) {
		evconnlistener_free(l->lev);
		l->lev = NULL;
		l->fd = -1;
	}
	sysd_tls_free(l->tls);
	l->tls = NULL;
}
