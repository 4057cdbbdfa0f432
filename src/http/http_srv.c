/*
 * http_srv.c - the web server on the daemon's loop (http.h): the socket,
 * TLS, the connection cap and deadline, the route table, replies.
 *
 * evhttp 2.1 has no connection cap and its timeouts are inactivity timers
 * (a client dripping a byte every few seconds keeps its connection): each
 * connection's bufferevent comes from http_bevcb, which keeps a reference
 * to it; a sweep every second sees those evhttp has let go (their
 * callbacks cleared) and drops them. At HTTP_MAX_CONNS the listener
 * pauses; HTTP_CONN_TTL seconds after its accept a connection's socket is
 * shut down, whatever it is doing, and evhttp lets it go. (A filter
 * bufferevent with a free callback would tell at once, but libevent
 * 2.1's filters stall evhttp's replies.)
 */
#include "config.h"

#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "http.h"
#include "log.h"
#include "store.h"


/* Who may use a route. */
enum http_need {
	NEED_NONE = 0, /* the login page, the style sheet */
	NEED_VIEWER = HTTP_VIEWER,
	NEED_OPERATOR = HTTP_OPERATOR,
	NEED_ADMIN = HTTP_ADMIN,
};

struct http_route {
	const char *path; /* exact, or a prefix when it ends in '/' */
	int methods; /* EVHTTP_REQ_GET, EVHTTP_REQ_POST */
	enum http_need need;
	int api; /* answers in JSON/text: 401, not a redirect to /login */
	void (*fn)(struct http_req *);
};

/*
 * The routes (rrdcached's command table; docs/api.md and netpatrold(8)
 * list them). The finding actions check their own role: it depends on
 * the action (http_api.c, http_page.c).
 */
static const struct http_route http_routes[] = {
    {"/login", EVHTTP_REQ_GET, NEED_NONE, 0, http_auth_login_page},
    {"/login", EVHTTP_REQ_POST, NEED_NONE, 0, http_auth_login},
    {"/login/link", EVHTTP_REQ_GET, NEED_NONE, 0, http_auth_link_use},
    {"/logout", EVHTTP_REQ_POST, NEED_VIEWER, 0, http_auth_logout},
    {"/static/style.css", EVHTTP_REQ_GET, NEED_NONE, 0, http_page_css},
    {"/", EVHTTP_REQ_GET, NEED_VIEWER, 0, http_page_overview},
    {"/device", EVHTTP_REQ_GET, NEED_VIEWER, 0, http_page_device},
    {"/port", EVHTTP_REQ_GET, NEED_VIEWER, 0, http_page_port},
    {"/findings", EVHTTP_REQ_GET, NEED_VIEWER, 0, http_page_findings},
    {"/reports", EVHTTP_REQ_GET, NEED_VIEWER, 0, http_page_reports},
    {"/report", EVHTTP_REQ_GET, NEED_VIEWER, 0, http_page_report},
    {"/kpi", EVHTTP_REQ_GET, NEED_VIEWER, 0, http_page_kpi},
    {"/finding", EVHTTP_REQ_GET, NEED_VIEWER, 0, http_page_finding},
    {"/finding/action", EVHTTP_REQ_POST, NEED_VIEWER, 0, http_page_action},
    {"/graph", EVHTTP_REQ_GET, NEED_VIEWER, 0, http_graph},
    {"/metrics", EVHTTP_REQ_GET, NEED_VIEWER, 1, http_metrics},
    {"/api/v1/login-link", EVHTTP_REQ_POST, NEED_OPERATOR, 1,
        http_auth_link_new},
    {"/api/v1/", EVHTTP_REQ_GET | EVHTTP_REQ_POST, NEED_VIEWER, 1, http_api},
};
#define HTTP_NROUTES (sizeof(http_routes) / sizeof(http_routes[0]))

const char *
http_role_name(enum http_role r)
{
	switch (r) {
	case HTTP_VIEWER: return "viewer";
	case HTTP_OPERATOR: return "operator";
	case HTTP_ADMIN: return "admin";
	}
	return "none";
}

