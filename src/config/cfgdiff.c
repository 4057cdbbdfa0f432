/*
 * cfgdiff.c - structural comparison of two configurations (cfgdiff.h).
 *
 * Each level's statements are paired by their text (sorted, then merged:
 * n log n); a pair whose subtrees hash alike is equal and skipped, a pair
 * that differs is compared one level down, the rest is removed or added
 * with its whole subtree. In ordered sections the statements are paired
 * by a longest common subsequence (after the common head and tail), so
 * an entry that moved is a change there; a section too long for that
 * (over 4 million cells) is compared as a set, and said so.
 */
#define _GNU_SOURCE /* qsort_r */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfgdiff.h"
#include "config/cfgtree.h"

struct out {
	char *b;
	size_t len, cap;
	int oom;
	struct cfg_diff_stats *st;
	unsigned indent; /* spaces per level */
	int counting_only;
};

static void
put(struct out *o, const char *p, size_t n)
{
	if (o->oom || o->counting_only)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		char *nb;

		while (cap < o->len + n + 1)
			cap *= 2;
		if ((nb = realloc(o->b, cap)) == NULL) {
			o->oom = 1;
			return;
		}
		o->b = nb;
		o->cap = cap;
	}
	memcpy(o->b + o->len, p, n);
	o->len += n;
	o->b[o->len] = '\0';
}

/* One line: MARK, the indentation of DEPTH, the statement. */
static void
line(struct out *o, char mark, const struct cfg_node *n)
{
	static const char spaces[] = "                                ";
	size_t ind = (size_t)(n->depth - 1) * o->indent;
	const char *t = n->text, *e = n->text + n->len, *nl;

	/* a banner's body: every line marked */
	for (;;) {
		put(o, &mark, 1);
		for (size_t k = ind; k > 0;) {
			size_t c = k < sizeof(spaces) - 1 ? k : sizeof(spaces) - 1;

			put(o, spaces, c);
			k -= c;
		}
		if ((nl = memchr(t, '\n', (size_t)(e - t))) == NULL)
			nl = e;
		put(o, t, (size_t)(nl - t));
		put(o, "\n", 1);
		if (nl == e)
			break;
		t = nl + 1;
		ind = 0;
	}
}

static void
subtree(struct out *o, char mark, const struct cfg_node *n)
{
	line(o, mark, n);
	if (n->depth == 1)
		o->st->blocks_changed++;
	if (mark == '+')
		o->st->added++;
	else
		o->st->removed++;
	for (const struct cfg_node *c = n->child; c; c = c->next)
		subtree(o, mark, c);
}

/* The subtree's hash: its text and its children (in order, or as a set). */
static int ordered(const struct cfg_node *n);

static uint64_t
subhash(const struct cfg_node *n)
{
	uint64_t h = n->hash * 0x9e3779b97f4a7c15ULL, acc = 0;
	int ord = ordered(n);

	for (const struct cfg_node *c = n->child; c; c = c->next) {
		uint64_t x = subhash(c);

		if (ord)
			acc = acc * 1099511628211ULL + x;
		else
			acc += x * 0xff51afd7ed558ccdULL;
	}
	return h ^ (acc + (uint64_t)n->nchild);
}

static int
starts(const struct cfg_node *n, const char *p)
{
	return cfg_node_starts(n, p);
}

/* Do N's children keep an order that means something? */
static int
ordered(const struct cfg_node *n)
{
	return starts(n, "ip access-list") || starts(n, "ipv6 access-list") ||
	    starts(n, "mac access-list") || starts(n, "route-map ") ||
	    starts(n, "filter ") || starts(n, "policy-statement ") ||
	    starts(n, "object-group ") || starts(n, "class-map ") ||
	    starts(n, "policy-map ") || starts(n, "term ");
}

/* Top-level lines that form an ordered list together: its key's length. */
static size_t
list_key(const struct cfg_node *n)
{
	const char *prefixes[] = {"access-list ", "ip prefix-list ",
	    "ipv6 prefix-list ", "ip as-path access-list ",
	    "ip community-list "};

	if (n->depth != 1)
		return 0;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t k = strlen(prefixes[i]);
		const char *sp;

		if (n->len <= k || memcmp(n->text, prefixes[i], k) != 0)
			continue;
		/* the list's name follows (community-list: maybe a kind) */
		if ((sp = memchr(n->text + k, ' ', n->len - k)) == NULL)
			return 0;
		if (strcmp(prefixes[i], "ip community-list ") == 0 &&
		    (starts(n, "ip community-list standard ") ||
		    starts(n, "ip community-list expanded ")))
			sp = memchr(sp + 1, ' ',
			    n->len - (size_t)(sp + 1 - n->text));
		return sp ? (size_t)(sp - n->text) : 0;
	}
	return 0;
}

