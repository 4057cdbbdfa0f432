/*
 * health_map.h - the pure parts of the health walk: which vendor a device
 * is (by sysObjectID), row keys from table indexes, the device's own
 * thresholds from CISCO-ENTITY-SENSOR-MIB's threshold table, and the
 * vendors' status codes as sensor states. No I/O, no device state: unit
 * tested on their own (tests/unit/test_health.c).
 */
#ifndef NP_HEALTH_MAP_H
#define NP_HEALTH_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "sensor.h"

/* The vendors whose own MIBs the health walk reads. */
enum health_vendor {
	HV_OTHER = 0, /* hosts (net-snmp), Cumulus, Arista...: UCD-SNMP-MIB */
	HV_CISCO, /* enterprise 9 */
	HV_JUNIPER, /* 2636 */
	HV_HP, /* 11 */
	HV_MIKROTIK, /* 14988 */
	HV_NVENDORS
};

/* The vendor of a sysObjectID (".1.3.6.1.4.1.N..."); HV_OTHER otherwise. */
enum health_vendor health_vendor_of(const char *sys_object_id);
const char *health_vendor_name(enum health_vendor);

/*
 * Pack a table index of N sub-identifiers into a key of at most 56 bits:
 * the table has ARITY sub-identifiers of BITS[i] bits each. -1 when the
 * index has another length or a sub-identifier does not fit.
 */
int health_pack_index(const uint32_t *idx, size_t n, const uint8_t *bits,
    size_t arity, uint64_t *key);

/* Thresholds as the device sends them, in the sensor's own units. */
#define HRT_WARN_HI 0x1
#define HRT_CRIT_HI 0x2
#define HRT_WARN_LO 0x4
#define HRT_CRIT_LO 0x8
struct health_rawthr {
	int64_t warn_hi, crit_hi, warn_lo, crit_lo;
	unsigned has; /* HRT_* */
};

/*
 * Fold one row of entSensorThresholdTable (severity, relation, value) into
 * T: minor(10) is a warning, major(20) and critical(30) are critical;
 * greaterThan/greaterOrEqual set a high threshold, lessThan/lessOrEqual a
 * low one, and of several the tightest wins (the lowest high, the highest
 * low). other(1) severities, equalTo/notEqualTo relations and the value
 * -32768 (some agents' "not set") say nothing of a range: 0, ignored.
 * Returns 1 when the row was used.
 */
int health_cisco_fold(
    struct health_rawthr *t, int64_t severity, int64_t relation, int64_t value);

/*
 * Vendor status codes to sensor states, with the reason (a static string,
 * "" for a normal state). The value is the device's own raw code.
 */
enum sensor_state health_envmon_state(int64_t, const char **why);
/* JUNIPER-MIB jnxOperatingState */
enum sensor_state health_juniper_oper_state(int64_t, const char **why);
/* JUNIPER-MIB jnxFruState; an empty(2) slot holds no part: no sensor */
int health_juniper_fru_present(int64_t);
enum sensor_state health_juniper_fru_state(int64_t, const char **why);
/* JUNIPER-ALARM-MIB jnxYellowAlarmState (RED 0), jnxRedAlarmState (RED 1) */
enum sensor_state health_juniper_alarm_state(
    int64_t, int red, const char **why);
/* HP-ICF-CHASSIS hpicfSensorStatus, HP-ICF-FAN, HP-ICF-POWER-SUPPLY */
enum sensor_state health_hp_sensor_state(int64_t, const char **why);
enum sensor_state health_hp_fan_state(int64_t, const char **why);
enum sensor_state health_hp_psu_state(int64_t, const char **why);
/* MIKROTIK-MIB mtxrGaugeValue of unit status(6) */
enum sensor_state health_mikrotik_status(int64_t, const char **why);

/*
 * MIKROTIK-MIB mtxrGaugeTable: RAW in UNIT (celsius 1, rpm 2, dV 3, dA 4,
 * dW 5, status 6) to a value and class. -1 with the reason for a unit it
 * does not know.
 */
int health_mikrotik_gauge(int64_t raw, int64_t unit, double *value,
    enum sensor_class *cls, char *why, size_t whylen);

/*
 * UCD-SNMP-MIB memory (kB): the share of real memory in use, total less
 * available, buffers and cache. BUFFER and CACHED may be -1 (not sent).
 * -1 with the reason when the figures make no sense.
 */
int health_ucd_memory(int64_t total, int64_t avail, int64_t buffer,
    int64_t cached, double *pct, char *why, size_t whylen);

/* Milliwatts to dBm; NAN for no light (0 or less). */
double health_mw_to_dbm(double mw);

#endif
