/*
 * conf_config.c - the configuration archive's statements: how each device's
 * configuration is fetched ("config fetch", "config platform", ... in a
 * device or template block) and the archive's own settings ("config keep",
 * "config max-versions", "config rule", ... at the top).
 */
#include "config.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"
#include "config/cfgplat.h"

static const char *const cfg_actions[] = {
	"drop", "ignore", "meta", "secret", "rewrite"
};

/* A block's "config fetch PATH ARG...": the list is in p->slist. */
void
conf_cfg_fetch(struct parse *p, struct loc at)
{
	struct cfgfetch_conf *c = &p->blk.cfg;

	if (p->slist_over || p->nslist > NP_FETCH_ARGS) {
		perr(p, at, "config fetch takes at most %d words",
		    NP_FETCH_ARGS);
		return;
	}
	if (p->nslist < 1 || p->slist[0][0] != '/') {
		perr(p, at, "config fetch needs a program given by its "
		    "absolute path (it is run with execve, no shell)");
		return;
	}
	for (int i = 0; i < p->nslist; i++)
		if (strlen(p->slist[i]) >= NP_STR_MAX) {
			perr(p, at, "config fetch argument too long (max %d "
			    "characters)", NP_STR_MAX - 1);
			return;
		}
	for (int i = 0; i < p->nslist; i++)
		if ((c->argv[i] = conf_str(p->conf, p->slist[i])) == NULL) {
			perr(p, at, "out of memory");
			return;
		}
	c->argc = p->nslist;
	c->set |= CF_FETCH;
}

void
conf_cfg_platform(struct parse *p, struct loc at, const char *name)
{
	int plat = cfg_platform_parse(name);

	if (plat < 0) {
		perr(p, at, "unknown config platform \"%s\" (ios, iosxe, "
		    "nxos, asa, eos, junos or auto)", name);
		return;
	}
	p->blk.cfg.platform = plat;
	p->blk.cfg.set |= CF_PLATFORM;
}

/* config interval|timeout|coalesce DURATION in a block */
void
conf_cfg_time(struct parse *p, struct loc at, unsigned what, const char *v)
{
	struct cfgfetch_conf *c = &p->blk.cfg;
	int64_t secs;

	switch (what) {
	case CF_INTERVAL:
		if (strcmp(v, "off") == 0) {
			c->interval = 0;
			break;
		}
		if (conf_duration(p, at, v, conf_u_seconds, "config interval",
		    &secs) == -1 || conf_range(p, at, secs, 60, 366 * 86400LL,
		    "config interval", " seconds") == -1)
			return;
		c->interval = (int)secs;
		break;
	case CF_TIMEOUT:
		if (conf_duration(p, at, v, conf_u_seconds, "config timeout",
		    &secs) == -1 || conf_range(p, at, secs, 1, 3600,
		    "config timeout", " seconds") == -1)
			return;
		c->timeout = (int)secs;
		break;
	case CF_COALESCE:
		if (conf_duration(p, at, v, conf_u_seconds, "config coalesce",
		    &secs) == -1 || conf_range(p, at, secs, 0, 86400,
		    "config coalesce", " seconds") == -1)
			return;
		c->coalesce = (int)secs;
		break;
	default:
		return;
	}
	c->set |= what;
}

/* config env NAME VALUE: for the fetch program, not on its command line */
void
conf_cfg_env(struct parse *p, struct loc at, const char *name,
    const char *value)
{
	struct cfgfetch_conf *c = &p->blk.cfg;
	const char *s;
	char buf[NP_STR_MAX + 8];

	if (*name == '\0' || !((*name >= 'A' && *name <= 'Z') ||
	    (*name >= 'a' && *name <= 'z') || *name == '_')) {
		perr(p, at, "invalid environment variable name \"%s\"", name);
		return;
	}
	for (s = name; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '_')) {
			perr(p, at, "invalid environment variable name "
			    "\"%s\"", name);
			return;
		}
	/* a template's entries are replaced by the block's own, as a whole */
	if (!(c->set & CF_ENV))
		c->nenv = 0;
	if (c->nenv >= NP_FETCH_ENV) {
		perr(p, at, "at most %d config env entries", NP_FETCH_ENV);
		return;
	}
	if ((size_t)snprintf(buf, sizeof(buf), "%s=%s", name, value) >=
	    NP_STR_MAX) {
		perr(p, at, "config env %s: too long", name);
		explicit_bzero(buf, sizeof(buf));
		return;
	}
	if ((c->env[c->nenv] = conf_str(p->conf, buf)) == NULL) {
		perr(p, at, "out of memory");
		explicit_bzero(buf, sizeof(buf));
		return;
	}
	c->nenv++;
	explicit_bzero(buf, sizeof(buf));
	c->set |= CF_ENV;
}

