/*
 * test_cfgnorm.c - the normaliser (rule classes, who and when, secrets
 * as keyed digests, overrides, idempotence, hostile input), the block
 * tree (indentation, banners, braces, limits) and the structural diff
 * (moved blocks, ordered sections).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfgdiff.h"
#include "config/cfgnorm.h"
#include "config/cfgtree.h"
#include "tap.h"

static const unsigned char key1[32] = {1}, key2[32] = {2};

static int
norm(struct cfg_rules *rs, int plat, const unsigned char *key,
    const char *in, struct cfg_norm *out)
{
	char err[256];

	return cfg_normalize(rs, plat, key, 32, in, strlen(in), out, err,
	    sizeof(err));
}

static int
has(const char *hay, const char *needle)
{
	return hay != NULL && strstr(hay, needle) != NULL;
}

/* line-level cases: the stored and compare views of one line */
static const struct {
	int plat;
	const char *in, *stored, *compare; /* NULL: the line is absent */
} lines[] = {
    {CFG_PLAT_IOS, "Current configuration : 4321 bytes", NULL, NULL},
    {CFG_PLAT_IOS, "Building configuration...", NULL, NULL},
    {CFG_PLAT_IOS, "ntp clock-period 17179869", NULL, NULL},
    {CFG_PLAT_IOS, "! Last configuration change at 10:00:00 UTC Mon Dec 1 2026",
        NULL, NULL},
    {CFG_PLAT_IOS, "! Last configuration change at 10:00 UTC by admin",
        "! Last configuration change at 10:00 UTC by admin", NULL},
    {CFG_PLAT_IOS, "! NVRAM config last updated at 10:00 UTC by admin",
        "! NVRAM config last updated at 10:00 UTC by admin", NULL},
    {CFG_PLAT_IOS, "hostname r1", "hostname r1", "hostname r1"},
    {CFG_PLAT_IOS, "router#show running-config", NULL, NULL},
    {CFG_PLAT_IOS, " expression 12345", " expression <value removed>",
        " expression <value removed>"},
    {CFG_PLAT_NXOS, "!Time: Mon Dec  1 10:00:00 2026", NULL, NULL},
    {CFG_PLAT_NXOS, "!Command: show running-config", NULL, NULL},
    {CFG_PLAT_EOS, "! Time: Mon Dec  1 10:00:00 2026", NULL, NULL},
    {CFG_PLAT_EOS, "!RANCID-CONTENT-TYPE: arista", NULL, NULL},
    {CFG_PLAT_ASA, ": Saved", NULL, NULL},
    {CFG_PLAT_ASA, ": Written by bob at 05:37:43.184 CDT Sun Jun 29 2015",
        ": Written by bob at 05:37:43.184 CDT Sun Jun 29 2015", NULL},
    {CFG_PLAT_ASA, "Cryptochecksum:0123456789abcdef",
        "Cryptochecksum:0123456789abcdef", NULL},
    {CFG_PLAT_JUNOS, "## Last commit: 2024-12-06 11:41:05 UTC by root",
        "## Last commit: 2024-12-06 11:41:05 UTC by root", NULL},
    {CFG_PLAT_JUNOS, "{master:0}", NULL, NULL},
    {CFG_PLAT_JUNOS, "# Redundancy group: 0 , Failover count: 1",
        "# Redundancy group: 0 , Failover count: 1", NULL},
    {CFG_PLAT_JUNOS, "    fib-scale 400000;", "    fib-scale <count>;",
        "    fib-scale <count>;"},
    {CFG_PLAT_IOS, "interface Gi0/1   \r", "interface Gi0/1",
        "interface Gi0/1"},
};

