/*
 * test_cfgtree.c - the configuration block tree: indentation blocks of
 * each platform, banners, Junos braces and set form (the same tree),
 * hostile input (bounds, NUL, truncation, random bytes), the corpus.
 */
#include <stdlib.h>
#include <string.h>

#include "config/cfgtree.h"
#include "cfg_corpus.h"
#include "tap.h"

/* the tree as "depth-indented text|flags" lines */
static void
dump(const struct cfg_node *n, char *out, size_t *len, size_t cap)
{
	const struct cfg_node *c;
	int k;

	CFG_NODE_FOREACH(c, n) {
		k = snprintf(out + *len, cap - *len, "%*s%s%s%s\n",
		    (int)(c->depth - 1) * 2, "",
		    (c->flags & CFG_NODE_INACTIVE) ? "(inactive)" : "",
		    (c->flags & CFG_NODE_BANNER) ? "(banner)" : "", c->text);
		if (k > 0 && (size_t)k < cap - *len)
			*len += (size_t)k;
		dump(c, out, len, cap);
	}
}

static char *
tree_text(enum cfg_platform p, const char *in, char *err, size_t errlen)
{
	static char out[65536];
	size_t len = 0;
	struct cfg_tree *t;

	if ((t = cfg_tree_parse(p, in, strlen(in), err, errlen)) == NULL)
		return NULL;
	out[0] = '\0';
	dump(cfg_tree_root(t), out, &len, sizeof(out));
	cfg_tree_free(t);
	return out;
}

static const struct {
	enum cfg_platform plat;
	const char *in, *want;
} shapes[] = {
	{CFG_PLAT_IOS,
	 "!\nhostname r1\n!\ninterface Gi0/1\n description x\n shutdown\n"
	 "!\nrouter bgp 1\n neighbor 1.1.1.1 remote-as 2\n !\n"
	 " address-family ipv4\n  neighbor 1.1.1.1 activate\n"
	 " exit-address-family\nend\n",
	 "hostname r1\ninterface Gi0/1\n  description x\n  shutdown\n"
	 "router bgp 1\n  neighbor 1.1.1.1 remote-as 2\n  address-family ipv4\n"
	 "    neighbor 1.1.1.1 activate\n  exit-address-family\nend\n"},
	{CFG_PLAT_IOS, "a\r\n b  \r\n\r\nc\r\n", "a\n  b\nc\n"},
	{CFG_PLAT_IOS, "banner motd ^C\r\nHello {\r\n  world\r\n^C\r\nline vty 0 4\n"
	 " login\n", "(banner)banner motd ^C\nHello {\n  world\n^C\n"
	 "line vty 0 4\n  login\n"},
	{CFG_PLAT_IOS, "banner login #one line#\nhostname x\n",
	 "(banner)banner login #one line#\nhostname x\n"},
	{CFG_PLAT_EOS, "router bgp 65101\n   vrf A\n      rd 1:1\n"
	 "      address-family ipv4\n         redistribute connected\n"
	 "banner motd\nhi there\nEOF\n!\nend\n",
	 "router bgp 65101\n  vrf A\n    rd 1:1\n    address-family ipv4\n"
	 "      redistribute connected\n(banner)banner motd\nhi there\nEOF\n"
	 "end\n"},
	{CFG_PLAT_NXOS, "interface Ethernet1/1\n  no shutdown\n  ip address 1.1.1.1/24\n",
	 "interface Ethernet1/1\n  no shutdown\n  ip address 1.1.1.1/24\n"},
	{CFG_PLAT_ASA, ": Saved\n:\nASA Version 9.8\nbanner motd hi\n"
	 "interface e0\n nameif outside\n",
	 "ASA Version 9.8\nbanner motd hi\ninterface e0\n  nameif outside\n"},
	{CFG_PLAT_JUNOS,
	 "## Last commit: x\nsystem {\n    host-name \"a { b\"; /* c */\n"
	 "    inactive: services { ssh; }\n    name-server {\n        8.8.8.8;\n"
	 "    }\n}\npolicy-options {\n    prefix-list p { 10.0.0.0/8; }\n"
	 "    community c members [ 1:1 2:2 ];\n}\n",
	 "system\n  host-name \"a { b\"\n  (inactive)inactive: services\n    ssh\n"
	 "  name-server\n    8.8.8.8\npolicy-options\n  prefix-list p\n"
	 "    10.0.0.0/8\n  community c\n    members 1:1\n    members 2:2\n"},
};

