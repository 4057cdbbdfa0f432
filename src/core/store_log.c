/*
 * store_log.c - the store's syslog messages: batches built on the loop
 * and queued for the writer against a budget of bytes, written by the
 * writer thread, pruned by age and count, and read back by time range (an
 * id range: messages are stored in the order they arrive).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* The insert, prepared with the store's other statements (ST_LOG). */
const char store_log_sql[] =
    "INSERT INTO logs (time, msg_time, device, known, sender, transport,"
    " facility, severity, host, app, procid, msgid, mnemonic, text, sd,"
    " raw, len, problems, event_id, text_off) VALUES (?1, ?2, ?3, ?4, ?5,"
    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
    " ?20)";

/*
 * Syslog batches: one allocation holding records back to back, each a
 * header, the event when there is one, then its strings.
 */
enum {
	LS_DEVICE,
	LS_SENDER,
	LS_TRANSPORT,
	LS_HOST,
	LS_APP,
	LS_PROCID,
	LS_MSGID,
	LS_MNEMONIC,
	LS_TEXT,
	LS_SD,
	LS_RAW,
	LS_N
};

struct store_logrec {
	uint32_t size; /* of the record, 8-byte aligned */
	uint32_t has_event;
	int32_t text_off; /* >= 0: the text is the raw bytes from here on */
	double time, msg_time;
	int32_t known, facility, severity;
	uint32_t problems;
	uint64_t len;
	uint32_t slen[LS_N]; /* each string is followed by a NUL */
};

struct store_logbatch {
	struct store_op op; /* first: the queue links through it */
	size_t used, cap; /* bytes of records */
	size_t size; /* as counted against the budget */
};
#define LOGBATCH_DATA(b) ((char *)((b) + 1))

struct store_logbatch *
store_logbatch_new(void)
{
	struct store_logbatch *b;

	if ((b = malloc(sizeof(*b) + STORE_LOGBATCH_BYTES)) == NULL)
		return NULL;
	b->op.type = OP_LOGS;
	b->op.n = 0;
	b->op.arg = 0;
	b->used = 0;
	b->cap = STORE_LOGBATCH_BYTES;
	b->size = 0;
	return b;
}

void
store_logbatch_free(struct store_logbatch *b)
{
	free(b);
}

size_t
store_logbatch_count(const struct store_logbatch *b)
{
	return b->op.n;
}

int
store_logbatch_add(struct store_logbatch *b, const struct store_log *l)
{
	const char *v[LS_N];
	size_t len[LS_N], need;
	struct store_logrec *r;
	int32_t text_off;
	char *p;

	v[LS_DEVICE] = l->device;
	v[LS_SENDER] = l->sender;
	v[LS_TRANSPORT] = l->transport;
	v[LS_HOST] = l->host;
	v[LS_APP] = l->app;
	v[LS_PROCID] = l->procid;
	v[LS_MSGID] = l->msgid;
	v[LS_MNEMONIC] = l->mnemonic;
	v[LS_TEXT] = l->text;
	v[LS_SD] = l->sd;
	need = sizeof(*r) + (l->event ? sizeof(*l->event) : 0);
	for (int i = 0; i < LS_RAW; i++) {
		if (v[i] == NULL)
			v[i] = "";
		len[i] = strlen(v[i]);
		need += len[i] + 1;
	}
	v[LS_RAW] = l->raw;
	len[LS_RAW] = l->raw ? l->raw_len : 0;
	need += len[LS_RAW] + 1;
	/*
	 * Most messages need no escaping: their text is then the tail of the
	 * raw bytes, kept once.
	 */
	text_off = -1;
	if (len[LS_TEXT] > 0 && len[LS_RAW] >= len[LS_TEXT] &&
	    memcmp((const char *)l->raw + len[LS_RAW] - len[LS_TEXT],
	        v[LS_TEXT], len[LS_TEXT]) == 0) {
		text_off = (int32_t)(len[LS_RAW] - len[LS_TEXT]);
		need -= len[LS_TEXT];
		len[LS_TEXT] = 0;
	}
	need = (need + 7) & ~(size_t)7;
	if (need > b->cap - b->used)
		return -1;
	p = LOGBATCH_DATA(b) + b->used;
	r = (struct store_logrec *)p;
	r->size = (uint32_t)need;
	r->has_event = l->event != NULL;
	r->text_off = text_off;
	r->time = l->time;
	r->msg_time = l->msg_time;
	r->known = l->known;
	r->facility = l->facility;
	r->severity = l->severity;
	r->problems = l->problems;
	r->len = l->len;
	p += sizeof(*r);
	if (l->event) {
		memcpy(p, l->event, sizeof(*l->event));
		p += sizeof(*l->event);
	}
	for (int i = 0; i < LS_N; i++) {
		r->slen[i] = (uint32_t)len[i];
		if (len[i])
			memcpy(p, v[i], len[i]);
		p[len[i]] = '\0';
		p += len[i] + 1;
	}
	b->used += need;
	b->op.n++;
	return 0;
}

