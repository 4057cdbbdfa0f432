/*
 * test_trapmsg.c - trap decoding (src/snmp/trapmsg.c) on PDUs built here
 * as senders build them: SNMPv1 traps in their RFC 3584 form, SNMPv2c
 * traps and informs, each varbind type rendered as text and JSON, enum
 * labels and names once MIBs are loaded, long and binary octet strings,
 * more varbinds than are matched, and malformed headers and odd OIDs.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "json.h"
#include "session.h"
#include "tap.h"
#include "trapmsg.h"

#define OIDLEN(o) (sizeof(o) / sizeof(o[0]))

static const oid sysuptime0[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
static const oid traptype0[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0};
static const oid linkdown[] = {1, 3, 6, 1, 6, 3, 1, 1, 5, 3};
static const oid linkup[] = {1, 3, 6, 1, 6, 3, 1, 1, 5, 4};
static const oid coldstart[] = {1, 3, 6, 1, 6, 3, 1, 1, 5, 1};
static const oid ifindex3[] = {1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 3};
static const oid ifadmin3[] = {1, 3, 6, 1, 2, 1, 2, 2, 1, 7, 3};
static const oid ifoper3[] = {1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 3};
static const oid ifdescr3[] = {1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 3};
static const oid ent_cisco[] = {1, 3, 6, 1, 4, 1, 9, 9, 41, 2};
static const oid x_oid[] = {1, 3, 6, 1, 4, 1, 99999, 1, 1};

static netsnmp_pdu *
v2(int command, const oid *trap, size_t len, u_long ticks)
{
	netsnmp_pdu *pdu = snmp_pdu_create(command);

	pdu->version = SNMP_VERSION_2c;
	snmp_pdu_add_variable(pdu, sysuptime0, OIDLEN(sysuptime0),
	    ASN_TIMETICKS, &ticks, sizeof(ticks));
	if (trap)
		snmp_pdu_add_variable(pdu, traptype0, OIDLEN(traptype0),
		    ASN_OBJECT_ID, trap, len * sizeof(oid));
	return pdu;
}

static netsnmp_pdu *
v1(const oid *ent, size_t len, long generic, long specific, u_long ticks)
{
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_TRAP);

	pdu->version = SNMP_VERSION_1;
	pdu->enterprise = snmp_duplicate_objid(ent, len);
	pdu->enterprise_length = len;
	pdu->trap_type = generic;
	pdu->specific_type = specific;
	pdu->time = ticks;
	pdu->agent_addr[0] = 192;
	pdu->agent_addr[1] = 0;
	pdu->agent_addr[2] = 2;
	pdu->agent_addr[3] = 33;
	return pdu;
}

static void
add_int(netsnmp_pdu *pdu, const oid *o, size_t len, u_char type, long v)
{
	snmp_pdu_add_variable(pdu, o, len, type, &v, sizeof(v));
}

static void
add_str(netsnmp_pdu *pdu, const oid *o, size_t len, const void *s, size_t n)
{
	snmp_pdu_add_variable(pdu, o, len, ASN_OCTET_STR, s, n);
}

static char *
oidtext(const oid *o, size_t len)
{
	static char buf[2048];

	return trapmsg_oid_text(o, len, buf, sizeof(buf));
}

static void
test_v2(void)
{
	struct trap_msg m;
	netsnmp_pdu *pdu = v2(SNMP_MSG_TRAP2, linkdown, OIDLEN(linkdown), 4242);
	char buf[256];

	add_int(pdu, ifindex3, OIDLEN(ifindex3), ASN_INTEGER, 3);
	add_int(pdu, ifadmin3, OIDLEN(ifadmin3), ASN_INTEGER, 1);
	add_int(pdu, ifoper3, OIDLEN(ifoper3), ASN_INTEGER, 2);
	trapmsg_read(pdu, &m);
	TAP_OK(m.version == 2 && !m.inform, "v2c trap: version 2, no inform");
	TAP_STREQ(oidtext(m.trap_oid, m.trap_oid_len), ".1.3.6.1.6.3.1.1.5.3",
	    "v2c trap: snmpTrapOID.0");
	TAP_OK(m.uptime == 4242 && m.has_uptime, "v2c trap: sysUpTime.0");
	TAP_OK(m.nvb == 3 && m.vb_dropped == 0, "v2c trap: three varbinds");
	TAP_STREQ(m.problem, "", "v2c trap: no problem");
	TAP_OK(trapmsg_std(&m) == TRAP_LINKDOWN, "v2c trap: linkDown");
	TAP_OK(trapmsg_find(&m, ifoper3, 10) == 2, "find ifOperStatus");
	TAP_OK(trapmsg_find(&m, ifdescr3, 10) == -1, "find: absent");
	TAP_OK(trapmsg_find(&m, ifindex3, 11) == 0, "find: a whole OID");
	trapmsg_summary(&m, buf, sizeof(buf));
	TAP_STREQ(buf,
	    ".1.3.6.1.6.3.1.1.5.3: .1.3.6.1.2.1.2.2.1.1.3=3, "
	    ".1.3.6.1.2.1.2.2.1.7.3=1, .1.3.6.1.2.1.2.2.1.8.3=2",
	    "summary without MIBs: numeric");
	snmp_free_pdu(pdu);

	pdu = v2(SNMP_MSG_INFORM, linkup, OIDLEN(linkup), 1);
	trapmsg_read(pdu, &m);
	TAP_OK(m.inform && m.version == 2 && trapmsg_std(&m) == TRAP_LINKUP,
	    "inform: linkUp, an inform");
	snmp_free_pdu(pdu);
	pdu = v2(SNMP_MSG_TRAP2, coldstart, OIDLEN(coldstart), 0);
	pdu->version = SNMP_VERSION_3;
	trapmsg_read(pdu, &m);
	TAP_OK(
	    m.version == 3 && trapmsg_std(&m) == TRAP_COLDSTART && m.nvb == 0,
	    "v3 coldStart without varbinds");
	snmp_free_pdu(pdu);
}

static void
test_v1(void)
{
	static const struct {
		long generic, specific;
		const char *oid, *problem;
		enum trap_std std;
	} t[] = {
	    {0, 0, ".1.3.6.1.6.3.1.1.5.1", "", TRAP_COLDSTART},
	    {1, 0, ".1.3.6.1.6.3.1.1.5.2", "", TRAP_WARMSTART},
	    {2, 0, ".1.3.6.1.6.3.1.1.5.3", "", TRAP_LINKDOWN},
	    {3, 0, ".1.3.6.1.6.3.1.1.5.4", "", TRAP_LINKUP},
	    {4, 0, ".1.3.6.1.6.3.1.1.5.5", "", TRAP_AUTHFAIL},
	    {5, 0, ".1.3.6.1.6.3.1.1.5.6", "", TRAP_EGPLOSS},
	    /* enterprise-specific: ENTERPRISE.0.SPECIFIC */
	    {6, 1, ".1.3.6.1.4.1.9.9.41.2.0.1", "", TRAP_OTHER},
	    {6, 4294967295L, ".1.3.6.1.4.1.9.9.41.2.0.4294967295", "",
	        TRAP_OTHER},
	    {6, -5, ".1.3.6.1.4.1.9.9.41.2.0", "specific-trap -5 out of range",
	        TRAP_OTHER},
	    {6, 4294967296L, ".1.3.6.1.4.1.9.9.41.2.0",
	        "specific-trap 4294967296 out of range", TRAP_OTHER},
	    {7, 9, ".1.3.6.1.4.1.9.9.41.2.0.9", "generic-trap 7 out of range",
	        TRAP_OTHER},
	    {-1, 2, ".1.3.6.1.4.1.9.9.41.2.0.2", "generic-trap -1 out of range",
	        TRAP_OTHER},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		netsnmp_pdu *pdu = v1(ent_cisco, OIDLEN(ent_cisco),
		    t[i].generic, t[i].specific, 777);
		struct trap_msg m;

		trapmsg_read(pdu, &m);
		TAP_STREQ(oidtext(m.trap_oid, m.trap_oid_len), t[i].oid,
		    "v1 generic %ld specific %ld: RFC 3584 trap OID",
		    t[i].generic, t[i].specific);
		TAP_OK(trapmsg_std(&m) == t[i].std, "v1 generic %ld: standard",
		    t[i].generic);
		TAP_STREQ(m.problem, t[i].problem, "v1 generic %ld: problem",
		    t[i].generic);
		snmp_free_pdu(pdu);
	}
	{
		netsnmp_pdu *pdu =
		    v1(ent_cisco, OIDLEN(ent_cisco), 2, 0, 12345);
		struct trap_msg m;
		struct jbuf j;

		add_int(pdu, ifindex3, OIDLEN(ifindex3), ASN_INTEGER, 3);
		trapmsg_read(pdu, &m);
		TAP_OK(m.version == 1 && m.uptime == 12345 && m.has_uptime,
		    "v1: version, time-stamp as uptime");
		TAP_STREQ(m.agent_addr, "192.0.2.33", "v1: agent-addr");
		TAP_STREQ(oidtext(m.enterprise, m.enterprise_len),
		    ".1.3.6.1.4.1.9.9.41.2", "v1: enterprise");
		TAP_OK(m.nvb == 1, "v1: its varbinds, no header to skip");
		jbuf_init(&j);
		trapmsg_json(&m, pdu, &j, 0);
		TAP_STREQ(j.s,
		    "[{\"oid\":\".1.3.6.1.2.1.2.2.1.1.3\",\"type\":\"INTEGER\","
		    "\"value\":3},{\"oid\":\".1.3.6.1.6.3.18.1.3.0\",\"type\":"
		    "\"IpAddress\",\"value\":\"192.0.2.33\"},{\"oid\":\"."
		    "1.3.6.1.6.3.1.1.4.3.0\",\"type\":\"OBJECT IDENTIFIER\","
		    "\"value\":\".1.3.6.1.4.1.9.9.41.2\"}]",
		    "v1 JSON: the varbinds, then snmpTrapAddress.0 and "
		    "snmpTrapEnterprise.0 (RFC 3584 3.1)");
		jbuf_free(&j);
		snmp_free_pdu(pdu);
	}
	{
		/* an enterprise longer than an OID may be: cut, still an OID */
		oid big[MAX_OID_LEN];
		netsnmp_pdu *pdu;
		struct trap_msg m;

		for (size_t i = 0; i < MAX_OID_LEN; i++)
			big[i] = i + 1;
		pdu = v1(big, MAX_OID_LEN, 6, 5, 0);
		trapmsg_read(pdu, &m);
		TAP_OK(m.trap_oid_len == MAX_OID_LEN &&
		        m.trap_oid[MAX_OID_LEN - 2] == 0 &&
		        m.trap_oid[MAX_OID_LEN - 1] == 5,
		    "v1: a maximal enterprise is cut to fit .0.SPECIFIC");
		snmp_free_pdu(pdu);
	}
}

