/*
 * rules.c - syslog messages that become events. Configured rules first
 * (`syslog rule`: device, facility, level, mnemonic glob, regular
 * expression; kind, severity, key and text with %-substitutions), then the
 * built-in ones:
 *   port state: Cisco IOS/IOS-XE/IOS-XR and Arista %LINK-*-UPDOWN,
 *     %LINK-5-CHANGED, %LINEPROTO-5-UPDOWN; NX-OS %ETHPORT-5-IF_UP/IF_DOWN_*;
 *     Junos SNMP_TRAP_LINK_UP/DOWN; Huawei IFNET IF_STATE; Brocade
 *     NetIron "Interface X, state down"; SONiC: port.up,
 *     port.down, port.admin_down with the poller's key "port:NAME"
 *     (the inventory's name for the port);
 *   configuration: %SYS-5-CONFIG_I (IOS, EOS), NX-OS VSHD_SYSLOG_CONFIG_I,
 *     ASA %ASA-5-111008 and 111005,
 *     IOS-XR %MGBL-CONFIG-6-DB_COMMIT, Junos UI_COMMIT and
 *     UI_COMMIT_COMPLETED: config.changed, key "config";
 *   failed logins: sshd, PAM, Cisco SEC_LOGIN and SSH2_USERAUTH, Junos
 *     SSHD_LOGIN_FAILED, NX-OS, ASA: security.login_failure, and a burst of
 *     `syslog login-failures N per T` from one source on one device
 *     folded into one security.login_burst (and its _end).
 */
#include "config.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "syslog/sysrules.h"

enum {
	B_SSHD, /* "Failed password for [invalid user ]U from A port ..." */
	B_PAM, /* "authentication failure; ... rhost=A  user=U" */
	B_CISCO_LOGIN, /* "Login failed [user: U] [Source: A] ..." */
	B_CISCO_SSH, /* "User 'U' authentication for SSH2 Session from A ..." */
	B_JUNOS_LOGIN, /* "Login failed for user 'U' from host 'A'" */
	B_NXOS_LOGIN, /* "Authentication failed for user U from A" */
	B_ASA_113015, /* "... : user = U : user IP = A" */
	B_ASA_605004, /* "Login denied from A/P to IF:B/Q for user \"U\"" */
	B_N
};

static const char *const builtin_re[B_N] = {
    [B_SSHD] = "^Failed [^ ]+ for (invalid user )?([^ ]*) from ([^ ]+)",
    [B_PAM] = "authentication failure;.* rhost=([^ ]*)( +user=([^ ]*))?",
    [B_CISCO_LOGIN] = "Login failed \\[user: ?([^]]*)\\] \\[Source: "
                      "?([^]]*)\\]",
    [B_CISCO_SSH] = "User '([^']*)' authentication for SSH2? Session from "
                    "([^ ]+).*Failed",
    [B_JUNOS_LOGIN] = "Login failed for user '([^']*)' from host "
                      "'([^']*)'",
    [B_NXOS_LOGIN] = "Authentication failed for user ([^ ]+) from ([^ ]+)",
    [B_ASA_113015] = "user = ([^ :]*) : user IP = ([^ ]+)",
    [B_ASA_605004] = "Login denied from ([^/ ]+)/[0-9]+ to [^ ]+ for user "
                     "\"([^\"]*)\"",
};

/* For a login pattern: the groups of the user and of the source. */
static const struct {
	int re, user, source;
} login_groups[] = {{B_SSHD, 2, 3}, {B_PAM, 3, 1}, {B_CISCO_LOGIN, 1, 2},
    {B_CISCO_SSH, 1, 2}, {B_JUNOS_LOGIN, 1, 2}, {B_NXOS_LOGIN, 1, 2},
    {B_ASA_113015, 1, 2}, {B_ASA_605004, 2, 1}};

void
sysrules_init(
    struct sysrules *sr, void (*emit)(void *, struct np_event *), void *arg)
{
	memset(sr, 0, sizeof(*sr));
	hmap_init(&sr->logins);
	sr->emit = emit;
	sr->arg = arg;
}

