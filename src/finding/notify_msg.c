/*
 * notify_msg.c - what the transports say about a finding: a line of text
 * (the finding as JSON, the exec hook's stdin, is finding.c's
 * finding_json, the CLI's form).
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
