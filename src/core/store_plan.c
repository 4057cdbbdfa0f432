/*
 * store_plan.c - inspection plan runs (store.h): written by the store's
 * writer, read by the daemon at start (ids, the last planned times) and
 * by the CLI (reports, KPIs); and the reports' readers of findings, RRD
 * sources and event counts over a period.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "store_int.h"

/* The record of an OP_PLANRUN: the run, then its coverage's bytes. */
struct planrun_rec {
	struct store_planrun r;
	size_t len;
};

static void
planrun_write(struct store *s, const struct planrun_rec *x)
{
	const struct store_planrun *r = &x->r;
	db_stmt *st;

	if (db_prepare_v2(s->db,
	        "INSERT OR REPLACE INTO plan_runs (id, plan, category, trigger,"
	        " state, inspector, requested_by, scheduled, started, ended,"
	        " period_start, period_end, devices_planned, devices_done,"
	        " checks_planned, checks_done, coverage) VALUES (?1, ?2, ?3,"
	        " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
	        " ?17)",
	        -1, &st, NULL) != SQLITE_OK) {
		s->sql_errors++;
		return;
	}
	db_bind_int64(st, 1, r->id);
	store_bind_text(st, 2, r->plan);
	store_bind_text(st, 3, r->category);
	store_bind_text(st, 4, r->trigger);
	store_bind_text(st, 5, r->state);
	store_bind_text(st, 6, r->inspector);
	store_bind_text(st, 7, r->requested_by);
	if (r->scheduled > 0)
		db_bind_double(st, 8, r->scheduled);
	else
		db_bind_null(st, 8);
	db_bind_double(st, 9, r->started);
	db_bind_double(st, 10, r->ended);
	db_bind_double(st, 11, r->period_start);
	db_bind_double(st, 12, r->period_end);
	db_bind_int(st, 13, r->devices_planned);
	db_bind_int(st, 14, r->devices_done);
	db_bind_int(st, 15, r->checks_planned);
	db_bind_int(st, 16, r->checks_done);
	db_bind_text(
	    st, 17, (const char *)(x + 1), (int)x->len, SQLITE_TRANSIENT);
	(void)store_step(s, st, "plan run");
	db_finalize(st);
}

static void
planrun_prune(struct store *s, const double *before)
{
	static const char *const cats[4] = {
	    "special", "daily", "weekly", "periodic"};
	db_stmt *st;

	if (db_prepare_v2(s->db,
	        "DELETE FROM plan_runs WHERE category = ?1 AND started < ?2",
	        -1, &st, NULL) != SQLITE_OK) {
		s->sql_errors++;
		return;
	}
	for (int i = 0; i < 4; i++) {
		if (before[i] <= 0)
			continue;
		db_reset(st);
		store_bind_text(st, 1, cats[i]);
		db_bind_double(st, 2, before[i]);
		(void)store_step(s, st, "plan run retention");
	}
	db_finalize(st);
	store_prune_reportcopies(s);
}

static void
planresult_write(struct store *s, const struct store_planresult *x)
{
	db_stmt *st;

	if (db_prepare_v2(s->db,
	        "INSERT OR REPLACE INTO plan_results (run, item, name, result,"
	        " device, note, who, time, finding) VALUES (?1, ?2, ?3, ?4, ?5,"
	        " ?6, ?7, ?8, ?9)",
	        -1, &st, NULL) != SQLITE_OK) {
		s->sql_errors++;
		return;
	}
	db_bind_int64(st, 1, x->run);
	db_bind_int(st, 2, x->item);
	store_bind_text(st, 3, x->name);
	store_bind_text(st, 4, x->result);
	store_bind_text_or_null(st, 5, x->device);
	store_bind_text_or_null(st, 6, x->note);
	store_bind_text(st, 7, x->who);
	db_bind_double(st, 8, x->time);
	if (x->finding > 0)
		db_bind_int64(st, 9, x->finding);
	else
		db_bind_null(st, 9);
	(void)store_step(s, st, "plan result");
	db_finalize(st);
}

