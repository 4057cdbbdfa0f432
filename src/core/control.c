/*
 * control.c - UNIX control socket, server and client (see control.h).
 */
#include "config.h"

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
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
	struct control_access acc; /* who may read, who may change */
	control_after_fn after; /* a change's answer waits for the store */
	void *after_arg;
	uint64_t next_held;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

struct control_conn {
	TAILQ_ENTRY(control_conn) entry;
	struct control *c;
	int answered; /* the answer is being written */
	struct bufferevent *bev;
	struct control_peer peer; /* who asks, from the kernel */
	/* a change's answer, held until the store commits (id 0: none) */
	uint64_t held_id;
	char *held;
	size_t held_len;
	struct event *ev_held; /* CONTROL_HOLD_SECS at most */
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
	case CONTROL_READ:
	case CONTROL_CHANGE: return 1; /* the groups: control_peer_may */
	}
	return 0;
}

static int
control_in(gid_t g, const gid_t *gids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (gids[i] == g)
			return 1;
	return 0;
}

unsigned
control_peer_rights(const struct control_access *a, uid_t uid,
    const gid_t *gids, size_t n, uid_t self)
{
	unsigned r = 0;

	if (uid == 0 || uid == self)
		return CONTROL_R_READ | CONTROL_R_CHANGE;
	if (uid == (uid_t)-1)
		return 0;
	if (!a->read_set || control_in(a->read_gid, gids, n) ||
	    (a->change_set && control_in(a->change_gid, gids, n)))
		r |= CONTROL_R_READ;
	if (a->change_set ? control_in(a->change_gid, gids, n)
	                  : (r & CONTROL_R_READ) != 0)
		r |= CONTROL_R_CHANGE;
	return r;
}

int
control_peer_may(
    const struct control_peer *p, enum control_who who, uid_t self)
{
	if (!control_allowed(who, p->uid, self))
		return 0;
	switch (who) {
	case CONTROL_READ: return (p->rights & CONTROL_R_READ) != 0;
	case CONTROL_CHANGE: return (p->rights & CONTROL_R_CHANGE) != 0;
	default: return 1;
	}
}

int
control_group_id(const char *group, gid_t *out)
{
	struct group gr, *res = NULL;
	char buf[16384], *end;
	unsigned long v;

	if (getgrnam_r(group, &gr, buf, sizeof(buf), &res) == 0 && res) {
		*out = gr.gr_gid;
		return 0;
	}
	errno = 0;
	v = strtoul(group, &end, 10);
	if (group[0] >= '0' && group[0] <= '9' && *end == '\0' && errno == 0 &&
	    v < (unsigned long)UINT_MAX) {
		*out = (gid_t)v;
		return 0;
	}
	return -1;
}

int
control_access_resolve(const char *read_group, const char *change_group,
    struct control_access *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (read_group[0]) {
		if (control_group_id(read_group, &out->read_gid) == -1) {
			snprintf(err, errlen, "read-group \"%s\": no such group",
			    read_group);
			return -1;
		}
		out->read_set = 1;
	}
	if (change_group[0]) {
		if (control_group_id(change_group, &out->change_gid) == -1) {
			snprintf(err, errlen,
			    "change-group \"%s\": no such group", change_group);
			return -1;
		}
		out->change_set = 1;
	}
	return 0;
}

void
control_set_access(struct control *c, const struct control_access *a)
{
	c->acc = *a;
}

/* A changing command is logged with who ran it, as the kernel says. */
static void
control_log_change(const struct control_cmd *cmd, const char *args,
    const struct control_peer *p)
{
	if (cmd->who != CONTROL_CHANGE)
		return;
	if (p->uid == (uid_t)-1)
		log_info("control: %s %.200s: by %s", cmd->name, args, p->name);
	else
		log_info("control: %s %.200s: by %s (uid %u, pid %ld)",
		    cmd->name, args, p->name, (unsigned)p->uid, (long)p->pid);
}

