/*
 * acl.c - the ACL model: building, evaluation, unreachable lines with
 * blocking lines (Batfish approach D), comparison of two versions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/acl_int.h"

int acl_parse_refs(struct acl_config *, const struct cfg_node *root);

int
acl_toks(struct acl_toks *tk, const char *text, size_t len)
{
	char *p;

	tk->n = 0;
	if (len >= sizeof(tk->buf))
		return -1;
	memcpy(tk->buf, text, len);
	tk->buf[len] = '\0';
	p = tk->buf;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (tk->n >= ACL_TOKENS)
			return -1;
		tk->t[tk->n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return 0;
}

static char *
dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

#define PUSH(arr, n, cap) do {						\
	if ((n) >= ACL_MAX_ITEMS) return 0;				\
	if ((n) == (cap)) {						\
		size_t c_ = (cap) ? (cap) * 2 : 16;			\
		void *p_ = realloc((arr), c_ * sizeof(*(arr)));		\
		if (p_ == NULL) return -1;				\
		(arr) = p_;						\
		(cap) = c_;						\
	}								\
} while (0)

struct acl *
acl_new(struct acl_config *c, const char *name, size_t len, unsigned lineno)
{
	struct acl *a;

	if (c->nacl >= ACL_MAX_ITEMS)
		return NULL;
	if (c->nacl == c->capacl) {
		size_t cap = c->capacl ? c->capacl * 2 : 16;
		void *p = realloc(c->acl, cap * sizeof(*c->acl));

		if (p == NULL)
			return NULL;
		c->acl = p;
		c->capacl = cap;
	}
	a = &c->acl[c->nacl];
	memset(a, 0, sizeof(*a));
	if ((a->name = dupn(name, len)) == NULL)
		return NULL;
	a->lineno = lineno;
	c->nacl++;
	return a;
}

int
acl_entry_add(struct acl *a, int action, struct acl_set *match,
    const struct cfg_node *n, long seq)
{
	struct acl_entry *e;

	PUSH(a->e, a->n, a->cap);
	e = &a->e[a->n];
	memset(e, 0, sizeof(*e));
	if ((e->text = dupn(n->text, n->len)) == NULL)
		return -1;
	e->action = action;
	e->match = *match; /* taken */
	aclset_init(match);
	e->lineno = n->lineno;
	e->seq = seq;
	if (e->match.overflow) {
		a->unanalysed = 1;
		snprintf(a->why, sizeof(a->why), "line %u: too many boxes",
		    n->lineno);
	}
	a->n++;
	return 0;
}

int
acl_note(struct acl_config *c, const struct cfg_node *n, const char *msg)
{
	struct acl_note *w;

	PUSH(c->warn, c->nwarn, c->capwarn);
	w = &c->warn[c->nwarn];
	w->lineno = n->lineno;
	w->text = dupn(n->text, n->len > 512 ? 512 : n->len);
	w->msg = strdup(msg);
	if (w->text == NULL || w->msg == NULL) {
		free(w->text);
		free(w->msg);
		return -1;
	}
	c->nwarn++;
	return 0;
}

int
acl_ref_add(struct acl_config *c, const char *kind, const char *name,
    const char *where, int binding, const struct cfg_node *n)
{
	struct acl_ref *r;

	PUSH(c->ref, c->nref, c->capref);
	r = &c->ref[c->nref];
	memset(r, 0, sizeof(*r));
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	r->name = strdup(name);
	r->where = strdup(where);
	r->text = dupn(n->text, n->len > 512 ? 512 : n->len);
	r->binding = binding;
	r->lineno = n->lineno;
	if (r->name == NULL || r->where == NULL || r->text == NULL) {
		free(r->name);
		free(r->where);
		free(r->text);
		return -1;
	}
	c->nref++;
	return 0;
}

