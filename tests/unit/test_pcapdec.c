/*
 * test_pcapdec.c - the frame decoder (src/pcap/pcapdec.c) on good frames
 * and hostile ones (truncated at every length, lengths that lie, tag and
 * extension header chains, random bytes), the protocol classes, the
 * bounded hosts table, and link blocks in the configuration.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/dlt.h>

#include "conf.h"
#include "store.h"
#include "pcap/pcap_hosts.h"
#include "pcap/pcapdec.h"
#include "tap.h"

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0xaa};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0xbb};

/* An Ethernet frame of IPv4 PROTO from 10.0.0.1 to 10.0.0.2, ports. */
static size_t
frame4(uint8_t *f, int tags, uint8_t proto, uint16_t sp, uint16_t dp,
    uint16_t iplen)
{
	size_t o = 12;

	memcpy(f, MAC_B, 6);
	memcpy(f + 6, MAC_A, 6);
	for (int i = 0; i < tags; i++) {
		f[o] = 0x81, f[o + 1] = 0x00;
		f[o + 2] = 0x00, f[o + 3] = (uint8_t)(10 + i);
		o += 4;
	}
	f[o] = 0x08, f[o + 1] = 0x00;
	o += 2;
	memset(f + o, 0, 28);
	f[o] = 0x45;
	f[o + 2] = (uint8_t)(iplen >> 8), f[o + 3] = (uint8_t)iplen;
	f[o + 8] = 64;
	f[o + 9] = proto;
	f[o + 12] = 10, f[o + 15] = 1;
	f[o + 16] = 10, f[o + 19] = 2;
	f[o + 20] = (uint8_t)(sp >> 8), f[o + 21] = (uint8_t)sp;
	f[o + 22] = (uint8_t)(dp >> 8), f[o + 23] = (uint8_t)dp;
	return o + 28;
}

/* An Ethernet frame of IPv6 with N extension headers before PROTO. */
static size_t
frame6(uint8_t *f, int next_ext, int n, uint8_t proto, uint16_t dp)
{
	size_t o = 14;

	memcpy(f, MAC_A, 6);
	memcpy(f + 6, MAC_B, 6);
	f[12] = 0x86, f[13] = 0xdd;
	memset(f + o, 0, 40);
	f[o] = 0x60;
	f[o + 5] = 100;
	f[o + 6] = n ? (uint8_t)next_ext : proto;
	f[o + 8] = 0x20, f[o + 9] = 0x01, f[o + 23] = 1;
	f[o + 24] = 0x20, f[o + 25] = 0x01, f[o + 39] = 2;
	o += 40;
	for (int i = 0; i < n; i++) {
		memset(f + o, 0, 8);
		f[o] = i + 1 < n ? (uint8_t)next_ext : proto;
		o += 8;
	}
	memset(f + o, 0, 8);
	f[o + 2] = (uint8_t)(dp >> 8), f[o + 3] = (uint8_t)dp;
	return o + 8;
}

