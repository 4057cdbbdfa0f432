/*
 * health_impl.h - what the parts of the health walk share: the rows of a
 * poll, the sensors remembered between polls, the recording of a value
 * (state, event, store, RRD file) and the building of its thresholds.
 * health.c owns the plan and the walk; health_std.c reads the standard
 * MIBs and UCD-SNMP-MIB, health_cisco.c Cisco's, health_vendor.c
 * Juniper's, HP's and MikroTik's.
 */
#ifndef NP_HEALTH_IMPL_H
#define NP_HEALTH_IMPL_H

#include <math.h>

#include "device.h"
#include "health_map.h"
#include "sensor.h"

/* The tables walked; a row is (table, index). */
enum h_table {
	HT_NONE = 0,
	HT_ENT, /* ENTITY-SENSOR-MIB entPhySensorTable */
	HT_CENT, /* CISCO-ENTITY-SENSOR-MIB: the same columns */
	HT_CTHR, /* its entSensorThresholdTable (discovery) */
	HT_PHYS, /* ENTITY-MIB entPhysicalTable names (discovery) */
	HT_PROC, /* HOST-RESOURCES-MIB */
	HT_STOR,
	HT_RUN,
	HT_ETEMP, /* CISCO-ENVMON-MIB */
	HT_EFAN,
	HT_EPSU,
	HT_EVOLT,
	HT_LA, /* UCD-SNMP-MIB laTable */
	HT_UMEM, /* memory scalars (index 0) */
	HT_UDSK, /* dskTable */
	HT_LMT, /* LM-SENSORS-MIB temperatures, fans */
	HT_LMF,
	HT_JOPER, /* JUNIPER-MIB jnxOperatingTable */
	HT_JFRU, /* jnxFruTable */
	HT_JALARM, /* JUNIPER-ALARM-MIB yellow and red (index 0) */
	HT_JDOM, /* JUNIPER-DOM-MIB jnxDomCurrentTable */
	HT_HPS, /* HP-ICF-CHASSIS hpicfSensorTable */
	HT_HPF, /* HP-ICF-FAN hpicfFanTable */
	HT_HPP, /* HP-ICF-POWER-SUPPLY hpicfPsTable */
	HT_HPX, /* HP-ICF-TRANSCEIVER hpicfXcvrInfoTable */
	HT_MTG, /* MIKROTIK-MIB mtxrGaugeTable */
	HT_MTO, /* mtxrOpticalTable */
	HT_N
};

/*
 * The values of a row, by table. Each table numbers its own from 0 (at
 * most H_NSLOT); strings go to the row's str or name.
 */
#define H_NSLOT 32
enum h_field { /* ENTITY, HOST-RESOURCES, CISCO-ENVMON, UCD laTable */
	HF_TYPE,
	HF_SCALE,
	HF_PREC,
	HF_VALUE,
	HF_OPER, /* entPhySensor */
	HF_DESCR,
	HF_NAME, /* entPhysical */
	HF_LOAD, /* hrProcessorLoad, laLoadInt */
	HF_STYPE, /* hrStorageType: its last sub-identifier */
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
	HF_CTSEV,
	HF_CTREL,
	HF_CTVAL, /* entSensorThreshold{Severity,Relation,Value} */
	HF_CT_WHI, /* the device's own thresholds folded per sensor */
	HF_CT_CHI,
	HF_CT_WLO,
	HF_CT_CLO,
	HF_N
};
enum { UM_SWTOTAL, UM_SWAVAIL, UM_TOTAL, UM_AVAIL, UM_BUFFER, UM_CACHED };
enum { UD_PATH, UD_PERCENT, UD_ERROR, UD_MSG };
enum { LM_DEVICE, LM_VALUE };
enum { JO_DESCR, JO_STATE, JO_TEMP, JO_CPU, JO_BUF };
enum { JF_NAME, JF_STATE };
enum { JA_YELLOW, JA_RED };
/* JD_THR + 4 * quantity + kind: quantities rx, bias, tx, temperature;
 * kinds high alarm, low alarm, high warning, low warning (the MIB's order) */
enum { JD_RX, JD_BIAS, JD_TX, JD_TEMP, JD_THR };
enum { HS_STATUS, HS_DESCR };
enum { HFN_STATE };
enum { HP_STATE, HP_TEMP, HP_WATT, HP_MAX };
/* HX_THR + 4 * quantity + kind: temperature, voltage, bias, tx, rx */
enum { HX_DESCR, HX_TEMP, HX_VOLT, HX_BIAS, HX_TX, HX_RX, HX_THR };
enum { MG_NAME, MG_VALUE, MG_UNIT };
enum {
	MO_NAME,
	MO_RXLOSS,
	MO_TXFAULT,
	MO_TEMP,
	MO_VOLT,
	MO_BIAS,
	MO_TX,
	MO_RX
};
enum { TK_HA, TK_LA, TK_HW, TK_LW }; /* threshold kinds, as above */

