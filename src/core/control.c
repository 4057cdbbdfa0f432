/*
 * control.c - UNIX control socket, server and client (see control.h).
 */
#include "config.h"

#include <sys/queue.h>
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
#define CONTROL_MAX_TABLES 16
#define CONTROL_WRITE_SECS 10 /* to write an answer the client reads */

struct control_table {
	const struct control_cmd *cmds;
	size_t n;
	void *arg;
};

struct control_conn;
TAILQ_HEAD(control_conns, control_conn);

struct control {
	struct evconnlistener *lst;
	struct event_base *base;
	struct control_table t[CONTROL_MAX_TABLES];
	int nt;
	int nclients;
	struct control_conns conns; /* oldest first */
	unsigned long evicted;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

struct control_conn {
	TAILQ_ENTRY(control_conn) entry;
	struct control *c;
	int answered; /* the answer is being written */
	struct bufferevent *bev;
	struct control_peer peer; /* who asks, from the kernel */
};

static void control_ping(
    void *, const char *, const struct control_peer *, struct jbuf *);
static void control_help(
    void *, const char *, const struct control_peer *, struct jbuf *);

/* The socket's own commands, listed after the daemon's. */
static const struct control_cmd control_builtin[] = {
    {"ping", control_ping, CONTROL_ANYONE, "ping",
        "is the daemon there? its version"},
    {"help", control_help, CONTROL_ANYONE, "help",
        "the commands: name, syntax, who may run them, what they do"},
};
#define CONTROL_NBUILTIN (sizeof(control_builtin) / sizeof(control_builtin[0]))

int
control_allowed(enum control_who who, uid_t peer, uid_t self)
{
	switch (who) {
	case CONTROL_ANYONE: return 1;
	case CONTROL_USER: return peer == 0 || peer == self;
	case CONTROL_ROOT: return peer == 0;
	}
	return 0;
}

const char *
control_who_name(enum control_who who)
{
	switch (who) {
	case CONTROL_ANYONE: return "anyone";
	case CONTROL_USER: return "user";
	case CONTROL_ROOT: return "root";
	}
	return "nobody";
}

static void
control_ping(void *arg, const char *args, const struct control_peer *peer,
    struct jbuf *j)
{
	(void)arg;
	(void)args;
	(void)peer;
	json_kstr(j, "pong", PACKAGE_VERSION);
}

static void
control_help_table(struct jbuf *j, const struct control_cmd *cmds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_obj_open(j);
		json_kstr(j, "name", cmds[i].name);
		json_kstr(j, "syntax", cmds[i].syntax);
		json_kstr(j, "who", control_who_name(cmds[i].who));
		json_kstr(j, "help", cmds[i].help);
		json_obj_close(j);
	}
}

static void
control_help(void *arg, const char *args, const struct control_peer *peer,
    struct jbuf *j)
{
	struct control *c = arg;

	(void)args;
	(void)peer;
	json_key(j, "commands");
	json_arr_open(j);
	for (int i = 0; i < c->nt; i++)
		control_help_table(j, c->t[i].cmds, c->t[i].n);
	control_help_table(j, control_builtin, CONTROL_NBUILTIN);
	json_arr_close(j);
}

int
control_add(
    struct control *c, const struct control_cmd *cmds, size_t n, void *arg)
{
	if (c->nt == CONTROL_MAX_TABLES)
		return -1;
	c->t[c->nt].cmds = cmds;
	c->t[c->nt].n = n;
	c->t[c->nt].arg = arg;
	c->nt++;
	return 0;
}

/* The command NAME, and the argument its handler gets; NULL if unknown. */
static const struct control_cmd *
control_find(struct control *c, const char *name, void **argp)
{
	for (int i = 0; i < c->nt; i++)
		for (size_t k = 0; k < c->t[i].n; k++)
			if (strcmp(c->t[i].cmds[k].name, name) == 0) {
				*argp = c->t[i].arg;
				return &c->t[i].cmds[k];
			}
	for (size_t k = 0; k < CONTROL_NBUILTIN; k++)
		if (strcmp(control_builtin[k].name, name) == 0) {
			*argp = c;
			return &control_builtin[k];
		}
	return NULL;
}

int
control_run(struct control *c, const char *line,
    const struct control_peer *peer, struct jbuf *j)
{
	const struct control_cmd *cmd;
	char name[64];
	const char *args;
	void *cmdarg = NULL;
	size_t n;

	if ((args = strchr(line, ' ')) != NULL)
		n = (size_t)(args++ - line);
	else {
		n = strlen(line);
		args = "";
	}
	if (n >= sizeof(name))
		return -1;
	memcpy(name, line, n);
	name[n] = '\0';
	if ((cmd = control_find(c, name, &cmdarg)) == NULL)
		return -1;
	if (!control_allowed(cmd->who, peer->uid, geteuid()))
		return -1;
	cmd->fn(cmdarg, args, peer, j);
	return 0;
}

