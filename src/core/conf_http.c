/*
 * conf_http.c - the HTTP server's block (netpatrold.conf(5), HTTP):
 *
 *   http {
 *           listen ADDRESS [port P] [tls cert "FILE" key "FILE"]
 *           user "NAME" role viewer|operator|admin password "CRYPT-HASH"
 *           token "NAME" role viewer|operator|admin secret "VALUE"
 *   }
 *
 * and its one-line form "http ADDRESS [port P]" (a listen alone).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf_int.h"

void
conf_http_listen(struct parse *p, struct loc at, const char *addr,
    int64_t port)
{
	if (port < 0)
		return;
	if (p->conf->http_address[0] != '\0') {
		perr(p, at, "http: one listen only");
		return;
	}
	if (!conf_ip_literal(addr)) {
		perr(p, at, "invalid http address \"%s\"", addr);
		return;
	}
	if (conf_setstr(p, at, p->conf->http_address,
	        sizeof(p->conf->http_address), addr, "http address") == -1)
		return;
	p->conf->http_port = port ? port : 8080;
}

void
conf_http_tls(struct parse *p, struct loc at, const char *tls,
    const char *certw, const char *cert, const char *key)
{
	/*
	 * "tls", "cert", "token", "password" and "secret" are words, not
	 * keywords: other statements have them as values.
	 */
	if (strcmp(tls, "tls") != 0 || strcmp(certw, "cert") != 0) {
		perr(p, at, "http listen: tls cert \"FILE\" key \"FILE\" "
		    "expected");
		return;
	}
	if (*cert != '/' || *key != '/') {
		perr(p, at, "http tls: cert and key must be absolute paths");
		return;
	}
	if (conf_setpath(p, at, p->conf->http_cert, sizeof(p->conf->http_cert),
	        cert, "http tls cert") == -1)
		return;
	(void)conf_setpath(p, at, p->conf->http_key, sizeof(p->conf->http_key),
	    key, "http tls key");
}

static int
http_role(const char *s)
{
	if (strcmp(s, "viewer") == 0)
		return HTTP_VIEWER;
	if (strcmp(s, "operator") == 0)
		return HTTP_OPERATOR;
	if (strcmp(s, "admin") == 0)
		return HTTP_ADMIN;
	return -1;
}

/* A crypt(3) hash as crypt gives it: "$id$...", printable, no blanks. */
static int
http_hash_ok(const char *h)
{
	if (h[0] != '$' || strlen(h) < 8)
		return 0;
	for (; *h; h++)
		if (*h <= ' ' || *h > '~' || *h == ':')
			return 0;
	return 1;
}

void
conf_http_cred(struct parse *p, struct loc at, const char *what,
    const char *name, const char *role, const char *word, const char *secret)
{
	struct config *c = p->conf;
	struct http_cred *hc;
	int token = strcmp(what, "token") == 0, r;

	if ((!token && strcmp(what, "user") != 0) ||
	    strcmp(word, token ? "secret" : "password") != 0) {
		perr(p, at, "http: user \"NAME\" role ROLE password \"HASH\" "
		    "or token \"NAME\" role ROLE secret \"VALUE\" expected");
		return;
	}

	if (*name == '\0' || !conf_devname_ok(name) ||
	    strlen(name) >= sizeof(hc->name)) {
		perr(p, at, "invalid http %s name \"%s\" (use letters, digits, "
		    "\".\", \"-\" and \"_\")", what, name);
		return;
	}
	if ((r = http_role(role)) == -1) {
		perr(p, at, "http %s %s: role is viewer, operator or admin",
		    what, name);
		return;
	}
	if (token && (strlen(secret) < 16 || strlen(secret) >= 256)) {
		perr(p, at, "http token %s: the secret must have 16 to 255 "
		    "characters", name);
		return;
	}
	if (!token && (!http_hash_ok(secret) || strlen(secret) >= 256)) {
		perr(p, at, "http user %s: password must be a crypt(3) hash "
		    "(netpatrol passwd prints one)", name);
		return;
	}
	for (int i = 0; i < c->nhttp_creds; i++)
		if (c->http_creds[i].token == token &&
		    strcmp(c->http_creds[i].name, name) == 0) {
			perr(p, at, "http %s \"%s\" defined twice", what, name);
			return;
		}
	if (c->nhttp_creds == NP_HTTP_MAX_CREDS) {
		perr(p, at, "http: at most %d users and tokens",
		    NP_HTTP_MAX_CREDS);
		return;
	}
	hc = &c->http_creds[c->nhttp_creds++];
	(void)snprintf(hc->name, sizeof(hc->name), "%s", name);
	hc->role = r;
	hc->token = token;
	(void)snprintf(hc->secret, sizeof(hc->secret), "%s", secret);
}

/* After the block: TLS needs a listen. */
void
conf_http_end(struct parse *p, struct loc at)
{
	if (p->conf->http_cert[0] != '\0' && p->conf->http_address[0] == '\0')
		perr(p, at, "http: tls without a listen");
}