const char *
control_who_name(enum control_who who)
{
	switch (who) {
	case CONTROL_ANYONE: return "anyone";
	case CONTROL_USER: return "user";
	case CONTROL_ROOT: return "root";
	case CONTROL_READ: return "read";
	case CONTROL_CHANGE: return "change";
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
control_parse_line(
    char *line, size_t n, char **name, char **args, const char **why)
{
	size_t i, k;

	*name = *args = NULL;
	if (n == 0) {
		*why = "empty command";
		return -1;
	}
	if (n > CONTROL_MAX_LINE) {
		*why = "command too long";
		return -1;
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)line[i];

		if (ch == '\0') {
			*why = "NUL byte in the command";
			return -1;
		}
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			*why = "control character in the command";
			return -1;
		}
	}
	for (k = 0; k < n && line[k] != ' '; k++) {
		unsigned char ch = (unsigned char)line[k];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		        ch == '-' || ch == '_')) {
			*why = "not a command name";
			return -1;
		}
	}
	if (k == 0 || k >= CONTROL_NAME_MAX) {
		*why = k ? "command name too long" : "not a command name";
		return -1;
	}
	line[n] = '\0';
	*name = line;
	if (k < n) {
		line[k] = '\0';
		*args = line + k + 1;
	} else
		*args = line + n;
	return 0;
}

int
control_run(struct control *c, const char *line,
    const struct control_peer *peer, struct jbuf *j)
{
	const struct control_cmd *cmd;
	char buf[CONTROL_MAX_LINE + 1], *name, *args;
	const char *why;
	void *cmdarg = NULL;
	size_t n = strlen(line);

	if (n > CONTROL_MAX_LINE)
		return -1;
	memcpy(buf, line, n + 1);
	if (control_parse_line(buf, n, &name, &args, &why) == -1)
		return -1;
	if ((cmd = control_find(c, name, &cmdarg)) == NULL)
		return -1;
	if (!control_peer_may(peer, cmd->who, geteuid()))
		return -1;
	control_log_change(cmd, args, peer);
	cmd->fn(cmdarg, args, peer, j);
	return 0;
}

/*
 * The groups of the process on the other end (SO_PEERGROUPS, Linux 4.13),
 * else the user's as the group database has them: N of them into GIDS
 * (at most MAX). The count, or -1.
 */
static int
control_peer_groups(int fd, const struct control_peer *p, gid_t *gids, int max)
{
	socklen_t len = (socklen_t)(sizeof(gid_t) * (size_t)max);
	int n = max;

#ifdef SO_PEERGROUPS
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, gids, &len) == 0)
		return (int)(len / sizeof(gid_t));
	if (errno == ERANGE)
		return -1; /* more than max: not one is trusted */
#endif
	if (strncmp(p->name, "uid ", 4) == 0 || p->uid == (uid_t)-1)
		return 0;
	if (getgrouplist(p->name, p->gid, gids, &n) == -1)
		return -1;
	return n;
}

/* The user on the other end of a UNIX socket, by name where known. */
static void
control_peer(struct control *c, int fd, struct control_peer *p)
{
	struct ucred cr;
	socklen_t n = sizeof(cr);
	struct passwd pw, *res = NULL;
	char tmp[1024];
	gid_t gids[1024];
	int ng;

	p->uid = (uid_t)-1;
	p->gid = (gid_t)-1;
	p->pid = 0;
	p->rights = 0;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &n) == -1) {
		snprintf(p->name, sizeof(p->name), "unknown");
		return;
	}
	p->uid = cr.uid;
	p->gid = cr.gid;
	p->pid = cr.pid;
	if (getpwuid_r(cr.uid, &pw, tmp, sizeof(tmp), &res) == 0 && res)
		snprintf(p->name, sizeof(p->name), "%s", pw.pw_name);
	else
		snprintf(p->name, sizeof(p->name), "uid %u", (unsigned)cr.uid);
	gids[0] = cr.gid;
	if ((ng = control_peer_groups(fd, p, gids + 1, 1023)) < 0)
		ng = 0;
	p->rights = control_peer_rights(
	    &c->acc, p->uid, gids, (size_t)ng + 1, geteuid());
}

static void
control_conn_free(struct control_conn *cc)
{
	free(cc->held);
	if (cc->ev_held)
		event_free(cc->ev_held);
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

	/* from now: a command that took long (rrd-flush writing every file)
	 * left the loop's cached time behind, and the write timeout would
	 * have expired before the answer went (the client saw the
	 * connection closed without one) */
	event_base_update_cache_time(cc->c->base);
	cc->answered = 1;
	bufferevent_disable(cc->bev, EV_READ);
	bufferevent_set_timeouts(cc->bev, NULL, &wtmo);
	bufferevent_setcb(cc->bev, NULL, control_written, control_event, cc);
}