static void
http_headers(struct http_req *r, const char *ctype)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->req);

	evhttp_add_header(h, "Content-Type", ctype);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	if (evhttp_find_header(h, "Content-Security-Policy") == NULL)
		evhttp_add_header(h, "Content-Security-Policy",
		    "default-src 'none'; img-src 'self'; style-src 'self'; "
		    "form-action 'self'; frame-ancestors 'none'");
	if (evhttp_find_header(h, "Cache-Control") == NULL)
		evhttp_add_header(h, "Cache-Control", "no-store");
}

/* HELD: a change's answer, sent once the store committed it. */
static void
http_reply_as(struct http_req *r, int code, const char *ctype,
    struct evbuffer *body, int held)
{
	const char *reason = code == 200 ? "OK"
	    : code == 302                ? "Found"
	    : code == 304                ? "Not Modified"
	    : code == 400                ? "Bad Request"
	    : code == 401                ? "Unauthorized"
	    : code == 403                ? "Forbidden"
	    : code == 404                ? "Not Found"
	    : code == 405                ? "Method Not Allowed"
	    : code == 409                ? "Conflict"
	    : code == 429                ? "Too Many Requests"
	    : code == 503                ? "Service Unavailable"
	                                 : "Error";

	http_headers(r, ctype);
	if (held)
		http_reply_held(r, code, reason, body);
	else
		evhttp_send_reply(r->req, code, reason, body);
}

void
http_reply(struct http_req *r, int code, const char *ctype,
    struct evbuffer *body)
{
	http_reply_as(r, code, ctype, body, 0);
}

static void
http_reply_json_as(struct http_req *r, int code, struct jbuf *j, int held)
{
	struct evbuffer *b = evbuffer_new();

	if (b == NULL)
		return evhttp_send_error(r->req, 503, NULL);
	if (j->failed)
		evbuffer_add_printf(b, "{\"error\":\"out of memory\"}\n");
	else {
		evbuffer_add(b, j->s ? j->s : "{}", j->s ? j->len : 2);
		evbuffer_add(b, "\n", 1);
	}
	http_reply_as(r, j->failed ? 503 : code, "application/json", b, held);
	evbuffer_free(b);
}

void
http_reply_json(struct http_req *r, int code, struct jbuf *j)
{
	http_reply_json_as(r, code, j, 0);
}

void
http_reply_json_change(struct http_req *r, struct jbuf *j)
{
	http_reply_json_as(r, 200, j, 1);
}

void
http_error(struct http_req *r, int code, const char *msg)
{
	struct evbuffer *b = evbuffer_new();

	if (b == NULL)
		return evhttp_send_error(r->req, 503, NULL);
	if (r->api) {
		struct jbuf j;

		jbuf_init(&j);
		json_obj_open(&j);
		json_kstr(&j, "error", msg);
		json_obj_close(&j);
		evbuffer_free(b);
		http_reply_json(r, code, &j);
		jbuf_free(&j);
		return;
	}
	http_page_head(r, b, "error");
	evbuffer_add_printf(b, "<h1>%d</h1><p>", code);
	http_html(b, msg);
	evbuffer_add_printf(b, "</p>");
	http_page_tail(b);
	http_reply(r, code, "text/html; charset=utf-8", b);
	evbuffer_free(b);
}

static void
http_redirect_as(struct http_req *r, const char *location, int held)
{
	struct evbuffer *b = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(r->req), "Location",
	    location);
	http_reply_as(r, 302, "text/plain", b, held);
	if (b)
		evbuffer_free(b);
}

void
http_redirect(struct http_req *r, const char *location)
{
	http_redirect_as(r, location, 0);
}

void
http_redirect_change(struct http_req *r, const char *location)
{
	http_redirect_as(r, location, 1);
}

int
http_q(const struct http_req *r, const char *key, char *out, size_t len)
{
	return http_form_get(r->query, r->qlen, key, out, len);
}

int
http_f(const struct http_req *r, const char *key, char *out, size_t len)
{
	return http_form_get(r->body, r->blen, key, out, len);
}

