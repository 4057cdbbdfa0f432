/*
 * store_log.c - the store's syslog messages: batches built on the loop
 * and queued for the writer against a budget of bytes, written by the
 * writer thread, pruned by age, count and size, and read back by time range
 * (an id range: messages are stored in the order they arrive).
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
 * header then its strings; the messages' events, packed, in an operation
 * of their own for the main store's writer (OP_LOGEVENTS), queued there
 * as it is.
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
	int32_t text_off; /* >= 0: the text is the raw bytes from here on */
	int32_t sd_off; /* >= 0: the structured data is the raw bytes here */
	uint32_t sd_len; /* for so many */
	int64_t event_id; /* its event's, or 0 */
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
	uint64_t id; /* for the receiver's acknowledgements */
	struct store_op *ev; /* OP_LOGEVENTS: the events, packed; n of them */
	size_t ev_used, ev_cap; /* its bytes */
};
#define LOGBATCH_DATA(b) ((char *)((b) + 1))

static uint64_t store_logbatch_ids;

/*
 * Whole batches and their events' buffers go back from the writers to a
 * small pool, for the loop's next ones: allocated on the loop and freed
 * by a writer thread, each new one had glibc's malloc sort through the
 * chunks the other thread gave back (a seventh of the loop's CPU in a
 * flood of syslog over TCP, perf). At most LOGPOOL_MAX of each (4 MB).
 */
#define LOGPOOL_MAX 16
#define LOGPOOL_EV_MAX (256 * 1024) /* an events' buffer kept: this or less */
static struct {
	pthread_mutex_t mu;
	struct store_logbatch *batch[LOGPOOL_MAX];
	struct store_op *ev[LOGPOOL_MAX];
	int nbatch, nev;
} logpool = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void *
logpool_take(int ev)
{
	void *p = NULL;

	pthread_mutex_lock(&logpool.mu);
	if (ev && logpool.nev > 0)
		p = logpool.ev[--logpool.nev];
	else if (!ev && logpool.nbatch > 0)
		p = logpool.batch[--logpool.nbatch];
	pthread_mutex_unlock(&logpool.mu);
	return p;
}

/* P back to the pool, or freed when it is full. */
static void
logpool_give(int ev, void *p)
{
	pthread_mutex_lock(&logpool.mu);
	if (ev && logpool.nev < LOGPOOL_MAX) {
		logpool.ev[logpool.nev++] = p;
		p = NULL;
	} else if (!ev && logpool.nbatch < LOGPOOL_MAX) {
		logpool.batch[logpool.nbatch++] = p;
		p = NULL;
	}
	pthread_mutex_unlock(&logpool.mu);
	free(p);
}

/* An events' buffer (OP_LOGEVENTS) done with: its size is in its arg. */
static void
logev_release(struct store_op *ev)
{
	if (ev == NULL)
		return;
	if (ev->arg > 0 && ev->arg <= LOGPOOL_EV_MAX)
		logpool_give(1, ev);
	else
		free(ev);
}

void
store_log_op_release(struct store_op *op)
{
	if (op->type == OP_LOGEVENTS)
		logev_release(op);
	else if (op->type == OP_LOGS &&
	    ((struct store_logbatch *)op)->cap == STORE_LOGBATCH_BYTES)
		logpool_give(0, op);
	else
		free(op);
}

struct store_logbatch *
store_logbatch_new(void)
{
	struct store_logbatch *b;

	if ((b = logpool_take(0)) == NULL &&
	    (b = malloc(sizeof(*b) + STORE_LOGBATCH_BYTES)) == NULL)
		return NULL;
	b->op.type = OP_LOGS;
	b->op.n = 0;
	b->op.arg = 0;
	b->used = 0;
	b->cap = STORE_LOGBATCH_BYTES;
	b->size = 0;
	b->ev = NULL;
	b->ev_used = b->ev_cap = 0;
	b->id = __atomic_add_fetch(&store_logbatch_ids, 1, __ATOMIC_RELAXED);
	return b;
}

uint64_t
store_logbatch_id(const struct store_logbatch *b)
{
	return b->id;
}

size_t
store_logbatch_size(const struct store_logbatch *b)
{
	return b->size;
}

void
store_logbatch_free(struct store_logbatch *b)
{
	if (b == NULL)
		return;
	logev_release(b->ev);
	b->ev = NULL;
	store_log_op_release(&b->op);
}