/* "use TEMPLATE": the template's archive settings */
void
conf_cfg_use(struct device_conf *d, const struct device_conf *t)
{
	const struct cfgfetch_conf *tc = &t->cfg;
	struct cfgfetch_conf *c = &d->cfg;

	if (tc->set & CF_FETCH) {
		memcpy(c->argv, tc->argv, sizeof(c->argv));
		c->argc = tc->argc;
	}
	if (tc->set & CF_ENV) {
		memcpy(c->env, tc->env, sizeof(c->env));
		c->nenv = tc->nenv;
	}
	if (tc->set & CF_PLATFORM)
		c->platform = tc->platform;
	if (tc->set & CF_INTERVAL)
		c->interval = tc->interval;
	if (tc->set & CF_TIMEOUT)
		c->timeout = tc->timeout;
	if (tc->set & CF_COALESCE)
		c->coalesce = tc->coalesce;
	/* inherited, not the device's own: its own "config env" replaces */
	c->set |= tc->set & ~CF_ENV;
}

void
conf_cfg_defaults(struct cfgfetch_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->interval = 86400;
	c->timeout = 120;
	c->coalesce = 30;
}

/* config rule [platform P] ACTION "REGEX" ["REPLACEMENT"] */
void
conf_cfg_rule(struct parse *p, struct loc at, const char *platform,
    const char *action, const char *regex, const char *repl)
{
	struct cfgrule_conf *r;
	regex_t re;
	char msg[128];
	size_t i;
	int plat = 0, rc;

	if (platform != NULL && ((plat = cfg_platform_parse(platform)) < 0 ||
	    plat == CFG_PLAT_AUTO)) {
		perr(p, at, "unknown config platform \"%s\" (ios, iosxe, "
		    "nxos, asa, eos or junos)", platform);
		return;
	}
	for (i = 0; i < sizeof(cfg_actions) / sizeof(cfg_actions[0]); i++)
		if (strcmp(action, cfg_actions[i]) == 0)
			break;
	if (i == sizeof(cfg_actions) / sizeof(cfg_actions[0])) {
		perr(p, at, "unknown config rule action \"%s\" (drop, "
		    "ignore, meta, secret or rewrite)", action);
		return;
	}
	if ((strcmp(action, "rewrite") == 0) != (repl != NULL)) {
		perr(p, at, repl ? "only a rewrite rule takes a replacement" :
		    "a rewrite rule needs a replacement");
		return;
	}
	if ((rc = conf_regcomp(&re, regex, REG_EXTENDED, msg,
	         sizeof(msg))) != 0) {
		perr(p, at, "config rule: bad regular expression \"%s\": %s",
		    regex, msg);
		return;
	}
	regfree(&re);
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	r->platform = plat;
	snprintf(r->action, sizeof(r->action), "%s", action);
	r->line = at.line;
	if (conf_setstr(p, at, r->regex, sizeof(r->regex), regex,
	    "config rule regular expression") == -1 ||
	    (repl && conf_setstr(p, at, r->repl, sizeof(r->repl), repl,
	    "config rule replacement") == -1) ||
	    conf_setstr(p, at, r->file, sizeof(r->file), at.file,
	    "file name") == -1) {
		free(r);
		return;
	}
	r->has_repl = repl != NULL;
	TAILQ_INSERT_TAIL(&p->conf->cfg_rules, r, entry);
}

/* The archive's top-level settings (config keep, max-versions, ...). */
void
conf_cfg_top(struct parse *p, struct loc at, int what, const char *v,
    int64_t n, int frac)
{
	int64_t	 x;

	if (what == CT_KEEP && conf_duration(p, at, v, conf_u_days,
	    "config keep", &x) == 0 && conf_range(p, at, x, 0, 36500,
	    "config keep", " days") == 0)
		p->conf->cfg_keep_days = x;
	else if (what == CT_MAXVERSIONS && conf_irange(p, at, n, frac, 2,
	    1000000, "config max-versions", "") == 0)
		p->conf->cfg_max_versions = n;
	else if (what == CT_MAXINFLIGHT && conf_irange(p, at, n, frac, 1, 256,
	    "config max-inflight", "") == 0)
		p->conf->cfg_max_inflight = n;
	else if (what == CT_MAXSIZE && conf_bytesize(p, at, v,
	    "config max-size", &x) == 0) {
		if (x < 64 * 1024 || x > 1024 * MEGA)
			perr(p, at, "config max-size must be between 64K and 1G");
		else
			p->conf->cfg_max_size = x;
	}
}

