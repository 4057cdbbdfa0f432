/*
 * pcap_open.c - libpcap handles of links (pcap_int.h): opened as root
 * before privileges are dropped, with a ring (TPACKET_V3 on Linux: not
 * immediate mode, a buffer size) and a snaplen of just the headers;
 * filters compiled with a dead handle at configuration check time.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/socket.h>

#include <net/if.h>
#include <net/if_arp.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcap_int.h"

static int
filter_compile(pcap_t *p, const char *filter, struct bpf_program *prog)
{
	return pcap_compile(p, prog, filter, 1, PCAP_NETMASK_UNKNOWN);
}

int
pcap_check_conf(const struct config *c, char *err, size_t errlen)
{
	const struct link_conf *lc;

	TAILQ_FOREACH(lc, &c->links, entry)
	{
		struct bpf_program prog;
		pcap_t *p;

		if (lc->filter[0] == '\0')
			continue;
		if ((p = pcap_open_dead(DLT_EN10MB, PCAP_SNAPLEN)) == NULL) {
			snprintf(err, errlen, "libpcap: out of memory");
			return -1;
		}
		if (filter_compile(p, lc->filter, &prog) == -1) {
			snprintf(err, errlen,
			    "%s:%d: link \"%s\": invalid "
			    "filter \"%s\": %s",
			    lc->file, lc->filter_line, lc->name, lc->filter,
			    pcap_geterr(p));
			pcap_close(p);
			return -1;
		}
		pcap_freecode(&prog);
		pcap_close(p);
	}
	return 0;
}

int
pcap_link_setfilter(
    struct pcap_link_rt *l, const char *filter, char *err, size_t errlen)
{
	struct bpf_program prog;

	/* none: everything (a filter that passes all replaces an old one) */
	if (filter_compile(l->p, filter[0] ? filter : "", &prog) == -1) {
		snprintf(err, errlen, "link \"%s\": filter: %s", l->c.name,
		    pcap_geterr(l->p));
		return -1;
	}
	if (pcap_setfilter(l->p, &prog) == -1) {
		snprintf(err, errlen, "link \"%s\": filter: %s", l->c.name,
		    pcap_geterr(l->p));
		pcap_freecode(&prog);
		return -1;
	}
	pcap_freecode(&prog);
	return 0;
}

int
pcap_link_open(struct pcap_link_rt *l, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	int rc;

	if ((l->p = pcap_create(l->c.interface, ebuf)) == NULL) {
		snprintf(err, errlen, "link \"%s\": interface %s: %s",
		    l->c.name, l->c.interface, ebuf);
		return -1;
	}
	(void)pcap_set_snaplen(l->p, PCAP_SNAPLEN);
	(void)pcap_set_promisc(l->p, 0);
	(void)pcap_set_buffer_size(l->p, PCAP_BUFFER);
	/* not immediate: libpcap uses TPACKET_V3, blocks of packets handed
	   over when full or PCAP_BLOCK_MS old */
	(void)pcap_set_immediate_mode(l->p, 0);
	(void)pcap_set_timeout(l->p, PCAP_BLOCK_MS);
	if ((rc = pcap_activate(l->p)) < 0) {
		snprintf(err, errlen, "link \"%s\": interface %s: %s",
		    l->c.name, l->c.interface,
		    rc == PCAP_ERROR ? pcap_geterr(l->p)
		                     : pcap_statustostr(rc));
		goto fail;
	}
	l->dlt = pcap_datalink(l->p);
	if (pcap_setnonblock(l->p, 1, ebuf) == -1) {
		snprintf(err, errlen, "link \"%s\": %s", l->c.name, ebuf);
		goto fail;
	}
	if ((l->fd = pcap_get_selectable_fd(l->p)) == -1) {
		snprintf(err, errlen,
		    "link \"%s\": interface %s has no "
		    "selectable descriptor",
		    l->c.name, l->c.interface);
		goto fail;
	}
	if (l->c.filter[0] &&
	    pcap_link_setfilter(l, l->c.filter, err, errlen) == -1)
		goto fail;
	pcap_link_mac(l);
	l->err[0] = '\0';
	return 0;
fail:
	pcap_close(l->p);
	l->p = NULL;
	l->fd = -1;
	return -1;
}

void
pcap_link_close(struct pcap_link_rt *l)
{
	if (l->ev) {
		event_free(l->ev);
		l->ev = NULL;
	}
	if (l->p) {
		pcap_close(l->p);
		l->p = NULL;
	}
	l->fd = -1;
}

/* The interface's own Ethernet address: frames from it go out. */
void
pcap_link_mac(struct pcap_link_rt *l)
{
	struct ifreq ifr;
	int s;

	l->have_mac = 0;
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", l->c.interface);
	if (ioctl(s, SIOCGIFHWADDR, &ifr) == 0 &&
	    ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER) {
		static const uint8_t zero[6];

		memcpy(l->mac, ifr.ifr_hwaddr.sa_data, 6);
		l->have_mac = memcmp(l->mac, zero, 6) != 0;
	}
	close(s);
}

/* /sys/class/net/IF/speed: Mbit/s, -1 (or an error) when unknown. */
uint64_t
pcap_link_ifspeed(const char *ifname)
{
	char path[128], buf[32];
	FILE *f;
	long long v = -1;

	snprintf(path, sizeof(path), "/sys/class/net/%s/speed", ifname);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) != NULL)
		v = strtoll(buf, NULL, 10);
	fclose(f);
	return v > 0 ? (uint64_t)v * 1000000u : 0;
}

void
pcap_link_stats(struct pcap_link_rt *l)
{
	struct pcap_stat st;

	if (l->p == NULL || pcap_stats(l->p, &st) == -1)
		return;
	l->drops = st.ps_drop;
	l->if_drops = st.ps_ifdrop;
}
