/*
 * sensor.c - sensor values in real units, and their state from thresholds
 * with hysteresis (see sensor.h).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <strings.h>

#include "sensor.h"

/* entPhySensorType (RFC 3433; 13 and 14 from CISCO-ENTITY-SENSOR-MIB). */
#define ENT_OTHER 1
#define ENT_UNKNOWN 2
#define ENT_VOLTSAC 3
#define ENT_VOLTSDC 4
#define ENT_AMPERES 5
#define ENT_WATTS 6
#define ENT_HERTZ 7
#define ENT_CELSIUS 8
#define ENT_PERCENTRH 9
#define ENT_RPM 10
#define ENT_CMM 11
#define ENT_TRUTHVALUE 12
#define ENT_SPECIALENUM 13
#define ENT_DBM 14

/* EntitySensorValue: these two mean under- and overflow, not a reading. */
#define ENT_UNDERFLOW (-1000000000LL)
#define ENT_OVERFLOW 1000000000LL

static const struct {
	const char *name;
	const char *unit;
} classes[SC_NCLASSES] = {
    [SC_OTHER] = {"other", ""},
    [SC_TEMPERATURE] = {"temperature", "C"},
    [SC_FANSPEED] = {"fanspeed", "RPM"},
    [SC_VOLTAGE] = {"voltage", "V"},
    [SC_CURRENT] = {"current", "A"},
    [SC_POWER] = {"power", "W"},
    [SC_FREQUENCY] = {"frequency", "Hz"},
    [SC_HUMIDITY] = {"humidity", "%RH"},
    [SC_AIRFLOW] = {"airflow", "m3/min"},
    [SC_DBM] = {"dbm", "dBm"},
    [SC_STATE] = {"state", ""},
    [SC_LOAD] = {"load", "%"},
};

static const char *const states[] = {
    [SS_UNKNOWN] = "unknown",
    [SS_NORMAL] = "normal",
    [SS_WARNING] = "warning",
    [SS_CRITICAL] = "critical",
    [SS_FAILED] = "failed",
};

/*
 * EntitySensorDataScale to a power of ten, by the exponents RFC 3433
 * writes beside each value. Its labels put exa(14) before peta(15), the
 * reverse of SI, but its exponents run in order (exa(14) -- 10^15,
 * peta(15) -- 10^18): the number on the wire is what agents send, so the
 * exponent follows the number.
 */
static const int scale_exp[18] = {
    0, /* not a scale */
    -24, -21, -18, -15, /* yocto zepto atto femto */
    -12, -9, -6, -3, /* pico nano micro milli */
    0, /* units */
    3, 6, 9, 12, /* kilo mega giga tera */
    15, 18, 21, 24, /* exa(14) peta(15) zetta yotta, as the RFC */
};

/*
 * Powers of ten as literals: exact up to 1e22, correctly rounded above;
 * never computed by repeated multiplication, which drifts. Exponents reach
 * 24 + 8 (yotta, precision -8) and 24 + 9 (yocto, precision 9).
 */
static const double pow10_tab[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
    1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21,
    1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32, 1e33};

const char *
sensor_class_name(enum sensor_class c)
{
	if ((unsigned)c >= SC_NCLASSES)
		return "?";
	return classes[c].name;
}

const char *
sensor_class_unit(enum sensor_class c)
{
	if ((unsigned)c >= SC_NCLASSES)
		return "?";
	return classes[c].unit;
}

int
sensor_class_parse(const char *s, enum sensor_class *c)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < SC_NCLASSES; i++)
		if (strcasecmp(s, classes[i].name) == 0) {
			*c = (enum sensor_class)i;
			return 0;
		}
	return -1;
}

const char *
sensor_state_name(enum sensor_state s)
{
	if ((unsigned)s >= sizeof(states) / sizeof(states[0]))
		return "?";
	return states[s];
}

static int
why_fail(char *why, size_t whylen, const char *fmt, long long arg)
{
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, fmt, arg);
	return -1;
}

