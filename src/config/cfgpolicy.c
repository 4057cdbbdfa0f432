/*
 * cfgpolicy.c - compliance policies on configuration trees (cfgpolicy.h).
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/acl.h"
#include "config/cfgpolicy.h"

struct crule {
	const struct policy_rule *r;
	regex_t re, sec;
	int has_re, has_sec;
	char pre[64];		/* what a match must start with ("^aaa ") */
	size_t plen;
	char name[NP_STR_MAX * 3];
};

struct cfg_policy {
	char name[NP_NAME_MAX];
	struct crule *r;
	int n;
};

const char *
cfg_result_name(enum cfg_result r)
{
	return r == CFG_PASS ? "pass" : "fail";
}

void
cfg_policy_free(struct cfg_policy *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < p->n; i++) {
		if (p->r[i].has_re)
			regfree(&p->r[i].re);
		if (p->r[i].has_sec)
			regfree(&p->r[i].sec);
	}
	free(p->r);
	free(p);
}

/*
 * The literal text every match of the extended regex RE starts with: what
 * follows a leading '^' up to the first special character (a character
 * that a quantifier makes optional is left out), "" when RE has a '|'
 * outside brackets, so that find() skips most statements without
 * running the regex.
 */
static size_t
lit_prefix(const char *re, char *pre, size_t size)
{
	size_t n = 0;
	int br = 0;

	pre[0] = '\0';
	for (const char *p = re; *p; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '[')
			br = 1;
		else if (*p == ']')
			br = 0;
		else if (*p == '|' && !br)
			return 0;
	}
	if (re[0] != '^')
		return 0;
	for (const char *p = re + 1; *p && n + 1 < size; p++) {
		if (strchr(".[]()*+?{}|\\$^", *p) != NULL) {
			if (n > 0 && strchr("*?{", *p) != NULL)
				n--;	/* "ab?": only "a" is sure */
			break;
		}
		pre[n++] = *p;
	}
	pre[n] = '\0';
	return n;
}

