/*
 * test_health.c - the pure parts of the health walk (health_map.c): the
 * vendor of a sysObjectID, row keys of multi-sub-identifier indexes, the
 * folding of CISCO-ENTITY-SENSOR-MIB's threshold table, vendor status
 * codes as states, MikroTik gauges and UCD-SNMP memory.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "health_map.h"
#include "tap.h"

static void
test_vendor(void)
{
	static const struct {
		const char *oid;
		enum health_vendor want;
	} c[] = {
	    {".1.3.6.1.4.1.9.1.1208", HV_CISCO},
	    {".1.3.6.1.4.1.9.12.3.1.3.1163", HV_CISCO},
	    {".1.3.6.1.4.1.2636.1.1.1.4.82.5", HV_JUNIPER},
	    {".1.3.6.1.4.1.11.2.3.7.8.5.2", HV_HP},
	    {".1.3.6.1.4.1.14988.1", HV_MIKROTIK},
	    {".1.3.6.1.4.1.8072.3.2.10", HV_OTHER},
	    {".1.3.6.1.4.1.40310", HV_OTHER},
	    {".1.3.6.1.4.1.30065.1.3011.7150.3282.24", HV_OTHER},
	    {".1.3.6.1.4.1.9", HV_CISCO},
	    {".1.3.6.1.4.1.99", HV_OTHER}, /* not 9 */
	    {".1.3.6.1.4.1.90.1", HV_OTHER},
	    {".1.3.6.1.4.1.263", HV_OTHER}, /* a prefix of 2636 */
	    {".1.3.6.1.4.1.", HV_OTHER},
	    {".1.3.6.1.4.1.x", HV_OTHER},
	    {".1.3.6.1.4.1.9x", HV_OTHER},
	    {"1.3.6.1.4.1.9.1.1", HV_OTHER}, /* no leading dot */
	    {"", HV_OTHER},
	    {NULL, HV_OTHER},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		TAP_OK(health_vendor_of(c[i].oid) == c[i].want,
		    "vendor of %s is %s", c[i].oid ? c[i].oid : "(null)",
		    health_vendor_name(c[i].want));
}

static void
test_pack(void)
{
	static const uint8_t b1[] = {31}, b2[] = {31, 25},
	                     b4[] = {14, 14, 14, 14}, bad[] = {31, 31};
	uint32_t i1[] = {2147483647}, i2[] = {300001764, 3},
	         i4[] = {7, 26, 0, 0}, big4[] = {7, 16384, 0, 0},
	         big1[] = {2147483648u};
	uint64_t k, k2;

	TAP_OK(health_pack_index(i1, 1, b1, 1, &k) == 0 && k == 2147483647,
	    "one sub-identifier of 31 bits");
	TAP_OK(health_pack_index(big1, 1, b1, 1, &k) == -1,
	    "2^31 does not fit 31 bits: refused");
	TAP_OK(health_pack_index(i2, 2, b2, 2, &k) == 0 &&
	        k == ((uint64_t)300001764 << 25 | 3),
	    "entPhysicalIndex.thresholdIndex (NX-OS sized) packs");
	TAP_OK(health_pack_index(i2, 1, b2, 2, &k) == -1,
	    "an index shorter than the table's is refused");
	TAP_OK(health_pack_index(i4, 4, b4, 4, &k) == 0 &&
	        k == ((uint64_t)7 << 42 | (uint64_t)26 << 28),
	    "container.L1.L2.L3 packs");
	TAP_OK(health_pack_index(big4, 4, b4, 4, &k) == -1,
	    "an L1 index of 16384 does not fit 14 bits: refused");
	TAP_OK(health_pack_index(i4, 3, b4, 4, &k) == -1,
	    "3 sub-identifiers for a table of 4: refused");
	TAP_OK(health_pack_index(i2, 2, bad, 2, &k) == -1,
	    "a table wider than 56 bits is refused");
	{
		uint32_t a[] = {1, 2, 0, 0}, b[] = {1, 0, 2, 0};

		health_pack_index(a, 4, b4, 4, &k);
		health_pack_index(b, 4, b4, 4, &k2);
		TAP_OK(k != k2, "1.2.0.0 and 1.0.2.0 are two rows");
	}
}

