/*
 * netpatrold - the netpatrol daemon: one process, one event loop.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "config.h"
#include "conf.h"
#include "control.h"
#include "json.h"
#include "log.h"
#include "notify.h"
#include "poller.h"
#include "trap.h"
#include "fengine.h"
#include "inventory.h"
#include "syslog/syslogd.h"
#include "rrdw.h"
#include "session.h"
#include "store.h"

#ifndef NP_SYSCONFDIR
#define NP_SYSCONFDIR "/etc"
#endif

struct daemon {
	struct event_base *base;
	struct config *conf;
	char *conf_path;
	char *const *defines;
	struct store *store;
	struct evbus bus;
	struct rrdw *rrd;
	struct inventory *inv;
	struct sample_stream samples; /* the RRD writer, then other sinks */
	struct poller *poller;
	struct trapd *trapd;
	struct fengine *fengine;
	struct notifier *notifier;
	struct syslogd *syslogd;
	struct control *control;
	struct event *ev_term, *ev_int, *ev_hup, *ev_prune;
	time_t started;
	unsigned long reloads, reload_failures;
	char pidfile[PATH_MAX];
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: netpatrold [-dnv] [-f file] [-D macro=value]\n"
	    "  -d  stay in the foreground and log to stderr\n"
	    "  -n  check the configuration and exit\n"
	    "  -v  debug logging\n"
	    "  -f  configuration file (default %s/netpatrold.conf)\n"
	    "  -D  define a configuration macro\n",
	    NP_SYSCONFDIR);
	exit(1);
}

static int
mkdir_p(const char *path, mode_t mode)
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

/* The findings stage tells the notifier. */
static void
daemon_notify(void *arg, const struct finding *f, enum finding_change c)
{
	notify_finding(arg, f, c);
}

static void
daemon_settled(void *arg, int64_t id)
{
	notify_settled(arg, id);
}

static void
daemon_poll_ok(void *arg, const char *device, double start)
{
	fengine_poll_ok(arg, device, start);
}

static int
daemon_status(void *arg, const char *cmd, const char *args, const char *peer,
    struct jbuf *j)
{
	struct daemon *dm = arg;
	struct wq_stats q;
	struct rrdw_stats rs;
	uint64_t sqlerr;

	(void)args;
	if (strcmp(cmd, "ping") == 0) {
		json_kstr(j, "pong", PACKAGE_VERSION);
		return 0;
	}
	if (strcmp(cmd, "reload") == 0) {
		raise(SIGHUP);
		json_kstr(j, "reload", "requested");
		return 0;
	}
	if (strcmp(cmd, "finding") == 0) {
		fengine_command(dm->fengine, args, peer, j);
		return 0;
	}
	if (strcmp(cmd, "status") != 0)
		return -1;
	json_kstr(j, "version", PACKAGE_VERSION);
	json_kint(j, "pid", getpid());
	json_kint(j, "started", dm->started);
	json_kint(j, "uptime", time(NULL) - dm->started);
	json_kstr(j, "config", dm->conf->path);
	json_kstr(j, "state_dir", dm->conf->state_dir);
	json_kuint(j, "reloads", dm->reloads);
	json_kuint(j, "reload_failures", dm->reload_failures);
	store_writer_stats(dm->store, &q, &sqlerr);
	json_key(j, "store");
	json_obj_open(j);
	json_kuint(j, "queued", q.queued);
	json_kuint(j, "written", q.written);
	json_kuint(j, "dropped", q.dropped);
	json_kuint(j, "batches", q.batches);
	json_kuint(j, "depth", q.depth);
	json_kuint(j, "depth_max", q.depth_max);
	json_kuint(j, "sql_errors", sqlerr);
	json_obj_close(j);
	rrdw_get_stats(dm->rrd, &rs);
	json_key(j, "rrd");
	json_obj_open(j);
	json_kstr(j, "writer", dm->conf->rrdcached[0] ? "rrdcached" : "librrd");
	json_kuint(j, "queued", rs.q.queued);
	json_kuint(j, "dropped", rs.q.dropped);
	json_kuint(j, "depth", rs.q.depth);
	json_kuint(j, "created", rs.created);
	json_kuint(j, "updates", rs.updates);
	json_kuint(j, "errors", rs.errors);
	json_obj_close(j);
	poller_status(dm->poller, j);
	trapd_status(dm->trapd, j);
	fengine_status(dm->fengine, j);
	notify_status(dm->notifier, j);
	syslogd_status(dm->syslogd, j);
	return 0;
}

