/*
 * store_mod.c - the store (sqlite, its writer thread, the event bus that
 * numbers events from the store's) and the RRD writer, as a module of the
 * daemon (module.h): opened at init, as root; events pruned every hour.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "control.h"
#include "log.h"
#include "module.h"
#include "rrdw.h"
#include "store.h"

struct storemod {
	struct np_core *core;
	struct event *ev_prune;
};

static int
storemod_init(struct np_core *core, void **statep, char *err, size_t errlen)
{
	const struct config *c = core->conf;
	struct storemod *sm;
	struct sample_sink sk;
	struct rrdw_conf rc = {0};
	char e[1024], journal[sizeof(c->state_dir) + 32];

	if ((sm = calloc(1, sizeof(*sm))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	sm->core = core;
	*statep = sm;
	/* what devices send (auth logs included) is not for every local
	 * user: the state dir 0750 and the store 0640 whatever the umask,
	 * for the daemon's user and group (netpatrold.c) */
	if (module_mkdir(c->state_dir, 0750) == -1 ||
	    chmod(c->state_dir, 0750) == -1) {
		snprintf(err, errlen, "state-dir %s: %s", c->state_dir,
		    strerror(errno));
		return -1;
	}
	store_path_of(c->state_dir, c->store_pg, core->store_path,
	    sizeof(core->store_path));
	snprintf(core->rrd_dir, sizeof(core->rrd_dir), "%s/rrd", c->state_dir);
	if ((core->store = store_open(core->store_path, 0, e, sizeof(e))) ==
	    NULL) {
		snprintf(err, errlen, "store: %s", e);
		return -1;
	}
	/* (sqlite gives its -wal and -shm files the store's mode); the
	 * syslog messages' database too */
	for (int i = 0; i < 6 && !store_is_pg(core->store); i++) {
		static const char *const ext[] = {"", "-wal", "-shm"};
		char path[sizeof(core->store_path) + 8];

		snprintf(path, sizeof(path), "%s%s",
		    i < 3 ? core->store_path : store_log_path(core->store),
		    ext[i % 3]);
		if (chmod(path, 0640) == -1 && errno != ENOENT) {
			snprintf(err, errlen, "store: %s: %s", path,
			    strerror(errno));
			return -1;
		}
	}
	/* event ids go on from the store's, read before the writer starts */
	evbus_init(&core->bus, core->store);
	if (store_writer_start(
	        core->store, c->store_batch_ms, (size_t)c->store_queue) == -1) {
		snprintf(
		    err, errlen, "store writer thread: %s", strerror(errno));
		return -1;
	}
	snprintf(journal, sizeof(journal), "%s/%s", c->state_dir,
	    RRDW_JOURNAL_FILE);
	rc.dir = core->rrd_dir;
	rc.rrdcached = c->rrdcached;
	rc.journal = journal;
	rc.keep_step = c->rrd_keep_step;
	rc.batch_ms = c->store_batch_ms;
	rc.queue_max = (size_t)c->store_queue;
	rc.write_delay = c->rrd_write_delay;
	rc.batch = c->rrd_batch;
	if ((core->rrd = rrdw_start(&rc, e, sizeof(e))) == NULL) {
		snprintf(err, errlen, "rrd: %s", e);
		return -1;
	}
	sample_stream_init(&core->samples);
	if (c->rrd_off) {
		/* no RRD files: the writer runs for a journal left by an
		 * earlier start, and takes no new samples */
		log_info("rrd off: no RRD files are written");
		return 0;
	}
	rrdw_sink(core->rrd, &sk);
	if (sample_stream_add(&core->samples, &sk, err, errlen) == -1)
		return -1;
	return 0;
}

static void
storemod_prune(evutil_socket_t fd, short what, void *arg)
{
	struct np_core *core = arg;

	(void)fd;
	(void)what;
	store_prune_events(core->store,
	    (double)time(NULL) - (double)core->conf->event_keep_days * 86400.0);
}

