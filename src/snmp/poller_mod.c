/*
 * poller_mod.c - the poll scheduler as a module of the daemon (module.h):
 * made on the loop after privileges are dropped; a configuration whose
 * SNMP settings cannot be used is refused, at start and at a reload.
 */
#include "config.h"

#include <stdio.h>

#include "module.h"
#include "inventory.h"
#include "poller.h"
#include "session.h"

static int
pmod_check(const struct config *c, char *err, size_t errlen)
{
	return snmpsess_check_conf(c, err, errlen);
}

static int
pmod_start(struct np_core *core, void **statep, char *err, size_t errlen)
{
	struct poller *p;

	if ((core->inv = inv_new()) == NULL ||
	    (p = poller_new(core->base, core->store, &core->bus, &core->samples,
	         core->inv, core->rrd_dir, core->store_path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*statep = core->poller = p;
	if (core->poll_ok != NULL)
		poller_on_ok(p, core->poll_ok, core->poll_ok_arg);
	poller_configure(p, core->conf);
	return 0;
}

static int
pmod_reload_check(struct np_core *core, void *state, const struct config *old,
    struct config *nc, char *err, size_t errlen)
{
	(void)core;
	(void)state;
	(void)old;
	return snmpsess_check_conf(nc, err, errlen);
}

static void
pmod_reload(struct np_core *core, void *state, const struct config *old,
    const struct config *nc)
{
	(void)core;
	(void)old;
	poller_configure(state, nc);
}

static void
pmod_status(struct np_core *core, void *state, struct jbuf *j)
{
	(void)core;
	poller_status(state, j);
}

static void
pmod_stop(struct np_core *core, void *state)
{
	poller_free(state);
	core->poller = NULL;
	inv_free(core->inv);
	core->inv = NULL;
}

const struct np_module poller_module = {
    .name = "poller",
    .check = pmod_check,
    .start = pmod_start,
    .reload_check = pmod_reload_check,
    .reload = pmod_reload,
    .status = pmod_status,
    .stop = pmod_stop,
};
