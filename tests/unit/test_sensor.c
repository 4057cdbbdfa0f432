/*
 * test_sensor.c - ENTITY-SENSOR-MIB conversion, class and state names,
 * default thresholds, and states with hysteresis.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sensor.h"
#include "tap.h"

/* Relative tolerance: the conversions must be exact to about 1e-9. */
#define REL_EPS(w) (fabs(w) * 1e-9)

struct conv_case {
	const char *name;
	int type, scale, precision;
	int64_t raw;
	int want_rc;
	double want;
	enum sensor_class want_cls;
};

static const struct conv_case conv_cases[] = {
    /* Every scale, units of "other" with precision 0. */
    {"scale 1 yocto", 1, 1, 0, 7, 0, 7e-24, SC_OTHER},
    {"scale 2 zepto", 1, 2, 0, 7, 0, 7e-21, SC_OTHER},
    {"scale 3 atto", 1, 3, 0, 7, 0, 7e-18, SC_OTHER},
    {"scale 4 femto", 1, 4, 0, 7, 0, 7e-15, SC_OTHER},
    {"scale 5 pico", 1, 5, 0, 7, 0, 7e-12, SC_OTHER},
    {"scale 6 nano", 1, 6, 0, 7, 0, 7e-9, SC_OTHER},
    {"scale 7 micro", 1, 7, 0, 7, 0, 7e-6, SC_OTHER},
    {"scale 8 milli", 1, 8, 0, 7, 0, 7e-3, SC_OTHER},
    {"scale 9 units", 1, 9, 0, 7, 0, 7, SC_OTHER},
    {"scale 10 kilo", 1, 10, 0, 7, 0, 7e3, SC_OTHER},
    {"scale 11 mega", 1, 11, 0, 7, 0, 7e6, SC_OTHER},
    {"scale 12 giga", 1, 12, 0, 7, 0, 7e9, SC_OTHER},
    {"scale 13 tera", 1, 13, 0, 7, 0, 7e12, SC_OTHER},
    /* RFC 3433: exa(14) -- 10^15, peta(15) -- 10^18 (labels swapped). */
    {"scale 14 exa(14) is 10^15 as RFC 3433 writes", 1, 14, 0, 7, 0, 7e15,
        SC_OTHER},
    {"scale 15 peta(15) is 10^18 as RFC 3433 writes", 1, 15, 0, 7, 0, 7e18,
        SC_OTHER},
    {"scale 16 zetta", 1, 16, 0, 7, 0, 7e21, SC_OTHER},
    {"scale 17 yotta", 1, 17, 0, 7, 0, 7e24, SC_OTHER},
    {"unknown(2) converts like other", 2, 9, 2, 1234, 0, 12.34, SC_OTHER},

    /* Precisions, alone and with a scale. */
    {"precision -8 multiplies", 4, 9, -8, 3, 0, 3e8, SC_VOLTAGE},
    {"precision -1 multiplies", 4, 9, -1, 12, 0, 120, SC_VOLTAGE},
    {"precision 0 is an integer", 4, 9, 0, 12, 0, 12, SC_VOLTAGE},
    {"precision 1", 4, 9, 1, 2345, 0, 234.5, SC_VOLTAGE},
    {"precision 3", 5, 9, 3, 1500, 0, 1.5, SC_CURRENT},
    {"precision 9", 5, 9, 9, 123456789, 0, 0.123456789, SC_CURRENT},
    {"3294 milli volts DC", 4, 8, 0, 3294, 0, 3.294, SC_VOLTAGE},
    {"230 volts AC", 3, 9, 0, 230, 0, 230, SC_VOLTAGE},
    {"43 celsius", 8, 9, 0, 43, 0, 43, SC_TEMPERATURE},
    {"negative temperature", 8, 9, 1, -155, 0, -15.5, SC_TEMPERATURE},
    {"5 kilo precision -1", 6, 10, -1, 5, 0, 50000, SC_POWER},
    {"milli with precision 2", 5, 8, 2, 12345, 0, 0.12345, SC_CURRENT},
    {"yocto with precision 9", 1, 1, 9, 5, 0, 5e-33, SC_OTHER},
    {"yotta with precision -8", 1, 17, -8, 5, 0, 5e32, SC_OTHER},
    {"50 hertz", 7, 9, 1, 500, 0, 50, SC_FREQUENCY},
    {"45 percent RH", 9, 9, 0, 45, 0, 45, SC_HUMIDITY},
    {"4200 rpm", 10, 9, 0, 4200, 0, 4200, SC_FANSPEED},
    {"zero rpm is a stopped fan, not an error", 10, 9, 0, 0, 0, 0, SC_FANSPEED},
    {"cmm airflow", 11, 9, 2, 325, 0, 3.25, SC_AIRFLOW},
    {"optical rx power dBm", 14, 9, 1, -35, 0, -3.5, SC_DBM},
    {"truthvalue true is a state", 12, 9, 0, 1, 0, 1, SC_STATE},
    {"truthvalue false is a state", 12, 9, 0, 2, 0, 2, SC_STATE},
    {"specialEnum is not scaled", 13, 8, 2, 7, 0, 7, SC_STATE},

    /* What cannot be converted. */
    {"scale 0", 8, 0, 0, 43, -1, 0, 0},
    {"scale 18", 8, 18, 0, 43, -1, 0, 0},
    {"scale -1", 8, -1, 0, 43, -1, 0, 0},
    {"precision -9", 8, 9, -9, 43, -1, 0, 0},
    {"precision 10", 8, 9, 10, 43, -1, 0, 0},
    {"negative rpm", 10, 9, 0, -1, -1, 0, 0},
    {"negative humidity", 9, 9, 0, -5, -1, 0, 0},
    {"truthvalue 0", 12, 9, 0, 0, -1, 0, 0},
    {"truthvalue 3", 12, 9, 0, 3, -1, 0, 0},
    {"type 0", 0, 9, 0, 43, -1, 0, 0},
    {"type 15", 15, 9, 0, 43, -1, 0, 0},
    {"underflow marker", 8, 9, 0, -1000000000, -1, 0, 0},
    {"overflow marker", 4, 9, 0, 1000000000, -1, 0, 0},
};

