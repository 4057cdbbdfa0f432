/*
 * netpatrol - the command-line tool: reads the store directly (so reports
 * work with the daemon stopped) and asks the daemon over its control
 * socket for live state.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "conf.h"
#include "control.h"
#include "event.h"
#include "iftype.h"
#include "json.h"
#include "jread.h"
#include "log.h"
#include "recjson.h"
#include "store.h"
#include "cli.h"

#ifndef NP_SYSCONFDIR
#define NP_SYSCONFDIR "/etc"
#endif

static int cmd_devices(struct cli *, int, char **);
static int cmd_ports(struct cli *, int, char **);
static int cmd_events(struct cli *, int, char **);
static int cmd_traps(struct cli *, int, char **);
static int cmd_logs(struct cli *, int, char **);
static int cmd_sensors(struct cli *, int, char **);
static int cmd_health(struct cli *, int, char **);
static int cmd_reload(struct cli *, int, char **);
static int cmd_help(struct cli *, int, char **);

static const struct cli_cmd cli_cmds[] = {
    {"devices", cmd_devices, "devices",
        "the inventory and each device's last poll", CLI_JSON_LIST},
    {"ports", cmd_ports, "ports DEVICE",
        "a device's ports: state, speed, rates", CLI_JSON_LIST},
    {"events", cmd_events,
        "events [--since T] [--until T] [--device D] [--kind K] [--severity S] "
        "[--limit N]",
        "events, oldest first (T: RFC 3339, YYYY-MM-DD[ HH:MM], or "
        "-2h/30m/7d)",
        CLI_JSON_LIST},
    {"traps", cmd_traps,
        "traps [--since T] [--until T] [--device D] [--limit N]",
        "traps and informs received, with their varbinds and events",
        CLI_JSON_LIST},
    {"logs", cmd_logs,
        "logs [--since T] [--until T] [--device D] [--match TEXT] "
        "[--severity S] [--limit N] [--follow]",
        "syslog messages, newest N (1000) oldest first; S: emerg..debug, "
        "that or graver",
        CLI_JSON_LIST},
    {"sensors", cmd_sensors, "sensors DEVICE",
        "a device's health: sensors, CPU, memory, storage, with states",
        CLI_JSON_LIST},
    {"health", cmd_health, "health",
        "every device's worst health state, worst first", CLI_JSON_LIST},
    {"probes", cmd_probes, "probes",
        "every probe's last step: loss, round trips, state", CLI_JSON_LIST},
    {"traffic", cmd_traffic, "traffic [LINK [--top [N] | --protocols]]",
        "links counted from the wire: bytes, packets, rates, drops; a "
        "link's top N talkers (10) or its protocols",
        CLI_JSON_LIST},
    {"findings", cmd_findings,
        "findings [--all] [--device D] [--severity S] [--limit N]",
        "findings not closed (--all: closed too), oldest first", CLI_JSON_LIST},
    {"finding", cmd_finding, "finding ID", "one finding, with its history",
        CLI_JSON_ONE},
    {"ack", cmd_action, "ack ID [TEXT]", "acknowledge a finding: I take it",
        CLI_JSON_RAW},
    {"resolve", cmd_action, "resolve ID [TEXT]", "say a finding is fixed",
        CLI_JSON_RAW},
    {"verify", cmd_action, "verify ID [TEXT]",
        "say a fix was checked (a poll also does)", CLI_JSON_RAW},
    {"close", cmd_action, "close ID [TEXT]", "close a resolved finding",
        CLI_JSON_RAW},
    {"note", cmd_action, "note ID TEXT", "add a note to a finding",
        CLI_JSON_RAW},
    {"assign", cmd_action, "assign ID OWNER", "give a finding an owner",
        CLI_JSON_RAW},
    {"open", cmd_action, "open DEVICE SEVERITY TEXT",
        "enter a finding seen by a person", CLI_JSON_RAW},
    {"config", cmd_config,
        "config versions|show|diff|approve|fetch DEVICE [V1 [V2]]",
        "the configuration archive: a device's versions, one version's "
        "text, the diff of two (default: the baseline or the previous "
        "against the newest), approve a version as the baseline, fetch now",
        CLI_JSON_RAW},
    {"config", cmd_config,
        "config diff --semantic [--platform P] FILE1 FILE2 | DEVICE [V1 [V2]]",
        "the semantic diff: ACLs as packet sets (widened, narrowed, new "
        "unreachable lines), interfaces, bindings, BGP peers, blocks",
        CLI_JSON_RAW},
    {"config", cmd_config, "config lint [--platform P] FILE",
        "unreachable ACL lines, unused ACLs, undefined references",
        CLI_JSON_RAW},
    {"config", cmd_config, "config status [DEVICE]",
        "each archived device: newest version, baseline, drift, unsaved "
        "changes, the last fetch",
        CLI_JSON_RAW},
    {"compliance", cmd_compliance,
        "compliance [DEVICE] | compliance --file FILE [--platform P] "
        "[--policy NAME]",
        "each device's results of its policies (pass, fail, the line or "
        "section that failed); --file: the configuration's policies "
        "applied to FILE now",
        CLI_JSON_RAW},
    {"passwd", cmd_passwd, "passwd [--sha512]",
        "a crypt(3) hash of a password read from the terminal or stdin, "
        "for netpatrold.conf's http block",
        CLI_JSON_RAW},
    {"inspect", cmd_inspect, "inspect PLAN [--format text|html|json]",
        "run PLAN now (a special inspection), wait for it, show its report",
        CLI_JSON_RAW},
    {"result", cmd_result,
        "result RUN ITEM pass|fail|na [--device D] [--severity S] [NOTE]",
        "enter the result of a manual check of a plan's run (ITEM: its "
        "number or text); a failure on a device opens a finding",
        CLI_JSON_RAW},
    {"reports", cmd_reports, "reports [--plan PLAN]",
        "the archived reports: each done run of a plan, oldest first",
        CLI_JSON_LIST},
    {"report", cmd_report,
        "report PLAN [--run ID] [--format text|html|json]",
        "a plan's report (the newest by default)", CLI_JSON_RAW},
    {"report", cmd_report,
        "report compliance [--weekly] [--period P] [--format text|json]",
        "each device's policy results, its changes in the period (a day; "
        "--weekly: 7 days) and their diff",
        CLI_JSON_RAW},
    {"report", cmd_report, "report findings --period P [--format F]",
        "the findings of a period (P: YYYY-MM, YYYY-MM-DD, Nh, Nd, Nw, "
        "D1..D2), with the KPIs",
        CLI_JSON_RAW},
    {"kpi", cmd_kpi, "kpi [--month YYYY-MM | --period P]",
        "plan execution, findings, timeliness, failure rate, MTTA, MTTR "
        "and the score (default: this month so far)",
        CLI_JSON_ONE},
    {"status", cmd_status, "status", "the running daemon's state and counters",
        CLI_JSON_RAW},
    {"cluster", cmd_cluster, "cluster",
        "the cluster's nodes, live or not, with their devices, and the "
        "devices' leases (asked of this node)",
        CLI_JSON_RAW},
    {"reload", cmd_reload, "reload",
        "make the daemon read its configuration again", CLI_JSON_RAW},
    {"rrd", cmd_rrd, "rrd flush [FILE]",
        "make the daemon write the RRD updates it keeps (for FILE, or "
        "all), before rrdtool reads the files",
        CLI_JSON_RAW},
    {"help", cmd_help, "help [daemon]",
        "this list; daemon: the running daemon's control commands",
        CLI_JSON_RAW},
};
#define NCMDS (sizeof(cli_cmds) / sizeof(cli_cmds[0]))

void
usage(void)
{
	fprintf(stderr,
	    "usage: netpatrol [-f file | -s socket] [-D macro=value] [--json] "
	    "command [args]\n");
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(stderr, "  %-40s %s\n", cli_cmds[i].syntax,
		    cli_cmds[i].help);
	exit(2);
}

static int help_daemon(struct cli *);

static int
cmd_help(struct cli *c, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "daemon") == 0)
		return help_daemon(c);
	if (argc > 1)
		usage();
	printf("usage: netpatrol [-f file | -s socket] [-D macro=value] "
	       "[--json] command [args]\n");
	for (size_t i = 0; i < NCMDS; i++)
		printf("  %-40s %s\n", cli_cmds[i].syntax, cli_cmds[i].help);
	return 0;
}

/*
 * netpatrol -s SOCKET (or NETPATROL_SOCKET): no configuration read; an
 * empty one with the socket, and the state dir as the daemon says it.
 */