/* secrets: the value must go, the rest of the line stay */
static const struct {
	int plat;
	const char *in, *secret, *kept;
} secrets[] = {
    {CFG_PLAT_IOS, "snmp-server community s3cr3t RO 10", "s3cr3t",
        "snmp-server community <secret:"},
    {CFG_PLAT_IOS, "snmp-server host 192.0.2.1 version 2c tr4pc0mm", "tr4pc0mm",
        "snmp-server host 192.0.2.1 version 2c <secret:"},
    {CFG_PLAT_IOS, "snmp-server host 192.0.2.1 version 3 priv monitor", NULL,
        "version 3 priv monitor"},
    {CFG_PLAT_IOS, "enable secret 5 $1$abc$defghij", "$1$abc$defghij",
        "enable secret 5 <secret:"},
    {CFG_PLAT_IOS, "enable password 7 0822455D0A16", "0822455D0A16",
        "enable password 7 <secret:"},
    {CFG_PLAT_IOS, "username bob privilege 15 secret 9 $9$xyzxyz", "$9$xyzxyz",
        "username bob privilege 15 secret 9 <secret:"},
    {CFG_PLAT_IOS, " password 7 045802150C2E", "045802150C2E",
        " password 7 <secret:"},
    {CFG_PLAT_IOS, "tacacs-server host 192.0.2.9 key 7 ABCDEF123", "ABCDEF123",
        "key 7 <secret:"},
    {CFG_PLAT_IOS, " key t4c4csk3y", "t4c4csk3y", " key <secret:"},
    {CFG_PLAT_IOS, " key 1", NULL, " key 1"},
    {CFG_PLAT_IOS, "  key-string 7 0822455D0A16", "0822455D0A16",
        "key-string 7 <secret:"},
    {CFG_PLAT_IOS, " ip ospf message-digest-key 1 md5 7 ospfk3y", "ospfk3y",
        "md5 7 <secret:"},
    {CFG_PLAT_IOS, " neighbor 192.0.2.2 password 7 bgpk3y", "bgpk3y",
        "password 7 <secret:"},
    {CFG_PLAT_IOS, "crypto isakmp key pr3shared address 0.0.0.0", "pr3shared",
        "crypto isakmp key <secret:"},
    {CFG_PLAT_IOS, " standby 1 authentication md5 key-string hsrpk3y", "hsrpk3y",
        "key-string <secret:"},
    {CFG_PLAT_IOS, "snmp-server user u g v3 auth sha authp4ss priv aes 128 privp4ss",
        "authp4ss", "priv aes 128 <secret:"},
    {CFG_PLAT_ASA, "enable password 2KFQnbNIdI.2KYOU encrypted", "2KFQnbNIdI",
        "enable password <secret:"},
    {CFG_PLAT_ASA, "snmp-server host INSIDE Machine01 poll community public",
        "community public", "poll community <secret:"},
    {CFG_PLAT_ASA, " ikev1 pre-shared-key t0ps3cret", "t0ps3cret",
        "pre-shared-key <secret:"},
    {CFG_PLAT_EOS, "   exec /usr/bin/TerminAttr -ingestauth=key,telarista -x",
        "telarista", "-ingestauth=key,<secret:"},
    {CFG_PLAT_EOS, "   neighbor P password 7 q+VNViP5i4rVjW1cxFv2wA==",
        "q+VNViP5", "password 7 <secret:"},
    {CFG_PLAT_JUNOS, "        encrypted-password \"$6$abc$def\"; ## SECRET-DATA",
        "$6$abc$def", "encrypted-password <secret:"},
    /* a quoted value with more after it is one word (fuzz_config) */
    {CFG_PLAT_JUNOS, "        encrypted-password \"$6$ab\"dw; ## SECRET-DATA",
        "$6$ab", "encrypted-password <secret:"},
    {CFG_PLAT_JUNOS, "        foo \"hunter3\"x; ## SECRET-DATA", "hunter3",
        "foo <secret:"},
    {CFG_PLAT_JUNOS, "            community s3cret {", "s3cret",
        "community <secret:"},
    {CFG_PLAT_JUNOS, "    \"scp://u:hunter2@192.0.2.1/cfg\";", "hunter2",
        "\"scp://u:<secret:"},
    {CFG_PLAT_JUNOS, "set system login user a authentication encrypted-password \"$6$setform\"",
        "$6$setform", "encrypted-password <secret:"},
    {CFG_PLAT_JUNOS, "set snmp community pubset authorization read-only",
        "pubset", "set snmp community <secret:"},
    {CFG_PLAT_JUNOS, "set protocols ospf area 0 interface ge-0/0/0 authentication md5 1 key k3y",
        "k3y", "md5 1 key <secret:"},
    {CFG_PLAT_NXOS, "snmp-server user admin network-admin auth md5 0xAAAA priv 0xBBBB localizedkey",
        "0xBBBB", "priv <secret:"},
    {CFG_PLAT_EOS, "snmp-server host 192.0.2.5 vrf MGMT version 2c c0mmun1ty",
        "c0mmun1ty", "vrf MGMT version 2c <secret:"},
};

