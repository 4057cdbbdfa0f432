/*
 * aclset.c - exact packet sets as unions of disjoint boxes (aclset.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/aclset.h"

void
acl_box_all(struct acl_box *b)
{
	b->proto.lo = 0; b->proto.hi = 255;
	b->src.val = b->src.care = 0;
	b->dst.val = b->dst.care = 0;
	b->sport.lo = 0; b->sport.hi = 65535;
	b->dport.lo = 0; b->dport.hi = 65535;
	b->itype.lo = 0; b->itype.hi = 255;
	b->icode.lo = 0; b->icode.hi = 255;
	b->est.lo = 0; b->est.hi = 1;
}

struct acl_tern
acl_tern_wild(uint32_t addr, uint32_t wildcard)
{
	struct acl_tern t;

	t.care = ~wildcard;
	t.val = addr & t.care;
	return t;
}

struct acl_tern
acl_tern_prefix(uint32_t addr, unsigned len)
{
	uint32_t m = len == 0 ? 0 : len >= 32 ? 0xffffffffu :
	    ~(0xffffffffu >> len);

	return acl_tern_wild(addr, ~m);
}

static int
rinter(struct acl_range a, struct acl_range b, struct acl_range *o)
{
	o->lo = a.lo > b.lo ? a.lo : b.lo;
	o->hi = a.hi < b.hi ? a.hi : b.hi;
	return o->lo <= o->hi;
}

static int
tinter(struct acl_tern a, struct acl_tern b, struct acl_tern *o)
{
	if ((a.val ^ b.val) & a.care & b.care)
		return 0;
	o->care = a.care | b.care;
	o->val = a.val | b.val;
	return 1;
}

int
acl_box_inter(const struct acl_box *a, const struct acl_box *b,
    struct acl_box *o)
{
	return rinter(a->proto, b->proto, &o->proto) &&
	    tinter(a->src, b->src, &o->src) &&
	    tinter(a->dst, b->dst, &o->dst) &&
	    rinter(a->sport, b->sport, &o->sport) &&
	    rinter(a->dport, b->dport, &o->dport) &&
	    rinter(a->itype, b->itype, &o->itype) &&
	    rinter(a->icode, b->icode, &o->icode) &&
	    rinter(a->est, b->est, &o->est);
}

static long budget; /* one loop, no threads */
static int exhausted;

void
aclset_budget(long ops)
{
	budget = ops;
	exhausted = 0;
}

int
aclset_exhausted(void)
{
	return exhausted;
}

static int
box_meets(const struct acl_box *a, const struct acl_box *b)
{
	struct acl_box o;

	if (budget > 0 && --budget == 0)
		exhausted = 1;

	return acl_box_inter(a, b, &o);
}

#define RHAS(r, v) ((uint32_t)(v) >= (r).lo && (uint32_t)(v) <= (r).hi)
#define THAS(t, v) ((((uint32_t)(v) ^ (t).val) & (t).care) == 0)

int
acl_box_has(const struct acl_box *b, const struct acl_packet *p)
{
	return RHAS(b->proto, p->proto) && THAS(b->src, p->src) &&
	    THAS(b->dst, p->dst) && RHAS(b->sport, p->sport) &&
	    RHAS(b->dport, p->dport) && RHAS(b->itype, p->icmp_type) &&
	    RHAS(b->icode, p->icmp_code) && RHAS(b->est, p->established);
}

static double
rsize(struct acl_range r)
{
	return (double)r.hi - (double)r.lo + 1.0;
}

static double
tsize(struct acl_tern t)
{
	return (double)(1ull << (32 - __builtin_popcount(t.care)));
}

double
acl_box_size(const struct acl_box *b)
{
	return rsize(b->proto) * tsize(b->src) * tsize(b->dst) *
	    rsize(b->sport) * rsize(b->dport) * rsize(b->itype) *
	    rsize(b->icode) * rsize(b->est);
}

void
aclset_init(struct acl_set *s)
{
	memset(s, 0, sizeof(*s));
}

