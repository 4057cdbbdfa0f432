/*
 * recv.c - the syslog receiver's message path: every datagram or frame is
 * counted against its listener and sender, rate-limited per sender,
 * parsed, mapped to a device (source address first, then the message's
 * host name), turned into an event when a rule matches (rules.c), and
 * added to a batch the store writer takes whole. Also the UDP listeners
 * (recvmmsg() in rounds, so one busy socket cannot hold the loop), the
 * configuration, retention and the counters of `netpatrol status`.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "syslog/sysint.h"
#include "udpdrops.h"

static const char *const sysd_counters[SC_N] = {
    [SC_RECEIVED] = "received",
    [SC_BYTES] = "bytes",
    [SC_PARSED] = "parsed",
    [SC_MALFORMED] = "malformed",
    [SC_TRUNCATED] = "truncated",
    [SC_RATE_LIMITED] = "rate_limited",
    [SC_STORED] = "stored",
    [SC_DROPPED] = "dropped",
    [SC_EVENTS] = "events",
    [SC_QUEUED] = "queued",
    [SC_LOST] = "store_lost",
};

/* A sender went over its rate limit: the rest is dropped. */
static void
sysd_rl_over(void *arg, struct src_sender *s, double now)
{
	struct syslogd *sd = arg;

	(void)now;
	src_emit(&sd->src, src_sender_name(s), "syslog.rate_limit",
	    "syslog:rate-limit", SEV_WARNING,
	    "syslog from %s over %d messages in %d s: dropping the rest "
	    "until it calms",
	    s->addr, sd->src.limit, sd->src.secs);
}

/* A sender came back under its rate limit. */
static void
sysd_rl_under(void *arg, struct src_sender *s, double now)
{
	struct syslogd *sd = arg;

	(void)now;
	src_emit(&sd->src, src_sender_name(s), "syslog.rate_limit_end",
	    "syslog:rate-limit", SEV_INFO,
	    "syslog from %s back under its rate limit: %lu messages were "
	    "dropped",
	    s->addr, s->win.over_n);
}

static void
sysd_json_sender(struct jbuf *j, const struct src_sender *s)
{
	json_kbool(j, "limited", s->win.over);
	json_kint(j, "connections", ((const struct sysd_sender *)s)->conns);
}

static const struct src_def sysd_src = {
    .name = "syslog",
    .counters = sysd_counters,
    .ncounters = SC_N,
    .sender_size = sizeof(struct sysd_sender),
    .over = sysd_rl_over,
    .under = sysd_rl_under,
    .json_sender = sysd_json_sender,
};

/* Count N of WHICH for sender S, listener L and in total. */
static inline void
sysd_count(struct syslogd *sd, struct sysd_listener *l, struct sysd_sender *s,
    int which, uint64_t n)
{
	src_count(&sd->src, &s->s, which, n);
	l->c[which] += n;
}

/* Hand the batch to the store writer; count what it held. */
void
sysd_flush(struct syslogd *sd)
{
	struct sysd_pend *p = NULL;
	size_t n;
	int rc;

	if (sd->batch == NULL || (n = store_logbatch_count(sd->batch)) == 0)
		return;
	/* its messages are "stored" when the store commits them */
	if ((p = malloc(sizeof(*p) + 2 * n * sizeof(void *))) != NULL) {
		p->next = NULL;
		p->id = store_logbatch_id(sd->batch);
		p->n = n;
		p->s = (struct sysd_sender **)(p + 1);
		memcpy(p->s, sd->bsender, n * sizeof(void *));
		memcpy(p->s + n, sd->blistener, n * sizeof(void *));
	}
	rc = store_put_logs(sd->store, sd->batch);
	sd->batch = NULL;
	sd->batches++;
	if (rc == -1) {
		sd->batches_dropped++;
		complain(&sd->c_store, LOG_L_WARN,
		    "syslog: %zu messages dropped: store queue full", n);
		free(p);
		p = NULL;
	} else if (p != NULL) {
		*sd->pend_tail = p;
		sd->pend_tail = &p->next;
	}
	for (size_t i = 0; i < n; i++)
		sysd_count(sd, sd->blistener[i], sd->bsender[i],
		    rc == 0 ? SC_QUEUED : SC_DROPPED, 1);
}

