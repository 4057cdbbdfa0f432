/*
 * sensor.h - hardware and host health values: conversion of what agents
 * report into real units, and their state (normal, warning, critical,
 * failed) from thresholds with hysteresis, so a value hovering at a
 * threshold does not flap.
 */
#ifndef NP_SENSOR_H
#define NP_SENSOR_H

#include <stddef.h>
#include <stdint.h>

enum sensor_class {
	SC_OTHER = 0,
	SC_TEMPERATURE,         /* degrees C */
	SC_FANSPEED,            /* RPM */
	SC_VOLTAGE,             /* V */
	SC_CURRENT,             /* A */
	SC_POWER,               /* W */
	SC_FREQUENCY,           /* Hz */
	SC_HUMIDITY,            /* percent RH */
	SC_AIRFLOW,             /* cubic metres per minute */
	SC_DBM,                 /* dBm (optics) */
	SC_STATE,               /* a status code, no unit */
	SC_LOAD,                /* percent: CPU load, memory, storage use */
	SC_NCLASSES
};

enum sensor_state {
	SS_UNKNOWN = 0,         /* no value, or a value that makes no sense */
	SS_NORMAL,
	SS_WARNING,
	SS_CRITICAL,
	SS_FAILED,              /* the device says the part has failed */
};

const char *sensor_class_name(enum sensor_class);      /* "temperature" */
const char *sensor_class_unit(enum sensor_class);      /* "C", "RPM", "" */
int sensor_class_parse(const char *, enum sensor_class *);
const char *sensor_state_name(enum sensor_state);      /* "normal" */

/*
 * ENTITY-SENSOR-MIB (RFC 3433): entPhySensorType TYPE, entPhySensorScale
 * SCALE (1 yocto .. 9 units .. 17 yotta), entPhySensorPrecision PRECISION
 * (-8..9) and entPhySensorValue RAW to a value in real units and a class.
 * Returns -1 with the reason in WHY for what cannot be converted (scale or
 * precision out of range, a negative RPM, a type that is not a quantity):
 * such a sensor is unknown, never zero.
 */
int sensor_entity_convert(int type, int scale, int precision, int64_t raw,
	double *value, enum sensor_class *cls, char *why, size_t whylen);

/* Thresholds; NAN where there is none. */
struct sensor_thresholds {
	double warn_hi, crit_hi;        /* above: warning, critical */
	double warn_lo, crit_lo;        /* below: warning, critical */
	double hysteresis;              /* how far back past a threshold to leave it */
};

/* The usual thresholds of a class (temperature 60/75 C, load 85/95 %...). */
void sensor_default_thresholds(enum sensor_class, struct sensor_thresholds *);

/*
 * The state of VALUE given thresholds T and the state PREV it was in: a
 * state is entered when the value crosses its threshold and left only when
 * the value is back past it by the hysteresis.
 */
enum sensor_state sensor_evaluate(const struct sensor_thresholds *t,
	enum sensor_state prev, double value);

#endif
