/*
 * probe.c - the probe engine (probe.h): schedule, ICMP and TCP tries,
 * steps summarised and reported.
 *
 * A step of a probe: COUNT tries SPACING apart (at most 1 s, and the
 * tries take at most half the interval), then TIMEOUT for the last
 * answer; an answer later than TIMEOUT after its try is lost, as
 * fping's. Steps begin INTERVAL apart, each probe at its own offset in
 * the interval (a hash of its name), so that thousands of targets do
 * not send at once.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "probe.h"
#include "probe_int.h"
#include "rrdw.h"

/* --- schemas: SmokePing's DS names --- */

static const char *const probe_ds[3 + NP_PROBE_PINGS] = {"uptime", "loss",
    "median", "ping1", "ping2", "ping3", "ping4", "ping5", "ping6", "ping7",
    "ping8", "ping9", "ping10", "ping11", "ping12", "ping13"};
static struct sample_schema probe_schemas[NP_PROBE_PINGS + 1];

const struct sample_schema *
probe_schema(int count)
{
	struct sample_schema *s;

	if (count < 1 || count > NP_PROBE_PINGS)
		return NULL;
	s = &probe_schemas[count];
	if (s->n == 0) {
		s->name = "probe";
		for (int i = 0; i < 3 + count; i++) {
			s->metric[i] = probe_ds[i];
			s->kind[i] = SAMPLE_GAUGE;
		}
		s->n = 3 + count;
	}
	return s;
}

/* --- time --- */

double
probe_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

double
probe_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- the schedule: a binary heap of due times behind one timer --- */

static void
heap_swap(struct probe_engine *e, size_t a, size_t b)
{
	struct probe_rt *t = e->heap[a];

	e->heap[a] = e->heap[b];
	e->heap[b] = t;
	e->heap[a]->heap_i = a;
	e->heap[b]->heap_i = b;
}

static void
heap_up(struct probe_engine *e, size_t i)
{
	while (i > 0 && e->heap[(i - 1) / 2]->due > e->heap[i]->due) {
		heap_swap(e, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct probe_engine *e, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < e->nheap && e->heap[l]->due < e->heap[m]->due)
			m = l;
		if (r < e->nheap && e->heap[r]->due < e->heap[m]->due)
			m = r;
		if (m == i)
			return;
		heap_swap(e, i, m);
		i = m;
	}
}

static void
probe_arm(struct probe_engine *e)
{
	struct timeval tv;
	double d;

	if (e->nheap == 0) {
		evtimer_del(e->timer);
		return;
	}
	d = e->heap[0]->due - probe_mono();
	if (d < 0)
		d = 0;
	tv.tv_sec = (time_t)d;
	tv.tv_usec = (suseconds_t)((d - (double)tv.tv_sec) * 1e6);
	evtimer_add(e->timer, &tv);
}

/* --- one step --- */

static double
probe_spacing(const struct probe_rt *p)
{
	double s = p->c.interval / (2.0 * p->c.count);

	return s > 1.0 ? 1.0 : s;
}

static void
probe_try(struct probe_rt *p, int i)
{
	p->rtt[i] = -1;
	if (p->c.kind == PROBE_ICMP)
		probe_icmp_send(p, i);
	else
		probe_tcp_start(p, i);
}

static int
probe_cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of the last day's step medians (NaN before 12 of them). */
static double
probe_baseline(const struct probe_rt *p)
{
	double v[PROBE_HIST];
	int n = 0;

	for (int i = 0; i < p->nhist; i++)
		if (!isnan(p->hist[i]))
			v[n++] = p->hist[i];
	if (n < 12)
		return NAN;
	qsort(v, (size_t)n, sizeof(v[0]), probe_cmp_d);
	return v[n / 2];
}

static void
probe_history(struct probe_rt *p, double median)
{
	/* PROBE_HIST slots over a day: one step median every EVERY steps */
	int every = 86400 / PROBE_HIST / p->c.interval;

	if (every < 1)
		every = 1;
	if (p->hist_skip-- > 0)
		return;
	p->hist_skip = every - 1;
	p->hist[p->hist_i] = median;
	p->hist_i = (p->hist_i + 1) % PROBE_HIST;
	if (p->nhist < PROBE_HIST)
		p->nhist++;
}