static void
sysd_on_flush(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sysd_flush(arg);
}

void
sysd_flush_soon(struct syslogd *sd)
{
	struct timeval tv = {0, SYSD_FLUSH_MS * 1000};

	if (sd->batch == NULL || store_logbatch_count(sd->batch) == 0)
		return;
	if (sd->ev_flush == NULL &&
	    (sd->ev_flush = evtimer_new(sd->base, sysd_on_flush, sd)) == NULL) {
		sysd_flush(sd);
		return;
	}
	if (!evtimer_pending(sd->ev_flush, NULL))
		evtimer_add(sd->ev_flush, &tv);
}

/* The store committed (OK) or lost batch ID. */
static void
sysd_on_ack(void *arg, uint64_t id, size_t n, int ok)
{
	struct syslogd *sd = arg;
	struct sysd_pend *p;

	(void)n;
	/* in the order queued; one not acknowledged (never) is let go */
	while ((p = sd->pend) != NULL && p->id <= id) {
		if ((sd->pend = p->next) == NULL)
			sd->pend_tail = &sd->pend;
		if (p->id == id)
			for (size_t i = 0; i < p->n; i++)
				sysd_count(sd,
				    (struct sysd_listener *)p->s[p->n + i],
				    p->s[i], ok ? SC_STORED : SC_LOST, 1);
		free(p);
	}
}

void
sysd_acks(struct syslogd *sd)
{
	store_log_acks(sd->store, sysd_on_ack, sd);
}

void
sysd_pend_free(struct syslogd *sd)
{
	struct sysd_pend *p;

	while ((p = sd->pend) != NULL) {
		sd->pend = p->next;
		free(p);
	}
	sd->pend_tail = &sd->pend;
}

/* The device a message is from: its sender's address, else its host. */
static const char *
sysd_device(struct syslogd *sd, struct sysd_sender *s, const char *host)
{
	const struct inv_device *d = src_device(&sd->src, &s->s);
	const char *name = d ? d->name : "";

	/* the status names the device of the sender's address */
	if (strcmp(s->s.device, name) != 0)
		snprintf(s->s.device, sizeof(s->s.device), "%s", name);
	if (d != NULL)
		return d->name;
	if (sd->inv == NULL || (d = inv_device_by_host(sd->inv, host)) == NULL)
		return NULL;
	return d->name;
}

/*
 * One message: LEN bytes at BUF, of FULL received (more when the frame or
 * datagram was cut to fit).
 */
void
sysd_input(struct syslogd *sd, struct sysd_listener *l, struct sysd_sender *s,
    const char *buf, size_t len, size_t full, double now)
{
	struct syslog_msg *m = &sd->msg;
	struct store_log r;
	struct np_event ev;
	const char *device;
	size_t n;

	sysd_count(sd, l, s, SC_RECEIVED, 1);
	sysd_count(sd, l, s, SC_BYTES, full);
	s->s.last = now;
	/* datagrams over the sender's rate are dropped; streams wait
	 * (tcp.c reads no more from them until their window ends) */
	if (l->proto != LISTEN_UDP)
		src_tally(&sd->src, &s->s, now);
	else if (src_limit(&sd->src, &s->s, now)) {
		sysd_count(sd, l, s, SC_RATE_LIMITED, 1);
		return;
	}
	if (syslog_parse(buf, full > len ? full : len, now, m) == 0)
		sysd_count(sd, l, s, SC_PARSED, 1);
	else
		sysd_count(sd, l, s, SC_MALFORMED, 1);
	if (m->problems) {
		for (int i = 0; i < SYSLOG_P_COUNT; i++)
			if (m->problems & (1u << i))
				sd->problems[i]++;
		if (m->problems & SYSLOG_P_TOOLONG)
			sysd_count(sd, l, s, SC_TRUNCATED, 1);
	}
	device = sysd_device(sd, s, m->host);

	memset(&r, 0, sizeof(r));
	r.time = now;
	r.msg_time = (m->flags & SYSLOG_F_TIME) ? m->time : 0;
	r.device = device ? device : s->s.addr;
	r.known = device != NULL;
	r.sender = s->s.addr;
	r.transport = l->transport;
	r.facility = m->facility;
	r.severity = m->severity;
	r.host = m->host;
	r.app = m->app;
	r.procid = m->procid;
	r.msgid = m->msgid;
	r.mnemonic = m->mn.code[0] ? m->mn.code : m->tag;
	r.text = m->msg;
	r.sd = m->sd;
	r.raw = m->raw;
	r.raw_len = m->raw_len;
	r.len = full > len ? full : len;
	r.problems = m->problems;
	if (sysrules_event(
	        &sd->rules, m, r.device, r.known, s->s.addr, now, &ev)) {
		/* gone to the node that holds the device: in a store the
		 * nodes share, that node writes the event; the message names
		 * it */
		if (evbus_announce(sd->bus, &ev) == 1 &&
		    store_is_pg(sd->store))
			r.event_id = ev.id;
		else
			r.event = &ev;
		sysd_count(sd, l, s, SC_EVENTS, 1);
		/* stored, and shown by `netpatrol events`: at the rate
		 * messages come, the log would drown in them */
		log_debug("event %s %s %s: %s", ev.device, ev.kind,
		    event_severity_name(ev.severity), ev.text);
	}
	for (int tries = 0; tries < 2; tries++) {
		if (sd->batch == NULL &&
		    (sd->batch = store_logbatch_new()) == NULL)
			break;
		n = store_logbatch_count(sd->batch);
		if (n < SYSD_BATCH_MAX &&
		    store_logbatch_add(sd->batch, &r) == 0) {
			sd->bsender[n] = s;
			sd->blistener[n] = l;
			return;
		}
		sysd_flush(sd);
	}
	sysd_count(sd, l, s, SC_DROPPED, 1);
}