int
acl_def_add(struct acl_config *c, const char *kind, const char *name)
{
	char buf[320];

	snprintf(buf, sizeof(buf), "%s %s", kind, name);
	if (acl_config_defined(c, kind, name))
		return 0;
	PUSH(c->defined, c->ndef, c->capdef);
	if ((c->defined[c->ndef] = strdup(buf)) == NULL)
		return -1;
	c->ndef++;
	return 0;
}

int
acl_config_defined(const struct acl_config *c, const char *kind,
    const char *name)
{
	size_t kl = strlen(kind);

	if (strcmp(kind, "acl") == 0)
		return acl_config_find(c, name) != NULL;
	if (strcmp(kind, "object-group") == 0)
		return acl_obj_find(c, name) != NULL;
	for (size_t i = 0; i < c->ndef; i++)
		if (strncmp(c->defined[i], kind, kl) == 0 &&
		    c->defined[i][kl] == ' ' &&
		    strcmp(c->defined[i] + kl + 1, name) == 0)
			return 1;
	return 0;
}

const struct acl *
acl_config_find(const struct acl_config *c, const char *name)
{
	for (size_t i = 0; i < c->nacl; i++)
		if (strcmp(c->acl[i].name, name) == 0)
			return &c->acl[i];
	return NULL;
}

struct acl_config *
acl_config_build(const struct cfg_tree *t)
{
	struct acl_config *c = calloc(1, sizeof(*c));
	const struct cfg_node *root = cfg_tree_root(t);
	int rc;

	if (c == NULL)
		return NULL;
	c->plat = cfg_tree_platform(t);
	if (c->plat == CFG_PLAT_JUNOS)
		rc = acl_parse_junos(c, root);
	else
		rc = acl_parse_cisco(c, root);
	if (rc == 0)
		rc = acl_parse_refs(c, root);
	if (rc == -1) {
		acl_config_free(c);
		return NULL;
	}
	return c;
}

void
acl_config_free(struct acl_config *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nacl; i++) {
		for (size_t k = 0; k < c->acl[i].n; k++) {
			free(c->acl[i].e[k].text);
			aclset_free(&c->acl[i].e[k].match);
		}
		free(c->acl[i].e);
		free(c->acl[i].name);
	}
	free(c->acl);
	for (size_t i = 0; i < c->nwarn; i++) {
		free(c->warn[i].text);
		free(c->warn[i].msg);
	}
	free(c->warn);
	for (size_t i = 0; i < c->nref; i++) {
		free(c->ref[i].name);
		free(c->ref[i].where);
		free(c->ref[i].text);
	}
	free(c->ref);
	for (size_t i = 0; i < c->nobj; i++) {
		struct acl_obj *o = &c->obj[i];

		free(o->name);
		free(o->addr);
		free(o->port);
		aclset_free(&o->svc);
		for (size_t k = 0; k < o->ngroup; k++)
			free(o->group[k]);
		free(o->group);
	}
	free(c->obj);
	for (size_t i = 0; i < c->ndef; i++)
		free(c->defined[i]);
	free(c->defined);
	free(c);
}

int
acl_eval(const struct acl *a, const struct acl_packet *p, int *line)
{
	if (a->ipv6 || a->unanalysed)
		return -1;
	for (size_t i = 0; i < a->n; i++)
		if (aclset_has(&a->e[i].match, p)) {
			if (line)
				*line = (int)a->e[i].lineno;
			return a->e[i].action;
		}
	if (line)
		*line = 0;
	return ACL_DENY;
}

/*
 * Does A deny every packet of Q? 1 yes; 0 no, with EX a packet of Q that
 * A permits and *LINE the permitting entry's line; -1 not analysed (IPv6,
 * something unmodelled, out of memory or the work bound).
 */
int
acl_denies_all(const struct acl *a, const struct acl_box *q,
    struct acl_packet *ex, int *line)
{
	struct acl_set hit;
	int rc = 1;

