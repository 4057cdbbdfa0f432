/*
 * test_acl.c - the packet-set engine, hostile ACL input, and the corpus
 * answers of research note config-drift.md 2.4 (NP_SHARED or
 * $top_srcdir/../shared; skipped without).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/semdiff.h"
#include "tap.h"

static char shared[1024];

static char *
slurp(const char *rel, size_t *len)
{
	char path[1400];
	FILE *f;
	char *b;
	long n;

	snprintf(path, sizeof(path), "%s/corpus/configs/%s", shared, rel);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	*len = fread(b, 1, (size_t)n, f);
	fclose(f);
	return b;
}

/* How many changes of KIND (on OBJECT, if set) name line LINE first. */
static int
count(const struct sem_result *r, const char *kind, const char *object,
    unsigned line)
{
	int n = 0;

	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->c[i].kind, kind) == 0 && (object == NULL ||
		    strcmp(r->c[i].object, object) == 0) && (line == 0 ||
		    (r->c[i].nlines && r->c[i].lines[0].line == line)))
			n++;
	return n;
}

static const struct sem_change *
find(const struct sem_result *r, const char *kind, const char *object)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->c[i].kind, kind) == 0 &&
		    strcmp(r->c[i].object, object) == 0)
			return &r->c[i];
	return NULL;
}

static int
lint(const char *rel, struct sem_result *r)
{
	size_t len;
	char *t = slurp(rel, &len), err[256];
	int rc;

	if (t == NULL)
		return -1;
	rc = sem_lint(CFG_PLAT_AUTO, t, len, r, err, sizeof(err));
	free(t);
	return rc;
}

static int
diff(const char *a, const char *b, struct sem_result *r)
{
	size_t la, lb;
	char *ta = slurp(a, &la), *tb = slurp(b, &lb), err[256];
	int rc = -1;

	if (ta && tb)
		rc = sem_diff(CFG_PLAT_AUTO, ta, la, tb, lb, r, err,
		    sizeof(err));
	free(ta);
	free(tb);
	return rc;
}

static void
test_sets(void)
{
	struct acl_set s;
	struct acl_box all, b;
	struct acl_packet p;

	aclset_init(&s);
	acl_box_all(&all);
	aclset_push(&s, &all);
	b = all;
	b.src = acl_tern_wild(0x6f6f6f6f, 0x6f6f6f6f); /* non-contiguous */
	aclset_sub_box(&s, &b);
	memset(&p, 0, sizeof(p));
	p.src = 0x6f6f6f6f;
	TAP_OK(!aclset_has(&s, &p), "wildcard 111.111.111.111 removed");
	p.src = 0x80000000;
	TAP_OK(aclset_has(&s, &p), "outside the wildcard kept");
	p.src = 0x00000000; /* 0 & ~wc == 111... & ~wc: inside */
	TAP_OK(!aclset_has(&s, &p), "0.0.0.0 is in 111.111.111.111 wc");
	TAP_NEAR(aclset_size(&s) + acl_box_size(&b), acl_box_size(&all), 1e3,
	    "the pieces and the hole are the whole");
	aclset_sub_box(&s, &all);
	TAP_OK(aclset_empty(&s), "all minus all is empty");
	aclset_free(&s);
}

static void
test_hostile(void)
{
	static const char *in[] = {
	    "ip access-list extended X\n permit tcp any any eq\n",
	    "ip access-list extended X\n permit tcp host\n",
	    "access-list 101 permit\naccess-list\n",
	    "ip access-list extended X\n permit tcp any any range 9 1\n",
	    "object-group network A\n group-object A\n"
	    "ip access-list extended X\n permit ip object-group A any\n",
	    "ip access-list X\n 10 permit ip 1.2.3.4/99 any\n",
	    "ipv6 access-list V6\n permit ipv6 any any\n",
	};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct sem_result r;
		char err[256];
		int rc = sem_lint(CFG_PLAT_IOS, in[i], strlen(in[i]), &r, err,
		    sizeof(err));

		TAP_OK(rc == 0, "hostile input %zu gives a result", i);
		if (rc == 0)
			sem_result_free(&r);
	}
}

static int
mdiff(const char *a, const char *b, struct sem_result *r)
{
	char err[256];

	return sem_diff(CFG_PLAT_IOS, a, strlen(a), b, strlen(b), r, err,
	    sizeof(err));
}

