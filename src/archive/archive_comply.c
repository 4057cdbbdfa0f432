/*
 * archive_comply.c - compliance: after every good fetch, the policies a
 * device names are evaluated on its configuration as fetched (secrets
 * and all: "snmp-server community public" is caught), and only the
 * results are stored, their details masked. A rule that fails is a
 * config.compliance finding (security), resolved by config.compliant
 * when it passes again.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_int.h"
#include "config/cfgpolicy.h"
#include "config/cfgtree.h"

struct comply {
	struct arch_dev *d;
	struct store_cfgcheck *c;
	size_t n, cap;
};

static void
comply_one(void *arg, const struct cfg_policy_result *r)
{
	struct comply *x = arg;
	struct arch_dev *d = x->d;
	struct store_cfgcheck *c;
	char key[NP_STR_MAX];
	void *prev;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 32;
		void *p = realloc(x->c, cap * sizeof(*x->c));

		if (p == NULL)
			return;
		x->c = p;
		x->cap = cap;
	}
	c = &x->c[x->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->device, sizeof(c->device), "%s", d->name);
	snprintf(c->policy, sizeof(c->policy), "%s", r->policy);
	snprintf(c->rule, sizeof(c->rule), "%s", r->rule);
	c->result = r->result;
	snprintf(c->detail, sizeof(c->detail), "%s", r->detail);
	c->line = (int)r->line;
	c->version = d->has_last ? d->last.version : 0;
	c->time = arch_now();
	/* a finding per rule: its key names the policy and the rule */
	snprintf(key, sizeof(key), "compliance:%s:%.180s", r->policy, r->rule);
	prev = hmap_get(&d->checks, key);
	if (r->result == CFG_FAIL && prev != (void *)2)
		arch_emit(d->a, d->name, "config.compliance", key, SEV_WARNING,
		    "policy %s: %s: %s", r->policy, r->rule, r->detail);
	else if (r->result == CFG_PASS && prev == (void *)2)
		arch_emit(d->a, d->name, "config.compliant", key, SEV_INFO,
		    "policy %s: %s passes again: %s", r->policy, r->rule,
		    r->detail);
	if (prev == NULL) {
		char *k = strdup(key);

		if (k == NULL || hmap_put(&d->checks, k, (void *)(uintptr_t)
		    (r->result == CFG_FAIL ? 2 : 1)) == -1)
			free(k);
	} else {
		/* the key stays; only the value changes */
		const char *k = NULL;

		for (size_t i = 0; i < d->checks.cap; i++)
			if (d->checks.slots[i].hash &&
			    d->checks.slots[i].skey &&
			    strcmp(d->checks.slots[i].skey, key) == 0) {
				k = d->checks.slots[i].skey;
				d->checks.slots[i].value = (void *)(uintptr_t)
				    (r->result == CFG_FAIL ? 2 : 1);
			}
		(void)k;
	}
}

static int
comply_load(void *arg, const struct store_cfgcheck *c)
{
	struct arch_dev *d = arg;
	char key[NP_STR_MAX], *k;

	snprintf(key, sizeof(key), "compliance:%s:%.180s", c->policy, c->rule);
	if (hmap_get(&d->checks, key) == NULL && (k = strdup(key)) != NULL &&
	    hmap_put(&d->checks, k, (void *)(uintptr_t)(c->result ? 2 : 1)) ==
	    -1)
		free(k);
	return 0;
}

void
arch_comply(struct arch_dev *d, const char *text, size_t len,
    enum cfg_platform plat)
{
	struct archive *a = d->a;
	struct comply x = {d, NULL, 0, 0};
	struct cfg_tree *t;
	char err[256];

	if (d->npolicies == 0)
		return;
	if (!d->checks_loaded && a->ro) {
		d->checks_loaded = 1;
		store_get_cfgchecks(a->ro, d->name, comply_load, d);
	}
	if ((t = cfg_tree_parse(plat, text, len, err, sizeof(err))) == NULL) {
		log_warnx("config archive: %s: compliance not checked: %s",
		    d->name, err);
		return;
	}
	for (int i = 0; i < d->npolicies; i++)
		for (int k = 0; k < a->npols; k++)
			if (strcmp(a->pols[k].name, d->policies[i]) == 0)
				cfg_policy_eval(a->pols[k].p, t, a->rules, a->key,
				    sizeof(a->key), comply_one, &x);
	cfg_tree_free(t);
	if (store_put_cfgchecks(a->store, d->name, x.c, x.n) == -1) {
		a->store_dropped++;
		complain(&a->c_store, LOG_L_WARN, "config archive: compliance "
		    "of %s not stored, store queue full", d->name);
	}
	a->evaluations++;
	free(x.c);
}

/* The configuration's policies compiled (start and reload). */
int
arch_policies(struct archive *a, const struct config *c, char *err,
    size_t errlen)
{
	struct policy_conf *pc;
	int n = 0;

	for (int i = 0; i < a->npols; i++)
		cfg_policy_free(a->pols[i].p);
	free(a->pols);
	a->pols = NULL;
	a->npols = 0;
	TAILQ_FOREACH(pc, &c->policies, entry)
		n++;
	if (n == 0)
		return 0;
	if ((a->pols = calloc((size_t)n, sizeof(*a->pols))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	TAILQ_FOREACH(pc, &c->policies, entry) {
		snprintf(a->pols[a->npols].name, sizeof(a->pols[0].name), "%s",
		    pc->name);
		if ((a->pols[a->npols].p = cfg_policy_compile(pc, err,
		    errlen)) == NULL)
			return -1;
		a->npols++;
	}
	return 0;
}
