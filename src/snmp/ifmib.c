/*
 * ifmib.c - the IF-MIB walk plan: ifTable and ifXTable side by side, then
 * per port: identity, rates (64-bit counters first), state changes as
 * events, a row in the store and a sample set (to the port's RRD file).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"

#define IFTABLE 1, 3, 6, 1, 2, 1, 2, 2, 1
#define IFXTABLE 1, 3, 6, 1, 2, 1, 31, 1, 1, 1

struct if_col {
	oid oid[11];
	size_t len;
	int field;
	u_char type; /* the ASN.1 type expected */
};

#define C32(k) (IF_C32_FIRST + (k))
#define C64(k) (IF_C64_FIRST + (k))

static const struct if_col iftable_cols[] = {
    {{IFTABLE, 2}, 10, IF_DESCR, ASN_OCTET_STR},
    {{IFTABLE, 3}, 10, IF_TYPE, ASN_INTEGER},
    {{IFTABLE, 5}, 10, IF_SPEED, ASN_GAUGE},
    {{IFTABLE, 7}, 10, IF_ADMIN, ASN_INTEGER},
    {{IFTABLE, 8}, 10, IF_OPER, ASN_INTEGER},
    {{IFTABLE, 9}, 10, IF_LASTCHANGE, ASN_TIMETICKS},
    {{IFTABLE, 10}, 10, C32(SAMPLE_PORT_IN_OCTETS), ASN_COUNTER},
    {{IFTABLE, 11}, 10, C32(SAMPLE_PORT_IN_UCAST), ASN_COUNTER},
    {{IFTABLE, 13}, 10, C32(SAMPLE_PORT_IN_DISCARDS), ASN_COUNTER},
    {{IFTABLE, 14}, 10, C32(SAMPLE_PORT_IN_ERRORS), ASN_COUNTER},
    {{IFTABLE, 16}, 10, C32(SAMPLE_PORT_OUT_OCTETS), ASN_COUNTER},
    {{IFTABLE, 17}, 10, C32(SAMPLE_PORT_OUT_UCAST), ASN_COUNTER},
    {{IFTABLE, 19}, 10, C32(SAMPLE_PORT_OUT_DISCARDS), ASN_COUNTER},
    {{IFTABLE, 20}, 10, C32(SAMPLE_PORT_OUT_ERRORS), ASN_COUNTER},
};

static const struct if_col ifxtable_cols[] = {
    {{IFXTABLE, 1}, 11, IF_NAME, ASN_OCTET_STR},
    {{IFXTABLE, 2}, 11, C32(SAMPLE_PORT_IN_MCAST), ASN_COUNTER},
    {{IFXTABLE, 3}, 11, C32(SAMPLE_PORT_IN_BCAST), ASN_COUNTER},
    {{IFXTABLE, 4}, 11, C32(SAMPLE_PORT_OUT_MCAST), ASN_COUNTER},
    {{IFXTABLE, 5}, 11, C32(SAMPLE_PORT_OUT_BCAST), ASN_COUNTER},
    {{IFXTABLE, 6}, 11, C64(SAMPLE_PORT_IN_OCTETS), ASN_COUNTER64},
    {{IFXTABLE, 7}, 11, C64(SAMPLE_PORT_IN_UCAST), ASN_COUNTER64},
    {{IFXTABLE, 8}, 11, C64(SAMPLE_PORT_IN_MCAST), ASN_COUNTER64},
    {{IFXTABLE, 9}, 11, C64(SAMPLE_PORT_IN_BCAST), ASN_COUNTER64},
    {{IFXTABLE, 10}, 11, C64(SAMPLE_PORT_OUT_OCTETS), ASN_COUNTER64},
    {{IFXTABLE, 11}, 11, C64(SAMPLE_PORT_OUT_UCAST), ASN_COUNTER64},
    {{IFXTABLE, 12}, 11, C64(SAMPLE_PORT_OUT_MCAST), ASN_COUNTER64},
    {{IFXTABLE, 13}, 11, C64(SAMPLE_PORT_OUT_BCAST), ASN_COUNTER64},
    {{IFXTABLE, 15}, 11, IF_HIGHSPEED, ASN_GAUGE},
    {{IFXTABLE, 18}, 11, IF_ALIAS, ASN_OCTET_STR},
    {{IFXTABLE, 19}, 11, IF_DISC, ASN_TIMETICKS},
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *oper_names[] = {"unknown", "up", "down", "testing",
    "unknown", "dormant", "notPresent", "lowerLayerDown"};

const char *
ifmib_state_name(int admin, int oper)
{
	if (admin == 2)
		return "admin-down";
	if (oper < 1 || oper > 7)
		return "unknown";
	return oper_names[oper];
}

static struct if_row *
ifmib_row(struct device_rt *d, uint32_t ifindex)
{
	void *v = hmap_iget(&d->row_by_index, ifindex);
	struct if_row *r;

	if (v)
		return &d->rows[(uintptr_t)v - 1];
	if (d->nrows == d->caprows) {
		size_t cap = d->caprows ? d->caprows * 2 : 64;
		struct if_row *n = realloc(d->rows, cap * sizeof(*n));

		if (n == NULL)
			return NULL;
		d->rows = n;
		d->caprows = cap;
	}
	r = &d->rows[d->nrows++];
	memset(r, 0, sizeof(*r));
	r->ifindex = ifindex;
	if (hmap_iput(&d->row_by_index, ifindex, (void *)(uintptr_t)d->nrows) ==
	    -1) {
		d->nrows--;
		return NULL;
	}
	return r;
}

/* Names and aliases as people read them: no leading or trailing blanks. */
static void
ifmib_trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (i)
		memmove(s, s + i, n - i + 1);
}

