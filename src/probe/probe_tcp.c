/*
 * probe_tcp.c - TCP connect tries for the probe engine: a non-blocking
 * connect per try, its completion an I/O event on the loop (no timer:
 * the step's end closes what has not answered). The round trip is the
 * time to the handshake; refused or not answered in the timeout is lost.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probe_int.h"

static void
probe_tcp_end(struct probe_rt *p, int i)
{
	if (p->tev[i] != NULL)
		event_free(p->tev[i]);
	p->tev[i] = NULL;
	if (p->fd[i] != -1)
		close(p->fd[i]);
	p->fd[i] = -1;
}

static void
probe_tcp_done(struct probe_rt *p, int i, int error)
{
	double rtt = (probe_mono() - p->sent[i]) * 1000.0;

	probe_tcp_end(p, i);
	if (error == ECONNREFUSED)
		p->refused++;
	if (error != 0)
		return;
	if (rtt > p->c.timeout_ms) {
		p->e->late++;
		return;
	}
	p->rtt[i] = rtt;
	p->e->received++;
}

static void
probe_tcp_cb(evutil_socket_t fd, short what, void *arg)
{
	struct probe_rt *p = arg;
	int error = 0;
	socklen_t len = sizeof(error);

	(void)what;
	for (int i = 0; i < NP_PROBE_PINGS; i++)
		if (p->fd[i] == fd) {
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) ==
			    -1)
				error = errno;
			probe_tcp_done(p, i, error);
			return;
		}
}

void
probe_tcp_start(struct probe_rt *p, int i)
{
	int fd;

	probe_tcp_end(p, i);
	if (i == 0)
		p->refused = 0;
	if ((fd = socket(p->ss.ss_family,
	         SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1) {
		p->e->send_errors++;
		return;
	}
	p->fd[i] = fd;
	p->sent[i] = probe_mono();
	p->e->sent++;
	if (connect(fd, (struct sockaddr *)&p->ss, p->sslen) == 0) {
		probe_tcp_done(p, i, 0);
		return;
	}
	if (errno != EINPROGRESS) {
		probe_tcp_done(p, i, errno);
		return;
	}
	if ((p->tev[i] = event_new(p->e->base, fd, EV_WRITE, probe_tcp_cb,
	         p)) == NULL ||
	    event_add(p->tev[i], NULL) == -1) {
		p->e->send_errors++;
		probe_tcp_end(p, i);
	}
}

/* The step is over: what has not connected is lost. */
void
probe_tcp_close(struct probe_rt *p)
{
	for (int i = 0; i < NP_PROBE_PINGS; i++)
		probe_tcp_end(p, i);
}
