/*
 * test_notify.c - the notifier's logic without I/O: the filters of a
 * target, which targets each change of a finding goes to (and which
 * escalation timers start), escalation chains, the retry backoff, and the
 * text and JSON the transports send. Table-driven; the deliveries
 * themselves are tested in tests/integration/notify.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "finding.h"
#include "jread.h"
#include "notify_int.h"
#include "tap.h"

static char dir[256];

static struct config *
parse(const char *text)
{
	char path[300], err[4096];
	struct config *c;
	FILE *f;

	snprintf(path, sizeof(path), "%s/notify.conf", dir);
	if ((f = fopen(path, "w")) == NULL)
		return NULL;
	fputs(text, f);
	fclose(f);
	c = conf_parse(path, NULL, err, sizeof(err));
	if (c == NULL)
		printf("# %s", err);
	unlink(path);
	return c;
}

static void
route_from(struct nroute *r, const struct config *c)
{
	const struct notify_conf *v[NP_MAX_NOTIFY], *n;
	int k = 0;

	TAILQ_FOREACH(n, &c->notifies, entry)
	v[k++] = n;
	nroute_build(r, v, k);
}

static void
finding_default(struct finding *f)
{
	memset(f, 0, sizeof(*f));
	f->id = 7;
	snprintf(f->device, sizeof(f->device), "core1");
	snprintf(f->kind, sizeof(f->kind), "port.down");
	snprintf(f->key, sizeof(f->key), "core1/port:Gi0/1");
	f->severity = SEV_MAJOR;
	f->role = FR_OPERATIONS;
	f->state = FS_OPEN;
	f->priority = 2;
}

/* The names of the targets in SET, comma-separated. */
static const char *
names(const struct nroute *r, uint64_t set, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < r->n; i++)
		if (set & ((uint64_t)1 << i))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			    buf[0] ? "," : "", r->t[i]->name);
	return buf;
}

/*
 * Filters: one target with SETTINGS, a finding changed by MUT; does the
 * target take it?
 */
struct match_case {
	const char *what;
	const char *settings;
	const char *device, *kind;
	int severity, role;
	int want;
};

static const struct match_case match_cases[] = {
    {"no filter takes everything", "", "x", "y", SEV_INFO, FR_BUSINESS, 1},
    {"severity: equal", "severity major", "x", "y", SEV_MAJOR, 0, 1},
    {"severity: above", "severity major", "x", "y", SEV_CRITICAL, 0, 1},
    {"severity: below", "severity major", "x", "y", SEV_MINOR, 0, 0},
    {"severity warning takes minor", "severity warning", "x", "y", SEV_MINOR, 0,
        1},
    {"role: the one", "role security", "x", "y", SEV_INFO, FR_SECURITY, 1},
    {"role: another", "role security", "x", "y", SEV_INFO, FR_OPERATIONS, 0},
    {"role: one of two", "role security business", "x", "y", SEV_INFO,
        FR_BUSINESS, 1},
    {"devices: glob", "devices \"core*\"", "core12", "y", SEV_INFO, 0, 1},
    {"devices: glob misses", "devices \"core*\"", "edge1", "y", SEV_INFO, 0, 0},
    {"devices: second glob", "devices \"core*\" \"edge?\"", "edge1", "y",
        SEV_INFO, 0, 1},
    {"devices: ? is one character", "devices \"edge?\"", "edge12", "y",
        SEV_INFO, 0, 0},
    {"devices: class", "devices \"sw[0-3]\"", "sw2", "y", SEV_INFO, 0, 1},
    {"kinds: glob", "kinds \"port.*\"", "x", "port.down", SEV_INFO, 0, 1},
    {"kinds: misses", "kinds \"port.*\"", "x", "sensor.temperature", SEV_INFO,
        0, 0},
    {"all filters: all pass",
        "severity minor\n role operations\n devices \"core*\"\n kinds "
        "\"port.*\"",
        "core1", "port.down", SEV_MAJOR, FR_OPERATIONS, 1},
    {"all filters: one fails",
        "severity minor\n role operations\n devices \"core*\"\n kinds "
        "\"port.*\"",
        "core1", "port.down", SEV_MAJOR, FR_SECURITY, 0},
};

static void
test_match(void)
{
	char text[1024];
	struct config *c;
	struct finding f;

	for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]);
	     i++) {
		const struct match_case *m = &match_cases[i];

		snprintf(text, sizeof(text),
		    "notify \"t\" {\n trap v2c 127.0.0.1\n %s\n}\n",
		    m->settings);
		if ((c = parse(text)) == NULL) {
			TAP_OK(0, "match: %s: config parses", m->what);
			continue;
		}
		finding_default(&f);
		snprintf(f.device, sizeof(f.device), "%s", m->device);
		snprintf(f.kind, sizeof(f.kind), "%s", m->kind);
		f.severity = m->severity;
		f.role = m->role;
		TAP_OK(nroute_match(TAILQ_FIRST(&c->notifies), &f) == m->want,
		    "match: %s", m->what);
		conf_free(c);
	}
}

