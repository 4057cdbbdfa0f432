/*
 * health.c - the health walk plan: ENTITY-SENSOR-MIB sensors (named by
 * ENTITY-MIB), HOST-RESOURCES-MIB processor load and storage use, walked
 * side by side in one walk after the IF-MIB plan. Each value becomes a
 * sensor with a class, a unit, a state and an RRD file; state changes are
 * events. Tables a device lacks simply end at once.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "sensor.h"

#define ENTSENSOR 1, 3, 6, 1, 2, 1, 99, 1, 1, 1
#define ENTPHYS 1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1
#define HRPROC 1, 3, 6, 1, 2, 1, 25, 3, 3, 1
#define HRSTOR 1, 3, 6, 1, 2, 1, 25, 2, 3, 1
#define HRSWRUN 1, 3, 6, 1, 2, 1, 25, 4, 2, 1
#define CENTSENSOR \
	1, 3, 6, 1, 4, 1, 9, 9, 91, 1, 1, 1, 1 /* CISCO-ENTITY-SENSOR */
#define UCDLA 1, 3, 6, 1, 4, 1, 2021, 10, 1 /* UCD-SNMP-MIB laTable */
#define ENVMON 1, 3, 6, 1, 4, 1, 9, 9, 13, 1 /* CISCO-ENVMON-MIB */

/* Names of entPhysical entries are walked again this often (seconds). */
#define HEALTH_REDISCOVER 3600

enum h_table {
	HT_ENT = 1,
	HT_CENT, /* CISCO-ENTITY-SENSOR-MIB: the same columns */
	HT_LA, /* UCD-SNMP-MIB load averages */
	HT_PHYS,
	HT_PROC,
	HT_STOR,
	HT_RUN,
	HT_ETEMP,
	HT_EFAN,
	HT_EPSU,
	HT_EVOLT /* CISCO-ENVMON-MIB */
};
enum h_field {
	HF_TYPE,
	HF_SCALE,
	HF_PREC,
	HF_VALUE,
	HF_OPER, /* entPhySensor */
	HF_DESCR,
	HF_NAME, /* entPhysical */
	HF_LOAD, /* hrProcessorLoad */
	HF_STYPE,
	HF_SDESCR,
	HF_UNITS,
	HF_SIZE,
	HF_USED, /* hrStorage */
	HF_RUNNAME, /* hrSWRunName */
	HF_EVALUE,
	HF_ETHRESH,
	HF_ELOW,
	HF_EHIGH,
	HF_ESTATE, /* ENVMON */
	HF_N
};

struct h_col {
	oid oid[16];
	size_t len;
	enum h_table table;
	enum h_field field;
	u_char type;
	int when; /* 0 every poll, HW_PROCS, HW_DISCOVERY */
};
#define HW_PROCS 1 /* only for devices with process rules */
#define HW_DISCOVERY 2 /* only when names are walked again */

