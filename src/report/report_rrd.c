/*
 * report_rrd.c - a report's performance metrics from the RRD files of its
 * devices' sensors, ports and probes (report.h), for the period, the one
 * before it and the same period a month before; and graphs rendered by
 * librrd as PNG data: URIs for the HTML report.
 *
 * Values are read with the AVERAGE consolidation at the finest resolution
 * that covers the window (5 minutes for two weeks back, then 1 hour, then
 * 1 day: netpatrol's RRAs), so a maximum or a 95th percentile over an
 * older window is of averages over that resolution, and lower than the
 * samples' own (research notes, 3.4).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <rrd.h>

#include "report.h"
#include "rrdw.h"

#include "lsan.h"

enum { RM_CPU, RM_MEM, RM_TEMP, RM_IN, RM_OUT, RM_LOSS, RM_RTT };
static const struct {
	const char *name, *unit, *ds;
	double scale;
} rm_def[RPT_NMETRICS] = {
    [RM_CPU] = {"cpu_load", "%", "value", 1},
    [RM_MEM] = {"memory_used", "%", "value", 1},
    [RM_TEMP] = {"temperature", "C", "value", 1},
    [RM_IN] = {"port_in_bps", "bit/s", "in_octets", 8},
    [RM_OUT] = {"port_out_bps", "bit/s", "out_octets", 8},
    [RM_LOSS] = {"probe_lost", "pings", "loss", 1},
    [RM_RTT] = {"probe_rtt_ms", "ms", "median", 1000},
};

struct rm_vals {
	double *v;
	size_t n, cap;
};

static void
rm_push(struct rm_vals *x, double v)
{
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 1024;
		double *nv = realloc(x->v, cap * sizeof(*nv));

		if (nv == NULL)
			return;
		x->v = nv;
		x->cap = cap;
	}
	x->v[x->n++] = v;
}

static int
rm_dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* avg, max and the 95th percentile (nearest rank) of X */
static struct rpt_stat
rm_stat(struct rm_vals *x)
{
	struct rpt_stat s = {NAN, NAN, NAN};
	double sum = 0;
	size_t rank;

	if (x->n == 0)
		return s;
	qsort(x->v, x->n, sizeof(double), rm_dcmp);
	for (size_t i = 0; i < x->n; i++)
		sum += x->v[i];
	s.avg = sum / x->n;
	s.max = x->v[x->n - 1];
	rank = (size_t)ceil(0.95 * x->n);
	s.p95 = x->v[rank > 0 ? rank - 1 : 0];
	return s;
}

/* Which metrics a source feeds: a bit per metric. */
static unsigned
rm_which(const struct store_rrdsrc *src)
{
	if (strcmp(src->kind, "port") == 0)
		return (1u << RM_IN) | (1u << RM_OUT);
	if (strcmp(src->kind, "probe") == 0)
		return (1u << RM_LOSS) | (1u << RM_RTT);
	if (strcmp(src->cls, "temperature") == 0)
		return 1u << RM_TEMP;
	if (strcmp(src->cls, "load") == 0 &&
	    strncasecmp(src->object, "cpu", 3) == 0)
		return 1u << RM_CPU;
	if (strcmp(src->cls, "load") == 0 &&
	    strncasecmp(src->object, "mem", 3) == 0)
		return 1u << RM_MEM;
	return 0;
}

/*
 * FILE's values of the data sources named in DS (NDS of them) over
 * [SINCE, UNTIL): CB for each row with its NDS values (NaN unknown).
 */
static int
rm_fetch(const struct report *r, const char *file, double since, double until,
    const char **ds, int nds, void (*cb)(void *, const double *), void *arg)
{
	time_t start = (time_t)since, end = (time_t)until;
	unsigned long step = 1, cnt = 0, i, k;
	char **names = NULL;
	rrd_value_t *data = NULL;
	int idx[4], j;
	double row[4];

	if (rrdw_fetch(r->rrd_cached, r->rrd_dir, file, "AVERAGE", &start,
	        &end, &step, &cnt, &names, &data) != 0) {
		rrd_clear_error();
		return -1;
	}
	for (j = 0; j < nds; j++) {
		idx[j] = -1;
		for (k = 0; k < cnt; k++)
			if (strcmp(names[k], ds[j]) == 0)
				idx[j] = (int)k;
	}
	for (i = 0; step > 0 && i < (unsigned long)(end - start) / step; i++) {
		for (j = 0; j < nds; j++)
			row[j] = idx[j] < 0 ? NAN : data[i * cnt + idx[j]];
		cb(arg, row);
	}
	for (k = 0; k < cnt; k++)
		free(names[k]);
	free(names);
	free(data);
	return 0;
}