int
sensor_entity_convert(int type, int scale, int precision, int64_t raw,
    double *value, enum sensor_class *cls, char *why, size_t whylen)
{
	enum sensor_class c;
	int fixed = 1, k;

	switch (type) {
	case ENT_OTHER:
	case ENT_UNKNOWN: c = SC_OTHER; break;
	case ENT_VOLTSAC:
	case ENT_VOLTSDC: c = SC_VOLTAGE; break;
	case ENT_AMPERES: c = SC_CURRENT; break;
	case ENT_WATTS: c = SC_POWER; break;
	case ENT_HERTZ: c = SC_FREQUENCY; break;
	case ENT_CELSIUS: c = SC_TEMPERATURE; break;
	case ENT_PERCENTRH: c = SC_HUMIDITY; break;
	case ENT_RPM: c = SC_FANSPEED; break;
	case ENT_CMM: c = SC_AIRFLOW; break;
	case ENT_DBM: c = SC_DBM; break;
	case ENT_TRUTHVALUE:
	case ENT_SPECIALENUM: c = SC_STATE; break;
	default:
		return why_fail(why, whylen,
		    "sensor type %lld is not a known quantity", type);
	}
	if (scale < 1 || scale > 17)
		return why_fail(
		    why, whylen, "sensor scale %lld is outside 1..17", scale);
	if (precision < -8 || precision > 9)
		return why_fail(why, whylen,
		    "sensor precision %lld is outside -8..9", precision);

	switch (type) {
	case ENT_RPM:
		if (raw < 0)
			return why_fail(
			    why, whylen, "negative fan speed %lld rpm", raw);
		fixed = 0;
		break;
	case ENT_PERCENTRH:
		if (raw < 0)
			return why_fail(
			    why, whylen, "negative humidity %lld", raw);
		fixed = 0;
		break;
	case ENT_TRUTHVALUE:
		if (raw != 1 && raw != 2)
			return why_fail(why, whylen,
			    "truth value %lld is neither true(1) nor false(2)",
			    raw);
		/* FALLTHROUGH */
	case ENT_SPECIALENUM:
		/* A status code: scale and precision do not apply. */
		*value = (double)raw;
		*cls = c;
		return 0;
	case ENT_OTHER:
	case ENT_UNKNOWN: fixed = 0; break;
	}
	if (fixed && raw == ENT_UNDERFLOW)
		return why_fail(
		    why, whylen, "sensor reports underflow (%lld)", raw);
	if (fixed && raw == ENT_OVERFLOW)
		return why_fail(
		    why, whylen, "sensor reports overflow (%lld)", raw);

	/*
	 * value = raw * 10^scale / 10^precision, in one multiplication or
	 * division by an exact power of ten so that 3294 milli comes out as
	 * the double nearest 3.294. A negative precision multiplies.
	 */
	k = scale_exp[scale] - precision;
	if (k >= 0)
		*value = (double)raw * pow10_tab[k];
	else
		*value = (double)raw / pow10_tab[-k];
	*cls = c;
	return 0;
}

/*
 * Defaults an engineer will recognise; the configuration overrides them.
 *  - temperature: warning above 60 C, critical above 75 C, the usual
 *    inlet/board alarm levels of switch and router vendors (chips run
 *    hotter, and report their own limits); 2 C of hysteresis.
 *  - load (CPU, memory, storage): warning at 85 %, critical at 95 %, with
 *    2 % of hysteresis.
 *  - humidity: the data-centre band, warning above 70 or below 20 %RH,
 *    critical above 85 (condensation) or below 10 (static); 2 %RH of
 *    hysteresis, about a hygrometer's accuracy.
 *  - fans: none. Speeds differ too much between models for one number;
 *    the device's own status says when a fan has failed.
 *  - everything else (voltage, current, power, optics...): none, since
 *    the right levels depend on the part; they come from the device's
 *    own thresholds or from the configuration.
 */
void
sensor_default_thresholds(enum sensor_class c, struct sensor_thresholds *t)
{
	t->warn_hi = t->crit_hi = NAN;
	t->warn_lo = t->crit_lo = NAN;
	t->hysteresis = 0;

	switch (c) {
	case SC_TEMPERATURE:
		t->warn_hi = 60;
		t->crit_hi = 75;
		t->hysteresis = 2;
		break;
	case SC_LOAD:
		t->warn_hi = 85;
		t->crit_hi = 95;
		t->hysteresis = 2;
		break;
	case SC_HUMIDITY:
		t->warn_hi = 70;
		t->crit_hi = 85;
		t->warn_lo = 20;
		t->crit_lo = 10;
		t->hysteresis = 2;
		break;
	default: break;
	}
}

/* VALUE has crossed HI (from below) or LO (from above); NAN is no limit. */
static int
crossed(double value, double hi, double lo)
{
	return value >= hi || value <= lo;
}

/*
 * VALUE, in a state entered at HI or LO, has not yet come back past them
 * by the hysteresis H: it stays in that state.
 */
static int
held(double value, double hi, double lo, double h)
{
	return (!isnan(hi) && value > hi - h) || (!isnan(lo) && value < lo + h);
}

enum sensor_state
sensor_evaluate(
    const struct sensor_thresholds *t, enum sensor_state prev, double value)
{
	enum sensor_state target;
	double h;

	if (isnan(value))
		return SS_UNKNOWN;

	if (crossed(value, t->crit_hi, t->crit_lo))
		target = SS_CRITICAL;
	else if (crossed(value, t->warn_hi, t->warn_lo))
		target = SS_WARNING;
	else
		target = SS_NORMAL;

	/* A failed part leaves its alarm the way a critical one does. */
	if (prev == SS_FAILED)
		prev = SS_CRITICAL;
	if ((prev != SS_WARNING && prev != SS_CRITICAL) || target >= prev)
		return target;

	/* Getting better: step down only as far as the hysteresis allows. */
	h = isnan(t->hysteresis) || t->hysteresis < 0 ? 0 : t->hysteresis;
	if (prev == SS_CRITICAL && held(value, t->crit_hi, t->crit_lo, h))
		return SS_CRITICAL;
	if (target < SS_WARNING && held(value, t->warn_hi, t->warn_lo, h))
		return SS_WARNING;
	return target;
}
