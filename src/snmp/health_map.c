/*
 * health_map.c - vendors, row keys, the device's own thresholds and status
 * codes as states (see health_map.h). The enumerations are the MIBs':
 * CISCO-ENVMON-MIB, CISCO-ENTITY-SENSOR-MIB, JUNIPER-MIB,
 * JUNIPER-ALARM-MIB, HP-ICF-CHASSIS, HP-ICF-FAN (FAN-MIB),
 * HP-ICF-POWER-SUPPLY (POWERSUPPLY-MIB), MIKROTIK-MIB, UCD-SNMP-MIB.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health_map.h"

static const struct {
	unsigned long enterprise;
	enum health_vendor vendor;
	const char *name;
} vendors[] = {
    {9, HV_CISCO, "cisco"},
    {2636, HV_JUNIPER, "juniper"},
    {11, HV_HP, "hp"},
    {14988, HV_MIKROTIK, "mikrotik"},
};

enum health_vendor
health_vendor_of(const char *oid)
{
	static const char prefix[] = ".1.3.6.1.4.1.";
	unsigned long n;
	char *end;

	if (oid == NULL || strncmp(oid, prefix, sizeof(prefix) - 1) != 0)
		return HV_OTHER;
	oid += sizeof(prefix) - 1;
	if (*oid < '0' || *oid > '9')
		return HV_OTHER;
	n = strtoul(oid, &end, 10);
	if (*end != '\0' && *end != '.')
		return HV_OTHER;
	for (size_t i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (vendors[i].enterprise == n)
			return vendors[i].vendor;
	return HV_OTHER;
}

const char *
health_vendor_name(enum health_vendor v)
{
	for (size_t i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (vendors[i].vendor == v)
			return vendors[i].name;
	return "other";
}

int
health_pack_index(const uint32_t *idx, size_t n, const uint8_t *bits,
    size_t arity, uint64_t *key)
{
	uint64_t k = 0;
	unsigned used = 0;

	if (n != arity || arity == 0)
		return -1;
	for (size_t i = 0; i < arity; i++) {
		if (bits[i] == 0 || bits[i] > 32 || used + bits[i] > 56)
			return -1;
		if (bits[i] < 32 && idx[i] >> bits[i])
			return -1; /* does not fit */
		k = (k << bits[i]) | idx[i];
		used += bits[i];
	}
	*key = k;
	return 0;
}

/* CISCO-ENTITY-SENSOR-MIB SensorThresholdSeverity, SensorThresholdRelation */
#define CTS_MINOR 10
#define CTS_MAJOR 20
#define CTS_CRITICAL 30
#define CTR_LESS 1
#define CTR_LESS_EQ 2
#define CTR_GREATER 3
#define CTR_GREATER_EQ 4

int
health_cisco_fold(
    struct health_rawthr *t, int64_t severity, int64_t relation, int64_t value)
{
	int crit, hi;

	if (value == -32768)
		return 0;
	if (severity == CTS_MINOR)
		crit = 0;
	else if (severity == CTS_MAJOR || severity == CTS_CRITICAL)
		crit = 1;
	else
		return 0;
	if (relation == CTR_GREATER || relation == CTR_GREATER_EQ)
		hi = 1;
	else if (relation == CTR_LESS || relation == CTR_LESS_EQ)
		hi = 0;
	else
		return 0;
	if (hi && crit) {
		if (!(t->has & HRT_CRIT_HI) || value < t->crit_hi)
			t->crit_hi = value;
		t->has |= HRT_CRIT_HI;
	} else if (hi) {
		if (!(t->has & HRT_WARN_HI) || value < t->warn_hi)
			t->warn_hi = value;
		t->has |= HRT_WARN_HI;
	} else if (crit) {
		if (!(t->has & HRT_CRIT_LO) || value > t->crit_lo)
			t->crit_lo = value;
		t->has |= HRT_CRIT_LO;
	} else {
		if (!(t->has & HRT_WARN_LO) || value > t->warn_lo)
			t->warn_lo = value;
		t->has |= HRT_WARN_LO;
	}
	return 1;
}

/* A state from a table of codes; CODES ends with a NULL reason. */
struct code_state {
	int64_t code;
	enum sensor_state state;
	const char *why;
};

