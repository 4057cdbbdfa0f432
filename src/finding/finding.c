/*
 * finding.c - names of a finding's states, roles and changes.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "finding.h"

static const char *const state_names[] = {
    "open", "acknowledged", "resolved", "verified", "closed"};

const char *
finding_state_name(enum finding_state s)
{
	return (unsigned)s <= FS_CLOSED ? state_names[s] : "?";
}

int
finding_state_parse(const char *s, enum finding_state *out)
{
	for (unsigned i = 0; i <= FS_CLOSED; i++)
		if (strcasecmp(s, state_names[i]) == 0) {
			*out = (enum finding_state)i;
			return 0;
		}
	return -1;
}

const char *
finding_role_name(enum finding_role r)
{
	switch (r) {
	case FR_OPERATIONS: return "operations";
	case FR_SECURITY: return "security";
	case FR_BUSINESS: return "business";
	}
	return "?";
}

const char *
finding_change_name(enum finding_change c)
{
	switch (c) {
	case FC_OPEN: return "open";
	case FC_SEVERITY: return "severity";
	case FC_ESCALATE: return "escalate";
	case FC_RESOLVE: return "resolve";
	}
	return "?";
}
