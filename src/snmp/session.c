/*
 * session.c - net-snmp's single-session API on the libevent loop
 * (see session.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/snmpusm.h>
#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/library/lcd_time.h>

#include "log.h"
#include "session.h"

#define NP_USM_OID_LEN 10 /* usm*Protocol OIDs: 1.3.6.1.6.3.10.1.x.y */

static int snmpsess_netsnmp_cb(
    int, netsnmp_session *, int, netsnmp_pdu *, void *);
static void snmpsess_on_defer(evutil_socket_t, short, void *);

/* net-snmp's own messages (MIB parser, USM) go to our log, as debug. */
static int
snmpsess_log(int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *m = serverarg;
	size_t n;

	(void)major;
	(void)minor;
	(void)clientarg;
	if (m == NULL || m->msg == NULL)
		return 0;
	n = strlen(m->msg);
	while (n > 0 && (m->msg[n - 1] == '\n' || m->msg[n - 1] == '\r'))
		n--;
	log_debug("net-snmp: %.*s", (int)n, m->msg);
	return 0;
}

void
snmpsess_library_init(const char *appname)
{
	/* Numeric OIDs in code; no MIB loading, no persistent files. */
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_CONFIG_LOAD, 1);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_ERRORS, 0);
	setenv("MIBS", "", 0);
	snmp_disable_log();
	snmp_register_callback(
	    SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, snmpsess_log, NULL);
	snmp_enable_calllog();
	/* NP_SNMP_DEBUG=usm,lcd_time,...: net-snmp's own debug output on stderr */
	if (getenv("NP_SNMP_DEBUG") != NULL) {
		snmp_enable_stderrlog();
		debug_register_tokens(getenv("NP_SNMP_DEBUG"));
		snmp_set_do_debugging(1);
	}
	init_snmp(appname);
}

static const oid *
snmpsess_auth_oid(enum snmp_auth_proto a, size_t *len)
{
	*len = NP_USM_OID_LEN;
	switch (a) {
	case NP_AUTH_MD5: return usmHMACMD5AuthProtocol;
	case NP_AUTH_SHA: return usmHMACSHA1AuthProtocol;
	case NP_AUTH_SHA224: return usmHMAC128SHA224AuthProtocol;
	case NP_AUTH_SHA256: return usmHMAC192SHA256AuthProtocol;
	case NP_AUTH_SHA384: return usmHMAC256SHA384AuthProtocol;
	case NP_AUTH_SHA512: return usmHMAC384SHA512AuthProtocol;
	case NP_AUTH_NONE: break;
	}
	return usmNoAuthProtocol;
}

static const oid *
snmpsess_priv_oid(enum snmp_priv_proto p, size_t *len)
{
	*len = NP_USM_OID_LEN;
	switch (p) {
	case NP_PRIV_DES: return usmDESPrivProtocol;
	case NP_PRIV_AES: return usmAESPrivProtocol;
#ifdef NETSNMP_DRAFT_BLUMENTHAL_AES_04
	case NP_PRIV_AES192:
		*len = sizeof(usmAES192PrivProtocol) / sizeof(oid);
		return usmAES192PrivProtocol;
	case NP_PRIV_AES256:
		*len = sizeof(usmAES256PrivProtocol) / sizeof(oid);
		return usmAES256PrivProtocol;
#else
	case NP_PRIV_AES192:
	case NP_PRIV_AES256: return NULL;
#endif
	case NP_PRIV_NONE: break;
	}
	return usmNoPrivProtocol;
}

int
snmpsess_check_conf(const struct config *conf, char *err, size_t errlen)
{
	const struct device_conf *d;
	size_t len;

	TAILQ_FOREACH(d, &conf->devices, entry)
	{
		if (d->snmp.version == NP_SNMP_V3 &&
		    d->snmp.priv != NP_PRIV_NONE &&
		    snmpsess_priv_oid(d->snmp.priv, &len) == NULL) {
			snprintf(err, errlen,
			    "%s:%d: device \"%s\": privacy %s is "
			    "not supported by this net-snmp library",
			    d->file, d->line, d->name,
			    conf_priv_name(d->snmp.priv));
			return -1;
		}
	}
	return 0;
}

