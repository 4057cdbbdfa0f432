/*
 * notify_mail.c - findings as mail, through the local sendmail interface
 * (`sendmail -oi -t`, which every MTA provides: Postfix, Exim, OpenSMTPD,
 * msmtp, nullmailer), run with execve and the message on its stdin. The
 * messages about one finding share a References header, so mail readers
 * thread them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "notify_int.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* A header's value on one line: no control characters. */
static void
nmail_clean(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || *s == 127)
			*s = ' ';
}

static void
nmail_b64(struct evbuffer *b, const unsigned char *s, size_t n)
{
	char out[4];

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		out[0] = b64[(v >> 18) & 63];
		out[1] = b64[(v >> 12) & 63];
		out[2] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		out[3] = i + 2 < n ? b64[v & 63] : '=';
		evbuffer_add(b, out, 4);
	}
}

/*
 * "Subject: TEXT": RFC 2047 encoded words when TEXT is not ASCII, each of
 * whole characters, folded.
 */
static void
nmail_subject(struct evbuffer *b, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text), i, chunk;
	int ascii = 1;

	for (i = 0; i < n; i++)
		if (s[i] >= 0x80)
			ascii = 0;
	if (ascii) {
		evbuffer_add_printf(b, "Subject: %s\n", text);
		return;
	}
	evbuffer_add_printf(b, "Subject:");
	for (i = 0; i < n; i += chunk) {
		chunk = n - i > 45 ? 45 : n - i;
		while (i + chunk < n && (s[i + chunk] & 0xc0) == 0x80)
			chunk--;
		evbuffer_add_printf(b, "%s=?UTF-8?B?", i ? "\n " : " ");
		nmail_b64(b, s + i, chunk);
		evbuffer_add_printf(b, "?=");
	}
	evbuffer_add_printf(b, "\n");
}

static void
nmail_time(struct evbuffer *b, const char *label, double t)
{
	char buf[40];

	if (t > 0)
		evbuffer_add_printf(b, "%-13s %s\n", label,
		    event_time_rfc3339(t, buf, sizeof(buf)));
}