/* --- UDP --- */

static void
sysd_udp_read(evutil_socket_t fd, short what, void *arg)
{
	struct sysd_listener *l = arg;
	struct syslogd *sd = l->sd;
	size_t total = 0;
	int more = 0;

	(void)what;
	for (int round = 0; round < SYSD_UDP_ROUNDS; round++) {
		int n;
		double now;

		for (int i = 0; i < SYSD_UDP_VLEN; i++) {
			sd->umsg[i].msg_hdr.msg_namelen = sizeof(sd->uaddr[i]);
			sd->umsg[i].msg_hdr.msg_flags = 0;
		}
		/* MSG_TRUNC: the real length of a datagram longer than the
		 * buffer, which holds SYSLOG_MAX_LEN of it */
		n = recvmmsg(fd, sd->umsg, SYSD_UDP_VLEN,
		    MSG_DONTWAIT | MSG_TRUNC, NULL);
		if (n <= 0) {
			if (n == -1 && errno != EAGAIN && errno != EINTR)
				complain(&sd->c_bad, LOG_L_WARN,
				    "syslog listener %s: %s", l->name,
				    strerror(errno));
			break;
		}
		now = sysd_now();
		for (int i = 0; i < n; i++) {
			size_t full = sd->umsg[i].msg_len;

			sysd_input(sd, l,
			    (struct sysd_sender *)src_sender_sa(&sd->src,
			        (const struct sockaddr *)&sd->uaddr[i]),
			    sd->ubuf[i],
			    full > SYSLOG_MAX_LEN ? SYSLOG_MAX_LEN : full, full,
			    now);
		}
		total += (size_t)n;
		if (n < SYSD_UDP_VLEN)
			break;
		more = round == SYSD_UDP_ROUNDS - 1;
	}
	sysd_flush_soon(sd);
	rxpace_read(&l->pace, total, more);
}