static int
cmp_text(const struct cfg_node *a, const struct cfg_node *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->text, b->text, n);

	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

static void diff_level(struct out *, const struct cfg_node *pa,
    const struct cfg_node *pb, const struct cfg_node **ctx, int nctx);

/* The chain of statements a change sits in, once per chain. */
struct ctxs {
	const struct cfg_node **v;
	int n;
	int shown;
};

static void
show_ctx(struct out *o, const struct cfg_node **ctx, int nctx, int *shown)
{
	if (*shown)
		return;
	*shown = 1;
	if (nctx > 0) {
		put(o, "@@ ", 3);
		put(o, ctx[0]->text, ctx[0]->len < 200 ? ctx[0]->len : 200);
		put(o, " @@\n", 4);
		if (ctx[0]->depth == 1)
			o->st->blocks_changed++;
	}
	for (int i = 0; i < nctx; i++)
		line(o, ' ', ctx[i]);
}

/*
 * Pairing: PA[i] with PB[j] by text (a set) or by a common subsequence
 * (ordered). MATCH_A[i] is the index in B, or -1.
 */
struct qctx {
	const struct cfg_node **v;
};

static int
icmp(const void *x, const void *y, void *arg)
{
	const struct qctx *q = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = cmp_text(q->v[a], q->v[b]);

	if (c)
		return c;
	return a < b ? -1 : a > b;
}

static int
pair_set(const struct cfg_node **va, size_t na, const struct cfg_node **vb,
    size_t nb, long *ma, long *mb)
{
	size_t *sa, *sb, i = 0, j = 0;
	struct qctx qa = {va}, qb = {vb};

	if ((sa = malloc((na + 1) * sizeof(*sa))) == NULL ||
	    (sb = malloc((nb + 1) * sizeof(*sb))) == NULL) {
		free(sa);
		return -1;
	}
	for (i = 0; i < na; i++)
		sa[i] = i;
	for (j = 0; j < nb; j++)
		sb[j] = j;
	qsort_r(sa, na, sizeof(*sa), icmp, &qa);
	qsort_r(sb, nb, sizeof(*sb), icmp, &qb);
	i = j = 0;
	while (i < na && j < nb) {
		int c = cmp_text(va[sa[i]], vb[sb[j]]);

		if (c < 0)
			i++;
		else if (c > 0)
			j++;
		else {
			ma[sa[i]] = (long)sb[j];
			mb[sb[j]] = (long)sa[i];
			i++;
			j++;
		}
	}
	free(sa);
	free(sb);
	return 0;
}

#define LCS_CELLS (4u * 1024 * 1024)

static int
pair_seq(const struct cfg_node **va, size_t na, const struct cfg_node **vb,
    size_t nb, long *ma, long *mb)
{
	size_t h = 0, t = 0, n, m;
	uint32_t *dp;

	while (h < na && h < nb && cmp_text(va[h], vb[h]) == 0) {
		ma[h] = (long)h;
		mb[h] = (long)h;
		h++;
	}
	while (t < na - h && t < nb - h &&
	    cmp_text(va[na - 1 - t], vb[nb - 1 - t]) == 0) {
		ma[na - 1 - t] = (long)(nb - 1 - t);
		mb[nb - 1 - t] = (long)(na - 1 - t);
		t++;
	}
	n = na - h - t;
	m = nb - h - t;
	if (n == 0 || m == 0)
		return 0;
	if ((n + 1) * (m + 1) > LCS_CELLS) {
		/* too long for a subsequence: as a set */
		if (pair_set(va + h, n, vb + h, m, ma + h, mb + h) == -1)
			return -1;
		for (size_t i = h; i < h + n; i++)
			if (ma[i] >= 0)
				ma[i] += (long)h;
		for (size_t j = h; j < h + m; j++)
			if (mb[j] >= 0)
				mb[j] += (long)h;
		return 0;
	}
	if ((dp = calloc((n + 1) * (m + 1), sizeof(*dp))) == NULL)
		return -1;
#define DP(i, j) dp[(i) * (m + 1) + (j)]
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			DP(i, j) = cmp_text(va[h + i], vb[h + j]) == 0
			    ? DP(i + 1, j + 1) + 1
			    : (DP(i + 1, j) > DP(i, j + 1) ? DP(i + 1, j)
			                                   : DP(i, j + 1));
	for (size_t i = 0, j = 0; i < n && j < m;) {
		if (cmp_text(va[h + i], vb[h + j]) == 0) {
			ma[h + i] = (long)(h + j);
			mb[h + j] = (long)(h + i);
			i++;
			j++;
		} else if (DP(i + 1, j) >= DP(i, j + 1))
			i++;
		else
			j++;
	}
#undef DP
	free(dp);
	return 0;
}