static void
test_lines(struct cfg_rules *rs)
{
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct cfg_norm n;
		char want[512];

		if (norm(rs, lines[i].plat, key1, lines[i].in, &n) == -1) {
			TAP_OK(0, "line %zu normalises", i);
			continue;
		}
		if (lines[i].stored) {
			snprintf(want, sizeof(want), "%s\n", lines[i].stored);
			TAP_STREQ(n.text, want, "line %zu stored: %s", i,
			    lines[i].in);
		} else
			TAP_STREQ(n.text, "", "line %zu dropped: %s", i,
			    lines[i].in);
		if (lines[i].compare) {
			snprintf(want, sizeof(want), "%s\n", lines[i].compare);
			TAP_STREQ(n.compare, want, "line %zu compared", i);
		} else
			TAP_STREQ(n.compare, "", "line %zu not compared", i);
		cfg_norm_free(&n);
	}
}

static void
test_secrets(struct cfg_rules *rs)
{
	for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		struct cfg_norm n, again;

		norm(rs, secrets[i].plat, key1, secrets[i].in, &n);
		if (secrets[i].secret)
			TAP_OK(!has(n.text, secrets[i].secret) &&
			    !has(n.compare, secrets[i].secret) && n.secrets >= 1,
			    "secret %zu masked: %s", i, n.text);
		else
			TAP_OK(n.secrets == 0, "line %zu has no secret: %s", i,
			    n.text);
		TAP_OK(has(n.text, secrets[i].kept), "secret %zu: \"%s\" kept",
		    i, secrets[i].kept);
		/* a stored view normalised again is the same (no digest of a
		 * digest) */
		norm(rs, secrets[i].plat, key2, n.text, &again);
		TAP_STREQ(again.text, n.text, "secret %zu: normalising again "
		    "changes nothing", i);
		cfg_norm_free(&again);
		cfg_norm_free(&n);
	}
}

static void
test_digests(struct cfg_rules *rs)
{
	struct cfg_norm a, b, c, d;

	norm(rs, CFG_PLAT_IOS, key1, "snmp-server community alpha RO\n", &a);
	norm(rs, CFG_PLAT_IOS, key1, "snmp-server community alpha RO\n", &b);
	norm(rs, CFG_PLAT_IOS, key1, "snmp-server community bravo RO\n", &c);
	norm(rs, CFG_PLAT_IOS, key2, "snmp-server community alpha RO\n", &d);
	TAP_STREQ(a.text, b.text, "the same secret, the same digest");
	TAP_OK(strcmp(a.compare, c.compare) != 0,
	    "a rotated secret is a change");
	TAP_OK(strcmp(a.text, d.text) != 0,
	    "another key, another digest: nothing to brute-force without it");
	cfg_norm_free(&a);
	cfg_norm_free(&b);
	cfg_norm_free(&c);
	cfg_norm_free(&d);
}

