/*
 * cfgtree.c - configurations parsed into statement trees (cfgtree.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfgtree.h"

#define CHUNK 1024

struct chunk {
	struct chunk *next;
	size_t used;
	struct cfg_node n[CHUNK];
};

struct strs {
	struct strs *next;
	char s[];
};

struct cfg_tree {
	enum cfg_platform plat;
	struct cfg_node root;
	struct chunk *chunks;
	struct strs *strs; /* banner texts */
	size_t count;
};

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h ? h : 1;
}

static struct cfg_node *
node_new(struct cfg_tree *t, struct cfg_node *parent, const char *text,
    size_t len, unsigned lineno)
{
	struct cfg_node *n;

	if (t->count >= CFG_TREE_NODES)
		return NULL;
	if (t->chunks == NULL || t->chunks->used == CHUNK) {
		struct chunk *c = calloc(1, sizeof(*c));

		if (c == NULL)
			return NULL;
		c->next = t->chunks;
		t->chunks = c;
	}
	n = &t->chunks->n[t->chunks->used++];
	t->count++;
	n->text = text;
	n->len = len;
	n->lineno = lineno;
	n->parent = parent;
	n->depth = parent->depth + 1;
	n->hash = hash(text, len);
	if (parent->last_child)
		parent->last_child->next = n;
	else
		parent->child = n;
	parent->last_child = n;
	parent->nchild++;
	return n;
}

static char *
str_new(struct cfg_tree *t, size_t n)
{
	struct strs *s = malloc(sizeof(*s) + n + 1);

	if (s == NULL)
		return NULL;
	s->next = t->strs;
	t->strs = s;
	return s->s;
}

void
cfg_tree_free(struct cfg_tree *t)
{
	if (t == NULL)
		return;
	while (t->chunks) {
		struct chunk *c = t->chunks;

		t->chunks = c->next;
		free(c);
	}
	while (t->strs) {
		struct strs *s = t->strs;

		t->strs = s->next;
		free(s);
	}
	free(t);
}

/* The next line from *P: its start, length (without CR), and the indent. */
static int
next_line(const char **p, const char *end, const char **line, size_t *len)
{
	const char *nl;

	if (*p >= end)
		return 0;
	if ((nl = memchr(*p, '\n', (size_t)(end - *p))) == NULL)
		nl = end;
	*line = *p;
	*len = (size_t)(nl - *p);
	*p = nl < end ? nl + 1 : end;
	while (*len > 0 && ((*line)[*len - 1] == '\r' ||
	    (*line)[*len - 1] == ' ' || (*line)[*len - 1] == '\t'))
		(*len)--;
	return 1;
}

static int
fail(char *err, size_t errlen, unsigned lineno, const char *what)
{
	snprintf(err, errlen, "line %u: %s", lineno, what);
	return -1;
}

/* A banner: "banner TYPE D...D" with D its delimiter (^C is two chars). */
static int
banner(struct cfg_tree *t, struct cfg_node *parent, const char *line,
    size_t len, const char **p, const char *end, unsigned *lineno, char *err,
    size_t errlen)
{
	const char *q = line + 7, *e = line + len, *body, *l;
	char delim[3] = {0};
	size_t dl, total, n, start = *lineno;
	char *s;

	while (q < e && *q != ' ')
		q++; /* the banner's type */
	while (q < e && *q == ' ')
		q++;
	if (q >= e) /* "banner motd" alone: a plain statement */
		return node_new(t, parent, line, len, *lineno) ? 0 :
		    fail(err, errlen, *lineno, "too many statements");
	dl = (e - q >= 2 && q[0] == '^' && q[1] == 'C') ? 2 : 1;
	memcpy(delim, q, dl);
	body = q + dl;
	/* closed on its own line? */
	for (const char *c = body; c + dl <= e; c++)
		if (memcmp(c, delim, dl) == 0)
			return node_new(t, parent, line, len, *lineno) ? 0 :
			    fail(err, errlen, *lineno, "too many statements");
	/* the body: up to the line holding the delimiter */
	total = len;
	{
		const char *pp = *p;
		unsigned ln = *lineno;
		int closed = 0;

		while (next_line(&pp, end, &l, &n)) {
			ln++;
			total += n + 1;
			if (total > 16u * 1024 * 1024)
				return fail(err, errlen, (unsigned)start,
				    "banner too long");
			for (const char *c = l; c + dl <= l + n; c++)
				if (memcmp(c, delim, dl) == 0) {
					closed = 1;
					break;
				}
			if (closed)
				break;
		}
		if (!closed)
			return fail(err, errlen, (unsigned)start,
			    "banner not closed by its delimiter");
		if ((s = str_new(t, total)) == NULL)
			return fail(err, errlen, (unsigned)start, "out of memory");
		memcpy(s, line, len);
		total = len;
		while (next_line(p, end, &l, &n)) {
			(*lineno)++;
			s[total++] = '\n';
			memcpy(s + total, l, n);
			total += n;
			if (*lineno == ln)
				break;
		}
		s[total] = '\0';
	}
	{
		struct cfg_node *b = node_new(t, parent, s, total,
		    (unsigned)start);

		if (b == NULL)
			return fail(err, errlen, (unsigned)start,
			    "too many statements");
		b->flags |= CFG_NODE_BANNER;
	}
	return 0;
}

