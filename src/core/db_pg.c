/*
 * db_pg.c - the store's connection to PostgreSQL (libpq), shaped like
 * sqlite's: a statement is sqlite's SQL turned into PostgreSQL's
 * (db_pgsql.c), its parameters kept as text (or bytes) and typed by how
 * they were bound, executed at its first step, its rows stepped through.
 * Codes are sqlite's: a unique or foreign key violation is
 * SQLITE_CONSTRAINT, a serialization failure or lock SQLITE_BUSY, a lost
 * connection SQLITE_IOERR (reset for the next statement: the store's
 * writer keeps a failed transaction's operations and tries again).
 */
#include "config.h"

#ifdef HAVE_LIBPQ

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "db_int.h"
#include "json.h"

/* PostgreSQL's type oids (pg_type.h, fixed) */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700
#define OID_TEXT 25

/* Inserts in a transaction go in a pipeline, a sync every so many. */
#define PG_PIPE_SYNC 1000

struct db_pg {
	PGconn *conn;
	/* the pipeline (libpq's pipeline mode, in a transaction): what was
	 * sent and not yet read, and its first failure */
	int piped, pending, pipe_failed;
	int pipe_code;
	char pipe_err[512];
	int errcode;
	int changes;
	int64_t lastid; /* the id the last INSERT returned, or 0 */
	char err[512];
};

struct db_pgstmt {
	db_conn *d;
	char *sql;
	int nparams;
	int returning; /* an INSERT returning its row's id */
	int pipe; /* an INSERT returning nothing: may go in a pipeline */
	char **vals;
	int *lens, *fmts;
	Oid *types;
	PGresult *res;
	int executed, row, ntuples;
	unsigned char **blobs; /* the row's bytea columns, decoded */
	size_t *bloblens;
	int ncols;
};

static void pg_drain(db_conn *, int leave);

static void
pg_seterr(db_conn *d, int code, const char *msg)
{
	size_t n;

	d->pg->errcode = code;
	snprintf(d->pg->err, sizeof(d->pg->err), "%s", msg ? msg : "error");
	d->pg->err[strcspn(d->pg->err, "\n")] = '\0';
	n = strlen(d->pg->err);
	while (n > 0 && (d->pg->err[n - 1] == '\n' || d->pg->err[n - 1] == ' '))
		d->pg->err[--n] = '\0';
}

int
db_open_pg(const char *conninfo, db_conn **out, char *err, size_t errlen)
{
	db_conn *d = calloc(1, sizeof(*d));
	PGresult *r;

	*out = NULL;
	if (d == NULL || (d->pg = calloc(1, sizeof(*d->pg))) == NULL) {
		free(d);
		snprintf(err, errlen, "out of memory");
		return SQLITE_NOMEM;
	}
	d->pg->conn = PQconnectdb(conninfo);
	if (PQstatus(d->pg->conn) != CONNECTION_OK) {
		snprintf(err, errlen, "PostgreSQL: %s",
		    d->pg->conn ? PQerrorMessage(d->pg->conn) : "out of memory");
		err[strcspn(err, "\n")] = '\0';
		PQfinish(d->pg->conn);
		free(d->pg);
		free(d);
		return SQLITE_CANTOPEN;
	}
	/* quiet notices (IF NOT EXISTS ...); times as numbers, text UTF-8 */
	r = PQexec(d->pg->conn, "SET client_min_messages = warning;"
	                        " SET client_encoding = 'UTF8';"
	                        " SET bytea_output = 'hex'");
	PQclear(r);
	*out = d;
	return SQLITE_OK;
}

void
db_pg_name(db_conn *d, char *out, size_t len)
{
	PGconn *c = d->pg->conn;
	const char *host = PQhost(c);

	snprintf(out, len, "postgresql://%s@%s%s%s/%s", PQuser(c),
	    host && host[0] == '/' ? "" : host ? host : "",
	    host && host[0] != '/' ? ":" : "",
	    host && host[0] != '/' ? PQport(c) : "", PQdb(c));
}

void
db_pg_close(db_conn *d)
{
	pg_drain(d, 1);
	PQfinish(d->pg->conn);
	free(d->pg);
}

const char *
db_pg_errmsg(db_conn *d)
{
	return d->pg->err[0] ? d->pg->err : "not an error";
}

