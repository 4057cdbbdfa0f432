/*
 * conf_syslog.c - the configuration's syslog rules: "syslog rule" with its
 * options (device, facility, level, mnemonic, match) and what it makes of
 * a matching message (kind, severity, key, text).
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

/* syslog's facility and severity keywords (RFC 5424 6.2.1, and aliases) */
static const char *const sl_facilities[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6",
	"local7"
};

static const struct {
	const char	*name;
	int		 level;
} sl_levels[] = {
	{ "emerg", 0 }, { "emergency", 0 }, { "panic", 0 }, { "alert", 1 },
	{ "crit", 2 }, { "critical", 2 }, { "err", 3 }, { "error", 3 },
	{ "warning", 4 }, { "warn", 4 }, { "notice", 5 }, { "info", 6 },
	{ "informational", 6 }, { "debug", 7 }
};

void
srule_start(struct parse *p)
{
	memset(&p->srule, 0, sizeof(p->srule));
	p->sruleset = 0;
	p->srulebad = 0;
	p->srule.facility = -1;
	p->srule.level = -1;
	p->srule.severity = 1;	/* warning */
}

void
srule_opt(struct parse *p, struct loc at, unsigned opt, const char *v)
{
	struct syslog_rule	*r = &p->srule;
	regex_t			 re;
	char			 msg[128];
	size_t			 i;
	int			 rc;

	if (p->srulebad)
		return;
	if (p->sruleset & opt) {
		perr(p, at, "syslog rule: an option is given twice");
		p->srulebad = 1;
		return;
	}
	p->sruleset |= opt;
	switch (opt) {
	case SO_DEVICE:
		if (conf_setstr(p, at, r->device, sizeof(r->device), v,
		    "device") == -1)
			p->srulebad = 1;
		break;
	case SO_FACILITY:
		for (i = 0; i < sizeof(sl_facilities) /
		    sizeof(sl_facilities[0]); i++)
			if (strcasecmp(v, sl_facilities[i]) == 0)
				r->facility = (int)i;
		if (r->facility < 0) {
			perr(p, at, "syslog rule: unknown facility \"%s\" "
			    "(kern, user, ..., local0-local7)", v);
			p->srulebad = 1;
		}
		break;
	case SO_LEVEL:
		for (i = 0; i < sizeof(sl_levels) / sizeof(sl_levels[0]); i++)
			if (strcasecmp(v, sl_levels[i].name) == 0)
				r->level = sl_levels[i].level;
		if (r->level < 0) {
			perr(p, at, "syslog rule: unknown level \"%s\" "
			    "(emerg, alert, crit, err, warning, notice, info, "
			    "debug)", v);
			p->srulebad = 1;
		}
		break;
	case SO_MNEMONIC:
		if (*v == '\0' || conf_setstr(p, at, r->mnemonic,
		    sizeof(r->mnemonic), *v == '%' ? v + 1 : v,
		    "mnemonic") == -1) {
			if (*v == '\0')
				perr(p, at, "syslog rule: empty mnemonic");
			p->srulebad = 1;
		}
		break;
	case SO_MATCH:
		if ((rc = conf_regcomp(&re, v, REG_EXTENDED, msg,
		         sizeof(msg))) != 0) {
			perr(p, at, "syslog rule: bad regular expression "
			    "\"%s\": %s", v, msg);
			p->srulebad = 1;
			return;
		}
		regfree(&re);
		if (conf_setstr(p, at, r->regex, sizeof(r->regex), v,
		    "match") == -1)
			p->srulebad = 1;
		break;
	case SO_KIND:
		for (i = 0; v[i]; i++)
			if (!isalnum((unsigned char)v[i]) &&
			    strchr("._-", v[i]) == NULL)
				break;
		if (i == 0 || v[i] != '\0') {
			perr(p, at, "syslog rule: kind \"%s\" must be letters, "
			    "digits, '.', '_' or '-'", v);
			p->srulebad = 1;
			return;
		}
		if (conf_setstr(p, at, r->kind, sizeof(r->kind), v,
		    "kind") == -1)
			p->srulebad = 1;
		break;
	case SO_SEVERITY:
		for (i = 0; i < sizeof(conf_severities) /
		    sizeof(conf_severities[0]); i++)
			if (strcasecmp(v, conf_severities[i]) == 0)
				break;
		if (i == sizeof(conf_severities) / sizeof(conf_severities[0])) {
			perr(p, at, "syslog rule: unknown severity \"%s\" "
			    "(info, warning, minor, major or critical)", v);
			p->srulebad = 1;
			return;
		}
		r->severity = (int)i;
		break;
	case SO_KEY:
		if (*v == '\0' || conf_setstr(p, at, r->key, sizeof(r->key), v,
		    "key") == -1) {
			if (*v == '\0')
				perr(p, at, "syslog rule: key must not be "
				    "empty");
			p->srulebad = 1;
		}
		break;
	case SO_TEXT:
		if (conf_setstr(p, at, r->text, sizeof(r->text), v,
		    "text") == -1)
			p->srulebad = 1;
		break;
	}
}

void
srule_finish(struct parse *p, struct loc at)
{
	struct syslog_rule	*r;

	if (p->srulebad)
		return;
	if (!(p->sruleset & SO_KIND)) {
		perr(p, at, "syslog rule needs a kind");
		return;
	}
	if (!(p->sruleset & (SO_DEVICE | SO_FACILITY | SO_LEVEL |
	    SO_MNEMONIC | SO_MATCH))) {
		perr(p, at, "syslog rule needs a condition (device, facility, "
		    "level, mnemonic or match)");
		return;
	}
	if ((r = malloc(sizeof(*r))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	*r = p->srule;
	(void)snprintf(r->file, sizeof(r->file), "%s", at.file);
	r->line = at.line;
	TAILQ_INSERT_TAIL(&p->conf->syslog_rules, r, entry);
}

/*
 * The top-level "syslog" rate settings (parse.y): WHICH, with N per S
 * (FRAC: N had a fraction), or "off" in S.
 */
void
conf_syslog_top(struct parse *p, struct loc at, int which, const char *s,
    int64_t n, int frac)
{
	struct config	*c = p->conf;

	switch (which) {
	case SY_RATELIMIT:
		conf_set_pair(p, at, n, frac, s, 1, 100000000,
		    "syslog ratelimit", &c->syslog_rl_burst,
		    &c->syslog_rl_secs);
		break;
	case SY_RLOFF:
		if (strcmp(s, "off") == 0)
			c->syslog_rl_burst = c->syslog_rl_secs = 0;
		else
			perr(p, at, "syslog ratelimit takes \"N per DURATION\" "
			    "or \"off\"");
		break;
	case SY_LOGINF:
		conf_set_pair(p, at, n, frac, s, 2, 100000,
		    "syslog login-failures", &c->syslog_login_count,
		    &c->syslog_login_secs);
		break;
	}
}
