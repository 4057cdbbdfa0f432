/*
 * test_cfgcorpus.c - the normaliser and the structural diff against the
 * shared corpus of real configurations (../shared/corpus/configs, or
 * NP_SHARED; skipped without it), with the answers of the research note
 * (config-drift.md 1.1, 1.3, 2.4): no volatile line and no secret left in
 * any of them; Oxidized's expected Junos answer (secret.yaml); the drift
 * snapshot's pairs (a moved block is no change) and the SRX pair (only
 * the archival configuration differs, not the cluster status).
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/cfgdiff.h"
#include "conf.h"
#include "config/cfgnorm.h"
#include "config/cfgpolicy.h"
#include "config/cfgtree.h"
#include "tap.h"

static const unsigned char key[32] = {42};
static char dir[1024];

static char *
slurp(const char *rel, size_t *len)
{
	char path[2048];
	FILE *f;
	char *b;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	*len = fread(b, 1, (size_t)n, f);
	b[*len] = '\0';
	fclose(f);
	return b;
}

static int
normfile(struct cfg_rules *rs, const char *rel, struct cfg_norm *n)
{
	char err[256], *t;
	size_t len;
	int rc;

	if ((t = slurp(rel, &len)) == NULL)
		return -1;
	rc = cfg_normalize(rs, CFG_PLAT_AUTO, key, sizeof(key), t, len, n, err,
	    sizeof(err));
	free(t);
	return rc;
}

/* each file: its platform, and what must not be left (| separated) */
static const struct {
	const char *file;
	int plat;
	const char *gone; /* in both views */
	const char *not_compared; /* volatile or metadata: not compared */
} files[] = {
    {"ciscoconfparse/sample_01.ios", CFG_PLAT_IOS,
        "$1$Q0Zl$LN7ONybETL5LJZF1|107D3D232342041E3A|023530612D5319347A|"
        "SoMeThaNGwIErd", NULL},
    {"ciscoconfparse/sample_01.asa", CFG_PLAT_ASA,
        "2KFQnbNIdI.2KYOU|dXRTaA5wrZ3OL8gz|community public|: Saved",
        ": Written by"},
    {"ciscoconfparse/sample_01.junos", CFG_PLAT_JUNOS,
        "$1$y7ArHxKU$zUbdeLfBirgkCsKiOJ5Qa0", "## Last commit"},
    {"oxidized/ios__asr920_16.8.1b__output.txt", CFG_PLAT_IOSXE,
        "ABCDEFGH1234|enable secret 5 password|username root secret 5 password",
        NULL},
    {"oxidized/junos__srx300_22.4__output.txt", CFG_PLAT_JUNOS,
        "CorrectHorseBattery|FAKEHASHDATAXXXXXXXXXXXXXXXXXXXX|"
        "very-secret-encrypted-password",
        "## Last commit|Failover count"},
    {"batfish-aristaevpn/DC1-LEAF2A.cfg", CFG_PLAT_EOS,
        "$6$Df86J4/SFMDE3/1K|$6$rZKcbIZ7iWGAWTUM|q+VNViP5i4rVjW1cxFv2wA==|"
        "AQQvKeimxJu+uGQ/yYvv9w==|vnEaG8gMeQf3d3cN6PktXQ==|telarista|"
        "!RANCID-", NULL},
    {"batfish-drift/reference/as2dist1.cfg", CFG_PLAT_IOS, NULL, NULL},
    {"batfish-example-filters/current/firewall.cfg", CFG_PLAT_IOS, NULL, NULL},
    {"batfish-example-filters/current/rtr-with-acl.cfg", CFG_PLAT_IOS, NULL,
        NULL},
};

static int
none_of(const char *text, const char *list)
{
	char buf[1024], *tok, *save;

	if (list == NULL)
		return 1;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, "|", &save); tok;
	    tok = strtok_r(NULL, "|", &save))
		if (strstr(text, tok)) {
			printf("# left: %s\n", tok);
			return 0;
		}
	return 1;
}

/* Oxidized's secret.yaml: its "pass" patterns (regexes, on our text with
 * each digest read as "<secret removed>") match, its "fail" strings are
 * absent. */