static void
test_skip(void)
{
	struct finding f;

	finding_default(&f);
	TAP_OK(nroute_skip(&f) == NULL, "skip: an ordinary finding is sent");
	f.flapping = 1;
	TAP_STREQ(nroute_skip(&f), "flapping", "skip: flapping");
	f.flapping = 0;
	f.suppressed = 1;
	TAP_STREQ(nroute_skip(&f), "suppressed", "skip: suppressed");
	f.suppressed = 0;
	f.consequence_of = 3;
	TAP_STREQ(nroute_skip(&f), "consequence", "skip: a consequence");
}

/*
 * A finding's life, step by step, against the brief's configuration: the
 * targets each change goes to, the timers it starts, the targets that
 * have it afterwards.
 */
#define LIFE_CONF \
	"notify \"noc\" {\n trap v2c 127.0.0.1 port 16300 community \"noc\"\n" \
	" severity major\n role operations\n devices \"core*\"\n" \
	" escalate 15m to \"oncall\"\n}\n" \
	"notify \"oncall\" { mail \"oncall@example.net\"\n escalate 1h to " \
	"\"boss\" }\n" \
	"notify \"boss\" { mail \"boss@example.net\" }\n" \
	"notify \"log\" { syslog udp 127.0.0.1 port 16514 }\n" \
	"notify \"sec\" { exec \"/bin/true\"\n role security\n repeat 10m }\n"

struct step {
	const char *what;
	enum finding_change change;
	int severity, state, role, flapping, suppressed;
	int64_t consequence;
	int forget_first; /* the notifier restarted: nothing known */
	const char *send, *arm, *engaged;
	int cancel, forget;
};

#define S_OPEN FS_OPEN
#define S_ACK FS_ACKNOWLEDGED
#define S_RES FS_RESOLVED

static const struct step life[] = {
    {"minor opens: the log only", FC_OPEN, SEV_MINOR, S_OPEN, FR_OPERATIONS, 0,
        0, 0, 0, "log", "log", "log", 1, 0},
    {"rises to major: the NOC too, its escalation starts", FC_SEVERITY,
        SEV_MAJOR, S_OPEN, FR_OPERATIONS, 0, 0, 0, 0, "noc,log", "noc",
        "noc,log", 0, 0},
    {"critical: both that have it, nothing new to arm", FC_SEVERITY,
        SEV_CRITICAL, S_OPEN, FR_OPERATIONS, 0, 0, 0, 0, "noc,log", "",
        "noc,log", 0, 0},
    {"falls to minor: still both (they have it)", FC_SEVERITY, SEV_MINOR,
        S_OPEN, FR_OPERATIONS, 0, 0, 0, 0, "noc,log", "", "noc,log", 0, 0},
    {"flapping: nothing goes out, timers stop", FC_SEVERITY, SEV_MAJOR, S_OPEN,
        FR_OPERATIONS, 1, 0, 0, 0, "", "", "noc,log", 1, 0},
    {"the engine escalates: those that have it", FC_ESCALATE, SEV_MAJOR, S_OPEN,
        FR_OPERATIONS, 0, 0, 0, 0, "noc,log", "", "noc,log", 0, 0},
    {"acknowledged, severity changes: sent, no escalation", FC_SEVERITY,
        SEV_CRITICAL, S_ACK, FR_OPERATIONS, 0, 0, 0, 0, "noc,log", "",
        "noc,log", 1, 0},
    {"resolved: those that have it, then forgotten", FC_RESOLVE, SEV_CRITICAL,
        S_RES, FR_OPERATIONS, 0, 0, 0, 0, "noc,log", "", "", 1, 1},
    {"reopens as major: a fresh start", FC_OPEN, SEV_MAJOR, S_OPEN,
        FR_OPERATIONS, 0, 0, 0, 0, "noc,log", "noc,log", "noc,log", 1, 0},
    {"suppressed (maintenance): nothing", FC_SEVERITY, SEV_CRITICAL, S_OPEN,
        FR_OPERATIONS, 0, 1, 0, 0, "", "", "noc,log", 1, 0},
    {"a consequence: nothing", FC_RESOLVE, SEV_CRITICAL, S_RES, FR_OPERATIONS,
        0, 0, 12, 0, "", "", "noc,log", 1, 0},
    {"restarted, resolve of a minor: the filters decide", FC_RESOLVE, SEV_MINOR,
        S_RES, FR_OPERATIONS, 0, 0, 0, 1, "log", "", "", 1, 1},
    {"restarted, resolve of a major: the NOC and the log", FC_RESOLVE,
        SEV_MAJOR, S_RES, FR_OPERATIONS, 0, 0, 0, 1, "noc,log", "", "", 1, 1},
    {"a security finding: its own target, which repeats", FC_OPEN, SEV_INFO,
        S_OPEN, FR_SECURITY, 0, 0, 0, 1, "log,sec", "log,sec", "log,sec", 1, 0},
    {"opened already acknowledged: sent, no timers", FC_OPEN, SEV_MAJOR, S_ACK,
        FR_OPERATIONS, 0, 0, 0, 1, "noc,log", "", "noc,log", 1, 0},
};