/* a brace configuration and its "display set": the same tree */
static const char junos_brace[] =
	"system {\n    host-name r1;\n    login {\n        user bob {\n"
	"            uid 2001;\n            class super-user;\n"
	"            authentication {\n                encrypted-password \"$6$x\"; ## SECRET-DATA\n"
	"            }\n        }\n    }\n    services {\n        ssh {\n"
	"            root-login deny;\n        }\n        netconf {\n"
	"            ssh;\n        }\n    }\n}\ninterfaces {\n    ge-0/0/0 {\n"
	"        unit 0 {\n            family inet {\n                address 10.0.0.1/24;\n"
	"            }\n        }\n    }\n}\nfirewall {\n    family inet {\n"
	"        filter f1 {\n            term a {\n                from {\n"
	"                    source-address {\n                        10.0.0.0/8;\n"
	"                    }\n                    protocol [ tcp udp ];\n"
	"                }\n                then accept;\n            }\n"
	"            inactive: term b {\n                then discard;\n"
	"            }\n        }\n    }\n}\nsecurity {\n    policies {\n"
	"        from-zone trust to-zone untrust {\n            policy p1 {\n"
	"                match {\n                    application any;\n"
	"                }\n                then {\n                    permit;\n"
	"                }\n            }\n        }\n    }\n}\n";
static const char junos_set[] =
	"# comment\nset system host-name r1\n"
	"set system login user bob uid 2001\n"
	"set system login user bob class super-user\n"
	"set system login user bob authentication encrypted-password \"$6$x\"\n"
	"set system services ssh root-login deny\n"
	"set system services netconf ssh\n"
	"set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.1/24\n"
	"set firewall family inet filter f1 term a from source-address 10.0.0.0/8\n"
	"set firewall family inet filter f1 term a from protocol tcp\n"
	"set firewall family inet filter f1 term a from protocol udp\n"
	"set firewall family inet filter f1 term a then accept\n"
	"set firewall family inet filter f1 term b then discard\n"
	"deactivate firewall family inet filter f1 term b\n"
	"set security policies from-zone trust to-zone untrust policy p1 match application any\n"
	"set security policies from-zone trust to-zone untrust policy p1 then permit\n";

static const struct {
	enum cfg_platform plat;
	const char *in, *errpart;
} bad[] = {
	{CFG_PLAT_JUNOS, "a {\n b;\n", "line 1: '{' never closed"},
	{CFG_PLAT_JUNOS, "a;\n}\n", "line 2: '}' without its '{'"},
	{CFG_PLAT_JUNOS, "a {\n b\n}\n", "line 3: missing ';'"},
	{CFG_PLAT_JUNOS, "a \"b;\n", "line 1: unterminated quote"},
	{CFG_PLAT_JUNOS, "a /* b;\n", "line 1: unterminated comment"},
	{CFG_PLAT_JUNOS, "x [ a b;\n", "'[' without ']'"},
	{CFG_PLAT_JUNOS, "{ a; }\n", "line 1: '{' without a statement"},
	{CFG_PLAT_JUNOS, "set a b\ndelete a\n", "line 2: expected 'set'"},
	{CFG_PLAT_JUNOS, "set a \"b\n", "line 1: unterminated quote"},
	{CFG_PLAT_IOS, "hostname a\nbanner motd ^C\nno end\n", "line 2: banner"},
	{CFG_PLAT_EOS, "banner motd\nno end\n", "line 1: banner"},
};

