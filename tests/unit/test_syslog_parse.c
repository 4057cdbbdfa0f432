/*
 * test_syslog_parse.c - the syslog message parser (src/syslog/parse.c).
 *
 * Each case is one message as a device sends it, with the fields it must
 * give as "key=value" (only the keys listed are checked; see field()).
 * Times are shown in UTC, "received" when the message had none. The
 * samples are written from RFC 5424 6.5, RFC 3164 5.4 and the vendors'
 * documented formats. After the table: bounds (10 MB), and a few thousand
 * seeded mutations of the samples, checking the output invariants.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "syslog/parse.h"
#include "tap.h"

#define RECEIVED 1700000000.0 /* 2023-11-14T22:13:20Z */
#define T2025 1735689630.0 /* 2025-01-01T00:00:30Z */
#define T2024END 1735689590.0 /* 2024-12-31T23:59:50Z */
#define T2024MAR 1709294400.0 /* 2024-03-01T12:00:00Z */
#define T2025FEB 1740744000.0 /* 2025-02-28T12:00:00Z */
#define T2026 1780315200.0 /* 2026-06-01T12:00:00Z */

struct tcase {
	const char *what;
	const char *in;
	size_t len; /* 0: strlen(in) */
	double received; /* 0: RECEIVED */
	int rc;
	const char *expect[20]; /* "key=value" */
};

