/*
 * archive_int.h - what the archive's files share: archive.c (devices,
 * schedule, triggers, the queue of fetches, baselines, status),
 * archive_version.c (a fetch's output made a version, or a failure),
 * archive_mod.c (the daemon's module and control commands).
 */
#ifndef NP_ARCHIVE_INT_H
#define NP_ARCHIVE_INT_H

#include <sys/queue.h>

#include "archive.h"
#include "hmap.h"
#include "log.h"
#include "proc.h"
#include "config/cfgplat.h"

struct cfg_rules;
struct cfg_policy;

/* A device whose configuration is archived. */
struct arch_dev {
	struct archive *a;
	char name[NP_NAME_MAX];
	char address[NP_STR_MAX];
	struct cfgfetch_conf cfg;
	int present; /* in the running configuration, with a fetch */
	struct event *ev_due; /* the next fetch: scheduled or coalesced */
	double due; /* when ev_due fires, 0 when not armed */
	double last_start; /* when the last fetch began */
	struct proc *proc; /* the fetch under way */
	int queued; /* waiting for a free slot */
	TAILQ_ENTRY(arch_dev) qentry;
	char why[NP_STR_MAX]; /* the trigger of the fetch under way */
	char who[64]; /* and who it names */
	int again; /* a trigger came during it: fetch again */
	char again_why[NP_STR_MAX], again_who[64];
	struct store_cfgstate st; /* written after each fetch */
	/* the newest version, and the baseline (loaded on first use) */
	int loaded;
	int has_last;
	struct store_cfgversion last;
	int last_depth;
	void *last_z; /* the newest stored text, deflated */
	size_t last_zlen;
	int has_baseline;
	struct store_cfgbaseline baseline;
	char baseline_hash[STORE_CFG_HASH]; /* its compare hash */
	int drift; /* config.drift said and not cleared */
	/* compliance: the policies it names, each rule's last result */
	char policies[NP_DEV_POLICIES][NP_NAME_MAX];
	int npolicies;
	struct hmap checks; /* "compliance:POLICY:RULE" -> 1 pass, 2 fail */
	int checks_loaded;
};

struct archive {
	struct event_base *base;
	struct store *store; /* the writer */
	struct store *ro; /* our reader */
	char store_path[PATH_MAX + 32];
	struct evbus *bus;
	unsigned char key[ARCHIVE_KEY_LEN];
	struct hmap devs; /* name -> arch_dev */
	struct cfg_rules *rules;
	int max_versions, keep_days, max_inflight, fail_count;
	int64_t max_size;
	int inflight;
	struct {
		char name[NP_NAME_MAX];
		struct cfg_policy *p;
	} *pols;
	int npols;
	uint64_t evaluations;
	TAILQ_HEAD(, arch_dev) queue;
	/* counters for status */
	uint64_t fetches, failed, versions, unchanged, triggers, coalesced;
	uint64_t store_dropped;
	struct complaint c_store;
};

/* archive.c */
double arch_now(void);
void arch_emit(struct archive *, const char *device, const char *kind,
    const char *key, int severity, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void arch_load(struct archive *, struct arch_dev *);
void arch_save_state(struct archive *, struct arch_dev *);
void arch_check_drift(struct archive *, struct arch_dev *, const char *why);

/* archive_comply.c */
void arch_comply(struct arch_dev *, const char *text, size_t len,
    enum cfg_platform);
int arch_policies(struct archive *, const struct config *, char *err,
    size_t errlen);

/* archive_version.c: the fetch of D ended with R */
void arch_fetched(struct arch_dev *d, struct proc_result *r);
/* The stored text of D's newest version (malloc'd), or NULL. */
char *arch_last_text(struct arch_dev *, size_t *len);
/* hex SHA-256 of [P, P+N) into OUT (STORE_CFG_HASH bytes) */
void arch_sha256(const void *p, size_t n, char *out);

#endif
