/*
 * fengine.c - the findings stage on the event loop. Findings that are not
 * closed live here (by key and by id) and are written whole to the store
 * on every change, with a history row saying what happened, when, by whom
 * and because of which event.
 */
#include "config.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "fengine_int.h"

double
fe_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void fe_history(struct fengine *fe, const struct finding *f, const char *action,
    const char *actor, int64_t event_id, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

void
fe_history(struct fengine *fe, const struct finding *f, const char *action,
    const char *actor, int64_t event_id, const char *fmt, ...)
{
	struct store_fhist h;
	va_list ap;

	memset(&h, 0, sizeof(h));
	h.finding_id = f->id;
	h.time = fe_now();
	snprintf(h.action, sizeof(h.action), "%s", action);
	snprintf(h.actor, sizeof(h.actor), "%s", actor);
	snprintf(h.state, sizeof(h.state), "%s", finding_state_name(f->state));
	va_start(ap, fmt);
	vsnprintf(h.text, sizeof(h.text), fmt, ap);
	va_end(ap);
	h.event_id = event_id;
	if (store_put_fhist(fe->store, &h) == -1) {
		fe->store_dropped++;
		complain(&fe->c_store, LOG_L_WARN,
		    "finding %lld: history lost, store queue full",
		    (long long)f->id);
	} else
		complain_release(&fe->c_store, "findings: stored again");
}

void
fe_save(struct fengine *fe, struct frt *r)
{
	r->dirty = 0;
	r->f.updated = fe_now();
	if (store_put_finding(fe->store, &r->f) == -1) {
		fe->store_dropped++;
		complain(&fe->c_store, LOG_L_WARN,
		    "finding %lld: not stored, store queue full",
		    (long long)r->f.id);
	} else
		complain_release(&fe->c_store, "findings: stored again");
}

/* Notifications are held for flapping, maintenance and consequences. */
static int
fe_held(const struct finding *f)
{
	return f->flapping || f->suppressed || f->consequence_of != 0;
}

void
fe_notify(struct fengine *fe, struct frt *r, enum finding_change c)
{
	if (fe_held(&r->f)) {
		fe->held++;
		if (c == FC_OPEN || c == FC_SEVERITY)
			r->held_open = 1;
		return;
	}
	/* a resolution of what was never told is not told either */
	if (c == FC_RESOLVE && r->held_open)
		return;
	if (c == FC_OPEN)
		r->held_open = 0;
	fe->notified++;
	if (fe->change)
		fe->change(fe->larg, &r->f, c);
}

static int
fe_in_maintenance(struct fengine *fe, const char *device, double now)
{
	for (int i = 0; i < fe->nmaint; i++)
		if (now >= fe->maint[i].from && now < fe->maint[i].until &&
		    fnmatch(fe->maint[i].devices, device, 0) == 0)
			return 1;
	return 0;
}

/* A transition open <-> resolved: flapping when too many in the window. */
void
fe_flip(struct fengine *fe, struct frt *r, double now)
{
	int n = 0;

	if (r->nflips == FE_FLIPS) {
		memmove(
		    r->flips, r->flips + 1, (FE_FLIPS - 1) * sizeof(double));
		r->nflips--;
	}
	r->flips[r->nflips++] = now;
	for (int i = 0; i < r->nflips; i++)
		n += now - r->flips[i] <= fe->flap_secs;
	if (!r->f.flapping && n >= fe->flap_count) {
		r->f.flapping = 1;
		fe_history(fe, &r->f, "flapping", "netpatrold", 0,
		    "%d changes in %d s: notifications held until it is stable",
		    n, fe->flap_secs);
	}
}

void
fe_forget(struct fengine *fe, struct frt *r)
{
	hmap_del(&fe->by_key, r->f.key);
	hmap_idel(&fe->by_id, (uint64_t)r->f.id);
	if (fe->settled)
		fe->settled(fe->larg, r->f.id);
	free(r);
}

void
fe_deadlines(struct fengine *fe, struct finding *f, double from)
{
	int p = f->priority >= 1 && f->priority <= 4 ? f->priority : 4;

	f->respond_by = from + fe->respond[p];
	f->resolve_by = from + fe->resolve[p];
}

/* The upstream device's open reachability finding, if any. */
static int64_t
fe_upstream(struct fengine *fe, const struct fdev *d)
{
	char key[sizeof(((struct finding *)0)->key)];
	struct frt *u;

	if (d == NULL || d->depends[0] == '\0')
		return 0;
	snprintf(key, sizeof(key), "%s/device", d->depends);
	u = hmap_get(&fe->by_key, key);
	return u && (u->f.state == FS_OPEN || u->f.state == FS_ACKNOWLEDGED)
	    ? u->f.id
	    : 0;
}

/* What depends on DEVICE: the devices reached through it. */
static void
fe_impact(struct fengine *fe, const char *device, char *out, size_t size)
{
	size_t off = 0;
	int n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < fe->devs.cap; i++) {
		const struct fdev *d =
		    fe->devs.slots[i].hash ? fe->devs.slots[i].value : NULL;

		if (d == NULL || strcmp(d->depends, device) != 0)
			continue;
		n++;
		if (off + strlen(d->name) + 16 < size)
			off += (size_t)snprintf(out + off, size - off, "%s%s",
			    off ? ", " : "reached through it: ", d->name);
	}
	if (n && off + 16 >= size)
		snprintf(out + off, size - off, "...");
}

