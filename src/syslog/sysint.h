/*
 * sysint.h - what the syslog receiver's files share (recv.c: the message
 * path, UDP, counters; tcp.c: stream listeners and connections; tls.c:
 * TLS contexts and client authentication; rules.c: events). Not for the
 * rest of the daemon.
 */
#ifndef NP_SYSLOG_SYSINT_H
#define NP_SYSLOG_SYSINT_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <regex.h>
#include <stdint.h>

#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <openssl/ssl.h>

#include "conf.h"
#include "evbus.h"
#include "hmap.h"
#include "log.h"
#include "rxpace.h"
#include "inventory.h"
#include "source.h"
#include "store.h"
#include "syslog/frame.h"
#include "syslog/parse.h"
#include "syslog/syslogd.h"
#include "syslog/sysrules.h"

#define SYSD_MAX_LISTENERS 16
#define SYSD_UDP_VLEN 64 /* datagrams per recvmmsg() */
#define SYSD_UDP_ROUNDS 8 /* recvmmsg() calls per wake-up, then the loop */
#define SYSD_BATCH_MAX 2048 /* messages per store batch */
#define SYSD_FLUSH_MS 5 /* a batch's wait for more after a read */
#define SYSD_BUDGET \
	((size_t)256 << 20) /* bytes queued for the store, by default */
#define SYSD_RCVBUF (32 * 1024 * 1024) /* UDP bursts wait in the kernel */
#define SYSD_STREAM_BUF (64 * 1024) /* a connection's input buffer bound */
#define SYSD_STREAM_LOOK (SYSLOG_MAX_LEN + 16) /* one frame and its count */

/* What happened to messages, per listener, per sender, and in total
 * (recv.c names them). */
enum sysd_counter {
	SC_RECEIVED, /* messages (datagrams, frames) */
	SC_BYTES,
	SC_PARSED, /* had a syslog header */
	SC_MALFORMED, /* had none: kept whole as the text */
	SC_TRUNCATED, /* over SYSLOG_MAX_LEN: cut */
	SC_RATE_LIMITED, /* over the sender's rate: not stored */
	SC_STORED, /* committed by the store writer */
	SC_DROPPED, /* the store's queue was full */
	SC_EVENTS,
	SC_QUEUED, /* handed to the store writer */
	SC_LOST, /* queued, then lost by the store (failed commits) */
	SC_N
};

struct sysd_sender {
	struct src_sender s; /* first; s.device: mapped by address, "" when
	                      * not; s.win: the rate limit */
	int conns; /* open TCP/TLS connections */
};

/* Why a TLS client was turned away (RFC 5425 section 5.2). */
enum sysd_reject {
	SYSD_REJ_NONE = 0,
	SYSD_REJ_NOCERT, /* it presented no certificate */
	SYSD_REJ_UNVERIFIED, /* its certificate did not verify against ca */
	SYSD_REJ_NAME, /* none of its names matches a peer pattern */
	SYSD_REJ_FINGERPRINT, /* its fingerprint is not permitted */
	SYSD_REJ_COUNT
};

/* A TLS listener's context, its clients' authentication and counters. */
struct sysd_tls {
	SSL_CTX *ctx;
	int ca; /* chains are verified against a CA */
	char ca_file[PATH_MAX];
	char peers[NP_TLS_PEERS][NP_STR_MAX];
	int npeers;
	unsigned char fps[NP_TLS_PEERS][NP_TLS_FP_LEN];
	int nfps;
	uint64_t authenticated; /* handshakes with a permitted certificate */
	uint64_t rejected[SYSD_REJ_COUNT];
	struct complaint c_reject[SYSD_REJ_COUNT];
};

struct sysd_listener {
	struct syslogd *sd;
	enum listen_proto proto;
	const char *transport; /* "udp", "tcp", "tls" */
	char name[NP_STR_MAX + 32];
	int fd;
	struct event *ev; /* UDP */
	struct rxpace pace; /* UDP: a busy socket read on a timer */
	struct evconnlistener *lev; /* TCP, TLS */
	struct sysd_tls *tls; /* TLS */
	uint64_t c[SRC_MAX_COUNTERS]; /* enum sysd_counter */
	/* streams */
	uint64_t accepted, refused, timeouts, bad_frames, tls_errors;
	uint64_t evicted; /* idle, closed for a new connection */
	uint64_t reaped; /* closed by their peer, taken at once */
	uint64_t rate_waits; /* not read a while: the sender's rate */
	int open;
};

