/*
 * test_sample.c - sample sets and the stream: the port and sensor schemas
 * (the RRD files' data sources, in order), a set's start, sinks in order,
 * drops counted per sink, the table's bound.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sample.h"
#include "tap.h"

struct rec {
	int calls;
	int refuse;
	char last[64];
	double v0;
	int order;
};

static int order;

static int
rec_put(void *arg, const struct sample_set *s)
{
	struct rec *r = arg;

	r->calls++;
	r->order = ++order;
	snprintf(r->last, sizeof(r->last), "%s/%s", s->device, s->object);
	r->v0 = s->v[0];
	return r->refuse ? -1 : 0;
}

static int freed;

static void
rec_free(void *arg)
{
	(void)arg;
	freed++;
}

static void
test_schemas(void)
{
	static const char *port[] = {"in_octets", "out_octets", "in_ucast",
	    "out_ucast", "in_mcast", "out_mcast", "in_bcast", "out_bcast",
	    "in_errors", "out_errors", "in_discards", "out_discards"};
	int all = 1;

	TAP_OK(sample_port_schema.n == SAMPLE_PORT_N && SAMPLE_PORT_N == 12,
	    "a port has 12 metrics");
	for (int i = 0; i < SAMPLE_PORT_N; i++)
		all &= strcmp(sample_port_schema.metric[i], port[i]) == 0 &&
		    sample_port_schema.kind[i] == SAMPLE_COUNTER;
	TAP_OK(all, "port metrics in the RRD files' order, all counters");
	TAP_OK(!sample_port_schema.negative, "port rates are never negative");
	TAP_OK(sample_sensor_schema.n == 1 &&
	        strcmp(sample_sensor_schema.metric[0], "value") == 0 &&
	        sample_sensor_schema.kind[0] == SAMPLE_GAUGE &&
	        sample_sensor_schema.negative,
	    "a sensor: one gauge, value, may be negative");
	TAP_OK(sample_metric(&sample_port_schema, "out_errors") ==
	        SAMPLE_PORT_OUT_ERRORS,
	    "a metric found by name");
	TAP_OK(sample_metric(&sample_port_schema, "nope") == -1,
	    "an unknown metric is -1");
}

static void
test_set(void)
{
	struct sample_set s;
	int nan = 1;

	memset(&s, 0x55, sizeof(s));
	sample_set_init(
	    &s, &sample_port_schema, "sw1", "Gi1/0/1", NULL, NULL, 0, 12.5);
	for (int i = 0; i < SAMPLE_PORT_N; i++)
		nan &= isnan(s.v[i]);
	TAP_OK(nan, "a new set knows no value");
	TAP_OK(s.raw_have == 0, "nor any raw counter");
	TAP_STREQ(s.file, "", "no file is \"\"");
	TAP_OK(s.step == 1, "a step of 0 is 1 s");
	TAP_OK(s.t == 12.5 && strcmp(s.device, "sw1") == 0 &&
	        strcmp(s.object, "Gi1/0/1") == 0 && s.cls == NULL,
	    "device, object, time as given");
	sample_set_init(&s, &sample_sensor_schema, "sw1", "Inlet",
	    "temperature", "/r/sw1/sensor-temperature-Inlet.rrd", 60, 1);
	TAP_OK(s.step == 60 && strcmp(s.cls, "temperature") == 0 &&
	        strcmp(s.file, "/r/sw1/sensor-temperature-Inlet.rrd") == 0,
	    "a sensor's set: class, file, step");
}

static void
test_stream(void)
{
	struct sample_stream st;
	struct sample_sink sk;
	struct sample_sink_stats ss;
	struct sample_set s;
	struct rec a = {0}, b = {0};
	char err[128];
	int i;

	sample_stream_init(&st);
	sample_set_init(&s, &sample_sensor_schema, "d", "o", "load", "", 1, 1);
	s.v[0] = 42;
	TAP_OK(sample_emit(&st, &s) == 0, "a stream without sinks takes sets");

	memset(&sk, 0, sizeof(sk));
	sk.name = "a";
	sk.put = rec_put;
	sk.free = rec_free;
	sk.arg = &a;
	TAP_OK(sample_stream_add(&st, &sk, err, sizeof(err)) == 0, "sink a");
	sk.name = "b";
	sk.arg = &b;
	TAP_OK(sample_stream_add(&st, &sk, err, sizeof(err)) == 0, "sink b");
	sk.put = NULL;
	TAP_OK(sample_stream_add(&st, &sk, err, sizeof(err)) == -1 &&
	        strstr(err, "no put") != NULL,
	    "a sink without put is refused: %s", err);

	TAP_OK(sample_emit(&st, &s) == 0, "both take the set");
	TAP_OK(a.calls == 1 && b.calls == 1 && a.order < b.order,
	    "every sink, in the order added");
	TAP_OK(strcmp(b.last, "d/o") == 0 && b.v0 == 42, "the set as emitted");
	b.refuse = 1;
	TAP_OK(sample_emit(&st, &s) == -1, "a sink that drops: -1");
	TAP_OK(a.calls == 2 && b.calls == 2, "the others still get it");
	TAP_OK(sample_stream_stats(&st, 0, &ss) == 0 && ss.sets == 2 &&
	        ss.dropped == 0 && strcmp(ss.name, "a") == 0,
	    "a: 2 sets, none dropped");
	TAP_OK(sample_stream_stats(&st, 1, &ss) == 0 && ss.sets == 1 &&
	        ss.dropped == 1,
	    "b: 1 set, 1 dropped");
	TAP_OK(sample_stream_stats(&st, 2, &ss) == -1, "no third sink");

	sk.put = rec_put;
	for (i = 2; i < SAMPLE_MAX_SINKS; i++)
		sample_stream_add(&st, &sk, err, sizeof(err));
	TAP_OK(sample_stream_add(&st, &sk, err, sizeof(err)) == -1,
	    "at most %d sinks: %s", SAMPLE_MAX_SINKS, err);
	sample_stream_free(&st);
	TAP_OK(freed == SAMPLE_MAX_SINKS && st.n == 0,
	    "free: each sink's free called");
}

int
main(void)
{
	test_schemas();
	test_set();
	test_stream();
	return tap_done();
}