static const struct tcase cases[] = {
    /* RFC 5424 6.5 */
    {"RFC 5424 example 1: no SD, BOM",
        "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - "
        "\xef\xbb\xbf'su root' failed for lonvick on /dev/pts/8",
        0, 0, 0,
        {"pri=34", "fac=4", "sev=2", "ver=1", "time=2003-10-11T22:14:15.003Z",
            "tz=Z", "tzoff=0", "host=mymachine.example.com", "app=su",
            "procid=", "msgid=ID47",
            "sd=", "sdp=", "msg='su root' failed for lonvick on /dev/pts/8",
            "flags=pri,rfc5424,time,year,tz,host,bom",
            "problems=", "problem=(null)"}},
    {"RFC 5424 example 2: offset, microseconds, PROCID",
        "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - "
        "%% It's time to make the do-nuts.",
        0, 0, 0,
        {"pri=165", "fac=20", "sev=5", "time=2003-08-24T12:14:15.000003Z",
            "tz=-07:00", "tzoff=-420", "host=192.0.2.1", "app=myproc",
            "procid=8710",
            "msgid=", "mn=", "msg=%% It's time to make the do-nuts."}},
    {"RFC 5424 example 3: SD and a message",
        "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - "
        "ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
        "eventID=\"1011\"] \xef\xbb\xbf"
        "An application event log entry...",
        0, 0, 0,
        {"app=evntslog", "msgid=ID47",
            "sd=[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
            "eventID=\"1011\"]",
            "sdp=exampleSDID@32473/iut=3;exampleSDID@32473/eventSource="
            "Application;exampleSDID@32473/eventID=1011",
            "msg=An application event log entry...", "problems="}},
    {"RFC 5424 example 4: two SD-ELEMENTs, no MSG",
        "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - "
        "ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
        "eventID=\"1011\"][examplePriority@32473 class=\"high\"]",
        0, 0, 0,
        {"sdp=exampleSDID@32473/iut=3;exampleSDID@32473/eventSource="
         "Application;exampleSDID@32473/eventID=1011;examplePriority@32473/"
         "class=high",
            "msg=", "problems="}},
    {"RFC 5424 SD escapes: \\\" \\\\ \\] unescaped, other \\ kept",
        "<34>1 2026-07-23T09:30:45+02:00 host app 123 msg [meta@32473 "
        "v=\"escaped\\]bracket\" q=\"\\\"\" b=\"a\\\\b\" n=\"x\\ny\" "
        "u=\"caf\xc3\xa9\"] payload",
        0, 0, 0,
        {"time=2026-07-23T07:30:45Z", "tzoff=120",
            "sdp=meta@32473/v=escaped]bracket;meta@32473/q=\";meta@32473/"
            "b=a\\b;meta@32473/n=x\\ny;meta@32473/u=caf\xc3\xa9",
            "msgid=msg", "msg=payload", "problems="}},
    {"RFC 5424 SD-ELEMENT without parameters",
        "<13>1 2024-01-02T03:04:05Z h a - - [origin][x@1 a=\"b\"] m", 0, 0, 0,
        {"sdp=origin/=;x@1/a=b", "msg=m", "problems="}},
    {"RFC 5424 all NILVALUE", "<13>1 - - - - - - minimal", 0, 0, 0,
        {"pri=13", "ver=1", "time=received", "host=", "app=", "procid=",
            "msgid=", "sd=", "msg=minimal", "flags=pri,rfc5424", "problems="}},
    {"RFC 5424 nine fraction digits: microseconds, truncated",
        "<34>1 2026-04-27T15:46:41.000006930Z h su - ID47 - MSG", 0, 0, 0,
        {"time=2026-04-27T15:46:41.000006Z"}},
    {"RFC 5424 space before MSG is MSG",
        "<166>1 2019-02-20T15:10:50.505646+00:00 ss12.00.lab bgpd 83 - -  "
        "%ADJCHANGE: neighbor 100.67.0.142 Up",
        0, 0, 0,
        {"msg= %ADJCHANGE: neighbor 100.67.0.142 Up",
            "text=%ADJCHANGE: neighbor 100.67.0.142 Up", "mn=", "tz=+00:00",
            "procid=83"}},
    {"RFC 5424 header cut short", "<13>1 2003-10-11T22:14:15Z host", 0, 0, 0,
        {"host=host", "problems=short", "problem=RFC 5424 header cut short"}},
    {"RFC 5424 VERSION 2 is parsed, and said",
        "<13>2 2003-10-11T22:14:15Z h a p m - x", 0, 0, 0,
        {"ver=2", "msg=x", "problems=version"}},
    {"RFC 5424 impossible date", "<13>1 2003-02-30T22:14:15Z h a p m - x", 0, 0,
        0, {"time=received", "host=h", "msg=x", "problems=badtime"}},
    {"RFC 5424 malformed SD: the rest is MSG",
        "<13>1 2003-10-11T22:14:15Z h a p m [x a=b] text", 0, 0, 0,
        {"sd=[x a=b]", "msg=text", "problems=badsd"}},
    {"RFC 5424 SD with space after '=' (rsyslog's test vector)",
        "<165>1 2003-10-11T22:14:15.003Z h evntslog - ID47 [ex@32473 "
        "iut=\"3\" eventSource= \"Application\"] m",
        0, 0, 0,
        {"sdp=ex@32473/iut=3;ex@32473/eventSource=Application", "msg=m",
            "problems=badsd"}},
    {"RFC 5424 missing SD", "<13>1 2003-10-11T22:14:15Z h a p m hello", 0, 0, 0,
        {"sd=", "msg=hello", "problems=badsd"}},
    {"Junos structured-data: MSGID is the tag",
        "<165>1 2007-02-15T09:17:15.719Z router1 mgd 3046 "
        "UI_DBASE_LOGOUT_EVENT [junos@2636.1.1.1.2.18 username=\"regress\"] "
        "User 'regress' exiting configuration mode",
        0, 0, 0,
        {"tag=UI_DBASE_LOGOUT_EVENT", "app=mgd", "procid=3046",
            "sdp=junos@2636.1.1.1.2.18/username=regress",
            "text=User 'regress' exiting configuration mode"}},

    /* RFC 3164 5.4 and its variants */
    {"RFC 3164 example 1",
        "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on "
        "/dev/pts/8",
        0, 0, 0,
        {"pri=34", "ver=0", "time=2023-10-11T22:14:15Z",
            "tz=", "host=mymachine", "app=su",
            "procid=", "msg='su root' failed for lonvick on /dev/pts/8",
            "flags=pri,time,host,tag_colon", "problems="}},
    {"RFC 3164 example 2: no PRI, no header", "Use the BFG!", 0, 0, 1,
        {"pri=13", "fac=1", "sev=5", "time=received",
            "host=", "app=", "msg=Use the BFG!",
            "flags=", "problems=nopri,notsyslog", "problem=not syslog"}},
    {"RFC 3164 example 3: a TAG that is no TAG",
        "<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!", 0, T2024MAR, 0,
        {"time=2024-02-05T17:32:18Z", "host=10.0.0.99", "app=Use",
            "msg=the BFG!"}},
    {"RFC 3164 example 4: 'CST 1987' is no timestamp part",
        "<165>Aug 24 05:34:00 CST 1987 mymachine myproc[10]: %% It's time", 0,
        0, 0,
        {"time=2023-08-24T05:34:00Z", "host=CST", "app=1987",
            "msg=mymachine myproc[10]: %% It's time"}},
    {"RFC 3164 pid in brackets, leading space after PRI",
        "<38> Mar 27 19:06:53 source_server sshd(pam_unix)[12750]: session "
        "opened",
        0, 0, 0,
        {"host=source_server", "app=sshd(pam_unix)", "procid=12750",
            "msg=session opened"}},
    {"RFC 3164 TAG ended by a space",
        "<175>Oct 16 2009 23:47:31 hostname tag[1234] This is a message", 0, 0,
        0,
        {"time=2009-10-16T23:47:31Z", "flags=pri,time,year,host", "app=tag",
            "procid=1234", "msg=This is a message"}},
    {"RFC 3164 upper-case month, 8-bit text",
        "<167>AUG 10 22:18:24 host tag chars: \xc3\xa4\xc3\xb6\xc3\xbc", 0, 0,
        0,
        {"time=2023-08-10T22:18:24Z", "app=tag",
            "msg=chars: \xc3\xa4\xc3\xb6\xc3\xbc"}},
    {"RFC 3164 RFC 3339 timestamp",
        "<13>2026-07-23T09:30:45.123+02:00 host daemon: timestamp variant", 0,
        0, 0,
        {"time=2026-07-23T07:30:45.123Z", "tz=+02:00", "host=host",
            "app=daemon"}},
    {"RFC 3164 colon after the time, year",
        "<167>Mar 7 2008 19:06:53: example tag: testmessage", 0, 0, 0,
        {"time=2008-03-07T19:06:53Z", "host=example", "app=tag",
            "msg=testmessage"}},
    {"RFC 3164 hostname only", "<14>Aug 30 23:00:05 X4711", 0, 0, 0,
        {"host=X4711", "app=", "msg="}},
    {"RFC 3164 nothing after the time", "<14>Aug 30 23:00:05 ", 0, 0, 0,
        {"host=", "app=", "msg=", "flags=pri,time"}},
    {"RFC 3164 no hostname: TAG with ':' after the time",
        "<13>Nov 14 10:00:00 sshd[12]: Accepted publickey", 0, 0, 0,
        {"host=", "app=sshd", "procid=12", "msg=Accepted publickey"}},
    {"RFC 3164 without PRI, with a timestamp",
        "Feb 18 16:01:59 serverX -- MARK --", 0, 0, 0,
        {"pri=13", "host=serverX", "app=--", "msg=MARK --", "problems=nopri",
            "problem=no PRI"}},
    {"hostname: IPv6 address",
        "<13>Nov 14 10:00:00 2001:db8::1 sshd[12]: Accepted", 0, 0, 0,
        {"host=2001:db8::1", "app=sshd"}},
    {"hostname: IPv6 address in brackets",
        "<13>Nov 14 10:00:00 [2001:db8::2] sshd[12]: Accepted", 0, 0, 0,
        {"host=[2001:db8::2]", "app=sshd"}},
    {"hostname: relay chain with '/'",
        "<167>Mar  6 16:57:54 hostname1/hostname2 test: msgnum:0", 0, 0, 0,
        {"host=hostname1/hostname2", "app=test", "msg=msgnum:0"}},
    {"hostname: junk is no hostname",
        "<175>Oct 16 23:47:31 #001 MSWinEventLog 0#011Security", 0, 0, 0,
        {"host=", "app=#001", "msg=MSWinEventLog 0#011Security"}},
    {"no timestamp: host and TAG", "<13>myhost sshd[12]: Accepted", 0, 0, 0,
        {"host=myhost", "app=sshd", "procid=12", "msg=Accepted",
            "time=received"}},
    {"no timestamp: TAG only",
        "<27>xapi: [error|xen3|15] Connection to master died", 0, 0, 0,
        {"host=", "app=xapi", "msg=[error|xen3|15] Connection to master died",
            "problems="}},
    {"no timestamp: words are text", "<13>last message repeated 5 times", 0, 0,
        0, {"host=", "app=", "msg=last message repeated 5 times"}},

    /* Times: no year, leap days, zones */
    {"year: Dec 31 received on January 1st is last year's",
        "<13>Dec 31 23:59:50 h a: x", 0, T2025, 0,
        {"time=2024-12-31T23:59:50Z", "flags=pri,time,host,tag_colon"}},
    {"year: Jan 1 received on December 31st is next year's",
        "<13>Jan  1 00:00:10 h a: x", 0, T2024END, 0,
        {"time=2025-01-01T00:00:10Z"}},
    {"leap day in a leap year", "<13>Feb 29 12:00:00 h a: x", 0, T2024MAR, 0,
        {"time=2024-02-29T12:00:00Z", "problems="}},
    {"leap day a year later: the last Feb 29", "<13>Feb 29 12:00:00 h a: x", 0,
        T2025FEB, 0, {"time=2024-02-29T12:00:00Z"}},
    {"leap day with no leap year near: bad timestamp",
        "<13>Feb 29 12:00:00 h a: x", 0, T2026, 0,
        {"time=received", "host=h", "app=a", "problems=badtime",
            "problem=invalid timestamp"}},
    {"Feb 29 with a year that has none", "<13>Feb 29 2023 12:00:00 h a: x", 0,
        0, 0, {"time=received", "problems=badtime"}},
    {"Feb 30", "<13>Feb 30 12:00:00 h a: x", 0, 0, 0,
        {"time=received", "problems=badtime"}},
    {"hour 25", "<13>Feb 10 25:00:00 h a: x", 0, 0, 0,
        {"time=received", "host=h", "problems=badtime"}},
    {"zero-padded day", "<38>Oct 07 19:06:53 example tag: x", 0, 0, 0,
        {"time=2023-10-07T19:06:53Z", "host=example"}},
    {"year: the closest, even ahead (an unsynced clock in March)",
        "<38>Mar  7 19:06:53 example tag: x", 0, 0, 0,
        {"time=2024-03-07T19:06:53Z"}},

    /* Cisco IOS, IOS-XE */
    {"IOS: counter, hostname, unsynced clock, milliseconds",
        "<187>85: sw-core-1: *Mar  1 00:01:02.345: %LINK-3-UPDOWN: "
        "Interface GigabitEthernet0/1, changed state to down",
        0, 0, 0,
        {"pri=187", "seq=85", "host=sw-core-1", "time=2024-03-01T00:01:02.345Z",
            "app=", "mn=LINK-3-UPDOWN", "mnfac=LINK", "mnsev=3",
            "mnname=UPDOWN",
            "text=Interface GigabitEthernet0/1, changed state to down",
            "msg=%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed "
            "state to down",
            "flags=pri,time,unsync,host", "problems="}},
    {"IOS: no hostname, UTC",
        "<189>52: Mar  1 00:01:02.345 UTC: %SYS-5-CONFIG_I: Configured from "
        "console by vty0 (10.1.1.1)",
        0, 0, 0,
        {"seq=52", "host=", "tz=UTC", "tzoff=0",
            "time=2024-03-01T00:01:02.345Z", "mn=SYS-5-CONFIG_I",
            "text=Configured from console by vty0 (10.1.1.1)",
            "flags=pri,time,tz"}},
    {"IOS: sequence numbers on, '.' clock once synced",
        "<189>1234: 000045: .Nov 14 21:00:00.001 CET: %SYS-5-CONFIG_I: "
        "Configured from console by admin on vty0",
        0, 0, 0,
        {"seq=1234", "host=", "tz=CET", "tzoff=60",
            "time=2023-11-14T20:00:00.001Z", "flags=pri,time,tz,unsync",
            "mn=SYS-5-CONFIG_I"}},
    {"IOS: MEST, hostname",
        "<189>27: test-ztp: May 31 15:54:54.567 MEST: %SYS-5-CONFIG_I: "
        "Configured from console by admin on console",
        0, 0, 0,
        {"seq=27", "host=test-ztp", "tz=MEST", "tzoff=120",
            "time=2023-05-31T13:54:54.567Z"}},
    {"IOS: a zone of its own: named, not known",
        "<189>28: Nov 14 21:00:00 MYZONE: %SYS-5-CONFIG_I: Configured", 0, 0, 0,
        {"tz=MYZONE", "time=2023-11-14T21:00:00Z", "flags=pri,time",
            "mn=SYS-5-CONFIG_I"}},
    {"IOS: year in the timestamp",
        "<189>12: Mar  1 2024 00:01:02.345 UTC: %SYS-5-CONFIG_I: x", 0, 0, 0,
        {"time=2024-03-01T00:01:02.345Z", "flags=pri,time,year,tz"}},
    {"IOS: uptime stamps", "<189>12: 1w2d: %LINK-3-UPDOWN: Interface Gi0/1", 0,
        0, 0,
        {"seq=12", "time=received", "flags=pri,uptime", "mn=LINK-3-UPDOWN",
            "text=Interface Gi0/1"}},
    {"IOS: no timestamps at all",
        "<189>13: %SYS-5-CONFIG_I: Configured from console", 0, 0, 0,
        {"seq=13", "time=received", "mn=SYS-5-CONFIG_I", "problems="}},
    {"IOS: host origin-id without counter",
        "<189>router1: *Mar  1 00:01:02.345: %SYS-5-RESTART: System "
        "restarted",
        0, 0, 0, {"host=router1", "seq=-1", "mn=SYS-5-RESTART"}},
    {"IOS: mnemonic with a sub-facility",
        "<187>99: %SYS-SP-3-LOGGER_FLUSHED: System was paused", 0, 0, 0,
        {"mn=SYS-SP-3-LOGGER_FLUSHED", "mnfac=SYS-SP", "mnsev=3",
            "mnname=LOGGER_FLUSHED"}},
    {"IOS relayed: the relay's header, then Cisco's own",
        "<189>Nov 14 22:00:00 10.1.1.1 1234: *Nov 14 21:59:59.123: "
        "%SYS-5-CONFIG_I: Configured from console",
        0, 0, 0,
        {"host=10.1.1.1", "seq=1234", "time=2023-11-14T22:00:00Z",
            "flags=pri,time,host", "app=", "mn=SYS-5-CONFIG_I",
            "text=Configured from console"}},
    {"IOS relayed without counter",
        "<189>Nov 14 22:00:00 10.1.1.1 Jan  1 00:00:00.000 UTC: "
        "%SYS-5-CONFIG_I: Configured",
        0, 0, 0,
        {"host=10.1.1.1", "seq=-1", "time=2023-11-14T22:00:00Z",
            "mn=SYS-5-CONFIG_I", "msg=%SYS-5-CONFIG_I: Configured"}},
    {"PIX: mnemonic in the TAG's place",
        "<167>Mar  6 16:57:54 172.20.245.8 %PIX-7-710005: UDP request "
        "discarded",
        0, 0, 0,
        {"host=172.20.245.8", "app=", "mn=PIX-7-710005",
            "text=UDP request discarded"}},
    {"ASA: hostname then a lone ':'",
        "<166>Jan 15 2024 10:00:00 fw01 : %ASA-6-302013: Built outbound TCP "
        "connection 1",
        0, 0, 0,
        {"host=fw01", "app=", "time=2024-01-15T10:00:00Z", "mn=ASA-6-302013",
            "mnname=302013", "text=Built outbound TCP connection 1"}},
    {"ASA: no header", "<166>%ASA-6-302014: Teardown TCP connection 1", 0, 0, 0,
        {"host=", "app=", "time=received", "mn=ASA-6-302014", "problems="}},
    {"'%%' is no mnemonic", "<13>Nov 14 10:00:00 h app: %% percent", 0, 0, 0,
        {"mn=", "text=%% percent"}},

    /* NX-OS, IOS-XR */
    {"NX-OS: year first",
        "<187>2024 Jan 29 10:11:12 nx01 %ETHPORT-5-IF_DOWN_LINK_FAILURE: "
        "Interface Ethernet1/1 is down (Link failure)",
        0, 0, 0,
        {"host=nx01", "time=2024-01-29T10:11:12Z", "flags=pri,time,year,host",
            "mn=ETHPORT-5-IF_DOWN_LINK_FAILURE", "mnfac=ETHPORT",
            "mnname=IF_DOWN_LINK_FAILURE",
            "text=Interface Ethernet1/1 is down (Link failure)"}},
    {"NX-OS: empty counter, zone, no hostname",
        "<189>: 2024 Jan 29 10:11:12 UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: "
        "Configured from vty by admin on 10.0.0.1@pts/0",
        0, 0, 0,
        {"host=", "tz=UTC", "time=2024-01-29T10:11:12Z",
            "mn=VSHD-5-VSHD_SYSLOG_CONFIG_I"}},
    {"IOS-XR: host, node, process, mnemonic with ' :'",
        "<187>94307: gw2 LC/0/2/CPU0:Jul  7 20:16:14.834 : ifmgr[214]: "
        "%PKT_INFRA-LINK-3-UPDOWN : Interface TenGigE0/2/0/4, changed state "
        "to Down",
        0, 0, 0,
        {"seq=94307", "host=gw2", "node=LC/0/2/CPU0",
            "time=2023-07-07T20:16:14.834Z", "app=ifmgr", "procid=214",
            "mn=PKT_INFRA-LINK-3-UPDOWN", "mnfac=PKT_INFRA-LINK", "mnsev=3",
            "text=Interface TenGigE0/2/0/4, changed state to Down"}},
    {"IOS-XR: zone",
        "<149>2647599: vmx01 RP/0/RSP1/CPU0:Mar 28 15:08:30.941 UTC: "
        "bgp[1051]: %ROUTING-BGP-5-MAXPFX : No. of IPv4 Unicast prefixes",
        0, 0, 0,
        {"host=vmx01", "node=RP/0/RSP1/CPU0", "tz=UTC", "app=bgp",
            "mn=ROUTING-BGP-5-MAXPFX", "text=No. of IPv4 Unicast prefixes"}},

    /* Arista EOS */
    {"EOS: agent TAG, mnemonic",
        "<189>Feb  6 09:42:36 leaf1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol "
        "on Interface Ethernet28, changed state to down",
        0, 0, 0,
        {"host=leaf1", "app=Ebra", "mn=LINEPROTO-5-UPDOWN",
            "text=Line protocol on Interface Ethernet28, changed state to "
            "down"}},
    {"EOS: high-resolution timestamp",
        "<189>2024-02-06T09:42:36.123456+01:00 leaf1 Bgp: %BGP-5-ADJCHANGE: "
        "peer 192.0.2.2 (VRF default AS 65000) old state Established",
        0, 0, 0,
        {"time=2024-02-06T08:42:36.123456Z", "host=leaf1", "app=Bgp",
            "mn=BGP-5-ADJCHANGE"}},

    /* Junos */
    {"Junos: UI_COMMIT",
        "<189>Jul 20 21:44:00 vmx01 mgd[7729]: UI_COMMIT: User 'admin' "
        "requested 'commit' operation (comment: none)",
        0, 0, 0,
        {"host=vmx01", "app=mgd", "procid=7729", "tag=UI_COMMIT", "mn=",
            "text=User 'admin' requested 'commit' operation (comment: "
            "none)"}},
    {"Junos: SNMP_TRAP_LINK_DOWN, two spaces before the host",
        "<28>Jul 20 21:45:59  mx1 mib2d[2424]: SNMP_TRAP_LINK_DOWN: ifIndex "
        "502, ifAdminStatus up(1), ifOperStatus down(2), ifName xe-0/0/0",
        0, 0, 0,
        {"host=mx1", "app=mib2d", "tag=SNMP_TRAP_LINK_DOWN",
            "text=ifIndex 502, ifAdminStatus up(1), ifOperStatus down(2), "
            "ifName xe-0/0/0"}},
    {"Junos: RT_FLOW as the TAG, then the tag",
        "<14>Dec 13 13:12:00 srx1 RT_FLOW: RT_FLOW_SESSION_CREATE: session "
        "created 172.16.0.1/23456->8.8.8.8/443",
        0, 0, 0,
        {"app=RT_FLOW", "tag=RT_FLOW_SESSION_CREATE",
            "text=session created 172.16.0.1/23456->8.8.8.8/443"}},
    {"a one-word capital is no Junos tag",
        "<13>Nov 14 10:00:00 h app: ERROR: disk full", 0, 0, 0,
        {"tag=", "text=ERROR: disk full"}},

    /* Bad input */
    {"empty", "", 0, 0, 1,
        {"msg=", "time=received", "problems=empty,nopri,notsyslog",
            "problem=empty message"}},
    {"only spaces", "     ", 0, 0, 1,
        {"msg=", "problems=empty,nopri,notsyslog", "problem=empty message"}},
    {"framing only", "\r\n\0", 3, 0, 1,
        {"rawlen=3", "problems=empty,nopri,notsyslog"}},
    {"PRI alone", "<13>", 0, 0, 0,
        {"pri=13", "msg=", "flags=pri", "problems="}},
    {"PRI 0", "<0>x", 0, 0, 0, {"pri=0", "fac=0", "sev=0", "msg=x"}},
    {"PRI out of range: the rest is still parsed",
        "<192>Oct 11 22:14:15 host su: x", 0, 0, 0,
        {"pri=13", "fac=1", "sev=5", "host=host", "app=su", "msg=x",
            "flags=time,host,tag_colon", "problems=badpri",
            "problem=PRI out of range"}},
    {"four digits are no PRI", "<1234>x", 0, 0, 1,
        {"msg=<1234>x", "problems=nopri,notsyslog"}},
    {"unclosed PRI", "<13 hello", 0, 0, 1, {"msg=<13 hello"}},
    {"NUL bytes inside", "<13>Oct 11 22:14:15 host app: a\0b\0", 35, 0, 0,
        {"msg=a#000b", "rawlen=35", "flags=pri,time,host,tag_colon,escaped",
            "problems=nul", "problem=NUL bytes"}},
    {"tab and LF escaped rsyslog-style",
        "<13>Oct 11 22:14:15 host app: a\tb\nc\x7f", 0, 0, 0,
        {"msg=a#011b#012c#177", "problems="}},
    {"trailing CR LF is framing", "<13>Oct 11 22:14:15 host app: x\r\n", 0, 0,
        0, {"msg=x", "flags=pri,time,host,tag_colon"}},
    {"invalid UTF-8 replaced",
        "<13>Oct 11 22:14:15 host app: \xff-\xc0\xaf-\xed\xa0\x80-\xe2\x82", 0,
        0, 0,
        {"msg=\xef\xbf\xbd-\xef\xbf\xbd\xef\xbf\xbd-\xef\xbf\xbd\xef\xbf\xbd"
         "\xef\xbf\xbd-\xef\xbf\xbd\xef\xbf\xbd",
            "problems=utf8", "problem=invalid UTF-8"}},
    {"binary garbage", "\x01\x02\xfe\xff<\x80>", 0, 0, 1,
        {"msg=#001#002\xef\xbf\xbd\xef\xbf\xbd<\xef\xbf\xbd>",
            "problems=nopri,notsyslog,utf8"}},
    {"a TAG longer than APP-NAME is cut",
        "<13>Oct 11 22:14:15 host "
        "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijXYZ: x",
        0, 0, 0,
        {"app=abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh", "msg=x",
            "problems=cut", "problem=a field was cut"}},
};

