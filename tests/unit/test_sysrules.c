/*
 * test_sysrules.c - syslog messages that become events (src/syslog/
 * rules.c), from lines as devices send them (the integration tests' and
 * the shared corpus'): port up/down of IOS, IOS-XR, NX-OS, Junos, Huawei,
 * Brocade and SONiC, with the inventory's port names; configuration
 * changes; failed logins of sshd, PAM, Cisco, Junos, NX-OS and ASA, and
 * their bursts; configured rules with their filters and %-substitutions.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "event.h"
#include "inventory.h"
#include "log.h"
#include "syslog/parse.h"
#include "syslog/sysrules.h"
#include "tap.h"

#define NOW 1700000000.0

static struct syslog_msg msg;

/* The events of sysrules_tick() and _flush(). */
static struct np_event emitted[8];
static int nemitted;

static void
collect(void *arg, struct np_event *ev)
{
	(void)arg;
	if (nemitted < 8)
		emitted[nemitted] = *ev;
	nemitted++;
}

static struct config *
mkconf(int login_count, int login_secs)
{
	struct config *c = calloc(1, sizeof(*c));
	struct device_conf *d = calloc(1, sizeof(*d));

	TAILQ_INIT(&c->devices);
	TAILQ_INIT(&c->syslog_rules);
	snprintf(d->name, sizeof(d->name), "sw");
	snprintf(d->address, sizeof(d->address), "127.0.0.1");
	TAILQ_INSERT_TAIL(&c->devices, d, entry);
	c->syslog_login_count = login_count;
	c->syslog_login_secs = login_secs;
	return c;
}

static struct syslog_rule *
addrule(struct config *c, const char *device, int facility, int level,
    const char *mnemonic, const char *regex, const char *kind, int severity,
    const char *key, const char *text)
{
	struct syslog_rule *r = calloc(1, sizeof(*r));

	snprintf(r->device, sizeof(r->device), "%s", device);
	r->facility = facility;
	r->level = level;
	snprintf(r->mnemonic, sizeof(r->mnemonic), "%s", mnemonic);
	snprintf(r->regex, sizeof(r->regex), "%s", regex);
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	r->severity = severity;
	snprintf(r->key, sizeof(r->key), "%s", key);
	snprintf(r->text, sizeof(r->text), "%s", text);
	snprintf(r->file, sizeof(r->file), "test.conf");
	r->line = 1;
	TAILQ_INSERT_TAIL(&c->syslog_rules, r, entry);
	return r;
}

static void
freeconf(struct config *c)
{
	struct device_conf *d;
	struct syslog_rule *r;

	while ((d = TAILQ_FIRST(&c->devices)) != NULL) {
		TAILQ_REMOVE(&c->devices, d, entry);
		free(d);
	}
	while ((r = TAILQ_FIRST(&c->syslog_rules)) != NULL) {
		TAILQ_REMOVE(&c->syslog_rules, r, entry);
		free(r);
	}
	free(c);
}

/* LINE from DEVICE (KNOWN or not, SENDER) at T: 1 with an event in EV. */
static int
run(struct sysrules *sr, const char *line, const char *device, int known,
    double t, struct np_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	syslog_parse(line, strlen(line), t, &msg);
	return sysrules_event(sr, &msg, device, known, "127.0.0.1", t, ev);
}

struct want {
	const char *what, *line, *device;
	int known;
	const char *kind, *key; /* kind NULL: no event */
	enum np_severity sev;
	const char *text; /* exact, or NULL */
	const char *object, *state; /* NULL: not checked */
};

static void
check(struct sysrules *sr, const struct want *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct np_event ev;
		int got = run(sr, w[i].line, w[i].device ? w[i].device : "sw",
		    w[i].known, NOW, &ev);

		if (w[i].kind == NULL) {
			TAP_OK(!got, "%s: no event (got %s %s)", w[i].what,
			    got ? ev.kind : "-", got ? ev.key : "-");
			continue;
		}
		if (!got) {
			TAP_OK(0, "%s: an event", w[i].what);
			continue;
		}
		TAP_OK(strcmp(ev.kind, w[i].kind) == 0 &&
		        strcmp(ev.key, w[i].key) == 0 &&
		        ev.severity == w[i].sev &&
		        strcmp(ev.source, "syslog") == 0 &&
		        strcmp(ev.device, w[i].device ? w[i].device : "sw") ==
		            0,
		    "%s: %s %s %s", w[i].what, w[i].kind, w[i].key,
		    event_severity_name(w[i].sev));
		if (strcmp(ev.kind, w[i].kind) || strcmp(ev.key, w[i].key) ||
		    ev.severity != w[i].sev)
			printf("#   got %s %s %s\n", ev.kind, ev.key,
			    event_severity_name(ev.severity));
		if (w[i].text)
			TAP_STREQ(ev.text, w[i].text, "%s: text", w[i].what);
		if (w[i].object)
			TAP_STREQ(
			    ev.object, w[i].object, "%s: object", w[i].what);
		if (w[i].state)
			TAP_STREQ(ev.new_state, w[i].state, "%s: new state",
			    w[i].what);

	}
}