/*
 * "rrd-flush [FILE]": write what the RRD writer keeps for FILE (a path, or
 * a name in the RRD folder), or for every file, and wait for it.
 */
static void
storemod_rrd_flush(void *arg, const char *args, const struct control_peer *peer,
    struct jbuf *j)
{
	struct np_core *core = arg;
	struct rrdw_flushed out = {0, 0, 0};
	char path[4096];

	(void)peer;
	while (*args == ' ')
		args++;
	if (*args == '\0')
		path[0] = '\0';
	else if (*args == '/')
		snprintf(path, sizeof(path), "%s", args);
	else if (strstr(args, "..") != NULL) {
		json_kstr(j, "error", "rrd-flush: a file of the RRD folder, "
		                      "or an absolute path");
		return;
	} else
		snprintf(path, sizeof(path), "%s/%s", core->rrd_dir, args);
	if (rrdw_flush(core->rrd, path[0] ? path : NULL, 1, &out) == -1) {
		json_kstr(j, "error", "rrd-flush: the RRD writer's queue is full");
		return;
	}
	if (path[0])
		json_kstr(j, "file", path);
	json_kuint(j, "files", out.files);
	json_kuint(j, "values", out.values);
	json_kuint(j, "errors", out.errors);
}

static const struct control_cmd storemod_cmds[] = {
    {"rrd-flush", storemod_rrd_flush, CONTROL_READ, "rrd-flush [FILE]",
        "write the RRD updates kept for FILE (or for every file) now, "
        "and wait"},
};