static void
sysrules_clear(struct sysrules *sr)
{
	for (int i = 0; i < sr->nrules; i++)
		if (sr->rules[i].has_re)
			regfree(&sr->rules[i].re);
	free(sr->rules);
	sr->rules = NULL;
	sr->nrules = 0;
	for (int i = 0; i < sr->nbre; i++)
		regfree(&sr->bre[i]);
	sr->nbre = 0;
}

void
sysrules_free(struct sysrules *sr)
{
	sysrules_clear(sr);
	hmap_free_values(&sr->logins);
}

int
sysrules_configure(
    struct sysrules *sr, const struct config *c, const struct inventory *inv)
{
	const struct syslog_rule *r;
	int n = 0;

	sysrules_clear(sr);
	sr->inv = inv;
	sr->login_count = c->syslog_login_count;
	sr->login_secs = c->syslog_login_secs;
	for (int i = 0; i < B_N; i++) {
		if (regcomp(&sr->bre[i], builtin_re[i], REG_EXTENDED) != 0)
			fatalx("syslog: built-in expression %d does not "
			       "compile",
			    i);
		sr->nbre++;
	}
	TAILQ_FOREACH(r, &c->syslog_rules, entry)
	n++;
	if (n == 0)
		return 0;
	if ((sr->rules = calloc((size_t)n, sizeof(*sr->rules))) == NULL)
		return -1;
	TAILQ_FOREACH(r, &c->syslog_rules, entry)
	{
		struct sysd_crule *cr = &sr->rules[sr->nrules];

		cr->r = *r;
		if (r->regex[0]) {
			if (regcomp(&cr->re, r->regex, REG_EXTENDED) != 0) {
				log_warnx("%s:%d: syslog rule: the expression "
				          "does not compile: left out",
				    r->file, r->line);
				continue;
			}
			cr->has_re = 1;
		}
		sr->nrules++;
	}
	return 0;
}

/* A regex group as text ("" when it did not take part). */
static void
group(const char *s, const regmatch_t *g, char *out, size_t size)
{
	if (g->rm_so < 0) {
		out[0] = '\0';
		return;
	}
	snprintf(out, size, "%.*s", (int)(g->rm_eo - g->rm_so), s + g->rm_so);
}

/* A rule's key or text, %-substituted. */
static void
subst(const char *tmpl, const struct syslog_msg *m, const char *device,
    const char *sender, const char *text, const regmatch_t *g, char *out,
    size_t size)
{
	size_t o = 0;

	for (const char *p = tmpl; *p && o + 1 < size; p++) {
		char val[1024];
		const char *v = NULL;
		size_t skip = 0;

		if (*p != '%') {
			out[o++] = *p;
			continue;
		}
		if (p[1] >= '0' && p[1] <= '9') {
			if (g)
				group(text, &g[p[1] - '0'], val, sizeof(val));
			else
				val[0] = '\0';
			v = val;
			skip = 1;
		} else if (strncmp(p + 1, "device", 6) == 0)
			v = device, skip = 6;
		else if (strncmp(p + 1, "sender", 6) == 0)
			v = sender, skip = 6;
		else if (strncmp(p + 1, "host", 4) == 0)
			v = m->host, skip = 4;
		else if (strncmp(p + 1, "app", 3) == 0)
			v = m->app, skip = 3;
		else if (strncmp(p + 1, "mnemonic", 8) == 0)
			v = m->mn.code[0] ? m->mn.code : m->tag, skip = 8;
		else if (strncmp(p + 1, "text", 4) == 0)
			v = text, skip = 4;
		else if (p[1] == '%')
			v = "%", skip = 1;
		if (v == NULL) {
			out[o++] = *p;
			continue;
		}
		o += (size_t)snprintf(out + o, size - o, "%s", v);
		if (o >= size)
			o = size - 1;
		p += skip;
	}
	out[o] = '\0';
}

