/*
 * semdiff_parts.c - interfaces, BGP peers and top-level blocks of the
 * semantic diff (semdiff.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/acl_int.h"
#include "config/semdiff.h"

typedef int (*keptfn)(const void *, const struct cfg_node *);

static int
is_aclblock(const struct cfg_node *n)
{
	return cfg_node_starts(n, "access-list ") ||
	    cfg_node_starts(n, "ip access-list ") ||
	    cfg_node_starts(n, "ipv4 access-list ") ||
	    cfg_node_starts(n, "ipv6 access-list ") ||
	    cfg_node_starts(n, "object ") ||
	    cfg_node_starts(n, "object-group ") ||
	    (n->len == 8 && memcmp(n->text, "firewall", 8) == 0);
}

static uint64_t
sig(const struct cfg_node *n, keptfn kept, const void *ks)
{
	uint64_t h = 1469598103934665603ull;

	for (const struct cfg_node *c = n->child; c; c = c->next) {
		if (!kept(ks, c))
			continue;
		h = (h ^ c->hash) * 1099511628211ull;
		h = (h ^ sig(c, kept, ks)) * 1099511628211ull;
	}
	return h;
}

static const struct cfg_node *
find_top(const struct cfg_node *root, const struct cfg_node *n)
{
	for (const struct cfg_node *c = root->child; c; c = c->next)
		if (c->len == n->len && memcmp(c->text, n->text, n->len) == 0)
			return c;
	return NULL;
}

static int
line(struct sem_change *c, int isnew, const struct cfg_node *n)
{
	return sem_addline(c, isnew, n->lineno, n->text, n->len);
}

/* "ip address ..." lines of an interface, joined. */
static void
addrs(const struct cfg_node *i, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (const struct cfg_node *c = i->child; c && off < len; c = c->next)
		if (cfg_node_starts(c, "ip address ") ||
		    cfg_node_starts(c, "ipv6 address ") ||
		    cfg_node_starts(c, "no ip address"))
			off += (size_t)snprintf(buf + off, len - off, "%s%.*s",
			    off ? "; " : "", (int)c->len, c->text);
}

static int
interface(const struct cfg_node *a, const struct cfg_node *b,
    struct sem_result *r)
{
	const struct cfg_node *sa = cfg_node_child(a, "shutdown");
	const struct cfg_node *sb = cfg_node_child(b, "shutdown");
	char obj[160], xa[1024], xb[1024], det[2200];
	struct sem_change *c;

	snprintf(obj, sizeof(obj), "%.*s", (int)(b->len > 150 ? 150 :
	    b->len), b->text);
	if (!sa != !sb) {
		snprintf(det, sizeof(det), "%s is %s", obj, sb ?
		    "now shut down" : "no longer shut down");
		if ((c = sem_add(r, sb ? "interface.shutdown" :
		    "interface.no-shutdown", obj, det)) == NULL ||
		    line(c, sb != NULL, sb ? sb : sa) == -1)
			return -1;
	}
	addrs(a, xa, sizeof(xa));
	addrs(b, xb, sizeof(xb));
	if (strcmp(xa, xb) != 0) {
		snprintf(det, sizeof(det), "%s: \"%s\" -> \"%s\"", obj, xa, xb);
		if ((c = sem_add(r, "interface.address", obj, det)) == NULL)
			return -1;
		for (const struct cfg_node *x = a->child; x; x = x->next)
			if (cfg_node_starts(x, "ip address ") && line(c, 0, x))
				return -1;
		for (const struct cfg_node *x = b->child; x; x = x->next)
			if (cfg_node_starts(x, "ip address ") && line(c, 1, x))
				return -1;
	}
	return 0;
}

#define PEERS 4096

struct peer {
	char ip[64], group[64], as[32], in[64], out[64];
	const struct cfg_node *node;
};

static struct peer *
peer_get(struct peer *p, size_t *n, const char *ip)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(p[i].ip, ip) == 0)
			return &p[i];
	if (*n >= PEERS)
		return NULL;
	memset(&p[*n], 0, sizeof(p[*n]));
	snprintf(p[*n].ip, sizeof(p[*n].ip), "%s", ip);
	return &p[(*n)++];
}

static void
peers_walk(const struct cfg_node *b, struct peer *p, size_t *n,
    struct acl_toks *tk)
{
	for (const struct cfg_node *c = b->child; c; c = c->next) {
		struct peer *x;

		if (c->child)
			peers_walk(c, p, n, tk);
		if (!cfg_node_starts(c, "neighbor ") ||
		    acl_toks(tk, c->text, c->len) == -1 || tk->n < 3 ||
		    (x = peer_get(p, n, tk->t[1])) == NULL)
			continue;
		if (x->node == NULL)
			x->node = c;
		if (strcmp(tk->t[2], "remote-as") == 0 && tk->n > 3)
			snprintf(x->as, sizeof(x->as), "%s", tk->t[3]);
		else if (strcmp(tk->t[2], "peer-group") == 0 && tk->n > 3)
			snprintf(x->group, sizeof(x->group), "%s", tk->t[3]);
		else if (strcmp(tk->t[2], "route-map") == 0 && tk->n > 4)
			snprintf(strcmp(tk->t[4], "in") == 0 ? x->in : x->out,
			    64, "%s", tk->t[3]);
	}
}

