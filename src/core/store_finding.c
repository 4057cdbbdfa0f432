/*
 * store_finding.c - the store's findings: the whole record written on
 * every change (one row per finding), its history appended, and the
 * readers of the CLI and of the daemon at start.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store_int.h"

enum { FST_FINDING, FST_FHIST };


static const char *const fst_sql[] = {
    [FST_FINDING] = "INSERT OR REPLACE INTO findings (" FINDING_COLS
                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                    " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,"
                    " ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
    [FST_FHIST] = "INSERT INTO finding_history (finding_id, time, action,"
                  " actor, state, text, event_id)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

static db_stmt *
fst(struct store *s, int which)
{
	if (s->fst[which] == NULL &&
	    db_prepare_v2(
	        s->db, fst_sql[which], -1, &s->fst[which], NULL) != SQLITE_OK) {
		s->sql_errors++;
		complain(&s->sql_complaint, LOG_L_WARN, "store: %s",
		    db_errmsg(s->db));
		return NULL;
	}
	return s->fst[which];
}

/* 0 for "not yet": NULL in the table */
static void
bind_time(db_stmt *st, int i, double t)
{
	if (t > 0)
		db_bind_double(st, i, t);
	else
		db_bind_null(st, i);
}

void
store_write_finding(struct store *s, const void *rec)
{
	const struct finding *f = rec;
	db_stmt *st = fst(s, FST_FINDING);

	if (st == NULL)
		return;
	db_bind_int64(st, 1, f->id);
	store_bind_text(st, 2, f->key);
	store_bind_text(st, 3, f->device);
	store_bind_text(st, 4, f->object);
	store_bind_text(st, 5, f->kind);
	store_bind_text(st, 6, f->title);
	store_bind_text(st, 7, f->description);
	store_bind_text(st, 8, f->location);
	store_bind_text(st, 9, f->impact);
	db_bind_int(st, 10, (int)f->severity);
	db_bind_int(st, 11, f->priority);
	store_bind_text(st, 12, finding_role_name(f->role));
	store_bind_text(st, 13, f->owner);
	store_bind_text(st, 14, finding_state_name(f->state));
	db_bind_int(st, 15, f->flapping);
	db_bind_int(st, 16, f->suppressed);
	db_bind_int64(st, 17, f->consequence_of);
	db_bind_int(st, 18, f->manual);
	db_bind_int64(st, 19, (int64_t)f->count);
	db_bind_int(st, 20, f->reopened);
	bind_time(st, 21, f->first_seen);
	bind_time(st, 22, f->last_seen);
	bind_time(st, 23, f->respond_by);
	bind_time(st, 24, f->resolve_by);
	bind_time(st, 25, f->opened);
	bind_time(st, 26, f->acknowledged);
	bind_time(st, 27, f->resolved);
	bind_time(st, 28, f->verified);
	bind_time(st, 29, f->closed);
	bind_time(st, 30, f->updated);
	db_bind_int64(st, 31, f->last_event);
	store_step(s, st, "finding");
}

void
store_write_fhist(struct store *s, const void *rec)
{
	const struct store_fhist *h = rec;
	db_stmt *st = fst(s, FST_FHIST);

	if (st == NULL)
		return;
	db_bind_int64(st, 1, h->finding_id);
	db_bind_double(st, 2, h->time);
	store_bind_text(st, 3, h->action);
	store_bind_text(st, 4, h->actor);
	store_bind_text(st, 5, h->state);
	store_bind_text_or_null(st, 6, h->text);
	if (h->event_id > 0)
		db_bind_int64(st, 7, h->event_id);
	else
		db_bind_null(st, 7);
	store_step(s, st, "finding history");
}

int
store_put_finding(struct store *s, const struct finding *f)
{
	return store_push(s, store_op_new(OP_FINDING, f, sizeof(*f)));
}

int
store_put_fhist(struct store *s, const struct store_fhist *h)
{
	return store_push(s, store_op_new(OP_FHIST, h, sizeof(*h)));
}

int64_t
store_max_finding_id(struct store *s)
{
	return store_int64(s, "SELECT max(id) FROM findings");
}

static double
col_time(db_stmt *st, int i)
{
	return db_column_type(st, i) == SQLITE_NULL
	    ? 0
	    : db_column_double(st, i);
}