static void
test_convert(void)
{
	size_t i;

	for (i = 0; i < sizeof(conv_cases) / sizeof(conv_cases[0]); i++) {
		const struct conv_case *c = &conv_cases[i];
		double v = -12345;
		enum sensor_class cls = SC_NCLASSES;
		char why[128] = "";
		int rc;

		rc = sensor_entity_convert(c->type, c->scale, c->precision,
		    c->raw, &v, &cls, why, sizeof(why));
		if (c->want_rc == 0) {
			TAP_OK(rc == 0 && cls == c->want_cls,
			    "convert %s: rc 0, class %s", c->name,
			    sensor_class_name(c->want_cls));
			TAP_NEAR(v, c->want, REL_EPS(c->want), "convert %s: %g",
			    c->name, c->want);
		} else {
			TAP_OK(rc == -1 && why[0] != '\0',
			    "convert %s: rejected (%s)", c->name, why);
			TAP_OK(v == -12345 && cls == SC_NCLASSES,
			    "convert %s: outputs untouched", c->name);
		}
	}

	/* The reason is truncated to fit, and a NULL reason is allowed. */
	{
		char small[8];
		double v;
		enum sensor_class cls;

		memset(small, 'x', sizeof(small));
		TAP_OK(sensor_entity_convert(
		           8, 0, 0, 1, &v, &cls, small, sizeof(small)) == -1 &&
		        small[sizeof(small) - 1] == '\0',
		    "convert: reason fits a small buffer");
		TAP_OK(
		    sensor_entity_convert(8, 0, 0, 1, &v, &cls, NULL, 0) == -1,
		    "convert: no reason buffer");
	}
}

