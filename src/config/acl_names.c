/*
 * acl_names.c - the port, protocol and ICMP names of Cisco ACLs and Junos
 * filters (acl_int.h).
 */
#include <stdlib.h>
#include <string.h>

#include "config/acl_int.h"

static const struct {
	const char *name;
	unsigned port;
} ports[] = {
	{ "aol", 5190 }, { "bgp", 179 }, { "biff", 512 }, { "bootpc", 68 },
	{ "bootps", 67 }, { "chargen", 19 }, { "cifs", 3020 },
	{ "citrix-ica", 1494 }, { "cmd", 514 }, { "ctiqbe", 2748 },
	{ "daytime", 13 }, { "discard", 9 }, { "dnsix", 195 },
	{ "domain", 53 }, { "drip", 3949 }, { "echo", 7 }, { "exec", 512 },
	{ "finger", 79 }, { "ftp", 21 }, { "ftp-data", 20 }, { "gopher", 70 },
	{ "h323", 1720 }, { "hostname", 101 }, { "http", 80 },
	{ "https", 443 }, { "ident", 113 }, { "imap4", 143 }, { "irc", 194 },
	{ "isakmp", 500 }, { "kerberos", 88 }, { "klogin", 543 },
	{ "kshell", 544 }, { "ldap", 389 }, { "ldaps", 636 }, { "login", 513 },
	{ "lotusnotes", 1352 }, { "lpd", 515 }, { "mobile-ip", 434 },
	{ "nameserver", 42 }, { "netbios-dgm", 138 }, { "netbios-ns", 137 },
	{ "netbios-ss", 139 }, { "netbios-ssn", 139 }, { "nfs", 2049 },
	{ "nntp", 119 }, { "non500-isakmp", 4500 }, { "ntp", 123 },
	{ "pcanywhere-data", 5631 }, { "pim-auto-rp", 496 }, { "pop2", 109 },
	{ "pop3", 110 }, { "pptp", 1723 }, { "radius", 1645 },
	{ "radius-acct", 1646 }, { "rip", 520 }, { "rsh", 514 },
	{ "rtsp", 554 }, { "secureid-udp", 5510 }, { "sip", 5060 },
	{ "smtp", 25 }, { "snmp", 161 }, { "snmptrap", 162 }, { "sqlnet", 1521 },
	{ "ssh", 22 }, { "sunrpc", 111 }, { "syslog", 514 }, { "tacacs", 49 },
	{ "talk", 517 }, { "telnet", 23 }, { "tftp", 69 }, { "time", 37 },
	{ "uucp", 540 }, { "who", 513 }, { "whois", 43 }, { "www", 80 },
	{ "xdmcp", 177 },
};

static const struct {
	const char *name;
	unsigned proto;
} protos[] = {
	{ "ah", 51 }, { "ahp", 51 }, { "eigrp", 88 }, { "esp", 50 },
	{ "gre", 47 }, { "icmp", 1 }, { "igmp", 2 }, { "igrp", 9 },
	{ "ipinip", 4 }, { "nos", 94 }, { "ospf", 89 }, { "pcp", 108 },
	{ "pim", 103 }, { "sctp", 132 }, { "snp", 109 }, { "tcp", 6 },
	{ "udp", 17 }, { "vrrp", 112 },
};

