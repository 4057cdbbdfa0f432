/*
 * test_fsm.c - the rules of findings: what each event means, every
 * transition of the life cycle (allowed or refused, with its timestamp),
 * and the priority matrix.
 */
#include <stdio.h>
#include <string.h>

#include "fsm.h"
#include "tap.h"

static const struct {
	const char *kind;
	enum np_severity sev;
	enum fclass want;
} classes[] = {
    {"port.down", SEV_MAJOR, FCL_PROBLEM},
    {"port.up", SEV_INFO, FCL_CLEAR},
    {"port.admin_down", SEV_INFO, FCL_CLEAR},
    {"port.state", SEV_WARNING, FCL_PROBLEM},
    {"device.unreachable", SEV_CRITICAL, FCL_PROBLEM},
    {"device.reachable", SEV_INFO, FCL_CLEAR},
    {"device.reboot", SEV_WARNING, FCL_ONESHOT},
    {"sensor.warning", SEV_WARNING, FCL_PROBLEM},
    {"sensor.critical", SEV_CRITICAL, FCL_PROBLEM},
    {"sensor.failed", SEV_CRITICAL, FCL_PROBLEM},
    {"sensor.normal", SEV_INFO, FCL_CLEAR},
    {"sensor.unknown", SEV_INFO, FCL_IGNORE},
    {"process.missing", SEV_MAJOR, FCL_PROBLEM},
    {"process.running", SEV_INFO, FCL_CLEAR},
    {"process.forbidden", SEV_MAJOR, FCL_PROBLEM},
    {"process.stopped", SEV_INFO, FCL_CLEAR},
    {"trap.storm", SEV_WARNING, FCL_PROBLEM},
    {"trap.storm_end", SEV_INFO, FCL_CLEAR},
    {"trap.rejected", SEV_WARNING, FCL_ONESHOT},
    {"trap", SEV_INFO, FCL_IGNORE},
    {"config.changed", SEV_MINOR, FCL_ONESHOT},
    {"bgp.down", SEV_MAJOR, FCL_PROBLEM},
    {"bgp.up", SEV_INFO, FCL_CLEAR},
    {"psu.failed", SEV_CRITICAL, FCL_PROBLEM},
    {"psu.ok", SEV_INFO, FCL_CLEAR},
    {"security.snmp_auth_failure", SEV_WARNING, FCL_ONESHOT},
    {"something", SEV_INFO, FCL_IGNORE},
};

static const char *const in_names[] = {
    "problem", "clear", "ack", "resolve", "verify", "close", "autoclose"};

/* From each state, each input: the state after, and the history word. */
static const struct {
	enum finding_state from;
	enum fsm_input in;
	enum finding_state to;
	const char *action; /* NULL: refused or nothing new */
	int why; /* a reason is given */
} moves[] = {
    {FS_OPEN, FI_PROBLEM, FS_OPEN, NULL, 0},
    {FS_OPEN, FI_CLEAR, FS_RESOLVED, "resolve", 0},
    {FS_OPEN, FI_ACK, FS_ACKNOWLEDGED, "acknowledge", 0},
    {FS_OPEN, FI_RESOLVE, FS_RESOLVED, "resolve", 0},
    {FS_OPEN, FI_VERIFY, FS_OPEN, NULL, 1},
    {FS_OPEN, FI_CLOSE, FS_OPEN, NULL, 1},
    {FS_OPEN, FI_AUTOCLOSE, FS_OPEN, NULL, 1},
    {FS_ACKNOWLEDGED, FI_PROBLEM, FS_ACKNOWLEDGED, NULL, 0},
    {FS_ACKNOWLEDGED, FI_CLEAR, FS_RESOLVED, "resolve", 0},
    {FS_ACKNOWLEDGED, FI_ACK, FS_ACKNOWLEDGED, NULL, 1},
    {FS_ACKNOWLEDGED, FI_RESOLVE, FS_RESOLVED, "resolve", 0},
    {FS_ACKNOWLEDGED, FI_VERIFY, FS_ACKNOWLEDGED, NULL, 1},
    {FS_ACKNOWLEDGED, FI_CLOSE, FS_ACKNOWLEDGED, NULL, 1},
    {FS_RESOLVED, FI_PROBLEM, FS_OPEN, "reopen", 0},
    {FS_RESOLVED, FI_CLEAR, FS_RESOLVED, NULL, 0},
    {FS_RESOLVED, FI_ACK, FS_RESOLVED, NULL, 1},
    {FS_RESOLVED, FI_RESOLVE, FS_RESOLVED, NULL, 1},
    {FS_RESOLVED, FI_VERIFY, FS_VERIFIED, "verify", 0},
    {FS_RESOLVED, FI_CLOSE, FS_CLOSED, "close", 0},
    {FS_RESOLVED, FI_AUTOCLOSE, FS_RESOLVED, NULL, 1},
    {FS_VERIFIED, FI_PROBLEM, FS_OPEN, "reopen", 0},
    {FS_VERIFIED, FI_CLEAR, FS_VERIFIED, NULL, 0},
    {FS_VERIFIED, FI_ACK, FS_VERIFIED, NULL, 1},
    {FS_VERIFIED, FI_VERIFY, FS_VERIFIED, NULL, 1},
    {FS_VERIFIED, FI_CLOSE, FS_CLOSED, "close", 0},
    {FS_VERIFIED, FI_AUTOCLOSE, FS_CLOSED, "close", 0},
    {FS_CLOSED, FI_PROBLEM, FS_CLOSED, NULL, 1},
    {FS_CLOSED, FI_CLEAR, FS_CLOSED, NULL, 0},
    {FS_CLOSED, FI_ACK, FS_CLOSED, NULL, 1},
    {FS_CLOSED, FI_RESOLVE, FS_CLOSED, NULL, 1},
    {FS_CLOSED, FI_VERIFY, FS_CLOSED, NULL, 1},
    {FS_CLOSED, FI_CLOSE, FS_CLOSED, NULL, 1},
};

