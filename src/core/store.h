/*
 * store.h - the sqlite store: inventory, ports, poll statistics, events,
 * traps and syslog messages.
 * All of netpatrol's SQL lives in the store's files (store*.c). The daemon
 * writes through a bounded queue drained in batches by a writer thread; the
 * CLI reads.
 */
#ifndef NP_STORE_H
#define NP_STORE_H

#include <stdint.h>

#include <event2/event.h>

#include "conf.h"
#include "event.h"
#include "finding.h"
#include "wq.h"

#define STORE_FILE "netpatrol.db"
/* the syslog messages' own database, beside it (store_logdb.c) */
#define STORE_LOG_FILE "syslog.db"

struct store;

struct store_device {
	char name[NP_NAME_MAX];
	/* not stored: in a cluster, the node polling it ("" none known) */
	char node[NP_NAME_MAX];
	char address[NP_STR_MAX];
	int port;
	int snmp_version;
	char location[NP_STR_MAX];
	char role[NP_NAME_MAX];
	char owner[NP_NAME_MAX];
	char sys_name[NP_STR_MAX];
	char sys_descr[512];
	char sys_object_id[NP_STR_MAX];
	uint64_t sys_uptime; /* hundredths of a second, at last_ok */
	int reachable; /* 1, 0, or -1 unknown */
	double last_poll; /* epoch seconds, 0 never */
	double last_ok;
	int configured; /* 0 once removed from the config */
	int nports; /* read side only */
};

struct store_port {
	char device[NP_NAME_MAX];
	char name[NP_STR_MAX]; /* identity: ifName, else ifDescr */
	int ifindex;
	char descr[NP_STR_MAX];
	char alias[NP_STR_MAX];
	int type; /* ifType */
	uint64_t speed_bps;
	int admin_status; /* IF-MIB values: 1 up, 2 down, 3 testing */
	int oper_status; /* 1 up ... 7 lowerLayerDown */
	uint64_t last_change; /* sysUpTime ticks at the last change */
	double in_bps, out_bps; /* NAN when unknown */
	double in_pps, out_pps;
	double in_errors, out_errors; /* per second */
	double in_discards, out_discards;
	int hc; /* 64-bit counters in use */
	double updated;
	char rrd[512];
	/* counter baselines (ifmib's text: bits:value:time per data source),
	 * so that a restart goes on computing rates without a gap */
	char counters[640];
};

struct store_stats {
	char device[NP_NAME_MAX];
	uint64_t polls, polls_ok, polls_failed;
	double last_start;
	double last_duration; /* seconds */
	uint64_t last_requests, last_varbinds;
	uint64_t requests, varbinds, timeouts, retries;
	uint64_t errors; /* error-status replies */
	uint64_t bad_types, loops, truncated;
	uint64_t samples_dropped; /* implausible deltas refused */
	uint64_t malformed; /* replies that could not be decoded */
	char last_error[256];
};

/* A health value: a hardware sensor, CPU load, memory or storage use. */
struct store_sensor {
	char device[NP_NAME_MAX];
	char key[NP_STR_MAX]; /* identity: "entity:NAME", "cpu:1", ... */
	char name[NP_STR_MAX]; /* what people call it */
	char cls[24]; /* sensor_class_name() */
	char unit[16];
	char source[24]; /* "entity-sensor", "host-resources" */
	char oid[128]; /* where the value is read, numeric */
	double value; /* NAN when unknown */
	char state[16]; /* sensor_state_name() */
	char reason[128]; /* why it is unknown or failed */
	double warn_hi, crit_hi, warn_lo, crit_lo; /* NAN: none */
	double updated;
	char rrd[512];
};

/*
 * A trap or inform as received, with the event it became (EVENT; its
 * kind is "trap" when no rule or standard trap matched). VARBINDS is JSON.
 */
struct store_trap {
	struct np_event event;
	int known; /* the sender is a device of the inventory */
	char sender[64]; /* source address */
	char version[4]; /* "v1", "v2c", "v3" */
	int inform;
	char security[NP_NAME_MAX]; /* v3 user; "" for communities */
	char trap_oid[256];
	char trap_name[128]; /* MIB name, "" when unknown */
	uint64_t uptime; /* sysUpTime.0 of the sender, ticks */
	const char *varbinds; /* put: JSON; get: points into the row */
	/* put: its event is written by the node that holds the device (a
	 * store the nodes share), not with it */
	int event_elsewhere;
};

