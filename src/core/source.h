/*
 * source.h - what every receiver of messages pushed at the daemon (the trap
 * receiver, the syslog receiver) keeps the same way: a table of senders by
 * address (at most SRC_MAX_SENDERS, the rest counted together as "other"),
 * each mapped to its device through the inventory, counters per sender and
 * in total with their status JSON, a per-sender rate window (at most LIMIT
 * messages in SECS: a sender over it begins an episode, which ends with the
 * first window back under it), and events emitted into the event bus.
 *
 * A receiver embeds a struct source, describes itself with a struct src_def
 * (its name, which is the events' source, its counters' names, the size of
 * its own sender record, which begins with a struct src_sender), and keeps
 * what is its own (listeners, parsing, authentication, rules) to itself.
 * On the event loop only.
 */
#ifndef NP_CORE_SOURCE_H
#define NP_CORE_SOURCE_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "evbus.h"
#include "hmap.h"
#include "inventory.h"
#include "json.h"
#include "log.h"

#define SRC_MAX_SENDERS 10000 /* beyond: counted together as "other" */
#define SRC_MAX_COUNTERS 12

struct source;

/* A rate window, and the episode of a sender over its limit. */
struct src_window {
	double start; /* when this window began */
	unsigned long count; /* messages in it */
	int over; /* over the limit: an episode goes on */
	double over_start; /* when it began */
	unsigned long over_n; /* messages it dropped or folded */
};

/* A sender; a receiver's own record begins with it. */
struct src_sender {
	char addr[INV_ADDR_MAX]; /* "other" for the rest */
	char device[NP_NAME_MAX]; /* its device as the receiver says, or "" */
	uint64_t c[SRC_MAX_COUNTERS]; /* the receiver's counters */
	double last; /* when it last sent */
	struct src_window win;
	/* the device of its address, as of inventory generation gen */
	const struct inv_device *dev;
	unsigned gen;
};

struct src_def {
	const char *name; /* "trap", "syslog": the events' source */
	const char *const *counters; /* their JSON keys; the first is what
	                              * a sender sent ("received") */
	int ncounters;
	size_t sender_size; /* of the receiver's sender record */
	/* A sender went over the limit, or came back under it (then the
	 * episode is still in S->win, reset after). May be NULL. */
	void (*over)(void *arg, struct src_sender *s, double now);
	void (*under)(void *arg, struct src_sender *s, double now);
	/* The receiver's own keys of a sender in the status JSON, before its
	 * "last". May be NULL. */
	void (*json_sender)(struct jbuf *, const struct src_sender *s);
};

struct source {
	const struct src_def *def;
	void *arg; /* the receiver's, for the callbacks */
	struct evbus *bus;
	struct inventory *inv;
	struct complaint *c_store; /* said when the bus drops an event */
	struct hmap senders; /* address -> sender */
	struct src_sender *other;
	struct src_sender *cache; /* the last sender by raw address */
	unsigned char cache_addr[16];
	int cache_family;
	int limit, secs; /* the rate window: LIMIT in SECS, 0: none */
	uint64_t total[SRC_MAX_COUNTERS];
};

/* 0, or -1 (out of memory). C_STORE is the receiver's complaint about a
 * full store queue. */
int src_init(struct source *, const struct src_def *, void *arg, struct evbus *,
    struct complaint *c_store);
void src_free(struct source *);
void src_set_inventory(struct source *, struct inventory *);
/* At most LIMIT messages in SECS from one sender; LIMIT 0: no limit. */
void src_set_limit(struct source *, int limit, int secs);

/* The sender of ADDR (text), made if new; "other" past the bound. */
struct src_sender *src_sender(struct source *, const char *addr);
/* The same by socket address, with a one-entry cache for floods. */
struct src_sender *src_sender_sa(struct source *, const struct sockaddr *);
/* The senders in turn: from *POS = 0 until NULL ("other" is not one). */
struct src_sender *src_next(struct source *, size_t *pos);
/* The device of S's address, NULL when none (see inventory.h). */
const struct inv_device *src_device(struct source *, struct src_sender *);

/* What events name a sender by: its device, else its address. */
static inline const char *
src_sender_name(const struct src_sender *s)
{
	return s->device[0] ? s->device : s->addr;
}

/* Count N of counter WHICH for S and in total. */
static inline void
src_count(struct source *src, struct src_sender *s, int which, uint64_t n)
{
	s->c[which] += n;
	src->total[which] += n;
}

/* One message from S at NOW through its rate window: 1 when it is over
 * the limit (the caller drops or folds it), else 0. */
int src_limit(struct source *, struct src_sender *, double now);
/*
 * Streams are not dropped for rate, they wait: the seconds S must wait
 * before its next message (0: now), and the message counted when taken.
 */
double src_wait(struct source *, struct src_sender *, double now);
void src_tally(struct source *, struct src_sender *, double now);
/* Every second: episodes whose window ended calm end. */
void src_tick(struct source *, double now);
/* At stop: episodes going on end. */
void src_flush(struct source *, double now);

/* Event EV into the bus, and the log. */
void src_put(struct source *, struct np_event *ev);
/* An event of this source into the bus, and the log. */
void src_emit(struct source *, const char *device, const char *kind,
    const char *key, enum np_severity, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The counters C as "key": value pairs, in the def's order. */
void src_json_counters(const struct source *, struct jbuf *, const uint64_t *c);
/* "senders": [...], each with its address, device, counters, the
 * receiver's keys and "last"; then "other" if it received anything. */
void src_json_senders(const struct source *, struct jbuf *);

#endif