/* The same listeners (opened at start, as root): a restart changes them. */
static int
daemon_same_listens(const struct config *a, const struct config *b)
{
	const struct listen_conf *x = TAILQ_FIRST(&a->listens);
	const struct listen_conf *y = TAILQ_FIRST(&b->listens);

	for (; x && y; x = TAILQ_NEXT(x, entry), y = TAILQ_NEXT(y, entry))
		if (x->kind != y->kind || x->proto != y->proto ||
		    x->port != y->port || strcmp(x->address, y->address) != 0 ||
		    strcmp(x->cert, y->cert) != 0 ||
		    strcmp(x->key, y->key) != 0 || strcmp(x->ca, y->ca) != 0 ||
		    /* peers and fingerprints alone are taken at once
		     * (syslogd_configure), the rest at a restart */
		    (x->ca[0] == '\0' && x->nfps > 0) !=
		        (y->ca[0] == '\0' && y->nfps > 0))
			return 0;
	return x == NULL && y == NULL;
}

static void
daemon_reload(struct daemon *dm)
{
	char err[8192];
	struct config *nc;

	log_info("reloading %s", dm->conf_path);
	if ((nc = conf_parse(dm->conf_path, dm->defines, err, sizeof(err))) ==
	    NULL) {
		dm->reload_failures++;
		log_warnx(
		    "reload failed, the running configuration stays:\n%s", err);
		return;
	}
	if (snmpsess_check_conf(nc, err, sizeof(err)) == -1) {
		dm->reload_failures++;
		log_warnx(
		    "reload failed, the running configuration stays:\n%s", err);
		conf_free(nc);
		return;
	}
	/* What was opened or started at start-up stays until a restart. */
#define KEEP(field, name) \
	if (strcmp(nc->field, dm->conf->field) != 0) { \
		log_warnx("reload: %s changes at the next restart", name); \
		snprintf(nc->field, sizeof(nc->field), "%s", dm->conf->field); \
	}
	KEEP(state_dir, "state-dir");
	KEEP(rrdcached, "rrdcached");
	KEEP(control, "control");
	KEEP(pidfile, "pidfile");
	KEEP(user, "user");
#undef KEEP
	if (nc->rrd_keep_step != dm->conf->rrd_keep_step ||
	    nc->store_batch_ms != dm->conf->store_batch_ms ||
	    nc->store_queue != dm->conf->store_queue)
		log_warnx("reload: rrd keep-step and store settings change at "
		          "the next restart");
	if (!daemon_same_listens(nc, dm->conf))
		log_warnx(
		    "reload: listen addresses change at the next restart");
	fengine_configure(dm->fengine, nc);
	poller_configure(dm->poller, nc);
	trapd_configure(dm->trapd, nc, dm->inv);
	notify_configure(dm->notifier, nc);
	syslogd_configure(dm->syslogd, nc, dm->inv);
	conf_free(dm->conf);
	dm->conf = nc;
	dm->reloads++;
}

static void
daemon_signal(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *dm = arg;

	(void)what;
	switch (sig) {
	case SIGHUP: daemon_reload(dm); break;
	case SIGTERM:
	case SIGINT:
		log_info("%s: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		event_base_loopbreak(dm->base);
		break;
	}
}

static void
daemon_prune(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *dm = arg;

	(void)fd;
	(void)what;
	store_prune_events(dm->store,
	    (double)time(NULL) - (double)dm->conf->event_keep_days * 86400.0);
}

static int
write_pidfile(const char *path)
{
	char buf[32];
	int fd, n;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) ==
	    -1)
		return -1;
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Give USER the files the daemon keeps writing or removes after the drop. */
static void
chown_to(const char *path, const struct passwd *pw)
{
	if (path[0] && chown(path, pw->pw_uid, pw->pw_gid) == -1 &&
	    errno != ENOENT)
		log_warn("chown %s", path);
}

