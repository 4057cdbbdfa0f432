/*
 * conf_notify.c - the configuration's notification targets: "notify NAME
 * { ... }" blocks, with their destination (trap, inform, syslog, mail,
 * exec), filters, escalation, repetition and delivery, the links between
 * them once all are read, and the maintenance windows during which
 * findings are not notified.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "conf_int.h"

/*
 * Notification targets: "notify NAME { ... }".
 */

static const char *const notify_types[] = {
	"none", "trap", "inform", "syslog", "mail", "exec"
};

static const char *const notify_roles[] = {
	"operations", "security", "business"	/* enum finding_role */
};

static const char *const syslog_facilities[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6",
	"local7"
};

void
conf_slist_add(struct parse *p, const char *s)
{
	if (p->nslist == NP_NOTIFY_ARGS) {
		p->slist_over = 1;
		return;
	}
	p->slist[p->nslist++] = s;
}

/* The list just read has at most MAX strings, each shorter than SIZE. */
static int
slist_check(struct parse *p, struct loc at, int max, size_t size,
    const char *what)
{
	int	 i;

	if (p->slist_over || p->nslist > max) {
		perr(p, at, "too many %s (at most %d)", what, max);
		return (-1);
	}
	for (i = 0; i < p->nslist; i++) {
		if (*p->slist[i] == '\0') {
			perr(p, at, "%s must not be empty", what);
			return (-1);
		}
		if (strlen(p->slist[i]) >= size) {
			perr(p, at, "%s too long (max %zu characters)", what,
			    size - 1);
			return (-1);
		}
	}
	return (0);
}

void
conf_notify_start(struct parse *p, struct loc at, const char *name)
{
	struct notify_conf	*n = &p->nt;

	memset(n, 0, sizeof(*n));
	p->innotify = 1;
	p->nt_discard = 0;
	p->ntset = 0;
	n->severity = 0;		/* info: every finding */
	n->facility = 16;		/* local0 */
	n->retries = 10;
	n->queue = 1000;
	n->line = at.line;
	if (conf_setstr(p, at, n->file, sizeof(n->file), at.file,
	    "file name") == -1)
		p->nt_discard = 1;
	if (*name == '\0') {
		perr(p, at, "notify name must not be empty");
		p->nt_discard = 1;
	} else if (!conf_devname_ok(name)) {
		perr(p, at, "invalid notify name \"%s\" (use letters, digits, "
		    "\".\", \"-\" and \"_\")", name);
		p->nt_discard = 1;
	} else if (conf_setstr(p, at, n->name, sizeof(n->name), name,
	    "notify name") == -1)
		p->nt_discard = 1;
	else if (conf_find_notify(p->conf, name) != NULL) {
		perr(p, at, "notify \"%s\" defined twice", name);
		p->nt_discard = 1;
	}
}

/* The target's one destination: 0, or -1 when it has one already. */
static int
notify_dest(struct parse *p, struct loc at, enum notify_type type)
{
	if (p->nt.type != 0) {
		perr(p, at, "notify \"%s\" has a destination already (%s): "
		    "one per target", p->nt.name, notify_types[p->nt.type]);
		p->nt_discard = 1;
		return (-1);
	}
	p->nt.type = type;
	return (0);
}

static int
notify_addr(struct parse *p, struct loc at, const char *addr, int64_t port,
    int64_t defport)
{
	if (port < 0) {
		p->nt_discard = 1;
		return (-1);
	}
	if (!conf_ip_literal(addr)) {
		perr(p, at, "invalid address \"%s\" (an IP address: notify "
		    "targets are never looked up by name)", addr);
		p->nt_discard = 1;
		return (-1);
	}
	(void)strcpy(p->nt.address, addr);	/* fits: an IP literal */
	p->nt.port = port ? port : defport;
	return (0);
}

void
conf_notify_snmp(struct parse *p, struct loc at, enum notify_type type,
    const char *addr, int64_t port)
{
	const char	*kw = type == NOTIFY_TRAP ? "trap" : "inform";

	if (cred_finish(p, at) == -1) {
		p->nt_discard = 1;
		return;
	}
	if (p->cred.version == NP_SNMP_V1) {
		perr(p, at, "%s v1 is not supported (v2c or v3)", kw);
		p->nt_discard = 1;
		return;
	}
	if (type == NOTIFY_INFORM && p->cred.engine_id_len > 0) {
		perr(p, at, "engine-id is for v3 traps: an inform's receiver "
		    "is discovered");
		p->nt_discard = 1;
		return;
	}
	if (notify_dest(p, at, type) == -1 ||
	    notify_addr(p, at, addr, port, 162) == -1)
		return;
	p->nt.snmp = p->cred;
}

