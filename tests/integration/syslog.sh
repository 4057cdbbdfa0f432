#!/bin/bash
# syslog.sh - the syslog receiver against util-linux logger and raw
# senders on loopback: UDP and TCP (octet counting and LF framing, told
# apart per connection), RFC 5424 and RFC 3164, IPv6; senders mapped to
# devices by address, then by host name, unknown ones kept and marked;
# built-in events (port state with the poller's key for a long interface
# name, configuration changes, failed logins and their bursts) and
# configured rules; counters per listener and sender; `netpatrol logs`
# and its filters; every stored event linked from its message.
. "$(dirname "$0")/lib.sh"
need logger snmpsimd snmpget sqlite3 python3

# a Cisco-like switch: ifName short, ifDescr long (as IOS has them)
mkdir -p "$T/data"
python3 - "$T/data/ciscosw.snmprec" <<'PY'
import sys
rows = [("1.3.6.1.2.1.1.1.0", "4", "Cisco IOS Software, C2960X"),
        ("1.3.6.1.2.1.1.2.0", "6", "1.3.6.1.4.1.9.1.1208"),
        ("1.3.6.1.2.1.1.3.0", "67", "360000"),
        ("1.3.6.1.2.1.1.5.0", "4", "sw")]
ports = [(10103, "GigabitEthernet1/0/3", "Gi1/0/3"),
         (10104, "GigabitEthernet1/0/4", "Gi1/0/4"),
         (10601, "TenGigabitEthernet1/1/1", "Te1/1/1"),
         (436207616, "Ethernet1/1", "Eth1/1")]
for i, descr, name in ports:
    rows += [("1.3.6.1.2.1.2.2.1.1.%d" % i, "2", str(i)),
             ("1.3.6.1.2.1.2.2.1.2.%d" % i, "4", descr),
             ("1.3.6.1.2.1.2.2.1.3.%d" % i, "2", "6"),
             ("1.3.6.1.2.1.2.2.1.5.%d" % i, "66", "1000000000"),
             ("1.3.6.1.2.1.2.2.1.7.%d" % i, "2", "1"),
             ("1.3.6.1.2.1.2.2.1.8.%d" % i, "2", "1"),
             ("1.3.6.1.2.1.31.1.1.1.1.%d" % i, "4", name)]
rows.sort(key=lambda r: [int(x) for x in r[0].split(".")])
with open(sys.argv[1], "w") as f:
    for o, t, v in rows:
        f.write("%s|%s|%s\n" % (o, t, v))
PY
SPORT=$(port_pick)
start_snmpsim "$T/data" "$SPORT"
wait_for 120 snmpget -v2c -c ciscosw -t 1 -r 0 "127.0.0.1:$SPORT" 1.3.6.1.2.1.1.3.0
ok $? "snmpsim serves a Cisco-like switch"

LPORT=$(port_pick)
V6=""
python3 -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).bind(("::1", 0))' \
	2>/dev/null && V6="listen syslog udp ::1 port $LPORT"
CONF=$T/netpatrold.conf
cat >"$CONF" <<EOF
state-dir "$T/state"
control "$T/np.sock"
pidfile "$T/np.pid"
store batch-window 100ms
listen syslog udp 127.0.0.1 port $LPORT
listen syslog tcp 127.0.0.1 port $LPORT
$V6
syslog login-failures 4 per 1m
syslog queue 64M
syslog rule mnemonic "BGP-5-ADJCHANGE" match "neighbor ([0-9.]+) (Up|Down)" \\
	kind "bgp.change" severity minor key "bgp:%1" text "BGP %1 %2 on %device"
syslog rule device "edge" level err kind "edge.error" severity major
device "sw" {
	address 127.0.0.1 port $SPORT
	snmp v2c community "ciscosw"
	interval 2
}
device "edge" {
	address 127.0.0.9
	interval 3600
	timeout 1 retries 0
}
EOF
"$NETPATROLD" -n -f "$CONF" >"$T/check.out" 2>&1
ok $? "the configuration checks ($(cat "$T/check.out"))"
start_daemon "$CONF"
ok $? "netpatrold starts with syslog listeners on udp and tcp $LPORT"
wait_for 30 polls_at_least "$CONF" sw 1
ok $? "the switch is polled (its ports are known)"