static struct config *
cli_conf_from_socket(const char *sock)
{
	struct config *conf;
	char err[512], *ans;
	struct jread *v;
	const char *dir;

	if (strlen(sock) >= sizeof(conf->control)) {
		fprintf(stderr, "netpatrol: -s %s: path too long\n", sock);
		return NULL;
	}
	if ((conf = conf_empty()) == NULL) {
		fprintf(stderr, "netpatrol: out of memory\n");
		return NULL;
	}
	snprintf(conf->control, sizeof(conf->control), "%s", sock);
	snprintf(conf->path, sizeof(conf->path), "(from %s)", sock);
	/* where the store is: the daemon's state dir, from its status */
	if ((ans = control_request(sock, "status", 10000, err, sizeof(err))) !=
	        NULL &&
	    (v = jread_parse(ans, err, sizeof(err))) != NULL) {
		if ((dir = jread_str(jread_get(v, "state_dir"))) != NULL)
			snprintf(conf->state_dir, sizeof(conf->state_dir), "%s",
			    dir);
		jread_free(v);
	}
	free(ans);
	return conf;
}

int
cli_open_store(struct cli *c)
{
	char path[PATH_MAX + 32], err[PATH_MAX + 256];

	store_path_of(
	    c->conf->state_dir, c->conf->store_pg, path, sizeof(path));
	if (c->conf->store_pg[0] == '\0' && access(path, R_OK) == -1) {
		fprintf(stderr,
		    "netpatrol: %s: %s (has netpatrold run with this "
		    "configuration?)\n",
		    path, strerror(errno));
		return -1;
	}
	if ((c->store = store_open(path, 1, err, sizeof(err))) == NULL) {
		fprintf(stderr, "netpatrol: %s\n", err);
		return -1;
	}
	return 0;
}

