/*
 * cfgtree.h - a configuration as a tree of statements (research note
 * config-drift.md 3.2): Cisco-style indentation blocks (IOS 1 space,
 * NX-OS 2, EOS 3, nested deeper), banners as one literal node, "!"
 * comments left out; Junos braces ({, }, ;) with their "#" comments left
 * out; Junos "set" lines are statements of the top level. Bounded (depth,
 * nodes, line length) and never reading past its input. Pure: no I/O.
 */
#ifndef NP_CFGTREE_H
#define NP_CFGTREE_H

#include <stddef.h>
#include <stdint.h>

#include "config/cfgplat.h"

#define CFG_TREE_DEPTH 64
#define CFG_TREE_NODES (4u * 1024 * 1024)
#define CFG_TREE_LINE (64u * 1024)

#define CFG_NODE_BANNER 0x01 /* text holds the header, body and end */
#define CFG_NODE_INACTIVE 0x02 /* Junos "inactive:" */

struct cfg_node {
	const char *text; /* the statement, without indentation, trailing
	                   * blanks, Junos '{' or ';' */
	size_t len;
	unsigned lineno; /* 1-based */
	unsigned depth; /* the root is 0 */
	struct cfg_node *parent, *child, *next, *last_child;
	unsigned nchild;
	unsigned flags;
	uint64_t hash; /* of the text */
};

struct cfg_tree;

/* NULL with ERR ("line N: ...") on malformed or oversized input. */
struct cfg_tree *cfg_tree_parse(enum cfg_platform, const char *text,
    size_t len, char *err, size_t errlen);
/* A synthetic root (depth 0): the top-level statements are its children. */
const struct cfg_node *cfg_tree_root(const struct cfg_tree *);
enum cfg_platform cfg_tree_platform(const struct cfg_tree *);
size_t cfg_tree_count(const struct cfg_tree *);
void cfg_tree_free(struct cfg_tree *);

/* Does N's text start with PREFIX? */
int cfg_node_starts(const struct cfg_node *n, const char *prefix);
/* The first child of N whose text starts with PREFIX, or NULL. */
const struct cfg_node *cfg_node_child(const struct cfg_node *n,
    const char *prefix);

#endif
