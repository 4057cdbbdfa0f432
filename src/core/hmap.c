/*
 * hmap.c - open addressing with linear probing and backward-shift delete.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hmap.h"

static uint64_t
hmap_hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h ? h : 1;
}

static uint64_t
hmap_hash_int(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k ? k : 1;
}

void
hmap_init(struct hmap *m)
{
	memset(m, 0, sizeof(*m));
}

void
hmap_free(struct hmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

void
hmap_clear(struct hmap *m)
{
	if (m->slots)
		memset(m->slots, 0, m->cap * sizeof(*m->slots));
	m->n = 0;
}

static int
hmap_match(
    const struct hmap_slot *s, uint64_t h, const char *skey, uint64_t ikey)
{
	if (s->hash != h)
		return 0;
	if (skey)
		return s->skey && strcmp(s->skey, skey) == 0;
	return s->skey == NULL && s->ikey == ikey;
}

static struct hmap_slot *
hmap_find(const struct hmap *m, uint64_t h, const char *skey, uint64_t ikey)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = h & (m->cap - 1); m->slots[i].hash; i = (i + 1) & (m->cap - 1))
		if (hmap_match(&m->slots[i], h, skey, ikey))
			return &m->slots[i];
	return NULL;
}

static int
hmap_grow(struct hmap *m)
{
	struct hmap_slot *old = m->slots;
	size_t oldcap = m->cap, ncap = m->cap ? m->cap * 2 : 16;

	if ((m->slots = calloc(ncap, sizeof(*m->slots))) == NULL) {
		m->slots = old;
		return -1;
	}
	m->cap = ncap;
	for (size_t i = 0; i < oldcap; i++) {
		size_t j;

		if (!old[i].hash)
			continue;
		for (j = old[i].hash & (ncap - 1); m->slots[j].hash;
		     j = (j + 1) & (ncap - 1))
			;
		m->slots[j] = old[i];
	}
	free(old);
	return 0;
}

static int
hmap_insert(
    struct hmap *m, uint64_t h, const char *skey, uint64_t ikey, void *v)
{
	struct hmap_slot *s;
	size_t i;

	if ((s = hmap_find(m, h, skey, ikey)) != NULL) {
		s->value = v;
		s->skey = skey;
		return 0;
	}
	if ((m->n + 1) * 4 > m->cap * 3 && hmap_grow(m) == -1)
		return -1;
	for (i = h & (m->cap - 1); m->slots[i].hash; i = (i + 1) & (m->cap - 1))
		;
	m->slots[i].hash = h;
	m->slots[i].skey = skey;
	m->slots[i].ikey = ikey;
	m->slots[i].value = v;
	m->n++;
	return 0;
}

static void *
hmap_remove(struct hmap *m, struct hmap_slot *s)
{
	void *v = s->value;
	size_t i = (size_t)(s - m->slots), j = i;

	/* Backward shift: keep every probe chain unbroken. */
	for (;;) {
		size_t home;

		j = (j + 1) & (m->cap - 1);
		if (!m->slots[j].hash)
			break;
		home = m->slots[j].hash & (m->cap - 1);
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	memset(&m->slots[i], 0, sizeof(m->slots[i]));
	m->n--;
	return v;
}

void *
hmap_get(const struct hmap *m, const char *key)
{
	struct hmap_slot *s = hmap_find(m, hmap_hash_str(key), key, 0);

	return s ? s->value : NULL;
}

int
hmap_put(struct hmap *m, const char *key, void *value)
{
	return hmap_insert(m, hmap_hash_str(key), key, 0, value);
}

void *
hmap_del(struct hmap *m, const char *key)
{
	struct hmap_slot *s = hmap_find(m, hmap_hash_str(key), key, 0);

	return s ? hmap_remove(m, s) : NULL;
}

void *
hmap_iget(const struct hmap *m, uint64_t key)
{
	struct hmap_slot *s = hmap_find(m, hmap_hash_int(key), NULL, key);

	return s ? s->value : NULL;
}

int
hmap_iput(struct hmap *m, uint64_t key, void *value)
{
	return hmap_insert(m, hmap_hash_int(key), NULL, key, value);
}

void *
hmap_idel(struct hmap *m, uint64_t key)
{
	struct hmap_slot *s = hmap_find(m, hmap_hash_int(key), NULL, key);

	return s ? hmap_remove(m, s) : NULL;
}

void
hmap_clear_free(struct hmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].hash)
			free(m->slots[i].value);
	hmap_clear(m);
}

void
hmap_free_values(struct hmap *m)
{
	hmap_clear_free(m);
	hmap_free(m);
}
