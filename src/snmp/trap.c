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

static struct trap_sender *
trapd_sender(struct trapd *td, const char *addr)
{
	struct trap_sender *s = hmap_get(&td->senders, addr);

	if (s != NULL)
		return s;
	if (td->senders.n >= TRAP_MAX_SENDERS)
		return &td->other;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return &td->other;
	snprintf(s->addr, sizeof(s->addr), "%s", addr);
	if (hmap_put(&td->senders, s->addr, s) == -1) {
		free(s);
		return &td->other;
	}
	return s;
}

/* The source address of a datagram as net-snmp hands it over. */
static void
trapd_addr(const void *data, int len, char *buf, size_t size)
{
	const struct sockaddr *sa = NULL;

	trap_copy(buf, size, "?");
	if (data == NULL)
		return;
	if (len == (int)sizeof(netsnmp_indexed_addr_pair))
		sa = &((const netsnmp_indexed_addr_pair *)data)->remote_addr.sa;
	else if (len >= (int)sizeof(struct sockaddr_in))
		sa = data;
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    buf, (socklen_t)size);
	else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
		    &((const struct sockaddr_in6 *)sa)->sin6_addr;

		/* an IPv4 sender on a dual-stack socket: its IPv4 form */
		if (IN6_IS_ADDR_V4MAPPED(a))
			inet_ntop(
			    AF_INET, &a->s6_addr[12], buf, (socklen_t)size);
		else
			inet_ntop(AF_INET6, a, buf, (socklen_t)size);
	}
}

/* Every datagram, before net-snmp decodes it. */
static int
trapd_pre_parse(
    netsnmp_session *sess, netsnmp_transport *t, void *data, int len)
{
	struct trap_listener *l = sess->callback_magic;
	struct trapd *td = l->td;
	char addr[64];

	(void)t;
	trapd_addr(data, len, addr, sizeof(addr));
	td->cur = trapd_sender(td, addr);
	td->cur->received++;
	td->received++;
	l->received++;
	td->cur->last = trapd_now();
	return 1;
}

/* What net-snmp could not decode or authenticate; counted, and said. */
static int
trapd_post_parse(netsnmp_session *sess, netsnmp_pdu *pdu, int rc)
{
	struct trap_listener *l = sess->callback_magic;
	struct trapd *td = l->td;
	struct trap_sender *s = td->cur ? td->cur : &td->other;
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
	s->malformed++;
	td->malformed++;
	complain(&td->c_bad, LOG_L_WARN,
	    "trap listener %s: undecodable datagram from %s (%s)", l->name,
	    s->addr, snmp_api_errstring(rc));
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
	struct trap_sender *s = td->cur ? td->cur : &td->other;
	int rc;

	(void)reqid;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
		return 1;
	/* net-snmp calls back on a bad v3 digest too: counted already */
	if (sess->s_snmp_errno == SNMPERR_USM_AUTHENTICATIONFAILURE)
		return 1;
	if (pdu->command != SNMP_MSG_TRAP && pdu->command != SNMP_MSG_TRAP2 &&
	    pdu->command != SNMP_MSG_INFORM) {
		s->malformed++;
		td->malformed++;
		complain(&td->c_bad, LOG_L_WARN,
		    "trap listener %s: a %s from %s is not a trap: ignored",
		    l->name, snmp_pdu_type(pdu->command), s->addr);
		return 1;
	}
	rc = trapev_handle(td, s, pdu);
	if (pdu->command == SNMP_MSG_INFORM && rc == 0) {
		if (trapd_ack(l, pdu) == 0) {
			s->informs++;
			td->informs++;
		} else
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

	(void)what;
	for (int i = 0; i < TRAP_READ_BATCH; i++) {
		l->td->cur = NULL;
		netsnmp_large_fd_setfd(fd, &l->fds);
		if (snmp_sess_read2(l->sessp, &l->fds) != 0 && ss != NULL &&
		    ss->s_snmp_errno == SNMPERR_BAD_RECVFROM)
			break;
	}
	l->td->cur = NULL;
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
	if (l->ev == NULL || event_add(l->ev, NULL) == -1) {
		snprintf(err, errlen, "listen trap %s: no event", spec);
		return -1;
	}
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
	hmap_init(&td->senders);
	hmap_init(&td->dev_by_addr);
	snprintf(td->other.addr, sizeof(td->other.addr), "other");
	return td;
}

static void
trapd_on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	trapev_tick(arg);
}