static void
test_small(void)
{
	static const char base[] =
	    "hostname r\n"
	    "interface Gi0/1\n ip address 10.0.0.1 255.255.255.0\n!\n"
	    "interface Gi0/2\n shutdown\n!\n"
	    "ip access-list extended IN\n permit tcp 10.0.0.0 0.0.0.255 any "
	    "eq 22\n deny ip any any\n";
	static const char moved[] =
	    "! Last configuration change at 10:00:00 UTC Mon Jan 1 2024 "
	    "by admin\nntp clock-period 17179869\nhostname r\n"
	    "interface Gi0/2\n shutdown\n!\n"
	    "ip access-list extended IN\n permit tcp 10.0.0.0 0.0.0.255 any "
	    "eq 22\n deny ip any any\n"
	    "interface Gi0/1\n ip address 10.0.0.1 255.255.255.0\n!\n";
	static const char changed[] =
	    "hostname r\n"
	    "interface Gi0/1\n ip address 10.0.0.2 255.255.255.0\n"
	    " ip access-group IN in\n shutdown\n!\n"
	    "interface Gi0/2\n!\n"
	    "ip access-list extended IN\n permit tcp 10.0.0.0 0.0.0.255 any "
	    "eq 22\n deny ip any any\n";
	struct sem_result r;
	struct acl_packet p;
	const struct acl *a;
	struct cfg_tree *t;
	struct acl_config *c;
	char err[128];
	int line;

	TAP_OK(mdiff(base, moved, &r) == 0 && r.n == 0,
	    "noise and moved blocks: no change");
	sem_result_free(&r);
	mdiff(base, changed, &r);
	TAP_OK(count(&r, "interface.shutdown", "interface Gi0/1", 0) == 1 &&
	    count(&r, "interface.no-shutdown", "interface Gi0/2", 0) == 1 &&
	    count(&r, "interface.address", "interface Gi0/1", 0) == 1 &&
	    count(&r, "acl.binding-added", "IN", 0) == 1,
	    "shutdown, no-shutdown, address, binding-added");
	sem_result_free(&r);
	mdiff(changed, base, &r);
	TAP_OK(count(&r, "acl.binding-removed", "IN", 0) == 1 &&
	    count(&r, "acl.unused", "IN", 0) == 1, "binding-removed, unused");
	sem_result_free(&r);
	t = cfg_tree_parse(CFG_PLAT_IOS, base, strlen(base), err, sizeof(err));
	c = t ? acl_config_build(t) : NULL;
	a = c ? acl_config_find(c, "IN") : NULL;
	memset(&p, 0, sizeof(p));
	p.proto = 6;
	p.src = 0x0a000005;
	p.dport = 22;
	TAP_OK(a && acl_eval(a, &p, &line) == ACL_PERMIT && line == 9,
	    "acl_eval: permit by line 9");
	p.dport = 23;
	TAP_OK(a && acl_eval(a, &p, &line) == ACL_DENY && line == 10,
	    "acl_eval: deny by line 10");
	acl_config_free(c);
	if (t)
		cfg_tree_free(t);
}

/* an entry that matches nothing (an undefined object-group): comparing
 * two versions of its ACL (fuzz_acl found memcmp on NULL, 0 bytes) */
static void
test_empty_entry(void)
{
	static const char a[] = "hostname fw\n"
	    "access-list IN extended permit tcp object-group NOPE any eq 22\n"
	    "access-list IN extended deny ip any any\n"
	    "access-group IN in interface outside\n";
	static const char b[] = "hostname fw\n"
	    "access-list IN extended permit tcp object-group NOPE any eq 22\n"
	    "access-list IN extended deny ip any any\n"
	    "access-group IN in interface outside\n"
	    "access-list IN extended permit udp any any eq 53\n";
	struct sem_result r;
	char err[256];

	TAP_OK(sem_diff(CFG_PLAT_ASA, a, strlen(a), a, strlen(a), &r, err,
	    sizeof(err)) == 0 && count(&r, "acl.widened", NULL, 0) == 0,
	    "an undefined object-group: the same ACL compares equal");
	sem_result_free(&r);
	TAP_OK(sem_diff(CFG_PLAT_ASA, a, strlen(a), b, strlen(b), &r, err,
	    sizeof(err)) == 0 && count(&r, "reference.undefined", NULL, 0) >= 0,
	    "an undefined object-group: two versions compare");
	sem_result_free(&r);
}

