/*
 * test_store.c - the store: schema, batched writes through the writer
 * thread, reads with filters, and reopening (what a restart sees).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "tap.h"

struct count {
	int n;
	char last[256];
	double lastval;
};

static int
count_dev(void *arg, const struct store_device *d)
{
	struct count *c = arg;

	c->n++;
	snprintf(c->last, sizeof(c->last), "%s|%s|%d|%d", d->name, d->sys_name,
	    d->reachable, d->nports);
	return 0;
}

static int
count_port(void *arg, const struct store_port *p)
{
	struct count *c = arg;

	c->n++;
	snprintf(c->last, sizeof(c->last), "%s|%s|%d|%d", p->device, p->name,
	    p->ifindex, p->oper_status);
	c->lastval = p->in_bps;
	return 0;
}

static int
count_ev(void *arg, const struct np_event *e)
{
	struct count *c = arg;

	c->n++;
	snprintf(c->last, sizeof(c->last), "%s|%s|%s|%s", e->device, e->kind,
	    e->key, e->new_state);
	return 0;
}

struct logs {
	int n;
	char text[4][128];
	char sd[4][128];
	int64_t event_id[4];
};

static int
get_log(void *arg, const struct store_log *l)
{
	struct logs *lg = arg;

	if (lg->n < 4) {
		snprintf(lg->text[lg->n], sizeof(lg->text[0]), "%s", l->text);
		snprintf(lg->sd[lg->n], sizeof(lg->sd[0]), "%s", l->sd);
		lg->event_id[lg->n] = l->event_id;
	}
	lg->n++;
	return 0;
}

static int
find_ev1000(void *arg, const struct np_event *e)
{
	struct count *c = arg;

	if (e->id == 1000) {
		c->n++;
		snprintf(c->last, sizeof(c->last), "%s|%s|%s", e->device,
		    e->kind, e->key);
	}
	return 0;
}

/* The number SQL gives in the sqlite file PATH, -1 on an error. */
static long
sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long v = -1;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

static int
sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	int rc;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

/*
 * The store as schema 16 left it: the messages (two) in it. The tables as
 * migrations 7, 8 and 9 made them.
 */
static const char old_logs_sql[] =
    "CREATE TABLE logs (id INTEGER PRIMARY KEY, time REAL NOT NULL,"
    " msg_time REAL, device TEXT NOT NULL, known INTEGER NOT NULL,"
    " sender TEXT NOT NULL, transport TEXT, facility INTEGER,"
    " severity INTEGER, host TEXT, app TEXT, procid TEXT, msgid TEXT,"
    " mnemonic TEXT, text TEXT, text_off INTEGER, sd TEXT, raw BLOB,"
    " len INTEGER, problems INTEGER, event_id INTEGER);"
    "ALTER TABLE logs ADD COLUMN sd_off INTEGER;"
    "ALTER TABLE logs ADD COLUMN sd_len INTEGER;"
    "CREATE TABLE log_spans (device TEXT NOT NULL, first_id INTEGER NOT"
    " NULL, last_id INTEGER NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY (device, first_id)) WITHOUT ROWID;"
    "INSERT INTO logs (id, time, device, known, sender, severity, text,"
    " raw, len) VALUES (7, 1700000000, 'old1', 1, '192.0.2.1', 5,"
    " 'before the move', 'raw', 3), (8, 1700000001, 'old1', 1,"
    " '192.0.2.1', 5, 'before the move too', 'raw', 3);"
    "INSERT INTO log_spans VALUES ('old1', 7, 8, 2);"
    "PRAGMA user_version = 16;";

/*
 * Retention, waited for: a pass may go on in slices after a flush. What
 * was counted before it in PR0, after it in PR.
 */
static void
prune_wait(struct store *s, double before, int64_t rows, int64_t size,
    struct store_log_pruned *pr0, struct store_log_pruned *pr)
{
	store_log_pruned(s, pr0);
	store_prune_logs(s, before, rows, size);
	store_flush(s);
	for (int i = 0; i < 3000; i++) {
		store_log_pruned(s, pr);
		if (pr->passes > pr0->passes)
			break;
		usleep(10000);
	}
}

