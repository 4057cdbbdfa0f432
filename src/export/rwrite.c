/*
 * rwrite.c - the remote-write module: a sink of the sample stream that
 * sends what the daemon polls (ports, sensors, links, probes) to a
 * Prometheus remote write receiver, as Prometheus' own remote write does:
 * batches of series (promrw.c), POSTed one at a time on the event loop
 * (libevent's HTTP client); a batch the receiver could not take now
 * (connection refused, a timeout, 5xx, 429) is sent again after a
 * back-off of 1 s doubling to 30 s, one it refuses (another 4xx) is
 * dropped and counted. What waits is bounded by `queue` samples: over
 * it, the oldest batches go (counted), so that after an outage the
 * newest arrive first. Each receiver (up to NP_RW_TARGETS) is a sink of
 * its own, with its own queue: one that is away holds up no other. A
 * receiver named by a host name is looked up through evdns (resolve.h),
 * not with a blocking getaddrinfo on the loop.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "log.h"
#include "module.h"
#include "promrw.h"
#include "resolve.h"

#define RW_MAX_HEADERS (16 * 1024) /* of a receiver's answer */
#define RW_MAX_BODY (64 * 1024)

struct rw_batch {
	TAILQ_ENTRY(rw_batch) entry;
	char *body; /* compressed */
	size_t len;
	size_t samples;
};
TAILQ_HEAD(rw_batches, rw_batch);

struct rwrite {
	struct np_core *core;
	struct remote_write_conf c; /* a copy: it changes at a restart */
	struct promrw_label extra[NP_RW_MAX];
	struct pbuf cur; /* the batch being filled: a WriteRequest */
	size_t cur_samples;
	struct rw_batches queue; /* closed, compressed, oldest first */
	size_t queued; /* samples in queue */
	struct rw_batch *inflight; /* the queue's head, being sent */
	struct evhttp_connection *conn;
	struct event *ev_flush, *ev_retry;
	int backoff; /* seconds, 0 = none */
	double sending_since;
	/* counters */
	uint64_t samples, sent, requests, failed, retries, rejected, dropped;
	uint64_t encode_errors;
	double last_ok;
	char last_error[160];
	struct complaint c_fail;
};

static void rw_send(struct rwrite *);

static double
rw_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
rw_batch_free(struct rw_batch *b)
{
	if (b != NULL)
		free(b->body);
	free(b);
}

/* The batch being filled, compressed and queued; the oldest dropped
 * while the queue is over its bound (never the one in flight). */
static void
rw_close(struct rwrite *rw)
{
	struct rw_batch *b, *old;

	if (rw->cur_samples == 0)
		return;
	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    promrw_compress(rw->cur.p, rw->cur.len, &b->body, &b->len) == -1) {
		rw->encode_errors++;
		rw->dropped += rw->cur_samples;
		rw_batch_free(b);
	} else {
		b->samples = rw->cur_samples;
		TAILQ_INSERT_TAIL(&rw->queue, b, entry);
		rw->queued += b->samples;
	}
	rw->cur.len = 0;
	rw->cur_samples = 0;
	while (rw->queued > (size_t)rw->c.queue) {
		/* the oldest but the one in flight */
		if ((old = TAILQ_FIRST(&rw->queue)) == rw->inflight && old)
			old = TAILQ_NEXT(old, entry);
		if (old == NULL)
			break;
		TAILQ_REMOVE(&rw->queue, old, entry);
		rw->queued -= old->samples;
		rw->dropped += old->samples;
		rw_batch_free(old);
	}
	if (rw->inflight == NULL && rw->backoff == 0)
		rw_send(rw);
}

/* The sample stream's sink: SET's values as series, on the loop. */
static int
rw_put(void *arg, const struct sample_set *set)
{
	struct rwrite *rw = arg;
	size_t len0 = rw->cur.len;
	int n;

	if ((n = promrw_set(&rw->cur, set, rw->extra, rw->c.nlabels)) < 0) {
		rw->cur.len = len0;
		rw->encode_errors++;
		return -1;
	}
	rw->samples += (uint64_t)n;
	rw->cur_samples += (size_t)n;
	if (rw->cur_samples >= (size_t)rw->c.batch)
		rw_close(rw);
	return 0;
}

static void
rw_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	rw_close(arg);
}

static void
rw_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct rwrite *rw = arg;

	(void)fd;
	(void)what;
	rw->retries++;
	rw_send(rw);
}

/* The batch in flight is done with: sent (or refused for good). */
static void
rw_done(struct rwrite *rw)
{
	struct rw_batch *b = rw->inflight;

	rw->inflight = NULL;
	TAILQ_REMOVE(&rw->queue, b, entry);
	rw->queued -= b->samples;
	rw_batch_free(b);
}

