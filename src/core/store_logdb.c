/*
 * store_logdb.c - the syslog messages' own database (syslog.db, beside the
 * store): its schema and migrations, the move of the messages out of the
 * store that kept them before (schema 17), and its attachment to the
 * readers' connections, so that a query names `logs` as it always did.
 *
 * Two databases, two connections, two writer threads: a flood of
 * messages no longer holds up the state, events and findings behind it
 * in one queue and one transaction, and each writer uses a core.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"

/* The messages' tables, as schema 9 of the store left them. */
#define LOGDB_LOGS \
	" (id INTEGER PRIMARY KEY," \
	" time REAL NOT NULL, msg_time REAL," \
	" device TEXT NOT NULL, known INTEGER NOT NULL, sender TEXT NOT NULL," \
	" transport TEXT, facility INTEGER, severity INTEGER," \
	" host TEXT, app TEXT, procid TEXT, msgid TEXT, mnemonic TEXT," \
	" text TEXT, text_off INTEGER, sd TEXT, raw BLOB, len INTEGER," \
	" problems INTEGER, event_id INTEGER, sd_off INTEGER, sd_len INTEGER)"
#define LOGDB_SPANS \
	" (device TEXT NOT NULL, first_id INTEGER NOT NULL," \
	" last_id INTEGER NOT NULL, n INTEGER NOT NULL," \
	" PRIMARY KEY (device, first_id)) WITHOUT ROWID"

/* syslog.db's migrations: N brings its user_version from N-1 to N. */
const char *const store_logdb_migrations[] = {
    /* 1: the messages and the spans of ids of each device's
     * (store_logspan.c); there already when the store moved its own */
    "CREATE TABLE IF NOT EXISTS logs" LOGDB_LOGS ";"
    "CREATE TABLE IF NOT EXISTS log_spans" LOGDB_SPANS ";",
};
const int store_logdb_nmigrations =
    (int)(sizeof(store_logdb_migrations) / sizeof(store_logdb_migrations[0]));

/*
 * The store's migration 17, with syslog.db attached as logdb: the
 * messages move there. Safe to run again after a crash half-way (the two
 * files commit apart in WAL mode): what was copied is not copied twice.
 */
const char store_logdb_move_sql[] =
    "CREATE TABLE IF NOT EXISTS logdb.logs" LOGDB_LOGS ";"
    "CREATE TABLE IF NOT EXISTS logdb.log_spans" LOGDB_SPANS ";"
    "INSERT OR IGNORE INTO logdb.logs SELECT * FROM main.logs;"
    "INSERT OR IGNORE INTO logdb.log_spans SELECT * FROM main.log_spans;"
    "DROP TABLE main.logs;"
    "DROP TABLE main.log_spans;";

void
store_logdb_path(const char *store_path, char *out, size_t len)
{
	const char *slash = strrchr(store_path, '/');

	if (slash == NULL)
		snprintf(out, len, "%s", STORE_LOG_FILE);
	else
		snprintf(out, len, "%.*s/%s", (int)(slash - store_path),
		    store_path, STORE_LOG_FILE);
}

/*
 * syslog.db attached to S's connection as logdb (read-only on a read-only
 * connection: it takes the connection's flags). A writing connection
 * gives a new file the store's page size and WAL.
 */
int
store_logdb_attach(struct store *s, int readonly, char *err, size_t errlen)
{
	db_stmt *st;
	int rc;

	if (db_prepare_v2(s->db, "ATTACH DATABASE ?1 AS logdb", -1, &st,
	        NULL) != SQLITE_OK)
		goto fail;
	db_bind_text(st, 1, s->logpath, -1, SQLITE_STATIC);
	rc = db_step(st);
	db_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail;
	if (!readonly &&
	    (db_exec(s->db, "PRAGMA logdb.page_size = 16384", NULL, NULL,
	         NULL) != SQLITE_OK ||
	        db_exec(s->db, "PRAGMA logdb.journal_mode = WAL", NULL,
	            NULL, NULL) != SQLITE_OK))
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", s->logpath, db_errmsg(s->db));
	return -1;
}

void
store_logdb_detach(struct store *s)
{
	db_exec(s->db, "DETACH DATABASE logdb", NULL, NULL, NULL);
}

/*
 * A reader's connection to a store that keeps its messages apart: with
 * syslog.db attached when it is there (a store whose daemon never ran
 * this version has none; reading its messages then fails as "no such
 * table", and nothing else does).
 */
int
store_logdb_reader(struct store *s, char *err, size_t errlen)
{
	if (s->owner != NULL || store_schema_version(s) < STORE_LOGDB_SCHEMA)
		return 0;
	if (access(s->logpath, F_OK) == -1)
		return 0;
	return store_logdb_attach(s, 1, err, errlen);
}