logs() { "$NETPATROL" -f "$CONF" logs --json "$@"; }
nlogs() { logs | json - "len(j) >= $1"; }
events() { "$NETPATROL" -f "$CONF" events --json --device "${1:-sw}"; }
status() { "$NETPATROL" -f "$CONF" status --json >"$T/st.json"; }
# send FROM-ADDRESS MESSAGE...: one UDP datagram each, from 127.0.0.x
send() {
	python3 -c '
import socket, sys
port, src = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((src, 0))
for m in sys.argv[3:]:
    s.sendto(m.encode(), ("127.0.0.1", port))
' "$LPORT" "$@"
}

# logger: UDP and TCP, both framings, both formats
logger -n 127.0.0.1 -P "$LPORT" -d --rfc3164 -p local4.err -t app1 "udp rfc3164"
logger -n 127.0.0.1 -P "$LPORT" -d --rfc5424 -p daemon.info -t app2 --msgid ID7 \
	--sd-id "meta@32473" --sd-param 'k="v"' "udp rfc5424"
logger -n 127.0.0.1 -P "$LPORT" -T --octet-count --rfc5424 -t app3 "tcp octet-counted"
logger -n 127.0.0.1 -P "$LPORT" -T --rfc3164 -t app4 "tcp lf-terminated"
printf 'one\ntwo\nthree\n' | logger -n 127.0.0.1 -P "$LPORT" -T --octet-count -t app5
wait_for 20 nlogs 7
ok $? "seven messages from logger are stored"
logs >"$T/l.json"
check "udp rfc3164: local4.err, app, known device sw, transport udp" \
	json "$T/l.json" "[(m['facility'],m['severity'],m['device'],m['known'],m['transport']) for m in j if m['app']=='app1'][0]==('local4','err','sw',True,'udp')"
check "udp rfc5424: msgid, structured data, the message's own time" \
	json "$T/l.json" "[m for m in j if m['app']=='app2' and m['msgid']=='ID7' and m['sd'].endswith('[meta@32473 k=\"v\"]') and m['msg_time'] and m['text']=='udp rfc5424']!=[]"
check "tcp octet counting and LF framing" \
	json "$T/l.json" "sorted(m['text'] for m in j if m['transport']=='tcp' and m['app'] in ('app3','app4'))==['tcp lf-terminated','tcp octet-counted']"
check "three octet-counted messages on one connection" \
	json "$T/l.json" "[m['text'] for m in j if m['app']=='app5']==['one','two','three']"
check "the raw message is kept as received" \
	json "$T/l.json" "[m for m in j if m['app']=='app1'][0]['raw'].startswith('<163>') and [m for m in j if m['app']=='app1'][0]['raw'].endswith('udp rfc3164')"

# sender mapping: by address, by host name, or unknown and marked
send 127.0.0.3 "<30>Mar  1 10:00:00 edge kernel: from edge by name" \
	"<27>Mar  1 10:00:01 edge.example.net kernel: edge fqdn error"
send 127.0.0.4 "<30>Mar  1 10:00:00 nowhere kernel: from nowhere"
wait_for 20 nlogs 10
logs >"$T/l.json"
check "a host name maps an unknown address to its device" \
	json "$T/l.json" "[(m['device'],m['known'],m['sender']) for m in j if m['text']=='from edge by name'][0]==('edge',True,'127.0.0.3')"
check "a fully qualified host name maps by its first label" \
	json "$T/l.json" "[m['device'] for m in j if m['text']=='edge fqdn error'][0]=='edge'"
check "an unknown sender is kept, marked, under its address" \
	json "$T/l.json" "[(m['device'],m['known'],m['host']) for m in j if m['text']=='from nowhere'][0]==('127.0.0.4',False,'nowhere')"
check "a configured rule by device and level: edge.error" \
	json - "any(e['kind']=='edge.error' and e['severity']=='major' and e['text']=='edge fqdn error' for e in j)" < <(events edge)

# port state: the long Cisco name becomes the poller's port key
"$NETPATROL" -f "$CONF" ports sw --json >"$T/p.json"
check "the poller names the port Gi1/0/3" json "$T/p.json" "any(p['name']=='Gi1/0/3' for p in j)"
send 127.0.0.1 \
	"<187>521: sw: *Mar  1 00:01:02.345 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/3, changed state to down" \
	"<189>522: sw: *Mar  1 00:01:03.345 UTC: %LINEPROTO-5-UPDOWN: Line protocol on Interface TenGigabitEthernet1/1/1, changed state to up" \
	"<189>523: sw: *Mar  1 00:01:04.345 UTC: %LINK-5-CHANGED: Interface GigabitEthernet1/0/4, changed state to administratively down" \
	"<189>2018 Apr 20 13:15:07 sw %ETHPORT-5-IF_DOWN_LINK_FAILURE: Interface Ethernet1/1 is down (Link failure)" \
	"<189>524: sw: *Mar  1 00:01:05.345 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet9/0/9, changed state to down"
