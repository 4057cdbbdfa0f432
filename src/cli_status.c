/*
 * cli_status.c - netpatrol status: the daemon's status JSON (read with
 * jread: libjansson), said for people, a line per part and a row per device.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "control.h"

/* The string under KEY into OUT, "" when absent or not a string. */
static const char *
jstr(const struct jread *o, const char *key, char *out, size_t len)
{
	const char *s = jread_kstr(o, key);

	snprintf(out, len, "%s", s ? s : "");
	return out;
}

/* A size for people: "1.5 GB", "12.0 MB", "-" when unknown. */
static const char *
hbytes(double v, char *buf, size_t len)
{
	static const char *const unit[] = {"B", "KB", "MB", "GB", "TB"};
	int u = 0;

	if (isnan(v) || v < 0)
		return "-";
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
	return buf;
}

/* An array under KEY with at least one element. */
static int
jnonempty(const struct jread *o, const char *key)
{
	return jread_len(jread_get(o, key)) > 0;
}

static void
status_poller(const struct jread *p)
{
	printf("poller: %.0f devices, %.0f polling now (max %.0f), %.0f polls "
	       "(%.0f failed), %.0f cycles, last cycle %.3f s, %.0f varbinds, "
	       "%.0f requests\n",
	    jread_knum(p, "devices"), jread_knum(p, "inflight"),
	    jread_knum(p, "max_inflight"), jread_knum(p, "polls"),
	    jread_knum(p, "polls_failed"), jread_knum(p, "cycles"),
	    jread_knum(p, "last_cycle_seconds"),
	    jread_knum(p, "last_cycle_varbinds"),
	    jread_knum(p, "last_cycle_requests"));
}

/* syslog retention: its bounds, what it deleted, what the store holds */
static void
status_retention(const struct jread *r)
{
	char max[32], used[32], logs[32];

	if (jread_knum(r, "max_size") > 0)
		hbytes(jread_knum(r, "max_size"), max, sizeof(max));
	else
		snprintf(max, sizeof(max), "none");
	printf("syslog retention: keep %.0f days, max-rows %.0f, max-size %s; "
	       "deleted %.0f by age, %.0f by max-rows, %.0f by max-size; "
	       "store %s in use, messages %s\n",
	    jread_knum(r, "keep_days"), jread_knum(r, "max_rows"), max,
	    jread_knum(r, "pruned_age"), jread_knum(r, "pruned_rows"),
	    jread_knum(r, "pruned_size"),
	    hbytes(jread_knum(r, "store_used_bytes"), used, sizeof(used)),
	    hbytes(jread_knum(r, "logs_bytes"), logs, sizeof(logs)));
}

static void
status_syslog(const struct jread *s)
{
	const struct jread *l;
	char addr[256], how[NP_NAME_MAX];
	size_t i;

	if (jnonempty(s, "listeners")) {
		printf("syslog: %.0f received, %.0f parsed, %.0f malformed, "
		       "%.0f truncated, %.0f rate-limited, %.0f stored, %.0f "
		       "dropped, %.0f events, %.0f dropped by the kernel, %.0f "
		       "connections\n",
		    jread_knum(s, "received"), jread_knum(s, "parsed"),
		    jread_knum(s, "malformed"), jread_knum(s, "truncated"),
		    jread_knum(s, "rate_limited"), jread_knum(s, "stored"),
		    jread_knum(s, "dropped"), jread_knum(s, "events"),
		    jread_knum(s, "kernel_dropped"),
		    jread_knum(s, "connections"));
		if (jread_type(jread_get(s, "retention")) == JR_OBJ)
			status_retention(jread_get(s, "retention"));
	}
	/* each TLS listener: its clients' handshakes */
	for (i = 0; (l = jread_at(jread_get(s, "listeners"), i)) != NULL; i++) {
		if (strncmp(jstr(l, "address", addr, sizeof(addr)), "tls:", 4))
			continue;
		printf("syslog %s (client certificates: %s): %.0f accepted, "
		       "%.0f authenticated, %.0f rejected (%.0f no "
		       "certificate, %.0f not verified, %.0f name, %.0f "
		       "fingerprint), %.0f TLS errors\n",
		    addr, jstr(l, "client_auth", how, sizeof(how)),
		    jread_knum(l, "accepted"),
		    jread_knum(l, "tls_authenticated"),
		    jread_knum(l, "tls_rejected"),
		    jread_knum(l, "tls_rejected_no_certificate"),
		    jread_knum(l, "tls_rejected_not_verified"),
		    jread_knum(l, "tls_rejected_name"),
		    jread_knum(l, "tls_rejected_fingerprint"),
		    jread_knum(l, "tls_errors"));
	}
}