/* The next finding's id (TAKE: used up), from the node's block. */
int64_t
fe_next_id(struct fengine *fe, int take)
{
	if (fe->next_id >= fe->id_end)
		store_ids_refill(
		    fe->store, STORE_ID_FINDING, &fe->next_id, &fe->id_end);
	return take ? fe->next_id++ : fe->next_id;
}

struct frt *
fe_open(
    struct fengine *fe, const char *key, const struct np_event *ev, double now)
{
	const struct fdev *d = hmap_get(&fe->devs, ev->device);
	struct frt *r = calloc(1, sizeof(*r));
	struct finding *f;

	if (r == NULL)
		return NULL;
	f = &r->f;
	f->id = fe_next_id(fe, 1);
	snprintf(f->key, sizeof(f->key), "%s", key);
	snprintf(f->device, sizeof(f->device), "%s", ev->device);
	snprintf(f->object, sizeof(f->object), "%s", ev->object);
	snprintf(f->kind, sizeof(f->kind), "%s", ev->kind);
	if (ev->object[0])
		snprintf(f->title, sizeof(f->title), "%s: %s %s", ev->device,
		    ev->kind, ev->object);
	else
		snprintf(
		    f->title, sizeof(f->title), "%s: %s", ev->device, ev->kind);
	snprintf(f->description, sizeof(f->description), "%s", ev->text);
	if (d) {
		snprintf(f->location, sizeof(f->location), "%s", d->location);
		snprintf(f->owner, sizeof(f->owner), "%s", d->owner);
	}
	f->severity = ev->severity;
	f->priority = fsm_priority(d ? d->impact : 1, ev->severity);
	f->role = fsm_role(ev->kind);
	f->state = FS_OPEN;
	f->count = 1;
	f->first_seen = f->last_seen = f->opened = now;
	f->last_event = ev->id;
	fe_deadlines(fe, f, now);
	fe_impact(fe, ev->device, f->impact, sizeof(f->impact));
	f->suppressed = fe_in_maintenance(fe, ev->device, now);
	f->consequence_of = fe_upstream(fe, d);
	if (hmap_put(&fe->by_key, f->key, r) == -1 ||
	    hmap_iput(&fe->by_id, (uint64_t)f->id, r) == -1) {
		hmap_del(&fe->by_key, f->key);
		free(r);
		return NULL;
	}
	fe->opened++;
	fe_history(fe, f, "open", "netpatrold", ev->id, "%s (%s, %s)", ev->text,
	    ev->source, event_severity_name(ev->severity));
	if (f->suppressed)
		fe_history(fe, f, "suppress", "netpatrold", 0,
		    "in a maintenance window: not notified");
	if (f->consequence_of)
		fe_history(fe, f, "consequence", "netpatrold", 0,
		    "its upstream device is unreachable (finding %lld)",
		    (long long)f->consequence_of);
	return r;
}