/* --- connections --- */

/*
 * A connection's slot: its bufferevent, with a reference of ours so that
 * it outlives evhttp's bufferevent_free (which clears its callbacks: that
 * is how the sweep sees the connection is gone), and its deadline.
 */
struct http_conn {
	struct bufferevent *bev; /* NULL = free slot */
	time_t deadline;
	int expired;
};

static void
http_conn_release(struct http_srv *s, struct http_conn *c)
{
	bufferevent_decref(c->bev); /* the last reference: closes the fd */
	c->bev = NULL;
	s->nconns--;
}

/*
 * Every second: release the connections evhttp let go of, shut those
 * past their deadline (evhttp then sees the end and lets go), and resume
 * accepting below the cap.
 */
static void
http_sweep(evutil_socket_t fd, short what, void *arg)
{
	struct http_srv *s = arg;
	time_t now = time(NULL);

	(void)fd;
	(void)what;
	for (int i = 0; i < HTTP_MAX_CONNS; i++) {
		struct http_conn *c = &s->conns[i];
		bufferevent_event_cb ecb = NULL;
		evutil_socket_t sfd;

		if (c->bev == NULL)
			continue;
		bufferevent_getcb(c->bev, NULL, NULL, &ecb, NULL);
		if (ecb == NULL) {
			http_conn_release(s, c);
			continue;
		}
		if (now >= c->deadline && !c->expired &&
		    (sfd = bufferevent_getfd(c->bev)) >= 0) {
			c->expired = 1;
			s->st.conns_expired++;
			shutdown(sfd, SHUT_RDWR);
		}
	}
	if (s->paused && s->nconns < HTTP_MAX_CONNS) {
		evconnlistener_enable(evhttp_bound_socket_get_listener(s->bound));
		s->paused = 0;
	}
}

static struct bufferevent *
http_bevcb(struct event_base *base, void *arg)
{
	struct http_srv *s = arg;
	struct http_conn *c = NULL;
	struct bufferevent *bev;

	for (int i = 0; i < HTTP_MAX_CONNS && c == NULL; i++)
		if (s->conns[i].bev == NULL)
			c = &s->conns[i];
	if (s->ssl_ctx) {
		SSL *ssl = SSL_new(s->ssl_ctx);

		if (ssl == NULL)
			return NULL;
		bev = bufferevent_openssl_socket_new(base, -1, ssl,
		    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	} else
		bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL)
		return NULL;
	s->st.connections++;
	if (c != NULL) {
		bufferevent_incref(bev);
		c->bev = bev;
		c->deadline = time(NULL) + HTTP_CONN_TTL;
		c->expired = 0;
		s->nconns++;
	}
	if (s->nconns >= HTTP_MAX_CONNS && !s->paused) {
		/* the rest wait in the kernel's backlog */
		evconnlistener_disable(evhttp_bound_socket_get_listener(s->bound));
		s->paused = 1;
		s->st.conns_paused++;
	}
	return bev;
}

/* --- requests --- */

static const struct http_route *
http_route(const char *path, int method, int *wrong_method)
{
	*wrong_method = 0;
	for (size_t i = 0; i < HTTP_NROUTES; i++) {
		const struct http_route *rt = &http_routes[i];
		size_t n = strlen(rt->path);
		int match = rt->path[n - 1] == '/' && n > 1
		    ? strncmp(path, rt->path, n) == 0
		    : strcmp(path, rt->path) == 0;

		if (!match)
			continue;
		if (rt->methods & method)
			return rt;
		*wrong_method = 1;
	}
	return NULL;
}

