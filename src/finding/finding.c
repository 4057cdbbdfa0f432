/*
 * finding.c - names of a finding's states, roles and changes, and the
 * finding as JSON.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "finding.h"
#include "json.h"

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

const char *
finding_overdue(const struct finding *f, double now)
{
	if (f->state == FS_OPEN && f->respond_by > 0 && now > f->respond_by)
		return "respond";
	if ((f->state == FS_OPEN || f->state == FS_ACKNOWLEDGED) &&
	    f->resolve_by > 0 && now > f->resolve_by)
		return "resolve";
	return NULL;
}

void
finding_json_members(struct jbuf *j, const struct finding *f, double now)
{
	const char *od = finding_overdue(f, now);

	json_kint(j, "id", f->id);
	json_kstr(j, "key", f->key);
	json_kstr(j, "device", f->device);
	json_kstr(j, "object", f->object);
	json_kstr(j, "kind", f->kind);
	json_kstr(j, "title", f->title);
	json_kstr(j, "description", f->description);
	json_kstr(j, "location", f->location);
	json_kstr(j, "impact", f->impact);
	json_kstr(j, "severity", event_severity_name(f->severity));
	json_kint(j, "priority", f->priority);
	json_kstr(j, "role", finding_role_name(f->role));
	json_kstr(j, "owner", f->owner);
	json_kstr(j, "state", finding_state_name(f->state));
	json_kbool(j, "flapping", f->flapping);
	json_kbool(j, "suppressed", f->suppressed);
	json_key(j, "consequence_of");
	if (f->consequence_of)
		json_int(j, f->consequence_of);
	else
		json_null(j);
	json_kbool(j, "manual", f->manual);
	json_kuint(j, "count", f->count);
	json_kint(j, "reopened", f->reopened);
	event_json_time(j, "first_seen", f->first_seen);
	event_json_time(j, "last_seen", f->last_seen);
	event_json_time(j, "respond_by", f->respond_by);
	event_json_time(j, "resolve_by", f->resolve_by);
	json_kbool(j, "overdue", od != NULL);
	json_key(j, "overdue_deadline");
	if (od)
		json_str(j, od);
	else
		json_null(j);
	event_json_time(j, "opened", f->opened);
	event_json_time(j, "acknowledged", f->acknowledged);
	event_json_time(j, "resolved", f->resolved);
	event_json_time(j, "verified", f->verified);
	event_json_time(j, "closed", f->closed);
	event_json_time(j, "updated", f->updated);
	json_kint(j, "last_event", f->last_event);
}

void
finding_json(struct jbuf *j, const struct finding *f, double now)
{
	json_obj_open(j);
	finding_json_members(j, f, now);
	json_obj_close(j);
}
