/*
 * cli_traffic.c - netpatrol traffic: links counted from the wire, live
 * from the daemon ("traffic" on its control socket); the last step of
 * each from the store when the daemon does not answer. With a link and
 * --top [N], its busiest hosts; with --protocols, its protocol classes.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "event.h"

static const char *const link_keys[] = {"name", "interface", "filter",
    "in_bytes", "out_bytes", "in_packets", "out_packets", "in_bps", "out_bps",
    "speed", "utilisation", "drops", "if_drops", "truncated", "undecoded",
    "undirected", "hosts", "hosts_evicted", "step", "state", "updated",
    "error"};
static const char *const host_keys[] = {"host", "bytes", "packets", "in_bytes",
    "out_bytes", "in_packets", "out_packets", "last_sent"};
static const char *const proto_keys[] = {
    "protocol", "in_bytes", "out_bytes", "in_packets", "out_packets"};

/* O's members KEYS into J as one object, as they are (absent: null). */
static void
jcopy(struct jbuf *j, const struct jread *o, const char *const *keys, size_t n)
{
	json_obj_open(j);
	for (size_t i = 0; i < n; i++) {
		const struct jread *v = jread_get(o, keys[i]);
		double d = jread_num(v);

		json_key(j, keys[i]);
		switch (jread_type(v)) {
		case JR_STR: json_str(j, jread_str(v)); break;
		case JR_BOOL: json_bool(j, d != 0); break;
		case JR_NUM:
			if (d >= 0 && d < 9007199254740992.0 && d == floor(d))
				json_uint(j, (uint64_t)d);
			else
				json_real(j, d);
			break;
		default: json_null(j); break;
		}
	}
	json_obj_close(j);
}

/* A rate for people: "1.2 Mbit/s", "-" unknown. */
static const char *
hrate(double v, char *buf, size_t len)
{
	static const char *const unit[] = {
	    "bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"};
	int u = 0;

	if (isnan(v) || v < 0)
		return "-";
	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
	return buf;
}

static double
knum(const struct jread *o, const char *k)
{
	return jread_knum(o, k);
}

static void
link_row(struct cli *c, const struct jread *o)
{
	char a[32], b[32], u[16];
	double util = knum(o, "utilisation");
	const char *s;

	if (c->json) {
		jcopy(&c->j, o, link_keys,
		    sizeof(link_keys) / sizeof(link_keys[0]));
		return;
	}
	if (c->first) {
		printf("%-16s %-10s %14s %14s %12s %12s %12s %12s %6s %8s "
		       "%-9s\n",
		    "LINK", "INTERFACE", "IN BYTES", "OUT BYTES", "IN PKTS",
		    "OUT PKTS", "IN RATE", "OUT RATE", "UTIL%", "DROPS",
		    "STATE");
		c->first = 0;
	}
	if (isnan(util))
		snprintf(u, sizeof(u), "-");
	else
		snprintf(u, sizeof(u), "%.1f", util);
	s = jread_kstr(o, "state");
	printf("%-16s %-10s %14.0f %14.0f %12.0f %12.0f %12s %12s %6s %8.0f "
	       "%-9s\n",
	    jread_kstr(o, "name") ? jread_kstr(o, "name") : "",
	    jread_kstr(o, "interface") ? jread_kstr(o, "interface") : "",
	    knum(o, "in_bytes"), knum(o, "out_bytes"), knum(o, "in_packets"),
	    knum(o, "out_packets"), hrate(knum(o, "in_bps"), a, sizeof(a)),
	    hrate(knum(o, "out_bps"), b, sizeof(b)), u, knum(o, "drops"),
	    s ? s : "");
	s = jread_kstr(o, "error");
	if (s != NULL && *s)
		printf("  error: %s\n", s);
}

static void
host_row(struct cli *c, const struct jread *o)
{
	if (c->json) {
		jcopy(&c->j, o, host_keys,
		    sizeof(host_keys) / sizeof(host_keys[0]));
		return;
	}
	if (c->first) {
		printf("%-40s %14s %10s %14s %14s %10s %10s\n", "HOST", "BYTES",
		    "PACKETS", "IN BYTES", "OUT BYTES", "IN PKTS", "OUT PKTS");
		c->first = 0;
	}
	printf("%-40s %14.0f %10.0f %14.0f %14.0f %10.0f %10.0f\n",
	    jread_kstr(o, "host") ? jread_kstr(o, "host") : "",
	    knum(o, "bytes"), knum(o, "packets"), knum(o, "in_bytes"),
	    knum(o, "out_bytes"), knum(o, "in_packets"),
	    knum(o, "out_packets"));
}

