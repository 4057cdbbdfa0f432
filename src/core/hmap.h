/*
 * hmap.h - a small open-addressing hash map from strings or integers to
 * pointers (ports by name or ifIndex, devices by name).
 */
#ifndef NP_HMAP_H
#define NP_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
	uint64_t hash; /* 0 = empty */
	const char *skey; /* string key (owned by the value), or NULL */
	uint64_t ikey;
	void *value;
};

struct hmap {
	struct hmap_slot *slots;
	size_t cap, n;
};

void hmap_init(struct hmap *);
void hmap_free(struct hmap *); /* the values are the caller's */
void *hmap_get(const struct hmap *, const char *key);
int hmap_put(
    struct hmap *, const char *key, void *value); /* key must outlive */
void *hmap_del(struct hmap *, const char *key);
void *hmap_iget(const struct hmap *, uint64_t key);
int hmap_iput(struct hmap *, uint64_t key, void *value);
void *hmap_idel(struct hmap *, uint64_t key);
void hmap_clear(struct hmap *);
/* free() every value (malloc'd, and owning its key), then empty the map. */
void hmap_clear_free(struct hmap *);
void hmap_free_values(struct hmap *); /* the same, and release the map */

#endif
