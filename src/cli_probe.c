/*
 * cli_probe.c - netpatrol probes: each probe's last step, from the store.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "event.h"

static void
probe_jreal(struct jbuf *j, const char *k, double v)
{
	json_key(j, k);
	if (isnan(v))
		json_null(j);
	else
		json_real(j, v);
}

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
	char t[40], loss[16], mn[24], md[24], mx[24], jt[24];

	if (c->json) {
		json_obj_open(&c->j);
		json_kstr(&c->j, "name", x->name);
		json_kstr(&c->j, "device", x->device);
		json_kstr(&c->j, "kind", x->kind);
		json_kstr(&c->j, "target", x->target);
		probe_jreal(&c->j, "loss_pct", x->loss_pct);
		probe_jreal(&c->j, "rtt_min_ms", x->rtt_min);
		probe_jreal(&c->j, "rtt_median_ms", x->rtt_median);
		probe_jreal(&c->j, "rtt_avg_ms", x->rtt_avg);
		probe_jreal(&c->j, "rtt_max_ms", x->rtt_max);
		probe_jreal(&c->j, "jitter_ms", x->jitter);
		json_kint(&c->j, "sent", x->count);
		json_kint(&c->j, "received", x->received);
		json_kstr(&c->j, "state", x->state);
		json_key(&c->j, "updated");
		if (x->updated > 0)
			json_str(&c->j,
			    event_time_rfc3339(x->updated, t, sizeof(t)));
		else
			json_null(&c->j);
		json_kstr(&c->j, "rrd", x->rrd);
		json_obj_close(&c->j);
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
