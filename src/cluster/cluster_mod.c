/*
 * cluster_mod.c - the cluster as one of the daemon's modules (module.h):
 * started after the poller when the configuration has a cluster block,
 * it gives the poller the devices this node holds; "cluster" on the
 * control socket lists the nodes and the leases.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cluster.h"
#include "control.h"
#include "log.h"
#include "module.h"
#include "poller.h"

struct cmod {
	struct np_core *core;
	struct cluster *cl;
};

static struct cmod cmod_one; /* one per daemon */

static void
cmod_owned(void *arg, char *const *names, size_t n)
{
	struct cmod *m = arg;
	int changed;

	if (m->core->poller == NULL)
		return;
	if ((changed = poller_own(m->core->poller, names, n)) > 0)
		log_info("cluster: this node polls %zu devices (%d changed "
		         "hands)", n, changed);
}

static void
cmod_cmd(void *arg, const char *args, const struct control_peer *peer,
    struct jbuf *j)
{
	struct cmod *m = arg;

	(void)args;
	(void)peer;
	if (m->cl == NULL) {
		json_kstr(j, "error", "this node is not in a cluster");
		return;
	}
	cluster_describe(m->cl, j, 1);
}

static const struct control_cmd cmod_cmds[] = {
    {"cluster", cmod_cmd, CONTROL_READ, "cluster",
        "the cluster's nodes (live or not, their devices) and the "
        "devices' leases"},
};

static int
cmod_check(const struct config *c, char *err, size_t errlen)
{
#ifndef HAVE_LIBPQ
	if (c->cluster.node[0]) {
		snprintf(err, errlen, "cluster: this netpatrold was built "
		                      "without PostgreSQL (libpq)");
		return -1;
	}
#else
	(void)c;
	(void)err;
	(void)errlen;
#endif
	return 0;
}

static int
cmod_start(struct np_core *core, void **statep, char *err, size_t errlen)
{
	struct cmod *m = &cmod_one;

	memset(m, 0, sizeof(*m));
	m->core = core;
	*statep = m;
	if (core->control != NULL &&
	    control_add(core->control, cmod_cmds,
	        sizeof(cmod_cmds) / sizeof(cmod_cmds[0]), m) == -1) {
		snprintf(err, errlen, "control socket: too many commands");
		return -1;
	}
	if (core->conf->cluster.node[0] == '\0')
		return 0;
	if ((m->cl = cluster_start(core->base, core->conf, cmod_owned, m, err,
	         errlen)) == NULL)
		return -1;
	return 0;
}

static int
cmod_reload_check(struct np_core *core, void *state, const struct config *old,
    struct config *nc, char *err, size_t errlen)
{
	(void)core;
	(void)state;
	(void)err;
	(void)errlen;
	/* the cluster block takes effect at the next restart */
	if (memcmp(&old->cluster, &nc->cluster, sizeof(nc->cluster)) != 0) {
		log_warnx("cluster: a change of the cluster block takes "
		          "effect at the next restart");
		nc->cluster = old->cluster;
	}
	return 0;
}

static void
cmod_reload(struct np_core *core, void *state, const struct config *old,
    const struct config *nc)
{
	struct cmod *m = state;

	(void)core;
	(void)old;
	if (m != NULL && m->cl != NULL)
		cluster_configure(m->cl, nc);
}

static void
cmod_status(struct np_core *core, void *state, struct jbuf *j)
{
	struct cmod *m = state;

	(void)core;
	if (m != NULL && m->cl != NULL)
		cluster_status(m->cl, j);
}

static void
cmod_stop(struct np_core *core, void *state)
{
	struct cmod *m = state;

	(void)core;
	if (m != NULL && m->cl != NULL) {
		cluster_stop(m->cl);
		m->cl = NULL;
	}
}

const struct np_module cluster_module = {
    .name = "cluster",
    .check = cmod_check,
    .start = cmod_start,
    .reload_check = cmod_reload_check,
    .reload = cmod_reload,
    .status = cmod_status,
    .stop = cmod_stop,
};