static int
sysd_udp_open(struct syslogd *sd, struct sysd_listener *l,
    const struct listen_conf *lc, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	int on = 1, size = SYSD_RCVBUF;

	memset(&ss, 0, sizeof(ss));
	if (strchr(lc->address, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(lc->port);
		inet_pton(AF_INET6, lc->address, &s6->sin6_addr);
		sslen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(lc->port);
		inet_pton(AF_INET, lc->address, &s4->sin_addr);
		sslen = sizeof(*s4);
	}
	if ((l->fd = socket(ss.ss_family,
	         SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "listen syslog udp %s: %s", lc->address,
		    strerror(errno));
		return -1;
	}
	if (ss.ss_family == AF_INET6)
		(void)setsockopt(
		    l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(l->fd, (struct sockaddr *)&ss, sslen) == -1) {
		snprintf(err, errlen, "listen syslog udp %s port %u: %s",
		    lc->address, lc->port, strerror(errno));
		close(l->fd);
		l->fd = -1;
		return -1;
	}
	if (setsockopt(
	        l->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) == -1)
		(void)setsockopt(
		    l->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	l->ev =
	    event_new(sd->base, l->fd, EV_READ | EV_PERSIST, sysd_udp_read, l);
	if (l->ev == NULL || event_add(l->ev, NULL) == -1 ||
	    rxpace_init(&l->pace, sd->base, l->ev) == -1) {
		snprintf(
		    err, errlen, "listen syslog udp %s: no event", lc->address);
		return -1;
	}
	return 0;
}

/* The name of listener LC ("udp:ADDR:PORT", "tls:[ADDR6]:PORT") in BUF;
 * its transport. */
static const char *
sysd_listen_name(const struct listen_conf *lc, char *buf, size_t size)
{
	const char *t = lc->proto == LISTEN_UDP ? "udp"
	    : lc->proto == LISTEN_TCP           ? "tcp"
	                                        : "tls";

	snprintf(buf, size,
	    strchr(lc->address, ':') ? "%s:[%s]:%u" : "%s:%s:%u", t,
	    lc->address, lc->port);
	return t;
}

int
syslogd_listen(
    struct syslogd *sd, const struct config *c, char *err, size_t errlen)
{
	const struct listen_conf *lc;

	TAILQ_FOREACH(lc, &c->listens, entry)
	{
		struct sysd_listener *l = &sd->ls[sd->nls];

		if (lc->kind != LISTEN_SYSLOG)
			continue;
		if (sd->nls == SYSD_MAX_LISTENERS) {
			snprintf(err, errlen, "more than %d syslog listeners",
			    SYSD_MAX_LISTENERS);
			return -1;
		}
		memset(l, 0, sizeof(*l));
		l->sd = sd;
		l->fd = -1;
		l->proto = lc->proto;
		l->transport = sysd_listen_name(lc, l->name, sizeof(l->name));
		if (lc->proto == LISTEN_UDP) {
			if (sd->ubuf == NULL &&
			    ((sd->ubuf = calloc(
			          SYSD_UDP_VLEN, sizeof(*sd->ubuf))) == NULL ||
			        (sd->umsg = calloc(SYSD_UDP_VLEN,
			             sizeof(*sd->umsg))) == NULL ||
			        (sd->uiov = calloc(SYSD_UDP_VLEN,
			             sizeof(*sd->uiov))) == NULL ||
			        (sd->uaddr = calloc(SYSD_UDP_VLEN,
			             sizeof(*sd->uaddr))) == NULL)) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			for (int i = 0; i < SYSD_UDP_VLEN; i++) {
				sd->uiov[i].iov_base = sd->ubuf[i];
				sd->uiov[i].iov_len = SYSLOG_MAX_LEN;
				sd->umsg[i].msg_hdr.msg_iov = &sd->uiov[i];
				sd->umsg[i].msg_hdr.msg_iovlen = 1;
				sd->umsg[i].msg_hdr.msg_name = &sd->uaddr[i];
			}
			if (sysd_udp_open(sd, l, lc, err, errlen) == -1)
				return -1;
		} else if (sysd_tcp_open(sd, l, lc, err, errlen) == -1)
			return -1;
		sd->nls++;
		log_info("listening for syslog on %s", l->name);
	}
	return 0;
}

/* The rules' events that no message carries (a burst's end). */
static void
sysd_rules_emit(void *arg, struct np_event *ev)
{
	struct syslogd *sd = arg;

	src_put(&sd->src, ev);
}

struct syslogd *
syslogd_new(struct event_base *base, struct store *store, struct evbus *bus)
{
	struct syslogd *sd = calloc(1, sizeof(*sd));

	if (sd == NULL)
		return NULL;
	/*
	 * Store batches (96 KB) are made here and freed by the writer thread,
	 * thousands a second: keep their memory in the heap rather than
	 * giving it back to the kernel and faulting it in again.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
	sd->base = base;
	sd->store = store;
	sd->bus = bus;
	if (src_init(&sd->src, &sysd_src, sd, bus, &sd->c_store) == -1) {
		free(sd);
		return NULL;
	}
	sysrules_init(&sd->rules, sysd_rules_emit, sd);
	TAILQ_INIT(&sd->conns);
	sd->pend_tail = &sd->pend;
	sd->budget = SYSD_BUDGET;
	store_set_log_budget(store, sd->budget);
	return sd;
}

static void
sysd_on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct syslogd *sd = arg;
	double now = sysd_now();

	(void)fd;
	(void)what;
	sysrules_tick(&sd->rules, now);
	sysd_acks(sd);
	/* senders that calmed: their rate-limit episode is over */
	src_tick(&sd->src, now);
}

/* Retention, every minute: by age, the newest max-rows, then max-size. */
static void
sysd_on_prune(evutil_socket_t fd, short what, void *arg)
{
	struct syslogd *sd = arg;

	(void)fd;
	(void)what;
	store_prune_logs(sd->store,
	    sysd_now() - (double)sd->keep_days * 86400.0, sd->max_rows,
	    sd->max_size);
}

void
syslogd_configure(
    struct syslogd *sd, const struct config *c, struct inventory *inv)
{
	struct timeval sec = {1, 0}, minute = {60, 0};

	sd->inv = inv;
	src_set_inventory(&sd->src, inv);
	/* TLS listeners: the peers and fingerprints of a reload */
	for (int i = 0; i < sd->nls; i++) {
		struct sysd_listener *l = &sd->ls[i];
		const struct listen_conf *lc;
		char name[sizeof(l->name)];

		if (l->tls == NULL)
			continue;
		TAILQ_FOREACH(lc, &c->listens, entry)
		{
			if (lc->kind != LISTEN_SYSLOG ||
			    lc->proto != LISTEN_TLS)
				continue;
			(void)sysd_listen_name(lc, name, sizeof(name));
			if (strcmp(name, l->name) != 0)
				continue;
			if (sysd_tls_update(l->tls, lc) == 1)
				log_info(
				    "syslog %s: client certificates' peers and "
				    "fingerprints reloaded",
				    l->name);
			break;
		}
	}
	/* retention, listeners or not (what was received before ages out):
	 * now (start, reload), then every minute */
	sd->keep_days = c->syslog_keep_days;
	sd->max_rows = c->syslog_max_rows;
	sd->max_size = c->syslog_max_size;
	/* the queue's bound: for the next messages (reload) */
	if (c->syslog_queue > 0) {
		sd->budget = (size_t)c->syslog_queue;
		store_set_log_budget(sd->store, sd->budget);
	}
	if (sd->ev_prune == NULL &&
	    (sd->ev_prune = event_new(
	         sd->base, -1, EV_PERSIST, sysd_on_prune, sd)) != NULL)
		event_add(sd->ev_prune, &minute);
	sysd_on_prune(-1, 0, sd);
	if (sd->nls == 0)
		return;
	src_set_limit(&sd->src, c->syslog_rl_burst, c->syslog_rl_secs);
	sd->max_conns = c->syslog_max_conns;
	sd->max_conns_sender = c->syslog_max_conns_sender;
	sd->idle_secs = c->syslog_idle_secs;
	sd->frame_secs = c->syslog_frame_secs;
	sysrules_configure(&sd->rules, c, inv);
	if (sd->ev_tick == NULL &&
	    (sd->ev_tick = event_new(
	         sd->base, -1, EV_PERSIST, sysd_on_tick, sd)) != NULL)
		event_add(sd->ev_tick, &sec);
}

/* What retention deleted, and what the messages take. */
static void
sysd_json_retention(struct syslogd *sd, struct jbuf *j)
{
	struct store_log_pruned p;

	store_log_pruned(sd->store, &p);
	json_key(j, "retention");
	json_obj_open(j);
	json_kint(j, "keep_days", sd->keep_days);
	json_kuint(j, "max_rows", (uint64_t)sd->max_rows);
	json_kuint(j, "max_size", (uint64_t)sd->max_size);
	json_kuint(j, "pruned_age", p.by_age);
	json_kuint(j, "pruned_rows", p.by_rows);
	json_kuint(j, "pruned_size", p.by_size);
	json_kuint(j, "prune_passes", p.passes);
	json_kreal(j, "last_prune", p.last_pass);
	json_kreal(j, "last_prune_seconds", p.last_pass_secs);
	json_key(j, "store_used_bytes");
	if (p.used_bytes >= 0)
		json_uint(j, (uint64_t)p.used_bytes);
	else
		json_null(j);
	json_key(j, "logs_bytes");
	if (p.logs_bytes >= 0)
		json_uint(j, (uint64_t)p.logs_bytes);
	else
		json_null(j);
	json_obj_close(j);
}

void
syslogd_status(struct syslogd *sd, struct jbuf *j)
{
	uint64_t kdrops = 0;

	sysd_acks(sd);
	json_key(j, "syslog");
	json_obj_open(j);
	src_json_counters(&sd->src, j, sd->src.total);
	for (int i = 0; i < sd->nls; i++)
		if (sd->ls[i].proto == LISTEN_UDP)
			kdrops += udp_kernel_drops(sd->ls[i].fd);
	json_kuint(j, "kernel_dropped", kdrops);
	json_kuint(j, "store_queued_bytes", store_log_queued(sd->store));
	json_kuint(j, "store_queue_max_bytes", sd->budget);
	json_kuint(j, "batches", sd->batches);
	json_kuint(j, "batches_dropped", sd->batches_dropped);
	json_kint(j, "connections", sd->nconns);
	json_kint(j, "connections_paused", sd->npaused);
	json_kuint(j, "pauses", sd->pauses);
	sysd_json_retention(sd, j);
	json_key(j, "problems");
	json_obj_open(j);
	for (int i = 0; i < SYSLOG_P_COUNT; i++)
		if (sd->problems[i])
			json_kuint(
			    j, syslog_problem_str(1u << i), sd->problems[i]);
	json_obj_close(j);
	json_key(j, "listeners");
	json_arr_open(j);
	for (int i = 0; i < sd->nls; i++) {
		const struct sysd_listener *l = &sd->ls[i];

		json_obj_open(j);
		json_kstr(j, "address", l->name);
		json_kstr(j, "transport", l->transport);
		src_json_counters(&sd->src, j, l->c);
		if (l->proto == LISTEN_UDP)
			json_kuint(
			    j, "kernel_dropped", udp_kernel_drops(l->fd));
		else {
			json_kint(j, "open", l->open);
			json_kuint(j, "accepted", l->accepted);
			json_kuint(j, "refused", l->refused);
			json_kuint(j, "evicted", l->evicted);
			json_kuint(j, "reaped", l->reaped);
			json_kuint(j, "rate_waits", l->rate_waits);
			json_kuint(j, "timeouts", l->timeouts);
			json_kuint(j, "bad_frames", l->bad_frames);
			if (l->proto == LISTEN_TLS) {
				json_kuint(j, "tls_errors", l->tls_errors);
				sysd_tls_status(l->tls, j);
			}
		}
		json_obj_close(j);
	}
	json_arr_close(j);
	src_json_senders(&sd->src, j);
	json_obj_close(j);
}

void
syslogd_free(struct syslogd *sd)
{
	if (sd == NULL)
		return;
	sysd_tcp_close_all(sd);
	sysrules_flush(&sd->rules);
	sysd_flush(sd);
	sysd_acks(sd);
	sysd_pend_free(sd);
	store_logbatch_free(sd->batch);
	for (int i = 0; i < sd->nls; i++) {
		struct sysd_listener *l = &sd->ls[i];

		rxpace_free(&l->pace);
		if (l->ev)
			event_free(l->ev);
		if (l->proto == LISTEN_UDP && l->fd >= 0)
			close(l->fd);
		sysd_tcp_free(l);
	}
	if (sd->ev_tick)
		event_free(sd->ev_tick);
	if (sd->ev_prune)
		event_free(sd->ev_prune);
	if (sd->ev_flush)
		event_free(sd->ev_flush);
	sysrules_free(&sd->rules);
	src_free(&sd->src);
	free(sd->ubuf);
	free(sd->umsg);
	free(sd->uiov);
	free(sd->uaddr);
	free(sd);
}