static void
test_malformed(void)
{
	netsnmp_pdu *pdu;
	struct trap_msg m;
	char buf[256];
	u_long t = 5;

	/* no sysUpTime.0 first */
	pdu = snmp_pdu_create(SNMP_MSG_TRAP2);
	pdu->version = SNMP_VERSION_2c;
	snmp_pdu_add_variable(pdu, traptype0, OIDLEN(traptype0), ASN_OBJECT_ID,
	    linkup, sizeof(linkup));
	trapmsg_read(pdu, &m);
	TAP_STREQ(m.problem, "sysUpTime.0 is not the first varbind",
	    "v2: no sysUpTime.0");
	TAP_OK(!m.has_uptime && trapmsg_std(&m) == TRAP_LINKUP,
	    "v2: the trap OID is read all the same");
	snmp_free_pdu(pdu);

	/* no snmpTrapOID.0 */
	pdu = v2(SNMP_MSG_TRAP2, NULL, 0, 9);
	add_int(pdu, ifindex3, OIDLEN(ifindex3), ASN_INTEGER, 3);
	trapmsg_read(pdu, &m);
	TAP_STREQ(m.problem, "snmpTrapOID.0 is not the second varbind",
	    "v2: no snmpTrapOID.0");
	TAP_OK(
	    m.trap_oid_len == 0 && m.nvb == 1 && trapmsg_std(&m) == TRAP_OTHER,
	    "v2: no trap OID, the varbind kept");
	trapmsg_summary(&m, buf, sizeof(buf));
	TAP_STREQ(buf, "trap without snmpTrapOID.0: .1.3.6.1.2.1.2.2.1.1.3=3",
	    "summary of a trap without its OID");
	snmp_free_pdu(pdu);

	/* snmpTrapOID.0 not an OID */
	pdu = snmp_pdu_create(SNMP_MSG_TRAP2);
	pdu->version = SNMP_VERSION_2c;
	snmp_pdu_add_variable(
	    pdu, sysuptime0, OIDLEN(sysuptime0), ASN_TIMETICKS, &t, sizeof(t));
	add_str(pdu, traptype0, OIDLEN(traptype0), "linkDown", 8);
	trapmsg_read(pdu, &m);
	TAP_STREQ(m.problem, "snmpTrapOID.0 is not an OID",
	    "v2: snmpTrapOID.0 a string");
	TAP_OK(m.trap_oid_len == 0 && m.nvb == 0, "v2: no trap OID taken");
	snmp_free_pdu(pdu);

	/* sysUpTime.0 of the wrong type: present, zero */
	pdu = snmp_pdu_create(SNMP_MSG_TRAP2);
	pdu->version = SNMP_VERSION_2c;
	add_int(pdu, sysuptime0, OIDLEN(sysuptime0), ASN_INTEGER, 77);
	snmp_pdu_add_variable(pdu, traptype0, OIDLEN(traptype0), ASN_OBJECT_ID,
	    x_oid, sizeof(x_oid));
	trapmsg_read(pdu, &m);
	TAP_OK(m.has_uptime && m.uptime == 0 && m.problem[0] == '\0',
	    "v2: sysUpTime.0 not TimeTicks: no uptime");
	TAP_STREQ(oidtext(m.trap_oid, m.trap_oid_len), ".1.3.6.1.4.1.99999.1.1",
	    "v2: an enterprise trap OID");
	snmp_free_pdu(pdu);
}

