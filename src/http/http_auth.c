/*
 * http_auth.c - who is asking (http.h): users with crypt(3) passwords and
 * a form login giving a session cookie, bearer tokens, CSRF tokens, and
 * one-time login links (for browsers a script drives, as the tests'
 * headless Chromium: a token's holder asks POST /api/v1/login-link and
 * gets a link good for HTTP_LINK_TTL seconds, once).
 *
 * Sessions live in memory only (a restart logs everyone out). A session
 * keeps its user's name: the role is looked up in the running
 * configuration at each request, so a reload that removes a user or
 * changes a role takes effect at once.
 */
#include "config.h"

#include <sys/random.h>

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/keyvalq_struct.h>

#include "http.h"
#include "log.h"

struct http_session {
	char id[HTTP_ID_LEN + 1]; /* "" = free */
	char csrf[HTTP_ID_LEN + 1];
	char user[NP_NAME_MAX];
	int token; /* opened by a login link a token made */
	double created, used;
};

struct http_link {
	char key[HTTP_ID_LEN + 1]; /* "" = free */
	char name[NP_NAME_MAX];
	int token;
	double expires;
};

struct http_auth {
	struct http_session s[HTTP_MAX_SESSIONS];
	struct http_link l[HTTP_MAX_LINKS];
	double fail_window; /* the minute the failures are counted in */
	int fails;
	struct crypt_data *cd; /* crypt_r's 32 KB */
	struct complaint login_c; /* failed logins, rate-limited */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 256 random bits in base64url, no padding: 43 characters. */
static int
http_random_id(char *out)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char r[33];
	size_t got = 0;