static void
test_fold(void)
{
	struct health_rawthr t;

	/* iosxe_c9400 entPhysicalIndex 1017, its four rows */
	memset(&t, 0, sizeof(t));
	health_cisco_fold(&t, 10, 4, 58); /* minor >= 58 */
	health_cisco_fold(&t, 20, 4, 68); /* major >= 68 */
	health_cisco_fold(&t, 30, 4, 111); /* critical >= 111 */
	TAP_OK(health_cisco_fold(&t, 1, 4, 113) == 0,
	    "other(1) severity says nothing: ignored");
	TAP_OK(t.has == (HRT_WARN_HI | HRT_CRIT_HI) && t.warn_hi == 58 &&
	        t.crit_hi == 68,
	    "minor is the warning, the tightest of major/critical the "
	    "critical (68, not 111)");

	/* iosxe_isr4321 1094: critical >=, minor >=, minor <=, critical <= */
	memset(&t, 0, sizeof(t));
	health_cisco_fold(&t, 30, 4, 90000);
	health_cisco_fold(&t, 10, 4, 85000);
	health_cisco_fold(&t, 10, 2, -5000);
	health_cisco_fold(&t, 30, 2, -10000);
	TAP_OK(t.has == 0xf && t.crit_hi == 90000 && t.warn_hi == 85000 &&
	        t.warn_lo == -5000 && t.crit_lo == -10000,
	    "four thresholds, high and low");

	/* the tightest low is the highest; order does not matter */
	memset(&t, 0, sizeof(t));
	health_cisco_fold(&t, 30, 1, 10);
	health_cisco_fold(&t, 20, 2, 30);
	health_cisco_fold(&t, 30, 1, 20);
	TAP_OK(t.has == HRT_CRIT_LO && t.crit_lo == 30,
	    "of three critical lows, the highest");
	memset(&t, 0, sizeof(t));
	health_cisco_fold(&t, 20, 3, 80);
	health_cisco_fold(&t, 30, 3, 70);
	TAP_OK(t.crit_hi == 70, "of two critical highs, the lowest");

	memset(&t, 0, sizeof(t));
	TAP_OK(health_cisco_fold(&t, 30, 5, 10) == 0 &&
	        health_cisco_fold(&t, 30, 6, 10) == 0 && t.has == 0,
	    "equalTo and notEqualTo are no range: ignored");
	TAP_OK(health_cisco_fold(&t, 30, 4, -32768) == 0 && t.has == 0,
	    "-32768 (not set) is ignored");
	TAP_OK(health_cisco_fold(&t, 40, 4, 5) == 0 &&
	        health_cisco_fold(&t, 20, 9, 5) == 0 && t.has == 0,
	    "a severity or relation out of the MIB is ignored");
	TAP_OK(health_cisco_fold(&t, 20, 3, 0) == 1 && t.has == HRT_CRIT_HI &&
	        t.crit_hi == 0,
	    "0 is a threshold like any other");
}

struct state_case {
	const char *what;
	enum sensor_state (*fn)(int64_t, const char **);
	int64_t v;
	enum sensor_state want;
	const char *why; /* a word the reason must have, "" for none */
};

static enum sensor_state
yellow(int64_t v, const char **why)
{
	return health_juniper_alarm_state(v, 0, why);
}

static enum sensor_state
red(int64_t v, const char **why)
{
	return health_juniper_alarm_state(v, 1, why);
}

