/*
 * control_mod.c - the control socket as a module of the daemon (module.h),
 * and the daemon's own commands: "status" (the daemon's state, then each
 * module's in the table's order) and "reload". The other modules add
 * theirs (fengine_mod.c: "finding"); control.c knows "ping" and "help".
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "log.h"
#include "module.h"
#include "store.h"

/*
 * A change's answer waits for the store's commit (control.h): the store
 * runs this on the loop, which releases it if the socket is still there
 * (the module's one instance).
 */
static struct np_core *ctlmod_core;

static void
ctlmod_committed(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	if (ctlmod_core != NULL && ctlmod_core->control != NULL)
		control_release(ctlmod_core->control, (uint64_t)(uintptr_t)arg);
}

static int
ctlmod_after_change(void *arg, uint64_t id)
{
	struct np_core *core = arg;

	if (core->store == NULL)
		return -1;
	return store_when_written(core->store, core->base, ctlmod_committed,
	    (void *)(uintptr_t)id);
}

static void
ctlmod_status(void *arg, const char *args, const struct control_peer *peer,
    struct jbuf *j)
{
	struct np_core *core = arg;

	(void)args;
	(void)peer;
	json_kstr(j, "version", PACKAGE_VERSION);
	json_kint(j, "pid", getpid());
	json_kint(j, "started", core->started);
	json_kint(j, "uptime", time(NULL) - core->started);
	json_kstr(j, "config", core->conf->path);
	json_kstr(j, "state_dir", core->conf->state_dir);
	json_kuint(j, "reloads", core->reloads);
	json_kuint(j, "reload_failures", core->reload_failures);
	module_status(core, j);
}

/* Only the request: the loop reloads when it takes the signal. */
static void
ctlmod_reload(void *arg, const char *args, const struct control_peer *peer,
    struct jbuf *j)
{
	(void)arg;
	(void)args;
	(void)peer;
	raise(SIGHUP);
	json_kstr(j, "reload", "requested");
}

static const struct control_cmd ctlmod_cmds[] = {
    {"status", ctlmod_status, CONTROL_READ, "status",
        "the daemon's state and counters, and each module's"},
    {"reload", ctlmod_reload, CONTROL_CHANGE, "reload",
        "read the configuration again, as SIGHUP does"},
};

static int
ctlmod_check(const struct config *c, char *err, size_t errlen)
{
	struct control_access a;
	gid_t g;
	char e[256];

	if (c->control_group[0] && control_group_id(c->control_group, &g) == -1) {
		snprintf(err, errlen, "control group \"%s\": no such group",
		    c->control_group);
		return -1;
	}
	if (control_access_resolve(c->control_read_group,
	        c->control_change_group, &a, e, sizeof(e)) == -1) {
		snprintf(err, errlen, "control %s", e);
		return -1;
	}
	return 0;
}

static int
ctlmod_init(struct np_core *core, void **statep, char *err, size_t errlen)
{
	const struct config *c = core->conf;
	struct control_access a;
	gid_t g = (gid_t)-1;
	char e[1024];

	if (ctlmod_check(c, err, errlen) == -1)
		return -1;
	if (c->control_group[0])
		(void)control_group_id(c->control_group, &g);
	(void)control_access_resolve(
	    c->control_read_group, c->control_change_group, &a, e, sizeof(e));
	if ((core->control = control_start(core->base, c->control, g,
	         (mode_t)c->control_mode, e, sizeof(e))) == NULL) {
		snprintf(err, errlen, "control socket: %s", e);
		return -1;
	}
	control_set_access(core->control, &a);
	ctlmod_core = core;
	control_set_after_change(core->control, ctlmod_after_change, core);
	*statep = core->control;
	if (control_add(core->control, ctlmod_cmds,
	        sizeof(ctlmod_cmds) / sizeof(ctlmod_cmds[0]), core) == -1) {
		snprintf(err, errlen, "control socket: too many commands");
		return -1;
	}
	return 0;
}

/*
 * The socket was made at start: its path, group and mode change at a
 * restart; who may run what changes now.
 */
static int
ctlmod_reload_check(struct np_core *core, void *state, const struct config *old,
    struct config *nc, char *err, size_t errlen)
{
	(void)core;
	(void)state;
	if (ctlmod_check(nc, err, errlen) == -1)
		return -1;
	module_keep(nc->control, sizeof(nc->control), old->control, "control");
	module_keep(nc->control_group, sizeof(nc->control_group),
	    old->control_group, "control group");
	if (nc->control_mode != old->control_mode) {
		log_warnx("reload: control mode changes at the next restart");
		nc->control_mode = old->control_mode;
	}
	return 0;
}

static void
ctlmod_apply(struct np_core *core, void *state, const struct config *old,
    const struct config *nc)
{
	struct control_access a;
	char e[256];

	(void)core;
	(void)old;
	if (control_access_resolve(nc->control_read_group,
	        nc->control_change_group, &a, e, sizeof(e)) == 0)
		control_set_access(state, &a);
}

static void
ctlmod_stop(struct np_core *core, void *state)
{
	control_stop(state);
	core->control = NULL;
	ctlmod_core = NULL;
}

const struct np_module control_module = {
    .name = "control",
    .check = ctlmod_check,
    .init = ctlmod_init,
    .reload_check = ctlmod_reload_check,
    .reload = ctlmod_apply,
    .stop = ctlmod_stop,
};
