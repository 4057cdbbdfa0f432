/*
 * notify_exec.c - findings given to a program: execve with the argv of
 * the configuration (no shell, no PATH search), the finding as one JSON
 * object on its stdin (finding_json: the keys of `netpatrol findings
 * --json`, overdue at the time of the message), a few NETPATROL_* variables in its environment.
 * Exit status 0 within the timeout is a delivery; anything else is
 * retried.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "notify_int.h"

static int
nexec_open(struct ntarget *t, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	t->tp = t; /* a child per message */
	return 0;
}

static void
nexec_close(struct ntarget *t)
{
	nproc_cancel(t);
	t->tp = NULL;
}

static int
nexec_send(struct ntarget *t, struct nmsg *m, char *err, size_t errlen)
{
	const struct finding *f = &m->nf->f;
	char *argv[NP_NOTIFY_ARGS + 1];
	char env[7][NP_STR_MAX + 64], ts[40];
	char *envp[9];
	struct jbuf j;
	double now = notify_now();
	int i, rc;

	for (i = 0; i < t->c.argc; i++)
		argv[i] = t->c.argv[i];
	argv[i] = NULL;
	snprintf(env[0], sizeof(env[0]), "NETPATROL_TARGET=%s", t->c.name);
	snprintf(env[1], sizeof(env[1]), "NETPATROL_CHANGE=%s",
	    finding_change_name(m->change));
	snprintf(env[2], sizeof(env[2]), "NETPATROL_FINDING_ID=%lld",
	    (long long)f->id);
	snprintf(env[3], sizeof(env[3]), "NETPATROL_DEVICE=%s", f->device);
	snprintf(env[4], sizeof(env[4]), "NETPATROL_SEVERITY=%s",
	    notify_severity_name(f->severity));
	snprintf(env[5], sizeof(env[5]), "NETPATROL_STATE=%s",
	    finding_state_name(f->state));
	snprintf(env[6], sizeof(env[6]), "NETPATROL_KEY=%s", f->key);
	for (i = 0; i < 7; i++)
		envp[i] = env[i];
	envp[7] = "PATH=/usr/local/bin:/usr/bin:/bin";
	envp[8] = NULL;

	jbuf_init(&j);
	json_obj_open(&j);
	json_kstr(&j, "target", t->c.name);
	json_kstr(&j, "change", finding_change_name(m->change));
	json_kstr(&j, "time", event_time_rfc3339(now, ts, sizeof(ts)));
	json_key(&j, "finding");
	finding_json(&j, f, now);
	json_obj_close(&j);
	jbuf_raw(&j, "\n");
	if (j.failed) {
		jbuf_free(&j);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = nproc_start(t, argv, envp, j.s, j.len, err, errlen);
	jbuf_free(&j);
	return rc == -1 ? -1 : 1;
}

const struct ntransport notify_exec_transport = {
    nexec_open, nexec_send, nexec_close, NULL};
