/*
 * pcap_link.c - links counted from the wire (pcap_link.h): each packet
 * decoded (pcapdec.c) and counted by direction, class and host; each
 * step summarised into a sample set, the store and the link's events.
 *
 * Bytes are the frame's length on the wire as libpcap gives it (the
 * link header included, no FCS): what the kernel's own interface
 * counters (/sys/class/net/IF/statistics) count, so the two agree.
 * darkstat counts IP lengths instead; the difference is the link
 * header, 14 to 22 bytes a frame.
 *
 * Direction: a frame whose Ethernet source is the interface's own
 * address went out; any other came in. On cooked captures ("any", or
 * an interface without a link header) the kernel's packet type says. An
 * interface with no address of its own (loopback) gives no direction:
 * its frames count in, and as "undirected".
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "log.h"
#include "pcap_int.h"
#include "rrdw.h"

const struct sample_schema pcap_link_schema = {
    .name = "link",
    .n = 6,
    .metric = {"in_bytes", "out_bytes", "in_packets", "out_packets", "drops",
        "utilisation"},
    .kind = {SAMPLE_COUNTER, SAMPLE_COUNTER, SAMPLE_COUNTER, SAMPLE_COUNTER,
        SAMPLE_COUNTER, SAMPLE_GAUGE},
};

static double
pl_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
pl_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- counting --- */

void
pcap_link_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *b)
{
	struct pcap_link_rt *l = (struct pcap_link_rt *)arg;
	struct pcapdec d;
	enum pcapdec_rc rc;
	struct pcap_host *hs;
	uint64_t len;
	int dir, c;

	rc = pcapdec_frame(l->dlt, b, h->caplen, &d);
	len = h->len;
	if (d.dir != PD_DIR_UNKNOWN) {
		dir = d.dir == PD_DIR_OUT ? PD_OUT : PD_IN;
		/* a cooked header is not on the wire: the network layer's */
		len =
		    h->len > (bpf_u_int32)d.link_len ? h->len - d.link_len : 0;
	} else if (d.have_mac && l->have_mac)
		dir = memcmp(d.src_mac, l->mac, 6) == 0 ? PD_OUT : PD_IN;
	else {
		dir = PD_IN;
		l->undirected++;
	}
	l->all.bytes[dir] += len;
	l->all.packets[dir]++;
	if (rc == PD_TRUNC)
		l->truncated++;
	else if (rc == PD_BAD || rc == PD_NOLINK)
		l->bad++;
	c = pcapdec_class(rc, &d);
	l->cls[c].bytes[dir] += len;
	l->cls[c].packets[dir]++;
	if (d.family == 0)
		return;
	if ((hs = pcap_hosts_get(&l->hosts, d.family, d.src)) != NULL) {
		hs->out_bytes += len;
		hs->out_packets++;
		hs->last = h->ts.tv_sec + h->ts.tv_usec / 1e6;
	}
	if ((hs = pcap_hosts_get(&l->hosts, d.family, d.dst)) != NULL) {
		hs->in_bytes += len;
		hs->in_packets++;
	}
}

/* What the ring holds now, a bounded number of bursts. */
static void
pl_drain(struct pcap_link_rt *l)
{
	int n;

	for (int i = 0; l->p != NULL && i < 16; i++) {
		n = pcap_dispatch(
		    l->p, PCAP_BURST, pcap_link_packet, (u_char *)l);
		if (n == -1 || n == PCAP_ERROR_BREAK) {
			l->errors++;
			snprintf(
			    l->err, sizeof(l->err), "%s", pcap_geterr(l->p));
			log_warnx("link %s: capture on %s stopped: %s",
			    l->c.name, l->c.interface, l->err);
			pcap_link_stats(l);
			pcap_link_close(l);
			return;
		}
		if (n < PCAP_BURST)
			return;
	}
}

void
pcap_link_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pl_drain(arg);
}

/* --- steps --- */

static void
pl_emit(struct pcap_link_rt *l, const char *kind, enum np_severity sev,
    const char *old, const char *new, const char *text)
{
	struct np_event ev;
	char key[NP_STR_MAX];

	snprintf(key, sizeof(key), "link-congested:%s", l->c.name);
	event_init(&ev, l->c.name, "link", kind, key, sev, "%s", text);
	snprintf(ev.object, sizeof(ev.object), "%s", l->c.interface);
	snprintf(ev.old_state, sizeof(ev.old_state), "%s", old);
	snprintf(ev.new_state, sizeof(ev.new_state), "%s", new);
	ev.time = l->updated;
	if (evbus_emit(l->e->bus, &ev) == -1)
		l->e->events_dropped++;
	l->e->events++;
}

