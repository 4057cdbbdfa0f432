/*
 * acl_cisco.c - ACL entries of the Cisco family (IOS, IOS-XE, NX-OS, EOS,
 * ASA) from the statement tree: numbered and named ACLs, objects and
 * object-groups (acl.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/acl_int.h"

#define MAXPORTS 32

struct ectx {
	struct acl_config *c;
	struct acl *acl;
	const struct cfg_node *node;
	struct acl_toks *tk;
	int i;
	int asa; /* masks are netmasks */
	int undef;
	const char *err;
	char errbuf[160];
	struct acl_tern src[ACL_ADDRS], dst[ACL_ADDRS];
	int nsrc, ndst;
};

static const char *
tok(struct ectx *x)
{
	return x->i < x->tk->n ? x->tk->t[x->i] : NULL;
}

static int
bad(struct ectx *x, const char *msg, const char *what)
{
	snprintf(x->errbuf, sizeof(x->errbuf), "%s%s%s%s", msg,
	    what ? " \"" : "", what ? what : "", what ? "\"" : "");
	x->err = x->errbuf;
	return -1;
}

static int
push_addr(struct acl_tern *a, int *n, struct acl_tern t)
{
	if (*n >= ACL_ADDRS)
		return -1;
	a[(*n)++] = t;
	return 0;
}

static int
expand_net(struct ectx *x, const struct acl_obj *o, struct acl_tern *a,
    int *n, int depth)
{
	if (depth > ACL_DEPTH)
		return bad(x, "object-groups nested too deep at", o->name);
	if (o->bad)
		return bad(x, "object not modelled:", o->name);
	for (size_t k = 0; k < o->naddr; k++)
		if (push_addr(a, n, o->addr[k]) == -1)
			return bad(x, "too many addresses in", o->name);
	for (size_t k = 0; k < o->ngroup; k++) {
		const struct acl_obj *g = acl_obj_find(x->c, o->group[k]);

		if (g == NULL) {
			x->undef = 1;
			continue;
		}
		if (expand_net(x, g, a, n, depth + 1) == -1)
			return -1;
	}
	return 0;
}

static int
use_obj(struct ectx *x, const char *name, const struct acl_obj **o)
{
	char where[160];

	snprintf(where, sizeof(where), "access-list %s", x->acl->name);
	if (acl_ref_add(x->c, "object-group", name, where, 0, x->node) == -1)
		return -1;
	*o = acl_obj_find(x->c, name);
	if (*o == NULL)
		x->undef = 1;
	return 0;
}

/* An address at x->i: any, host A, A/len, A MASK, object(-group) NAME. */
static int
parse_addr(struct ectx *x, struct acl_tern *a, int *n, int standard)
{
	const char *t = tok(x), *m;
	uint32_t ip, mask;
	struct acl_tern p;
	const struct acl_obj *o;

	if (t == NULL)
		return bad(x, "missing address", NULL);
	x->i++;
	if (strcmp(t, "any") == 0 || strcmp(t, "any4") == 0)
		return push_addr(a, n, acl_tern_wild(0, 0xffffffffu));
	if (strcmp(t, "host") == 0) {
		if ((t = tok(x)) == NULL || acl_ipv4(t, &ip) == -1)
			return bad(x, "host needs an IPv4 address, not", t);
		x->i++;
		return push_addr(a, n, acl_tern_wild(ip, 0));
	}
	if (strcmp(t, "object-group") == 0 || strcmp(t, "object") == 0 ||
	    strcmp(t, "addrgroup") == 0) {
		if ((t = tok(x)) == NULL)
			return bad(x, "missing object name", NULL);
		x->i++;
		if (use_obj(x, t, &o) == -1)
			return -1;
		if (o == NULL)
			return 0;
		if (o->kind != ACL_OBJ_NET)
			return bad(x, "not a network object:", t);
		return expand_net(x, o, a, n, 0);
	}
	if (strchr(t, '/')) {
		if (acl_ipv4_prefix(t, &p) == -1)
			return bad(x, "bad prefix", t);
		return push_addr(a, n, p);
	}
	if (acl_ipv4(t, &ip) == -1)
		return bad(x, "bad address", t);
	m = tok(x);
	if (m && acl_ipv4(m, &mask) == 0) {
		x->i++;
		return push_addr(a, n, acl_tern_wild(ip, x->asa ? ~mask : mask));
	}
	(void)standard; /* NX-OS, EOS: a bare address is a host */
	return push_addr(a, n, acl_tern_wild(ip, 0));
}

