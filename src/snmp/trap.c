/*
 * trap.c - the trap and inform listener: net-snmp server sessions driven
 * by the daemon's libevent loop. net-snmp decodes the message (and does
 * USM and the engine discovery of informs); here every datagram is
 * counted against its sender, authenticated against the configuration,
 * acknowledged when it is an inform, folded when its sender storms, and
 * turned into an event stored with the trap (trapev.c).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "log.h"
#include "trap.h"
#include "trapint.h"
#include "udpdrops.h"

#define TRAP_RCVBUF (16 * 1024 * 1024) /* bursts wait in the kernel */
#define TRAP_READ_BATCH 64 /* datagrams read per wakeup, at most */

static const char *const trapd_counters[TC_N] = {
    [TC_RECEIVED] = "received",
    [TC_ACCEPTED] = "accepted",
    [TC_REJECTED] = "rejected",
    [TC_MALFORMED] = "malformed",
    [TC_FOLDED] = "folded",
    [TC_STORED] = "stored",
    [TC_STORE_DROPPED] = "store_dropped",
    [TC_INFORMS] = "informs",
};

static void
trapd_json_sender(struct jbuf *j, const struct src_sender *s)
{
	json_kbool(j, "storming", s->win.over);
}

static const struct src_def trapd_src = {
    .name = "trap",
    .counters = trapd_counters,
    .ncounters = TC_N,
    .sender_size = sizeof(struct trap_sender),
    .over = trapev_storm_begin,
    .under = trapev_storm_end,
    .json_sender = trapd_json_sender,
};

/* The sender of a datagram, from its source address as net-snmp hands
 * it over. */
static struct trap_sender *
trapd_sender(struct trapd *td, const void *data, int len)
{
	const struct sockaddr *sa = NULL;

	if (data == NULL)
		sa = NULL;
	else if (len == (int)sizeof(netsnmp_indexed_addr_pair))
		sa = &((const netsnmp_indexed_addr_pair *)data)->remote_addr.sa;
	else if (len >= (int)sizeof(struct sockaddr_in))
		sa = data;
	return (struct trap_sender *)src_sender_sa(&td->src, sa);
}

/* Every datagram, before net-snmp decodes it. */
static int
trapd_pre_parse(
    netsnmp_session *sess, netsnmp_transport *t, void *data, int len)
{
	struct trap_listener *l = sess->callback_magic;
	struct trapd *td = l->td;

	(void)t;
	td->cur = trapd_sender(td, data, len);
	src_count(&td->src, &td->cur->s, TC_RECEIVED, 1);
	l->received++;
	td->cur->s.last = trapd_now();
	return 1;
}

/* What net-snmp could not decode or authenticate; counted, and said. */
static int
trapd_post_parse(netsnmp_session *sess, netsnmp_pdu *pdu, int rc)
{
	struct trap_listener *l = sess->callback_magic;
	struct trapd *td = l->td;
	struct trap_sender *s =
	    td->cur ? td->cur : (struct trap_sender *)td->src.other;
	const char *why = NULL;

	if (rc == SNMPERR_SUCCESS)
		return 1;
	switch (rc) {
	case SNMPERR_USM_UNKNOWNENGINEID:
		/* an inform sender learning our engine ID: not a fault */
		if (pdu->securityNameLen == 0) {
			td->discovery++;
			return 1;
		}
		why = "an unknown SNMPv3 engine ID";
		break;
	case SNMPERR_USM_NOTINTIMEWINDOW:
		td->discovery++; /* the sender resynchronises its clock */
		return 1;
	case SNMPERR_USM_UNKNOWNSECURITYNAME:
		why = "an unknown SNMPv3 user (or a user unknown for the "
		      "sender's engine ID)";
		break;
	case SNMPERR_USM_AUTHENTICATIONFAILURE:
		why = "a wrong SNMPv3 authentication key";
		break;
	case SNMPERR_USM_DECRYPTIONERROR:
		why = "a wrong SNMPv3 privacy key";
		break;
	case SNMPERR_USM_UNSUPPORTEDSECURITYLEVEL:
		why = "an SNMPv3 security level its user may not use";
		break;
	}
	if (why != NULL) {
		char user[NP_NAME_MAX];

		snprintf(user, sizeof(user), "%.*s",
		    (int)(pdu->securityNameLen < sizeof(user) - 1
		            ? pdu->securityNameLen
		            : sizeof(user) - 1),
		    pdu->securityName ? pdu->securityName : "");
		trapd_reject(td, s, why, user);
		return 1;
	}
	src_count(&td->src, &s->s, TC_MALFORMED, 1);
	complain(&td->c_bad, LOG_L_WARN,
	    "trap listener %s: undecodable datagram from %s (%s)", l->name,
	    s->s.addr, snmp_api_errstring(rc));
	return 1;
}

