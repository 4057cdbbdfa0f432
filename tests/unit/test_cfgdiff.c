/*
 * test_cfgdiff.c - the structural diff: the corpus pairs of the research
 * note (config-drift.md 2.4) give exactly the expected lines; ordered
 * sections diffed in place by the shortest edit script (checked against
 * a dynamic-programming LCS on random ACLs); moved blocks, duplicate
 * headers, CRLF, counts only, Junos filter terms, the edit bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfgdiff.h"
#include "cfg_corpus.h"
#include "tap.h"

static char *
diff(enum cfg_platform p, const char *a, const char *b,
    struct cfg_diff_stats *st)
{
	char err[256], *out = NULL;
	size_t len;

	if (cfg_diff(p, a, strlen(a), b, strlen(b), "a", "b", &out, &len, st,
	    err, sizeof(err)) == -1) {
		printf("# %s\n", err);
		return NULL;
	}
	return out;
}

static const struct {
	const char *what;
	enum cfg_platform plat;
	const char *a, *b, *want;
	unsigned added, removed;
} cases[] = {
	{"equal", CFG_PLAT_IOS, "hostname a\n", "hostname a\n", "", 0, 0},
	{"a moved block is no change", CFG_PLAT_IOS,
	 "interface A\n x\ninterface B\n y\n", "interface B\n y\ninterface A\n x\n",
	 "", 0, 0},
	{"CRLF and blank lines are no change", CFG_PLAT_IOS,
	 "interface A\n x\n!\n", "interface A\r\n x\r\n\r\n", "", 0, 0},
	{"a child changed, under its block", CFG_PLAT_IOS,
	 "interface A\n shutdown\n description d\n",
	 "interface A\n description d\n no shutdown\n",
	 "--- a\n+++ b\n@@ interface A @@\n interface A\n- shutdown\n+ no shutdown\n",
	 1, 1},
	{"duplicate headers pair in turn", CFG_PLAT_IOS,
	 "router bgp 1\n address-family ipv4\n  a\n exit-address-family\n"
	 " address-family ipv6\n  b\n exit-address-family\n",
	 "router bgp 1\n address-family ipv4\n  a\n exit-address-family\n"
	 " address-family ipv6\n  c\n exit-address-family\n",
	 "--- a\n+++ b\n@@ router bgp 1 @@\n router bgp 1\n  address-family ipv6\n"
	 "-  b\n+  c\n", 1, 1},
	{"an ACL entry moved is a change, in place", CFG_PLAT_IOS,
	 "ip access-list extended X\n permit a\n permit b\n deny c\n",
	 "ip access-list extended X\n permit b\n permit a\n deny c\n",
	 "--- a\n+++ b\n@@ ip access-list extended X @@\n ip access-list extended X\n"
	 "- permit a\n  permit b\n+ permit a\n  deny c\n", 1, 1},
	{"numbered ACL lines keep their order", CFG_PLAT_IOS,
	 "access-list 1 permit a\nhostname h\naccess-list 1 deny b\n",
	 "hostname h\naccess-list 1 deny b\naccess-list 1 permit a\n",
	 "--- a\n+++ b\n-access-list 1 permit a\n access-list 1 deny b\n"
	 "+access-list 1 permit a\n", 1, 1},
	{"a Junos term moved in a filter is a change", CFG_PLAT_JUNOS,
	 "firewall {\n family inet {\n  filter f {\n   term a { then accept; }\n"
	 "   term b { then discard; }\n  }\n }\n}\n",
	 "set firewall family inet filter f term b then discard\n"
	 "set firewall family inet filter f term a then accept\n",
	 "--- a\n+++ b\n@@ firewall @@\n firewall\n     family inet\n         filter f\n"
	 "-            term a\n-                then\n-                    accept\n"
	 "             term b\n+            term a\n+                then\n"
	 "+                    accept\n", 3, 3},
	{"a deactivated Junos statement is a change", CFG_PLAT_JUNOS,
	 "system { services { ssh; } }\n",
	 "system { inactive: services { ssh; } }\n",
	 "--- a\n+++ b\n@@ system @@\n system\n-    services\n-        ssh\n"
	 "+    inactive: services\n+        ssh\n", 2, 2},
};

/* the LCS length of two int sequences, by dynamic programming */
static int
lcs(const int *a, int n, const int *b, int m)
{
	int *dp = calloc((size_t)(n + 1) * (size_t)(m + 1), sizeof(int)), r;

	for (int i = n - 1; i >= 0; i--)
		for (int j = m - 1; j >= 0; j--)
			dp[i * (m + 1) + j] = a[i] == b[j] ?
			    dp[(i + 1) * (m + 1) + j + 1] + 1 :
			    (dp[(i + 1) * (m + 1) + j] > dp[i * (m + 1) + j + 1] ?
			    dp[(i + 1) * (m + 1) + j] : dp[i * (m + 1) + j + 1]);
	r = dp[0];
	free(dp);
	return r;
}