static const struct h_col h_cols[] = {
    {{ENTSENSOR, 1}, 11, HT_ENT, HF_TYPE, ASN_INTEGER, 0},
    {{ENTSENSOR, 2}, 11, HT_ENT, HF_SCALE, ASN_INTEGER, 0},
    {{ENTSENSOR, 3}, 11, HT_ENT, HF_PREC, ASN_INTEGER, 0},
    {{ENTSENSOR, 4}, 11, HT_ENT, HF_VALUE, ASN_INTEGER, 0},
    {{ENTSENSOR, 5}, 11, HT_ENT, HF_OPER, ASN_INTEGER, 0},
    {{CENTSENSOR, 1}, 14, HT_CENT, HF_TYPE, ASN_INTEGER, 0},
    {{CENTSENSOR, 2}, 14, HT_CENT, HF_SCALE, ASN_INTEGER, 0},
    {{CENTSENSOR, 3}, 14, HT_CENT, HF_PREC, ASN_INTEGER, 0},
    {{CENTSENSOR, 4}, 14, HT_CENT, HF_VALUE, ASN_INTEGER, 0},
    {{CENTSENSOR, 5}, 14, HT_CENT, HF_OPER, ASN_INTEGER, 0},
    {{HRPROC, 2}, 11, HT_PROC, HF_LOAD, ASN_INTEGER, 0},
    {{HRSTOR, 2}, 11, HT_STOR, HF_STYPE, ASN_OBJECT_ID, 0},
    {{HRSTOR, 3}, 11, HT_STOR, HF_SDESCR, ASN_OCTET_STR, 0},
    {{HRSTOR, 4}, 11, HT_STOR, HF_UNITS, ASN_INTEGER, 0},
    {{HRSTOR, 5}, 11, HT_STOR, HF_SIZE, ASN_INTEGER, 0},
    {{HRSTOR, 6}, 11, HT_STOR, HF_USED, ASN_INTEGER, 0},
    {{UCDLA, 2}, 10, HT_LA, HF_SDESCR, ASN_OCTET_STR, 0},
    {{UCDLA, 5}, 10, HT_LA, HF_LOAD, ASN_INTEGER, 0},
    {{ENVMON, 3, 1, 2}, 13, HT_ETEMP, HF_DESCR, ASN_OCTET_STR, 0},
    {{ENVMON, 3, 1, 3}, 13, HT_ETEMP, HF_EVALUE, ASN_INTEGER, 0},
    {{ENVMON, 3, 1, 4}, 13, HT_ETEMP, HF_ETHRESH, ASN_INTEGER, 0},
    {{ENVMON, 3, 1, 6}, 13, HT_ETEMP, HF_ESTATE, ASN_INTEGER, 0},
    {{ENVMON, 4, 1, 2}, 13, HT_EFAN, HF_DESCR, ASN_OCTET_STR, 0},
    {{ENVMON, 4, 1, 3}, 13, HT_EFAN, HF_ESTATE, ASN_INTEGER, 0},
    {{ENVMON, 5, 1, 2}, 13, HT_EPSU, HF_DESCR, ASN_OCTET_STR, 0},
    {{ENVMON, 5, 1, 3}, 13, HT_EPSU, HF_ESTATE, ASN_INTEGER, 0},
    {{ENVMON, 2, 1, 2}, 13, HT_EVOLT, HF_DESCR, ASN_OCTET_STR, 0},
    {{ENVMON, 2, 1, 3}, 13, HT_EVOLT, HF_EVALUE, ASN_INTEGER, 0},
    {{ENVMON, 2, 1, 4}, 13, HT_EVOLT, HF_ELOW, ASN_INTEGER, 0},
    {{ENVMON, 2, 1, 5}, 13, HT_EVOLT, HF_EHIGH, ASN_INTEGER, 0},
    {{ENVMON, 2, 1, 7}, 13, HT_EVOLT, HF_ESTATE, ASN_INTEGER, 0},
    /* with process rules only: the running processes */
    {{HRSWRUN, 2}, 11, HT_RUN, HF_RUNNAME, ASN_OCTET_STR, HW_PROCS},
    /* discovery only: the names of the physical entities */
    {{ENTPHYS, 2}, 12, HT_PHYS, HF_DESCR, ASN_OCTET_STR, HW_DISCOVERY},
    {{ENTPHYS, 7}, 12, HT_PHYS, HF_NAME, ASN_OCTET_STR, HW_DISCOVERY},
};
#define H_NCOLS ((int)(sizeof(h_cols) / sizeof(h_cols[0])))

struct h_row {
	enum h_table table;
	uint32_t index;
	uint32_t have;
	int64_t num[HF_N];
	int stype; /* hrStorageType: last sub-identifier */
	char str[NP_STR_MAX]; /* descr (storage, entity) */
	char name[NP_STR_MAX]; /* entPhysicalName */
};

/* A sensor as remembered between polls. */
struct h_sensor {
	char key[NP_STR_MAX];
	enum sensor_state state;
	int known; /* state came from a poll or the store */
	unsigned long seen;
	char rrd[512];
};

struct health {
	struct h_row *rows;
	size_t nrows, cap;
	struct hmap row_by_key; /* table << 32 | index -> row + 1 */
	struct hmap names; /* entPhysicalIndex -> char * name */
	double discovered; /* when the names were walked */
	int colmap[WALK_MAXCOLS]; /* walk column -> h_cols index */
	int discovering;
	struct hmap sensors; /* key -> h_sensor */
};

static struct health *
health_get(struct device_rt *d)
{
	if (d->health == NULL && (d->health = calloc(1, sizeof(*d->health)))) {
		hmap_init(&d->health->row_by_key);
		hmap_init(&d->health->names);
		hmap_init(&d->health->sensors);
	}
	return d->health;
}

static struct h_row *
health_row(struct health *h, enum h_table t, uint32_t index)
{
	uint64_t k = ((uint64_t)t << 32) | index;
	void *v = hmap_iget(&h->row_by_key, k);
	struct h_row *r;

	if (v)
		return &h->rows[(uintptr_t)v - 1];
	if (h->nrows == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		struct h_row *n = realloc(h->rows, cap * sizeof(*n));

		if (n == NULL)
			return NULL;
		h->rows = n;
		h->cap = cap;
	}
	r = &h->rows[h->nrows++];
	memset(r, 0, sizeof(*r));
	r->table = t;
	r->index = index;
	if (hmap_iput(&h->row_by_key, k, (void *)(uintptr_t)h->nrows) == -1) {
		h->nrows--;
		return NULL;
	}
	return r;
}