static void
test_many(void)
{
	netsnmp_pdu *pdu = v2(SNMP_MSG_TRAP2, x_oid, OIDLEN(x_oid), 1);
	struct trap_msg m;
	struct jbuf j;
	char buf[64];
	int n = 0;

	for (long i = 0; i < TRAPMSG_MAX_VB + 6; i++) {
		oid o[] = {1, 3, 6, 1, 4, 1, 99999, 2, (oid)i};

		add_int(pdu, o, OIDLEN(o), ASN_INTEGER, i);
	}
	trapmsg_read(pdu, &m);
	TAP_OK(m.nvb == TRAPMSG_MAX_VB && m.vb_dropped == 6,
	    "70 varbinds: 64 matched, 6 beyond");
	TAP_STREQ(trapmsg_value_text(m.vb[63], buf, sizeof(buf)), "63",
	    "the 64th is the last matched");
	jbuf_init(&j);
	trapmsg_json(&m, pdu, &j, 0);
	for (const char *p = j.s; (p = strstr(p, "\"oid\"")) != NULL; p++)
		n++;
	TAP_OK(n == TRAPMSG_MAX_VB + 6, "the JSON has all 70 (%d)", n);
	TAP_OK(strstr(j.s, "\".1.3.6.1.4.1.99999.2.69\"") != NULL,
	    "the JSON has the last");
	TAP_OK(strstr(j.s, "1.3.6.1.2.1.1.3.0") == NULL &&
	        strstr(j.s, "1.3.6.1.6.3.1.1.4.1.0") == NULL,
	    "the JSON leaves the header out");
	jbuf_free(&j);
	trapmsg_subst("%64/%65/%1", &m, "d", "s", buf, sizeof(buf));
	TAP_STREQ(buf, "63//0", "subst: %%64 is there, %%65 is not");
	snmp_free_pdu(pdu);
}