static void
test_meta_and_noise(struct cfg_rules *rs)
{
	struct cfg_norm a, b;
	const char *v1 = "Current configuration : 100 bytes\n"
	                 "! Last configuration change at 10:00 UTC by alice\n"
	                 "!\n!\n!\nhostname r1\nntp clock-period 1\n";
	const char *v2 = "Current configuration : 200 bytes\n"
	                 "! Last configuration change at 11:00 UTC by bob\n"
	                 "!\nhostname r1\nntp clock-period 2\n";

	norm(rs, CFG_PLAT_IOS, key1, v1, &a);
	norm(rs, CFG_PLAT_IOS, key1, v2, &b);
	TAP_STREQ(a.who, "alice", "who from the meta line");
	TAP_STREQ(a.when, "10:00 UTC", "when from the meta line");
	TAP_STREQ(b.who, "bob", "another version's who");
	TAP_STREQ(a.compare, b.compare, "noise only: the compare views agree");
	TAP_OK(a.dropped == 2 && a.ignored == 1, "counted: %u dropped, %u "
	    "ignored", a.dropped, a.ignored);
	cfg_norm_free(&a);
	cfg_norm_free(&b);
	TAP_OK(norm(rs, CFG_PLAT_AUTO, key1, "## Last commit: 2024 by root\n"
	    "system {\n    host-name x;\n}\n", &a) == 0 &&
	    a.platform == CFG_PLAT_JUNOS && strcmp(a.who, "root") == 0,
	    "auto: Junos detected, its commit user");
	cfg_norm_free(&a);
}

static void
test_overrides(void)
{
	struct cfg_rules *rs = cfg_rules_new();
	struct cfg_norm n;
	char err[256];

	TAP_OK(cfg_rules_add(rs, CFG_PLAT_IOS, CFG_RULE_DROP, "^banner-time ",
	    NULL, err, sizeof(err)) == 0, "add a drop rule");
	TAP_OK(cfg_rules_add(rs, CFG_PLAT_AUTO, CFG_RULE_SECRET,
	    "^my-api-token ([^ ]+)", NULL, err, sizeof(err)) == 0,
	    "add a secret rule");
	TAP_OK(cfg_rules_add(rs, CFG_PLAT_AUTO, CFG_RULE_REWRITE,
	    "^(uptime) [0-9]+", "\\1 N", err, sizeof(err)) == 0,
	    "add a rewrite rule");
	TAP_OK(cfg_rules_add(rs, CFG_PLAT_AUTO, CFG_RULE_META,
	    "^; changed by ([^ ]+) on (.*)$", NULL, err, sizeof(err)) == 0,
	    "add a meta rule");
	TAP_OK(cfg_rules_add(rs, 0, CFG_RULE_DROP, "(", NULL, err,
	    sizeof(err)) == -1 && strstr(err, "bad regular expression"),
	    "a bad regex is refused: %s", err);
	TAP_OK(cfg_rules_add(rs, 0, CFG_RULE_REWRITE, "x", NULL, err,
	    sizeof(err)) == -1, "a rewrite without replacement is refused");
	norm(rs, CFG_PLAT_IOS, key1, "banner-time 10:00\nmy-api-token abc123\n"
	    "uptime 42\n; changed by carol on Tuesday\nhostname r\n", &n);
	TAP_OK(!has(n.text, "banner-time") && !has(n.text, "abc123") &&
	    has(n.text, "uptime N\n") && has(n.text, "hostname r"),
	    "the configuration's rules apply: %s", n.text);
	TAP_OK(strcmp(n.who, "carol") == 0 && strcmp(n.when, "Tuesday") == 0,
	    "its meta rule: who and when");
	TAP_OK(cfg_rules_count(rs, CFG_PLAT_IOS) >
	    cfg_rules_count(rs, CFG_PLAT_JUNOS) - 1, "rules are per platform");
	TAP_OK(cfg_rule_action_parse("secret") == CFG_RULE_SECRET &&
	    cfg_rule_action_parse("zap") == -1, "action names");
	cfg_norm_free(&n);
	cfg_rules_free(rs);
}

