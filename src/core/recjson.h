/*
 * recjson.h - the JSON object of each stored record, one writer per record
 * kind, shared by the CLI's --json (netpatrol(8) lists the keys) and the
 * daemon's HTTP API (/api/v1/..., docs/api.md): the two cannot drift.
 * Findings have theirs in finding.h (finding_json).
 */
#ifndef NP_RECJSON_H
#define NP_RECJSON_H

#include "json.h"
#include "store.h"

void recjson_device(struct jbuf *, const struct store_device *);
void recjson_port(struct jbuf *, const struct store_port *);
void recjson_event(struct jbuf *, const struct np_event *);
void recjson_trap(struct jbuf *, const struct store_trap *);
void recjson_log(struct jbuf *, const struct store_log *);
void recjson_sensor(struct jbuf *, const struct store_sensor *);
void recjson_probe(struct jbuf *, const struct store_probe *);
void recjson_fhist(struct jbuf *, const struct store_fhist *);
/* A plan run as "reports" lists it (done runs: those with a report). */
void recjson_planrun(struct jbuf *, const struct store_planrun *);

/* Names of IF-MIB and syslog numbers, as the records' text shows them. */
const char *recjson_admin_name(int);
const char *recjson_oper_name(int);
const char *recjson_facility_name(int);
const char *recjson_severity_name(int);
/* A syslog severity's number from its name or digit, -1 if none. */
int recjson_severity_parse(const char *);

#endif