/* The user on the other end of a UNIX socket, by name where known. */
static void
control_peer(int fd, struct control_peer *p)
{
	struct ucred cr;
	socklen_t n = sizeof(cr);
	struct passwd pw, *res = NULL;
	char tmp[1024];

	p->uid = (uid_t)-1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &n) == -1) {
		snprintf(p->name, sizeof(p->name), "unknown");
		return;
	}
	p->uid = cr.uid;
	if (getpwuid_r(cr.uid, &pw, tmp, sizeof(tmp), &res) == 0 && res)
		snprintf(p->name, sizeof(p->name), "%s", pw.pw_name);
	else
		snprintf(p->name, sizeof(p->name), "uid %u", (unsigned)cr.uid);
}

static void
control_conn_free(struct control_conn *cc)
{
	cc->c->nclients--;
	TAILQ_REMOVE(&cc->c->conns, cc, entry);
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

static void control_event(struct bufferevent *, short, void *);

/*
 * The answer is queued: the connection ends when it is written, or when
 * the client goes (an error, EOF) or does not read it in the write
 * timeout (a client that asks and never reads must not keep its slot).
 */
static void
control_answered(struct control_conn *cc)
{
	struct timeval wtmo = {CONTROL_WRITE_SECS, 0};

	cc->answered = 1;
	bufferevent_disable(cc->bev, EV_READ);
	bufferevent_set_timeouts(cc->bev, NULL, &wtmo);
	bufferevent_setcb(cc->bev, NULL, control_written, control_event, cc);
}

static void
control_read(struct bufferevent *bev, void *arg)
{
	struct control_conn *cc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	const struct control_cmd *cmd;
	char *line, *args;
	void *cmdarg = NULL;
	size_t n;
	struct jbuf j;

	if ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)) == NULL) {
		if (evbuffer_get_length(in) > CONTROL_MAX_LINE) {
			bufferevent_write(
			    bev, "{\"error\":\"command too long\"}\n", 29);
			control_answered(cc);
		}
		return;
	}
	if ((args = strchr(line, ' ')) != NULL)
		*args++ = '\0';
	else
		args = "";
	jbuf_init(&j);
	json_obj_open(&j);
	if ((cmd = control_find(cc->c, line, &cmdarg)) == NULL) {
		json_kstr(&j, "error", "unknown command");
		json_kstr(&j, "command", line);
	} else if (!control_allowed(cmd->who, cc->peer.uid, geteuid())) {
		json_kstr(&j, "error", "permission denied");
		json_kstr(&j, "command", line);
	} else
		cmd->fn(cmdarg, args, &cc->peer, &j);
	json_obj_close(&j);
	jbuf_raw(&j, "\n");
	free(line);
	bufferevent_disable(bev, EV_READ);
	if (j.failed)
		bufferevent_write(bev, "{\"error\":\"out of memory\"}\n", 26);
	else
		bufferevent_write(bev, j.s, j.len);
	jbuf_free(&j);
	control_answered(cc);
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
	if (c->nclients >= CONTROL_MAX_CLIENTS) {
		/* full: the oldest client that does not read its answer
		 * goes, else the oldest that has not asked yet */
		struct control_conn *old = NULL, *x;

		TAILQ_FOREACH(x, &c->conns, entry)
		if (x->answered) {
			old = x;
			break;
		}
		if (old == NULL)
			old = TAILQ_FIRST(&c->conns);
		if (old != NULL) {
			if (c->evicted++ == 0 || c->evicted % 1000 == 0)
				log_warnx("control: %d clients: the oldest "
				          "closed for a new one (%lu times)",
				    c->nclients, c->evicted);
			control_conn_free(old);
		}
	}
	if ((cc = calloc(1, sizeof(*cc))) == NULL) {
		close(fd);
		return;
	}
	cc->c = c;
	control_peer(fd, &cc->peer);
	cc->bev = bufferevent_socket_new(c->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (cc->bev == NULL) {
		close(fd);
		free(cc);
		return;
	}
	c->nclients++;
	TAILQ_INSERT_TAIL(&c->conns, cc, entry);
	bufferevent_setcb(cc->bev, control_read, NULL, control_event, cc);
	bufferevent_set_timeouts(cc->bev, &tmo, &tmo);
	bufferevent_enable(cc->bev, EV_READ);
}

struct control *
control_start(
    struct event_base *base, const char *path, char *err, size_t errlen)
{
	struct control *c;
	struct sockaddr_un sun;
	char dir[sizeof(sun.sun_path)], *slash;
	struct stat st;
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
	/* A socket left by a daemon that died: is anyone there? Anything
	 * else by that name is not ours to remove. */
	if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket: not "
		    "removed", path);
		return NULL;
	}
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
	TAILQ_INIT(&c->conns);
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
	while (!TAILQ_EMPTY(&c->conns))
		control_conn_free(TAILQ_FIRST(&c->conns));
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
	/* MSG_NOSIGNAL: a daemon that closes is an error, not a SIGPIPE */
	if (send(fd, cmd, strlen(cmd), MSG_NOSIGNAL) == -1 ||
	    send(fd, "\n", 1, MSG_NOSIGNAL) == -1) {
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