void
aclset_free(struct acl_set *s)
{
	free(s->b);
	memset(s, 0, sizeof(*s));
}

void
aclset_clear(struct acl_set *s)
{
	s->n = 0;
	s->overflow = 0;
}

int
aclset_push(struct acl_set *s, const struct acl_box *b)
{
	if (s->n >= ACLSET_MAX) {
		s->overflow = 1;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4;
		void *p = realloc(s->b, cap * sizeof(*s->b));

		if (p == NULL)
			return -1;
		s->b = p;
		s->cap = cap;
	}
	s->b[s->n++] = *b;
	return 0;
}

int
aclset_copy(struct acl_set *d, const struct acl_set *s)
{
	aclset_clear(d);
	for (size_t i = 0; i < s->n; i++)
		if (aclset_push(d, &s->b[i]) == -1)
			return -1;
	d->overflow |= s->overflow;
	return 0;
}

/* Append the pieces of A not in B (disjoint) to OUT. */
static int
box_sub(const struct acl_box *a, const struct acl_box *b, struct acl_set *out)
{
	struct acl_box cur = *a, p;

	if (!box_meets(a, b))
		return aclset_push(out, a);
#define RDIM(f) do {							\
	if (cur.f.lo < b->f.lo) {					\
		p = cur; p.f.hi = b->f.lo - 1;				\
		if (aclset_push(out, &p) == -1) return -1;		\
	}								\
	if (cur.f.hi > b->f.hi) {					\
		p = cur; p.f.lo = b->f.hi + 1;				\
		if (aclset_push(out, &p) == -1) return -1;		\
	}								\
	if (cur.f.lo < b->f.lo) cur.f.lo = b->f.lo;			\
	if (cur.f.hi > b->f.hi) cur.f.hi = b->f.hi;			\
} while (0)
#define TDIM(f) do {							\
	uint32_t free_ = b->f.care & ~cur.f.care;			\
	for (int k = 31; k >= 0 && free_; k--) {			\
		uint32_t bit = 1u << k;					\
		if (!(free_ & bit)) continue;				\
		p = cur; p.f.care |= bit;				\
		p.f.val = (p.f.val & ~bit) | (~b->f.val & bit);		\
		if (aclset_push(out, &p) == -1) return -1;		\
		cur.f.care |= bit;					\
		cur.f.val = (cur.f.val & ~bit) | (b->f.val & bit);	\
	}								\
} while (0)
	RDIM(proto);
	TDIM(src);
	TDIM(dst);
	RDIM(sport);
	RDIM(dport);
	RDIM(itype);
	RDIM(icode);
	RDIM(est);
#undef RDIM
#undef TDIM
	return 0;
}

int
aclset_sub_box(struct acl_set *s, const struct acl_box *b)
{
	struct acl_set out;
	size_t i, keep = 0;

	aclset_init(&out);
	for (i = 0; i < s->n; i++) {
		if (!box_meets(&s->b[i], b)) {
			if (keep != i)
				s->b[keep] = s->b[i];
			keep++;
			continue;
		}
		if (box_sub(&s->b[i], b, &out) == -1) {
			aclset_free(&out);
			return -1;
		}
	}
	s->n = keep;
	for (i = 0; i < out.n; i++)
		if (aclset_push(s, &out.b[i]) == -1) {
			aclset_free(&out);
			return -1;
		}
	s->overflow |= out.overflow;
	aclset_free(&out);
	return 0;
}

int
aclset_sub(struct acl_set *s, const struct acl_set *t)
{
	for (size_t i = 0; i < t->n && s->n > 0; i++) {
		if (exhausted) {
			s->overflow = 1;
			return 0;
		}
		if (aclset_sub_box(s, &t->b[i]) == -1)
			return -1;
	}
	s->overflow |= t->overflow;
	return 0;
}

int
aclset_add(struct acl_set *s, const struct acl_box *b)
{
	struct acl_set piece;
	int rc = 0;

	aclset_init(&piece);
	if (aclset_push(&piece, b) == -1 || aclset_sub(&piece, s) == -1)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < piece.n; i++)
		rc = aclset_push(s, &piece.b[i]);
	s->overflow |= piece.overflow;
	aclset_free(&piece);
	return rc;
}

