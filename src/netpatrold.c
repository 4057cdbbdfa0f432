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
#include "log.h"
#include "log_event.h"
#include "module.h"
#include "report_bundle.h"
#include "rrdw.h"
#include "sandbox.h"
#include "sdnotify.h"
#include "session.h"
#include "store.h"
#include "wq.h"

#ifndef NP_SYSCONFDIR
#define NP_SYSCONFDIR "/etc"
#endif

/*
 * The modules, in the order of their life cycle: each uses those before
 * it (the store, the control socket to add its commands, the notifier the
 * findings tell, the findings the receivers' events reach), so they are
 * initialised and started in this order and stopped in the reverse.
 */
static const struct np_module *const daemon_modules[] = {
    &store_module,
    /* (stopped after every module that emits samples) */
    &rwrite_module,
    &control_module,
    &notify_module,
    &fengine_module,
    &plan_module,
    &poller_module,
    &cluster_module,
    &trapd_module,
    &syslogd_module,
    &archive_module,
    &probe_module,
    &http_module,
    &pcap_module,
};
#define DAEMON_NMODULES (sizeof(daemon_modules) / sizeof(daemon_modules[0]))

/* The order of the modules' parts in the "status" answer (the CLI's). */
static const char *const daemon_status_order[] = {
    "store", "poller", "trap", "findings", "notify", "syslog", "config",
    "probes", "links", "plans", "http", "cluster", "remote_write"};

struct daemon {
	struct np_core core;
	const char *conf_path;
	char *const *defines;
	struct event *ev_term, *ev_int, *ev_hup;
	char pidfile[PATH_MAX];
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: netpatrold [-dnv] [-f file] [-D macro=value] [-R run]\n"
	    "  -d  stay in the foreground and log to stderr\n"
	    "  -n  check the configuration and exit\n"
	    "  -v  debug logging\n"
	    "  -f  configuration file (default %s/netpatrold.conf)\n"
	    "  -D  define a configuration macro\n"
	    "  -R  write the report bundle of a plan's run on stdout and "
	    "exit\n"
	    "      (the daemon does, to archive each run's report)\n",
	    NP_SYSCONFDIR);
	exit(1);
}

/* systemd (Type=notify): ready, with what the daemon does */
static void
ready(struct daemon *dm, const char *what)
{
	char st[256];

	snprintf(st, sizeof(st), "%s: %d devices, state in %s", what,
	    dm->core.conf->ndevices, dm->core.conf->state_dir);
	sdnotify_ready(st);
}

/*
 * SIGHUP: the new file is parsed completely, then every module may refuse
 * it (the running configuration stays) before any takes it.
 */
static void
daemon_reload(struct daemon *dm)
{
	char err[8192];
	struct config *nc, *old = dm->core.conf;

	log_info("reloading %s", dm->conf_path);
	sdnotify_reloading();
	if ((nc = conf_parse(dm->conf_path, dm->defines, err, sizeof(err))) ==
	    NULL) {
		dm->core.reload_failures++;
		log_warnx(
		    "reload failed, the running configuration stays:\n%s", err);
		ready(dm, "reload failed, the running configuration stays");
		return;
	}
	if (module_reload(&dm->core, nc, err, sizeof(err)) == -1) {
		dm->core.reload_failures++;
		log_warnx(
		    "reload failed, the running configuration stays:\n%s", err);
		ready(dm, "reload failed, the running configuration stays");
		conf_free(nc);
		return;
	}
	/* the daemon's own: written or dropped to at start */
	module_keep(nc->pidfile, sizeof(nc->pidfile), old->pidfile, "pidfile");
	module_keep(nc->user, sizeof(nc->user), old->user, "user");
	if (nc->sandbox != old->sandbox ||
	    nc->sandbox_nread != old->sandbox_nread ||
	    nc->sandbox_nwrite != old->sandbox_nwrite ||
	    memcmp(nc->sandbox_read, old->sandbox_read,
	        sizeof(nc->sandbox_read)) != 0 ||
	    memcmp(nc->sandbox_write, old->sandbox_write,
	        sizeof(nc->sandbox_write)) != 0) {
		/* Landlock only ever narrows: what it allows is the start's */
		log_warnx("reload: sandbox changes at the next restart");
		nc->sandbox = old->sandbox;
		nc->sandbox_nread = old->sandbox_nread;
		nc->sandbox_nwrite = old->sandbox_nwrite;
		memcpy(nc->sandbox_read, old->sandbox_read,
		    sizeof(nc->sandbox_read));
		memcpy(nc->sandbox_write, old->sandbox_write,
		    sizeof(nc->sandbox_write));
	}
	conf_free(old);
	dm->core.reloads++;
	ready(dm, "reloaded");
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
		sdnotify_stopping();
		event_base_loopbreak(dm->core.base);
		break;
	}
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

