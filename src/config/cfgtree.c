/*
 * cfgtree.c - parse a device configuration into a tree of statements:
 * indentation blocks (IOS, IOS-XE, NX-OS, ASA, EOS), Junos braces and
 * Junos "set" lines.  Bounded: line length, depth, node count, input size.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgtree.h"

struct tnode {
	struct cfg_node	 n;		/* first: a cfg_node * is a tnode * */
	struct tnode	*hnext;		/* set form: hash chain */
	int		 named;		/* set form: "keyword NAME" segment */
};

#define POOL_NODES	1024
struct pool {
	struct pool	*next;
	unsigned	 used;
	struct tnode	 nodes[POOL_NODES];
};

struct strchunk {
	struct strchunk	*next;
	size_t		 used, cap;
	char		 data[];
};

struct cfg_tree {
	enum cfg_platform plat;
	unsigned	 opts;
	char		*buf;		/* the input, copied, NUL-terminated */
	size_t		 len;
	struct pool	*pools;
	struct strchunk	*strs;
	unsigned	 count;
	struct tnode	 root;
	struct tnode	**htab;		/* set form */
	size_t		 hsize;
	char		*err;
	size_t		 errlen;
};

static void
tree_err(struct cfg_tree *t, const char *fmt, ...)
{
	va_list ap;

	if (t->err == NULL || t->errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(t->err, t->errlen, fmt, ap);
	va_end(ap);
}

static struct tnode *
node_new(struct cfg_tree *t, unsigned lineno)
{
	struct pool *p = t->pools;

	if (t->count >= CFG_TREE_MAX_NODES) {
		tree_err(t, "line %u: more than %u statements", lineno,
		    CFG_TREE_MAX_NODES);
		return NULL;
	}
	if (p == NULL || p->used == POOL_NODES) {
		if ((p = calloc(1, sizeof(*p))) == NULL) {
			tree_err(t, "line %u: out of memory", lineno);
			return NULL;
		}
		p->next = t->pools;
		t->pools = p;
	}
	t->count++;
	return &p->nodes[p->used++];
}

/* a NUL-terminated copy of N bytes in the tree's string arena */
static char *
str_new(struct cfg_tree *t, const char *s, size_t n)
{
	struct strchunk *c = t->strs;
	char *r;

	if (c == NULL || c->cap - c->used < n + 1) {
		size_t cap = n + 1 > 65536 ? n + 1 : 65536;

		if ((c = malloc(sizeof(*c) + cap)) == NULL)
			return NULL;
		c->cap = cap;
		c->used = 0;
		c->next = t->strs;
		t->strs = c;
	}
	r = c->data + c->used;
	memcpy(r, s, n);
	r[n] = '\0';
	c->used += n + 1;
	return r;
}

static void
child_append(struct tnode *parent, struct tnode *c)
{
	c->n.parent = &parent->n;
	c->n.depth = parent->n.depth + 1;
	if (parent->n.last_child != NULL)
		parent->n.last_child->next = &c->n;
	else
		parent->n.child = &c->n;
	parent->n.last_child = &c->n;
	parent->n.nchild++;
}

static struct tnode *
add_child(struct cfg_tree *t, struct tnode *parent, const char *text,
    size_t len, unsigned lineno, unsigned flags)
{
	struct tnode *c;

	if (parent->n.depth + 1 > CFG_TREE_MAX_DEPTH) {
		tree_err(t, "line %u: nesting deeper than %u", lineno,
		    CFG_TREE_MAX_DEPTH);
		return NULL;
	}
	if ((c = node_new(t, lineno)) == NULL)
		return NULL;
	c->n.text = text;
	c->n.len = len;
	c->n.lineno = lineno;
	c->n.flags = flags;
	child_append(parent, c);
	return c;
}

/* ---- indentation blocks ------------------------------------------------ */

/* find the delimiter D (DL bytes) in [p, end) */
static char *
find_delim(char *p, char *end, const char *d, size_t dl)
{
	for (; p + dl <= end; p++)
		if (*p == d[0] && memcmp(p, d, dl) == 0)
			return p;
	return NULL;
}

/*
 * A banner starting at S (the line's text, which ends at E, the line at
 * NL): find its end, make it one node.  *NEXTP and *LINENO move past it.
 * 0 not a banner, 1 done, -1 error.
 */
static int
banner(struct cfg_tree *t, struct tnode *parent, char *s, char *e,
    char **nextp, unsigned *lineno)
{
	char *end = t->buf + t->len, *r, *stop, *q, *w, *nl;
	const char *d;
	size_t dl;
	unsigned first = *lineno;

	if ((size_t)(e - s) < 8 || memcmp(s, "banner ", 7) != 0)
		return 0;
	r = s + 7;
	while (r < e && *r == ' ')
		r++;
	while (r < e && *r != ' ')	/* the banner's kind */
		r++;
	while (r < e && *r == ' ')
		r++;
	if (r == e) {
		if (t->plat != CFG_PLAT_EOS)
			return 0;
		/* EOS: the body ends with a line "EOF" */
		d = "\nEOF";
		dl = 4;
		q = e;
		for (;;) {
			if ((q = find_delim(q, end, d, dl)) == NULL)
				goto unterminated;
			w = q + dl;
			while (w < end && (*w == '\r' || *w == ' '))
				w++;
			if (w == end || *w == '\n')
				break;
			q++;
		}
		stop = q + dl;
	} else {
		if (e - r >= 2 && r[0] == '^' && r[1] == 'C') {
			d = "^C";
			dl = 2;
		} else {
			d = r;
			dl = 1;
		}
		if ((q = find_delim(r + dl, end, d, dl)) == NULL)
			goto unterminated;
		stop = q + dl;
	}
	/* the banner ends with the line holding its closing delimiter */
	nl = memchr(stop, '\n', (size_t)(end - stop));
	if (nl == NULL)
		nl = end;
	for (q = s; q < nl; q++) {
		if (*q == '\0') {
			tree_err(t, "line %u: NUL byte", *lineno);
			return -1;
		}
		if (*q == '\n')
			(*lineno)++;
	}
	if (nl - s > (ptrdiff_t)CFG_TREE_MAX_INPUT) {
		tree_err(t, "line %u: banner too long", first);
		return -1;
	}
	/* drop the CR of CRLF inside, the trailing blanks at the end */
	for (q = w = s; q < nl; q++)
		if (!(*q == '\r' && q + 1 < nl && q[1] == '\n'))
			*w++ = *q;
	while (w > s && (w[-1] == '\r' || w[-1] == ' ' || w[-1] == '\t'))
		w--;
	*w = '\0';
	if (add_child(t, parent, s, (size_t)(w - s), first,
	    CFG_NODE_BANNER) == NULL)
		return -1;
	*nextp = nl < end ? nl + 1 : end;
	return 1;
unterminated:
	tree_err(t, "line %u: banner without its closing delimiter", first);
	return -1;
}

static int
parse_indent(struct cfg_tree *t)
{
	struct {
		int		 indent;
		struct tnode	*n;
	} stack[CFG_TREE_MAX_DEPTH + 1];
	char *p = t->buf, *end = t->buf + t->len, *nl, *s, *e, *next;
	unsigned lineno = 0, flags;
	int sp = 0, ind, k, r;
	struct tnode *parent, *c;

	stack[0].indent = -1;
	stack[0].n = &t->root;
	for (; p < end; p = next) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		next = nl < end ? nl + 1 : end;
		if ((size_t)(nl - p) > CFG_TREE_MAX_LINE) {
			tree_err(t, "line %u: longer than %u bytes", lineno,
			    CFG_TREE_MAX_LINE);
			return -1;
		}
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL) {
			tree_err(t, "line %u: NUL byte", lineno);
			return -1;
		}
		e = nl;
		while (e > p && (e[-1] == '\r' || e[-1] == ' ' ||
		    e[-1] == '\t'))
			e--;
		for (s = p, ind = 0; s < e && (*s == ' ' || *s == '\t'); s++)
			ind++;
		if (s == e)
			continue;
		flags = 0;
		if (*s == '!' || (t->plat == CFG_PLAT_ASA && *s == ':')) {
			if (!(t->opts & CFG_PARSE_COMMENTS))
				continue;
			flags = CFG_NODE_COMMENT;
		}
		if (flags == 0) {
			while (sp > 0 && stack[sp].indent >= ind)
				sp--;
			parent = stack[sp].n;
		} else {
			/* a comment never moves the block structure */
			for (k = sp; k > 0 && stack[k].indent >= ind; k--)
				;
			parent = stack[k].n;
		}
		if (flags == 0 && t->plat != CFG_PLAT_ASA &&
		    (r = banner(t, parent, s, e, &next, &lineno)) != 0) {
			if (r < 0)
				return -1;
			continue;
		}
		if ((c = add_child(t, parent, s, (size_t)(e - s), lineno,
		    flags)) == NULL)
			return -1;
		*e = '\0';
		if (flags == 0) {
			if (sp + 1 > CFG_TREE_MAX_DEPTH) {
				tree_err(t, "line %u: nesting deeper than %u",
				    lineno, CFG_TREE_MAX_DEPTH);
				return -1;
			}
			sp++;
			stack[sp].indent = ind;
			stack[sp].n = c;
		}
	}
	return 0;
}