static const char *
fmt_rate(double bps, char *buf, size_t len)
{
	static const char *units[] = {"", "k", "M", "G", "T"};
	int u = 0;

	if (isnan(bps))
		return "-";
	while (bps >= 1000 && u < 4) {
		bps /= 1000;
		u++;
	}
	snprintf(buf, len, u ? "%.1f%s" : "%.0f%s", bps, units[u]);
	return buf;
}

static const char *
fmt_time(double t, char *buf, size_t len)
{
	if (t <= 0)
		return "never";
	return event_time_rfc3339(t, buf, len);
}

/* --- devices --- */

static int
row_device(void *arg, const struct store_device *d)
{
	struct cli *c = arg;
	char t[40];

	if (c->json) {
		struct store_device dn = *d;

		if (c->nodes != NULL)
			snprintf(dn.node, sizeof(dn.node), "%s",
			    cli_device_node(c, d->name));
		recjson_device(&c->j, &dn);
		return 0;
	}
	if (c->first) {
		printf("%-20s %-24s %-11s %5s %-24s %s\n", "DEVICE", "ADDRESS",
		    "STATE", "PORTS", "LAST POLL", "SYSNAME / LOCATION");
		c->first = 0;
	}
	printf("%-20s %-24s %-11s %5d %-24s %s%s%s%s\n", d->name, d->address,
	    !d->configured          ? "removed"
	        : d->reachable == 1 ? "reachable"
	        : d->reachable == 0 ? "UNREACHABLE"
	                            : "unknown",
	    d->nports, fmt_time(d->last_poll, t, sizeof(t)), d->sys_name,
	    d->location[0] ? " (" : "", d->location, d->location[0] ? ")" : "");
	return 0;
}

static int
cmd_devices(struct cli *c, int argc, char **argv)
{
	int rc;

	(void)argv;
	if (argc != 1)
		usage();
	if (cli_open_store(c) == -1)
		return 1;
	cli_device_nodes(c);
	rc = store_get_devices(c->store, row_device, c) == -1;
	jread_free(c->nodes);
	c->nodes = NULL;
	return rc;
}

/* --- ports --- */

