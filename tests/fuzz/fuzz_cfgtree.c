/*
 * fuzz_cfgtree.c - libFuzzer harness for the configuration block tree
 * (src/config/cfgtree.c: indentation blocks, banners, Junos braces and set
 * form) and the structural diff (cfgdiff.c) on raw, un-normalised text.
 * The first byte picks the platform and whether comments are kept; the
 * rest is parsed whole, and split at a point the second byte picks into
 * two versions that are diffed.  Besides the sanitizers it checks what
 * cfgtree.h promises and aborts when one is broken: every text is
 * NUL-terminated at its length, a child's depth is its parent's plus one,
 * nchild and last_child agree with the list, the count is the number of
 * nodes, the depth stays within CFG_TREE_MAX_DEPTH, the hash is set, a
 * node's path fits its length, an error names a line; and that a text
 * diffed with itself has no change.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfgdiff.h"
#include "config/cfgtree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
walk(const struct cfg_node *n)
{
	const struct cfg_node *c, *last = NULL;
	size_t count = 0;
	unsigned k = 0;
	char path[64];

	for (c = n->child; c != NULL; c = c->next) {
		if (c->parent != n || c->depth != n->depth + 1 ||
		    c->depth > CFG_TREE_MAX_DEPTH || c->text[c->len] != '\0' ||
		    c->hash == 0 || c->lineno == 0)
			abort();
		if (cfg_node_path(c, path, sizeof(path)) < c->len &&
		    memchr(c->text, '\n', c->len) == NULL)
			abort();
		k++;
		last = c;
		count += 1 + walk(c);
	}
	if (k != n->nchild || last != n->last_child)
		abort();
	return count;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_diff_stats st;
	struct cfg_tree *t;
	enum cfg_platform p;
	char err[256], *out = NULL;
	size_t cut, outlen = 0;
	unsigned opts;

	if (size < 2)
		return 0;
	p = (enum cfg_platform)(data[0] % CFG_PLAT_N);
	opts = (data[0] & 0x80) ? CFG_PARSE_COMMENTS : 0;
	cut = size > 2 ? (size_t)data[1] * (size - 2) / 255 : 0;
	data += 2;
	size -= 2;
	t = cfg_tree_parse_opts(p, (const char *)data, size, opts, err,
	    sizeof(err));
	if (t == NULL) {
		if (strncmp(err, "line ", 5) != 0 &&
		    strstr(err, "out of memory") == NULL)
			abort();
	} else {
		if (walk(cfg_tree_root(t)) != cfg_tree_count(t) ||
		    cfg_tree_platform(t) == CFG_PLAT_AUTO)
			abort();
		cfg_tree_free(t);
		/* a text against itself: no change */
		if (cfg_diff(p, (const char *)data, size, (const char *)data,
		    size, "a", "b", &out, &outlen, &st, err, sizeof(err)) == 0 &&
		    (st.added != 0 || st.removed != 0 || outlen != 0))
			abort();
		free(out);
		out = NULL;
	}
	if (cfg_diff(p, (const char *)data, cut, (const char *)data + cut,
	    size - cut, "a", "b", &out, &outlen, &st, err, sizeof(err)) == 0 &&
	    out != NULL && strlen(out) != outlen)
		abort();
	free(out);
	return 0;
}
