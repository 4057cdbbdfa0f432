/*
 * trapload.c - a paced SNMPv2c trap (and inform) sender for the trap
 * benchmark.
 *
 * Encodes a set of distinct SNMPv2c Trap PDUs once (a linkDown, or an
 * enterprise trap with the same varbinds: sysUpTime.0, snmpTrapOID.0,
 * ifIndex, ifAdminStatus, ifOperStatus and an ifInErrors counter), then
 * sends them at a target rate for a duration, in sendmmsg batches paced
 * by a token bucket, from many source addresses (one socket bound to
 * each of 127.1.0.1, 127.1.0.2, ...), to one receiver.  Every datagram
 * is unique: its request-id and its counter carry a sequence number
 * (SEQBASE + n, always four octets), so a receiver's log or store can be
 * checked for gaps and duplicates.
 *
 *	trapload -p PORT [-d 127.0.0.1] [-r RATE] [-t SECONDS] [-n SOURCES]
 *	    [-b 127.1.0.1] [-c COMMUNITY] [-k linkdown|enterprise]
 *	    [-N TEMPLATES] [-B BATCH] [-s FIRSTSEQ] [-I WINDOW] [-W MS] [-j]
 *
 * A batch (-B) goes out every half millisecond at most (rate / 2000
 * datagrams, 1 to 32 unless given), each batch from the next source.
 *
 * -I WINDOW sends InformRequests instead, at most WINDOW unacknowledged
 * at a time (the rate is then a ceiling), and counts the Responses; an
 * inform unanswered after -W milliseconds (default 1000) is counted lost
 * and its slot freed.  -j prints the result as one JSON object.
 *
 * Build: cc -O2 -Wall -Wextra -o trapload trapload.c
 * Source addresses follow snmpfast's rule (host parts .0 and .255
 * skipped); every address must stay inside 127.0.0.0/8.
 */
#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SEQBASE		0x10000000u	/* request-ids and counters: 4 octets */
#define MAXBATCH	256
#define MAXSRC		4096
#define PKTMAX		512

struct tmpl {
	uint8_t		 buf[PKTMAX];
	size_t		 len;
	size_t		 reqidoff;	/* the 4 octets of the request-id */
	size_t		 ctroff;	/* the 4 octets of the counter */
};

