/*
 * trapev.c - from an accepted trap to an event: the sender's device, its
 * authentication, storm folding, the configured rules, the standard traps
 * (reboot, port state with the same key as polling, authentication
 * failure), and the generic "trap" event for all the others. Every trap
 * not folded is stored whole.
 */
#include "config.h"

#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "json.h"
#include "log_event.h"
#include "trapint.h"

static const oid oid_trapaddress0[] = {1, 3, 6, 1, 6, 3, 18, 1, 3, 0};
static const oid oid_ifindex[] = {1, 3, 6, 1, 2, 1, 2, 2, 1, 1};
static const oid oid_ifdescr[] = {1, 3, 6, 1, 2, 1, 2, 2, 1, 2};
static const oid oid_ifadmin[] = {1, 3, 6, 1, 2, 1, 2, 2, 1, 7};
static const oid oid_ifoper[] = {1, 3, 6, 1, 2, 1, 2, 2, 1, 8};
static const oid oid_ifname[] = {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1};
#define OIDLEN(o) (sizeof(o) / sizeof(o[0]))

void
trapd_reject(
    struct trapd *td, struct trap_sender *s, const char *why, const char *user)
{
	double now = trapd_now();

	src_count(&td->src, &s->s, TC_REJECTED, 1);
	complain(&td->c_bad, LOG_L_WARN, "trap from %s rejected: %s%s%s%s",
	    s->s.addr, why, user && user[0] ? " (user \"" : "",
	    user && user[0] ? user : "", user && user[0] ? "\")" : "");
	snprintf(s->reject_why, sizeof(s->reject_why), "%s", why);
	if (now - s->reject_said < TRAP_REJECT_EVERY) {
		s->reject_unsaid++;
		return;
	}
	src_emit(&td->src, src_sender_name(&s->s), "trap.rejected",
	    "security:snmp-trap", SEV_WARNING,
	    "%lu trap%s from %s rejected: %s", s->reject_unsaid + 1,
	    s->reject_unsaid ? "s" : "", s->s.addr, why);
	s->reject_said = now;
	s->reject_unsaid = 0;
}

/* The sender's device: by its address, else the v1 agent-addr, else
 * snmpTrapAddress.0 (a trap relayed, or from another interface). */
static const struct inv_device *
trapev_device(struct trapd *td, struct trap_sender *s, const struct trap_msg *m)
{
	const struct inv_device *d = src_device(&td->src, &s->s);
	char addr[INV_ADDR_MAX];
	int i;

	if (td->inv == NULL)
		return NULL;
	if (d == NULL && m->version == 1 && strcmp(m->agent_addr, "0.0.0.0"))
		d = inv_device_by_addr(td->inv, m->agent_addr);
	if (d == NULL &&
	    (i = trapmsg_find(m, oid_trapaddress0, OIDLEN(oid_trapaddress0))) >=
	        0 &&
	    m->vb[i]->type == ASN_IPADDRESS && m->vb[i]->val_len == 4) {
		inet_ntop(AF_INET, m->vb[i]->val.string, addr, sizeof(addr));
		d = inv_device_by_addr(td->inv, addr);
	}
	return d;
}

/* Only configured communities and users; and the device's own. */
static const char *
trapev_auth(struct trapd *td, const struct inv_device *d,
    const netsnmp_pdu *pdu, char *user, size_t userlen)
{
	user[0] = '\0';
	if (pdu->version == SNMP_VERSION_3) {
		int need = 0, found = 0;

		snprintf(user, userlen, "%.*s", (int)pdu->securityNameLen,
		    pdu->securityName ? pdu->securityName : "");
		for (int i = 0; i < td->nusers && !found; i++)
			if (strcmp(td->users[i].user, user) == 0) {
				found = 1;
				need = td->users[i].priv
				    ? SNMP_SEC_LEVEL_AUTHPRIV
				    : SNMP_SEC_LEVEL_AUTHNOPRIV;
			}
		if (!found && d && d->cred.version == NP_SNMP_V3 &&
		    strcmp(d->cred.user, user) == 0) {
			found = 1;
			need = d->cred.priv ? SNMP_SEC_LEVEL_AUTHPRIV
			    : d->cred.auth  ? SNMP_SEC_LEVEL_AUTHNOPRIV
			                    : SNMP_SEC_LEVEL_NOAUTH;
		}
		if (!found)
			return "an SNMPv3 user that is not a trap user";
		if (pdu->securityLevel < need)
			return "a lower SNMPv3 security level than its user's";
		return NULL;
	}
	if (pdu->community == NULL)
		return "no community";
	for (int i = 0; i < td->ncommunities; i++)
		if (strlen(td->communities[i]) == pdu->community_len &&
		    memcmp(td->communities[i], pdu->community,
		        pdu->community_len) == 0)
			return NULL;
	if (d && d->cred.version != NP_SNMP_V3 &&
	    strlen(d->cred.community) == pdu->community_len &&
	    memcmp(d->cred.community, pdu->community, pdu->community_len) == 0)
		return NULL;
	return "a community that is not accepted";
}

