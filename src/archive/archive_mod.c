/*
 * archive_mod.c - the configuration archive as a module of the daemon
 * (module.h): its digest key is read (or made) at init, as root; it is
 * made at start, after the receivers whose announcements trigger fetches,
 * and takes devices, rules and limits at every reload. Its control
 * commands: "config-fetch DEVICE" and "config-approve DEVICE [VERSION]",
 * in the name of the user who asks.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "control.h"
#include "log.h"
#include "module.h"

struct amod {
	unsigned char key[ARCHIVE_KEY_LEN];
	struct archive *a;
};

static int
amod_check(const struct config *c, char *err, size_t errlen)
{
	return archive_check(c, err, errlen);
}

static int
amod_init(struct np_core *core, void **statep, char *err, size_t errlen)
{
	struct amod *m;

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*statep = m;
	return archive_key_load(core->conf->state_dir, m->key, err, errlen);
}

/* "DEVICE [NUMBER]" into NAME and *N (0 when absent): 0, or -1. */
static int
amod_args(const char *args, char *name, size_t len, int64_t *n)
{
	char extra;
	long long v = 0;
	int k;

	*n = 0;
	if (sscanf(args, "%63s%n", name, &k) != 1 || strlen(name) >= len)
		return -1;
	args += k;
	while (*args == ' ')
		args++;
	if (*args == '\0')
		return 0;
	if (sscanf(args, "%lld %c", &v, &extra) != 1 || v < 1)
		return -1;
	*n = v;
	return 0;
}

static void
amod_fetch(void *arg, const char *args, const struct control_peer *peer,
    struct jbuf *j)
{
	struct amod *m = arg;
	char name[NP_NAME_MAX], why[NP_STR_MAX], err[256];
	int64_t n, ended = 0;

	if (amod_args(args, name, sizeof(name), &n) == -1 || n != 0) {
		json_kstr(j, "error", "usage: config-fetch DEVICE");
		return;
	}
	snprintf(why, sizeof(why), "on demand by %s", peer->name);
	if (archive_fetch(m->a, name, why, peer->name, &ended, err,
	    sizeof(err)) == -1) {
		json_kstr(j, "error", err);
		return;
	}
	json_kstr(j, "device", name);
	json_kbool(j, "requested", 1);
	json_kint(j, "ended", ended);
}

static void
amod_approve(void *arg, const char *args, const struct control_peer *peer,
    struct jbuf *j)
{
	struct amod *m = arg;
	char name[NP_NAME_MAX], err[256];
	int64_t n, done;

	if (amod_args(args, name, sizeof(name), &n) == -1) {
		json_kstr(j, "error", "usage: config-approve DEVICE [VERSION]");
		return;
	}
	if (archive_approve(m->a, name, n, peer->name, &done, err,
	    sizeof(err)) == -1) {
		json_kstr(j, "error", err);
		return;
	}
	json_kstr(j, "device", name);
	json_kint(j, "version", done);
	json_kstr(j, "approved_by", peer->name);
}

static const struct control_cmd amod_cmds[] = {
    {"config-fetch", amod_fetch, CONTROL_CHANGE, "config-fetch DEVICE",
        "fetch DEVICE's configuration now (one fetch at a time per device)"},
    {"config-approve", amod_approve, CONTROL_CHANGE,
        "config-approve DEVICE [VERSION]",
        "approve VERSION (the newest when absent) of DEVICE's "
        "configuration as its baseline, in the name of the user who asks"},
};

static int
amod_start(struct np_core *core, void **statep, char *err, size_t errlen)
{
	struct amod *m = *statep;

	if ((m->a = archive_new(core->base, core->store, core->store_path,
	         &core->bus, m->key)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	explicit_bzero(m->key, sizeof(m->key));
	if (archive_configure(m->a, core->conf, err, errlen) == -1)
		return -1;
	core->archive = m->a;
	if (core->control != NULL &&
	    control_add(core->control, amod_cmds,
	        sizeof(amod_cmds) / sizeof(amod_cmds[0]), m) == -1) {
		snprintf(err, errlen, "control socket: too many commands");
		return -1;
	}
	return 0;
}

static int
amod_reload_check(struct np_core *core, void *state, const struct config *old,
    struct config *nc, char *err, size_t errlen)
{
	(void)core;
	(void)state;
	(void)old;
	return archive_check(nc, err, errlen);
}

static void
amod_reload(struct np_core *core, void *state, const struct config *old,
    const struct config *nc)
{
	struct amod *m = state;
	char err[256];

	(void)core;
	(void)old;
	if (archive_configure(m->a, nc, err, sizeof(err)) == -1)
		log_warnx("reload: config archive: %s", err);
}

static void
amod_status(struct np_core *core, void *state, struct jbuf *j)
{
	struct amod *m = state;

	(void)core;
	if (m->a)
		archive_status(m->a, j);
}

static void
amod_stop(struct np_core *core, void *state)
{
	struct amod *m = state;

	if (m == NULL)
		return;
	if (core->archive == m->a)
		core->archive = NULL;
	archive_free(m->a);
	explicit_bzero(m, sizeof(*m));
	free(m);
}

const struct np_module archive_module = {
    .name = "config",
    .check = amod_check,
    .init = amod_init,
    .start = amod_start,
    .reload_check = amod_reload_check,
    .reload = amod_reload,
    .status = amod_status,
    .stop = amod_stop,
};
