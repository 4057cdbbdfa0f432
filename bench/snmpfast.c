/*
 * snmpfast.c - a fast SNMP v1/v2c agent simulator for benchmarks.
 *
 * Serves one snmpsim-format recording (OID|TAG|VALUE lines) on many
 * consecutive loopback addresses at once: one UDP socket per simulated
 * device, all driven by epoll from one thread (or -t THREADS).  Counters
 * carrying the snmpsim "numeric" variation move with time, and a little
 * differently on every device.
 *
 *	snmpfast -f FILE.snmprec [-n N] [-b 127.1.0.1] [-p 161] [-t THREADS]
 *	    [-c COMMUNITY] [-P PIDFILE] [-m MAXVARBINDS] [-M MAXMSGSIZE] [-S] [-l]
 *
 * Build: cc -O2 -Wall -Wextra -o snmpfast snmpfast.c -lpthread -lm
 * (or "make -C bench").  Only libc, libpthread and libm are needed.
 *
 * Everything here binds to 127.0.0.0/8 only; other addresses are refused.
 * See bench/README.md ("snmpfast") for usage and measured throughput.
 */
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_OID_LEN	128	/* sub-identifiers in one OID (RFC 2578) */
#define MAX_MSG		65535	/* largest datagram accepted */
#define DEF_MAX_RESP	65000	/* largest response built, bytes */
#define MIN_MAX_RESP	484	/* RFC 3417: every agent takes 484 */
#define DEF_MAX_VB	1000	/* most varbinds in one GetBulk response */
#define MAX_COMMUNITY	255	/* longer communities are dropped */
#define HDR_ROOM	(MAX_COMMUNITY + 64)	/* room for response headers */
#define MAX_REQ_VB	(MAX_MSG / 6 + 1)	/* smallest varbind: 6 bytes */
#define MAX_DEVICES	1000000
#define DRAIN_BATCH	32	/* datagrams read per socket per wakeup */
#define DEV_OFFSET	100003ULL	/* per-device shift of counters */

/* BER identifier octets (X.690) and SNMP application types (RFC 2578). */
#define BER_INTEGER	0x02
#define BER_OCTETS	0x04
#define BER_NULL	0x05
#define BER_OID		0x06
#define BER_SEQUENCE	0x30
#define BER_IPADDR	0x40
#define BER_COUNTER32	0x41
#define BER_GAUGE32	0x42
#define BER_TIMETICKS	0x43
#define BER_OPAQUE	0x44
#define BER_COUNTER64	0x46
#define BER_NOSUCHOBJ	0x80	/* v2c exceptions, [n] IMPLICIT NULL */
#define BER_NOSUCHINST	0x81
#define BER_ENDOFMIB	0x82

/* PDU tags (RFC 3416). */
#define PDU_GET		0xa0
#define PDU_GETNEXT	0xa1
#define PDU_RESPONSE	0xa2
#define PDU_SET		0xa3
#define PDU_GETBULK	0xa5

/* error-status values. */
#define ERR_NOERROR	0
#define ERR_TOOBIG	1
#define ERR_NOSUCHNAME	2
#define ERR_NOTWRITABLE	17

#define SNMP_V1		0
#define SNMP_V2C	1

/* The snmpsim "numeric" variation of one record. */
struct numeric {
	uint64_t	 initial;	/* two's complement for INTEGER */
	double		 rate;		/* units per second, scale folded in */
	double		 offset;
	double		 deviation;
	uint64_t	 min;
	uint64_t	 max;
	int		 hasmax;
	int		 wrap;
};

/* One line of the recording. */
struct rec {
	uint32_t	*oid;
	size_t		 oidlen;
	uint8_t		*enc;		/* OID TLV, then value TLV if static */
	size_t		 oidtlvlen;
	size_t		 valtlvlen;	/* 0: value computed per request */
	uint8_t		 tag;		/* BER tag of the value */
	struct numeric	*num;		/* numeric variation, or NULL */
	size_t		 line;
};

/* A bounded BER reader: p walks towards end and never past it. */
struct ber {
	const uint8_t	*p;
	const uint8_t	*end;
};

/* One varbind of a request, and a GetBulk repeater's position. */
struct reqvb {
	const uint8_t	*name;		/* OID TLV to echo in the response */
	size_t		 namelen;
	const uint8_t	*oid;		/* OID contents */
	size_t		 oidlen;
	size_t		 next;		/* repeater: next record to return */
};

/* A decoded request; pointers into the receive buffer. */
struct req {
	int		 version;
	const uint8_t	*comm;
	size_t		 commlen;
	uint8_t		 pdu;
	const uint8_t	*reqid;		/* request-id contents, echoed */
	size_t		 reqidlen;
	int64_t		 nonrep;	/* error-status in other PDUs */
	int64_t		 maxrep;	/* error-index in other PDUs */
	const uint8_t	*vbl;		/* varbind list contents */
	size_t		 vbllen;
	size_t		 nvb;
};

/* The varbind list being built in a response. */
struct out {
	uint8_t		*start;
	uint8_t		*p;
	uint8_t		*lim;
	size_t		 nvb;
};

struct stats {
	uint64_t	 requests;	/* well formed and answered */
	uint64_t	 responses;
	uint64_t	 varbinds;	/* in responses */
	uint64_t	 malformed;	/* dropped: bad BER or framing */
	uint64_t	 badcommunity;	/* dropped: -c given and no match */
	uint64_t	 ignored;	/* dropped: v3, responses, traps */
	uint64_t	 toobig;
	uint64_t	 truncated;	/* GetBulk responses cut short */
	uint64_t	 senderr;
};

struct worker {
	pthread_t	 thread;
	int		 epfd;
	uint8_t		*rbuf;
	uint8_t		*wbuf;
	struct reqvb	*vbs;
	uint64_t	 rng;
	struct timespec	 now;
	struct stats	 st;
};

static struct rec	*recs;
static size_t		 nrecs;
static int		*devfd;
static uint32_t		*devaddr;
static size_t		 ndevs = 1;
static const char	*community;
static size_t		 maxresp = DEF_MAX_RESP;
static size_t		 maxvb = DEF_MAX_VB;
static int		 samedevs;
static int		 stopfd = -1;
static struct timespec	 tstart;

static void
usage(void)
{
	fprintf(stderr, "usage: snmpfast -f file.snmprec [-n devices] "
	    "[-b 127.1.0.1] [-p port] [-t threads]\n"
	    "\t[-c community] [-P pidfile] [-m maxvarbinds] "
	    "[-M maxmsgsize] [-S] [-l]\n");
	exit(2);
}

/* ------------------------------------------------------------------ */
/* OIDs as arrays of sub-identifiers                                   */

/* Lexicographic order by sub-identifier; a prefix sorts first. */
static int
oid_cmp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen)
{
	size_t	 i, n = alen < blen ? alen : blen;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	if (alen == blen)
		return 0;
	return alen < blen ? -1 : 1;
}

