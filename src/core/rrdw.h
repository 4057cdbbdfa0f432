/*
 * rrdw.h - the RRD writer: one file per object (a port, a sensor),
 * created on first use with the standard RRAs, updated from a writer thread
 * through librrd, or through rrdcached when configured.
 *
 * With librrd the writer keeps each file's updates (in memory, and in a
 * journal, rrdjournal.h) and writes them with one rrd_update of several
 * values when the file holds BATCH of them, or when its oldest is older
 * than a delay drawn for it between half of WRITE_DELAY and WRITE_DELAY,
 * as rrdcached does: one open of the file for several steps. Readers
 * flush the files they read first (rrdw_flush).
 */
#ifndef NP_RRDW_H
#define NP_RRDW_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <event2/event.h>

#include "sample.h"
#include "wq.h"

/* An RRD file per object: its data sources are the schema's metrics, all
 * GAUGE (counters arrive as rates). */
struct rrdw_stats {
	struct wq_stats q;
	uint64_t created, updates, errors;
	uint64_t writes; /* rrd_update calls (each of one or more values) */
	uint64_t accepted; /* updates the writer took (kept or written) */
	uint64_t pending, pending_files, pending_bytes; /* kept now */
	uint64_t creating; /* updates waiting for their file to be created */
	uint64_t out_of_order; /* not after the file's last: dropped */
	uint64_t flushes; /* flush requests (readers, control, reload) */
	uint64_t lock_waits; /* updates tried again: a reader held the file */
	uint64_t early; /* files written early: memory or journal bound */
	uint64_t replayed, replay_skipped, replay_dropped, replay_bad;
	uint64_t journal_bytes, journal_rewrites, journal_errors;
};

/* The writer's settings. */
struct rrdw_conf {
	const char *dir; /* the files */
	const char *rrdcached; /* "" for librrd, or an address */
	const char *journal; /* the journal's path ("" for none) */
	int keep_step; /* seconds of step-resolution archive */
	int batch_ms; /* the queue's batch window */
	size_t queue_max; /* the queue's bound */
	int write_delay; /* seconds an update may wait; 0 = at once */
	int batch; /* values per file that make it written at once */
	size_t pending_max; /* bytes kept in memory before writing early */
};

struct rrdw;

/* the journal, in the state dir */
#define RRDW_JOURNAL_FILE "rrd.journal"

/*
 * RRDCACHED is "" for librrd or an address ("unix:/path", "host:port").
 * KEEP_STEP is how many seconds the step-resolution archive keeps (>= 2
 * days unless configured lower). The journal is replayed (and the files
 * written) before it returns.
 */
struct rrdw *rrdw_start(const struct rrdw_conf *, char *err, size_t errlen);
/* Write everything queued and kept, then stop. */
void rrdw_stop(struct rrdw *);

/* What a flush did. */
struct rrdw_flushed {
	uint64_t files, values, errors;
};

/*
 * Write the updates kept for PATH (NULL: for every file), and those queued
 * before. WAIT: until they are written (OUT then says what was done);
 * else only asked for. -1 when the queue is full.
 */
int rrdw_flush(struct rrdw *, const char *path, int wait,
    struct rrdw_flushed *out);
/*
 * As rrdw_flush without waiting, and EV made active (event_active, from
 * the writer's thread: the base is thread-aware) once the updates are
 * written: a loop that must not block waits for that. The caller keeps EV
 * until then (rrdw_sync before freeing it). -1 when the queue is full: EV
 * is never made active.
 */
int rrdw_flush_notify(struct rrdw *, const char *path, struct event *ev);
/* Return once the writer has taken everything queued before. */
void rrdw_sync(struct rrdw *);
void rrdw_get_stats(struct rrdw *, struct rrdw_stats *);
/* The files' folder. */
const char *rrdw_dir(const struct rrdw *);

/*
 * rrdcached over TCP ("host:port", "[v6]:port"; not "unix:/path" or
 * "/path"): it may be on another machine, shared by several nodes, and
 * knows the files by names relative to its base directory (rrdcached -b),
 * creating their folders itself (-R). rrdw_cached_remote says whether ADDR
 * is such; rrdw_cached_name gives the name the daemon at ADDR knows PATH
 * (a file under DIR) by: relative to DIR when remote, else PATH itself.
 */
int rrdw_cached_remote(const char *addr);
const char *rrdw_cached_name(const char *addr, const char *dir,
    const char *path);
/*
 * rrd_fetch_r's contract (CF, START, END, STEP, DS count and names, data)
 * for FILE under DIR: through rrdcached at ADDR when it is remote (the
 * files are there, not here), else read here. 0, or -1 (rrd_get_error).
 */
int rrdw_fetch(const char *addr, const char *dir, const char *file,
    const char *cf, time_t *start, time_t *end, unsigned long *step,
    unsigned long *ds_cnt, char ***ds_names, double **data);

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
