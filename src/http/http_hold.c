/*
 * http_hold.c - the answer to a change (a finding acknowledged from a
 * page or the API) is held until the store has committed it, as the
 * control socket's are (control.h): the page the browser is sent back to,
 * or the API client's next read, then shows the change. Held at most
 * CONTROL_HOLD_SECS; a client that goes meanwhile is forgotten (its
 * connection's close callback).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "control.h"
#include "http.h"
#include "store.h"

struct http_hold {
	TAILQ_ENTRY(http_hold) entry;
	struct http_srv *s;
	struct evhttp_request *req;
	struct evhttp_connection *evcon;
	int code;
	const char *reason;
	struct evbuffer *body;
	uint64_t id;
	struct event *ev; /* the bound of the wait */
};

/* The server whose holds the store releases (one, on the loop). */
static struct http_srv *http_hold_srv;

static void
http_hold_free(struct http_hold *h)
{
	TAILQ_REMOVE(&h->s->holds, h, entry);
	if (h->ev)
		event_free(h->ev);
	if (h->body)
		evbuffer_free(h->body);
	free(h);
}

static void
http_hold_send(struct http_hold *h)
{
	evhttp_connection_set_closecb(h->evcon, NULL, NULL);
	evhttp_send_reply(h->req, h->code, h->reason, h->body);
	http_hold_free(h);
}

/* The client went: libevent frees its request. */
static void
http_hold_gone(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	http_hold_free(arg);
}

static void
http_hold_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	http_hold_send(arg);
}

/* Run by the store on the loop once the change is committed. */
static void
http_hold_committed(evutil_socket_t fd, short what, void *arg)
{
	struct http_srv *s = http_hold_srv;
	struct http_hold *h;
	uint64_t id = (uint64_t)(uintptr_t)arg;

	(void)fd;
	(void)what;
	if (s == NULL)
		return;
	TAILQ_FOREACH(h, &s->holds, entry)
	if (h->id == id) {
		http_hold_send(h);
		return;
	}
}

void
http_hold_start(struct http_srv *s)
{
	http_hold_srv = s;
}

/* Before the server is freed: what is held is answered now. */
void
http_hold_stop(struct http_srv *s)
{
	while (!TAILQ_EMPTY(&s->holds))
		http_hold_send(TAILQ_FIRST(&s->holds));
	if (http_hold_srv == s)
		http_hold_srv = NULL;
}

void
http_reply_held(struct http_req *r, int code, const char *reason,
    struct evbuffer *body)
{
	struct http_srv *s = r->srv;
	struct timeval tv = {CONTROL_HOLD_SECS, 0};
	struct http_hold *h;

	if (s->core->store == NULL || http_hold_srv != s ||
	    (h = calloc(1, sizeof(*h))) == NULL) {
		evhttp_send_reply(r->req, code, reason, body);
		return;
	}
	h->s = s;
	h->req = r->req;
	h->evcon = evhttp_request_get_connection(r->req);
	h->code = code;
	h->reason = reason;
	h->id = ++s->next_hold;
	TAILQ_INSERT_TAIL(&s->holds, h, entry);
	if (h->evcon == NULL || (h->body = evbuffer_new()) == NULL ||
	    (body && evbuffer_add_buffer(h->body, body) == -1) ||
	    (h->ev = evtimer_new(s->base, http_hold_timeout, h)) == NULL) {
		if (h->body && body)
			evbuffer_add_buffer(body, h->body);
		http_hold_free(h);
		evhttp_send_reply(r->req, code, reason, body);
		return;
	}
	evtimer_add(h->ev, &tv);
	evhttp_connection_set_closecb(h->evcon, http_hold_gone, h);
	if (store_when_written(s->core->store, s->base, http_hold_committed,
	    (void *)(uintptr_t)h->id) == -1)
		http_hold_send(h);
}
