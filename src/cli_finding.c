/*
 * cli_finding.c - netpatrol's findings: the list and one finding with its
 * history (read from the store), and people's actions on them (through
 * the daemon, which knows who asks).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "event.h"
#include "finding.h"
#include "recjson.h"

static void
fmt_time(double t, char *buf, size_t len)
{
	if (t > 0)
		event_time_rfc3339(t, buf, len);
	else
		snprintf(buf, len, "-");
}

static int
row_finding(void *arg, const struct finding *f)
{
	struct cli *c = arg;
	double now = (double)time(NULL);
	char t[40];
	const char *od = finding_overdue(f, now);

	if (c->json) {
		finding_json(&c->j, f, now);
		return 0;
	}
	if (c->first) {
		printf("%-6s %-12s %-9s %-2s %-24s %-16s %s\n", "ID", "STATE",
		    "SEVERITY", "P", "LAST SEEN", "DEVICE", "TITLE");
		c->first = 0;
	}
	fmt_time(f->last_seen, t, sizeof(t));
	printf("%-6lld %-12s %-9s %-2d %-24s %-16s %s%s%s%s%s\n",
	    (long long)f->id, finding_state_name(f->state),
	    event_severity_name(f->severity), f->priority, t, f->device,
	    f->title, od ? " [overdue: " : "", od ? od : "", od ? "]" : "",
	    f->flapping ? " [flapping]" : "");
	return 0;
}

int
cmd_findings(struct cli *c, int argc, char **argv)
{
	struct store_finding_filter f = {0, 1, NULL, -1, 0};
	enum np_severity sev;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0)
			f.open_only = 0;
		else if (strcmp(argv[i], "--open") == 0)
			f.open_only = 1;
		else if (i + 1 < argc && strcmp(argv[i], "--device") == 0)
			f.device = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--severity") == 0) {
			if (event_severity_parse(argv[++i], &sev) == -1) {
				fprintf(stderr,
				    "netpatrol: %s: severity is one of info, "
				    "warning, minor, major, critical\n",
				    argv[i]);
				return 2;
			}
			f.min_severity = (int)sev;
		} else if (i + 1 < argc && strcmp(argv[i], "--limit") == 0) {
			f.limit = atoi(argv[++i]);
			if (f.limit < 1) {
				fprintf(stderr,
				    "netpatrol: --limit takes a number\n");
				return 2;
			}
		} else
			usage();
	}
	if (cli_open_store(c) == -1)
		return 1;
	return store_get_findings(c->store, &f, row_finding, c) == -1;
}

struct one {
	struct cli *c;
	struct finding f;
	int found;
};

static int
take_one(void *arg, const struct finding *f)
{
	struct one *o = arg;

	o->f = *f;
	o->found = 1;
	return 1;
}

static int
row_fhist(void *arg, const struct store_fhist *h)
{
	struct cli *c = arg;
	char t[40];

	fmt_time(h->time, t, sizeof(t));
	if (c->json) {
		recjson_fhist(&c->j, h);
		return 0;
	}
	printf("  %-24s %-12s %-14s %-12s %s\n", t, h->action, h->actor,
	    h->state, h->text);
	return 0;
}

int
cmd_finding(struct cli *c, int argc, char **argv)
{
	struct store_finding_filter f = {0, 0, NULL, -1, 0};
	struct one o;
	char *end, a[40], b[40];
	double now = (double)time(NULL);
	const char *od;
	int rc;

	if (argc != 2 || (f.id = strtoll(argv[1], &end, 10)) <= 0 || *end)
		usage();
	if (cli_open_store(c) == -1)
		return 1;
	memset(&o, 0, sizeof(o));
	if (store_get_findings(c->store, &f, take_one, &o) == -1)
		return 1;
	if (!o.found) {
		fprintf(stderr, "netpatrol: no finding %s\n", argv[1]);
		return 1;
	}
	if (c->json) {
		/* one object (cli_cmds: CLI_JSON_ONE), with its history */
		json_obj_open(&c->j);
		finding_json_members(&c->j, &o.f, now);
		json_key(&c->j, "history");
		json_arr_open(&c->j);
		rc = store_get_fhist(c->store, o.f.id, row_fhist, c);
		json_arr_close(&c->j);
		json_obj_close(&c->j);
		return rc == -1;
	}
	printf("finding %lld: %s\n", (long long)o.f.id, o.f.title);
	printf("  state %s, severity %s, priority %d, role %s, owner %s\n",
	    finding_state_name(o.f.state), event_severity_name(o.f.severity),
	    o.f.priority, finding_role_name(o.f.role),
	    o.f.owner[0] ? o.f.owner : "-");
	printf("  device %s%s%s, key %s\n", o.f.device,
	    o.f.location[0] ? ", " : "", o.f.location, o.f.key);
	fmt_time(o.f.first_seen, a, sizeof(a));
	fmt_time(o.f.last_seen, b, sizeof(b));
	printf("  seen %llu times, first %s, last %s%s\n",
	    (unsigned long long)o.f.count, a, b,
	    o.f.flapping ? " (flapping)" : "");
	fmt_time(o.f.respond_by, a, sizeof(a));
	fmt_time(o.f.resolve_by, b, sizeof(b));
	od = finding_overdue(&o.f, now);
	printf("  respond by %s, resolve by %s%s%s\n", a, b,
	    od ? ", overdue: " : "", od ? od : "");
	printf("  %s\nhistory:\n", o.f.description);
	return store_get_fhist(c->store, o.f.id, row_fhist, c) == -1;
}

/* ack, resolve, verify, close, note, assign, open: through the daemon. */
int
cmd_action(struct cli *c, int argc, char **argv)
{
	char line[CLI_LINE_MAX], *ans;
	const char *err;
	struct jread *a;
	size_t off;
	int rc;

	if (argc < 2 ||
	    ((strcmp(argv[0], "note") == 0 || strcmp(argv[0], "assign") == 0) &&
	        argc < 3) ||
	    (strcmp(argv[0], "open") == 0 && argc < 4))
		usage();
	off = (size_t)snprintf(line, sizeof(line), "finding %s", argv[0]);
	for (int i = 1; i < argc && off < sizeof(line); i++)
		off += (size_t)snprintf(
		    line + off, sizeof(line) - off, " %s", argv[i]);
	if (off >= sizeof(line)) {
		fprintf(stderr, "netpatrol: the text is too long\n");
		return 2;
	}
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if ((ans = cli_ask(c, line)) == NULL)
		return 1;
	if ((a = cli_parse(ans)) == NULL) {
		free(ans);
		return 1;
	}
	err = jread_kstr(a, "error");
	rc = jread_get(a, "error") != NULL;
	if (c->json)
		fputs(ans, stdout);
	else if (rc && err)
		fprintf(stderr, "netpatrol: %s\n", err);
	else if (rc)
		fprintf(stderr, "netpatrol: %s", ans);
	else {
		double id = jread_knum(a, "id");
		const char *st = jread_kstr(a, "state");

		printf("finding %lld: %s\n", isnan(id) ? 0LL : (long long)id,
		    st ? st : "?");
	}
	jread_free(a);
	free(ans);
	return rc;
}
