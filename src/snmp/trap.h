/*
 * trap.h - the SNMP trap and inform receiver, on the daemon's event loop:
 * UDP listeners (IPv4, IPv6), v1/v2c communities and v3 USM users, informs
 * acknowledged, senders mapped to devices, standard traps and configured
 * rules turned into events, storms folded, every trap stored with its
 * varbinds and counted per sender.
 */
#ifndef NP_SNMP_TRAP_H
#define NP_SNMP_TRAP_H

#include <event2/event.h>

#include "conf.h"
#include "evbus.h"
#include "json.h"
#include "inventory.h"
#include "store.h"

struct trapd;

struct trapd *trapd_new(struct event_base *, struct store *, struct evbus *);
/* Bind the configured listeners (before privileges are dropped). */
int trapd_listen(struct trapd *, const struct config *, char *err, size_t);
/* Communities, users, rules, storm limits: at start and reload; senders
 * are mapped to devices through the inventory. */
void trapd_configure(
    struct trapd *, const struct config *, struct inventory *);
void trapd_status(struct trapd *, struct jbuf *);
void trapd_free(struct trapd *);

#endif