static int
sysrules_configured(struct sysrules *sr, const struct syslog_msg *m,
    const char *device, const char *sender, struct np_event *ev)
{
	const char *mn = m->mn.code[0] ? m->mn.code : m->tag;
	const char *text = m->msg;
	regmatch_t g[10];
	char key[NP_STR_MAX], txt[512];

	for (int i = 0; i < sr->nrules; i++) {
		struct sysd_crule *cr = &sr->rules[i];
		const struct syslog_rule *r = &cr->r;

		if (r->device[0] && strcasecmp(r->device, device) != 0)
			continue;
		if (r->facility >= 0 && r->facility != m->facility)
			continue;
		if (r->level >= 0 && m->severity > r->level)
			continue;
		if (r->mnemonic[0] &&
		    (mn[0] == '\0' || fnmatch(r->mnemonic, mn, FNM_CASEFOLD)))
			continue;
		if (cr->has_re && regexec(&cr->re, text, 10, g, 0) != 0)
			continue;
		cr->hits++;
		if (r->key[0])
			subst(r->key, m, device, sender, text,
			    cr->has_re ? g : NULL, key, sizeof(key));
		else
			snprintf(key, sizeof(key), "syslog:%s",
			    mn[0] ? mn : r->kind);
		if (r->text[0])
			subst(r->text, m, device, sender, text,
			    cr->has_re ? g : NULL, txt, sizeof(txt));
		else
			snprintf(txt, sizeof(txt), "%s", text);
		event_init(ev, device, "syslog", r->kind, key,
		    (enum np_severity)r->severity, "%s", txt);
		return 1;
	}
	return 0;
}

/*
 * The word after WHAT in TEXT (up to a space, ',' or '('), into OUT; a
 * pointer past it, or NULL. Port messages are frequent: no regex here.
 */
static const char *
word_after(const char *text, const char *what, char *out, size_t size)
{
	const char *p = strstr(text, what);
	size_t n;

	if (p == NULL)
		return NULL;
	p += strlen(what);
	n = strcspn(p, " ,(");
	if (n == 0 || n >= size)
		return NULL;
	memcpy(out, p, n);
	out[n] = '\0';
	return p + n;
}