/*
 * A device with probes is unreachable only when SNMP and a probe of it
 * both say so: one finding, the device's, opened by whichever says it
 * second and resolved by the first to see it answer again. The event to
 * take in EV's place (EV, or one made in TMP), or NULL for none.
 */
static const struct np_event *
fe_reach(struct fengine *fe, const struct np_event *ev, struct np_event *tmp)
{
	struct fdev *d = hmap_get(&fe->devs, ev->device);

	if (d == NULL || !d->probes)
		return ev;
	if (strcmp(ev->kind, "device.unreachable") == 0) {
		d->snmp_down = 1;
		d->held_sev = ev->severity;
		snprintf(d->held_text, sizeof(d->held_text), "%s", ev->text);
		return d->probe_down ? ev : NULL;
	}
	if (strcmp(ev->kind, "device.reachable") == 0)
		d->snmp_down = 0;
	if (strcmp(ev->source, "probe") != 0 ||
	    strncmp(ev->key, "probe:", 6) != 0)
		return ev;
	*tmp = *ev;
	snprintf(tmp->key, sizeof(tmp->key), "device");
	tmp->object[0] = '\0';
	if (strcmp(ev->kind, "probe.down") == 0) {
		d->probe_down = 1;
		if (!d->snmp_down)
			return NULL;
		snprintf(tmp->kind, sizeof(tmp->kind), "device.unreachable");
		tmp->severity = d->held_sev;
		snprintf(tmp->text, sizeof(tmp->text), "%.250s; %.250s",
		    d->held_text, ev->text);
		return tmp;
	}
	if (strcmp(ev->kind, "probe.up") == 0) {
		d->probe_down = 0;
		return tmp; /* a clear of the device's finding, if open */
	}
	return ev;
}

/* Every event, from the bus. */
static void
fe_event(void *arg, const struct np_event *evin)
{
	struct fengine *fe = arg;
	struct np_event tmp;
	const struct np_event *ev = fe_reach(fe, evin, &tmp);
	enum fclass cls;
	char key[sizeof(((struct finding *)0)->key)];
	struct frt *r;
	const char *action, *why;
	double now;
	enum finding_change change;

	if (ev == NULL)
		return;
	now = ev->time > 0 ? ev->time : fe_now();
	cls = fsm_classify(ev->kind, ev->severity);
	if (cls == FCL_IGNORE)
		return;
	snprintf(key, sizeof(key), "%s/%s", ev->device, ev->key);
	r = hmap_get(&fe->by_key, key);
	if (cls == FCL_CLEAR) {
		if (r == NULL)
			return;
		r->f.last_seen = now;
		r->f.last_event = ev->id;
		if ((action = fsm_apply(&r->f, FI_CLEAR, now, &why)) != NULL) {
			fe->resolved++;
			fe_history(fe, &r->f, action, "netpatrold", ev->id,
			    "%s (%s)", ev->text, ev->source);
			fe_flip(fe, r, now);
			fe_save(fe, r);
			fe_notify(fe, r, FC_RESOLVE);
			return;
		} else if (r->f.state == FS_RESOLVED &&
		    fsm_apply(&r->f, FI_VERIFY, now, &why) != NULL) {
			/* a second source confirms it is gone */
			fe->verified++;
			fe_history(fe, &r->f, "verify", "netpatrold", ev->id,
			    "confirmed by %s: %s", ev->source, ev->text);
		} else
			return;
		fe_save(fe, r);
		return;
	}
	if (r == NULL) {
		if ((r = fe_open(fe, key, ev, now)) == NULL)
			return;
		fe_save(fe, r);
		fe_notify(fe, r, FC_OPEN);
		return;
	}
	/* seen again: evidence, and perhaps a new severity or a reopening */
	r->f.count++;
	r->f.last_seen = now;
	r->f.last_event = ev->id;
	snprintf(r->f.description, sizeof(r->f.description), "%s", ev->text);
	if ((action = fsm_apply(&r->f, FI_PROBLEM, now, &why)) != NULL) {
		fe->reopened++;
		r->f.severity = ev->severity;
		r->f.priority = fsm_priority(
		    ((struct fdev *)hmap_get(&fe->devs, ev->device))
		        ? ((struct fdev *)hmap_get(&fe->devs, ev->device))->impact
		        : 1,
		    ev->severity);
		fe_deadlines(fe, &r->f, now);
		fe_history(fe, &r->f, action, "netpatrold", ev->id, "%s (%s)",
		    ev->text, ev->source);
		fe_flip(fe, r, now);
		change = FC_OPEN;
	} else if ((cls == FCL_PROBLEM && ev->severity != r->f.severity) ||
	    (cls == FCL_ONESHOT && ev->severity > r->f.severity)) {
		/* a fault's state sets its severity both ways; a one-off (a
		 * burst of the failed logins already seen) only raises it */
		enum np_severity was = r->f.severity;
		const struct fdev *d = hmap_get(&fe->devs, ev->device);

		r->f.severity = ev->severity;
		r->f.priority = fsm_priority(d ? d->impact : 1, ev->severity);
		fe_history(fe, &r->f, "severity", "netpatrold", ev->id,
		    "%s -> %s: %s", event_severity_name(was),
		    event_severity_name(ev->severity), ev->text);
		change = FC_SEVERITY;
	} else {
		/*
		 * The same fault again, as a flapping port or a syslog flood
		 * says it thousands of times: counted now, its row written by
		 * the next tick, a history row at most every FE_REPEAT_HIST.
		 */
		if (now - r->repeat_hist >= FE_REPEAT_HIST) {
			if (r->repeats)
				fe_history(fe, &r->f, "update", "netpatrold",
				    ev->id,
				    "%s (%s; seen %lu more times since)",
				    ev->text, ev->source, r->repeats);
			else
				fe_history(fe, &r->f, "update", "netpatrold",
				    ev->id, "%s (%s)", ev->text, ev->source);
			r->repeat_hist = now;
			r->repeats = 0;
		} else
			r->repeats++;
		r->dirty = 1;
		return;
	}
	/* written, then told: the message carries the row's update time */
	fe_save(fe, r);
	fe_notify(fe, r, change);
}

