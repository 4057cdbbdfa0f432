/*
 * conf_remote.c - remote-write: the samples the daemon polls, sent to a
 * Prometheus remote write receiver (Prometheus, VictoriaMetrics, Mimir,
 * Thanos receive), src/export/.
 *
 *	remote-write "http://prometheus.example.net:9090/api/v1/write" {
 *		batch 2000		# samples per request
 *		flush 5s		# a partial batch waits at most so long
 *		queue 100000		# samples kept while the receiver is away
 *		timeout 30s		# a request's
 *		header "X-Scope-OrgID" "noc"
 *		label "site" "ams1"	# on every series
 *	}
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

/* URL into RW's host, port and path: http://HOST[:PORT][/PATH]. */
static int
conf_remote_parse_url(struct remote_write_conf *rw, const char *url,
    char *why, size_t whylen)
{
	const char *h = url, *end, *colon = NULL, *slash;
	size_t hl;

	if (strncmp(url, "https://", 8) == 0) {
		snprintf(why, whylen, "https is not supported yet: use http "
		    "(a receiver on the same network, or a TLS proxy)");
		return -1;
	}
	if (strncmp(url, "http://", 7) != 0) {
		snprintf(why, whylen, "the URL must start with http://");
		return -1;
	}
	h += 7;
	slash = strchr(h, '/');
	end = slash ? slash : h + strlen(h);
	if (*h == '[') { /* [IPv6]:port */
		const char *rb = memchr(h, ']', (size_t)(end - h));

		if (rb == NULL) {
			snprintf(why, whylen, "no ']' after the IPv6 address");
			return -1;
		}
		hl = (size_t)(rb - h - 1);
		h++;
		if (rb + 1 < end) {
			if (rb[1] != ':') {
				snprintf(why, whylen, "junk after ']'");
				return -1;
			}
			colon = rb + 1;
		}
	} else {
		colon = memchr(h, ':', (size_t)(end - h));
		hl = (size_t)((colon ? colon : end) - h);
	}
	if (hl == 0 || hl >= sizeof(rw->host)) {
		snprintf(why, whylen, "no host, or a host name too long");
		return -1;
	}
	memcpy(rw->host, h, hl);
	rw->host[hl] = '\0';
	if (h[-1] != '[' && !conf_hostname_ok(rw->host) &&
	    !conf_ip_literal(rw->host)) {
		snprintf(why, whylen, "invalid host \"%s\"", rw->host);
		return -1;
	}
	rw->port = 80;
	if (colon != NULL) {
		const char *q = colon + 1;
		long v = 0;

		if (q == end) {
			snprintf(why, whylen, "no port after ':'");
			return -1;
		}
		for (; q < end; q++) {
			if (!isdigit((unsigned char)*q) || v > 65535) {
				snprintf(why, whylen, "invalid port");
				return -1;
			}
			v = v * 10 + (*q - '0');
		}
		if (v < 1 || v > 65535) {
			snprintf(why, whylen, "invalid port");
			return -1;
		}
		rw->port = (uint16_t)v;
	}
	if (slash == NULL)
		snprintf(rw->path, sizeof(rw->path), "/");
	else if ((size_t)snprintf(rw->path, sizeof(rw->path), "%s", slash) >=
	    sizeof(rw->path)) {
		snprintf(why, whylen, "the path is too long");
		return -1;
	}
	for (const char *c = rw->path; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f) {
			snprintf(why, whylen, "a space or a control "
			    "character in the path");
			return -1;
		}
	return 0;
}

/* The receiver being defined (its block's lines), NULL when refused. */
static struct remote_write_conf *
conf_remote_cur(struct parse *p)
{
	return p->inremote > 0 && p->inremote <= p->conf->nremote_write
	    ? &p->conf->remote_write[p->inremote - 1]
	    : NULL;
}

/* A receiver: its index + 1 (parse.y's inremote), -1 refused (said). */
int
conf_remote_url(struct parse *p, struct loc at, const char *url)
{
	struct config *c = p->conf;
	struct remote_write_conf *rw;
	char why[160];

	for (int i = 0; i < c->nremote_write; i++)
		if (strcmp(c->remote_write[i].url, url) == 0) {
			perr(p, at, "remote-write \"%s\" twice", url);
			return -1;
		}
	if (c->nremote_write == NP_RW_TARGETS) {
		perr(p, at, "remote-write: at most %d receivers",
		    NP_RW_TARGETS);
		return -1;
	}
	rw = &c->remote_write[c->nremote_write];
	memset(rw, 0, sizeof(*rw));
	if (conf_setstr(p, at, rw->url, sizeof(rw->url), url,
	        "remote-write URL") == -1)
		return -1;
	if (conf_remote_parse_url(rw, url, why, sizeof(why)) == -1) {
		perr(p, at, "remote-write \"%s\": %s", url, why);
		rw->url[0] = '\0';
		return -1;
	}
	c->nremote_write++;
	rw->batch = 2000;
	rw->flush_ms = 5000;
	rw->queue = 100000;
	rw->timeout = 30;
	return c->nremote_write;
}