/* A row of FINDING_COLS into F (store_plan.c reads them too). */
void
store_finding_row(db_stmt *st, struct finding *fp)
{
	char role[16], state[16];
	memset(fp, 0, sizeof(*fp));
	fp->id = db_column_int64(st, 0);
	store_col_text(st, 1, fp->key, sizeof(fp->key));
	store_col_text(st, 2, fp->device, sizeof(fp->device));
	store_col_text(st, 3, fp->object, sizeof(fp->object));
	store_col_text(st, 4, fp->kind, sizeof(fp->kind));
	store_col_text(st, 5, fp->title, sizeof(fp->title));
	store_col_text(st, 6, fp->description, sizeof(fp->description));
	store_col_text(st, 7, fp->location, sizeof(fp->location));
	store_col_text(st, 8, fp->impact, sizeof(fp->impact));
	fp->severity = (enum np_severity)db_column_int(st, 9);
	fp->priority = db_column_int(st, 10);
	store_col_text(st, 11, role, sizeof(role));
	fp->role = strcmp(role, "security") == 0 ? FR_SECURITY
	    : strcmp(role, "business") == 0    ? FR_BUSINESS
	                                       : FR_OPERATIONS;
	store_col_text(st, 12, fp->owner, sizeof(fp->owner));
	store_col_text(st, 13, state, sizeof(state));
	if (finding_state_parse(state, &fp->state) == -1)
		fp->state = FS_OPEN;
	fp->flapping = db_column_int(st, 14);
	fp->suppressed = db_column_int(st, 15);
	fp->consequence_of = db_column_int64(st, 16);
	fp->manual = db_column_int(st, 17);
	fp->count = (uint64_t)db_column_int64(st, 18);
	fp->reopened = db_column_int(st, 19);
	fp->first_seen = col_time(st, 20);
	fp->last_seen = col_time(st, 21);
	fp->respond_by = col_time(st, 22);
	fp->resolve_by = col_time(st, 23);
	fp->opened = col_time(st, 24);
	fp->acknowledged = col_time(st, 25);
	fp->resolved = col_time(st, 26);
	fp->verified = col_time(st, 27);
	fp->closed = col_time(st, 28);
	fp->updated = col_time(st, 29);
	fp->last_event = db_column_int64(st, 30);
}

int
store_get_findings(struct store *s, const struct store_finding_filter *flt,
    store_finding_cb cb, void *arg)
{
	db_stmt *st;
	struct finding f;
	int rc;

	/* the newest LIMIT, given oldest first */
	if (db_prepare_v2(s->db,
	        "SELECT " FINDING_COLS " FROM ("
	        " SELECT * FROM findings WHERE (?1 = 0 OR id = ?1)"
	        " AND (?2 = 0 OR state != 'closed')"
	        " AND (?3 IS NULL OR device = ?3) AND severity >= ?4"
	        " ORDER BY id DESC LIMIT ?5) ORDER BY id",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	db_bind_int64(st, 1, flt->id);
	db_bind_int(st, 2, flt->open_only);
	if (flt->device)
		store_bind_text(st, 3, flt->device);
	db_bind_int(st, 4, flt->min_severity);
	db_bind_int64(st, 5, flt->limit > 0 ? flt->limit : -1);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		store_finding_row(st, &f);
		if (cb(arg, &f) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}

int
store_get_fhist(
    struct store *s, int64_t finding_id, store_fhist_cb cb, void *arg)
{
	db_stmt *st;
	struct store_fhist h;
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT finding_id, time, action, actor, state, text, event_id"
	        " FROM finding_history WHERE finding_id = ?1 ORDER BY id",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	db_bind_int64(st, 1, finding_id);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&h, 0, sizeof(h));
		h.finding_id = db_column_int64(st, 0);
		h.time = db_column_double(st, 1);
		store_col_text(st, 2, h.action, sizeof(h.action));
		store_col_text(st, 3, h.actor, sizeof(h.actor));
		store_col_text(st, 4, h.state, sizeof(h.state));
		store_col_text(st, 5, h.text, sizeof(h.text));
		h.event_id = db_column_int64(st, 6);
		if (cb(arg, &h) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}
