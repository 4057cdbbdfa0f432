/*
 * conf_trap.c - the configuration's trap receiver: the accepted
 * communities ("trap community") and v3 users ("trap user"), the storm
 * bound ("trap storm") and the trap rules ("trap rule OID ...").
 */
#include "config.h"

#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_int.h"

void
conf_trap_community_add(struct parse *p, struct loc at, const char *s)
{
	struct trap_community	*tc;

	if (*s == '\0') {
		perr(p, at, "community must not be empty");
		return;
	}
	TAILQ_FOREACH(tc, &p->conf->trap_communities, entry)
		if (strcmp(tc->community, s) == 0)
			return;
	if ((tc = calloc(1, sizeof(*tc))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	if (conf_setstr(p, at, tc->community, sizeof(tc->community), s,
	    "community") == -1) {
		free(tc);
		return;
	}
	TAILQ_INSERT_TAIL(&p->conf->trap_communities, tc, entry);
}

void
conf_trap_user_add(struct parse *p, struct loc at)
{
	struct trap_user	*tu;

	if (cred_finish(p, at) == -1)
		return;
	TAILQ_FOREACH(tu, &p->conf->trap_users, entry) {
		if (strcmp(tu->cred.user, p->cred.user) == 0) {
			perr(p, at, "trap user \"%s\" defined twice",
			    p->cred.user);
			return;
		}
	}
	if ((tu = calloc(1, sizeof(*tu))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	tu->cred = p->cred;
	TAILQ_INSERT_TAIL(&p->conf->trap_users, tu, entry);
}

/* "trap storm COUNT per DURATION": a sender over it is folded. */
void
conf_trap_storm(struct parse *p, struct loc at, int64_t count, int frac,
    const char *window)
{
	int64_t	 secs;

	if (conf_irange(p, at, count, frac, 1, 10000000, "trap storm", "") ||
	    conf_duration(p, at, window, conf_u_seconds, "trap storm window",
	    &secs) ||
	    conf_range(p, at, secs, 1, 86400, "trap storm window", " seconds"))
		return;
	p->conf->trap_storm_count = (int)count;
	p->conf->trap_storm_secs = (int)secs;
}

/*
 * A trap OID as written in a rule: numeric (a leading dot allowed), or a
 * MIB name (IF-MIB::linkDown, linkDown) that the listener resolves.
 */
static int
trap_oid_ok(const char *s)
{
	const char	*q = s + (*s == '.');
	int		 dots = 0;

	if (*q == '\0')
		return (0);
	if (isdigit((unsigned char)*q)) {
		for (; *q; q++) {
			if (*q == '.') {
				if (q[1] == '.' || q[1] == '\0')
					return (0);
				dots++;
			} else if (!isdigit((unsigned char)*q))
				return (0);
		}
		return (dots >= 1);
	}
	for (; *q; q++)
		if (!isalnum((unsigned char)*q) && strchr(":-_.", *q) == NULL)
			return (0);
	return (1);
}


void
trule_start(struct parse *p, struct loc at, const char *oid)
{
	memset(&p->rule, 0, sizeof(p->rule));
	p->ruleset = 0;
	p->rulebad = 0;
	p->rule.severity = 1;	/* warning */
	if (!trap_oid_ok(oid)) {
		perr(p, at, "trap rule: \"%s\" is not an OID "
		    "(1.3.6.1.4.1.9.9.43.2.0.1, or a MIB name)", oid);
		p->rulebad = 1;
		return;
	}
	if (conf_setstr(p, at, p->rule.oid, sizeof(p->rule.oid), oid,
	    "trap rule OID") == -1)
		p->rulebad = 1;
	(void)snprintf(p->rule.file, sizeof(p->rule.file), "%s", at.file);
	p->rule.line = at.line;
}

void
trule_opt(struct parse *p, struct loc at, unsigned opt, const char *a,
    const char *b)
{
	struct trap_rule	*r = &p->rule;
	regex_t			 re;
	char			 msg[128];
	int			 rc;
	size_t			 i;

	if (p->rulebad)
		return;
	if (opt != RO_MATCH && (p->ruleset & opt)) {
		perr(p, at, "trap rule: an option is given twice");
		p->rulebad = 1;
		return;
	}
	p->ruleset |= opt;
	switch (opt) {
	case RO_MATCH:
		if (r->nmatch == NP_MAX_TRAP_MATCH) {
			perr(p, at, "trap rule: more than %d matches",
			    NP_MAX_TRAP_MATCH);
			p->rulebad = 1;
			return;
		}
		if (!trap_oid_ok(a)) {
			perr(p, at, "trap rule: match \"%s\" is not an OID",
			    a);
			p->rulebad = 1;
			return;
		}
		if ((rc = conf_regcomp(&re, b, REG_EXTENDED | REG_NOSUB, msg,
		         sizeof(msg))) != 0) {
			perr(p, at, "trap rule: bad regular expression "
			    "\"%s\": %s", b, msg);
			p->rulebad = 1;
			return;
		}
		regfree(&re);
		if (conf_setstr(p, at, r->match[r->nmatch].oid,
		    sizeof(r->match[0].oid), a, "match OID") == -1 ||
		    conf_setstr(p, at, r->match[r->nmatch].regex,
		    sizeof(r->match[0].regex), b, "match") == -1) {
			p->rulebad = 1;
			return;
		}
		r->nmatch++;
		break;
	case RO_KIND:
		for (i = 0; b[i]; i++)
			if (!isalnum((unsigned char)b[i]) &&
			    strchr("._-", b[i]) == NULL)
				break;
		if (i == 0 || b[i] != '\0') {
			perr(p, at, "trap rule: kind \"%s\" must be letters, "
			    "digits, '.', '_' or '-'", b);
			p->rulebad = 1;
			return;
		}
		if (conf_setstr(p, at, r->kind, sizeof(r->kind), b,
		    "kind") == -1)
			p->rulebad = 1;
		break;
	case RO_SEVERITY:
		for (i = 0; i < sizeof(conf_severities) /
		    sizeof(conf_severities[0]); i++)
			if (strcasecmp(b, conf_severities[i]) == 0)
				break;
		if (i == sizeof(conf_severities) / sizeof(conf_severities[0])) {
			perr(p, at, "trap rule: unknown severity \"%s\" (info, "
			    "warning, minor, major or critical)", b);
			p->rulebad = 1;
			return;
		}
		r->severity = (int)i;
		break;
	case RO_KEY:
		if (*b == '\0' || conf_setstr(p, at, r->key, sizeof(r->key), b,
		    "key") == -1) {
			if (*b == '\0')
				perr(p, at, "trap rule: key must not be empty");
			p->rulebad = 1;
		}
		break;
	case RO_TEXT:
		if (conf_setstr(p, at, r->text, sizeof(r->text), b,
		    "text") == -1)
			p->rulebad = 1;
		break;
	}
}

void
trule_finish(struct parse *p, struct loc at)
{
	struct trap_rule	*r;

	if (p->rulebad)
		return;
	if (!(p->ruleset & RO_KIND)) {
		perr(p, at, "trap rule %s needs a kind", p->rule.oid);
		return;
	}
	if ((r = malloc(sizeof(*r))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	*r = p->rule;
	TAILQ_INSERT_TAIL(&p->conf->trap_rules, r, entry);
}