static void
probe_emit(struct probe_rt *p, const char *kind, const char *keyfmt,
    enum np_severity sev, const char *old, const char *new,
    const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void
probe_emit(struct probe_rt *p, const char *kind, const char *keyfmt,
    enum np_severity sev, const char *old, const char *new,
    const char *fmt, ...)
{
	struct np_event ev;
	char key[NP_STR_MAX];
	va_list ap;

	snprintf(key, sizeof(key), keyfmt, p->c.name);
	event_init(&ev, p->evdev, "probe", kind, key, sev, "%s", "");
	va_start(ap, fmt);
	vsnprintf(ev.text, sizeof(ev.text), fmt, ap);
	va_end(ap);
	snprintf(ev.object, sizeof(ev.object), "%s", p->c.name);
	snprintf(ev.old_state, sizeof(ev.old_state), "%s", old);
	snprintf(ev.new_state, sizeof(ev.new_state), "%s", new);
	ev.time = p->updated;
	if (evbus_emit(p->e->bus, &ev) == -1)
		p->e->events_dropped++;
	p->e->events++;
}

/*
 * The step's events. probe.down after DOWN_AFTER steps of 100% loss,
 * probe.up at the first answer; probe.loss at LOSS_PCT or more (below
 * 100%), cleared (probe.ok) under half of it; probe.latency when the
 * median passes LATENCY_MS or BASELINE x the day's median, cleared under
 * 80% of the limit: the sensors' hysteresis, so a value hovering at a
 * limit does not flap.
 */
static void
probe_judge(struct probe_rt *p)
{
	const struct probe_result *r = &p->last;
	double base = probe_baseline(p), lim = INFINITY;
	const char *why = "";
	enum np_severity dsev = p->c.device[0] ? SEV_CRITICAL : SEV_MAJOR;

	if (r->received == 0) {
		p->down_steps++;
		if (!p->down && p->down_steps >= p->c.down_after) {
			p->down = 1;
			probe_emit(p, "probe.down", "probe:%s", dsev, "up",
			    "down", "%s probe %s: no answer from %s for %d "
			                "steps",
			    p->kindname, p->c.name, p->target, p->down_steps);
		}
	} else {
		p->down_steps = 0;
		if (p->down) {
			p->down = 0;
			probe_emit(p, "probe.up", "probe:%s", SEV_INFO, "down",
			    "up", "%s probe %s: %s answers again (%.0f%% loss)",
			    p->kindname, p->c.name, p->target, r->loss_pct);
		}
	}
	if (r->received > 0 && r->loss_pct >= p->c.loss_pct && !p->lossy) {
		p->lossy = 1;
		probe_emit(p, "probe.loss", "probe-loss:%s", SEV_WARNING, "ok",
		    "loss", "%s probe %s: %.0f%% loss to %s (limit %d%%)",
		    p->kindname, p->c.name, r->loss_pct, p->target,
		    p->c.loss_pct);
	} else if (p->lossy && r->received > 0 &&
	    r->loss_pct < p->c.loss_pct / 2.0) {
		p->lossy = 0;
		probe_emit(p, "probe.ok", "probe-loss:%s", SEV_INFO, "loss",
		    "ok", "%s probe %s: %.0f%% loss to %s", p->kindname,
		    p->c.name, r->loss_pct, p->target);
	}
	if (p->c.latency_ms > 0) {
		lim = p->c.latency_ms;
		why = "limit";
	}
	if (p->c.baseline > 0 && !isnan(base) && base * p->c.baseline < lim) {
		lim = base * p->c.baseline;
		why = "day's median x baseline";
	}
	p->limit_ms = isinf(lim) ? NAN : lim;
	if (!isnan(r->median) && !isinf(lim) && r->median > lim &&
	    !p->slow) {
		p->slow = 1;
		p->slow_limit = lim;
		probe_emit(p, "probe.latency", "probe-latency:%s", SEV_WARNING,
		    "ok", "slow",
		    "%s probe %s: median %.3f ms to %s, above %.3f ms (%s)",
		    p->kindname, p->c.name, r->median, p->target, lim, why);
	} else if (p->slow && !isnan(r->median) &&
	    r->median < 0.8 * p->slow_limit) {
		p->slow = 0;
		probe_emit(p, "probe.ok", "probe-latency:%s", SEV_INFO, "slow",
		    "ok", "%s probe %s: median %.3f ms to %s", p->kindname,
		    p->c.name, r->median, p->target);
	}
	if (!isnan(r->median))
		probe_history(p, r->median);
}

const char *
probe_state(const struct probe_rt *p)
{
	if (!p->have)
		return "unknown";
	if (p->down || p->last.received == 0)
		return "down";
	if (p->lossy || p->slow || p->last.loss_pct > 0)
		return "degraded";
	return "up";
}

void
probe_store(struct probe_rt *p)
{
	struct store_probe x;

	if (p->e->store == NULL)
		return;
	memset(&x, 0, sizeof(x));
	snprintf(x.device, sizeof(x.device), "%s", p->c.device);
	snprintf(x.name, sizeof(x.name), "%s", p->c.name);
	snprintf(x.kind, sizeof(x.kind), "%s", p->kindname);
	if (p->c.kind == PROBE_TCP)
		snprintf(x.target, sizeof(x.target), "%s port %u", p->target,
		    p->c.port);
	else
		snprintf(x.target, sizeof(x.target), "%s", p->target);
	x.count = p->c.count;
	x.received = p->have ? p->last.received : 0;
	x.loss_pct = p->have ? p->last.loss_pct : NAN;
	x.rtt_min = p->have ? p->last.min : NAN;
	x.rtt_median = p->have ? p->last.median : NAN;
	x.rtt_avg = p->have ? p->last.avg : NAN;
	x.rtt_max = p->have ? p->last.max : NAN;
	x.jitter = p->have ? p->last.jitter : NAN;
	snprintf(x.state, sizeof(x.state), "%s", probe_state(p));
	x.updated = p->have ? p->updated : 0;
	snprintf(x.rrd, sizeof(x.rrd), "%s", p->rrd);
	if (store_put_probe(p->e->store, &x) == -1)
		p->e->store_dropped++;
}

static void
probe_finish(struct probe_rt *p)
{
	struct sample_set s;
	const struct sample_schema *sc = probe_schema(p->c.count);

	if (p->c.kind == PROBE_TCP)
		probe_tcp_close(p);
	probe_summarise(p->rtt, p->c.count, &p->last);
	p->have = 1;
	p->updated = probe_real();
	p->steps++;
	p->e->steps++;
	probe_judge(p);
	if (sc != NULL && p->e->samples != NULL) {
		sample_set_init(&s, sc, p->evdev, p->c.name, "probe", p->rrd,
		    p->c.interval, p->updated);
		s.v[0] = NAN; /* uptime: a dynamic address's, none here */
		s.v[1] = p->c.count - p->last.received;
		s.v[2] = p->last.median / 1000.0;
		for (int i = 0; i < p->c.count; i++)
			s.v[3 + i] = p->last.pings[i];
		(void)sample_emit(p->e->samples, &s);
	}
	probe_store(p);
}

/* What P does when its time comes. */
static void
probe_act(struct probe_rt *p, double now)
{
	switch (p->phase) {
	case PH_IDLE:
		p->step_start = now;
		p->tries = 0;
		for (int i = 0; i < NP_PROBE_PINGS; i++)
			p->rtt[i] = -1;
		p->phase = PH_SENDING;
		/* FALLTHROUGH */
	case PH_SENDING:
		probe_try(p, p->tries++);
		if (p->tries < p->c.count)
			p->due = now + probe_spacing(p);
		else {
			p->phase = PH_WAIT;
			p->due = now + p->c.timeout_ms / 1000.0;
		}
		break;
	case PH_WAIT:
		probe_finish(p);
		p->phase = PH_IDLE;
		p->due = p->step_start + p->c.interval;
		if (p->due < now) /* the loop was held up: skip, not burst */
			p->due = now + p->c.interval;
		break;
	}
}

static void
probe_tick(evutil_socket_t fd, short what, void *arg)
{
	struct probe_engine *e = arg;
	double now = probe_mono();
	int n = 0;

	(void)fd;
	(void)what;
	/* all that is due (and what is due within a millisecond), bounded
	   so that the loop's other work goes on under any load */
	while (e->nheap > 0 && e->heap[0]->due <= now + 0.001 && n++ < 4096) {
		struct probe_rt *p = e->heap[0];

		probe_act(p, now);
		heap_down(e, 0);
	}
	probe_arm(e);
}

/* --- configuration --- */

static uint32_t
probe_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The address probe C aims at: its own, or its device's. */
static const char *
probe_address(const struct config *c, const struct probe_conf *pc)
{
	const struct device_conf *d;

	if (pc->address[0] || pc->device[0] == '\0')
		return pc->address;
	TAILQ_FOREACH(d, &c->devices, entry)
		if (strcmp(d->name, pc->device) == 0)
			return d->address;
	return "";
}

static int
probe_sockaddr(const char *addr, uint16_t port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
		return 0;
	}
	return -1;
}