static void
test_hostile(struct cfg_rules *rs)
{
	struct cfg_norm n;
	char err[256], *big;
	size_t len = 1 << 20;

	TAP_OK(cfg_normalize(rs, CFG_PLAT_IOS, key1, 32, "", 0, &n, err,
	    sizeof(err)) == 0 && n.len == 0, "empty input");
	cfg_norm_free(&n);
	TAP_OK(cfg_normalize(rs, CFG_PLAT_IOS, key1, 32, "host\0name x", 11,
	    &n, err, sizeof(err)) == 0 && strcmp(n.text, "host\\0name x\n") ==
	    0, "a NUL byte is kept as text: %s", n.text);
	cfg_norm_free(&n);
	TAP_OK(cfg_normalize(rs, CFG_PLAT_IOS, key1, 32, "hostname r", 10,
	    &n, err, sizeof(err)) == 0 && strcmp(n.text, "hostname r\n") == 0,
	    "no newline at the end");
	cfg_norm_free(&n);
	big = malloc(len + 64);
	memcpy(big, "snmp-server community ", 22);
	memset(big + 22, 'A', len - 22);
	TAP_OK(cfg_normalize(rs, CFG_PLAT_IOS, key1, 32, big, len, &n, err,
	    sizeof(err)) == 0 && n.secrets == 1 && n.len < CFG_LINE_MATCH &&
	    strstr(n.text, "<line cut: ") != NULL,
	    "a 1 MB line: cut and marked, its secret masked (%zu bytes)", n.len);
	cfg_norm_free(&n);
	memset(big, 'x', len);
	memcpy(big + len - 40, " password 7 L4t3s3cr3t", 22);
	TAP_OK(cfg_normalize(rs, CFG_PLAT_IOS, key1, 32, big, len, &n, err,
	    sizeof(err)) == 0 && strstr(n.text, "L4t3s3cr3t") == NULL,
	    "a secret past the cut is not kept");
	cfg_norm_free(&n);
	srand(7);
	for (size_t i = 0; i < len; i++)
		big[i] = (char)(rand() & 0xff);
	TAP_OK(cfg_normalize(rs, CFG_PLAT_AUTO, key1, 32, big, len, &n, err,
	    sizeof(err)) == 0, "1 MB of random bytes");
	cfg_norm_free(&n);
	for (size_t i = 0; i < len; i++)
		big[i] = "{};\n \"#!"[rand() % 8];
	{
		struct cfg_tree *t = cfg_tree_parse(CFG_PLAT_JUNOS, big, len,
		    err, sizeof(err));

		TAP_OK(t == NULL || cfg_tree_count(t) > 0,
		    "random braces: a tree or an error (%s)", t ? "tree" : err);
		cfg_tree_free(t);
	}
	free(big);
}

static void
test_tree(void)
{
	const char *ios = "hostname r\n!\ninterface Gi0/1\n description x\n"
	                  " ip address 10.0.0.1 255.255.255.0\n"
	                  "router bgp 1\n address-family ipv4\n  neighbor 1.2.3.4 "
	                  "activate\n exit-address-family\n"
	                  "banner motd ^C\nHello\nWorld\n^C\nend\n";
	const char *junos = "system {\n    host-name r;\n    services { ssh; }\n"
	                    "}\ninactive: interfaces {\n    ge-0/0/0 {\n"
	                    "        description \"a { b\";\n    }\n}\n";
	char err[256], deep[64 * 70 + 8];
	struct cfg_tree *t;
	const struct cfg_node *r, *n;

	t = cfg_tree_parse(CFG_PLAT_IOS, ios, strlen(ios), err, sizeof(err));
	r = t ? cfg_tree_root(t) : NULL;
	TAP_OK(r && r->nchild == 5, "IOS: 5 top-level statements");
	n = r ? cfg_node_child(r, "router bgp") : NULL;
	TAP_OK(n && n->nchild == 2 && n->child->nchild == 1,
	    "IOS: nested address-family");
	n = r ? cfg_node_child(r, "banner motd") : NULL;
	TAP_OK(n && (n->flags & CFG_NODE_BANNER) && strstr(n->text, "World"),
	    "IOS: the banner is one statement");
	cfg_tree_free(t);
	t = cfg_tree_parse(CFG_PLAT_JUNOS, junos, strlen(junos), err,
	    sizeof(err));
	r = t ? cfg_tree_root(t) : NULL;
	n = r ? cfg_node_child(r, "system") : NULL;
	TAP_OK(n && n->nchild == 2 && cfg_node_child(n, "services")->nchild == 1,
	    "Junos: braces, one-line blocks");
	n = r ? cfg_node_child(r, "inactive: interfaces") : NULL;
	TAP_OK(n && (n->flags & CFG_NODE_INACTIVE) &&
	    n->child->child->len == strlen("description \"a { b\""),
	    "Junos: inactive, braces inside quotes");
	cfg_tree_free(t);
	TAP_OK(cfg_tree_parse(CFG_PLAT_JUNOS, "a {\n b;\n", 8, err,
	    sizeof(err)) == NULL && strstr(err, "never closed"),
	    "Junos: an unclosed brace: %s", err);
	TAP_OK(cfg_tree_parse(CFG_PLAT_JUNOS, "}\n", 2, err, sizeof(err)) ==
	    NULL, "Junos: a stray brace: %s", err);
	TAP_OK(cfg_tree_parse(CFG_PLAT_IOS, "banner motd ^\nnever closed\n",
	    27, err, sizeof(err)) == NULL, "IOS: a banner not closed: %s", err);
	for (int i = 0; i < 70; i++)
		memcpy(deep + i * 2, "a{", 2);
	TAP_OK(cfg_tree_parse(CFG_PLAT_JUNOS, deep, 140, err, sizeof(err)) ==
	    NULL, "70 levels deep is refused: %s", err);
}

