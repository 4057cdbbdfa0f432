/*
 * health_std.c - the standard MIBs' health values: ENTITY-SENSOR-MIB
 * sensors named by ENTITY-MIB (and CISCO-ENTITY-SENSOR-MIB's, which has
 * the same columns), HOST-RESOURCES-MIB processor load, storage use and
 * running processes; and for hosts, UCD-SNMP-MIB load averages, memory,
 * disks (dskTable) and lm-sensors temperatures and fans.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health_impl.h"

static int
health_is_optical(const char *name)
{
	return strcasestr(name, "rx power") != NULL ||
	    strcasestr(name, "tx power") != NULL ||
	    strcasestr(name, "optical power") != NULL;
}

void
health_entity(struct device_rt *d, struct h_row *r, struct hmap *used)
{
	struct sensor_thresholds th;
	struct threshold_conf own;
	enum sensor_class cls = SC_OTHER;
	enum sensor_state state;
	double value = NAN;
	char why[128] = "", name[NP_STR_MAX], key[NP_STR_MAX + 16], oidtxt[64];
	uint32_t index = r->idx[0];
	const char *n = hmap_iget(&d->health->names, index);
	/* CISCO-ENTITY-SENSOR-MIB has ENTITY-SENSOR-MIB's columns and meanings */
	int cisco = r->table == HT_CENT, watts_dbm = 0;
	const char *prefix = cisco ? "cisco-entity" : "entity";

	if (n && !hmap_get(used, n))
		snprintf(name, sizeof(name), "%s", n);
	else if (n)
		snprintf(name, sizeof(name), "%.200s #%u", n, index);
	else
		snprintf(name, sizeof(name), "sensor %u", index);
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
		watts_dbm = 1;
		if (!isnan(value) && value > 0)
			value = 10.0 * log10(value * 1000.0);
		else if (!isnan(value)) {
			value = NAN;
			snprintf(why, sizeof(why), "no light (0 W)");
		}
	}
	/* Cisco's own thresholds for the sensor, in its units */
	health_own_init(&own);
	if (cisco)
		health_cisco_own(r, watts_dbm, &own);
	health_thresholds_own(d, cls, name, &own, &th);
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
	    index);
	health_sensor(d, key, name, oidtxt, cls,
	    cisco ? "cisco-entity-sensor" : "entity-sensor", value, state, why,
	    &th);
}

void
health_storage(struct device_rt *d, struct h_row *r)
{
	struct sensor_thresholds th;
	double value = NAN;
	char why[128] = "", key[NP_STR_MAX + 16], oidtxt[64];
	int stype = HAS(r, HF_STYPE) ? (int)r->num[HF_STYPE] : 0;

	/* hrStorageTypes: 2 ram, 4 fixedDisk, 9 flashMemory, 10 networkDisk */
	if (stype != 2 && stype != 4 && stype != 9 && stype != 10)
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
	health_oid(oidtxt, sizeof(oidtxt), ".1.3.6.1.2.1.25.2.3.1.6", r);
	health_sensor(d, key, r->str[0] ? r->str : "storage", oidtxt, SC_LOAD,
	    "host-resources", value, health_eval(d, key, &th, value), why, &th);
}

void
health_cpu(struct device_rt *d, struct h_row *r, int nth)
{
	struct sensor_thresholds th;
	double value = (double)r->num[HF_LOAD];
	char why[64] = "", key[64], name[64], oidtxt[64];

	if (r->num[HF_LOAD] < 0 || r->num[HF_LOAD] > 100) {
		snprintf(why, sizeof(why), "load %lld%% out of 0..100",
		    (long long)r->num[HF_LOAD]);
		value = NAN;
	}
	snprintf(name, sizeof(name), "cpu%d", nth);
	snprintf(key, sizeof(key), "cpu:%u", r->idx[0]);
	health_thresholds(d, SC_LOAD, name, &th);
	health_oid(oidtxt, sizeof(oidtxt), ".1.3.6.1.2.1.25.3.3.1.2", r);
	health_sensor(d, key, name, oidtxt, SC_LOAD, "host-resources", value,
	    health_eval(d, key, &th, value), why, &th);
}