static void
test_names(void)
{
	static const struct {
		enum sensor_class c;
		const char *name, *unit;
	} names[] = {
	    {SC_OTHER, "other", ""},
	    {SC_TEMPERATURE, "temperature", "C"},
	    {SC_FANSPEED, "fanspeed", "RPM"},
	    {SC_VOLTAGE, "voltage", "V"},
	    {SC_CURRENT, "current", "A"},
	    {SC_POWER, "power", "W"},
	    {SC_FREQUENCY, "frequency", "Hz"},
	    {SC_HUMIDITY, "humidity", "%RH"},
	    {SC_AIRFLOW, "airflow", "m3/min"},
	    {SC_DBM, "dbm", "dBm"},
	    {SC_STATE, "state", ""},
	    {SC_LOAD, "load", "%"},
	};
	static const char *const states[] = {
	    "unknown", "normal", "warning", "critical", "failed"};
	enum sensor_class c;
	size_t i;

	TAP_OK(sizeof(names) / sizeof(names[0]) == SC_NCLASSES,
	    "names: the table covers every class");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		TAP_STREQ(sensor_class_name(names[i].c), names[i].name,
		    "class %zu is named %s", i, names[i].name);
		TAP_STREQ(sensor_class_unit(names[i].c), names[i].unit,
		    "class %s has unit \"%s\"", names[i].name, names[i].unit);
		c = SC_NCLASSES;
		TAP_OK(sensor_class_parse(names[i].name, &c) == 0 &&
		        c == names[i].c,
		    "parse \"%s\" round trips", names[i].name);
	}
	TAP_OK(
	    sensor_class_parse("Temperature", &c) == 0 && c == SC_TEMPERATURE,
	    "parse is case-insensitive");
	TAP_OK(sensor_class_parse("FANSPEED", &c) == 0 && c == SC_FANSPEED,
	    "parse upper case");
	c = SC_LOAD;
	TAP_OK(sensor_class_parse("temp", &c) == -1 && c == SC_LOAD,
	    "parse unknown name fails, leaves the class");
	TAP_OK(sensor_class_parse("", &c) == -1, "parse empty fails");
	TAP_OK(sensor_class_parse("temperature ", &c) == -1,
	    "parse trailing space fails");
	TAP_STREQ(sensor_class_name(SC_NCLASSES), "?",
	    "out-of-range class has a printable name");
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		TAP_STREQ(sensor_state_name((enum sensor_state)i), states[i],
		    "state %zu is %s", i, states[i]);
	TAP_STREQ(sensor_state_name((enum sensor_state)99), "?",
	    "out-of-range state has a printable name");
}

static void
test_defaults(void)
{
	struct sensor_thresholds t;
	enum sensor_class c;

	sensor_default_thresholds(SC_TEMPERATURE, &t);
	TAP_OK(t.warn_hi == 60 && t.crit_hi == 75 && isnan(t.warn_lo) &&
	        isnan(t.crit_lo) && t.hysteresis == 2,
	    "defaults: temperature 60/75 C, hysteresis 2");
	sensor_default_thresholds(SC_LOAD, &t);
	TAP_OK(t.warn_hi == 85 && t.crit_hi == 95 && isnan(t.warn_lo) &&
	        isnan(t.crit_lo) && t.hysteresis == 2,
	    "defaults: load 85/95 %%, hysteresis 2");
	sensor_default_thresholds(SC_HUMIDITY, &t);
	TAP_OK(t.warn_hi == 70 && t.crit_hi == 85 && t.warn_lo == 20 &&
	        t.crit_lo == 10 && t.hysteresis == 2,
	    "defaults: humidity 20-70 %%RH warning, 10-85 critical");
	for (c = 0; c < SC_NCLASSES; c++) {
		if (c == SC_TEMPERATURE || c == SC_LOAD || c == SC_HUMIDITY)
			continue;
		sensor_default_thresholds(c, &t);
		TAP_OK(isnan(t.warn_hi) && isnan(t.crit_hi) &&
		        isnan(t.warn_lo) && isnan(t.crit_lo) &&
		        t.hysteresis == 0,
		    "defaults: %s has no thresholds", sensor_class_name(c));
	}
}

struct eval_step {
	double value;
	enum sensor_state want;
};

struct eval_case {
	const char *name;
	struct sensor_thresholds t;
	enum sensor_state start;
	struct eval_step steps[10];
	int n;
};

#define TEMP \
	{ \
		60, 75, NAN, NAN, 2 \
	}
#define LOW \
	{ \
		NAN, NAN, 20, 10, 2 \
	}
#define NONE \
	{ \
		NAN, NAN, NAN, NAN, 0 \
	}

