/*
 * store_config.c - the configuration archive's tables: blobs (each stored
 * text once, deflated, whole or as a line delta against an older blob),
 * versions (a device's history, pointing at blobs), the fetch state of
 * each device and the approved baselines. Retention removes a device's
 * versions beyond a count or an age (never the baseline nor the newest),
 * then the blobs nothing needs any more: neither a version nor a delta
 * built on them.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgdelta.h"
#include "store_int.h"

static db_stmt *
prep(struct store *s, const char *sql)
{
	db_stmt *st;

	if (db_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		s->sql_errors++;
		complain(&s->sql_complaint, LOG_L_WARN, "store: %s",
		    db_errmsg(s->db));
		return NULL;
	}
	return st;
}

/* Run and finalize ST; the rows it changed, or -1. */
static int
run(struct store *s, db_stmt *st, const char *what)
{
	int rc;

	if (st == NULL)
		return -1;
	rc = store_step(s, st, what);
	db_finalize(st);
	return rc == -1 ? -1 : db_changes(s->db);
}

/*
 * Hashes are kept as 32-byte blobs (half the bytes of their hex, in the
 * rows and in the indexes); the interface speaks hex.
 */
static int
unhex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void
bind_hash(db_stmt *st, int i, const char *hex)
{
	unsigned char b[32];
	size_t n = 0;

	for (; n < 32 && unhex(hex[2 * n]) >= 0 && unhex(hex[2 * n + 1]) >= 0;
	    n++)
		b[n] = (unsigned char)(unhex(hex[2 * n]) << 4 |
		    unhex(hex[2 * n + 1]));
	if (n == 0)
		db_bind_null(st, i);
	else
		db_bind_blob(st, i, b, (int)n, SQLITE_TRANSIENT);
}

static void
col_hash(db_stmt *st, int i, char *out)
{
	const unsigned char *b = db_column_blob(st, i);
	int n = db_column_bytes(st, i);
	static const char hex[] = "0123456789abcdef";

	out[0] = '\0';
	if (b == NULL || n <= 0 || n > 32)
		return;
	for (int k = 0; k < n; k++) {
		out[2 * k] = hex[b[k] >> 4];
		out[2 * k + 1] = hex[b[k] & 15];
	}
	out[2 * n] = '\0';
}

/* Remove blob HASH when nothing needs it, and then what it was built on. */
static void
cfg_gc(struct store *s, const char *hash)
{
	char h[STORE_CFG_HASH], base[STORE_CFG_HASH];
	db_stmt *st;

	snprintf(h, sizeof(h), "%s", hash);
	for (int i = 0; i <= STORE_CFG_DEPTH + 1 && h[0]; i++) {
		if ((st = prep(s, "SELECT base FROM config_blobs WHERE hash = ?1"
		    " AND NOT EXISTS (SELECT 1 FROM config_versions"
		    "  WHERE hash = ?1)"
		    " AND NOT EXISTS (SELECT 1 FROM config_blobs b"
		    "  WHERE b.base = ?1)")) == NULL)
			return;
		bind_hash(st, 1, h);
		if (db_step(st) != SQLITE_ROW) {
			db_finalize(st);
			return;
		}
		col_hash(st, 0, base);
		db_finalize(st);
		if ((st = prep(s, "DELETE FROM config_blobs WHERE hash = ?1")) ==
		    NULL)
			return;
		bind_hash(st, 1, h);
		if (run(s, st, "archive retention") == -1)
			return;
		memcpy(h, base, sizeof(h));
	}
}

