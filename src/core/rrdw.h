/*
 * rrdw.h - the RRD writer: one file per object (a port, a sensor),
 * created on first use with the standard RRAs, updated from a writer thread
 * through librrd, or through rrdcached when configured.
 */
#ifndef NP_RRDW_H
#define NP_RRDW_H

#include <stddef.h>
#include <stdint.h>

#include "sample.h"
#include "wq.h"

/* An RRD file per object: its data sources are the schema's metrics, all
 * GAUGE (counters arrive as rates). */
struct rrdw_stats {
	struct wq_stats q;
	uint64_t created, updates, errors;
};

struct rrdw;

/*
 * DIR is where files go; RRDCACHED is "" for librrd or an address
 * ("unix:/path", "host:port"). KEEP_STEP is how many seconds the
 * step-resolution archive keeps (>= 2 days unless configured lower).
 */
struct rrdw *rrdw_start(const char *dir, const char *rrdcached, int keep_step,
    int batch_ms, size_t queue_max, char *err, size_t errlen);
void rrdw_stop(struct rrdw *);
void rrdw_flush(struct rrdw *);
void rrdw_get_stats(struct rrdw *, struct rrdw_stats *);

/* Queue an update of PATH; NaN values are written as unknown. */
int rrdw_update(struct rrdw *, const struct sample_schema *, const char *path,
    int step, double t, const double *values);
/*
 * The writer as a sink of the sample stream: a set with a file is queued
 * as an update of that file (one allocation), -1 when the queue is full.
 * The sink does not own the writer: rrdw_stop() it after the stream.
 */
void rrdw_sink(struct rrdw *, struct sample_sink *);

/*
 * A file name part for an object name: letters, digits, '-' and '.' (but
 * not a leading '.') stay, '/' becomes '_', everything else (and '_'
 * itself) becomes %XX, so that names stay readable ("Gi1/0/1" ->
 * "Gi1_0_1"), distinct names never share a file, and no name is "." or
 * "..". Returns -1 if it does not fit.
 */
int rrdw_escape(const char *name, char *buf, size_t len);
/* DIR/DEVICE/port-NAME.rrd, both parts escaped. */
int rrdw_port_path(char *buf, size_t len, const char *dir, const char *device,
    const char *port);
/* DIR/DEVICE/sensor-CLASS-NAME.rrd, the parts escaped. */
int rrdw_sensor_path(char *buf, size_t len, const char *dir, const char *device,
    const char *cls, const char *name);

/* The rrdtool create arguments (DS and RRA lines) for a schema and step. */
int rrdw_create_args(const struct sample_schema *, int step, int keep_step,
    char args[][64], int max);

#endif