/* What a poll checks: its own events' keys. */
static int
fe_pollable(const struct finding *f)
{
	return strncmp(f->kind, "port.", 5) == 0 ||
	    strncmp(f->kind, "device.unreachable", 18) == 0 ||
	    strncmp(f->kind, "sensor.", 7) == 0 ||
	    strncmp(f->kind, "process.", 8) == 0;
}

void
fengine_poll_ok(struct fengine *fe, const char *device, double start)
{
	const char *why;

	if (fe == NULL)
		return;
	for (size_t i = 0; i < fe->by_id.cap; i++) {
		struct frt *r =
		    fe->by_id.slots[i].hash ? fe->by_id.slots[i].value : NULL;

		if (r == NULL || r->f.state != FS_RESOLVED ||
		    strcmp(r->f.device, device) != 0 || !fe_pollable(&r->f) ||
		    r->f.resolved >= start)
			continue;
		if (fsm_apply(&r->f, FI_VERIFY, fe_now(), &why) == NULL)
			continue;
		fe->verified++;
		fe_history(fe, &r->f, "verify", "netpatrold", 0,
		    "the next poll found it good");
		fe_save(fe, r);
	}
}

/* Housekeeping: closing, flapping that calmed, windows that ended. */
static void
fe_tick(evutil_socket_t fd, short what, void *arg)
{
	struct fengine *fe = arg;
	double now = fe_now();
	const char *why;

	(void)fd;
	(void)what;
	for (size_t i = 0; i < fe->by_id.cap; i++) {
		struct frt *r =
		    fe->by_id.slots[i].hash ? fe->by_id.slots[i].value : NULL;
		int changed = 0, tell = 0;

		if (r == NULL)
			continue;
		if (r->f.state == FS_VERIFIED &&
		    now - r->f.verified >= fe->close_after &&
		    fsm_apply(&r->f, FI_AUTOCLOSE, now, &why) != NULL) {
			fe->closed++;
			fe_history(fe, &r->f, "close", "netpatrold", 0,
			    "verified %d s ago", fe->close_after);
			fe_save(fe, r);
			fe_forget(fe, r);
			continue; /* the map changed under us: next round */
		}
		if (r->f.flapping && r->nflips > 0 &&
		    now - r->flips[r->nflips - 1] > fe->flap_secs) {
			r->f.flapping = 0;
			fe_history(fe, &r->f, "stable", "netpatrold", 0,
			    "no change for %d s", fe->flap_secs);
			changed = 1;
		}
		if (r->f.suppressed &&
		    !fe_in_maintenance(fe, r->f.device, now)) {
			r->f.suppressed = 0;
			fe_history(fe, &r->f, "unsuppress", "netpatrold", 0,
			    "the maintenance window ended");
			changed = 1;
		}
		if (r->f.consequence_of &&
		    hmap_iget(&fe->by_id, (uint64_t)r->f.consequence_of) ==
		        NULL) {
			r->f.consequence_of = 0;
			changed = 1;
		}
		if (changed || r->dirty) {
			/* what was held and is still a fault is told now */
			if (changed && r->held_open && !fe_held(&r->f) &&
			    (r->f.state == FS_OPEN ||
			        r->f.state == FS_ACKNOWLEDGED))
				tell = 1;
			fe_save(fe, r);
			if (tell)
				fe_notify(fe, r, FC_OPEN);
		}
	}
}

