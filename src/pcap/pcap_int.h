/*
 * pcap_int.h - what the pcap module's files share (pcap_link.c: the
 * counting, steps and reports; pcap_open.c: libpcap handles).
 */
#ifndef NP_PCAP_INT_H
#define NP_PCAP_INT_H

#include <limits.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "pcap_hosts.h"
#include "pcap_link.h"
#include "pcapdec.h"

#define PCAP_SNAPLEN 128 /* Ethernet, two tags, IPv6 + extensions, ports */
#define PCAP_BUFFER (8 * 1024 * 1024) /* the kernel's ring, bytes */
#define PCAP_BLOCK_MS 100 /* a ring block is handed over after this */
#define PCAP_BURST 4096 /* packets per pcap_dispatch() call */

enum { PD_IN = 0, PD_OUT = 1 };

struct pcap_count {
	uint64_t bytes[2], packets[2]; /* by PD_IN, PD_OUT */
};

struct pcap_link_rt {
	struct link_conf c;
	struct pcap_engine *e;
	pcap_t *p; /* NULL: not open (why in err) */
	int dlt;
	int fd;
	struct event *ev; /* the capture's descriptor */
	struct event *step_ev;
	uint8_t mac[6];
	int have_mac;
	char err[PCAP_ERRBUF_SIZE];
	char rrd[PATH_MAX];
	int keep; /* configure(): still configured */
	/* counted */
	struct pcap_count all;
	struct pcap_count cls[PD_NCLASS];
	uint64_t truncated, bad, undirected, errors;
	struct pcap_hosts hosts;
	/* pcap_stats, as last read */
	uint64_t drops, if_drops;
	/* steps */
	double last_t; /* monotonic, of the last step (or the start) */
	struct pcap_count at_last; /* the counters then */
	uint64_t drops_last;
	double in_bps, out_bps, util; /* NaN before the first step */
	uint64_t speed; /* bit/s in use: the config's or the interface's */
	double updated; /* realtime */
	uint64_t steps;
	int over_steps, congested;
};

struct pcap_engine {
	struct event_base *base;
	struct evbus *bus;
	struct sample_stream *samples;
	struct store *store;
	char rrd_dir[PATH_MAX];
	struct pcap_link_rt **links;
	size_t nlinks;
	uint64_t events, events_dropped, store_dropped, samples_dropped;
};

/* pcap_open.c */
int pcap_link_open(struct pcap_link_rt *, char *err, size_t errlen);
void pcap_link_close(struct pcap_link_rt *);
int pcap_link_setfilter(
    struct pcap_link_rt *, const char *filter, char *err, size_t errlen);
void pcap_link_mac(struct pcap_link_rt *);
uint64_t pcap_link_ifspeed(const char *ifname);
void pcap_link_stats(struct pcap_link_rt *);

/* pcap_link.c */
void pcap_link_packet(u_char *, const struct pcap_pkthdr *, const u_char *);
void pcap_link_readable(evutil_socket_t, short, void *);

#endif