int
db_pg_errcode(db_conn *d)
{
	return d->pg->errcode;
}

int
db_pg_changes(db_conn *d)
{
	return d->pg->changes;
}

int
db_pg_autocommit(db_conn *d)
{
	pg_drain(d, 1);
	return PQtransactionStatus(d->pg->conn) == PQTRANS_IDLE;
}

/* sqlite's code for a failed result (SQLSTATE's class and code). */
static int
pg_code(const PGresult *r, PGconn *c)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	if (PQstatus(c) != CONNECTION_OK)
		return SQLITE_IOERR;
	if (st == NULL)
		return SQLITE_ERROR;
	if (strcmp(st, "23505") == 0)
		return SQLITE_CONSTRAINT_UNIQUE;
	if (strcmp(st, "23503") == 0)
		return SQLITE_CONSTRAINT_FOREIGNKEY;
	if (strncmp(st, "23", 2) == 0)
		return SQLITE_CONSTRAINT;
	if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 ||
	    strcmp(st, "55P03") == 0)
		return SQLITE_BUSY;
	if (strncmp(st, "53", 2) == 0) /* insufficient resources: disk full */
		return SQLITE_FULL;
	if (strncmp(st, "08", 2) == 0)
		return SQLITE_IOERR;
	return SQLITE_ERROR;
}

/* After a failure: a lost connection is made again for what comes next
 * (the transaction under way is gone; the caller is told so). */
static int
pg_failed(db_conn *d, PGresult *r)
{
	int code = pg_code(r, d->pg->conn);

	const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	/* the message alone, on one line (sqlite's are) */
	pg_seterr(d, code, m ? m : PQerrorMessage(d->pg->conn));
	if (PQstatus(d->pg->conn) != CONNECTION_OK)
		PQreset(d->pg->conn);
	return code & 0xff;
}

/*
 * Read what the pipeline answered up to its last sync; leave it (out of
 * pipeline mode) when LEAVE. The first failure is kept (pipe_failed):
 * the transaction is aborted, and the next statement or the COMMIT says
 * so.
 */
static void
pg_drain(db_conn *d, int leave)
{
	struct db_pg *g = d->pg;
	PGresult *r;

	if (!g->piped)
		return;
	if (g->pending > 0 && PQpipelineSync(g->conn) == 1) {
		int syncs = 1;

		while (syncs > 0) {
			if ((r = PQgetResult(g->conn)) == NULL) {
				if (PQstatus(g->conn) != CONNECTION_OK)
					break;
				continue;
			}
			switch (PQresultStatus(r)) {
			case PGRES_PIPELINE_SYNC:
				syncs--;
				break;
			case PGRES_FATAL_ERROR:
				if (!g->pipe_failed) {
					const char *m = PQresultErrorField(
					    r, PG_DIAG_MESSAGE_PRIMARY);

					g->pipe_failed = 1;
					g->pipe_code = pg_code(r, g->conn);
					snprintf(g->pipe_err, sizeof(g->pipe_err),
					    "%s", m ? m : "error in a pipeline");
				}
				break;
			default:
				break;
			}
			PQclear(r);
		}
		if (syncs > 0 && !g->pipe_failed) { /* the connection is gone */
			g->pipe_failed = 1;
			g->pipe_code = SQLITE_IOERR;
			snprintf(g->pipe_err, sizeof(g->pipe_err), "%s",
			    PQerrorMessage(g->conn));
		}
	}
	g->pending = 0;
	if (leave) {
		PQexitPipelineMode(g->conn);
		g->piped = 0;
	}
}

/* A failure the pipeline kept, said now (and forgotten). */
static int
pg_pipe_error(db_conn *d)
{
	struct db_pg *g = d->pg;

	if (!g->pipe_failed)
		return 0;
	g->pipe_failed = 0;
	pg_seterr(d, g->pipe_code, g->pipe_err);
	if (PQstatus(g->conn) != CONNECTION_OK)
		PQreset(g->conn);
	return g->pipe_code & 0xff;
}