static void
health_value(void *arg, int c, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	struct device_rt *d = arg;
	struct health *h = d->health;
	const struct h_col *col = &h_cols[h->colmap[c]];
	struct h_row *r;
	uint64_t v;

	if (idxlen != 1 || idx[0] > 0x7fffffff) {
		d->stats.bad_types++;
		return;
	}
	if (vb->type != col->type &&
	    !(col->type == ASN_INTEGER && vb->type == ASN_GAUGE)) {
		d->stats.bad_types++;
		complain(&d->c_bad, LOG_L_WARN,
		    "%s: health value of type 0x%02x "
		    "where 0x%02x was expected: ignored",
		    d->conf.name, vb->type, col->type);
		return;
	}
	if ((r = health_row(h, col->table, (uint32_t)idx[0])) == NULL)
		return;
	switch (col->field) {
	case HF_DESCR:
	case HF_SDESCR:
	case HF_RUNNAME: walk_vb_str(vb, r->str, sizeof(r->str)); break;
	case HF_NAME: walk_vb_str(vb, r->name, sizeof(r->name)); break;
	case HF_STYPE:
		if (vb->val_len >= sizeof(oid))
			r->stype =
			    (int)vb->val.objid[vb->val_len / sizeof(oid) - 1];
		break;
	default:
		if (vb->type == ASN_INTEGER)
			r->num[col->field] = *vb->val.integer;
		else if (walk_vb_u64(vb, &v) == 0)
			r->num[col->field] = (int64_t)v;
	}
	r->have |= 1u << col->field;
}

static void
health_walk_done(void *arg, enum walk_status st, const char *why)
{
	poller_phase_done(arg, (int)st, why);
}

int
health_walk(struct device_rt *d)
{
	const oid *oids[WALK_MAXCOLS];
	size_t lens[WALK_MAXCOLS];
	struct health *h = health_get(d);
	int bulk = d->conf.bulk && d->conf.snmp.version != NP_SNMP_V1, n;

	if (h == NULL)
		return -1;
	hmap_clear(&h->row_by_key);
	h->nrows = 0;
	/* entPhysical names: at the first poll, then now and then */
	h->discovering = h->discovered == 0 ||
	    poller_now(d->p) - h->discovered > HEALTH_REDISCOVER;
	n = 0;
	for (int i = 0; i < H_NCOLS; i++) {
		if ((h_cols[i].when == HW_PROCS && d->conf.nprocs == 0) ||
		    (h_cols[i].when == HW_DISCOVERY && !h->discovering))
			continue;
		if (n == WALK_MAXCOLS)
			break; /* a plan larger than a walk: caught by the tests */
		h->colmap[n] = i;
		oids[n] = h_cols[i].oid;
		lens[n++] = h_cols[i].len;
	}
	return walk_start(&d->walk, &d->ss, oids, lens, n, bulk,
	    d->conf.max_reps, health_value, health_walk_done, d, &d->wst);
}

static void
health_names(struct device_rt *d)
{
	struct health *h = d->health;

	hmap_clear_free(&h->names);
	for (size_t i = 0; i < h->nrows; i++) {
		struct h_row *r = &h->rows[i];
		const char *n = r->name[0] ? r->name : r->str;
		char *copy;

		if (r->table != HT_PHYS || n[0] == '\0')
			continue;
		if ((copy = strdup(n)) != NULL &&
		    hmap_iput(&h->names, r->index, copy) == -1)
			free(copy);
	}
	h->discovered = poller_now(d->p);
}

