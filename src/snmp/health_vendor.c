/*
 * health_vendor.c - the health MIBs of Juniper (JUNIPER-MIB operating and
 * FRU tables, JUNIPER-ALARM-MIB craft alarms, JUNIPER-DOM-MIB optics), HP
 * ProCurve/Aruba (HP-ICF-CHASSIS sensors, fans, power supplies,
 * transceivers) and MikroTik (MIKROTIK-MIB gauges and optics). Optics are
 * named by their port.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health_impl.h"

#define JNX ".1.3.6.1.4.1.2636.3"
#define HPSW ".1.3.6.1.4.1.11.2.14.11.5.1"
#define MTXR ".1.3.6.1.4.1.14988.1.1"

/* HP's "no reading" in its transceiver table (no light, no module data) */
#define HP_NO_READING (-99999999)

/*
 * A measured value: NAME0 made unique among the poll's sensors of its
 * class, the key KIND:NAME, the OID BASE.index; OWN is the device's own
 * thresholds (or NULL), WHY the reason when VALUE is NAN, NOTE a remark
 * on a value that is there.
 */
static void
vendor_value(struct device_rt *d, const struct h_row *r, const char *kind,
    const char *source, const char *base, const char *name0,
    enum sensor_class cls, double value, const char *why,
    const struct threshold_conf *own, const char *note)
{
	struct sensor_thresholds th;
	char name[NP_STR_MAX], key[NP_STR_MAX + 32], oidtxt[128];

	snprintf(name, sizeof(name), "%s", name0);
	health_unique(d->health, cls, name, sizeof(name), r);
	snprintf(key, sizeof(key), "%s:%s", kind, name);
	health_thresholds_own(d, cls, name, own, &th);
	health_oid(oidtxt, sizeof(oidtxt), base, r);
	health_sensor(d, key, name, oidtxt, cls, source, value,
	    health_eval(d, key, &th, value),
	    isnan(value) ? (why[0] ? why : "no value")
	        : note   ? note
	                 : "",
	    &th);
}

/*
 * A status: its value is the device's own code (HAVE: it sent one), its
 * state ST and reason WHY from the code; DEV, another status of the same
 * part (SS_UNKNOWN: none), counts when it says more.
 */
static void
vendor_state(struct device_rt *d, const struct h_row *r, const char *kind,
    const char *source, const char *base, const char *name0, int have,
    int64_t raw, enum sensor_state st, const char *why, enum sensor_state dev,
    const char *devwhy)
{
	struct sensor_thresholds th;
	char name[NP_STR_MAX], key[NP_STR_MAX + 32], oidtxt[128];

	snprintf(name, sizeof(name), "%s", name0);
	health_unique(d->health, SC_STATE, name, sizeof(name), r);
	snprintf(key, sizeof(key), "%s:%s", kind, name);
	health_thresholds(d, SC_STATE, name, &th);
	health_oid(oidtxt, sizeof(oidtxt), base, r);
	if (!have) {
		st = SS_UNKNOWN;
		why = "no value";
	} else if (health_with_device(st, dev) != st) {
		st = health_with_device(st, dev);
		why = devwhy;
	}
	health_sensor(d, key, name, oidtxt, SC_STATE, source,
	    have ? (double)raw : NAN, st, st == SS_NORMAL ? "" : why, &th);
}

/* Device thresholds: high/low alarm as critical, high/low warning. */
static void
vendor_own(
    struct threshold_conf *own, double ha, double la, double hw, double lw)
{
	health_own_init(own);
	own->crit_hi = ha;
	own->crit_lo = la;
	own->warn_hi = hw;
	own->warn_lo = lw;
}

/* --- Juniper --- */

/* A component's name: its description, its FRU's name, or its index. */
static void
juniper_name(struct health *h, const struct h_row *r, char *buf, size_t len)
{
	const struct h_row *o;
	char idx[64];

	if (r->str[0]) {
		snprintf(buf, len, "%s", r->str);
		return;
	}
	o = health_find(
	    h, r->table == HT_JOPER ? HT_JFRU : HT_JOPER, r->idx, r->idxlen);
	if (o && o->str[0]) {
		snprintf(buf, len, "%s", o->str);
		return;
	}
	health_index_text(r, idx, sizeof(idx));
	snprintf(buf, len, "component %s", idx);
}