/* One step of a finding's history: who did what, when, and why. */
struct store_fhist {
	int64_t finding_id;
	double time;
	char action[24]; /* "open", "update", "acknowledge", "resolve", ... */
	char actor[NP_NAME_MAX]; /* "netpatrold", or the person */
	char state[16]; /* the state after it */
	char text[512];
	int64_t event_id; /* the event that caused it, or 0 */
};

struct store_finding_filter {
	int64_t id; /* 0 = all */
	int open_only; /* not closed */
	const char *device;
	int min_severity; /* -1 = all */
	int limit;
};

/*
 * A syslog message as received and parsed, with the event it became, if
 * any. Put: the strings are copied into a batch; get: they point into the
 * row and live until the callback returns.
 */
struct store_log {
	int64_t id; /* get only */
	double time; /* received */
	double msg_time; /* the message's own timestamp; 0: it had none */
	const char *device; /* the inventory device, else the sender */
	int known; /* the sender is a device of the inventory */
	const char *sender; /* source address */
	const char *transport; /* "udp", "tcp", "tls" */
	int facility, severity; /* syslog's, 0..23 and 0..7 */
	const char *host, *app, *procid, *msgid;
	const char *mnemonic; /* "LINK-3-UPDOWN", Junos "UI_COMMIT", or "" */
	const char *text; /* the message text, escaped (syslog/parse.h) */
	const char *sd; /* RFC 5424 STRUCTURED-DATA, "" for none */
	const void *raw; /* the bytes as received (at most SYSLOG_MAX_LEN) */
	size_t raw_len;
	size_t len; /* bytes received: more than raw_len when cut */
	unsigned problems; /* SYSLOG_P_* */
	const struct np_event *event; /* put: NULL for none */
	/* get: 0 for none; put, with no EVENT: an event written elsewhere
	 * (by the node that holds the device, in a store the nodes share) */
	int64_t event_id;
};

/*
 * Messages go to the writer in batches: one allocation and one queue slot
 * for many messages. A batch holds at most STORE_LOGBATCH_BYTES of them.
 */
#define STORE_LOGBATCH_BYTES (96 * 1024) /* below malloc's mmap threshold */
struct store_logbatch;

struct store_logbatch *store_logbatch_new(void);
void store_logbatch_free(struct store_logbatch *);
/* 0, or -1 when the batch has no room left (hand it over, then retry). */
int store_logbatch_add(struct store_logbatch *, const struct store_log *);
size_t store_logbatch_count(const struct store_logbatch *);
/*
 * Queue the batch for the writer, which takes it over (it is freed in all
 * cases). -1 when the queue is full or the messages queued would pass the
 * bound set by store_set_log_budget(): none of the batch is stored then.
 */
int store_put_logs(struct store *, struct store_logbatch *);
void store_set_log_budget(struct store *, size_t bytes);
/* Bytes of messages queued and not yet written. */
size_t store_log_queued(struct store *);
/*
 * Retention: delete the messages received before BEFORE (0: none), then
 * the oldest over MAX_ROWS, then, while the messages take more than
 * MAX_SIZE bytes of the store, the oldest down to STORE_PRUNE_LOW of it
 * (0: no bound). The writer deletes in transactions of STORE_PRUNE_ROWS
 * messages, at most STORE_PRUNE_SLICE seconds at a time between the
 * other writes, so a large pass takes a while: see store_log_pruned().
 */
#define STORE_PRUNE_ROWS 10000
#define STORE_PRUNE_SLICE 0.25
#define STORE_PRUNE_LOW 0.9
int store_prune_logs(
    struct store *, double before, int64_t max_rows, int64_t max_size);
/* What retention deleted since the store was opened, and what it saw. */
struct store_log_pruned {
	uint64_t by_age, by_rows, by_size; /* messages deleted */
	uint64_t passes; /* passes that deleted messages */
	double last_pass; /* when the last of them ended; 0: none yet */
	double last_pass_secs; /* the writer's time it took */
	int64_t used_bytes; /* the store's pages in use; -1: not yet known */
	int64_t logs_bytes; /* the messages' share of them; -1: not known */
};
void store_log_pruned(struct store *, struct store_log_pruned *);

