/*
 * sample.h - the sample, one of netpatrol's two currencies (DESIGN.md):
 * what a source measured of an object of a device at a time. Samples come
 * in sets, one per object and poll (a port's twelve rates in one record,
 * a sensor's value), built on the source's stack and handed to every sink
 * of the stream in turn: the RRD writer now, a last-value cache for the UI
 * and /metrics, threshold rules and exporters later. Emitting allocates
 * nothing; a sink that keeps a set copies what it needs.
 */
#ifndef NP_SAMPLE_H
#define NP_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#define SAMPLE_MAX 16 /* metrics in a set */
#define SAMPLE_MAX_SINKS 8

enum sample_kind {
	SAMPLE_GAUGE = 0, /* a level: the value as read (temperature, %) */
	SAMPLE_COUNTER, /* a counter: its rate per second (wraps and
	                   discontinuities handled by the source), and the
	                   counter as read in raw[] */
};

/* What a kind of object's sets hold: their metrics, in order. */
struct sample_schema {
	const char *name; /* "port", "sensor" */
	int n;
	const char *metric[SAMPLE_MAX];
	enum sample_kind kind[SAMPLE_MAX];
	int negative; /* values may be below 0 (dBm, temperatures) */
};

/* A port: the IF-MIB counters as rates (octets and packets per second). */
enum {
	SAMPLE_PORT_IN_OCTETS,
	SAMPLE_PORT_OUT_OCTETS,
	SAMPLE_PORT_IN_UCAST,
	SAMPLE_PORT_OUT_UCAST,
	SAMPLE_PORT_IN_MCAST,
	SAMPLE_PORT_OUT_MCAST,
	SAMPLE_PORT_IN_BCAST,
	SAMPLE_PORT_OUT_BCAST,
	SAMPLE_PORT_IN_ERRORS,
	SAMPLE_PORT_OUT_ERRORS,
	SAMPLE_PORT_IN_DISCARDS,
	SAMPLE_PORT_OUT_DISCARDS,
	SAMPLE_PORT_N
};
extern const struct sample_schema sample_port_schema;
/* A sensor: one gauge, "value", in its class's unit. */
extern const struct sample_schema sample_sensor_schema;

/* One object's samples of one time. */
struct sample_set {
	const char *device;
	const char *object; /* port name, sensor name */
	const char *cls; /* sensor class ("temperature"), NULL for a port */
	const struct sample_schema *schema;
	/* the object's RRD file, named once by its source (rrdw_*_path),
	   "" for none: file sinks write it, others ignore it */
	const char *file;
	int step; /* seconds between samples (the poll interval) */
	double t; /* when measured (epoch seconds) */
	double v[SAMPLE_MAX]; /* by schema->metric; NaN when not known */
	uint64_t raw[SAMPLE_MAX]; /* counters as read, where raw_have says */
	uint32_t raw_have; /* bit per metric */
};

/* Start a set: no values known yet. */
void sample_set_init(struct sample_set *, const struct sample_schema *,
    const char *device, const char *object, const char *cls, const char *file,
    int step, double t);
/* The index of metric NAME in SCHEMA, or -1. */
int sample_metric(const struct sample_schema *, const char *name);

/*
 * A consumer of sets. PUT returns 0, or -1 when it had to drop the set
 * (a full queue): the stream counts it. FREE, if any, is called with ARG
 * when the stream is freed.
 */
struct sample_sink {
	const char *name;
	int (*put)(void *arg, const struct sample_set *);
	void (*free)(void *arg);
	void *arg;
};

struct sample_sink_stats {
	const char *name;
	uint64_t sets, dropped;
};

/* Every sink, in the order added. */
struct sample_stream {
	struct sample_sink sink[SAMPLE_MAX_SINKS];
	uint64_t sets[SAMPLE_MAX_SINKS], dropped[SAMPLE_MAX_SINKS];
	int n;
};

void sample_stream_init(struct sample_stream *);
int sample_stream_add(struct sample_stream *, const struct sample_sink *,
    char *err, size_t errlen);
/* Give SET to every sink: 0, or -1 when any of them dropped it. */
int sample_emit(struct sample_stream *, const struct sample_set *);
/* Sink I's counters; -1 past the last. */
int sample_stream_stats(
    const struct sample_stream *, int i, struct sample_sink_stats *);
void sample_stream_free(struct sample_stream *);

#endif