has_event() { events | json - "any(e['kind']=='$1' and e['key']=='$2' and e['source']=='syslog' for e in j)"; }
wait_for 20 has_event port.down port:Gi1/0/3
ok $? "%LINK-3-UPDOWN GigabitEthernet1/0/3: port.down, key port:Gi1/0/3"
wait_for 20 has_event port.down port:GigabitEthernet9/0/9
events >"$T/e.json"
check "%LINEPROTO-5-UPDOWN TenGigabitEthernet1/1/1: port.up, key port:Te1/1/1" \
	json "$T/e.json" "any(e['kind']=='port.up' and e['key']=='port:Te1/1/1' and e['severity']=='info' for e in j)"
check "%LINK-5-CHANGED administratively down: port.admin_down, not a fault" \
	json "$T/e.json" "any(e['kind']=='port.admin_down' and e['key']=='port:Gi1/0/4' and e['severity']=='info' for e in j)"
check "NX-OS Ethernet1/1 is the poller's Eth1/1" \
	json "$T/e.json" "any(e['kind']=='port.down' and e['key']=='port:Eth1/1' for e in j)"
check "a port the poller does not know keeps the message's name" \
	json "$T/e.json" "any(e['key']=='port:GigabitEthernet9/0/9' for e in j)"
check "port.down is major, with object and new state" \
	json "$T/e.json" "[(e['severity'],e['object'],e['new_state']) for e in j if e['key']=='port:Gi1/0/3'][0]==('major','Gi1/0/3','down')"

# configuration changes, failed logins and their burst
send 127.0.0.1 "<189>30: sw: May 23 13:56:15.055: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.31.0.24)"
send 127.0.0.3 "<189>Jul 20 21:44:00 edge mgd[7729]: UI_COMMIT: User 'luke' requested 'commit' operation"
for i in 1 2 3 4 5 6 7; do
	send 127.0.0.1 "<38>Mar  1 10:00:0$i sw sshd[12$i]: Failed password for invalid user u$i from 192.0.2.66 port 5000$i ssh2"
done
send 127.0.0.1 "<189>99: sw: *Mar  1 00:01:02.345 UTC: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 198.51.100.7] [localport: 22] [Reason: Login Authentication Failed] at 00:01:02 UTC Mon Mar 1 2024"
send 127.0.0.4 "<189>22: r9: %BGP-5-ADJCHANGE: neighbor 10.0.0.1 Down BGP Notification sent"
wait_for 20 nlogs 26
ok $? "config, login and rule messages are stored"
events >"$T/e.json"
check "%SYS-5-CONFIG_I: config.changed, key config" \
	json "$T/e.json" "any(e['kind']=='config.changed' and e['key']=='config' and 'admin' in e['text'] for e in j)"
check "Junos UI_COMMIT: config.changed on edge" \
	json - "any(e['kind']=='config.changed' for e in j)" < <(events edge)
check "three sshd failures from 192.0.2.66 are events, the fourth a burst" \
	json "$T/e.json" "[e['kind'] for e in j if e['key']=='security:login:192.0.2.66']==['security.login_failure']*3+['security.login_burst']"
check "the burst is major and names the source" \
	json "$T/e.json" "[e for e in j if e['kind']=='security.login_burst'][0]['severity']=='major' and '192.0.2.66' in [e for e in j if e['kind']=='security.login_burst'][0]['text']"
