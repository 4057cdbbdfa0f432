/*
 * http_graph.c - RRD graphs for the pages: GET /graph?... renders a PNG
 * with librrd's rrd_graph_v on ONE worker thread (rrd_graph is not
 * thread-safe in librrd before 1.8, and its time parser never is: the
 * renders are serialised, with absolute --start/--end), never on the
 * loop. A bounded queue of renders (HTTP_GRAPH_QUEUE; beyond it 503,
 * counted); requests for a graph already queued wait for the same
 * render; a cache keyed by graph and period keeps each PNG for about a
 * step of its period (HTTP_GRAPH_CACHE entries, least recently used out).
 *
 *   /graph?d=DEVICE&i=IFINDEX&t=bits|pkts|errs&p=1d|1w|1m|1y[&s=1]
 *   /graph?d=DEVICE&k=SENSOR-KEY&p=...      a health value
 *   /graph?probe=NAME&p=...                  a probe's median and loss
 *
 * RRD files are those the store names for the record, never a path built
 * from the URL.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <event2/keyvalq_struct.h>
#include <rrd.h>

#include "http.h"
#include "log.h"
#include "module.h"
#include "lsan.h"
#include "rrdw.h"
#include "store.h"

#define HTTP_GRAPH_QUEUE 16
#define HTTP_GRAPH_CACHE 128
#define HTTP_GRAPH_WAITERS 32
#define HTTP_GRAPH_ARGS 48

struct gjob {
	struct gjob *next; /* todo or done: the worker's lists, under mu */
	struct gjob *pnext; /* pending: the loop's list */
	char key[700];
	char args[HTTP_GRAPH_ARGS][600];
	int nargs;
	struct evhttp_request *w[HTTP_GRAPH_WAITERS];
	int nw;
	int ttl;
	char rrd[512]; /* the file drawn: flushed first (rrdw_flush) */
	unsigned char *png; /* the result, or NULL */
	size_t len;
	char err[256];
};

struct gcache {
	char key[700];
	unsigned char *png;
	size_t len;
	double expires, used;
};

struct http_graphs {
	struct http_srv *srv;
	pthread_t th;
	int th_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct gjob *todo, *done; /* under mu */
	int stop; /* under mu */
	struct gjob *pending; /* queued or rendering: the loop's list */
	int npending;
	struct event *ev_done;
	struct gcache c[HTTP_GRAPH_CACHE];
	uint64_t render_us; /* total time rendering */
};

static double
g_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- the worker thread --- */

static void
g_render(struct http_graphs *g, struct gjob *j)
{
	const char *argv[HTTP_GRAPH_ARGS];
	rrd_info_t *info, *i;

	/* what the RRD writer keeps for the file is written first */
	if (j->rrd[0] && g->srv->core->rrd != NULL)
		rrdw_flush(g->srv->core->rrd, j->rrd, 1, NULL);

	for (int k = 0; k < j->nargs; k++)
		argv[k] = j->args[k];
	rrd_clear_error();
	NP_LSAN_DISABLE(); /* (lsan.h: librrd's, not ours) */
	info = rrd_graph_v(j->nargs, (char **)argv);
	NP_LSAN_ENABLE();
	if (info == NULL) {
		snprintf(j->err, sizeof(j->err), "%s", rrd_get_error());
		return;
	}
	for (i = info; i; i = i->next)
		if (strcmp(i->key, "image") == 0 && i->type == RD_I_BLO &&
		    (j->png = malloc(i->value.u_blo.size)) != NULL) {
			memcpy(j->png, i->value.u_blo.ptr, i->value.u_blo.size);
			j->len = i->value.u_blo.size;
		}
	rrd_info_free(info);
	if (j->png == NULL)
		snprintf(j->err, sizeof(j->err), "no image");
}