static enum sensor_state
code_lookup(const struct code_state *c, int64_t v, const char *unknown,
    const char **why)
{
	for (; c->why != NULL; c++)
		if (c->code == v) {
			*why = c->why;
			return c->state;
		}
	*why = unknown;
	return SS_UNKNOWN;
}

enum sensor_state
health_envmon_state(int64_t v, const char **why)
{
	static const struct code_state c[] = {
	    {1, SS_NORMAL, ""},
	    {2, SS_WARNING, "warning (ciscoEnvMonState)"},
	    {3, SS_CRITICAL, "critical (ciscoEnvMonState)"},
	    {4, SS_CRITICAL, "shut down (ciscoEnvMonState)"},
	    {5, SS_UNKNOWN, "not present"},
	    {6, SS_FAILED, "not functioning (ciscoEnvMonState)"},
	    {0, SS_UNKNOWN, NULL},
	};

	return code_lookup(c, v, "unknown ciscoEnvMonState", why);
}

enum sensor_state
health_juniper_oper_state(int64_t v, const char **why)
{
	static const struct code_state c[] = {
	    {1, SS_UNKNOWN, "unknown (jnxOperatingState)"},
	    {2, SS_NORMAL, ""},
	    {3, SS_NORMAL, ""}, /* ready */
	    {4, SS_WARNING, "being reset (jnxOperatingState)"},
	    /* a fan at full speed makes up for another one or for heat */
	    {5, SS_WARNING, "running at full speed (jnxOperatingState)"},
	    {6, SS_FAILED, "down (jnxOperatingState)"},
	    {7, SS_NORMAL, ""}, /* standby */
	    {0, SS_UNKNOWN, NULL},
	};

	return code_lookup(c, v, "jnxOperatingState out of 1..7", why);
}

int
health_juniper_fru_present(int64_t v)
{
	return v != 2;
}

enum sensor_state
health_juniper_fru_state(int64_t v, const char **why)
{
	static const struct code_state c[] = {
	    {1, SS_UNKNOWN, "unknown (jnxFruState)"},
	    {2, SS_UNKNOWN, "empty (jnxFruState)"},
	    /* present, not online: a power supply without power */
	    {3, SS_WARNING, "present but not online (jnxFruState)"},
	    {4, SS_NORMAL, ""}, /* ready */
	    {5, SS_NORMAL, ""}, /* announceOnline */
	    {6, SS_NORMAL, ""}, /* online */
	    {7, SS_WARNING, "going offline (jnxFruState)"},
	    {8, SS_CRITICAL, "offline (jnxFruState)"},
	    {9, SS_WARNING, "in diagnostics (jnxFruState)"},
	    {10, SS_NORMAL, ""}, /* standby */
	    {0, SS_UNKNOWN, NULL},
	};

	return code_lookup(c, v, "jnxFruState out of 1..10", why);
}

enum sensor_state
health_juniper_alarm_state(int64_t v, int red, const char **why)
{
	switch (v) {
	case 2: *why = ""; return SS_NORMAL; /* off */
	case 3:
		*why = red ? "red alarm on (jnxRedAlarmState)"
		           : "yellow alarm on (jnxYellowAlarmState)";
		return red ? SS_CRITICAL : SS_WARNING;
	case 1:
		*why = red ? "other (jnxRedAlarmState)"
		           : "other (jnxYellowAlarmState)";
		return SS_UNKNOWN;
	}
	*why = red ? "jnxRedAlarmState out of 1..3"
	           : "jnxYellowAlarmState out of 1..3";
	return SS_UNKNOWN;
}

enum sensor_state
health_hp_sensor_state(int64_t v, const char **why)
{
	static const struct code_state c[] = {
	    {1, SS_UNKNOWN, "unknown (hpicfSensorStatus)"},
	    {2, SS_FAILED, "bad (hpicfSensorStatus)"},
	    {3, SS_WARNING, "warning (hpicfSensorStatus)"},
	    {4, SS_NORMAL, ""},
	    {5, SS_UNKNOWN, "not present (hpicfSensorStatus)"},
	    {0, SS_UNKNOWN, NULL},
	};

	return code_lookup(c, v, "hpicfSensorStatus out of 1..5", why);
}

