/*
 * acl_refs.c - where ACLs are bound and what refers to what: interfaces
 * (ip access-group), lines (access-class), SNMP communities, HTTP, NTP,
 * class-maps, route-maps (ACLs, prefix-lists, community-lists), BGP
 * peers and peer-groups, ASA access-group; the structures defined.
 */
#include <stdio.h>
#include <string.h>

#include "config/acl_int.h"

int acl_parse_refs(struct acl_config *, const struct cfg_node *root);

static int
is_ip(const char *s)
{
	uint32_t a;

	return acl_ipv4(s, &a) == 0 || acl_has_colon(s);
}

static int
bgp_line(struct acl_config *c, const struct cfg_node *n, struct acl_toks *tk)
{
	char where[160];
	const char *peer;

	if (tk->n < 3 || strcmp(tk->t[0], "neighbor") != 0)
		return 0;
	peer = tk->t[1];
	if (!is_ip(peer) && tk->n == 3 && strcmp(tk->t[2], "peer-group") == 0)
		return acl_def_add(c, "peer-group", peer);
	snprintf(where, sizeof(where), "bgp neighbor %s", peer);
	if (!is_ip(peer) && acl_ref_add(c, "peer-group", peer, where, 0, n))
		return -1;
	if (strcmp(tk->t[2], "peer-group") == 0 && tk->n > 3)
		return acl_ref_add(c, "peer-group", tk->t[3], where, 0, n);
	if (strcmp(tk->t[2], "route-map") == 0 && tk->n > 3)
		return acl_ref_add(c, "route-map", tk->t[3], where, 0, n);
	if (strcmp(tk->t[2], "prefix-list") == 0 && tk->n > 3)
		return acl_ref_add(c, "prefix-list", tk->t[3], where, 0, n);
	if (strcmp(tk->t[2], "distribute-list") == 0 && tk->n > 3)
		return acl_ref_add(c, "acl", tk->t[3], where, 1, n);
	return 0;
}

static int
walk_bgp(struct acl_config *c, const struct cfg_node *b, struct acl_toks *tk)
{
	for (const struct cfg_node *n = b->child; n; n = n->next) {
		if (acl_toks(tk, n->text, n->len) == 0 &&
		    bgp_line(c, n, tk) == -1)
			return -1;
		if (n->child && walk_bgp(c, n, tk) == -1)
			return -1;
	}
	return 0;
}

static int
block_refs(struct acl_config *c, const struct cfg_node *top,
    struct acl_toks *tk, const char *where)
{
	for (const struct cfg_node *n = top->child; n; n = n->next) {
		char w[200];

		if (acl_toks(tk, n->text, n->len) == -1 || tk->n < 2)
			continue;
		/* interface: ip access-group NAME in|out */
		if (tk->n >= 4 && strcmp(tk->t[0], "ip") == 0 &&
		    strcmp(tk->t[1], "access-group") == 0) {
			snprintf(w, sizeof(w), "%s %s", where, tk->t[3]);
			if (acl_ref_add(c, "acl", tk->t[2], w, 1, n) == -1)
				return -1;
		} else if (tk->n >= 2 && strcmp(tk->t[0], "access-class") == 0) {
			snprintf(w, sizeof(w), "%s %s", where,
			    tk->n > 2 ? tk->t[2] : "in");
			if (acl_ref_add(c, "acl", tk->t[1], w, 1, n) == -1)
				return -1;
		} else if (strcmp(tk->t[0], "match") == 0 && tk->n >= 3) {
			int k = 2, kind = 0; /* 0 acl, 1 prefix-list, 2 comm */

			if (strcmp(tk->t[1], "ip") == 0 && tk->n >= 4 &&
			    strcmp(tk->t[2], "address") == 0) {
				k = 3;
				if (strcmp(tk->t[3], "prefix-list") == 0) {
					kind = 1;
					k = 4;
				}
			} else if (strcmp(tk->t[1], "access-group") == 0) {
				if (strcmp(tk->t[2], "name") == 0)
					k = 3;
			} else if (strcmp(tk->t[1], "community") == 0) {
				kind = 2;
			} else if (strcmp(tk->t[1], "access-list") == 0) {
			} else
				continue;
			for (; k < tk->n; k++) {
				if (strcmp(tk->t[k], "exact-match") == 0)
					continue;
				if (acl_ref_add(c, kind == 0 ? "acl" : kind ==
				    1 ? "prefix-list" : "community-list",
				    tk->t[k], where, kind == 0, n) == -1)
					return -1;
			}
		} else if (strcmp(tk->t[0], "match") == 0 && tk->n >= 4 &&
		    strcmp(tk->t[1], "address") == 0) {
		}
		/* crypto map entries: match address NAME */
		if (tk->n >= 3 && strcmp(tk->t[0], "match") == 0 &&
		    strcmp(tk->t[1], "address") == 0 &&
		    acl_ref_add(c, "acl", tk->t[2], where, 1, n) == -1)
			return -1;
	}
	return 0;
}