void
conf_notify_syslog(struct parse *p, struct loc at, const char *proto,
    const char *addr, int64_t port, const char *facility)
{
	size_t	 i;

	if (strcmp(proto, "udp") == 0)
		p->nt.proto = LISTEN_UDP;
	else if (strcmp(proto, "tcp") == 0)
		p->nt.proto = LISTEN_TCP;
	else {
		perr(p, at, "unknown protocol \"%s\" for syslog (udp or tcp)",
		    proto);
		p->nt_discard = 1;
		return;
	}
	if (facility != NULL) {
		for (i = 0; i < sizeof(syslog_facilities) /
		    sizeof(syslog_facilities[0]); i++)
			if (strcasecmp(facility, syslog_facilities[i]) == 0)
				break;
		if (i == sizeof(syslog_facilities) /
		    sizeof(syslog_facilities[0])) {
			perr(p, at, "unknown syslog facility \"%s\" (kern, "
			    "user, daemon, ..., local0 to local7)", facility);
			p->nt_discard = 1;
			return;
		}
		p->nt.facility = (int)i;
	}
	if (notify_dest(p, at, NOTIFY_SYSLOG) == -1)
		return;
	(void)notify_addr(p, at, addr, port, 514);
}

/* A mail address as sendmail takes it: no spaces, no option. */
static int
mailaddr_ok(const char *s)
{
	if (*s == '-')
		return (0);
	for (; *s != '\0'; s++)
		if (!isgraph((unsigned char)*s) && !((unsigned char)*s & 0x80))
			return (0);
		else if (strchr(",;<>\"()\\", *s) != NULL)
			return (0);
	return (1);
}

void
conf_notify_mail(struct parse *p, struct loc at, const char *from)
{
	int	 i;

	if (slist_check(p, at, NP_NOTIFY_LIST, NP_STR_MAX,
	    "mail recipients") == -1) {
		p->nt_discard = 1;
		return;
	}
	for (i = 0; i < p->nslist; i++)
		if (!mailaddr_ok(p->slist[i])) {
			perr(p, at, "invalid mail address \"%s\"",
			    p->slist[i]);
			p->nt_discard = 1;
			return;
		}
	if (from != NULL && (*from == '\0' || !mailaddr_ok(from))) {
		perr(p, at, "invalid mail address \"%s\"", from);
		p->nt_discard = 1;
		return;
	}
	if (from != NULL && conf_setstr(p, at, p->nt.from, sizeof(p->nt.from),
	    from, "from") == -1) {
		p->nt_discard = 1;
		return;
	}
	if (notify_dest(p, at, NOTIFY_MAIL) == -1)
		return;
	for (i = 0; i < p->nslist; i++)
		(void)strcpy(p->nt.rcpt[i], p->slist[i]);
	p->nt.nrcpt = p->nslist;
}

void
conf_notify_exec(struct parse *p, struct loc at)
{
	int	 i;

	if (slist_check(p, at, NP_NOTIFY_ARGS, NP_STR_MAX,
	    "exec arguments") == -1) {
		p->nt_discard = 1;
		return;
	}
	if (p->slist[0][0] != '/') {
		perr(p, at, "exec: \"%s\" must be an absolute path (it is "
		    "run with execve, without a shell)", p->slist[0]);
		p->nt_discard = 1;
		return;
	}
	if (notify_dest(p, at, NOTIFY_EXEC) == -1)
		return;
	for (i = 0; i < p->nslist; i++)
		(void)strcpy(p->nt.argv[i], p->slist[i]);
	p->nt.argc = p->nslist;
}

/* A setting given once: 0, or -1 after saying it came twice. */
static int
notify_once(struct parse *p, struct loc at, unsigned bit, const char *kw)
{
	if (p->ntset & bit) {
		perr(p, at, "\"%s\" given twice", kw);
		p->nt_discard = 1;
		return (-1);
	}
	p->ntset |= bit;
	return (0);
}