static void
rw_failed(struct rwrite *rw, const char *why, int refused)
{
	struct timeval tv;

	snprintf(rw->last_error, sizeof(rw->last_error), "%s", why);
	complain(&rw->c_fail, LOG_L_WARN, "remote-write %s: %s%s", rw->c.url,
	    why, refused ? " (the batch is dropped)" : " (sent again later)");
	rw->failed++;
	if (refused) { /* it will not take it: the next one */
		rw->rejected += rw->inflight->samples;
		rw_done(rw);
		rw_send(rw);
		return;
	}
	rw->inflight = NULL; /* it stays at the head */
	rw->backoff = rw->backoff ? rw->backoff * 2 : 1;
	if (rw->backoff > 30)
		rw->backoff = 30;
	tv.tv_sec = rw->backoff;
	tv.tv_usec = 0;
	evtimer_add(rw->ev_retry, &tv);
}

static void
rw_reply(struct evhttp_request *req, void *arg)
{
	struct rwrite *rw = arg;
	int code = req ? evhttp_request_get_response_code(req) : 0;
	char why[160];

	if (rw->inflight == NULL) /* (stopping) */
		return;
	if (code >= 200 && code < 300) {
		rw->sent += rw->inflight->samples;
		rw->last_ok = rw_now();
		rw->backoff = 0;
		rw_done(rw);
		complain_release(&rw->c_fail, "remote-write %s: sending again",
		    rw->c.url);
		rw_send(rw);
		return;
	}
	if (code == 0)
		snprintf(why, sizeof(why), "no answer (connection refused, "
		    "closed or timed out)");
	else
		snprintf(why, sizeof(why), "HTTP %d %s", code,
		    evhttp_request_get_response_code_line(req)
		        ? evhttp_request_get_response_code_line(req)
		        : "");
	/* 4xx but 429: the receiver refuses this batch as it is */
	rw_failed(rw, why, code >= 400 && code < 500 && code != 429);
}

/* The queue's head POSTed, if nothing is in flight. */
static void
rw_send(struct rwrite *rw)
{
	struct rw_batch *b = TAILQ_FIRST(&rw->queue);
	struct evhttp_request *req;
	struct evkeyvalq *h;
	char host[300];

	if (b == NULL || rw->inflight != NULL)
		return;
	if ((req = evhttp_request_new(rw_reply, rw)) == NULL) {
		rw_failed(rw, "out of memory", 0);
		return;
	}
	h = evhttp_request_get_output_headers(req);
	snprintf(host, sizeof(host), strchr(rw->c.host, ':') ? "[%s]:%u"
	                                                      : "%s:%u",
	    rw->c.host, rw->c.port);
	evhttp_add_header(h, "Host", host);
	evhttp_add_header(h, "Content-Type", "application/x-protobuf");
	evhttp_add_header(h, "Content-Encoding", "snappy");
	evhttp_add_header(h, "User-Agent", "netpatrold/" PACKAGE_VERSION);
	evhttp_add_header(h, "X-Prometheus-Remote-Write-Version", "0.1.0");
	for (int i = 0; i < rw->c.nheaders; i++)
		evhttp_add_header(h, rw->c.hname[i], rw->c.hvalue[i]);
	evbuffer_add(evhttp_request_get_output_buffer(req), b->body, b->len);
	rw->inflight = b;
	rw->requests++;
	rw->sending_since = rw_now();
	if (evhttp_make_request(rw->conn, req, EVHTTP_REQ_POST, rw->c.path) ==
	    -1) {
		/* (libevent freed the request) */
		rw_failed(rw, "cannot make the request", 0);
	}
}

/* A receiver's sender: what waits is not sent. */
static void
rw_free(struct rwrite *rw)
{
	struct rw_batch *b;
	size_t left = rw->queued + rw->cur_samples;

	if (left > 0)
		log_info("remote-write %s: %zu samples not sent at the stop",
		    rw->c.url, left);
	rw->inflight = NULL;
	if (rw->conn)
		evhttp_connection_free(rw->conn); /* (its request too) */
	while ((b = TAILQ_FIRST(&rw->queue)) != NULL) {
		TAILQ_REMOVE(&rw->queue, b, entry);
		rw_batch_free(b);
	}
	if (rw->ev_flush)
		event_free(rw->ev_flush);
	if (rw->ev_retry)
		event_free(rw->ev_retry);
	pbuf_free(&rw->cur);
	free(rw);
}

/* One receiver's sender and sink; DNS for a host name (else NULL). */
static struct rwrite *
rw_new(struct np_core *core, const struct remote_write_conf *c,
    struct evdns_base *dns, char *err, size_t errlen)
{
	struct sample_sink sk;
	struct rwrite *rw;
	struct timeval tv;

