/*
 * db.h - the store's database connection: sqlite (the embedded default)
 * or PostgreSQL (libpq, `store postgresql "CONNINFO"`), behind one small
 * interface shaped like sqlite's own, so that the store's files keep one
 * set of statements for both (db_pg.c turns sqlite's dialect into
 * PostgreSQL's where they differ).
 *
 * Return codes are sqlite's (SQLITE_OK, SQLITE_ROW, SQLITE_DONE, ...)
 * for both back ends. Only the store module includes this.
 */
#ifndef NP_DB_H
#define NP_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db db_conn;
typedef struct db_stmt db_stmt;
struct db_pgstmt;

struct db_stmt {
	sqlite3_stmt *sq; /* sqlite: the statement; NULL: PostgreSQL */
	struct db_pgstmt *pg;
};

/* Opening and closing. */
int db_open_sqlite(const char *path, int flags, db_conn **);
int db_open_pg(const char *conninfo, db_conn **, char *err, size_t errlen);
int db_close(db_conn *);
int db_is_pg(const db_conn *);
sqlite3 *db_sqlite(db_conn *); /* NULL for PostgreSQL */
/* PostgreSQL's database as "postgresql://USER@HOST:PORT/DB" (no password) */
void db_pg_name(db_conn *, char *, size_t);

/* The connection. */
int db_prepare_v2(db_conn *, const char *sql, int n, db_stmt **, const char **);
int db_prepare_v3(
    db_conn *, const char *sql, int n, unsigned flags, db_stmt **, const char **);
int db_exec(db_conn *, const char *sql, void *cb, void *arg, char **errmsg);
void db_free(void *);
const char *db_errmsg(db_conn *);
int db_extended_errcode(db_conn *);
int db_changes(db_conn *);
int64_t db_last_insert_rowid(db_conn *);
int db_get_autocommit(db_conn *);
int db_busy_timeout(db_conn *, int ms);

/* PostgreSQL's side of a statement (db_pg.c). */
int db_pg_step(db_stmt *);
int db_pg_reset(db_stmt *);
int db_pg_clear_bindings(db_stmt *);
int db_pg_finalize(db_stmt *);
int db_pg_bind(db_stmt *, int i, const char *v, size_t n, int binary);
int db_pg_bind_int64(db_stmt *, int i, int64_t);
int db_pg_bind_double(db_stmt *, int i, double);
int db_pg_column_type(db_stmt *, int i);
int64_t db_pg_column_int64(db_stmt *, int i);
double db_pg_column_double(db_stmt *, int i);
const unsigned char *db_pg_column_text(db_stmt *, int i);
const void *db_pg_column_blob(db_stmt *, int i);
int db_pg_column_bytes(db_stmt *, int i);

/* A statement: sqlite's own calls, or PostgreSQL's. */
static inline int
db_step(db_stmt *st)
{
	return st->sq ? sqlite3_step(st->sq) : db_pg_step(st);
}

static inline int
db_reset(db_stmt *st)
{
	return st->sq ? sqlite3_reset(st->sq) : db_pg_reset(st);
}

static inline int
db_clear_bindings(db_stmt *st)
{
	return st->sq ? sqlite3_clear_bindings(st->sq)
	              : db_pg_clear_bindings(st);
}

int db_finalize(db_stmt *);

static inline int
db_bind_int64(db_stmt *st, int i, int64_t v)
{
	return st->sq ? sqlite3_bind_int64(st->sq, i, v)
	              : db_pg_bind_int64(st, i, v);
}

static inline int
db_bind_int(db_stmt *st, int i, int v)
{
	return st->sq ? sqlite3_bind_int(st->sq, i, v)
	              : db_pg_bind_int64(st, i, v);
}

static inline int
db_bind_double(db_stmt *st, int i, double v)
{
	return st->sq ? sqlite3_bind_double(st->sq, i, v)
	              : db_pg_bind_double(st, i, v);
}

static inline int
db_bind_null(db_stmt *st, int i)
{
	return st->sq ? sqlite3_bind_null(st->sq, i)
	              : db_pg_bind(st, i, NULL, 0, 0);
}

static inline int
db_bind_text(db_stmt *st, int i, const char *v, int n, void (*d)(void *))
{
	return st->sq ? sqlite3_bind_text(st->sq, i, v, n, d)
	              : db_pg_bind(st, i, v, n < 0 ? (size_t)-1 : (size_t)n, 0);
}

static inline int
db_bind_blob(db_stmt *st, int i, const void *v, int n, void (*d)(void *))
{
	return st->sq ? sqlite3_bind_blob(st->sq, i, v, n, d)
	              : db_pg_bind(st, i, v, (size_t)n, 1);
}

static inline int
db_bind_blob64(
    db_stmt *st, int i, const void *v, uint64_t n, void (*d)(void *))
{
	return st->sq ? sqlite3_bind_blob64(st->sq, i, v, n, d)
	              : db_pg_bind(st, i, v, (size_t)n, 1);
}

static inline int
db_column_type(db_stmt *st, int i)
{
	return st->sq ? sqlite3_column_type(st->sq, i)
	              : db_pg_column_type(st, i);
}

static inline int64_t
db_column_int64(db_stmt *st, int i)
{
	return st->sq ? sqlite3_column_int64(st->sq, i)
	              : db_pg_column_int64(st, i);
}

static inline int
db_column_int(db_stmt *st, int i)
{
	return st->sq ? sqlite3_column_int(st->sq, i)
	              : (int)db_pg_column_int64(st, i);
}

static inline double
db_column_double(db_stmt *st, int i)
{
	return st->sq ? sqlite3_column_double(st->sq, i)
	              : db_pg_column_double(st, i);
}

static inline const unsigned char *
db_column_text(db_stmt *st, int i)
{
	return st->sq ? sqlite3_column_text(st->sq, i)
	              : db_pg_column_text(st, i);
}

static inline const void *
db_column_blob(db_stmt *st, int i)
{
	return st->sq ? sqlite3_column_blob(st->sq, i)
	              : db_pg_column_blob(st, i);
}

static inline int
db_column_bytes(db_stmt *st, int i)
{
	return st->sq ? sqlite3_column_bytes(st->sq, i)
	              : db_pg_column_bytes(st, i);
}

#endif
