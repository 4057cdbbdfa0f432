/*
 * rxpace.h - reading a busy datagram socket on a short timer instead of
 * at every datagram's wake-up (what network drivers call interrupt
 * mitigation): see rxpace.c.
 */
#ifndef NP_RXPACE_H
#define NP_RXPACE_H

#include <stddef.h>

#include <event2/event.h>

/* one wake-up that reads this many datagrams or more: the socket is busy */
#define RXPACE_BUSY 16
/* a paced read that finds fewer than this: back to the socket's wake-ups */
#define RXPACE_QUIET 4
/* the pace: at most this long between reads of a busy socket */
#define RXPACE_USEC 1000

struct rxpace {
	struct event *ev;    /* the socket's read event (the caller's) */
	struct event *timer; /* the paced reads: the same callback */
	int paced;           /* reading on the timer */
	unsigned long long paced_reads, spells; /* counters */
};

/*
 * P paces EV (an EV_READ | EV_PERSIST event the caller made and added):
 * its callback is also what the timer calls, with EV's socket and
 * argument. 0, or -1 (no timer: the socket is read at its wake-ups).
 */
int rxpace_init(struct rxpace *p, struct event_base *base, struct event *ev);
/*
 * The callback read N datagrams this time; MORE: it stopped with some
 * left (its share of the loop). Switches between the socket's wake-ups
 * and the timer.
 */
void rxpace_read(struct rxpace *p, size_t n, int more);
/* The timer freed: before EV is (which may be left off, if paced). */
void rxpace_free(struct rxpace *p);

#endif
