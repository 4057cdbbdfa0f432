/*
 * health.c - the health walk plan: the health tables of the standard MIBs
 * and of the device's vendor (by sysObjectID) walked side by side in one
 * walk after the IF-MIB plan, read into rows keyed by (table, index), then
 * handed to the readers of each MIB (health_std.c, health_cisco.c,
 * health_vendor.c). Each value becomes a sensor with a class, a unit, a
 * state and an RRD file; state changes are events. Tables a device lacks
 * simply end at once.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health_impl.h"

/* Names and thresholds (discovery-only columns) are walked this often. */
#define HEALTH_REDISCOVER 3600

#define HW_PROCS 1 /* only for devices with process rules */
#define HW_DISCOVERY 2 /* only when discovery-only columns are walked */
#define HB_NUM 0 /* a number (an OID: its last sub-identifier) */
#define HB_STR 1 /* the row's str */
#define HB_NAME 2 /* the row's name */

struct h_col {
	oid oid[20];
	size_t len;
	uint8_t table; /* enum h_table */
	uint8_t field;
	u_char type; /* ASN_INTEGER (any integer), _OCTET_STR, _OBJECT_ID */
	uint8_t when; /* 0 every poll, HW_PROCS, HW_DISCOVERY */
	uint8_t buf; /* HB_* */
};

#define OIDLEN(...) (sizeof((oid[]){__VA_ARGS__}) / sizeof(oid))
#define COL(t, f, type, when, buf, ...) \
	{ \
		{__VA_ARGS__}, OIDLEN(__VA_ARGS__), t, f, type, when, buf \
	}
#define NUM(t, f, ...) COL(t, f, ASN_INTEGER, 0, HB_NUM, __VA_ARGS__)
#define STR(t, f, ...) COL(t, f, ASN_OCTET_STR, 0, HB_STR, __VA_ARGS__)
#define DNUM(t, f, ...) \
	COL(t, f, ASN_INTEGER, HW_DISCOVERY, HB_NUM, __VA_ARGS__)

#define ENTSENSOR 1, 3, 6, 1, 2, 1, 99, 1, 1, 1
#define ENTPHYS 1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1
#define HRPROC 1, 3, 6, 1, 2, 1, 25, 3, 3, 1
#define HRSTOR 1, 3, 6, 1, 2, 1, 25, 2, 3, 1
#define HRSWRUN 1, 3, 6, 1, 2, 1, 25, 4, 2, 1
#define CENTSENSOR 1, 3, 6, 1, 4, 1, 9, 9, 91, 1, 1, 1, 1
#define CENTTHRESH 1, 3, 6, 1, 4, 1, 9, 9, 91, 1, 2, 1, 1
#define ENVMON 1, 3, 6, 1, 4, 1, 9, 9, 13, 1 /* CISCO-ENVMON-MIB */
#define UCD 1, 3, 6, 1, 4, 1, 2021 /* UCD-SNMP-MIB */
#define JNXOPER 1, 3, 6, 1, 4, 1, 2636, 3, 1, 13, 1
#define JNXFRU 1, 3, 6, 1, 4, 1, 2636, 3, 1, 15, 1
#define JNXALARM 1, 3, 6, 1, 4, 1, 2636, 3, 4, 2 /* jnxCraftAlarms */
#define JNXDOM 1, 3, 6, 1, 4, 1, 2636, 3, 60, 1, 1, 1, 1
#define HPSENSOR 1, 3, 6, 1, 4, 1, 11, 2, 14, 11, 1, 2, 6, 1
#define HPSWITCH 1, 3, 6, 1, 4, 1, 11, 2, 14, 11, 5, 1 /* hpSwitch */
#define HPXCVR HPSWITCH, 82, 1, 1, 1, 1
#define MTXR 1, 3, 6, 1, 4, 1, 14988, 1, 1

/* Standard MIBs, for every device. */
static const struct h_col h_std[] = {
    NUM(HT_ENT, HF_TYPE, ENTSENSOR, 1),
    NUM(HT_ENT, HF_SCALE, ENTSENSOR, 2),
    NUM(HT_ENT, HF_PREC, ENTSENSOR, 3),
    NUM(HT_ENT, HF_VALUE, ENTSENSOR, 4),
    NUM(HT_ENT, HF_OPER, ENTSENSOR, 5),
    NUM(HT_PROC, HF_LOAD, HRPROC, 2),
    COL(HT_STOR, HF_STYPE, ASN_OBJECT_ID, 0, HB_NUM, HRSTOR, 2),
    STR(HT_STOR, HF_SDESCR, HRSTOR, 3),
    NUM(HT_STOR, HF_UNITS, HRSTOR, 4),
    NUM(HT_STOR, HF_SIZE, HRSTOR, 5),
    NUM(HT_STOR, HF_USED, HRSTOR, 6),
    /* with process rules only: the running processes */
    COL(HT_RUN, HF_RUNNAME, ASN_OCTET_STR, HW_PROCS, HB_STR, HRSWRUN, 2),
    /* discovery only: the names of the physical entities */
    COL(HT_PHYS, HF_DESCR, ASN_OCTET_STR, HW_DISCOVERY, HB_STR, ENTPHYS, 2),
    COL(HT_PHYS, HF_NAME, ASN_OCTET_STR, HW_DISCOVERY, HB_NAME, ENTPHYS, 7),
};

