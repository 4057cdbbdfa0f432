/*
 * test_probe.c - a probe step's summary (SmokePing's sorted pings, upper
 * median, loss, jitter), and probe blocks in the configuration, good and
 * hostile.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "probe/probe.h"
#include "probe/probe_stats.h"
#include "tap.h"

#define L (-1.0) /* lost */

static const struct {
	const char *what;
	int count;
	double rtt[NP_PROBE_PINGS];
	int received;
	double loss, min, median, avg, max, jitter;
	double pings[NP_PROBE_PINGS]; /* seconds; NaN written as -1 */
} steps[] = {
    {"all back", 5, {3, 1, 2, 5, 4}, 5, 0, 1, 3, 3, 5, (2 + 1 + 3 + 1) / 4.0,
        {.001, .002, .003, .004, .005}},
    {"even count: the upper median", 4, {10, 40, 20, 30}, 4, 0, 10, 30, 25,
        40, (30 + 20 + 10) / 3.0, {.01, .02, .03, .04}},
    {"two lost: one unknown before, one after", 5, {L, 2, L, 4, 3}, 3, 40,
        2, 3, 3, 4, (2 + 1) / 2.0, {-1, .002, .003, .004, -1}},
    {"three lost of four", 4, {L, 7, L, L}, 1, 75, 7, 7, 7, 7, NAN,
        {-1, .007, -1, -1}},
    {"nothing back", 3, {L, L, L}, 0, 100, NAN, NAN, NAN, NAN, NAN,
        {-1, -1, -1}},
    {"NaN and infinity are lost", 3, {NAN, INFINITY, 9}, 1,
        100.0 * 2 / 3, 9, 9, 9, 9, NAN, {-1, .009, -1}},
    {"one try", 1, {0.5}, 1, 0, 0.5, 0.5, 0.5, 0.5, NAN, {.0005}},
};

static int
same(double a, double b)
{
	return (isnan(a) && isnan(b)) || fabs(a - b) < 1e-9;
}

static void
test_summarise(void)
{
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct probe_result r;
		int pok = 1;

		probe_summarise(steps[i].rtt, steps[i].count, &r);
		TAP_OK(r.received == steps[i].received, "%s: received",
		    steps[i].what);
		TAP_OK(same(r.loss_pct, steps[i].loss), "%s: loss %g",
		    steps[i].what, r.loss_pct);
		TAP_OK(same(r.min, steps[i].min) && same(r.max, steps[i].max),
		    "%s: min and max", steps[i].what);
		TAP_OK(same(r.median, steps[i].median), "%s: median %g",
		    steps[i].what, r.median);
		TAP_OK(same(r.avg, steps[i].avg), "%s: average",
		    steps[i].what);
		TAP_OK(same(r.jitter, steps[i].jitter), "%s: jitter %g",
		    steps[i].what, r.jitter);
		for (int k = 0; k < steps[i].count; k++)
			if (!same(r.pings[k], steps[i].pings[k] < 0
			            ? NAN
			            : steps[i].pings[k]))
				pok = 0;
		TAP_OK(pok, "%s: SmokePing's ping slots", steps[i].what);
	}
	/* bounded: a count past the slots is cut, never read past */
	{
		double many[NP_PROBE_PINGS];
		struct probe_result r;

		for (int k = 0; k < NP_PROBE_PINGS; k++)
			many[k] = k;
		probe_summarise(many, 1000, &r);
		TAP_OK(r.count == NP_PROBE_PINGS && r.received == NP_PROBE_PINGS,
		    "a count of 1000 is cut to %d", NP_PROBE_PINGS);
		probe_summarise(many, -5, &r);
		TAP_OK(r.count == 0 && r.loss_pct == 100, "a negative count");
	}
}

static const struct sample_schema *
schema_ok(int n)
{
	return probe_schema(n);
}