/* ---- Junos statements: shared by the brace and the set form ------------ */

#define MAX_TOK		4096
struct stmt {
	char		 buf[CFG_TREE_MAX_LINE + 1];
	size_t		 len;
	size_t		 tok[MAX_TOK];	/* token start offsets */
	size_t		 tlen[MAX_TOK];
	unsigned char	 list[MAX_TOK];	/* 1 '[', 2 ']' */
	unsigned	 idx[MAX_TOK];	/* set form: the tokens of one line */
	unsigned	 ntok;
	int		 inword;
	unsigned	 line;		/* of the first token */
};

static int
stmt_char(struct cfg_tree *t, struct stmt *st, char ch, unsigned lineno)
{
	if (!st->inword) {
		/* the joined form adds a space between tokens: count it */
		if (st->ntok == MAX_TOK ||
		    st->len + st->ntok + 2 >= sizeof(st->buf)) {
			tree_err(t, "line %u: statement too long", lineno);
			return -1;
		}
		if (st->ntok == 0)
			st->line = lineno;
		st->tok[st->ntok] = st->len;
		st->tlen[st->ntok] = 0;
		st->list[st->ntok] = 0;
		st->ntok++;
		st->inword = 1;
	}
	if (st->len + st->ntok >= sizeof(st->buf)) {
		tree_err(t, "line %u: statement too long", lineno);
		return -1;
	}
	st->buf[st->len++] = ch;
	st->tlen[st->ntok - 1]++;
	return 0;
}