/* Record one sensor: state change events, the store, the RRD file. */
static void
health_sensor(struct device_rt *d, const char *key, const char *name,
    const char *oidtxt, enum sensor_class cls, const char *source, double value,
    enum sensor_state state, const char *reason,
    const struct sensor_thresholds *th)
{
	struct health *h = d->health;
	struct h_sensor *s = hmap_get(&h->sensors, key);
	struct store_sensor x;
	char ekey[NP_STR_MAX + 8];

	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return;
		snprintf(s->key, sizeof(s->key), "%s", key);
		if (rrdw_sensor_path(s->rrd, sizeof(s->rrd),
		        poller_rrd_dir(d->p), d->conf.name,
		        sensor_class_name(cls), name) == -1)
			s->rrd[0] = '\0';
		if (hmap_put(&h->sensors, s->key, s) == -1) {
			free(s);
			return;
		}
	}
	snprintf(ekey, sizeof(ekey), "sensor:%s", key);
	/* A change is an event; so is a problem seen for the first time. */
	if ((s->known && s->state != state) ||
	    (!s->known && state >= SS_WARNING)) {
		const char *was =
		    s->known ? sensor_state_name(s->state) : "unknown";
		enum np_severity sev =
		    state == SS_CRITICAL || state == SS_FAILED ? SEV_CRITICAL
		    : state == SS_WARNING                      ? SEV_WARNING
		                                               : SEV_INFO;
		char kind[40], val[64];

		snprintf(
		    kind, sizeof(kind), "sensor.%s", sensor_state_name(state));
		if (isnan(value))
			snprintf(val, sizeof(val), "no value%s%s",
			    reason[0] ? ": " : "", reason);
		else
			snprintf(val, sizeof(val), "%.6g %s", value,
			    sensor_class_unit(cls));
		poller_emit(d, kind, ekey, sev, name, was,
		    sensor_state_name(state), "%s %s is %s (%s, was %s)",
		    sensor_class_name(cls), name, sensor_state_name(state), val,
		    was);
	}
	s->state = state;
	s->known = 1;
	s->seen = d->npolls;

	memset(&x, 0, sizeof(x));
	snprintf(x.device, sizeof(x.device), "%s", d->conf.name);
	snprintf(x.key, sizeof(x.key), "%s", key);
	snprintf(x.name, sizeof(x.name), "%s", name);
	snprintf(x.cls, sizeof(x.cls), "%s", sensor_class_name(cls));
	snprintf(x.unit, sizeof(x.unit), "%s", sensor_class_unit(cls));
	snprintf(x.source, sizeof(x.source), "%s", source);
	snprintf(x.oid, sizeof(x.oid), "%s", oidtxt);
	x.value = value;
	snprintf(x.state, sizeof(x.state), "%s", sensor_state_name(state));
	snprintf(x.reason, sizeof(x.reason), "%s", reason);
	x.warn_hi = th->warn_hi;
	x.crit_hi = th->crit_hi;
	x.warn_lo = th->warn_lo;
	x.crit_lo = th->crit_lo;
	x.updated = poller_now(d->p);
	snprintf(x.rrd, sizeof(x.rrd), "%s", s->rrd);
	store_put_sensor(poller_store(d->p), &x);
	if (s->rrd[0])
		rrdw_update(poller_rrdw(d->p), &rrdw_sensor_schema, s->rrd,
		    d->conf.interval, x.updated, &value);
}

#define HAS(r, f) ((r)->have & (1u << (f)))

/* Lay the fields a rule sets over T. */
static void
health_apply(struct sensor_thresholds *t, const struct threshold_conf *c)
{
	if (!isnan(c->warn_hi))
		t->warn_hi = c->warn_hi;
	if (!isnan(c->crit_hi))
		t->crit_hi = c->crit_hi;
	if (!isnan(c->warn_lo))
		t->warn_lo = c->warn_lo;
	if (!isnan(c->crit_lo))
		t->crit_lo = c->crit_lo;
	if (!isnan(c->hysteresis))
		t->hysteresis = c->hysteresis;
}

/*
 * A sensor's thresholds: the built-in default for its class, the device's
 * own thresholds for that sensor (OWN, NAN where none), then the global
 * rule for the class, the device's rule for the class, and the device's
 * rule for that sensor by name.
 */
static void
health_thresholds_own(struct device_rt *d, enum sensor_class cls,
    const char *name, const struct threshold_conf *own,
    struct sensor_thresholds *t)
{
	const struct threshold_conf *g;
	const char *cn = sensor_class_name(cls);
	int ng;

	sensor_default_thresholds(cls, t);
	if (own)
		health_apply(t, own);
	g = poller_thresholds(d->p, &ng);
	for (int i = 0; i < ng; i++)
		if (g[i].sensor[0] == '\0' && strcmp(g[i].cls, cn) == 0)
			health_apply(t, &g[i]);
	for (int i = 0; i < d->conf.nthresholds; i++)
		if (d->conf.thresholds[i].sensor[0] == '\0' &&
		    strcmp(d->conf.thresholds[i].cls, cn) == 0)
			health_apply(t, &d->conf.thresholds[i]);
	for (int i = 0; i < d->conf.nthresholds; i++)
		if (strcmp(d->conf.thresholds[i].sensor, name) == 0)
			health_apply(t, &d->conf.thresholds[i]);
}

static void
health_thresholds(struct device_rt *d, enum sensor_class cls, const char *name,
    struct sensor_thresholds *t)
{
	health_thresholds_own(d, cls, name, NULL, t);
}

static int
health_is_optical(const char *name)
{
	return strcasestr(name, "rx power") != NULL ||
	    strcasestr(name, "tx power") != NULL ||
	    strcasestr(name, "optical power") != NULL;
}

