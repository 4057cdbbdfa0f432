/*
 * probe_icmp.c - ICMP echo for the probe engine: one socket per family
 * (raw when allowed, else the kernel's ping socket), one 16-bit sequence
 * space per socket shared by every probe (a map from sequence to probe
 * and try), the receive time from the kernel (SO_TIMESTAMPNS).
 *
 * A reply is taken only when its identifier, its sequence, and its
 * sender all match a try still waiting; the reply's bytes are read
 * within what recvmsg returned (a raw IPv4 socket's header length is
 * checked against it).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "probe_int.h"

#define PROBE_PKT_MAX 65536
#define PROBE_ICMP_FILTER 1 /* linux/icmp.h's ICMP_FILTER (SOL_RAW) */

static unsigned char probe_pkt[PROBE_PKT_MAX];

static uint16_t
probe_cksum(const unsigned char *b, size_t n)
{
	uint32_t sum = 0;

	for (; n > 1; b += 2, n -= 2)
		sum += (uint32_t)(b[0] << 8 | b[1]);
	if (n)
		sum += (uint32_t)(b[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static int
probe_same_addr(const struct probe_rt *p, const struct sockaddr_storage *from)
{
	if (from->ss_family != p->ss.ss_family)
		return 0;
	if (from->ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)from)->sin_addr,
		           &((const struct sockaddr_in *)&p->ss)->sin_addr,
		           4) == 0;
	return memcmp(&((const struct sockaddr_in6 *)from)->sin6_addr,
	           &((const struct sockaddr_in6 *)&p->ss)->sin6_addr, 16) == 0;
}

/* One datagram: an echo reply for a try of ours, or nothing. */
static void
probe_icmp_input(struct probe_icmp *s, struct probe_engine *e,
    const unsigned char *b, size_t n, const struct sockaddr_storage *from,
    double rx)
{
	uint16_t id, seq;
	struct probe_rt *p;
	int i;
	double rtt;

	if (s->family == AF_INET && s->raw) {
		size_t hl;

		if (n < 20 || (b[0] >> 4) != 4)
			return;
		hl = (size_t)(b[0] & 0x0f) * 4;
		if (hl < 20 || hl > n)
			return;
		b += hl;
		n -= hl;
	}
	if (n < 8)
		return;
	if (s->family == AF_INET ? b[0] != ICMP_ECHOREPLY
	                         : b[0] != ICMP6_ECHO_REPLY)
		return;
	if (b[1] != 0)
		return;
	id = (uint16_t)(b[4] << 8 | b[5]);
	seq = (uint16_t)(b[6] << 8 | b[7]);
	if (id != s->id)
		return;
	if ((p = s->map[seq].p) == NULL)
		return;
	i = s->map[seq].i;
	if (i >= p->c.count || p->seq[i] != seq || p->phase == PH_IDLE ||
	    i >= p->tries || p->rtt[i] >= 0 || !probe_same_addr(p, from))
		return;
	rtt = (rx - p->sent[i]) * 1000.0;
	if (rtt < 0)
		rtt = 0; /* the clock stepped back */
	if (rtt > p->c.timeout_ms) {
		e->late++;
		return;
	}
	p->rtt[i] = rtt;
	e->received++;
}

static void
probe_icmp_read(evutil_socket_t fd, short what, void *arg)
{
	struct probe_icmp *s = arg;
	struct probe_engine *e = s->e;

	(void)what;
	/* bounded: the loop's other work goes on under a flood */
	for (int k = 0; k < 1024; k++) {
		struct sockaddr_storage from;
		union {
			char buf[CMSG_SPACE(sizeof(struct timespec)) + 64];
			struct cmsghdr align;
		} cm;
		struct iovec iov = {probe_pkt, sizeof(probe_pkt)};
		struct msghdr m;
		struct cmsghdr *c;
		ssize_t n;
		double rx = 0;

		memset(&m, 0, sizeof(m));
		m.msg_name = &from;
		m.msg_namelen = sizeof(from);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = cm.buf;
		m.msg_controllen = sizeof(cm.buf);
		if ((n = recvmsg(fd, &m, MSG_DONTWAIT)) == -1)
			return; /* EAGAIN, or an error queued: next time */
		for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_TIMESTAMPNS &&
			    c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
				struct timespec ts;

				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				rx = ts.tv_sec + ts.tv_nsec / 1e9;
			}
		if (rx == 0)
			rx = probe_real();
		probe_icmp_input(s, e, probe_pkt, (size_t)n, &from, rx);
	}
}

