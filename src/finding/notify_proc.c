/*
 * notify_proc.c - the child processes of mail and exec targets: fork and
 * execve (no shell), the message written to the child's stdin through a
 * non-blocking pipe, its stdout and stderr kept (the end of them says why
 * it failed), a timeout that kills its process group, and reaping on
 * SIGCHLD by pid (never waitpid(-1): other children are not ours).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notify_int.h"

struct nproc {
	struct nproc *next;
	struct ntarget *t; /* NULL: abandoned, waiting to be reaped */
	pid_t pid;
	int in_fd, out_fd;
	struct event *ev_in, *ev_out, *ev_timer;
	char *in;
	size_t inlen, inoff;
	char out[1024];
	size_t outlen;
	int timed_out;
};

static void
nproc_close_in(struct nproc *p)
{
	if (p->ev_in) {
		event_free(p->ev_in);
		p->ev_in = NULL;
	}
	if (p->in_fd != -1) {
		close(p->in_fd);
		p->in_fd = -1;
	}
	free(p->in);
	p->in = NULL;
}

static void
nproc_close_out(struct nproc *p)
{
	if (p->ev_out) {
		event_free(p->ev_out);
		p->ev_out = NULL;
	}
	if (p->out_fd != -1) {
		close(p->out_fd);
		p->out_fd = -1;
	}
}

/* What the child says: the last bytes are kept. */
static int
nproc_read(struct nproc *p)
{
	char buf[512];
	ssize_t r;

	while ((r = read(p->out_fd, buf, sizeof(buf))) > 0) {
		size_t n = (size_t)r; /* < sizeof(p->out) */

		if (p->outlen + n >= sizeof(p->out)) {
			size_t drop = p->outlen + n - (sizeof(p->out) - 1);

			memmove(p->out, p->out + drop, p->outlen - drop);
			p->outlen -= drop;
		}
		memcpy(p->out + p->outlen, buf, n);
		p->outlen += n;
	}
	p->out[p->outlen] = '\0';
	return r == 0 || (r == -1 && errno != EAGAIN && errno != EINTR) ? -1
	                                                                : 0;
}

static void
nproc_on_out(evutil_socket_t fd, short what, void *arg)
{
	struct nproc *p = arg;

	(void)fd;
	(void)what;
	if (nproc_read(p) == -1)
		nproc_close_out(p);
}

static void
nproc_on_in(evutil_socket_t fd, short what, void *arg)
{
	struct nproc *p = arg;
	ssize_t w;

	(void)fd;
	(void)what;
	while (p->inoff < p->inlen) {
		w = write(p->in_fd, p->in + p->inoff, p->inlen - p->inoff);
		if (w > 0) {
			p->inoff += (size_t)w;
			continue;
		}
		if (w == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		break; /* EPIPE: it does not read; its exit status says */
	}
	nproc_close_in(p); /* the end of its input */
}

static void
nproc_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct nproc *p = arg;

	(void)fd;
	(void)what;
	p->timed_out = 1;
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
}

static void
nproc_free(struct nproc *p)
{
	nproc_close_in(p);
	nproc_close_out(p);
	if (p->ev_timer)
		event_free(p->ev_timer);
	free(p);
}

static void
nproc_unlink(struct notifier *n, struct nproc *p)
{
	struct nproc **pp;

	for (pp = nproc_orphans(n); *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			return;
		}
}