static int
parse_indent(struct cfg_tree *t, const char *text, size_t len, char *err,
    size_t errlen)
{
	const char *p = text, *end = text + len, *line;
	size_t n;
	unsigned lineno = 0;
	/* the open statements, by depth, with their indentation */
	struct cfg_node *stack[CFG_TREE_DEPTH + 1];
	size_t ind[CFG_TREE_DEPTH + 1];
	int top = 0;

	stack[0] = &t->root;
	ind[0] = 0;
	while (next_line(&p, end, &line, &n)) {
		size_t i = 0;
		struct cfg_node *nd;

		lineno++;
		if (n > CFG_TREE_LINE)
			return fail(err, errlen, lineno, "line too long");
		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == n || line[i] == '!')
			continue; /* blank or comment */
		while (top > 0 && ind[top] >= i)
			top--;
		if (n - i > 7 && memcmp(line + i, "banner ", 7) == 0) {
			if (banner(t, stack[top], line + i, n - i, &p, end,
			    &lineno, err, errlen) == -1)
				return -1;
			continue;
		}
		if ((nd = node_new(t, stack[top], line + i, n - i, lineno)) ==
		    NULL)
			return fail(err, errlen, lineno, "too many statements "
			    "or out of memory");
		if (top == CFG_TREE_DEPTH)
			return fail(err, errlen, lineno, "nested too deep");
		/* its children are indented more: the loop pops while the
		 * open statement's indentation is >= the line's */
		stack[++top] = nd;
		ind[top] = i;
	}
	return 0;
}

static int
parse_braces(struct cfg_tree *t, const char *text, size_t len, char *err,
    size_t errlen)
{
	const char *p = text, *end = text + len, *line;
	size_t n;
	unsigned lineno = 0;
	struct cfg_node *cur = &t->root;

	while (next_line(&p, end, &line, &n)) {
		const char *c = line, *e = line + n;

		lineno++;
		if (n > CFG_TREE_LINE)
			return fail(err, errlen, lineno, "line too long");
		/* statements on the line: up to ';', '{' or '}' outside
		 * quotes; a '#' where a statement would begin is a comment
		 * ("## SECRET-DATA" after a ';' too) */
		for (;;) {
			const char *s0;
			struct cfg_node *nd;
			int quoted = 0;
			size_t stmt;

			while (c < e && (*c == ' ' || *c == '\t'))
				c++;
			if (c >= e || *c == '#')
				break;
			if (*c == '}') {
				if (cur == &t->root)
					return fail(err, errlen, lineno,
					    "\"}\" closes nothing");
				cur = cur->parent;
				c++;
				continue;
			}
			for (s0 = c; c < e; c++) {
				if (*c == '"' && (c == s0 || c[-1] != '\\'))
					quoted = !quoted;
				else if (!quoted &&
				    (*c == ';' || *c == '{' || *c == '}'))
					break;
			}
			stmt = (size_t)(c - s0);
			while (stmt > 0 && (s0[stmt - 1] == ' ' ||
			    s0[stmt - 1] == '\t'))
				stmt--;
			if ((nd = node_new(t, cur, s0, stmt, lineno)) == NULL)
				return fail(err, errlen, lineno,
				    "too many statements");
			if (stmt > 9 && memcmp(s0, "inactive:", 9) == 0)
				nd->flags |= CFG_NODE_INACTIVE;
			if (c < e && *c == '{') {
				if (nd->depth >= CFG_TREE_DEPTH)
					return fail(err, errlen, lineno,
					    "nested too deep");
				cur = nd;
				c++;
			} else if (c < e && *c == ';')
				c++;
			/* at '}' or the end: the next round takes it */
		}
	}
	if (cur != &t->root)
		return fail(err, errlen, cur->lineno, "\"{\" never closed");
	return 0;
}

struct cfg_tree *
cfg_tree_parse(enum cfg_platform plat, const char *text, size_t len,
    char *err, size_t errlen)
{
	struct cfg_tree *t = calloc(1, sizeof(*t));
	int rc;

	if (t == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (plat <= CFG_PLAT_AUTO || plat >= CFG_PLAT_N)
		plat = cfg_platform_detect(text, len);
	t->plat = plat;
	t->root.text = "";
	rc = cfg_platform_braces(plat) ? parse_braces(t, text, len, err, errlen)
	                               : parse_indent(t, text, len, err, errlen);
	if (rc == -1) {
		cfg_tree_free(t);
		return NULL;
	}
	return t;
}

const struct cfg_node *
cfg_tree_root(const struct cfg_tree *t)
{
	return &t->root;
}

enum cfg_platform
cfg_tree_platform(const struct cfg_tree *t)
{
	return t->plat;
}

size_t
cfg_tree_count(const struct cfg_tree *t)
{
	return t->count;
}

int
cfg_node_starts(const struct cfg_node *n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n->len >= k && memcmp(n->text, prefix, k) == 0;
}

const struct cfg_node *
cfg_node_child(const struct cfg_node *n, const char *prefix)
{
	for (const struct cfg_node *c = n->child; c; c = c->next)
		if (cfg_node_starts(c, prefix))
			return c;
	return NULL;
}