/* One varbind of TYPE rendered as text and as JSON. */
static void
test_values(void)
{
	static const oid o[] = {1, 3, 6, 1, 4, 1, 99999, 3, 1};
	static const struct counter64 c64 = {0x1, 0x2};
	static const u_char ip[4] = {10, 1, 2, 3};
	static const u_char bin[] = {0x00, 0x1b, 0x21, 0xff, 0x10};
	static const oid ov[] = {1, 3, 6, 1, 4, 1, 9, 1, 1208};
	static const struct {
		const char *what;
		u_char type;
		const void *val;
		size_t len;
		const char *text, *json;
	} t[] = {
	    {"INTEGER", ASN_INTEGER, NULL, 42, "42",
	        "\"type\":\"INTEGER\","
	        "\"value\":42}"},
	    {"INTEGER negative", ASN_INTEGER, NULL, -7, "-7", "\"value\":-7}"},
	    {"Counter32", ASN_COUNTER, NULL, 4294967295UL, "4294967295",
	        "\"type\":\"Counter32\",\"value\":4294967295}"},
	    {"Gauge32", ASN_GAUGE, NULL, 1000000000, "1000000000",
	        "\"type\":\"Gauge32\",\"value\":1000000000}"},
	    {"TimeTicks", ASN_TIMETICKS, NULL, 8640000, "8640000",
	        "\"type\":\"TimeTicks\",\"value\":8640000}"},
	    {"printable string", ASN_OCTET_STR, "Gi1/0/3 uplink", 14,
	        "Gi1/0/3 uplink",
	        "\"type\":\"OCTET STRING\",\"value\":\"Gi1/0/3 uplink\"}"},
	    {"string with a trailing NUL", ASN_OCTET_STR, "eth0\0", 5, "eth0",
	        "\"value\":\"eth0\"}"},
	    {"string with quotes and a tab", ASN_OCTET_STR, "a \"b\"\tc", 8,
	        "a \"b\"\tc", "\"value\":\"a \\\"b\\\"\\tc\"}"},
	    {"UTF-8 string", ASN_OCTET_STR, "Z\xc3\xbcrich", 7, "Z\xc3\xbcrich",
	        "\"value\":\"Z\xc3\xbcrich\"}"},
	    {"binary: hex", ASN_OCTET_STR, bin, sizeof(bin), "00:1b:21:ff:10",
	        "\"value\":\"00:1b:21:ff:10\",\"hex\":true}"},
	    {"invalid UTF-8: hex", ASN_OCTET_STR, "a\xc3(", 3, "61:c3:28",
	        "\"hex\":true}"},
	    {"an overlong UTF-8 form: hex", ASN_OCTET_STR, "\xc0\xaf", 2,
	        "c0:af", "\"hex\":true}"},
	    {"empty string", ASN_OCTET_STR, "", 0, "", "\"value\":\"\"}"},
	    {"IpAddress", ASN_IPADDRESS, ip, 4, "10.1.2.3",
	        "\"type\":\"IpAddress\",\"value\":\"10.1.2.3\"}"},
	    {"OBJECT IDENTIFIER", ASN_OBJECT_ID, ov, sizeof(ov),
	        ".1.3.6.1.4.1.9.1.1208",
	        "\"type\":\"OBJECT IDENTIFIER\",\"value\":\".1.3.6.1.4.1.9.1."
	        "1208\"}"},
	    {"Counter64", ASN_COUNTER64, &c64, sizeof(c64), "4294967298",
	        "\"type\":\"Counter64\",\"value\":4294967298}"},
	    {"Opaque", ASN_OPAQUE, bin, 3, "00:1b:21",
	        "\"type\":\"Opaque\",\"value\":\"00:1b:21\"}"},
	    {"NULL", ASN_NULL, NULL, 0, "",
	        "\"type\":\"NULL\",\"value\":null}"},
	    {"noSuchObject", SNMP_NOSUCHOBJECT, NULL, 0, "",
	        "\"type\":\"noSuchObject\",\"value\":null}"},
	    {"endOfMibView", SNMP_ENDOFMIBVIEW, NULL, 0, "",
	        "\"type\":\"endOfMibView\",\"value\":null}"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		netsnmp_pdu *pdu = v2(SNMP_MSG_TRAP2, x_oid, OIDLEN(x_oid), 1);
		struct trap_msg m;
		struct jbuf j;
		char buf[256];

		if (t[i].val == NULL &&
		    (t[i].type == ASN_INTEGER || t[i].type == ASN_COUNTER ||
		        t[i].type == ASN_GAUGE || t[i].type == ASN_TIMETICKS))
			add_int(pdu, o, OIDLEN(o), t[i].type, (long)t[i].len);
		else
			snmp_pdu_add_variable(
			    pdu, o, OIDLEN(o), t[i].type, t[i].val, t[i].len);
		trapmsg_read(pdu, &m);
		TAP_STREQ(trapmsg_value_text(m.vb[0], buf, sizeof(buf)),
		    t[i].text, "text of %s", t[i].what);
		jbuf_init(&j);
		trapmsg_json(&m, pdu, &j, 0);
		TAP_OK(j.s && strstr(j.s, t[i].json) != NULL, "JSON of %s",
		    t[i].what);
		if (!(j.s && strstr(j.s, t[i].json)))
			printf("#   got %s\n", j.s ? j.s : "(null)");
		jbuf_free(&j);
		snmp_free_pdu(pdu);
	}
	TAP_STREQ(trapmsg_type_name(ASN_UINTEGER), "unknown",
	    "type name of another type");
}

static void
test_long_strings(void)
{
	static const oid o[] = {1, 3, 6, 1, 4, 1, 99999, 4, 1};
	netsnmp_pdu *pdu = v2(SNMP_MSG_TRAP2, x_oid, OIDLEN(x_oid), 1);
	char big[2000], buf[16], out[4096];
	struct trap_msg m;
	struct jbuf j;

	memset(big, 'x', sizeof(big));
	memcpy(big + 6, "\xc3\xbc", 2); /* a 2-byte character across 8 */
	add_str(pdu, o, OIDLEN(o), big, sizeof(big));
	trapmsg_read(pdu, &m);
	trapmsg_value_text(m.vb[0], buf, 8);
	TAP_STREQ(buf, "xxxxxx", "a cut string does not split a character");
	trapmsg_value_text(m.vb[0], buf, 9);
	TAP_STREQ(buf, "xxxxxx\xc3\xbc", "nor when it fits");
	trapmsg_value_text(m.vb[0], out, sizeof(out));
	TAP_OK(strlen(out) == sizeof(big), "a 2000-byte string whole");
	trapmsg_value_text(m.vb[0], buf, 1);
	TAP_STREQ(buf, "", "a buffer of one byte");
	jbuf_init(&j);
	trapmsg_json(&m, pdu, &j, 0);
	TAP_OK(j.s && strlen(j.s) > sizeof(big), "the JSON holds it whole");
	jbuf_free(&j);
	trapmsg_subst("<%1>", &m, "d", "s", out, sizeof(out));
	TAP_OK(strlen(out) == 511 + 2 - 1 || strlen(out) <= 513,
	    "subst bounds a value (%zu)", strlen(out));
	trapmsg_subst("%1%1%1%1", &m, "d", "s", buf, sizeof(buf));
	TAP_OK(
	    strlen(buf) == sizeof(buf) - 1, "subst fills its buffer, no more");
	snmp_free_pdu(pdu);

	/* binary: hex, bounded by whole bytes */
	pdu = v2(SNMP_MSG_TRAP2, x_oid, OIDLEN(x_oid), 1);
	add_str(pdu, o, OIDLEN(o), "\x01\x02\x03\x04\x05", 5);
	trapmsg_read(pdu, &m);
	trapmsg_value_text(m.vb[0], buf, 9);
	TAP_STREQ(buf, "01:02:03", "hex cut at whole bytes");
	snmp_free_pdu(pdu);
}

static void
test_oid_text(void)
{
	oid big[MAX_OID_LEN];
	static const oid maxsub[] = {1, 3, 4294967295UL, 0};
	char buf[32];

	TAP_STREQ(oidtext(maxsub, OIDLEN(maxsub)), ".1.3.4294967295.0",
	    "OID text: a maximal sub-identifier");
	TAP_STREQ(oidtext(maxsub, 0), "", "OID text: empty");
	for (size_t i = 0; i < MAX_OID_LEN; i++)
		big[i] = 1000000 + i;
	TAP_OK(strlen(oidtext(big, MAX_OID_LEN)) == MAX_OID_LEN * 8,
	    "OID text: 128 sub-identifiers");
	trapmsg_oid_text(big, MAX_OID_LEN, buf, sizeof(buf));
	TAP_STREQ(buf, ".1000000.1000001.1000002",
	    "OID text: only whole sub-identifiers fit");
	trapmsg_oid_text(linkdown, OIDLEN(linkdown), buf, 1);
	TAP_STREQ(buf, "", "OID text: a buffer of one byte");
	trapmsg_oid_name(linkdown, OIDLEN(linkdown), buf, sizeof(buf));
	TAP_STREQ(buf, "", "OID name without MIBs: none");
}

static void
test_subst(void)
{
	static const oid o1[] = {1, 3, 6, 1, 4, 1, 99999, 5, 1};
	static const oid o2[] = {1, 3, 6, 1, 4, 1, 99999, 5, 2};
	netsnmp_pdu *pdu = v2(SNMP_MSG_TRAP2, x_oid, OIDLEN(x_oid), 1);
	static const struct {
		const char *tmpl, *want;
	} t[] = {
	    {"plain", "plain"},
	    {"%1", "bgp peer down"},
	    {"%2", "10.0.0.1"},
	    {"%1 (%2) on %device from %sender",
	        "bgp peer down (10.0.0.1) on "
	        "core1 from 192.0.2.1"},
	    {"%oid", ".1.3.6.1.4.1.99999.1.1"},
	    {"%name", ".1.3.6.1.4.1.99999.1.1"}, /* no MIB: the OID */
	    {"100%%", "100%"},
	    {"%3", ""},
	    {"%0", ""},
	    {"%x %", "%x %"},
	    {"%devices", "core1s"},
	    {"%12", ""},
	    {"key:%2:%1", "key:10.0.0.1:bgp peer down"},
	    {"", ""},
	};
	static const u_char ip[4] = {10, 0, 0, 1};
	struct trap_msg m;
	char buf[256];

	add_str(pdu, o1, OIDLEN(o1), "bgp peer down", 13);
	snmp_pdu_add_variable(pdu, o2, OIDLEN(o2), ASN_IPADDRESS, ip, 4);
	trapmsg_read(pdu, &m);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		trapmsg_subst(
		    t[i].tmpl, &m, "core1", "192.0.2.1", buf, sizeof(buf));
		TAP_STREQ(buf, t[i].want, "subst \"%s\"", t[i].tmpl);
	}
	trapmsg_summary(&m, buf, sizeof(buf));
	TAP_STREQ(buf,
	    ".1.3.6.1.4.1.99999.1.1: .1.3.6.1.4.1.99999.5.1=bgp peer down, "
	    ".1.3.6.1.4.1.99999.5.2=10.0.0.1",
	    "summary");
	trapmsg_summary(&m, buf, 24);
	TAP_OK(strlen(buf) == 23, "summary bounded by its buffer");
	snmp_free_pdu(pdu);
}

