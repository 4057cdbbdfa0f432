/*
 * pcapdec.c - the decoder of captured frames' headers (pcapdec.h).
 *
 * Every read is checked against CAPLEN first (need()); lengths read from
 * a frame are checked before they are used to move on; the walks (VLAN
 * tags, IPv6 extension headers) are bounded. Nothing here allocates.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <pcap/dlt.h>

#include "pcapdec.h"

#define PD_MAX_TAGS 4 /* 802.1Q / 802.1ad tags in a row */
#define PD_MAX_EXT 8 /* IPv6 extension headers */

#define ET_IPV4 0x0800
#define ET_IPV6 0x86dd
#define ET_8021Q 0x8100
#define ET_8021AD 0x88a8
#define ET_QINQ 0x9100

#define SLL_OUTGOING 4

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static enum pcapdec_rc
dec_l4(const uint8_t *p, size_t left, struct pcapdec *d, int first_frag)
{
	if (!first_frag)
		return PD_OK; /* a later fragment: no transport header */
	switch (d->proto) {
	case 6: /* TCP */
	case 17: /* UDP */
	case 132: /* SCTP */
		if (left < 4)
			return PD_TRUNC;
		d->sport = rd16(p);
		d->dport = rd16(p + 2);
		d->have_ports = 1;
		return PD_OK;
	case 1: /* ICMP */
	case 58: /* ICMPv6 */
		if (left < 1)
			return PD_TRUNC;
		d->icmp_type = p[0];
		return PD_OK;
	default: return PD_OK;
	}
}

static enum pcapdec_rc
dec_ipv4(const uint8_t *p, size_t left, struct pcapdec *d)
{
	size_t hl;
	uint16_t tot, frag;

	if (left < 20)
		return PD_TRUNC;
	if (p[0] >> 4 != 4)
		return PD_BAD;
	hl = (size_t)(p[0] & 0x0f) * 4;
	tot = rd16(p + 2);
	if (hl < 20 || tot < hl)
		return PD_BAD;
	d->family = 4;
	d->ip_len = tot;
	d->proto = p[9];
	memcpy(d->src, p + 12, 4);
	memcpy(d->dst, p + 16, 4);
	if (left < hl)
		return PD_TRUNC;
	frag = rd16(p + 6) & 0x1fff;
	/* the transport header within the frame and the IP length both */
	if (left > tot)
		left = tot;
	return dec_l4(p + hl, left - hl, d, frag == 0);
}

static enum pcapdec_rc
dec_ipv6(const uint8_t *p, size_t left, struct pcapdec *d)
{
	uint8_t nh;
	size_t off = 40;
	int first = 1;

	if (left < 40)
		return PD_TRUNC;
	if (p[0] >> 4 != 6)
		return PD_BAD;
	d->family = 6;
	d->ip_len = (uint32_t)rd16(p + 4) + 40;
	memcpy(d->src, p + 8, 16);
	memcpy(d->dst, p + 24, 16);
	nh = p[6];
	for (int i = 0; i <= PD_MAX_EXT; i++) {
		size_t len;

		switch (nh) {
		case 0: /* hop-by-hop */
		case 43: /* routing */
		case 60: /* destination options */
		case 51: /* AH */
			if (i == PD_MAX_EXT) {
				d->proto = nh;
				return PD_BAD;
			}
			if (left < off + 2) {
				d->proto = nh;
				return PD_TRUNC;
			}
			len = nh == 51 ? ((size_t)p[off + 1] + 2) * 4
			               : ((size_t)p[off + 1] + 1) * 8;
			nh = p[off];
			off += len;
			continue;
		case 44: /* fragment */
			if (i == PD_MAX_EXT) {
				d->proto = nh;
				return PD_BAD;
			}
			if (left < off + 8) {
				d->proto = nh;
				return PD_TRUNC;
			}
			if ((rd16(p + off + 2) & 0xfff8) != 0)
				first = 0;
			nh = p[off];
			off += 8;
			continue;
		default: break;
		}
		break;
	}
	d->proto = nh;
	if (left < off)
		return PD_TRUNC;
	return dec_l4(p + off, left - off, d, first);
}

static enum pcapdec_rc
dec_net(uint16_t et, const uint8_t *p, size_t left, struct pcapdec *d)
{
	if (et == ET_IPV4)
		return dec_ipv4(p, left, d);
	if (et == ET_IPV6)
		return dec_ipv6(p, left, d);
	return PD_NONIP;
}