static void
health_entity(struct device_rt *d, struct h_row *r, struct hmap *used)
{
	struct sensor_thresholds th;
	enum sensor_class cls = SC_OTHER;
	enum sensor_state state;
	double value = NAN;
	char why[128] = "", name[NP_STR_MAX], key[NP_STR_MAX + 16], oidtxt[64];
	const char *n = hmap_iget(&d->health->names, r->index);
	/* CISCO-ENTITY-SENSOR-MIB has ENTITY-SENSOR-MIB's columns and meanings */
	int cisco = r->table == HT_CENT;
	const char *prefix = cisco ? "cisco-entity" : "entity";

	if (n && !hmap_get(used, n))
		snprintf(name, sizeof(name), "%s", n);
	else if (n)
		snprintf(name, sizeof(name), "%.200s #%u", n, r->index);
	else
		snprintf(name, sizeof(name), "sensor %u", r->index);
	hmap_put(used, n ? n : "", (void *)1);

	if (!HAS(r, HF_VALUE) || !HAS(r, HF_TYPE))
		snprintf(why, sizeof(why), "no value");
	else if (sensor_entity_convert((int)r->num[HF_TYPE],
	             HAS(r, HF_SCALE) ? (int)r->num[HF_SCALE] : 9,
	             HAS(r, HF_PREC) ? (int)r->num[HF_PREC] : 0,
	             r->num[HF_VALUE], &value, &cls, why, sizeof(why)) == -1) {
		value = NAN;
		if (HAS(r, HF_TYPE) && r->num[HF_TYPE] == 10)
			cls = SC_FANSPEED;
	}
	/*
	 * Optics report their light in watts (DOM Rx/Tx Power, a fraction of
	 * a milliwatt): engineers read it in dBm.
	 */
	if (cls == SC_POWER && health_is_optical(name)) {
		cls = SC_DBM;
		if (!isnan(value) && value > 0)
			value = 10.0 * log10(value * 1000.0);
		else if (!isnan(value)) {
			value = NAN;
			snprintf(why, sizeof(why), "no light (0 W)");
		}
	}
	health_thresholds(d, cls, name, &th);
	if (cls == SC_STATE)
		state = isnan(value) ? SS_UNKNOWN : SS_NORMAL;
	else
		state = sensor_evaluate(&th, SS_UNKNOWN, value);
	/* entPhySensorOperStatus: 1 ok, 2 unavailable, 3 nonoperational */
	if (HAS(r, HF_OPER) && r->num[HF_OPER] == 3) {
		state = SS_FAILED;
		snprintf(why, sizeof(why),
		    "nonoperational (entPhySensorOperStatus)");
	} else if (HAS(r, HF_OPER) && r->num[HF_OPER] == 2) {
		state = SS_UNKNOWN;
		value = NAN;
		snprintf(
		    why, sizeof(why), "unavailable (entPhySensorOperStatus)");
	} else if (!isnan(value)) {
		/* hysteresis needs the state it was in */
		struct h_sensor *s;

		snprintf(key, sizeof(key), "%s:%s", prefix, name);
		if ((s = hmap_get(&d->health->sensors, key)) && s->known)
			state = cls == SC_STATE
			    ? SS_NORMAL
			    : sensor_evaluate(&th, s->state, value);
	}
	snprintf(key, sizeof(key), "%s:%s", prefix, name);
	snprintf(oidtxt, sizeof(oidtxt), "%s.%u",
	    cisco ? ".1.3.6.1.4.1.9.9.91.1.1.1.1.4" : ".1.3.6.1.2.1.99.1.1.1.4",
	    r->index);
	health_sensor(d, key, name, oidtxt, cls,
	    cisco ? "cisco-entity-sensor" : "entity-sensor", value, state, why,
	    &th);
}

static void
health_storage(struct device_rt *d, struct h_row *r)
{
	struct sensor_thresholds th;
	enum sensor_state state;
	struct h_sensor *s;
	double value = NAN;
	char why[128] = "", key[NP_STR_MAX + 16], oidtxt[64];

	/* hrStorageTypes: 2 ram, 4 fixedDisk, 9 flashMemory, 10 networkDisk */
	if (r->stype != 2 && r->stype != 4 && r->stype != 9 && r->stype != 10)
		return;
	if (!HAS(r, HF_SIZE) || !HAS(r, HF_USED))
		snprintf(why, sizeof(why), "no size or use");
	else if (r->num[HF_SIZE] <= 0)
		snprintf(
		    why, sizeof(why), "size %lld", (long long)r->num[HF_SIZE]);
	else if (r->num[HF_USED] < 0 || r->num[HF_USED] > r->num[HF_SIZE])
		snprintf(why, sizeof(why), "use %lld out of 0..%lld",
		    (long long)r->num[HF_USED], (long long)r->num[HF_SIZE]);
	else
		value =
		    100.0 * (double)r->num[HF_USED] / (double)r->num[HF_SIZE];
	health_thresholds(d, SC_LOAD, r->str[0] ? r->str : "storage", &th);
	snprintf(key, sizeof(key), "storage:%s", r->str[0] ? r->str : "?");
	s = hmap_get(&d->health->sensors, key);
	state =
	    sensor_evaluate(&th, s && s->known ? s->state : SS_UNKNOWN, value);
	snprintf(
	    oidtxt, sizeof(oidtxt), ".1.3.6.1.2.1.25.2.3.1.6.%u", r->index);
	health_sensor(d, key, r->str[0] ? r->str : "storage", oidtxt, SC_LOAD,
	    "host-resources", value, state, why, &th);
}

