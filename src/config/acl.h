/*
 * acl.h - the access lists of a configuration as ordered entries over
 * packet sets (aclset.h), the objects they use, where they are bound and
 * what refers to what; the analyses of research note config-drift.md 2:
 * unreachable lines with their blocking lines (Batfish's approach D),
 * the comparison of two versions of an ACL (widened, narrowed), unused
 * ACLs, references to undefined ones. Platforms: IOS/IOS-XE numbered and
 * named ACLs and object-groups, NX-OS and EOS "ip access-list NAME", ASA
 * "access-list NAME extended" with objects and object-groups, Junos
 * "firewall family inet filter". IPv6 ACLs are parsed and marked not
 * analysed. Pure: no I/O.
 */
#ifndef NP_ACL_H
#define NP_ACL_H

#include <stddef.h>

#include "config/aclset.h"
#include "config/cfgtree.h"

#define ACL_DENY 0
#define ACL_PERMIT 1

#define ACL_MAX_ENTRIES 100000
#define ACL_MAX_ITEMS 100000 /* warnings, references, objects */
#define ACL_BUDGET 20000000L /* box comparisons of one analysis */

struct acl_entry {
	int action;
	struct acl_set match;
	char *text;
	unsigned lineno;
	long seq; /* the sequence number, or the position (1-based) */
	int undef; /* uses an undefined object: reported as such */
};

struct acl {
	char *name;
	unsigned lineno; /* where it is defined (first line) */
	int ipv6; /* parsed, not analysed */
	int unanalysed; /* something in it is not modelled */
	char why[128]; /* why not analysed */
	struct acl_entry *e;
	size_t n, cap;
};

struct acl_note {
	unsigned lineno;
	char *text; /* the line */
	char *msg;
};

/* A use of a name: KIND acl, object-group, object, route-map,
 * prefix-list, community-list, peer-group; WHERE what uses it. */
struct acl_ref {
	char kind[24];
	char *name;
	char *where; /* "interface Gi0/0 in", "route-map X 10", ... */
	int binding; /* an ACL bound to traffic (interface, line, ...) */
	unsigned lineno;
	char *text;
};

struct acl_obj; /* network, service, protocol objects and groups */

struct acl_config {
	enum cfg_platform plat;
	struct acl *acl;
	size_t nacl, capacl;
	struct acl_note *warn;
	size_t nwarn, capwarn;
	struct acl_ref *ref;
	size_t nref, capref;
	struct acl_obj *obj;
	size_t nobj, capobj;
	char **defined; /* "kind name" of other structures defined */
	size_t ndef, capdef;
};

/* Model TREE's ACLs, objects and references. NULL when out of memory. */
struct acl_config *acl_config_build(const struct cfg_tree *tree);
void acl_config_free(struct acl_config *);
const struct acl *acl_config_find(const struct acl_config *,
    const char *name);
/* Is there a KIND NAME (acl, object-group, route-map, ...) defined? */
int acl_config_defined(const struct acl_config *, const char *kind,
    const char *name);

/* ACL_PERMIT or ACL_DENY for P; *LINE the deciding entry's line number,
 * 0 for the implicit deny at the end. -1 when the ACL is not analysed. */
int acl_eval(const struct acl *, const struct acl_packet *, int *line);
/* Does the ACL deny every packet of Q? 1 yes; 0 no, with EX a packet of
 * Q it permits and *LINE the permitting entry's line; -1 not analysed. */
int acl_denies_all(const struct acl *, const struct acl_box *q,
    struct acl_packet *ex, int *line);

/* An unreachable entry and its blocking entries (approach D). */
struct acl_unreach {
	size_t entry;
	int independent; /* matches nothing at all */
	size_t *block; /* entry indexes */
	size_t nblock;
	int diff_action;
};

/* The unreachable entries of A (caller frees with acl_unreach_free):
 * 0, -1 out of memory, -2 the work bound was reached (not analysed). */
int acl_unreachable(const struct acl *, struct acl_unreach **out,
    size_t *n);
void acl_unreach_free(struct acl_unreach *, size_t n);

/* The change of decision from OLD to NEW. */
struct acl_change {
	int widened; /* 1: deny -> permit, 0: permit -> deny */
	struct acl_set region;
	size_t *old_lines, *new_lines; /* deciding entries; n = end of ACL */
	size_t nold, nnew;
};

/* 0 with the changes (at most 2: widened, narrowed), -1 out of memory
 * or overflow. */
int acl_compare(const struct acl *oldacl, const struct acl *newacl,
    struct acl_change out[2], size_t *n);
void acl_change_free(struct acl_change *, size_t n);

/* internal, for the parser files */
struct acl *acl_new(struct acl_config *, const char *name, size_t len,
    unsigned lineno);
int acl_note(struct acl_config *, const struct cfg_node *, const char *msg);
int acl_ref_add(struct acl_config *, const char *kind, const char *name,
    const char *where, int binding, const struct cfg_node *);
int acl_def_add(struct acl_config *, const char *kind, const char *name);

#endif
