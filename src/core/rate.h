/*
 * rate.h - per-second rates from SNMP counters, computed at collection
 * time: Counter32 wraps, 64-bit counters, reboots and discontinuities give
 * no spike, and an impossible delta is refused rather than written.
 */
#ifndef NP_RATE_H
#define NP_RATE_H

#include <stdint.h>

struct counter {
	uint64_t value; /* last raw reading */
	double time; /* when it was read (monotonic seconds) */
	uint8_t bits; /* 32 or 64; 0 = no baseline */
};

enum rate_result {
	RATE_OK = 0, /* *rate is set */
	RATE_WRAPPED, /* a Counter32 wrapped once; *rate is set */
	RATE_FIRST, /* no baseline yet (first reading, or after a reset) */
	RATE_RESET, /* counter went back or changed width: new baseline */
	RATE_IMPLAUSIBLE, /* faster than the bound: refused, new baseline */
	RATE_NOTIME, /* time did not advance: reading ignored */
};

/*
 * Feed a new reading VALUE of a BITS-wide counter taken at time T. When
 * MAX_PER_SEC > 0, a rate above it is refused (RATE_IMPLAUSIBLE). On
 * RATE_OK and RATE_WRAPPED the rate in units per second goes to *RATE.
 * A Counter32 that goes back is a wrap; with no bound (MAX_PER_SEC 0),
 * only a wrap of less than 2^31 units: one of more is a reset (an agent
 * that reset its counter would otherwise give a rate of nearly 2^32 per
 * interval). A Counter64 that goes back is a reset.
 */
enum rate_result rate_update(struct counter *c, uint64_t value, int bits,
    double t, double max_per_sec, double *rate);

/* Forget the baseline (device rebooted, counter discontinuity). */
void rate_reset(struct counter *c);

/*
 * The most a port of SPEED_BPS can carry, per second, with some slack:
 * octets and packets (minimum Ethernet frames). 0 when the speed is unknown.
 */
double rate_max_octets(uint64_t speed_bps);
double rate_max_packets(uint64_t speed_bps);

const char *rate_result_name(enum rate_result);

#endif