/* Junos filters in "display set" form: the same model as the braces */
static void
test_junos_set(void)
{
	static const char brace[] =
	    "interfaces {\n    ge-0/0/0 {\n        unit 0 {\n"
	    "            family inet {\n                filter {\n"
	    "                    input MGMT;\n                }\n"
	    "            }\n        }\n    }\n}\n"
	    "firewall {\n    family inet {\n        filter MGMT {\n"
	    "            term ssh {\n                from {\n"
	    "                    source-address {\n"
	    "                        198.51.100.0/24;\n"
	    "                    }\n                    protocol tcp;\n"
	    "                }\n                then accept;\n"
	    "            }\n            term ssh2 {\n"
	    "                from {\n                    source-address {\n"
	    "                        198.51.100.0/25;\n"
	    "                    }\n                    protocol tcp;\n"
	    "                    destination-port 22;\n                }\n"
	    "                then accept;\n            }\n"
	    "            term rest {\n                then discard;\n"
	    "            }\n        }\n    }\n}\n";
	static const char set[] =
	    "set interfaces ge-0/0/0 unit 0 family inet filter input MGMT\n"
	    "set firewall family inet filter MGMT term ssh from source-address "
	    "198.51.100.0/24\n"
	    "set firewall family inet filter MGMT term ssh from protocol tcp\n"
	    "set firewall family inet filter MGMT term ssh then accept\n"
	    "set firewall family inet filter MGMT term ssh2 from "
	    "source-address 198.51.100.0/25\n"
	    "set firewall family inet filter MGMT term ssh2 from protocol "
	    "tcp\n"
	    "set firewall family inet filter MGMT term ssh2 from "
	    "destination-port 22\n"
	    "set firewall family inet filter MGMT term ssh2 then accept\n"
	    "set firewall family inet filter MGMT term rest then discard\n";
	struct sem_result r;
	char err[256];

	TAP_OK(sem_lint(CFG_PLAT_AUTO, set, strlen(set), &r, err,
	    sizeof(err)) == 0 && r.n == 1 &&
	    count(&r, "acl.line-unreachable", "MGMT", 0) == 1 &&
	    count(&r, "acl.unused", NULL, 0) == 0,
	    "junos set form: the filter is bound, term ssh2 unreachable");
	sem_result_free(&r);
	TAP_OK(sem_diff(CFG_PLAT_AUTO, brace, strlen(brace), set, strlen(set),
	    &r, err, sizeof(err)) == 0 && r.n == 0,
	    "junos: braces and set lines are the same configuration");
	sem_result_free(&r);
}

