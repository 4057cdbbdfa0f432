/*
 * snmpload.c - a GetBulk load generator for measuring snmpfast.
 *
 * Sends SNMPv2c GetBulk requests for 16 IF-MIB columns (the counters
 * and states a poller reads) round-robin to N consecutive loopback
 * addresses, keeping a window of requests in flight, for a given time,
 * and reports requests, responses and varbinds per second.  Each device
 * is asked for rows 1-10, 11-20, ... 41-50 in turn, as a poller walking
 * a 48-port table would.
 *
 *	snmpload [-b 127.1.0.1] [-n N] [-p port] [-c community]
 *	    [-r repetitions] [-w window] [-d seconds]
 *
 * Build: cc -O2 -Wall -Wextra -o snmpload snmpload.c
 * Addresses follow snmpfast's rule (host parts .0 and .255 skipped) and
 * must stay inside 127.0.0.0/8.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NSTARTS		5	/* rows 1, 11, 21, 31, 41 */
#define REQID_BASE	0x10000000u	/* request-ids always take 4 octets */

/* ifTable: admin, oper, in/out discards and errors; ifXTable: HC counters,
 * ifHighSpeed, ifAlias. */
static const char *columns[] = {
	"1.3.6.1.2.1.2.2.1.7", "1.3.6.1.2.1.2.2.1.8",
	"1.3.6.1.2.1.2.2.1.13", "1.3.6.1.2.1.2.2.1.14",
	"1.3.6.1.2.1.2.2.1.19", "1.3.6.1.2.1.2.2.1.20",
	"1.3.6.1.2.1.31.1.1.1.6", "1.3.6.1.2.1.31.1.1.1.7",
	"1.3.6.1.2.1.31.1.1.1.8", "1.3.6.1.2.1.31.1.1.1.9",
	"1.3.6.1.2.1.31.1.1.1.10", "1.3.6.1.2.1.31.1.1.1.11",
	"1.3.6.1.2.1.31.1.1.1.12", "1.3.6.1.2.1.31.1.1.1.13",
	"1.3.6.1.2.1.31.1.1.1.15", "1.3.6.1.2.1.31.1.1.1.18",
};
#define NCOLS	(sizeof(columns) / sizeof(columns[0]))