int
probe_check_conf(const struct config *c, char *err, size_t errlen)
{
	const struct probe_conf *pc;
	struct sockaddr_storage ss;
	socklen_t len;

	TAILQ_FOREACH(pc, &c->probes, entry) {
		const char *a;

		if (pc->tmpl[0])
			continue;
		a = probe_address(c, pc);
		if (probe_sockaddr(a, 0, &ss, &len) == -1) {
			snprintf(err, errlen, "%s:%d: probe \"%s\": %s \"%s\" is "
			    "not an IP address (give the probe one)", pc->file,
			    pc->line, pc->name, pc->device[0] ? "device address"
			                                      : "address", a);
			return -1;
		}
		if (pc->source[0]) {
			struct sockaddr_storage s2;

			if (probe_sockaddr(pc->source, 0, &s2, &len) == -1 ||
			    s2.ss_family != ss.ss_family) {
				snprintf(err, errlen, "%s:%d: probe \"%s\": source "
				    "%s is not of the target's family",
				    pc->file, pc->line, pc->name, pc->source);
				return -1;
			}
		}
	}
	return 0;
}

struct probe_engine *
probe_new(struct event_base *base, struct evbus *bus,
    struct sample_stream *samples, struct store *store, const char *rrd_dir)
{
	struct probe_engine *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	e->base = base;
	e->bus = bus;
	e->samples = samples;
	e->store = store;
	snprintf(e->rrd_dir, sizeof(e->rrd_dir), "%s", rrd_dir ? rrd_dir : "");
	e->icmp[0].fd = e->icmp[1].fd = -1;
	if ((e->timer = evtimer_new(base, probe_tick, e)) == NULL) {
		free(e);
		return NULL;
	}
	return e;
}