static void
test_schema(void)
{
	const struct sample_schema *s = schema_ok(3);

	TAP_OK(s && s->n == 6, "3 pings: 6 data sources");
	TAP_STREQ(s ? s->metric[0] : "", "uptime", "uptime first");
	TAP_STREQ(s ? s->metric[1] : "", "loss", "then loss");
	TAP_STREQ(s ? s->metric[2] : "", "median", "then median");
	TAP_STREQ(s ? s->metric[5] : "", "ping3", "then ping1..pingN");
	TAP_OK(schema_ok(NP_PROBE_PINGS)->n == NP_PROBE_PINGS + 3 &&
	        NP_PROBE_PINGS + 3 <= SAMPLE_MAX,
	    "the most pings fit a sample set");
	TAP_OK(schema_ok(0) == NULL && schema_ok(NP_PROBE_PINGS + 1) == NULL,
	    "no schema past the bounds");
}

static struct config *
parse(const char *text, char *err, size_t errlen)
{
	char path[] = "/tmp/test_probe.XXXXXX";
	int fd = mkstemp(path);
	struct config *c;

	if (fd == -1)
		return NULL;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	err[0] = '\0';
	c = conf_parse(path, NULL, err, errlen);
	unlink(path);
	return c;
}

static void
test_conf_good(void)
{
	char err[4096];
	struct config *c = parse(
	    "probe \"gw\" {\n"
	    "  icmp 192.0.2.1 count 5 interval 30s size 100 source 192.0.2.9\n"
	    "  loss 30\n  latency 150ms\n  baseline 2.5\n  down-after 3\n"
	    "  timeout 500\n"
	    "}\n"
	    "probe \"web\" { tcp 2001:db8::1 port 443 }\n"
	    "template \"t\" {\n  probe \"ping\" {\n    icmp count 4\n  }\n}\n"
	    "device \"r1\" {\n  address 192.0.2.2\n  use \"t\"\n"
	    "  probe \"own\" { tcp port 22 }\n}\n",
	    err, sizeof(err));
	const struct probe_conf *p;
	int n = 0, seen = 0;

	TAP_OK(c != NULL, "probes parse: %s", err);
	if (c == NULL)
		return;
	TAP_OK(c->nprobes == 4, "four probes to run (%d)", c->nprobes);
	TAILQ_FOREACH(p, &c->probes, entry) {
		n++;
		if (strcmp(p->name, "gw") == 0) {
			seen++;
			TAP_OK(p->kind == PROBE_ICMP && p->count == 5 &&
			        p->interval == 30 && p->size == 100 &&
			        strcmp(p->source, "192.0.2.9") == 0,
			    "gw: icmp, count, interval, size, source");
			TAP_OK(p->loss_pct == 30 && p->latency_ms == 150 &&
			        p->baseline == 2.5 && p->down_after == 3 &&
			        p->timeout_ms == 500,
			    "gw: loss, latency, baseline, down-after, timeout");
		} else if (strcmp(p->name, "web") == 0) {
			seen++;
			TAP_OK(p->kind == PROBE_TCP && p->port == 443 &&
			        p->count == 3 && p->interval == 60 &&
			        p->timeout_ms == 2000,
			    "web: tcp defaults");
		} else if (strcmp(p->name, "ping") == 0 && p->device[0]) {
			seen++;
			TAP_OK(strcmp(p->device, "r1") == 0 && p->count == 4 &&
			        p->address[0] == '\0',
			    "the template's probe is r1's, at r1's address");
		} else if (strcmp(p->name, "own") == 0)
			seen++;
	}
	TAP_OK(n == 5 && seen == 4, "the template's own copy and four more");
	TAP_OK(probe_check_conf(c, err, sizeof(err)) == 0, "usable: %s", err);
	conf_free(c);

	c = parse("device \"h\" {\n address \"host.example\"\n"
	          " probe \"p\" { icmp }\n}\n",
	    err, sizeof(err));
	TAP_OK(c != NULL, "a device by name with a probe parses");
	TAP_OK(c && probe_check_conf(c, err, sizeof(err)) == -1 &&
	        strstr(err, "not an IP address") != NULL,
	    "but the probe needs an address: %s", err);
	conf_free(c);
}