static int
row_port(void *arg, const struct store_port *p)
{
	struct cli *c = arg;
	char a[16], b[16], s[16];

	if (c->json) {
		recjson_port(&c->j, p);
		return 0;
	}
	if (c->first) {
		printf("%6s %-28s %-6s %-14s %8s %9s %9s  %s\n", "INDEX",
		    "PORT", "ADMIN", "OPER", "SPEED", "IN bps", "OUT bps",
		    "ALIAS");
		c->first = 0;
	}
	printf("%6d %-28s %-6s %-14s %8s %9s %9s  %s\n", p->ifindex, p->name,
	    recjson_admin_name(p->admin_status),
	    recjson_oper_name(p->oper_status),
	    p->speed_bps ? fmt_rate((double)p->speed_bps, s, sizeof(s)) : "-",
	    fmt_rate(p->in_bps, a, sizeof(a)),
	    fmt_rate(p->out_bps, b, sizeof(b)), p->alias);
	return 0;
}

struct device_probe {
	const char *name;
	int found;
};

static int
device_exists(void *arg, const struct store_device *d)
{
	struct device_probe *dp = arg;

	if (strcmp(d->name, dp->name) == 0)
		dp->found = 1;
	return dp->found;
}

/*
 * After a per-device listing printed nothing: an unknown device is an
 * error (exit 1); a known one simply has no WHAT yet.
 */
static int
cli_nothing_for(struct cli *c, const char *device, const char *what)
{
	struct device_probe dp = {device, 0};

	store_get_devices(c->store, device_exists, &dp);
	if (!dp.found) {
		fprintf(stderr, "netpatrol: no device \"%s\" in the store\n",
		    device);
		return 1;
	}
	if (!c->json)
		printf("device %s has no %s known yet\n", device, what);
	return 0;
}

static int
cmd_ports(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		usage();
	if (cli_open_store(c) == -1)
		return 1;
	if (store_get_ports(c->store, argv[1], row_port, c) == -1)
		return 1;
	return c->first ? cli_nothing_for(c, argv[1], "ports") : 0;
}

/* --- events --- */

static int
row_event(void *arg, const struct np_event *e)
{
	struct cli *c = arg;
	char t[40];

	event_time_rfc3339(e->time, t, sizeof(t));
	if (c->json) {
		recjson_event(&c->j, e);
		return 0;
	}
	if (c->first) {
		printf("%-24s %-16s %-8s %-20s %-9s %s\n", "TIME", "DEVICE",
		    "SOURCE", "KIND", "SEVERITY", "TEXT");
		c->first = 0;
	}
	printf("%-24s %-16s %-8s %-20s %-9s %s\n", t, e->device, e->source,
	    e->kind, event_severity_name(e->severity), e->text);
	return 0;
}

/*
 * The options of events and traps: --since, --until, --device, --limit,
 * and for events --kind and --severity. 0, or 2 after a message.
 */
/* The value of --since or --until: a time, said when it is not one. */
static int
cli_time(const char *val, double now, double *out)
{
	if (event_time_parse(val, now, out) == -1) {
		fprintf(stderr,
		    "netpatrol: %s: not a time (RFC 3339, "
		    "YYYY-MM-DD[ HH:MM], or -2h/30m/7d)\n",
		    val);
		return -1;
	}
	return 0;
}

int
cli_filter(int argc, char **argv, struct store_event_filter *f, int events)
{
	double now = (double)time(NULL);
	enum np_severity sev;

	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i],
		           *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (val == NULL)
			usage();
		if (strcmp(opt, "--since") == 0 ||
		    strcmp(opt, "--until") == 0) {
			if (cli_time(val, now,
			        opt[2] == 's' ? &f->since : &f->until) == -1)
				return 2;
		} else if (strcmp(opt, "--device") == 0)
			f->device = val;
		else if (events && strcmp(opt, "--kind") == 0)
			f->kind_prefix = val;
		else if (events && strcmp(opt, "--severity") == 0) {
			if (event_severity_parse(val, &sev) == -1) {
				fprintf(stderr,
				    "netpatrol: %s: severity is one of info, "
				    "warning, minor, major, critical\n",
				    val);
				return 2;
			}
			f->min_severity = (int)sev;
		} else if (strcmp(opt, "--limit") == 0) {
			char *end;
			long n = strtol(val, &end, 10);

			if (*end || n < 1 || n > 10000000) {
				fprintf(stderr,
				    "netpatrol: --limit takes a number\n");
				return 2;
			}
			f->limit = (int)n;
		} else
			usage();
		i++;
	}
	return 0;
}

static int
cmd_events(struct cli *c, int argc, char **argv)
{
	struct store_event_filter f = {0, 0, NULL, NULL, -1, 0};

	if (cli_filter(argc, argv, &f, 1) != 0)
		return 2;
	if (cli_open_store(c) == -1)
		return 1;
	return store_get_events(c->store, &f, row_event, c) == -1;
}