void
store_set_log_budget(struct store *s, size_t bytes)
{
	s->log_budget = bytes;
}

size_t
store_log_queued(struct store *s)
{
	return __atomic_load_n(&s->log_bytes, __ATOMIC_RELAXED);
}

int
store_put_logs(struct store *s, struct store_logbatch *b)
{
	struct store_logbatch *shrunk;
	size_t size;

	if (b == NULL)
		return -1;
	if (b->op.n == 0) {
		free(b);
		return 0;
	}
	/* a batch of a few messages does not keep the whole buffer */
	if (b->cap - b->used > 4096 &&
	    (shrunk = realloc(b, sizeof(*b) + b->used)) != NULL) {
		b = shrunk;
		b->cap = b->used;
	}
	size = sizeof(*b) + b->cap;
	b->size = size;
	if (s->log_budget &&
	    __atomic_add_fetch(&s->log_bytes, size, __ATOMIC_RELAXED) >
	        s->log_budget) {
		__atomic_sub_fetch(&s->log_bytes, size, __ATOMIC_RELAXED);
		free(b);
		return -1;
	}
	if (!s->log_budget)
		__atomic_add_fetch(&s->log_bytes, size, __ATOMIC_RELAXED);
	if (s->wq == NULL || wq_push(s->wq, &b->op.item) == -1) {
		__atomic_sub_fetch(&s->log_bytes, size, __ATOMIC_RELAXED);
		free(b);
		return -1;
	}
	return 0;
}

int
store_prune_logs(struct store *s, double before, int64_t max_rows)
{
	struct store_op *op = store_op_new(OP_PRUNE_LOGS, NULL, 0);

	if (op) {
		op->arg = before;
		op->n = max_rows > 0 ? (size_t)max_rows : 0;
	}
	return store_push(s, op);
}

/* --- writer thread --- */

void
store_write_logs(struct store *s, struct store_logbatch *b)
{
	sqlite3_stmt *st = s->st[ST_LOG];
	char *p = LOGBATCH_DATA(b), *end = p + b->used;

	while (p < end) {
		const struct store_logrec *r = (const struct store_logrec *)p;
		const char *str = p + sizeof(*r);
		const char *v[LS_N];
		int64_t event_id = 0;

		if (r->has_event) {
			const struct np_event *ev =
			    (const struct np_event *)(p + sizeof(*r));

			store_write_event(s, ev);
			event_id = ev->id;
			str += sizeof(*ev);
		}
		for (int i = 0; i < LS_N; i++) {
			v[i] = str;
			str += r->slen[i] + 1;
		}
		sqlite3_bind_double(st, 1, r->time);
		if (r->msg_time > 0)
			sqlite3_bind_double(st, 2, r->msg_time);
		sqlite3_bind_text(st, 3, v[LS_DEVICE], (int)r->slen[LS_DEVICE],
		    SQLITE_STATIC);
		sqlite3_bind_int(st, 4, r->known);
		sqlite3_bind_text(st, 5, v[LS_SENDER], (int)r->slen[LS_SENDER],
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 6, v[LS_TRANSPORT],
		    (int)r->slen[LS_TRANSPORT], SQLITE_STATIC);
		sqlite3_bind_int(st, 7, r->facility);
		sqlite3_bind_int(st, 8, r->severity);
		for (int i = LS_HOST; i <= LS_SD; i++)
			if (r->slen[i] && (i != LS_TEXT || r->text_off < 0))
				sqlite3_bind_text(st, 9 + i - LS_HOST, v[i],
				    (int)r->slen[i], SQLITE_STATIC);
		sqlite3_bind_blob(
		    st, 16, v[LS_RAW], (int)r->slen[LS_RAW], SQLITE_STATIC);
		sqlite3_bind_int64(st, 17, (sqlite3_int64)r->len);
		sqlite3_bind_int(st, 18, (int)r->problems);
		if (event_id > 0)
			sqlite3_bind_int64(st, 19, event_id);
		if (r->text_off >= 0)
			sqlite3_bind_int(st, 20, r->text_off);
		store_step(s, st, "syslog message");
		p += r->size;
	}
	__atomic_sub_fetch(&s->log_bytes, b->size, __ATOMIC_RELAXED);
}

/*
 * The first message received at T or later: messages are stored in the
 * order they arrive, so their times grow with their ids (but for a clock
 * set back), and a binary search over ids finds it in O(log^2 n) without
 * an index on time. One past the last id when there is none.
 */