static void
stmt_endword(struct stmt *st)
{
	unsigned i;

	if (!st->inword)
		return;
	st->inword = 0;
	i = st->ntok - 1;
	if (st->tlen[i] == 1 && st->buf[st->tok[i]] == '[')
		st->list[i] = 1;
	else if (st->tlen[i] == 1 && st->buf[st->tok[i]] == ']')
		st->list[i] = 2;
}

static const char *const junos_named[], *const junos_containers[];
static int word_in(const char *, size_t, const char *const *);

/* tokens [from, to) joined by single spaces, appended to OUT at *N */
static void
stmt_join(const struct stmt *st, unsigned from, unsigned to, char *out,
    size_t *n)
{
	unsigned i;

	for (i = from; i < to; i++) {
		if (*n > 0)
			out[(*n)++] = ' ';
		memcpy(out + *n, st->buf + st->tok[i], st->tlen[i]);
		*n += st->tlen[i];
	}
}

static int
tok_is(const struct stmt *st, unsigned i, const char *w)
{
	size_t k = strlen(w);

	return st->tlen[i] == k && memcmp(st->buf + st->tok[i], w, k) == 0;
}

/* leading "inactive:", "protect:", "replace:" as flags; the first token */
static unsigned
stmt_prefixes(const struct stmt *st, unsigned *first)
{
	unsigned flags = 0, i;

	for (i = 0; i < st->ntok; i++) {
		if (tok_is(st, i, "inactive:"))
			flags |= CFG_NODE_INACTIVE;
		else if (tok_is(st, i, "protect:"))
			flags |= CFG_NODE_PROTECT;
		else if (!tok_is(st, i, "replace:"))
			break;
	}
	*first = i;
	return flags;
}

/*
 * The statement's nodes under PARENT: one, or one per item of a "[ a b ]"
 * list ("members [ a b ]" is "members a" and "members b", as "display set"
 * shows it).  With BLOCK, the node (which must be one) in *OUT.
 */