static char *
fmt_time(const struct syslog_msg *m, char *buf, size_t len)
{
	time_t sec;
	struct tm tm;
	long usec;
	size_t n;

	if (!(m->flags & SYSLOG_F_TIME)) {
		snprintf(buf, len, "received");
		return buf;
	}
	sec = (time_t)floor(m->time);
	usec = lround((m->time - (double)sec) * 1e6);
	if (usec == 1000000) {
		sec++;
		usec = 0;
	}
	gmtime_r(&sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (m->time_digits > 0) {
		char f[8];

		snprintf(f, sizeof(f), "%06ld", usec);
		f[m->time_digits] = '\0';
		snprintf(buf + n, len - n, ".%s", f);
		n = strlen(buf);
	}
	snprintf(buf + n, len - n, "Z");
	return buf;
}

static void
names(char *buf, size_t len, unsigned v, const char *const *nm, int n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		if (v & (1u << i))
			o += snprintf(
			    buf + o, len - o, "%s%s", o ? "," : "", nm[i]);
}

/* The value of KEY in M as the table writes it. */
static const char *
field(
    const struct syslog_msg *m, int rc, const char *key, char *buf, size_t len)
{
	static const char *const fnames[] = {"pri", "rfc5424", "time", "year",
	    "tz", "unsync", "uptime", "host", "tag_colon", "bom", "escaped"};
	static const char *const pnames[] = {"empty", "nopri", "badpri",
	    "notsyslog", "badtime", "version", "short", "badsd", "toolong",
	    "nul", "utf8", "cut"};

#define INT(k, v) \
	if (strcmp(key, k) == 0) { \
		snprintf(buf, len, "%lld", (long long)(v)); \
		return buf; \
	}
#define STR(k, v) \
	if (strcmp(key, k) == 0) \
		return v;
	INT("rc", rc);
	INT("pri", m->pri);
	INT("fac", m->facility);
	INT("sev", m->severity);
	INT("ver", m->version);
	INT("tzoff", m->tz_offset);
	INT("seq", m->seq);
	INT("mnsev", m->mn.severity);
	INT("rawlen", m->raw_len);
	INT("msglen", m->msg_len);
	STR("tz", m->tz);
	STR("host", m->host);
	STR("app", m->app);
	STR("procid", m->procid);
	STR("msgid", m->msgid);
	STR("sd", m->sd);
	STR("node", m->node);
	STR("mn", m->mn.code);
	STR("mnfac", m->mn.facility);
	STR("mnname", m->mn.name);
	STR("tag", m->tag);
	STR("msg", m->msg);
	STR("text", m->msg + m->text_off);
	STR("problem", m->problem ? m->problem : "(null)");
	if (strcmp(key, "time") == 0)
		return fmt_time(m, buf, len);
	if (strcmp(key, "flags") == 0) {
		names(buf, len, m->flags, fnames, 11);
		return buf;
	}
	if (strcmp(key, "problems") == 0) {
		names(buf, len, m->problems, pnames, SYSLOG_P_COUNT);
		return buf;
	}
	if (strcmp(key, "sdp") == 0) {
		size_t o = 0;

		buf[0] = '\0';
		for (int i = 0; i < m->nsd && o < len; i++)
			o += snprintf(buf + o, len - o, "%s%s/%s=%s",
			    i ? ";" : "", syslog_sd_str(m, m->sdp[i].id),
			    syslog_sd_str(m, m->sdp[i].name),
			    syslog_sd_str(m, m->sdp[i].value));
		return buf;
	}
#undef INT
#undef STR
	return NULL;
}

static struct syslog_msg msg;

static void
run_table(void)
{
	char buf[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->in);
		int rc, bad = 0;

		rc = syslog_parse(c->in, len,
		    c->received != 0 ? c->received : RECEIVED, &msg);
		if (rc != c->rc) {
			TAP_OK(0, "%s: returns %d", c->what, c->rc);
			continue;
		}
		for (int k = 0; k < 20 && c->expect[k]; k++) {
			const char *eq = strchr(c->expect[k], '=');
			char key[16];
			const char *got;

			snprintf(key, sizeof(key), "%.*s",
			    (int)(eq - c->expect[k]), c->expect[k]);
			got = field(&msg, rc, key, buf, sizeof(buf));
			if (got == NULL || strcmp(got, eq + 1) != 0) {
				TAP_STREQ(got, eq + 1, "%s: %s", c->what, key);
				bad = 1;
			}
		}
		if (!bad)
			TAP_OK(1, "%s", c->what);
	}
}

