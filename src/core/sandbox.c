/*
 * sandbox.c - what the daemon gives up after its modules' init (see
 * sandbox.h): capabilities and no_new_privs through capset(2) and
 * prctl(2), the file system through Landlock (landlock_create_ruleset,
 * landlock_add_rule, landlock_restrict_self by syscall(2): no library).
 *
 * All three are per thread: they are done while the main thread is the
 * only one (the writer threads are held until after, wq_hold), and the
 * threads made later inherit them.
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <linux/capability.h>
#include <linux/landlock.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "sandbox.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
/* rights of later ABIs than the headers may know */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

int
sandbox_bound(char *err, size_t errlen)
{
	int cap;

	/* the bounding set: what no execve can give back */
	for (cap = 0; cap < 64; cap++) {
		int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);

		if (r == -1)
			break; /* EINVAL: past the kernel's last */
		if (r == 0)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1) {
			if (errno == EPERM)
				break; /* without CAP_SETPCAP: not ours to */
			snprintf(err, errlen, "PR_CAPBSET_DROP %d: %s", cap,
			    strerror(errno));
			return -1;
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL) {
		snprintf(err, errlen, "PR_CAP_AMBIENT_CLEAR_ALL: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
sandbox_caps(int nnp, char *err, size_t errlen)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];

	memset(&h, 0, sizeof(h));
	memset(d, 0, sizeof(d));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capset, &h, d) == -1) {
		snprintf(err, errlen, "capset: %s", strerror(errno));
		return -1;
	}
	memset(&h, 0, sizeof(h));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &h, d) == -1) {
		snprintf(err, errlen, "capget: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++)
		if (d[i].effective || d[i].permitted || d[i].inheritable) {
			snprintf(err, errlen, "capabilities left after capset");
			return -1;
		}
	if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
sandbox_landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);

	return v < 0 ? 0 : (int)v;
}

#define LL_FILE                                                         \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |   \
	    LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE)
#define LL_READ (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define LL_EXEC (LL_READ | LANDLOCK_ACCESS_FS_EXECUTE)

struct ll {
	int fd; /* the ruleset */
	uint64_t handled;
	int nrules;
};

