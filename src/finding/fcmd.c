/*
 * fcmd.c - people's actions on findings, as the control socket carries
 * them: acknowledge, resolve, verify, close, note, assign, and findings
 * entered by hand (what someone saw on site). Each is attributed to the
 * person who asked and kept in the finding's history.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fengine_int.h"

static int fcmd_error(struct jbuf *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
fcmd_error(struct jbuf *j, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_kstr(j, "error", msg);
	return -1;
}

/* The next word of *P (at most SIZE-1 bytes), and *P after it. */
static int
fcmd_word(const char **p, char *out, size_t size)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ')
		s++;
	while (*s && *s != ' ') {
		if (n + 1 < size)
			out[n++] = *s;
		s++;
	}
	out[n] = '\0';
	while (*s == ' ')
		s++;
	*p = s;
	return n > 0 ? 0 : -1;
}

static void
fcmd_answer(struct jbuf *j, const struct finding *f)
{
	json_kint(j, "id", f->id);
	json_kstr(j, "state", finding_state_name(f->state));
	json_kstr(j, "owner", f->owner);
}

/* "open DEVICE SEVERITY TITLE": a finding a person saw. */
static int
fcmd_open(struct fengine *fe, const char *p, const char *actor, struct jbuf *j)
{
	struct np_event ev;
	enum np_severity sev;
	char device[NP_NAME_MAX], sevw[16], key[NP_NAME_MAX + 32];
	struct frt *r;

	if (fcmd_word(&p, device, sizeof(device)) == -1 ||
	    fcmd_word(&p, sevw, sizeof(sevw)) == -1 || *p == '\0')
		return fcmd_error(j, "usage: open DEVICE SEVERITY TITLE");
	if (event_severity_parse(sevw, &sev) == -1)
		return fcmd_error(j,
		    "%s: severity is one of info, warning, "
		    "minor, major, critical",
		    sevw);
	if (hmap_get(&fe->devs, device) == NULL)
		return fcmd_error(j, "%s: no such device", device);
	memset(&ev, 0, sizeof(ev));
	snprintf(ev.device, sizeof(ev.device), "%s", device);
	snprintf(ev.source, sizeof(ev.source), "manual");
	snprintf(ev.kind, sizeof(ev.kind), "manual");
	snprintf(ev.key, sizeof(ev.key), "manual:%lld",
	    (long long)fe_next_id(fe, 0));
	snprintf(ev.text, sizeof(ev.text), "%s", p);
	ev.severity = sev;
	ev.time = fe_now();
	snprintf(key, sizeof(key), "%s/%s", device, ev.key);
	if ((r = fe_open(fe, key, &ev, ev.time)) == NULL)
		return fcmd_error(j, "out of memory");
	r->f.manual = 1;
	snprintf(r->f.title, sizeof(r->f.title), "%s: %s", device, p);
	fe_history(fe, &r->f, "enter", actor, 0, "entered by %s", actor);
	fe_save(fe, r);
	fe_notify(fe, r, FC_OPEN);
	fcmd_answer(j, &r->f);
	return 0;
}

int
fengine_command(
    struct fengine *fe, const char *args, const char *actor, struct jbuf *j)
{
	static const struct {
		const char *word;
		enum fsm_input in;
	} acts[] = {
	    {"ack", FI_ACK},
	    {"resolve", FI_RESOLVE},
	    {"verify", FI_VERIFY},
	    {"close", FI_CLOSE},
	};
	char verb[16], idw[24];
	const char *p = args, *action, *why;
	struct frt *r;
	char *end;
	long long id;
	double now = fe_now();

	if (fcmd_word(&p, verb, sizeof(verb)) == -1)
		return fcmd_error(j,
		    "usage: finding ack|resolve|verify|close|"
		    "note|assign ID [TEXT], or open DEVICE "
		    "SEVERITY TITLE");
	if (strcmp(verb, "open") == 0)
		return fcmd_open(fe, p, actor, j);
	if (fcmd_word(&p, idw, sizeof(idw)) == -1 ||
	    (id = strtoll(idw, &end, 10)) <= 0 || *end != '\0')
		return fcmd_error(j, "%s: a finding's id is a number", idw);
	if ((r = hmap_iget(&fe->by_id, (uint64_t)id)) == NULL)
		return fcmd_error(j,
		    fe->owned_set
		        ? "finding %lld is closed, does not exist, or is "
		          "followed by the node that polls its device "
		          "(netpatrol devices): ask that node"
		        : "finding %lld is closed, or does not exist",
		    id);
	if (strcmp(verb, "note") == 0) {
		if (*p == '\0')
			return fcmd_error(j, "note: what does it say?");
		fe_history(fe, &r->f, "note", actor, 0, "%s", p);
		fe_save(fe, r);
		fcmd_answer(j, &r->f);
		return 0;
	}
	if (strcmp(verb, "assign") == 0) {
		char owner[NP_NAME_MAX];

		if (fcmd_word(&p, owner, sizeof(owner)) == -1)
			return fcmd_error(j, "assign: to whom?");
		fe_history(fe, &r->f, "assign", actor, 0,
		    "from \"%s\" to \"%s\"", r->f.owner, owner);
		snprintf(r->f.owner, sizeof(r->f.owner), "%s", owner);
		fe_save(fe, r);
		fcmd_answer(j, &r->f);
		return 0;
	}
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		if (strcmp(verb, acts[i].word) != 0)
			continue;
		if ((action = fsm_apply(&r->f, acts[i].in, now, &why)) == NULL)
			return fcmd_error(j, "finding %lld: cannot %s: %s", id,
			    verb, why ? why : "nothing to do");
		fe_history(fe, &r->f, action, actor, 0, "%s", p);
		switch (acts[i].in) {
		case FI_ACK:
			if (fe->settled)
				fe->settled(fe->larg, r->f.id);
			break;
		case FI_RESOLVE:
			fe->resolved++;
			fe_flip(fe, r, now);
			break;
		case FI_VERIFY: fe->verified++; break;
		default: break;
		}
		fe_save(fe, r);
		if (acts[i].in == FI_RESOLVE)
			fe_notify(fe, r, FC_RESOLVE);
		fcmd_answer(j, &r->f);
		if (r->f.state == FS_CLOSED) {
			fe->closed++;
			fe_forget(fe, r);
		}
		return 0;
	}
	return fcmd_error(j,
	    "%s: not an action (ack, resolve, verify, close, "
	    "note, assign, open)",
	    verb);
}
