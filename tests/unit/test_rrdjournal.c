/*
 * test_rrdjournal.c - the RRD writer's journal: lines written, read back
 * in order; lines cut short, too long or not journal lines counted and
 * skipped; a rewrite keeps only what it is given; truncation empties it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rrdjournal.h"
#include "tap.h"

struct got {
	int n;
	char values[8][64];
	char path[8][128];
};

static void
collect(void *arg, const char *values, const char *path, double t)
{
	struct got *g = arg;

	(void)t;
	if (g->n < 8) {
		snprintf(g->values[g->n], 64, "%s", values);
		snprintf(g->path[g->n], 128, "%s", path);
	}
	g->n++;
}

int
main(void)
{
	char dir[] = "/tmp/test_rrdjournal.XXXXXX", path[256], err[256];
	struct rrdjournal j;
	struct got g;
	uint64_t bad = 0;
	char line[64], *v, *p;
	double t;
	FILE *f;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/rrd.journal", dir);
	TAP_OK(rj_open(&j, path, err, sizeof(err)) == 0, "open (%s)", err);
	TAP_OK(rj_add(&j, "100.000:1:U", "/r/a b.rrd") == 0, "add a line");
	TAP_OK(rj_add(&j, "101.500:2:3", "/r/b.rrd") == 0, "add another");
	TAP_OK(rj_add(&j, "1 2", "/r/c.rrd") == -1, "values with a space: no");
	TAP_OK(rj_add(&j, "1:2", "/r/\nc.rrd") == -1, "a path with a newline: no");
	TAP_OK(rj_write(&j, 0) == 0 && j.size == 44, "written (%llu bytes)",
	    (unsigned long long)j.size);
	/* what a crash leaves: a line cut short, and garbage */
	f = fopen(path, "a");
	fputs("garbage\n-1:2 /r/x.rrd\n102.000:4", f);
	fclose(f);
	memset(&g, 0, sizeof(g));
	TAP_OK(rj_replay(&j, collect, &g, &bad) == 0, "read back");
	TAP_OK(g.n == 2 && bad == 3, "2 lines, 3 bad (%d, %llu)", g.n,
	    (unsigned long long)bad);
	TAP_STREQ(g.values[0], "100.000:1:U", "first values");
	TAP_STREQ(g.path[0], "/r/a b.rrd", "first path, with its space");
	TAP_STREQ(g.path[1], "/r/b.rrd", "second path");

	TAP_OK(rj_rewrite_begin(&j) == 0, "rewrite");
	rj_add(&j, "103.000:5", "/r/b.rrd");
	TAP_OK(rj_rewrite_end(&j) == 0, "rewritten");
	memset(&g, 0, sizeof(g));
	bad = 0;
	rj_replay(&j, collect, &g, &bad);
	TAP_OK(g.n == 1 && bad == 0, "only what the rewrite was given");
	TAP_STREQ(g.values[0], "103.000:5", "its values");
	rj_add(&j, "104.000:6", "/r/b.rrd");
	rj_write(&j, 0);
	memset(&g, 0, sizeof(g));
	rj_replay(&j, collect, &g, &bad);
	TAP_OK(g.n == 2, "appended after the rewrite");
	TAP_OK(rj_truncate(&j) == 0 && j.size == 0, "truncated");
	memset(&g, 0, sizeof(g));
	rj_replay(&j, collect, &g, &bad);
	TAP_OK(g.n == 0, "nothing after truncation");

	snprintf(line, sizeof(line), "1765000000.25:1:U /x.rrd");
	TAP_OK(rj_parse(line, strlen(line), &v, &p, &t) == 0 &&
	        t == 1765000000.25 && strcmp(p, "/x.rrd") == 0,
	    "parse: time, values, path");
	snprintf(line, sizeof(line), "U:1 /x.rrd");
	TAP_OK(rj_parse(line, strlen(line), &v, &p, &t) == -1,
	    "parse: no time, refused");
	snprintf(line, sizeof(line), "100:1 ");
	TAP_OK(rj_parse(line, strlen(line), &v, &p, &t) == -1,
	    "parse: no path, refused");
	rj_close(&j);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
