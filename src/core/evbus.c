/*
 * evbus.c - the event pipe: ids, subscribers, the store.
 */
#include "config.h"

#include <string.h>

#include "evbus.h"

void
evbus_init(struct evbus *b, struct store *s)
{
	b->store = s;
	store_ids_init(s, STORE_ID_EVENT, &b->next_id, &b->id_end);
	b->nsub = 0;
	b->route = NULL;
	b->route_arg = NULL;
	b->emitted = b->dropped = b->routed = 0;
}

void
evbus_set_route(struct evbus *b, evbus_route_fn fn, void *arg)
{
	b->route = fn;
	b->route_arg = arg;
}

int
evbus_subscribe(struct evbus *b, evbus_fn fn, void *arg)
{
	if (b->nsub == EVBUS_MAX_SUBSCRIBERS)
		return -1;
	b->sub[b->nsub].fn = fn;
	b->sub[b->nsub].arg = arg;
	b->nsub++;
	return 0;
}

void
evbus_unsubscribe(struct evbus *b, evbus_fn fn, void *arg)
{
	for (int i = 0; i < b->nsub; i++)
		if (b->sub[i].fn == fn && b->sub[i].arg == arg) {
			memmove(&b->sub[i], &b->sub[i + 1],
			    (size_t)(b->nsub - i - 1) * sizeof(b->sub[0]));
			b->nsub--;
			return;
		}
}

int
evbus_announce(struct evbus *b, struct np_event *ev)
{
	if (ev->id <= 0) { /* (one another node made keeps its id) */
		if (b->next_id >= b->id_end)
			store_ids_refill(
			    b->store, STORE_ID_EVENT, &b->next_id, &b->id_end);
		ev->id = b->next_id++;
	}
	b->emitted++;
	if (b->route != NULL && b->route(b->route_arg, ev)) {
		b->routed++;
		return 1;
	}
	for (int i = 0; i < b->nsub; i++)
		b->sub[i].fn(b->sub[i].arg, ev);
	return 0;
}

int
evbus_emit(struct evbus *b, struct np_event *ev)
{
	/* gone to the node that holds its device: in a store the nodes
	 * share, that node writes it (once) */
	if (evbus_announce(b, ev) == 1 && store_is_pg(b->store))
		return 0;
	if (store_put_event(b->store, ev) == -1) {
		b->dropped++;
		return -1;
	}
	return 0;
}
