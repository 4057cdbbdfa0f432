/*
 * probe_stats.c - a step's tries summarised (probe_stats.h).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "probe_stats.h"

static int
probe_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
probe_median(double *v, int n)
{
	if (n <= 0)
		return NAN;
	qsort(v, (size_t)n, sizeof(*v), probe_cmp);
	return v[n / 2];
}

void
probe_summarise(const double *rtt_ms, int count, struct probe_result *r)
{
	double sorted[NP_PROBE_PINGS], sum = 0, dsum = 0, prev = NAN;
	int n = 0, nd = 0, lost, before;

	if (count < 0)
		count = 0;
	if (count > NP_PROBE_PINGS)
		count = NP_PROBE_PINGS;
	r->count = count;
	for (int i = 0; i < count; i++) {
		double x = rtt_ms[i];

		if (!(x >= 0) || !isfinite(x))
			continue;
		sorted[n++] = x;
		sum += x;
		if (!isnan(prev)) {
			dsum += fabs(x - prev);
			nd++;
		}
		prev = x;
	}
	r->received = n;
	r->loss_pct = count ? 100.0 * (count - n) / count : 100;
	r->jitter = nd ? dsum / nd : NAN;
	r->median = probe_median(sorted, n); /* sorts */
	r->min = n ? sorted[0] : NAN;
	r->max = n ? sorted[n - 1] : NAN;
	r->avg = n ? sum / n : NAN;
	lost = count - n;
	before = lost / 2;
	for (int i = 0; i < NP_PROBE_PINGS; i++)
		r->pings[i] = NAN;
	for (int i = 0; i < n; i++)
		r->pings[before + i] = sorted[i] / 1000.0;
}