static void
cfg_retain(struct store *s, const struct store_cfgversion *v)
{
	char (*gone)[STORE_CFG_HASH] = NULL;
	size_t n = 0, cap = 0;
	db_stmt *st;

	if (v->keep_count <= 0 && v->keep_before <= 0)
		return;
	/* the versions past the bounds: not the newest, not the baseline */
	if ((st = prep(s, "SELECT version, hash FROM config_versions"
	    " WHERE device = ?1 AND version < ?2 AND version != ?3"
	    " AND (version <= ?2 - ?4 OR time < ?5)")) == NULL)
		return;
	store_bind_text(st, 1, v->device);
	db_bind_int64(st, 2, v->version);
	db_bind_int64(st, 3, v->keep_version);
	db_bind_int64(st, 4, v->keep_count > 0 ? v->keep_count : INT64_MAX / 2);
	db_bind_double(st, 5, v->keep_before);
	while (db_step(st) == SQLITE_ROW) {
		if (n == cap) {
			void *g = realloc(gone, (cap = cap ? cap * 2 : 8) *
			    sizeof(*gone));

			if (g == NULL)
				break;
			gone = g;
		}
		col_hash(st, 1, gone[n++]);
	}
	db_finalize(st);
	if (n == 0)
		goto done;
	if ((st = prep(s, "DELETE FROM config_versions"
	    " WHERE device = ?1 AND version < ?2 AND version != ?3"
	    " AND (version <= ?2 - ?4 OR time < ?5)")) == NULL)
		goto done;
	store_bind_text(st, 1, v->device);
	db_bind_int64(st, 2, v->version);
	db_bind_int64(st, 3, v->keep_version);
	db_bind_int64(st, 4, v->keep_count > 0 ? v->keep_count : INT64_MAX / 2);
	db_bind_double(st, 5, v->keep_before);
	if (run(s, st, "archive retention") > 0)
		for (size_t i = 0; i < n; i++)
			cfg_gc(s, gone[i]);
done:
	free(gone);
}