	while (got < 32) {
		ssize_t n = getrandom(r + got, 32 - got, 0);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	r[32] = 0;
	for (int i = 0, o = 0; i < 33 && o < HTTP_ID_LEN; i += 3) {
		unsigned v = (unsigned)r[i] << 16 |
		    (unsigned)(i + 1 < 33 ? r[i + 1] : 0) << 8 |
		    (i + 2 < 33 ? r[i + 2] : 0);

		for (int k = 3; k >= 0 && o < HTTP_ID_LEN; k--)
			out[o++] = b64[(v >> (6 * k)) & 63];
	}
	out[HTTP_ID_LEN] = '\0';
	return 0;
}

struct http_auth *
http_auth_new(void)
{
	struct http_auth *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	if ((a->cd = calloc(1, sizeof(*a->cd))) == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

void
http_auth_free(struct http_auth *a)
{
	if (a == NULL)
		return;
	explicit_bzero(a->s, sizeof(a->s));
	explicit_bzero(a->l, sizeof(a->l));
	free(a->cd);
	free(a);
}

size_t
http_auth_sessions(struct http_auth *a)
{
	size_t n = 0;

	for (int i = 0; i < HTTP_MAX_SESSIONS; i++)
		n += a->s[i].id[0] != '\0';
	return n;
}

/* The user or token NAME of the running configuration, or NULL. */
static const struct http_cred *
http_cred(const struct config *c, const char *name, int token)
{
	for (int i = 0; i < c->nhttp_creds; i++)
		if (c->http_creds[i].token == token &&
		    strcmp(c->http_creds[i].name, name) == 0)
			return &c->http_creds[i];
	return NULL;
}

void
http_auth_who(struct http_req *r)
{
	struct http_srv *srv = r->srv;
	struct http_auth *a = srv->auth;
	const struct config *conf = srv->core->conf;
	struct evkeyvalq *h = evhttp_request_get_input_headers(r->req);
	char tok[300], sid[HTTP_ID_LEN + 8];
	double now = now_s();

	if (http_bearer_get(evhttp_find_header(h, "Authorization"), tok,
	        sizeof(tok)) == 1) {
		const struct http_cred *hit = NULL;

		/* every token compared, in constant time each */
		for (int i = 0; i < conf->nhttp_creds; i++)
			if (conf->http_creds[i].token &&
			    http_ct_equal(tok, conf->http_creds[i].secret))
				hit = &conf->http_creds[i];
		explicit_bzero(tok, sizeof(tok));
		if (hit) {
			snprintf(r->who.name, sizeof(r->who.name), "%s",
			    hit->name);
			r->who.role = hit->role;
			r->who.bearer = 1;
		}
		return;
	}
	if (http_cookie_get(evhttp_find_header(h, "Cookie"), "np_session", sid,
	        sizeof(sid)) != 1 ||
	    strlen(sid) != HTTP_ID_LEN)
		return;
	for (int i = 0; i < HTTP_MAX_SESSIONS; i++) {
		struct http_session *s = &a->s[i];
		const struct http_cred *c;

		if (s->id[0] == '\0' || !http_ct_equal(sid, s->id))
			continue;
		if (now - s->used > HTTP_SESSION_IDLE ||
		    now - s->created > HTTP_SESSION_LIFE ||
		    (c = http_cred(conf, s->user, s->token)) == NULL) {
			explicit_bzero(s, sizeof(*s));
			return;
		}
		s->used = now;
		snprintf(r->who.name, sizeof(r->who.name), "%s", s->user);
		r->who.role = c->role;
		r->who.session = i;
		return;
	}
}

int
http_auth_csrf_ok(struct http_req *r)
{
	char t[HTTP_ID_LEN + 8];
	const char *hdr;

	if (r->who.bearer)
		return 1;
	if (r->who.session < 0)
		return 0;
	hdr = evhttp_find_header(
	    evhttp_request_get_input_headers(r->req), "X-CSRF-Token");
	if (hdr != NULL)
		snprintf(t, sizeof(t), "%s", hdr);
	else if (http_f(r, "csrf", t, sizeof(t)) != 1)
		return 0;
	return http_ct_equal(t, r->srv->auth->s[r->who.session].csrf);
}

const char *
http_auth_csrf(struct http_req *r)
{
	if (r->who.session < 0)
		return "";
	return r->srv->auth->s[r->who.session].csrf;
}

/* A new session for NAME: its index, or -1. */
static int
http_session_new(struct http_auth *a, const char *name, int token,
    struct http_stats *st)
{
	double now = now_s();
	int k = -1;

	for (int i = 0; i < HTTP_MAX_SESSIONS; i++) {
		if (a->s[i].id[0] == '\0' || now - a->s[i].used > HTTP_SESSION_IDLE ||
		    now - a->s[i].created > HTTP_SESSION_LIFE) {
			k = i;
			break;
		}
		if (k < 0 || a->s[i].used < a->s[k].used)
			k = i;
	}
	if (a->s[k].id[0] != '\0' && now - a->s[k].used <= HTTP_SESSION_IDLE)
		st->sessions_evicted++; /* the least recently used */
	memset(&a->s[k], 0, sizeof(a->s[k]));
	if (http_random_id(a->s[k].id) == -1 ||
	    http_random_id(a->s[k].csrf) == -1) {
		memset(&a->s[k], 0, sizeof(a->s[k]));
		return -1;
	}
	snprintf(a->s[k].user, sizeof(a->s[k].user), "%s", name);
	a->s[k].token = token;
	a->s[k].created = a->s[k].used = now;
	return k;
}

static void
http_set_cookie(struct http_req *r, const char *id, int maxage)
{
	char c[256];

	snprintf(c, sizeof(c),
	    "np_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", id,
	    maxage, r->srv->ssl_ctx ? "; Secure" : "");
	evhttp_add_header(
	    evhttp_request_get_output_headers(r->req), "Set-Cookie", c);
}

/* A local path to go to after the login: "/..." only, else "/". */
static const char *
http_next(const char *next)
{
	if (next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/";
	for (const char *p = next; *p; p++)
		if (*p < ' ' || *p > '~')
			return "/";
	return next;
}

static void
http_login_form(struct http_req *r, int code, const char *msg,
    const char *next)
{
	struct evbuffer *b = evbuffer_new();

	if (b == NULL)
		return evhttp_send_error(r->req, 503, NULL);
	http_page_head(r, b, "login");
	evbuffer_add_printf(b, "<h1>netpatrol</h1>");
	if (msg) {
		evbuffer_add_printf(b, "<p class=\"err\">");
		http_html(b, msg);
		evbuffer_add_printf(b, "</p>");
	}
	evbuffer_add_printf(b, "<form method=\"post\" action=\"/login\">"
	                       "<input type=\"hidden\" name=\"next\" value=\"");
	http_html(b, http_next(next));
	evbuffer_add_printf(b,
	    "\"><p><label>user <input name=\"user\" autocomplete=\"username\">"
	    "</label></p><p><label>password <input type=\"password\" "
	    "name=\"password\" autocomplete=\"current-password\"></label></p>"
	    "<p><button>log in</button></p></form>");
	http_page_tail(b);
	http_reply(r, code, "text/html; charset=utf-8", b);
	evbuffer_free(b);
}

void
http_auth_login_page(struct http_req *r)
{
	char next[512];

	if (http_q(r, "next", next, sizeof(next)) != 1)
		snprintf(next, sizeof(next), "/");
	http_login_form(r, 200, NULL, next);
}

void
http_auth_login(struct http_req *r)
{
	struct http_auth *a = r->srv->auth;
	struct http_stats *st = &r->srv->st;
	const struct http_cred *c;
	char user[NP_NAME_MAX + 8], pw[256], next[512];
	const char *h;
	double now = now_s();
	int k, ok;

	if (http_f(r, "next", next, sizeof(next)) != 1)
		snprintf(next, sizeof(next), "/");
	if (now - a->fail_window >= 60) {
		a->fail_window = now;
		a->fails = 0;
	}
	if (a->fails >= HTTP_LOGIN_FAILS) {
		st->login_limited++;
		return http_login_form(
		    r, 429, "too many failed logins: wait a minute", next);
	}
	if (http_f(r, "user", user, sizeof(user)) != 1 ||
	    http_f(r, "password", pw, sizeof(pw)) != 1) {
		st->login_failed++;
		a->fails++;
		return http_login_form(r, 400, "user and password, please", next);
	}
	c = http_cred(r->srv->core->conf, user, 0);
	/* crypt_r even for an unknown user: the time tells nothing */
	h = crypt_r(pw, c ? c->secret : "$6$nosuchuser$", a->cd);
	ok = c != NULL && h != NULL && h[0] != '*' &&
	    http_ct_equal(h, c->secret);
	explicit_bzero(pw, sizeof(pw));
	explicit_bzero(a->cd, sizeof(*a->cd));
	if (!ok) {
		st->login_failed++;
		a->fails++;
		complain(&a->login_c, LOG_L_WARN, "http: failed logins");
		return http_login_form(r, 403, "wrong user or password", next);
	}
	if ((k = http_session_new(a, c->name, 0, st)) == -1)
		return http_error(r, 503, "no random numbers");
	st->logins++;
	log_info("http: %s logged in", c->name);
	http_set_cookie(r, a->s[k].id, HTTP_SESSION_LIFE);
	http_redirect(r, http_next(next));
}

void
http_auth_logout(struct http_req *r)
{
	if (r->who.session >= 0)
		explicit_bzero(&r->srv->auth->s[r->who.session],
		    sizeof(r->srv->auth->s[0]));
	http_set_cookie(r, "", 0);
	http_redirect(r, "/login");
}

/* POST /api/v1/login-link (operator or admin): a link for a browser. */
void
http_auth_link_new(struct http_req *r)
{
	struct http_auth *a = r->srv->auth;
	const struct http_cred *c;
	struct http_link *l = NULL;
	char next[512];
	struct jbuf j;
	struct evbuffer *u;
	double now = now_s();

	if (http_f(r, "next", next, sizeof(next)) != 1 &&
	    http_q(r, "next", next, sizeof(next)) != 1)
		snprintf(next, sizeof(next), "/");
	for (int i = 0; i < HTTP_MAX_LINKS; i++)
		if (a->l[i].key[0] == '\0' || now > a->l[i].expires) {
			l = &a->l[i];
			break;
		}
	if (l == NULL)
		return http_error(r, 503, "too many login links waiting");
	c = http_cred(r->srv->core->conf, r->who.name, r->who.bearer);
	if (c == NULL)
		return http_error(r, 403, "unknown credential");
	memset(l, 0, sizeof(*l));
	if (http_random_id(l->key) == -1)
		return http_error(r, 503, "no random numbers");
	snprintf(l->name, sizeof(l->name), "%s", c->name);
	l->token = c->token;
	l->expires = now + HTTP_LINK_TTL;
	if ((u = evbuffer_new()) == NULL)
		return http_error(r, 503, "out of memory");
	evbuffer_add_printf(u, "/login/link?key=%s&next=", l->key);
	http_urlenc(u, http_next(next));
	evbuffer_add(u, "", 1);
	jbuf_init(&j);
	json_obj_open(&j);
	json_kstr(&j, "link", (const char *)evbuffer_pullup(u, -1));
	json_kint(&j, "expires_in", HTTP_LINK_TTL);
	json_obj_close(&j);
	http_reply_json(r, 200, &j);
	jbuf_free(&j);
	evbuffer_free(u);
}

/* GET /login/link?key=K&next=P: once, within its time; then a session. */
void
http_auth_link_use(struct http_req *r)
{
	struct http_auth *a = r->srv->auth;
	char key[HTTP_ID_LEN + 8], next[512];
	double now = now_s();
	int k;

	if (http_q(r, "key", key, sizeof(key)) != 1)
		return http_login_form(r, 403, "no such login link", "/");
	if (http_q(r, "next", next, sizeof(next)) != 1)
		snprintf(next, sizeof(next), "/");
	for (int i = 0; i < HTTP_MAX_LINKS; i++) {
		struct http_link *l = &a->l[i];

		if (l->key[0] == '\0' || !http_ct_equal(key, l->key))
			continue;
		if (now > l->expires) {
			memset(l, 0, sizeof(*l));
			break;
		}
		k = http_session_new(a, l->name, l->token, &r->srv->st);
		memset(l, 0, sizeof(*l)); /* once */
		if (k == -1)
			return http_error(r, 503, "no random numbers");
		r->srv->st.logins++;
		http_set_cookie(r, a->s[k].id, HTTP_SESSION_LIFE);
		return http_redirect(r, http_next(next));
	}
	r->srv->st.login_failed++;
	http_login_form(r, 403, "no such login link, or it was used", "/");
}