static void
test_diff(void)
{
	const char *a = "interface Lo0\n ip address 1.1.1.1 255.255.255.255\n"
	                "interface Gi0/1\n shutdown\n"
	                "ip access-list extended X\n permit ip any host 1.1.1.1\n"
	                " deny ip any any\n"
	                "access-list 10 permit 10.0.0.0 0.0.0.255\n"
	                "access-list 10 deny any\n";
	const char *moved = "interface Gi0/1\n shutdown\n"
	                    "access-list 10 permit 10.0.0.0 0.0.0.255\n"
	                    "access-list 10 deny any\n"
	                    "interface Lo0\n ip address 1.1.1.1 255.255.255.255\n"
	                    "ip access-list extended X\n permit ip any host 1.1.1.1\n"
	                    " deny ip any any\n";
	const char *reordered = "interface Lo0\n ip address 1.1.1.1 255.255.255.255\n"
	                        "interface Gi0/1\n shutdown\n"
	                        "ip access-list extended X\n deny ip any any\n"
	                        " permit ip any host 1.1.1.1\n"
	                        "access-list 10 deny any\n"
	                        "access-list 10 permit 10.0.0.0 0.0.0.255\n";
	struct cfg_diff_stats st;
	char err[256], *out = NULL;
	size_t len;

	TAP_OK(cfg_diff(CFG_PLAT_IOS, a, strlen(a), moved, strlen(moved), "a",
	    "b", &out, &len, &st, err, sizeof(err)) == 0 && len == 0 &&
	    st.added == 0 && st.removed == 0, "moved blocks are no change");
	free(out);
	TAP_OK(cfg_diff(CFG_PLAT_IOS, a, strlen(a), reordered,
	    strlen(reordered), "a", "b", &out, &len, &st, err, sizeof(err)) ==
	    0 && st.added == 2 && st.removed == 2,
	    "reordered ACL entries are a change: +%u -%u", st.added, st.removed);
	TAP_OK(out && strstr(out, "@@ ip access-list extended X @@"),
	    "under the ACL's header");
	free(out);
}

int
main(void)
{
	struct cfg_rules *rs = cfg_rules_new();

	TAP_OK(rs != NULL, "the shipped rules compile");
	TAP_OK(cfg_rules_count(rs, CFG_PLAT_IOS) >= 40 &&
	    cfg_rules_count(rs, CFG_PLAT_JUNOS) >= 10,
	    "rules: %zu for ios, %zu nxos, %zu asa, %zu eos, %zu junos",
	    cfg_rules_count(rs, CFG_PLAT_IOS), cfg_rules_count(rs, CFG_PLAT_NXOS),
	    cfg_rules_count(rs, CFG_PLAT_ASA), cfg_rules_count(rs, CFG_PLAT_EOS),
	    cfg_rules_count(rs, CFG_PLAT_JUNOS));
	test_lines(rs);
	test_secrets(rs);
	test_digests(rs);
	test_meta_and_noise(rs);
	test_overrides();
	test_hostile(rs);
	test_tree();
	test_diff();
	cfg_rules_free(rs);
	return tap_done();
}