enum sensor_state
health_hp_fan_state(int64_t v, const char **why)
{
	static const struct code_state c[] = {
	    {0, SS_FAILED, "failed (hpicfFanState)"},
	    {1, SS_UNKNOWN, "removed (hpicfFanState)"},
	    {2, SS_WARNING, "off (hpicfFanState)"},
	    {3, SS_WARNING, "underspeed (hpicfFanState)"},
	    {4, SS_WARNING, "overspeed (hpicfFanState)"},
	    {5, SS_NORMAL, ""},
	    {6, SS_UNKNOWN, "maxstate (hpicfFanState)"},
	    {0, SS_UNKNOWN, NULL},
	};

	return code_lookup(c, v, "hpicfFanState out of 0..6", why);
}

enum sensor_state
health_hp_psu_state(int64_t v, const char **why)
{
	static const struct code_state c[] = {
	    {1, SS_UNKNOWN, "not present (hpicfPsState)"},
	    {2, SS_WARNING, "not plugged (hpicfPsState)"},
	    {3, SS_NORMAL, ""},
	    {4, SS_FAILED, "failed (hpicfPsState)"},
	    {5, SS_FAILED, "permanent failure (hpicfPsState)"},
	    {6, SS_UNKNOWN, "psMax (hpicfPsState)"},
	    {7, SS_CRITICAL, "auxiliary failure (hpicfPsState)"},
	    {8, SS_WARNING, "not powered (hpicfPsState)"},
	    {9, SS_WARNING, "auxiliary not powered (hpicfPsState)"},
	    {0, SS_UNKNOWN, NULL},
	};

	return code_lookup(c, v, "hpicfPsState out of 1..9", why);
}

/*
 * mtxrGaugeValue for a status: true(1) is ok and false(0) a failed part,
 * as MIKROTIK-MIB's own BoolValue for power supplies (mtxrHlPowerSupplyState
 * "PSU state ok"). LibreNMS reads it the other way round (0 ok, 1 fail);
 * the MIB does not say which for the gauge table.
 */
enum sensor_state
health_mikrotik_status(int64_t v, const char **why)
{
	switch (v) {
	case 1: *why = ""; return SS_NORMAL;
	case 0:
		*why = "false: failed (mtxrGaugeValue status)";
		return SS_FAILED;
	}
	*why = "status neither true(1) nor false(0)";
	return SS_UNKNOWN;
}

int
health_mikrotik_gauge(int64_t raw, int64_t unit, double *value,
    enum sensor_class *cls, char *why, size_t whylen)
{
	switch (unit) {
	case 1:
		*cls = SC_TEMPERATURE;
		*value = (double)raw;
		return 0;
	case 2:
		*cls = SC_FANSPEED;
		*value = (double)raw;
		return 0;
	case 3:
		*cls = SC_VOLTAGE;
		*value = (double)raw / 10.0;
		return 0;
	case 4:
		*cls = SC_CURRENT;
		*value = (double)raw / 10.0;
		return 0;
	case 5:
		*cls = SC_POWER;
		*value = (double)raw / 10.0;
		return 0;
	case 6:
		*cls = SC_STATE;
		*value = (double)raw;
		return 0;
	}
	*cls = SC_OTHER;
	snprintf(why, whylen, "mtxrGaugeUnit %lld is not a known unit",
	    (long long)unit);
	return -1;
}

int
health_ucd_memory(int64_t total, int64_t avail, int64_t buffer, int64_t cached,
    double *pct, char *why, size_t whylen)
{
	int64_t used;

	if (total <= 0) {
		snprintf(why, whylen, "memTotalReal %lld kB", (long long)total);
		return -1;
	}
	if (avail < 0 || avail > total) {
		snprintf(why, whylen, "memAvailReal %lld kB out of 0..%lld",
		    (long long)avail, (long long)total);
		return -1;
	}
	if (buffer < 0)
		buffer = 0; /* not every system has them */
	if (cached < 0)
		cached = 0;
	used = total - avail - buffer - cached;
	if (used < 0) {
		snprintf(why, whylen,
		    "free, buffers and cache (%lld kB) exceed the total "
		    "(%lld kB)",
		    (long long)(avail + buffer + cached), (long long)total);
		return -1;
	}
	*pct = 100.0 * (double)used / (double)total;
	return 0;
}

double
health_mw_to_dbm(double mw)
{
	if (isnan(mw) || mw <= 0)
		return NAN;
	return 10.0 * log10(mw);
}