static void
test_ports(void)
{
	static const struct want w[] = {
	    {"IOS LINK-3-UPDOWN down, the inventory's name",
	        "<187>521: sw: *Mar  1 00:01:02.345 UTC: %LINK-3-UPDOWN: "
	        "Interface GigabitEthernet1/0/3, changed state to down",
	        NULL, 1, "port.down", "port:Gi1/0/3", SEV_MAJOR,
	        "port Gi1/0/3 is down (syslog LINK-3-UPDOWN)", "Gi1/0/3",
	        "down"},
	    {"IOS LINEPROTO-5-UPDOWN up",
	        "<189>522: sw: *Mar  1 00:01:03.345 UTC: %LINEPROTO-5-UPDOWN: "
	        "Line protocol on Interface TenGigabitEthernet1/1/1, changed "
	        "state to up",
	        NULL, 1, "port.up", "port:Te1/1/1", SEV_INFO,
	        "port Te1/1/1 is up (syslog LINEPROTO-5-UPDOWN)", "Te1/1/1",
	        "up"},
	    {"IOS LINK-5-CHANGED administratively down",
	        "<189>523: sw: *Mar  1 00:01:04.345 UTC: %LINK-5-CHANGED: "
	        "Interface GigabitEthernet1/0/4, changed state to "
	        "administratively down",
	        NULL, 1, "port.admin_down", "port:Gi1/0/4", SEV_INFO,
	        "port Gi1/0/4 is administratively down (syslog "
	        "LINK-5-CHANGED)",
	        "Gi1/0/4", "admin_down"},
	    {"IOS with a description in parentheses",
	        "<187>525: sw: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/3 "
	        "(uplink), changed state to up",
	        NULL, 1, "port.up", "port:Gi1/0/3", SEV_INFO, NULL, NULL, NULL},
	    {"a port the inventory does not know keeps the message's name",
	        "<189>524: sw: *Mar  1 00:01:05.345 UTC: %LINK-3-UPDOWN: "
	        "Interface GigabitEthernet9/0/9, changed state to down",
	        NULL, 1, "port.down", "port:GigabitEthernet9/0/9", SEV_MAJOR,
	        NULL, "GigabitEthernet9/0/9", "down"},
	    {"an unknown device's port keeps the message's name",
	        "<187>521: r9: %LINK-3-UPDOWN: Interface "
	        "GigabitEthernet1/0/3, changed state to down",
	        "127.0.0.9", 0, "port.down", "port:GigabitEthernet1/0/3",
	        SEV_MAJOR, NULL, NULL, NULL},
	    {"not known: the inventory is not asked",
	        "<187>521: sw: %LINK-3-UPDOWN: Interface "
	        "GigabitEthernet1/0/3, changed state to down",
	        NULL, 0, "port.down", "port:GigabitEthernet1/0/3", SEV_MAJOR,
	        NULL, NULL, NULL},
	    {"IOS-XR PKT_INFRA-LINK-3-UPDOWN Down",
	        "<187>94307: gw2.acy1 LC/0/2/CPU0:Jul  7 20:16:14.834 : "
	        "ifmgr[214]: %PKT_INFRA-LINK-3-UPDOWN : Interface "
	        "TenGigE0/2/0/4, changed state to Down",
	        NULL, 0, "port.down", "port:TenGigE0/2/0/4", SEV_MAJOR, NULL,
	        NULL, NULL},
	    {"IOS-XR PKT_INFRA-LINEPROTO-5-UPDOWN Up",
	        "<189>94308: gw2 LC/0/2/CPU0:Jul  7 20:16:15.834 : ifmgr[214]: "
	        "%PKT_INFRA-LINEPROTO-5-UPDOWN : Line protocol on Interface "
	        "TenGigE0/2/0/4, changed state to Up",
	        NULL, 0, "port.up", "port:TenGigE0/2/0/4", SEV_INFO, NULL, NULL,
	        NULL},
	    {"IOS changed state to something else: nothing",
	        "<187>526: sw: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/3, "
	        "changed state to testing",
	        NULL, 1, NULL, NULL, 0, NULL, NULL, NULL},
	    {"IOS UPDOWN without an interface: nothing",
	        "<187>527: sw: %LINK-3-UPDOWN: changed state to down", NULL, 1,
	        NULL, NULL, 0, NULL, NULL, NULL},
	    {"NX-OS ETHPORT IF_DOWN_LINK_FAILURE: the inventory's Eth1/1",
	        "<189>2018 Apr 20 13:15:07 sw %ETHPORT-5-IF_DOWN_LINK_FAILURE: "
	        "Interface Ethernet1/1 is down (Link failure)",
	        NULL, 1, "port.down", "port:Eth1/1", SEV_MAJOR,
	        "port Eth1/1 is down (syslog ETHPORT-5-IF_DOWN_LINK_FAILURE)",
	        "Eth1/1", "down"},
	    {"NX-OS IF_UP",
	        "<189>2018 Apr 20 13:16:07 sw %ETHPORT-5-IF_UP: Interface "
	        "Ethernet1/10 is up in mode access",
	        NULL, 1, "port.up", "port:Eth1/10", SEV_INFO, NULL, NULL, NULL},
	    {"NX-OS administratively down",
	        "<189>2018 Apr 20 13:17:07 sw %ETHPORT-5-IF_DOWN_ADMIN_DOWN: "
	        "Interface Ethernet1/1 is down (Administratively down)",
	        NULL, 1, "port.admin_down", "port:Eth1/1", SEV_INFO, NULL, NULL,
	        "admin_down"},
	    {"NX-OS ETHPORT other than IF_UP/IF_DOWN: nothing",
	        "<189>2018 Apr 20 13:15:07 sw %ETHPORT-5-SPEED: Interface "
	        "Ethernet1/1, operational speed changed to 10 Gbps",
	        NULL, 1, NULL, NULL, 0, NULL, NULL, NULL},
	    {"Junos SNMP_TRAP_LINK_DOWN",
	        "<28>Jul 20 21:45:59  mx1 mib2d[2424]: SNMP_TRAP_LINK_DOWN: "
	        "ifIndex 502, ifAdminStatus up(1), ifOperStatus down(2), "
	        "ifName xe-0/0/0",
	        NULL, 1, "port.down", "port:xe-0/0/0", SEV_MAJOR,
	        "port xe-0/0/0 is down (syslog SNMP_TRAP_LINK_DOWN)",
	        "xe-0/0/0", "down"},
	    {"Junos SNMP_TRAP_LINK_UP",
	        "<30>Jul 20 21:46:59 mx1 mib2d[2424]: SNMP_TRAP_LINK_UP: "
	        "ifIndex 502, ifAdminStatus up(1), ifOperStatus up(1), ifName "
	        "xe-0/0/0",
	        NULL, 1, "port.up", "port:xe-0/0/0", SEV_INFO, NULL, NULL,
	        NULL},
	    {"Junos admin down",
	        "<28>Jul 20 21:47:59 mx1 mib2d[2424]: SNMP_TRAP_LINK_DOWN: "
	        "ifIndex 503, ifAdminStatus down(2), ifOperStatus down(2), "
	        "ifName ge-0/0/1",
	        NULL, 0, "port.admin_down", "port:ge-0/0/1", SEV_INFO, NULL,
	        NULL, NULL},
	    {"Junos without ifName: nothing",
	        "<28>Jul 20 21:48:59 mx1 mib2d[2424]: SNMP_TRAP_LINK_DOWN: "
	        "ifIndex 503, ifAdminStatus down(2), ifOperStatus down(2)",
	        NULL, 0, NULL, NULL, 0, NULL, NULL, NULL},
	    {"Huawei IFNET IF_STATE DOWN",
	        "<29>2018-7-23 01:00:34.270.1 my-awesome-huawei-switch "
	        "%%01IFNET/4/IF_STATE(l)[4997]:Interface Ethernet0/0/8 has "
	        "turned into DOWN state.",
	        NULL, 0, "port.down", "port:Ethernet0/0/8", SEV_MAJOR, NULL,
	        NULL, NULL},
	    {"Huawei UP",
	        "<29>2018-7-23 01:00:35.270.1 hw %%01IFNET/4/IF_STATE(l)[4998]:"
	        "Interface Ethernet0/0/8 has turned into UP state.",
	        NULL, 0, "port.up", "port:Ethernet0/0/8", SEV_INFO, NULL, NULL,
	        NULL},
	    {"Brocade NetIron state down",
	        "<14>Nov  6 13:36:45 HOSTNAME System: Interface ethernet "
	        "1/1/36, state down",
	        NULL, 0, "port.down", "port:ethernet 1/1/36", SEV_MAJOR, NULL,
	        NULL, NULL},
	    {"Brocade NetIron state up, the inventory's name",
	        "<14>Nov  6 13:37:45 sw System: Interface ethernet 1/1/36, "
	        "state up",
	        NULL, 1, "port.up", "port:ethernet1/1/36", SEV_INFO, NULL, NULL,
	        NULL},
	    {"SONiC host interface UP",
	        "<13>1 2019-02-21T16:46:14.931186+00:00 ss12.00.lab orchagent "
	        "- - -  :- setHostIntfsOperStatus: Set operation status UP to "
	        "host interface Ethernet28",
	        NULL, 0, "port.up", "port:Ethernet28", SEV_INFO, NULL, NULL,
	        NULL},
	    {"SONiC DOWN",
	        "<13>1 2019-02-21T16:47:14.931186+00:00 ss12 orchagent - - -  "
	        ":- setHostIntfsOperStatus: Set operation status DOWN to host "
	        "interface Ethernet28",
	        NULL, 0, "port.down", "port:Ethernet28", SEV_MAJOR, NULL, NULL,
	        NULL},
	    {"an interface mentioned in passing: nothing",
	        "<30>Mar  1 10:00:00 sw dhcpd: DHCPACK on 10.0.0.5 via "
	        "interface eth0",
	        NULL, 1, NULL, NULL, 0, NULL, NULL, NULL},
	    {"BGP: not a port",
	        "<189>22: r9: %BGP-5-ADJCHANGE: neighbor "
	        "10.0.0.1 Down BGP Notification sent",
	        NULL, 1, NULL, NULL, 0, NULL, NULL, NULL},
	};
	struct config *c = mkconf(4, 60);
	struct inventory *inv = inv_new();
	struct sysrules sr;

	inv_configure(inv, c);
	inv_ports_begin(inv, "sw");
	inv_port_put(inv, "sw", "Gi1/0/3", 3, "GigabitEthernet1/0/3", "");
	inv_port_put(inv, "sw", "Gi1/0/4", 4, "GigabitEthernet1/0/4", "");
	inv_port_put(inv, "sw", "Te1/1/1", 5, "TenGigabitEthernet1/1/1", "");
	inv_port_put(inv, "sw", "Eth1/1", 6, "Ethernet1/1", "");
	inv_port_put(inv, "sw", "Eth1/10", 7, "Ethernet1/10", "");
	inv_port_put(inv, "sw", "xe-0/0/0", 502, "xe-0/0/0", "");
	inv_port_put(inv, "sw", "ethernet1/1/36", 36, "ethernet1/1/36", "");
	sysrules_init(&sr, collect, NULL);
	TAP_OK(sysrules_configure(&sr, c, inv) == 0, "configure (no rules)");
	check(&sr, w, sizeof(w) / sizeof(w[0]));
	sysrules_free(&sr);
	inv_free(inv);
	freeconf(c);
}