/* An inform in flight. */
struct slot {
	uint32_t	 seq;
	double		 sent;
	int		 busy;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Tag and a short or two-octet definite length. */
static uint8_t *
put_tl(uint8_t *p, uint8_t tag, size_t len)
{
	*p++ = tag;
	if (len < 0x80)
		*p++ = len;
	else {
		*p++ = 0x82;
		*p++ = len >> 8;
		*p++ = len;
	}
	return p;
}

static size_t
tl_len(size_t len)
{
	return len < 0x80 ? 2 : 4;
}

/* An unsigned value in its shortest form under TAG (INTEGER, Counter32,
 * TimeTicks), or in exactly four octets when FIXED (the caller keeps it
 * under 0x80000000 and at least 0x01000000). */
static uint8_t *
put_uint(uint8_t *p, uint8_t tag, uint32_t v, int fixed)
{
	uint8_t o[5];
	int n = 0;

	if (fixed) {
		*p++ = tag;
		*p++ = 4;
		*p++ = v >> 24;
		*p++ = v >> 16;
		*p++ = v >> 8;
		*p++ = v;
		return p;
	}
	do {
		o[n++] = v & 0xff;
		v >>= 8;
	} while (v);
	if (o[n - 1] & 0x80)
		o[n++] = 0;
	*p++ = tag;
	*p++ = n;
	while (n)
		*p++ = o[--n];
	return p;
}

/* An OID from a dotted string, its last sub-identifier replaced by LAST
 * when LAST is not 0. */
static size_t
enc_oid(uint8_t *out, const char *s, uint32_t last)
{
	uint32_t sub[64];
	size_t n = 0, len = 0;
	char *end;

	while (*s && n < 64) {
		sub[n++] = strtoul(s, &end, 10);
		s = *end == '.' ? end + 1 : end;
		if (*end != '.' && *end != '\0')
			errx(2, "bad OID");
	}
	if (last)
		sub[n++] = last;
	out[len++] = sub[0] * 40 + sub[1];
	for (size_t i = 2; i < n; i++) {
		uint32_t v = sub[i];
		uint8_t t[5];
		int k = 0;

		do {
			t[k++] = v & 0x7f;
			v >>= 7;
		} while (v);
		while (k > 1)
			out[len++] = t[--k] | 0x80;
		out[len++] = t[0];
	}
	return len;
}

/* One varbind: NAME (encoded) and VALUE (a whole TLV). */
static uint8_t *
put_vb(uint8_t *p, const uint8_t *name, size_t nlen, const uint8_t *val,
    size_t vlen)
{
	size_t inner = 2 + nlen + vlen;

	p = put_tl(p, 0x30, inner);
	p = put_tl(p, 0x06, nlen);
	memcpy(p, name, nlen);
	p += nlen;
	memcpy(p, val, vlen);
	return p + vlen;
}

/*
 * Template I: ifIndex 1 + I % 48, sysUpTime growing with I.  Varbinds
 * are encoded first into VB, then wrapped; the offsets of the request-id
 * and the counter are found as the wrapping goes.
 */
static void
build(struct tmpl *t, int i, const char *community, int kind, int inform)
{
	static const char *trapoid[] = {
		"1.3.6.1.6.3.1.1.5.3",		/* IF-MIB::linkDown */
		"1.3.6.1.4.1.99999.0.3",	/* an enterprise trap */
	};
	uint8_t vb[PKTMAX], name[64], val[64], *p = vb, *q, *v;
	uint32_t ifindex = 1 + i % 48;
	size_t nlen, vlen, ctr_in_vb, vblen, pdulen, msglen, clen;

	/* sysUpTime.0 */
	nlen = enc_oid(name, "1.3.6.1.2.1.1.3.0", 0);
	vlen = put_uint(val, 0x43, 360000 + 100 * i, 0) - val;
	p = put_vb(p, name, nlen, val, vlen);
	/* snmpTrapOID.0 */
	nlen = enc_oid(name, "1.3.6.1.6.3.1.1.4.1.0", 0);
	vlen = enc_oid(val + 2, trapoid[kind], 0);
	put_tl(val, 0x06, vlen);
	p = put_vb(p, name, nlen, val, vlen + 2);
	/* ifIndex, ifAdminStatus up, ifOperStatus down */
	nlen = enc_oid(name, "1.3.6.1.2.1.2.2.1.1", ifindex);
	vlen = put_uint(val, 0x02, ifindex, 0) - val;
	p = put_vb(p, name, nlen, val, vlen);
	nlen = enc_oid(name, "1.3.6.1.2.1.2.2.1.7", ifindex);
	vlen = put_uint(val, 0x02, 1, 0) - val;
	p = put_vb(p, name, nlen, val, vlen);
	nlen = enc_oid(name, "1.3.6.1.2.1.2.2.1.8", ifindex);
	vlen = put_uint(val, 0x02, 2, 0) - val;
	p = put_vb(p, name, nlen, val, vlen);
	/* ifInErrors: Counter32, four octets, patched per datagram */
	nlen = enc_oid(name, "1.3.6.1.2.1.2.2.1.14", ifindex);
	vlen = put_uint(val, 0x41, SEQBASE, 1) - val;
	ctr_in_vb = (p - vb) + tl_len(2 + nlen + vlen) + 2 + nlen + 2;
	p = put_vb(p, name, nlen, val, vlen);
	vblen = p - vb;

	clen = strlen(community);
	/* request-id (6) error-status (3) error-index (3) varbind list */
	pdulen = 6 + 3 + 3 + tl_len(vblen) + vblen;
	msglen = 3 + tl_len(clen) + clen + tl_len(pdulen) + pdulen;
	if (tl_len(msglen) + msglen > PKTMAX)
		errx(2, "trap too large (community too long?)");
	q = t->buf;
	q = put_tl(q, 0x30, msglen);
	q = put_uint(q, 0x02, 1, 0);		/* version: v2c */
	q = put_tl(q, 0x04, clen);
	memcpy(q, community, clen);
	q += clen;
	q = put_tl(q, inform ? 0xa6 : 0xa7, pdulen);
	t->reqidoff = (q - t->buf) + 2;
	q = put_uint(q, 0x02, SEQBASE, 1);
	q = put_uint(q, 0x02, 0, 0);
	q = put_uint(q, 0x02, 0, 0);
	q = put_tl(q, 0x30, vblen);
	v = q;
	memcpy(q, vb, vblen);
	q += vblen;
	t->ctroff = (v - t->buf) + ctr_in_vb;
	t->len = q - t->buf;
}

static void
patch(struct tmpl *t, uint32_t seq)
{
	uint32_t v = SEQBASE + seq;
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	memcpy(t->buf + t->reqidoff, b, 4);
	memcpy(t->buf + t->ctroff, b, 4);
}

/* The request-id of a Response, or -1. */
static long
response_reqid(const uint8_t *b, size_t n)
{
	size_t off = 0, len;

	/* SEQUENCE, version, community, then the PDU */
	for (int field = 0; field < 4; field++) {
		if (off + 2 > n)
			return -1;
		uint8_t tag = b[off++];

		len = b[off++];
		if (len & 0x80) {
			int k = len & 0x7f;

			if (k > 2 || off + k > n)
				return -1;
			for (len = 0; k; k--)
				len = (len << 8) | b[off++];
		}
		if (field == 0 || field == 3) {
			if (field == 3 && tag != 0xa2)
				return -1;
			continue;	/* into the constructed value */
		}
		off += len;
	}
	if (off + 6 > n || b[off] != 0x02 || b[off + 1] != 4)
		return -1;
	return ((long)b[off + 2] << 24) | (b[off + 3] << 16) |
	    (b[off + 4] << 8) | b[off + 5];
}

/* Informs in flight, and what came back. */
static struct slot *slots;
static double *lat;
static int window;
static uint64_t inflight, acked, lost, stray, nlat, maxlat;

/* Read the Responses waiting on the sockets EP watches, for up to MS. */
static void
drain(int ep, const int *fds, int ms)
{
	struct epoll_event evs[64];
	int k = epoll_wait(ep, evs, 64, ms);

	for (int e = 0; e < k; e++) {
		uint8_t rb[PKTMAX * 2];
		ssize_t r;

		while ((r = recv(fds[evs[e].data.u32], rb, sizeof(rb), 0)) >
		    0) {
			long id = response_reqid(rb, r);
			uint32_t s = (uint32_t)id - SEQBASE;
			struct slot *sl = &slots[s % window];

			if (id < 0 || !sl->busy || sl->seq != s) {
				stray++;
				continue;
			}
			sl->busy = 0;
			inflight--;
			acked++;
			if (nlat < maxlat)
				lat[nlat++] = now() - sl->sent;
		}
	}
}

/* Informs unanswered for LIMIT seconds are lost; their slots are free. */
static void
expire(double limit)
{
	double before = now() - limit;

	for (int i = 0; i < window; i++)
		if (slots[i].busy && slots[i].sent < before) {
			slots[i].busy = 0;
			inflight--;
			lost++;
		}
}

static void
usage(void)
{
	fprintf(stderr, "usage: trapload -p port [-d 127.0.0.1] [-r rate] "
	    "[-t seconds] [-n sources]\n"
	    "\t[-b 127.1.0.1] [-c community] [-k linkdown|enterprise] "
	    "[-N templates]\n"
	    "\t[-B batch] [-s firstseq] [-I window] [-W ms] [-j]\n");
	exit(2);
}

static uint32_t
next_addr(uint32_t a)
{
	do
		a++;
	while ((a & 0xff) == 0 || (a & 0xff) == 0xff);
	return a;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	const char *dest = "127.0.0.1", *first = "127.1.0.1";
	const char *community = "public";
	double rate = 10000, secs = 5, wait_ms = 1000;
	int port = 0, nsrc = 64, ntmpl = 1024, batch = 0, kind = 0;
	int json = 0, ch;
	uint32_t seq0 = 0;
	struct sockaddr_in to;
	struct in_addr ia;
	struct tmpl *t;
	int *fds;
	uint32_t a;
	char *end;

	while ((ch = getopt(argc, argv, "d:p:r:t:n:b:c:k:N:B:s:I:W:j")) != -1) {
		switch (ch) {
		case 'd': dest = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'r': rate = strtod(optarg, &end); break;
		case 't': secs = strtod(optarg, &end); break;
		case 'n': nsrc = atoi(optarg); break;
		case 'b': first = optarg; break;
		case 'c': community = optarg; break;
		case 'k':
			if (strcmp(optarg, "linkdown") == 0)
				kind = 0;
			else if (strcmp(optarg, "enterprise") == 0)
				kind = 1;
			else
				usage();
			break;
		case 'N': ntmpl = atoi(optarg); break;
		case 'B': batch = atoi(optarg); break;
		case 's': seq0 = strtoul(optarg, &end, 10); break;
		case 'I': window = atoi(optarg); break;
		case 'W': wait_ms = strtod(optarg, &end); break;
		case 'j': json = 1; break;
		default: usage();
		}
	}
	/* by default a batch every half millisecond, at most 32 */
	if (batch == 0)
		batch = rate >= 64000 ? 32 : rate >= 4000 ? (int)(rate / 2000) : 1;
	if (port <= 0 || port > 65535 || rate <= 0 || secs <= 0 ||
	    nsrc < 1 || nsrc > MAXSRC || batch < 1 || batch > MAXBATCH ||
	    ntmpl < batch || window < 0 || wait_ms <= 0 ||
	    (uint64_t)seq0 + rate * secs * 1.5 >= 0x6f000000)
		usage();

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(port);
	if (inet_pton(AF_INET, dest, &to.sin_addr) != 1 ||
	    (ntohl(to.sin_addr.s_addr) >> 24) != 127)
		errx(2, "the receiver must be inside 127.0.0.0/8");
	if (inet_pton(AF_INET, first, &ia) != 1)
		errx(2, "bad source address %s", first);

	/* one socket per source address */
	if ((fds = calloc(nsrc, sizeof(*fds))) == NULL)
		err(1, "calloc");
	a = ntohl(ia.s_addr);
	if ((a & 0xff) == 0 || (a & 0xff) == 0xff)
		a = next_addr(a);
	for (int i = 0; i < nsrc; i++, a = next_addr(a)) {
		struct sockaddr_in sa;
		int sz = 4 << 20;

		if ((a >> 24) != 127)
			errx(2, "source addresses must stay inside 127.0.0.0/8");
		if ((fds[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK,
		    0)) == -1)
			err(1, "socket");
		setsockopt(fds[i], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_addr.s_addr = htonl(a);
		if (bind(fds[i], (struct sockaddr *)&sa, sizeof(sa)) == -1)
			err(1, "bind %s", inet_ntoa(sa.sin_addr));
		if (connect(fds[i], (struct sockaddr *)&to, sizeof(to)) == -1)
			err(1, "connect");
	}

	if ((t = calloc(ntmpl, sizeof(*t))) == NULL)
		err(1, "calloc");
	for (int i = 0; i < ntmpl; i++)
		build(&t[i], i, community, kind, window > 0);

	struct mmsghdr msgs[MAXBATCH];
	struct iovec iov[MAXBATCH];
	uint64_t sent = 0, errors = 0, eagain = 0;
	uint32_t seq = seq0;
	unsigned long rounds = 0;
	int ep = -1, src = 0;
	double t0, tend, tlast = 0, tnow, elapsed;

	if (window > 0) {
		struct epoll_event ev = { .events = EPOLLIN };

		if ((slots = calloc(window, sizeof(*slots))) == NULL)
			err(1, "calloc");
		maxlat = (uint64_t)(rate * secs) + 1;
		if ((lat = malloc(maxlat * sizeof(*lat))) == NULL)
			err(1, "malloc");
		if ((ep = epoll_create1(0)) == -1)
			err(1, "epoll_create1");
		for (int i = 0; i < nsrc; i++) {
			ev.data.u32 = i;
			if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev) == -1)
				err(1, "epoll_ctl");
		}
	}
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < MAXBATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	t0 = now();
	tend = t0 + secs;
	while ((tnow = now()) < tend) {
		/* tokens earned so far, less what was sent */
		double due = rate * (tnow - t0) - (double)sent;
		int n = due >= batch ? batch : (int)due;

		if (window > 0) {
			drain(ep, fds, 0);
			if ((++rounds & 255) == 0)
				expire(wait_ms / 1000);
			/* a free slot for every inform of the batch */
			int k = 0;

			while (k < n && k < window &&
			    !slots[(seq + k) % window].busy)
				k++;
			if ((n = k) <= 0) {
				drain(ep, fds, 1);
				continue;
			}
		} else if (n < batch) {
			/* sleep until a batch's worth of tokens */
			double need = (batch - (due > 0 ? due : 0)) / rate;
			struct timespec ts;

			if (need > 0.002)
				need = 0.002;
			ts.tv_sec = 0;
			ts.tv_nsec = (long)(need * 1e9);
			nanosleep(&ts, NULL);
			continue;
		}
		for (int i = 0; i < n; i++) {
			struct tmpl *tp = &t[(seq + i) % ntmpl];

			patch(tp, seq + i);
			iov[i].iov_base = tp->buf;
			iov[i].iov_len = tp->len;
		}
		int r = sendmmsg(fds[src], msgs, n, 0);

		src = (src + 1) % nsrc;
		if (r < 0) {
			if (errno == EAGAIN || errno == ENOBUFS)
				eagain++;
			else
				errors++;
			continue;
		}
		if (window > 0) {
			double ts = now();

			for (int i = 0; i < r; i++) {
				struct slot *sl = &slots[(seq + i) % window];

				sl->busy = 1;
				sl->seq = seq + i;
				sl->sent = ts;
			}
			inflight += r;
		}
		sent += r;
		seq += r;
		tlast = now();
	}
	elapsed = (tlast > t0 ? tlast : now()) - t0;

