/*
 * test_promrw.c - the remote write encoding: a port's and a sensor's sets
 * as a WriteRequest, read back with a protobuf reader of the test's own
 * after a snappy round trip: series, sorted labels, names, values, times.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <snappy-c.h>

#include "promrw.h"
#include "tap.h"

struct rd {
	const unsigned char *p, *end;
	int bad;
};

static uint64_t
rd_varint(struct rd *r)
{
	uint64_t v = 0;

	for (int s = 0; s < 64 && r->p < r->end; s += 7) {
		unsigned char c = *r->p++;

		v |= (uint64_t)(c & 0x7f) << s;
		if (!(c & 0x80))
			return v;
	}
	r->bad = 1;
	return 0;
}

/* A length-delimited field of R: its bytes in SUB. */
static int
rd_ld(struct rd *r, int *field, struct rd *sub)
{
	uint64_t tag, len;

	if (r->p >= r->end)
		return 0;
	tag = rd_varint(r);
	*field = (int)(tag >> 3);
	if ((tag & 7) != 2) {
		r->bad = 1;
		return 0;
	}
	len = rd_varint(r);
	if (len > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return 0;
	}
	sub->p = r->p;
	sub->end = r->p + len;
	sub->bad = 0;
	r->p += len;
	return 1;
}

struct series {
	char labels[512]; /* name=value,... in order */
	double value;
	int64_t ts;
};

static int
decode(const char *buf, size_t n, struct series *out, int max)
{
	struct rd r = {(const unsigned char *)buf,
	    (const unsigned char *)buf + n, 0};
	struct rd ts, x, f;
	int field, k = 0;

	while (k < max && rd_ld(&r, &field, &ts)) {
		struct series *s = &out[k++];

		memset(s, 0, sizeof(*s));
		if (field != 1)
			return -1;
		while (ts.p < ts.end) {
			if (!rd_ld(&ts, &field, &x))
				return -1;
			if (field == 1) { /* Label */
				char kv[2][128] = {"", ""};

				while (x.p < x.end) {
					int lf;

					if (!rd_ld(&x, &lf, &f) || lf < 1 || lf > 2)
						return -1;
					snprintf(kv[lf - 1], sizeof(kv[0]), "%.*s",
					    (int)(f.end - f.p), f.p);
				}
				snprintf(s->labels + strlen(s->labels),
				    sizeof(s->labels) - strlen(s->labels),
				    "%s%s=%s", s->labels[0] ? "," : "", kv[0],
				    kv[1]);
			} else if (field == 2) { /* Sample */
				uint64_t bits = 0;

				if (x.end - x.p < 10 || x.p[0] != 0x09)
					return -1;
				for (int i = 0; i < 8; i++)
					bits |= (uint64_t)x.p[1 + i] << (8 * i);
				memcpy(&s->value, &bits, 8);
				x.p += 9;
				if (*x.p++ != 0x10)
					return -1;
				s->ts = (int64_t)rd_varint(&x);
			} else
				return -1;
		}
	}
	return r.bad ? -1 : k;
}

int
main(void)
{
	struct pbuf b = {NULL, 0, 0};
	struct sample_set port, sensor;
	struct promrw_label extra[] = {{"site", "ams1"}, {"device", "spoof"}};
	struct series s[32];
	char *z, *back;
	size_t zn, backn;
	int n;

	sample_set_init(&port, &sample_port_schema, "sw1", "Gi1/0/1", NULL,
	    "", 60, 1700000000.25);
	for (int i = 0; i < SAMPLE_PORT_N; i++)
		port.v[i] = NAN;
	port.v[SAMPLE_PORT_IN_OCTETS] = 1250.5;
	port.v[SAMPLE_PORT_OUT_DISCARDS] = 0;
	n = promrw_set(&b, &port, extra, 2);
	TAP_OK(n == 2, "a port: the two known values (%d)", n);
	sample_set_init(&sensor, &sample_sensor_schema, "sw1", "CPU", "temperature",
	    "", 60, 1700000001);
	sensor.v[0] = -3.5;
	TAP_OK(promrw_set(&b, &sensor, NULL, 0) == 1, "a sensor: one");

	TAP_OK(promrw_compress(b.p, b.len, &z, &zn) == 0, "compressed");
	TAP_OK(snappy_uncompressed_length(z, zn, &backn) == SNAPPY_OK &&
	        backn == b.len,
	    "snappy says its length (%zu)", backn);
	back = malloc(backn);
	TAP_OK(snappy_uncompress(z, zn, back, &backn) == SNAPPY_OK &&
	        memcmp(back, b.p, b.len) == 0,
	    "and gives it back");
	n = decode(back, backn, s, 32);
	TAP_OK(n == 3, "three series read back (%d)", n);
	if (n == 3) {
		TAP_STREQ(s[0].labels,
		    "__name__=netpatrol_port_receive_bytes_per_second,"
		    "device=sw1,port=Gi1/0/1,site=ams1",
		    "labels sorted; the series' device wins over an extra one");
		TAP_OK(s[0].value == 1250.5 && s[0].ts == 1700000000250,
		    "value and time in ms");
		TAP_STREQ(s[1].labels,
		    "__name__=netpatrol_port_transmit_discards_per_second,"
		    "device=sw1,port=Gi1/0/1,site=ams1",
		    "a zero is a value");
		TAP_OK(s[1].value == 0, "0");
		TAP_STREQ(s[2].labels,
		    "__name__=netpatrol_sensor_value,class=temperature,"
		    "device=sw1,sensor=CPU",
		    "a sensor: its class");
		TAP_OK(s[2].value == -3.5 && s[2].ts == 1700000001000,
		    "a negative value");
	}
	{
		char name[PROMRW_NAME];
		struct sample_schema odd = {"we ird", 1, {"a-b"},
		    {SAMPLE_GAUGE}, 0};

		promrw_metric_name(&odd, 0, name, sizeof(name));
		TAP_STREQ(name, "netpatrol_we_ird_a_b", "names made valid");
	}
	free(back);
	free(z);
	pbuf_free(&b);
	return tap_done();
}