static void
ifmib_value(struct device_rt *d, const struct if_col *col, const oid *idx,
    size_t idxlen, const netsnmp_variable_list *vb)
{
	struct if_row *r;
	uint64_t v;

	if (idxlen != 1 || idx[0] == 0 || idx[0] > 0x7fffffff) {
		d->stats.bad_types++;
		complain(&d->c_bad, LOG_L_WARN,
		    "%s: IF-MIB row with a bad index "
		    "(%zu sub-identifiers): ignored",
		    d->conf->name, idxlen);
		return;
	}
	if (vb->type != col->type &&
	    !(col->type == ASN_GAUGE && vb->type == ASN_COUNTER)) {
		d->stats.bad_types++;
		complain(&d->c_bad, LOG_L_WARN,
		    "%s: ifIndex %lu: value of type "
		    "0x%02x where 0x%02x was expected: ignored",
		    d->conf->name, (unsigned long)idx[0], vb->type, col->type);
		return;
	}
	if ((r = ifmib_row(d, (uint32_t)idx[0])) == NULL)
		return;
	switch (col->field) {
	case IF_DESCR:
		walk_vb_str(vb, r->descr, sizeof(r->descr));
		ifmib_trim(r->descr);
		break;
	case IF_NAME:
		walk_vb_str(vb, r->name, sizeof(r->name));
		ifmib_trim(r->name);
		break;
	case IF_ALIAS:
		walk_vb_str(vb, r->alias, sizeof(r->alias));
		ifmib_trim(r->alias);
		break;
	default:
		if (walk_vb_u64(vb, &v) == -1)
			return;
		r->num[col->field] = v;
		if (col->field >= IF_C32_FIRST)
			r->t = d->walk->t;
	}
	r->have |= 1ULL << col->field;
}

static void
ifmib_iftable_row(void *arg, int c, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	ifmib_value(arg, &iftable_cols[c], idx, idxlen, vb);
}

static void
ifmib_ifxtable_row(void *arg, int c, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	ifmib_value(arg, &ifxtable_cols[c], idx, idxlen, vb);
}

static void
ifmib_walk_done(void *arg, enum walk_status st, const char *why)
{
	struct device_rt *d = arg;

	poller_phase_done(d, (int)st, why);
}

static int
ifmib_walk(
    struct device_rt *d, const struct if_col *cols, int n, walk_row_cb cb)
{
	const oid *oids[WALK_MAXCOLS];
	size_t lens[WALK_MAXCOLS];
	int bulk = d->conf->bulk && d->conf->snmp.version != NP_SNMP_V1;

