/*
 * syslog_mod.c - the syslog receiver as a module of the daemon
 * (module.h): its listeners are bound, and TLS keys read, at init, as
 * root (port 514); devices, rules and retention are taken at start and
 * at every reload, and so are the TLS listeners' peers and fingerprints;
 * the rest of a listener changes at a restart.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "module.h"
#include "syslog/syslogd.h"

static int
smod_check(const struct config *c, char *err, size_t errlen)
{
	return syslogd_check_conf(c, err, errlen);
}

static int
smod_init(struct np_core *core, void **statep, char *err, size_t errlen)
{
	struct syslogd *sd;

	if ((sd = syslogd_new(core->base, core->store, &core->bus)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*statep = sd;
	return syslogd_listen(sd, core->conf, err, errlen);
}

static int
smod_start(struct np_core *core, void **statep, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	syslogd_configure(*statep, core->conf, core->inv);
	return 0;
}

/* The next syslog listener of C from X on (X NULL: the first). */
static const struct listen_conf *
smod_next(const struct config *c, const struct listen_conf *x)
{
	x = x == NULL ? TAILQ_FIRST(&c->listens) : TAILQ_NEXT(x, entry);
	while (x != NULL && x->kind != LISTEN_SYSLOG)
		x = TAILQ_NEXT(x, entry);
	return x;
}

static int
smod_same(const struct listen_conf *x, const struct listen_conf *y)
{
	return x->proto == y->proto && x->port == y->port &&
	    strcmp(x->address, y->address) == 0 &&
	    strcmp(x->cert, y->cert) == 0 && strcmp(x->key, y->key) == 0 &&
	    strcmp(x->ca, y->ca) == 0 &&
	    /* peers and fingerprints alone are taken at once
	     * (syslogd_configure), the rest at a restart */
	    (x->ca[0] == '\0' && x->nfps > 0) ==
	    (y->ca[0] == '\0' && y->nfps > 0);
}

static int
smod_reload_check(struct np_core *core, void *state, const struct config *old,
    struct config *nc, char *err, size_t errlen)
{
	const struct listen_conf *x = smod_next(old, NULL);
	const struct listen_conf *y = smod_next(nc, NULL);

	(void)core;
	(void)state;
	(void)err;
	(void)errlen;
	for (; x && y; x = smod_next(old, x), y = smod_next(nc, y))
		if (!smod_same(x, y))
			break;
	if (x != NULL || y != NULL)
		log_warnx("reload: syslog listen addresses change at the next "
		          "restart");
	return 0;
}

static void
smod_reload(struct np_core *core, void *state, const struct config *old,
    const struct config *nc)
{
	(void)old;
	syslogd_configure(state, nc, core->inv);
}

static void
smod_status(struct np_core *core, void *state, struct jbuf *j)
{
	(void)core;
	syslogd_status(state, j);
}

static void
smod_stop(struct np_core *core, void *state)
{
	(void)core;
	syslogd_free(state);
}

const struct np_module syslogd_module = {
    .name = "syslog",
    .check = smod_check,
    .init = smod_init,
    .start = smod_start,
    .reload_check = smod_reload_check,
    .reload = smod_reload,
    .status = smod_status,
    .stop = smod_stop,
};
