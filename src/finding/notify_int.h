/*
 * notify_int.h - what the notifier's files share: the routing of findings
 * to targets (notify_route.c, pure, unit-tested), the queues and their
 * counters (notify.c), the transports (notify_snmp.c, notify_syslog.c,
 * notify_mail.c, notify_exec.c) and child processes (notify_proc.c).
 * Not for the rest of the daemon.
 */
#ifndef NP_NOTIFY_INT_H
#define NP_NOTIFY_INT_H

#include <sys/queue.h>
#include <sys/types.h>

#include <stdint.h>

#include <event2/event.h>

#include "conf.h"
#include "finding.h"
#include "json.h"
#include "log.h"
#include "notify.h"

/*
 * Routing: which targets a change of a finding goes to. Targets are
 * numbered in the order of the configuration; a set of them is a bit mask.
 */
struct nroute {
	int n;
	const struct notify_conf *t[NP_MAX_NOTIFY];
	int esc[NP_MAX_NOTIFY]; /* the target each escalates to, or -1 */
};

/* What one change does. */
struct nplan {
	uint64_t send; /* targets it goes to now */
	uint64_t arm; /* targets whose escalation and repeat timers start */
	uint64_t engaged; /* targets that have it, after this change */
	int cancel; /* stop its timers */
	int forget; /* resolved: nothing more to remember of it */
};

void nroute_build(struct nroute *, const struct notify_conf *const *, int n);
/* Why a finding is never notified ("flapping", ...), or NULL. */
const char *nroute_skip(const struct finding *);
/* The target's filters take the finding. */
int nroute_match(const struct notify_conf *, const struct finding *);
/*
 * A change of F. KNOWN: the notifier remembers which targets have F
 * (ENGAGED); when it does not (started since, or forgot), the filters
 * decide alone.
 */
void nroute_change(const struct nroute *, const struct finding *,
    enum finding_change, int known, uint64_t engaged, struct nplan *);
/* Seconds to wait before attempt TRIES + 1: 1, 2, 4 ... at most 300. */
int nroute_backoff(int tries);

/*
 * A finding as the messages about it share it.
 */
struct nfind {
	int refs;
	struct finding f;
};

struct nmsg {
	TAILQ_ENTRY(nmsg) entry;
	struct nfind *nf;
	enum finding_change change;
	double queued; /* when (latency) */
	int tries; /* attempts made */
};
TAILQ_HEAD(nmsg_q, nmsg);

/* A target's counters: kept by name, across reloads. */
struct nstats {
	char name[NP_NAME_MAX];
	uint64_t sent, failed, retries, dropped, escalations, repeats;
	double last_sent, last_error_at;
	double lat_last, lat_max, lat_sum; /* seconds, queued to sent */
	char last_error[256];
};

struct ntarget;

/* A way to deliver: opened at configure, reopened after a failure. */
struct ntransport {
	int (*open)(struct ntarget *, char *err, size_t errlen);
	/*
	 * Start delivering M: 0 delivered, -1 failed (ERR says why), 1 under
	 * way: notify_done() tells, later, from the loop.
	 */
	int (*send)(struct ntarget *, struct nmsg *m, char *err, size_t);
	/* Close; a delivery under way is abandoned (no notify_done). */
	void (*close)(struct ntarget *);
	/* Its own fields in the target's status object, if any. */
	void (*status)(struct ntarget *, struct jbuf *);
};

extern const struct ntransport notify_snmp_transport;
extern const struct ntransport notify_syslog_transport;
extern const struct ntransport notify_mail_transport;
extern const struct ntransport notify_exec_transport;

struct nproc;

struct ntarget {
	struct notifier *n;
	struct notify_conf c;
	int idx;
	const struct ntransport *tr;
	void *tp; /* the transport's state; NULL: not open */
	struct nmsg_q q;
	int depth;
	struct nmsg *cur; /* being delivered, or waiting to be retried */
	int busy; /* cur is under way */
	int in_send, sync_done, sync_ok; /* notify_done() inside send() */
	char sync_err[256];
	struct event *ev_retry;
	struct nstats *st;
	struct complaint fault; /* failed attempts */
	struct complaint loss; /* messages dropped */
	struct nproc *proc; /* mail and exec: the child at work */
};

/* The loop's base, the sendmail path and the daemon's uptime. */
struct event_base *notify_base(struct notifier *);
const char *notify_sendmail(struct notifier *);
double notify_uptime(struct notifier *);
double notify_now(void);
/* A transport's delivery under way is over. */
void notify_done(struct ntarget *, int ok, const char *err);

/*
 * Child processes (mail, exec): PROG with ARGV and ENVP, IN on its
 * standard input; standard output and error are kept (the end of them
 * says why it failed). Success: exit status 0 within the timeout. The
 * result comes through notify_done(). One per target at a time.
 */
int nproc_start(struct ntarget *, char *const argv[], char *const envp[],
    const char *in, size_t inlen, char *err, size_t errlen);
/* Abandon the target's child: killed, reaped later. */
void nproc_cancel(struct ntarget *);
/* SIGCHLD: reap the notifier's children (only those). */
void nproc_reap(struct notifier *);
/* At stop: kill and reap every child left. */
void nproc_shutdown(struct notifier *);
struct nproc **nproc_orphans(struct notifier *);

/* Formatting shared by the transports. */
/* "port Gi0/1 down: Interface Gi0/1 changed state to down" */
void notify_text(const struct finding *, char *buf, size_t len);
/* Cut S to at most MAX bytes, never inside a UTF-8 character. */
size_t notify_utf8_cut(const char *s, size_t max);
const char *notify_severity_name(int);

#endif
