/*
 * health_map.c - vendors, row keys, the device's own thresholds and status
 * codes as states (see health_map.h). The enumerations are the MIBs':
 * CISCO-ENVMON-MIB, CISCO-ENTITY-SENSOR-MIB, UCD-SNMP-MIB.
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
