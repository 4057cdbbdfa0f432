/*
 * trap_mod.c - the trap receiver as a module of the daemon (module.h): its
 * listeners are bound at init, as root (port 162); communities and users
 * are taken at start and at every reload, its listeners at a restart.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "module.h"
#include "trap.h"

static int
tmod_init(struct np_core *core, void **statep, char *err, size_t errlen)
{
	struct trapd *td;

	if ((td = trapd_new(core->base, core->store, &core->bus)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*statep = td;
	return trapd_listen(td, core->conf, err, errlen);
}

static int
tmod_start(struct np_core *core, void **statep, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	trapd_configure(*statep, core->conf, core->inv);
	return 0;
}

/* The next trap listener of C from X on (X NULL: the first). */
static const struct listen_conf *
tmod_next(const struct config *c, const struct listen_conf *x)
{
	x = x == NULL ? TAILQ_FIRST(&c->listens) : TAILQ_NEXT(x, entry);
	while (x != NULL && x->kind != LISTEN_TRAP)
		x = TAILQ_NEXT(x, entry);
	return x;
}

static int
tmod_reload_check(struct np_core *core, void *state, const struct config *old,
    struct config *nc, char *err, size_t errlen)
{
	const struct listen_conf *x = tmod_next(old, NULL);
	const struct listen_conf *y = tmod_next(nc, NULL);

	(void)core;
	(void)state;
	(void)err;
	(void)errlen;
	for (; x && y; x = tmod_next(old, x), y = tmod_next(nc, y))
		if (x->proto != y->proto || x->port != y->port ||
		    strcmp(x->address, y->address) != 0)
			break;
	if (x != NULL || y != NULL)
		log_warnx("reload: trap listen addresses change at the next "
		          "restart");
	return 0;
}

static void
tmod_reload(struct np_core *core, void *state, const struct config *old,
    const struct config *nc)
{
	(void)old;
	trapd_configure(state, nc, core->inv);
}

static void
tmod_status(struct np_core *core, void *state, struct jbuf *j)
{
	(void)core;
	trapd_status(state, j);
}

static void
tmod_stop(struct np_core *core, void *state)
{
	(void)core;
	trapd_free(state);
}

const struct np_module trapd_module = {
    .name = "trap",
    .init = tmod_init,
    .start = tmod_start,
    .reload_check = tmod_reload_check,
    .reload = tmod_reload,
    .status = tmod_status,
    .stop = tmod_stop,
};