static void
test_states(void)
{
	static const struct state_case c[] = {
	    {"envmon normal", health_envmon_state, 1, SS_NORMAL, ""},
	    {"envmon notFunctioning", health_envmon_state, 6, SS_FAILED,
	        "not functioning"},
	    {"envmon 0", health_envmon_state, 0, SS_UNKNOWN, "unknown"},
	    {"jnxOperatingState running", health_juniper_oper_state, 2,
	        SS_NORMAL, ""},
	    {"jnxOperatingState ready", health_juniper_oper_state, 3, SS_NORMAL,
	        ""},
	    {"jnxOperatingState reset", health_juniper_oper_state, 4,
	        SS_WARNING, "reset"},
	    {"jnxOperatingState runningAtFullSpeed", health_juniper_oper_state,
	        5, SS_WARNING, "full speed"},
	    {"jnxOperatingState down", health_juniper_oper_state, 6, SS_FAILED,
	        "down"},
	    {"jnxOperatingState standby", health_juniper_oper_state, 7,
	        SS_NORMAL, ""},
	    {"jnxOperatingState unknown", health_juniper_oper_state, 1,
	        SS_UNKNOWN, "unknown"},
	    {"jnxOperatingState 8", health_juniper_oper_state, 8, SS_UNKNOWN,
	        "out of"},
	    {"jnxFruState online", health_juniper_fru_state, 6, SS_NORMAL, ""},
	    {"jnxFruState present", health_juniper_fru_state, 3, SS_WARNING,
	        "not online"},
	    {"jnxFruState offline", health_juniper_fru_state, 8, SS_CRITICAL,
	        "offline"},
	    {"jnxFruState anounceOffline", health_juniper_fru_state, 7,
	        SS_WARNING, "offline"},
	    {"jnxFruState diagnostic", health_juniper_fru_state, 9, SS_WARNING,
	        "diagnostics"},
	    {"jnxFruState standby", health_juniper_fru_state, 10, SS_NORMAL,
	        ""},
	    {"jnxFruState 0", health_juniper_fru_state, 0, SS_UNKNOWN,
	        "out of"},
	    {"yellow alarm off", yellow, 2, SS_NORMAL, ""},
	    {"yellow alarm on", yellow, 3, SS_WARNING, "yellow"},
	    {"yellow alarm other", yellow, 1, SS_UNKNOWN, "other"},
	    {"red alarm on", red, 3, SS_CRITICAL, "red"},
	    {"red alarm 4", red, 4, SS_UNKNOWN, "out of"},
	    {"hpicfSensorStatus good", health_hp_sensor_state, 4, SS_NORMAL,
	        ""},
	    {"hpicfSensorStatus bad", health_hp_sensor_state, 2, SS_FAILED,
	        "bad"},
	    {"hpicfSensorStatus warning", health_hp_sensor_state, 3, SS_WARNING,
	        "warning"},
	    {"hpicfSensorStatus notPresent", health_hp_sensor_state, 5,
	        SS_UNKNOWN, "not present"},
	    {"hpicfFanState failed(0)", health_hp_fan_state, 0, SS_FAILED,
	        "failed"},
	    {"hpicfFanState underspeed", health_hp_fan_state, 3, SS_WARNING,
	        "underspeed"},
	    {"hpicfFanState ok", health_hp_fan_state, 5, SS_NORMAL, ""},
	    {"hpicfFanState removed", health_hp_fan_state, 1, SS_UNKNOWN,
	        "removed"},
	    {"hpicfFanState -1", health_hp_fan_state, -1, SS_UNKNOWN, "out of"},
	    {"hpicfPsState powered", health_hp_psu_state, 3, SS_NORMAL, ""},
	    {"hpicfPsState failed", health_hp_psu_state, 4, SS_FAILED,
	        "failed"},
	    {"hpicfPsState permFailure", health_hp_psu_state, 5, SS_FAILED,
	        "permanent"},
	    {"hpicfPsState notPlugged", health_hp_psu_state, 2, SS_WARNING,
	        "not plugged"},
	    {"hpicfPsState auxFailure", health_hp_psu_state, 7, SS_CRITICAL,
	        "auxiliary"},
	    {"hpicfPsState notPresent", health_hp_psu_state, 1, SS_UNKNOWN,
	        "not present"},
	    {"MikroTik status true", health_mikrotik_status, 1, SS_NORMAL, ""},
	    {"MikroTik status false", health_mikrotik_status, 0, SS_FAILED,
	        "failed"},
	    {"MikroTik status 2", health_mikrotik_status, 2, SS_UNKNOWN,
	        "neither"},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const char *why = NULL;
		enum sensor_state s = c[i].fn(c[i].v, &why);

		TAP_OK(s == c[i].want && why != NULL &&
		        (c[i].why[0] ? strstr(why, c[i].why) != NULL
		                     : why[0] == '\0'),
		    "%s: %s, reason \"%s\"", c[i].what, sensor_state_name(s),
		    why ? why : "(null)");
	}
	TAP_OK(!health_juniper_fru_present(2) &&
	        health_juniper_fru_present(8) && health_juniper_fru_present(1),
	    "an empty FRU slot is no part; offline and unknown ones are");
}