	if (a->ipv6 || a->unanalysed)
		return -1;
	aclset_init(&hit);
	aclset_budget(ACL_BUDGET);
	/* each permitting entry's share of Q, less what earlier entries
	 * decide first: small sets, where Q less every entry would
	 * fragment into many boxes */
	for (size_t i = 0; rc == 1 && i < a->n; i++) {
		const struct acl_entry *e = &a->e[i];

		if (e->action != ACL_PERMIT)
			continue;
		aclset_clear(&hit);
		if (aclset_push(&hit, q) == -1 ||
		    aclset_inter(&hit, &e->match) == -1) {
			rc = -1;
			break;
		}
		for (size_t j = 0; j < i && !aclset_empty(&hit); j++)
			if (aclset_meets(&hit, &a->e[j].match) &&
			    aclset_sub(&hit, &a->e[j].match) == -1)
				rc = -1;
		if (rc == 1 && (aclset_exhausted() || hit.overflow))
			rc = -1;
		if (rc == 1 && !aclset_empty(&hit) &&
		    aclset_example(&hit, ex) == 0) {
			*line = (int)e->lineno;
			rc = 0;
		}
	}
	aclset_budget(0);
	aclset_free(&hit);
	return rc;
}

struct wblock {
	size_t idx;
	double w;
};

static int
wcmp(const void *x, const void *y)
{
	const struct wblock *a = x, *b = y;

	if (a->w != b->w)
		return a->w < b->w ? 1 : -1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/*
 * Blocking lines of entry I (approach D): the earlier entries meeting
 * it, by the size of the overlap, the shortest prefix covering it, and
 * the largest one of a different action if none is there yet.
 */
static int
blockers(const struct acl *a, size_t i, struct acl_unreach *u)
{
	struct wblock *w = calloc(i ? i : 1, sizeof(*w));
	struct acl_set ov, rest;
	size_t nw = 0, k;
	int rc = -1, have_diff = 0;

	if (w == NULL)
		return -1;
	aclset_init(&ov);
	aclset_init(&rest);
	for (k = 0; k < i; k++) {
		if (aclset_copy(&ov, &a->e[i].match) == -1 ||
		    aclset_inter(&ov, &a->e[k].match) == -1)
			goto out;
		if (!aclset_empty(&ov)) {
			w[nw].idx = k;
			w[nw++].w = aclset_size(&ov);
		}
	}
	qsort(w, nw, sizeof(*w), wcmp);
	if ((u->block = calloc(nw + 1, sizeof(size_t))) == NULL)
		goto out;
	if (aclset_copy(&rest, &a->e[i].match) == -1)
		goto out;
	for (k = 0; k < nw && !aclset_empty(&rest); k++) {
		u->block[u->nblock++] = w[k].idx;
		if (a->e[w[k].idx].action != a->e[i].action)
			have_diff = 1;
		if (aclset_sub(&rest, &a->e[w[k].idx].match) == -1)
			goto out;
	}
	if (!have_diff)
		for (k = 0; k < nw; k++)
			if (a->e[w[k].idx].action != a->e[i].action) {
				u->block[u->nblock++] = w[k].idx;
				have_diff = 1;
				break;
			}
	u->diff_action = have_diff;
	rc = 0;
out:
	aclset_free(&ov);
	aclset_free(&rest);
	free(w);
	return rc;
}

static uint32_t
next(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Does a corner of one of entry I's boxes escape the earlier entries?
 * (A proof of reachability; no answer is not a proof of the contrary.) */
static int
witness(const struct acl *a, size_t i)
{
	const struct acl_set *m = &a->e[i].match;

	uint32_t seed = 2463534242u;

#define RND(r) ((r).lo + (uint32_t)(next(&seed) % ((uint64_t)(r).hi - \
	(r).lo + 1)))
	for (size_t k = 0; k < m->n && k < 16; k++) {
		const struct acl_box *b = &m->b[k];

		for (int c = 0; c < 34; c++) {
			struct acl_packet p;
			size_t j;

			/* two corners, then pseudo-random packets */
			if (c < 2) {
				p.proto = (uint8_t)(c ? b->proto.hi :
				    b->proto.lo);
				p.src = c ? b->src.val | ~b->src.care :
				    b->src.val;
				p.dst = c ? b->dst.val | ~b->dst.care :
				    b->dst.val;
				p.sport = (uint16_t)(c ? b->sport.hi :
				    b->sport.lo);
				p.dport = (uint16_t)(c ? b->dport.hi :
				    b->dport.lo);
				p.icmp_type = (uint8_t)(c ? b->itype.hi :
				    b->itype.lo);
				p.icmp_code = (uint8_t)(c ? b->icode.hi :
				    b->icode.lo);
				p.established = (uint8_t)(c ? b->est.hi :
				    b->est.lo);
			} else {
				p.proto = (uint8_t)RND(b->proto);
				p.src = b->src.val | (next(&seed) &
				    ~b->src.care);
				p.dst = b->dst.val | (next(&seed) &
				    ~b->dst.care);
				p.sport = (uint16_t)RND(b->sport);
				p.dport = (uint16_t)RND(b->dport);
				p.icmp_type = (uint8_t)RND(b->itype);
				p.icmp_code = (uint8_t)RND(b->icode);
				p.established = (uint8_t)RND(b->est);
			}
			for (j = 0; j < i; j++)
				if (aclset_has(&a->e[j].match, &p))
					break;
			if (j == i)
				return 1;
		}
	}