static void
test_config(void)
{
	static const struct want w[] = {
	    {"IOS SYS-5-CONFIG_I",
	        "<189>30: sw: May 23 13:56:15.055: %SYS-5-CONFIG_I: Configured "
	        "from console by admin on vty0 (10.31.0.24)",
	        NULL, 1, "config.changed", "config", SEV_WARNING,
	        "configuration changed: Configured from console by admin on "
	        "vty0 (10.31.0.24) (syslog SYS-5-CONFIG_I)",
	        NULL, NULL},
	    {"NX-OS VSHD_SYSLOG_CONFIG_I",
	        "<189>2018 Apr 20 13:15:07 nx1 %VSHD-5-VSHD_SYSLOG_CONFIG_I: "
	        "Configured from vty by admin on 10.0.0.1@pts/0",
	        NULL, 1, "config.changed", "config", SEV_WARNING, NULL, NULL,
	        NULL},
	    {"IOS-XR MGBL-CONFIG-6-DB_COMMIT",
	        "<190>40: xrv RP/0/RP0/CPU0:Oct  4 22:52:47.441 : "
	        "cfgmgr_trial_confirm[67310]: %MGBL-CONFIG-6-DB_COMMIT : "
	        "Configuration committed by user 'vagrant'. Use 'show "
	        "configuration commit changes 1000000093' to view the changes.",
	        NULL, 1, "config.changed", "config", SEV_WARNING, NULL, NULL,
	        NULL},
	    {"Junos UI_COMMIT",
	        "<189>Jul 20 21:44:00 edge mgd[7729]: UI_COMMIT: User 'luke' "
	        "requested 'commit' operation",
	        "edge", 1, "config.changed", "config", SEV_WARNING,
	        "configuration changed: User 'luke' requested 'commit' "
	        "operation (syslog UI_COMMIT)",
	        NULL, NULL},
	    {"ASA 111008 configure terminal",
	        "<173>Jan 10 2023 10:00:00 fw1 : %ASA-5-111008: User 'enable_15' "
	        "executed the 'configure terminal' command.",
	        NULL, 1, "config.changed", "config", SEV_WARNING, NULL, NULL,
	        NULL},
	    {"ASA 111005 end configuration",
	        "<173>Jan 10 2023 10:00:00 fw1 : %ASA-5-111005: 10.1.1.1 end "
	        "configuration: OK",
	        NULL, 1, "config.changed", "config", SEV_WARNING, NULL, NULL,
	        NULL},
	    {"Junos UI_COMMIT_COMPLETED",
	        "<189>Jul 20 21:44:00 vmx01 mgd[7729]: UI_COMMIT_COMPLETED: "
	        "commit complete",
	        NULL, 1, "config.changed", "config", SEV_WARNING, NULL, NULL,
	        NULL},
	    {"SYS-5-RESTART is not a configuration change",
	        "<189>31: sw: %SYS-5-RESTART: System restarted --", NULL, 1,
	        NULL, NULL, 0, NULL, NULL, NULL},
	    {"the word CONFIG_I in the text is not the mnemonic",
	        "<30>Mar  1 10:00:00 sw app: saw SYS-5-CONFIG_I somewhere",
	        NULL, 1, NULL, NULL, 0, NULL, NULL, NULL},
	};
	static const struct {
		const char *line, *user;
	} users[] = {
	    {"<189>30: sw: May 23 13:56:15.055: %SYS-5-CONFIG_I: Configured "
	     "from console by admin on vty0 (10.31.0.24)", "admin"},
	    {"<189>2018 Apr 20 13:15:07 nx1 %VSHD-5-VSHD_SYSLOG_CONFIG_I: "
	     "Configured from vty by netops on 10.0.0.1@pts/0", "netops"},
	    {"<190>40: xrv RP/0/RP0/CPU0:Oct  4 22:52:47.441 : cfgmgr[6]: "
	     "%MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user "
	     "'vagrant'. Use 'show configuration commit changes 10' to view",
	     "vagrant"},
	    {"<189>Jul 20 21:44:00 edge mgd[7729]: UI_COMMIT: User 'luke' "
	     "requested 'commit' operation", "luke"},
	    {"<173>Jan 10 2023 10:00:00 fw1 : %ASA-5-111008: User 'enable_15' "
	     "executed the 'configure terminal' command.", "enable_15"},
	    {"<189>Jul 20 21:44:00 vmx01 mgd[7729]: UI_COMMIT_COMPLETED: "
	     "commit complete", ""},
	};
	struct config *c = mkconf(4, 60);
	struct sysrules sr;

	sysrules_init(&sr, collect, NULL);
	sysrules_configure(&sr, c, NULL);
	check(&sr, w, sizeof(w) / sizeof(w[0]));
	/* the user a change names, for the archive's version */
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		struct np_event ev;

		TAP_OK(run(&sr, users[i].line, "sw", 1, NOW, &ev) == 1,
		    "user case %zu: an event", i);
		TAP_STREQ(ev.user, users[i].user, "user case %zu: the user", i);
	}
	sysrules_free(&sr);
	freeconf(c);
}

