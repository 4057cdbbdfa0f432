/*
 * fengine_mod.c - the findings engine as a module of the daemon
 * (module.h): it follows the event bus from the start, tells the notifier
 * (made before it) every change, hears from the poller (made after it)
 * which devices answered, and adds the control socket's "finding"
 * command: people's actions, attributed to the user who asks.
 */
#include "config.h"

#include <stdio.h>

#include "control.h"
#include "fengine.h"
#include "module.h"
#include "notify.h"

static void
fmod_notify(void *arg, const struct finding *f, enum finding_change c)
{
	notify_finding(arg, f, c);
}

static void
fmod_settled(void *arg, int64_t id)
{
	notify_settled(arg, id);
}

static void
fmod_poll_ok(void *arg, const char *device, double start)
{
	fengine_poll_ok(arg, device, start);
}

static void
fmod_finding(void *arg, const char *args, const struct control_peer *peer,
    struct jbuf *j)
{
	(void)fengine_command(arg, args, peer->name, j);
}

static const struct control_cmd fmod_cmds[] = {
    {"finding", fmod_finding, CONTROL_CHANGE,
        "finding ACTION ID [TEXT] | finding open DEVICE SEVERITY TITLE",
        "act on a finding (ACTION: ack, resolve, verify, close, note, "
        "assign OWNER) or enter one, in the name of the user who asks"},
};

static int
fmod_start(struct np_core *core, void **statep, char *err, size_t errlen)
{
	struct fengine *fe;

	if ((fe = fengine_new(core->base, core->store, core->store_path,
	         &core->bus)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*statep = core->fengine = fe;
	if (core->notifier != NULL)
		fengine_listen(fe, fmod_notify, fmod_settled, core->notifier);
	fengine_configure(fe, core->conf);
	core->poll_ok = fmod_poll_ok;
	core->poll_ok_arg = fe;
	if (core->control != NULL &&
	    control_add(core->control, fmod_cmds,
	        sizeof(fmod_cmds) / sizeof(fmod_cmds[0]), fe) == -1) {
		snprintf(err, errlen, "control socket: too many commands");
		return -1;
	}
	return 0;
}

static void
fmod_reload(struct np_core *core, void *state, const struct config *old,
    const struct config *nc)
{
	(void)core;
	(void)old;
	fengine_configure(state, nc);
}

static void
fmod_status(struct np_core *core, void *state, struct jbuf *j)
{
	(void)core;
	fengine_status(state, j);
}

static void
fmod_stop(struct np_core *core, void *state)
{
	core->poll_ok = NULL;
	core->poll_ok_arg = NULL;
	core->fengine = NULL;
	if (state == NULL)
		return;
	fengine_listen(state, NULL, NULL, NULL);
	fengine_free(state);
}

const struct np_module fengine_module = {
    .name = "findings",
    .start = fmod_start,
    .reload = fmod_reload,
    .status = fmod_status,
    .stop = fmod_stop,
};