#undef RND
	return 0;
}

int
acl_unreachable(const struct acl *a, struct acl_unreach **out, size_t *n)
{
	struct acl_set rest;
	struct acl_unreach *u = NULL;
	size_t nu = 0;

	*out = NULL;
	*n = 0;
	if (a->ipv6 || a->unanalysed)
		return 0;
	aclset_init(&rest);
	aclset_budget(ACL_BUDGET);
	for (size_t i = 0; i < a->n; i++) {
		int dead;

		if (aclset_exhausted()) {
			aclset_free(&rest);
			acl_unreach_free(u, nu);
			aclset_budget(0);
			return -2;
		}

		if (a->e[i].undef)
			continue;
		dead = aclset_empty(&a->e[i].match);
		if (!dead && witness(a, i))
			continue; /* a packet reaches it: reachable */
		if (!dead) {
			if (aclset_copy(&rest, &a->e[i].match) == -1)
				goto fail;
			for (size_t k = 0; k < i && !aclset_empty(&rest); k++)
				if (aclset_sub(&rest, &a->e[k].match) == -1)
					goto fail;
			if (rest.overflow)
				continue; /* not decided: not reported */
			if (!aclset_empty(&rest))
				continue;
		}
		{
			void *p = realloc(u, (nu + 1) * sizeof(*u));

			if (p == NULL)
				goto fail;
			u = p;
		}
		memset(&u[nu], 0, sizeof(u[nu]));
		u[nu].entry = i;
		u[nu].independent = dead;
		if (!dead && blockers(a, i, &u[nu]) == -1)
			goto fail;
		nu++;
	}
	aclset_free(&rest);
	aclset_budget(0);
	*out = u;
	*n = nu;
	return 0;
fail:
	aclset_budget(0);
	aclset_free(&rest);
	acl_unreach_free(u, nu);
	return -1;
}

void
acl_unreach_free(struct acl_unreach *u, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(u[i].block);
	free(u);
}

static int
same_entries(const struct acl *x, const struct acl *y)
{
	if (x->n != y->n)
		return 0;
	for (size_t i = 0; i < x->n; i++) {
		const struct acl_set *p = &x->e[i].match, *q = &y->e[i].match;

		if (x->e[i].action != y->e[i].action || p->n != q->n ||
		    (p->n > 0 && memcmp(p->b, q->b, p->n * sizeof(*p->b)) !=
		    0))
			return 0;
	}
	return 1;
}

static int
add_idx(size_t **v, size_t *n, size_t i)
{
	for (size_t k = 0; k < *n; k++)
		if ((*v)[k] == i)
			return 0;
	void *p = realloc(*v, (*n + 1) * sizeof(**v));

	if (p == NULL)
		return -1;
	*v = p;
	(*v)[(*n)++] = i;
	return 0;
}

