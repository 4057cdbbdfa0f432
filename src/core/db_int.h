/*
 * db_int.h - what db.c and db_pg.c share: the connection, and
 * PostgreSQL's side of it.
 */
#ifndef NP_DB_INT_H
#define NP_DB_INT_H

#include "db.h"

struct db_pg;

struct db {
	sqlite3 *sq; /* NULL: PostgreSQL */
	struct db_pg *pg;
};

void db_pg_close(db_conn *);
int db_pg_prepare(db_conn *, const char *sql, int n, db_stmt **, const char **);
int db_pg_exec(db_conn *, const char *sql, char **errmsg);
const char *db_pg_errmsg(db_conn *);
int db_pg_errcode(db_conn *);
int db_pg_changes(db_conn *);
int64_t db_pg_last_insert_rowid(db_conn *);
int db_pg_autocommit(db_conn *);

/* db_pgsql.c: sqlite's dialect as PostgreSQL's; a new string (malloc),
 * the number of parameters in *NPARAMS, and in *RETURNING whether it
 * returns the id of a row it inserts; NULL: out of memory */
char *db_pg_translate(const char *sql, size_t n, int *nparams, int *returning);

#endif