static const struct eval_case eval_cases[] = {
    {"temperature hovering at critical", TEMP, SS_UNKNOWN,
        {{74.5, SS_WARNING}, {75.2, SS_CRITICAL}, {74.1, SS_CRITICAL},
            {73.5, SS_CRITICAL}, {72.9, SS_WARNING}, {59.0, SS_WARNING},
            {57.9, SS_NORMAL}},
        7},
    {"temperature rising is immediate", TEMP, SS_NORMAL,
        {{59.9, SS_NORMAL}, {60, SS_WARNING}, {75, SS_CRITICAL}}, 3},
    {"straight from normal to critical", TEMP, SS_NORMAL, {{80, SS_CRITICAL}},
        1},
    {"critical falls below warning: held at warning", TEMP, SS_NORMAL,
        {{80, SS_CRITICAL}, {58.5, SS_WARNING}, {57.9, SS_NORMAL}}, 3},
    {"critical falls far: normal at once", TEMP, SS_NORMAL,
        {{80, SS_CRITICAL}, {20, SS_NORMAL}}, 2},
    {"back past by exactly the hysteresis leaves", TEMP, SS_NORMAL,
        {{75, SS_CRITICAL}, {73, SS_WARNING}, {58, SS_NORMAL}}, 3},
    {"warning hovering at its threshold", TEMP, SS_NORMAL,
        {{60.1, SS_WARNING}, {59.9, SS_WARNING}, {60.3, SS_WARNING},
            {58.1, SS_WARNING}, {57.5, SS_NORMAL}, {59.9, SS_NORMAL}},
        6},
    {"failed part steps down like critical", TEMP, SS_FAILED,
        {{74, SS_CRITICAL}, {72, SS_WARNING}}, 2},
    {"failed part with a normal value", TEMP, SS_FAILED, {{30, SS_NORMAL}}, 1},
    {"low thresholds mirrored", LOW, SS_NORMAL,
        {{20.5, SS_NORMAL}, {19.8, SS_WARNING}, {9.8, SS_CRITICAL},
            {10.9, SS_CRITICAL}, {11.5, SS_CRITICAL}, {12.1, SS_WARNING},
            {21.0, SS_WARNING}, {22.1, SS_NORMAL}},
        8},
    {"low: critical to normal in one step is held at warning", LOW, SS_CRITICAL,
        {{21.5, SS_WARNING}, {25, SS_NORMAL}}, 2},
    {"NaN is unknown", TEMP, SS_CRITICAL, {{NAN, SS_UNKNOWN}, {50, SS_NORMAL}},
        2},
    {"unknown then a value", TEMP, SS_UNKNOWN, {{80, SS_CRITICAL}}, 1},
    {"no thresholds: always normal", NONE, SS_NORMAL,
        {{-1e9, SS_NORMAL}, {0, SS_NORMAL}, {1e12, SS_NORMAL},
            {NAN, SS_UNKNOWN}},
        4},
    {"no thresholds, was failed", NONE, SS_FAILED, {{5, SS_NORMAL}}, 1},
    {"zero hysteresis leaves at once", {60, 75, NAN, NAN, 0}, SS_NORMAL,
        {{75, SS_CRITICAL}, {74.99, SS_WARNING}, {59.99, SS_NORMAL}}, 3},
};

static void
test_evaluate(void)
{
	size_t i;
	int j;

	for (i = 0; i < sizeof(eval_cases) / sizeof(eval_cases[0]); i++) {
		const struct eval_case *c = &eval_cases[i];
		enum sensor_state s = c->start, want;

		for (j = 0; j < c->n; j++) {
			want = c->steps[j].want;
			s = sensor_evaluate(&c->t, s, c->steps[j].value);
			TAP_OK(s == want, "%s: %g -> %s (got %s)", c->name,
			    c->steps[j].value, sensor_state_name(want),
			    sensor_state_name(s));
		}
	}

	/* Humidity defaults: both sides in one run. */
	{
		struct sensor_thresholds t;
		enum sensor_state s = SS_UNKNOWN;

		sensor_default_thresholds(SC_HUMIDITY, &t);
		s = sensor_evaluate(&t, s, 45);
		TAP_OK(s == SS_NORMAL, "humidity 45 is normal");
		s = sensor_evaluate(&t, s, 86);
		TAP_OK(s == SS_CRITICAL, "humidity 86 is critical");
		s = sensor_evaluate(&t, s, 8);
		TAP_OK(s == SS_CRITICAL, "humidity 8 is critical");
		s = sensor_evaluate(&t, s, 13);
		TAP_OK(s == SS_WARNING, "humidity 13 is warning");
		s = sensor_evaluate(&t, s, 50);
		TAP_OK(s == SS_NORMAL, "humidity 50 is normal");
	}
}

int
main(void)
{
	test_convert();
	test_names();
	test_defaults();
	test_evaluate();
	return tap_done();
}
