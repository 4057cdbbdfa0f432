/*
 * conf_policy.c - compliance policies: "policy NAME { require|forbid
 * REGEX [section REGEX] [text TEXT]; check NAME [text TEXT] }" at the
 * top, and "policy NAME" in a device or template block to apply one.
 */
#include "config.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

/* the built-in checks ("check NAME") */
static const char *const checks[] = {
	"vty-access-class", "weak-community", "exec-timeout", NULL
};

void
conf_policy_start(struct parse *p, struct loc at, const char *name)
{
	struct policy_conf *pc;

	p->inpolicy = 1;
	p->pol = NULL;
	if (*name == '\0') {
		perr(p, at, "policy name must not be empty");
		return;
	}
	TAILQ_FOREACH(pc, &p->conf->policies, entry)
		if (strcmp(pc->name, name) == 0) {
			perr(p, at, "policy \"%s\" defined twice", name);
			return;
		}
	if ((pc = calloc(1, sizeof(*pc))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	if (conf_setstr(p, at, pc->name, sizeof(pc->name), name,
	    "policy name") == -1 || conf_setstr(p, at, pc->file,
	    sizeof(pc->file), at.file, "file name") == -1) {
		free(pc);
		return;
	}
	pc->line = at.line;
	TAILQ_INSERT_TAIL(&p->conf->policies, pc, entry);
	p->pol = pc;
}

void
conf_policy_end(struct parse *p)
{
	p->inpolicy = 0;
	p->pol = NULL;
}

static int
re_ok(struct parse *p, struct loc at, const char *re, const char *what)
{
	regex_t r;
	int rc;

	if ((rc = regcomp(&r, re, REG_EXTENDED | REG_NOSUB)) != 0) {
		char msg[128];

		regerror(rc, &r, msg, sizeof(msg));
		perr(p, at, "%s: bad regular expression \"%s\": %s", what, re,
		    msg);
		return 0;
	}
	regfree(&r);
	return 1;
}

/* a rule, with the section and text of p->slist-free options */
void
conf_policy_rule(struct parse *p, struct loc at, int kind, const char *what,
    const char *section, const char *text)
{
	struct policy_conf *pc = p->pol;
	struct policy_rule *r;

	if (pc == NULL)
		return; /* the policy's header was refused */
	if (kind == POL_CHECK) {
		int i;

		for (i = 0; checks[i]; i++)
			if (strcmp(what, checks[i]) == 0)
				break;
		if (checks[i] == NULL) {
			perr(p, at, "unknown check \"%s\" (vty-access-class, "
			    "weak-community or exec-timeout)", what);
			return;
		}
		if (section) {
			perr(p, at, "a check takes no section");
			return;
		}
	} else if (!re_ok(p, at, what, kind == POL_REQUIRE ? "require" :
	    "forbid") || (section && !re_ok(p, at, section, "section")))
		return;
	if (pc->nrules >= NP_POLICY_RULES) {
		perr(p, at, "policy \"%s\": at most %d rules", pc->name,
		    NP_POLICY_RULES);
		return;
	}
	if (pc->nrules % 16 == 0) {
		struct policy_rule *nr = realloc(pc->rules,
		    (size_t)(pc->nrules + 16) * sizeof(*nr));

		if (nr == NULL) {
			perr(p, at, "out of memory");
			return;
		}
		pc->rules = nr;
	}
	r = &pc->rules[pc->nrules];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->line = at.line;
	if (conf_setstr(p, at, r->regex, sizeof(r->regex), what,
	    "policy rule") == -1 || (section && conf_setstr(p, at,
	    r->section, sizeof(r->section), section, "section") == -1) ||
	    (text && conf_setstr(p, at, r->text, sizeof(r->text), text,
	    "text") == -1))
		return;
	pc->nrules++;
}

/* "policy NAME" in a device or template block */
void
conf_policy_apply(struct parse *p, struct loc at, const char *name)
{
	struct device_conf *d = &p->blk;

	for (int i = 0; i < d->npolicies; i++)
		if (strcmp(d->policies[i], name) == 0)
			return;
	if (d->npolicies >= NP_DEV_POLICIES) {
		perr(p, at, "at most %d policies per device", NP_DEV_POLICIES);
		return;
	}
	if (conf_setstr(p, at, d->policies[d->npolicies],
	    sizeof(d->policies[0]), name, "policy name") == 0)
		d->npolicies++;
}

/* "use": the template's policies too */
void
conf_policy_use(struct device_conf *d, const struct device_conf *t)
{
	for (int i = 0; i < t->npolicies; i++) {
		int k;

		for (k = 0; k < d->npolicies; k++)
			if (strcmp(d->policies[k], t->policies[i]) == 0)
				break;
		if (k == d->npolicies && d->npolicies < NP_DEV_POLICIES)
			memcpy(d->policies[d->npolicies++], t->policies[i],
			    sizeof(d->policies[0]));
	}
}

/* at the end: every policy a device names exists */
void
conf_policy_check(struct parse *p)
{
	struct device_conf *d;
	struct policy_conf *pc;

	TAILQ_FOREACH(d, &p->conf->devices, entry)
		for (int i = 0; i < d->npolicies; i++) {
			TAILQ_FOREACH(pc, &p->conf->policies, entry)
				if (strcmp(pc->name, d->policies[i]) == 0)
					break;
			if (pc == NULL) {
				struct loc at = {d->file, d->line};

				perr(p, at, "device \"%s\": policy \"%s\" is "
				    "not defined", d->name, d->policies[i]);
			}
		}
}