static int
stmt_emit(struct cfg_tree *t, struct stmt *st, struct tnode *parent,
    int block, struct tnode **out)
{
	char line[CFG_TREE_MAX_LINE + 1];
	unsigned first, flags, i, open = 0, close = 0, k;
	size_t n;
	char *s;
	struct tnode *c = NULL;

	stmt_endword(st);
	flags = stmt_prefixes(st, &first);
	if (first == st->ntok) {
		tree_err(t, "line %u: a statement without words", st->line);
		return -1;
	}
	/*
	 * A one-line leaf that starts with a container or a named statement
	 * ("then accept", "route 0/0 next-hop 1.1.1.1") is the nodes that its
	 * "display set" line gives: "then" > "accept".
	 */
	while (!block) {
		k = 0;
		if (st->ntok - first >= 2 && !st->list[first] &&
		    word_in(st->buf + st->tok[first], st->tlen[first],
		    junos_containers))
			k = 1;
		else if (st->ntok - first >= 3 && !st->list[first + 1] &&
		    !st->list[first + 2] && word_in(st->buf + st->tok[first],
		    st->tlen[first], junos_named))
			k = 2;
		if (k == 0)
			break;
		n = 0;
		stmt_join(st, first, first + k, line, &n);
		if ((s = str_new(t, line, n)) == NULL)
			goto nomem;
		if ((parent = add_child(t, parent, s, n, st->line,
		    flags)) == NULL)
			return -1;
		flags = 0;
		first += k;
	}
	for (i = first; i < st->ntok; i++) {
		if (st->list[i] == 1 && open == 0)
			open = i + 1;
		else if (st->list[i] == 2 && open != 0 && close == 0)
			close = i + 1;
	}
	if (open != 0 && close == 0) {
		tree_err(t, "line %u: '[' without ']'", st->line);
		return -1;
	}
	if (open == 0 || block || close == open + 1) {
		n = 0;
		stmt_join(st, first, st->ntok, line, &n);
		if ((s = str_new(t, line, n)) == NULL)
			goto nomem;
		if ((c = add_child(t, parent, s, n, st->line, flags)) == NULL)
			return -1;
	} else {
		for (k = open; k < close - 1; k++) {
			n = 0;
			stmt_join(st, first, open - 1, line, &n);
			stmt_join(st, k, k + 1, line, &n);
			stmt_join(st, close, st->ntok, line, &n);
			if ((s = str_new(t, line, n)) == NULL)
				goto nomem;
			if ((c = add_child(t, parent, s, n, st->line,
			    flags)) == NULL)
				return -1;
		}
	}
	if (out != NULL)
		*out = c;
	st->ntok = 0;
	st->len = 0;
	return 0;
nomem:
	tree_err(t, "line %u: out of memory", st->line);
	return -1;
}

static int
parse_braces(struct cfg_tree *t, struct stmt *st)
{
	struct tnode *stack[CFG_TREE_MAX_DEPTH + 1];
	unsigned opened[CFG_TREE_MAX_DEPTH + 1];
	const char *p = t->buf, *end = t->buf + t->len, *linestart = p;
	unsigned lineno = 1, qline;
	int sp = 0;
	char ch;

	stack[0] = &t->root;
	opened[0] = 0;
	for (; p < end; p++) {
		ch = *p;
		if (ch == '\n') {
			stmt_endword(st);
			lineno++;
			linestart = p + 1;
			continue;
		}
		if ((size_t)(p - linestart) >= CFG_TREE_MAX_LINE) {
			tree_err(t, "line %u: longer than %u bytes", lineno,
			    CFG_TREE_MAX_LINE);
			return -1;
		}
		switch (ch) {
		case '\0':
			tree_err(t, "line %u: NUL byte", lineno);
			return -1;
		case ' ': case '\t': case '\r':
			stmt_endword(st);
			break;
		case '"':
			qline = lineno;
			if (stmt_char(t, st, ch, lineno) == -1)
				return -1;
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\0') {
					tree_err(t, "line %u: NUL byte",
					    lineno);
					return -1;
				}
				if (*p == '\n') {
					lineno++;
					linestart = p + 1;
				}
				if (*p == '\\' && p + 1 < end) {
					if (stmt_char(t, st, *p++, lineno) == -1)
						return -1;
					if (*p == '\n') {
						lineno++;
						linestart = p + 1;
					}
				}
				if (stmt_char(t, st, *p, lineno) == -1)
					return -1;
			}
			if (p >= end) {
				tree_err(t, "line %u: unterminated quote",
				    qline);
				return -1;
			}
			if (stmt_char(t, st, '"', lineno) == -1)
				return -1;
			break;
		case '#':
			if (st->inword)
				goto plain;
			while (p + 1 < end && p[1] != '\n')
				p++;
			break;
		case '/':
			if (st->inword || p + 1 >= end || p[1] != '*')
				goto plain;
			qline = lineno;
			for (p += 2; p + 1 < end && !(p[0] == '*' &&
			    p[1] == '/'); p++)
				if (*p == '\n') {
					lineno++;
					linestart = p + 1;
				}
			if (p + 1 >= end) {
				tree_err(t, "line %u: unterminated comment",
				    qline);
				return -1;
			}
			p++;
			break;
		case '{':
			if (sp + 1 > CFG_TREE_MAX_DEPTH) {
				tree_err(t, "line %u: nesting deeper than %u",
				    lineno, CFG_TREE_MAX_DEPTH);
				return -1;
			}
			if (st->ntok == 0) {
				tree_err(t, "line %u: '{' without a statement",
				    lineno);
				return -1;
			}
			if (stmt_emit(t, st, stack[sp], 1, &stack[sp + 1]) == -1)
				return -1;
			opened[++sp] = lineno;
			break;
		case ';':
			stmt_endword(st);
			if (st->ntok > 0 && stmt_emit(t, st, stack[sp], 0,
			    NULL) == -1)
				return -1;
			break;
		case '}':
			stmt_endword(st);
			if (st->ntok > 0) {
				tree_err(t, "line %u: missing ';' before '}'",
				    lineno);
				return -1;
			}
			if (sp == 0) {
				tree_err(t, "line %u: '}' without its '{'",
				    lineno);
				return -1;
			}
			sp--;
			break;
		default:
		plain:
			if (stmt_char(t, st, ch, lineno) == -1)
				return -1;
		}
	}
	stmt_endword(st);
	if (sp > 0) {
		tree_err(t, "line %u: '{' never closed", opened[sp]);
		return -1;
	}
	if (st->ntok > 0) {
		tree_err(t, "line %u: statement without ';' at the end",
		    st->line);
		return -1;
	}
	return 0;
}