static int
snmpsess_v3_setup(
    netsnmp_session *s, const struct snmp_cred *c, char *err, size_t errlen)
{
	size_t alen, plen;
	const oid *a, *p;

	s->securityModel = SNMP_SEC_MODEL_USM;
	s->securityName = (char *)c->user;
	s->securityNameLen = strlen(c->user);
	s->flags |= SNMP_FLAGS_DONT_PROBE;
	if (c->context[0]) {
		s->contextName = (char *)c->context;
		s->contextNameLen = strlen(c->context);
	}
	if (c->auth == NP_AUTH_NONE) {
		s->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
		return 0;
	}
	a = snmpsess_auth_oid(c->auth, &alen);
	s->securityAuthProto = (oid *)a;
	s->securityAuthProtoLen = alen;
	s->securityAuthKeyLen = USM_AUTH_KU_LEN;
	if (generate_Ku(a, (u_int)alen, (const u_char *)c->authpass,
	        strlen(c->authpass), s->securityAuthKey,
	        &s->securityAuthKeyLen) != SNMPERR_SUCCESS) {
		snprintf(err, errlen,
		    "cannot make the %s key from the auth passphrase",
		    conf_auth_name(c->auth));
		return -1;
	}
	if (c->priv == NP_PRIV_NONE) {
		s->securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
		return 0;
	}
	if ((p = snmpsess_priv_oid(c->priv, &plen)) == NULL) {
		snprintf(err, errlen,
		    "privacy %s is not supported by this net-snmp "
		    "library",
		    conf_priv_name(c->priv));
		return -1;
	}
	s->securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
	s->securityPrivProto = (oid *)p;
	s->securityPrivProtoLen = plen;
	s->securityPrivKeyLen = USM_PRIV_KU_LEN;
	if (generate_Ku(a, (u_int)alen, (const u_char *)c->privpass,
	        strlen(c->privpass), s->securityPrivKey,
	        &s->securityPrivKeyLen) != SNMPERR_SUCCESS) {
		snprintf(err, errlen, "cannot make the privacy key");
		return -1;
	}
	return 0;
}

/* Every reply after parsing: RC is not 0 when it could not be decoded. */
static int
snmpsess_post_parse(netsnmp_session *s, netsnmp_pdu *pdu, int rc)
{
	struct snmpsess *ss = s->callback_magic;

	(void)pdu;
	if (rc != SNMP_ERR_NOERROR && ss != NULL)
		ss->ctr->malformed++;
	return 1;
}

static void
snmpsess_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct snmpsess *ss = arg;

	(void)what;
	netsnmp_large_fd_setfd(fd, &ss->fds);
	snmp_sess_read2(ss->sessp, &ss->fds);
}

static void
snmpsess_arm(struct snmpsess *ss, int ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	evtimer_add(ss->ev_timer, &tv);
}

static void
snmpsess_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct snmpsess *ss = arg;
	int tries = ss->tries, inflight = ss->inflight;

	(void)fd;
	(void)what;
	if (!ss->inflight)
		return;
	snmp_sess_timeout(ss->sessp);
	/* net-snmp did not see it expire yet (clock granularity): look again. */
	if (ss->inflight && inflight && tries == ss->tries &&
	    !evtimer_pending(ss->ev_timer, NULL))
		snmpsess_arm(ss, 5);
}

int
snmpsess_open(struct snmpsess *ss, struct event_base *base,
    const struct device_conf *d, struct snmp_engine *engine,
    struct snmpsess_counters *ctr, char *err, size_t errlen)
{
	return snmpsess_open_at(
	    ss, base, d, d->address, engine, ctr, err, errlen);
}

