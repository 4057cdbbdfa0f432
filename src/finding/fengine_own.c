/*
 * fengine_own.c - the findings of a cluster node whose store is shared
 * with the other nodes (PostgreSQL). Each node's engine follows the
 * findings of the devices it polls: events of the others go to their
 * holder (cluster_fwd.c). When a node comes to hold a device, another
 * node may have made or changed the device's findings since this one
 * read them: it reads them again from the store. When it no longer holds
 * one, it forgets the device's findings (they stay in the store, followed
 * by the holder), so that it neither writes them back stale nor closes
 * or escalates them twice.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fengine_int.h"
#include "store.h"

struct own_load {
	struct fengine *fe;
	struct hmap *gained;
	size_t loaded;
};

/* One open finding from the store: kept if its device was just gained. */
static int
own_load(void *arg, const struct finding *f)
{
	struct own_load *l = arg;
	struct fengine *fe = l->fe;
	struct frt *r;

	if (hmap_get(l->gained, f->device) == NULL)
		return 0;
	/* what this node knew of it is older than the store's */
	if ((r = hmap_get(&fe->by_key, f->key)) != NULL)
		fe_forget(fe, r);
	if ((r = hmap_iget(&fe->by_id, (uint64_t)f->id)) != NULL)
		fe_forget(fe, r);
	l->loaded++;
	return fe_load(fe, f);
}

int
fengine_own(struct fengine *fe, char *const *names, size_t n)
{
	struct hmap now, gained;
	struct frt **lost = NULL;
	size_t nlost = 0, cap = 0;
	struct own_load l = {fe, &gained, 0};
	int rc = 0;

	hmap_init(&now);
	hmap_init(&gained);
	for (size_t i = 0; i < n; i++) {
		char *c = strdup(names[i]);

		if (c == NULL || hmap_put(&now, c, c) == -1) {
			free(c);
			rc = -1;
			goto out;
		}
		/* (the first time, every finding was read at start) */
		if (fe->owned_set && hmap_get(&fe->owned, c) == NULL &&
		    hmap_put(&gained, c, c) == -1) {
			rc = -1;
			goto out;
		}
	}
	/* the findings of the devices no longer held, forgotten */
	for (size_t i = 0; i < fe->by_id.cap; i++) {
		struct frt *r = fe->by_id.slots[i].hash ? fe->by_id.slots[i].value
		                                        : NULL;

		if (r == NULL || hmap_get(&now, r->f.device) != NULL)
			continue;
		if (nlost == cap) {
			struct frt **p =
			    realloc(lost, (cap = cap ? cap * 2 : 64) * sizeof(*p));

			if (p == NULL) {
				rc = -1;
				goto out;
			}
			lost = p;
		}
		lost[nlost++] = r;
	}
	for (size_t i = 0; i < nlost; i++)
		fe_forget(fe, lost[i]);
	if (gained.n > 0) {
		struct store_finding_filter flt = {0, 1, NULL, -1, 0};
		char err[512];
		struct store *ro = store_open(fe->store_path, 1, err, sizeof(err));

		if (ro == NULL) {
			log_warnx("findings: %s", err);
			rc = -1;
		} else {
			if (store_get_findings(ro, &flt, own_load, &l) == -1)
				rc = -1;
			store_close(ro);
		}
	}
	if (nlost > 0 || l.loaded > 0)
		log_info("findings: %zu followed again from the store, %zu "
		         "left to the devices' nodes",
		    l.loaded, nlost);
	/* the set now held replaces the one before */
	hmap_free_values(&fe->owned);
	fe->owned = now;
	hmap_init(&now);
	fe->owned_set = 1;
out:
	hmap_free(&gained); /* (its keys are NOW's) */
	hmap_free_values(&now);
	free(lost);
	return rc;
}