static int
oid_isprefix(const uint32_t *pfx, size_t plen, const uint32_t *oid,
    size_t olen)
{
	return plen <= olen && memcmp(pfx, oid, plen * sizeof(*pfx)) == 0;
}

/* Parse dotted text ("1.3.6.1", optional leading dot). */
static int
oid_parse(const char *s, uint32_t *oid, size_t *oidlen)
{
	unsigned long long	 v;
	size_t			 n = 0;
	char			*e;

	if (*s == '.')
		s++;
	while (*s != '\0') {
		if (!isdigit((unsigned char)*s) || n >= MAX_OID_LEN)
			return -1;
		errno = 0;
		v = strtoull(s, &e, 10);
		if (errno != 0 || v > UINT32_MAX)
			return -1;
		oid[n++] = v;
		s = e;
		if (*s == '.' && s[1] != '\0')
			s++;
		else if (*s != '\0')
			return -1;
	}
	if (n < 2 || oid[0] > 2 || (oid[0] < 2 && oid[1] >= 40) ||
	    (oid[0] == 2 && oid[1] > UINT32_MAX - 80))
		return -1;
	*oidlen = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* BER encoding (X.690, definite lengths, minimal forms)               */

static size_t
ber_len_size(size_t len)
{
	if (len < 0x80)
		return 1;
	if (len < 0x100)
		return 2;
	if (len < 0x10000)
		return 3;
	return 4;
}

/* Write a definite length: short form below 128, else 0x8n + n octets. */
static uint8_t *
ber_put_len(uint8_t *p, size_t len)
{
	size_t	 n = ber_len_size(len) - 1, i;

	if (n == 0) {
		*p++ = len;
		return p;
	}
	*p++ = 0x80 | n;
	for (i = n; i > 0; i--)
		*p++ = len >> (8 * (i - 1));
	return p;
}

/* Unsigned value as a minimal INTEGER-like TLV: a 0x00 keeps it positive. */
static size_t
ber_enc_uint(uint8_t *p, uint8_t tag, uint64_t v)
{
	size_t	 n = 1, i;

	while (n < 8 && v >> (8 * n) != 0)
		n++;
	if ((v >> (8 * (n - 1))) & 0x80)
		n++;			/* leading 0x00: up to 9 octets */
	p[0] = tag;
	p[1] = n;
	for (i = 0; i < n; i++)
		p[2 + i] = (8 * (n - 1 - i) >= 64) ? 0 :
		    v >> (8 * (n - 1 - i));
	return 2 + n;
}

/* Signed value, two's complement in the fewest octets (X.690 8.3). */
static size_t
ber_enc_int(uint8_t *p, uint8_t tag, int64_t v)
{
	uint64_t u = (uint64_t)v;
	size_t	 n = 1, i;

	while (n < 8 && (v < -(INT64_C(1) << (8 * n - 1)) ||
	    v >= (INT64_C(1) << (8 * n - 1))))
		n++;
	p[0] = tag;
	p[1] = n;
	for (i = 0; i < n; i++)
		p[2 + i] = u >> (8 * (n - 1 - i));
	return 2 + n;
}

/* Size of the encoded sub-identifiers of an OID (contents only). */
static size_t
oid_enc_size(const uint32_t *oid, size_t n)
{
	size_t	 size = 0, i;
	uint32_t v;

	for (i = 1; i < n; i++) {
		v = (i == 1) ? oid[0] * 40 + oid[1] : oid[i];
		size++;
		while (v >>= 7)
			size++;
	}
	return size;
}

/*
 * OID contents (X.690 8.19): base 128, bit 8 set on every octet of a
 * sub-identifier but its last; the first two arcs are packed as 40X+Y.
 */
static uint8_t *
oid_enc(uint8_t *p, const uint32_t *oid, size_t n)
{
	size_t	 i, k, len;
	uint32_t v;

	for (i = 1; i < n; i++) {
		v = (i == 1) ? oid[0] * 40 + oid[1] : oid[i];
		for (len = 1; len < 5 && v >> (7 * len); len++)
			;
		for (k = len; k > 0; k--)
			*p++ = ((v >> (7 * (k - 1))) & 0x7f) | (k > 1 ? 0x80 : 0);
	}
	return p;
}

/* Prepend a tag and length ending at p; return the new start. */
static uint8_t *
ber_prepend_tl(uint8_t *p, uint8_t tag, size_t len)
{
	p -= 1 + ber_len_size(len);
	p[0] = tag;
	ber_put_len(p + 1, len);
	return p;
}

static uint8_t *
ber_prepend_int(uint8_t *p, int64_t v)
{
	uint8_t	 tmp[12];
	size_t	 n = ber_enc_int(tmp, BER_INTEGER, v);

	p -= n;
	memcpy(p, tmp, n);
	return p;
}

static uint8_t *
ber_prepend_raw(uint8_t *p, uint8_t tag, const uint8_t *data, size_t len)
{
	p -= len;
	memcpy(p, data, len);
	return ber_prepend_tl(p, tag, len);
}

/* ------------------------------------------------------------------ */
/* BER decoding: every length is checked against what is left           */

/*
 * Read identifier and length octets; leave b->p on the contents.  Only
 * low tag numbers (one identifier octet) and definite lengths of at
 * most four length octets are accepted, and the contents must fit in
 * what is left of the enclosing buffer.
 */
static int
ber_header(struct ber *b, uint8_t *tag, size_t *len)
{
	size_t	 n, l;

	if (b->end - b->p < 2)
		return -1;
	*tag = *b->p++;
	if ((*tag & 0x1f) == 0x1f)
		return -1;		/* high tag number form */
	l = *b->p++;
	if (l & 0x80) {
		n = l & 0x7f;
		if (n == 0 || n > 4 || (size_t)(b->end - b->p) < n)
			return -1;	/* indefinite, huge or cut */
		for (l = 0; n > 0; n--)
			l = (l << 8) | *b->p++;
	}
	if (l > (size_t)(b->end - b->p))
		return -1;
	*len = l;
	return 0;
}

/* Read one TLV with tag want; *in gets its contents, b moves past it. */
static int
ber_expect(struct ber *b, uint8_t want, struct ber *in)
{
	uint8_t	 tag;
	size_t	 len;

	if (ber_header(b, &tag, &len) == -1 || tag != want)
		return -1;
	in->p = b->p;
	in->end = b->p + len;
	b->p += len;
	return 0;
}

/* INTEGER of 1 to 5 octets (Integer32 range plus a sign octet). */
static int
ber_get_int(struct ber *b, int64_t *v, const uint8_t **raw, size_t *rawlen)
{
	struct ber c;
	int64_t	 x;
	size_t	 n;

	if (ber_expect(b, BER_INTEGER, &c) == -1)
		return -1;
	n = c.end - c.p;
	if (n < 1 || n > 5)
		return -1;
	if (raw != NULL) {
		*raw = c.p;
		*rawlen = n;
	}
	x = (int8_t)*c.p++;
	while (c.p < c.end)
		x = x * 256 + *c.p++;
	*v = x;
	return 0;
}

/*
 * Decode OID contents (X.690 8.19) into sub-identifiers.  Rejects
 * sub-identifiers with a leading 0x80 octet (non-minimal), above 32
 * bits, cut at the end of the contents, or more than MAX_OID_LEN.
 * Empty contents give an empty OID, which sorts before everything.
 */
static int
oid_decode(const uint8_t *p, size_t len, uint32_t *oid, size_t *oidlen)
{
	size_t	 i = 0, n = 0;
	uint64_t v;

	while (i < len) {
		if (p[i] == 0x80)
			return -1;
		v = 0;
		do {
			if (i >= len)
				return -1;
			v = (v << 7) | (p[i] & 0x7f);
			if (v > UINT32_MAX)
				return -1;
		} while (p[i++] & 0x80);
		if (n == 0) {
			oid[0] = v < 40 ? 0 : v < 80 ? 1 : 2;
			oid[1] = v - 40 * oid[0];
			n = 2;
		} else {
			if (n >= MAX_OID_LEN)
				return -1;
			oid[n++] = v;
		}
	}
	*oidlen = n;
	return 0;
}

/*
 * Message ::= SEQUENCE { version INTEGER, community OCTET STRING, PDU }
 * PDU ::= [tag] IMPLICIT SEQUENCE { request-id INTEGER,
 *	error-status INTEGER (non-repeaters in GetBulk),
 *	error-index INTEGER (max-repetitions in GetBulk),
 *	variable-bindings SEQUENCE OF SEQUENCE { name OID, value ANY } }
 * (RFC 1157, RFC 1901, RFC 3416).  The whole datagram must be one
 * message, and every varbind must be well formed, before anything is
 * answered.  Returns 0, -1 for malformed, 1 for well formed but not
 * served here (SNMPv3, responses, traps).
 */
static int
parse_request(struct worker *w, const uint8_t *buf, size_t len,
    struct req *r)
{
	struct ber b = { buf, buf + len }, msg, comm, pdu, vbl, vb, name;
	uint32_t oid[MAX_OID_LEN];
	size_t	 oidlen, vlen, plen;
	int64_t	 v, errstat;
	uint8_t	 vtag;

	if (ber_expect(&b, BER_SEQUENCE, &msg) == -1 || b.p != b.end)
		return -1;
	if (ber_get_int(&msg, &v, NULL, NULL) == -1)
		return -1;
	if (v != SNMP_V1 && v != SNMP_V2C)
		return 1;
	r->version = v;
	if (ber_expect(&msg, BER_OCTETS, &comm) == -1 ||
	    comm.end - comm.p > MAX_COMMUNITY)
		return -1;
	r->comm = comm.p;
	r->commlen = comm.end - comm.p;
	if (ber_header(&msg, &r->pdu, &plen) == -1 || msg.p + plen != msg.end)
		return -1;
	pdu.p = msg.p;
	pdu.end = msg.end;
	switch (r->pdu) {
	case PDU_GET:
	case PDU_GETNEXT:
	case PDU_SET:
		break;
	case PDU_GETBULK:
		if (r->version == SNMP_V1)
			return 1;
		break;
	default:
		return 1;
	}
	if (ber_get_int(&pdu, &v, &r->reqid, &r->reqidlen) == -1 ||
	    ber_get_int(&pdu, &errstat, NULL, NULL) == -1 ||
	    ber_get_int(&pdu, &v, NULL, NULL) == -1)
		return -1;
	r->nonrep = errstat;
	r->maxrep = v;
	if (ber_expect(&pdu, BER_SEQUENCE, &vbl) == -1 || pdu.p != pdu.end)
		return -1;
	r->vbl = vbl.p;
	r->vbllen = vbl.end - vbl.p;
	for (r->nvb = 0; vbl.p < vbl.end; r->nvb++) {
		if (r->nvb >= MAX_REQ_VB ||
		    ber_expect(&vbl, BER_SEQUENCE, &vb) == -1)
			return -1;
		w->vbs[r->nvb].name = vb.p;
		if (ber_expect(&vb, BER_OID, &name) == -1)
			return -1;
		w->vbs[r->nvb].namelen = vb.p - w->vbs[r->nvb].name;
		w->vbs[r->nvb].oid = name.p;
		w->vbs[r->nvb].oidlen = name.end - name.p;
		if (oid_decode(name.p, name.end - name.p, oid, &oidlen) == -1)
			return -1;
		/* The value: any single TLV (NULL in requests). */
		if (ber_header(&vb, &vtag, &vlen) == -1 ||
		    vb.p + vlen != vb.end)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Looking records up                                                  */

/* Index of the first record >= oid. */
static size_t
rec_lower(const uint32_t *oid, size_t len)
{
	size_t	 lo = 0, hi = nrecs, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (oid_cmp(recs[mid].oid, recs[mid].oidlen, oid, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the first record > oid; in v1, Counter64 is skipped (RFC 3584). */
static size_t
rec_next(const uint32_t *oid, size_t len, int version)
{
	size_t	 i = rec_lower(oid, len);

	if (i < nrecs && oid_cmp(recs[i].oid, recs[i].oidlen, oid, len) == 0)
		i++;
	while (version == SNMP_V1 && i < nrecs &&
	    recs[i].tag == BER_COUNTER64)
		i++;
	return i;
}

/*
 * A GET miss: noSuchInstance when the object (the OID less its last
 * arc) has instances, else noSuchObject.  The records sharing that
 * prefix are contiguous and the miss sorts among them, so looking at
 * the two neighbours of its position is enough.
 */
static uint8_t
rec_miss(const uint32_t *oid, size_t len, size_t pos)
{
	if (len < 2)
		return BER_NOSUCHOBJ;
	if (pos < nrecs &&
	    oid_isprefix(oid, len - 1, recs[pos].oid, recs[pos].oidlen))
		return BER_NOSUCHINST;
	if (pos > 0 && oid_isprefix(oid, len - 1, recs[pos - 1].oid,
	    recs[pos - 1].oidlen))
		return BER_NOSUCHINST;
	return BER_NOSUCHOBJ;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

static int
is_counter(uint8_t tag)
{
	return tag == BER_COUNTER32 || tag == BER_COUNTER64;
}

/* Devices differ: counter rates scaled by 0.95 .. 1.05. */
static double
dev_factor(uint32_t dev)
{
	return 1.0 + ((double)((dev * 7919u) % 101) - 50.0) / 1000.0;
}

static double
rng_unit(struct worker *w)
{
	/* xorshift64 */
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return (double)(w->rng >> 11) / 9007199254740992.0;
}

/* A non-negative double modulo 2^64, as an integer. */
static uint64_t
d2u(double d)
{
	return (uint64_t)fmod(d, 18446744073709551616.0);
}

/*
 * The snmpsim "numeric" rule: initial + rate * t + offset (+ random
 * deviation), t being seconds since start, floored at min; above an
 * explicit max it wraps (wrap=1) or sticks.  Without a max it wraps at
 * the type's width (done by the caller).  Counters are shifted and
 * their rate scaled per device, identically for 32- and 64-bit ones,
 * so ifInOctets stays the low half of ifHCInOctets.
 */
static uint64_t
num_value(struct worker *w, const struct rec *r, uint32_t dev, double t)
{
	const struct numeric *n = r->num;
	uint64_t base = n->initial, v, u;
	double	 d = n->rate * t;

	if (is_counter(r->tag) && !samedevs) {
		base += dev * DEV_OFFSET;
		d *= dev_factor(dev);
	}
	d += n->offset;
	if (n->deviation > 0)
		d += (rng_unit(w) * 2.0 - 1.0) * n->deviation;
	if (d >= 0)
		v = base + d2u(d);
	else {
		u = d2u(-d);
		if (r->tag != BER_INTEGER && u > base - n->min)
			v = n->min;
		else
			v = base - u;
	}
	if (n->hasmax && v > n->max)
		v = (n->wrap && n->max > 0) ? v % n->max + n->min : n->max;
	return v;
}

/* Encode the current value TLV of a numeric record into p (<= 11 bytes). */
static size_t
num_enc(struct worker *w, uint8_t *p, const struct rec *r, uint32_t dev,
    double t)
{
	uint64_t v = num_value(w, r, dev, t);

	switch (r->tag) {
	case BER_INTEGER:
		return ber_enc_int(p, BER_INTEGER, (int32_t)(uint32_t)v);
	case BER_COUNTER64:
		return ber_enc_uint(p, r->tag, v);
	default:
		return ber_enc_uint(p, r->tag, v & 0xffffffffULL);
	}
}

/* ------------------------------------------------------------------ */
/* Building responses                                                  */

/* Append VarBind ::= SEQUENCE { name, value }; -1 if it does not fit. */
static int
out_varbind(struct out *o, const uint8_t *name, size_t namelen,
    const uint8_t *val, size_t vallen)
{
	size_t	 clen = namelen + vallen;

	if (1 + ber_len_size(clen) + clen > (size_t)(o->lim - o->p))
		return -1;
	*o->p++ = BER_SEQUENCE;
	o->p = ber_put_len(o->p, clen);
	memcpy(o->p, name, namelen);
	o->p += namelen;
	memcpy(o->p, val, vallen);
	o->p += vallen;
	o->nvb++;
	return 0;
}

static int
out_rec(struct worker *w, struct out *o, const struct rec *r, uint32_t dev,
    double t)
{
	uint8_t	 val[16];
	size_t	 vallen;

	if (r->valtlvlen > 0)
		return out_varbind(o, r->enc, r->oidtlvlen,
		    r->enc + r->oidtlvlen, r->valtlvlen);
	vallen = num_enc(w, val, r, dev, t);
	return out_varbind(o, r->enc, r->oidtlvlen, val, vallen);
}

/* name with a v2c exception value (noSuchObject etc.: [n] IMPLICIT NULL). */
static int
out_exception(struct out *o, const uint8_t *name, size_t namelen,
    uint8_t tag)
{
	uint8_t	 val[2] = { tag, 0 };

	return out_varbind(o, name, namelen, val, sizeof(val));
}

static void
decode_vb(const struct reqvb *v, uint32_t *oid, size_t *len)
{
	/* Already validated by parse_request(). */
	(void)oid_decode(v->oid, v->oidlen, oid, len);
}

/*
 * Get: one record per varbind.  Returns 0, or the 1-based index of the
 * first varbind v1 must report as noSuchName, or -1 if it is too big.
 */
static long
do_get(struct worker *w, const struct req *r, struct out *o, uint32_t dev,
    double t)
{
	uint32_t oid[MAX_OID_LEN];
	size_t	 len, i, pos;
	int	 found;

	for (i = 0; i < r->nvb; i++) {
		decode_vb(&w->vbs[i], oid, &len);
		pos = rec_lower(oid, len);
		found = pos < nrecs && oid_cmp(recs[pos].oid, recs[pos].oidlen,
		    oid, len) == 0;
		if (found && r->version == SNMP_V1 &&
		    recs[pos].tag == BER_COUNTER64)
			found = 0;
		if (found) {
			if (out_rec(w, o, &recs[pos], dev, t) == -1)
				return -1;
		} else if (r->version == SNMP_V1)
			return i + 1;
		else if (out_exception(o, w->vbs[i].name, w->vbs[i].namelen,
		    rec_miss(oid, len, pos)) == -1)
			return -1;
	}
	return 0;
}

/* GetNext of one varbind; end of the MIB is 1 for the caller to decide. */
static int
getnext_one(struct worker *w, const struct req *r, struct out *o,
    struct reqvb *v, uint32_t dev, double t)
{
	uint32_t oid[MAX_OID_LEN];
	size_t	 len, pos;

	decode_vb(v, oid, &len);
	pos = rec_next(oid, len, r->version);
	if (pos >= nrecs) {
		if (r->version == SNMP_V1)
			return 1;
		return out_exception(o, v->name, v->namelen, BER_ENDOFMIB);
	}
	v->next = pos;
	return out_rec(w, o, &recs[pos], dev, t);
}

/* GetNext: same return convention as do_get(). */
static long
do_getnext(struct worker *w, const struct req *r, struct out *o,
    uint32_t dev, double t)
{
	size_t	 i;
	int	 rv;

	for (i = 0; i < r->nvb; i++) {
		rv = getnext_one(w, r, o, &w->vbs[i], dev, t);
		if (rv == -1)
			return -1;
		if (rv == 1)
			return i + 1;
	}
	return 0;
}

/*
 * GetBulk (RFC 3416 4.2.3): N = non-repeaters GetNexts, then M =
 * max-repetitions rounds of GetNext over the R remaining varbinds,
 * each continuing from where the last round left it.  The response is
 * cut (never tooBig) when the next varbind would pass the message size
 * or the varbind limit, and ends after a round where every repeater
 * was at the end of the MIB.  Returns 1 if it was cut.
 */
static int
do_getbulk(struct worker *w, const struct req *r, struct out *o,
    uint32_t dev, double t)
{
	struct reqvb *v;
	size_t	 n, m, i, rep;
	int	 allend;

	n = r->nonrep < 0 ? 0 : (size_t)r->nonrep;
	if (n > r->nvb)
		n = r->nvb;
	m = r->maxrep < 0 ? 0 : (size_t)r->maxrep;
	for (i = 0; i < n; i++) {
		if (o->nvb >= maxvb ||
		    getnext_one(w, r, o, &w->vbs[i], dev, t) == -1)
			return 1;
	}
	if (n == r->nvb)
		return 0;
	for (i = n; i < r->nvb; i++) {
		uint32_t oid[MAX_OID_LEN];
		size_t	 len;

		decode_vb(&w->vbs[i], oid, &len);
		w->vbs[i].next = rec_next(oid, len, r->version);
	}
	for (rep = 0; rep < m; rep++) {
		allend = 1;
		for (i = n; i < r->nvb; i++) {
			v = &w->vbs[i];
			if (o->nvb >= maxvb)
				return 1;
			if (v->next >= nrecs) {
				if (out_exception(o, v->name, v->namelen,
				    BER_ENDOFMIB) == -1)
					return 1;
				continue;
			}
			allend = 0;
			if (out_rec(w, o, &recs[v->next], dev, t) == -1)
				return 1;
			v->name = recs[v->next].enc;
			v->namelen = recs[v->next].oidtlvlen;
			v->next++;
		}
		if (allend)
			break;
	}
	return 0;
}

/* Echo the request's varbind list, for v1 errors and Set. */
static void
out_echo(struct out *o, const struct req *r)
{
	o->p = o->start;
	memcpy(o->p, r->vbl, r->vbllen);
	o->p += r->vbllen;
}

/*
 * Wrap the varbind list in o into Message { version, community,
 * Response-PDU { request-id, error-status, error-index, list } },
 * writing the headers backwards in front of it.
 */
static uint8_t *
wrap_response(const struct req *r, struct out *o, int errstat, long erridx)
{
	uint8_t	*p = o->start, *end = o->p;

	p = ber_prepend_tl(p, BER_SEQUENCE, end - o->start);
	p = ber_prepend_int(p, erridx);
	p = ber_prepend_int(p, errstat);
	p = ber_prepend_raw(p, BER_INTEGER, r->reqid, r->reqidlen);
	p = ber_prepend_tl(p, PDU_RESPONSE, end - p);
	p = ber_prepend_raw(p, BER_OCTETS, r->comm, r->commlen);
	p = ber_prepend_int(p, r->version);
	p = ber_prepend_tl(p, BER_SEQUENCE, end - p);
	return p;
}

static int
community_ok(const struct req *r)
{
	if (community == NULL)
		return 1;
	return strlen(community) == r->commlen &&
	    memcmp(community, r->comm, r->commlen) == 0;
}

/* Answer one request in w->wbuf; returns the message start, or NULL. */
static uint8_t *
answer(struct worker *w, const struct req *r, uint32_t dev, double t,
    size_t *len)
{
	struct out o;
	uint8_t	*msg;
	long	 rv = 0;
	int	 errstat = ERR_NOERROR;

	o.start = o.p = w->wbuf + HDR_ROOM;
	o.nvb = 0;
	/* headers take at most 40 bytes besides the community */
	o.lim = o.start + (maxresp - 40 - r->commlen);
	switch (r->pdu) {
	case PDU_GET:
		rv = do_get(w, r, &o, dev, t);
		break;
	case PDU_GETNEXT:
		rv = do_getnext(w, r, &o, dev, t);
		break;
	case PDU_GETBULK:
		if (do_getbulk(w, r, &o, dev, t))
			w->st.truncated++;
		break;
	case PDU_SET:
		errstat = r->version == SNMP_V1 ? ERR_NOSUCHNAME :
		    ERR_NOTWRITABLE;
		rv = r->nvb > 0 ? 1 : 0;
		out_echo(&o, r);
		break;
	}
	if (rv == -1) {
		/* tooBig: v1 echoes the request, v2c sends no varbinds */
		w->st.toobig++;
		errstat = ERR_TOOBIG;
		rv = 0;
		if (r->version == SNMP_V1)
			out_echo(&o, r);
		else
			o.p = o.start;
	} else if (rv > 0 && errstat == ERR_NOERROR) {
		errstat = ERR_NOSUCHNAME;	/* v1 only */
		out_echo(&o, r);
	}
	if (errstat == ERR_NOERROR)
		w->st.varbinds += o.nvb;
	msg = wrap_response(r, &o, errstat, rv);
	*len = o.p - msg;
	return msg;
}

static double
elapsed(const struct timespec *now)
{
	return (now->tv_sec - tstart.tv_sec) +
	    (now->tv_nsec - tstart.tv_nsec) / 1e9;
}

static void
handle_packet(struct worker *w, uint32_t dev, const struct sockaddr_in *from,
    size_t len)
{
	struct req r;
	uint8_t	*msg;
	size_t	 mlen;
	int	 rv;

	if (len > MAX_MSG || (rv = parse_request(w, w->rbuf, len, &r)) == -1) {
		w->st.malformed++;
		return;
	}
	if (rv == 1) {
		w->st.ignored++;
		return;
	}
	if (!community_ok(&r)) {
		w->st.badcommunity++;
		return;
	}
	w->st.requests++;
	clock_gettime(CLOCK_MONOTONIC, &w->now);
	msg = answer(w, &r, dev, elapsed(&w->now), &mlen);
	if (sendto(devfd[dev], msg, mlen, 0, (const struct sockaddr *)from,
	    sizeof(*from)) == -1)
		w->st.senderr++;
	else
		w->st.responses++;
}

/* Read what a device's socket has, a batch at a time (level-triggered). */
static void
drain(struct worker *w, uint32_t dev)
{
	struct sockaddr_in from;
	socklen_t fromlen;
	ssize_t	 n;
	int	 i;

	for (i = 0; i < DRAIN_BATCH; i++) {
		fromlen = sizeof(from);
		n = recvfrom(devfd[dev], w->rbuf, MAX_MSG + 1, 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return;		/* EAGAIN, or an ICMP error */
		}
		if (fromlen != sizeof(from) || from.sin_family != AF_INET)
			continue;
		handle_packet(w, dev, &from, n);
	}
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct epoll_event ev[256];
	int	 i, n;

	for (;;) {
		n = epoll_wait(w->epfd, ev, 256, -1);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err(1, "epoll_wait");
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.u32 == UINT32_MAX)
				return NULL;	/* stopfd */
			drain(w, ev[i].data.u32);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Loading the recording                                               */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode hex text in place; returns the byte count or -1. */
static ssize_t
hex_decode(char *s)
{
	size_t	 i, n = strlen(s);
	int	 hi, lo;

	if (n % 2 != 0)
		return -1;
	for (i = 0; i < n / 2; i++) {
		hi = hexval((unsigned char)s[2 * i]);
		lo = hexval((unsigned char)s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		s[i] = hi << 4 | lo;
	}
	return n / 2;
}

static int
is_numeric_tag(int tag)
{
	return tag == BER_INTEGER || tag == BER_COUNTER32 ||
	    tag == BER_GAUGE32 || tag == BER_TIMETICKS || tag == BER_COUNTER64;
}

/* Value of key in "k=v,k=v" text, copied to buf; 0 if present. */
static int
param_get(const char *s, const char *key, char *buf, size_t bufsz)
{
	size_t	 klen = strlen(key), n;
	const char *e;

	while (*s != '\0') {
		e = strchr(s, ',');
		n = e ? (size_t)(e - s) : strlen(s);
		if (n > klen && strncmp(s, key, klen) == 0 && s[klen] == '=') {
			n -= klen + 1;
			if (n >= bufsz)
				n = bufsz - 1;
			memcpy(buf, s + klen + 1, n);
			buf[n] = '\0';
			return 0;
		}
		s += n;
		if (*s == ',')
			s++;
	}
	return -1;
}

/* A number that may be written as a float ("1.5e6"); -1 if not one. */
static int
parse_num(const char *s, int sign, uint64_t *u, double *d)
{
	char	*e;

	errno = 0;
	if (sign && *s == '-')
		*u = (uint64_t)strtoll(s, &e, 10);
	else if (*s != '-')
		*u = strtoull(s, &e, 10);
	else
		return -1;
	if (*s != '\0' && *e == '\0' && errno == 0) {
		*d = sign ? (double)(int64_t)*u : (double)*u;
		return 0;
	}
	*d = strtod(s, &e);
	if (*s == '\0' || *e != '\0' || !isfinite(*d))
		return -1;
	if (*d < 0 && !sign)
		return -1;
	*u = *d < 0 ? (uint64_t)(int64_t)*d : d2u(*d);
	return 0;
}

/* Parse the "numeric" variation's parameters. */
static int
numeric_parse(struct rec *r, const char *val, const char *file,
    size_t line)
{
	struct numeric *n;
	char	 buf[64];
	double	 d, scale = 1.0;
	int	 sign = r->tag == BER_INTEGER;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		err(1, NULL);
	n->rate = 1.0;
	if (param_get(val, "min", buf, sizeof(buf)) == 0 &&
	    parse_num(buf, sign, &n->min, &d) == 0)
		n->initial = n->min;
	if (param_get(val, "max", buf, sizeof(buf)) == 0 &&
	    parse_num(buf, sign, &n->max, &d) == 0)
		n->hasmax = 1;
	if (param_get(val, "initial", buf, sizeof(buf)) == 0 &&
	    parse_num(buf, sign, &n->initial, &d) == -1) {
		warnx("%s:%zu: bad initial value \"%s\"", file, line, buf);
		free(n);
		return -1;
	}
	if (param_get(val, "rate", buf, sizeof(buf)) == 0)
		n->rate = strtod(buf, NULL);
	if (param_get(val, "scale", buf, sizeof(buf)) == 0)
		scale = strtod(buf, NULL);
	if (param_get(val, "offset", buf, sizeof(buf)) == 0)
		n->offset = strtod(buf, NULL);
	if (param_get(val, "deviation", buf, sizeof(buf)) == 0)
		n->deviation = fabs(strtod(buf, NULL));
	if (param_get(val, "wrap", buf, sizeof(buf)) == 0)
		n->wrap = strtod(buf, NULL) != 0;
	if (param_get(val, "function", buf, sizeof(buf)) == 0)
		warnx("%s:%zu: numeric function= not supported, linear used",
		    file, line);
	n->rate *= scale;
	if (!isfinite(n->rate) || !isfinite(n->offset) ||
	    !isfinite(n->deviation)) {
		warnx("%s:%zu: bad numeric parameters", file, line);
		free(n);
		return -1;
	}
	r->num = n;
	return 0;
}

/*
 * The static value of a record of an unknown variation module: its
 * value=, hexvalue= or initial= parameter, or the text itself.
 */
static char *
static_value(char *val, int *hex, char *buf, size_t bufsz)
{
	if (strchr(val, '=') == NULL)
		return val;
	if (param_get(val, "hexvalue", buf, bufsz) == 0) {
		*hex = 1;
		return buf;
	}
	if (param_get(val, "value", buf, bufsz) == 0 ||
	    param_get(val, "initial", buf, bufsz) == 0)
		return buf;
	return val;
}

/* Encode a static value TLV; returns its length, 0 on error. */
static size_t
value_encode(uint8_t **out, int tag, char *val, int hex)
{
	uint32_t oid[MAX_OID_LEN];
	struct in_addr ia;
	uint8_t	*p;
	size_t	 n, oidlen;
	ssize_t	 hn;
	uint64_t u;
	double	 d;

	n = strlen(val);
	if (hex) {
		if ((hn = hex_decode(val)) == -1)
			return 0;
		n = hn;
	}
	if ((p = malloc(n + 16 + 5 * MAX_OID_LEN)) == NULL)
		err(1, NULL);
	*out = p;
	switch (tag) {
	case BER_OCTETS:
	case BER_OPAQUE:
		p[0] = tag;
		memcpy(ber_put_len(p + 1, n), val, n);
		return 1 + ber_len_size(n) + n;
	case BER_NULL:
		p[0] = BER_NULL;
		p[1] = 0;
		return 2;
	case BER_IPADDR:
		if (hex && n == 4)
			memcpy(&ia, val, 4);
		else if (hex || inet_pton(AF_INET, val, &ia) != 1)
			return 0;
		p[0] = tag;
		p[1] = 4;
		memcpy(p + 2, &ia, 4);
		return 6;
	case BER_OID:
		if (hex || oid_parse(val, oid, &oidlen) == -1)
			return 0;
		p[0] = BER_OID;
		n = oid_enc_size(oid, oidlen);
		return oid_enc(ber_put_len(p + 1, n), oid, oidlen) - p;
	case BER_INTEGER:
		if (hex || parse_num(val, 1, &u, &d) == -1 ||
		    (int64_t)u < INT32_MIN || (int64_t)u > INT32_MAX)
			return 0;
		return ber_enc_int(p, tag, (int64_t)u);
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
		if (hex || parse_num(val, 0, &u, &d) == -1 || u > UINT32_MAX)
			return 0;
		return ber_enc_uint(p, tag, u);
	case BER_COUNTER64:
		if (hex || parse_num(val, 0, &u, &d) == -1)
			return 0;
		return ber_enc_uint(p, tag, u);
	}
	return 0;
}

/* Build a record's encodings: OID TLV, then the static value TLV. */
static int
rec_encode(struct rec *r, char *val, int hex)
{
	uint8_t	*v = NULL;
	size_t	 clen = oid_enc_size(r->oid, r->oidlen);

	r->valtlvlen = 0;
	if (r->num == NULL &&
	    (r->valtlvlen = value_encode(&v, r->tag, val, hex)) == 0) {
		free(v);
		return -1;
	}
	r->oidtlvlen = 1 + ber_len_size(clen) + clen;
	if ((r->enc = malloc(r->oidtlvlen + r->valtlvlen)) == NULL)
		err(1, NULL);
	r->enc[0] = BER_OID;
	oid_enc(ber_put_len(r->enc + 1, clen), r->oid, r->oidlen);
	if (v != NULL)
		memcpy(r->enc + r->oidtlvlen, v, r->valtlvlen);
	free(v);
	return 0;
}

/* Parse one "OID|TAG[x][:module]|VALUE" line into r; -1 to skip it. */
static int
parse_line(char *s, struct rec *r, const char *file, size_t line)
{
	uint32_t oid[MAX_OID_LEN];
	char	*tagtxt, *val, *e, *mod = NULL, buf[4096];
	unsigned long tag;
	int	 hex = 0;

	if ((tagtxt = strchr(s, '|')) == NULL ||
	    (val = strchr(tagtxt + 1, '|')) == NULL) {
		warnx("%s:%zu: not OID|TAG|VALUE", file, line);
		return -1;
	}
	*tagtxt++ = '\0';
	*val++ = '\0';
	if (oid_parse(s, oid, &r->oidlen) == -1) {
		warnx("%s:%zu: bad OID \"%s\"", file, line, s);
		return -1;
	}
	tag = strtoul(tagtxt, &e, 10);
	if (e == tagtxt || tag > 255) {
		warnx("%s:%zu: bad tag \"%s\"", file, line, tagtxt);
		return -1;
	}
	if (*e == 'x') {
		hex = 1;
		e++;
	}
	if (*e == ':')
		mod = e + 1;
	else if (*e != '\0') {
		warnx("%s:%zu: bad tag \"%s\"", file, line, tagtxt);
		return -1;
	}
	r->tag = tag;
	r->num = NULL;
	r->line = line;
	if (mod != NULL && strcmp(mod, "numeric") == 0 &&
	    is_numeric_tag(r->tag)) {
		if (numeric_parse(r, val, file, line) == -1)
			return -1;
	} else if (mod != NULL)
		val = static_value(val, &hex, buf, sizeof(buf));
	if ((r->oid = malloc(r->oidlen * sizeof(*oid))) == NULL)
		err(1, NULL);
	memcpy(r->oid, oid, r->oidlen * sizeof(*oid));
	if (rec_encode(r, val, hex) == -1) {
		warnx("%s:%zu: bad value for tag %lu", file, line, tag);
		free(r->oid);
		free(r->num);
		return -1;
	}
	return 0;
}

static int
rec_qcmp(const void *a, const void *b)
{
	const struct rec *ra = a, *rb = b;
	int	 c = oid_cmp(ra->oid, ra->oidlen, rb->oid, rb->oidlen);

	if (c != 0)
		return c;
	return ra->line < rb->line ? -1 : ra->line > rb->line;
}

/* Load the recording, sorted by OID, duplicates dropped. */
static void
load(const char *file)
{
	FILE	*fp;
	char	*s = NULL;
	size_t	 cap = 0, alloc = 0, line = 0, i, j, bad = 0, unsorted = 0;
	ssize_t	 n;

	if ((fp = fopen(file, "r")) == NULL)
		err(1, "%s", file);
	while ((n = getline(&s, &cap, fp)) != -1) {
		line++;
		while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
			s[--n] = '\0';
		if (n == 0 || s[0] == '#')
			continue;
		if (nrecs == alloc) {
			alloc = alloc ? alloc * 2 : 1024;
			if ((recs = reallocarray(recs, alloc,
			    sizeof(*recs))) == NULL)
				err(1, NULL);
		}
		if (parse_line(s, &recs[nrecs], file, line) == -1) {
			bad++;
			continue;
		}
		if (nrecs > 0 && oid_cmp(recs[nrecs - 1].oid,
		    recs[nrecs - 1].oidlen, recs[nrecs].oid,
		    recs[nrecs].oidlen) >= 0)
			unsorted++;
		nrecs++;
	}
	if (ferror(fp))
		err(1, "%s", file);
	free(s);
	fclose(fp);
	if (nrecs == 0)
		errx(1, "%s: no records", file);
	if (unsorted > 0)
		warnx("%s: %zu lines out of OID order (sorted on load)",
		    file, unsorted);
	qsort(recs, nrecs, sizeof(*recs), rec_qcmp);
	for (i = 1, j = 1; i < nrecs; i++) {
		if (oid_cmp(recs[i].oid, recs[i].oidlen, recs[j - 1].oid,
		    recs[j - 1].oidlen) == 0) {
			warnx("%s:%zu: duplicate OID, first one kept", file,
			    recs[i].line);
			free(recs[i].oid);
			free(recs[i].enc);
			free(recs[i].num);
			continue;
		}
		recs[j++] = recs[i];
	}
	nrecs = j;
	if (bad > 0)
		warnx("%s: %zu lines skipped", file, bad);
}

/* ------------------------------------------------------------------ */
/* Sockets and the process                                             */

/*
 * Device addresses: consecutive from base, skipping host parts .0 and
 * .255, all inside 127.0.0.0/8.  Returns -1 if they would leave it.
 */
static int
make_addrs(uint32_t base, size_t n)
{
	uint32_t a = base;
	size_t	 i;

	if ((devaddr = calloc(n, sizeof(*devaddr))) == NULL)
		err(1, NULL);
	for (i = 0; i < n; i++) {
		while ((a & 0xff) == 0 || (a & 0xff) == 0xff)
			a++;
		if ((a >> 24) != 127)
			return -1;
		devaddr[i] = a++;
	}
	return 0;
}

static void
raise_nofile(size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		err(1, "getrlimit");
	if (rl.rlim_cur >= need)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
		errx(1, "need %zu descriptors, hard limit is %llu "
		    "(raise it with ulimit -Hn)", need,
		    (unsigned long long)rl.rlim_max);
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		err(1, "setrlimit");
}

static void
open_sockets(int port)
{
	struct sockaddr_in sin;
	char	 ip[INET_ADDRSTRLEN];
	size_t	 i;

	if ((devfd = calloc(ndevs, sizeof(*devfd))) == NULL)
		err(1, NULL);
	for (i = 0; i < ndevs; i++) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		sin.sin_addr.s_addr = htonl(devaddr[i]);
		devfd[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (devfd[i] == -1)
			err(1, "socket");
		if (bind(devfd[i], (struct sockaddr *)&sin, sizeof(sin)) == -1)
			err(1, "bind %s:%d", inet_ntop(AF_INET, &sin.sin_addr,
			    ip, sizeof(ip)), port);
	}
}

static void
setup_workers(struct worker *ws, int nthreads)
{
	struct epoll_event ev;
	size_t	 i;
	int	 t;

	for (t = 0; t < nthreads; t++) {
		ws[t].rbuf = malloc(MAX_MSG + 1);
		ws[t].wbuf = malloc(HDR_ROOM + MAX_MSG + 1);
		ws[t].vbs = calloc(MAX_REQ_VB, sizeof(*ws[t].vbs));
		if (ws[t].rbuf == NULL || ws[t].wbuf == NULL ||
		    ws[t].vbs == NULL)
			err(1, NULL);
		ws[t].rng = 0x9e3779b97f4a7c15ULL * (t + 1);
		if ((ws[t].epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
			err(1, "epoll_create1");
		ev.events = EPOLLIN;
		ev.data.u32 = UINT32_MAX;
		if (epoll_ctl(ws[t].epfd, EPOLL_CTL_ADD, stopfd, &ev) == -1)
			err(1, "epoll_ctl");
	}
	for (i = 0; i < ndevs; i++) {
		ev.events = EPOLLIN;
		ev.data.u32 = i;
		if (epoll_ctl(ws[i % nthreads].epfd, EPOLL_CTL_ADD, devfd[i],
		    &ev) == -1)
			err(1, "epoll_ctl");
	}
}

static void
write_pidfile(const char *path)
{
	FILE	*fp;

	if ((fp = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	fprintf(fp, "%ld\n", (long)getpid());
	if (fclose(fp) == EOF)
		err(1, "%s", path);
}

static void
print_stats(struct worker *ws, int nthreads)
{
	struct stats s;
	struct rusage ru;
	double	 cpu, wall;
	struct timespec now;
	int	 t;

	memset(&s, 0, sizeof(s));
	for (t = 0; t < nthreads; t++) {
		s.requests += ws[t].st.requests;
		s.responses += ws[t].st.responses;
		s.varbinds += ws[t].st.varbinds;
		s.malformed += ws[t].st.malformed;
		s.badcommunity += ws[t].st.badcommunity;
		s.ignored += ws[t].st.ignored;
		s.toobig += ws[t].st.toobig;
		s.truncated += ws[t].st.truncated;
		s.senderr += ws[t].st.senderr;
	}
	getrusage(RUSAGE_SELF, &ru);
	cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	clock_gettime(CLOCK_MONOTONIC, &now);
	wall = elapsed(&now);
	fprintf(stderr, "snmpfast: requests %llu responses %llu varbinds %llu "
	    "malformed %llu badcommunity %llu ignored %llu toobig %llu "
	    "truncated %llu senderr %llu\n",
	    (unsigned long long)s.requests, (unsigned long long)s.responses,
	    (unsigned long long)s.varbinds, (unsigned long long)s.malformed,
	    (unsigned long long)s.badcommunity, (unsigned long long)s.ignored,
	    (unsigned long long)s.toobig, (unsigned long long)s.truncated,
	    (unsigned long long)s.senderr);
	fprintf(stderr, "snmpfast: wall %.1fs cpu %.2fs (%.0f varbinds per "
	    "cpu second)\n", wall, cpu, cpu > 0 ? s.varbinds / cpu : 0.0);
}

int
main(int argc, char *argv[])
{
	struct worker *ws;
	struct in_addr base;
	sigset_t set;
	const char *file = NULL, *pidfile = NULL;
	char	 ip[INET_ADDRSTRLEN];
	unsigned long v;
	uint64_t one = 1;
	size_t	 i;
	int	 ch, sig, t, port = 161, nthreads = 1, list = 0;
	char	*e;

	inet_pton(AF_INET, "127.1.0.1", &base);
	while ((ch = getopt(argc, argv, "b:c:f:lM:m:n:P:p:St:")) != -1) {
		switch (ch) {
		case 'b':
			if (inet_pton(AF_INET, optarg, &base) != 1)
				errx(2, "bad address %s", optarg);
			break;
		case 'c':
			community = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'l':
			list = 1;
			break;
		case 'M':
		case 'm':
		case 'n':
		case 'p':
		case 't':
			errno = 0;
			v = strtoul(optarg, &e, 10);
			if (*optarg == '\0' || *e != '\0' || errno != 0)
				errx(2, "-%c: bad number %s", ch, optarg);
			if (ch == 'M') {
				if (v < MIN_MAX_RESP || v > DEF_MAX_RESP)
					errx(2, "-M: %d..%d", MIN_MAX_RESP,
					    DEF_MAX_RESP);
				maxresp = v;
			} else if (ch == 'm') {
				if (v < 1 || v > MAX_REQ_VB)
					errx(2, "-m: 1..%d", MAX_REQ_VB);
				maxvb = v;
			} else if (ch == 'n') {
				if (v < 1 || v > MAX_DEVICES)
					errx(2, "-n: 1..%d", MAX_DEVICES);
				ndevs = v;
			} else if (ch == 'p') {
				if (v < 1 || v > 65535)
					errx(2, "-p: 1..65535");
				port = v;
			} else {
				if (v < 1 || v > 64)
					errx(2, "-t: 1..64");
				nthreads = v;
			}
			break;
		case 'P':
			pidfile = optarg;
			break;
		case 'S':
			samedevs = 1;
			break;
		default:
			usage();
		}
	}
	if (argc != optind || (file == NULL && !list))
		usage();
	if ((ntohl(base.s_addr) >> 24) != 127 ||
	    make_addrs(ntohl(base.s_addr), ndevs) == -1)
		errx(2, "addresses must stay inside 127.0.0.0/8");
	if (list) {
		for (i = 0; i < ndevs; i++) {
			base.s_addr = htonl(devaddr[i]);
			printf("%s\n", inet_ntop(AF_INET, &base, ip,
			    sizeof(ip)));
		}
		return 0;
	}
	if ((size_t)nthreads > ndevs)
		nthreads = ndevs;
	load(file);
	raise_nofile(ndevs + 2 * nthreads + 16);
	open_sockets(port);
	if ((stopfd = eventfd(0, EFD_CLOEXEC)) == -1)
		err(1, "eventfd");
	if ((ws = calloc(nthreads, sizeof(*ws))) == NULL)
		err(1, NULL);
	setup_workers(ws, nthreads);
	if (pidfile != NULL)
		write_pidfile(pidfile);

	/* Signals go to sigwait() below; workers inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	clock_gettime(CLOCK_MONOTONIC, &tstart);
	for (t = 0; t < nthreads; t++)
		if ((errno = pthread_create(&ws[t].thread, NULL, worker_main,
		    &ws[t])) != 0)
			err(1, "pthread_create");
	fprintf(stderr, "snmpfast: %zu records, %zu devices %s..", nrecs,
	    ndevs, inet_ntop(AF_INET, &(struct in_addr){
	    htonl(devaddr[0]) }, ip, sizeof(ip)));
	fprintf(stderr, "%s port %d, %d thread(s)\n", inet_ntop(AF_INET,
	    &(struct in_addr){ htonl(devaddr[ndevs - 1]) }, ip, sizeof(ip)),
	    port, nthreads);
	printf("ready\n");
	fflush(stdout);

	while (sigwait(&set, &sig) != 0)
		;
	if (write(stopfd, &one, sizeof(one)) != sizeof(one))
		err(1, "eventfd write");
	for (t = 0; t < nthreads; t++)
		pthread_join(ws[t].thread, NULL);
	print_stats(ws, nthreads);
	if (pidfile != NULL)
		unlink(pidfile);
	for (t = 0; t < nthreads; t++) {
		free(ws[t].rbuf);
		free(ws[t].wbuf);
		free(ws[t].vbs);
	}
	free(ws);
	return 0;
}