/*
 * jnxOperatingTable: the temperature of components that have a sensor
 * (jnxOperatingTemp 0 is none: fans and power supplies), the CPU and
 * memory (buffer) use of routing engines (container 9) and FPCs (7), and
 * the state of components without a FRU row (those with one are read
 * with their FRU).
 */
static void
juniper_oper(struct device_rt *d, struct h_row *r)
{
	struct health *h = d->health;
	char name[NP_STR_MAX], label[NP_STR_MAX + 16], why[96],
	    key[NP_STR_MAX + 32];
	unsigned container = r->idx[0];

	juniper_name(h, r, name, sizeof(name));
	if (HAS(r, JO_TEMP) && r->num[JO_TEMP] != 0) {
		double t = (double)r->num[JO_TEMP];

		why[0] = '\0';
		if (r->num[JO_TEMP] < 0 || r->num[JO_TEMP] > 150) {
			snprintf(why, sizeof(why),
			    "jnxOperatingTemp %lld C out of range",
			    (long long)r->num[JO_TEMP]);
			t = NAN;
		}
		vendor_value(d, r, "juniper-temp", "juniper", JNX ".1.13.1.7",
		    name, SC_TEMPERATURE, t, why, NULL, NULL);
	} else if (!HAS(r, JO_TEMP)) {
		/* a sensor seen before whose value did not come */
		snprintf(key, sizeof(key), "juniper-temp:%s", name);
		if (hmap_get(&h->sensors, key))
			vendor_value(d, r, "juniper-temp", "juniper",
			    JNX ".1.13.1.7", name, SC_TEMPERATURE, NAN,
			    "no jnxOperatingTemp in this walk", NULL, NULL);
	}
	if (container == 7 || container == 9) {
		static const struct {
			int field;
			const char *what, *kind, *base, *obj;
		} use[] = {
		    {JO_CPU, "CPU", "juniper-cpu", JNX ".1.13.1.8",
		        "jnxOperatingCPU"},
		    {JO_BUF, "memory", "juniper-mem", JNX ".1.13.1.11",
		        "jnxOperatingBuffer"},
		};

		for (size_t i = 0; i < sizeof(use) / sizeof(use[0]); i++) {
			int64_t v = r->num[use[i].field];
			double pct = NAN;

			why[0] = '\0';
			if (!HAS(r, use[i].field))
				snprintf(why, sizeof(why), "no %s", use[i].obj);
			else if (v < 0 || v > 100)
				snprintf(why, sizeof(why),
				    "%s %lld%% out of 0..100", use[i].obj,
				    (long long)v);
			else
				pct = (double)v;
			snprintf(
			    label, sizeof(label), "%s %s", name, use[i].what);
			vendor_value(d, r, use[i].kind, "juniper", use[i].base,
			    label, SC_LOAD, pct, why, NULL, NULL);
		}
	}
	if (health_find(h, HT_JFRU, r->idx, r->idxlen) == NULL) {
		const char *sw = "";
		enum sensor_state st = HAS(r, JO_STATE)
		    ? health_juniper_oper_state(r->num[JO_STATE], &sw)
		    : SS_UNKNOWN;

		vendor_state(d, r, "juniper-state", "juniper", JNX ".1.13.1.6",
		    name, HAS(r, JO_STATE), r->num[JO_STATE], st, sw,
		    SS_UNKNOWN, "");
	}
}

/* jnxFruTable: a state per field-replaceable unit, empty slots left out;
 * the component's jnxOperatingState counts when it says more. */