static void
health_cpu(struct device_rt *d, struct h_row *r, int nth)
{
	struct sensor_thresholds th;
	struct h_sensor *s;
	double value = (double)r->num[HF_LOAD];
	char why[64] = "", key[64], name[64], oidtxt[64];

	if (r->num[HF_LOAD] < 0 || r->num[HF_LOAD] > 100) {
		snprintf(why, sizeof(why), "load %lld%% out of 0..100",
		    (long long)r->num[HF_LOAD]);
		value = NAN;
	}
	snprintf(name, sizeof(name), "cpu%d", nth);
	snprintf(key, sizeof(key), "cpu:%u", r->index);
	health_thresholds(d, SC_LOAD, name, &th);
	s = hmap_get(&d->health->sensors, key);
	snprintf(
	    oidtxt, sizeof(oidtxt), ".1.3.6.1.2.1.25.3.3.1.2.%u", r->index);
	health_sensor(d, key, name, oidtxt, SC_LOAD, "host-resources", value,
	    sensor_evaluate(&th, s && s->known ? s->state : SS_UNKNOWN, value),
	    why, &th);
}

/*
 * Required and forbidden processes: each rule is a health value (how many
 * run) with its own events, process.missing / process.running and
 * process.forbidden / process.stopped.
 */
static void
health_procs(struct device_rt *d)
{
	struct health *h = d->health;
	struct sensor_thresholds none;
	int walked = 0;

	memset(&none, 0, sizeof(none));
	none.warn_hi = none.crit_hi = none.warn_lo = none.crit_lo = NAN;
	for (size_t i = 0; i < h->nrows; i++)
		walked |= h->rows[i].table == HT_RUN;
	for (int k = 0; k < d->conf.nprocs; k++) {
		const struct proc_rule *pr = &d->conf.procs[k];
		char key[NP_STR_MAX], ekey[NP_STR_MAX + 16], name[NP_STR_MAX];
		struct store_sensor x;
		struct h_sensor *s;
		enum sensor_state state;
		int count = 0, bad;

		for (size_t i = 0; i < h->nrows; i++)
			if (h->rows[i].table == HT_RUN &&
			    strcmp(h->rows[i].str, pr->name) == 0)
				count++;
		bad = pr->forbid ? count > 0 : count == 0;
		state = !walked ? SS_UNKNOWN : bad ? SS_CRITICAL : SS_NORMAL;
		snprintf(key, sizeof(key), "process:%s", pr->name);
		snprintf(name, sizeof(name), "process %s", pr->name);
		if ((s = hmap_get(&h->sensors, key)) == NULL) {
			if ((s = calloc(1, sizeof(*s))) == NULL)
				continue;
			snprintf(s->key, sizeof(s->key), "%s", key);
			if (hmap_put(&h->sensors, s->key, s) == -1) {
				free(s);
				continue;
			}
		}
		snprintf(ekey, sizeof(ekey), "process:%s", pr->name);
		if (state != SS_UNKNOWN &&
		    ((s->known && s->state != state) ||
		        (!s->known && state == SS_CRITICAL))) {
			if (pr->forbid && bad)
				poller_emit(d, "process.forbidden", ekey,
				    SEV_MAJOR, pr->name, "stopped", "running",
				    "forbidden process "
				    "%s is running (%d instance%s)",
				    pr->name, count, count == 1 ? "" : "s");
			else if (pr->forbid)
				poller_emit(d, "process.stopped", ekey,
				    SEV_INFO, pr->name, "running", "stopped",
				    "forbidden process "
				    "%s no longer runs",
				    pr->name);
			else if (bad)
				poller_emit(d, "process.missing", ekey,
				    SEV_MAJOR, pr->name, "running", "missing",
				    "required process "
				    "%s is not running",
				    pr->name);
			else
				poller_emit(d, "process.running", ekey,
				    SEV_INFO, pr->name, "missing", "running",
				    "required process "
				    "%s runs again (%d instance%s)",
				    pr->name, count, count == 1 ? "" : "s");
		}
		if (state != SS_UNKNOWN) {
			s->state = state;
			s->known = 1;
		}
		memset(&x, 0, sizeof(x));
		snprintf(x.device, sizeof(x.device), "%s", d->conf.name);
		snprintf(x.key, sizeof(x.key), "%s", key);
		snprintf(x.name, sizeof(x.name), "%s", name);
		snprintf(
		    x.cls, sizeof(x.cls), "%s", sensor_class_name(SC_STATE));
		snprintf(x.source, sizeof(x.source), "host-resources");
		snprintf(x.oid, sizeof(x.oid), ".1.3.6.1.2.1.25.4.2.1.2");
		x.value = walked ? count : NAN;
		snprintf(
		    x.state, sizeof(x.state), "%s", sensor_state_name(state));
		snprintf(x.reason, sizeof(x.reason), "%s",
		    !walked          ? "no hrSWRunTable"
		        : !bad       ? ""
		        : pr->forbid ? "forbidden, running"
		                     : "required, not running");
		x.warn_hi = x.crit_hi = x.warn_lo = x.crit_lo = NAN;
		x.updated = poller_now(d->p);
		store_put_sensor(poller_store(d->p), &x);
	}
}

