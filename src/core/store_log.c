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
    " raw, len, problems, event_id, text_off, sd_off, sd_len) VALUES (?1,"
    " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
    " ?17, ?18, ?19, ?20, ?21, ?22)";

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
	uint32_t has_event; /* bytes of the packed event that follows, or 0 */
	int32_t text_off; /* >= 0: the text is the raw bytes from here on */
	int32_t sd_off; /* >= 0: the structured data is the raw bytes here */
	uint32_t sd_len; /* for so many */
	double time, msg_time;
	int32_t known, facility, severity;
	uint32_t problems;
	uint64_t len;
	uint32_t slen[LS_N]; /* each string is followed by a NUL */
};

/*
 * A message's event, packed: this header, then its strings, each followed
 * by a NUL (an np_event is 1.5 KB of mostly empty arrays: packed, a queue
 * of messages holds twice as many).
 */
enum {
	LE_DEVICE,
	LE_SOURCE,
	LE_KIND,
	LE_KEY,
	LE_OBJECT,
	LE_OLD,
	LE_NEW,
	LE_TEXT,
	LE_N
};
struct store_logev {
	int64_t id;
	double time;
	int32_t severity;
	uint16_t len[LE_N];
};

/* Field I of E, and the size of its array. */
static char *
logev_field(const struct np_event *ec, int i, size_t *cap)
{
	struct np_event *e = (struct np_event *)(uintptr_t)ec;

#define F(x) (*cap = sizeof(e->x), e->x)
	switch (i) {
	case LE_DEVICE: return F(device);
	case LE_SOURCE: return F(source);
	case LE_KIND: return F(kind);
	case LE_KEY: return F(key);
	case LE_OBJECT: return F(object);
	case LE_OLD: return F(old_state);
	case LE_NEW: return F(new_state);
	default: return F(text);
	}
#undef F
}

static size_t
logev_size(const struct np_event *e)
{
	size_t n = sizeof(struct store_logev), cap;

	for (int i = 0; i < LE_N; i++) {
		const char *v = logev_field(e, i, &cap);

		n += strnlen(v, cap) + 1;
	}
	return (n + 7) & ~(size_t)7;
}

/* E packed at P, which has logev_size(E) bytes. */
static void
logev_pack(char *p, const struct np_event *e)
{
	struct store_logev *h = (struct store_logev *)p;
	size_t cap;

	h->id = e->id;
	h->time = e->time;
	h->severity = (int32_t)e->severity;
	p += sizeof(*h);
	for (int i = 0; i < LE_N; i++) {
		const char *v = logev_field(e, i, &cap);
		size_t n = strnlen(v, cap);

		h->len[i] = (uint16_t)n;
		memcpy(p, v, n);
		p[n] = '\0';
		p += n + 1;
	}
}

