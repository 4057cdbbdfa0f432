/*
 * trapint.h - what the trap receiver's files (trap.c: listeners and
 * counters; trapev.c: events, rules and storms; trapusm.c: engine ID, v3
 * users and MIBs) share. Not for the rest of the daemon.
 */
#ifndef NP_SNMP_TRAPINT_H
#define NP_SNMP_TRAPINT_H

#include <regex.h>
#include <string.h>
#include <sys/time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/library/snmpusm.h>

#include "conf.h"
#include "hmap.h"
#include "log.h"
#include "rxpace.h"
#include "inventory.h"
#include "source.h"
#include "store.h"
#include "trapmsg.h"

#define TRAP_MAX_LISTENERS 8
#define TRAP_STORM_TOP 4 /* trap OIDs named in a storm's summary */
#define TRAP_REJECT_EVERY 300 /* seconds between rejection events */

struct trapd;

struct trap_listener {
	struct trapd *td;
	void *sessp;
	int fd;
	struct event *ev;
	struct rxpace pace; /* a busy socket read on a timer */
	netsnmp_large_fd_set fds;
	char name[NP_STR_MAX + 32];
	uint64_t received;
};

/*
 * trapudp.c: T (UDP over IPv4) read by recvmmsg(), several datagrams a
 * call, handed to net-snmp one by one as its own reads do: 0, or -1 (T
 * keeps net-snmp's reads). Whether datagrams read wait on socket FD;
 * forget FD's reader before the socket closes.
 */
int trapudp_attach(netsnmp_transport *t);
int trapudp_pending(int fd);
void trapudp_detach(int fd);

struct trap_storm_oid {
	char oid[128];
	unsigned long n;
};

/* The counters of a sender and of the receiver (trap.c names them). */
enum trap_counter {
	TC_RECEIVED,
	TC_ACCEPTED,
	TC_REJECTED,
	TC_MALFORMED,
	TC_FOLDED, /* in a storm: counted, summarised, not stored */
	TC_STORED,
	TC_STORE_DROPPED,
	TC_INFORMS, /* acknowledged */
	TC_N
};

struct trap_sender {
	struct src_sender s; /* first; s.device: the device it was last
	                      * mapped to; s.win: storm folding */
	struct trap_storm_oid top[TRAP_STORM_TOP]; /* of the storm */
	/* rejections, said as an event at most every TRAP_REJECT_EVERY */
	double reject_said;
	unsigned long reject_unsaid;
	char reject_why[128];
};

struct trap_crule {
	struct trap_rule r;
	oid oid[MAX_OID_LEN];
	size_t len;
	struct {
		oid oid[MAX_OID_LEN];
		size_t len;
		regex_t re;
	} m[NP_MAX_TRAP_MATCH];
	int nmatch;
	unsigned long hits;
};

/* A v3 user registered with net-snmp by us (removed at reload). */
struct trap_usm {
	u_char engine[32];
	size_t engine_len;
	char name[NP_NAME_MAX];
};

struct trapd {
	struct event_base *base;
	struct store *store;
	struct evbus *bus;
	struct inventory *inv;
	struct source src; /* senders, storms, counters, events */
	struct trap_listener ls[TRAP_MAX_LISTENERS];
	int nls;
	struct trap_sender *cur; /* the sender of the datagram being read */
	/* configuration */
	char (*communities)[NP_SECRET_MAX];
	int ncommunities;
	struct snmp_cred *users;
	int nusers;
	struct trap_crule *rules;
	int nrules;
	struct trap_usm *usm;
	int nusm;
	int names; /* MIBs loaded: names in varbinds */
	char mibdirs[PATH_MAX];
	char engine_hex[80];
	struct event *ev_tick;
	struct complaint c_bad, c_store;
	/* counters of its own; the rest are src.total's */
	uint64_t discovery, ack_errors;
};

static inline double
trapd_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* snprintf(DST, SIZE, "%s", SRC) without printf: on every trap's path. */
static inline void
trap_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (size == 0)
		return;
	if (n > size - 1)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* trapev.c */
int trapev_handle(struct trapd *, struct trap_sender *, netsnmp_pdu *);
void trapd_reject(
    struct trapd *, struct trap_sender *, const char *why, const char *user);
int trapev_compile_rules(struct trapd *, const struct config *);
void trapev_free_rules(struct trapd *);
void trapev_tick(struct trapd *);
/* source.h's callbacks: a sender's storm began, or calmed */
void trapev_storm_begin(void *td, struct src_sender *, double now);
void trapev_storm_end(void *td, struct src_sender *, double now);

/* trapusm.c */
void trapd_engine_init(struct trapd *);
void trapusm_configure(struct trapd *, const struct config *);
void trapusm_clear(struct trapd *);
void trapusm_load_mibs(struct trapd *, const char *dirs);

#endif