/* Cisco (9): CISCO-ENTITY-SENSOR-MIB and its thresholds, CISCO-ENVMON. */
static const struct h_col h_cisco[] = {
    NUM(HT_CENT, HF_TYPE, CENTSENSOR, 1),
    NUM(HT_CENT, HF_SCALE, CENTSENSOR, 2),
    NUM(HT_CENT, HF_PREC, CENTSENSOR, 3),
    NUM(HT_CENT, HF_VALUE, CENTSENSOR, 4),
    NUM(HT_CENT, HF_OPER, CENTSENSOR, 5),
    STR(HT_ETEMP, HF_DESCR, ENVMON, 3, 1, 2),
    NUM(HT_ETEMP, HF_EVALUE, ENVMON, 3, 1, 3),
    NUM(HT_ETEMP, HF_ETHRESH, ENVMON, 3, 1, 4),
    NUM(HT_ETEMP, HF_ESTATE, ENVMON, 3, 1, 6),
    STR(HT_EFAN, HF_DESCR, ENVMON, 4, 1, 2),
    NUM(HT_EFAN, HF_ESTATE, ENVMON, 4, 1, 3),
    STR(HT_EPSU, HF_DESCR, ENVMON, 5, 1, 2),
    NUM(HT_EPSU, HF_ESTATE, ENVMON, 5, 1, 3),
    STR(HT_EVOLT, HF_DESCR, ENVMON, 2, 1, 2),
    NUM(HT_EVOLT, HF_EVALUE, ENVMON, 2, 1, 3),
    NUM(HT_EVOLT, HF_ELOW, ENVMON, 2, 1, 4),
    NUM(HT_EVOLT, HF_EHIGH, ENVMON, 2, 1, 5),
    NUM(HT_EVOLT, HF_ESTATE, ENVMON, 2, 1, 7),
    /* discovery only: entSensorThresholdTable */
    DNUM(HT_CTHR, HF_CTSEV, CENTTHRESH, 2),
    DNUM(HT_CTHR, HF_CTREL, CENTTHRESH, 3),
    DNUM(HT_CTHR, HF_CTVAL, CENTTHRESH, 4),
};

/* Juniper (2636): JUNIPER-MIB, JUNIPER-ALARM-MIB, JUNIPER-DOM-MIB. */
static const struct h_col h_juniper[] = {
    STR(HT_JOPER, JO_DESCR, JNXOPER, 5),
    NUM(HT_JOPER, JO_STATE, JNXOPER, 6),
    NUM(HT_JOPER, JO_TEMP, JNXOPER, 7),
    NUM(HT_JOPER, JO_CPU, JNXOPER, 8),
    NUM(HT_JOPER, JO_BUF, JNXOPER, 11),
    STR(HT_JFRU, JF_NAME, JNXFRU, 5),
    NUM(HT_JFRU, JF_STATE, JNXFRU, 8),
    NUM(HT_JALARM, JA_YELLOW, JNXALARM, 2, 1), /* jnxYellowAlarmState */
    NUM(HT_JALARM, JA_RED, JNXALARM, 3, 1), /* jnxRedAlarmState */
    NUM(HT_JDOM, JD_RX, JNXDOM, 5),
    NUM(HT_JDOM, JD_BIAS, JNXDOM, 6),
    NUM(HT_JDOM, JD_TX, JNXDOM, 7),
    NUM(HT_JDOM, JD_TEMP, JNXDOM, 8),
    /* discovery only: the module's alarm and warning thresholds */
    DNUM(HT_JDOM, JD_THR + 0, JNXDOM, 9),
    DNUM(HT_JDOM, JD_THR + 1, JNXDOM, 10),
    DNUM(HT_JDOM, JD_THR + 2, JNXDOM, 11),
    DNUM(HT_JDOM, JD_THR + 3, JNXDOM, 12),
    DNUM(HT_JDOM, JD_THR + 4, JNXDOM, 13),
    DNUM(HT_JDOM, JD_THR + 5, JNXDOM, 14),
    DNUM(HT_JDOM, JD_THR + 6, JNXDOM, 15),
    DNUM(HT_JDOM, JD_THR + 7, JNXDOM, 16),
    DNUM(HT_JDOM, JD_THR + 8, JNXDOM, 17),
    DNUM(HT_JDOM, JD_THR + 9, JNXDOM, 18),
    DNUM(HT_JDOM, JD_THR + 10, JNXDOM, 19),
    DNUM(HT_JDOM, JD_THR + 11, JNXDOM, 20),
    DNUM(HT_JDOM, JD_THR + 12, JNXDOM, 21),
    DNUM(HT_JDOM, JD_THR + 13, JNXDOM, 22),
    DNUM(HT_JDOM, JD_THR + 14, JNXDOM, 23),
    DNUM(HT_JDOM, JD_THR + 15, JNXDOM, 24),
};