static void
hostile(void)
{
	char err[256], *big;
	struct cfg_tree *t;
	size_t i, n;
	unsigned seed = 12345, ok = 0;
	static char rnd[4096];
	const char nul[] = "a\n b\0c\n";

	/* nesting deeper than the limit */
	n = (CFG_TREE_MAX_DEPTH + 2) * (CFG_TREE_MAX_DEPTH + 4);
	big = malloc(n * 2 + 16);
	for (i = 0, n = 0; i < CFG_TREE_MAX_DEPTH + 2; i++) {
		memset(big + n, ' ', i);
		n += i;
		big[n++] = 'x';
		big[n++] = '\n';
	}
	t = cfg_tree_parse(CFG_PLAT_IOS, big, n, err, sizeof(err));
	TAP_OK(t == NULL && strstr(err, "nesting deeper") != NULL &&
	    strstr(err, "line 65") != NULL, "indentation depth bound: %s", err);
	for (i = 0, n = 0; i < CFG_TREE_MAX_DEPTH + 2; i++) {
		memcpy(big + n, "a{", 2);
		n += 2;
	}
	t = cfg_tree_parse(CFG_PLAT_JUNOS, big, n, err, sizeof(err));
	TAP_OK(t == NULL && strstr(err, "nesting deeper") != NULL,
	    "brace depth bound: %s", err);
	free(big);
	/* a line longer than the limit */
	big = malloc(CFG_TREE_MAX_LINE + 10);
	memset(big, 'a', CFG_TREE_MAX_LINE + 10);
	t = cfg_tree_parse(CFG_PLAT_IOS, big, CFG_TREE_MAX_LINE + 10, err,
	    sizeof(err));
	TAP_OK(t == NULL && strstr(err, "line 1: longer") != NULL,
	    "line length bound (ios): %s", err);
	t = cfg_tree_parse(CFG_PLAT_JUNOS, big, CFG_TREE_MAX_LINE + 10, err,
	    sizeof(err));
	TAP_OK(t == NULL && strstr(err, "line 1") != NULL,
	    "line length bound (junos): %s", err);
	free(big);
	/*
	 * One brace statement of 4,000 short words over two lines: its
	 * joined form (words and the spaces between) exceeds the line bound
	 * though each line is within it (fuzz_cfgtree found the overflow).
	 */
	big = malloc(5 * 4000 + 16);
	for (i = 0, n = 0; i < 4000; i++) {
		memcpy(big + n, "abcd", 4);
		n += 4;
		big[n++] = i == 2000 ? '\n' : ' ';
	}
	big[n++] = ';';
	t = cfg_tree_parse(CFG_PLAT_JUNOS, big, n, err, sizeof(err));
	TAP_OK(t == NULL && strstr(err, "statement too long") != NULL,
	    "statement bound counts the joining spaces: %s", err);
	n = 0;
	for (i = 0; i < 3000; i++) {
		memcpy(big + n, "ab ", 3);
		n += 3;
	}
	big[n++] = ';';
	t = cfg_tree_parse(CFG_PLAT_JUNOS, big, n, err, sizeof(err));
	TAP_OK(t != NULL, "a 3,000-word statement within the bound parses");
	cfg_tree_free(t);
	free(big);
	t = cfg_tree_parse(CFG_PLAT_IOS, nul, sizeof(nul) - 1, err, sizeof(err));
	TAP_OK(t == NULL && strstr(err, "line 2: NUL") != NULL, "NUL: %s", err);
	t = cfg_tree_parse(CFG_PLAT_JUNOS, nul, sizeof(nul) - 1, err,
	    sizeof(err));
	TAP_OK(t == NULL && strstr(err, "NUL") != NULL, "NUL junos: %s", err);
	/* input not NUL-terminated: the parser stops at LEN */
	t = cfg_tree_parse(CFG_PLAT_IOS, "hostname abcdef", 8, err, sizeof(err));
	TAP_OK(t != NULL && strcmp(cfg_tree_root(t)->child->text,
	    "hostname") == 0, "reads LEN bytes only");
	cfg_tree_free(t);
	/* random bytes: a tree or an error, never a crash */
	for (i = 0; i < 3000; i++) {
		size_t k;
		enum cfg_platform p = (enum cfg_platform)(i % CFG_PLAT_N);

		n = (size_t)(seed % sizeof(rnd));
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			rnd[k] = "ab {};\"#[]/*\n \t!^C\0\r"[(seed >> 16) % 20];
		}
		t = cfg_tree_parse(p, rnd, n, err, sizeof(err));
		if (t != NULL || err[0] != '\0')
			ok++;
		cfg_tree_free(t);
	}
	TAP_OK(ok == 3000, "3000 random inputs: a tree or an error (%u)", ok);
}

