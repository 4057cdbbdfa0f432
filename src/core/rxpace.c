/*
 * rxpace.c - a busy datagram socket read on a short timer (what network
 * drivers call interrupt mitigation).
 *
 * A listener woken by every datagram that comes pays a sleep and a
 * wake-up of the loop (epoll_wait, the scheduler) for a handful of them:
 * in a flood of 150,000 syslog messages a second that was 4,000-6,300
 * wake-ups a second, 24-37 datagrams each, and a fifth of the loop's
 * CPU.
 * Once one wake-up reads RXPACE_BUSY datagrams or more, the socket's
 * event is taken off and the same callback runs on a timer every
 * RXPACE_USEC instead, reading what came meanwhile (the kernel keeps
 * it: the listeners' receive buffers hold many milliseconds of a
 * flood); when a paced read finds fewer than RXPACE_QUIET, the socket's
 * event is back. A datagram waits at most RXPACE_USEC longer, and only
 * while its socket is busy; a quiet socket is read as it was.
 */
#include "config.h"

#include "rxpace.h"

static void
rxpace_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct rxpace *p = arg;
	event_callback_fn cb = event_get_callback(p->ev);

	(void)fd;
	(void)what;
	p->paced_reads++;
	cb(event_get_fd(p->ev), EV_READ, event_get_callback_arg(p->ev));
}

int
rxpace_init(struct rxpace *p, struct event_base *base, struct event *ev)
{
	p->ev = ev;
	p->paced = 0;
	p->paced_reads = p->spells = 0;
	p->timer = evtimer_new(base, rxpace_on_timer, p);
	return p->timer != NULL ? 0 : -1;
}

/* the callback again after the loop's next poll of its sockets: not
 * event_active(), whose callback would run in this same pass of the
 * loop, again and again while a flood lasts, and starve the rest */
static void
rxpace_soon(struct rxpace *p)
{
	static const struct timeval now = {0, 0};

	if (evtimer_add(p->timer, &now) == -1)
		event_active(p->ev, EV_READ, 0); /* (better than nothing) */
}

void
rxpace_read(struct rxpace *p, size_t n, int more)
{
	static const struct timeval pace = {0, RXPACE_USEC};

	if (p->timer == NULL) {
		if (more)
			event_active(p->ev, EV_READ, 0);
		return;
	}
	if (!p->paced && n >= RXPACE_BUSY && event_del(p->ev) == 0) {
		p->paced = 1;
		p->spells++;
	} else if (p->paced && n < RXPACE_QUIET && !more &&
	           event_add(p->ev, NULL) == 0) {
		/* (level-triggered: what came meanwhile wakes it at once) */
		p->paced = 0;
		evtimer_del(p->timer);
		return;
	}
	if (more)
		rxpace_soon(p);
	else if (p->paced && evtimer_add(p->timer, &pace) == -1 &&
	         event_add(p->ev, NULL) == 0)
		p->paced = 0; /* no timer: the socket's wake-ups again */
}

void
rxpace_free(struct rxpace *p)
{
	if (p->timer != NULL)
		event_free(p->timer);
	p->timer = NULL;
	p->paced = 0;
}
