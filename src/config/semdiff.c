/*
 * semdiff.c - semantic diff and lint of configurations (semdiff.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/acl_int.h"
#include "config/cfgnorm.h"
#include "config/semdiff.h"

struct side {
	struct cfg_tree *tree;
	struct acl_config *acl;
	struct cfg_norm norm;
	uint64_t *keep; /* hashes of the compare view's lines, sorted */
	size_t nkeep;
};

static uint64_t
fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '{' || s[n - 1] == ';'))
		n--;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static int
u64cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
kept(const struct side *s, const struct cfg_node *n)
{
	uint64_t h = fnv(n->text, n->len);

	if (s->keep == NULL)
		return 1;
	return bsearch(&h, s->keep, s->nkeep, sizeof(h), u64cmp) != NULL;
}

static void
side_free(struct side *s)
{
	acl_config_free(s->acl);
	if (s->tree)
		cfg_tree_free(s->tree);
	cfg_norm_free(&s->norm);
	free(s->keep);
	memset(s, 0, sizeof(*s));
}

static int
side_load(struct side *s, enum cfg_platform plat, const char *text,
    size_t len, char *err, size_t errlen)
{
	static const unsigned char key[32];
	struct cfg_rules *rs;
	const char *p, *e;

	memset(s, 0, sizeof(*s));
	if (plat == CFG_PLAT_AUTO)
		plat = cfg_platform_detect(text, len);
	if ((rs = cfg_rules_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (cfg_normalize(rs, plat, key, sizeof(key), text, len, &s->norm,
	    err, errlen) == -1) {
		cfg_rules_free(rs);
		return -1;
	}
	cfg_rules_free(rs);
	p = s->norm.compare;
	e = p + s->norm.compare_len;
	if ((s->keep = calloc(s->norm.compare_len / 2 + 2,
	    sizeof(uint64_t))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(e - p);

		s->keep[s->nkeep++] = fnv(p, l);
		p += l + 1;
	}
	qsort(s->keep, s->nkeep, sizeof(uint64_t), u64cmp);
	if ((s->tree = cfg_tree_parse(plat, text, len, err, errlen)) == NULL)
		return -1;
	if ((s->acl = acl_config_build(s->tree)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

struct sem_change *
sem_add(struct sem_result *r, const char *kind, const char *object,
    const char *detail)
{
	struct sem_change *c;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		void *p = realloc(r->c, cap * sizeof(*r->c));

		if (p == NULL)
			return NULL;
		r->c = p;
		r->cap = cap;
	}
	c = &r->c[r->n];
	memset(c, 0, sizeof(*c));
	snprintf(c->kind, sizeof(c->kind), "%s", kind);
	c->object = strdup(object);
	c->detail = strdup(detail);
	if (c->object == NULL || c->detail == NULL) {
		free(c->object);
		free(c->detail);
		return NULL;
	}
	r->n++;
	return c;
}

int
sem_addline(struct sem_change *c, int isnew, unsigned line, const char *text,
    size_t len)
{
	void *p = realloc(c->lines, (c->nlines + 1) * sizeof(*c->lines));
	struct sem_line *l;

	if (p == NULL)
		return -1;
	c->lines = p;
	l = &c->lines[c->nlines];
	l->isnew = isnew;
	l->line = line;
	if ((l->text = malloc(len + 1)) == NULL)
		return -1;
	memcpy(l->text, text, len);
	l->text[len] = '\0';
	c->nlines++;
	return 0;
}

void
sem_result_free(struct sem_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->c[i].object);
		free(r->c[i].detail);
		free(r->c[i].region);
		for (size_t k = 0; k < r->c[i].nlines; k++)
			free(r->c[i].lines[k].text);
		free(r->c[i].lines);
	}
	free(r->c);
	memset(r, 0, sizeof(*r));
}

/* ---- lint ---- */

static int
lint(const struct acl_config *c, int isnew, struct sem_result *r)
{
	char obj[320], det[1024];
	struct sem_change *ch;

	for (size_t i = 0; i < c->nacl; i++) {
		const struct acl *a = &c->acl[i];
		struct acl_unreach *u;
		size_t nu;
		int used = 0, k_rc;

		for (size_t k = 0; k < c->nref && !used; k++)
			if (strcmp(c->ref[k].kind, "acl") == 0 &&
			    strcmp(c->ref[k].name, a->name) == 0)
				used = 1;
		if (!used && !a->ipv6) {
			snprintf(det, sizeof(det), "ACL %s is bound and "
			    "referenced nowhere", a->name);
			if ((ch = sem_add(r, "acl.unused", a->name, det)) == NULL)
				return -1;
			if (a->n && sem_addline(ch, isnew, a->e[0].lineno,
			    a->e[0].text, strlen(a->e[0].text)) == -1)
				return -1;
		}
		if ((nu = 0, k_rc = acl_unreachable(a, &u, &nu)) == -1)
			return -1;
		if (k_rc == -2) {
			snprintf(det, sizeof(det), "ACL %s: unreachable lines "
			    "not analysed (work bound reached)", a->name);
			if (sem_add(r, "acl.not-analysed", a->name, det) ==
			    NULL)
				return -1;
			continue;
		}
		for (size_t k = 0; k < nu; k++) {
			const struct acl_entry *e = &a->e[u[k].entry];
			size_t off;

			if (u[k].independent)
				off = (size_t)snprintf(det, sizeof(det),
				    "line %u can never match (matches no "
				    "packet)", e->lineno);
			else {
				off = (size_t)snprintf(det, sizeof(det),
				    "line %u can never match: blocked by",
				    e->lineno);
				for (size_t b = 0; b < u[k].nblock &&
				    off < sizeof(det); b++)
					off += (size_t)snprintf(det + off,
					    sizeof(det) - off, "%s line %u",
					    b ? "," : "",
					    a->e[u[k].block[b]].lineno);
				if (off < sizeof(det))
					snprintf(det + off, sizeof(det) - off,
					    u[k].diff_action ? " (different "
					    "action: the line never applies)" :
					    " (same action: redundant)");
			}
			snprintf(obj, sizeof(obj), "%s", a->name);
			if ((ch = sem_add(r, "acl.line-unreachable", obj, det)) ==
			    NULL || sem_addline(ch, isnew, e->lineno, e->text,
			    strlen(e->text)) == -1) {
				acl_unreach_free(u, nu);
				return -1;
			}
			for (size_t b = 0; b < u[k].nblock; b++) {
				const struct acl_entry *be =
				    &a->e[u[k].block[b]];

				if (sem_addline(ch, isnew, be->lineno, be->text,
				    strlen(be->text)) == -1) {
					acl_unreach_free(u, nu);
					return -1;
				}
			}
		}
		acl_unreach_free(u, nu);
	}
	for (size_t k = 0; k < c->nref; k++) {
		const struct acl_ref *f = &c->ref[k];
		size_t j;

		if (acl_config_defined(c, f->kind, f->name))
			continue;
		snprintf(obj, sizeof(obj), "%s %s", f->kind, f->name);
		for (j = 0; j < r->n; j++)
			if (strcmp(r->c[j].kind, "reference.undefined") == 0 &&
			    strcmp(r->c[j].object, obj) == 0)
				break;
		if (j < r->n)
			ch = &r->c[j];
		else {
			snprintf(det, sizeof(det), "%s %s is referenced "
			    "(%s) but not defined", f->kind, f->name,
			    f->where);
			if ((ch = sem_add(r, "reference.undefined", obj, det)) ==
			    NULL)
				return -1;
		}
		if (sem_addline(ch, isnew, f->lineno, f->text, strlen(f->text))
		    == -1)
			return -1;
	}
	return 0;
}

static int
lint_warnings(const struct acl_config *c, struct sem_result *r)
{
	for (size_t i = 0; i < c->nwarn; i++) {
		struct sem_change *ch;
		char obj[32];

		snprintf(obj, sizeof(obj), "line %u", c->warn[i].lineno);
		if ((ch = sem_add(r, "parse.warning", obj, c->warn[i].msg)) ==
		    NULL || sem_addline(ch, 1, c->warn[i].lineno, c->warn[i].text,
		    strlen(c->warn[i].text)) == -1)
			return -1;
	}
	for (size_t i = 0; i < c->nacl; i++)
		if (c->acl[i].unanalysed || c->acl[i].ipv6) {
			struct sem_change *ch = sem_add(r, "acl.not-analysed",
			    c->acl[i].name, c->acl[i].why[0] ?
			    c->acl[i].why : "not analysed");

			if (ch == NULL)
				return -1;
		}
	return 0;
}

int
sem_lint(enum cfg_platform plat, const char *text, size_t len,
    struct sem_result *r, char *err, size_t errlen)
{
	struct side s;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (side_load(&s, plat, text, len, err, errlen) == 0) {
		if (lint(s.acl, 1, r) == 0 && lint_warnings(s.acl, r) == 0)
			rc = 0;
		else
			snprintf(err, errlen, "out of memory");
	}
	side_free(&s);
	if (rc == -1)
		sem_result_free(r);
	return rc;
}


static int
kept_cb(const void *s, const struct cfg_node *n)
{
	return kept(s, n);
}

static int
acl_changes(const struct acl_config *o, const struct acl_config *n,
    struct sem_result *r)
{
	char det[2048], reg[1024], ex[160];

	for (size_t i = 0; i < n->nacl; i++) {
		const struct acl *b = &n->acl[i], *a;
		struct acl_change ch[2];
		size_t nch;

		if ((a = acl_config_find(o, b->name)) == NULL) {
			snprintf(det, sizeof(det), "ACL %s added (%zu entries)",
			    b->name, b->n);
			if (sem_add(r, "acl.added", b->name, det) == NULL)
				return -1;
			continue;
		}
		if (acl_compare(a, b, ch, &nch) == -1) {
			size_t k = 0;

			while (a->n == b->n && k < a->n &&
			    strcmp(a->e[k].text, b->e[k].text) == 0)
				k++;
			if (a->n == b->n && k == a->n)
				continue;
			snprintf(det, sizeof(det), "ACL %s changed but is not "
			    "analysed (%s)", b->name, b->why[0] ? b->why :
			    a->why);
			if (sem_add(r, "acl.not-analysed", b->name, det) == NULL)
				return -1;
			continue;
		}
		for (size_t k = 0; k < nch; k++) {
			struct sem_change *c;
			struct acl_packet p;
			char s[16], d[16];

			aclset_region(&ch[k].region, 8, reg, sizeof(reg));
			aclset_example(&ch[k].region, &p);
			acl_addr_text(p.src, s, sizeof(s));
			acl_addr_text(p.dst, d, sizeof(d));
			snprintf(ex, sizeof(ex), "%s %s:%u -> %s:%u",
			    acl_proto_name(p.proto) ? acl_proto_name(p.proto) :
			    "ip", s, p.sport, d, p.dport);
			snprintf(det, sizeof(det), "ACL %s now %s: %s "
			    "(e.g. %s)", b->name, ch[k].widened ?
			    "permits what it denied" :
			    "denies what it permitted", reg, ex);
			if ((c = sem_add(r, ch[k].widened ? "acl.widened" :
			    "acl.narrowed", b->name, det)) == NULL ||
			    (c->region = strdup(reg)) == NULL) {
				acl_change_free(ch, nch);
				return -1;
			}
			c->has_example = 1;
			c->example = p;
			for (size_t j = 0; j < ch[k].nold; j++) {
				size_t x = ch[k].old_lines[j];

				if (x == a->n ? sem_addline(c, 0, 0,
				    "(end of ACL: implicit deny)", 27) :
				    sem_addline(c, 0, a->e[x].lineno, a->e[x].text,
				    strlen(a->e[x].text)))
					return -1;
			}
			for (size_t j = 0; j < ch[k].nnew; j++) {
				size_t x = ch[k].new_lines[j];

				if (x == b->n ? sem_addline(c, 1, 0,
				    "(end of ACL: implicit deny)", 27) :
				    sem_addline(c, 1, b->e[x].lineno, b->e[x].text,
				    strlen(b->e[x].text)))
					return -1;
			}
		}
		acl_change_free(ch, nch);
	}
	for (size_t i = 0; i < o->nacl; i++)
		if (acl_config_find(n, o->acl[i].name) == NULL) {
			snprintf(det, sizeof(det), "ACL %s removed",
			    o->acl[i].name);
			if (sem_add(r, "acl.removed", o->acl[i].name, det) == NULL)
				return -1;
		}
	return 0;
}

static int
bindings(const struct acl_config *x, const struct acl_config *y, int isnew,
    struct sem_result *r)
{
	char det[512];

	for (size_t i = 0; i < y->nref; i++) {
		const struct acl_ref *f = &y->ref[i];
		int found = 0;
		struct sem_change *c;

		if (!f->binding || strcmp(f->kind, "acl"))
			continue;
		for (size_t k = 0; k < x->nref && !found; k++)
			found = x->ref[k].binding &&
			    strcmp(x->ref[k].name, f->name) == 0 &&
			    strcmp(x->ref[k].where, f->where) == 0;
		if (found)
			continue;
		snprintf(det, sizeof(det), "ACL %s %s %s", f->name,
		    isnew ? "bound to" : "no longer bound to", f->where);
		if ((c = sem_add(r, isnew ? "acl.binding-added" :
		    "acl.binding-removed", f->name, det)) == NULL ||
		    sem_addline(c, isnew, f->lineno, f->text, strlen(f->text)))
			return -1;
	}
	return 0;
}

/* Keep the lint findings of NEW that OLD does not have. */
static int
new_lints(const struct acl_config *o, const struct acl_config *n,
    struct sem_result *r)
{
	struct sem_result lo, ln;
	int rc = -1;

	memset(&lo, 0, sizeof(lo));
	memset(&ln, 0, sizeof(ln));
	if (lint(o, 0, &lo) == -1 || lint(n, 1, &ln) == -1)
		goto out;
	for (size_t i = 0; i < ln.n; i++) {
		struct sem_change *c = &ln.c[i], *d;
		const char *t = c->nlines ? c->lines[0].text : "";
		int old = 0;

		for (size_t k = 0; k < lo.n && !old; k++)
			old = strcmp(lo.c[k].kind, c->kind) == 0 &&
			    strcmp(lo.c[k].object, c->object) == 0 &&
			    (strcmp(c->kind, "acl.line-unreachable") ||
			    (lo.c[k].nlines &&
			    strcmp(lo.c[k].lines[0].text, t) == 0));
		if (old)
			continue;
		if ((d = sem_add(r, c->kind, c->object, c->detail)) == NULL)
			goto out;
		for (size_t k = 0; k < c->nlines; k++)
			if (sem_addline(d, 1, c->lines[k].line, c->lines[k].text,
			    strlen(c->lines[k].text)) == -1)
				goto out;
	}
	rc = 0;
out:
	sem_result_free(&lo);
	sem_result_free(&ln);
	return rc;
}

int
sem_diff(enum cfg_platform plat, const char *a, size_t alen, const char *b,
    size_t blen, struct sem_result *r, char *err, size_t errlen)
{
	struct side so, sn;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	memset(&sn, 0, sizeof(sn));
	if (plat == CFG_PLAT_AUTO)
		plat = cfg_platform_detect(b, blen);
	if (side_load(&so, plat, a, alen, err, errlen) == -1 ||
	    side_load(&sn, plat, b, blen, err, errlen) == -1)
		goto out;
	snprintf(err, errlen, "out of memory");
	if (sem_diff_parts(cfg_tree_root(so.tree), cfg_tree_root(sn.tree),
	    so.acl, sn.acl, kept_cb, &so, &sn, r) == -1 ||
	    acl_changes(so.acl, sn.acl, r) == -1 ||
	    bindings(so.acl, sn.acl, 1, r) == -1 ||
	    bindings(sn.acl, so.acl, 0, r) == -1 ||
	    new_lints(so.acl, sn.acl, r) == -1)
		goto out;
	rc = 0;
out:
	side_free(&so);
	side_free(&sn);
	if (rc == -1)
		sem_result_free(r);
	return rc;
}
