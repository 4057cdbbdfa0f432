/*
 * notify_snmp.c - findings as SNMP notifications of NETPATROL-MIB
 * (mibs/NETPATROL-MIB.txt): v2c or v3 traps, sent and done, or informs,
 * done when the manager acknowledges them. One net-snmp session per
 * target on the loop (session.h); informs to a v3 manager discover its
 * engine first, asynchronously. For v3 traps netpatrold is the
 * authoritative engine: the target's engine-id, or one made from the
 * host name, which the manager must know its users under.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/lcd_time.h>

#include "notify_int.h"
#include "session.h"

/* enterprises.32473 (RFC 5612: documentation) is NETPATROL-MIB's root */
#define NP_MIB 1, 3, 6, 1, 4, 1, 32473
static const oid oid_uptime[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
static const oid oid_trapoid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
static const oid oid_notification[] = {NP_MIB, 0, 1};
static const oid oid_resolved[] = {NP_MIB, 0, 2};
static const oid oid_finding[] = {NP_MIB, 1, 1, 0, 0}; /* .N.0 */
#define OID_FINDING_COL 9 /* where N goes */

enum {
	NF_ID = 1,
	NF_DEVICE,
	NF_KEY,
	NF_OBJECT,
	NF_KIND,
	NF_SEVERITY,
	NF_STATE,
	NF_PRIORITY,
	NF_ROLE,
	NF_TEXT,
	NF_CHANGE,
	NF_OWNER,
	NF_LOCATION,
	NF_OPENED,
	NF_EVENTS
};

struct nsnmp {
	struct ntarget *t;
	struct snmpsess ss;
	struct snmp_engine engine; /* v3: ours (traps) or the manager's */
	struct snmpsess_counters ctr;
	struct event *ev_done; /* an inform's answer, off net-snmp's stack */
	int done_ok;
	char done_err[256];
	char engine_hex[80];
};

/*
 * The default engine ID of v3 traps: RFC 3411's text format under
 * enterprise 32473, "notify@HOST". Stable across restarts.
 */
static size_t
nsnmp_default_engine(u_char *id, size_t size)
{
	char host[64];
	size_t n;

	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	id[0] = 0x80;
	id[1] = 0x00;
	id[2] = 0x7e;
	id[3] = 0xd9;
	id[4] = 0x04;
	n = (size_t)snprintf((char *)id + 5, size - 5, "notify@%.20s", host);
	return 5 + (n < size - 5 ? n : size - 6);
}

static void
nsnmp_on_done(evutil_socket_t fd, short what, void *arg)
{
	struct nsnmp *ns = arg;

	(void)fd;
	(void)what;
	notify_done(ns->t, ns->done_ok, ns->done_err);
}

static int
nsnmp_open(struct ntarget *t, char *err, size_t errlen)
{
	struct nsnmp *ns = calloc(1, sizeof(*ns));
	struct device_conf d;
	unsigned boots;
	size_t i, off;

	if (ns == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ns->t = t;
	memset(&d, 0, sizeof(d));
	conf_device_defaults(&d);
	snprintf(d.name, sizeof(d.name), "%s", t->c.name);
	snprintf(d.address, sizeof(d.address), "%s", t->c.address);
	d.port = t->c.port;
	d.snmp = t->c.snmp;
	d.timeout = t->c.timeout;
	d.retries = 0; /* ours, with backoff */
	if (t->c.type == NOTIFY_TRAP && d.snmp.version == NP_SNMP_V3) {
		if (d.snmp.engine_id_len > 0) {
			memcpy(ns->engine.id, d.snmp.engine_id,
			    d.snmp.engine_id_len);
			ns->engine.len = d.snmp.engine_id_len;
		} else
			ns->engine.len =
			    nsnmp_default_engine(ns->engine.id, 32);
	}
	if ((ns->ev_done = event_new(
	         notify_base(t->n), -1, 0, nsnmp_on_done, ns)) == NULL ||
	    snmpsess_open(&ns->ss, notify_base(t->n), &d, &ns->engine, &ns->ctr,
	        err, errlen) == -1) {
		if (ns->ev_done)
			event_free(ns->ev_done);
		explicit_bzero(&d, sizeof(d));
		free(ns);
		return -1;
	}
	explicit_bzero(&d, sizeof(d));
	/* (snmpsess_open() keeps net-snmp from probing a v3 engine itself) */
	if (t->c.type == NOTIFY_TRAP && t->c.snmp.version == NP_SNMP_V3) {
		/*
		 * Our engine's boots and time: boots grow at every start
		 * (seconds since 2020-09-13), so that a manager that saw
		 * an earlier run takes the new one's time.
		 */
		boots = (unsigned)(notify_now() - notify_uptime(t->n) -
		    1600000000.0);
		set_enginetime(ns->engine.id, (u_int)ns->engine.len, boots,
		    (u_int)notify_uptime(t->n), TRUE);
		off = (size_t)snprintf(
		    ns->engine_hex, sizeof(ns->engine_hex), "0x");
		for (i = 0;
		     i < ns->engine.len && off + 3 <= sizeof(ns->engine_hex);
		     i++)
			off += (size_t)snprintf(ns->engine_hex + off,
			    sizeof(ns->engine_hex) - off, "%02x",
			    ns->engine.id[i]);
	}
	t->tp = ns;
	return 0;
}

static void
nsnmp_close(struct ntarget *t)
{
	struct nsnmp *ns = t->tp;

	if (ns == NULL)
		return;
	snmpsess_close(&ns->ss);
	event_free(ns->ev_done);
	free(ns);
	t->tp = NULL;
}

/* An inform's answer, or its absence: reported from the loop. */
static void
nsnmp_on_answer(void *arg, enum snmpsess_status st, netsnmp_pdu *resp)
{
	struct nsnmp *ns = arg;

	ns->done_ok = 0;
	ns->done_err[0] = '\0';
	switch (st) {
	case SNMPS_OK:
		if (resp != NULL && resp->command == SNMP_MSG_RESPONSE &&
		    resp->errstat == SNMP_ERR_NOERROR)
			ns->done_ok = 1;
		else if (resp != NULL && resp->command == SNMP_MSG_RESPONSE)
			snprintf(ns->done_err, sizeof(ns->done_err),
			    "inform refused: %s",
			    snmp_errstring(resp->errstat));
		else
			snprintf(ns->done_err, sizeof(ns->done_err), "%s",
			    ns->ss.errbuf[0] ? ns->ss.errbuf
			                     : "inform: unexpected answer");
		break;
	case SNMPS_TIMEOUT:
		snprintf(ns->done_err, sizeof(ns->done_err),
		    "inform not acknowledged in %d s", ns->t->c.timeout);
		break;
	case SNMPS_ERROR:
		snprintf(ns->done_err, sizeof(ns->done_err), "%s",
		    ns->ss.errbuf[0] ? ns->ss.errbuf : "inform failed");
		break;
	}
	/* net-snmp is still using the session: answer from the loop */
	event_active(ns->ev_done, 0, 0);
}

static void
nsnmp_add_str(netsnmp_pdu *pdu, int col, const char *s, size_t max)
{
	oid o[sizeof(oid_finding) / sizeof(oid)];

	memcpy(o, oid_finding, sizeof(o));
	o[OID_FINDING_COL] = (oid)col;
	snmp_pdu_add_variable(pdu, o, sizeof(o) / sizeof(oid), ASN_OCTET_STR, s,
	    notify_utf8_cut(s, max));
}

static void
nsnmp_add_int(netsnmp_pdu *pdu, int col, u_char type, long v)
{
	oid o[sizeof(oid_finding) / sizeof(oid)];

	memcpy(o, oid_finding, sizeof(o));
	o[OID_FINDING_COL] = (oid)col;
	snmp_pdu_add_variable(
	    pdu, o, sizeof(o) / sizeof(oid), type, &v, sizeof(v));
}

/* DateAndTime (SNMPv2-TC), UTC, 11 octets. */
static void
nsnmp_add_time(netsnmp_pdu *pdu, int col, double t)
{
	oid o[sizeof(oid_finding) / sizeof(oid)];
	u_char b[11];
	time_t sec = (time_t)t;
	struct tm tm;

	gmtime_r(&sec, &tm);
	b[0] = (u_char)((tm.tm_year + 1900) >> 8);
	b[1] = (u_char)((tm.tm_year + 1900) & 0xff);
	b[2] = (u_char)(tm.tm_mon + 1);
	b[3] = (u_char)tm.tm_mday;
	b[4] = (u_char)tm.tm_hour;
	b[5] = (u_char)tm.tm_min;
	b[6] = (u_char)(tm.tm_sec > 59 ? 59 : tm.tm_sec);
	b[7] = (u_char)((int)((t - (double)sec) * 10.0) % 10);
	b[8] = '+';
	b[9] = 0;
	b[10] = 0;
	memcpy(o, oid_finding, sizeof(o));
	o[OID_FINDING_COL] = (oid)col;
	snmp_pdu_add_variable(
	    pdu, o, sizeof(o) / sizeof(oid), ASN_OCTET_STR, b, sizeof(b));
}

static netsnmp_pdu *
nsnmp_pdu(struct ntarget *t, const struct finding *f, enum finding_change c)
{
	netsnmp_pdu *pdu;
	const oid *trap;
	u_long ticks = (u_long)(notify_uptime(t->n) * 100.0);
	char text[1024];
	double opened;
	uint64_t id = f->id < 0 ? 0 : (uint64_t)f->id;

	pdu = snmp_pdu_create(
	    t->c.type == NOTIFY_INFORM ? SNMP_MSG_INFORM : SNMP_MSG_TRAP2);
	if (pdu == NULL)
		return NULL;
	trap = c == FC_RESOLVE ? oid_resolved : oid_notification;
	snmp_pdu_add_variable(pdu, oid_uptime, sizeof(oid_uptime) / sizeof(oid),
	    ASN_TIMETICKS, &ticks, sizeof(ticks));
	snmp_pdu_add_variable(pdu, oid_trapoid,
	    sizeof(oid_trapoid) / sizeof(oid), ASN_OBJECT_ID, trap,
	    sizeof(oid_notification));
	nsnmp_add_int(pdu, NF_ID, ASN_UNSIGNED, (long)(id & 0xffffffffu));
	nsnmp_add_str(pdu, NF_DEVICE, f->device, 64);
	nsnmp_add_str(pdu, NF_KEY, f->key, 1024);
	nsnmp_add_str(pdu, NF_OBJECT, f->object, 1024);
	nsnmp_add_str(pdu, NF_KIND, f->kind, 40);
	nsnmp_add_int(pdu, NF_SEVERITY, ASN_INTEGER, (long)f->severity + 1);
	nsnmp_add_int(pdu, NF_STATE, ASN_INTEGER, (long)f->state + 1);
	nsnmp_add_int(pdu, NF_PRIORITY, ASN_UNSIGNED,
	    f->priority < 1       ? 1
	        : f->priority > 4 ? 4
	                          : f->priority);
	nsnmp_add_int(pdu, NF_ROLE, ASN_INTEGER, (long)f->role + 1);
	notify_text(f, text, sizeof(text));
	nsnmp_add_str(pdu, NF_TEXT, text, 1024);
	nsnmp_add_int(pdu, NF_CHANGE, ASN_INTEGER, (long)c + 1);
	nsnmp_add_str(pdu, NF_OWNER, f->owner, 64);
	nsnmp_add_str(pdu, NF_LOCATION, f->location, 255);
	opened = f->opened > 0  ? f->opened
	    : f->first_seen > 0 ? f->first_seen
	                        : notify_now();
	nsnmp_add_time(pdu, NF_OPENED, opened);
	nsnmp_add_int(pdu, NF_EVENTS, ASN_UNSIGNED,
	    (long)(f->count > 0xffffffffu ? 0xffffffffu : f->count));
	return pdu;
}

static int
nsnmp_send(struct ntarget *t, struct nmsg *m, char *err, size_t errlen)
{
	struct nsnmp *ns = t->tp;
	netsnmp_pdu *pdu;
	netsnmp_session *s;

	if (snmpsess_is_stale(&ns->ss)) {
		snprintf(err, errlen, "the manager's SNMPv3 engine changed");
		return -1;
	}
	if ((pdu = nsnmp_pdu(t, &m->nf->f, m->change)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (t->c.type == NOTIFY_INFORM) {
		if (snmpsess_send(&ns->ss, pdu, nsnmp_on_answer, ns) == -1) {
			snprintf(err, errlen, "%s",
			    ns->ss.errbuf[0] ? ns->ss.errbuf : "cannot send");
			return -1;
		}
		return 1;
	}
	/* a trap: no answer comes */
	if (snmp_sess_send(ns->ss.sessp, pdu) == 0) {
		s = snmp_sess_session(ns->ss.sessp);
		snprintf(err, errlen, "cannot send the trap: %s",
		    snmp_api_errstring(s->s_snmp_errno));
		snmp_free_pdu(pdu);
		return -1;
	}
	return 0;
}

static void
nsnmp_status(struct ntarget *t, struct jbuf *j)
{
	struct nsnmp *ns = t->tp;

	if (ns->engine_hex[0])
		json_kstr(j, "engine_id", ns->engine_hex);
}

const struct ntransport notify_snmp_transport = {
    nsnmp_open, nsnmp_send, nsnmp_close, nsnmp_status};