/* The trap's own words for a port: the inventory's name for its ifIndex. */
static void
trapev_port(struct trapd *td, const char *device, const struct trap_msg *m,
    char *name, size_t size, int *admin_down, int32_t *unknown)
{
	const struct inv_port *known;
	char val[256];
	long ifindex = -1;
	int i;

	*admin_down = 0;
	*unknown = 0;
	if ((i = trapmsg_find(m, oid_ifindex, OIDLEN(oid_ifindex))) >= 0 &&
	    m->vb[i]->type == ASN_INTEGER)
		ifindex = *m->vb[i]->val.integer;
	else if ((i = trapmsg_find(m, oid_ifoper, OIDLEN(oid_ifoper))) >= 0 ||
	    (i = trapmsg_find(m, oid_ifadmin, OIDLEN(oid_ifadmin))) >= 0 ||
	    (i = trapmsg_find(m, oid_ifdescr, OIDLEN(oid_ifdescr))) >= 0)
		ifindex = (long)m->vb[i]->name[m->vb[i]->name_length - 1];
	if ((i = trapmsg_find(m, oid_ifadmin, OIDLEN(oid_ifadmin))) >= 0 &&
	    m->vb[i]->type == ASN_INTEGER && *m->vb[i]->val.integer == 2)
		*admin_down = 1;
	if (ifindex > 0 && device != NULL && td->inv != NULL &&
	    (known = inv_port_by_index(td->inv, device, (uint32_t)ifindex))) {
		trap_copy(name, size, known->name);
		return;
	}
	if (ifindex > 0 && ifindex <= INT32_MAX)
		*unknown = (int32_t)ifindex;
	if ((i = trapmsg_find(m, oid_ifname, OIDLEN(oid_ifname))) >= 0 ||
	    (i = trapmsg_find(m, oid_ifdescr, OIDLEN(oid_ifdescr))) >= 0) {
		trapmsg_value_text(m->vb[i], val, sizeof(val));
		if (val[0]) {
			trap_copy(name, size, val);
			return;
		}
	}
	if (ifindex > 0)
		snprintf(name, size, "ifIndex %ld", ifindex);
	else
		snprintf(name, size, "?");
}

static int
trapev_rule_match(const struct trap_crule *cr, const struct trap_msg *m)
{
	char val[1024];

	if (cr->len != m->trap_oid_len ||
	    snmp_oid_compare(cr->oid, cr->len, m->trap_oid, m->trap_oid_len) !=
	        0)
		return 0;
	for (int k = 0; k < cr->nmatch; k++) {
		int hit = 0;

		for (int i = 0; i < m->nvb && !hit; i++) {
			const netsnmp_variable_list *v = m->vb[i];

			if (v->name_length < cr->m[k].len ||
			    snmp_oid_compare(v->name, cr->m[k].len,
			        cr->m[k].oid, cr->m[k].len) != 0)
				continue;
			trapmsg_value_text(v, val, sizeof(val));
			hit = regexec(&cr->m[k].re, val, 0, NULL, 0) == 0;
		}
		if (!hit)
			return 0;
	}
	return 1;
}