static void
test_good(void)
{
	uint8_t f[256];
	struct pcapdec d;
	size_t n;

	n = frame4(f, 0, 6, 40000, 443, 100);
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, n, &d) == PD_OK, "IPv4 TCP");
	TAP_OK(d.family == 4 && d.proto == 6 && d.have_ports &&
	        d.sport == 40000 && d.dport == 443,
	    "its ports");
	TAP_OK(
	    d.have_mac && memcmp(d.src_mac, MAC_A, 6) == 0, "its source MAC");
	TAP_OK(
	    d.src[0] == 10 && d.src[3] == 1 && d.dst[3] == 2 && d.ip_len == 100,
	    "its addresses and IP length");
	TAP_STREQ(pcapdec_class_name(pcapdec_class(PD_OK, &d)), "https",
	    "class https by the lower well-known port");
	n = frame4(f, 2, 17, 53, 33333, 100);
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, n, &d) == PD_OK && d.vlan == 10 &&
	        d.link_len == 22,
	    "two 802.1Q tags: the outer id, 22 bytes");
	TAP_STREQ(pcapdec_class_name(pcapdec_class(PD_OK, &d)), "dns",
	    "UDP from port 53: dns");
	n = frame4(f, 0, 17, 40000, 5201, 100);
	(void)pcapdec_frame(DLT_EN10MB, f, n, &d);
	TAP_STREQ(pcapdec_class_name(pcapdec_class(PD_OK, &d)), "udp-other",
	    "UDP between unknown ports: udp-other");
	n = frame4(f, 0, 1, 0x0800, 0, 84);
	(void)pcapdec_frame(DLT_EN10MB, f, n, &d);
	TAP_OK(d.icmp_type == 8, "ICMP echo request's type");
	TAP_STREQ(
	    pcapdec_class_name(pcapdec_class(PD_OK, &d)), "icmp", "class icmp");
	n = frame4(f, 0, 47, 0, 0, 100);
	(void)pcapdec_frame(DLT_EN10MB, f, n, &d);
	TAP_STREQ(pcapdec_class_name(pcapdec_class(PD_OK, &d)), "ip-other",
	    "GRE: ip-other");
	n = frame6(f, 0, 2, 6, 22);
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, n, &d) == PD_OK && d.family == 6 &&
	        d.proto == 6 && d.dport == 22 && d.ip_len == 140,
	    "IPv6 through two hop-by-hop headers to TCP port 22");
	TAP_STREQ(
	    pcapdec_class_name(pcapdec_class(PD_OK, &d)), "ssh", "class ssh");
	n = frame6(f, 60, 8, 17, 161);
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, n, &d) == PD_OK && d.dport == 161,
	    "eight destination options headers: still decoded");
	n = frame6(f, 60, 9, 17, 161);
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, n, &d) == PD_BAD,
	    "nine: refused, not walked");
	/* ARP */
	memset(f, 0, 60);
	f[12] = 0x08, f[13] = 0x06;
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, 60, &d) == PD_NONIP &&
	        pcapdec_class(PD_NONIP, &d) == pcapdec_class(PD_NONIP, &d),
	    "ARP: non-ip");
	TAP_STREQ(pcapdec_class_name(pcapdec_class(PD_NONIP, &d)), "non-ip",
	    "class non-ip");
	/* an 802.3 length */
	f[12] = 0x00, f[13] = 0x40;
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, 60, &d) == PD_NONIP,
	    "802.3 LLC: non-ip");
	/* cooked: SLL, outgoing */
	memset(f, 0, 16);
	f[1] = 4;
	f[14] = 0x08, f[15] = 0x00;
	n = frame4(f + 2, 0, 6, 1, 80, 60) + 2; /* its IP at 16 */
	memset(f, 0, 16);
	f[1] = 4;
	f[14] = 0x08, f[15] = 0x00;
	TAP_OK(pcapdec_frame(DLT_LINUX_SLL, f, n, &d) == PD_OK &&
	        d.dir == PD_DIR_OUT && d.dport == 80 && d.link_len == 16,
	    "Linux cooked, outgoing: the kernel's direction");
	f[1] = 0;
	TAP_OK(pcapdec_frame(DLT_LINUX_SLL, f, n, &d) == PD_OK &&
	        d.dir == PD_DIR_IN,
	    "Linux cooked, to us: in");
	n = frame4(f, 0, 6, 1, 80, 60);
	TAP_OK(pcapdec_frame(DLT_RAW, f + 14, n - 14, &d) == PD_OK &&
	        d.family == 4 && d.dport == 80,
	    "raw IP");
	TAP_OK(pcapdec_frame(12345, f, n, &d) == PD_NOLINK,
	    "an unknown link type is said so");
	TAP_OK(pcapdec_frame(DLT_EN10MB, NULL, 100, &d) == PD_TRUNC,
	    "no bytes at all: truncated");
}