/* With the project's MIBs: names, labels, names in the JSON. */
static void
test_mibs(void)
{
	const char *top = getenv("top_srcdir");
	char dir[4096], buf[256];
	netsnmp_pdu *pdu;
	struct trap_msg m;
	struct jbuf j;

	if (top == NULL) {
		TAP_SKIP("no top_srcdir: MIB names not tested");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/mibs", top);
	add_mibdir(dir);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_ERRORS, 0);
	netsnmp_ds_set_int(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS, 0);
	netsnmp_ds_set_boolean(
	    NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_REPLACE, 1);
	read_all_mibs();
	/* what was asked before the MIBs came is forgotten (the daemon loads
	 * them once, before the first trap) */
	trapmsg_forget_names();
	trapmsg_oid_name(linkdown, OIDLEN(linkdown), buf, sizeof(buf));
	TAP_STREQ(buf, "IF-MIB::linkDown", "MIB name of linkDown");
	trapmsg_oid_name(coldstart, OIDLEN(coldstart), buf, sizeof(buf));
	TAP_STREQ(buf, "SNMPv2-MIB::coldStart", "MIB name of coldStart");
	trapmsg_oid_name(ifoper3, OIDLEN(ifoper3), buf, sizeof(buf));
	TAP_STREQ(buf, "IF-MIB::ifOperStatus.3", "MIB name with an index");
	trapmsg_oid_name(x_oid, OIDLEN(x_oid), buf, sizeof(buf));
	TAP_STREQ(buf, "", "an unknown enterprise branch: no name");
	trapmsg_oid_name(linkdown, OIDLEN(linkdown), buf, 8);
	TAP_STREQ(buf, "", "a name too long for the buffer: none");
	trapmsg_oid_name(linkdown, OIDLEN(linkdown), buf, sizeof(buf));
	TAP_STREQ(buf, "IF-MIB::linkDown", "the cache answers again");

	pdu = v2(SNMP_MSG_TRAP2, linkdown, OIDLEN(linkdown), 1);
	add_int(pdu, ifindex3, OIDLEN(ifindex3), ASN_INTEGER, 3);
	add_int(pdu, ifadmin3, OIDLEN(ifadmin3), ASN_INTEGER, 1);
	add_int(pdu, ifoper3, OIDLEN(ifoper3), ASN_INTEGER, 2);
	add_int(pdu, ifoper3, OIDLEN(ifoper3), ASN_INTEGER, 99);
	trapmsg_read(pdu, &m);
	TAP_STREQ(trapmsg_value_text(m.vb[2], buf, sizeof(buf)), "down",
	    "enum label: ifOperStatus 2 is down");
	TAP_STREQ(trapmsg_value_text(m.vb[1], buf, sizeof(buf)), "up",
	    "enum label: ifAdminStatus 1 is up");
	TAP_STREQ(trapmsg_value_text(m.vb[3], buf, sizeof(buf)), "99",
	    "a value no label names: the number");
	TAP_STREQ(trapmsg_value_text(m.vb[0], buf, sizeof(buf)), "3",
	    "ifIndex has no labels");
	trapmsg_summary(&m, buf, sizeof(buf));
	TAP_STREQ(buf,
	    "IF-MIB::linkDown: ifIndex.3=3, ifAdminStatus.3=up, "
	    "ifOperStatus.3=down, ifOperStatus.3=99",
	    "summary with names and labels");
	trapmsg_subst("%name %2 %3", &m, "d", "s", buf, sizeof(buf));
	TAP_STREQ(buf, "IF-MIB::linkDown up down", "subst %%name and labels");
	jbuf_init(&j);
	trapmsg_json(&m, pdu, &j, 1);
	TAP_OK(strstr(j.s,
	           "{\"oid\":\".1.3.6.1.2.1.2.2.1.8.3\",\"name\":"
	           "\"IF-MIB::ifOperStatus.3\",\"type\":\"INTEGER\","
	           "\"value\":2,\"label\":\"down\"}") != NULL,
	    "JSON with names: name and label");
	jbuf_free(&j);
	jbuf_init(&j);
	trapmsg_json(&m, pdu, &j, 0);
	TAP_OK(strstr(j.s, "\"name\"") == NULL && strstr(j.s, "label") == NULL,
	    "JSON without names: neither");
	jbuf_free(&j);
	snmp_free_pdu(pdu);

	pdu = v1(ent_cisco, OIDLEN(ent_cisco), 3, 0, 1);
	trapmsg_read(pdu, &m);
	jbuf_init(&j);
	trapmsg_json(&m, pdu, &j, 1);
	TAP_OK(strstr(j.s, "SNMP-COMMUNITY-MIB::snmpTrapAddress.0") &&
	        strstr(j.s, "SNMPv2-MIB::snmpTrapEnterprise.0"),
	    "v1 JSON with names: the RFC 3584 varbinds named");
	jbuf_free(&j);
	snmp_free_pdu(pdu);
	trapmsg_forget_names();
}

int
main(void)
{
	snmpsess_library_init("test_trapmsg");
	test_v2();
	test_v1();
	test_malformed();
	test_many();
	test_values();
	test_long_strings();
	test_oid_text();
	test_subst();
	test_mibs();
	trapmsg_forget_names();
	return tap_done();
}