/*
 * After the modules' init (as root: sockets, captures, keys): run as the
 * configured user, with no capability in any set, no new privileges by
 * execve, and the file system restricted to what the configuration names
 * (Landlock, where the kernel has it; "sandbox off" keeps the last two).
 * Started as another user, what it has is dropped just the same.
 */
static void
drop_privileges(struct daemon *dm)
{
	const struct config *c = dm->core.conf;
	const char *user = c->user;
	char path[PATH_MAX + 32], *slash, err[512];
	struct passwd *pw = NULL;

	if (user[0] != '\0' && geteuid() == 0 &&
	    (pw = getpwnam(user)) == NULL)
		fatalx(
		    "user \"%s\" does not exist: not running as root instead",
		    user);
	/* while CAP_SETPCAP is there: what no execve could give back */
	if (sandbox_bound(err, sizeof(err)) == -1)
		fatalx("cannot drop capabilities: %s", err);
	if (pw != NULL) {
		/* state: the writer threads create RRD files and sqlite's
		 * -wal/-shm */
		chown_to(c->state_dir, pw);
		snprintf(path, sizeof(path), "%s/rrd", c->state_dir);
		chown_to(path, pw);
		snprintf(path, sizeof(path), "%s/%s", c->state_dir, STORE_FILE);
		chown_to(path, pw);
		snprintf(path, sizeof(path), "%s/%s-wal", c->state_dir,
		    STORE_FILE);
		chown_to(path, pw);
		snprintf(path, sizeof(path), "%s/%s-shm", c->state_dir,
		    STORE_FILE);
		chown_to(path, pw);
		snprintf(path, sizeof(path), "%s/%s", c->state_dir,
		    RRDW_JOURNAL_FILE);
		chown_to(path, pw);
		/* the control socket: its group the configured one (set at
		 * bind), else the user's; both it and the pidfile are removed
		 * at exit, so their folders too */
		if (c->control[0] &&
		    chown(c->control, pw->pw_uid,
		        c->control_group[0] ? (gid_t)-1 : pw->pw_gid) == -1 &&
		    errno != ENOENT)
			log_warn("chown %s", c->control);
		snprintf(path, sizeof(path), "%s", c->control);
		if ((slash = strrchr(path, '/')) != NULL && slash != path) {
			*slash = '\0';
			chown_to(path, pw);
		}
		if (dm->pidfile[0]) {
			chown_to(dm->pidfile, pw);
			snprintf(path, sizeof(path), "%s", dm->pidfile);
			if ((slash = strrchr(path, '/')) != NULL &&
			    slash != path) {
				*slash = '\0';
				chown_to(path, pw);
			}
		}
		if (setgroups(1, &pw->pw_gid) == -1 ||
		    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1)
			fatal("cannot drop privileges to %s", user);
		if (setuid(0) == 0)
			fatalx("privileges were not dropped: still root");
		log_info("running as %s", user);
	}
	if (sandbox_caps(c->sandbox, err, sizeof(err)) == -1)
		fatalx("cannot drop capabilities: %s", err);
	if (!c->sandbox) {
		log_info("sandbox off: no Landlock, no no_new_privs");
		return;
	}
	if (sandbox_landlock(c, dm->pidfile, err, sizeof(err)) == -1)
		fatalx("sandbox: %s", err);
	log_info("sandbox: %s", err);
}

/*
 * -R RUN: the report of a plan's run in every format, as a bundle on
 * stdout (report_bundle.h), from the store as the daemon wrote it.
 */
static int
report_child(const struct config *c, const char *runs)
{
	char path[PATH_MAX + 32], err[512], *end;
	struct store *s;
	long long run;
	int rc, wait;

	errno = 0;
	run = strtoll(runs, &end, 10);
	if (errno != 0 || *end != '\0' || run <= 0) {
		fprintf(stderr, "netpatrold: -R %s: not a run id\n", runs);
		return 1;
	}
	store_path_of(c->state_dir, c->store_pg, path, sizeof(path));
	if ((s = store_open(path, 1, err, sizeof(err))) == NULL) {
		fprintf(stderr, "netpatrold: %s\n", err);
		return 1;
	}
	/* the daemon's writer commits the run within its batch window */
	wait = 10000 + 10 * c->store_batch_ms;
	if (wait > 60000)
		wait = 60000;
	rc = report_bundle_make(stdout, s, c, run, wait, err, sizeof(err));
	if (rc == -1)
		fprintf(stderr, "netpatrold: run %lld: %s\n", run, err);
	store_close(s);
	return rc == -1 ? 1 : 0;
}