/* Room in B's events for N more bytes; -1 out of memory. */
static int
logbatch_ev_room(struct store_logbatch *b, size_t n)
{
	struct store_op *op;
	size_t cap;

	if (b->ev == NULL && (op = logpool_take(1)) != NULL) {
		/* (a pooled one: its size in its arg) */
		b->ev = op;
		b->ev_cap = (size_t)op->arg;
		b->ev_used = 0;
		op->type = OP_LOGEVENTS;
		op->n = 0;
	}
	if (b->ev != NULL && b->ev_cap - b->ev_used >= n)
		return 0;
	cap = b->ev_cap ? b->ev_cap : 16384;
	while (cap - b->ev_used < n)
		cap *= 2;
	if ((op = realloc(b->ev, sizeof(*op) + cap)) == NULL)
		return -1;
	if (b->ev == NULL) {
		op->type = OP_LOGEVENTS;
		op->n = 0;
	}
	op->arg = (double)cap; /* its size, for the pool */
	b->ev = op;
	b->ev_cap = cap;
	return 0;
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
	need = sizeof(*r);
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
	if (need > b->cap - b->used ||
	    (evsize > 0 && logbatch_ev_room(b, evsize) == -1))
		return -1;
	p = LOGBATCH_DATA(b) + b->used;
	r = (struct store_logrec *)p;
	r->size = (uint32_t)need;
	r->event_id = l->event ? l->event->id : l->event_id;
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
		logev_pack((char *)OP_DATA(b->ev) + b->ev_used, l->event);
		b->ev_used += evsize;
		b->ev->n++;
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

/*
 * The messages have a store of their own (syslog.db: its connection and
 * writer thread, store.c): what is asked of the main store about them
 * goes there (LOGSTORE).
 */
void
store_set_log_budget(struct store *s, size_t bytes)
{
	LOGSTORE(s)->log_budget = bytes;
}

size_t
store_log_queued(struct store *s)
{
	return __atomic_load_n(&LOGSTORE(s)->log_bytes, __ATOMIC_RELAXED);
}

/*
 * The writer gathers a batch for the store's window (store batch-ms, a
 * second) before it writes, unless this much waits: a burst after a
 * quiet spell would otherwise fill the budget (syslog queue: 256 MB by
 * default, 1.5 s of a flood over TCP; 16 MB at least) while the writer
 * idles, pausing TCP senders and dropping UDP datagrams (a 1,000,000
 * message flood over TCP took 0.9 s longer). STORE_LOG_WAKE_BYTES, or
 * an eighth of a smaller budget.
 */
#define STORE_LOG_WAKE_BYTES (2 * 1024 * 1024)

static int
store_log_wake(const struct store *s)
{
	size_t at = STORE_LOG_WAKE_BYTES;

	if (s->log_budget > 0 && s->log_budget / 8 < at)
		at = s->log_budget / 8;
	return __atomic_load_n(&s->log_bytes, __ATOMIC_RELAXED) >= at;
}

int
store_put_logs(struct store *main, struct store_logbatch *b)
{
	struct store *s = LOGSTORE(main);
	struct store_logbatch *shrunk;
	size_t size;

	if (b == NULL)
		return -1;
	if (b->op.n == 0) {
		store_logbatch_free(b);
		return 0;
	}
	/* a batch of a few messages does not keep the whole buffer (one
	 * half full or more goes back to the pool whole) */
	if (b->used < b->cap / 2 &&
	    (shrunk = realloc(b, sizeof(*b) + b->used)) != NULL) {
		b = shrunk;
		b->cap = b->used;
	}
	/* (its events too: they leave with it) */
	size = sizeof(*b) + b->cap + (b->ev ? b->ev_used : 0);
	b->size = size;
	if (s->log_budget &&
	    __atomic_add_fetch(&s->log_bytes, size, __ATOMIC_RELAXED) >
	        s->log_budget) {
		__atomic_sub_fetch(&s->log_bytes, size, __ATOMIC_RELAXED);
		store_logbatch_free(b);
		return -1;
	}
	if (!s->log_budget)
		__atomic_add_fetch(&s->log_bytes, size, __ATOMIC_RELAXED);
	/* the messages' events go to the main store's writer, before the
	 * messages: a batch whose events cannot be queued is refused whole */
	if (b->ev != NULL) {
		struct store_op *ev = b->ev;

		b->ev = NULL;
		if (store_push(main, ev) == -1) /* (it freed them) */
			goto refused;
	}
	if (s->wq == NULL ||
	    (store_log_wake(s) ? wq_push_now(s->wq, &b->op.item)
	                             : wq_push(s->wq, &b->op.item)) == -1)
		goto refused;
	return 0;
refused:
	__atomic_sub_fetch(&s->log_bytes, size, __ATOMIC_RELAXED);
	store_logbatch_free(b);
	return -1;
}

int
store_prune_logs(
    struct store *s, double before, int64_t max_rows, int64_t max_size)
{
	struct store_logretain r;

	r.before = before;
	r.max_rows = max_rows > 0 ? max_rows : 0;
	r.max_size = max_size > 0 ? max_size : 0;
	return store_push(
	    LOGSTORE(s), store_op_new(OP_PRUNE_LOGS, &r, sizeof(r)));
}

void
store_log_pruned(struct store *s, struct store_log_pruned *out)
{
	s = LOGSTORE(s);
	pthread_mutex_lock(&s->pruned_mtx);
	*out = s->pruned;
	pthread_mutex_unlock(&s->pruned_mtx);
}

/* --- writer thread --- */

void
store_write_logs(struct store *s, struct store_logbatch *b)
{
	db_stmt *st = s->st[ST_LOG];
	char *p = LOGBATCH_DATA(b), *end = p + b->used;

	while (p < end) {
		const struct store_logrec *r = (const struct store_logrec *)p;
		const char *str = p + sizeof(*r);
		const char *v[LS_N];
		int64_t event_id = r->event_id;

		for (int i = 0; i < LS_N; i++) {
			v[i] = str;
			str += r->slen[i] + 1;
		}
		db_bind_double(st, 1, r->time);
		if (r->msg_time > 0)
			db_bind_double(st, 2, r->msg_time);
		db_bind_text(st, 3, v[LS_DEVICE], (int)r->slen[LS_DEVICE],
		    SQLITE_STATIC);
		db_bind_int(st, 4, r->known);
		db_bind_text(st, 5, v[LS_SENDER], (int)r->slen[LS_SENDER],
		    SQLITE_STATIC);
		db_bind_text(st, 6, v[LS_TRANSPORT],
		    (int)r->slen[LS_TRANSPORT], SQLITE_STATIC);
		db_bind_int(st, 7, r->facility);
		db_bind_int(st, 8, r->severity);
		for (int i = LS_HOST; i <= LS_SD; i++)
			if (r->slen[i] && (i != LS_TEXT || r->text_off < 0))
				db_bind_text(st, 9 + i - LS_HOST, v[i],
				    (int)r->slen[i], SQLITE_STATIC);
		if (db_is_pg(s->db)) {
			/* PostgreSQL cannot read text out of a blob as sqlite
			 * does: the text and structured data in their columns */
			if (r->text_off >= 0)
				db_bind_text(st, 9 + LS_TEXT - LS_HOST,
				    v[LS_RAW] + r->text_off,
				    (int)r->slen[LS_RAW] - r->text_off,
				    SQLITE_STATIC);
			if (r->sd_off >= 0)
				db_bind_text(st, 9 + LS_SD - LS_HOST,
				    v[LS_RAW] + r->sd_off, (int)r->sd_len,
				    SQLITE_STATIC);
		}
		db_bind_blob(
		    st, 16, v[LS_RAW], (int)r->slen[LS_RAW], SQLITE_STATIC);
		db_bind_int64(st, 17, (int64_t)r->len);
		db_bind_int(st, 18, (int)r->problems);
		if (event_id > 0)
			db_bind_int64(st, 19, event_id);
		if (r->text_off >= 0)
			db_bind_int(st, 20, r->text_off);
		if (r->sd_off >= 0) {
			db_bind_int(st, 21, r->sd_off);
			db_bind_int(st, 22, (int)r->sd_len);
		}
		if (store_step(s, st, "syslog message") == 0)
			store_logspan_note(s, v[LS_DEVICE], /* NUL-ended */
			    db_last_insert_rowid(s->db));
		p += r->size;
	}
	store_logspan_flush(s, 0);
	/* the budget counts it until it is committed (store_op_done) */
}

/* The main store's side: the events of a batch of messages, packed. */
void
store_write_logevents(struct store *s, const struct store_op *op)
{
	const char *p = (const char *)OP_DATA(op);
	struct np_event ev;

	for (size_t i = 0; i < op->n; i++) {
		const struct store_logev *h = (const struct store_logev *)p;
		size_t n = sizeof(*h);

		for (int k = 0; k < LE_N; k++)
			n += (size_t)h->len[k] + 1;
		logev_unpack(p, &ev);
		store_write_event(s, &ev);
		p += (n + 7) & ~(size_t)7;
	}
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
	db_stmt *st;
	int64_t lo = 0, hi = 0, id;

	/* min() and max() apart: together they are a scan of the table */
	if (db_prepare_v2(s->db,
	        "SELECT coalesce((SELECT min(id) FROM logs), 1),"
	        " coalesce((SELECT max(id) FROM logs), 0) + 1",
	        -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (db_step(st) == SQLITE_ROW) {
		lo = db_column_int64(st, 0);
		hi = db_column_int64(st, 1);
	}
	db_finalize(st);
	if (db_prepare_v2(s->db,
	        "SELECT id, time FROM logs WHERE id >= ?1 ORDER BY id LIMIT 1",
	        -1, &st, NULL) != SQLITE_OK)
		return lo;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;

		db_bind_int64(st, 1, mid);
		if (db_step(st) != SQLITE_ROW) {
			hi = mid;
		} else {
			id = db_column_int64(st, 0);
			if (db_column_double(st, 1) >= t)
				hi = mid;
			else
				lo = id + 1;
		}
		db_reset(st);
	}
	db_finalize(st);
	return lo;
}

/*
 * Retention. Messages are stored in the order they arrive and only the
 * oldest are deleted, so every bound is an id below which all go: a pass
 * deletes the ids below the age's cut, then below the rows' cut, then the
 * oldest while the messages take more than max-size, each in transactions
 * of STORE_PRUNE_ROWS messages, for STORE_PRUNE_SLICE seconds (and one
 * transaction) at a time: then the writer takes what waits in its queue,
 * and the pass goes on right after, with no batch window. Measured on a
 * virtual disk, cold: 10,000 messages in 0.25 s, 1.5 million in 25 s.
 *
 * Size: the pages in use, (page_count - freelist_count) * page_size, are
 * read from the database header, at no cost. Deleted messages free their
 * pages for the next ones, so the file stops growing (it does not shrink:
 * see netpatrold.conf(5)). The messages' share is what is in use less the
 * pages of the other tables and indexes, counted with the dbstat virtual
 * table, which reads the pages it counts: so the other tables only (the
 * messages are most of the store), and only when the whole store is over
 * the bound (then at most every 10 minutes), or an hour has passed. A
 * sqlite without dbstat makes it the whole store's pages in use.
 */
enum { PRUNE_AGE, PRUNE_ROWS, PRUNE_SIZE, PRUNE_DONE };

#define PRUNE_OTHERS_FRESH 600.0 /* the other tables' count, when over */
#define PRUNE_OTHERS_STALE 3600.0 /* ... and when not, for the status */

static double
store_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The store's pages in use, in bytes; -1 on an error. */
static int64_t
store_used_bytes(struct store *s)
{
	int64_t pages, free_pages, size;

	/* PostgreSQL: the messages' tables with their indexes and TOAST */
	if (db_is_pg(s->db))
		return store_int64(s, "SELECT pg_total_relation_size('logs')"
		                      " + pg_total_relation_size('log_spans')");
	pages = store_int64(s, "PRAGMA page_count");
	free_pages = store_int64(s, "PRAGMA freelist_count");
	size = store_int64(s, "PRAGMA page_size");

	if (pages <= 0 || size <= 0)
		return -1;
	return (pages - free_pages) * size;
}

/* The bytes of the pages of every table and index but the messages'. */
static int64_t
store_other_bytes(struct store *s)
{
	db_stmt *st;
	int64_t v = -1;

	if (db_is_pg(s->db))
		return store_int64(s, "SELECT pg_total_relation_size('log_spans')");
	if (s->prune.no_dbstat)
		return 0;
	if (db_prepare_v2(s->db,
	        "SELECT coalesce(sum(pgsize), 0) FROM dbstat"
	        " WHERE aggregate = 1 AND name IN (SELECT 'sqlite_schema'"
	        " UNION ALL SELECT name FROM sqlite_schema"
	        " WHERE rootpage > 0 AND tbl_name <> 'logs')",
	        -1, &st, NULL) != SQLITE_OK) {
		log_warnx("store: %s: syslog max-size bounds the whole store "
		          "(this sqlite has no dbstat to tell the messages' "
		          "share)",
		    db_errmsg(s->db));
		s->prune.no_dbstat = 1;
		return 0;
	}
	if (db_step(st) == SQLITE_ROW)
		v = db_column_int64(st, 0);
	db_finalize(st);
	return v;
}

static void
store_pruned_sizes(struct store *s, int64_t used, int64_t logs)
{
	pthread_mutex_lock(&s->pruned_mtx);
	s->pruned.used_bytes = used;
	if (logs >= 0)
		s->pruned.logs_bytes = logs;
	pthread_mutex_unlock(&s->pruned_mtx);
}

/*
 * The size phase's cut: one past the oldest messages to delete now (at
 * most a transaction's worth), or 0 when the messages fit. Over max-size,
 * they go down to STORE_PRUNE_LOW of it.
 */
static int64_t
store_size_cut(struct store *s, struct store_logprune *p, int64_t lo)
{
	int64_t used, others, logs, low, hi, n, k;
	double now = store_clock();

	if ((used = store_used_bytes(s)) < 0)
		return 0;
	/* the other tables: when the store is over, if not counted lately
	 * (they change little), and hourly for netpatrol status */
	if (p->others < 0 ||
	    now - p->others_at >= (used > p->r.max_size ? PRUNE_OTHERS_FRESH
	                                                : PRUNE_OTHERS_STALE)) {
		if ((others = store_other_bytes(s)) >= 0) {
			p->others = others;
			p->others_at = now;
		}
	}
	others = p->others > 0 ? p->others : 0;
	logs = used > others ? used - others : 0;
	store_pruned_sizes(s, used, logs);
	low = (int64_t)((double)p->r.max_size * STORE_PRUNE_LOW);
	if (logs <= (p->over ? low : p->r.max_size))
		return 0;
	p->over = 1;
	hi = store_int64(s, "SELECT max(id) FROM logs");
	if ((n = hi - lo + 1) <= 0)
		return 0;
	/* as many as would free the excess, the oldest being about as big
	 * as the rest; what they did free is measured at the next step */
	k = (int64_t)((double)(logs - low) / ((double)logs / (double)n)) + 1;
	return lo + (k < STORE_PRUNE_ROWS ? k : STORE_PRUNE_ROWS);
}

/* One step of pass P: a transaction of deletions, or the next phase. */
static void
store_prune_step(struct store *s, struct store_logprune *p)
{
	db_stmt *st;
	int64_t lo, hi;

	lo = store_int64(s, "SELECT min(id) FROM logs");
	if (lo <= 0) { /* none left */
		p->phase = PRUNE_DONE;
		return;
	}
	switch (p->phase) {
	case PRUNE_AGE:
		/* found again at each step (a few lookups): a step that
		 * emptied the table lets sqlite number the next messages
		 * from 1 again, under a cut found before */
		p->cut = p->r.before > 0 ? store_log_id_at(s, p->r.before) : 0;
		break;
	case PRUNE_ROWS:
		/* ids grow with arrival and only the oldest go: max - bound */
		if (p->cut < 0)
			p->cut = p->r.max_rows > 0
			    ? store_int64(s, "SELECT max(id) FROM logs") + 1 -
			        p->r.max_rows
			    : 0;
		break;
	case PRUNE_SIZE:
		p->cut = p->r.max_size > 0 ? store_size_cut(s, p, lo) : 0;
		break;
	}
	if (lo >= p->cut) {
		p->phase++;
		p->cut = -1;
		return;
	}
	hi = p->cut - lo > STORE_PRUNE_ROWS ? lo + STORE_PRUNE_ROWS : p->cut;
	if (db_prepare_v2(s->db, "DELETE FROM logs WHERE id < ?1", -1, &st,
	        NULL) != SQLITE_OK) {
		s->sql_errors++;
		p->phase = PRUNE_DONE;
		return;
	}
	store_step(s, s->st[ST_BEGIN], "begin");
	db_bind_int64(st, 1, hi);
	if (store_step(s, st, "syslog retention") == 0) {
		int n = db_changes(s->db);

		store_logspan_prune(s, hi);
		if (store_step(s, s->st[ST_COMMIT], "commit") == 0)
			p->removed[p->phase] += (uint64_t)n;
		else {
			/* (a full disk): not counted, and the pass ends
			 * rather than trying again at every slice */
			db_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			p->phase = PRUNE_DONE;
		}
	} else {
		db_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		p->phase = PRUNE_DONE;
	}
	db_finalize(st);
}

/*
 * What pass P deleted is counted after every slice, for netpatrol status
 * to show it as it goes (a pass may last); its end is said in the log.
 */
static void
store_prune_count(struct store *s, struct store_logprune *p, int end)
{
	uint64_t n = p->removed[0] + p->removed[1] + p->removed[2];
	int64_t logs;
	char size[96] = "";

	pthread_mutex_lock(&s->pruned_mtx);
	s->pruned.by_age += p->removed[PRUNE_AGE] - p->counted[PRUNE_AGE];
	s->pruned.by_rows += p->removed[PRUNE_ROWS] - p->counted[PRUNE_ROWS];
	s->pruned.by_size += p->removed[PRUNE_SIZE] - p->counted[PRUNE_SIZE];
	if (end && n > 0) {
		s->pruned.passes++;
		s->pruned.last_pass = (double)time(NULL);
		s->pruned.last_pass_secs = p->busy;
	}
	logs = s->pruned.logs_bytes;
	pthread_mutex_unlock(&s->pruned_mtx);
	memcpy(p->counted, p->removed, sizeof(p->counted));
	if (!end)
		return;
	p->active = 0;
	if (n == 0)
		return;
	if (p->r.max_size > 0 && logs >= 0)
		snprintf(size, sizeof(size),
		    "; the messages take %.1f MB (max-size %.1f MB)",
		    (double)logs / 1048576.0,
		    (double)p->r.max_size / 1048576.0);
	log_info("store: syslog retention deleted %llu messages (%llu by "
	         "age, %llu by max-rows, %llu by max-size) in %.2f s of "
	         "writing over %.1f s%s",
	    (unsigned long long)n, (unsigned long long)p->removed[PRUNE_AGE],
	    (unsigned long long)p->removed[PRUNE_ROWS],
	    (unsigned long long)p->removed[PRUNE_SIZE], p->busy,
	    store_clock() - p->start, size);
}

void
store_write_prune_logs(struct store *s, const struct store_logretain *r)
{
	struct store_logprune *p = &s->prune;
	struct store_op *op;
	double t0 = store_clock();
	int end;

	if (r != NULL) {
		/* a pass still under way starts over, its counts go on */
		if (!p->active) {
			memset(p->removed, 0, sizeof(p->removed));
			memset(p->counted, 0, sizeof(p->counted));
			p->busy = 0;
			p->over = 0;
			p->start = t0;
		}
		p->r = *r;
		p->active = 1;
		p->phase = PRUNE_AGE;
		p->cut = -1;
	} else {
		p->more = 0;
		if (!p->active)
			return;
	}
	while (p->phase != PRUNE_DONE && store_clock() - t0 < STORE_PRUNE_SLICE)
		store_prune_step(s, p);
	p->busy += store_clock() - t0;
	end = p->phase == PRUNE_DONE ||
	    __atomic_load_n(&s->stopping, __ATOMIC_RELAXED);
	if (!end && !p->more) {
		/* the rest right after what waits in the queue, without
		 * waiting for a batch window */
		if ((op = store_op_new(OP_PRUNE_LOGS_MORE, NULL, 0)) != NULL &&
		    wq_push_now(s->wq, &op->item) == 0)
			p->more = 1;
		else {
			free(op);
			end = 1;
		}
	}
	if (end) /* for netpatrol status, with or without max-size */
		store_pruned_sizes(s, store_used_bytes(s), -1);
	store_prune_count(s, p, end);
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
log_row(db_stmt *st, struct store_log *l)
{
#define COLS(i) \
	((const char *)db_column_text(st, i) \
	        ? (const char *)db_column_text(st, i) \
	        : "")
	memset(l, 0, sizeof(*l));
	l->id = db_column_int64(st, 0);
	l->time = db_column_double(st, 1);
	l->msg_time = db_column_double(st, 2);
	l->device = COLS(3);
	l->known = db_column_int(st, 4);
	l->sender = COLS(5);
	l->transport = COLS(6);
	l->facility = db_column_int(st, 7);
	l->severity = db_column_int(st, 8);
	l->host = COLS(9);
	l->app = COLS(10);
	l->procid = COLS(11);
	l->msgid = COLS(12);
	l->mnemonic = COLS(13);
	l->text = COLS(14);
	l->sd = COLS(15);
	l->raw = db_column_blob(st, 16);
	l->raw_len = (size_t)db_column_bytes(st, 16);
	l->len = (size_t)db_column_int64(st, 17);
	l->problems = (unsigned)db_column_int(st, 18);
	l->event_id = db_column_int64(st, 19);
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
log_bind(db_stmt *st, const struct store_log_filter *f, const char *like,
    int64_t lo, int64_t hi)
{
	db_reset(st);
	db_bind_int64(st, 1, lo);
	db_bind_int64(st, 2, hi);
	if (f->device)
		store_bind_text(st, 3, f->device);
	if (like)
		store_bind_text(st, 4, like);
	db_bind_int(st, 5, f->max_severity >= 0 ? f->max_severity : 7);
}

/*
 * A device's messages, from its spans (store_logspan.c): the newest LIMIT
 * found span by span from the newest, then read oldest first by id.
 */
static int
store_get_device_logs(struct store *s, const struct store_log_filter *f,
    const char *like, int64_t lo, int64_t hi, store_log_cb cb, void *arg)
{
	db_stmt *ids = NULL, *rows = NULL;
	int64_t(*span)[2] = NULL, *found = NULL;
	size_t nspan, nfound = 0, cap = 0;
	int64_t want = f->limit > 0 ? f->limit : INT64_MAX;
	struct store_log l;
	int rc = SQLITE_DONE;

	if (store_logspan_find(s, f->device, lo, hi, &span, &nspan) == -1 ||
	    db_prepare_v2(s->db,
	        "SELECT id FROM logs" LOG_WHERE " ORDER BY id DESC LIMIT ?6",
	        -1, &ids, NULL) != SQLITE_OK ||
	    db_prepare_v2(s->db, LOG_COLS " WHERE id = ?1", -1, &rows,
	        NULL) != SQLITE_OK) {
		rc = SQLITE_ERROR;
		goto done;
	}
	for (size_t i = 0; i < nspan && (int64_t)nfound < want; i++) {
		log_bind(ids, f, like, span[i][0], span[i][1] + 1);
		db_bind_int64(ids, 6, want - (int64_t)nfound);
		while ((rc = db_step(ids)) == SQLITE_ROW) {
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
			found[nfound++] = db_column_int64(ids, 0);
		}
		if (rc != SQLITE_DONE)
			goto done;
	}
	/* found is newest first */
	while (nfound > 0) {
		db_reset(rows);
		db_bind_int64(rows, 1, found[--nfound]);
		if ((rc = db_step(rows)) != SQLITE_ROW) {
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
	db_finalize(ids);
	return store_query_done(s, rows, rc);
}

int64_t
store_log_max_id(struct store *s)
{
	int64_t id = store_int64(s, "SELECT max(id) FROM logs");

	return id > 0 ? id : 0;
}

int
store_get_logs(struct store *s, const struct store_log_filter *f,
    store_log_cb cb, void *arg)
{
	db_stmt *st;
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
	if (f->after_id > 0 && lo <= f->after_id)
		lo = f->after_id + 1;
	if (f->device) {
		rc = store_get_device_logs(s, f, like, lo, hi, cb, arg);
		free(like);
		return rc;
	}
	/* The newest LIMIT messages, given oldest first. */
	if (db_prepare_v2(s->db,
	        "SELECT * FROM (" LOG_COLS LOG_WHERE
	        " ORDER BY id DESC LIMIT ?6) ORDER BY id",
	        -1, &st, NULL) != SQLITE_OK) {
		free(like);
		return store_query_done(s, NULL, SQLITE_ERROR);
	}
	log_bind(st, f, like, lo, hi);
	db_bind_int64(st, 6, f->limit > 0 ? f->limit : -1);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		log_row(st, &l);
		if (cb(arg, &l) != 0)
			break;
	}
	free(like);
	return store_query_done(s, st, rc);
}