/* In the child: only async-signal-safe calls until execve. */
static void __attribute__((noreturn))
nproc_child(int in, int out, char *const argv[], char *const envp[])
{
	static const char msg[] = "cannot execute the program\n";
	struct sigaction sa;
	sigset_t none;

	setpgid(0, 0);
	if (dup2(in, 0) == -1 || dup2(out, 1) == -1 || dup2(out, 2) == -1)
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

int
nproc_start(struct ntarget *t, char *const argv[], char *const envp[],
    const char *in, size_t inlen, char *err, size_t errlen)
{
	struct nproc *p;
	struct event_base *base = notify_base(t->n);
	struct timeval tv = {t->c.timeout, 0};
	int pin[2] = {-1, -1}, pout[2] = {-1, -1};

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->in = malloc(inlen ? inlen : 1)) == NULL) {
		free(p);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->in_fd = p->out_fd = -1;
	memcpy(p->in, in, inlen);
	p->inlen = inlen;
	if (pipe2(pin, O_CLOEXEC) == -1 || pipe2(pout, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto fail;
	}
	switch (p->pid = fork()) {
	case -1: snprintf(err, errlen, "fork: %s", strerror(errno)); goto fail;
	case 0: nproc_child(pin[0], pout[1], argv, envp);
	}
	close(pin[0]);
	close(pout[1]);
	pin[0] = pout[1] = -1;
	p->in_fd = pin[1];
	p->out_fd = pout[0];
	(void)fcntl(p->in_fd, F_SETFL, O_NONBLOCK);
	(void)fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
	p->t = t;
	p->ev_in =
	    event_new(base, p->in_fd, EV_WRITE | EV_PERSIST, nproc_on_in, p);
	p->ev_out =
	    event_new(base, p->out_fd, EV_READ | EV_PERSIST, nproc_on_out, p);
	p->ev_timer = evtimer_new(base, nproc_on_timer, p);
	/* on the list first: if events fail, it is still killed and reaped */
	p->next = *nproc_orphans(t->n);
	*nproc_orphans(t->n) = p;
	t->proc = p;
	if (p->ev_in == NULL || p->ev_out == NULL || p->ev_timer == NULL ||
	    event_add(p->ev_in, NULL) == -1 ||
	    event_add(p->ev_out, NULL) == -1 ||
	    evtimer_add(p->ev_timer, &tv) == -1) {
		snprintf(err, errlen, "cannot watch the child");
		nproc_cancel(t);
		return -1;
	}
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (pin[i] != -1)
			close(pin[i]);
		if (pout[i] != -1)
			close(pout[i]);
	}
	free(p->in);
	free(p);
	return -1;
}

void
nproc_cancel(struct ntarget *t)
{
	struct nproc *p = t->proc;

	if (p == NULL)
		return;
	t->proc = NULL;
	p->t = NULL;
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
	nproc_close_in(p);
	nproc_close_out(p);
	if (p->ev_timer)
		evtimer_del(p->ev_timer);
}

/* The last line the child wrote, for the error. */
static const char *
nproc_said(struct nproc *p)
{
	char *s = p->out, *nl;

	while (p->outlen > 0 &&
	    (s[p->outlen - 1] == '\n' || s[p->outlen - 1] == '\r' ||
	        s[p->outlen - 1] == ' '))
		s[--p->outlen] = '\0';
	if ((nl = strrchr(s, '\n')) != NULL)
		s = nl + 1;
	for (char *c = s; *c; c++)
		if ((unsigned char)*c < ' ')
			*c = ' ';
	return s;
}

static void
nproc_exited(struct nproc *p, int status)
{
	struct ntarget *t = p->t;
	char err[512];
	const char *said;
	int ok = 0;

	if (p->out_fd != -1)
		(void)nproc_read(p);
	said = nproc_said(p);
	if (p->timed_out)
		snprintf(err, sizeof(err), "%s: timed out after %d s%s%s",
		    t->c.argv[0][0] ? t->c.argv[0] : "sendmail", t->c.timeout,
		    said[0] ? ": " : "", said);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		ok = 1;
	else if (WIFEXITED(status))
		snprintf(err, sizeof(err), "exit status %d%s%.400s",
		    WEXITSTATUS(status), said[0] ? ": " : "", said);
	else
		snprintf(err, sizeof(err), "killed by signal %d",
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	t->proc = NULL;
	nproc_free(p);
	notify_done(t, ok, ok ? NULL : err);
}

void
nproc_reap(struct notifier *n)
{
	struct nproc *p, *next;
	int status;
	pid_t r;

	for (p = *nproc_orphans(n); p != NULL; p = next) {
		next = p->next;
		while ((r = waitpid(p->pid, &status, WNOHANG)) == -1 &&
		    errno == EINTR)
			;
		if (r == 0)
			continue;
		/* exited (or not ours any more: ECHILD) */
		nproc_unlink(n, p);
		if (p->t != NULL)
			nproc_exited(p, r == -1 ? 255 << 8 : status);
		else
			nproc_free(p);
		/* notify_done may start another child: start over */
		next = *nproc_orphans(n);
	}
}

void
nproc_shutdown(struct notifier *n)
{
	struct nproc *p;

	while ((p = *nproc_orphans(n)) != NULL) {
		*nproc_orphans(n) = p->next;
		kill(-p->pid, SIGKILL);
		kill(p->pid, SIGKILL);
		while (waitpid(p->pid, NULL, 0) == -1 && errno == EINTR)
			;
		if (p->t != NULL)
			p->t->proc = NULL;
		nproc_free(p);
	}
}