/* CISCO-ENVMON-MIB CiscoEnvMonState to ours; 0 when not a state. */
static enum sensor_state
health_envmon_state(int64_t v, const char **why)
{
	switch (v) {
	case 1: *why = ""; return SS_NORMAL;
	case 2: *why = "warning (ciscoEnvMonState)"; return SS_WARNING;
	case 3: *why = "critical (ciscoEnvMonState)"; return SS_CRITICAL;
	case 4: *why = "shut down (ciscoEnvMonState)"; return SS_CRITICAL;
	case 5: *why = "not present"; return SS_UNKNOWN;
	case 6: *why = "not functioning (ciscoEnvMonState)"; return SS_FAILED;
	}
	*why = "unknown ciscoEnvMonState";
	return SS_UNKNOWN;
}

/*
 * CISCO-ENVMON-MIB: temperatures (C, with the device's own threshold),
 * voltages (mV, with its low and high thresholds), fans and power supplies
 * (a status only). The device's status wins over our thresholds.
 */
static void
health_envmon(struct device_rt *d, struct h_row *r)
{
	static const struct {
		enum h_table t;
		const char *kind;
		int col; /* the column the value is read from */
		enum sensor_class cls;
	} kinds[] = {
	    {HT_ETEMP, "envmon-temp", 3, SC_TEMPERATURE},
	    {HT_EVOLT, "envmon-volt", 3, SC_VOLTAGE},
	    {HT_EFAN, "envmon-fan", 3, SC_STATE},
	    {HT_EPSU, "envmon-psu", 3, SC_STATE},
	};
	struct sensor_thresholds th;
	struct h_sensor *s;
	enum sensor_state state, dev = SS_UNKNOWN;
	const char *why = "", *name;
	char key[NP_STR_MAX + 16], oidtxt[64], reason[128];
	double value = NAN;
	int k, sub;

	for (k = 0; k < 4 && kinds[k].t != r->table; k++)
		;
	if (k == 4)
		return;
	name = r->str[0] ? r->str : "?";
	snprintf(key, sizeof(key), "%s:%s", kinds[k].kind, name);
	sub = r->table == HT_ETEMP ? 3
	    : r->table == HT_EVOLT ? 2
	    : r->table == HT_EFAN  ? 4
	                           : 5;
	{
		struct threshold_conf own = {"", "", NAN, NAN, NAN, NAN, NAN};

		/* its shutdown threshold; a warning 10 % below it */
		if (r->table == HT_ETEMP && HAS(r, HF_ETHRESH) &&
		    r->num[HF_ETHRESH] > 0) {
			own.crit_hi = (double)r->num[HF_ETHRESH];
			own.warn_hi = own.crit_hi * 0.9;
		}
		if (r->table == HT_EVOLT && HAS(r, HF_ELOW) &&
		    HAS(r, HF_EHIGH) && r->num[HF_EHIGH] > r->num[HF_ELOW]) {
			own.crit_lo = (double)r->num[HF_ELOW] / 1000.0;
			own.crit_hi = (double)r->num[HF_EHIGH] / 1000.0;
		}
		health_thresholds_own(d, kinds[k].cls, name, &own, &th);
	}
	if (HAS(r, HF_ESTATE))
		dev = health_envmon_state(r->num[HF_ESTATE], &why);
	if (kinds[k].cls == SC_STATE) {
		value = HAS(r, HF_ESTATE) ? (double)r->num[HF_ESTATE] : NAN;
		state = dev;
		snprintf(oidtxt, sizeof(oidtxt),
		    ".1.3.6.1.4.1.9.9.13.1.%d.1.3.%u", sub, r->index);
	} else {
		if (HAS(r, HF_EVALUE))
			value = r->table == HT_EVOLT
			    ? (double)r->num[HF_EVALUE] / 1000.0
			    : (double)r->num[HF_EVALUE];
		s = hmap_get(&d->health->sensors, key);
		state = sensor_evaluate(
		    &th, s && s->known ? s->state : SS_UNKNOWN, value);
		/* the device's own word for a part that is not normal */
		if (dev == SS_FAILED || dev == SS_CRITICAL ||
		    (dev == SS_WARNING && state < SS_WARNING))
			state = dev;
		if (dev == SS_UNKNOWN && HAS(r, HF_ESTATE) &&
		    r->num[HF_ESTATE] == 5) {
			state = SS_UNKNOWN;
			value = NAN;
		}
		snprintf(oidtxt, sizeof(oidtxt),
		    ".1.3.6.1.4.1.9.9.13.1.%d.1.3.%u", sub, r->index);
	}
	snprintf(reason, sizeof(reason), "%s", state == SS_NORMAL ? "" : why);
	health_sensor(d, key, name, oidtxt, kinds[k].cls, "cisco-envmon", value,
	    state, reason, &th);
}