static void
probe_rt_free(struct probe_engine *e, struct probe_rt *p)
{
	if (p->c.kind == PROBE_TCP)
		probe_tcp_close(p);
	probe_icmp_forget(e, p);
	free(p);
}

/* Keep what a probe learnt (state, history) when its definition stays. */
static struct probe_rt *
probe_find_old(struct probe_rt **old, size_t n, const struct probe_conf *pc,
    const char *target)
{
	for (size_t i = 0; i < n; i++) {
		struct probe_rt *p = old[i];

		if (p != NULL && strcmp(p->c.name, pc->name) == 0 &&
		    strcmp(p->c.device, pc->device) == 0 &&
		    p->c.kind == pc->kind && p->c.count == pc->count &&
		    p->c.interval == pc->interval && p->c.port == pc->port &&
		    strcmp(p->target, target) == 0) {
			old[i] = NULL;
			return p;
		}
	}
	return NULL;
}

void
probe_configure(struct probe_engine *e, const struct config *c)
{
	struct probe_rt **old = e->heap;
	size_t nold = e->nheap, n = 0;
	const struct probe_conf *pc;
	double now = probe_mono();

	e->heap = calloc((size_t)c->nprobes + 1, sizeof(*e->heap));
	if (e->heap == NULL) {
		log_warnx("probes: out of memory");
		e->heap = old;
		return;
	}
	e->nheap = 0;
	if (e->store)
		(void)store_clear_probes(e->store);
	TAILQ_FOREACH(pc, &c->probes, entry) {
		struct sockaddr_storage ss;
		socklen_t len;
		const char *a = probe_address(c, pc);
		struct probe_rt *p;
		char dev[PATH_MAX], obj[PATH_MAX];

		if (pc->tmpl[0] || n >= (size_t)c->nprobes)
			continue;
		if (probe_sockaddr(a, pc->kind == PROBE_TCP ? pc->port : 0, &ss,
		        &len) == -1)
			continue; /* refused by probe_check_conf */
		if ((p = probe_find_old(old, nold, pc, a)) != NULL) {
			struct probe_conf keep = *pc;

			p->c = keep; /* thresholds may have changed */
		} else {
			if ((p = calloc(1, sizeof(*p))) == NULL)
				break;
			p->c = *pc;
			p->e = e;
			p->ss = ss;
			p->sslen = len;
			snprintf(p->target, sizeof(p->target), "%s", a);
			for (int i = 0; i < NP_PROBE_PINGS; i++)
				p->fd[i] = -1;
			p->phase = PH_IDLE;
			/* a start of its own within the first interval */
			p->due = now + (probe_hash(pc->name) %
			                   ((uint32_t)pc->interval * 1000u)) /
			                  1000.0;
		}
		memset(&p->c.entry, 0, sizeof(p->c.entry));
		p->kindname = p->c.kind == PROBE_ICMP ? "icmp" : "tcp";
		snprintf(p->evdev, sizeof(p->evdev), "%s",
		    pc->device[0] ? pc->device : pc->name);
		if (rrdw_escape(p->evdev, dev, sizeof(dev)) == -1 ||
		    rrdw_escape(pc->name, obj, sizeof(obj)) == -1 ||
		    (size_t)snprintf(p->rrd, sizeof(p->rrd), "%s/%s/probe-%s.rrd",
		        e->rrd_dir, pc->device[0] ? dev : "probes", obj) >=
		        sizeof(p->rrd) ||
		    e->rrd_dir[0] == '\0')
			p->rrd[0] = '\0';
		p->heap_i = n;
		e->heap[n++] = p;
		e->nheap = n;
		heap_up(e, n - 1);
		probe_store(p);
	}
	for (size_t i = 0; i < nold; i++)
		if (old[i] != NULL)
			probe_rt_free(e, old[i]);
	free(old);
	e->nprobes = n;
	probe_arm(e);
}

