/*
 * pcap_mod.c - links counted from the wire as a module of the daemon
 * (module.h): the captures are opened at init, as root, before the
 * privileges are dropped; the links are taken at start and at each
 * reload (a reload that needs a capture on a new interface cannot open
 * it any more, and is refused). Its control command: "traffic".
 */
#include "config.h"

#include <stdio.h>

#include "control.h"
#include "module.h"
#include "pcap_link.h"

static int
lmod_check(const struct config *c, char *err, size_t errlen)
{
	return pcap_check_conf(c, err, errlen);
}

static int
lmod_init(struct np_core *core, void **statep, char *err, size_t errlen)
{
	struct pcap_engine *e;

	if ((e = pcap_engine_new(core->base, &core->bus, &core->samples,
	         core->store, core->rrd_dir)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*statep = e;
	return pcap_engine_open(e, core->conf, err, errlen);
}

static void
lmod_traffic(void *arg, const char *args, const struct control_peer *peer,
    struct jbuf *j)
{
	(void)peer;
	pcap_engine_traffic(arg, args, j);
}

static const struct control_cmd lmod_cmds[] = {
    {"traffic", lmod_traffic, CONTROL_READ,
        "traffic [LINK [top [N] | protocols]]",
        "links' traffic counted from the wire: every link's counters, "
        "rates and drops; a link's top N talkers (10); its protocols"},
};

static int
lmod_start(struct np_core *core, void **statep, char *err, size_t errlen)
{
	pcap_engine_configure(*statep, core->conf);
	if (core->control != NULL &&
	    control_add(core->control, lmod_cmds,
	        sizeof(lmod_cmds) / sizeof(lmod_cmds[0]), *statep) == -1) {
		snprintf(err, errlen, "control socket: too many commands");
		return -1;
	}
	return 0;
}

static int
lmod_reload_check(struct np_core *core, void *state, const struct config *old,
    struct config *nc, char *err, size_t errlen)
{
	(void)core;
	(void)old;
	if (pcap_check_conf(nc, err, errlen) == -1)
		return -1;
	return pcap_engine_open(state, nc, err, errlen);
}

static void
lmod_reload(struct np_core *core, void *state, const struct config *old,
    const struct config *nc)
{
	(void)core;
	(void)old;
	pcap_engine_configure(state, nc);
}

static void
lmod_status(struct np_core *core, void *state, struct jbuf *j)
{
	(void)core;
	pcap_engine_status(state, j);
}

static void
lmod_stop(struct np_core *core, void *state)
{
	(void)core;
	pcap_engine_free(state);
}

const struct np_module pcap_module = {
    .name = "links",
    .check = lmod_check,
    .init = lmod_init,
    .start = lmod_start,
    .reload_check = lmod_reload_check,
    .reload = lmod_reload,
    .status = lmod_status,
    .stop = lmod_stop,
};