int
main(void)
{
	char dir[] = "/tmp/np-test-store-XXXXXX", path[256], err[512];
	struct store *s, *ro;
	struct store_device d;
	struct store_port p;
	struct np_event ev;
	struct count c;

	if (mkdtemp(dir) == NULL)
		return 99;
	snprintf(path, sizeof(path), "%s/netpatrol.db", dir);

	TAP_OK(store_open(path, 1, err, sizeof(err)) == NULL,
	    "read-only open of a missing store fails");
	s = store_open(path, 0, err, sizeof(err));
	TAP_OK(s != NULL, "create the store (%s)", s ? "ok" : err);
	if (s == NULL)
		return tap_done();
	TAP_OK(store_schema_version(s) >= 1, "schema version %d",
	    store_schema_version(s));
	TAP_OK(store_writer_start(s, 50, 1000) == 0, "writer thread starts");

	memset(&d, 0, sizeof(d));
	strcpy(d.name, "core1");
	strcpy(d.address, "127.0.0.1");
	d.port = 161;
	d.snmp_version = 2;
	strcpy(d.sys_name, "core1.example");
	d.reachable = 1;
	d.last_poll = d.last_ok = 1700000000;
	d.sys_uptime = 12345;
	TAP_OK(store_put_device(s, &d) == 0, "queue a device");

	memset(&p, 0, sizeof(p));
	strcpy(p.device, "core1");
	strcpy(p.name, "Gi1/0/1");
	p.ifindex = 10101;
	p.oper_status = 1;
	p.admin_status = 1;
	p.in_bps = 1e9;
	p.out_bps = NAN;
	p.updated = 1700000000;
	TAP_OK(store_put_port(s, &p) == 0, "queue a port");
	p.ifindex = 20202; /* renumbered: same port, same row */
	p.oper_status = 2;
	store_put_port(s, &p);

	for (int i = 0; i < 5; i++) {
		event_init(&ev, i < 3 ? "core1" : "edge2", "poll",
		    i % 2 ? "port.up" : "port.down", "port:Gi1/0/1",
		    i % 2 ? SEV_INFO : SEV_MAJOR, "event %d", i);
		ev.time = 1700000000 + i;
		snprintf(ev.new_state, sizeof(ev.new_state), "%s",
		    i % 2 ? "up" : "down");
		store_put_event(s, &ev);
	}
	store_flush(s);

	ro = store_open(path, 1, err, sizeof(err));
	TAP_OK(ro != NULL, "a reader opens it while the writer runs");
	if (ro) {
		memset(&c, 0, sizeof(c));
		store_get_devices(ro, count_dev, &c);
		TAP_OK(c.n == 1, "one device");
		TAP_STREQ(c.last, "core1|core1.example|1|1",
		    "device fields and port count");

		memset(&c, 0, sizeof(c));
		store_get_ports(ro, "core1", count_port, &c);
		TAP_OK(c.n == 1, "renumbered port is still one row (%d)", c.n);
		TAP_STREQ(c.last, "core1|Gi1/0/1|20202|2",
		    "port follows its new ifIndex");
		TAP_NEAR(c.lastval, 1e9, 1, "rate stored");

		struct store_event_filter f = {0, 0, NULL, NULL, -1, 0};
		memset(&c, 0, sizeof(c));
		store_get_events(ro, &f, count_ev, &c);
		TAP_OK(c.n == 5, "all events (%d)", c.n);
		f.device = "core1";
		memset(&c, 0, sizeof(c));
		store_get_events(ro, &f, count_ev, &c);
		TAP_OK(c.n == 3, "events of one device (%d)", c.n);
		f.device = NULL;
		f.since = 1700000003;
		memset(&c, 0, sizeof(c));
		store_get_events(ro, &f, count_ev, &c);
		TAP_OK(c.n == 2, "events since a time (%d)", c.n);
		f.since = 0;
		f.kind_prefix = "port.d";
		memset(&c, 0, sizeof(c));
		store_get_events(ro, &f, count_ev, &c);
		TAP_OK(c.n == 3, "events by kind prefix (%d)", c.n);
		f.kind_prefix = NULL;
		f.min_severity = SEV_MAJOR;
		memset(&c, 0, sizeof(c));
		store_get_events(ro, &f, count_ev, &c);
		TAP_OK(c.n == 3, "events by severity (%d)", c.n);
		f.min_severity = -1;
		f.limit = 2;
		memset(&c, 0, sizeof(c));
		store_get_events(ro, &f, count_ev, &c);
		TAP_OK(c.n == 2, "limit keeps the newest");
		TAP_STREQ(
		    c.last, "edge2|port.down|port:Gi1/0/1|down", "newest last");
		/* every filter at once (the query holds only those given) */
		{
			struct store_event_filter g = {1700000000.5,
			    1700000002.5, "core1", "port.", SEV_MAJOR, 5};

			memset(&c, 0, sizeof(c));
			store_get_events(ro, &g, count_ev, &c);
			TAP_OK(c.n == 1, "device, times, kind, severity and "
			                 "limit together (%d)", c.n);
			g.min_severity = -1;
			memset(&c, 0, sizeof(c));
			store_get_events(ro, &g, count_ev, &c);
			TAP_OK(c.n == 2, "... any severity (%d)", c.n);
			g.since = g.until = 0;
			g.kind_prefix = "port.d";
			g.limit = 1;
			memset(&c, 0, sizeof(c));
			store_get_events(ro, &g, count_ev, &c);
			TAP_OK(c.n == 1, "a device's newest of a kind (%d)", c.n);
			TAP_STREQ(c.last, "core1|port.down|port:Gi1/0/1|down",
			    "... is its own");
		}
		store_close(ro);
	}

	/* syslog messages: a batch, its event, the text kept once or not */
	{
		struct store_logbatch *b = store_logbatch_new();
		struct store_log l;
		struct np_event lev;
		struct logs lg;
		struct store_log_filter lf = {0, 0, NULL, NULL, -1, 0, 0};
		static const char *const raws[] = {
		    "<13>Mar  1 10:00:00 h app: plain text",
		    "<187>1: sw: %LINK-3-UPDOWN: Interface Gi1, changed "
		    "state to down",
		    "<13>Mar  1 10:00:00 h app: tab\there"};
		static const char *const texts[] = {"plain text",
		    "%LINK-3-UPDOWN: Interface Gi1, changed state to down",
		    "tab#011here"};

		TAP_OK(b != NULL, "a log batch");
		for (int i = 0; b && i < 3; i++) {
			memset(&l, 0, sizeof(l));
			l.time = 1700000100 + i;
			l.device = i == 1 ? "core1" : "192.0.2.9";
			l.known = i == 1;
			l.sender = i == 1 ? "192.0.2.1" : "192.0.2.9";
			l.transport = "udp";
			l.facility = i == 1 ? 23 : 1;
			l.severity = i == 1 ? 3 : 5;
			l.host = "h";
			l.app = i == 1 ? "" : "app";
			l.mnemonic = i == 1 ? "LINK-3-UPDOWN" : "";
			l.text = texts[i];
			l.raw = raws[i];
			l.raw_len = l.len = strlen(raws[i]);
			if (i == 1) {
				event_init(&lev, "core1", "syslog", "port.down",
				    "port:Gi1", SEV_MAJOR, "port Gi1 is down");
				lev.id = 1000;
				l.event = &lev;
			}
			TAP_OK(store_logbatch_add(b, &l) == 0, "add message %d",
			    i);
		}
		TAP_OK(b && store_logbatch_count(b) == 3, "three in the batch");
		TAP_OK(store_put_logs(s, b) == 0, "the batch is queued");
		store_flush(s);
		TAP_OK(store_log_queued(s) == 0, "and written: none queued");
		ro = store_open(path, 1, err, sizeof(err));
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 3, "three messages read (%d)", lg.n);
		TAP_STREQ(
		    lg.text[0], "plain text", "a text kept in the raw bytes");
		TAP_STREQ(lg.text[1], texts[1], "a mnemonic's text");
		TAP_STREQ(
		    lg.text[2], "tab#011here", "an escaped text kept apart");
		TAP_OK(lg.event_id[1] == 1000 && lg.event_id[0] == 0,
		    "the message links to its event");
		{
			struct count c1 = {0, "", 0};
			char lp[300];

			store_get_events(ro,
			    &(struct store_event_filter){0, 0, "core1", NULL,
			        -1, 0},
			    find_ev1000, &c1);
			TAP_OK(c1.n == 1, "its event is in the store (%d)", c1.n);
			TAP_STREQ(c1.last, "core1|port.down|port:Gi1",
			    "as the message had it");
			snprintf(lp, sizeof(lp), "%s/syslog.db", dir);
			TAP_STREQ(store_log_path(s), lp,
			    "the messages are in syslog.db beside the store");
			TAP_OK(sql_int(lp, "SELECT count(*) FROM logs") == 3,
			    "three rows there");
			TAP_OK(sql_int(path, "SELECT count(*) FROM "
			                     "sqlite_schema WHERE name = "
			                     "'logs'") == 0,
			    "none in the store, which has no logs table");
		}
		lf.device = "core1";
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 1, "by device (%d)", lg.n);
		lf.device = NULL;
		lf.match = "TEXT";
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 1,
		    "--match in any case, in a text kept in raw "
		    "(%d)",
		    lg.n);
		lf.match = "b#0";
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 1, "--match in an escaped text (%d)", lg.n);
		lf.match = "_";
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 0, "--match: '_' is no wildcard (%d)", lg.n);
		lf.match = NULL;
		lf.max_severity = 3;
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 1, "by severity (%d)", lg.n);
		lf.max_severity = -1;
		store_prune_logs(s, 1700000101.5, 0, 0);
		store_flush(s);
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 1, "retention by age (%d left)", lg.n);
		b = store_logbatch_new();
		for (int i = 0; b && i < 10; i++) {
			memset(&l, 0, sizeof(l));
			l.time = 1700000200 + i;
			l.device = l.sender = l.transport = "x";
			l.text = "t";
			store_logbatch_add(b, &l);
		}
		store_put_logs(s, b);
		store_prune_logs(s, 0, 4, 0);
		store_flush(s);
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 4, "retention by rows (%d left)", lg.n);
		store_close(ro);
		b = store_logbatch_new();
		memset(&l, 0, sizeof(l));
		l.device = l.sender = l.transport = "x";
		l.text = "t";
		store_logbatch_add(b, &l);
		store_set_log_budget(s, 1);
		TAP_OK(store_put_logs(s, b) == -1, "over the budget: refused");
		store_set_log_budget(s, 0);
	}

	/* structured data kept once when it is a part of the raw bytes */
	{
		struct store_logbatch *b = store_logbatch_new();
		struct store_log l;
		struct logs lg;
		struct store_log_filter lf = {0, 0, "sdtest", NULL, -1, 0, 0};
		static const char *const raws[] = {
		    "<14>1 2024-03-01T10:00:00Z h app - - [a@1 b=\"1\"] hello",
		    "<14>1 2024-03-01T10:00:00Z h app - - [a@1 b=\"\\]\"] x"};
		static const char *const sds[] = {
		    "[a@1 b=\"1\"]", "[a@1 b=\"]\"]"};

		for (int i = 0; b && i < 2; i++) {
			memset(&l, 0, sizeof(l));
			l.time = 1750000000;
			l.device = "sdtest";
			l.sender = l.transport = "udp";
			l.sd = sds[i];
			l.text = i ? "x" : "hello";
			l.raw = raws[i];
			l.raw_len = l.len = strlen(raws[i]);
			store_logbatch_add(b, &l);
		}
		store_put_logs(s, b);
		store_flush(s);
		ro = store_open(path, 1, err, sizeof(err));
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 2, "two messages with structured data");
		TAP_STREQ(
		    lg.sd[0], sds[0], "structured data from the raw bytes");
		TAP_STREQ(lg.sd[1], sds[1], "structured data kept apart");
		TAP_STREQ(lg.text[0], "hello", "and the text");
		store_close(ro);
	}

	/* retention by size: over the bound, the oldest go down to 90% */
	{
		static char raw[1000];
		struct store_logbatch *b = NULL;
		struct store_log l;
		struct store_log_pruned pr, pr0;
		struct logs lg;
		struct store_log_filter lf = {0, 0, NULL, NULL, -1, 1, 0};
		int64_t bound = 2 * 1024 * 1024, n = 6000;

		memset(raw, 'r', sizeof(raw));
		for (int64_t i = 0; i < n; i++) {
			memset(&l, 0, sizeof(l));
			l.time = 1700000300 + (double)i;
			l.device = l.sender = l.transport = "x";
			l.text = i == n - 1 ? "the newest" : "t";
			l.raw = raw;
			l.raw_len = l.len = sizeof(raw);
			if (b != NULL && store_logbatch_add(b, &l) == 0)
				continue;
			store_put_logs(s, b);
			b = store_logbatch_new();
			store_logbatch_add(b, &l);
		}
		store_put_logs(s, b);
		prune_wait(s, 0, 0, bound, &pr0, &pr);
		TAP_OK(pr.passes == pr0.passes + 1, "one pass that deleted");
		TAP_OK(pr.by_size > 0 && pr.by_size < (uint64_t)n,
		    "max-size 2M: %llu of %lld messages of 1 KB deleted",
		    (unsigned long long)pr.by_size, (long long)n);
		TAP_OK(pr.by_age == pr0.by_age && pr.by_rows == pr0.by_rows,
		    "counted as by size only");
		TAP_OK(pr.logs_bytes > bound / 2 &&
		        pr.logs_bytes <= (int64_t)(bound * STORE_PRUNE_LOW),
		    "the messages take %lld bytes: under 90%% of the bound",
		    (long long)pr.logs_bytes);
		TAP_OK(pr.used_bytes >= pr.logs_bytes,
		    "the store uses %lld bytes", (long long)pr.used_bytes);
		ro = store_open(path, 1, err, sizeof(err));
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_STREQ(lg.text[0], "the newest", "the newest is kept");
		store_close(ro);
		store_prune_logs(s, 0, 0, bound);
		store_flush(s);
		store_log_pruned(s, &pr0);
		TAP_OK(pr0.passes == pr.passes && pr0.by_size == pr.by_size,
		    "under the bound: nothing more goes");
	}

	/*
	 * A device's messages through its spans: "quiet" says something
	 * every 40,000 messages of "busy", so its messages lie in several
	 * spans (of at most 65,536 ids), with busy's in between.
	 */
	{
		struct store_logbatch *b = NULL;
		struct store_log l;
		struct logs lg;
		struct store_log_filter lf = {0, 0, "quiet", NULL, -1, 0, 0};
		struct store_log_pruned pr, pr0;
		char text[32];
		int q = 0, ok = 1;

		for (int i = 0; i < 160001; i++) {
			memset(&l, 0, sizeof(l));
			l.time = 1800000000 + i / 1000;
			l.device = i % 40000 ? "busy" : "quiet";
			l.sender = l.transport = "udp";
			snprintf(text, sizeof(text), "%s %d",
			    i % 40000 ? "b" : "q", i % 40000 ? i : ++q);
			l.text = text;
			if (b == NULL)
				b = store_logbatch_new();
			if (b == NULL || store_logbatch_add(b, &l) == -1) {
				ok &= store_put_logs(s, b) == 0;
				b = store_logbatch_new();
				ok &= b && store_logbatch_add(b, &l) == 0;
			}
		}
		ok &= store_put_logs(s, b) == 0;
		store_flush(s);
		TAP_OK(ok, "160,001 messages written");
		ro = store_open(path, 1, err, sizeof(err));
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 5 && strcmp(lg.text[0], "q 1") == 0 &&
		        strcmp(lg.text[3], "q 4") == 0,
		    "a quiet device's messages across spans, oldest first "
		    "(%d: %s .. %s)",
		    lg.n, lg.text[0], lg.text[3]);
		lf.limit = 2;
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 2 && strcmp(lg.text[0], "q 4") == 0 &&
		        strcmp(lg.text[1], "q 5") == 0,
		    "its newest 2, oldest first (%s, %s)", lg.text[0],
		    lg.text[1]);
		lf.limit = 0;
		lf.since = 1800000040.0;
		lf.until = 1800000120.0;
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 2 && strcmp(lg.text[0], "q 2") == 0 &&
		        strcmp(lg.text[1], "q 3") == 0,
		    "within --since and --until (%d: %s, %s)", lg.n, lg.text[0],
		    lg.text[1]);
		lf.since = lf.until = 0;
		lf.device = "busy";
		lf.limit = 3;
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 3 && strcmp(lg.text[2], "b 159999") == 0,
		    "a busy device's newest (%s)", lg.text[2]);
		lf.device = "nobody";
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 0, "a device without messages: none");
		/* the oldest go: spans that held only them too */
		prune_wait(s, 0, 100000, 0, &pr0, &pr);
		lf.device = "quiet";
		lf.limit = 0;
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 3 && strcmp(lg.text[0], "q 3") == 0,
		    "after retention, what is left (%d: %s)", lg.n, lg.text[0]);
		/* all gone: sqlite's ids start again at 1, and so do spans */
		prune_wait(s, 4e9, 0, 0, &pr0, &pr);
		b = store_logbatch_new();
		for (int i = 0; b && i < 3; i++) {
			memset(&l, 0, sizeof(l));
			l.time = 1800000500;
			l.device = "quiet";
			l.sender = l.transport = "udp";
			l.text = i == 2 ? "again" : "x";
			store_logbatch_add(b, &l);
		}
		store_put_logs(s, b);
		store_flush(s);
		lf.limit = 1;
		memset(&lg, 0, sizeof(lg));
		store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 1 && strcmp(lg.text[0], "again") == 0,
		    "a store emptied and written again: found (%d: %s)", lg.n,
		    lg.text[0]);
		store_close(ro);
	}

	/* retirement: a device dropped from the configuration stays, marked */
	{
		const char *keep[] = {"edge9"};

		store_retire_devices(s, keep, 1);
		store_flush(s);
		ro = store_open(path, 1, err, sizeof(err));
		memset(&c, 0, sizeof(c));
		store_get_devices(ro, count_dev, &c);
		TAP_OK(c.n == 1, "retired device is kept");
		store_close(ro);
	}

	/* full queue: dropped and counted, never blocking */
	{
		struct wq_stats st;
		uint64_t sqlerr;

		int refused = 0;

		/* the writer may take an item as soon as it comes: of many
		 * pushed at once (an insert each to write), some find it full */
		store_writer_stop(s);
		store_writer_start(s, 60000, 2);
		for (int i = 0; i < 1000; i++)
			refused += store_put_event(s, &ev) == -1;
		TAP_OK(
		    refused > 0, "a full queue refuses (%d of 1000)", refused);
		store_writer_stats(s, &st, &sqlerr);
		TAP_OK(st.dropped >= 1, "and counts the drop (%llu)",
		    (unsigned long long)st.dropped);
		TAP_OK(sqlerr == 0, "no SQL errors");
	}
	store_close(s); /* writes what is queued */

	s = store_open(path, 0, err, sizeof(err));
	TAP_OK(s != NULL, "reopen: migrations are idempotent");
	if (s) {
		memset(&c, 0, sizeof(c));
		store_get_events(s,
		    &(struct store_event_filter){0, 0, NULL, NULL, -1, 0},
		    count_ev, &c);
		TAP_OK(
		    c.n >= 6, "what was queued at close was written (%d)", c.n);
		store_close(s);
	}

	/* a store of schema 16 moves its messages to syslog.db, once */
	for (int round = 0; round < 2; round++) {
		char lp[300], cmd[700];
		struct logs lg;
		struct store_log_filter lf = {0, 0, "old1", NULL, -1, 0, 0};

		snprintf(lp, sizeof(lp), "%s/syslog.db", dir);
		/* round 0: syslog.db gone; round 1: it has the rows already
		 * (a move that crashed after its copy) */
		if (round == 0) {
			snprintf(cmd, sizeof(cmd), "rm -f %s %s-wal %s-shm",
			    lp, lp, lp);
			if (system(cmd) != 0)
				return 99;
		}
		TAP_OK(sql_exec(path, old_logs_sql) == 0,
		    "round %d: a store of schema 16 with messages", round);
		s = store_open(path, 0, err, sizeof(err));
		TAP_OK(s != NULL, "round %d: opened (%s)", round,
		    s ? "" : err);
		store_close(s);
		TAP_OK(sql_int(path, "PRAGMA user_version") == 17 &&
		        sql_int(path, "SELECT count(*) FROM sqlite_schema "
		                      "WHERE name LIKE 'log%'") == 0,
		    "round %d: schema 17, the messages' tables gone", round);
		TAP_OK(sql_int(lp, "SELECT count(*) FROM logs WHERE device = "
		                   "'old1'") == 2 &&
		        sql_int(lp, "SELECT n FROM log_spans WHERE device = "
		                    "'old1'") == 2,
		    "round %d: the two messages and their span moved", round);
		ro = store_open(path, 1, err, sizeof(err));
		memset(&lg, 0, sizeof(lg));
		if (ro)
			store_get_logs(ro, &lf, get_log, &lg);
		TAP_OK(lg.n == 2, "round %d: read through the store (%d)",
		    round, lg.n);
		TAP_STREQ(lg.text[0], "before the move", "the first");
		store_close(ro);
	}
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 99;
	}
	return tap_done();
}
