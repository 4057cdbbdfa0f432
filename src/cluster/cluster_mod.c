/*
 * cluster_mod.c - the cluster as one of the daemon's modules (module.h):
 * started after the poller when the configuration has a cluster block,
 * it gives the poller the devices this node holds; "cluster" on the
 * control socket lists the nodes and the leases. The events of devices
 * another node polls go to that node (cluster_fwd.h); those it sends here
 * go through this node's event bus.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cluster.h"
#include "cluster_fwd.h"
#include "control.h"
#include "fengine.h"
#include "inventory.h"
#include "log.h"
#include "module.h"
#include "poller.h"

struct cmod {
	struct np_core *core;
	struct cluster *cl;
	struct cluster_fwd *fwd;
	int forwarded; /* emitting what another node sent: not routed again */
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
	/* a store the nodes share: the findings follow the devices */
	if (m->core->fengine != NULL && store_is_pg(m->core->store))
		(void)fengine_own(m->core->fengine, names, n);
}

/*
 * The bus's route: what a device sent here (a trap, a syslog message) of
 * a device another node polls goes there. Not the events this node makes
 * itself (its probes, links, archive: each node has its own), nor those
 * another node sent here (the lease may have moved since: the holder's
 * loop follows them once, not back and forth).
 */
static int
cmod_route(void *arg, const struct np_event *ev)
{
	struct cmod *m = arg;

	if (m->fwd == NULL || m->core->poller == NULL || m->forwarded ||
	    (strcmp(ev->source, "trap") != 0 &&
	        strcmp(ev->source, "syslog") != 0) ||
	    poller_mine(m->core->poller, ev->device) != 0)
		return 0; /* ours, or no device of the configuration */
	/* a full queue: followed here rather than not at all */
	return cluster_fwd_put(m->fwd, ev) == 0;
}

/*
 * A port named by its ifIndex only (the node that received the trap did
 * not know the device's ports): named here, as this node's polls do, so
 * that the event meets the port's finding.
 */
static void
cmod_port_name(struct cmod *m, struct np_event *ev)
{
	const struct inv_port *p;
	char old[sizeof(ev->object)], text[sizeof(ev->text)];
	const char *at;

	if (ev->ifindex <= 0 || m->core->inv == NULL ||
	    (p = inv_port_by_index(m->core->inv, ev->device,
	         (uint32_t)ev->ifindex)) == NULL)
		return;
	ev->ifindex = 0;
	snprintf(old, sizeof(old), "%s", ev->object);
	if (old[0] == '\0' || strcmp(old, p->name) == 0)
		return;
	if (strncmp(ev->key, "port:", 5) == 0 && strcmp(ev->key + 5, old) == 0)
		snprintf(ev->key + 5, sizeof(ev->key) - 5, "%s", p->name);
	if ((at = strstr(ev->text, old)) != NULL) {
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - ev->text),
		    ev->text, p->name, at + strlen(old));
		memcpy(ev->text, text, sizeof(text));
	}
	snprintf(ev->object, sizeof(ev->object), "%s", p->name);
}

/* An event another node received for a device this node polls. */
static void
cmod_forwarded(void *arg, struct np_event *ev, const char *from)
{
	struct cmod *m = arg;

	cmod_port_name(m, ev);
	log_debug("cluster: %s %s of %s from node %s", ev->source, ev->kind,
	    ev->device, from);
	/* a store the nodes share: the receiver's id (its trap row names
	 * it; ids are unique across nodes), the event stored here alone */
	if (!store_is_pg(m->core->store))
		ev->id = 0;
	m->forwarded = 1;
	(void)evbus_emit(&m->core->bus, ev);
	m->forwarded = 0;
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
	if ((m->fwd = cluster_fwd_start(core->base, core->conf, cmod_forwarded,
	         m, err, errlen)) == NULL) {
		cluster_stop(m->cl);
		m->cl = NULL;
		return -1;
	}
	evbus_set_route(&core->bus, cmod_route, m);
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
	if (m == NULL || m->cl == NULL)
		return;
	json_key(j, "cluster");
	json_obj_open(j);
	cluster_status(m->cl, j);
	cluster_fwd_status(m->fwd, j);
	json_obj_close(j);
}

static void
cmod_stop(struct np_core *core, void *state)
{
	struct cmod *m = state;

	if (m == NULL || m->cl == NULL)
		return;
	/* what is still queued for the others goes; what they sent and
	 * this node took is followed here */
	evbus_set_route(&core->bus, NULL, NULL);
	cluster_fwd_stop(m->fwd);
	m->fwd = NULL;
	cluster_stop(m->cl);
	m->cl = NULL;
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