static uint64_t
set_of(const struct nroute *r, const char *list)
{
	char buf[256], *p, *w;
	uint64_t set = 0;

	snprintf(buf, sizeof(buf), "%s", list);
	for (p = buf; (w = strsep(&p, ",")) != NULL;)
		for (int i = 0; i < r->n; i++)
			if (w[0] && strcmp(r->t[i]->name, w) == 0)
				set |= (uint64_t)1 << i;
	return set;
}

static void
test_life(void)
{
	struct config *c = parse(LIFE_CONF);
	struct nroute r;
	struct finding f;
	struct nplan p;
	uint64_t engaged = 0;
	int known = 0;
	char got[256];

	TAP_OK(c != NULL, "life: the configuration parses");
	if (c == NULL)
		return;
	route_from(&r, c);
	TAP_OK(r.n == 5 && r.esc[0] == 1 && r.esc[1] == 2 && r.esc[2] == -1 &&
	        r.esc[3] == -1 && r.esc[4] == -1,
	    "life: noc escalates to oncall, oncall to boss");
	TAP_OK(!r.t[0]->escalation_only && r.t[1]->escalation_only &&
	        r.t[2]->escalation_only && !r.t[3]->escalation_only,
	    "life: oncall and boss are reached only by escalation");
	for (size_t i = 0; i < sizeof(life) / sizeof(life[0]); i++) {
		const struct step *s = &life[i];

		if (s->forget_first) {
			known = 0;
			engaged = 0;
		}
		finding_default(&f);
		f.severity = s->severity;
		f.state = s->state;
		f.role = s->role;
		f.flapping = s->flapping;
		f.suppressed = s->suppressed;
		f.consequence_of = s->consequence;
		nroute_change(&r, &f, s->change, known, engaged, &p);
		TAP_STREQ(names(&r, p.send, got, sizeof(got)), s->send,
		    "life %zu: %s: sent to", i + 1, s->what);
		TAP_STREQ(names(&r, p.arm, got, sizeof(got)), s->arm,
		    "life %zu: %s: timers", i + 1, s->what);
		TAP_STREQ(names(&r, p.engaged, got, sizeof(got)), s->engaged,
		    "life %zu: %s: has it after", i + 1, s->what);
		TAP_OK(p.cancel == s->cancel && p.forget == s->forget,
		    "life %zu: %s: cancel %d forget %d", i + 1, s->what,
		    p.cancel, p.forget);
		/* as notify.c keeps it */
		if (p.forget) {
			known = 0;
			engaged = 0;
		} else if (known || p.engaged || p.arm) {
			known = 1;
			engaged = p.engaged;
		}
	}
	TAP_OK(set_of(&r, "noc,boss") == 5, "life: set_of");
	conf_free(c);
}

static void
test_backoff(void)
{
	static const int want[][2] = {{0, 1}, {1, 1}, {2, 2}, {3, 4}, {4, 8},
	    {5, 16}, {8, 128}, {9, 256}, {10, 300}, {50, 300}};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		TAP_OK(nroute_backoff(want[i][0]) == want[i][1],
		    "backoff after %d attempts: %d s (got %d)", want[i][0],
		    want[i][1], nroute_backoff(want[i][0]));
}

/*
 * The finding as JSON (finding_json, the exec hook's and the CLI's form):
 * parsed back, each key's value written as jtext writes it.
 */