/* Allow ACCESS beneath PATH (or on it, a file); a missing path is skipped. */
static int
ll_allow(struct ll *l, const char *path, uint64_t access, char *err,
    size_t errlen)
{
	struct landlock_path_beneath_attr pb;
	struct stat st;
	int fd;

	if (path == NULL || path[0] != '/')
		return 0;
	if ((fd = open(path, O_PATH | O_CLOEXEC)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR || errno == EACCES)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	access &= l->handled;
	if (!S_ISDIR(st.st_mode))
		access &= LL_FILE;
	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = access;
	pb.parent_fd = fd;
	if (access != 0 && syscall(SYS_landlock_add_rule, l->fd,
	                       LANDLOCK_RULE_PATH_BENEATH, &pb, 0) == -1) {
		snprintf(err, errlen, "landlock rule %s: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	l->nrules++;
	return 0;
}

/* PATH's directory ("/" for "/x", "." never: relative paths are skipped) */
static void
ll_dirname(const char *path, char *out, size_t outlen)
{
	char *slash;

	snprintf(out, outlen, "%s", path);
	if ((slash = strrchr(out, '/')) == NULL)
		out[0] = '\0';
	else if (slash == out)
		out[1] = '\0';
	else
		*slash = '\0';
}

/* Colon-separated directories (the MIB path) */
static int
ll_allow_list(struct ll *l, const char *list, uint64_t access, char *err,
    size_t errlen)
{
	char buf[PATH_MAX], *p, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (p = strtok_r(buf, ":", &save); p != NULL;
	     p = strtok_r(NULL, ":", &save))
		if (ll_allow(l, p, access, err, errlen) == -1)
			return -1;
	return 0;
}

/* A program the configuration runs: execute it, read beside it. */
static int
ll_allow_prog(struct ll *l, const char *prog, char *err, size_t errlen)
{
	char dir[PATH_MAX];

	if (prog[0] != '/')
		return 0; /* found in the system's directories */
	ll_dirname(prog, dir, sizeof(dir));
	if (ll_allow(l, dir, LL_READ, err, errlen) == -1)
		return -1;
	return ll_allow(l, prog, LL_EXEC, err, errlen);
}

static int
ll_rules(struct ll *l, const struct config *c, const char *pidfile,
    char *err, size_t errlen)
{
	static const char *const sys_exec[] = {"/usr", "/bin", "/sbin",
	    "/lib", "/lib32", "/lib64", "/libx32", "/opt"};
	static const char *const sys_read[] = {"/etc", "/proc", "/sys",
	    "/run", "/dev", "/var/lib/snmp", "/var/lib/net-snmp"};
	static const char *const sys_tmp[] = {"/tmp", "/var/tmp"};
	const uint64_t rw = l->handled;
	const struct listen_conf *lc;
	const struct notify_conf *n;
	const struct device_conf *d;
	char dir[PATH_MAX];
	size_t i;
	int k;

#define ALLOW(p, a)                                            \
	do {                                                   \
		if (ll_allow(l, (p), (a), err, errlen) == -1) \
			return -1;                             \
	} while (0)
	for (i = 0; i < sizeof(sys_exec) / sizeof(sys_exec[0]); i++)
		ALLOW(sys_exec[i], LL_EXEC);
	for (i = 0; i < sizeof(sys_read) / sizeof(sys_read[0]); i++)
		ALLOW(sys_read[i], LL_READ);
	/* temporary files: sqlite's, and the hooks' */
	for (i = 0; i < sizeof(sys_tmp) / sizeof(sys_tmp[0]); i++)
		ALLOW(sys_tmp[i], rw);
	if (getenv("TMPDIR") != NULL)
		ALLOW(getenv("TMPDIR"), rw);
	ALLOW("/dev/null", LANDLOCK_ACCESS_FS_READ_FILE |
	    LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE);
	/* what the daemon writes: the state (store, RRD files, the archive's
	 * key, reports); the control socket and the pidfile, made before,
	 * are only removed at exit */
	ALLOW(c->state_dir, rw);
	ll_dirname(c->control, dir, sizeof(dir));
	ALLOW(dir, LL_READ | LANDLOCK_ACCESS_FS_REMOVE_FILE);
	if (pidfile != NULL && pidfile[0]) {
		ll_dirname(pidfile, dir, sizeof(dir));
		ALLOW(dir, LL_READ | LANDLOCK_ACCESS_FS_REMOVE_FILE);
	}
	/* what it reads: the configuration (again at each reload), named
	 * as given to -f, relative or through a link */
	if (realpath(c->path, dir) != NULL) {
		char real[PATH_MAX];

		snprintf(real, sizeof(real), "%s", dir);
		ll_dirname(real, dir, sizeof(dir));
		ALLOW(dir, LL_READ);
	}
	ll_dirname(c->path, dir, sizeof(dir));
	ALLOW(dir, LL_READ);
	if (c->trap_mibs[0] && strcmp(c->trap_mibs, "none") != 0 &&
	    ll_allow_list(l, c->trap_mibs, LL_READ, err, errlen) == -1)
		return -1;
	TAILQ_FOREACH(lc, &c->listens, entry)
	{
		ALLOW(lc->cert, LL_READ);
		ALLOW(lc->key, LL_READ);
		ALLOW(lc->ca, LL_READ);
	}
	ALLOW(c->http_cert, LL_READ);
	ALLOW(c->http_key, LL_READ);
	/* what it runs: itself (netpatrold -R makes each run's report),
	 * hooks, the MTA, configuration fetchers */
	{
		char self[PATH_MAX];
		ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (len > 0) {
			self[len] = '\0';
			if (ll_allow_prog(l, self, err, errlen) == -1)
				return -1;
		}
	}
	TAILQ_FOREACH(n, &c->notifies, entry)
	if (n->type == NOTIFY_EXEC && n->argc > 0 &&
	    ll_allow_prog(l, n->argv[0], err, errlen) == -1)
		return -1;
	if (c->sendmail[0] && ll_allow_prog(l, c->sendmail, err, errlen) == -1)
		return -1;
	TAILQ_FOREACH(d, &c->devices, entry)
	if (d->cfg.argc > 0 &&
	    ll_allow_prog(l, d->cfg.argv[0], err, errlen) == -1)
		return -1;
	TAILQ_FOREACH(d, &c->templates, entry)
	if (d->cfg.argc > 0 &&
	    ll_allow_prog(l, d->cfg.argv[0], err, errlen) == -1)
		return -1;
	/* and what the administrator adds */
	for (k = 0; k < c->sandbox_nread; k++)
		ALLOW(c->sandbox_read[k], LL_EXEC);
	for (k = 0; k < c->sandbox_nwrite; k++)
		ALLOW(c->sandbox_write[k], rw);
#undef ALLOW
	return 0;
}

int
sandbox_landlock(const struct config *c, const char *pidfile, char *err,
    size_t errlen)
{
	struct landlock_ruleset_attr ra;
	struct ll l;
	int abi;

	if ((abi = sandbox_landlock_abi()) <= 0) {
		snprintf(err, errlen,
		    "Landlock is not available (%s): the file system is not "
		    "restricted",
		    errno == ENOSYS ? "not built in"
		    : errno == EOPNOTSUPP ? "not enabled at boot"
		    : errno == EPERM ? "its system calls are filtered out"
		                     : strerror(errno));
		return 0;
	}
	memset(&l, 0, sizeof(l));
	l.handled = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
	    LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR |
	    LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
	    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
	    LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |
	    LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
	    LANDLOCK_ACCESS_FS_MAKE_SYM;
	if (abi >= 2)
		l.handled |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		l.handled |= LANDLOCK_ACCESS_FS_TRUNCATE;
	memset(&ra, 0, sizeof(ra));
	ra.handled_access_fs = l.handled;
	if ((l.fd = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra),
	         0)) == -1) {
		snprintf(err, errlen, "landlock_create_ruleset: %s",
		    strerror(errno));
		return -1;
	}
	if (ll_rules(&l, c, pidfile, err, errlen) == -1) {
		close(l.fd);
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    syscall(SYS_landlock_restrict_self, l.fd, 0) == -1) {
		snprintf(err, errlen, "landlock_restrict_self: %s",
		    strerror(errno));
		close(l.fd);
		return -1;
	}
	close(l.fd);
	snprintf(err, errlen, "Landlock ABI %d, %d rules", abi, l.nrules);
	return 1;
}
