/*
 * kpi.c - the KPIs of a period (kpi.h, where the formulas are).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"

enum kpi_down
kpi_down_kind(const char *kind)
{
	if (strcmp(kind, "device.unreachable") == 0 ||
	    strcmp(kind, "probe.down") == 0)
		return KPI_DEVICE;
	if (strcmp(kind, "port.down") == 0)
		return KPI_PORT;
	return KPI_NONE;
}

struct kpi_span {
	const char *dev, *obj; /* obj NULL: the device */
	double a, b;
};

static int
kpi_span_cmp(const void *x, const void *y)
{
	const struct kpi_span *p = x, *q = y;
	int c = strcmp(p->dev, q->dev);

	if (c == 0)
		c = strcmp(p->obj ? p->obj : "", q->obj ? q->obj : "");
	if (c == 0)
		c = (p->a > q->a) - (p->a < q->a);
	return c;
}

/* The length of the union of the spans, per device (and object). */
static double
kpi_union(struct kpi_span *s, size_t n)
{
	double total = 0, a = 0, b = 0;
	size_t i;

	if (n == 0)
		return 0;
	qsort(s, n, sizeof(*s), kpi_span_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(s[i].dev, s[i - 1].dev) == 0 &&
		    strcmp(s[i].obj ? s[i].obj : "",
		        s[i - 1].obj ? s[i - 1].obj : "") == 0 &&
		    s[i].a <= b) {
			if (s[i].b > b)
				b = s[i].b;
			continue;
		}
		if (i > 0)
			total += b - a;
		a = s[i].a;
		b = s[i].b;
	}
	if (n > 0)
		total += b - a;
	return total;
}

static double
kpi_rate(double num, double den)
{
	return den > 0 ? num / den : NAN;
}

static void
kpi_target(struct kpi *k, double v, double target, int at_least)
{
	if (isnan(v))
		return;
	k->targets_evaluated++;
	if (at_least ? v * 100 >= target - 1e-9 : v * 100 <= target + 1e-9)
		k->targets_met++;
}

void
kpi_compute(const struct kpi_input *in, struct kpi *k)
{
	struct kpi_span *dev = NULL, *port = NULL;
	size_t nd = 0, np = 0, i;
	double ack_sum = 0, res_sum = 0, len = in->until - in->since;
	int nack = 0;

	memset(k, 0, sizeof(*k));
	k->since = in->since;
	k->until = in->until;
	k->targets = in->targets;
	k->runs_planned = in->runs_planned;
	k->runs_done = in->runs_done;
	k->runs_missed = in->runs_planned - in->runs_done;
	k->plan_execution_rate = kpi_rate(in->runs_done, in->runs_planned);
	k->check_coverage_rate = kpi_rate(in->checks_done, in->checks_planned);
	k->devices = in->devices;
	k->ports = in->ports;
	if (in->nf > 0) {
		dev = calloc(in->nf, sizeof(*dev));
		port = calloc(in->nf, sizeof(*port));
	}
	for (i = 0; i < in->nf; i++) {
		const struct kpi_finding *f = &in->f[i];
		double a, b;

		if (f->opened >= in->since && f->opened < in->until) {
			k->findings_discovered++;
			if (f->severity >= 0 && f->severity < 5)
				k->by_severity[f->severity]++;
		}
		if (f->acknowledged >= in->since &&
		    f->acknowledged < in->until && f->acknowledged > 0) {
			ack_sum += f->acknowledged - f->opened;
			nack++;
		}
		if (f->resolved >= in->since && f->resolved < in->until &&
		    f->resolved > 0) {
			k->findings_resolved++;
			res_sum += f->resolved - f->opened;
			if (f->resolve_by <= 0 || f->resolved <= f->resolve_by)
				k->resolved_in_time++;
		}
		if ((f->resolved <= 0 || f->resolved >= in->until) &&
		    f->opened < in->until && f->resolve_by > 0 &&
		    f->resolve_by < in->until)
			k->overdue_open++;
		if (f->down == KPI_NONE || dev == NULL || port == NULL)
			continue;
		a = f->opened > in->since ? f->opened : in->since;
		b = f->resolved > 0 && f->resolved < in->until ? f->resolved
		                                               : in->until;
		if (b <= a)
			continue;
		if (f->down == KPI_DEVICE)
			dev[nd++] = (struct kpi_span){f->device, NULL, a, b};
		else
			port[np++] = (struct kpi_span){
			    f->device, f->object ? f->object : "", a, b};
	}
	k->device_down_seconds = kpi_union(dev, nd);
	k->port_down_seconds = kpi_union(port, np);
	free(dev);
	free(port);
	k->timeliness_rate =
	    kpi_rate(k->resolved_in_time, k->findings_resolved);
	k->device_failure_rate =
	    kpi_rate(k->device_down_seconds, (double)in->devices * len);
	k->port_failure_rate =
	    kpi_rate(k->port_down_seconds, (double)in->ports * len);
	k->failure_rate =
	    kpi_rate(k->device_down_seconds + k->port_down_seconds,
	        (double)(in->devices + in->ports) * len);
	k->mtta_seconds = nack > 0 ? ack_sum / nack : NAN;
	k->mttr_seconds =
	    k->findings_resolved > 0 ? res_sum / k->findings_resolved : NAN;
	kpi_target(k, k->plan_execution_rate, in->targets.plan_execution, 1);
	kpi_target(k, k->timeliness_rate, in->targets.timeliness, 1);
	kpi_target(k, k->failure_rate, in->targets.failure, 0);
	k->score = k->targets_evaluated > 0
	    ? 100.0 * k->targets_met / k->targets_evaluated
	    : NAN;
}