struct json_case {
	const char *what;
	enum finding_state state;
	int64_t consequence_of;
	double now;
	const char *key, *want;
};
static const struct json_case jcases[] = {
    {"open", FS_OPEN, 0, 1717243300, "id", "7"},
    {"open", FS_OPEN, 0, 1717243300, "key", "\"core1/port:Gi0/1\""},
    {"escapes", FS_OPEN, 0, 1717243300, "title", "\"a \"quoted\"\ntitle\""},
    {"open", FS_OPEN, 0, 1717243300, "severity", "\"major\""},
    {"open", FS_OPEN, 0, 1717243300, "priority", "2"},
    {"open", FS_OPEN, 0, 1717243300, "role", "\"operations\""},
    {"open", FS_OPEN, 0, 1717243300, "state", "\"open\""},
    {"open", FS_OPEN, 0, 1717243300, "flapping", "false"},
    {"times", FS_OPEN, 0, 1717243300, "opened", "\"2024-06-01T12:00:00.500Z\""},
    {"times", FS_OPEN, 0, 1717243300, "resolved", "null"},
    {"times", FS_OPEN, 0, 1717243300, "updated", "null"},
    {"a count", FS_OPEN, 0, 1717243300, "reopened", "2"},
    {"no upstream", FS_OPEN, 0, 1717243300, "consequence_of", "null"},
    {"upstream", FS_OPEN, 3, 1717243300, "consequence_of", "3"},
    {"in time", FS_OPEN, 0, 1717243300, "overdue", "false"},
    {"in time", FS_OPEN, 0, 1717243300, "overdue_deadline", "null"},
    {"not answered", FS_OPEN, 0, 1717243600, "overdue", "true"},
    {"not answered", FS_OPEN, 0, 1717243600, "overdue_deadline", "\"respond\""},
    {"acknowledged", FS_ACKNOWLEDGED, 0, 1717243600, "overdue", "false"},
    {"not resolved", FS_ACKNOWLEDGED, 0, 1717260000, "overdue", "true"},
    {"not resolved", FS_ACKNOWLEDGED, 0, 1717260000, "overdue_deadline",
        "\"resolve\""},
    {"resolved late", FS_RESOLVED, 0, 1717260000, "overdue", "false"},
    {"resolved late", FS_RESOLVED, 0, 1717260000, "overdue_deadline", "null"},
};

/* A parsed value as text: null, true, 7, "a string" (unescaped). */
static const char *
jtext(const struct jread *v, char *buf, size_t len)
{
	switch (jread_type(v)) {
	case JR_ABSENT: return "absent";
	case JR_NULL: return "null";
	case JR_BOOL: return jread_num(v) ? "true" : "false";
	case JR_NUM: snprintf(buf, len, "%.17g", jread_num(v)); return buf;
	case JR_STR: snprintf(buf, len, "\"%s\"", jread_str(v)); return buf;
	case JR_ARR: return "array";
	case JR_OBJ: return "object";
	}
	return "?";
}

static void
test_text(void)
{
	struct finding f;
	char buf[64];
	struct jbuf j;

	TAP_OK(notify_utf8_cut("abc", 10) == 3, "utf8 cut: short");
	TAP_OK(notify_utf8_cut("abcdef", 4) == 4, "utf8 cut: ASCII");
	/* "é" is 2 bytes: cutting at 2 would split it */
	TAP_OK(notify_utf8_cut("a\xc3\xa9z", 2) == 1,
	    "utf8 cut: never inside a character");
	TAP_OK(notify_utf8_cut("\xe2\x82\xac\xe2\x82\xac", 4) == 3,
	    "utf8 cut: 3-byte character");
	finding_default(&f);
	snprintf(f.title, sizeof(f.title), "port Gi0/1 down");
	snprintf(f.description, sizeof(f.description), "link lost");
	notify_text(&f, buf, sizeof(buf));
	TAP_STREQ(
	    buf, "port Gi0/1 down: link lost", "text: title: description");
	f.description[0] = '\0';
	notify_text(&f, buf, sizeof(buf));
	TAP_STREQ(buf, "port Gi0/1 down", "text: title alone");
	f.title[0] = '\0';
	notify_text(&f, buf, sizeof(buf));
	TAP_STREQ(buf, "port.down", "text: the kind without a title");

	finding_default(&f);
	snprintf(f.title, sizeof(f.title), "a \"quoted\"\ntitle");
	f.opened = 1717243200.5;
	f.respond_by = 1717243500;
	f.resolve_by = 1717250000;
	f.reopened = 2;
	for (size_t i = 0; i < sizeof(jcases) / sizeof(jcases[0]); i++) {
		const struct json_case *jc = &jcases[i];
		struct jread *o = NULL;
		char err[256], val[600];
		const char *got;
		size_t n;

		f.state = jc->state;
		f.consequence_of = jc->consequence_of;
		jbuf_init(&j);
		finding_json(&j, &f, jc->now);
		if (!j.failed)
			o = jread_parse(j.s, err, sizeof(err));
		n = jread_len(o);
		got = jtext(jread_get(o, jc->key), val, sizeof(val));
		TAP_OK(jread_type(o) == JR_OBJ && n == 33 &&
		        strcmp(got, jc->want) == 0,
		    "json: %s: %s", jc->what, jc->key);
		if (strcmp(got, jc->want) != 0 || n != 33)
			printf("# got %s (%zu keys) in %s\n", got, n,
			    j.s ? j.s : "");
		jread_free(o);
		jbuf_free(&j);
	}
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(
	    dir, sizeof(dir), "%s/np-test-notify.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_match();
	test_skip();
	test_life();
	test_backoff();
	test_text();
	rmdir(dir);
	return tap_done();
}