static void
test_gauge(void)
{
	static const struct {
		int64_t raw, unit;
		int rc;
		double want;
		enum sensor_class cls;
	} c[] = {
	    {45, 1, 0, 45, SC_TEMPERATURE},
	    {4680, 2, 0, 4680, SC_FANSPEED},
	    {241, 3, 0, 24.1, SC_VOLTAGE},
	    {12, 4, 0, 1.2, SC_CURRENT},
	    {153, 5, 0, 15.3, SC_POWER},
	    {0, 6, 0, 0, SC_STATE},
	    {5, 7, -1, 0, SC_OTHER},
	    {5, 0, -1, 0, SC_OTHER},
	};
	char why[64];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		double v = NAN;
		enum sensor_class cls = SC_NCLASSES;
		int rc = health_mikrotik_gauge(
		    c[i].raw, c[i].unit, &v, &cls, why, sizeof(why));

		TAP_OK(rc == c[i].rc && cls == c[i].cls &&
		        (rc == -1 ? strstr(why, "unit") != NULL
		                  : fabs(v - c[i].want) < 1e-9),
		    "MikroTik gauge %lld unit %lld: %s %g", (long long)c[i].raw,
		    (long long)c[i].unit, sensor_class_name(cls), rc ? NAN : v);
	}
}

static void
test_memory(void)
{
	char why[128];
	double pct = NAN;

	/* linux_icecast: 841176 total, 80004 free, 0 buffers, 344508 cache */
	TAP_OK(health_ucd_memory(
	           841176, 80004, 0, 344508, &pct, why, sizeof(why)) == 0 &&
	        fabs(pct - 100.0 * 416664 / 841176) < 1e-9,
	    "memory in use: total less free, buffers, cache (%.3f %%)", pct);
	TAP_OK(
	    health_ucd_memory(1000, 200, -1, -1, &pct, why, sizeof(why)) == 0 &&
	        fabs(pct - 80) < 1e-9,
	    "no buffers or cache sent: 80 %%");
	TAP_OK(health_ucd_memory(0, 0, 0, 0, &pct, why, sizeof(why)) == -1 &&
	        strstr(why, "memTotalReal"),
	    "total 0: no value (%s)", why);
	TAP_OK(
	    health_ucd_memory(1000, 1200, 0, 0, &pct, why, sizeof(why)) == -1 &&
	        strstr(why, "memAvailReal"),
	    "more free than total: no value (%s)", why);
	TAP_OK(health_ucd_memory(1000, 600, 300, 300, &pct, why, sizeof(why)) ==
	            -1 &&
	        strstr(why, "exceed"),
	    "free, buffers and cache over the total: no value (%s)", why);
	TAP_OK(isnan(health_mw_to_dbm(0)) && isnan(health_mw_to_dbm(-1)) &&
	        fabs(health_mw_to_dbm(1) - 0) < 1e-12 &&
	        fabs(health_mw_to_dbm(0.631) - -1.9997) < 1e-3,
	    "milliwatts to dBm; no light is no value");
}

int
main(void)
{
	test_vendor();
	test_pack();
	test_fold();
	test_states();
	test_gauge();
	test_memory();
	return tap_done();
}