int
main(int argc, char *argv[])
{
	struct daemon dm;
	struct np_core *core = &dm.core;
	char err[8192];
	char *defines[33];
	int ch, foreground = 0, checkonly = 0, verbose = LOG_L_INFO, ndef = 0;
	const char *report_run = NULL;
	static char conf_abs[PATH_MAX];
	ssize_t n;

	memset(&dm, 0, sizeof(dm));
	dm.conf_path = NP_SYSCONFDIR "/netpatrold.conf";
	while ((ch = getopt(argc, argv, "dnvf:D:R:")) != -1) {
		switch (ch) {
		case 'd': foreground = 1; break;
		case 'n': checkonly = 1; break;
		case 'v': verbose++; break;
		case 'f': dm.conf_path = optarg; break;
		case 'R': report_run = optarg; break;
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

	if ((core->conf = conf_parse(
	         dm.conf_path, defines, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s", err);
		if (err[0] && err[strlen(err) - 1] != '\n')
			fputc('\n', stderr);
		return 1;
	}
	if (report_run != NULL) {
		int rc = report_child(core->conf, report_run);

		conf_free(core->conf);
		return rc;
	}
	/* and, as root, that the TLS listeners' files can be used */
	if (module_check(daemon_modules, DAEMON_NMODULES, core->conf, err,
	        sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		conf_free(core->conf);
		return 1;
	}
	if (checkonly) {
		printf("configuration OK\n");
		conf_free(core->conf);
		return 0;
	}
	/* to run itself again (the reports' archive), from any folder */
	if ((n = readlink("/proc/self/exe", core->exe,
	         sizeof(core->exe) - 1)) > 0)
		core->exe[n] = '\0';
	else
		core->exe[0] = '\0';
	core->conf_path = realpath(dm.conf_path, conf_abs) != NULL
	    ? conf_abs
	    : dm.conf_path;
	core->defines = defines;

	log_init(foreground, verbose > LOG_L_DEBUG ? LOG_L_DEBUG : verbose,
	    "netpatrold");
	/* under systemd (Type=notify, -d): READY=1 once every module runs */
	sdnotify_init();
	if (!foreground && daemon(0, 0) == -1)
		fatal("daemon");
	signal(SIGPIPE, SIG_IGN);
	core->started = time(NULL);
	if (evthread_use_pthreads() == -1)
		fatalx("libevent has no pthreads support");
	snmpsess_library_init("netpatrold");
	if ((core->base = event_base_new()) == NULL)
		fatalx("cannot make the event loop");
	log_event_base(core->base);
	if (module_table(core, daemon_modules, DAEMON_NMODULES,
	        daemon_status_order,
	        sizeof(daemon_status_order) / sizeof(daemon_status_order[0])) ==
	    -1)
		fatalx("out of memory");

	/* as root: the store, the control socket, privileged ports, keys;
	 * no thread runs before the drop (capabilities, no_new_privs and
	 * Landlock are per thread, and later threads inherit them) */
	wq_hold();
	if (module_init(core, err, sizeof(err)) == -1)
		fatalx("%s", err);
	snprintf(dm.pidfile, sizeof(dm.pidfile), "%s", core->conf->pidfile);
	if (dm.pidfile[0]) {
		char dir[PATH_MAX], *slash;

		snprintf(dir, sizeof(dir), "%s", dm.pidfile);
		if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
			*slash = '\0';
			module_mkdir(dir, 0755);
		}
		if (write_pidfile(dm.pidfile) == -1) {
			if (!foreground)
				fatal("pidfile %s", dm.pidfile);
			log_warn("pidfile %s", dm.pidfile);
			dm.pidfile[0] = '\0';
		}
	}
	drop_privileges(&dm);
	if (wq_release() == -1)
		fatal("cannot start the writer threads");

	dm.ev_term = evsignal_new(core->base, SIGTERM, daemon_signal, &dm);
	dm.ev_int = evsignal_new(core->base, SIGINT, daemon_signal, &dm);
	dm.ev_hup = evsignal_new(core->base, SIGHUP, daemon_signal, &dm);
	evsignal_add(dm.ev_term, NULL);
	evsignal_add(dm.ev_int, NULL);
	evsignal_add(dm.ev_hup, NULL);
	if (module_start(core, err, sizeof(err)) == -1)
		fatalx("%s", err);
	log_info("netpatrold %s started: %d devices, state in %s",
	    PACKAGE_VERSION, core->conf->ndevices, core->conf->state_dir);
	ready(&dm, "running");
	event_base_dispatch(core->base);

	/*
	 * Stop, last module first: no new messages, traps or polls, the
	 * findings they made told, what is queued for the NOC given a short
	 * grace, then what is queued for the store and the RRD files written.
	 */
	module_stop(core);
	log_event_flush();
	log_event_base(NULL);
	event_free(dm.ev_term);
	event_free(dm.ev_int);
	event_free(dm.ev_hup);
	event_base_free(core->base);
	if (dm.pidfile[0])
		unlink(dm.pidfile);
	conf_free(core->conf);
	snmp_shutdown("netpatrold");
	log_info("stopped");
	return 0;
}
