/*
 * probe_mod.c - the probe engine as a module of the daemon (module.h):
 * its ICMP sockets are opened at init, as root; its probes are taken at
 * start and at every reload (a reload that needs an ICMP family whose
 * socket cannot be opened any more is refused).
 */
#include "config.h"

#include <stdio.h>

#include "module.h"
#include "probe/probe.h"

static int
pmod_check(const struct config *c, char *err, size_t errlen)
{
	return probe_check_conf(c, err, errlen);
}

static int
pmod_init(struct np_core *core, void **statep, char *err, size_t errlen)
{
	struct probe_engine *e;

	if ((e = probe_new(core->base, &core->bus, &core->samples,
	         core->store, core->rrd_dir)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*statep = e;
	return probe_open(e, core->conf, err, errlen);
}

static int
pmod_start(struct np_core *core, void **statep, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	probe_configure(*statep, core->conf);
	return 0;
}

static int
pmod_reload_check(struct np_core *core, void *state, const struct config *old,
    struct config *nc, char *err, size_t errlen)
{
	(void)core;
	(void)old;
	if (probe_check_conf(nc, err, errlen) == -1)
		return -1;
	return probe_open(state, nc, err, errlen);
}

static void
pmod_reload(struct np_core *core, void *state, const struct config *old,
    const struct config *nc)
{
	(void)core;
	(void)old;
	probe_configure(state, nc);
}

static void
pmod_status(struct np_core *core, void *state, struct jbuf *j)
{
	(void)core;
	probe_status(state, j);
}

static void
pmod_stop(struct np_core *core, void *state)
{
	(void)core;
	probe_free(state);
}

const struct np_module probe_module = {
    .name = "probes",
    .check = pmod_check,
    .init = pmod_init,
    .start = pmod_start,
    .reload_check = pmod_reload_check,
    .reload = pmod_reload,
    .status = pmod_status,
    .stop = pmod_stop,
};
