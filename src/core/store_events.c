/*
 * store_events.c - the events and traps read back (netpatrol events and
 * traps, the web pages and API): the newest of them in a time range,
 * of a device, oldest first.
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "store_int.h"

/*
 * SQL's time range of F, after O bytes of SQL (of SIZE), its parameters
 * numbered on from *N: the new length. ev_bind_time binds them.
 */
static int
ev_where_time(char *sql, size_t size, int o,
    const struct store_event_filter *f, int *n)
{
	if (f->since > 0)
		o += snprintf(sql + o, size - (size_t)o, " AND time >= ?%d",
		    ++*n);
	if (f->until > 0)
		o += snprintf(sql + o, size - (size_t)o, " AND time < ?%d",
		    ++*n);
	return o;
}

static void
ev_bind_time(db_stmt *st, const struct store_event_filter *f, int *n)
{
	if (f->since > 0)
		db_bind_double(st, (*n)++, f->since);
	if (f->until > 0)
		db_bind_double(st, (*n)++, f->until);
}

int
store_get_events(struct store *s, const struct store_event_filter *f,
    store_event_cb cb, void *arg)
{
	db_stmt *st;
	struct np_event e;
	char sql[640];
	int rc, n = 1, o;

	/*
	 * The newest LIMIT events, given oldest first. Only the filters
	 * given are in the query, so that sqlite can choose its index: a
	 * device's by (device, time), else all by time. ("?N IS NULL OR"
	 * for each made it walk every event by time, newest first, for a
	 * device's: 0.71 s for a quiet device among 2,000,000 events, 0.1
	 * ms with the index.)
	 */
	o = snprintf(sql, sizeof(sql),
	    "SELECT time, device, source, kind, key, severity, object,"
	    " old_state, new_state, text, id FROM (SELECT * FROM events"
	    " WHERE severity >= ?1");
	if (f->device)
		o += snprintf(sql + o, sizeof(sql) - (size_t)o,
		    " AND device = ?%d", ++n);
	o = ev_where_time(sql, sizeof(sql), o, f, &n);
	if (f->kind_prefix) {
		n++;
		o += snprintf(sql + o, sizeof(sql) - (size_t)o,
		    " AND substr(kind, 1, length(?%d)) = ?%d", n, n);
	}
	snprintf(sql + o, sizeof(sql) - (size_t)o,
	    " ORDER BY time DESC, id DESC LIMIT ?%d) ORDER BY time, id",
	    n + 1);
	if (db_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	n = 1;
	db_bind_int(st, n++, f->min_severity);
	if (f->device)
		store_bind_text(st, n++, f->device);
	ev_bind_time(st, f, &n);
	if (f->kind_prefix)
		store_bind_text(st, n++, f->kind_prefix);
	db_bind_int64(st, n, f->limit > 0 ? f->limit : -1);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&e, 0, sizeof(e));
		e.time = db_column_double(st, 0);
		store_col_text(st, 1, e.device, sizeof(e.device));
		store_col_text(st, 2, e.source, sizeof(e.source));
		store_col_text(st, 3, e.kind, sizeof(e.kind));
		store_col_text(st, 4, e.key, sizeof(e.key));
		e.severity = (enum np_severity)db_column_int(st, 5);
		store_col_text(st, 6, e.object, sizeof(e.object));
		store_col_text(st, 7, e.old_state, sizeof(e.old_state));
		store_col_text(st, 8, e.new_state, sizeof(e.new_state));
		store_col_text(st, 9, e.text, sizeof(e.text));
		e.id = db_column_int64(st, 10);
		if (cb(arg, &e) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}

/* The highest event id stored (0 for none): the event bus goes on from it. */
int64_t
store_max_event_id(struct store *s)
{
	return store_int64(s, "SELECT max(id) FROM events");
}

int
store_get_traps(struct store *s, const struct store_event_filter *f,
    store_trap_cb cb, void *arg)
{
	db_stmt *st;
	struct store_trap t;
	unsigned char addr[sizeof(struct in6_addr)];
	char sql[640];
	int rc, n = 0, o;

	/*
	 * The newest LIMIT traps, given oldest first, with their events;
	 * the filters given only, as for the events. A device is asked by
	 * name, or by the address it sent from: a sender is kept as its
	 * address, so a device that is not an address is asked of the
	 * (device, time) index alone.
	 */
	o = snprintf(sql, sizeof(sql),
	    "SELECT t.time, t.device, t.known, t.sender, t.version,"
	    " t.inform, t.security, t.trap_oid, t.trap_name, t.uptime,"
	    " t.varbinds, e.source, e.kind, e.key, e.severity, e.object,"
	    " e.text FROM (SELECT * FROM traps WHERE 1 = 1");
	if (f->device) {
		n++;
		if (inet_pton(AF_INET, f->device, addr) == 1 ||
		    inet_pton(AF_INET6, f->device, addr) == 1)
			o += snprintf(sql + o, sizeof(sql) - (size_t)o,
			    " AND (device = ?%d OR sender = ?%d)", n, n);
		else
			o += snprintf(sql + o, sizeof(sql) - (size_t)o,
			    " AND device = ?%d", n);
	}
	o = ev_where_time(sql, sizeof(sql), o, f, &n);
	snprintf(sql + o, sizeof(sql) - (size_t)o,
	    " ORDER BY time DESC, id DESC LIMIT ?%d) t"
	    " LEFT JOIN events e ON e.id = t.event_id ORDER BY t.time, t.id",
	    n + 1);
	if (db_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_query_done(s, NULL, SQLITE_ERROR);
	n = 1;
	if (f->device)
		store_bind_text(st, n++, f->device);
	ev_bind_time(st, f, &n);
	db_bind_int64(st, n, f->limit > 0 ? f->limit : -1);
	while ((rc = db_step(st)) == SQLITE_ROW) {
		memset(&t, 0, sizeof(t));
		t.event.time = db_column_double(st, 0);
		store_col_text(st, 1, t.event.device, sizeof(t.event.device));
		t.known = db_column_int(st, 2);
		store_col_text(st, 3, t.sender, sizeof(t.sender));
		store_col_text(st, 4, t.version, sizeof(t.version));
		t.inform = db_column_int(st, 5);
		store_col_text(st, 6, t.security, sizeof(t.security));
		store_col_text(st, 7, t.trap_oid, sizeof(t.trap_oid));
		store_col_text(st, 8, t.trap_name, sizeof(t.trap_name));
		t.uptime = (uint64_t)db_column_int64(st, 9);
		t.varbinds = (const char *)db_column_text(st, 10);
		store_col_text(st, 11, t.event.source, sizeof(t.event.source));
		store_col_text(st, 12, t.event.kind, sizeof(t.event.kind));
		store_col_text(st, 13, t.event.key, sizeof(t.event.key));
		t.event.severity = (enum np_severity)db_column_int(st, 14);
		store_col_text(st, 15, t.event.object, sizeof(t.event.object));
		store_col_text(st, 16, t.event.text, sizeof(t.event.text));
		if (cb(arg, &t) != 0)
			break;
	}
	return store_query_done(s, st, rc);
}
