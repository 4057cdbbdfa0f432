/*
 * acl_junos.c - Junos "firewall family inet filter NAME { term T { from
 * {...} then accept|discard|reject; } }" as ACLs, and the interfaces'
 * "filter input|output NAME" as bindings. The block tree gives "display
 * set" lines the shape of the brace form (cfgtree.c), so both forms are
 * read here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/acl_int.h"

static const struct cfg_node *
kid(const struct cfg_node *n, const char *text)
{
	size_t l = strlen(text);

	for (const struct cfg_node *c = n ? n->child : NULL; c; c = c->next)
		if (c->len == l && memcmp(c->text, text, l) == 0)
			return c;
	return NULL;
}

/* The values of a "from" condition: "K v;" or "K [ v w ];" or a block. */
static int
values(const struct cfg_node *f, const char *key, struct acl_toks *tk,
    char vals[][64], int max)
{
	int nv = 0;
	size_t kl = strlen(key);

	for (const struct cfg_node *c = f->child; c; c = c->next) {
		if (c->len < kl || memcmp(c->text, key, kl) != 0 ||
		    (c->len > kl && c->text[kl] != ' '))
			continue;
		if (c->child) {
			for (const struct cfg_node *v = c->child; v && nv < max;
			    v = v->next)
				if (acl_toks(tk, v->text, v->len) == 0 &&
				    tk->n > 0)
					snprintf(vals[nv++], 64, "%s", tk->t[0]);
			continue;
		}
		if (acl_toks(tk, c->text, c->len) == -1)
			return -1;
		for (int i = 1; i < tk->n && nv < max; i++)
			if (strcmp(tk->t[i], "[") && strcmp(tk->t[i], "]"))
				snprintf(vals[nv++], 64, "%s", tk->t[i]);
	}
	return nv;
}

static int
term(struct acl_config *c, struct acl *a, const struct cfg_node *t,
    struct acl_toks *tk)
{
	const struct cfg_node *from = kid(t, "from"), *then = kid(t, "then");
	static char v[64][64];
	struct acl_set s;
	struct acl_box b;
	int n, action = -1;