/*
 * A syslog batch (its store_logbatch_id, taken before store_put_logs) was
 * committed (OK) or lost after failed commits, N messages: called for each
 * since the last call, in the order they were queued. On the loop.
 */
typedef void (*store_logack_fn)(void *arg, uint64_t id, size_t n, int ok);
void store_log_acks(struct store *, store_logack_fn, void *arg);
uint64_t store_logbatch_id(const struct store_logbatch *);

/* Failed commits: what waits to be written again, what was lost. */
struct store_retry_stats {
	uint64_t failed_commits;
	size_t waiting; /* operations kept to be written again */
	uint64_t ops_lost; /* other than syslog, beyond the bound */
	uint64_t logs_stored, logs_lost; /* syslog messages */
};
void store_retry_stats(struct store *, struct store_retry_stats *);

/* Open (creating and migrating unless READONLY). NULL and ERR on failure. */
/*
 * Ids of events, findings and plan runs, made by the daemon: NEXT is the
 * next, END one past the last it may use. With sqlite, from the store's
 * largest at start, with no end; in PostgreSQL a block from a sequence
 * every node shares, taken again (refill) when NEXT reaches END: unique
 * across nodes. -1 when the database cannot be reached (said in the log;
 * END is then NEXT + 1).
 */
enum store_idkind { STORE_ID_EVENT, STORE_ID_FINDING, STORE_ID_PLANRUN };
/* 1: this node runs what one node of those sharing the store must run
 * (the scheduled plans); always with sqlite (store_pg.c) */
int store_leader(struct store *);
int store_ids_init(struct store *, enum store_idkind, int64_t *next, int64_t *end);
int store_ids_refill(struct store *, enum store_idkind, int64_t *next, int64_t *end);

/*
 * The store's path for store_open(): "postgresql:CONNINFO" when the
 * configuration says store postgresql (PG), else STATE_DIR/netpatrol.db.
 */
void store_path_of(const char *state_dir, const char *pg, char *, size_t);
/* The store is in PostgreSQL (no files of its own). */
int store_is_pg(const struct store *);

struct store *store_open(
    const char *path, int readonly, char *err, size_t errlen);
void store_close(struct store *);
int store_schema_version(struct store *);

/* Writer side (daemon). */
int store_writer_start(struct store *, int batch_ms, size_t queue_max);
void store_writer_stop(struct store *);
void store_flush(struct store *);
int store_put_device(struct store *, const struct store_device *);
int store_put_port(struct store *, const struct store_port *);
int store_put_stats(struct store *, const struct store_stats *);
int store_put_event(struct store *, const struct np_event *);
int store_put_sensor(struct store *, const struct store_sensor *);
/* The sensor DEVICE/KEY is no longer reported: unknown, with REASON. */
int store_sensor_gone(struct store *, const struct store_sensor *);
int store_put_trap(struct store *, const struct store_trap *);
int store_put_finding(struct store *, const struct finding *);
int store_put_fhist(struct store *, const struct store_fhist *);
int store_retire_devices(struct store *, const char *const *keep, size_t n);
int store_prune_events(struct store *, double before);
/*
 * CB(-1, EV_TIMEOUT, ARG) runs on BASE's loop once everything queued
 * before (in the store, not the syslog messages') is committed, or lost;
 * the writer takes it at once, without its batch window. -1: it could not
 * be queued (CB is not run). BASE must outlive the writer; CB may find
 * what it was for gone (a stop ends the loop before the store).
 */
int store_when_written(
    struct store *, struct event_base *, event_callback_fn cb, void *arg);
/* the syslog messages' writer (syslog.db); -1: the store has none */
int store_log_writer_stats(
    struct store *, struct wq_stats *, uint64_t *sql_errors);
/* where the messages are kept: syslog.db beside the store */
const char *store_log_path(const struct store *);
void store_writer_stats(
    struct store *, struct wq_stats *, uint64_t *sql_errors);

