/*
 * module.c - the walks over the daemon's table of modules (module.h).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "module.h"

int
module_table(struct np_core *core, const struct np_module *const *mods,
    size_t n, const char *const *status_order, size_t nstatus)
{
	if ((core->state = calloc(n ? n : 1, sizeof(*core->state))) == NULL)
		return -1;
	core->modules = mods;
	core->nmodules = n;
	core->ninit = 0;
	core->status_order = status_order;
	core->nstatus = nstatus;
	return 0;
}

int
module_check(const struct np_module *const *mods, size_t n,
    const struct config *conf, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		if (mods[i]->check && mods[i]->check(conf, err, errlen) == -1)
			return -1;
	return 0;
}

int
module_init(struct np_core *core, char *err, size_t errlen)
{
	for (size_t i = 0; i < core->nmodules; i++) {
		const struct np_module *m = core->modules[i];

		/* one that fails is stopped too: it frees what it made */
		core->ninit = i + 1;
		if (m->init &&
		    m->init(core, &core->state[i], err, errlen) == -1)
			return -1;
	}
	return 0;
}

int
module_start(struct np_core *core, char *err, size_t errlen)
{
	for (size_t i = 0; i < core->ninit; i++) {
		const struct np_module *m = core->modules[i];

		if (m->start &&
		    m->start(core, &core->state[i], err, errlen) == -1)
			return -1;
	}
	return 0;
}

int
module_reload(struct np_core *core, struct config *nc, char *err, size_t errlen)
{
	const struct config *old = core->conf;
	size_t i;

	for (i = 0; i < core->ninit; i++) {
		const struct np_module *m = core->modules[i];

		if (m->reload_check &&
		    m->reload_check(
		        core, core->state[i], old, nc, err, errlen) == -1)
			return -1;
	}
	for (i = 0; i < core->ninit; i++) {
		const struct np_module *m = core->modules[i];

		if (m->reload)
			m->reload(core, core->state[i], old, nc);
	}
	core->conf = nc;
	return 0;
}

static void
module_status1(struct np_core *core, size_t i, struct jbuf *j)
{
	const struct np_module *m = core->modules[i];

	if (i < core->ninit && m->status)
		m->status(core, core->state[i], j);
}

void
module_status(struct np_core *core, struct jbuf *j)
{
	if (core->status_order == NULL) {
		for (size_t i = 0; i < core->ninit; i++)
			module_status1(core, i, j);
		return;
	}
	for (size_t k = 0; k < core->nstatus; k++)
		for (size_t i = 0; i < core->nmodules; i++)
			if (strcmp(core->modules[i]->name,
			        core->status_order[k]) == 0)
				module_status1(core, i, j);
}

void
module_stop(struct np_core *core)
{
	while (core->ninit > 0) {
		size_t i = --core->ninit;
		const struct np_module *m = core->modules[i];

		if (m->stop)
			m->stop(core, core->state[i]);
		core->state[i] = NULL;
	}
	free(core->state);
	core->state = NULL;
	core->nmodules = 0;
}

void
module_keep(char *field, size_t size, const char *old, const char *name)
{
	if (strcmp(field, old) == 0)
		return;
	log_warnx("reload: %s changes at the next restart", name);
	snprintf(field, size, "%s", old);
}

int
module_mkdir(const char *path, mode_t mode)
{
	char tmp[PATH_MAX], *p;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, mode) == -1 && errno != EEXIST)
		return -1;
	return 0;
}