/* ---- Junos set form ---------------------------------------------------- */

/* keywords whose statement takes the next word: "unit 0", "user bob" */
static const char *const junos_named[] = {
	"address", "address-set", "application", "application-set", "area",
	"as-path", "class", "community", "family", "file", "filter",
	"functional-zone", "group", "host", "ids-option", "interface",
	"interface-range",
	"neighbor", "policy", "policy-statement", "pool", "prefix-list",
	"profile", "route", "rule", "rule-set", "security-zone", "server",
	"term", "unit", "user", NULL
};

/* containers: their children are statements, never values */
static const char *const junos_containers[] = {
	"access", "address-book", "alg", "applications", "archival",
	"authentication", "autoupdate", "bgp", "chassis", "class-of-service",
	"configuration", "dhcp-local-server", "ethernet-switching",
	"event-options", "firewall", "flow", "forwarding-options", "from",
	"host-inbound-traffic", "https", "icmp", "ike", "interfaces", "ip",
	"ipsec", "license", "lldp",
	"lldp-med", "login", "management", "match", "name-server", "nat",
	"netconf", "ntp", "phone-home",
	"ospf", "ospf3", "policies", "policy-options", "protocols",
	"root-authentication", "routing-instances", "routing-options",
	"rstp", "screen", "security", "services", "snmp", "source-address",
	"destination-address", "ssh", "static", "syn-flood", "tcp",
	"switch-options", "syslog", "system", "system-services", "then", "to",
	"vlan", "vlans", "vpn", "web-management", "zones", NULL
};

static int
word_in(const char *s, size_t n, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && memcmp(*list, s, n) == 0)
			return 1;
	return 0;
}

/* "filter input NAME" of an interface: "filter" is a container there
 * (family inet { filter { input NAME; } }), not "filter NAME" */
static int
filter_dir(const struct stmt *st, size_t w, size_t next)
{
	static const char *const dirs[] = {"input", "output", "input-list",
	    "output-list", NULL};

	return st->tlen[w] == 6 && memcmp(st->buf + st->tok[w], "filter",
	    6) == 0 && word_in(st->buf + st->tok[next], st->tlen[next], dirs);
}

static size_t
hash_key(const void *parent, const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)parent;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/* the child of PARENT with this text, made when missing */
static struct tnode *
set_child(struct cfg_tree *t, struct tnode *parent, const char *s, size_t n,
    unsigned lineno, int named)
{
	size_t h = hash_key(parent, s, n) & (t->hsize - 1);
	struct tnode *c;
	char *copy;

	for (c = t->htab[h]; c != NULL; c = c->hnext)
		if (c->n.parent == &parent->n && c->n.len == n &&
		    memcmp(c->n.text, s, n) == 0)
			return c;
	if ((copy = str_new(t, s, n)) == NULL) {
		tree_err(t, "line %u: out of memory", lineno);
		return NULL;
	}
	if ((c = add_child(t, parent, copy, n, lineno, 0)) == NULL)
		return NULL;
	c->named = named;
	c->hnext = t->htab[h];
	t->htab[h] = c;
	return c;
}