static enum pcapdec_rc
dec_ether(const uint8_t *p, size_t caplen, struct pcapdec *d)
{
	size_t off = 14;
	uint16_t et;
	int tags = 0;

	if (caplen < 14)
		return PD_TRUNC;
	memcpy(d->src_mac, p + 6, 6);
	d->have_mac = 1;
	et = rd16(p + 12);
	while (et == ET_8021Q || et == ET_8021AD || et == ET_QINQ) {
		if (++tags > PD_MAX_TAGS)
			return PD_BAD;
		if (caplen < off + 4)
			return PD_TRUNC;
		if (d->vlan < 0)
			d->vlan = rd16(p + off) & 0x0fff;
		et = rd16(p + off + 2);
		off += 4;
	}
	d->link_len = (int)off;
	if (et < 0x0600) /* an 802.3 length: LLC, not IP */
		return PD_NONIP;
	return dec_net(et, p + off, caplen - off, d);
}

enum pcapdec_rc
pcapdec_frame(int dlt, const uint8_t *p, size_t caplen, struct pcapdec *d)
{
	memset(d, 0, sizeof(*d));
	d->vlan = -1;
	if (p == NULL)
		caplen = 0;
	switch (dlt) {
	case DLT_EN10MB: return dec_ether(p, caplen, d);
	case DLT_LINUX_SLL:
		if (caplen < 16)
			return PD_TRUNC;
		d->dir = rd16(p) == SLL_OUTGOING ? PD_DIR_OUT : PD_DIR_IN;
		d->link_len = 16;
		return dec_net(rd16(p + 14), p + 16, caplen - 16, d);
	case DLT_LINUX_SLL2:
		if (caplen < 20)
			return PD_TRUNC;
		d->dir = p[10] == SLL_OUTGOING ? PD_DIR_OUT : PD_DIR_IN;
		d->link_len = 20;
		return dec_net(rd16(p), p + 20, caplen - 20, d);
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		if (caplen < 1)
			return PD_TRUNC;
		return dec_net(
		    p[0] >> 4 == 6 ? ET_IPV6 : ET_IPV4, p, caplen, d);
	default: return PD_NOLINK;
	}
}

const char *
pcapdec_rc_name(enum pcapdec_rc rc)
{
	switch (rc) {
	case PD_OK: return "ok";
	case PD_NONIP: return "non-ip";
	case PD_TRUNC: return "truncated";
	case PD_BAD: return "bad";
	case PD_NOLINK: return "unknown link";
	}
	return "?";
}

/* --- classes --- */

enum {
	C_HTTP,
	C_HTTPS,
	C_DNS,
	C_SSH,
	C_MAIL,
	C_SNMP,
	C_SYSLOG,
	C_NTP,
	C_BGP,
	C_DHCP,
	C_TCP,
	C_UDP,
	C_ICMP,
	C_IP,
	C_NONIP,
	C_UNDECODED
};

static const char *const class_names[PD_NCLASS] = {"http", "https", "dns",
    "ssh", "mail", "snmp", "syslog", "ntp", "bgp", "dhcp", "tcp-other",
    "udp-other", "icmp", "ip-other", "non-ip", "undecoded"};

static const struct {
	uint16_t port;
	uint8_t cls;
} well_known[] = {
    {22, C_SSH},
    {25, C_MAIL},
    {53, C_DNS},
    {67, C_DHCP},
    {68, C_DHCP},
    {80, C_HTTP},
    {110, C_MAIL},
    {123, C_NTP},
    {143, C_MAIL},
    {161, C_SNMP},
    {162, C_SNMP},
    {179, C_BGP},
    {443, C_HTTPS},
    {465, C_MAIL},
    {514, C_SYSLOG},
    {546, C_DHCP},
    {547, C_DHCP},
    {587, C_MAIL},
    {853, C_DNS},
    {993, C_MAIL},
    {995, C_MAIL},
    {6514, C_SYSLOG},
    {8080, C_HTTP},
    {8443, C_HTTPS},
};

static int
port_class(uint16_t port)
{
	for (size_t i = 0; i < sizeof(well_known) / sizeof(well_known[0]); i++)
		if (well_known[i].port == port)
			return well_known[i].cls;
	return -1;
}

int
pcapdec_class(enum pcapdec_rc rc, const struct pcapdec *d)
{
	int a, b;

	if (rc == PD_NONIP)
		return C_NONIP;
	if (d->family == 0)
		return C_UNDECODED;
	switch (d->proto) {
	case 1:
	case 58: return C_ICMP;
	case 6:
	case 17:
		if (d->have_ports) {
			a = port_class(d->sport);
			b = port_class(d->dport);
			if (a >= 0 && (b < 0 || d->sport < d->dport))
				return a;
			if (b >= 0)
				return b;
		}
		return d->proto == 6 ? C_TCP : C_UDP;
	default: return C_IP;
	}
}

const char *
pcapdec_class_name(int c)
{
	return c >= 0 && c < PD_NCLASS ? class_names[c] : "?";
}