	if ((rw = calloc(1, sizeof(*rw))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rw->core = core;
	rw->c = *c;
	for (int i = 0; i < rw->c.nlabels; i++)
		rw->extra[i] = (struct promrw_label){rw->c.lname[i],
		    rw->c.lvalue[i]};
	TAILQ_INIT(&rw->queue);
	rw->conn = evhttp_connection_base_new(core->base, dns, rw->c.host,
	    rw->c.port);
	rw->ev_flush = event_new(core->base, -1, EV_PERSIST, rw_flush_cb, rw);
	rw->ev_retry = evtimer_new(core->base, rw_retry_cb, rw);
	if (rw->conn == NULL || rw->ev_flush == NULL || rw->ev_retry == NULL) {
		snprintf(err, errlen, "remote-write: out of memory");
		rw_free(rw);
		return NULL;
	}
	evhttp_connection_set_timeout(rw->conn, rw->c.timeout);
	evhttp_connection_set_retries(rw->conn, 0);
	/* a receiver answers in a few bytes: one that sends more is cut
	 * off (the request fails), not kept in memory */
	evhttp_connection_set_max_headers_size(rw->conn, RW_MAX_HEADERS);
	evhttp_connection_set_max_body_size(rw->conn, RW_MAX_BODY);
	tv.tv_sec = rw->c.flush_ms / 1000;
	tv.tv_usec = (rw->c.flush_ms % 1000) * 1000;
	event_add(rw->ev_flush, &tv);
	sk.name = "remote-write";
	sk.put = rw_put;
	sk.free = NULL;
	sk.arg = rw;
	if (sample_stream_add(&core->samples, &sk, err, errlen) == -1) {
		rw_free(rw);
		return NULL;
	}
	return rw;
}

struct rw_mod {
	struct rwrite *rw[NP_RW_TARGETS];
	int n;
	struct evdns_base *dns;
};

static int
rw_init(struct np_core *core, void **statep, char *err, size_t errlen)
{
	const struct config *c = core->conf;
	struct rw_mod *m;

	*statep = NULL;
	if (c->nremote_write == 0)
		return 0;
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*statep = m;
	for (int i = 0; i < c->nremote_write; i++)
		if (!resolve_is_literal(c->remote_write[i].host) &&
		    m->dns == NULL &&
		    (m->dns = resolve_base_new(core->base, 5, 2, err, errlen)) ==
		        NULL)
			return -1;
	for (int i = 0; i < c->nremote_write; i++) {
		const struct remote_write_conf *rc = &c->remote_write[i];

		if ((m->rw[i] = rw_new(core, rc,
		         resolve_is_literal(rc->host) ? NULL : m->dns, err,
		         errlen)) == NULL)
			return -1;
		m->n++;
	}
	return 0;
}

static int
rw_reload_check(struct np_core *core, void *state, const struct config *old,
    struct config *nc, char *err, size_t errlen)
{
	(void)core;
	(void)state;
	(void)err;
	(void)errlen;
	if (old->nremote_write != nc->nremote_write ||
	    memcmp(old->remote_write, nc->remote_write,
	        sizeof(nc->remote_write)) != 0)
		log_warnx("reload: remote-write changes at the next restart");
	return 0;
}

static void
rw_json(const struct rwrite *rw, struct jbuf *j)
{
	json_obj_open(j);
	json_kstr(j, "url", rw->c.url);
	json_kuint(j, "samples", rw->samples);
	json_kuint(j, "sent", rw->sent);
	json_kuint(j, "requests", rw->requests);
	json_kuint(j, "failed_requests", rw->failed);
	json_kuint(j, "retries", rw->retries);
	json_kuint(j, "rejected", rw->rejected);
	json_kuint(j, "dropped", rw->dropped + rw->encode_errors);
	json_kuint(j, "pending", rw->queued + rw->cur_samples);
	json_kint(j, "backoff", rw->backoff);
	json_kstr(j, "last_error", rw->last_error);
	event_json_time(j, "last_ok", rw->last_ok);
	json_obj_close(j);
}

/* "remote_write": the first receiver (as when there was one only);
 * "remote_writes": every receiver, in the configuration's order */
static void
rw_status(struct np_core *core, void *state, struct jbuf *j)
{
	struct rw_mod *m = state;

	(void)core;
	if (m == NULL || m->n == 0)
		return;
	json_key(j, "remote_write");
	rw_json(m->rw[0], j);
	json_key(j, "remote_writes");
	json_arr_open(j);
	for (int i = 0; i < m->n; i++)
		rw_json(m->rw[i], j);
	json_arr_close(j);
}

/* What waits is not sent: a stop does not wait for a receiver. */
static void
rw_stop(struct np_core *core, void *state)
{
	struct rw_mod *m = state;

	(void)core;
	if (m == NULL)
		return;
	for (int i = 0; i < m->n; i++)
		rw_free(m->rw[i]);
	resolve_base_free(m->dns);
	free(m);
}

const struct np_module rwrite_module = {
    .name = "remote_write",
    .init = rw_init,
    .reload_check = rw_reload_check,
    .status = rw_status,
    .stop = rw_stop,
};