static int
idx_is(const struct stmt *st, unsigned i, const char *w)
{
	return tok_is(st, i, w);
}

/* one "set"/"deactivate"/"protect" line: the tokens IDX[0..N) */
static int
set_insert(struct cfg_tree *t, struct stmt *st, const unsigned *idx,
    unsigned n, unsigned flags)
{
	char seg[CFG_TREE_MAX_LINE + 1];
	struct tnode *cur = &t->root;
	unsigned i = 0, k, j;
	size_t len;

	if (n == 0) {
		tree_err(t, "line %u: '%.*s' without a statement", st->line,
		    (int)st->tlen[0], st->buf + st->tok[0]);
		return -1;
	}
	while (i < n) {
		k = 1;
		if (i + 3 < n && idx_is(st, idx[i], "from-zone") &&
		    idx_is(st, idx[i + 2], "to-zone"))
			k = 4;
		else if (i + 1 < n && word_in(st->buf + st->tok[idx[i]],
		    st->tlen[idx[i]], junos_named) &&
		    !filter_dir(st, idx[i], idx[i + 1]))
			k = 2;
		len = 0;
		for (j = i; j < i + k; j++)
			stmt_join(st, idx[j], idx[j] + 1, seg, &len);
		if ((cur = set_child(t, cur, seg, len, st->line, k > 1)) == NULL)
			return -1;
		i += k;
	}
	cur->n.flags |= flags;
	return 0;
}

/* a set line, its "[ a b ]" list (if any) as one line per item */
static int
set_list_insert(struct cfg_tree *t, struct stmt *st, unsigned flags)
{
	unsigned *idx = st->idx;
	unsigned i, n, open = 0, close = 0, item;

	for (i = 1; i < st->ntok; i++) {
		if (st->list[i] == 1 && open == 0)
			open = i + 1;
		else if (st->list[i] == 2 && open != 0 && close == 0)
			close = i + 1;
	}
	if (open != 0 && close == 0) {
		tree_err(t, "line %u: '[' without ']'", st->line);
		return -1;
	}
	if (open == 0 || close == open + 1) {
		for (n = 0, i = 1; i < st->ntok; i++)
			idx[n++] = i;
		return set_insert(t, st, idx, n, flags);
	}
	for (item = open; item < close - 1; item++) {
		n = 0;
		for (i = 1; i < open - 1; i++)
			idx[n++] = i;
		idx[n++] = item;
		for (i = close; i < st->ntok; i++)
			idx[n++] = i;
		if (set_insert(t, st, idx, n, flags) == -1)
			return -1;
	}
	return 0;
}

/*
 * Top-down: a one-word statement that is not a container and whose
 * children are all leaves is a statement with values ("uid 2002",
 * "members a", "members b"): each child becomes "word child" in its place.
 */
static int
set_fold(struct cfg_tree *t, struct tnode *parent)
{
	struct cfg_node *c, *prev = NULL, *next, *g, *gnext, *glast;
	char *s;
	int fold;

	for (c = parent->n.child; c != NULL; c = next) {
		next = c->next;
		fold = c->child != NULL && !((struct tnode *)c)->named &&
		    memchr(c->text, ' ', c->len) == NULL &&
		    !word_in(c->text, c->len, junos_containers);
		for (g = c->child; fold && g != NULL; g = g->next)
			if (g->child != NULL)
				fold = 0;
		if (!fold) {
			if (set_fold(t, (struct tnode *)c) == -1)
				return -1;
			prev = c;
			continue;
		}
		glast = NULL;
		for (g = c->child; g != NULL; g = gnext) {
			gnext = g->next;
			if ((s = malloc(c->len + 1 + g->len + 1)) == NULL) {
				tree_err(t, "out of memory");
				return -1;
			}
			memcpy(s, c->text, c->len);
			s[c->len] = ' ';
			memcpy(s + c->len + 1, g->text, g->len);
			g->len += c->len + 1;
			g->text = str_new(t, s, g->len);
			free(s);
			if (g->text == NULL) {
				tree_err(t, "out of memory");
				return -1;
			}
			g->flags |= c->flags;
			g->parent = &parent->n;
			g->depth = parent->n.depth + 1;
			glast = g;
		}
		/* splice c's children in c's place */
		if (prev != NULL)
			prev->next = c->child;
		else
			parent->n.child = c->child;
		glast->next = next;
		if (parent->n.last_child == c)
			parent->n.last_child = glast;
		parent->n.nchild += c->nchild - 1;
		t->count--;
		prev = glast;
	}
	return 0;
}