struct rm_ctx {
	struct report *r;
	struct rm_vals w[3][RPT_NMETRICS]; /* window x metric */
	double win[3][2];
	int window;
	unsigned which;
	double speed_bps;
	struct rm_vals port; /* this port's utilisation, the period */
};

static void
rm_row(void *arg, const double *row)
{
	struct rm_ctx *x = arg;
	int j = 0;

	for (int m = 0; m < RPT_NMETRICS; m++) {
		if (!(x->which & (1u << m)))
			continue;
		if (!isnan(row[j]))
			rm_push(&x->w[x->window][m], row[j] * rm_def[m].scale);
		j++;
	}
	/* a port's utilisation: the busier direction, of its speed */
	if (x->window == 0 && x->speed_bps > 0 && !isnan(row[0]) &&
	    !isnan(row[1]))
		rm_push(
		    &x->port, 100.0 * 8 * fmax(row[0], row[1]) / x->speed_bps);
}

static void
rm_top(struct report *r, const struct store_rrdsrc *src, struct rm_vals *u)
{
	struct rpt_stat s;
	int i;

	if (u->n == 0)
		return;
	s = rm_stat(u);
	for (i = r->ntop; i > 0 && r->top[i - 1].peak_pct < s.max; i--)
		if (i < RPT_TOP_PORTS)
			r->top[i] = r->top[i - 1];
	if (i >= RPT_TOP_PORTS)
		return;
	snprintf(r->top[i].device, sizeof(r->top[i].device), "%s", src->device);
	snprintf(r->top[i].port, sizeof(r->top[i].port), "%s", src->object);
	r->top[i].peak_pct = s.max;
	r->top[i].p95_pct = s.p95;
	if (r->ntop < RPT_TOP_PORTS)
		r->ntop++;
}

static int
rm_pstrcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
rm_src_cb(void *arg, const struct store_rrdsrc *src)
{
	struct rm_ctx *x = arg;
	const char *ds[4];
	int nds = 0;
	const char *dev = src->device;

	if (src->rrd[0] == '\0' || x->r->ndevices == 0 ||
	    bsearch(&dev, x->r->devices, x->r->ndevices, sizeof(char *),
	        rm_pstrcmp) == NULL)
		return 0;
	if ((x->which = rm_which(src)) == 0)
		return 0;
	for (int m = 0; m < RPT_NMETRICS; m++)
		if (x->which & (1u << m)) {
			ds[nds++] = rm_def[m].ds;
			x->r->m[m].sources++;
		}
	x->speed_bps = strcmp(src->kind, "port") == 0 && src->admin_up
	    ? (double)src->speed_bps
	    : 0;
	x->port.n = 0;
	for (x->window = 0; x->window < 3; x->window++)
		(void)rm_fetch(x->r, src->rrd, x->win[x->window][0],
		    x->win[x->window][1], ds, nds, rm_row, x);
	rm_top(x->r, src, &x->port);
	return 0;
}

/* T moved back by one calendar month, local time. */
static double
rm_month_back(double t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	tm.tm_mon--;
	tm.tm_isdst = -1;
	return (double)mktime(&tm) + (t - (double)tt);
}

void
report_metrics(struct report *r, struct store *s)
{
	struct rm_ctx *x;
	double len = r->until - r->since;

	for (int m = 0; m < RPT_NMETRICS; m++) {
		snprintf(
		    r->m[m].name, sizeof(r->m[m].name), "%s", rm_def[m].name);
		snprintf(
		    r->m[m].unit, sizeof(r->m[m].unit), "%s", rm_def[m].unit);
		r->m[m].cur = r->m[m].prev = r->m[m].month =
		    (struct rpt_stat){NAN, NAN, NAN};
	}
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return;
	x->r = r;
	x->win[0][0] = r->since;
	x->win[0][1] = r->until;
	x->win[1][0] = r->since - len;
	x->win[1][1] = r->since;
	x->win[2][0] = rm_month_back(r->since);
	x->win[2][1] = rm_month_back(r->until);
	(void)store_get_rrdsrcs(s, rm_src_cb, x);
	for (int m = 0; m < RPT_NMETRICS; m++) {
		r->m[m].cur = rm_stat(&x->w[0][m]);
		r->m[m].prev = rm_stat(&x->w[1][m]);
		r->m[m].month = rm_stat(&x->w[2][m]);
		for (int w = 0; w < 3; w++)
			free(x->w[w][m].v);
	}
	free(x->port.v);
	free(x);
}