/*
 * Push X through VIA: the parts VIA denies (a deny entry, or the end,
 * index via->n) go to the region and their entries to LINES. X is used
 * up. 1 when something was denied.
 */
static int
push(const struct acl *via, struct acl_set *x, struct acl_set *region,
    size_t **lines, size_t *n)
{
	struct acl_set part;
	int hit = 0;

	aclset_init(&part);
	for (size_t j = 0; j < via->n && !aclset_empty(x); j++) {
		if (!aclset_meets(x, &via->e[j].match))
			continue;
		if (via->e[j].action == ACL_DENY) {
			if (aclset_copy(&part, x) == -1 ||
			    aclset_inter(&part, &via->e[j].match) == -1)
				goto fail;
			for (size_t k = 0; k < part.n; k++)
				if (aclset_push(region, &part.b[k]) == -1)
					goto fail;
			if (part.n && add_idx(lines, n, j) == -1)
				goto fail;
			hit |= part.n > 0;
		}
		if (aclset_sub(x, &via->e[j].match) == -1)
			goto fail;
	}
	if (!aclset_empty(x)) {
		for (size_t k = 0; k < x->n; k++)
			if (aclset_push(region, &x->b[k]) == -1)
				goto fail;
		if (add_idx(lines, n, via->n) == -1)
			goto fail;
		hit = 1;
	}
	aclset_free(&part);
	return hit;
fail:
	aclset_free(&part);
	return -1;
}

/* The permits of FROM that VIA denies. */
static int
one_way(const struct acl *from, const struct acl *via, struct acl_change *c,
    size_t **from_lines, size_t *nfrom, size_t **via_lines, size_t *nvia)
{
	struct acl_set r;
	int rc = -1;

	aclset_init(&r);
	for (size_t i = 0; i < from->n; i++) {
		int hit;

		if (from->e[i].action != ACL_PERMIT)
			continue;
		if (aclset_copy(&r, &from->e[i].match) == -1)
			goto out;
		for (size_t k = 0; k < i && !aclset_empty(&r); k++)
			if (aclset_sub(&r, &from->e[k].match) == -1)
				goto out;
		if (aclset_empty(&r))
			continue;
		if ((hit = push(via, &r, &c->region, via_lines, nvia)) == -1)
			goto out;
		if (hit && add_idx(from_lines, nfrom, i) == -1)
			goto out;
		if (c->region.overflow || r.overflow)
			goto out;
	}
	rc = 0;
out:
	aclset_free(&r);
	return rc;
}

int
acl_compare(const struct acl *o, const struct acl *nw,
    struct acl_change out[2], size_t *n)
{
	*n = 0;
	memset(out, 0, 2 * sizeof(*out));
	if (o->ipv6 || nw->ipv6 || o->unanalysed || nw->unanalysed)
		return -1;
	if (same_entries(o, nw))
		return 0;
	aclset_budget(ACL_BUDGET);
	for (int wide = 1; wide >= 0; wide--) {
		struct acl_change *c = &out[*n];
		int rc;

		aclset_init(&c->region);
		c->widened = wide;
		if (wide)
			rc = one_way(nw, o, c, &c->new_lines, &c->nnew,
			    &c->old_lines, &c->nold);
		else
			rc = one_way(o, nw, c, &c->old_lines, &c->nold,
			    &c->new_lines, &c->nnew);
		if (rc == -1 || aclset_exhausted() || c->region.overflow) {
			acl_change_free(out, 2);
			*n = 0;
			aclset_budget(0);
			return -1;
		}
		if (aclset_empty(&c->region)) {
			acl_change_free(c, 1);
			continue;
		}
		aclset_compact(&c->region);
		(*n)++;
	}
	aclset_budget(0);
	return 0;
}

void
acl_change_free(struct acl_change *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		aclset_free(&c[i].region);
		free(c[i].old_lines);
		free(c[i].new_lines);
		memset(&c[i], 0, sizeof(c[i]));
	}
}
