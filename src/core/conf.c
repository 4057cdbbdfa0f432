/*
 * conf.c - a configuration's life: a new one with every default, before
 * parse.y's conf_parse() reads the file into it, and its end.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

#ifdef NP_LOCALSTATEDIR
#define CONF_STATE_DIR	NP_LOCALSTATEDIR "/lib/netpatrol"
#else
#define CONF_STATE_DIR	"/var/lib/netpatrol"
#endif
#ifndef NP_CONTROL_SOCKET
#define NP_CONTROL_SOCKET "/run/netpatrol/netpatrold.sock"
#endif
#ifndef NP_PIDFILE
#define NP_PIDFILE	"/run/netpatrol/netpatrold.pid"
#endif

struct config *
conf_new(void)
{
	struct config	*conf;

	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		return (NULL);
	(void)strcpy(conf->state_dir, CONF_STATE_DIR);
	(void)strcpy(conf->control, NP_CONTROL_SOCKET);
	(void)strcpy(conf->pidfile, NP_PIDFILE);
	conf->control_mode = 0660;
	conf->sandbox = 1;
	conf->max_inflight = 256;
	conf->rrd_keep_step = 2 * 86400;
	conf->rrd_write_delay = 300;
	conf->rrd_batch = 64;
	conf->store_batch_ms = 1000;
	conf->store_queue = 1000000;
	conf->event_keep_days = 365;
	conf->trap_storm_count = 1000;
	conf->trap_storm_secs = 10;
	conf->finding_close_after = 3600;
	conf->flap_count = 5;
	conf->flap_secs = 600;
	/* deadlines: respond, resolve, by priority */
	conf->respond_secs[1] = 15 * 60;
	conf->resolve_secs[1] = 4 * 3600;
	conf->respond_secs[2] = 30 * 60;
	conf->resolve_secs[2] = 8 * 3600;
	conf->respond_secs[3] = 4 * 3600;
	conf->resolve_secs[3] = 3 * 86400;
	conf->respond_secs[4] = 86400;
	conf->resolve_secs[4] = 7 * 86400;
	TAILQ_INIT(&conf->maintenances);
	conf->syslog_keep_days = 30;
	conf->syslog_max_rows = 10000000;
	conf->syslog_queue = 256 * MEGA;
	conf->syslog_rl_burst = 10000;
	conf->syslog_rl_secs = 1;
	conf->syslog_login_count = 5;
	conf->syslog_login_secs = 60;
	conf->syslog_max_conns = 1000;
	conf->syslog_max_conns_sender = 32;
	conf->syslog_idle_secs = 600;
	conf->syslog_frame_secs = 30;
	TAILQ_INIT(&conf->syslog_rules);
	conf->cfg_max_versions = 1000;
	conf->cfg_max_size = 16 * MEGA;
	conf->cfg_max_inflight = 4;
	conf->cfg_fail_count = 3;
	TAILQ_INIT(&conf->cfg_rules);
	TAILQ_INIT(&conf->probes);
	TAILQ_INIT(&conf->links);
	TAILQ_INIT(&conf->policies);
	TAILQ_INIT(&conf->templates);
	TAILQ_INIT(&conf->devices);
	TAILQ_INIT(&conf->listens);
	TAILQ_INIT(&conf->trap_communities);
	TAILQ_INIT(&conf->trap_users);
	TAILQ_INIT(&conf->trap_rules);
	TAILQ_INIT(&conf->notifies);
	(void)strcpy(conf->sendmail, "/usr/sbin/sendmail");
	conf_plan_defaults(conf);
	return (conf);
}

void
conf_free(struct config *conf)
{
	struct device_conf	*d;
	struct listen_conf	*l;
	struct trap_community	*tc;
	struct trap_user	*tu;
	struct trap_rule	*tr;
	struct maint_conf	*mc;
	struct notify_conf	*nc;
	struct syslog_rule	*sr;
	struct cfgrule_conf	*cr;
	struct policy_conf	*pc;
	struct probe_conf	*prc;
	struct link_conf	*lc;

	if (conf == NULL)
		return;
	while ((lc = TAILQ_FIRST(&conf->links)) != NULL) {
		TAILQ_REMOVE(&conf->links, lc, entry);
		free(lc);
	}
	while ((prc = TAILQ_FIRST(&conf->probes)) != NULL) {
		TAILQ_REMOVE(&conf->probes, prc, entry);
		free(prc);
	}
	while ((pc = TAILQ_FIRST(&conf->policies)) != NULL) {
		TAILQ_REMOVE(&conf->policies, pc, entry);
		free(pc->rules);
		free(pc);
	}
	while ((cr = TAILQ_FIRST(&conf->cfg_rules)) != NULL) {
		TAILQ_REMOVE(&conf->cfg_rules, cr, entry);
		free(cr);
	}
	while ((sr = TAILQ_FIRST(&conf->syslog_rules)) != NULL) {
		TAILQ_REMOVE(&conf->syslog_rules, sr, entry);
		free(sr);
	}
	while ((nc = TAILQ_FIRST(&conf->notifies)) != NULL) {
		TAILQ_REMOVE(&conf->notifies, nc, entry);
		explicit_bzero(nc, sizeof(*nc));	/* v3 passphrases */
		free(nc);
	}
	while ((d = TAILQ_FIRST(&conf->devices)) != NULL) {
		TAILQ_REMOVE(&conf->devices, d, entry);
		conf_device_free(d);
	}
	while ((d = TAILQ_FIRST(&conf->templates)) != NULL) {
		TAILQ_REMOVE(&conf->templates, d, entry);
		conf_device_free(d);
	}
	conf_strs_free(conf);
	while ((l = TAILQ_FIRST(&conf->listens)) != NULL) {
		TAILQ_REMOVE(&conf->listens, l, entry);
		free(l);
	}
	while ((tc = TAILQ_FIRST(&conf->trap_communities)) != NULL) {
		TAILQ_REMOVE(&conf->trap_communities, tc, entry);
		explicit_bzero(tc, sizeof(*tc));
		free(tc);
	}
	while ((tu = TAILQ_FIRST(&conf->trap_users)) != NULL) {
		TAILQ_REMOVE(&conf->trap_users, tu, entry);
		explicit_bzero(tu, sizeof(*tu));
		free(tu);
	}
	while ((tr = TAILQ_FIRST(&conf->trap_rules)) != NULL) {
		TAILQ_REMOVE(&conf->trap_rules, tr, entry);
		free(tr);
	}
	while ((mc = TAILQ_FIRST(&conf->maintenances)) != NULL) {
		TAILQ_REMOVE(&conf->maintenances, mc, entry);
		free(mc);
	}
	free(conf);
}

struct config *
conf_empty(void)
{
	return (conf_new());
}