/*
 * Required and forbidden processes: each rule is a health value (how many
 * run) with its own events, process.missing / process.running and
 * process.forbidden / process.stopped.
 */
void
health_procs(struct device_rt *d)
{
	struct health *h = d->health;
	int walked = 0;

	for (size_t i = 0; i < h->nrows; i++)
		walked |= h->rows[i].table == HT_RUN;
	for (int k = 0; k < d->conf->nprocs; k++) {
		const struct proc_rule *pr = &d->conf->procs[k];
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
		snprintf(x.device, sizeof(x.device), "%s", d->conf->name);
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

/* UCD-SNMP-MIB laLoadInt: the load average times 100 ("Load-1", ...). */
void
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
	snprintf(key, sizeof(key), "loadavg:%u", r->idx[0]);
	snprintf(
	    name, sizeof(name), "load average %s", r->str[0] ? r->str : "?");
	health_oid(oidtxt, sizeof(oidtxt), ".1.3.6.1.4.1.2021.10.1.5", r);
	health_thresholds(d, SC_OTHER, name, &th);
	health_sensor(d, key, name, oidtxt, SC_OTHER, "ucd-snmp", value,
	    isnan(value) ? SS_UNKNOWN : sensor_evaluate(&th, SS_UNKNOWN, value),
	    why, &th);
}

/*
 * UCD-SNMP-MIB memory (kB, index 0): "memory", the share of real memory in
 * use (total less free, buffers and cache: what programs hold), and
 * "swap", the share of swap in use, for hosts that have swap.
 */
void
health_ucd_mem(struct device_rt *d, struct h_row *r)
{
	struct sensor_thresholds th;
	double value = NAN;
	char why[128] = "";

	if (r->idx[0] != 0)
		return;
	if (HAS(r, UM_TOTAL) || HAS(r, UM_AVAIL)) {
		if (!HAS(r, UM_TOTAL) || !HAS(r, UM_AVAIL))
			snprintf(why, sizeof(why),
			    "no memTotalReal or memAvailReal");
		else if (health_ucd_memory(r->num[UM_TOTAL], r->num[UM_AVAIL],
		             HAS(r, UM_BUFFER) ? r->num[UM_BUFFER] : -1,
		             HAS(r, UM_CACHED) ? r->num[UM_CACHED] : -1, &value,
		             why, sizeof(why)) == -1)
			value = NAN;
		health_thresholds(d, SC_LOAD, "memory", &th);
		health_sensor(d, "ucd-memory:memory", "memory",
		    ".1.3.6.1.4.1.2021.4.6.0", SC_LOAD, "ucd-snmp", value,
		    health_eval(d, "ucd-memory:memory", &th, value), why, &th);
	}
	/* no swap (memTotalSwap 0) is no swap to watch */
	if (!HAS(r, UM_SWTOTAL) || r->num[UM_SWTOTAL] == 0)
		return;
	value = NAN;
	why[0] = '\0';
	if (!HAS(r, UM_SWAVAIL))
		snprintf(why, sizeof(why), "no memAvailSwap");
	else if (r->num[UM_SWTOTAL] < 0 || r->num[UM_SWAVAIL] < 0 ||
	    r->num[UM_SWAVAIL] > r->num[UM_SWTOTAL])
		snprintf(why, sizeof(why),
		    "memAvailSwap %lld kB out of 0..%lld",
		    (long long)r->num[UM_SWAVAIL],
		    (long long)r->num[UM_SWTOTAL]);
	else
		value = 100.0 *
		    (double)(r->num[UM_SWTOTAL] - r->num[UM_SWAVAIL]) /
		    (double)r->num[UM_SWTOTAL];
	health_thresholds(d, SC_LOAD, "swap", &th);
	health_sensor(d, "ucd-memory:swap", "swap", ".1.3.6.1.4.1.2021.4.4.0",
	    SC_LOAD, "ucd-snmp", value,
	    health_eval(d, "ucd-memory:swap", &th, value), why, &th);
}

/*
 * UCD-SNMP-MIB dskTable: the share of a disk in use (dskPercent) against
 * the thresholds, and dskErrorFlag: the minimum free space the agent's
 * administrator configured ("disk PATH MIN") is crossed: critical.
 */
void
health_ucd_disk(struct device_rt *d, struct h_row *r)
{
	struct sensor_thresholds th;
	enum sensor_state state, dev = SS_UNKNOWN;
	double value = NAN;
	char why[128] = "", name[NP_STR_MAX + 8], key[NP_STR_MAX + 24],
	     oidtxt[64];

	snprintf(name, sizeof(name), "disk %s", r->str[0] ? r->str : "?");
	health_unique(d->health, SC_LOAD, name, sizeof(name), r);
	snprintf(key, sizeof(key), "ucd-disk:%s", name);
	if (!HAS(r, UD_PERCENT))
		snprintf(why, sizeof(why), "no dskPercent");
	else if (r->num[UD_PERCENT] < 0 || r->num[UD_PERCENT] > 100)
		snprintf(why, sizeof(why), "dskPercent %lld out of 0..100",
		    (long long)r->num[UD_PERCENT]);
	else
		value = (double)r->num[UD_PERCENT];
	health_thresholds(d, SC_LOAD, name, &th);
	state = health_eval(d, key, &th, value);
	if (HAS(r, UD_ERROR) && r->num[UD_ERROR] == 1) {
		dev = SS_CRITICAL;
		snprintf(why, sizeof(why),
		    "below the agent's configured minimum free space "
		    "(dskErrorFlag)%s%.60s",
		    r->name[0] ? ": " : "", r->name);
	} else if (HAS(r, UD_ERROR) && r->num[UD_ERROR] != 0 && why[0] == '\0')
		snprintf(why, sizeof(why), "dskErrorFlag %lld is not 0 or 1",
		    (long long)r->num[UD_ERROR]);
	state = health_with_device(state, dev);
	health_oid(oidtxt, sizeof(oidtxt), ".1.3.6.1.4.1.2021.9.1.9", r);
	health_sensor(d, key, name, oidtxt, SC_LOAD, "ucd-snmp", value, state,
	    state == SS_NORMAL ? "" : why, &th);
}

/* LM-SENSORS-MIB (UCD-SNMP): temperatures in milli-C, fans in RPM. */
void
health_lmsensor(struct device_rt *d, struct h_row *r)
{
	struct sensor_thresholds th;
	int temp = r->table == HT_LMT;
	enum sensor_class cls = temp ? SC_TEMPERATURE : SC_FANSPEED;
	double value = NAN;
	char why[128] = "", name[NP_STR_MAX], key[NP_STR_MAX + 16], oidtxt[64];

	snprintf(name, sizeof(name), "%s",
	    r->str[0]  ? r->str
	        : temp ? "temperature"
	               : "fan");
	health_unique(d->health, cls, name, sizeof(name), r);
	snprintf(key, sizeof(key), "lm-sensors:%s", name);
	if (!HAS(r, LM_VALUE))
		snprintf(why, sizeof(why), "no value");
	else if (temp && (r->num[LM_VALUE] > 200000))
		snprintf(why, sizeof(why), "%lld milli-C out of range",
		    (long long)r->num[LM_VALUE]);
	else if (!temp && r->num[LM_VALUE] > 100000)
		snprintf(why, sizeof(why), "%lld RPM out of range",
		    (long long)r->num[LM_VALUE]);
	else
		value = temp ? (double)r->num[LM_VALUE] / 1000.0
		             : (double)r->num[LM_VALUE];
	health_thresholds(d, cls, name, &th);
	health_oid(oidtxt, sizeof(oidtxt),
	    temp ? ".1.3.6.1.4.1.2021.13.16.2.1.3"
	         : ".1.3.6.1.4.1.2021.13.16.3.1.3",
	    r);
	health_sensor(d, key, name, oidtxt, cls, "lm-sensors", value,
	    health_eval(d, key, &th, value), why, &th);
}