int
snmpsess_open_at(struct snmpsess *ss, struct event_base *base,
    const struct device_conf *d, const char *addr, struct snmp_engine *engine,
    struct snmpsess_counters *ctr, char *err, size_t errlen)
{
	netsnmp_session s;
	netsnmp_transport *t;
	char peer[NP_STR_MAX + 32];

	memset(ss, 0, sizeof(*ss));
	ss->fd = -1;
	ss->engine = engine;
	ss->ctr = ctr;
	ss->version = d->snmp.version;
	ss->timeout_ms = d->timeout * 1000;
	ss->retries = d->retries;

	snmp_sess_init(&s);
	if (strchr(addr, ':'))
		snprintf(peer, sizeof(peer), "udp6:[%s]:%u", addr, d->port);
	else
		snprintf(peer, sizeof(peer), "udp:%s:%u", addr, d->port);
	s.peername = peer;
	s.retries = 0;
	s.timeout = (long)ss->timeout_ms * 1000L;
	s.callback = snmpsess_netsnmp_cb;
	s.callback_magic = ss;
	switch (d->snmp.version) {
	case NP_SNMP_V1:
	case NP_SNMP_V2C:
		s.version = d->snmp.version == NP_SNMP_V1 ? SNMP_VERSION_1
		                                          : SNMP_VERSION_2c;
		s.community = (u_char *)d->snmp.community;
		s.community_len = strlen(d->snmp.community);
		break;
	case NP_SNMP_V3:
		s.version = SNMP_VERSION_3;
		if (snmpsess_v3_setup(&s, &d->snmp, err, errlen) == -1)
			return -1;
		if (engine->len) {
			s.securityEngineID = engine->id;
			s.securityEngineIDLen = engine->len;
			s.contextEngineID = engine->id;
			s.contextEngineIDLen = engine->len;
		}
		break;
	}
	/*
	 * snmp_sess_open(), but with a post-parse hook: it sees every reply
	 * net-snmp could not decode (dropped, then counted here).
	 */
	t = netsnmp_tdomain_transport_full("snmp", peer, 0, "udp,udp6", NULL);
	if (t == NULL ||
	    netsnmp_sess_config_and_open_transport(&s, t) != SNMPERR_SUCCESS ||
	    (ss->sessp = snmp_sess_add_ex(&s, t, NULL, NULL,
	         snmpsess_post_parse, NULL, NULL, NULL, NULL)) == NULL) {
		int liberr, syserr;
		char *msg = NULL;

		snmp_error(&s, &liberr, &syserr, &msg);
		snprintf(err, errlen, "cannot open an SNMP session to %s: %s",
		    peer, msg ? msg : "unknown error");
		free(msg);
		return -1;
	}
	/*
	 * net-snmp clears SNMP_FLAGS_DONT_PROBE once the session is open,
	 * then would probe a v3 agent's engine synchronously at the first
	 * request, blocking the loop for timeout x retries when the agent is
	 * dead: discovery is ours, on the loop (snmpsess_discover()).
	 */
	snmp_sess_session(ss->sessp)->flags |= SNMP_FLAGS_DONT_PROBE;
	if ((t = snmp_sess_transport(ss->sessp)) == NULL || t->sock < 0) {
		snprintf(err, errlen, "SNMP session to %s has no socket", peer);
		snmp_sess_close(ss->sessp);
		ss->sessp = NULL;
		return -1;
	}
	ss->fd = t->sock;
	netsnmp_large_fd_set_init(&ss->fds, ss->fd + 1);
	netsnmp_large_fd_setfd(ss->fd, &ss->fds);
	ss->ev_read =
	    event_new(base, ss->fd, EV_READ | EV_PERSIST, snmpsess_on_read, ss);
	ss->ev_timer = evtimer_new(base, snmpsess_on_timer, ss);
	ss->ev_defer = event_new(base, -1, 0, snmpsess_on_defer, ss);
	if (ss->ev_read == NULL || ss->ev_timer == NULL ||
	    ss->ev_defer == NULL || event_add(ss->ev_read, NULL) == -1) {
		snprintf(err, errlen,
		    "cannot add the SNMP socket to the event loop");
		snmpsess_close(ss);
		return -1;
	}
	return 0;
}

