/*
 * fengine_int.h - what the findings stage's files share (fengine.c: the
 * events; fcmd.c: people's actions). Not for the rest of the daemon.
 */
#ifndef NP_FENGINE_INT_H
#define NP_FENGINE_INT_H

#include "fengine.h"
#include "fsm.h"
#include <limits.h>

#include "hmap.h"
#include "log.h"

#define FE_FLIPS 32 /* transitions remembered for flapping */
#define FE_TICK 2 /* seconds between housekeeping rounds */
#define FE_REPEAT_HIST 60 /* seconds between history rows of a repeat */

struct frt {
	struct finding f;
	double flips[FE_FLIPS]; /* times of open <-> resolved */
	int nflips;
	int held_open; /* an opening not notified because it was held */
	/* the same fault seen again: counted at once, its row written by the
	 * next tick, its history said at most every FE_REPEAT_HIST */
	int dirty;
	double repeat_hist; /* when a repeat was last said in its history */
	unsigned long repeats; /* repeats since then */
};

/* A device as findings see it. */
struct fdev {
	char name[NP_NAME_MAX];
	char location[NP_STR_MAX];
	char owner[NP_NAME_MAX];
	char depends[NP_NAME_MAX];
	int impact;
	/* with probes, unreachable is SNMP's word and a probe's (fe_reach) */
	int probes, snmp_down, probe_down;
	enum np_severity held_sev; /* SNMP's device.unreachable, held */
	char held_text[256];
};

struct fengine {
	struct event_base *base;
	struct store *store;
	struct event *ev_tick;
	struct hmap by_key; /* key -> frt */
	struct hmap by_id; /* id -> frt */
	struct hmap devs; /* name -> fdev */
	int64_t next_id, id_end; /* ids to use: [next_id, id_end) */
	/* a cluster sharing its store (fengine_own.c): the devices this node
	 * holds, once told (owned_set); where to read the store again */
	struct hmap owned;
	int owned_set;
	char store_path[PATH_MAX + 32];
	fengine_change_fn change;
	fengine_settled_fn settled;
	void *larg;
	/* configuration */
	int close_after, flap_count, flap_secs;
	int respond[5], resolve[5];
	struct maint_conf *maint;
	int nmaint;
	/* counters */
	uint64_t opened, reopened, resolved, verified, closed, notified, held;
	uint64_t store_dropped; /* findings and history the store refused */
	struct complaint c_store;
};

double fe_now(void);
void fe_history(struct fengine *, const struct finding *, const char *action,
    const char *actor, int64_t event_id, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void fe_save(struct fengine *, struct frt *);
void fe_notify(struct fengine *, struct frt *, enum finding_change);
void fe_forget(struct fengine *, struct frt *);
void fe_flip(struct fengine *, struct frt *, double now);
void fe_deadlines(struct fengine *, struct finding *, double from);
int64_t fe_next_id(struct fengine *, int take);
int fe_load(void *fengine, const struct finding *);
struct frt *fe_open(
    struct fengine *, const char *key, const struct np_event *, double now);

#endif
