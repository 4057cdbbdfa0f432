/*
 * device.h - what the poller keeps for each device between polls, and
 * the interface the walk plans (ifmib.c) share with the scheduler.
 */
#ifndef NP_SNMP_DEVICE_H
#define NP_SNMP_DEVICE_H

#include <sys/queue.h>

#include "conf.h"
#include "event.h"
#include "hmap.h"
#include "inventory.h"
#include "log.h"
#include "rate.h"
#include "resolve.h"
#include "rrdw.h"
#include "sample.h"
#include "session.h"
#include "store.h"
#include "walk.h"

struct poller;
struct health;

/* A port as the poller remembers it between polls; its identity is NAME. */
struct port_rt {
	/* its name and RRD file ("" none), in the allocation's tail, as
	 * long as they are (480,000 ports of 10,000 switches took 370 MB
	 * more with both inline at their longest) */
	const char *name, *rrd;
	uint32_t ifindex;
	struct counter ctr[SAMPLE_PORT_N];
	int admin, oper; /* last seen (0: never) */
	uint32_t disc_time; /* ifCounterDiscontinuityTime */
	int has_disc;
	unsigned long seen_poll; /* the poll that last saw it */
	char buf[]; /* name, rrd */
};

/* One row of ifTable + ifXTable, as read in this poll. */
enum if_field {
	IF_DESCR,
	IF_TYPE,
	IF_SPEED,
	IF_ADMIN,
	IF_OPER,
	IF_LASTCHANGE,
	IF_NAME,
	IF_HIGHSPEED,
	IF_ALIAS,
	IF_DISC,
	IF_C32_FIRST, /* 12 Counter32 */
	IF_C64_FIRST = IF_C32_FIRST + SAMPLE_PORT_N, /* 8 Counter64 */
	IF_NFIELDS = IF_C64_FIRST + SAMPLE_PORT_N
};

struct if_row {
	uint32_t ifindex;
	uint64_t have; /* bit per if_field */
	uint64_t num[IF_NFIELDS];
	char descr[NP_STR_MAX];
	char name[NP_STR_MAX];
	char alias[NP_STR_MAX];
	double t; /* when its counters arrived */
};

/* cfgpoll.c: what the device says of its configuration's changes */
struct cfgpoll {
	uint64_t run, start; /* this poll's values */
	int got_run, got_start;
	uint64_t last_run;
	int seen; /* last_run is known */
	int moved; /* a change was seen since the boot */
	int unsaved; /* -1 unknown, 0, 1 */
};

enum dev_state { DEV_IDLE = 0, DEV_QUEUED, DEV_POLLING };
enum dev_phase {
	PH_SYSTEM = 0,
	PH_IFTABLE,
	PH_IFXTABLE,
	PH_HEALTH,
	PH_DONE,
	PH_RESOLVE /* its host name, before the session opens */
};

struct device_rt {
	TAILQ_ENTRY(device_rt) entry; /* all devices */
	TAILQ_ENTRY(device_rt) qentry; /* waiting for a poll slot */
	/*
	 * The running configuration's (24 KB a device: not copied), made
	 * to point at the new one's at a reload; a device removed from it
	 * while polled has a copy of its own until its poll ends (own_conf).
	 */
	const struct device_conf *conf;
	struct device_conf *own_conf;
	struct poller *p;
	struct snmpsess ss;
	struct snmp_engine engine;
	struct snmpsess_counters ctr;
	struct event *ev_poll;
	struct event *ev_finish;
	enum dev_state state;
	enum dev_phase phase;
	int removed; /* dropped by a reload: free after its poll */
	int mine; /* polled by this node (always, but in a cluster) */
	int changed; /* settings changed by a reload: reopen */
	int poll_again; /* asked for during a poll: another right after */