int
snmpsess_is_open(const struct snmpsess *ss)
{
	return ss->sessp != NULL;
}

void
snmpsess_close(struct snmpsess *ss)
{
	if (ss->ev_read)
		event_free(ss->ev_read);
	if (ss->ev_timer)
		event_free(ss->ev_timer);
	if (ss->ev_defer)
		event_free(ss->ev_defer);
	ss->ev_read = ss->ev_timer = ss->ev_defer = NULL;
	if (ss->sessp) {
		snmp_sess_close(ss->sessp);
		netsnmp_large_fd_set_cleanup(&ss->fds);
	}
	ss->sessp = NULL;
	if (ss->pending)
		snmp_free_pdu(ss->pending);
	if (ss->after_discovery)
		snmp_free_pdu(ss->after_discovery);
	ss->pending = ss->after_discovery = NULL;
	ss->inflight = 0;
	ss->fd = -1;
}

static int
snmpsess_transmit(struct snmpsess *ss)
{
	netsnmp_pdu *copy;

	if ((copy = snmp_clone_pdu(ss->pending)) == NULL)
		return -1;
	/*
	 * net-snmp may call back from inside the send when it fails; that
	 * callback is ignored (in_transmit) and the failure handled here.
	 */
	ss->in_transmit = 1;
	if (snmp_sess_async_send(ss->sessp, copy, snmpsess_netsnmp_cb, ss) ==
	    0) {
		netsnmp_session *s = snmp_sess_session(ss->sessp);

		ss->in_transmit = 0;
		snprintf(ss->errbuf, sizeof(ss->errbuf), "cannot send: %s%s%s",
		    snmp_api_errstring(s->s_snmp_errno), s->s_errno ? ": " : "",
		    s->s_errno ? strerror(s->s_errno) : "");
		snmp_free_pdu(copy);
		ss->ctr->send_errors++;
		return -1;
	}
	ss->in_transmit = 0;
	ss->ctr->requests++;
	snmpsess_arm(ss, ss->timeout_ms + 2);
	return 0;
}

/* Ask an SNMPv3 agent for its engine ID: an empty, unauthenticated GET. */
static int
snmpsess_discover(struct snmpsess *ss)
{
	netsnmp_pdu *pdu;

	if (usm_get_user(NULL, 0, "") == NULL) {
		struct usmUser *u = usm_create_user();

		if (u == NULL)
			return -1;
		u->name = strdup("");
		u->secName = strdup("");
		usm_add_user(u);
	}
	if ((pdu = snmp_pdu_create(SNMP_MSG_GET)) == NULL)
		return -1;
	pdu->version = SNMP_VERSION_3;
	pdu->securityName = strdup("");
	pdu->securityNameLen = 0;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	ss->discovering = 1;
	ss->pending = pdu;
	ss->tries = 0;
	ss->inflight = 1;
	if (snmpsess_transmit(ss) == -1) {
		ss->discovering = 0;
		ss->inflight = 0;
		snmp_free_pdu(ss->pending);
		ss->pending = NULL;
		return -1;
	}
	return 0;
}

