/*
 * acl_obj.c - objects and object-groups of IOS, NX-OS and ASA (network,
 * service, protocol, icmp-type; ASA typed service groups of ports).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/acl_int.h"

int acl_parse_service_toks(struct acl_config *, const struct cfg_node *,
    struct acl_toks *, int i, struct acl_set *s, const char **err);
int acl_parse_member_addr(struct acl_obj *, struct acl_toks *, int i,
    int wildcard);
int acl_parse_objects(struct acl_config *, const struct cfg_node *,
    struct acl_toks *);

struct acl_obj *
acl_obj_find(const struct acl_config *c, const char *name)
{
	for (size_t i = 0; i < c->nobj; i++)
		if (strcmp(c->obj[i].name, name) == 0)
			return &c->obj[i];
	return NULL;
}

struct acl_obj *
acl_obj_new(struct acl_config *c, const char *name, int kind)
{
	struct acl_obj *o;

	if (c->nobj >= ACL_MAX_ITEMS)
		return NULL;
	if (c->nobj == c->capobj) {
		size_t cap = c->capobj ? c->capobj * 2 : 16;
		void *p = realloc(c->obj, cap * sizeof(*c->obj));

		if (p == NULL)
			return NULL;
		c->obj = p;
		c->capobj = cap;
	}
	o = &c->obj[c->nobj];
	memset(o, 0, sizeof(*o));
	if ((o->name = strdup(name)) == NULL)
		return NULL;
	o->kind = kind;
	aclset_init(&o->svc);
	c->nobj++;
	return o;
}

#define GROW(arr, n, max) do {						\
	if ((n) >= (max)) return -1;					\
	if (((n) & ((n) - 1)) == 0 || (n) == 0) {			\
		size_t cap_ = (n) ? (n) * 2 : 4;			\
		void *p_ = realloc((arr), cap_ * sizeof(*(arr)));	\
		if (p_ == NULL) return -1;				\
		(arr) = p_;						\
	}								\
} while (0)

int
acl_obj_addr(struct acl_obj *o, struct acl_tern t)
{
	GROW(o->addr, o->naddr, ACL_ADDRS);
	o->addr[o->naddr++] = t;
	return 0;
}

int
acl_obj_port(struct acl_obj *o, struct acl_range r)
{
	GROW(o->port, o->nport, 1024);
	o->port[o->nport++] = r;
	return 0;
}

int
acl_obj_group(struct acl_obj *o, const char *name)
{
	char *s;

	GROW(o->group, o->ngroup, 4096);
	if ((s = strdup(name)) == NULL)
		return -1;
	o->group[o->ngroup++] = s;
	return 0;
}

static int
ports(struct acl_obj *o, struct acl_toks *tk, int i)
{
	unsigned p, q;

	if (i + 1 >= tk->n || acl_port_parse(tk->t[i + 1], &p) == -1)
		return -2;
	if (strcmp(tk->t[i], "eq") == 0)
		return acl_obj_port(o, (struct acl_range){ p, p });
	if (strcmp(tk->t[i], "range") == 0 && i + 2 < tk->n &&
	    acl_port_parse(tk->t[i + 2], &q) == 0 && q >= p)
		return acl_obj_port(o, (struct acl_range){ p, q });
	if (strcmp(tk->t[i], "lt") == 0 && p > 0)
		return acl_obj_port(o, (struct acl_range){ 0, p - 1 });
	if (strcmp(tk->t[i], "gt") == 0 && p < 65535)
		return acl_obj_port(o, (struct acl_range){ p + 1, 65535 });
	if (strcmp(tk->t[i], "neq") == 0) {
		if (p > 0 && acl_obj_port(o, (struct acl_range){ 0, p - 1 }))
			return -1;
		if (p < 65535 &&
		    acl_obj_port(o, (struct acl_range){ p + 1, 65535 }))
			return -1;
		return 0;
	}
	return -2;
}

static int
member(struct acl_config *c, struct acl_obj *o, const struct cfg_node *n,
    struct acl_toks *tk, int isobj)
{
	const char *k, *err = NULL;
	int i = 0, rc, proto, type, code;
	unsigned v;
	struct acl_box b;

	if (tk->n == 0)
		return 0;
	/* NX-OS members have sequence numbers */
	if (acl_num(tk->t[0], 0xffffffffu, &v) == 0 && tk->n > 1)
		i = 1;
	k = tk->t[i];
	if (strcmp(k, "description") == 0 || strcmp(k, "nat") == 0)
		return 0;
	if (strcmp(k, "group-object") == 0 ||
	    ((strcmp(k, "network-object") == 0 ||
	    strcmp(k, "service-object") == 0) && i + 2 < tk->n &&
	    strcmp(tk->t[i + 1], "object") == 0)) {
		const char *name = strcmp(k, "group-object") == 0 ?
		    (i + 1 < tk->n ? tk->t[i + 1] : NULL) : tk->t[i + 2];
		char where[160];

		if (name == NULL)
			return acl_note(c, n, "group-object needs a name");
		snprintf(where, sizeof(where), "object-group %s", o->name);
		if (acl_ref_add(c, "object-group", name, where, 0, n) == -1)
			return -1;
		return acl_obj_group(o, name);
	}
	if (o->kind == ACL_OBJ_NET) {
		if (strcmp(k, "network-object") == 0)
			i++;
		else if (strcmp(k, "fqdn") == 0 || acl_has_colon(tk->t[tk->n - 1])) {
			o->bad = 1;
			return 0;
		} else if (strcmp(k, "subnet") == 0)
			i++;
		rc = acl_parse_member_addr(o, tk, i, 0);
	} else if (o->kind == ACL_OBJ_PORT) {
		if (strcmp(k, "port-object") == 0)
			i++;
		rc = ports(o, tk, i);
	} else if (o->kind == ACL_OBJ_PROTO) {
		if (strcmp(k, "protocol-object") == 0)
			i++;
		if (i >= tk->n || (proto = acl_proto_parse(tk->t[i])) == -2)
			rc = -2;
		else {
			acl_box_all(&b);
			if (proto >= 0)
				b.proto.lo = b.proto.hi = (uint32_t)proto;
			rc = aclset_add(&o->svc, &b);
		}
	} else if (o->kind == ACL_OBJ_ICMP) {
		if (strcmp(k, "icmp-object") == 0)
			i++;
		acl_box_all(&b);
		b.proto.lo = b.proto.hi = 1;
		if (i < tk->n && acl_icmp_parse(tk->t[i], &type, &code) == 0) {
			b.itype.lo = b.itype.hi = (uint32_t)type;
			if (code >= 0)
				b.icode.lo = b.icode.hi = (uint32_t)code;
			rc = aclset_add(&o->svc, &b);
		} else if (i < tk->n && acl_num(tk->t[i], 255, &v) == 0) {
			b.itype.lo = b.itype.hi = v;
			rc = aclset_add(&o->svc, &b);
		} else
			rc = -2;
	} else {
		if (strcmp(k, "service-object") == 0 ||
		    (isobj && strcmp(k, "service") == 0))
			i++;
		rc = acl_parse_service_toks(c, n, tk, i, &o->svc, &err);
		if (rc == -1 && err != NULL)
			return acl_note(c, n, err);
	}
	if (rc == -2)
		return acl_note(c, n, "object member not understood");
	return rc;
}