/* The nodes of a list (children, or the top-level lines of one list). */
struct vec {
	const struct cfg_node **v;
	size_t n, cap;
};

static int
vec_add(struct vec *v, const struct cfg_node *n)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		const struct cfg_node **p = realloc(v->v, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		v->v = p;
		v->cap = cap;
	}
	v->v[v->n++] = n;
	return 0;
}

/* Compare the lists VA and VB (ORD: as sequences). */
static void
diff_list(struct out *o, const struct cfg_node **va, size_t na,
    const struct cfg_node **vb, size_t nb, int ord,
    const struct cfg_node **ctx, int nctx, int *shown)
{
	long *ma = malloc((na + 1) * sizeof(long));
	long *mb = malloc((nb + 1) * sizeof(long));
	size_t i, j;

	if (ma == NULL || mb == NULL) {
		o->oom = 1;
		free(ma);
		free(mb);
		return;
	}
	for (i = 0; i < na; i++)
		ma[i] = -1;
	for (j = 0; j < nb; j++)
		mb[j] = -1;
	if ((ord ? pair_seq(va, na, vb, nb, ma, mb)
	         : pair_set(va, na, vb, nb, ma, mb)) == -1) {
		o->oom = 1;
		goto done;
	}
	/* removed first (in A's order), then added and changed (B's) */
	for (i = 0; i < na; i++)
		if (ma[i] < 0) {
			show_ctx(o, ctx, nctx, shown);
			subtree(o, '-', va[i]);
		}
	for (j = 0; j < nb; j++) {
		if (mb[j] < 0) {
			show_ctx(o, ctx, nctx, shown);
			subtree(o, '+', vb[j]);
		} else if (subhash(va[mb[j]]) != subhash(vb[j])) {
			const struct cfg_node *c2[CFG_TREE_DEPTH + 1];

			if (nctx > 0)
				memcpy(c2, ctx, (size_t)nctx * sizeof(*c2));
			if (*shown) {
				/* the context is printed: only this level */
				c2[0] = vb[j];
				diff_level(o, va[mb[j]], vb[j], c2, 1);
			} else {
				c2[nctx] = vb[j];
				diff_level(o, va[mb[j]], vb[j], c2, nctx + 1);
			}
		}
	}
done:
	free(ma);
	free(mb);
}

static void
diff_level(struct out *o, const struct cfg_node *pa,
    const struct cfg_node *pb, const struct cfg_node **ctx, int nctx)
{
	struct vec a = {NULL, 0, 0}, b = {NULL, 0, 0};
	int shown = 0;

	for (const struct cfg_node *c = pa->child; c; c = c->next)
		if (vec_add(&a, c) == -1)
			o->oom = 1;
	for (const struct cfg_node *c = pb->child; c; c = c->next)
		if (vec_add(&b, c) == -1)
			o->oom = 1;
	if (!o->oom)
		diff_list(o, a.v, a.n, b.v, b.n, ordered(pb), ctx, nctx, &shown);
	free(a.v);
	free(b.v);
}

struct lk {
	const struct cfg_node *n;
	size_t kl;
	int side;
	size_t place;
};

static int
lkcmp(const void *x, const void *y)
{
	const struct lk *a = x, *b = y;
	size_t k = a->kl < b->kl ? a->kl : b->kl;
	int c = memcmp(a->n->text, b->n->text, k);

	if (c)
		return c;
	if (a->kl != b->kl)
		return a->kl < b->kl ? -1 : 1;
	if (a->side != b->side)
		return a->side - b->side;
	return a->place < b->place ? -1 : a->place > b->place;
}