int
snmpsess_send(struct snmpsess *ss, netsnmp_pdu *pdu, snmpsess_cb cb, void *arg)
{
	if (ss->send_fn)
		return ss->send_fn(ss, pdu, cb, arg);
	if (ss->sessp == NULL || ss->inflight) {
		snmp_free_pdu(pdu);
		return -1;
	}
	ss->cb = cb;
	ss->arg = arg;
	if (ss->stale) {
		snprintf(
		    ss->errbuf, sizeof(ss->errbuf), "session must be reopened");
		snmp_free_pdu(pdu);
		return -1;
	}
	if (ss->version == NP_SNMP_V3 && ss->engine->len == 0) {
		ss->after_discovery = pdu;
		if (snmpsess_discover(ss) == -1) {
			ss->after_discovery = NULL;
			snmp_free_pdu(pdu);
			return -1;
		}
		return 0;
	}
	ss->pending = pdu;
	ss->tries = 0;
	ss->inflight = 1;
	if (snmpsess_transmit(ss) == -1) {
		snmp_free_pdu(ss->pending);
		ss->pending = NULL;
		ss->inflight = 0;
		return -1;
	}
	return 0;
}

/*
 * The agent answered the probe with a report: net-snmp put its engine ID,
 * boots and time in the session (and the report PDU). Localise the keys
 * for that engine, then send the request that was waiting.
 */
static void
snmpsess_discovered(struct snmpsess *ss, netsnmp_pdu *pdu)
{
	netsnmp_session *s = snmp_sess_session(ss->sessp);
	netsnmp_pdu *next = ss->after_discovery;
	const u_char *id = s->securityEngineID;
	size_t len = s->securityEngineIDLen;

	ss->discovering = 0;
	ss->after_discovery = NULL;
	if (len == 0 && pdu != NULL) {
		id = pdu->securityEngineID;
		len = pdu->securityEngineIDLen;
	}
	if (len == 0 || len > sizeof(ss->engine->id)) {
		snprintf(ss->errbuf, sizeof(ss->errbuf),
		    "SNMPv3 engine discovery: the agent sent no usable engine "
		    "ID");
		snmp_free_pdu(next);
		ss->cb(ss->arg, SNMPS_ERROR, NULL);
		return;
	}
	memcpy(ss->engine->id, id, len);
	ss->engine->len = len;
	if (s->securityEngineID != id || s->securityEngineIDLen != len) {
		free(s->securityEngineID);
		s->securityEngineID = netsnmp_memdup(ss->engine->id, len);
		s->securityEngineIDLen = len;
	}
	if (s->contextEngineIDLen == 0) {
		free(s->contextEngineID);
		s->contextEngineID = netsnmp_memdup(ss->engine->id, len);
		s->contextEngineIDLen = len;
	}
	if (s->engineBoots || s->engineTime)
		set_enginetime(ss->engine->id, (u_int)len, s->engineBoots,
		    s->engineTime, TRUE);
	if (usm_create_user_from_session(s) != SNMPERR_SUCCESS) {
		snprintf(ss->errbuf, sizeof(ss->errbuf),
		    "SNMPv3: cannot set up the user for the discovered engine");
		snmp_free_pdu(next);
		ss->cb(ss->arg, SNMPS_ERROR, NULL);
		return;
	}
	/* Send it from the loop, once net-snmp is done with the report. */
	ss->after_discovery = next;
	event_active(ss->ev_defer, 0, 0);
}

static void
snmpsess_on_defer(evutil_socket_t fd, short what, void *arg)
{
	struct snmpsess *ss = arg;
	netsnmp_pdu *next = ss->after_discovery;

	(void)fd;
	(void)what;
	ss->after_discovery = NULL;
	if (next && snmpsess_send(ss, next, ss->cb, ss->arg) == -1)
		ss->cb(ss->arg, SNMPS_ERROR, NULL);
}

/*
 * What we knew of the agent's engine no longer holds: the session must be
 * reopened (net-snmp keeps the old engine in it) and the engine discovered
 * again on the next request.
 */
static void
snmpsess_forget_engine(struct snmpsess *ss)
{
	if (ss->engine->len)
		free_enginetime(ss->engine->id, ss->engine->len);
	ss->engine->len = 0;
	ss->stale = 1;
}

