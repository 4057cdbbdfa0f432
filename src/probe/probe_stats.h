/*
 * probe_stats.h - what one step of a probe measured, summarised the way
 * SmokePing does (sorted round-trip times, the upper median, the lost
 * tries as unknown slots split around them), plus min, average, max and
 * jitter. Pure: no I/O, no loop.
 */
#ifndef NP_PROBE_STATS_H
#define NP_PROBE_STATS_H

#include "conf.h"

struct probe_result {
	int count; /* tries */
	int received;
	double loss_pct; /* 100 * lost / count */
	/* milliseconds; NaN when nothing came back */
	double min, median, avg, max;
	/* the mean absolute difference of consecutive received round
	   trips, in the order sent (RFC 3550's IPDV, unsmoothed); NaN with
	   fewer than two */
	double jitter;
	/* SmokePing's ping1..pingN: the RTTs (seconds) sorted, int(lost/2)
	   NaN slots before them and the rest after */
	double pings[NP_PROBE_PINGS];
};

/*
 * Summarise COUNT tries: RTT_MS[i] the round trip of try i in the order
 * sent, or a negative value (or NaN) when it was lost.
 */
void probe_summarise(const double *rtt_ms, int count, struct probe_result *);

/*
 * The median of N values (the upper median, as SmokePing's); the values
 * are sorted in place. NaN for none.
 */
double probe_median(double *v, int n);

#endif