/* the poller's devices, a row each */
static void
status_devices(const struct jread *devices)
{
	const struct jread *d;
	char name[NP_NAME_MAX], state[16], err[256];
	size_t i;

	printf("\n%-20s %-9s %-11s %5s %7s %9s %8s %8s %7s  %s\n", "DEVICE",
	    "STATE", "REACHABLE", "PORTS", "POLLS", "LAST s", "REQS",
	    "VARBINDS", "TMOUTS", "LAST ERROR");
	for (i = 0; (d = jread_at(devices, i)) != NULL; i++) {
		double r = jread_knum(d, "reachable");

		printf("%-20s %-9s %-11s %5.0f %7.0f %9.3f %8.0f %8.0f %7.0f  "
		       "%s\n",
		    jstr(d, "name", name, sizeof(name)),
		    jstr(d, "state", state, sizeof(state)),
		    isnan(r) ? "unknown"
		        : r  ? "yes"
		             : "NO",
		    jread_knum(d, "ports"), jread_knum(d, "polls"),
		    jread_knum(d, "last_poll_duration"),
		    jread_knum(d, "last_requests"),
		    jread_knum(d, "last_varbinds"), jread_knum(d, "timeouts"),
		    jstr(d, "last_error", err, sizeof(err)));
	}
}

/* the notifier's targets, a line each */
static void
status_notify(const struct jread *n)
{
	const struct jread *t;
	char name[NP_NAME_MAX], type[16], err[256];
	size_t i;

	for (i = 0; (t = jread_at(jread_get(n, "targets"), i)) != NULL; i++) {
		jstr(t, "last_error", err, sizeof(err));
		printf("notify %s (%s): %.0f sent, %.0f failed, %.0f retries, "
		       "%.0f dropped, %.0f queued%s%s\n",
		    jstr(t, "name", name, sizeof(name)),
		    jstr(t, "type", type, sizeof(type)), jread_knum(t, "sent"),
		    jread_knum(t, "failed"), jread_knum(t, "retries"),
		    jread_knum(t, "dropped"), jread_knum(t, "queued"),
		    err[0] ? ", last error: " : "", err);
	}
}

int
cmd_status(struct cli *c, int argc, char **argv)
{
	char *ans, ver[256], conf[256];
	const struct jread *o;
	struct jread *st;

	(void)argv;
	if (argc != 1)
		usage();
	if ((ans = cli_ask(c, "status")) == NULL)
		return 1;
	if (c->json) {
		fputs(ans, stdout);
		free(ans);
		return 0;
	}
	if ((st = cli_parse(ans)) == NULL || jread_get(st, "error") != NULL) {
		if (st)
			fprintf(stderr, "netpatrol: %s", ans);
		jread_free(st);
		free(ans);
		return 1;
	}
	printf("netpatrold %s, pid %.0f, up %.0f s, config %s\n",
	    jstr(st, "version", ver, sizeof(ver)), jread_knum(st, "pid"),
	    jread_knum(st, "uptime"), jstr(st, "config", conf, sizeof(conf)));
	if (jread_type(o = jread_get(st, "poller")) == JR_OBJ)
		status_poller(o);
	if (jread_type(o = jread_get(st, "store")) == JR_OBJ)
		printf("store: %.0f queued, %.0f written, %.0f dropped, %.0f "
		       "waiting, %.0f SQL errors\n",
		    jread_knum(o, "queued"), jread_knum(o, "written"),
		    jread_knum(o, "dropped"), jread_knum(o, "depth"),
		    jread_knum(o, "sql_errors"));
	if (jread_type(o = jread_get(st, "rrd")) == JR_OBJ)
		printf("rrd: %.0f updates, %.0f files created, %.0f dropped, "
		       "%.0f errors\n",
		    jread_knum(o, "updates"), jread_knum(o, "created"),
		    jread_knum(o, "dropped"), jread_knum(o, "errors"));
	if (jread_type(o = jread_get(st, "syslog")) == JR_OBJ)
		status_syslog(o);
	if (jread_type(o = jread_get(st, "traps")) == JR_OBJ &&
	    jnonempty(o, "listeners"))
		printf("traps: %.0f received, %.0f accepted, %.0f rejected, "
		       "%.0f malformed, %.0f folded, %.0f stored, %.0f "
		       "informs, %.0f dropped by the kernel\n",
		    jread_knum(o, "received"), jread_knum(o, "accepted"),
		    jread_knum(o, "rejected"), jread_knum(o, "malformed"),
		    jread_knum(o, "folded"), jread_knum(o, "stored"),
		    jread_knum(o, "informs"), jread_knum(o, "kernel_dropped"));
	if (jread_type(o = jread_get(st, "findings")) == JR_OBJ)
		printf("findings: %.0f open, %.0f acknowledged, %.0f resolved, "
		       "%.0f verified, %.0f overdue, %.0f flapping, %.0f "
		       "held\n",
		    jread_knum(o, "open"), jread_knum(o, "acknowledged"),
		    jread_knum(o, "resolved"), jread_knum(o, "verified"),
		    jread_knum(o, "overdue"), jread_knum(o, "flapping"),
		    jread_knum(o, "held"));
	if (jread_type(o = jread_get(st, "plans")) == JR_OBJ)
		printf("plans: %.0f scheduled runs, %.0f on demand, %.0f "
		       "missed\n",
		    jread_knum(o, "runs"), jread_knum(o, "runs_on_demand"),
		    jread_knum(o, "runs_missed"));
	status_devices(jread_get(st, "devices"));
	if (jread_type(o = jread_get(st, "notify")) == JR_OBJ)
		status_notify(o);
	jread_free(st);
	free(ans);
	return 0;
}

