/*
 * pcapdec.h - the decoder of captured frames' headers (pcapdec.c): what
 * a link counts of a frame. Bounded: it reads only within the CAPLEN
 * bytes it is given, never follows a length it has not checked, and
 * says when a frame was cut short (PD_TRUNC) rather than guess.
 *
 * Link layers: Ethernet (DLT_EN10MB) with up to two 802.1Q/802.1ad tags,
 * Linux cooked captures (DLT_LINUX_SLL, DLT_LINUX_SLL2: the "any" device
 * and interfaces without a link header), raw IP (DLT_RAW). Network: IPv4
 * (options skipped, fragments after the first have no ports), IPv6
 * (hop-by-hop, routing, destination options and fragment headers walked,
 * at most 8). Transport: TCP and UDP ports, ICMP and ICMPv6 type.
 */
#ifndef NP_PCAPDEC_H
#define NP_PCAPDEC_H

#include <stddef.h>
#include <stdint.h>

enum pcapdec_rc {
	PD_OK = 0, /* decoded as far as it goes (ports when TCP/UDP) */
	PD_NONIP, /* a frame of another network protocol (ARP, LLDP...) */
	PD_TRUNC, /* cut short: the headers end before they should */
	PD_BAD, /* impossible headers (IP version, lengths) */
	PD_NOLINK /* a link layer this decoder does not know */
};

/* Where a frame went, as the link layer tells (cooked captures). */
enum pcapdec_dir { PD_DIR_UNKNOWN = 0, PD_DIR_IN, PD_DIR_OUT };

struct pcapdec {
	enum pcapdec_dir dir; /* SLL/SLL2: the kernel's packet type */
	int have_mac; /* Ethernet: src_mac is the sender's */
	uint8_t src_mac[6];
	int link_len; /* bytes of the link header (and tags) */
	int family; /* 4, 6, 0 none */
	uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes */
	uint8_t proto; /* IP protocol (after IPv6's extension headers) */
	int have_ports;
	uint16_t sport, dport;
	uint8_t icmp_type;
	uint32_t ip_len; /* the IP header's own length (v6: + 40) */
	int vlan; /* the outer 802.1Q id, -1 none */
};

/* Decode CAPLEN bytes at P of a frame of link type DLT (pcap's). */
enum pcapdec_rc pcapdec_frame(
    int dlt, const uint8_t *p, size_t caplen, struct pcapdec *out);
/* The name of a return code ("ok", "non-ip", "truncated"...). */
const char *pcapdec_rc_name(enum pcapdec_rc);

/*
 * The protocol/port class of a decoded packet: an index into the names
 * pcapdec_class_name() gives, PD_NCLASS of them. TCP and UDP by their
 * lower well-known port (http, https, dns, ...; tcp-other, udp-other),
 * icmp (v4 and v6), ip-other, non-ip.
 */
#define PD_NCLASS 16
int pcapdec_class(enum pcapdec_rc, const struct pcapdec *);
const char *pcapdec_class_name(int);

#endif
