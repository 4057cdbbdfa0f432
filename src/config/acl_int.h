/*
 * acl_int.h - inside the ACL model: names, tokens, objects (acl.h).
 */
#ifndef NP_ACL_INT_H
#define NP_ACL_INT_H

#include <stdint.h>

#include "config/acl.h"

#define ACL_TOKENS 96
#define ACL_LINE 2048
#define ACL_ADDRS 4096 /* address patterns of one side of an entry */
#define ACL_DEPTH 16 /* of object-group nesting */

struct acl_toks {
	char buf[ACL_LINE];
	char *t[ACL_TOKENS];
	int n;
};

/* Split N's text; -1 when too long or too many tokens. */
int acl_toks(struct acl_toks *, const char *text, size_t len);

enum acl_objkind {
	ACL_OBJ_NET = 1, /* addresses */
	ACL_OBJ_SVC, /* protocol, ports, icmp */
	ACL_OBJ_PORT, /* port ranges (ASA typed service group, port-object) */
	ACL_OBJ_PROTO,
	ACL_OBJ_ICMP
};

struct acl_obj {
	char *name;
	int kind;
	int bad; /* a member not modelled (fqdn, ...) */
	struct acl_tern *addr;
	size_t naddr;
	struct acl_set svc; /* ACL_OBJ_SVC, PROTO, ICMP: boxes */
	struct acl_range *port;
	size_t nport;
	char **group; /* group-object / network-object object names */
	size_t ngroup;
};

int acl_port_parse(const char *, unsigned *);
int acl_proto_parse(const char *);
int acl_icmp_parse(const char *, int *type, int *code);
int acl_num(const char *, unsigned max, unsigned *);
int acl_ipv4(const char *, uint32_t *);
int acl_ipv4_prefix(const char *, struct acl_tern *);
int acl_range_terns(uint32_t lo, uint32_t hi, struct acl_tern *, int max);
int acl_has_colon(const char *);

struct acl_obj *acl_obj_find(const struct acl_config *, const char *name);
struct acl_obj *acl_obj_new(struct acl_config *, const char *name, int kind);
int acl_obj_addr(struct acl_obj *, struct acl_tern);
int acl_obj_port(struct acl_obj *, struct acl_range);
int acl_obj_group(struct acl_obj *, const char *);

int acl_parse_cisco(struct acl_config *, const struct cfg_node *root);
int acl_parse_junos(struct acl_config *, const struct cfg_node *root);
int acl_entry_add(struct acl *, int action, struct acl_set *match,
    const struct cfg_node *, long seq);

#endif