/* A port's state from its message: the inventory's name for it, if polled. */
static int
sysrules_port(struct sysrules *sr, const struct syslog_msg *m,
    const char *device, int known, struct np_event *ev)
{
	const char *mf = m->mn.facility, *mname = m->mn.name;
	const char *text = m->msg + m->text_off, *p, *q;
	char name[NP_STR_MAX], key[NP_STR_MAX + 8], tmp[32];
	const struct inv_port *known_port;
	int admin = 0, up = 0;

	if ((strcmp(mname, "UPDOWN") == 0 &&
	        (strcmp(mf, "LINK") == 0 || strcmp(mf, "LINEPROTO") == 0 ||
	            strcmp(mf, "PKT_INFRA-LINK") == 0 ||
	            strcmp(mf, "PKT_INFRA-LINEPROTO") == 0)) ||
	    (strcmp(mname, "CHANGED") == 0 && strcmp(mf, "LINK") == 0)) {
		/* "[Line protocol on ]Interface X[ (descr)], changed state
		 * to [administratively ]down|up" */
		if (word_after(text, "Interface ", name, sizeof(name)) ==
		        NULL ||
		    (p = strstr(text, "changed state to ")) == NULL)
			return 0;
		p += 17;
		admin = strncasecmp(p, "administratively down", 21) == 0;
		up = strncasecmp(p, "up", 2) == 0;
		if (!admin && !up && strncasecmp(p, "down", 4) != 0)
			return 0;
	} else if (strcmp(mf, "ETHPORT") == 0 &&
	    (strncmp(mname, "IF_UP", 5) == 0 ||
	        strncmp(mname, "IF_DOWN", 7) == 0)) {
		/* NX-OS "Interface Ethernet1/1 is down (Link failure)" */
		if ((p = word_after(text, "Interface ", name, sizeof(name))) ==
		        NULL ||
		    strncmp(p, " is ", 4) != 0)
			return 0;
		up = strncmp(p + 4, "up", 2) == 0;
		if (!up && strncmp(p + 4, "down", 4) != 0)
			return 0;
		admin = strstr(p, "Administratively down") != NULL;
	} else if (strcmp(m->tag, "SNMP_TRAP_LINK_DOWN") == 0 ||
	    strcmp(m->tag, "SNMP_TRAP_LINK_UP") == 0) {
		/* Junos "ifIndex 502, ifAdminStatus down(2), ifOperStatus
		 * down(2), ifName xe-0/0/0" */
		if (word_after(text, "ifName ", name, sizeof(name)) == NULL ||
		    word_after(text, "ifOperStatus ", tmp, sizeof(tmp)) == NULL)
			return 0;
		up = strcmp(tmp, "up") == 0;
		admin = word_after(text, "ifAdminStatus ", tmp, sizeof(tmp)) &&
		    strcmp(tmp, "down") == 0;
	} else if (strncmp(text, "Interface ", 10) == 0 &&
	    (q = strstr(text, ", state ")) != NULL) {
		/* Brocade NetIron "Interface ethernet 1/1/36, state down" */
		size_t n = (size_t)(q - text) - 10;

		if (n == 0 || n >= sizeof(name))
			return 0;
		memcpy(name, text + 10, n);
		name[n] = '\0';
		up = strncmp(q + 8, "up", 2) == 0;
		if (!up && strncmp(q + 8, "down", 4) != 0)
			return 0;
	} else if (strstr(m->msg, "nterface") == NULL) {
		/* the rest name an interface: one scan rules them out */
		return 0;
	} else if ((q = strstr(text, "Set operation status ")) != NULL &&
	    strstr(q, " to host interface ") != NULL) {
		/* SONiC "Set operation status UP to host interface Ethernet28" */
		if (word_after(q, " to host interface ", name, sizeof(name)) ==
		    NULL)
			return 0;
		up = strncmp(q + 21, "UP", 2) == 0;
		if (!up && strncmp(q + 21, "DOWN", 4) != 0)
			return 0;
	} else if ((q = strstr(m->msg, " has turned into ")) != NULL) {
		/* Huawei "Interface Ethernet0/0/8 has turned into DOWN state" */
		if (word_after(m->msg, "Interface ", name, sizeof(name)) ==
		    NULL)
			return 0;
		up = strncmp(q + 17, "UP", 2) == 0;
		if (!up && strncmp(q + 17, "DOWN", 4) != 0)
			return 0;
	} else
		return 0;
	if (known && sr->inv &&
	    (known_port = inv_port_find(sr->inv, device, name)) != NULL)
		event_copy(name, sizeof(name), known_port->name);
	memcpy(key, "port:", 5);
	event_copy(key + 5, sizeof(key) - 5, name);
	event_init(ev, device, "syslog",
	    up          ? "port.up"
	        : admin ? "port.admin_down"
	                : "port.down",
	    key, up || admin ? SEV_INFO : SEV_MAJOR,
	    "port %s is %s (syslog %s)", name,
	    up          ? "up"
	        : admin ? "administratively down"
	                : "down",
	    m->mn.code[0] ? m->mn.code : m->tag);
	event_copy(ev->object, sizeof(ev->object), name);
	event_copy(ev->new_state, sizeof(ev->new_state),
	    up          ? "up"
	        : admin ? "admin_down"
	                : "down");
	return 1;
}

/*
 * The user a configuration message names: 'USER' after "User"/"user"
 * (Junos, ASA, IOS-XR), else the word after " by " (IOS, NX-OS, EOS).
 */