	/* this poll */
	/* this poll's column walk: 100 KB, allocated for the poll only (a
	 * device between polls holds none: 10,000 devices took 1 GB) */
	struct walk *walk;
	struct walk_stats wst;
	struct if_row *rows;
	size_t nrows, caprows;
	struct hmap row_by_index;
	double poll_start;
	int poll_ok;
	char poll_error[256];
	unsigned long ctr_requests0, ctr_timeouts0;

	/* remembered */
	struct hmap ports; /* port_rt by name */
	struct hmap port_by_index; /* port_rt by ifIndex (this poll's) */
	unsigned long npolls;
	/* its polls' round is npolls + gen_off: a device added by a reload
	 * or given by the cluster's leases joins the node's next round */
	unsigned long gen_off;
	int reachable; /* -1 unknown, 0, 1 */
	uint64_t uptime; /* sysUpTime ticks at uptime_at */
	double uptime_at;
	char sys_name[NP_STR_MAX];
	char sys_descr[512];
	char sys_object_id[NP_STR_MAX];
	struct store_stats stats;
	struct complaint c_poll;
	struct health *health; /* health.c's, NULL until first walked */
	struct complaint c_bad;
	struct complaint c_disc;
	/* the address as the session uses it: a host name resolved (evdns) */
	char addr[RESOLVE_ADDRSTRLEN]; /* "" until resolved */
	int addr_stale; /* a reload: resolve again at the next poll */
	unsigned long addr_gen, addr_req_gen; /* reloads; the one asked */
	struct resolve *resolving;
	double resolve_after; /* a failure: not again before */
	char addr_error[256];
	struct cfgpoll cfgpoll;
	struct complaint c_events; /* events dropped: store queue full */
	uint64_t events_dropped;
	uint64_t counter_resets; /* counters that went back: new baselines */
	uint64_t ports_skipped; /* polls whose two interface tables disagreed */
	int if_disagree_run; /* such polls in a row */
};
/* Polls in a row whose interface tables disagree that leave the ports as
 * they were; after them the tables are taken as they come (an agent whose
 * tables always disagree is polled as before, with a warning). */
#define IFMIB_DISAGREE_SKIP 3

/* poller.c */
void poller_emit(struct device_rt *, const char *kind, const char *key,
    enum np_severity, const char *object, const char *old_state,
    const char *new_state, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/* STATUS is a walk_status; WHY says what went wrong, if anything. */
void poller_phase_done(struct device_rt *, int status, const char *why);
struct store *poller_store(struct poller *);
/* Where what polls learn (sysName, ports) goes for the other modules. */
struct inventory *poller_inventory(struct poller *);
/* Emit a set to the sample stream; a drop is counted (samples_dropped). */
int poller_sample(struct device_rt *, const struct sample_set *);
const char *poller_rrd_dir(struct poller *);
double poller_now(struct poller *);
/* The global threshold rules of the configuration in force. */
const struct threshold_conf *poller_thresholds(struct poller *, int *n);

/* cfgpoll.c */
void cfgpoll_add_vars(struct device_rt *, netsnmp_pdu *);
int cfgpoll_vb(struct device_rt *, const netsnmp_variable_list *);
void cfgpoll_done(struct device_rt *, int rebooted);

/* ifmib.c */
int ifmib_walk_iftable(struct device_rt *);
int ifmib_walk_ifxtable(struct device_rt *);
void ifmib_process(struct device_rt *);
void ifmib_reset_counters(struct device_rt *);
/* A port NAME of D, zeroed, with its RRD file's path; NULL no memory. */
struct port_rt *ifmib_port_new(const struct device_rt *d, const char *name);
void ifmib_counters_text(const struct port_rt *, char *buf, size_t len);
void ifmib_counters_parse(struct port_rt *, const char *text);
void ifmib_free_ports(struct device_rt *);
const char *ifmib_state_name(int admin, int oper);

/* health.c */
int health_walk(struct device_rt *);
void health_process(struct device_rt *);
void health_load(struct device_rt *, const struct store_sensor *);
void health_free(struct device_rt *);
size_t health_count(struct device_rt *);

#endif