/* An inform is acknowledged with a Response that echoes it. */
static int
trapd_ack(struct trap_listener *l, netsnmp_pdu *pdu)
{
	netsnmp_pdu *reply = snmp_clone_pdu(pdu);

	if (reply == NULL)
		return -1;
	reply->command = SNMP_MSG_RESPONSE;
	reply->errstat = 0;
	reply->errindex = 0;
	if (snmp_sess_send(l->sessp, reply) == 0) {
		snmp_free_pdu(reply);
		return -1;
	}
	return 0;
}

static int
trapd_cb(
    int op, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct trap_listener *l = magic;
	struct trapd *td = l->td;
	struct trap_sender *s =
	    td->cur ? td->cur : (struct trap_sender *)td->src.other;
	int rc;

	(void)reqid;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
		return 1;
	/* net-snmp calls back on a bad v3 digest too: counted already */
	if (sess->s_snmp_errno == SNMPERR_USM_AUTHENTICATIONFAILURE)
		return 1;
	if (pdu->command != SNMP_MSG_TRAP && pdu->command != SNMP_MSG_TRAP2 &&
	    pdu->command != SNMP_MSG_INFORM) {
		src_count(&td->src, &s->s, TC_MALFORMED, 1);
		complain(&td->c_bad, LOG_L_WARN,
		    "trap listener %s: a %s from %s is not a trap: ignored",
		    l->name, snmp_pdu_type(pdu->command), s->s.addr);
		return 1;
	}
	rc = trapev_handle(td, s, pdu);
	if (pdu->command == SNMP_MSG_INFORM && rc == 0) {
		if (trapd_ack(l, pdu) == 0)
			src_count(&td->src, &s->s, TC_INFORMS, 1);
		else
			td->ack_errors++;
	}
	return 1;
}

/*
 * Up to TRAP_READ_BATCH datagrams per wakeup: net-snmp reads one per
 * call, without waiting (MSG_DONTWAIT), and says SNMPERR_BAD_RECVFROM
 * when the socket is empty. What is left waits for the next turn of
 * the loop, so that a flood does not starve the rest of the daemon.
 */
static void
trapd_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct trap_listener *l = arg;
	netsnmp_session *ss = snmp_sess_session(l->sessp);
	int i, got = 0;

	(void)what;
	for (i = 0; i < TRAP_READ_BATCH; i++) {
		l->td->cur = NULL;
		netsnmp_large_fd_setfd(fd, &l->fds);
		if (snmp_sess_read2(l->sessp, &l->fds) == 0)
			got++;
		else if (ss != NULL && ss->s_snmp_errno == SNMPERR_BAD_RECVFROM)
			break;
	}
	l->td->cur = NULL;
	/* datagrams read ahead (trapudp.c) are handed over at the next
	 * turn, the socket may have nothing more to say; a busy socket is
	 * read on a timer (rxpace.c). Read on at once only when this turn
	 * took datagrams: reads that all failed otherwise (an error that
	 * is not an empty socket) wait for the socket or the timer. */
	rxpace_read(&l->pace, (size_t)got,
	    (i == TRAP_READ_BATCH && got > 0) || trapudp_pending(fd));
}