/* A port condition at x->i (eq, neq, lt, gt, range, object-group). */
static int
parse_ports(struct ectx *x, struct acl_range *r, int *n)
{
	const char *op = tok(x), *t;
	unsigned p, q;
	const struct acl_obj *o;

	*n = 0;
	if (op == NULL)
		return 0;
	if (strcmp(op, "object-group") == 0 && x->i + 1 < x->tk->n &&
	    (o = acl_obj_find(x->c, x->tk->t[x->i + 1])) != NULL &&
	    o->kind == ACL_OBJ_PORT) {
		x->i += 2;
		for (size_t k = 0; k < o->nport && *n < MAXPORTS; k++)
			r[(*n)++] = o->port[k];
		return 0;
	}
	if (strcmp(op, "eq") && strcmp(op, "neq") && strcmp(op, "lt") &&
	    strcmp(op, "gt") && strcmp(op, "range"))
		return 0;
	x->i++;
	if ((t = tok(x)) == NULL || acl_port_parse(t, &p) == -1)
		return bad(x, "bad port", t);
	x->i++;
	if (strcmp(op, "eq") == 0) {
		r[(*n)++] = (struct acl_range){ p, p };
		while ((t = tok(x)) && *n < MAXPORTS &&
		    acl_port_parse(t, &q) == 0 && strchr(t, '.') == NULL) {
			r[(*n)++] = (struct acl_range){ q, q };
			x->i++;
		}
	} else if (strcmp(op, "neq") == 0) {
		if (p > 0)
			r[(*n)++] = (struct acl_range){ 0, p - 1 };
		if (p < 65535)
			r[(*n)++] = (struct acl_range){ p + 1, 65535 };
		if (*n == 0)
			return bad(x, "empty port range", NULL);
	} else if (strcmp(op, "lt") == 0) {
		if (p == 0)
			return bad(x, "empty port range", NULL);
		r[(*n)++] = (struct acl_range){ 0, p - 1 };
	} else if (strcmp(op, "gt") == 0) {
		if (p == 65535)
			return bad(x, "empty port range", NULL);
		r[(*n)++] = (struct acl_range){ p + 1, 65535 };
	} else {
		if ((t = tok(x)) == NULL || acl_port_parse(t, &q) == -1 || q < p)
			return bad(x, "bad port range", t);
		x->i++;
		r[(*n)++] = (struct acl_range){ p, q };
	}
	return 0;
}

static int
proto_box(struct acl_set *s, int proto)
{
	struct acl_box b;

	acl_box_all(&b);
	if (proto >= 0)
		b.proto.lo = b.proto.hi = (uint32_t)proto;
	return aclset_push(s, &b);
}

static int
has_ports(int proto)
{
	return proto == 6 || proto == 17 || proto == 132;
}

/*
 * A service at x->i: PROTO [source PORTS] [destination PORTS] [icmp type
 * [code]] (ASA service-object, object service) or the IOS service
 * object-group form PROTO [source PORTS] [PORTS].
 */
