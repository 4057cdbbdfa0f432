/*
 * fsm.h - the rules of findings, without I/O: what an event means for a
 * finding (a problem, its clearing, a one-off), the life cycle's
 * transitions, priority from impact and urgency, and the responsible role.
 */
#ifndef NP_FSM_H
#define NP_FSM_H

#include "finding.h"

enum fclass {
	FCL_IGNORE = 0, /* says nothing about a fault */
	FCL_PROBLEM, /* a fault that a later event clears (port.down) */
	FCL_CLEAR, /* the fault is gone (port.up, sensor.normal) */
	FCL_ONESHOT /* happened once, nothing clears it (device.reboot) */
};

enum fclass fsm_classify(const char *kind, enum np_severity sev);

enum fsm_input {
	FI_PROBLEM = 0, /* the fault is seen (again) */
	FI_CLEAR, /* a clearing event */
	FI_ACK, /* a person takes it */
	FI_RESOLVE, /* a person says it is fixed */
	FI_VERIFY, /* the next check is good, or a person says so */
	FI_CLOSE, /* a person closes it */
	FI_AUTOCLOSE /* verified long enough */
};

/*
 * Apply IN to F at NOW: the state and its timestamp change, and the name
 * of the history entry is returned ("reopen", "acknowledge", ...); NULL
 * when IN does not apply to F's state, with the reason in *WHY (NULL when
 * it is simply nothing new: a problem seen again on an open finding).
 */
const char *fsm_apply(
    struct finding *f, enum fsm_input in, double now, const char **why);

/* Impact: 0 high, 1 medium, 2 low. Priority 1 (most urgent) .. 4. */
int fsm_priority(int impact, enum np_severity sev);
enum finding_role fsm_role(const char *kind);

#endif
