/*
 * test_hmap.c - the hash map: string and integer keys, growth, deletes
 * that keep every other key reachable.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "hmap.h"
#include "tap.h"

int
main(void)
{
	struct hmap m;
	static char keys[5000][16];
	int ok = 1;

	hmap_init(&m);
	TAP_OK(hmap_get(&m, "x") == NULL, "empty map");
	for (int i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "Gi1/0/%d", i);
		hmap_put(&m, keys[i], (void *)(uintptr_t)(i + 1));
	}
	TAP_OK(m.n == 5000, "5000 string keys");
	for (int i = 0; i < 5000; i++)
		ok &= hmap_get(&m, keys[i]) == (void *)(uintptr_t)(i + 1);
	TAP_OK(ok, "all found");
	for (int i = 0; i < 5000; i += 2)
		hmap_del(&m, keys[i]);
	ok = 1;
	for (int i = 0; i < 5000; i++)
		ok &= hmap_get(&m, keys[i]) ==
		    (i % 2 ? (void *)(uintptr_t)(i + 1) : NULL);
	TAP_OK(ok && m.n == 2500, "half deleted, the rest still reachable");
	hmap_put(&m, keys[1], (void *)7);
	TAP_OK(hmap_get(&m, keys[1]) == (void *)7 && m.n == 2500,
	    "replace keeps count");
	hmap_free(&m);

	hmap_init(&m);
	for (uint64_t k = 1; k <= 20000; k++)
		hmap_iput(&m, k * 436207616ULL, (void *)(uintptr_t)k);
	ok = 1;
	for (uint64_t k = 1; k <= 20000; k++)
		ok &= hmap_iget(&m, k * 436207616ULL) == (void *)(uintptr_t)k;
	TAP_OK(ok, "20000 integer keys (NX-OS-like ifIndex)");
	for (uint64_t k = 1; k <= 20000; k += 3)
		hmap_idel(&m, k * 436207616ULL);
	ok = 1;
	for (uint64_t k = 1; k <= 20000; k++)
		ok &= hmap_iget(&m, k * 436207616ULL) ==
		    ((k - 1) % 3 ? (void *)(uintptr_t)k : NULL);
	TAP_OK(ok, "integer deletes");
	TAP_OK(hmap_get(&m, "1") == NULL, "string and integer keys do not mix");
	hmap_free(&m);
	return tap_done();
}