static void
sysrules_config_user(const char *text, char *out, size_t len)
{
	const char *p, *e;
	size_t n;

	out[0] = '\0';
	if ((p = strstr(text, "User '")) != NULL ||
	    (p = strstr(text, "user '")) != NULL) {
		p += 6;
		e = strchr(p, '\'');
	} else if ((p = strstr(text, " by ")) != NULL) {
		p += 4;
		for (e = p; *e && *e != ' ' && *e != ',' && *e != ';'; e++)
			;
	} else
		return;
	if (e == NULL || e == p)
		return;
	n = (size_t)(e - p);
	if (n >= len)
		n = len - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < ' ')
			*c = '?';
}

static int
sysrules_config(
    const struct syslog_msg *m, const char *device, struct np_event *ev)
{
	const char *c = m->mn.code;

	/* ASA: 111008 "executed the 'configure terminal' command", 111005
	 * "end configuration"; the others say the change is made */
	if (strcmp(c, "SYS-5-CONFIG_I") != 0 &&
	    strcmp(c, "VSHD-5-VSHD_SYSLOG_CONFIG_I") != 0 &&
	    strcmp(c, "MGBL-CONFIG-6-DB_COMMIT") != 0 &&
	    strcmp(c, "ASA-5-111008") != 0 && strcmp(c, "ASA-5-111005") != 0 &&
	    strcmp(c, "ASA-config-5-111005") != 0 &&
	    strcmp(m->tag, "UI_COMMIT") != 0 &&
	    strcmp(m->tag, "UI_COMMIT_COMPLETED") != 0)
		return 0;
	event_init(ev, device, "syslog", "config.changed", "config",
	    SEV_WARNING, "configuration changed: %s (syslog %s)",
	    m->msg + m->text_off, c[0] ? c : m->tag);
	sysrules_config_user(m->msg + m->text_off, ev->user, sizeof(ev->user));
	return 1;
}

/* Which login pattern the message may be, from cheap tests: -1 none. */
static int
sysrules_login_re(const struct syslog_msg *m)
{
	const char *text = m->msg + m->text_off, *p;

	if (strncmp(m->app, "sshd", 4) == 0 && strncmp(text, "Failed ", 7) == 0)
		return B_SSHD;
	if (strcmp(m->mn.name, "LOGIN_FAILED") == 0)
		return B_CISCO_LOGIN;
	if (strcmp(m->mn.name, "SSH2_USERAUTH") == 0)
		return B_CISCO_SSH;
	if (strcmp(m->tag, "SSHD_LOGIN_FAILED") == 0 ||
	    strcmp(m->tag, "LOGIN_FAILED") == 0)
		return B_JUNOS_LOGIN;
	if (strcmp(m->mn.code, "ASA-6-113015") == 0)
		return B_ASA_113015;
	if (strcmp(m->mn.code, "ASA-6-605004") == 0)
		return B_ASA_605004;
	/* the rest say "uthentication": one scan rules them out */
	if ((p = strstr(text, "uthentication f")) == NULL)
		return -1;
	if (strncmp(p - 1, "Authentication failed for user", 30) == 0)
		return B_NXOS_LOGIN;
	if (strncmp(m->app, "sshd", 4) != 0 &&
	    strncmp(p - 1, "authentication failure;", 23) == 0)
		return B_PAM;
	return -1;
}