/* --- traps --- */

static int
row_trap(void *arg, const struct store_trap *t)
{
	struct cli *c = arg;
	char tm[40];

	event_time_rfc3339(t->event.time, tm, sizeof(tm));
	if (c->json) {
		recjson_trap(&c->j, t);
		return 0;
	}
	if (c->first) {
		printf("%-24s %-16s %-4s %-28s %-16s %s\n", "TIME", "DEVICE",
		    "VER", "TRAP", "KIND", "TEXT");
		c->first = 0;
	}
	printf("%-24s %-16s %-4s %-28s %-16s %s\n", tm,
	    t->known ? t->event.device : t->sender, t->version,
	    t->trap_name[0] ? t->trap_name : t->trap_oid, t->event.kind,
	    t->event.text);
	return 0;
}

static int
cmd_traps(struct cli *c, int argc, char **argv)
{
	struct store_event_filter f = {0, 0, NULL, NULL, -1, 0};

	if (cli_filter(argc, argv, &f, 0) != 0)
		return 2;
	if (cli_open_store(c) == -1)
		return 1;
	return store_get_traps(c->store, &f, row_trap, c) == -1;
}

/* --- logs --- */

static int
row_log(void *arg, const struct store_log *l)
{
	struct cli *c = arg;
	struct jbuf one, *j = c->ndjson ? &one : &c->j;
	char tm[40];

	c->last_id = l->id;

	event_time_rfc3339(l->time, tm, sizeof(tm));
	if (c->json) {
		if (c->ndjson)
			jbuf_init(&one);
		recjson_log(j, l);
		if (c->ndjson) {
			printf("%s\n", one.s ? one.s : "{}");
			jbuf_free(&one);
		}
		return 0;
	}
	if (c->first) {
		printf("%-24s %-16s %-12s %-7s %-20s %s\n", "TIME", "DEVICE",
		    "FACILITY", "SEV", "MNEMONIC/APP", "TEXT");
		c->first = 0;
	}
	printf("%-24s %-16s %-12s %-7s %-20s %s\n", tm, l->device,
	    recjson_facility_name(l->facility),
	    recjson_severity_name(l->severity),
	    l->mnemonic[0] ? l->mnemonic : l->app, l->text);
	return 0;
}

static int
cmd_logs(struct cli *c, int argc, char **argv)
{
	struct store_log_filter f = {0, 0, NULL, NULL, -1, 1000, 0};
	double now = (double)time(NULL);
	int follow = 0;

	for (int i = 1; i < argc; i += 2) {
		const char *opt = argv[i],
		           *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(opt, "--follow") == 0) {
			follow = 1;
			i--;
			continue;
		}
		if (val == NULL)
			usage();
		if (strcmp(opt, "--since") == 0 ||
		    strcmp(opt, "--until") == 0) {
			if (cli_time(val, now,
			        opt[2] == 's' ? &f.since : &f.until) == -1)
				return 2;
		} else if (strcmp(opt, "--device") == 0)
			f.device = val;
		else if (strcmp(opt, "--match") == 0)
			f.match = val;
		else if (strcmp(opt, "--severity") == 0) {
			f.max_severity = recjson_severity_parse(val);
			if (f.max_severity < 0) {
				fprintf(stderr,
				    "netpatrol: %s: severity is one of emerg, "
				    "alert, crit, err, warning, notice, info, "
				    "debug (or 0-7)\n",
				    val);
				return 2;
			}
		} else if (strcmp(opt, "--limit") == 0) {
			char *end;
			long n = strtol(val, &end, 10);

			if (*end || n < 0 || n > 100000000) {
				fprintf(stderr,
				    "netpatrol: --limit takes a "
				    "number (0: all)\n");
				return 2;
			}
			f.limit = (int)n;
		} else
			usage();
	}
	if (cli_open_store(c) == -1)
		return 1;
	if (store_schema_version(c->store) < 9) {
		fprintf(stderr,
		    "netpatrol: the store's syslog messages are of an older "
		    "netpatrold: restart netpatrold to bring them up to "
		    "date\n");
		return 1;
	}
	if (!follow)
		return store_get_logs(c->store, &f, row_log, c) == -1;
	/*
	 * --follow: the newest LIMIT, then what comes, polling the store
	 * every second until interrupted (--json: an object a line).
	 */
	if (f.until > 0) {
		fprintf(stderr, "netpatrol: --follow has no --until\n");
		return 2;
	}
	c->ndjson = c->json;
	for (;;) {
		struct timespec second = {1, 0};

		if (store_get_logs(c->store, &f, row_log, c) == -1)
			return 1;
		fflush(stdout);
		f.after_id = c->last_id;
		f.limit = 0;
		nanosleep(&second, NULL);
		/* retention emptied the store: its ids start again at 1 */
		if (store_log_max_id(c->store) < f.after_id)
			f.after_id = c->last_id = 0;
	}
}

