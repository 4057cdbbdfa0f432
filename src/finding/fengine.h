/*
 * fengine.h - the findings stage: it follows the event bus, opens,
 * updates, resolves, verifies and closes findings (fsm.c's rules), keeps
 * their history in the store, holds notifications for flapping,
 * maintenance and consequences, and takes people's actions from the
 * control socket.
 */
#ifndef NP_FENGINE_H
#define NP_FENGINE_H

#include <event2/event.h>

#include "conf.h"
#include "evbus.h"
#include "json.h"
#include "store.h"

struct fengine;

/* Who hears of findings that change (the notifier): never while held. */
typedef void (*fengine_change_fn)(
    void *arg, const struct finding *, enum finding_change);
typedef void (*fengine_settled_fn)(void *arg, int64_t id);

/* STORE_PATH: the store's file, read at start for findings not closed. */
struct fengine *fengine_new(struct event_base *, struct store *,
    const char *store_path, struct evbus *);
void fengine_listen(
    struct fengine *, fengine_change_fn, fengine_settled_fn, void *arg);
/* Devices (location, owner, impact, dependencies), deadlines, windows. */
void fengine_configure(struct fengine *, const struct config *);
/* A poll of DEVICE that began at START went well: verify what it checks. */
void fengine_poll_ok(struct fengine *, const char *device, double start);
/*
 * A person's action, as the control socket's "finding" command carries it:
 * "ack|resolve|verify|close|note|assign ID [TEXT]" or
 * "open DEVICE SEVERITY TITLE". ACTOR is who asks. Fills J; -1 with
 * J's "error" set when it cannot be done.
 */
int fengine_command(
    struct fengine *, const char *args, const char *actor, struct jbuf *j);
void fengine_status(struct fengine *, struct jbuf *);
void fengine_free(struct fengine *);
/*
 * A node of a cluster whose store is shared (PostgreSQL) holds the N
 * devices NAMES now: it follows their findings (read again from the
 * store for a device it comes to hold) and no longer the others'.
 */
int fengine_own(struct fengine *, char *const *names, size_t n);

#endif