/* "object ..." and "object-group ..." at the top level. */
int
acl_parse_objects(struct acl_config *c, const struct cfg_node *n,
    struct acl_toks *tk)
{
	int kind = 0, isobj, k = 2;
	const struct cfg_node *ch;
	struct acl_obj *o;
	char name[256];

	if (acl_toks(tk, n->text, n->len) == -1 || tk->n < 3)
		return 0;
	isobj = strcmp(tk->t[0], "object") == 0;
	if (!isobj && strcmp(tk->t[0], "object-group") != 0)
		return 0;
	if (strcmp(tk->t[1], "network") == 0)
		kind = ACL_OBJ_NET;
	else if (strcmp(tk->t[1], "service") == 0)
		kind = tk->n > 3 ? ACL_OBJ_PORT : ACL_OBJ_SVC;
	else if (strcmp(tk->t[1], "protocol") == 0)
		kind = ACL_OBJ_PROTO;
	else if (strcmp(tk->t[1], "icmp-type") == 0)
		kind = ACL_OBJ_ICMP;
	else if (strcmp(tk->t[1], "ip") == 0 && tk->n > 3) {
		kind = strcmp(tk->t[2], "address") == 0 ? ACL_OBJ_NET :
		    strcmp(tk->t[2], "port") == 0 ? ACL_OBJ_PORT : 0;
		k = 3;
	}
	if (kind == 0 || k >= tk->n)
		return acl_note(c, n, "object kind not modelled");
	snprintf(name, sizeof(name), "%s", tk->t[k]);
	if ((o = acl_obj_find(c, name)) != NULL) {
		/* ASA repeats "object network X" for its NAT: the same
		 * object, more lines */
		if (o->kind != kind)
			return acl_note(c, n, "object defined again as "
			    "another kind: ignored");
	} else if ((o = acl_obj_new(c, name, kind)) == NULL)
		return -1;
	for (ch = n->child; ch; ch = ch->next) {
		if (acl_toks(tk, ch->text, ch->len) == -1) {
			if (acl_note(c, ch, "line too long") == -1)
				return -1;
			continue;
		}
		/* re-find: member() may not move c->obj, but be safe */
		o = acl_obj_find(c, name);
		if (member(c, o, ch, tk, isobj) == -1)
			return -1;
	}
	return 0;
}