static void
nmail_format(struct ntarget *t, const struct nmsg *m, struct evbuffer *b)
{
	const struct finding *f = &m->nf->f;
	char subject[512], title[300], host[128], date[64], sev[16];
	time_t now = time(NULL);
	struct tm tm;
	int i;

	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	nmail_clean(host);
	snprintf(title, sizeof(title), "%s", f->title[0] ? f->title : f->kind);
	nmail_clean(title);
	snprintf(sev, sizeof(sev), "%s", notify_severity_name(f->severity));
	for (i = 0; sev[i]; i++)
		sev[i] = (char)(sev[i] >= 'a' && sev[i] <= 'z' ? sev[i] - 32
		                                               : sev[i]);
	switch (m->change) {
	case FC_OPEN:
		snprintf(subject, sizeof(subject), "[netpatrol] %s %s: %s", sev,
		    f->device, title);
		break;
	case FC_SEVERITY:
		snprintf(subject, sizeof(subject), "[netpatrol] now %s %s: %s",
		    sev, f->device, title);
		break;
	case FC_ESCALATE:
		snprintf(subject, sizeof(subject),
		    "[netpatrol] ESCALATED %s %s: %s (not acknowledged)", sev,
		    f->device, title);
		break;
	case FC_RESOLVE:
		snprintf(subject, sizeof(subject),
		    "[netpatrol] RESOLVED %s: %s", f->device, title);
		break;
	}
	nmail_clean(subject);
	subject[notify_utf8_cut(subject, 300)] = '\0';
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);

	if (t->c.from[0])
		evbuffer_add_printf(b, "From: %s\n", t->c.from);
	evbuffer_add_printf(b, "To: ");
	for (i = 0; i < t->c.nrcpt; i++)
		evbuffer_add_printf(b, "%s%s", i ? ", " : "", t->c.rcpt[i]);
	evbuffer_add_printf(b, "\n");
	nmail_subject(b, subject);
	evbuffer_add_printf(b, "Date: %s\n", date);
	evbuffer_add_printf(b, "Message-ID: <netpatrol.%lld.%s.%.0f@%s>\n",
	    (long long)f->id, finding_change_name(m->change),
	    notify_now() * 1000.0, host);
	evbuffer_add_printf(b, "References: <netpatrol.%lld.%.0f@%s>\n",
	    (long long)f->id, f->opened > 0 ? f->opened : f->first_seen, host);
	evbuffer_add_printf(b,
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: 8bit\n"
	    "Auto-Submitted: auto-generated\n");
	evbuffer_add_printf(b, "X-Netpatrol-Finding: %lld\n", (long long)f->id);
	evbuffer_add_printf(
	    b, "X-Netpatrol-Change: %s\n", finding_change_name(m->change));
	evbuffer_add_printf(
	    b, "X-Netpatrol-Severity: %s\n", notify_severity_name(f->severity));
	evbuffer_add_printf(b, "X-Netpatrol-Target: %s\n\n", t->c.name);

	evbuffer_add_printf(b,
	    "Finding %lld on %s is %s (%s, priority %d)%s.\n\n",
	    (long long)f->id, f->device, finding_state_name(f->state),
	    notify_severity_name(f->severity), f->priority,
	    m->change == FC_ESCALATE ? ", and nobody has acknowledged it" : "");
	evbuffer_add_printf(b, "%-13s %s\n", "Title:", title);
	evbuffer_add_printf(b, "%-13s %s%s%s%s\n", "Device:", f->device,
	    f->location[0] ? " (" : "", f->location, f->location[0] ? ")" : "");
	if (f->object[0])
		evbuffer_add_printf(b, "%-13s %s\n", "Object:", f->object);
	evbuffer_add_printf(b, "%-13s %s\n", "Key:", f->key);
	evbuffer_add_printf(b, "%-13s %s\n", "Kind:", f->kind);
	evbuffer_add_printf(
	    b, "%-13s %s\n", "Severity:", notify_severity_name(f->severity));
	evbuffer_add_printf(
	    b, "%-13s %s\n", "State:", finding_state_name(f->state));
	evbuffer_add_printf(b, "%-13s %d\n", "Priority:", f->priority);
	evbuffer_add_printf(
	    b, "%-13s %s\n", "Role:", finding_role_name(f->role));
	if (f->owner[0])
		evbuffer_add_printf(b, "%-13s %s\n", "Owner:", f->owner);
	evbuffer_add_printf(
	    b, "%-13s %llu\n", "Events:", (unsigned long long)f->count);
	nmail_time(b, "First seen:", f->first_seen);
	nmail_time(b, "Last seen:", f->last_seen);
	nmail_time(b, "Respond by:", f->respond_by);
	nmail_time(b, "Resolve by:", f->resolve_by);
	nmail_time(b, "Resolved:", f->resolved);
	if (f->description[0])
		evbuffer_add_printf(b, "\n%s\n", f->description);
	if (f->impact[0])
		evbuffer_add_printf(b, "\nImpact: %s\n", f->impact);
	evbuffer_add_printf(
	    b, "\n-- \nnetpatrold on %s, notify \"%s\"\n", host, t->c.name);
}

static int
nmail_open(struct ntarget *t, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	t->tp = t; /* nothing of its own: a child per message */
	return 0;
}

static void
nmail_close(struct ntarget *t)
{
	nproc_cancel(t);
	t->tp = NULL;
}

static int
nmail_send(struct ntarget *t, struct nmsg *m, char *err, size_t errlen)
{
	char prog[PATH_MAX];
	char *argv[] = {prog, "-oi", "-t", NULL};
	char *envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
	struct evbuffer *b = evbuffer_new();
	int rc;

	if (b == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(prog, sizeof(prog), "%s", notify_sendmail(t->n));
	nmail_format(t, m, b);
	rc = nproc_start(t, argv, envp, (const char *)evbuffer_pullup(b, -1),
	    evbuffer_get_length(b), err, errlen);
	evbuffer_free(b);
	return rc == -1 ? -1 : 1;
}

const struct ntransport notify_mail_transport = {
    nmail_open, nmail_send, nmail_close, NULL};
