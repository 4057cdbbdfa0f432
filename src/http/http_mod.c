/*
 * http_mod.c - the web server as a module of the daemon (module.h): the
 * socket is bound at init, as root; the store reader and the graph thread
 * start after the privileges are dropped. Users and tokens are read from
 * the running configuration at each request: a reload changes them at
 * once; the listen address, port and TLS files change at a restart.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "module.h"

static int
hmod_init(struct np_core *core, void **statep, char *err, size_t errlen)
{
	if (core->conf->http_address[0] == '\0')
		return 0;
	if ((*statep = http_srv_new(core, err, errlen)) == NULL)
		return -1;
	return 0;
}

static int
hmod_start(struct np_core *core, void **statep, char *err, size_t errlen)
{
	(void)core;
	if (*statep == NULL)
		return 0;
	return http_srv_start(*statep, err, errlen);
}

static int
hmod_reload_check(struct np_core *core, void *state, const struct config *old,
    struct config *nc, char *err, size_t errlen)
{
	(void)core;
	(void)state;
	(void)err;
	(void)errlen;
	module_keep(nc->http_address, sizeof(nc->http_address),
	    old->http_address, "http listen");
	if (nc->http_port != old->http_port) {
		log_warnx("reload: http port changes at the next restart");
		nc->http_port = old->http_port;
	}
	module_keep(nc->http_cert, sizeof(nc->http_cert), old->http_cert,
	    "http tls cert");
	module_keep(nc->http_key, sizeof(nc->http_key), old->http_key,
	    "http tls key");
	return 0;
}

static void
hmod_status(struct np_core *core, void *state, struct jbuf *j)
{
	(void)core;
	if (state)
		http_srv_status(state, j);
}

static void
hmod_stop(struct np_core *core, void *state)
{
	(void)core;
	http_srv_free(state);
}

const struct np_module http_module = {
    .name = "http",
    .init = hmod_init,
    .start = hmod_start,
    .reload_check = hmod_reload_check,
    .status = hmod_status,
    .stop = hmod_stop,
};
