/*
 * finding.h - findings: what the NOC works on. Events of every source
 * open, update and resolve findings (one per device and key, so that a
 * trap, a syslog line and a poll of the same fault are one finding); a
 * finding goes open -> acknowledged -> resolved -> verified -> closed,
 * every transition timestamped and attributed, and reopens when the fault
 * comes back before it is closed.
 */
#ifndef NP_FINDING_H
#define NP_FINDING_H

#include <stdint.h>

#include "conf.h"
#include "event.h"

enum finding_state {
	FS_OPEN = 0,
	FS_ACKNOWLEDGED,
	FS_RESOLVED,
	FS_VERIFIED,
	FS_CLOSED
};

/* The regime's roles: who answers for a finding. */
enum finding_role { FR_OPERATIONS = 0, FR_SECURITY, FR_BUSINESS };

/* Why a notification goes out. */
enum finding_change {
	FC_OPEN = 0, /* opened, or reopened */
	FC_SEVERITY, /* its severity changed */
	FC_ESCALATE, /* not acknowledged in time */
	FC_RESOLVE
};

struct finding {
	int64_t id;
	char key[NP_NAME_MAX + NP_STR_MAX + 2]; /* "DEVICE/EVENTKEY" */
	char device[NP_NAME_MAX];
	char object[NP_STR_MAX]; /* the port, sensor, process... or "" */
	char kind[40]; /* the event kind that opened it: "port.down" */
	char title[256];
	char description[512]; /* the last event's text */
	char location[NP_STR_MAX]; /* the device's location */
	char impact[NP_STR_MAX]; /* what depends on it, when known */
	enum np_severity severity;
	int priority; /* 1 (most urgent) .. 4 */
	enum finding_role role;
	char owner[NP_NAME_MAX];
	enum finding_state state;
	int flapping;
	int suppressed; /* in a maintenance window: recorded, not notified */
	int64_t consequence_of; /* the upstream device's finding, or 0 */
	int manual; /* entered by a person */
	uint64_t count; /* events seen */
	int reopened;
	double first_seen, last_seen;
	double respond_by, resolve_by; /* deadlines from the priority */
	double opened, acknowledged, resolved, verified, closed; /* 0: not */
	double updated;
	int64_t last_event; /* id of the last event (evidence) */
};

struct jbuf;

const char *finding_state_name(enum finding_state);
int finding_state_parse(const char *, enum finding_state *);
const char *finding_role_name(enum finding_role);
const char *finding_change_name(enum finding_change);

/*
 * Which deadline a finding has passed at NOW: "respond" (open, not
 * acknowledged in time), "resolve" (not resolved in time), or NULL.
 */
const char *finding_overdue(const struct finding *, double now);

/*
 * The finding as one JSON object, the one form of the CLI (findings,
 * finding --json), the exec hooks and the API; its keys are the stable
 * interface of netpatrol(8): they are added, never renamed or removed.
 * finding_json_members writes the members alone, inside an object the
 * caller opened (to add its own, such as the history).
 */
void finding_json(struct jbuf *, const struct finding *, double now);
void finding_json_members(struct jbuf *, const struct finding *, double now);

#endif