static void
proto_row(struct cli *c, const struct jread *o)
{
	if (c->json) {
		jcopy(&c->j, o, proto_keys,
		    sizeof(proto_keys) / sizeof(proto_keys[0]));
		return;
	}
	if (c->first) {
		printf("%-12s %14s %14s %12s %12s\n", "PROTOCOL", "IN BYTES",
		    "OUT BYTES", "IN PKTS", "OUT PKTS");
		c->first = 0;
	}
	printf("%-12s %14.0f %14.0f %12.0f %12.0f\n",
	    jread_kstr(o, "protocol") ? jread_kstr(o, "protocol") : "",
	    knum(o, "in_bytes"), knum(o, "out_bytes"), knum(o, "in_packets"),
	    knum(o, "out_packets"));
}

static void
jput_real(struct jbuf *j, const char *k, double v)
{
	json_key(j, k);
	if (isnan(v))
		json_null(j);
	else
		json_real(j, v);
}

/* The daemon does not answer: each link's last step, from the store. */
static int
row_store(void *arg, const struct store_link *x)
{
	struct cli *c = arg;
	struct jbuf j;
	struct jread *r;
	char t[40], err[128];

	jbuf_init(&j);
	json_obj_open(&j);
	json_kstr(&j, "name", x->name);
	json_kstr(&j, "interface", x->interface);
	json_kuint(&j, "in_bytes", x->in_bytes);
	json_kuint(&j, "out_bytes", x->out_bytes);
	json_kuint(&j, "in_packets", x->in_packets);
	json_kuint(&j, "out_packets", x->out_packets);
	jput_real(&j, "in_bps", x->in_bps);
	jput_real(&j, "out_bps", x->out_bps);
	json_kuint(&j, "speed", x->speed);
	jput_real(&j, "utilisation", x->utilisation);
	json_kuint(&j, "drops", x->drops);
	json_kuint(&j, "if_drops", x->if_drops);
	json_kstr(&j, "state", x->state);
	json_key(&j, "updated");
	if (x->updated > 0)
		json_str(&j, event_time_rfc3339(x->updated, t, sizeof(t)));
	else
		json_null(&j);
	json_obj_close(&j);
	if ((r = jread_parse(j.s, err, sizeof(err))) != NULL)
		link_row(c, r);
	jread_free(r);
	jbuf_free(&j);
	return 0;
}

int
cmd_traffic(struct cli *c, int argc, char **argv)
{
	char line[CLI_LINE_MAX], *ans;
	const char *link = NULL, *arr = "links";
	long top = -1;
	int protocols = 0;
	struct jread *r;
	const struct jread *v;
	void (*row)(struct cli *, const struct jread *) = link_row;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--top") == 0) {
			top = 10;
			if (i + 1 < argc && argv[i + 1][0] >= '0' &&
			    argv[i + 1][0] <= '9')
				top = strtol(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--protocols") == 0)
			protocols = 1;
		else if (link == NULL && argv[i][0] != '-' &&
		    strlen(argv[i]) < NP_NAME_MAX)
			link = argv[i];
		else
			usage();
	}
	if ((top >= 0 || protocols) && link == NULL)
		usage();
	if ((top >= 0 && protocols) || top == 0 || top > 10000)
		usage();
	if (top > 0) {
		snprintf(line, sizeof(line), "traffic %s top %ld", link, top);
		arr = "hosts";
		row = host_row;
	} else if (protocols) {
		snprintf(line, sizeof(line), "traffic %s protocols", link);
		arr = "protocols";
		row = proto_row;
	} else
		snprintf(line, sizeof(line), "traffic%s%s", link ? " " : "",
		    link ? link : "");
	if ((ans = cli_ask(c, line)) == NULL) {
		if (link != NULL)
			return 1;
		/* the daemon is not running: what the store kept */
		fprintf(stderr, "netpatrol: the last steps stored\n");
		if (cli_open_store(c) == -1 ||
		    store_get_links(c->store, row_store, c) == -1)
			return 1;
		if (c->first && !c->json)
			printf("no links\n");
		return 0;
	}
	if ((r = cli_parse(ans)) == NULL) {
		free(ans);
		return 1;
	}
	if (jread_kstr(r, "error") != NULL) {
		fprintf(stderr, "netpatrol: %s\n", jread_kstr(r, "error"));
		jread_free(r);
		free(ans);
		return 1;
	}
	v = jread_get(r, arr);
	for (size_t i = 0; i < jread_len(v); i++)
		row(c, jread_at(v, i));
	if (c->first && !c->json)
		printf("no %s\n", arr);
	jread_free(r);
	free(ans);
	return 0;
}
