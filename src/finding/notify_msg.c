/*
 * notify_msg.c - what the transports say about a finding: a line of text,
 * and the finding as JSON (the exec hook's stdin).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "event.h"
#include "notify_int.h"

const char *
notify_severity_name(int s)
{
	return event_severity_name((enum np_severity)s);
}

size_t
notify_utf8_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	/* back off continuation bytes: the cut falls before a character */
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

void
notify_text(const struct finding *f, char *buf, size_t len)
{
	const char *title = f->title[0] ? f->title : f->kind;

	if (f->description[0] && strcmp(f->description, title) != 0)
		snprintf(buf, len, "%s: %s", title, f->description);
	else
		snprintf(buf, len, "%s", title);
	buf[notify_utf8_cut(buf, len - 1)] = '\0';
}

static void
notify_ktime(struct jbuf *j, const char *k, double t)
{
	char buf[40];

	json_key(j, k);
	if (t > 0)
		json_str(j, event_time_rfc3339(t, buf, sizeof(buf)));
	else
		json_null(j);
}

/* The finding, with stable snake_case keys (notify.h, man page). */
void
notify_finding_json(struct jbuf *j, const struct finding *f)
{
	json_obj_open(j);
	json_kint(j, "id", f->id);
	json_kstr(j, "key", f->key);
	json_kstr(j, "device", f->device);
	json_kstr(j, "object", f->object);
	json_kstr(j, "kind", f->kind);
	json_kstr(j, "title", f->title);
	json_kstr(j, "description", f->description);
	json_kstr(j, "location", f->location);
	json_kstr(j, "impact", f->impact);
	json_kstr(j, "severity", notify_severity_name(f->severity));
	json_kint(j, "priority", f->priority);
	json_kstr(j, "role", finding_role_name(f->role));
	json_kstr(j, "owner", f->owner);
	json_kstr(j, "state", finding_state_name(f->state));
	json_kbool(j, "flapping", f->flapping);
	json_kbool(j, "suppressed", f->suppressed);
	json_kint(j, "consequence_of", f->consequence_of);
	json_kbool(j, "manual", f->manual);
	json_kuint(j, "count", f->count);
	json_kbool(j, "reopened", f->reopened);
	notify_ktime(j, "first_seen", f->first_seen);
	notify_ktime(j, "last_seen", f->last_seen);
	notify_ktime(j, "respond_by", f->respond_by);
	notify_ktime(j, "resolve_by", f->resolve_by);
	notify_ktime(j, "opened", f->opened);
	notify_ktime(j, "acknowledged", f->acknowledged);
	notify_ktime(j, "resolved", f->resolved);
	notify_ktime(j, "verified", f->verified);
	notify_ktime(j, "closed", f->closed);
	notify_ktime(j, "updated", f->updated);
	json_kint(j, "last_event", f->last_event);
	json_obj_close(j);
}