struct tmpl {
	uint8_t		 buf[2048];
	size_t		 len;
	size_t		 reqidoff;	/* 4 octets of request-id */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Write tag and a short or two-octet definite length. */
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
tl_size(size_t len)
{
	return len < 0x80 ? 2 : 4;
}

/* OID text plus an optional row arc, as an OID TLV. */
static uint8_t *
put_oid(uint8_t *p, const char *text, unsigned long row)
{
	unsigned long arcs[130], v;
	uint8_t	 c[600], *q = c;
	size_t	 n = 0, i, k, len;
	char	*e;

	while (*text != '\0' && n < 128) {
		arcs[n++] = strtoul(text, &e, 10);
		text = *e == '.' ? e + 1 : e;
	}
	if (row > 0)
		arcs[n++] = row;
	for (i = 1; i < n; i++) {
		v = i == 1 ? arcs[0] * 40 + arcs[1] : arcs[i];
		for (len = 1; len < 5 && v >> (7 * len); len++)
			;
		for (k = len; k > 0; k--)
			*q++ = ((v >> (7 * (k - 1))) & 0x7f) | (k > 1 ? 0x80 : 0);
	}
	p = put_tl(p, 0x06, q - c);
	memcpy(p, c, q - c);
	return p + (q - c);
}

/* GetBulk { non-repeaters 0, max-repetitions reps, 16 columns from row }. */
static void
build(struct tmpl *t, const char *comm, int reps, unsigned long row)
{
	uint8_t	 vbl[1500], *p = vbl, vb[200], *q;
	uint8_t	 pdu[1800], *r;
	size_t	 i, commlen = strlen(comm), pdulen, msglen;

	for (i = 0; i < NCOLS; i++) {
		q = put_oid(vb, columns[i], row);
		*q++ = 0x05;
		*q++ = 0x00;
		p = put_tl(p, 0x30, q - vb);
		memcpy(p, vb, q - vb);
		p += q - vb;
	}
	r = pdu;
	*r++ = 0x02;	/* request-id, patched per request */
	*r++ = 4;
	r += 4;
	*r++ = 0x02; *r++ = 1; *r++ = 0;		/* non-repeaters */
	*r++ = 0x02; *r++ = 1; *r++ = reps;	/* max-repetitions */
	r = put_tl(r, 0x30, p - vbl);
	memcpy(r, vbl, p - vbl);
	r += p - vbl;
	pdulen = r - pdu;
	msglen = 3 + tl_size(commlen) + commlen + tl_size(pdulen) + pdulen;
	p = put_tl(t->buf, 0x30, msglen);
	*p++ = 0x02; *p++ = 1; *p++ = 1;		/* version: v2c */
	p = put_tl(p, 0x04, commlen);
	memcpy(p, comm, commlen);
	p += commlen;
	p = put_tl(p, 0xa5, pdulen);
	t->reqidoff = (p - t->buf) + 2;
	memcpy(p, pdu, pdulen);
	t->len = (p - t->buf) + pdulen;
}

/* Bounded TLV header read; -1 if it does not fit in [*p, end). */
static int
get_tl(const uint8_t **p, const uint8_t *end, uint8_t *tag, size_t *len)
{
	size_t	 n, l;

	if (end - *p < 2)
		return -1;
	*tag = *(*p)++;
	l = *(*p)++;
	if (l & 0x80) {
		n = l & 0x7f;
		if (n == 0 || n > 4 || (size_t)(end - *p) < n)
			return -1;
		for (l = 0; n > 0; n--)
			l = (l << 8) | *(*p)++;
	}
	if (l > (size_t)(end - *p))
		return -1;
	*len = l;
	return 0;
}

/* Count varbinds (and exceptions) of a v2c Response; -1 if not one. */
static long
parse_response(const uint8_t *buf, size_t n, long *exc, long *errstat)
{
	const uint8_t *p = buf, *end = buf + n, *vend;
	uint8_t	 tag;
	size_t	 len;
	long	 count = 0;
	int	 i;

	if (get_tl(&p, end, &tag, &len) == -1 || tag != 0x30)
		return -1;
	/* version, community */
	for (i = 0; i < 2; i++) {
		if (get_tl(&p, end, &tag, &len) == -1)
			return -1;
		p += len;
	}
	if (get_tl(&p, end, &tag, &len) == -1 || tag != 0xa2)
		return -1;
	/* request-id, error-status, error-index */
	for (i = 0; i < 3; i++) {
		if (get_tl(&p, end, &tag, &len) == -1 || tag != 0x02)
			return -1;
		if (i == 1 && len == 1)
			*errstat = *p;
		p += len;
	}
	if (get_tl(&p, end, &tag, &len) == -1 || tag != 0x30)
		return -1;
	end = p + len;
	while (p < end) {
		if (get_tl(&p, end, &tag, &len) == -1 || tag != 0x30)
			return -1;
		vend = p + len;
		if (get_tl(&p, vend, &tag, &len) == -1 || tag != 0x06)
			return -1;
		p += len;
		if (get_tl(&p, vend, &tag, &len) == -1)
			return -1;
		if (tag >= 0x80 && tag <= 0x82)
			(*exc)++;
		p = vend;
		count++;
	}
	return count;
}

static void
usage(void)
{
	fprintf(stderr, "usage: snmpload [-b 127.1.0.1] [-n devices] "
	    "[-p port] [-c community] [-r reps] [-w window] [-d seconds]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	static struct tmpl t[NSTARTS];
	static uint8_t rbuf[65536];
	struct sockaddr_in *dst, sin;
	struct pollfd pfd;
	struct rusage ru;
	const char *comm = "public";
	double	 dur = 10, t0, tend, tlast, el, cpu;
	unsigned long long sent = 0, resp = 0, vbs = 0, lost = 0, bad = 0;
	long	 exc = 0, errs = 0, es, c;
	uint32_t base, a, reqid;
	size_t	 ndev = 1, i, k;
	int	 ch, fd, port = 161, reps = 10, window = 32, inflight = 0;
	ssize_t	 n;
	struct in_addr ia;

	inet_pton(AF_INET, "127.1.0.1", &ia);
	while ((ch = getopt(argc, argv, "b:c:d:n:p:r:w:")) != -1) {
		switch (ch) {
		case 'b':
			if (inet_pton(AF_INET, optarg, &ia) != 1)
				errx(2, "bad address %s", optarg);
			break;
		case 'c':
			comm = optarg;
			break;
		case 'd':
			dur = atof(optarg);
			break;
		case 'n':
			ndev = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		case 'w':
			window = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (ndev < 1 || ndev > 1000000 || reps < 1 || reps > 127 ||
	    window < 1 || dur <= 0 || strlen(comm) > 200)
		usage();
	base = ntohl(ia.s_addr);
	if ((dst = calloc(ndev, sizeof(*dst))) == NULL)
		err(1, NULL);
	for (i = 0, a = base; i < ndev; i++) {
		while ((a & 0xff) == 0 || (a & 0xff) == 0xff)
			a++;
		if ((a >> 24) != 127)
			errx(2, "addresses must stay inside 127.0.0.0/8");
		dst[i].sin_family = AF_INET;
		dst[i].sin_port = htons(port);
		dst[i].sin_addr.s_addr = htonl(a++);
	}
	for (k = 0; k < NSTARTS; k++)
		build(&t[k], comm, reps, k * reps);

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) == -1)
		err(1, "socket");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(1, "bind");
	c = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &c, sizeof(c));

	pfd.fd = fd;
	pfd.events = POLLIN;
	t0 = tlast = now();
	tend = t0 + dur;
	while (now() < tend) {
		while (inflight < window) {
			i = sent % ndev;
			k = (sent / ndev) % NSTARTS;
			reqid = REQID_BASE + (uint32_t)(sent % 0x60000000u);
			t[k].buf[t[k].reqidoff] = reqid >> 24;
			t[k].buf[t[k].reqidoff + 1] = reqid >> 16;
			t[k].buf[t[k].reqidoff + 2] = reqid >> 8;
			t[k].buf[t[k].reqidoff + 3] = reqid;
			if (sendto(fd, t[k].buf, t[k].len, 0,
			    (struct sockaddr *)&dst[i], sizeof(dst[i])) == -1) {
				if (errno == EAGAIN || errno == ENOBUFS)
					break;
				err(1, "sendto");
			}
			sent++;
			inflight++;
		}
		if (poll(&pfd, 1, 50) == 0) {
			if (now() - tlast > 0.2) {
				lost += inflight;	/* assume they are gone */
				inflight = 0;
			}
			continue;
		}
		while ((n = recv(fd, rbuf, sizeof(rbuf), 0)) > 0) {
			tlast = now();
			es = 0;
			if ((c = parse_response(rbuf, n, &exc, &es)) == -1)
				bad++;
			else {
				resp++;
				vbs += c;
				if (es != 0)
					errs++;
			}
			if (inflight > 0)
				inflight--;
		}
	}
	el = now() - t0;
	getrusage(RUSAGE_SELF, &ru);
	cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	printf("snmpload: %zu devices, %zu columns x %d repetitions, "
	    "window %d, %.1fs\n", ndev, NCOLS, reps, window, el);
	printf("snmpload: sent %llu responses %llu (%.0f/s) varbinds %llu "
	    "(%.0f/s, %.1f per response)\n", sent, resp, resp / el, vbs,
	    vbs / el, resp ? (double)vbs / resp : 0.0);
	printf("snmpload: exceptions %ld error-status %ld unparsable %llu "
	    "lost %llu client cpu %.2fs\n", exc, errs, bad, lost, cpu);
	return 0;
}