/* HP (11): HP-ICF-CHASSIS, -FAN, -POWER-SUPPLY, -TRANSCEIVER. */
static const struct h_col h_hp[] = {
    NUM(HT_HPS, HS_STATUS, HPSENSOR, 4),
    STR(HT_HPS, HS_DESCR, HPSENSOR, 7),
    NUM(HT_HPF, HFN_STATE, HPSWITCH, 54, 2, 1, 1, 4),
    NUM(HT_HPP, HP_STATE, HPSWITCH, 55, 1, 1, 1, 2),
    NUM(HT_HPP, HP_TEMP, HPSWITCH, 55, 1, 1, 1, 4),
    NUM(HT_HPP, HP_WATT, HPSWITCH, 55, 1, 1, 1, 6),
    NUM(HT_HPP, HP_MAX, HPSWITCH, 55, 1, 1, 1, 7),
    STR(HT_HPX, HX_DESCR, HPXCVR, 2),
    NUM(HT_HPX, HX_TEMP, HPXCVR, 11),
    NUM(HT_HPX, HX_VOLT, HPXCVR, 12),
    NUM(HT_HPX, HX_BIAS, HPXCVR, 13),
    NUM(HT_HPX, HX_TX, HPXCVR, 14),
    NUM(HT_HPX, HX_RX, HPXCVR, 15),
    /* discovery only: the module's alarm and warning thresholds */
    DNUM(HT_HPX, HX_THR + 0, HPXCVR, 18),
    DNUM(HT_HPX, HX_THR + 1, HPXCVR, 19),
    DNUM(HT_HPX, HX_THR + 2, HPXCVR, 20),
    DNUM(HT_HPX, HX_THR + 3, HPXCVR, 21),
    DNUM(HT_HPX, HX_THR + 4, HPXCVR, 22),
    DNUM(HT_HPX, HX_THR + 5, HPXCVR, 23),
    DNUM(HT_HPX, HX_THR + 6, HPXCVR, 24),
    DNUM(HT_HPX, HX_THR + 7, HPXCVR, 25),
    DNUM(HT_HPX, HX_THR + 8, HPXCVR, 26),
    DNUM(HT_HPX, HX_THR + 9, HPXCVR, 27),
    DNUM(HT_HPX, HX_THR + 10, HPXCVR, 28),
    DNUM(HT_HPX, HX_THR + 11, HPXCVR, 29),
    DNUM(HT_HPX, HX_THR + 12, HPXCVR, 30),
    DNUM(HT_HPX, HX_THR + 13, HPXCVR, 31),
    DNUM(HT_HPX, HX_THR + 14, HPXCVR, 32),
    DNUM(HT_HPX, HX_THR + 15, HPXCVR, 33),
    DNUM(HT_HPX, HX_THR + 16, HPXCVR, 34),
    DNUM(HT_HPX, HX_THR + 17, HPXCVR, 35),
    DNUM(HT_HPX, HX_THR + 18, HPXCVR, 36),
    DNUM(HT_HPX, HX_THR + 19, HPXCVR, 37),
};

/* MikroTik (14988): MIKROTIK-MIB gauges and optics. */
static const struct h_col h_mikrotik[] = {
    STR(HT_MTG, MG_NAME, MTXR, 3, 100, 1, 2),
    NUM(HT_MTG, MG_VALUE, MTXR, 3, 100, 1, 3),
    NUM(HT_MTG, MG_UNIT, MTXR, 3, 100, 1, 4),
    STR(HT_MTO, MO_NAME, MTXR, 19, 1, 1, 2),
    NUM(HT_MTO, MO_RXLOSS, MTXR, 19, 1, 1, 3),
    NUM(HT_MTO, MO_TXFAULT, MTXR, 19, 1, 1, 4),
    NUM(HT_MTO, MO_TEMP, MTXR, 19, 1, 1, 6),
    NUM(HT_MTO, MO_VOLT, MTXR, 19, 1, 1, 7),
    NUM(HT_MTO, MO_BIAS, MTXR, 19, 1, 1, 8),
    NUM(HT_MTO, MO_TX, MTXR, 19, 1, 1, 9),
    NUM(HT_MTO, MO_RX, MTXR, 19, 1, 1, 10),
};