static void
drop_privileges(struct daemon *dm)
{
	const char *user = dm->conf->user;
	char path[PATH_MAX + 32], *slash;
	struct passwd *pw;

	if (user[0] == '\0' || geteuid() != 0)
		return;
	if ((pw = getpwnam(user)) == NULL)
		fatalx(
		    "user \"%s\" does not exist: not running as root instead",
		    user);
	/* state: the writer threads create RRD files and sqlite's -wal/-shm */
	chown_to(dm->conf->state_dir, pw);
	snprintf(path, sizeof(path), "%s/rrd", dm->conf->state_dir);
	chown_to(path, pw);
	snprintf(path, sizeof(path), "%s/%s", dm->conf->state_dir, STORE_FILE);
	chown_to(path, pw);
	snprintf(
	    path, sizeof(path), "%s/%s-wal", dm->conf->state_dir, STORE_FILE);
	chown_to(path, pw);
	snprintf(
	    path, sizeof(path), "%s/%s-shm", dm->conf->state_dir, STORE_FILE);
	chown_to(path, pw);
	/* the control socket: the user's group may ask for status; both it
	 * and the pidfile are removed at exit, so their folders too */
	chown_to(dm->conf->control, pw);
	snprintf(path, sizeof(path), "%s", dm->conf->control);
	if ((slash = strrchr(path, '/')) != NULL && slash != path) {
		*slash = '\0';
		chown_to(path, pw);
	}
	if (dm->pidfile[0]) {
		chown_to(dm->pidfile, pw);
		snprintf(path, sizeof(path), "%s", dm->pidfile);
		if ((slash = strrchr(path, '/')) != NULL && slash != path) {
			*slash = '\0';
			chown_to(path, pw);
		}
	}
	if (setgroups(1, &pw->pw_gid) == -1 || setgid(pw->pw_gid) == -1 ||
	    setuid(pw->pw_uid) == -1)
		fatal("cannot drop privileges to %s", user);
	if (setuid(0) == 0)
		fatalx("privileges were not dropped: still root");
	log_info("running as %s", user);
}