/* An address as text in its usual form, to match senders by. */
static int
trapd_norm_addr(const char *in, char *out, size_t size)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, in, &a4) == 1)
		return inet_ntop(AF_INET, &a4, out, (socklen_t)size) ? 0 : -1;
	if (inet_pton(AF_INET6, in, &a6) == 1)
		return inet_ntop(AF_INET6, &a6, out, (socklen_t)size) ? 0 : -1;
	return -1; /* a host name: matched by snmpTrapAddress only if resolved */
}

void
trapd_configure(struct trapd *td, const struct config *c, struct poller *p)
{
	const struct trap_community *tc;
	const struct trap_user *tu;
	const struct device_conf *d;
	struct timeval sec = {1, 0};
	int n;

	td->poller = p;
	if (td->nls == 0)
		return;
	/* the inventory by address */
	hmap_clear_free(&td->dev_by_addr);
	TAILQ_FOREACH(d, &c->devices, entry)
	{
		struct trap_dev *x = calloc(1, sizeof(*x));

		if (x == NULL)
			break;
		if (trapd_norm_addr(d->address, x->addr, sizeof(x->addr)) ==
		        -1 ||
		    hmap_get(&td->dev_by_addr, x->addr) != NULL) {
			free(x);
			continue;
		}
		snprintf(x->name, sizeof(x->name), "%s", d->name);
		x->cred = d->snmp;
		if (hmap_put(&td->dev_by_addr, x->addr, x) == -1)
			free(x);
	}
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
	td->storm_count = c->trap_storm_count;
	td->storm_secs = c->trap_storm_secs;
	trapusm_load_mibs(td, c->trap_mibs);
	trapusm_configure(td, c);
	trapev_compile_rules(td, c);
	if (td->ev_tick == NULL &&
	    (td->ev_tick = event_new(
	         td->base, -1, EV_PERSIST, trapd_on_tick, td)) != NULL)
		event_add(td->ev_tick, &sec);
}

static void
trapd_json_counters(struct jbuf *j, const struct trap_sender *s)
{
	json_kuint(j, "received", s->received);
	json_kuint(j, "accepted", s->accepted);
	json_kuint(j, "rejected", s->rejected);
	json_kuint(j, "malformed", s->malformed);
	json_kuint(j, "folded", s->folded);
	json_kuint(j, "stored", s->stored);
	json_kuint(j, "store_dropped", s->store_dropped);
	json_kuint(j, "informs", s->informs);
}

void
trapd_status(struct trapd *td, struct jbuf *j)
{
	struct trap_sender total;
	uint64_t kdrops = 0, kd[TRAP_MAX_LISTENERS];

	json_key(j, "traps");
	json_obj_open(j);
	memset(&total, 0, sizeof(total));
	total.received = td->received;
	total.accepted = td->accepted;
	total.rejected = td->rejected;
	total.malformed = td->malformed;
	total.folded = td->folded;
	total.stored = td->stored;
	total.store_dropped = td->store_dropped;
	total.informs = td->informs;
	trapd_json_counters(j, &total);
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
	json_key(j, "senders");
	json_arr_open(j);
	for (size_t i = 0; i < td->senders.cap; i++) {
		const struct trap_sender *s = td->senders.slots[i].hash
		    ? td->senders.slots[i].value
		    : NULL;

		if (s == NULL)
			continue;
		json_obj_open(j);
		json_kstr(j, "address", s->addr);
		if (s->device[0])
			json_kstr(j, "device", s->device);
		else
			json_key(j, "device"), json_null(j);
		trapd_json_counters(j, s);
		json_kbool(j, "storming", s->storming);
		json_kreal(j, "last", s->last);
		json_obj_close(j);
	}
	if (td->other.received) {
		json_obj_open(j);
		json_kstr(j, "address", "other");
		json_key(j, "device"), json_null(j);
		trapd_json_counters(j, &td->other);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

void
trapd_free(struct trapd *td)
{
	if (td == NULL)
		return;
	if (td->ev_tick)
		evtimer_del(td->ev_tick);
	trapev_flush_storms(td);
	for (int i = 0; i < td->nls; i++) {
		if (td->ls[i].ev)
			event_free(td->ls[i].ev);
		netsnmp_large_fd_set_cleanup(&td->ls[i].fds);
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
	hmap_free_values(&td->senders);
	hmap_free_values(&td->dev_by_addr);
	trapmsg_forget_names();
	free(td);
}