static char *
acl(const int *v, int n)
{
	char *s = malloc((size_t)n * 32 + 64);
	size_t k;

	k = (size_t)sprintf(s, "ip access-list extended R\n");
	for (int i = 0; i < n; i++)
		k += (size_t)sprintf(s + k, " permit %d\n", v[i]);
	return s;
}

/* random ACL pairs: the edit script is a shortest one */
static void
random_acls(void)
{
	int a[80], b[80], n, m, bad = 0, l;
	unsigned seed = 99;
	struct cfg_diff_stats st;
	char *sa, *sb, *out;

	for (int round = 0; round < 300; round++) {
		seed = seed * 1103515245u + 12345u;
		n = 1 + (int)(seed >> 16) % 60;
		seed = seed * 1103515245u + 12345u;
		m = 1 + (int)(seed >> 16) % 60;
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			a[i] = (int)(seed >> 16) % 8;
		}
		for (int i = 0; i < m; i++) {
			seed = seed * 1103515245u + 12345u;
			b[i] = (int)(seed >> 16) % 8;
		}
		sa = acl(a, n);
		sb = acl(b, m);
		out = diff(CFG_PLAT_IOS, sa, sb, &st);
		l = lcs(a, n, b, m);
		if (out == NULL || st.removed != (unsigned)(n - l) ||
		    st.added != (unsigned)(m - l))
			bad++;
		free(out);
		free(sa);
		free(sb);
	}
	TAP_OK(bad == 0, "300 random ACL pairs: +/- counts are N-LCS, M-LCS "
	    "(%d wrong)", bad);
}

/* more edits than the bound: paired as a set, counts still right */
static void
bound(void)
{
	int n = 6000, *a = malloc(sizeof(int) * 6000),
	    *b = malloc(sizeof(int) * 6000);
	struct cfg_diff_stats st;
	char *sa, *sb, *out, err[256];
	size_t len;

	for (int i = 0; i < n; i++) {
		a[i] = i;
		b[i] = i % 2 ? i : i + 100000;	/* every other line changed */
	}
	sa = acl(a, n);
	sb = acl(b, n);
	out = diff(CFG_PLAT_IOS, sa, sb, &st);
	TAP_OK(out != NULL && st.added == 3000 && st.removed == 3000,
	    "3000 edits in a 6000-line ACL: +%u -%u", st.added, st.removed);
	free(out);
	TAP_OK(cfg_diff(CFG_PLAT_IOS, sa, strlen(sa), sb, strlen(sb), "a", "b",
	    NULL, NULL, &st, err, sizeof(err)) == 0 && st.added == 3000,
	    "counts only (no text)");
	TAP_OK(cfg_diff(CFG_PLAT_JUNOS, "a {", 3, "b;", 2, "old", "new", NULL,
	    &len, &st, err, sizeof(err)) == -1 &&
	    strcmp(err, "old: line 1: '{' never closed") == 0,
	    "a parse error names the side and the line: %s", err);
	free(sa);
	free(sb);
	free(a);
	free(b);
}