static void
test_hostile(void)
{
	uint8_t f[256], *cut;
	struct pcapdec d;
	size_t n;
	int bad = 0, trunc = 0;

	/* every cut of good frames: never a read past the cut (ASan), and
	   a result that says so */
	n = frame4(f, 2, 6, 1234, 80, 100);
	for (size_t k = 0; k < n; k++) {
		enum pcapdec_rc rc;

		/* a copy of exactly K bytes, so that ASan sees any overread */
		cut = malloc(k ? k : 1);
		memcpy(cut, f, k);
		rc = pcapdec_frame(DLT_EN10MB, cut, k, &d);
		trunc += rc == PD_TRUNC;
		/* the ports end 46 bytes in: all it needs */
		if (rc != (k < 46 ? PD_TRUNC : PD_OK))
			bad++;
		free(cut);
	}
	TAP_OK(bad == 0 && trunc == 46,
	    "IPv4 in two tags cut at each of "
	    "its %zu lengths: truncated until its ports are in",
	    n);
	n = frame6(f, 43, 3, 17, 53);
	bad = 0;
	for (size_t k = 0; k < n; k++) {
		cut = malloc(k ? k : 1);
		memcpy(cut, f, k);
		if (pcapdec_frame(DLT_EN10MB, cut, k, &d) !=
		    (k < 82 ? PD_TRUNC : PD_OK))
			bad++;
		free(cut);
	}
	TAP_OK(bad == 0,
	    "IPv6 with three routing headers cut at each "
	    "length: truncated until its ports are in");
	/* lengths that lie */
	n = frame4(f, 0, 6, 1, 2, 100);
	f[14] = 0x4f; /* IHL 60 bytes, the frame has less */
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, n, &d) == PD_TRUNC,
	    "an IPv4 header longer than the frame: truncated");
	f[14] = 0x44;
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, n, &d) == PD_BAD,
	    "an IPv4 header under 20 bytes: bad");
	f[14] = 0x45;
	f[16] = 0, f[17] = 10;
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, n, &d) == PD_BAD,
	    "a total length under the header: bad");
	f[16] = 0, f[17] = 20;
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, n, &d) == PD_TRUNC && !d.have_ports,
	    "a total length that leaves no room for ports");
	f[14] = 0x65;
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, n, &d) == PD_BAD,
	    "version 6 under the IPv4 type: bad");
	/* a later fragment has no ports */
	n = frame4(f, 0, 17, 53, 53, 100);
	f[20] = 0x00, f[21] = 0x10;
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, n, &d) == PD_OK && !d.have_ports,
	    "an IPv4 fragment after the first: no ports read");
	/* tags without end */
	memset(f, 0, sizeof(f));
	for (size_t o = 12; o + 4 <= sizeof(f); o += 4)
		f[o] = 0x81, f[o + 1] = 0x00;
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, sizeof(f), &d) == PD_BAD,
	    "802.1Q tags one after another: refused after %d", 4);
	/* an extension header whose length runs past the frame */
	n = frame6(f, 0, 1, 6, 80);
	f[14 + 40 + 1] = 255;
	TAP_OK(pcapdec_frame(DLT_EN10MB, f, n, &d) == PD_TRUNC,
	    "an IPv6 extension header longer than the frame: truncated");
	/* random frames of random lengths under every link type */
	srand(15);
	bad = 0;
	for (int i = 0; i < 200000; i++) {
		static const int dlts[] = {
		    DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW};
		size_t len = (size_t)rand() % 160;
		enum pcapdec_rc rc;

		cut = malloc(len ? len : 1);
		for (size_t k = 0; k < len; k++)
			cut[k] = (uint8_t)rand();
		/* often a real start, for the decoder to go deeper */
		if (len >= 15 && i % 2) {
			cut[12] = i % 4 == 1 ? 0x08 : 0x86;
			cut[13] = i % 4 == 1 ? 0x00 : 0xdd;
			cut[14] = i % 4 == 1 ? 0x45 : 0x60;
		}
		rc = pcapdec_frame(dlts[i % 4], cut, len, &d);
		if (rc > PD_NOLINK || d.link_len > (int)len ||
		    pcapdec_class(rc, &d) < 0 ||
		    pcapdec_class(rc, &d) >= PD_NCLASS)
			bad++;
		free(cut);
	}
	TAP_OK(bad == 0, "200,000 random frames: results in range");
}