static void
juniper_fru(struct device_rt *d, struct h_row *r)
{
	struct h_row *o;
	char name[NP_STR_MAX];
	const char *fw = "", *ow = "";
	enum sensor_state st, dev = SS_UNKNOWN;

	if (HAS(r, JF_STATE) && !health_juniper_fru_present(r->num[JF_STATE]))
		return;
	juniper_name(d->health, r, name, sizeof(name));
	st = HAS(r, JF_STATE) ? health_juniper_fru_state(r->num[JF_STATE], &fw)
	                      : SS_UNKNOWN;
	o = health_find(d->health, HT_JOPER, r->idx, r->idxlen);
	if (o && HAS(o, JO_STATE))
		dev = health_juniper_oper_state(o->num[JO_STATE], &ow);
	vendor_state(d, r, "juniper-fru", "juniper", JNX ".1.15.1.8", name,
	    HAS(r, JF_STATE), r->num[JF_STATE], st, fw, dev, ow);
}

/* JUNIPER-ALARM-MIB: the chassis' yellow and red alarm (index 0). */
static void
juniper_alarm(struct device_rt *d, struct h_row *r)
{
	for (int red = 0; red <= 1; red++) {
		int f = red ? JA_RED : JA_YELLOW;
		const char *why = "";
		enum sensor_state st;

		if (!HAS(r, f) || r->idx[0] != 0)
			continue;
		st = health_juniper_alarm_state(r->num[f], red, &why);
		vendor_state(d, r, "juniper-alarm", "juniper",
		    red ? JNX ".4.2.3.1" : JNX ".4.2.2.1",
		    red ? "Red alarm" : "Yellow alarm", 1, r->num[f], st, why,
		    SS_UNKNOWN, "");
	}
}

void
health_juniper(struct device_rt *d, struct h_row *r)
{
	switch (r->table) {
	case HT_JOPER: juniper_oper(d, r); break;
	case HT_JFRU: juniper_fru(d, r); break;
	case HT_JALARM: juniper_alarm(d, r); break;
	default: break;
	}
}

/* The name optics go by: the table's own, the port's, or the index. */
static void
optic_name(struct device_rt *d, const struct h_row *r, const char *own,
    const char *what, char *buf, size_t len)
{
	const char *port = health_port_name(d, r->idx[0]);

	if (own && own[0])
		snprintf(buf, len, "%s", own);
	else if (port)
		snprintf(buf, len, "%s", port);
	else
		snprintf(buf, len, "%s %u", what, (unsigned)r->idx[0]);
}

#define OPTIC_NO_DIAG "every reading is 0: the module reports no diagnostics"

/*
 * JUNIPER-DOM-MIB jnxDomCurrentTable, by ifIndex: receive and transmit
 * power (dBm/100), laser bias (uA) and module temperature (C), with the
 * module's own alarm (critical) and warning thresholds, kept from
 * discovery. A module whose readings are all 0 has no diagnostics (a
 * direct-attach cable): its values stand as sent, with that remark, and
 * its thresholds, 0 as well, are not used.
 */
void
health_juniper_dom(struct device_rt *d, struct h_row *r)
{
	static const struct {
		int field;
		const char *what;
		enum sensor_class cls;
		double div;
	} q[] = {
	    {JD_RX, "rx power", SC_DBM, 100},
	    {JD_BIAS, "tx bias", SC_CURRENT, 1e6},
	    {JD_TX, "tx power", SC_DBM, 100},
	    {JD_TEMP, "temperature", SC_TEMPERATURE, 1},
	};
	char port[NP_STR_MAX], label[NP_STR_MAX + 16], base[48];
	int zero = 1;

	optic_name(d, r, NULL, "ifIndex", port, sizeof(port));
	for (size_t i = 0; i < 4; i++)
		zero &= HAS(r, q[i].field) && r->num[q[i].field] == 0;
	for (size_t i = 0; i < 4; i++) {
		struct threshold_conf own;
		int t = JD_THR + 4 * (int)i;
		double v[4];
		int set = 0;

		for (int k = 0; k < 4; k++) {
			v[k] = HAS(r, t + k) ? (double)r->num[t + k] / q[i].div
			                     : NAN;
			set |= HAS(r, t + k) && r->num[t + k] != 0;
		}
		if (zero || !set)
			health_own_init(&own); /* none, or all 0: none */
		else
			vendor_own(
			    &own, v[TK_HA], v[TK_LA], v[TK_HW], v[TK_LW]);
		snprintf(label, sizeof(label), "%s %s", port, q[i].what);
		snprintf(base, sizeof(base), JNX ".60.1.1.1.1.%d",
		    q[i].field - JD_RX + 5);
		vendor_value(d, r, "juniper-dom", "juniper-dom", base, label,
		    q[i].cls,
		    HAS(r, q[i].field) ? (double)r->num[q[i].field] / q[i].div
		                       : NAN,
		    "no value", &own, zero ? OPTIC_NO_DIAG : NULL);
	}
}

