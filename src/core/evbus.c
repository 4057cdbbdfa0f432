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
	b->next_id = store_max_event_id(s) + 1;
	b->nsub = 0;
	b->emitted = b->dropped = 0;
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

void
evbus_announce(struct evbus *b, struct np_event *ev)
{
	ev->id = b->next_id++;
	b->emitted++;
	for (int i = 0; i < b->nsub; i++)
		b->sub[i].fn(b->sub[i].arg, ev);
}

int
evbus_emit(struct evbus *b, struct np_event *ev)
{
	evbus_announce(b, ev);
	if (store_put_event(b->store, ev) == -1) {
		b->dropped++;
		return -1;
	}
	return 0;
}