struct cfg_policy *
cfg_policy_compile(const struct policy_conf *pc, char *err, size_t errlen)
{
	struct cfg_policy *p = calloc(1, sizeof(*p));

	if (p == NULL || (p->r = calloc((size_t)pc->nrules + 1,
	    sizeof(*p->r))) == NULL) {
		free(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(p->name, sizeof(p->name), "%s", pc->name);
	for (int i = 0; i < pc->nrules; i++) {
		const struct policy_rule *r = &pc->rules[i];
		struct crule *c = &p->r[p->n];

		c->r = r;
		if (r->kind == POL_ACL_DENY) {
			if (r->text[0])
				snprintf(c->name, sizeof(c->name), "%s",
				    r->text);
			else
				snprintf(c->name, sizeof(c->name),
				    "acl-deny \"%s\" \"%s\"", r->regex,
				    r->packet);
			p->n++;
			continue;
		}
		if (r->kind != POL_CHECK) {
			if (regcomp(&c->re, r->regex, REG_EXTENDED | REG_NOSUB)) {
				snprintf(err, errlen, "policy %s: bad regex %s",
				    pc->name, r->regex);
				cfg_policy_free(p);
				return NULL;
			}
			c->has_re = 1;
			c->plen = lit_prefix(r->regex, c->pre, sizeof(c->pre));
		}
		if (r->section[0]) {
			if (regcomp(&c->sec, r->section, REG_EXTENDED |
			    REG_NOSUB)) {
				snprintf(err, errlen, "policy %s: bad regex %s",
				    pc->name, r->section);
				if (c->has_re)
					regfree(&c->re);
				cfg_policy_free(p);
				return NULL;
			}
			c->has_sec = 1;
		}
		if (r->text[0])
			snprintf(c->name, sizeof(c->name), "%s", r->text);
		else
			snprintf(c->name, sizeof(c->name), "%s \"%s\"%s%s%s",
			    r->kind == POL_REQUIRE ? "require" :
			    r->kind == POL_FORBID ? "forbid" : "check", r->regex,
			    r->section[0] ? " section \"" : "", r->section,
			    r->section[0] ? "\"" : "");
		p->n++;
	}
	return p;
}

/* A node's text as a NUL-terminated string (bounded). */
static const char *
ntext(const struct cfg_node *n, char *buf, size_t len)
{
	size_t k = n->len < len - 1 ? n->len : len - 1;

	memcpy(buf, n->text, k);
	buf[k] = '\0';
	return buf;
}

struct ctx {
	const struct cfg_rules *rs;
	const unsigned char *key;
	size_t keylen;
	enum cfg_platform plat;
};

/* A line as it may be shown: secrets masked, as the archive keeps it. */
static void
masked_text(const struct ctx *x, const char *buf, unsigned lineno, char *out,
    size_t len)
{
	char err[128];
	struct cfg_norm nm;
	size_t k;

	if (cfg_normalize(x->rs, x->plat, x->key, x->keylen, buf, strlen(buf),
	    &nm, err, sizeof(err)) == -1 || nm.len == 0) {
		snprintf(out, len, "(line %u)", lineno);
		if (nm.text)
			cfg_norm_free(&nm);
		return;
	}
	k = strcspn(nm.text, "\n");
	snprintf(out, len, "%.*s", (int)(k < len - 1 ? k : len - 1), nm.text);
	cfg_norm_free(&nm);
}

static void
masked(const struct ctx *x, const struct cfg_node *n, char *out, size_t len)
{
	char buf[1024];

	masked_text(x, ntext(n, buf, sizeof(buf)), n->lineno, out, len);
}

/*
 * acl-deny: the ACL must deny every packet the rule names (acl.h's
 * model of the configuration, built once per evaluation).
 */
static void
acl_deny(const struct ctx *x, const struct crule *c,
    const struct acl_config *ac, struct cfg_policy_result *res)
{
	const struct policy_packets *pk = &c->r->pkt;
	const struct acl *a = ac ? acl_config_find(ac, c->r->regex) : NULL;
	struct acl_box q;
	struct acl_packet ex;
	char s[20], d[20], line[160];
	int ln = 0, rc;

	if (ac == NULL) {
		res->result = CFG_FAIL;
		snprintf(res->detail, sizeof(res->detail), "ACL %s: the "
		    "configuration could not be modelled (out of memory)",
		    c->r->regex);
		return;
	}
	if (a == NULL) {
		res->result = CFG_FAIL;
		snprintf(res->detail, sizeof(res->detail), "ACL %s is not "
		    "defined", c->r->regex);
		return;
	}
	acl_box_all(&q);
	if (pk->proto >= 0)
		q.proto.lo = q.proto.hi = (uint32_t)pk->proto;
	q.src = acl_tern_prefix(pk->src, pk->slen);
	q.dst = acl_tern_prefix(pk->dst, pk->dlen);
	if (pk->dport >= 0)
		q.dport.lo = q.dport.hi = (uint32_t)pk->dport;
	res->line = a->lineno;
	if ((rc = acl_denies_all(a, &q, &ex, &ln)) == -1) {
		res->result = CFG_FAIL;
		snprintf(res->detail, sizeof(res->detail), "ACL %s could not "
		    "be analysed%s%s", a->name, a->why[0] ? ": " : "",
		    a->why[0] ? a->why : (a->ipv6 ? ": IPv6" : ""));
		return;
	}
	if (rc == 1) {
		snprintf(res->detail, sizeof(res->detail), "ACL %s denies "
		    "%s", a->name, c->r->packet);
		return;
	}
	res->result = CFG_FAIL;
	res->line = (unsigned)ln;
	acl_addr_text(ex.src, s, sizeof(s));
	acl_addr_text(ex.dst, d, sizeof(d));
	snprintf(line, sizeof(line), "line %d", ln);
	for (size_t i = 0; i < a->n; i++)
		if ((int)a->e[i].lineno == ln && a->e[i].text != NULL) {
			masked_text(x, a->e[i].text, a->e[i].lineno, line,
			    sizeof(line));
			break;
		}
	if (ex.proto == 6 || ex.proto == 17)
		snprintf(res->detail, sizeof(res->detail), "ACL %s permits "
		    "%s %s:%u -> %s:%u by \"%s\"", a->name,
		    acl_proto_name(ex.proto), s, ex.sport, d, ex.dport, line);
	else
		snprintf(res->detail, sizeof(res->detail), "ACL %s permits "
		    "%s %s -> %s by \"%s\"", a->name, acl_proto_name(ex.proto),
		    s, d, line);
}

/* The first node under N (depth first, N excluded) whose text matches. */
static const struct cfg_node *
find(const struct cfg_node *n, const regex_t *re, const char *pre,
    size_t plen)
{
	char buf[CFG_TREE_LINE + 1 > 4097 ? 4097 : CFG_TREE_LINE + 1];

	for (const struct cfg_node *c = n->child; c; c = c->next) {
		const struct cfg_node *m;

		if ((c->len >= plen && memcmp(c->text, pre, plen) == 0) &&
		    regexec(re, ntext(c, buf, sizeof(buf)), 0, NULL, 0) == 0)
			return c;
		if (c->child != NULL && (m = find(c, re, pre, plen)) != NULL)
			return m;
	}
	return NULL;
}

static int
weak(const char *s)
{
	static const char *const w[] = {"public", "private", "cisco",
	    "community", "admin", "default", "secret", "snmp", "snmpd",
	    "write", "read", "test", "password", "manager", "monitor",
	    "all private", "ILMI", NULL};

	for (int i = 0; w[i]; i++)
		if (strcmp(s, w[i]) == 0)
			return 1;
	return 0;
}

/* Is an ACL named NAME defined at the top? */
static int
acl_defined(const struct cfg_node *root, const char *name)
{
	char buf[512], want[3][300];

	snprintf(want[0], sizeof(want[0]), "ip access-list standard %s", name);
	snprintf(want[1], sizeof(want[1]), "ip access-list extended %s", name);
	snprintf(want[2], sizeof(want[2]), "ip access-list %s", name);
	for (const struct cfg_node *c = root->child; c; c = c->next) {
		ntext(c, buf, sizeof(buf));
		for (int i = 0; i < 3; i++)
			if (strcmp(buf, want[i]) == 0)
				return 1;
		if (strncmp(buf, "access-list ", 12) == 0 &&
		    strncmp(buf + 12, name, strlen(name)) == 0 &&
		    buf[12 + strlen(name)] == ' ')
			return 1;
	}
	return 0;
}

static void
check(const struct ctx *x, const struct crule *c, const struct cfg_node *root,
    struct cfg_policy_result *res)
{
	const char *name = c->r->regex;
	char buf[512], acl[256];
	int n = 0, bad = 0;

	(void)x;

	if (strcmp(name, "vty-access-class") == 0) {
		for (const struct cfg_node *l = root->child; l; l = l->next) {
			const struct cfg_node *a;
			int ok = 0;

			if (!cfg_node_starts(l, "line vty"))
				continue;
			n++;
			for (a = l->child; a; a = a->next)
				if (cfg_node_starts(a, "access-class ") &&
				    sscanf(ntext(a, buf, sizeof(buf)),
				    "access-class %255s in", acl) == 1 &&
				    strstr(buf, " in") != NULL) {
					ok = acl_defined(root, acl);
					if (!ok && !bad) {
						snprintf(res->detail,
						    sizeof(res->detail), "%s: "
						    "access-class %s is not "
						    "defined", ntext(l, buf,
						    sizeof(buf)), acl);
						res->line = a->lineno;
					}
					break;
				}
			if (!ok && !bad && a == NULL) {
				snprintf(res->detail, sizeof(res->detail),
				    "%s: no access-class in", ntext(l, buf,
				    sizeof(buf)));
				res->line = l->lineno;
			}
			bad += !ok;
		}
		if (bad)
			res->result = CFG_FAIL;
		else
			snprintf(res->detail, sizeof(res->detail), n ?
			    "%d vty lines, each with a defined access-class" :
			    "no vty line", n);
		return;
	}
	if (strcmp(name, "weak-community") == 0) {
		for (const struct cfg_node *l = root->child; l; l = l->next) {
			char comm[128];

			if (!cfg_node_starts(l, "snmp-server community ") ||
			    sscanf(ntext(l, buf, sizeof(buf)),
			    "snmp-server community %127s", comm) != 1)
				continue;
			n++;
			if (weak(comm)) {
				res->result = CFG_FAIL;
				/* the value is the secret: not shown */
				snprintf(res->detail, sizeof(res->detail),
				    "snmp-server community at line %u is a "
				    "default or weak value", l->lineno);
				res->line = l->lineno;
				return;
			}
		}
		snprintf(res->detail, sizeof(res->detail),
		    "%d communities, none a default or weak value", n);
		return;
	}
	/* exec-timeout: con, aux and vty lines idle out in 10 min at most
	 * (absent: the IOS default, 10 min) */
	for (const struct cfg_node *l = root->child; l; l = l->next) {
		if (!cfg_node_starts(l, "line con") &&
		    !cfg_node_starts(l, "line vty") &&
		    !cfg_node_starts(l, "line aux"))
			continue;
		n++;
		for (const struct cfg_node *a = l->child; a; a = a->next) {
			int m = 0, s = 0;

			if (!cfg_node_starts(a, "exec-timeout ") ||
			    sscanf(ntext(a, buf, sizeof(buf)),
			    "exec-timeout %d %d", &m, &s) < 1)
				continue;
			if (m * 60 + s == 0 || m * 60 + s > 600) {
				res->result = CFG_FAIL;
				snprintf(res->detail, sizeof(res->detail),
				    "%s: %s", ntext(l, acl, sizeof(acl)), buf);
				res->line = a->lineno;
				return;
			}
		}
	}
	snprintf(res->detail, sizeof(res->detail),
	    "%d lines, none idle longer than 10 minutes", n);
}

void
cfg_policy_eval(const struct cfg_policy *p, const struct cfg_tree *t,
    const struct cfg_rules *rs, const unsigned char *key, size_t keylen,
    cfg_policy_cb cb, void *arg)
{
	const struct cfg_node *root = cfg_tree_root(t);
	struct ctx x = {rs, key, keylen, cfg_tree_platform(t)};
	struct acl_config *ac = NULL;
	int built = 0;
	char buf[512], line[256];

	for (int i = 0; i < p->n; i++) {
		const struct crule *c = &p->r[i];
		struct cfg_policy_result res;
		const struct cfg_node *m;
		int nsec = 0, nbad = 0;

		memset(&res, 0, sizeof(res));
		res.policy = p->name;
		res.rule = c->name;
		res.result = CFG_PASS;
		if (c->r->kind == POL_CHECK) {
			check(&x, c, root, &res);
			cb(arg, &res);
			continue;
		}
		if (c->r->kind == POL_ACL_DENY) {
			if (!built++)
				ac = acl_config_build(t);
			acl_deny(&x, c, ac, &res);
			cb(arg, &res);
			continue;
		}
		if (!c->has_sec) {
			m = find(root, &c->re, c->pre, c->plen);
			if (c->r->kind == POL_REQUIRE) {
				if (m) {
					masked(&x, m, res.detail,
					    sizeof(res.detail));
					res.line = m->lineno;
				} else {
					res.result = CFG_FAIL;
					snprintf(res.detail, sizeof(res.detail),
					    "no line matches \"%s\"",
					    c->r->regex);
				}
			} else if (m) {
				res.result = CFG_FAIL;
				masked(&x, m, res.detail, sizeof(res.detail));
				res.line = m->lineno;
			} else
				snprintf(res.detail, sizeof(res.detail),
				    "no line matches \"%s\"", c->r->regex);
			cb(arg, &res);
			continue;
		}
		/* in every section whose header matches */
		for (const struct cfg_node *s = root->child; s; s = s->next) {
			if (regexec(&c->sec, ntext(s, buf, sizeof(buf)), 0,
			    NULL, 0) != 0)
				continue;
			nsec++;
			m = find(s, &c->re, c->pre, c->plen);
			if ((c->r->kind == POL_REQUIRE) == (m != NULL))
				continue;
			if (nbad++ == 0) {
				if (m) {
					masked(&x, m, line, sizeof(line));
					snprintf(res.detail, sizeof(res.detail),
					    "%s: %s", buf, line);
					res.line = m->lineno;
				} else {
					snprintf(res.detail, sizeof(res.detail),
					    "%s: no line matches \"%s\"", buf,
					    c->r->regex);
					res.line = s->lineno;
				}
			}
		}
		if (nbad) {
			res.result = CFG_FAIL;
			if (nbad > 1) {
				size_t k = strlen(res.detail);

				snprintf(res.detail + k, sizeof(res.detail) - k,
				    " (and %d more of %d sections)", nbad - 1,
				    nsec);
			}
		} else if (nsec)
			snprintf(res.detail, sizeof(res.detail), "%d sections "
			    "match \"%s\", each passes", nsec, c->r->section);
		else
			snprintf(res.detail, sizeof(res.detail), "no section "
			    "matches \"%s\"", c->r->section);
		cb(arg, &res);
	}
	acl_config_free(ac);
}