/* --- HP ProCurve / Aruba --- */

void
health_hp(struct device_rt *d, struct h_row *r)
{
	char name[NP_STR_MAX], why[96];
	const char *sw = "";
	enum sensor_state st;

	switch (r->table) {
	case HT_HPS: /* hpicfSensorTable: fan, power, temperature sensors */
		if (r->str[0])
			snprintf(name, sizeof(name), "%s", r->str);
		else
			snprintf(name, sizeof(name), "sensor %u", r->idx[0]);
		st = HAS(r, HS_STATUS)
		    ? health_hp_sensor_state(r->num[HS_STATUS], &sw)
		    : SS_UNKNOWN;
		vendor_state(d, r, "hp-sensor", "hp-icf",
		    ".1.3.6.1.4.1.11.2.14.11.1.2.6.1.4", name,
		    HAS(r, HS_STATUS), r->num[HS_STATUS], st, sw, SS_UNKNOWN,
		    "");
		break;
	case HT_HPF: /* hpicfFanTable */
		snprintf(name, sizeof(name), "Fan %u", r->idx[0]);
		st = HAS(r, HFN_STATE)
		    ? health_hp_fan_state(r->num[HFN_STATE], &sw)
		    : SS_UNKNOWN;
		vendor_state(d, r, "hp-fan", "hp-icf", HPSW ".54.2.1.1.4", name,
		    HAS(r, HFN_STATE), r->num[HFN_STATE], st, sw, SS_UNKNOWN,
		    "");
		break;
	case HT_HPP: { /* hpicfPsTable: state, temperature, power drawn */
		struct threshold_conf own;
		double v;

		snprintf(name, sizeof(name), "Power supply %u", r->idx[0]);
		st = HAS(r, HP_STATE)
		    ? health_hp_psu_state(r->num[HP_STATE], &sw)
		    : SS_UNKNOWN;
		vendor_state(d, r, "hp-psu", "hp-icf", HPSW ".55.1.1.1.2", name,
		    HAS(r, HP_STATE), r->num[HP_STATE], st, sw, SS_UNKNOWN, "");
		/* no supply there: no temperature, no power */
		if (HAS(r, HP_STATE) && r->num[HP_STATE] == 1)
			break;
		why[0] = '\0';
		v = HAS(r, HP_TEMP) ? (double)r->num[HP_TEMP] : NAN;
		if (HAS(r, HP_STATE) && r->num[HP_STATE] != 3) {
			/* an unpowered supply's 0 C is no reading */
			snprintf(why, sizeof(why),
			    "the supply is not powered (hpicfPsState %lld)",
			    (long long)r->num[HP_STATE]);
			v = NAN;
		} else if (!isnan(v) && (v < -60 || v > 200)) {
			snprintf(why, sizeof(why),
			    "hpicfPsTemp %lld C out of "
			    "range",
			    (long long)r->num[HP_TEMP]);
			v = NAN;
		}
		vendor_value(d, r, "hp-psu-temp", "hp-icf", HPSW ".55.1.1.1.4",
		    name, SC_TEMPERATURE, v, why, NULL, NULL);
		why[0] = '\0';
		v = HAS(r, HP_WATT) ? (double)r->num[HP_WATT] : NAN;
		if (!isnan(v) && v < 0) {
			snprintf(why, sizeof(why), "hpicfPsWattageCur %lld W",
			    (long long)r->num[HP_WATT]);
			v = NAN;
		}
		/* the most it can give: its own critical level */
		health_own_init(&own);
		if (HAS(r, HP_MAX) && r->num[HP_MAX] > 0)
			own.crit_hi = (double)r->num[HP_MAX];
		vendor_value(d, r, "hp-psu-power", "hp-icf", HPSW ".55.1.1.1.6",
		    name, SC_POWER, v, why, &own, NULL);
		break;
	}
	default: break;
	}
}

