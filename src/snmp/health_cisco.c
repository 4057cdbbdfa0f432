/*
 * health_cisco.c - Cisco's own health MIBs: CISCO-ENVMON-MIB temperatures,
 * voltages, fans and power supplies, and the device's own thresholds for
 * CISCO-ENTITY-SENSOR-MIB sensors from entSensorThresholdTable (walked at
 * discovery, kept per entPhysicalIndex). The sensors themselves are read
 * like ENTITY-SENSOR-MIB's (health_std.c).
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health_impl.h"

/*
 * CISCO-ENVMON-MIB: temperatures (C, with the device's own threshold),
 * voltages (mV, with its low and high thresholds), fans and power supplies
 * (a status only). The device's status wins over our thresholds.
 */
void
health_envmon(struct device_rt *d, struct h_row *r)
{
	static const struct {
		enum h_table t;
		const char *kind;
		int sub; /* ciscoEnvMonObjects.SUB: the table */
		enum sensor_class cls;
	} kinds[] = {
	    {HT_ETEMP, "envmon-temp", 3, SC_TEMPERATURE},
	    {HT_EVOLT, "envmon-volt", 2, SC_VOLTAGE},
	    {HT_EFAN, "envmon-fan", 4, SC_STATE},
	    {HT_EPSU, "envmon-psu", 5, SC_STATE},
	};
	struct sensor_thresholds th;
	struct threshold_conf own;
	enum sensor_state state, dev = SS_UNKNOWN;
	const char *why = "", *name;
	char key[NP_STR_MAX + 16], oidtxt[64], base[48], reason[128];
	double value = NAN;
	int k;

	for (k = 0; k < 4 && kinds[k].t != r->table; k++)
		;
	if (k == 4)
		return;
	name = r->str[0] ? r->str : "?";
	snprintf(key, sizeof(key), "%s:%s", kinds[k].kind, name);
	health_own_init(&own);
	/* its shutdown threshold; a warning 10 % below it */
	if (r->table == HT_ETEMP && HAS(r, HF_ETHRESH) &&
	    r->num[HF_ETHRESH] > 0) {
		own.crit_hi = (double)r->num[HF_ETHRESH];
		own.warn_hi = own.crit_hi * 0.9;
	}
	if (r->table == HT_EVOLT && HAS(r, HF_ELOW) && HAS(r, HF_EHIGH) &&
	    r->num[HF_EHIGH] > r->num[HF_ELOW]) {
		own.crit_lo = (double)r->num[HF_ELOW] / 1000.0;
		own.crit_hi = (double)r->num[HF_EHIGH] / 1000.0;
	}
	health_thresholds_own(d, kinds[k].cls, name, &own, &th);
	if (HAS(r, HF_ESTATE))
		dev = health_envmon_state(r->num[HF_ESTATE], &why);
	snprintf(
	    base, sizeof(base), ".1.3.6.1.4.1.9.9.13.1.%d.1.3", kinds[k].sub);
	health_oid(oidtxt, sizeof(oidtxt), base, r);
	if (kinds[k].cls == SC_STATE) {
		value = HAS(r, HF_ESTATE) ? (double)r->num[HF_ESTATE] : NAN;
		state = dev;
	} else {
		if (HAS(r, HF_EVALUE))
			value = r->table == HT_EVOLT
			    ? (double)r->num[HF_EVALUE] / 1000.0
			    : (double)r->num[HF_EVALUE];
		/* the device's own word for a part that is not normal */
		state =
		    health_with_device(health_eval(d, key, &th, value), dev);
		if (dev == SS_UNKNOWN && HAS(r, HF_ESTATE) &&
		    r->num[HF_ESTATE] == 5) {
			state = SS_UNKNOWN;
			value = NAN;
		}
	}
	snprintf(reason, sizeof(reason), "%s", state == SS_NORMAL ? "" : why);
	health_sensor(d, key, name, oidtxt, kinds[k].cls, "cisco-envmon", value,
	    state, reason, &th);
}

/*
 * After a discovery walk: entSensorThresholdTable, indexed by
 * entPhysicalIndex.entSensorThresholdIndex, folded into the device's own
 * warning and critical thresholds of each sensor (health_cisco_fold), in
 * the sensor's own units, kept until the next discovery.
 */
void
health_cisco_discover(struct health *h)
{
	for (size_t i = 0; i < h->nrows; i++) {
		struct h_row *r = &h->rows[i];
		struct health_rawthr t;
		struct h_saved *s;

		if (r->table != HT_CTHR || r->idxlen != 2 ||
		    !HAS(r, HF_CTSEV) || !HAS(r, HF_CTREL) || !HAS(r, HF_CTVAL))
			continue;
		if ((s = health_saved_get(h, HT_CENT, r->idx, 1)) == NULL)
			continue;
		t.has = (s->have >> HF_CT_WHI) & 0xf;
		t.warn_hi = s->num[HF_CT_WHI];
		t.crit_hi = s->num[HF_CT_CHI];
		t.warn_lo = s->num[HF_CT_WLO];
		t.crit_lo = s->num[HF_CT_CLO];
		if (!health_cisco_fold(&t, r->num[HF_CTSEV], r->num[HF_CTREL],
		        r->num[HF_CTVAL]))
			continue;
		s->num[HF_CT_WHI] = t.warn_hi;
		s->num[HF_CT_CHI] = t.crit_hi;
		s->num[HF_CT_WLO] = t.warn_lo;
		s->num[HF_CT_CLO] = t.crit_lo;
		s->have |= (uint32_t)t.has << HF_CT_WHI;
	}
}

/* One raw threshold in the sensor's units; NAN when it cannot be. */
static double
health_cisco_value(const struct h_row *r, int64_t raw, int dbm)
{
	enum sensor_class cls;
	double v;

	if (sensor_entity_convert((int)r->num[HF_TYPE],
	        HAS(r, HF_SCALE) ? (int)r->num[HF_SCALE] : 9,
	        HAS(r, HF_PREC) ? (int)r->num[HF_PREC] : 0, raw, &v, &cls, NULL,
	        0) == -1 ||
	    cls == SC_STATE)
		return NAN;
	/* a threshold in watts of a sensor shown in dBm */
	return dbm ? health_mw_to_dbm(v * 1000.0) : v;
}

/*
 * The device's own thresholds of a CISCO-ENTITY-SENSOR-MIB sensor (row R
 * of HT_CENT, with what discovery kept) into OWN; DBM when the sensor's
 * watts are shown in dBm. Returns how many it set.
 */
int
health_cisco_own(const struct h_row *r, int dbm, struct threshold_conf *own)
{
	static const struct {
		int field;
		size_t off;
	} f[] = {
	    {HF_CT_WHI, offsetof(struct threshold_conf, warn_hi)},
	    {HF_CT_CHI, offsetof(struct threshold_conf, crit_hi)},
	    {HF_CT_WLO, offsetof(struct threshold_conf, warn_lo)},
	    {HF_CT_CLO, offsetof(struct threshold_conf, crit_lo)},
	};
	int n = 0;

	if (!HAS(r, HF_TYPE))
		return 0;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		double v;

		if (!HAS(r, f[i].field))
			continue;
		v = health_cisco_value(r, r->num[f[i].field], dbm);
		if (isnan(v))
			continue;
		*(double *)((char *)own + f[i].off) = v;
		n++;
	}
	return n;
}
