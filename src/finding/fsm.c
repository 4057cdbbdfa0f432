/*
 * fsm.c - the rules of findings: event classes, transitions, priority.
 */
#include "config.h"

#include <string.h>

#include "fsm.h"

static int
ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

enum fclass
fsm_classify(const char *kind, enum np_severity sev)
{
	static const char *const clears[] = {"port.up", "port.admin_down",
	    "device.reachable", "sensor.normal", "process.running",
	    "process.stopped", "trap.storm_end", "config.in_baseline",
	    "config.saved", "config.fetch_ok", "config.compliant"};
	static const char *const problems[] = {"port.down", "port.state",
	    "device.unreachable", "sensor.warning", "sensor.critical",
	    "sensor.failed", "process.missing", "process.forbidden",
	    "trap.storm", "config.drift", "config.unsaved",
	    "config.fetch_failing", "config.compliance", "probe.loss",
	    "probe.latency", "link.congested"};

	for (size_t i = 0; i < sizeof(clears) / sizeof(clears[0]); i++)
		if (strcmp(kind, clears[i]) == 0)
			return FCL_CLEAR;
	for (size_t i = 0; i < sizeof(problems) / sizeof(problems[0]); i++)
		if (strcmp(kind, problems[i]) == 0)
			return FCL_PROBLEM;
	/* other sources' pairs, by their words: link.down / link.up ... */
	if (ends(kind, ".down") || ends(kind, ".unreachable") ||
	    ends(kind, ".failed"))
		return FCL_PROBLEM;
	if (ends(kind, ".up") || ends(kind, ".reachable") ||
	    ends(kind, ".normal") || ends(kind, ".ok") || ends(kind, ".clear"))
		return FCL_CLEAR;
	if (sev >= SEV_WARNING)
		return FCL_ONESHOT;
	return FCL_IGNORE;
}

const char *
fsm_apply(struct finding *f, enum fsm_input in, double now, const char **why)
{
	*why = NULL;
	switch (in) {
	case FI_PROBLEM:
		if (f->state == FS_RESOLVED || f->state == FS_VERIFIED) {
			f->state = FS_OPEN;
			f->reopened++;
			f->opened = now;
			f->acknowledged = f->resolved = f->verified = 0;
			return "reopen";
		}
		if (f->state == FS_CLOSED) {
			*why = "it is closed";
			return NULL;
		}
		return NULL; /* open or acknowledged: seen again */
	case FI_CLEAR:
	case FI_RESOLVE:
		if (f->state == FS_OPEN || f->state == FS_ACKNOWLEDGED) {
			f->state = FS_RESOLVED;
			f->resolved = now;
			return "resolve";
		}
		if (in == FI_RESOLVE)
			*why = f->state == FS_CLOSED ? "it is closed"
			                             : "it is resolved already";
		return NULL;
	case FI_ACK:
		if (f->state == FS_OPEN) {
			f->state = FS_ACKNOWLEDGED;
			f->acknowledged = now;
			return "acknowledge";
		}
		*why = f->state == FS_ACKNOWLEDGED
		    ? "it is acknowledged already"
		    : "it is not open";
		return NULL;
	case FI_VERIFY:
		if (f->state == FS_RESOLVED) {
			f->state = FS_VERIFIED;
			f->verified = now;
			return "verify";
		}
		*why = f->state == FS_VERIFIED || f->state == FS_CLOSED
		    ? "it is verified already"
		    : "it is not resolved";
		return NULL;
	case FI_CLOSE:
	case FI_AUTOCLOSE:
		if (f->state == FS_VERIFIED ||
		    (in == FI_CLOSE && f->state == FS_RESOLVED)) {
			if (f->state == FS_RESOLVED)
				f->verified = now; /* the person's word */
			f->state = FS_CLOSED;
			f->closed = now;
			return "close";
		}
		*why = f->state == FS_CLOSED ? "it is closed already"
		                             : "it is not resolved";
		return NULL;
	}
	*why = "unknown action";
	return NULL;
}

int
fsm_priority(int impact, enum np_severity sev)
{
	/* urgency: critical and major high, minor medium, the rest low */
	int urgency = sev >= SEV_MAJOR ? 0 : sev == SEV_MINOR ? 1 : 2;
	static const int matrix[3][3] = {
	    /* urgency:  high medium low */
	    /* high */ {1, 2, 3},
	    /* medium */ {2, 3, 4},
	    /* low */ {3, 4, 4},
	};

	if (impact < 0 || impact > 2)
		impact = 1;
	return matrix[impact][urgency];
}

enum finding_role
fsm_role(const char *kind)
{
	if (starts(kind, "security.") || strcmp(kind, "trap.rejected") == 0 ||
	    strcmp(kind, "config.drift") == 0 ||
	    strcmp(kind, "config.compliance") == 0 ||
	    starts(kind, "login.") || strstr(kind, "auth") != NULL)
		return FR_SECURITY;
	return FR_OPERATIONS;
}