/* A threshold of HP's transceiver table in the unit of its value. */
static double
hp_thr(const struct h_row *r, int f, int power, double div, int zero_none)
{
	if (!HAS(r, f))
		return NAN;
	if (power) /* tenths of a microwatt: 1e-4 mW */
		return health_mw_to_dbm((double)r->num[f] / 1e4);
	if (zero_none && r->num[f] == 0)
		return NAN;
	return (double)r->num[f] / div;
}

/*
 * HP-ICF-TRANSCEIVER-MIB hpicfXcvrInfoTable, named by the table's port:
 * temperature (milli-C), supply voltage (100 uV), laser bias (uA), tx and
 * rx power (dBm/1000; -99999999, no light, is unknown), with the module's
 * alarm (critical) and warning thresholds, kept from discovery.
 */
void
health_hp_xcvr(struct device_rt *d, struct h_row *r)
{
	static const struct {
		int field;
		const char *what;
		enum sensor_class cls;
		double div;
		int power; /* thresholds in 0.1 uW */
		int zero_none; /* a low threshold of 0 is none */
	} q[] = {
	    {HX_TEMP, "temperature", SC_TEMPERATURE, 1000, 0, 0},
	    {HX_VOLT, "supply voltage", SC_VOLTAGE, 10000, 0, 1},
	    {HX_BIAS, "tx bias", SC_CURRENT, 1e6, 0, 1},
	    {HX_TX, "tx power", SC_DBM, 1000, 1, 0},
	    {HX_RX, "rx power", SC_DBM, 1000, 1, 0},
	};
	char port[NP_STR_MAX], label[NP_STR_MAX + 16], base[48], why[96];

	optic_name(d, r, r->str, "transceiver", port, sizeof(port));
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		struct threshold_conf own;
		int t = HX_THR + 4 * (int)i;
		int64_t raw = r->num[q[i].field];
		double v = NAN;

		why[0] = '\0';
		if (!HAS(r, q[i].field))
			snprintf(why, sizeof(why), "no value");
		else if (raw == HP_NO_READING)
			snprintf(why, sizeof(why), "%s (%d)",
			    q[i].cls == SC_DBM ? "no light" : "no reading",
			    HP_NO_READING);
		else
			v = (double)raw / q[i].div;
		vendor_own(&own, hp_thr(r, t + TK_HA, q[i].power, q[i].div, 0),
		    hp_thr(r, t + TK_LA, q[i].power, q[i].div, q[i].zero_none),
		    hp_thr(r, t + TK_HW, q[i].power, q[i].div, 0),
		    hp_thr(r, t + TK_LW, q[i].power, q[i].div, q[i].zero_none));
		snprintf(label, sizeof(label), "%s %s", port, q[i].what);
		snprintf(base, sizeof(base), HPSW ".82.1.1.1.1.%d",
		    q[i].field - HX_TEMP + 11);
		vendor_value(d, r, "hp-xcvr", "hp-icf", base, label, q[i].cls,
		    v, why, &own, NULL);
	}
}

/* --- MikroTik --- */