#define H_IDX_MAX 4 /* sub-identifiers of an index kept in a row */

struct h_row {
	uint8_t table; /* enum h_table */
	uint8_t idxlen;
	uint32_t idx[H_IDX_MAX];
	uint32_t have; /* bit per field */
	int64_t num[H_NSLOT];
	char str[NP_STR_MAX]; /* descr, name, path... */
	char name[NP_STR_MAX]; /* entPhysicalName */
};

#define HAS(r, f) ((r)->have & (1u << (f)))

/* Values of discovery-only columns, kept for the polls in between. */
struct h_saved {
	uint32_t have;
	int64_t num[H_NSLOT];
};

/* A sensor as remembered between polls. */
struct h_sensor {
	char key[NP_STR_MAX];
	enum sensor_state state;
	int known; /* state came from a poll or the store */
	unsigned long seen;
	unsigned long gen; /* the health_process() round it was last given */
	int gone; /* no longer reported by the device */
	char name[NP_STR_MAX];
	char source[24];
	char rrd[512];
};

/* The reason a sensor the device stopped reporting is unknown. */
#define HEALTH_GONE "no longer reported by the device"

struct h_col;

struct health {
	struct h_row *rows; /* this poll's, freed after it */
	size_t nrows, cap;
	struct hmap row_by_key; /* row key -> row + 1 */
	struct hmap names; /* entPhysicalIndex -> char * name */
	struct hmap saved; /* row key -> h_saved */
	double discovered; /* when discovery-only columns were walked */
	const struct h_col *colmap[WALK_MAXCOLS]; /* walk column -> column */
	int discovering;
	enum health_vendor vendor; /* of this walk's plan */
	struct hmap sensors; /* key -> h_sensor */
	struct hmap used; /* "class:name" given this poll */
	unsigned long gen; /* health_process() rounds */
};

/* health.c */
uint64_t health_row_key(enum h_table, const uint32_t *idx, size_t n, int *ok);
struct h_row *health_find(
    struct health *, enum h_table, const uint32_t *idx, size_t idxlen);
struct h_saved *health_saved_get(
    struct health *, enum h_table, const uint32_t *idx, size_t idxlen);
void health_sensor(struct device_rt *, const char *key, const char *name,
    const char *oidtxt, enum sensor_class, const char *source, double value,
    enum sensor_state, const char *reason, const struct sensor_thresholds *);
void health_thresholds_own(struct device_rt *, enum sensor_class,
    const char *name, const struct threshold_conf *own,
    struct sensor_thresholds *);
void health_thresholds(struct device_rt *, enum sensor_class, const char *name,
    struct sensor_thresholds *);
void health_own_init(struct threshold_conf *);
/* VALUE's state from T and the state the sensor KEY was in (hysteresis). */
enum sensor_state health_eval(struct device_rt *, const char *key,
    const struct sensor_thresholds *, double value);
/* The state from thresholds and the device's own status DEV: the device's
 * word wins when it says more than normal. */
enum sensor_state health_with_device(enum sensor_state, enum sensor_state dev);
/* BASE followed by the row's index: the OID a value is read from. */
void health_oid(char *buf, size_t len, const char *base, const struct h_row *);
void health_index_text(const struct h_row *, char *buf, size_t len);
/* Make NAME unique among this poll's sensors of class CLS (" #index"). */
void health_unique(struct health *, enum sensor_class, char *name, size_t len,
    const struct h_row *);
/* The name of the port with this ifIndex, or NULL. */
const char *health_port_name(struct device_rt *, uint32_t ifindex);

/* health_std.c: ENTITY-SENSOR, HOST-RESOURCES, UCD-SNMP */
void health_entity(struct device_rt *, struct h_row *, struct hmap *used);
void health_storage(struct device_rt *, struct h_row *);
void health_cpu(struct device_rt *, struct h_row *, int nth);
void health_procs(struct device_rt *);
void health_loadavg(struct device_rt *, struct h_row *);
void health_ucd_mem(struct device_rt *, struct h_row *);
void health_ucd_disk(struct device_rt *, struct h_row *);
void health_lmsensor(struct device_rt *, struct h_row *);

/* health_cisco.c */
void health_envmon(struct device_rt *, struct h_row *);
void health_cisco_discover(struct health *);
int health_cisco_own(const struct h_row *, int dbm, struct threshold_conf *);

/* health_vendor.c */
void health_juniper(struct device_rt *, struct h_row *);
void health_juniper_dom(struct device_rt *, struct h_row *);
void health_hp(struct device_rt *, struct h_row *);
void health_hp_xcvr(struct device_rt *, struct h_row *);
void health_mikrotik(struct device_rt *, struct h_row *);

#endif