static void
http_gencb(struct evhttp_request *req, void *arg)
{
	struct http_srv *s = arg;
	const struct evhttp_uri *u = evhttp_request_get_evhttp_uri(req);
	const struct http_route *rt;
	struct http_req r;
	struct evbuffer *in;
	char body[HTTP_MAX_BODY + 1];
	int method = evhttp_request_get_command(req), wrong;

	memset(&r, 0, sizeof(r));
	r.srv = s;
	r.req = req;
	r.who.session = -1;
	s->st.requests++;
	r.path = u ? evhttp_uri_get_path(u) : NULL;
	r.query = u && evhttp_uri_get_query(u) ? evhttp_uri_get_query(u) : "";
	r.qlen = strlen(r.query);
	r.api = r.path && (strncmp(r.path, "/api/", 5) == 0 ||
	                      strcmp(r.path, "/metrics") == 0);
	body[0] = '\0';
	r.body = body;
	if (r.path == NULL || !http_path_ok(r.path) || r.qlen > 4096) {
		s->st.bad_requests++;
		r.api = 1;
		return http_error(&r, 400, "bad path");
	}
	in = evhttp_request_get_input_buffer(req);
	if ((r.blen = evbuffer_get_length(in)) > HTTP_MAX_BODY) {
		s->st.bad_requests++;
		return http_error(&r, 400, "body too large");
	}
	evbuffer_remove(in, body, r.blen);
	body[r.blen] = '\0';
	if (strlen(body) != r.blen) {
		s->st.bad_requests++;
		return http_error(&r, 400, "NUL in the body");
	}
	if ((rt = http_route(r.path, method, &wrong)) == NULL) {
		if (wrong) {
			s->st.bad_requests++;
			return http_error(&r, 405, "method not allowed");
		}
		s->st.not_found++;
		return http_error(&r, 404, "not found");
	}
	r.api = rt->api;
	http_auth_who(&r);
	if (rt->need != NEED_NONE && r.who.name[0] == '\0') {
		struct evbuffer *loc;

		s->st.unauthorized++;
		if (rt->api) {
			evhttp_add_header(evhttp_request_get_output_headers(req),
			    "WWW-Authenticate", "Bearer realm=\"netpatrol\"");
			return http_error(&r, 401, "authentication required");
		}
		if ((loc = evbuffer_new()) == NULL)
			return evhttp_send_error(req, 503, NULL);
		evbuffer_add_printf(loc, "/login?next=");
		http_urlenc(loc, evhttp_request_get_uri(req));
		evbuffer_add(loc, "", 1);
		http_redirect(&r, (const char *)evbuffer_pullup(loc, -1));
		evbuffer_free(loc);
		return;
	}
	if (method == EVHTTP_REQ_POST && rt->need != NEED_NONE &&
	    !http_auth_csrf_ok(&r)) {
		s->st.csrf_refused++;
		return http_error(&r, 403, "missing or bad CSRF token");
	}
	if (rt->need != NEED_NONE && (int)r.who.role < (int)rt->need) {
		s->st.forbidden++;
		return http_error(&r, 403, "your role may not do this");
	}
	rt->fn(&r);
}

/* --- the server --- */