static int
probe_icmp_socket(struct probe_engine *e, int family)
{
	struct probe_icmp *s = &e->icmp[family == AF_INET6];
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int one = 1, rcvbuf = 4 << 20, fd;

	s->family = family;
	s->e = e;
	s->why[0] = '\0';
	if ((fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	         proto)) != -1) {
		s->raw = 1;
		s->id = (uint16_t)(getpid() & 0xffff);
		if (family == AF_INET) {
			/* only echo replies reach us (the kernel's filter) */
			uint32_t mask = ~(1u << ICMP_ECHOREPLY);

			(void)setsockopt(fd, SOL_RAW, PROBE_ICMP_FILTER, &mask,
			    sizeof(mask));
		} else {
			struct icmp6_filter f;

			ICMP6_FILTER_SETBLOCKALL(&f);
			ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
			(void)setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f,
			    sizeof(f));
		}
	} else {
		int raw_errno = errno;
		struct sockaddr_storage ss;
		socklen_t len = family == AF_INET ? sizeof(struct sockaddr_in)
		                                  : sizeof(struct sockaddr_in6);

		if ((fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK |
		                             SOCK_CLOEXEC,
		         proto)) == -1) {
			snprintf(s->why, sizeof(s->why),
			    "no raw socket (%s: CAP_NET_RAW needed) and no ping "
			    "socket (%s: see net.ipv4.ping_group_range)",
			    strerror(raw_errno), strerror(errno));
			return -1;
		}
		s->raw = 0;
		memset(&ss, 0, sizeof(ss));
		ss.ss_family = (sa_family_t)family;
		if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
		    getsockname(fd, (struct sockaddr *)&ss, &len) == -1) {
			snprintf(s->why, sizeof(s->why), "ping socket: %s",
			    strerror(errno));
			close(fd);
			return -1;
		}
		/* the kernel's id for us: the socket's "port" */
		s->id = ntohs(family == AF_INET
		        ? ((struct sockaddr_in *)&ss)->sin_port
		        : ((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (family == AF_INET6)
		(void)setsockopt(
		    fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	s->next_seq = (uint16_t)(probe_real() * 1000);
	if ((s->ev = event_new(e->base, fd, EV_READ | EV_PERSIST,
	         probe_icmp_read, s)) == NULL ||
	    event_add(s->ev, NULL) == -1) {
		snprintf(s->why, sizeof(s->why), "out of memory");
		if (s->ev)
			event_free(s->ev);
		s->ev = NULL;
		close(fd);
		return -1;
	}
	s->fd = fd;
	return 0;
}

int
probe_open(struct probe_engine *e, const struct config *c, char *err,
    size_t errlen)
{
	const struct probe_conf *pc;
	int need[2] = {0, 0};

	TAILQ_FOREACH(pc, &c->probes, entry) {
		const char *a = pc->address;
		const struct device_conf *d;

		if (pc->kind != PROBE_ICMP || pc->tmpl[0])
			continue;
		if (!a[0])
			TAILQ_FOREACH(d, &c->devices, entry)
				if (strcmp(d->name, pc->device) == 0)
					a = d->address;
		need[strchr(a, ':') != NULL] = 1;
	}
	for (int f = 0; f < 2; f++) {
		if (e->icmp[f].fd != -1)
			continue;
		if (probe_icmp_socket(e, f ? AF_INET6 : AF_INET) == -1 &&
		    need[f]) {
			snprintf(err, errlen, "icmp probes (IPv%d): %s",
			    f ? 6 : 4, e->icmp[f].why);
			return -1;
		}
		if (e->icmp[f].fd == -1)
			log_info("icmp probes (IPv%d) unavailable: %s", f ? 6 : 4,
			    e->icmp[f].why);
	}
	return 0;
}

void
probe_icmp_send(struct probe_rt *p, int i)
{
	struct probe_engine *e = p->e;
	int fam = p->ss.ss_family == AF_INET6;
	struct probe_icmp *s = &e->icmp[fam];
	size_t n = 8 + (size_t)p->c.size;
	struct iovec iov;
	struct msghdr m;
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cm;
	uint16_t seq;

	if (s->fd == -1 || n > sizeof(probe_pkt)) {
		e->send_errors++;
		return;
	}
	/* a slot no try of any probe still waits on (the seq space is
	   minutes long at any sane rate; a stale one is overwritten) */
	if (s->map[p->seq[i]].p == p && s->map[p->seq[i]].i == i)
		s->map[p->seq[i]].p = NULL; /* its last step's */
	seq = s->next_seq++;
	if (s->map[seq].p != NULL && s->map[seq].p != p) {
		struct probe_rt *o = s->map[seq].p;
		int oi = s->map[seq].i;

		if (oi < NP_PROBE_PINGS && o->seq[oi] == seq)
			o->seq[oi] = (uint16_t)(seq + 1); /* no longer ours */
	}
	s->map[seq].p = p;
	s->map[seq].i = (uint8_t)i;
	p->seq[i] = seq;
	memset(probe_pkt, 0, n);
	probe_pkt[0] = fam ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	probe_pkt[4] = (uint8_t)(s->id >> 8);
	probe_pkt[5] = (uint8_t)s->id;
	probe_pkt[6] = (uint8_t)(seq >> 8);
	probe_pkt[7] = (uint8_t)seq;
	for (size_t k = 8; k < n; k++)
		probe_pkt[k] = (unsigned char)(k & 0xff);
	if (!fam) {
		uint16_t ck = probe_cksum(probe_pkt, n);

		memcpy(probe_pkt + 2, &ck, 2);
	}
	iov.iov_base = probe_pkt;
	iov.iov_len = n;
	memset(&m, 0, sizeof(m));
	m.msg_name = &p->ss;
	m.msg_namelen = p->sslen;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (p->c.source[0]) {
		struct cmsghdr *c;

		memset(&cm, 0, sizeof(cm));
		m.msg_control = cm.buf;
		c = (struct cmsghdr *)cm.buf;
		if (!fam) {
			struct in_pktinfo pi;

			memset(&pi, 0, sizeof(pi));
			inet_pton(AF_INET, p->c.source, &pi.ipi_spec_dst);
			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
			m.msg_controllen = CMSG_SPACE(sizeof(pi));
		} else {
			struct in6_pktinfo pi;

			memset(&pi, 0, sizeof(pi));
			inet_pton(AF_INET6, p->c.source, &pi.ipi6_addr);
			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
			m.msg_controllen = CMSG_SPACE(sizeof(pi));
		}
	}
	p->sent[i] = probe_real();
	if (sendmsg(s->fd, &m, MSG_DONTWAIT) == -1) {
		e->send_errors++;
		return;
	}
	e->sent++;
}

/* P goes away: no slot may point at it. */
void
probe_icmp_forget(struct probe_engine *e, struct probe_rt *p)
{
	for (int f = 0; f < 2; f++)
		for (int i = 0; i < NP_PROBE_PINGS; i++)
			if (e->icmp[f].map[p->seq[i]].p == p)
				e->icmp[f].map[p->seq[i]].p = NULL;
}

void
probe_icmp_close(struct probe_engine *e)
{
	for (int f = 0; f < 2; f++) {
		if (e->icmp[f].ev)
			event_free(e->icmp[f].ev);
		e->icmp[f].ev = NULL;
		if (e->icmp[f].fd != -1)
			close(e->icmp[f].fd);
		e->icmp[f].fd = -1;
	}
}