static void
cfg_write_version(struct store *s, const struct store_cfgversion *v)
{
	db_stmt *st;

	if ((st = prep(s, "INSERT OR IGNORE INTO config_blobs"
	    " (hash, base, depth, size, data) VALUES (?1, ?2, ?3, ?4, ?5)")) ==
	    NULL)
		return;
	bind_hash(st, 1, v->hash);
	bind_hash(st, 2, v->base);
	db_bind_int(st, 3, v->depth);
	db_bind_int64(st, 4, v->size);
	db_bind_blob64(st, 5, v + 1, v->datalen, SQLITE_STATIC);
	if (run(s, st, "archive blob") == -1)
		return;
	if ((st = prep(s, "INSERT OR REPLACE INTO config_versions"
	    " (device, version, time, hash, compare_hash, who, changed_at,"
	    " trigger, platform, lines, added, removed, secrets, size)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	    " ?13, ?14)")) == NULL)
		return;
	store_bind_text(st, 1, v->device);
	db_bind_int64(st, 2, v->version);
	db_bind_double(st, 3, v->time);
	bind_hash(st, 4, v->hash);
	bind_hash(st, 5, v->compare_hash);
	store_bind_text(st, 6, v->who);
	store_bind_text(st, 7, v->changed_at);
	store_bind_text(st, 8, v->trigger);
	store_bind_text(st, 9, v->platform);
	db_bind_int(st, 10, v->lines);
	db_bind_int(st, 11, v->added);
	db_bind_int(st, 12, v->removed);
	db_bind_int(st, 13, v->secrets);
	db_bind_int64(st, 14, v->size);
	if (run(s, st, "archive version") == -1)
		return;
	cfg_retain(s, v);
}

static void
cfg_write_state(struct store *s, const struct store_cfgstate *c)
{
	db_stmt *st;

	if ((st = prep(s, "INSERT OR REPLACE INTO config_state (device,"
	    " last_attempt, last_ok, last_duration, last_error, last_trigger,"
	    " failures, fetches, failed, unsaved) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6, ?7, ?8, ?9, ?10)")) == NULL)
		return;
	store_bind_text(st, 1, c->device);
	db_bind_double(st, 2, c->last_attempt);
	db_bind_double(st, 3, c->last_ok);
	db_bind_double(st, 4, c->last_duration);
	store_bind_text(st, 5, c->last_error);
	store_bind_text(st, 6, c->last_trigger);
	db_bind_int(st, 7, c->failures);
	db_bind_int64(st, 8, c->fetches);
	db_bind_int64(st, 9, c->failed);
	db_bind_int(st, 10, c->unsaved);
	(void)run(s, st, "archive state");
}

static void
cfg_write_baseline(struct store *s, const struct store_cfgbaseline *b)
{
	db_stmt *st;

	if ((st = prep(s, "INSERT OR REPLACE INTO config_baselines (device,"
	    " version, approved_by, approved_at) VALUES (?1, ?2, ?3, ?4)")) ==
	    NULL)
		return;
	store_bind_text(st, 1, b->device);
	db_bind_int64(st, 2, b->version);
	store_bind_text(st, 3, b->approved_by);
	db_bind_double(st, 4, b->approved_at);
	(void)run(s, st, "archive baseline");
}

static void
cfg_write_checks(struct store *s, const struct store_op *op)
{
	const struct store_cfgcheck *c = OP_DATA(op);
	db_stmt *st;

	if ((st = prep(s, "DELETE FROM config_compliance WHERE device = ?1"))
	    == NULL)
		return;
	store_bind_text(st, 1, c->device); /* the first: the device's name */
	if (run(s, st, "compliance") == -1)
		return;
	for (size_t i = 1; i < op->n + 1; i++) {
		if ((st = prep(s, "INSERT INTO config_compliance (device,"
		    " policy, rule, result, detail, line, version, time)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")) == NULL)
			return;
		store_bind_text(st, 1, c[i].device);
		store_bind_text(st, 2, c[i].policy);
		store_bind_text(st, 3, c[i].rule);
		db_bind_int(st, 4, c[i].result);
		store_bind_text(st, 5, c[i].detail);
		db_bind_int(st, 6, c[i].line);
		db_bind_int64(st, 7, c[i].version);
		db_bind_double(st, 8, c[i].time);
		if (run(s, st, "compliance") == -1)
			return;
	}
}

void
store_write_cfg(struct store *s, enum store_op_type type, const void *opp)
{
	const struct store_op *op = opp;

	switch (type) {
	case OP_CFGVERSION: cfg_write_version(s, OP_DATA(op)); break;
	case OP_CFGSTATE: cfg_write_state(s, OP_DATA(op)); break;
	case OP_CFGBASELINE: cfg_write_baseline(s, OP_DATA(op)); break;
	case OP_CFGCHECKS: cfg_write_checks(s, op); break;
	default: break;
	}
}

int
store_put_cfgchecks(struct store *s, const char *device,
    const struct store_cfgcheck *c, size_t n)
{
	struct store_op *op = store_op_new(OP_CFGCHECKS, NULL,
	    (n + 1) * sizeof(*c));
	struct store_cfgcheck *d;

	if (op == NULL)
		return -1;
	op->n = n;
	d = OP_DATA(op);
	memset(d, 0, sizeof(*d));
	snprintf(d->device, sizeof(d->device), "%s", device);
	memcpy(d + 1, c, n * sizeof(*c));
	return store_push(s, op);
}

int
store_get_cfgchecks(struct store *s, const char *device, store_cfgcheck_cb cb,
    void *arg)
{
	struct store_cfgcheck c;
	db_stmt *st;
	int rc;

	if (db_prepare_v2(s->db, "SELECT device, policy, rule, result,"
	    " detail, line, version, time FROM config_compliance"
	    " WHERE (?1 IS NULL OR device = ?1) ORDER BY device, rowid", -1,
	    &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	if (device)
		store_bind_text(st, 1, device);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		store_col_text(st, 0, c.device, sizeof(c.device));
		store_col_text(st, 1, c.policy, sizeof(c.policy));
		store_col_text(st, 2, c.rule, sizeof(c.rule));
		c.result = db_column_int(st, 3);
		store_col_text(st, 4, c.detail, sizeof(c.detail));
		c.line = db_column_int(st, 5);
		c.version = db_column_int64(st, 6);
		c.time = db_column_double(st, 7);
		if (cb(arg, &c) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}

int
store_put_cfgversion(
    struct store *s, const struct store_cfgversion *v, const void *data)
{
	struct store_op *op =
	    store_op_new(OP_CFGVERSION, NULL, sizeof(*v) + v->datalen);

	if (op == NULL)
		return -1;
	memcpy(OP_DATA(op), v, sizeof(*v));
	memcpy((char *)OP_DATA(op) + sizeof(*v), data, v->datalen);
	return store_push(s, op);
}

int
store_put_cfgstate(struct store *s, const struct store_cfgstate *c)
{
	return store_push(s, store_op_new(OP_CFGSTATE, c, sizeof(*c)));
}

int
store_put_cfgbaseline(struct store *s, const struct store_cfgbaseline *b)
{
	return store_push(s, store_op_new(OP_CFGBASELINE, b, sizeof(*b)));
}

/*
 * Readers.
 */

#define VERSION_COLS \
	"device, version, time, hash, compare_hash, who, changed_at," \
	" trigger, platform, lines, added, removed, secrets, size"

static void
col_version(db_stmt *st, struct store_cfgversion *v)
{
	memset(v, 0, sizeof(*v));
	store_col_text(st, 0, v->device, sizeof(v->device));
	v->version = db_column_int64(st, 1);
	v->time = db_column_double(st, 2);
	col_hash(st, 3, v->hash);
	col_hash(st, 4, v->compare_hash);
	store_col_text(st, 5, v->who, sizeof(v->who));
	store_col_text(st, 6, v->changed_at, sizeof(v->changed_at));
	store_col_text(st, 7, v->trigger, sizeof(v->trigger));
	store_col_text(st, 8, v->platform, sizeof(v->platform));
	v->lines = db_column_int(st, 9);
	v->added = db_column_int(st, 10);
	v->removed = db_column_int(st, 11);
	v->secrets = db_column_int(st, 12);
	v->size = db_column_int64(st, 13);
}

int
store_get_cfgversions(struct store *s, const char *device, int64_t version,
    store_cfgversion_cb cb, void *arg)
{
	struct store_cfgversion v;
	db_stmt *st;
	int rc;

	if (db_prepare_v2(s->db, "SELECT " VERSION_COLS
	    " FROM config_versions WHERE (?1 IS NULL OR device = ?1)"
	    " AND (?2 = 0 OR version = ?2) ORDER BY device, version", -1, &st,
	    NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	if (device)
		store_bind_text(st, 1, device);
	db_bind_int64(st, 2, version);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		col_version(st, &v);
		if (cb(arg, &v) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}

int
store_get_cfglatest(
    struct store *s, const char *device, struct store_cfgversion *v)
{
	db_stmt *st;
	int rc;

	if (db_prepare_v2(s->db, "SELECT " VERSION_COLS
	    " FROM config_versions WHERE device = ?1 ORDER BY version DESC"
	    " LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	store_bind_text(st, 1, device);
	if ((rc = db_step(st)) == SQLITE_ROW) {
		col_version(st, v);
		db_finalize(st);
		return 0;
	}
	return store_query_done(s, st, rc) == -1 ? -1 : 1;
}

int
store_get_cfgstates(struct store *s, const char *device, store_cfgstate_cb cb,
    void *arg)
{
	struct store_cfgstate c;
	db_stmt *st;
	int rc;

	if (db_prepare_v2(s->db, "SELECT device, last_attempt, last_ok,"
	    " last_duration, last_error, last_trigger, failures, fetches,"
	    " failed, unsaved FROM config_state WHERE (?1 IS NULL OR"
	    " device = ?1) ORDER BY device", -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	if (device)
		store_bind_text(st, 1, device);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		store_col_text(st, 0, c.device, sizeof(c.device));
		c.last_attempt = db_column_double(st, 1);
		c.last_ok = db_column_double(st, 2);
		c.last_duration = db_column_double(st, 3);
		store_col_text(st, 4, c.last_error, sizeof(c.last_error));
		store_col_text(st, 5, c.last_trigger, sizeof(c.last_trigger));
		c.failures = db_column_int(st, 6);
		c.fetches = db_column_int64(st, 7);
		c.failed = db_column_int64(st, 8);
		c.unsaved = db_column_int(st, 9);
		if (cb(arg, &c) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}

int
store_get_cfgbaseline(
    struct store *s, const char *device, struct store_cfgbaseline *b)
{
	db_stmt *st;
	int rc;

	if (db_prepare_v2(s->db, "SELECT b.device, b.version,"
	    " v.compare_hash, b.approved_by, b.approved_at"
	    " FROM config_baselines b LEFT JOIN config_versions v"
	    " ON v.device = b.device AND v.version = b.version"
	    " WHERE b.device = ?1", -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	store_bind_text(st, 1, device);
	if ((rc = db_step(st)) == SQLITE_ROW) {
		memset(b, 0, sizeof(*b));
		store_col_text(st, 0, b->device, sizeof(b->device));
		b->version = db_column_int64(st, 1);
		col_hash(st, 2, b->hash);
		store_col_text(st, 3, b->approved_by, sizeof(b->approved_by));
		b->approved_at = db_column_double(st, 4);
		db_finalize(st);
		return 0;
	}
	return store_query_done(s, st, rc) == -1 ? -1 : 1;
}

int
store_cfg_depth(struct store *s, const char *hash)
{
	db_stmt *st;
	int depth = -1;

	if (db_prepare_v2(s->db, "SELECT depth FROM config_blobs"
	    " WHERE hash = ?1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	bind_hash(st, 1, hash);
	if (db_step(st) == SQLITE_ROW)
		depth = db_column_int(st, 0);
	db_finalize(st);
	return depth;
}

/* Blob HASH: its base ("" for a whole text) and its data, inflated. */
static int
cfg_blob(struct store *s, const char *hash, size_t maxlen, char *base,
    char **data, size_t *len, char *err, size_t errlen)
{
	db_stmt *st;
	int rc;

	if (db_prepare_v2(s->db, "SELECT base, data FROM config_blobs"
	    " WHERE hash = ?1", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", db_errmsg(s->db));
		return -1;
	}
	bind_hash(st, 1, hash);
	if (db_step(st) != SQLITE_ROW) {
		db_finalize(st);
		snprintf(err, errlen, "configuration %.12s is not stored",
		    hash);
		return -1;
	}
	col_hash(st, 0, base);
	rc = cfg_unzip(db_column_blob(st, 1),
	    (size_t)db_column_bytes(st, 1), maxlen * 2 + 65536, data, len,
	    err, errlen);
	db_finalize(st);
	return rc;
}

int
store_cfg_text(struct store *s, const char *hash, size_t maxlen, char **text,
    size_t *len, char *err, size_t errlen)
{
	char chain[STORE_CFG_DEPTH + 2][STORE_CFG_HASH], base[STORE_CFG_HASH];
	char *cur = NULL, *d = NULL, *next;
	size_t curlen = 0, dlen = 0, nextlen;
	int n = 0;

	/* from HASH down to a whole text */
	snprintf(chain[0], STORE_CFG_HASH, "%s", hash);
	for (;;) {
		if (cfg_blob(s, chain[n], maxlen, base, &d, &dlen, err,
		    errlen) == -1)
			goto fail;
		if (base[0] == '\0')
			break;
		free(d);
		d = NULL;
		if (++n > STORE_CFG_DEPTH) {
			snprintf(err, errlen, "configuration %.12s: delta chain "
			    "too long", hash);
			goto fail;
		}
		memcpy(chain[n], base, STORE_CFG_HASH);
	}
	cur = d;
	curlen = dlen;
	d = NULL;
	if (curlen > maxlen) {
		snprintf(err, errlen, "configuration %.12s is longer than %zu "
		    "bytes", hash, maxlen);
		goto fail;
	}
	/* and the deltas back up */
	while (n-- > 0) {
		if (cfg_blob(s, chain[n], maxlen, base, &d, &dlen, err,
		    errlen) == -1 ||
		    cfg_delta_apply(cur, curlen, d, dlen, maxlen, &next,
		    &nextlen, err, errlen) == -1)
			goto fail;
		free(d);
		d = NULL;
		free(cur);
		cur = next;
		curlen = nextlen;
	}
	*text = cur;
	*len = curlen;
	return 0;
fail:
	free(d);
	free(cur);
	return -1;
}

int
store_cfg_usage(struct store *s, int64_t *bytes, int64_t *blobs)
{
	db_stmt *st;

	*bytes = *blobs = 0;
	if (db_prepare_v2(s->db, "SELECT coalesce(sum(length(data)), 0),"
	    " count(*) FROM config_blobs", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (db_step(st) == SQLITE_ROW) {
		*bytes = db_column_int64(st, 0);
		*blobs = db_column_int64(st, 1);
	}
	db_finalize(st);
	return 0;
}