void
conf_notify_filter(struct parse *p, struct loc at, unsigned what,
    const char *sev)
{
	struct notify_conf	*n = &p->nt;
	size_t			 i;
	int			 k;

	switch (what) {
	case NS_SEVERITY:
		if (notify_once(p, at, what, "severity") == -1)
			return;
		for (i = 0; i < sizeof(conf_severities) /
		    sizeof(conf_severities[0]); i++)
			if (strcasecmp(sev, conf_severities[i]) == 0)
				break;
		if (i == sizeof(conf_severities) / sizeof(conf_severities[0])) {
			perr(p, at, "unknown severity \"%s\" (info, warning, "
			    "minor, major or critical)", sev);
			p->nt_discard = 1;
			return;
		}
		n->severity = (int)i;
		break;
	case NS_ROLE:
		if (notify_once(p, at, what, "role") == -1 ||
		    slist_check(p, at, NP_NOTIFY_LIST, NP_STR_MAX,
		    "roles") == -1) {
			p->nt_discard = 1;
			return;
		}
		for (k = 0; k < p->nslist; k++) {
			for (i = 0; i < 3; i++)
				if (strcasecmp(p->slist[k],
				    notify_roles[i]) == 0)
					break;
			if (i == 3) {
				perr(p, at, "unknown role \"%s\" (operations, "
				    "security or business)", p->slist[k]);
				p->nt_discard = 1;
				return;
			}
			n->roles |= 1u << i;
		}
		break;
	case NS_DEVICES:
	case NS_KINDS:
		if (notify_once(p, at, what, what == NS_DEVICES ? "devices" :
		    "kinds") == -1 ||
		    slist_check(p, at, NP_NOTIFY_LIST, what == NS_DEVICES ?
		    sizeof(n->devices[0]) : sizeof(n->kinds[0]),
		    what == NS_DEVICES ? "device patterns" :
		    "kind patterns") == -1) {
			p->nt_discard = 1;
			return;
		}
		for (k = 0; k < p->nslist; k++) {
			if (what == NS_DEVICES)
				(void)strcpy(n->devices[k], p->slist[k]);
			else
				(void)strcpy(n->kinds[k], p->slist[k]);
		}
		if (what == NS_DEVICES)
			n->ndevices = p->nslist;
		else
			n->nkinds = p->nslist;
		break;
	}
}

void
conf_notify_escalate(struct parse *p, struct loc at, const char *after,
    const char *to)
{
	int64_t	 v;

	if (notify_once(p, at, NS_ESCALATE, "escalate") == -1)
		return;
	if (conf_duration(p, at, after, conf_u_seconds, "escalate", &v) == -1 ||
	    conf_range(p, at, v, 1, 7 * 86400, "escalate", " seconds") == -1 ||
	    conf_setstr(p, at, p->nt.escalate_to, sizeof(p->nt.escalate_to), to,
	    "escalate target") == -1) {
		p->nt_discard = 1;
		return;
	}
	if (*to == '\0') {
		perr(p, at, "escalate needs a notify name");
		p->nt_discard = 1;
		return;
	}
	p->nt.escalate_secs = (int)v;
	p->nt.escalate_line = at.line;
}

void
conf_notify_repeat(struct parse *p, struct loc at, const char *every,
    int64_t count, int frac)
{
	int64_t	 v;

	if (notify_once(p, at, NS_REPEAT, "repeat") == -1)
		return;
	if (conf_duration(p, at, every, conf_u_seconds, "repeat", &v) == -1 ||
	    conf_range(p, at, v, 1, 7 * 86400, "repeat", " seconds") == -1 ||
	    (count != 0 && conf_irange(p, at, count, frac, 1, 1000,
	    "repeat count", "") == -1)) {
		p->nt_discard = 1;
		return;
	}
	p->nt.repeat_secs = (int)v;
	p->nt.repeat_count = (int)count;
}

void
conf_notify_delivery(struct parse *p, struct loc at, unsigned what,
    const char *dur, int64_t n, int frac)
{
	int64_t	 v;

	switch (what) {
	case NS_TIMEOUT:
		if (notify_once(p, at, what, "timeout") == -1)
			return;
		if (conf_duration(p, at, dur, conf_u_seconds, "timeout",
		    &v) == -1 ||
		    conf_range(p, at, v, 1, 3600, "timeout",
		    " seconds") == -1) {
			p->nt_discard = 1;
			return;
		}
		p->nt.timeout = (int)v;
		break;
	case NS_RETRIES:
		if (notify_once(p, at, what, "retries") == -1)
			return;
		if (conf_irange(p, at, n, frac, 0, 100, "retries", "") == -1) {
			p->nt_discard = 1;
			return;
		}
		p->nt.retries = (int)n;
		break;
	case NS_QUEUE:
		if (notify_once(p, at, what, "queue") == -1)
			return;
		if (conf_irange(p, at, n, frac, 1, 1000000, "queue",
		    "") == -1) {
			p->nt_discard = 1;
			return;
		}
		p->nt.queue = (int)n;
		break;
	}
}