/* A finding read from the store, followed (store_get_findings' callback). */
int
fe_load(void *arg, const struct finding *f)
{
	struct fengine *fe = arg;
	struct frt *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return 1;
	r->f = *f;
	if (hmap_put(&fe->by_key, r->f.key, r) == -1 ||
	    hmap_iput(&fe->by_id, (uint64_t)r->f.id, r) == -1) {
		hmap_del(&fe->by_key, r->f.key);
		free(r);
	}
	return 0;
}

struct fengine *
fengine_new(struct event_base *base, struct store *store,
    const char *store_path, struct evbus *bus)
{
	struct fengine *fe = calloc(1, sizeof(*fe));
	struct store_finding_filter flt = {0, 1, NULL, -1, 0};
	struct timeval tick = {FE_TICK, 0};
	struct store *ro;
	char err[512];

	if (fe == NULL)
		return NULL;
	fe->base = base;
	fe->store = store;
	snprintf(fe->store_path, sizeof(fe->store_path), "%s", store_path);
	hmap_init(&fe->owned);
	hmap_init(&fe->by_key);
	hmap_init(&fe->by_id);
	hmap_init(&fe->devs);
	/*
	 * What was not closed goes on. Read through a connection of our own:
	 * the writer thread owns the store's (opened without a mutex).
	 */
	if ((ro = store_open(store_path, 1, err, sizeof(err))) == NULL) {
		log_warnx("findings: %s", err);
		fe->next_id = 1;
	} else {
		fe->next_id = store_max_finding_id(ro) + 1;
		store_get_findings(ro, &flt, fe_load, fe);
		store_close(ro);
	}
	/* (in PostgreSQL, a block of ids of its own: several nodes) */
	fe->id_end = INT64_MAX;
	if (store_is_pg(store))
		store_ids_refill(store, STORE_ID_FINDING, &fe->next_id, &fe->id_end);
	fe->close_after = 3600;
	fe->flap_count = 5;
	fe->flap_secs = 600;
	for (int p = 1; p <= 4; p++) {
		fe->respond[p] = 86400;
		fe->resolve[p] = 7 * 86400;
	}
	if ((fe->ev_tick = event_new(base, -1, EV_PERSIST, fe_tick, fe)) !=
	    NULL)
		event_add(fe->ev_tick, &tick);
	evbus_subscribe(bus, fe_event, fe);
	return fe;
}

void
fengine_listen(struct fengine *fe, fengine_change_fn change,
    fengine_settled_fn settled, void *arg)
{
	fe->change = change;
	fe->settled = settled;
	fe->larg = arg;
}

