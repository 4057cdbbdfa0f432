/*
 * test_walkplan.c - the poller's walk plans against a scripted agent (no
 * network): which columns the IF-MIB and health plans walk, how the
 * varbinds of the answers land on ports and sensors, 64-bit counters
 * before 32-bit ones, a 32-bit wrap, missing columns, a value of the wrong
 * type; and the sample sets the plans emit.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device.h"
#include "poller.h"
#include "tap.h"

/* --- the scripted agent: a sorted table, GETNEXT and GETBULK --- */

struct mib {
	const char *oid;
	char type; /* i integer, s string, c Counter32, g Gauge32, t TimeTicks,
	              C Counter64 */
	unsigned long long num;
	const char *str;
	oid o[MAX_OID_LEN];
	size_t len;
};

#define MAXREQ 64
static struct {
	struct mib *mib;
	size_t n;
	netsnmp_pdu *pending;
	snmpsess_cb cb;
	void *arg;
	/* the walks' first requests: the columns asked for */
	char first[MAXREQ][WALK_MAXCOLS][64];
	int nfirst[MAXREQ];
	int nwalks;
	int requests;
} ag;

static size_t
oid_parse(const char *s, oid *o)
{
	size_t n = 0;

	while (*s && n < MAX_OID_LEN) {
		char *end;

		if (*s == '.')
			s++;
		o[n++] = strtoul(s, &end, 10);
		s = end;
	}
	return n;
}

static void
oid_text(const oid *o, size_t len, char *buf, size_t size)
{
	size_t w = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < len && w < size; i++)
		w += (size_t)snprintf(buf + w, size - w, "%s%lu", i ? "." : "",
		    (unsigned long)o[i]);
}

static int
mib_cmp(const void *a, const void *b)
{
	const struct mib *x = a, *y = b;

	return snmp_oid_compare(x->o, x->len, y->o, y->len);
}

static void
agent_load(struct mib *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		m[i].len = oid_parse(m[i].oid, m[i].o);
	qsort(m, n, sizeof(*m), mib_cmp);
	ag.mib = m;
	ag.n = n;
}

static const struct mib *
agent_next(const oid *o, size_t len)
{
	for (size_t i = 0; i < ag.n; i++)
		if (snmp_oid_compare(ag.mib[i].o, ag.mib[i].len, o, len) > 0)
			return &ag.mib[i];
	return NULL;
}

static void
agent_add(netsnmp_pdu *resp, const oid *name, size_t len, const struct mib *m)
{
	long l;
	struct counter64 c64;

	if (m == NULL) {
		snmp_pdu_add_variable(
		    resp, name, len, SNMP_ENDOFMIBVIEW, NULL, 0);
		return;
	}
	switch (m->type) {
	case 's':
		snmp_pdu_add_variable(
		    resp, m->o, m->len, ASN_OCTET_STR, m->str, strlen(m->str));
		break;
	case 'C':
		c64.high = (u_long)(m->num >> 32);
		c64.low = (u_long)(m->num & 0xffffffffULL);
		snmp_pdu_add_variable(
		    resp, m->o, m->len, ASN_COUNTER64, &c64, sizeof(c64));
		break;
	default:
		l = (long)m->num;
		snmp_pdu_add_variable(resp, m->o, m->len,
		    m->type == 'i'       ? ASN_INTEGER
		        : m->type == 'c' ? ASN_COUNTER
		        : m->type == 'g' ? ASN_GAUGE
		                         : ASN_TIMETICKS,
		    &l, sizeof(l));
	}
}

/* snmpsess_send's stand-in: keep the request for agent_run(). */
static int
agent_send(struct snmpsess *ss, netsnmp_pdu *pdu, snmpsess_cb cb, void *arg)
{
	netsnmp_variable_list *vb;
	int first = 1;

	(void)ss;
	ag.requests++;
	/* a walk's first request asks for the columns themselves */
	for (vb = pdu->variables; vb; vb = vb->next_variable)
		for (size_t i = 0; i < ag.n; i++)
			if (snmp_oid_compare(vb->name, vb->name_length,
			        ag.mib[i].o, ag.mib[i].len) == 0)
				first = 0; /* at a value: a later request */
	if (first && ag.nwalks < MAXREQ) {
		int k = 0;

		for (vb = pdu->variables; vb && k < WALK_MAXCOLS;
		     vb = vb->next_variable)
			oid_text(vb->name, vb->name_length,
			    ag.first[ag.nwalks][k++], 64);
		ag.nfirst[ag.nwalks++] = k;
	}
	ag.pending = pdu;
	ag.cb = cb;
	ag.arg = arg;
	return 0;
}