/* --- cluster --- */

int
cmd_cluster(struct cli *c, int argc, char **argv)
{
	const struct jread *nodes, *leases;
	struct jread *st;
	char *ans;

	(void)argv;
	if (argc != 1)
		usage();
	if ((ans = cli_ask(c, "cluster")) == NULL)
		return 1;
	if ((st = cli_answer(ans)) == NULL) {
		free(ans);
		return 1;
	}
	if (c->json) {
		fputs(ans, stdout);
		jread_free(st);
		free(ans);
		return 0;
	}
	nodes = jread_get(st, "nodes");
	leases = jread_get(st, "leases");
	printf("this node: %s, leases of %.0f s, %s%s%s\n",
	    jread_kstr(st, "node") ? jread_kstr(st, "node") : "?",
	    jread_knum(st, "lease"),
	    jread_knum(st, "connected") == 1
	        ? "connected to the database"
	        : "NOT connected to the database",
	    jread_kstr(st, "last_error") && *jread_kstr(st, "last_error")
	        ? ": "
	        : "",
	    jread_kstr(st, "last_error") ? jread_kstr(st, "last_error") : "");
	printf("%-20s %-5s %8s %12s  %s\n", "NODE", "LIVE", "DEVICES",
	    "RENEWED AGO", "HOST (PID)");
	for (size_t i = 0; i < jread_len(nodes); i++) {
		const struct jread *n = jread_at(nodes, i);

		printf("%-20s %-5s %8.0f %11.1fs  %s (%.0f)\n",
		    jread_kstr(n, "name") ? jread_kstr(n, "name") : "?",
		    jread_knum(n, "live") == 1 ? "yes" : "no",
		    jread_knum(n, "devices"), jread_knum(n, "renewed_ago"),
		    jread_kstr(n, "host") ? jread_kstr(n, "host") : "",
		    jread_knum(n, "pid"));
	}
	printf("%zu leases\n", jread_len(leases));
	jread_free(st);
	free(ans);
	return 0;
}

/*
 * In a cluster: which node polls each device, from the leases this node's
 * daemon knows (c->nodes; NULL when not in a cluster or not answering).
 */
void
cli_device_nodes(struct cli *c)
{
	char err[256], *ans;

	if (c->conf->cluster.node[0] == '\0')
		return;
	if ((ans = control_request(c->conf->control, "cluster", 10000, err,
	         sizeof(err))) == NULL)
		return;
	c->nodes = jread_parse(ans, err, sizeof(err));
	free(ans);
}

const char *
cli_device_node(struct cli *c, const char *device)
{
	const struct jread *l = jread_get(c->nodes, "leases");

	for (size_t i = 0; i < jread_len(l); i++) {
		const struct jread *x = jread_at(l, i);
		const char *d = jread_kstr(x, "device");

		if (d != NULL && strcmp(d, device) == 0 &&
		    jread_knum(x, "expires_in") > 0)
			return jread_kstr(x, "node") ? jread_kstr(x, "node")
			                             : "";
	}
	return "";
}