	if (then == NULL) {
		for (const struct cfg_node *x = t->child; x; x = x->next)
			if (x->len > 5 && memcmp(x->text, "then ", 5) == 0)
				then = x;
	}
	if (then && then->child == NULL && then->len > 5) {
		if (acl_toks(tk, then->text, then->len) == 0 && tk->n >= 2)
			action = strcmp(tk->t[1], "accept") == 0 ? ACL_PERMIT :
			    (strcmp(tk->t[1], "discard") == 0 ||
			    strcmp(tk->t[1], "reject") == 0) ? ACL_DENY : -1;
	} else if (then) {
		for (const struct cfg_node *x = then->child; x; x = x->next)
			if (cfg_node_starts(x, "accept"))
				action = ACL_PERMIT;
			else if (cfg_node_starts(x, "discard") ||
			    cfg_node_starts(x, "reject"))
				action = ACL_DENY;
	}
	if (action < 0)
		return 0; /* next term, count, ...: no decision */
	aclset_init(&s);
	acl_box_all(&b);
	if (aclset_push(&s, &b) == -1)
		return -1;
	if (from) {
		static const char *dims[] = { "source-address",
		    "destination-address", "protocol", "source-port",
		    "destination-port", "icmp-type", "port" };

		for (const struct cfg_node *x = from->child; x; x = x->next) {
			int known = 0;

			for (size_t d = 0; d < 7; d++)
				if (cfg_node_starts(x, dims[d]))
					known = 1;
			if (!known) {
				a->unanalysed = 1;
				snprintf(a->why, sizeof(a->why),
				    "line %u: condition not modelled",
				    x->lineno);
			}
		}
		for (int d = 0; d < 7; d++) {
			static const char *keys[] = { "source-address",
			    "destination-address", "protocol", "source-port",
			    "destination-port", "icmp-type", "port" };
			struct acl_set cond;

			if ((n = values(from, keys[d], tk, v, 64)) <= 0)
				continue;
			aclset_init(&cond);
			for (int i = 0; i < n; i++) {
				struct acl_tern tn;
				unsigned p, q;
				int pr, ty, co;
				char *dash;

				acl_box_all(&b);
				if (d < 2) {
					if (acl_ipv4_prefix(v[i], &tn) == -1) {
						uint32_t ip;

						if (acl_ipv4(v[i], &ip) == -1)
							goto bad;
						tn = acl_tern_wild(ip, 0);
					}
					if (d == 0)
						b.src = tn;
					else
						b.dst = tn;
				} else if (d == 2) {
					if ((pr = acl_proto_parse(v[i])) == -2)
						goto bad;
					if (pr >= 0)
						b.proto.lo = b.proto.hi =
						    (uint32_t)pr;
				} else if (d == 5) {
					if (acl_icmp_parse(v[i], &ty, &co) == 0)
						b.itype.lo = b.itype.hi =
						    (uint32_t)ty;
					else if (acl_num(v[i], 255, &p) == 0)
						b.itype.lo = b.itype.hi = p;
					else
						goto bad;
				} else {
					if ((dash = strchr(v[i], '-')) != NULL &&
					    dash != v[i]) {
						*dash = '\0';
						if (acl_port_parse(v[i], &p) ||
						    acl_port_parse(dash + 1, &q)
						    || q < p)
							goto bad;
					} else if (acl_port_parse(v[i], &p))
						goto bad;
					else
						q = p;
					if (d == 3)
						b.sport = (struct acl_range){
						    p, q };
					else
						b.dport = (struct acl_range){
						    p, q };
				}
				if (d == 6) {
					/* port: source or destination */
					struct acl_box b2;

					acl_box_all(&b2);
					b2.sport = b.dport;
					if (aclset_add(&cond, &b2) == -1)
						goto oom;
				}
				if (aclset_add(&cond, &b) == -1)
					goto oom;
			}
			if (aclset_inter(&s, &cond) == -1)
				goto oom;
			aclset_free(&cond);
			continue;
bad:
			aclset_free(&cond);
			aclset_free(&s);
			return acl_note(c, t, "term condition not understood");
oom:
			aclset_free(&cond);
			aclset_free(&s);
			return -1;
		}
	}
	if (acl_entry_add(a, action, &s, t, (long)a->n + 1) == -1) {
		aclset_free(&s);
		return -1;
	}
	return 0;
}

int
acl_parse_junos(struct acl_config *c, const struct cfg_node *root)
{
	static struct acl_toks tk;
	const struct cfg_node *fw = kid(root, "firewall"), *fam, *ifs;
	char where[200];

	fam = kid(fw, "family inet");
	for (const struct cfg_node *f = fam ? fam->child : NULL; f;
	    f = f->next) {
		struct acl *a;

		if (!cfg_node_starts(f, "filter ") || f->len < 8)
			continue;
		if ((a = acl_new(c, f->text + 7, f->len - 7, f->lineno)) ==
		    NULL)
			return -1;
		for (const struct cfg_node *t = f->child; t; t = t->next)
			if (cfg_node_starts(t, "term ") &&
			    term(c, a, t, &tk) == -1)
				return -1;
	}
	/* bindings: interfaces IF unit N family inet filter input|output */
	ifs = kid(root, "interfaces");
	for (const struct cfg_node *i = ifs ? ifs->child : NULL; i; i = i->next)
		for (const struct cfg_node *u = i->child; u; u = u->next) {
			const struct cfg_node *fi = kid(u, "family inet");

			fi = fi ? kid(fi, "filter") : NULL;
			for (const struct cfg_node *x = fi ? fi->child : NULL;
			    x; x = x->next) {
				if (acl_toks(&tk, x->text, x->len) == -1 ||
				    tk.n < 2)
					continue;
				snprintf(where, sizeof(where),
				    "interface %.*s %.*s %s", (int)(i->len >
				    60 ? 60 : i->len), i->text, (int)(u->len >
				    60 ? 60 : u->len), u->text, tk.t[0]);
				if (acl_ref_add(c, "acl", tk.t[1], where, 1,
				    x) == -1)
					return -1;
			}
		}
	return 0;
}
