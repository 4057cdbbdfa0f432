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
#include "module.h"

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
    {"status", ctlmod_status, CONTROL_ANYONE, "status",
        "the daemon's state and counters, and each module's"},
    {"reload", ctlmod_reload, CONTROL_ANYONE, "reload",
        "read the configuration again, as SIGHUP does"},
};

static int
ctlmod_init(struct np_core *core, void **statep, char *err, size_t errlen)
{
	char e[1024];

	if ((core->control = control_start(
	         core->base, core->conf->control, e, sizeof(e))) == NULL) {
		snprintf(err, errlen, "control socket: %s", e);
		return -1;
	}
	*statep = core->control;
	if (control_add(core->control, ctlmod_cmds,
	        sizeof(ctlmod_cmds) / sizeof(ctlmod_cmds[0]), core) == -1) {
		snprintf(err, errlen, "control socket: too many commands");
		return -1;
	}
	return 0;
}

/* The socket was made at start: its path changes at a restart. */
static int
ctlmod_reload_check(struct np_core *core, void *state, const struct config *old,
    struct config *nc, char *err, size_t errlen)
{
	(void)core;
	(void)state;
	(void)err;
	(void)errlen;
	module_keep(nc->control, sizeof(nc->control), old->control, "control");
	return 0;
}

static void
ctlmod_stop(struct np_core *core, void *state)
{
	control_stop(state);
	core->control = NULL;
}

const struct np_module control_module = {
    .name = "control",
    .init = ctlmod_init,
    .reload_check = ctlmod_reload_check,
    .stop = ctlmod_stop,
};