static void
secret_yaml(const struct cfg_norm *n)
{
	char *y, *t, *line, *save, *p;
	size_t len;
	int pass = 0;

	if ((y = slurp("oxidized/junos__srx300_22.4__secret.yaml", &len)) ==
	    NULL) {
		TAP_SKIP("no secret.yaml");
		return;
	}
	/* <secret:HEX> -> <secret removed> */
	t = malloc(n->len * 2 + 1);
	for (p = n->text, len = 0; *p;) {
		if (strncmp(p, "<secret:", 8) == 0 && strchr(p, '>')) {
			len += (size_t)sprintf(t + len, "<secret removed>");
			p = strchr(p, '>') + 1;
		} else
			t[len++] = *p++;
	}
	t[len] = '\0';
	for (line = strtok_r(y, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		char *q1, *q2;
		regex_t re;

		if (strncmp(line, "pass:", 5) == 0) {
			pass = 1;
			continue;
		}
		if (strncmp(line, "fail:", 5) == 0) {
			pass = 0;
			continue;
		}
		if ((q1 = strchr(line, '\'')) == NULL ||
		    (q2 = strrchr(line, '\'')) == q1)
			continue;
		*q2 = '\0';
		q1++;
		if (pass) {
			TAP_OK(regcomp(&re, q1, REG_EXTENDED) == 0 &&
			    regexec(&re, t, 0, NULL, 0) == 0,
			    "secret.yaml pass: %s", q1);
			regfree(&re);
		} else
			TAP_OK(strstr(n->text, q1) == NULL,
			    "secret.yaml fail: %s is not there", q1);
	}
	free(t);
	free(y);
}

static void
pair(struct cfg_rules *rs, const char *a, const char *b, unsigned added,
    unsigned removed, const char *must)
{
	struct cfg_norm na, nb;
	struct cfg_diff_stats st;
	char err[256], *out = NULL;
	size_t len = 0;

	if (normfile(rs, a, &na) == -1 || normfile(rs, b, &nb) == -1) {
		TAP_OK(0, "%s and %s normalise", a, b);
		return;
	}
	TAP_OK(cfg_diff(nb.platform, na.compare, na.compare_len, nb.compare,
	    nb.compare_len, a, b, &out, &len, &st, err, sizeof(err)) == 0 &&
	    st.added == added && st.removed == removed,
	    "%s -> %s: +%u -%u (want +%u -%u)", a, b, st.added, st.removed,
	    added, removed);
	if (must)
		TAP_OK(out && strstr(out, must), "%s: shows \"%s\"", b, must);
	free(out);
	cfg_norm_free(&na);
	cfg_norm_free(&nb);
}

/* research 5: the shipped IOS policy on the asr920 configuration */
static const struct {
	const char *rule;
	enum cfg_result want;
} asr920[] = {
    {"CIS-1.1.1 AAA is enabled", CFG_PASS},
    {"CIS-1.1.2 login through AAA", CFG_PASS},
    {"CIS-1.1.3 enable through AAA", CFG_PASS},
    {"CIS-1.1.7 privileged commands are accounted", CFG_PASS},
    {"CIS-1.4.2 (†) service password-encryption", CFG_PASS},
    {"CIS-1.4.1 (†) enable secret, not enable password", CFG_PASS},
    {"CIS-1.4.3 (†) user secrets, not passwords", CFG_PASS},
    {"CIS-1.2.2 (†) vty lines take SSH only", CFG_PASS},
    {"CIS-2.2.4 a remote syslog host", CFG_PASS},
    {"CIS-2.2.2 a local log buffer of 4096 bytes or more", CFG_PASS},
    {"CIS-2.2.7 logging source interface", CFG_PASS},
    {"CIS-2.3.2 an NTP server", CFG_PASS},
    {"CIS-1.3.1-1.3.3 a banner is set", CFG_PASS},
    {"CIS-2.1.8 no PAD service", CFG_PASS},
    {"CIS-2.1.6 TCP keepalives in", CFG_PASS},
    {"CIS-2.1.7 TCP keepalives out", CFG_PASS},
    {"CIS-2.1.1.1.2 a domain name is set", CFG_PASS},
    {"CIS-2.1.1.1.1 a host name is set", CFG_PASS},
    {"CIS-2.1.1.2 SSH version 2", CFG_FAIL},
    {"CIS-1.2.4/1.2.5 every vty line has an access-class whose ACL exists",
        CFG_FAIL},
    {"CIS-1.2.6-1.2.9 (†) con, aux and vty idle out in 10 minutes at most",
        CFG_FAIL},
    {"CIS-1.3.1 an exec banner", CFG_FAIL},
    {"CIS-1.3.2 a login banner", CFG_FAIL},
    {"CIS-2.1.2 CDP is off", CFG_FAIL},
};

static int got[sizeof(asr920) / sizeof(asr920[0])];

static void
policy_row(void *arg, const struct cfg_policy_result *r)
{
	(void)arg;
	for (size_t i = 0; i < sizeof(asr920) / sizeof(asr920[0]); i++)
		if (strcmp(r->rule, asr920[i].rule) == 0)
			got[i] = (int)r->result + 1;
}

static void
test_policy(struct cfg_rules *rs)
{
	const char *top = getenv("top_srcdir");
	char conf[2048], err[4096], *text;
	struct config *c;
	struct cfg_policy *p;
	struct cfg_tree *t;
	size_t len;
	FILE *f;

	snprintf(conf, sizeof(conf), "/tmp/np-cfgcorpus-%d.conf", (int)getpid());
	if ((f = fopen(conf, "w")) == NULL)
		return;
	fprintf(f, "include \"%s/etc/policies/ios-security.conf\"\n",
	    top ? top : ".");
	fclose(f);
	c = conf_parse(conf, NULL, err, sizeof(err));
	unlink(conf);
	TAP_OK(c != NULL && TAILQ_FIRST(&c->policies) != NULL,
	    "the shipped ios-security policy parses");
	if (c == NULL)
		return;
	text = slurp("oxidized/ios__asr920_16.8.1b__output.txt", &len);
	t = text ? cfg_tree_parse(CFG_PLAT_AUTO, text, len, err, sizeof(err))
	         : NULL;
	p = cfg_policy_compile(TAILQ_FIRST(&c->policies), err, sizeof(err));
	TAP_OK(t && p && TAILQ_FIRST(&c->policies)->nrules >= 27,
	    "its %d rules compile", TAILQ_FIRST(&c->policies)->nrules);
	if (t && p)
		cfg_policy_eval(p, t, rs, key, sizeof(key), policy_row, NULL);
	for (size_t i = 0; i < sizeof(asr920) / sizeof(asr920[0]); i++)
		TAP_OK(got[i] == (int)asr920[i].want + 1, "asr920: %s %s",
		    asr920[i].rule, cfg_result_name(asr920[i].want));
	cfg_policy_free(p);
	cfg_tree_free(t);
	free(text);
	conf_free(c);
}

int
main(void)
{
	const char *env = getenv("NP_SHARED"), *top = getenv("top_srcdir");
	struct cfg_rules *rs = cfg_rules_new();
	struct cfg_norm n;
	size_t len;
	char *probe;

	if (env)
		snprintf(dir, sizeof(dir), "%s/corpus/configs", env);
	else
		snprintf(dir, sizeof(dir), "%s/../shared/corpus/configs",
		    top ? top : ".");
	if ((probe = slurp("ciscoconfparse/sample_01.ios", &len)) == NULL) {
		printf("1..0 # SKIP the shared corpus is not at %s\n", dir);
		cfg_rules_free(rs);
		return 77;
	}
	free(probe);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (normfile(rs, files[i].file, &n) == -1) {
			TAP_OK(0, "%s normalises", files[i].file);
			continue;
		}
		TAP_OK((int)n.platform == files[i].plat, "%s: platform %s",
		    files[i].file, cfg_platform_name(n.platform));
		TAP_OK(none_of(n.text, files[i].gone) &&
		    none_of(n.compare, files[i].gone),
		    "%s: no secret or volatile line left (%u secrets masked)",
		    files[i].file, n.secrets);
		TAP_OK(none_of(n.compare, files[i].not_compared),
		    "%s: metadata and runtime lines not compared",
		    files[i].file);
		if (strstr(files[i].file, "srx300_22.4__output"))
			secret_yaml(&n);
		cfg_norm_free(&n);
	}
	/* the drift snapshot (research 2.4.4) */
	pair(rs, "batfish-drift/reference/as3core1.cfg",
	    "batfish-drift/snapshot/as3core1.cfg", 0, 0, NULL);
	pair(rs, "batfish-drift/reference/as2dist1.cfg",
	    "batfish-drift/snapshot/as2dist1.cfg", 7, 3,
	    "+ neighbor 2.34.101.4 peer-group dept2");
	pair(rs, "batfish-drift/reference/as2dist2.cfg",
	    "batfish-drift/snapshot/as2dist2.cfg", 1, 0,
	    "+access-list 105 permit ip host 3.0.3.0 host 255.255.255.0");
	/* the example filters (2.4.2, 2.4.3) */
	pair(rs, "batfish-example-filters/current/rtr-with-acl.cfg",
	    "batfish-example-filters/candidate1/rtr-with-acl.cfg", 2, 0,
	    "+ 462 permit tcp 10.10.10.0/24 18.18.18.0/26 eq 80");
	pair(rs, "batfish-example-filters/current/firewall.cfg",
	    "batfish-example-filters/candidate1/firewall.cfg", 0, 5,
	    "-zone-pair security z2-to-z3");
	/* the SRX pair: the archival block, not the cluster status */
	pair(rs, "oxidized/junos__srx300_22.4__output.txt",
	    "oxidized/junos__srx300_22.4_wo_cluster__output.txt", 0, 6,
	    "-    archival");
	/* the MLAG pair: device variables only (2.4.5) */
	pair(rs, "batfish-aristaevpn/DC1-LEAF2A.cfg",
	    "batfish-aristaevpn/DC1-LEAF2B.cfg", 47, 47, "hostname DC1-LEAF2B");
	test_policy(rs);
	cfg_rules_free(rs);
	return tap_done();
}