/* Hosts and the rest (net-snmp, Cumulus, Arista...): UCD-SNMP-MIB. */
static const struct h_col h_ucd[] = {
    STR(HT_LA, HF_SDESCR, UCD, 10, 1, 2), /* laNames */
    NUM(HT_LA, HF_LOAD, UCD, 10, 1, 5), /* laLoadInt */
    NUM(HT_UMEM, UM_SWTOTAL, UCD, 4, 3), /* memTotalSwap.0 */
    NUM(HT_UMEM, UM_SWAVAIL, UCD, 4, 4),
    NUM(HT_UMEM, UM_TOTAL, UCD, 4, 5), /* memTotalReal.0 */
    NUM(HT_UMEM, UM_AVAIL, UCD, 4, 6),
    NUM(HT_UMEM, UM_BUFFER, UCD, 4, 14),
    NUM(HT_UMEM, UM_CACHED, UCD, 4, 15),
    STR(HT_UDSK, UD_PATH, UCD, 9, 1, 2), /* dskPath */
    NUM(HT_UDSK, UD_PERCENT, UCD, 9, 1, 9),
    NUM(HT_UDSK, UD_ERROR, UCD, 9, 1, 100), /* dskErrorFlag */
    COL(HT_UDSK, UD_MSG, ASN_OCTET_STR, 0, HB_NAME, UCD, 9, 1,
        101), /* dskErrorMsg */
    STR(HT_LMT, LM_DEVICE, UCD, 13, 16, 2, 1, 2), /* lmTempSensors */
    NUM(HT_LMT, LM_VALUE, UCD, 13, 16, 2, 1, 3),
    STR(HT_LMF, LM_DEVICE, UCD, 13, 16, 3, 1, 2), /* lmFanSensors */
    NUM(HT_LMF, LM_VALUE, UCD, 13, 16, 3, 1, 3),
};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))
#define VBIT(v) (1u << (v))
#define VALL ((1u << HV_NVENDORS) - 1)

static const struct h_group {
	unsigned vendors; /* VBIT(enum health_vendor) */
	const struct h_col *cols;
	size_t n;
} h_groups[] = {
    {VALL, h_std, NCOLS(h_std)},
    {VBIT(HV_CISCO), h_cisco, NCOLS(h_cisco)},
    {VBIT(HV_JUNIPER), h_juniper, NCOLS(h_juniper)},
    {VBIT(HV_HP), h_hp, NCOLS(h_hp)},
    {VBIT(HV_MIKROTIK), h_mikrotik, NCOLS(h_mikrotik)},
    {VBIT(HV_OTHER), h_ucd, NCOLS(h_ucd)},
};

/*
 * Each vendor's plan, discovery-only and process columns included, must fit
 * in one walk (compile-time checks).
 */
#define FITS(name, n) typedef char name[((n) <= WALK_MAXCOLS) ? 1 : -1]
FITS(health_plan_cisco_fits, NCOLS(h_std) + NCOLS(h_cisco));
FITS(health_plan_juniper_fits, NCOLS(h_std) + NCOLS(h_juniper));
FITS(health_plan_hp_fits, NCOLS(h_std) + NCOLS(h_hp));
FITS(health_plan_mikrotik_fits, NCOLS(h_std) + NCOLS(h_mikrotik));
FITS(health_plan_host_fits, NCOLS(h_std) + NCOLS(h_ucd));
typedef char health_fields_fit[(HF_N <= H_NSLOT && JD_THR + 16 <= H_NSLOT &&
                                   HX_THR + 20 <= H_NSLOT)
        ? 1
        : -1];

/*
 * How each table's index is packed into a row key: its sub-identifiers
 * and their widths (at most 56 bits; the table takes the top 8), and the
 * fields kept from discovery to discovery.
 */
