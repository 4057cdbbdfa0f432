/*
 * test_rxpace.c - a busy datagram socket is read on a timer, a quiet one
 * at its wake-ups (src/core/rxpace.c): with real UDP sockets on
 * 127.0.0.1 and a libevent loop, nothing lost or reordered, the switch
 * to the timer on a burst and back once quiet, reads cut short by their
 * share of the loop resumed.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "rxpace.h"
#include "tap.h"

#define VLEN 8   /* datagrams a read */
#define ROUNDS 3 /* reads a callback: then its share of the loop is up */

struct rx {
	int fd;
	struct event *ev;
	struct rxpace pace;
	unsigned got, bad, calls, timer_calls;
	unsigned next; /* the sequence number expected */
	int poke_fd; /* a datagram sent there at callback POKE_AT */
	unsigned poke_at, poked_at; /* (the callbacks when it was read) */
};

/* the other socket: read while the burst is under way? */
static void
on_other(evutil_socket_t fd, short what, void *arg)
{
	struct rx *r = arg;
	char c;

	(void)what;
	while (recv(fd, &c, 1, MSG_DONTWAIT) == 1)
		r->poked_at = r->calls;
}

static void
on_read(evutil_socket_t fd, short what, void *arg)
{
	struct rx *r = arg;
	size_t total = 0;
	int more = 0;

	(void)what;
	r->calls++;
	if (r->pace.paced)
		r->timer_calls++;
	if (r->poke_fd >= 0 && r->calls == r->poke_at) {
		char c = 'x';

		if (send(r->poke_fd, &c, 1, 0) != 1)
			perror("send");
	}
	for (int round = 0; round < ROUNDS; round++) {
		int n = 0;

		for (; n < VLEN; n++) {
			unsigned seq;
			ssize_t len = recv(fd, &seq, sizeof(seq), MSG_DONTWAIT);

			if (len != (ssize_t)sizeof(seq))
				break;
			if (seq != r->next)
				r->bad++;
			r->next = seq + 1;
			r->got++;
		}
		total += (size_t)n;
		if (n < VLEN)
			break;
		more = round == ROUNDS - 1;
	}
	rxpace_read(&r->pace, total, more);
}

static unsigned sent;

static void
send_n(int fd, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned seq = sent++;

		if (send(fd, &seq, sizeof(seq), 0) != (ssize_t)sizeof(seq)) {
			perror("send");
			exit(2);
		}
	}
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* turn the loop until R has N datagrams (and, PACED >= 0, is in that
 * mode), 10 s at most: 1 when it came */
static int
loop_until(struct event_base *base, struct rx *r, unsigned n, int paced)
{
	double end = now() + 10;

	while (now() < end) {
		if (r->got >= n && (paced < 0 || r->pace.paced == paced))
			return 1;
		event_base_loop(base, EVLOOP_ONCE);
	}
	return r->got >= n && (paced < 0 || r->pace.paced == paced);
}

int
main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	struct rx r;
	int tx, rcvbuf = 4 << 20;

	memset(&r, 0, sizeof(r));
	r.poke_fd = -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r.fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (base == NULL || r.fd == -1 || tx == -1 ||
	    bind(r.fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(r.fd, (struct sockaddr *)&sin, &slen) == -1 ||
	    connect(tx, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		printf("Bail out! UDP on 127.0.0.1: %s\n", strerror(errno));
		return 1;
	}
	(void)setsockopt(r.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	r.ev = event_new(base, r.fd, EV_READ | EV_PERSIST, on_read, &r);
	TAP_OK(r.ev != NULL && event_add(r.ev, NULL) == 0 &&
	        rxpace_init(&r.pace, base, r.ev) == 0,
	    "a read event, paced");

	/* quiet: read at the wake-ups */
	send_n(tx, 3);
	TAP_OK(loop_until(base, &r, 3, -1), "3 datagrams read");
	TAP_OK(!r.pace.paced && r.pace.spells == 0,
	    "fewer than %d a wake-up: the socket's own event", RXPACE_BUSY);

	/* a burst: on the timer */
	send_n(tx, 2 * RXPACE_BUSY);
	TAP_OK(loop_until(base, &r, 3 + 2 * RXPACE_BUSY, -1),
	    "a burst of %d read", 2 * RXPACE_BUSY);
	TAP_OK(r.pace.paced && r.pace.spells == 1,
	    "%d or more a wake-up: read on the timer", RXPACE_BUSY);
	TAP_OK(event_pending(r.ev, EV_READ, NULL) == 0,
	    "the socket's event is off meanwhile");

	/* what comes while paced is read by the timer */
	send_n(tx, 10);
	TAP_OK(loop_until(base, &r, 13 + 2 * RXPACE_BUSY, -1),
	    "datagrams sent while paced are read by the timer");
	TAP_OK(r.timer_calls >= 1 && r.pace.paced_reads == r.timer_calls,
	    "the timer read (%u times)", r.timer_calls);

	/* quiet again: back to the socket's wake-ups */
	TAP_OK(loop_until(base, &r, 0, 0), "quiet: back to the socket's event");
	TAP_OK(event_pending(r.ev, EV_READ, NULL) != 0 &&
	        !evtimer_pending(r.pace.timer, NULL),
	    "the socket's event is on, the timer off");
	send_n(tx, 1);
	TAP_OK(loop_until(base, &r, 14 + 2 * RXPACE_BUSY, -1) &&
	        !r.pace.paced,
	    "a single datagram then is read at its wake-up");

	/*
	 * More than a callback's share: resumed after the loop has polled
	 * its other sockets (a datagram sent to another socket at the
	 * second callback is read before the burst is), not at once in the
	 * same pass of the loop, where a flood would starve the rest.
	 */
	{
		unsigned before = r.got, calls = r.calls;
		unsigned n = 6 * VLEN * ROUNDS + 5;
		struct sockaddr_in o;
		socklen_t olen = sizeof(o);
		int other = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		struct event *oev;

		o = sin;
		o.sin_port = 0;
		r.poke_fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (other == -1 || r.poke_fd == -1 ||
		    bind(other, (struct sockaddr *)&o, sizeof(o)) == -1 ||
		    getsockname(other, (struct sockaddr *)&o, &olen) == -1 ||
		    connect(r.poke_fd, (struct sockaddr *)&o, sizeof(o)) ==
		        -1) {
			printf("Bail out! a second socket: %s\n",
			    strerror(errno));
			return 1;
		}
		oev = event_new(base, other, EV_READ | EV_PERSIST, on_other, &r);
		event_add(oev, NULL);
		r.poke_at = calls + 2;
		send_n(tx, n);
		TAP_OK(loop_until(base, &r, before + n, -1),
		    "%u datagrams, %d a callback at most: all read", n,
		    VLEN * ROUNDS);
		TAP_OK(r.calls - calls >= 7, "in %u callbacks",
		    r.calls - calls);
		TAP_OK(r.poked_at > calls + 1 && r.poked_at < r.calls,
		    "another socket is read between them (after callback %u "
		    "of %u)", r.poked_at - calls, r.calls - calls);
		close(r.poke_fd);
		r.poke_fd = -1;
		event_free(oev);
		close(other);
	}
	TAP_OK(r.bad == 0 && r.got == sent,
	    "none lost, none out of order (%u of %u)", r.got, sent);
	TAP_OK(loop_until(base, &r, 0, 0), "and quiet again at the end");

	rxpace_free(&r.pace);
	TAP_OK(r.pace.timer == NULL && !r.pace.paced, "freed");
	event_free(r.ev);
	event_base_free(base);
	close(r.fd);
	close(tx);
	return tap_done();
}
