/*
 * probe_int.h - what the probe engine's files share (probe.c: schedule,
 * steps, reports; probe_icmp.c: echo on the ICMP sockets; probe_tcp.c:
 * connects).
 */
#ifndef NP_PROBE_INT_H
#define NP_PROBE_INT_H

#include <sys/socket.h>

#include <limits.h>
#include <stdint.h>

#include "probe.h"
#include "probe_stats.h"

#define PROBE_HIST 288 /* step medians kept over a day (5 min apart) */

enum probe_phase { PH_IDLE = 0, PH_SENDING, PH_WAIT };

struct probe_rt {
	struct probe_conf c;
	struct probe_engine *e;
	const char *kindname;
	char evdev[NP_NAME_MAX]; /* its device, or its own name */
	struct sockaddr_storage ss;
	socklen_t sslen;
	char target[NP_STR_MAX];
	char rrd[PATH_MAX];
	size_t heap_i;
	double due; /* monotonic seconds */
	enum probe_phase phase;
	int tries; /* sent this step */
	double step_start;
	double sent[NP_PROBE_PINGS]; /* icmp: realtime; tcp: monotonic */
	double rtt[NP_PROBE_PINGS]; /* ms; < 0 lost (so far) */
	uint16_t seq[NP_PROBE_PINGS]; /* icmp */
	int fd[NP_PROBE_PINGS]; /* tcp: connects under way, -1 none */
	struct event *tev[NP_PROBE_PINGS];
	int refused; /* tcp: this step's refused connects */
	/* the last step and its judgement */
	struct probe_result last;
	int have;
	double updated; /* realtime */
	uint64_t steps;
	int down_steps, down, lossy, slow;
	double slow_limit, limit_ms;
	double hist[PROBE_HIST];
	int nhist, hist_i, hist_skip;
};

/* An ICMP socket: one per family, a sequence space shared by all. */
struct probe_icmp {
	int fd; /* -1: none */
	int raw; /* 1 raw, 0 a ping socket (the kernel sets the id) */
	int family;
	struct probe_engine *e;
	uint16_t id;
	uint16_t next_seq;
	struct event *ev;
	char why[128]; /* why there is none */
	struct {
		struct probe_rt *p;
		uint8_t i;
	} map[65536];
};

struct probe_engine {
	struct event_base *base;
	struct evbus *bus;
	struct sample_stream *samples;
	struct store *store;
	char rrd_dir[PATH_MAX];
	struct event *timer;
	struct probe_rt **heap; /* every probe, by due time */
	size_t nheap, nprobes;
	struct probe_icmp icmp[2]; /* IPv4, IPv6 */
	uint64_t steps, sent, received, send_errors, late, events,
	    events_dropped, store_dropped;
};

double probe_mono(void);
double probe_real(void);
const char *probe_state(const struct probe_rt *);
void probe_store(struct probe_rt *);

void probe_icmp_send(struct probe_rt *, int i);
void probe_icmp_forget(struct probe_engine *, struct probe_rt *);
void probe_icmp_close(struct probe_engine *);
void probe_tcp_start(struct probe_rt *, int i);
void probe_tcp_close(struct probe_rt *);

#endif