#define FBITS(from, n) ((uint32_t)(((1ull << (n)) - 1) << (from)))
static const struct h_tinfo {
	uint8_t arity;
	uint8_t bits[H_IDX_MAX];
	uint32_t saved; /* bit per field */
} h_tables[HT_N] = {
    [HT_ENT] = {1, {31}, 0},
    [HT_CENT] = {1, {31}, FBITS(HF_CT_WHI, 4)},
    /* entPhysicalIndex.entSensorThresholdIndex (1..99999999: most fit) */
    [HT_CTHR] = {2, {31, 25}, 0},
    [HT_PHYS] = {1, {31}, 0},
    [HT_PROC] = {1, {31}, 0},
    [HT_STOR] = {1, {31}, 0},
    [HT_RUN] = {1, {31}, 0},
    [HT_ETEMP] = {1, {31}, 0},
    [HT_EFAN] = {1, {31}, 0},
    [HT_EPSU] = {1, {31}, 0},
    [HT_EVOLT] = {1, {31}, 0},
    [HT_LA] = {1, {31}, 0},
    [HT_UMEM] = {1, {31}, 0},
    [HT_UDSK] = {1, {31}, 0},
    [HT_LMT] = {1, {31}, 0},
    [HT_LMF] = {1, {31}, 0},
    /* container.L1.L2.L3 */
    [HT_JOPER] = {4, {14, 14, 14, 14}, 0},
    [HT_JFRU] = {4, {14, 14, 14, 14}, 0},
    [HT_JALARM] = {1, {31}, 0},
    [HT_JDOM] = {1, {31}, FBITS(JD_THR, 16)},
    [HT_HPS] = {1, {31}, 0},
    [HT_HPF] = {1, {31}, 0},
    [HT_HPP] = {1, {31}, 0},
    [HT_HPX] = {1, {31}, FBITS(HX_THR, 20)},
    [HT_MTG] = {1, {31}, 0},
    [HT_MTO] = {1, {31}, 0},
};

static struct health *
health_get(struct device_rt *d)
{
	if (d->health == NULL && (d->health = calloc(1, sizeof(*d->health)))) {
		hmap_init(&d->health->row_by_key);
		hmap_init(&d->health->names);
		hmap_init(&d->health->saved);
		hmap_init(&d->health->sensors);
		hmap_init(&d->health->used);
	}
	return d->health;
}

uint64_t
health_row_key(enum h_table t, const uint32_t *idx, size_t n, int *ok)
{
	uint64_t k;

	*ok = (unsigned)t < HT_N && h_tables[t].arity &&
	    health_pack_index(
	        idx, n, h_tables[t].bits, h_tables[t].arity, &k) == 0;
	return *ok ? ((uint64_t)t << 56) | k : 0;
}

struct h_row *
health_find(
    struct health *h, enum h_table t, const uint32_t *idx, size_t idxlen)
{
	int ok;
	uint64_t k = health_row_key(t, idx, idxlen, &ok);
	void *v;

	if (!ok || (v = hmap_iget(&h->row_by_key, k)) == NULL)
		return NULL;
	return &h->rows[(uintptr_t)v - 1];
}

/* The row of (T, IDX), made if need be; NULL with *BADKEY for an index
 * that does not fit the table. */
static struct h_row *
health_row(struct health *h, enum h_table t, const uint32_t *idx, size_t idxlen,
    int *badkey)
{
	int ok;
	uint64_t k = health_row_key(t, idx, idxlen, &ok);
	void *v;
	struct h_row *r;

	*badkey = !ok;
	if (!ok)
		return NULL;
	if ((v = hmap_iget(&h->row_by_key, k)) != NULL)
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
	r->table = (uint8_t)t;
	r->idxlen = (uint8_t)idxlen;
	memcpy(r->idx, idx, idxlen * sizeof(idx[0]));
	if (hmap_iput(&h->row_by_key, k, (void *)(uintptr_t)h->nrows) == -1) {
		h->nrows--;
		return NULL;
	}
	return r;
}

struct h_saved *
health_saved_get(
    struct health *h, enum h_table t, const uint32_t *idx, size_t idxlen)
{
	int ok;
	uint64_t k = health_row_key(t, idx, idxlen, &ok);
	struct h_saved *s;

	if (!ok)
		return NULL;
	if ((s = hmap_iget(&h->saved, k)) != NULL)
		return s;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if (hmap_iput(&h->saved, k, s) == -1) {
		free(s);
		return NULL;
	}
	return s;
}

static int
health_numeric_type(u_char t)
{
	return t == ASN_INTEGER || t == ASN_GAUGE || t == ASN_COUNTER ||
	    t == ASN_UINTEGER;
}