static void *
g_thread(void *arg)
{
	struct http_graphs *g = arg;

	(void)pthread_setname_np(pthread_self(), "http-graph");
	pthread_mutex_lock(&g->mu);
	for (;;) {
		struct gjob *j;
		struct timespec a, b;

		while (g->todo == NULL && !g->stop)
			pthread_cond_wait(&g->cv, &g->mu);
		if (g->stop)
			break;
		j = g->todo;
		g->todo = j->next;
		pthread_mutex_unlock(&g->mu);
		clock_gettime(CLOCK_MONOTONIC, &a);
		g_render(g, j);
		clock_gettime(CLOCK_MONOTONIC, &b);
		pthread_mutex_lock(&g->mu);
		g->render_us += (uint64_t)((b.tv_sec - a.tv_sec) * 1000000 +
		    (b.tv_nsec - a.tv_nsec) / 1000);
		j->next = g->done;
		g->done = j;
		event_active(g->ev_done, 0, 0);
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

/* --- the loop's side --- */

static void
g_send_png(struct http_srv *s, struct evhttp_request *req,
    const unsigned char *png, size_t len, int ttl)
{
	struct evbuffer *b = evbuffer_new();
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	char cc[64];

	if (b == NULL) {
		evhttp_send_error(req, 503, NULL);
		return;
	}
	(void)s;
	evbuffer_add(b, png, len);
	snprintf(cc, sizeof(cc), "private, max-age=%d", ttl);
	evhttp_add_header(h, "Content-Type", "image/png");
	evhttp_add_header(h, "Cache-Control", cc);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static struct gcache *
g_cache_find(struct http_graphs *g, const char *key, double now)
{
	for (int i = 0; i < HTTP_GRAPH_CACHE; i++)
		if (g->c[i].png && now < g->c[i].expires &&
		    strcmp(g->c[i].key, key) == 0)
			return &g->c[i];
	return NULL;
}

static void
g_cache_put(struct http_graphs *g, struct gjob *j, double now)
{
	struct gcache *v = &g->c[0];

	for (int i = 0; i < HTTP_GRAPH_CACHE; i++) {
		if (g->c[i].png == NULL || now >= g->c[i].expires ||
		    strcmp(g->c[i].key, j->key) == 0) {
			v = &g->c[i];
			break;
		}
		if (g->c[i].used < v->used)
			v = &g->c[i];
	}
	free(v->png);
	snprintf(v->key, sizeof(v->key), "%s", j->key);
	v->png = j->png;
	v->len = j->len;
	v->expires = now + j->ttl;
	v->used = now;
	j->png = NULL;
}

static void
g_done(evutil_socket_t fd, short what, void *arg)
{
	struct http_graphs *g = arg;
	struct http_srv *s = g->srv;
	struct gjob *list, *j;
	double now = g_now();

	(void)fd;
	(void)what;
	pthread_mutex_lock(&g->mu);
	list = g->done;
	g->done = NULL;
	pthread_mutex_unlock(&g->mu);
	while ((j = list) != NULL) {
		list = j->next;
		/* off the pending list */
		for (struct gjob **pp = &g->pending; *pp; pp = &(*pp)->pnext)
			if (*pp == j) {
				*pp = j->pnext;
				break;
			}
		g->npending--;
		if (j->png) {
			s->st.graphs_rendered++;
			for (int k = 0; k < j->nw; k++)
				g_send_png(s, j->w[k], j->png, j->len, j->ttl);
			g_cache_put(g, j, now);
		} else {
			s->st.graph_errors++;
			log_warnx("http: graph %s: %s", j->key, j->err);
			for (int k = 0; k < j->nw; k++)
				evhttp_send_error(j->w[k], 500, "graph failed");
		}
		free(j->png);
		free(j);
	}
}

struct http_graphs *
http_graphs_new(struct http_srv *s, char *err, size_t errlen)
{
	struct http_graphs *g = calloc(1, sizeof(*g));

	if (g == NULL) {
		snprintf(err, errlen, "http: out of memory");
		return NULL;
	}
	g->srv = s;
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	if ((g->ev_done = event_new(s->base, -1, 0, g_done, g)) == NULL ||
	    pthread_create(&g->th, NULL, g_thread, g) != 0) {
		snprintf(err, errlen, "http: cannot start the graph thread");
		http_graphs_free(g);
		return NULL;
	}
	g->th_started = 1;
	return g;
}

void
http_graphs_free(struct http_graphs *g)
{
	struct gjob *j;

	if (g == NULL)
		return;
	if (g->th_started) {
		pthread_mutex_lock(&g->mu);
		g->stop = 1;
		pthread_cond_broadcast(&g->cv);
		pthread_mutex_unlock(&g->mu);
		pthread_join(g->th, NULL);
	}
	/* what waits is answered (and so freed by evhttp) */
	while ((j = g->pending) != NULL) {
		g->pending = j->pnext;
		for (int k = 0; k < j->nw; k++)
			evhttp_send_error(j->w[k], 503, "stopping");
		free(j->png);
		free(j);
	}
	for (int i = 0; i < HTTP_GRAPH_CACHE; i++)
		free(g->c[i].png);
	if (g->ev_done)
		event_free(g->ev_done);
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->cv);
	free(g);
}

void
http_graphs_status(struct http_graphs *g, struct jbuf *j)
{
	struct http_stats *st = &g->srv->st;
	size_t n = 0;

	for (int i = 0; i < HTTP_GRAPH_CACHE; i++)
		n += g->c[i].png != NULL;
	json_key(j, "graphs");
	json_obj_open(j);
	json_kuint(j, "rendered", st->graphs_rendered);
	json_kuint(j, "cached", st->graphs_cached);
	json_kuint(j, "dropped", st->graphs_dropped);
	json_kuint(j, "errors", st->graph_errors);
	json_kint(j, "queued", g->npending);
	json_kint(j, "queue_max", HTTP_GRAPH_QUEUE);
	json_kuint(j, "cache_entries", n);
	pthread_mutex_lock(&g->mu);
	json_kreal(j, "render_seconds", g->render_us / 1e6);
	pthread_mutex_unlock(&g->mu);
	json_obj_close(j);
}

/* --- what to draw --- */

struct gport {
	int ifindex;
	int found;
	char rrd[512];
	char name[NP_STR_MAX];
};

static int
g_port(void *arg, const struct store_port *p)
{
	struct gport *gp = arg;

	if (p->ifindex == gp->ifindex) {
		gp->found = 1;
		snprintf(gp->rrd, sizeof(gp->rrd), "%s", p->rrd);
		snprintf(gp->name, sizeof(gp->name), "%s", p->name);
		return 1;
	}
	return 0;
}

struct gsensor {
	const char *key;
	int found;
	char rrd[512];
	char name[NP_STR_MAX];
	char unit[32];
};

static int
g_sensor(void *arg, const struct store_sensor *x)
{
	struct gsensor *gs = arg;

	if (strcmp(x->key, gs->key) == 0) {
		gs->found = 1;
		snprintf(gs->rrd, sizeof(gs->rrd), "%s", x->rrd);
		snprintf(gs->name, sizeof(gs->name), "%s", x->name);
		snprintf(gs->unit, sizeof(gs->unit), "%s", x->unit);
		return 1;
	}
	return 0;
}

static int
g_probe(void *arg, const struct store_probe *x)
{
	struct gsensor *gs = arg;

	if (strcmp(x->name, gs->key) == 0) {
		gs->found = 1;
		snprintf(gs->rrd, sizeof(gs->rrd), "%s", x->rrd);
		return 1;
	}
	return 0;
}

/* RRD's DEF needs ':' escaped; a title its text as given, within reason. */
static void
g_esc(char *out, size_t len, const char *s)
{
	size_t o = 0;

	for (; *s && o + 2 < len; s++) {
		if (*s == ':' || *s == '\\')
			out[o++] = '\\';
		out[o++] = (*s < ' ' || *s == 0x7f) ? ' ' : *s;
	}
	out[o] = '\0';
}

/* The name librrd reads PATH by: relative for a remote rrdcached. */
static const char *
g_name(struct http_srv *s, const char *path)
{
	return rrdw_cached_name(s->core->conf->rrdcached, s->core->rrd_dir,
	    path);
}

#define ARG(...)                                                          \
	do {                                                              \
		if (j->nargs < HTTP_GRAPH_ARGS)                           \
			snprintf(j->args[j->nargs++], sizeof(j->args[0]), \
			    __VA_ARGS__);                                 \
	} while (0)

static void
g_port_args(struct gjob *j, const char *f, const char *t, int small)
{
	if (strcmp(t, "bits") == 0) {
		ARG("DEF:in=%s:in_octets:AVERAGE", f);
		ARG("DEF:out=%s:out_octets:AVERAGE", f);
		ARG("CDEF:inb=in,8,*");
		ARG("CDEF:outb=out,8,*");
		ARG("AREA:inb#90B040:in");
		ARG("LINE1:outb#606090:out");
		if (small)
			return;
		ARG("VDEF:in95=inb,95,PERCENT");
		ARG("VDEF:out95=outb,95,PERCENT");
		ARG("LINE1:in95#FF0000:95th in");
		ARG("LINE1:out95#AA0000:95th out\\n");
		ARG("GPRINT:inb:LAST:in now %%6.2lf %%sbps");
		ARG("GPRINT:inb:AVERAGE:avg %%6.2lf %%sbps");
		ARG("GPRINT:inb:MAX:max %%6.2lf %%sbps");
		ARG("GPRINT:in95:95th %%6.2lf %%sbps\\n");
		ARG("GPRINT:outb:LAST:out now %%6.2lf %%sbps");
		ARG("GPRINT:outb:AVERAGE:avg %%6.2lf %%sbps");
		ARG("GPRINT:outb:MAX:max %%6.2lf %%sbps");
		ARG("GPRINT:out95:95th %%6.2lf %%sbps\\n");
	} else if (strcmp(t, "pkts") == 0) {
		ARG("DEF:iu=%s:in_ucast:AVERAGE", f);
		ARG("DEF:im=%s:in_mcast:AVERAGE", f);
		ARG("DEF:ib=%s:in_bcast:AVERAGE", f);
		ARG("DEF:ou=%s:out_ucast:AVERAGE", f);
		ARG("DEF:om=%s:out_mcast:AVERAGE", f);
		ARG("DEF:ob=%s:out_bcast:AVERAGE", f);
		ARG("CDEF:in=iu,im,ADDNAN,ib,ADDNAN");
		ARG("CDEF:out=ou,om,ADDNAN,ob,ADDNAN");
		ARG("AREA:in#90B040:in pps");
		ARG("LINE1:out#606090:out pps\\n");
		ARG("GPRINT:in:AVERAGE:in avg %%6.2lf %%s");
		ARG("GPRINT:out:AVERAGE:out avg %%6.2lf %%s\\n");
	} else {
		ARG("DEF:ie=%s:in_errors:AVERAGE", f);
		ARG("DEF:oe=%s:out_errors:AVERAGE", f);
		ARG("DEF:id=%s:in_discards:AVERAGE", f);
		ARG("DEF:od=%s:out_discards:AVERAGE", f);
		ARG("LINE1:ie#CC0000:in errors/s");
		ARG("LINE1:oe#FF8800:out errors/s");
		ARG("LINE1:id#0000CC:in discards/s");
		ARG("LINE1:od#00AACC:out discards/s\\n");
	}
}

void
http_graph(struct http_req *r)
{
	struct http_srv *s = r->srv;
	struct http_graphs *g = s->graphs;
	char dev[NP_NAME_MAX], per[8], t[8], sm[4], ix[16], key[NP_STR_MAX],
	    f[1100], title[300];
	struct gjob *j;
	struct gcache *c;
	double now = g_now();
	int64_t ifindex = 0;
	int small, span, ttl, rc;

	if (http_q(r, "p", per, sizeof(per)) != 1)
		snprintf(per, sizeof(per), "1d");
	span = strcmp(per, "1d") == 0 ? 86400
	    : strcmp(per, "1w") == 0  ? 7 * 86400
	    : strcmp(per, "1m") == 0  ? 31 * 86400
	    : strcmp(per, "1y") == 0  ? 366 * 86400
	                              : 0;
	ttl = span <= 86400 ? 60 : span <= 7 * 86400 ? 300 : 1800;
	if (span == 0)
		return http_error(r, 400, "p: 1d, 1w, 1m or 1y");
	small = http_q(r, "s", sm, sizeof(sm)) == 1 && strcmp(sm, "1") == 0;
	if (http_q(r, "t", t, sizeof(t)) != 1)
		snprintf(t, sizeof(t), "bits");
	if (strcmp(t, "bits") && strcmp(t, "pkts") && strcmp(t, "errs"))
		return http_error(r, 400, "t: bits, pkts or errs");
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return http_error(r, 503, "out of memory");
	j->ttl = ttl;
	if (http_q(r, "probe", key, sizeof(key)) == 1) {
		struct gsensor gs = {key, 0, "", "", ""};

		store_get_probes(s->ro, g_probe, &gs);
		if (!gs.found || gs.rrd[0] == '\0')
			goto notfound;
		snprintf(j->key, sizeof(j->key), "probe|%s|%s", key, per);
		snprintf(j->rrd, sizeof(j->rrd), "%s", gs.rrd);
		g_esc(f, sizeof(f), g_name(s, gs.rrd));
		g_esc(title, sizeof(title), key);
		ARG("DEF:m=%s:median:AVERAGE", f);
		ARG("DEF:l=%s:loss:AVERAGE", f);
		ARG("CDEF:ms=m,1000,*");
		ARG("LINE1:ms#2060A0:median rtt ms");
		ARG("GPRINT:ms:AVERAGE:avg %%6.2lf ms");
		ARG("GPRINT:l:AVERAGE:loss avg %%4.1lf of the step's pings\\n");
	} else {
		if ((rc = http_q(r, "d", dev, sizeof(dev))) != 1 ||
		    !http_name_ok(dev)) {
			free(j);
			return http_error(r, 400, "d=DEVICE, please");
		}
		if (http_q(r, "k", key, sizeof(key)) == 1) {
			struct gsensor gs = {key, 0, "", "", ""};

			store_get_sensors(s->ro, dev, g_sensor, &gs);
			if (!gs.found || gs.rrd[0] == '\0')
				goto notfound;
			snprintf(j->key, sizeof(j->key), "sensor|%s|%s|%s|%d",
			    dev, key, per, small);
			snprintf(j->rrd, sizeof(j->rrd), "%s", gs.rrd);
			g_esc(f, sizeof(f), g_name(s, gs.rrd));
			ARG("DEF:v=%s:value:AVERAGE", f);
			g_esc(title, sizeof(title), gs.unit);
			ARG("LINE1:v#C04000:%s", title);
			if (!small)
				ARG("GPRINT:v:LAST:now %%6.2lf\\n");
			g_esc(title, sizeof(title), gs.name);
		} else if (http_q(r, "i", ix, sizeof(ix)) == 1 &&
		    http_id_ok(ix, &ifindex)) {
			struct gport gp = {(int)ifindex, 0, "", ""};

			store_get_ports(s->ro, dev, g_port, &gp);
			if (!gp.found || gp.rrd[0] == '\0')
				goto notfound;
			snprintf(j->key, sizeof(j->key), "port|%s|%d|%s|%s|%d",
			    dev, gp.ifindex, t, per, small);
			snprintf(j->rrd, sizeof(j->rrd), "%s", gp.rrd);
			g_esc(f, sizeof(f), g_name(s, gp.rrd));
			g_port_args(j, f, t, small);
			g_esc(title, sizeof(title), gp.name);
		} else {
			free(j);
			return http_error(r, 400, "i=IFINDEX or k=SENSOR, please");
		}
	}
	if ((c = g_cache_find(g, j->key, now)) != NULL) {
		free(j);
		c->used = now;
		s->st.graphs_cached++;
		return g_send_png(s, r->req, c->png, c->len, (int)(c->expires - now));
	}
	for (struct gjob *p = g->pending; p; p = p->pnext)
		if (strcmp(p->key, j->key) == 0 && p->nw < HTTP_GRAPH_WAITERS) {
			/* the same render, already queued: wait for it */
			p->w[p->nw++] = r->req;
			free(j);
			return;
		}
	if (g->npending >= HTTP_GRAPH_QUEUE) {
		free(j);
		s->st.graphs_dropped++;
		return http_error(r, 503, "too many graphs being drawn: again soon");
	}
	/* the graph's options go first: shift the DEFs behind them */
	{
		char head[16][600];
		int nh = 0, nd = j->nargs;
		time_t end = (time_t)now;

		snprintf(head[nh++], 600, "graph");
		snprintf(head[nh++], 600, "-");
		snprintf(head[nh++], 600, "--imgformat=PNG");
		snprintf(head[nh++], 600, "--start=%lld", (long long)(end - span));
		snprintf(head[nh++], 600, "--end=%lld", (long long)end);
		snprintf(head[nh++], 600, "--width=%d", small ? 120 : 600);
		snprintf(head[nh++], 600, "--height=%d", small ? 32 : 160);
		if (small)
			snprintf(head[nh++], 600, "--only-graph");
		else
			snprintf(head[nh++], 600, "--title=%s %s", title, per);
		snprintf(head[nh++], 600, "--lower-limit=0");
		if (s->core->conf->rrdcached[0])
			snprintf(head[nh++], 600, "--daemon=%s",
			    s->core->conf->rrdcached);
		if (nd + nh > HTTP_GRAPH_ARGS) {
			free(j);
			return http_error(r, 500, "graph too big");
		}
		memmove(j->args[nh], j->args[0], (size_t)nd * sizeof(j->args[0]));
		memcpy(j->args[0], head, (size_t)nh * sizeof(j->args[0]));
		j->nargs = nd + nh;
	}
	j->w[j->nw++] = r->req;
	j->pnext = g->pending;
	g->pending = j;
	g->npending++;
	pthread_mutex_lock(&g->mu);
	{
		struct gjob **tail = &g->todo;

		while (*tail)
			tail = &(*tail)->next;
		j->next = NULL;
		*tail = j;
	}
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
	return;
notfound:
	free(j);
	s->st.not_found++;
	http_error(r, 404, "no such graph");
}