static int
parse_service(struct ectx *x, struct acl_set *out)
{
	const char *t = tok(x);
	struct acl_range sp[MAXPORTS], dp[MAXPORTS];
	int nsp = 0, ndp = 0, protos[2], np = 0, type, code;
	unsigned v;
	struct acl_box b;

	if (t == NULL)
		return bad(x, "missing protocol", NULL);
	x->i++;
	if (strcmp(t, "tcp-udp") == 0) {
		protos[np++] = 6;
		protos[np++] = 17;
	} else if ((protos[0] = acl_proto_parse(t)) == -2)
		return bad(x, "unknown protocol", t);
	else
		np = 1;
	acl_box_all(&b);
	while ((t = tok(x)) != NULL) {
		if (strcmp(t, "source") == 0) {
			x->i++;
			if (parse_ports(x, sp, &nsp) == -1)
				return -1;
		} else if (strcmp(t, "destination") == 0) {
			x->i++;
			if (parse_ports(x, dp, &ndp) == -1)
				return -1;
		} else if (has_ports(protos[0]) && ndp == 0) {
			if (parse_ports(x, dp, &ndp) == -1)
				return -1;
			if (ndp == 0)
				return bad(x, "unexpected", t);
		} else if (protos[0] == 1 && acl_icmp_parse(t, &type, &code)
		    == 0) {
			x->i++;
			b.itype.lo = b.itype.hi = (uint32_t)type;
			if (code >= 0)
				b.icode.lo = b.icode.hi = (uint32_t)code;
		} else if (protos[0] == 1 && acl_num(t, 255, &v) == 0) {
			x->i++;
			b.itype.lo = b.itype.hi = v;
		} else
			return bad(x, "unexpected", t);
	}
	if ((nsp || ndp) && !has_ports(protos[0]))
		return bad(x, "ports for a protocol without ports", NULL);
	if (nsp == 0)
		sp[nsp++] = (struct acl_range){ 0, 65535 };
	if (ndp == 0)
		dp[ndp++] = (struct acl_range){ 0, 65535 };
	for (int k = 0; k < np; k++)
		for (int s = 0; s < nsp; s++)
			for (int d = 0; d < ndp; d++) {
				struct acl_box c = b;

				if (protos[k] >= 0)
					c.proto.lo = c.proto.hi =
					    (uint32_t)protos[k];
				c.sport = sp[s];
				c.dport = dp[d];
				if (aclset_add(out, &c) == -1)
					return -1;
			}
	return 0;
}

static int
expand_svc(struct ectx *x, const struct acl_obj *o, struct acl_set *out,
    int depth)
{
	if (depth > ACL_DEPTH)
		return bad(x, "object-groups nested too deep at", o->name);
	if (o->bad)
		return bad(x, "object not modelled:", o->name);
	if (o->kind == ACL_OBJ_NET || o->kind == ACL_OBJ_PORT)
		return bad(x, "not a service or protocol object:", o->name);
	if (aclset_add_set(out, &o->svc) == -1)
		return -1;
	for (size_t k = 0; k < o->ngroup; k++) {
		const struct acl_obj *g = acl_obj_find(x->c, o->group[k]);

		if (g == NULL)
			x->undef = 1;
		else if (expand_svc(x, g, out, depth + 1) == -1)
			return -1;
	}
	return 0;
}