static void
health_value(void *arg, int c, const oid *idx, size_t idxlen,
    const netsnmp_variable_list *vb)
{
	struct device_rt *d = arg;
	struct health *h = d->health;
	const struct h_col *col = h->colmap[c];
	uint32_t sub[H_IDX_MAX];
	struct h_row *r;
	uint64_t v;
	int badkey = 1;

	if (col->type == ASN_INTEGER ? !health_numeric_type(vb->type)
	                             : vb->type != col->type) {
		d->stats.bad_types++;
		complain(&d->c_bad, LOG_L_WARN,
		    "%s: health value of type 0x%02x "
		    "where 0x%02x was expected: ignored",
		    d->conf->name, vb->type, col->type);
		return;
	}
	if (idxlen >= 1 && idxlen <= H_IDX_MAX) {
		badkey = 0;
		for (size_t i = 0; i < idxlen; i++) {
			if ((uint64_t)idx[i] > UINT32_MAX)
				badkey = 1;
			sub[i] = (uint32_t)idx[i];
		}
	}
	if (badkey ||
	    (r = health_row(h, col->table, sub, idxlen, &badkey)) == NULL) {
		if (badkey) {
			d->stats.bad_types++;
			complain(&d->c_bad, LOG_L_WARN,
			    "%s: health row with an index of %zu "
			    "sub-identifiers that does not fit its table: "
			    "ignored",
			    d->conf->name, idxlen);
		}
		return;
	}
	switch (col->buf) {
	case HB_STR: walk_vb_str(vb, r->str, sizeof(r->str)); break;
	case HB_NAME: walk_vb_str(vb, r->name, sizeof(r->name)); break;
	default:
		if (vb->type == ASN_OBJECT_ID) {
			if (vb->val_len < sizeof(oid))
				return;
			r->num[col->field] =
			    (int64_t)
			        vb->val.objid[vb->val_len / sizeof(oid) - 1];
		} else if (vb->type == ASN_INTEGER)
			r->num[col->field] = *vb->val.integer;
		else if (walk_vb_u64(vb, &v) == 0)
			r->num[col->field] = (int64_t)v;
		else
			return;
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
	int bulk = d->conf->bulk && d->conf->snmp.version != NP_SNMP_V1, n;
	enum health_vendor v;
	unsigned vbit;

	if (h == NULL)
		return -1;
	hmap_clear(&h->row_by_key);
	h->nrows = 0;
	v = health_vendor_of(d->sys_object_id);
	if (v != h->vendor)
		h->discovered = 0; /* another kind of device: walk it all */
	h->vendor = v;
	vbit = VBIT(v);
	/* names and thresholds: at the first poll, then now and then */
	h->discovering = h->discovered == 0 ||
	    poller_now(d->p) - h->discovered > HEALTH_REDISCOVER;
	n = 0;
	for (size_t g = 0; g < NCOLS(h_groups); g++) {
		if (!(h_groups[g].vendors & vbit))
			continue;
		for (size_t i = 0; i < h_groups[g].n; i++) {
			const struct h_col *c = &h_groups[g].cols[i];

			if ((c->when == HW_PROCS && d->conf->nprocs == 0) ||
			    (c->when == HW_DISCOVERY && !h->discovering))
				continue;
			if (n == WALK_MAXCOLS)
				break; /* cannot happen: checked above */
			h->colmap[n] = c;
			oids[n] = c->oid;
			lens[n++] = c->len;
		}
	}
	if (d->walk == NULL) /* (poller_start makes it) */
		return -1;
	return walk_start(d->walk, &d->ss, oids, lens, n, bulk,
	    d->conf->max_reps, health_value, health_walk_done, d, &d->wst);
}

/* After a discovery walk: names, and the thresholds kept until the next. */
static void
health_discovered(struct device_rt *d)
{
	struct health *h = d->health;

	hmap_clear_free(&h->names);
	hmap_clear_free(&h->saved);
	for (size_t i = 0; i < h->nrows; i++) {
		struct h_row *r = &h->rows[i];
		uint32_t keep = h_tables[r->table].saved & r->have;
		const char *n = r->name[0] ? r->name : r->str;
		char *copy;

		if (keep) {
			struct h_saved *s =
			    health_saved_get(h, r->table, r->idx, r->idxlen);

			for (int f = 0; s && f < H_NSLOT; f++)
				if (keep & (1u << f))
					s->num[f] = r->num[f];
			if (s)
				s->have |= keep;
		}
		if (r->table != HT_PHYS || n[0] == '\0' || r->idxlen != 1)
			continue;
		if ((copy = strdup(n)) != NULL &&
		    hmap_iput(&h->names, r->idx[0], copy) == -1)
			free(copy);
	}
	health_cisco_discover(h);
	h->discovered = poller_now(d->p);
}

/* Every poll: what discovery kept goes back into the rows. */
static void
health_restore(struct health *h)
{
	for (size_t i = 0; i < h->nrows; i++) {
		struct h_row *r = &h->rows[i];
		uint32_t want = h_tables[r->table].saved & ~r->have;
		struct h_saved *s;
		uint64_t k;
		int ok;

		if (want == 0)
			continue;
		k = health_row_key(r->table, r->idx, r->idxlen, &ok);
		if (!ok || (s = hmap_iget(&h->saved, k)) == NULL)
			continue;
		want &= s->have;
		for (int f = 0; f < H_NSLOT; f++)
			if (want & (1u << f))
				r->num[f] = s->num[f];
		r->have |= want;
	}
}

/* Why VALUE is in STATE by the thresholds T: the one it is past. */
static void
health_why_threshold(const struct sensor_thresholds *t, enum sensor_class cls,
    enum sensor_state state, double value, char *buf, size_t len)
{
	const char *u = sensor_class_unit(cls), *sp = u[0] ? " " : "";
	int crit = state == SS_CRITICAL;
	double hi = crit ? t->crit_hi : t->warn_hi;
	double lo = crit ? t->crit_lo : t->warn_lo;
	const char *what = crit ? "critical" : "warning";

	if (!isnan(hi) && value >= hi)
		snprintf(buf, len, "at or above the %s threshold (%.6g%s%s)",
		    what, hi, sp, u);
	else if (!isnan(lo) && value <= lo)
		snprintf(buf, len, "at or below the %s threshold (%.6g%s%s)",
		    what, lo, sp, u);
	else
		snprintf(buf, len,
		    "%s until back past its threshold by the hysteresis", what);
}

/* Record one sensor: state change events, the store, the RRD file. */
void
health_sensor(struct device_rt *d, const char *key, const char *name,
    const char *oidtxt, enum sensor_class cls, const char *source, double value,
    enum sensor_state state, const char *reason,
    const struct sensor_thresholds *th)
{
	struct health *h = d->health;
	struct h_sensor *s = hmap_get(&h->sensors, key);
	struct store_sensor x;
	char ekey[NP_STR_MAX + 8], why[128];

	/* a value past a threshold says which */
	if (reason[0] == '\0' && !isnan(value) && cls != SC_STATE &&
	    (state == SS_WARNING || state == SS_CRITICAL)) {
		health_why_threshold(th, cls, state, value, why, sizeof(why));
		reason = why;
	}

	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return;
		snprintf(s->key, sizeof(s->key), "%s", key);
		if (rrdw_sensor_path(s->rrd, sizeof(s->rrd),
		        poller_rrd_dir(d->p), d->conf->name,
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
		const char *u = sensor_class_unit(cls);
		char kind[40], val[192];

		snprintf(
		    kind, sizeof(kind), "sensor.%s", sensor_state_name(state));
		if (isnan(value))
			snprintf(val, sizeof(val), "no value%s%.150s",
			    reason[0] ? ": " : "", reason);
		else
			snprintf(val, sizeof(val), "%.6g%s%s%s%.150s", value,
			    u[0] ? " " : "", u, reason[0] ? ": " : "", reason);
		poller_emit(d, kind, ekey, sev, name, was,
		    sensor_state_name(state), "%s %s is %s (%s, was %s)",
		    sensor_class_name(cls), name, sensor_state_name(state), val,
		    was);
	}
	s->state = state;
	s->known = 1;
	s->seen = d->npolls;
	s->gen = h->gen;
	s->gone = 0;
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->source, sizeof(s->source), "%s", source);

	memset(&x, 0, sizeof(x));
	snprintf(x.device, sizeof(x.device), "%s", d->conf->name);
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
	{
		struct sample_set set;

		sample_set_init(&set, &sample_sensor_schema, d->conf->name, name,
		    sensor_class_name(cls), s->rrd, d->conf->interval,
		    x.updated);
		set.v[0] = value;
		poller_sample(d, &set);
	}
}

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

void
health_own_init(struct threshold_conf *own)
{
	memset(own, 0, sizeof(*own));
	own->warn_hi = own->crit_hi = own->warn_lo = own->crit_lo = NAN;
	own->hysteresis = NAN;
}

/*
 * A sensor's thresholds: the built-in default for its class, the device's
 * own thresholds for that sensor (OWN, NAN where none), then the global
 * rule for the class, the device's rule for the class, and the device's
 * rule for that sensor by name.
 */
void
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
	for (int i = 0; i < d->conf->nthresholds; i++)
		if (d->conf->thresholds[i].sensor[0] == '\0' &&
		    strcmp(d->conf->thresholds[i].cls, cn) == 0)
			health_apply(t, &d->conf->thresholds[i]);
	for (int i = 0; i < d->conf->nthresholds; i++)
		if (strcmp(d->conf->thresholds[i].sensor, name) == 0)
			health_apply(t, &d->conf->thresholds[i]);
}