/* What the trap says, as an event. */
static void
trapev_event(struct trapd *td, const struct trap_msg *m, const char *device,
    const char *sender, struct np_event *ev)
{
	char name[NP_STR_MAX], text[512];
	int admin_down;

	for (int i = 0; i < td->nrules; i++) {
		struct trap_crule *cr = &td->rules[i];

		if (!trapev_rule_match(cr, m))
			continue;
		cr->hits++;
		if (cr->r.key[0])
			trapmsg_subst(
			    cr->r.key, m, device, sender, name, sizeof(name));
		else
			snprintf(name, sizeof(name), "trap:%s", cr->r.oid);
		if (cr->r.text[0])
			trapmsg_subst(
			    cr->r.text, m, device, sender, text, sizeof(text));
		else
			trapmsg_summary(m, text, sizeof(text));
		event_init(ev, device, "trap", cr->r.kind, name,
		    (enum np_severity)cr->r.severity, "%s", text);
		return;
	}
	switch (trapmsg_std(m)) {
	case TRAP_COLDSTART:
	case TRAP_WARMSTART:
		event_init(ev, device, "trap", "device.reboot", "uptime",
		    SEV_WARNING, "%s start (%s trap from %s)",
		    trapmsg_std(m) == TRAP_COLDSTART ? "cold" : "warm",
		    trapmsg_std(m) == TRAP_COLDSTART ? "coldStart"
		                                     : "warmStart",
		    sender);
		snprintf(ev->new_state, sizeof(ev->new_state), "restarted");
		return;
	case TRAP_LINKDOWN:
	case TRAP_LINKUP: {
		int down = trapmsg_std(m) == TRAP_LINKDOWN;
		char key[NP_STR_MAX + 8];
		int32_t unknown;

		trapev_port(td, device, m, name, sizeof(name), &admin_down,
		    &unknown);
		memcpy(key, "port:", 5); /* key has room for "port:" + name */
		trap_copy(key + 5, sizeof(key) - 5, name);
		event_init(ev, device, "trap",
		    !down            ? "port.up"
		        : admin_down ? "port.admin_down"
		                     : "port.down",
		    key, !down || admin_down ? SEV_INFO : SEV_MAJOR,
		    "port %s is %s (%s trap)", name,
		    !down            ? "up"
		        : admin_down ? "administratively down"
		                     : "down",
		    down ? "linkDown" : "linkUp");
		trap_copy(ev->object, sizeof(ev->object), name);
		ev->ifindex = unknown;
		trap_copy(ev->new_state, sizeof(ev->new_state),
		    !down            ? "up"
		        : admin_down ? "admin_down"
		                     : "down");
		return;
	}
	case TRAP_AUTHFAIL:
		event_init(ev, device, "trap", "security.snmp_auth_failure",
		    "security:snmp-auth", SEV_WARNING,
		    "the device reports an SNMP authentication failure "
		    "(authenticationFailure trap)");
		return;
	default: break;
	}
	if (trapmsg_config_event(m, device, sender, ev))
		return;
	trapmsg_summary(m, text, sizeof(text));
	if (trapmsg_oid_name(
	        m->trap_oid, m->trap_oid_len, name, sizeof(name))[0] == '\0')
		trapmsg_oid_text(
		    m->trap_oid, m->trap_oid_len, name, sizeof(name));
	{
		char key[NP_STR_MAX + 8];

		snprintf(key, sizeof(key), "trap:%s", name);
		event_init(
		    ev, device, "trap", "trap", key, SEV_INFO, "%s", text);
	}
}

static void
trapev_storm_count(struct trap_sender *s, const struct trap_msg *m)
{
	char oid[128];
	int free_slot = -1, least = 0;

	trapmsg_oid_text(m->trap_oid, m->trap_oid_len, oid, sizeof(oid));
	for (int i = 0; i < TRAP_STORM_TOP; i++) {
		if (strcmp(s->top[i].oid, oid) == 0) {
			s->top[i].n++;
			return;
		}
		if (s->top[i].oid[0] == '\0' && free_slot < 0)
			free_slot = i;
		if (s->top[i].n < s->top[least].n)
			least = i;
	}
	/* a new OID takes a free slot, else the rarest one's */
	if (free_slot < 0)
		free_slot = least;
	snprintf(s->top[free_slot].oid, sizeof(s->top[0].oid), "%s", oid);
	s->top[free_slot].n = 1;
}

