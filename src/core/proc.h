/*
 * proc.h - a child program on the event loop: started with execve (no
 * shell) in a process group of its own, stdin from /dev/null, its stdout
 * kept whole up to a bound, the end of its stderr kept for the error, a
 * timeout that ends the group (TERM, then KILL), and its exit seen through
 * a pidfd (no SIGCHLD handler, no waitpid(-1): other children are not
 * ours).
 */
#ifndef NP_PROC_H
#define NP_PROC_H

#include <stddef.h>

#include <event2/event.h>

struct proc_result {
	int ok; /* exited 0, in time, within the bound */
	int exit_status; /* -1 when killed by a signal */
	int signal; /* the signal that ended it, 0 */
	int timed_out;
	int too_big; /* stdout passed the bound: killed */
	char *out; /* stdout (NUL-terminated); the callback may take it */
	size_t outlen;
	char err[512]; /* stderr's last line, or why it failed to start */
	double secs; /* how long it ran */
};

struct proc;
typedef void (*proc_done_fn)(void *arg, struct proc_result *);

/*
 * Start ARGV[0] with ARGV and ENVP. DONE is called once, on the loop,
 * when it has ended (and never after proc_cancel). NULL with ERR when it
 * cannot be started.
 */
struct proc *proc_start(struct event_base *, char *const argv[],
    char *const envp[], int timeout_secs, size_t max_out, proc_done_fn done,
    void *arg, char *err, size_t errlen);
/* End it (KILL to its group) and forget it: DONE is not called. */
void proc_cancel(struct proc *);

#endif