	for (int i = 0; i < n; i++) {
		oids[i] = cols[i].oid;
		lens[i] = cols[i].len;
	}
	if (d->walk == NULL) /* (poller_start makes it) */
		return -1;
	return walk_start(d->walk, &d->ss, oids, lens, n, bulk,
	    d->conf->max_reps, cb, ifmib_walk_done, d, &d->wst);
}

int
ifmib_walk_iftable(struct device_rt *d)
{
	hmap_clear(&d->row_by_index);
	d->nrows = 0;
	return ifmib_walk(
	    d, iftable_cols, NCOLS(iftable_cols), ifmib_iftable_row);
}

int
ifmib_walk_ifxtable(struct device_rt *d)
{
	return ifmib_walk(
	    d, ifxtable_cols, NCOLS(ifxtable_cols), ifmib_ifxtable_row);
}

void
ifmib_reset_counters(struct device_rt *d)
{
	for (size_t i = 0; i < d->ports.cap; i++) {
		struct port_rt *p = d->ports.slots[i].value;

		if (d->ports.slots[i].hash && p)
			for (int k = 0; k < SAMPLE_PORT_N; k++)
				rate_reset(&p->ctr[k]);
	}
}

void
ifmib_free_ports(struct device_rt *d)
{
	hmap_free_values(&d->ports);
	hmap_free(&d->port_by_index);
}

#define HAVE(r, f) ((r)->have & (1ULL << (f)))

static uint64_t
ifmib_speed(const struct if_row *r)
{
	uint64_t speed = HAVE(r, IF_SPEED) ? r->num[IF_SPEED] : 0;

	/* ifSpeed saturates at 4294967295: ifHighSpeed (Mbit/s) says more */
	if (HAVE(r, IF_HIGHSPEED) && r->num[IF_HIGHSPEED] > 0 &&
	    r->num[IF_HIGHSPEED] * 1000000ULL > speed)
		speed = r->num[IF_HIGHSPEED] * 1000000ULL;
	return speed;
}

/*
 * Whether the port's speed bounds its counters. Virtual interfaces
 * (loopback, tunnels, VLAN interfaces, aggregates, "other") report a
 * nominal speed that says nothing of what they carry.
 */
static int
ifmib_speed_is_physical(int iftype)
{
	switch (iftype) {
	case 1: /* other */
	case 24: /* softwareLoopback */
	case 53: /* propVirtual */
	case 131: /* tunnel */
	case 135: /* l2vlan */
	case 136: /* l3ipvlan */
	case 142: /* ipForward */
	case 161: /* ieee8023adLag */
	case 166: /* mpls */ return 0;
	}
	return 1;
}

struct port_rt *
ifmib_port_new(const struct device_rt *d, const char *name)
{
	char rrd[512];
	size_t nl = strlen(name) + 1, rl;
	struct port_rt *p;
	char *b;

	if (rrdw_port_path(rrd, sizeof(rrd), poller_rrd_dir(d->p),
	        d->conf->name, name) == -1)
		rrd[0] = '\0';
	rl = strlen(rrd) + 1;
	if ((p = calloc(1, sizeof(*p) + nl + rl)) == NULL)
		return NULL;
	b = p->buf;
	memcpy(b, name, nl);
	p->name = b;
	memcpy(b + nl, rrd, rl);
	p->rrd = b + nl;
	return p;
}