static int
parse_set(struct cfg_tree *t, struct stmt *st)
{
	const char *p = t->buf, *end = t->buf + t->len, *nl, *q;
	unsigned lineno = 0, flags;

	for (t->hsize = 64; t->hsize < t->len / 8 && t->hsize < (1u << 24);)
		t->hsize <<= 1;
	if ((t->htab = calloc(t->hsize, sizeof(*t->htab))) == NULL) {
		tree_err(t, "out of memory");
		return -1;
	}
	for (; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) > CFG_TREE_MAX_LINE) {
			tree_err(t, "line %u: longer than %u bytes", lineno,
			    CFG_TREE_MAX_LINE);
			return -1;
		}
		st->ntok = 0;
		st->len = 0;
		st->inword = 0;
		for (q = p; q < nl; q++) {
			if (*q == '\0') {
				tree_err(t, "line %u: NUL byte", lineno);
				return -1;
			}
			if (*q == ' ' || *q == '\t' || *q == '\r') {
				stmt_endword(st);
			} else if (*q == '#' && !st->inword) {
				break;
			} else if (*q == '"') {
				if (stmt_char(t, st, *q, lineno) == -1)
					return -1;
				for (q++; q < nl && *q != '"'; q++) {
					if (*q == '\0') {
						tree_err(t, "line %u: NUL byte",
						    lineno);
						return -1;
					}
					if (*q == '\\' && q + 1 < nl &&
					    stmt_char(t, st, *q++, lineno) == -1)
						return -1;
					if (stmt_char(t, st, *q, lineno) == -1)
						return -1;
				}
				if (q >= nl) {
					tree_err(t, "line %u: unterminated "
					    "quote", lineno);
					return -1;
				}
				if (stmt_char(t, st, '"', lineno) == -1)
					return -1;
			} else if (stmt_char(t, st, *q, lineno) == -1)
				return -1;
		}
		stmt_endword(st);
		if (nl == end)
			nl = end - 1;	/* the loop ends */
		if (st->ntok == 0)
			continue;
		if (tok_is(st, 0, "set"))
			flags = 0;
		else if (tok_is(st, 0, "deactivate"))
			flags = CFG_NODE_INACTIVE;
		else if (tok_is(st, 0, "protect"))
			flags = CFG_NODE_PROTECT;
		else {
			tree_err(t, "line %u: expected 'set', 'deactivate' "
			    "or 'protect'", lineno);
			return -1;
		}
		if (set_list_insert(t, st, flags) == -1)
			return -1;
	}
	return set_fold(t, &t->root);
}

/* ---- after the parse: Junos prefixes in the text, the hashes ----------- */

static int
finish(struct cfg_tree *t, struct cfg_node *n)
{
	struct cfg_node *c;
	const char *pre;
	size_t k, i;
	uint64_t h;
	char *s;

	for (c = n->child; c != NULL; c = c->next) {
		pre = NULL;
		if ((c->flags & CFG_NODE_INACTIVE) &&
		    !(c->len >= 10 && memcmp(c->text, "inactive: ", 10) == 0))
			pre = "inactive: ";
		else if ((c->flags & CFG_NODE_PROTECT) &&
		    !(c->len >= 9 && memcmp(c->text, "protect: ", 9) == 0))
			pre = "protect: ";
		if (pre != NULL) {
			k = strlen(pre);
			if ((s = malloc(k + c->len)) == NULL) {
				tree_err(t, "line %u: out of memory", c->lineno);
				return -1;
			}
			memcpy(s, pre, k);
			memcpy(s + k, c->text, c->len);
			c->len += k;
			c->text = str_new(t, s, c->len);
			free(s);
			if (c->text == NULL) {
				tree_err(t, "line %u: out of memory", c->lineno);
				return -1;
			}
		}
		h = 1469598103934665603ULL;
		for (i = 0; i < c->len; i++) {
			h ^= (unsigned char)c->text[i];
			h *= 1099511628211ULL;
		}
		c->hash = h != 0 ? h : 1;
		if (c->child != NULL && finish(t, c) == -1)
			return -1;
	}
	return 0;
}

/* ---- the interface ----------------------------------------------------- */

/* Junos text in "display set" form: its first statement is a set line */
static int
junos_setform(const char *p, size_t len)
{
	const char *end = p + len;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\n'))
			p++;
		if (p < end && *p == '#') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		break;
	}
	return (end - p > 4 && memcmp(p, "set ", 4) == 0) ||
	    (end - p > 11 && memcmp(p, "deactivate ", 11) == 0) ||
	    (end - p > 8 && memcmp(p, "protect ", 8) == 0);
}

