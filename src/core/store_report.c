/*
 * store_report.c - the reports' archive (store.h): each plan run's report
 * as it was made after the run, in every format (JSON, text, HTML), each
 * compressed with zlib (deflate); written by the store's writer when the
 * daemon has it, read by the CLI ("netpatrol report"). A copy lives as
 * long as its run (plan run retention, by category, removes both).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* The record of an OP_REPORTCOPY: this header, then the ZLEN bytes. */
struct reportcopy_rec {
	struct store_reportcopy c;
};

static void
reportcopy_write(struct store *s, const struct reportcopy_rec *x)
{
	db_stmt *st;

	if (db_prepare_v2(s->db,
	        "INSERT OR REPLACE INTO report_copies (run, format, created,"
	        " size, body) VALUES (?1, ?2, ?3, ?4, ?5)",
	        -1, &st, NULL) != SQLITE_OK) {
		s->sql_errors++;
		return;
	}
	db_bind_int64(st, 1, x->c.run);
	store_bind_text(st, 2, x->c.format);
	db_bind_double(st, 3, x->c.created);
	db_bind_int64(st, 4, (int64_t)x->c.size);
	db_bind_blob64(st, 5, x + 1, x->c.zlen, SQLITE_STATIC);
	(void)store_step(s, st, "report copy");
	db_finalize(st);
}

void
store_write_report(struct store *s, enum store_op_type type, const void *rec)
{
	if (type == OP_REPORTCOPY)
		reportcopy_write(s, rec);
}

/* Copies whose run is gone (plan run retention): in the writer. */
void
store_prune_reportcopies(struct store *s)
{
	char *msg = NULL;

	if (db_exec(s->db,
	        "DELETE FROM report_copies WHERE run NOT IN"
	        " (SELECT id FROM plan_runs);"
	        " DELETE FROM plan_results WHERE run NOT IN"
	        " (SELECT id FROM plan_runs)",
	        NULL, NULL, &msg) != SQLITE_OK) {
		s->sql_errors++;
		db_free(msg);
	}
}

int
store_put_reportcopy(
    struct store *s, const struct store_reportcopy *c, const void *z)
{
	struct store_op *op;
	struct reportcopy_rec *x;

	if (c->zlen > STORE_REPORTCOPY_MAX)
		return -1;
	if ((op = store_op_new(OP_REPORTCOPY, NULL, sizeof(*x) + c->zlen)) ==
	    NULL)
		return -1;
	x = (struct reportcopy_rec *)OP_DATA(op);
	x->c = *c;
	memcpy(x + 1, z, c->zlen);
	return store_push(s, op);
}

int
store_get_reportcopy(struct store *s, int64_t run, const char *format,
    struct store_reportcopy *c, void **z)
{
	db_stmt *st;
	const void *b;
	int rc;

	*z = NULL;
	if (db_prepare_v2(s->db,
	        "SELECT created, size, body FROM report_copies"
	        " WHERE run = ?1 AND format = ?2",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	db_bind_int64(st, 1, run);
	store_bind_text(st, 2, format);
	if ((rc = db_step(st)) == SQLITE_ROW) {
		memset(c, 0, sizeof(*c));
		c->run = run;
		snprintf(c->format, sizeof(c->format), "%s", format);
		c->created = db_column_double(st, 0);
		c->size = (size_t)db_column_int64(st, 1);
		c->zlen = (size_t)db_column_bytes(st, 2);
		b = db_column_blob(st, 2);
		if (c->zlen > 0 && b != NULL &&
		    (*z = malloc(c->zlen)) != NULL)
			memcpy(*z, b, c->zlen);
		if (*z == NULL) {
			(void)store_query_done(s, st, SQLITE_DONE);
			return -1;
		}
		(void)store_query_done(s, st, SQLITE_DONE);
		return 1;
	}
	if (store_query_done(s, st, rc) == -1)
		return -1;
	return 0;
}
