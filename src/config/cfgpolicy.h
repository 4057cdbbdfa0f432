/*
 * cfgpolicy.h - compliance policies evaluated on a configuration's tree
 * (research note config-drift.md 3 and 5): "require" a line matching a
 * regex (in every section whose header matches another), "forbid" one,
 * and built-in checks where a regex is not enough (every vty line has an
 * access-class whose ACL exists, no default or weak SNMP community,
 * exec-timeout at most 10 minutes). Rules see the configuration as
 * fetched, secrets and all; the details they give are masked with the
 * normaliser's rules, so that no secret is ever stored or shown.
 */
#ifndef NP_CFGPOLICY_H
#define NP_CFGPOLICY_H

#include "conf.h"
#include "config/cfgnorm.h"
#include "config/cfgtree.h"

enum cfg_result { CFG_PASS = 0, CFG_FAIL = 1 };

struct cfg_policy_result {
	const char *policy;
	const char *rule; /* its text, else "require REGEX [section S]" */
	enum cfg_result result;
	char detail[256]; /* the line or section that failed, masked */
	unsigned line; /* of the configuration, 0: none */
};

typedef void (*cfg_policy_cb)(void *arg, const struct cfg_policy_result *);

struct cfg_policy;

/* PC compiled; NULL with ERR (a regex that does not compile). */
struct cfg_policy *cfg_policy_compile(const struct policy_conf *pc,
    char *err, size_t errlen);
void cfg_policy_free(struct cfg_policy *);
/*
 * Every rule of P on T (its platform's rules and KEY mask the details),
 * one result each, in order.
 */
void cfg_policy_eval(const struct cfg_policy *p, const struct cfg_tree *t,
    const struct cfg_rules *rs, const unsigned char *key, size_t keylen,
    cfg_policy_cb cb, void *arg);
/* "pass", "fail" */
const char *cfg_result_name(enum cfg_result);

#endif
