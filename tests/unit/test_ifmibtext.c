/*
 * test_ifmibtext.c - the ports' counter baselines as the store keeps them
 * (ifmib.c): written by hand, they read as printf's "%u:%llu:%.3f" did,
 * and read back to the same counters; what does not fit is no baseline.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "tap.h"

static struct port_rt *
port(void)
{
	struct port_rt *p = calloc(1, sizeof(*p) + 8);

	if (p == NULL)
		abort();
	p->name = p->rrd = p->buf;
	return p;
}

/* What the previous code wrote, with printf. */
static void
by_printf(const struct port_rt *p, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int k = 0; k < SAMPLE_PORT_N; k++) {
		const struct counter *c = &p->ctr[k];

		o += (size_t)(c->bits
		        ? snprintf(buf + o, len - o, "%s%u:%llu:%.3f",
		              k ? "," : "", c->bits,
		              (unsigned long long)c->value, c->time)
		        : snprintf(buf + o, len - o, "%s0", k ? "," : ""));
	}
}

int
main(void)
{
	struct port_rt *p = port(), *q = port();
	char a[640], b[640];
	uint64_t seed = 88172645463325252ULL;
	int same = 0, back = 0, n = 2000;

	for (int i = 0; i < n; i++) {
		for (int k = 0; k < SAMPLE_PORT_N; k++) {
			struct counter *c = &p->ctr[k];

			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			memset(c, 0, sizeof(*c));
			if (seed % 5 == 0)
				continue; /* no baseline */
			c->bits = seed & 1 ? 64 : 32;
			c->value = c->bits == 64 ? seed : seed % 4294967296ULL;
			if (i == 0 && k == 0)
				c->value = UINT64_MAX;
			/* times as the poller has them: now, to the ms */
			c->time = 1796610000.0 + (double)(seed % 100000000) / 1000.0;
		}
		ifmib_counters_text(p, a, sizeof(a));
		by_printf(p, b, sizeof(b));
		same += strcmp(a, b) == 0;
		if (same == i && strcmp(a, b) != 0)
			printf("# differ:\n#  %s\n#  %s\n", a, b);
		memset(q->ctr, 0, sizeof(q->ctr));
		ifmib_counters_parse(q, a);
		{
			int ok = 1;

			for (int k = 0; k < SAMPLE_PORT_N; k++)
				ok &= q->ctr[k].bits == p->ctr[k].bits &&
				    q->ctr[k].value == p->ctr[k].value &&
				    (p->ctr[k].bits == 0 ||
				        fabs(q->ctr[k].time - p->ctr[k].time) <
				            0.0006);
			back += ok;
		}
	}
	TAP_OK(same == n, "written as printf wrote them (%d of %d)", same, n);
	TAP_OK(back == n, "read back to the same counters (%d of %d)", back, n);
	ifmib_counters_text(p, a, 100);
	TAP_OK(a[0] == '\0', "what does not fit is no baseline");
	memset(p->ctr, 0, sizeof(p->ctr));
	ifmib_counters_text(p, a, sizeof(a));
	TAP_OK(strcmp(a, "0,0,0,0,0,0,0,0,0,0,0,0") == 0, "no counters: %s", a);
	free(p);
	free(q);
	return tap_done();
}
