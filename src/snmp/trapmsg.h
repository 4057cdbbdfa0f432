/*
 * trapmsg.h - what a trap or inform says, whatever its version: SNMPv1
 * traps are turned into the SNMPv2 form (RFC 3584 section 3.1), varbinds
 * are rendered as text and JSON (with MIB names where net-snmp knows them),
 * and rule texts are filled from them. No I/O: the listener is trap.c.
 */
#ifndef NP_SNMP_TRAPMSG_H
#define NP_SNMP_TRAPMSG_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "json.h"

/* Varbinds of one trap rendered and matched; more are stored, not matched. */
#define TRAPMSG_MAX_VB 64

struct trap_msg {
	int version; /* 1, 2 (v2c) or 3 */
	int inform;
	oid trap_oid[MAX_OID_LEN];
	size_t trap_oid_len; /* 0: a v2 trap without snmpTrapOID.0 */
	uint64_t uptime; /* sysUpTime.0 or the v1 time-stamp, ticks */
	int has_uptime;
	/* the varbinds after sysUpTime.0 and snmpTrapOID.0 */
	const netsnmp_variable_list *vb[TRAPMSG_MAX_VB];
	int nvb;
	int vb_dropped; /* beyond TRAPMSG_MAX_VB */
	/* SNMPv1 only: the agent-addr and enterprise fields */
	char agent_addr[16];
	oid enterprise[MAX_OID_LEN];
	size_t enterprise_len;
	char problem[64]; /* "" or what was wrong with the form */
};

/* Standard traps of SNMPv2-MIB (snmpTraps), 0 for any other. */
enum trap_std {
	TRAP_OTHER = 0,
	TRAP_COLDSTART,
	TRAP_WARMSTART,
	TRAP_LINKDOWN,
	TRAP_LINKUP,
	TRAP_AUTHFAIL,
	TRAP_EGPLOSS
};

/* Read PDU (a v1 trap, a v2 trap or an inform) into M; never fails. */
void trapmsg_read(const netsnmp_pdu *pdu, struct trap_msg *m);
enum trap_std trapmsg_std(const struct trap_msg *m);

/* OID as dotted numbers with a leading dot. */
char *trapmsg_oid_text(const oid *o, size_t len, char *buf, size_t size);
/* OID as a MIB name (IF-MIB::linkDown), or "" when no MIB knows it. */
char *trapmsg_oid_name(const oid *o, size_t len, char *buf, size_t size);
/* The names remembered by trapmsg_oid_name, freed (at exit). */
void trapmsg_forget_names(void);
/* A value as text: numbers, printable strings, hex for binary, enums. */
char *trapmsg_value_text(
    const netsnmp_variable_list *vb, char *buf, size_t size);
const char *trapmsg_type_name(u_char type);

/* The varbinds as a JSON array of {oid, name, type, value}. */
void trapmsg_json(const struct trap_msg *m, const netsnmp_pdu *pdu,
    struct jbuf *j, int names);

/* The first varbind whose OID starts with PREFIX; its index or -1. */
int trapmsg_find(const struct trap_msg *m, const oid *prefix, size_t len);

/*
 * Fill TEMPLATE into OUT: %1..%64 are the varbinds' values (after
 * sysUpTime.0 and snmpTrapOID.0), %oid the trap OID, %name its MIB name
 * (else the OID), %device and %sender, %% a percent sign (not $, which
 * the configuration's macros take). Unknown references are kept as
 * written.
 */
void trapmsg_subst(const char *tmpl, const struct trap_msg *m,
    const char *device, const char *sender, char *out, size_t size);

/*
 * A configuration-change notification (trapcfg.c): 1 with EV filled
 * (config.changed, config.saved), 0 for any other trap.
 */
struct np_event;
int trapmsg_config_event(const struct trap_msg *m, const char *device,
    const char *sender, struct np_event *ev);

/* A one-line summary "NAME: vb=value, ..." for an event's text. */
void trapmsg_summary(const struct trap_msg *m, char *out, size_t size);

#endif
