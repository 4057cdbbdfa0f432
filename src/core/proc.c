/*
 * proc.c - child programs on the event loop (proc.h).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"

struct proc {
	struct event_base *base;
	pid_t pid;
	int out_fd, err_fd, pid_fd;
	struct event *ev_out, *ev_err, *ev_exit, *ev_timer;
	size_t max_out;
	int killed; /* TERM sent; KILL on the next timer */
	struct proc_result r;
	size_t cap;
	char errtail[1024];
	size_t errlen;
	struct timeval t0;
	proc_done_fn done;
	void *arg;
};

/* In the child: only async-signal-safe calls until execve. */
static void __attribute__((noreturn))
proc_child(int out, int err, char *const argv[], char *const envp[])
{
	static const char msg[] = "cannot execute the program\n";
	struct sigaction sa;
	sigset_t none;
	int null;

	setpgid(0, 0);
	if ((null = open("/dev/null", O_RDONLY)) == -1 || dup2(null, 0) == -1 ||
	    dup2(out, 1) == -1 || dup2(err, 2) == -1)
		_exit(127);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			(void)sigaction(s, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0) == -1)
#endif
		for (int fd = 3; fd < 65536; fd++)
			(void)close(fd);
	execve(argv[0], argv, envp);
	(void)write(2, msg, sizeof(msg) - 1);
	_exit(127);
}

static void
proc_close(struct proc *p)
{
	struct event **evs[] = {&p->ev_out, &p->ev_err, &p->ev_exit,
	    &p->ev_timer};
	int *fds[] = {&p->out_fd, &p->err_fd, &p->pid_fd};

	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		if (*evs[i]) {
			event_free(*evs[i]);
			*evs[i] = NULL;
		}
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] != -1) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}

static void
proc_kill(struct proc *p, int sig)
{
	kill(-p->pid, sig);
	kill(p->pid, sig);
}

/* Read what stdout has; 0 at its end, 1 for more, -1 past the bound. */
static int
proc_read_out(struct proc *p)
{
	ssize_t n;

	for (;;) {
		if (p->r.outlen + 65536 + 1 > p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 65536 * 2;
			char *b;

			if (cap > p->max_out + 65536 + 1)
				cap = p->max_out + 65536 + 1;
			if (cap <= p->cap || (b = realloc(p->r.out, cap)) == NULL)
				return -1;
			p->r.out = b;
			p->cap = cap;
		}
		n = read(p->out_fd, p->r.out + p->r.outlen,
		    p->cap - p->r.outlen - 1);
		if (n > 0) {
			p->r.outlen += (size_t)n;
			p->r.out[p->r.outlen] = '\0';
			if (p->r.outlen > p->max_out)
				return -1;
			continue;
		}
		if (n == 0)
			return 0;
		return errno == EAGAIN || errno == EINTR ? 1 : 0;
	}
}

static void
proc_on_out(evutil_socket_t fd, short what, void *arg)
{
	struct proc *p = arg;
	int rc = proc_read_out(p);

	(void)fd;
	(void)what;
	if (rc == -1 && !p->r.too_big) {
		p->r.too_big = 1;
		proc_kill(p, SIGKILL);
	}
	if (rc != 1 && p->ev_out) {
		event_free(p->ev_out);
		p->ev_out = NULL;
	}
}

static void
proc_read_err(struct proc *p)
{
	char buf[512];
	ssize_t n;

	while ((n = read(p->err_fd, buf, sizeof(buf))) > 0) {
		size_t k = (size_t)n;

		if (p->errlen + k >= sizeof(p->errtail)) {
			size_t drop = p->errlen + k - (sizeof(p->errtail) - 1);

			/* BUF is smaller than the tail: DROP < errlen */
			memmove(p->errtail, p->errtail + drop, p->errlen - drop);
			p->errlen -= drop;
		}
		memcpy(p->errtail + p->errlen, buf, k);
		p->errlen += k;
	}
	if (n == 0 && p->ev_err) {
		event_free(p->ev_err);
		p->ev_err = NULL;
	}
}

static void
proc_on_err(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	proc_read_err(arg);
}

/* The last line of stderr, printable, into R.err. */
static void
proc_said(struct proc *p)
{
	char *s = p->errtail, *nl;
	size_t n = p->errlen;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	s[n] = '\0';
	if ((nl = strrchr(s, '\n')) != NULL)
		s = nl + 1;
	snprintf(p->r.err, sizeof(p->r.err), "%s", s);
	for (char *c = p->r.err; *c; c++)
		if ((unsigned char)*c < ' ')
			*c = ' ';
}