static void
corpus(const char *ra, const char *rb, const char *want, unsigned added,
    unsigned removed)
{
	size_t la, lb, len;
	char *a = cfg_corpus_read(ra, &la), *b = cfg_corpus_read(rb, &lb);
	char err[256], *out = NULL;
	struct cfg_diff_stats st;

	if (a == NULL || b == NULL) {
		TAP_SKIP("corpus not here");
		free(a);
		free(b);
		return;
	}
	if (cfg_diff(CFG_PLAT_AUTO, a, la, b, lb, "a", "b", &out, &len, &st,
	    err, sizeof(err)) == -1)
		printf("# %s\n", err);
	TAP_STREQ(out ? out : "(error)", want, "%s", rb);
	TAP_OK(st.added == added && st.removed == removed, "%s: +%u -%u", rb,
	    st.added, st.removed);
	free(out);
	free(a);
	free(b);
}

int
main(void)
{
	struct cfg_diff_stats st;
	char *out;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = diff(cases[i].plat, cases[i].a, cases[i].b, &st);
		TAP_STREQ(out ? out : "(error)", cases[i].want, "%s",
		    cases[i].what);
		TAP_OK(st.added == cases[i].added &&
		    st.removed == cases[i].removed, "%s: +%u -%u",
		    cases[i].what, st.added, st.removed);
		free(out);
	}
	random_acls();
	bound();
	/* research note 2.4.4 */
	corpus("batfish-drift/reference/as3core1.cfg",
	    "batfish-drift/snapshot/as3core1.cfg", "", 0, 0);
	corpus("batfish-drift/reference/as2dist1.cfg",
	    "batfish-drift/snapshot/as2dist1.cfg",
	    "--- a\n+++ b\n@@ router bgp 2 @@\n router bgp 2\n"
	    "- neighbor dept peer-group\n- neighbor dept remote-as 65001\n"
	    "- neighbor 2.34.101.4 peer-group dept\n"
	    "+ neighbor dept2 peer-group\n+ neighbor dept2 remote-as 65001\n"
	    "+ neighbor 2.34.101.4 peer-group dept2\n"
	    "+route-map dept_to_as2dist permit 200\n"
	    "+ match community dept_community_new\n"
	    "+ set local-preference 350\n"
	    "+access-list 102 permit tcp host 2.128.0.0 host 255.255.0.0\n"
	    " access-list 102 permit ip host 2.128.0.0 host 255.255.0.0\n",
	    7, 3);
	corpus("batfish-drift/reference/as2dist2.cfg",
	    "batfish-drift/snapshot/as2dist2.cfg",
	    "--- a\n+++ b\n"
	    " access-list 105 permit ip host 3.0.2.0 host 255.255.255.0\n"
	    "+access-list 105 permit ip host 3.0.3.0 host 255.255.255.0\n", 1, 0);
	/* 2.4.2: the two lines inserted in place */
	corpus("batfish-example-filters/current/rtr-with-acl.cfg",
	    "batfish-example-filters/candidate1/rtr-with-acl.cfg",
	    "--- a\n+++ b\n@@ ip access-list acl_in @@\n ip access-list acl_in\n"
	    "  460 deny udp 10.10.10.42/32 218.8.104.58/32 eq domain\n"
	    "+ 462 permit tcp 10.10.10.0/24 18.18.18.0/26 eq 80\n"
	    "+ 463 permit tcp 10.10.10.0/24 18.18.18.0/26 eq 8080\n"
	    "  480 deny ip 118.0.0.0/8 any\n", 2, 0);
	/* 2.4.5: the SRX pair differs in system archival only (raw text:
	 * comments are not statements, so the appended cluster status and
	 * the commit line are no change) */
	corpus("oxidized/junos__srx300_22.4__output.txt",
	    "oxidized/junos__srx300_22.4_wo_cluster__output.txt",
	    "--- a\n+++ b\n@@ system @@\n system\n-    archival\n"
	    "-        configuration\n-            transfer-on-commit\n"
	    "-            archive-sites\n"
	    "-                \"pasvftp://demouser:CorrectHorseBattery@203.0.113.10/backup/\"\n"
	    "-                \"ftp://demouser2@203.0.113.11/backup/\" password \"$9$FAKEHASHDATAXXXXXXXXXXXXXXXXXXXX\"\n",
	    0, 6);
	return tap_done();
}
