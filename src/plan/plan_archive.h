/*
 * plan_archive.h - each done run's report frozen into the store's
 * archive: the daemon runs itself ("netpatrold -f CONF -R RUN", as its
 * own user, with execve) to make the report in every format off the
 * loop, reads the bundle it writes (report_bundle.h) and stores the
 * copies. One child at a time; runs wait in a bounded queue; at start,
 * the recent runs without a copy (the daemon stopped before) are queued.
 */
#ifndef NP_PLAN_ARCHIVE_H
#define NP_PLAN_ARCHIVE_H

#include <stdint.h>

#include <event2/event.h>

#include "json.h"

struct store;
struct parch;

#define PARCH_QUEUE_MAX 256 /* runs waiting for their report */
#define PARCH_TIMEOUT 900 /* seconds one report may take */
#define PARCH_CATCHUP_DAYS 7 /* at start: runs this recent without one */

/*
 * EXE: the daemon's program; CONF_PATH and DEFINES ("-D" NAME=VALUE, NULL
 * ended): its configuration, as the child must read it.
 */
struct parch *parch_new(struct event_base *, struct store *,
    struct store *ro, const char *exe,
    const char *conf_path, char *const *defines);
/* Queue RUN's report. */
void parch_queue(struct parch *, int64_t run);
/*
 * Queue RUN's report again, to be made no sooner than DELAY_MS from now
 * (what was just written for it must be in the store first).
 */
void parch_queue_after(struct parch *, int64_t run, int delay_ms);
/* Queue the done runs of the last PARCH_CATCHUP_DAYS that have none. */
void parch_catch_up(struct parch *);
/*
 * BEFORE(ARG, READY) before each report is made: the RRD writer's flush,
 * which makes the event READY active (from any thread) once the files
 * hold every update taken, and the report is made then; 0, or -1 when it
 * cannot (the report is made at once). While one is awaited
 * (parch_flushing), READY must stay: the caller waits for the writer
 * (rrdw_sync) before parch_free.
 */
typedef int (*parch_before_fn)(void *arg, struct event *ready);
void parch_before(struct parch *, parch_before_fn, void *arg);
int parch_flushing(const struct parch *);
void parch_status(struct parch *, struct jbuf *);
void parch_free(struct parch *);

#endif
