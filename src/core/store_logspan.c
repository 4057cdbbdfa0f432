/*
 * store_logspan.c - where each device's syslog messages are, without an
 * index on logs.device.
 *
 * An index takes a third of a message's insert (a B-tree descent and a
 * page written per row), and is the one thing between the writer and
 * rsyslog's rate. Messages are stored in arrival order, so a device's
 * messages lie in runs of ids; log_spans keeps, per device, spans of at
 * most STORE_SPAN_IDS ids holding all its messages in them: the writer
 * extends a span in memory per row and writes the spans it changed once
 * per batch. A device's messages are then found by scanning its spans,
 * newest first, each a rowid range of bounded length: a quiet device's
 * last messages cost a few spans however big the table.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define STORE_SPAN_IDS 65536 /* ids a span covers at most */
#define STORE_SPAN_DEVICES 4096 /* spans kept open in memory at most */

/* The upsert, prepared with the store's other statements (ST_LOGSPAN). */
const char store_logspan_sql[] =
    "INSERT INTO log_spans (device, first_id, last_id, n) VALUES (?1, ?2,"
    " ?3, ?4) ON CONFLICT (device, first_id) DO UPDATE SET last_id = ?3,"
    " n = ?4";

struct logspan {
	char device[NP_NAME_MAX];
	int64_t first, last, n;
	int dirty;
};

/* --- writer thread --- */

static void
logspan_write(struct store *s, struct logspan *sp)
{
	db_stmt *st = s->st[ST_LOGSPAN];

	store_bind_text(st, 1, sp->device);
	db_bind_int64(st, 2, sp->first);
	db_bind_int64(st, 3, sp->last);
	db_bind_int64(st, 4, sp->n);
	store_step(s, st, "syslog spans");
	sp->dirty = 0;
}

/* Message ID of DEVICE (a device's name or an address) was inserted. */
void
store_logspan_note(struct store *s, const char *device, int64_t id)
{
	struct logspan *sp;

	/* (ids start again at 1 when retention emptied the table) */
	if ((sp = hmap_get(&s->spans, device)) != NULL && id > sp->last &&
	    id - sp->first < STORE_SPAN_IDS) {
		sp->last = id;
		sp->n++;
		sp->dirty = 1;
		return;
	}
	if (sp != NULL) {
		/* full: written, and a new one begins at ID */
		if (sp->dirty)
			logspan_write(s, sp);
	} else {
		if (s->spans.n >= STORE_SPAN_DEVICES)
			store_logspan_flush(s, 1);
		if ((sp = calloc(1, sizeof(*sp))) == NULL)
			return;
		snprintf(sp->device, sizeof(sp->device), "%s", device);
		if (hmap_put(&s->spans, sp->device, sp) == -1) {
			free(sp);
			return;
		}
	}
	sp->first = sp->last = id;
	sp->n = 1;
	sp->dirty = 1;
}

/* Write the spans that changed; with FORGET, close them all. */
void
store_logspan_flush(struct store *s, int forget)
{
	for (size_t i = 0; i < s->spans.cap; i++) {
		struct logspan *sp =
		    s->spans.slots[i].hash ? s->spans.slots[i].value : NULL;

		if (sp && sp->dirty)
			logspan_write(s, sp);
	}
	if (forget)
		hmap_clear_free(&s->spans);
}

/* Messages below ID are gone: so are the spans that held only them. */
void
store_logspan_prune(struct store *s, int64_t below)
{
	db_stmt *st;

	if (db_prepare_v2(s->db,
	        "DELETE FROM log_spans WHERE last_id < ?1", -1, &st,
	        NULL) != SQLITE_OK) {
		s->sql_errors++;
		return;
	}
	db_bind_int64(st, 1, below);
	store_step(s, st, "syslog spans retention");
	db_finalize(st);
}

/* --- reader side --- */

/*
 * The spans of DEVICE within ids [LO, HI), clipped to it, newest first:
 * *OUT (pairs, the caller's to free) and their count; -1 on error.
 */
int
store_logspan_find(struct store *s, const char *device, int64_t lo, int64_t hi,
    int64_t (**out)[2], size_t *n)
{
	db_stmt *st;
	int64_t(*v)[2] = NULL, (*nv)[2];
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_prepare_v2(s->db,
	        "SELECT first_id, last_id FROM log_spans WHERE device = ?1"
	        " AND last_id >= ?2 AND first_id < ?3 ORDER BY first_id DESC",
	        -1, &st, NULL) != SQLITE_OK)
		return -1;
	store_bind_text(st, 1, device);
	db_bind_int64(st, 2, lo);
	db_bind_int64(st, 3, hi);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				free(v);
				db_finalize(st);
				return -1;
			}
			v = nv;
		}
		v[*n][0] = db_column_int64(st, 0);
		v[*n][1] = db_column_int64(st, 1);
		if (v[*n][0] < lo)
			v[*n][0] = lo;
		if (v[*n][1] > hi - 1)
			v[*n][1] = hi - 1;
		(*n)++;
	}
	db_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}
