/*
 * store_retry.c - what the store writer does when a transaction fails (a
 * full disk, an I/O error, the database locked): the batch is rolled back
 * and its operations are kept, in order, to be written again before what
 * comes after them; at most a queue's worth (store queue, and syslog's
 * byte budget which a kept syslog batch still counts against), the oldest
 * dropped and counted beyond. The failure is said in the log at most every
 * STORE_FAIL_LOG_SECS while it lasts, and its end once.
 *
 * Syslog batches are acknowledged to the receiver (store_log_acks) when
 * they are committed or lost, in the order they were queued: its "stored"
 * counts what is in the database.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"

#define STORE_FAIL_LOG_SECS 10
#define STORE_RETRY_MS_MIN 250
#define STORE_RETRY_MS_MAX 5000
#define STORE_ACKS_MAX 65536

void
store_retry_init(struct store *s, size_t max)
{
	s->retry = NULL;
	s->retry_tail = &s->retry;
	s->retry_n = 0;
	s->retry_max = max ? max : 1;
}

/*
 * An error that fails the transaction rather than one row. In
 * PostgreSQL every error does: the transaction is aborted (its COMMIT
 * would roll it back), so the batch is written again, not committed
 * short of a row as sqlite does.
 */
void
store_txn_error(struct store *s, int rc)
{
	if (db_is_pg(s->db) && rc != SQLITE_OK && rc != SQLITE_ROW &&
	    rc != SQLITE_DONE)
		rc = SQLITE_ABORT;
	switch (rc & 0xff) {
	case SQLITE_ABORT:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_NOMEM:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PROTOCOL:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		if (!s->txn_failed) {
			s->txn_failed = rc;
			snprintf(s->txn_error, sizeof(s->txn_error), "%s",
			    db_errmsg(s->db));
		}
		break;
	}
}

static void
store_ack(struct store *s, uint64_t id, size_t n, int ok)
{
	pthread_mutex_lock(&s->ack_mtx);
	if (ok)
		s->logs_stored += n;
	else
		s->logs_lost += n;
	if (s->nacks == STORE_ACKS_MAX) {
		/* nobody takes them: the oldest go */
		memmove(s->acks, s->acks + 1,
		    (s->nacks - 1) * sizeof(*s->acks));
		s->nacks--;
	}
	if (s->nacks == s->acks_cap) {
		size_t cap = s->acks_cap ? s->acks_cap * 2 : 64;
		struct store_logack *a = realloc(s->acks, cap * sizeof(*a));

		if (a == NULL) {
			pthread_mutex_unlock(&s->ack_mtx);
			return;
		}
		s->acks = a;
		s->acks_cap = cap;
	}
	s->acks[s->nacks].id = id;
	s->acks[s->nacks].n = n;
	s->acks[s->nacks].ok = ok;
	s->nacks++;
	pthread_mutex_unlock(&s->ack_mtx);
}

void
store_log_acks(struct store *s, store_logack_fn fn, void *arg)
{
	struct store_logack *a;
	size_t n;

	s = LOGSTORE(s);
	pthread_mutex_lock(&s->ack_mtx);
	a = s->acks;
	n = s->nacks;
	s->acks = NULL;
	s->nacks = s->acks_cap = 0;
	pthread_mutex_unlock(&s->ack_mtx);
	for (size_t i = 0; i < n; i++)
		fn(arg, a[i].id, a[i].n, a[i].ok);
	free(a);
}

/* OP is done with: written (OK), or lost. */
void
store_op_done(struct store *s, struct store_op *op, int ok)
{
	if (op->type == OP_LOGS) {
		store_ack(s, store_logbatch_id((struct store_logbatch *)op),
		    op->n, ok);
		__atomic_sub_fetch(&s->log_bytes,
		    store_logbatch_size((struct store_logbatch *)op),
		    __ATOMIC_RELAXED);
	} else if (op->type == OP_BARRIER) {
		struct store_barrier *b = OP_DATA(op);
		struct timeval now = {0, 0};

		/* (written or lost: who waits is told all the same) */
		event_base_once(b->base, -1, EV_TIMEOUT, b->cb, b->arg, &now);
	} else if (!ok)
		__atomic_add_fetch(&s->ops_lost, 1, __ATOMIC_RELAXED);
	if (op->type == OP_LOGS || op->type == OP_LOGEVENTS)
		store_log_op_release(op); /* (to the pool) */
	else
		free(op);
}