int
main(int argc, char *argv[])
{
	struct daemon dm;
	char err[8192], path[PATH_MAX + 32], rrddir[PATH_MAX + 8];
	char *defines[33];
	int ch, foreground = 0, checkonly = 0, verbose = LOG_L_INFO, ndef = 0;
	struct timeval hour = {3600, 0};

	memset(&dm, 0, sizeof(dm));
	dm.conf_path = NP_SYSCONFDIR "/netpatrold.conf";
	while ((ch = getopt(argc, argv, "dnvf:D:")) != -1) {
		switch (ch) {
		case 'd': foreground = 1; break;
		case 'n': checkonly = 1; break;
		case 'v': verbose++; break;
		case 'f': dm.conf_path = optarg; break;
		case 'D':
			if (ndef >= 32 || strchr(optarg, '=') == NULL)
				usage();
			defines[ndef++] = optarg;
			break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	defines[ndef] = NULL;
	dm.defines = defines;

	if ((dm.conf = conf_parse(dm.conf_path, defines, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "%s", err);
		if (err[0] && err[strlen(err) - 1] != '\n')
			fputc('\n', stderr);
		return 1;
	}
	/* and, as root, that the TLS listeners' files can be used */
	if (snmpsess_check_conf(dm.conf, err, sizeof(err)) == -1 ||
	    syslogd_check_conf(dm.conf, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		conf_free(dm.conf);
		return 1;
	}
	if (checkonly) {
		printf("configuration OK\n");
		conf_free(dm.conf);
		return 0;
	}

	log_init(foreground, verbose > LOG_L_DEBUG ? LOG_L_DEBUG : verbose,
	    "netpatrold");
	if (!foreground && daemon(0, 0) == -1)
		fatal("daemon");
	signal(SIGPIPE, SIG_IGN);
	dm.started = time(NULL);
	if (evthread_use_pthreads() == -1)
		fatalx("libevent has no pthreads support");
	snmpsess_library_init("netpatrold");

	if (mkdir_p(dm.conf->state_dir, 0755) == -1)
		fatal("state-dir %s", dm.conf->state_dir);
	snprintf(path, sizeof(path), "%s/%s", dm.conf->state_dir, STORE_FILE);
	if ((dm.store = store_open(path, 0, err, sizeof(err))) == NULL)
		fatalx("store: %s", err);
	/* event ids go on from the store's, read before the writer starts */
	evbus_init(&dm.bus, dm.store);
	if (store_writer_start(dm.store, dm.conf->store_batch_ms,
	        (size_t)dm.conf->store_queue) == -1)
		fatal("store writer thread");
	snprintf(rrddir, sizeof(rrddir), "%s/rrd", dm.conf->state_dir);
	if ((dm.rrd = rrdw_start(rrddir, dm.conf->rrdcached,
	         dm.conf->rrd_keep_step, dm.conf->store_batch_ms,
	         (size_t)dm.conf->store_queue, err, sizeof(err))) == NULL)
		fatalx("rrd: %s", err);
	{
		struct sample_sink sk;

		sample_stream_init(&dm.samples);
		rrdw_sink(dm.rrd, &sk);
		if (sample_stream_add(&dm.samples, &sk, err, sizeof(err)) == -1)
			fatalx("%s", err);
	}

	if ((dm.base = event_base_new()) == NULL)
		fatalx("cannot make the event loop");
	if ((dm.control = control_start(dm.base, dm.conf->control,
	         daemon_status, &dm, err, sizeof(err))) == NULL)
		fatalx("control socket: %s", err);
	snprintf(dm.pidfile, sizeof(dm.pidfile), "%s", dm.conf->pidfile);
	if (dm.pidfile[0]) {
		char dir[PATH_MAX], *slash;

		snprintf(dir, sizeof(dir), "%s", dm.pidfile);
		if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
			*slash = '\0';
			mkdir_p(dir, 0755);
		}
		if (write_pidfile(dm.pidfile) == -1) {
			if (!foreground)
				fatal("pidfile %s", dm.pidfile);
			log_warn("pidfile %s", dm.pidfile);
			dm.pidfile[0] = '\0';
		}
	}
	/* the trap listeners bind privileged ports: before dropping root */
	if ((dm.trapd = trapd_new(dm.base, dm.store, &dm.bus)) == NULL)
		fatalx("out of memory");
	if (trapd_listen(dm.trapd, dm.conf, err, sizeof(err)) == -1)
		fatalx("%s", err);
	/* so do the syslog listeners (514), and TLS keys are read as root */
	if ((dm.syslogd = syslogd_new(dm.base, dm.store, &dm.bus)) == NULL)
		fatalx("out of memory");
	if (syslogd_listen(dm.syslogd, dm.conf, err, sizeof(err)) == -1)
		fatalx("%s", err);
	drop_privileges(&dm);

	if ((dm.inv = inv_new()) == NULL ||
	    (dm.poller = poller_new(dm.base, dm.store, &dm.bus, &dm.samples,
	         dm.inv, rrddir, path)) == NULL)
		fatalx("out of memory");
	if ((dm.notifier = notify_new(dm.base)) == NULL)
		fatalx("out of memory");
	dm.ev_term = evsignal_new(dm.base, SIGTERM, daemon_signal, &dm);
	dm.ev_int = evsignal_new(dm.base, SIGINT, daemon_signal, &dm);
	dm.ev_hup = evsignal_new(dm.base, SIGHUP, daemon_signal, &dm);
	dm.ev_prune = event_new(dm.base, -1, EV_PERSIST, daemon_prune, &dm);
	evsignal_add(dm.ev_term, NULL);
	evsignal_add(dm.ev_int, NULL);
	evsignal_add(dm.ev_hup, NULL);
	event_add(dm.ev_prune, &hour);
	daemon_prune(-1, 0, &dm);

	log_info("netpatrold %s started: %d devices, state in %s",
	    PACKAGE_VERSION, dm.conf->ndevices, dm.conf->state_dir);
	/* findings follow the events from the start */
	if ((dm.fengine = fengine_new(dm.base, dm.store, path, &dm.bus)) ==
	    NULL)
		fatalx("out of memory");
	notify_configure(dm.notifier, dm.conf);
	fengine_listen(dm.fengine, daemon_notify, daemon_settled, dm.notifier);
	fengine_configure(dm.fengine, dm.conf);
	poller_on_ok(dm.poller, daemon_poll_ok, dm.fengine);
	poller_configure(dm.poller, dm.conf);
	trapd_configure(dm.trapd, dm.conf, dm.inv);
	syslogd_configure(dm.syslogd, dm.conf, dm.inv);
	event_base_dispatch(dm.base);

	/* Stop: no new messages, traps or polls, then write what is queued. */
	syslogd_free(dm.syslogd);
	trapd_free(dm.trapd);
	poller_free(dm.poller);
	inv_free(dm.inv);
	fengine_listen(dm.fengine, NULL, NULL, NULL);
	fengine_free(dm.fengine);
	/* what is still queued for the NOC gets a short grace */
	notify_free(dm.notifier);
	control_stop(dm.control);
	sample_stream_free(&dm.samples);
	rrdw_stop(dm.rrd);
	store_close(dm.store);
	event_free(dm.ev_term);
	event_free(dm.ev_int);
	event_free(dm.ev_hup);
	event_free(dm.ev_prune);
	event_base_free(dm.base);
	if (dm.pidfile[0])
		unlink(dm.pidfile);
	conf_free(dm.conf);
	snmp_shutdown("netpatrold");
	log_info("stopped");
	return 0;
}
