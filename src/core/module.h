/*
 * module.h - the daemon's life cycle, as a static table of modules (the
 * store and RRD writer, the control socket, the notifier, the findings
 * engine, the poller, the trap and syslog receivers). Each module fits
 * itself into the table through a small adapter beside it (store_mod.c,
 * control_mod.c, notify_mod.c, fengine_mod.c, poller_mod.c, trap_mod.c,
 * syslog_mod.c); netpatrold.c holds the table and walks it:
 *
 *   check   -n and start: is the configuration usable (as root)?
 *   init    before privileges are dropped: open the store, bind sockets
 *   start   after the drop, on the event loop (a module whose init made
 *           nothing makes its state here)
 *   reload  old -> new, in two passes: every module's reload_check may
 *           refuse the new configuration (nothing has changed yet: the
 *           running one stays) or keep in it what only a restart changes;
 *           then every module's reload takes it, and cannot fail
 *   status  its part of the control socket's "status" answer (in the
 *           table's order, or one of the daemon's choosing)
 *   stop    in the reverse order
 *
 * Any of the functions may be NULL. A module keeps its own state (the
 * pointer its init or start gives); what one module offers the others
 * (the store, the event bus, the poller's ports) is in struct np_core.
 */
#ifndef NP_MODULE_H
#define NP_MODULE_H

#include <sys/types.h>

#include <limits.h>
#include <stddef.h>
#include <time.h>

#include <event2/event.h>

#include "conf.h"
#include "evbus.h"
#include "json.h"
#include "sample.h"

struct control;
struct fengine;
struct notifier;
struct poller;
struct inventory;
struct rrdw;
struct store;

struct np_module;

/* What the daemon and its modules share. */
struct np_core {
	struct event_base *base;
	struct config *conf; /* the running configuration */
	time_t started;
	unsigned long reloads, reload_failures;
	char store_path[PATH_MAX + 32]; /* STATE/netpatrol.db */
	char rrd_dir[PATH_MAX + 8]; /* STATE/rrd */
	/* how the daemon was started: a module may run it again (plans) */
	char exe[PATH_MAX]; /* "" when /proc/self/exe could not be read */
	const char *conf_path;
	char *const *defines; /* "NAME=VALUE" of -D, NULL ended */

	/* what a module offers the others, set by its init or start */
	struct store *store; /* store */
	struct evbus bus; /* store: events, numbered and stored */
	struct rrdw *rrd; /* store */
	struct sample_stream samples; /* store: the RRD writer, then other sinks */
	struct control *control; /* control: modules add their commands */
	struct notifier *notifier; /* notify: the findings engine tells it */
	struct fengine *fengine; /* findings */
	struct poller *poller; /* poller */
	struct archive *archive; /* config: the configuration archive */
	/* poller: devices, sysNames and ports for the receivers */
	struct inventory *inv;
	/* findings: a device answered a poll that began at START */
	void (*poll_ok)(void *arg, const char *device, double start);
	void *poll_ok_arg;

	/* the table, and each module's state */
	const struct np_module *const *modules;
	void **state;
	size_t nmodules, ninit; /* in the table, initialised */
	/* the modules' parts of "status", by name (NULL: the table's) */
	const char *const *status_order;
	size_t nstatus;
};

struct np_module {
	const char *name;
	int (*check)(const struct config *, char *err, size_t errlen);
	int (*init)(struct np_core *, void **statep, char *err, size_t errlen);
	int (*start)(struct np_core *, void **statep, char *err, size_t errlen);
	int (*reload_check)(struct np_core *, void *state,
	    const struct config *old, struct config *nc, char *err,
	    size_t errlen);
	void (*reload)(struct np_core *, void *state, const struct config *old,
	    const struct config *nc);
	void (*status)(struct np_core *, void *state, struct jbuf *);
	void (*stop)(struct np_core *, void *state);
};

/*
 * Give CORE the table MODS (N of them), and the order of their parts of
 * the "status" answer (NSTATUS names; NULL: the table's); 0, or -1 out of
 * memory.
 */
int module_table(struct np_core *, const struct np_module *const *mods,
    size_t n, const char *const *status_order, size_t nstatus);
/* The walks: 0, or -1 with the first failing module's reason in ERR. */
int module_check(const struct np_module *const *mods, size_t n,
    const struct config *, char *err, size_t errlen);
int module_init(struct np_core *, char *err, size_t errlen);
int module_start(struct np_core *, char *err, size_t errlen);
/*
 * Take NC, or refuse it (-1, ERR) with nothing changed. On success the
 * modules run with NC, which CORE owns from then on; the caller frees
 * the old configuration.
 */
int module_reload(
    struct np_core *, struct config *nc, char *err, size_t errlen);
void module_status(struct np_core *, struct jbuf *);
/*
 * Stop every module whose init was called (the one that failed too, with
 * what its init left in its state), last first, and forget them.
 */
void module_stop(struct np_core *);

/*
 * For a reload_check: FIELD of the new configuration (SIZE bytes) takes
 * back OLD, with a warning naming the keyword, when only a restart can
 * change it.
 */
void module_keep(char *field, size_t size, const char *old, const char *name);
/* mkdir -p PATH: 0, or -1 and errno. */
int module_mkdir(const char *path, mode_t mode);

/* The modules' adapters, in the order the daemon walks them. */
extern const struct np_module rwrite_module;
extern const struct np_module store_module;
extern const struct np_module control_module;
extern const struct np_module notify_module;
extern const struct np_module fengine_module;
extern const struct np_module poller_module;
extern const struct np_module cluster_module;
extern const struct np_module trapd_module;
extern const struct np_module syslogd_module;
extern const struct np_module archive_module;
extern const struct np_module probe_module;
extern const struct np_module http_module;
extern const struct np_module pcap_module;
extern const struct np_module plan_module;

#endif