void
control_set_after_change(struct control *c, control_after_fn fn, void *arg)
{
	c->after = fn;
	c->after_arg = arg;
}

/* The held answer of CC goes. */
static void
control_unhold(struct control_conn *cc)
{
	bufferevent_write(cc->bev, cc->held, cc->held_len);
	free(cc->held);
	cc->held = NULL;
	cc->held_id = 0;
	event_free(cc->ev_held);
	cc->ev_held = NULL;
	control_answered(cc);
}

void
control_release(struct control *c, uint64_t id)
{
	struct control_conn *cc;

	TAILQ_FOREACH(cc, &c->conns, entry)
	if (cc->held_id == id) {
		control_unhold(cc);
		return;
	}
	/* (the client went meanwhile) */
}

static void
control_held_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	control_unhold(arg);
}

/* CC's answer J, to change command: held until the store commits. */
static int
control_hold(struct control_conn *cc, const struct jbuf *j)
{
	struct control *c = cc->c;
	struct timeval tv = {CONTROL_HOLD_SECS, 0};

	event_base_update_cache_time(c->base); /* (as control_answered) */
	if (c->after == NULL || j->failed ||
	    (cc->held = malloc(j->len)) == NULL)
		return -1;
	if ((cc->ev_held = evtimer_new(c->base, control_held_timeout, cc)) ==
	    NULL) {
		free(cc->held);
		cc->held = NULL;
		return -1;
	}
	memcpy(cc->held, j->s, j->len);
	cc->held_len = j->len;
	cc->held_id = ++c->next_held;
	cc->answered = 1; /* (as one that does not read its answer) */
	evtimer_add(cc->ev_held, &tv);
	if (c->after(c->after_arg, cc->held_id) == -1) {
		control_unhold(cc);
		return 0;
	}
	return 0;
}

static void
control_read(struct bufferevent *bev, void *arg)
{
	struct control_conn *cc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	const struct control_cmd *cmd;
	char *line, *name, *args;
	const char *why;
	void *cmdarg = NULL;
	size_t n;
	struct jbuf j;
	int change = 0;

	if ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)) == NULL) {
		if (evbuffer_get_length(in) > CONTROL_MAX_LINE) {
			bufferevent_write(
			    bev, "{\"error\":\"command too long\"}\n", 29);
			control_answered(cc);
		}
		return;
	}
	jbuf_init(&j);
	json_obj_open(&j);
	if (control_parse_line(line, n, &name, &args, &why) == -1) {
		json_kstr(&j, "error", why);
		json_key(&j, "command");
		json_strn(&j, line, n < 64 ? n : 64);
	} else if ((cmd = control_find(cc->c, name, &cmdarg)) == NULL) {
		json_kstr(&j, "error", "unknown command");
		json_kstr(&j, "command", line);
	} else if (!control_peer_may(&cc->peer, cmd->who, geteuid())) {
		json_kstr(&j, "error",
		    cmd->who == CONTROL_CHANGE ? "permission denied: the "
		                                 "change-group's command"
		    : cmd->who == CONTROL_READ ? "permission denied: the "
		                                 "read-group's command"
		                               : "permission denied");
		json_kstr(&j, "command", line);
	} else {
		control_log_change(cmd, args, &cc->peer);
		cmd->fn(cmdarg, args, &cc->peer, &j);
		change = cmd->who == CONTROL_CHANGE;
	}
	json_obj_close(&j);
	jbuf_raw(&j, "\n");
	free(line);
	bufferevent_disable(bev, EV_READ);
	if (change && control_hold(cc, &j) == 0) {
		jbuf_free(&j);
		return;
	}
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
	control_peer(c, fd, &cc->peer);
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
control_start(struct event_base *base, const char *path, gid_t gid,
    mode_t mode, char *err, size_t errlen)
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
	/* who may connect at all: the mode and group configured, set now,
	 * while the daemon may (the owner becomes its user at the drop) */
	if (chmod(path, mode) == -1 ||
	    (gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) == -1)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		evconnlistener_free(c->lst);
		unlink(path);
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