/* mtxrGaugeTable: temperatures, fans, voltages, currents, power, status. */
static void
mikrotik_gauge(struct device_rt *d, struct h_row *r)
{
	char name[NP_STR_MAX], why[96] = "";
	enum sensor_class cls = SC_OTHER;
	double v = NAN;

	if (r->str[0])
		snprintf(name, sizeof(name), "%s", r->str);
	else
		snprintf(name, sizeof(name), "gauge %u", r->idx[0]);
	if (!HAS(r, MG_UNIT) || !HAS(r, MG_VALUE))
		snprintf(why, sizeof(why), "no value or unit");
	else if (health_mikrotik_gauge(r->num[MG_VALUE], r->num[MG_UNIT], &v,
	             &cls, why, sizeof(why)) == -1)
		v = NAN;
	if (cls == SC_STATE) {
		const char *sw = "";
		enum sensor_state st =
		    health_mikrotik_status(r->num[MG_VALUE], &sw);

		vendor_state(d, r, "mikrotik", "mikrotik", MTXR ".3.100.1.3",
		    name, 1, r->num[MG_VALUE], st, sw, SS_UNKNOWN, "");
		return;
	}
	/* a Gauge32 cannot be negative: below zero comes as 4 billion */
	if (cls == SC_TEMPERATURE && !isnan(v) && v > 200) {
		snprintf(why, sizeof(why), "%lld C out of range",
		    (long long)r->num[MG_VALUE]);
		v = NAN;
	}
	vendor_value(d, r, "mikrotik", "mikrotik", MTXR ".3.100.1.3", name, cls,
	    v, why, NULL, NULL);
}

/*
 * mtxrOpticalTable, by ifIndex: receive loss and transmit fault (states),
 * temperature (C), supply voltage (mV), laser bias (mA), tx and rx power
 * (dBm/1000). A module whose readings are all 0 has no diagnostics: its
 * values stand as sent, with that remark.
 */
static void
mikrotik_optic(struct device_rt *d, struct h_row *r)
{
	static const struct {
		int field;
		const char *what;
		enum sensor_class cls;
		double div;
	} q[] = {
	    {MO_TEMP, "temperature", SC_TEMPERATURE, 1},
	    {MO_VOLT, "supply voltage", SC_VOLTAGE, 1000},
	    {MO_BIAS, "tx bias", SC_CURRENT, 1000},
	    {MO_TX, "tx power", SC_DBM, 1000},
	    {MO_RX, "rx power", SC_DBM, 1000},
	};
	char port[NP_STR_MAX], label[NP_STR_MAX + 16], base[48];
	int zero = 1;

	optic_name(d, r, r->str, "sfp", port, sizeof(port));
	for (int f = 0; f < 2; f++) {
		int field = f ? MO_TXFAULT : MO_RXLOSS;
		int64_t v = r->num[field];
		enum sensor_state st = v == 0 ? SS_NORMAL
		    : v != 1                  ? SS_UNKNOWN
		    : f                       ? SS_FAILED
		                              : SS_CRITICAL;
		const char *why = v == 0 ? ""
		    : v != 1             ? "neither 0 nor 1"
		    : f ? "transmitter fault (mtxrOpticalTxFault)"
		        : "receive loss of signal "
		          "(mtxrOpticalRxLoss)";

		snprintf(label, sizeof(label), "%s %s", port,
		    f ? "tx fault" : "rx loss");
		vendor_state(d, r, "mikrotik-optic", "mikrotik",
		    f ? MTXR ".19.1.1.4" : MTXR ".19.1.1.3", label,
		    HAS(r, field), v, st, why, SS_UNKNOWN, "");
	}
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		zero &= HAS(r, q[i].field) && r->num[q[i].field] == 0;
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		snprintf(label, sizeof(label), "%s %s", port, q[i].what);
		snprintf(base, sizeof(base), MTXR ".19.1.1.%d",
		    q[i].field - MO_TEMP + 6);
		vendor_value(d, r, "mikrotik-optic", "mikrotik", base, label,
		    q[i].cls,
		    HAS(r, q[i].field) ? (double)r->num[q[i].field] / q[i].div
		                       : NAN,
		    "no value", NULL, zero ? OPTIC_NO_DIAG : NULL);
	}
}

void
health_mikrotik(struct device_rt *d, struct h_row *r)
{
	if (r->table == HT_MTG)
		mikrotik_gauge(d, r);
	else if (r->table == HT_MTO)
		mikrotik_optic(d, r);
}