void
store_write_plan(struct store *s, enum store_op_type type, const void *rec)
{
	if (type == OP_PLANRESULT)
		planresult_write(s, rec);
	else if (type == OP_PLANRUN)
		planrun_write(s, rec);
	else if (type == OP_PLANPRUNE)
		planrun_prune(s, rec);
}

int
store_put_planrun(
    struct store *s, const struct store_planrun *r, const char *coverage)
{
	struct planrun_rec *x;
	size_t len = coverage ? strlen(coverage) : 0;
	int rc;

	if ((x = malloc(sizeof(*x) + len + 1)) == NULL)
		return -1;
	x->r = *r;
	x->r.coverage = NULL;
	x->len = len;
	memcpy(x + 1, coverage ? coverage : "", len + 1);
	rc = store_push(s, store_op_new(OP_PLANRUN, x, sizeof(*x) + len + 1));
	free(x);
	return rc;
}

int
store_prune_planruns(struct store *s, const double before[4])
{
	return store_push(
	    s, store_op_new(OP_PLANPRUNE, before, 4 * sizeof(double)));
}

int
store_put_planresult(struct store *s, const struct store_planresult *x)
{
	return store_push(s, store_op_new(OP_PLANRESULT, x, sizeof(*x)));
}

int
store_get_planresults(
    struct store *s, int64_t run, store_planresult_cb cb, void *arg)
{
	db_stmt *st;
	struct store_planresult x;
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT run, item, name, result, device, note, who, time,"
	        " finding FROM plan_results WHERE run = ?1 ORDER BY item",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	db_bind_int64(st, 1, run);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&x, 0, sizeof(x));
		x.run = db_column_int64(st, 0);
		x.item = db_column_int(st, 1);
		store_col_text(st, 2, x.name, sizeof(x.name));
		store_col_text(st, 3, x.result, sizeof(x.result));
		store_col_text(st, 4, x.device, sizeof(x.device));
		store_col_text(st, 5, x.note, sizeof(x.note));
		store_col_text(st, 6, x.who, sizeof(x.who));
		x.time = db_column_double(st, 7);
		x.finding = db_column_int64(st, 8);
		if (cb(arg, &x) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}

int64_t
store_max_planrun_id(struct store *s)
{
	return store_int64(s, "SELECT max(id) FROM plan_runs");
}

double
store_plan_last_scheduled(struct store *s, const char *plan)
{
	db_stmt *st;
	double v = 0;
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT max(scheduled) FROM plan_runs WHERE plan = ?1", -1, &st,
	        NULL) != SQLITE_OK)
		return 0;
	store_bind_text(st, 1, plan);
	if ((rc = db_step(st)) == SQLITE_ROW)
		v = store_col_real(st, 0);
	(void)store_query_done(s, st, rc == SQLITE_ROW ? SQLITE_DONE : rc);
	return v > 0 ? v : 0;
}