static const struct {
	const char *text, *want;
} bad[] = {
    {"probe \"x\" {\n tcp 192.0.2.1\n}\n", "needs a port"},
    {"probe \"x\" {\n icmp\n}\n", "standalone probe needs an address"},
    {"probe \"x\" {\n icmp host.example\n}\n", "invalid probe address"},
    {"probe \"x\" {\n udp 192.0.2.1\n}\n", "unknown probe kind"},
    {"probe \"x\" {\n loss 10\n}\n", "has no icmp or tcp line"},
    {"probe \"x\" {\n icmp 192.0.2.1\n icmp 192.0.2.2\n}\n",
        "one icmp or tcp line"},
    {"probe \"x\" {\n icmp 192.0.2.1 count 14\n}\n",
        "count must be between 1 and 13"},
    {"probe \"x\" {\n icmp 192.0.2.1 count 0\n}\n", "count must be"},
    {"probe \"x\" {\n icmp 192.0.2.1 count 2.5\n}\n", "whole number"},
    {"probe \"x\" {\n icmp 192.0.2.1 interval 0\n}\n", "interval must be"},
    {"probe \"x\" {\n icmp 192.0.2.1 interval 2 timeout 5s\n}\n",
        "at most half the interval"},
    {"probe \"x\" {\n icmp 192.0.2.1 size 70000\n}\n", "size must be"},
    {"probe \"x\" {\n icmp 192.0.2.1 source nowhere\n}\n",
        "invalid source address"},
    {"probe \"x\" {\n tcp 192.0.2.1 port 0\n}\n", "port must be"},
    {"probe \"x\" {\n tcp 192.0.2.1 port 80 size 10\n}\n",
        "for icmp probes"},
    {"probe \"x\" {\n icmp 192.0.2.1\n loss 0\n}\n", "loss must be"},
    {"probe \"x\" {\n icmp 192.0.2.1\n baseline 0.5\n}\n", "baseline"},
    {"probe \"x\" {\n icmp 192.0.2.1\n down-after 0\n}\n",
        "down-after must be"},
    {"probe \"x\" {\n icmp 192.0.2.1\n latency fast\n}\n",
        "invalid duration"},
    {"probe \"a b\" {\n icmp 192.0.2.1\n}\n", "invalid probe name"},
    {"probe \"\" {\n icmp 192.0.2.1\n}\n", "invalid probe name"},
    {"probe \"x\" {\n icmp 192.0.2.1\n}\nprobe \"x\" {\n icmp 192.0.2.2\n}\n",
        "defined twice"},
    {"probe \"x\" {\n icmp 192.0.2.1\n", "syntax error"},
    {"probe \"x\" {\n icmp 192.0.2.1 count\n}\n", "syntax error"},
    {"probe {\n icmp 192.0.2.1\n}\n", "syntax error"},
    {"template \"t\" {\n probe \"p\" { icmp }\n}\n"
     "device \"d\" {\n address 192.0.2.1\n use \"t\"\n use \"t\"\n}\n",
        "defined twice"},
};

static void
test_conf_bad(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[4096];
		struct config *c = parse(bad[i].text, err, sizeof(err));

		TAP_OK(c == NULL && strstr(err, bad[i].want) != NULL,
		    "refused: %s (%s)", bad[i].want, err);
		conf_free(c);
	}
	/* hostile: a huge name, many probes, junk */
	{
		size_t n = 200000;
		char *big = malloc(n + 64), err[4096];
		struct config *c;

		if (big == NULL)
			return;
		memcpy(big, "probe \"", 7);
		memset(big + 7, 'a', n);
		memcpy(big + 7 + n, "\" {\n icmp 192.0.2.1\n}\n", 23);
		c = parse(big, err, sizeof(err));
		TAP_OK(c == NULL && err[0], "a 200 KB name: an error, no crash");
		conf_free(c);
		for (size_t k = 0; k < n; k++)
			big[k] = (char)("{}\"\n probe icmp 1.2.3.4 count"[k % 29]);
		big[n] = '\0';
		c = parse(big, err, sizeof(err));
		TAP_OK(c == NULL && err[0], "200 KB of probe-ish junk: errors");
		conf_free(c);
		free(big);
	}
}

int
main(void)
{
	test_summarise();
	test_schema();
	test_conf_good();
	test_conf_bad();
	return tap_done();
}
