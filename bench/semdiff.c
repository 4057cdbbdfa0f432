/*
 * semdiff.c - time the semantic diff and lint (src/config/semdiff.c):
 * a generated IOS configuration of about 10,000 lines with 50 extended
 * ACLs of 200 entries each, bound on 50 interfaces, against a copy with
 * three ACLs changed; then every configuration of the shared corpus
 * (linted) and its version pairs (diffed), if the directory is given.
 *
 *   semdiff [-n runs] [corpus/configs]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/semdiff.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static size_t
gen(char *b, size_t cap, int variant)
{
	size_t n = 0;
	unsigned seed = 12345;

#define OUT(...) n += (size_t)snprintf(b + n, cap - n, __VA_ARGS__)
	OUT("hostname bench\n!\n");
	for (int a = 0; a < 50; a++) {
		OUT("ip access-list extended ACL%d\n", a);
		for (int e = 0; e < 200; e++) {
			unsigned r;

			seed = seed * 1103515245u + 12345u;
			r = seed >> 8;
			if (variant && a % 17 == 0 && e == 100)
				OUT(" permit tcp 10.%u.0.0 0.0.255.255 any eq "
				    "8443\n", a);
			OUT(" %s %s 10.%u.%u.0 0.0.0.255 host 192.0.%u.%u eq "
			    "%u\n", (r & 7) == 0 ? "deny" : "permit",
			    (r & 1) ? "tcp" : "udp", a, e, r % 256,
			    (r >> 8) % 256, 1 + (r >> 16) % 1024);
		}
		OUT(" deny ip any any\n");
	}
	for (int i = 0; i < 50; i++)
		OUT("interface GigabitEthernet0/%d\n description port %d\n"
		    " ip address 172.16.%d.1 255.255.255.0\n"
		    " ip access-group ACL%d in\n%s!\n", i, i, i, i,
		    variant && i == 7 ? " shutdown\n" : "");
	return n;
#undef OUT
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n < 0 || (b = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	*len = fread(b, 1, (size_t)n, f);
	fclose(f);
	return b;
}

static int
count_lines(const char *t, size_t n)
{
	int l = 0;

	for (size_t i = 0; i < n; i++)
		l += t[i] == '\n';
	return l;
}

int
main(int argc, char **argv)
{
	size_t cap = 4u << 20, la, lb;
	char *a = malloc(cap), *b = malloc(cap), err[256];
	struct sem_result r;
	int runs = 5, ch;
	double t, best;

	while ((ch = getopt(argc, argv, "n:")) != -1)
		runs = atoi(optarg) > 0 ? atoi(optarg) : 1;
	la = gen(a, cap, 0);
	lb = gen(b, cap, 1);
	printf("generated: %d lines, 50 ACLs x 200 entries\n",
	    count_lines(b, lb));
	best = 1e9;
	for (int i = 0; i < runs; i++) {
		t = now();
		if (sem_diff(CFG_PLAT_IOS, a, la, b, lb, &r, err,
		    sizeof(err)) == -1) {
			fprintf(stderr, "diff: %s\n", err);
			return 1;
		}
		t = now() - t;
		best = t < best ? t : best;
		if (i == runs - 1)
			printf("semantic diff: %.1f ms (best of %d), %zu "
			    "changes\n", best, runs, r.n);
		sem_result_free(&r);
	}
	best = 1e9;
	for (int i = 0; i < runs; i++) {
		t = now();
		if (sem_lint(CFG_PLAT_IOS, b, lb, &r, err, sizeof(err)) == -1)
			return 1;
		t = now() - t;
		best = t < best ? t : best;
		if (i == runs - 1)
			printf("lint: %.1f ms (best of %d), %zu findings\n",
			    best, runs, r.n);
		sem_result_free(&r);
	}
	if (optind < argc) {
		static const char *pairs[][2] = {
		    { "batfish-example-filters/current/rtr-with-acl.cfg",
		      "batfish-example-filters/candidate1/rtr-with-acl.cfg" },
		    { "batfish-example-filters/current/rtr-with-acl.cfg",
		      "batfish-example-filters/candidate2/rtr-with-acl.cfg" },
		    { "batfish-example-filters/current/firewall.cfg",
		      "batfish-example-filters/candidate1/firewall.cfg" },
		    { "batfish-drift/reference/as2dist1.cfg",
		      "batfish-drift/snapshot/as2dist1.cfg" },
		    { "batfish-drift/reference/as2dist2.cfg",
		      "batfish-drift/snapshot/as2dist2.cfg" },
		    { "batfish-drift/reference/as3core1.cfg",
		      "batfish-drift/snapshot/as3core1.cfg" },
		    { "batfish-aristaevpn/DC1-LEAF2A.cfg",
		      "batfish-aristaevpn/DC1-LEAF2B.cfg" },
		};
		static const char *dirs[] = { "batfish-example-filters/current",
		    "batfish-example-filters/candidate1",
		    "batfish-example-filters/candidate2",
		    "batfish-drift/reference", "batfish-drift/snapshot",
		    "batfish-aristaevpn", "ciscoconfparse", "oxidized" };
		double tl = 0, td = 0;
		int nf = 0, nl = 0;
		char p1[2048], p2[2048];

		for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
			DIR *dp;
			struct dirent *de;

			snprintf(p1, sizeof(p1), "%s/%s", argv[optind], dirs[d]);
			if ((dp = opendir(p1)) == NULL)
				continue;
			while ((de = readdir(dp)) != NULL) {
				char *x;
				size_t lx;

				if (de->d_name[0] == '.' ||
				    strstr(de->d_name, ".yaml") ||
				    strstr(de->d_name, ".md"))
					continue;
				snprintf(p2, sizeof(p2), "%s/%s", p1,
				    de->d_name);
				if ((x = slurp(p2, &lx)) == NULL)
					continue;
				t = now();
				if (sem_lint(CFG_PLAT_AUTO, x, lx, &r, err,
				    sizeof(err)) == 0)
					sem_result_free(&r);
				tl += now() - t;
				nf++;
				nl += count_lines(x, lx);
				free(x);
			}
			closedir(dp);
		}
		for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
			char *x, *y;
			size_t lx, ly;

			snprintf(p1, sizeof(p1), "%s/%s", argv[optind],
			    pairs[k][0]);
			snprintf(p2, sizeof(p2), "%s/%s", argv[optind],
			    pairs[k][1]);
			x = slurp(p1, &lx);
			y = slurp(p2, &ly);
			if (x && y) {
				t = now();
				if (sem_diff(CFG_PLAT_AUTO, x, lx, y, ly, &r,
				    err, sizeof(err)) == 0)
					sem_result_free(&r);
				td += now() - t;
			}
			free(x);
			free(y);
		}
		printf("corpus: lint of %d files (%d lines) %.1f ms; semantic "
		    "diff of %zu pairs %.1f ms\n", nf, nl, tl,
		    sizeof(pairs) / sizeof(pairs[0]), td);
	}
	free(a);
	free(b);
	return 0;
}
