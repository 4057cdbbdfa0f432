/*
 * syslogparse.c - how many messages per second syslog_parse() takes, for a
 * mix of the formats devices send, one thread.
 *
 *	syslogparse [-s SECONDS] [-f FORMAT]
 *
 * Parses the mix (or one FORMAT of it) over and over for SECONDS (3) of
 * CPU time and prints messages/s, ns/message and MB/s per format and for
 * the mix. The messages are 90-350 bytes, as real ones mostly are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "syslog/parse.h"

static const struct {
	const char *format;
	const char *msg;
} mix[] = {
    {"rfc5424-sd",
        "<165>1 2024-03-01T10:00:00.123456+01:00 host1.example.com evntslog "
        "1234 ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
        "eventID=\"1011\"] An application event log entry"},
    {"rfc5424-junos",
        "<14>1 2024-03-01T10:00:00.719Z srx1 RT_FLOW - RT_FLOW_SESSION_CREATE "
        "[junos@2636.1.1.1.2.39 source-address=\"192.0.2.1\" "
        "source-port=\"1080\" destination-address=\"198.51.100.2\" "
        "destination-port=\"443\" service-name=\"junos-https\" "
        "protocol-id=\"6\" policy-name=\"allow-web\"] session created"},
    {"rfc3164-linux",
        "<38>Mar  1 10:00:00 server1 sshd[12345]: Accepted publickey for "
        "admin from 192.0.2.10 port 50022 ssh2: ED25519 SHA256:abcdef"},
    {"cisco-ios",
        "<187>12345: sw-access-01: *Mar  1 00:01:02.345 UTC: %LINK-3-UPDOWN: "
        "Interface GigabitEthernet1/0/24, changed state to down"},
    {"cisco-xr",
        "<187>94307: gw2 LC/0/2/CPU0:Mar  1 10:00:00.834 : ifmgr[214]: "
        "%PKT_INFRA-LINK-3-UPDOWN : Interface TenGigE0/2/0/4, changed state "
        "to Down"},
    {"cisco-nxos",
        "<189>2024 Mar  1 10:00:00 nx01 %ETHPORT-5-IF_DOWN_LINK_FAILURE: "
        "Interface Ethernet1/33 is down (Link failure)"},
    {"cisco-asa",
        "<166>Mar 01 2024 10:00:00 fw01 : %ASA-6-302013: Built outbound TCP "
        "connection 123456 for outside:198.51.100.1/443 (198.51.100.1/443) "
        "to inside:10.0.0.5/51000 (203.0.113.5/51000)"},
    {"arista-eos",
        "<189>Mar  1 10:00:00 leaf1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol "
        "on Interface Ethernet28, changed state to down"},
    {"junos",
        "<28>Mar  1 10:00:00 mx1 mib2d[2424]: SNMP_TRAP_LINK_DOWN: ifIndex "
        "502, ifAdminStatus up(1), ifOperStatus down(2), ifName xe-0/0/0"},
    {"no-header", "Use the BFG! (no PRI, no timestamp, no host)"},
};

#define NMIX (sizeof(mix) / sizeof(mix[0]))

static struct syslog_msg out;

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse messages FIRST..LAST-1 round-robin for SECONDS of CPU. */
static void
measure(const char *name, size_t first, size_t last, double seconds)
{
	size_t len[NMIX], bytes = 0;
	unsigned long n = 0;
	double t0, t;
	volatile int sink = 0;

	for (size_t i = first; i < last; i++)
		len[i] = strlen(mix[i].msg);
	t0 = cpu_now();
	do {
		for (int k = 0; k < 1000; k++)
			for (size_t i = first; i < last; i++) {
				sink += syslog_parse(
				    mix[i].msg, len[i], 1709287200.0, &out);
				bytes += len[i];
				n++;
			}
		t = cpu_now() - t0;
	} while (t < seconds);
	printf("%-14s %12.0f %10.0f %8.1f\n", name, n / t, t * 1e9 / n,
	    bytes / t / 1e6);
	(void)sink;
}

int
main(int argc, char **argv)
{
	double seconds = 3;
	const char *only = NULL;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "-s") == 0)
			seconds = atof(argv[i + 1]);
		else if (strcmp(argv[i], "-f") == 0)
			only = argv[i + 1];
		else {
			fprintf(stderr,
			    "usage: syslogparse [-s SECONDS] "
			    "[-f FORMAT]\n");
			return 2;
		}
	}
	printf(
	    "%-14s %12s %10s %8s\n", "format", "messages/s", "ns/msg", "MB/s");
	for (size_t i = 0; i < NMIX; i++)
		if (only == NULL || strcmp(only, mix[i].format) == 0)
			measure(mix[i].format, i, i + 1,
			    only ? seconds : seconds / 4);
	if (only == NULL)
		measure("mix", 0, NMIX, seconds);
	return 0;
}