/* Reader side (CLI, and the daemon at start). Callbacks return 0 to go on. */
typedef int (*store_device_cb)(void *, const struct store_device *);
typedef int (*store_port_cb)(void *, const struct store_port *);
typedef int (*store_stats_cb)(void *, const struct store_stats *);
typedef int (*store_event_cb)(void *, const struct np_event *);
typedef int (*store_sensor_cb)(void *, const struct store_sensor *);
typedef int (*store_trap_cb)(void *, const struct store_trap *);
typedef int (*store_finding_cb)(void *, const struct finding *);
typedef int (*store_fhist_cb)(void *, const struct store_fhist *);
typedef int (*store_log_cb)(void *, const struct store_log *);

struct store_event_filter {
	double since, until; /* 0 = unbounded */
	const char *device; /* NULL = all */
	const char *kind_prefix; /* NULL = all */
	int min_severity; /* -1 = all */
	int limit; /* 0 = no limit (newest kept) */
};

int store_get_devices(struct store *, store_device_cb, void *);
int store_get_ports(struct store *, const char *device, store_port_cb, void *);
int store_get_stats(struct store *, const char *device, store_stats_cb, void *);
int store_get_sensors(
    struct store *, const char *device, store_sensor_cb, void *);
int store_get_events(
    struct store *, const struct store_event_filter *, store_event_cb, void *);
/* Traps: the filter's device, since, until and limit apply. */
int store_get_traps(
    struct store *, const struct store_event_filter *, store_trap_cb, void *);
/* Syslog messages, newest LIMIT, given oldest first. */
struct store_log_filter {
	double since, until; /* 0 = unbounded */
	const char *device; /* device name or sender address; NULL = all */
	const char *match; /* substring of the text, any case; NULL = all */
	int max_severity; /* this syslog severity or graver; -1 = all */
	int limit; /* 0 = no limit */
	int64_t after_id; /* only messages after this one (--follow) */
};
/* The newest message's id, 0 when there is none. */
int64_t store_log_max_id(struct store *);
int store_get_logs(
    struct store *, const struct store_log_filter *, store_log_cb, void *);
int64_t store_max_event_id(struct store *);
int64_t store_max_finding_id(struct store *);
int store_get_findings(struct store *, const struct store_finding_filter *,
    store_finding_cb, void *);
int store_get_fhist(struct store *, int64_t finding_id, store_fhist_cb, void *);
const char *store_errmsg(struct store *);

/*
 * The configuration archive (store_config.c). A version is a row of
 * config_versions pointing at a blob by the SHA-256 of its stored text;
 * blobs are shared (the same text is kept once), deflated, and either the
 * whole text or a line delta (cfgdelta.h) against an older blob, at most
 * STORE_CFG_DEPTH deltas from a whole text.
 */
#define STORE_CFG_DEPTH 32
#define STORE_CFG_HASH 65 /* hex SHA-256 and its NUL */
struct store_cfgversion {
	char device[NP_NAME_MAX];
	int64_t version; /* 1, 2, ... per device */
	double time; /* when it was fetched */
	char hash[STORE_CFG_HASH]; /* of the stored text */
	char compare_hash[STORE_CFG_HASH]; /* of what decides "changed" */
	char who[64]; /* who changed it, as the device or a trigger says */
	char changed_at[64]; /* when, in the device's own words, or "" */
	char trigger[NP_STR_MAX]; /* what caused the fetch */
	char platform[16];
	int lines, added, removed, secrets;
	int64_t size; /* bytes of the stored text */
	/* put only: the blob and the retention to apply after it */
	char base[STORE_CFG_HASH]; /* "": the blob is the whole text */
	int depth; /* deltas from a whole text */
	size_t datalen; /* deflated bytes, after the record */
	int keep_count; /* versions kept of the device (and its baseline) */
	double keep_before; /* and none older than this, 0: any age */
	int64_t keep_version; /* never removed (the baseline), 0: none */
};
struct store_cfgstate {
	char device[NP_NAME_MAX];
	double last_attempt, last_ok; /* 0: never */
	double last_duration; /* seconds the last fetch took */
	char last_error[256]; /* "" when the last fetch was good */
	char last_trigger[NP_STR_MAX];
	int failures; /* in a row */
	int64_t fetches, failed; /* in all */
	int unsaved; /* running differs from startup: 1, 0, -1 unknown */
};
struct store_cfgbaseline {
	char device[NP_NAME_MAX];
	int64_t version;
	char hash[STORE_CFG_HASH]; /* its compare hash (read side) */
	char approved_by[NP_NAME_MAX];
	double approved_at;
};
int store_put_cfgversion(
    struct store *, const struct store_cfgversion *, const void *data);
