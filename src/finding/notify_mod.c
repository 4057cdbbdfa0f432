/*
 * notify_mod.c - the notifier as a module of the daemon (module.h): made
 * on the loop after privileges are dropped; the findings engine, next in
 * the table, tells it every change of a finding.
 */
#include "config.h"

#include <stdio.h>

#include "module.h"
#include "notify.h"

static int
nmod_start(struct np_core *core, void **statep, char *err, size_t errlen)
{
	if ((core->notifier = notify_new(core->base)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*statep = core->notifier;
	notify_configure(core->notifier, core->conf);
	return 0;
}

static void
nmod_reload(struct np_core *core, void *state, const struct config *old,
    const struct config *nc)
{
	(void)core;
	(void)old;
	notify_configure(state, nc);
}

static void
nmod_status(struct np_core *core, void *state, struct jbuf *j)
{
	(void)core;
	notify_status(state, j);
}

/* What is still queued for the NOC gets a short grace. */
static void
nmod_stop(struct np_core *core, void *state)
{
	notify_free(state);
	core->notifier = NULL;
}

const struct np_module notify_module = {
    .name = "notify",
    .start = nmod_start,
    .reload = nmod_reload,
    .status = nmod_status,
    .stop = nmod_stop,
};
