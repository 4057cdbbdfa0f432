/*
 * store_int.h - what the store's files share (store.c: the schema, the
 * writer, inventory, ports, events, traps; store_finding.c: findings;
 * store_log.c: syslog messages).
 * Not for the rest of netpatrol: all SQL stays in the store module.
 */
#ifndef NP_STORE_INT_H
#define NP_STORE_INT_H

#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <sqlite3.h>

#include "db.h"
#include <time.h>

#include "hmap.h"
#include "log.h"
#include "store.h"

#define STORE_FST_MAX 8

enum store_op_type {
	OP_DEVICE = 1,
	OP_PORT,
	OP_STATS,
	OP_EVENT,
	OP_RETIRE,
	OP_PRUNE,
	OP_SENSOR,
	OP_TRAP,
	OP_FINDING,
	OP_FHIST,
	OP_SENSOR_GONE,
	OP_LOGS,
	OP_PRUNE_LOGS, /* a retention pass: a struct store_logretain */
	OP_PRUNE_LOGS_MORE, /* the pass under way goes on */
	OP_CFGVERSION,
	OP_CFGSTATE,
	OP_CFGBASELINE,
	OP_CFGCHECKS,
	OP_PROBE,
	OP_PROBE_CLEAR,
	OP_LINK,
	OP_LINK_CLEAR,
	OP_PLANRUN,
	OP_PLANPRUNE,
	OP_REPORTCOPY,
	OP_PLANRESULT,
	OP_LOGEVENTS, /* the events of a batch of messages, packed */
	OP_BARRIER /* a struct store_barrier: told once what came before is */
};

/* OP_BARRIER's record: who is told, on which loop, once committed. */
struct store_barrier {
	struct event_base *base;
	event_callback_fn cb;
	void *arg;
};

/* An operation: this header, then its record (allocated to fit). */
struct store_op {
	struct wq_item item; /* first: the queue links through it */
	enum store_op_type type;
	size_t n; /* OP_RETIRE: names that follow; OP_LOGS: messages */
	double arg; /* OP_PRUNE: the time */
};
#define OP_DATA(op) ((void *)((op) + 1))

enum {
	ST_DEVICE,
	ST_PORT,
	ST_STATS,
	ST_EVENT,
	ST_UNRETIRE_ALL,
	ST_RETIRE_ONE,
	ST_BEGIN,
	ST_COMMIT,
	ST_SENSOR,
	ST_TRAP,
	ST_LOG,
	ST_LOGSPAN,
	ST_MAX
};

/* Syslog retention: what a pass is asked for (store_prune_logs()). */
struct store_logretain {
	double before;
	int64_t max_rows;
	int64_t max_size;
};

/* A retention pass under way, a slice at a time (the writer's). */
struct store_logprune {
	struct store_logretain r;
	int active;
	int phase; /* age, rows, size */
	int64_t cut; /* the phase deletes the ids below it; -1: to be found */
	int over; /* over max-size: deleting down to STORE_PRUNE_LOW of it */
	uint64_t removed[3]; /* by phase */
	uint64_t counted[3]; /* of them, added to store_log_pruned */
	double start, busy; /* when it began; seconds spent deleting */
	int more; /* an OP_PRUNE_LOGS_MORE is queued */
	int64_t others; /* bytes of all but the messages; -1: not measured */
	double others_at; /* when they were measured */
	int no_dbstat; /* sqlite without it: max-size bounds the whole store */
};

struct store {
	db_conn *db;
	/*
	 * The main store (netpatrol.db) keeps the syslog messages in a store
	 * of their own (syslog.db), with its connection and writer thread, so
	 * that a flood of messages and the state, events and findings do not
	 * queue behind each other: LOGS is it, and its OWNER the main store,
	 * which writes the messages' events.
	 */
	struct store *logs, *owner;
	char logpath[PATH_MAX];
	struct hmap spans; /* writer: store_logspan.c's open spans */
	db_stmt *st[ST_MAX];
	db_stmt
	    *fst[STORE_FST_MAX]; /* store_finding.c's, prepared on first use */
	struct wq *wq;
	uint64_t sql_errors; /* writer thread only */
	size_t log_bytes; /* syslog batches queued (atomic) */
	size_t log_budget; /* their bound; 0 = none */
	struct complaint sql_complaint;
	int stopping; /* the writer is told to stop (atomic) */
	struct store_logprune prune; /* writer thread only */
	pthread_mutex_t pruned_mtx; /* guards pruned */
	struct store_log_pruned pruned;
	char path[PATH_MAX];
	/* store_retry.c: a failed transaction's operations, kept (writer) */
	struct wq_item *retry, **retry_tail;
	size_t retry_n, retry_max;
	int txn_failed; /* the sqlite error that failed it, or 0 */
	char txn_error[160];
	unsigned long fail_run; /* failed commits in a row */
	time_t fail_logged;
	size_t retry_waiting; /* (atomic) */
	uint64_t failed_commits, ops_lost; /* (atomic) */
	pthread_mutex_t ack_mtx; /* guards what follows */
	struct store_logack *acks;
	size_t nacks, acks_cap;
	uint64_t logs_stored, logs_lost;
	/* store_pg.c: the ids' own connection (PostgreSQL) */
	pthread_mutex_t ids_mtx;
	db_conn *ids_db;
};

