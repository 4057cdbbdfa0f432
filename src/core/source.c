/*
 * source.c - senders, their devices, rate windows, counters and events, as
 * the receivers share them (see source.h).
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "log_event.h"

int
src_init(struct source *src, const struct src_def *def, void *arg,
    struct evbus *bus, struct complaint *c_store)
{
	memset(src, 0, sizeof(*src));
	src->def = def;
	src->arg = arg;
	src->bus = bus;
	src->c_store = c_store;
	hmap_init(&src->senders);
	if ((src->other = calloc(1, def->sender_size)) == NULL)
		return -1;
	snprintf(src->other->addr, sizeof(src->other->addr), "other");
	return 0;
}

void
src_free(struct source *src)
{
	hmap_free_values(&src->senders);
	free(src->other);
	src->other = NULL;
	src->cache = NULL;
}

void
src_set_inventory(struct source *src, struct inventory *inv)
{
	src->inv = inv;
}

void
src_set_limit(struct source *src, int limit, int secs)
{
	src->limit = limit;
	src->secs = secs > 0 ? secs : 1;
}

struct src_sender *
src_sender(struct source *src, const char *addr)
{
	struct src_sender *s = hmap_get(&src->senders, addr);

	if (s != NULL)
		return s;
	if (src->senders.n >= SRC_MAX_SENDERS)
		return src->other;
	if ((s = calloc(1, src->def->sender_size)) == NULL)
		return src->other;
	snprintf(s->addr, sizeof(s->addr), "%s", addr);
	if (hmap_put(&src->senders, s->addr, s) == -1) {
		free(s);
		return src->other;
	}
	return s;
}

struct src_sender *
src_sender_sa(struct source *src, const struct sockaddr *sa)
{
	const unsigned char *a;
	size_t alen;
	char addr[INV_ADDR_MAX];

	if (sa == NULL)
		return src_sender(src, "?");
	if (sa->sa_family == AF_INET) {
		a = (const unsigned char *)&((const struct sockaddr_in *)sa)
		        ->sin_addr;
		alen = 4;
	} else if (sa->sa_family == AF_INET6) {
		a = (const unsigned char *)&((const struct sockaddr_in6 *)sa)
		        ->sin6_addr;
		alen = 16;
	} else
		return src->other;
	if (src->cache && src->cache_family == sa->sa_family &&
	    memcmp(src->cache_addr, a, alen) == 0)
		return src->cache;
	inv_addr_text(sa, addr, sizeof(addr));
	src->cache = src_sender(src, addr);
	src->cache_family = sa->sa_family;
	memcpy(src->cache_addr, a, alen);
	return src->cache;
}

struct src_sender *
src_next(struct source *src, size_t *pos)
{
	while (*pos < src->senders.cap) {
		size_t i = (*pos)++;

		if (src->senders.slots[i].hash)
			return src->senders.slots[i].value;
	}
	return NULL;
}

const struct inv_device *
src_device(struct source *src, struct src_sender *s)
{
	if (src->inv == NULL)
		return NULL;
	if (s->gen != inv_generation(src->inv)) {
		s->dev = s == src->other
		    ? NULL
		    : inv_device_by_addr(src->inv, s->addr);
		s->gen = inv_generation(src->inv);
	}
	return s->dev;
}

/* The window of S ended at NOW: an episode that calmed ends. */
static void
src_window_end(struct source *src, struct src_sender *s, double now)
{
	struct src_window *w = &s->win;

	if (w->over && w->count <= (unsigned long)src->limit) {
		if (src->def->under)
			src->def->under(src->arg, s, now);
		w->over = 0;
		w->over_n = 0;
	}
	w->start = now;
	w->count = 0;
}

int
src_limit(struct source *src, struct src_sender *s, double now)
{
	struct src_window *w = &s->win;

	if (src->limit <= 0)
		return 0;
	if (now - w->start >= src->secs)
		src_window_end(src, s, now);
	if (++w->count <= (unsigned long)src->limit)
		return 0;
	if (!w->over) {
		w->over = 1;
		w->over_start = now;
		if (src->def->over)
			src->def->over(src->arg, s, now);
	}
	w->over_n++;
	return 1;
}

void
src_tick(struct source *src, double now)
{
	struct src_sender *s;
	size_t pos = 0;

	while ((s = src_next(src, &pos)) != NULL)
		if (s->win.over && now - s->win.start >= src->secs)
			src_window_end(src, s, now);
}

void
src_flush(struct source *src, double now)
{
	struct src_sender *s;
	size_t pos = 0;

	while ((s = src_next(src, &pos)) != NULL)
		if (s->win.over) {
			s->win.count = 0;
			src_window_end(src, s, now);
		}
}

void
src_put(struct source *src, struct np_event *ev)
{
	log_event(ev->device, ev->kind, event_severity_name(ev->severity),
	    ev->text);
	if (evbus_emit(src->bus, ev) == -1 && src->c_store != NULL)
		complain(src->c_store, LOG_L_WARN,
		    "%s event %s dropped: store queue full", ev->source,
		    ev->kind);
}

void
src_emit(struct source *src, const char *device, const char *kind,
    const char *key, enum np_severity sev, const char *fmt, ...)
{
	struct np_event ev;
	va_list ap;

	event_init(&ev, device, src->def->name, kind, key, sev, "%s", "");
	va_start(ap, fmt);
	vsnprintf(ev.text, sizeof(ev.text), fmt, ap);
	va_end(ap);
	src_put(src, &ev);
}

void
src_json_counters(const struct source *src, struct jbuf *j, const uint64_t *c)
{
	for (int i = 0; i < src->def->ncounters; i++)
		json_kuint(j, src->def->counters[i], c[i]);
}

void
src_json_senders(const struct source *src, struct jbuf *j)
{
	json_key(j, "senders");
	json_arr_open(j);
	for (size_t i = 0; i < src->senders.cap; i++) {
		const struct src_sender *s = src->senders.slots[i].hash
		    ? src->senders.slots[i].value
		    : NULL;

		if (s == NULL)
			continue;
		json_obj_open(j);
		json_kstr(j, "address", s->addr);
		if (s->device[0])
			json_kstr(j, "device", s->device);
		else
			json_key(j, "device"), json_null(j);
		src_json_counters(src, j, s->c);
		if (src->def->json_sender)
			src->def->json_sender(j, s);
		json_kreal(j, "last", s->last);
		json_obj_close(j);
	}
	if (src->other->c[0]) {
		json_obj_open(j);
		json_kstr(j, "address", "other");
		json_key(j, "device"), json_null(j);
		src_json_counters(src, j, src->other->c);
		json_obj_close(j);
	}
	json_arr_close(j);
}
