/*
 * inventory.h - the devices of the configuration in force and what polls
 * learned of them (sysName, ports), for every part of the daemon that has
 * to say which device and which port something it heard is about: the trap
 * and syslog receivers today, probes, config fetch and the API next.
 *
 * It lives on the event loop (no locking): the poller keeps it, taking the
 * device list at configure and reload (inv_configure) and feeding what its
 * polls learn (inv_set_sysname, inv_ports_begin, inv_port_put); the others
 * only look up. Lookups return NULL when nothing matches. A pointer it
 * returns stays valid until the next inv_configure(), which changes
 * inv_generation(): whoever keeps one keeps the generation beside it.
 */
#ifndef NP_CORE_INVENTORY_H
#define NP_CORE_INVENTORY_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "conf.h"

#define INV_ADDR_MAX 64 /* an address as text, with room to spare */

struct inventory;

/* A device, as configured and as polled. Read-only for its users. */
struct inv_device {
	char name[NP_NAME_MAX]; /* its configured name */
	char address[NP_STR_MAX]; /* as configured: IPv4, IPv6 or a host */
	char addr[INV_ADDR_MAX]; /* normalised (inv_addr_norm), "" for a host */
	struct snmp_cred cred; /* its polling credentials (traps take them) */
	char sysname[NP_STR_MAX]; /* sysName.0 as last polled, "" unknown */
};

/* A port of a device, as its last poll (or the store) knew it. */
struct inv_port {
	/* as long as they are: 10,000 switches' 480,000 ports took 370 MB
	 * with three NP_STR_MAX strings inline */
	const char *name; /* its identity: ifName, else ifDescr */
	const char *descr; /* ifDescr, "" unknown */
	const char *alias; /* ifAlias, "" none */
	uint32_t ifindex; /* as polled, 0 unknown; found by it if the last
	                   * poll saw it */
};

struct inventory *inv_new(void);
void inv_free(struct inventory *);

/*
 * The devices of configuration C, in its order. A device that stays (by
 * name) keeps its sysName and ports; one that left is forgotten. The
 * generation changes: every pointer given before is invalid.
 */
int inv_configure(struct inventory *, const struct config *c);
/* Changes at every inv_configure(); never 0. */
unsigned inv_generation(const struct inventory *);
size_t inv_count(const struct inventory *);
/* The I-th device in configuration order, I < inv_count(). */
const struct inv_device *inv_device_at(const struct inventory *, size_t i);

/* By configured name, exactly. */
const struct inv_device *inv_device_by_name(
    const struct inventory *, const char *name);
/*
 * By address as text (a sender's, a varbind's): IPv4 or IPv6 in any
 * spelling inet_pton() takes; an IPv4-mapped IPv6 address as its IPv4.
 * When two devices share an address, the first configured.
 */
const struct inv_device *inv_device_by_addr(
    const struct inventory *, const char *addr);
const struct inv_device *inv_device_by_sockaddr(
    const struct inventory *, const struct sockaddr *);
/*
 * By the host name a message gives (syslog's HOSTNAME), case-insensitive:
 * a configured name or a configured host-name address; for a fully
 * qualified name, else its first label. The first configured wins.
 */
const struct inv_device *inv_device_by_host(
    const struct inventory *, const char *host);
/* By sysName, case-insensitive; NULL too when several devices share it. */
const struct inv_device *inv_device_by_sysname(
    struct inventory *, const char *sysname);

/* What a poll of DEVICE learned: -1 when DEVICE is not configured. */
int inv_set_sysname(
    struct inventory *, const char *device, const char *sysname);
/* A poll's port list begins: no port is found by ifIndex until put again
 * (ports stay known by name). */
void inv_ports_begin(struct inventory *, const char *device);
/* A port, added or updated by NAME; IFINDEX 0 is not indexed (a port the
 * store remembers, which the device may have renumbered since). */
int inv_port_put(struct inventory *, const char *device, const char *name,
    uint32_t ifindex, const char *descr, const char *alias);

/* A port of DEVICE by the ifIndex its last poll saw. */
const struct inv_port *inv_port_by_index(
    const struct inventory *, const char *device, uint32_t ifindex);
/* By its name (ifName), exactly. */
const struct inv_port *inv_port_by_name(
    const struct inventory *, const char *device, const char *name);
/* By ifAlias, case-insensitive; NULL too when several ports share it. */
const struct inv_port *inv_port_by_alias(
    const struct inventory *, const char *device, const char *alias);
/*
 * By the name a message gives it (syslog): its name, its ifDescr, either
 * case-insensitive, or either in another common form ("GigabitEthernet1/0/3"
 * for "Gi1/0/3", "Ethernet1/1" for "Eth1/1"); a form two ports share finds
 * neither.
 */
const struct inv_port *inv_port_find(
    const struct inventory *, const char *device, const char *name);

/* An address in its usual text form into OUT (see inv_device_by_addr):
 * 0, or -1 when IN is not a numeric address. */
int inv_addr_norm(const char *in, char *out, size_t size);
/* The address of SA as text in that form ("?" for another family). */
void inv_addr_text(const struct sockaddr *sa, char *buf, size_t size);

#endif