int
aclset_add_set(struct acl_set *s, const struct acl_set *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (aclset_add(s, &t->b[i]) == -1)
			return -1;
	s->overflow |= t->overflow;
	return 0;
}

int
aclset_inter(struct acl_set *s, const struct acl_set *t)
{
	struct acl_set out;
	struct acl_box o;

	aclset_init(&out);
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; j < t->n; j++)
			if (acl_box_inter(&s->b[i], &t->b[j], &o) &&
			    aclset_push(&out, &o) == -1) {
				aclset_free(&out);
				return -1;
			}
	out.overflow |= s->overflow | t->overflow;
	free(s->b);
	*s = out;
	return 0;
}

int
aclset_meets(const struct acl_set *s, const struct acl_set *t)
{
	for (size_t i = 0; i < s->n && !exhausted; i++)
		for (size_t j = 0; j < t->n; j++)
			if (box_meets(&s->b[i], &t->b[j]))
				return 1;
	return 0;
}

int
aclset_empty(const struct acl_set *s)
{
	return s->n == 0;
}

int
aclset_has(const struct acl_set *s, const struct acl_packet *p)
{
	for (size_t i = 0; i < s->n; i++)
		if (acl_box_has(&s->b[i], p))
			return 1;
	return 0;
}

double
aclset_size(const struct acl_set *s)
{
	double t = 0;

	for (size_t i = 0; i < s->n; i++)
		t += acl_box_size(&s->b[i]);
	return t;
}

int
aclset_example(const struct acl_set *s, struct acl_packet *p)
{
	const struct acl_box *b;

	if (s->n == 0)
		return -1;
	b = &s->b[0];
	memset(p, 0, sizeof(*p));
	p->proto = b->proto.lo;
	if (RHAS(b->proto, 6))
		p->proto = 6; /* the most telling example is TCP */
	p->src = b->src.val;
	p->dst = b->dst.val;
	p->sport = RHAS(b->sport, 49152) ? 49152 : b->sport.lo;
	p->dport = b->dport.lo;
	p->icmp_type = b->itype.lo;
	p->icmp_code = b->icode.lo;
	p->established = b->est.lo;
	return 0;
}

/* Can A and B, equal but in one dimension, be one box? */
static int
merge2(struct acl_box *a, const struct acl_box *b)
{
	int diff = 0, which = -1;
	const struct acl_range *ra[6] = { &a->proto, &a->sport, &a->dport,
	    &a->itype, &a->icode, &a->est };
	const struct acl_range *rb[6] = { &b->proto, &b->sport, &b->dport,
	    &b->itype, &b->icode, &b->est };
	struct acl_range *r;

	for (int i = 0; i < 6; i++)
		if (ra[i]->lo != rb[i]->lo || ra[i]->hi != rb[i]->hi) {
			diff++;
			which = i;
		}
	if (a->src.val != b->src.val || a->src.care != b->src.care) {
		diff++;
		which = 6;
	}
	if (a->dst.val != b->dst.val || a->dst.care != b->dst.care) {
		diff++;
		which = 7;
	}
	if (diff != 1)
		return 0;
	if (which >= 6) {
		struct acl_tern *ta = which == 6 ? &a->src : &a->dst;
		const struct acl_tern *tb = which == 6 ? &b->src : &b->dst;
		uint32_t x = ta->val ^ tb->val;

		if (ta->care != tb->care || __builtin_popcount(x) != 1)
			return 0;
		ta->care &= ~x;
		ta->val &= ~x;
		return 1;
	}
	r = (struct acl_range *)ra[which];
	if (r->hi + 1 == rb[which]->lo)
		r->hi = rb[which]->hi;
	else if (rb[which]->hi + 1 == r->lo)
		r->lo = rb[which]->lo;
	else
		return 0;
	return 1;
}