/* The top level: lists of ACL lines ordered among themselves, the rest a set. */
static void
diff_top(struct out *o, const struct cfg_node *ra, const struct cfg_node *rb)
{
	struct vec sa = {NULL, 0, 0}, sb = {NULL, 0, 0};
	struct vec la = {NULL, 0, 0}, lb = {NULL, 0, 0};
	const struct cfg_node *c;
	int shown = 0;

	for (c = ra->child; c; c = c->next)
		if (vec_add(list_key(c) ? &la : &sa, c) == -1)
			o->oom = 1;
	for (c = rb->child; c; c = c->next)
		if (vec_add(list_key(c) ? &lb : &sb, c) == -1)
			o->oom = 1;
	if (!o->oom)
		diff_list(o, sa.v, sa.n, sb.v, sb.n, 0, NULL, 0, &shown);
	/* each list (by its key) as a sequence: the lines of both sides
	 * sorted by key, side and place, then taken a key at a time */
	if (!o->oom && la.n + lb.n > 0) {
		struct lk *v = malloc((la.n + lb.n) * sizeof(*v));
		size_t n = 0, x, y;

		if (v == NULL)
			o->oom = 1;
		for (x = 0; v && x < la.n; x++, n++)
			v[n] = (struct lk){la.v[x], list_key(la.v[x]), 0, x};
		for (x = 0; v && x < lb.n; x++, n++)
			v[n] = (struct lk){lb.v[x], list_key(lb.v[x]), 1, x};
		if (v)
			qsort(v, n, sizeof(*v), lkcmp);
		for (x = 0; v && x < n && !o->oom; x = y) {
			struct vec xa = {NULL, 0, 0}, xb = {NULL, 0, 0};
			int sh = 0;

			for (y = x; y < n && v[y].kl == v[x].kl &&
			    memcmp(v[y].n->text, v[x].n->text, v[x].kl) == 0;
			    y++)
				if (vec_add(v[y].side ? &xb : &xa, v[y].n) == -1)
					o->oom = 1;
			if (!o->oom)
				diff_list(o, xa.v, xa.n, xb.v, xb.n, 1, NULL, 0,
				    &sh);
			free(xa.v);
			free(xb.v);
		}
		free(v);
	}
	free(sa.v);
	free(sb.v);
	free(la.v);
	free(lb.v);
}

int
cfg_diff(enum cfg_platform plat, const char *a, size_t alen, const char *b,
    size_t blen, const char *label_a, const char *label_b, char **out,
    size_t *outlen, struct cfg_diff_stats *st, char *err, size_t errlen)
{
	struct cfg_tree *ta = NULL, *tb = NULL;
	struct out o;
	char e[256];

	memset(&o, 0, sizeof(o));
	memset(st, 0, sizeof(*st));
	o.st = st;
	o.counting_only = out == NULL;
	if (plat <= CFG_PLAT_AUTO || plat >= CFG_PLAT_N)
		plat = cfg_platform_detect(b, blen);
	o.indent = plat == CFG_PLAT_EOS ? 3 : plat == CFG_PLAT_NXOS ? 2
	    : plat == CFG_PLAT_JUNOS ? 4 : 1;
	if ((ta = cfg_tree_parse(plat, a, alen, e, sizeof(e))) == NULL) {
		snprintf(err, errlen, "%s: %s", label_a, e);
		return -1;
	}
	if ((tb = cfg_tree_parse(plat, b, blen, e, sizeof(e))) == NULL) {
		snprintf(err, errlen, "%s: %s", label_b, e);
		cfg_tree_free(ta);
		return -1;
	}
	diff_top(&o, cfg_tree_root(ta), cfg_tree_root(tb));
	cfg_tree_free(ta);
	cfg_tree_free(tb);
	if (o.oom) {
		free(o.b);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (out != NULL) {
		struct out h;

		memset(&h, 0, sizeof(h));
		h.st = st;
		if (o.len > 0) {
			put(&h, "--- ", 4);
			put(&h, label_a, strlen(label_a));
			put(&h, "\n+++ ", 5);
			put(&h, label_b, strlen(label_b));
			put(&h, "\n", 1);
			put(&h, o.b, o.len);
		}
		free(o.b);
		if (h.oom) {
			free(h.b);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		*out = h.b;
		*outlen = h.len;
	}
	return 0;
}