/* UCD-SNMP-MIB laLoadInt: the load average times 100 ("Load-1", ...). */
static void
health_loadavg(struct device_rt *d, struct h_row *r)
{
	struct sensor_thresholds th;
	char key[NP_STR_MAX + 8], name[NP_STR_MAX + 16], oidtxt[64];
	double value = NAN;
	const char *why = "";

	if (!HAS(r, HF_LOAD))
		return;
	if (r->num[HF_LOAD] >= 0)
		value = (double)r->num[HF_LOAD] / 100.0;
	else
		why = "negative load average";
	snprintf(key, sizeof(key), "loadavg:%u", r->index);
	snprintf(
	    name, sizeof(name), "load average %s", r->str[0] ? r->str : "?");
	snprintf(
	    oidtxt, sizeof(oidtxt), ".1.3.6.1.4.1.2021.10.1.5.%u", r->index);
	health_thresholds(d, SC_OTHER, name, &th);
	health_sensor(d, key, name, oidtxt, SC_OTHER, "ucd-snmp", value,
	    isnan(value) ? SS_UNKNOWN : sensor_evaluate(&th, SS_UNKNOWN, value),
	    why, &th);
}

void
health_process(struct device_rt *d)
{
	struct health *h = d->health;
	struct hmap used;
	int ncpu = 0;

	if (h == NULL)
		return;
	if (h->discovering)
		health_names(d);
	hmap_init(&used);
	for (size_t i = 0; i < h->nrows; i++) {
		struct h_row *r = &h->rows[i];

		switch (r->table) {
		case HT_ENT:
		case HT_CENT: health_entity(d, r, &used); break;
		case HT_PROC:
			if (HAS(r, HF_LOAD))
				health_cpu(d, r, ncpu++);
			break;
		case HT_STOR: health_storage(d, r); break;
		case HT_LA: health_loadavg(d, r); break;
		case HT_ETEMP:
		case HT_EVOLT:
		case HT_EFAN:
		case HT_EPSU: health_envmon(d, r); break;
		default: break;
		}
	}
	hmap_free(&used);
	health_procs(d);
}

/* What the store remembers: states survive a restart, no false events. */
void
health_load(struct device_rt *d, const struct store_sensor *x)
{
	struct health *h = health_get(d);
	struct h_sensor *s;

	if (h == NULL || hmap_get(&h->sensors, x->key))
		return;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return;
	snprintf(s->key, sizeof(s->key), "%s", x->key);
	snprintf(s->rrd, sizeof(s->rrd), "%s", x->rrd);
	s->known = 1;
	s->state = strcmp(x->state, "normal") == 0 ? SS_NORMAL
	    : strcmp(x->state, "warning") == 0     ? SS_WARNING
	    : strcmp(x->state, "critical") == 0    ? SS_CRITICAL
	    : strcmp(x->state, "failed") == 0      ? SS_FAILED
	                                           : SS_UNKNOWN;
	if (hmap_put(&h->sensors, s->key, s) == -1)
		free(s);
}

void
health_free(struct device_rt *d)
{
	struct health *h = d->health;

	if (h == NULL)
		return;
	hmap_free_values(&h->names);
	hmap_free_values(&h->sensors);
	hmap_free(&h->row_by_key);
	free(h->rows);
	free(h);
	d->health = NULL;
}

size_t
health_count(struct device_rt *d)
{
	return d->health ? d->health->sensors.n : 0;
}

/* The plan must fit in one walk (a compile-time check). */
typedef char
    health_plan_fits[(sizeof(h_cols) / sizeof(h_cols[0]) <= WALK_MAXCOLS) ? 1
                                                                          : -1];
