/*
 * session.h - one net-snmp session driven by the daemon's libevent loop:
 * a read event on its socket and a timer for its request's timeout.
 * One request in flight per session; retries are ours (counted), and
 * SNMPv3 engine discovery is asynchronous (never a blocking probe).
 */
#ifndef NP_SNMP_SESSION_H
#define NP_SNMP_SESSION_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <event2/event.h>

#include "conf.h"

enum snmpsess_status {
	SNMPS_OK = 0, /* a response (check its errstat) */
	SNMPS_TIMEOUT, /* no answer after all retries */
	SNMPS_ERROR, /* could not send, or v3 discovery failed */
};

typedef void (*snmpsess_cb)(void *arg, enum snmpsess_status, netsnmp_pdu *resp);

/* What a device's SNMPv3 engine told us; kept across session reopen. */
struct snmp_engine {
	u_char id[64];
	size_t len; /* 0 = not discovered */
};

struct snmpsess_counters {
	unsigned long requests, retries, timeouts, send_errors, sec_errors;
	unsigned long malformed; /* replies that could not be decoded */
};

struct snmpsess;
/* A stand-in for the network (unit tests: a scripted agent). */
typedef int (*snmpsess_send_fn)(
    struct snmpsess *, netsnmp_pdu *, snmpsess_cb cb, void *arg);

struct snmpsess {
	snmpsess_send_fn send_fn; /* NULL: the network (tests set it) */
	void *sessp;
	int fd;
	struct event *ev_read;
	struct event *ev_timer;
	struct event *ev_defer; /* continue after v3 discovery */
	netsnmp_large_fd_set fds;
	int timeout_ms;
	int retries; /* ours: net-snmp's own are 0 */
	int tries; /* of the request in flight */
	netsnmp_pdu *pending; /* a clone of the request, for retries */
	netsnmp_pdu *after_discovery; /* the request waiting for v3 discovery */
	int inflight;
	int discovering;
	int stale; /* v3 engine changed: close and reopen */
	int in_transmit; /* inside snmp_sess_async_send */
	snmpsess_cb cb;
	void *arg;
	struct snmp_engine *engine;
	struct snmpsess_counters *ctr;
	int version;
	char errbuf[256];
};

/*
 * Open a session to DEVICE on BASE. ENGINE (v3) is where the discovered
 * engine ID lives; CTR is where requests and retries are counted.
 */
int snmpsess_open(struct snmpsess *, struct event_base *,
    const struct device_conf *, struct snmp_engine *engine,
    struct snmpsess_counters *ctr, char *err, size_t errlen);
/*
 * The same at ADDR, an IP literal (the device's address resolved), so
 * that net-snmp never resolves a name itself, blocking the loop.
 */
int snmpsess_open_at(struct snmpsess *, struct event_base *,
    const struct device_conf *, const char *addr, struct snmp_engine *engine,
    struct snmpsess_counters *ctr, char *err, size_t errlen);
/* Send PDU (consumed); CB is called once, from the loop. */
int snmpsess_send(
    struct snmpsess *, netsnmp_pdu *pdu, snmpsess_cb cb, void *arg);
/* Close; a request in flight is dropped without its callback. */
void snmpsess_close(struct snmpsess *);
int snmpsess_is_open(const struct snmpsess *);
/* The agent's SNMPv3 engine must be discovered again: close, then reopen. */
int snmpsess_is_stale(const struct snmpsess *);

/* What the configuration asks that this net-snmp cannot do: FILE:LINE errors. */
int snmpsess_check_conf(const struct config *, char *err, size_t errlen);

/* net-snmp's library setup, once per process (no MIB loading needed). */
void snmpsess_library_init(const char *appname);

#endif