/*
 * link.congested when the busier direction is at CONGESTED_PCT of the
 * speed or more for CONGESTED_FOR steps in a row; link.ok when it is
 * back under 80% of that limit (the sensors' hysteresis: a rate hovering
 * at the limit does not flap).
 */
static void
pl_judge(struct pcap_link_rt *l)
{
	char text[256];
	int pct = l->c.congested_pct;

	if (pct <= 0 || isnan(l->util))
		return;
	if (l->util >= pct)
		l->over_steps++;
	else
		l->over_steps = 0;
	if (!l->congested && l->over_steps >= l->c.congested_for) {
		l->congested = 1;
		snprintf(text, sizeof(text),
		    "link %s (%s): %.1f%% of %.0f "
		    "Mbit/s (in %.0f, out %.0f bit/s) for %d steps, limit %d%%",
		    l->c.name, l->c.interface, l->util, l->speed / 1e6,
		    l->in_bps, l->out_bps, l->over_steps, pct);
		pl_emit(
		    l, "link.congested", SEV_WARNING, "ok", "congested", text);
	} else if (l->congested && l->util < 0.8 * pct) {
		l->congested = 0;
		snprintf(text, sizeof(text),
		    "link %s (%s): %.1f%% of %.0f "
		    "Mbit/s",
		    l->c.name, l->c.interface, l->util, l->speed / 1e6);
		pl_emit(l, "link.ok", SEV_INFO, "congested", "ok", text);
	}
}

static const char *
pl_state(const struct pcap_link_rt *l)
{
	if (l->p == NULL)
		return "down";
	if (l->congested)
		return "congested";
	return l->steps > 0 ? "ok" : "unknown";
}

static void
pl_store(struct pcap_link_rt *l)
{
	struct store_link x;

	if (l->e->store == NULL)
		return;
	memset(&x, 0, sizeof(x));
	snprintf(x.name, sizeof(x.name), "%s", l->c.name);
	snprintf(x.interface, sizeof(x.interface), "%s", l->c.interface);
	x.speed = l->speed;
	x.in_bytes = l->all.bytes[PD_IN];
	x.out_bytes = l->all.bytes[PD_OUT];
	x.in_packets = l->all.packets[PD_IN];
	x.out_packets = l->all.packets[PD_OUT];
	x.in_bps = l->in_bps;
	x.out_bps = l->out_bps;
	x.utilisation = l->util;
	x.drops = l->drops;
	x.if_drops = l->if_drops;
	snprintf(x.state, sizeof(x.state), "%s", pl_state(l));
	x.updated = l->updated;
	snprintf(x.rrd, sizeof(x.rrd), "%s", l->rrd);
	if (store_put_link(l->e->store, &x) == -1)
		l->e->store_dropped++;
}

static void
pl_sample(struct pcap_link_rt *l, double dt)
{
	struct sample_set s;
	const uint64_t raw[5] = {l->all.bytes[PD_IN], l->all.bytes[PD_OUT],
	    l->all.packets[PD_IN], l->all.packets[PD_OUT], l->drops};
	const uint64_t was[5] = {l->at_last.bytes[PD_IN],
	    l->at_last.bytes[PD_OUT], l->at_last.packets[PD_IN],
	    l->at_last.packets[PD_OUT], l->drops_last};

	if (l->e->samples == NULL)
		return;
	sample_set_init(&s, &pcap_link_schema, l->c.name, l->c.interface,
	    "link", l->rrd, l->c.step, l->updated);
	for (int i = 0; i < 5; i++) {
		/* a counter that went back (the capture reopened): unknown */
		s.v[i] =
		    raw[i] >= was[i] ? (double)(raw[i] - was[i]) / dt : NAN;
		s.raw[i] = raw[i];
		s.raw_have |= 1u << i;
	}
	s.v[5] = l->util;
	if (sample_emit(l->e->samples, &s) == -1)
		l->e->samples_dropped++;
}