static void
proc_finish(struct proc *p, int status)
{
	struct timeval t1;

	if (p->out_fd != -1 && proc_read_out(p) == -1)
		p->r.too_big = 1;
	if (p->err_fd != -1)
		proc_read_err(p);
	proc_said(p);
	gettimeofday(&t1, NULL);
	p->r.secs = (double)(t1.tv_sec - p->t0.tv_sec) +
	    (double)(t1.tv_usec - p->t0.tv_usec) / 1e6;
	if (WIFEXITED(status))
		p->r.exit_status = WEXITSTATUS(status);
	else {
		p->r.exit_status = -1;
		p->r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	}
	p->r.ok = !p->r.timed_out && !p->r.too_big && WIFEXITED(status) &&
	    p->r.exit_status == 0;
	/* a daemonised grandchild may hold the group: it goes too */
	kill(-p->pid, SIGKILL);
	proc_close(p);
	p->done(p->arg, &p->r);
	free(p->r.out);
	free(p);
}

static void
proc_on_exit(evutil_socket_t fd, short what, void *arg)
{
	struct proc *p = arg;
	int status = 0;
	pid_t r;

	(void)fd;
	(void)what;
	while ((r = waitpid(p->pid, &status, WNOHANG)) == -1 && errno == EINTR)
		;
	if (r == 0)
		return; /* not yet (the polling fallback) */
	if (r == -1)
		status = 255 << 8;
	proc_finish(p, status);
}

static void
proc_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct proc *p = arg;
	struct timeval tv = {2, 0};

	(void)fd;
	(void)what;
	if (!p->killed) {
		p->r.timed_out = 1;
		p->killed = 1;
		proc_kill(p, SIGTERM);
		evtimer_add(p->ev_timer, &tv);
	} else
		proc_kill(p, SIGKILL);
}

struct proc *
proc_start(struct event_base *base, char *const argv[], char *const envp[],
    int timeout_secs, size_t max_out, proc_done_fn done, void *arg,
    char *err, size_t errlen)
{
	struct proc *p;
	struct timeval tv = {timeout_secs, 0}, poll = {0, 100000};
	int pout[2] = {-1, -1}, perr[2] = {-1, -1};

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->base = base;
	p->out_fd = p->err_fd = p->pid_fd = -1;
	p->max_out = max_out;
	p->done = done;
	p->arg = arg;
	if (pipe2(pout, O_CLOEXEC) == -1 || pipe2(perr, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto fail;
	}
	gettimeofday(&p->t0, NULL);
	switch (p->pid = fork()) {
	case -1:
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto fail;
	case 0:
		proc_child(pout[1], perr[1], argv, envp);
	}
	close(pout[1]);
	close(perr[1]);
	p->out_fd = pout[0];
	p->err_fd = perr[0];
	(void)fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
	(void)fcntl(p->err_fd, F_SETFL, O_NONBLOCK);
#ifdef SYS_pidfd_open
	p->pid_fd = (int)syscall(SYS_pidfd_open, p->pid, 0);
#endif
	p->ev_out = event_new(base, p->out_fd, EV_READ | EV_PERSIST,
	    proc_on_out, p);
	p->ev_err = event_new(base, p->err_fd, EV_READ | EV_PERSIST,
	    proc_on_err, p);
	/* the pidfd is readable when the child ends; without one, poll */
	p->ev_exit = p->pid_fd != -1
	    ? event_new(base, p->pid_fd, EV_READ | EV_PERSIST, proc_on_exit, p)
	    : event_new(base, -1, EV_PERSIST, proc_on_exit, p);
	p->ev_timer = evtimer_new(base, proc_on_timer, p);
	if (p->ev_out == NULL || p->ev_err == NULL || p->ev_exit == NULL ||
	    p->ev_timer == NULL || event_add(p->ev_out, NULL) == -1 ||
	    event_add(p->ev_err, NULL) == -1 ||
	    event_add(p->ev_exit, p->pid_fd != -1 ? NULL : &poll) == -1 ||
	    evtimer_add(p->ev_timer, &tv) == -1) {
		snprintf(err, errlen, "cannot watch the child");
		proc_cancel(p);
		return NULL;
	}
	return p;
fail:
	for (int i = 0; i < 2; i++) {
		if (pout[i] != -1)
			close(pout[i]);
		if (perr[i] != -1)
			close(perr[i]);
	}
	free(p);
	return NULL;
}

void
proc_cancel(struct proc *p)
{
	if (p == NULL)
		return;
	proc_kill(p, SIGKILL);
	while (waitpid(p->pid, NULL, 0) == -1 && errno == EINTR)
		;
	proc_close(p);
	free(p->r.out);
	free(p);
}