static const struct {
	const char *name;
	int type, code; /* code -1: any */
} icmps[] = {
	{ "administratively-prohibited", 3, 13 }, { "alternate-address", 6, -1 },
	{ "conversion-error", 31, -1 }, { "dod-host-prohibited", 3, 10 },
	{ "dod-net-prohibited", 3, 9 }, { "echo", 8, -1 },
	{ "echo-reply", 0, -1 }, { "echo-request", 8, -1 },
	{ "general-parameter-problem", 12, 0 }, { "host-isolated", 3, 8 },
	{ "host-precedence-unreachable", 3, 14 }, { "host-redirect", 5, 1 },
	{ "host-tos-redirect", 5, 3 }, { "host-tos-unreachable", 3, 12 },
	{ "host-unknown", 3, 7 }, { "host-unreachable", 3, 1 },
	{ "information-reply", 16, -1 }, { "information-request", 15, -1 },
	{ "mask-reply", 18, -1 }, { "mask-request", 17, -1 },
	{ "mobile-redirect", 32, -1 }, { "net-redirect", 5, 0 },
	{ "net-tos-redirect", 5, 2 }, { "net-tos-unreachable", 3, 11 },
	{ "net-unreachable", 3, 0 }, { "network-unknown", 3, 6 },
	{ "no-room-for-option", 12, 2 }, { "option-missing", 12, 1 },
	{ "packet-too-big", 3, 4 }, { "parameter-problem", 12, -1 },
	{ "port-unreachable", 3, 3 }, { "precedence-unreachable", 3, 15 },
	{ "protocol-unreachable", 3, 2 }, { "reassembly-timeout", 11, 1 },
	{ "redirect", 5, -1 }, { "router-advertisement", 9, -1 },
	{ "router-solicitation", 10, -1 }, { "source-quench", 4, -1 },
	{ "source-route-failed", 3, 5 }, { "time-exceeded", 11, -1 },
	{ "timestamp-reply", 14, -1 }, { "timestamp-request", 13, -1 },
	{ "traceroute", 30, -1 }, { "ttl-exceeded", 11, 0 },
	{ "unreachable", 3, -1 },
};

static int
num(const char *s, unsigned max, unsigned *v)
{
	unsigned long x;
	char *end;

	if (*s < '0' || *s > '9' || strlen(s) > 10)
		return -1;
	x = strtoul(s, &end, 10);
	if (*end || x > max)
		return -1;
	*v = (unsigned)x;
	return 0;
}

int
acl_port_parse(const char *s, unsigned *port)
{
	if (num(s, 65535, port) == 0)
		return 0;
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (strcmp(s, ports[i].name) == 0) {
			*port = ports[i].port;
			return 0;
		}
	return -1;
}

/* 0..255, or -1 for "ip"/"ipv4"/"any", or -2 */
int
acl_proto_parse(const char *s)
{
	unsigned v;

	if (strcmp(s, "ip") == 0 || strcmp(s, "ipv4") == 0)
		return -1;
	if (num(s, 255, &v) == 0)
		return (int)v;
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcmp(s, protos[i].name) == 0)
			return (int)protos[i].proto;
	return -2;
}

int
acl_icmp_parse(const char *s, int *type, int *code)
{
	for (size_t i = 0; i < sizeof(icmps) / sizeof(icmps[0]); i++)
		if (strcmp(s, icmps[i].name) == 0) {
			*type = icmps[i].type;
			*code = icmps[i].code;
			return 0;
		}
	return -1;
}

int
acl_num(const char *s, unsigned max, unsigned *v)
{
	return num(s, max, v);
}

int
acl_ipv4(const char *s, uint32_t *a)
{
	unsigned o[4];
	const char *p = s;

	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		int d = 0;

		while (*p >= '0' && *p <= '9' && d < 4) {
			v = v * 10 + (unsigned)(*p++ - '0');
			d++;
		}
		if (d == 0 || d > 3 || v > 255)
			return -1;
		o[i] = v;
		if (i < 3 && *p++ != '.')
			return -1;
	}
	if (*p)
		return -1;
	*a = o[0] << 24 | o[1] << 16 | o[2] << 8 | o[3];
	return 0;
}

/* "a.b.c.d/len" */
int
acl_ipv4_prefix(const char *s, struct acl_tern *t)
{
	char buf[24];
	const char *sl = strchr(s, '/');
	unsigned len;
	uint32_t a;

	if (sl == NULL || (size_t)(sl - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)(sl - s));
	buf[sl - s] = '\0';
	if (acl_ipv4(buf, &a) == -1 || num(sl + 1, 32, &len) == -1)
		return -1;
	*t = acl_tern_prefix(a, len);
	return 0;
}

/* The prefixes covering [LO, HI] (at most 64). */
int
acl_range_terns(uint32_t lo, uint32_t hi, struct acl_tern *out, int max)
{
	int n = 0;
	uint64_t a = lo, b = hi;

	while (a <= b && n < max) {
		unsigned len = 32;

		while (len > 0) {
			uint64_t size = 1ull << (33 - len);

			if ((a & (size - 1)) || a + size - 1 > b)
				break;
			len--;
		}
		out[n++] = acl_tern_prefix((uint32_t)a, len);
		a += 1ull << (32 - len);
	}
	return n;
}

int
acl_has_colon(const char *s)
{
	return strchr(s, ':') != NULL;
}
