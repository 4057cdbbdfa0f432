/*
 * pcap_hosts.c - a link's bounded hosts table (pcap_hosts.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pcap_hosts.h"

static uint32_t
host_hash(int family, const uint8_t *a)
{
	uint32_t h = 2166136261u ^ (uint32_t)family;
	int n = family == 6 ? 16 : 4;

	for (int i = 0; i < n; i++)
		h = (h ^ a[i]) * 16777619u;
	return h ^ (h >> 15);
}

int
pcap_hosts_init(struct pcap_hosts *t, size_t max)
{
	memset(t, 0, sizeof(*t));
	if (max < 2)
		max = 2;
	t->max = max;
	t->cap = 4;
	while (t->cap < 2 * max)
		t->cap *= 2;
	if ((t->slot = calloc(t->cap, sizeof(*t->slot))) == NULL)
		return -1;
	return 0;
}

void
pcap_hosts_free(struct pcap_hosts *t)
{
	free(t->slot);
	t->slot = NULL;
	t->n = 0;
}

static uint64_t
host_total(const struct pcap_host *h)
{
	return h->in_bytes + h->out_bytes;
}

static int
host_cmp(const void *a, const void *b)
{
	uint64_t x = host_total(a), y = host_total(b);

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Keep the busiest half: the table is rebuilt from them. */
static void
hosts_cut(struct pcap_hosts *t)
{
	struct pcap_host *all;
	size_t n = 0, keep = t->max / 2;

	if ((all = malloc(t->n * sizeof(*all))) == NULL) {
		/* no room to sort: forget everything rather than grow */
		t->evicted += t->n;
		memset(t->slot, 0, t->cap * sizeof(*t->slot));
		t->n = 0;
		t->cuts++;
		return;
	}
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].family != 0)
			all[n++] = t->slot[i];
	qsort(all, n, sizeof(*all), host_cmp);
	memset(t->slot, 0, t->cap * sizeof(*t->slot));
	t->n = 0;
	if (keep > n)
		keep = n;
	for (size_t i = 0; i < keep; i++) {
		size_t j = host_hash(all[i].family, all[i].addr) & (t->cap - 1);

		while (t->slot[j].family != 0)
			j = (j + 1) & (t->cap - 1);
		t->slot[j] = all[i];
		t->n++;
	}
	t->evicted += n - keep;
	t->cuts++;
	free(all);
}

struct pcap_host *
pcap_hosts_get(struct pcap_hosts *t, int family, const uint8_t *addr)
{
	size_t len = family == 6 ? 16 : 4, i;

	if (t->slot == NULL || (family != 4 && family != 6))
		return NULL;
	for (int pass = 0; pass < 2; pass++) {
		i = host_hash(family, addr) & (t->cap - 1);
		while (t->slot[i].family != 0) {
			if (t->slot[i].family == family &&
			    memcmp(t->slot[i].addr, addr, len) == 0)
				return &t->slot[i];
			i = (i + 1) & (t->cap - 1);
		}
		if (t->n < t->max)
			break;
		hosts_cut(t); /* full: then look for its slot again */
	}
	memset(&t->slot[i], 0, sizeof(t->slot[i]));
	t->slot[i].family = (uint8_t)family;
	memcpy(t->slot[i].addr, addr, len);
	t->n++;
	return &t->slot[i];
}

size_t
pcap_hosts_top(const struct pcap_hosts *t, struct pcap_host *out, size_t n)
{
	size_t k = 0;

	/* a partial insertion sort of the N busiest */
	for (size_t i = 0; i < t->cap && n > 0; i++) {
		const struct pcap_host *h = &t->slot[i];
		size_t j;

		if (h->family == 0)
			continue;
		if (k == n && host_total(h) <= host_total(&out[k - 1]))
			continue;
		j = k < n ? k++ : k - 1;
		while (j > 0 && host_total(&out[j - 1]) < host_total(h)) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = *h;
	}
	return k;
}