/* The event packed at P, into E. */
static void
logev_unpack(const char *p, struct np_event *e)
{
	const struct store_logev *h = (const struct store_logev *)p;
	size_t cap;

	e->id = h->id;
	e->time = h->time;
	e->severity = (enum np_severity)h->severity;
	p += sizeof(*h);
	for (int i = 0; i < LE_N; i++) {
		char *dst = logev_field(e, i, &cap);
		size_t n = h->len[i] < cap ? h->len[i] : cap - 1;

		memcpy(dst, p, n);
		dst[n] = '\0';
		p += h->len[i] + 1;
	}
}

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
	int32_t text_off, sd_off = -1;
	size_t evsize;
	uint32_t sd_len = 0;
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
	evsize = l->event ? logev_size(l->event) : 0;
	need = sizeof(*r) + evsize;
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
	/* and RFC 5424 structured data, as it came, a part of them too */
	if (len[LS_SD] > 0 && len[LS_RAW] >= len[LS_SD]) {
		const char *at =
		    memmem(l->raw, len[LS_RAW], v[LS_SD], len[LS_SD]);

		if (at != NULL) {
			sd_off = (int32_t)(at - (const char *)l->raw);
			sd_len = (uint32_t)len[LS_SD];
			need -= len[LS_SD];
			len[LS_SD] = 0;
		}
	}
	need = (need + 7) & ~(size_t)7;
	if (need > b->cap - b->used)
		return -1;
	p = LOGBATCH_DATA(b) + b->used;
	r = (struct store_logrec *)p;
	r->size = (uint32_t)need;
	r->has_event = (uint32_t)evsize;
	r->text_off = text_off;
	r->sd_off = sd_off;
	r->sd_len = sd_len;
	r->time = l->time;
	r->msg_time = l->msg_time;
	r->known = l->known;
	r->facility = l->facility;
	r->severity = l->severity;
	r->problems = l->problems;
	r->len = l->len;
	p += sizeof(*r);
	if (l->event) {
		logev_pack(p, l->event);
		p += evsize;
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
			struct np_event ev;

			logev_unpack(str, &ev);
			store_write_event(s, &ev);
			event_id = ev.id;
			str += r->has_event;
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
		if (r->sd_off >= 0) {
			sqlite3_bind_int(st, 21, r->sd_off);
			sqlite3_bind_int(st, 22, (int)r->sd_len);
		}
		if (store_step(s, st, "syslog message") == 0)
			store_logspan_note(s, v[LS_DEVICE], r->slen[LS_DEVICE],
			    sqlite3_last_insert_rowid(s->db));
		p += r->size;
	}
	store_logspan_flush(s, 0);
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

	if (sqlite3_prepare_v2(s->db,
	        "SELECT coalesce(min(id), 1), coalesce(max(id), 0) + 1 FROM "
	        "logs",
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

/* The id of the oldest message kept; INT64_MAX when there is none. */
static int64_t
store_log_first_id(struct store *s)
{
	sqlite3_stmt *st;
	int64_t id = INT64_MAX;

	if (sqlite3_prepare_v2(
	        s->db, "SELECT min(id) FROM logs", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
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
	store_logspan_prune(s, store_log_first_id(s));
}
/* --- reader side --- */

/* The columns a message is read with, in log_row()'s order. */
#define LOG_COLS \
	"SELECT id, time, msg_time, device, known, sender, transport," \
	" facility, severity, host, app, procid, msgid, mnemonic," \
	" coalesce(text, CAST(substr(raw, text_off + 1) AS TEXT)) AS text," \
	" coalesce(sd, CAST(substr(raw, sd_off + 1, sd_len) AS TEXT)) AS sd," \
	" raw, len, problems, event_id FROM logs"
/* The filter, ?1 to ?5: ids [?1, ?2), device, LIKE pattern, severity. */
#define LOG_WHERE \
	" WHERE id >= ?1 AND id < ?2 AND (?3 IS NULL OR device = ?3)" \
	" AND (?4 IS NULL OR coalesce(text, CAST(substr(raw, text_off + 1)" \
	" AS TEXT)) LIKE ?4 ESCAPE '\\')" \
	" AND severity <= ?5"

static void
log_row(sqlite3_stmt *st, struct store_log *l)
{
#define COLS(i) \
	((const char *)sqlite3_column_text(st, i) \
	        ? (const char *)sqlite3_column_text(st, i) \
	        : "")
	memset(l, 0, sizeof(*l));
	l->id = sqlite3_column_int64(st, 0);
	l->time = sqlite3_column_double(st, 1);
	l->msg_time = sqlite3_column_double(st, 2);
	l->device = COLS(3);
	l->known = sqlite3_column_int(st, 4);
	l->sender = COLS(5);
	l->transport = COLS(6);
	l->facility = sqlite3_column_int(st, 7);
	l->severity = sqlite3_column_int(st, 8);
	l->host = COLS(9);
	l->app = COLS(10);
	l->procid = COLS(11);
	l->msgid = COLS(12);
	l->mnemonic = COLS(13);
	l->text = COLS(14);
	l->sd = COLS(15);
	l->raw = sqlite3_column_blob(st, 16);
	l->raw_len = (size_t)sqlite3_column_bytes(st, 16);
	l->len = (size_t)sqlite3_column_int64(st, 17);
	l->problems = (unsigned)sqlite3_column_int(st, 18);
	l->event_id = sqlite3_column_int64(st, 19);
#undef COLS
}

/* F's --match as a LIKE pattern (its own characters escaped), or NULL. */
static char *
log_like(const struct store_log_filter *f, int *err)
{
	size_t n, o = 0;
	char *like;

	*err = 0;
	if (f->match == NULL)
		return NULL;
	n = strlen(f->match);
	if ((like = malloc(2 * n + 3)) == NULL) {
		*err = 1;
		return NULL;
	}
	like[o++] = '%';
	for (size_t i = 0; i < n; i++) {
		if (strchr("%_\\", f->match[i]))
			like[o++] = '\\';
		like[o++] = f->match[i];
	}
	like[o++] = '%';
	like[o] = '\0';
	return like;
}

static void
log_bind(sqlite3_stmt *st, const struct store_log_filter *f, const char *like,
    int64_t lo, int64_t hi)
{
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	if (f->device)
		store_bind_text(st, 3, f->device);
	if (like)
		store_bind_text(st, 4, like);
	sqlite3_bind_int(st, 5, f->max_severity >= 0 ? f->max_severity : 7);
}

/*
 * A device's messages, from its spans (store_logspan.c): the newest LIMIT
 * found span by span from the newest, then read oldest first by id.
 */
static int
store_get_device_logs(struct store *s, const struct store_log_filter *f,
    const char *like, int64_t lo, int64_t hi, store_log_cb cb, void *arg)
{
	sqlite3_stmt *ids = NULL, *rows = NULL;
	int64_t(*span)[2] = NULL, *found = NULL;
	size_t nspan, nfound = 0, cap = 0;
	int64_t want = f->limit > 0 ? f->limit : INT64_MAX;
	struct store_log l;
	int rc = SQLITE_DONE;

	if (store_logspan_find(s, f->device, lo, hi, &span, &nspan) == -1 ||
	    sqlite3_prepare_v2(s->db,
	        "SELECT id FROM logs" LOG_WHERE " ORDER BY id DESC LIMIT ?6",
	        -1, &ids, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, LOG_COLS " WHERE id = ?1", -1, &rows,
	        NULL) != SQLITE_OK) {
		rc = SQLITE_ERROR;
		goto done;
	}
	for (size_t i = 0; i < nspan && (int64_t)nfound < want; i++) {
		log_bind(ids, f, like, span[i][0], span[i][1] + 1);
		sqlite3_bind_int64(ids, 6, want - (int64_t)nfound);
		while ((rc = sqlite3_step(ids)) == SQLITE_ROW) {
			if (nfound == cap) {
				int64_t *nf;

				cap = cap ? cap * 2 : 256;
				if ((nf = realloc(found, cap * sizeof(*nf))) ==
				    NULL) {
					rc = SQLITE_NOMEM;
					goto done;
				}
				found = nf;
			}
			found[nfound++] = sqlite3_column_int64(ids, 0);
		}
		if (rc != SQLITE_DONE)
			goto done;
	}
	/* found is newest first */
	while (nfound > 0) {
		sqlite3_reset(rows);
		sqlite3_bind_int64(rows, 1, found[--nfound]);
		if ((rc = sqlite3_step(rows)) != SQLITE_ROW) {
			if (rc == SQLITE_DONE)
				continue; /* pruned meanwhile */
			goto done;
		}
		log_row(rows, &l);
		if (cb(arg, &l) != 0)
			break;
	}
	rc = SQLITE_DONE;
done:
	free(span);
	free(found);
	sqlite3_finalize(ids);
	return store_query_done(s, rows, rc);
}

int
store_get_logs(struct store *s, const struct store_log_filter *f,
    store_log_cb cb, void *arg)
{
	sqlite3_stmt *st;
	struct store_log l;
	char *like;
	int64_t lo, hi;
	int rc, err;

	like = log_like(f, &err);
	if (err)
		return -1;
	/* a time range is an id range: see store_log_id_at() */
	lo = f->since > 0 ? store_log_id_at(s, f->since) : 0;
	hi = f->until > 0 ? store_log_id_at(s, f->until) : INT64_MAX;
	if (f->device) {
		rc = store_get_device_logs(s, f, like, lo, hi, cb, arg);
		free(like);
		return rc;
	}
	/* The newest LIMIT messages, given oldest first. */
	if (sqlite3_prepare_v2(s->db,
	        "SELECT * FROM (" LOG_COLS LOG_WHERE
	        " ORDER BY id DESC LIMIT ?6) ORDER BY id",
	        -1, &st, NULL) != SQLITE_OK) {
		free(like);
		return store_query_done(s, NULL, SQLITE_ERROR);
	}
	log_bind(st, f, like, lo, hi);
	sqlite3_bind_int64(st, 6, f->limit > 0 ? f->limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		log_row(st, &l);
		if (cb(arg, &l) != 0)
			break;
	}
	free(like);
	return store_query_done(s, st, rc);
}