int
snmpsess_is_stale(const struct snmpsess *ss)
{
	return ss->stale;
}

static int
snmpsess_netsnmp_cb(
    int op, netsnmp_session *session, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct snmpsess *ss = magic;

	(void)session;
	(void)reqid;
	if (!ss->inflight || ss->in_transmit)
		return 1;
	/* The probe's report comes as a message or as a security "error". */
	if (ss->discovering &&
	    (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE ||
	        op == NETSNMP_CALLBACK_OP_SEC_ERROR)) {
		evtimer_del(ss->ev_timer);
		ss->inflight = 0;
		snmp_free_pdu(ss->pending);
		ss->pending = NULL;
		snmpsess_discovered(ss, pdu);
		return 1;
	}
	/*
	 * SNMPv3 reports to a real request: out of the time window (the agent
	 * restarted, or our first authenticated request), or an engine we
	 * do not know any more. net-snmp has learnt the new time from the
	 * report; send again once, or discover the engine again.
	 */
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu &&
	    pdu->command == SNMP_MSG_REPORT && ss->tries <= ss->retries) {
		int type = snmpv3_get_report_type(pdu);

		if (type == SNMPERR_NOT_IN_TIME_WINDOW) {
			evtimer_del(ss->ev_timer);
			ss->tries++;
			ss->ctr->retries++;
			if (snmpsess_transmit(ss) == 0)
				return 1;
		} else if (type == SNMPERR_UNKNOWN_ENG_ID)
			snmpsess_forget_engine(ss);
	}
	switch (op) {
	case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
		evtimer_del(ss->ev_timer);
		if (pdu && pdu->command == SNMP_MSG_REPORT)
			snprintf(ss->errbuf, sizeof(ss->errbuf),
			    "SNMPv3 report: %s",
			    snmp_api_errstring(snmpv3_get_report_type(pdu)));
		ss->inflight = 0;
		snmp_free_pdu(ss->pending);
		ss->pending = NULL;
		ss->cb(ss->arg, SNMPS_OK, pdu);
		break;
	case NETSNMP_CALLBACK_OP_RESEND:
	case NETSNMP_CALLBACK_OP_CONNECT: return 1;
	case NETSNMP_CALLBACK_OP_TIMED_OUT:
		if (ss->tries < ss->retries) {
			ss->tries++;
			ss->ctr->retries++;
			if (snmpsess_transmit(ss) == 0)
				return 1;
		}
		ss->ctr->timeouts++;
		ss->inflight = 0;
		ss->discovering = 0;
		/* the agent may come back with new boots or a new engine ID */
		if (ss->version == NP_SNMP_V3)
			snmpsess_forget_engine(ss);
		snmp_free_pdu(ss->pending);
		ss->pending = NULL;
		if (ss->after_discovery) {
			snmp_free_pdu(ss->after_discovery);
			ss->after_discovery = NULL;
		}
		ss->cb(ss->arg, SNMPS_TIMEOUT, NULL);
		break;
	default:
		/* send failed, disconnect: an error, not a timeout */
		evtimer_del(ss->ev_timer);
		ss->inflight = 0;
		ss->discovering = 0;
		ss->ctr->send_errors++;
		snmp_free_pdu(ss->pending);
		ss->pending = NULL;
		if (op == NETSNMP_CALLBACK_OP_SEC_ERROR) {
			ss->ctr->sec_errors++;
			snmpsess_forget_engine(ss);
			snprintf(ss->errbuf, sizeof(ss->errbuf),
			    "SNMPv3 security "
			    "error: wrong user, passphrase, protocol or engine "
			    "time");
		} else
			snprintf(ss->errbuf, sizeof(ss->errbuf),
			    "SNMP send failed (callback %d)", op);
		ss->cb(ss->arg, SNMPS_ERROR, NULL);
		break;
	}
	return 1;
}
