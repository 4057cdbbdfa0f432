/*
 * pcap_hosts.h - a link's hosts table (pcap_hosts.c): bytes and packets
 * each address sent and received, for the top talkers. Bounded: at MAX
 * hosts, the table is cut to the busiest half (darkstat's hosts-max and
 * hosts-keep), and the hosts it forgets are counted.
 */
#ifndef NP_PCAP_HOSTS_H
#define NP_PCAP_HOSTS_H

#include <stddef.h>
#include <stdint.h>

struct pcap_host {
	uint8_t addr[16];
	uint8_t family; /* 4, 6; 0 an empty slot */
	uint64_t in_bytes, out_bytes, in_packets, out_packets;
	double last; /* when it last sent (epoch seconds) */
};

struct pcap_hosts {
	struct pcap_host *slot; /* open addressing, linear probing */
	size_t cap; /* slots, a power of two, at least 2 x max */
	size_t n, max;
	uint64_t evicted, cuts;
};

int pcap_hosts_init(struct pcap_hosts *, size_t max);
void pcap_hosts_free(struct pcap_hosts *);
/* The host of ADDR (FAMILY 4 or 6), made if new; NULL out of memory. */
struct pcap_host *pcap_hosts_get(
    struct pcap_hosts *, int family, const uint8_t *addr);
/*
 * The N busiest (bytes in + out) into OUT, busiest first; returns how
 * many. Does not change the table.
 */
size_t pcap_hosts_top(
    const struct pcap_hosts *, struct pcap_host *out, size_t n);

#endif