int store_put_cfgstate(struct store *, const struct store_cfgstate *);
int store_put_cfgbaseline(struct store *, const struct store_cfgbaseline *);
typedef int (*store_cfgversion_cb)(void *, const struct store_cfgversion *);
typedef int (*store_cfgstate_cb)(void *, const struct store_cfgstate *);
/* A device's versions, oldest first (VERSION 0: all; else that one). */
int store_get_cfgversions(struct store *, const char *device,
    int64_t version, store_cfgversion_cb, void *);
/* The newest version of DEVICE into *V: 0, 1 when it has none, -1. */
int store_get_cfglatest(
    struct store *, const char *device, struct store_cfgversion *v);
int store_get_cfgstates(
    struct store *, const char *device, store_cfgstate_cb, void *);
/* DEVICE's approved baseline: 0, 1 when none, -1 on error. */
int store_get_cfgbaseline(
    struct store *, const char *device, struct store_cfgbaseline *);
/* How deep blob HASH is in its delta chain: 0.., -1 when not stored. */
int store_cfg_depth(struct store *, const char *hash);
/*
 * The text of blob HASH, rebuilt from its chain, into a malloc'd *TEXT
 * (NUL-terminated), at most MAXLEN bytes. -1 with ERR.
 */
int store_cfg_text(struct store *, const char *hash, size_t maxlen,
    char **text, size_t *len, char *err, size_t errlen);
/* A compliance result of a device's configuration (config_compliance). */
struct store_cfgcheck {
	char device[NP_NAME_MAX];
	char policy[NP_NAME_MAX];
	char rule[NP_STR_MAX];
	int result; /* 0 pass, 1 fail (cfgpolicy.h) */
	char detail[256];
	int line;
	int64_t version;
	double time;
};
/* DEVICE's results, all N of them, replacing the ones it had. */
int store_put_cfgchecks(struct store *, const char *device,
    const struct store_cfgcheck *, size_t n);
typedef int (*store_cfgcheck_cb)(void *, const struct store_cfgcheck *);
int store_get_cfgchecks(
    struct store *, const char *device, store_cfgcheck_cb, void *);

/* Bytes the archive's blobs take (deflated), and how many there are. */
int store_cfg_usage(struct store *, int64_t *bytes, int64_t *blobs);

/*
 * Probes (store_probe.c): the last step of each, by device ("" for a
 * standalone probe) and name.
 */
struct store_probe {
	char device[NP_NAME_MAX];
	char name[NP_NAME_MAX];
	char kind[8]; /* "icmp", "tcp" */
	char target[64]; /* the address probed (tcp: ADDRESS port P) */
	int count, received; /* tries of the last step, answers */
	double loss_pct; /* NaN before the first step */
	double rtt_min, rtt_median, rtt_avg, rtt_max, jitter; /* ms, NaN */
	char state[16]; /* unknown, up, degraded, down */
	double updated; /* the last step's end, 0: none yet */
	char rrd[PATH_MAX];
};
typedef int (*store_probe_cb)(void *, const struct store_probe *);
int store_put_probe(struct store *, const struct store_probe *);
/* Forget every probe (the daemon's configuration changed). */
int store_clear_probes(struct store *);
int store_get_probes(struct store *, store_probe_cb, void *);

/*
 * Links counted from the wire (store_link.c): the counters at the last
 * step of each, by name.
 */
struct store_link {
	char name[NP_NAME_MAX];
	char interface[NP_NAME_MAX];
	uint64_t speed; /* bit/s, 0 unknown */
	uint64_t in_bytes, out_bytes, in_packets, out_packets; /* since start */
	double in_bps, out_bps; /* bit/s over the last step, NaN none yet */
	double utilisation; /* %, the busier direction; NaN unknown */
	uint64_t drops, if_drops; /* pcap_stats ps_drop, ps_ifdrop */
	char state[16]; /* unknown, ok, congested, down */
	double updated; /* the last step's end, 0: none yet */
	char rrd[PATH_MAX];
};
typedef int (*store_link_cb)(void *, const struct store_link *);
int store_put_link(struct store *, const struct store_link *);
/* Forget every link (the daemon's configuration changed). */
int store_clear_links(struct store *);
int store_get_links(struct store *, store_link_cb, void *);