int
db_pg_exec(db_conn *d, const char *sql, char **errmsg)
{
	int n, ret;
	char *q = db_pg_translate(sql, strlen(sql), &n, &ret);
	PGresult *r;
	ExecStatusType ok;
	int rc = SQLITE_OK;

	if (errmsg)
		*errmsg = NULL;
	if (q == NULL)
		return SQLITE_NOMEM;
	pg_drain(d, 1);
	r = PQexec(d->pg->conn, q);
	free(q);
	ok = PQresultStatus(r);
	if (ok != PGRES_COMMAND_OK && ok != PGRES_TUPLES_OK &&
	    ok != PGRES_EMPTY_QUERY) {
		rc = pg_failed(d, r);
		if (errmsg)
			*errmsg = sqlite3_mprintf("%s", d->pg->err);
	} else {
		d->pg->changes = atoi(PQcmdTuples(r));
		d->pg->err[0] = '\0';
	}
	PQclear(r);
	return rc;
}

int64_t
db_pg_last_insert_rowid(db_conn *d)
{
	PGresult *r;
	int64_t v = 0;

	if (d->pg->lastid)
		return d->pg->lastid;
	pg_drain(d, 1);
	r = PQexec(d->pg->conn, "SELECT lastval()");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

int
db_pg_prepare(
    db_conn *d, const char *sql, int n, db_stmt **out, const char **tail)
{
	db_stmt *st = calloc(1, sizeof(*st));
	struct db_pgstmt *p = calloc(1, sizeof(*p));
	size_t len = n < 0 ? strlen(sql) : (size_t)n;

	if (tail)
		*tail = sql + len;
	if (st == NULL || p == NULL)
		goto nomem;
	st->pg = p;
	p->d = d;
	p->row = -1;
	if ((p->sql = db_pg_translate(sql, len, &p->nparams, &p->returning)) ==
	    NULL)
		goto nomem;
	p->pipe = !p->returning && strncasecmp(p->sql, "INSERT", 6) == 0 &&
	    strchr(p->sql, ';') == NULL;
	if (p->nparams > 0 &&
	    ((p->vals = calloc(p->nparams, sizeof(*p->vals))) == NULL ||
	        (p->lens = calloc(p->nparams, sizeof(*p->lens))) == NULL ||
	        (p->fmts = calloc(p->nparams, sizeof(*p->fmts))) == NULL ||
	        (p->types = calloc(p->nparams, sizeof(*p->types))) == NULL))
		goto nomem;
	*out = st;
	return SQLITE_OK;
nomem:
	if (p) {
		free(p->sql);
		free(p->vals);
		free(p->lens);
		free(p->fmts);
		free(p->types);
	}
	free(p);
	free(st);
	return SQLITE_NOMEM;
}

static void
pg_free_blobs(struct db_pgstmt *p)
{
	for (int i = 0; i < p->ncols; i++) {
		free(p->blobs[i]);
		p->blobs[i] = NULL;
	}
}

int
db_pg_reset(db_stmt *st)
{
	struct db_pgstmt *p = st->pg;

	if (p->blobs)
		pg_free_blobs(p);
	PQclear(p->res);
	p->res = NULL;
	p->executed = 0;
	p->row = -1;
	p->ntuples = 0;
	return SQLITE_OK;
}

int
db_pg_clear_bindings(db_stmt *st)
{
	struct db_pgstmt *p = st->pg;

	for (int i = 0; i < p->nparams; i++) {
		free(p->vals[i]);
		p->vals[i] = NULL;
		p->types[i] = 0;
	}
	return SQLITE_OK;
}

int
db_pg_finalize(db_stmt *st)
{
	struct db_pgstmt *p = st->pg;

	if (p == NULL)
		return SQLITE_OK;
	db_pg_reset(st);
	db_pg_clear_bindings(st);
	free(p->blobs);
	free(p->bloblens);
	free(p->vals);
	free(p->lens);
	free(p->fmts);
	free(p->types);
	free(p->sql);
	free(p);
	st->pg = NULL;
	return SQLITE_OK;
}

/* Text as PostgreSQL takes it: valid UTF-8 with no NUL (an invalid byte
 * becomes U+FFFD, a NUL is left out); the raw bytes, where they matter,
 * are kept in a blob beside. */
static char *
pg_text(const unsigned char *v, size_t n, int *outlen)
{
	char *o = malloc(n * 3 + 1), *w = o;
	size_t i = 0, l;

	if (o == NULL)
		return NULL;
	while (i < n) {
		if (v[i] == 0) {
			i++;
			continue;
		}
		if ((l = json_utf8_len(v + i, n - i)) == 0) {
			memcpy(w, "\xef\xbf\xbd", 3);
			w += 3;
			i++;
			continue;
		}
		memcpy(w, v + i, l);
		w += l;
		i += l;
	}
	*w = '\0';
	*outlen = (int)(w - o);
	return o;
}

int
db_pg_bind(db_stmt *st, int i, const char *v, size_t n, int binary)
{
	struct db_pgstmt *p = st->pg;
	int k = i - 1;

	if (k < 0 || k >= p->nparams)
		return SQLITE_RANGE;
	free(p->vals[k]);
	p->vals[k] = NULL;
	p->fmts[k] = 0;
	p->lens[k] = 0;
	p->types[k] = 0;
	if (v == NULL) /* NULL, as sqlite binds a NULL pointer */
		return SQLITE_OK;
	if (binary) {
		if ((p->vals[k] = malloc(n ? n : 1)) == NULL)
			return SQLITE_NOMEM;
		if (n)
			memcpy(p->vals[k], v, n);
		p->lens[k] = (int)n;
		p->fmts[k] = 1;
		p->types[k] = OID_BYTEA;
		return SQLITE_OK;
	}
	if (n == (size_t)-1)
		n = strlen(v);
	if ((p->vals[k] = pg_text((const unsigned char *)v, n, &p->lens[k])) ==
	    NULL)
		return SQLITE_NOMEM;
	p->types[k] = OID_TEXT;
	return SQLITE_OK;
}

static int
pg_bind_fmt(db_stmt *st, int i, Oid type, const char *text)
{
	struct db_pgstmt *p = st->pg;
	int k = i - 1;

	if (k < 0 || k >= p->nparams)
		return SQLITE_RANGE;
	free(p->vals[k]);
	p->fmts[k] = 0;
	p->types[k] = type;
	if ((p->vals[k] = strdup(text)) == NULL)
		return SQLITE_NOMEM;
	p->lens[k] = (int)strlen(text);
	return SQLITE_OK;
}

int
db_pg_bind_int64(db_stmt *st, int i, int64_t v)
{
	char b[32];

	snprintf(b, sizeof(b), "%" PRId64, v);
	return pg_bind_fmt(st, i, OID_INT8, b);
}

int
db_pg_bind_double(db_stmt *st, int i, double v)
{
	char b[40];

	if (isnan(v))
		snprintf(b, sizeof(b), "NaN");
	else if (isinf(v))
		snprintf(b, sizeof(b), v > 0 ? "Infinity" : "-Infinity");
	else
		snprintf(b, sizeof(b), "%.17g", v);
	return pg_bind_fmt(st, i, OID_FLOAT8, b);
}

/*
 * The statement with NULL written for each parameter bound to NULL: a
 * parameter's type is the type it was bound with, and a NULL has none
 * (PostgreSQL cannot infer one for "?1 IS NULL OR time >= ?1"). Those
 * parameters, no longer referred to, are sent as text. P->sql itself
 * when no parameter is NULL.
 */
static char *
pg_nulls(struct db_pgstmt *p)
{
	const char *q = p->sql;
	size_t len = strlen(q), w = 0;
	int any = 0;
	char *o;

	for (int k = 0; k < p->nparams; k++)
		if (p->vals[k] == NULL) {
			p->types[k] = OID_TEXT;
			any = 1;
		}
	if (!any)
		return p->sql;
	/* "NULL" is at most the length of "$N" plus two */
	if ((o = malloc(len * 2 + 16)) == NULL)
		return NULL;
	while (*q) {
		if (*q == '\'' || *q == '"') {
			char c = *q;

			o[w++] = *q++;
			while (*q && *q != c)
				o[w++] = *q++;
			if (*q)
				o[w++] = *q++;
			continue;
		}
		if (*q == '$' && q[1] >= '0' && q[1] <= '9') {
			char *e;
			long k = strtol(q + 1, &e, 10);

			if (k >= 1 && k <= p->nparams && p->vals[k - 1] == NULL) {
				memcpy(o + w, "NULL", 4);
				w += 4;
				q = e;
				continue;
			}
		}
		o[w++] = *q++;
	}
	o[w] = '\0';
	return o;
}

/*
 * An insert within a transaction, sent in the pipeline (1), its answer
 * read at the next sync (every PG_PIPE_SYNC, a query, the COMMIT): sqlite
 * would have said DONE, and a failure aborts the transaction, said then.
 * 0: not in a transaction (run it now).
 */
static int
pg_pipe_send(db_conn *d, struct db_pgstmt *p, const char *sql, int *rc)
{
	struct db_pg *g = d->pg;

	if (!g->piped) {
		if (PQtransactionStatus(g->conn) != PQTRANS_INTRANS ||
		    PQenterPipelineMode(g->conn) != 1)
			return 0;
		g->piped = 1;
	}
	if (g->pipe_failed) { /* the transaction is aborted already */
		*rc = SQLITE_DONE;
		return 1;
	}
	if (PQsendQueryParams(g->conn, sql, p->nparams, p->types,
	        (const char *const *)p->vals, p->lens, p->fmts, 0) != 1) {
		g->pipe_failed = 1;
		g->pipe_code = SQLITE_IOERR;
		snprintf(g->pipe_err, sizeof(g->pipe_err), "%s",
		    PQerrorMessage(g->conn));
		*rc = SQLITE_DONE;
		return 1;
	}
	g->changes = 1;
	g->lastid = 0;
	if (++g->pending >= PG_PIPE_SYNC)
		pg_drain(d, 0);
	*rc = SQLITE_DONE;
	return 1;
}

int
db_pg_step(db_stmt *st)
{
	struct db_pgstmt *p = st->pg;
	db_conn *d = p->d;
	ExecStatusType s;

	if (!p->executed) {
		char *sql = pg_nulls(p);
		int rc;

		if (sql == NULL)
			return SQLITE_NOMEM;
		p->executed = 1;
		/* an insert in a transaction: sent, its answer read later */
		if (p->pipe && pg_pipe_send(d, p, sql, &rc)) {
			if (sql != p->sql)
				free(sql);
			return rc;
		}
		pg_drain(d, 1);
		if ((rc = pg_pipe_error(d)) != 0) {
			if (sql != p->sql)
				free(sql);
			return rc;
		}
		p->res = PQexecParams(d->pg->conn, sql, p->nparams, p->types,
		    (const char *const *)p->vals, p->lens, p->fmts, 0);
		if (sql != p->sql)
			free(sql);
		s = PQresultStatus(p->res);
		if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
			rc = pg_failed(d, p->res);
			PQclear(p->res);
			p->res = NULL;
			return rc;
		}
		/* a COMMIT of an aborted transaction answers ROLLBACK: the
		 * writes are gone, which the caller must hear */
		if (strcmp(PQcmdStatus(p->res), "ROLLBACK") == 0 &&
		    strncasecmp(p->sql, "COMMIT", 6) == 0) {
			pg_seterr(d, SQLITE_ABORT,
			    "the transaction was rolled back (a statement in it "
			    "failed)");
			PQclear(p->res);
			p->res = NULL;
			return SQLITE_ABORT;
		}
		d->pg->changes = atoi(PQcmdTuples(p->res));
		d->pg->err[0] = '\0';
		p->ntuples = s == PGRES_TUPLES_OK ? PQntuples(p->res) : 0;
		if (p->returning) {
			/* sqlite's INSERT has no rows: the id is kept */
			if (p->ntuples > 0)
				d->pg->lastid = strtoll(
				    PQgetvalue(p->res, p->ntuples - 1, 0), NULL, 10);
			p->ntuples = 0;
		}
		if (s == PGRES_TUPLES_OK && PQnfields(p->res) > p->ncols) {
			int nc = PQnfields(p->res);
			void *b = realloc(p->blobs, nc * sizeof(*p->blobs));

			if (b == NULL)
				return SQLITE_NOMEM;
			p->blobs = b;
			if ((b = realloc(p->bloblens, nc * sizeof(size_t))) ==
			    NULL)
				return SQLITE_NOMEM;
			p->bloblens = b;
			for (int c = p->ncols; c < nc; c++)
				p->blobs[c] = NULL;
			p->ncols = nc;
		}
		p->row = -1;
	}
	if (p->blobs)
		pg_free_blobs(p);
	if (p->row + 1 < p->ntuples) {
		p->row++;
		return SQLITE_ROW;
	}
	p->row = p->ntuples;
	return SQLITE_DONE;
}