/* --- invariants --------------------------------------------------------- */

/* Whether S (N bytes) is valid UTF-8 without control characters. */
static int
clean_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		unsigned c = p[i], cp, need;

		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07;
		else
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if (i + k >= n || (p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* A field of CAP bytes: terminated inside, clean. */
static int
clean_field(const char *s, size_t cap)
{
	const char *z = memchr(s, '\0', cap);

	return z != NULL && clean_text(s, (size_t)(z - s));
}

/* Everything a caller may rely on, whatever the input; NULL if it holds. */
static const char *
invariants(const struct syslog_msg *m, const char *in, size_t len)
{
	size_t keep = len < SYSLOG_MAX_LEN ? len : SYSLOG_MAX_LEN;

	if (m->len != len || m->raw_len != keep ||
	    memcmp(m->raw, in, keep) != 0)
		return "raw copy";
	if ((len > SYSLOG_MAX_LEN) != !!(m->problems & SYSLOG_P_TOOLONG))
		return "too long flag";
	if (m->facility < 0 || m->facility > 23 || m->severity < 0 ||
	    m->severity > 7 || m->pri != m->facility * 8 + m->severity)
		return "PRI";
	if (m->msg_len >= SYSLOG_MSG_MAX || strlen(m->msg) != m->msg_len ||
	    !clean_text(m->msg, m->msg_len) || m->text_off > m->msg_len)
		return "msg";
	if (!clean_field(m->host, sizeof(m->host)) ||
	    !clean_field(m->app, sizeof(m->app)) ||
	    !clean_field(m->procid, sizeof(m->procid)) ||
	    !clean_field(m->msgid, sizeof(m->msgid)) ||
	    !clean_field(m->tz, sizeof(m->tz)) ||
	    !clean_field(m->sd, sizeof(m->sd)) ||
	    !clean_field(m->node, sizeof(m->node)) ||
	    !clean_field(m->mn.code, sizeof(m->mn.code)) ||
	    !clean_field(m->mn.facility, sizeof(m->mn.facility)) ||
	    !clean_field(m->mn.name, sizeof(m->mn.name)) ||
	    !clean_field(m->tag, sizeof(m->tag)))
		return "text field";
	if (m->nsd < 0 || m->nsd > SYSLOG_SD_PARAMS)
		return "nsd";
	for (int i = 0; i < m->nsd; i++) {
		const struct syslog_sd_param *sp = &m->sdp[i];

		if (sp->id >= SYSLOG_SD_POOL || sp->name >= SYSLOG_SD_POOL ||
		    sp->value >= SYSLOG_SD_POOL ||
		    !clean_field(
		        m->sd_pool + sp->id, SYSLOG_SD_POOL - sp->id) ||
		    !clean_field(
		        m->sd_pool + sp->name, SYSLOG_SD_POOL - sp->name) ||
		    !clean_field(
		        m->sd_pool + sp->value, SYSLOG_SD_POOL - sp->value))
			return "sd param";
	}
	if (m->mn.code[0] != '\0' && (m->mn.severity < 0 || m->mn.severity > 7))
		return "mnemonic severity";
	if (!(m->flags & SYSLOG_F_TIME) && m->time != m->received)
		return "time without F_TIME";
	if ((m->problems != 0) != (m->problem != NULL))
		return "problem text";
	return NULL;
}

/* The table's inputs and a few more, for the mutations. */
static const char *const seeds[] = {
    "<165>1 2003-10-11T22:14:15.003Z h evntslog - ID47 [a@1 b=\"c\\\"d\" "
    "e=\"f\\]\"][g@2] \xef\xbb\xbfmsg",
    "<13>1 - - - - - -",
    "<189>: 2024 Jan 29 10:11:12 UTC: %A-5-B: x",
    "<13>Feb 29 2024 23:59:60.999999 +14:00: h t[1]: x",
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t
mutate(char *buf, size_t len, size_t cap)
{
	static const char *const tokens[] = {"<", ">", "[", "]", "\"", "\\",
	    "%", ":", " ", "  ", "-", "=", "\0", "\xff", "\xc3", "\xe2\x82",
	    "\xef\xbb\xbf", "*", ".", "1 ", "<13>", "<191>", "Feb 29 ",
	    "12:", "2024-02-29T", "UTC: ", "%LINK-3-UPDOWN: ",
	    "RP/0/RSP0/CPU0:", "UI_COMMIT: ", "[x@2636 a=\"b\"]", "\n", "\t",
	    "::1 "};
	int ops = 1 + (int)(next_rand() % 4);

	for (int k = 0; k < ops; k++) {
		size_t pos = len ? next_rand() % (len + 1) : 0, n;
		const char *t;

		switch (next_rand() % 6) {
		case 0: /* flip a byte */
			if (len)
				buf[pos % len] = (char)next_rand();
			break;
		case 1: /* insert a token */
			t = tokens[next_rand() %
			    (sizeof(tokens) / sizeof(*tokens))];
			n = t[0] ? strlen(t) : 1;
			if (len + n <= cap) {
				memmove(buf + pos + n, buf + pos, len - pos);
				memcpy(buf + pos, t, n);
				len += n;
			}
			break;
		case 2: /* delete a range */
			n = next_rand() % 8;
			if (pos + n > len)
				n = len - pos;
			memmove(buf + pos, buf + pos + n, len - pos - n);
			len -= n;
			break;
		case 3: /* duplicate a range */
			n = next_rand() % 16;
			if (pos + n > len)
				n = len - pos;
			if (len + n <= cap) {
				memmove(buf + pos + n, buf + pos, len - pos);
				len += n;
			}
			break;
		case 4: /* cut */ len = pos; break;
		default: /* a random byte inserted */
			if (len < cap) {
				memmove(buf + pos + 1, buf + pos, len - pos);
				buf[pos] = (char)next_rand();
				len++;
			}
		}
	}
	return len;
}

static void
run_mutations(void)
{
	enum { ROUNDS = 6000, CAP = 1024 };
	size_t nseed =
	    sizeof(cases) / sizeof(cases[0]) + sizeof(seeds) / sizeof(seeds[0]);
	char buf[CAP];
	const char *why = NULL;
	int failures = 0;

	for (int r = 0; r < ROUNDS; r++) {
		size_t s = (size_t)r % nseed, len;
		const char *in;

		if (s < sizeof(cases) / sizeof(cases[0])) {
			in = cases[s].in;
			len = cases[s].len ? cases[s].len : strlen(in);
		} else {
			in = seeds[s - sizeof(cases) / sizeof(cases[0])];
			len = strlen(in);
		}
		if (len > CAP)
			len = CAP;
		memcpy(buf, in, len);
		len = mutate(buf, len, CAP);
		syslog_parse(
		    buf, len, (double)(next_rand() % 4000000000ULL), &msg);
		if ((why = invariants(&msg, buf, len)) != NULL) {
			if (failures++ < 5) {
				printf("# round %d: %s; input:", r, why);
				for (size_t i = 0; i < len; i++)
					printf(" %02x", (unsigned char)buf[i]);
				printf("\n");
			}
		}
	}
	TAP_OK(
	    failures == 0, "%d seeded mutations keep the invariants", ROUNDS);
}

static void
run_bounds(void)
{
	size_t big = 10 * 1024 * 1024;
	char *p = malloc(big);
	const char *why;
	int rc;

	if (p == NULL) {
		TAP_SKIP("no memory for 10 MB");
		return;
	}
	memset(p, 'A', big);
	memcpy(p, "<13>Oct 11 22:14:15 host app: ", 30);
	rc = syslog_parse(p, big, RECEIVED, &msg);
	why = invariants(&msg, p, big);
	TAP_OK(rc == 0 && why == NULL && msg.raw_len == SYSLOG_MAX_LEN &&
	        msg.len == big && msg.msg_len == SYSLOG_MAX_LEN - 30 &&
	        (msg.problems & SYSLOG_P_TOOLONG) &&
	        strcmp(msg.problem, "message too long, cut") == 0,
	    "10 MB: the first %d bytes kept and parsed, cut flagged (%s)",
	    SYSLOG_MAX_LEN, why ? why : "invariants hold");

	/* The worst expansion: every byte a NUL, escaped to four. */
	memset(p, 0, SYSLOG_MAX_LEN);
	memcpy(p, "<13>", 4);
	p[SYSLOG_MAX_LEN - 1] = 'x'; /* trailing NULs would be framing */
	rc = syslog_parse(p, SYSLOG_MAX_LEN, RECEIVED, &msg);
	why = invariants(&msg, p, SYSLOG_MAX_LEN);
	TAP_OK(why == NULL && (msg.problems & SYSLOG_P_CUT) &&
	        (msg.problems & SYSLOG_P_NUL) &&
	        msg.msg_len <= SYSLOG_MSG_MAX - 1,
	    "8 KiB of NULs: text cut at %d bytes, flagged (%s)",
	    SYSLOG_MSG_MAX - 1, why ? why : "invariants hold");

	/* Structured data beyond the table and the pool. */
	{
		size_t o = 0;

		o += (size_t)snprintf(p + o, big - o, "<13>1 - h a - - [x@1");
		for (int i = 0; i < 100; i++)
			o += (size_t)snprintf(
			    p + o, big - o, " p%d=\"%d\"", i, i);
		o += (size_t)snprintf(p + o, big - o, "] after");
		syslog_parse(p, o, RECEIVED, &msg);
		why = invariants(&msg, p, o);
		TAP_OK(why == NULL && msg.nsd == SYSLOG_SD_PARAMS &&
		        (msg.problems & SYSLOG_P_CUT) &&
		        strcmp(msg.msg, "after") == 0 &&
		        strcmp(syslog_sd_get(&msg, "x@1", "p63"), "63") == 0 &&
		        syslog_sd_get(&msg, "x@1", "p64") == NULL,
		    "100 SD parameters: %d kept, cut flagged, MSG found",
		    SYSLOG_SD_PARAMS);
	}
	free(p);
}

static void
run_helpers(void)
{
	TAP_STREQ(
	    syslog_problem_str(SYSLOG_P_NOPRI), "no PRI", "problem words");
	TAP_OK(syslog_problem_str(3) == NULL &&
	        syslog_problem_str(1u << SYSLOG_P_COUNT) == NULL,
	    "no words for what is not one problem");
	TAP_STREQ(syslog_facility_name(20), "local4", "facility names");
	TAP_STREQ(syslog_severity_name(7), "debug", "severity names");
	TAP_STREQ(syslog_facility_name(24), "?", "facility out of range");
	syslog_parse(cases[2].in, strlen(cases[2].in), RECEIVED, &msg);
	TAP_STREQ(syslog_sd_get(&msg, "exampleSDID@32473", "eventID"), "1011",
	    "syslog_sd_get finds a parameter");
	TAP_OK(syslog_sd_get(&msg, "exampleSDID@32473", "nope") == NULL,
	    "syslog_sd_get: NULL for a parameter not there");
	TAP_OK(syslog_parse(NULL, 0, RECEIVED, &msg) == 1 &&
	        (msg.problems & SYSLOG_P_EMPTY),
	    "a NULL buffer is an empty message");
}

int
main(void)
{
	run_table();
	run_helpers();
	run_bounds();
	run_mutations();
	return tap_done();
}