/*
 * Inspection plan runs (store_plan.c): each run of a plan, done or missed,
 * with its coverage (JSON: per device, per check, done or why skipped).
 * A run is also the archived report's record: reports are built from it
 * and from the store's timed records of its period.
 */
struct store_planrun {
	int64_t id; /* given by the daemon */
	char plan[NP_NAME_MAX];
	char category[16]; /* daily, weekly, periodic, special */
	char trigger[16]; /* schedule, demand */
	char state[16]; /* done, missed */
	char inspector[NP_NAME_MAX];
	char requested_by[NP_NAME_MAX];
	double scheduled; /* the planned time, 0 on demand */
	double started, ended; /* missed: both the planned time */
	double period_start, period_end; /* what the report covers */
	int devices_planned, devices_done, checks_planned, checks_done;
	const char *coverage; /* get: valid in the callback only */
	char archived[32]; /* get: the formats archived, "html json text" */
};
struct store_planrun_filter {
	const char *plan; /* NULL: all */
	int64_t id; /* 0: all */
	double since, until; /* on the planned or started time; 0: unbounded */
	int newest_first;
	int limit; /* 0: all */
};
typedef int (*store_planrun_cb)(void *, const struct store_planrun *);
int store_put_planrun(
    struct store *, const struct store_planrun *, const char *coverage);
/* Delete runs of category I started before BEFORE[I] (0: keep all). */
int store_prune_planruns(struct store *, const double before[4]);
int64_t store_max_planrun_id(struct store *);

/* A manual check's result entered for a run (netpatrol result). */
struct store_planresult {
	int64_t run;
	int item; /* 1.. in the plan's order */
	char name[NP_NAME_MAX];
	char result[8]; /* pass, fail, na */
	char device[NP_NAME_MAX]; /* "" for none */
	char note[NP_STR_MAX];
	char who[NP_NAME_MAX];
	double time;
	int64_t finding; /* the finding a failure opened, 0 */
};
typedef int (*store_planresult_cb)(void *, const struct store_planresult *);
int store_put_planresult(struct store *, const struct store_planresult *);
int store_get_planresults(
    struct store *, int64_t run, store_planresult_cb, void *);

/*
 * The reports' archive (store_report.c): a run's report in one FORMAT
 * (json, text, html) as made after the run, deflated (zlib) to ZLEN
 * bytes from SIZE.
 */
#define STORE_REPORTCOPY_MAX (64u << 20) /* deflated bytes */
struct store_reportcopy {
	int64_t run;
	char format[8];
	double created;
	size_t size, zlen;
};
int store_put_reportcopy(
    struct store *, const struct store_reportcopy *, const void *z);
/* 1 with *Z (malloc'd), 0 when there is none, -1 on error. */
int store_get_reportcopy(struct store *, int64_t run, const char *format,
    struct store_reportcopy *, void **z);
/* The newest planned time of PLAN's scheduled or missed runs, 0: none. */
double store_plan_last_scheduled(struct store *, const char *plan);
int store_get_planruns(struct store *, const struct store_planrun_filter *,
    store_planrun_cb, void *);
/* Findings open at some time in [SINCE, UNTIL), oldest first. */
int store_get_findings_between(
    struct store *, double since, double until, store_finding_cb, void *);
/* The RRD files of ports, sensors and probes, with what they measure. */
struct store_rrdsrc {
	char kind[8]; /* port, sensor, probe */
	char device[NP_NAME_MAX];
	char object[NP_STR_MAX]; /* the port, sensor or probe */
	char cls[24]; /* sensor class, "" otherwise */
	int64_t speed_bps; /* ports */
	int admin_up; /* ports: admin status up */
	char rrd[PATH_MAX];
};
typedef int (*store_rrdsrc_cb)(void *, const struct store_rrdsrc *);
int store_get_rrdsrcs(struct store *, store_rrdsrc_cb, void *);
/* Events of KIND (a prefix, "security.") in [SINCE, UNTIL) by device. */
typedef int (*store_count_cb)(void *, const char *device, int64_t n);
int store_count_events(struct store *, const char *kind_prefix, double since,
    double until, store_count_cb, void *);

#endif