void
aclset_compact(struct acl_set *s)
{
	int again = 1;

	if (s->n > 4096)
		return;
	while (again) {
		again = 0;
		for (size_t i = 0; i < s->n; i++)
			for (size_t j = i + 1; j < s->n; j++)
				if (merge2(&s->b[i], &s->b[j])) {
					s->b[j] = s->b[--s->n];
					again = 1;
					j = i;
				}
	}
}

void
acl_addr_text(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
	    (a >> 8) & 255, a & 255);
}

void
acl_tern_text(struct acl_tern t, char *buf, size_t len)
{
	char a[16], w[16];
	unsigned pl = __builtin_popcount(t.care);

	acl_addr_text(t.val, a, sizeof(a));
	if (t.care == 0)
		snprintf(buf, len, "any");
	else if (pl == 32 || t.care == ~(0xffffffffu >> pl))
		snprintf(buf, len, "%s/%u", a, pl);
	else {
		acl_addr_text(~t.care, w, sizeof(w));
		snprintf(buf, len, "%s wildcard %s", a, w);
	}
}

const char *
acl_proto_name(unsigned p)
{
	switch (p) {
	case 1: return "icmp";
	case 2: return "igmp";
	case 4: return "ipinip";
	case 6: return "tcp";
	case 17: return "udp";
	case 47: return "gre";
	case 50: return "esp";
	case 51: return "ahp";
	case 88: return "eigrp";
	case 89: return "ospf";
	case 103: return "pim";
	case 132: return "sctp";
	}
	return NULL;
}

static size_t
cat(char *buf, size_t len, size_t off, const char *fmt, const char *a,
    unsigned x, unsigned y)
{
	int n;

	if (off >= len)
		return off;
	n = snprintf(buf + off, len - off, fmt, a, x, y);
	return n < 0 ? off : off + (size_t)n;
}

static size_t
rtext(char *buf, size_t len, size_t off, const char *name,
    struct acl_range r, unsigned max)
{
	if (r.lo == 0 && r.hi == max)
		return off;
	if (r.lo == r.hi)
		return cat(buf, len, off, " %s %u", name, r.lo, 0);
	return cat(buf, len, off, " %s %u-%u", name, r.lo, r.hi);
}

void
acl_box_text(const struct acl_box *b, char *buf, size_t len)
{
	char t[48];
	size_t off = 0;
	const char *pn = acl_proto_name(b->proto.lo);

	buf[0] = '\0';
	if (b->proto.lo == 0 && b->proto.hi == 255)
		off = cat(buf, len, off, "%s", "ip", 0, 0);
	else if (b->proto.lo == b->proto.hi && pn)
		off = cat(buf, len, off, "%s", pn, 0, 0);
	else
		off = rtext(buf, len, off, "proto", b->proto, 255) ;
	if (off > 0 && buf[0] == ' ')
		memmove(buf, buf + 1, off--);
	acl_tern_text(b->src, t, sizeof(t));
	off = cat(buf, len, off, " src %s", t, 0, 0);
	acl_tern_text(b->dst, t, sizeof(t));
	off = cat(buf, len, off, " dst %s", t, 0, 0);
	off = rtext(buf, len, off, "sport", b->sport, 65535);
	off = rtext(buf, len, off, "dport", b->dport, 65535);
	off = rtext(buf, len, off, "icmp-type", b->itype, 255);
	off = rtext(buf, len, off, "icmp-code", b->icode, 255);
	if (b->est.lo == 1)
		off = cat(buf, len, off, " %s", "established", 0, 0);
	else if (b->est.hi == 0)
		off = cat(buf, len, off, " %s", "not-established", 0, 0);
}

void
aclset_region(const struct acl_set *s, size_t max, char *buf, size_t len)
{
	char t[256];
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->n && i < max; i++) {
		acl_box_text(&s->b[i], t, sizeof(t));
		off = cat(buf, len, off, i ? "; %s" : "%s", t, 0, 0);
	}
	if (s->n > max)
		cat(buf, len, off, "; (and %s%u more)", "",
		    (unsigned)(s->n - max), 0);
}