/* --- health --- */

static int
row_sensor(void *arg, const struct store_sensor *x)
{
	struct cli *c = arg;
	char val[32];

	if (c->json) {
		recjson_sensor(&c->j, x);
		return 0;
	}
	if (c->first) {
		printf("%-36s %-12s %12s %-6s %-9s %s\n", "SENSOR", "CLASS",
		    "VALUE", "UNIT", "STATE", "REASON");
		c->first = 0;
	}
	if (isnan(x->value))
		snprintf(val, sizeof(val), "-");
	else
		snprintf(val, sizeof(val), "%.2f", x->value);
	printf("%-36s %-12s %12s %-6s %-9s %s\n", x->name, x->cls, val, x->unit,
	    x->state, x->reason);
	return 0;
}

static int
cmd_sensors(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		usage();
	if (cli_open_store(c) == -1)
		return 1;
	if (store_get_sensors(c->store, argv[1], row_sensor, c) == -1)
		return 1;
	return c->first ? cli_nothing_for(c, argv[1], "health values") : 0;
}

#define HEALTH_MAX 4096
struct health_sum {
	char device[NP_NAME_MAX];
	int worst; /* index into health_states */
	int count[5];
	char worst_sensor[NP_STR_MAX];
	int reachable;
};
static const char *health_states[] = {
    "normal", "unknown", "warning", "critical", "failed"};

struct health_acc {
	struct health_sum *v;
	size_t n;
};

static int
health_rank(const char *state)
{
	for (int i = 0; i < 5; i++)
		if (strcmp(state, health_states[i]) == 0)
			return i;
	return 1;
}

static struct health_sum *
health_find(struct health_acc *a, const char *device)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].device, device) == 0)
			return &a->v[i];
	if (a->n == HEALTH_MAX)
		return NULL;
	memset(&a->v[a->n], 0, sizeof(a->v[0]));
	snprintf(a->v[a->n].device, sizeof(a->v[0].device), "%s", device);
	a->v[a->n].reachable = -1;
	return &a->v[a->n++];
}

static int
health_add(void *arg, const struct store_sensor *x)
{
	struct health_sum *h = health_find(arg, x->device);
	int r = health_rank(x->state);

	if (h == NULL)
		return 0;
	h->count[r]++;
	if (r > h->worst || h->worst_sensor[0] == '\0') {
		if (r >= h->worst) {
			h->worst = r;
			snprintf(h->worst_sensor, sizeof(h->worst_sensor), "%s",
			    x->name);
		}
	}
	return 0;
}

static int
health_dev(void *arg, const struct store_device *d)
{
	struct health_sum *h;

	if (!d->configured || (h = health_find(arg, d->name)) == NULL)
		return 0;
	h->reachable = d->reachable;
	return 0;
}

static int
health_cmp(const void *a, const void *b)
{
	const struct health_sum *x = a, *y = b;
	int wx = x->reachable == 0 ? 5 : x->worst,
	    wy = y->reachable == 0 ? 5 : y->worst;

	if (wx != wy)
		return wy - wx;
	return strcmp(x->device, y->device);
}