/* The operations kept from before, then LIST. */
struct wq_item *
store_retry_take(struct store *s, struct wq_item *list)
{
	struct wq_item *all;

	if (s->retry == NULL)
		return list;
	*s->retry_tail = list;
	all = s->retry;
	s->retry = NULL;
	s->retry_tail = &s->retry;
	s->retry_n = 0;
	return all;
}

/* The transaction failed: keep DONE (rolled back) and the REST. */
int
store_retry_keep(struct store *s, struct wq_item *done, struct wq_item *rest)
{
	struct wq_item *it, *next;
	size_t n = 0;
	int ms;
	time_t now = time(NULL);

	for (it = done; it && it->next; it = it->next)
		;
	if (it)
		it->next = rest;
	else
		done = rest;
	for (it = done; it; it = it->next)
		n++;
	/* beyond the bound, the oldest go, counted */
	while (n > s->retry_max) {
		next = done->next;
		store_op_done(s, (struct store_op *)done, 0);
		done = next;
		n--;
	}
	s->retry = done;
	s->retry_n = n;
	for (s->retry_tail = &s->retry; *s->retry_tail;
	    s->retry_tail = &(*s->retry_tail)->next)
		;
	__atomic_store_n(&s->retry_waiting, n, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->failed_commits, 1, __ATOMIC_RELAXED);
	s->fail_run++;
	if (s->fail_logged == 0 || now - s->fail_logged >= STORE_FAIL_LOG_SECS) {
		log_warnx("store: cannot write (%s): %zu operations kept to "
		          "write again, %llu syslog messages and %llu other "
		          "operations lost so far, %lu failed commits",
		    s->txn_error[0] ? s->txn_error : "commit failed", n,
		    (unsigned long long)__atomic_load_n(
		        &s->logs_lost, __ATOMIC_RELAXED),
		    (unsigned long long)__atomic_load_n(
		        &s->ops_lost, __ATOMIC_RELAXED),
		    s->fail_run);
		s->fail_logged = now;
	}
	ms = STORE_RETRY_MS_MIN;
	for (unsigned long i = 1; i < s->fail_run && ms < STORE_RETRY_MS_MAX;
	    i++)
		ms *= 2;
	return ms < STORE_RETRY_MS_MAX ? ms : STORE_RETRY_MS_MAX;
}

/* A batch was written: a failure, if there was one, is over. */
void
store_retry_ok(struct store *s)
{
	__atomic_store_n(&s->retry_waiting, 0, __ATOMIC_RELAXED);
	if (s->fail_run == 0)
		return;
	log_warnx("store: writing again after %lu failed commits",
	    s->fail_run);
	s->fail_run = 0;
	s->fail_logged = 0;
}

/* The writer stopped: one last try, then what is kept is lost. */
void
store_retry_stop(struct store *s)
{
	struct wq_item *it, *next;
	size_t n = s->retry_n;

	if (s->retry == NULL)
		return;
	store_batch_retry(s);
	if (s->retry == NULL)
		return;
	for (it = s->retry; it; it = next) {
		next = it->next;
		store_op_done(s, (struct store_op *)it, 0);
	}
	s->retry = NULL;
	s->retry_tail = &s->retry;
	s->retry_n = 0;
	log_warnx("store: stopping with %zu operations not written: lost", n);
}

void
store_retry_free(struct store *s)
{
	free(s->acks);
	s->acks = NULL;
	pthread_mutex_destroy(&s->ack_mtx);
}

void
store_retry_stats(struct store *s, struct store_retry_stats *st)
{
	st->failed_commits =
	    __atomic_load_n(&s->failed_commits, __ATOMIC_RELAXED);
	st->waiting = __atomic_load_n(&s->retry_waiting, __ATOMIC_RELAXED);
	st->ops_lost = __atomic_load_n(&s->ops_lost, __ATOMIC_RELAXED);
	pthread_mutex_lock(&s->ack_mtx);
	st->logs_stored = s->logs_stored;
	st->logs_lost = s->logs_lost;
	pthread_mutex_unlock(&s->ack_mtx);
	if (s->logs != NULL) { /* and the messages' store's */
		struct store_retry_stats l;

		store_retry_stats(s->logs, &l);
		st->failed_commits += l.failed_commits;
		st->waiting += l.waiting;
		st->ops_lost += l.ops_lost;
		st->logs_stored += l.logs_stored;
		st->logs_lost += l.logs_lost;
	}
}