/* A label name as Prometheus has them, not one of its own (__*). */
static int
conf_remote_label_ok(const char *n)
{
	if (!(isalpha((unsigned char)n[0]) || n[0] == '_') ||
	    strncmp(n, "__", 2) == 0)
		return 0;
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && *n != '_')
			return 0;
	return 1;
}

/* A header name (RFC 9110 token), not one the sender sets itself. */
static int
conf_remote_header_ok(const char *n)
{
	static const char *const own[] = {"content-type", "content-encoding",
	    "content-length", "host", "user-agent", "connection",
	    "x-prometheus-remote-write-version"};

	if (*n == '\0')
		return 0;
	for (const char *c = n; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("!#$%&'*+-.^_`|~", *c))
			return 0;
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strcasecmp(n, own[i]) == 0)
			return 0;
	return 1;
}

static void
conf_remote_pair(
    struct parse *p, struct loc at, struct remote_write_conf *rw, int header)
{
	const char *n = p->slist[1], *v = p->slist[2];
	int *count = header ? &rw->nheaders : &rw->nlabels;

	if (*count >= NP_RW_MAX) {
		perr(p, at, "remote-write: at most %d %ss", NP_RW_MAX,
		    header ? "header" : "label");
		return;
	}
	if (header ? !conf_remote_header_ok(n) : !conf_remote_label_ok(n)) {
		perr(p, at, "remote-write: invalid %s name \"%s\"%s",
		    header ? "header" : "label", n,
		    header ? " (or one the sender sets)"
		           : " (letters, digits, '_'; not \"__\" first)");
		return;
	}
	for (const char *c = v; *c; c++)
		if ((unsigned char)*c < ' ' && *c != '\t') {
			perr(p, at, "remote-write: a control character in "
			    "the value of \"%s\"", n);
			return;
		}
	if (conf_setstr(p, at,
	        header ? rw->hname[*count] : rw->lname[*count], NP_NAME_MAX,
	        n, "name") == -1 ||
	    conf_setstr(p, at,
	        header ? rw->hvalue[*count] : rw->lvalue[*count], NP_STR_MAX,
	        v, "value") == -1)
		return;
	(*count)++;
}

void
conf_remote_line(struct parse *p, struct loc at)
{
	struct remote_write_conf *rw = conf_remote_cur(p);
	const char *w = p->nslist > 0 ? p->slist[0] : "";
	int64_t v;

	if (p->nslist == 0 || rw == NULL) /* (its URL refused: said) */
		goto out;
	if (p->slist_over) {
		perr(p, at, "remote-write: too many words");
		goto out;
	}
	if (strcmp(w, "header") == 0 || strcmp(w, "label") == 0) {
		if (p->nslist != 3)
			perr(p, at, "remote-write: %s \"NAME\" \"VALUE\"", w);
		else
			conf_remote_pair(p, at, rw, w[0] == 'h');
		goto out;
	}
	if (p->nslist != 2) {
		perr(p, at, "remote-write: %s takes one value", w);
		goto out;
	}
	if (strcmp(w, "batch") == 0) {
		v = conf_is_number(p->slist[1]) ? conf_number(p->slist[1], NULL)
		                                : -1;
		if (conf_range(p, at, v, 1, 100000, "remote-write batch",
		        " samples") == 0)
			rw->batch = (int)v;
	} else if (strcmp(w, "queue") == 0) {
		v = conf_is_number(p->slist[1]) ? conf_number(p->slist[1], NULL)
		                                : -1;
		if (conf_range(p, at, v, 1, 100000000, "remote-write queue",
		        " samples") == 0)
			rw->queue = (int)v;
	} else if (strcmp(w, "flush") == 0) {
		if (conf_duration(p, at, p->slist[1], conf_u_msec,
		        "remote-write flush", &v) == 0 &&
		    conf_range(p, at, v, 100, 600000, "remote-write flush",
		        " milliseconds") == 0)
			rw->flush_ms = (int)v;
	} else if (strcmp(w, "timeout") == 0) {
		if (conf_duration(p, at, p->slist[1], conf_u_seconds,
		        "remote-write timeout", &v) == 0 &&
		    conf_range(p, at, v, 1, 600, "remote-write timeout",
		        " seconds") == 0)
			rw->timeout = (int)v;
	} else
		perr(p, at, "remote-write: unknown setting \"%s\" (batch, "
		    "flush, queue, timeout, header or label)", w);
out:
	p->nslist = 0;
	p->slist_over = 0;
}

void
conf_remote_end(struct parse *p, struct loc at)
{
	struct remote_write_conf *rw = conf_remote_cur(p);

	if (rw != NULL && rw->queue < rw->batch)
		perr(p, at, "remote-write: queue (%d) is smaller than a batch "
		    "(%d)", rw->queue, rw->batch);
}