/* The peer's settings with its group's filled in: "k=v ..." */
static void
peer_desc(struct peer *p, size_t n, const struct peer *x, char *buf,
    size_t len)
{
	const struct peer *g = NULL;
	const char *as, *in, *out;
	int isgroup = 0;

	for (size_t i = 0; x->group[0] && i < n; i++)
		if (strcmp(p[i].ip, x->group) == 0)
			g = &p[i];
	(void)isgroup;
	as = x->as[0] ? x->as : g ? g->as : "";
	in = x->in[0] ? x->in : g ? g->in : "";
	out = x->out[0] ? x->out : g ? g->out : "";
	snprintf(buf, len, "peer-group %s, remote-as %s, route-map in %s, "
	    "route-map out %s", x->group[0] ? x->group : "(none)",
	    as[0] ? as : "(none)", in[0] ? in : "(none)",
	    out[0] ? out : "(none)");
}

static int
bgp(const struct cfg_node *a, const struct cfg_node *b, struct sem_result *r)
{
	static struct peer pa[PEERS], pb[PEERS];
	static struct acl_toks tk;
	size_t na = 0, nb = 0;
	char da[400], db[400], det[900], obj[100];
	uint32_t ip;

	peers_walk(a, pa, &na, &tk);
	peers_walk(b, pb, &nb, &tk);
	for (size_t i = 0; i < nb; i++) {
		struct sem_change *c;
		const struct peer *o = NULL;

		if (acl_ipv4(pb[i].ip, &ip) == -1 && !acl_has_colon(pb[i].ip))
			continue; /* a peer-group */
		for (size_t k = 0; k < na; k++)
			if (strcmp(pa[k].ip, pb[i].ip) == 0)
				o = &pa[k];
		peer_desc(pb, nb, &pb[i], db, sizeof(db));
		if (o == NULL) {
			snprintf(det, sizeof(det), "new peer: %s", db);
		} else {
			peer_desc(pa, na, o, da, sizeof(da));
			if (strcmp(da, db) == 0)
				continue;
			snprintf(det, sizeof(det), "%s -> %s", da, db);
		}
		snprintf(obj, sizeof(obj), "bgp neighbor %s", pb[i].ip);
		if ((c = sem_add(r, "bgp.peer-changed", obj, det)) == NULL ||
		    (o && line(c, 0, o->node) == -1) ||
		    line(c, 1, pb[i].node) == -1)
			return -1;
	}
	for (size_t k = 0; k < na; k++) {
		int found = 0;
		struct sem_change *c;

		if (acl_ipv4(pa[k].ip, &ip) == -1 && !acl_has_colon(pa[k].ip))
			continue;
		for (size_t i = 0; i < nb && !found; i++)
			found = strcmp(pa[k].ip, pb[i].ip) == 0;
		if (found)
			continue;
		snprintf(obj, sizeof(obj), "bgp neighbor %s", pa[k].ip);
		if ((c = sem_add(r, "bgp.peer-changed", obj,
		    "peer removed")) == NULL || line(c, 0, pa[k].node) == -1)
			return -1;
	}
	return 0;
}

int
sem_diff_parts(const struct cfg_node *ra, const struct cfg_node *rb,
    const struct acl_config *ca, const struct acl_config *cb,
    keptfn kept, const void *ka, const void *kb, struct sem_result *r)
{
	char obj[200], det[300];
	struct sem_change *c;

	(void)ca;
	(void)cb;
	for (const struct cfg_node *n = rb->child; n; n = n->next) {
		const struct cfg_node *o;

		if (is_aclblock(n) || !kept(kb, n))
			continue;
		snprintf(obj, sizeof(obj), "%.*s", (int)(n->len > 190 ? 190 :
		    n->len), n->text);
		if ((o = find_top(ra, n)) == NULL) {
			snprintf(det, sizeof(det), "block added: %s", obj);
			if ((c = sem_add(r, "block.added", obj, det)) == NULL ||
			    line(c, 1, n) == -1)
				return -1;
			continue;
		}
		if (cfg_node_starts(n, "interface ") &&
		    interface(o, n, r) == -1)
			return -1;
		if (cfg_node_starts(n, "router bgp") && bgp(o, n, r) == -1)
			return -1;
		if (sig(o, kept, ka) != sig(n, kept, kb)) {
			snprintf(det, sizeof(det), "block changed: %s", obj);
			if ((c = sem_add(r, "block.changed", obj, det)) ==
			    NULL || line(c, 0, o) == -1 || line(c, 1, n) == -1)
				return -1;
		}
	}
	for (const struct cfg_node *n = ra->child; n; n = n->next) {
		if (is_aclblock(n) || !kept(ka, n) || find_top(rb, n))
			continue;
		snprintf(obj, sizeof(obj), "%.*s", (int)(n->len > 190 ? 190 :
		    n->len), n->text);
		snprintf(det, sizeof(det), "block removed: %s", obj);
		if ((c = sem_add(r, "block.removed", obj, det)) == NULL ||
		    line(c, 0, n) == -1)
			return -1;
	}
	return 0;
}