static struct port_rt *
ifmib_port(struct device_rt *d, const struct if_row *r, struct hmap *used)
{
	char name[NP_STR_MAX];
	struct port_rt *p;

	if (r->name[0])
		snprintf(name, sizeof(name), "%s", r->name);
	else if (r->descr[0])
		snprintf(name, sizeof(name), "%s", r->descr);
	else
		snprintf(name, sizeof(name), "ifIndex%u", r->ifindex);
	/* Two interfaces with one name (it happens): the later one by index. */
	if (hmap_get(used, name)) {
		char dup[NP_STR_MAX + 16];

		snprintf(dup, sizeof(dup), "%s#%u", name, r->ifindex);
		memcpy(name, dup, sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
	}
	if ((p = hmap_get(&d->ports, name)) == NULL) {
		if ((p = ifmib_port_new(d, name)) == NULL)
			return NULL;
		if (hmap_put(&d->ports, p->name, p) == -1) {
			free(p);
			return NULL;
		}
	} else if (p->ifindex != r->ifindex && p->ifindex != 0)
		log_info("%s: port %s moved from ifIndex %u to %u",
		    d->conf->name, p->name, p->ifindex, r->ifindex);
	hmap_put(used, p->name, p);
	p->ifindex = r->ifindex;
	return p;
}

static void
ifmib_state_change(struct device_rt *d, struct port_rt *p, int admin, int oper)
{
	const char *was = ifmib_state_name(p->admin, p->oper);
	const char *now = ifmib_state_name(admin, oper);
	char key[NP_STR_MAX + 8];

	if (p->oper == 0 || strcmp(was, now) == 0)
		return;
	snprintf(key, sizeof(key), "port:%s", p->name);
	if (admin == 2)
		poller_emit(d, "port.admin_down", key, SEV_INFO, p->name, was,
		    now, "port %s administratively down (was %s)", p->name,
		    was);
	else if (oper == 2 || oper == 7)
		poller_emit(d, "port.down", key, SEV_MAJOR, p->name, was, now,
		    "port %s went %s (was %s)", p->name, now, was);
	else if (oper == 1)
		poller_emit(d, "port.up", key, SEV_INFO, p->name, was, now,
		    "port %s is up (was %s)", p->name, was);
	else
		poller_emit(d, "port.state", key, SEV_WARNING, p->name, was,
		    now, "port %s is %s (was %s)", p->name, now, was);
}

static void
ifmib_port_update(
    struct device_rt *d, const struct if_row *r, struct port_rt *p)
{
	struct sample_set set;
	double *vals = set.v;
	uint64_t speed = ifmib_speed(r);
	uint64_t bound =
	    ifmib_speed_is_physical((int)r->num[IF_TYPE]) ? speed : 0;
	struct store_port sp;
	int hc = 0, admin, oper;

	admin = HAVE(r, IF_ADMIN) ? (int)r->num[IF_ADMIN] : 0;
	oper = HAVE(r, IF_OPER) ? (int)r->num[IF_OPER] : 0;
	sample_set_init(&set, &sample_port_schema, d->conf->name, p->name, NULL,
	    p->rrd, d->conf->interval, r->t);

	/* A counter discontinuity on the port: new baselines, no spike. */
	if (HAVE(r, IF_DISC)) {
		uint32_t disc = (uint32_t)r->num[IF_DISC];

		if (p->has_disc && disc != p->disc_time) {
			complain(&d->c_disc, LOG_L_INFO,
			    "%s: port %s counters "
			    "discontinuous (ifCounterDiscontinuityTime "
			    "changed): new "
			    "baseline",
			    d->conf->name, p->name);
			for (int k = 0; k < SAMPLE_PORT_N; k++)
				rate_reset(&p->ctr[k]);
		}
		p->disc_time = disc;
		p->has_disc = 1;
	}

	for (int k = 0; k < SAMPLE_PORT_N; k++) {
		double max = k <= SAMPLE_PORT_OUT_OCTETS ? rate_max_octets(bound)
		                                      : rate_max_packets(bound);
		uint64_t v;
		int bits;
		double rate = NAN;
		enum rate_result res;

		if (k < SAMPLE_PORT_IN_ERRORS && HAVE(r, C64(k))) {
			v = r->num[C64(k)];
			bits = 64;
			if (k <= SAMPLE_PORT_OUT_OCTETS)
				hc = 1;
		} else if (HAVE(r, C32(k))) {
			v = r->num[C32(k)];
			bits = 32;
		} else {
			rate_reset(&p->ctr[k]);
			vals[k] = NAN;
			continue;
		}
		set.raw[k] = v;
		set.raw_have |= 1u << k;
		res = rate_update(&p->ctr[k], v, bits, r->t, max, &rate);
		if (res == RATE_IMPLAUSIBLE) {
			d->stats.samples_dropped++;
			complain(&d->c_bad, LOG_L_WARN,
			    "%s: port %s %s: delta over "
			    "the port's speed (%llu bit/s): sample dropped",
			    d->conf->name, p->name, sample_port_schema.metric[k],
			    (unsigned long long)speed);
		}
		if (res == RATE_RESET)
			d->counter_resets++;
		vals[k] = (res == RATE_OK || res == RATE_WRAPPED) ? rate : NAN;
	}

	if (admin && oper)
		ifmib_state_change(d, p, admin, oper);
	p->admin = admin;
	p->oper = oper;
	p->seen_poll = d->npolls;

	memset(&sp, 0, sizeof(sp));
	snprintf(sp.device, sizeof(sp.device), "%s", d->conf->name);
	snprintf(sp.name, sizeof(sp.name), "%s", p->name);
	sp.ifindex = (int)r->ifindex;
	snprintf(sp.descr, sizeof(sp.descr), "%s", r->descr);
	snprintf(sp.alias, sizeof(sp.alias), "%s", r->alias);
	sp.type = (int)r->num[IF_TYPE];
	sp.speed_bps = speed;
	sp.admin_status = admin;
	sp.oper_status = oper;
	sp.last_change = r->num[IF_LASTCHANGE];
	sp.in_bps = vals[SAMPLE_PORT_IN_OCTETS] * 8;
	sp.out_bps = vals[SAMPLE_PORT_OUT_OCTETS] * 8;
	sp.in_pps = vals[SAMPLE_PORT_IN_UCAST] +
	    (isnan(vals[SAMPLE_PORT_IN_MCAST]) ? 0 : vals[SAMPLE_PORT_IN_MCAST]) +
	    (isnan(vals[SAMPLE_PORT_IN_BCAST]) ? 0 : vals[SAMPLE_PORT_IN_BCAST]);
	sp.out_pps = vals[SAMPLE_PORT_OUT_UCAST] +
	    (isnan(vals[SAMPLE_PORT_OUT_MCAST]) ? 0 : vals[SAMPLE_PORT_OUT_MCAST]) +
	    (isnan(vals[SAMPLE_PORT_OUT_BCAST]) ? 0 : vals[SAMPLE_PORT_OUT_BCAST]);
	sp.in_errors = vals[SAMPLE_PORT_IN_ERRORS];
	sp.out_errors = vals[SAMPLE_PORT_OUT_ERRORS];
	sp.in_discards = vals[SAMPLE_PORT_IN_DISCARDS];
	sp.out_discards = vals[SAMPLE_PORT_OUT_DISCARDS];
	sp.hc = hc;
	sp.updated = poller_now(d->p);
	snprintf(sp.rrd, sizeof(sp.rrd), "%s", p->rrd);
	ifmib_counters_text(p, sp.counters, sizeof(sp.counters));
	store_put_port(poller_store(d->p), &sp);

	poller_sample(d, &set);
}

/* V in decimal at P (20 bytes at most): its length. */
static size_t
ifmib_u64(char *p, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (size_t i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

/*
 * Counter baselines as text for the store: "bits:value:time,..." with
 * the time in seconds to the millisecond, written by hand: printf's
 * floating point was a sixth of the poll path (12 a port, every poll).
 */
void
ifmib_counters_text(const struct port_rt *p, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int k = 0; k < SAMPLE_PORT_N; k++) {
		const struct counter *c = &p->ctr[k];
		uint64_t ms;

		/* the longest: ",64:" 20 digits ":" 20 digits ".999" */
		if (o + 70 >= len) {
			buf[0] = '\0'; /* does not fit: no baselines, no harm */
			return;
		}
		if (k)
			buf[o++] = ',';
		if (!c->bits || !(c->time > 0) || c->time > 1e15) {
			buf[o++] = '0';
			continue;
		}
		o += ifmib_u64(buf + o, c->bits);
		buf[o++] = ':';
		o += ifmib_u64(buf + o, c->value);
		buf[o++] = ':';
		ms = (uint64_t)(c->time * 1000.0 + 0.5);
		o += ifmib_u64(buf + o, ms / 1000);
		buf[o++] = '.';
		buf[o++] = (char)('0' + ms / 100 % 10);
		buf[o++] = (char)('0' + ms / 10 % 10);
		buf[o++] = (char)('0' + ms % 10);
	}
	buf[o] = '\0';
}

/* The reverse, when the daemon starts; anything malformed is no baseline. */
void
ifmib_counters_parse(struct port_rt *p, const char *s)
{
	for (int k = 0; k < SAMPLE_PORT_N && s && *s; k++) {
		unsigned bits;
		unsigned long long v;
		double t;

		if (sscanf(s, "%u:%llu:%lf", &bits, &v, &t) == 3 &&
		    (bits == 32 || bits == 64) && t > 0) {
			p->ctr[k].bits = (uint8_t)bits;
			p->ctr[k].value = v;
			p->ctr[k].time = t;
		}
		if ((s = strchr(s, ',')) != NULL)
			s++;
	}
}

/* The fields a table's columns fill. */
static uint64_t
ifmib_fields(const struct if_col *cols, int n)
{
	uint64_t m = 0;

	for (int i = 0; i < n; i++)
		m |= 1ULL << cols[i].field;
	return m;
}

/*
 * Whether the two tables of this poll name different interfaces both
 * ways: rows that only ifTable gave and rows that only ifXTable gave. An
 * agent that renumbered its interfaces between the two walks (it
 * restarted) does that; taken as they came, its old and new numbering
 * would make two ports of each, one of them "NAME#INDEX". ifXTable
 * augments ifTable (RFC 2863): a conformant agent's two tables have the
 * same indexes, and one that lacks ifXTable rows has rows of ifTable
 * alone, never the other way too.
 */
static int
ifmib_tables_disagree(const struct device_rt *d)
{
	uint64_t ift = ifmib_fields(iftable_cols, NCOLS(iftable_cols));
	uint64_t ifx = ifmib_fields(ifxtable_cols, NCOLS(ifxtable_cols));
	size_t only_ift = 0, only_ifx = 0;

	for (size_t i = 0; i < d->nrows; i++) {
		uint64_t h = d->rows[i].have;

		if ((h & ift) && !(h & ifx))
			only_ift++;
		else if ((h & ifx) && !(h & ift))
			only_ifx++;
	}
	return only_ift > 0 && only_ifx > 0;
}

void
ifmib_process(struct device_rt *d)
{
	struct hmap used;

	if (!ifmib_tables_disagree(d))
		d->if_disagree_run = 0;
	else if (++d->if_disagree_run <= IFMIB_DISAGREE_SKIP) {
		/* the ports stay as they were: the next poll reads both
		 * tables again, in one numbering */
		d->ports_skipped++;
		log_info("%s: ifTable and ifXTable have different interfaces "
		         "(renumbered during the poll?): the ports are "
		         "left as they were until the next poll",
		    d->conf->name);
		return;
	} else if (d->if_disagree_run == IFMIB_DISAGREE_SKIP + 1)
		log_warnx("%s: ifTable and ifXTable have had different "
		          "interfaces for %d polls: the agent's tables are "
		          "taken as they are (ports of one table alone)",
		    d->conf->name, d->if_disagree_run);
	hmap_init(&used);
	hmap_clear(&d->port_by_index);
	inv_ports_begin(poller_inventory(d->p), d->conf->name);
	for (size_t i = 0; i < d->nrows; i++) {
		struct if_row *r = &d->rows[i];
		struct port_rt *p;

		if (r->t == 0)
			r->t = poller_now(d->p);
		if ((p = ifmib_port(d, r, &used)) == NULL)
			continue;
		hmap_iput(&d->port_by_index, p->ifindex, p);
		(void)inv_port_put(poller_inventory(d->p), d->conf->name,
		    p->name, p->ifindex, r->descr, r->alias);
		ifmib_port_update(d, r, p);
	}
	hmap_free(&used);
}