fburst() { "$NETPATROL" -f "$CONF" findings --json 2>/dev/null | python3 -c 'import json, sys
j = json.load(sys.stdin)
sys.exit(0 if [f for f in j if f["key"] == "sw/security:login:192.0.2.66" and f["severity"] == "major"] else 1)'; }
wait_for 20 fburst
ok $? "the burst raises the failed logins' finding to major"
check "all seven failed logins are stored, the folded ones too" \
	json - "len([m for m in j if 'from 192.0.2.66' in m['text']])==7" < <(logs)
check "Cisco SEC_LOGIN-4-LOGIN_FAILED: a login failure from its source" \
	json "$T/e.json" "any(e['kind']=='security.login_failure' and e['key']=='security:login:198.51.100.7' and 'admin' in e['text'] for e in j)"
check "a configured rule with groups: bgp.change key bgp:10.0.0.1" \
	json - "[(e['kind'],e['key'],e['severity'],e['text']) for e in j if e['kind']=='bgp.change']==[('bgp.change','bgp:10.0.0.1','minor','BGP 10.0.0.1 Down on 127.0.0.4')]" < <(events 127.0.0.4)

# logs: filters
check "logs --device edge" json - "len(j)==3 and all(m['device']=='edge' for m in j)" < <(logs --device edge)
check "logs --match (any case, LIKE characters taken literally)" \
	json - "len(j)==1 and j[0]['app']=='app1'" < <(logs --match "UDP RFC3164")
check "logs --match 100% finds nothing" json - "j==[]" < <(logs --match "100%")
check "logs --severity err: err and graver only" \
	json - "len(j)>=2 and all(m['severity'] in ('emerg','alert','crit','err') for m in j)" < <(logs --severity err)
check "logs --limit 2: the newest two, oldest first" \
	json - "len(j)==2 and j[0]['id']<j[1]['id']" < <(logs --limit 2)
check "logs --since in the future: none" json - "j==[]" < <(logs --since 2099-01-01)
"$NETPATROL" -f "$CONF" logs --device sw >"$T/l.txt"
check "logs as a table" grep -q "LINK-3-UPDOWN" "$T/l.txt"

if [ -n "$V6" ]; then
	logger -n ::1 -P "$LPORT" -d --rfc5424 -t app6 "over ipv6"
	wait_for 20 nlogs 27
	check "a message over IPv6 (::1): sender ::1, unknown" \
		json - "[(m['sender'],m['known']) for m in j if m['app']=='app6'][0]==('::1',False)" < <(logs)
else
	skip "no IPv6 loopback here"
fi

# --follow: the newest, then what comes, an object a line
"$NETPATROL" -f "$CONF" logs --follow --json --device sw --limit 1 >"$T/follow.out" 2>&1 &
FOLLOW=$!
started() { [ "$(wc -l <"$T/follow.out")" -ge 1 ]; }
wait_for 20 started
ok $? "logs --follow prints the newest first"
send 127.0.0.1 "<30>Mar  1 10:00:00 sw app: follow me 1" "<30>Mar  1 10:00:00 sw app: follow me 2"
send 127.0.0.3 "<30>Mar  1 10:00:00 edge app: not for sw"
followed() { grep -q "follow me 2" "$T/follow.out"; }
wait_for 20 followed
ok $? "and what comes after"
kill "$FOLLOW" 2>/dev/null
wait "$FOLLOW" 2>/dev/null
check "an object a line: the newest, then the two, of sw only" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 3, rows
assert all(r["device"] == "sw" for r in rows)
assert [r["text"] for r in rows[1:]] == ["follow me 1", "follow me 2"]
assert rows[0]["id"] < rows[1]["id"] < rows[2]["id"]
' "$T/follow.out"
"$NETPATROL" -f "$CONF" logs --follow --until 2099-01-01 >/dev/null 2>&1
ok $(($? != 2)) "logs --follow --until: an error"

status
check "status: totals and per-listener counters" \
	json "$T/st.json" "j['syslog']['stored']>=26 and j['syslog']['received']==j['syslog']['stored'] and [l['received'] for l in j['syslog']['listeners'] if l['transport']=='tcp'][0]==5"
check "status: per-sender counters with the device" \
	json "$T/st.json" "[(s['device'],s['received']>=15) for s in j['syslog']['senders'] if s['address']=='127.0.0.1'][0]==('sw',True)"
check "status: events counted" json "$T/st.json" "j['syslog']['events']==14"
check "status: the queue's bound, syslog queue 64M" \
	json "$T/st.json" "j['syslog']['store_queue_max_bytes']==64*1024*1024"
"$NETPATROL" -f "$CONF" status >"$T/st.txt"
check "status shows the syslog line" grep -q "^syslog: .* stored" "$T/st.txt"

stop_pid "$DAEMON_PID"
ok $? "SIGTERM: exit 0"
DB=$T/state/netpatrol.db
LDB=$T/state/syslog.db
check "the messages are in syslog.db, with their events in the store" test \
	"$(sq "$LDB" "select count(*) from logs where event_id is not null")" -gt 0
M=m.
[ "${NP_TEST_STORE:-}" = postgresql ] && M= # one database there
check "every message with an event links to a syslog event" test \
	"$(sq "$LDB" "$([ -n "$M" ] && echo "attach '$DB' as m;") select count(*) from logs l join ${M}events e on e.id = l.event_id and e.source = 'syslog'")" \
	= "$(sq "$LDB" "select count(*) from logs where event_id is not null")"
check "event ids are unique" test "$(sq "$DB" "select count(*) - count(distinct id) from events")" = 0
done_testing