/* Answer until the walks are over. */
static void
agent_run(void)
{
	netsnmp_pdu *req, *resp;

	while ((req = ag.pending) != NULL) {
		netsnmp_variable_list *vb;
		int nv = 0;

		ag.pending = NULL;
		resp = snmp_pdu_create(SNMP_MSG_RESPONSE);
		resp->errstat = SNMP_ERR_NOERROR;
		resp->errindex = 0;
		for (vb = req->variables; vb; vb = vb->next_variable)
			nv++;
		if (req->command == SNMP_MSG_GETBULK) {
			oid cur[WALK_MAXCOLS][MAX_OID_LEN];
			size_t len[WALK_MAXCOLS];
			int i = 0;

			for (vb = req->variables; vb;
			     vb = vb->next_variable, i++) {
				memcpy(cur[i], vb->name,
				    vb->name_length * sizeof(oid));
				len[i] = vb->name_length;
			}
			for (long r = 0; r < req->max_repetitions; r++)
				for (i = 0; i < nv; i++) {
					const struct mib *m =
					    agent_next(cur[i], len[i]);

					agent_add(resp, cur[i], len[i], m);
					if (m) {
						memcpy(cur[i], m->o,
						    m->len * sizeof(oid));
						len[i] = m->len;
					}
				}
		} else
			for (vb = req->variables; vb; vb = vb->next_variable)
				agent_add(resp, vb->name, vb->name_length,
				    agent_next(vb->name, vb->name_length));
		snmp_free_pdu(req);
		ag.cb(ag.arg, SNMPS_OK, resp);
		snmp_free_pdu(resp);
	}
}

static int
asked(int walk, const char *col)
{
	for (int k = 0; k < ag.nfirst[walk]; k++)
		if (strcmp(ag.first[walk][k], col) == 0)
			return 1;
	return 0;
}

/* --- what the plans emit: a sample sink that keeps the sets --- */

#define MAXSETS 64
static struct sample_set sets[MAXSETS];
static char names[MAXSETS][3][512];
static int nsets;

static int
keep_put(void *arg, const struct sample_set *s)
{
	(void)arg;
	if (nsets == MAXSETS)
		return -1;
	sets[nsets] = *s;
	snprintf(names[nsets][0], 512, "%s", s->object);
	snprintf(names[nsets][1], 512, "%s", s->cls ? s->cls : "");
	snprintf(names[nsets][2], 512, "%s", s->file);
	sets[nsets].object = names[nsets][0];
	sets[nsets].cls = names[nsets][1];
	sets[nsets].file = names[nsets][2];
	nsets++;
	return 0;
}

static const struct sample_set *
set_of(const char *object)
{
	for (int i = nsets - 1; i >= 0; i--)
		if (strcmp(sets[i].object, object) == 0)
			return &sets[i];
	return NULL;
}

/* --- the device --- */

static struct event_base *base;
static struct poller *poller;
static struct inventory *inv;
static struct device_rt *dev;
static int finished;

static void
on_finish(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	finished++;
}

static void
poll_once(void)
{
	ag.nwalks = 0;
	nsets = 0;
	dev->phase = PH_IFTABLE;
	dev->npolls++;
	TAP_OK(ifmib_walk_iftable(dev) == 0, "poll %lu: the walk starts",
	    dev->npolls);
	agent_run();
	event_base_loop(base, EVLOOP_NONBLOCK);
}

/* Baselines ten seconds older: the next poll sees ten seconds pass (and
 * what the test takes: the expected rates use the time that passed). */
static double t_before, t_before2;

static void
age_baselines(void)
{
	struct port_rt *g = hmap_get(&dev->ports, "Gi1/0/1");

	for (size_t i = 0; i < dev->ports.cap; i++) {
		struct port_rt *p = dev->ports.slots[i].value;

		if (dev->ports.slots[i].hash && p)
			for (int k = 0; k < SAMPLE_PORT_N; k++)
				p->ctr[k].time -= 10.0;
	}
	t_before = g ? g->ctr[SAMPLE_PORT_IN_OCTETS].time : 0;
	g = hmap_get(&dev->ports, "eth-nox");
	t_before2 = g ? g->ctr[SAMPLE_PORT_IN_OCTETS].time : 0;
}

/* Seconds between a port's aged baseline and poll 2's answers. */
static double
elapsed_of(const char *name, double before)
{
	struct port_rt *g = hmap_get(&dev->ports, name);

	return g ? g->ctr[SAMPLE_PORT_IN_OCTETS].time - before : 10;
}
#define elapsed() elapsed_of("Gi1/0/1", t_before)
#define elapsed2() elapsed_of("eth-nox", t_before2)