struct sysd_conn {
	TAILQ_ENTRY(sysd_conn) entry;
	struct sysd_listener *l;
	struct sysd_sender *s;
	struct bufferevent *bev;
	struct event *ev_frame; /* a frame begun must end in frame-timeout */
	struct frame_state fs;
	int paused; /* not read while the store catches up */
	int rate_paused; /* not read while its sender is over its rate */
	struct event *ev_rate; /* ... until its window ends */
	double last; /* when it was last read */
	int peer_gone; /* its peer closed: not counted in its sender's */
	char peer[80];
	/* TLS: why its certificate was refused, or how it was taken */
	enum sysd_reject reject;
	const char *auth_how;
	char reject_why[200];
};
TAILQ_HEAD(sysd_conns, sysd_conn);

/* A batch in the store's queue: counted stored when it is committed. */
struct sysd_pend {
	struct sysd_pend *next;
	uint64_t id; /* store_logbatch_id */
	size_t n;
	struct sysd_sender **s; /* N, then N listeners */
};

struct syslogd {
	struct event_base *base;
	struct store *store;
	struct evbus *bus;
	struct inventory *inv;
	struct source src; /* senders, rate limits, counters, events */
	struct sysd_listener ls[SYSD_MAX_LISTENERS];
	int nls;
	struct sysrules rules; /* messages that become events */
	/* configuration */
	int max_conns, max_conns_sender, idle_secs, frame_secs;
	int keep_days;
	int64_t max_rows;
	int64_t max_size; /* bytes, 0 = no bound */
	size_t budget; /* bytes of messages that may wait for the store */
	/* streams */
	struct sysd_conns conns;
	int nconns;
	int npaused;
	struct event *ev_resume;
	uint64_t pauses;
	/* the batch being filled, and whose messages it holds */
	struct store_logbatch *batch;
	struct sysd_sender *bsender[SYSD_BATCH_MAX];
	struct sysd_listener *blistener[SYSD_BATCH_MAX];
	/* batches queued, not yet committed: their messages' senders */
	struct sysd_pend *pend, **pend_tail;
	/* the one parsed message of this thread (34 KB) */
	struct syslog_msg msg;
	/* UDP: recvmmsg() buffers */
	char (*ubuf)[SYSLOG_MAX_LEN];
	struct mmsghdr *umsg;
	struct iovec *uiov;
	struct sockaddr_storage *uaddr;
	struct event *ev_tick, *ev_prune;
	struct event *ev_flush; /* the batch goes within SYSD_FLUSH_MS */
	struct complaint c_bad, c_store, c_conn;
	uint64_t problems[SYSLOG_P_COUNT];
	uint64_t batches, batches_dropped;
};

static inline double
sysd_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* recv.c */
void sysd_input(struct syslogd *, struct sysd_listener *, struct sysd_sender *,
    const char *buf, size_t len, size_t full, double now);
void sysd_flush(struct syslogd *);
/* The batch to the store within SYSD_FLUSH_MS (at once when it is full):
 * after a read, a flood's messages of several reads go in one batch. */
void sysd_flush_soon(struct syslogd *);
void sysd_acks(struct syslogd *);
void sysd_pend_free(struct syslogd *);

/* tcp.c */
int sysd_tcp_open(struct syslogd *, struct sysd_listener *,
    const struct listen_conf *, char *err, size_t errlen);
void sysd_tcp_close_all(struct syslogd *);
void sysd_tcp_free(struct sysd_listener *);

/* tls.c */
struct sysd_tls *sysd_tls_new(
    const struct listen_conf *, char *err, size_t errlen);
void sysd_tls_free(struct sysd_tls *);
/* A reload's peers and fingerprints: 1 taken, 0 the same, -1 not without
 * a restart (the CA, or whether certificates are asked for, changed). */
int sysd_tls_update(struct sysd_tls *, const struct listen_conf *);
/* A connection's SSL, to be accepted on the listener. */
SSL *sysd_tls_ssl(struct sysd_conn *);
/* The handshake is done: count it, say who the client is. */
void sysd_tls_connected(struct sysd_conn *);
/* The connection failed: a client turned away, or a TLS error. */
void sysd_tls_failed(struct sysd_conn *, struct bufferevent *);
void sysd_tls_status(const struct sysd_tls *, struct jbuf *);

#endif