static int
cmd_health(struct cli *c, int argc, char **argv)
{
	struct health_acc a = {NULL, 0};

	(void)argv;
	if (argc != 1)
		usage();
	if (cli_open_store(c) == -1)
		return 1;
	if ((a.v = calloc(HEALTH_MAX, sizeof(*a.v))) == NULL)
		return 1;
	store_get_devices(c->store, health_dev, &a);
	store_get_sensors(c->store, NULL, health_add, &a);
	qsort(a.v, a.n, sizeof(*a.v), health_cmp);
	for (size_t i = 0; i < a.n; i++) {
		struct health_sum *h = &a.v[i];
		const char *worst = h->reachable == 0 ? "unreachable"
		    : h->count[0] + h->count[1] + h->count[2] + h->count[3] +
		            h->count[4] ==
		        0
		    ? "unknown"
		    : health_states[h->worst];

		if (c->json) {
			json_obj_open(&c->j);
			json_kstr(&c->j, "device", h->device);
			json_kstr(&c->j, "state", worst);
			json_kstr(&c->j, "worst_sensor",
			    h->worst > 0 ? h->worst_sensor : "");
			for (int k = 0; k < 5; k++)
				json_kint(&c->j, health_states[k], h->count[k]);
			json_obj_close(&c->j);
			continue;
		}
		if (c->first) {
			printf("%-20s %-12s %6s %7s %8s %8s %6s  %s\n",
			    "DEVICE", "STATE", "NORMAL", "UNKNOWN", "WARNING",
			    "CRITICAL", "FAILED", "WORST SENSOR");
			c->first = 0;
		}
		printf("%-20s %-12s %6d %7d %8d %8d %6d  %s\n", h->device,
		    worst, h->count[0], h->count[1], h->count[2], h->count[3],
		    h->count[4], h->worst > 0 ? h->worst_sensor : "");
	}
	free(a.v);
	return 0;
}

/* --- live state from the daemon --- */

char *
cli_ask(struct cli *c, const char *cmd)
{
	char err[512], *ans;

	if ((ans = control_request(
	         c->conf->control, cmd, 10000, err, sizeof(err))) == NULL)
		fprintf(stderr, "netpatrol: %s\n", err);
	return ans;
}

/* The daemon's answer parsed (an object), or NULL after saying why. */
struct jread *
cli_parse(const char *ans)
{
	char err[256];
	struct jread *v;
	int n = (int)strcspn(ans, "\n"); /* the first line, at most 200 */

	if (n > 200)
		n = 200;
	if ((v = jread_parse(ans, err, sizeof(err))) != NULL &&
	    jread_type(v) != JR_OBJ)
		snprintf(err, sizeof(err), "not an object");
	if (v == NULL || jread_type(v) != JR_OBJ) {
		fprintf(stderr,
		    "netpatrol: the daemon's answer is not a JSON object (%s): "
		    "%.*s\n",
		    err, n, ans);
		jread_free(v);
		return NULL;
	}
	return v;
}

struct jread *
cli_answer(const char *ans)
{
	struct jread *v = cli_parse(ans);

	if (v != NULL && jread_kstr(v, "error") != NULL) {
		fprintf(stderr, "netpatrol: %s\n", jread_kstr(v, "error"));
		jread_free(v);
		return NULL;
	}
	return v;
}

static int
cmd_reload(struct cli *c, int argc, char **argv)
{
	char *ans;
	struct jread *a;
	const char *err;
	int rc;

	(void)argv;
	if (argc != 1)
		usage();
	if ((ans = cli_ask(c, "reload")) == NULL)
		return 1;
	if ((a = cli_parse(ans)) == NULL) {
		free(ans);
		return 1;
	}
	/* refused (not the change-group's member): say so, exit 1 */
	rc = jread_get(a, "error") != NULL;
	err = jread_kstr(a, "error");
	if (c->json)
		fputs(ans, stdout);
	else if (rc)
		fprintf(stderr, "netpatrol: %s\n", err ? err : "refused");
	else
		printf("reload requested\n");
	jread_free(a);
	free(ans);
	return rc;
}

