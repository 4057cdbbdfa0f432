/*
 * control.h - the daemon's UNIX control socket. A client writes one
 * command line ("status", "reload", "ping"); the daemon answers with one
 * JSON document and closes the connection.
 */
#ifndef NP_CONTROL_H
#define NP_CONTROL_H

#include <event2/event.h>

#include "json.h"

#define CONTROL_MAX_LINE 1024

/*
 * Fill J with the answer to CMD (ARGS may be ""); PEER is the asking
 * user's name, as the kernel says. Return -1 if CMD is unknown.
 */
typedef int (*control_handler)(void *arg, const char *cmd, const char *args,
    const char *peer, struct jbuf *j);

struct control;

struct control *control_start(struct event_base *, const char *path,
    control_handler, void *arg, char *err, size_t errlen);
void control_stop(struct control *);

/* Client side (the CLI): send CMD, return the answer (malloc'd) or NULL. */
char *control_request(const char *path, const char *cmd, int timeout_ms,
    char *err, size_t errlen);

#endif
