#define _DEFAULT_SOURCE
/*
 * cfgdiffbench.c - the structural diff (src/config/cfgdiff.c) and the
 * block tree on generated 10,000-line configurations: parse time, and the
 * diff of two versions (a moved block, changed lines, ACL entries inserted
 * in the middle of an ACL, a removed block), best of 20 runs; and a numbered
 * ACL of 10,000 lines with 5 edits in its middle (one ordered section).
 * And the shipped ios-security policy (POLICY, default
 * ../etc/policies/ios-security.conf) evaluated on the 10,000-line version.
 * With a directory argument it also writes the generated versions there.
 *
 *   make cfgdiffbench   (bench/Makefile; NP_BUILD: the project's build)
 *   ./cfgdiffbench [DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <limits.h>

#include "conf.h"
#include "config/cfgdiff.h"
#include "config/cfgnorm.h"
#include "config/cfgpolicy.h"
#include "config/cfgtree.h"

struct sb {
	char *s;
	size_t len, cap;
};

static void
add(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void
add(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = b->cap ? b->cap * 2 : 65536;
		if ((b->s = realloc(b->s, b->cap)) == NULL)
			exit(1);
	}
}

/* version V (0 or 1) of the generated configuration */
static void
gen(struct sb *b, int v)
{
	int i, k;

	add(b, "hostname bench\n!\n");
	if (v == 1)	/* interface 7 moved to the front */
		add(b, "interface Gi0/7\n description port 7\n switchport\n"
		    " switchport mode access\n switchport access vlan 17\n"
		    " spanning-tree portfast\n no shutdown\n!\n");
	for (i = 0; i < 500; i++) {
		if (v == 1 && (i == 7 || i == 300))
			continue;	/* moved; removed */
		add(b, "interface Gi0/%d\n description port %d\n switchport\n"
		    " switchport mode access\n switchport access vlan %d\n"
		    " spanning-tree portfast\n %sshutdown\n!\n", i, i,
		    10 + i % 100, (v == 1 && i % 200 == 1) ? "" : "no ");
	}
	for (i = 0; i < 50; i++) {
		add(b, "ip access-list extended ACL%d\n", i);
		for (k = 0; k < 120; k++) {
			if (v == 1 && i == 25 && k == 60)
				add(b, " permit tcp host 10.9.9.9 any eq 22\n"
				    " deny ip host 10.9.9.8 any\n");
			add(b, " permit tcp 10.%d.%d.0 0.0.0.255 any eq %d\n",
			    i, k, 1000 + k);
		}
		add(b, "!\n");
	}
	add(b, "end\n");
}

static void
genacl(struct sb *b, int v)
{
	int k;

	for (k = 0; k < 10000; k++) {
		if (v == 1 && k % 1000 == 500 && k < 5500)
			add(b, "access-list 101 deny ip host 10.200.0.%d any\n",
			    k / 1000);
		add(b, "access-list 101 permit tcp 10.%d.%d.0 0.0.0.255 any\n",
		    k / 256, k % 256);
	}
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
lines(const struct sb *b, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < b->len; i++)
		*n += b->s[i] == '\n';
}

static void
run(const char *what, const struct sb *a, const struct sb *b)
{
	struct cfg_diff_stats st;
	struct cfg_tree *t;
	double t0, best = 1e9, bestp = 1e9;
	char err[256], *out = NULL;
	size_t outlen, na, nb;
	int i;

	lines(a, &na);
	lines(b, &nb);
	for (i = 0; i < 20; i++) {
		t0 = now();
		t = cfg_tree_parse(CFG_PLAT_IOS, a->s, a->len, err, sizeof(err));
		if (now() - t0 < bestp)
			bestp = now() - t0;
		cfg_tree_free(t);
		free(out);
		out = NULL;
		t0 = now();
		if (cfg_diff(CFG_PLAT_IOS, a->s, a->len, b->s, b->len, "a", "b",
		    &out, &outlen, &st, err, sizeof(err)) == -1) {
			fprintf(stderr, "%s\n", err);
			exit(1);
		}
		if (now() - t0 < best)
			best = now() - t0;
	}
	printf("%s: %zu/%zu lines: parse %.2f ms, diff (both parses, output) "
	    "%.2f ms, +%u -%u, %u blocks\n", what, na, nb, bestp, best,
	    st.added, st.removed, st.blocks_changed);
	if (getenv("SHOW"))
		fputs(out, stdout);
	free(out);
}

static int rows;

static void
count(void *arg, const struct cfg_policy_result *r)
{
	(void)arg;
	(void)r;
	rows++;
}

static void
policy(const struct sb *a)
{
	const char *pf = getenv("POLICY");
	char conf[] = "/tmp/cfgdiffbench-XXXXXX", err[4096], def[4096];
	static const unsigned char key[32] = {1};
	struct cfg_rules *rs = cfg_rules_new();
	struct cfg_policy *p;
	struct cfg_tree *t;
	struct config *c;
	double t0, best = 1e9;
	FILE *f;
	int fd;

	if (pf == NULL) {
		if (realpath("../etc/policies/ios-security.conf", def) == NULL)
			return;
		pf = def;
	}
	if ((fd = mkstemp(conf)) == -1 || (f = fdopen(fd, "w")) == NULL)
		return;
	fprintf(f, "include \"%s\"\n", pf);
	fclose(f);
	c = conf_parse(conf, NULL, err, sizeof(err));
	unlink(conf);
	if (c == NULL || (p = cfg_policy_compile(TAILQ_FIRST(&c->policies),
	    err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	t = cfg_tree_parse(CFG_PLAT_IOS, a->s, a->len, err, sizeof(err));
	for (int i = 0; i < 20; i++) {
		rows = 0;
		t0 = now();
		cfg_policy_eval(p, t, rs, key, sizeof(key), count, NULL);
		if (now() - t0 < best)
			best = now() - t0;
	}
	printf("policy %s on the 10k-line config: %d rules in %.2f ms\n",
	    TAILQ_FIRST(&c->policies)->name, rows, best);
	cfg_tree_free(t);
	cfg_policy_free(p);
	conf_free(c);
	cfg_rules_free(rs);
}

static void
save(const char *dir, const char *name, const struct sb *b)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fwrite(b->s, 1, b->len, f);
	fclose(f);
}

int
main(int argc, char **argv)
{
	struct sb a = {0}, b = {0}, c = {0}, d = {0};

	gen(&a, 0);
	gen(&b, 1);
	genacl(&c, 0);
	genacl(&d, 1);
	run("10k-line config", &a, &b);
	run("10k-line numbered ACL", &c, &d);
	policy(&a);
	if (argc > 1) {
		save(argv[1], "bench-a.cfg", &a);
		save(argv[1], "bench-b.cfg", &b);
	}
	return 0;
}