#define IFT "1.3.6.1.2.1.2.2.1."
#define IFX "1.3.6.1.2.1.31.1.1.1."
#define ENTS "1.3.6.1.2.1.99.1.1.1."
#define ENTP "1.3.6.1.2.1.47.1.1.1.1."

static struct mib poll1[] = {
    /* ifIndex 1: both tables, 64-bit counters */
    {IFT "2.1", 's', 0, "GigabitEthernet1/0/1", {0}, 0},
    {IFT "3.1", 'i', 6, NULL, {0}, 0},
    {IFT "5.1", 'g', 1000000000, NULL, {0}, 0},
    {IFT "7.1", 'i', 1, NULL, {0}, 0},
    {IFT "8.1", 'i', 1, NULL, {0}, 0},
    {IFT "10.1", 'c', 1000, NULL, {0}, 0},
    {IFT "11.1", 'c', 10, NULL, {0}, 0},
    {IFT "14.1", 'c', 3, NULL, {0}, 0},
    {IFT "16.1", 'c', 2000, NULL, {0}, 0},
    {IFX "1.1", 's', 0, "Gi1/0/1", {0}, 0},
    {IFX "2.1", 'c', 50, NULL, {0}, 0},
    {IFX "6.1", 'C', 5000000000ULL, NULL, {0}, 0},
    {IFX "10.1", 'C', 6000000000ULL, NULL, {0}, 0},
    {IFX "15.1", 'g', 1000, NULL, {0}, 0},
    {IFX "18.1", 's', 0, "uplink ", {0}, 0},
    /* ifIndex 2: ifTable only, a 32-bit counter about to wrap */
    {IFT "2.2", 's', 0, "eth-nox", {0}, 0},
    {IFT "3.2", 'i', 6, NULL, {0}, 0},
    {IFT "5.2", 'g', 100000000, NULL, {0}, 0},
    {IFT "7.2", 'i', 1, NULL, {0}, 0},
    {IFT "8.2", 'i', 2, NULL, {0}, 0},
    {IFT "10.2", 'c', 4294967000ULL, NULL, {0}, 0},
    {IFT "16.2", 'c', 100, NULL, {0}, 0},
    /* ifIndex 3: ifInOctets of the wrong type */
    {IFT "2.3", 's', 0, "odd", {0}, 0},
    {IFT "10.3", 's', 0, "lots", {0}, 0},
    /* a temperature, its entity's name, a CPU */
    {ENTS "1.5", 'i', 8, NULL, {0}, 0},
    {ENTS "2.5", 'i', 9, NULL, {0}, 0},
    {ENTS "3.5", 'i', 1, NULL, {0}, 0},
    {ENTS "4.5", 'i', 245, NULL, {0}, 0},
    {ENTS "5.5", 'i', 1, NULL, {0}, 0},
    {ENTP "7.5", 's', 0, "Inlet", {0}, 0},
    {"1.3.6.1.2.1.25.3.3.1.2.196608", 'i', 37, NULL, {0}, 0},
};

static struct mib poll2[sizeof(poll1) / sizeof(poll1[0])];

static void
mib_set(struct mib *m, size_t n, const char *o, unsigned long long v)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].oid, o) == 0)
			m[i].num = v;
}