static int
sysrules_login(struct sysrules *sr, const struct syslog_msg *m,
    const char *device, double now, struct np_event *ev)
{
	const char *text = m->msg + m->text_off;
	char user[64], source[64], key[NP_NAME_MAX + 80], ekey[96];
	struct sysd_login *lg;
	regmatch_t g[4];
	int re = sysrules_login_re(m), ug = 0, sg = 0;

	if (re < 0 || regexec(&sr->bre[re], text, 4, g, 0) != 0)
		return 0;
	for (size_t i = 0; i < sizeof(login_groups) / sizeof(login_groups[0]);
	     i++)
		if (login_groups[i].re == re) {
			ug = login_groups[i].user;
			sg = login_groups[i].source;
		}
	group(text, &g[ug], user, sizeof(user));
	group(text, &g[sg], source, sizeof(source));
	if (source[0] == '\0')
		snprintf(source, sizeof(source), "local");
	snprintf(ekey, sizeof(ekey), "security:login:%s", source);
	snprintf(key, sizeof(key), "%s|%s", device, source);
	if ((lg = hmap_get(&sr->logins, key)) == NULL &&
	    sr->logins.n < SYSD_LOGIN_MAX &&
	    (lg = calloc(1, sizeof(*lg))) != NULL) {
		snprintf(lg->key, sizeof(lg->key), "%s", key);
		snprintf(lg->device, sizeof(lg->device), "%s", device);
		snprintf(lg->source, sizeof(lg->source), "%s", source);
		lg->win_start = now;
		if (hmap_put(&sr->logins, lg->key, lg) == -1) {
			free(lg);
			lg = NULL;
		}
	}
	if (lg != NULL) {
		if (now - lg->win_start >= sr->login_secs && !lg->bursting) {
			lg->win_start = now;
			lg->win_count = 0;
		}
		lg->win_count++;
		lg->last = now;
		snprintf(lg->user, sizeof(lg->user), "%s", user);
		if (lg->bursting) {
			lg->burst_count++;
			return 0; /* folded: the message is stored, no event */
		}
		if (lg->win_count >= (unsigned long)sr->login_count) {
			lg->bursting = 1;
			lg->burst_start = now;
			lg->burst_count = lg->win_count;
			event_init(ev, device, "syslog", "security.login_burst",
			    ekey, SEV_MAJOR,
			    "%lu failed logins from %s in %.0f s (last user "
			    "\"%s\"): more are folded until it stops",
			    lg->win_count, source, now - lg->win_start, user);
			snprintf(ev->object, sizeof(ev->object), "%s", source);
			return 1;
		}
	}
	event_init(ev, device, "syslog", "security.login_failure", ekey,
	    SEV_WARNING, "failed login for user \"%s\" from %s (%s)", user,
	    source,
	    m->mn.code[0]   ? m->mn.code
	        : m->tag[0] ? m->tag
	                    : m->app);
	snprintf(ev->object, sizeof(ev->object), "%s", source);
	return 1;
}

int
sysrules_event(struct sysrules *sr, const struct syslog_msg *m,
    const char *device, int known, const char *sender, double now,
    struct np_event *ev)
{
	if (sr->nrules && sysrules_configured(sr, m, device, sender, ev))
		return 1;
	if (sr->nbre == 0)
		return 0;
	return sysrules_port(sr, m, device, known, ev) ||
	    sysrules_config(m, device, ev) ||
	    sysrules_login(sr, m, device, now, ev);
}

static void
sysrules_burst_end(struct sysrules *sr, struct sysd_login *lg)
{
	struct np_event ev;
	char key[96];

	snprintf(key, sizeof(key), "security:login:%s", lg->source);
	event_init(&ev, lg->device, "syslog", "security.login_burst_end", key,
	    SEV_INFO,
	    "failed logins from %s stopped: %lu in %.0f s (last user \"%s\")",
	    lg->source, lg->burst_count, lg->last - lg->burst_start, lg->user);
	if (sr->emit)
		sr->emit(sr->arg, &ev);
}

void
sysrules_tick(struct sysrules *sr, double now)
{
	for (size_t i = 0; i < sr->logins.cap; i++) {
		struct sysd_login *lg =
		    sr->logins.slots[i].hash ? sr->logins.slots[i].value : NULL;

		if (lg == NULL || now - lg->last < sr->login_secs)
			continue;
		if (lg->bursting)
			sysrules_burst_end(sr, lg);
		hmap_del(&sr->logins, lg->key);
		free(lg);
		i = (size_t)-1; /* the map moved entries: from the start */
	}
}

void
sysrules_flush(struct sysrules *sr)
{
	for (size_t i = 0; i < sr->logins.cap; i++) {
		struct sysd_login *lg =
		    sr->logins.slots[i].hash ? sr->logins.slots[i].value : NULL;

		if (lg != NULL && lg->bursting) {
			sysrules_burst_end(sr, lg);
			lg->bursting = 0;
		}
	}
}