static int64_t
store_log_id_at(struct store *s, double t)
{
	sqlite3_stmt *st;
	int64_t lo = 0, hi = 0, id;

	/* min() and max() apart: together they are a scan of the table */
	if (sqlite3_prepare_v2(s->db,
	        "SELECT coalesce((SELECT min(id) FROM logs), 1),"
	        " coalesce((SELECT max(id) FROM logs), 0) + 1",
	        -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		lo = sqlite3_column_int64(st, 0);
		hi = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db,
	        "SELECT id, time FROM logs WHERE id >= ?1 ORDER BY id LIMIT 1",
	        -1, &st, NULL) != SQLITE_OK)
		return lo;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;

		sqlite3_bind_int64(st, 1, mid);
		if (sqlite3_step(st) != SQLITE_ROW) {
			hi = mid;
		} else {
			id = sqlite3_column_int64(st, 0);
			if (sqlite3_column_double(st, 1) >= t)
				hi = mid;
			else
				lo = id + 1;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return lo;
}

void
store_write_prune_logs(struct store *s, double before, int64_t max_rows)
{
	sqlite3_stmt *st;

	if (before > 0 &&
	    sqlite3_prepare_v2(s->db, "DELETE FROM logs WHERE id < ?1", -1, &st,
	        NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, store_log_id_at(s, before));
		store_step(s, st, "syslog retention");
		sqlite3_finalize(st);
	}
	/* ids grow with arrival and only the oldest go: max - bound */
	if (max_rows > 0 &&
	    sqlite3_prepare_v2(s->db,
	        "DELETE FROM logs WHERE id <= (SELECT max(id) FROM logs) - ?1",
	        -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, max_rows);
		store_step(s, st, "syslog retention");
		sqlite3_finalize(st);
	}
}

/* --- reader side --- */

int
store_get_logs(struct store *s, const struct store_log_filter *f,
    store_log_cb cb, void *arg)
{
	sqlite3_stmt *st;
	struct store_log l;
	char *like = NULL;
	int rc;

	/* The newest LIMIT messages, given oldest first. */
	if (sqlite3_prepare_v2(s->db,
	        "SELECT id, time, msg_time, device, known, sender, transport,"
	        " facility, severity, host, app, procid, msgid, mnemonic, text,"
	        " sd, raw, len, problems, event_id FROM ("
	        " SELECT id, time, msg_time, device, known, sender, transport,"
	        " facility, severity, host, app, procid, msgid, mnemonic,"
	        " coalesce(text, CAST(substr(raw, text_off + 1) AS TEXT))"
	        " AS text, sd, raw, len, problems, event_id FROM logs"
	        " WHERE id >= ?1 AND id < ?2"
	        " AND (?3 IS NULL OR device = ?3)"
	        " AND (?4 IS NULL OR coalesce(text, CAST(substr(raw,"
	        " text_off + 1) AS TEXT)) LIKE ?4 ESCAPE '\\')"
	        " AND severity <= ?5"
	        " ORDER BY id DESC LIMIT ?6) ORDER BY id",
	        -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	/* a time range is an id range: see store_log_id_at() */
	sqlite3_bind_int64(
	    st, 1, f->since > 0 ? store_log_id_at(s, f->since) : 0);
	sqlite3_bind_int64(
	    st, 2, f->until > 0 ? store_log_id_at(s, f->until) : INT64_MAX);
	if (f->device)
		store_bind_text(st, 3, f->device);
	if (f->match) {
		/* a substring: LIKE's own characters are escaped */
		size_t n = strlen(f->match), o = 0;

		if ((like = malloc(2 * n + 3)) == NULL) {
			sqlite3_finalize(st);
			return -1;
		}
		like[o++] = '%';
		for (size_t i = 0; i < n; i++) {
			if (strchr("%_\\", f->match[i]))
				like[o++] = '\\';
			like[o++] = f->match[i];
		}
		like[o++] = '%';
		like[o] = '\0';
		store_bind_text(st, 4, like);
	}
	sqlite3_bind_int(st, 5, f->max_severity >= 0 ? f->max_severity : 7);
	sqlite3_bind_int64(st, 6, f->limit > 0 ? f->limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
#define COLS(i) \
	((const char *)sqlite3_column_text(st, i) \
	        ? (const char *)sqlite3_column_text(st, i) \
	        : "")
		memset(&l, 0, sizeof(l));
		l.id = sqlite3_column_int64(st, 0);
		l.time = sqlite3_column_double(st, 1);
		l.msg_time = sqlite3_column_double(st, 2);
		l.device = COLS(3);
		l.known = sqlite3_column_int(st, 4);
		l.sender = COLS(5);
		l.transport = COLS(6);
		l.facility = sqlite3_column_int(st, 7);
		l.severity = sqlite3_column_int(st, 8);
		l.host = COLS(9);
		l.app = COLS(10);
		l.procid = COLS(11);
		l.msgid = COLS(12);
		l.mnemonic = COLS(13);
		l.text = COLS(14);
		l.sd = COLS(15);
		l.raw = sqlite3_column_blob(st, 16);
		l.raw_len = (size_t)sqlite3_column_bytes(st, 16);
		l.len = (size_t)sqlite3_column_int64(st, 17);
		l.problems = (unsigned)sqlite3_column_int(st, 18);
		l.event_id = sqlite3_column_int64(st, 19);
#undef COLS
		if (cb(arg, &l) != 0)
			break;
	}
	free(like);
	return store_query_done(s, st, rc);
}