	/* informs: wait for the last answers */
	if (window > 0) {
		double lim = now() + wait_ms / 1000;

		while (inflight > 0 && now() < lim)
			drain(ep, fds, 10);
		lost += inflight;
	}

	double p50 = 0, p99 = 0, pmax = 0;

	if (nlat > 0) {
		qsort(lat, nlat, sizeof(*lat), cmp_double);
		p50 = lat[nlat / 2] * 1e3;
		p99 = lat[(size_t)(nlat * 0.99)] * 1e3;
		pmax = lat[nlat - 1] * 1e3;
	}
	if (json) {
		printf("{\"sent\": %llu, \"seconds\": %.6f, \"rate\": %.1f, "
		    "\"target\": %.1f, \"first_seq\": %u, \"next_seq\": %u, "
		    "\"seqbase\": %u, \"sources\": %d, \"batch\": %d, "
		    "\"bytes\": %zu, \"send_errors\": %llu, "
		    "\"send_eagain\": %llu",
		    (unsigned long long)sent, elapsed,
		    elapsed > 0 ? sent / elapsed : 0, rate, seq0, seq,
		    SEQBASE, nsrc, batch, t[0].len,
		    (unsigned long long)errors, (unsigned long long)eagain);
		if (window > 0)
			printf(", \"informs\": true, \"window\": %d, "
			    "\"acked\": %llu, \"lost\": %llu, \"stray\": %llu, "
			    "\"acked_rate\": %.1f, \"latency_ms\": "
			    "{\"p50\": %.3f, \"p99\": %.3f, \"max\": %.3f}",
			    window, (unsigned long long)acked,
			    (unsigned long long)lost,
			    (unsigned long long)stray,
			    elapsed > 0 ? acked / elapsed : 0, p50, p99, pmax);
		printf("}\n");
	} else {
		printf("sent %llu %s in %.3f s: %.0f/s (target %.0f/s), "
		    "%d sources, %zu-byte datagrams, %llu send errors, "
		    "%llu EAGAIN\n", (unsigned long long)sent,
		    window ? "informs" : "traps", elapsed,
		    elapsed > 0 ? sent / elapsed : 0, rate, nsrc, t[0].len,
		    (unsigned long long)errors, (unsigned long long)eagain);
		if (window > 0)
			printf("acknowledged %llu (%.0f/s), lost %llu, stray "
			    "%llu; latency p50 %.3f ms, p99 %.3f ms, max "
			    "%.3f ms\n", (unsigned long long)acked,
			    elapsed > 0 ? acked / elapsed : 0,
			    (unsigned long long)lost,
			    (unsigned long long)stray, p50, p99, pmax);
	}
	return 0;
}