static int
storemod_start(struct np_core *core, void **statep, char *err, size_t errlen)
{
	struct storemod *sm = *statep;
	struct timeval hour = {3600, 0};

	sm->ev_prune =
	    event_new(core->base, -1, EV_PERSIST, storemod_prune, core);
	if (sm->ev_prune == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	event_add(sm->ev_prune, &hour);
	storemod_prune(-1, 0, core);
	if (core->control != NULL &&
	    control_add(core->control, storemod_cmds,
	        sizeof(storemod_cmds) / sizeof(storemod_cmds[0]), core) == -1) {
		snprintf(err, errlen, "control socket: too many commands");
		return -1;
	}
	return 0;
}

/* The files and the writers' settings stay until a restart. */
static int
storemod_reload_check(struct np_core *core, void *state,
    const struct config *old, struct config *nc, char *err, size_t errlen)
{
	(void)core;
	(void)state;
	(void)err;
	(void)errlen;
	module_keep(
	    nc->state_dir, sizeof(nc->state_dir), old->state_dir, "state-dir");
	module_keep(
	    nc->rrdcached, sizeof(nc->rrdcached), old->rrdcached, "rrdcached");
	if (nc->rrd_off != old->rrd_off) {
		log_warnx("reload: rrd %s takes effect at the next restart",
		    nc->rrd_off ? "off" : "on");
		nc->rrd_off = old->rrd_off;
	}
	if (nc->rrd_keep_step != old->rrd_keep_step ||
	    nc->rrd_write_delay != old->rrd_write_delay ||
	    nc->rrd_batch != old->rrd_batch ||
	    nc->store_batch_ms != old->store_batch_ms ||
	    nc->store_queue != old->store_queue)
		log_warnx("reload: rrd keep-step, write-delay, batch and store "
		          "settings change at the next restart");
	return 0;
}

/* A reload writes what the RRD writer keeps (without waiting for it). */
static void
storemod_reload(struct np_core *core, void *state, const struct config *old,
    const struct config *nc)
{
	(void)state;
	(void)old;
	(void)nc;
	if (rrdw_flush(core->rrd, NULL, 0, NULL) == -1)
		log_warnx("reload: the RRD writer's queue is full; its updates "
		          "are written later");
}

/* A writer's queue, as both stores' parts of the status have it. */
static void
storemod_writer_json(struct jbuf *j, const struct wq_stats *q, uint64_t sqlerr)
{
	json_kuint(j, "queued", q->queued);
	json_kuint(j, "written", q->written);
	json_kuint(j, "dropped", q->dropped);
	json_kuint(j, "batches", q->batches);
	json_kuint(j, "depth", q->depth);
	json_kuint(j, "depth_max", q->depth_max);
	json_kuint(j, "sql_errors", sqlerr);
}

static void
storemod_status(struct np_core *core, void *state, struct jbuf *j)
{
	struct wq_stats q;
	struct rrdw_stats rs;
	struct store_retry_stats rt;
	uint64_t sqlerr;

	(void)state;
	store_writer_stats(core->store, &q, &sqlerr);
	json_key(j, "store");
	json_obj_open(j);
	storemod_writer_json(j, &q, sqlerr);
	store_retry_stats(core->store, &rt);
	json_kuint(j, "failed_commits", rt.failed_commits);
	json_kuint(j, "retry_waiting", rt.waiting);
	json_kuint(j, "lost", rt.ops_lost + rt.logs_lost);
	json_obj_close(j);
	/* the syslog messages' writer (syslog.db), a thread of its own */
	if (store_log_writer_stats(core->store, &q, &sqlerr) == 0) {
		json_key(j, "log_store");
		json_obj_open(j);
		json_kstr(j, "file", store_log_path(core->store));
		storemod_writer_json(j, &q, sqlerr);
		json_obj_close(j);
	}
	rrdw_get_stats(core->rrd, &rs);
	json_key(j, "rrd");
	json_obj_open(j);
	json_kstr(j, "writer",
	    core->conf->rrd_off          ? "off"
	        : core->conf->rrdcached[0] ? "rrdcached"
	                                   : "librrd");
	json_kuint(j, "queued", rs.q.queued);
	json_kuint(j, "dropped", rs.q.dropped);
	json_kuint(j, "depth", rs.q.depth);
	json_kuint(j, "created", rs.created);
	json_kuint(j, "updates", rs.updates);
	json_kuint(j, "errors", rs.errors);
	json_kint(j, "write_delay", core->conf->rrdcached[0] ? 0 :
	    core->conf->rrd_write_delay);
	json_kint(j, "batch", core->conf->rrd_batch);
	json_kuint(j, "accepted", rs.accepted);
	json_kuint(j, "writes", rs.writes);
	json_kuint(j, "pending", rs.pending);
	json_kuint(j, "pending_files", rs.pending_files);
	json_kuint(j, "pending_bytes", rs.pending_bytes);
	json_kuint(j, "creating", rs.creating);
	json_kuint(j, "out_of_order", rs.out_of_order);
	json_kuint(j, "flushes", rs.flushes);
	json_kuint(j, "lock_waits", rs.lock_waits);
	json_kuint(j, "early_writes", rs.early);
	json_kuint(j, "replayed", rs.replayed);
	json_kuint(j, "replay_skipped", rs.replay_skipped);
	json_kuint(j, "replay_dropped", rs.replay_dropped);
	json_kuint(j, "replay_bad", rs.replay_bad);
	json_kuint(j, "journal_bytes", rs.journal_bytes);
	json_kuint(j, "journal_rewrites", rs.journal_rewrites);
	json_kuint(j, "journal_errors", rs.journal_errors);
	json_obj_close(j);
}

/* What is queued is written: the RRD files, then the store. */
static void
storemod_stop(struct np_core *core, void *state)
{
	struct storemod *sm = state;

	if (sm != NULL && sm->ev_prune != NULL)
		event_free(sm->ev_prune);
	free(sm);
	sample_stream_free(&core->samples);
	rrdw_stop(core->rrd);
	core->rrd = NULL;
	store_close(core->store);
	core->store = NULL;
}

const struct np_module store_module = {
    .name = "store",
    .init = storemod_init,
    .start = storemod_start,
    .reload_check = storemod_reload_check,
    .reload = storemod_reload,
    .status = storemod_status,
    .stop = storemod_stop,
};