/* A sender went over the storm limit: the rest is folded. */
void
trapev_storm_begin(void *arg, struct src_sender *ss, double now)
{
	struct trapd *td = arg;

	(void)now;
	src_emit(&td->src, src_sender_name(ss), "trap.storm", "trap:storm",
	    SEV_WARNING,
	    "trap storm from %s: over %d traps in %d s; folding the rest "
	    "until it calms",
	    ss->addr, td->src.limit, td->src.secs);
}

/* A storm calmed (or the daemon stops): what it folded is reported. */
void
trapev_storm_end(void *arg, struct src_sender *ss, double now)
{
	struct trapd *td = arg;
	struct trap_sender *s = (struct trap_sender *)ss;
	char top[512];
	size_t off = 0;

	top[0] = '\0';
	for (int i = 0; i < TRAP_STORM_TOP; i++)
		if (s->top[i].oid[0] && off < sizeof(top))
			off += (size_t)snprintf(top + off, sizeof(top) - off,
			    "%s%s x%lu", off ? ", " : "", s->top[i].oid,
			    s->top[i].n);
	src_emit(&td->src, src_sender_name(ss), "trap.storm_end", "trap:storm",
	    SEV_INFO,
	    "trap storm from %s over after %.0f s: %lu traps folded (%s)",
	    ss->addr, now - ss->win.over_start, ss->win.over_n, top);
	memset(s->top, 0, sizeof(s->top));
}

/* 0: stored or folded (an inform may be acknowledged), -1: not. */
int
trapev_handle(struct trapd *td, struct trap_sender *s, netsnmp_pdu *pdu)
{
	struct trap_msg m;
	struct store_trap t;
	const struct inv_device *d;
	const char *why, *device;
	char user[NP_NAME_MAX];
	double now = trapd_now();
	struct jbuf j;

	trapmsg_read(pdu, &m);
	d = trapev_device(td, s, &m);
	if ((why = trapev_auth(td, d, pdu, user, sizeof(user))) != NULL) {
		trapd_reject(td, s, why, user);
		return -1;
	}
	trap_copy(s->s.device, sizeof(s->s.device), d ? d->name : "");
	device = d ? d->name : s->s.addr;
	src_count(&td->src, &s->s, TC_ACCEPTED, 1);
	if (m.problem[0])
		complain(&td->c_bad, LOG_L_WARN, "trap from %s: %s", s->s.addr,
		    m.problem);

	/* a sender over its rate is folded: counted, summarised, not stored */
	if (src_limit(&td->src, &s->s, now)) {
		trapev_storm_count(s, &m);
		src_count(&td->src, &s->s, TC_FOLDED, 1);
		return 0;
	}

	memset(&t, 0, sizeof(t));
	trapev_event(td, &m, device, s->s.addr, &t.event);
	t.known = d != NULL;
	trap_copy(t.sender, sizeof(t.sender), s->s.addr);
	trap_copy(t.version, sizeof(t.version),
	    m.version == 1       ? "v1"
	        : m.version == 2 ? "v2c"
	                         : "v3");
	t.inform = m.inform;
	trap_copy(t.security, sizeof(t.security), user);
	trapmsg_oid_text(
	    m.trap_oid, m.trap_oid_len, t.trap_oid, sizeof(t.trap_oid));
	if (td->names)
		trapmsg_oid_name(m.trap_oid, m.trap_oid_len, t.trap_name,
		    sizeof(t.trap_name));
	t.uptime = m.uptime;
	/* gone to the node that holds the device: in a store the nodes
	 * share, that node writes the event; here the trap, naming it */
	t.event_elsewhere =
	    evbus_announce(td->bus, &t.event) == 1 && store_is_pg(td->store);
	jbuf_init(&j);
	trapmsg_json(&m, pdu, &j, td->names);
	t.varbinds = j.failed || j.s == NULL ? "[]" : j.s;
	if (store_put_trap(td->store, &t) == -1) {
		jbuf_free(&j);
		src_count(&td->src, &s->s, TC_STORE_DROPPED, 1);
		complain(&td->c_store, LOG_L_WARN,
		    "trap from %s dropped: store queue full", s->s.addr);
		return -1;
	}
	jbuf_free(&j);
	src_count(&td->src, &s->s, TC_STORED, 1);
	if (strcmp(t.event.kind, "trap") != 0 || log_getverbose() > 0)
		log_event(device, t.event.kind,
		    event_severity_name(t.event.severity), t.event.text);
	return 0;
}

