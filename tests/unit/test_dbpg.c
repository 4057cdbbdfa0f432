/*
 * test_dbpg.c - the store's SQL as PostgreSQL takes it (db_pgsql.c):
 * parameters, INSERT OR IGNORE/REPLACE, sqlite's functions, LIMIT -1,
 * subqueries without a name, ids returned, quoted text left alone, and
 * hostile statements (unbalanced quotes and parentheses, no end).
 */
#include "config.h"

#include <stdlib.h>

#include "../../src/core/db_int.h"
#include "tap.h"

static char got[4096];
static int np, ret;

static const char *
tr(const char *sql)
{
	char *s = db_pg_translate(sql, strlen(sql), &np, &ret);

	snprintf(got, sizeof(got), "%s", s ? s : "(null)");
	free(s);
	return got;
}

int
main(void)
{
	TAP_STREQ(tr("SELECT a FROM t WHERE b = ?1 AND c = ?2"),
	    "SELECT a FROM t WHERE b = $1 AND c = $2", "?N is $N");
	TAP_OK(np == 2 && ret == 0, "two parameters, no id returned");
	TAP_STREQ(tr("SELECT ? , ?, ?7, ?"), "SELECT $1 , $2, $7, $8",
	    "a bare ? is the next number, as sqlite counts");
	TAP_OK(np == 8, "the largest number is the count (%d)", np);
	TAP_STREQ(tr("SELECT '?1 it''s' , \"a?b\" FROM t WHERE x = ?1"),
	    "SELECT '?1 it''s' , \"a?b\" FROM t WHERE x = $1",
	    "quoted text and names are left alone");
	TAP_STREQ(tr("INSERT OR IGNORE INTO config_blobs (hash, base) VALUES (?1, ?2)"),
	    "INSERT INTO config_blobs (hash, base) VALUES ($1, $2) ON CONFLICT DO NOTHING",
	    "INSERT OR IGNORE");
	TAP_STREQ(tr("INSERT OR REPLACE INTO config_state (device, last_ok, failures) VALUES (?1, ?2, ?3)"),
	    "INSERT INTO config_state (device, last_ok, failures) VALUES ($1, $2, $3)"
	    " ON CONFLICT (device) DO UPDATE SET last_ok = excluded.last_ok,"
	    " failures = excluded.failures",
	    "INSERT OR REPLACE: an upsert on the table's key");
	TAP_STREQ(tr("INSERT OR REPLACE INTO plan_results (run, item, name) VALUES (?1, ?2, ?3)"),
	    "INSERT INTO plan_results (run, item, name) VALUES ($1, $2, $3)"
	    " ON CONFLICT (run,item) DO UPDATE SET name = excluded.name",
	    "... a key of two columns");
	TAP_STREQ(tr("INSERT INTO logs (time, host) VALUES (?1, ?2)"),
	    "INSERT INTO logs (time, host) VALUES ($1, $2) RETURNING id",
	    "an insert into logs (ids made by the database) returns the id");
	TAP_OK(ret == 1, "... and says so");
	TAP_STREQ(tr("INSERT INTO events (time, kind, id) VALUES (?1, ?2, ?3)"),
	    "INSERT INTO events (time, kind, id) VALUES ($1, $2, $3)",
	    "... events carry ids of the daemon's blocks: none returned");
	TAP_OK(ret == 0, "... and says so");
	TAP_STREQ(tr("INSERT INTO log_spans (device) VALUES (?1) ON CONFLICT (device) DO UPDATE SET n = ?1"),
	    "INSERT INTO log_spans (device) VALUES ($1) ON CONFLICT (device) DO UPDATE SET n = $1",
	    "... not into one without");
	TAP_OK(ret == 0, "... and says so");
	TAP_STREQ(tr("SELECT strftime('%s','now'), group_concat(a, ' '), ifnull(b, 1) FROM main.t, logdb.logs"),
	    "SELECT floor(extract(epoch from now())), string_agg(a, ' '), coalesce(b, 1) FROM t, logs",
	    "sqlite's functions and database prefixes");
	TAP_STREQ(tr("BEGIN IMMEDIATE"), "BEGIN ", "BEGIN IMMEDIATE");
	TAP_STREQ(tr("CREATE TABLE x (a INTEGER) WITHOUT ROWID; SELECT rowid FROM x"),
	    "CREATE TABLE x (a INTEGER) ; SELECT id FROM x",
	    "WITHOUT ROWID; rowid is id");
	TAP_STREQ(tr("SELECT * FROM (SELECT a FROM t ORDER BY a DESC LIMIT ?3) ORDER BY a"),
	    "SELECT * FROM (SELECT a FROM t ORDER BY a DESC LIMIT CASE WHEN $3 < 0 THEN NULL ELSE $3 END) AS np_q1 ORDER BY a",
	    "a subquery in FROM is named; LIMIT -1 is no limit");
	TAP_STREQ(tr("SELECT * FROM (SELECT a FROM t) x WHERE (a + 1) > 2"),
	    "SELECT * FROM (SELECT a FROM t) x WHERE (a + 1) > 2",
	    "a named subquery, and other parentheses, as they are");
	TAP_STREQ(tr("SELECT coalesce(text, CAST(substr(raw, text_off + 1) AS TEXT)) FROM logs WHERE a LIKE ?1"),
	    "SELECT coalesce(text, CAST(NULL AS TEXT)) FROM logs WHERE a ILIKE $1",
	    "text out of the raw bytes; LIKE ignores case");
	/* hostile: none of these may read past the end */
	tr("SELECT 'unterminated");
	TAP_STREQ(got, "SELECT 'unterminated", "an unterminated string");
	tr("SELECT * FROM ((((");
	TAP_OK(strncmp(got, "SELECT * FROM ((((", 18) == 0, "open parentheses");
	tr("))))) FROM (");
	TAP_OK(got[0] == ')', "closing parentheses first");
	tr("INSERT OR REPLACE INTO");
	TAP_OK(strncmp(got, "INSERT", 6) == 0, "INSERT OR REPLACE INTO and nothing");
	tr("INSERT OR REPLACE INTO nosuch (a, b) VALUES (?1, ?2)");
	TAP_OK(strstr(got, "netpatrol_unknown_key") != NULL,
	    "a table with no known key: PostgreSQL will name the error");
	tr("SELECT ?99999999999999999999");
	TAP_OK(np >= 0, "a huge parameter number does not overflow into a crash");
	tr("LIMIT ?");
	TAP_OK(strstr(got, "LIMIT") != NULL, "LIMIT ? with no number");
	{
		char big[20000];

		for (size_t i = 0; i < sizeof(big) - 1; i++)
			big[i] = "(?'x) "[i % 6];
		big[sizeof(big) - 1] = '\0';
		char *s = db_pg_translate(big, strlen(big), &np, &ret);
		TAP_OK(s != NULL, "20 KB of parentheses, parameters and quotes");
		free(s);
	}
	return tap_done();
}