static void
test_logins(void)
{
	/* login_count high: every one is a login_failure */
	static const struct want w[] = {
	    {"sshd Failed password for invalid user",
	        "<38>Mar  1 10:00:01 sw sshd[121]: Failed password for invalid "
	        "user u1 from 192.0.2.66 port 50001 ssh2",
	        NULL, 1, "security.login_failure", "security:login:192.0.2.66",
	        SEV_WARNING,
	        "failed login for user \"u1\" from 192.0.2.66 (sshd)",
	        "192.0.2.66", NULL},
	    {"sshd Failed publickey for a valid user",
	        "<38>Mar  1 10:00:02 srv1 sshd[122]: Failed publickey for root "
	        "from 2001:db8::66 port 50002 ssh2",
	        NULL, 1, "security.login_failure",
	        "security:login:2001:db8::66", SEV_WARNING,
	        "failed login for user \"root\" from 2001:db8::66 (sshd)", NULL,
	        NULL},
	    {"sshd Accepted: not a failure",
	        "<38>Mar  1 10:00:03 srv1 sshd[123]: Accepted password for "
	        "root "
	        "from 192.0.2.1 port 50003 ssh2",
	        NULL, 1, NULL, NULL, 0, NULL, NULL, NULL},
	    {"PAM authentication failure with rhost and user",
	        "<38>Apr 27 15:22:23 niban sshd(pam_unix)[23164]: "
	        "authentication "
	        "failure; logname= uid=0 euid=0 tty=ssh ruser= "
	        "rhost=203.0.113.5  user=oracle",
	        NULL, 1, NULL, NULL, 0, NULL, NULL, NULL},
	    {"PAM su: no rhost, local",
	        "<38>Apr 27 15:22:23 niban su(pam_unix)[23164]: authentication "
	        "failure; logname= uid=1342 euid=0 tty= ruser=dcid rhost=  "
	        "user=osaudit",
	        NULL, 1, "security.login_failure", "security:login:local",
	        SEV_WARNING,
	        "failed login for user \"osaudit\" from local (su(pam_unix))",
	        "local", NULL},
	    {"PAM login with rhost",
	        "<38>Apr 27 15:22:24 niban login[999]: pam_unix(login:auth): "
	        "authentication failure; logname=LOGIN uid=0 euid=0 tty=tty1 "
	        "ruser= rhost=198.51.100.20  user=bob",
	        NULL, 1, "security.login_failure",
	        "security:login:198.51.100.20", SEV_WARNING,
	        "failed login for user \"bob\" from 198.51.100.20 (login)",
	        NULL, NULL},
	    {"Cisco SEC_LOGIN-4-LOGIN_FAILED",
	        "<189>99: sw: *Mar  1 00:01:02.345 UTC: "
	        "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] "
	        "[Source: 198.51.100.7] [localport: 22] [Reason: Login "
	        "Authentication Failed] at 00:01:02 UTC Mon Mar 1 2024",
	        NULL, 1, "security.login_failure",
	        "security:login:198.51.100.7", SEV_WARNING,
	        "failed login for user \"admin\" from 198.51.100.7 "
	        "(SEC_LOGIN-4-LOGIN_FAILED)",
	        NULL, NULL},
	    {"Cisco SSH2_USERAUTH failed",
	        "<189>100: sw: %SSH-5-SSH2_USERAUTH: User 'oper' "
	        "authentication "
	        "for SSH2 Session from 198.51.100.8 (tty = 0) using crypto "
	        "cipher 'aes256-ctr', hmac 'hmac-sha1' Failed",
	        NULL, 1, "security.login_failure",
	        "security:login:198.51.100.8", SEV_WARNING, NULL, NULL, NULL},
	    {"Cisco SSH2_USERAUTH Succeeded: nothing",
	        "<189>101: sw: %SSH-5-SSH2_USERAUTH: User 'oper' "
	        "authentication "
	        "for SSH2 Session from 198.51.100.8 (tty = 0) using crypto "
	        "cipher 'aes256-ctr', hmac 'hmac-sha1' Succeeded",
	        NULL, 1, NULL, NULL, 0, NULL, NULL, NULL},
	    {"Junos SSHD_LOGIN_FAILED",
	        "<37>Jul 20 21:50:00 mx1 sshd[1234]: SSHD_LOGIN_FAILED: Login "
	        "failed for user 'root' from host '203.0.113.77'",
	        NULL, 1, "security.login_failure",
	        "security:login:203.0.113.77", SEV_WARNING,
	        "failed login for user \"root\" from 203.0.113.77 "
	        "(SSHD_LOGIN_FAILED)",
	        NULL, NULL},
	    {"NX-OS Authentication failed for user",
	        "<189>2018 Apr 20 13:15:07 nx1 %AUTHPRIV-3-SYSTEM_MSG: pam_aaa:"
	        "Authentication failed for user admin from 10.1.1.9 - sshd[5]",
	        NULL, 1, "security.login_failure", "security:login:10.1.1.9",
	        SEV_WARNING, NULL, NULL, NULL},
	    {"ASA 113015",
	        "<166>Jan 15 2024 10:00:00 fw01 : %ASA-6-113015: AAA user "
	        "authentication Rejected : reason = Invalid password : local "
	        "database : user = jdoe : user IP = 192.0.2.150",
	        NULL, 1, "security.login_failure", "security:login:192.0.2.150",
	        SEV_WARNING,
	        "failed login for user \"jdoe\" from 192.0.2.150 "
	        "(ASA-6-113015)",
	        NULL, NULL},
	    {"ASA 605004",
	        "<166>Jan 15 2024 10:00:01 fw01 : %ASA-6-605004: Login denied "
	        "from 192.0.2.151/51234 to outside:192.0.2.1/ssh for user "
	        "\"admin\"",
	        NULL, 1, "security.login_failure", "security:login:192.0.2.151",
	        SEV_WARNING,
	        "failed login for user \"admin\" from 192.0.2.151 "
	        "(ASA-6-605004)",
	        NULL, NULL},
	    {"an ordinary message with \"authentication\": nothing",
	        "<30>Mar  1 10:00:00 sw app: authentication succeeded", NULL, 1,
	        NULL, NULL, 0, NULL, NULL, NULL},
	};
	struct config *c = mkconf(1000, 60);
	struct sysrules sr;

	sysrules_init(&sr, collect, NULL);
	sysrules_configure(&sr, c, NULL);
	check(&sr, w, sizeof(w) / sizeof(w[0]));
	sysrules_free(&sr);
	freeconf(c);
}

