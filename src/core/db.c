/*
 * db.c - the store's connection (db.h): sqlite's calls as they are, and
 * PostgreSQL's through db_pg.c. A build without libpq has only sqlite.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_int.h"

int
db_open_sqlite(const char *path, int flags, db_conn **out)
{
	db_conn *d = calloc(1, sizeof(*d));
	int rc;

	*out = d;
	if (d == NULL)
		return SQLITE_NOMEM;
	rc = sqlite3_open_v2(path, &d->sq, flags, NULL);
	if (rc != SQLITE_OK && d->sq == NULL) {
		free(d);
		*out = NULL;
	}
	return rc;
}

int
db_is_pg(const db_conn *d)
{
	return d->sq == NULL;
}

sqlite3 *
db_sqlite(db_conn *d)
{
	return d->sq;
}

int
db_close(db_conn *d)
{
	if (d == NULL)
		return SQLITE_OK;
	if (d->sq)
		sqlite3_close(d->sq);
	else
		db_pg_close(d);
	free(d);
	return SQLITE_OK;
}

int
db_prepare_v3(db_conn *d, const char *sql, int n, unsigned flags, db_stmt **out,
    const char **tail)
{
	db_stmt *st;
	int rc;

	*out = NULL;
	if (!d->sq)
		return db_pg_prepare(d, sql, n, out, tail);
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return SQLITE_NOMEM;
	rc = sqlite3_prepare_v3(d->sq, sql, n, flags, &st->sq, tail);
	if (rc != SQLITE_OK || st->sq == NULL) {
		/* an empty statement is no statement, as with sqlite */
		sqlite3_finalize(st->sq);
		free(st);
		return rc;
	}
	*out = st;
	return SQLITE_OK;
}

int
db_prepare_v2(db_conn *d, const char *sql, int n, db_stmt **out, const char **tail)
{
	return db_prepare_v3(d, sql, n, 0, out, tail);
}

int
db_finalize(db_stmt *st)
{
	int rc = SQLITE_OK;

	if (st == NULL)
		return SQLITE_OK;
	if (st->sq)
		rc = sqlite3_finalize(st->sq);
	else
		db_pg_finalize(st);
	free(st);
	return rc;
}

int
db_exec(db_conn *d, const char *sql, void *cb, void *arg, char **errmsg)
{
	(void)cb; /* no callbacks in netpatrol */
	(void)arg;
	if (d->sq)
		return sqlite3_exec(d->sq, sql, NULL, NULL, errmsg);
	return db_pg_exec(d, sql, errmsg);
}

void
db_free(void *p)
{
	/* sqlite3_free of what sqlite3_malloc gave; db_pg.c uses the same */
	sqlite3_free(p);
}

const char *
db_errmsg(db_conn *d)
{
	return d->sq ? sqlite3_errmsg(d->sq) : db_pg_errmsg(d);
}

int
db_extended_errcode(db_conn *d)
{
	return d->sq ? sqlite3_extended_errcode(d->sq) : db_pg_errcode(d);
}

int
db_changes(db_conn *d)
{
	return d->sq ? sqlite3_changes(d->sq) : db_pg_changes(d);
}

int64_t
db_last_insert_rowid(db_conn *d)
{
	return d->sq ? sqlite3_last_insert_rowid(d->sq)
	             : db_pg_last_insert_rowid(d);
}

int
db_get_autocommit(db_conn *d)
{
	return d->sq ? sqlite3_get_autocommit(d->sq) : db_pg_autocommit(d);
}

int
db_busy_timeout(db_conn *d, int ms)
{
	return d->sq ? sqlite3_busy_timeout(d->sq, ms) : SQLITE_OK;
}

#ifndef HAVE_LIBPQ
/* Without libpq: no PostgreSQL connection is ever made, so none of these
 * is reached but db_open_pg. */
int
db_open_pg(const char *conninfo, db_conn **out, char *err, size_t errlen)
{
	(void)conninfo;
	*out = NULL;
	snprintf(err, errlen,
	    "this netpatrol is built without PostgreSQL "
	    "(configure --with-postgresql, libpq-dev)");
	return SQLITE_ERROR;
}
void db_pg_close(db_conn *d) { (void)d; }
void db_pg_name(db_conn *d, char *o, size_t n) { (void)d; snprintf(o, n, "?"); }
int db_pg_prepare(db_conn *d, const char *s, int n, db_stmt **o, const char **t)
{ (void)d; (void)s; (void)n; (void)o; (void)t; return SQLITE_ERROR; }
int db_pg_exec(db_conn *d, const char *s, char **e)
{ (void)d; (void)s; (void)e; return SQLITE_ERROR; }
const char *db_pg_errmsg(db_conn *d) { (void)d; return "no PostgreSQL"; }
int db_pg_errcode(db_conn *d) { (void)d; return SQLITE_ERROR; }
int db_pg_changes(db_conn *d) { (void)d; return 0; }
int64_t db_pg_last_insert_rowid(db_conn *d) { (void)d; return 0; }
int db_pg_autocommit(db_conn *d) { (void)d; return 1; }
int db_pg_step(db_stmt *s) { (void)s; return SQLITE_ERROR; }
int db_pg_reset(db_stmt *s) { (void)s; return SQLITE_OK; }
int db_pg_clear_bindings(db_stmt *s) { (void)s; return SQLITE_OK; }
int db_pg_finalize(db_stmt *s) { (void)s; return SQLITE_OK; }
int db_pg_bind(db_stmt *s, int i, const char *v, size_t n, int b)
{ (void)s; (void)i; (void)v; (void)n; (void)b; return SQLITE_ERROR; }
int db_pg_bind_int64(db_stmt *s, int i, int64_t v)
{ (void)s; (void)i; (void)v; return SQLITE_ERROR; }
int db_pg_bind_double(db_stmt *s, int i, double v)
{ (void)s; (void)i; (void)v; return SQLITE_ERROR; }
int db_pg_column_type(db_stmt *s, int i) { (void)s; (void)i; return SQLITE_NULL; }
int64_t db_pg_column_int64(db_stmt *s, int i) { (void)s; (void)i; return 0; }
double db_pg_column_double(db_stmt *s, int i) { (void)s; (void)i; return 0; }
const unsigned char *db_pg_column_text(db_stmt *s, int i)
{ (void)s; (void)i; return NULL; }
const void *db_pg_column_blob(db_stmt *s, int i) { (void)s; (void)i; return NULL; }
int db_pg_column_bytes(db_stmt *s, int i) { (void)s; (void)i; return 0; }
#endif
