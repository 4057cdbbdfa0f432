/*
 * http.h - the daemon's web server (issue 17): libevent's evhttp on the
 * daemon's own loop, serving the pages (http_page*.c), the JSON API
 * /api/v1/... (http_api.c), Prometheus' /metrics (http_metrics.c) and RRD
 * graphs rendered on one worker thread (http_graph.c). Logins, sessions,
 * bearer tokens and CSRF are in http_auth.c; the parsing of what clients
 * send (paths, queries, forms, cookies) in http_parse.c, pure and fuzzed
 * (tests/fuzz/fuzz_http.c). http_mod.c fits it into the module table.
 *
 * Limits (netpatrold(8), HTTP): at most HTTP_MAX_CONNS connections (the
 * listener pauses at the cap), each closed HTTP_CONN_TTL seconds after it
 * was accepted whatever it does (slowloris), HTTP_IO_TIMEOUT seconds of
 * silence, headers of HTTP_MAX_HEADERS bytes, bodies of HTTP_MAX_BODY.
 */
#ifndef NP_HTTP_H
#define NP_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "conf.h"
#include "json.h"
#include "module.h"

#define HTTP_MAX_CONNS 64
#define HTTP_CONN_TTL 60
#define HTTP_IO_TIMEOUT 10
#define HTTP_MAX_HEADERS 8192
#define HTTP_MAX_BODY 16384
#define HTTP_MAX_SESSIONS 256
#define HTTP_SESSION_IDLE 3600 /* seconds unused before a session ends */
#define HTTP_SESSION_LIFE 43200 /* seconds a session lives at most */
#define HTTP_MAX_LINKS 16 /* login links waiting (http_auth.c) */
#define HTTP_LINK_TTL 60 /* seconds a login link is good for */
#define HTTP_LOGIN_FAILS 10 /* failed logins a minute before 429 */
#define HTTP_ID_LEN 43 /* a session id, CSRF token or link: 256 bits */

/* --- http_parse.c: what clients send (pure: no I/O, no allocation) --- */

/* A request path we serve: "/", printable, no "..", no "//", no "%". */
int http_path_ok(const char *path);
/*
 * The value of KEY in an x-www-form-urlencoded S of LEN bytes (a query or
 * a form body), decoded into OUT (OUTLEN with the NUL): 1, 0 when absent,
 * -1 when malformed (a bad escape, %00, too long).
 */
int http_form_get(const char *s, size_t len, const char *key, char *out,
    size_t outlen);
/* The cookie NAME of a Cookie header: 1, 0 absent, -1 malformed. */
int http_cookie_get(const char *hdr, const char *name, char *out,
    size_t outlen);
/* The token of "Authorization: Bearer TOKEN": 1, 0 not bearer, -1 bad. */
int http_bearer_get(const char *hdr, char *out, size_t outlen);
/* Equal, in a time that depends on the length of B only. */
int http_ct_equal(const char *a, const char *b);
/* An id, a device or a port name as the routes take them. */
int http_name_ok(const char *s);
int http_id_ok(const char *s, int64_t *out);
/* Add S to B with &<>"' escaped for HTML. */
void http_html(struct evbuffer *b, const char *s);
/* Add S to B escaped for a URL's query value. */
void http_urlenc(struct evbuffer *b, const char *s);

/* --- the server (http_srv.c) --- */

struct http_srv;
struct http_graphs;
struct http_conn;

struct http_who {
	char name[NP_NAME_MAX]; /* "" = nobody */
	enum http_role role;
	int bearer; /* by a bearer token (no CSRF needed) */
	int session; /* index of the session, -1 none */
};

/* One request, as the handlers see it. */
struct http_req {
	struct http_srv *srv;
	struct evhttp_request *req;
	const char *path;
	const char *query; /* "" when none */
	size_t qlen;
	char *body; /* NUL-terminated, "" when none */
	size_t blen;
	struct http_who who;
	int api; /* /api/ or /metrics: errors in JSON or text, 401 not 302 */
};

struct http_stats {
	uint64_t requests, connections, conns_paused, conns_expired;
	uint64_t bad_requests, not_found, unauthorized, forbidden;
	uint64_t csrf_refused, logins, login_failed, login_limited;
	uint64_t sessions_evicted;
	uint64_t graphs_rendered, graphs_cached, graphs_dropped;
	uint64_t graph_errors, graph_waiters_gone;
};

struct http_hold;

