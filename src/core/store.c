/*
 * store.c - the sqlite store (see store.h): the schema, the writer thread
 * and its batches, inventory, ports, events, sensors and traps. Every SQL
 * statement of netpatrol is in the store's files (this one, store_finding.c,
 * store_log.c), prepared, with bound parameters.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>
#include "store_int.h"

static const char *store_sql[ST_MAX] = {
    [ST_DEVICE] =
        "INSERT INTO devices (name, address, port, snmp_version, location, "
        "role,"
        " owner, sys_name, sys_descr, sys_object_id, sys_uptime, reachable,"
        " last_poll, last_ok, configured, created)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "1,"
        " strftime('%s','now'))"
        " ON CONFLICT(name) DO UPDATE SET address = ?2, port = ?3,"
        " snmp_version = ?4, location = ?5, role = ?6, owner = ?7,"
        " sys_name = coalesce(?8, devices.sys_name), sys_descr = coalesce(?9, "
        "devices.sys_descr),"
        " sys_object_id = coalesce(?10, devices.sys_object_id),"
        " sys_uptime = coalesce(?11, devices.sys_uptime), reachable = ?12,"
        " last_poll = coalesce(?13, devices.last_poll), last_ok = coalesce(?14, "
        "devices.last_ok),"
        " configured = 1",
    [ST_PORT] =
        "INSERT INTO ports (device_id, name, ifindex, descr, alias, type, "
        "speed_bps,"
        " admin_status, oper_status, last_change, in_bps, out_bps, in_pps, "
        "out_pps,"
        " in_errors, out_errors, in_discards, out_discards, hc, updated, rrd,"
        " counters)"
        " VALUES ((SELECT id FROM devices WHERE name = ?1), ?2, ?3, ?4, ?5, "
        "?6, ?7,"
        " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
        " ?22)"
        " ON CONFLICT(device_id, name) DO UPDATE SET ifindex = ?3, descr = ?4,"
        " alias = ?5, type = ?6, speed_bps = ?7, admin_status = ?8,"
        " oper_status = ?9, last_change = ?10, in_bps = ?11, out_bps = ?12,"
        " in_pps = ?13, out_pps = ?14, in_errors = ?15, out_errors = ?16,"
        " in_discards = ?17, out_discards = ?18, hc = ?19, updated = ?20, rrd "
        "= ?21, counters = ?22",
    [ST_STATS] =
        "INSERT OR REPLACE INTO poll_stats (device_id, polls, polls_ok,"
        " polls_failed, last_start, last_duration, last_requests, "
        "last_varbinds,"
        " requests, varbinds, timeouts, retries, errors, bad_types, loops,"
        " truncated, samples_dropped, last_error, malformed)"
        " VALUES ((SELECT id FROM devices WHERE name = ?1), ?2, ?3, ?4, ?5, ?6,"
        " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    [ST_EVENT] =
        "INSERT INTO events (time, device, source, kind, key, severity, object,"
        " old_state, new_state, text, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
        " ?8, ?9, ?10, ?11)",
    [ST_UNRETIRE_ALL] = "UPDATE devices SET configured = 0",
    [ST_RETIRE_ONE] = "UPDATE devices SET configured = 1 WHERE name = ?1",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_SENSOR] =
        "INSERT INTO sensors (device_id, key, name, class, unit, source, value,"
        " state, reason, warn_hi, crit_hi, warn_lo, crit_lo, updated, rrd, oid)"
        " VALUES ((SELECT id FROM devices WHERE name = ?1), ?2, ?3, ?4, ?5, ?6,"
        " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
        " ON CONFLICT(device_id, key) DO UPDATE SET name = ?3, class = ?4,"
        " unit = ?5, source = ?6, value = ?7, state = ?8, reason = ?9,"
        " warn_hi = ?10, crit_hi = ?11, warn_lo = ?12, crit_lo = ?13,"
        " updated = ?14, rrd = ?15, oid = ?16",
    [ST_COMMIT] = "COMMIT",
    [ST_TRAP] =
        "INSERT INTO traps (time, device, known, sender, version, inform,"
        " security, trap_oid, trap_name, uptime, varbinds, event_id)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [ST_LOG] = store_log_sql,
    [ST_LOGSPAN] = store_logspan_sql,
};

/* Schema migrations: migration N brings user_version from N-1 to N. */
static const char *store_migrations[] = {
    /* 1: the first release */
    "CREATE TABLE devices ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " address TEXT, port INTEGER, snmp_version INTEGER,"
    " location TEXT, role TEXT, owner TEXT,"
    " sys_name TEXT, sys_descr TEXT, sys_object_id TEXT,"
    " sys_uptime INTEGER, reachable INTEGER,"
    " last_poll REAL, last_ok REAL,"
    " configured INTEGER NOT NULL DEFAULT 1,"
    " created REAL);"
    "CREATE TABLE ports ("
    " id INTEGER PRIMARY KEY,"
    " device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL,"
    " ifindex INTEGER, descr TEXT, alias TEXT, type INTEGER, speed_bps INTEGER,"
    " admin_status INTEGER, oper_status INTEGER, last_change INTEGER,"
    " in_bps REAL, out_bps REAL, in_pps REAL, out_pps REAL,"
    " in_errors REAL, out_errors REAL, in_discards REAL, out_discards REAL,"
    " hc INTEGER, updated REAL, rrd TEXT,"
    " UNIQUE (device_id, name));"
    "CREATE TABLE poll_stats ("
    " device_id INTEGER PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,"
    " polls INTEGER, polls_ok INTEGER, polls_failed INTEGER,"
    " last_start REAL, last_duration REAL, last_requests INTEGER,"
    " last_varbinds INTEGER, requests INTEGER, varbinds INTEGER,"
    " timeouts INTEGER, retries INTEGER, errors INTEGER, bad_types INTEGER,"
    " loops INTEGER, truncated INTEGER, samples_dropped INTEGER,"
    " last_error TEXT);"
    "CREATE TABLE events ("
    " id INTEGER PRIMARY KEY,"
    " time REAL NOT NULL,"
    " device TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL,"
    " key TEXT NOT NULL, severity INTEGER NOT NULL,"
    " object TEXT, old_state TEXT, new_state TEXT, text TEXT);"
    "CREATE INDEX events_time ON events (time);"
    "CREATE INDEX events_device_time ON events (device, time);",
    /* 2: undecodable replies counted per device */
    "ALTER TABLE poll_stats ADD COLUMN malformed INTEGER NOT NULL DEFAULT 0;",
    /* 3: health: hardware sensors, CPU, memory and storage */
    "CREATE TABLE sensors ("
    " id INTEGER PRIMARY KEY,"
    " device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,"
    " key TEXT NOT NULL, name TEXT, class TEXT, unit TEXT, source TEXT,"
    " value REAL, state TEXT, reason TEXT,"
    " warn_hi REAL, crit_hi REAL, warn_lo REAL, crit_lo REAL,"
    " updated REAL, rrd TEXT, oid TEXT,"
    " UNIQUE (device_id, key));",
    /* 4: counter baselines of ports, kept across restarts */
    "ALTER TABLE ports ADD COLUMN counters TEXT;",
    /* 5: traps and informs, each with the event it became */
    "CREATE TABLE traps ("
    " id INTEGER PRIMARY KEY,"
    " time REAL NOT NULL,"
    " device TEXT NOT NULL, known INTEGER NOT NULL, sender TEXT NOT NULL,"
    " version TEXT, inform INTEGER, security TEXT,"
    " trap_oid TEXT, trap_name TEXT, uptime INTEGER, varbinds TEXT,"
    " event_id INTEGER);"
    "CREATE INDEX traps_time ON traps (time);"
    "CREATE INDEX traps_device_time ON traps (device, time);",
    /* 6: findings and their history */
    "CREATE TABLE findings ("
    " id INTEGER PRIMARY KEY,"
    " key TEXT NOT NULL, device TEXT NOT NULL, object TEXT, kind TEXT,"
    " title TEXT, description TEXT, location TEXT, impact TEXT,"
    " severity INTEGER, priority INTEGER, role TEXT, owner TEXT,"
    " state TEXT NOT NULL, flapping INTEGER, suppressed INTEGER,"
    " consequence_of INTEGER, manual INTEGER, count INTEGER,"
    " reopened INTEGER, first_seen REAL, last_seen REAL,"
    " respond_by REAL, resolve_by REAL, opened REAL, acknowledged REAL,"
    " resolved REAL, verified REAL, closed REAL, updated REAL,"
    " last_event INTEGER);"
    "CREATE INDEX findings_state ON findings (state);"
    "CREATE INDEX findings_device ON findings (device, state);"
    "CREATE TABLE finding_history ("
    " id INTEGER PRIMARY KEY,"
    " finding_id INTEGER NOT NULL, time REAL NOT NULL, action TEXT NOT NULL,"
    " actor TEXT NOT NULL, state TEXT, text TEXT, event_id INTEGER);"
    "CREATE INDEX finding_history_finding ON finding_history (finding_id);",
    /* 7: syslog messages, parsed, with the raw bytes and their event */
    "CREATE TABLE logs ("
    " id INTEGER PRIMARY KEY,"
    " time REAL NOT NULL, msg_time REAL,"
    " device TEXT NOT NULL, known INTEGER NOT NULL, sender TEXT NOT NULL,"
    " transport TEXT, facility INTEGER, severity INTEGER,"
    " host TEXT, app TEXT, procid TEXT, msgid TEXT, mnemonic TEXT,"
    " text TEXT, text_off INTEGER, sd TEXT, raw BLOB, len INTEGER,"
    " problems INTEGER, event_id INTEGER);"
    /* rows are in arrival order: a time range is an id range (no time
     * index to keep up at 300,000 rows/s); by device, by id within */
    "CREATE INDEX logs_device ON logs (device);",
    /* 8: a device's messages by the spans of ids they lie in
     * (store_logspan.c), not an index that costs a third of an insert */
    "CREATE TABLE log_spans ("
    " device TEXT NOT NULL, first_id INTEGER NOT NULL,"
    " last_id INTEGER NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY (device, first_id)) WITHOUT ROWID;"
    "INSERT INTO log_spans SELECT device, min(id), max(id), count(*)"
    " FROM logs GROUP BY device, id / 65536;"
    "DROP INDEX logs_device;",
    /* 9: RFC 5424 structured data kept once, in the raw bytes */
    "ALTER TABLE logs ADD COLUMN sd_off INTEGER;"
    "ALTER TABLE logs ADD COLUMN sd_len INTEGER;",
    /* 10: the configuration archive (store_config.c) */
    "CREATE TABLE config_blobs ("
    " hash BLOB PRIMARY KEY, base BLOB, depth INTEGER NOT NULL,"
    " size INTEGER NOT NULL, data BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX config_blobs_base ON config_blobs (base);"
    "CREATE TABLE config_versions ("
    " device TEXT NOT NULL, version INTEGER NOT NULL, time REAL NOT NULL,"
    " hash BLOB NOT NULL, compare_hash BLOB NOT NULL, who TEXT,"
    " changed_at TEXT, trigger TEXT, platform TEXT, lines INTEGER,"
    " added INTEGER, removed INTEGER, secrets INTEGER, size INTEGER,"
    " PRIMARY KEY (device, version)) WITHOUT ROWID;"
    "CREATE INDEX config_versions_hash ON config_versions (hash);"
    "CREATE TABLE config_state ("
    " device TEXT PRIMARY KEY, last_attempt REAL, last_ok REAL,"
    " last_duration REAL, last_error TEXT, last_trigger TEXT,"
    " failures INTEGER, fetches INTEGER, failed INTEGER, unsaved INTEGER);"
    "CREATE TABLE config_baselines ("
    " device TEXT PRIMARY KEY, version INTEGER NOT NULL,"
    " approved_by TEXT, approved_at REAL);",
    /* 11: compliance results of the archive's configurations */
    "CREATE TABLE config_compliance ("
    " device TEXT NOT NULL, policy TEXT NOT NULL, rule TEXT NOT NULL,"
    " result INTEGER NOT NULL, detail TEXT, line INTEGER,"
    " version INTEGER, time REAL);"
    "CREATE INDEX config_compliance_device ON config_compliance (device);",
    /* 12: probes, their last step (store_probe.c) */
    "CREATE TABLE probes ("
    " device TEXT NOT NULL, name TEXT NOT NULL, kind TEXT, target TEXT,"
    " count INTEGER, received INTEGER, loss_pct REAL, rtt_min REAL,"
    " rtt_median REAL, rtt_avg REAL, rtt_max REAL, jitter REAL,"
    " state TEXT, updated REAL, rrd TEXT,"
    " PRIMARY KEY (device, name)) WITHOUT ROWID;",
    /* 13: links counted from the wire, their last step (store_link.c) */
    "CREATE TABLE links ("
    " name TEXT PRIMARY KEY, interface TEXT, speed INTEGER,"
    " in_bytes INTEGER, out_bytes INTEGER, in_packets INTEGER,"
    " out_packets INTEGER, in_bps REAL, out_bps REAL, utilisation REAL,"
    " drops INTEGER, if_drops INTEGER, state TEXT, updated REAL,"
    " rrd TEXT) WITHOUT ROWID;",
    /* 14: inspection plan runs, the reports' records (store_plan.c) */
    "CREATE TABLE plan_runs ("
    " id INTEGER PRIMARY KEY, plan TEXT NOT NULL, category TEXT NOT NULL,"
    " trigger TEXT NOT NULL, state TEXT NOT NULL, inspector TEXT,"
    " requested_by TEXT, scheduled REAL, started REAL NOT NULL,"
    " ended REAL NOT NULL, period_start REAL NOT NULL,"
    " period_end REAL NOT NULL, devices_planned INTEGER,"
    " devices_done INTEGER, checks_planned INTEGER, checks_done INTEGER,"
    " coverage TEXT);"
    "CREATE INDEX plan_runs_plan ON plan_runs (plan, started);",
    /* 15: each run's report as made after the run (store_report.c) */
    "CREATE TABLE report_copies ("
    " run INTEGER NOT NULL, format TEXT NOT NULL, created REAL NOT NULL,"
    " size INTEGER NOT NULL, body BLOB NOT NULL, UNIQUE (run, format));",
    /* 16: manual checks' results entered for a run (store_plan.c) */
    "CREATE TABLE plan_results ("
    " run INTEGER NOT NULL, item INTEGER NOT NULL, name TEXT NOT NULL,"
    " result TEXT NOT NULL, device TEXT, note TEXT, who TEXT,"
    " time REAL NOT NULL, finding INTEGER, PRIMARY KEY (run, item));",
    /* 17: the messages move to a database of their own, syslog.db
     * (store_logdb.c), attached as logdb for it */
    store_logdb_move_sql,
};
#define STORE_SCHEMA_VERSION \
	((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

static int
store_exec(struct store *s, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (db_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(
		    err, errlen, "%s: %s", s->path, msg ? msg : "sqlite error");
		db_free(msg);
		return -1;
	}
	return 0;
}

static int
store_migrate(struct store *s, char *err, size_t errlen)
{
	const char *const *mig = s->owner ? store_logdb_migrations
	                                  : store_migrations;
	int nmig = s->owner ? store_logdb_nmigrations : STORE_SCHEMA_VERSION;
	int version = store_schema_version(s), moved;
	char sql[64];

	if (version < 0)
		goto sqlerr;
	if (version > nmig) {
		snprintf(err, errlen,
		    "%s: schema version %d is newer than this "
		    "netpatrol understands (%d)",
		    s->path, version, nmig);
		return -1;
	}
	while (version < nmig) {
		/* the move of the messages: their new file attached (not
		 * within a transaction), then detached */
		moved = !s->owner && version + 1 == STORE_LOGDB_SCHEMA;
		if (moved) {
			if (store_logdb_attach(s, 0, err, errlen) == -1)
				return -1;
			log_info("store: moving the syslog messages to %s",
			    s->logpath);
		}
		if (store_exec(s, "BEGIN IMMEDIATE", err, errlen) == -1)
			goto fail;
		if (store_exec(s, mig[version], err, errlen) == -1) {
			db_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			goto fail;
		}
		version++;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
		if (store_exec(s, sql, err, errlen) == -1 ||
		    store_exec(s, "COMMIT", err, errlen) == -1) {
			db_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			goto fail;
		}
		if (moved)
			store_logdb_detach(s);
		log_info("store: %s: schema migrated to version %d", s->path,
		    version);
	}
	return 0;
fail:
	if (!s->owner && version + 1 == STORE_LOGDB_SCHEMA)
		store_logdb_detach(s);
	return -1;
sqlerr:
	snprintf(err, errlen, "%s: %s", s->path, db_errmsg(s->db));
	return -1;
}

/* The statements a store prepares: the messages' store only its own. */
static int
store_wants(const struct store *s, int i)
{
	int logs = i == ST_LOG || i == ST_LOGSPAN;

	if (i == ST_BEGIN || i == ST_COMMIT)
		return 1;
	return s->owner ? logs : !logs;
}

/* The schema version this netpatrol makes (sqlite's migrations). */
int
store_schema_latest(void)
{
	return STORE_SCHEMA_VERSION;
}

/*
 * Retirement in a store several nodes share: only the rows that change
 * are written (every node retires at its start; a table-wide UPDATE
 * would lock every device row against the other nodes' writers). Device
 * names hold no newline (conf_devname_ok).
 */
static void
store_retire_pg(struct store *s, char (*names)[NP_NAME_MAX], size_t n)
{
	char *list = malloc(n * NP_NAME_MAX + 1), *w = list;
	db_stmt *st;

	if (list == NULL) {
		s->sql_errors++;
		return;
	}
	*w = '\0';
	for (size_t i = 0; i < n; i++)
		w += sprintf(w, "%s%s", i ? "\n" : "", names[i]);
	if (db_prepare_v2(s->db,
	        "UPDATE devices SET configured = x.c FROM (SELECT id, CASE WHEN"
	        " name = ANY(string_to_array(?1, chr(10))) THEN 1 ELSE 0 END"
	        " AS c FROM devices) x WHERE x.id = devices.id AND"
	        " devices.configured <> x.c",
	        -1, &st, NULL) != SQLITE_OK) {
		s->sql_errors++;
		free(list);
		return;
	}
	store_bind_text(st, 1, list);
	store_step(s, st, "device retirement");
	db_finalize(st);
	free(list);
}

/* The writer's statements, prepared once. */
int
store_prepare_all(struct store *s, char *err, size_t errlen)
{
	for (int i = 0; i < ST_MAX; i++)
		if (store_wants(s, i) &&
		    db_prepare_v3(s->db, store_sql[i], -1,
		        SQLITE_PREPARE_PERSISTENT, &s->st[i],
		        NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s: preparing statement %d: %s",
			    s->path, i, db_errmsg(s->db));
			return -1;
		}
	return 0;
}

/* OWNER: S is the messages' store of OWNER (syslog.db). */
static struct store *
store_open_db(const char *path, int readonly, struct store *owner, char *err,
    size_t errlen)
{
	static int configured;
	struct store *s;
	int flags = readonly ? SQLITE_OPEN_READONLY
	                     : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

	/*
	 * No memory statistics: they take a global mutex on every
	 * allocation, 5-8% of a syslog row's insert. Before sqlite's first
	 * use (the first store_open, on the main thread).
	 */
	if (!configured) {
		configured = 1;
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(s->path, sizeof(s->path), "%s", path);
	s->owner = owner;
	if (owner == NULL)
		store_logdb_path(path, s->logpath, sizeof(s->logpath));
	pthread_mutex_init(&s->pruned_mtx, NULL);
	pthread_mutex_init(&s->ack_mtx, NULL);
	pthread_mutex_init(&s->ids_mtx, NULL);
	store_retry_init(s, 1);
	s->pruned.used_bytes = s->pruned.logs_bytes = -1;
	s->prune.others = -1;
	if (STORE_IS_PG(path))
		return store_open_pg(s, path, readonly, err, errlen) == -1
		    ? (store_close(s), NULL)
		    : s;
	if (db_open_sqlite(path, flags | SQLITE_OPEN_NOMUTEX, &s->db) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		    s->db ? db_errmsg(s->db) : "cannot open");
		goto fail;
	}
	db_busy_timeout(s->db, 10000);
	if (!readonly) {
		/* 16 KB pages for a new store: syslog rows are a few hundred
		 * bytes, written by the hundred thousand (no effect on a store
		 * that exists) */
		if (store_exec(s, "PRAGMA page_size = 16384", err, errlen) ==
		        -1 ||
		    store_exec(s, "PRAGMA journal_mode = WAL", err, errlen) ==
		        -1 ||
		    store_exec(s, "PRAGMA synchronous = NORMAL", err, errlen) ==
		        -1 ||
		    /* the -wal file, grown by a backlog or a retention pass,
		     * is cut back to 64 MB at its next checkpoint */
		    store_exec(s, "PRAGMA journal_size_limit = 67108864", err,
		        errlen) == -1 ||
		    /* a batch's dirty pages, and the indexes of big tables (logs),
		     * stay in memory: 32 MB */
		    store_exec(s, "PRAGMA cache_size = -32768", err, errlen) ==
		        -1 ||
		    store_exec(s, "PRAGMA foreign_keys = ON", err, errlen) ==
		        -1 ||
		    store_migrate(s, err, errlen) == -1)
			goto fail;
		if (store_prepare_all(s, err, errlen) == -1)
			goto fail;
	} else if (store_schema_version(s) < 1) {
		snprintf(err, errlen,
		    "%s: not a netpatrol store (no schema yet; "
		    "has netpatrold run?)",
		    path);
		goto fail;
	} else if (store_logdb_reader(s, err, errlen) == -1)
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

/*
 * The store at PATH; writing, with its messages' store beside it
 * (syslog.db), opened after the store (whose migration may move the
 * messages there).
 */
struct store *
store_open(const char *path, int readonly, char *err, size_t errlen)
{
	struct store *s = store_open_db(path, readonly, NULL, err, errlen);

	if (s == NULL || readonly)
		return s;
	if ((s->logs = store_open_db(s->logpath, 0, s, err, errlen)) == NULL) {
		store_close(s);
		return NULL;
	}
	return s;
}

void
store_path_of(const char *state_dir, const char *pg, char *out, size_t len)
{
	if (pg && pg[0])
		snprintf(out, len, "%s%s", STORE_PG_PREFIX, pg);
	else
		snprintf(out, len, "%s/%s", state_dir, STORE_FILE);
}

int
store_is_pg(const struct store *s)
{
	return db_is_pg(s->db);
}

const char *
store_log_path(const struct store *s)
{
	/* (in PostgreSQL, the database's name: the conninfo may hold a
	 * password) */
	if (db_is_pg(s->db))
		return s->path;
	return s->logpath;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	store_writer_stop(s);
	store_close(s->logs);
	for (int i = 0; i < ST_MAX; i++)
		if (s->st[i])
			db_finalize(s->st[i]);
	for (int i = 0; i < STORE_FST_MAX; i++)
		if (s->fst[i])
			db_finalize(s->fst[i]);
	if (s->db)
		db_close(s->db);
	db_close(s->ids_db);
	pthread_mutex_destroy(&s->ids_mtx);
	hmap_free_values(&s->spans);
	store_retry_free(s);
	pthread_mutex_destroy(&s->pruned_mtx);
	free(s);
}

int
store_schema_version(struct store *s)
{
	db_stmt *st;
	int v = -1;

	if (db_is_pg(s->db))
		return store_pg_version(s);
	if (db_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (db_step(st) == SQLITE_ROW)
		v = db_column_int(st, 0);
	db_finalize(st);
	return v;
}

const char *
store_errmsg(struct store *s)
{
	return db_errmsg(s->db);
}

/* --- binding helpers --- */

/*
 * Text is bound without a copy (SQLITE_STATIC): it outlives the binding.
 * A write binds and steps at once (store_step clears the bindings before
 * the record is freed); a query's parameters are the caller's, and the
 * statement is finalized before it returns.
 */
void
store_bind_text(db_stmt *st, int i, const char *v)
{
	db_bind_text(st, i, v, -1, SQLITE_STATIC);
}

void
store_bind_text_or_null(db_stmt *st, int i, const char *v)
{
	if (v[0])
		db_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		db_bind_null(st, i);
}

void
store_bind_real(db_stmt *st, int i, double v)
{
	if (isnan(v))
		db_bind_null(st, i);
	else
		db_bind_double(st, i, v);
}

void
store_bind_u64(db_stmt *st, int i, uint64_t v)
{
	db_bind_int64(st, i, v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

/* --- writer thread --- */

int
store_step(struct store *s, db_stmt *st, const char *what)
{
	int rc = db_step(st);

	db_reset(st);
	db_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		s->sql_errors++;
		store_txn_error(s, db_extended_errcode(s->db));
		complain(&s->sql_complaint, LOG_L_WARN, "store: writing %s: %s",
		    what, db_errmsg(s->db));
		return -1;
	}
	return 0;
}

static void
store_write_device(struct store *s, const struct store_device *d)
{
	db_stmt *st = s->st[ST_DEVICE];

	store_bind_text(st, 1, d->name);
	store_bind_text(st, 2, d->address);
	db_bind_int(st, 3, d->port);
	db_bind_int(st, 4, d->snmp_version);
	store_bind_text(st, 5, d->location);
	store_bind_text(st, 6, d->role);
	store_bind_text(st, 7, d->owner);
	store_bind_text_or_null(st, 8, d->sys_name);
	store_bind_text_or_null(st, 9, d->sys_descr);
	store_bind_text_or_null(st, 10, d->sys_object_id);
	if (d->last_ok > 0)
		store_bind_u64(st, 11, d->sys_uptime);
	if (d->reachable >= 0)
		db_bind_int(st, 12, d->reachable);
	if (d->last_poll > 0)
		db_bind_double(st, 13, d->last_poll);
	if (d->last_ok > 0)
		db_bind_double(st, 14, d->last_ok);
	store_step(s, st, "device");
}

static void
store_write_port(struct store *s, const struct store_port *p)
{
	db_stmt *st = s->st[ST_PORT];

	store_bind_text(st, 1, p->device);
	store_bind_text(st, 2, p->name);
	db_bind_int(st, 3, p->ifindex);
	store_bind_text(st, 4, p->descr);
	store_bind_text(st, 5, p->alias);
	db_bind_int(st, 6, p->type);
	store_bind_u64(st, 7, p->speed_bps);
	db_bind_int(st, 8, p->admin_status);
	db_bind_int(st, 9, p->oper_status);
	store_bind_u64(st, 10, p->last_change);
	store_bind_real(st, 11, p->in_bps);
	store_bind_real(st, 12, p->out_bps);
	store_bind_real(st, 13, p->in_pps);
	store_bind_real(st, 14, p->out_pps);
	store_bind_real(st, 15, p->in_errors);
	store_bind_real(st, 16, p->out_errors);
	store_bind_real(st, 17, p->in_discards);
	store_bind_real(st, 18, p->out_discards);
	db_bind_int(st, 19, p->hc);
	db_bind_double(st, 20, p->updated);
	store_bind_text(st, 21, p->rrd);
	store_bind_text_or_null(st, 22, p->counters);
	store_step(s, st, "port");
}

static void
store_write_stats(struct store *s, const struct store_stats *x)
{
	db_stmt *st = s->st[ST_STATS];

	store_bind_text(st, 1, x->device);
	store_bind_u64(st, 2, x->polls);
	store_bind_u64(st, 3, x->polls_ok);
	store_bind_u64(st, 4, x->polls_failed);
	db_bind_double(st, 5, x->last_start);
	db_bind_double(st, 6, x->last_duration);
	store_bind_u64(st, 7, x->last_requests);
	store_bind_u64(st, 8, x->last_varbinds);
	store_bind_u64(st, 9, x->requests);
	store_bind_u64(st, 10, x->varbinds);
	store_bind_u64(st, 11, x->timeouts);
	store_bind_u64(st, 12, x->retries);
	store_bind_u64(st, 13, x->errors);
	store_bind_u64(st, 14, x->bad_types);
	store_bind_u64(st, 15, x->loops);
	store_bind_u64(st, 16, x->truncated);
	store_bind_u64(st, 17, x->samples_dropped);
	store_bind_text(st, 18, x->last_error);
	store_bind_u64(st, 19, x->malformed);
	store_step(s, st, "poll statistics");
}

void
store_write_event(struct store *s, const struct np_event *e)
{
	db_stmt *st = s->st[ST_EVENT];

	db_bind_double(st, 1, e->time);
	store_bind_text(st, 2, e->device);
	store_bind_text(st, 3, e->source);
	store_bind_text(st, 4, e->kind);
	store_bind_text(st, 5, e->key);
	db_bind_int(st, 6, (int)e->severity);
	store_bind_text_or_null(st, 7, e->object);
	store_bind_text_or_null(st, 8, e->old_state);
	store_bind_text_or_null(st, 9, e->new_state);
	store_bind_text(st, 10, e->text);
	if (e->id > 0)
		db_bind_int64(st, 11, e->id);
	else
		db_bind_null(st, 11);
	store_step(s, st, "event");
}

static void
store_write_sensor(struct store *s, const struct store_sensor *x)
{
	db_stmt *st = s->st[ST_SENSOR];

	store_bind_text(st, 1, x->device);
	store_bind_text(st, 2, x->key);
	store_bind_text(st, 3, x->name);
	store_bind_text(st, 4, x->cls);
	store_bind_text(st, 5, x->unit);
	store_bind_text(st, 6, x->source);
	store_bind_real(st, 7, x->value);
	store_bind_text(st, 8, x->state);
	store_bind_text_or_null(st, 9, x->reason);
	store_bind_real(st, 10, x->warn_hi);
	store_bind_real(st, 11, x->crit_hi);
	store_bind_real(st, 12, x->warn_lo);
	store_bind_real(st, 13, x->crit_lo);
	db_bind_double(st, 14, x->updated);
	store_bind_text(st, 15, x->rrd);
	store_bind_text(st, 16, x->oid);
	store_step(s, st, "sensor");
}

static void
store_write_trap(struct store *s, const struct store_trap *t)
{
	db_stmt *st = s->st[ST_TRAP];

	if (!t->event_elsewhere)
		store_write_event(s, &t->event);
	db_bind_double(st, 1, t->event.time);
	store_bind_text(st, 2, t->event.device);
	db_bind_int(st, 3, t->known);
	store_bind_text(st, 4, t->sender);
	store_bind_text(st, 5, t->version);
	db_bind_int(st, 6, t->inform);
	store_bind_text_or_null(st, 7, t->security);
	store_bind_text(st, 8, t->trap_oid);
	store_bind_text_or_null(st, 9, t->trap_name);
	db_bind_int64(st, 10, (int64_t)t->uptime);
	store_bind_text(st, 11, t->varbinds ? t->varbinds : "[]");
	db_bind_int64(st, 12, t->event.id);
	store_step(s, st, "trap");
}

static void
store_write_gone(struct store *s, const struct store_sensor *x)
{
	db_stmt *st;

	if (db_prepare_v2(s->db,
	        "UPDATE sensors SET state = 'unknown', value = NULL,"
	        " reason = ?3, updated = ?4"
	        " WHERE device_id = (SELECT id FROM devices WHERE name = ?1)"
	        " AND key = ?2",
	        -1, &st, NULL) != SQLITE_OK) {
		s->sql_errors++;
		return;
	}
	store_bind_text(st, 1, x->device);
	store_bind_text(st, 2, x->key);
	store_bind_text(st, 3, x->reason);
	db_bind_double(st, 4, x->updated);
	store_step(s, st, "sensor no longer reported");
	db_finalize(st);
}

static void
store_write_prune(struct store *s, double before)
{
	static const char *const sql[] = {
	    "DELETE FROM events WHERE time < ?1",
	    "DELETE FROM traps WHERE time < ?1",
	};
	db_stmt *st;

	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		if (db_prepare_v2(s->db, sql[i], -1, &st, NULL) !=
		    SQLITE_OK) {
			s->sql_errors++;
			return;
		}
		db_bind_double(st, 1, before);
		store_step(s, st, "event retention");
		db_finalize(st);
	}
}

#define STORE_TXN_ROWS 20000 /* syslog messages per transaction, about */
/* PostgreSQL, shared: a backlog in one transaction deadlocked, never committed */
#define STORE_PG_TXN_OPS 2000 /* operations per transaction */

/* Commit the transaction: what it wrote (DONE) is done with; -1: not. */
static int
store_commit(struct store *s, struct wq_item **done, struct wq_item ***tail)
{
	struct wq_item *it, *next;

	/* sqlite rolled it back itself (SQLITE_FULL may) */
	if (!s->txn_failed && db_get_autocommit(s->db))
		store_txn_error(s, SQLITE_FULL);
	if (s->txn_failed ||
	    store_step(s, s->st[ST_COMMIT], "commit") == -1) {
		if (!s->txn_failed) /* a commit that failed otherwise */
			store_txn_error(s, SQLITE_IOERR);
		if (!db_get_autocommit(s->db))
			db_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		/* the spans in memory name ids rolled back */
		hmap_clear_free(&s->spans);
		return -1;
	}
	for (it = *done; it; it = next) {
		next = it->next;
		store_op_done(s, (struct store_op *)it, 1);
	}
	*done = NULL;
	*tail = done;
	return 0;
}

static void
store_begin(struct store *s)
{
	s->txn_failed = 0;
	s->txn_error[0] = '\0';
	store_step(s, s->st[ST_BEGIN], "begin");
}

/*
 * The writer's batch: what failed before (store_retry.c), then LIST, in
 * transactions; what a failed transaction held is kept for later, with
 * the rest: the milliseconds until then, else 0.
 */
static int
store_batch(void *arg, struct wq_item *list, size_t n)
{
	struct store *s = arg;
	struct wq_item *it, *next, *rest, *done = NULL, **tail = &done;
	size_t rows = 0, ops = 0;
	size_t ops_max = db_is_pg(s->db) ? STORE_PG_TXN_OPS : SIZE_MAX;

	(void)n;
	if ((list = store_retry_take(s, list)) == NULL)
		return 0;
	store_begin(s);
	for (it = list; it && !s->txn_failed; it = next) {
		struct store_op *op = (struct store_op *)it;

		next = it->next;
		it->next = NULL;
		switch (op->type) {
		case OP_DEVICE: store_write_device(s, OP_DATA(op)); break;
		case OP_PORT: store_write_port(s, OP_DATA(op)); break;
		case OP_STATS: store_write_stats(s, OP_DATA(op)); break;
		case OP_EVENT: store_write_event(s, OP_DATA(op)); break;
		case OP_LOGEVENTS: store_write_logevents(s, op); break;
		case OP_BARRIER: break; /* (told at the commit) */
		case OP_TRAP: store_write_trap(s, OP_DATA(op)); break;
		case OP_SENSOR_GONE: store_write_gone(s, OP_DATA(op)); break;
		case OP_FINDING: store_write_finding(s, OP_DATA(op)); break;
		case OP_FHIST: store_write_fhist(s, OP_DATA(op)); break;
		case OP_RETIRE: {
			char(*names)[NP_NAME_MAX] = OP_DATA(op);

			if (db_is_pg(s->db)) {
				store_retire_pg(s, names, op->n);
				break;
			}
			store_step(
			    s, s->st[ST_UNRETIRE_ALL], "device retirement");
			for (size_t i = 0; i < op->n; i++) {
				store_bind_text(
				    s->st[ST_RETIRE_ONE], 1, names[i]);
				store_step(s, s->st[ST_RETIRE_ONE],
				    "device retirement");
			}
			break;
		}
		case OP_SENSOR: store_write_sensor(s, OP_DATA(op)); break;
		case OP_CFGVERSION:
		case OP_CFGSTATE:
		case OP_CFGBASELINE:
		case OP_CFGCHECKS:
			store_write_cfg(s, op->type, op);
			break;
		case OP_PROBE:
		case OP_PROBE_CLEAR:
			store_write_probe(s, op->type, OP_DATA(op));
			break;
		case OP_LINK:
		case OP_LINK_CLEAR:
			store_write_link(s, op->type, OP_DATA(op));
			break;
		case OP_PLANRUN:
		case OP_PLANPRUNE:
		case OP_PLANRESULT:
			store_write_plan(s, op->type, OP_DATA(op));
			break;
		case OP_REPORTCOPY:
			store_write_report(s, op->type, OP_DATA(op));
			break;
		case OP_PRUNE: store_write_prune(s, op->arg); break;
		case OP_LOGS:
			store_write_logs(s, (struct store_logbatch *)op);
			rows += op->n;
			break;
		case OP_PRUNE_LOGS:
		case OP_PRUNE_LOGS_MORE:
			/* in transactions of their own (store_log.c), not
			 * kept when they fail: the next pass does it */
			if (store_commit(s, &done, &tail) == -1) {
				it->next = next;
				next = it;
				continue;
			}
			store_write_prune_logs(
			    s, op->type == OP_PRUNE_LOGS ? OP_DATA(op) : NULL);
			free(op);
			store_begin(s);
			rows = 0;
			continue;
		}
		*tail = it;
		tail = &it->next;
		/* a backlog of syslog is written in many transactions:
		 * readers see it come, the WAL is checkpointed small */
		if ((rows >= STORE_TXN_ROWS || ++ops >= ops_max) && next &&
		    !s->txn_failed) {
			if (store_commit(s, &done, &tail) == -1) {
				it = next;
				break;
			}
			store_begin(s);
			rows = ops = 0;
		}
	}
	rest = it; /* what was not written yet */
	if (!s->txn_failed && store_commit(s, &done, &tail) == 0) {
		store_retry_ok(s);
		return 0;
	}
	if (s->txn_failed && !db_get_autocommit(s->db)) {
		db_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		hmap_clear_free(&s->spans);
	}
	return store_retry_keep(s, done, rest);
}

int
store_batch_retry(struct store *s)
{
	return store_batch(s, NULL, 0);
}

int
store_writer_start(struct store *s, int batch_ms, size_t queue_max)
{
	__atomic_store_n(&s->stopping, 0, __ATOMIC_RELAXED);
	store_retry_init(s, queue_max);
	s->wq = wq_start(s->owner ? "store-syslog" : "store", queue_max,
	    batch_ms, store_batch, s);
	if (s->wq == NULL)
		return -1;
	return s->logs ? store_writer_start(s->logs, batch_ms, queue_max) : 0;
}

void
store_writer_stop(struct store *s)
{
	/* the messages first: their batches queued their events here */
	if (s->logs)
		store_writer_stop(s->logs);
	if (s->wq) {
		/* a retention pass under way ends with what is queued */
		__atomic_store_n(&s->stopping, 1, __ATOMIC_RELAXED);
		wq_stop(s->wq);
		s->wq = NULL;
		store_retry_stop(s);
	}
}

void
store_flush(struct store *s)
{
	if (s->logs)
		store_flush(s->logs);
	if (s->wq)
		wq_flush(s->wq);
}

void
store_writer_stats(struct store *s, struct wq_stats *st, uint64_t *sql_errors)
{
	memset(st, 0, sizeof(*st));
	if (s->wq)
		wq_get_stats(s->wq, st);
	*sql_errors = s->sql_errors;
}

int
store_log_writer_stats(
    struct store *s, struct wq_stats *st, uint64_t *sql_errors)
{
	if (s->logs == NULL)
		return -1;
	store_writer_stats(s->logs, st, sql_errors);
	return 0;
}

struct store_op *
store_op_new(enum store_op_type type, const void *rec, size_t size)
{
	struct store_op *op;

	if ((op = malloc(sizeof(*op) + size)) == NULL)
		return NULL;
	op->type = type;
	op->n = 0;
	op->arg = 0;
	if (rec)
		memcpy(OP_DATA(op), rec, size);
	return op;
}

int
store_push(struct store *s, struct store_op *op)
{
	if (op == NULL)
		return -1;
	if (s->wq == NULL || wq_push(s->wq, &op->item) == -1) {
		free(op);
		return -1;
	}
	return 0;
}

int
store_when_written(struct store *s, struct event_base *base,
    event_callback_fn cb, void *arg)
{
	struct store_barrier b = {base, cb, arg};
	struct store_op *op = store_op_new(OP_BARRIER, &b, sizeof(b));

	if (op == NULL)
		return -1;
	if (s->wq == NULL || wq_push_now(s->wq, &op->item) == -1) {
		free(op);
		return -1;
	}
	return 0;
}

int
store_put_device(struct store *s, const struct store_device *d)
{
	return store_push(s, store_op_new(OP_DEVICE, d, sizeof(*d)));
}

int
store_put_port(struct store *s, const struct store_port *p)
{
	return store_push(s, store_op_new(OP_PORT, p, sizeof(*p)));
}

int
store_put_stats(struct store *s, const struct store_stats *x)
{
	return store_push(s, store_op_new(OP_STATS, x, sizeof(*x)));
}

int
store_put_event(struct store *s, const struct np_event *e)
{
	return store_push(s, store_op_new(OP_EVENT, e, sizeof(*e)));
}

int
store_put_sensor(struct store *s, const struct store_sensor *x)
{
	return store_push(s, store_op_new(OP_SENSOR, x, sizeof(*x)));
}

int
store_sensor_gone(struct store *s, const struct store_sensor *x)
{
	return store_push(s, store_op_new(OP_SENSOR_GONE, x, sizeof(*x)));
}

int
store_put_trap(struct store *s, const struct store_trap *t)
{
	size_t n = t->varbinds ? strlen(t->varbinds) + 1 : 1;
	/* the record, then its varbinds' JSON: copy each from where it is */
	struct store_op *op = store_op_new(OP_TRAP, NULL, sizeof(*t) + n);
	struct store_trap *copy;

	if (op == NULL)
		return -1;
	copy = OP_DATA(op);
	memcpy(copy, t, sizeof(*t));
	memcpy((char *)(copy + 1), t->varbinds ? t->varbinds : "", n);
	copy->varbinds = (const char *)(copy + 1);
	return store_push(s, op);
}

int
store_prune_events(struct store *s, double before)
{
	struct store_op *op = store_op_new(OP_PRUNE, NULL, 0);

	if (op)
		op->arg = before;
	return store_push(s, op);
}

int
store_retire_devices(struct store *s, const char *const *keep, size_t n)
{
	struct store_op *op = store_op_new(OP_RETIRE, NULL, n * NP_NAME_MAX);
	char(*names)[NP_NAME_MAX];

	if (op == NULL)
		return -1;
	op->n = n;
	names = OP_DATA(op);
	for (size_t i = 0; i < n; i++)
		snprintf(names[i], NP_NAME_MAX, "%s", keep[i]);
	return store_push(s, op);
}

/* --- reader side --- */

void
store_col_text(db_stmt *st, int i, char *buf, size_t len)
{
	const unsigned char *t = db_column_text(st, i);

	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

double
store_col_real(db_stmt *st, int i)
{
	if (db_column_type(st, i) == SQLITE_NULL)
		return NAN;
	return db_column_double(st, i);
}

int
store_query_done(struct store *s, db_stmt *st, int rc)
{
	db_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW && rc != SQLITE_OK) {
		log_warnx("store: %s", db_errmsg(s->db));
		return -1;
	}
	return 0;
}

int
store_get_devices(struct store *s, store_device_cb cb, void *arg)
{
	db_stmt *st;
	struct store_device d;
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT name, address, port, snmp_version, location, role, "
	        "owner,"
	        " sys_name, sys_descr, sys_object_id, sys_uptime, reachable,"
	        " last_poll, last_ok, configured,"
	        " (SELECT count(*) FROM ports p WHERE p.device_id = d.id)"
	        " FROM devices d ORDER BY name",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&d, 0, sizeof(d));
		store_col_text(st, 0, d.name, sizeof(d.name));
		store_col_text(st, 1, d.address, sizeof(d.address));
		d.port = db_column_int(st, 2);
		d.snmp_version = db_column_int(st, 3);
		store_col_text(st, 4, d.location, sizeof(d.location));
		store_col_text(st, 5, d.role, sizeof(d.role));
		store_col_text(st, 6, d.owner, sizeof(d.owner));
		store_col_text(st, 7, d.sys_name, sizeof(d.sys_name));
		store_col_text(st, 8, d.sys_descr, sizeof(d.sys_descr));
		store_col_text(st, 9, d.sys_object_id, sizeof(d.sys_object_id));
		d.sys_uptime = (uint64_t)db_column_int64(st, 10);
		d.reachable = db_column_type(st, 11) == SQLITE_NULL
		    ? -1
		    : db_column_int(st, 11);
		d.last_poll = db_column_double(st, 12);
		d.last_ok = db_column_double(st, 13);
		d.configured = db_column_int(st, 14);
		d.nports = db_column_int(st, 15);
		if (cb(arg, &d) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}

int
store_get_ports(
    struct store *s, const char *device, store_port_cb cb, void *arg)
{
	db_stmt *st;
	struct store_port p;
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT d.name, p.name, ifindex, descr, alias, type, speed_bps,"
	        " admin_status, oper_status, last_change, in_bps, out_bps, "
	        "in_pps,"
	        " out_pps, in_errors, out_errors, in_discards, out_discards, "
	        "hc,"
	        " updated, rrd, counters"
	        " FROM ports p JOIN devices d ON d.id = p.device_id"
	        " WHERE ?1 IS NULL OR d.name = ?1 ORDER BY d.name, p.ifindex",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	if (device)
		store_bind_text(st, 1, device);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&p, 0, sizeof(p));
		store_col_text(st, 0, p.device, sizeof(p.device));
		store_col_text(st, 1, p.name, sizeof(p.name));
		p.ifindex = db_column_int(st, 2);
		store_col_text(st, 3, p.descr, sizeof(p.descr));
		store_col_text(st, 4, p.alias, sizeof(p.alias));
		p.type = db_column_int(st, 5);
		p.speed_bps = (uint64_t)db_column_int64(st, 6);
		p.admin_status = db_column_int(st, 7);
		p.oper_status = db_column_int(st, 8);
		p.last_change = (uint64_t)db_column_int64(st, 9);
		p.in_bps = store_col_real(st, 10);
		p.out_bps = store_col_real(st, 11);
		p.in_pps = store_col_real(st, 12);
		p.out_pps = store_col_real(st, 13);
		p.in_errors = store_col_real(st, 14);
		p.out_errors = store_col_real(st, 15);
		p.in_discards = store_col_real(st, 16);
		p.out_discards = store_col_real(st, 17);
		p.hc = db_column_int(st, 18);
		p.updated = db_column_double(st, 19);
		store_col_text(st, 20, p.rrd, sizeof(p.rrd));
		store_col_text(st, 21, p.counters, sizeof(p.counters));
		if (cb(arg, &p) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}

int
store_get_stats(
    struct store *s, const char *device, store_stats_cb cb, void *arg)
{
	db_stmt *st;
	struct store_stats x;
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT d.name, polls, polls_ok, polls_failed, last_start,"
	        " last_duration, last_requests, last_varbinds, requests, "
	        "varbinds,"
	        " timeouts, retries, errors, bad_types, loops, truncated,"
	        " samples_dropped, last_error, malformed"
	        " FROM poll_stats s JOIN devices d ON d.id = s.device_id"
	        " WHERE ?1 IS NULL OR d.name = ?1 ORDER BY d.name",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	if (device)
		store_bind_text(st, 1, device);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&x, 0, sizeof(x));
		store_col_text(st, 0, x.device, sizeof(x.device));
		x.polls = db_column_int64(st, 1);
		x.polls_ok = db_column_int64(st, 2);
		x.polls_failed = db_column_int64(st, 3);
		x.last_start = db_column_double(st, 4);
		x.last_duration = db_column_double(st, 5);
		x.last_requests = db_column_int64(st, 6);
		x.last_varbinds = db_column_int64(st, 7);
		x.requests = db_column_int64(st, 8);
		x.varbinds = db_column_int64(st, 9);
		x.timeouts = db_column_int64(st, 10);
		x.retries = db_column_int64(st, 11);
		x.errors = db_column_int64(st, 12);
		x.bad_types = db_column_int64(st, 13);
		x.loops = db_column_int64(st, 14);
		x.truncated = db_column_int64(st, 15);
		x.samples_dropped = db_column_int64(st, 16);
		store_col_text(st, 17, x.last_error, sizeof(x.last_error));
		x.malformed = db_column_int64(st, 18);
		if (cb(arg, &x) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}

/* The integer a one-value query gives; 0 for none or an error. */
int64_t
store_int64(struct store *s, const char *sql)
{
	db_stmt *st;
	int64_t v = 0;

	if (db_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (db_step(st) == SQLITE_ROW)
		v = db_column_int64(st, 0);
	db_finalize(st);
	return v;
}

int
store_get_sensors(
    struct store *s, const char *device, store_sensor_cb cb, void *arg)
{
	db_stmt *st;
	struct store_sensor x;
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT d.name, key, x.name, class, unit, source, value, state,"
	        " reason, warn_hi, crit_hi, warn_lo, crit_lo, updated, rrd, oid"
	        " FROM sensors x JOIN devices d ON d.id = x.device_id"
	        " WHERE ?1 IS NULL OR d.name = ?1 ORDER BY d.name, class, "
	        "x.name",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	if (device)
		store_bind_text(st, 1, device);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&x, 0, sizeof(x));
		store_col_text(st, 0, x.device, sizeof(x.device));
		store_col_text(st, 1, x.key, sizeof(x.key));
		store_col_text(st, 2, x.name, sizeof(x.name));
		store_col_text(st, 3, x.cls, sizeof(x.cls));
		store_col_text(st, 4, x.unit, sizeof(x.unit));
		store_col_text(st, 5, x.source, sizeof(x.source));
		x.value = store_col_real(st, 6);
		store_col_text(st, 7, x.state, sizeof(x.state));
		store_col_text(st, 8, x.reason, sizeof(x.reason));
		x.warn_hi = store_col_real(st, 9);
		x.crit_hi = store_col_real(st, 10);
		x.warn_lo = store_col_real(st, 11);
		x.crit_lo = store_col_real(st, 12);
		x.updated = db_column_double(st, 13);
		store_col_text(st, 14, x.rrd, sizeof(x.rrd));
		store_col_text(st, 15, x.oid, sizeof(x.oid));
		if (cb(arg, &x) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}