int
main(void)
{
	struct sem_result r;
	const char *e = getenv("NP_SHARED"), *top = getenv("top_srcdir");
	const struct sem_change *c;

	test_sets();
	test_hostile();
	test_junos_set();
	test_empty_entry();
	test_small();
	if (e)
		snprintf(shared, sizeof(shared), "%s", e);
	else
		snprintf(shared, sizeof(shared), "%s/../shared",
		    top ? top : "..");
	if (lint("batfish-example-filters/current/rtr-with-acl.cfg", &r)) {
		TAP_SKIP("no corpus (NP_SHARED)");
		return tap_done();
	}
	TAP_OK(count(&r, "acl.line-unreachable", NULL, 0) == 2,
	    "example-filters: exactly two unreachable lines");
	c = NULL;
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.c[i].kind, "acl.line-unreachable") == 0 &&
		    strncmp(r.c[i].lines[0].text, "670 ", 4) == 0)
			c = &r.c[i];
	TAP_OK(c && c->nlines == 2 && strncmp(c->lines[1].text, "540 ", 4)
	    == 0 && strstr(c->detail, "different action"),
	    "670 blocked by 540 only, different action");
	c = NULL;
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.c[i].kind, "acl.line-unreachable") == 0 &&
		    strncmp(r.c[i].lines[0].text, "790 ", 4) == 0)
			c = &r.c[i];
	TAP_OK(c && c->nlines == 2 && strncmp(c->lines[1].text, "500 ", 4)
	    == 0 && strstr(c->detail, "same action"),
	    "790 blocked by 500, same action");
	sem_result_free(&r);

	diff("batfish-example-filters/current/rtr-with-acl.cfg",
	    "batfish-example-filters/candidate1/rtr-with-acl.cfg", &r);
	c = find(&r, "acl.widened", "acl_in");
	TAP_OK(r.n == 1 && c && strstr(c->region, "dst 18.18.18.0/26 dport 80")
	    && strstr(c->region, "dport 8080") &&
	    c->example.dst == 0x12121200 && c->example.dport == 80,
	    "candidate1: widened tcp 10.10.10.0/24 -> 18.18.18.0/26 80, 8080");
	sem_result_free(&r);
	diff("batfish-example-filters/current/rtr-with-acl.cfg",
	    "batfish-example-filters/candidate2/rtr-with-acl.cfg", &r);
	c = find(&r, "acl.widened", "acl_in");
	TAP_OK(r.n == 1 && c && strstr(c->region, "18.18.18.0/27"),
	    "candidate2: widened to /27");
	sem_result_free(&r);
	diff("batfish-example-filters/candidate1/rtr-with-acl.cfg",
	    "batfish-example-filters/candidate2/rtr-with-acl.cfg", &r);
	c = find(&r, "acl.narrowed", "acl_in");
	TAP_OK(r.n == 1 && c && strstr(c->region, "18.18.18.32/27"),
	    "candidate1 -> candidate2: narrowed 18.18.18.32/27");
	sem_result_free(&r);

	diff("batfish-drift/reference/as2dist1.cfg",
	    "batfish-drift/snapshot/as2dist1.cfg", &r);
	TAP_OK(count(&r, "acl.widened", NULL, 0) +
	    count(&r, "acl.narrowed", NULL, 0) == 0, "as2dist1: ACL 102 same");
	c = find(&r, "bgp.peer-changed", "bgp neighbor 2.34.101.4");
	TAP_OK(c && strstr(c->detail, "peer-group dept,") &&
	    strstr(c->detail, "peer-group dept2"), "as2dist1: peer dept->dept2");
	TAP_OK(find(&r, "reference.undefined",
	    "community-list dept_community_new") && find(&r,
	    "reference.undefined", "peer-group dept"),
	    "as2dist1: undefined community-list and peer-group");
	sem_result_free(&r);
	diff("batfish-drift/reference/as2dist2.cfg",
	    "batfish-drift/snapshot/as2dist2.cfg", &r);
	c = find(&r, "acl.widened", "105");
	TAP_OK(r.n == 1 && c && c->lines[0].line == 0 &&
	    strstr(c->region, "ip src 3.0.3.0/32 dst 255.255.255.0/32"),
	    "as2dist2: 105 widened from the end of the ACL");
	sem_result_free(&r);
	diff("batfish-drift/reference/as3core1.cfg",
	    "batfish-drift/snapshot/as3core1.cfg", &r);
	TAP_OK(r.n == 0, "as3core1: moved block, no change");
	sem_result_free(&r);

	lint("ciscoconfparse/sample_01.ios", &r);
	TAP_OK(count(&r, "acl.line-unreachable", "ETH0_0_IN", 340) == 1 &&
	    count(&r, "acl.line-unreachable", "EXT_IN", 360) == 1 &&
	    count(&r, "acl.line-unreachable", NULL, 0) == 2,
	    "sample_01.ios: ETH0_0_IN and EXT_IN unreachable");
	TAP_OK(count(&r, "parse.warning", "line 348", 348) == 1,
	    "sample_01.ios: parse warning for permit esp host any any");
	sem_result_free(&r);
	lint("ciscoconfparse/sample_01.asa", &r);
	c = find(&r, "acl.line-unreachable", "INSIDE_in");
	TAP_OK(c && count(&r, "acl.line-unreachable", NULL, 0) == 1 &&
	    c->nlines == 2 && c->lines[1].line + 1 == c->lines[0].line,
	    "sample_01.asa: INSIDE_in line 3 blocked by line 2");
	TAP_OK(find(&r, "reference.undefined", "object-group TSUNAMI_addrs")
	    != NULL, "sample_01.asa: TSUNAMI_addrs undefined");
	sem_result_free(&r);
	lint("oxidized/ios__asr920_16.8.1b__output.txt", &r);
	TAP_OK(count(&r, "acl.line-unreachable", "auth-SNMP", 375) == 1 &&
	    count(&r, "acl.line-unreachable", "auth-SNMPV2", 380) == 1 &&
	    count(&r, "acl.line-unreachable", "auth-SSH", 0) == 3 &&
	    count(&r, "acl.line-unreachable", "auth-SSH", 386) == 0,
	    "asr920: duplicate and wildcard-covered lines, line 3 reachable");
	sem_result_free(&r);
	return tap_done();
}