/* The entry after its action at x->i; adds it to x->acl. */
static int
parse_entry(struct ectx *x, int action, int standard, long seq)
{
	struct acl_set svc, match;
	struct acl_range sp[MAXPORTS], dp[MAXPORTS];
	int nsp = 0, ndp = 0, proto = -1, type = -1, code = -1, est = 0;
	int rc = -1, svcobj = 0;
	const char *t;
	const struct acl_obj *o;
	unsigned v;

	aclset_init(&svc);
	aclset_init(&match);
	x->nsrc = x->ndst = 0;
	x->undef = 0;
	if (standard) {
		if (parse_addr(x, x->src, &x->nsrc, 1) == -1)
			goto out;
		x->dst[x->ndst++] = acl_tern_wild(0, 0xffffffffu);
		if (proto_box(&svc, -1) == -1)
			goto out;
	} else {
		if ((t = tok(x)) == NULL) {
			bad(x, "missing protocol", NULL);
			goto out;
		}
		x->i++;
		if (strcmp(t, "object-group") == 0 || strcmp(t, "object") == 0) {
			if ((t = tok(x)) == NULL) {
				bad(x, "missing object name", NULL);
				goto out;
			}
			x->i++;
			svcobj = 1;
			if (use_obj(x, t, &o) == -1 ||
			    (o && expand_svc(x, o, &svc, 0) == -1))
				goto out;
		} else if (acl_has_colon(t) || strcmp(t, "ipv6") == 0) {
			bad(x, "IPv6 not analysed", NULL);
			goto out;
		} else if ((proto = acl_proto_parse(t)) == -2) {
			bad(x, "unknown protocol", t);
			goto out;
		} else if (proto_box(&svc, proto) == -1)
			goto out;
		if (parse_addr(x, x->src, &x->nsrc, 0) == -1)
			goto out;
		if (has_ports(proto) && parse_ports(x, sp, &nsp) == -1)
			goto out;
		if (parse_addr(x, x->dst, &x->ndst, 0) == -1)
			goto out;
		if (has_ports(proto) && parse_ports(x, dp, &ndp) == -1)
			goto out;
	}
	while ((t = tok(x)) != NULL) {
		if (strcmp(t, "log") == 0 || strcmp(t, "log-input") == 0)
			break; /* logging changes no decision */
		if (strcmp(t, "inactive") == 0) {
			rc = 0; /* matches nothing: left out */
			goto out;
		}
		x->i++;
		if (strcmp(t, "established") == 0 && proto == 6)
			est = 1;
		else if (proto == 1 && type < 0 &&
		    acl_icmp_parse(t, &type, &code) == 0)
			;
		else if (proto == 1 && type < 0 && acl_num(t, 255, &v) == 0)
			type = (int)v;
		else if (proto == 1 && type >= 0 && code < 0 &&
		    acl_num(t, 255, &v) == 0)
			code = (int)v;
		else if (strcmp(t, "fragments") == 0 || strcmp(t, "dscp") == 0 ||
		    strcmp(t, "precedence") == 0 || strcmp(t, "tos") == 0 ||
		    strcmp(t, "ttl") == 0 || strcmp(t, "time-range") == 0 ||
		    strcmp(t, "option") == 0 || strcmp(t, "ack") == 0 ||
		    strcmp(t, "syn") == 0 || strcmp(t, "fin") == 0 ||
		    strcmp(t, "rst") == 0 || strcmp(t, "psh") == 0 ||
		    strcmp(t, "urg") == 0 || strcmp(t, "match-any") == 0 ||
		    strcmp(t, "match-all") == 0 ||
		    strcmp(t, "packet-length") == 0) {
			x->acl->unanalysed = 1;
			snprintf(x->acl->why, sizeof(x->acl->why),
			    "line %u: \"%s\" is not modelled", x->node->lineno,
			    t);
			rc = 0;
			goto out;
		} else {
			bad(x, "unexpected", t);
			goto out;
		}
	}
	if (nsp == 0)
		sp[nsp++] = (struct acl_range){ 0, 65535 };
	if (ndp == 0)
		dp[ndp++] = (struct acl_range){ 0, 65535 };
	for (size_t k = 0; k < svc.n; k++)
		for (int s = 0; s < x->nsrc; s++)
			for (int d = 0; d < x->ndst; d++)
				for (int ps = 0; ps < nsp; ps++)
					for (int pd = 0; pd < ndp; pd++) {
		struct acl_box b = svc.b[k], c;

		b.src = x->src[s];
		b.dst = x->dst[d];
		if (!svcobj || nsp > 1 || sp[0].lo || sp[0].hi != 65535) {
			struct acl_range r;

			if (b.sport.lo > sp[ps].lo || b.sport.hi < sp[ps].hi) {
				r.lo = b.sport.lo > sp[ps].lo ? b.sport.lo :
				    sp[ps].lo;
				r.hi = b.sport.hi < sp[ps].hi ? b.sport.hi :
				    sp[ps].hi;
				if (r.lo > r.hi)
					continue;
				b.sport = r;
			} else
				b.sport = sp[ps];
		}
		if (!svcobj || ndp > 1 || dp[0].lo || dp[0].hi != 65535) {
			acl_box_all(&c);
			c.dport = dp[pd];
			if (!acl_box_inter(&b, &c, &b))
				continue;
		}
		if (type >= 0)
			b.itype.lo = b.itype.hi = (uint32_t)type;
		if (code >= 0)
			b.icode.lo = b.icode.hi = (uint32_t)code;
		if (est)
			b.est.lo = b.est.hi = 1;
		if (aclset_add(&match, &b) == -1)
			goto out;
	}
	if (x->undef)
		aclset_clear(&match);
	if (acl_entry_add(x->acl, action, &match, x->node, seq) == -1)
		goto out;
	if (x->undef)
		x->acl->e[x->acl->n - 1].undef = 1;
	rc = 0;
out:
	aclset_free(&svc);
	aclset_free(&match);
	return rc;
}

static int
warn_line(struct ectx *x)
{
	return acl_note(x->c, x->node, x->err ? x->err : "unparsed");
}

