/*
 * control.c - UNIX control socket, server and client (see control.h).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "control.h"
#include "log.h"

#define CONTROL_MAX_CLIENTS 64

struct control {
	struct evconnlistener *lst;
	struct event_base *base;
	control_handler handler;
	void *arg;
	int nclients;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

struct control_conn {
	struct control *c;
	struct bufferevent *bev;
	char peer[64]; /* who asks: the client's user, from the kernel */
};

/* The user on the other end of a UNIX socket, by name where known. */
static void
control_peer(int fd, char *buf, size_t len)
{
	struct ucred cr;
	socklen_t n = sizeof(cr);
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &n) == -1) {
		snprintf(buf, len, "unknown");
		return;
	}
	if (getpwuid_r(cr.uid, &pw, tmp, sizeof(tmp), &res) == 0 && res)
		snprintf(buf, len, "%s", pw.pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)cr.uid);
}

static void
control_conn_free(struct control_conn *cc)
{
	cc->c->nclients--;
	bufferevent_free(cc->bev);
	free(cc);
}

static void
control_written(struct bufferevent *bev, void *arg)
{
	struct control_conn *cc = arg;

	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		control_conn_free(cc);
}

static void
control_read(struct bufferevent *bev, void *arg)
{
	struct control_conn *cc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line, *args;
	size_t n;
	struct jbuf j;

	if ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)) == NULL) {
		if (evbuffer_get_length(in) > CONTROL_MAX_LINE) {
			bufferevent_write(
			    bev, "{\"error\":\"command too long\"}\n", 29);
			bufferevent_setcb(bev, NULL, control_written, NULL, cc);
		}
		return;
	}
	if ((args = strchr(line, ' ')) != NULL)
		*args++ = '\0';
	else
		args = "";
	jbuf_init(&j);
	json_obj_open(&j);
	if (cc->c->handler(cc->c->arg, line, args, cc->peer, &j) == -1) {
		jbuf_free(&j);
		jbuf_init(&j);
		json_obj_open(&j);
		json_kstr(&j, "error", "unknown command");
		json_kstr(&j, "command", line);
	}
	json_obj_close(&j);
	jbuf_raw(&j, "\n");
	free(line);
	bufferevent_disable(bev, EV_READ);
	if (j.failed)
		bufferevent_write(bev, "{\"error\":\"out of memory\"}\n", 26);
	else
		bufferevent_write(bev, j.s, j.len);
	jbuf_free(&j);
	bufferevent_setcb(bev, NULL, control_written, NULL, cc);
}

static void
control_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		control_conn_free(arg);
}

static void
control_accept(struct evconnlistener *lst, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct control *c = arg;
	struct control_conn *cc;
	struct timeval tmo = {10, 0};

	(void)lst;
	(void)sa;
	(void)salen;
	if (c->nclients >= CONTROL_MAX_CLIENTS ||
	    (cc = calloc(1, sizeof(*cc))) == NULL) {
		close(fd);
		return;
	}
	cc->c = c;
	control_peer(fd, cc->peer, sizeof(cc->peer));
	cc->bev = bufferevent_socket_new(c->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (cc->bev == NULL) {
		close(fd);
		free(cc);
		return;
	}
	c->nclients++;
	bufferevent_setcb(cc->bev, control_read, NULL, control_event, cc);
	bufferevent_set_timeouts(cc->bev, &tmo, &tmo);
	bufferevent_enable(cc->bev, EV_READ);
}

struct control *
control_start(struct event_base *base, const char *path, control_handler h,
    void *arg, char *err, size_t errlen)
{
	struct control *c;
	struct sockaddr_un sun;
	char dir[sizeof(sun.sun_path)], *slash;
	mode_t old;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "control socket path too long: %s", path);
		return NULL;
	}
	strcpy(sun.sun_path, path);
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			return NULL;
		}
	}
	/* A socket left by a daemon that died: is anyone there? */
	if (access(path, F_OK) == 0) {
		char e[64];
		char *ans = control_request(path, "ping", 500, e, sizeof(e));

		if (ans != NULL) {
			free(ans);
			snprintf(err, errlen,
			    "%s: another netpatrold is running", path);
			return NULL;
		}
		unlink(path);
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->base = base;
	c->handler = h;
	c->arg = arg;
	snprintf(c->path, sizeof(c->path), "%s", path);
	old = umask(0117);
	c->lst = evconnlistener_new_bind(base, control_accept, c,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 16,
	    (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (c->lst == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(c);
		return NULL;
	}
	return c;
}

void
control_stop(struct control *c)
{
	if (c == NULL)
		return;
	evconnlistener_free(c->lst);
	unlink(c->path);
	free(c);
}

char *
control_request(
    const char *path, const char *cmd, int timeout_ms, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct pollfd pfd;
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "control socket path too long");
		return NULL;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return NULL;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		snprintf(err, errlen, "cannot reach netpatrold at %s: %s", path,
		    strerror(errno));
		close(fd);
		return NULL;
	}
	if (write(fd, cmd, strlen(cmd)) == -1 || write(fd, "\n", 1) == -1) {
		snprintf(
		    err, errlen, "writing to %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		int r = poll(&pfd, 1, timeout_ms);

		if (r == 0) {
			snprintf(err, errlen,
			    "netpatrold did not answer in %d ms", timeout_ms);
			goto fail;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > 64 * 1024 * 1024 ||
			    (nb = realloc(buf, cap)) == NULL) {
				snprintf(err, errlen, "answer too large");
				goto fail;
			}
			buf = nb;
		}
		if ((n = read(fd, buf + len, cap - len - 1)) == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "reading from %s: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (buf == NULL || len == 0) {
		free(buf);
		snprintf(err, errlen,
		    "netpatrold closed the connection without answer");
		return NULL;
	}
	buf[len] = '\0';
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}