static void
test_ifmib(void)
{
	size_t n = sizeof(poll1) / sizeof(poll1[0]);
	const struct sample_set *s;
	struct port_rt *p;
	char want[512];
	int w;

	agent_load(poll1, n);
	memcpy(poll2, poll1, sizeof(poll1));
	poll_once();
	TAP_OK(finished == 1, "poll 1 ends: ifTable, ifXTable, health");
	TAP_OK(ag.nwalks == 3, "three walks (%d)", ag.nwalks);
	TAP_OK(ag.nfirst[0] == 14 && asked(0, IFT "2") && asked(0, IFT "10") &&
	        asked(0, IFT "20") && !asked(0, IFT "1") && !asked(0, IFT "12"),
	    "ifTable: the 14 columns used (ifDescr..ifOutErrors), not "
	    "ifIndex or ifInNUcastPkts");
	TAP_OK(ag.nfirst[1] == 16 && asked(1, IFX "1") && asked(1, IFX "6") &&
	        asked(1, IFX "13") && asked(1, IFX "19") && !asked(1, IFX "14"),
	    "ifXTable: its 16 columns, HC counters included");
	TAP_OK(asked(2, ENTS "4") && asked(2, ENTP "7") &&
	        asked(2, "1.3.6.1.4.1.2021.10.1.5") &&
	        !asked(2, "1.3.6.1.2.1.25.4.2.1.2") &&
	        !asked(2, "1.3.6.1.4.1.9.9.91.1.1.1.1.4"),
	    "health, first poll of a host: entity sensors, their names "
	    "(discovery), UCD; no process table, no Cisco");

	TAP_OK(dev->ports.n == 3, "three ports");
	p = hmap_get(&dev->ports, "Gi1/0/1");
	TAP_OK(p && p->ifindex == 1 && p->admin == 1 && p->oper == 1,
	    "ifIndex 1 is Gi1/0/1 (ifName), up");
	TAP_OK(hmap_get(&dev->ports, "eth-nox") != NULL,
	    "without ifName: named by ifDescr");
	TAP_OK(dev->stats.bad_types == 1, "a value of the wrong type counted");
	s = set_of("Gi1/0/1");
	TAP_OK(s && s->schema == &sample_port_schema &&
	        isnan(s->v[SAMPLE_PORT_IN_OCTETS]),
	    "first poll: a port's set, no rate yet");
	TAP_OK(s && (s->raw_have & (1u << SAMPLE_PORT_IN_OCTETS)) &&
	        s->raw[SAMPLE_PORT_IN_OCTETS] == 5000000000ULL,
	    "the raw counter is ifHCInOctets, not ifInOctets");
	w = rrdw_port_path(
	    want, sizeof(want), poller_rrd_dir(poller), "sw1", "Gi1/0/1");
	TAP_OK(s && w == 0 && strcmp(s->file, want) == 0 &&
	        strstr(s->file, "/sw1/port-Gi1_0_1.rrd") != NULL,
	    "the set's file: %s", s ? s->file : "");
	TAP_OK(s && s->step == 60 && strcmp(s->device, "sw1") == 0,
	    "step is the interval, device the name");

	s = set_of("Inlet");
	TAP_OK(s && strcmp(s->cls, "temperature") == 0 &&
	        s->schema == &sample_sensor_schema,
	    "entPhySensor 5 named by entPhysicalName: a temperature");
	TAP_NEAR(s ? s->v[0] : NAN, 24.5, 1e-9, "245 at precision 1: 24.5");
	s = set_of("cpu0");
	TAP_OK(s && strcmp(s->cls, "load") == 0 && s->v[0] == 37,
	    "hrProcessorLoad: cpu0, load 37");

	/* ten seconds later */
	age_baselines();
	mib_set(poll2, n, IFX "6.1", 5000000000ULL + 1250000);
	mib_set(poll2, n, IFT "10.1", 1000 + 10);
	mib_set(poll2, n, IFX "10.1", 6000000000ULL + 2500000);
	mib_set(poll2, n, IFT "11.1", 10 + 100);
	mib_set(poll2, n, IFT "10.2", 704); /* wrapped: 1000 more */
	mib_set(poll2, n, IFT "16.2", 1100);
	mib_set(poll2, n, ENTS "4.5", 300);
	agent_load(poll2, n);
	poll_once();
	TAP_OK(finished == 2, "poll 2 ends");
	TAP_OK(!asked(2, ENTP "7"), "poll 2: names not walked again");

	s = set_of("Gi1/0/1");
	TAP_NEAR(s ? s->v[SAMPLE_PORT_IN_OCTETS] : NAN, 1250000 / elapsed(),
	    1e-3, "in_octets from ifHCInOctets: 125000 B/s");
	TAP_NEAR(s ? s->v[SAMPLE_PORT_OUT_OCTETS] : NAN, 2500000 / elapsed(),
	    1e-3, "out_octets from ifHCOutOctets: 250000 B/s");
	TAP_NEAR(s ? s->v[SAMPLE_PORT_IN_UCAST] : NAN, 100 / elapsed(), 1e-6,
	    "in_ucast from the 32-bit counter: 10/s");
	TAP_OK(s && s->v[SAMPLE_PORT_IN_MCAST] == 0 &&
	        s->v[SAMPLE_PORT_IN_ERRORS] == 0,
	    "unchanged counters: 0/s");
	TAP_OK(s && isnan(s->v[SAMPLE_PORT_IN_DISCARDS]) &&
	        !(s->raw_have & (1u << SAMPLE_PORT_IN_DISCARDS)),
	    "a column the agent lacks: unknown");
	s = set_of("eth-nox");
	TAP_NEAR(s ? s->v[SAMPLE_PORT_IN_OCTETS] : NAN, 1000 / elapsed2(), 1e-6,
	    "a 32-bit wrap: 100 B/s, no spike");
	TAP_NEAR(s ? s->v[SAMPLE_PORT_OUT_OCTETS] : NAN, 1000 / elapsed2(),
	    1e-6, "out_octets 100 B/s");
	TAP_OK(s && isnan(s->v[SAMPLE_PORT_IN_MCAST]) &&
	        isnan(s->v[SAMPLE_PORT_OUT_BCAST]),
	    "no ifXTable row: its counters unknown");
	TAP_OK((p = hmap_get(&dev->ports, "eth-nox")) && p->oper == 2,
	    "its state: down");
	s = set_of("odd");
	TAP_OK(s && isnan(s->v[SAMPLE_PORT_IN_OCTETS]),
	    "the value of the wrong type was not used");
	s = set_of("Inlet");
	TAP_NEAR(s ? s->v[0] : NAN, 30.0, 1e-9, "the temperature now 30.0");
}

