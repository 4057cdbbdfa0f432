/*
 * plan_mod.c - inspection plans as a module of the daemon (module.h):
 * made at start, after the poller (whose good polls it hears through the
 * core's poll_ok, passed on to the findings stage as before); takes the
 * plans at every reload. Its control command: "plan-run PLAN", a
 * special inspection in the name of the user who asks.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "archive/archive.h"
#include "control.h"
#include "log.h"
#include "fengine.h"
#include "jread.h"
#include "module.h"
#include "poller.h"
#include "rrdw.h"
#include "plan.h"
#include "plan_archive.h"

struct plmod {
	struct plan_engine *e;
	struct parch *archive; /* NULL: the daemon cannot run itself */
	struct np_core *core;
	struct store *ro; /* reads: the writer's connection is its own */
	void (*next_ok)(void *, const char *, double); /* the findings' */
	void *next_arg;
};

static void
plmod_poll_ok(void *arg, const char *device, double start)
{
	struct plmod *m = arg;

	plan_poll_ok(m->e, device, start);
	if (m->next_ok)
		m->next_ok(m->next_arg, device, start);
}

static void
plmod_run(void *arg, const char *args, const struct control_peer *peer,
    struct jbuf *j)
{
	struct plmod *m = arg;
	char name[NP_NAME_MAX], err[256];

	if (sscanf(args, "%63s", name) != 1) {
		json_kstr(j, "error", "usage: plan-run PLAN");
		return;
	}
	if (plan_run_now(m->e, name, peer->name, j, err, sizeof(err)) == -1)
		json_kstr(j, "error", err);
}

/* the report reads the RRD files: the writer writes what it keeps, and
 * READY says when */
static int
plmod_rrd_flush(void *arg, struct event *ready)
{
	struct plmod *m = arg;

	return m->core->rrd != NULL
	    ? rrdw_flush_notify(m->core->rrd, NULL, ready)
	    : -1;
}

static void
plmod_done(void *arg, int64_t run)
{
	struct plmod *m = arg;

	parch_queue(m->archive, run);
}

/* fresh data for the runs, from the modules started after this one */
static int64_t
plmod_poll_now(void *arg, const char *device)
{
	struct plmod *m = arg;

	return m->core->poller ? poller_poll_now(m->core->poller, device) : -1;
}

static int64_t
plmod_polls(void *arg, const char *device)
{
	struct plmod *m = arg;

	return m->core->poller ? poller_polls(m->core->poller, device) : -1;
}

static int64_t
plmod_fetches(void *arg, const char *device, int64_t *good)
{
	struct plmod *m = arg;

	return m->core->archive
	    ? archive_fetches(m->core->archive, device, good)
	    : -1;
}

static int
plmod_fetch_now(void *arg, const char *device, const char *who)
{
	struct plmod *m = arg;
	char err[256];
	int64_t ended;

	if (m->core->archive == NULL)
		return -1;
	return archive_fetch(m->core->archive, device, "inspection", who,
	    &ended, err, sizeof(err));
}

struct pr_pick {
	char plan[NP_NAME_MAX];
	char state[16];
	int found;
};

static int
pr_pick_cb(void *arg, const struct store_planrun *r)
{
	struct pr_pick *p = arg;

	snprintf(p->plan, sizeof(p->plan), "%s", r->plan);
	snprintf(p->state, sizeof(p->state), "%s", r->state);
	p->found = 1;
	return 1;
}

/*
 * "plan-result RUN ITEM RESULT DEVICE|- SEVERITY|- [NOTE]": a manual
 * check's result for a run, in the name of the user who asks; a failure
 * on a device opens a finding (SEVERITY, default minor); the run's
 * archived report is made again with it.
 */
static void
plmod_result(void *arg, const char *args, const struct control_peer *peer,
    struct jbuf *j)
{
	struct plmod *m = arg;
	struct store_planresult x;
	struct store_planrun_filter f = {0};
	struct pr_pick pk = {0};
	const struct plan_conf *p;
	char res[8], dev[NP_NAME_MAX], sev[16];
	long long run;
	int item, off = 0;
	const char *note;