/* The daemon's control commands, from its "help": syntax, help, who. */
static int
help_daemon(struct cli *c)
{
	struct jread *r;
	const struct jread *cmds, *e;
	const char *syntax, *help, *who;
	char *ans;

	if ((ans = cli_ask(c, "help")) == NULL)
		return 1;
	if (c->json) {
		fputs(ans, stdout);
		free(ans);
		return 0;
	}
	if ((r = cli_parse(ans)) == NULL || jread_get(r, "error") != NULL ||
	    jread_type(cmds = jread_get(r, "commands")) != JR_ARR) {
		if (r != NULL)
			fprintf(stderr, "netpatrol: %s", ans);
		jread_free(r);
		free(ans);
		return 1;
	}
	printf("netpatrold's control commands:\n");
	for (size_t i = 0; i < jread_len(cmds); i++) {
		e = jread_at(cmds, i);
		syntax = jread_kstr(e, "syntax");
		who = jread_kstr(e, "who");
		help = jread_kstr(e, "help");
		syntax = syntax ? syntax : "";
		help = help ? help : "";
		who = who ? who : "";
		if (strlen(syntax) > 40) /* its own line, help under it */
			printf("  %s\n  %-40s", syntax, "");
		else
			printf("  %-40s", syntax);
		printf(" %s (%s)\n", help,
		    strcmp(who, "anyone") == 0     ? "anyone who can connect"
		        : strcmp(who, "user") == 0 ? "root or the daemon's user"
		        : strcmp(who, "read") == 0 ? "readers: control read-group"
		        : strcmp(who, "change") == 0
		        ? "changes: control change-group"
		        : "root only");
	}
	jread_free(r);
	free(ans);
	return 0;
}

/* The output could not be written (a closed pipe, a full disk): say so. */
static int
cli_output_done(int rc)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "netpatrol: writing the output: %s\n",
		    strerror(errno ? errno : EIO));
		return 1;
	}
	return rc;
}

int
main(int argc, char *argv[])
{
	struct cli c;
	char err[8192];
	char *args[64], *defines[33];
	int nargs = 0, ndef = 0, rc;
	const struct cli_cmd *cmd = NULL;
	const char *sock = NULL;

	/* a daemon that closes, a reader of our output that goes: said,
	 * not a silent death */
	signal(SIGPIPE, SIG_IGN);
	memset(&c, 0, sizeof(c));
	c.conf_path = NP_SYSCONFDIR "/netpatrold.conf";
	c.first = 1;
	log_init(1, LOG_L_WARN, "netpatrol");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			c.json = 1;
		else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc)
			c.conf_path = argv[++i];
		else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			sock = argv[++i];
		else if (strcmp(argv[i], "-D") == 0 && i + 1 < argc &&
		    ndef < 32 && strchr(argv[i + 1], '=') != NULL)
			defines[ndef++] = argv[++i];
		else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			cmd_help(&c, 0, NULL);
			return cli_output_done(0);
		} else if (nargs < 63)
			args[nargs++] = argv[i];
		else
			usage();
	}
	args[nargs] = NULL;
	defines[ndef] = NULL;
	if (nargs == 0)
		usage();
	for (size_t i = 0; i < NCMDS; i++)
		if (strcmp(args[0], cli_cmds[i].name) == 0)
			cmd = &cli_cmds[i];
	if (cmd == NULL) {
		fprintf(stderr, "netpatrol: unknown command \"%s\"\n", args[0]);
		usage();
	}
	if (cmd->fn == cmd_help && nargs == 1)
		return cli_output_done(cmd_help(&c, nargs, args));
	if (cmd->fn == cmd_passwd) /* needs no configuration */
		return cli_output_done(cmd_passwd(&c, nargs, args));
	if (sock == NULL && (sock = getenv("NETPATROL_SOCKET")) != NULL &&
	    *sock == '\0')
		sock = NULL;
	if (cli_semdiff_offline(nargs, args))
		c.conf = NULL; /* two files, no daemon: no netpatrold.conf */
	else if (sock != NULL) {
		/* the socket is all it needs: the configuration (and its
		 * secrets) is the daemon's; the store's place it says */
		if ((c.conf = cli_conf_from_socket(sock)) == NULL)
			return 1;
	} else if ((c.conf = conf_parse(c.conf_path, defines, err,
	                sizeof(err))) == NULL) {
		fprintf(stderr, "%s", err);
		return 1;
	}
	jbuf_init(&c.j);
	if (c.json && cmd->json == CLI_JSON_LIST)
		json_arr_open(&c.j);
	rc = cmd->fn(&c, nargs, args);
	if (c.json && cmd->json == CLI_JSON_LIST)
		json_arr_close(&c.j);
	if (c.json && cmd->json != CLI_JSON_RAW && rc == 0)
		printf("%s\n",
		    c.j.s                            ? c.j.s
		        : cmd->json == CLI_JSON_LIST ? "[]"
		                                     : "{}");
	jbuf_free(&c.j);
	store_close(c.store);
	if (c.conf != NULL)
		conf_free(c.conf);
	return cli_output_done(rc);
}