static void
corpus(void)
{
	static const char *const files[] = {
		"batfish-aristaevpn/DC1-LEAF2A.cfg", "ciscoconfparse/sample_01.asa",
		"ciscoconfparse/sample_01.ios", "ciscoconfparse/sample_01.junos",
		"oxidized/ios__asr920_16.8.1b__output.txt",
		"oxidized/junos__srx300_22.4__output.txt",
		"batfish-drift/snapshot/as2dist1.cfg",
		"batfish-example-filters/current/firewall.cfg",
		"batfish-example-filters/current/rtr-with-acl.cfg",
	};
	char err[256];
	size_t i, len, cut;
	char *buf;
	struct cfg_tree *t;
	const struct cfg_node *n;
	unsigned errs;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if ((buf = cfg_corpus_read(files[i], &len)) == NULL) {
			TAP_SKIP("corpus not here");
			continue;
		}
		t = cfg_tree_parse(CFG_PLAT_AUTO, buf, len, err, sizeof(err));
		TAP_OK(t != NULL && cfg_tree_count(t) > 50, "%s parses (%s, %zu)",
		    files[i], t ? cfg_platform_name(cfg_tree_platform(t)) : err,
		    t ? cfg_tree_count(t) : 0);
		cfg_tree_free(t);
		/* every truncation: a tree or an error naming a line */
		errs = 0;
		for (cut = 0; cut < len; cut += 1 + len / 300) {
			t = cfg_tree_parse(CFG_PLAT_AUTO, buf, cut, err,
			    sizeof(err));
			if (t == NULL && strncmp(err, "line ", 5) != 0)
				errs++;
			cfg_tree_free(t);
		}
		TAP_OK(errs == 0, "%s truncated: errors name a line", files[i]);
		free(buf);
	}
	if ((buf = cfg_corpus_read("oxidized/ios__asr920_16.8.1b__output.txt",
	    &len)) == NULL) {
		TAP_SKIP("corpus not here");
		return;
	}
	t = cfg_tree_parse(CFG_PLAT_AUTO, buf, len, err, sizeof(err));
	n = t ? cfg_node_find(cfg_tree_root(t), NULL, "banner motd") : NULL;
	TAP_OK(n != NULL && (n->flags & CFG_NODE_BANNER) &&
	    cfg_node_lines(n) > 5 && n->text[n->len - 1] == 'C',
	    "asr920 banner motd is one node of %u lines",
	    n ? cfg_node_lines(n) : 0);
	cfg_tree_free(t);
	free(buf);
}

int
main(void)
{
	char err[256], path[256], *got;
	char want[65536];
	size_t i, k;
	struct cfg_tree *t;
	const struct cfg_node *n, *m;
	regex_t re;

	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		got = tree_text(shapes[i].plat, shapes[i].in, err, sizeof(err));
		TAP_STREQ(got ? got : err, shapes[i].want, "shape %zu (%s)", i,
		    cfg_platform_name(shapes[i].plat));
	}
	got = tree_text(CFG_PLAT_JUNOS, junos_brace, err, sizeof(err));
	snprintf(want, sizeof(want), "%s", got ? got : err);
	got = tree_text(CFG_PLAT_AUTO, junos_set, err, sizeof(err));
	TAP_STREQ(got ? got : err, want, "junos set form gives the brace tree");
	TAP_OK(strstr(want, "(inactive)inactive: term b\n") != NULL &&
	    strstr(want, "from-zone trust to-zone untrust\n      policy p1\n") !=
	    NULL && strstr(want, "protocol tcp\n") != NULL,
	    "junos: inactive, zone pairs, lists");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = cfg_tree_parse(bad[i].plat, bad[i].in, strlen(bad[i].in),
		    err, sizeof(err));
		TAP_OK(t == NULL && strstr(err, bad[i].errpart) != NULL,
		    "bad %zu: %s", i, err);
		cfg_tree_free(t);
	}
	/* helpers: find, find_re, path, comments kept on request */
	t = cfg_tree_parse(CFG_PLAT_IOS, shapes[0].in, strlen(shapes[0].in),
	    err, sizeof(err));
	n = cfg_node_find(cfg_tree_root(t), NULL, "router bgp");
	m = n ? cfg_node_find(n, NULL, "address-family") : NULL;
	m = m ? m->child : NULL;
	k = m ? cfg_node_path(m, path, sizeof(path)) : 0;
	TAP_STREQ(path, "router bgp 1 > address-family ipv4 > neighbor 1.1.1.1 "
	    "activate", "node path");
	TAP_OK(k == strlen(path), "path length");
	k = m ? cfg_node_path(m, path, 8) : 0;
	TAP_OK(strcmp(path, "router ") == 0 && k > 8, "path truncated");
	regcomp(&re, "^interface Gi", REG_EXTENDED | REG_NOSUB);
	n = cfg_node_find_re(cfg_tree_root(t), NULL, &re);
	TAP_OK(n != NULL && n->lineno == 4 && n->nchild == 2 &&
	    cfg_node_find_re(cfg_tree_root(t), n, &re) == NULL, "find_re");
	regfree(&re);
	cfg_tree_free(t);
	t = cfg_tree_parse_opts(CFG_PLAT_IOS, shapes[0].in,
	    strlen(shapes[0].in), CFG_PARSE_COMMENTS, err, sizeof(err));
	n = cfg_tree_root(t)->child;
	TAP_OK(n != NULL && (n->flags & CFG_NODE_COMMENT) &&
	    cfg_tree_count(t) == 14, "comments kept: %zu nodes",
	    t ? cfg_tree_count(t) : 0);
	n = cfg_node_find(cfg_tree_root(t), NULL, "router bgp");
	TAP_OK(n != NULL && n->nchild == 4, "a comment does not close a block");
	cfg_tree_free(t);
	hostile();
	corpus();
	return tap_done();
}
