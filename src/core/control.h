/*
 * control.h - the daemon's UNIX control socket. A client writes one
 * command line ("status", "reload", "ping", "help"); the daemon answers
 * with one JSON document and closes the connection. The commands come
 * from tables (struct control_cmd) that the daemon's modules add.
 */
#ifndef NP_CONTROL_H
#define NP_CONTROL_H

#include <sys/types.h>

#include <event2/event.h>

#include "json.h"

#define CONTROL_MAX_LINE 1024

/*
 * Who may run a command. Connecting at all takes the socket's permissions
 * (mode 0660: the daemon's user and its group); some commands can ask
 * more of the peer's credentials, as the kernel gives them.
 */
enum control_who {
	CONTROL_ANYONE, /* anyone who can connect */
	CONTROL_USER, /* root or the daemon's own user */
	CONTROL_ROOT, /* root only */
	CONTROL_READ, /* reads: root, the user, the read-group's members */
	CONTROL_CHANGE, /* changes: root, the user, the change-group's */
};

/* What a peer may run, besides CONTROL_ANYONE's (control_peer_rights). */
#define CONTROL_R_READ 0x01
#define CONTROL_R_CHANGE 0x02

/* Who asks, as the kernel says (SO_PEERCRED): never what a client claims. */
struct control_peer {
	uid_t uid; /* (uid_t)-1 when the kernel did not say */
	gid_t gid;
	pid_t pid; /* 0 when the kernel did not say */
	unsigned rights; /* CONTROL_R_* */
	char name[64]; /* the user's name, or "uid N", or "unknown" */
};

/*
 * A command's handler: fill J (an open object) with the answer to ARGS
 * ("" when none); an error is an "error" key.
 */
typedef void (*control_fn)(
    void *arg, const char *args, const struct control_peer *, struct jbuf *j);

/* A line of a command table (rrdcached's): how "help" shows it, too. */
struct control_cmd {
	const char *name;
	control_fn fn;
	enum control_who who;
	const char *syntax;
	const char *help;
};

struct control;

/*
 * Bind PATH with MODE and group GID ((gid_t)-1: the process's); "ping"
 * and "help" are known from the start.
 */
struct control *control_start(struct event_base *, const char *path,
    gid_t gid, mode_t mode, char *err, size_t errlen);
/*
 * The groups whose members may run CONTROL_READ and CONTROL_CHANGE
 * commands (besides root and the daemon's user): a name or a number, ""
 * for anyone who can connect (a change-group of "" follows the
 * read-group). 0, or -1 with ERR for a group that does not exist.
 */
struct control_access {
	int read_set, change_set;
	gid_t read_gid, change_gid;
};
int control_access_resolve(const char *read_group, const char *change_group,
    struct control_access *out, char *err, size_t errlen);
void control_set_access(struct control *, const struct control_access *);
/* A group's number from its name or number: 0, or -1 if unknown. */
int control_group_id(const char *group, gid_t *out);
/* Add a table of N commands, whose handlers get ARG. 0, or -1 if full. */
int control_add(
    struct control *, const struct control_cmd *, size_t n, void *arg);
void control_stop(struct control *);

/*
 * The answer to a command that changes something is held until what it
 * queued for the store is committed, so that a read right after it sees
 * the change: AFTER(ARG, ID) is called once the command ran, and is to
 * have control_release(ID) called when the store has written what came
 * before (on the loop); -1: it cannot, the answer goes now. An answer
 * waits CONTROL_HOLD_SECS at most.
 */
#define CONTROL_HOLD_SECS 5
typedef int (*control_after_fn)(void *arg, uint64_t id);
void control_set_after_change(struct control *, control_after_fn, void *arg);
void control_release(struct control *, uint64_t id);
/*
 * Run the command LINE in the daemon itself for PEER (the HTTP API: the
 * same handler, the same JSON), writing into J, an open object. 0, or -1
 * when the command is unknown or not PEER's to run.
 */
int control_run(struct control *, const char *line,
    const struct control_peer *peer, struct jbuf *j);

/*
 * A request line as a client sends it, "NAME[ ARGS]": LINE, N bytes as
 * read (no end of line) and room for a NUL after them, split in place into *NAME (1 to
 * CONTROL_NAME_MAX - 1 of a-z, 0-9, '-', '_') and *ARGS (the rest after
 * one space, "" when none). 0; or -1 with *WHY when the line is empty,
 * longer than CONTROL_MAX_LINE, has a NUL or another control character
 * (a tab excepted), or its name is not one. Pure: the fuzz target's.
 */
#define CONTROL_NAME_MAX 64
int control_parse_line(
    char *line, size_t n, char **name, char **args, const char **why);

/*
 * May PEER run a command for WHO, in a daemon running as SELF? (Of
 * CONTROL_READ and CONTROL_CHANGE, only what the uid decides: the groups
 * are the peer's rights, control_peer_may.)
 */
int control_allowed(enum control_who who, uid_t peer, uid_t self);
int control_peer_may(
    const struct control_peer *, enum control_who who, uid_t self);
/* The rights of a peer of UID in groups GIDS (N of them), for ACCESS. */
unsigned control_peer_rights(const struct control_access *, uid_t uid,
    const gid_t *gids, size_t n, uid_t self);
const char *control_who_name(enum control_who);

/* Client side (the CLI): send CMD, return the answer (malloc'd) or NULL. */
char *control_request(const char *path, const char *cmd, int timeout_ms,
    char *err, size_t errlen);

#endif
