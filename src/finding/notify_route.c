/*
 * notify_route.c - which targets a change of a finding goes to: the
 * filters of each target, the targets that already have the finding
 * (they hear of its severity changes and its resolution, as a NOC tool
 * notifies everyone involved), and the targets reached only by
 * escalation. Pure: no I/O, no clock; notify.c does the rest.
 */
#include "config.h"

#include <fnmatch.h>
#include <string.h>

#include "notify_int.h"

void
nroute_build(struct nroute *r, const struct notify_conf *const *t, int n)
{
	int i, j;

	memset(r, 0, sizeof(*r));
	r->n = n > NP_MAX_NOTIFY ? NP_MAX_NOTIFY : n;
	for (i = 0; i < r->n; i++) {
		r->t[i] = t[i];
		r->esc[i] = -1;
	}
	for (i = 0; i < r->n; i++) {
		if (r->t[i]->escalate_secs == 0)
			continue;
		for (j = 0; j < r->n; j++)
			if (j != i &&
			    strcmp(r->t[j]->name, r->t[i]->escalate_to) == 0)
				r->esc[i] = j;
	}
}

const char *
nroute_skip(const struct finding *f)
{
	if (f->flapping)
		return "flapping";
	if (f->suppressed)
		return "suppressed";
	if (f->consequence_of != 0)
		return "consequence";
	return NULL;
}

static int
nroute_globs(const char (*globs)[NP_NAME_MAX], int n, const char *s)
{
	int i;

	if (n == 0)
		return 1;
	for (i = 0; i < n; i++)
		if (fnmatch(globs[i], s, 0) == 0)
			return 1;
	return 0;
}

static int
nroute_kinds(const char (*globs)[40], int n, const char *s)
{
	int i;

	if (n == 0)
		return 1;
	for (i = 0; i < n; i++)
		if (fnmatch(globs[i], s, 0) == 0)
			return 1;
	return 0;
}

int
nroute_match(const struct notify_conf *c, const struct finding *f)
{
	if ((int)f->severity < c->severity)
		return 0;
	if (c->roles != 0 &&
	    ((unsigned)f->role > 31 || !(c->roles & (1u << (unsigned)f->role))))
		return 0;
	return nroute_globs(c->devices, c->ndevices, f->device) &&
	    nroute_kinds(c->kinds, c->nkinds, f->kind);
}

/* The targets a finding reaches by itself: filters, not escalation. */
static uint64_t
nroute_entry(const struct nroute *r, const struct finding *f)
{
	uint64_t set = 0;
	int i;

	for (i = 0; i < r->n; i++)
		if (!r->t[i]->escalation_only && nroute_match(r->t[i], f))
			set |= (uint64_t)1 << i;
	return set;
}

void
nroute_change(const struct nroute *r, const struct finding *f,
    enum finding_change change, int known, uint64_t engaged, struct nplan *p)
{
	uint64_t entry, mask;

	memset(p, 0, sizeof(*p));
	mask = r->n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << r->n) - 1;
	engaged &= mask;
	p->engaged = known ? engaged : 0;
	if (nroute_skip(f) != NULL) {
		/* nothing goes out; its escalation stops */
		p->cancel = 1;
		return;
	}
	entry = nroute_entry(r, f);
	switch (change) {
	case FC_OPEN:
		/* opened or reopened: a fresh start */
		p->cancel = 1;
		p->send = p->engaged = p->arm = entry;
		break;
	case FC_SEVERITY:
		/* those that have it, and those its new severity takes */
		p->arm = entry & ~p->engaged;
		p->send = p->engaged = p->engaged | entry;
		break;
	case FC_ESCALATE:
		/* the findings engine's own escalation (a deadline passed) */
		p->send = known ? p->engaged : entry;
		p->engaged |= p->send;
		break;
	case FC_RESOLVE:
		p->send = known ? p->engaged : entry;
		p->cancel = 1;
		p->forget = 1;
		p->engaged = 0;
		break;
	}
	/* escalation is for findings nobody has taken yet */
	if (f->state != FS_OPEN) {
		p->arm = 0;
		p->cancel = 1;
	}
}

int
nroute_backoff(int tries)
{
	if (tries < 1)
		return 1;
	if (tries > 9)
		return 300;
	return (1 << (tries - 1)) > 300 ? 300 : 1 << (tries - 1);
}
