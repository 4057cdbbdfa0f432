/*
 * cli_probe.c - netpatrol probes: each probe's last step, from the store.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "event.h"
#include "recjson.h"

static void
probe_ms(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.3f", v);
}

static int
row_probe(void *arg, const struct store_probe *x)
{
	struct cli *c = arg;
	char loss[16], mn[24], md[24], mx[24], jt[24];

	if (c->json) {
		recjson_probe(&c->j, x);
		return 0;
	}
	if (c->first) {
		printf("%-24s %-12s %-4s %-28s %6s %9s %9s %9s %9s %-8s\n",
		    "PROBE", "DEVICE", "KIND", "TARGET", "LOSS%", "MIN", "MEDIAN",
		    "MAX", "JITTER", "STATE");
		c->first = 0;
	}
	if (isnan(x->loss_pct))
		snprintf(loss, sizeof(loss), "-");
	else
		snprintf(loss, sizeof(loss), "%.0f", x->loss_pct);
	probe_ms(mn, sizeof(mn), x->rtt_min);
	probe_ms(md, sizeof(md), x->rtt_median);
	probe_ms(mx, sizeof(mx), x->rtt_max);
	probe_ms(jt, sizeof(jt), x->jitter);
	printf("%-24s %-12s %-4s %-28s %6s %9s %9s %9s %9s %-8s\n", x->name,
	    x->device[0] ? x->device : "-", x->kind, x->target, loss, mn, md,
	    mx, jt, x->state);
	return 0;
}

int
cmd_probes(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		usage();
	if (cli_open_store(c) == -1)
		return 1;
	if (store_get_probes(c->store, row_probe, c) == -1)
		return 1;
	if (c->first && !c->json)
		printf("no probes\n");
	return 0;
}
