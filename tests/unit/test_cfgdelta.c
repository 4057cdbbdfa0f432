/*
 * test_cfgdelta.c - line deltas and deflate of archived configurations:
 * byte-exact round trips (the last line with or without its newline,
 * moved and repeated lines, empty texts), small deltas for small changes,
 * and malformed or oversized deltas and deflate streams refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgdelta.h"
#include "tap.h"

static int
roundtrip(const char *a, const char *b, size_t *dlen)
{
	char *d = NULL, *o = NULL, err[128];
	size_t dl = 0, ol = 0;
	int ok;

	if (cfg_delta_make(a, strlen(a), b, strlen(b), &d, &dl) == -1)
		return 0;
	ok = cfg_delta_apply(a, strlen(a), d, dl, 1 << 24, &o, &ol, err,
	    sizeof(err)) == 0 && ol == strlen(b) && memcmp(o, b, ol) == 0;
	if (dlen)
		*dlen = dl;
	free(d);
	free(o);
	return ok;
}

static char *
bigconf(int lines, int change_every, int salt)
{
	size_t cap = (size_t)lines * 64 + 1, off = 0;
	char *s = malloc(cap);

	for (int i = 0; i < lines; i++)
		off += (size_t)snprintf(s + off, cap - off,
		    "interface GigabitEthernet0/%d description uplink-%d\n", i,
		    change_every && i % change_every == 0 ? i + salt : i);
	return s;
}

int
main(void)
{
	static const struct {
		const char *a, *b, *what;
	} cases[] = {
	    {"", "", "both empty"},
	    {"", "hostname r1\n", "from nothing"},
	    {"hostname r1\n", "", "to nothing"},
	    {"a\nb\nc", "a\nb\nc\n", "last newline added"},
	    {"a\nb\nc\n", "a\nb\nc", "last newline removed"},
	    {"!\n!\n!\n", "!\n!\n!\n!\n", "repeated short lines"},
	    {"interface Loopback0\n ip address 10.0.0.1 255.255.255.255\n"
	     "interface Ethernet0/0\n ip address 10.1.1.1 255.255.255.0\n",
	     "interface Ethernet0/0\n ip address 10.1.1.1 255.255.255.0\n"
	     "interface Loopback0\n ip address 10.0.0.1 255.255.255.255\n",
	     "a moved block"},
	};
	char *a, *b, *d, *o, err[128];
	size_t dl, ol;
	void *z;
	size_t zl;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		TAP_OK(roundtrip(cases[i].a, cases[i].b, NULL), "round trip: %s",
		    cases[i].what);

	a = bigconf(10000, 0, 0);
	b = bigconf(10000, 100, 7); /* 1% of the lines changed */
	TAP_OK(roundtrip(a, b, &dl), "10,000 lines, 1%% changed: round trip");
	TAP_OK(dl < strlen(b) / 20, "its delta is small: %zu bytes of %zu",
	    dl, strlen(b));
	TAP_OK(roundtrip(a, a, &dl) && dl < 32, "no change: %zu bytes", dl);

	/* malformed deltas */
	static const char *const bad[] = {"C 0 5\n", "C 3\n", "I 10\nabc",
	    "X 1\n", "C 1 1", "I -1\n", "C 99999999999999999999999 1\n", "I"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = NULL;
		TAP_OK(cfg_delta_apply("a\nb\n", 4, bad[i], strlen(bad[i]),
		    1024, &o, &ol, err, sizeof(err)) == -1 && o == NULL,
		    "malformed delta %zu refused: %s", i, err);
	}
	TAP_OK(cfg_delta_make(a, strlen(a), b, strlen(b), &d, &dl) == 0 &&
	    cfg_delta_apply(a, strlen(a), d, dl, 1000, &o, &ol, err,
	    sizeof(err)) == -1, "a delta past the bound is refused: %s", err);
	free(d);

	/* deflate */
	TAP_OK(cfg_zip(b, strlen(b), &z, &zl) == 0 && zl < strlen(b) / 4,
	    "deflated: %zu of %zu bytes", zl, strlen(b));
	TAP_OK(cfg_unzip(z, zl, 1 << 24, &o, &ol, err, sizeof(err)) == 0 &&
	    ol == strlen(b) && memcmp(o, b, ol) == 0, "inflated back");
	free(o);
	TAP_OK(cfg_unzip(z, zl, 1000, &o, &ol, err, sizeof(err)) == -1,
	    "inflating past the bound is refused: %s", err);
	TAP_OK(cfg_unzip(z, zl / 2, 1 << 24, &o, &ol, err, sizeof(err)) == -1,
	    "truncated deflate refused: %s", err);
	TAP_OK(cfg_unzip("garbage!", 8, 1 << 24, &o, &ol, err, sizeof(err)) ==
	    -1, "garbage refused: %s", err);
	free(z);
	free(a);
	free(b);
	return tap_done();
}
