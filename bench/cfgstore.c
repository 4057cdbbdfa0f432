/*
 * cfgstore.c - the configuration archive's store at scale: N devices, V
 * daily versions each, C% of each configuration's lines changed a day,
 * written the way netpatrold writes them (a line delta against the
 * version before, a whole text every STORE_CFG_DEPTH, deflated, through
 * the store's writer thread), with the same versions written as files in
 * a git repository beside it (-g: what Oxidized's git output keeps).
 * Prints the store's size, git's, and their ratio, and rebuilds a sample
 * of versions to check they come back byte-exact.
 *
 * usage: cfgstore [-n devices] [-v versions] [-l lines] [-c percent]
 *                 [-g] -d dir
 */
#include <sys/stat.h>
#include <sys/time.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cfgdelta.h"
#include "store.h"

static double
now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void
sha(const char *p, size_t n, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

static unsigned long long
du(const char *path)
{
	char cmd[1200];
	unsigned long long k = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "du -sk '%s'", path);
	if ((f = popen(cmd, "r")) != NULL) {
		if (fscanf(f, "%llu", &k) != 1)
			k = 0;
		pclose(f);
	}
	return k * 1024;
}

#define LINE 96

int
main(int argc, char **argv)
{
	int ndev = 1000, nver = 365, nlines = 1000, git = 0, o;
	double pct = 1.0, t0, t1;
	const char *dir = NULL;
	char path[1024], err[256], cmd[1400];
	char (*lines)[LINE];
	char **prev;
	size_t *prevlen;
	int *depth;
	char (*prevhash)[65];
	struct store *s;
	unsigned long long raw = 0;
	unsigned seed = 12345;

	while ((o = getopt(argc, argv, "n:v:l:c:gd:")) != -1)
		switch (o) {
		case 'n': ndev = atoi(optarg); break;
		case 'v': nver = atoi(optarg); break;
		case 'l': nlines = atoi(optarg); break;
		case 'c': pct = atof(optarg); break;
		case 'g': git = 1; break;
		case 'd': dir = optarg; break;
		default: goto usage;
		}
	if (dir == NULL || ndev < 1 || nver < 1 || nlines < 10) {
usage:
		fprintf(stderr, "usage: cfgstore [-n devices] [-v versions] "
		    "[-l lines] [-c percent] [-g] -d dir\n");
		return 2;
	}
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/netpatrol.db", dir);
	if ((s = store_open(path, 0, err, sizeof(err))) == NULL ||
	    store_writer_start(s, 1000, 100000) == -1) {
		fprintf(stderr, "cfgstore: %s\n", err);
		return 1;
	}
	if (git) {
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s/git' && cd '%s/git' && "
		    "git init -q . && git config user.email b@x && "
		    "git config user.name bench", dir, dir);
		if (system(cmd) != 0)
			return 1;
	}
	lines = calloc((size_t)ndev * (size_t)nlines, LINE);
	prev = calloc((size_t)ndev, sizeof(*prev));
	prevlen = calloc((size_t)ndev, sizeof(*prevlen));
	depth = calloc((size_t)ndev, sizeof(*depth));
	prevhash = calloc((size_t)ndev, sizeof(*prevhash));
	/* a switch's configuration: interface blocks, ACL lines, the rest */
	for (int d = 0; d < ndev; d++)
		for (int l = 0; l < nlines; l++) {
			char *ln = lines[(size_t)d * nlines + l];

			switch (l % 5) {
			case 0: snprintf(ln, LINE, "interface GigabitEthernet1/0/%d", l / 5); break;
			case 1: snprintf(ln, LINE, " description access port %d of sw%d", l / 5, d); break;
			case 2: snprintf(ln, LINE, " switchport access vlan %d", 100 + l % 37); break;
			case 3: snprintf(ln, LINE, " spanning-tree portfast"); break;
			default: snprintf(ln, LINE, "!"); break;
			}
		}
	t0 = now();
	for (int v = 1; v <= nver; v++) {
		for (int d = 0; d < ndev; d++) {
			struct store_cfgversion rec;
			size_t len = 0, dl = 0, zl = 0;
			char *text = malloc((size_t)nlines * LINE), *delta = NULL;
			void *z = NULL;
			int changes = v == 1 ? 0 : (int)(nlines * pct / 100.0);

			for (int c = 0; c < changes; c++) {
				int l = (int)(rand_r(&seed) % (unsigned)(nlines / 5)) * 5 + 1;

				snprintf(lines[(size_t)d * nlines + l], LINE,
				    " description port changed on day %d #%u", v,
				    rand_r(&seed) % 1000);
			}
			for (int l = 0; l < nlines; l++)
				len += (size_t)sprintf(text + len, "%s\n",
				    lines[(size_t)d * nlines + l]);
			raw += len;
			memset(&rec, 0, sizeof(rec));
			snprintf(rec.device, sizeof(rec.device), "sw%d", d);
			rec.version = v;
			rec.time = 1700000000.0 + v * 86400.0;
			sha(text, len, rec.hash);
			memcpy(rec.compare_hash, rec.hash, sizeof(rec.hash));
			rec.size = (int64_t)len;
			rec.lines = nlines;
			snprintf(rec.trigger, sizeof(rec.trigger), "schedule");
			if (prev[d] && depth[d] < STORE_CFG_DEPTH &&
			    cfg_delta_make(prev[d], prevlen[d], text, len, &delta,
			    &dl) == 0 && dl < len / 2) {
				memcpy(rec.base, prevhash[d], 65);
				rec.depth = depth[d] + 1;
				cfg_zip(delta, dl, &z, &zl);
			} else {
				rec.depth = 0;
				cfg_zip(text, len, &z, &zl);
			}
			rec.datalen = zl;
			rec.keep_count = 1000;
			while (store_put_cfgversion(s, &rec, z) == -1)
				usleep(1000); /* the writer's queue is full */
			free(z);
			free(delta);
			free(prev[d]);
			prev[d] = text;
			prevlen[d] = len;
			depth[d] = rec.depth;
			memcpy(prevhash[d], rec.hash, 65);
			if (git) {
				FILE *f;

				snprintf(path, sizeof(path), "%s/git/sw%d.cfg",
				    dir, d);
				if ((f = fopen(path, "w")) != NULL) {
					fwrite(text, 1, len, f);
					fclose(f);
				}
			}
		}
		if (git) {
			snprintf(cmd, sizeof(cmd), "cd '%s/git' && git add -A && "
			    "git commit -q -m 'day %d'", dir, v);
			if (system(cmd) != 0)
				return 1;
		}
		if (v % 50 == 0)
			fprintf(stderr, "cfgstore: day %d of %d, %.0f s\n", v,
			    nver, now() - t0);
	}
	store_writer_stop(s);
	t1 = now();
	{
		/* a sample rebuilt: the newest of the last device */
		char *text;
		size_t len;
		int64_t bytes, blobs;

		if (store_cfg_text(s, prevhash[ndev - 1], 1u << 30, &text, &len,
		    err, sizeof(err)) == -1 || len != prevlen[ndev - 1] ||
		    memcmp(text, prev[ndev - 1], len) != 0) {
			fprintf(stderr, "cfgstore: version not rebuilt: %s\n",
			    err);
			return 1;
		}
		free(text);
		store_cfg_usage(s, &bytes, &blobs);
		store_close(s);
		snprintf(path, sizeof(path), "%s/netpatrol.db", dir);
		printf("devices %d, versions %d, lines %d, change %.2f%%/day\n",
		    ndev, nver, nlines, pct);
		printf("raw text:          %12llu bytes\n", raw);
		printf("blobs (deflated):  %12lld bytes in %lld blobs\n",
		    (long long)bytes, (long long)blobs);
		printf("netpatrol store:   %12llu bytes on disk (%.1f bytes/version, "
		    "1:%.0f of the raw text)\n", du(path),
		    (double)du(path) / ((double)ndev * nver),
		    (double)raw / (double)du(path));
		printf("write: %.1f s, %.0f versions/s\n", t1 - t0,
		    (double)ndev * nver / (t1 - t0));
	}
	if (git) {
		unsigned long long before, after;

		snprintf(path, sizeof(path), "%s/git/.git", dir);
		before = du(path);
		snprintf(cmd, sizeof(cmd), "cd '%s/git' && git gc -q", dir);
		if (system(cmd) != 0)
			return 1;
		after = du(path);
		snprintf(path, sizeof(path), "%s/netpatrol.db", dir);
		printf("git (Oxidized's): %12llu bytes loose, %llu after git gc; "
		    "netpatrol/git-gc = %.2f\n", before, after,
		    (double)du(path) / (double)after);
	}
	return 0;
}