int
main(void)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		TAP_OK(fsm_classify(classes[i].kind, classes[i].sev) ==
		        classes[i].want,
		    "%s (%s) is class %d", classes[i].kind,
		    event_severity_name(classes[i].sev), classes[i].want);

	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		struct finding f;
		const char *a, *why = NULL;

		memset(&f, 0, sizeof(f));
		f.state = moves[i].from;
		f.opened = 100;
		f.acknowledged = moves[i].from == FS_ACKNOWLEDGED ? 110 : 0;
		a = fsm_apply(&f, moves[i].in, 200, &why);
		TAP_OK(f.state == moves[i].to &&
		        ((a == NULL && moves[i].action == NULL) ||
		            (a && moves[i].action &&
		                strcmp(a, moves[i].action) == 0)) &&
		        (why != NULL) == moves[i].why,
		    "%s + %s -> %s (%s)", finding_state_name(moves[i].from),
		    in_names[moves[i].in], finding_state_name(moves[i].to),
		    moves[i].action    ? moves[i].action
		        : moves[i].why ? "refused"
		                       : "nothing new");
		if (a == NULL)
			continue;
		/* the transition's own timestamp */
		TAP_OK((f.state != FS_ACKNOWLEDGED || f.acknowledged == 200) &&
		        (f.state != FS_RESOLVED || f.resolved == 200) &&
		        (f.state != FS_VERIFIED || f.verified == 200) &&
		        (f.state != FS_CLOSED || f.closed == 200) &&
		        (strcmp(a, "reopen") != 0 ||
		            (f.opened == 200 && f.reopened == 1 &&
		                f.acknowledged == 0 && f.resolved == 0)),
		    "  ... stamped at the time of the transition");
	}
	{
		struct finding f;
		const char *why;

		memset(&f, 0, sizeof(f));
		f.state = FS_RESOLVED;
		fsm_apply(&f, FI_CLOSE, 300, &why);
		TAP_OK(f.verified == 300 && f.closed == 300,
		    "closing a resolved finding is a person's word: verified "
		    "and closed");
	}

	/* impact x urgency */
	TAP_OK(fsm_priority(0, SEV_CRITICAL) == 1, "high impact, critical: P1");
	TAP_OK(fsm_priority(0, SEV_MAJOR) == 1, "high impact, major: P1");
	TAP_OK(fsm_priority(0, SEV_MINOR) == 2, "high impact, minor: P2");
	TAP_OK(fsm_priority(0, SEV_WARNING) == 3, "high impact, warning: P3");
	TAP_OK(fsm_priority(1, SEV_MAJOR) == 2, "medium impact, major: P2");
	TAP_OK(fsm_priority(1, SEV_MINOR) == 3, "medium impact, minor: P3");
	TAP_OK(fsm_priority(1, SEV_INFO) == 4, "medium impact, info: P4");
	TAP_OK(fsm_priority(2, SEV_CRITICAL) == 3, "low impact, critical: P3");
	TAP_OK(fsm_priority(2, SEV_WARNING) == 4, "low impact, warning: P4");
	TAP_OK(
	    fsm_priority(7, SEV_MAJOR) == 2, "unknown impact counts as medium");

	TAP_OK(fsm_role("security.snmp_auth_failure") == FR_SECURITY,
	    "security events: the security role");
	TAP_OK(fsm_role("trap.rejected") == FR_SECURITY, "rejected traps too");
	TAP_OK(fsm_role("login.failed") == FR_SECURITY, "failed logins too");
	TAP_OK(fsm_role("port.down") == FR_OPERATIONS, "the rest: operations");
	return tap_done();
}