static void
test_vendor_plan(void)
{
	static struct mib empty[] = {
	    {"1.3.6.1.2.1.1.3.0", 't', 1, NULL, {0}, 0}};

	agent_load(empty, 1);
	snprintf(dev->sys_object_id, sizeof(dev->sys_object_id),
	    ".1.3.6.1.4.1.9.1.1208");
	ag.nwalks = 0;
	dev->phase = PH_HEALTH;
	TAP_OK(health_walk(dev) == 0, "a Cisco device's health walk starts");
	agent_run();
	TAP_OK(ag.nwalks == 1 && asked(0, "1.3.6.1.4.1.9.9.91.1.1.1.1.4") &&
	        asked(0, "1.3.6.1.4.1.9.9.91.1.2.1.1.4") &&
	        asked(0, ENTP "7") && !asked(0, "1.3.6.1.4.1.2021.10.1.5"),
	    "Cisco: its sensor values and (a new vendor: discovery) "
	    "thresholds and names; no UCD");
}

int
main(void)
{
	struct store *st;
	struct evbus bus;
	struct sample_stream stream;
	struct sample_sink sk = {"keep", keep_put, NULL, NULL};
	char dir[] = "/tmp/np-walkplan.XXXXXX", path[600], err[256];

	snmpsess_library_init("test_walkplan");
	log_init(1, -1, "test_walkplan");
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/np.db", dir);
	base = event_base_new();
	if ((st = store_open(path, 0, err, sizeof(err))) == NULL) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	store_writer_start(st, 50, 10000);
	evbus_init(&bus, st);
	sample_stream_init(&stream);
	sample_stream_add(&stream, &sk, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/rrd", dir);
	inv = inv_new();
	poller = poller_new(base, st, &bus, &stream, inv, path, "/nonexistent");
	TAP_OK(poller != NULL, "a poller");

	dev = calloc(1, sizeof(*dev));
	dev->walk = calloc(1, sizeof(*dev->walk)); /* (poller_start's) */
	/* (the running configuration's: the device points at it) */
	dev->own_conf = calloc(1, sizeof(*dev->own_conf));
	snprintf(dev->own_conf->name, sizeof(dev->own_conf->name), "sw1");
	dev->own_conf->interval = 60;
	dev->own_conf->bulk = 1;
	dev->own_conf->max_reps = 5;
	dev->own_conf->snmp.version = NP_SNMP_V2C;
	dev->conf = dev->own_conf;
	dev->p = poller;
	dev->ss.fd = -1;
	dev->ss.send_fn = agent_send;
	hmap_init(&dev->ports);
	hmap_init(&dev->port_by_index);
	hmap_init(&dev->row_by_index);
	dev->ev_finish = event_new(base, -1, 0, on_finish, NULL);

	test_ifmib();
	test_vendor_plan();

	event_free(dev->ev_finish);
	ifmib_free_ports(dev);
	health_free(dev);
	hmap_free(&dev->row_by_index);
	free(dev->rows);
	free(dev->walk);
	free(dev->own_conf);
	free(dev);
	poller_free(poller);
	inv_free(inv);
	store_close(st);
	sample_stream_free(&stream);
	event_base_free(base);
	for (size_t i = 0; i < 3; i++) {
		static const char *f[] = {"np.db", "np.db-wal", "np.db-shm"};

		snprintf(path, sizeof(path), "%s/%s", dir, f[i]);
		(void)unlink(path);
	}
	(void)rmdir(dir);
	return tap_done();
}