static void
test_burst(void)
{
	struct config *c = mkconf(4, 60);
	struct sysrules sr;
	struct np_event ev;
	char line[256];
	int got;

	sysrules_init(&sr, collect, NULL);
	sysrules_configure(&sr, c, NULL);
	nemitted = 0;
	for (int i = 1; i <= 3; i++) {
		snprintf(line, sizeof(line),
		    "<38>Mar  1 10:00:0%d sw sshd[12%d]: Failed password for "
		    "invalid user u%d from 192.0.2.66 port 5000%d ssh2",
		    i, i, i, i);
		got = run(&sr, line, "sw", 1, NOW + i, &ev);
		TAP_OK(got && strcmp(ev.kind, "security.login_failure") == 0,
		    "burst: failure %d is a login_failure", i);
	}
	snprintf(line, sizeof(line),
	    "<38>Mar  1 10:00:04 sw sshd[124]: Failed password for invalid "
	    "user u4 from 192.0.2.66 port 50004 ssh2");
	got = run(&sr, line, "sw", 1, NOW + 4, &ev);
	TAP_OK(got && strcmp(ev.kind, "security.login_burst") == 0 &&
	        ev.severity == SEV_MAJOR &&
	        strcmp(ev.key, "security:login:192.0.2.66") == 0,
	    "burst: the fourth in the window is a major login_burst");
	TAP_STREQ(ev.text,
	    "4 failed logins from 192.0.2.66 in 3 s (last user \"u4\"): more "
	    "are folded until it stops",
	    "burst: its text");
	TAP_STREQ(ev.object, "192.0.2.66", "burst: its object is the source");
	for (int i = 5; i <= 7; i++) {
		snprintf(line, sizeof(line),
		    "<38>Mar  1 10:00:0%d sw sshd[12%d]: Failed password for "
		    "invalid user u%d from 192.0.2.66 port 5000%d ssh2",
		    i, i, i, i);
		TAP_OK(!run(&sr, line, "sw", 1, NOW + i, &ev),
		    "burst: failure %d is folded", i);
	}
	/* another source on the same device, the same source elsewhere */
	got = run(&sr,
	    "<38>Mar  1 10:00:08 sw sshd[130]: Failed password for x from "
	    "192.0.2.67 port 1 ssh2",
	    "sw", 1, NOW + 8, &ev);
	TAP_OK(got && strcmp(ev.kind, "security.login_failure") == 0,
	    "burst: another source is counted apart");
	got = run(&sr,
	    "<38>Mar  1 10:00:08 srv sshd[130]: Failed password for x from "
	    "192.0.2.66 port 1 ssh2",
	    "srv", 1, NOW + 8, &ev);
	TAP_OK(got && strcmp(ev.kind, "security.login_failure") == 0,
	    "burst: the same source on another device is counted apart");
	sysrules_tick(&sr, NOW + 30);
	TAP_OK(nemitted == 0, "burst: still going 23 s after the last");
	sysrules_tick(&sr, NOW + 7 + 60);
	TAP_OK(nemitted == 1, "burst: ends a window after the last failure");
	if (nemitted >= 1) {
		TAP_OK(
		    strcmp(emitted[0].kind, "security.login_burst_end") == 0 &&
		        emitted[0].severity == SEV_INFO &&
		        strcmp(emitted[0].key, "security:login:192.0.2.66") ==
		            0 &&
		        strcmp(emitted[0].device, "sw") == 0 &&
		        strcmp(emitted[0].source, "syslog") == 0,
		    "burst end: info, same key, on sw");
		TAP_STREQ(emitted[0].text,
		    "failed logins from 192.0.2.66 stopped: 7 in 3 s (last "
		    "user "
		    "\"u7\")",
		    "burst end: how many, how long, the last user");
	}
	/* forgotten: the next failure starts again */
	got = run(&sr,
	    "<38>Mar  1 11:00:00 sw sshd[131]: Failed password for y from "
	    "192.0.2.66 port 2 ssh2",
	    "sw", 1, NOW + 3600, &ev);
	TAP_OK(got && strcmp(ev.kind, "security.login_failure") == 0,
	    "burst: a quiet source starts again");
	/* a slow source never bursts: its window starts over */
	for (int i = 0; i < 6; i++) {
		got = run(&sr,
		    "<38>Mar  1 12:00:00 sw sshd[140]: Failed password for z "
		    "from 192.0.2.99 port 3 ssh2",
		    "sw", 1, NOW + 7200 + i * 61, &ev);
		if (!got || strcmp(ev.kind, "security.login_failure") != 0)
			break;
	}
	TAP_OK(got && strcmp(ev.kind, "security.login_failure") == 0,
	    "burst: one failure a minute never bursts");
	/* at stop, a burst going on is summarised */
	for (int i = 0; i < 4; i++)
		run(&sr,
		    "<38>Mar  1 13:00:00 sw sshd[150]: Failed password for w "
		    "from 192.0.2.100 port 4 ssh2",
		    "sw", 1, NOW + 9000 + i, &ev);
	TAP_OK(strcmp(ev.kind, "security.login_burst") == 0,
	    "burst: a second burst");
	nemitted = 0;
	sysrules_flush(&sr);
	TAP_OK(nemitted == 1 &&
	        strcmp(emitted[0].kind, "security.login_burst_end") == 0 &&
	        strcmp(emitted[0].key, "security:login:192.0.2.100") == 0,
	    "flush: the burst going on ends");
	nemitted = 0;
	sysrules_flush(&sr);
	TAP_OK(nemitted == 0, "flush: once");
	/* a reload keeps the sources followed */
	sysrules_configure(&sr, c, NULL);
	got = run(&sr,
	    "<38>Mar  1 13:00:05 sw sshd[150]: Failed password for w from "
	    "192.0.2.99 port 4 ssh2",
	    "sw", 1, NOW + 7200 + 5 * 61 + 1, &ev);
	TAP_OK(got && strcmp(ev.kind, "security.login_failure") == 0 &&
	        sr.logins.n >= 2,
	    "reload: the sources followed stay");
	sysrules_free(&sr);
	freeconf(c);
}