void
fengine_configure(struct fengine *fe, const struct config *c)
{
	const struct device_conf *d;
	const struct maint_conf *m;
	const struct probe_conf *pc;
	int n = 0;

	hmap_clear_free(&fe->devs);
	TAILQ_FOREACH(d, &c->devices, entry)
	{
		struct fdev *x = calloc(1, sizeof(*x));

		if (x == NULL)
			break;
		snprintf(x->name, sizeof(x->name), "%s", d->name);
		snprintf(x->location, sizeof(x->location), "%s", d->location);
		snprintf(x->owner, sizeof(x->owner), "%s", d->owner);
		snprintf(x->depends, sizeof(x->depends), "%s", d->depends);
		x->impact = d->impact;
		if (hmap_put(&fe->devs, x->name, x) == -1)
			free(x);
	}
	TAILQ_FOREACH(pc, &c->probes, entry) {
		struct fdev *x;

		if (pc->device[0] && !pc->tmpl[0] &&
		    (x = hmap_get(&fe->devs, pc->device)) != NULL)
			x->probes = 1;
	}
	fe->close_after = c->finding_close_after;
	fe->flap_count = c->flap_count;
	fe->flap_secs = c->flap_secs;
	for (int p = 1; p <= 4; p++) {
		fe->respond[p] = c->respond_secs[p];
		fe->resolve[p] = c->resolve_secs[p];
	}
	free(fe->maint);
	fe->maint = NULL;
	fe->nmaint = 0;
	TAILQ_FOREACH(m, &c->maintenances, entry)
	n++;
	if (n && (fe->maint = calloc((size_t)n, sizeof(*fe->maint))) != NULL)
		TAILQ_FOREACH(m, &c->maintenances, entry)
	fe->maint[fe->nmaint++] = *m;
}

void
fengine_status(struct fengine *fe, struct jbuf *j)
{
	uint64_t open = 0, ack = 0, resolved = 0, verified = 0, overdue = 0,
	         flapping = 0, held = 0;
	double now = fe_now();

	for (size_t i = 0; i < fe->by_id.cap; i++) {
		const struct frt *r =
		    fe->by_id.slots[i].hash ? fe->by_id.slots[i].value : NULL;

		if (r == NULL)
			continue;
		open += r->f.state == FS_OPEN;
		ack += r->f.state == FS_ACKNOWLEDGED;
		resolved += r->f.state == FS_RESOLVED;
		verified += r->f.state == FS_VERIFIED;
		flapping += r->f.flapping != 0;
		held += fe_held(&r->f);
		overdue += (r->f.state == FS_OPEN && now > r->f.respond_by) ||
		    ((r->f.state == FS_OPEN || r->f.state == FS_ACKNOWLEDGED) &&
		        now > r->f.resolve_by);
	}
	json_key(j, "findings");
	json_obj_open(j);
	json_kuint(j, "open", open);
	json_kuint(j, "acknowledged", ack);
	json_kuint(j, "resolved", resolved);
	json_kuint(j, "verified", verified);
	json_kuint(j, "overdue", overdue);
	json_kuint(j, "flapping", flapping);
	json_kuint(j, "held", held);
	json_kuint(j, "opened_total", fe->opened);
	json_kuint(j, "reopened_total", fe->reopened);
	json_kuint(j, "resolved_total", fe->resolved);
	json_kuint(j, "verified_total", fe->verified);
	json_kuint(j, "closed_total", fe->closed);
	json_kuint(j, "notified_total", fe->notified);
	json_kuint(j, "held_total", fe->held);
	json_kuint(j, "store_dropped_total", fe->store_dropped);
	json_obj_close(j);
}

void
fengine_free(struct fengine *fe)
{
	if (fe == NULL)
		return;
	if (fe->ev_tick)
		event_free(fe->ev_tick);
	/* repeats counted since the last tick are written */
	for (size_t i = 0; i < fe->by_id.cap; i++) {
		struct frt *r =
		    fe->by_id.slots[i].hash ? fe->by_id.slots[i].value : NULL;

		if (r && r->dirty)
			fe_save(fe, r);
	}
	hmap_free(&fe->by_key);
	hmap_free_values(&fe->by_id);
	hmap_free_values(&fe->devs);
	hmap_free_values(&fe->owned); /* copies of the names */
	free(fe->maint);
	free(fe);
}