struct store_logack {
	uint64_t id;
	size_t n;
	int ok;
};

/* store_retry.c, in the writer thread */
void store_retry_init(struct store *, size_t max);
void store_txn_error(struct store *, int rc);
void store_op_done(struct store *, struct store_op *, int ok);
/* A syslog batch or its events' buffer done with: to the pool or freed. */
void store_log_op_release(struct store_op *);
struct wq_item *store_retry_take(struct store *, struct wq_item *list);
int store_retry_keep(struct store *, struct wq_item *done, struct wq_item *);
void store_retry_ok(struct store *);
void store_retry_stop(struct store *);
void store_retry_free(struct store *);
/* store.c: the writer's batch, with nothing new (what was kept) */
int store_batch_retry(struct store *);
/* store_log.c */
size_t store_logbatch_size(const struct store_logbatch *);

/* Helpers of the writer and reader sides. */
void store_bind_text(db_stmt *, int, const char *);
void store_bind_text_or_null(db_stmt *, int, const char *);
void store_bind_real(db_stmt *, int, double);
void store_bind_u64(db_stmt *, int, uint64_t);
int store_step(struct store *, db_stmt *, const char *what);
struct store_op *store_op_new(enum store_op_type, const void *rec, size_t);
int store_push(struct store *, struct store_op *);
void store_col_text(db_stmt *, int, char *, size_t);
double store_col_real(db_stmt *, int);
int store_query_done(struct store *, db_stmt *, int rc);
int64_t store_int64(struct store *, const char *sql);

/* store.c, in the writer thread */
void store_write_event(struct store *, const struct np_event *);

/* store_finding.c: a findings row, FINDING_COLS in this order */
#define FINDING_COLS \
	"id, key, device, object, kind, title, description, location, impact," \
	" severity, priority, role, owner, state, flapping, suppressed," \
	" consequence_of, manual, count, reopened, first_seen, last_seen," \
	" respond_by, resolve_by, opened, acknowledged, resolved, verified," \
	" closed, updated, last_event"
struct finding;
void store_finding_row(db_stmt *, struct finding *);

/* store_plan.c, in the writer thread */
void store_write_plan(struct store *, enum store_op_type, const void *rec);
/* store_report.c, in the writer thread */
void store_write_report(struct store *, enum store_op_type, const void *rec);
void store_prune_reportcopies(struct store *);

/* store_finding.c, in the writer thread */
void store_write_finding(struct store *, const void *rec);
void store_write_fhist(struct store *, const void *rec);

/* store_config.c, in the writer thread */
void store_write_cfg(struct store *, enum store_op_type, const void *rec);
void store_write_probe(struct store *, enum store_op_type, const void *rec);
void store_write_link(struct store *, enum store_op_type, const void *rec);

/* store_log.c: the insert (prepared as ST_LOG), and the writer's side */
extern const char store_log_sql[];
void store_write_logs(struct store *, struct store_logbatch *);
void store_write_logevents(struct store *, const struct store_op *);
/* RETAIN: a new pass; NULL: the one under way goes on */
void store_write_prune_logs(struct store *, const struct store_logretain *);

/* store_logdb.c: the messages' own database (syslog.db) */
#define STORE_LOGDB_SCHEMA 17 /* the store's schema that moved them there */
extern const char *const store_logdb_migrations[];
extern const int store_logdb_nmigrations;
extern const char store_logdb_move_sql[];
void store_logdb_path(const char *store_path, char *out, size_t len);
int store_logdb_attach(struct store *, int readonly, char *, size_t);
void store_logdb_detach(struct store *);
int store_logdb_reader(struct store *, char *, size_t);
/* where what is asked of the store about messages goes */
#define LOGSTORE(s) ((s)->logs ? (s)->logs : (s))

/* store_pg.c: the store in PostgreSQL (a path "postgresql:CONNINFO") */
#define STORE_PG_PREFIX "postgresql:"
#define STORE_IS_PG(path) (strncmp((path), STORE_PG_PREFIX, 11) == 0)
int store_pg_version(struct store *);
int store_open_pg(struct store *, const char *path, int readonly, char *,
    size_t);
/* store.c: the schema version it makes; the writer's statements
 * prepared (both back ends) */
int store_schema_latest(void);
int store_prepare_all(struct store *, char *, size_t);
int store_pg_migrate(struct store *, int version, char *, size_t);

/* store_logspan.c: where each device's messages are (log_spans) */
extern const char store_logspan_sql[];
void store_logspan_note(struct store *, const char *device, int64_t);
void store_logspan_flush(struct store *, int forget);
void store_logspan_prune(struct store *, int64_t below);
int store_logspan_find(struct store *, const char *device, int64_t lo,
    int64_t hi, int64_t (**)[2], size_t *);

#endif