void
probe_status(struct probe_engine *e, struct jbuf *j)
{
	size_t up = 0, down = 0, degraded = 0;

	for (size_t i = 0; i < e->nheap; i++) {
		const char *s = probe_state(e->heap[i]);

		if (strcmp(s, "up") == 0)
			up++;
		else if (strcmp(s, "down") == 0)
			down++;
		else if (strcmp(s, "degraded") == 0)
			degraded++;
	}
	json_key(j, "probes");
	json_obj_open(j);
	json_kuint(j, "configured", e->nheap);
	json_kuint(j, "up", up);
	json_kuint(j, "degraded", degraded);
	json_kuint(j, "down", down);
	json_kuint(j, "steps", e->steps);
	json_kuint(j, "sent", e->sent);
	json_kuint(j, "received", e->received);
	json_kuint(j, "send_errors", e->send_errors);
	json_kuint(j, "late", e->late);
	json_kuint(j, "events", e->events);
	json_kuint(j, "events_dropped", e->events_dropped);
	json_kuint(j, "store_dropped", e->store_dropped);
	json_kstr(j, "icmp4", e->icmp[0].fd == -1 ? e->icmp[0].why
	                      : e->icmp[0].raw ? "raw"
	                                       : "ping socket");
	json_kstr(j, "icmp6", e->icmp[1].fd == -1 ? e->icmp[1].why
	                      : e->icmp[1].raw ? "raw"
	                                       : "ping socket");
	json_obj_close(j);
}

void
probe_free(struct probe_engine *e)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->nheap; i++)
		probe_rt_free(e, e->heap[i]);
	free(e->heap);
	probe_icmp_close(e);
	if (e->timer)
		event_free(e->timer);
	free(e);
}
