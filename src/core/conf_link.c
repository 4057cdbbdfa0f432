/*
 * conf_link.c - link blocks: an interface's traffic counted from the wire
 * (src/pcap). The grammar gives each line as words (parse.y keeps to
 * that); they are read here.
 *
 *   link "NAME" {
 *           interface "IFNAME"       (required)
 *           filter "BPF"             (tcpdump's syntax; checked by
 *                                     netpatrold -n with libpcap)
 *           speed 1G                 (bit/s; k, M, G, T: powers of 1000;
 *                                     default the interface's own)
 *           congested PCT [for N]    (link.congested at PCT % of the
 *                                     speed, in or out, for N steps;
 *                                     default 90 for 3; 0: never)
 *           step T                   (seconds between samples, default 60)
 *           hosts N                  (hosts table bound, default 4096)
 *   }
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

void
conf_link_start(struct parse *p, struct loc at, const char *name)
{
	struct link_conf	*x = &p->link, *o;

	memset(x, 0, sizeof(*x));
	p->linkbad = 0;
	p->nlwords = 0;
	x->step = 60;
	x->congested_pct = 90;
	x->congested_for = 3;
	x->hosts = 4096;
	x->line = at.line;
	(void)snprintf(x->file, sizeof(x->file), "%s", at.file);
	if (*name == '\0' || !conf_devname_ok(name) ||
	    strlen(name) >= sizeof(x->name)) {
		perr(p, at, "invalid link name \"%s\" (use letters, digits, "
		    "\".\", \"-\" and \"_\")", name);
		p->linkbad = 1;
		return;
	}
	(void)snprintf(x->name, sizeof(x->name), "%s", name);
	TAILQ_FOREACH(o, &p->conf->links, entry)
		if (strcmp(o->name, name) == 0) {
			perr(p, at, "link \"%s\" defined twice", name);
			p->linkbad = 1;
		}
}

void
conf_link_word(struct parse *p, struct loc at, const char *w)
{
	if (p->nlwords == 0)
		p->lwloc = at;
	if (p->nlwords < (int)(sizeof(p->lwords) / sizeof(p->lwords[0])))
		p->lwords[p->nlwords] = w;
	p->nlwords++; /* too many: refused by conf_link_line() */
}

/* A speed: bit/s with an SI suffix (k, M, G, T), a fraction allowed. */
static int
link_speed(const char *s, uint64_t *v)
{
	char		*end;
	double		 d, mul = 1;

	errno = 0;
	d = strtod(s, &end);
	if (end == s || errno != 0)
		return -1;
	if (*end != '\0') {
		switch (*end) {
		case 'k': case 'K': mul = 1e3; break;
		case 'm': case 'M': mul = 1e6; break;
		case 'g': case 'G': mul = 1e9; break;
		case 't': case 'T': mul = 1e12; break;
		default: return -1;
		}
		if (end[1] != '\0' && strcmp(end + 1, "bit") != 0 &&
		    strcmp(end + 1, "bps") != 0)
			return -1;
	}
	d *= mul;
	if (!(d >= 1000 && d <= 1e15))
		return -1;
	*v = (uint64_t)d;
	return 0;
}

static int
link_int(struct parse *p, struct loc at, const char *s, int64_t lo,
    int64_t hi, const char *what, int *out)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < lo || v > hi) {
		perr(p, at, "%s must be a whole number between %lld and %lld",
		    what, (long long)lo, (long long)hi);
		return -1;
	}
	*out = (int)v;
	return 0;
}

void
conf_link_line(struct parse *p)
{
	struct link_conf	*x = &p->link;
	struct loc		 at = p->lwloc;
	const char		*k = p->lwords[0], *const *w = p->lwords;
	int			 n = p->nlwords;
	int64_t			 d;

	p->nlwords = 0;
	if (n > (int)(sizeof(p->lwords) / sizeof(p->lwords[0]))) {
		perr(p, at, "too many words in a link's line");
		p->linkbad = 1;
		return;
	}
	if (strcmp(k, "interface") == 0 && n == 2) {
		if (*w[1] == '\0' || strlen(w[1]) >= 16 ||
		    strchr(w[1], '/') != NULL || strcmp(w[1], ".") == 0 ||
		    strcmp(w[1], "..") == 0) {
			perr(p, at, "invalid interface name \"%s\"", w[1]);
			p->linkbad = 1;
		} else
			(void)snprintf(x->interface, sizeof(x->interface),
			    "%s", w[1]);
	} else if (strcmp(k, "filter") == 0 && n == 2) {
		if (strlen(w[1]) >= sizeof(x->filter)) {
			perr(p, at, "filter longer than %zu bytes",
			    sizeof(x->filter) - 1);
			p->linkbad = 1;
		} else {
			(void)snprintf(x->filter, sizeof(x->filter), "%s",
			    w[1]);
			x->filter_line = at.line;
		}
	} else if (strcmp(k, "speed") == 0 && n == 2) {
		if (link_speed(w[1], &x->speed) == -1) {
			perr(p, at, "invalid speed \"%s\" (bit/s, from 1k to "
			    "1000T: 100M, 1G, 2.5G)", w[1]);
			p->linkbad = 1;
		}
	} else if (strcmp(k, "congested") == 0 && (n == 2 ||
	    (n == 4 && strcmp(w[2], "for") == 0))) {
		if (link_int(p, at, w[1], 0, 1000, "congested",
		    &x->congested_pct) == -1 || (n == 4 &&
		    link_int(p, at, w[3], 1, 10000, "congested for",
		    &x->congested_for) == -1))
			p->linkbad = 1;
	} else if (strcmp(k, "step") == 0 && n == 2) {
		if (conf_duration(p, at, w[1], conf_u_seconds, "step", &d) ||
		    conf_range(p, at, d, 1, 3600, "step", " seconds"))
			p->linkbad = 1;
		else
			x->step = (int)d;
	} else if (strcmp(k, "hosts") == 0 && n == 2) {
		if (link_int(p, at, w[1], 16, 1000000, "hosts",
		    &x->hosts) == -1)
			p->linkbad = 1;
	} else {
		perr(p, at, "unknown link setting \"%s\" (interface NAME, "
		    "filter BPF, speed S, congested PCT [for N], step T, "
		    "hosts N)", k);
		p->linkbad = 1;
	}
}

void
conf_link_end(struct parse *p, struct loc at)
{
	struct link_conf	*x = &p->link, *n;

	p->nlwords = 0;
	if (p->linkbad)
		return;
	if (x->interface[0] == '\0') {
		perr(p, at, "link \"%s\" has no interface", x->name);
		return;
	}
	if (p->conf->nlinks >= NP_MAX_LINKS) {
		perr(p, at, "more than %d links", NP_MAX_LINKS);
		return;
	}
	if ((n = malloc(sizeof(*n))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	*n = *x;
	TAILQ_INSERT_TAIL(&p->conf->links, n, entry);
	p->conf->nlinks++;
}
