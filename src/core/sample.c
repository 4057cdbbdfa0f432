/*
 * sample.c - sample sets and the stream of sinks (see sample.h).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sample.h"

#define C SAMPLE_COUNTER
const struct sample_schema sample_port_schema = {"port", SAMPLE_PORT_N,
    {
        "in_octets",
        "out_octets",
        "in_ucast",
        "out_ucast",
        "in_mcast",
        "out_mcast",
        "in_bcast",
        "out_bcast",
        "in_errors",
        "out_errors",
        "in_discards",
        "out_discards",
    },
    {C, C, C, C, C, C, C, C, C, C, C, C}, 0};
#undef C

const struct sample_schema sample_sensor_schema = {
    "sensor", 1, {"value"}, {SAMPLE_GAUGE}, 1};

void
sample_set_init(struct sample_set *s, const struct sample_schema *schema,
    const char *device, const char *object, const char *cls, const char *file,
    int step, double t)
{
	s->device = device;
	s->object = object;
	s->cls = cls;
	s->schema = schema;
	s->file = file ? file : "";
	s->step = step > 0 ? step : 1;
	s->t = t;
	s->raw_have = 0;
	for (int i = 0; i < schema->n; i++)
		s->v[i] = NAN;
}

int
sample_metric(const struct sample_schema *schema, const char *name)
{
	for (int i = 0; i < schema->n; i++)
		if (strcmp(schema->metric[i], name) == 0)
			return i;
	return -1;
}

void
sample_stream_init(struct sample_stream *st)
{
	memset(st, 0, sizeof(*st));
}

int
sample_stream_add(struct sample_stream *st, const struct sample_sink *sk,
    char *err, size_t errlen)
{
	if (sk->put == NULL) {
		snprintf(err, errlen, "sample sink %s: no put function",
		    sk->name ? sk->name : "?");
		return -1;
	}
	if (st->n == SAMPLE_MAX_SINKS) {
		snprintf(err, errlen, "sample sink %s: more than %d sinks",
		    sk->name ? sk->name : "?", SAMPLE_MAX_SINKS);
		return -1;
	}
	st->sink[st->n] = *sk;
	st->sets[st->n] = st->dropped[st->n] = 0;
	st->n++;
	return 0;
}

int
sample_emit(struct sample_stream *st, const struct sample_set *s)
{
	int rc = 0;

	for (int i = 0; i < st->n; i++) {
		if (st->sink[i].put(st->sink[i].arg, s) == -1) {
			st->dropped[i]++;
			rc = -1;
		} else
			st->sets[i]++;
	}
	return rc;
}

int
sample_stream_stats(
    const struct sample_stream *st, int i, struct sample_sink_stats *out)
{
	if (i < 0 || i >= st->n)
		return -1;
	out->name = st->sink[i].name ? st->sink[i].name : "";
	out->sets = st->sets[i];
	out->dropped = st->dropped[i];
	return 0;
}

void
sample_stream_free(struct sample_stream *st)
{
	for (int i = 0; i < st->n; i++)
		if (st->sink[i].free)
			st->sink[i].free(st->sink[i].arg);
	st->n = 0;
}
