/*
 * rate.c - counter deltas and rates (see rate.h).
 */
#include "config.h"

#include "rate.h"

/* 10% over line rate is accepted: agents' timestamps are not exact. */
#define RATE_SLACK 1.10
/* Smallest Ethernet frame on the wire: 64 bytes + 8 preamble + 12 gap. */
#define RATE_MIN_FRAME_BITS ((64 + 8 + 12) * 8)
/* With no bound, a Counter32 wrap of this much or more is a reset. */
#define RATE_WRAP32_MAX 0x80000000ULL

void
rate_reset(struct counter *c)
{
	c->bits = 0;
}

enum rate_result
rate_update(struct counter *c, uint64_t value, int bits, double t,
    double max_per_sec, double *rate)
{
	uint64_t delta;
	double dt, r;
	enum rate_result res = RATE_OK;

	if (bits != 32 && bits != 64)
		bits = 64;
	if (bits == 32)
		value &= 0xffffffffULL;
	if (c->bits == 0) {
		res = RATE_FIRST;
		goto rebase;
	}
	if (c->bits != bits) {
		res = RATE_RESET;
		goto rebase;
	}
	dt = t - c->time;
	if (dt <= 0)
		return RATE_NOTIME;
	if (value >= c->value)
		delta = value - c->value;
	else if (bits == 32) {
		/* One wrap of a Counter32 (RFC 2578 7.1.6). */
		delta = (value + 0x100000000ULL) - c->value;
		res = RATE_WRAPPED;
		/*
		 * With no bound (the speed unknown, ifSpeed 0) a counter
		 * that went back a little, reset by the agent, would pass
		 * for a wrap of nearly 2^32 units: a huge rate. A wrap of
		 * half the range or more in one interval is taken for a
		 * reset (one sample less rather than a spike).
		 */
		if (max_per_sec <= 0 && delta >= RATE_WRAP32_MAX) {
			res = RATE_RESET;
			goto rebase;
		}
	} else {
		/* A Counter64 does not wrap in practice: a discontinuity. */
		res = RATE_RESET;
		goto rebase;
	}
	r = (double)delta / dt;
	if (max_per_sec > 0 && r > max_per_sec) {
		res = RATE_IMPLAUSIBLE;
		goto rebase;
	}
	*rate = r;
rebase:
	c->value = value;
	c->time = t;
	c->bits = (uint8_t)bits;
	return res;
}

double
rate_max_octets(uint64_t speed_bps)
{
	if (speed_bps == 0)
		return 0;
	return (double)speed_bps / 8.0 * RATE_SLACK;
}

double
rate_max_packets(uint64_t speed_bps)
{
	if (speed_bps == 0)
		return 0;
	return (double)speed_bps / RATE_MIN_FRAME_BITS * RATE_SLACK;
}

const char *
rate_result_name(enum rate_result r)
{
	switch (r) {
	case RATE_OK: return "ok";
	case RATE_WRAPPED: return "wrapped";
	case RATE_FIRST: return "first";
	case RATE_RESET: return "reset";
	case RATE_IMPLAUSIBLE: return "implausible";
	case RATE_NOTIME: return "no-time";
	}
	return "?";
}