int
store_get_planruns(struct store *s, const struct store_planrun_filter *f,
    store_planrun_cb cb, void *arg)
{
	db_stmt *st;
	struct store_planrun r;
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT id, plan, category, trigger, state, inspector,"
	        " requested_by, scheduled, started, ended, period_start,"
	        " period_end, devices_planned, devices_done, checks_planned,"
	        " checks_done, coverage, (SELECT group_concat(format, ' ')"
	        " FROM (SELECT format FROM report_copies c WHERE c.run ="
	        " plan_runs.id ORDER BY format)) FROM plan_runs"
	        " WHERE (?1 IS NULL OR plan = ?1) AND (?2 = 0 OR id = ?2)"
	        " AND (?3 = 0 OR coalesce(scheduled, started) >= ?3)"
	        " AND (?4 = 0 OR coalesce(scheduled, started) < ?4)"
	        " ORDER BY CASE WHEN ?5 <> 0 THEN -started ELSE started END,"
	        " CASE WHEN ?5 <> 0 THEN -id ELSE id END LIMIT ?6",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	if (f->plan)
		store_bind_text(st, 1, f->plan);
	db_bind_int64(st, 2, f->id);
	db_bind_double(st, 3, f->since);
	db_bind_double(st, 4, f->until);
	db_bind_int(st, 5, f->newest_first);
	db_bind_int64(st, 6, f->limit > 0 ? f->limit : -1);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.id = db_column_int64(st, 0);
		store_col_text(st, 1, r.plan, sizeof(r.plan));
		store_col_text(st, 2, r.category, sizeof(r.category));
		store_col_text(st, 3, r.trigger, sizeof(r.trigger));
		store_col_text(st, 4, r.state, sizeof(r.state));
		store_col_text(st, 5, r.inspector, sizeof(r.inspector));
		store_col_text(st, 6, r.requested_by, sizeof(r.requested_by));
		r.scheduled = db_column_type(st, 7) == SQLITE_NULL
		    ? 0
		    : db_column_double(st, 7);
		r.started = db_column_double(st, 8);
		r.ended = db_column_double(st, 9);
		r.period_start = db_column_double(st, 10);
		r.period_end = db_column_double(st, 11);
		r.devices_planned = db_column_int(st, 12);
		r.devices_done = db_column_int(st, 13);
		r.checks_planned = db_column_int(st, 14);
		r.checks_done = db_column_int(st, 15);
		r.coverage = (const char *)db_column_text(st, 16);
		if (r.coverage == NULL)
			r.coverage = "";
		store_col_text(st, 17, r.archived, sizeof(r.archived));
		if (cb(arg, &r) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}

int
store_get_findings_between(
    struct store *s, double since, double until, store_finding_cb cb, void *arg)
{
	db_stmt *st;
	struct finding f;
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT " FINDING_COLS " FROM findings"
	        " WHERE coalesce(opened, first_seen) < ?2"
	        " AND (resolved IS NULL OR resolved >= ?1"
	        "  OR coalesce(opened, first_seen) >= ?1)"
	        " ORDER BY id",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	db_bind_double(st, 1, since);
	db_bind_double(st, 2, until);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		store_finding_row(st, &f);
		if (cb(arg, &f) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}

int
store_get_rrdsrcs(struct store *s, store_rrdsrc_cb cb, void *arg)
{
	db_stmt *st;
	struct store_rrdsrc x;
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT 'port', d.name, p.name, '', p.speed_bps,"
	        " CASE WHEN p.admin_status = 1 THEN 1 ELSE 0 END, p.rrd"
	        " FROM ports p JOIN devices d"
	        " ON d.id = p.device_id WHERE d.configured <> 0"
	        " UNION ALL SELECT 'sensor', d.name, x.name, x.class, 0, 0,"
	        " x.rrd FROM sensors x JOIN devices d ON d.id = x.device_id"
	        " WHERE d.configured <> 0"
	        " UNION ALL SELECT 'probe', device, name, kind, 0, 0, rrd"
	        " FROM probes ORDER BY 1, 2, 3",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&x, 0, sizeof(x));
		store_col_text(st, 0, x.kind, sizeof(x.kind));
		store_col_text(st, 1, x.device, sizeof(x.device));
		store_col_text(st, 2, x.object, sizeof(x.object));
		store_col_text(st, 3, x.cls, sizeof(x.cls));
		x.speed_bps = db_column_int64(st, 4);
		x.admin_up = db_column_int(st, 5);
		store_col_text(st, 6, x.rrd, sizeof(x.rrd));
		if (cb(arg, &x) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}

int
store_count_events(struct store *s, const char *prefix, double since,
    double until, store_count_cb cb, void *arg)
{
	db_stmt *st;
	char dev[NP_NAME_MAX];
	int rc;

	if (db_prepare_v2(s->db,
	        "SELECT device, count(*) FROM events WHERE time >= ?1"
	        " AND time < ?2 AND substr(kind, 1, length(?3)) = ?3"
	        " GROUP BY device ORDER BY device",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	db_bind_double(st, 1, since);
	db_bind_double(st, 2, until);
	store_bind_text(st, 3, prefix);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		store_col_text(st, 0, dev, sizeof(dev));
		if (cb(arg, dev, db_column_int64(st, 1)) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}