void
health_thresholds(struct device_rt *d, enum sensor_class cls, const char *name,
    struct sensor_thresholds *t)
{
	health_thresholds_own(d, cls, name, NULL, t);
}

enum sensor_state
health_eval(struct device_rt *d, const char *key,
    const struct sensor_thresholds *t, double value)
{
	struct h_sensor *s = hmap_get(&d->health->sensors, key);

	return sensor_evaluate(t, s && s->known ? s->state : SS_UNKNOWN, value);
}

enum sensor_state
health_with_device(enum sensor_state st, enum sensor_state dev)
{
	if (dev == SS_FAILED || dev == SS_CRITICAL)
		return dev;
	if (dev == SS_WARNING && st < SS_WARNING)
		return SS_WARNING;
	return st;
}

void
health_index_text(const struct h_row *r, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < r->idxlen && o < len; i++) {
		int n = snprintf(buf + o, len - o, "%s%u", i ? "." : "",
		    (unsigned)r->idx[i]);

		if (n < 0)
			return;
		o += (size_t)n;
	}
}

void
health_oid(char *buf, size_t len, const char *base, const struct h_row *r)
{
	char idx[64];

	health_index_text(r, idx, sizeof(idx));
	snprintf(buf, len, "%s.%s", base, idx);
}

void
health_unique(struct health *h, enum sensor_class cls, char *name, size_t len,
    const struct h_row *r)
{
	char key[NP_STR_MAX + 32], idx[64], *copy;

	snprintf(key, sizeof(key), "%s:%s", sensor_class_name(cls), name);
	if (hmap_get(&h->used, key)) {
		size_t n = strlen(name);

		health_index_text(r, idx, sizeof(idx));
		if (n + strlen(idx) + 3 > len)
			n = len - strlen(idx) - 3;
		snprintf(name + n, len - n, " #%s", idx);
		snprintf(
		    key, sizeof(key), "%s:%s", sensor_class_name(cls), name);
	}
	if ((copy = strdup(key)) != NULL &&
	    hmap_put(&h->used, copy, copy) == -1)
		free(copy);
}