int
acl_parse_refs(struct acl_config *c, const struct cfg_node *root)
{
	static struct acl_toks tk; /* one loop, no threads */
	char where[200];

	if (c->plat == CFG_PLAT_JUNOS)
		return 0; /* acl_junos.c records its own */
	for (const struct cfg_node *n = root->child; n; n = n->next) {
		if (acl_toks(&tk, n->text, n->len) == -1 || tk.n < 2)
			continue;
		snprintf(where, sizeof(where), "%.*s", (int)(n->len > 150 ?
		    150 : n->len), n->text);
		if (strcmp(tk.t[0], "interface") == 0 ||
		    strcmp(tk.t[0], "line") == 0 ||
		    strcmp(tk.t[0], "class-map") == 0 ||
		    strcmp(tk.t[0], "route-map") == 0 ||
		    strcmp(tk.t[0], "crypto") == 0) {
			if (strcmp(tk.t[0], "route-map") == 0 &&
			    acl_def_add(c, "route-map", tk.t[1]) == -1)
				return -1;
			if (block_refs(c, n, &tk, where) == -1)
				return -1;
			continue;
		}
		if (strcmp(tk.t[0], "router") == 0 &&
		    strcmp(tk.t[1], "bgp") == 0) {
			if (walk_bgp(c, n, &tk) == -1)
				return -1;
			continue;
		}
		if (strcmp(tk.t[0], "router") == 0) {
			for (const struct cfg_node *ch = n->child; ch;
			    ch = ch->next)
				if (acl_toks(&tk, ch->text, ch->len) == 0 &&
				    tk.n >= 2 && strcmp(tk.t[0],
				    "distribute-list") == 0 &&
				    strcmp(tk.t[1], "prefix") != 0 &&
				    acl_ref_add(c, "acl", tk.t[1], where, 1,
				    ch) == -1)
					return -1;
			continue;
		}
		if (strcmp(tk.t[0], "ip") == 0 && tk.n >= 3 &&
		    strcmp(tk.t[1], "prefix-list") == 0) {
			if (acl_def_add(c, "prefix-list", tk.t[2]) == -1)
				return -1;
		} else if (strcmp(tk.t[0], "ip") == 0 && tk.n >= 3 &&
		    strcmp(tk.t[1], "community-list") == 0) {
			const char *name = tk.t[2];

			if ((strcmp(name, "standard") == 0 ||
			    strcmp(name, "expanded") == 0) && tk.n >= 4)
				name = tk.t[3];
			if (acl_def_add(c, "community-list", name) == -1)
				return -1;
		} else if (strcmp(tk.t[0], "access-group") == 0 && tk.n >= 3) {
			/* ASA: access-group NAME in|out interface IF */
			snprintf(where, sizeof(where), "interface %s %s",
			    tk.n >= 5 ? tk.t[4] : "global", tk.t[2]);
			if (acl_ref_add(c, "acl", tk.t[1], where, 1, n) == -1)
				return -1;
		} else if (strcmp(tk.t[0], "snmp-server") == 0 && tk.n >= 4 &&
		    strcmp(tk.t[1], "community") == 0) {
			const char *last = tk.t[tk.n - 1];

			if (strcmp(last, "RO") && strcmp(last, "RW") &&
			    strcmp(last, "ro") && strcmp(last, "rw") &&
			    strcmp(tk.t[tk.n - 2], "view") != 0 &&
			    acl_ref_add(c, "acl", last, "snmp-server community",
			    1, n) == -1)
				return -1;
		} else if (strcmp(tk.t[0], "ip") == 0 && tk.n >= 4 &&
		    strcmp(tk.t[1], "http") == 0 &&
		    strcmp(tk.t[2], "access-class") == 0) {
			if (acl_ref_add(c, "acl", tk.t[3], "ip http", 1, n))
				return -1;
		} else if (strcmp(tk.t[0], "ntp") == 0 && tk.n >= 4 &&
		    strcmp(tk.t[1], "access-group") == 0) {
			if (acl_ref_add(c, "acl", tk.t[tk.n - 1], "ntp", 1, n))
				return -1;
		} else if (strcmp(tk.t[0], "ip") == 0 && tk.n >= 5 &&
		    strcmp(tk.t[1], "wccp") == 0 &&
		    strcmp(tk.t[3], "redirect-list") == 0) {
			if (acl_ref_add(c, "acl", tk.t[4], "ip wccp", 1, n))
				return -1;
		} else if (strcmp(tk.t[0], "ip") == 0 && tk.n >= 6 &&
		    strcmp(tk.t[1], "nat") == 0 &&
		    strcmp(tk.t[3], "source") == 0 &&
		    strcmp(tk.t[4], "list") == 0) {
			if (acl_ref_add(c, "acl", tk.t[5], "ip nat", 1, n))
				return -1;
		}
	}
	return 0;
}