/* The current row's column I, or NULL (none, or SQL NULL). */
static const char *
pg_value(struct db_pgstmt *p, int i)
{
	if (p->res == NULL || p->row < 0 || p->row >= p->ntuples || i < 0 ||
	    i >= PQnfields(p->res) || PQgetisnull(p->res, p->row, i))
		return NULL;
	return PQgetvalue(p->res, p->row, i);
}

int
db_pg_column_type(db_stmt *st, int i)
{
	struct db_pgstmt *p = st->pg;

	if (pg_value(p, i) == NULL)
		return SQLITE_NULL;
	switch (PQftype(p->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
		return SQLITE_INTEGER;
	case OID_FLOAT4:
	case OID_FLOAT8:
	case OID_NUMERIC:
		return SQLITE_FLOAT;
	case OID_BYTEA:
		return SQLITE_BLOB;
	default:
		return SQLITE_TEXT;
	}
}

int64_t
db_pg_column_int64(db_stmt *st, int i)
{
	const char *v = pg_value(st->pg, i);
	double f;

	if (v == NULL)
		return 0;
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (v[0] == 'f' && v[1] == '\0')
		return 0;
	if (strpbrk(v, ".eEnN") == NULL)
		return strtoll(v, NULL, 10);
	f = strtod(v, NULL);
	if (isnan(f))
		return 0;
	if (f >= 9.2e18)
		return INT64_MAX;
	if (f <= -9.2e18)
		return INT64_MIN;
	return (int64_t)f;
}

double
db_pg_column_double(db_stmt *st, int i)
{
	const char *v = pg_value(st->pg, i);

	if (v == NULL)
		return 0;
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (v[0] == 'f' && v[1] == '\0')
		return 0;
	return strtod(v, NULL);
}

static int
pg_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* bytea's hex output ("\x4142") as bytes, with a NUL after them. */
static unsigned char *
pg_unhex(const char *v, size_t *len)
{
	size_t n = strlen(v), k = 0;
	unsigned char *o;

	if (n < 2 || v[0] != '\\' || v[1] != 'x')
		return NULL; /* the escape format: bytea_output is hex */
	if ((o = malloc((n - 2) / 2 + 1)) == NULL)
		return NULL;
	for (size_t j = 2; j + 1 < n; j += 2) {
		int hi = pg_hexval(v[j]), lo = pg_hexval(v[j + 1]);

		if (hi < 0 || lo < 0) {
			free(o);
			return NULL;
		}
		o[k++] = (unsigned char)(hi << 4 | lo);
	}
	o[k] = 0;
	*len = k;
	return o;
}

/* A bytea column's bytes, decoded once a row. */
static const unsigned char *
pg_blob(struct db_pgstmt *p, int i, size_t *len)
{
	const char *v = pg_value(p, i);

	*len = 0;
	if (v == NULL)
		return NULL;
	if (PQftype(p->res, i) != OID_BYTEA) {
		*len = (size_t)PQgetlength(p->res, p->row, i);
		return (const unsigned char *)v;
	}
	if (p->blobs[i] == NULL && (p->blobs[i] = pg_unhex(v, &p->bloblens[i])) == NULL)
		return NULL;
	*len = p->bloblens[i];
	return p->blobs[i];
}

const unsigned char *
db_pg_column_text(db_stmt *st, int i)
{
	struct db_pgstmt *p = st->pg;
	size_t n;

	/* a blob's bytes as text, as sqlite gives them (NUL after) */
	if (pg_value(p, i) && PQftype(p->res, i) == OID_BYTEA)
		return pg_blob(p, i, &n);
	return (const unsigned char *)pg_value(p, i);
}

const void *
db_pg_column_blob(db_stmt *st, int i)
{
	size_t n;

	return pg_blob(st->pg, i, &n);
}

int
db_pg_column_bytes(db_stmt *st, int i)
{
	size_t n;

	pg_blob(st->pg, i, &n);
	return (int)n;
}

#endif /* HAVE_LIBPQ */