static int
trapd_open(
    struct trapd *td, const struct listen_conf *lc, char *err, size_t errlen)
{
	struct trap_listener *l = &td->ls[td->nls];
	netsnmp_transport *t;
	netsnmp_session s;
	char spec[NP_STR_MAX + 32];
	int size = TRAP_RCVBUF;

	if (strchr(lc->address, ':'))
		snprintf(
		    spec, sizeof(spec), "udp6:[%s]:%u", lc->address, lc->port);
	else
		snprintf(
		    spec, sizeof(spec), "udp:%s:%u", lc->address, lc->port);
	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%s", spec);
	l->td = td;
	if ((t = netsnmp_transport_open_server("netpatrold", spec)) == NULL) {
		snprintf(err, errlen, "listen trap %s: cannot bind: %s", spec,
		    strerror(errno));
		return -1;
	}

	snmp_sess_init(&s);
	s.peername = SNMP_DEFAULT_PEERNAME;
	s.version = SNMP_DEFAULT_VERSION;
	s.community_len = SNMP_DEFAULT_COMMUNITY_LEN;
	s.retries = SNMP_DEFAULT_RETRIES;
	s.timeout = SNMP_DEFAULT_TIMEOUT;
	s.callback = trapd_cb;
	s.callback_magic = l;
	s.isAuthoritative = SNMP_SESS_UNKNOWNAUTH;
	if ((l->sessp = snmp_sess_add_ex(&s, t, trapd_pre_parse, NULL,
	         trapd_post_parse, NULL, NULL, NULL, NULL)) == NULL) {
		snprintf(err, errlen, "listen trap %s: no session", spec);
		return -1;
	}
	l->fd = t->sock;
	/* as root: past net.core.rmem_max; else as much as allowed */
	if (setsockopt(
	        l->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) == -1)
		(void)setsockopt(
		    l->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/*
	 * Never wait in a read: the batch in trapd_on_read() reads until the
	 * socket is empty, and Debian's net-snmp 5.9.3 reads UDP over IPv6
	 * without MSG_DONTWAIT (a blocking socket stalled the whole loop).
	 */
	if (evutil_make_socket_nonblocking(l->fd) == -1) {
		snprintf(err, errlen,
		    "listen trap %s: cannot make the socket "
		    "non-blocking",
		    spec);
		return -1;
	}
	netsnmp_large_fd_set_init(&l->fds, l->fd + 1);
	l->ev =
	    event_new(td->base, l->fd, EV_READ | EV_PERSIST, trapd_on_read, l);
	if (l->ev == NULL || event_add(l->ev, NULL) == -1 ||
	    rxpace_init(&l->pace, td->base, l->ev) == -1) {
		snprintf(err, errlen, "listen trap %s: no event", spec);
		return -1;
	}
	/* UDP over IPv4: read by recvmmsg() (trapudp.c); else net-snmp's */
	if (strchr(lc->address, ':') == NULL && trapudp_attach(t) == -1)
		log_info("listen trap %s: net-snmp's reads, one datagram a "
		         "call",
		    spec);
	td->nls++;
	log_info("listening for traps and informs on %s", spec);
	return 0;
}

int
trapd_listen(struct trapd *td, const struct config *c, char *err, size_t errlen)
{
	const struct listen_conf *lc;

	TAILQ_FOREACH(lc, &c->listens, entry)
	{
		if (lc->kind != LISTEN_TRAP)
			continue;
		if (td->nls == TRAP_MAX_LISTENERS) {
			snprintf(err, errlen, "more than %d trap listeners",
			    TRAP_MAX_LISTENERS);
			return -1;
		}
		if (trapd_open(td, lc, err, errlen) == -1)
			return -1;
	}
	if (td->nls > 0)
		trapd_engine_init(td);
	return 0;
}

struct trapd *
trapd_new(struct event_base *base, struct store *store, struct evbus *bus)
{
	struct trapd *td = calloc(1, sizeof(*td));

	if (td == NULL)
		return NULL;
	td->base = base;
	td->store = store;
	td->bus = bus;
	if (src_init(&td->src, &trapd_src, td, bus, &td->c_store) == -1) {
		free(td);
		return NULL;
	}
	return td;
}

static void
trapd_on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	trapev_tick(arg);
}