/* "[SEQ] permit|deny ..." or "remark ..." of ACL at TK from index I. */
static int
acl_line(struct ectx *x, int standard, long pos)
{
	const char *t = tok(x);
	unsigned seq = 0;
	int action;

	x->err = NULL;
	if (t && acl_num(t, 0xffffffffu, &seq) == 0) {
		x->i++;
		t = tok(x);
	} else
		seq = (unsigned)pos;
	if (t == NULL)
		return 0;
	if (strcmp(t, "remark") == 0 || strcmp(t, "statistics") == 0 ||
	    strcmp(t, "counters") == 0 || strcmp(t, "description") == 0 ||
	    strcmp(t, "no") == 0)
		return 0;
	if (strcmp(t, "permit") == 0)
		action = ACL_PERMIT;
	else if (strcmp(t, "deny") == 0)
		action = ACL_DENY;
	else {
		bad(x, "not an ACL entry:", t);
		return warn_line(x);
	}
	x->i++;
	if (x->acl->ipv6)
		return 0;
	if (x->acl->n >= ACL_MAX_ENTRIES) {
		bad(x, "too many entries", NULL);
		return warn_line(x);
	}
	if (parse_entry(x, action, standard, (long)seq) == -1) {
		if (x->err == NULL)
			return -1; /* out of memory */
		return warn_line(x);
	}
	return 0;
}

static int
std_number(const char *s)
{
	unsigned n;

	return acl_num(s, 0xffff, &n) == 0 &&
	    ((n >= 1 && n <= 99) || (n >= 1300 && n <= 1999));
}

/* Top-level "access-list ...": IOS numbered, or ASA named. */
static int
toplevel_acl(struct ectx *x)
{
	struct acl_toks *tk = x->tk;
	const char *name, *kw;
	int standard = 0;
	struct acl *a;

	if (tk->n < 3)
		return acl_note(x->c, x->node, "short access-list line");
	name = tk->t[1];
	kw = tk->t[2];
	x->i = 2;
	if (strcmp(kw, "line") == 0 && tk->n > 4) {
		x->i = 4;
		kw = tk->t[4];
	}
	if ((a = (struct acl *)acl_config_find(x->c, name)) == NULL &&
	    (a = acl_new(x->c, name, strlen(name), x->node->lineno)) == NULL)
		return -1;
	x->acl = a;
	if (strcmp(kw, "remark") == 0)
		return 0;
	if (strcmp(kw, "extended") == 0 || strcmp(kw, "standard") == 0) {
		standard = strcmp(kw, "standard") == 0;
		x->i++;
		x->asa = 1;
	} else if (strcmp(kw, "webtype") == 0 || strcmp(kw, "ethertype") == 0) {
		a->unanalysed = 1;
		snprintf(a->why, sizeof(a->why), "%s ACL", kw);
		return 0;
	} else {
		standard = std_number(name);
		if (strcmp(kw, "dynamic") == 0)
			x->i += 2;
	}
	{
		const char *t = tok(x);

		if (t && strcmp(t, "permit") && strcmp(t, "deny"))
			return acl_note(x->c, x->node, "not an ACL entry");
	}
	return acl_line(x, standard, (long)a->n + 1);
}

/* "ip access-list [standard|extended] NAME" and its entries. */
static int
named_acl(struct ectx *x, int v6)
{
	struct acl_toks *tk = x->tk;
	int standard = 0, k = 2;
	const struct cfg_node *ch;
	struct acl *a;
	const char *name;

	if (k < tk->n && (strcmp(tk->t[k], "standard") == 0 ||
	    strcmp(tk->t[k], "extended") == 0)) {
		standard = strcmp(tk->t[k], "standard") == 0;
		k++;
	}
	if (k >= tk->n || strcmp(tk->t[k - 1], "resequence") == 0 ||
	    strcmp(tk->t[k], "logging") == 0 ||
	    strcmp(tk->t[k], "resequence") == 0 || strcmp(tk->t[k], "log-update") == 0)
		return 0;
	name = tk->t[k];
	if (acl_config_find(x->c, name) != NULL)
		return acl_note(x->c, x->node, "ACL defined again: merged");
	if ((a = acl_new(x->c, name, strlen(name), x->node->lineno)) == NULL)
		return -1;
	a->ipv6 = v6;
	if (v6)
		snprintf(a->why, sizeof(a->why), "IPv6 ACL: not analysed");
	if (std_number(name))
		standard = 1;
	x->acl = a;
	x->asa = 0;
	for (ch = x->node->child; ch; ch = ch->next) {
		x->node = ch;
		x->i = 0;
		if (acl_toks(tk, ch->text, ch->len) == -1) {
			if (acl_note(x->c, ch, "line too long") == -1)
				return -1;
			continue;
		}
		if (acl_line(x, standard, (long)(a->n + 1) * 10) == -1)
			return -1;
	}
	return 0;
}

