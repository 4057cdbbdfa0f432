/*
 * promrw.h - Prometheus remote write 1.0, the encoding: a WriteRequest
 * (protobuf) of time series, each its labels and one sample, compressed
 * with snappy's block format, as the receivers take it (Prometheus'
 * prompb/remote.proto and types.proto).
 */
#ifndef NP_PROMRW_H
#define NP_PROMRW_H

#include <stddef.h>
#include <stdint.h>

#include "sample.h"

/* A growing buffer of bytes. */
struct pbuf {
	char *p;
	size_t len, cap;
};
void pbuf_free(struct pbuf *);

struct promrw_label {
	const char *name, *value;
};

#define PROMRW_LABELS 16 /* of a series, with the extra ones */
#define PROMRW_NAME 128 /* a metric's name */

/*
 * Append to B a WriteRequest's field 1, a TimeSeries: LABELS (N, sorted
 * here by name, as receivers require; "__name__" among them), one sample.
 * 0, or -1 out of memory (B as it was).
 */
int promrw_series(struct pbuf *b, struct promrw_label *labels, int n,
    double value, int64_t ts_ms);

/*
 * The name of metric I of sets of SCHEMA (netpatrol_port_receive_bytes_per_
 * second, netpatrol_sensor_value, ...), into NAME.
 */
void promrw_metric_name(const struct sample_schema *schema, int i,
    char *name, size_t len);

/*
 * SET's samples appended to B as series, with the EXTRA labels (N): the
 * series appended (values not known are left out), -1 out of memory.
 */
int promrw_set(struct pbuf *b, const struct sample_set *set,
    const struct promrw_label *extra, int n);

/* IN (a WriteRequest) compressed into OUT (allocated); -1 on an error. */
int promrw_compress(const char *in, size_t n, char **out, size_t *outlen);

#endif
