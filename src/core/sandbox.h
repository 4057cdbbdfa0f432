/*
 * sandbox.h - what the daemon gives up once its modules are initialised
 * (sockets bound, captures opened, as root): every capability, new
 * privileges through execve (no_new_privs), and, where the kernel has
 * Landlock, the file system outside what the configuration names.
 * See netpatrold(8), SECURITY, and docs/threat-model.md.
 */
#ifndef NP_SANDBOX_H
#define NP_SANDBOX_H

#include <stddef.h>

struct config;

/*
 * Drop the bounding set and the ambient capabilities: done while the
 * process may still (CAP_SETPCAP, before setuid). 0, or -1 with ERR.
 */
int sandbox_bound(char *err, size_t errlen);
/*
 * After setuid: clear the permitted, effective and inheritable sets, and,
 * when NNP, set no_new_privs. 0, or -1 with ERR (then the caller must not
 * go on: a daemon that believes it dropped what it still holds).
 */
int sandbox_caps(int nnp, char *err, size_t errlen);

/*
 * Landlock the process (all its threads, and what it runs) to the paths
 * of C (config file CONF_PATH): read-write beneath the state directory,
 * the control socket's and the pidfile's; read beneath the configuration's
 * directory, /etc, /usr, the MIB, TLS and extra "sandbox read" paths;
 * execute beneath the system's program directories and the programs the
 * configuration runs. 1 when restricted, 0 when the kernel cannot (the
 * reason in ERR, to be logged once), -1 with ERR on an error.
 */
int sandbox_landlock(const struct config *c, const char *pidfile,
    char *err, size_t errlen);
/* The kernel's Landlock ABI version, 0 without Landlock. */
int sandbox_landlock_abi(void);

#endif
