/*
 * store_link.c - links' last steps (store.h): written by the store's
 * writer, read by the CLI when the daemon does not answer.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store_int.h"

static void
link_write(struct store *s, const struct store_link *x)
{
	db_stmt *st;

	if (db_prepare_v2(s->db,
	        "INSERT OR REPLACE INTO links (name, interface, speed,"
	        " in_bytes, out_bytes, in_packets, out_packets, in_bps,"
	        " out_bps, utilisation, drops, if_drops, state, updated, rrd)"
	        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	        " ?13, ?14, ?15)",
	        -1, &st, NULL) != SQLITE_OK) {
		s->sql_errors++;
		return;
	}
	store_bind_text(st, 1, x->name);
	store_bind_text(st, 2, x->interface);
	store_bind_u64(st, 3, x->speed);
	store_bind_u64(st, 4, x->in_bytes);
	store_bind_u64(st, 5, x->out_bytes);
	store_bind_u64(st, 6, x->in_packets);
	store_bind_u64(st, 7, x->out_packets);
	store_bind_real(st, 8, x->in_bps);
	store_bind_real(st, 9, x->out_bps);
	store_bind_real(st, 10, x->utilisation);
	store_bind_u64(st, 11, x->drops);
	store_bind_u64(st, 12, x->if_drops);
	store_bind_text(st, 13, x->state);
	db_bind_double(st, 14, x->updated);
	store_bind_text(st, 15, x->rrd);
	(void)store_step(s, st, "link");
	db_finalize(st);
}

void
store_write_link(struct store *s, enum store_op_type type, const void *rec)
{
	if (type == OP_LINK)
		link_write(s, rec);
	else if (type == OP_LINK_CLEAR &&
	    db_exec(s->db, "DELETE FROM links", NULL, NULL, NULL) !=
	        SQLITE_OK)
		s->sql_errors++;
}

int
store_put_link(struct store *s, const struct store_link *x)
{
	return store_push(s, store_op_new(OP_LINK, x, sizeof(*x)));
}

int
store_clear_links(struct store *s)
{
	return store_push(s, store_op_new(OP_LINK_CLEAR, NULL, 0));
}

int
store_get_links(struct store *s, store_link_cb cb, void *arg)
{
	db_stmt *st;
	struct store_link x;
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT name, interface, speed, in_bytes, out_bytes,"
	        " in_packets, out_packets, in_bps, out_bps, utilisation,"
	        " drops, if_drops, state, updated, rrd FROM links"
	        " ORDER BY name",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&x, 0, sizeof(x));
		store_col_text(st, 0, x.name, sizeof(x.name));
		store_col_text(st, 1, x.interface, sizeof(x.interface));
		x.speed = (uint64_t)db_column_int64(st, 2);
		x.in_bytes = (uint64_t)db_column_int64(st, 3);
		x.out_bytes = (uint64_t)db_column_int64(st, 4);
		x.in_packets = (uint64_t)db_column_int64(st, 5);
		x.out_packets = (uint64_t)db_column_int64(st, 6);
		x.in_bps = store_col_real(st, 7);
		x.out_bps = store_col_real(st, 8);
		x.utilisation = store_col_real(st, 9);
		x.drops = (uint64_t)db_column_int64(st, 10);
		x.if_drops = (uint64_t)db_column_int64(st, 11);
		store_col_text(st, 12, x.state, sizeof(x.state));
		x.updated = db_column_double(st, 13);
		store_col_text(st, 14, x.rrd, sizeof(x.rrd));
		if (cb(arg, &x) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}