/* --- graphs --- */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *
rm_data_uri(const unsigned char *p, size_t n)
{
	static const char head[] = "data:image/png;base64,";
	char *out, *o;

	if ((out = malloc(sizeof(head) + 4 * ((n + 2) / 3) + 1)) == NULL)
		return NULL;
	memcpy(out, head, sizeof(head) - 1);
	o = out + sizeof(head) - 1;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) |
		    (i + 2 < n ? p[i + 2] : 0);

		*o++ = b64[v >> 18 & 63];
		*o++ = b64[v >> 12 & 63];
		*o++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? b64[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

#define RM_GRAPH_SRCS 8 /* lines in one graph, at most */

struct rm_gctx {
	const struct report *r;
	int metric;
	char defs[RM_GRAPH_SRCS][2][PATH_MAX + 128];
	int n;
};

static int
rm_gsrc_cb(void *arg, const struct store_rrdsrc *src)
{
	struct rm_gctx *x = arg;
	static const char *const colours[RM_GRAPH_SRCS] = {"1f77b4", "d62728",
	    "2ca02c", "ff7f0e", "9467bd", "8c564b", "e377c2", "7f7f7f"};

	if (x->n >= RM_GRAPH_SRCS || src->rrd[0] == '\0' ||
	    !(rm_which(src) & (1u << x->metric)) ||
	    strchr(src->rrd, ':') != NULL)
		return 0;
	for (size_t i = 0; i < x->r->ndevices; i++)
		if (strcmp(x->r->devices[i], src->device) == 0) {
			snprintf(x->defs[x->n][0], sizeof(x->defs[0][0]),
			    "DEF:v%d=%s:%s:AVERAGE", x->n,
			    rrdw_cached_name(x->r->rrd_cached, x->r->rrd_dir,
			        src->rrd),
			    rm_def[x->metric].ds);
			snprintf(x->defs[x->n][1], sizeof(x->defs[0][1]),
			    "LINE1:v%d#%s:%.40s %.40s", x->n, colours[x->n],
			    src->device, src->object);
			x->n++;
			break;
		}
	return 0;
}

char *
report_graph_uri(struct store *s, const struct report *r, const char *metric)
{
	struct rm_gctx *x;
	char start[32], end[32], title[96], daemon[280];
	const char *argv[8 + 2 * RM_GRAPH_SRCS + 5];
	rrd_info_t *info, *i;
	char *uri = NULL;
	int argc = 0, m;

	for (m = 0; m < RPT_NMETRICS; m++)
		if (strcmp(rm_def[m].name, metric) == 0)
			break;
	if (m == RPT_NMETRICS || (x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	x->r = r;
	x->metric = m;
	(void)store_get_rrdsrcs(s, rm_gsrc_cb, x);
	if (x->n == 0) {
		free(x);
		return NULL;
	}
	snprintf(start, sizeof(start), "%.0f", r->since);
	snprintf(end, sizeof(end), "%.0f", r->until);
	snprintf(title, sizeof(title), "%s (%s)", metric, rm_def[m].unit);
	argv[argc++] = "graph";
	argv[argc++] = "-";
	argv[argc++] = "--imgformat=PNG";
	argv[argc++] = "--start";
	argv[argc++] = start;
	argv[argc++] = "--end";
	argv[argc++] = end;
	argv[argc++] = "--width=560";
	argv[argc++] = "--height=120";
	argv[argc++] = "--title";
	argv[argc++] = title;
	if (r->rrd_cached[0]) {
		snprintf(daemon, sizeof(daemon), "--daemon=%s", r->rrd_cached);
		argv[argc++] = daemon;
	}
	for (int k = 0; k < x->n; k++) {
		argv[argc++] = x->defs[k][0];
		argv[argc++] = x->defs[k][1];
	}
	optind = 0; /* librrd parses its arguments with getopt */
	/*
	 * librrd keeps fontconfig's and its own caches for the life of the
	 * process; under LeakSanitizer (the sanitizer suite) what it
	 * allocates here is not ours to report. (tests/lsan.supp names the
	 * libraries too, but its stacks often end before them: the report
	 * child of the daemon runs with the fast unwinder.)
	 */
	NP_LSAN_DISABLE();
	info = rrd_graph_v(argc, (char **)argv);
	NP_LSAN_ENABLE();
	for (i = info; i != NULL; i = i->next)
		if (strcmp(i->key, "image") == 0 && i->type == RD_I_BLO)
			uri = rm_data_uri(
			    i->value.u_blo.ptr, i->value.u_blo.size);
	rrd_info_free(info);
	rrd_clear_error();
	free(x);
	return uri;
}