	if (sscanf(args, "%lld %d %7s %63s %15s %n", &run, &item, res, dev,
	        sev, &off) < 5 || off == 0) {
		json_kstr(j, "error",
		    "usage: plan-result RUN ITEM pass|fail|na DEVICE|- "
		    "SEVERITY|- [NOTE]");
		return;
	}
	note = args + off;
	if (strcmp(res, "pass") != 0 && strcmp(res, "fail") != 0 &&
	    strcmp(res, "na") != 0) {
		json_kstr(j, "error", "a result is pass, fail or na");
		return;
	}
	f.id = run;
	if (m->ro == NULL ||
	    store_get_planruns(m->ro, &f, pr_pick_cb, &pk) == -1 ||
	    !pk.found) {
		json_kstr(j, "error", "no such run (or it is not stored yet)");
		return;
	}
	if (strcmp(pk.state, "done") != 0) {
		json_kstr(j, "error", "the run was missed: nothing was checked");
		return;
	}
	if ((p = conf_find_plan(m->core->conf, pk.plan)) == NULL ||
	    item < 1 || item > p->nmanual) {
		json_kstr(j, "error", "the run's plan has no such manual check");
		return;
	}
	memset(&x, 0, sizeof(x));
	x.run = run;
	x.item = item;
	snprintf(x.name, sizeof(x.name), "%s", p->manual[item - 1]);
	snprintf(x.result, sizeof(x.result), "%s", res);
	if (strcmp(dev, "-") != 0)
		snprintf(x.device, sizeof(x.device), "%s", dev);
	snprintf(x.note, sizeof(x.note), "%s", note);
	snprintf(x.who, sizeof(x.who), "%s", peer->name);
	x.time = (double)time(NULL);
	if (strcmp(res, "fail") == 0 && x.device[0] != '\0' &&
	    m->core->fengine != NULL) {
		char cmd[NP_STR_MAX * 2 + 256], err[128];
		struct jbuf fj;
		struct jread *v;
		int rc;

		snprintf(cmd, sizeof(cmd), "open %s %s manual check \"%s\" "
		    "failed (plan %s, run %lld)%s%s", x.device,
		    strcmp(sev, "-") == 0 ? "minor" : sev, x.name, pk.plan,
		    run, note[0] ? ": " : "", note);
		jbuf_init(&fj);
		json_obj_open(&fj);
		rc = fengine_command(m->core->fengine, cmd, peer->name, &fj);
		json_obj_close(&fj);
		if (fj.s != NULL && (v = jread_parse(fj.s, err, sizeof(err)))) {
			if (rc == -1 && jread_kstr(v, "error") != NULL)
				json_kstr(j, "error", jread_kstr(v, "error"));
			else if (rc == 0)
				x.finding = (int64_t)jread_knum(v, "id");
			jread_free(v);
		}
		jbuf_free(&fj);
		if (rc == -1)
			return;
	}
	if (store_put_planresult(m->core->store, &x) == -1) {
		json_kstr(j, "error", "the store refused it");
		return;
	}
	/* once the result is in the store (two batch windows) */
	parch_queue_after(m->archive, run,
	    2 * m->core->conf->store_batch_ms + 500);
	json_kint(j, "run", run);
	json_kint(j, "item", item);
	json_kstr(j, "name", x.name);
	json_kstr(j, "result", x.result);
	json_key(j, "finding");
	if (x.finding > 0)
		json_int(j, x.finding);
	else
		json_null(j);
}

static const struct control_cmd plmod_cmds[] = {
    {"plan-run", plmod_run, CONTROL_CHANGE, "plan-run PLAN",
        "run PLAN now (a special inspection) in the name of the user who "
        "asks; the answer gives the run's id"},
    {"plan-result", plmod_result, CONTROL_CHANGE,
        "plan-result RUN ITEM pass|fail|na DEVICE|- SEVERITY|- [NOTE]",
        "enter the result of a run's manual check ITEM (1..) in the "
        "name of the user who asks; a failure on a device opens a "
        "finding"},
};

static int
plmod_start(struct np_core *core, void **statep, char *err, size_t errlen)
{
	struct plmod *m;
	struct store *ro;
	char e[1024];

	/* reads through a connection of the loop's own: the writer thread
	 * owns the store's */
	if ((ro = store_open(core->store_path, 1, e, sizeof(e))) == NULL)
		log_warnx("plans: %s", e);
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->e = plan_new(core->base, core->store, ro)) == NULL) {
		free(m);
		store_close(ro);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	m->ro = ro;
	*statep = m;
	m->core = core;
	m->next_ok = core->poll_ok;
	m->next_arg = core->poll_ok_arg;
	core->poll_ok = plmod_poll_ok;
	core->poll_ok_arg = m;
	if (core->exe[0] && core->conf_path != NULL) {
		m->archive = parch_new(core->base, core->store, m->ro, core->exe,
		    core->conf_path, core->defines);
		if (m->archive == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		plan_on_done(m->e, plmod_done, m);
		parch_before(m->archive, plmod_rrd_flush, m);
	}
	{
		struct plan_fresh_ops ops = {plmod_poll_now, plmod_polls,
		    plmod_fetches, plmod_fetch_now, m};

		plan_set_fresh(m->e, &ops);
	}
	plan_configure(m->e, core->conf);
	parch_catch_up(m->archive);
	if (core->control != NULL &&
	    control_add(core->control, plmod_cmds,
	        sizeof(plmod_cmds) / sizeof(plmod_cmds[0]), m) == -1) {
		snprintf(err, errlen, "control socket: too many commands");
		return -1;
	}
	return 0;
}

static void
plmod_reload(struct np_core *core, void *state, const struct config *old,
    const struct config *nc)
{
	struct plmod *m = state;

	(void)core;
	(void)old;
	if (m)
		plan_configure(m->e, nc);
}

static void
plmod_status(struct np_core *core, void *state, struct jbuf *j)
{
	struct plmod *m = state;

	(void)core;
	if (m) {
		plan_status(m->e, j);
		parch_status(m->archive, j);
	}
}

static void
plmod_stop(struct np_core *core, void *state)
{
	struct plmod *m = state;

	if (m == NULL)
		return;
	if (core->poll_ok == plmod_poll_ok) {
		core->poll_ok = m->next_ok;
		core->poll_ok_arg = m->next_arg;
	}
	plan_free(m->e);
	/* a flush that was asked for makes its event active: before it goes */
	if (parch_flushing(m->archive) && core->rrd != NULL)
		rrdw_sync(core->rrd);
	parch_free(m->archive);
	store_close(m->ro);
	free(m);
}

const struct np_module plan_module = {
    .name = "plans",
    .start = plmod_start,
    .reload = plmod_reload,
    .status = plmod_status,
    .stop = plmod_stop,
};
