/*
 * store_probe.c - probes' last steps (store.h): written by the store's
 * writer, read by the CLI.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store_int.h"

static void
probe_write(struct store *s, const struct store_probe *x)
{
	db_stmt *st;

	if (db_prepare_v2(s->db,
	        "INSERT OR REPLACE INTO probes (device, name, kind, target,"
	        " count, received, loss_pct, rtt_min, rtt_median, rtt_avg,"
	        " rtt_max, jitter, state, updated, rrd) VALUES (?1, ?2, ?3,"
	        " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
	        -1, &st, NULL) != SQLITE_OK) {
		s->sql_errors++;
		return;
	}
	store_bind_text(st, 1, x->device);
	store_bind_text(st, 2, x->name);
	store_bind_text(st, 3, x->kind);
	store_bind_text(st, 4, x->target);
	db_bind_int(st, 5, x->count);
	db_bind_int(st, 6, x->received);
	store_bind_real(st, 7, x->loss_pct);
	store_bind_real(st, 8, x->rtt_min);
	store_bind_real(st, 9, x->rtt_median);
	store_bind_real(st, 10, x->rtt_avg);
	store_bind_real(st, 11, x->rtt_max);
	store_bind_real(st, 12, x->jitter);
	store_bind_text(st, 13, x->state);
	db_bind_double(st, 14, x->updated);
	store_bind_text(st, 15, x->rrd);
	(void)store_step(s, st, "probe");
	db_finalize(st);
}

void
store_write_probe(struct store *s, enum store_op_type type, const void *rec)
{
	if (type == OP_PROBE)
		probe_write(s, rec);
	else if (type == OP_PROBE_CLEAR &&
	    db_exec(s->db, "DELETE FROM probes", NULL, NULL, NULL) !=
	        SQLITE_OK)
		s->sql_errors++;
}

int
store_put_probe(struct store *s, const struct store_probe *x)
{
	return store_push(s, store_op_new(OP_PROBE, x, sizeof(*x)));
}

int
store_clear_probes(struct store *s)
{
	return store_push(s, store_op_new(OP_PROBE_CLEAR, NULL, 0));
}

int
store_get_probes(struct store *s, store_probe_cb cb, void *arg)
{
	db_stmt *st;
	struct store_probe x;
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT device, name, kind, target, count, received, loss_pct,"
	        " rtt_min, rtt_median, rtt_avg, rtt_max, jitter, state,"
	        " updated, rrd FROM probes ORDER BY device, name",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&x, 0, sizeof(x));
		store_col_text(st, 0, x.device, sizeof(x.device));
		store_col_text(st, 1, x.name, sizeof(x.name));
		store_col_text(st, 2, x.kind, sizeof(x.kind));
		store_col_text(st, 3, x.target, sizeof(x.target));
		x.count = db_column_int(st, 4);
		x.received = db_column_int(st, 5);
		x.loss_pct = store_col_real(st, 6);
		x.rtt_min = store_col_real(st, 7);
		x.rtt_median = store_col_real(st, 8);
		x.rtt_avg = store_col_real(st, 9);
		x.rtt_max = store_col_real(st, 10);
		x.jitter = store_col_real(st, 11);
		store_col_text(st, 12, x.state, sizeof(x.state));
		x.updated = db_column_double(st, 13);
		store_col_text(st, 14, x.rrd, sizeof(x.rrd));
		if (cb(arg, &x) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}
