/*
 * conf_listen.c - the configuration's services: "listen" statements with
 * their TLS options (certificate, key, ca, peer, fingerprint) and
 * "rrdcached" (conf_http.c: "http").
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_int.h"

void
conf_set_rrdcached(struct parse *p, struct loc at, const char *s)
{
	if (*s == '\0') {
		perr(p, at, "rrdcached needs an address");
		return;
	}
	if (strncmp(s, "unix:", 5) == 0 && s[5] != '/') {
		perr(p, at, "rrdcached socket must be an absolute path");
		return;
	}
	conf_setstr(p, at, p->conf->rrdcached, sizeof(p->conf->rrdcached), s,
	    "rrdcached");
}

/* The TLS options' names, by LT_* bit, for errors. */
static const char *
ltls_name(unsigned bit, int article)
{
	switch (bit) {
	case LT_CERT:	return (article ? "a certificate" : "certificate");
	case LT_KEY:	return (article ? "a key" : "key");
	case LT_CA:	return (article ? "a ca" : "ca");
	case LT_PEER:	return (article ? "a peer" : "peer");
	default:	return (article ? "a fingerprint" : "fingerprint");
	}
}

void
ltls_start(struct parse *p)
{
	memset(&p->ltls, 0, sizeof(p->ltls));
	p->ltlsset = 0;
	p->ltlsfirst = 0;
	p->ltlsbad = 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

/*
 * A SHA-256 fingerprint as RFC 5425 writes it ("SHA-256:AB:CD:..."), or
 * with "SHA256:", or its bytes alone in hex, with or without colons; any
 * case. 0 and the digest in FP, or -1 and why in WHY.
 */
static int
fingerprint(const char *s, unsigned char *fp, const char **why)
{
	const char	*colon = strchr(s, ':');
	size_t		 n = 0;
	int		 hi, lo, sep = -1;

	/* "AB:..." is a byte; a longer word before ':' is a hash's name */
	if (colon != NULL && colon - s != 2) {
		if ((colon - s == 7 && strncasecmp(s, "sha-256", 7) == 0) ||
		    (colon - s == 6 && strncasecmp(s, "sha256", 6) == 0))
			s = colon + 1;
		else {
			*why = "only SHA-256 fingerprints are supported "
			    "(SHA-256:AB:CD:...)";
			return (-1);
		}
	}
	while (*s != '\0') {
		if (n == NP_TLS_FP_LEN || (hi = hexval((unsigned char)s[0])) ==
		    -1 || (lo = hexval((unsigned char)s[1])) == -1)
			goto bad;
		fp[n++] = (unsigned char)(hi << 4 | lo);
		s += 2;
		if (sep == -1)
			sep = *s == ':';
		if (*s == ':' && sep && n < NP_TLS_FP_LEN)
			s++;
		else if (*s != '\0' && sep)
			goto bad;
	}
	if (n == NP_TLS_FP_LEN)
		return (0);
bad:
	*why = "not a SHA-256 fingerprint (32 bytes in hex, as "
	    "SHA-256:AB:CD:...)";
	return (-1);
}

void
ltls_opt(struct parse *p, struct loc at, unsigned bit, const char *v)
{
	struct listen_conf	*l = &p->ltls;
	const char		*why;

	if (p->ltlsfirst == 0)
		p->ltlsfirst = bit;
	if ((p->ltlsset & bit) && (bit == LT_CERT || bit == LT_KEY ||
	    bit == LT_CA)) {
		perr(p, at, "\"%s\" given twice", ltls_name(bit, 0));
		p->ltlsbad = 1;
		return;
	}
	p->ltlsset |= bit;
	switch (bit) {
	case LT_CERT:
		if (conf_setpath(p, at, l->cert, sizeof(l->cert), v,
		    "certificate") == -1)
			p->ltlsbad = 1;
		break;
	case LT_KEY:
		if (conf_setpath(p, at, l->key, sizeof(l->key), v, "key") == -1)
			p->ltlsbad = 1;
		break;
	case LT_CA:
		if (conf_setpath(p, at, l->ca, sizeof(l->ca), v, "ca") == -1)
			p->ltlsbad = 1;
		break;
	case LT_PEER:
		if (*v == '\0') {
			perr(p, at, "peer must not be empty");
			p->ltlsbad = 1;
		} else if (l->npeers == NP_TLS_PEERS) {
			perr(p, at, "at most %d peer patterns per listener",
			    NP_TLS_PEERS);
			p->ltlsbad = 1;
		} else if (conf_setstr(p, at, l->peers[l->npeers],
		    sizeof(l->peers[0]), v, "peer") == -1)
			p->ltlsbad = 1;
		else
			l->npeers++;
		break;
	case LT_FP:
		if (l->nfps == NP_TLS_PEERS) {
			perr(p, at, "at most %d fingerprints per listener",
			    NP_TLS_PEERS);
			p->ltlsbad = 1;
		} else if (fingerprint(v, l->fps[l->nfps], &why) == -1) {
			perr(p, at, "fingerprint \"%.*s\": %s", 120,
			    v, why);
			p->ltlsbad = 1;
		} else
			l->nfps++;
		break;
	}
}

void
conf_listen_add(struct parse *p, struct loc at, enum listen_kind kind,
    const char *proto, const char *addr, int64_t port)
{
	struct listen_conf	*l;
	enum listen_proto	 lp;
	const char		*what = kind == LISTEN_TRAP ? "trap" : "syslog";

	if (strcmp(proto, "udp") == 0)
		lp = LISTEN_UDP;
	else if (strcmp(proto, "tcp") == 0 && kind == LISTEN_SYSLOG)
		lp = LISTEN_TCP;
	else if (strcmp(proto, "tls") == 0 && kind == LISTEN_SYSLOG)
		lp = LISTEN_TLS;
	else {
		perr(p, at, "unknown protocol \"%s\" for listen %s (%s)",
		    proto, what, kind == LISTEN_TRAP ? "udp" :
		    "udp, tcp or tls");
		return;
	}
	if (port < 0 || p->ltlsbad)
		return;
	if (!conf_ip_literal(addr)) {
		perr(p, at, "invalid listen address \"%s\"", addr);
		return;
	}
	if (lp == LISTEN_TLS && (p->ltlsset & (LT_CERT | LT_KEY)) !=
	    (LT_CERT | LT_KEY)) {
		perr(p, at, "listen syslog tls needs certificate \"FILE\" key "
		    "\"FILE\"");
		return;
	}
	if (lp != LISTEN_TLS && p->ltlsset != 0) {
		perr(p, at, "%s is only for listen syslog tls",
		    ltls_name(p->ltlsfirst, 1));
		return;
	}
	if ((p->ltlsset & LT_PEER) && !(p->ltlsset & LT_CA)) {
		perr(p, at, "peer needs ca: a certificate's names are trusted "
		    "only once it is verified");
		return;
	}
	if (port == 0)
		port = kind == LISTEN_TRAP ? 162 : lp == LISTEN_TLS ? 6514 :
		    514;
	TAILQ_FOREACH(l, &p->conf->listens, entry) {
		if ((l->proto == LISTEN_UDP) == (lp == LISTEN_UDP) &&
		    l->port == port && strcmp(l->address, addr) == 0) {
			perr(p, at, "%s %s port %lld is already used by line "
			    "%d", lp == LISTEN_UDP ? "udp" : "tcp", addr,
			    (long long)port, l->line);
			return;
		}
	}
	if ((l = malloc(sizeof(*l))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	/* the TLS options as read, then the rest */
	*l = p->ltls;
	l->kind = kind;
	l->proto = lp;
	l->port = port;
	l->line = at.line;
	if (conf_setstr(p, at, l->address, sizeof(l->address), addr,
	    "address") == -1 || conf_setstr(p, at, l->file, sizeof(l->file),
	    at.file ? at.file : "", "file name") == -1) {
		free(l);
		return;
	}
	TAILQ_INSERT_TAIL(&p->conf->listens, l, entry);
}
