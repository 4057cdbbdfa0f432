/*
 * promrw.c - the remote write encoding (promrw.h): protobuf by hand, a
 * handful of fields, and snappy (libsnappy's C interface).
 *
 *	WriteRequest { repeated TimeSeries timeseries = 1; }
 *	TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *	Label        { string name = 1; string value = 2; }
 *	Sample       { double value = 1; int64 timestamp = 2; }  (ms)
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <snappy-c.h>

#include "promrw.h"

void
pbuf_free(struct pbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static int
pbuf_room(struct pbuf *b, size_t n)
{
	char *p;
	size_t cap;

	if (b->cap - b->len >= n)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap - b->len < n)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* (room made by the caller) */
static void
put_varint(struct pbuf *b, uint64_t v)
{
	while (v >= 0x80) {
		b->p[b->len++] = (char)(v | 0x80);
		v >>= 7;
	}
	b->p[b->len++] = (char)v;
}

static size_t
varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* A length-delimited field's tag and length. */
static void
put_ld(struct pbuf *b, int field, size_t len)
{
	put_varint(b, (uint64_t)field << 3 | 2);
	put_varint(b, len);
}

static int
label_cmp(const void *a, const void *b)
{
	return strcmp(((const struct promrw_label *)a)->name,
	    ((const struct promrw_label *)b)->name);
}

int
promrw_series(struct pbuf *b, struct promrw_label *labels, int n,
    double value, int64_t ts_ms)
{
	size_t ll[PROMRW_LABELS], sl, tl = 0;
	uint64_t bits;

	if (n > PROMRW_LABELS)
		n = PROMRW_LABELS;
	qsort(labels, (size_t)n, sizeof(*labels), label_cmp);
	for (int i = 0; i < n; i++) {
		size_t kn = strlen(labels[i].name), vn = strlen(labels[i].value);

		ll[i] = 1 + varint_len(kn) + kn + 1 + varint_len(vn) + vn;
		tl += 1 + varint_len(ll[i]) + ll[i];
	}
	sl = 1 + 8 + 1 + varint_len((uint64_t)ts_ms);
	tl += 1 + varint_len(sl) + sl;
	if (pbuf_room(b, 1 + varint_len(tl) + tl) == -1)
		return -1;
	put_ld(b, 1, tl); /* WriteRequest.timeseries */
	for (int i = 0; i < n; i++) {
		size_t kn = strlen(labels[i].name), vn = strlen(labels[i].value);

		put_ld(b, 1, ll[i]); /* TimeSeries.labels */
		put_ld(b, 1, kn);
		memcpy(b->p + b->len, labels[i].name, kn);
		b->len += kn;
		put_ld(b, 2, vn);
		memcpy(b->p + b->len, labels[i].value, vn);
		b->len += vn;
	}
	put_ld(b, 2, sl); /* TimeSeries.samples */
	b->p[b->len++] = (char)(1 << 3 | 1); /* value: fixed64 */
	memcpy(&bits, &value, 8);
	for (int i = 0; i < 8; i++) /* little-endian */
		b->p[b->len++] = (char)(bits >> (8 * i));
	b->p[b->len++] = (char)(2 << 3 | 0); /* timestamp: varint */
	put_varint(b, (uint64_t)ts_ms);
	return 0;
}

/* The port's metrics as /metrics names them (http_metrics.c). */
static const char *const port_names[SAMPLE_PORT_N] = {
    [SAMPLE_PORT_IN_OCTETS] = "receive_bytes",
    [SAMPLE_PORT_OUT_OCTETS] = "transmit_bytes",
    [SAMPLE_PORT_IN_UCAST] = "receive_unicast_packets",
    [SAMPLE_PORT_OUT_UCAST] = "transmit_unicast_packets",
    [SAMPLE_PORT_IN_MCAST] = "receive_multicast_packets",
    [SAMPLE_PORT_OUT_MCAST] = "transmit_multicast_packets",
    [SAMPLE_PORT_IN_BCAST] = "receive_broadcast_packets",
    [SAMPLE_PORT_OUT_BCAST] = "transmit_broadcast_packets",
    [SAMPLE_PORT_IN_ERRORS] = "receive_errors",
    [SAMPLE_PORT_OUT_ERRORS] = "transmit_errors",
    [SAMPLE_PORT_IN_DISCARDS] = "receive_discards",
    [SAMPLE_PORT_OUT_DISCARDS] = "transmit_discards",
};

/* S with what a metric name may not hold made '_'. */
static void
name_clean(char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		        (*s >= '0' && *s <= '9') || *s == '_' || *s == ':'))
			*s = '_';
}

void
promrw_metric_name(const struct sample_schema *schema, int i, char *name,
    size_t len)
{
	const char *m = schema->metric[i];

	if (strcmp(schema->name, "port") == 0 && i < SAMPLE_PORT_N)
		m = port_names[i];
	/* counters are sent as netpatrol measured them: rates */
	snprintf(name, len, "netpatrol_%s_%s%s", schema->name, m,
	    schema->kind[i] == SAMPLE_COUNTER ? "_per_second" : "");
	name_clean(name);
}

int
promrw_set(struct pbuf *b, const struct sample_set *set,
    const struct promrw_label *extra, int n)
{
	struct promrw_label l[PROMRW_LABELS];
	char name[PROMRW_NAME];
	int64_t ts = (int64_t)llround(set->t * 1000.0);
	int k, sent = 0;

	for (int i = 0; i < set->schema->n; i++) {
		if (isnan(set->v[i]) || isinf(set->v[i]))
			continue;
		promrw_metric_name(set->schema, i, name, sizeof(name));
		k = 0;
		l[k++] = (struct promrw_label){"__name__", name};
		l[k++] = (struct promrw_label){"device", set->device};
		/* the object, by its kind: port, sensor, link, probe */
		if (set->object && set->object[0])
			l[k++] = (struct promrw_label){set->schema->name,
			    set->object};
		if (set->cls && set->cls[0])
			l[k++] = (struct promrw_label){"class", set->cls};
		/* extra labels do not replace the series' own */
		for (int e = 0; e < n && k < PROMRW_LABELS; e++) {
			int dup = 0;

			for (int j = 0; j < k; j++)
				dup |= strcmp(l[j].name, extra[e].name) == 0;
			if (!dup)
				l[k++] = extra[e];
		}
		if (promrw_series(b, l, k, set->v[i], ts) == -1)
			return -1;
		sent++;
	}
	return sent;
}

int
promrw_compress(const char *in, size_t n, char **out, size_t *outlen)
{
	size_t max = snappy_max_compressed_length(n);

	if ((*out = malloc(max ? max : 1)) == NULL)
		return -1;
	*outlen = max;
	if (snappy_compress(in, n, *out, outlen) != SNAPPY_OK) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}