static void
pl_step(evutil_socket_t fd, short what, void *arg)
{
	struct pcap_link_rt *l = arg;
	double now = pl_mono(), dt = now - l->last_t;

	(void)fd;
	(void)what;
	if (dt <= 0)
		return;
	pl_drain(l);
	pcap_link_stats(l);
	pcap_link_mac(l);
	l->speed = l->c.speed ? l->c.speed : pcap_link_ifspeed(l->c.interface);
	l->in_bps =
	    8.0 * (double)(l->all.bytes[PD_IN] - l->at_last.bytes[PD_IN]) / dt;
	l->out_bps = 8.0 *
	    (double)(l->all.bytes[PD_OUT] - l->at_last.bytes[PD_OUT]) / dt;
	l->util = l->speed
	    ? 100.0 * fmax(l->in_bps, l->out_bps) / (double)l->speed
	    : NAN;
	l->updated = pl_real();
	l->steps++;
	pl_judge(l);
	pl_sample(l, dt);
	pl_store(l);
	l->at_last = l->all;
	l->drops_last = l->drops;
	l->last_t = now;
}

/* --- configuration --- */

struct pcap_engine *
pcap_engine_new(struct event_base *base, struct evbus *bus,
    struct sample_stream *samples, struct store *store, const char *rrd_dir)
{
	struct pcap_engine *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	e->base = base;
	e->bus = bus;
	e->samples = samples;
	e->store = store;
	snprintf(e->rrd_dir, sizeof(e->rrd_dir), "%s", rrd_dir ? rrd_dir : "");
	return e;
}

static void
pl_free(struct pcap_link_rt *l)
{
	if (l == NULL)
		return;
	pcap_link_close(l);
	if (l->step_ev)
		event_free(l->step_ev);
	pcap_hosts_free(&l->hosts);
	free(l);
}

static struct pcap_link_rt *
pl_find(struct pcap_engine *e, const char *name, const char *ifname)
{
	for (size_t i = 0; i < e->nlinks; i++)
		if (strcmp(e->links[i]->c.name, name) == 0 &&
		    strcmp(e->links[i]->c.interface, ifname) == 0)
			return e->links[i];
	return NULL;
}

/*
 * The links of C that have no capture yet get one, into E's list (not
 * counted until configured). All or nothing: on failure those opened
 * here are closed again.
 */
int
pcap_engine_open(
    struct pcap_engine *e, const struct config *c, char *err, size_t errlen)
{
	const struct link_conf *lc;
	struct pcap_link_rt **v, *l;
	size_t n = e->nlinks, first = e->nlinks;

