/*
 * cfgtree.h - a device configuration as a tree of statements.
 *
 * Cisco-family and EOS text is indentation blocks: a line's parent is the
 * nearest previous line that is less indented (1, 2 or 3 spaces, any mix).
 * Junos is braces ("a { b; }"), or "set" lines, which give the same tree as
 * the brace form they were displayed from (see cfg_tree_parse below).
 *
 * Junos "inactive:" and "protect:" statements (brace form) and "deactivate"
 * and "protect" lines (set form) keep the prefix in their text, as Junos
 * shows them ("inactive: term b"), so that a diff sees the change, and
 * set CFG_NODE_INACTIVE or CFG_NODE_PROTECT.  The set form's statement
 * boundaries ("user bob", "unit 0" are one statement, "uid 2001" another)
 * come from a table of Junos keywords: statements the table does not know
 * may split differently from the brace form (e.g. "archive size 100k
 * files 3" is one statement in braces, a chain in set form).
 *
 * Comments ("!" lines, empty lines, ASA ":" header lines, Junos "#" and
 * slash-star comments) are not nodes unless CFG_PARSE_COMMENTS is asked for.
 * A banner ("banner motd ^C ... ^C") is one node whose text is the whole
 * literal, newlines included.  Every node's text is NUL-terminated as well
 * as counted; it stays valid until cfg_tree_free().
 */
#ifndef NP_CFGTREE_H
#define NP_CFGTREE_H

#include <stddef.h>
#include <stdint.h>
#include <regex.h>

#include "cfgplat.h"

#define CFG_TREE_MAX_DEPTH	64
#define CFG_TREE_MAX_LINE	16384		/* bytes in one line */
#define CFG_TREE_MAX_NODES	2000000
#define CFG_TREE_MAX_INPUT	(64u << 20)	/* bytes */
/* the names the archive and the diff use */
#define CFG_TREE_DEPTH		CFG_TREE_MAX_DEPTH
#define CFG_TREE_NODES		CFG_TREE_MAX_NODES
#define CFG_TREE_LINE		CFG_TREE_MAX_LINE

#define CFG_NODE_BANNER		0x01	/* multi-line literal body */
#define CFG_NODE_COMMENT	0x02	/* only with CFG_PARSE_COMMENTS */
#define CFG_NODE_INACTIVE	0x04	/* Junos "inactive:" or "deactivate" */
#define CFG_NODE_PROTECT	0x08	/* Junos "protect:" */

/* cfg_tree_parse_opts() options */
#define CFG_PARSE_COMMENTS	0x01	/* keep comment lines as leaf nodes */

struct cfg_node {
	const char *text;	/* the statement: indentation, trailing space
				 * and CR removed; Junos without '{' or ';'
				 * and without "inactive:"/"protect:" */
	size_t len;
	unsigned lineno;	/* 1-based line of the input */
	unsigned depth;		/* the root is 0 */
	struct cfg_node *parent, *child, *next;	/* first child, next sibling */
	struct cfg_node *last_child;
	unsigned nchild;
	unsigned flags;		/* CFG_NODE_* */
	uint64_t hash;		/* of the text (FNV-1a, never 0) */
};

struct cfg_tree;

/*
 * Parse LEN bytes of TEXT (not NUL-terminated; CRLF or LF; AUTO detects the
 * platform).  NULL on error with a message naming the line in ERR: a line
 * longer than CFG_TREE_MAX_LINE, nesting deeper than CFG_TREE_MAX_DEPTH,
 * more than CFG_TREE_MAX_NODES statements, a NUL byte, unbalanced Junos
 * braces or an unterminated quote or banner.
 */
struct cfg_tree *cfg_tree_parse(enum cfg_platform, const char *text,
	    size_t len, char *err, size_t errlen);
struct cfg_tree *cfg_tree_parse_opts(enum cfg_platform, const char *text,
	    size_t len, unsigned opts, char *err, size_t errlen);
/* a synthetic root, depth 0, text ""; top-level statements are children */
const struct cfg_node *cfg_tree_root(const struct cfg_tree *);
/* the platform parsed (never AUTO) */
enum cfg_platform cfg_tree_platform(const struct cfg_tree *);
/* statements in the tree (the root not counted) */
size_t	cfg_tree_count(const struct cfg_tree *);
void	cfg_tree_free(struct cfg_tree *);

#define CFG_NODE_FOREACH(c, parent) \
	for ((c) = (parent)->child; (c) != NULL; (c) = (c)->next)

/* does N's text start with PREFIX? */
int	cfg_node_starts(const struct cfg_node *n, const char *prefix);
/* the first child of N whose text starts with PREFIX, or NULL */
const struct cfg_node *cfg_node_child(const struct cfg_node *n,
	    const char *prefix);
/* the first child of PARENT after AFTER (NULL: from the first) whose text
 * starts with PREFIX, or NULL */
const struct cfg_node *cfg_node_find(const struct cfg_node *parent,
	    const struct cfg_node *after, const char *prefix);
/* the same with a compiled regex matched against the text */
const struct cfg_node *cfg_node_find_re(const struct cfg_node *parent,
	    const struct cfg_node *after, const regex_t *re);
/* the node's path from its top-level ancestor, "interface Gi0/1 > ip
 * address 10.0.0.1 255.255.255.0" (a banner: its first line), in BUF
 * (always NUL-terminated when BUFLEN > 0); the length it needed */
size_t	cfg_node_path(const struct cfg_node *, char *buf, size_t buflen);
/* the number of lines in the node's text (a banner has several) */
unsigned cfg_node_lines(const struct cfg_node *);

#endif