/* Every second: storms that calmed, rejections not yet said. */
void
trapev_tick(struct trapd *td)
{
	double now = trapd_now();
	struct src_sender *ss;
	size_t pos = 0;

	src_tick(&td->src, now);
	while ((ss = src_next(&td->src, &pos)) != NULL) {
		struct trap_sender *s = (struct trap_sender *)ss;

		if (s->reject_unsaid &&
		    now - s->reject_said >= TRAP_REJECT_EVERY) {
			src_emit(&td->src, src_sender_name(ss), "trap.rejected",
			    "security:snmp-trap", SEV_WARNING,
			    "%lu trap%s from %s rejected: %s", s->reject_unsaid,
			    s->reject_unsaid > 1 ? "s" : "", ss->addr,
			    s->reject_why);
			s->reject_said = now;
			s->reject_unsaid = 0;
		}
	}
}

/* An OID as written in the configuration: numeric, or a MIB name. */
static int
trapev_parse_oid(const char *text, oid *out, size_t *len)
{
	const char *p = text + (*text == '.');
	size_t n = 0;

	if (*p >= '0' && *p <= '9') {
		while (*p) {
			char *end;
			unsigned long v = strtoul(p, &end, 10);

			if (end == p || n == MAX_OID_LEN)
				return -1;
			out[n++] = (oid)v;
			p = end;
			if (*p == '.')
				p++;
			else if (*p)
				return -1;
		}
		*len = n;
		return 0;
	}
	*len = MAX_OID_LEN;
	return snmp_parse_oid(text, out, len) ? 0 : -1;
}

void
trapev_free_rules(struct trapd *td)
{
	for (int i = 0; i < td->nrules; i++)
		for (int k = 0; k < td->rules[i].nmatch; k++)
			regfree(&td->rules[i].m[k].re);
	free(td->rules);
	td->rules = NULL;
	td->nrules = 0;
}

/* Rules whose OIDs no MIB resolves are left out, and said so. */
int
trapev_compile_rules(struct trapd *td, const struct config *c)
{
	const struct trap_rule *r;
	int n = 0;

	trapev_free_rules(td);
	TAILQ_FOREACH(r, &c->trap_rules, entry)
	n++;
	if (n == 0)
		return 0;
	if ((td->rules = calloc((size_t)n, sizeof(*td->rules))) == NULL)
		return -1;
	TAILQ_FOREACH(r, &c->trap_rules, entry)
	{
		struct trap_crule *cr = &td->rules[td->nrules];
		int ok = 1;

		memset(cr, 0, sizeof(*cr));
		cr->r = *r;
		if (trapev_parse_oid(r->oid, cr->oid, &cr->len) == -1) {
			log_warnx("%s:%d: trap rule: no MIB knows \"%s\": "
			          "the rule is left out",
			    r->file, r->line, r->oid);
			continue;
		}
		for (int k = 0; k < r->nmatch && ok; k++) {
			if (trapev_parse_oid(r->match[k].oid, cr->m[k].oid,
			        &cr->m[k].len) == -1) {
				log_warnx("%s:%d: trap rule: no MIB knows "
				          "\"%s\": the rule is left out",
				    r->file, r->line, r->match[k].oid);
				ok = 0;
			} else if (regcomp(&cr->m[k].re, r->match[k].regex,
			               REG_EXTENDED | REG_NOSUB) != 0)
				ok = 0;
			else
				cr->nmatch++;
		}
		if (!ok) {
			for (int k = 0; k < cr->nmatch; k++)
				regfree(&cr->m[k].re);
			continue;
		}
		td->nrules++;
	}
	return 0;
}