void
trapd_configure(struct trapd *td, const struct config *c, struct inventory *inv)
{
	const struct trap_community *tc;
	const struct trap_user *tu;
	struct timeval sec = {1, 0};
	int n;

	td->inv = inv;
	src_set_inventory(&td->src, inv);
	if (td->nls == 0)
		return;
	/* who may send */
	n = 0;
	TAILQ_FOREACH(tc, &c->trap_communities, entry)
	n++;
	free(td->communities);
	td->communities =
	    n ? calloc((size_t)n, sizeof(*td->communities)) : NULL;
	td->ncommunities = 0;
	TAILQ_FOREACH(tc, &c->trap_communities, entry)
	if (td->communities)
		snprintf(td->communities[td->ncommunities++],
		    sizeof(td->communities[0]), "%s", tc->community);
	n = 0;
	TAILQ_FOREACH(tu, &c->trap_users, entry)
	n++;
	if (td->users)
		explicit_bzero(
		    td->users, (size_t)td->nusers * sizeof(*td->users));
	free(td->users);
	td->users = n ? calloc((size_t)n, sizeof(*td->users)) : NULL;
	td->nusers = 0;
	TAILQ_FOREACH(tu, &c->trap_users, entry)
	if (td->users)
		td->users[td->nusers++] = tu->cred;
	if (td->ncommunities == 0 && td->nusers == 0)
		log_warnx("traps: no \"trap community\" or \"trap user\": only "
		          "the devices' own polling credentials are accepted");
	src_set_limit(&td->src, c->trap_storm_count, c->trap_storm_secs);
	trapusm_load_mibs(td, c->trap_mibs);
	trapusm_configure(td, c);
	trapev_compile_rules(td, c);
	if (td->ev_tick == NULL &&
	    (td->ev_tick = event_new(
	         td->base, -1, EV_PERSIST, trapd_on_tick, td)) != NULL)
		event_add(td->ev_tick, &sec);
}

void
trapd_status(struct trapd *td, struct jbuf *j)
{
	uint64_t kdrops = 0, kd[TRAP_MAX_LISTENERS];

	json_key(j, "traps");
	json_obj_open(j);
	src_json_counters(&td->src, j, td->src.total);
	json_kuint(j, "discovery", td->discovery);
	json_kuint(j, "ack_errors", td->ack_errors);
	for (int i = 0; i < td->nls; i++)
		kdrops += (kd[i] = udp_kernel_drops(td->ls[i].fd));
	json_kuint(j, "kernel_dropped", kdrops);
	json_kstr(j, "engine_id", td->engine_hex);
	json_kbool(j, "mib_names", td->names);
	json_key(j, "listeners");
	json_arr_open(j);
	for (int i = 0; i < td->nls; i++) {
		json_obj_open(j);
		json_kstr(j, "address", td->ls[i].name);
		json_kuint(j, "received", td->ls[i].received);
		json_kuint(j, "kernel_dropped", kd[i]);
		json_obj_close(j);
	}
	json_arr_close(j);
	src_json_senders(&td->src, j);
	json_obj_close(j);
}

void
trapd_free(struct trapd *td)
{
	if (td == NULL)
		return;
	if (td->ev_tick)
		evtimer_del(td->ev_tick);
	src_flush(&td->src, trapd_now());
	for (int i = 0; i < td->nls; i++) {
		rxpace_free(&td->ls[i].pace);
		if (td->ls[i].ev)
			event_free(td->ls[i].ev);
		netsnmp_large_fd_set_cleanup(&td->ls[i].fds);
		trapudp_detach(td->ls[i].fd);
		snmp_sess_close(td->ls[i].sessp);
	}
	if (td->ev_tick)
		event_free(td->ev_tick);
	trapusm_clear(td);
	trapev_free_rules(td);
	free(td->communities);
	if (td->users)
		explicit_bzero(
		    td->users, (size_t)td->nusers * sizeof(*td->users));
	free(td->users);
	src_free(&td->src);
	trapmsg_forget_names();
	free(td);
}
