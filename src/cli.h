/*
 * cli.h - what the command-line tool's files share (netpatrol.c: the
 * inventory, ports, events, traps, logs, health; cli_status.c: the
 * daemon's status; cli_finding.c: the findings and people's actions on
 * them).
 */
#ifndef NP_CLI_H
#define NP_CLI_H

#include "conf.h"
#include "jread.h"
#include "json.h"
#include "store.h"

/* A command line for the daemon (control.h's CONTROL_MAX_LINE). */
#define CLI_LINE_MAX 1024

struct cli {
	const char *conf_path;
	struct config *conf;
	struct store *store;
	int json;
	int first; /* no row printed yet */
	int ndjson; /* --json --follow: an object a line, printed at once */
	int64_t last_id; /* of the last row printed */
	struct jbuf j;
	struct jread *nodes; /* a cluster's leases (cli_device_nodes) */
};

/* What --json prints (netpatrol(8) lists the keys of each). */
enum cli_json {
	CLI_JSON_LIST = 0, /* an array of the objects the command adds */
	CLI_JSON_ONE, /* the one object the command writes in the jbuf */
	CLI_JSON_RAW /* the command prints the daemon's answer itself */
};

struct cli_cmd {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	const char *syntax;
	const char *help;
	enum cli_json json;
};

int cli_open_store(struct cli *);
char *cli_ask(struct cli *, const char *cmd);
struct jread *cli_parse(const char *ans);
/* ANS parsed, or NULL after saying why: not JSON, or the daemon's error. */
struct jread *cli_answer(const char *ans);
int cli_filter(int argc, char **argv, struct store_event_filter *, int events);
void usage(void) __attribute__((noreturn));

int cmd_findings(struct cli *, int, char **);
int cmd_finding(struct cli *, int, char **);
int cmd_action(struct cli *, int, char **);
int cmd_status(struct cli *, int, char **);
int cmd_cluster(struct cli *, int, char **);
void cli_device_nodes(struct cli *);
const char *cli_device_node(struct cli *, const char *device);
int cmd_probes(struct cli *, int, char **);
int cmd_traffic(struct cli *, int, char **);
int cmd_config(struct cli *, int, char **);
int cli_config_semantic(struct cli *, int argc, char **argv);
int cli_config_lint(struct cli *, int argc, char **argv);
/* `config lint FILE`, `config diff --semantic F1 F2`: no netpatrold.conf */
int cli_semdiff_offline(int nargs, char **args);
/* Two archived versions' texts (as config diff picks them): 0, 1 error,
 * 2 usage. */
int cli_config_versions_text(struct cli *, const char *device, int argc,
    char **argv, char **ta, size_t *la, char **tb, size_t *lb, int *plat);
int cmd_compliance(struct cli *, int, char **);
int cmd_passwd(struct cli *, int, char **);
int cmd_inspect(struct cli *, int, char **);
int cmd_reports(struct cli *, int, char **);
int cmd_result(struct cli *, int, char **);
int cmd_report(struct cli *, int, char **);
int cmd_kpi(struct cli *, int, char **);
int cmd_rrd(struct cli *, int, char **);
/* Ask a running daemon to write the RRD updates it keeps (reports). */
void cli_rrd_flush_quiet(struct cli *);
int cli_period(const char *, double *since, double *until);

#endif
