/*
 * test_health.c - the pure parts of the health walk (health_map.c): the
 * vendor of a sysObjectID, row keys of multi-sub-identifier indexes, the
 * folding of CISCO-ENTITY-SENSOR-MIB's threshold table, status codes as
 * states and UCD-SNMP memory.
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

static void
test_states(void)
{
	static const struct state_case c[] = {
	    {"envmon normal", health_envmon_state, 1, SS_NORMAL, ""},
	    {"envmon notFunctioning", health_envmon_state, 6, SS_FAILED,
	        "not functioning"},
	    {"envmon 0", health_envmon_state, 0, SS_UNKNOWN, "unknown"},
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
	test_memory();
	return tap_done();
}