	if ((v = realloc(e->links,
	         (e->nlinks + (size_t)c->nlinks + 1) * sizeof(*v))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	e->links = v;
	TAILQ_FOREACH(lc, &c->links, entry)
	{
		if (pl_find(e, lc->name, lc->interface) != NULL)
			continue;
		if ((l = calloc(1, sizeof(*l))) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		l->c = *lc;
		l->e = e;
		l->fd = -1;
		if (pcap_link_open(l, err, errlen) == -1) {
			free(l);
			goto fail;
		}
		e->links[n++] = l;
		e->nlinks = n; /* seen by pl_find: a name twice is one */
	}
	return 0;
fail:
	while (n > first)
		pl_free(e->links[--n]);
	e->nlinks = first;
	return -1;
}

static void
pl_start(struct pcap_link_rt *l, const struct link_conf *lc)
{
	struct timeval tv = {0, PCAP_BLOCK_MS * 1000 * 2}, st;
	const struct timeval *req;
	char dev[PATH_MAX], obj[PATH_MAX], err[256];
	int step_changed = l->step_ev != NULL && l->c.step != lc->step;

	if (strcmp(l->c.filter, lc->filter) != 0 && l->p != NULL &&
	    pcap_link_setfilter(l, lc->filter, err, sizeof(err)) == -1)
		log_warnx("%s", err); /* checked already: not expected */
	l->c = *lc;
	memset(&l->c.entry, 0, sizeof(l->c.entry));
	if (l->hosts.slot == NULL || l->hosts.max != (size_t)lc->hosts) {
		pcap_hosts_free(&l->hosts);
		if (pcap_hosts_init(&l->hosts, (size_t)lc->hosts) == -1)
			log_warnx("link %s: no memory for its hosts", lc->name);
	}
	if (rrdw_escape(lc->name, obj, sizeof(obj)) == -1 ||
	    rrdw_escape("links", dev, sizeof(dev)) == -1 ||
	    l->e->rrd_dir[0] == '\0' ||
	    (size_t)snprintf(l->rrd, sizeof(l->rrd), "%s/%s/link-%s.rrd",
	        l->e->rrd_dir, dev, obj) >= sizeof(l->rrd))
		l->rrd[0] = '\0';
	if (l->p != NULL && l->ev == NULL) {
		/* readable, or libpcap's required timeout, or a block's age:
		   whichever comes first */
		if ((req = pcap_get_required_select_timeout(l->p)) != NULL &&
		    timercmp(req, &tv, <))
			tv = *req;
		l->ev = event_new(l->e->base, l->fd, EV_READ | EV_PERSIST,
		    pcap_link_readable, l);
		if (l->ev == NULL || event_add(l->ev, &tv) == -1)
			log_warnx(
			    "link %s: cannot watch its capture", lc->name);
	}
	if (step_changed) {
		event_free(l->step_ev);
		l->step_ev = NULL;
	}
	if (l->step_ev == NULL) {
		st.tv_sec = lc->step;
		st.tv_usec = 0;
		l->last_t = pl_mono();
		l->at_last = l->all;
		l->drops_last = l->drops;
		if ((l->step_ev = event_new(
		         l->e->base, -1, EV_PERSIST, pl_step, l)) == NULL ||
		    event_add(l->step_ev, &st) == -1)
			log_warnx("link %s: no step timer", lc->name);
	}
	l->speed = lc->speed ? lc->speed : pcap_link_ifspeed(lc->interface);
	if (l->steps == 0)
		l->in_bps = l->out_bps = l->util = NAN;
}

void
pcap_engine_configure(struct pcap_engine *e, const struct config *c)
{
	const struct link_conf *lc;
	size_t n = 0;

	for (size_t i = 0; i < e->nlinks; i++)
		e->links[i]->keep = 0;
	if (e->store)
		(void)store_clear_links(e->store);
	TAILQ_FOREACH(lc, &c->links, entry)
	{
		struct pcap_link_rt *l = pl_find(e, lc->name, lc->interface);

		if (l == NULL || l->keep)
			continue; /* refused by pcap_engine_open */
		l->keep = 1;
		pl_start(l, lc);
	}
	for (size_t i = 0; i < e->nlinks; i++) {
		if (e->links[i]->keep)
			e->links[n++] = e->links[i];
		else
			pl_free(e->links[i]);
	}
	e->nlinks = n;
	for (size_t i = 0; i < n; i++)
		pl_store(e->links[i]);
}

/* --- reports --- */

void
pcap_engine_status(struct pcap_engine *e, struct jbuf *j)
{
	uint64_t drops = 0, pk = 0, congested = 0, down = 0, n = 0;

	for (size_t i = 0; i < e->nlinks; i++) {
		struct pcap_link_rt *l = e->links[i];

		if (l->step_ev == NULL)
			continue; /* opened for a reload that did not happen */
		n++;
		drops += l->drops;
		pk += l->all.packets[0] + l->all.packets[1];
		congested += l->congested != 0;
		down += l->p == NULL;
	}
	json_key(j, "links");
	json_obj_open(j);
	json_kuint(j, "configured", n);
	json_kuint(j, "down", down);
	json_kuint(j, "congested", congested);
	json_kuint(j, "packets", pk);
	json_kuint(j, "drops", drops);
	json_kuint(j, "events", e->events);
	json_kuint(j, "events_dropped", e->events_dropped);
	json_kuint(j, "store_dropped", e->store_dropped);
	json_kuint(j, "samples_dropped", e->samples_dropped);
	json_obj_close(j);
}

static void
pl_json(struct pcap_link_rt *l, struct jbuf *j)
{
	char t[64];
	time_t secs = (time_t)l->updated;
	struct tm tm;

	json_obj_open(j);
	json_kstr(j, "name", l->c.name);
	json_kstr(j, "interface", l->c.interface);
	json_kstr(j, "filter", l->c.filter);
	json_kuint(j, "in_bytes", l->all.bytes[PD_IN]);
	json_kuint(j, "out_bytes", l->all.bytes[PD_OUT]);
	json_kuint(j, "in_packets", l->all.packets[PD_IN]);
	json_kuint(j, "out_packets", l->all.packets[PD_OUT]);
	json_kreal(j, "in_bps", l->in_bps);
	json_kreal(j, "out_bps", l->out_bps);
	json_kuint(j, "speed", l->speed);
	json_kreal(j, "utilisation", l->util);
	json_kuint(j, "drops", l->drops);
	json_kuint(j, "if_drops", l->if_drops);
	json_kuint(j, "truncated", l->truncated);
	json_kuint(j, "undecoded", l->bad);
	json_kuint(j, "undirected", l->undirected);
	json_kuint(j, "hosts", l->hosts.n);
	json_kuint(j, "hosts_evicted", l->hosts.evicted);
	json_kint(j, "step", l->c.step);
	json_kstr(j, "state", pl_state(l));
	json_key(j, "updated");
	if (l->updated > 0 && gmtime_r(&secs, &tm) != NULL &&
	    strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
		json_str(j, t);
	else
		json_null(j);
	json_kstr(j, "error", l->p == NULL ? l->err : "");
	json_obj_close(j);
}

static void
pl_top(struct pcap_link_rt *l, size_t n, struct jbuf *j)
{
	struct pcap_host *top;
	char a[INET6_ADDRSTRLEN];
	size_t k;

	if ((top = calloc(n ? n : 1, sizeof(*top))) == NULL) {
		json_kstr(j, "error", "out of memory");
		return;
	}
	k = pcap_hosts_top(&l->hosts, top, n);
	json_kstr(j, "link", l->c.name);
	json_kuint(j, "tracked", l->hosts.n);
	json_kuint(j, "evicted", l->hosts.evicted);
	json_key(j, "hosts");
	json_arr_open(j);
	for (size_t i = 0; i < k; i++) {
		const struct pcap_host *h = &top[i];

		inet_ntop(
		    h->family == 6 ? AF_INET6 : AF_INET, h->addr, a, sizeof(a));
		json_obj_open(j);
		json_kstr(j, "host", a);
		json_kuint(j, "bytes", h->in_bytes + h->out_bytes);
		json_kuint(j, "packets", h->in_packets + h->out_packets);
		json_kuint(j, "in_bytes", h->in_bytes);
		json_kuint(j, "out_bytes", h->out_bytes);
		json_kuint(j, "in_packets", h->in_packets);
		json_kuint(j, "out_packets", h->out_packets);
		json_kreal(j, "last_sent", h->last > 0 ? h->last : NAN);
		json_obj_close(j);
	}
	json_arr_close(j);
	free(top);
}

static void
pl_protocols(struct pcap_link_rt *l, struct jbuf *j)
{
	json_kstr(j, "link", l->c.name);
	json_key(j, "protocols");
	json_arr_open(j);
	for (int c = 0; c < PD_NCLASS; c++) {
		const struct pcap_count *k = &l->cls[c];

		if (k->packets[0] + k->packets[1] == 0)
			continue;
		json_obj_open(j);
		json_kstr(j, "protocol", pcapdec_class_name(c));
		json_kuint(j, "in_bytes", k->bytes[PD_IN]);
		json_kuint(j, "out_bytes", k->bytes[PD_OUT]);
		json_kuint(j, "in_packets", k->packets[PD_IN]);
		json_kuint(j, "out_packets", k->packets[PD_OUT]);
		json_obj_close(j);
	}
	json_arr_close(j);
}

void
pcap_engine_traffic(struct pcap_engine *e, const char *args, struct jbuf *j)
{
	char name[NP_NAME_MAX] = "", what[16] = "";
	unsigned long n = 10;
	struct pcap_link_rt *l = NULL;
	int k;

	k = sscanf(args, "%63s %15s %lu", name, what, &n);
	if (k <= 0) {
		json_key(j, "links");
		json_arr_open(j);
		for (size_t i = 0; i < e->nlinks; i++) {
			if (e->links[i]->step_ev == NULL)
				continue;
			pl_drain(e->links[i]);
			pl_json(e->links[i], j);
		}
		json_arr_close(j);
		return;
	}
	for (size_t i = 0; i < e->nlinks; i++)
		if (strcmp(e->links[i]->c.name, name) == 0 &&
		    e->links[i]->step_ev != NULL)
			l = e->links[i];
	if (l == NULL) {
		json_kstr(j, "error", "no such link");
		return;
	}
	pl_drain(l);
	if (k == 1) {
		json_key(j, "links");
		json_arr_open(j);
		pl_json(l, j);
		json_arr_close(j);
	} else if (strcmp(what, "top") == 0 && n >= 1 && n <= 10000)
		pl_top(l, n, j);
	else if (strcmp(what, "protocols") == 0 && k == 2)
		pl_protocols(l, j);
	else
		json_kstr(j, "error",
		    "usage: traffic [LINK [top [N] | "
		    "protocols]]");
}

void
pcap_engine_free(struct pcap_engine *e)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->nlinks; i++)
		pl_free(e->links[i]);
	free(e->links);
	free(e);
}