static void
test_hosts(void)
{
	struct pcap_hosts t;
	struct pcap_host top[5], *h;
	uint8_t a[16] = {0};
	int ok = 1;

	TAP_OK(pcap_hosts_init(&t, 100) == 0 && t.cap >= 200,
	    "a table of 100 hosts");
	for (uint32_t i = 0; i < 100; i++) {
		a[0] = 10, a[2] = (uint8_t)(i >> 8), a[3] = (uint8_t)i;
		h = pcap_hosts_get(&t, 4, a);
		if (h == NULL)
			ok = 0;
		else
			h->in_bytes += 1000 + i;
	}
	TAP_OK(ok && t.n == 100 && t.evicted == 0,
	    "100 hosts in, none "
	    "forgotten");
	a[3] = 42;
	h = pcap_hosts_get(&t, 4, a);
	TAP_OK(h != NULL && h->in_bytes == 1042, "a host found again");
	TAP_OK(pcap_hosts_top(&t, top, 5) == 5 && top[0].in_bytes == 1099 &&
	        top[4].in_bytes == 1095,
	    "the top 5, busiest first");
	for (uint32_t i = 1000; i < 1200 && ok; i++) {
		a[2] = (uint8_t)(i >> 8), a[3] = (uint8_t)i;
		if ((h = pcap_hosts_get(&t, 4, a)) == NULL)
			ok = 0;
		else
			h->out_bytes = 1;
	}
	TAP_OK(ok && t.n <= 100 && t.evicted > 0 && t.cuts > 0,
	    "200 more: bounded at 100, %llu forgotten (counted)",
	    (unsigned long long)t.evicted);
	TAP_OK(pcap_hosts_top(&t, top, 1) == 1 && top[0].in_bytes == 1099,
	    "the busiest survives the cuts");
	a[0] = 0x20;
	TAP_OK(pcap_hosts_get(&t, 6, a) != NULL &&
	        pcap_hosts_get(&t, 5, a) == NULL,
	    "IPv6 hosts too; no family 5");
	pcap_hosts_free(&t);
}

static struct config *
parse(const char *text, char *err, size_t len)
{
	char path[] = "/tmp/np-test-pcapdec-XXXXXX";
	int fd = mkstemp(path);
	struct config *c;

	if (fd == -1)
		return NULL;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	err[0] = '\0';
	c = conf_parse(path, NULL, err, len);
	unlink(path);
	return c;
}

