/*
 * test_rate.c - counter rates: wraps, 64-bit, resets, plausibility bound.
 */
#include <math.h>
#include <stdint.h>

#include "rate.h"
#include "tap.h"

struct step {
	uint64_t value;
	int bits;
	double t;
	double max;
	enum rate_result want;
	double want_rate; /* checked on OK and WRAPPED */
	int reset_before; /* a reboot is signalled before this reading */
};

struct rate_case {
	const char *name;
	struct step steps[6];
	int n;
};

#define G1 (1e9 / 8 * 1.1) /* 1 Gbit/s in octets/s, with slack */

static const struct rate_case cases[] = {
    {"first reading has no rate", {{100, 64, 0, 0, RATE_FIRST, 0, 0}}, 1},
    {"steady 64-bit counter",
        {{1000, 64, 0, 0, RATE_FIRST, 0, 0}, {2000, 64, 10, 0, RATE_OK, 100, 0},
            {5000, 64, 20, 0, RATE_OK, 300, 0}},
        3},
    {"Counter32 wraps once",
        {{4294967000ULL, 32, 0, 0, RATE_FIRST, 0, 0},
            {704, 32, 10, 0, RATE_WRAPPED, 100, 0}},
        2},
    {"Counter32 wrap at the exact top",
        {{4294967295ULL, 32, 0, 0, RATE_FIRST, 0, 0},
            {0, 32, 1, 0, RATE_WRAPPED, 1, 0}},
        2},
    {"Counter64 going back is a discontinuity, not a wrap",
        {{1000000, 64, 0, 0, RATE_FIRST, 0, 0},
            {10, 64, 10, 0, RATE_RESET, 0, 0},
            {1010, 64, 20, 0, RATE_OK, 100, 0}},
        3},
    {"reboot: no spike, new baseline",
        {{500000, 32, 0, 0, RATE_FIRST, 0, 0},
            {100, 32, 10, 0, RATE_FIRST, 0, 1},
            {1100, 32, 20, 0, RATE_OK, 100, 0}},
        3},
    {"a wrap faster than the port is refused",
        {{4000000000ULL, 32, 0, G1, RATE_FIRST, 0, 0},
            {3999999000ULL, 32, 1, G1, RATE_IMPLAUSIBLE, 0, 0},
            {4000001000ULL, 32, 2, G1, RATE_OK, 2000, 0}},
        3},
    {"line rate is accepted",
        {{0, 64, 0, G1, RATE_FIRST, 0, 0},
            {1250000000ULL, 64, 10, G1, RATE_OK, 125000000, 0}},
        2},
    {"over line rate is refused and counted",
        {{0, 64, 0, G1, RATE_FIRST, 0, 0},
            {2000000000ULL, 64, 10, G1, RATE_IMPLAUSIBLE, 0, 0}},
        2},
    {"unknown speed: no bound",
        {{0, 64, 0, 0, RATE_FIRST, 0, 0},
            {1ULL << 50, 64, 1, 0, RATE_OK, (double)(1ULL << 50), 0}},
        2},
    {"width change 32 -> 64 rebases",
        {{100, 32, 0, 0, RATE_FIRST, 0, 0},
            {9000000000ULL, 64, 10, 0, RATE_RESET, 0, 0},
            {9000001000ULL, 64, 20, 0, RATE_OK, 100, 0}},
        3},
    {"time not advancing is ignored",
        {{100, 64, 5, 0, RATE_FIRST, 0, 0}, {200, 64, 5, 0, RATE_NOTIME, 0, 0},
            {300, 64, 6, 0, RATE_OK, 200, 0}},
        3},
    {"32-bit values above 2^32 are masked",
        {{(1ULL << 32) + 10, 32, 0, 0, RATE_FIRST, 0, 0},
            {20, 32, 1, 0, RATE_OK, 10, 0}},
        2},
    {"fractional intervals",
        {{0, 64, 0.0, 0, RATE_FIRST, 0, 0}, {150, 64, 1.5, 0, RATE_OK, 100, 0}},
        2},
    /* a lying agent: ifSpeed 0 (no bound) and a Counter32 that goes back
     * a little (reset without a reboot): a reset, not a rate of 2^32 */
    {"unknown speed: a Counter32 back by 1000 is a reset, no spike",
        {{5000000, 32, 0, 0, RATE_FIRST, 0, 0},
            {4999000, 32, 10, 0, RATE_RESET, 0, 0},
            {5000000, 32, 20, 0, RATE_OK, 100, 0}},
        3},
    {"unknown speed: a real wrap (under 2^31) is still a wrap",
        {{4294000000ULL, 32, 0, 0, RATE_FIRST, 0, 0},
            {1000000, 32, 10, 0, RATE_WRAPPED, 196729.6, 0}},
        2},
    {"unknown speed: a wrap of exactly 2^31 is a reset",
        {{0x80000000ULL, 32, 0, 0, RATE_FIRST, 0, 0},
            {0, 32, 10, 0, RATE_RESET, 0, 0}},
        2},
    {"known speed: the bound decides, a big wrap at 10G is a wrap",
        {{4294967000ULL, 32, 0, 1.375e9, RATE_FIRST, 0, 0},
            {4294966000ULL, 32, 10, 1.375e9, RATE_WRAPPED, 429496629.6, 0}},
        2},
};

int
main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rate_case *c = &cases[i];
		struct counter ctr = {0, 0, 0};
		int ok = 1;
		char why[256] = "";

		for (int s = 0; s < c->n; s++) {
			const struct step *st = &c->steps[s];
			double rate = -1;
			enum rate_result r;

			if (st->reset_before)
				rate_reset(&ctr);
			r = rate_update(
			    &ctr, st->value, st->bits, st->t, st->max, &rate);
			if (r != st->want) {
				snprintf(why, sizeof(why),
				    "step %d: %s, want %s", s,
				    rate_result_name(r),
				    rate_result_name(st->want));
				ok = 0;
				break;
			}
			if ((r == RATE_OK || r == RATE_WRAPPED) &&
			    fabs(rate - st->want_rate) >
			        1e-6 * (1 + st->want_rate)) {
				snprintf(why, sizeof(why),
				    "step %d: rate %.6g, want %.6g", s, rate,
				    st->want_rate);
				ok = 0;
				break;
			}
		}
		TAP_OK(ok, "%s%s%s", c->name, ok ? "" : ": ", why);
	}
	TAP_NEAR(rate_max_octets(1000000000ULL), 1.375e8, 1,
	    "1G port: max octets/s");
	TAP_NEAR(rate_max_packets(1000000000ULL), 1636904.76, 1,
	    "1G port: max packets/s");
	TAP_OK(rate_max_octets(0) == 0, "unknown speed: no bound");
	return tap_done();
}