int acl_parse_objects(struct acl_config *, const struct cfg_node *,
    struct acl_toks *);

int
acl_parse_cisco(struct acl_config *c, const struct cfg_node *root)
{
	struct ectx *x = calloc(1, sizeof(*x));
	struct acl_toks *tk = calloc(1, sizeof(*tk));
	const struct cfg_node *n;
	int rc = 0;

	if (x == NULL || tk == NULL) {
		free(x);
		free(tk);
		return -1;
	}
	x->c = c;
	x->tk = tk;
	/* objects first: ACLs may use them before they are defined */
	for (n = root->child; n && rc == 0; n = n->next)
		if (cfg_node_starts(n, "object"))
			rc = acl_parse_objects(c, n, tk);
	for (n = root->child; n && rc == 0; n = n->next) {
		x->node = n;
		x->asa = c->plat == CFG_PLAT_ASA;
		if (cfg_node_starts(n, "access-list ")) {
			if (acl_toks(tk, n->text, n->len) == -1)
				rc = acl_note(c, n, "line too long");
			else
				rc = toplevel_acl(x);
		} else if (cfg_node_starts(n, "ip access-list ") ||
		    cfg_node_starts(n, "ipv4 access-list ") ||
		    cfg_node_starts(n, "ipv6 access-list ")) {
			if (acl_toks(tk, n->text, n->len) == -1)
				rc = acl_note(c, n, "line too long");
			else
				rc = named_acl(x, n->text[3] == '6');
		}
	}
	free(x);
	free(tk);
	return rc;
}

/* For the object parser: a service spec from TK at index I into S. */
int acl_parse_service_toks(struct acl_config *, const struct cfg_node *,
    struct acl_toks *, int i, struct acl_set *s, const char **err);

int
acl_parse_service_toks(struct acl_config *c, const struct cfg_node *n,
    struct acl_toks *tk, int i, struct acl_set *s, const char **err)
{
	static struct ectx x; /* one loop, no threads */
	int rc;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.node = n;
	x.tk = tk;
	x.i = i;
	rc = parse_service(&x, s);
	*err = x.err ? x.errbuf : NULL;
	return rc;
}

/* An address of an object-group member at I: host A, A M, A/len,
 * range A B (netmasks, not wildcards). */
int acl_parse_member_addr(struct acl_obj *, struct acl_toks *, int i,
    int wildcard);

int
acl_parse_member_addr(struct acl_obj *o, struct acl_toks *tk, int i,
    int wildcard)
{
	uint32_t a, m;
	struct acl_tern t[64];
	int n;

	if (i >= tk->n)
		return -1;
	if (strcmp(tk->t[i], "host") == 0)
		return i + 1 < tk->n && acl_ipv4(tk->t[i + 1], &a) == 0 ?
		    acl_obj_addr(o, acl_tern_wild(a, 0)) : -2;
	if (strcmp(tk->t[i], "range") == 0) {
		if (i + 2 >= tk->n || acl_ipv4(tk->t[i + 1], &a) == -1 ||
		    acl_ipv4(tk->t[i + 2], &m) == -1 || m < a)
			return -2;
		n = acl_range_terns(a, m, t, 64);
		for (int k = 0; k < n; k++)
			if (acl_obj_addr(o, t[k]) == -1)
				return -1;
		return 0;
	}
	if (strchr(tk->t[i], '/'))
		return acl_ipv4_prefix(tk->t[i], &t[0]) == 0 ?
		    acl_obj_addr(o, t[0]) : -2;
	if (acl_ipv4(tk->t[i], &a) == -1)
		return -2;
	if (i + 1 >= tk->n)
		return acl_obj_addr(o, acl_tern_wild(a, 0));
	if (acl_ipv4(tk->t[i + 1], &m) == -1)
		return -2;
	return acl_obj_addr(o, acl_tern_wild(a, wildcard ? m : ~m));
}