static void *
http_tls_ctx(const struct config *conf, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL) {
		snprintf(err, errlen, "http: cannot make a TLS context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION);
	if (SSL_CTX_use_certificate_chain_file(ctx, conf->http_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, conf->http_key, SSL_FILETYPE_PEM) !=
	        1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(err, errlen, "http: tls cert %s, key %s: %s",
		    conf->http_cert, conf->http_key,
		    ERR_reason_error_string(ERR_get_error()));
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

struct http_srv *
http_srv_new(struct np_core *core, char *err, size_t errlen)
{
	const struct config *conf = core->conf;
	struct http_srv *s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "http: out of memory");
		return NULL;
	}
	s->core = core;
	s->base = core->base;
	TAILQ_INIT(&s->holds);
	snprintf(s->addr, sizeof(s->addr), "%s%s%s:%u",
	    strchr(conf->http_address, ':') ? "[" : "", conf->http_address,
	    strchr(conf->http_address, ':') ? "]" : "", conf->http_port);
	if ((s->auth = http_auth_new()) == NULL ||
	    (s->conns = calloc(HTTP_MAX_CONNS, sizeof(*s->conns))) == NULL ||
	    (s->sweep = event_new(core->base, -1, EV_PERSIST, http_sweep, s)) ==
	        NULL ||
	    (s->eh = evhttp_new(core->base)) == NULL) {
		snprintf(err, errlen, "http: out of memory");
		http_srv_free(s);
		return NULL;
	}
	if (conf->http_cert[0] &&
	    (s->ssl_ctx = http_tls_ctx(conf, err, errlen)) == NULL) {
		http_srv_free(s);
		return NULL;
	}
	evhttp_set_max_headers_size(s->eh, HTTP_MAX_HEADERS);
	evhttp_set_max_body_size(s->eh, HTTP_MAX_BODY);
	evhttp_set_timeout(s->eh, HTTP_IO_TIMEOUT);
	evhttp_set_allowed_methods(
	    s->eh, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD);
	evhttp_set_default_content_type(s->eh, "text/plain");
	evhttp_set_bevcb(s->eh, http_bevcb, s);
	evhttp_set_gencb(s->eh, http_gencb, s);
	/* bound now, before privileges are dropped (a port below 1024) */
	if ((s->bound = evhttp_bind_socket_with_handle(
	         s->eh, conf->http_address, conf->http_port)) == NULL) {
		snprintf(err, errlen, "http: cannot listen on %s", s->addr);
		http_srv_free(s);
		return NULL;
	}
	return s;
}

int
http_srv_start(struct http_srv *s, char *err, size_t errlen)
{
	char e[256];

	if ((s->ro = store_open(s->core->store_path, 1, e, sizeof(e))) == NULL) {
		snprintf(err, errlen, "http: store: %s", e);
		return -1;
	}
	if ((s->graphs = http_graphs_new(s, err, errlen)) == NULL)
		return -1;
	http_hold_start(s);
	{
		struct timeval sec = {1, 0};

		event_add(s->sweep, &sec);
	}
	log_info("http: listening on %s%s", s->addr,
	    s->ssl_ctx ? " (TLS)" : "");
	return 0;
}

void
http_srv_free(struct http_srv *s)
{
	if (s == NULL)
		return;
	/* graphs and held answers first: what waits is answered while
	 * evhttp lives */
	http_graphs_free(s->graphs);
	http_hold_stop(s);
	if (s->eh)
		evhttp_free(s->eh); /* its connections too */
	if (s->sweep)
		event_free(s->sweep);
	for (int i = 0; s->conns && i < HTTP_MAX_CONNS; i++)
		if (s->conns[i].bev)
			bufferevent_decref(s->conns[i].bev);
	free(s->conns);
	if (s->ro)
		store_close(s->ro);
	if (s->ssl_ctx)
		SSL_CTX_free(s->ssl_ctx);
	http_auth_free(s->auth);
	free(s);
}

void
http_srv_status(struct http_srv *s, struct jbuf *j)
{
	json_key(j, "http");
	json_obj_open(j);
	json_kstr(j, "listen", s->addr);
	json_kbool(j, "tls", s->ssl_ctx != NULL);
	json_kint(j, "connections_open", s->nconns);
	json_kint(j, "max_connections", HTTP_MAX_CONNS);
	json_kuint(j, "connections", s->st.connections);
	json_kuint(j, "connections_paused", s->st.conns_paused);
	json_kuint(j, "connections_expired", s->st.conns_expired);
	json_kuint(j, "requests", s->st.requests);
	json_kuint(j, "bad_requests", s->st.bad_requests);
	json_kuint(j, "not_found", s->st.not_found);
	json_kuint(j, "unauthorized", s->st.unauthorized);
	json_kuint(j, "forbidden", s->st.forbidden);
	json_kuint(j, "csrf_refused", s->st.csrf_refused);
	json_kuint(j, "logins", s->st.logins);
	json_kuint(j, "login_failed", s->st.login_failed);
	json_kuint(j, "login_limited", s->st.login_limited);
	json_kuint(j, "sessions", http_auth_sessions(s->auth));
	json_kuint(j, "sessions_evicted", s->st.sessions_evicted);
	if (s->graphs)
		http_graphs_status(s->graphs, j);
	json_obj_close(j);
}