struct http_srv {
	struct np_core *core;
	struct event_base *base;
	struct evhttp *eh;
	struct evhttp_bound_socket *bound;
	void *ssl_ctx; /* SSL_CTX, NULL without TLS */
	struct store *ro; /* a reader of the store, on the loop */
	struct http_graphs *graphs;
	struct http_conn *conns; /* HTTP_MAX_CONNS slots (http_srv.c) */
	struct event *sweep;
	int nconns;
	int paused;
	struct http_stats st;
	struct http_auth *auth;
	char addr[NP_STR_MAX + 16];
	TAILQ_HEAD(, http_hold) holds; /* answers waiting for a commit */
	uint64_t next_hold;
};

struct http_srv *http_srv_new(struct np_core *, char *err, size_t errlen);
int http_srv_start(struct http_srv *, char *err, size_t errlen);
void http_srv_free(struct http_srv *);
void http_srv_status(struct http_srv *, struct jbuf *);

/* Replies: each ends the request. */
void http_reply(struct http_req *, int code, const char *ctype,
    struct evbuffer *body);
void http_reply_json(struct http_req *, int code, struct jbuf *);
void http_error(struct http_req *, int code, const char *msg);
void http_redirect(struct http_req *, const char *location);
/*
 * A change's answers (http_hold.c): held until the store committed what
 * it queued, so that the next read shows it.
 */
void http_reply_json_change(struct http_req *, struct jbuf *);
void http_redirect_change(struct http_req *, const char *location);
void http_reply_held(struct http_req *, int code, const char *reason,
    struct evbuffer *body);
void http_hold_start(struct http_srv *);
void http_hold_stop(struct http_srv *);
/* A query or form value (from the query, or the body for POST). */
int http_q(const struct http_req *, const char *key, char *out, size_t len);
int http_f(const struct http_req *, const char *key, char *out, size_t len);
const char *http_role_name(enum http_role);

/* --- http_auth.c --- */

struct http_auth;
struct http_auth *http_auth_new(void);
void http_auth_free(struct http_auth *);
/* Who sends R (a session cookie or a bearer token): fills R->who. */
void http_auth_who(struct http_req *);
/* A state-changing request's CSRF token is right (or it is a bearer's). */
int http_auth_csrf_ok(struct http_req *);
/* The CSRF token of R's session, for forms ("" when none). */
const char *http_auth_csrf(struct http_req *);
void http_auth_login_page(struct http_req *);
void http_auth_login(struct http_req *);
void http_auth_logout(struct http_req *);
void http_auth_link_new(struct http_req *);
void http_auth_link_use(struct http_req *);
size_t http_auth_sessions(struct http_auth *);

/* --- the handlers --- */

void http_api(struct http_req *); /* /api/v1/... */
/*
 * A finding action (ack, verify, note, assign, resolve, close) by R's
 * user, from the API or a page's form, if R's role may: DONE runs the
 * control command LINE and replies. 0, or -1 after an error reply.
 */
int http_finding_action(struct http_req *, int64_t id, const char *action,
    const char *text, void (*done)(struct http_req *, const char *line));
/* DONE for the API: the control socket's answer, 409 for an error. */
void http_api_control(struct http_req *, const char *line);
/* DONE for a page's form: then to BACK, or an error page. */
void http_page_run(struct http_req *, const char *line, const char *back);
void http_metrics(struct http_req *); /* /metrics */
void http_page_overview(struct http_req *);
void http_page_device(struct http_req *);
void http_page_port(struct http_req *);
void http_page_findings(struct http_req *);
/* http_page_report.c: the reports' archive */
void http_page_reports(struct http_req *); /* /reports */
void http_page_report(struct http_req *); /* /report?run=N&format=F */
void http_api_reports(struct http_req *, const char *what);
void http_page_kpi(struct http_req *); /* /kpi?month=YYYY-MM */
void http_api_kpi(struct http_req *);
void http_page_finding(struct http_req *);
void http_page_action(struct http_req *); /* POST /finding/action */
void http_page_css(struct http_req *);
/* The page's head (title escaped) and navigation; the tail. */
void http_page_head(struct http_req *, struct evbuffer *, const char *title);
void http_page_tail(struct evbuffer *);

/* --- http_graph.c --- */

struct http_graphs *http_graphs_new(struct http_srv *, char *err,
    size_t errlen);
void http_graphs_free(struct http_graphs *);
void http_graph(struct http_req *); /* GET /graph?... */
void http_graphs_status(struct http_graphs *, struct jbuf *);

#endif