struct cfg_tree *
cfg_tree_parse_opts(enum cfg_platform plat, const char *text, size_t len,
    unsigned opts, char *err, size_t errlen)
{
	struct cfg_tree *t;
	struct stmt *st = NULL;
	int r;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (len > CFG_TREE_MAX_INPUT) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "configuration larger than %u "
			    "bytes", CFG_TREE_MAX_INPUT);
		return NULL;
	}
	if ((unsigned)plat >= CFG_PLAT_N)
		plat = CFG_PLAT_AUTO;
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->buf = malloc(len + 1)) == NULL) {
		free(t);
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (len > 0)
		memcpy(t->buf, text, len);
	t->buf[len] = '\0';
	t->len = len;
	t->err = err;
	t->errlen = errlen;
	t->opts = opts;
	t->plat = plat == CFG_PLAT_AUTO ? cfg_platform_detect(text, len) : plat;
	t->root.n.text = "";
	if (cfg_platform_braces(t->plat)) {
		if ((st = malloc(sizeof(*st))) == NULL) {
			tree_err(t, "out of memory");
			r = -1;
		} else {
			memset(st, 0, offsetof(struct stmt, tok));
			st->ntok = 0;
			st->inword = 0;
			r = junos_setform(t->buf, len) ? parse_set(t, st) :
			    parse_braces(t, st);
		}
	} else
		r = parse_indent(t);
	if (r == 0)
		r = finish(t, &t->root.n);
	free(st);
	free(t->htab);
	t->htab = NULL;
	t->err = NULL;
	if (r == -1) {
		cfg_tree_free(t);
		return NULL;
	}
	return t;
}

struct cfg_tree *
cfg_tree_parse(enum cfg_platform plat, const char *text, size_t len,
    char *err, size_t errlen)
{
	return cfg_tree_parse_opts(plat, text, len, 0, err, errlen);
}

const struct cfg_node *
cfg_tree_root(const struct cfg_tree *t)
{
	return &t->root.n;
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

void
cfg_tree_free(struct cfg_tree *t)
{
	struct pool *p;
	struct strchunk *c;

	if (t == NULL)
		return;
	while ((p = t->pools) != NULL) {
		t->pools = p->next;
		free(p);
	}
	while ((c = t->strs) != NULL) {
		t->strs = c->next;
		free(c);
	}
	free(t->htab);
	free(t->buf);
	free(t);
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
	return cfg_node_find(n, NULL, prefix);
}

const struct cfg_node *
cfg_node_find(const struct cfg_node *parent, const struct cfg_node *after,
    const char *prefix)
{
	const struct cfg_node *c;
	size_t k = strlen(prefix);

	for (c = after != NULL ? after->next : parent->child; c != NULL;
	    c = c->next)
		if (c->len >= k && memcmp(c->text, prefix, k) == 0)
			return c;
	return NULL;
}

const struct cfg_node *
cfg_node_find_re(const struct cfg_node *parent, const struct cfg_node *after,
    const regex_t *re)
{
	const struct cfg_node *c;

	for (c = after != NULL ? after->next : parent->child; c != NULL;
	    c = c->next)
		if (regexec(re, c->text, 0, NULL, 0) == 0)
			return c;
	return NULL;
}

size_t
cfg_node_path(const struct cfg_node *n, char *buf, size_t buflen)
{
	const struct cfg_node *chain[CFG_TREE_MAX_DEPTH + 1];
	unsigned k = 0, i;
	size_t need = 0, l;
	const char *nl;

	for (; n != NULL && n->depth > 0 && k <= CFG_TREE_MAX_DEPTH;
	    n = n->parent)
		chain[k++] = n;
	if (buflen > 0)
		buf[0] = '\0';
	for (i = k; i-- > 0;) {
		if (i + 1 < k) {
			if (need + 3 < buflen)
				memcpy(buf + need, " > ", 3);
			need += 3;
		}
		l = chain[i]->len;
		if ((nl = memchr(chain[i]->text, '\n', l)) != NULL)
			l = (size_t)(nl - chain[i]->text);
		if (need < buflen)
			memcpy(buf + need, chain[i]->text,
			    need + l < buflen ? l : buflen - need);
		need += l;
	}
	if (buflen > 0)
		buf[need < buflen ? need : buflen - 1] = '\0';
	return need;
}

unsigned
cfg_node_lines(const struct cfg_node *n)
{
	const char *p = n->text, *end = n->text + n->len;
	unsigned k = 1;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}