static void
test_configured(void)
{
	static const struct want w[] = {
	    {"BGP rule with groups, %1 %2 %device",
	        "<189>22: r9: %BGP-5-ADJCHANGE: neighbor 10.0.0.1 Down BGP "
	        "Notification sent",
	        "127.0.0.4", 0, "bgp.change", "bgp:10.0.0.1", SEV_MINOR,
	        "BGP 10.0.0.1 Down on 127.0.0.4", NULL, NULL},
	    {"BGP Up", "<189>23: r9: %BGP-5-ADJCHANGE: neighbor 2001:db8::1 Up",
	        "r9", 1, "bgp.change", "bgp:2001:db8::1", SEV_MINOR,
	        "BGP 2001:db8::1 Up on r9", NULL, NULL},
	    {"mnemonic glob, no match of the expression: the next rule",
	        "<189>24: r9: %BGP-5-ADJCHANGE: neighbor 10.0.0.2 vpn vrf x "
	        "Idle",
	        "r9", 1, "bgp.other", "syslog:BGP-5-ADJCHANGE", SEV_WARNING,
	        "%BGP-5-ADJCHANGE: neighbor 10.0.0.2 vpn vrf x Idle", NULL,
	        NULL},
	    {"device and level: edge err",
	        "<27>Mar  1 10:00:01 edge.example.net kernel: edge fqdn error",
	        "edge", 1, "edge.error", "syslog:edge.error", SEV_MAJOR,
	        "edge fqdn error", NULL, NULL},
	    {"device is case-insensitive",
	        "<27>Mar  1 10:00:01 edge kernel: again", "EDGE", 1,
	        "edge.error", "syslog:edge.error", SEV_MAJOR, NULL, NULL, NULL},
	    {"device and level: info is under err",
	        "<30>Mar  1 10:00:00 edge kernel: from edge by name", "edge", 1,
	        NULL, NULL, 0, NULL, NULL, NULL},
	    {"facility: local7 only", "<187>1: fw: %FOO-3-BAR: facility local7",
	        "fw", 1, "fac.l7", "fw::FOO-3-BAR", SEV_CRITICAL,
	        "[fw] fw/127.0.0.1 FOO-3-BAR %x 100%", NULL, NULL},
	    {"facility: local6 is not",
	        "<179>1: fw: %FOO-3-BAR: facility local6", "fw", 1, NULL, NULL,
	        0, NULL, NULL, NULL},
	    {"a configured rule comes before the built-in ones",
	        "<187>521: core9: %LINK-3-UPDOWN: Interface "
	        "GigabitEthernet1/0/3, changed state to down",
	        "core9", 1, "core9.link", "link:GigabitEthernet1/0/3", SEV_INFO,
	        "GigabitEthernet1/0/3 went down (%text: )", NULL, NULL},
	    {"no mnemonic, no key: syslog:KIND",
	        "<30>Mar  1 10:00:00 db1 : disk almost full", "db1", 1,
	        "disk.full", "syslog:disk.full", SEV_WARNING,
	        "disk almost full", NULL, NULL},
	    {"%app and %host and %text",
	        "<30>Mar  1 10:00:00 db2 postgres[77]: checkpoint too frequent",
	        "db2", 1, "db.warn", "db:postgres", SEV_WARNING,
	        "postgres on db2: checkpoint too frequent", NULL, NULL},
	};
	struct config *c = mkconf(4, 60);
	struct sysrules sr;
	const struct sysd_crule *cr;

	addrule(c, "", -1, -1, "BGP-5-ADJCHANGE",
	    "neighbor ([0-9a-f.:]+) (Up|Down)", "bgp.change", SEV_MINOR,
	    "bgp:%1", "BGP %1 %2 on %device");
	addrule(c, "", -1, -1, "bgp-5-*", "", "bgp.other", SEV_WARNING, "", "");
	addrule(c, "edge", -1, 3, "", "", "edge.error", SEV_MAJOR, "", "");
	addrule(c, "fw", 23, -1, "FOO-*", "", "fac.l7", SEV_CRITICAL,
	    "%host:%1:%mnemonic", "[%device] %host/%sender %mnemonic %x 100%%");
	addrule(c, "core9", -1, -1, "LINK-*",
	    "Interface ([^,]+), changed state to (up|down)", "core9.link",
	    SEV_INFO, "link:%1", "%1 went %2 (%%text: %9)");
	addrule(c, "db1", -1, -1, "", "almost full", "disk.full", SEV_WARNING,
	    "", "");
	addrule(c, "db2", -1, -1, "", "", "db.warn", SEV_WARNING, "db:%app",
	    "%app on %host: %text");
	addrule(c, "", -1, -1, "", "([", "bad.re", SEV_WARNING, "", "");
	sysrules_init(&sr, collect, NULL);
	TAP_OK(sysrules_configure(&sr, c, NULL) == 0, "rules compile");
	TAP_OK(sr.nrules == 7,
	    "a rule whose expression does not compile is "
	    "left out");
	check(&sr, w, sizeof(w) / sizeof(w[0]));
	cr = &sr.rules[0];
	TAP_OK(cr->hits == 2, "the BGP rule's hits (%lu)", cr->hits);
	sysrules_free(&sr);
	freeconf(c);
}

int
main(void)
{
	log_init(1, 0, "test_sysrules");
	test_ports();
	test_config();
	test_logins();
	test_burst();
	test_configured();
	return tap_done();
}