const char *
health_port_name(struct device_rt *d, uint32_t ifindex)
{
	struct port_rt *p = hmap_iget(&d->port_by_index, ifindex);

	return p ? p->name : NULL;
}

/*
 * Sensors the device no longer reports (a PSU pulled, a line card or an
 * optic removed) become unknown, said once as sensor.missing: a warning
 * for hardware, info for host resources (file systems come and go).
 */
static void
health_sweep(struct device_rt *d)
{
	struct health *h = d->health;

	for (size_t i = 0; i < h->sensors.cap; i++) {
		struct h_sensor *s =
		    h->sensors.slots[i].hash ? h->sensors.slots[i].value : NULL;
		struct store_sensor x;
		int host;

		if (s == NULL || s->gone || s->gen == h->gen ||
		    strncmp(s->key, "process:", 8) == 0)
			continue;
		host = strcmp(s->source, "host-resources") == 0 ||
		    strcmp(s->source, "ucd-snmp") == 0;
		{
			char ekey[NP_STR_MAX + 8];

			snprintf(ekey, sizeof(ekey), "sensor:%s", s->key);
			poller_emit(d, "sensor.missing", ekey,
			    host ? SEV_INFO : SEV_WARNING,
			    s->name[0] ? s->name : s->key,
			    s->known ? sensor_state_name(s->state) : "unknown",
			    "missing", "%s is %s (it was %s)",
			    s->name[0] ? s->name : s->key, HEALTH_GONE,
			    s->known ? sensor_state_name(s->state) : "unknown");
		}
		s->gone = 1;
		s->state = SS_UNKNOWN;
		memset(&x, 0, sizeof(x));
		snprintf(x.device, sizeof(x.device), "%s", d->conf->name);
		snprintf(x.key, sizeof(x.key), "%s", s->key);
		snprintf(x.reason, sizeof(x.reason), "%s", HEALTH_GONE);
		x.updated = poller_now(d->p);
		store_sensor_gone(poller_store(d->p), &x);
	}
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
		health_discovered(d);
	h->gen++;
	health_restore(h);
	hmap_init(&used);
	hmap_clear_free(&h->used);
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
		case HT_UMEM: health_ucd_mem(d, r); break;
		case HT_UDSK: health_ucd_disk(d, r); break;
		case HT_LMT:
		case HT_LMF: health_lmsensor(d, r); break;
		case HT_JOPER:
		case HT_JFRU:
		case HT_JALARM: health_juniper(d, r); break;
		case HT_JDOM: health_juniper_dom(d, r); break;
		case HT_HPS:
		case HT_HPF:
		case HT_HPP: health_hp(d, r); break;
		case HT_HPX: health_hp_xcvr(d, r); break;
		case HT_MTG:
		case HT_MTO: health_mikrotik(d, r); break;
		default: break;
		}
	}
	hmap_free(&used);
	health_procs(d);
	health_sweep(d);
	/* the rows are this poll's: give their memory back */
	free(h->rows);
	h->rows = NULL;
	h->nrows = h->cap = 0;
	hmap_free(&h->row_by_key);
	hmap_init(&h->row_by_key);
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
	snprintf(s->name, sizeof(s->name), "%s", x->name);
	snprintf(s->source, sizeof(s->source), "%s", x->source);
	s->gone = strncmp(x->reason, HEALTH_GONE, strlen(HEALTH_GONE)) == 0;
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
	hmap_free_values(&h->saved);
	hmap_free_values(&h->sensors);
	hmap_free_values(&h->used);
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