void
conf_notify_end(struct parse *p)
{
	struct notify_conf	*n;
	struct loc		 at = { p->nt.file, p->nt.line };

	p->innotify = 0;
	if (p->nt_discard)
		return;
	if (p->nt.type == 0) {
		perr(p, at, "notify \"%s\" has no destination (trap, inform, "
		    "syslog, mail or exec)", p->nt.name);
		return;
	}
	if (p->conf->nnotifies >= NP_MAX_NOTIFY) {
		perr(p, at, "too many notify targets (at most %d)",
		    NP_MAX_NOTIFY);
		return;
	}
	if (p->nt.timeout == 0) {
		switch (p->nt.type) {
		case NOTIFY_TRAP:
		case NOTIFY_INFORM:	p->nt.timeout = 2; break;
		case NOTIFY_SYSLOG:	p->nt.timeout = 5; break;
		default:		p->nt.timeout = 30; break;
		}
	}
	if ((n = malloc(sizeof(*n))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	*n = p->nt;
	TAILQ_INSERT_TAIL(&p->conf->notifies, n, entry);
	p->conf->nnotifies++;
}

/*
 * Once every target is read: each escalates to a target that exists, no
 * chain of escalations comes back to where it started, and the targets
 * escalated to take findings only that way.
 */
void
conf_notify_links(struct parse *p)
{
	struct notify_conf	*n, *t;
	struct loc		 at;
	char			 chain[512];
	int			 steps, len;

	TAILQ_FOREACH(n, &p->conf->notifies, entry) {
		if (n->escalate_secs == 0)
			continue;
		at.file = n->file;
		at.line = n->escalate_line;
		if ((t = conf_find_notify(p->conf, n->escalate_to)) == NULL) {
			perr(p, at, "escalate to \"%s\": no such notify target",
			    n->escalate_to);
			continue;
		}
		if (t == n) {
			perr(p, at, "notify \"%s\" escalates to itself (use "
			    "repeat)", n->name);
			continue;
		}
		t->escalation_only = 1;
		len = snprintf(chain, sizeof(chain), "%s", n->name);
		for (steps = 0; t != NULL && t != n &&
		    steps < p->conf->nnotifies; steps++) {
			if (len > 0 && (size_t)len < sizeof(chain))
				len += snprintf(chain + len, sizeof(chain) - len,
				    " -> %s", t->name);
			t = t->escalate_secs ?
			    conf_find_notify(p->conf, t->escalate_to) : NULL;
		}
		if (t == n) {
			perr(p, at, "escalation loop: %s -> %s", chain,
			    n->name);
			break;
		}
	}
}

struct notify_conf *
conf_find_notify(const struct config *conf, const char *name)
{
	struct notify_conf	*n;

	TAILQ_FOREACH(n, &conf->notifies, entry)
		if (strcmp(n->name, name) == 0)
			return (n);
	return (NULL);
}

const char *
conf_notify_type_name(enum notify_type t)
{
	return ((unsigned)t < sizeof(notify_types) / sizeof(notify_types[0]) ?
	    notify_types[t] : "?");
}

/*
 * Maintenance windows.
 */

/* A time as written in the configuration: "YYYY-MM-DD HH:MM[:SS]", local. */
static int
conf_time(const char *s, double *out)
{
	struct tm	 tm;
	const char	*end;
	time_t		 t;

	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm)) == NULL ||
	    *end != '\0') {
		memset(&tm, 0, sizeof(tm));
		if ((end = strptime(s, "%Y-%m-%d %H:%M", &tm)) == NULL ||
		    *end != '\0')
			return (-1);
	}
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return (-1);
	*out = (double)t;
	return (0);
}

/* "maintenance DEVICES from TIME until TIME" */
void
conf_maint_add(struct parse *p, struct loc at, const char *devices,
    const char *from, const char *until)
{
	struct maint_conf	*m;
	double			 a, b;

	if (*devices == '\0') {
		perr(p, at, "maintenance: the devices must not be empty");
		return;
	}
	if (conf_time(from, &a) == -1 || conf_time(until, &b) == -1) {
		perr(p, at, "maintenance: times are \"YYYY-MM-DD HH:MM\" "
		    "(local time)");
		return;
	}
	if (b <= a) {
		perr(p, at, "maintenance: it must end after it begins");
		return;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		perr(p, at, "out of memory");
		return;
	}
	if (conf_setstr(p, at, m->devices, sizeof(m->devices), devices,
	    "maintenance devices") == -1) {
		free(m);
		return;
	}
	m->from = a;
	m->until = b;
	m->line = at.line;
	TAILQ_INSERT_TAIL(&p->conf->maintenances, m, entry);
}