static void
test_conf(void)
{
	char err[2048];
	struct config *c;
	const struct link_conf *l;

	c = parse("link \"wan\" {\n\tinterface \"eth0\"\n\tfilter \"not "
	          "port 22\"\n\tspeed 2.5G\n\tcongested 70 for 5\n\tstep 10s\n"
	          "\thosts 100\n}\nlink \"lan\" { interface eth1 }\n",
	    err, sizeof(err));
	TAP_OK(c != NULL && c->nlinks == 2, "two links read");
	if (c == NULL) {
		printf("# %s", err);
		return;
	}
	l = TAILQ_FIRST(&c->links);
	TAP_OK(strcmp(l->interface, "eth0") == 0 &&
	        strcmp(l->filter, "not port 22") == 0 &&
	        l->speed == 2500000000ULL && l->congested_pct == 70 &&
	        l->congested_for == 5 && l->step == 10 && l->hosts == 100,
	    "every setting of the first");
	l = TAILQ_NEXT(l, entry);
	TAP_OK(l->speed == 0 && l->congested_pct == 90 &&
	        l->congested_for == 3 && l->step == 60 && l->hosts == 4096,
	    "the defaults of the second");
	conf_free(c);
	c = parse("link \"x\" {\n\tfilter \"tcp\"\n}\n", err, sizeof(err));
	TAP_OK(c == NULL && strstr(err, ":1: link \"x\" has no interface"),
	    "a link needs an interface: %s", err);
	c = parse("link \"x\" {\n\tinterface eth0\n\tspeed fast\n"
	          "\tcongested 80 during 3\n\tcolour blue\n}\n"
	          "link \"y\" { interface eth0 }\n"
	          "link \"y\" { interface eth1 }\n",
	    err, sizeof(err));
	TAP_OK(c == NULL && strstr(err, ":3: invalid speed") &&
	        strstr(err, ":4: unknown link setting") &&
	        strstr(err, ":5: unknown link setting \"colour\"") &&
	        strstr(err, ":8: link \"y\" defined twice"),
	    "bad settings, each at its line: %s", err);
	c = parse("link \"x\" {\n\tinterface \"a/b\"\n}\n", err, sizeof(err));
	TAP_OK(c == NULL && strstr(err, "invalid interface name"),
	    "an interface name that is a path is refused");
	c = parse("link \"x\" {\n\tinterface eth0 a b c d e f g h i j\n}\n",
	    err, sizeof(err));
	TAP_OK(c == NULL && strstr(err, "too many words"),
	    "a line of many words is refused, not overrun");
}

static int
got_link(void *arg, const struct store_link *x)
{
	*(struct store_link *)arg = *x;
	return 0;
}

/* A link's last values through the store and back (store_link.c). */
static void
test_store(void)
{
	char dir[] = "/tmp/np-test-pcapdec-store-XXXXXX", path[256], err[512];
	struct store *s;
	struct store_link x, y;

	if (mkdtemp(dir) == NULL)
		return;
	snprintf(path, sizeof(path), "%s/netpatrol.db", dir);
	s = store_open(path, 0, err, sizeof(err));
	TAP_OK(s != NULL && store_writer_start(s, 20, 1000) == 0,
	    "a store with the links table (schema %d)",
	    s ? store_schema_version(s) : -1);
	if (s == NULL)
		return;
	memset(&x, 0, sizeof(x));
	strcpy(x.name, "wan");
	strcpy(x.interface, "eth0");
	x.speed = 100000000000ULL;
	x.in_bytes = 5000000000000ULL; /* past 32 bits */
	x.out_bytes = 7;
	x.in_packets = 1ULL << 40;
	x.out_packets = 3;
	x.in_bps = NAN;
	x.out_bps = 12.5;
	x.utilisation = NAN;
	x.drops = 4294967295ULL;
	strcpy(x.state, "congested");
	x.updated = 1700000000.25;
	TAP_OK(store_put_link(s, &x) == 0, "a link's last values queued");
	x.out_bytes = 8; /* the next step: the same row */
	store_put_link(s, &x);
	store_flush(s);
	memset(&y, 0, sizeof(y));
	TAP_OK(store_get_links(s, got_link, &y) == 0 &&
	        strcmp(y.name, "wan") == 0 && y.in_bytes == x.in_bytes &&
	        y.out_bytes == 8 && y.in_packets == x.in_packets &&
	        y.speed == x.speed && y.drops == x.drops && isnan(y.in_bps) &&
	        y.out_bps == 12.5 && isnan(y.utilisation) &&
	        strcmp(y.state, "congested") == 0 && y.updated == x.updated,
	    "read back: 64-bit counters, unknown rates as NaN, one row");
	store_clear_links(s);
	store_flush(s);
	memset(&y, 0, sizeof(y));
	TAP_OK(store_get_links(s, got_link, &y) == 0 && y.name[0] == '\0',
	    "cleared at a new configuration");
	store_close(s);
	unlink(path);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		printf("# could not remove %s\n", dir);
}

int
main(void)
{
	test_good();
	test_hostile();
	test_hosts();
	test_conf();
	test_store();
	return tap_done();
}
